package web

import "sportello/catalogue"

// The words of a service's online transaction. Every page about it speaks
// for the service's kind (catalogue.Transactions): "Report now", "Report
// sent" and "we aim to fix it by" for a report; "Pay now" and "Payment
// received" for a fine; "Apply now", "Application sent" and "decision by"
// for a permit. Each kind has each of KindMessages, under
// "kind.<kind>.<message>" in locales/kinds.<lang>.json, written out whole
// in every language (a noun slotted into one sentence would not agree in
// Spanish or French); a test checks that none is missing.

// KindMessages are the messages every kind has, by where they are shown.
var KindMessages = []string{
	// the service page and search results: the start button
	"start",
	// the form's caption and the finders' links
	"online",
	// the form's facts: how long it takes
	"time",
	// check your answers
	"check.title", "check.send_heading", "check.declaration", "check.fee", "check.submit",
	// the confirmation
	"confirmation.title", "confirmation.review", "confirmation.due", "confirmation.no_set_time",
	"confirmation.follow", "confirmation.see", "confirmation.keep_reference",
	"confirmation.pay", "confirmation.pay_button",
	// the account's and the staff's pages
	"title", "sent_on", "due",
	"status.approved", "status.rejected", "action.approved", "action.rejected",
	"withdraw.heading", "withdraw.lead", "withdraw.submit", "withdraw.reason",
	"notice.withdrawn", "notice.responded",
	// paying
	"pay.title", "pay.received", "back",
}

// KindKey is the key of a kind's message; an empty kind (a catalogue
// without kinds) is catalogue.TransactionApply. Templates call it as
// {{t .Lang (kind .Service.Kind "start")}}.
func KindKey(kind, message string) string {
	return "kind." + catalogue.TransactionOf(kind) + "." + message
}
