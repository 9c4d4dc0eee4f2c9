package search

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/bg"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/lang/pl"
	"github.com/blevesearch/bleve/v2/analysis/lang/ro"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	bleveunicode "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// analyzerName is the one analyzer of every field of a language's index. One
// analyzer per index avoids bleve picking among several for a field at query time.
const analyzerName = "kb"

// Token filters of our own, registered with bleve so that an index's mapping can name them.
const (
	decompoundName = "kb_decompound" // splits Dutch compounds into words the site uses
	foldName       = "kb_fold"       // lower case without diacritics
	apostropheName = "kb_apostrophe" // Ukrainian: the apostrophe in a word left out, in every form it is typed
)

// apostrophes are the characters Ukrainian is written with for its apostrophe:
// the typewriter one, the right single quotation mark and the modifier letter.
const apostrophes = "'\u2019\u02bc"

// apostropheDropper takes apostrophes out of tokens: сім’я becomes сімя.
type apostropheDropper struct{}

func (apostropheDropper) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		if bytes.ContainsAny(t.Term, apostrophes) {
			t.Term = []byte(strings.Map(func(r rune) rune {
				if strings.ContainsRune(apostrophes, r) {
					return -1
				}
				return r
			}, string(t.Term)))
		}
	}
	return input
}

// folder lowers tokens and removes their diacritics. Unlike bleve's asciifolding
// character filter, it leaves the text as it is, so token offsets stay right for snippets.
type folder struct{}

func (folder) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		t.Term = []byte(fold(string(t.Term)))
	}
	return input
}

func init() {
	registry.RegisterTokenFilter(foldName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return folder{}, nil
	})
	registry.RegisterTokenFilter(apostropheName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return apostropheDropper{}, nil
	})
	registry.RegisterTokenFilter(decompoundName, func(config map[string]any, _ *registry.Cache) (analysis.TokenFilter, error) {
		// One string of lines, not a JSON list: the mapping is parsed at every
		// open, and one long string parses many times faster than a list of words.
		words, _ := config["words"].(string)
		d := decompounder{}
		for _, w := range strings.Split(words, "\n") {
			if w != "" {
				d[w] = true
			}
		}
		return d, nil
	})
}

// decompounder adds the two parts of a compound as extra tokens at the same position,
// when both parts are words of the site: arbeidsuitbuiting also yields arbeid and
// uitbuiting, so a search for uitbuiting finds it. A linking s or e between the parts
// (arbeid-s-uitbuiting, verblijf-s-vergunning) is dropped.
type decompounder map[string]bool

const (
	minCompound = 8 // shorter words are not split
	minPart     = 4 // nor into parts shorter than this
)

func (d decompounder) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input))
	for _, tok := range input {
		out = append(out, tok)
		for _, part := range d.split(string(tok.Term)) {
			t := *tok
			t.Term = []byte(part)
			out = append(out, &t)
		}
	}
	return out
}

func (d decompounder) split(w string) []string {
	if len(w) < minCompound {
		return nil
	}
	for i := len(w) - minPart; i >= minPart; i-- { // the longest head first
		head, tail := w[:i], w[i:]
		// Both parts must be words of the site; or else a known head of five
		// letters or more with a tail as long: verblijfs|vergunning.
		if !d[tail] && len(tail) < 5 {
			continue
		}
		if d[head] && (d[tail] || len(head) >= 5) {
			return []string{head, tail}
		}
		if link := head[len(head)-1]; (link == 's' || link == 'e') && len(head) > minPart {
			if h := head[:len(head)-1]; d[h] && (d[tail] || len(h) >= 5) {
				return []string{h, tail}
			}
		}
	}
	return nil
}

// Analyzers are the text analyses a language's index can use (Build's analyzer):
// the language registry names one for each language.
const (
	Dutch   = "nl" // words, lower case without diacritics, compounds split into the site's words, Dutch stop words and stems
	English = "en" // words, possessives dropped, lower case without diacritics, English stop words, Porter stems
	Plain   = ""   // words, lower case without diacritics

	// The partial languages: each language's stop words and stems (bleve's),
	// on the words as written; diacritics are folded last, so that a query
	// typed without them still matches.
	Polish    = "pl" // Polish stop words, stempel stems
	Romanian  = "ro" // Romanian stop words, Snowball stems
	Bulgarian = "bg" // Bulgarian stop words (bleve has no Bulgarian stemmer)
	Arabic    = "ar" // Arabic normalisation (alef forms, teh marbuta, no tatweel or harakat), stop words, light stems
	Ukrainian = "uk" // apostrophes (', ’, ʼ) taken out of words, so that сім'я, сім’я and сімʼя are one word; no stems
)

// indexMapping is the mapping of an index with the named analyzer. vocab is
// the site's vocabulary in the index's language, for splitting compounds.
func indexMapping(analyzer string, vocab []string) (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := m.AddCustomTokenFilter(foldName, map[string]any{"type": foldName}); err != nil {
		return nil, err
	}
	filters := []any{foldName}
	switch analyzer {
	case Plain:
	case Dutch:
		words := strings.Join(vocab, "\n")
		if err := m.AddCustomTokenFilter(decompoundName, map[string]any{"type": decompoundName, "words": words}); err != nil {
			return nil, err
		}
		filters = append(filters, decompoundName, nl.StopName, nl.SnowballStemmerName)
	case English:
		filters = []any{en.PossessiveName, foldName, en.StopName, porter.Name}
	case Polish:
		filters = []any{lowercase.Name, pl.StopName, pl.SnowballStemmerName, foldName}
	case Romanian:
		filters = []any{lowercase.Name, ro.StopName, ro.SnowballStemmerName, foldName}
	case Bulgarian:
		filters = []any{lowercase.Name, bg.StopName, foldName}
	case Arabic:
		filters = []any{lowercase.Name, ar.NormalizeName, ar.StopName, ar.StemmerName, foldName}
	case Ukrainian:
		if err := m.AddCustomTokenFilter(apostropheName, map[string]any{"type": apostropheName}); err != nil {
			return nil, err
		}
		filters = []any{apostropheName, foldName}
	default:
		return nil, fmt.Errorf("search: no analyzer %q; use one of %q", analyzer, []string{Dutch, English, Polish, Romanian, Bulgarian, Arabic, Ukrainian, Plain})
	}
	err := m.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"tokenizer":     bleveunicode.Name,
		"token_filters": filters,
	})
	if err != nil {
		return nil, fmt.Errorf("analyzer %q: %w", analyzer, err)
	}
	m.DefaultAnalyzer = analyzerName

	// No doc values on text: nothing sorts or facets on it, and they would double
	// the index. Term vectors (positions, for phrases) only on the short fields:
	// on the body text they would be most of the index, and snippets are made by
	// analysing the few texts shown instead.
	text := func(store, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzerName
		f.Store = store
		f.IncludeInAll = false
		f.DocValues = false
		f.IncludeTermVectors = vectors
		return f
	}
	storedOnly := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Index = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	section := bleve.NewKeywordFieldMapping() // for the section filter; facets come from the sidecar
	section.Analyzer = keyword.Name
	section.IncludeInAll = false
	section.IncludeTermVectors = false
	section.DocValues = false
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("title", text(false, true))
	doc.AddFieldMappingsAt("description", text(false, true))
	doc.AddFieldMappingsAt("heading", text(true, true))
	doc.AddFieldMappingsAt("text", text(true, false))
	doc.AddFieldMappingsAt("section", section)
	doc.AddFieldMappingsAt("asks", section)      // whole search terms, as asked() writes them
	doc.AddFieldMappingsAt("name", storedOnly()) // the page title, shown with section hits
	doc.AddFieldMappingsAt("summary", storedOnly())
	m.DefaultMapping = doc
	m.StoreDynamic = false
	m.IndexDynamic = false
	return m, nil
}

// asked is a query or search term as the "asks" field holds it: its words,
// lower case and without diacritics, one space apart. "Is dit mensenhandel?"
// and "is dit  mensenhandel" are the same question.
func asked(s string) string { return strings.Join(words(s), " ") }

// words returns the words of s, lower case and without diacritics, as the analyzer sees them before stemming.
func words(s string) []string {
	return strings.FieldsFunc(dropApostrophes(fold(s)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// dropApostrophes removes an apostrophe between two Cyrillic letters, as the
// Ukrainian analyser does (kb_apostrophe): комп’ютер, компʼютер and комп'ютер
// are one word, компютер, and not комп and ютер.
func dropApostrophes(s string) string {
	if !strings.ContainsAny(s, "'’ʼ") {
		return s
	}
	rs := []rune(s)
	out := rs[:0:0]
	for i, r := range rs {
		if (r == '\'' || r == '’' || r == 'ʼ') && i > 0 && i+1 < len(rs) && unicode.Is(unicode.Cyrillic, rs[i-1]) && unicode.Is(unicode.Cyrillic, rs[i+1]) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// fold lowers s and removes diacritics: Financiële → financiele.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii { // most words: no diacritics to remove, and ToLower copies only when it must
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// vocabulary counts the words of the docs and terms.
func vocabulary(docs []Doc, terms []Term) map[string]int {
	counts := map[string]int{}
	add := func(s string, n int) {
		for _, w := range words(s) {
			counts[w] += n
		}
	}
	for _, d := range docs {
		add(d.Title, 1)
		add(d.Heading, 1)
		add(d.Description, 1)
		add(d.Text, 1)
	}
	for _, t := range terms {
		add(t.Term, 2) // glossary words always count as words of the site
		for _, a := range t.Aliases {
			add(a, 2)
		}
	}
	return counts
}

// compoundParts is the vocabulary that compounds may be split into: words of at
// least minPart letters that occur more than once, sorted, so the index is the same every build.
func compoundParts(counts map[string]int) []string {
	var out []string
	for w, n := range counts {
		if n >= 2 && len(w) >= minPart && !isDigits(w) {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
