package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
)

// SearchResults is what the search page shows. The site knows nothing of the
// search index: the caller fills this in from the index's answer.
type SearchResults struct {
	Lang       string
	Query      string
	Problem    string // why the query could not be run, shown instead of results
	Searched   bool   // a query was run (the empty search page has not)
	Total      int
	Definition *SearchDefinition
	Suggestion string
	Hits       []SearchHit
}

// SearchDefinition is a glossary entry shown above the results.
type SearchDefinition struct{ Term, Text, Source, URL string }

// SearchHit is one result. Snippet is HTML: the search index escapes the text and only adds <mark>.
type SearchHit struct {
	URL, Title, Lang, Section string
	Snippet                   template.HTML
}

// resultsMarker stands in the search page's shell where the results go.
const resultsMarker = "<!--kb:search-results-->"

// SearchPath is the URL of lang's search page, such as /nl/zoeken/.
func (s *Site) SearchPath(lang string) (string, error) {
	seg, err := s.T(lang, "search.path", nil)
	return "/" + lang + "/" + seg + "/", err
}

// RenderResults writes the results part of the search page.
func (s *Site) RenderResults(w io.Writer, r SearchResults) error {
	t := s.tmpl[r.Lang]["search"]
	if t == nil {
		return fmt.Errorf("no templates for language %q", r.Lang)
	}
	return t.ExecuteTemplate(w, "search-results", r)
}

// searchPages renders each language's search page: the static page without a
// query, and the shell, the same page with a marker where results go, from
// which the search endpoint makes results pages.
func (s *Site) searchPages(lang string, homes map[string]*content.Page, opt Options) (page, shell []byte, err error) {
	title, _ := s.T(lang, "search.title", nil)
	desc, _ := s.T(lang, "site.description", nil)
	path, err := s.SearchPath(lang)
	if err != nil {
		return nil, nil, err
	}
	d := &pageData{Lang: lang, Title: title, Description: desc, Home: homes[lang], Nav: homes[lang].Children, LiveReload: opt.LiveReload, Canonical: opt.BaseURL + path, BaseURL: opt.BaseURL, SearchPage: true}
	for _, other := range s.langs {
		if other != lang {
			label, _ := s.T(other, "language.name", nil)
			locale, _ := s.T(other, "site.locale", nil)
			p, _ := s.SearchPath(other)
			d.Switch = append(d.Switch, switchLink{Lang: other, Label: label, URL: p})
			d.Locales = append(d.Locales, locale)
		}
	}
	if err := (&navCache{site: s}).add(d); err != nil {
		return nil, nil, err
	}
	var results bytes.Buffer
	if err := s.RenderResults(&results, SearchResults{Lang: lang}); err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	d.Results = template.HTML(results.String())
	if err := s.tmpl[lang]["search"].Execute(&b, d); err != nil {
		return nil, nil, err
	}
	page = bytes.Clone(b.Bytes())
	b.Reset()
	d.Results = resultsMarker
	d.Canonical = "" // a results page is not a page to index
	if err := s.tmpl[lang]["search"].Execute(&b, d); err != nil {
		return nil, nil, err
	}
	return page, b.Bytes(), nil
}

// ResultsPage writes a whole results page: shell, with the results where its marker is.
func (s *Site) ResultsPage(w io.Writer, shell []byte, r SearchResults) error {
	before, after, ok := bytes.Cut(shell, []byte(resultsMarker))
	if !ok {
		return fmt.Errorf("the search page shell has no results marker")
	}
	if _, err := w.Write(before); err != nil {
		return err
	}
	if err := s.RenderResults(w, r); err != nil {
		return err
	}
	_, err := w.Write(after)
	return err
}
