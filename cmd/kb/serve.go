package main

import (
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/search"
	"github.com/kb-mensenhandel/kb/theme"
)

//go:embed livereload.js
var liveReloadJS []byte

func runServe(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kb serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "address to listen on")
	contentDir := fl.String("content", "content", "folder with one subfolder of Markdown per language")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	logger := log.New(stderr, "kb serve: ", 0)

	out, err := os.MkdirTemp("", "kb-serve-")
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer os.RemoveAll(out)
	// Edits to the theme show without a restart when kb runs in the repository;
	// elsewhere it uses the theme built into the binary.
	themeFS, themeDir := theme.FS(), ""
	if _, err := os.Stat(filepath.Join("theme", "theme.go")); err == nil {
		themeFS, themeDir = os.DirFS("theme"), "theme"
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Print(err)
		return 1
	}
	srv := newServer(config{
		content: *contentDir, out: filepath.Join(out, "site"), index: filepath.Join(out, "index"),
		baseURL: "http://" + ln.Addr().String(), theme: themeFS, drafts: true, liveReload: true,
	}, logger)
	srv.rebuild()

	watcher, err := fsnotify.NewWatcher()
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer watcher.Close()
	for _, dir := range []string{*contentDir, themeDir} {
		if dir != "" {
			if err := watchTree(watcher, dir); err != nil {
				logger.Print(err)
				return 1
			}
		}
	}
	go srv.watch(watcher)

	fmt.Fprintf(stdout, "kb serve: http://%s/ (drafts shown; Ctrl-C stops)\n", ln.Addr())
	if err := serveUntilSignal(ln, &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}); err != nil {
		logger.Print(err)
		return 1
	}
	return 0
}

// serveUntilSignal serves on ln until Ctrl-C or SIGTERM.
func serveUntilSignal(ln net.Listener, hs *http.Server) error {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	go func() {
		<-stop
		hs.Close()
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// server serves the last good build and, while the last build failed, its errors.
type server struct {
	cfg    config
	log    *log.Logger
	static http.Handler

	mu      sync.Mutex
	failure error                  // the last build's error, nil when it succeeded
	clients map[chan struct{}]bool // open /_kb/events streams
	search  *searcher              // over the last good build's index
}

// searcher is the search endpoint over one build's index. Requests hold its
// read lock while they run, so that a rebuild closes the old index only after
// the searches still running on it have finished.
type searcher struct {
	sync.RWMutex
	h *search.Handler
}

func newServer(cfg config, logger *log.Logger) *server {
	return &server{cfg: cfg, log: logger, static: http.FileServer(http.Dir(cfg.out)), clients: map[chan struct{}]bool{}}
}

// rebuild builds the site, keeps the error for the browser, and tells open pages to reload.
func (s *server) rebuild() {
	start := time.Now()
	res, err := build(s.cfg)
	if err != nil {
		var b bytes.Buffer
		report(&b, err, "the preview")
		s.log.Print(strings.TrimRight(b.String(), "\n"))
	} else {
		for _, f := range res.findings {
			if f.Severity == content.SevWarning {
				s.log.Print(f)
			}
		}
		s.log.Printf("built %d pages in %v", res.pages, time.Since(start).Round(time.Millisecond))
	}
	var h *search.Handler
	if err == nil {
		var openErr error
		if h, openErr = endpoint.Open(s.cfg.index, s.cfg.theme, s.log); openErr != nil {
			s.log.Printf("search is not available: %v", openErr)
		}
	}
	s.mu.Lock()
	s.failure = err
	if h != nil {
		if old := s.search; old != nil {
			go func() {
				old.Lock() // waits for the searches still running on it
				old.h.Index.Close()
			}()
		}
		s.search = &searcher{h: h}
	}
	for c := range s.clients {
		select {
		case c <- struct{}{}:
		default:
		}
	}
	s.mu.Unlock()
}

// watch rebuilds after changes, waiting for a short quiet spell so that an
// editor's save (often several events) causes one build.
func (s *server) watch(w *fsnotify.Watcher) {
	const quiet = 100 * time.Millisecond
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					watchTree(w, ev.Name)
				}
			}
			timer.Reset(quiet)
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			s.log.Print(err)
		case <-timer.C:
			s.rebuild()
		}
	}
}

// watchTree watches dir and every folder below it (fsnotify does not recurse).
func watchTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return w.Add(name)
	})
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for _, h := range theme.Headers {
		w.Header().Set(h.Name, h.Value)
	}
	w.Header().Set("Cache-Control", "no-store")
	switch r.URL.Path {
	case "/_kb/livereload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(liveReloadJS)
		return
	case "/_kb/events":
		s.events(w, r)
		return
	case "/api/search":
		s.mu.Lock()
		cur := s.search
		if cur != nil {
			cur.RLock()
		}
		s.mu.Unlock()
		if cur == nil {
			(&search.Handler{}).ServeHTTP(w, r) // no good build yet: 503
			return
		}
		defer cur.RUnlock()
		cur.h.ServeHTTP(w, r)
		return
	}
	s.mu.Lock()
	failure := s.failure
	s.mu.Unlock()
	if failure != nil && (strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(r.URL.Path, ".html")) {
		s.errorPage(w, failure)
		return
	}
	if !s.exists(r.URL.Path) {
		s.notFound(w, r)
		return
	}
	s.static.ServeHTTP(w, r)
}

// exists reports whether the URL path names a file of the site, or a folder with an index.html.
func (s *server) exists(urlPath string) bool {
	name := filepath.Join(s.cfg.out, filepath.FromSlash(path.Clean("/"+urlPath)))
	fi, err := os.Stat(name)
	if err == nil && fi.IsDir() {
		_, err = os.Stat(filepath.Join(name, "index.html"))
	}
	return err == nil
}

// notFound serves the 404 page of the language the path is in, or the bilingual one.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	page := "/404.html"
	if lang, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); lang != "" && s.exists("/"+lang+"/404.html") {
		page = "/" + lang + "/404.html"
	}
	data, err := os.ReadFile(filepath.Join(s.cfg.out, filepath.FromSlash(page)))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write(data)
}

var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed</title><script src="/_kb/livereload.js" defer></script></head>
<body>
<main>
<h1>The site could not be built</h1>
<p>Fix these problems in the files named; this page reloads by itself when the build succeeds.
The terminal running kb serve shows the same list.</p>
<ul>
{{- range .}}
<li><p>{{.}}</p></li>
{{- end}}
</ul>
</main>
</body>
</html>
`))

func (s *server) errorPage(w http.ResponseWriter, failure error) {
	var b bytes.Buffer
	report(&b, failure, "the preview")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	errorPage.Execute(w, strings.Split(strings.TrimSpace(b.String()), "\n"))
}

// events streams a "reload" event after every build, for livereload.js.
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan struct{}, 1)
	s.mu.Lock()
	s.clients[c] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-c:
			fmt.Fprint(w, "event: reload\ndata: built\n\n")
			flusher.Flush()
		}
	}
}
