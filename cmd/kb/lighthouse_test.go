package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// lighthousePages are the pages Lighthouse scores: a home page and a content
// page (a table, a law notice, footnotes and a contents list).
var lighthousePages = []string{"/nl/", "/nl/verschil/"}

// lighthouseRuns is how many runs the median of a page's scores is taken over.
const lighthouseRuns = 5

// lighthouseCategories must each score 100 on a phone.
var lighthouseCategories = []string{"performance", "accessibility", "best-practices", "seo"}

// TestLighthouse runs Lighthouse (npm lighthouse, pinned by
// .ci/browser/package-lock.json) with Debian's Chromium on the real site,
// served as the browser tests serve it, as a phone on a slow network
// (Lighthouse's mobile defaults: a Moto G Power's screen and simulated 4G,
// with the CPU slowdown calibrated to this machine, below). Every category
// must score 100 (the median of five runs). Nothing leaves the machine:
// Lighthouse only loads the site's own pages.
func TestLighthouse(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("Lighthouse skipped in -short mode")
	}
	missing := func(what, how string) { t.Helper(); missingTool(t, what, how) }
	node, err := exec.LookPath("node")
	if err != nil {
		missing("Node.js (for Lighthouse)", "install it with: apt-get install -y nodejs npm")
	}
	cli := filepath.Join("..", "..", ".ci", "browser", "node_modules", "lighthouse", "cli", "index.js")
	if _, err := os.Stat(cli); err != nil {
		missing("Lighthouse", "install it with: npm ci --ignore-scripts --prefix .ci/browser")
	}
	chromium := needChromium(t)
	site := serveRealSite(t, "")
	// Lighthouse's 4x CPU slowdown is calibrated for a high-end desktop
	// (benchmark index 1500 to 2000; below 1000 it warns that the host is too
	// slow for it): on such a host it simulates a phone of index about 440.
	// This machine's index wanders between about 900 and 1700 from minute to
	// minute (a shared, 2-core VM), so the slowdown is calibrated as
	// Lighthouse's throttling guide advises: index / 440, from the median
	// index of the runs so far (the first from a short run), so that every run
	// simulates the same phone.
	cal := &cpuCalibration{}
	cal.add(lighthouseRun(t, node, cli, chromium, site.origin+"/nl/", 4, "seo").Environment.BenchmarkIndex)
	artefacts := os.Getenv("KB_ARTIFACTS")
	for _, p := range lighthousePages {
		name := strings.Trim(strings.ReplaceAll(p, "/", "-"), "-")
		t.Run(name, func(t *testing.T) {
			// One Lighthouse run on a 2-core machine is noisy: a busy moment
			// turns 50 ms of blocking time into 350 ms. As Lighthouse's own
			// advice on variability says, the score is the median of five
			// runs: a category passes when three of the five score 100. Runs
			// stop as soon as every category is decided.
			passes, fails := map[string]int{}, map[string]int{}
			var lost []string
			for run := 1; run <= lighthouseRuns; run++ {
				slowdown := cal.slowdown()
				report := lighthouseRun(t, node, cli, chromium, site.origin+p, slowdown, strings.Join(lighthouseCategories, ","))
				cal.add(report.Environment.BenchmarkIndex)
				if artefacts != "" {
					os.WriteFile(filepath.Join(artefacts, fmt.Sprintf("lighthouse-%s-%d.json", name, run)), report.raw, 0o644)
				}
				var scores []string
				for _, c := range lighthouseCategories {
					cat, ok := report.Categories[c]
					if !ok || cat.Score == nil {
						t.Fatalf("%s: no %s score", p, c)
					}
					scores = append(scores, fmt.Sprintf("%s %.0f", c, *cat.Score*100))
					if *cat.Score >= 1 {
						passes[c]++
						continue
					}
					fails[c]++
					lost = append(lost, fmt.Sprintf("run %d: %s %.0f, loses on: %s", run, c, *cat.Score*100, report.losses(c)))
				}
				t.Logf("%s on a phone, run %d: %s (CPU slowdown %.1fx; the machine's benchmark index in this run: %.0f)", p, run, strings.Join(scores, ", "), slowdown, report.Environment.BenchmarkIndex)
				decided := true
				for _, c := range lighthouseCategories {
					if passes[c] < lighthouseRuns/2+1 && fails[c] < lighthouseRuns/2+1 {
						decided = false
					}
				}
				if decided {
					break
				}
			}
			for _, c := range lighthouseCategories {
				if fails[c] > lighthouseRuns/2 {
					t.Errorf("%s scores under 100 for %s on a phone in %d of %d runs; want 100 in most of %d.\n%s",
						p, c, fails[c], passes[c]+fails[c], lighthouseRuns, strings.Join(lost, "\n"))
				}
			}
		})
	}
}

// lighthouseReport is the part of Lighthouse's JSON report the test reads.
type lighthouseReport struct {
	raw          []byte
	RuntimeError *struct{ Code, Message string }
	Environment  struct{ BenchmarkIndex float64 }
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

// losses names the audits that cost category c points, with their values.
func (r *lighthouseReport) losses(c string) string {
	var lost []string
	for _, ref := range r.Categories[c].AuditRefs {
		a := r.Audits[ref.ID]
		if ref.Weight > 0 && a.Score != nil && *a.Score < 1 {
			detail := ""
			if a.DisplayValue != "" {
				detail = ": " + a.DisplayValue
			}
			lost = append(lost, fmt.Sprintf("%s (%s, score %.2f%s)", a.Title, ref.ID, *a.Score, detail))
		}
	}
	sort.Strings(lost)
	return strings.Join(lost, "; ")
}

// lighthouseRun runs Lighthouse once on url, as a phone, with a fresh profile.
// When Lighthouse itself fails to record the page load (a runtime error such
// as NO_NAVSTART, for which it says "Please run Lighthouse again"), it runs
// again, up to twice: that is the tool failing, not the page scoring.
func lighthouseRun(t *testing.T, node, cli, chromium, url string, slowdown float64, categories string) *lighthouseReport {
	t.Helper()
	var failure string
	for attempt := 1; attempt <= 3; attempt++ {
		profile := t.TempDir()
		cmd := exec.Command(node, cli, url,
			"--output=json", "--output-path=stdout", "--quiet",
			"--only-categories="+categories,
			"--form-factor=mobile",
			fmt.Sprintf("--throttling.cpuSlowdownMultiplier=%.2f", slowdown),
			"--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir="+profile,
		)
		cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium, "HOME="+profile, "XDG_CONFIG_HOME="+profile)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		report := &lighthouseReport{raw: stdout.Bytes()}
		switch {
		case err != nil && strings.Contains(stderr.String(), "Runtime error encountered"):
			failure = fmt.Sprintf("%v\n%s", err, stderr.String())
		case err != nil:
			t.Fatalf("lighthouse %s: %v\n%s", url, err, stderr.String())
		case json.Unmarshal(stdout.Bytes(), report) != nil:
			t.Fatalf("lighthouse %s: the report is not JSON:\n%.500s", url, stdout.String())
		case report.RuntimeError != nil && report.RuntimeError.Code != "":
			failure = report.RuntimeError.Code + ": " + report.RuntimeError.Message
		default:
			return report
		}
		t.Logf("lighthouse %s, attempt %d: Lighthouse failed to record the page (%s); running it again", url, attempt, strings.TrimSpace(failure))
	}
	t.Fatalf("lighthouse %s failed three times: %s", url, failure)
	return nil
}

// cpuCalibration turns the machine's benchmark index (Lighthouse's measure of
// the host's speed) into the CPU slowdown that simulates the phone
// Lighthouse's mobile preset means: the one a 4x slowdown gives on the host it
// is calibrated for, a high-end desktop of index 1500 to 2000 (1750 / 4).
type cpuCalibration struct{ indexes []float64 }

const simulatedPhoneIndex = 1750.0 / 4

func (c *cpuCalibration) add(index float64) {
	if index > 0 {
		c.indexes = append(c.indexes, index)
	}
}

// slowdown is the median index so far over the phone's, between 1x and 8x.
func (c *cpuCalibration) slowdown() float64 {
	if len(c.indexes) == 0 {
		return 4
	}
	sorted := slices.Sorted(slices.Values(c.indexes))
	return min(max(sorted[len(sorted)/2]/simulatedPhoneIndex, 1), 8)
}
