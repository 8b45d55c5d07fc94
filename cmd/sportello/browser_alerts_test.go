package main

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// serviceAlertJourney: an editor posts an alert on a topic in English and
// Spanish in the browser, after a first try with its errors; a resident
// sees it on the topic's page and, in French, in English with a note; the
// editor ends it and it is gone. Every page is audited, banners included.
func serviceAlertJourney(t *testing.T, b *browser) {
	const (
		textEN = "Bin collections are a day late this week"
		textES = "Esta semana la recogida de basura va con un día de retraso"
	)
	madrid, err := time.LoadLocation("Europe/Madrid") // SPORTELLO_TIME_ZONE's default
	if err != nil {
		t.Fatal(err)
	}
	ed := b.newTab(t, "alerts")
	ed.open(t, "/editor/alerts")
	ed.signIn(t, "editor")
	ed.expectPath(t, "/editor/alerts")
	ed.expectHeading(t, "Service alerts")
	ed.audit(t, "editor alerts, none")
	ed.follow(t, "#action-new-alert")
	ed.expectPath(t, "/editor/alerts/new")
	ed.submitExpecting(t, "#action-save-alert", 422)
	ed.expectText(t, ".error-summary", "There is a problem", "Enter the text in English", "Enter when the alert ends")
	ed.shot(t, "alert-form-errors")
	ed.audit(t, "alert form with errors")

	now := time.Now().In(madrid)
	ed.run(t, "fill in the alert",
		chromedp.Click("#alert-scope-topic", chromedp.ByQuery),
		chromedp.SetValue("#alert-topic", "waste-recycling", chromedp.ByQuery),
		chromedp.Click("#alert-severity-warning", chromedp.ByQuery),
		chromedp.SendKeys("#alert-text-en", textEN, chromedp.ByQuery),
		chromedp.SendKeys("#alert-text-es", textES, chromedp.ByQuery),
		chromedp.SetValue("#alert-starts", now.Add(-time.Minute).Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.SetValue("#alert-ends", now.Add(time.Hour).Format("2006-01-02T15:04"), chromedp.ByQuery))
	ed.follow(t, "#action-save-alert")
	ed.expectText(t, "#editor-flash", "Alert saved.")
	ed.shot(t, "alert-saved")
	ed.audit(t, "alert form, saved")

	pub := b.newTab(t, "alert-public")
	pub.open(t, "/topics/waste-recycling")
	pub.expectText(t, "#service-alerts", "Important:", textEN)
	pub.shot(t, "topic-with-alert")
	pub.audit(t, "topic page with a warning")
	pub.open(t, "/services/report-missed-bin-collection?lang=fr")
	pub.expectText(t, "#service-alerts", textEN, "pas encore disponible en français")
	pub.shot(t, "service-with-alert-fr")
	pub.audit(t, "service page with an alert in another language")
	pub.open(t, "/services/report-missed-bin-collection?lang=es")
	pub.expectText(t, "#service-alerts", textES)

	ed.open(t, "/editor/alerts")
	ed.expectText(t, "#alerts-running", textEN)
	ed.shot(t, "alerts-list")
	ed.audit(t, "editor alerts, one showing")
	ed.follow(t, "#alerts-running button[type=submit]")
	ed.expectText(t, "#editor-flash", "Alert ended.")
	ed.expectText(t, "#alerts-past", textEN)
	pub.open(t, "/topics/waste-recycling?lang=en")
	if pub.has(t, "#service-alerts") {
		t.Error("the topic's page still shows the alert after it ended")
	}
}
