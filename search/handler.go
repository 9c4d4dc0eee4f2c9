package search

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Handler answers GET and POST /api/search with JSON. A form posted by a
// browser without JavaScript (Accept: text/html) gets a results page from Render.
//
// The query text is never logged or written anywhere, and answers are not cached.
type Handler struct {
	Index *Index // nil while no index could be opened: every search answers 503

	// Langs are the site's languages: a query in another is a bad request
	// (400), one in a language whose index is missing answers 503. Nil: the
	// languages of Index.
	Langs []string

	// Render writes the results page for lang, or the page with problem when the
	// query could not be run. Nil: browsers get JSON too.
	Render func(w io.Writer, lang string, q Query, res *Result, problem string) error

	Headers http.Header // sent with every answer, such as the site's security headers

	Log *log.Logger // for internal errors; never given the query

	// Slots is how many searches run at once, 2 a core when zero; queries of
	// more than three words may take half of them, so that a flood of long
	// queries leaves room for short ones. A search that finds no slot within
	// queueWait answers 503 with Retry-After.
	Slots int

	once       sync.Once
	all, heavy chan struct{} // the slots, taken by sending
}

// queueWait is how long a search waits for a slot.
const queueWait = 250 * time.Millisecond

// take takes a slot for a search, waiting at most queueWait; release gives it back.
func (h *Handler) take(ctx context.Context, heavy bool) (release func(), ok bool) {
	h.once.Do(func() {
		n := h.Slots
		if n <= 0 {
			n = 2 * runtime.GOMAXPROCS(0)
		}
		h.all, h.heavy = make(chan struct{}, n), make(chan struct{}, max(1, n/2))
	})
	timer := time.NewTimer(queueWait)
	defer timer.Stop()
	if heavy {
		select {
		case h.heavy <- struct{}{}:
		case <-timer.C:
			return nil, false
		case <-ctx.Done():
			return nil, false
		}
	}
	select {
	case h.all <- struct{}{}:
	case <-timer.C:
		if heavy {
			<-h.heavy
		}
		return nil, false
	case <-ctx.Done():
		if heavy {
			<-h.heavy
		}
		return nil, false
	}
	return func() {
		<-h.all
		if heavy {
			<-h.heavy
		}
	}, true
}

// params are the only parameters accepted.
var params = map[string]bool{"q": true, "lang": true, "section": true, "limit": true, "offset": true, "page": true}

const maxBody = 8 << 10

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for name, vals := range h.Headers {
		w.Header()[name] = vals
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	html := h.Render != nil && r.Method == http.MethodPost && strings.Contains(r.Header.Get("Accept"), "text/html")
	defer func() {
		if v := recover(); v != nil {
			h.logf("search: panic: %v", v) // the value comes from our code, not from the query
			h.fail(w, html, "", Query{}, http.StatusInternalServerError, "internal error")
		}
	}()
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		h.fail(w, false, "", Query{}, http.StatusMethodNotAllowed, "method not allowed; use GET or POST")
		return
	}
	q, status, problem := h.parse(w, r)
	if problem != "" {
		h.fail(w, html, q.Lang, q, status, problem)
		return
	}
	if h.Index == nil || !h.Index.HasLang(q.Lang) {
		h.fail(w, html, q.Lang, q, http.StatusServiceUnavailable, "search is not available right now")
		return
	}
	release, ok := h.take(r.Context(), len(strings.Fields(q.Text)) > 3)
	if !ok {
		w.Header().Set("Retry-After", "1")
		h.fail(w, html, q.Lang, q, http.StatusServiceUnavailable, "search is busy; try again in a moment")
		return
	}
	defer release()
	res, err := h.Index.Search(r.Context(), q)
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		h.fail(w, html, q.Lang, q, http.StatusServiceUnavailable, "search took too long; try fewer words")
		return
	case err != nil:
		h.logf("search: %v", err)
		h.fail(w, html, q.Lang, q, http.StatusInternalServerError, "internal error")
		return
	case q.Offset > 0 && q.Offset >= res.Total:
		// A page past the last: there is no such page of results.
		h.fail(w, html, q.Lang, q, http.StatusNotFound, "page "+strconv.Itoa(res.Page)+" is past the last page of results ("+strconv.Itoa(max(res.Pages, 1))+")")
		return
	}
	if html {
		h.page(w, http.StatusOK, q.Lang, q, res, "")
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// parse reads and checks the parameters, from the URL for GET and from the form body for POST.
func (h *Handler) parse(w http.ResponseWriter, r *http.Request) (Query, int, string) {
	var q Query
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			return q, http.StatusBadRequest, "the request body must be a form of at most 8 KiB"
		}
	}
	form := r.URL.Query()
	if r.Method == http.MethodPost {
		form = r.PostForm
	}
	for name, vals := range form {
		if !params[name] {
			return q, http.StatusBadRequest, "unknown parameter " + strconv.Quote(name) + "; use q, lang, section, limit, and page or offset"
		}
		if len(vals) > 1 {
			return q, http.StatusBadRequest, "parameter " + name + " is given more than once"
		}
	}
	q.Lang = form.Get("lang")
	if !h.knownLang(q.Lang) {
		return Query{}, http.StatusBadRequest, "lang must be one of the site's languages, such as nl or en"
	}
	q.Text = clean(form.Get("q"))
	if !utf8.ValidString(form.Get("q")) {
		return q, http.StatusBadRequest, "q is not valid UTF-8"
	}
	if q.Text == "" {
		return q, http.StatusBadRequest, "q is empty; type a word to search for"
	}
	if utf8.RuneCountInString(q.Text) > MaxQuery {
		return q, http.StatusBadRequest, "q is longer than 200 characters"
	}
	q.Section = clean(form.Get("section"))
	if utf8.RuneCountInString(q.Section) > 100 {
		return q, http.StatusBadRequest, "section is longer than 100 characters"
	}
	var ok bool
	if q.Limit, ok = intParam(form.Get("limit"), 10, 1, MaxLimit); !ok {
		return q, http.StatusBadRequest, "limit must be a whole number from 1 to 50"
	}
	if form.Get("page") != "" {
		if form.Get("offset") != "" {
			return q, http.StatusBadRequest, "give page or offset, not both"
		}
		page, ok := intParam(form.Get("page"), 1, 1, Window)
		if !ok || page*q.Limit > Window {
			return q, http.StatusBadRequest, "page must be a whole number from 1, with page × limit at most 500"
		}
		q.Offset = (page - 1) * q.Limit
		return q, 0, ""
	}
	if q.Offset, ok = intParam(form.Get("offset"), 0, 0, Window-1); !ok || q.Offset+q.Limit > Window {
		return q, http.StatusBadRequest, "offset must be a whole number from 0, with offset + limit at most 500"
	}
	return q, 0, ""
}

func (h *Handler) knownLang(lang string) bool {
	switch {
	case h.Langs != nil:
		return slices.Contains(h.Langs, lang)
	case h.Index != nil:
		return h.Index.HasLang(lang)
	}
	return lang != "" && len(lang) <= 8 // no index and no languages: any short code, answered with 503
}

// clean drops control characters and invisible formatting characters (bidi
// overrides such as U+202E, zero-width spaces and joiners, byte order marks),
// which could make an echoed query read otherwise than it is, and folds runs
// of white space into one space.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r) || r == utf8.RuneError:
			return ' '
		case unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func intParam(s string, def, lo, hi int) (int, bool) {
	if s == "" {
		return def, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= lo && n <= hi
}

func (h *Handler) fail(w http.ResponseWriter, html bool, lang string, q Query, status int, problem string) {
	if html && lang != "" {
		h.page(w, status, lang, q, nil, problem)
		return
	}
	writeJSON(w, status, map[string]string{"error": problem})
}

// page writes a results page. It is made whole before anything is sent, so
// that a failing template gives a clean error, not half a page.
func (h *Handler) page(w http.ResponseWriter, status int, lang string, q Query, res *Result, problem string) {
	var b bytes.Buffer
	if err := h.Render(&b, lang, q, res, problem); err != nil {
		h.logf("search: results page: %v", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (h *Handler) logf(format string, args ...any) {
	if h.Log != nil {
		h.Log.Printf(format, args...)
	}
}
