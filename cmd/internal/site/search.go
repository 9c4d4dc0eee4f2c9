package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
)

// SearchDir is the search part of a built tree: each language's index (search.Build)
// and what the endpoint renders results pages from (endpoint.Open).
const SearchDir = "_search"

// resultsTemplate is the theme's template of the results part of the search
// page: the site renders it for the search page, the endpoint for results.
const resultsTemplate = "partials/search-results.tmpl"

// SearchPath is the URL of lang's search page, such as /nl/zoeken/.
func (s *Site) SearchPath(lang string) (string, error) {
	seg, err := s.T(lang, "search.path", nil)
	return "/" + lang + "/" + seg + "/", err
}

// writeSearch writes each language's search page, and for the endpoint, in
// SearchDir: the results template, and per language the search page with a
// marker where results go and the UI strings of the results.
func (s *Site) writeSearch(tree out.Tree, homes map[string]*content.Page, opt Options) error {
	src, err := fs.ReadFile(s.theme, resultsTemplate)
	if err != nil {
		return err
	}
	if err := tree.Write(path.Join(SearchDir, endpoint.TemplateFile), src); err != nil {
		return err
	}
	for _, code := range s.langs {
		page, shell, err := s.searchPages(code, homes, opt)
		if err != nil {
			return err
		}
		p, err := s.SearchPath(code)
		if err != nil {
			return err
		}
		msgs, err := s.resultsMessages(code)
		if err != nil {
			return err
		}
		for name, data := range map[string][]byte{
			strings.TrimPrefix(p, "/") + "index.html":         page,
			path.Join(SearchDir, code, endpoint.ShellFile):    shell,
			path.Join(SearchDir, code, endpoint.MessagesFile): msgs,
		} {
			if err := tree.Write(name, data); err != nil {
				return err
			}
		}
	}
	return nil
}

// resultsMessages are the UI strings the results template uses in lang, in
// go-i18n's JSON: {"id": "text"}, or {"id": {"one": …, "other": …}}.
func (s *Site) resultsMessages(code string) ([]byte, error) {
	out := map[string]any{}
	for _, id := range s.resultsIDs {
		m := s.raw[code][id]
		if m == nil {
			return nil, fmt.Errorf("theme/i18n/%s.toml: message %q, which the results template uses, is missing", code, id)
		}
		forms := map[string]string{}
		for name, v := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
			if v != "" {
				forms[name] = v
			}
		}
		if len(forms) == 1 && m.Other != "" {
			out[id] = m.Other
		} else {
			out[id] = forms
		}
	}
	return json.MarshalIndent(out, "", "  ")
}

// searchPages renders each language's search page: the static page without a
// query, and the shell, the same page with a marker where results go, from
// which the search endpoint makes results pages.
func (s *Site) searchPages(code string, homes map[string]*content.Page, opt Options) (page, shell []byte, err error) {
	d, err := s.basicData(code, "search.title", homes, opt)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.SearchPath(code)
	if err != nil {
		return nil, nil, err
	}
	d.Canonical, d.SearchPage, d.Switch = opt.BaseURL+p, true, nil
	for _, other := range lang.Others(code) {
		op, err := s.SearchPath(other.Code)
		if err != nil {
			return nil, nil, err
		}
		d.Switch = append(d.Switch, switchLink{Lang: other.Code, Label: other.Name, URL: op})
		d.Locales = append(d.Locales, other.Locale)
	}
	if err := (&navCache{site: s}).add(d); err != nil {
		return nil, nil, err
	}
	var results bytes.Buffer
	if err := s.tmpl[code]["search"].ExecuteTemplate(&results, "search-results", endpoint.Results{Lang: code}); err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	d.Results = template.HTML(results.String())
	if err := s.tmpl[code]["search"].Execute(&b, d); err != nil {
		return nil, nil, err
	}
	page = bytes.Clone(b.Bytes())
	b.Reset()
	d.Results = endpoint.Marker
	d.Canonical = "" // a results page is not a page to index
	if err := s.tmpl[code]["search"].Execute(&b, d); err != nil {
		return nil, nil, err
	}
	return page, b.Bytes(), nil
}

// rawMessages keeps the parsed messages of a message file, for resultsMessages.
func rawMessages(mf *i18n.MessageFile) map[string]*i18n.Message {
	out := map[string]*i18n.Message{}
	for _, m := range mf.Messages {
		out[m.ID] = m
	}
	return out
}
