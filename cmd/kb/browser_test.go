package main

// Browser tests: the real site, built from content/ and served by kb's own
// server (so the headers are the ones kb serve and Netlify send), driven in
// Debian's Chromium with chromedp. axe-core checks WCAG 2.1 A and AA on every
// page at three widths, the Nu HTML Checker (vnu.jar) checks every page's
// HTML, and scripted keyboard and quick-exit runs check what a visitor does.
//
// The tools come from outside Go: Chromium and Java from apt, axe-core and
// vnu-jar from npm, pinned by .ci/browser/package-lock.json. .ci/run installs
// them; without them these tests skip and say how to install them, except
// under CI=true, where a missing tool fails.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	keys "github.com/chromedp/chromedp/kb"

	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/theme"
)

// Widths: a desktop, a phone, a 1280 px window at 200% zoom, and the 320 CSS
// pixels of WCAG 1.4.10 (at 400% zoom). At the last two nothing may scroll sideways.
const (
	desktopWidth = 1280
	mobileWidth  = 375
	zoomWidth    = 640
	narrowWidth  = 320
)

// A cheap phone: its first screen is 360 x 640. The header may take at most
// maxHeader of it, and a content page's own first paragraph must start on it.
const (
	phoneWidth  = 360
	phoneHeight = 640
	maxHeader   = 120
)

// phone sets a tab to a cheap phone's screen, with mobile emulation.
func phone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile)
}

// wcagTags are the axe-core rule tags the site must pass: WCAG 2.0 and 2.1, A and AA.
var wcagTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// browserTools are the programs and files the browser tests need.
type browserTools struct {
	chromium string
	java     string
	axe      string // the source of axe.min.js
	vnu      string // path of vnu.jar
}

// missingTool skips the test, saying how to install what is missing; under
// CI=true, where .ci/run has installed everything, it fails it.
func missingTool(t *testing.T, what, how string) {
	t.Helper()
	msg := fmt.Sprintf("%s not found; %s (or run bash .ci/run, which installs everything)", what, how)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// needChromium finds Chromium ($KB_CHROMIUM first), or calls missingTool.
func needChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("KB_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); name != "" && err == nil {
			return p
		}
	}
	missingTool(t, "Chromium", "install it with: apt-get update && apt-get install -y chromium (or set KB_CHROMIUM)")
	return ""
}

// needBrowserTools finds the tools, or skips (fails under CI=true) saying how to install them.
func needBrowserTools(t *testing.T) browserTools {
	t.Helper()
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("browser tests skipped in -short mode")
	}
	missing := func(what, how string) { t.Helper(); missingTool(t, what, how) }
	var tools browserTools
	tools.chromium = needChromium(t)
	java, err := exec.LookPath("java")
	if err != nil {
		missing("Java (for the Nu HTML Checker)", "install it with: apt-get install -y default-jre-headless")
	}
	tools.java = java
	dir := filepath.Join("..", "..", ".ci", "browser", "node_modules")
	axe, err := os.ReadFile(filepath.Join(dir, "axe-core", "axe.min.js"))
	if err != nil {
		missing("axe-core", "install it with: npm ci --ignore-scripts --prefix .ci/browser")
	}
	tools.axe = string(axe)
	tools.vnu = filepath.Join(dir, "vnu-jar", "build", "dist", "vnu.jar")
	if _, err := os.Stat(tools.vnu); err != nil {
		missing("vnu-jar", "install it with: npm ci --ignore-scripts --prefix .ci/browser")
	}
	return tools
}

// liveSite is the real site, built and served on 127.0.0.1 by kb's own server.
type liveSite struct {
	origin string   // http://127.0.0.1:port
	out    string   // the built site's folder
	pages  []string // URL paths of every HTML page, such as /nl/verschil/
}

// axePath is where the test server serves axe-core, beside the site: a page
// loads it as a script of its own origin (which the CSP allows) and the
// browser compiles it once, not on every page as an injected script would.
const axePath = "/_test/axe.min.js"

func serveRealSite(t *testing.T, axe string) *liveSite {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := &liveSite{origin: "http://" + ln.Addr().String(), out: filepath.Join(dir, "site")}
	var logs bytes.Buffer
	srv := newServer(config{content: "../../content", baseURL: s.origin, theme: theme.FS()}, func() time.Time { return nowFor(t, "../../content") }, log.New(&logs, "", 0))
	srv.rebuild(nil)
	st := srv.state.Load()
	if st.failure != nil {
		t.Fatalf("build failed: %v\n%s", st.failure, logs.String())
	}
	srv.waitIndexed(1)
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	mux.HandleFunc(axePath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "max-age=3600")
		io.WriteString(w, axe)
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	// The Nu HTML Checker reads files: the pages kb serve has in memory are written out for it.
	for _, name := range st.tree.Files() {
		if strings.HasPrefix(name, "_search/") {
			continue
		}
		data, _ := st.tree.File(name)
		file := filepath.Join(s.out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".html") {
			s.pages = append(s.pages, "/"+strings.TrimSuffix(name, "index.html"))
		}
	}
	slices.Sort(s.pages)
	return s
}

// startBrowser starts one headless Chromium for all the browser tests.
func startBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox, // root in CI
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		// Tabs in the background must not be throttled: several run at once.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("start %s: %v", chromium, err)
	}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

// tab is one browser tab that records every request it makes and every
// document response's headers, and catches Content-Security-Policy violations.
type tab struct {
	ctx    context.Context
	origin string

	mu        sync.Mutex
	foreign   []string            // requests to other origins
	documents []*network.Response // document responses
	cookies   []string            // Set-Cookie headers seen
}

// cspProbe records, in the page, every CSP violation, so a blocked inline
// style or script (which the strict CSP makes fail silently) fails the test.
// It also says on the console how the page looks the moment the quick exit
// starts: the tab answers no command while the neutral site loads.
const cspProbe = `window.__kbCSP = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__kbCSP.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
document.addEventListener("DOMContentLoaded", function () {
  new MutationObserver(function () {
    if (document.documentElement.classList.contains("kb-exiting")) {
      console.debug("kb-exiting: body " + getComputedStyle(document.body).visibility);
    }
  }).observe(document.documentElement, {attributes: true, attributeFilter: ["class"]});
});`

func newTab(t *testing.T, browser context.Context, origin string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	tb := &tab{ctx: ctx, origin: origin}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if !tb.own(ev.Request.URL) {
				tb.foreign = append(tb.foreign, ev.Request.URL)
			}
		case *network.EventResponseReceived:
			if ev.Type == network.ResourceTypeDocument {
				tb.documents = append(tb.documents, ev.Response)
			}
			for k, v := range ev.Response.Headers {
				if strings.EqualFold(k, "Set-Cookie") {
					tb.cookies = append(tb.cookies, fmt.Sprintf("%s: %v", ev.Response.URL, v))
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe}); err != nil {
		t.Fatal(err)
	}
	return tb
}

// own reports whether a request stays on the site: its origin, or data the page holds itself.
func (tb *tab) own(u string) bool {
	return strings.HasPrefix(u, tb.origin+"/") || u == tb.origin ||
		strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") || strings.HasPrefix(u, "about:")
}

func (tb *tab) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, tb *tab, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", strings.SplitN(js, "\n", 2)[0], err)
	}
	return v
}

// viewport sets the tab's window width; mobile widths emulate a phone (meta viewport, touch).
func viewport(width int64) chromedp.Action[chromedp.Void] {
	if width >= desktopWidth {
		return chromedp.EmulateViewport(width, 800)
	}
	return chromedp.EmulateViewport(width, 740, chromedp.EmulateMobile)
}

// axeRun runs axe-core with the WCAG 2.1 A and AA rules and returns one line per violating element.
func axeRun(t *testing.T, tb *tab) []string {
	t.Helper()
	eval[chromedp.Void](t, tb, `window.axe ? 0 : new Promise((ok, fail) => {
  const s = document.createElement("script");
  s.src = "`+axePath+`";
  s.onload = () => ok(0);
  s.onerror = () => fail(new Error("cannot load axe-core"));
  document.head.appendChild(s);
})`)
	tags, _ := json.Marshal(wcagTags)
	return eval[[]string](t, tb, `axe.run(document, {runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]})
.then(r => r.violations.flatMap(v => v.nodes.map(n => v.id + " (" + v.impact + "): " + n.target.join(" ") + ": " + n.failureSummary.replace(/\s+/g, " "))))`)
}

// pageFacts are what the per-page checks read from a loaded page.
type pageFacts struct {
	Overflow  float64  // scrollWidth - clientWidth of the page
	Wide      []string // elements that stick out to the right
	Cookie    string
	CSP       []string // CSP violations
	ExitHref  string
	ExitRel   string
	ExitCount int
	Lang      string
	Links     []string // the site's own pages this page links to
}

const pageFactsJS = `(() => {
  const root = document.documentElement, w = root.clientWidth;
  const wide = [];
  for (const e of document.body.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (r.right > w + 0.5 && wide.length < 5) {
      wide.push(e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " right=" + Math.round(r.right));
    }
  }
  const exits = document.querySelectorAll("a.kb-exit-this-page__button");
  const exit = exits[0];
  return {Overflow: root.scrollWidth - w, Wide: root.scrollWidth > w ? wide : [], Cookie: document.cookie,
    CSP: window.__kbCSP || ["the CSP probe did not run"], ExitHref: exit ? exit.getAttribute("href") : "",
    ExitRel: exit ? exit.rel : "", ExitCount: exits.length, Lang: root.lang,
    Links: [...new Set([...document.querySelectorAll("a[href]")].filter(a => a.origin === location.origin).map(a => a.href.split("#")[0]))]};
})()`

// screenFacts are what a page shows on a phone's first screen.
type screenFacts struct {
	Header    float64  // the header's height
	Content   bool     // the page is a content page: main has the page's own text (.kb-prose)
	FirstP    float64  // where main's first paragraph of the page's own text starts; -1 when there is none
	Wide      []string // elements wider than the screen, outside a table's region
	Tables    []string // stacked tables that do not fit their region
	StackedOK int      // stacked tables that fit
}

const screenFactsJS = `(() => {
  const vw = document.documentElement.clientWidth;
  const header = document.querySelector("body > header");
  const p = document.querySelector("main .kb-help p, main .kb-prose p"); // on a home page, the help block comes first
  const wide = [];
  for (const e of document.body.querySelectorAll("*")) {
    if (e.closest(".kb-table")) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5) && wide.length < 5) {
      wide.push(e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " " + Math.round(r.left) + ".." + Math.round(r.right));
    }
  }
  const tables = [];
  let ok = 0;
  for (const t of document.querySelectorAll(".kb-table--stack")) {
    if (t.scrollWidth > t.clientWidth + 0.5 || t.querySelector("table").getBoundingClientRect().width > t.clientWidth + 0.5) {
      tables.push((t.getAttribute("aria-labelledby") || t.getAttribute("aria-label")) + ": " + t.scrollWidth + " px in " + t.clientWidth);
    } else ok++;
  }
  return {Header: header ? header.getBoundingClientRect().height : 0, Content: !!document.querySelector("main .kb-prose"),
    FirstP: p ? p.getBoundingClientRect().top + scrollY : -1, Wide: wide, Tables: tables, StackedOK: ok};
})()`

func TestBrowser(t *testing.T) {
	tools := needBrowserTools(t)
	site := serveRealSite(t, tools.axe)
	browser := startBrowser(t, tools.chromium)
	artefacts := os.Getenv("KB_ARTIFACTS")
	if artefacts == "" {
		var err error
		if artefacts, err = os.MkdirTemp("", "kb-browser-"); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(artefacts, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots and the print PDF are in %s", artefacts)

	// Three parts side by side: a visitor's steps, one tab at a time; vnu, in
	// Java; axe on every page, in a few tabs.
	t.Run("visitor", func(t *testing.T) {
		t.Parallel()
		t.Run("quick exit", func(t *testing.T) { testQuickExit(t, browser, site); testQuickExitCache(t, browser, site) })
		t.Run("keyboard", func(t *testing.T) { testKeyboard(t, browser, site) })
		t.Run("languages", func(t *testing.T) { testLanguages(t, browser, site) })
		t.Run("search", func(t *testing.T) { testSearch(t, browser, site) })
		t.Run("media", func(t *testing.T) { testMedia(t, browser, site, artefacts) })
		t.Run("first screen", func(t *testing.T) { testFirstScreen(t, browser, site) })
		t.Run("screenshots", func(t *testing.T) { testScreenshots(t, browser, site, artefacts) })
		t.Run("pocket card", func(t *testing.T) { testCardPrint(t, browser, site, artefacts) })
		t.Run("decision aid", func(t *testing.T) { testAid(t, browser, site, artefacts) })
	})
	t.Run("html", func(t *testing.T) {
		t.Parallel()
		testHTML(t, site, tools)
	})
	t.Run("pages", func(t *testing.T) {
		t.Parallel()
		testPages(t, browser, site, tools)
	})
}

// testPages loads every page of the site and checks it at each width.
func testPages(t *testing.T, browser context.Context, site *liveSite, tools browserTools) {
	if len(site.pages) < 100 {
		t.Fatalf("only %d pages built; the real site has over a hundred", len(site.pages))
	}
	const tabs = 2
	work := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var all []*tab
	links := map[string]string{} // link → a page that has it
	stats := &phoneStats{headers: map[string]float64{}}
	for range tabs {
		tb := newTab(t, browser, site.origin)
		all = append(all, tb)
		wg.Go(func() {
			for p := range work {
				pageLinks := map[string]string{}
				problems := checkPage(t, tb, site, p, pageLinks, stats)
				mu.Lock()
				maps.Copy(links, pageLinks)
				for _, pr := range problems {
					t.Errorf("%s: %s", p, pr)
				}
				mu.Unlock()
			}
		})
	}
	for _, p := range site.pages {
		work <- p
	}
	close(work)
	wg.Wait()
	t.Logf("checked %d pages; on a %d x %d phone the highest header is %.0f px on content pages and %.0f px on the others", len(site.pages), phoneWidth, phoneHeight, stats.headers["content"], stats.headers["other"])
	// The two tables of three columns, the difference table and the pocket card's, in each language.
	if stats.stacked < 4 {
		t.Errorf("%d tables of three columns or more fit a phone; want at least the 4 of the difference pages and the pocket cards", stats.stacked)
	}
	for l, from := range links {
		resp, err := http.Get(l)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s links to %s: %s", from, l, resp.Status)
		}
	}
	if len(links) < 100 {
		t.Errorf("only %d links between pages found", len(links))
	}

	documents := 0
	for _, tb := range all {
		tb.mu.Lock()
		for _, u := range tb.foreign {
			t.Errorf("request to another origin: %s", u)
		}
		for _, c := range tb.cookies {
			t.Errorf("cookie set: %s", c)
		}
		for _, r := range tb.documents {
			documents++
			checkHeaders(t, r)
		}
		tb.mu.Unlock()
	}
	if documents < len(site.pages) {
		t.Errorf("saw %d document responses for %d pages", documents, len(site.pages))
	}
	cookies, err := chromedp.Call(all[0].ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{site.origin + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(cookies.Cookies) > 0 {
		t.Errorf("the browser holds %d cookies for the site: %v", len(cookies.Cookies), cookies.Cookies[0])
	}
}

// checkPage runs axe at desktop and mobile widths, and the layout, first
// screen and privacy checks.
func checkPage(t *testing.T, tb *tab, site *liveSite, p string, links map[string]string, stats *phoneStats) []string {
	var problems []string
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, viewport(desktopWidth), chromedp.Navigate(site.origin+p)); err != nil {
		return []string{err.Error()}
	}
	sub := &tab{ctx: ctx, origin: tb.origin}
	for _, w := range []int64{desktopWidth, mobileWidth} {
		if err := chromedp.Do(ctx, viewport(w)); err != nil {
			return append(problems, err.Error())
		}
		for _, v := range axeRun(t, sub) {
			problems = append(problems, fmt.Sprintf("axe at %d px: %s", w, v))
		}
	}
	// A cheap phone's first screen: a small header, the page's own text on
	// it, nothing wider than the screen but a table's region, and tables of
	// three columns or more stacked so that they fit.
	if err := chromedp.Do(ctx, phone()); err != nil {
		return append(problems, err.Error())
	}
	sf := eval[screenFacts](t, sub, screenFactsJS)
	if sf.Header > maxHeader {
		problems = append(problems, fmt.Sprintf("the header is %.0f px high on a %d x %d phone; at most %d", sf.Header, phoneWidth, phoneHeight, maxHeader))
	}
	if sf.Content && (sf.FirstP < 0 || sf.FirstP >= phoneHeight) {
		problems = append(problems, fmt.Sprintf("the page's first paragraph starts at %.0f px on a %d x %d phone, below its first screen", sf.FirstP, phoneWidth, phoneHeight))
	}
	for _, w := range sf.Wide {
		problems = append(problems, fmt.Sprintf("wider than a %d px screen, outside a table's region: %s", phoneWidth, w))
	}
	for _, tbl := range sf.Tables {
		problems = append(problems, fmt.Sprintf("a stacked table does not fit a %d px screen: %s", phoneWidth, tbl))
	}
	kind := map[bool]string{true: "content", false: "other"}[sf.Content]
	stats.mu.Lock()
	stats.stacked += sf.StackedOK
	stats.headers[kind] = max(stats.headers[kind], sf.Header)
	stats.mu.Unlock()
	var f pageFacts
	for _, w := range []int64{zoomWidth, narrowWidth} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 640)); err != nil {
			return append(problems, err.Error())
		}
		f = eval[pageFacts](t, sub, pageFactsJS)
		if f.Overflow > 0 {
			problems = append(problems, fmt.Sprintf("scrolls sideways at %d px by %.0f px: %v", w, f.Overflow, f.Wide))
		}
	}
	for _, l := range f.Links {
		links[l] = p
	}
	if f.Cookie != "" {
		problems = append(problems, "document.cookie = "+f.Cookie)
	}
	for _, v := range f.CSP {
		problems = append(problems, "CSP violation: "+v)
	}
	if f.ExitCount != 1 || !strings.HasPrefix(f.ExitHref, "https://") || f.ExitRel != "nofollow noreferrer" {
		problems = append(problems, fmt.Sprintf("want one quick exit link to an https site with rel=\"nofollow noreferrer\"; have %d, href %q, rel %q", f.ExitCount, f.ExitHref, f.ExitRel))
	}
	if want := strings.Split(strings.TrimPrefix(p, "/"), "/")[0]; (want == "nl" || want == "en") && f.Lang != want {
		problems = append(problems, fmt.Sprintf("html lang=%q; want %q", f.Lang, want))
	}
	return problems
}

// phoneStats is what checkPage measured on a phone over all pages.
type phoneStats struct {
	mu      sync.Mutex
	stacked int                // tables of three columns or more that fit
	headers map[string]float64 // the highest header, by kind of page
}

var cspDirective = regexp.MustCompile(`^[a-z-]+$`)

// checkHeaders checks a page's security headers: theme.Headers, and a CSP
// that allows nothing inline, nothing evaluated and no other origin.
func checkHeaders(t *testing.T, r *network.Response) {
	t.Helper()
	get := func(name string) string {
		for k, v := range r.Headers {
			if strings.EqualFold(k, name) {
				if s, ok := v.(string); ok {
					return s
				}
				return fmt.Sprint(v)
			}
		}
		return ""
	}
	for _, h := range theme.Headers {
		if got := get(h.Name); got != h.Value {
			t.Errorf("%s: header %s = %q; want %q", r.URL, h.Name, got, h.Value)
		}
	}
	csp := get("Content-Security-Policy")
	if csp == "" {
		t.Errorf("%s: no Content-Security-Policy", r.URL)
		return
	}
	directives := map[string][]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) == 0 || !cspDirective.MatchString(f[0]) {
			t.Errorf("%s: CSP directive %q", r.URL, d)
			continue
		}
		directives[f[0]] = f[1:]
	}
	if d := directives["default-src"]; !slices.Equal(d, []string{"'none'"}) {
		t.Errorf("%s: CSP default-src %v; want 'none'", r.URL, d)
	}
	for name, sources := range directives {
		for _, s := range sources {
			if s != "'self'" && s != "'none'" {
				t.Errorf("%s: CSP %s allows %s; only 'self' and 'none' are allowed", r.URL, name, s)
			}
		}
	}
	for _, need := range []string{"script-src", "style-src", "frame-ancestors", "base-uri", "form-action"} {
		if _, ok := directives[need]; !ok {
			t.Errorf("%s: CSP has no %s", r.URL, need)
		}
	}
}

// vnuMessage is one message of vnu's JSON output.
type vnuMessage struct {
	Type, SubType, URL, Message, Extract string
	LastLine                             int
}

// testHTML runs the Nu HTML Checker once over every page, and over search results pages made by POST.
func testHTML(t *testing.T, site *liveSite, tools browserTools) {
	var files []string
	for _, p := range site.pages {
		name := filepath.Join(site.out, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			name = filepath.Join(name, "index.html")
		}
		files = append(files, name)
	}
	// Results pages exist only as answers to a POST: save a few to check them too.
	dir := t.TempDir()
	for i, q := range []url.Values{
		{"lang": {"nl"}, "q": {"bedenktijd"}},
		{"lang": {"en"}, "q": {"reflection period"}},
		{"lang": {"nl"}, "q": {"mensenhndel"}},
		{"lang": {"en"}, "q": {"qqqqzzzz"}},
		{"lang": {"nl"}, "q": {""}},
	} {
		req, _ := http.NewRequest("POST", site.origin+"/api/search", strings.NewReader(q.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "text/html") // as a browser's form post
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("POST /api/search %v: %s, %s", q, resp.Status, resp.Header.Get("Content-Type"))
		}
		name := filepath.Join(dir, fmt.Sprintf("results-%d-%s.html", i, q.Get("lang")))
		if err := os.WriteFile(name, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	cmd := exec.Command(tools.java, append([]string{"-Xss8m", "-jar", tools.vnu, "--errors-only", "--format", "json", "--exit-zero-always"}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("vnu: %v\n%s", err, stderr.String())
	}
	var res struct{ Messages []vnuMessage }
	if err := json.Unmarshal(stderr.Bytes(), &res); err != nil {
		t.Fatalf("vnu output: %v\n%s", err, stderr.String())
	}
	for _, m := range res.Messages {
		name := strings.TrimPrefix(m.URL, "file:")
		if rel, err := filepath.Rel(site.out, name); err == nil && !strings.HasPrefix(rel, "..") {
			name = "/" + filepath.ToSlash(rel)
		}
		t.Errorf("vnu: %s:%d: %s: %s (%q)", name, m.LastLine, m.Type, m.Message, m.Extract)
	}
	t.Logf("vnu checked %d files", len(files))
}

// press sends one key with its keydown and keyup.
func press(key string) chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(key) }

// focused describes the focused element and whether its focus can be seen.
type focused struct {
	Desc         string
	Href         string
	ID           string
	Class        string
	Tag          string
	FocusVisible bool
	Indicator    string // the outline or box-shadow that shows focus; "" when none
	Width        float64
	Height       float64
	Parent       string // the parent's class
}

const focusedJS = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {Desc: "body", Tag: "BODY"};
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  const visible = c => !/rgba\(.*,\s*0\)$/.test(c) && c !== "transparent";
  let ind = "";
  if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && visible(s.outlineColor)) ind = "outline " + s.outlineWidth + " " + s.outlineColor;
  else if (s.boxShadow && s.boxShadow !== "none") ind = "box-shadow " + s.boxShadow;
  return {Desc: e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " " + JSON.stringify((e.textContent || e.value || "").trim().slice(0, 40)),
    Href: e.href || "", ID: e.id, Class: String(e.className), Tag: e.tagName, FocusVisible: e.matches(":focus-visible"), Indicator: ind, Width: r.width, Height: r.height,
    Parent: e.parentElement ? String(e.parentElement.className) : ""};
})()`

// tabTo presses Tab until the focused element matches, or fails after max presses.
func tabTo(t *testing.T, tb *tab, match func(focused) bool, what string) focused {
	t.Helper()
	var seen []string
	for range 120 {
		tb.do(t, press(keys.Tab))
		f := eval[focused](t, tb, focusedJS)
		if match(f) {
			return f
		}
		seen = append(seen, f.Desc)
	}
	t.Fatalf("Tab never reached %s; focus went through %v", what, seen)
	return focused{}
}

// waitFor waits until js is true in the tab, across page loads (a form
// posted without JavaScript loads a new page while it waits).
func waitFor(t *testing.T, tb *tab, js, what string) {
	t.Helper()
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var ok bool
		if ok, err = chromedp.Run(tb.ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return
		}
	}
	t.Fatalf("waited for %s (%s): %v", what, js, err)
}

// waitURL waits until the tab's location satisfies ok.
func waitURL(t *testing.T, tb *tab, ok func(string) bool, what string) string {
	t.Helper()
	var loc string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		l, err := chromedp.Run(tb.ctx, chromedp.Location())
		if err == nil {
			loc = l
			if ok(l) {
				// let the page finish loading before the next step
				chromedp.Do(tb.ctx, chromedp.Poll[chromedp.Void](`document.readyState === "complete"`, chromedp.WithPollingInterval(20*time.Millisecond)))
				return l
			}
		}
	}
	t.Fatalf("waited for %s; the tab is at %s", what, loc)
	return ""
}

// testKeyboard walks the site with the keyboard alone: every focusable element
// shows its focus; the skip link, the navigation and the language switch work.
func testKeyboard(t *testing.T, browser context.Context, site *liveSite) {
	for _, w := range []int64{desktopWidth, mobileWidth} {
		for _, p := range []string{"/nl/", "/nl/verschil/", "/en/glossary/"} {
			t.Run(fmt.Sprintf("focus visible %s %d", p, w), func(t *testing.T) {
				tb := newTab(t, browser, site.origin)
				tb.do(t, viewport(w), chromedp.Navigate(site.origin+p))
				n := 0
				for ; n < 300; n++ {
					tb.do(t, press(keys.Tab))
					f := eval[focused](t, tb, focusedJS)
					if f.Tag == "BODY" || (n > 0 && strings.Contains(f.Class, "kb-skip-link")) {
						break
					}
					if !f.FocusVisible || f.Indicator == "" || f.Width < 2 || f.Height < 2 {
						t.Errorf("Tab %d: %s has no visible focus (focus-visible %v, indicator %q, %.0fx%.0f)", n+1, f.Desc, f.FocusVisible, f.Indicator, f.Width, f.Height)
					}
				}
				if n < 10 {
					t.Errorf("only %d elements took focus", n)
				}
			})
		}
	}

	t.Run("skip link", func(t *testing.T) {
		tb := newTab(t, browser, site.origin)
		tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+"/nl/verschil/"))
		tb.do(t, press(keys.Tab))
		f := eval[focused](t, tb, focusedJS)
		if !strings.Contains(f.Class, "kb-skip-link") || f.Width < 50 {
			t.Fatalf("first Tab focuses %s (%.0f px wide); want the visible skip link", f.Desc, f.Width)
		}
		tb.do(t, press(keys.Enter))
		if f := eval[focused](t, tb, focusedJS); f.ID != "kb-main" {
			t.Fatalf("after Enter on the skip link, focus is on %s; want main", f.Desc)
		}
		tb.do(t, press(keys.Tab))
		if in := eval[bool](t, tb, `document.querySelector("main").contains(document.activeElement)`); !in {
			t.Errorf("Tab after the skip link left main: %s", eval[focused](t, tb, focusedJS).Desc)
		}
	})

	for _, w := range []int64{desktopWidth, mobileWidth} {
		t.Run(fmt.Sprintf("navigation %d", w), func(t *testing.T) {
			tb := newTab(t, browser, site.origin)
			if w == desktopWidth { // the menu is one row on a desktop, in every language
				for _, l := range lang.All {
					tb.do(t, viewport(w), chromedp.Navigate(site.origin+"/"+l.Code+"/"))
					if rows := eval[int](t, tb, `new Set([...document.querySelectorAll(".kb-navigation__link")].map(a => Math.round(a.getBoundingClientRect().top))).size`); rows != 1 {
						t.Errorf("/%s/: the menu takes %d rows at %d px; shorten a linkTitle, or the gaps in theme/static/site.css", l.Code, rows, w)
					}
				}
			}
			tb.do(t, viewport(w), chromedp.Navigate(site.origin+"/nl/"))
			// On a phone the menu is folded away behind a button: open it with the keyboard.
			if eval[bool](t, tb, `(() => { const s = document.querySelector(".kb-disclosure--menu > summary"); return !!s && getComputedStyle(s).display !== "none"; })()`) {
				tabTo(t, tb, func(f focused) bool { return f.Tag == "SUMMARY" && strings.Contains(f.Parent, "kb-disclosure--menu") }, "the menu button")
				tb.do(t, press(keys.Enter))
			}
			target := tabTo(t, tb, func(f focused) bool {
				return strings.Contains(f.Class, "kb-navigation__link") && strings.HasSuffix(f.Href, "/nl/verschil/")
			}, "the menu link to /nl/verschil/")
			tb.do(t, press(keys.Enter))
			waitURL(t, tb, func(u string) bool { return u == target.Href }, target.Href)
			if cur := eval[string](t, tb, `document.querySelector(".kb-navigation__link[aria-current=page]")?.getAttribute("href") || ""`); cur != "/nl/verschil/" {
				t.Errorf("aria-current=page on %q; want /nl/verschil/", cur)
			}
		})
	}

	t.Run("language switch", func(t *testing.T) {
		tb := newTab(t, browser, site.origin)
		tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+"/nl/verschil/"))
		want := eval[string](t, tb, `document.querySelector("link[rel=alternate][hreflang=en]").href`)
		f := tabTo(t, tb, func(f focused) bool { return strings.Contains(f.Class, "kb-language-switch__link") }, "the language switch")
		if f.Href != want {
			t.Errorf("language switch goes to %s; the English alternate is %s", f.Href, want)
		}
		tb.do(t, press(keys.Enter))
		waitURL(t, tb, func(u string) bool { return u == want }, want)
		if lang := eval[string](t, tb, `document.documentElement.lang`); lang != "en" {
			t.Errorf("lang = %q after switching to English", lang)
		}
	})
}

// neutralPage is what the test answers for the quick exit's neutral site: there is no internet here.
const neutralPage = `<!DOCTYPE html><html lang="nl"><title>Weer</title><p>Neutraal</p></html>`

// interceptExit makes the tab answer requests to prefix with neutralPage. It
// returns a channel with each request, sent before it is answered, so the test
// can look at the page being left while the neutral site is still loading;
// the request is answered when the test receives from release.
func interceptExit(t *testing.T, tb *tab, prefix string) (requests <-chan *fetch.EventRequestPaused, release chan<- struct{}) {
	t.Helper()
	events := chromedp.Events(tb.ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: prefix + "*"}}}); err != nil {
		t.Fatal(err)
	}
	reqs := make(chan *fetch.EventRequestPaused, 4)
	rel := make(chan struct{}, 4)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			reqs <- &ev
			select {
			case <-rel:
			case <-tb.ctx.Done():
				return
			}
			chromedp.Call(tb.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID: ev.RequestID, ResponseCode: 200, Body: []byte(neutralPage),
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}},
			})
		}
	}()
	return reqs, rel
}

// testQuickExit presses Shift three times and checks that the page blanks at
// once, the neutral site opens without a referrer, and the page left is gone
// from the history; in every language, and with the keys of its keyboard
// layout: Shift is Shift on every layout, left or right, and a letter of the
// layout in between still resets the count.
func testQuickExit(t *testing.T, browser context.Context, site *liveSite) {
	letters := map[string]string{"uk": "ф", "bg": "ш", "ar": "ش", "pl": "ł", "ro": "ț"} // one letter of each language's layout
	for _, l := range lang.All {
		help := "/" + l.Code + "/help/"
		if l.Code == "nl" {
			help = "/nl/hulp/"
		}
		letter := cmp.Or(letters[l.Code], "a")
		testQuickExitIn(t, browser, site, l.Code, help, letter)
	}
}

func testQuickExitIn(t *testing.T, browser context.Context, site *liveSite, code, help, letter string) {
	rightShift := func(p *input.DispatchKeyEventParams) { p.Code, p.Location = "ShiftRight", 2 }
	for _, c := range []struct {
		name  string
		press func(t *testing.T, tb *tab)
	}{
		{"shift x3", func(t *testing.T, tb *tab) {
			// A Shift, then another key, resets the count: typing a capital is not an exit.
			tb.do(t, press(keys.Shift), press(keys.Shift), press("a"), press(keys.Shift))
			time.Sleep(300 * time.Millisecond)
			if eval[bool](t, tb, `document.documentElement.classList.contains("kb-exiting")`) {
				t.Fatal("Shift, Shift, a, Shift exited the page")
			}
			tb.do(t, press(keys.Shift), press(keys.Shift), press(keys.Shift))
		}},
		{"right shift x3, a letter of the layout resets", func(t *testing.T, tb *tab) {
			tb.do(t, chromedp.KeyEvent(keys.Shift, rightShift), chromedp.KeyEvent(keys.Shift, rightShift), press(letter), chromedp.KeyEvent(keys.Shift, rightShift))
			time.Sleep(300 * time.Millisecond)
			if eval[bool](t, tb, `document.documentElement.classList.contains("kb-exiting")`) {
				t.Fatalf("Shift, Shift, %s, Shift exited the page", letter)
			}
			tb.do(t, chromedp.KeyEvent(keys.Shift, rightShift), chromedp.KeyEvent(keys.Shift, rightShift), chromedp.KeyEvent(keys.Shift, rightShift))
		}},
		{"keyboard on the button", func(t *testing.T, tb *tab) {
			tabTo(t, tb, func(f focused) bool { return strings.Contains(f.Class, "kb-exit-this-page__button") }, "the quick exit")
			tb.do(t, press(keys.Enter))
		}},
	} {
		t.Run(code+" "+c.name, func(t *testing.T) {
			tb := newTab(t, browser, site.origin)
			tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+"/"+code+"/"), chromedp.Navigate(site.origin+help))
			before, err := chromedp.Run(tb.ctx, chromedp.NavigationEntries())
			if err != nil {
				t.Fatal(err)
			}
			exit := eval[string](t, tb, `document.querySelector(".kb-exit-this-page__button").href`)
			console := chromedp.Events(tb.ctx, runtime.ConsoleAPICalled)
			reqs, release := interceptExit(t, tb, exit)
			c.press(t, tb)
			var req *fetch.EventRequestPaused
			select {
			case req = <-reqs:
			case <-time.After(10 * time.Second):
				t.Fatal("the neutral site was not requested")
			}
			// The neutral site is still loading: the page must already be blank.
			blank := ""
			for ev, err := range console {
				if err != nil {
					t.Fatal(err)
				}
				if len(ev.Args) == 1 && strings.Contains(string(ev.Args[0].Value), "kb-exiting") {
					blank = string(ev.Args[0].Value)
					break
				}
			}
			release <- struct{}{}
			if blank != `"kb-exiting: body hidden"` {
				t.Errorf("when the exit started, the page said %s; want the body hidden", blank)
			}
			for k := range req.Request.Headers {
				if strings.EqualFold(k, "Referer") {
					t.Errorf("the neutral site got a Referer header: %v", req.Request.Headers[k])
				}
			}
			waitURL(t, tb, func(u string) bool { return u == exit }, exit)
			after, err := chromedp.Run(tb.ctx, chromedp.NavigationEntries())
			if err != nil {
				t.Fatal(err)
			}
			var urls []string
			for _, e := range after.Entries {
				urls = append(urls, e.URL)
				if e.URL == site.origin+help {
					t.Errorf("the page left is still in the history: %v", urls)
				}
			}
			if len(after.Entries) != len(before.Entries) || after.Entries[after.CurrentIndex].URL != exit {
				t.Errorf("history before %d entries, after %v (current %d); want the page left replaced by %s", len(before.Entries), urls, after.CurrentIndex, exit)
			}
		})
	}
}

func testQuickExitCache(t *testing.T, browser context.Context, site *liveSite) {
	t.Run("pageshow keeps blank", func(t *testing.T) {
		// A page restored from the back/forward cache after an exit stays blank and leaves again.
		tb := newTab(t, browser, site.origin)
		tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+"/nl/hulp/"))
		exit := eval[string](t, tb, `document.querySelector(".kb-exit-this-page__button").href`)
		reqs, release := interceptExit(t, tb, exit)
		eval[chromedp.Void](t, tb, `document.documentElement.classList.add("kb-exiting");
window.dispatchEvent(new PageTransitionEvent("pageshow", {persisted: true}))`)
		select {
		case <-reqs:
			release <- struct{}{}
		case <-time.After(10 * time.Second):
			t.Fatal("a page shown again from the cache after an exit did not leave again")
		}
		waitURL(t, tb, func(u string) bool { return u == exit }, exit)
	})
}

// testSearch searches with the keyboard, with and without JavaScript, and runs axe on the results.
func testSearch(t *testing.T, browser context.Context, site *liveSite) {
	t.Run("as you type", func(t *testing.T) {
		tb := newTab(t, browser, site.origin)
		tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+"/nl/zoeken/"))
		if n := eval[int](t, tb, `document.querySelectorAll("form[role=search]").length`); n != 1 {
			t.Errorf("the search page has %d search forms; want its own only", n)
		}
		tabTo(t, tb, func(f focused) bool { return f.ID == "kb-search-page-q" }, "the search box")
		tb.do(t, chromedp.KeyEvent("bedenktijd"))
		if err := chromedp.Do(tb.ctx, chromedp.Poll[chromedp.Void](`document.querySelectorAll(".kb-search-results__title a").length > 2`,
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("no results while typing: %v", err)
		}
		links := eval[[]string](t, tb, `[...document.querySelectorAll(".kb-search-results__title a")].map(a => a.href)`)
		live := eval[string](t, tb, `document.querySelector("[aria-live]").textContent`)
		if !strings.Contains(live, "resultat") {
			t.Errorf("live region says %q; want the number of results", live)
		}
		for i, step := range []struct {
			key  string
			want string
		}{{keys.ArrowDown, links[0]}, {keys.ArrowDown, links[1]}, {keys.ArrowUp, links[0]}, {keys.ArrowUp, "input"}, {keys.ArrowDown, links[0]}} {
			tb.do(t, press(step.key))
			f := eval[focused](t, tb, focusedJS)
			if got := cmpOr(f.Href, strings.ToLower(f.Tag)); got != step.want {
				t.Fatalf("arrow key %d: focus on %s; want %s", i+1, f.Desc, step.want)
			}
			if !f.FocusVisible || f.Indicator == "" {
				t.Errorf("arrow key %d: %s has no visible focus", i+1, f.Desc)
			}
		}
		for _, w := range []int64{desktopWidth, mobileWidth} {
			tb.do(t, viewport(w))
			for _, v := range axeRun(t, tb) {
				t.Errorf("axe at %d px on results shown while typing: %s", w, v)
			}
		}
		tb.do(t, viewport(desktopWidth), press(keys.Enter))
		waitURL(t, tb, func(u string) bool { return u == links[0] }, links[0])
		h, err := chromedp.Run(tb.ctx, chromedp.NavigationEntries())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range h.Entries {
			if strings.Contains(e.URL, "bedenktijd") && !strings.HasPrefix(e.URL, links[0]) {
				t.Errorf("the search term is in the history: %s", e.URL)
			}
		}
	})

	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("results page, JavaScript %v", js), func(t *testing.T) {
			tb := newTab(t, browser, site.origin)
			if !js {
				blockScripts(t, tb)
			}
			// The header's search button on a content page opens its box; then the search page's own form.
			tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+"/en/trafficking-versus-smuggling/"))
			tabTo(t, tb, func(f focused) bool { return f.Tag == "SUMMARY" && strings.Contains(f.Parent, "kb-disclosure--search") }, "the header's search button")
			tb.do(t, press(keys.Enter))
			// With JavaScript the box takes focus when it opens; without, it is the next Tab stop.
			if f := eval[focused](t, tb, focusedJS); (f.ID == "kb-search-q") != js {
				t.Errorf("JavaScript %v: after opening search, focus is on %s", js, f.Desc)
			}
			if !js {
				tabTo(t, tb, func(f focused) bool { return f.ID == "kb-search-q" }, "the header search box")
			}
			tb.do(t, chromedp.KeyEvent("reflection period"), press(keys.Enter))
			// With JavaScript, the posted results page becomes the search page in the
			// history: it can be reloaded, or come back to, without posting again.
			landing := site.origin + "/api/search"
			if js {
				landing = site.origin + "/en/search/"
			}
			waitURL(t, tb, func(u string) bool { return u == landing }, "the results page at "+landing)
			if n := eval[int](t, tb, `document.querySelectorAll(".kb-search-results__list li").length`); n == 0 {
				t.Fatal("the results page has no results for \"reflection period\"")
			}
			check := func(what string) {
				for _, w := range []int64{desktopWidth, mobileWidth} {
					tb.do(t, viewport(w))
					for _, v := range axeRun(t, tb) {
						t.Errorf("axe at %d px on %s: %s", w, what, v)
					}
				}
				tb.do(t, viewport(desktopWidth))
			}
			if live := eval[bool](t, tb, `!!document.querySelector("[aria-live]")`); live != js {
				t.Fatalf("search.js ran: %v; want %v", live, js)
			}
			check("the results page")
			if js {
				h, err := chromedp.Run(tb.ctx, chromedp.NavigationEntries())
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range h.Entries {
					if strings.Contains(e.URL, "/api/search") {
						t.Errorf("a posted results page is in the history, and would be posted again: %s", e.URL)
					}
				}
				// Reloading asks nothing and posts nothing: it is the search page, without the query.
				tb.do(t, chromedp.Reload())
				if loc := eval[string](t, tb, `location.href + " " + !!document.querySelector(".kb-search-results__count")`); loc != site.origin+"/en/search/ false" {
					t.Errorf("after a reload: %s; want the empty search page", loc)
				}
			}
			// No result at all, and a problem (an empty query posted without the browser's check).
			tabTo(t, tb, func(f focused) bool { return f.ID == "kb-search-page-q" }, "the results page's search box")
			tb.do(t, chromedp.KeyEvent("qqqzzzxxx"), press(keys.Enter))
			waitFor(t, tb, `!!document.querySelector(".kb-search-results__count")?.textContent.startsWith("0 ")`, "the results page for qqqzzzxxx")
			check("a results page without results")
			tb.mu.Lock()
			for _, u := range tb.foreign {
				t.Errorf("request to another origin: %s", u)
			}
			tb.mu.Unlock()
		})

		t.Run(fmt.Sprintf("pages of results, JavaScript %v", js), func(t *testing.T) {
			tb := newTab(t, browser, site.origin)
			if !js {
				blockScripts(t, tb)
			}
			tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+"/nl/zoeken/"))
			tabTo(t, tb, func(f focused) bool { return f.ID == "kb-search-page-q" }, "the search box")
			tb.do(t, chromedp.KeyEvent("mensenhandel"), press(keys.Enter))
			waitFor(t, tb, `!!document.querySelector(".kb-pager__status")?.textContent.startsWith("Pagina 1 van")`, "the first page of results")
			first := eval[[]string](t, tb, `[...document.querySelectorAll(".kb-search-results__title a")].map(a => a.href)`)
			tabTo(t, tb, func(f focused) bool { return strings.Contains(f.Class, "kb-pager__button--next") }, "the button to the next page")
			tb.do(t, press(keys.Enter))
			waitFor(t, tb, `!!document.querySelector(".kb-pager__status")?.textContent.startsWith("Pagina 2 van")`, "the second page of results")
			second := eval[[]string](t, tb, `[...document.querySelectorAll(".kb-search-results__title a")].map(a => a.href)`)
			if len(second) == 0 || len(first) != 10 || slices.Contains(first, second[0]) {
				t.Errorf("page 1 %v, page 2 %v; want 10 hits, then others", first, second)
			}
			if start := eval[string](t, tb, `document.querySelector(".kb-search-results__list").getAttribute("start")`); start != "11" {
				t.Errorf("the second page's list starts at %s; want 11", start)
			}
			if js {
				// The new results are announced, and focus goes to them.
				if f := eval[focused](t, tb, focusedJS); f.ID != "kb-search-count" {
					t.Errorf("after the next page, focus is on %s; want the results' heading", f.Desc)
				}
				if live := eval[string](t, tb, `document.querySelector("[aria-live]").textContent`); !strings.HasSuffix(live, " resultaten") {
					t.Errorf("the live region says %q; want the number of results", live)
				}
			}
			if loc := eval[string](t, tb, `location.href`); strings.Contains(loc, "mensenhandel") || strings.Contains(loc, "page") {
				t.Errorf("the query is in the URL: %s", loc)
			}
			for _, w := range []int64{desktopWidth, mobileWidth} {
				tb.do(t, viewport(w))
				for _, v := range axeRun(t, tb) {
					t.Errorf("axe at %d px on the second page of results: %s", w, v)
				}
			}
		})

		t.Run(fmt.Sprintf("one result and a typo, JavaScript %v", js), func(t *testing.T) {
			tb := newTab(t, browser, site.origin)
			if !js {
				blockScripts(t, tb)
			}
			tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+"/nl/zoeken/"))
			tabTo(t, tb, func(f focused) bool { return f.ID == "kb-search-page-q" }, "the search box")
			// One result: the count in the singular, from go-i18n, as it reads (once it read "\"1 resultaat\"").
			tb.do(t, chromedp.KeyEvent("Netlify"), press(keys.Enter))
			waitFor(t, tb, `!!document.querySelector(".kb-search-results__count")`, "the results for Netlify")
			if n := eval[string](t, tb, `document.querySelector(".kb-search-results__count").textContent`); n != "1 resultaat" {
				t.Errorf("one result reads %q; want 1 resultaat", n)
			}
			if js {
				if live := eval[string](t, tb, `document.querySelector("[aria-live]").textContent`); live != "1 resultaat" {
					t.Errorf("the live region says %q; want 1 resultaat", live)
				}
			}
			// A typo: the word meant is a button, which searches for it and shows its term's card.
			tb.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector("#kb-search-page-q").select()`), chromedp.KeyEvent("mensenhndel"), press(keys.Enter))
			waitFor(t, tb, `!!document.querySelector(".kb-search-results__suggestion button")`, "a suggestion for mensenhndel")
			tabTo(t, tb, func(f focused) bool { return strings.Contains(f.Class, "kb-link-button") }, "the word meant")
			tb.do(t, press(keys.Enter))
			waitFor(t, tb, `document.querySelector("#kb-search-page-q").value === "mensenhandel" && !document.querySelector(".kb-search-results__suggestion")`, "the results for the word meant")
			if term := eval[string](t, tb, `document.querySelector(".kb-definition__term")?.textContent || ""`); term != "Mensenhandel" {
				t.Errorf("the card shows %q; want the term Mensenhandel", term)
			}
		})
	}
}

// testFirstScreen checks what a cheap phone shows first on the home pages:
// the help block, whole, with 112 and the contacts page.
func testFirstScreen(t *testing.T, browser context.Context, site *liveSite) {
	tb := newTab(t, browser, site.origin)
	for _, p := range []string{"/nl/", "/en/"} {
		tb.do(t, phone(), chromedp.Navigate(site.origin+p))
		help := eval[struct {
			Top, Bottom float64
			Call, Help  bool
		}](t, tb, `(() => { const h = document.querySelector(".kb-help"); if (!h) return {Top: -1, Bottom: -1};
  const r = h.getBoundingClientRect();
  return {Top: r.top, Bottom: r.bottom, Call: !!h.querySelector('a[href="tel:112"]'), Help: !!h.querySelector('a[href$="/contact/"], a[href$="/contacts/"]')}; })()`)
		if help.Top < 0 || help.Bottom > phoneHeight || !help.Call || !help.Help {
			t.Errorf("%s on a %d x %d phone: the help block is at %.0f to %.0f px (112 %v, contacts page %v); want it whole on the first screen, with both", p, phoneWidth, phoneHeight, help.Top, help.Bottom, help.Call, help.Help)
		}
	}
}

// blockScripts makes the tab fail every request for the site's scripts, as in
// a browser without JavaScript; only the test's axe-core loads. (Turning
// scripts off in Chromium would also stop axe, which needs timers.)
func blockScripts(t *testing.T, tb *tab) {
	t.Helper()
	events := chromedp.Events(tb.ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*", ResourceType: network.ResourceTypeScript}}}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			if strings.HasSuffix(ev.Request.URL, axePath) {
				chromedp.Call(tb.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
				continue
			}
			chromedp.Call(tb.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
		}
	}()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// testMedia checks reduced motion, forced colours and print.
func testMedia(t *testing.T, browser context.Context, site *liveSite, artefacts string) {
	media := func(t *testing.T, tb *tab, typ string, features ...*emulation.MediaFeature) {
		t.Helper()
		if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: typ, Features: features}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("reduced motion", func(t *testing.T) {
		tb := newTab(t, browser, site.origin)
		media(t, tb, "", &emulation.MediaFeature{Name: "prefers-reduced-motion", Value: "reduce"})
		tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+"/nl/verschil/"))
		tabTo(t, tb, func(f focused) bool { return strings.Contains(f.Class, "kb-navigation__link") }, "a menu link")
		if !eval[bool](t, tb, `matchMedia("(prefers-reduced-motion: reduce)").matches`) {
			t.Fatal("prefers-reduced-motion is not emulated")
		}
		if n := eval[int](t, tb, `document.getAnimations().length`); n != 0 {
			t.Errorf("%d animations or transitions run with prefers-reduced-motion", n)
		}
		if sb := eval[string](t, tb, `getComputedStyle(document.documentElement).scrollBehavior`); sb != "auto" {
			t.Errorf("scroll-behavior %q with prefers-reduced-motion; want auto", sb)
		}
	})
	t.Run("forced colors", func(t *testing.T) {
		tb := newTab(t, browser, site.origin)
		media(t, tb, "", &emulation.MediaFeature{Name: "forced-colors", Value: "active"})
		tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+"/nl/verschil/"))
		if !eval[bool](t, tb, `matchMedia("(forced-colors: active)").matches`) {
			t.Fatal("forced-colors is not emulated")
		}
		// Backgrounds and shadows go in forced colours: the exit button needs a border.
		if b := eval[string](t, tb, `(() => { const s = getComputedStyle(document.querySelector(".kb-exit-this-page__button")); return s.borderTopStyle + " " + s.borderTopWidth; })()`); !strings.HasPrefix(b, "solid") || strings.HasSuffix(b, " 0px") {
			t.Errorf("quick exit border in forced colours: %q", b)
		}
		for range 6 {
			tb.do(t, press(keys.Tab))
			f := eval[focused](t, tb, focusedJS)
			if !strings.HasPrefix(f.Indicator, "outline") {
				t.Errorf("focus on %s in forced colours shows as %q; want an outline (shadows are dropped)", f.Desc, f.Indicator)
			}
		}
	})
	t.Run("print", func(t *testing.T) {
		tb := newTab(t, browser, site.origin)
		tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+"/nl/verschil/"))
		media(t, tb, "print")
		hidden := eval[[]string](t, tb, `[".kb-skip-link", ".kb-exit-this-page", ".kb-navigation", ".kb-language-switch", ".kb-header__about", ".kb-search-form--header", ".kb-breadcrumbs"]
  .filter(s => { const e = document.querySelector(s); return !e || e.getClientRects().length > 0; })`)
		if len(hidden) > 0 {
			t.Errorf("shown in print: %v", hidden)
		}
		if c := eval[string](t, tb, `getComputedStyle(document.querySelector("main")).color`); c != "rgb(0, 0, 0)" {
			t.Errorf("print text colour %s; want black", c)
		}
		if !eval[bool](t, tb, `document.querySelector("main h1").getBoundingClientRect().height > 0`) {
			t.Error("the title is not printed")
		}
		pdf, err := chromedp.Call(tb.ctx, page.PrintToPDF, page.PrintToPDFParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(pdf.Data) < 1000 {
			t.Fatalf("print to PDF gave %d bytes", len(pdf.Data))
		}
		os.WriteFile(filepath.Join(artefacts, "print-nl-verschil.pdf"), pdf.Data, 0o644)
	})
}

// testScreenshots saves desktop and phone (360 x 640) screenshots of the root,
// the home pages, a content page, the glossary and the search page per
// language, and of a results page.
func testScreenshots(t *testing.T, browser context.Context, site *liveSite, artefacts string) {
	tb := newTab(t, browser, site.origin)
	// The menu opened on a phone.
	tb.do(t, phone(), chromedp.Navigate(site.origin+"/nl/"), chromedp.Click(chromedp.CSS(".kb-disclosure--menu > summary")))
	if png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot()); err == nil {
		os.WriteFile(filepath.Join(artefacts, fmt.Sprintf("nl-%d-menu-open.png", phoneWidth)), png, 0o644)
	}
	shoot := func(name string, w int64) {
		t.Helper()
		// The whole page, and what the first screen shows.
		waitFor(t, tb, `document.readyState === "complete"`, "the page to load")
		for suffix, shot := range map[string]chromedp.Action[[]byte]{"": chromedp.FullScreenshot(100), "-screen": chromedp.CaptureScreenshot()} {
			png, err := chromedp.Run(tb.ctx, shot)
			for try := 0; err != nil && try < 3; try++ { // a page just posted may not be laid out yet
				time.Sleep(200 * time.Millisecond)
				png, err = chromedp.Run(tb.ctx, shot)
			}
			if err != nil {
				t.Fatalf("%s at %d px: %v", name, w, err)
			}
			if err := os.WriteFile(filepath.Join(artefacts, fmt.Sprintf("%s-%d%s.png", name, w, suffix)), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// A table and the top of the page, where most of the layout is, close up.
		for part, sel := range map[string]string{"table": ".kb-table", "header": "header"} {
			if eval[bool](t, tb, `!!document.querySelector("`+sel+`")`) {
				png, err := chromedp.Run(tb.ctx, chromedp.Screenshot(chromedp.CSS(sel)))
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(artefacts, fmt.Sprintf("%s-%d-%s.png", name, w, part)), png, 0o644)
			}
		}
	}
	for _, w := range []int64{desktopWidth, phoneWidth} {
		size := viewport(w)
		if w == phoneWidth {
			size = phone()
		}
		for _, p := range []string{"/", "/nl/", "/nl/verschil/", "/nl/begrippen/", "/nl/zoeken/", "/en/", "/en/trafficking-versus-smuggling/", "/en/glossary/", "/en/search/", "/pl/", "/ro/", "/bg/", "/uk/", "/ar/", "/ar/help/rights/"} {
			tb.do(t, size, chromedp.Navigate(site.origin+p))
			name := strings.Trim(strings.ReplaceAll(p, "/", "-"), "-")
			if name == "" {
				name = "root"
			}
			shoot(name, w)
		}
		// A results page, as the search page's form posts it.
		tb.do(t, size, chromedp.Navigate(site.origin+"/nl/zoeken/"), chromedp.SetValue(chromedp.CSS("#kb-search-page-q"), "mensenhndel"), chromedp.Submit(chromedp.CSS("#kb-search-page-q")))
		waitFor(t, tb, `!!document.querySelector(".kb-pager")`, "a results page to take a picture of")
		shoot("nl-results", w)
	}
}

var (
	pdfPage     = regexp.MustCompile(`/Type\s*/Page\b`)
	pdfMediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)
)

// testCardPrint prints the pocket card of each language as Chromium prints it
// (the page size from the CSS, as a browser's print dialog does) and checks
// that it is one A4 sheet.
func testCardPrint(t *testing.T, browser context.Context, site *liveSite, artefacts string) {
	for _, path := range []string{"/nl/mensenhandel/zakkaart/", "/en/human-trafficking/pocket-card/"} {
		tb := newTab(t, browser, site.origin)
		tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+path))
		if !eval[bool](t, tb, `document.querySelector("main.kb-main--card") !== null`) {
			t.Errorf("%s is not a card (type: card)", path)
			continue
		}
		prefer := true
		pdf, err := chromedp.Call(tb.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(artefacts, "print"+strings.ReplaceAll(strings.TrimSuffix(path, "/"), "/", "-")+".pdf")
		os.WriteFile(name, pdf.Data, 0o644)
		if n := len(pdfPage.FindAll(pdf.Data, -1)); n != 1 {
			t.Errorf("%s prints on %d pages; a card must fit one A4 sheet (shorten it, or tighten the print rules for .kb-main--card in theme/static/site.css); see %s", path, n, name)
		}
		for _, m := range pdfMediaBox.FindAllSubmatch(pdf.Data, -1) {
			if w, h := string(m[1]), string(m[2]); !strings.HasPrefix(w, "594.9") && !strings.HasPrefix(w, "595") || !strings.HasPrefix(h, "841.9") && !strings.HasPrefix(h, "842") {
				t.Errorf("%s prints on %s x %s points; want A4, 595 x 842", path, w, h)
			}
		}
	}
}

// switchLink is a link of the header's language switch, as the browser shows it.
type switchLink struct{ Lang, Hreflang, Text, Href string }

// headerOrder is where the header's parts stand: the site's name and the quick
// exit, by their left and right edges.
type headerOrder struct{ NameLeft, NameRight, ExitLeft, ExitRight float64 }

// testLanguages opens the help page in every language (it is one of the pages
// every partial language has): its lang and dir; the language switch, which
// names every other language in its own name and goes to the same page; the
// line that no native speaker has checked a partial language's page, linked
// to the Dutch page; and in Arabic, a header that reads right to left.
func testLanguages(t *testing.T, browser context.Context, site *liveSite) {
	help := func(code string) string {
		if code == "nl" {
			return "/nl/hulp/"
		}
		return "/" + code + "/help/"
	}
	tb := newTab(t, browser, site.origin)
	var ltr headerOrder
	for _, l := range lang.All {
		tb.do(t, viewport(desktopWidth), chromedp.Navigate(site.origin+help(l.Code)))
		if got := eval[string](t, tb, `document.documentElement.lang + " " + document.documentElement.dir`); got != l.Code+" "+l.Dir {
			t.Errorf("%s: <html> lang and dir are %q; want %s %s", help(l.Code), got, l.Code, l.Dir)
		}
		links := eval[[]switchLink](t, tb, `[...document.querySelectorAll(".kb-header__tools .kb-language-switch__link")].map(a => ({Lang: a.lang, Hreflang: a.hreflang, Text: a.textContent, Href: a.getAttribute("href")}))`)
		var want []switchLink
		for _, o := range lang.Others(l.Code) {
			want = append(want, switchLink{o.Code, o.Code, o.Name, help(o.Code)})
		}
		if !slices.Equal(links, want) {
			t.Errorf("%s: the language switch is %v; want %v", help(l.Code), links, want)
		}
		unchecked := eval[string](t, tb, `(a => a ? a.getAttribute("href") + " " + a.hreflang : "")(document.querySelector(".kb-unchecked a"))`)
		if wantLine := map[bool]string{true: "/nl/hulp/ nl", false: ""}[l.NativeCheck]; unchecked != wantLine {
			t.Errorf("%s: the line that no native speaker has checked the page links %q; want %q", help(l.Code), unchecked, wantLine)
		}
		// The search button is placed beside the quick exit by a width in the
		// stylesheet; the label of the exit must fit it in every language.
		if gap := eval[float64](t, tb, `(() => { const s = document.querySelector(".kb-disclosure--search > summary").getBoundingClientRect(), e = document.querySelector(".kb-exit-this-page__button").getBoundingClientRect(); return document.dir === "rtl" ? e.right - s.left : s.right - e.left; })()`); gap > 0 {
			t.Errorf("%s: the search button overlaps the quick exit by %.0f px", help(l.Code), gap)
		}
		order := eval[headerOrder](t, tb, `(() => { const n = document.querySelector(".kb-header__name").getBoundingClientRect(), e = document.querySelector(".kb-exit-this-page").getBoundingClientRect(); return {NameLeft: n.left, NameRight: n.right, ExitLeft: e.left, ExitRight: e.right}; })()`)
		switch l.Dir {
		case "ltr":
			if order.NameLeft >= order.ExitLeft {
				t.Errorf("%s: the site's name (%.0f px from the left) is not left of the quick exit (%.0f px)", help(l.Code), order.NameLeft, order.ExitLeft)
			}
			if l.Code == "en" {
				ltr = order
			}
		case "rtl":
			// Mirrored: the name at the right edge where English has it at the left, the exit at the left.
			if order.NameRight <= order.ExitRight || order.ExitLeft >= ltr.ExitLeft {
				t.Errorf("%s: the header does not read right to left: name %.0f–%.0f px, quick exit %.0f–%.0f px (in English: name %.0f–%.0f, exit %.0f–%.0f)",
					help(l.Code), order.NameLeft, order.NameRight, order.ExitLeft, order.ExitRight, ltr.NameLeft, ltr.NameRight, ltr.ExitLeft, ltr.ExitRight)
			}
		}
	}
	// A partial language's link to a page it lacks goes to the English page, and says so.
	tb.do(t, chromedp.Navigate(site.origin+"/pl/"))
	fallback := eval[string](t, tb, `(a => a ? a.getAttribute("href") + " " + a.hreflang + " " + a.nextSibling.textContent.trim() : "")(document.querySelector("main a[hreflang=en]"))`)
	if !strings.HasPrefix(fallback, "/en/") || !strings.Contains(fallback, " en (po angielsku)") {
		t.Errorf("/pl/: the first link to an English page is %q; want /en/… with hreflang en and (po angielsku) after it", fallback)
	}
}
