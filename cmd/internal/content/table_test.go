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

// TestTableHeaders: the first cell of each body row is a row header, the
// header row's cells are column headers (an empty corner stays a td), data
// cells carry their column's header for the stacked layout, and a table of
// three columns or more may be stacked.
func TestTableHeaders(t *testing.T) {
	src := "| | Mensenhandel | Mensensmokkel |\n|---|---|:-:|\n| Grens over? | Niet *nodig* | Ja |\n"
	var b bytes.Buffer
	ctx := parser.NewContext(parser.WithIDs(headingIDs{}))
	if err := markdown.Convert([]byte(src), &b, parser.WithContext(ctx)); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		`<div class="kb-table kb-table--stack" role="region"`,
		"<thead>\n<tr>\n<td></td>\n<th scope=\"col\">Mensenhandel</th>\n<th class=\"kb-align-center\" scope=\"col\">Mensensmokkel</th>\n</tr>",
		"<tr>\n<th scope=\"row\">Grens over?</th>\n<td data-label=\"Mensenhandel\">Niet <em>nodig</em></td>\n<td class=\"kb-align-center\" data-label=\"Mensensmokkel\">Ja</td>\n</tr>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("renders as\n%s\nwant it to contain\n%s", got, want)
		}
	}
	if strings.Contains(got, "style=") {
		t.Errorf("a style attribute, which the CSP blocks: %s", got)
	}
}
