package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/kb-mensenhandel/kb/cmd/internal/corpus"
	"github.com/kb-mensenhandel/kb/cmd/internal/parallel"
	"github.com/kb-mensenhandel/kb/theme"
)

// corpusSizes are the pages per language of the benchmark corpora.
var corpusSizes = []int{1000, 10000}

var (
	corpusMu   sync.Mutex
	corpusDirs = map[int]string{}
)

// benchCorpus generates (once per process) a realistic corpus of n pages per language.
func benchCorpus(b *testing.B, n int) string {
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if dir, ok := corpusDirs[n]; ok {
		return dir
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("kb-corpus-%d-", n))
	if err != nil {
		b.Fatal(err)
	}
	if err := corpus.Generate(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	corpusDirs[n] = dir
	return dir
}

func TestMain(m *testing.M) {
	// TestKilledBuild runs kb in a process of its own, to kill it.
	if args := os.Getenv("KB_TEST_RUN"); args != "" {
		os.Exit(runWith(strings.Split(args, "\n"), os.Stdout, os.Stderr, func() time.Time { return testNow }))
	}
	code := m.Run()
	for _, dir := range corpusDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// peakMemory samples the memory the Go runtime holds from the OS (less what
// it has released) every 20 ms while f runs, and returns the peak in bytes.
func peakMemory(b *testing.B, f func()) uint64 {
	b.StopTimer()
	debug.FreeOSMemory() // start from what is live, not from what an earlier run left
	b.StartTimer()
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	var peak uint64
	read := func() {
		metrics.Read(samples)
		peak = max(peak, samples[0].Value.Uint64()-samples[1].Value.Uint64())
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	f()
	close(done)
	<-stopped
	read()
	return peak
}

// BenchmarkBuild is the whole kb build (everything but the search index) on the
// generated corpus: load, render, templates, write, swap into place.
func BenchmarkBuild(b *testing.B) {
	for _, n := range corpusSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			content := benchCorpus(b, n)
			out := filepath.Join(b.TempDir(), "public")
			var peak uint64
			b.ResetTimer()
			for b.Loop() {
				peak = max(peak, peakMemory(b, func() {
					if _, err := buildDir(config{content: content, out: out, baseURL: "https://example.org", theme: theme.FS(), now: testNow, noIndex: true}); err != nil {
						b.Fatal(err)
					}
				}))
			}
			reportRate(b, 2*n, peak)
		})
	}
}

// BenchmarkFloorSerial is the floor on one goroutine: a plain loop, as a
// simple generator would be written.
func BenchmarkFloorSerial(b *testing.B) {
	benchFloor(b, func(n int, f func(int)) {
		for i := range n {
			f(i)
		}
	})
}

// BenchmarkFloor is the least any generator must do: goldmark turning the same
// Markdown into HTML on both cores and writing one file per page, nothing else.
func BenchmarkFloor(b *testing.B) { benchFloor(b, parallel.For) }

func benchFloor(b *testing.B, loop func(n int, f func(int))) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer))
	for _, n := range corpusSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			content := benchCorpus(b, n)
			var files []string
			filepath.WalkDir(content, func(name string, d fs.DirEntry, err error) error {
				if err == nil && strings.HasSuffix(name, ".md") {
					files = append(files, name)
				}
				return err
			})
			var peak uint64
			b.ResetTimer()
			for b.Loop() {
				out := b.TempDir()
				peak = max(peak, peakMemory(b, func() {
					loop(len(files), func(i int) {
						src, err := os.ReadFile(files[i])
						if err != nil {
							b.Error(err)
							return
						}
						var html bytes.Buffer
						if err := md.Convert(src, &html); err != nil {
							b.Error(err)
						}
						rel, _ := filepath.Rel(content, files[i])
						name := filepath.Join(out, strings.ReplaceAll(rel, string(filepath.Separator), "_")+".html")
						if err := os.WriteFile(name, html.Bytes(), 0o644); err != nil {
							b.Error(err)
						}
					})
				}))
			}
			reportRate(b, len(files), peak)
		})
	}
}

func reportRate(b *testing.B, pages int, peak uint64) {
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(pages)/perOp, "pages/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}

// BenchmarkSaveToPreview is an editor's wait in kb serve: from saving a page
// to the served page showing the change, through the file watcher, the
// incremental rebuild and HTTP, on the real content and the 1,000-page
// corpus, with 300 ms between saves. It reports the median and the slowest.
func BenchmarkSaveToPreview(b *testing.B) {
	for _, tc := range []struct{ name, content, file, url string }{
		{"content=real", "../../content", "nl/verschil.md", "/nl/verschil/"},
		{"pages=1000", "", "nl/index.md", "/nl/"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			src := tc.content
			if src == "" {
				src = benchCorpus(b, 1000)
			}
			dir := b.TempDir()
			if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
				b.Fatal(err)
			}
			now := nowFor(b, dir)
			srv := newServer(config{content: dir, baseURL: "http://127.0.0.1", theme: theme.FS(), drafts: true, liveReload: true},
				func() time.Time { return now }, log.New(io.Discard, "", 0))
			defer srv.Close()
			srv.rebuild(nil)
			if st := srv.state.Load(); st.failure != nil {
				b.Fatal(st.failure)
			}
			srv.waitIndexed(1) // an editor starts once the preview is up
			w, err := fsnotify.NewWatcher()
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			if err := watchTree(w, dir); err != nil {
				b.Fatal(err)
			}
			go srv.watch(w, "")
			ts := httptest.NewServer(srv)
			defer ts.Close()
			page := filepath.Join(dir, filepath.FromSlash(tc.file))
			orig, err := os.ReadFile(page)
			if err != nil {
				b.Fatal(err)
			}
			client := &http.Client{}
			var waits []time.Duration
			i := 0
			for b.Loop() {
				i++
				marker := fmt.Sprintf("bewerkingnummer%d", i)
				edited := bytes.Replace(orig, []byte("\n\n"), []byte("\n\n"+marker+"\n\n"), 1)
				start := time.Now()
				if err := os.WriteFile(page, edited, 0o644); err != nil {
					b.Fatal(err)
				}
				for {
					resp, err := client.Get(ts.URL + tc.url)
					if err != nil {
						b.Fatal(err)
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if bytes.Contains(body, []byte(marker)) {
						break
					}
					if time.Since(start) > 10*time.Second {
						b.Fatalf("the edit did not show within 10 s")
					}
					time.Sleep(time.Millisecond)
				}
				waits = append(waits, time.Since(start))
				// An editor reads before saving again: the search index is built in the
				// meantime, and the next save competes with it for the cores.
				b.StopTimer()
				time.Sleep(300 * time.Millisecond)
				b.StartTimer()
			}
			slices.Sort(waits)
			b.ReportMetric(float64(waits[len(waits)/2].Microseconds())/1000, "median-ms")
			b.ReportMetric(float64(waits[len(waits)-1].Microseconds())/1000, "max-ms")
		})
	}
}
