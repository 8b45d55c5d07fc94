package notify_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"sportello/jobs"
	"sportello/notify"
	"sportello/notify/smtptest"
	"sportello/store"
	"sportello/store/storetest"
)

// A notification goes out once, to the person's verified address, as
// plain text with an HTML alternative, with its Message-ID and the
// unsubscribe headers of an optional kind; the outbox records it.
func TestSendsOnceWithHeadersAndParts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o := newOutbox(t, db, smtptest.Options{}, notify.WorkerOptions{})
		marta := person(t, db, 11, "Marta Vidal", "marta@example.org")
		o.add(t, notify.Event{Kind: notify.StatusChanged, Key: "status:A1:1", PersonID: marta, Lang: "ca",
			Data: map[string]string{"ref": "PN-A1", "service": "resident-parking-permit", "status": "in_review"}})

		p, err := o.pass(t)
		if err != nil || p.Sent != 1 {
			t.Fatalf("pass: %+v, %v", p, err)
		}
		if p, err := o.pass(t); err != nil || p != (notify.Pass{}) {
			t.Fatalf("second pass: %+v, %v; want nothing to do", p, err)
		}
		msgs := o.server.Messages()
		if len(msgs) != 1 {
			t.Fatalf("%d messages, want 1", len(msgs))
		}
		m := msgs[0]
		id := o.idOf(t, "status:A1:1")
		for k, want := range map[string]string{
			"From":                  `"Council of Porta Nova" <no-reply@portanova.example>`,
			"To":                    "<marta@example.org>",
			"Subject":               "[ca] status_changed PN-A1",
			"Message-ID":            fmt.Sprintf("<n.%d@portanova.example>", id),
			"List-Unsubscribe":      "<https://portanova.example/unsubscribe/t0ken>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Auto-Submitted":        "auto-generated",
		} {
			if got := m.Header.Get(k); got != want {
				t.Errorf("%s: %q, want %q", k, got, want)
			}
		}
		if m.From != "no-reply@portanova.example" || len(m.To) != 1 || m.To[0] != "marta@example.org" {
			t.Errorf("envelope: from %q to %q", m.From, m.To)
		}
		if !strings.HasPrefix(m.Header.Get("Content-Type"), "multipart/alternative") {
			t.Errorf("Content-Type %q, want multipart/alternative", m.Header.Get("Content-Type"))
		}
		if !strings.Contains(m.Text, "Hello Marta Vidal,") || !strings.Contains(m.HTML, "<strong>PN-A1</strong>") {
			t.Errorf("parts: text %q, html %q", m.Text, m.HTML)
		}
		n := o.row(t, "status:A1:1")
		if n.status != "sent" || n.channel != "email" || n.sentTo != "marta@example.org" || n.subject != "[ca] status_changed PN-A1" ||
			n.sentAt != o.clock.Now().UnixMilli() || n.attempts != 1 || n.leaseUntil != 0 {
			t.Errorf("recorded %+v", n)
		}
		if o.seen.sent["status_changed/email"] != 1 {
			t.Errorf("observer saw %v", o.seen.sent)
		}
	})
}

// A confirmation link goes to the new address the event names, not the
// person's, and its data (the link's secret) is forgotten once sent.
func TestEmailConfirmGoesToTheNewAddressAndForgetsTheToken(t *testing.T) {
	db := storetest.Open(t, store.DialectSQLite)
	o := newOutbox(t, db, smtptest.Options{}, notify.WorkerOptions{})
	p := person(t, db, 12, "Joan Puig", "joan@idp.example")
	o.add(t, notify.Event{Kind: notify.EmailConfirm, Key: "confirm:1", PersonID: p, Address: "joan@new.example", Lang: "es",
		Data: map[string]string{"token": "s3cret-token"}})
	if _, err := o.pass(t); err != nil {
		t.Fatal(err)
	}
	msgs := o.server.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "joan@new.example" {
		t.Fatalf("sent %+v, want one message to the new address", msgs)
	}
	if m := msgs[0]; m.Header.Get("List-Unsubscribe") != "" {
		t.Errorf("a confirmation link is not a list: %q", m.Header.Get("List-Unsubscribe"))
	}
	if n := o.row(t, "confirm:1"); n.status != "sent" || n.data != "{}" {
		t.Errorf("recorded status %s data %s; want sent, {}", n.status, n.data)
	}
}

// Someone who was not signed in is written to at the address and in the
// language of the event.
func TestAnonymousRecipient(t *testing.T) {
	db := storetest.Open(t, store.DialectSQLite)
	o := newOutbox(t, db, smtptest.Options{}, notify.WorkerOptions{})
	o.add(t, notify.Event{Kind: notify.ApplicationReceived, Key: "received:anon", Address: "visitor@example.org", Lang: "it",
		Data: map[string]string{"ref": "PN-ANON"}})
	if _, err := o.pass(t); err != nil {
		t.Fatal(err)
	}
	msgs := o.server.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "visitor@example.org" || msgs[0].Header.Get("Subject") != "[it] application_received PN-ANON" {
		t.Fatalf("sent %+v", msgs)
	}
}

// The mail server is down while three changes are made; when it is back,
// each mail arrives exactly once.
func TestServerDownThenBackEachArrivesOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o := newOutbox(t, db, smtptest.Options{}, notify.WorkerOptions{})
		marta := person(t, db, 21, "Marta", "marta@example.org")
		// A first message leaves a connection open, which the server
		// going down makes stale.
		o.add(t, decision("before", marta))
		if p, err := o.pass(t); err != nil || p.Sent != 1 {
			t.Fatalf("first pass: %+v, %v", p, err)
		}
		o.server.Stop()
		keys := []string{"one", "two", "three"}
		for _, k := range keys {
			o.add(t, decision(k, marta))
		}
		// A pass against a server that is down stops at the first failure
		// (each notification being sent then is tried once); the next
		// passes try the others.
		tried := 0
		for tried < len(keys) {
			p, err := o.pass(t)
			if err == nil || !strings.Contains(err.Error(), "connect") || p.Retried == 0 || p.Sent != 0 {
				t.Fatalf("pass while down: %+v, %v; want retries and an error", p, err)
			}
			tried += p.Retried
		}
		if tried != len(keys) {
			t.Fatalf("%d tries while down, want %d", tried, len(keys))
		}
		for _, k := range keys {
			if n := o.row(t, k); n.status != "pending" || n.attempts != 1 || n.lastError == "" || n.leaseUntil != 0 {
				t.Errorf("%s while down: %+v", k, n)
			}
		}
		o.server.Restart()
		o.clock.Add(time.Minute)
		if p, err := o.pass(t); err != nil || p.Sent != 3 {
			t.Fatalf("pass after restart: %+v, %v", p, err)
		}
		o.clock.Add(time.Hour)
		if p, err := o.pass(t); err != nil || p.Sent != 0 {
			t.Fatalf("a later pass: %+v, %v; want nothing", p, err)
		}
		got := byMessageID(o.server.Messages())
		if len(got) != 4 {
			t.Errorf("%d distinct messages, want 4: %v", len(got), got)
		}
		for _, k := range append(keys, "before") {
			id := fmt.Sprintf("<n.%d@portanova.example>", o.idOf(t, k))
			if got[id] != 1 {
				t.Errorf("%s arrived %d times, want once", k, got[id])
			}
		}
	})
}

// A try that fails is tried again later, each wait longer (30 s, 2 min,
// 8 min… give or take a fifth); after the last try the notification is
// failed, and staff may put it back for one more try.
func TestBackoffFinalFailureAndTryAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o := newOutbox(t, db, smtptest.Options{}, notify.WorkerOptions{MaxAttempts: 4})
		o.server.Stop()
		marta := person(t, db, 31, "Marta", "marta@example.org")
		o.add(t, decision("d1", marta))
		want := []time.Duration{30 * time.Second, 2 * time.Minute, 8 * time.Minute}
		for i, w := range want {
			if p, err := o.pass(t); err == nil {
				t.Fatalf("try %d: a pass against a stopped server reported no error: %+v", i+1, p)
			}
			n := o.row(t, "d1")
			wait := time.Duration(n.nextAttempt-o.clock.Now().UnixMilli()) * time.Millisecond
			if n.status != "pending" || n.attempts != i+1 || wait < w*8/10 || wait > w*12/10 {
				t.Fatalf("after try %d: %s, %d attempts, next in %s; want pending, next in %s ± 20%%", i+1, n.status, n.attempts, wait, w)
			}
			// Not due yet: nothing happens.
			if p, _ := o.pass(t); p != (notify.Pass{}) {
				t.Fatalf("a pass before the retry is due did %+v", p)
			}
			o.clock.Add(wait)
		}
		if _, err := o.pass(t); err == nil {
			t.Fatal("the last try reported no error")
		}
		n := o.row(t, "d1")
		if n.status != "failed" || n.attempts != 4 || !strings.Contains(n.lastError, "connect") {
			t.Fatalf("after the last try: %+v", n)
		}
		if o.seen.retried["decision"] != 3 || o.seen.failed["decision"] != 1 {
			t.Errorf("observer: retried %v failed %v", o.seen.retried, o.seen.failed)
		}
		o.clock.Add(48 * time.Hour)
		if p, _ := o.pass(t); p != (notify.Pass{}) {
			t.Fatalf("a failed notification was tried again by itself: %+v", p)
		}
		failed, err := o.store.Failed(context.Background(), 10)
		if err != nil || len(failed) != 1 || failed[0].Ref != "PN-d1" || failed[0].Attempts != 4 || failed[0].To != "marta@example.org" || failed[0].Kind != notify.Decision {
			t.Fatalf("failed list: %+v, %v", failed, err)
		}
		b, err := o.store.Backlog(context.Background())
		if err != nil || b.Pending != 0 || b.Failed != 1 {
			t.Fatalf("backlog %+v, %v", b, err)
		}

		// One more try, still down: failed again at once.
		if err := o.store.Retry(context.Background(), failed[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := o.store.Retry(context.Background(), failed[0].ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("retrying a pending notification: %v, want ErrNotFound", err)
		}
		o.pass(t)
		if n := o.row(t, "d1"); n.status != "failed" || n.attempts != 5 {
			t.Fatalf("after one more try while down: %+v", n)
		}
		// Back up: staff try again, and it goes.
		o.server.Restart()
		if err := o.store.Retry(context.Background(), failed[0].ID); err != nil {
			t.Fatal(err)
		}
		if b, _ := o.store.Backlog(context.Background()); b.Pending != 1 || !b.Oldest.Equal(newClock().Now()) {
			t.Errorf("backlog after try again: %+v", b)
		}
		if p, err := o.pass(t); err != nil || p.Sent != 1 {
			t.Fatalf("after try again: %+v, %v", p, err)
		}
	})
}

// A message the server refuses for good fails at once; the others go.
func TestRefusedRecipientFailsAtOnce(t *testing.T) {
	db := storetest.Open(t, store.DialectSQLite)
	o := newOutbox(t, db, smtptest.Options{Refuse: func(to string) error {
		if to == "nobody@example.org" {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<nobody@example.org>: no such user"}
		}
		return nil
	}}, notify.WorkerOptions{})
	o.add(t, notify.Event{Kind: notify.Decision, Key: "bad", Address: "nobody@example.org", Data: map[string]string{"ref": "PN-BAD"}})
	o.add(t, notify.Event{Kind: notify.Decision, Key: "good", Address: "somebody@example.org", Data: map[string]string{"ref": "PN-GOOD"}})
	p, err := o.pass(t)
	if err != nil || p.Failed != 1 || p.Sent != 1 {
		t.Fatalf("pass: %+v, %v", p, err)
	}
	n := o.row(t, "bad")
	if n.status != "failed" || !strings.Contains(n.lastError, "550") || strings.Contains(n.lastError, "nobody@example.org") ||
		!strings.Contains(n.lastError, "n***@example.org") {
		t.Errorf("refused: %+v; want failed, the server's answer, the address masked", n)
	}
}

// Nothing is sent for a kind the person turned off, to a person without an
// address, or about something that no longer exists; each is recorded as
// skipped with why, without a try.
func TestSkipped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o := newOutbox(t, db, smtptest.Options{}, notify.WorkerOptions{})
		marta := person(t, db, 41, "Marta", "marta@example.org")
		noMail := person(t, db, 42, "Pere", "")
		if err := o.store.SaveSettings(context.Background(), marta, notify.Settings{Off: []notify.Kind{notify.StatusChanged}}); err != nil {
			t.Fatal(err)
		}
		o.add(t, notify.Event{Kind: notify.StatusChanged, Key: "off", PersonID: marta, Data: map[string]string{"ref": "PN-1"}})
		o.add(t, notify.Event{Kind: notify.SupportAlert, Key: "alert", PersonID: marta, Data: map[string]string{"services": "x"}})
		o.add(t, decision("noaddr", noMail))
		o.add(t, notify.Event{Kind: notify.Decision, Key: "gone", PersonID: marta, Data: map[string]string{"ref": "PN-2", "gone": "1"}})
		// A kind that cannot be turned off goes all the same.
		o.add(t, decision("always", marta))
		p, err := o.pass(t)
		if err != nil || p.Skipped != 4 || p.Sent != 1 {
			t.Fatalf("pass: %+v, %v", p, err)
		}
		for key, reason := range map[string]string{"off": "turned_off", "alert": "turned_off", "noaddr": "no_address", "gone": "obsolete"} {
			if n := o.row(t, key); n.status != "skipped" || n.skipReason != reason || n.attempts != 0 {
				t.Errorf("%s: %s %q after %d tries, want skipped %q", key, n.status, n.skipReason, n.attempts, reason)
			}
		}
		if msgs := o.server.Messages(); len(msgs) != 1 || !strings.Contains(msgs[0].Header.Get("Subject"), "PN-always") {
			t.Errorf("sent %d messages, want only the decision", len(msgs))
		}
		if o.seen.skipped["status_changed/turned_off"] != 1 || o.seen.skipped["decision/no_address"] != 1 || o.seen.skipped["decision/obsolete"] != 1 {
			t.Errorf("observer: %v", o.seen.skipped)
		}
	})
}

// A change that is rolled back leaves no notification behind.
func TestRolledBackChangeLeavesNoNotification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o := newOutbox(t, db, smtptest.Options{}, notify.WorkerOptions{})
		marta := person(t, db, 51, "Marta", "marta@example.org")
		undone := errors.New("the change failed halfway")
		err := db.Tx(context.Background(), func(tx *sql.Tx) error {
			if err := notify.Add(context.Background(), db, tx, o.clock.Now(), decision("undone", marta)); err != nil {
				return err
			}
			return undone
		})
		if !errors.Is(err, undone) {
			t.Fatal(err)
		}
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM notifications`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d notifications after a rollback (%v), want none", n, err)
		}
		if p, err := o.pass(t); err != nil || p != (notify.Pass{}) || len(o.server.Messages()) != 0 {
			t.Fatalf("pass: %+v, %v, %d messages", p, err, len(o.server.Messages()))
		}
	})
}

// Two instances on one database, each with its own connections, its own
// worker and its own SMTP connection, send each notification once: their
// passes running at the same moment (the claims), and run as jobs by two
// runners (the job lease).
func TestTwoInstancesSendEachOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const n = 60
		srv := smtptest.Start(t, smtptest.Options{})
		other := storetest.Reopen(t, db)
		marta := person(t, db, 61, "Marta", "marta@example.org")
		workers := make([]*notify.Worker, 2)
		for i, d := range []*store.DB{db, other} {
			w, err := notify.NewWorker(notify.WorkerOptions{Store: notify.New(d, nil), Renderer: renderer, Channel: channelTo(t, srv),
				MessageHost: "portanova.example", Batch: 7})
			if err != nil {
				t.Fatal(err)
			}
			workers[i] = w
		}
		addMany := func(prefix string) {
			for i := range n {
				addTo(t, db, time.Now(), decision(fmt.Sprintf("%s-%d", prefix, i), marta))
			}
		}

		addMany("claims")
		var wg sync.WaitGroup
		sent := make([]int, 2)
		for i, w := range workers {
			wg.Go(func() {
				for {
					p, err := w.RunPass(context.Background())
					if err != nil {
						t.Error(err)
						return
					}
					if p == (notify.Pass{}) {
						return
					}
					sent[i] += p.Sent
				}
			})
		}
		wg.Wait()
		if sent[0]+sent[1] != n {
			t.Errorf("the workers sent %v, want %d in all", sent, n)
		}
		assertEachOnce(t, srv.Messages(), n)

		addMany("jobs")
		ctx, stop := context.WithCancel(context.Background())
		var runners sync.WaitGroup
		for i, w := range workers {
			r := jobs.New([]*store.DB{db, other}[i], jobs.Options{Owner: fmt.Sprint("instance-", i)})
			r.Add(jobs.Job{Name: "notifications_send", Every: 20 * time.Millisecond, Run: w.Run})
			runners.Go(func() { r.Run(ctx) })
		}
		wctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, err := srv.Wait(wctx, 2*n)
		for err == nil && pending(t, db) > 0 {
			time.Sleep(10 * time.Millisecond)
		}
		stop()
		runners.Wait()
		if err != nil {
			t.Fatal(err)
		}
		assertEachOnce(t, srv.Messages(), 2*n)
	})
}

func pending(t testing.TB, db *store.DB) int {
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM notifications WHERE status <> 'sent'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func assertEachOnce(t testing.TB, msgs []smtptest.Message, n int) {
	t.Helper()
	got := byMessageID(msgs)
	if len(msgs) != n || len(got) != n {
		t.Errorf("%d messages with %d distinct Message-IDs, want %d of each", len(msgs), len(got), n)
	}
	for id, c := range got {
		if c != 1 {
			t.Errorf("%s arrived %d times", id, c)
		}
	}
}
