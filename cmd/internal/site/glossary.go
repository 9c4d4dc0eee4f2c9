package site

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
)

// The glossary's section page lists its terms as an index: sorted the way
// the language sorts (content.Collator, not by byte: Aangifte before AVIM),
// grouped by first letter, with jump links over the alphabet the language's
// message file gives ("glossary.alphabet").

// letterGroup is the terms that start with one letter.
type letterGroup struct {
	Letter string // as the alphabet writes it, such as "A"
	ID     string // the heading's id, such as "letter-a"
	Pages  []*content.Page
}

// letter is one letter of the jump links; ID is "" when no term starts with it.
type letter struct{ Letter, ID string }

// glossaryIndex returns p's terms by letter and the alphabet's jump links,
// when p is a section of glossary entries only; else nothing.
func (s *Site) glossaryIndex(p *content.Page) ([]letterGroup, []letter, error) {
	if p.Type != content.TypeSection || len(p.Children) == 0 {
		return nil, nil, nil
	}
	for _, c := range p.Children {
		if c.Type != content.TypeGlossary {
			return nil, nil, nil
		}
	}
	alphabet, err := s.T(p.Lang, "glossary.alphabet", nil)
	if err != nil {
		return nil, nil, err
	}
	// By title alone: a glossary is alphabetical whatever weights its entries have.
	terms := slices.Clone(p.Children)
	coll := content.Collator(p.Lang) // one per call: a collator is not safe for concurrent use
	slices.SortStableFunc(terms, func(a, b *content.Page) int { return coll.CompareString(a.Title, b.Title) })
	var groups []letterGroup
	for _, t := range terms {
		l := initial(t.Title)
		if len(groups) == 0 || groups[len(groups)-1].Letter != l {
			groups = append(groups, letterGroup{Letter: l, ID: "letter-" + strings.ToLower(content.Slug(l))})
			if l == "#" {
				groups[len(groups)-1].ID = "letter-other"
			}
		}
		groups[len(groups)-1].Pages = append(groups[len(groups)-1].Pages, t)
	}
	var letters []letter
	for _, r := range alphabet {
		if unicode.IsSpace(r) {
			continue
		}
		l := letter{Letter: string(r)}
		for _, g := range groups {
			if g.Letter == l.Letter {
				l.ID = g.ID
			}
		}
		letters = append(letters, l)
	}
	return groups, letters, nil
}

// initial is the letter a title is filed under: its first letter without
// accents, in upper case (Ééntje under E), or "#" for a digit or sign.
func initial(title string) string {
	for _, r := range norm.NFD.String(title) {
		if unicode.IsLetter(r) {
			return string(unicode.ToUpper(r))
		}
		if !unicode.Is(unicode.Mn, r) && !unicode.IsSpace(r) {
			return "#"
		}
	}
	return "#"
}
