package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// lighthousePages are the pages Lighthouse scores: a home page and a content
// page (a table, a law notice, footnotes and a contents list).
var lighthousePages = []string{"/nl/", "/nl/verschil/"}

// lighthouseCategories must each score 100 on a phone.
var lighthouseCategories = []string{"performance", "accessibility", "best-practices", "seo"}

// TestLighthouse runs Lighthouse (npm lighthouse, pinned by
// .ci/browser/package-lock.json) with Debian's Chromium on the real site,
// served as the browser tests serve it, as a phone on a slow network
// (Lighthouse's mobile defaults: a Moto G Power's screen, simulated 4G and a
// CPU four times slower). Every category must score 100. Nothing leaves the
// machine: Lighthouse only loads the site's own pages.
func TestLighthouse(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("Lighthouse skipped in -short mode")
	}
	missing := func(what, how string) {
		t.Helper()
		msg := fmt.Sprintf("%s not found; %s (or run bash .ci/run, which installs everything)", what, how)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("Node.js (for Lighthouse)", "install it with: apt-get install -y nodejs npm")
	}
	cli := filepath.Join("..", "..", ".ci", "browser", "node_modules", "lighthouse", "cli", "index.js")
	if _, err := os.Stat(cli); err != nil {
		missing("Lighthouse", "install it with: npm ci --ignore-scripts --prefix .ci/browser")
	}
	var chromium string
	for _, name := range []string{os.Getenv("KB_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); name != "" && err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		missing("Chromium", "install it with: apt-get update && apt-get install -y chromium (or set KB_CHROMIUM)")
	}
	site := serveRealSite(t, "")
	artefacts := os.Getenv("KB_ARTIFACTS")
	for _, p := range lighthousePages {
		name := strings.Trim(strings.ReplaceAll(p, "/", "-"), "-")
		t.Run(name, func(t *testing.T) {
			profile := t.TempDir()
			cmd := exec.Command(node, cli, site.origin+p,
				"--output=json", "--output-path=stdout", "--quiet",
				"--only-categories="+strings.Join(lighthouseCategories, ","),
				"--form-factor=mobile",
				"--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir="+profile,
			)
			cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium, "HOME="+profile, "XDG_CONFIG_HOME="+profile)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("lighthouse %s: %v\n%s", p, err, stderr.String())
			}
			if artefacts != "" {
				os.WriteFile(filepath.Join(artefacts, "lighthouse-"+name+".json"), stdout.Bytes(), 0o644)
			}
			var report struct {
				RuntimeError *struct{ Code, Message string }
				Categories   map[string]struct {
					Score     *float64
					AuditRefs []struct {
						ID     string
						Weight float64
					}
				}
				Audits map[string]struct {
					Title, DisplayValue string
					Score               *float64
				}
			}
			if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
				t.Fatalf("lighthouse %s: %v\n%.500s", p, err, stdout.String())
			}
			if e := report.RuntimeError; e != nil && e.Code != "" {
				t.Fatalf("lighthouse %s: %s: %s", p, e.Code, e.Message)
			}
			var scores []string
			for _, c := range lighthouseCategories {
				cat, ok := report.Categories[c]
				if !ok || cat.Score == nil {
					t.Errorf("%s: no %s score", p, c)
					continue
				}
				scores = append(scores, fmt.Sprintf("%s %.0f", c, *cat.Score*100))
				if *cat.Score >= 1 {
					continue
				}
				var lost []string
				for _, ref := range cat.AuditRefs {
					a := report.Audits[ref.ID]
					if ref.Weight > 0 && a.Score != nil && *a.Score < 1 {
						detail := ""
						if a.DisplayValue != "" {
							detail = ": " + a.DisplayValue
						}
						lost = append(lost, fmt.Sprintf("%s (%s, score %.2f%s)", a.Title, ref.ID, *a.Score, detail))
					}
				}
				sort.Strings(lost)
				t.Errorf("%s scores %.0f for %s on a phone; want 100. It loses on: %s", p, *cat.Score*100, c, strings.Join(lost, "; "))
			}
			t.Logf("%s on a phone: %s", p, strings.Join(scores, ", "))
		})
	}
}
