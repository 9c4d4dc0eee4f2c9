package content

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// update rewrites the want files from what the checks find: review the diff before committing.
var update = flag.Bool("update", false, "rewrite testdata/*.txt want files with the findings")

// today is the date the fixtures are checked on: reviewed dates are compared with it.
var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// words are what the checks read the fixtures' text with, as the theme's
// message files give them to kb check (site.Words).
var words = map[string]Words{
	"nl": {
		Months:   []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
		Deadline: []string{"vóór", "voor", "uiterlijk", "op", "per"},
		Future:   []string{"moet", "moeten", "zal", "zullen", "wordt verwacht", "worden verwacht"},
	},
	"en": {
		Months:   []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		Deadline: []string{"by", "before", "on"},
		Future:   []string{"must", "will", "shall", "is due", "are due", "is to", "are to", "has to", "have to", "is expected", "are expected"},
	},
}

// fixtureOptions are the options the fixtures are loaded with.
func fixtureOptions(langs ...string) Options {
	if len(langs) == 0 {
		langs = []string{"nl", "en"}
	}
	return Options{Langs: langs, Root: "content", Today: today, Words: words}
}

// TestLoadErrors loads each testdata/*.txt archive as a content tree and
// compares every finding (errors, warnings and notes) with its "want" file,
// one file:line message per line.
func TestLoadErrors(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no testdata/*.txt")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{}
			var want []string
			for _, f := range ar.Files {
				if f.Name == "want" {
					want = nonEmptyLines(string(f.Data))
					continue
				}
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
			}
			set, list, err := Load(fsys, fixtureOptions())
			if err == nil {
				var more ErrorList
				_, more, err = set.RenderAll(nil)
				list = append(list, more...)
				list.Sort()
				if err == nil {
					err = list.Err()
				}
			}
			if err != nil && !errors.As(err, &list) {
				t.Fatalf("Load: %v, want an ErrorList", err)
			}
			got := nonEmptyLines(list.Error())
			if *update {
				for i, f := range ar.Files {
					if f.Name == "want" {
						ar.Files[i].Data = []byte(strings.Join(got, "\n") + "\n")
					}
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// archiveFS returns a testdata archive as a file system.
func archiveFS(t *testing.T, name string) fstest.MapFS {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	return fsys
}

// loadArchive loads and renders a testdata archive, and returns the pages' renderings by URL.
func loadArchive(t *testing.T, name string, opt Options) ([]*Page, map[string]*Rendered) {
	t.Helper()
	set, _, err := Load(archiveFS(t, name), opt)
	if err != nil {
		t.Fatalf("Load(%s): %v", name, err)
	}
	rendered := map[string]*Rendered{}
	for _, p := range set.Pages {
		rendered[p.URL] = set.Render(p)
	}
	return set.Pages, rendered
}

func TestLoadLinksPages(t *testing.T) {
	pages, rendered := loadArchive(t, "ok.txt", fixtureOptions())
	byURL := map[string]*Page{}
	for _, p := range pages {
		byURL[p.URL] = p
	}
	wantURLs := []string{"/nl/", "/nl/verblijf/", "/nl/verblijf/bedenktijd/", "/en/", "/en/residence/", "/en/residence/reflection-period/"}
	for _, u := range wantURLs {
		if byURL[u] == nil {
			t.Errorf("no page at %s; have %v", u, keys(byURL))
		}
	}
	home, bt := byURL["/nl/"], byURL["/nl/verblijf/bedenktijd/"]
	if home == nil || bt == nil {
		t.FailNow()
	}
	if got, want := string(rendered["/nl/"].Body), `<a href="/nl/verblijf/bedenktijd/#hoe-lang">`; !strings.Contains(got, want) {
		t.Errorf("home body = %s, want a link %s", got, want)
	}
	if bt.Parent == nil || bt.Parent.URL != "/nl/verblijf/" || bt.Parent.Parent != home {
		t.Errorf("bedenktijd's parents are wrong: %+v", bt.Parent)
	}
	if tr := bt.Translations["en"]; tr == nil || tr.URL != "/en/residence/reflection-period/" {
		t.Errorf("bedenktijd's English translation = %v", tr)
	}
	btr := rendered[bt.URL]
	if got := btr.Text(); !strings.Contains(got, "Hoe lang?\nDrie maanden? Zie start.") {
		t.Errorf("bedenktijd text = %q, want the plain text of the body", got)
	}
	if len(btr.Sections) != 1 || btr.Sections[0].ID != "hoe-lang" || btr.Sections[0].Title != "Hoe lang?" {
		t.Errorf("bedenktijd sections = %+v", btr.Sections)
	}
	// Rendering changes nothing: a second rendering is the same.
	if again := newSet(pages, Options{}).Render(bt); again.Body != btr.Body || again.Body == "" {
		t.Errorf("a second rendering differs from the first, or is empty:\n%s\n%s", btr.Body, again.Body)
	}
	if bt.File != "content/nl/verblijf/bedenktijd.md" {
		t.Errorf("File = %q", bt.File)
	}
}

func keys(m map[string]*Page) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestDrafts(t *testing.T) {
	draft := "---\ntitle: D\ndescription: D.\ntype: page\nsources:\n  - title: S\n    url: https://example.org/\nreviewed: 2026-11-23\ndraft: true\n---\nDraft."
	home := "---\ntitle: H\ndescription: H.\ntype: home\nreviewed: 2026-11-23\n---\n"
	fsys := fstest.MapFS{"nl/index.md": {Data: []byte(home)}, "nl/d.md": {Data: []byte(draft)}}
	for _, drafts := range []bool{false, true} {
		opt := fixtureOptions("nl")
		opt.Drafts = drafts
		set, _, err := Load(fsys, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(set.Pages), map[bool]int{false: 1, true: 2}[drafts]; got != want {
			t.Errorf("Drafts=%v: %d pages, want %d", drafts, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"De drie elementen", "de-drie-elementen"},
		{"Financiële gevolgen", "financiele-gevolgen"},
		{"Art. 273f Sr", "art-273f-sr"},
		{"Wat is de bedenktijd?", "wat-is-de-bedenktijd"},
		{"  Spaces -- and_dashes ", "spaces-and-dashes"},
		{"B8/3 Vc 2000", "b83-vc-2000"},
		{"Jak zgłosić handel ludźmi?", "jak-zglosic-handel-ludzmi"},       // Latin accents go, ł too
		{"Для дітей і їхніх батьків", "для-дітей-і-їхніх-батьків"},        // Cyrillic letters keep theirs: й is not и
		{"ما هي حقوقك؟ أين تجد المساعدة", "ما-هي-حقوقك-أين-تجد-المساعدة"}, // and Arabic its hamza
	} {
		if got := Slug(tc.in); got != tc.want {
			t.Errorf("Slug(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// TestFrontMatterBlanking checks that the body keeps its lines and byte offsets.
func TestFrontMatterBlanking(t *testing.T) {
	src := []byte("---\ntitle: x\n---\nline four\n")
	yml, end, ok, err := splitFrontMatter(src)
	if err != nil || !ok {
		t.Fatalf("splitFrontMatter: ok=%v err=%v", ok, err)
	}
	if string(yml) != "title: x\n" || end != 17 {
		t.Errorf("yml = %q, end = %d; want \"title: x\\n\", 17", yml, end)
	}
	blank(src, end)
	if want := "   \n        \n   \nline four\n"; string(src) != want {
		t.Errorf("blanked = %q; want %q", src, want)
	}
}

// TestLinkOutsideContent: a page that is a symbolic link to a file outside
// the content folder is not published; the editor is told where it points.
// A link to another page inside the folder is fine.
func TestLinkOutsideContent(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(t.TempDir(), "geheim.md")
	os.WriteFile(outside, []byte("---\ntitle: Geheim\ndescription: G.\ntype: page\nreviewed: 2026-11-23\n---\nGeheim.\n"), 0o644)
	os.MkdirAll(filepath.Join(root, "nl"), 0o755)
	os.WriteFile(filepath.Join(root, "nl", "index.md"), []byte("---\ntitle: Start\ndescription: Start.\ntype: home\nreviewed: 2026-11-23\n---\nHallo.\n"), 0o644)
	if err := os.Symlink(outside, filepath.Join(root, "nl", "geheim.md")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	os.Symlink("index.md", filepath.Join(root, "nl", "start.md")) // inside: allowed (it is a page of its own)
	_, _, err := Load(os.DirFS(root), fixtureOptions("nl"))
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Load = %v; want an ErrorList", err)
	}
	want := "content/nl/geheim.md:1: error: this is a link to " + outside + ", outside the content folder"
	if !strings.Contains(list.Error(), want) {
		t.Errorf("findings:\n%s\nwant %s", list.Error(), want)
	}
	for _, e := range list {
		if strings.HasSuffix(e.File, "start.md") && strings.Contains(e.Msg, "outside") {
			t.Errorf("a link inside the content folder was reported: %v", e)
		}
	}
}

// TestInvisibleCharacters: a title with a bidi override or a zero-width
// space is an error, with the character named.
func TestInvisibleCharacters(t *testing.T) {
	fsys := fstest.MapFS{"nl/index.md": {Data: []byte("---\ntitle: \"Bedenk\u202etijd\"\ndescription: \"Een\u200b test.\"\ntype: home\nreviewed: 2026-11-23\n---\nHallo.\n")}}
	_, _, err := Load(fsys, fixtureOptions("nl"))
	for _, want := range []string{"content/nl/index.md:2: error: field title: has the invisible character U+202E", "content/nl/index.md:3: error: field description: has the invisible character U+200B"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load = %v; want %q", err, want)
		}
	}
}

// TestAidPathLength: a decision aid whose longest path asks maxAidSteps
// questions passes; one more question gets a warning on the start page.
func TestAidPathLength(t *testing.T) {
	for _, n := range []int{maxAidSteps, maxAidSteps + 1} {
		fsys := fstest.MapFS{
			"nl/index.md":   {Data: []byte("---\ntitle: H\ndescription: H.\ntype: home\nreviewed: 2026-11-23\n---\n")},
			"nl/begrip.md":  {Data: []byte("---\ntitle: B\ndescription: B.\ntype: glossary\ndefinition: B.\nsources:\n  - title: S\n    url: https://example.org/\nreviewed: 2026-11-23\n---\nB.")},
			"nl/a/index.md": {Data: []byte("---\ntitle: A\ndescription: A.\ntype: aid\nreviewed: 2026-11-23\nanswers:\n  - label: Begin\n    next: s1.md\n---\n")},
			"nl/a/eind.md":  {Data: []byte("---\ntitle: E\ndescription: E.\ntype: result\nsources:\n  - title: S\n    url: https://example.org/\nreviewed: 2026-11-23\n---\nZie [contact](../contact.md).")},
			"nl/contact.md": {Data: []byte("---\ntitle: C\ndescription: C.\ntype: contacts\nsources:\n  - title: S\n    url: https://example.org/\nreviewed: 2026-11-23\n---\nGeen nummers.")},
		}
		for i := 1; i <= n; i++ {
			next := fmt.Sprintf("s%d.md", i+1)
			if i == n {
				next = "eind.md"
			}
			fsys[fmt.Sprintf("nl/a/s%d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil, "---\ntitle: Vraag %d?\ndescription: V.\ntype: step\nreviewed: 2026-11-23\nanswers:\n  - label: Ja\n    next: %s\n  - label: Nee\n    next: eind.md\n---\nZie [begrip](../begrip.md).", i, next)}
		}
		_, findings, err := Load(fsys, fixtureOptions("nl"))
		if err != nil {
			t.Fatalf("%d questions: %v", n, err)
		}
		var warned []string
		for _, f := range findings {
			if strings.Contains(f.Msg, "asks") {
				warned = append(warned, f.Error())
			}
		}
		want := 0
		if n > maxAidSteps {
			want = 1
		}
		if len(warned) != want {
			t.Errorf("%d questions on the longest path: warnings %v; want %d", n, warned, want)
		}
	}
}

// TestPlainText: headings and sections are text as a reader sees it, with
// the typographer's quotes as characters, not as HTML entities that a
// template would escape a second time ("&amp;ldquo;").
func TestPlainText(t *testing.T) {
	src := "Hij zei \"ja\" -- echt.\n\n## Do minors need the \"means\" element?\n\nThe victim's consent \\*counts\\* &amp; more&hellip;\n"
	p := &Page{Meta: Meta{Title: "T"}, Lang: "en", File: "content/en/t.md", src: []byte(src)}
	r := p.render(linkTargets{})
	if len(r.Headings) != 1 || r.Headings[0].Text != "Do minors need the “means” element?" {
		t.Errorf("headings = %+v; want the text with curly quotes", r.Headings)
	}
	if want := "Hij zei “ja” – echt."; r.Sections[0].Text != want {
		t.Errorf("lead text = %q; want %q", r.Sections[0].Text, want)
	}
	if want := "The victim’s consent *counts* & more…"; r.Sections[1].Text != want {
		t.Errorf("section text = %q; want %q", r.Sections[1].Text, want)
	}
	if body := string(r.Body); !strings.Contains(body, "<h2 id=\"do-minors-need-the-means-element\">Do minors need the “means” element?</h2>") || strings.Contains(body, "&ldquo;") {
		t.Errorf("body = %s; want the quotes as characters", body)
	}
}

// TestLead: a body that starts with a paragraph gives it apart, so that the
// page can put its notices after the page's own first words.
func TestLead(t *testing.T) {
	for _, c := range []struct{ src, lead string }{
		{"Eerste *alinea*.[^1]\n\nTweede.\n\n## Kop\n\n[^1]: Bron.\n", "<p>Eerste <em>alinea</em>.<sup id=\"fnref:1\"><a href=\"#fn:1\" class=\"footnote-ref\" role=\"doc-noteref\">1</a></sup></p>\n"},
		{"## Kop\n\nTekst.\n", ""},
		{"- lijst\n\nTekst.\n", ""},
	} {
		p := &Page{Meta: Meta{Title: "T"}, Lang: "nl", File: "content/nl/t.md", src: []byte(c.src)}
		r := p.render(linkTargets{})
		lead, rest := r.Split()
		if string(lead) != c.lead {
			t.Errorf("%q: lead = %q; want %q", c.src, lead, c.lead)
		}
		if lead+rest != r.Body || strings.Contains(string(rest), string(lead)) && lead != "" {
			t.Errorf("%q: lead %q and rest %q do not make the body %q", c.src, lead, rest, r.Body)
		}
	}
	// The footnote list still follows the rest.
	p := &Page{Meta: Meta{Title: "T"}, Lang: "nl", File: "content/nl/t.md", src: []byte("Een.[^1]\n\nTwee.\n\n[^1]: Bron.\n")}
	if _, rest := p.render(linkTargets{}).Split(); !strings.Contains(string(rest), `<li id="fn:1">`) {
		t.Errorf("rest %q has no footnote list", rest)
	}
}

// TestPartialLanguage: a partial language (pl: its Fallback is en) has only
// some pages. A link to a page it lacks goes to the English page, with
// hreflang and the words that say so; a link to a page no language has is
// still an error; what it lacks is no warning; each page waits for a native
// speaker's check (a note) until it has nativeReviewed; and its readability
// is not scored, which kb check says once.
func TestPartialLanguage(t *testing.T) {
	home := "---\ntitle: %s\ndescription: H.\ntype: home\nreviewed: 2026-11-23\n%s---\n"
	page := "---\ntitle: %s\ndescription: P.\ntype: page\nsources:\n  - title: S\n    url: https://example.org/\nreviewed: 2026-11-23\n%s---\n%s\n"
	fsys := fstest.MapFS{
		"nl/index.md":  {Data: fmt.Appendf(nil, home, "Start", "")},
		"en/index.md":  {Data: fmt.Appendf(nil, home, "Home", "")},
		"pl/index.md":  {Data: fmt.Appendf(nil, home, "Start", "nativeReviewed: 2026-11-20\n")},
		"nl/recht.md":  {Data: fmt.Appendf(nil, page, "Rechten", "", "Tekst.")},
		"en/recht.md":  {Data: fmt.Appendf(nil, page, "Rights", "slug: rights\n", "Text.")},
		"nl/alleen.md": {Data: fmt.Appendf(nil, page, "Alleen", "", "Tekst.")},
		"en/alleen.md": {Data: fmt.Appendf(nil, page, "Only", "", "Text.")},
		"pl/alleen.md": {Data: fmt.Appendf(nil, page, "Tylko", "", "Zobacz [twoje prawa](recht.md#kop) i [brak](nergens.md).")},
		"nl/fout.md":   {Data: fmt.Appendf(nil, page, "Fout", "nativeReviewed: 2026-11-20\n", "Tekst.")},
		"en/fout.md":   {Data: fmt.Appendf(nil, page, "Wrong", "", "Text.")},
	}
	opt := fixtureOptions("nl", "en", "pl")
	opt.Words = map[string]Words{"nl": words["nl"], "en": words["en"], "pl": {Fallback: "(po angielsku)"}}
	_, _, err := Load(fsys, opt)
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Load = %v; want the errors", err)
	}
	got := list.Error()
	for _, want := range []string{
		"content/pl/alleen.md:10: error: link nergens.md matches no page: there is no content/pl/nergens.md, nor content/en/nergens.md",
		"content/nl/fout.md:9: error: field nativeReviewed is for the translations that wait for a native speaker's check (pl, ro, bg, uk, ar); remove it",
		"content/pl/alleen.md:1: note: no native speaker has checked this translation yet",
		"content/pl/index.md:1: note: readability is not scored in pl",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("findings lack %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"content/pl/index.md:1: note: no native speaker", "no translation in pl"} {
		if strings.Contains(got, not) {
			t.Errorf("findings have %q:\n%s", not, got)
		}
	}

	// Without the broken link and the misplaced field, the page renders the English link.
	fsys["pl/alleen.md"] = &fstest.MapFile{Data: fmt.Appendf(nil, page, "Tylko", "", "Zobacz [twoje prawa](recht.md).")}
	fsys["nl/fout.md"] = &fstest.MapFile{Data: fmt.Appendf(nil, page, "Fout", "", "Tekst.")}
	set, _, err := Load(fsys, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range set.Pages {
		if p.File == "content/pl/alleen.md" {
			want := `<a href="/en/rights/" hreflang="en">twoje prawa</a> (po angielsku).`
			if body := string(set.Render(p).Body); !strings.Contains(body, want) {
				t.Errorf("body %s; want %s", body, want)
			}
		}
	}
}

// TestRightToLeft: in Arabic, a Dutch term in italics and a phone number keep
// their own direction (dir="ltr"), so bidi reordering cannot turn "0800 7000"
// into "7000 0800" or move the brackets; an Arabic word in italics does not.
func TestRightToLeft(t *testing.T) {
	src := "اتصل بـ [0800 7000](tel:08007000) لتقديم بلاغ (*aangifte*) أو *مهلة*.\n"
	for _, tc := range []struct {
		lang string
		want []string
		not  []string
	}{
		{"ar", []string{`<a href="tel:08007000" dir="ltr">0800 7000</a>`, `(<em dir="ltr">aangifte</em>)`, `<em>مهلة</em>`}, nil},
		{"nl", []string{`<a href="tel:08007000" dir="ltr">`, `(<em>aangifte</em>)`}, []string{`<em dir`}},
	} {
		p := &Page{Meta: Meta{Title: "T"}, Lang: tc.lang, File: "content/" + tc.lang + "/t.md", src: []byte(src)}
		body := string(p.render(linkTargets{}).Body)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: body %s; want %s", tc.lang, body, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(body, n) {
				t.Errorf("%s: body %s has %s", tc.lang, body, n)
			}
		}
	}
}
