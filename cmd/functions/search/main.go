// Search is the Netlify function behind /api/search. It serves the same
// handler as kb serve, over the search folder that the Netlify build moves
// to cmd/functions/search/index and compiles into the function: Netlify ships
// a Go function as its binary alone. At a cold start the embedded folder is
// copied to /tmp once, each file checked against its manifest, because bleve
// opens a folder, not an fs.FS.
package main

import (
	"context"
	"embed"
	"encoding/json"
	"io/fs"
	"log"
	"net/http"
	"os"
	"slices"
	"strings"
	"unicode"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/theme"
)

//go:embed all:index
var bundled embed.FS

func main() {
	logger := log.New(os.Stderr, "search: ", 0)
	lambda.Start(newFunction(indexFS(), logger))
}

// indexFS is the folder KB_INDEX names, if set, or else the embedded one.
func indexFS() fs.FS {
	if dir := os.Getenv("KB_INDEX"); dir != "" {
		return os.DirFS(dir)
	}
	sub, err := fs.Sub(bundled, "index")
	if err != nil {
		panic(err) // "index" is a valid name: the embed directive makes it
	}
	return sub
}

// paths are the request paths the function answers: Netlify's rewrite of
// /api/search may hand it either.
var paths = []string{"/api/search", "/.netlify/functions/search"}

// newFunction opens the search folder src and returns the function's
// handler. Without a good folder it still answers, with 503.
func newFunction(src fs.FS, logger *log.Logger) func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	e, err := endpoint.OpenCopy(src, endpoint.Options{Headers: theme.HTTPHeaders(), Log: logger})
	if err != nil {
		logger.Printf("search is not available in full: %v", err)
	}
	adapter := httpadapter.New(e)
	return func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		// The request's path is checked here, before the adapter: the adapter
		// prints a URL it cannot read, query and all, and a query must never
		// reach a log.
		if strings.ContainsFunc(ev.Path, unicode.IsControl) {
			return refuse(http.StatusBadRequest, "the path has a control character"), nil
		}
		if !slices.Contains(paths, ev.Path) {
			return refuse(http.StatusNotFound, "not found; search is at /api/search"), nil
		}
		return adapter.ProxyWithContext(ctx, ev)
	}
}

// refuse is a JSON error with the site's headers.
func refuse(status int, problem string) events.APIGatewayProxyResponse {
	headers := map[string]string{"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}
	for _, h := range theme.Headers {
		headers[h.Name] = h.Value
	}
	body, _ := json.Marshal(map[string]string{"error": problem})
	return events.APIGatewayProxyResponse{StatusCode: status, Headers: headers, Body: string(body) + "\n"}
}
