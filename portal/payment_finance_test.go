package portal

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/payments"
)

// The finance list filters by dates, status and service, totals what was
// received, and exports the same selection as CSV; only staff see it.
func TestPaymentFinance(t *testing.T) {
	site := startLiveSite(t)
	resident := site.browser(t, followRedirects)
	resident.signIn("resident", "/account")
	resident.get("/?lang=en")
	paid, p := payPaid(t, site, resident)
	open := paySubmit(t, site, "resident", parkingPermit)
	resident.payNow(open.Reference.String()) // pending, never answered

	staff := site.browser(t, followRedirects)
	staff.signIn("admin", "/account")
	staff.get("/?lang=en")
	today := time.Now().UTC().Format(time.DateOnly)
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)

	list := staff.get("/staff/payments?service=" + parkingPermit + "&from=" + today + "&to=" + today)
	must(t, list, http.StatusOK, paid.Reference.String(), open.Reference.String(), `id="totals"`, "Download these payments as CSV")
	onlyPaid := staff.get("/staff/payments?status=paid&service=" + parkingPermit)
	must(t, onlyPaid, http.StatusOK, paid.Reference.String())
	if strings.Contains(onlyPaid.body, open.Reference.String()) {
		t.Error("the paid filter lists a pending payment")
	}
	future := staff.get("/staff/payments?from=" + tomorrow)
	must(t, future, http.StatusOK, "0 payment attempts")
	for _, bad := range []string{"from=yesterday", "from=" + tomorrow + "&to=" + today} {
		r := staff.get("/staff/payments?" + bad)
		must(t, r, http.StatusUnprocessableEntity, `class="error-summary"`)
	}

	csvPage := staff.get("/staff/payments.csv?status=paid&service=" + parkingPermit + "&from=" + today)
	must(t, csvPage, http.StatusOK)
	if ct := csvPage.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("CSV content type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(csvPage.body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, csvPage.body)
	}
	if len(rows) < 2 || rows[0][0] != "payment_id" {
		t.Fatalf("CSV rows %v", rows)
	}
	found := false
	for _, row := range rows[1:] {
		if row[4] != payments.StatusPaid || row[2] != parkingPermit {
			t.Errorf("CSV row outside the filter: %v", row)
		}
		if row[0] == strconv.FormatInt(p.ID, 10) {
			found = true
			if row[1] != paid.Reference.String() || row[5] != "EUR" || row[7] != "40.00" {
				t.Errorf("CSV row %v", row)
			}
		}
	}
	if !found {
		t.Errorf("the CSV lacks payment %d", p.ID)
	}

	// Residents are refused.
	for _, path := range []string{"/staff/payments", "/staff/payments.csv"} {
		if r := resident.get(path); r.status != http.StatusForbidden {
			t.Errorf("resident GET %s: %d, want 403", path, r.status)
		}
	}
}

// The finance list's dates are the council's days, not UTC's: a payment
// made now is listed under the council's today, whatever the hour in UTC.
func TestPaymentFinanceDaysAreTheCouncils(t *testing.T) {
	// A council 12 hours behind UTC before noon, 14 ahead after: its
	// date is never UTC's.
	zone := time.FixedZone("council", -12*3600)
	if time.Now().UTC().Hour() >= 12 {
		zone = time.FixedZone("council", 14*3600)
	}
	site := startLiveSite(t, inTimeZone(zone))
	resident := site.browser(t, followRedirects)
	resident.signIn("resident", "/account")
	resident.get("/?lang=en")
	paid, _ := payPaid(t, site, resident)

	staff := site.browser(t, followRedirects)
	staff.signIn("admin", "/account")
	staff.get("/?lang=en")
	councilToday := time.Now().In(zone).Format(time.DateOnly)
	utcToday := time.Now().UTC().Format(time.DateOnly)
	must(t, staff.get("/staff/payments?from="+councilToday+"&to="+councilToday), http.StatusOK, paid.Reference.String())
	mustNot(t, staff.get("/staff/payments?from="+utcToday+"&to="+utcToday), paid.Reference.String())
}
