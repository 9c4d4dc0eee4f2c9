package content

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/parallel"
)

// Options say what to load.
type Options struct {
	Langs  []string         // language folders under the content root, the default language first
	Root   string           // the content folder as editors know it, for messages, such as "content"
	Drafts bool             // keep pages with draft: true (kb serve shows them, kb build leaves them out)
	Today  time.Time        // the day of the check: review dates and dates in the text are compared with it; required
	Words  map[string]Words // by language, the words the checks read its text with
	Cache  *Cache           // what an earlier Load read of each file; nil for none
}

// A Cache keeps what Load read of each file, so that a Load of the same
// content after an edit parses only the files that changed: kb serve loads
// the content again after every save. It is for one Load at a time.
type Cache struct {
	mu    sync.Mutex
	files map[string]*cached // by name in the content fs.FS
}

// cached is one file as Load read it.
type cached struct {
	modTime   time.Time // of the file when it was read: a file with the same time and size is not read again
	size      int64
	raw       []byte // the file as it is on disk
	meta      Meta
	lines     map[string]int
	bodyStart int
	src       []byte // raw with the front matter blanked, or nil
	errs      ErrorList
}

// read reads the file name of fsys into p: it parses the file, or copies what
// an earlier Load parsed of the same file, when its time and size are unchanged,
// or its contents.
func (c *Cache) read(fsys fs.FS, p *Page, name string, info fs.FileInfo, errs *ErrorList) {
	if c == nil {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs.add(p.File, 1, "cannot read file: %v", err)
			return
		}
		p.src = p.parseFile(raw, errs)
		return
	}
	c.mu.Lock()
	e := c.files[name]
	c.mu.Unlock()
	if e == nil || info == nil || !info.ModTime().Equal(e.modTime) || info.Size() != e.size {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs.add(p.File, 1, "cannot read file: %v", err)
			return
		}
		if e != nil && bytes.Equal(e.raw, raw) && info != nil {
			e.modTime, e.size = info.ModTime(), info.Size() // touched, not changed
		} else {
			e = c.parse(p, raw)
			if info != nil {
				e.modTime, e.size = info.ModTime(), info.Size()
			}
			c.mu.Lock()
			if c.files == nil {
				c.files = map[string]*cached{}
			}
			c.files[name] = e
			c.mu.Unlock()
		}
	}
	p.Meta, p.lines, p.bodyStart, p.src = e.meta, e.lines, e.bodyStart, e.src
	p.Key = cmp.Or(p.TranslationKey, p.Path)
	*errs = append(*errs, e.errs...)
}

// parse parses raw for the cache.
func (c *Cache) parse(p *Page, raw []byte) *cached {
	e := &cached{raw: bytes.Clone(raw)} // parseFile blanks the front matter of raw in place
	var found ErrorList
	e.src = p.parseFile(raw, &found)
	e.meta, e.lines, e.bodyStart, e.errs = p.Meta, p.lines, p.bodyStart, found
	return e
}

// keep forgets the files that are not in names.
func (c *Cache) keep(names map[string]bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for name := range c.files {
		if !names[name] {
			delete(c.files, name)
		}
	}
}

// Words are what the checks need to know of a language to read its text;
// the theme's message files give them (site.Words).
type Words struct {
	Months   []string // the names of the months, January first, to find dates written out
	Deadline []string // words that make the date after them a deadline: vóór, uiterlijk; by, before
	Future   []string // verbs that look ahead: moet, zal; must, will
	Fallback string   // in a partial language, said after a link to a page in its fallback language: (po angielsku)
}

// A Set is the pages of one load, ready to render.
type Set struct {
	Pages  []*Page
	byLang map[string]map[string]*Page // by language and path
	notes  map[string]string           // by language: what a link to the fallback language says after it (Words.Fallback)
}

// Load reads every Markdown file of every language in fsys: its front matter,
// its place among the sections, its URL and its translations, and checks them
// (check.go). It does not render the bodies: Render does, page by page, so
// that a large site never holds all its HTML at once.
//
// It returns the pages and the warnings and notes found so far. If anything is
// an error, it returns an ErrorList of every finding, broken links included:
// it then renders the bodies itself, without output, to find them.
func Load(fsys fs.FS, opt Options) (*Set, ErrorList, error) {
	if opt.Today.IsZero() {
		return nil, nil, errors.New("content.Load: Options.Today is not set; review dates are checked against it")
	}
	pages, errs, broken, err := read(fsys, opt)
	if err != nil {
		return nil, nil, err
	}
	checkPages(pages, opt, broken, &errs)
	set := newSet(pages, opt)
	if errs.Err() != nil {
		_, more, _ := set.RenderAll(nil)
		errs = append(errs, more...)
		errs.Sort()
		return nil, nil, errs
	}
	errs.Sort()
	return set, errs, nil
}

func newSet(pages []*Page, opt Options) *Set {
	s := &Set{Pages: pages, byLang: map[string]map[string]*Page{}, notes: map[string]string{}}
	for code, w := range opt.Words {
		s.notes[code] = w.Fallback
	}
	for _, p := range pages {
		if s.byLang[p.Lang] == nil {
			s.byLang[p.Lang] = map[string]*Page{}
		}
		s.byLang[p.Lang][p.Path] = p
	}
	return s
}

// Render renders p, a page of the set, and returns its body and what was
// found in it. It changes nothing, so it can run on many goroutines at once
// and again for the same page. Links to headings of other pages are checked
// by CheckAnchors, once every page is rendered.
func (s *Set) Render(p *Page) *Rendered {
	if p.src == nil {
		return &Rendered{Page: p}
	}
	return p.render(s.targets(p.Lang))
}

// targets are the pages a page in lang can link to.
func (s *Set) targets(code string) linkTargets {
	to := linkTargets{own: s.byLang[code]}
	if l, ok := lang.Get(code); ok && l.Fallback != "" {
		to.fallback, to.lang, to.note = s.byLang[l.Fallback], l.Fallback, s.notes[code]
	}
	return to
}

// RenderAll renders every page on all cores and gives each rendering, whole,
// to write (which may be nil, and runs on many goroutines at once). It
// returns each page's rendering without its body, so that a large site never
// holds all its HTML at once, and every finding, links to headings included.
// An error from write stops RenderAll, which returns the first one.
func (s *Set) RenderAll(write func(*Rendered) error) ([]*Rendered, ErrorList, error) {
	rs := make([]*Rendered, len(s.Pages))
	var failed atomic.Pointer[error]
	parallel.For(len(s.Pages), func(i int) {
		if failed.Load() != nil {
			return
		}
		r := s.Render(s.Pages[i])
		if write != nil {
			if err := write(r); err != nil {
				failed.CompareAndSwap(nil, &err)
			}
		}
		rs[i] = r.WithoutBody()
	})
	if err := failed.Load(); err != nil {
		return nil, nil, *err
	}
	var errs ErrorList
	for _, r := range rs {
		errs = append(errs, r.Findings...)
	}
	errs = append(errs, CheckAnchors(rs)...)
	errs.Sort()
	return rs, errs, nil
}

// read reads the files and their front matter, and links the pages up. It
// returns every page that is not a draft (unless opt.Drafts), also when some
// have errors; a page whose front matter could not be read has no src.
func read(fsys fs.FS, opt Options) ([]*Page, ErrorList, map[*Page]bool, error) {
	var files []*Page
	var infos []fs.FileInfo
	var links ErrorList // links out of the content folder
	for _, lang := range opt.Langs {
		if _, err := fs.Stat(fsys, lang); errors.Is(err, fs.ErrNotExist) {
			continue // a language without pages yet; the site reports its missing home page
		}
		err := fs.WalkDir(fsys, lang, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if out := linkOutside(fsys, name); out != "" {
					links = append(links, &Error{File: path.Join(opt.Root, name), Line: 1,
						Msg: fmt.Sprintf("this is a link to %s, outside the content folder; it is not published: put the file itself in the content folder, or remove the link", out)})
					return nil
				}
				if info, err := fs.Stat(fsys, name); err == nil && info.IsDir() {
					return nil // a link to a folder inside the content: its files are read where they are
				}
			}
			if !d.IsDir() && strings.HasSuffix(name, ".md") {
				rel := strings.TrimPrefix(name, lang+"/")
				files = append(files, &Page{Lang: lang, Path: rel, File: path.Join(opt.Root, name)})
				var info fs.FileInfo
				if opt.Cache != nil {
					info, _ = d.Info() // time and size: an unchanged file is not read again
				}
				infos = append(infos, info)
			}
			return nil
		})
		if err != nil {
			return nil, nil, nil, fmt.Errorf("read %s: %w", path.Join(opt.Root, lang), err)
		}
	}

	// Front matter first, for all pages: URLs and links depend on it.
	perPage := make([]ErrorList, len(files))
	names := make(map[string]bool, len(files))
	for _, p := range files {
		names[path.Join(p.Lang, p.Path)] = true
	}
	opt.Cache.keep(names)
	parallel.For(len(files), func(i int) {
		p := files[i]
		opt.Cache.read(fsys, p, path.Join(p.Lang, p.Path), infos[i], &perPage[i])
	})
	errs := links
	broken := map[*Page]bool{} // pages whose front matter is wrong: their type and slug are not checked further
	for i, l := range perPage {
		errs = append(errs, l...)
		if len(l) > 0 {
			broken[files[i]] = true
		}
	}
	var pages []*Page
	for _, p := range files {
		if !p.Draft || opt.Drafts {
			pages = append(pages, p)
		}
	}
	link(pages, opt, broken, &errs)
	return pages, errs, broken, nil
}

// linkOutside returns where the symbolic link name in fsys points when that
// is outside fsys, and "" when it stays inside. A page must not be published
// from a file elsewhere on the machine.
func linkOutside(fsys fs.FS, name string) string {
	target, err := fs.ReadLink(fsys, name)
	if err != nil {
		return "an unreadable place (" + err.Error() + ")"
	}
	if path.IsAbs(target) || strings.HasPrefix(target, "/") || strings.Contains(target, `\`) {
		return target
	}
	if joined := path.Join(path.Dir(name), target); joined == ".." || strings.HasPrefix(joined, "../") {
		return target
	}
	return ""
}

// parseFile reads front matter and returns the body, with the front matter blanked.
func (p *Page) parseFile(src []byte, errs *ErrorList) []byte {
	p.Key = p.Path
	yml, end, ok, err := splitFrontMatter(src)
	if err != nil {
		errs.add(p.File, 1, "%v", err)
		return nil
	}
	if !ok {
		errs.add(p.File, 1, "file has no front matter; start it with a line ---, then title, description, type and reviewed, then another line ---")
		return nil
	}
	p.Meta, p.lines = parseMeta(yml, p.File, errs)
	p.Key = cmp.Or(p.TranslationKey, p.Path)
	p.bodyStart = end
	blank(src, end) // after parseMeta: yml is part of src
	return src
}

// link checks page types against their place, and sets Parent, Children, URL
// and Translations.
// A page whose section page is missing still gets a URL, so that the rest
// of the build can go on and report everything in one run.
func link(pages []*Page, opt Options, broken map[*Page]bool, errs *ErrorList) {
	byLang := map[string]map[string]*Page{}
	for _, lang := range opt.Langs {
		byLang[lang] = map[string]*Page{}
	}
	for _, p := range pages {
		byLang[p.Lang][p.Path] = p
	}
	for _, lang := range opt.Langs {
		if _, ok := byLang[lang]["index.md"]; !ok && len(byLang[lang]) > 0 {
			errs.add(path.Join(opt.Root, lang, "index.md"), 1, "the %s folder has no home page; add this file with type: home", lang)
		}
	}
	for _, p := range pages {
		dir := path.Dir(p.Path)
		if path.Base(p.Path) == "index.md" {
			dir = path.Dir(dir) // a section page belongs to the folder above its own
		}
		if !broken[p] {
			switch {
			case p.Path == "index.md" && p.Type != TypeHome:
				errs.add(p.File, 1, "field type: the index.md at the top of a language folder is the home page; write type: home")
			case p.Path != "index.md" && path.Base(p.Path) == "index.md" && p.Type != TypeSection && p.Type != TypeAid:
				errs.add(p.File, 1, "field type: an index.md inside a folder is a section page; write type: section (or type: aid for the start of a decision aid)")
			case path.Base(p.Path) != "index.md" && p.IsIndex():
				errs.add(p.File, 1, "field type: %s is only for index.md files; write type: page or type: glossary", p.Type)
			}
		}
		if p.Path == "index.md" {
			continue
		}
		// The parent is the index.md of the page's folder; if that is missing, the nearest one above.
		for d, first := dir, true; ; d, first = path.Dir(d), false {
			idx := "index.md"
			if d != "." {
				idx = d + "/index.md"
			}
			if parent, ok := byLang[p.Lang][idx]; ok {
				p.Parent = parent
				parent.Children = append(parent.Children, p)
				break
			}
			if first {
				errs.add(p.File, 1, "there is no %s for the folder this page is in; add it with type: section", path.Join(opt.Root, p.Lang, idx))
			}
			if d == "." {
				break
			}
		}
	}

	urls := map[string]*Page{}
	keys := map[string]map[string]*Page{}
	for _, p := range pages {
		p.URL = urlOf(p, byLang[p.Lang])
		if other, dup := urls[p.URL]; dup {
			errs.add(p.File, 1, "URL %s is also the URL of %s; give one of them another slug", p.URL, other.File)
		}
		urls[p.URL] = p
		if keys[p.Key] == nil {
			keys[p.Key] = map[string]*Page{}
		}
		if other, dup := keys[p.Key][p.Lang]; dup {
			errs.add(p.File, 1, "translationKey %q is also used by %s; each page in a language needs its own", p.Key, other.File)
		}
		keys[p.Key][p.Lang] = p
	}
	collators := map[string]*collate.Collator{}
	for _, p := range pages {
		p.Translations = map[string]*Page{}
		for lang, t := range keys[p.Key] {
			if lang != p.Lang {
				p.Translations[lang] = t
			}
		}
		c := collators[p.Lang]
		if c == nil {
			c = Collator(p.Lang)
			collators[p.Lang] = c
		}
		slices.SortStableFunc(p.Children, func(a, b *Page) int {
			return cmp.Or(cmp.Compare(a.Weight, b.Weight), c.CompareString(a.Title, b.Title), strings.Compare(a.Path, b.Path))
		})
	}
}

// Collator sorts text the way readers of lang expect (Unicode collation with
// the language's rules): case and accents count only between words that are
// otherwise the same, so Aangifte comes before AVIM and Care coordinator
// before COSM. A Collator is not safe for concurrent use.
func Collator(lang string) *collate.Collator {
	return collate.New(language.Make(lang))
}

// urlOf is the page's clean URL: the language, then each folder's slug (from
// its index.md) or name, then the page's slug or file name.
func urlOf(p *Page, byPath map[string]*Page) string {
	u := "/" + p.Lang + "/"
	if p.Path == "index.md" {
		return u
	}
	dirs := strings.Split(path.Dir(p.Path), "/")
	if dirs[0] == "." {
		dirs = nil
	}
	for i, d := range dirs {
		if idx := byPath[strings.Join(dirs[:i+1], "/")+"/index.md"]; idx != nil && idx.Slug != "" {
			d = idx.Slug
		}
		u += d + "/"
	}
	if path.Base(p.Path) == "index.md" {
		return u
	}
	return u + cmp.Or(p.Slug, strings.TrimSuffix(path.Base(p.Path), ".md")) + "/"
}
