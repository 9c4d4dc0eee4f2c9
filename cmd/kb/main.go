// Kb builds and serves the knowledge base on human trafficking and migrant smuggling.
//
// Usage:
//
//	kb build [-content content] [-out public] [-base-url https://example.org] [-edit-url https://github.com/org/kb/edit/main]
//	kb check [-content content] [-strict] [-fix-drift FILE|all]
//	kb new [-content content] [-type page|glossary] <section>/<slug>
//	kb serve [-addr 127.0.0.1:8080] [-content content]
//	kb search [-addr 127.0.0.1:8081] [-index public/_search]
//
// Build turns the Markdown in content/<lang>/ into the static site in public/,
// with the search index, one per language, in public/_search/ (package build
// describes the tree).
// Check runs the build's checks without writing anything; new starts a page
// in every language.
// Serve builds the site with draft pages into a temporary folder, serves it
// with the search endpoint /api/search,
// rebuilds when a file under content/ or theme/ changes and reloads the browser.
// Search serves only /api/search over a built index, for self-hosting.
//
// The commands read the clock once, when they start (serve: at every
// rebuild). KB_NOW=2027-12-01 sets it instead, to build as of a day, or to
// run the tests with the clock a year ahead.
package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  kb build [-content content] [-out public] [-base-url https://example.org] [-edit-url https://github.com/org/kb/edit/main]
  kb check [-content content] [-strict] [-fix-drift FILE|all]
  kb new [-content content] [-type page|glossary] <section>/<slug>
  kb serve [-addr 127.0.0.1:8080] [-content content]
  kb search [-addr 127.0.0.1:8081] [-index public/_search]
`

// run is main without os.Exit. It returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	clock, err := clockFromEnv(os.Getenv("KB_NOW"))
	if err != nil {
		fmt.Fprintf(stderr, "kb: %v\n", err)
		return 2
	}
	return runWith(args, stdout, stderr, clock)
}

// runWith runs a command with the given clock: the only one the commands
// read, so that tests can pin it.
func runWith(args []string, stdout, stderr io.Writer, clock func() time.Time) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "build":
		return runBuild(args[1:], stdout, stderr, clock())
	case "check":
		return runCheck(args[1:], stdout, stderr, clock())
	case "new":
		return runNew(args[1:], stdout, stderr, clock())
	case "serve":
		return runServe(args[1:], stdout, stderr, clock)
	case "search":
		return runSearch(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "kb: unknown command %q\n%s", args[0], usage)
	return 2
}

// clockFromEnv returns the clock: the system's, or the fixed time that
// KB_NOW gives (2027-12-01, or a whole RFC 3339 time). It is the one place
// that reads the time of day (TestWallClock keeps it so).
func clockFromEnv(env string) (func() time.Time, error) {
	if env == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, env)
	if err != nil {
		t, err = time.Parse(time.DateOnly, env)
	}
	if err != nil {
		return nil, fmt.Errorf("KB_NOW=%q is not a date such as 2027-12-01 or a time such as 2027-12-01T09:00:00Z", env)
	}
	return func() time.Time { return t }, nil
}
