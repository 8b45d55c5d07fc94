package notify_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"sportello/notify"
	"sportello/store"
	"sportello/store/storetest"
)

// Without a mail server the worker keeps each message in the development
// mailbox, in the database, with the headers it would have had.
func TestDevMailbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		from, _ := notify.ParseFrom("Council of Porta Nova <no-reply@portanova.example>")
		box := notify.NewDevMailbox(db, from, c.Now)
		w, err := notify.NewWorker(notify.WorkerOptions{Store: notify.New(db, c.Now), Renderer: renderer, Channel: box, MessageHost: "portanova.example", Now: c.Now})
		if err != nil {
			t.Fatal(err)
		}
		marta := person(t, db, 71, "Marta", "marta@example.org")
		addTo(t, db, c.Now(), notify.Event{Kind: notify.RenewalDue, Key: "renewal:1", PersonID: marta, Lang: "fr", Data: map[string]string{"ref": "PN-R1"}})
		addTo(t, db, c.Now(), decision("dev2", marta))
		if p, err := w.RunPass(context.Background()); err != nil || p.Sent != 2 {
			t.Fatalf("pass: %+v, %v", p, err)
		}
		list, err := box.List(context.Background(), 10)
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %+v, %v", list, err)
		}
		var renewal notify.DevMail
		for _, m := range list {
			if m.Subject == "[fr] renewal_due PN-R1" {
				renewal, err = box.Get(context.Background(), m.ID)
			}
		}
		if err != nil || renewal.To != "marta@example.org" || renewal.From != `"Council of Porta Nova" <no-reply@portanova.example>` ||
			renewal.Text == "" || renewal.HTML == "" || !renewal.Sent.Equal(c.Now()) {
			t.Fatalf("get: %+v, %v", renewal, err)
		}
		for _, h := range [][2]string{{"List-Unsubscribe", "<https://portanova.example/unsubscribe/t0ken>"}, {"Subject", "[fr] renewal_due PN-R1"}, {"Message-ID", "<" + renewal.MessageID + ">"}} {
			if !slices.Contains(renewal.Headers, h) {
				t.Errorf("headers %v lack %v", renewal.Headers, h)
			}
		}
		if _, err := box.Get(context.Background(), 12345); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a message that is not there: %v", err)
		}
	})
}
