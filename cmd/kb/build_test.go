package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/theme"
)

const fixture = "testdata/site/content"

// testNow is the day the tests run on, whatever the calendar says: the
// fixtures were reviewed on 2026-11-23.
var testNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

var reviewedLine = regexp.MustCompile(`(?m)^reviewed: (\d{4}-\d{2}-\d{2})\s*$`)

// nowFor is the day a test builds the content in dir on: testNow, or the day
// of the content's newest review when that is later (the real content). So
// no test depends on the calendar.
func nowFor(t testing.TB, dir string) time.Time {
	t.Helper()
	now := testNow
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(name) != ".md" {
			return err
		}
		data, err := os.ReadFile(name)
		if m := reviewedLine.FindSubmatch(data); m != nil {
			if day, perr := time.Parse(time.DateOnly, string(m[1])); perr == nil && day.Add(9*time.Hour).After(now) {
				now = day.Add(9 * time.Hour)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return now
}

// kb runs the command as a user would, on testNow, and returns its exit code and output.
func kb(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return kbAt(t, testNow, args...)
}

// kbAt runs the command with the clock at now.
func kbAt(t *testing.T, now time.Time, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = runWith(args, &o, &e, func() time.Time { return now })
	return code, o.String(), e.String()
}

func buildFixture(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	if code, _, stderr := kbAt(t, nowFor(t, content), "build", "-content", content, "-out", out, "-base-url", "https://example.org"); code != 0 {
		t.Fatalf("kb build %s: exit %d\n%s", content, code, stderr)
	}
	return out
}

// TestBuildFixture checks the output of the fixture site, page by page.
func TestBuildFixture(t *testing.T) {
	// A copy outside the repository, so that "last updated" is each page's
	// reviewed date and not the date of whichever commit last touched the fixture.
	out := buildFixture(t, copyTree(t, fixture))
	checks := []struct {
		file string
		want []string // each must be in the file; a leading ! means it must not be
	}{
		{"nl/wat/index.html", []string{
			`<html lang="nl" dir="ltr">`,
			`<a class="kb-skip-link" href="#kb-main">Ga direct naar de inhoud</a>`,
			`<main id="kb-main"`,
			`<title>Wat is het? | Mensenhandel en mensensmokkel</title>`,
			`<meta name="description" content="Uitleg met een tabel, een voetnoot en een inhoudsopgave.">`,
			`<link rel="canonical" href="https://example.org/nl/wat/">`,
			`<link rel="alternate" hreflang="nl" href="https://example.org/nl/wat/">`,
			`<link rel="alternate" hreflang="en" href="https://example.org/en/what/">`,
			`<link rel="alternate" hreflang="x-default" href="https://example.org/nl/wat/">`,
			`href="https://www.buienradar.nl/" rel="nofollow noreferrer"`, // quick exit
			`<a class="kb-language-switch__link" href="/en/what/" hreflang="en" lang="en">English</a>`,
			`<li class="kb-breadcrumbs__item kb-breadcrumbs__item--current" aria-current="page">Wat is het?</li>`,
			`aria-current="page">Wat is het?</a>`, // navigation marks the current page
			`<nav class="kb-toc"`, `<a href="#financiele-gevolgen">Financiële gevolgen</a>`,
			`<h2 id="eerste-deel-2">Eerste deel</h2>`, // repeated headings get unique ids
			`<a href="/nl/regels/bedenktijd/#hoe-lang-duurt-het">de bedenktijd</a>`,
			`“aanhalingstekens”`, // typographer: the characters, not entities
			`<table>`, `role="doc-endnotes"`,
			`<div class="kb-table" role="region" tabindex="0" aria-`,                                                             // a wide table scrolls in its own region
			"<details class=\"kb-disclosure kb-disclosure--menu\">\n<summary class=\"kb-disclosure__toggle\">Menu</summary>",     // the menu folds away on phones
			"<details class=\"kb-disclosure kb-disclosure--search\">\n<summary class=\"kb-disclosure__toggle\">Zoeken</summary>", // and so does the search box
			`<a class="kb-header__about" href="/nl/hulp/snel-weg/">Wat doet Snel weg?</a>`,
			// the page's first paragraph, then the notice of a law being changed: which rule, as of when, and what it means
			"<div class=\"kb-prose kb-prose--lead\">\n<p>Dit is het eerste stuk. Het heeft een voetnoot.<sup id=\"fnref:1\">",
			"</p>\n</div>\n<p class=\"kb-law-notice\" role=\"note\"><strong>De wet verandert:</strong> Wetsvoorstel 36547 herschrijft artikel 273f. Stand op <time datetime=\"2025-11-18\">18 november 2025</time>. <a href=\"/nl/vragen/#wat-gebeurt-er-als-de-wet-verandert\">Wat betekent dat?</a></p>\n<nav class=\"kb-toc\"",
			`<th scope="row">werven</th>`, // the first cell of a row names it
			// the footer: the publisher, contact and privacy
			`Uitgever: <a href="https://github.com/kb-mensenhandel/kb">Kennisbank mensenhandel en mensensmokkel</a>, een open-sourceproject.`,
			`<a href="/nl/achtergrond/privacy/">Privacy</a>`, `<a href="/nl/achtergrond/over/#een-fout-gezien">Contact over de website</a>`,
			`<link rel="icon" href="/favicon.ico" sizes="32x32">`, `<link rel="icon" href="/assets/favicon.`,
			`Wetboek van Strafrecht, artikel 273f</a>`,
			`Laatst gecontroleerd: <time datetime="2026-11-23">23 november 2026</time>`,
			`!<script>alert`, `!raw html`, // raw HTML is dropped
			`!/_kb/livereload.js`,                  // only kb serve adds it
			`<script src="/assets/exit-this-page.`, // the quick exit's shortcut, a file: no inline script
			`!<link rel="stylesheet" href="http`,
		}},
		{"en/what/index.html", []string{
			`<html lang="en" dir="ltr">`,
			`Last reviewed: <time datetime="2026-11-23">23 November 2026</time>`,
			`<a class="kb-language-switch__link" href="/nl/wat/" hreflang="nl" lang="nl">Nederlands</a>`,
			`<a href="/en/rules/reflection-period/#how-long-does-it-take">`,
			`<strong>The law is changing:</strong>`, `<a href="/en/questions/#what-happens-when-the-law-changes">What does this mean?</a>`,
		}},
		{"nl/regels/alleen-nl/index.html", []string{
			// no translation: the switch goes to the English home and says so, in English
			`href="/en/" hreflang="en" lang="en">English</a> <span class="kb-visually-hidden" lang="en">This page is not in English yet.`,
			`!hreflang="x-default"`,
		}},
		{"nl/regels/index.html", []string{
			`<h2 class="kb-children__title" id="kb-children-title">Pagina&#39;s in dit onderdeel</h2>`,
			`2 pagina&#39;s`, `href="/nl/regels/bedenktijd/">Bedenktijd</a>`, `href="/nl/regels/alleen-nl/">`,
		}},
		{"nl/regels/bedenktijd/index.html", []string{`<p class="kb-tag">Begrip</p>`, `15 januari 2026`}},
		{"nl/index.html", []string{`<title>Mensenhandel en mensensmokkel</title>`, `<link rel="alternate" hreflang="x-default" href="https://example.org/">`, `!class="kb-breadcrumbs"`,
			// help first: 112 and the contacts page, above the page's text
			`<section class="kb-help" aria-labelledby="kb-help-title">`, `<a class="kb-help__call" href="tel:112">112</a>`, `Alle andere hulplijnen: <a href="/nl/contact/">Contact</a>.`}},
		{"index.html", []string{`href="https://www.buienradar.nl/" rel="nofollow noreferrer"`, `<a class="kb-skip-link" href="#kb-main">`, `lang="nl"`, `lang="en"`, `href="/nl/"`, `href="/en/"`, `>Nederlands</a>`, `>English</a>`,
			`<span lang="nl" dir="ltr"><span class="kb-visually-hidden">Noodknop: </span>Snel weg</span>`, `<span lang="en" dir="ltr"><span class="kb-visually-hidden">Emergency: </span>Exit this page</span>`}},
		// A visitor who lands on a missing page may need help: 112 and the contacts page.
		{"nl/404.html", []string{`<h1>Pagina niet gevonden</h1>`, `!<link rel="canonical"`,
			`<strong>In direct gevaar? Bel <a href="tel:112">112</a>.</strong> Alle andere hulplijnen: <a href="/nl/contact/">Contact</a>.`}},
		{"en/404.html", []string{`<h1>Page not found</h1>`, `<a href="tel:112">112</a>`, `<a href="/en/contacts/">Contacts</a>`}},
		{"404.html", []string{`Pagina niet gevonden`, `Page not found`,
			`<a href="/nl/contact/" hreflang="nl">Contact</a>`, `<a href="/en/contacts/" hreflang="en">Contacts</a>`}},
		// A decision aid: every answer a link, the way back, the whole aid on the start page.
		{"nl/kiezen/index.html", []string{
			`<a class="kb-aid__answer" href="/nl/kiezen/grens/">Begin</a>`,
			`!kb-aid__not-a-verdict`, // said by the results; the start page says it in its own words
			`<li class="kb-aid-map__step" id="kb-aid-step-1"><p class="kb-aid-map__question"><span class="kb-aid-map__number">1.</span> <a href="/nl/kiezen/grens/">Hielp iemand over de grens?</a></p>`,
			`<li>Ja <span aria-hidden="true">→</span><span class="kb-visually-hidden">:</span> <a href="#kb-aid-step-2">vraag 2</a></li>`,
			`<li>Nee <span aria-hidden="true">→</span><span class="kb-visually-hidden">:</span> <a href="#kb-aid-result-B">uitkomst B</a></li>`,
			`<li class="kb-aid-map__result" id="kb-aid-result-A"><span class="kb-aid-map__number">A.</span> <a href="/nl/kiezen/handel/">De signalen wijzen op mensenhandel</a></li>`,
			`<a href="tel:112">112</a>`,
		}},
		{"nl/kiezen/dwang/index.html", []string{
			`<h1 class="kb-article__title">Was er dwang?</h1>`,
			`<a class="kb-aid__answer" href="/nl/kiezen/handel/">Ja</a>`,
			`<a class="kb-aid__answer" href="/nl/kiezen/geen/">Nee</a>`,
			// two answers of step 1 lead here: it is named once
			"<p class=\"kb-aid__back\">Vorige vraag:</p>\n<ul class=\"kb-aid__back-list\">\n<li><a href=\"/nl/kiezen/grens/\">Hielp iemand over de grens?</a></li>\n</ul>",
			`<a href="/nl/kiezen/">Opnieuw beginnen</a>`,
			`!kb-aid-map__step`,
		}},
		{"en/choose/coercion/index.html", []string{`<a class="kb-aid__answer" href="/en/choose/neither/">No</a>`, `Previous question:`, `Start again`}},
		{"nl/kiezen/handel/index.html", []string{`<p class="kb-aid__not-a-verdict" role="note">De beslishulp laat alleen zien waar de signalen op wijzen.`, `Wetboek van Strafrecht, artikel 273f</a>`, `<a href="/nl/kiezen/dwang/">Was er dwang?</a>`, `!kb-aid__answers`}},
		{"sitemap.xml", []string{
			`<url><loc>https://example.org/nl/wat/</loc><lastmod>2026-11-23</lastmod><xhtml:link rel="alternate" hreflang="nl" href="https://example.org/nl/wat/"/><xhtml:link rel="alternate" hreflang="en" href="https://example.org/en/what/"/>`,
			`!concept`,
		}},
		{"robots.txt", []string{"Sitemap: https://example.org/sitemap.xml"}},
		{"nl/zoeken/index.html", []string{`<form class="kb-search-form kb-search-form--page" method="post" action="/api/search"`, `<input type="hidden" name="lang" value="nl">`, "<h1>Zoeken</h1>", `href="/en/search/" hreflang="en"`, `!kb-search-form--header`}},
		{"en/search/index.html", []string{"<h1>Search</h1>"}},
	}
	for _, c := range checks {
		data, err := os.ReadFile(filepath.Join(out, c.file))
		if err != nil {
			t.Error(err)
			continue
		}
		for _, w := range c.want {
			if not, ok := strings.CutPrefix(w, "!"); ok {
				if strings.Contains(string(data), not) {
					t.Errorf("%s contains %q; it must not", c.file, not)
				}
			} else if !strings.Contains(string(data), w) {
				t.Errorf("%s does not contain %q", c.file, w)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(out, "nl/concept/index.html")); err == nil {
		t.Error("kb build wrote the draft page nl/concept; drafts belong only in kb serve")
	}
	css, _ := filepath.Glob(filepath.Join(out, "assets/site.*.css"))
	if len(css) != 1 || !regexp.MustCompile(`site\.[0-9a-f]{8}\.css$`).MatchString(css[0]) {
		t.Errorf("assets: %v, want one site.<hash>.css", css)
	}
}

// TestBuildIsDeterministic builds twice and compares every byte, but for the
// bleve index's own files (bleveFile): bleve's segments and bolt store differ
// between two builds of the same documents (both answer the same).
func TestBuildIsDeterministic(t *testing.T) {
	a, b := tree(t, buildFixture(t, fixture)), tree(t, buildFixture(t, fixture))
	if len(a) < 10 {
		t.Fatalf("only %d files built", len(a))
	}
	for name, data := range a {
		if b[name] != data && !bleveFile.MatchString(name) {
			t.Errorf("%s differs between two builds", name)
		}
	}
	if len(a) != len(b) {
		t.Errorf("%d files, then %d", len(a), len(b))
	}
}

// tree reads every file under dir.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(name)
		rel, _ := filepath.Rel(dir, name)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// copyTree copies the fixture content so a test can break it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestFailedBuildKeepsOutput breaks the content after a good build: the next
// build fails with file:line messages and leaves the previous site as it was.
func TestFailedBuildKeepsOutput(t *testing.T) {
	content := copyTree(t, fixture)
	out := buildFixture(t, content)
	before := tree(t, out)

	page := filepath.Join(content, "nl", "wat.md")
	src, _ := os.ReadFile(page)
	broken := strings.Replace(string(src), "weight: 1", "weight: 1\ntitel: Oeps", 1)
	broken = strings.Replace(broken, "regels/bedenktijd.md#hoe-lang-duurt-het", "regels/bedenktijd.md#bestaat-niet", 1)
	os.WriteFile(page, []byte(broken), 0o644)

	code, _, stderr := kb(t, "build", "-content", content, "-out", out, "-base-url", "https://example.org")
	if code != 1 {
		t.Fatalf("kb build on broken content: exit %d, want 1", code)
	}
	file := filepath.ToSlash(filepath.Join(content, "nl", "wat.md"))
	for _, want := range []string{
		file + `:5: error: unknown front matter field "titel"; did you mean "title"?`,
		file + `:20: error: link regels/bedenktijd.md#bestaat-niet: there is no heading with id "bestaat-niet"`,
		"kb: 2 errors in the content; nothing was written, " + out + " is unchanged",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, stderr)
		}
	}
	after := tree(t, out)
	if len(after) != len(before) {
		t.Errorf("output has %d files after the failed build, %d before", len(after), len(before))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("%s changed in a failed build", name)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "public.*-*"))
	if len(leftovers) > 0 {
		t.Errorf("a failed build left %v behind", leftovers)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"bouw"}, {"build", "-base-url", "example.org"}, {"build", "extra"}} {
		if code, _, _ := kb(t, args...); code != 2 {
			t.Errorf("kb %v: exit %d, want 2", args, code)
		}
	}
}

func TestUnknownLanguageFolder(t *testing.T) {
	content := copyTree(t, fixture)
	os.MkdirAll(filepath.Join(content, "de"), 0o755)
	code, _, stderr := kb(t, "build", "-content", content, "-out", filepath.Join(t.TempDir(), "p"))
	if want := "folder de is not a language of the site; add the language to lang.All (cmd/internal/lang) with theme/i18n/de.toml"; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}
}

// TestRealContent builds the knowledge base itself, so a broken page fails go test.
func TestRealContent(t *testing.T) {
	out := buildFixture(t, "../../content")
	for _, f := range []string{"nl/index.html", "en/index.html", "index.html", "sitemap.xml"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestNetlifyHeaders keeps netlify.toml's headers equal to theme.Headers,
// which kb serve and the search endpoint send, and checks its redirects: the
// root to every language, and a 404 page per language.
func TestNetlifyHeaders(t *testing.T) {
	var cfg struct {
		Build struct {
			Command, Publish string
		}
		Redirects []struct {
			From, To   string
			Status     int
			Force      bool
			Conditions map[string][]string
		}
		Headers []struct {
			For    string
			Values map[string]string
		}
	}
	if _, err := toml.DecodeFile("../../netlify.toml", &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Build.Publish != "public" || !strings.Contains(cfg.Build.Command, "./cmd/kb build") {
		t.Errorf("build = %+v", cfg.Build)
	}
	var all map[string]string
	for _, h := range cfg.Headers {
		if h.For == "/*" {
			all = h.Values
		}
	}
	for _, h := range theme.Headers {
		if all[h.Name] != h.Value {
			t.Errorf("netlify.toml /* %s = %q; theme.Headers has %q", h.Name, all[h.Name], h.Value)
		}
	}
	if len(all) != len(theme.Headers) {
		t.Errorf("netlify.toml /* has %d headers, theme.Headers %d", len(all), len(theme.Headers))
	}
	csp := all["Content-Security-Policy"]
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("CSP allows %q: %s", bad, csp)
		}
	}
	if !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP lacks frame-ancestors 'none': %s", csp)
	}
	// Every language has its rule for the root (by Accept-Language) and for
	// its 404 page; the default language is the root's rule without a condition.
	def := lang.Default().Code
	root, notFound := map[string]bool{}, map[string]bool{}
	for i, r := range cfg.Redirects {
		switch {
		case r.From == "/" && r.Conditions == nil:
			if r.To == "/"+def+"/" && r.Force {
				root[def] = true
			}
			for _, later := range cfg.Redirects[i+1:] {
				if later.From == "/" {
					t.Errorf("redirect / → %s comes after the one without a condition, so it never applies", later.To)
				}
			}
		case r.From == "/":
			if l := r.Conditions["Language"]; len(l) == 1 && r.To == "/"+l[0]+"/" && r.Force && r.Status == 302 {
				root[l[0]] = true
			} else {
				t.Errorf("redirect / → %s: want one Language condition naming the language it goes to, force and 302; have %+v", r.To, r)
			}
		case r.From == "/api/search":
			if r.To != "/.netlify/functions/search" || r.Status != 200 {
				t.Errorf("/api/search must be rewritten (200) to the search function; have %+v", r)
			}
		case r.Status == 404:
			if code := strings.TrimSuffix(strings.TrimPrefix(r.From, "/"), "/*"); r.To == "/"+code+"/404.html" {
				notFound[code] = true
			}
		default:
			t.Errorf("redirect %s → %s: only / may be redirected, deep links never", r.From, r.To)
		}
	}
	for _, l := range lang.All {
		if !root[l.Code] {
			t.Errorf("netlify.toml has no redirect of / to /%s/ (with Language = [%q], unless it is the default language)", l.Code, l.Code)
		}
		if !notFound[l.Code] {
			t.Errorf("netlify.toml has no rule sending a missing page under /%s/ to /%s/404.html", l.Code, l.Code)
		}
	}
}
