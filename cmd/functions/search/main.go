// Search is the Netlify function behind /api/search. It serves the same
// handler as kb serve, over the index that the Netlify build writes to
// cmd/functions/search/index and compiles into the function: Netlify ships a
// Go function as its binary alone. At a cold start the embedded index is
// written to /tmp once, because bleve opens a folder, not an fs.FS.
package main

import (
	"embed"
	"io/fs"
	"log"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/theme"
)

//go:embed all:index
var bundled embed.FS

func main() {
	logger := log.New(os.Stderr, "search: ", 0)
	dir, err := indexDir()
	if err != nil {
		logger.Printf("no search index: %v", err)
	}
	lambda.Start(httpadapter.New(newHandler(dir, logger)).ProxyWithContext)
}

// indexDir is KB_INDEX if set, or else the embedded index, written to /tmp.
func indexDir() (string, error) {
	if dir := os.Getenv("KB_INDEX"); dir != "" {
		return dir, nil
	}
	sub, err := fs.Sub(bundled, "index")
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "kb-search-")
	if err != nil {
		return "", err
	}
	return dir, os.CopyFS(dir, sub)
}

// newHandler opens the index in dir. Without one it still answers, with 503.
func newHandler(dir string, logger *log.Logger) http.Handler {
	h, err := endpoint.Open(dir, theme.HTTPHeaders(), logger)
	if err != nil {
		logger.Printf("no search index: %v", err)
	}
	return h
}
