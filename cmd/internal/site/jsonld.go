package site

import (
	"cmp"
	"encoding/json"
	"html/template"
	"slices"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
)

// Structured data (schema.org, as JSON-LD) lets search engines and other
// tools read what a page is: an article, a glossary entry, the glossary, the
// questions and answers, and where the page sits. It is a data block, never
// run as script, so the CSP does not need to allow it.

type ldThing = map[string]any

// jsonLD returns the structured data of a rendered page as one JSON-LD graph.
// modified is the date the page last changed.
func (s *Site) jsonLD(r *content.Rendered, modified time.Time, opt Options) (template.JS, error) {
	p := r.Page
	abs := func(q *content.Page) string { return opt.BaseURL + q.URL }
	var graph []ldThing

	if p.Parent != nil {
		var items []ldThing
		trail := []*content.Page{p}
		for a := p.Parent; a != nil; a = a.Parent {
			trail = append([]*content.Page{a}, trail...)
		}
		for i, q := range trail {
			items = append(items, ldThing{"@type": "ListItem", "position": i + 1, "name": q.Title, "item": abs(q)})
		}
		graph = append(graph, ldThing{"@type": "BreadcrumbList", "itemListElement": items})
	}

	switch {
	case p.Type == content.TypeGlossary:
		term := ldThing{
			"@type": "DefinedTerm", "@id": abs(p), "url": abs(p), "name": p.Title,
			"description": cmp.Or(p.Definition, p.Description), "inLanguage": p.Lang,
		}
		if p.Parent != nil {
			term["inDefinedTermSet"] = abs(p.Parent)
		}
		if same := translationURLs(p, abs); len(same) > 0 {
			term["sameAs"] = same
		}
		graph = append(graph, term)
	case isGlossary(p):
		set := ldThing{
			"@type": "DefinedTermSet", "@id": abs(p), "url": abs(p), "name": p.Title,
			"description": p.Description, "inLanguage": p.Lang,
		}
		var terms []ldThing
		for _, c := range p.Children {
			terms = append(terms, ldThing{"@type": "DefinedTerm", "@id": abs(c), "url": abs(c), "name": c.Title, "description": cmp.Or(c.Definition, c.Description)})
		}
		set["hasDefinedTerm"] = terms
		if same := translationURLs(p, abs); len(same) > 0 {
			set["sameAs"] = same
		}
		graph = append(graph, set)
	case p.Type == content.TypeFAQ:
		var questions []ldThing
		for _, sec := range r.Sections {
			if sec.ID == "" || sec.Text == "" {
				continue
			}
			questions = append(questions, ldThing{
				"@type": "Question", "name": sec.Title,
				"acceptedAnswer": ldThing{"@type": "Answer", "text": sec.Text},
			})
		}
		graph = append(graph, ldThing{"@type": "FAQPage", "url": abs(p), "name": p.Title, "inLanguage": p.Lang, "mainEntity": questions})
	case p.Type == content.TypePage || p.Type == content.TypeSection || p.Type == content.TypeCard:
		graph = append(graph, ldThing{
			"@type": "Article", "url": abs(p), "mainEntityOfPage": abs(p), "headline": p.Title,
			"description": p.Description, "inLanguage": p.Lang, "dateModified": modified.Format("2006-01-02"),
		})
	}
	if len(graph) == 0 {
		return "", nil
	}
	// json.Marshal writes <, > and & as \u003c and so on: the data can never close its script element.
	data, err := json.Marshal(ldThing{"@context": "https://schema.org", "@graph": graph})
	return template.JS(data), err
}

// isGlossary reports whether p is a section of glossary entries only.
func isGlossary(p *content.Page) bool {
	if p.Type != content.TypeSection || len(p.Children) == 0 {
		return false
	}
	for _, c := range p.Children {
		if c.Type != content.TypeGlossary {
			return false
		}
	}
	return true
}

func translationURLs(p *content.Page, abs func(*content.Page) string) []string {
	var out []string
	for _, t := range p.Translations {
		out = append(out, abs(t))
	}
	slices.Sort(out)
	return out
}
