package main

import (
	"io"
	"log"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

// TestResultsPages posts the search forms of the real site as a browser
// without JavaScript does, and reads the results pages: pages of results,
// the count in the language's plural forms, the word meant as a button with
// its term's card, section filters, and a page past the last.
func TestResultsPages(t *testing.T) {
	out := buildFixture(t, "../../content")
	h, err := endpoint.Open(filepath.Join(out, site.SearchDir), endpoint.Options{Headers: theme.HTTPHeaders(), Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	post := func(v url.Values) (int, string) {
		t.Helper()
		req := httptest.NewRequest("POST", "/api/search", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "text/html")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code, w.Body.String()
	}
	for _, c := range []struct {
		name string
		form url.Values
		code int
		want []string // a leading ! means it must not be there
	}{
		{"first page", url.Values{"lang": {"nl"}, "q": {"mensenhandel"}}, 200, []string{
			`<ol class="kb-search-results__list" start="1"`,
			`<p class="kb-pager__status">Pagina 1 van `,
			`<button class="kb-pager__button kb-pager__button--next" type="submit" name="page" value="2">Volgende pagina</button>`,
			`!kb-pager__button--prev`,
			`<input type="hidden" name="q" value="mensenhandel">`,
			// two hits titled Verblijfsregeling mensenhandel, told apart by their section
			`Verblijfsregeling mensenhandel</a> <span class="kb-search-results__section">Begrippen</span>`,
			`Verblijfsregeling mensenhandel</a> <span class="kb-search-results__section">Verblijfsregeling</span>`,
			// more pages and more than one section: filters, with their counts
			`<button class="kb-filter" type="submit" name="section" value="Begrippen">Begrippen (`,
		}},
		{"second page", url.Values{"lang": {"nl"}, "q": {"mensenhandel"}, "page": {"2"}}, 200, []string{
			`<ol class="kb-search-results__list" start="11"`,
			`<p class="kb-pager__status">Pagina 2 van `,
			`name="page" value="1">Vorige pagina</button>`,
			`!class="kb-definition"`, // the card is above the first page only
		}},
		{"one section", url.Values{"lang": {"nl"}, "q": {"mensenhandel"}, "section": {"Begrippen"}}, 200, []string{
			` resultaten in Begrippen</h2>`,
			`<button class="kb-filter" type="submit" name="section" value="Begrippen" aria-pressed="true">`,
			`<button class="kb-filter" type="submit" name="section" value="">Alle onderdelen (`,
			`<input type="hidden" name="section" value="Begrippen">`, // the pages keep the filter
		}},
		{"one result", url.Values{"lang": {"nl"}, "q": {"Netlify"}}, 200, []string{
			`>1 resultaat</h2>`, `!&#34;`, `!kb-pager`, `!kb-search-results__filters`,
		}},
		{"one result in English", url.Values{"lang": {"en"}, "q": {"Netlify"}}, 200, []string{`>1 result</h2>`}},
		{"typo", url.Values{"lang": {"nl"}, "q": {"mensenhndel"}}, 200, []string{
			`Bedoelde je: <button class="kb-link-button" type="submit" name="q" value="mensenhandel">mensenhandel</button>`,
			`<h2 class="kb-definition__term" id="kb-definition-term"><a href="/nl/begrippen/mensenhandel/">Mensenhandel</a></h2>`,
		}},
		{"past the last page", url.Values{"lang": {"nl"}, "q": {"mensenhandel"}, "page": {"40"}}, 404, []string{
			`<p class="kb-search-results__problem" role="alert">page 40 is past the last page of results`,
		}},
		{"bad page number", url.Values{"lang": {"nl"}, "q": {"mensenhandel"}, "page": {"nul"}}, 400, []string{
			`<p class="kb-search-results__problem" role="alert">page must be a whole number`,
		}},
	} {
		code, body := post(c.form)
		if code != c.code {
			t.Errorf("%s: %v answers %d; want %d", c.name, c.form, code, c.code)
		}
		if !strings.Contains(body, `data-search-page="/`+c.form.Get("lang")+`/`) {
			t.Errorf("%s: the results page does not say where the search page is (for search.js)", c.name)
		}
		for _, w := range c.want {
			if not, ok := strings.CutPrefix(w, "!"); ok {
				if strings.Contains(body, not) {
					t.Errorf("%s: the results page contains %q; it must not", c.name, not)
				}
			} else if !strings.Contains(body, w) {
				t.Errorf("%s: the results page does not contain %q", c.name, w)
			}
		}
	}
}
