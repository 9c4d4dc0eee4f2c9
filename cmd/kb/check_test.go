package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCheckRealContent: the knowledge base itself passes kb check -strict.
func TestCheckRealContent(t *testing.T) {
	code, stdout, stderr := kbAt(t, nowFor(t, "../../content"), "check", "-strict", "-content", "../../content")
	if code != 0 {
		t.Fatalf("kb check -strict on content/: exit %d\n%s%s", code, stdout, stderr)
	}
	if !regexp.MustCompile(`kb check: \d+ pages, 0 errors`).MatchString(stdout) || !strings.Contains(stdout, ": passed") {
		t.Errorf("summary missing:\n%s", stdout)
	}
}

// TestCheckExitCodes: warnings alone pass, unless -strict; an error fails;
// every finding is one file:line: severity: message line.
func TestCheckExitCodes(t *testing.T) {
	content := copyTree(t, fixture)
	code, stdout, _ := kb(t, "check", "-content", content)
	warning := filepath.ToSlash(filepath.Join(content, "nl", "regels", "alleen-nl.md")) + ":1: warning: this page has no translation in en"
	if code != 0 || !strings.Contains(stdout, warning) || !strings.HasSuffix(stdout, "kb check: 26 pages, 0 errors, 1 warning and 12 notes: passed\n") {
		t.Errorf("kb check on the fixture: exit %d, want 0, a warning and a summary:\n%s", code, stdout)
	}
	if code, stdout, _ := kb(t, "check", "-strict", "-content", content); code != 1 || !strings.Contains(stdout, "failed (-strict: warnings fail too)") {
		t.Errorf("kb check -strict with a warning: exit %d, want 1:\n%s", code, stdout)
	}

	page := filepath.Join(content, "nl", "wat.md")
	src, _ := os.ReadFile(page)
	os.WriteFile(page, []byte(strings.Replace(string(src), "Dit is het eerste stuk.", "Dit is het [eerste stuk](http://example.org/).", 1)), 0o644)
	code, stdout, _ = kb(t, "check", "-content", content)
	want := filepath.ToSlash(page) + ":15: error: link http://example.org/ is not secure: change http:// into https://"
	if code != 1 || !strings.Contains(stdout, want) || !strings.Contains(stdout, "1 error, ") {
		t.Errorf("kb check with an http link: exit %d, want 1 and %q:\n%s", code, want, stdout)
	}
	// kb build fails on the same error, and prints the warning with its errors only when it succeeds.
	code, _, stderr := kb(t, "build", "-content", content, "-out", filepath.Join(t.TempDir(), "p"))
	if code != 1 || !strings.Contains(stderr, want) || strings.Contains(stderr, "warning:") {
		t.Errorf("kb build with an http link: exit %d, want 1 and only the error:\n%s", code, stderr)
	}
}

// TestDriftWorkflow: the Dutch page changes, kb check warns naming both files,
// the English page says it may be behind; after -fix-drift both are quiet.
func TestDriftWorkflow(t *testing.T) {
	content := copyTree(t, fixture)
	nl, en := filepath.Join(content, "nl", "wat.md"), filepath.Join(content, "en", "wat.md")
	src, _ := os.ReadFile(nl)
	os.WriteFile(nl, []byte(strings.Replace(string(src), "Het heeft een voetnoot.", "Het heeft een voetnoot en een nieuwe zin.", 1)), 0o644)

	code, stdout, _ := kb(t, "check", "-content", content)
	want := filepath.ToSlash(en) + ":14: warning: " + filepath.ToSlash(nl) + " changed after this translation was last updated; bring this page up to date, then run kb check -fix-drift " + filepath.ToSlash(en)
	if code != 0 || !strings.Contains(stdout, want) {
		t.Fatalf("kb check after a change to the Dutch page: exit %d, want 0 and\n%s\n%s", code, want, stdout)
	}
	out := buildFixture(t, content)
	notice := `<p><strong>This translation may be behind the Dutch page:</strong> <a href="/nl/wat/" hreflang="nl" lang="nl">Wat is het?</a></p>`
	if html, _ := os.ReadFile(filepath.Join(out, "en", "what", "index.html")); !strings.Contains(string(html), notice) {
		t.Errorf("en/what/index.html lacks the notice %s", notice)
	}
	if html, _ := os.ReadFile(filepath.Join(out, "en", "index.html")); strings.Contains(string(html), "may be behind") {
		t.Error("en/index.html has the notice, but its source did not change")
	}

	code, stdout, _ = kb(t, "check", "-content", content, "-fix-drift", en)
	if code != 0 || !strings.Contains(stdout, filepath.ToSlash(en)+": translationOf: nl:") || strings.Contains(stdout, "changed after") {
		t.Fatalf("kb check -fix-drift: exit %d\n%s", code, stdout)
	}
	if html, _ := os.ReadFile(filepath.Join(buildFixture(t, content), "en", "what", "index.html")); strings.Contains(string(html), "may be behind") {
		t.Error("the notice is still there after -fix-drift")
	}
	if code, _, stderr := kb(t, "check", "-content", content, "-fix-drift", filepath.Join(content, "nl", "nergens.md")); code != 1 || !strings.Contains(stderr, "is not a page of the site") {
		t.Errorf("-fix-drift of a missing file: exit %d, %s", code, stderr)
	}
}

func TestNew(t *testing.T) {
	content := copyTree(t, fixture)
	code, stdout, stderr := kb(t, "new", "-content", content, "regels/nieuwe-regel")
	if code != 0 {
		t.Fatalf("kb new: exit %d\n%s%s", code, stdout, stderr)
	}
	today := testNow.Format(time.DateOnly)
	for _, lang := range []string{"nl", "en"} {
		data, err := os.ReadFile(filepath.Join(content, lang, "regels", "nieuwe-regel.md"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"title: \"TODO: ", "translationKey: regels/nieuwe-regel\n", "sources: []\n", "reviewed: " + today + "\n", "type: page\n"} {
			if !strings.Contains(string(data), want) {
				t.Errorf("%s file lacks %q:\n%s", lang, want, data)
			}
		}
		if hasOf := strings.Contains(string(data), "translationOf: nl:"); hasOf != (lang == "en") {
			t.Errorf("%s file: translationOf present = %v:\n%s", lang, hasOf, data)
		}
	}
	// The new pages are not done: kb check says what is missing, and the English page follows the Dutch one.
	code, stdout, _ = kb(t, "check", "-content", content)
	file := filepath.ToSlash(filepath.Join(content, "nl", "regels", "nieuwe-regel.md"))
	for _, want := range []string{
		file + `:2: error: field title: replace the placeholder "TODO: titel" with the real text`,
		file + ":6: error: field sources: the list is empty; add at least one source",
		file + `:10: error: replace the placeholder "TODO: schrijf hier de tekst. Begin koppen met ##." with the real text`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("kb check after kb new lacks\n%s\n%s", want, stdout)
		}
	}
	if code != 1 || strings.Contains(stdout, "changed after this translation") {
		t.Errorf("kb check after kb new: exit %d, want 1 and no drift:\n%s", code, stdout)
	}
	if code, _, stderr := kb(t, "new", "-content", content, "regels/nieuwe-regel"); code != 1 || !strings.Contains(stderr, "already exists; kb new never overwrites") {
		t.Errorf("kb new over an existing page: exit %d, %s", code, stderr)
	}
	if code, _, stderr := kb(t, "new", "-content", content, "geen-onderdeel/pagina"); code != 1 || !strings.Contains(stderr, "there is no section geen-onderdeel") {
		t.Errorf("kb new in a missing section: exit %d, %s", code, stderr)
	}
	if code, _, _ := kb(t, "new", "-content", content, "Regels/Hoofdletters"); code != 1 {
		t.Errorf("kb new with capitals: exit %d, want 1", code)
	}
}

func TestCheckEditURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                                    "",
		"https://github.com/org/kb/edit/main": "https://github.com/org/kb/edit/main",
		"https://x-access-token:v1.abc@github.com/org/kb/edit/main/": "https://github.com/org/kb/edit/main",
		"git@github.com:org/kb.git/edit/main":                        "https://github.com/org/kb/edit/main",
	} {
		if got, err := checkEditURL(in); err != nil || got != want {
			t.Errorf("checkEditURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := checkEditURL("/edit/main"); err == nil {
		t.Error("checkEditURL accepted a path without a host")
	}
}
