package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
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
				h, err := endpoint.Open(filepath.Join(dir, "public", site.SearchDir), endpoint.Options{Headers: theme.HTTPHeaders(), Log: log.New(io.Discard, "", 0)})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := h.Index.Search(context.Background(), search.Query{Text: plain[0], Lang: "nl", Limit: 10}); err != nil {
					b.Fatal(err)
				}
				opens = append(opens, time.Since(start))
				h.Close()
			}
			h, _ := endpoint.Open(filepath.Join(dir, "public", site.SearchDir), endpoint.Options{Headers: theme.HTTPHeaders(), Log: log.New(io.Discard, "", 0)})
			defer h.Close()
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
			// The function's cold start: a private copy of the folder, checked, then opened.
			var copies []time.Duration
			for range 5 {
				start := time.Now()
				e, err := endpoint.OpenCopy(os.DirFS(filepath.Join(dir, "public", site.SearchDir)), endpoint.Options{Log: log.New(io.Discard, "", 0)})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := e.Index.Search(context.Background(), search.Query{Text: plain[0], Lang: "nl", Limit: 10}); err != nil {
					b.Fatal(err)
				}
				copies = append(copies, time.Since(start))
				e.Close()
			}
			b.ReportMetric(float64(percentile(copies, 0.5).Microseconds())/1000, "copy+open+first-ms")
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
				h, err := endpoint.Open(filepath.Join(dir, "public", site.SearchDir), endpoint.Options{Headers: theme.HTTPHeaders(), Log: log.New(io.Discard, "", 0)})
				if err != nil {
					b.Fatal(err)
				}
				defer h.Close()
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

// worstQueries are the costliest queries a visitor can send: 200 characters
// of 33 five-letter beginnings of the site's words, each of which starts many
// words (prefix queries) and matches none exactly (so the loose look runs too).
func worstQueries(b *testing.B, content string) []string {
	plain, _, _ := benchQueries(b, content)
	data, err := os.ReadFile(filepath.Join(content, "nl", "index.md"))
	if err != nil {
		b.Fatal(err)
	}
	var stems []string
	for _, w := range strings.Fields(string(data)) {
		w = strings.Trim(strings.ToLower(w), ".,;:*!?()[]#|")
		if len(w) >= 7 && !strings.ContainsAny(w, "/-_=") && !slices.Contains(stems, w[:5]) {
			stems = append(stems, w[:5])
		}
	}
	if len(stems) < 40 {
		b.Fatalf("only %d stems", len(stems))
	}
	var out []string
	for i := range len(plain) {
		q := strings.Join(append(stems[i:], stems[:i]...)[:33], " ")
		out = append(out, q[:min(len(q), search.MaxQuery)])
	}
	return out
}

// BenchmarkWorstQuery times the worst queries against normal ones on the
// 1,000-page corpus: their cost must stay within a few times a normal one.
func BenchmarkWorstQuery(b *testing.B) {
	dir := benchIndex(b, 1000)
	content := benchCorpus(b, 1000)
	plain, fuzzy, multi := benchQueries(b, content)
	worst := worstQueries(b, content)
	h, err := endpoint.Open(filepath.Join(dir, "public", site.SearchDir), endpoint.Options{Headers: theme.HTTPHeaders(), Log: log.New(io.Discard, "", 0)})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	lat := map[string][]time.Duration{}
	for b.Loop() {
		for kind, qs := range map[string][]string{"normal": append(append(plain, fuzzy...), multi...), "worst": worst} {
			for _, q := range qs {
				start := time.Now()
				if _, err := h.Index.Search(context.Background(), search.Query{Text: q, Lang: "nl", Limit: 10}); err != nil {
					b.Fatal(err)
				}
				lat[kind] = append(lat[kind], time.Since(start))
			}
		}
	}
	normal, bad := percentile(lat["normal"], 0.5), percentile(lat["worst"], 0.5)
	b.ReportMetric(float64(normal.Microseconds())/1000, "normal-p50-ms")
	b.ReportMetric(float64(bad.Microseconds())/1000, "worst-p50-ms")
	b.ReportMetric(float64(percentile(lat["worst"], 0.99).Microseconds())/1000, "worst-p99-ms")
	b.ReportMetric(float64(bad)/float64(normal), "worst/normal")
}

// BenchmarkFlood sends worst queries from 8 connections for 5 s, over HTTP
// on 127.0.0.1, while one more client sends normal queries, and reports how
// the normal ones fare: a flood must not make search useless for others.
func BenchmarkFlood(b *testing.B) {
	dir := benchIndex(b, 1000)
	content := benchCorpus(b, 1000)
	plain, fuzzy, multi := benchQueries(b, content)
	worst := worstQueries(b, content)
	h, err := endpoint.Open(filepath.Join(dir, "public", site.SearchDir), endpoint.Options{Headers: theme.HTTPHeaders(), Log: log.New(io.Discard, "", 0)})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	for b.Loop() {
		done := make(chan struct{})
		var floodN, floodBusy int
		var mu sync.Mutex
		var wg sync.WaitGroup
		for c := range 8 {
			wg.Go(func() {
				client := &http.Client{Timeout: 5 * time.Second}
				for i := c; ; i++ {
					select {
					case <-done:
						return
					default:
					}
					resp, err := client.Get(srv.URL + "/api/search?" + url.Values{"q": {worst[i%len(worst)]}, "lang": {"nl"}}.Encode())
					if err != nil {
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mu.Lock()
					floodN++
					if resp.StatusCode == http.StatusServiceUnavailable {
						floodBusy++
					}
					mu.Unlock()
				}
			})
		}
		normal := append(append(plain, fuzzy...), multi...)
		time.Sleep(200 * time.Millisecond) // the flood is on
		rps, p50, p99, errs := load(srv.URL+"/api/search", normal, 1, 5*time.Second)
		close(done)
		wg.Wait()
		b.ReportMetric(rps, "normal-req/s")
		b.ReportMetric(p50, "normal-p50-ms")
		b.ReportMetric(p99, "normal-p99-ms")
		b.ReportMetric(float64(errs), "normal-errors")
		b.ReportMetric(float64(floodN)/5.2, "flood-req/s")
		b.ReportMetric(float64(floodBusy)/5.2, "flood-503/s")
	}
}
