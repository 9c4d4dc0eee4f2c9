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
	"strings"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/build"
	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/history"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

// config is one build: where from, where to, and for which use.
type config struct {
	content    string // content folder
	out        string // output folder, replaced only when the build succeeds
	baseURL    string // without a final slash
	theme      fs.FS
	drafts     bool      // include draft pages (serve)
	liveReload bool      // add the reload script (serve)
	editURL    string    // base of "edit this page" links, "" for none
	now        time.Time // the build's time: review dates are checked against it
	noIndex    bool      // leave out the search index (benchmarks of the site alone)
}

// result is what a build reports besides its error.
type result struct {
	pages    int
	findings content.ErrorList // warnings and notes
	history  string            // a line about the git history when it is missing or incomplete, "" when complete
}

func runBuild(args []string, stdout, stderr io.Writer, now time.Time) int {
	fl := flag.NewFlagSet("kb build", flag.ContinueOnError)
	fl.SetOutput(stderr)
	contentDir := fl.String("content", "content", "folder with one subfolder of Markdown per language")
	outDir := fl.String("out", "public", "folder to write the site and its search index to (the index in _search/)")
	baseURL := fl.String("base-url", "http://127.0.0.1:8080", "address the site is published at, for canonical links and the sitemap")
	editURL := fl.String("edit-url", "", `address that a file's path in the repository is added to for an "edit this page" link, such as https://github.com/org/kb/edit/main; empty for no link`)
	searchTo := fl.String("search-to", "", "after the build, move the search folder (_search) of the site to `DIR`, for the Netlify function that embeds it; empty to keep it in the site")
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
	res, err := buildDir(config{content: *contentDir, out: *outDir, baseURL: base, theme: theme.FS(), editURL: edit, now: now})
	if err != nil {
		report(stderr, err, *outDir)
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
	if *searchTo != "" {
		if err := moveSearch(filepath.Join(*outDir, site.SearchDir), *searchTo); err != nil {
			fmt.Fprintf(stderr, "kb build: %v\n", err)
			return 1
		}
	}
	also := ""
	if warnings > 0 {
		also = fmt.Sprintf(" (%d warnings: run kb check for all findings)", warnings)
	}
	fmt.Fprintf(stdout, "kb build: %d pages written to %s in %v%s\n", res.pages, *outDir, time.Since(start).Round(time.Millisecond), also)
	return 0
}

// buildDir builds the site with its index into a new folder beside c.out
// and puts it in c.out's place when everything succeeded.
func buildDir(c config) (result, error) {
	return publish(c.out, func(tree out.Tree) (result, error) { return buildTree(c, tree) })
}

// publish writes a tree with write into a new folder beside dir, and puts it
// in dir's place when write succeeded; else dir stays as it was.
func publish(dir string, write func(out.Tree) (result, error)) (result, error) {
	tree, err := out.NewDir(dir)
	if err != nil {
		return result{}, err
	}
	res, err := write(tree)
	if err != nil {
		tree.Discard()
		return result{}, err
	}
	return res, tree.Publish()
}

// buildTree builds the site with the content and theme of c into tree.
func buildTree(c config, tree out.Tree) (result, error) {
	// git log runs while the theme is parsed and the content loads.
	logc := readHistory(c.content)
	s, err := site.New(c.theme)
	if err != nil {
		return result{}, err
	}
	cfg := c.buildConfig()
	lr := <-logc
	cfg.History = lr.log
	fsys, done, err := contentFS(c.content)
	if err != nil {
		return result{}, err
	}
	defer done()
	res, err := build.Build(s, fsys, cfg, tree)
	if err != nil {
		return result{}, err
	}
	return result{pages: res.Pages(), findings: res.Findings, history: lr.note}, nil
}

// contentFS opens the content folder so that nothing outside it can be
// read through it, not even by a symbolic link (the checks report such links
// by name). done closes it.
func contentFS(dir string) (fsys fs.FS, done func(), err error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read content folder: %w", err)
	}
	return root.FS(), func() { root.Close() }, nil
}

func (c config) buildConfig() build.Config {
	return build.Config{
		Root: filepath.ToSlash(filepath.Clean(c.content)), BaseURL: c.baseURL, EditURL: c.editURL,
		Now: c.now, Drafts: c.drafts, LiveReload: c.liveReload, NoIndex: c.noIndex,
	}
}

// moveSearch moves the files of the built search folder from into the folder
// to, which is emptied first but for a README.md.
func moveSearch(from, to string) error {
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	old, err := os.ReadDir(to)
	if err != nil {
		return err
	}
	for _, e := range old {
		if e.Name() != "README.md" {
			if err := os.RemoveAll(filepath.Join(to, e.Name())); err != nil {
				return err
			}
		}
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return fmt.Errorf("move the search folder: %w", err)
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return fmt.Errorf("move the search folder: %w", err)
		}
	}
	return os.Remove(from)
}

// historyResult is the content's git history, and a line for the editor when it is missing or incomplete.
type historyResult struct {
	log  *history.Log
	note string
}

// readHistory reads the git history of dir in the background.
func readHistory(dir string) <-chan historyResult {
	c := make(chan historyResult, 1)
	go func() {
		l, err := history.Read(dir)
		switch {
		case err != nil:
			c <- historyResult{nil, fmt.Sprintf("cannot read the git history (%v); dates fall back to each page's reviewed date", err)}
		case l == nil:
			c <- historyResult{nil, "no git history (not a git repository); \"last updated\" dates are the reviewed dates"}
		case l.Shallow:
			c <- historyResult{l, "the git history is shallow, so pages not changed in it show their reviewed date as last updated; git fetch --unshallow fetches the rest"}
		default:
			c <- historyResult{l, ""}
		}
	}()
	return c
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
