package site

import (
	"fmt"
	"slices"

	"github.com/kb-mensenhandel/kb/cmd/internal/content"
)

// A decision aid is made of plain pages: the start, one page per step (a
// question whose answers are links) and one per result. Nothing depends on
// JavaScript or on where the reader came from, so each step can only link
// back to every step that leads to it. The start page also shows the whole
// aid as numbered steps, each answer saying which step or result comes next:
// the overview a reader prints.

// aidView is what an aid's start, step or result page shows besides its body.
type aidView struct {
	Start   *content.Page
	Answers []aidAnswer     // this page's answers
	Back    []*content.Page // the start or the steps with an answer that leads here
	Steps   []aidStep       // on the start page: every step, numbered
	Results []aidResult     // on the start page: every result, lettered
}

type aidAnswer struct {
	Label string
	URL   string
	Step  int    // in the overview: the number of the step it leads to, 0 for a result
	Mark  string // in the overview: the anchor of that step or result
	Next  string // in the overview: "step 3" or "result B"
}

type aidStep struct {
	Number  int
	Mark    string
	Page    *content.Page
	Answers []aidAnswer
}

type aidResult struct {
	Letter string
	Mark   string
	Page   *content.Page
}

// aids is what every page of the build's decision aids needs of the others.
type aids struct {
	back  map[*content.Page][]*content.Page // page → the pages with an answer leading to it
	start map[*content.Page]*aidView        // start page → its overview
	marks map[*content.Page]aidAnswer       // step or result → where the overview shows it
}

func (s *Site) newAids(pages []*content.Page) (*aids, error) {
	a := &aids{back: map[*content.Page][]*content.Page{}, start: map[*content.Page]*aidView{}, marks: map[*content.Page]aidAnswer{}}
	for _, p := range pages {
		for _, ans := range p.Answers {
			if t := ans.Target; t != nil && !slices.Contains(a.back[t], p) {
				a.back[t] = append(a.back[t], p)
			}
		}
	}
	for _, p := range pages {
		if p.Type != content.TypeAid {
			continue
		}
		steps, results := content.AidPages(p)
		v := &aidView{Start: p}
		for i, st := range steps {
			next, err := s.T(p.Lang, "aid.to-step", map[string]any{"Number": i + 1})
			if err != nil {
				return nil, err
			}
			mark := fmt.Sprintf("kb-aid-step-%d", i+1)
			a.marks[st] = aidAnswer{Step: i + 1, Mark: mark, Next: next}
			v.Steps = append(v.Steps, aidStep{Number: i + 1, Mark: mark, Page: st})
		}
		for i, r := range results {
			letter := string(rune('A' + i%26))
			next, err := s.T(p.Lang, "aid.to-result", map[string]any{"Letter": letter})
			if err != nil {
				return nil, err
			}
			mark := "kb-aid-result-" + letter
			a.marks[r] = aidAnswer{Mark: mark, Next: next}
			v.Results = append(v.Results, aidResult{Letter: letter, Mark: mark, Page: r})
		}
		for i := range v.Steps {
			v.Steps[i].Answers = a.answers(v.Steps[i].Page)
		}
		a.start[p] = v
	}
	return a, nil
}

// answers are p's answers as links, with where the overview shows their targets.
func (a *aids) answers(p *content.Page) []aidAnswer {
	var list []aidAnswer
	for _, ans := range p.Answers {
		if ans.Target == nil {
			continue // the checks reported it
		}
		v := a.marks[ans.Target]
		v.Label, v.URL = ans.Label, ans.Target.URL
		list = append(list, v)
	}
	return list
}

// view is what page p shows of its aid; nil when p is not part of one.
func (a *aids) view(p *content.Page) *aidView {
	switch p.Type {
	case content.TypeAid:
		if a.start[p] == nil {
			return nil
		}
		v := *a.start[p]
		v.Answers = a.answers(p)
		return &v
	case content.TypeStep, content.TypeResult:
		return &aidView{Start: p.Parent, Answers: a.answers(p), Back: a.back[p]}
	}
	return nil
}
