package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/search"
	"github.com/kb-mensenhandel/kb/theme"
)

// fixture is cmd/kb's small site: two languages, a section, a draft, a
// contacts page, a table, footnotes and a page about a changing law.
const fixture = "../../kb/testdata/site/content"

var testNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newSite(t *testing.T) *site.Site {
	t.Helper()
	s, err := site.New(theme.FS())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func config() Config {
	return Config{Root: "content", BaseURL: "https://example.org", Now: testNow, Drafts: true, LiveReload: true, NoIndex: true}
}

// mapFS is a tree's files as an fs.FS, for fstest.
func mapFS(m *out.Mem) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, name := range m.Files() {
		data, _ := m.File(name)
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// TestBuildIntoMemory builds the fixture into memory: the tree is a valid
// file system with the pages, the assets and the search folder's files.
func TestBuildIntoMemory(t *testing.T) {
	tree := out.NewMem()
	defer tree.Close()
	res, err := Build(newSite(t), os.DirFS(fixture), config(), tree)
	if err != nil {
		t.Fatal(err)
	}
	fsys := mapFS(tree)
	want := []string{"index.html", "404.html", "nl/index.html", "nl/wat/index.html", "en/what/index.html", "nl/concept/index.html",
		"nl/404.html", "sitemap.xml", "robots.txt", ".well-known/security.txt", "nl/feed.xml",
		"_search/results.tmpl", "_search/nl/page.html", "_search/nl/ui.json", "_search/en/page.html"}
	if err := fstest.TestFS(fsys, want...); err != nil {
		t.Fatal(err)
	}
	if res.Pages() != 27 || len(res.Rendered) != res.Pages() {
		t.Errorf("%d pages, %d rendered; want 27 of each (with the draft, and a home page in each of the five partial languages)", res.Pages(), len(res.Rendered))
	}
	if data, _ := fs.ReadFile(fsys, "_search/nl/page.html"); !strings.Contains(string(data), "<!--kb:search-results-->") {
		t.Error("the Dutch results page has no marker where the results go")
	}
}

// TestBuildWithIndex builds into a folder with the index, as kb build does.
func TestBuildWithIndex(t *testing.T) {
	tree, err := out.NewDir(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config()
	cfg.NoIndex = false
	if _, err := Build(newSite(t), os.DirFS(fixture), cfg, tree); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"_search/nl/bleve/index_meta.json", "_search/nl/terms.gob.gz", "_search/en/terms.gob.gz"} {
		if _, err := os.Stat(filepath.Join(tree.Path(), filepath.FromSlash(name))); err != nil {
			t.Error(err)
		}
	}
	tree.Discard()
}

// copyFixture copies the fixture content to a folder the test may edit.
func copyFixture(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(fixture)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestPreviewUpdateIsWholeBuild edits the fixture as an editor would and
// checks, after each edit, that the preview's incremental build gives the
// same tree, byte for byte, as building everything again.
func TestPreviewUpdateIsWholeBuild(t *testing.T) {
	dir := copyFixture(t)
	s := newSite(t)
	p := &Preview{Site: s, Content: os.DirFS(dir), Config: config()}
	if _, _, err := p.Build(); err != nil {
		t.Fatal(err)
	}
	edit := func(file, old, new string) {
		t.Helper()
		name := filepath.Join(dir, filepath.FromSlash(file))
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), old) {
			t.Fatalf("%s has no %q", file, old)
		}
		os.WriteFile(name, []byte(strings.Replace(string(src), old, new, 1)), 0o644)
	}
	for _, step := range []struct {
		what           string
		file, old, new string
		incremental    bool // the edit needs no whole build
	}{
		{"the text of a page", "nl/wat.md", "Dit is het eerste stuk.", "Dit is het bewerkte eerste stuk.", true},
		{"a heading another page links to", "nl/regels/bedenktijd.md", "## Hoe lang duurt het?", "## Hoe lang duurt het nu?", true},
		{"the text of a translation", "en/wat.md", "This is the first part.", "This is the edited first part.", true},
		{"a title, which other pages show", "nl/wat.md", "title: Wat is het?", "title: Wat is het precies?", false},
		{"a source", "nl/regels/bedenktijd.md", "Vreemdelingencirculaire", "De Vreemdelingencirculaire", true},
		{"the text of a step of a decision aid", "nl/kiezen/dwang.md", "Denk aan geweld", "Denk aan geweld, bedrog", true},
		{"an answer, which the aid's overview shows", "nl/kiezen/dwang.md", "label: Nee", "label: Nee, geen dwang", false},
	} {
		edit(step.file, step.old, step.new)
		builds := p.builds
		got, _, err := p.Update()
		if err != nil && step.what == "a heading another page links to" {
			// The link to the old heading is now broken: the preview reports it, as a whole build would.
			if !strings.Contains(err.Error(), "hoe-lang-duurt-het") {
				t.Errorf("%s: %v; want the broken link to the heading", step.what, err)
			}
			edit(step.file, step.new, step.old)
			if got, _, err = p.Update(); err != nil {
				t.Fatalf("%s, undone: %v", step.what, err)
			}
		} else if err != nil {
			t.Fatalf("%s: %v", step.what, err)
		}
		if whole := p.builds > builds; whole == step.incremental {
			t.Errorf("after %s: whole build %v; want %v", step.what, whole, !step.incremental)
		}
		whole := &Preview{Site: s, Content: os.DirFS(dir), Config: config()}
		want, _, err := whole.Build()
		if err != nil {
			t.Fatal(err)
		}
		gotFS, wantFS := mapFS(got), mapFS(want)
		for name, f := range wantFS {
			if g, ok := gotFS[name]; !ok || string(g.Data) != string(f.Data) {
				t.Errorf("after %s: %s differs from a whole build", step.what, name)
			}
		}
		if len(gotFS) != len(wantFS) {
			t.Errorf("after %s: %d files; a whole build has %d", step.what, len(gotFS), len(wantFS))
		}
	}
}

// TestSearchTermWords: kb check refuses a search term longer than a query search reads.
func TestSearchTermWords(t *testing.T) {
	if content.MaxSearchTermWords != search.MaxWords {
		t.Errorf("content.MaxSearchTermWords = %d, search.MaxWords = %d; they must be the same", content.MaxSearchTermWords, search.MaxWords)
	}
}
