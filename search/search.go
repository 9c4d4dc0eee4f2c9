// Package search builds and serves the site's search: one bleve index per
// language, built offline by kb build, opened read-only by the endpoint.
//
// A query is never handed to bleve's query-string syntax: it is plain text,
// analysed like the pages (stemming, stop words, folded diacritics, Dutch
// compounds split with the site's own vocabulary) and matched field by field,
// with typo tolerance when exact matching finds little. A query that names a
// glossary term, in either language, also returns that term's definition, and
// a term from the other language is bridged to this one through the glossary.
//
// The package knows nothing of HTML pages or templates: Handler answers JSON,
// and renders results pages through a function the caller supplies.
package search

// Doc is one searchable unit: a page (its title, description and the
// text before its first h2), or the part of a page under one h2 heading.
type Doc struct {
	URL         string // site-absolute, with #id for a section
	Title       string // the page's title
	Heading     string // the h2 heading, for a section; empty for a page
	Description string
	Section     string   // the site section the page is in, for facets, such as "Verblijfsregeling mensenhandel"
	Type        string   // the page's type: home, section, page, glossary, faq
	Text        string   // plain text
	SearchTerms []string // for a page: the queries it is the answer to, such as "is dit mensenhandel"; such a query shows it first
}

// Term is a glossary entry, for definition cards and for bridging the languages.
type Term struct {
	Key        string   // the same for the entry in every language
	Term       string   // the term, in the entry's language
	Aliases    []string // other names and spellings
	Definition string   // one sentence
	Source     string   // the title of its first source
	URL        string   // the glossary entry's page
	Lang       string   // the language of Term, Definition and URL, when not the index's own (a partial language's term is a Dutch entry)
}
