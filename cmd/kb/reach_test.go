package main

import (
	"encoding/json"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// builtPages builds the real content once per test and returns each page's HTML by its path in public/.
func builtPages(t *testing.T) (out string, pages map[string]string) {
	t.Helper()
	out = buildFixture(t, "../../content")
	pages = map[string]string{}
	err := filepath.WalkDir(out, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, "index.html") {
			return err
		}
		data, err := os.ReadFile(name)
		rel, _ := filepath.Rel(out, name)
		pages[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
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
		lang, _, _ := strings.Cut(name, "/")
		wantLocale, otherLocale := map[string]string{"nl": "nl_NL", "en": "en_GB"}[lang], map[string]string{"nl": "en_GB", "en": "nl_NL"}[lang]
		if meta["og:locale"][0] != wantLocale {
			t.Errorf("%s: og:locale = %q; want %s", name, meta["og:locale"], wantLocale)
		}
		if strings.Contains(body, `hreflang="`+map[string]string{"nl": "en", "en": "nl"}[lang]+`"`) && (len(meta["og:locale:alternate"]) != 1 || meta["og:locale:alternate"][0] != otherLocale) {
			t.Errorf("%s: og:locale:alternate = %q; want %s", name, meta["og:locale:alternate"], otherLocale)
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
	if d := time.Until(expires); d < 364*24*time.Hour || d > 366*24*time.Hour {
		t.Errorf("Expires %v is not a year from now", expires)
	}
	if len(fields["Contact"]) == 0 {
		t.Fatal("no Contact")
	}
	for _, c := range fields["Contact"] {
		path, anchor, _ := strings.Cut(strings.TrimPrefix(c, "https://example.org/"), "#")
		body, ok := pages[path+"index.html"]
		if !ok {
			t.Errorf("Contact %s is not a page of the site; set contact.url in theme/i18n to the page that says how to report a problem", c)
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
