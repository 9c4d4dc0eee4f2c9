package content

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"
	"github.com/kb-mensenhandel/kb/theme"
)

// realContent is the knowledge base the real-content tests read; another
// folder can be tried with go test -run Real -args -content DIR.
var realContent = flag.String("content", "../../../content", "content folder for the real-content tests")

// realPages loads and renders the knowledge base in langs, as kb check does,
// as of the day of its newest review: the test does not depend on the calendar.
func realPages(t *testing.T, langs []string) ([]*Page, map[*Page]*Rendered) {
	t.Helper()
	set, _, err := Load(os.DirFS(*realContent), Options{Langs: langs, Root: "content", Today: newestReview(t), Words: themeWords(t, langs)})
	if err != nil {
		t.Fatal(err)
	}
	rs, _, err := set.RenderAll(nil)
	if err != nil {
		t.Fatal(err)
	}
	rendered := map[*Page]*Rendered{}
	for _, r := range rs {
		rendered[r.Page] = r
	}
	return set.Pages, rendered
}

var reviewedLine = regexp.MustCompile(`(?m)^reviewed: (\d{4}-\d{2}-\d{2})\s*$`)

// newestReview is the newest reviewed date in the real content.
func newestReview(t *testing.T) time.Time {
	t.Helper()
	var newest time.Time
	err := fs.WalkDir(os.DirFS(*realContent), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".md") {
			return err
		}
		data, err := fs.ReadFile(os.DirFS(*realContent), name)
		if m := reviewedLine.FindSubmatch(data); m != nil {
			if d, perr := time.Parse(time.DateOnly, string(m[1])); perr == nil && d.After(newest) {
				newest = d
			}
		}
		return err
	})
	if err != nil || newest.IsZero() {
		t.Fatalf("no reviewed dates in %s: %v", *realContent, err)
	}
	return newest
}

// themeWords reads what the checks need of each language from the theme's
// message files, as kb check gets them (site.Words, which this package cannot import).
func themeWords(t *testing.T, langs []string) map[string]Words {
	t.Helper()
	out := map[string]Words{}
	for _, lang := range langs {
		var msgs map[string]any
		if _, err := toml.DecodeFS(theme.FS(), "i18n/"+lang+".toml", &msgs); err != nil {
			t.Fatal(err)
		}
		var w Words
		for m := 1; m <= 12; m++ {
			name, _ := msgs[fmt.Sprintf("month.%d", m)].(string)
			if name == "" {
				t.Fatalf("theme/i18n/%s.toml has no month.%d", lang, m)
			}
			w.Months = append(w.Months, name)
		}
		list := func(id string) []string {
			var out []string
			s, _ := msgs[id].(string)
			for _, word := range strings.Split(s, ",") {
				if word = strings.TrimSpace(word); word != "" {
					out = append(out, strings.ToLower(word))
				}
			}
			return out
		}
		w.Deadline, w.Future = list("check.deadline-words"), list("check.future-verbs")
		out[lang] = w
	}
	return out
}

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
	"hulp/rechten.md":                           "victims' rights",
	"hulp/aangifte-doen.md":                     "reporting, step by step",
	"hulp/contact.md":                           "contacts and helplines",
	"verblijfsregeling/minderjarigen.md":        "minors",
	"verblijfsregeling/eu-burgers.md":           "EU citizens",
}

// minWords is how long a page must be not to count as a stub.
var minWords = map[string]int{TypeHome: 120, TypeSection: 30, TypePage: 250, TypeGlossary: 30, TypeFAQ: 600, TypeCard: 200, TypeContacts: 150}

// TestRealContent checks the knowledge base itself: complete, paired, sourced and reviewed.
func TestRealContent(t *testing.T) {
	langs := []string{"nl", "en"}
	pages, rendered := realPages(t, langs)
	words := map[*Page]int{}
	for _, p := range pages {
		words[p] = len(strings.FieldsFunc(rendered[p].Text(), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
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
		if p.Reviewed.IsZero() {
			t.Errorf("%s: reviewed is missing", p.File)
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
		if strings.Contains(rendered[p].Text(), "STUB") || strings.Contains(p.Description, "STUB") {
			t.Errorf("%s is still a stub", p.File)
		}
		if p.Type == TypeFAQ {
			questions := 0
			for _, h := range rendered[p].Headings {
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

// The reflection period changed on 18 May 2023 (Besluit WBV 2023/11, Stcrt.
// 2023, 13577, after CJEU C-66/21): it is offered to every presumed victim from
// outside the EU, also to those who stay lawfully, and Dublin claimants get 30
// days. Before, only people without lawful stay got it. Frontline staff act on
// these pages, so the old rule must not come back.
var (
	reflection   = regexp.MustCompile(`(?i)bedenktijd|reflection period`)
	onlyUnlawful = regexp.MustCompile(`(?i)\b(zonder|geen) (geldig |geldige )?(verblijfsrecht|rechtmatig verblijf|verblijfsvergunning)|\b(without|no) (a |any )?(valid )?(right of residence|right to stay|lawful stay|lawful residence|residence permit)`)
	// A sentence that says the rule changed, that the period is there also
	// for people with lawful stay, or that tells the old rule as history, is right.
	rightRule = regexp.MustCompile(`(?i)2023|\b(ook|also|even|iedereen|everyone|every|daarvoor|vroeger|kregen|kreeg|gold|before that|before then|used to|got|was only|were only)\b|niet alleen|not only`)
	dublin30  = map[string]*regexp.Regexp{"nl": regexp.MustCompile(`(?i)dublin[^.]*30 dagen|30 dagen[^.]*dublin`), "en": regexp.MustCompile(`(?i)dublin[^.]*30 days|30 days[^.]*dublin`)}
)

// TestReflectionPeriodRule fails when a page limits the reflection period to
// people without lawful stay, in a sentence or in two that follow each other
// ("Heeft het slachtoffer geen verblijfsvergunning? Dan biedt de politie
// bedenktijd aan."), or when a page on the reflection period lacks the Dublin
// 30 days.
func TestReflectionPeriodRule(t *testing.T) {
	langs := []string{"nl", "en"}
	reflectionPages := 0
	pages, rendered := realPages(t, langs)
	for _, p := range pages {
		for _, text := range []string{p.Description, p.Definition, rendered[p].Text()} {
			var prev string
			for _, s := range sentences([]byte(text)) {
				sentence := strings.Join(strings.Fields(text[s.start:s.end]), " ")
				for _, window := range []string{sentence, strings.TrimSpace(prev + " " + sentence)} {
					if reflection.MatchString(window) && onlyUnlawful.MatchString(window) && !rightRule.MatchString(window) {
						t.Errorf("%s: states the rule from before 18 May 2023, that the reflection period is for people without lawful stay: %q", p.File, window)
						sentence = "" // reported: not again as the start of the next window
						break
					}
				}
				prev = sentence
			}
		}
		if strings.HasSuffix(p.Path, "bedenktijd.md") {
			reflectionPages++
			if !dublin30[p.Lang].MatchString(rendered[p].Text()) {
				t.Errorf("%s: a page on the reflection period must say that Dublin claimants get 30 days", p.File)
			}
		}
	}
	if want := 2 * len(langs); reflectionPages != want {
		t.Errorf("found %d pages on the reflection period (bedenktijd.md), want %d", reflectionPages, want)
	}
}
