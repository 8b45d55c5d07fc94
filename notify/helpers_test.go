package notify_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"sportello/notify"
	"sportello/notify/smtptest"
	"sportello/store"
)

// clock is a settable clock: backoff is tested by moving it, never by
// waiting.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// renderer writes a small message naming the kind and the reference, as
// the real renderer would in the person's language; data "gone" makes the
// notification obsolete.
var renderer = notify.RendererFunc(func(_ context.Context, n notify.Notification, to notify.Recipient) (notify.Message, error) {
	if n.Data["gone"] != "" {
		return notify.Message{}, notify.ErrObsolete
	}
	m := notify.Message{
		Subject: fmt.Sprintf("[%s] %s %s", to.Lang, n.Kind, n.Data["ref"]),
		Text:    "Hello " + to.Name + ",\n\nYour application " + n.Data["ref"] + " moved on.\n",
		HTML:    "<p>Hello " + to.Name + ",</p><p>Your application <strong>" + n.Data["ref"] + "</strong> moved on.</p>",
	}
	if n.Kind.Optional() {
		m.Headers = map[string]string{
			"List-Unsubscribe":      "<https://portanova.example/unsubscribe/t0ken>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		}
	}
	return m, nil
})

// counter is an Observer that counts.
type counter struct {
	mu                             sync.Mutex
	sent, retried, failed, skipped map[string]int
}

func newCounter() *counter {
	return &counter{sent: map[string]int{}, retried: map[string]int{}, failed: map[string]int{}, skipped: map[string]int{}}
}

func (c *counter) NotificationSent(kind, channel string) { c.add(c.sent, kind+"/"+channel) }
func (c *counter) NotificationRetried(kind string)       { c.add(c.retried, kind) }
func (c *counter) NotificationFailed(kind string)        { c.add(c.failed, kind) }
func (c *counter) NotificationSkipped(kind, reason string) {
	c.add(c.skipped, kind+"/"+reason)
}

func (c *counter) add(m map[string]int, k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m[k]++
}

// outbox is a database with the notification store, a test SMTP server,
// the SMTP channel to it and a worker, on a settable clock.
type outbox struct {
	db     *store.DB
	store  *notify.Store
	server *smtptest.Server
	smtp   *notify.SMTP
	clock  *clock
	seen   *counter
	worker *notify.Worker
}

func newOutbox(t *testing.T, db *store.DB, opts smtptest.Options, wo notify.WorkerOptions) *outbox {
	t.Helper()
	o := &outbox{db: db, clock: newClock(), seen: newCounter(), server: smtptest.Start(t, opts)}
	o.store = notify.New(db, o.clock.Now)
	o.smtp = channelTo(t, o.server)
	wo.Store, wo.Renderer, wo.Channel, wo.Now, wo.Observer = o.store, renderer, o.smtp, o.clock.Now, o.seen
	wo.MessageHost = "portanova.example"
	var err error
	if o.worker, err = notify.NewWorker(wo); err != nil {
		t.Fatal(err)
	}
	return o
}

// channelTo is the SMTP channel to srv, as SPORTELLO_SMTP_URL would set it.
func channelTo(t testing.TB, srv *smtptest.Server) *notify.SMTP {
	t.Helper()
	cfg, err := notify.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	from, _ := notify.ParseFrom("Council of Porta Nova <no-reply@portanova.example>")
	ch, err := notify.NewSMTP(notify.SMTPOptions{Server: cfg, From: from, RootCAs: srv.RootCAs(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.Close() })
	return ch
}

// person adds someone who signed in with a verified address (none when
// email is "").
func person(t testing.TB, db *store.DB, id int64, name, email string) int64 {
	t.Helper()
	_, err := db.SQL().Exec(db.Rebind(`INSERT INTO people (id, issuer, subject, name, email, email_verified, created_at, signed_in_at)
		VALUES (?, 'https://id.example', ?, ?, ?, ?, 0, 0)`), id, fmt.Sprint("sub-", id), name, email, email != "")
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// add writes e to the outbox in a transaction of its own, as an area does
// with its change.
func (o *outbox) add(t testing.TB, e notify.Event) {
	t.Helper()
	addTo(t, o.db, o.clock.Now(), e)
}

func addTo(t testing.TB, db *store.DB, now time.Time, e notify.Event) {
	t.Helper()
	err := db.Tx(context.Background(), func(tx *sql.Tx) error { return notify.Add(context.Background(), db, tx, now, e) })
	if err != nil {
		t.Fatal(err)
	}
}

func decision(key string, personID int64) notify.Event {
	return notify.Event{Kind: notify.Decision, Key: key, PersonID: personID, Lang: "es",
		Data: map[string]string{"ref": "PN-" + key, "service": "resident-parking-permit", "status": "approved"}}
}

// pass runs one pass of the worker.
func (o *outbox) pass(t testing.TB) (notify.Pass, error) {
	t.Helper()
	return o.worker.RunPass(context.Background())
}

// notification is a row of the outbox as a test reads it.
type notification struct {
	status, skipReason, lastError, channel, sentTo, subject, data string
	attempts                                                      int
	nextAttempt, sentAt, leaseUntil                               int64
}

func (o *outbox) row(t testing.TB, key string) notification {
	t.Helper()
	var n notification
	err := o.db.SQL().QueryRow(o.db.Rebind(`SELECT status, skip_reason, last_error, channel, sent_to, subject, data, attempts, next_attempt_at, sent_at, lease_until
		FROM notifications WHERE event_key = ?`), key).
		Scan(&n.status, &n.skipReason, &n.lastError, &n.channel, &n.sentTo, &n.subject, &n.data, &n.attempts, &n.nextAttempt, &n.sentAt, &n.leaseUntil)
	if err != nil {
		t.Fatalf("reading notification %s: %v", key, err)
	}
	return n
}

func (o *outbox) idOf(t testing.TB, key string) int64 {
	t.Helper()
	var id int64
	if err := o.db.SQL().QueryRow(o.db.Rebind(`SELECT id FROM notifications WHERE event_key = ?`), key).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// byMessageID counts the messages the server got per Message-ID.
func byMessageID(msgs []smtptest.Message) map[string]int {
	out := map[string]int{}
	for _, m := range msgs {
		out[m.Header.Get("Message-ID")]++
	}
	return out
}
