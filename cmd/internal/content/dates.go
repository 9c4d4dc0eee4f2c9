package content

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Dates in the text. A page about a law that is changing dates quickly: a
// deadline written as still to come ("moet vóór 15 juli 2026 omzetten") turns
// false on that day without anyone editing the page. checkTense warns about
// such sentences; the contacts page needs dates too (contacts.go).

// A sentence speaks of a date as a deadline still to come when a deadline
// word stands right before the date (Words.Deadline) and a verb that looks
// ahead (Words.Future) in the same clause. Both are needed, so that "sinds 18
// mei 2023 moet …" (a rule in force) and "het besluit van 20 oktober 2022"
// pass. A language whose Words have neither is not checked.

// A textDate is a date written in a page's text.
type textDate struct {
	t          time.Time
	start, end int // byte offsets in the text searched
}

// dateFinder finds dates written as 15 juli 2026 (with the language's month
// names, any case) or as 2026-07-15.
type dateFinder struct {
	re     *regexp.Regexp
	months map[string]time.Month
}

var isoDate = `(\d{4})-(\d{2})-(\d{2})`

func newDateFinder(months []string) *dateFinder {
	f := &dateFinder{months: map[string]time.Month{}}
	var alts []string
	for i, m := range months {
		f.months[strings.ToLower(m)] = time.Month(i + 1)
		alts = append(alts, regexp.QuoteMeta(m))
	}
	pattern := `\b` + isoDate + `\b`
	if len(alts) > 0 {
		pattern = `(?i)\b(?:(\d{1,2})\s+(` + strings.Join(alts, "|") + `)\s+(\d{4})|` + isoDate + `)\b`
	}
	f.re = regexp.MustCompile(pattern)
	return f
}

func (f *dateFinder) find(text []byte) []textDate {
	var out []textDate
	for _, m := range f.re.FindAllSubmatchIndex(text, -1) {
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return string(text[m[2*i]:m[2*i+1]])
		}
		var t time.Time
		var err error
		if len(f.months) > 0 && g(1) != "" {
			t, err = time.Parse("2 1 2006", g(1)+" "+itoa(int(f.months[strings.ToLower(g(2))]))+" "+g(3))
		} else {
			n := 4 // the ISO groups come after the three of the written date
			if len(f.months) == 0 {
				n = 1
			}
			t, err = time.Parse(time.DateOnly, g(n)+"-"+g(n+1)+"-"+g(n+2))
		}
		if err == nil {
			out = append(out, textDate{t, m[0], m[1]})
		}
	}
	return out
}

// checkTense warns about a sentence that speaks of a date before today as a
// deadline still to come.
func checkTense(p *Page, today time.Time, dates *dateFinder, words Words, errs *ErrorList) {
	if len(words.Deadline) == 0 || len(words.Future) == 0 || len(words.Months) == 0 || p.src == nil {
		return
	}
	body := p.src[p.bodyStart:]
	for _, s := range sentences(body) {
		text := body[s.start:s.end]
		lower := strings.ToLower(string(text))
		for _, d := range dates.find(text) {
			if !d.t.Before(today) {
				continue
			}
			before := lastWord(lower[:d.start])
			clause := lower[clauseStart(lower, d.start):clauseEnd(lower, d.end)]
			verb := ""
			for _, v := range words.Future {
				if containsWord(clause, v) {
					verb = v
					break
				}
			}
			if verb == "" || !slices.Contains(words.Deadline, before) {
				continue
			}
			written := string(text[d.start:d.end])
			errs.warn(p.File, lineAt(p.src, p.bodyStart+s.start), "%s has passed, but the sentence speaks of it as still to come (%q … %q); say what happened, or what the source said and when, such as \"the deadline was %s\"", written, verb, before+" "+written, written)
		}
	}
}

// clauseMarks end a clause: the verb that makes a date a deadline stands in
// the date's own clause ("it will start on 1 July, the minister said on 1 June").
const clauseMarks = ",;:()"

func clauseStart(s string, i int) int { return strings.LastIndexAny(s[:i], clauseMarks) + 1 }

func clauseEnd(s string, i int) int {
	if j := strings.IndexAny(s[i:], clauseMarks); j >= 0 {
		return i + j
	}
	return len(s)
}

// A span is a sentence: byte offsets in the text it was found in.
type span struct{ start, end int }

// sentences splits Markdown into sentences: at . ! ? followed by a space or a
// line end, at blank lines, and before lines that start a list item, heading
// or table row. Markup stays in; it is enough for finding words near dates.
func sentences(text []byte) []span {
	var out []span
	start := 0
	cut := func(end int) {
		if strings.TrimSpace(string(text[start:end])) != "" {
			out = append(out, span{start, end})
		}
		start = end
	}
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '.' || c == '!' || c == '?':
			if i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n' {
				cut(i + 1)
			}
		case c == '\n':
			rest := strings.TrimLeft(string(text[i+1:min(len(text), i+8)]), " \t")
			if rest == "" || rest[0] == '\n' || rest[0] == '#' || rest[0] == '-' || rest[0] == '*' || rest[0] == '|' || rest[0] == '>' || (rest[0] >= '0' && rest[0] <= '9' && strings.Contains(rest[:min(len(rest), 4)], ".")) {
				cut(i + 1)
			}
		}
	}
	cut(len(text))
	return out
}

// lastWord is the last word of s, without the punctuation around it.
func lastWord(s string) string {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return ""
	}
	return strings.Trim(fields[len(fields)-1], "*_()[],;:\"'“”")
}

// containsWord reports whether s holds w (one or more words) between word boundaries.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isLetterByte(s[j-1])
		after := j+len(w) == len(s) || !isLetterByte(s[j+len(w)])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isLetterByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}
