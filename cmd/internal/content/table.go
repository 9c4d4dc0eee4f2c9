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
//
// The first cell of each body row names its row: it is a row header, <th
// scope="row">, and the header row's cells are column headers (an empty
// corner cell stays an empty <td>). Each data cell carries its column's
// header as data-label, so that on a narrow screen a table of three columns
// or more can show each row as a card of labelled cells (kb-table--stack in
// site.css) instead of being cut off. Alignment is a class, not a style
// attribute, which the site's CSP would block.

// kindTableRegion is the node that wraps each table.
var kindTableRegion = ast.NewNodeKind("TableRegion")

type tableRegion struct {
	ast.BaseBlock
	labelledBy string // id of the heading above the table
	label      string // the column headers, when there is no heading
	columns    int
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
		region.columns = headers(t, src)
		parent := t.Parent()
		parent.ReplaceChild(parent, t, region)
		region.AppendChild(region, t)
	}
}

// headers marks t's header and row header cells, labels its data cells with
// their column's header, and returns the number of columns.
func headers(t *extast.Table, src []byte) int {
	var cols []string
	if head, ok := t.FirstChild().(*extast.TableHeader); ok {
		for c := head.FirstChild(); c != nil; c = c.NextSibling() {
			cols = append(cols, strings.TrimSpace(plainText(c, src)))
		}
	}
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		_, isHead := row.(*extast.TableHeader)
		i := 0
		for c := row.FirstChild(); c != nil; c, i = c.NextSibling(), i+1 {
			cell := c.(*extast.TableCell)
			if cell.Alignment != extast.AlignNone {
				cell.SetAttributeString("class", []byte("kb-align-"+cell.Alignment.String()))
				cell.Alignment = extast.AlignNone
			}
			switch {
			case isHead && i < len(cols) && cols[i] != "":
				cell.SetAttributeString("scope", []byte("col"))
			case isHead:
				cell.SetAttributeString(cellTag, []byte("td")) // the empty corner above the row headers
			case i == 0:
				cell.SetAttributeString(cellTag, []byte("th"))
				cell.SetAttributeString("scope", []byte("row"))
			case i < len(cols) && cols[i] != "":
				cell.SetAttributeString("data-label", []byte(cols[i]))
			}
		}
	}
	return len(cols)
}

// cellTag is an attribute of the AST only: the element a cell is written as
// when it is not goldmark's (th in the header row, td in the body).
const cellTag = "kb-tag"

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
		w.WriteString(`<div class="kb-table`)
		if r.columns >= 3 {
			w.WriteString(` kb-table--stack`)
		}
		w.WriteString(`" role="region" tabindex="0"`)
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
	reg.Register(extast.KindTableCell, renderCell)
}

// renderCell writes a table cell as a th or td, with the attributes headers set.
func renderCell(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	tag := "td"
	if n.Parent().Kind() == extast.KindTableHeader {
		tag = "th"
	}
	if v, ok := n.AttributeString(cellTag); ok {
		tag = string(v.([]byte))
	}
	if !entering {
		w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	}
	w.WriteString("<" + tag)
	for _, a := range n.Attributes() {
		if string(a.Name) == cellTag {
			continue
		}
		w.WriteString(" ")
		w.Write(a.Name)
		w.WriteString(`="`)
		w.Write(util.EscapeHTML(a.Value.([]byte)))
		w.WriteString(`"`)
	}
	w.WriteString(">")
	return ast.WalkContinue, nil
}
