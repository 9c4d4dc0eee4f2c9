package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/kb-mensenhandel/kb/cmd/internal/build"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

// BenchmarkPlainBleve measures the baseline on our own corpus, so that
// our figures can be set against it like for like: one scorch index for both
// languages, one doc per page, bleve's default mapping (stored text, term
// vectors, the standard analyzer), a match query with highlighting, served over
// HTTP on 127.0.0.1 from 8 clients for 5 s.
func BenchmarkPlainBleve(b *testing.B) {
	for _, n := range corpusSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			src := benchCorpus(b, n)
			docs := plainDocs(b, src)
			plain, fuzzy, multi := benchQueries(b, src)
			queries := append(append(plain, fuzzy...), multi...)
			for b.Loop() {
				dir := filepath.Join(b.TempDir(), "plain")
				start := time.Now()
				ix, err := bleve.New(dir, bleve.NewIndexMapping())
				if err != nil {
					b.Fatal(err)
				}
				batch := ix.NewBatch()
				for id, d := range docs {
					batch.Index(id, d)
					if batch.Size() == 1000 {
						if err := ix.Batch(batch); err != nil {
							b.Fatal(err)
						}
						batch.Reset()
					}
				}
				if err := ix.Batch(batch); err != nil {
					b.Fatal(err)
				}
				ix.Close() // let scorch persist and merge
				b.ReportMetric(time.Since(start).Seconds(), "index-s")
				b.ReportMetric(float64(dirSize(dir))/(1<<20), "index-MiB")

				ix, err = bleve.Open(dir)
				if err != nil {
					b.Fatal(err)
				}
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					req := bleve.NewSearchRequest(bleve.NewMatchQuery(r.FormValue("q")))
					req.Highlight = bleve.NewHighlight()
					res, err := ix.Search(req)
					if err != nil {
						http.Error(w, err.Error(), 500)
						return
					}
					json.NewEncoder(w).Encode(res)
				}))
				rps, p50, p99, errs := load(srv.URL, queries, 8, 5*time.Second)
				srv.Close()
				ix.Close()
				b.ReportMetric(rps, "req/s")
				b.ReportMetric(p50, "p50-ms")
				b.ReportMetric(p99, "p99-ms")
				b.ReportMetric(float64(errs), "errors")
			}
		})
	}
}

// plainDocs renders the corpus and returns one doc per page: its title and all its text.
func plainDocs(b *testing.B, src string) map[string]map[string]string {
	s, err := site.New(theme.FS())
	if err != nil {
		b.Fatal(err)
	}
	res, err := build.Load(s, os.DirFS(src), build.Config{Root: src, Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
	rendered, _, err := res.Set.RenderAll(nil)
	if err != nil {
		b.Fatal(err)
	}
	docs := map[string]map[string]string{}
	for _, r := range rendered {
		var text strings.Builder
		for _, sec := range r.Sections {
			text.WriteString(sec.Title + "\n" + sec.Text + "\n")
		}
		docs[r.Page.URL] = map[string]string{"title": r.Page.Title, "description": r.Page.Description, "text": text.String()}
	}
	return docs
}

// load sends GET /?q= requests from the given number of clients for window and
// returns requests per second, p50 and p99 in ms, and the number of errors.
func load(base string, queries []string, clients int, window time.Duration) (rps, p50, p99 float64, errs int) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	var mu sync.Mutex
	var lat []time.Duration
	deadline := time.Now().Add(window)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			for i := c; time.Now().Before(deadline); i++ {
				start := time.Now()
				resp, err := client.Get(base + "?" + url.Values{"q": {queries[i%len(queries)]}, "lang": {"nl"}}.Encode())
				if err != nil {
					bad++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					bad++
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return float64(len(lat)) / window.Seconds(), ms(percentile(lat, 0.5)), ms(percentile(lat, 0.99)), errs
}
