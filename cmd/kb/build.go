package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/parallel"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/search"
	"github.com/kb-mensenhandel/kb/theme"
)

// config is one build: where from, where to, and for which use.
type config struct {
	content    string // content folder
	out        string // output folder, replaced only when the build succeeds
	index      string // search index folder: one index per language, and the results pages' shells
	baseURL    string // without a final slash
	theme      fs.FS
	drafts     bool      // include draft pages (serve)
	liveReload bool      // add the reload script (serve)
	now        time.Time // the build's time, for security.txt's expiry
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kb build", flag.ContinueOnError)
	fl.SetOutput(stderr)
	contentDir := fl.String("content", "content", "folder with one subfolder of Markdown per language")
	out := fl.String("out", "public", "folder to write the site to")
	index := fl.String("index", ".build/search", "folder to write the search index to")
	baseURL := fl.String("base-url", "http://127.0.0.1:8080", "address the site is published at, for canonical links and the sitemap")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "kb build: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	base, err := site.CheckBaseURL(*baseURL)
	if err != nil {
		fmt.Fprintf(stderr, "kb build: %v\n", err)
		return 2
	}
	start := time.Now()
	n, err := build(config{content: *contentDir, out: *out, index: *index, baseURL: base, theme: theme.FS(), now: start})
	if err != nil {
		report(stderr, err, *out)
		return 1
	}
	fmt.Fprintf(stdout, "kb build: %d pages written to %s in %v\n", n, *out, time.Since(start).Round(time.Millisecond))
	return 0
}

// build loads the content, renders the site and returns the number of pages written.
func build(c config) (int, error) {
	s, err := site.New(c.theme)
	if err != nil {
		return 0, err
	}
	if err := checkLangFolders(c.content, s.Langs()); err != nil {
		return 0, err
	}
	pages, err := content.Load(os.DirFS(c.content), content.Options{
		Langs: s.Langs(), Root: filepath.ToSlash(filepath.Clean(c.content)), Drafts: c.drafts,
	})
	if err != nil {
		return 0, err
	}
	if err := s.Write(pages, c.out, site.Options{BaseURL: c.baseURL, LiveReload: c.liveReload, ShellDir: c.index, Now: c.now}); err != nil {
		return 0, err
	}
	if c.index != "" {
		// bleve's builder uses one core: build the languages side by side.
		langs := s.Langs()
		errs := make([]error, len(langs))
		parallel.For(len(langs), func(i int) {
			docs, terms := searchDocs(pages, langs[i])
			errs[i] = search.Build(c.index, langs[i], docs, terms)
		})
		if err := errors.Join(errs...); err != nil {
			return 0, err
		}
	}
	return len(pages), nil
}

// checkLangFolders finds folders in content/ that no language of the theme claims:
// their pages would silently be left out.
func checkLangFolders(dir string, langs []string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read content folder: %w", err)
	}
	var errs content.ErrorList
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir() && !slices.Contains(langs, name):
			errs = append(errs, &content.Error{File: filepath.ToSlash(filepath.Join(dir, name)), Line: 1,
				Msg: fmt.Sprintf("folder %s is not a language of the site; add theme/i18n/%s.toml to add the language, or move the folder out of %s", name, name, dir)})
		case !e.IsDir() && filepath.Ext(name) == ".md":
			errs = append(errs, &content.Error{File: filepath.ToSlash(filepath.Join(dir, name)), Line: 1,
				Msg: fmt.Sprintf("page is outside a language folder; move it into %s", filepath.Join(dir, langs[0]))})
		}
	}
	return errs.Err()
}

// report prints a failed build's problems, one per line, and a summary.
func report(w io.Writer, err error, out string) {
	var list content.ErrorList
	if errors.As(err, &list) {
		fmt.Fprintln(w, list.Error())
		noun := "problems"
		if len(list) == 1 {
			noun = "problem"
		}
		fmt.Fprintf(w, "kb: %d %s in the content; nothing was written, %s is unchanged\n", len(list), noun, out)
		return
	}
	fmt.Fprintf(w, "kb: %v\nkb: nothing was written, %s is unchanged\n", err, out)
}
