package content

import (
	"html/template"
	"strings"
	"time"
)

// Page types. A home page is the root of a language, a section page is the
// index.md of a folder and lists its pages, a glossary page defines one term.
const (
	TypeHome     = "home"
	TypeSection  = "section"
	TypePage     = "page"
	TypeGlossary = "glossary"
	TypeFAQ      = "faq"      // questions as ## headings, each answered below it
	TypeCard     = "card"     // a summary made to be printed on one A4 sheet, such as a pocket card
	TypeContacts = "contacts" // the one page per language that gives phone numbers, each with its source and the day it was checked

	// A decision aid is a folder of questions that lead, one answer at a
	// time, to a result: its index.md is the start (aid), each question a
	// step, each end a result (aid.go).
	TypeAid    = "aid"
	TypeStep   = "step"
	TypeResult = "result"
)

var pageTypes = []string{TypeHome, TypeSection, TypePage, TypeGlossary, TypeFAQ, TypeCard, TypeContacts, TypeAid, TypeStep, TypeResult}

// Meta is a page's front matter. Every key an editor may write is a field here;
// any other key is an error.
type Meta struct {
	Title              string
	LinkTitle          string // a short title for the menu and breadcrumbs; "" for the title
	Description        string
	TranslationKey     string
	TranslationOf      string // "nl:3f2a9c1b0d4e": the language and version of the page this one translates (see drift.go)
	Slug               string
	Weight             int
	Type               string
	Sources            []Source
	Reviewed           time.Time
	Draft              bool
	PendingLegislation bool      // the law this page explains is being changed
	PendingChange      string    // with PendingLegislation: which rule is changing, in one sentence, for the notice
	StateOf            time.Time // with PendingLegislation: the date of the state the page describes (its newest source), shown as "as of"
	Definition         string    // glossary: the term's definition in one sentence, for lists and search
	Aliases            []string  // glossary: other names and spellings of the term, in the page's language
	Answers            []Answer  // aid and step: the choices, each leading to a step or a result
	NativeReviewed     time.Time // in a language whose translations wait for a native speaker's check: the day one checked this page
	SearchTerms        []string  // what people type into search when this page is the answer, such as "is dit mensenhandel": such a query shows the page first
}

// An Answer is one choice of a step of a decision aid.
type Answer struct {
	Label  string // what the reader chooses, such as "Ja"
	Next   string // the step or result it leads to: a file in the aid's folder, such as grens.md
	Target *Page  // that page, once the pages are linked; nil when Next names none
	line   int
}

// A Source is a document a page's facts come from.
type Source struct {
	Title string
	URL   string
	line  int // of the item in the file
}

// A Heading is a heading in a page's body, for the contents list and anchors.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// A Section is the text under one h2 heading, so search can link to page/#section.
type Section struct {
	ID    string
	Title string
	Text  string
}

// Page is one Markdown file, loaded: its front matter, its place among the
// pages and its source. Load makes it; nothing changes it after. Rendering the
// body gives a Rendered value (Set.Render), as often as needed.
type Page struct {
	Meta
	Lang string // folder under content/, such as "nl"
	Path string // slash path inside the language folder, such as "verblijfsregeling/bedenktijd.md"
	File string // path for messages, such as content/nl/verblijfsregeling/bedenktijd.md
	Key  string // translation key: Meta.TranslationKey, or Path when that is empty
	URL  string // site-absolute clean URL, such as /nl/verblijfsregeling/bedenktijd/

	Parent       *Page            // section or home page above this one; nil for a home page
	Children     []*Page          // pages of a section or home, by weight, then title
	Translations map[string]*Page // the same page in other languages, by language
	Behind       *Page            // the page this one translates, when that changed after this translation was last updated

	src       []byte         // the file with its front matter blanked; nil when the front matter could not be read
	bodyStart int            // where the body starts in src
	lines     map[string]int // the line of each front matter field
}

// Source returns the file as read, with its front matter blanked; nil when the
// front matter could not be read. It must not be changed.
func (p *Page) Source() []byte { return p.src }

// Short returns the page's link title, or its title when it has none.
func (p *Page) Short() string {
	if p.LinkTitle != "" {
		return p.LinkTitle
	}
	return p.Title
}

// IsIndex reports whether the page is a home, section or aid page, which has children.
func (p *Page) IsIndex() bool {
	return p.Type == TypeHome || p.Type == TypeSection || p.Type == TypeAid
}

// Rendered is a page's body made into HTML, with what was found in it. Each
// call of Set.Render makes a new one; the Page does not change.
type Rendered struct {
	Page        *Page
	Body        template.HTML // raw HTML in the source is dropped
	Lead        int           // the length of Body's first paragraph (where notices may follow it); 0 when Body does not start with one
	Headings    []Heading     // h2 to h6, in order
	Sections    []Section     // the body's plain text split at h2 headings; the part before the first h2 has an empty ID
	Readability Readability
	Findings    ErrorList   // in the body: links, images, heading levels, plain language
	anchors     []anchorRef // links to headings, checked against every page's headings (CheckAnchors)
}

// Text returns the plain text of the body, for search and readability checks.
func (r *Rendered) Text() string {
	var b strings.Builder
	for i, s := range r.Sections {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if s.Title != "" {
			b.WriteString(s.Title + "\n")
		}
		b.WriteString(s.Text)
	}
	return b.String()
}

// WithoutBody returns r without its HTML: what is kept of a page once it is
// written, for search documents and link checks.
func (r *Rendered) WithoutBody() *Rendered {
	c := *r
	c.Body, c.Lead = "", 0
	return &c
}

// Split returns Body as its first paragraph and the rest; lead is empty when
// Body does not start with a paragraph.
func (r *Rendered) Split() (lead, rest template.HTML) {
	return r.Body[:r.Lead], r.Body[r.Lead:]
}
