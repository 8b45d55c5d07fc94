package payments_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/payments"
	"sportello/payments/internal/paytest"
	"sportello/store"
)

func TestListAndCSV(t *testing.T) {
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		begin := e.clock.Now()
		// Application 1: dog licence, paid, 500 refunded. 2: parking permit,
		// paid, a day later. 3: dog licence, declined. 4: parking, pending.
		pay := func(appID int64, slug string, choice string) payments.Checkout {
			in := paytest.Input(appID)
			in.ServiceSlug = slug
			c, err := e.svc.StartCheckout(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if choice != "" {
				e.choose(t, c, choice)
			}
			e.clock.Advance(time.Minute)
			return c
		}
		first := pay(1, "dog-licence", payments.SimulatedPay)
		if _, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: first.PaymentID, Amount: 500, Reason: "partly withdrawn", StaffPersonID: 7, RequestToken: payments.NewRefundToken()}); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(24 * time.Hour)
		pay(2, "parking-permit", payments.SimulatedPay)
		pay(3, "dog-licence", payments.SimulatedDecline)
		pay(4, "parking-permit", "")

		tests := []struct {
			name     string
			filter   payments.Filter
			refs     []int64 // application ids, newest first
			received int64
			net      int64
		}{
			{"all", payments.Filter{}, []int64{4, 3, 2, 1}, 2500, 2000},
			{"paid", payments.Filter{Status: payments.StatusPaid}, []int64{2}, 1250, 1250},
			{"by service", payments.Filter{ServiceSlug: "dog-licence"}, []int64{3, 1}, 1250, 750},
			{"first day", payments.Filter{From: begin, To: begin.Add(time.Hour)}, []int64{1}, 1250, 750},
			{"from the second day", payments.Filter{From: begin.Add(time.Hour)}, []int64{4, 3, 2}, 1250, 1250},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				ps, totals, err := e.svc.List(ctx, tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				var apps []int64
				for _, p := range ps {
					apps = append(apps, p.ApplicationID)
				}
				if !slices.Equal(apps, tc.refs) {
					t.Errorf("applications %v, want %v", apps, tc.refs)
				}
				var received, net int64
				for _, c := range totals.ByCurrency {
					if c.Currency != "eur" {
						t.Errorf("currency %q", c.Currency)
					}
					received, net = received+c.Received, net+c.Net
				}
				if totals.Count != len(tc.refs) || received != tc.received || net != tc.net {
					t.Errorf("totals %+v, want %d received, %d net", totals, tc.received, tc.net)
				}
			})
		}

		ps, _, err := e.svc.List(ctx, payments.Filter{Status: payments.StatusPartiallyRefunded})
		if err != nil || len(ps) != 1 || ps[0].ID != first.PaymentID {
			t.Fatalf("partially refunded: %v, %v", ps, err)
		}
		all, _, _ := e.svc.List(ctx, payments.Filter{})
		var buf bytes.Buffer
		if err := payments.WriteCSV(&buf, all); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("reading the CSV back: %v", err)
		}
		if len(rows) != 5 || rows[0][0] != "payment_id" {
			t.Fatalf("CSV has %d rows, header %v", len(rows), rows[0])
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for _, r := range rows[1:] {
			if r[col["payment_id"]] != strconv.FormatInt(first.PaymentID, 10) {
				continue
			}
			want := map[string]string{"amount": "12.50", "received": "12.50", "refunded": "5.00", "net": "7.50",
				"currency": "EUR", "status": "partially_refunded", "card_brand": "visa", "card_last4": "4242", "service": "dog-licence"}
			for k, v := range want {
				if r[col[k]] != v {
					t.Errorf("CSV %s = %q, want %q", k, r[col[k]], v)
				}
			}
			if r[col["paid_at"]] == "" {
				t.Error("CSV paid_at is empty for a paid payment")
			}
		}
	})
}

func TestFormatAmountAndCSVSafety(t *testing.T) {
	tests := []struct {
		minor    int64
		currency string
		want     string
	}{
		{1250, "eur", "12.50"}, {5, "EUR", "0.05"}, {0, "eur", "0.00"}, {-150, "eur", "-1.50"}, {500, "jpy", "500"},
	}
	for _, tc := range tests {
		if got := payments.FormatAmount(tc.minor, tc.currency); got != tc.want {
			t.Errorf("FormatAmount(%d, %s) = %q, want %q", tc.minor, tc.currency, got, tc.want)
		}
	}
	var buf bytes.Buffer
	payments.WriteCSV(&buf, []payments.Payment{{Reference: "=HYPERLINK(\"http://x\")", Currency: "eur", FlagReason: "-1.50 short"}})
	out := buf.String()
	if !strings.Contains(out, `'=HYPERLINK`) || !strings.Contains(out, `'-1.50 short`) {
		t.Errorf("formula-like cells are not neutralised:\n%s", out)
	}
}
