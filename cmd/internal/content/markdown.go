package content

import (
	"bytes"
	"html/template"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/kb-mensenhandel/kb/cmd/internal/buffers"
	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"
)

// markdown is the one Markdown configuration of the site. Nothing is configurable.
// Raw HTML is dropped, because goldmark only renders it with html.WithUnsafe.
var markdown = goldmark.New(
	goldmark.WithExtensions(
		extension.GFM,      // tables, strikethrough and autolinks, as editors know them from GitHub
		extension.Footnote, // [^1] citations
		// Curly quotes and dashes, as the characters themselves rather than
		// goldmark's default entities (&ldquo;): the plain text of headings,
		// search documents and structured data is the same text the page shows,
		// and a template cannot escape an entity a second time.
		extension.NewTypographer(extension.WithTypographicSubstitutions(typography)),
	),
	goldmark.WithParserOptions(parser.WithAutoHeadingID(),
		parser.WithASTTransformers(util.Prioritized(tableRegions{}, 1000))), // table.go
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(
		util.Prioritized(tableRegionRenderer{}, 100), // before the table extension (500), whose cells it writes
		util.Prioritized(linkRenderer{}, 100),        // links.go
	)),
)

// typography are the characters the typographer writes.
var typography = map[extension.TypographicPunctuation]string{
	extension.LeftSingleQuote:  "‘",
	extension.RightSingleQuote: "’",
	extension.LeftDoubleQuote:  "“",
	extension.RightDoubleQuote: "”",
	extension.EnDash:           "–",
	extension.EmDash:           "—",
	extension.Ellipsis:         "…",
	extension.LeftAngleQuote:   "«",
	extension.RightAngleQuote:  "»",
	extension.Apostrophe:       "’",
}

// Slug turns heading text into an anchor: letters and digits in lower case,
// diacritics folded (financiële → financiele), spaces as dashes, other
// punctuation dropped. Unlike goldmark's default it keeps non-ASCII letters.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	latin := false // the last letter was Latin: its accents are dropped (é → e), those of other scripts kept (й stays й)
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			if !latin {
				b.WriteRune(r)
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			latin = unicode.Is(unicode.Latin, r)
			if r == 'ł' || r == 'Ł' { // Polish; NFD does not split it
				r = 'l'
			}
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r) || r == '-' || r == '_':
			dash = true
		}
	}
	return norm.NFC.String(b.String())
}

// headingIDs gives each heading of one page a stable, unique id:
// the Slug of its text, with -2, -3 … for repeats.
type headingIDs map[string]bool

func (ids headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := Slug(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for n := 2; ids[id]; n++ {
		id = base + "-" + itoa(n)
	}
	ids[id] = true
	return []byte(id)
}

func (ids headingIDs) Put(value []byte) { ids[string(value)] = true }

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	for n >= 10 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	buf[i] = byte('0' + n)
	return string(buf[i:])
}

// proses are reused between pages, like buffers.
var proses = sync.Pool{New: func() any { return new(prose) }}

// anchorRef is a link to a heading of another page, checked once every page is rendered.
type anchorRef struct {
	line   int
	dest   string
	target *Page
	anchor string
}

// render parses p's body, rewrites links to .md files into page URLs,
// renders HTML and extracts text. It checks what it walks over: links, images,
// heading levels and plain language. to finds the pages links lead to.
// It reads p and changes nothing in it, so pages render on many goroutines,
// and as often as needed.
func (p *Page) render(to linkTargets) *Rendered {
	r := &Rendered{Page: p}
	errs := &r.Findings
	body := p.src
	ctx := parser.NewContext(parser.WithIDs(headingIDs{}))
	doc := markdown.Parser().Parse(text.NewReader(body), parser.WithContext(ctx))
	var sec strings.Builder
	cur := Section{}
	pr := proses.Get().(*prose)
	defer proses.Put(pr)
	pr.text, pr.offs = pr.text[:0], pr.offs[:0]
	notProse := 0        // > 0 inside headings, tables, code and footnotes, which are not read as sentences
	level := 1           // of the last heading; the title is the level-1 heading
	var marks []ast.Node // links to a page in the fallback language, which say so after them
	l, _ := lang.Get(p.Lang)
	rtl := l.Dir == "rtl"
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.Kind() {
		case ast.KindHeading, ast.KindCodeSpan, ast.KindImage, east.KindTable, east.KindFootnoteList:
			if entering {
				notProse++
			} else {
				notProse--
			}
		}
		switch n := n.(type) {
		case *ast.Heading:
			if !entering {
				if n.Level == 2 {
					sec.Reset() // an h2 is its section's Title, not part of its Text
				} else {
					sec.WriteByte('\n')
				}
				break
			}
			id, _ := n.AttributeString("id")
			h := Heading{Level: n.Level, ID: string(id.([]byte)), Text: plainText(n, body)}
			if n.Level == 1 {
				errs.add(p.File, lineAt(body, blockStart(n)), "heading %q is level 1; start body headings at ## because the title is the page's only level-1 heading", h.Text)
			} else if n.Level > level+1 {
				errs.warn(p.File, lineAt(body, blockStart(n)), "heading %q is level %d right after level %d, which skips a level and confuses screen readers; write it with %s, or add the missing level above it", h.Text, n.Level, level, strings.Repeat("#", level+1))
			}
			level = n.Level
			r.Headings = append(r.Headings, h)
			if n.Level == 2 {
				cur.Text = strings.TrimSpace(sec.String())
				if cur.ID != "" || cur.Text != "" {
					r.Sections = append(r.Sections, cur)
				}
				cur, sec = Section{ID: h.ID, Title: h.Text}, strings.Builder{}
			}
		case *ast.Link:
			if entering {
				ref, ok, fallback := p.resolveLink(n, body, to, errs)
				if ok {
					r.anchors = append(r.anchors, ref)
				}
				if fallback {
					marks = append(marks, n)
				}
			}
		case *ast.AutoLink:
			if entering && n.AutoLinkType == ast.AutoLinkURL {
				if u := string(n.URL(body)); !strings.HasPrefix(u, "https://") {
					errs.add(p.File, lineAt(body, blockStart(n)), "link %s is not secure: write it as a link starting with https://, such as <https://%s>", u, strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://"))
				}
			}
		case *ast.Image:
			if entering {
				p.checkImage(n, body, errs)
			}
		case *ast.Emphasis:
			// In right-to-left text, a Dutch term in italics (*aangifte*) is
			// isolated left to right, so the brackets and words around it keep
			// their places (the HTML <em dir="ltr"> is what <bdi> would do).
			if entering && rtl && !hasRTL(plainText(n, body)) {
				n.SetAttributeString("dir", []byte("ltr"))
			}
		case *ast.Text:
			if entering {
				sec.Write(textValue(n.Value(body)))
				if notProse == 0 {
					pr.write(n.Value(body), n.Segment.Start)
				}
				if n.SoftLineBreak() || n.HardLineBreak() {
					sec.WriteByte(' ')
					if notProse == 0 {
						pr.write([]byte{' '}, -1)
					}
				}
			}
		case *ast.String:
			if entering {
				sec.Write(textValue(n.Value))
				if notProse == 0 {
					pr.write(n.Value, -1)
				}
			}
		default:
			if !entering && n.Type() == ast.TypeBlock {
				sec.WriteByte('\n')
				pr.write([]byte{'\n'}, -1)
			}
		}
		return ast.WalkContinue, nil
	})
	cur.Text = strings.TrimSpace(sec.String())
	if cur.ID != "" || cur.Text != "" {
		r.Sections = append(r.Sections, cur)
	}
	formula := readabilityOf(p.Lang)
	r.Readability = pr.score(formula)
	p.checkReadability(r.Readability, formula, body, errs)

	for _, n := range marks {
		note := ast.NewString([]byte(" " + to.note))
		n.Parent().InsertAfter(n.Parent(), n, note)
	}

	out := buffers.Get()
	defer buffers.Put(out)
	// A first paragraph is rendered on its own, so that the page can put
	// notices after it: the page's own text comes first.
	var err error
	if lead, ok := doc.FirstChild().(*ast.Paragraph); ok {
		if err = markdown.Renderer().Render(out, body, lead); err == nil {
			r.Lead = out.Len()
			doc.RemoveChild(doc, lead)
		}
	}
	if err == nil {
		err = markdown.Renderer().Render(out, body, doc)
	}
	if err != nil {
		errs.add(p.File, 1, "cannot render Markdown: %v", err)
	}
	r.Body = template.HTML(out.String())
	return r
}

// linkTargets are the pages a page's links can lead to: those of its own
// language, and for a partial language (lang.Language.Fallback) those of its
// fallback language, where a link to a page the language lacks goes.
type linkTargets struct {
	own, fallback map[string]*Page
	lang          string // the fallback language
	note          string // said after such a link, in the page's language, such as "(po angielsku)" (Words.Fallback)
}

// resolveLink turns a relative link to a .md file into that page's URL.
// It returns an anchorRef when the link names a heading that must exist, and
// fallback when the page is one of the fallback language's.
func (p *Page) resolveLink(n *ast.Link, body []byte, to linkTargets, errs *ErrorList) (ref anchorRef, ok, fallback bool) {
	dest := string(n.Destination)
	line := func() int { return lineAt(body, inlineStart(n, body)) } // only counted when needed
	u, err := url.Parse(dest)
	switch {
	case err != nil:
		errs.add(p.File, line(), "link %q is not a valid address; check it for spaces or typing errors", dest)
		return anchorRef{}, false, false
	case dest == "":
		errs.add(p.File, line(), "link has no address; write [text](page.md)")
		return anchorRef{}, false, false
	case n.ChildCount() == 0 || plainText(n, body) == "":
		errs.add(p.File, line(), "link to %s has no text, so a screen reader has nothing to read out; write the words to click between the brackets: [text](%s)", dest, dest)
	}
	if u.Scheme != "" || u.Host != "" {
		checkExternal(p.File, line(), "link", dest, u.Scheme, errs)
		return anchorRef{}, false, false
	}
	switch {
	case u.Path == "":
		return anchorRef{line(), dest, p, u.Fragment}, true, false // #anchor on this page
	case strings.HasPrefix(u.Path, "/") || !strings.HasSuffix(u.Path, ".md"):
		errs.add(p.File, line(), "link %q: write links to other pages as a relative path to their .md file, such as ../verblijfsregeling/bedenktijd.md", dest)
		return anchorRef{}, false, false
	}
	target := path.Join(path.Dir(p.Path), u.Path)
	t, found := to.own[target]
	if !found && to.fallback != nil {
		// A partial language links the page in its fallback language, and says so.
		if t, found = to.fallback[target]; found {
			fallback = true
			n.SetAttributeString("hreflang", []byte(to.lang))
		}
	}
	if !found || strings.HasPrefix(target, "../") {
		where := path.Join(path.Dir(p.File), u.Path)
		if to.fallback != nil {
			where += ", nor " + path.Join(path.Dir(strings.Replace(p.File, "/"+p.Lang+"/", "/"+to.lang+"/", 1)), u.Path)
		}
		errs.add(p.File, line(), "link %s matches no page: there is no %s; check the file name and the ../ steps", dest, where)
		return anchorRef{}, false, false
	}
	if t.Draft && !p.Draft {
		// only reachable with drafts on (kb serve); kb build leaves drafts out and reports the missing page
		errs.add(p.File, line(), "link %s points to a draft page; publish %s first or remove the link", dest, t.File)
	}
	n.Destination = []byte(t.URL)
	if u.Fragment != "" {
		n.Destination = []byte(t.URL + "#" + u.Fragment)
		return anchorRef{line(), dest, t, u.Fragment}, true, fallback
	}
	return anchorRef{}, false, fallback
}

// CheckAnchors reports links to headings that do not exist, once every page
// is rendered: rs are the renderings (with or without bodies) of all pages.
//
// Pages are matched by file, so renderings from earlier loads of the same
// content can be checked together (kb serve renders again only what changed).
func CheckAnchors(rs []*Rendered) ErrorList {
	headings := make(map[string][]Heading, len(rs))
	for _, r := range rs {
		headings[r.Page.File] = r.Headings
	}
	var errs ErrorList
	for _, r := range rs {
		for _, ref := range r.anchors {
			if hasHeading(headings[ref.target.File], ref.anchor) || strings.HasPrefix(ref.anchor, "fn") {
				continue
			}
			var ids []string
			for _, h := range headings[ref.target.File] {
				ids = append(ids, h.ID)
			}
			sort.Strings(ids)
			where := "on this page"
			if ref.target != r.Page {
				where = "in " + ref.target.File
			}
			msg := "link %s: there is no heading with id %q %s; use one of: %s"
			if len(ids) == 0 {
				msg = "link %s: there is no heading with id %q %s, which has no headings%s"
			}
			errs.add(r.Page.File, ref.line, msg, ref.dest, ref.anchor, where, strings.Join(ids, ", "))
		}
	}
	errs.Sort()
	return errs
}

func hasHeading(hs []Heading, id string) bool {
	for _, h := range hs {
		if h.ID == id {
			return true
		}
	}
	return false
}

// lineAt returns the 1-based line of a byte offset in src.
func lineAt(src []byte, off int) int {
	return 1 + bytes.Count(src[:off], []byte("\n"))
}

// blockStart is the offset of a block node's first line.
func blockStart(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return 0
}

// inlineStart is the offset of an inline node: that of its first text, or else of its block.
func inlineStart(n ast.Node, src []byte) int {
	var off = -1
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off >= 0 {
		return off
	}
	return blockStart(n)
}

// textValue is the text a reader sees of a text node's source: backslash
// escapes removed and character references (&amp;, &#233;) resolved, as the
// HTML renderer does. Plain text is text, not HTML: templates escape it once.
func textValue(v []byte) []byte {
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\\') < 0 {
		return v
	}
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
}

// plainText is the text of a node without markup, such as a heading's.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(textValue(c.Value(src)))
			if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(textValue(c.Value))
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// hasRTL tells whether s has a letter of a right-to-left script.
func hasRTL(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko) {
			return true
		}
	}
	return false
}
