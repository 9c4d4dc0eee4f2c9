package search

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
)

func testIndex(t testing.TB) *Index {
	t.Helper()
	ix, _ := testIndexDir(t)
	return ix
}

// testIndexDir builds a small index of both languages and opens it.
func testIndexDir(t testing.TB) (*Index, string) {
	t.Helper()
	dir := t.TempDir()
	nl := []Doc{
		{URL: "/nl/mensenhandel/", Title: "Wat is mensenhandel?", Description: "Uitleg over mensenhandel en artikel 273f.", Section: "Mensenhandel", Type: "section", Text: "Mensenhandel is iemand werven of vervoeren om die persoon uit te buiten."},
		{URL: "/nl/mensenhandel/#straffen", Title: "Wat is mensenhandel?", Heading: "Straffen", Section: "Mensenhandel", Type: "section", Text: "Artikel 273f Wetboek van Strafrecht noemt de straffen. Financiële uitbuiting komt ook voor."},
		{URL: "/nl/mensenhandel/uitbuiting/", Title: "Vormen van uitbuiting", Description: "Seksuele uitbuiting, arbeidsuitbuiting en criminele uitbuiting.", Section: "Mensenhandel", Type: "page", Text: "Bij arbeidsuitbuiting werkt iemand onder dwang voor weinig geld. Arbeid moet eerlijk zijn, ook arbeid in de kas."},
		{URL: "/nl/werk/", Title: "Werk in de kassen", Description: "Een voorbeeld.", Section: "Voorbeelden", Type: "page", Text: "Zij deed arbeidsuitbuiting na, zegt de krant: arbeidsuitbuiting in de kas."},
		{URL: "/nl/mensensmokkel/", Title: "Wat is mensensmokkel?", Description: "Artikel 197a Sr.", Section: "Mensensmokkel", Type: "page", Text: "Smokkelaars helpen mensen de grens over. Mensensmokkel staat in artikel 197a."},
		{URL: "/nl/verblijfsregeling/", Title: "Verblijfsregeling mensenhandel", Description: "Hoofdstuk B8/3 van de Vreemdelingencirculaire.", Section: "Verblijfsregeling", Type: "section", Text: "Een slachtoffer kan verblijf krijgen. Het verblijf is tijdelijk. Zie artikel 3.48 Vreemdelingenbesluit en B8/3 Vc."},
		{URL: "/nl/begrippen/bedenktijd/", Title: "Bedenktijd", Description: "Tijd om na te denken.", Section: "Begrippen", Type: "glossary", Text: "Bedenktijd is tijd om na te denken over aangifte."},
	}
	nlTerms := []Term{
		{Key: "begrippen/bedenktijd.md", Term: "Bedenktijd", Aliases: []string{"bedenkperiode"}, Definition: "Tijd om na te denken over aangifte.", Source: "Vreemdelingencirculaire B8/3", URL: "/nl/begrippen/bedenktijd/"},
		{Key: "begrippen/uitbuiting.md", Term: "Uitbuiting", Definition: "Voordeel halen uit het werk van een ander.", Source: "Wetboek van Strafrecht", URL: "/nl/begrippen/uitbuiting/"},
	}
	en := []Doc{
		{URL: "/en/human-trafficking/", Title: "What is human trafficking?", Description: "Trafficking explained.", Section: "Human trafficking", Type: "section", Text: "A person is trafficked when someone recruits them by force to exploit them."},
		{URL: "/en/glossary/reflection-period/", Title: "Reflection period", Description: "Time to think.", Section: "Glossary", Type: "glossary", Text: "The reflection period is time to think about reporting."},
		{URL: "/en/only-english/", Title: "Only in English", Description: "Seasonal work.", Section: "Examples", Type: "page", Text: "Greenhouse workers were recruited abroad."},
	}
	enTerms := []Term{
		{Key: "begrippen/bedenktijd.md", Term: "Reflection period", Definition: "Time to think about reporting.", Source: "Aliens Act Implementation Guidelines B8/3", URL: "/en/glossary/reflection-period/"},
	}
	if err := Build(filepath.Join(dir, "nl"), Dutch, nl, nlTerms); err != nil {
		t.Fatal(err)
	}
	if err := Build(filepath.Join(dir, "en"), English, en, enTerms); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, dir
}

// TestIndexIsWorldReadable: kb search may run as another user than kb build.
func TestIndexIsWorldReadable(t *testing.T) {
	_, dir := testIndexDir(t)
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if perm := fi.Mode().Perm(); perm&0o004 == 0 || d.IsDir() && perm&0o001 == 0 { // others: read; and enter folders
			t.Errorf("%s has mode %v; others cannot read it", name, fi.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSearch(t *testing.T) {
	ix := testIndex(t)
	for _, tc := range []struct {
		lang, q string
		top     string // URL that must be among the first three hits
		def     string // definition term, if any
		sugg    string // suggestion, if any
	}{
		{"nl", "mensenhandel", "/nl/mensenhandel/", "", ""},
		{"nl", "smokkelaars", "/nl/mensensmokkel/", "", ""},
		{"nl", "smokkel", "/nl/mensensmokkel/", "", ""},
		{"nl", "uitbuiting", "/nl/werk/", "Uitbuiting", ""},                              // only says arbeidsuitbuiting
		{"nl", "financiele", "/nl/mensenhandel/#straffen", "", ""},                       // folds ë
		{"nl", "273f", "/nl/mensenhandel/", "", ""},                                      // codes
		{"nl", "197a", "/nl/mensensmokkel/", "", ""},                                     //
		{"nl", "B8/3", "/nl/verblijfsregeling/", "", ""},                                 //
		{"nl", "3.48", "/nl/verblijfsregeling/", "", ""},                                 //
		{"nl", "mensenhndel", "/nl/mensenhandel/", "", "mensenhandel"},                   // typo
		{"nl", "verblijfsvergunning", "/nl/verblijfsregeling/", "", ""},                  // compound → verblijf
		{"nl", "reflection period", "/nl/begrippen/bedenktijd/", "Bedenktijd", ""},       // English term on the Dutch site
		{"nl", "bedenkperiode", "/nl/begrippen/bedenktijd/", "Bedenktijd", ""},           // alias
		{"en", "trafficking", "/en/human-trafficking/", "", ""},                          // trafficked ~ trafficking
		{"en", "traficking", "/en/human-trafficking/", "", "trafficking"},                // typo
		{"en", "bedenktijd", "/en/glossary/reflection-period/", "Reflection period", ""}, // Dutch term on the English site
	} {
		res, err := ix.Search(context.Background(), Query{Text: tc.q, Lang: tc.lang, Limit: 10})
		if err != nil {
			t.Errorf("Search(%s, %q): %v", tc.lang, tc.q, err)
			continue
		}
		var urls []string
		for _, h := range res.Hits {
			page, _, _ := strings.Cut(h.URL, "#")
			if !strings.Contains(tc.top, "#") {
				urls = append(urls, page) // any hit in the page counts
			} else {
				urls = append(urls, h.URL)
			}
		}
		if i := indexOf(urls, tc.top); i < 0 || i > 2 {
			t.Errorf("Search(%s, %q) = %v; want %s in the top 3", tc.lang, tc.q, urls, tc.top)
		}
		if got := ""; res.Definition != nil {
			got = res.Definition.Term
			if got != tc.def {
				t.Errorf("Search(%s, %q).Definition = %q; want %q", tc.lang, tc.q, got, tc.def)
			}
		} else if tc.def != "" {
			t.Errorf("Search(%s, %q) has no definition; want %q", tc.lang, tc.q, tc.def)
		}
		if tc.sugg != "" && (res.Suggestion == nil || *res.Suggestion != tc.sugg) {
			t.Errorf("Search(%s, %q).Suggestion = %v; want %q", tc.lang, tc.q, deref(res.Suggestion), tc.sugg)
		}
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func TestOtherLanguageHitsAreLabelled(t *testing.T) {
	ix := testIndex(t)
	res, err := ix.Search(context.Background(), Query{Text: "greenhouse", Lang: "nl", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].Lang != "en" || res.Hits[0].URL != "/en/only-english/" {
		t.Errorf("hits = %+v; want the English page, labelled en", res.Hits)
	}
}

func TestSnippetMarksAndEscapes(t *testing.T) {
	ix := testIndex(t)
	res, err := ix.Search(context.Background(), Query{Text: "arbeidsuitbuiting", Lang: "nl", Limit: 10})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("no hits: %v", err)
	}
	s := res.Hits[0].Snippet
	if !strings.Contains(s, "<mark>arbeidsuitbuiting</mark>") {
		t.Errorf("snippet %q does not mark the word", s)
	}
	clean := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
	if strings.ContainsAny(clean, "<>") {
		t.Errorf("snippet %q has tags besides <mark>", s)
	}
}

func TestDecompound(t *testing.T) {
	d := decompounder{"arbeid": true, "uitbuiting": true, "verblijf": true, "mensen": true, "handel": true, "bedenk": true}
	for in, want := range map[string]string{
		"arbeidsuitbuiting":   "arbeid uitbuiting",
		"verblijfsvergunning": "verblijf vergunning",
		"mensenhandel":        "mensen handel",
		"handel":              "",
		"uitbuitingen":        "",
		"bedenktijd":          "", // tijd is not a word of the site, and too short to trust
	} {
		if got := strings.Join(d.split(in), " "); got != want {
			t.Errorf("split(%q) = %q; want %q", in, got, want)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestFacetsCountPages checks that section facets count result pages, as Total does.
func TestFacetsCountPages(t *testing.T) {
	ix := testIndex(t)
	res, err := ix.Search(context.Background(), Query{Text: "uitbuiting", Lang: "nl", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, n := range res.Facets["section"] {
		sum += n
	}
	if sum != res.Total || res.Facets["section"]["Mensenhandel"] < 1 {
		t.Errorf("facets %v, total %d: want counts per section that add up to the total", res.Facets, res.Total)
	}
	filtered, err := ix.Search(context.Background(), Query{Text: "uitbuiting", Lang: "nl", Section: "Voorbeelden", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range filtered.Hits {
		if h.Section != "Voorbeelden" {
			t.Errorf("section filter let %s (%s) through", h.URL, h.Section)
		}
	}
	if filtered.Total == 0 {
		t.Error("section filter found nothing")
	}
}

// countQueries counts the leaf queries of q: the work bleve does grows with them.
func countQueries(q query.Query) int {
	switch q := q.(type) {
	case *query.DisjunctionQuery:
		n := 0
		for _, c := range q.Disjuncts {
			n += countQueries(c)
		}
		return n
	case *query.ConjunctionQuery:
		n := 0
		for _, c := range q.Conjuncts {
			n += countQueries(c)
		}
		return n
	}
	return 1
}

// TestQueryCostHasACeiling: however long the query, the queries bleve runs
// and the words the loose look corrects stay within fixed bounds, and the
// costliest query answers well within its deadline.
func TestQueryCostHasACeiling(t *testing.T) {
	ix := testIndex(t)
	li := ix.langs["nl"]
	var stems []string
	for i := range 40 {
		stems = append(stems, fmt.Sprintf("woord%c%c", 'a'+i%26, 'a'+i/26))
	}
	worst := strings.Join(stems, " ")[:MaxQuery]
	short := li.textQuery("mensenhandel", false)
	for _, loose := range []bool{false, true} {
		q := li.textQuery(capWords(worst), loose)
		if n, limit := countQueries(q), 2*countQueries(short)+2*maxPrefixes+maxPhrase; n > limit {
			t.Errorf("a query of %d words (loose %v) runs %d queries; want at most %d", len(strings.Fields(worst)), loose, n, limit)
		}
	}
	if ws := li.looseWords(worst); len(ws) > maxLoose {
		t.Errorf("the loose look corrects %d words; want at most %d", len(ws), maxLoose)
	}
	start := time.Now()
	if _, err := ix.Search(context.Background(), Query{Text: worst, Lang: "nl", Limit: 10}); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > searchTime/4 {
		t.Errorf("the costliest query took %v; its deadline is %v", took, searchTime)
	}
}

// TestSearchTerms: a query that is one of a page's search terms, give or
// take case, spaces and punctuation, shows that page first, though other
// pages have its words in their titles; other queries rank as before.
func TestSearchTerms(t *testing.T) {
	dir := t.TempDir()
	docs := []Doc{
		{URL: "/nl/mensenhandel/", Title: "Mensenhandel", Description: "Wat is mensenhandel?", Section: "Mensenhandel", Type: "section", Text: "Is dit mensenhandel? Mensenhandel is werven om uit te buiten."},
		{URL: "/nl/begrippen/mensenhandel/", Title: "Mensenhandel", Description: "Het begrip mensenhandel.", Section: "Begrippen", Type: "glossary", Text: "Mensenhandel is een misdrijf."},
		{URL: "/nl/verblijfsregeling/", Title: "Verblijfsregeling mensenhandel", Description: "Verblijf voor slachtoffers van mensenhandel.", Section: "Verblijfsregeling", Type: "section", Text: "Mensenhandel en verblijf."},
		{URL: "/nl/beslishulp/", Title: "Handel, smokkel of allebei?", Description: "Een paar vragen.", Section: "Beslishulp", Type: "aid", Text: "Beantwoord de vragen.", SearchTerms: []string{"Is dit mensenhandel?", "beslisboom"}},
	}
	if err := Build(filepath.Join(dir, "nl"), Dutch, docs, nil); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, []string{"nl"})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, tc := range []struct{ q, first string }{
		{"is dit mensenhandel", "/nl/beslishulp/"},
		{"Is dit   MENSENHANDEL?", "/nl/beslishulp/"},
		{"beslisboom", "/nl/beslishulp/"},
		{"mensenhandel", "/nl/mensenhandel/"}, // one word of the term is not the term
		{"is dit mensenhandel of niet", "/nl/mensenhandel/"},
	} {
		res, err := ix.Search(context.Background(), Query{Text: tc.q, Lang: "nl", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Errorf("%q: no hits", tc.q)
			continue
		}
		if got, _, _ := strings.Cut(res.Hits[0].URL, "#"); got != tc.first {
			var urls []string
			for _, h := range res.Hits {
				urls = append(urls, h.URL)
			}
			t.Errorf("%q: first hit %s; want %s (hits %v)", tc.q, got, tc.first, urls)
		}
	}
}

// TestPages: a second page of results has the hits after the first, and
// Page and Pages say where it is.
func TestPages(t *testing.T) {
	ix := testIndex(t)
	first, err := ix.Search(context.Background(), Query{Text: "uitbuiting", Lang: "nl", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if first.Total < 3 || first.Page != 1 || first.Pages != (first.Total+1)/2 || len(first.Hits) != 2 {
		t.Fatalf("first page: total %d, page %d of %d, %d hits; want 3 or more, page 1 of total/2", first.Total, first.Page, first.Pages, len(first.Hits))
	}
	second, err := ix.Search(context.Background(), Query{Text: "uitbuiting", Lang: "nl", Limit: 2, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if second.Page != 2 || second.Total != first.Total || len(second.Hits) == 0 {
		t.Fatalf("second page: page %d, total %d, %d hits", second.Page, second.Total, len(second.Hits))
	}
	for _, a := range first.Hits {
		for _, b := range second.Hits {
			if a.URL == b.URL {
				t.Errorf("%s is on both pages", a.URL)
			}
		}
	}
}

// TestSuggestionDefinition: a typo of a glossary term gets the suggestion and
// that term's definition card, as if it had been typed right.
func TestSuggestionDefinition(t *testing.T) {
	ix := testIndex(t)
	res, err := ix.Search(context.Background(), Query{Text: "bedenktyd", Lang: "nl", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suggestion == nil || *res.Suggestion != "bedenktijd" {
		t.Fatalf("suggestion %v; want bedenktijd", deref(res.Suggestion))
	}
	if res.Definition == nil || res.Definition.Term != "Bedenktijd" {
		t.Errorf("definition %+v; want the card of Bedenktijd", res.Definition)
	}
}

// TestSectionFilterKeepsFacets: with a section filter, Total counts that
// section and the facets still count every section, for the filter buttons.
func TestSectionFilterKeepsFacets(t *testing.T) {
	ix := testIndex(t)
	all, err := ix.Search(context.Background(), Query{Text: "uitbuiting", Lang: "nl", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	in, err := ix.Search(context.Background(), Query{Text: "uitbuiting", Lang: "nl", Section: "Voorbeelden", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if in.Total != all.Facets["section"]["Voorbeelden"] || in.Total >= all.Total || in.Section != "Voorbeelden" {
		t.Errorf("filtered total %d (section %q); want the %d of Voorbeelden among %d", in.Total, in.Section, all.Facets["section"]["Voorbeelden"], all.Total)
	}
	if len(in.Facets["section"]) != len(all.Facets["section"]) {
		t.Errorf("filtered facets %v; want every section's count %v", in.Facets, all.Facets)
	}
}
