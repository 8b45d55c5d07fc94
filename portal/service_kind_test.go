package portal

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"sportello/applications/forms"
	"sportello/payments"
	"sportello/portal/pay"
)

// The demo services of each kind of transaction the tests walk through.
const (
	kindReport  = "report-a-pothole"   // report, anyone, 5 days
	kindPay     = "pay-a-parking-fine" // pay, substantial, €60.00 on application
	kindBook    = "book-a-sports-pitch"
	kindRequest = "tax-certificate-request"
	kindApply   = "planning-permission"
)

// answersFor is one valid answer to every question of a service's form,
// with the page's tokens.
func answersFor(t *testing.T, slug, csrf, token string) url.Values {
	t.Helper()
	svc, err := fixture.store.Service(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{"_csrf": {csrf}, "_token": {token}, "_action": {"continue"}}
	for _, f := range svc.OnlineForm.Fields {
		switch f.Type {
		case forms.TypeAddress:
			v.Set(f.Name+"-line1", "Avinguda del Mar 3")
			v.Set(f.Name+"-town", "Porta Nova")
			v.Set(f.Name+"-postcode", "08800")
		case forms.TypeLocation:
			v.Set(f.Name+"-line1", "Avinguda del Mar")
			v.Set(f.Name+"-line2", "outside number 3")
		case forms.TypeDate:
			// The example the form shows is within the field's range.
			day := strings.Fields(exampleDate(t, slug, f.Name))
			v.Set(f.Name+"-day", day[0])
			v.Set(f.Name+"-month", day[1])
			v.Set(f.Name+"-year", day[2])
		case forms.TypeSelect, forms.TypeRadio:
			v.Set(f.Name, f.Options[0].Value)
		case forms.TypeCheckbox:
			if len(f.Options) > 0 {
				v.Set(f.Name, f.Options[0].Value)
			} else {
				v.Set(f.Name, forms.CheckedValue)
			}
		case forms.TypeEmail:
			v.Set(f.Name, "marta.vidal@example.org")
		case forms.TypeTel:
			v.Set(f.Name, "+34 600 000 000")
		case forms.TypeVehicleRegistration:
			v.Set(f.Name, "1234 BCD")
		case forms.TypeInteger, forms.TypeMoney:
			n := 1.0
			if f.Min != nil {
				n = *f.Min
			}
			v.Set(f.Name, strconv.FormatFloat(n, 'f', -1, 64))
		case forms.TypeText, forms.TypeTextarea:
			v.Set(f.Name, "Column 12")
			if f.Pattern != nil {
				v.Set(f.Name, forms.Example(*f.Pattern))
			}
		}
	}
	return v
}

// sendForm fills in and sends slug's form as b, checking the words of the
// check page on the way, and returns the confirmation page.
func sendForm(t *testing.T, b *browser, slug string, check ...string) response {
	t.Helper()
	form := b.get("/services/" + slug + "/apply")
	must(t, form, http.StatusOK)
	csrf, token := formTokens(t, form.body)
	r := b.follow(b.postMultipart("/services/"+slug+"/apply", answersFor(t, slug, csrf, token)))
	if r.url.Path != "/services/"+slug+"/apply/check" {
		t.Fatalf("%s: the answers were refused: %d at %s\n%s", slug, r.status, r.url, excerptMain(r.body))
	}
	must(t, r, http.StatusOK, check...)
	r = b.follow(b.post("/services/"+slug+"/apply/submit", url.Values{"_csrf": {csrf}, "_token": {token}}))
	// A fee due on application goes straight to the provider's checkout.
	if r.url.Path != "/services/"+slug+"/apply/confirmation" && !strings.HasPrefix(r.url.Path, "/payments/simulated/") {
		t.Fatalf("%s: sending ended at %s: %d\n%s", slug, r.url, r.status, excerptMain(r.body))
	}
	return r
}

// Each kind of service starts with its own verb, on its page and in search
// results, in every language; a form's caption and facts say what it is.
func TestKindStartButtons(t *testing.T) {
	button := func(words string) string { return words + `<span class="button__arrow" aria-hidden="true"> →</span>` }
	runScenarios(t, []scenario{
		{name: "a report", path: "/services/" + kindReport, status: http.StatusOK,
			contains: []string{button("Report now")}, excludes: []string{"Apply now", "Start now"}},
		{name: "a fine", path: "/services/" + kindPay, status: http.StatusOK,
			contains: []string{button("Pay now")}, excludes: []string{"Apply now"}},
		{name: "a booking", path: "/services/" + kindBook, status: http.StatusOK, contains: []string{button("Book now")}},
		{name: "a request", path: "/services/" + kindRequest, status: http.StatusOK, contains: []string{button("Make a request")}},
		{name: "an application", path: "/services/" + kindApply, status: http.StatusOK, contains: []string{button("Apply now")}},
		{name: "a report in Spanish", path: "/services/" + kindReport + "?lang=es", status: http.StatusOK, contains: []string{button("Avisar ahora")}},
		{name: "a report in Catalan", path: "/services/" + kindReport + "?lang=ca", status: http.StatusOK, contains: []string{button("Avisa ara")}},
		{name: "a report in Italian", path: "/services/" + kindReport + "?lang=it", status: http.StatusOK, contains: []string{button("Segnala ora")}},
		{name: "a fine in French", path: "/services/" + kindPay + "?lang=fr", status: http.StatusOK, contains: []string{button("Payer")}},
		{name: "a booking in Italian", path: "/services/" + kindBook + "?lang=it", status: http.StatusOK, contains: []string{button("Prenota ora")}},
		{name: "search results", path: "/search?q=pothole", status: http.StatusOK,
			contains: []string{`href="/services/report-a-pothole/apply">Report now<span class="visually-hidden">: Report a pothole</span>`}},
		{name: "search results for a fine", path: "/search?q=pay+parking+fine", status: http.StatusOK,
			contains: []string{`href="/services/pay-a-parking-fine/apply">Pay now<span class="visually-hidden">: `}},
		{name: "search results in Spanish", path: "/search?q=bache&lang=es", status: http.StatusOK,
			contains: []string{`href="/services/report-a-pothole/apply">Avisar ahora<span class="visually-hidden">: `}},
		{name: "the business permit finder", path: planPath("closing-a-business", nil), status: http.StatusOK,
			contains: []string{`href="/services/tax-certificate-request/apply">Request online<span class="visually-hidden">`}},
		{name: "the business permit finder in Catalan", path: planPath("closing-a-business", nil) + "&lang=ca", status: http.StatusOK,
			contains: []string{`>Demanar en línia<span class="visually-hidden">`}},
		{name: "the API's list", path: "/api/v1/services?topic=parking-transport&per_page=100", status: http.StatusOK,
			contains: []string{`"slug":"pay-a-parking-fine"`, `"kind":"pay"`, `"kind":"apply"`, `"kind":"request"`}},
		{name: "the API's service", path: "/api/v1/services/" + kindReport, status: http.StatusOK, contains: []string{`"kind":"report"`}},
		{name: "a report's form", path: "/services/" + kindReport + "/apply", status: http.StatusOK,
			contains: []string{`<p class="caption">Report online</p>`, "<dt>We aim to fix it within</dt><dd>5 working days</dd>"},
			excludes: []string{"Apply online", "Decision within"}},
		{name: "a report's form in French", path: "/services/" + kindReport + "/apply?lang=fr", status: http.StatusOK,
			contains: []string{`<p class="caption">Signaler en ligne</p>`, "<dt>Intervention sous</dt>"}},
	})
}

// A report is sent, not applied for: "Report sent" and the date the council
// aims to fix it by, never a decision. The account and the staff pages speak
// of a report, and the caseworker marks it dealt with.
func TestReportWords(t *testing.T) {
	site := startLiveSite(t)
	res := site.browser(t, stopAtRedirects)
	res.signIn("resident", "/")
	conf := sendForm(t, res, kindReport, "Check your answers before sending your report",
		"By sending this report you confirm", `id="apply-submit">Send report</button>`)
	must(t, conf, http.StatusOK, "<title>Report sent – City of Porta Nova</title>", `<h1 class="panel__title">Report sent</h1>`,
		"Thank you for telling us.", `<p id="decision-due">We aim to fix it by `, "See your report")
	mustNot(t, conf, "You should get a decision", "Application sent", "your application")
	ref := referenceOf(t, conf.body)

	must(t, res.get("/account/applications"), http.StatusOK, `<th scope="col">Due</th>`, "Report sent on ")
	detail := res.get("/account/applications/" + ref)
	must(t, detail, http.StatusOK, "<title>Report "+ref, "<dt>Fix due</dt>", "Withdraw your report", `id="withdraw-submit">Withdraw report</button>`)
	mustNot(t, detail, "Decision due", "Withdraw your application")

	cw := site.browser(t, stopAtRedirects)
	cw.signIn("caseworker", "/")
	must(t, cw.get("/staff?service="+kindReport), http.StatusOK, ref, "Report sent on ")
	page := "/staff/applications/" + ref
	r := cw.get(page)
	must(t, r, http.StatusOK, "<h1>Report "+ref+"</h1>", "<dt>Fix due</dt>")
	csrf, _ := formTokens(t, r.body)
	status := func(from, to string) {
		t.Helper()
		if r := cw.post(page+"/status", url.Values{"_csrf": {csrf}, "from": {from}, "to": {to}}); r.status != http.StatusSeeOther {
			t.Fatalf("%s to %s: %d\n%s", from, to, r.status, excerptMain(r.body))
		}
	}
	status("submitted", "in_review")
	must(t, cw.get(page), http.StatusOK, "Mark as dealt with", "Close without action")
	status("in_review", "approved")
	must(t, res.get("/account/applications"), http.StatusOK, "Dealt with")

	// The same pages in Spanish and Catalan (the language then sticks).
	must(t, res.get("/account/applications/"+ref+"?lang=es"), http.StatusOK, "Resuelto", "Aviso "+ref)
	must(t, res.get(conf.url.Path+"?"+conf.url.RawQuery+"&lang=ca"), http.StatusOK, "Avís enviat", "Volem arreglar-ho abans del")
}

// Paying a fine: "Continue to payment", then the payment itself, and
// "Payment received" with nothing left to do; nowhere an application.
func TestPayWords(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	b.signInAtLevel("resident", "/", "substantial")
	checkout := sendForm(t, b, kindPay, "Check your answers before you pay", "You pay €60.00 online in the next step.",
		`id="apply-submit">Continue to payment</button>`)
	must(t, checkout, http.StatusOK, "€60.00")
	back := b.choose(checkout, payments.SimulatedPay)
	must(t, back, http.StatusOK, `data-state="received"`, "Payment received",
		"Thank you: we received €60.00. You do not need to do anything else.", "Back to your payment")
	mustNot(t, back, "Your application goes on", "You should get a decision", "Pay the fee")
	ref := referenceOf(t, back.body)
	must(t, b.get(pay.PayURL(ref)), http.StatusOK, "Back to your payment")
	must(t, b.get("/account/applications"), http.StatusOK, "Started on ")
	must(t, b.get("/account/applications/"+ref), http.StatusOK, "<title>Payment "+ref, "Cancel this payment")
}

// An application keeps its words: "Application sent" and a decision date;
// a booking and a request have their own.
func TestApplicationAndBookingWords(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, stopAtRedirects)
	b.signIn("resident", "/")
	ref := applyAs(t, b) // the van permit: apply, 5 days
	must(t, b.get("/account/applications"), http.StatusOK, "Application sent on ")
	must(t, b.get("/account/applications/"+ref), http.StatusOK, "<title>Application "+ref, "<dt>Decision due</dt>")

	// The booking's price is due with the request: the check page leads
	// to the payment, and the booking is requested once it is paid.
	checkout := sendForm(t, b, kindBook, "Check your answers before sending your booking request", "The price is €20.00 per hour.",
		`id="apply-submit">Continue to payment</button>`)
	back := b.follow(b.postForm(checkout, checkout.url.Path, url.Values{"choice": {payments.SimulatedPay}}))
	must(t, back, http.StatusOK, `<h1 class="panel__title">Booking requested</h1>`, `id="decision-due"`)
	ref = referenceOf(t, back.body)
	must(t, b.get("/account/applications"), http.StatusOK, "Booking requested on ", "Application sent on ")
	must(t, b.get("/account/applications/"+ref+"?lang=fr"), http.StatusOK, "Réservation "+ref, "Annuler votre réservation")
}

// An editor sets a service's kind in its form; a kind that does not fit is
// refused beside the field, as an import refuses it with its JSON path; the
// published kind changes the service's words at once, and the exports carry
// it.
func TestKindInTheEditor(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	admin := site.browser(t, stopAtRedirects)
	page := admin.signIn("admin", "/editor/entries/service/"+kindReport)
	must(t, page, http.StatusOK, `<select class="ed-input ed-select" id="f-kind" name="kind"`,
		`<option value="report" selected>Report: tell us about a problem to put right</option>`,
		`<option value="pay">Pay: pay a set amount (a fine)</option>`)
	csrf := csrfOf(t, page.body)

	svc := site.publishedService(t, kindReport)
	svc.Kind = "pay" // the pothole form takes no fee
	r := admin.post("/editor/entries/service/"+kindReport, serviceForm(t, svc, csrf, 0, "check"))
	must(t, r, http.StatusOK, `href="#f-kind"`, "needs a fee paid on application")

	svc.Kind = "book"
	r = admin.post("/editor/entries/service/"+kindReport, serviceForm(t, svc, csrf, 0, "save"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, excerptMain(r.body))
	}
	r = admin.post("/editor/entries/service/"+kindReport+"/publish", url.Values{"_csrf": {csrf}, "base_revision": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", r.status, excerptMain(r.body))
	}
	anon := site.browser(t, stopAtRedirects)
	must(t, anon.get("/services/"+kindReport), http.StatusOK, `Book now<span class="button__arrow"`)
	must(t, admin.get("/editor/export.json"), http.StatusOK, `"slug": "report-a-pothole",
      "kind": "book",`)
	must(t, admin.get("/editor/export.csv"), http.StatusOK, "slug,status,topic,department,audience,channels,online,kind,", ",true,book,")

	// An import with a kind Sportello does not know is refused with its path.
	exp := admin.get("/editor/export.json").body
	broken := strings.Replace(exp, `"kind": "book"`, `"kind": "complain"`, 1)
	imp := admin.get("/editor/import")
	r = admin.postMultipart("/editor/import", url.Values{"_csrf": {csrfOf(t, imp.body)}}, upload{field: "catalogue", name: "k.json", content: []byte(broken)})
	must(t, r, http.StatusUnprocessableEntity, `.kind: must be one of &#34;apply&#34;, &#34;report&#34;, &#34;pay&#34;, &#34;book&#34;, &#34;request&#34;, not &#34;complain&#34;`)
}

// exampleDate is the example a date field of the demo shows ("27 4 2026"),
// which is within the dates the field takes.
func exampleDate(t *testing.T, slug, field string) string {
	t.Helper()
	svc, err := fixture.store.Service(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	for i := range svc.OnlineForm.Fields {
		if f := &svc.OnlineForm.Fields[i]; f.Name == field {
			return forms.ExampleDate(f, fixture.deps.Forms.Today())
		}
	}
	t.Fatalf("%s has no field %s", slug, field)
	return ""
}
