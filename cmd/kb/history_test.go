package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// needGit returns the git command, or skips (fails in CI) without it.
func needGit(t *testing.T) string {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed; CI needs it for the history tests")
		}
		t.Skip("git is not installed (apt-get install git)")
	}
	return git
}

// gitRepo makes a repository with the fixture content in content/, committed
// in two steps at fixed dates: everything on 10 January 2026, then a change
// to nl/wat.md on 5 March 2026.
func gitRepo(t *testing.T) string {
	t.Helper()
	git := needGit(t)
	repo := t.TempDir()
	run := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command(git, args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("", "init", "-q", "-b", "main")
	run("", "config", "user.name", "Redactie")
	run("", "config", "user.email", "redactie@example.org")
	if err := os.CopyFS(filepath.Join(repo, "content"), os.DirFS(fixture)); err != nil {
		t.Fatal(err)
	}
	run("2026-01-10T12:00:00+01:00", "add", ".")
	run("2026-01-10T12:00:00+01:00", "commit", "-q", "-m", "Eerste versie van alle pagina's")
	page := filepath.Join(repo, "content", "nl", "wat.md")
	src, _ := os.ReadFile(page)
	os.WriteFile(page, []byte(strings.Replace(string(src), "Het heeft een voetnoot.", "Het heeft een voetnoot en een uitleg.", 1)), 0o644)
	run("2026-03-05T09:30:00+01:00", "commit", "-q", "-am", "Wat is het: uitleg toegevoegd")
	return repo
}

func read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestHistoryFromGit: last updated, the sitemap's lastmod, the change history
// page and the edit link come from one git log of the content folder.
func TestHistoryFromGit(t *testing.T) {
	repo := gitRepo(t)
	// A page added but not committed falls back to its reviewed date.
	os.WriteFile(filepath.Join(repo, "content", "nl", "regels", "nieuw.md"), []byte("---\ntitle: Nieuw\ndescription: Nog niet vastgelegd.\ntype: page\nsources:\n  - title: Bron\n    url: https://example.org/\nreviewed: 2026-02-01\n---\nTekst.\n"), 0o644)
	out := filepath.Join(t.TempDir(), "public")
	code, stdout, stderr := kb(t, "build", "-content", filepath.Join(repo, "content"), "-out", out,
		"-base-url", "https://example.org", "-edit-url", "https://x-access-token:geheim@github.com/org/kb/edit/main")
	if code != 0 {
		t.Fatalf("kb build: exit %d\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stderr, "history") {
		t.Errorf("a full history is reported as missing or shallow:\n%s", stderr)
	}
	checks := map[string][]string{
		"nl/wat/index.html": {
			`Laatst bijgewerkt: <time datetime="2026-03-05">5 maart 2026</time> <a href="/nl/wat/wijzigingen/">Bekijk alle wijzigingen</a>`,
			`<a href="https://github.com/org/kb/edit/main/content/nl/wat.md" rel="nofollow">Deze pagina bewerken (voor redacteuren)</a>`,
			`!geheim`,
		},
		"nl/wat/wijzigingen/index.html": {
			`<h1 class="kb-article__title">Wijzigingen van: Wat is het?</h1>`,
			`<li><time datetime="2026-03-05">5 maart 2026</time>: Wat is het: uitleg toegevoegd</li>`,
			`<li><time datetime="2026-01-10">10 januari 2026</time>: Eerste versie van alle pagina&#39;s</li>`,
			`<a href="/nl/wat/">Terug naar de pagina</a>`,
			// the page's pair in the other language has a change history too
			`<link rel="canonical" href="https://example.org/nl/wat/wijzigingen/">`,
			`<link rel="alternate" hreflang="nl" href="https://example.org/nl/wat/wijzigingen/">`,
			`<link rel="alternate" hreflang="en" href="https://example.org/en/what/changes/">`,
			`<link rel="alternate" hreflang="x-default" href="https://example.org/nl/wat/wijzigingen/">`,
			`<a class="kb-language-switch__link" href="/en/what/changes/" hreflang="en" lang="en">English</a>`,
		},
		"en/what/index.html": {
			`Last updated: <time datetime="2026-01-10">10 January 2026</time> <a href="/en/what/changes/">See all updates</a>`,
			`href="https://github.com/org/kb/edit/main/content/en/wat.md"`,
		},
		"en/what/changes/index.html": {`Updates to: What is it?`, `!uitleg toegevoegd`,
			`<link rel="alternate" hreflang="nl" href="https://example.org/nl/wat/wijzigingen/">`, `<link rel="alternate" hreflang="en" href="https://example.org/en/what/changes/">`},
		"nl/regels/nieuw/index.html": {`Laatst bijgewerkt: <time datetime="2026-02-01">1 februari 2026</time></p>`, `!wijzigingen/`},
		"sitemap.xml": {
			`<loc>https://example.org/nl/wat/</loc><lastmod>2026-03-05</lastmod>`,
			`<loc>https://example.org/en/what/</loc><lastmod>2026-01-10</lastmod>`,
			`<loc>https://example.org/nl/regels/nieuw/</loc><lastmod>2026-02-01</lastmod>`,
			`!wijzigingen`,
		},
	}
	for file, wants := range checks {
		data := read(t, filepath.Join(out, file))
		for _, w := range wants {
			if not, ok := strings.CutPrefix(w, "!"); ok {
				if strings.Contains(data, not) {
					t.Errorf("%s contains %q; it must not", file, not)
				}
			} else if !strings.Contains(data, w) {
				t.Errorf("%s does not contain %q", file, w)
			}
		}
	}
}

// TestHistoryShallowClone: in a shallow clone the build works and says so in
// one line; a page changed in the fetched commits has its date, the others
// fall back to reviewed (the oldest fetched commit seems to add every file).
func TestHistoryShallowClone(t *testing.T) {
	repo := gitRepo(t)
	clone := filepath.Join(t.TempDir(), "clone")
	cmd := exec.Command(needGit(t), "clone", "-q", "--depth", "1", "file://"+repo, clone)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git clone --depth 1: %v\n%s", err, out)
	}
	out := filepath.Join(t.TempDir(), "public")
	code, _, stderr := kb(t, "build", "-content", filepath.Join(clone, "content"), "-out", out)
	if code != 0 {
		t.Fatalf("kb build in a shallow clone: exit %d\n%s", code, stderr)
	}
	if n := strings.Count(stderr, "the git history is shallow"); n != 1 {
		t.Errorf("stderr mentions the shallow history %d times, want once:\n%s", n, stderr)
	}
	// depth 1: the one commit is the boundary, so every page falls back to reviewed.
	if data := read(t, filepath.Join(out, "nl", "wat", "index.html")); !strings.Contains(data, `Laatst bijgewerkt: <time datetime="2026-11-23">`) || strings.Contains(data, "wijzigingen/") {
		t.Errorf("nl/wat in a depth-1 clone: want the reviewed date and no history link")
	}
}

// TestHistoryWithoutGit: outside a repository the dates are the reviewed
// dates, there are no history pages, and the build says so in one line.
func TestHistoryWithoutGit(t *testing.T) {
	content := copyTree(t, fixture)
	out := filepath.Join(t.TempDir(), "public")
	code, _, stderr := kb(t, "build", "-content", content, "-out", out, "-base-url", "https://example.org")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "kb build: no git history") {
		t.Errorf("stderr does not say there is no git history:\n%s", stderr)
	}
	if data := read(t, filepath.Join(out, "sitemap.xml")); !strings.Contains(data, `<loc>https://example.org/nl/regels/bedenktijd/</loc><lastmod>2026-01-15</lastmod>`) {
		t.Errorf("sitemap lastmod is not the reviewed date:\n%s", data)
	}
	if data := read(t, filepath.Join(out, "nl", "wat", "index.html")); strings.Contains(data, "wijzigingen/") || strings.Contains(data, "bewerken") {
		t.Error("a page without git history links to a change history or an edit page")
	}
	if _, err := os.Stat(filepath.Join(out, "nl", "wat", "wijzigingen")); err == nil {
		t.Error("a change history page was written without git history")
	}
}
