package portal

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	stripeapi "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"sportello/applications"
	"sportello/payments"
	"sportello/payments/stripemock"
	"sportello/portal/pay"
)

const payWebhookSecret = "whsec_portal_test"

// payCompletedEvent is Stripe's checkout.session.completed for p, paid in
// full, as API version 2023-10-16 sends it.
func payCompletedEvent(t *testing.T, id string, p payments.Payment) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": stripeapi.APIVersion, "created": time.Now().Unix(),
		"type": "checkout.session.completed", "livemode": false, "pending_webhooks": 1,
		"data": map[string]any{"object": map[string]any{
			"id": p.SessionID, "object": "checkout.session", "mode": "payment", "status": "complete",
			"payment_status": "paid", "amount_total": p.Amount, "currency": p.Currency,
			"client_reference_id": p.Reference, "payment_intent": "pi_" + strconv.FormatInt(p.ID, 10),
			"metadata": map[string]string{"payment_id": strconv.FormatInt(p.ID, 10)},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func paySign(payload []byte, secret string) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()}).Header
}

// The Stripe webhook route, against the Stripe provider on stripe-mock:
// Pay now starts a real checkout and redirects to Stripe; a webhook with a
// bad or missing signature is refused with 400 and changes nothing; the
// completed event, signed as Stripe signs it, is 200 and sends the
// application to the council, once however often it is delivered. The
// route needs no CSRF token: it is posted by Stripe, not a browser.
func TestPaymentStripeWebhook(t *testing.T) {
	site := startLiveSite(t, stripePayments(stripemock.Start(t), payWebhookSecret))
	b := site.browser(t, followRedirects)
	b.signIn("resident", "/account")
	b.get("/?lang=en")
	app := paySubmit(t, site, "resident", parkingPermit)

	page := b.get(pay.PayURL(app.Reference.String()))
	must(t, page, http.StatusOK, `id="pay-now"`)
	if strings.Contains(page.body, "Payments are simulated") {
		t.Error("the simulated payments banner shows while Stripe takes the payments")
	}
	redirect := b.postForm(page, pay.PayURL(app.Reference.String()), nil)
	if redirect.status != http.StatusSeeOther || !strings.HasPrefix(redirect.location, "https://") {
		t.Fatalf("Pay now: %d to %q, want a 303 to Stripe's checkout", redirect.status, redirect.location)
	}
	ctx := context.Background()
	p, err := site.srv.payments.Status(ctx, app.ID)
	if err != nil || p.Status != payments.StatusPending || p.Provider != "stripe" || p.SessionID == "" {
		t.Fatalf("the payment recorded before the redirect: %+v, %v", p, err)
	}
	// The return page asks stripe-mock, whose session is never paid.
	must(t, b.get("/payments/return?session_id="+p.SessionID), http.StatusOK, `data-state="confirming"`, "confirming your payment")

	post := func(body []byte, sig string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, site.base+PaymentsWebhookPath, strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		if sig != "" {
			req.Header.Set("Stripe-Signature", sig)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		text, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(text)
	}
	event := payCompletedEvent(t, "evt_portal_"+strconv.FormatInt(p.ID, 10), p)
	tests := []struct {
		name   string
		body   []byte
		sig    string
		status int
		want   applications.Status
	}{
		{"bad signature", event, paySign(event, "whsec_someone_else"), http.StatusBadRequest, applications.StatusAwaitingPayment},
		{"no signature", event, "", http.StatusBadRequest, applications.StatusAwaitingPayment},
		{"signed for another body", []byte(strings.Replace(string(event), `"payment_status":"paid"`, `"payment_status":"paid" `, 1)), paySign(event, payWebhookSecret), http.StatusBadRequest, applications.StatusAwaitingPayment},
		{"completed", event, paySign(event, payWebhookSecret), http.StatusOK, applications.StatusSubmitted},
		{"delivered again", event, paySign(event, payWebhookSecret), http.StatusOK, applications.StatusSubmitted},
	}
	for _, tt := range tests {
		status, text := post(tt.body, tt.sig)
		if status != tt.status {
			t.Errorf("%s: %d (%s), want %d", tt.name, status, text, tt.status)
		}
		if st := payStatus(t, site, "resident", app.Reference); st != tt.want {
			t.Errorf("%s: application %s, want %s", tt.name, st, tt.want)
		}
	}
	got, err := fixture.deps.Applications.ForApplicant(ctx, site.personID(t, "resident"), app.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Events); n != 2 {
		t.Errorf("%d events, want 2: sent, then submitted once however often the event came", n)
	}
	must(t, b.get("/payments/return?session_id="+p.SessionID), http.StatusOK, `data-state="received"`, "€40.00")
	// An event about a session Sportello never started is recorded and
	// answered 200, so that Stripe does not retry it for days.
	p.SessionID, p.ID = "cs_test_not_ours", 42
	stray := payCompletedEvent(t, "evt_portal_stray_"+strconv.FormatInt(time.Now().UnixNano(), 10), p)
	if status, text := post(stray, paySign(stray, payWebhookSecret)); status != http.StatusOK {
		t.Errorf("unknown session: %d (%s), want 200", status, text)
	}
}
