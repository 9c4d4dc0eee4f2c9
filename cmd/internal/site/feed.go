package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/history"
	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
)

// What changed: each language has an Atom feed (/nl/feed.xml) and a page
// (/nl/wat-is-er-nieuw/) of the latest changes to its pages, from the git
// history, newest first, each with its commit message. Frontline staff and
// partner organisations can follow them in a feed reader, without any tracking.

const feedMax = 50 // changes in a feed and on the page

// newsItem is one change of one page.
type newsItem struct {
	Page   *content.Page
	Change history.Change
}

// news returns the latest changes to the pages of lang, newest first.
func news(pages []*content.Page, lang string, h *history.Log) []newsItem {
	var items []newsItem
	for _, p := range pages {
		if p.Lang != lang {
			continue
		}
		_, changes := updated(p, h)
		for _, c := range changes {
			items = append(items, newsItem{p, c})
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if !a.Change.Date.Equal(b.Change.Date) {
			return a.Change.Date.After(b.Change.Date)
		}
		return a.Page.URL < b.Page.URL
	})
	return items[:min(len(items), feedMax)]
}

// feedPath is where the feed of lang is.
func feedPath(lang string) string { return "/" + lang + "/feed.xml" }

// The Atom feed (RFC 4287), as encoding/xml writes it.
type (
	atomFeed struct {
		XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
		Lang    string      `xml:"xml:lang,attr"`
		ID      string      `xml:"id"`
		Title   string      `xml:"title"`
		Updated string      `xml:"updated"`
		Links   []atomLink  `xml:"link"`
		Author  atomPerson  `xml:"author"`
		Entries []atomEntry `xml:"entry"`
	}
	atomLink struct {
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr,omitempty"`
		Href string `xml:"href,attr"`
	}
	atomPerson struct {
		Name string `xml:"name"`
	}
	atomEntry struct {
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Link    atomLink `xml:"link"`
		Summary string   `xml:"summary"`
	}
)

// feed returns the Atom feed of items. updated is used when there are no items.
func (s *Site) feed(lang string, items []newsItem, opt Options, newsURL string, updated time.Time) ([]byte, error) {
	name, err := s.T(lang, "site.name", nil)
	if err != nil {
		return nil, err
	}
	title, err := s.T(lang, "news.title", nil)
	if err != nil {
		return nil, err
	}
	if len(items) > 0 {
		updated = items[0].Change.Date
	}
	f := atomFeed{
		Lang: lang, ID: opt.BaseURL + feedPath(lang), Title: name + ": " + title,
		Updated: updated.Format(time.RFC3339),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: opt.BaseURL + feedPath(lang)},
			{Rel: "alternate", Type: "text/html", Href: opt.BaseURL + newsURL},
		},
		Author: atomPerson{Name: name},
	}
	host := "localhost"
	if u, err := url.Parse(opt.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	for _, it := range items {
		f.Entries = append(f.Entries, atomEntry{
			// A tag URI (RFC 4151): the same change of the same page keeps its id
			// wherever and whenever the site is built.
			ID:      "tag:" + host + "," + it.Change.Date.Format("2006-01-02") + ":" + it.Page.URL + "#" + it.Change.Hash,
			Title:   it.Page.Title,
			Updated: it.Change.Date.Format(time.RFC3339),
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: opt.BaseURL + it.Page.URL},
			Summary: it.Change.Subject,
		})
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	b.WriteString("\n")
	return b.Bytes(), nil
}

// writeNews writes each language's feed and what's new page.
func (s *Site) writeNews(tree out.Tree, pages []*content.Page, homes map[string]*content.Page, nav *navCache, opt Options) error {
	byURL := map[string]*content.Page{}
	var newest time.Time // without git history, the feed is as new as the newest review
	for _, p := range pages {
		byURL[p.URL] = p
		if p.Reviewed.After(newest) {
			newest = p.Reviewed
		}
	}
	newsURL := func(code string) string { return "/" + code + "/" + s.plain[code]["news.path"] + "/" }
	for _, code := range s.langs {
		if p := byURL[newsURL(code)]; p != nil {
			return &content.Error{File: p.File, Line: 1, Msg: "URL " + newsURL(code) + " is where the site's what's new page goes; give this page another slug"}
		}
		items := news(pages, code, opt.History)
		feed, err := s.feed(code, items, opt, newsURL(code), newest)
		if err != nil {
			return fmt.Errorf("feed: %w", err)
		}
		if err := tree.Write(strings.TrimPrefix(feedPath(code), "/"), feed); err != nil {
			return err
		}
		d, err := s.basicData(code, "news.title", homes, opt)
		if err != nil {
			return err
		}
		d.Canonical = opt.BaseURL + newsURL(code)
		d.News = items
		// The what's new pages are each other's translations.
		d.Switch = nil
		for _, l := range lang.All {
			d.Alternates = append(d.Alternates, alternate{l.Code, opt.BaseURL + newsURL(l.Code)})
			if l.Code != code {
				d.Switch = append(d.Switch, switchLink{Lang: l.Code, Label: l.Name, URL: newsURL(l.Code)})
				d.Locales = append(d.Locales, l.Locale)
			}
		}
		if err := nav.add(d); err != nil {
			return err
		}
		if err := s.render(tree, newsURL(code)+"index.html", code, "news", d); err != nil {
			return fmt.Errorf("what's new page: %w", err)
		}
	}
	return nil
}
