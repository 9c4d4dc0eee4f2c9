package site

import (
	"html/template"
	"slices"
	"text/template/parse"
)

// MessageIDs returns the message IDs that t and the templates associated with it
// pass to t and tn as constant strings, sorted and without repeats.
func MessageIDs(t *template.Template) []string {
	var ids []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c)
				}
			}
		case *parse.CommandNode:
			if len(n.Args) >= 2 {
				if f, ok := n.Args[0].(*parse.IdentifierNode); ok && (f.Ident == "t" || f.Ident == "tn") {
					if s, ok := n.Args[1].(*parse.StringNode); ok {
						ids = append(ids, s.Text)
					}
				}
			}
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		}
	}
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			walk(tt.Tree.Root)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
