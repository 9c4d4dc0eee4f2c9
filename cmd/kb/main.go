// Kb builds and serves the knowledge base on human trafficking and migrant smuggling.
//
// Usage:
//
//	kb build [-content content] [-out public] [-index .build/search] [-base-url https://example.org] [-edit-url https://github.com/org/kb/edit/main]
//	kb check [-content content] [-strict] [-fix-drift FILE|all]
//	kb new [-content content] [-type page|glossary] <section>/<slug>
//	kb serve [-addr 127.0.0.1:8080] [-content content]
//	kb search [-addr 127.0.0.1:8081] [-index .build/search]
//
// Build turns the Markdown in content/<lang>/ into the static site in public/,
// and writes the search index, one per language, to .build/search/.
// Check runs the build's checks without writing anything; new starts a page
// in every language.
// Serve builds the site with draft pages into a temporary folder, serves it
// with the search endpoint /api/search,
// rebuilds when a file under content/ or theme/ changes and reloads the browser.
// Search serves only /api/search over a built index, for self-hosting.
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
  kb build [-content content] [-out public] [-index .build/search] [-base-url https://example.org] [-edit-url https://github.com/org/kb/edit/main]
  kb check [-content content] [-strict] [-fix-drift FILE|all]
  kb new [-content content] [-type page|glossary] <section>/<slug>
  kb serve [-addr 127.0.0.1:8080] [-content content]
  kb search [-addr 127.0.0.1:8081] [-index .build/search]
`

// run is main without os.Exit, so that tests can call it. It returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "build":
		return runBuild(args[1:], stdout, stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "new":
		return runNew(args[1:], stdout, stderr, time.Now())
	case "serve":
		return runServe(args[1:], stdout, stderr)
	case "search":
		return runSearch(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "kb: unknown command %q\n%s", args[0], usage)
	return 2
}
