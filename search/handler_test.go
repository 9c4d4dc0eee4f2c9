package search

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func serve(h http.Handler, method, target string, body string, accept string) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, target, rd)
	if body != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHandlerAnswers(t *testing.T) {
	ix := testIndex(t)
	var logs bytes.Buffer
	h := &Handler{Headers: testHeaders, Index: ix, Log: log.New(&logs, "", 0)}
	for _, tc := range []struct{ method, target, body string }{
		{"GET", "/api/search?q=mensenhandel&lang=nl", ""},
		{"POST", "/api/search", "q=mensenhandel&lang=nl"},
	} {
		w := serve(h, tc.method, tc.target, tc.body, "")
		if w.Code != 200 {
			t.Fatalf("%s %s: %d %s", tc.method, tc.target, w.Code, w.Body)
		}
		var res map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"query", "lang", "total", "took_ms", "definition", "suggestion", "facets", "hits"} {
			if _, ok := res[key]; !ok {
				t.Errorf("%s: answer has no %q: %s", tc.method, key, w.Body)
			}
		}
		hits, _ := res["hits"].([]any)
		if len(hits) == 0 {
			t.Fatalf("no hits: %s", w.Body)
		}
		hit := hits[0].(map[string]any)
		for _, key := range []string{"url", "title", "lang", "section", "snippet", "score"} {
			if _, ok := hit[key]; !ok {
				t.Errorf("hit has no %q: %v", key, hit)
			}
		}
		checkHeaders(t, w)
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q", ct)
		}
	}
}

// testHeaders stand for the site's security headers, which the caller passes in.
var testHeaders = http.Header{"Content-Security-Policy": {"default-src 'none'"}, "X-Test": {"yes"}}

func checkHeaders(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	for name := range testHeaders {
		if got, want := w.Header().Get(name), testHeaders.Get(name); got != want {
			t.Errorf("header %s = %q; want %q", name, got, want)
		}
	}
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q; want no-store", got)
	}
}

func TestHandlerRejectsBadInput(t *testing.T) {
	ix := testIndex(t)
	h := &Handler{Headers: testHeaders, Index: ix}
	long := strings.Repeat("a", 201)
	for _, tc := range []struct {
		method, target, body string
		code                 int
	}{
		{"GET", "/api/search?lang=nl", "", 400},
		{"GET", "/api/search?q=%20%20&lang=nl", "", 400},
		{"GET", "/api/search?q=" + long + "&lang=nl", "", 400},
		{"GET", "/api/search?q=x&lang=de", "", 400},
		{"GET", "/api/search?q=x", "", 400},
		{"GET", "/api/search?q=x&lang=nl&limit=0", "", 400},
		{"GET", "/api/search?q=x&lang=nl&limit=51", "", 400},
		{"GET", "/api/search?q=x&lang=nl&limit=ten", "", 400},
		{"GET", "/api/search?q=x&lang=nl&offset=-1", "", 400},
		{"GET", "/api/search?q=x&lang=nl&offset=499&limit=2", "", 400},
		{"GET", "/api/search?q=x&lang=nl&page=0", "", 400},
		{"GET", "/api/search?q=x&lang=nl&page=two", "", 400},
		{"GET", "/api/search?q=x&lang=nl&page=51", "", 400},
		{"GET", "/api/search?q=x&lang=nl&page=2&offset=10", "", 400},
		{"GET", "/api/search?q=mensenhandel&lang=nl&page=9", "", 404}, // past the last page
		{"POST", "/api/search", "q=mensenhandel&lang=nl&offset=300", 404},
		{"GET", "/api/search?q=x&lang=nl&debug=1", "", 400},
		{"GET", "/api/search?q=x&q=y&lang=nl", "", 400},
		{"GET", "/api/search?q=%ff&lang=nl", "", 400},
		{"POST", "/api/search", "q=" + strings.Repeat("x", 9000) + "&lang=nl", 400},
		{"PUT", "/api/search?q=x&lang=nl", "", 405},
		{"DELETE", "/api/search", "", 405},
	} {
		w := serve(h, tc.method, tc.target, tc.body, "")
		if w.Code != tc.code {
			t.Errorf("%s %.80s: %d; want %d", tc.method, tc.target, w.Code, tc.code)
			continue
		}
		var e map[string]string
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e["error"] == "" {
			t.Errorf("%s %.80s: body %q is not {\"error\": ...}", tc.method, tc.target, w.Body)
		}
		checkHeaders(t, w)
	}
}

// TestHandlerQuerySyntaxIsText checks that bleve query syntax in q is searched as words.
func TestHandlerQuerySyntaxIsText(t *testing.T) {
	h := &Handler{Headers: testHeaders, Index: testIndex(t)}
	for _, q := range []string{"+title:mensenhandel", "mens*", "/mens.*/", "mensenhandel^10", `"unclosed`, "title:(a OR b)", "~~~", "\\"} {
		w := serve(h, "GET", "/api/search?lang=nl&q="+url.QueryEscape(q), "", "")
		if w.Code != 200 {
			t.Errorf("q=%q: %d %s; want 200", q, w.Code, w.Body)
		}
	}
}

func TestHandlerWithoutIndex(t *testing.T) {
	h := &Handler{Headers: testHeaders}
	w := serve(h, "GET", "/api/search?q=x&lang=nl", "", "")
	if w.Code != 503 {
		t.Errorf("no index: %d; want 503", w.Code)
	}
}

func TestHandlerNeverLogsQuery(t *testing.T) {
	ix := testIndex(t)
	var logs bytes.Buffer
	h := &Handler{Headers: testHeaders, Index: ix, Log: log.New(&logs, "", 0), Render: func(w io.Writer, lang string, q Query, res *Result, problem string) error {
		panic("template broke") // an internal error, which is logged
	}}
	secret := "geheimzoekwoord"
	serve(h, "POST", "/api/search", "q="+secret+"&lang=nl", "text/html")
	serve(h, "GET", "/api/search?q="+secret+"&lang=xx", "", "")
	if logs.Len() == 0 {
		t.Fatal("the internal error was not logged")
	}
	if strings.Contains(logs.String(), secret) {
		t.Errorf("the log contains the query: %s", logs.String())
	}
}

func TestHandlerRendersPageForForms(t *testing.T) {
	h := &Handler{Headers: testHeaders, Index: testIndex(t), Render: func(w io.Writer, lang string, q Query, res *Result, problem string) error {
		if res != nil {
			_, err := io.WriteString(w, "<p>"+lang+" results: "+res.Hits[0].URL)
			return err
		}
		_, err := io.WriteString(w, "<p>problem: "+problem)
		return err
	}}
	w := serve(h, "POST", "/api/search", "q=mensenhandel&lang=nl", "text/html,application/xhtml+xml")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "nl results: /nl/mensenhandel/") {
		t.Errorf("form post: %d %s", w.Code, w.Body)
	}
	w = serve(h, "POST", "/api/search", "q=&lang=nl", "text/html")
	if w.Code != 400 || !strings.Contains(w.Body.String(), "problem: q is empty") {
		t.Errorf("empty form post: %d %s", w.Code, w.Body)
	}
}

// FuzzHandler sends arbitrary parameters: the handler must answer 200, 400 or 405, never panic or 5xx.
func FuzzHandler(f *testing.F) {
	ix := testIndex(f)
	h := &Handler{Headers: testHeaders, Index: ix}
	f.Add("mensenhandel", "nl", "", "10", "0", "")
	f.Add("B8/3", "en", "Mensenhandel", "50", "450", "")
	f.Add("\x00\xff", "", "x", "-1", "abc", "")
	f.Add("uitbuiting", "nl", "", "2", "", "2")
	f.Add("uitbuiting", "nl", "", "", "", "-3")
	f.Fuzz(func(t *testing.T, q, lang, section, limit, offset, page string) {
		v := url.Values{"q": {q}, "lang": {lang}, "section": {section}, "limit": {limit}, "offset": {offset}, "page": {page}}
		for _, m := range []string{"GET", "POST"} {
			var w *httptest.ResponseRecorder
			if m == "GET" {
				w = serve(h, m, "/api/search?"+v.Encode(), "", "")
			} else {
				w = serve(h, m, "/api/search", v.Encode(), "")
			}
			// 404: a page of results past the last one.
			if w.Code != 200 && w.Code != 400 && w.Code != 404 {
				t.Fatalf("%s q=%q lang=%q section=%q limit=%q offset=%q page=%q: %d %s", m, q, lang, section, limit, offset, page, w.Code, w.Body)
			}
		}
	})
}

// FuzzClean checks the query normaliser: what it returns is valid UTF-8,
// without control or invisible formatting characters, without white space
// at either end or twice in a row, and cleaning it again changes nothing.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"bedenktijd", "  twee   woorden ", "a\u202eb", "x\u200by", "\ufeffstart", "tab\there", "\xff\xfe", "mensen\u2066handel\u2069"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("clean(%q) = %q is not valid UTF-8", s, c)
		}
		for _, r := range c {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
				t.Fatalf("clean(%q) = %q keeps %U", s, c, r)
			}
		}
		if c != strings.TrimSpace(c) || strings.Contains(c, "  ") {
			t.Fatalf("clean(%q) = %q has white space at an end or twice", s, c)
		}
		if again := clean(c); again != c {
			t.Fatalf("clean(clean(%q)) = %q, not %q", s, again, c)
		}
	})
}

// TestHandlerBusy: when every slot is taken, a search answers 503 with
// Retry-After, in JSON or as a results page for a form, after a short wait.
func TestHandlerBusy(t *testing.T) {
	h := &Handler{Headers: testHeaders, Index: testIndex(t), Slots: 2, Render: func(w io.Writer, lang string, q Query, res *Result, problem string) error {
		_, err := fmt.Fprintf(w, "page: %s", problem)
		return err
	}}
	var releases []func()
	for range 2 {
		release, ok := h.take(context.Background(), false)
		if !ok {
			t.Fatal("could not take a free slot")
		}
		releases = append(releases, release)
	}
	start := time.Now()
	w := serve(h, "GET", "/api/search?q=bedenktijd&lang=nl", "", "")
	if w.Code != 503 || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), `"error"`) {
		t.Errorf("busy: %d %s, Retry-After %q; want 503 with a JSON error and Retry-After", w.Code, w.Body, w.Header().Get("Retry-After"))
	}
	if waited := time.Since(start); waited < queueWait || waited > 4*queueWait {
		t.Errorf("a busy search waited %v; want about %v", waited, queueWait)
	}
	checkHeaders(t, w)
	w = serve(h, "POST", "/api/search", "q=bedenktijd&lang=nl", "text/html")
	if w.Code != 503 || !strings.Contains(w.Body.String(), "page: search is busy") {
		t.Errorf("busy form: %d %s; want 503 with the results page saying so", w.Code, w.Body)
	}
	releases[0]()
	if w := serve(h, "GET", "/api/search?q=bedenktijd&lang=nl", "", ""); w.Code != 200 {
		t.Errorf("with a slot free again: %d", w.Code)
	}
	// Long queries may take half the slots: a short one still finds one.
	releases[1]()
	heavy, _ := h.take(context.Background(), true)
	defer heavy()
	if _, ok := h.take(context.Background(), true); ok {
		t.Error("a second long query took a slot; long queries may take only half")
	}
	if w := serve(h, "GET", "/api/search?q=bedenktijd&lang=nl", "", ""); w.Code != 200 {
		t.Errorf("a short query beside a long one: %d", w.Code)
	}
}
