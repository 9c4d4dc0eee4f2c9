package search

import (
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

const snippetLen = 220 // bytes of text around the matches

// matches finds the words of text that match the query's stems: a word that
// starts with a stem (stems are how words begin: uitbuit, uitbuiting), a
// compound that contains a stem of five letters or more. The index keeps no positions for
// body text, so the few texts shown are scanned here; a scan of folded words is
// far cheaper than running the analyzer again.
func matches(text string, stems []string) []*bsearch.Location {
	if len(stems) == 0 {
		return nil
	}
	var out []*bsearch.Location
	start := -1
	for i, r := range text + " " {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start < 0 {
			continue
		}
		word := fold(text[start:i])
		for _, s := range stems {
			if strings.HasPrefix(word, s) || len(s) >= 5 && strings.Contains(word, s) {
				out = append(out, &bsearch.Location{Start: uint64(start), End: uint64(i)})
				break
			}
		}
		start = -1
	}
	return out
}

// snippet cuts the part of text with the most matches, escapes it, and marks
// the matched words. Its only tags are <mark> and </mark>.
func snippet(text string, locs []*bsearch.Location) string {
	sort.Slice(locs, func(i, j int) bool { return locs[i].Start < locs[j].Start })
	// The window of snippetLen bytes with the most matches.
	start, best := 0, 0
	for i, j := 0, 0; i < len(locs); i++ {
		for j < len(locs) && locs[j].End <= locs[i].Start+snippetLen {
			j++
		}
		if j-i > best {
			best, start = j-i, int(locs[i].Start)
		}
	}
	if len(locs) > 0 {
		start = max(0, start-40) // some words before the first match
	}
	start = wordStart(text, start)
	end := wordEnd(text, min(len(text), start+snippetLen))

	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	pos := start
	for _, l := range locs {
		s, e := int(l.Start), int(l.End)
		if s < pos || e > end || s >= e {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:s]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s:e]))
		b.WriteString("</mark>")
		pos = e
	}
	b.WriteString(html.EscapeString(text[pos:end]))
	if end < len(text) {
		b.WriteString(" …")
	}
	return strings.TrimSpace(b.String())
}

// wordStart moves i back to the start of the word it is in.
func wordStart(s string, i int) int {
	i = min(i, len(s))
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	for i > 0 && s[i-1] != ' ' && s[i-1] != '\n' {
		i--
	}
	return i
}

// wordEnd moves i forward to the end of the word it is in.
func wordEnd(s string, i int) int {
	for i < len(s) && s[i] != ' ' && s[i] != '\n' {
		i++
	}
	return i
}
