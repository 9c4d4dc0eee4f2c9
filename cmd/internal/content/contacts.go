package content

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Phone numbers. A number on this site has to work when someone in danger
// calls it, so each language keeps its numbers in one place: the page with
// type: contacts. There every number stands in a ## section with its source
// (an https link) and the day it was checked against that source. Any other
// page may link a number (tel:) only when the contacts page has it, so that a
// number is corrected in one place and none goes on the site unchecked.

// telLink finds the address of an inline Markdown link to a phone number.
var telLink = regexp.MustCompile(`\]\(\s*<?tel:([^)\s>]*)>?\s*\)`)

// validTel is how a number is written in a tel: address: digits only, with a +
// and the country code for a number to be called from abroad.
var validTel = regexp.MustCompile(`^\+?[0-9]+$`)

type phoneRef struct {
	number string
	line   int
}

// phoneLinks returns the tel: links in the page's body.
func phoneLinks(p *Page) []phoneRef {
	var out []phoneRef
	for _, m := range telLink.FindAllSubmatchIndex(p.src[p.bodyStart:], -1) {
		off := p.bodyStart + m[2]
		out = append(out, phoneRef{string(p.src[off : p.bodyStart+m[3]]), lineAt(p.src, off)})
	}
	return out
}

// checkPhoneNumbers checks each language's contacts page, and that every
// tel: link on a page is a number its language's contacts page gives.
func checkPhoneNumbers(pages []*Page, today time.Time, dates map[string]*dateFinder, broken map[*Page]bool, errs *ErrorList) {
	contacts := map[string]*Page{}         // by language
	listed := map[string]map[string]bool{} // the numbers on each language's contacts page
	for _, p := range pages {
		if p.Type != TypeContacts || broken[p] || p.src == nil {
			continue
		}
		if other := contacts[p.Lang]; other != nil {
			errs.add(p.File, p.lines["type"], "field type: %s is the contacts page of this language already; keep all phone numbers on one page and give this one type: page", other.File)
			continue
		}
		contacts[p.Lang] = p
		listed[p.Lang] = checkContactSections(p, today, dates[p.Lang], errs)
	}
	for _, p := range pages {
		if broken[p] || p.src == nil {
			continue
		}
		for _, r := range phoneLinks(p) {
			c := contacts[p.Lang]
			switch {
			case !validTel.MatchString(r.number):
				errs.add(p.File, r.line, "link tel:%s: write the number in the address as digits only, with + and the country code for a number called from abroad, such as (tel:09008844) or (tel:+31703334444); the link text may keep its spaces", r.number)
			case c == nil:
				errs.add(p.File, r.line, "link tel:%s: no page in this language has type: contacts; phone numbers stand on that page with their source and the day they were checked, so add it first", r.number)
			case p != c && !listed[p.Lang][r.number]:
				errs.add(p.File, r.line, "link tel:%s: the number is not on the contacts page %s; add it there with its source and the day you checked it, or link to the contacts page instead", r.number, c.File)
			}
		}
	}
}

// checkContactSections checks that each ## section of the contacts page that
// gives a number also gives its source and the day it was checked, and
// returns the numbers it gives.
func checkContactSections(p *Page, today time.Time, dates *dateFinder, errs *ErrorList) map[string]bool {
	numbers := map[string]bool{}
	body := p.src[p.bodyStart:]
	for _, sec := range h2Sections(body) {
		text := body[sec.start:sec.end]
		line := lineAt(p.src, p.bodyStart+sec.start)
		var tels []string
		for _, m := range telLink.FindAllSubmatch(text, -1) {
			if n := string(m[1]); validTel.MatchString(n) {
				tels = append(tels, n)
			}
		}
		if len(tels) == 0 {
			continue
		}
		for _, n := range tels {
			numbers[n] = true
		}
		name := sectionName(text)
		var checked time.Time
		if dates != nil {
			for _, d := range dates.find(text) {
				if d.t.After(checked) {
					checked = d.t
				}
			}
		}
		switch {
		case checked.IsZero() || !bytes.Contains(text, []byte("](https://")):
			errs.add(p.File, line, "%s gives a phone number (tel:%s) without its source and the day it was checked; end the section with a line such as \"Gecontroleerd op 1 december 2026 bij [the source](https://…)\"", name, tels[0])
		case checked.After(today):
			errs.add(p.File, line, "%s says its numbers were checked on %s, which is in the future; write the day you checked them", name, checked.Format(time.DateOnly))
		case checked.Before(today.AddDate(0, -staleAfter, 0)):
			errs.warn(p.File, line, "%s: its numbers were checked on %s, more than %d months ago; check them against the source again, then write the new date", name, checked.Format(time.DateOnly), staleAfter)
		}
	}
	return numbers
}

// h2Sections splits a Markdown body at its ## headings; the text before the
// first heading is a section too.
func h2Sections(body []byte) []span {
	var out []span
	start := 0
	for off := 0; off < len(body); {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body) - off
		}
		if bytes.HasPrefix(body[off:], []byte("## ")) && off > start {
			out = append(out, span{start, off})
			start = off
		}
		off += end + 1
	}
	return append(out, span{start, len(body)})
}

// sectionName names a section in a message: its heading, or "the text before
// the first heading".
func sectionName(sec []byte) string {
	if h, ok := bytes.CutPrefix(sec, []byte("## ")); ok {
		title, _, _ := bytes.Cut(h, []byte("\n"))
		return fmt.Sprintf("section %q", strings.TrimSpace(string(title)))
	}
	return "the text before the first heading"
}
