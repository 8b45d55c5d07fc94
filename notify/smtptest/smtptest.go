// Package smtptest is a real SMTP server for tests, on a loopback TCP port:
// what it receives is recorded with its envelope, headers and decoded parts.
// It can be stopped and started again on the same port (a mail server going
// down and coming back), ask for AUTH PLAIN, and speak TLS (STARTTLS or
// implicit) with a self-signed certificate that Server.RootCAs trusts.
package smtptest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// TLSMode is how the server speaks TLS.
type TLSMode int

const (
	// NoTLS: plain text only; STARTTLS is not offered.
	NoTLS TLSMode = iota
	// StartTLS: plain text, upgraded by STARTTLS, which is offered.
	StartTLS
	// Implicit: TLS from the first byte (smtps, port 465).
	Implicit
)

// Options configure a Server.
type Options struct {
	// Username and Password, when set, make AUTH PLAIN required before
	// MAIL; it is offered only over TLS unless TLS is NoTLS.
	Username, Password string
	TLS                TLSMode
	// Refuse, when set, is asked about every recipient; an error refuses
	// it (an *smtp.SMTPError says with which code).
	Refuse func(to string) error
}

// Message is one message the server accepted.
type Message struct {
	From   string
	To     []string
	Header mail.Header
	// Text and HTML are the decoded text/plain and text/html parts.
	Text, HTML string
	Raw        []byte
	TLS        bool      // it came over TLS
	User       string    // who authenticated, "" when nobody did
	Received   time.Time // when the server accepted it
}

// Server is a running (or stopped) test SMTP server.
type Server struct {
	t    testing.TB
	opts Options
	addr string
	cert tls.Certificate
	pool *x509.CertPool

	mu       sync.Mutex
	srv      *smtp.Server
	ln       net.Listener
	messages []Message
	arrived  chan struct{} // closed and replaced at each message
}

// Start starts a server on a free loopback port, stopped when t ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{t: t, opts: opts, arrived: make(chan struct{})}
	if opts.TLS != NoTLS {
		var err error
		if s.cert, s.pool, err = selfSigned(); err != nil {
			t.Fatalf("smtptest: making a certificate: %v", err)
		}
	}
	s.listen("127.0.0.1:0")
	t.Cleanup(s.Stop)
	return s
}

// Addr is the server's "127.0.0.1:port".
func (s *Server) Addr() string { return s.addr }

// URL is the server's address as SPORTELLO_SMTP_URL: smtp:// (or smtps://
// for implicit TLS), with the credentials when the server asks for them.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr}
	if s.opts.TLS == Implicit {
		u.Scheme = "smtps"
	}
	if s.opts.Username != "" {
		u.User = url.UserPassword(s.opts.Username, s.opts.Password)
	}
	return u.String()
}

// RootCAs trusts the server's self-signed certificate; nil without TLS.
func (s *Server) RootCAs() *x509.CertPool { return s.pool }

// Stop closes the listener and every connection: the server is down.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// The listener too: Serve may not have started to use it yet.
		ln.Close()
		srv.Close()
	}
}

// Restart starts the server again on the port it had.
func (s *Server) Restart() {
	s.t.Helper()
	s.listen(s.addr)
}

func (s *Server) listen(addr string) {
	s.t.Helper()
	var ln net.Listener
	var err error
	// The port was just released: the system may hold it a moment.
	for range 50 {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("smtptest: listening on %s: %v", addr, err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "smtptest.localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.ErrorLog = discardLog{}
	srv.AllowInsecureAuth = s.opts.TLS == NoTLS
	if s.opts.TLS != NoTLS {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{s.cert}, MinVersion: tls.VersionTLS12}
	}
	if s.opts.TLS == Implicit {
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	s.mu.Lock()
	s.addr = ln.Addr().String()
	s.srv, s.ln = srv, ln
	s.mu.Unlock()
	go srv.Serve(ln)
}

// Messages returns what the server accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Wait returns the messages once there are at least n, or an error when
// ctx ends first.
func (s *Server) Wait(ctx context.Context, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		got, arrived := len(s.messages), s.arrived
		s.mu.Unlock()
		if got >= n {
			return s.Messages(), nil
		}
		select {
		case <-ctx.Done():
			return s.Messages(), fmt.Errorf("smtptest: %d messages arrived, waiting for %d: %w", got, n, ctx.Err())
		case <-arrived:
		}
	}
}

func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	sess := &session{srv: s, tls: isTLS}
	if s.opts.Username != "" {
		return &authSession{session: sess}, nil
	}
	return sess, nil
}

// session is one SMTP conversation without AUTH.
type session struct {
	srv  *Server
	tls  bool
	user string
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.srv.opts.Username != "" && x.user == "" {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if x.srv.opts.Refuse != nil {
		if err := x.srv.opts.Refuse(to); err != nil {
			return err
		}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "smtptest: " + err.Error()}
	}
	m.From, m.To, m.TLS, m.User, m.Received = x.from, append([]string(nil), x.to...), x.tls, x.user, time.Now()
	x.srv.record(m)
	return nil
}

// authSession is a session that offers AUTH PLAIN.
type authSession struct{ *session }

func (x *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *authSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != x.srv.opts.Username || password != x.srv.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		x.user = username
		return nil
	}), nil
}

// parse reads a message's headers and its text and HTML parts.
func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	m := Message{Header: msg.Header, Raw: raw}
	err = m.walk(textprotoHeader(msg.Header), msg.Body)
	return m, err
}

type partHeader interface{ Get(string) string }

type textprotoHeader mail.Header

func (h textprotoHeader) Get(k string) string { return mail.Header(h).Get(k) }

func (m *Message) walk(h partHeader, body io.Reader) error {
	ctype := h.Get("Content-Type")
	if ctype == "" {
		ctype = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.walk(p.Header, p); err != nil {
				return err
			}
		}
	}
	b, err := io.ReadAll(decode(h.Get("Content-Transfer-Encoding"), body))
	if err != nil {
		return err
	}
	switch mt {
	case "text/plain":
		m.Text = string(b)
	case "text/html":
		m.HTML = string(b)
	}
	return nil
}

func decode(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r)
	}
	return r
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool
// that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}

type discardLog struct{}

func (discardLog) Printf(string, ...any) {}
func (discardLog) Println(...any)        {}
