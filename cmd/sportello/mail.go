package main

import (
	"context"
	"log/slog"
	"net/url"

	"sportello/metrics"
	"sportello/notify"
	"sportello/store"
)

// mailing is how notifications leave: the outbox, the channel they go out
// on, and the worker that sends them.
type mailing struct {
	outbox *notify.Store
	// worker makes the worker that sends, once the portal that writes the
	// messages (portal/mail, on the portal's words and formats) exists.
	worker func(notify.Renderer) (*notify.Worker, error)
	// devMail is the development mailbox, nil with a mail server.
	devMail *notify.DevMailbox
	// close closes the channel's connection, after the worker's last run.
	close func()
}

// newMailing sets up sending: through the mail server of SPORTELLO_SMTP_URL,
// or into the development mailbox when there is none (loadConfig refuses
// that in production). The outbox's state is published in the metrics.
func newMailing(cfg config, db *store.DB, m *metrics.Metrics, log *slog.Logger) (*mailing, error) {
	ml := &mailing{outbox: notify.New(db, nil), close: func() {}}
	var ch notify.Channel
	if cfg.DevMail() {
		ml.devMail = notify.NewDevMailbox(db, cfg.Mail.From, nil)
		ch = ml.devMail
		log.Warn("no mail server is set: mail is kept in the development mailbox, shown at /dev-mail, and nobody receives it")
	} else {
		smtp, err := notify.NewSMTP(notify.SMTPOptions{Server: cfg.Mail.SMTP, From: cfg.Mail.From, Timeout: cfg.Mail.Timeout})
		if err != nil {
			return nil, err
		}
		ch, ml.close = smtp, func() { smtp.Close() }
		log.Info("mail is sent through a mail server", "host", cfg.Mail.SMTP.Host, "port", cfg.Mail.SMTP.Port, "implicit_tls", cfg.Mail.SMTP.Implicit, "auth", cfg.Mail.SMTP.Username != "")
	}
	host := "localhost"
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	ml.worker = func(r notify.Renderer) (*notify.Worker, error) {
		return notify.NewWorker(notify.WorkerOptions{
			Store: ml.outbox, Renderer: r, Channel: ch, MessageHost: host,
			MaxAttempts: cfg.Mail.MaxAttempts, Observer: m, Log: log,
		})
	}
	m.WatchOutbox(func(ctx context.Context) (metrics.Outbox, error) {
		b, err := ml.outbox.Backlog(ctx)
		return metrics.Outbox{Pending: b.Pending, Oldest: b.Oldest, Failed: b.Failed}, err
	})
	return ml, nil
}
