package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/history"
	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
)

// Options say how to make the site.
type Options struct {
	BaseURL    string       // absolute origin and path prefix for canonical URLs and the sitemap, without a final slash
	LiveReload bool         // add kb serve's reload script to every page
	History    *history.Log // when each page's file changed, from git; nil without history
	EditURL    string       // the page's file path in the repository is added to it for "edit this page"; "" for no link
	Now        time.Time    // the build's time, for security.txt's expiry; required
}

// pageData is what a layout sees.
type pageData struct {
	Lang        string
	Page        *content.Page     // nil on a 404 page
	Body        template.HTML     // the page's rendered Markdown
	Lead, Rest  template.HTML     // Body split after its first paragraph, where the law notice and the contents go; Lead is empty when Body does not start with a paragraph
	Glossary    []letterGroup     // on the glossary's section page: its terms by first letter
	Letters     []letter          // the alphabet, for jump links to Glossary's groups
	Rendered    *content.Rendered // the page's rendering (its headings and sections); nil on a 404 page
	Title       string
	Description string
	Canonical   string
	Alternates  []alternate
	Switch      []switchLink
	Home        *content.Page
	Contacts    *content.Page // the language's page with phone numbers (type contacts), for the help on the home, 404 and decision aid pages; nil if none
	Aid         *aidView      // on a decision aid's start, steps and results
	Nav         []*content.Page
	NavCurrent  *content.Page // the top-level page the current page is under
	NavHTML     template.HTML // the "navigation" partial, rendered once per language and place
	Results     template.HTML // the search page's results part
	SearchPage  bool          // the search page, which has its own search form
	Crumbs      []*content.Page
	TOC         []content.Heading
	JSONLD      template.JS // structured data, see jsonld.go
	BaseURL     string      // for absolute links in meta tags, such as the sharing image
	Locales     []string    // Open Graph locales of the page's other languages, such as en_GB
	LiveReload  bool
	Updated     time.Time        // the last commit that changed the page's file, or else its reviewed date
	HistoryURL  string           // the page's change history, "" without git history
	EditURL     string           // the page's file in the repository, "" without -edit-url
	Behind      *behind          // the translation may be behind its source
	Unchecked   *behind          // no native speaker has checked this translation yet; links the page that counts
	Changes     []history.Change // on a change history page
	News        []newsItem       // on the what's new page
}

// behind is the notice on a translation whose source changed after it.
type behind struct{ Text, URL, Lang, Title string }

type alternate struct{ Hreflang, URL string }

type switchLink struct {
	Lang, Label, URL string
	Note             string // said when the page has no translation and the link goes to that language's home
}

type choice struct {
	Lang, Heading, Text, URL, Label string
	Dir                             string        // the language's direction: its block on the root page reads right to left in Arabic
	ExitText, ExitHidden            string        // the quick exit's words in this language: the root page names it in each
	Contacts                        *content.Page // the language's contacts page, nil if none
	Emergency, AllContacts          string        // the help line's words in this language
}

// rootData is what the bilingual root and 404 pages see.
type rootData struct {
	Lang, Title, Description, Canonical string
	Alternates                          []alternate
	Choices                             []choice
	LiveReload                          bool
}

// A page lists its contents when it has at least this many h2 sections.
const tocMin = 3

// Result is what Build and Pages found besides the files they wrote.
type Result struct {
	Rendered []*content.Rendered // each page written, without its body: for search documents and link checks
	Findings content.ErrorList   // the warnings and notes found while rendering
}

// build is one run of Build or Pages: what every page needs of the others.
type build struct {
	s        *Site
	tree     out.Tree
	opt      Options
	homes    map[string]*content.Page
	contacts map[string]*content.Page // the 404 and root pages point to help
	nav      *navCache
	aids     *aids
}

func (s *Site) newBuild(set *content.Set, tree out.Tree, opt Options) (*build, error) {
	if opt.Now.IsZero() {
		return nil, fmt.Errorf("site: Options.Now is not set; security.txt's expiry is counted from it")
	}
	b := &build{s: s, tree: tree, opt: opt, homes: map[string]*content.Page{}, contacts: map[string]*content.Page{}, nav: &navCache{site: s}}
	for _, p := range set.Pages {
		if p.Parent == nil {
			b.homes[p.Lang] = p
		}
		if p.Type == content.TypeContacts {
			b.contacts[p.Lang] = p
		}
	}
	for _, l := range s.langs {
		if b.homes[l] == nil {
			return nil, fmt.Errorf("content has no home page for language %s; add %s/index.md with type: home", l, l)
		}
	}
	var err error
	b.aids, err = s.newAids(set.Pages)
	return b, err
}

// Build renders every page of set into tree, with its change history, and
// what the site has besides: the root, the 404, search and what's new pages,
// the feeds, the sitemap, robots.txt, security.txt and the assets, and for
// the search endpoint each language's results-page shell, the UI strings of
// its results and the results template (search.go). Rendering finds broken
// links; when it finds an error, Build returns an ErrorList and the tree
// must be thrown away.
func (s *Site) Build(set *content.Set, tree out.Tree, opt Options) (Result, error) {
	b, err := s.newBuild(set, tree, opt)
	if err != nil {
		return Result{}, err
	}
	if err := s.checkHistoryURLs(set.Pages, opt); err != nil {
		return Result{}, err
	}
	for _, a := range s.assets {
		if err := tree.Write(strings.TrimPrefix(a.path, "/"), a.data); err != nil {
			return Result{}, err
		}
	}
	// Browsers ask for /favicon.ico whatever the page links; a 404 there is an error in their console.
	if a, ok := s.assets["favicon.ico"]; ok {
		if err := tree.Write("favicon.ico", a.data); err != nil {
			return Result{}, err
		}
	}
	rendered, findings, err := set.RenderAll(b.page)
	if err != nil {
		return Result{}, err
	}
	if err := findings.Err(); err != nil {
		return Result{}, err
	}
	if err := b.globals(set.Pages); err != nil {
		return Result{}, err
	}
	return Result{Rendered: rendered, Findings: findings}, nil
}

// Pages renders only the given pages of set into tree, as Build does: kb
// serve writes again what an edit changed into a copy of the tree it serves.
// The findings are those of these pages only; links to headings are not
// checked (content.CheckAnchors, over every page, does that).
func (s *Site) Pages(set *content.Set, pages []*content.Page, tree out.Tree, opt Options) (Result, error) {
	b, err := s.newBuild(set, tree, opt)
	if err != nil {
		return Result{}, err
	}
	res := Result{Rendered: make([]*content.Rendered, len(pages))}
	for i, p := range pages {
		r := set.Render(p)
		if err := b.page(r); err != nil {
			return Result{}, err
		}
		res.Rendered[i] = r.WithoutBody()
		res.Findings = append(res.Findings, r.Findings...)
	}
	return res, nil
}

// page writes one rendered page and its change history.
func (b *build) page(r *content.Rendered) error {
	p := r.Page
	layout := "page" // for page, glossary, faq, card and contacts
	switch p.Type {
	case content.TypeHome, content.TypeSection, content.TypeAid, content.TypeStep, content.TypeResult:
		layout = p.Type
	}
	d, err := b.s.pageData(r, b.homes, b.opt)
	if err == nil {
		d.Contacts = b.contacts[p.Lang]
		d.Aid = b.aids.view(p)
		d.Glossary, d.Letters, err = b.s.glossaryIndex(p)
	}
	if err == nil {
		d.JSONLD, err = b.s.jsonLD(r, d.Updated, b.opt)
	}
	if err == nil {
		err = b.nav.add(d)
	}
	if err == nil {
		err = b.s.render(b.tree, p.URL+"index.html", p.Lang, layout, d)
	}
	if err == nil && d.HistoryURL != "" {
		err = b.s.writeHistory(b.tree, d, b.nav, b.opt)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", p.File, err)
	}
	return nil
}

// globals writes what the site has besides its pages.
func (b *build) globals(pages []*content.Page) error {
	s, opt := b.s, b.opt
	for _, l := range s.langs {
		d, err := s.notFoundData(l, b.homes, opt)
		if err != nil {
			return err
		}
		d.Contacts = b.contacts[l]
		if err := b.nav.add(d); err != nil {
			return err
		}
		if err := s.render(b.tree, "/"+l+"/404.html", l, "404", d); err != nil {
			return fmt.Errorf("404 page: %w", err)
		}
	}
	if err := s.writeNews(b.tree, pages, b.homes, b.nav, opt); err != nil {
		return err
	}
	if err := s.writeSearch(b.tree, b.homes, opt); err != nil {
		return fmt.Errorf("search page: %w", err)
	}
	if err := b.roots(); err != nil {
		return err
	}
	sitemap, err := s.sitemap(pages, opt)
	if err != nil {
		return err
	}
	txt, err := s.securityTxt(opt)
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		"sitemap.xml":              sitemap,
		"robots.txt":               []byte("User-agent: *\nDisallow: /api/\n\nSitemap: " + opt.BaseURL + "/sitemap.xml\n"),
		".well-known/security.txt": txt,
	} {
		if err := b.tree.Write(name, data); err != nil {
			return err
		}
	}
	return nil
}

// roots writes the bilingual root, where a visitor chooses a language, and
// the bilingual 404 page for paths outside every language.
func (b *build) roots() error {
	s, opt := b.s, b.opt
	def := lang.Default().Code
	for _, page := range []struct{ file, heading, text string }{
		{"/index.html", "choose.heading", "choose.text"},
		{"/404.html", "notfound.title", "notfound.text"},
	} {
		d := rootData{Lang: def, LiveReload: opt.LiveReload}
		for _, l := range lang.All {
			c := choice{Lang: l.Code, Dir: l.Dir, URL: b.homes[l.Code].URL, Contacts: b.contacts[l.Code], Label: l.Name}
			if page.file == "/404.html" {
				c.Label = ""
			}
			for _, m := range []struct {
				dst *string
				id  string
			}{{&c.Heading, page.heading}, {&c.Text, page.text},
				{&c.ExitText, "exit-this-page.text"}, {&c.ExitHidden, "exit-this-page.hidden"},
				{&c.Emergency, "help.emergency"}, {&c.AllContacts, "help.contacts"}} {
				var err error
				if *m.dst, err = s.T(l.Code, m.id, nil); err != nil {
					return err
				}
			}
			if c.Label == "" {
				var err error
				if c.Label, err = s.T(l.Code, "notfound.home", nil); err != nil {
					return err
				}
			}
			d.Choices = append(d.Choices, c)
		}
		d.Title = d.Choices[0].Heading
		var err error
		if d.Description, err = s.T(def, "site.description", nil); err != nil {
			return err
		}
		if page.file == "/index.html" {
			d.Canonical = opt.BaseURL + "/"
			for _, c := range d.Choices {
				d.Alternates = append(d.Alternates, alternate{c.Lang, opt.BaseURL + c.URL})
			}
			d.Alternates = append(d.Alternates, alternate{"x-default", opt.BaseURL + "/"})
		}
		if err := s.render(b.tree, page.file, def, "root", d); err != nil {
			return fmt.Errorf("root page: %w", err)
		}
	}
	return nil
}

func (s *Site) pageData(r *content.Rendered, homes map[string]*content.Page, opt Options) (*pageData, error) {
	p := r.Page
	d := &pageData{
		Lang: p.Lang, Page: p, Body: r.Body, Rendered: r, Title: p.Title, Description: p.Description,
		Canonical: opt.BaseURL + p.URL, Home: homes[p.Lang], Nav: homes[p.Lang].Children,
		LiveReload: opt.LiveReload, BaseURL: opt.BaseURL,
	}
	d.Lead, d.Rest = r.Split()
	d.Updated, d.Changes = updated(p, opt.History)
	if len(d.Changes) > 0 {
		d.HistoryURL = s.historyURL(p)
	}
	if opt.EditURL != "" {
		d.EditURL = opt.EditURL + "/" + repoPath(p, opt.History)
	}
	if src := p.Behind; src != nil {
		text, err := s.T(p.Lang, "translation.behind."+src.Lang, nil)
		if err != nil {
			return nil, fmt.Errorf("the notice that a translation may be behind: %w", err)
		}
		d.Behind = &behind{Text: text, URL: src.URL, Lang: src.Lang, Title: src.Title}
	}
	if l, _ := lang.Get(p.Lang); l.NativeCheck && p.Meta.NativeReviewed.IsZero() {
		// The Dutch page is the one that counts; a page only in English (the
		// fallback) links that one.
		counts := p.Translations[lang.Default().Code]
		if counts == nil {
			counts = p.Translations[l.Fallback]
		}
		if counts != nil {
			text, err := s.T(p.Lang, "translation.unchecked", nil)
			if err != nil {
				return nil, fmt.Errorf("the notice that a translation is not checked: %w", err)
			}
			link, err := s.T(p.Lang, "translation.unchecked-link", nil)
			if err != nil {
				return nil, fmt.Errorf("the notice that a translation is not checked: %w", err)
			}
			d.Unchecked = &behind{Text: text, URL: counts.URL, Lang: counts.Lang, Title: link} // Title: the link's words, in this page's language
		}
	}
	for a := p.Parent; a != nil; a = a.Parent {
		d.Crumbs = append([]*content.Page{a}, d.Crumbs...)
		if a.Parent == nil {
			break
		}
	}
	for top := p; top.Parent != nil; top = top.Parent {
		d.NavCurrent = top
	}
	for _, h := range r.Headings {
		if h.Level == 2 {
			d.TOC = append(d.TOC, h)
		}
	}
	if len(d.TOC) < tocMin {
		d.TOC = nil
	}
	d.Alternates = s.alternates(p, opt)
	for _, other := range lang.Others(p.Lang) {
		if t := p.Translations[other.Code]; t != nil {
			d.Switch = append(d.Switch, switchLink{Lang: other.Code, Label: other.Name, URL: t.URL})
			d.Locales = append(d.Locales, other.Locale)
			continue
		}
		note, err := s.T(other.Code, "language.missing", nil)
		if err != nil {
			return nil, err
		}
		d.Switch = append(d.Switch, switchLink{Lang: other.Code, Label: other.Name, URL: homes[other.Code].URL, Note: note})
	}
	return d, nil
}

// navCache renders the site navigation once for each language and place in it.
// The navigation is the same on every page but for which item is current, and
// rendering it for each page would be most of the build's time on a large site.
type navCache struct {
	site  *Site
	mu    sync.Mutex
	cache map[navKey]template.HTML
}

type navKey struct {
	lang    string
	current *content.Page // the navigation item the page is under, nil for home and 404 pages
	exact   bool          // the page is that item itself (or the home page)
}

// add sets d.NavHTML.
func (c *navCache) add(d *pageData) error {
	key := navKey{lang: d.Lang, current: d.NavCurrent, exact: d.Page != nil && (d.Page == d.NavCurrent || d.Page == d.Home)}
	c.mu.Lock()
	html, ok := c.cache[key]
	c.mu.Unlock()
	if ok {
		d.NavHTML = html
		return nil
	}
	nd := &pageData{Lang: d.Lang, Home: d.Home, Nav: d.Nav, NavCurrent: d.NavCurrent}
	if key.exact {
		nd.Page = d.Page
	}
	var b bytes.Buffer
	if err := c.site.tmpl[d.Lang]["page"].ExecuteTemplate(&b, "navigation", nd); err != nil {
		return err
	}
	d.NavHTML = template.HTML(b.String())
	c.mu.Lock()
	if c.cache == nil {
		c.cache = map[navKey]template.HTML{}
	}
	c.cache[key] = d.NavHTML
	c.mu.Unlock()
	return nil
}

// alternates are the hreflang links of p: itself, each translation, and x-default.
func (s *Site) alternates(p *content.Page, opt Options) []alternate {
	var alts []alternate
	versions := map[string]*content.Page{p.Lang: p}
	for l, t := range p.Translations {
		versions[l] = t
	}
	if len(versions) < 2 {
		return nil
	}
	for _, l := range s.langs {
		if v := versions[l]; v != nil {
			alts = append(alts, alternate{l, opt.BaseURL + v.URL})
		}
	}
	switch def := lang.Default().Code; {
	case p.Parent == nil:
		alts = append(alts, alternate{"x-default", opt.BaseURL + "/"}) // the root lets the visitor choose
	case versions[def] != nil:
		alts = append(alts, alternate{"x-default", opt.BaseURL + versions[def].URL})
	}
	return alts
}

// basicData is what the pages that are not content pages share: the 404,
// search and what's new pages. Their language switch goes to the other
// languages' home pages, unless the caller sets it.
func (s *Site) basicData(code, titleID string, homes map[string]*content.Page, opt Options) (*pageData, error) {
	title, err := s.T(code, titleID, nil)
	if err != nil {
		return nil, err
	}
	desc, err := s.T(code, "site.description", nil)
	if err != nil {
		return nil, err
	}
	d := &pageData{Lang: code, Title: title, Description: desc, Home: homes[code], Nav: homes[code].Children, LiveReload: opt.LiveReload, BaseURL: opt.BaseURL}
	for _, other := range lang.Others(code) {
		d.Switch = append(d.Switch, switchLink{Lang: other.Code, Label: other.Name, URL: homes[other.Code].URL})
	}
	return d, nil
}

func (s *Site) notFoundData(code string, homes map[string]*content.Page, opt Options) (*pageData, error) {
	d, err := s.basicData(code, "notfound.title", homes, opt)
	if d != nil {
		d.BaseURL = ""
	}
	return d, err
}

// sitemap lists every page with its translations as xhtml:link alternates.
func (s *Site) sitemap(pages []*content.Page, opt Options) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n")
	esc := func(s string) string {
		var e bytes.Buffer
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	for _, p := range pages {
		date, _ := updated(p, opt.History)
		fmt.Fprintf(&b, "<url><loc>%s</loc><lastmod>%s</lastmod>", esc(opt.BaseURL+p.URL), date.Format("2006-01-02"))
		for _, a := range s.alternates(p, opt) {
			fmt.Fprintf(&b, `<xhtml:link rel="alternate" hreflang="%s" href="%s"/>`, a.Hreflang, esc(a.URL))
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes(), nil
}

// CheckBaseURL returns the base URL without a final slash, or an error saying what is wrong.
func CheckBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("-base-url %q must be an absolute http or https address such as https://example.org", raw)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// securityTxt says whom to tell about a security problem (RFC 9116). The contact
// is the site's own page on reporting problems, named once by the theme's
// "publisher.contact" in each language (cmd/kb's TestSecurityTxt checks that the real
// content has it). It expires a year after the build, so a site that is no
// longer built stops claiming a contact.
func (s *Site) securityTxt(opt Options) ([]byte, error) {
	// The languages a report can be written in: the full ones. A partial
	// language's contact is the English page anyway.
	var contacts, langs []string
	for _, l := range s.langs {
		if ll, _ := lang.Get(l); ll.Fallback != "" {
			continue
		}
		langs = append(langs, l)
		contact, err := s.T(l, "publisher.contact", nil)
		if err != nil {
			return nil, err
		}
		contacts = append(contacts, "Contact: "+opt.BaseURL+contact)
	}
	expires := opt.Now.UTC().Truncate(24*time.Hour).AddDate(1, 0, 0)
	return []byte(strings.Join(contacts, "\n") + "\n" +
		"Expires: " + expires.Format(time.RFC3339) + "\n" +
		"Preferred-Languages: " + strings.Join(langs, ", ") + "\n" +
		"Canonical: " + opt.BaseURL + "/.well-known/security.txt\n"), nil
}
