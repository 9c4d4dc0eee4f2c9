package content

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark/parser"
)

// TestTableRegion: every table is wrapped in a focusable region named after
// the heading above it, or after its column headers when there is none.
func TestTableRegion(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"## De verschillen\n\nTekst.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
			`<div class="kb-table" role="region" tabindex="0" aria-labelledby="de-verschillen">` + "\n<table>"},
		{"| Wet | Straf & boete |\n|---|---|\n| 1 | 2 |\n",
			`<div class="kb-table" role="region" tabindex="0" aria-label="Wet, Straf &amp; boete">` + "\n<table>"},
		{"- lijst\n\n  | x | y |\n  |---|---|\n  | 1 | 2 |\n\n## Later\n",
			`<div class="kb-table" role="region" tabindex="0" aria-label="x, y">`},
	} {
		var b bytes.Buffer
		ctx := parser.NewContext(parser.WithIDs(headingIDs{}))
		if err := markdown.Convert([]byte(c.src), &b, parser.WithContext(ctx)); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		if !strings.Contains(got, c.want) || !strings.Contains(got, "</table>\n</div>") || strings.Count(got, "kb-table") != 1 {
			t.Errorf("%q renders as\n%s\nwant it to contain %s … </table></div>", c.src, got, c.want)
		}
	}
}
