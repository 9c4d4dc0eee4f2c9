package build

import (
	"bytes"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
)

// Preview builds the site again and again into memory, for kb serve. After
// an edit that changes only what a page itself shows (its text, its sources,
// its notices) it renders again only that page and the pages whose notices
// follow from it (its translations), into a copy of the last tree: on a large
// site that is a few milliseconds instead of a whole build. Any other edit,
// such as a new title, builds everything. The result is the same tree as a
// whole build would give, byte for byte (a test keeps it so).
//
// The search index is not built: kb serve builds it in the background from
// each result (Index).
type Preview struct {
	Site    *site.Site // the theme; set a new one and call Build when the theme changes
	Content fs.FS      // the content folder
	Config  Config     // set Now (and History) before each build

	tree     *out.Mem                     // the last good build
	res      *Result                      // its pages
	rendered map[string]*content.Rendered // its renderings without bodies, by file
	builds   int                          // whole builds so far
	cache    content.Cache                // each file as last read
}

// Build builds the whole site.
func (p *Preview) Build() (*out.Mem, *Result, error) {
	p.builds++
	cfg := p.Config
	cfg.NoIndex = true
	cfg.cache = &p.cache
	tree := out.NewMem()
	res, err := Build(p.Site, p.Content, cfg, tree)
	if err != nil {
		return nil, nil, err
	}
	p.keep(tree, res)
	return tree, res, nil
}

func (p *Preview) keep(tree *out.Mem, res *Result) {
	p.tree, p.res = tree, res
	p.rendered = make(map[string]*content.Rendered, len(res.Rendered))
	for _, r := range res.Rendered {
		p.rendered[r.Page.File] = r
	}
}

// Update builds the site again after content files changed. It reads the
// content again, and renders only what the edit changed when it can, and
// else everything.
func (p *Preview) Update() (*out.Mem, *Result, error) {
	if p.res == nil {
		return p.Build()
	}
	cfg := p.Config
	cfg.cache = &p.cache
	next, err := Load(p.Site, p.Content, cfg)
	if err != nil {
		return nil, nil, err
	}
	redo, ok := p.changedPages(next.Set)
	if !ok {
		return p.Build()
	}
	tree := p.tree.Clone()
	sr, err := p.Site.Pages(next.Set, redo, tree, siteOptions(p.Config))
	if err != nil {
		return nil, nil, err
	}
	rendered := make(map[string]*content.Rendered, len(p.rendered))
	for file, r := range p.rendered {
		rendered[file] = r
	}
	for _, r := range sr.Rendered {
		rendered[r.Page.File] = r
	}
	// The findings are those of a whole build: the load's, every page's, and the links to headings.
	all := make([]*content.Rendered, 0, len(next.Set.Pages))
	for _, q := range next.Set.Pages {
		all = append(all, rendered[q.File])
	}
	next.Rendered, next.Redone = all, len(redo)
	for _, r := range all {
		next.Findings = append(next.Findings, r.Findings...)
	}
	next.Findings = append(next.Findings, content.CheckAnchors(all)...)
	next.Findings.Sort()
	if err := next.Findings.Err(); err != nil {
		return nil, nil, err
	}
	p.keep(tree, next)
	return tree, next, nil
}

// changedPages compares the pages of next with the last build. ok is false
// when other pages show something of a page that changed, or pages were
// added or removed: then everything is built again. Else it returns the
// pages to render again: those whose file changed, and those whose notice
// that a translation may be behind came or went.
func (p *Preview) changedPages(next *content.Set) (redo []*content.Page, ok bool) {
	prev := map[string]*content.Page{}
	for _, q := range p.res.Set.Pages {
		prev[q.File] = q
	}
	if len(prev) != len(next.Pages) {
		return nil, false
	}
	for _, q := range next.Pages {
		old := prev[q.File]
		if old == nil || shown(old) != shown(q) {
			return nil, false
		}
		if !bytes.Equal(old.Source(), q.Source()) || (old.Behind == nil) != (q.Behind == nil) {
			redo = append(redo, q)
		}
	}
	return redo, true
}

// shownOf is what other pages, lists and feeds show of a page.
type shownOf struct {
	url, title, description, definition, typ, key, parent, aliases string
	weight                                                         int
	reviewed                                                       time.Time // shown as "last updated" where there is no git history
	draft                                                          bool
	translations, children                                         string
	answers                                                        string // a decision aid's overview and way back show them
}

func shown(q *content.Page) shownOf {
	s := shownOf{url: q.URL, title: q.Title, description: q.Description, definition: q.Definition, typ: q.Type, key: q.Key,
		aliases: fmt.Sprint(q.Aliases), weight: q.Weight, reviewed: q.Reviewed, draft: q.Draft}
	if q.Parent != nil {
		s.parent = q.Parent.File
	}
	var files []string
	for _, t := range q.Translations {
		files = append(files, t.File)
	}
	slices.Sort(files)
	s.translations = fmt.Sprint(files)
	files = files[:0]
	for _, c := range q.Children {
		files = append(files, c.File)
	}
	s.children = fmt.Sprint(files)
	for _, a := range q.Answers {
		s.answers += a.Label + "\x00" + a.Next + "\x00"
	}
	return s
}
