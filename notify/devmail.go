package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	netmail "net/mail"
	"slices"
	"strings"
	"time"

	"sportello/store"
)

// DevMailbox is the channel of a Sportello without a mail server, outside
// production: it keeps each message in the database, where the portal shows
// it at /dev-mail, on whichever instance. Nothing leaves the machine.
type DevMailbox struct {
	db   *store.DB
	from *netmail.Address
	now  func() time.Time
}

// NewDevMailbox returns the development mailbox on db; from is the From
// the messages would have had; now is the clock (nil: time.Now).
func NewDevMailbox(db *store.DB, from *netmail.Address, now func() time.Time) *DevMailbox {
	if now == nil {
		now = time.Now
	}
	return &DevMailbox{db: db, from: from, now: now}
}

// Name is "email": the mailbox stands in for it.
func (d *DevMailbox) Name() string { return "email" }

// DevMail is one message in the development mailbox.
type DevMail struct {
	ID        int64
	MessageID string
	From, To  string
	Subject   string
	// Headers are the message's headers as they would have been sent,
	// those every message has first.
	Headers    [][2]string
	Text, HTML string // HTML is "" when the message had none
	Sent       time.Time
}

// Send keeps m.
func (d *DevMailbox) Send(ctx context.Context, m Message) error {
	id := store.NewID()
	now := d.now()
	from := d.from.String()
	headers := [][2]string{
		{"From", from}, {"To", m.To}, {"Subject", m.Subject},
		{"Date", now.Format(time.RFC1123Z)}, {"Message-ID", "<" + m.ID + ">"},
		{"Auto-Submitted", "auto-generated"},
	}
	var extra [][2]string
	for k, v := range m.Headers {
		extra = append(extra, [2]string{k, v})
	}
	slices.SortFunc(extra, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	hj, err := json.Marshal(append(headers, extra...))
	if err != nil {
		return err
	}
	_, err = d.db.SQL().ExecContext(ctx, d.db.Rebind(`INSERT INTO dev_mail
		(id, message_id, mail_from, mail_to, subject, headers, text_body, html_body, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		id, m.ID, from, m.To, m.Subject, string(hj), m.Text, m.HTML, now.UnixMilli())
	if err != nil {
		// The database is the mailbox: when it fails, nothing can go.
		return fmt.Errorf("%w: keeping a message in the development mailbox: %v", ErrUnavailable, d.db.MapError(err))
	}
	return nil
}

// List returns the latest limit messages, the newest first, without their
// bodies and headers.
func (d *DevMailbox) List(ctx context.Context, limit int) ([]DevMail, error) {
	out, err := store.Query(ctx, d.db.SQL(), d.db.Rebind(`SELECT id, message_id, mail_from, mail_to, subject, sent_at
		FROM dev_mail ORDER BY sent_at DESC, id DESC LIMIT ?`), func(r store.Scanner) (DevMail, error) {
		var m DevMail
		var sent int64
		err := r.Scan(&m.ID, &m.MessageID, &m.From, &m.To, &m.Subject, &sent)
		m.Sent = time.UnixMilli(sent)
		return m, err
	}, limit)
	if err != nil {
		return nil, fmt.Errorf("notify: listing the development mailbox: %w", d.db.MapError(err))
	}
	return out, nil
}

// Get returns message id, or an error wrapping store.ErrNotFound.
func (d *DevMailbox) Get(ctx context.Context, id int64) (DevMail, error) {
	var m DevMail
	var headers string
	var sent int64
	err := d.db.SQL().QueryRowContext(ctx, d.db.Rebind(`SELECT id, message_id, mail_from, mail_to, subject, headers, text_body, html_body, sent_at
		FROM dev_mail WHERE id = ?`), id).Scan(&m.ID, &m.MessageID, &m.From, &m.To, &m.Subject, &headers, &m.Text, &m.HTML, &sent)
	if errors.Is(err, sql.ErrNoRows) {
		return DevMail{}, fmt.Errorf("notify: no message %d in the development mailbox: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return DevMail{}, fmt.Errorf("notify: reading the development mailbox: %w", d.db.MapError(err))
	}
	m.Sent = time.UnixMilli(sent)
	if err := json.Unmarshal([]byte(headers), &m.Headers); err != nil {
		return DevMail{}, fmt.Errorf("notify: message %d in the development mailbox has unreadable headers: %w", id, err)
	}
	return m, nil
}
