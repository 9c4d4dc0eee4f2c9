package corpus

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// readTree returns the files under root/lang by slash path relative to root/lang.
func readTree(t *testing.T, root, lang string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	base := filepath.Join(root, lang)
	err := filepath.WalkDir(base, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(base, name)
		if err != nil {
			return err
		}
		src, err := os.ReadFile(name)
		files[filepath.ToSlash(rel)] = src
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// splitPage returns the front matter lines and the body.
func splitPage(t *testing.T, name string, src []byte) ([]string, string) {
	t.Helper()
	s := string(src)
	if !strings.HasPrefix(s, "---\n") {
		t.Fatalf("%s: does not start with ---", name)
	}
	fm, body, ok := strings.Cut(s[len("---\n"):], "\n---\n")
	if !ok {
		t.Fatalf("%s: front matter has no closing ---", name)
	}
	return strings.Split(fm, "\n"), body
}

// slug is the anchor of a heading: lower case, letters and digits kept,
// spaces as dashes, other punctuation dropped.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

var (
	pathRE     = regexp.MustCompile(`^(index\.md|g\d{2}/index\.md|(g\d{2}/)?s\d{2,}/(index|p\d{5,})\.md)$`)
	headingRE  = regexp.MustCompile(`(?m)^(#{1,6}) (.*)$`)
	linkRE     = regexp.MustCompile(`\[([^\]]+)\]\(([^)]*)\)`)
	keyRE      = regexp.MustCompile(`^([a-z]+):`)
	tableRE    = regexp.MustCompile(`(?m)^\|( [^|]+ \|){3}\n\| --- \| --- \| --- \|\n(\|( [^|]+ \|){3}\n){4}`)
	bulletRE   = regexp.MustCompile(`(?m)^(- \S.*\n)+`)
	numberedRE = regexp.MustCompile(`(?m)^1\. \S`)
	groupRE    = regexp.MustCompile(`^g\d{2}/index\.md$`)
)

// bodyWords counts whitespace-separated tokens that hold a letter.
func bodyWords(body string) int {
	n := 0
	for _, f := range strings.Fields(body) {
		if strings.IndexFunc(f, unicode.IsLetter) >= 0 {
			n++
		}
	}
	return n
}

func headings(body string) [][]string { return headingRE.FindAllStringSubmatch(body, -1) }

func TestGenerate(t *testing.T) {
	const perLang = 40
	dir := t.TempDir()
	if err := Generate(dir, perLang, 42); err != nil {
		t.Fatal(err)
	}
	trees, _ := checkCorpus(t, dir, perLang)

	nl, en := slices.Sorted(maps.Keys(trees["nl"])), slices.Sorted(maps.Keys(trees["en"]))
	if !slices.Equal(nl, en) {
		t.Errorf("nl and en trees differ:\nnl %v\nen %v", nl, en)
	}

	// The same seed gives the same bytes; another seed gives other text.
	again := t.TempDir()
	if err := Generate(again, perLang, 42); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	if err := Generate(other, perLang, 43); err != nil {
		t.Fatal(err)
	}
	for _, lang := range languages {
		a, b := readTree(t, again, lang), readTree(t, other, lang)
		if len(a) != len(trees[lang]) {
			t.Errorf("%s: second run has %d files, first %d", lang, len(a), len(trees[lang]))
		}
		same := 0
		for name, src := range trees[lang] {
			if !bytes.Equal(src, a[name]) {
				t.Errorf("%s/%s differs between two runs with the same seed", lang, name)
			}
			if bytes.Equal(src, b[name]) {
				same++
			}
		}
		if same > 0 {
			t.Errorf("%s: %d files are the same for seeds 42 and 43", lang, same)
		}
	}
}

// checkCorpus checks the tree Generate wrote to dir with perLang pages per
// language: paths, folders, front matter, body and links. It returns the
// files of each language and how many links of each shape it saw: "same"
// folder, "home" to anything, "down" into a subfolder, "../" to a sibling
// folder and "../../" to another group.
func checkCorpus(t *testing.T, dir string, perLang int) (map[string]map[string][]byte, map[string]int) {
	t.Helper()
	shapes := map[string]int{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var top []string
	for _, e := range entries {
		top = append(top, e.Name())
	}
	if !slices.Equal(top, []string{"ar", "bg", "en", "nl", "pl", "ro", "uk"}) {
		t.Fatalf("top-level entries %v, want [ar bg en nl pl ro uk]", top)
	}
	for _, code := range []string{"pl", "ro", "bg", "uk", "ar"} { // the partial languages: a home page only
		if files := readTree(t, dir, code); len(files) != 1 || files["index.md"] == nil {
			t.Errorf("%s: %d files; want its home page only", code, len(files))
		}
	}

	trees := map[string]map[string][]byte{}
	for _, lang := range languages {
		files := readTree(t, dir, lang)
		trees[lang] = files
		if len(files) != perLang {
			t.Errorf("%s: %d files, want %d", lang, len(files), perLang)
		}
		checkFolders(t, filepath.Join(dir, lang))

		// Headings of every page, for anchors.
		slugs := map[string]map[string]bool{}
		for name, src := range files {
			_, body := splitPage(t, name, src)
			slugs[name] = map[string]bool{}
			for _, h := range headings(body) {
				slugs[name][slug(h[2])] = true
			}
		}

		for name, src := range files {
			name := lang + "/" + name
			rel := strings.TrimPrefix(name, lang+"/")
			if !pathRE.MatchString(rel) {
				t.Errorf("%s: unexpected path", name)
			}
			fm, body := splitPage(t, name, src)
			checkFrontMatter(t, name, rel, fm)

			// Headings: 3-5 h2, no skipped levels, unique slugs.
			h2, prev := 0, 1
			seen := map[string]bool{}
			for _, h := range headings(body) {
				level, text := len(h[1]), h[2]
				if level == 2 {
					h2++
				}
				if level != 2 && level != 3 || level > prev+1 {
					t.Errorf("%s: heading %q is h%d after h%d", name, text, level, prev)
				}
				prev = level
				if s := slug(text); seen[s] || s != strings.ReplaceAll(text, " ", "-") {
					t.Errorf("%s: heading %q is repeated or not lower-case ASCII words", name, text)
				} else {
					seen[s] = true
				}
			}
			if h2 < 3 || h2 > 5 {
				t.Errorf("%s: %d h2 headings, want 3-5", name, h2)
			}

			for what, re := range map[string]*regexp.Regexp{"table": tableRE, "bullet list": bulletRE, "numbered list": numberedRE} {
				if n := len(re.FindAllStringIndex(body, -1)); n != 1 {
					t.Errorf("%s: %d %ss, want 1", name, n, what)
				}
			}
			if !strings.Contains(body, "**") || !regexp.MustCompile(`(^|[^*])\*[^* ]+\*($|[^*])`).MatchString(body) {
				t.Errorf("%s: no bold or no italic words", name)
			}

			links := linkRE.FindAllStringSubmatch(body, -1)
			if len(links) < 3 || len(links) > 5 {
				t.Errorf("%s: %d links, want 3-5", name, len(links))
			}
			for _, l := range links {
				dest := l[2]
				file, anchor, _ := strings.Cut(dest, "#")
				if strings.Contains(dest, "://") || strings.HasPrefix(file, "/") || !strings.HasSuffix(file, ".md") {
					t.Errorf("%s: link %q is not a relative .md path", name, dest)
					continue
				}
				// Resolve against the page's folder, as the site generator does.
				from := path.Dir(rel)
				target := path.Join(from, file)
				switch {
				case from == ".":
					shapes["home"]++
				case strings.HasPrefix(file, "../../"):
					shapes["../../"]++
				case strings.HasPrefix(file, "../"):
					shapes["../"]++
				case strings.Contains(file, "/"):
					shapes["down"]++
				default:
					shapes["same"]++
				}
				if strings.HasPrefix(target, "../") || path.Clean(file) != file || !shortest(from, file) {
					t.Errorf("%s: link %q leaves the language folder or is not the shortest relative path", name, dest)
					continue
				}
				if _, err := os.Stat(filepath.Join(dir, lang, filepath.FromSlash(target))); err != nil || target == rel {
					t.Errorf("%s: link %q: target %s does not exist or is the page itself", name, dest, target)
					continue
				}
				if anchor != "" && !slugs[target][anchor] {
					t.Errorf("%s: link %q: %s has no heading %q", name, dest, target, anchor)
				}
			}

			if n := bodyWords(body); n < 500 || n > 700 {
				t.Errorf("%s: %d words, want 500-700", name, n)
			}
		}
	}
	return trees, shapes
}

// shortest reports whether file, a clean relative path from folder from
// ("." for the top), goes up no further than it must: not up out of a
// folder and back into it.
func shortest(from, file string) bool {
	var dirs []string
	if from != "." {
		dirs = strings.Split(from, "/")
	}
	up := 0
	for strings.HasPrefix(file, "../") {
		file = file[len("../"):]
		up++
	}
	if up > len(dirs) {
		return false
	}
	next, _, ok := strings.Cut(file, "/")
	return up == 0 || !ok || next != dirs[len(dirs)-up]
}

// checkFolders checks on disk that every folder under base (a language
// folder) has an index.md, and that there are at most MaxTopLevel folders
// directly under base.
func checkFolders(t *testing.T, base string) {
	t.Helper()
	top := 0
	err := filepath.WalkDir(base, func(name string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if filepath.Dir(name) == base {
			top++
		}
		if _, err := os.Stat(filepath.Join(name, "index.md")); err != nil {
			t.Errorf("folder %s has no index.md", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if top > MaxTopLevel {
		t.Errorf("%s: %d top-level folders, want at most %d", base, top, MaxTopLevel)
	}
}

// TestGenerateGrouped checks a corpus large enough to group its sections:
// group folders with their index.md, and links across the extra level.
func TestGenerateGrouped(t *testing.T) {
	const perLang = 1500
	dir := t.TempDir()
	if err := Generate(dir, perLang, 5); err != nil {
		t.Fatal(err)
	}
	trees, shapes := checkCorpus(t, dir, perLang)
	t.Logf("link shapes: %v", shapes)
	for _, shape := range []string{"same", "home", "down", "../", "../../"} {
		if shapes[shape] == 0 {
			t.Errorf("no %s links", shape)
		}
	}
	for _, lang := range languages {
		groups, nested := 0, 0
		for rel := range trees[lang] {
			if groupRE.MatchString(rel) {
				groups++
			}
			if strings.HasPrefix(rel, "g") && strings.Count(rel, "/") == 2 {
				nested++
			}
			if strings.HasPrefix(rel, "s") {
				t.Errorf("%s/%s: a section outside the groups", lang, rel)
			}
		}
		if groups != MaxTopLevel || nested != perLang-1-MaxTopLevel {
			t.Errorf("%s: %d groups and %d pages in sections, want %d and %d",
				lang, groups, nested, MaxTopLevel, perLang-1-MaxTopLevel)
		}
	}
}

// checkFrontMatter checks the keys, their order and their values.
func checkFrontMatter(t *testing.T, name, rel string, fm []string) {
	t.Helper()
	var keys []string
	values := map[string]string{}
	sources := 0
	for _, line := range fm {
		if m := keyRE.FindStringSubmatch(line); m != nil {
			keys = append(keys, m[1])
			values[m[1]] = strings.TrimSpace(line[len(m[0]):])
			continue
		}
		switch {
		case strings.HasPrefix(line, "  - title: ") && len(strings.Fields(line)) >= 4:
			sources++
		case strings.HasPrefix(line, "    url: https://example.org/"):
		default:
			t.Errorf("%s: unexpected front matter line %q", name, line)
		}
	}
	want := []string{"title", "description", "weight", "type", "sources", "reviewed"}
	if !slices.Equal(keys, want) {
		t.Errorf("%s: front matter keys %v, want %v", name, keys, want)
	}
	if n := len(strings.Fields(values["title"])); n < 3 || n > 6 {
		t.Errorf("%s: title %q has %d words, want 3-6", name, values["title"], n)
	}
	d := values["description"]
	if n := utf8.RuneCountInString(d); n > 150 || !strings.HasSuffix(d, ".") || strings.Count(d, ".") != 1 {
		t.Errorf("%s: description %q is not one sentence of at most 150 characters", name, d)
	}
	if !regexp.MustCompile(`^\d+$`).MatchString(values["weight"]) {
		t.Errorf("%s: weight %q is not a whole number", name, values["weight"])
	}
	typ := "page"
	switch {
	case rel == "index.md":
		typ = "home"
	case strings.HasSuffix(rel, "/index.md"):
		typ = "section"
	}
	if values["type"] != typ {
		t.Errorf("%s: type %q, want %q", name, values["type"], typ)
	}
	if values["sources"] != "" || sources == 0 || strings.Count(strings.Join(fm, "\n"), "    url: ") != sources {
		t.Errorf("%s: sources are not a list of title and url", name)
	}
	if _, err := time.Parse(time.DateOnly, values["reviewed"]); err != nil {
		t.Errorf("%s: reviewed: %v", name, err)
	}
}

// TestVocabulary checks over 1,000 pages (500 per language) that each
// language uses at least 20,000 distinct words, that the vocabularies are
// apart, and that frequencies are Zipf-like.
func TestVocabulary(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, 500, 7); err != nil {
		t.Fatal(err)
	}
	dest := regexp.MustCompile(`\]\([^)]*\)`)
	counts := map[string]map[string]int{}
	for _, lang := range languages {
		counts[lang] = map[string]int{}
		total, accented := 0, 0
		for name, src := range readTree(t, dir, lang) {
			_, body := splitPage(t, name, src)
			body = dest.ReplaceAllString(body, "]")
			for _, w := range strings.FieldsFunc(body, func(r rune) bool { return !unicode.IsLetter(r) }) {
				w = strings.ToLower(w)
				counts[lang][w]++
				total++
				if strings.ContainsAny(w, "ëé") {
					accented++
				}
			}
		}
		type wc struct {
			w string
			n int
		}
		var byFreq []wc
		for w, n := range counts[lang] {
			byFreq = append(byFreq, wc{w, n})
		}
		slices.SortFunc(byFreq, func(a, b wc) int { return b.n - a.n })
		top1 := float64(byFreq[0].n) / float64(total)
		top100 := 0
		for _, x := range byFreq[:100] {
			top100 += x.n
		}
		share := float64(top100) / float64(total)
		t.Logf("%s: %d words, %d distinct, top word %q %.1f%%, top 100 %.1f%%, %d with diacritics",
			lang, total, len(byFreq), byFreq[0].w, 100*top1, 100*share, accented)
		if len(byFreq) < 20_000 {
			t.Errorf("%s: %d distinct words, want at least 20,000", lang, len(byFreq))
		}
		if top1 < 0.03 || top1 > 0.15 || share < 0.3 || share > 0.7 {
			t.Errorf("%s: frequencies are not Zipf-like: top word %.1f%%, top 100 words %.1f%%", lang, 100*top1, 100*share)
		}
		if (lang == "nl") != (accented > 0) {
			t.Errorf("%s: %d words with diacritics", lang, accented)
		}
	}
	shared := 0
	for w := range counts["nl"] {
		if counts["en"][w] > 0 {
			shared++
		}
	}
	if shared > 0 {
		t.Errorf("nl and en share %d words", shared)
	}
}

func TestLayout(t *testing.T) {
	for _, n := range []int{1, 2, 3, 40, 52, 53, 1000, 1021, 1022, 1042, 10_000, 30_000} {
		locs, dirs := layout(n)
		if len(locs) != n {
			t.Errorf("layout(%d): %d pages", n, len(locs))
		}
		seen := map[string]bool{}
		perDir := map[string]int{}
		for i, l := range locs {
			if seen[l.rel] || !pathRE.MatchString(l.rel) {
				t.Errorf("layout(%d): bad or repeated path %s", n, l.rel)
			}
			seen[l.rel] = true
			if d := path.Dir(l.rel); l.dir != strings.TrimPrefix(d, ".") {
				t.Errorf("layout(%d): %s has folder %q", n, l.rel, l.dir)
			}
			if l.first > i || i >= l.first+l.count || l.first+l.count > len(locs) || locs[l.first].dir != l.dir {
				t.Errorf("layout(%d): %s: first %d, count %d", n, l.rel, l.first, l.count)
			}
			perDir[l.dir]++
		}

		// Every folder, and every folder above a page, has an index.md and
		// is listed once, after its parent.
		listed := map[string]bool{}
		top := 0
		for _, d := range dirs {
			if parent := path.Dir(d); parent != "." && !listed[parent] || listed[d] {
				t.Errorf("layout(%d): folder %s listed twice or before its parent", n, d)
			}
			listed[d] = true
			if !seen[d+"/index.md"] {
				t.Errorf("layout(%d): folder %s has no index.md", n, d)
			}
			if !strings.Contains(d, "/") {
				top++
			}
		}
		for _, l := range locs {
			for d := l.dir; d != "."; d = path.Dir(d) {
				if d != "" && !listed[d] {
					t.Errorf("layout(%d): %s is in folder %s, which is not listed", n, l.rel, d)
				}
				if d == "" {
					break
				}
			}
		}
		if top > MaxTopLevel {
			t.Errorf("layout(%d): %d top-level folders, want at most %d", n, top, MaxTopLevel)
		}

		// Sections hold about PagesPerSection pages. When there are more
		// than MaxTopLevel of them, exactly MaxTopLevel groups hold them,
		// spread evenly.
		var sections []string
		perGroup := map[string]int{}
		for _, d := range dirs {
			if strings.HasPrefix(path.Base(d), "s") {
				sections = append(sections, d)
				if g := path.Dir(d); g != "." {
					perGroup[g]++
				}
			}
		}
		for _, d := range sections {
			if perDir[d] > PagesPerSection+1 || n > 100 && perDir[d] < PagesPerSection-10 {
				t.Errorf("layout(%d): section %s has %d pages", n, d, perDir[d])
			}
		}
		grouped := len(perGroup) > 0
		if want := n > 1+MaxTopLevel*(PagesPerSection+1); grouped != want {
			t.Errorf("layout(%d): grouped is %v, want %v", n, grouped, want)
		}
		if grouped {
			lo, hi := len(sections), 0
			for g, k := range perGroup {
				lo, hi = min(lo, k), max(hi, k)
				if perDir[g] != 1 {
					t.Errorf("layout(%d): group %s holds %d pages besides its sections", n, g, perDir[g])
				}
			}
			if len(perGroup) != MaxTopLevel || top != MaxTopLevel || lo < 1 || hi > lo+1 {
				t.Errorf("layout(%d): %d sections in %d groups (%d top-level folders), %d to %d per group",
					n, len(sections), len(perGroup), top, lo, hi)
			}
		}
		if n == 10_000 {
			t.Logf("layout(%d): %d folders, %d sections, %d top-level", n, len(dirs), len(sections), top)
		}

		// Relative links resolve from every kind of page to every kind of page.
		for _, i := range []int{0, 1, 2, len(locs) / 2, len(locs) - 1} {
			if i >= len(locs) {
				continue
			}
			for _, j := range []int{0, 1, 2, 3, len(locs) / 3, len(locs) / 2, len(locs) - 1} {
				if j >= len(locs) {
					continue
				}
				from := path.Dir(locs[i].rel)
				rel := relLink(locs[i].dir, locs[j])
				if got := path.Join(from, rel); got != locs[j].rel || !shortest(from, rel) {
					t.Errorf("layout(%d): link from %s to %s is %s", n, locs[i].rel, locs[j].rel, rel)
				}
			}
		}
	}
	if err := Generate(t.TempDir(), 1, 1); err != nil {
		t.Errorf("Generate with 1 page: %v", err)
	}
	if err := Generate(t.TempDir(), -1, 1); err == nil {
		t.Error("Generate with -1 pages: no error")
	}
}

// BenchmarkGenerate10k writes 10,000 pages per language.
func BenchmarkGenerate10k(b *testing.B) {
	for b.Loop() {
		if err := Generate(b.TempDir(), 10_000, 1); err != nil {
			b.Fatal(err)
		}
	}
}
