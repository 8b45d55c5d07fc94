package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"sportello/notify"
	"sportello/notify/smtptest"
)

// SPORTELLO_SMTP_URL: what each form means, and errors that say what to fix
// without repeating the password.
func TestParseSMTPURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want notify.SMTPConfig
		err  string
	}{
		{url: "smtp://user:pa%40ss@mail.example.org:587", want: notify.SMTPConfig{Host: "mail.example.org", Port: 587, Username: "user", Password: "pa@ss"}},
		{url: "smtp://user:pass@mail.example.org", want: notify.SMTPConfig{Host: "mail.example.org", Port: 587, Username: "user", Password: "pass"}},
		{url: "smtps://user:pass@mail.example.org:465", want: notify.SMTPConfig{Host: "mail.example.org", Port: 465, Username: "user", Password: "pass", Implicit: true}},
		{url: "smtps://mail.example.org", want: notify.SMTPConfig{Host: "mail.example.org", Port: 465, Implicit: true}},
		{url: "smtp://relay.internal:2525", want: notify.SMTPConfig{Host: "relay.internal", Port: 2525}},
		{url: "smtp://relay.internal", want: notify.SMTPConfig{Host: "relay.internal", Port: 25}},
		{url: "smtp://[::1]:25", want: notify.SMTPConfig{Host: "::1", Port: 25}},
		{url: "http://mail.example.org", err: "the scheme must be smtp:// (STARTTLS) or smtps://"},
		{url: "mail.example.org:587", err: "the scheme must be smtp://"},
		{url: "smtp://", err: "names no mail server"},
		{url: "smtp://user@mail.example.org", err: "give both a user name and a password"},
		{url: "smtp://mail.example.org:99999", err: `the port "99999" is not a number`},
		{url: "smtp://mail.example.org:587/inbox", err: "has a path or query"},
		{url: "smtp://user:secret%zzpw@mail.example.org:587", err: "percent-encode"},
		{url: "smtp://us er:secretpw@mail.example.org:587", err: "percent-encode"},
	} {
		got, err := notify.ParseSMTPURL(tc.url)
		if tc.err == "" {
			if err != nil || got != tc.want {
				t.Errorf("%s: %+v, %v; want %+v", tc.url, got, err, tc.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want one saying %q", tc.url, err, tc.err)
			continue
		}
		for _, secret := range []string{"secretpw", "secret%zzpw"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%s: the error repeats the password: %v", tc.url, err)
			}
		}
	}
}

func TestParseFrom(t *testing.T) {
	a, err := notify.ParseFrom("Council of Porta Nova <no-reply@portanova.example>")
	if err != nil || a.Name != "Council of Porta Nova" || a.Address != "no-reply@portanova.example" {
		t.Errorf("%+v, %v", a, err)
	}
	for _, bad := range []string{"", "no-reply", "Council <no-reply>", "Porta Nova, Council <a@b.example>"} {
		if _, err := notify.ParseFrom(bad); err == nil || !strings.Contains(err.Error(), "is not an address such as") {
			t.Errorf("%q: %v, want an error with an example", bad, err)
		}
	}
}

// With credentials the password crosses only an encrypted connection:
// implicit TLS (smtps://), or STARTTLS, which is then required.
func TestTLSAndAuth(t *testing.T) {
	msg := notify.Message{To: "marta@example.org", Subject: "Hola", Text: "Hola", ID: "n.1@portanova.example"}
	for _, tc := range []struct {
		name string
		opts smtptest.Options
	}{
		{"smtps with auth", smtptest.Options{TLS: smtptest.Implicit, Username: "sportello", Password: "s3cret"}},
		{"starttls with auth", smtptest.Options{TLS: smtptest.StartTLS, Username: "sportello", Password: "s3cret"}},
		{"starttls without auth", smtptest.Options{TLS: smtptest.StartTLS}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := smtptest.Start(t, tc.opts)
			if err := channelTo(t, srv).Send(context.Background(), msg); err != nil {
				t.Fatal(err)
			}
			m := srv.Messages()
			if len(m) != 1 || !m[0].TLS || m[0].User != tc.opts.Username {
				t.Fatalf("got %+v; want one message over TLS by %q", m, tc.opts.Username)
			}
		})
	}

	t.Run("credentials without STARTTLS are refused", func(t *testing.T) {
		srv := smtptest.Start(t, smtptest.Options{Username: "sportello", Password: "s3cret"})
		err := channelTo(t, srv).Send(context.Background(), msg)
		if !errors.Is(err, notify.ErrUnavailable) || !strings.Contains(err.Error(), "STARTTLS") || len(srv.Messages()) != 0 {
			t.Fatalf("%v; want the channel unavailable for want of STARTTLS", err)
		}
	})
	t.Run("a wrong password", func(t *testing.T) {
		srv := smtptest.Start(t, smtptest.Options{TLS: smtptest.StartTLS, Username: "sportello", Password: "s3cret"})
		cfg, _ := notify.ParseSMTPURL(strings.Replace(srv.URL(), "s3cret", "wrongpw", 1))
		from, _ := notify.ParseFrom("a@portanova.example")
		ch, _ := notify.NewSMTP(notify.SMTPOptions{Server: cfg, From: from, RootCAs: srv.RootCAs(), Timeout: 5 * time.Second})
		defer ch.Close()
		err := ch.Send(context.Background(), msg)
		if !errors.Is(err, notify.ErrUnavailable) || strings.Contains(err.Error(), "wrongpw") {
			t.Fatalf("%v; want the channel unavailable, without the password", err)
		}
	})
	t.Run("a certificate nobody vouches for", func(t *testing.T) {
		srv := smtptest.Start(t, smtptest.Options{TLS: smtptest.Implicit})
		cfg, _ := notify.ParseSMTPURL(srv.URL())
		from, _ := notify.ParseFrom("a@portanova.example")
		ch, _ := notify.NewSMTP(notify.SMTPOptions{Server: cfg, From: from, Timeout: 5 * time.Second})
		defer ch.Close()
		if err := ch.Send(context.Background(), msg); !errors.Is(err, notify.ErrUnavailable) || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("%v; want the certificate refused", err)
		}
	})
}
