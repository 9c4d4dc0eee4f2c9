package content

import (
	"bytes"
	"path"
	"strings"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/parallel"
	"github.com/yuin/goldmark/ast"
)

// The checks of kb check and kb build. Front matter fields are checked as they
// are read (frontmatter.go), links and headings as the body is rendered
// (markdown.go); what needs all pages, or the date, is here. Each finding is
// an error (the build stops), a warning (kb check -strict fails) or a note.

// staleAfter is how long ago a review may be before the page is due for another.
const staleAfter = 12 // months

// placeholder marks text that kb new wrote and an editor still has to replace.
const placeholder = "TODO"

// checkPages runs the checks that need every page or today's date. Pages whose
// front matter has errors are skipped: their findings would go away with the fix.
func checkPages(pages []*Page, opt Options, broken map[*Page]bool, errs *ErrorList) {
	today := opt.Today
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	dates := map[string]*dateFinder{}
	for _, lang := range opt.Langs {
		dates[lang] = newDateFinder(opt.Words[lang].Months)
	}
	// On all cores: each check reads the pages and writes only its own page's
	// findings (and checkDrift its Behind).
	perPage := make([]ErrorList, len(pages))
	parallel.For(len(pages), func(i int) {
		p, errs := pages[i], &perPage[i]
		checkPlaceholders(p, errs) // also on pages with other errors, such as a new page's empty sources
		if broken[p] {
			return
		}
		checkReviewed(p, today, errs)
		checkSources(p, errs)
		checkPair(p, opt, errs)
		checkDrift(p, opt.Langs[0], errs)
		checkPending(p, today, errs)
		checkTense(p, today, dates[p.Lang], opt.Words[p.Lang], errs)
		checkNative(p, today, errs)
	})
	for _, l := range perPage {
		*errs = append(*errs, l...)
	}
	checkPhoneNumbers(pages, today, dates, broken, errs)
	checkAids(pages, opt, broken, errs)
	checkSearchTerms(pages, errs)
	noteUnscored(pages, opt, errs)
}

// checkNative: in a language whose translations wait for a native speaker
// (lang.Language.NativeCheck), each page says so until its front matter has
// nativeReviewed; kb check lists those pages.
func checkNative(p *Page, today time.Time, errs *ErrorList) {
	l, _ := lang.Get(p.Lang)
	line := p.lines["nativeReviewed"]
	switch {
	case !l.NativeCheck && line > 0:
		errs.add(p.File, line, "field nativeReviewed is for the translations that wait for a native speaker's check (%s); remove it", strings.Join(nativeCheckLangs(), ", "))
	case !l.NativeCheck:
	case p.NativeReviewed.IsZero():
		errs.note(p.File, 1, "no native speaker has checked this translation yet, and the page says so at the top; when one has, add nativeReviewed: YYYY-MM-DD, the day of the check")
	case p.NativeReviewed.After(today):
		errs.add(p.File, line, "field nativeReviewed: %s is in the future; write the day the native speaker checked the page", p.NativeReviewed.Format(time.DateOnly))
	}
}

func nativeCheckLangs() []string {
	var out []string
	for _, l := range lang.All {
		if l.NativeCheck {
			out = append(out, l.Code)
		}
	}
	return out
}

// noteUnscored says, once per language, when its pages get no readability
// score: only Dutch and English have a calibrated formula.
func noteUnscored(pages []*Page, opt Options, errs *ErrorList) {
	seen := map[string]bool{}
	for _, p := range pages {
		if seen[p.Lang] || readabilityOf(p.Lang) != "" {
			continue
		}
		seen[p.Lang] = true
		errs.note(path.Join(opt.Root, p.Lang, "index.md"), 1, "readability is not scored in %s: there is no calibrated plain-language formula for it (only for %s); have a native speaker read the pages", p.Lang, strings.Join(scoredLangs(), " and "))
	}
}

func scoredLangs() []string {
	var out []string
	for _, l := range lang.All {
		if l.Readability != "" {
			out = append(out, l.Code)
		}
	}
	return out
}

// checkSearchTerms: a search term shows its page first, so one term may
// belong to one page of a language only.
func checkSearchTerms(pages []*Page, errs *ErrorList) {
	owner := map[[2]string]*Page{} // language, the term's words → the page
	for _, p := range pages {
		for _, term := range p.SearchTerms {
			key := [2]string{p.Lang, strings.ToLower(strings.Join(strings.FieldsFunc(term, notWordChar), " "))}
			if q := owner[key]; q != nil && q != p {
				errs.add(p.File, p.lines["searchTerms"], "field searchTerms: %q is also a search term of %s; a search shows one page first, so keep it on one of them", term, q.File)
				continue
			}
			owner[key] = p
		}
	}
}

// checkPending checks what a page about a law being changed tells its reader:
// which rule is changing (pendingChange) and as of when the page describes it
// (stateOf). The state described can be older than the review: the review is
// the day the sources were read, stateOf the date of the newest of them.
func checkPending(p *Page, today time.Time, errs *ErrorList) {
	if !p.PendingLegislation {
		for _, f := range []string{"pendingChange", "stateOf"} {
			if line, ok := p.lines[f]; ok {
				errs.add(p.File, line, "field %s is for pages about a law being changed; add pendingLegislation: true, or remove %s", f, f)
			}
		}
		return
	}
	line := p.lines["pendingLegislation"]
	errs.note(p.File, line, "the law this page explains is being changed; when the change takes effect, update the page in every language and remove pendingLegislation, pendingChange and stateOf")
	if p.PendingChange == "" {
		errs.warn(p.File, line, "the page says the law is changing but not which rule; add pendingChange: \"<which rule changes, in one sentence>\", which the notice on the page shows")
	}
	switch {
	case p.StateOf.IsZero():
		errs.warn(p.File, line, "the page does not say as of when it describes the law; add stateOf: YYYY-MM-DD, the date of the newest source you checked, which the page shows as \"as of\"")
	case p.StateOf.After(today):
		errs.add(p.File, p.lines["stateOf"], "field stateOf: %s is in the future; write the date of the newest source you checked", p.StateOf.Format(time.DateOnly))
	case !p.Reviewed.IsZero() && p.StateOf.After(p.Reviewed):
		errs.add(p.File, p.lines["stateOf"], "field stateOf: %s is after reviewed (%s); a page cannot describe a state newer than the day its sources were checked: check them, then set reviewed", p.StateOf.Format(time.DateOnly), p.Reviewed.Format(time.DateOnly))
	}
}

func checkReviewed(p *Page, today time.Time, errs *ErrorList) {
	line := p.lines["reviewed"]
	switch {
	case p.Reviewed.IsZero():
		// reported with the front matter
	case p.Reviewed.After(today):
		errs.add(p.File, line, "field reviewed: %s is in the future; write the date on which you checked the facts", p.Reviewed.Format(time.DateOnly))
	case p.Reviewed.Before(today.AddDate(0, -staleAfter, 0)):
		errs.warn(p.File, line, "field reviewed: the facts were last checked on %s, more than %d months ago; check them against the sources, then write today's date", p.Reviewed.Format(time.DateOnly), staleAfter)
	}
}

// checkSources reports sources that are not on https. That each page has
// sources with a title and an address is checked with the front matter.
func checkSources(p *Page, errs *ErrorList) {
	for _, s := range p.Sources {
		if s.URL != "" && !strings.HasPrefix(s.URL, "https://") {
			errs.add(p.File, s.line, "field sources: the url of source %q must start with https://; open the address in a browser and copy it from the address bar", s.Title)
		}
	}
}

// checkPlaceholders finds the TODO texts kb new writes.
func checkPlaceholders(p *Page, errs *ErrorList) {
	for _, f := range []struct{ name, value string }{{"title", p.Title}, {"description", p.Description}, {"definition", p.Definition}} {
		if strings.Contains(f.value, placeholder) {
			errs.add(p.File, p.lines[f.name], "field %s: replace the placeholder %q with the real text", f.name, f.value)
		}
	}
	if p.src == nil {
		return
	}
	body := p.src[p.bodyStart:]
	if i := bytes.Index(body, []byte(placeholder)); i >= 0 {
		line := lineAt(p.src, p.bodyStart+i)
		text, _, _ := bytes.Cut(body[i:], []byte("\n"))
		errs.add(p.File, line, "replace the placeholder %q with the real text", bytes.TrimSpace(text))
	}
}

// checkPair reports a page that has no translation in another language.
// The site still works (the language switch says so), so it is a warning.
// A partial language (lang.Language.Fallback) has only the pages a victim
// needs first: what it lacks is not reported.
func checkPair(p *Page, opt Options, errs *ErrorList) {
	for _, code := range opt.Langs {
		if code == p.Lang || p.Translations[code] != nil {
			continue
		}
		if l, _ := lang.Get(code); l.Fallback != "" {
			continue
		}
		lang := code
		other := path.Join(opt.Root, lang, p.Path)
		if p.TranslationKey != "" {
			errs.warn(p.File, 1, "this page has no translation in %s: no page there has translationKey %q; translate it (kb new makes both files) or give the translation this translationKey", lang, p.TranslationKey)
		} else {
			errs.warn(p.File, 1, "this page has no translation in %s: there is no %s; translate it (kb new makes both files), or pair it with a page of another name through translationKey", lang, other)
		}
	}
}

// checkExternal reports a link or image to another site that is not https.
// It checks the address's form only: the check needs no network.
func checkExternal(file string, line int, what, dest, scheme string, errs *ErrorList) {
	switch strings.ToLower(scheme) {
	case "https", "mailto", "tel":
	case "http":
		errs.add(file, line, "%s %s is not secure: change http:// into https://; if the site has no https version, link to another source", what, dest)
	case "":
		errs.add(file, line, "%s %s has no https:// at the start; write the whole address, such as https://%s", what, dest, strings.TrimPrefix(dest, "//"))
	default:
		errs.add(file, line, "%s %s: %s: addresses are not allowed; link to a web page with https://, an e-mail address with mailto: or a phone number with tel:", what, dest, scheme)
	}
}

// checkImage reports an image without alt text or from another site.
func (p *Page) checkImage(n *ast.Image, body []byte, errs *ErrorList) {
	dest := string(n.Destination)
	line := lineAt(body, blockStart(n))
	if plainText(n, body) == "" {
		errs.add(p.File, line, "image %s has no alt text, so people who cannot see it miss what it shows; describe it between the brackets: ![what the image shows](%s)", dest, dest)
	}
	if strings.Contains(dest, "://") || strings.HasPrefix(dest, "//") {
		// the Content-Security-Policy allows only the site's own images
		errs.add(p.File, line, "image %s is on another site, which this site never loads from (privacy); save it in the repository and link to that copy", dest)
	}
}

// checkReadability warns about a page that is harder to read than B1. A
// language without a formula (formula "") is not scored.
func (p *Page) checkReadability(r Readability, formula string, body []byte, errs *ErrorList) {
	if formula == "" || r.Words < MinReadabilityWords || r.Score >= MinReadability {
		return
	}
	name := "Flesch reading ease"
	if formula == FleschDouma {
		name = "Flesch-Douma"
	}
	// The finding is on the line of the longest sentence: a place to start.
	line := 1
	if r.LongestAt >= 0 && r.LongestAt <= len(body) {
		line = lineAt(body, r.LongestAt)
	}
	errs.warn(p.File, line, "the page is hard to read: %s score %.1f, below %d (plain language, B1), with %.1f words a sentence and %.2f syllables a word; split long sentences, such as the one of %d words that starts on this line, and use shorter, everyday words", name, r.Score, MinReadability, float64(r.Words)/float64(r.Sentences), float64(r.Syllables)/float64(max(1, r.Words-r.Names)), r.Longest)
}
