package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	keys "github.com/chromedp/chromedp/kb"

	"github.com/kb-mensenhandel/kb/cmd/internal/build"
	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

// The decision aid of issue 15: a few minutes, five to eight questions on any path.
const (
	aidMinSteps = 5
	aidMaxSteps = 8
	aidSheets   = 2 // the start page prints the whole aid on this many A4 sheets at most ("aid.map-text" promises it)
)

// aidPaths returns every path from start to a result: the pages after the
// start. Answers that lead to the same page make one path (the browser test
// checks every answer's link on each page it passes).
func aidPaths(start *content.Page) [][]*content.Page {
	var paths [][]*content.Page
	var walk func(p *content.Page, path []*content.Page)
	walk = func(p *content.Page, path []*content.Page) {
		if p.Type == content.TypeResult {
			paths = append(paths, slices.Clone(path))
			return
		}
		var next []*content.Page // answers that lead to the same page make one path
		for _, a := range p.Answers {
			if a.Target != nil && !slices.Contains(next, a.Target) && len(path) <= 2*aidMaxSteps { // a cycle would be a kb check error; stop anyway
				next = append(next, a.Target)
				walk(a.Target, append(path, a.Target))
			}
		}
	}
	walk(start, nil)
	return paths
}

// realAids loads the real content and returns its decision aids by language.
func realAids(t *testing.T) map[string]*content.Page {
	t.Helper()
	s, err := site.New(theme.FS())
	if err != nil {
		t.Fatal(err)
	}
	res, err := build.Load(s, os.DirFS("../../content"), config{content: "../../content", now: nowFor(t, "../../content")}.buildConfig())
	if err != nil {
		t.Fatal(err)
	}
	aids := map[string]*content.Page{}
	for _, p := range res.Set.Pages {
		if p.Type == content.TypeAid {
			if aids[p.Lang] != nil {
				t.Errorf("%s: a second decision aid in %s; this test knows one per language", p.File, p.Lang)
			}
			aids[p.Lang] = p
		}
	}
	return aids
}

// TestRealDecisionAid walks every path of the real decision aid in every
// language: each ends at a result, after five to eight questions, and both
// languages have the same paths, file for file and answer for answer. kb
// check proves the tree for any aid; this holds the real one to the issue.
func TestRealDecisionAid(t *testing.T) {
	aids := realAids(t)
	trees := map[string][]string{}
	for _, l := range lang.All {
		aid := aids[l.Code]
		if aid == nil && l.Fallback != "" {
			continue // a partial language links the English aid
		}
		if aid == nil {
			t.Fatalf("the content has no decision aid (type: aid) in %s", l.Code)
		}
		paths := aidPaths(aid)
		if len(paths) < 4 {
			t.Errorf("%s: %d paths; a decision aid between trafficking, smuggling, both and neither has more", aid.File, len(paths))
		}
		results := map[*content.Page]bool{}
		for _, path := range paths {
			var files []string
			for _, p := range path {
				files = append(files, strings.TrimPrefix(p.Path, strings.TrimSuffix(aid.Path, "index.md")))
			}
			if q := len(path) - 1; q < aidMinSteps || q > aidMaxSteps {
				t.Errorf("%s: the path %v asks %d questions; every path asks %d to %d", aid.File, files, q, aidMinSteps, aidMaxSteps)
			}
			last := path[len(path)-1]
			results[last] = true
			if len(last.Sources) == 0 {
				t.Errorf("%s has no sources", last.File)
			}
			trees[l.Code] = append(trees[l.Code], strings.Join(files, " → "))
		}
		for _, c := range aid.Children {
			if c.Type == content.TypeResult && !results[c] {
				t.Errorf("%s: no path ends here", c.File)
			}
		}
		t.Logf("%s: %d paths to %d results", aid.File, len(paths), len(results))
	}
	def := lang.Default().Code
	for code, tree := range trees {
		if !slices.Equal(tree, trees[def]) {
			t.Errorf("the decision aid in %s has other paths than in %s:\n%s\n%s", code, def, strings.Join(tree, "\n"), strings.Join(trees[def], "\n"))
		}
	}
}

// testAid follows every path of the real decision aid in Chromium with the
// keyboard alone, from the start page to the result, answer by answer, and
// back one question from each result. It checks the overview on the start
// page against the pages (each answer there names the step the link leads
// to), and prints the start page: the whole aid on at most aidSheets A4 sheets.
func testAid(t *testing.T, browser context.Context, site *liveSite, artefacts string) {
	aids := realAids(t)
	for _, l := range lang.All {
		aid := aids[l.Code]
		if aid == nil && l.Fallback != "" {
			continue // a partial language links the English aid
		}
		if aid == nil {
			t.Fatalf("no decision aid in %s", l.Code)
		}
		t.Run("paths "+l.Code, func(t *testing.T) {
			tb := newTab(t, browser, site.origin)
			tb.do(t, viewport(mobileWidth))
			paths := aidPaths(aid)
			for _, path := range paths {
				tb.do(t, chromedp.Navigate(site.origin+aid.URL))
				at := aid
				for _, next := range path {
					// Every answer on the page, in order, links to the page the content says.
					type link struct{ Label, Path string }
					var want []link
					for _, a := range at.Answers {
						want = append(want, link{a.Label, a.Target.URL})
					}
					if got := eval[[]link](t, tb, `[...document.querySelectorAll("a.kb-aid__answer")].map(a => ({Label: a.textContent, Path: a.pathname}))`); !slices.Equal(got, want) {
						t.Errorf("%s: the answers are %v; want %v", at.URL, got, want)
					}
					label := "" // the first answer that leads there: the first link Tab reaches
					for _, a := range at.Answers {
						if a.Target == next {
							label = a.Label
							break
						}
					}
					// Into the page with the skip link, then Tab to the answer and press Enter.
					tb.do(t, press(keys.Tab), press(keys.Enter))
					f := tabTo(t, tb, func(f focused) bool {
						return strings.Contains(f.Class, "kb-aid__answer") && strings.HasSuffix(f.Href, next.URL)
					}, fmt.Sprintf("the answer %q on %s", label, at.URL))
					if !f.FocusVisible || f.Indicator == "" {
						t.Errorf("%s: the answer %q shows no focus", at.URL, label)
					}
					if !strings.Contains(f.Desc, label) {
						t.Errorf("%s: the link to %s says %s; want %q", at.URL, next.URL, f.Desc, label)
					}
					tb.do(t, press(keys.Enter))
					waitURL(t, tb, func(u string) bool { return u == site.origin+next.URL }, next.URL)
					if h1 := eval[string](t, tb, `document.querySelector("h1").textContent`); h1 != next.Title {
						t.Errorf("%s: the title is %q; want %q", next.URL, h1, next.Title)
					}
					at = next
				}
				if !eval[bool](t, tb, `!!document.querySelector(".kb-aid__not-a-verdict")`) {
					t.Errorf("%s: the result does not say that it is no verdict", at.URL)
				}
				// Back to the question that led here, with the keyboard.
				prev := aid
				if len(path) > 1 {
					prev = path[len(path)-2]
				}
				tb.do(t, press(keys.Tab), press(keys.Enter))
				tabTo(t, tb, func(f focused) bool { return strings.HasSuffix(f.Href, prev.URL) }, "the way back to "+prev.URL)
				if !eval[bool](t, tb, `!!document.activeElement.closest(".kb-aid__way-back")`) {
					t.Errorf("%s: the first link in the main part back to %s is not the way back", at.URL, prev.URL)
				}
				tb.do(t, press(keys.Enter))
				waitURL(t, tb, func(u string) bool { return u == site.origin+prev.URL }, prev.URL)
			}
			t.Logf("followed %d paths in %s", len(paths), l.Code)
		})

		t.Run("overview "+l.Code, func(t *testing.T) {
			tb := newTab(t, browser, site.origin)
			tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+aid.URL))
			type step struct {
				URL     string
				Answers []struct{ Label, To string } // To: the step's or result's URL
			}
			got := eval[[]step](t, tb, `[...document.querySelectorAll(".kb-aid-map__step")].map(li => ({
  URL: li.querySelector(".kb-aid-map__question a").pathname,
  Answers: [...li.querySelectorAll(".kb-aid-map__answers li")].map(a => ({
    Label: a.firstChild.textContent.trim(),
    To: document.getElementById(a.querySelector("a").hash.slice(1)).querySelector("a").pathname}))}))`)
			steps, _ := content.AidPages(aid)
			if len(got) != len(steps) {
				t.Fatalf("the overview shows %d steps; the aid has %d", len(got), len(steps))
			}
			for i, st := range steps {
				if got[i].URL != st.URL || len(got[i].Answers) != len(st.Answers) {
					t.Errorf("overview step %d: %s with %d answers; want %s with %d", i+1, got[i].URL, len(got[i].Answers), st.URL, len(st.Answers))
					continue
				}
				for j, a := range st.Answers {
					if g := got[i].Answers[j]; g.Label != a.Label || g.To != a.Target.URL {
						t.Errorf("overview step %d, answer %d: %q → %s; want %q → %s", i+1, j+1, g.Label, g.To, a.Label, a.Target.URL)
					}
				}
			}

			if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
				t.Fatal(err)
			}
			if hidden := eval[int](t, tb, `[...document.querySelectorAll(".kb-aid-map__step, .kb-aid-map__result")].filter(e => e.getClientRects().length === 0).length`); hidden > 0 {
				t.Errorf("%d steps or results of the overview are not printed", hidden)
			}
			prefer := true
			pdf, err := chromedp.Call(tb.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(artefacts, "print"+strings.ReplaceAll(strings.TrimSuffix(aid.URL, "/"), "/", "-")+".pdf")
			os.WriteFile(name, pdf.Data, 0o644)
			n := len(pdfPage.FindAll(pdf.Data, -1))
			if n > aidSheets {
				t.Errorf("%s prints on %d pages; the whole aid must fit %d A4 sheets (shorten its steps, or tighten the print rules for .kb-aid-map in theme/static/site.css); see %s", aid.URL, n, aidSheets, name)
			}
			t.Logf("%s prints on %d A4 pages: %s", aid.URL, n, name)
		})
	}
}
