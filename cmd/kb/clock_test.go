package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// wallClock are the places that may read the time of day, and why: the
// clock of a command (KB_NOW or the system's), and stopwatches that only
// measure how long something took.
var wallClock = map[string]string{
	"cmd/kb/main.go":  "clockFromEnv: the one clock of the commands",
	"cmd/kb/build.go": "a stopwatch for the build's duration",
	"cmd/kb/serve.go": "a stopwatch for a rebuild's duration",
	"search/index.go": "a stopwatch for a query's duration (took_ms)",
}

var nowCall = regexp.MustCompile(`\btime\.Now\b`)

// TestWallClock keeps the time of day out of the code: everything that
// depends on the date (review dates, deadlines in the text, security.txt,
// kb new) is given a time by its caller, so that builds can be repeated and
// no test depends on the calendar. Run the tests a year ahead with
// KB_NOW=2027-12-01 go test ./... to see that none does.
func TestWallClock(t *testing.T) {
	root := "../.."
	err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && name != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, name)
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if nowCall.Match(src) && wallClock[rel] == "" {
			t.Errorf("%s reads the time of day (time.Now); take the time from the caller instead (build.Config.Now, content.Options.Today), or add the file to wallClock with the reason", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestClockFromEnv: KB_NOW sets the clock of the commands.
func TestClockFromEnv(t *testing.T) {
	for env, want := range map[string]string{
		"2027-12-01":           "2027-12-01T00:00:00Z",
		"2027-12-01T09:30:00Z": "2027-12-01T09:30:00Z",
	} {
		clock, err := clockFromEnv(env)
		if err != nil {
			t.Errorf("clockFromEnv(%q): %v", env, err)
		} else if got := clock().Format(time.RFC3339); got != want {
			t.Errorf("clockFromEnv(%q)() = %s; want %s", env, got, want)
		}
	}
	if _, err := clockFromEnv("1 december"); err == nil {
		t.Error("clockFromEnv accepts a date that is not YYYY-MM-DD")
	}
}
