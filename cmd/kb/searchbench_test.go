package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/search"
	"github.com/kb-mensenhandel/kb/theme"
)

// BenchmarkBuildWithIndex is the whole kb build: the site and the search index.
func BenchmarkBuildWithIndex(b *testing.B) {
	for _, n := range corpusSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			content := benchCorpus(b, n)
			dir := b.TempDir()
			var peak uint64
			for b.Loop() {
				peak = max(peak, peakMemory(b, func() {
					c := config{content: content, out: filepath.Join(dir, "public"), baseURL: "https://example.org", theme: theme.FS(), now: testNow}
					if _, err := buildDir(c); err != nil {
						b.Fatal(err)
					}
				}))
			}
			reportRate(b, 2*n, peak)
			b.ReportMetric(float64(dirSize(filepath.Join(dir, "public", site.SearchDir)))/(1<<20), "index-MiB")
		})
	}
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

var (
	indexMu   sync.Mutex
	indexDirs = map[int]string{}
)

// benchIndex builds (once per process) the index of the n-page corpus.
func benchIndex(b *testing.B, n int) string {
	indexMu.Lock()
	defer indexMu.Unlock()
	if dir, ok := indexDirs[n]; ok {
		return dir
	}
	content := benchCorpus(b, n)
	dir, err := os.MkdirTemp("", "kb-index-")
	if err != nil {
		b.Fatal(err)
	}
	c := config{content: content, out: filepath.Join(dir, "public"), baseURL: "https://example.org", theme: theme.FS(), now: testNow}
	if _, err := buildDir(c); err != nil {
		b.Fatal(err)
	}
	indexDirs[n] = dir
	corpusDirs[-n] = dir // removed by TestMain
	return dir
}

// benchQueries are words of the corpus: a plain word, the same with a typo, and three words.
func benchQueries(b *testing.B, content string) (plain, fuzzy, multi []string) {
	data, err := os.ReadFile(filepath.Join(content, "nl", "index.md"))
	if err != nil {
		b.Fatal(err)
	}
	var ws []string
	for _, w := range strings.Fields(string(data)) {
		w = strings.Trim(strings.ToLower(w), ".,;:*!?()[]#|")
		if len(w) >= 6 && !strings.ContainsAny(w, "/-_=") && !slices.Contains(ws, w) {
			ws = append(ws, w)
		}
	}
	if len(ws) < 12 {
		b.Fatalf("only %d query words", len(ws))
	}
	ws = ws[:12]
	for i, w := range ws {
		plain = append(plain, w)
		fuzzy = append(fuzzy, w[:len(w)/2]+w[len(w)/2+1:]) // one letter dropped
		multi = append(multi, w+" "+ws[(i+1)%len(ws)]+" "+ws[(i+2)%len(ws)])
	}
	return plain, fuzzy, multi
}

func percentile(d []time.Duration, p float64) time.Duration {
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// BenchmarkSearch opens the index (the function's cold start) and times single queries.
func BenchmarkSearch(b *testing.B) {
	for _, n := range corpusSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			dir := benchIndex(b, n)
			plain, fuzzy, multi := benchQueries(b, benchCorpus(b, n))
			var opens []time.Duration
			for range 5 {
				start := time.Now()
				h, err := endpoint.Open(filepath.Join(dir, "public", site.SearchDir), theme.HTTPHeaders(), log.New(io.Discard, "", 0))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := h.Index.Search(context.Background(), search.Query{Text: plain[0], Lang: "nl", Limit: 10}); err != nil {
					b.Fatal(err)
				}
				opens = append(opens, time.Since(start))
				h.Index.Close()
			}
			h, _ := endpoint.Open(filepath.Join(dir, "public", site.SearchDir), theme.HTTPHeaders(), log.New(io.Discard, "", 0))
			defer h.Index.Close()
			kinds := map[string][]string{"plain": plain, "fuzzy": fuzzy, "multi": multi}
			lat := map[string][]time.Duration{}
			b.ResetTimer()
			for b.Loop() {
				for kind, qs := range kinds {
					for _, q := range qs {
						start := time.Now()
						if _, err := h.Index.Search(context.Background(), search.Query{Text: q, Lang: "nl", Limit: 10}); err != nil {
							b.Fatal(err)
						}
						lat[kind] = append(lat[kind], time.Since(start))
					}
				}
			}
			b.ReportMetric(float64(percentile(opens, 0.5).Microseconds())/1000, "open+first-ms")
			for kind, d := range lat {
				b.ReportMetric(float64(percentile(d, 0.5).Microseconds())/1000, kind+"-p50-ms")
				b.ReportMetric(float64(percentile(d, 0.99).Microseconds())/1000, kind+"-p99-ms")
			}
		})
	}
}

// BenchmarkSearchLoad sends queries over HTTP on 127.0.0.1 from 8 and 32 clients
// for a bounded time and reports requests per second, p50, p99 and errors.
func BenchmarkSearchLoad(b *testing.B) {
	for _, n := range corpusSizes {
		for _, clients := range []int{8, 32} {
			b.Run(fmt.Sprintf("pages=%d/clients=%d", n, clients), func(b *testing.B) {
				dir := benchIndex(b, n)
				plain, fuzzy, multi := benchQueries(b, benchCorpus(b, n))
				queries := append(append(plain, fuzzy...), multi...)
				h, err := endpoint.Open(filepath.Join(dir, "public", site.SearchDir), theme.HTTPHeaders(), log.New(io.Discard, "", 0))
				if err != nil {
					b.Fatal(err)
				}
				defer h.Index.Close()
				srv := httptest.NewServer(h) // listens on 127.0.0.1
				defer srv.Close()
				var errs int
				for b.Loop() {
					rps, p50, p99, e := load(srv.URL+"/api/search", queries, clients, 5*time.Second)
					errs += e
					b.ReportMetric(rps, "req/s")
					b.ReportMetric(p50, "p50-ms")
					b.ReportMetric(p99, "p99-ms")
				}
				b.ReportMetric(float64(errs), "errors")
			})
		}
	}
}
