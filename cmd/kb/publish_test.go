package main

import (
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

// bleveFile are the bleve index's own files, which differ between two builds
// of the same pages, and the manifest, which lists their hashes; the rest of
// a tree is the same byte for byte.
var bleveFile = regexp.MustCompile(`^_search/([a-z]+/bleve/|manifest\.json$)`)

// sameTree reports whether two trees hold the same files, bleve's own aside.
func sameTree(a, b map[string]string) bool {
	n := 0
	for name, data := range a {
		if bleveFile.MatchString(name) {
			continue
		}
		n++
		if b[name] != data {
			return false
		}
	}
	for name := range b {
		if !bleveFile.MatchString(name) {
			n--
		}
	}
	return n == 0
}

// twoVersions builds the fixture, and the fixture with an edited page, and
// returns the content folders and the trees of both.
func twoVersions(t *testing.T) (contentA, contentB string, a, b map[string]string) {
	t.Helper()
	contentA, contentB = copyTree(t, fixture), copyTree(t, fixture)
	page := filepath.Join(contentB, "nl", "wat.md")
	src, _ := os.ReadFile(page)
	os.WriteFile(page, []byte(strings.Replace(string(src), "Dit is het eerste stuk.", "Dit is het nieuwe eerste stuk, met het woord zeldzaamheid.", 1)), 0o644)
	a, b = tree(t, buildFixture(t, contentA)), tree(t, buildFixture(t, contentB))
	if sameTree(a, b) {
		t.Fatal("the two versions build the same tree")
	}
	return contentA, contentB, a, b
}

// TestFailedIndexKeepsBoth: a build whose last step, the index, fails leaves
// the previous site and index both as they were, and nothing beside them.
func TestFailedIndexKeepsBoth(t *testing.T) {
	contentA, contentB, a, _ := twoVersions(t)
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	if code, _, stderr := kb(t, "build", "-content", contentA, "-out", public, "-base-url", "https://example.org"); code != 0 {
		t.Fatalf("build A: %s", stderr)
	}
	c := config{content: contentB, out: public, baseURL: "https://example.org", theme: theme.FS(), now: testNow}
	_, err := publish(public, func(tree out.Tree) (result, error) {
		res, err := buildTree(c, tree) // the site and index of B written…
		if err != nil {
			return res, err
		}
		return res, errors.New("the index could not be built") // …and then its last step fails
	})
	if err == nil {
		t.Fatal("publish succeeded")
	}
	if got := tree(t, public); !sameTree(got, a) {
		t.Error("a failed build changed the published tree")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "public.*")); len(left) > 0 {
		t.Errorf("a failed build left %v", left)
	}
}

// TestKilledBuild kills kb build at random moments while it replaces one
// version of the site by another. What is left, once the next build has
// tidied up (out.Recover), is the old tree or the new one, site and index
// together, and nothing beside it.
func TestKilledBuild(t *testing.T) {
	contentA, contentB, a, b := twoVersions(t)
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	args := "KB_TEST_RUN=" + strings.Join([]string{"build", "-content", contentB, "-out", public, "-base-url", "https://example.org"}, "\n")
	// How long a whole build takes in its own process: the kills fall within it.
	start := time.Now()
	whole := exec.Command(os.Args[0], "-test.run=^$")
	whole.Env = append(os.Environ(), args)
	if out, err := whole.CombinedOutput(); err != nil {
		t.Fatalf("kb build in a process: %v\n%s", err, out)
	}
	took := time.Since(start)
	var old, new, killed int
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 7))
		os.RemoveAll(public)
		if code, _, stderr := kb(t, "build", "-content", contentA, "-out", public, "-base-url", "https://example.org"); code != 0 {
			t.Fatalf("build A: %s", stderr)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), args)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.Int64N(int64(took))))
		cmd.Process.Kill()
		if err := cmd.Wait(); err != nil {
			killed++
		}
		if err := out.Recover(public); err != nil {
			t.Fatal(err)
		}
		got := tree(t, public)
		// The index is whole and matches its manifest: the endpoint opens it without a complaint.
		if e, err := endpoint.Open(filepath.Join(public, site.SearchDir), endpoint.Options{}); err != nil {
			t.Errorf("seed %d: the search folder left is not whole: %v", seed, err)
		} else {
			e.Close()
		}
		switch {
		case sameTree(got, a):
			old++
		case sameTree(got, b):
			new++
		default:
			t.Errorf("seed %d: after the kill, public is neither the old tree nor the new (%d files)", seed, len(got))
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "public.*")); len(left) > 0 {
			t.Errorf("seed %d: left behind after tidying: %v", seed, left)
		}
	}
	t.Logf("12 builds (%v each) killed at random: %d killed before the end, %d left the old tree, %d the new", took.Round(time.Millisecond), killed, old, new)
	if killed == 0 {
		t.Error("no build was killed before it ended; the test tested nothing")
	}
}
