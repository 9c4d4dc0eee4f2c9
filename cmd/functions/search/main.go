// Search is the Netlify function behind /api/search. It serves the same
// handler as kb serve, over the index that kb build wrote to .build/search and
// that netlify.toml ships with the function (included_files).
package main

import (
	"log"
	"net/http"
	"os"
	"path/filepath"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/theme"
)

func main() {
	logger := log.New(os.Stderr, "search: ", 0)
	lambda.Start(httpadapter.New(newHandler(indexDir(), logger)).ProxyWithContext)
}

// indexDir is where the bundle holds the index: KB_INDEX if set, else
// .build/search under the function's root.
func indexDir() string {
	if dir := os.Getenv("KB_INDEX"); dir != "" {
		return dir
	}
	return filepath.Join(os.Getenv("LAMBDA_TASK_ROOT"), ".build", "search")
}

// newHandler opens the index where it lies; if that fails (a read-only file
// system that bleve cannot open in place), it copies the index to /tmp once, at
// cold start, and opens the copy. Without an index it answers 503.
func newHandler(dir string, logger *log.Logger) http.Handler {
	h, err := endpoint.Open(dir, theme.FS(), logger)
	if err == nil {
		return h
	}
	tmp, terr := os.MkdirTemp("", "kb-search-")
	if terr == nil {
		terr = os.CopyFS(tmp, os.DirFS(dir))
	}
	if terr == nil {
		if h2, err2 := endpoint.Open(tmp, theme.FS(), logger); err2 == nil {
			return h2
		}
	}
	logger.Printf("no search index: %v", err)
	return h
}
