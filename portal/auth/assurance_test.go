package auth

import (
	"net/http"
	"strings"
	"testing"

	"sportello/portal/web"
)

func TestSatisfies(t *testing.T) {
	a := &Auth{cfg: Config{ACRSubstantial: "http://eidas.europa.eu/LoA/substantial", ACRHigh: "http://eidas.europa.eu/LoA/high"}.withDefaults()}
	low := &web.Viewer{ACR: "pwd"}
	none := &web.Viewer{}
	subst := &web.Viewer{ACR: "http://eidas.europa.eu/LoA/substantial"}
	high := &web.Viewer{ACR: "http://eidas.europa.eu/LoA/high"}
	tests := []struct {
		viewer *web.Viewer
		level  string
		want   bool
	}{
		{nil, AssuranceNone, true},
		{nil, "", true},
		{nil, AssuranceLow, false},
		{none, AssuranceLow, true},
		{low, AssuranceLow, true},
		{low, AssuranceSubstantial, false},
		{subst, AssuranceSubstantial, true},
		{subst, AssuranceHigh, false},
		{high, AssuranceHigh, true},
		{high, AssuranceSubstantial, true},
		{high, "hihg", false}, // a typo refuses
	}
	for _, tt := range tests {
		if got := a.Satisfies(tt.viewer, tt.level); got != tt.want {
			acr := "<nobody>"
			if tt.viewer != nil {
				acr = tt.viewer.ACR
			}
			t.Errorf("Satisfies(acr %q, %q) = %v, want %v", acr, tt.level, got, tt.want)
		}
	}
	if got := LoginURL("/services/x/apply", AssuranceHigh); got != "/auth/login?level=high&return_to=%2Fservices%2Fx%2Fapply" {
		t.Errorf("LoginURL = %q", got)
	}
	if got := LoginURL("/", AssuranceNone); got != "/auth/login" {
		t.Errorf("LoginURL = %q", got)
	}
}

// TestStepUp: a person signed in at substantial who opens a high-assurance
// page signs in again with acr_values=high; a provider that still answers
// substantial gets an explanation, not a loop.
func TestStepUp(t *testing.T) {
	r := startRP(t, rpOptions{})
	b := newBrowser(t, r.base)
	b.signIn("/private", "resident", "")
	before := b.cookie("sportello_session")

	login := b.get("/high")
	var authorize string
	for _, u := range b.visited {
		if strings.Contains(u, "/dev-idp/authorize?") {
			authorize = u
		}
	}
	if !strings.Contains(authorize, "acr_values=high") || !strings.Contains(authorize, "prompt=login") {
		t.Fatalf("step-up authorization request %q lacks acr_values=high or prompt=login", authorize)
	}
	mustContain(t, login, "asks for assurance level <strong>high</strong>", `<option value="high" selected>`)

	// The person signs in at substantial again: explained, no loop.
	p := b.pickPersona(login, "resident", "substantial")
	if p.status != http.StatusForbidden || p.url.Path != PathCallback {
		t.Fatalf("a step-up that stays substantial: %d at %s", p.status, p.url)
	}
	mustContain(t, p, "This service needs a stronger sign-in", "“substantial”", "“high”", `href="/auth/login?level=high&amp;return_to=%2Fhigh"`)

	// Again, at high: through.
	p = b.signIn("/high", "resident", "high")
	if p.status != http.StatusOK || p.url.Path != "/high" {
		t.Fatalf("step-up to high: %d at %s", p.status, p.url)
	}
	mustContain(t, p, "high-assurance page for Marta Vidal")
	if after := b.cookie("sportello_session"); after == before || after == "" {
		t.Error("the session id did not change at step-up")
	}
	mustContain(t, b.get(PathAccount), "<dd>high</dd>")
}
