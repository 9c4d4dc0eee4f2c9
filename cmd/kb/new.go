package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

// runNew creates <section>/<slug>.md in every language, with complete front
// matter, and refuses to overwrite a file.
func runNew(args []string, stdout, stderr io.Writer, now time.Time) int {
	fl := flag.NewFlagSet("kb new", flag.ContinueOnError)
	fl.SetOutput(stderr)
	contentDir := fl.String("content", "content", "folder with one subfolder of Markdown per language")
	typ := fl.String("type", content.TypePage, "page or glossary")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 1 || (*typ != content.TypePage && *typ != content.TypeGlossary) {
		fmt.Fprintln(stderr, "usage: kb new [-content content] [-type page|glossary] <section>/<slug>, such as kb new verblijfsregeling/nieuwe-regel")
		return 2
	}
	s, err := site.New(theme.FS())
	if err != nil {
		fmt.Fprintf(stderr, "kb new: %v\n", err)
		return 1
	}
	files, err := newPage(s, *contentDir, fl.Arg(0), *typ, now)
	if err != nil {
		fmt.Fprintf(stderr, "kb new: %v\n", err)
		return 1
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "kb new: created %s\n", f)
	}
	fmt.Fprintln(stdout, "kb new: fill in title, description, sources and the text in every file (each TODO), then run kb check")
	return 0
}

// newPage writes the files; the placeholders come from each language's
// message file (new.title, …), and kb check reports each TODO in them until
// an editor has replaced it.
func newPage(s *site.Site, dir, name, typ string, now time.Time) ([]string, error) {
	// The full languages; a partial one (pl, ar, …) gets a page only when a
	// translator writes it, and links the English page until then.
	var langs []string
	for _, code := range s.Langs() {
		if l, _ := lang.Get(code); l.Fallback == "" {
			langs = append(langs, code)
		}
	}
	name = strings.TrimSuffix(strings.Trim(filepath.ToSlash(name), "/"), ".md")
	parts := strings.Split(name, "/")
	for _, p := range parts {
		if !validName(p) {
			return nil, fmt.Errorf("%q: each part of <section>/<slug> may hold only lower-case letters, digits and dashes, such as verblijfsregeling/nieuwe-regel", name)
		}
	}
	section := path.Dir(name)
	var files []string
	for _, lang := range langs {
		if section != "." {
			idx := filepath.Join(dir, lang, filepath.FromSlash(section), "index.md")
			if _, err := os.Stat(idx); err != nil {
				return nil, fmt.Errorf("there is no section %s: %s does not exist; use an existing section, or start the section with kb new %s/index... by hand first", section, idx, section)
			}
		}
		f := filepath.Join(dir, lang, filepath.FromSlash(name)+".md")
		if _, err := os.Stat(f); err == nil {
			return nil, fmt.Errorf("%s already exists; kb new never overwrites a page, choose another name", f)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		files = append(files, f)
	}
	// The default language is the source; the others record its version.
	var source []byte
	for i, lang := range langs {
		var ph struct{ title, description, definition, body string }
		for _, m := range []struct {
			dst *string
			id  string
		}{{&ph.title, "new.title"}, {&ph.description, "new.description"}, {&ph.definition, "new.definition"}, {&ph.body, "new.body"}} {
			var err error
			if *m.dst, err = s.T(lang, m.id, nil); err != nil {
				return nil, err
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: %q\ndescription: %q\ntype: %s\ntranslationKey: %s\n", ph.title, ph.description, typ, name)
		if i > 0 {
			v, err := content.Version(source, langs[0])
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(&b, "translationOf: %s\n", v)
		}
		if typ == content.TypeGlossary {
			fmt.Fprintf(&b, "definition: %q\n", ph.definition)
		}
		fmt.Fprintf(&b, "sources: []\nreviewed: %s\n---\n\n%s\n", now.Format(time.DateOnly), ph.body)
		if i == 0 {
			source = []byte(b.String())
		}
		// O_EXCL: never overwrite, even a file made since the check above.
		f, err := os.OpenFile(files[i], os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return files[:i], err
		}
		_, err = f.WriteString(b.String())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return files[:i], err
		}
	}
	for i, f := range files {
		files[i] = filepath.ToSlash(f)
	}
	return files, nil
}

func validName(s string) bool {
	if s == "" || strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
