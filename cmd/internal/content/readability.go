package content

import (
	"strings"

	"unicode"
	"unicode/utf8"

	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
)

// Plain language. The knowledge base is written for people who may be victims,
// often reading in their second or third language, so it aims at level B1 of
// the Common European Framework of Reference: the level the Dutch government
// asks of its public texts.
//
// A readability formula cannot measure B1, but it does find the pages whose
// sentences or words are much longer than the rest. Dutch uses Flesch-Douma,
// Douma's 1960 adaptation of Flesch for Dutch words, which are longer:
//
//	206.835 − 0.93 × words per sentence − 77.0 × syllables per word
//
// English uses Flesch reading ease:
//
//	206.835 − 1.015 × words per sentence − 84.6 × syllables per word
//
// On both scales 60 to 70 is "plain" or "normal" text that readers of about
// 13 to 15 years understand (Flesch's own table; Douma's scale has the same
// bands), which is where B1 texts fall. Below 50 is "fairly difficult" to
// "difficult": text for readers with more schooling than the average visitor
// of this site. MinReadability is 60, the lower edge of plain text. Legal terms
// (mensenhandel, verblijfsvergunning) cost this site a few points that a
// reader is helped over by the glossary, so a page is warned about from 60
// down rather than from 65.
const MinReadability = 60

// Formulas, as package lang names them for each language (Language.Readability).
const (
	FleschDouma = "flesch-douma" // Dutch
	Flesch      = "flesch"       // English
)

// readabilityOf is the formula for a language's pages, "" for none.
func readabilityOf(code string) string {
	l, _ := lang.Get(code)
	return l.Readability
}

// MinReadabilityWords is the shortest text that gets a score: in fewer words one
// long term or sentence moves the score by ten points, so it says little.
const MinReadabilityWords = 200

// Readability is a page's plain-language score.
type Readability struct {
	Score     float64 // Flesch-Douma (nl) or Flesch reading ease (en and other languages)
	Words     int
	Sentences int
	Syllables int // of the words that are not names
	Names     int // words with a capital inside a sentence, left out of syllables per word
	Longest   int // words in the longest sentence
	LongestAt int // byte offset in the file where that sentence starts, -1 if unknown
}

// prose collects a page's running text for the readability score: paragraphs
// and list items, without headings, tables, code or footnotes, which are not
// read as sentences. A newline in text marks the end of a block, which also
// ends a sentence.
type prose struct {
	text []byte
	offs []proseOff
}

// proseOff maps a position in prose.text to a byte offset in the file.
type proseOff struct{ pos, off int }

func (p *prose) write(s []byte, off int) {
	if off >= 0 {
		p.offs = append(p.offs, proseOff{len(p.text), off})
	}
	p.text = append(p.text, s...)
}

func (p *prose) fileOffset(pos int) int {
	off := -1
	for _, o := range p.offs {
		if o.pos > pos {
			break
		}
		off = o.off + (pos - o.pos)
	}
	return off
}

// score computes the readability of the collected text with formula; with
// none it only counts.
func (p *prose) score(formula string) Readability {
	r := Readability{LongestAt: -1}
	text := p.text
	inSentence, sentWords, sentStart := false, 0, 0
	endSentence := func() {
		if sentWords > 0 {
			r.Sentences++
			if sentWords > r.Longest {
				r.Longest, r.LongestAt = sentWords, p.fileOffset(sentStart)
			}
		}
		inSentence, sentWords = false, 0
	}
	for i := 0; i < len(text); {
		c, size := utf8.DecodeRune(text[i:])
		switch {
		case isWordRune(c):
			j := i
			letters := false
			for j < len(text) {
				c, n := utf8.DecodeRune(text[j:])
				if unicode.IsLetter(c) {
					letters = true
				} else if !unicode.IsDigit(c) && !(isJoiner(c) && j+n < len(text) && isWordRune(firstRune(text[j+n:]))) {
					break
				}
				j += n
			}
			if letters {
				// A capital inside a sentence starts a name: of a law, an
				// organisation, a place. Editors cannot make those shorter, so
				// they count as words for sentence length but not for syllables.
				name := inSentence && unicode.IsUpper(c)
				if !inSentence {
					inSentence, sentStart = true, i
				}
				sentWords++
				r.Words++
				if name {
					r.Names++
				} else {
					r.Syllables += syllables(text[i:j], formula)
				}
			}
			i = j
			continue
		case c == '\n':
			endSentence()
		case c == '.' || c == '!' || c == '?':
			if endsSentence(text[i+size:]) {
				endSentence()
			}
		}
		i += size
	}
	endSentence()
	if r.Words == 0 || r.Sentences == 0 {
		return r
	}
	wps := float64(r.Words) / float64(r.Sentences)
	spw := float64(r.Syllables) / float64(max(1, r.Words-r.Names))
	switch formula {
	case FleschDouma:
		r.Score = 206.835 - 0.93*wps - 77.0*spw
	case Flesch:
		r.Score = 206.835 - 1.015*wps - 84.6*spw
	}
	return r
}

func isWordRune(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }

// isJoiner reports whether c joins two parts of one word: EU-land, zo'n, don't.
func isJoiner(c rune) bool { return c == '-' || c == '\'' || c == '’' || c == '‑' }

func firstRune(b []byte) rune {
	c, _ := utf8.DecodeRune(b)
	return c
}

// endsSentence reports whether a full stop, question or exclamation mark
// followed by rest ends a sentence: when the text ends there, or the next word
// starts with a capital. "art. 273f" and "bijv. een" do not end one.
func endsSentence(rest []byte) bool {
	if len(rest) == 0 {
		return true
	}
	c, _ := utf8.DecodeRune(rest)
	if !unicode.IsSpace(c) {
		return false // 2.5, www.example, ...
	}
	for len(rest) > 0 {
		c, n := utf8.DecodeRune(rest)
		switch {
		case c == '\n':
			return true
		case unicode.IsSpace(c) || strings.ContainsRune("\"'“‘(*_", c):
			rest = rest[n:]
		default:
			return unicode.IsUpper(c)
		}
	}
	return true
}

// syllables estimates the syllables of a word by counting its vowel groups.
// It runs for every word of every page, so it does not allocate.
func syllables(word []byte, formula string) int {
	var arr [64]rune
	w := arr[:0]
	for _, c := range string(word) {
		if len(w) == len(arr) {
			break // a longer word is rare; its first 64 letters are enough
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		} else if c >= utf8.RuneSelf {
			c = unicode.ToLower(c)
		}
		w = append(w, c)
	}
	if formula == FleschDouma {
		return max(1, dutchSyllables(w))
	}
	return max(1, englishSyllables(w))
}

// dutchSyllables counts groups of vowels: a Dutch syllable has one vowel sound,
// written with one to three vowels (a, aa, ooi, ieu). A diaeresis starts a new
// syllable (ideeën, coördinator); ij is one sound because j is no vowel here.
func dutchSyllables(w []rune) int {
	n, prev := 0, false
	for _, c := range w {
		v := isVowel(c)
		if v && (!prev || c == 'ä' || c == 'ë' || c == 'ï' || c == 'ö' || c == 'ü') {
			n++
		}
		prev = v
	}
	return n
}

// englishSyllables counts vowel groups, less a silent final e (make, uses,
// used), but not after l (table), in -ted, -ded, -ses, -ces, -ges, -ee, or
// when the e is the only vowel (the, me).
func englishSyllables(w []rune) int {
	if len(w) <= 3 {
		return 1
	}
	has := func(suffix string) bool { // suffix is ASCII
		if len(suffix) > len(w) {
			return false
		}
		for i := 0; i < len(suffix); i++ {
			if w[len(w)-len(suffix)+i] != rune(suffix[i]) {
				return false
			}
		}
		return true
	}
	for _, end := range []string{"es", "ed", "e"} {
		if has(end) {
			if !has("le") && !has("ted") && !has("ded") && !has("ses") && !has("ces") && !has("ges") && !has("ee") {
				stem := w[:len(w)-len(end)]
				if len(stem) > 0 && !isVowel(stem[len(stem)-1]) && dutchSyllables(stem) > 0 {
					w = stem
				}
			}
			break
		}
	}
	if len(w) > 0 && w[0] == 'y' {
		w = w[1:]
	}
	return dutchSyllables(w) // vowel groups, the same rule without diaereses
}

// asciiVowels has bit c&63 set for each lower-case ASCII vowel c.
const asciiVowels = 1<<('a'&63) | 1<<('e'&63) | 1<<('i'&63) | 1<<('o'&63) | 1<<('u'&63) | 1<<('y'&63)

func isVowel(c rune) bool {
	if c < utf8.RuneSelf {
		return asciiVowels&(1<<uint(c&63)) != 0 && c >= 'a' // a-z sit at 97-122, so c&63 is 33-58
	}
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'à', 'á', 'â', 'ä', 'è', 'é', 'ê', 'ë', 'ì', 'í', 'î', 'ï', 'ò', 'ó', 'ô', 'ö', 'ù', 'ú', 'û', 'ü':
		return true
	}
	return false
}
