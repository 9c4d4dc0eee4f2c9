package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/build"
	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

// runCheck runs every check of kb build without writing the site, and prints
// each finding as file:line: error|warning|note: message, then a summary.
// It exits 1 on an error, or with -strict on a warning too; notes never fail.
//
// With -fix-drift FILE (or all) it first records, in each named translation,
// that it follows the current version of its source (translationOf).
func runCheck(args []string, stdout, stderr io.Writer, now time.Time) int {
	fl := flag.NewFlagSet("kb check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	contentDir := fl.String("content", "content", "folder with one subfolder of Markdown per language")
	strict := fl.Bool("strict", false, "fail on warnings too, not only on errors")
	var fix []string
	fl.Func("fix-drift", "after updating a translation: record that `FILE` (or all translations) follows the current version of its source; may be repeated", func(s string) error {
		fix = append(fix, s)
		return nil
	})
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "kb check: unexpected argument %q; to name files, use -fix-drift FILE\n", fl.Arg(0))
		return 2
	}
	s, err := site.New(theme.FS())
	if err != nil {
		fmt.Fprintf(stderr, "kb check: %v\n", err)
		return 1
	}
	c := config{content: *contentDir, now: now}
	if len(fix) > 0 {
		if err := fixDrift(c, s, fix, stdout); err != nil {
			fmt.Fprintf(stderr, "kb check: %v\n", err)
			return 1
		}
	}

	list, n, err := check(c, s)
	if err != nil {
		fmt.Fprintf(stderr, "kb check: %v\n", err)
		return 1
	}
	for _, f := range list {
		fmt.Fprintln(stdout, f)
	}
	errs, warnings := list.Count(content.SevError), list.Count(content.SevWarning)
	verdict := "passed"
	if errs > 0 || *strict && warnings > 0 {
		verdict = "failed"
	}
	pages := ""
	if n > 0 {
		pages = fmt.Sprintf("%d pages, ", n)
	}
	strictly := ""
	if *strict {
		strictly = " (-strict: warnings fail too)"
	}
	fmt.Fprintf(stdout, "kb check: %s%s: %s%s\n", pages, list.Summary(), verdict, strictly)
	if verdict == "failed" {
		return 1
	}
	return 0
}

// check loads and renders the content without writing anything, and returns
// every finding and the number of pages. The error is for what stopped the
// check itself, such as an unreadable folder, not for findings.
func check(c config, s *site.Site) (content.ErrorList, int, error) {
	var list content.ErrorList
	fsys, done, err := contentFS(c.content)
	if err != nil {
		return nil, 0, err
	}
	defer done()
	res, err := build.Load(s, fsys, c.buildConfig())
	if err != nil {
		if !errors.As(err, &list) {
			return nil, 0, err
		}
		return list, 0, nil
	}
	_, more, err := res.Set.RenderAll(nil)
	if err != nil {
		return nil, 0, err
	}
	findings := append(res.Findings, more...)
	findings.Sort()
	return findings, res.Pages(), nil
}

// fixDrift writes the current translationOf into the named translations.
func fixDrift(c config, s *site.Site, names []string, stdout io.Writer) error {
	opt, err := build.ContentOptions(s, c.buildConfig())
	if err != nil {
		return err
	}
	opt.Drafts = true // a draft translation can be brought up to date too
	// Editors may type the path in their own way: content/en/x.md, ./content/en/x.md.
	for i, n := range names {
		if n != "all" {
			names[i] = filepath.ToSlash(filepath.Clean(n))
		}
	}
	fsys, done, err := contentFS(c.content)
	if err != nil {
		return err
	}
	defer done()
	fixes, err := content.DriftFixes(fsys, opt, names)
	if err != nil {
		return err
	}
	for _, f := range fixes {
		name := filepath.Join(c.content, filepath.FromSlash(f.Name))
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		out, err := content.SetField(src, "translationOf", f.Value)
		if err != nil {
			return fmt.Errorf("%s: %w", f.File, err)
		}
		if string(out) == string(src) {
			continue
		}
		if err := os.WriteFile(name, out, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: translationOf: %s (follows %s as it is now)\n", f.File, f.Value, f.Source)
	}
	if len(fixes) == 0 {
		fmt.Fprintf(stdout, "kb check: no translations to update for %s\n", strings.Join(names, ", "))
	}
	return nil
}
