package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

// searchFolder builds the fixture (or content) and returns its search folder.
func searchFolder(t *testing.T, content string) string {
	t.Helper()
	if content == "" {
		content = copyTree(t, fixture)
	}
	return filepath.Join(buildFixture(t, content), site.SearchDir)
}

// bleveFiles are the files of a language's index, largest first.
func bleveFiles(t *testing.T, dir, lang string) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(filepath.Join(dir, lang, "bleve"), func(name string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, name)
		}
		return nil
	})
	sort.Slice(files, func(i, j int) bool {
		a, _ := os.Stat(files[i])
		b, _ := os.Stat(files[j])
		return a.Size() > b.Size()
	})
	if len(files) == 0 {
		t.Fatalf("no index files in %s", dir)
	}
	return files
}

// status asks the handler one question and returns the status and body.
func status(t *testing.T, h http.Handler, target string) (int, string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
	return w.Code, w.Body.String()
}

// TestSearchFolderChangedWhileServing damages the search folder that kb search
// serves, in every way an operator or a failing disk might, while searches
// run: kb search serves its own checked copy, so every search still answers
// 200, and a damaged new version is refused until a whole one is there.
func TestSearchFolderChangedWhileServing(t *testing.T) {
	live := searchFolder(t, "")
	contentB := copyTree(t, fixture)
	page := filepath.Join(contentB, "nl", "wat.md")
	src, _ := os.ReadFile(page)
	os.WriteFile(page, []byte(strings.Replace(string(src), "Dit is het eerste stuk.", "Dit is het eerste stuk over zeldzaamheid.", 1)), 0o644)
	versionB := searchFolder(t, contentB)

	var logs bytes.Buffer
	var mu sync.Mutex
	s := newSearchServer(live, log.New(&lockedWriter{w: &logs, mu: &mu}, "", 0))
	defer s.close()
	ts := httptest.NewServer(s)
	defer ts.Close()

	done := make(chan struct{})
	var answers, failures atomic.Int64
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
					failures.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				answers.Add(1)
				if resp.StatusCode != 200 {
					failures.Add(1)
				}
			}
		})
	}
	step := func(what string, do func()) {
		t.Helper()
		do()
		s.reload()
		time.Sleep(50 * time.Millisecond)
		if n := failures.Load(); n > 0 {
			t.Fatalf("after %s: %d searches failed", what, n)
		}
	}
	files := bleveFiles(t, live, "nl")
	step("truncating the largest segment", func() { os.Truncate(files[0], 16) })
	step("overwriting a file with garbage", func() { os.WriteFile(files[len(files)-1], []byte("garbage"), 0o644) })
	step("removing the English index", func() { os.RemoveAll(filepath.Join(live, "en", "bleve")) })
	// cp -r new/. live/ in the worst order: the new manifest first, then the files.
	step("copying a new version's manifest over", func() {
		data, _ := os.ReadFile(filepath.Join(versionB, endpoint.ManifestFile))
		os.WriteFile(filepath.Join(live, endpoint.ManifestFile), data, 0o644)
	})
	if got := s.cur.Load().e.Version; got == "" || strings.Contains("\n"+logs.String(), "\nserving version") {
		t.Fatalf("a half-copied version was served (%s):\n%s", got, logs.String())
	}
	step("copying the rest of the new version", func() {
		os.RemoveAll(live)
		os.CopyFS(live, os.DirFS(versionB))
	})
	close(done)
	wg.Wait()
	if code, body := status(t, s, "/api/search?lang=nl&q=zeldzaamheid"); code != 200 || !strings.Contains(body, "/nl/wat/") {
		t.Errorf("after the whole new version was copied: %d %s; want the new page found", code, body)
	}
	if code, _ := status(t, s, "/api/search?lang=en&q=reflection"); code != 200 {
		t.Errorf("English after the new version: %d", code)
	}
	t.Logf("%d searches while the folder was damaged and replaced; log:\n%s", answers.Load(), logs.String())
	if !strings.Contains(logs.String(), "is not all there") {
		t.Errorf("the log does not say the half-copied version was refused:\n%s", logs.String())
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestOneLanguageDamaged: a damaged Dutch index answers 503 with a JSON
// error, and English searches all the same; a stray folder beside them is
// left alone.
func TestOneLanguageDamaged(t *testing.T) {
	dir := searchFolder(t, "")
	os.Truncate(bleveFiles(t, dir, "nl")[0], 100)
	os.MkdirAll(filepath.Join(dir, "xx", "bleve"), 0o755)
	os.WriteFile(filepath.Join(dir, "xx", "page.html"), []byte("stray"), 0o644)
	os.MkdirAll(filepath.Join(dir, ".build-123"), 0o755)
	e, err := endpoint.OpenCopy(os.DirFS(dir), endpoint.Options{Headers: theme.HTTPHeaders()})
	if err == nil || !strings.Contains(err.Error(), "nl/bleve/") {
		t.Errorf("OpenCopy = %v; want an error naming the damaged Dutch file", err)
	}
	defer e.Close()
	code, body := status(t, e, "/api/search?lang=nl&q=bedenktijd")
	var answer map[string]any
	if code != 503 || json.Unmarshal([]byte(body), &answer) != nil || answer["error"] == nil {
		t.Errorf("Dutch: %d %s; want 503 with a JSON error", code, body)
	}
	if code, body := status(t, e, "/api/search?lang=en&q=reflection"); code != 200 || !strings.Contains(body, "reflection-period") {
		t.Errorf("English: %d %s; want 200 with results", code, body)
	}
	if code, _ := status(t, e, "/api/search?lang=xx&q=x"); code != 400 {
		t.Errorf("the stray folder's language: %d; want 400, it is no language of the site", code)
	}
}

// TestRoutes: the servers answer exact paths only, never with a redirect
// that carries a query, and always with the security headers; kb serve's
// 404 page is the site's own whatever the path.
func TestRoutes(t *testing.T) {
	s := newSearchServer(searchFolder(t, ""), log.New(io.Discard, "", 0))
	defer s.close()
	_, ts := previewServer(t, "", io.Discard)
	for _, tc := range []struct {
		name    string
		handler http.Handler
		url     string
		code    int
		want    string
	}{
		{"kb search, doubled slash", s, "/api//search?q=geheim&lang=nl", 404, `"error"`},
		{"kb search, other path", s, "/zoeken?q=geheim&lang=nl", 404, `"error"`},
		{"kb search, dot segment", s, "/api/./search?q=geheim&lang=nl", 404, `"error"`},
		{"kb search", s, "/api/search?q=bedenktijd&lang=nl", 200, `"hits"`},
	} {
		w := httptest.NewRecorder()
		tc.handler.ServeHTTP(w, httptest.NewRequest("GET", tc.url, nil))
		if w.Code != tc.code || !strings.Contains(w.Body.String(), tc.want) || w.Header().Get("Location") != "" {
			t.Errorf("%s: %d %s, Location %q; want %d with %s and no Location", tc.name, w.Code, w.Body.String(), w.Header().Get("Location"), tc.code, tc.want)
		}
		if w.Header().Get("Content-Security-Policy") == "" || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: headers %v lack the CSP or no-store", tc.name, w.Header())
		}
	}
	// kb serve, through a real connection so that the path is not cleaned on the way.
	for _, tc := range []struct{ path, want string }{
		{"/../../etc/passwd", "Pagina niet gevonden"},
		{"/nl/../../x", "Pagina niet gevonden"},
		{"/api//search?q=geheim&lang=nl", "Pagina niet gevonden"},
	} {
		resp, body := rawGet(t, ts.URL, tc.path)
		if !strings.HasPrefix(resp, "HTTP/1.1 404") || !strings.Contains(body, tc.want) || strings.Contains(resp, "Location:") {
			t.Errorf("kb serve GET %s: %s; want 404 with the site's own 404 page and no redirect", tc.path, strings.SplitN(resp, "\r\n", 2)[0])
		}
	}
	for _, hs := range []*http.Server{newHTTPServer(nil)} {
		if hs.ReadHeaderTimeout == 0 || hs.ReadTimeout == 0 || hs.WriteTimeout == 0 || hs.IdleTimeout == 0 || hs.IdleTimeout > 10*time.Second {
			t.Errorf("the servers' timeouts: %+v; every one must be set, idle connections closed within 10 s", hs)
		}
	}
}

// rawGet sends path as it is, without Go's client cleaning it, and returns
// the status line and headers, and the body.
func rawGet(t *testing.T, base, path string) (head, body string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path)
	data, _ := io.ReadAll(conn)
	head, body, _ = strings.Cut(string(data), "\r\n\r\n")
	return head, body
}
