package main

import (
	"bufio"
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

// TestServe runs the preview server on the fixture: pages with drafts and the
// reload script, the security headers, 404 pages per language, and a readable
// error page while the content is broken, which clears once it is fixed.
func TestServe(t *testing.T) {
	content := copyTree(t, fixture)
	var logs strings.Builder
	srv := newServer(config{
		content: content, out: filepath.Join(t.TempDir(), "site"), index: filepath.Join(t.TempDir(), "index"), baseURL: "http://127.0.0.1",
		theme: theme.FS(), drafts: true, liveReload: true,
	}, log.New(&logs, "", 0))
	srv.rebuild()
	ts := httptest.NewServer(srv)
	defer ts.Close()

	resp, body := get(t, ts.URL+"/nl/wat/")
	if resp.StatusCode != 200 || !strings.Contains(body, `<script src="/_kb/livereload.js" defer></script>`) {
		t.Errorf("GET /nl/wat/: %d, reload script present: %v", resp.StatusCode, strings.Contains(body, "livereload"))
	}
	for _, h := range theme.Headers {
		if got := resp.Header.Get(h.Name); got != h.Value {
			t.Errorf("header %s = %q; want %q", h.Name, got, h.Value)
		}
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
	if resp, _ := get(t, ts.URL+"/_kb/livereload.js"); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("GET /_kb/livereload.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// Search: JSON for scripts, a whole results page for a form posted without JavaScript.
	if resp, body := get(t, ts.URL+"/api/search?lang=nl&q=bedenktijd"); resp.StatusCode != 200 || !strings.Contains(body, `"url":"/nl/regels/bedenktijd/"`) {
		t.Errorf("GET /api/search: %d %s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest("POST", ts.URL+"/api/search", strings.NewReader("lang=en&q=reflection"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Error(err)
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{`<html lang="en"`, `class="kb-search-results__list`, `href="/en/rules/reflection-period/"`, `value="reflection"`, `<mark>`, "Exit this page"} {
			if !strings.Contains(string(body), want) {
				t.Errorf("results page lacks %q:\n%s", want, body)
			}
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("results page Cache-Control = %q", resp.Header.Get("Cache-Control"))
		}
	}

	// Break a page: the preview shows the problem, the terminal log too.
	page := filepath.Join(content, "nl", "wat.md")
	good, _ := os.ReadFile(page)
	os.WriteFile(page, []byte(strings.Replace(string(good), "title:", "titel:", 1)), 0o644)
	srv.rebuild()
	resp, body = get(t, ts.URL+"/nl/")
	want := `wat.md:2: error: unknown front matter field &#34;titel&#34;`
	if resp.StatusCode != 500 || !strings.Contains(body, want) || !strings.Contains(body, "livereload.js") {
		t.Errorf("GET /nl/ while broken: %d\n%s\nwant 500 and %s", resp.StatusCode, body, want)
	}
	if !strings.Contains(logs.String(), `wat.md:2: error: unknown front matter field "titel"`) {
		t.Errorf("terminal log lacks the problem:\n%s", logs.String())
	}
	if resp, _ := get(t, ts.URL+"/assets/"+filepath.Base(firstCSS(t, srv.cfg.out))); resp.StatusCode != 200 {
		t.Errorf("the last good site's CSS is gone while the build is broken: %d", resp.StatusCode)
	}

	os.WriteFile(page, good, 0o644)
	srv.rebuild()
	if resp, _ := get(t, ts.URL+"/nl/"); resp.StatusCode != 200 {
		t.Errorf("GET /nl/ after the fix: %d, want 200", resp.StatusCode)
	}
}

func firstCSS(t *testing.T, out string) string {
	css, _ := filepath.Glob(filepath.Join(out, "assets", "*.css"))
	if len(css) == 0 {
		t.Fatal("no CSS built")
	}
	return css[0]
}

// TestServeReloadsOnChange edits a file and waits for the reload event that
// the watcher sends after rebuilding.
func TestServeReloadsOnChange(t *testing.T) {
	content := copyTree(t, fixture)
	srv := newServer(config{
		content: content, out: filepath.Join(t.TempDir(), "site"), index: filepath.Join(t.TempDir(), "index"), baseURL: "http://127.0.0.1",
		theme: theme.FS(), drafts: true, liveReload: true,
	}, log.New(io.Discard, "", 0))
	srv.rebuild()
	w, err := fsnotify.NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := watchTree(w, content); err != nil {
		t.Fatal(err)
	}
	go srv.watch(w)
	ts := httptest.NewServer(srv)
	defer ts.Close()

	resp, err := http.Get(ts.URL + "/_kb/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	lines.Scan() // ": connected"

	// A new page in a new folder: the watcher must pick up folders made after start.
	os.MkdirAll(filepath.Join(content, "nl", "nieuw"), 0o755)
	time.Sleep(200 * time.Millisecond)
	page := "---\ntitle: Nieuw\ndescription: Nieuw onderdeel.\ntype: section\nreviewed: 2026-11-23\n---\nNieuw.\n"
	os.WriteFile(filepath.Join(content, "nl", "nieuw", "index.md"), []byte(page), 0o644)

	got := make(chan bool, 1)
	go func() {
		for lines.Scan() {
			if lines.Text() == "event: reload" {
				got <- true
				return
			}
		}
	}()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case <-got:
			if resp, _ := get(t, ts.URL+"/nl/nieuw/"); resp.StatusCode == 200 {
				return
			}
			// the first event may be for the folder; wait for the next
			go func() {
				for lines.Scan() {
					if lines.Text() == "event: reload" {
						got <- true
						return
					}
				}
			}()
		case <-deadline:
			t.Fatal("no reload event with the new page within 10 s")
		}
	}
}

// TestServeSearchDuringRebuild searches without pause while the preview
// rebuilds: a rebuild must not close the index under a running search.
func TestServeSearchDuringRebuild(t *testing.T) {
	srv := newServer(config{
		content: fixture, out: filepath.Join(t.TempDir(), "site"), index: filepath.Join(t.TempDir(), "index"), baseURL: "http://127.0.0.1",
		theme: theme.FS(),
	}, log.New(io.Discard, "", 0))
	srv.rebuild()
	ts := httptest.NewServer(srv)
	defer ts.Close()
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
	for range 20 {
		srv.rebuild()
	}
	close(done)
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Errorf("a search during a rebuild failed: %s", f)
	}
}
