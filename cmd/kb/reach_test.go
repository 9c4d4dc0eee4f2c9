package main

import (
	"encoding/json"
	"encoding/xml"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
)

// builtPages builds the real content and returns each page's HTML by its path in public/.
func builtPages(t *testing.T) (out string, pages map[string]string) {
	t.Helper()
	out = buildFixture(t, "../../content")
	pages = map[string]string{}
	for name, data := range tree(t, out) {
		if strings.HasSuffix(name, "index.html") {
			pages[name] = data
		}
	}
	return out, pages
}

var jsonLDRe = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// required are the properties each schema.org type we use must have: those
// the type needs to mean anything, and those the issue asks for.
var required = map[string][]string{
	"BreadcrumbList": {"itemListElement"},
	"ListItem":       {"position", "name", "item"},
	"Article":        {"headline", "url", "inLanguage", "dateModified"},
	"DefinedTerm":    {"name", "description", "url"},
	"DefinedTermSet": {"name", "url", "hasDefinedTerm"},
	"FAQPage":        {"mainEntity"},
	"Question":       {"name", "acceptedAnswer"},
	"Answer":         {"text"},
}

// TestStructuredData parses every page's JSON-LD and checks the types it uses.
func TestStructuredData(t *testing.T) {
	_, pages := builtPages(t)
	seen := map[string]int{}
	var check func(page string, v any)
	check = func(page string, v any) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				check(page, e)
			}
		case map[string]any:
			if typ, ok := v["@type"].(string); ok {
				seen[typ]++
				props, known := required[typ]
				if !known {
					t.Errorf("%s: JSON-LD type %s has no required properties in this test; add them", page, typ)
				}
				for _, p := range props {
					if x, ok := v[p]; !ok || x == "" || x == nil {
						t.Errorf("%s: %s has no %s", page, typ, p)
					}
				}
			}
			for _, e := range v {
				check(page, e)
			}
		}
	}
	for name, body := range pages {
		blocks := jsonLDRe.FindAllStringSubmatch(body, -1)
		if len(blocks) > 1 {
			t.Errorf("%s: %d JSON-LD blocks; want one graph", name, len(blocks))
		}
		for _, b := range blocks {
			var doc map[string]any
			if err := json.Unmarshal([]byte(b[1]), &doc); err != nil {
				t.Errorf("%s: JSON-LD does not parse: %v", name, err)
				continue
			}
			if doc["@context"] != "https://schema.org" {
				t.Errorf("%s: @context = %v", name, doc["@context"])
			}
			check(name, doc["@graph"])
		}
	}
	for typ := range required {
		if seen[typ] == 0 {
			t.Errorf("no page has a %s", typ)
		}
	}
	// The glossary in both languages, its entries linked to their translations.
	for _, page := range []string{"nl/begrippen/bedenktijd/index.html", "en/glossary/reflection-period/index.html"} {
		body := pages[page]
		for _, want := range []string{`"@type":"DefinedTerm"`, `"inDefinedTermSet":"https://example.org/`, `"sameAs":["https://example.org/`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: JSON-LD lacks %s", page, want)
			}
		}
	}
	for _, page := range []string{"nl/begrippen/index.html", "en/glossary/index.html"} {
		if n := strings.Count(pages[page], `"@type":"DefinedTerm"`); n < 30 {
			t.Errorf("%s: DefinedTermSet has %d terms; want every glossary entry (30 or more)", page, n)
		}
	}
}

var metaRe = regexp.MustCompile(`<meta (?:property|name)="([^"]+)" content="([^"]*)">`)

// TestSharingTags: every page has Open Graph and Twitter card tags with the
// site's own image, and nothing from another site.
func TestSharingTags(t *testing.T) {
	out, pages := builtPages(t)
	for name, body := range pages {
		if name == "index.html" {
			continue // the bilingual language chooser
		}
		meta := map[string][]string{}
		for _, m := range metaRe.FindAllStringSubmatch(body, -1) {
			meta[m[1]] = append(meta[m[1]], html.UnescapeString(m[2]))
		}
		for _, p := range []string{"og:title", "og:description", "og:url", "og:locale", "og:image", "og:image:alt", "twitter:card", "twitter:title", "twitter:description"} {
			if len(meta[p]) != 1 || meta[p][0] == "" {
				t.Errorf("%s: %s = %q; want one, not empty", name, p, meta[p])
			}
		}
		if t.Failed() {
			return
		}
		code, _, _ := strings.Cut(name, "/")
		l, _ := lang.Get(code)
		wantLocale := l.Locale
		if meta["og:locale"][0] != wantLocale {
			t.Errorf("%s: og:locale = %q; want %s", name, meta["og:locale"], wantLocale)
		}
		// One og:locale:alternate for each translation the page links with hreflang.
		var wantAlt []string
		for _, m := range regexp.MustCompile(`<link rel="alternate" hreflang="([a-z]{2})"`).FindAllStringSubmatch(body, -1) {
			if o, _ := lang.Get(m[1]); m[1] != code {
				wantAlt = append(wantAlt, o.Locale)
			}
		}
		if len(wantAlt) > 0 && !slices.Equal(meta["og:locale:alternate"], wantAlt) { // pages with translations (search pages have no hreflang)
			t.Errorf("%s: og:locale:alternate = %q; want %q", name, meta["og:locale:alternate"], wantAlt)
		}
		img := meta["og:image"][0]
		if !strings.HasPrefix(img, "https://example.org/assets/") {
			t.Errorf("%s: og:image %s is not the site's own file", name, img)
		} else if _, err := os.Stat(filepath.Join(out, strings.TrimPrefix(img, "https://example.org/"))); err != nil {
			t.Errorf("%s: og:image: %v", name, err)
		}
	}
}

// TestSecurityTxt: /.well-known/security.txt has the fields of RFC 9116, expires
// a year after the build, and its contacts are pages of the site with the anchor they name.
func TestSecurityTxt(t *testing.T) {
	out, pages := builtPages(t)
	data, err := os.ReadFile(filepath.Join(out, ".well-known", "security.txt"))
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			t.Fatalf("security.txt: line %q is not 'Field: value'", line)
		}
		fields[k] = append(fields[k], v)
	}
	if got := fields["Canonical"]; len(got) != 1 || got[0] != "https://example.org/.well-known/security.txt" {
		t.Errorf("Canonical = %q", got)
	}
	if got := fields["Preferred-Languages"]; len(got) != 1 || got[0] != "nl, en" {
		t.Errorf("Preferred-Languages = %q; want nl, en", got)
	}
	if len(fields["Expires"]) != 1 {
		t.Fatalf("Expires = %q; want one", fields["Expires"])
	}
	expires, err := time.Parse(time.RFC3339, fields["Expires"][0])
	if err != nil {
		t.Fatalf("Expires: %v", err)
	}
	// A year from the build's time: the tests pin it to the newest review (nowFor), not the wall clock.
	built := nowFor(t, "../../content")
	if d := expires.Sub(built); d < 364*24*time.Hour || d > 366*24*time.Hour {
		t.Errorf("Expires %v is not a year after the build (%v)", expires, built)
	}
	if len(fields["Contact"]) == 0 {
		t.Fatal("no Contact")
	}
	for _, c := range fields["Contact"] {
		path, anchor, _ := strings.Cut(strings.TrimPrefix(c, "https://example.org/"), "#")
		body, ok := pages[path+"index.html"]
		if !ok {
			t.Errorf("Contact %s is not a page of the site; set publisher.contact in theme/i18n to the page that says how to report a problem", c)
		} else if anchor != "" && !strings.Contains(body, `id="`+anchor+`"`) {
			t.Errorf("Contact %s: the page has no heading with id %q", c, anchor)
		}
	}
	if robots, err := os.ReadFile(filepath.Join(out, "robots.txt")); err != nil || !strings.Contains(string(robots), "Sitemap: https://example.org/sitemap.xml") {
		t.Errorf("robots.txt does not point to the sitemap: %s %v", robots, err)
	}
}

// TestFooterLinksAccessibilityStatement: every page's footer links to the
// accessibility statement in its language, and the statement exists.
func TestFooterLinksAccessibilityStatement(t *testing.T) {
	_, pages := builtPages(t)
	want := map[string]string{"nl": "/nl/achtergrond/toegankelijkheid/", "en": "/en/background/accessibility/"}
	for lang, url := range want {
		if _, ok := pages[strings.TrimPrefix(url, "/")+"index.html"]; !ok {
			t.Errorf("the %s accessibility statement %s is not built; footer.accessibility-url in theme/i18n/%s.toml must name it", lang, url, lang)
		}
	}
	footerRe := regexp.MustCompile(`(?s)<footer class="kb-footer">.*?</footer>`)
	for name, body := range pages {
		lang, _, _ := strings.Cut(name, "/")
		if want[lang] == "" {
			continue
		}
		if !strings.Contains(footerRe.FindString(body), `href="`+want[lang]+`"`) {
			t.Errorf("%s: the footer does not link to %s", name, want[lang])
		}
	}
}

// TestThemeLinks: the links the theme's UI strings make on every page (the
// footer's about, contact, privacy and accessibility pages, and the law
// notice's explanation) go to pages of the site, and to headings that exist.
func TestThemeLinks(t *testing.T) {
	_, pages := builtPages(t)
	hrefRe := regexp.MustCompile(`href="(/[^"]*)"`)
	parts := map[string]*regexp.Regexp{
		"footer":     regexp.MustCompile(`(?s)<footer class="kb-footer">.*?</footer>`),
		"law notice": regexp.MustCompile(`(?s)<p class="kb-law-notice".*?</p>`),
	}
	seen := map[string]int{}
	for name, body := range pages {
		for part, re := range parts {
			for _, block := range re.FindAllString(body, -1) {
				seen[part]++
				for _, m := range hrefRe.FindAllStringSubmatch(block, -1) {
					path, anchor, _ := strings.Cut(strings.TrimPrefix(m[1], "/"), "#")
					target, ok := pages[path+"index.html"]
					switch {
					case !ok:
						t.Errorf("%s: the %s links to %s, which is not a page of the site; correct it in theme/i18n", name, part, m[1])
					case anchor != "" && !strings.Contains(target, `id="`+anchor+`"`):
						t.Errorf("%s: the %s links to %s, but that page has no heading with id %q", name, part, m[1], anchor)
					}
				}
			}
		}
	}
	if seen["footer"] < 100 || seen["law notice"] < 20 {
		t.Errorf("found %d footers and %d law notices; want every page's footer and the notices of the pages about laws being changed", seen["footer"], seen["law notice"])
	}
}

// TestAtomFeeds: each language's feed is valid Atom with absolute links, the
// changes of its pages newest first with their commit messages, and the what's
// new page lists the same; every page links to its language's feed.
func TestAtomFeeds(t *testing.T) {
	repo := gitRepo(t) // the fixture, committed on 10 January and changed on 5 March 2026
	out := filepath.Join(t.TempDir(), "public")
	if code, stdout, stderr := kb(t, "build", "-content", filepath.Join(repo, "content"), "-out", out, "-base-url", "https://example.org"); code != 0 {
		t.Fatalf("kb build: exit %d\n%s%s", code, stdout, stderr)
	}
	type link struct {
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
		Href string `xml:"href,attr"`
	}
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Lang    string   `xml:"lang,attr"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Links   []link   `xml:"link"`
		Author  string   `xml:"author>name"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Links   []link `xml:"link"`
			Summary string `xml:"summary"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(read(t, filepath.Join(out, "nl", "feed.xml"))), &feed); err != nil {
		t.Fatalf("nl/feed.xml is not Atom XML: %v", err)
	}
	absolute := func(what, u string) {
		if !strings.HasPrefix(u, "https://example.org/") {
			t.Errorf("%s %q is not an absolute link to the site", what, u)
		}
	}
	if feed.ID == "" || feed.Title == "" || feed.Author == "" || feed.Lang != "nl" {
		t.Errorf("feed: id %q, title %q, author %q, xml:lang %q; want all", feed.ID, feed.Title, feed.Author, feed.Lang)
	}
	rels := map[string]string{}
	for _, l := range feed.Links {
		rels[l.Rel] = l.Href
		absolute("feed link "+l.Rel, l.Href)
	}
	if rels["self"] != "https://example.org/nl/feed.xml" || rels["alternate"] != "https://example.org/nl/wat-is-er-nieuw/" {
		t.Errorf("feed links = %v", rels)
	}
	if len(feed.Entries) == 0 {
		t.Fatal("the feed has no entries")
	}
	if feed.Updated != feed.Entries[0].Updated {
		t.Errorf("feed updated %s; want its newest entry's, %s", feed.Updated, feed.Entries[0].Updated)
	}
	ids := map[string]bool{}
	var prev time.Time
	for i, e := range feed.Entries {
		when, err := time.Parse(time.RFC3339, e.Updated)
		if err != nil {
			t.Errorf("entry %d: updated %q: %v", i, e.Updated, err)
		}
		if i > 0 && when.After(prev) {
			t.Errorf("entry %d (%s) is newer than the one before it", i, e.Updated)
		}
		prev = when
		if !strings.HasPrefix(e.ID, "tag:example.org,") || ids[e.ID] {
			t.Errorf("entry %d: id %q is not a unique tag URI", i, e.ID)
		}
		ids[e.ID] = true
		if e.Title == "" || e.Summary == "" || len(e.Links) != 1 {
			t.Errorf("entry %d: title %q, summary %q, links %v", i, e.Title, e.Summary, e.Links)
		}
		for _, l := range e.Links {
			absolute("entry link", l.Href)
		}
	}
	first := feed.Entries[0]
	if first.Title != "Wat is het?" || first.Summary != "Wat is het: uitleg toegevoegd" || first.Links[0].Href != "https://example.org/nl/wat/" || !strings.HasPrefix(first.Updated, "2026-03-05") {
		t.Errorf("newest entry = %+v; want the change of 5 March to nl/wat.md with its commit message", first)
	}
	news := read(t, filepath.Join(out, "nl", "wat-is-er-nieuw", "index.html"))
	if !strings.Contains(news, `<a href="/nl/wat/">Wat is het?</a> – Wat is het: uitleg toegevoegd`) || !strings.Contains(news, `href="/nl/feed.xml"`) {
		t.Errorf("the what's new page does not list the change or link the feed")
	}
	if page := read(t, filepath.Join(out, "en", "what", "index.html")); !strings.Contains(page, `<link rel="alternate" type="application/atom+xml" href="/en/feed.xml"`) {
		t.Error("en/what/ does not link to the English feed in its head")
	}
}
