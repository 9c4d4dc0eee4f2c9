package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/search"
	"github.com/kb-mensenhandel/kb/theme"
)

// runSearch serves only /api/search over the search folder of a tree that
// kb build wrote, for an intranet that serves public/ with its own web
// server. It serves a private copy of the folder, checked against its
// manifest, and switches to a new version when one is published (kb build
// again, or a whole new folder renamed into place): see "kb search" in the
// README.
func runSearch(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kb search", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8081", "address to listen on")
	index := fl.String("index", "public/_search", "the search folder of the tree kb build wrote")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	logger := log.New(stderr, "kb search: ", 0)
	s := newSearchServer(*index, logger)
	defer s.close()
	go s.watch(2 * time.Second)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Print(err)
		return 1
	}
	fmt.Fprintf(stdout, "kb search: http://%s/api/search\n", ln.Addr())
	if err := serveUntilSignal(ln, newHTTPServer(s)); err != nil {
		logger.Print(err)
		return 1
	}
	return 0
}

// searchServer is kb search: the endpoint over the newest good version of a
// search folder.
type searchServer struct {
	dir    string
	log    *log.Logger
	cur    atomic.Pointer[searcher]
	failed string // the version that last failed to open, so it is reported once
}

func newSearchServer(dir string, logger *log.Logger) *searchServer {
	s := &searchServer{dir: dir, log: logger}
	s.reload()
	return s
}

// reload opens the folder's version when it is new, or when a version that
// could not be opened in full looks complete now (a copy that was still
// going on). What cannot be opened is reported once per version; the version
// served before stays, or at the start the languages that could be opened.
func (s *searchServer) reload() {
	old := s.cur.Load()
	fsys := os.DirFS(s.dir)
	m, err := endpoint.ReadManifest(fsys)
	if old != nil {
		if err != nil || m.Version == old.e.Version && !old.partial {
			return // nothing new
		}
		if !m.Complete(fsys) {
			if m.Version != s.failed {
				s.log.Printf("version %s of %s is not all there (a file is missing or of another size): waiting for it, still serving version %s", m.Version, s.dir, old.e.Version)
				s.failed = m.Version
			}
			return
		}
	}
	e, err := endpoint.OpenCopy(fsys, endpoint.Options{Headers: theme.HTTPHeaders(), Log: s.log})
	version := e.Version
	switch {
	case err != nil && old != nil && !old.partial:
		e.Close()
		if version != s.failed {
			s.log.Printf("the new version of %s cannot be served (%v); still serving version %s", s.dir, err, old.e.Version)
		}
		s.failed = version
		return
	case err != nil:
		if version != s.failed || old == nil {
			s.log.Printf("%v (searches in the languages concerned answer 503 until a good version is published)", err)
		}
		s.failed = version
	case old != nil:
		s.log.Printf("serving version %s of %s", version, s.dir)
	}
	if prev := s.cur.Swap(&searcher{e: e, partial: err != nil}); prev != nil {
		go prev.close()
	}
}

// watch looks for a new version every interval.
func (s *searchServer) watch(interval time.Duration) {
	for range time.Tick(interval) {
		s.reload()
	}
}

func (s *searchServer) close() {
	if cur := s.cur.Swap(nil); cur != nil {
		cur.close()
	}
}

// ServeHTTP answers /api/search and nothing else: the path must be exactly
// that (no redirect of /api//search, which would carry the query into a
// Location header), and every answer has the security headers.
func (s *searchServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/search" {
		for _, h := range theme.Headers {
			w.Header().Set(h.Name, h.Value)
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		json.NewEncoder(w).Encode(map[string]string{"error": "not found; search is at /api/search"})
		return
	}
	cur := s.cur.Load()
	if cur == nil { // closing
		(&search.Handler{Headers: theme.HTTPHeaders()}).ServeHTTP(w, r)
		return
	}
	cur.RLock()
	defer cur.RUnlock()
	cur.e.ServeHTTP(w, r)
}
