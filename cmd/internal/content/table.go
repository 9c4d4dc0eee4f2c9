package content

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A table wider than a phone scrolls inside a region of its own, never the
// page (WCAG 1.4.10). The region is focusable so that a keyboard can scroll
// it (WCAG 2.1.1), and named after the heading above the table, or its
// column headers when no heading comes before it, so that a screen reader
// says what it is.

// kindTableRegion is the node that wraps each table.
var kindTableRegion = ast.NewNodeKind("TableRegion")

type tableRegion struct {
	ast.BaseBlock
	labelledBy string // id of the heading above the table
	label      string // the column headers, when there is no heading
}

func (n *tableRegion) Kind() ast.NodeKind { return kindTableRegion }

func (n *tableRegion) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// tableRegions wraps every table of a document in a tableRegion.
type tableRegions struct{}

func (tableRegions) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var tables []*extast.Table
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*extast.Table); ok && entering {
			tables = append(tables, t)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, t := range tables {
		region := &tableRegion{}
		if h := headingBefore(t); h != nil {
			if id, ok := h.AttributeString("id"); ok {
				region.labelledBy = string(id.([]byte))
			}
		}
		if region.labelledBy == "" {
			var cols []string
			if head, ok := t.FirstChild().(*extast.TableHeader); ok {
				for c := head.FirstChild(); c != nil; c = c.NextSibling() {
					if s := strings.TrimSpace(plainText(c, src)); s != "" {
						cols = append(cols, s)
					}
				}
			}
			region.label = strings.Join(cols, ", ")
		}
		parent := t.Parent()
		parent.ReplaceChild(parent, t, region)
		region.AppendChild(region, t)
	}
}

// headingBefore finds the last heading before n at the top level of the document.
func headingBefore(n ast.Node) *ast.Heading {
	for n.Parent() != nil && n.Parent().Kind() != ast.KindDocument {
		n = n.Parent()
	}
	for p := n.PreviousSibling(); p != nil; p = p.PreviousSibling() {
		if h, ok := p.(*ast.Heading); ok {
			return h
		}
	}
	return nil
}

// tableRegionRenderer writes the region around the table.
type tableRegionRenderer struct{}

func (tableRegionRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindTableRegion, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		r := n.(*tableRegion)
		if !entering {
			w.WriteString("</div>\n")
			return ast.WalkContinue, nil
		}
		w.WriteString(`<div class="kb-table" role="region" tabindex="0"`)
		if r.labelledBy != "" {
			w.WriteString(` aria-labelledby="`)
			w.Write(util.EscapeHTML([]byte(r.labelledBy)))
		} else {
			w.WriteString(` aria-label="`)
			w.Write(util.EscapeHTML([]byte(r.label)))
		}
		w.WriteString("\">\n")
		return ast.WalkContinue, nil
	})
}
