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
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/kb-mensenhandel/kb/cmd/internal/build"
	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/search"
	"github.com/kb-mensenhandel/kb/theme"
)

//go:embed livereload.js
var liveReloadJS []byte

func runServe(args []string, stdout, stderr io.Writer, clock func() time.Time) int {
	fl := flag.NewFlagSet("kb serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "address to listen on")
	contentDir := fl.String("content", "content", "folder with one subfolder of Markdown per language")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	logger := log.New(stderr, "kb serve: ", 0)
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
		content: *contentDir, baseURL: "http://" + ln.Addr().String(), theme: themeFS, drafts: true, liveReload: true,
	}, clock, logger)
	defer srv.Close()
	srv.rebuild(nil)

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
	go srv.watch(watcher, themeDir)

	fmt.Fprintf(stdout, "kb serve: http://%s/ (drafts shown; Ctrl-C stops)\n", ln.Addr())
	if err := serveUntilSignal(ln, newHTTPServer(srv)); err != nil {
		logger.Print(err)
		return 1
	}
	return 0
}

// newHTTPServer is the HTTP server of kb serve and kb search: no request may
// hold a connection for long.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 10 * time.Second}
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

// server serves the last good build from memory and, while the last build
// failed, its errors. A build replaces what is served in one step (an atomic
// pointer), so a request sees the old site or the new one, never a mix and
// never a missing file.
type server struct {
	cfg   config
	clock func() time.Time
	log   *log.Logger

	state  atomic.Pointer[state]    // what is served
	search atomic.Pointer[searcher] // over the index of a recent build; nil before the first

	preview      *build.Preview // used by one goroutine at a time: rebuild's caller
	closeContent func()
	warned       []string // the warnings of the last good build, printed once
	indexer      chan indexJob
	openIndex    func(dir string) (*endpoint.Endpoint, error) // endpoint.Open; tests break the index with it

	mu      sync.Mutex
	closed  bool                   // Close was called: no more indexes
	clients map[chan struct{}]bool // open /_kb/events streams
	indexed sync.Cond              // signalled when an index is swapped in
	indexes int                    // how many indexes have been swapped in
}

// state is one build as it is served.
type state struct {
	tree    *out.Mem // the last good build; nil before there is one
	failure error    // the last build's error, nil when it succeeded
}

// searcher is the search endpoint over one build's index. Requests hold its
// read lock while they run, so that the index closes only after the searches
// still running on it have finished.
type searcher struct {
	sync.RWMutex
	e       *endpoint.Endpoint
	dir     string // the index folder, removed once the index is closed
	partial bool   // some languages (or all) could not be opened
}

func newServer(cfg config, clock func() time.Time, logger *log.Logger) *server {
	s := &server{cfg: cfg, clock: clock, log: logger, clients: map[chan struct{}]bool{}, indexer: make(chan indexJob, 1)}
	s.openIndex = func(dir string) (*endpoint.Endpoint, error) {
		return endpoint.Open(dir, endpoint.Options{Headers: theme.HTTPHeaders(), Log: logger})
	}
	s.indexed.L = &s.mu
	s.state.Store(&state{})
	// The content stays open as long as the server: a folder that cannot be
	// opened shows as the build's error.
	fsys, done, err := contentFS(cfg.content)
	if err != nil {
		fsys, done = failingFS{err}, func() {}
	}
	s.closeContent = done
	s.preview = &build.Preview{Content: fsys, Config: cfg.buildConfig()}
	go s.indexLoop()
	return s
}

// Close stops the indexer and closes the index. Rebuilds after it serve
// their site but build no index.
func (s *server) Close() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.indexer)
	}
	s.mu.Unlock()
	if cur := s.search.Swap(nil); cur != nil {
		cur.close()
	}
	s.closeContent()
}

// failingFS is a content folder that could not be opened.
type failingFS struct{ err error }

func (f failingFS) Open(string) (fs.File, error) { return nil, f.err }

// rebuild builds the site again after files changed (slash paths from the
// content folder; nil for everything), serves it, keeps the error for the
// browser, and tells open pages to reload. Only one rebuild runs at a time.
func (s *server) rebuild(changed []string) {
	start := time.Now()
	p := s.preview
	p.Config.Now = s.clock()
	var err error
	if p.Site == nil || changed == nil {
		p.Site, err = site.New(s.cfg.theme)
	}
	var tree *out.Mem
	var res *build.Result
	if err == nil {
		if changed == nil {
			// An edit changes no commit: the history is read again only for a whole build.
			h := <-readHistory(s.cfg.content)
			if h.note != "" {
				s.log.Print(h.note)
			}
			p.Config.History = h.log
			tree, res, err = p.Build()
		} else {
			tree, res, err = p.Update()
		}
	}
	if err != nil {
		var b bytes.Buffer
		report(&b, err, "the preview")
		s.log.Print(strings.TrimRight(b.String(), "\n"))
		prev := s.state.Load()
		s.state.Store(&state{tree: prev.tree, failure: err})
	} else {
		// The warnings of the first build, then those an edit brought.
		seen := map[string]bool{}
		for _, f := range s.warned {
			seen[f] = true
		}
		s.warned = s.warned[:0]
		for _, f := range res.Findings {
			if f.Severity == content.SevWarning {
				line := f.Error()
				if !seen[line] {
					s.log.Print(line)
				}
				s.warned = append(s.warned, line)
			}
		}
		if res.Redone == res.Pages() {
			s.log.Printf("built %d pages in %v", res.Pages(), time.Since(start).Round(time.Millisecond))
		} else {
			s.log.Printf("built %d of %d pages again in %v", res.Redone, res.Pages(), time.Since(start).Round(time.Millisecond))
		}
		s.state.Store(&state{tree: tree})
		// The index follows in the background; a newer build replaces an older one waiting.
		s.mu.Lock()
		if !s.closed {
			select {
			case <-s.indexer:
			default:
			}
			s.indexer <- indexJob{tree, res}
		}
		s.mu.Unlock()
	}
	s.mu.Lock()
	for c := range s.clients {
		select {
		case c <- struct{}{}:
		default:
		}
	}
	s.mu.Unlock()
}

// indexJob is a build whose index is to be made.
type indexJob struct {
	tree *out.Mem
	res  *build.Result
}

// indexQuiet is how long the preview waits after a build before it indexes
// it: while an editor saves page after page, the index would be out of date
// before it was done, and building it takes the cores the preview needs.
const indexQuiet = 250 * time.Millisecond

// indexLoop builds the search index of each build it is given, one at a
// time, and swaps it in. A build's index that cannot be built or opened
// leaves search answering 503 with a JSON error until the next build: the
// site is served all the same.
func (s *server) indexLoop() {
	for job := range s.indexer {
		if s.search.Load() != nil { // the first index is made at once
			timer := time.NewTimer(indexQuiet)
		quiet:
			for {
				select {
				case newer, ok := <-s.indexer:
					if !ok {
						timer.Stop()
						return
					}
					job = newer
					timer.Reset(indexQuiet)
				case <-timer.C:
					break quiet
				}
			}
		}
		next := &searcher{e: &endpoint.Endpoint{Handler: &search.Handler{Headers: theme.HTTPHeaders(), Log: s.log}}}
		dir, err := os.MkdirTemp("", "kb-serve-index-")
		if err == nil {
			next.dir = dir
			err = writeSearchFiles(job.tree, dir)
		}
		if err == nil {
			err = build.Index(job.res.Rendered, dir, 1)
		}
		if err == nil {
			var e *endpoint.Endpoint
			if e, err = s.openIndex(dir); e != nil {
				next.e = e // a language without its index answers 503
			}
		}
		if err != nil {
			s.log.Printf("search is not available: %v", err)
		}
		if old := s.search.Swap(next); old != nil {
			go old.close()
		}
		s.mu.Lock()
		s.indexes++
		s.indexed.Broadcast()
		s.mu.Unlock()
	}
}

// waitIndexed waits until n indexes in all have been swapped in (for tests).
func (s *server) waitIndexed(n int) {
	s.mu.Lock()
	for s.indexes < n {
		s.indexed.Wait()
	}
	s.mu.Unlock()
}

// close closes the index once the searches running on it are done, and removes its folder.
func (sr *searcher) close() {
	sr.Lock()
	sr.e.Close()
	if sr.dir != "" {
		os.RemoveAll(sr.dir)
	}
	sr.Unlock()
}

// writeSearchFiles writes the search files of tree (the results pages) to dir, where the index goes beside them.
func writeSearchFiles(tree *out.Mem, dir string) error {
	prefix := site.SearchDir + "/"
	for _, name := range tree.Files() {
		rel, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		data, _ := tree.File(name)
		file := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(file, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// watch rebuilds after changes. The first event starts a rebuild at once,
// after a short pause that gathers the events of one save (an editor often
// writes, then renames, then changes the mode); events during a rebuild
// cause one more rebuild after it.
func (s *server) watch(w *fsnotify.Watcher, themeDir string) {
	const settle = 10 * time.Millisecond
	contentDir := filepath.Clean(s.cfg.content)
	pending := map[string]bool{} // changed content files, slash paths in the content folder
	all := false                 // something else changed: build everything
	add := func(ev fsnotify.Event) {
		if ev.Has(fsnotify.Create) {
			if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
				watchTree(w, ev.Name)
				all = true
			}
		}
		rel, err := filepath.Rel(contentDir, ev.Name)
		switch {
		case err != nil || strings.HasPrefix(rel, ".."):
			all = true // the theme
		case ev.Has(fsnotify.Write) || ev.Has(fsnotify.Chmod):
			pending[filepath.ToSlash(rel)] = true
		default:
			all = true // a page was added, removed or renamed
		}
	}
	for {
		select {
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			add(ev)
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			s.log.Print(err)
			continue
		}
		// Gather the rest of the save.
		timer := time.NewTimer(settle)
	gather:
		for {
			select {
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				add(ev)
			case <-timer.C:
				break gather
			}
		}
		var files []string
		if !all {
			for f := range pending {
				if strings.HasSuffix(f, ".md") {
					files = append(files, f)
				}
			}
			if len(files) == 0 {
				pending = map[string]bool{}
				continue // nothing the site is made of, such as an editor's swap file
			}
		}
		s.rebuild(files)
		pending, all = map[string]bool{}, false
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
		cur := s.search.Load()
		if cur == nil {
			(&search.Handler{Headers: theme.HTTPHeaders()}).ServeHTTP(w, r) // no index yet: 503
			return
		}
		cur.RLock()
		defer cur.RUnlock()
		cur.e.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	st := s.state.Load()
	clean := path.Clean("/" + r.URL.Path)
	if st.failure != nil && (strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(clean, ".html")) {
		s.errorPage(w, st.failure)
		return
	}
	if st.tree == nil {
		http.Error(w, "the site has not been built yet", http.StatusServiceUnavailable)
		return
	}
	name := strings.TrimPrefix(clean, "/")
	if name == "" || strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	if data, ok := st.tree.File(name); ok && !strings.HasPrefix(name, site.SearchDir+"/") {
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ctype)
		w.Write(data)
		return
	}
	if _, ok := st.tree.File(name + "/index.html"); ok && !strings.HasSuffix(r.URL.Path, "/") {
		http.Redirect(w, r, clean+"/", http.StatusMovedPermanently) // no query: it might hold what someone typed
		return
	}
	s.notFound(w, st.tree, clean)
}

// notFound serves the 404 page of the language the path is in, or the bilingual one.
func (s *server) notFound(w http.ResponseWriter, tree *out.Mem, clean string) {
	page := "404.html"
	if lang, _, _ := strings.Cut(strings.TrimPrefix(clean, "/"), "/"); lang != "" {
		if _, ok := tree.File(lang + "/404.html"); ok {
			page = lang + "/404.html"
		}
	}
	data, ok := tree.File(page)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	if ok {
		w.Write(data)
	}
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
	var page bytes.Buffer
	if err := errorPage.Execute(&page, strings.Split(strings.TrimSpace(b.String()), "\n")); err != nil {
		s.log.Printf("error page: %v", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write(page.Bytes())
}

// events streams a "reload" event after every build, for livereload.js.
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	// The stream stays open as long as the page does: no write deadline for it.
	http.NewResponseController(w).SetWriteDeadline(time.Time{})
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
