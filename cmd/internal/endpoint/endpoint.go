// Package endpoint is the /api/search handler over a built tree's search
// folder, as kb serve, kb search and the Netlify function serve it. It opens
// the index, and renders results pages from what the build wrote beside it:
// the theme's results template, and each language's search page (with a
// marker where the results go) and the UI strings its results use. So it
// needs neither the theme's other templates nor the content: the function
// binary links search, html/template and go-i18n, and no Markdown or YAML.
package endpoint

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/search"
)

// Files in the search folder of a built tree (_search/), besides each
// language's index, which search.Build writes to <lang>/.
const (
	TemplateFile = "results.tmpl" // the results template: the theme's partials/search-results.tmpl
	ShellFile    = "page.html"    // in <lang>/: the search page, with Marker where the results go
	MessagesFile = "ui.json"      // in <lang>/: the UI strings the template uses, as go-i18n's JSON
	Marker       = "<!--kb:search-results-->"
	template_    = "search-results" // the template's name in TemplateFile
)

// Results is what a results page shows: the data of the template.
type Results struct {
	Lang       string
	Query      string
	Problem    string // why the query could not be run, shown instead of results
	Searched   bool   // a query was run (the empty search page has not)
	Total      int    // the pages found, in Section when it is set
	Section    string // the site section the results are filtered to; "" for all
	AllTotal   int    // the pages found in all sections
	Sections   []Facet
	Page       int // this page of results, from 1
	Pages      int // how many pages of results there are
	Prev, Next int // the page numbers before and after this one; 0 for none
	From       int // the number of the first hit shown, from 1
	Definition *Definition
	Suggestion string
	Hits       []Hit
}

// Facet is a site section the results are in, for a filter: offered when the
// results fill more than one page and are in more than one section, or when a
// filter is on.
type Facet struct {
	Name    string
	Count   int
	Current bool // the results are filtered to this section
}

// Definition is a glossary entry shown above the results.
type Definition struct{ Term, Text, Source, URL, Lang string } // Lang: of a definition not in the language searched

// Hit is one result. Snippet is HTML: the search index escapes the text and only adds <mark>.
type Hit struct {
	URL, Title, Lang, Section string
	Heading                   string // the h2 heading of the part of the page the hit is in; "" for the page itself
	Snippet                   template.HTML
}

// Options say how to open a search folder.
type Options struct {
	Headers http.Header // sent with every answer: the site's security headers
	Log     *log.Logger // for internal errors; never given a query
}

// An Endpoint is the search handler over one opened search folder.
type Endpoint struct {
	*search.Handler
	Version string // the folder's manifest version: it changes when any file does
	private string // a private copy of the folder, removed by Close; "" for none
}

// Close closes the index and removes the private copy, if any.
func (e *Endpoint) Close() error {
	var err error
	if e.Index != nil {
		err = e.Index.Close()
	}
	if e.private != "" {
		err = errors.Join(err, os.RemoveAll(e.private))
	}
	return err
}

// Open opens the search folder dir in place, after checking every file of
// its manifest. The handler always answers: a language whose files do not
// match the manifest (or that cannot be opened) answers 503 while the others
// search, and with no good language at all every search answers 503. The
// error says what is wrong. Use it where nothing else writes to dir (a
// folder of the caller's own); else OpenCopy.
func Open(dir string, opt Options) (*Endpoint, error) {
	m, err := ReadManifest(os.DirFS(dir))
	if err != nil {
		return unavailable(opt), err
	}
	bad := m.verify(os.DirFS(dir), "")
	return open(dir, m, bad, opt)
}

// OpenCopy copies the search folder src, checking every file of its
// manifest as it copies, into a new folder of its own, and opens the copy.
// So the index it serves cannot change or be cut short under it while it
// runs, whatever is done to src (bleve maps its files into memory: a file
// truncated under it would crash the process). Close removes the copy.
func OpenCopy(src fs.FS, opt Options) (*Endpoint, error) {
	m, err := ReadManifest(src)
	if err != nil {
		return unavailable(opt), err
	}
	dir, err := os.MkdirTemp("", "kb-search-")
	if err != nil {
		return unavailable(opt), err
	}
	bad := m.verify(src, dir)
	e, err := open(dir, m, bad, opt)
	e.private = dir
	return e, err
}

// unavailable is a handler that answers every search with 503.
func unavailable(opt Options) *Endpoint {
	return &Endpoint{Handler: &search.Handler{Headers: opt.Headers, Log: opt.Log}}
}

// open opens the verified folder dir; bad are the languages (or "" for the
// shared files) whose files did not match the manifest, with why.
func open(dir string, m *Manifest, bad map[string]error, opt Options) (*Endpoint, error) {
	e := unavailable(opt)
	e.Version = m.Version
	e.Langs = m.Langs
	if err := bad[""]; err != nil {
		return e, err
	}
	src, err := os.ReadFile(filepath.Join(dir, TemplateFile))
	if err != nil {
		return e, fmt.Errorf("results template: %w", err)
	}
	pages := map[string]*page{}
	var good []string
	var errs []error
	for _, lang := range m.Langs {
		if err := bad[lang]; err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := openPage(dir, lang, string(src))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pages[lang] = p
		good = append(good, lang)
	}
	e.Render = func(w io.Writer, lang string, q search.Query, res *search.Result, problem string) error {
		p := pages[lang]
		if p == nil {
			return fmt.Errorf("no results page for language %q", lang)
		}
		return p.write(w, Convert(lang, q, res, problem))
	}
	if len(good) > 0 {
		ix, err := search.Open(dir, good)
		if ix != nil {
			ix.Others = Others()
		}
		e.Index = ix
		errs = append(errs, err)
	}
	return e, errors.Join(errs...)
}

// openPage reads one language's results page and UI strings.
func openPage(dir, lang, src string) (*page, error) {
	shell, err := os.ReadFile(filepath.Join(dir, lang, ShellFile))
	if err != nil {
		return nil, fmt.Errorf("results page of %s: %w", lang, err)
	}
	before, after, ok := bytes.Cut(shell, []byte(Marker))
	if !ok {
		return nil, fmt.Errorf("results page of %s: %s has no results marker", lang, ShellFile)
	}
	msgs, err := os.ReadFile(filepath.Join(dir, lang, MessagesFile))
	if err != nil {
		return nil, fmt.Errorf("results page of %s: %w", lang, err)
	}
	tmpl, err := Parse(src, lang, msgs)
	if err != nil {
		return nil, fmt.Errorf("results page of %s: %w", lang, err)
	}
	return &page{before: before, after: after, tmpl: tmpl}, nil
}

// page is one language's results page: the search page around the results.
type page struct {
	before, after []byte
	tmpl          *template.Template
}

func (p *page) write(w io.Writer, r Results) error {
	if _, err := w.Write(p.before); err != nil {
		return err
	}
	if err := p.tmpl.ExecuteTemplate(w, template_, r); err != nil {
		return err
	}
	_, err := w.Write(p.after)
	return err
}

// Parse parses the results template for lang, with t and tn bound to the UI
// strings in msgs (go-i18n's JSON). A message the template names that msgs
// does not have is an error here, not on a visitor's results page.
func Parse(src, lang string, msgs []byte) (*template.Template, error) {
	tag, err := language.Parse(lang)
	if err != nil {
		return nil, err
	}
	bundle := i18n.NewBundle(tag)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	if _, err := bundle.ParseMessageFileBytes(msgs, lang+".json"); err != nil {
		return nil, err
	}
	loc := i18n.NewLocalizer(bundle, lang)
	t := func(id string) (string, error) {
		return loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	}
	tn := func(id string, n int) (string, error) {
		return loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: map[string]any{"Count": n}})
	}
	tmpl, err := template.New("results").Funcs(template.FuncMap{"t": t, "tn": tn}).Parse(src)
	if err != nil {
		return nil, err
	}
	if tmpl.Lookup(template_) == nil {
		return nil, errors.New("the results template defines no " + template_)
	}
	// Render a page with every part once: a missing message fails now.
	if err := tmpl.ExecuteTemplate(io.Discard, template_, Results{Lang: lang, Searched: true, Total: 12, AllTotal: 22, Section: "x",
		Sections: []Facet{{Name: "x", Count: 12, Current: true}, {Name: "y", Count: 10}}, Page: 2, Pages: 3, Prev: 1, Next: 3, From: 11,
		Hits: []Hit{{Lang: "xx", Heading: "x", Section: "x"}}, Definition: &Definition{Source: "x", Lang: "xx"}, Suggestion: "x"}); err != nil {
		return nil, err
	}
	return tmpl, nil
}

// Convert turns the index's answer into what the results page shows.
func Convert(lang string, q search.Query, res *search.Result, problem string) Results {
	r := Results{Lang: lang, Query: q.Text, Problem: problem}
	if res == nil {
		return r
	}
	r.Searched = true
	r.Total, r.Section, r.Page, r.Pages, r.From = res.Total, res.Section, res.Page, res.Pages, res.Offset+1
	if r.Page > 1 {
		r.Prev = r.Page - 1
	}
	if r.Page < r.Pages {
		r.Next = r.Page + 1
	}
	for name, n := range res.Facets["section"] {
		r.AllTotal += n
		r.Sections = append(r.Sections, Facet{Name: name, Count: n, Current: name == res.Section})
	}
	// Most pages first, then by name (the same order on every page of results).
	slices.SortFunc(r.Sections, func(a, b Facet) int { return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Name, b.Name)) })
	if res.Section == "" && (r.Pages < 2 || len(r.Sections) < 2) {
		r.Sections = nil // a filter would not help
	}
	if d := res.Definition; d != nil && r.Page == 1 { // the card belongs above the first results
		r.Definition = &Definition{Term: d.Term, Text: d.Text, Source: d.Source, URL: d.URL, Lang: d.Lang}
	}
	if res.Suggestion != nil {
		r.Suggestion = *res.Suggestion
	}
	for _, h := range res.Hits {
		r.Hits = append(r.Hits, Hit{
			URL: h.URL, Title: h.Title, Heading: h.Heading, Lang: h.Lang, Section: h.Section,
			Snippet: template.HTML(h.Snippet), // escaped by the index; only <mark> is markup
		})
	}
	return r
}

// Others are, for each language, the languages whose pages a search that
// finds nothing in it shows instead (search.Index.Others): its fallback
// first, then the full languages (Dutch, English) in the registry's order, so
// that a Polish reader gets English results and never Romanian ones.
func Others() map[string][]string {
	out := map[string][]string{}
	for _, l := range lang.All {
		var o []string
		if l.Fallback != "" {
			o = append(o, l.Fallback)
		}
		for _, full := range lang.All {
			if full.Fallback == "" && full.Code != l.Code && !slices.Contains(o, full.Code) {
				o = append(o, full.Code)
			}
		}
		out[l.Code] = o
	}
	return out
}
