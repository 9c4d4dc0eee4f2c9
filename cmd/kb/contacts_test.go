package main

import (
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kb-mensenhandel/kb/cmd/internal/build"
	"github.com/kb-mensenhandel/kb/cmd/internal/content"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

var (
	telHref   = regexp.MustCompile(`href="tel:([^"]*)"`)
	mainPart  = regexp.MustCompile(`(?s)<main\b.*</main>`)
	httpsHref = regexp.MustCompile(`href="https://`)
)

// TestPhoneNumbersOnContactsPage builds the real site and checks every tel:
// link on every page, the theme's own (404 and root pages) included: its
// number must be on the contacts page of the page's language, in a section
// that names a source (an https link) and the day the number was checked.
// kb check proves the same for the Markdown; this also covers the templates.
func TestPhoneNumbersOnContactsPage(t *testing.T) {
	s, err := site.New(theme.FS())
	if err != nil {
		t.Fatal(err)
	}
	cfg := config{content: "../../content", now: nowFor(t, "../../content")}.buildConfig()
	opt, err := build.ContentOptions(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := build.Load(s, os.DirFS("../../content"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	pages := res.Set.Pages
	out := buildFixture(t, "../../content")
	files := tree(t, out)

	// The numbers each language's contacts page gives with a source and a date.
	checked := map[string][]string{}
	for _, p := range pages {
		if p.Type != content.TypeContacts {
			continue
		}
		html, ok := files[strings.TrimPrefix(p.URL, "/")+"index.html"]
		if !ok {
			t.Fatalf("the contacts page %s was not built at %s", p.File, p.URL)
		}
		var months []string
		for _, m := range opt.Words[p.Lang].Months {
			months = append(months, regexp.QuoteMeta(m))
		}
		date := regexp.MustCompile(`(?i)\b\d{1,2} (` + strings.Join(months, "|") + `) 20\d\d\b`)
		for i, sec := range strings.Split(mainPart.FindString(html), "<h2") {
			nums := telHref.FindAllStringSubmatch(sec, -1)
			if len(nums) == 0 {
				continue
			}
			if !date.MatchString(sec) || !httpsHref.MatchString(sec) {
				t.Errorf("%s, section %d: gives tel:%s without a checked date and an https source", p.URL, i, nums[0][1])
				continue
			}
			for _, n := range nums {
				checked[p.Lang] = append(checked[p.Lang], n[1])
			}
		}
	}
	for _, lang := range s.Langs() {
		if !slices.Contains(checked[lang], "112") {
			t.Errorf("the %s contacts page does not give 112 with its source and date", lang)
		}
	}

	links := 0
	for name, data := range files {
		if path.Ext(name) != ".html" {
			continue
		}
		// A page under /nl/ is Dutch; the root pages speak every language.
		langs := s.Langs()
		if first, _, _ := strings.Cut(name, "/"); slices.Contains(langs, first) {
			langs = []string{first}
		}
		for _, m := range telHref.FindAllStringSubmatch(data, -1) {
			links++
			for _, lang := range langs {
				if !slices.Contains(checked[lang], m[1]) {
					t.Errorf("%s links tel:%s, which the %s contacts page does not give with its source and the day it was checked", name, m[1], lang)
				}
			}
		}
	}
	if links == 0 {
		t.Error("no tel: links on the site at all; the 404 pages alone should link 112")
	}
}
