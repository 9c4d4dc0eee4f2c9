// Package theme holds the site's look: page templates, UI strings in each
// language and static files, embedded so that kb runs from any directory.
// It also holds the HTTP security headers, because what the Content-Security-Policy
// allows depends on what the templates load.
package theme

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed layouts partials static i18n
var files embed.FS

// FS returns the embedded theme. kb serve reads theme/ from disk instead while it exists,
// so that edits show without a restart.
func FS() fs.FS { return files }

// CSP allows only the site's own files: no inline script or style, no other origin,
// no framing, and forms that post only to the site itself.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
	"connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Headers are the security headers of every response, static page or search answer.
// netlify.toml repeats them for the CDN; a test keeps the two the same.
var Headers = []struct{ Name, Value string }{
	{"Content-Security-Policy", CSP},
	{"Referrer-Policy", "no-referrer"},
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
}

// HTTPHeaders returns Headers as an http.Header, for handlers that take one.
func HTTPHeaders() http.Header {
	h := http.Header{}
	for _, hd := range Headers {
		h.Set(hd.Name, hd.Value)
	}
	return h
}
