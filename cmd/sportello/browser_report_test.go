package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserReport: reports at a place in Chromium. A resident reports a
// pothole by putting the pin on the map, with the mouse and then with the
// keyboard; a neighbour without JavaScript types coordinates a few metres
// away, is shown the report already made and adds theirs to it; a
// caseworker finds it in the list and on the map and sets it fixed; the
// reporter and the neighbour get the mail. Every page is audited.
//
//	CI=true go test ./cmd/sportello -run TestBrowserReport -v
func TestBrowserReport(t *testing.T) {
	execPath := chromiumPath(t)
	art := newArtefacts(t)
	tiles := tileServer(t)
	base := startSportello(t, art, map[string]string{"SPORTELLO_MAP_TILES": tiles.URL + "/{z}/{x}/{y}.png"})
	b := startBrowser(t, execPath, base, art)

	// The resident, with JavaScript: the map.
	rep := b.newTab(t, "report")
	rep.open(t, "/services/report-a-pothole/apply")
	rep.expectHeading(t, "Report a pothole")
	rep.run(t, "wait for the map", chromedp.WaitVisible("#location-map .leaflet-tile-pane", chromedp.ByQuery))
	rep.expectText(t, "#location-map-hint", "Put the pin here")
	rep.shot(t, "form-with-map")
	rep.audit(t, "report form with its map")
	if got := rep.value(t, "#location-lat"); got != "" {
		t.Errorf("the latitude is %q before any pin was put", got)
	}
	// A click puts the pin where it lands: 60 pixels above the centre is
	// north of it.
	var box []float64
	rep.run(t, "measure the map", chromedp.ScrollIntoView("#location-map", chromedp.ByQuery), chromedp.Evaluate(`(() => { const r = document.getElementById('location-map').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`, &box))
	rep.run(t, "click the map", chromedp.MouseClickXY(box[0]+box[2]/2, box[1]+box[3]/2-60))
	clicked := rep.number(t, "#location-lat")
	if clicked <= 41.2190 || clicked > 41.2250 {
		t.Errorf("the click put the pin at latitude %v, want just north of the centre 41.2190", clicked)
	}
	rep.expectText(t, "#location-map-status", "Pin placed at")
	if !rep.has(t, "#location-map .leaflet-marker-icon") {
		t.Error("no pin shows on the map after the click")
	}
	// The keyboard: the map takes the focus, the arrows move it, and the
	// button puts the pin in its centre.
	rep.run(t, "move the map with the keyboard",
		chromedp.Focus("#location-map", chromedp.ByQuery),
		chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
	rep.run(t, "put the pin here with the keyboard", chromedp.Focus("#location-map-pin-here", chromedp.ByQuery), chromedp.KeyEvent(kb.Enter))
	keyed := rep.number(t, "#location-lat")
	if keyed >= 41.2190 || keyed < 41.2100 {
		t.Errorf("after moving the map south, the pin is at latitude %v, want just south of 41.2190", keyed)
	}
	rep.shot(t, "pin-placed")
	rep.run(t, "answer the rest",
		chromedp.SendKeys("#location-line1", "Avinguda del Mar", chromedp.ByQuery),
		chromedp.Click("#surface", chromedp.ByQuery),
		chromedp.SetValue("#problem_type", "pothole", chromedp.ByQuery),
		chromedp.SetValue("#size", "large", chromedp.ByQuery),
		chromedp.SendKeys("#email", "reporter@example.org", chromedp.ByQuery))
	rep.follow(t, "#apply-continue")
	rep.expectPath(t, "/services/report-a-pothole/apply/check")
	rep.expectText(t, "#check-answers", "Avinguda del Mar", "Pin on the map: "+strconv.FormatFloat(keyed, 'f', 5, 64))
	if rep.has(t, "#nearby") {
		t.Error("the first report of the street is told it was already reported")
	}
	rep.audit(t, "check your report")
	rep.follow(t, "#apply-submit")
	rep.expectHeading(t, "Report sent")
	ref := rep.text(t, "#reference")

	// The neighbour, without JavaScript: coordinates typed 8 m away.
	nb := b.newTab(t, "report-nojs")
	nb.run(t, "switch JavaScript off", emulation.SetScriptExecutionDisabled(true))
	nb.open(t, "/services/report-a-pothole/apply")
	if nb.visible(t, "#location-map-block") {
		t.Error("without JavaScript the map's block shows, and it can do nothing")
	}
	nb.auditWithoutScript(t, "report form without JavaScript")
	nb.submitExpecting(t, "#apply-continue", 422)
	nb.expectText(t, ".error-summary", "Enter the street or place")
	nb.run(t, "type coordinates outside the council",
		chromedp.SendKeys("#location-lat", "40.4168", chromedp.ByQuery), chromedp.SendKeys("#location-lng", "-3.7038", chromedp.ByQuery),
		chromedp.Click("#surface", chromedp.ByQuery),
		chromedp.SetValue("#problem_type", "pothole", chromedp.ByQuery), chromedp.SetValue("#size", "small", chromedp.ByQuery))
	nb.submitExpecting(t, "#apply-continue", 422)
	nb.expectText(t, ".error-summary", "outside the area the council looks after")
	nb.auditWithoutScript(t, "report form with a place outside the council")
	lat := strings.Replace(strconv.FormatFloat(keyed+0.00007, 'f', 6, 64), ".", ",", 1)
	lng := strings.Replace(strconv.FormatFloat(rep.numberOf(t, "1.7260"), 'f', 6, 64), ".", ",", 1)
	nb.run(t, "type coordinates a few metres away",
		chromedp.SetValue("#location-lat", lat, chromedp.ByQuery), chromedp.SetValue("#location-lng", lng, chromedp.ByQuery),
		chromedp.SendKeys("#email", "vei@example.org", chromedp.ByQuery))
	nb.follow(t, "#apply-continue")
	nb.expectPath(t, "/services/report-a-pothole/apply/check")
	nb.expectText(t, "#nearby", "Already reported: 1 report within 30 m", "Report "+ref, "m from your pin", "Add my report to this one")
	nb.shot(t, "already-reported")
	nb.auditWithoutScript(t, "check your report, already reported")
	nb.follow(t, "#add-to-"+ref)
	nb.expectHeading(t, "Your report has been added")
	nb.expectText(t, "#added-told", "We will email you")
	nb.auditWithoutScript(t, "report added to another")

	// The caseworker: the list, the map, the report; fixed.
	cw := b.newTab(t, "report-staff")
	cw.open(t, "/staff")
	cw.signIn(t, "caseworker")
	cw.follow(t, "#reports-link")
	cw.expectHeading(t, "Reports at a place")
	cw.run(t, "wait for the map of reports", chromedp.WaitVisible("#reports-map .leaflet-marker-icon", chromedp.ByQuery))
	cw.expectText(t, "#reports", ref, "Report a pothole", "Open")
	cw.shot(t, "staff-reports")
	cw.audit(t, "staff reports, list and map")
	cw.follow(t, `#reports a[href^="/staff/reports/"]`)
	cw.expectHeading(t, "Report "+ref)
	cw.expectText(t, "#report-supporters", "1")
	cw.audit(t, "staff report")
	cw.submitExpecting(t, "#report-status-submit", 422)
	cw.expectText(t, ".error-summary", "Choose the report's new status")
	cw.audit(t, "staff report with an error")
	cw.run(t, "set it fixed",
		chromedp.Click("#status-fixed", chromedp.ByQuery),
		chromedp.SendKeys("#note", "Filled and sealed this morning.", chromedp.ByQuery))
	cw.follow(t, "#report-status-submit")
	cw.expectText(t, "#report-done", "Status saved")
	cw.expectText(t, "#report-status", "Fixed")
	cw.expectText(t, "#report-history", "Open → Fixed", "Filled and sealed this morning.")
	cw.shot(t, "staff-report-fixed")

	// The reporter and the neighbour are mailed.
	for _, to := range []string{"reporter@example.org", "vei@example.org"} {
		eventually(t, "the mail to "+to, 500*time.Millisecond, func() bool {
			cw.open(t, "/dev-mail")
			return strings.Contains(cw.text(t, "main"), to+" ") && strings.Contains(cw.text(t, "main"), "Report "+ref+": Fixed")
		})
	}
	cw.expectText(t, "#dev-mail", "Report "+ref+": Fixed")
}

// auditWithoutScript audits the page as it was drawn without JavaScript:
// axe-core is a script, so scripts are let run for the audit alone (the
// page's own ran, or not, when it loaded).
func (tb *tab) auditWithoutScript(t *testing.T, page string) {
	t.Helper()
	tb.run(t, "let axe-core run", emulation.SetScriptExecutionDisabled(false))
	tb.audit(t, page)
	tb.run(t, "switch JavaScript off again", emulation.SetScriptExecutionDisabled(true))
}

// tileServer serves one plain 256-pixel tile for every tile address, so
// that the maps draw without the internet.
func tileServer(t *testing.T) *httptest.Server {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for x := range 256 {
		for y := range 256 {
			img.Set(x, y, color.RGBA{R: 0xe8, G: 0xf0, B: 0xe8, A: 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(buf.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv
}

// value reads an input's value.
func (tb *tab) value(t *testing.T, sel string) string {
	t.Helper()
	var v string
	tb.run(t, "read the value of "+sel, chromedp.Value(sel, &v, chromedp.ByQuery))
	return v
}

// number reads an input's value as a number.
func (tb *tab) number(t *testing.T, sel string) float64 {
	t.Helper()
	return tb.numberOf(t, tb.value(t, sel))
}

func (tb *tab) numberOf(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number: %v", s, err)
	}
	return f
}

// visible reports whether the element matching sel is shown.
func (tb *tab) visible(t *testing.T, sel string) bool {
	t.Helper()
	var shown bool
	tb.run(t, "look at "+sel, chromedp.Evaluate(`(() => { const e = document.querySelector(`+strconv.Quote(sel)+`); return !!e && !e.hidden && e.offsetParent !== null; })()`, &shown))
	return shown
}
