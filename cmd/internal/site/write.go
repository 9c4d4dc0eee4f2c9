package site

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/kb-mensenhandel/kb/cmd/internal/parallel"
	"html/template"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/history"
)

// Options say how to write the site.
type Options struct {
	BaseURL    string       // absolute origin and path prefix for canonical URLs and the sitemap, without a final slash
	LiveReload bool         // add kb serve's reload script to every page
	ShellDir   string       // where to write each language's search results shell, <lang>.html; "" for none
	History    *history.Log // when each page's file changed, from git; nil without history
	EditURL    string       // the page's file path in the repository is added to it for "edit this page"; "" for no link
	Now        time.Time    // the build's time, for security.txt's expiry; the zero time for none
}

// pageData is what a layout sees.
type pageData struct {
	Lang        string
	Page        *content.Page // nil on a 404 page
	Title       string
	Description string
	Canonical   string
	Alternates  []alternate
	Switch      []switchLink
	Home        *content.Page
	Contacts    *content.Page // the language's page with phone numbers (type contacts), for the 404 page; nil if none
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

// tocMin is how many h2 headings make a page long enough for a contents list.
const tocMin = 3

// Write builds the whole site into a new folder beside out and, only when
// everything succeeded, puts it in out's place. A failed build leaves out as it was.
// It returns the warnings and notes that content.Render found in the pages.
func (s *Site) Write(pages []*content.Page, out string, opt Options) (content.ErrorList, error) {
	var findings content.ErrorList
	err := s.write(pages, out, opt, &findings)
	return findings, err
}

func (s *Site) write(pages []*content.Page, out string, opt Options, findings *content.ErrorList) error {
	out = filepath.Clean(out)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".new-")
	if err != nil {
		return err
	}
	if err := s.writeTo(pages, tmp, opt, findings); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("move the previous %s aside: %w", out, err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		os.RemoveAll(tmp)
		return err
	}
	if old != "" {
		return removeAll(old)
	}
	return nil
}

// removeAll is os.RemoveAll on all cores: removing the previous site, one
// folder per page, is a good part of rebuilding a large site.
func removeAll(dir string) error {
	var parts []string
	top, _ := os.ReadDir(dir)
	for _, e := range top {
		sub, _ := os.ReadDir(filepath.Join(dir, e.Name()))
		for _, s := range sub {
			parts = append(parts, filepath.Join(dir, e.Name(), s.Name()))
		}
	}
	errs := make([]error, len(parts))
	parallel.For(len(parts), func(i int) { errs[i] = os.RemoveAll(parts[i]) })
	return errors.Join(append(errs, os.RemoveAll(dir))...)
}

func (s *Site) writeTo(pages []*content.Page, dir string, opt Options, findings *content.ErrorList) error {
	homes := map[string]*content.Page{}
	contacts := map[string]*content.Page{} // the 404 and root pages point to help
	for _, p := range pages {
		if p.Parent == nil {
			homes[p.Lang] = p
		}
		if p.Type == content.TypeContacts {
			contacts[p.Lang] = p
		}
	}
	for _, lang := range s.langs {
		if homes[lang] == nil {
			return fmt.Errorf("content has no home page for language %s; add %s/index.md with type: home", lang, lang)
		}
	}
	w := &writer{dir: dir}
	for _, a := range s.assets {
		w.file(a.path, a.data)
	}

	if err := s.checkHistoryURLs(pages, opt); err != nil {
		return err
	}
	nav := &navCache{site: s}
	var err error
	*findings, err = content.Render(pages, func(p *content.Page) error {
		layout := "page" // for page, glossary, faq and card
		if p.IsIndex() {
			layout = p.Type // home or section
		}
		d, err := s.pageData(p, homes, opt)
		if err == nil {
			d.JSONLD, err = s.jsonLD(p, d.Updated, opt)
		}
		if err == nil {
			err = nav.add(d)
		}
		if err == nil {
			err = s.render(w, p.URL+"index.html", p.Lang, layout, d)
		}
		if err == nil && d.HistoryURL != "" {
			err = s.writeHistory(w, d, nav)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p.File, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, lang := range s.langs {
		d := s.notFoundData(lang, homes, opt)
		d.Contacts = contacts[lang]
		if err := nav.add(d); err != nil {
			return err
		}
		if err := s.render(w, "/"+lang+"/404.html", lang, "404", d); err != nil {
			return fmt.Errorf("404 page: %w", err)
		}
	}
	if err := s.writeNews(w, pages, homes, nav, opt); err != nil {
		return err
	}
	for _, lang := range s.langs {
		page, shell, err := s.searchPages(lang, homes, opt)
		if err != nil {
			return fmt.Errorf("search page: %w", err)
		}
		path, _ := s.SearchPath(lang)
		w.file(path+"index.html", page)
		if opt.ShellDir != "" {
			if err := os.MkdirAll(opt.ShellDir, 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(opt.ShellDir, lang+".html"), shell, 0o644); err != nil {
				return err
			}
		}
	}
	for _, page := range []struct{ file, heading, text, label string }{
		{"/index.html", "choose.heading", "choose.text", "language.name"},
		{"/404.html", "notfound.title", "notfound.text", "notfound.home"},
	} {
		d := rootData{Lang: DefaultLang, LiveReload: opt.LiveReload}
		for _, lang := range s.langs {
			c := choice{Lang: lang, URL: homes[lang].URL, Contacts: contacts[lang]}
			for _, m := range []struct {
				dst *string
				id  string
			}{{&c.Heading, page.heading}, {&c.Text, page.text}, {&c.Label, page.label},
				{&c.ExitText, "exit-this-page.text"}, {&c.ExitHidden, "exit-this-page.hidden"},
				{&c.Emergency, "help.emergency"}, {&c.AllContacts, "help.contacts"}} {
				var err error
				if *m.dst, err = s.T(lang, m.id, nil); err != nil {
					return err
				}
			}
			d.Choices = append(d.Choices, c)
		}
		d.Title = d.Choices[0].Heading
		d.Description, _ = s.T(DefaultLang, "site.description", nil)
		if page.file == "/index.html" {
			d.Canonical = opt.BaseURL + "/"
			for _, c := range d.Choices {
				d.Alternates = append(d.Alternates, alternate{c.Lang, opt.BaseURL + c.URL})
			}
			d.Alternates = append(d.Alternates, alternate{"x-default", opt.BaseURL + "/"})
		}
		if err := s.render(w, page.file, DefaultLang, "root", d); err != nil {
			return fmt.Errorf("root page: %w", err)
		}
	}
	w.file("/sitemap.xml", s.sitemap(pages, opt))
	w.file("/robots.txt", []byte("User-agent: *\nDisallow: /api/\n\nSitemap: "+opt.BaseURL+"/sitemap.xml\n"))
	if !opt.Now.IsZero() {
		txt, err := s.securityTxt(opt)
		if err != nil {
			return err
		}
		w.file("/.well-known/security.txt", txt)
	}
	return w.err()
}

func (s *Site) pageData(p *content.Page, homes map[string]*content.Page, opt Options) (*pageData, error) {
	d := &pageData{
		Lang: p.Lang, Page: p, Title: p.Title, Description: p.Description,
		Canonical: opt.BaseURL + p.URL, Home: homes[p.Lang], Nav: homes[p.Lang].Children,
		LiveReload: opt.LiveReload, BaseURL: opt.BaseURL,
	}
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
	for a := p.Parent; a != nil; a = a.Parent {
		d.Crumbs = append([]*content.Page{a}, d.Crumbs...)
		if a.Parent == nil {
			break
		}
	}
	for top := p; top.Parent != nil; top = top.Parent {
		d.NavCurrent = top
	}
	for _, h := range p.Headings {
		if h.Level == 2 {
			d.TOC = append(d.TOC, h)
		}
	}
	if len(d.TOC) < tocMin {
		d.TOC = nil
	}
	d.Alternates = s.alternates(p, opt)
	for _, lang := range s.langs {
		if lang == p.Lang {
			continue
		}
		label, _ := s.T(lang, "language.name", nil)
		if t := p.Translations[lang]; t != nil {
			d.Switch = append(d.Switch, switchLink{Lang: lang, Label: label, URL: t.URL})
			locale, _ := s.T(lang, "site.locale", nil)
			d.Locales = append(d.Locales, locale)
		} else {
			note, _ := s.T(lang, "language.missing", nil)
			d.Switch = append(d.Switch, switchLink{Lang: lang, Label: label, URL: homes[lang].URL, Note: note})
		}
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
	for lang, t := range p.Translations {
		versions[lang] = t
	}
	if len(versions) < 2 {
		return nil
	}
	for _, lang := range s.langs {
		if v := versions[lang]; v != nil {
			alts = append(alts, alternate{lang, opt.BaseURL + v.URL})
		}
	}
	switch {
	case p.Parent == nil:
		alts = append(alts, alternate{"x-default", opt.BaseURL + "/"}) // the root lets the visitor choose
	case versions[DefaultLang] != nil:
		alts = append(alts, alternate{"x-default", opt.BaseURL + versions[DefaultLang].URL})
	}
	return alts
}

func (s *Site) notFoundData(lang string, homes map[string]*content.Page, opt Options) *pageData {
	title, _ := s.T(lang, "notfound.title", nil)
	desc, _ := s.T(lang, "site.description", nil)
	d := &pageData{Lang: lang, Title: title, Description: desc, Home: homes[lang], Nav: homes[lang].Children, LiveReload: opt.LiveReload}
	for _, other := range s.langs {
		if other != lang {
			label, _ := s.T(other, "language.name", nil)
			d.Switch = append(d.Switch, switchLink{Lang: other, Label: label, URL: homes[other].URL})
		}
	}
	return d
}

// sitemap lists every page with its translations as xhtml:link alternates.
func (s *Site) sitemap(pages []*content.Page, opt Options) []byte {
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
	return b.Bytes()
}

// CheckBaseURL returns the base URL without a final slash, or an error saying what is wrong.
func CheckBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("-base-url %q must be an absolute http or https address such as https://example.org", raw)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// writer writes files under dir from many goroutines and keeps the first error.
type writer struct {
	dir   string
	mu    sync.Mutex
	first error
}

func (w *writer) file(urlPath string, data []byte) {
	name := filepath.Join(w.dir, filepath.FromSlash(path.Clean(urlPath)))
	// Every page has a folder of its own, so try one Mkdir before MkdirAll's
	// Stat calls: on a large site the folders are a good part of the build's system calls.
	err := os.Mkdir(filepath.Dir(name), 0o755)
	if errors.Is(err, fs.ErrNotExist) {
		err = os.MkdirAll(filepath.Dir(name), 0o755)
	}
	if err == nil || errors.Is(err, fs.ErrExist) {
		err = os.WriteFile(name, data, 0o644)
	}
	if err != nil {
		w.mu.Lock()
		if w.first == nil {
			w.first = err
		}
		w.mu.Unlock()
	}
}

func (w *writer) err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.first
}

// securityTxt says whom to tell about a security problem (RFC 9116). The contact
// is the site's own page on reporting problems, named once by the theme's
// "contact.url" in each language (cmd/kb's TestSecurityTxt checks that the real
// content has it). It expires a year after the build, so a site that is no
// longer built stops claiming a contact.
func (s *Site) securityTxt(opt Options) ([]byte, error) {
	var contacts []string
	for _, lang := range s.langs {
		contact, err := s.T(lang, "contact.url", nil)
		if err != nil {
			return nil, err
		}
		contacts = append(contacts, "Contact: "+opt.BaseURL+contact)
	}
	expires := opt.Now.UTC().Truncate(24*time.Hour).AddDate(1, 0, 0)
	return []byte(strings.Join(contacts, "\n") + "\n" +
		"Expires: " + expires.Format(time.RFC3339) + "\n" +
		"Preferred-Languages: " + strings.Join(s.langs, ", ") + "\n" +
		"Canonical: " + opt.BaseURL + "/.well-known/security.txt\n"), nil
}
