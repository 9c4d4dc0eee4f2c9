package content

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// linkRenderer writes links as goldmark does, and two things it cannot:
//   - hreflang, on a link from a partial language to the page in its fallback
//     language (resolveLink sets it), which goldmark's attribute filter drops;
//   - dir="ltr" on a tel: link, so that a phone number keeps its order inside
//     right-to-left text: "0900 8844" would else read as "8844 0900".
type linkRenderer struct{}

func (linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		n := node.(*ast.Link)
		if !entering {
			w.WriteString("</a>")
			return ast.WalkContinue, nil
		}
		w.WriteString(`<a href="`)
		if dest := util.URLEscape(n.Destination, true); !html.IsDangerousURL(dest) {
			w.Write(util.EscapeHTML(dest))
		}
		w.WriteByte('"')
		if n.Title != nil {
			w.WriteString(` title="`)
			w.Write(util.EscapeHTML(n.Title))
			w.WriteByte('"')
		}
		if v, ok := n.AttributeString("hreflang"); ok {
			w.WriteString(` hreflang="`)
			w.Write(util.EscapeHTML(v.([]byte)))
			w.WriteByte('"')
		}
		if bytes.HasPrefix(n.Destination, []byte("tel:")) {
			w.WriteString(` dir="ltr"`)
		}
		if n.Attributes() != nil {
			html.RenderAttributes(w, n, html.LinkAttributeFilter)
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	})
}
