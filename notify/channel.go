package notify

import (
	"context"
	"errors"
	"time"
)

// Notification is one row of the outbox, as the worker hands it to a
// Renderer.
type Notification struct {
	ID        int64
	Kind      Kind
	Key       string
	PersonID  int64
	Data      map[string]string
	CreatedAt time.Time
}

// Recipient is who a notification goes to, as their settings say at the
// time it is sent.
type Recipient struct {
	PersonID int64 // 0 for someone not signed in
	Name     string
	Address  string // email address
	Lang     string // one of catalogue.Languages
}

// Message is a notification ready for a channel. An email uses every field;
// a text message would use To and Text.
type Message struct {
	To      string
	Subject string
	Text    string // plain text
	HTML    string // may be empty
	// Headers are extra headers, such as List-Unsubscribe and
	// List-Unsubscribe-Post (RFC 8058) on the kinds a person may turn off.
	Headers map[string]string
	// ID is unique to the notification and the same at every try, so a
	// receiver can tell a message sent twice (a crash between sending and
	// recording it) from two messages: the email's Message-ID.
	ID string
}

// Renderer writes a notification for its recipient, in their language.
type Renderer interface {
	Render(ctx context.Context, n Notification, to Recipient) (Message, error)
}

// ErrObsolete is what a Renderer returns when a notification no longer has
// anything to say (the application was deleted, the answers behind a
// support alert were): it is skipped, not retried.
var ErrObsolete = errors.New("notify: nothing left to tell")

// Channel delivers messages. Send must be safe to call again with the same
// Message after an error.
type Channel interface {
	// Name is recorded with each notification sent: "email".
	Name() string
	Send(ctx context.Context, m Message) error
}

// RendererFunc lets a plain function be a Renderer.
type RendererFunc func(ctx context.Context, n Notification, to Recipient) (Message, error)

// Render calls f.
func (f RendererFunc) Render(ctx context.Context, n Notification, to Recipient) (Message, error) {
	return f(ctx, n, to)
}

// The errors a Channel wraps to tell the worker more than "try again later".
var (
	// ErrUnavailable: the channel can deliver nothing at the moment (its
	// server does not answer, refuses the credentials): the worker counts
	// the try of the message at hand and leaves the others for its next
	// pass, rather than trying each in turn against a server that is down.
	ErrUnavailable = errors.New("notify: the channel is unavailable")
	// ErrRejected: the receiver refused this message for good (an address
	// that does not exist): the notification fails at once, without the
	// tries left.
	ErrRejected = errors.New("notify: the message was refused")
)
