// Package site turns loaded pages and the theme into the static site: HTML
// pages per language, a bilingual root, 404 pages, a sitemap, robots.txt and
// content-hashed assets.
//
// The languages are those of package lang; each needs a message file in the
// theme's i18n folder. Each language gets its own clone of the templates with
// t, tn, date, locale and dir bound to it, so templates only write {{t "id"}}.
// A UI string missing in any language is an error when the site is made, never
// a silent fallback.
package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/kb-mensenhandel/kb/cmd/internal/buffers"
	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
)

// layouts are the page templates besides base; each is parsed with base and all partials.
var layouts = []string{"home", "section", "page", "aid", "step", "result", "404", "search", "history", "news"}

// Site is a parsed theme, ready to render pages.
type Site struct {
	langs  []string                                 // lang.Codes(): the default first
	msgs   map[string]*i18n.Localizer               // UI strings by language
	plain  map[string]map[string]string             // UI strings without placeholders, by language and ID: t is called for every page, Localize is slow
	tmpl   map[string]map[string]*template.Template // by language, then layout (and "root")
	assets map[string]asset                         // static files by name in theme/static
	dates  sync.Map                                 // dateKey → formatted date

	theme      fs.FS
	raw        map[string]map[string]*i18n.Message // the messages as parsed, by language and ID, for the endpoint's UI strings
	resultsIDs []string                            // the messages the results template uses
}

type asset struct {
	path string // hashed path under the site root, such as /assets/site.3f2a9c1b.css
	data []byte
}

// New parses the theme: its templates, its UI strings and its static files.
func New(theme fs.FS) (*Site, error) {
	s := &Site{msgs: map[string]*i18n.Localizer{}, plain: map[string]map[string]string{}, tmpl: map[string]map[string]*template.Template{}, assets: map[string]asset{}, theme: theme, raw: map[string]map[string]*i18n.Message{}}
	ids, err := s.loadMessages(theme)
	if err != nil {
		return nil, err
	}
	if err := s.loadAssets(theme); err != nil {
		return nil, err
	}
	if err := s.loadTemplates(theme, ids); err != nil {
		return nil, err
	}
	return s, nil
}

// Langs returns the site's languages, the default first.
func (s *Site) Langs() []string { return s.langs }

func (s *Site) loadMessages(theme fs.FS) (map[string][]string, error) {
	files, err := fs.Glob(theme, "i18n/*.toml")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("theme has no i18n/*.toml message files")
	}
	bundle := i18n.NewBundle(language.Make(lang.Default().Code))
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	ids := map[string][]string{} // language → message IDs
	for _, f := range files {
		code := strings.TrimSuffix(path.Base(f), ".toml")
		if _, ok := lang.Get(code); !ok {
			return nil, fmt.Errorf("theme/%s: %s is not a language of the site; add it to lang.All in cmd/internal/lang, or remove the file", f, code)
		}
		data, err := fs.ReadFile(theme, f)
		if err != nil {
			return nil, err
		}
		mf, err := bundle.ParseMessageFileBytes(data, path.Base(f))
		if err != nil {
			return nil, fmt.Errorf("theme/%s: %w", f, err)
		}
		s.plain[code] = map[string]string{}
		s.raw[code] = rawMessages(mf)
		for _, m := range mf.Messages {
			ids[code] = append(ids[code], m.ID)
			if m.One == "" && m.Few == "" && m.Many == "" && !strings.Contains(m.Other, "{{") {
				s.plain[code][m.ID] = m.Other
			}
		}
		s.msgs[code] = i18n.NewLocalizer(bundle, code)
	}
	for _, l := range lang.All {
		if s.msgs[l.Code] == nil {
			return nil, fmt.Errorf("theme has no i18n/%s.toml: every language of lang.All needs its UI strings", l.Code)
		}
		s.langs = append(s.langs, l.Code)
	}
	// Every message must exist in every language. Each one missing is named
	// once, with a language that has it: the default language when it does.
	var missing []string
	for _, lang := range s.langs {
		seen := map[string]bool{}
		for _, other := range s.langs { // the default language first
			for _, id := range ids[other] {
				if !seen[id] && !slices.Contains(ids[lang], id) {
					seen[id] = true
					missing = append(missing, fmt.Sprintf("theme/i18n/%s.toml: message %q is missing (it is in %s.toml); add it", lang, id, other))
				}
			}
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, fmt.Errorf("%s", strings.Join(slices.Compact(missing), "\n"))
	}
	return ids, nil
}

// T returns the UI string id in lang, with data for its {{.Placeholders}}.
func (s *Site) T(lang, id string, data map[string]any) (string, error) {
	if msg, ok := s.plain[lang][id]; ok {
		return msg, nil
	}
	loc, ok := s.msgs[lang]
	if !ok {
		return "", fmt.Errorf("no UI strings for language %q", lang)
	}
	return loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
}

// tn is T for a message with plural forms.
func (s *Site) tn(lang, id string, n int) (string, error) {
	return s.msgs[lang].Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: map[string]any{"Count": n}})
}

// Date formats a date the way lang writes it: 23 november 2026, 23 November 2026.
// Pages show two dates each and share most of them, and Localize is slow:
// each language and day is formatted once.
func (s *Site) Date(lang string, t time.Time) (string, error) {
	key := dateKey{lang, t.Year(), t.Month(), t.Day()}
	if d, ok := s.dates.Load(key); ok {
		return d.(string), nil
	}
	month, err := s.T(lang, fmt.Sprintf("month.%d", t.Month()), nil)
	if err != nil {
		return "", err
	}
	d, err := s.T(lang, "date.format", map[string]any{"Day": t.Day(), "Month": month, "Year": t.Year()})
	if err == nil {
		s.dates.Store(key, d)
	}
	return d, err
}

// Words returns what the content checks need to read the text of lang: the
// month names, and the words that make a date a deadline still to come; and,
// for a partial language, what a link to its fallback language says after it.
func (s *Site) Words(code string) (content.Words, error) {
	var w content.Words
	for m := 1; m <= 12; m++ {
		name, err := s.T(code, fmt.Sprintf("month.%d", m), nil)
		if err != nil {
			return w, err
		}
		w.Months = append(w.Months, name)
	}
	for _, f := range []struct {
		dst *[]string
		id  string
	}{{&w.Deadline, "check.deadline-words"}, {&w.Future, "check.future-verbs"}} {
		list, err := s.T(code, f.id, nil)
		if err != nil {
			return w, err
		}
		for _, word := range strings.Split(list, ",") {
			if word = strings.ToLower(strings.TrimSpace(word)); word != "" {
				*f.dst = append(*f.dst, word)
			}
		}
	}
	if l, _ := lang.Get(code); l.Fallback != "" {
		note, err := s.T(code, "link.fallback", nil)
		if err != nil {
			return w, err
		}
		w.Fallback = note
	}
	return w, nil
}

type dateKey struct {
	lang  string
	year  int
	month time.Month
	day   int
}

func (s *Site) loadAssets(theme fs.FS) error {
	return fs.WalkDir(theme, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(theme, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		rel := strings.TrimPrefix(name, "static/")
		ext := path.Ext(rel)
		hashed := "/assets/" + strings.TrimSuffix(rel, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		s.assets[rel] = asset{path: hashed, data: data}
		return nil
	})
}

func (s *Site) assetPath(name string) (string, error) {
	a, ok := s.assets[name]
	if !ok {
		return "", fmt.Errorf("theme has no static/%s", name)
	}
	return a.path, nil
}

// funcs returns the template functions bound to lang. With lang "" they are
// placeholders for parsing.
func (s *Site) funcs(code string) template.FuncMap {
	l, _ := lang.Get(code)
	return template.FuncMap{
		"t":      func(id string) (string, error) { return s.T(code, id, nil) },
		"tn":     func(id string, n int) (string, error) { return s.tn(code, id, n) },
		"date":   func(t time.Time) (string, error) { return s.Date(code, t) },
		"asset":  s.assetPath,
		"locale": func() string { return l.Locale },
		"dir":    func() string { return l.Dir },
		// hreflang gives a link to a page of the site in another language
		// (a message URL such as /en/background/privacy/ on a Polish page)
		// its hreflang attribute, so readers and their tools know.
		"hreflang": func(url string) template.HTMLAttr {
			if other, _, ok := strings.Cut(strings.TrimPrefix(url, "/"), "/"); ok && strings.HasPrefix(url, "/") && other != code {
				if _, known := lang.Get(other); known {
					return template.HTMLAttr(` hreflang="` + other + `"`)
				}
			}
			return ""
		},
	}
}

func (s *Site) loadTemplates(theme fs.FS, ids map[string][]string) error {
	partials, err := fs.Glob(theme, "partials/*.tmpl")
	if err != nil {
		return err
	}
	base, err := template.New("").Funcs(s.funcs("")).ParseFS(theme, append(partials, "layouts/base.tmpl")...)
	if err != nil {
		return fmt.Errorf("theme: %w", err)
	}
	parsed := map[string]*template.Template{}
	for _, name := range layouts {
		t, err := template.Must(base.Clone()).ParseFS(theme, "layouts/"+name+".tmpl")
		if err != nil {
			return fmt.Errorf("theme: %w", err)
		}
		parsed[name] = t.Lookup("base")
	}
	root, err := template.Must(base.Clone()).ParseFS(theme, "layouts/root.tmpl")
	if err != nil {
		return fmt.Errorf("theme: %w", err)
	}
	parsed["root"] = root.Lookup("root")
	results, err := template.New("").Funcs(s.funcs("")).ParseFS(theme, resultsTemplate)
	if err != nil {
		return fmt.Errorf("theme: %w", err)
	}
	s.resultsIDs = MessageIDs(results)

	// Every {{t "id"}} in a template must name a message, so a typo fails here, not on one page.
	for name, t := range parsed {
		for _, id := range MessageIDs(t) {
			if def := lang.Default().Code; !slices.Contains(ids[def], id) {
				return fmt.Errorf("theme: layout %s uses message %q, which theme/i18n/%s.toml does not have", name, id, def)
			}
		}
	}
	for _, lang := range s.langs {
		s.tmpl[lang] = map[string]*template.Template{}
		for name, t := range parsed {
			c := template.Must(t.Clone())
			s.tmpl[lang][name] = c.Funcs(s.funcs(lang))
		}
	}
	return nil
}

// render executes a layout for lang and writes the result to the tree at
// urlPath (a site path, such as /nl/index.html). The page is made whole in a
// buffer first, so a template error never leaves half a page.
func (s *Site) render(tree out.Tree, urlPath, lang, layout string, data any) error {
	b := buffers.Get()
	defer buffers.Put(b)
	if err := s.tmpl[lang][layout].Execute(b, data); err != nil {
		return err
	}
	return tree.Write(strings.TrimPrefix(urlPath, "/"), b.Bytes())
}
