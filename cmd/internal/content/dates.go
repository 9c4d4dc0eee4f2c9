package content

import (
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
// names, any case) or as 2026-07-15. It looks for years and reads back from
// them: a page has few, and that is much faster than a regular expression
// over every sentence.
type dateFinder struct {
	months map[string]time.Month // lower case
}

func newDateFinder(months []string) *dateFinder {
	f := &dateFinder{months: map[string]time.Month{}}
	for i, m := range months {
		f.months[strings.ToLower(m)] = time.Month(i + 1)
	}
	return f
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// number reads the digits of text[i:j]; ok is false when any is not a digit.
func number(text []byte, i, j int) (n int, ok bool) {
	if i < 0 || j > len(text) || i >= j {
		return 0, false
	}
	for _, c := range text[i:j] {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func (f *dateFinder) find(text []byte) []textDate {
	var out []textDate
	for i := 0; i+4 <= len(text); i++ {
		// A year: four digits, 1900 to 2099, not part of a longer number.
		if !(text[i] == '1' && text[i+1] == '9' || text[i] == '2' && text[i+1] == '0') || (i > 0 && isDigit(text[i-1])) {
			continue
		}
		year, ok := number(text, i, i+4)
		if !ok || i+4 < len(text) && isDigit(text[i+4]) {
			continue
		}
		// 2026-07-15
		if i+10 <= len(text) && text[i+4] == '-' && text[i+7] == '-' && (i+10 == len(text) || !isDigit(text[i+10])) {
			m, ok1 := number(text, i+5, i+7)
			d, ok2 := number(text, i+8, i+10)
			if ok1 && ok2 && validDate(year, m, d) {
				out = append(out, textDate{time.Date(year, time.Month(m), d, 0, 0, 0, 0, time.UTC), i, i + 10})
				i += 9
				continue
			}
		}
		// 15 juli 2026: back over spaces, the month, spaces, the day.
		j := i
		for j > 0 && text[j-1] == ' ' {
			j--
		}
		k := j
		for k > 0 && text[k-1] != ' ' && text[k-1] != '\n' {
			k--
		}
		if j == i || k == j {
			continue
		}
		month, ok := f.months[strings.ToLower(string(text[k:j]))]
		if !ok {
			continue
		}
		e := k
		for e > 0 && text[e-1] == ' ' {
			e--
		}
		b := e
		for b > 0 && e-b < 2 && isDigit(text[b-1]) {
			b--
		}
		day, ok := number(text, b, e)
		if !ok || e == k || (b > 0 && isDigit(text[b-1])) || !validDate(year, int(month), day) {
			continue
		}
		out = append(out, textDate{time.Date(year, month, day, 0, 0, 0, 0, time.UTC), b, i + 4})
		i += 3
	}
	return out
}

func validDate(y, m, d int) bool {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return m >= 1 && m <= 12 && d >= 1 && t.Day() == d
}

// checkTense warns about a sentence that speaks of a date before today as a
// deadline still to come.
func checkTense(p *Page, today time.Time, dates *dateFinder, words Words, errs *ErrorList) {
	if len(words.Deadline) == 0 || len(words.Future) == 0 || len(words.Months) == 0 || p.src == nil {
		return
	}
	body := p.src[p.bodyStart:]
	var past []textDate
	for _, d := range dates.find(body) {
		if d.t.Before(today) {
			past = append(past, d)
		}
	}
	if len(past) == 0 {
		return
	}
	for _, s := range sentences(body) {
		lower := ""
		for _, d := range past {
			if d.start < s.start || d.end > s.end {
				continue
			}
			if lower == "" {
				lower = strings.ToLower(string(body[s.start:s.end]))
			}
			start, end := d.start-s.start, d.end-s.start
			before := lastWord(lower[:start])
			clause := lower[clauseStart(lower, start):clauseEnd(lower, end)]
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
			written := string(body[d.start:d.end])
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
