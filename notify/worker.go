package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"sportello/store"
)

// Observer is told what the worker does, for the metrics; cmd/sportello
// passes *metrics.Metrics.
type Observer interface {
	// NotificationSent: a notification of kind went out on channel.
	NotificationSent(kind, channel string)
	// NotificationRetried: a try failed and another is due later.
	NotificationRetried(kind string)
	// NotificationFailed: the last try failed, or the message was refused.
	NotificationFailed(kind string)
	// NotificationSkipped: nothing was sent, for reason (turned_off,
	// no_address, obsolete).
	NotificationSkipped(kind, reason string)
}

// WorkerOptions configure a Worker.
type WorkerOptions struct {
	Store    *Store
	Renderer Renderer
	Channel  Channel
	// MessageHost ends every Message-ID ("<n.123@portanova.example>"):
	// the host of the site's base URL.
	MessageHost string
	// MaxAttempts is how many tries a notification gets before it is
	// failed. Default 8: with the default backoff the last comes about 19
	// hours after the first.
	MaxAttempts int
	// Backoff is the wait after the first failed try; each next wait is
	// four times the one before, up to MaxBackoff, give or take a fifth at
	// random so that notifications failed together spread out. Defaults
	// 30 s and 8 h.
	Backoff, MaxBackoff time.Duration
	// Batch is how many notifications one claim takes. Default 25.
	Batch int
	// Concurrency is how many notifications are sent at the same moment,
	// each on a connection of its own: a mail server far away answers
	// each command of a message after a round trip. Default 4.
	Concurrency int
	// Lease is how long a claimed notification is the worker's: another
	// worker takes it only once the lease has run out (this one died).
	// Default 5 minutes; keep it well above the channel's timeout.
	Lease    time.Duration
	Observer Observer
	Log      *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Worker sends the due notifications of the outbox. Run it as a job (one
// worker at a time across the instances); its claims are safe anyway: two
// workers never take the same notification.
type Worker struct {
	o WorkerOptions
}

// NewWorker returns a worker.
func NewWorker(o WorkerOptions) (*Worker, error) {
	if o.Store == nil || o.Renderer == nil || o.Channel == nil {
		return nil, errors.New("notify: a worker needs a store, a renderer and a channel")
	}
	if o.MessageHost == "" {
		o.MessageHost = "sportello.invalid"
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Backoff <= 0 {
		o.Backoff = 30 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 8 * time.Hour
	}
	if o.Batch <= 0 {
		o.Batch = 25
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Lease <= 0 {
		o.Lease = 5 * time.Minute
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Observer == nil {
		o.Observer = noObserver{}
	}
	return &Worker{o: o}, nil
}

// Pass is what one Run did.
type Pass struct {
	Sent, Skipped, Retried, Failed int
}

// Run sends every notification due, batch after batch, until none is left,
// the channel is unavailable, or ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	_, err := w.RunPass(ctx)
	return err
}

// RunPass is Run, saying what it did.
func (w *Worker) RunPass(ctx context.Context) (Pass, error) {
	var p pass
	for ctx.Err() == nil {
		batch, lease, err := w.claim(ctx)
		if err != nil || len(batch) == 0 {
			return p.Pass, err
		}
		if err := w.deliverAll(ctx, batch, lease, &p); err != nil {
			return p.Pass, err
		}
	}
	return p.Pass, nil
}

// pass is a Pass being counted by several goroutines.
type pass struct {
	mu sync.Mutex
	Pass
}

func (p *pass) count(f func(*Pass)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(&p.Pass)
}

// deliverAll delivers a claimed batch, Concurrency at a time. The first
// error (the database failed, the channel is unavailable) stops it: the
// notifications not yet begun are released for a later pass.
func (w *Worker) deliverAll(ctx context.Context, batch []row, lease int64, p *pass) error {
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		stopped error
		slots   = make(chan struct{}, w.o.Concurrency)
	)
	failed := func() error {
		mu.Lock()
		defer mu.Unlock()
		return stopped
	}
	for i, r := range batch {
		slots <- struct{}{}
		// Stop in time for the lease: another worker may take what is
		// left once it runs out.
		if failed() != nil || ctx.Err() != nil || w.o.Now().Add(w.o.Lease/2).UnixMilli() > lease {
			<-slots
			wg.Wait()
			return errors.Join(failed(), w.release(batch[i:], lease))
		}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := w.deliver(ctx, r, lease, p); err != nil {
				mu.Lock()
				stopped = errors.Join(stopped, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return failed()
}

// row is a claimed notification.
type row struct {
	Notification
	address, lang string
	attempts      int
}

const qDue = `SELECT id, event_key, kind, person_id, address, lang, data, attempts, created_at FROM notifications
	WHERE status = 'pending' AND next_attempt_at <= ? AND lease_until <= ?
	ORDER BY next_attempt_at LIMIT ?`

// claim takes up to Batch due notifications that nobody holds, and returns
// them with the lease (its expiry, in Unix milliseconds, which also proves
// whose they are when the outcome is written).
func (w *Worker) claim(ctx context.Context) ([]row, int64, error) {
	db := w.o.Store.db
	now := w.o.Now()
	lease := now.Add(w.o.Lease).UnixMilli()
	var out []row
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = store.Query(ctx, tx, db.Rebind(qDue+db.SkipLocked()), scanRow, now.UnixMilli(), now.UnixMilli(), w.o.Batch)
		if err != nil || len(out) == 0 {
			return err
		}
		ids := make([]any, 0, len(out)+1)
		ids = append(ids, lease)
		for _, r := range out {
			ids = append(ids, r.ID)
		}
		_, err = tx.ExecContext(ctx, db.Rebind(`UPDATE notifications SET lease_until = ? WHERE id IN (`+placeholders(len(out))+`)`), ids...)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("notify: claiming due notifications: %w", db.MapError(err))
	}
	return out, lease, nil
}

func scanRow(s store.Scanner) (row, error) {
	var r row
	var person sql.NullInt64
	var data string
	var created int64
	err := s.Scan(&r.ID, &r.Key, &r.Kind, &person, &r.address, &r.lang, &data, &r.attempts, &created)
	if err != nil {
		return r, err
	}
	r.PersonID = person.Int64
	r.CreatedAt = time.UnixMilli(created)
	if err := json.Unmarshal([]byte(data), &r.Data); err != nil {
		return r, fmt.Errorf("notification %d has data that is not a JSON object: %w", r.ID, err)
	}
	return r, nil
}

// release gives back claimed notifications that were not tried.
func (w *Worker) release(rows []row, lease int64) error {
	if len(rows) == 0 {
		return nil
	}
	db := w.o.Store.db
	args := []any{lease}
	for _, r := range rows {
		args = append(args, r.ID)
	}
	// Released even when the pass ends because its context did.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := db.SQL().ExecContext(ctx, db.Rebind(`UPDATE notifications SET lease_until = 0 WHERE lease_until = ? AND id IN (`+placeholders(len(rows))+`)`), args...)
	if err != nil {
		return fmt.Errorf("notify: releasing notifications: %w", db.MapError(err))
	}
	return nil
}

// outcome is what becomes of a notification after a try.
type outcome struct {
	status   string // sent, skipped, failed or pending (to try again)
	reason   string // skip_reason
	channel  string
	to       string
	subject  string
	err      string // last_error
	next     time.Time
	blankOut bool // forget the data (a secret link sent)
}

// deliver tries one notification and records the outcome. It returns an
// error when the pass should stop: the database failed, or the channel is
// unavailable (the notification's own try is recorded then).
func (w *Worker) deliver(ctx context.Context, r row, lease int64, p *pass) error {
	to, st, err := w.recipient(ctx, r)
	if err != nil {
		return err
	}
	var o outcome
	var down error
	switch {
	case !st.Receives(r.Kind) || (r.Kind == SupportAlert && r.PersonID != 0 && !st.SupportAlerts):
		o = outcome{status: "skipped", reason: "turned_off"}
	case to.Address == "":
		o = outcome{status: "skipped", reason: "no_address"}
	default:
		o, down = w.send(ctx, r, to)
	}
	if err := w.record(ctx, r, lease, o); err != nil {
		return err
	}
	kind := string(r.Kind)
	switch o.status {
	case "sent":
		p.count(func(p *Pass) { p.Sent++ })
		w.o.Observer.NotificationSent(kind, o.channel)
	case "skipped":
		p.count(func(p *Pass) { p.Skipped++ })
		w.o.Observer.NotificationSkipped(kind, o.reason)
	case "failed":
		p.count(func(p *Pass) { p.Failed++ })
		w.o.Observer.NotificationFailed(kind)
		w.o.Log.WarnContext(ctx, "notify: a notification could not be sent and will not be tried again", "id", r.ID, "kind", kind, "attempts", r.attempts+1, "err", o.err)
	default:
		p.count(func(p *Pass) { p.Retried++ })
		w.o.Observer.NotificationRetried(kind)
		w.o.Log.InfoContext(ctx, "notify: a notification could not be sent; it will be tried again", "id", r.ID, "kind", kind, "attempts", r.attempts+1, "next", o.next, "err", o.err)
	}
	return down
}

// recipient is who r goes to, with their settings: the person's address and
// language, the event's address overriding theirs; for someone who was not
// signed in, the event's address and language.
func (w *Worker) recipient(ctx context.Context, r row) (Recipient, Settings, error) {
	if r.PersonID == 0 {
		return Recipient{Address: r.address, Lang: r.lang}, Settings{}, nil
	}
	to, st, err := w.o.Store.Recipient(ctx, r.PersonID, r.lang)
	if errors.Is(err, store.ErrNotFound) {
		// Deleting a person deletes their notifications; one that was
		// being sent meanwhile has nobody left to go to.
		return Recipient{PersonID: r.PersonID, Address: r.address, Lang: r.lang}, Settings{}, nil
	}
	if err != nil {
		return to, st, err
	}
	if r.address != "" {
		to.Address = r.address
	}
	return to, st, nil
}

// send renders r for to and hands it to the channel. down is the
// channel's error when it is unavailable.
func (w *Worker) send(ctx context.Context, r row, to Recipient) (o outcome, down error) {
	o.to = to.Address
	m, err := w.o.Renderer.Render(ctx, r.Notification, to)
	if errors.Is(err, ErrObsolete) {
		return outcome{status: "skipped", reason: "obsolete"}, nil
	}
	if err != nil {
		return w.retry(o, r, fmt.Errorf("rendering: %w", err)), nil
	}
	if m.To == "" {
		m.To = to.Address
	}
	m.ID = MessageID(r.ID, w.o.MessageHost)
	o.to, o.subject = m.To, m.Subject
	err = w.o.Channel.Send(ctx, m)
	switch {
	case err == nil:
		o.status, o.channel = "sent", w.o.Channel.Name()
		o.blankOut = r.Kind.Secret()
		return o, nil
	case errors.Is(err, ErrRejected):
		o.status, o.err = "failed", lastError(err, m.To)
		return o, nil
	case errors.Is(err, ErrUnavailable):
		o = w.retry(o, r, err)
		return o, errors.New(o.err)
	}
	return w.retry(o, r, err), nil
}

// retry is the outcome of a failed try: another later, or failed after the
// last.
func (w *Worker) retry(o outcome, r row, err error) outcome {
	o.err = lastError(err, o.to)
	tries := r.attempts + 1
	if tries >= w.o.MaxAttempts {
		o.status = "failed"
		return o
	}
	o.status = "pending"
	o.next = w.o.Now().Add(w.backoff(tries))
	return o
}

// backoff is the wait after the tries-th failed try.
func (w *Worker) backoff(tries int) time.Duration {
	d := w.o.Backoff
	for i := 1; i < tries && d < w.o.MaxBackoff; i++ {
		d *= 4
	}
	d = min(d, w.o.MaxBackoff)
	jitter := time.Duration(rand.Int64N(int64(d)/5+1)) * 2
	return d - d/5 + jitter
}

// record writes o, if the notification is still this worker's.
func (w *Worker) record(ctx context.Context, r row, lease int64, o outcome) error {
	db := w.o.Store.db
	now := w.o.Now().UnixMilli()
	set := `status = ?, lease_until = 0, attempts = attempts + ?, skip_reason = ?, last_error = ?, channel = ?, sent_to = ?, subject = ?`
	tried := 1
	if o.status == "skipped" {
		tried = 0
	}
	args := []any{o.status, tried, o.reason, o.err, o.channel, o.to, o.subject}
	switch {
	case o.status == "sent":
		set += `, sent_at = ?`
		args = append(args, now)
	case o.status == "pending":
		set += `, next_attempt_at = ?`
		args = append(args, o.next.UnixMilli())
	}
	if o.blankOut {
		set += `, data = '{}'`
	}
	args = append(args, r.ID, lease)
	// Written even when the pass ends because its context did: the
	// message may have gone.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	res, err := db.SQL().ExecContext(ctx, db.Rebind(`UPDATE notifications SET `+set+` WHERE id = ? AND lease_until = ?`), args...)
	if err != nil {
		return fmt.Errorf("notify: recording notification %d: %w", r.ID, db.MapError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		w.o.Log.WarnContext(ctx, "notify: a notification's lease ran out while it was being sent; another worker may send it again", "id", r.ID)
	}
	return nil
}

// MessageID is the Message-ID of notification id, the same at every try:
// "n.<id>@<host>" (without the angle brackets).
func MessageID(id int64, host string) string {
	return "n." + strconv.FormatInt(id, 10) + "@" + host
}

// lastError is what the outbox keeps of a failure: one line, at most 300
// characters, with the recipient's address masked however the mail server
// wrote its case.
func lastError(err error, address string) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if address != "" {
		s = regexp.MustCompile(`(?i)`+regexp.QuoteMeta(address)).ReplaceAllLiteralString(s, MaskAddress(address))
	}
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:297], "") + "..."
	}
	return s
}

// MaskAddress hides most of an address for pages and logs read by staff:
// "marta.vidal@example.org" is "m***@example.org".
func MaskAddress(a string) string {
	local, domain, ok := strings.Cut(a, "@")
	if !ok || local == "" {
		return "***"
	}
	r := []rune(local)
	return string(r[0]) + "***@" + domain
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

type noObserver struct{}

func (noObserver) NotificationSent(string, string)    {}
func (noObserver) NotificationRetried(string)         {}
func (noObserver) NotificationFailed(string)          {}
func (noObserver) NotificationSkipped(string, string) {}
