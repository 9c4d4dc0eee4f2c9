// Package corpus generates a synthetic, realistic content tree for
// benchmarking the site generator: Markdown pages with front matter in two
// languages, headings, lists, tables, emphasis and internal links (some with
// anchors), written in pseudo-words drawn with a Zipf-like distribution.
//
// The tree is shaped like a real large site: at most MaxTopLevel folders
// under the home page, so the main menu stays small; larger sites group
// their sections in MaxTopLevel group folders. Every folder has an index.md.
//
// Every link is a relative path (such as ../../g03/s027/p01234.md from
// another group) to a page and heading that exist, and the output is
// byte-identical for a given seed.
package corpus

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/parallel"
)

// languages are the language folders Generate writes, in the order of their
// phonologies in Generate.
var languages = [...]string{"nl", "en"}

const (
	// PagesPerSection is about how many pages a section holds.
	PagesPerSection = 50

	vocabSize = 50_000 // distinct words per language
	zipfS     = 1.07   // Zipf exponent: weight of rank r ~ 1/(r+zipfV-1)^zipfS
	zipfV     = 2.7    // Zipf–Mandelbrot offset: the top word is ~6% of text, as in English or Dutch

	minBody = 570 // words in a page body (headings, lists, table and link texts included)
	maxBody = 630

	// Heading, title and link words skip the commonest ranks, which are
	// function words in real text.
	contentRank = 25
)

// Generate writes pagesPerLang Markdown pages for each of the languages "nl" and "en" under dir
// (dir/nl/... and dir/en/...), deterministic for a given seed, and a home page for each
// partial language (dir/pl/index.md, …).
//
// Each language gets a home page dir/<lang>/index.md (type: home), and the
// rest is spread over sections of about PagesPerSection pages: a section
// folder holds an index.md (type: section) and pages pNNNNN.md (type: page).
// Like a real site, whose main menu lists the folders under the home page,
// the home page never has more than MaxTopLevel folders. Up to MaxTopLevel
// sections sit directly under it (dir/<lang>/sNN/, as for 1,000 pages); with
// more, the sections are spread evenly over exactly MaxTopLevel groups
// dir/<lang>/gNN/, each with its own index.md (type: section), so that
// 10,000 pages make 20 groups of about 10 sections (dir/<lang>/gNN/sNNN/).
// Group index pages count towards pagesPerLang. Both languages have the same
// relative paths, which is how translations pair. Numbers get more digits
// when there are more than 99 sections or 99,999 pages.
func Generate(dir string, pagesPerLang int, seed int64) error {
	if pagesPerLang < 0 {
		return fmt.Errorf("corpus: pagesPerLang is %d; it must be at least 0", pagesPerLang)
	}
	if pagesPerLang == 0 {
		return nil
	}
	locs, folders := layout(pagesPerLang)

	var vocabs [2]*vocab
	vocabs[0] = newVocab(&dutch, mix(uint64(seed), 0x766f636162, 0), nil)
	vocabs[1] = newVocab(&english, mix(uint64(seed), 0x766f636162, 1), vocabs[0].set)
	for _, v := range vocabs {
		v.set = nil // only needed to keep the vocabularies apart
	}

	for _, lang := range languages {
		if err := os.MkdirAll(filepath.Join(dir, lang), 0o755); err != nil {
			return err
		}
		for _, d := range folders {
			if err := os.MkdirAll(filepath.Join(dir, lang, filepath.FromSlash(d)), 0o755); err != nil {
				return err
			}
		}
	}

	// Plan titles and headings of every page first, so that links can name
	// them and point at headings that exist.
	n := len(locs)
	plans := make([][]plan, len(languages))
	for l := range plans {
		plans[l] = make([]plan, n)
	}
	parallel.For(len(languages)*n, func(job int) {
		l, i := job/n, job%n
		r := newRand(seed, l, i, streamPlan)
		g := writer{r: r, z: rand.NewZipf(r, zipfS, zipfV, vocabSize-1), v: vocabs[l]}
		plans[l][i] = g.plan()
	})

	writers := sync.Pool{New: func() any { return new(writer) }} // each keeps its buffer
	errs := make([]error, len(languages)*n)
	parallel.For(len(languages)*n, func(job int) {
		l, i := job/n, job%n
		w := writers.Get().(*writer)
		defer writers.Put(w)
		w.r = newRand(seed, l, i, streamBody)
		w.z = rand.NewZipf(w.r, zipfS, zipfV, vocabSize-1)
		w.v = vocabs[l]
		w.buf = w.buf[:0]
		w.page(locs, plans[l], i, reviewedDate(seed, i))
		name := filepath.Join(dir, languages[l], filepath.FromSlash(locs[i].rel))
		if err := os.WriteFile(name, w.buf, 0o644); err != nil {
			errs[job] = fmt.Errorf("corpus: %w", err)
		}
	})
	// The partial languages have their pages only where translated: here, a
	// home page, so that the site builds and the figures stay those of the
	// two full languages.
	for _, l := range lang.All {
		if l.Fallback == "" {
			continue
		}
		code := l.Code
		home := "---\ntitle: Home " + code + "\ndescription: The home page of " + code + ".\ntype: home\nreviewed: 2026-11-23\n---\n\nHome.\n"
		if err := os.MkdirAll(filepath.Join(dir, code), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, code, "index.md"), []byte(home), 0o644); err != nil {
			errs = append(errs, fmt.Errorf("corpus: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Page kinds, with their front matter type.
const (
	kindHome = iota
	kindSection
	kindPage
)

var kindType = [...]string{kindHome: "home", kindSection: "section", kindPage: "page"}

// loc is where a page is, the same in every language.
type loc struct {
	rel    string // slash path inside the language folder, such as "g02/s013/p00123.md"
	dir    string // "" for the home page, else the page's folder, such as "g02/s013"
	kind   int
	first  int // index of the first page of the page's section or group (its index.md); 0 for home
	count  int // pages in that section or group, its index.md included
	weight int
}

// MaxTopLevel is the most folders the home page has directly under it, as
// on a real site whose main menu lists them. Sites with more sections than
// this put them in MaxTopLevel group folders.
const MaxTopLevel = 20

// layout places n pages: index 0 is the home page, then each section's
// index.md followed by its pages. It also returns the folders, parents
// before their children.
//
// Up to MaxTopLevel sections sit directly under the home page (sNN/). With
// more, they are spread evenly over exactly MaxTopLevel groups gNN/, each
// with an index.md of its own followed by its sections gNN/sNNN/; group
// index pages count towards n. Sections and pages are numbered across the
// whole site, so their names are unique.
func layout(n int) ([]loc, []string) {
	locs := []loc{{rel: "index.md", kind: kindHome, weight: 1, count: 1}}
	rest := n - 1
	if rest <= 0 {
		return locs, nil
	}
	ngroups := 0
	nsec := (rest + PagesPerSection) / (PagesPerSection + 1) // ceil(rest / 51)
	if nsec > MaxTopLevel {
		ngroups = MaxTopLevel
		rest -= ngroups
		nsec = (rest + PagesPerSection) / (PagesPerSection + 1) // at least MaxTopLevel
	}
	leaves := rest - nsec
	secWidth := max(2, len(strconv.Itoa(nsec)))
	pageWidth := max(5, len(strconv.Itoa(leaves)))
	var dirs []string
	p, s := 0, 0
	// section writes section s (counted from 0) into folder parent, as the
	// weight'th section there.
	section := func(parent string, weight int) {
		d := fmt.Sprintf("%ss%0*d", parent, secWidth, s+1)
		dirs = append(dirs, d)
		k := leaves / nsec
		if s < leaves%nsec {
			k++
		}
		s++
		first := len(locs)
		locs = append(locs, loc{rel: d + "/index.md", dir: d, kind: kindSection, first: first, count: k + 1, weight: weight})
		for j := range k {
			p++
			locs = append(locs, loc{
				rel: fmt.Sprintf("%s/p%0*d.md", d, pageWidth, p), dir: d, kind: kindPage,
				first: first, count: k + 1, weight: (j + 1) * 10,
			})
		}
	}
	if ngroups == 0 {
		for s < nsec {
			section("", s+1)
		}
		return locs, dirs
	}
	for g := range ngroups {
		d := fmt.Sprintf("g%02d", g+1)
		dirs = append(dirs, d)
		first := len(locs)
		locs = append(locs, loc{rel: d + "/index.md", dir: d, kind: kindSection, first: first, weight: g + 1})
		k := nsec / ngroups
		if g < nsec%ngroups {
			k++
		}
		for j := range k {
			section(d+"/", j+1)
		}
		locs[first].count = len(locs) - first // a group links into itself like a section
	}
	return locs, dirs
}

// relLink is the relative path from a page in folder fromDir ("" for the
// top of the language folder) to the page at to.
func relLink(fromDir string, to loc) string {
	up := 0
	for fromDir != "" && !strings.HasPrefix(to.rel, fromDir+"/") {
		up++
		if i := strings.LastIndexByte(fromDir, '/'); i >= 0 {
			fromDir = fromDir[:i]
		} else {
			fromDir = ""
		}
	}
	rel := to.rel
	if fromDir != "" {
		rel = rel[len(fromDir)+1:]
	}
	return strings.Repeat("../", up) + rel
}

// reviewedDate is the same for a page in every language.
func reviewedDate(seed int64, i int) string {
	r := newRand(seed, 0, i, streamDate)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return base.AddDate(0, 0, r.IntN(380)).Format(time.DateOnly) // up to 2026-01-15
}

// Random streams, so that each part of a page has its own generator.
const (
	streamPlan = 1 + iota
	streamBody
	streamDate
)

// newRand is the generator for one part of one page, independent of the
// order in which pages are generated.
func newRand(seed int64, lang, page int, stream uint64) *rand.Rand {
	a := mix(uint64(seed), stream, uint64(lang))
	return rand.New(rand.NewPCG(a, mix(a, uint64(page), stream)))
}

// mix hashes its arguments with SplitMix64 steps.
func mix(vals ...uint64) uint64 {
	var h uint64 = 0x9e3779b97f4a7c15
	for _, v := range vals {
		h ^= v
		h += 0x9e3779b97f4a7c15
		h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9
		h = (h ^ (h >> 27)) * 0x94d049bb133111eb
		h ^= h >> 31
	}
	return h
}

// A heading of a planned page. Its text is lower-case ASCII words, so its
// anchor is the words joined by dashes.
type heading struct {
	level int
	text  string
	slug  string
}

// plan is what other pages may know about a page: its title and headings.
type plan struct {
	title    []string // words, the first capitalised
	headings []heading
}

// writer renders pages. Each worker has one, to reuse its buffer.
type writer struct {
	r   *rand.Rand
	z   *rand.Zipf
	v   *vocab
	buf []byte
}

// word draws a word by frequency.
func (w *writer) word() string { return w.v.words[w.z.Uint64()] }

// contentWord draws a word that is not among the commonest; ascii asks for
// one without diacritics.
func (w *writer) contentWord(ascii bool) string {
	for {
		k := w.z.Uint64()
		if k >= contentRank && (!ascii || w.v.ascii[k]) {
			return w.v.words[k]
		}
	}
}

func (w *writer) plan() plan {
	var p plan
	for i := range 3 + w.r.IntN(4) {
		word := w.contentWord(false)
		if i == 0 {
			word = capitalize(word)
		}
		p.title = append(p.title, word)
	}
	seen := map[string]bool{}
	newHeading := func(level int) heading {
		for {
			var b []byte
			for i := range 2 + w.r.IntN(3) {
				if i > 0 {
					b = append(b, ' ')
				}
				b = append(b, w.contentWord(true)...)
			}
			text := string(b)
			slug := slugOf(text)
			if !seen[slug] {
				seen[slug] = true
				return heading{level, text, slug}
			}
		}
	}
	for range 3 + w.r.IntN(3) {
		p.headings = append(p.headings, newHeading(2))
		h3 := 0
		switch x := w.r.IntN(100); {
		case x >= 85:
			h3 = 2
		case x >= 50:
			h3 = 1
		}
		for range h3 {
			p.headings = append(p.headings, newHeading(3))
		}
	}
	return p
}

// slugOf is the anchor of a heading text made of lower-case ASCII words.
func slugOf(text string) string {
	b := []byte(text)
	for i, c := range b {
		if c == ' ' {
			b[i] = '-'
		}
	}
	return string(b)
}

func capitalize(s string) string {
	if s != "" && 'a' <= s[0] && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func (w *writer) printf(format string, args ...any) { w.buf = fmt.Appendf(w.buf, format, args...) }
func (w *writer) str(s string)                      { w.buf = append(w.buf, s...) }

// page renders page i of one language into w.buf.
func (w *writer) page(locs []loc, plans []plan, i int, reviewed string) {
	me, p := locs[i], &plans[i]

	w.str("---\ntitle:")
	for _, t := range p.title {
		w.str(" ")
		w.str(t)
	}
	w.str("\ndescription: ")
	w.description()
	w.printf("\nweight: %d\ntype: %s\nsources:\n", me.weight, kindType[me.kind])
	for range 1 + w.r.IntN(3) {
		w.str("  - title:")
		for j := range 2 + w.r.IntN(5) {
			w.str(" ")
			if j == 0 {
				w.str(capitalize(w.contentWord(false)))
			} else {
				w.str(w.word())
			}
		}
		w.printf("\n    url: https://example.org/%s/%s-%s/%d\n",
			w.contentWord(true), w.contentWord(true), w.contentWord(true), 1+w.r.IntN(9999))
	}
	w.printf("reviewed: %s\n---\n\n", reviewed)

	w.body(locs, plans, i)
}

// description writes one sentence of at most 150 bytes.
func (w *writer) description() {
	const limit = 149 // and a full stop
	n := 0
	for range 10 + w.r.IntN(14) {
		word := w.word()
		if n > 0 && n+1+len(word) > limit {
			break
		}
		if n == 0 {
			word = capitalize(word)
		} else {
			w.str(" ")
			n++
		}
		w.str(word)
		n += len(word)
	}
	w.str(".")
}

// link is an internal link placed in a paragraph.
type link struct {
	text []string
	dest string
}

// Body elements.
const (
	elPara = iota
	elHeading
	elBullets
	elNumbered
	elTable
)

type element struct {
	kind int
	n    int // paragraph: index into quotas; heading: index into headings
}

func (w *writer) body(locs []loc, plans []plan, i int) {
	p := &plans[i]

	// Which h2 sections hold the bullet list, numbered list and table.
	var h2 []int
	for j, h := range p.headings {
		if h.level == 2 {
			h2 = append(h2, j)
		}
	}
	blocks := map[int]int{} // heading index -> block element
	order := w.r.Perm(len(h2))
	for b, kind := range w.r.Perm(3) {
		blocks[h2[order[b]]] = elBullets + kind
	}

	// The order of elements, counting paragraphs.
	var els []element
	paras := 0
	para := func() {
		els = append(els, element{elPara, paras})
		paras++
	}
	para() // introduction
	for j, h := range p.headings {
		els = append(els, element{elHeading, j})
		para()
		if b, ok := blocks[j]; ok {
			els = append(els, element{kind: b})
		}
		if h.level == 2 && w.r.IntN(100) < 40 {
			para()
		}
	}

	// Blocks are rendered first to know how many words they take.
	var rendered [3][]byte
	used := 0
	for _, e := range els {
		switch e.kind {
		case elHeading:
			used += wordsIn(p.headings[e.n].text)
		case elBullets, elNumbered, elTable:
			start := len(w.buf)
			used += w.block(e.kind)
			rendered[e.kind-elBullets] = append([]byte(nil), w.buf[start:]...)
			w.buf = w.buf[:start]
		}
	}

	// Spread the remaining words over the paragraphs.
	budget := max(minBody+w.r.IntN(maxBody-minBody+1)-used, paras*12)
	weights := make([]float64, paras)
	sum := 0.0
	for j := range weights {
		weights[j] = 0.6 + 0.8*w.r.Float64()
		sum += weights[j]
	}
	quotas := make([]int, paras)
	left := budget
	for j := range quotas {
		quotas[j] = int(float64(budget) * weights[j] / sum)
		left -= quotas[j]
	}
	for ; left > 0; left-- {
		quotas[w.r.IntN(paras)]++
	}

	// Links, spread over distinct paragraphs as far as they go.
	links := make([][]link, paras)
	targets := map[int]bool{i: true}
	perm := w.r.Perm(paras)
	for k := range 3 + w.r.IntN(3) {
		t := w.target(locs, i, targets)
		targets[t] = true
		l := link{dest: relLink(locs[i].dir, locs[t])}
		if w.r.IntN(100) < 35 {
			hs := plans[t].headings
			l.dest += "#" + hs[w.r.IntN(len(hs))].slug
		}
		if title := plans[t].title; w.r.IntN(2) == 0 {
			n := min(len(title), 2+w.r.IntN(3))
			at := w.r.IntN(len(title) - n + 1)
			for _, word := range title[at : at+n] {
				l.text = append(l.text, lower(word))
			}
		} else {
			for range 2 + w.r.IntN(3) {
				l.text = append(l.text, w.word())
			}
		}
		pi := perm[k%paras]
		links[pi] = append(links[pi], l)
	}

	bold, italic := w.r.IntN(paras), w.r.IntN(paras)
	for _, e := range els {
		switch e.kind {
		case elPara:
			w.paragraph(quotas[e.n], links[e.n], e.n == bold, e.n == italic)
		case elHeading:
			h := p.headings[e.n]
			if h.level == 2 {
				w.str("## ")
			} else {
				w.str("### ")
			}
			w.str(h.text)
			w.str("\n\n")
		default:
			w.buf = append(w.buf, rendered[e.kind-elBullets]...)
		}
	}
	w.buf = w.buf[:len(w.buf)-1] // one newline at the end of the file
}

// target picks a page to link to: often one in the same section (from a
// group's index.md, the same group), never one in avoid.
func (w *writer) target(locs []loc, i int, avoid map[int]bool) int {
	me := locs[i]
	for range 20 {
		var t int
		if me.count > 1 && w.r.IntN(2) == 0 {
			t = me.first + w.r.IntN(me.count)
		} else {
			t = w.r.IntN(len(locs))
		}
		if !avoid[t] {
			return t
		}
	}
	for t := range locs { // tiny corpora
		if t != i {
			return t
		}
	}
	return i // a corpus of one page can only link to itself
}

// block renders a bullet list, numbered list or table and returns its word count.
func (w *writer) block(kind int) int {
	words := 0
	switch kind {
	case elBullets:
		for range 3 + w.r.IntN(4) {
			w.str("- ")
			for j := range 2 + w.r.IntN(8) {
				word := w.word()
				if j == 0 {
					word = capitalize(word)
				} else {
					w.str(" ")
				}
				w.str(word)
				words++
			}
			w.str("\n")
		}
	case elNumbered:
		for k := range 3 + w.r.IntN(3) {
			w.printf("%d. ", k+1)
			n := 5 + w.r.IntN(8)
			w.sentence(n, nil, 0, 0)
			words += n
			w.str("\n")
		}
	case elTable:
		w.str("|")
		for range 3 {
			w.str(" ")
			w.str(capitalize(w.contentWord(false)))
			w.str(" |")
			words++
		}
		w.str("\n| --- | --- | --- |\n")
		for range 4 {
			w.str("|")
			for c := range 3 {
				w.str(" ")
				if c == 2 && w.r.IntN(2) == 0 {
					w.printf("%d", w.r.IntN(2000))
				} else {
					for j := range 1 + w.r.IntN(3) {
						if j > 0 {
							w.str(" ")
						}
						w.str(w.word())
						words++
					}
				}
				w.str(" |")
			}
			w.str("\n")
		}
	}
	w.str("\n")
	return words
}

// paragraph writes sentences with exactly n words, link texts included.
func (w *writer) paragraph(n int, links []link, bold, italic bool) {
	var lens []int
	for left := n; left > 0; {
		k := 6 + w.r.IntN(14)
		if k > left || left-k < 5 {
			k = left
		}
		lens = append(lens, k)
		left -= k
	}
	// One link per sentence where possible, never as its first word.
	at := make([]*link, len(lens))
	for li := range links {
		l := &links[li]
		best := -1
		for _, s := range w.r.Perm(len(lens)) {
			if at[s] == nil && lens[s] >= len(l.text)+2 {
				best = s
				break
			}
		}
		if best < 0 { // more links than room: lengthen the last sentence
			best = len(lens) - 1
			if at[best] != nil {
				lens = append(lens, 0)
				at = append(at, nil)
				best++
			}
			lens[best] += len(l.text) + 1
		}
		at[best] = l
	}
	for s, k := range lens {
		if s > 0 {
			w.str(" ")
		}
		emph := 0
		if s == 0 && bold {
			emph |= emBold
		}
		if s == len(lens)-1 && italic {
			emph |= emItalic
		}
		w.sentence(k, at[s], emph, 1)
	}
	w.str("\n\n")
}

const (
	emBold = 1 << iota
	emItalic
)

// sentence writes n words ending in a full stop, with the link l (if any)
// at position from or later, and the forced emphasis emph on some words.
func (w *writer) sentence(n int, l *link, emph, from int) {
	linkAt := -1
	if l != nil {
		linkAt = from + w.r.IntN(n-len(l.text)-from+1)
	}
	// Forced emphasis goes on words outside the link, bold and italic on
	// different words where there is room, so that neither is lost.
	free := n
	if l != nil {
		free -= len(l.text)
	}
	pick := func(not int) int {
		for {
			j := w.r.IntN(n)
			if (linkAt < 0 || j < linkAt || j >= linkAt+len(l.text)) && (j != not || free < 2) {
				return j
			}
		}
	}
	boldAt, italicAt := -1, -1
	if emph&emBold != 0 {
		boldAt = pick(-1)
	}
	if emph&emItalic != 0 {
		italicAt = pick(boldAt)
	}
	for j := 0; j < n; j++ {
		if j > 0 {
			w.str(" ")
		}
		if j == linkAt {
			w.str("[")
			for k, word := range l.text {
				if k > 0 {
					w.str(" ")
				}
				w.str(word)
			}
			w.str("](")
			w.str(l.dest)
			w.str(")")
			j += len(l.text) - 1
		} else {
			word := w.word()
			if j == 0 {
				word = capitalize(word)
			}
			x := w.r.IntN(1000)
			switch {
			case j == boldAt || x < 8 && j != italicAt:
				w.str("**")
				w.str(word)
				w.str("**")
			case j == italicAt || x < 16:
				w.str("*")
				w.str(word)
				w.str("*")
			default:
				w.str(word)
			}
		}
		if j < n-1 && w.r.IntN(100) < 6 {
			w.str(",")
		}
	}
	if w.r.IntN(100) < 4 {
		w.str("?")
	} else {
		w.str(".")
	}
}

func wordsIn(s string) int {
	n := 1
	for i := range len(s) {
		if s[i] == ' ' {
			n++
		}
	}
	return n
}

// lower turns a capitalised word back into lower case.
func lower(s string) string {
	if s != "" && 'A' <= s[0] && s[0] <= 'Z' {
		return string(s[0]-'A'+'a') + s[1:]
	}
	return s
}

// vocab is a language's words by frequency rank.
type vocab struct {
	words []string
	ascii []bool
	set   map[string]struct{}
}

// phonology describes how a language's pseudo-words are built.
type phonology struct {
	onsets, medialOnsets []string // word-initial and word-internal consonants
	nuclei               []string
	codas, medialCodas   []string // word-final and syllable-final consonants
	vowelSuffixes        []string // suffixes that begin with a vowel
	consonantSuffixes    []string
	diacritics           bool // now and then ë or é, as in financiële or café
}

// Repeated entries are more frequent.
var dutch = phonology{
	onsets: []string{"", "", "", "b", "b", "d", "d", "g", "g", "h", "h", "k", "k", "l", "m", "m", "n", "p", "r",
		"s", "s", "t", "t", "v", "v", "w", "w", "z", "z", "j", "f", "sch", "st", "sp", "str", "kr", "gr", "br",
		"dr", "tr", "bl", "kl", "gl", "pl", "vl", "zw", "sl", "sn", "sm", "schr", "kn", "fr", "wr", "ch"},
	medialOnsets: []string{"b", "d", "d", "g", "g", "k", "l", "l", "m", "n", "n", "p", "r", "r", "s", "t", "t",
		"v", "w", "z", "ch", "st", "gr", "sch", "kl"},
	nuclei: []string{"a", "a", "a", "e", "e", "e", "e", "i", "i", "o", "o", "u", "aa", "ee", "oo", "uu", "ie",
		"oe", "ij", "ui", "ei", "ou", "au", "eu"},
	codas: []string{"", "", "", "n", "n", "n", "r", "r", "l", "k", "t", "t", "s", "m", "ng", "cht", "rd", "nd",
		"lt", "st", "ft", "ks", "ts", "rk", "rs", "ls", "mp", "nk", "p", "f", "g", "ld", "rt", "lk", "cht"},
	medialCodas:       []string{"", "", "", "", "n", "r", "l", "k", "t", "s", "m"},
	vowelSuffixes:     []string{"en", "en", "en", "ing", "er", "isch", "ig", "elijk"},
	consonantSuffixes: []string{"heid", "lijk", "te", "tje", "baar", "schap", "de", "nis", "ster"},
	diacritics:        true,
}

var english = phonology{
	onsets: []string{"", "", "", "b", "b", "c", "c", "d", "d", "f", "g", "h", "h", "j", "l", "l", "m", "m", "n",
		"p", "p", "r", "r", "s", "s", "t", "t", "v", "w", "w", "y", "th", "th", "sh", "ch", "wh", "st", "str",
		"pl", "pr", "tr", "cr", "gr", "fl", "bl", "sp", "sc", "sk", "br", "dr", "fr", "gl", "cl", "sl", "sn", "qu"},
	medialOnsets: []string{"b", "c", "d", "d", "f", "g", "l", "l", "m", "n", "n", "p", "r", "r", "s", "t", "t",
		"v", "th", "st", "pr", "tr"},
	nuclei: []string{"a", "a", "a", "e", "e", "e", "i", "i", "i", "o", "o", "u", "u", "ea", "ee", "oo", "ou",
		"ai", "oa", "ie", "ay", "ow", "oi", "y"},
	codas: []string{"", "", "", "ck", "ng", "nd", "st", "t", "t", "d", "n", "n", "m", "l", "ll", "ss", "rt", "sh",
		"th", "x", "ght", "rn", "ld", "nt", "mp", "nk", "p", "ft", "rk", "ble", "tch", "ce", "se", "ve", "ke", "te"},
	medialCodas:       []string{"", "", "", "", "n", "r", "l", "s", "t", "m", "c"},
	vowelSuffixes:     []string{"ing", "ing", "ed", "ed", "er", "able", "ous", "ity", "ive", "al"},
	consonantSuffixes: []string{"ly", "tion", "ness", "ment", "ful", "less", "ly"},
}

// newVocab makes vocabSize distinct words, shorter ones at higher ranks as in
// real text, none of them in exclude.
func newVocab(ph *phonology, seed uint64, exclude map[string]struct{}) *vocab {
	r := rand.New(rand.NewPCG(seed, mix(seed, 1)))
	v := &vocab{
		words: make([]string, 0, vocabSize),
		ascii: make([]bool, 0, vocabSize),
		set:   make(map[string]struct{}, vocabSize),
	}
	buf := make([]byte, 0, 32)
	for rank := 0; len(v.words) < vocabSize; rank++ {
		for try := 0; ; try++ {
			buf = ph.word(buf[:0], r, rank, try)
			if _, dup := v.set[string(buf)]; dup {
				continue
			}
			if _, dup := exclude[string(buf)]; dup {
				continue
			}
			word := string(buf)
			v.set[word] = struct{}{}
			v.words = append(v.words, word)
			v.ascii = append(v.ascii, isASCII(word))
			break
		}
	}
	return v
}

// word appends a word for the given frequency rank to b; retries after
// collisions allow longer words.
func (ph *phonology) word(b []byte, r *rand.Rand, rank, try int) []byte {
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	syllables, suffix := 1, false
	switch x := r.IntN(100); {
	case rank < 60:
	case rank < 1500:
		if x >= 40 {
			syllables = 2
		}
	case rank < 12000:
		syllables = 2
		if x >= 50 {
			syllables = 3
		}
		suffix = r.IntN(100) < 20
	default:
		syllables = 2 + r.IntN(3)
		suffix = r.IntN(100) < 35
	}
	syllables += try / 8
	for s := range syllables {
		if s == 0 {
			b = append(b, pick(ph.onsets)...)
		} else {
			b = append(b, pick(ph.medialOnsets)...)
		}
		b = append(b, pick(ph.nuclei)...)
		switch {
		case s < syllables-1:
			b = append(b, pick(ph.medialCodas)...)
		case rank < 60:
			b = append(b, pick(ph.medialCodas)...)
		default:
			b = append(b, pick(ph.codas)...)
		}
	}
	if suffix {
		if isVowel(b[len(b)-1]) {
			b = append(b, pick(ph.consonantSuffixes)...)
		} else {
			k := r.IntN(len(ph.vowelSuffixes) + len(ph.consonantSuffixes))
			if k < len(ph.vowelSuffixes) {
				b = append(b, ph.vowelSuffixes[k]...)
			} else {
				b = append(b, ph.consonantSuffixes[k-len(ph.vowelSuffixes)]...)
			}
		}
	}
	if ph.diacritics && rank >= 200 && r.IntN(1000) < 30 && !isVowel(b[len(b)-1]) {
		switch r.IntN(3) {
		case 0:
			b = append(b, "ië"...) // like materië
		case 1:
			b = append(b, "iële"...) // like financiële
		default:
			b = append(b, "é"...) // like logé
		}
	}
	return b
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
