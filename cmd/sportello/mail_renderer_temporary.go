package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"sportello/notify"
)

// newRenderer is the renderer of the notifications.
//
// TEMPORARY: it returns temporaryPlainRenderer until the mail texts
// (portal/mail, issue 12) are merged; the merge replaces this body with
// mail.New(...) and deletes temporaryPlainRenderer.
func newRenderer(cfg config) notify.Renderer {
	return temporaryPlainRenderer{baseURL: cfg.BaseURL}
}

// temporaryPlainRenderer writes a bare English message naming the kind and
// its facts, so that the outbox can be run end to end before the real
// texts exist. It never writes a secret (a confirmation token).
type temporaryPlainRenderer struct{ baseURL string }

func (r temporaryPlainRenderer) Render(_ context.Context, n notify.Notification, to notify.Recipient) (notify.Message, error) {
	var facts []string
	for k, v := range n.Data {
		if k != "token" {
			facts = append(facts, k+": "+v)
		}
	}
	slices.Sort(facts)
	subject := fmt.Sprintf("Sportello: %s %s", strings.ReplaceAll(string(n.Kind), "_", " "), n.Data["ref"])
	text := fmt.Sprintf("Hello %s,\n\n%s\n\n%s\n\nSee your account: %s/account\n", to.Name, subject, strings.Join(facts, "\n"), r.baseURL)
	return notify.Message{To: to.Address, Subject: strings.TrimSpace(subject), Text: text}, nil
}
