package portal

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sportello/applications"
	"sportello/payments"
	"sportello/portal/pay"
)

// payPaid makes and pays an application for the parking permit as the
// signed-in resident b, and returns it with its payment.
func payPaid(t *testing.T, site *liveSite, b *browser) (*applications.Application, payments.Payment) {
	t.Helper()
	app := paySubmit(t, site, "resident", parkingPermit)
	must(t, b.choose(b.payNow(app.Reference.String()), payments.SimulatedPay), http.StatusOK, `data-state="received"`)
	p, err := fixture.deps.Payments.Status(context.Background(), app.ID)
	if err != nil || !p.Settled() {
		t.Fatalf("payment %+v, %v", p, err)
	}
	return app, p
}

// Staff refund part and then the rest of a payment, with a reason; the form
// refuses more than is left, no amount, no reason, in the reader's
// language; a form sent twice refunds once; residents cannot reach it.
func TestPaymentRefunds(t *testing.T) {
	site := startLiveSite(t)
	resident := site.browser(t, followRedirects)
	resident.signIn("resident", "/account")
	resident.get("/?lang=en")
	app, p := payPaid(t, site, resident)
	refundURL := pay.RefundURL(p.ID)

	staff := site.browser(t, followRedirects)
	staff.signIn("caseworker", "/account")
	staff.get("/?lang=en")
	form := staff.get(refundURL)
	must(t, form, http.StatusOK, "Refund a payment", app.Reference.String(), `value="40.00"`, "At most €40.00")

	tests := []struct {
		name, lang, amount, reason string
		sends                      int // of one form: 2 as by a double click
		status                     int
		want                       string
		refunded                   int64 // in total afterwards
	}{
		{"more than paid", "en", "50.00", "wrong fee", 1, http.StatusUnprocessableEntity, "cannot be more than what is left to refund: €40.00", 0},
		{"no amount", "en", "", "wrong fee", 1, http.StatusUnprocessableEntity, "Enter the amount to refund", 0},
		{"not an amount", "en", "12.345", "wrong fee", 1, http.StatusUnprocessableEntity, "Enter the amount to refund", 0},
		{"no reason", "en", "10", " ", 1, http.StatusUnprocessableEntity, "Enter the reason for the refund", 0},
		{"part, sent twice", "en", "15,00", "Permit for half the year", 2, http.StatusOK, "The refund was made.", 1500},
		{"more than left, in Spanish", "es", "25.01", "resto", 1, http.StatusUnprocessableEntity, "La devolución no puede superar lo que queda por devolver: 25,00\u00a0€", 1500},
		{"the rest, sent twice", "en", "25", "Permit cancelled", 2, http.StatusOK, "The refund was made.", 4000},
		{"nothing left, from a form shown before", "en", "1", "again", 1, http.StatusUnprocessableEntity, "This payment cannot be refunded", 4000},
	}
	for _, tt := range tests {
		staff.get("/?lang=" + tt.lang)
		// Each send of a form carries the token it was shown with.
		shown := staff.get(refundURL)
		if _, token := formTokens(t, shown.body); token == "" {
			// Nothing is left, so there is no form: send the one shown
			// first, as from a tab left open.
			shown = form
		}
		_, token := formTokens(t, shown.body)
		for range tt.sends {
			r := staff.postForm(shown, refundURL, url.Values{"amount": {tt.amount}, "reason": {tt.reason}, "_token": {token}})
			if r.status != tt.status || !strings.Contains(r.body, tt.want) {
				t.Errorf("%s: %d, want %d with %q\n%s", tt.name, r.status, tt.status, tt.want, excerptMain(r.body))
			}
			if tt.status == http.StatusUnprocessableEntity && !strings.Contains(r.body, `class="error-summary"`) {
				t.Errorf("%s: no error summary", tt.name)
			}
		}
		got, err := fixture.deps.Payments.Payment(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.RefundedAmount != tt.refunded {
			t.Errorf("%s: %d refunded, want %d", tt.name, got.RefundedAmount, tt.refunded)
		}
	}
	staff.get("/?lang=en")
	must(t, staff.get(refundURL), http.StatusOK, "Nothing is left to refund", "Permit for half the year", "Permit cancelled")
	got, _ := fixture.deps.Payments.Payment(context.Background(), p.ID)
	if got.Status != payments.StatusRefunded {
		t.Errorf("payment %s, want refunded", got.Status)
	}
	// The applicant's receipt shows the refunds.
	must(t, resident.get(pay.ReceiptURL(p.ID)), http.StatusOK, "Permit for half the year", "€40.00", `id="receipt-refunded"`)

	// Residents are refused; so is anyone not signed in.
	if r := resident.get(refundURL); r.status != http.StatusForbidden {
		t.Errorf("resident GET refund: %d, want 403", r.status)
	}
	if r := resident.postForm(form, refundURL, url.Values{"amount": {"1"}, "reason": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("resident POST refund: %d, want 403", r.status)
	}
	if r := staff.get(pay.RefundURL(12345)); r.status != http.StatusNotFound {
		t.Errorf("unknown payment: %d, want 404", r.status)
	}
}

// The refund form on the application's staff page works as shown: it
// carries its own request token, so a caseworker can refund from there.
func TestPaymentRefundFromApplicationPage(t *testing.T) {
	site := startLiveSite(t)
	resident := site.browser(t, followRedirects)
	resident.signIn("resident", "/account")
	resident.get("/?lang=en")
	app, p := payPaid(t, site, resident)

	staff := site.browser(t, followRedirects)
	staff.signIn("caseworker", "/account")
	staff.get("/?lang=en")
	page := staff.get("/staff/applications/" + app.Reference.String())
	must(t, page, http.StatusOK, `action="`+pay.RefundURL(p.ID)+`"`)
	_, token := formTokens(t, page.body)
	if token == "" {
		t.Fatal("the application page's refund form has no request token")
	}
	r := staff.postForm(page, pay.RefundURL(p.ID), url.Values{"amount": {"10"}, "reason": {"Started a month late"}, "_token": {token}})
	must(t, r, http.StatusOK, "The refund was made.")
	if got, _ := fixture.deps.Payments.Payment(context.Background(), p.ID); got.RefundedAmount != 1000 {
		t.Errorf("refunded %d, want 1000", got.RefundedAmount)
	}
}
