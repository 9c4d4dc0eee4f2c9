package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/search"
)

// TestRelevance searches the real knowledge base as frontline staff and visitors
// would: stems, compounds, typos, codes, glossary terms and terms from the other
// language. One of the pages listed must be among the first three results.
func TestRelevance(t *testing.T) {
	out := buildFixture(t, "../../content")
	ix, err := search.Open(filepath.Join(out, site.SearchDir), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ix.Others = endpoint.Others() // as the endpoint has it: a partial language falls back to English
	for _, tc := range []struct {
		lang, q string
		want    string // pages, separated by spaces: one must be in the top 3
		def     string // the definition card's term, if there must be one
		sugg    string // the suggested spelling, if there must be one
	}{
		{"nl", "mensenhandel", "/nl/mensenhandel/ /nl/begrippen/mensenhandel/", "Mensenhandel", ""},
		{"nl", "smokkelaars", "/nl/mensensmokkel/ /nl/begrippen/mensensmokkel/", "", ""},
		{"nl", "smokkel", "/nl/mensensmokkel/ /nl/begrippen/mensensmokkel/", "", ""},
		{"nl", "uitbuiting", "/nl/mensenhandel/uitbuiting/ /nl/begrippen/uitbuiting/", "Uitbuiting", ""},
		{"nl", "arbeidsuitbuiting", "/nl/begrippen/arbeidsuitbuiting/ /nl/mensenhandel/uitbuiting/", "Arbeidsuitbuiting", ""},
		{"nl", "verblijfsvergunning", "/nl/verblijfsregeling/verblijfsvergunning/ /nl/begrippen/tijdelijke-verblijfsvergunning/ /nl/verblijfsregeling/", "", ""},
		{"nl", "mensenhndel", "/nl/mensenhandel/ /nl/begrippen/mensenhandel/", "", "mensenhandel"},
		{"nl", "bedenktijd", "/nl/verblijfsregeling/bedenktijd/ /nl/begrippen/bedenktijd/", "Bedenktijd", ""},
		{"nl", "bedenktyd", "/nl/verblijfsregeling/bedenktijd/ /nl/begrippen/bedenktijd/", "", ""},
		{"nl", "273f", "/nl/mensenhandel/ /nl/begrippen/mensenhandel/ /nl/achtergrond/wetten-en-verdragen/", "", ""},
		{"nl", "197a", "/nl/mensensmokkel/ /nl/begrippen/mensensmokkel/ /nl/achtergrond/wetten-en-verdragen/", "", ""},
		{"nl", "B8/3", "/nl/verblijfsregeling/ /nl/begrippen/verblijfsregeling-mensenhandel/", "", ""},
		{"nl", "3.48", "cites", "", ""},
		{"nl", "reflection period", "/nl/begrippen/bedenktijd/ /nl/verblijfsregeling/bedenktijd/", "Bedenktijd", ""},
		{"nl", "debt bondage", "/nl/begrippen/schuldslavernij/ /nl/verschil/", "Schuldslavernij", ""},
		{"nl", "schuldslavernij", "/nl/begrippen/schuldslavernij/ /nl/verschil/", "Schuldslavernij", ""},
		{"nl", "pooierboy", "/nl/begrippen/pooierboy/", "Pooierboy", ""},
		{"nl", "signalen herkennen", "/nl/mensenhandel/signalen/", "", ""},
		{"nl", "snel weg", "/nl/hulp/veilig-browsen/", "", ""},
		{"nl", "aangifte", "/nl/begrippen/aangifte/ /nl/hulp/", "Aangifte", ""},
		{"nl", "comensha", "/nl/begrippen/comensha/ /nl/achtergrond/wie-doet-wat/", "CoMensha", ""},
		{"nl", "dublin", "/nl/verblijfsregeling/bijzondere-situaties/ /nl/begrippen/dublinclaimant/", "", ""},
		{"nl", "palermoprotocol", "/nl/begrippen/palermoprotocol/ /nl/achtergrond/wetten-en-verdragen/", "Palermoprotocol", ""},
		{"nl", "voortgezet verblijf", "/nl/verblijfsregeling/voortgezet-verblijf/ /nl/begrippen/voortgezet-verblijf/", "Voortgezet verblijf", ""},
		// The decision aid, for staff who ask the question it answers (issue 15).
		{"nl", "is dit mensenhandel", "/nl/beslishulp/", "", ""},
		{"nl", "mensenhandel of mensensmokkel", "/nl/beslishulp/ /nl/verschil/", "", ""},
		{"nl", "beslisboom", "/nl/beslishulp/", "", ""},
		{"nl", "beslishulp", "/nl/beslishulp/", "", ""},
		{"nl", "checklist", "/nl/beslishulp/", "", ""},
		{"nl", "doorverwijzen", "/nl/hulp/doorverwijzen/", "", ""},
		{"en", "trafficking or smuggling", "/en/decision-aid/", "", ""},
		{"en", "is this trafficking", "/en/decision-aid/", "", ""},
		{"en", "decision tree", "/en/decision-aid/", "", ""},
		{"en", "checklist", "/en/decision-aid/", "", ""},
		{"en", "referral", "/en/help/referral-guide/", "", ""},
		{"en", "trafficked", "/en/human-trafficking/ /en/glossary/trafficking-in-human-beings/", "", ""},
		{"en", "traficking", "/en/human-trafficking/ /en/glossary/trafficking-in-human-beings/ /en/trafficking-versus-smuggling/", "", "trafficking"},
		{"en", "smugglers", "/en/migrant-smuggling/ /en/glossary/migrant-smuggling/", "", ""},
		{"en", "reflection period", "/en/residence-scheme/reflection-period/ /en/glossary/reflection-period/", "Reflection period", ""},
		{"en", "bedenktijd", "/en/residence-scheme/reflection-period/ /en/glossary/reflection-period/", "Reflection period", ""},
		{"en", "mensensmokkel", "/en/migrant-smuggling/ /en/glossary/migrant-smuggling/", "Migrant smuggling", ""},
		{"en", "exploitation", "/en/human-trafficking/forms-of-exploitation/ /en/glossary/exploitation/", "Exploitation", ""},
		{"en", "273f", "/en/human-trafficking/ /en/glossary/trafficking-in-human-beings/ /en/background/laws-and-treaties/", "", ""},
		{"en", "B8/3", "/en/residence-scheme/ /en/glossary/residence-scheme-for-trafficking-victims/", "", ""},
		{"en", "labour exploitation", "/en/glossary/labour-exploitation/ /en/human-trafficking/forms-of-exploitation/", "Labour exploitation", ""},
		{"en", "exit this page", "/en/help/browsing-safely/", "", ""},
		{"en", "residence permit", "/en/residence-scheme/temporary-residence-permit/ /en/glossary/temporary-residence-permit/", "", ""},
		{"en", "consent", "/en/glossary/consent/ /en/questions/", "Consent", ""},
		{"en", "debt bondage", "/en/glossary/debt-bondage/ /en/trafficking-versus-smuggling/", "Debt bondage", ""},
		// The partial languages (issue 16): each finds its home or rights page in
		// its own words, diacritics or not; its words for a Dutch term give that
		// term's card (bridged through the brackets its pages write them in);
		// the Dutch term itself finds its pages; what it lacks, English has.
		{"pl", "prawa ofiary", "/pl/help/rights/ /pl/", "", ""},
		{"pl", "handel ludzmi", "/pl/human-trafficking/ /pl/", "", ""},
		{"pl", "okres do namysłu", "/pl/residence-scheme/", "Bedenktijd", ""},
		{"pl", "bedenktijd", "/pl/residence-scheme/ /pl/human-trafficking/pocket-card/", "Bedenktijd", ""},
		{"pl", "referral", "/en/help/referral-guide/", "", ""}, // no Polish page has it: the English ones
		{"ro", "drepturile victimei", "/ro/help/rights/ /ro/", "", ""},
		{"ro", "perioada de reflectie", "/ro/residence-scheme/", "Bedenktijd", ""},
		{"ro", "trafic de persoane", "/ro/human-trafficking/ /ro/", "", ""},
		{"bg", "права на пострадалите", "/bg/help/rights/ /bg/", "", ""},
		{"bg", "срок за размисъл", "/bg/residence-scheme/", "Bedenktijd", ""},
		{"bg", "трафик на хора", "/bg/human-trafficking/ /bg/", "", ""},
		{"uk", "права постраждалих", "/uk/help/rights/ /uk/", "", ""},
		{"uk", "період на роздуми", "/uk/residence-scheme/", "Bedenktijd", ""},
		{"uk", "торгівля людьми", "/uk/human-trafficking/ /uk/", "", ""},
		{"ar", "حقوق الضحية", "/ar/help/rights/ /ar/", "", ""},
		{"ar", "مهلة تفكير", "/ar/residence-scheme/", "Bedenktijd", ""},
		{"ar", "الاتجار بالبشر", "/ar/human-trafficking/ /ar/", "", ""},
		{"ar", "aangifte", "/ar/help/ /ar/help/rights/ /ar/help/contacts/", "Aangifte", ""},
	} {
		res, err := ix.Search(context.Background(), search.Query{Text: tc.q, Lang: tc.lang, Limit: 10})
		if err != nil {
			t.Errorf("%s %q: %v", tc.lang, tc.q, err)
			continue
		}
		var top []string
		for _, h := range res.Hits {
			page, _, _ := strings.Cut(h.URL, "#")
			top = append(top, page)
		}
		if tc.want == "cites" { // every one of the top 3 must cite the code
			if len(top) == 0 {
				t.Errorf("%s %q: no results", tc.lang, tc.q)
			}
			for _, u := range first(top, 3) {
				html, err := os.ReadFile(filepath.Join(out, u, "index.html"))
				if err != nil || !strings.Contains(string(html), tc.q) {
					t.Errorf("%s %q: result %s does not cite %s (%v)", tc.lang, tc.q, u, tc.q, err)
				}
			}
			continue
		}
		found := false
		for _, w := range strings.Fields(tc.want) {
			for i, u := range top {
				found = found || (u == w && i < 3)
			}
		}
		if !found {
			t.Errorf("%s %q: top results %v; want one of %s in the top 3", tc.lang, tc.q, first(top, 5), tc.want)
		}
		got := ""
		if res.Definition != nil {
			got = res.Definition.Term
		}
		if tc.def != "" && got != tc.def {
			t.Errorf("%s %q: definition %q; want %q", tc.lang, tc.q, got, tc.def)
		}
		if tc.sugg != "" && (res.Suggestion == nil || *res.Suggestion != tc.sugg) {
			t.Errorf("%s %q: suggestion %v; want %q", tc.lang, tc.q, res.Suggestion, tc.sugg)
		}
	}
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

// TestUkrainianApostrophe: Ukrainian writes the apostrophe in комп’ютер in three
// ways (’ U+2019, ʼ U+02BC, and the keyboard's '), or leaves it out; each finds
// the same pages in the same order.
func TestUkrainianApostrophe(t *testing.T) {
	out := buildFixture(t, "../../content")
	ix, err := search.Open(filepath.Join(out, site.SearchDir), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var want []string
	for i, q := range []string{"комп’ютер", "компʼютер", "комп'ютер", "компютер", "пам’ятка", "пам'ятка"} {
		res, err := ix.Search(context.Background(), search.Query{Text: q, Lang: "uk", Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.URL)
		}
		if len(got) == 0 {
			t.Errorf("uk %q: no results", q)
		}
		switch {
		case i == 0 || i == 4:
			want = got
		case strings.Join(got, " ") != strings.Join(want, " "):
			t.Errorf("uk %q: %v; want the same as with ’: %v", q, got, want)
		}
	}
}
