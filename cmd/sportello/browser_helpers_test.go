package main

// The harness of the headless-browser tests (browser_test.go): the real
// binary's wiring on a loopback port, Debian's Chromium driven by chromedp,
// a screenshot of every step, and the axe-core accessibility audit.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// stepTimeout bounds one step (a navigation, a click, a wait) so that a
// missing element fails the test with the step's name instead of hanging it
// until go test's own deadline. It says nothing about how fast pages are.
const stepTimeout = 20 * time.Second

// chromiumPath finds the browser, or skips the test when there is none;
// in CI (CI=true) a missing browser fails it instead, so that the browser
// tests cannot silently stop running there.
func chromiumPath(t *testing.T) string {
	t.Helper()
	names := []string{"chromium", "chromium-headless-shell", "google-chrome"}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := fmt.Sprintf("no Chromium on PATH (looked for %s): install Debian's chromium (apt-get install chromium) to run the browser tests", strings.Join(names, ", "))
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI=true, so a missing browser is a failure")
	}
	t.Skip(msg)
	return ""
}

// artefacts is the folder that keeps what a run leaves to look at: the
// screenshots (NN-journey-step.png, numbered in the order they were taken),
// server.log and chromium.log. It is not removed after the test.
type artefacts struct {
	dir string
	mu  sync.Mutex
	n   int
}

func newArtefacts(t *testing.T) *artefacts {
	t.Helper()
	dir, err := os.MkdirTemp("", "sportello-browser-"+time.Now().Format("20060102-150405")+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots, server.log and chromium.log are in %s", dir)
	return &artefacts{dir: dir}
}

// next returns the path of the next screenshot.
func (a *artefacts) next(name string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	return filepath.Join(a.dir, fmt.Sprintf("%02d-%s.png", a.n, name))
}

// startSportello runs the binary's serve command in-process, as TestServe
// does, on a free loopback port and a fresh data directory: the demo
// catalogue, the development identity provider and the simulated payment
// provider. It returns the base URL; the server stops when the test ends.
func startSportello(t *testing.T, art *artefacts, settings ...map[string]string) string {
	t.Helper()
	addr := reserveAddr(t)
	base := "http://" + addr
	logFile, err := os.Create(filepath.Join(art.dir, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"SPORTELLO_DATA_DIR": t.TempDir(),
		"SPORTELLO_ADDR":     addr,
		// The browser must come back to the address it started from, or
		// the session cookie is not sent after sign-in.
		"SPORTELLO_BASE_URL": base,
	}
	for _, more := range settings {
		for k, v := range more {
			vars[k] = v
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, env(vars), io.Discard, &syncWriter{w: logFile}) }()
	if err := waitFor(base+"/healthz", done); err != nil {
		cancel()
		t.Fatalf("Sportello did not start: %v (see %s)", err, logFile.Name())
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
		logFile.Close()
	})
	return base
}

// browser is one Chromium process; each tab it opens has its own cookie jar
// (a browser context), like a separate person's browser.
type browser struct {
	ctx  context.Context // the first tab's; new contexts derive from it
	base string
	art  *artefacts
	axe  string // axe.min.js
}

// startBrowser launches Chromium with a fresh profile. The network flags
// keep it from calling home: this machine's closed network refuses those
// connections, and a browser test must not depend on them anyway.
func startBrowser(t *testing.T, execPath, base string, art *artefacts) *browser {
	t.Helper()
	axe, err := os.ReadFile(filepath.Join("..", "..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		// A newcomer's `go test ./...` need not have run npm; CI must.
		msg := fmt.Sprintf("axe-core is missing (run `npm ci` at the repository root; package.json pins axe-core 4.14.1): %v", err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Log(msg + "; the accessibility audits are skipped")
	}
	logFile, err := os.Create(filepath.Join(art.dir, "chromium.log"))
	if err != nil {
		t.Fatal(err)
	}
	// The profile is not in t.TempDir: Chromium's helper processes may
	// still be writing to it just after Chromium exits, and t.TempDir's
	// removal then failed a test that had passed. removeProfile waits for
	// them.
	profile, err := os.MkdirTemp("", "sportello-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(logFile),
	}
	if os.Geteuid() == 0 {
		// Chromium refuses to start its sandbox as root.
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	if err := chromedp.Run(ctx); err != nil {
		cancel()
		cancelAlloc()
		removeProfile(t, profile)
		t.Fatalf("Chromium (%s) did not start: %v (see %s)", execPath, err, logFile.Name())
	}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		logFile.Close()
		removeProfile(t, profile)
	})
	return &browser{ctx: ctx, base: base, art: art, axe: string(axe)}
}

// removeProfile removes Chromium's profile directory, trying again while
// the helper processes of a Chromium that has just exited finish writing
// to it. What cannot be removed is reported, not failed: it is only litter.
func removeProfile(t *testing.T, dir string) {
	var err error
	for range 50 {
		if err = os.RemoveAll(dir); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("Chromium's profile %s is left behind: %v", dir, err)
}

// tab is one page in its own browser context. journey prefixes the names
// of its screenshots.
type tab struct {
	b       *browser
	ctx     context.Context
	journey string
}

// newTab opens a tab with an empty cookie jar; it closes when the test
// ends. The tab gets a window of its own: Chromium's headless mode refuses
// a new tab in a new browser context that has no window yet, which is what
// chromedp.WithNewBrowserContext would ask for.
func (b *browser) newTab(t *testing.T, journey string) *tab {
	t.Helper()
	var bcID cdp.BrowserContextID
	var targetID target.ID
	err := chromedp.Run(b.ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		exec := cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser)
		var err error
		if bcID, err = target.CreateBrowserContext().WithDisposeOnDetach(true).Do(exec); err != nil {
			return err
		}
		targetID, err = target.CreateTarget("about:blank").WithBrowserContextID(bcID).WithNewWindow(true).Do(exec)
		return err
	}))
	if err != nil {
		t.Fatalf("opening a browser context: %v", err)
	}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(targetID))
	if err := chromedp.Run(ctx); err != nil {
		cancel()
		t.Fatalf("attaching to the new tab: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = chromedp.Run(b.ctx, chromedp.ActionFunc(func(ctx context.Context) error {
			return target.DisposeBrowserContext(bcID).Do(cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser))
		}))
	})
	return &tab{b: b, ctx: ctx, journey: journey}
}

// run runs actions as one step; on failure it keeps a screenshot of the
// page as it was and fails the test with the step's name and the URL.
func (tb *tab) run(t *testing.T, step string, actions ...chromedp.Action) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		tb.fail(t, step, err)
	}
}

// load runs actions that make the page navigate (a link, a form) and waits
// for the new page. A page answered with a 4xx or 5xx fails the test unless
// it is the status wanted; wantStatus 0 means any success.
func (tb *tab) load(t *testing.T, step string, wantStatus int64, actions ...chromedp.Action) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		tb.fail(t, step, err)
	}
	switch {
	case res == nil:
		tb.fail(t, step, errors.New("the browser received no page"))
	case wantStatus != 0 && res.Status != wantStatus:
		tb.fail(t, step, fmt.Errorf("%s answered %d, want %d", res.URL, res.Status, wantStatus))
	case wantStatus == 0 && res.Status >= 400:
		tb.fail(t, step, fmt.Errorf("%s answered %d", res.URL, res.Status))
	}
}

// open goes to a path of the portal.
func (tb *tab) open(t *testing.T, path string) {
	t.Helper()
	tb.load(t, "open "+path, 0, chromedp.Navigate(tb.b.base+path))
}

// follow clicks a link or a submit button and waits for the page it leads
// to.
func (tb *tab) follow(t *testing.T, sel string) {
	t.Helper()
	tb.load(t, "click "+sel, 0, chromedp.Click(sel, chromedp.ByQuery, chromedp.NodeVisible))
}

// submitExpecting clicks a submit button whose answer is the form again,
// with a given status (422 for a form with errors).
func (tb *tab) submitExpecting(t *testing.T, sel string, status int64) {
	t.Helper()
	tb.load(t, "click "+sel, status, chromedp.Click(sel, chromedp.ByQuery, chromedp.NodeVisible))
}

func (tb *tab) fail(t *testing.T, step string, err error) {
	t.Helper()
	var url string
	var buf []byte
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	_ = chromedp.Run(ctx, chromedp.Location(&url), chromedp.CaptureScreenshot(&buf))
	shot := "none: the tab is gone"
	if len(buf) > 0 {
		shot = tb.b.art.next(tb.journey + "-FAILED")
		_ = os.WriteFile(shot, buf, 0o644)
	}
	t.Fatalf("%s: %s failed at %s: %v\n(screenshot %s; server log %s)", tb.journey, step, url, err, shot, filepath.Join(tb.b.art.dir, "server.log"))
}

// shotMaxHeight caps a screenshot's height in CSS pixels: the editor's
// pages run to 20,000 pixels, whose images take seconds to encode and show
// nothing more than the top of the page does.
const shotMaxHeight = 6000

// shot keeps a screenshot of the page, whole up to shotMaxHeight, as
// NN-journey-name.png.
func (tb *tab) shot(t *testing.T, name string) {
	t.Helper()
	var buf []byte
	tb.run(t, "screenshot "+name, chromedp.ActionFunc(func(ctx context.Context) error {
		_, _, _, _, _, content, err := page.GetLayoutMetrics().Do(ctx)
		if err != nil {
			return err
		}
		buf, err = page.CaptureScreenshot().
			WithFormat(page.CaptureScreenshotFormatPng).
			WithCaptureBeyondViewport(true).
			WithFromSurface(true).
			WithClip(&page.Viewport{Width: content.Width, Height: min(content.Height, shotMaxHeight), Scale: 1}).
			Do(ctx)
		return err
	}))
	if err := os.WriteFile(tb.b.art.next(tb.journey+"-"+name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// path returns the current URL's path and query, without the base.
func (tb *tab) path(t *testing.T) string {
	t.Helper()
	var u string
	tb.run(t, "read the URL", chromedp.Location(&u))
	return strings.TrimPrefix(u, tb.b.base)
}

// expectPath checks the current path starts with prefix.
func (tb *tab) expectPath(t *testing.T, prefix string) string {
	t.Helper()
	p := tb.path(t)
	if !strings.HasPrefix(p, prefix) {
		tb.fail(t, "check the address", fmt.Errorf("the browser is at %s, want %s…", p, prefix))
	}
	return p
}

// text returns what a person sees of the first element matching sel (its
// rendered text, collapsed to single spaces).
func (tb *tab) text(t *testing.T, sel string) string {
	t.Helper()
	var s string
	tb.run(t, "read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery, chromedp.NodeVisible))
	return strings.Join(strings.Fields(s), " ")
}

// expectText checks the element matching sel shows every one of want.
func (tb *tab) expectText(t *testing.T, sel string, want ...string) string {
	t.Helper()
	got := tb.text(t, sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			tb.fail(t, "check "+sel, fmt.Errorf("it shows %q, which lacks %q", got, w))
		}
	}
	return got
}

// expectHeading checks the page's main heading.
func (tb *tab) expectHeading(t *testing.T, want string) {
	t.Helper()
	tb.expectText(t, "main h1", want)
}

// has reports whether an element matching sel is on the page now.
func (tb *tab) has(t *testing.T, sel string) bool {
	t.Helper()
	var nodes []*cdp.Node
	tb.run(t, "look for "+sel, chromedp.Nodes(sel, &nodes, chromedp.ByQuery, chromedp.AtLeast(0)))
	return len(nodes) > 0
}

// signIn chooses a persona on the development identity provider's page,
// which the browser must be on, and waits to be back on the portal.
func (tb *tab) signIn(t *testing.T, persona string) {
	t.Helper()
	tb.expectPath(t, "/dev-idp/")
	tb.expectHeading(t, "Sign in to Sportello")
	tb.shot(t, "sign-in-"+persona)
	tb.follow(t, `button[name="persona"][value="`+persona+`"]`)
	if p := tb.path(t); strings.HasPrefix(p, "/dev-idp/") || strings.HasPrefix(p, "/auth/") {
		tb.fail(t, "sign in as "+persona, fmt.Errorf("still at %s after choosing the persona", p))
	}
}

// axeViolation is the part of an axe-core result the report needs.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Targets []string `json:"targets"`
}

// axeRun runs the rules of WCAG 2.1 A and AA, the level the portal
// promises, and returns the violations with the elements concerned, and
// how many rules passed (none passing means axe did not really run).
const axeRun = `axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations']
}).then(r => ({
  passes: r.passes.length,
  violations: r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map(n => n.target.join(' '))
  }))
}))`

// audit runs axe-core on the page as it is and fails the test on any WCAG
// 2.1 A or AA violation, listing each with the elements concerned. axe is
// loaded into the page by the test, not served by Sportello, so the
// portal's Content-Security-Policy stays as strict as in production.
func (tb *tab) audit(t *testing.T, page string) {
	t.Helper()
	if tb.b.axe == "" {
		t.Logf("accessibility audit of %s skipped: axe-core is not installed", page)
		return
	}
	var loaded bool
	tb.run(t, "look for axe-core", chromedp.Evaluate(`typeof window.axe === 'object'`, &loaded))
	if !loaded {
		tb.run(t, "load axe-core", chromedp.Evaluate(tb.b.axe+";true", &loaded))
	}
	var res struct {
		Passes     int            `json:"passes"`
		Violations []axeViolation `json:"violations"`
	}
	tb.run(t, "run axe-core on "+page, chromedp.Evaluate(axeRun, &res, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	}))
	if res.Passes == 0 {
		tb.fail(t, "audit "+page, errors.New("axe-core passed no rule at all, so it did not audit the page"))
	}
	if len(res.Violations) == 0 {
		return
	}
	var b strings.Builder
	for _, v := range res.Violations {
		fmt.Fprintf(&b, "\n  %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, target := range v.Targets {
			fmt.Fprintf(&b, "\n    - %s", target)
		}
	}
	t.Errorf("%s (%s): %d WCAG 2.1 A/AA violations:%s", page, tb.path(t), len(res.Violations), b.String())
}

// writePNG writes a small real PNG (the server sniffs uploads, so the bytes
// must be a PNG, not just the name).
func writePNG(t *testing.T, dir, name string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{R: uint8(x * 30), G: 120, B: uint8(y * 30), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writePDF writes a minimal one-page PDF.
func writePDF(t *testing.T, dir, name string) string {
	t.Helper()
	const doc = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
