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

// SMTP sends notifications as email through a mail server. It keeps one
// connection open while messages follow each other (the worker sends one
// at a time), and closes it after Idle.
type SMTP struct {
	opts   SMTPOptions
	client *mail.Client

	mu   sync.Mutex
	conn *smtp.Client
	idle *time.Timer
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

// Send hands m to the mail server. A connection that went stale while
// idle is replaced once. The errors wrap ErrUnavailable when the server
// cannot be reached or refuses the sender or the credentials, and
// ErrRejected when it refuses this recipient or message for good.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.message(m)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRejected, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idle != nil {
		s.idle.Stop()
	}
	defer func() { s.idle = time.AfterFunc(s.opts.Idle, s.closeIdle) }()
	reused := s.conn != nil
	if err := s.connect(ctx); err != nil {
		return err
	}
	err = s.client.SendWithSMTPClient(s.conn, msg)
	var se *mail.SendError
	if err != nil && reused && errors.As(err, &se) && se.Reason == mail.ErrConnCheck {
		s.drop()
		if err := s.connect(ctx); err != nil {
			return err
		}
		err = s.client.SendWithSMTPClient(s.conn, msg)
	}
	if err == nil {
		return nil
	}
	s.drop()
	// The server took the message; only what followed (RSET) failed.
	if msg.IsDelivered() {
		return nil
	}
	return classify(err)
}

// connect dials the server unless a connection is open.
func (s *SMTP) connect(ctx context.Context) error {
	if s.conn != nil {
		return nil
	}
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("%w: connecting to %s:%d: %v", ErrUnavailable, s.opts.Server.Host, s.opts.Server.Port, err)
	}
	s.conn = conn
	return nil
}

// drop closes the connection, politely if it still answers.
func (s *SMTP) drop() {
	if s.conn != nil {
		if s.client.CloseWithSMTPClient(s.conn) != nil {
			s.conn.Close()
		}
		s.conn = nil
	}
}

func (s *SMTP) closeIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop()
}

// Close closes the connection, if one is open.
func (s *SMTP) Close() error {
	s.closeIdle()
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
