package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// SMTPConfig is where and how mail is handed over: SPORTELLO_SMTP_URL
// parsed by ParseSMTPURL.
type SMTPConfig struct {
	Host string
	Port int
	// Username and Password authenticate (AUTH), and then the connection
	// must be encrypted: STARTTLS is required on smtp://, lest the
	// password cross the network in clear. Without them, smtp:// uses
	// STARTTLS when the server offers it.
	Username, Password string
	// Implicit is smtps://: TLS from the first byte (port 465).
	Implicit bool
}

// ParseSMTPURL reads SPORTELLO_SMTP_URL: smtp://user:pass@host:587
// (STARTTLS required), smtps://user:pass@host:465 (implicit TLS) or
// smtp://host:25 (no authentication; STARTTLS when offered). Its errors say
// what to fix and never repeat the password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	const example = "such as smtp://user:password@mail.example.org:587, smtps://user:password@mail.example.org:465 or smtp://relay.internal:25"
	u, err := url.Parse(raw)
	if err != nil {
		// url's own error quotes the whole URL, password and all.
		return SMTPConfig{}, fmt.Errorf("it is not a URL %s (percent-encode any @ : / ? # in the user name or password, e.g. @ as %%40)", example)
	}
	var c SMTPConfig
	switch u.Scheme {
	case "smtp":
	case "smtps":
		c.Implicit = true
	default:
		return SMTPConfig{}, fmt.Errorf("the scheme must be smtp:// (STARTTLS) or smtps:// (implicit TLS), not %q: a URL %s", u.Scheme, example)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return SMTPConfig{}, fmt.Errorf("it names no mail server: a URL %s", example)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return SMTPConfig{}, fmt.Errorf("it has a path or query, which mean nothing here: a URL %s", example)
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" || c.Password == "" {
			return SMTPConfig{}, errors.New("give both a user name and a password (smtp://user:password@host:587), or neither")
		}
	}
	switch p := u.Port(); {
	case p != "":
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf("the port %q is not a number from 1 to 65535", p)
		}
		c.Port = n
	case c.Implicit:
		c.Port = 465
	case c.Username != "":
		c.Port = 587
	default:
		c.Port = 25
	}
	return c, nil
}

// ParseFrom reads SPORTELLO_MAIL_FROM, a name and an address.
func ParseFrom(s string) (*netmail.Address, error) {
	a, err := netmail.ParseAddress(s)
	if err != nil || !strings.Contains(a.Address, "@") {
		return nil, fmt.Errorf("%q is not an address such as \"Council of Porta Nova <no-reply@portanova.example>\" (quote a name that holds a comma or a dot)", s)
	}
	return a, nil
}

// SMTPOptions configure the SMTP channel.
type SMTPOptions struct {
	Server SMTPConfig
	From   *netmail.Address
	// Timeout bounds connecting and each exchange with the server.
	// Default 30 s.
	Timeout time.Duration
	// RootCAs, when set, are the only authorities trusted for the
	// server's certificate (tests); nil: the system's.
	RootCAs *x509.CertPool
	// Idle is how long an unused connection is kept open for the next
	// message. Default 30 s.
	Idle time.Duration
}

// SMTP sends notifications as email through a mail server. It keeps the
// connections it opened for the next messages (one per message being sent
// at the same moment), and closes those unused for Idle.
type SMTP struct {
	opts   SMTPOptions
	client *mail.Client

	mu    sync.Mutex
	pool  []*smtp.Client // open and unused
	sweep *time.Timer    // closes the pool after Idle without use
}

// NewSMTP returns the SMTP channel. It does not connect yet.
func NewSMTP(o SMTPOptions) (*SMTP, error) {
	if o.From == nil || o.Server.Host == "" {
		return nil, errors.New("notify: the SMTP channel needs a server and a From address")
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Idle <= 0 {
		o.Idle = 30 * time.Second
	}
	tc := &tls.Config{ServerName: o.Server.Host, RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12}
	opts := []mail.Option{
		mail.WithPort(o.Server.Port),
		mail.WithTimeout(o.Timeout),
		mail.WithTLSConfig(tc),
		mail.WithTLSPolicy(mail.TLSOpportunistic),
	}
	switch {
	case o.Server.Implicit:
		opts = append(opts, mail.WithSSL())
	case o.Server.Username != "":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if o.Server.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(o.Server.Username), mail.WithPassword(o.Server.Password))
	}
	c, err := mail.NewClient(o.Server.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("notify: the SMTP client: %w", err)
	}
	return &SMTP{opts: o, client: c}, nil
}

// Name is "email".
func (s *SMTP) Name() string { return "email" }

// Send hands m to the mail server. A kept connection that went stale is
// replaced once. The errors wrap ErrUnavailable when the server cannot be
// reached or refuses the sender or the credentials, and ErrRejected when
// it refuses this recipient or message for good. Send may be called from
// several goroutines: each uses a connection of its own.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.message(m)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRejected, err)
	}
	conn, reused, err := s.take(ctx)
	if err != nil {
		return err
	}
	err = s.client.SendWithSMTPClient(conn, msg)
	var se *mail.SendError
	if err != nil && reused && errors.As(err, &se) && se.Reason == mail.ErrConnCheck {
		s.close(conn)
		if conn, err = s.dial(ctx); err != nil {
			return err
		}
		err = s.client.SendWithSMTPClient(conn, msg)
	}
	if err == nil {
		s.put(conn)
		return nil
	}
	s.close(conn)
	// The server took the message; only what followed (RSET) failed.
	if msg.IsDelivered() {
		return nil
	}
	return classify(err)
}

// take returns a kept connection, or a new one.
func (s *SMTP) take(ctx context.Context) (conn *smtp.Client, reused bool, err error) {
	s.mu.Lock()
	if n := len(s.pool); n > 0 {
		conn, s.pool = s.pool[n-1], s.pool[:n-1]
	}
	s.mu.Unlock()
	if conn != nil {
		return conn, true, nil
	}
	conn, err = s.dial(ctx)
	return conn, false, err
}

func (s *SMTP) dial(ctx context.Context) (*smtp.Client, error) {
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: connecting to %s:%d: %v", ErrUnavailable, s.opts.Server.Host, s.opts.Server.Port, err)
	}
	return conn, nil
}

// put keeps conn for the next message.
func (s *SMTP) put(conn *smtp.Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pool = append(s.pool, conn)
	if s.sweep != nil {
		s.sweep.Stop()
	}
	s.sweep = time.AfterFunc(s.opts.Idle, func() { s.Close() })
}

// close closes conn, politely if it still answers.
func (s *SMTP) close(conn *smtp.Client) {
	if s.client.CloseWithSMTPClient(conn) != nil {
		conn.Close()
	}
}

// Close closes the kept connections.
func (s *SMTP) Close() error {
	s.mu.Lock()
	pool := s.pool
	s.pool = nil
	s.mu.Unlock()
	for _, c := range pool {
		s.close(c)
	}
	return nil
}

// classify wraps a failed send in ErrUnavailable or ErrRejected when the
// server's answer says so; a temporary refusal (4xx) stays a plain error,
// to be tried again.
func classify(err error) error {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return err
	}
	permanent := se.ErrorCode() >= 500
	switch {
	case se.Reason == mail.ErrConnCheck,
		se.Reason == mail.ErrSMTPMailFrom && permanent:
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	case permanent && (se.Reason == mail.ErrSMTPRcptTo || se.Reason == mail.ErrSMTPData || se.Reason == mail.ErrSMTPDataClose):
		return fmt.Errorf("%w: %v", ErrRejected, err)
	}
	return err
}

// message builds the email: plain text, with the HTML as its alternative
// when there is one.
func (s *SMTP) message(m Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.FromFormat(s.opts.From.Name, s.opts.From.Address); err != nil {
		return nil, err
	}
	if err := msg.To(m.To); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	if m.ID != "" {
		msg.SetMessageIDWithValue(m.ID)
	}
	msg.SetUserAgent("Sportello")
	// RFC 3834: no out-of-office replies to the council's robot.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	for k, v := range m.Headers {
		msg.SetGenHeader(mail.Header(k), v)
	}
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
