package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/history"
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
	editURL    string    // base of "edit this page" links, "" for none
	now        time.Time // the build's time, for security.txt's expiry
}

// result is what a build reports besides its error.
type result struct {
	pages    int
	findings content.ErrorList // warnings and notes
	history  string            // a line about the git history when it is missing or incomplete, "" when complete
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kb build", flag.ContinueOnError)
	fl.SetOutput(stderr)
	contentDir := fl.String("content", "content", "folder with one subfolder of Markdown per language")
	out := fl.String("out", "public", "folder to write the site to")
	index := fl.String("index", ".build/search", "folder to write the search index to")
	baseURL := fl.String("base-url", "http://127.0.0.1:8080", "address the site is published at, for canonical links and the sitemap")
	editURL := fl.String("edit-url", "", `address that a file's path in the repository is added to for an "edit this page" link, such as https://github.com/org/kb/edit/main; empty for no link`)
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
	edit, err := checkEditURL(*editURL)
	if err != nil {
		// Not worth failing a deploy for: the site is complete without the link.
		fmt.Fprintf(stderr, "kb build: %v; the pages get no edit link\n", err)
	}
	start := time.Now()
	res, err := build(config{content: *contentDir, out: *out, index: *index, baseURL: base, theme: theme.FS(), editURL: edit, now: start})
	if err != nil {
		report(stderr, err, *out)
		return 1
	}
	// Warnings do not stop the build, but editors see them; notes are for kb check.
	warnings := 0
	for _, f := range res.findings {
		if f.Severity == content.SevWarning {
			fmt.Fprintln(stderr, f)
			warnings++
		}
	}
	if res.history != "" {
		fmt.Fprintf(stderr, "kb build: %s\n", res.history)
	}
	also := ""
	if warnings > 0 {
		also = fmt.Sprintf(" (%d warnings: run kb check for all findings)", warnings)
	}
	fmt.Fprintf(stdout, "kb build: %d pages written to %s in %v%s\n", res.pages, *out, time.Since(start).Round(time.Millisecond), also)
	return 0
}

// build checks the content, renders the site and returns the number of pages
// written and the warnings and notes found.
func build(c config) (result, error) {
	// git log runs while the content loads.
	type logResult struct {
		log *history.Log
		err error
	}
	logc := make(chan logResult, 1)
	go func() {
		l, err := history.Read(c.content)
		logc <- logResult{l, err}
	}()
	s, err := site.New(c.theme)
	if err != nil {
		return result{}, err
	}
	if err := checkLangFolders(c.content, s.Langs()); err != nil {
		return result{}, err
	}
	opt, err := contentOptions(c, s)
	if err != nil {
		return result{}, err
	}
	pages, findings, err := content.Load(os.DirFS(c.content), opt)
	if err != nil {
		return result{}, err
	}
	lr := <-logc
	res := result{pages: len(pages), findings: findings}
	switch {
	case lr.err != nil:
		res.history = fmt.Sprintf("cannot read the git history (%v); dates fall back to each page's reviewed date", lr.err)
		lr.log = nil
	case lr.log == nil:
		res.history = "no git history (not a git repository); \"last updated\" dates are the reviewed dates"
	case lr.log.Shallow:
		res.history = "the git history is shallow, so pages not changed in it show their reviewed date as last updated; git fetch --unshallow fetches the rest"
	}
	more, err := s.Write(pages, c.out, site.Options{BaseURL: c.baseURL, LiveReload: c.liveReload, ShellDir: c.index, History: lr.log, EditURL: c.editURL, Now: c.now})
	if err != nil {
		return result{}, err
	}
	res.findings = append(res.findings, more...)
	res.findings.Sort()
	if c.index != "" {
		// bleve's builder uses one core: build the languages side by side.
		langs := s.Langs()
		errs := make([]error, len(langs))
		parallel.For(len(langs), func(i int) {
			docs, terms := searchDocs(pages, langs[i])
			errs[i] = search.Build(c.index, langs[i], docs, terms)
		})
		if err := errors.Join(errs...); err != nil {
			return result{}, err
		}
	}
	return res, nil
}

// contentOptions are the options for loading c's content with the theme of s.
func contentOptions(c config, s *site.Site) (content.Options, error) {
	opt := content.Options{Langs: s.Langs(), Root: filepath.ToSlash(filepath.Clean(c.content)), Drafts: c.drafts, Today: c.now, Months: map[string][]string{}}
	for _, lang := range opt.Langs {
		months, err := s.Months(lang)
		if err != nil {
			return opt, err
		}
		opt.Months[lang] = months
	}
	return opt, nil
}

// checkEditURL returns the base of "edit this page" links without a final slash.
// On Netlify it is made from REPOSITORY_URL, which may be an SSH address
// (git@github.com:org/kb) or carry an access token (https://x-access-token:…@github.com/…):
// those become a plain https address, so that no token is ever published.
func checkEditURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	if user, rest, ok := strings.Cut(raw, "@"); ok && !strings.Contains(user, "/") && !strings.Contains(user, ":") {
		// scp-like SSH address: git@github.com:org/kb/edit/main
		host, p, _ := strings.Cut(rest, ":")
		raw = "https://" + host + "/" + strings.TrimPrefix(p, "/")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("-edit-url %q must be an address such as https://github.com/org/kb/edit/main", raw)
	}
	u.User = nil
	u.Scheme = "https"
	u.Path = strings.Replace(u.Path, ".git/", "/", 1)
	return strings.TrimSuffix(u.String(), "/"), nil
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

// report prints a failed build's findings, one per line, and a summary.
func report(w io.Writer, err error, out string) {
	var list content.ErrorList
	if errors.As(err, &list) {
		// Errors only: they are what stopped the build; kb check lists the rest.
		var errs content.ErrorList
		for _, e := range list {
			if e.Severity == content.SevError {
				errs = append(errs, e)
			}
		}
		fmt.Fprintln(w, errs.Error())
		more := ""
		if n := len(list) - len(errs); n > 0 {
			more = fmt.Sprintf(" (kb check also lists %d warnings and notes)", n)
		}
		fmt.Fprintf(w, "kb: %s in the content; nothing was written, %s is unchanged%s\n", errs.Summary(), out, more)
		return
	}
	fmt.Fprintf(w, "kb: %v\nkb: nothing was written, %s is unchanged\n", err, out)
}
