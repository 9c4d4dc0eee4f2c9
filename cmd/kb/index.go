package main

import (
	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/search"
)

// searchDocs turns the rendered pages of one language into the search index's
// documents (each page, and each of its h2 sections) and glossary terms.
func searchDocs(pages []*content.Page, lang string) ([]search.Doc, []search.Term) {
	var docs []search.Doc
	var terms []search.Term
	for _, p := range pages {
		if p.Lang != lang {
			continue
		}
		section := p.Title
		for top := p; top.Parent != nil; top = top.Parent {
			section = top.Title
		}
		page := search.Doc{URL: p.URL, Title: p.Title, Description: p.Description, Section: section, Type: p.Type}
		for _, s := range p.Sections {
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
	return docs, terms
}
