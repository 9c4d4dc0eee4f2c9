package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/kb-mensenhandel/kb/search/edit"
)

// Limits of one query. The work one query can cause has a ceiling: a query
// of 200 characters of word beginnings costs a few times a plain one, not a
// hundred times (cmd/kb's BenchmarkWorstQuery).
const (
	MaxQuery    = 200 // characters
	MaxWords    = 8   // words searched; those after are left out
	MaxLimit    = 50  // hits per page of results
	Window      = 500 // hits looked at: offset+limit may not pass it
	maxPrefixes = 3   // word beginnings looked for (prefix queries), the longest words first
	maxLoose    = 3   // words the loose look corrects, those the site does not use first
	maxNearby   = 2   // corrections of one word that the loose look adds
	maxPhrase   = 4   // words a phrase may have to count as one (titles and headings are short)
	searchTime  = 2 * time.Second
)

// capWords returns text with at most MaxWords words: a long query searches
// its first ones.
func capWords(text string) string {
	ws := strings.Fields(text)
	if len(ws) <= MaxWords {
		return text
	}
	return strings.Join(ws[:MaxWords], " ")
}

// Index is the opened, read-only indexes of all languages.
type Index struct {
	langs map[string]*langIndex
	// Others are, by language, the languages whose pages a query that finds
	// nothing in its own is looked for in, in order: a partial language's
	// fallback first. Without an entry, every other language, by code.
	Others map[string][]string
}

type langIndex struct {
	lang     string
	bleve    bleve.Index
	vocab    map[string]int
	byLen    map[int][]vocabWord // the vocabulary by word length, for suggestions
	sections map[string]string   // page URL → site section
	byName   map[string]*Term    // folded term or alias → entry
	byKey    map[string]*Term
}

// Open opens the indexes of langs under dir (dir/<lang>/) read-only, as
// build wrote them; with langs nil, every folder in dir. A language that
// cannot be opened is left out: the others answer, and the error says which
// failed. Only when none opened is the Index nil.
func Open(dir string, langs []string) (*Index, error) {
	if langs == nil {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("open search index: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				langs = append(langs, e.Name())
			}
		}
	}
	// Side by side: opening is most of a cold start, and each language is one core's work.
	opened := make([]*langIndex, len(langs))
	errs := make([]error, len(langs))
	var wg sync.WaitGroup
	for i, lang := range langs {
		wg.Go(func() { opened[i], errs[i] = openLang(filepath.Join(dir, lang), lang) })
	}
	wg.Wait()
	ix := &Index{langs: map[string]*langIndex{}}
	for i, li := range opened {
		if li != nil {
			ix.langs[langs[i]] = li
		}
	}
	err := errors.Join(errs...)
	if len(ix.langs) == 0 {
		if err == nil {
			err = fmt.Errorf("open search index: %s holds no language index; run kb build", dir)
		}
		return nil, err
	}
	return ix, err
}

func openLang(dir, lang string) (*langIndex, error) {
	b, err := bleve.OpenUsing(filepath.Join(dir, bleveDir), map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("open %s search index: %w", lang, err)
	}
	side, err := readSidecar(filepath.Join(dir, termsFile))
	if err != nil {
		b.Close()
		return nil, err
	}
	li := &langIndex{lang: lang, bleve: b, vocab: side.Vocab, sections: side.Sections, byLen: map[int][]vocabWord{}, byName: map[string]*Term{}, byKey: map[string]*Term{}}
	for w, n := range side.Vocab {
		l := len(w)
		li.byLen[l] = append(li.byLen[l], vocabWord{w, n, letters(w)})
	}
	for i := range side.Terms {
		t := &side.Terms[i]
		li.byKey[t.Key] = t
		for _, name := range append([]string{t.Term}, t.Aliases...) {
			li.byName[strings.Join(words(name), " ")] = t
		}
	}
	return li, nil
}

// Close closes all indexes.
func (ix *Index) Close() error {
	var errs []error
	for _, li := range ix.langs {
		errs = append(errs, li.bleve.Close())
	}
	return errors.Join(errs...)
}

// HasLang reports whether the index has the language.
func (ix *Index) HasLang(lang string) bool { return ix.langs[lang] != nil }

// Query is one search, as the endpoint accepts it.
type Query struct {
	Text    string
	Lang    string
	Section string // only hits in this site section
	Limit   int    // hits per page of results
	Offset  int    // hits before this page: (page - 1) * Limit
}

// Result is the answer to a Query; its JSON is the endpoint's answer.
//
// Total counts the pages found (in Section, when it is set); Facets count
// them by site section, whatever Section is, so that a filter shows how many
// pages each section has. The Hits are one page of them: Limit from Offset.
type Result struct {
	Query      string                    `json:"query"`
	Lang       string                    `json:"lang"`
	Section    string                    `json:"section,omitempty"`
	Total      int                       `json:"total"`
	Offset     int                       `json:"offset"`
	Limit      int                       `json:"limit"`
	Page       int                       `json:"page"`  // the page of results these hits are, from 1
	Pages      int                       `json:"pages"` // how many pages of Limit hits Total makes
	TookMS     float64                   `json:"took_ms"`
	Definition *Definition               `json:"definition"`
	Suggestion *string                   `json:"suggestion"`
	Facets     map[string]map[string]int `json:"facets"`
	Hits       []Hit                     `json:"hits"`
}

// Definition is a glossary entry shown above the results.
type Definition struct {
	Term   string `json:"term"`
	Text   string `json:"text"`
	Source string `json:"source"`
	URL    string `json:"url"`
	Lang   string `json:"lang,omitempty"` // when not the language searched in
}

// Hit is one result: a page, or a section of it (URL with #id).
type Hit struct {
	URL     string  `json:"url"`
	Title   string  `json:"title"`             // the page's title
	Heading string  `json:"heading,omitempty"` // the h2 heading, when the hit is a section of the page
	Lang    string  `json:"lang"`
	Section string  `json:"section"`
	Snippet string  `json:"snippet"` // HTML-escaped text; <mark> and </mark> are its only tags
	Score   float64 `json:"score"`
}

// Search answers q. The query text is matched as plain words, never as query syntax.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	start := time.Now()
	li := ix.langs[q.Lang]
	if li == nil {
		return nil, fmt.Errorf("no search index for language %q", q.Lang)
	}
	ctx, cancel := context.WithTimeout(ctx, searchTime)
	defer cancel()
	res := &Result{Query: q.Text, Lang: q.Lang, Facets: map[string]map[string]int{"section": {}}, Hits: []Hit{}}

	// A glossary term, in this language or another, gives its definition and
	// bridges the query to this language's term.
	var text string
	res.Definition, text = ix.term(li, capWords(q.Text))

	pages, facets, err := li.pages(ctx, text, false)
	if err != nil {
		return nil, err
	}
	// Little found, or a word the site never uses (a typo that still matched
	// through a compound part, such as mensen|hndel): look again, loosely, and
	// say what was probably meant.
	if len(pages) < 3 || li.unknownWord(text) {
		close := li.closeWords(li.looseWords(text))
		loose := li.neighbours(text, close)
		if more, f, err := li.pages(ctx, loose, true); err == nil && len(more) >= len(pages) {
			pages, facets, text = more, f, loose
		}
		if s := li.suggest(capWords(q.Text), close); s != "" {
			res.Suggestion = &s
			if res.Definition == nil { // what was meant may be a term: its card, as if it had been typed
				res.Definition, _ = ix.term(li, s)
			}
		}
	}
	if first, err := li.answering(ctx, q.Text); err != nil {
		return nil, err
	} else if len(first) > 0 {
		pages = putFirst(pages, first, facets, li.sections)
	}
	lang := q.Lang
	if len(pages) == 0 { // nothing in this language: look in the others, and label the hits
		for _, other := range ix.others(q.Lang) {
			if found, f, err := ix.langs[other].pages(ctx, text, false); err == nil && len(found) > 0 {
				li, lang, pages, facets = ix.langs[other], other, found, f
				if first, err := li.answering(ctx, q.Text); err == nil && len(first) > 0 {
					pages = putFirst(pages, first, facets, li.sections) // the page that language's editors made its answer
				}
				break
			}
		}
	}
	res.Facets["section"] = facets
	if q.Section != "" {
		res.Section = q.Section
		in := pages[:0:0]
		for _, p := range pages {
			if li.sections[p.page()] == q.Section {
				in = append(in, p)
			}
		}
		pages = in
	}
	res.Total, res.Offset, res.Limit = len(pages), q.Offset, q.Limit
	res.Page, res.Pages = q.Offset/max(q.Limit, 1)+1, (len(pages)+q.Limit-1)/max(q.Limit, 1)
	from, to := min(q.Offset, len(pages)), min(q.Offset+q.Limit, len(pages))
	hits, err := li.hits(ctx, text, pages[from:to], lang)
	if err != nil {
		return nil, err
	}
	res.Hits = hits
	res.TookMS = math.Round(float64(time.Since(start).Microseconds())/10) / 100
	return res, nil
}

// others are the languages to look in when lang finds nothing: those of
// ix.Others, or else every other language, by code.
func (ix *Index) others(lang string) []string {
	if o, ok := ix.Others[lang]; ok {
		return slices.DeleteFunc(slices.Clone(o), func(l string) bool { return ix.langs[l] == nil })
	}
	return slices.DeleteFunc(ix.sortedLangs(), func(l string) bool { return l == lang })
}

func (ix *Index) sortedLangs() []string {
	var out []string
	for l := range ix.langs {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

func definition(t *Term) *Definition {
	return &Definition{Term: t.Term, Text: t.Definition, Source: t.Source, URL: t.URL, Lang: t.Lang}
}

// term looks text up in the glossaries: in li's language, or else in
// another, where the entry's translation in li's language is the one shown.
// It returns the definition, or nil, and the text to search for: text, with
// the term added when text is an alias or the term in another language.
func (ix *Index) term(li *langIndex, text string) (*Definition, string) {
	name := strings.Join(words(text), " ")
	if t := li.byName[name]; t != nil {
		if fold(t.Term) != name {
			return definition(t), text + " " + t.Term // an alias: look for the term too
		}
		return definition(t), text
	}
	for _, other := range ix.sortedLangs() {
		if other == li.lang {
			continue
		}
		if t := ix.langs[other].byName[name]; t != nil {
			if own := li.byKey[t.Key]; own != nil {
				return definition(own), text + " " + own.Term
			}
			return definition(t), text
		}
	}
	return nil, text
}

// pageHit is the best doc of one page.
type pageHit struct {
	id    string
	score float64
}

// page is the URL of the hit's page, without #section.
func (p pageHit) page() string {
	page, _, _ := strings.Cut(p.id, "#")
	return page
}

// fieldBoosts weigh where a word is found. Phrases are looked for only where
// the index keeps word positions (see indexMapping): on the body text a phrase
// query would walk every doc with all the words and never match.
var fieldBoosts = []struct {
	field     string
	boost     float64
	positions bool
}{{"title", 4, true}, {"heading", 2.5, true}, {"description", 1.5, true}, {"text", 1, false}}

// textQuery matches text's words in every field. Words of five letters or more
// also match as the start of longer words in titles, with less weight: smokkel
// finds Smokkelaars. A loose query, for when that finds little, also looks for
// them at the start of words in the text, and takes text with the likely
// corrections of its words (neighbours): any word counts, at half the weight,
// and their order does not. Prefixes in the text are left to the loose query
// because a common stem can begin hundreds of words.
func (li *langIndex) textQuery(text string, loose bool) query.Query {
	var should []query.Query
	prefixed := []string{"title"}
	if loose {
		prefixed = append(prefixed, "text")
	}
	var long []string // the stems to look for as beginnings: the longest few
	for _, stem := range li.stems(text) {
		if len(stem) >= 5 && !slices.Contains(long, stem) {
			long = append(long, stem)
		}
	}
	sort.SliceStable(long, func(i, j int) bool { return len(long[i]) > len(long[j]) })
	for _, stem := range long[:min(len(long), maxPrefixes)] {
		for _, f := range prefixed {
			p := bleve.NewPrefixQuery(stem)
			p.SetField(f)
			p.SetBoost(0.3)
			should = append(should, p)
		}
	}
	n := len(words(text))
	for _, f := range fieldBoosts {
		m := bleve.NewMatchQuery(text)
		m.SetField(f.field)
		m.SetBoost(f.boost)
		if loose {
			m.SetBoost(f.boost / 2)
		}
		should = append(should, m)
		if n > 1 && n <= maxPhrase && !loose && f.positions { // the words together, in order, count for more
			p := bleve.NewMatchPhraseQuery(text)
			p.SetField(f.field)
			p.SetBoost(2 * f.boost)
			should = append(should, p)
		}
	}
	return bleve.NewDisjunctionQuery(should...)
}

// stems are text's words as the index stores them: analysed, stemmed, stop words left out.
func (li *langIndex) stems(text string) []string {
	a := li.bleve.Mapping().AnalyzerNamed(analyzerName)
	if a == nil {
		return nil
	}
	var out []string
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

func longest(text string) int {
	n := 0
	for _, w := range words(text) {
		n = max(n, len([]rune(w)))
	}
	return n
}

// pages finds the docs that match and keeps the best one of each page, best
// first, with the number of pages per site section. It loads no stored fields
// and computes no facets in bleve: a doc's ID is its URL, the page is the URL
// without #section, and the sidecar knows each page's section (so a section
// filter is applied to this list, and the counts of the other sections stay).
func (li *langIndex) pages(ctx context.Context, text string, loose bool) ([]pageHit, map[string]int, error) {
	var q query.Query = li.textQuery(text, loose)
	req := bleve.NewSearchRequestOptions(q, Window, 0, false)
	res, err := li.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	var out []pageHit
	facets := map[string]int{}
	for _, h := range res.Hits {
		page, _, _ := strings.Cut(h.ID, "#")
		if seen[page] {
			continue
		}
		seen[page] = true
		out = append(out, pageHit{id: h.ID, score: h.Score})
		if s := li.sections[page]; s != "" {
			facets[s]++
		}
	}
	return out, facets, nil
}

// answering finds the pages that name the query, as typed, among their
// search terms (Doc.SearchTerms): an editor has said they are its answer.
func (li *langIndex) answering(ctx context.Context, text string) ([]pageHit, error) {
	q := bleve.NewTermQuery(asked(text))
	q.SetField("asks")
	res, err := li.bleve.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 3, 0, false))
	if err != nil {
		return nil, err
	}
	var out []pageHit
	for _, h := range res.Hits {
		out = append(out, pageHit{id: h.ID, score: h.Score})
	}
	return out, nil
}

// putFirst puts the pages of first before the others, each page once, and
// counts a page that was not among them in its section's facet.
func putFirst(pages, first []pageHit, facets map[string]int, sections map[string]string) []pageHit {
	out := slices.Clone(first)
	for _, p := range pages {
		if !slices.ContainsFunc(first, func(f pageHit) bool { return f.id == p.page() }) {
			out = append(out, p)
		}
	}
	for _, f := range first {
		if !slices.ContainsFunc(pages, func(p pageHit) bool { return p.page() == f.id }) {
			if s := sections[f.id]; s != "" {
				facets[s]++
			}
		}
	}
	return out
}

// hits loads the stored fields of the chosen docs and makes their snippets.
func (li *langIndex) hits(ctx context.Context, text string, chosen []pageHit, lang string) ([]Hit, error) {
	if len(chosen) == 0 {
		return []Hit{}, nil
	}
	ids := make([]string, len(chosen))
	for i, c := range chosen {
		ids[i] = c.id
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{"name", "section", "summary", "heading", "text"}
	res, err := li.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	byID := map[string]*bsearch.DocumentMatch{}
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	stems := li.stems(text)
	out := make([]Hit, 0, len(chosen))
	for _, c := range chosen {
		h := byID[c.id]
		if h == nil {
			continue
		}
		str := func(f string) string { s, _ := h.Fields[f].(string); return s }
		snip := snippet(str("text"), matches(str("text"), stems))
		if snip == "" {
			snip = snippet(str("summary"), nil)
		}
		out = append(out, Hit{URL: h.ID, Title: str("name"), Heading: str("heading"), Lang: lang, Section: str("section"), Snippet: snip, Score: math.Round(c.score*1000) / 1000})
	}
	return out, nil
}

// vocabWord is a word of the site with how often it is used and which letters it has.
type vocabWord struct {
	word string
	n    int
	mask uint32
}

// letters sets one bit per letter a word has (a to z; other runes share the rest).
// Two edits change at most four bits, so most words are ruled out by one XOR.
func letters(w string) uint32 {
	var m uint32
	for _, r := range w {
		if r >= 'a' && r <= 'z' {
			m |= 1 << (r - 'a')
		} else {
			m |= 1 << (26 + r%6)
		}
	}
	return m
}

// closeWord is a word of the site near a query word.
type closeWord struct {
	word    string
	d, uses int // edits from the query word; how often the site uses it
}

// closeWords returns, for each of ws of four letters or more, the site's words
// within two edits of it, closest and then most used first. Scanning the
// vocabulary is cheap: words of another length are skipped by bucket, and most
// others by one XOR of their letter masks. Unlike bleve's fuzzy queries, it
// builds no Levenshtein automaton per query and field.
func (li *langIndex) closeWords(ws []string) map[string][]closeWord {
	const maxDist = 2
	out := map[string][]closeWord{}
	for _, w := range ws {
		if _, done := out[w]; done || len([]rune(w)) < 4 {
			continue
		}
		var found []closeWord
		mask := letters(w)
		for l := len(w) - maxDist; l <= len(w)+maxDist; l++ {
			for _, v := range li.byLen[l] {
				if bits.OnesCount32(mask^v.mask) > 2*maxDist || v.word == w {
					continue
				}
				if d := edit.Distance(w, v.word, maxDist+1); d <= maxDist {
					found = append(found, closeWord{v.word, d, v.n})
				}
			}
		}
		sort.Slice(found, func(i, j int) bool {
			a, b := found[i], found[j]
			if a.d != b.d {
				return a.d < b.d
			}
			if a.uses != b.uses {
				return a.uses > b.uses
			}
			return a.word < b.word
		})
		out[w] = found
	}
	return out
}

// looseWords are the words of text that the loose look corrects: at most
// maxLoose, those the site does not use first, then the longest.
func (li *langIndex) looseWords(text string) []string {
	var ws []string
	for _, w := range words(text) {
		if !slices.Contains(ws, w) {
			ws = append(ws, w)
		}
	}
	sort.SliceStable(ws, func(i, j int) bool {
		ui, uj := li.vocab[ws[i]] == 0, li.vocab[ws[j]] == 0
		if ui != uj {
			return ui
		}
		return len(ws[i]) > len(ws[j])
	})
	return ws[:min(len(ws), maxLoose)]
}

// unknownWord reports whether text has a word of four letters or more that the site does not use.
func (li *langIndex) unknownWord(text string) bool {
	for _, w := range words(text) {
		if len([]rune(w)) >= 4 && li.vocab[w] == 0 {
			return true
		}
	}
	return false
}

// neighbours returns text with the likely corrections of its words added: the
// three site words closest to each, within one edit, or two in a long word.
func (li *langIndex) neighbours(text string, close map[string][]closeWord) string {
	ws := words(text)
	out := ws
	for _, w := range ws {
		maxEdits := 1
		if len([]rune(w)) > 7 {
			maxEdits = 2
		}
		for i, c := range close[w] {
			if i == maxNearby || c.d > maxEdits {
				break
			}
			out = append(out, c.word)
		}
	}
	return strings.Join(out, " ")
}

// suggest returns text with each word the site does not use replaced by the
// closest site word, or "" when nothing changed.
func (li *langIndex) suggest(text string, close map[string][]closeWord) string {
	ws := words(text)
	changed := false
	for i, w := range ws {
		if li.vocab[w] > 0 {
			continue
		}
		if c := close[w]; len(c) > 0 {
			ws[i], changed = c[0].word, true
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(ws, " ")
}
