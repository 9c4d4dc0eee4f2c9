package content

import (
	"path"
	"regexp"
	"strings"
)

// Decision aids. A decision aid is a folder whose index.md has type: aid: its
// start. Each other page in it is a step (a question, type: step) or a result
// (type: result). The start and every step list their answers in the front
// matter, each leading to a step or a result of the same folder:
//
//	answers:
//	  - label: Ja
//	    next: grens.md
//
// The checks prove the tree: every answer leads to a step or result that
// exists; no path comes back to a step it passed (every path ends); every
// step and result can be reached from the start; every step links the
// glossary for its terms; every result names its sources and a contact (a tel: link, or a link to the contacts page); every
// language has the same tree, answer for answer. A path of more than
// maxAidSteps questions gets a warning: the aid is for a few minutes.

const maxAidSteps = 8

// linkToPage finds the .md files a body links to.
var linkToPage = regexp.MustCompile(`\]\(\s*<?([^)\s>#]+\.md)(#[^)\s>]*)?>?\s*\)`)

// checkAids checks every decision aid, and sets each answer's Target.
func checkAids(pages []*Page, opt Options, broken map[*Page]bool, errs *ErrorList) {
	byLang := map[string]map[string]*Page{}
	for _, p := range pages {
		if byLang[p.Lang] == nil {
			byLang[p.Lang] = map[string]*Page{}
		}
		byLang[p.Lang][p.Path] = p
	}
	for _, p := range pages {
		if broken[p] {
			continue
		}
		if (p.Type == TypeStep || p.Type == TypeResult) && (p.Parent == nil || p.Parent.Type != TypeAid) {
			errs.add(p.File, p.lines["type"], "field type: a %s belongs in the folder of a decision aid, whose index.md has type: aid; move it there or change its type", p.Type)
		}
		for i := range p.Answers {
			a := &p.Answers[i]
			target := byLang[p.Lang][path.Join(path.Dir(p.Path), a.Next)]
			switch {
			case a.Next == "" || strings.Contains(a.Next, "/"):
				// reported with the front matter
			case target == nil:
				errs.add(p.File, a.line, "field answers: answer %q leads to %s, which does not exist; write the file of a step or result in this folder", a.Label, a.Next)
			case target.Type != TypeStep && target.Type != TypeResult:
				errs.add(p.File, a.line, "field answers: answer %q leads to %s, which is a %s; an answer leads to a step or a result", a.Label, a.Next, target.Type)
			default:
				a.Target = target
			}
		}
		if p.Type == TypeStep && len(p.Answers) == 1 {
			errs.add(p.File, p.lines["answers"], "field answers: a step with one answer asks nothing; give it two or more, or make the page a result")
		}
	}
	for _, p := range pages {
		if p.Type == TypeAid && !broken[p] {
			checkAid(p, byLang[p.Lang], broken, errs)
			if src := p.Translations[opt.Langs[0]]; src != nil && src.Lang != p.Lang {
				checkSameAid(p, src, byLang[p.Lang], byLang[src.Lang], errs)
			}
		}
	}
}

// checkAid walks the aid from its start: no answer may lead back to a step
// on its own path, every step and result is reached, and paths stay short.
func checkAid(aid *Page, byPath map[string]*Page, broken map[*Page]bool, errs *ErrorList) {
	reached := map[*Page]bool{aid: true}
	onPath := map[*Page]bool{}
	longest := 0
	var walk func(p *Page, depth int)
	walk = func(p *Page, depth int) {
		onPath[p] = true
		defer delete(onPath, p)
		if p.Type == TypeStep && depth > longest {
			longest = depth // the questions asked on the way, this one included
		}
		for _, a := range p.Answers {
			t := a.Target
			switch {
			case t == nil:
			case onPath[t]:
				errs.add(p.File, a.line, "field answers: answer %q leads back to %s, which comes before it: a reader could go round for ever; let the answer lead further on", a.Label, t.File)
			default:
				reached[t] = true
				walk(t, depth+1)
			}
		}
	}
	walk(aid, 0)
	if longest > maxAidSteps {
		errs.warn(aid.File, 1, "a path through this decision aid asks %d questions; keep every path at %d or fewer, it is for a few minutes", longest, maxAidSteps)
	}
	for _, c := range aid.Children {
		if !reached[c] && !broken[c] && (c.Type == TypeStep || c.Type == TypeResult) {
			errs.add(c.File, 1, "no answer leads to this %s: a reader of the decision aid can never get here; add an answer that leads to %s, or remove it", c.Type, path.Base(c.Path))
		}
		if c.Type == TypeStep && !broken[c] && !linksTo(c, byPath, TypeGlossary) {
			errs.add(c.File, 1, "this step links no glossary entry: link the terms its question asks about, such as [werving](../begrippen/werving.md), so a reader can look them up")
		}
		if c.Type == TypeResult && !broken[c] && !hasContact(c, byPath) {
			errs.add(c.File, 1, "this result names no contact: say whom to call or where to go, with a number from the contacts page as a tel: link, or a link to that page")
		}
	}
}

// hasContact reports whether the body of p links a phone number or the contacts page.
func hasContact(p *Page, byPath map[string]*Page) bool {
	if p.src == nil {
		return true // reported with the front matter
	}
	return telLink.Match(p.src[p.bodyStart:]) || linksTo(p, byPath, TypeContacts)
}

// linksTo reports whether the body of p links a page of type typ.
func linksTo(p *Page, byPath map[string]*Page, typ string) bool {
	if p.src == nil {
		return true // reported with the front matter
	}
	for _, m := range linkToPage.FindAllSubmatch(p.src[p.bodyStart:], -1) {
		if t := byPath[path.Join(path.Dir(p.Path), string(m[1]))]; t != nil && t.Type == typ {
			return true
		}
	}
	return false
}

// checkSameAid compares a translated aid with its source, page by page and
// answer by answer: both languages must have the same tree.
func checkSameAid(aid, src *Page, own, theirs map[string]*Page, errs *ErrorList) {
	seen := map[string]bool{}
	var compare func(p, q *Page)
	compare = func(p, q *Page) {
		if seen[p.Path] {
			return
		}
		seen[p.Path] = true
		if p.Type != q.Type {
			errs.add(p.File, p.lines["type"], "this is a %s; in %s it is a %s: both languages need the same decision aid", p.Type, q.File, q.Type)
			return
		}
		if len(p.Answers) != len(q.Answers) {
			errs.add(p.File, p.lines["answers"], "field answers: %d answers; %s has %d: both languages need the same answers, in the same order", len(p.Answers), q.File, len(q.Answers))
			return
		}
		for i, a := range p.Answers {
			b := q.Answers[i]
			if a.Next != b.Next {
				errs.add(p.File, a.line, "field answers: answer %d (%q) leads to %s; in %s it leads to %s: both languages need the same tree", i+1, a.Label, a.Next, q.File, b.Next)
				continue
			}
			if a.Target != nil && b.Target != nil {
				compare(a.Target, b.Target)
			}
		}
	}
	compare(aid, src)
	for _, c := range src.Children {
		if (c.Type == TypeStep || c.Type == TypeResult) && own[c.Path] == nil {
			errs.add(aid.File, 1, "%s has no translation here: add %s, so that both languages have the same decision aid", c.File, path.Join(path.Dir(aid.File), path.Base(c.Path)))
		}
	}
}

// AidPages returns the steps and results of the decision aid that starts at
// start, in the order a reader meets them, answer by answer (breadth first):
// the order in which the printed overview numbers them. It follows Target, so
// it sees only what the checks linked.
func AidPages(start *Page) (steps, results []*Page) {
	seen := map[*Page]bool{start: true}
	queue := []*Page{start}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, a := range p.Answers {
			t := a.Target
			if t == nil || seen[t] {
				continue
			}
			seen[t] = true
			if t.Type == TypeResult {
				results = append(results, t)
			} else {
				steps = append(steps, t)
				queue = append(queue, t)
			}
		}
	}
	return steps, results
}
