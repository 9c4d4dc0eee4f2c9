package site

import (
	"html/template"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/theme"
)

// BenchmarkPageTemplate executes the page layout for one typical page: the
// template cost that every page of a build pays on top of its Markdown.
func BenchmarkPageTemplate(b *testing.B) {
	s, err := New(theme.FS())
	if err != nil {
		b.Fatal(err)
	}
	home := &content.Page{Lang: "nl", URL: "/nl/", Meta: content.Meta{Type: content.TypeHome, Title: "Start"}}
	sec := &content.Page{Lang: "nl", URL: "/nl/s/", Parent: home, Meta: content.Meta{Type: content.TypeSection, Title: "Onderdeel"}}
	home.Children = []*content.Page{sec}
	for i := range 10 {
		home.Children = append(home.Children, &content.Page{Lang: "nl", URL: "/nl/x" + string(rune('a'+i)) + "/", Parent: home, Meta: content.Meta{Title: "Onderwerp"}})
	}
	enHome := &content.Page{Lang: "en", URL: "/en/", Meta: content.Meta{Type: content.TypeHome}}
	p := &content.Page{
		Lang: "nl", URL: "/nl/s/p/", Parent: sec,
		Meta: content.Meta{
			Title: "Een pagina", Description: "Een beschrijving van de pagina.", Type: content.TypePage,
			Sources:  []content.Source{{Title: "Wetboek van Strafrecht", URL: "https://wetten.overheid.nl/"}, {Title: "IND", URL: "https://ind.nl/"}},
			Reviewed: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
		},
	}
	r := &content.Rendered{
		Page: p,
		Body: template.HTML(strings.Repeat("<p>Tekst met woorden.</p>\n", 60)),
		Headings: []content.Heading{
			{Level: 2, ID: "een", Text: "Een"}, {Level: 2, ID: "twee", Text: "Twee"}, {Level: 2, ID: "drie", Text: "Drie"}, {Level: 3, ID: "vier", Text: "Vier"},
		},
	}
	p.Translations = map[string]*content.Page{"en": {Lang: "en", URL: "/en/s/p/"}}
	homes := map[string]*content.Page{"nl": home, "en": enHome}
	nav := &navCache{site: s}
	opt := Options{BaseURL: "https://example.org"}
	for b.Loop() {
		d, err := s.pageData(r, homes, opt)
		if err != nil {
			b.Fatal(err)
		}
		if err := nav.add(d); err != nil {
			b.Fatal(err)
		}
		if err := s.tmpl["nl"]["page"].Execute(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
