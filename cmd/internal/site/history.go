package site

import (
	"fmt"
	"path"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/history"
	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
)

// Each page with git history links to a page of its changes (like GOV.UK's
// "see all updates"): the dates and commit messages, newest first, at
// <page URL><history.path>/, such as /nl/verschil/wijzigingen/.

// updated returns when p last changed and its changes: from git when the file
// has history, else its reviewed date and no changes.
func updated(p *content.Page, h *history.Log) (time.Time, []history.Change) {
	if h != nil {
		if changes := h.Changes[path.Join(p.Lang, p.Path)]; len(changes) > 0 {
			return changes[0].Date, changes
		}
	}
	return p.Reviewed, nil
}

// repoPath is the page's file path in the repository.
func repoPath(p *content.Page, h *history.Log) string {
	if h != nil {
		return path.Join(h.Prefix, p.Lang, p.Path)
	}
	return p.File
}

func (s *Site) historyURL(p *content.Page) string {
	return p.URL + s.plain[p.Lang]["history.path"] + "/"
}

// checkHistoryURLs fails when a page has the URL of another page's change history.
func (s *Site) checkHistoryURLs(pages []*content.Page, opt Options) error {
	if opt.History == nil {
		return nil
	}
	byURL := map[string]*content.Page{}
	for _, p := range pages {
		byURL[p.URL] = p
	}
	var errs content.ErrorList
	for _, p := range pages {
		if _, changes := updated(p, opt.History); len(changes) > 0 {
			if other := byURL[s.historyURL(p)]; other != nil {
				errs = append(errs, &content.Error{File: other.File, Line: 1, Msg: fmt.Sprintf("URL %s is where the change history of %s goes; give this page another slug", other.URL, p.File)})
			}
		}
	}
	errs.Sort()
	return errs.Err()
}

// writeHistory writes the change history page of the page in d. Its
// hreflang alternates and language switch go to the change histories of the
// page's translations, where they have one (else the switch goes to the
// translation itself).
func (s *Site) writeHistory(tree out.Tree, d *pageData, nav *navCache, opt Options) error {
	p := d.Page
	title, err := s.T(p.Lang, "history.title", map[string]any{"Title": p.Title})
	if err != nil {
		return err
	}
	h := &pageData{
		Lang: p.Lang, Page: p, Title: title, Description: d.Description, Canonical: opt.BaseURL + d.HistoryURL,
		Home: d.Home, Nav: d.Nav, NavCurrent: d.NavCurrent, NavHTML: d.NavHTML, LiveReload: d.LiveReload, BaseURL: d.BaseURL, Locales: d.Locales,
		Crumbs: append(append([]*content.Page(nil), d.Crumbs...), p), Updated: d.Updated, HistoryURL: d.HistoryURL, Changes: d.Changes,
	}
	histories := map[string]string{p.Lang: d.HistoryURL} // by language
	for l, t := range p.Translations {
		if _, changes := updated(t, opt.History); len(changes) > 0 {
			histories[l] = s.historyURL(t)
		}
	}
	if len(histories) > 1 {
		for _, l := range s.langs {
			if u, ok := histories[l]; ok {
				h.Alternates = append(h.Alternates, alternate{l, opt.BaseURL + u})
			}
		}
		if u, ok := histories[lang.Default().Code]; ok {
			h.Alternates = append(h.Alternates, alternate{"x-default", opt.BaseURL + u})
		}
	}
	for _, sw := range d.Switch {
		if u, ok := histories[sw.Lang]; ok && sw.Note == "" {
			sw.URL = u
		}
		h.Switch = append(h.Switch, sw)
	}
	return s.render(tree, d.HistoryURL+"index.html", p.Lang, "history", h)
}
