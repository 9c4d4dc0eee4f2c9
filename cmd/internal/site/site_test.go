package site

import (
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kb-mensenhandel/kb/theme"
)

// themeCopy returns the real theme as a MapFS, with changes applied: a file
// name maps to its new content, or to "" to delete it.
func themeCopy(t *testing.T, changes map[string]string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(theme.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(theme.FS(), name)
		m[name] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range changes {
		if data == "" {
			delete(m, name)
		} else {
			m[name] = &fstest.MapFile{Data: []byte(data)}
		}
	}
	return m
}

func TestRealThemeLoads(t *testing.T) {
	s, err := New(theme.FS())
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Langs(), ","); got != "nl,en,pl,ro,bg,uk,ar" {
		t.Errorf("Langs() = %s; want nl,en,pl,ro,bg,uk,ar (default first, in the registry's order)", got)
	}
}

// TestMessagesComplete checks every UI string used by a template exists in every language.
func TestMessagesComplete(t *testing.T) {
	s, err := New(theme.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range s.Langs() {
		for layout, tmpl := range s.tmpl[lang] {
			ids := MessageIDs(tmpl)
			if len(ids) == 0 && layout != "root" { // root's strings come from Go
				t.Errorf("%s/%s: no t calls found; the parse-tree walk is broken", lang, layout)
			}
			for _, id := range ids {
				if strings.HasSuffix(id, ".count") {
					// Every plural form the language's rules ask for (Polish, Ukrainian
					// and Arabic have more than Dutch): these counts reach them all.
					for _, n := range []int{0, 1, 2, 3, 5, 11, 12, 22, 25, 100, 101, 102} {
						if got, err := s.tn(lang, id, n); err != nil || !strings.Contains(got, strconv.Itoa(n)) && n > 2 {
							t.Errorf("%s: tn %q %d = %q, %v", lang, id, n, got, err)
						}
					}
					continue
				}
				if _, err := s.T(lang, id, nil); err != nil {
					t.Errorf("%s: t %q: %v", lang, id, err)
				}
			}
		}
	}
}

func TestMissingMessageFails(t *testing.T) {
	en, _ := fs.ReadFile(theme.FS(), "i18n/en.toml")
	broken := strings.Replace(string(en), `"toc.title" = "On this page"`, "", 1)
	if broken == string(en) {
		t.Fatal("fixture: toc.title not found in en.toml")
	}
	_, err := New(themeCopy(t, map[string]string{"i18n/en.toml": broken}))
	want := `theme/i18n/en.toml: message "toc.title" is missing (it is in nl.toml); add it`
	if err == nil || err.Error() != want {
		t.Errorf("New with a message missing in en = %v; want %s", err, want)
	}
}

func TestUnknownMessageInTemplateFails(t *testing.T) {
	_, err := New(themeCopy(t, map[string]string{"partials/toc.tmpl": `{{define "toc"}}{{t "toc.titel"}}{{end}}`}))
	if err == nil || !strings.Contains(err.Error(), `uses message "toc.titel"`) {
		t.Errorf("New with an unknown message ID = %v; want an error naming it", err)
	}
}

func TestPluralsAndDates(t *testing.T) {
	s, err := New(theme.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{{"nl", 1, "1 pagina"}, {"nl", 3, "3 pagina's"}, {"en", 1, "1 page"}, {"en", 2, "2 pages"}} {
		if got, err := s.tn(tc.lang, "children.count", tc.n); err != nil || got != tc.want {
			t.Errorf("tn(%s, %d) = %q, %v; want %q", tc.lang, tc.n, got, err, tc.want)
		}
	}
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for lang, want := range map[string]string{"nl": "23 november 2026", "en": "23 November 2026"} {
		if got, err := s.Date(lang, day); err != nil || got != want {
			t.Errorf("Date(%s) = %q, %v; want %q", lang, got, err, want)
		}
	}
}

func TestAssetsAreHashed(t *testing.T) {
	s, err := New(themeCopy(t, map[string]string{"static/site.css": "body{}"}))
	if err != nil {
		t.Fatal(err)
	}
	p1, _ := s.assetPath("site.css")
	s2, _ := New(themeCopy(t, map[string]string{"static/site.css": "body{color:red}"}))
	p2, _ := s2.assetPath("site.css")
	if !strings.HasPrefix(p1, "/assets/site.") || !strings.HasSuffix(p1, ".css") || p1 == p2 {
		t.Errorf("asset paths %q and %q: want /assets/site.<hash>.css, different for different content", p1, p2)
	}
}

func TestCheckBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.org/":     "https://example.org",
		"https://example.org/kb":   "https://example.org/kb",
		"http://127.0.0.1:8080":    "http://127.0.0.1:8080",
		"example.org":              "",
		"ftp://example.org":        "",
		"https://example.org/?q=1": "",
	} {
		got, err := CheckBaseURL(in)
		if (want == "") != (err != nil) || got != want {
			t.Errorf("CheckBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// TestStylesheetIsLogical: the layout mirrors for Arabic because the
// stylesheet names sides by the flow of the text (inline start and end),
// never left or right: no physical side property, and no four-value
// shorthand whose right and left differ.
func TestStylesheetIsLogical(t *testing.T) {
	css, err := fs.ReadFile(theme.FS(), "static/site.css")
	if err != nil {
		t.Fatal(err)
	}
	physical := regexp.MustCompile(`(?:^|[\s;{])((?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right)[a-z-]*|left|right|float|clear|text-align)\s*:\s*([^;}]*)`)
	four := regexp.MustCompile(`(?:^|[\s;{])(margin|padding|inset|border-width|border-color|border-style)\s*:\s*([^;}\s]+)\s+([^;}\s]+)\s+([^;}\s]+)\s+([^;}\s]+)\s*[;}]`)
	for i, line := range strings.Split(string(css), "\n") {
		if m := physical.FindStringSubmatch(line); m != nil {
			if v := strings.TrimSpace(m[2]); (m[1] == "text-align" || m[1] == "float" || m[1] == "clear") && !strings.Contains(v, "left") && !strings.Contains(v, "right") {
				continue // text-align: start, float: none
			}
			t.Errorf("static/site.css:%d: %s: %s names a physical side; use its logical form (inline-start, inline-end)", i+1, m[1], m[2])
		}
		if m := four.FindStringSubmatch(line); m != nil && m[3] != m[5] {
			t.Errorf("static/site.css:%d: %s: %s %s %s %s has different right and left; write it with the -block and -inline properties", i+1, m[1], m[2], m[3], m[4], m[5])
		}
	}
}
