package content

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kb-mensenhandel/kb/search/edit"
	"gopkg.in/yaml.v3"
)

// MaxDescription is the longest meta description search engines show in full.
const MaxDescription = 160

// splitFrontMatter returns the YAML between the opening and closing "---"
// lines, and where the front matter ends. ok is false when the file does not
// start with "---".
func splitFrontMatter(src []byte) (yml []byte, end int, ok bool, err error) {
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	if string(bytes.TrimRight(first, "\r \t")) != "---" {
		return nil, 0, false, nil
	}
	off := len(first) + 1
	for len(rest) > 0 {
		line, next, found := bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(line, "\r \t")) == "---" {
			end := off + len(line)
			if found {
				end++
			}
			return src[len(first)+1 : off], end, true, nil
		}
		off += len(line) + 1
		rest = next
		if !found {
			break
		}
	}
	return nil, 0, true, fmt.Errorf("front matter has no closing --- line; add a line with only --- after the last field")
}

// blank overwrites src[:end] with spaces, keeping its newlines, so that the
// Markdown parser sees blank lines there and every byte of the body keeps its
// offset and line in the file (the idea of go.dev's parseMeta, without a copy).
func blank(src []byte, end int) {
	for i := range src[:end] {
		if src[i] != '\n' {
			src[i] = ' '
		}
	}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// fieldParsers decode one front matter key each, with messages an editor can act on.
// The order here is the order in which "allowed fields" are listed.
var fieldNames = []string{"title", "linkTitle", "description", "translationKey", "translationOf", "slug", "weight", "type", "sources", "reviewed", "draft", "pendingLegislation", "pendingChange", "stateOf", "definition", "aliases", "answers", "searchTerms", "nativeReviewed"}

// MaxLinkTitle is the longest short title of a page in the menu: a word or two.
const MaxLinkTitle = 24

// MaxSearchTermWords is the most words a search term may have: search reads
// no more of a query (search.MaxWords).
const MaxSearchTermWords = 8

// notWordChar splits text into words, as search does.
func notWordChar(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// MaxDefinition is the longest one-sentence definition of a glossary term.
const MaxDefinition = 250

// parseMeta decodes the front matter strictly. yml starts on file line 2.
// It reports every problem it finds, not just the first, and returns the line
// of each field, for later checks.
func parseMeta(yml []byte, file string, errs *ErrorList) (Meta, map[string]int) {
	const lineOffset = 1 // the opening --- is line 1
	var m Meta
	var doc yaml.Node
	if err := yaml.Unmarshal(yml, &doc); err != nil {
		line, msg := 1, err.Error()
		if sub := yamlLine.FindStringSubmatch(msg); sub != nil {
			n, _ := strconv.Atoi(sub[1])
			line, msg = n+lineOffset, sub[2]
		}
		errs.add(file, line, "front matter is not valid YAML (%s); check indentation, and put quotes around a value that contains a colon", strings.TrimPrefix(msg, "yaml: "))
		return m, nil
	}
	if len(doc.Content) == 0 {
		errs.add(file, 1, "front matter is empty; add at least title, description, type and reviewed")
		return m, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		errs.add(file, root.Line+lineOffset, "front matter must be a list of fields written as name: value")
		return m, nil
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		line := k.Line + lineOffset
		if prev, dup := seen[k.Value]; dup {
			errs.add(file, line, "field %s is also on line %d; keep one of them", k.Value, prev)
			continue
		}
		seen[k.Value] = line
		bad := func(format string, args ...any) {
			errs.add(file, v.Line+lineOffset, "field %s: "+format, append([]any{k.Value}, args...)...)
		}
		switch k.Value {
		case "title":
			m.Title = scalarText(v, bad)
		case "linkTitle":
			m.LinkTitle = scalarText(v, bad)
			if n := len([]rune(m.LinkTitle)); n > MaxLinkTitle {
				bad("is %d characters; a link title is a short name for the menu and breadcrumbs, at most %d", n, MaxLinkTitle)
			}
		case "description":
			m.Description = scalarText(v, bad)
			if n := len([]rune(m.Description)); n > MaxDescription {
				bad("is %d characters; shorten it to at most %d, search engines cut off the rest", n, MaxDescription)
			}
		case "translationKey":
			m.TranslationKey = scalarText(v, bad)
		case "translationOf":
			m.TranslationOf = scalarText(v, bad)
			if m.TranslationOf != "" && !validTranslationOf(m.TranslationOf) {
				bad("%q is not a language and a version code such as nl:3f2a9c1b0d4e; kb check -fix-drift %s writes it for you", m.TranslationOf, file)
			}
		case "slug":
			m.Slug = scalarText(v, bad)
			if m.Slug != "" && !validSlug(m.Slug) {
				bad("%q may hold only lower-case letters, digits and dashes, such as reflection-period", m.Slug)
			}
		case "weight":
			if n, err := strconv.Atoi(v.Value); v.Kind != yaml.ScalarNode || err != nil {
				bad("must be a whole number, such as 10")
			} else {
				m.Weight = n
			}
		case "type":
			m.Type = scalarText(v, bad)
			if m.Type != "" && !slices.Contains(pageTypes, m.Type) {
				bad("%q is not a page type; use one of: %s", m.Type, strings.Join(pageTypes, ", "))
			}
		case "sources":
			m.Sources = sources(v, file, errs)
		case "reviewed":
			m.Reviewed = date(v, bad)
		case "draft":
			m.Draft = boolean(v, bad)
		case "pendingLegislation":
			m.PendingLegislation = boolean(v, bad)
		case "pendingChange":
			m.PendingChange = scalarText(v, bad)
		case "stateOf":
			m.StateOf = date(v, bad)
		case "nativeReviewed":
			m.NativeReviewed = date(v, bad)
		case "definition":
			m.Definition = scalarText(v, bad)
			if n := len([]rune(m.Definition)); n > MaxDefinition {
				bad("is %d characters; a definition is one sentence of at most %d, the page explains the rest", n, MaxDefinition)
			}
		case "aliases":
			m.Aliases = textList(v, bad)
		case "answers":
			m.Answers = answers(v, file, errs)
		case "searchTerms":
			m.SearchTerms = textList(v, bad)
			for _, term := range m.SearchTerms {
				if n := len(strings.FieldsFunc(term, notWordChar)); n > MaxSearchTermWords {
					bad("search term %q has %d words; search reads only the first %d of a query, so give at most %d", term, n, MaxSearchTermWords, MaxSearchTermWords)
				}
			}
		default:
			hint := ""
			if near := closest(k.Value, fieldNames); near != "" {
				hint = fmt.Sprintf("did you mean %q? ", near)
			}
			errs.add(file, line, "unknown front matter field %q; %sallowed fields are %s", k.Value, hint, strings.Join(fieldNames, ", "))
		}
	}
	for _, name := range []string{"title", "description", "type", "reviewed"} {
		if _, ok := seen[name]; !ok {
			errs.add(file, 1, "front matter has no %s; add a line %s", name, example(name))
		}
	}
	if line, ok := seen["searchTerms"]; ok && (m.Type == TypeStep || m.Type == TypeResult) {
		errs.add(file, line, "field searchTerms: search finds a decision aid by its start, not its %ss; move the terms to the aid's index.md", m.Type)
	}
	if line, ok := seen["answers"]; ok && m.Type != TypeAid && m.Type != TypeStep {
		errs.add(file, line, "field answers is only for the start and the steps of a decision aid (type: aid or type: step); remove it or change the type")
	}
	if _, ok := seen["answers"]; !ok && (m.Type == TypeAid || m.Type == TypeStep) {
		who := "a step"
		if m.Type == TypeAid {
			who = "the start of a decision aid"
		}
		errs.add(file, 1, "front matter has no answers; %s needs them: add answers: with an item - label: … and next: <file of the step or result>.md", who)
	}
	if m.Type != TypeGlossary {
		for _, name := range []string{"definition", "aliases"} {
			if line, ok := seen[name]; ok {
				errs.add(file, line, "field %s is only for glossary entries (type: glossary); remove it or change the type", name)
			}
		}
	} else if _, ok := seen["definition"]; !ok {
		errs.add(file, 1, "front matter has no definition; a glossary entry needs one: add definition: <the term explained in one sentence>")
	}
	if _, ok := seen["sources"]; !ok && (m.Type == TypePage || m.Type == TypeGlossary || m.Type == TypeFAQ || m.Type == TypeCard || m.Type == TypeResult) {
		errs.add(file, 1, "front matter has no sources; a %s needs at least one: add sources: with an item - title: ... and url: https://...", m.Type)
	}
	return m, seen
}

func example(field string) string {
	switch field {
	case "title":
		return "title: <the page title>"
	case "description":
		return "description: <one sentence of at most 160 characters>"
	case "type":
		return "type: page (or " + strings.Join(pageTypes, ", ") + ")"
	case "reviewed":
		return "reviewed: " + "YYYY-MM-DD, the date you checked the facts"
	}
	return field + ": ..."
}

func scalarText(v *yaml.Node, bad func(string, ...any)) string {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		bad("must be text on the same line")
		return ""
	}
	s := strings.TrimSpace(v.Value)
	if s == "" {
		bad("is empty; write the text after the colon")
	}
	checkInvisible(s, bad)
	return s
}

// checkInvisible reports characters that change how text reads without being
// seen: a bidi override (U+202E) can make a title show other words than it
// has, a zero-width space hide a word from search. Titles, descriptions,
// definitions and aliases are shown in lists, results and search engines.
func checkInvisible(s string, bad func(string, ...any)) {
	for _, r := range s {
		switch {
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200B, r == 0x2060, r == 0xFEFF:
			bad("has the invisible character %U, which can make the text read otherwise than it is; delete it (retype the text around it)", r)
			return
		}
	}
}

// textList decodes a list of short texts, such as aliases: [mensenhandelaar, uitbuiter].
func textList(v *yaml.Node, bad func(string, ...any)) []string {
	if v.Kind != yaml.SequenceNode {
		bad("must be a list, such as [first, second], or one item per line starting with -")
		return nil
	}
	var out []string
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode || strings.TrimSpace(item.Value) == "" {
			bad("each item must be a non-empty text")
			continue
		}
		checkInvisible(item.Value, bad)
		out = append(out, strings.TrimSpace(item.Value))
	}
	return out
}

func date(v *yaml.Node, bad func(string, ...any)) time.Time {
	t, err := time.Parse(time.DateOnly, v.Value)
	if v.Kind != yaml.ScalarNode || err != nil {
		bad("must be a date written as YYYY-MM-DD, such as 2026-11-23")
	}
	return t
}

func boolean(v *yaml.Node, bad func(string, ...any)) bool {
	switch {
	case v.Kind == yaml.ScalarNode && v.Value == "true":
		return true
	case v.Kind == yaml.ScalarNode && v.Value == "false":
		return false
	}
	bad("must be true or false")
	return false
}

// answers decodes the answers of a step: a list of label and next.
func answers(v *yaml.Node, file string, errs *ErrorList) []Answer {
	if v.Kind != yaml.SequenceNode {
		errs.add(file, v.Line+1, "field answers: must be a list; write each answer as - label: ... with next: <file>.md on the next line")
		return nil
	}
	var out []Answer
	for _, item := range v.Content {
		line := item.Line + 1
		if item.Kind != yaml.MappingNode {
			errs.add(file, line, "field answers: each answer needs label: and next: on their own lines")
			continue
		}
		a := Answer{line: line}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, val := item.Content[i], item.Content[i+1]
			switch k.Value {
			case "label":
				a.Label = strings.TrimSpace(val.Value)
				checkInvisible(a.Label, func(format string, args ...any) { errs.add(file, k.Line+1, "field answers: label "+format, args...) })
			case "next":
				a.Next = strings.TrimSpace(val.Value)
			default:
				errs.add(file, k.Line+1, "field answers: unknown key %q; an answer has only label and next", k.Value)
			}
		}
		switch {
		case a.Label == "":
			errs.add(file, line, "field answers: an answer has no label; add label: <what the reader chooses>")
		case a.Next == "":
			errs.add(file, line, "field answers: answer %q has no next; add next: <file of the step or result it leads to>.md", a.Label)
		case !strings.HasSuffix(a.Next, ".md") || strings.Contains(a.Next, "/"):
			errs.add(file, line, "field answers: answer %q: next %q must name a file in the same folder, such as grens.md", a.Label, a.Next)
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		errs.add(file, v.Line+1, "field answers: the list is empty; add at least one answer")
	}
	return out
}

func sources(v *yaml.Node, file string, errs *ErrorList) []Source {
	if v.Kind != yaml.SequenceNode {
		errs.add(file, v.Line+1, "field sources: must be a list; write each source as - title: ... with url: https://... on the next line")
		return nil
	}
	var out []Source
	for _, item := range v.Content {
		line := item.Line + 1
		if item.Kind != yaml.MappingNode {
			errs.add(file, line, "field sources: each item needs title: and url: on their own lines")
			continue
		}
		var s Source
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, val := item.Content[i], item.Content[i+1]
			switch k.Value {
			case "title":
				s.Title = strings.TrimSpace(val.Value)
			case "url":
				s.URL = strings.TrimSpace(val.Value)
			default:
				errs.add(file, k.Line+1, "field sources: unknown key %q; a source has only title and url", k.Value)
			}
		}
		if s.Title == "" {
			errs.add(file, line, "field sources: a source has no title; add title: <name of the document>")
		}
		if s.URL == "" {
			errs.add(file, line, "field sources: source %q has no url; add url: https://...", s.Title)
		}
		s.line = line
		out = append(out, s)
	}
	if len(out) == 0 {
		errs.add(file, v.Line+1, "field sources: the list is empty; add at least one source")
	}
	return out
}

func validSlug(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') {
			return false
		}
	}
	return !strings.HasPrefix(s, "-") && !strings.HasSuffix(s, "-")
}

// closest returns the candidate within edit distance 2 of s, ignoring case, if any.
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := edit.Distance(strings.ToLower(s), strings.ToLower(c), bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
