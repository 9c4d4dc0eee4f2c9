// Package build makes the knowledge base: it turns the content and the theme
// into one tree of files, the site and its search index together.
//
// # Inputs
//
// A build reads:
//
//   - the content, an fs.FS with one folder of Markdown per language of
//     package lang (content/nl/, content/en/): front matter and body, as
//     package content reads them;
//   - the theme, an fs.FS of templates, UI strings per language and static
//     files (package theme, or theme/ on disk while kb serve previews it);
//   - the git history of the content folder (package history), for "last
//     updated" dates, change-history pages and the feeds; a build without it
//     falls back to each page's reviewed date;
//   - the time of the build (Config.Now): review dates and dates in the text
//     are checked against it, and security.txt expires a year after it.
//
// Nothing else: no clock, no environment, no network. The same inputs give
// the same tree, byte for byte.
//
// # The tree
//
// A build writes one tree (package out):
//
//	nl/…/index.html, en/…/index.html   every page, at its clean URL, and its change history
//	index.html, 404.html               the bilingual root and 404 pages; nl/404.html per language
//	nl/zoeken/index.html               each language's search page
//	nl/feed.xml, nl/wat-is-er-nieuw/   what changed, from git
//	sitemap.xml, robots.txt, .well-known/security.txt
//	assets/<name>.<hash>.<ext>         the theme's static files, named by their content
//	favicon.ico                        the theme's static/favicon.ico again, where browsers ask for it
//	_search/results.tmpl               the results template (the theme's search-results partial)
//	_search/nl/page.html               each language's search page with a marker where results go
//	_search/nl/ui.json                 the UI strings those results use
//	_search/nl/bleve/, terms.gob.gz    each language's index (package search), unless Config.NoIndex
//	_search/manifest.json              every file of _search with its size and SHA-256, written last
//
// The search endpoint (package endpoint) reads _search/ alone: it never
// needs the content or the rest of the theme. A web server serves the rest;
// _search/ is not for visitors (kb serve does not serve it, and the Netlify
// build moves it into the function).
//
// # Checks
//
// Every check of kb check runs in every build: front matter, links and
// anchors, sources, review dates, translations, phone numbers, plain
// language (package content). An error stops the build and nothing is
// published; warnings and notes are returned with the result. Each finding
// names file:line and says what to do.
//
// # Publishing
//
// The tree goes to memory (out.Mem: kb serve serves it, and tests assert on
// it) or to a new folder beside the one it replaces (out.Dir: kb build). A
// folder is published only when the whole build, index included, succeeded,
// by renaming it into place: the site and its index change together, and a
// failed or killed build leaves the last good tree as it was (out.Recover
// mends a build killed between the renames).
package build

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/cmd/internal/history"
	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
	"github.com/kb-mensenhandel/kb/cmd/internal/parallel"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/search"
)

// Config is what one build reads besides the content and the theme.
type Config struct {
	Root       string       // the content folder as editors know it, for messages, such as "content"
	History    *history.Log // the content's git history; nil without one
	BaseURL    string       // where the site is published, without a final slash
	EditURL    string       // "edit this page" links: the page's file path is added to it; "" for none
	Now        time.Time    // the time of the build; required
	Drafts     bool         // keep draft pages (kb serve)
	LiveReload bool         // add kb serve's reload script to every page
	NoIndex    bool         // leave out the search index: kb serve builds it apart, after the pages

	cache *content.Cache // the files as the last load read them (Preview)
}

// Result is what a build made besides the tree.
type Result struct {
	Set      *content.Set
	Rendered []*content.Rendered // every page, without its body
	Findings content.ErrorList   // warnings and notes; errors are returned as an error
	Redone   int                 // the pages rendered by this build: all, or those an edit changed (Preview.Update)
}

// Pages counts the pages of the content.
func (r *Result) Pages() int { return len(r.Set.Pages) }

// Build builds the site of the content in contentFS with the theme of s
// into tree. On an error, which is an ErrorList when the content is at fault,
// the tree is incomplete and must be thrown away.
func Build(s *site.Site, contentFS fs.FS, cfg Config, tree out.Tree) (*Result, error) {
	res, err := Load(s, contentFS, cfg)
	if err != nil {
		return nil, err
	}
	sr, err := s.Build(res.Set, tree, siteOptions(cfg))
	if err != nil {
		return nil, err
	}
	res.Rendered, res.Redone = sr.Rendered, len(sr.Rendered)
	res.Findings = append(res.Findings, sr.Findings...)
	res.Findings.Sort()
	if !cfg.NoIndex {
		dir, err := tree.Folder(site.SearchDir)
		if err != nil {
			return nil, err
		}
		if err := Index(res.Rendered, dir, len(lang.All)); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// Load reads and checks the content without rendering it: the first half
// of a build, and all that kb check needs before it renders.
func Load(s *site.Site, contentFS fs.FS, cfg Config) (*Result, error) {
	if err := CheckFolders(contentFS, cfg.Root); err != nil {
		return nil, err
	}
	opt, err := ContentOptions(s, cfg)
	if err != nil {
		return nil, err
	}
	set, findings, err := content.Load(contentFS, opt)
	if err != nil {
		return nil, err
	}
	return &Result{Set: set, Findings: findings}, nil
}

// ContentOptions are the options content.Load needs for cfg, with the words
// of each language from the theme of s.
func ContentOptions(s *site.Site, cfg Config) (content.Options, error) {
	opt := content.Options{Langs: lang.Codes(), Root: cfg.Root, Drafts: cfg.Drafts, Today: cfg.Now, Words: map[string]content.Words{}, Cache: cfg.cache}
	for _, code := range opt.Langs {
		w, err := s.Words(code)
		if err != nil {
			return opt, err
		}
		opt.Words[code] = w
	}
	return opt, nil
}

func siteOptions(cfg Config) site.Options {
	return site.Options{BaseURL: cfg.BaseURL, LiveReload: cfg.LiveReload, History: cfg.History, EditURL: cfg.EditURL, Now: cfg.Now}
}

// Index writes each language's search index into dir/<lang>/, from the
// rendered pages, and then the folder's manifest (endpoint.WriteManifest);
// dir is a tree's search folder (site.SearchDir), where the results pages
// are already. bleve's
// builder uses one core: at most atOnce languages are built side by side
// (kb serve builds one at a time, to leave a core to the preview).
func Index(rendered []*content.Rendered, dir string, atOnce int) error {
	errs := make([]error, len(lang.All))
	sem := make(chan struct{}, max(1, atOnce))
	parallel.For(len(lang.All), func(i int) {
		sem <- struct{}{}
		defer func() { <-sem }()
		l := lang.All[i]
		docs, terms := Docs(rendered, l.Code)
		err := search.Build(filepath.Join(dir, l.Code), l.Analyzer, docs, terms)
		if err != nil {
			errs[i] = fmt.Errorf("search index of %s: %w", l.Code, err)
		}
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	// Last, the list of every file with its hash: the endpoint opens nothing else.
	return endpoint.WriteManifest(dir, lang.Codes())
}

// Docs turns the rendered pages of one language into the search index's
// documents (each page, and each of its h2 sections) and glossary terms.
func Docs(rendered []*content.Rendered, code string) ([]search.Doc, []search.Term) {
	var docs []search.Doc
	var terms []search.Term
	for _, r := range rendered {
		p := r.Page
		if p.Lang != code || p.Type == content.TypeStep || p.Type == content.TypeResult {
			continue // a decision aid is found by its start, not in the middle
		}
		section := p.Short() // the top-level page the page is under, by its short title, as the menu names it
		for top := p; top.Parent != nil; top = top.Parent {
			section = top.Short()
		}
		page := search.Doc{URL: p.URL, Title: p.Title, Description: p.Description, Section: section, Type: p.Type, SearchTerms: p.SearchTerms}
		for _, s := range r.Sections {
			if s.ID == "" {
				page.Text = s.Text
				continue
			}
			docs = append(docs, search.Doc{URL: p.URL + "#" + s.ID, Title: p.Title, Heading: s.Title, Section: section, Type: p.Type, Text: s.Text})
		}
		docs = append(docs, page)
		if p.Type == content.TypeGlossary {
			t := search.Term{Key: p.Key, Term: p.Title, Aliases: p.Aliases, Definition: p.Definition, URL: p.URL}
			if len(p.Sources) > 0 {
				t.Source = p.Sources[0].Title
			}
			terms = append(terms, t)
		}
	}
	if l, _ := lang.Get(code); l.Fallback != "" {
		terms = append(terms, bridgedTerms(rendered, code)...)
	}
	return docs, terms
}

// bridgedTerms are the glossary terms of a partial language, which has no
// glossary of its own. Its pages give the Dutch term beside the translation,
// as "okres do namysłu (bedenktijd)": each Dutch glossary entry whose term (or
// alias) stands so in brackets becomes a term of the language, with the
// words before the bracket (the last one, two and three) as its aliases, so
// that a query in the reader's words gives the Dutch term's definition and
// finds the pages that use it. The entry stays the Dutch one, as the page
// that counts: its definition, source and page are Dutch (Term.Lang).
func bridgedTerms(rendered []*content.Rendered, code string) []search.Term {
	def := lang.Default().Code
	var entries []*content.Page
	for _, r := range rendered {
		if p := r.Page; p.Lang == def && p.Type == content.TypeGlossary {
			entries = append(entries, p)
		}
	}
	found := map[*content.Page]map[string]bool{}
	for _, r := range rendered {
		if r.Page.Lang != code {
			continue
		}
		for _, s := range r.Sections {
			text := s.Text
			for {
				open := strings.IndexByte(text, '(')
				if open < 0 {
					break
				}
				close := strings.IndexByte(text[open:], ')')
				if close < 0 {
					break
				}
				inside := strings.TrimSpace(text[open+1 : open+close])
				before := text[:open]
				text = text[open+close+1:]
				for _, e := range entries {
					if !slices.ContainsFunc(append([]string{e.Title}, e.Aliases...), func(n string) bool { return strings.EqualFold(n, inside) }) {
						continue
					}
					if found[e] == nil {
						found[e] = map[string]bool{}
					}
					// The words of the same sentence right before the bracket.
					if i := strings.LastIndexAny(before, ".!?:;\n"); i >= 0 {
						before = before[i+1:]
					}
					ws := strings.Fields(strings.Trim(before, " ,"))
					for n := 1; n <= 3 && n <= len(ws); n++ {
						if n == 1 && utf8.RuneCountInString(ws[len(ws)-1]) < 4 {
							break // too short to stand for a term by itself
						}
						found[e][strings.Join(ws[len(ws)-n:], " ")] = true
					}
				}
			}
		}
	}
	var terms []search.Term
	for _, e := range entries {
		if found[e] == nil {
			continue
		}
		t := search.Term{Key: e.Key, Term: e.Title, Definition: e.Definition, URL: e.URL, Lang: def}
		t.Aliases = slices.Sorted(maps.Keys(found[e]))
		if len(e.Sources) > 0 {
			t.Source = e.Sources[0].Title
		}
		terms = append(terms, t)
	}
	return terms
}

// CheckFolders finds folders in the content that no language claims, whose
// pages would silently be left out, and pages outside a language folder.
// root is the content folder as editors know it, for messages.
func CheckFolders(contentFS fs.FS, root string) error {
	entries, err := fs.ReadDir(contentFS, ".")
	if err != nil {
		return fmt.Errorf("read content folder: %w", err)
	}
	codes := lang.Codes()
	var errs content.ErrorList
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir() && !slices.Contains(codes, name):
			errs = append(errs, &content.Error{File: path.Join(root, name), Line: 1,
				Msg: fmt.Sprintf("folder %s is not a language of the site; add the language to lang.All (cmd/internal/lang) with theme/i18n/%s.toml, or move the folder out of %s", name, name, root)})
		case !e.IsDir() && path.Ext(name) == ".md":
			errs = append(errs, &content.Error{File: path.Join(root, name), Line: 1,
				Msg: fmt.Sprintf("page is outside a language folder; move it into %s", path.Join(root, codes[0]))})
		}
	}
	return errs.Err()
}
