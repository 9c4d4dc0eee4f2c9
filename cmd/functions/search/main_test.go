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
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/kb-mensenhandel/kb/cmd/internal/build"
	"github.com/kb-mensenhandel/kb/cmd/internal/out"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

// testIndex builds the fixture site of cmd/kb and returns its search folder,
// as the Netlify build gives it to the function.
func testIndex(t *testing.T) string {
	t.Helper()
	s, err := site.New(theme.FS())
	if err != nil {
		t.Fatal(err)
	}
	tree, err := out.NewDir(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := build.Config{Root: "content", BaseURL: "https://example.org", Now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	if _, err := build.Build(s, os.DirFS("../../kb/testdata/site/content"), cfg, tree); err != nil {
		t.Fatal(err)
	}
	if err := tree.Publish(); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(filepath.Dir(tree.Path()), "public", site.SearchDir)
}

// invoke sends a synthetic API Gateway event to the function.
func invoke(t *testing.T, dir string, ev events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	t.Helper()
	resp, err := newFunction(os.DirFS(dir), log.New(io.Discard, "", 0))(context.Background(), ev)
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
		{"GET", events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/api/search", QueryStringParameters: map[string]string{"q": "bedenktijd", "lang": "nl"}}, 200, `"url":"/nl/regels/bedenktijd/"`},
		{"POST JSON", events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/search", Headers: form, Body: "q=bedenktijd&lang=nl"}, 200, `"total":2`},
		{"POST form", events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/search", Headers: html, Body: "q=bedenktijd&lang=nl"}, 200, `<mark>bedenktijd</mark>`},
		{"empty q", events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/api/search", QueryStringParameters: map[string]string{"q": "", "lang": "nl"}}, 400, `"error"`},
		{"bad lang", events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/api/search", QueryStringParameters: map[string]string{"q": "x", "lang": "fr"}}, 400, `"error"`},
		{"PUT", events.APIGatewayProxyRequest{HTTPMethod: "PUT", Path: "/api/search"}, 405, `"error"`},
		{"Netlify's path", events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/.netlify/functions/search", QueryStringParameters: map[string]string{"q": "bedenktijd", "lang": "nl"}}, 200, `"url":"/nl/regels/bedenktijd/"`},
		{"another path", events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/api/search/x", QueryStringParameters: map[string]string{"q": "bedenktijd", "lang": "nl"}}, 404, `"error"`},
		{"a control character in the path", events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/api/search\x01", QueryStringParameters: map[string]string{"q": "geheim", "lang": "nl"}}, 400, `"error"`},
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

// TestFunctionLogsNoQuery: requests the function refuses before its adapter
// (a control character in the path, another path) leave nothing of their
// query in the log.
func TestFunctionLogsNoQuery(t *testing.T) {
	var logs strings.Builder
	f := newFunction(os.DirFS(testIndex(t)), log.New(&logs, "", 0))
	for _, p := range []string{"/api/search\x00", "/api/search\n", "/x\x7f"} {
		resp, err := f(context.Background(), events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: p, QueryStringParameters: map[string]string{"q": "geheimwoord", "lang": "nl"}})
		if err != nil || resp.StatusCode >= 500 {
			t.Errorf("path %q: %d, %v; want a 4xx", p, resp.StatusCode, err)
		}
	}
	if strings.Contains(logs.String(), "geheimwoord") {
		t.Errorf("the query reached the log:\n%s", logs.String())
	}
}
