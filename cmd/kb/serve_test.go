package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/theme"
)

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// previewServer starts kb serve's server on a copy of the fixture (or on
// content), built once with its index.
func previewServer(t *testing.T, content string, logs io.Writer) (*server, *httptest.Server) {
	t.Helper()
	if content == "" {
		content = copyTree(t, fixture)
	}
	srv := newServer(config{content: content, baseURL: "http://127.0.0.1", theme: theme.FS(), drafts: true, liveReload: true},
		func() time.Time { return testNow }, log.New(logs, "", 0))
	t.Cleanup(srv.Close)
	srv.rebuild(nil)
	srv.waitIndexed(1)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts
}

// TestServe runs the preview server on the fixture: pages with drafts and the
// reload script, the security headers, 404 pages per language, and a readable
// error page while the content is broken, which clears once it is fixed.
func TestServe(t *testing.T) {
	var logs strings.Builder
	srv, ts := previewServer(t, "", &logs)
	content := srv.cfg.content

	resp, body := get(t, ts.URL+"/nl/wat/")
	if resp.StatusCode != 200 || !strings.Contains(body, `<script src="/_kb/livereload.js" defer></script>`) {
		t.Errorf("GET /nl/wat/: %d, reload script present: %v", resp.StatusCode, strings.Contains(body, "livereload"))
	}
	for _, h := range theme.Headers {
		if got := resp.Header.Get(h.Name); got != h.Value {
			t.Errorf("header %s = %q; want %q", h.Name, got, h.Value)
		}
	}
	if got := resp.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("GET /nl/wat/: Content-Type %q", got)
	}
	if resp, _ := get(t, ts.URL+"/nl/wat"); resp.Request.URL.Path != "/nl/wat/" {
		t.Errorf("GET /nl/wat was not sent on to /nl/wat/: ended at %s", resp.Request.URL)
	}
	if _, body := get(t, ts.URL+"/nl/concept/"); !strings.Contains(body, "Concept: deze pagina staat alleen in het voorbeeld") {
		t.Error("the draft page has no draft banner in kb serve")
	}
	if resp, body := get(t, ts.URL+"/en/nothing-here/"); resp.StatusCode != 404 || !strings.Contains(body, "Page not found") {
		t.Errorf("GET /en/nothing-here/: %d, want 404 with the English 404 page", resp.StatusCode)
	}
	if resp, body := get(t, ts.URL+"/nergens"); resp.StatusCode != 404 || !strings.Contains(body, "Pagina niet gevonden") {
		t.Errorf("GET /nergens: %d, want 404 with the bilingual 404 page", resp.StatusCode)
	}
	if resp, _ := get(t, ts.URL+"/_search/results.tmpl"); resp.StatusCode != 404 {
		t.Errorf("GET /_search/results.tmpl: %d; the search folder is not for visitors", resp.StatusCode)
	}
	if resp, _ := get(t, ts.URL+"/_kb/livereload.js"); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("GET /_kb/livereload.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// Search: JSON for scripts, a whole results page for a form posted without JavaScript.
	if resp, body := get(t, ts.URL+"/api/search?lang=nl&q=bedenktijd"); resp.StatusCode != 200 || !strings.Contains(body, `"url":"/nl/regels/bedenktijd/"`) {
		t.Errorf("GET /api/search: %d %s", resp.StatusCode, body)
	}
	body = postForm(t, ts.URL+"/api/search", "lang=en&q=reflection", 200)
	for _, want := range []string{`<html lang="en"`, `class="kb-search-results__list`, `href="/en/rules/reflection-period/"`, `value="reflection"`, `<mark>`, "Exit this page"} {
		if !strings.Contains(body, want) {
			t.Errorf("results page lacks %q:\n%s", want, body)
		}
	}

	// Break a page: the preview shows the problem, the terminal log too.
	page := filepath.Join(content, "nl", "wat.md")
	good, _ := os.ReadFile(page)
	os.WriteFile(page, []byte(strings.Replace(string(good), "title:", "titel:", 1)), 0o644)
	srv.rebuild([]string{"nl/wat.md"})
	resp, body = get(t, ts.URL+"/nl/")
	want := `wat.md:2: error: unknown front matter field &#34;titel&#34;`
	if resp.StatusCode != 500 || !strings.Contains(body, want) || !strings.Contains(body, "livereload.js") {
		t.Errorf("GET /nl/ while broken: %d\n%s\nwant 500 and %s", resp.StatusCode, body, want)
	}
	if !strings.Contains(logs.String(), `wat.md:2: error: unknown front matter field "titel"`) {
		t.Errorf("terminal log lacks the problem:\n%s", logs.String())
	}
	if resp, _ := get(t, ts.URL+firstCSS(t, srv)); resp.StatusCode != 200 {
		t.Errorf("the last good site's CSS is gone while the build is broken: %d", resp.StatusCode)
	}

	os.WriteFile(page, good, 0o644)
	srv.rebuild([]string{"nl/wat.md"})
	if resp, _ := get(t, ts.URL+"/nl/"); resp.StatusCode != 200 {
		t.Errorf("GET /nl/ after the fix: %d, want 200", resp.StatusCode)
	}
}

// postForm posts a search form as a browser without JavaScript does, and returns the page.
func postForm(t *testing.T, url, form string, status int) string {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("POST %s %s: %d, Cache-Control %q; want %d and no-store", url, form, resp.StatusCode, resp.Header.Get("Cache-Control"), status)
	}
	return string(body)
}

// firstCSS is the URL path of the stylesheet the server serves.
func firstCSS(t *testing.T, srv *server) string {
	for _, name := range srv.state.Load().tree.Files() {
		if strings.HasPrefix(name, "assets/site.") && strings.HasSuffix(name, ".css") {
			return "/" + name
		}
	}
	t.Fatal("no CSS built")
	return ""
}

// TestServeReloadsOnChange edits a file and waits for the reload event that
// the watcher sends after rebuilding.
func TestServeReloadsOnChange(t *testing.T) {
	srv, ts := previewServer(t, "", io.Discard)
	content := srv.cfg.content
	w, err := fsnotify.NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := watchTree(w, content); err != nil {
		t.Fatal(err)
	}
	go srv.watch(w, "")

	resp, err := http.Get(ts.URL + "/_kb/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan bool, 10)
	go func() {
		lines := bufio.NewScanner(resp.Body)
		for lines.Scan() {
			if lines.Text() == "event: reload" {
				events <- true
			}
		}
	}()
	waitFor := func(what, path, want string) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case <-events:
				if resp, body := get(t, ts.URL+path); resp.StatusCode == 200 && strings.Contains(body, want) {
					return
				}
			case <-deadline:
				t.Fatalf("no reload event with %s within 10 s", what)
			}
		}
	}

	// An edit of a page's text: rebuilt incrementally.
	page := filepath.Join(content, "nl", "wat.md")
	src, _ := os.ReadFile(page)
	os.WriteFile(page, []byte(strings.Replace(string(src), "Dit is het eerste stuk.", "Dit is het bewerkte stuk.", 1)), 0o644)
	waitFor("the edited page", "/nl/wat/", "Dit is het bewerkte stuk.")

	// A new page in a new folder: the watcher must pick up folders made after start.
	os.MkdirAll(filepath.Join(content, "nl", "nieuw"), 0o755)
	time.Sleep(100 * time.Millisecond)
	os.WriteFile(filepath.Join(content, "nl", "nieuw", "index.md"), []byte("---\ntitle: Nieuw\ndescription: Nieuw onderdeel.\ntype: section\nreviewed: 2026-11-23\n---\nNieuw.\n"), 0o644)
	waitFor("the new page", "/nl/nieuw/", "Nieuw onderdeel.")
}

// TestServeSearchDuringRebuild searches without pause while the preview
// rebuilds: a rebuild must not close the index under a running search.
func TestServeSearchDuringRebuild(t *testing.T) {
	srv, ts := previewServer(t, "", io.Discard)
	done := make(chan struct{})
	failures := make(chan string, 100)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				resp, err := http.Get(ts.URL + "/api/search?lang=nl&q=bedenktijd")
				if err != nil {
					failures <- err.Error()
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failures <- resp.Status
					return
				}
			}
		})
	}
	for i := range 10 {
		srv.rebuild(nil)
		srv.waitIndexed(i + 2)
	}
	close(done)
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Errorf("a search during a rebuild failed: %s", f)
	}
}

// TestServeWhileEditing fetches a page without pause while its text is
// edited and the site rebuilt, incrementally and whole: every answer is 200
// with a whole page, never a 404 or half a page.
func TestServeWhileEditing(t *testing.T) {
	srv, ts := previewServer(t, "", io.Discard)
	page := filepath.Join(srv.cfg.content, "nl", "wat.md")
	src, _ := os.ReadFile(page)
	done := make(chan struct{})
	var gets, bad sync.Map
	var wg sync.WaitGroup
	for c := range 4 {
		wg.Go(func() {
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			for n := 0; ; n++ {
				select {
				case <-done:
					gets.Store(c, n)
					return
				default:
				}
				resp, err := client.Get(ts.URL + []string{"/nl/wat/", "/en/what/", "/nl/", "/assets/" + strings.TrimPrefix(firstCSS(t, srv), "/assets/")}[c])
				if err != nil {
					bad.Store(fmt.Sprint(c, n), err.Error())
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || (c < 3 && !strings.HasSuffix(strings.TrimSpace(string(body)), "</html>")) {
					bad.Store(fmt.Sprint(c, n), fmt.Sprintf("%s, %d bytes", resp.Status, len(body)))
				}
			}
		})
	}
	for i := range 30 {
		edit := strings.Replace(string(src), "Dit is het eerste stuk.", fmt.Sprintf("Dit is versie %d van het eerste stuk.", i), 1)
		os.WriteFile(page, []byte(edit), 0o644)
		if i%10 == 9 {
			srv.rebuild(nil)
		} else {
			srv.rebuild([]string{"nl/wat.md"})
		}
	}
	close(done)
	wg.Wait()
	total := 0
	gets.Range(func(_, n any) bool { total += n.(int); return true })
	bad.Range(func(k, v any) bool {
		t.Errorf("GET %v during rebuilds: %v", k, v)
		return true
	})
	if total < 100 {
		t.Errorf("only %d GETs during 30 rebuilds; the test did not test much", total)
	}
	t.Logf("%d GETs during 30 rebuilds", total)
}

// TestServeBrokenIndex: an index that cannot be opened, at the start or
// after a rebuild, makes search answer 503 with a JSON error; the site is
// served all the same, and a later good index brings search back.
func TestServeBrokenIndex(t *testing.T) {
	var logs strings.Builder
	content := copyTree(t, fixture)
	srv := newServer(config{content: content, baseURL: "http://127.0.0.1", theme: theme.FS(), drafts: true},
		func() time.Time { return testNow }, log.New(&logs, "", 0))
	defer srv.Close()
	breakIndex := func(how string) {
		srv.openIndex = func(dir string) (*endpoint.Endpoint, error) {
			switch how {
			case "missing": // the Dutch index is gone
				os.RemoveAll(filepath.Join(dir, "nl", "bleve"))
			case "truncated": // every file of the Dutch index cut short
				filepath.WalkDir(filepath.Join(dir, "nl", "bleve"), func(name string, d os.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						os.Truncate(name, 10)
					}
					return nil
				})
			}
			return endpoint.Open(dir, endpoint.Options{Headers: theme.HTTPHeaders(), Log: srv.log})
		}
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	searchAnswers := func(when string, status int) {
		t.Helper()
		resp, body := get(t, ts.URL+"/api/search?lang=nl&q=bedenktijd")
		var e map[string]any
		if resp.StatusCode != status || (status != 200 && json.Unmarshal([]byte(body), &e) != nil) {
			t.Errorf("%s: search answered %d %s; want %d with JSON", when, resp.StatusCode, body, status)
		}
		if resp, _ := get(t, ts.URL+"/nl/wat/"); resp.StatusCode != 200 {
			t.Errorf("%s: the site answered %d", when, resp.StatusCode)
		}
	}
	breakIndex("missing")
	srv.rebuild(nil)
	srv.waitIndexed(1)
	searchAnswers("index missing at the start", 503)
	breakIndex("")
	srv.rebuild(nil)
	srv.waitIndexed(2)
	searchAnswers("a good index after that", 200)
	breakIndex("truncated")
	srv.rebuild(nil)
	srv.waitIndexed(3)
	searchAnswers("index damaged after a rebuild", 503)
	breakIndex("")
	srv.rebuild(nil)
	srv.waitIndexed(4)
	searchAnswers("a good index again", 200)
	if !strings.Contains(logs.String(), "search is not available") {
		t.Errorf("the log does not say search is not available:\n%s", logs.String())
	}
}
