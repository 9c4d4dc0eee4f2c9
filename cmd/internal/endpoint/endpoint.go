// Package endpoint wires the search index to the site's results page: the
// /api/search handler that kb serve mounts beside the site and that the
// Netlify function wraps.
package endpoint

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"

	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/search"
)

// Open opens the index kb build wrote to dir and returns the search handler.
// When the index cannot be opened the handler still answers, with 503, and
// the error says why; the static site is served as usual.
func Open(dir string, theme fs.FS, logger *log.Logger) (*search.Handler, error) {
	h := &search.Handler{Log: logger}
	s, err := site.New(theme)
	if err != nil {
		return h, err
	}
	h.Render = func(w io.Writer, lang string, q search.Query, res *search.Result, problem string) error {
		shell, err := os.ReadFile(filepath.Join(dir, lang+".html"))
		if err != nil {
			return fmt.Errorf("results page shell: %w", err)
		}
		return s.ResultsPage(w, shell, Results(lang, q, res, problem))
	}
	ix, err := search.Open(dir)
	if err != nil {
		return h, err
	}
	h.Index = ix
	return h, nil
}

// Results converts the index's answer for the site's templates.
func Results(lang string, q search.Query, res *search.Result, problem string) site.SearchResults {
	r := site.SearchResults{Lang: lang, Query: q.Text, Problem: problem}
	if res == nil {
		return r
	}
	r.Searched = true
	r.Total = res.Total
	if d := res.Definition; d != nil {
		r.Definition = &site.SearchDefinition{Term: d.Term, Text: d.Text, Source: d.Source, URL: d.URL}
	}
	if res.Suggestion != nil {
		r.Suggestion = *res.Suggestion
	}
	for _, h := range res.Hits {
		r.Hits = append(r.Hits, site.SearchHit{
			URL: h.URL, Title: h.Title, Lang: h.Lang, Section: h.Section,
			Snippet: template.HTML(h.Snippet), // escaped by the index; only <mark> is markup
		})
	}
	return r
}
