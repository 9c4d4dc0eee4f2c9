package main

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/kb-mensenhandel/kb/search"
)

func testIndex(t *testing.T) string {
	dir := t.TempDir()
	docs := []search.Doc{{URL: "/nl/bedenktijd/", Title: "Bedenktijd", Description: "Tijd om na te denken.", Section: "Verblijf", Type: "page", Text: "De bedenktijd duurt drie maanden."}}
	if err := search.Build(dir, "nl", docs, nil); err != nil {
		t.Fatal(err)
	}
	shell := `<html lang="nl"><main><!--kb:search-results--></main></html>`
	if err := os.WriteFile(filepath.Join(dir, "nl.html"), []byte(shell), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// invoke sends a synthetic API Gateway event through the function's adapter.
func invoke(t *testing.T, dir string, ev events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	t.Helper()
	h := newHandler(dir, log.New(io.Discard, "", 0))
	resp, err := httpadapter.New(h).ProxyWithContext(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestFunction(t *testing.T) {
	dir := testIndex(t)
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	html := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"}
	for _, tc := range []struct {
		name string
		ev   events.APIGatewayProxyRequest
		code int
		want string
	}{
		{"GET", events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/api/search", QueryStringParameters: map[string]string{"q": "bedenktijd", "lang": "nl"}}, 200, `"url":"/nl/bedenktijd/"`},
		{"POST JSON", events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/search", Headers: form, Body: "q=bedenktijd&lang=nl"}, 200, `"total":1`},
		{"POST form", events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/search", Headers: html, Body: "q=bedenktijd&lang=nl"}, 200, `<mark>bedenktijd</mark>`},
		{"empty q", events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/api/search", QueryStringParameters: map[string]string{"q": "", "lang": "nl"}}, 400, `"error"`},
		{"bad lang", events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/api/search", QueryStringParameters: map[string]string{"q": "x", "lang": "fr"}}, 400, `"error"`},
		{"PUT", events.APIGatewayProxyRequest{HTTPMethod: "PUT", Path: "/api/search"}, 405, `"error"`},
	} {
		resp := invoke(t, dir, tc.ev)
		if resp.StatusCode != tc.code || !strings.Contains(resp.Body, tc.want) {
			t.Errorf("%s: %d %s; want %d with %s", tc.name, resp.StatusCode, resp.Body, tc.code, tc.want)
		}
		if resp.Headers["Cache-Control"] != "no-store" && resp.MultiValueHeaders["Cache-Control"] == nil {
			t.Errorf("%s: no Cache-Control: no-store: %v", tc.name, resp.Headers)
		}
	}
}

func TestFunctionWithoutIndex(t *testing.T) {
	resp := invoke(t, filepath.Join(t.TempDir(), "missing"), events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/api/search", QueryStringParameters: map[string]string{"q": "x", "lang": "nl"}})
	var body map[string]string
	json.Unmarshal([]byte(resp.Body), &body)
	if resp.StatusCode != 503 || body["error"] == "" {
		t.Errorf("without index: %d %s; want 503 with an error", resp.StatusCode, resp.Body)
	}
}
