package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

// doubleEscaped is a character reference escaped a second time: the page
// shows "&ldquo;" or "&rsquo;" as text instead of the quote it stands for.
var doubleEscaped = regexp.MustCompile(`&amp;(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});`)

// entity is a character reference, which has no place in plain text such as
// the strings of JSON-LD or a search answer's titles.
var entity = regexp.MustCompile(`&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});`)

// TestNoEscapedEntities: no built page, feed or sitemap shows a character
// reference as text (the contents list once read "&ldquo;means&rdquo;"), the
// structured data holds text, not HTML, and neither do search results, as
// JSON or as a results page.
func TestNoEscapedEntities(t *testing.T) {
	out := buildFixture(t, "../../content")
	files := tree(t, out)
	checked := 0
	for name, body := range files {
		if strings.HasPrefix(name, site.SearchDir+"/") {
			continue
		}
		switch filepath.Ext(name) {
		case ".html", ".xml", ".txt":
		default:
			continue
		}
		checked++
		for _, m := range doubleEscaped.FindAllStringIndex(body, 3) {
			t.Errorf("%s: %q shows a character reference as text", name, body[max(0, m[0]-40):min(len(body), m[1]+20)])
		}
		for _, ld := range jsonLDRe.FindAllStringSubmatch(body, -1) {
			var v any
			if err := json.Unmarshal([]byte(ld[1]), &v); err != nil {
				t.Errorf("%s: JSON-LD: %v", name, err)
				continue
			}
			for _, s := range jsonStrings(v) {
				if e := entity.FindString(s); e != "" {
					t.Errorf("%s: JSON-LD text %q holds the character reference %s; it must hold the character", name, s, e)
				}
			}
		}
	}
	if checked < 200 {
		t.Fatalf("checked only %d files", checked)
	}

	h, err := endpoint.Open(filepath.Join(out, site.SearchDir), endpoint.Options{Headers: theme.HTTPHeaders(), Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	// Words from the pages that have curly quotes and apostrophes.
	for _, q := range []url.Values{
		{"lang": {"en"}, "q": {"means"}},
		{"lang": {"en"}, "q": {"loverboy"}},
		{"lang": {"nl"}, "q": {"pagina's controleren"}},
		{"lang": {"nl"}, "q": {"loverboy"}},
	} {
		for _, accept := range []string{"application/json", "text/html"} {
			req := httptest.NewRequest("POST", "/api/search", strings.NewReader(q.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", accept)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				t.Fatalf("POST %v (%s): %d %s", q, accept, w.Code, w.Body)
			}
			body := w.Body.String()
			if m := doubleEscaped.FindString(body); m != "" {
				t.Errorf("POST %v (%s): the answer shows %q as text", q, accept, m)
			}
			if accept != "application/json" {
				continue
			}
			var res struct {
				Hits []struct{ Title, Heading, Snippet string }
			}
			if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Errorf("POST %v: no hits", q)
			}
			for _, hit := range res.Hits {
				for _, s := range []string{hit.Title, hit.Heading} {
					if e := entity.FindString(s); e != "" {
						t.Errorf("POST %v: title %q holds %s", q, s, e)
					}
				}
				// A snippet is escaped text with <mark>: unescaped once, no reference may be left.
				if e := entity.FindString(strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'").Replace(hit.Snippet)); e != "" && e != "&amp;" {
					t.Errorf("POST %v: snippet %q holds %s", q, hit.Snippet, e)
				}
			}
		}
	}
}

// jsonStrings returns every string in a decoded JSON value.
func jsonStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, jsonStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range v {
			out = append(out, jsonStrings(e)...)
		}
		return out
	}
	return nil
}
