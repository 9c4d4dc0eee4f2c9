package main

import (
	"bufio"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNetlifyCLI proves the Netlify wiring with the real Netlify CLI, offline:
// `netlify build --offline` runs the build command and compiles the function,
// and `netlify dev --offline` serves the site, applies netlify.toml's redirects
// and headers, and answers /api/search through the function.
//
// It needs the CLI from .ci/netlify (npm install --prefix .ci/netlify) and unshare as
// root, to keep netlify dev, which listens on every interface, in a loopback-only
// network namespace. Outside CI, without them, it skips; with CI=true it fails.
func TestNetlifyCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	root, _ := filepath.Abs("../../..")
	bin := filepath.Join(root, ".ci", "netlify", "node_modules", ".bin")
	missing := ""
	if _, err := os.Stat(filepath.Join(bin, "netlify")); err != nil {
		missing = "the Netlify CLI: run npm install --prefix .ci/netlify"
	} else if _, err := exec.LookPath("unshare"); err != nil || os.Geteuid() != 0 {
		missing = "unshare as root, for a loopback-only network namespace"
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("missing %s", missing)
		}
		t.Skipf("skipped: missing %s", missing)
	}

	site := copyRepo(t, root)
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "NETLIFY_TELEMETRY_DISABLED=1")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, filepath.Join(bin, "netlify"), "build", "--offline")
	build.Dir, build.Env = site, env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("netlify build --offline: %v\n%s", err, out)
	}
	dev := exec.CommandContext(ctx, "unshare", "-n", filepath.Join(root, "cmd/functions/search/testdata/netlify-dev.sh"), site)
	dev.Env = env
	out, err := dev.CombinedOutput()
	if err != nil {
		t.Fatalf("netlify dev: %v\n%s", err, out)
	}
	got := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), " ")
		got[name] = value
	}
	for name, want := range map[string]string{
		"root-en":     "302 http://127.0.0.1:8888/en/", // English browsers go to /en/
		"root-pl":     "302 http://127.0.0.1:8888/pl/", // Polish browsers to /pl/, also when they accept English
		"root-ar":     "302 http://127.0.0.1:8888/ar/", // Arabic browsers to /ar/
		"notfound-ar": `404 <html lang="ar" dir="rtl"`, // a missing Arabic page gets the Arabic 404 page
		"root-nl":     "302 http://127.0.0.1:8888/nl/", // everyone else to /nl/
		"deep":        "200",                           // deep links are never redirected
		"referrer":    "no-referrer",
		"api-bad":     "400",
		"notfound":    "404",
	} {
		if got[name] != want {
			t.Errorf("%s = %q; want %q", name, got[name], want)
		}
	}
	if !strings.Contains(got["csp"], "default-src 'none'") || strings.Contains(got["csp"], "unsafe-inline") {
		t.Errorf("CSP = %q", got["csp"])
	}
	if !strings.Contains(got["api-get"], `"url":"/nl/`) || !strings.HasSuffix(got["api-get"], " 200") {
		t.Errorf("GET /api/search through the function = %q", got["api-get"])
	}
	if got["api-form"] == "" || got["api-form"] == "0" {
		t.Errorf("a form posted to /api/search got no results page (%q)", got["api-form"])
	}
	if t.Failed() {
		log, _ := os.ReadFile(filepath.Join(site, "netlify-dev.log"))
		t.Logf("script output:\n%s\nnetlify dev log:\n%s", out, log)
	}
}

// copyRepo copies the repository's sources to a temporary folder, leaving out
// what builds make and the CLI itself, so the test never writes into the work tree.
func copyRepo(t *testing.T, root string) string {
	// Not t.TempDir: processes of netlify dev may still be writing there for a
	// moment after it stops, which would fail the test in its cleanup.
	dst, err := os.MkdirTemp("", "kb-netlify-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 5 {
			if os.RemoveAll(dst) == nil {
				return
			}
			time.Sleep(time.Second)
		}
		t.Logf("could not remove %s", dst)
	})
	skipDirs := map[string]bool{".git": true, "node_modules": true, "public": true, ".build": true, ".netlify": true}
	index := filepath.Join(root, "cmd", "functions", "search", "index")
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && skipDirs[d.Name()] {
			return filepath.SkipDir
		}
		if filepath.Dir(path) == index && d.Name() != "README.md" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil // an index from an earlier build here
		}
		rel, _ := filepath.Rel(root, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
