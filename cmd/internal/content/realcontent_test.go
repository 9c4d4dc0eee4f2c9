package content

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
)

// topics are the pages the knowledge base must have, in every language (issue 3).
var topics = map[string]string{
	"index.md":                                  "home",
	"mensenhandel/index.md":                     "what is human trafficking",
	"mensenhandel/uitbuiting.md":                "forms of exploitation",
	"mensensmokkel.md":                          "what is migrant smuggling",
	"verschil.md":                               "trafficking versus smuggling",
	"verblijfsregeling/index.md":                "the residence scheme for victims",
	"verblijfsregeling/bedenktijd.md":           "the reflection period",
	"verblijfsregeling/verblijfsvergunning.md":  "the temporary residence permit",
	"verblijfsregeling/voortgezet-verblijf.md":  "continued residence",
	"verblijfsregeling/bijzondere-situaties.md": "special situations",
	"mensenhandel/signalen.md":                  "recognising signs",
	"achtergrond/wie-doet-wat.md":               "who does what",
	"achtergrond/wetten-en-verdragen.md":        "laws and treaties",
	"mensenhandel/sociale-media.md":             "social media and online recruitment",
	"hulp/index.md":                             "get help and report",
	"hulp/veilig-browsen.md":                    "browsing safely",
	"begrippen/index.md":                        "glossary",
	"vragen.md":                                 "frequently asked questions",
	"achtergrond/over.md":                       "about this site",
}

// minWords is how long a page must be not to count as a stub.
var minWords = map[string]int{TypeHome: 120, TypeSection: 30, TypePage: 250, TypeGlossary: 30, TypeFAQ: 600, TypeCard: 200}

// TestRealContent checks the knowledge base itself: complete, paired, sourced and reviewed.
func TestRealContent(t *testing.T) {
	langs := []string{"nl", "en"}
	pages, _, err := Load(os.DirFS("../../../content"), Options{Langs: langs, Root: "content"})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	words := map[*Page]int{}
	if _, err := Render(pages, func(p *Page) error {
		mu.Lock()
		words[p] = len(strings.FieldsFunc(p.Text(), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
		mu.Unlock()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	byPath := map[string]map[string]*Page{}
	glossary := map[string]int{}
	for _, p := range pages {
		if byPath[p.Lang] == nil {
			byPath[p.Lang] = map[string]*Page{}
		}
		byPath[p.Lang][p.Path] = p
		for _, lang := range langs {
			if lang != p.Lang && p.Translations[lang] == nil {
				t.Errorf("%s has no %s translation; add %s", p.File, lang, strings.Replace(p.File, "/"+p.Lang+"/", "/"+lang+"/", 1))
			}
		}
		if p.Reviewed.IsZero() || p.Reviewed.After(time.Now()) {
			t.Errorf("%s: reviewed %v is missing or in the future", p.File, p.Reviewed.Format(time.DateOnly))
		}
		if p.Type == TypePage || p.Type == TypeGlossary || p.Type == TypeFAQ || p.Type == TypeCard {
			if len(p.Sources) == 0 {
				t.Errorf("%s has no sources", p.File)
			}
			for _, s := range p.Sources {
				if !strings.HasPrefix(s.URL, "https://") || s.Title == "" {
					t.Errorf("%s: source %q <%s> needs a title and an https URL", p.File, s.Title, s.URL)
				}
			}
		}
		if p.Type == TypeGlossary {
			glossary[p.Lang]++
			if p.Definition == "" {
				t.Errorf("%s: glossary entry without a definition", p.File)
			}
		}
		if n, min := words[p], minWords[p.Type]; n < min {
			t.Errorf("%s has %d words; a %s needs at least %d (is it a stub?)", p.File, n, p.Type, min)
		}
		if strings.Contains(p.Text(), "STUB") || strings.Contains(p.Description, "STUB") {
			t.Errorf("%s is still a stub", p.File)
		}
		if p.Type == TypeFAQ {
			questions := 0
			for _, h := range p.Headings {
				if h.Level == 2 && strings.HasSuffix(h.Text, "?") {
					questions++
				}
			}
			if questions < 12 {
				t.Errorf("%s has %d questions (## headings ending in ?); want at least 12", p.File, questions)
			}
		}
	}
	for _, lang := range langs {
		for path, topic := range topics {
			if byPath[lang][path] == nil {
				t.Errorf("topic %q is missing in %s: add content/%s/%s", topic, lang, lang, path)
			}
		}
		if glossary[lang] < 30 {
			t.Errorf("the %s glossary has %d entries; want at least 30", lang, glossary[lang])
		}
	}
}
