package portal

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/notify"
)

// The development mailbox lists what would have been sent, the newest
// first, shows one message with its headers and text, and its HTML only as
// a sandboxed document of its own; the banner links to it.
func TestDevMailbox(t *testing.T) {
	from, _ := notify.ParseFrom("Council of Porta Nova <no-reply@portanova.example>")
	// A minute apart, so that the order is certain.
	at := time.Now().Add(-time.Hour)
	box := notify.NewDevMailbox(fixture.db, from, func() time.Time { at = at.Add(time.Minute); return at })
	ctx := context.Background()
	for _, m := range []notify.Message{
		{To: "marta@example.org", Subject: "Older message", Text: "Older", ID: "n.1@portanova.example"},
		{To: "marta@example.org", Subject: "Your application PN-4KX7-9QJM was received", ID: "n.2@portanova.example",
			Text:    "Hello Marta,\n\nWe received <your> application.",
			HTML:    `<p style="color:#333">Hello Marta,</p><script>alert("boo")</script>`,
			Headers: map[string]string{"List-Unsubscribe": "<https://portanova.example/unsubscribe/t0ken>"}},
	} {
		if err := box.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	list, _ := box.List(ctx, 1)
	id := list[0].ID
	page := "/dev-mail/" + strconv.FormatInt(id, 10)

	res, b := get(t, "/dev-mail", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(b, `href="`+page+`"`) ||
		strings.Index(b, "Your application PN-4KX7-9QJM was received") > strings.Index(b, "Older message") {
		t.Fatalf("/dev-mail: %d, want the newest message first\n%s", res.StatusCode, excerpt(b))
	}
	res, b = get(t, page, nil)
	for _, want := range []string{
		"<h1>Your application PN-4KX7-9QJM was received</h1>", "Hello Marta,\n\nWe received &lt;your&gt; application.",
		`<iframe class="mail-frame" id="mail-html" src="` + page + `/html" sandbox title="HTML version of the email">`,
		"List-Unsubscribe", "&lt;https://portanova.example/unsubscribe/t0ken&gt;", "&lt;n.2@portanova.example&gt;",
		`&#34;Council of Porta Nova&#34; &lt;no-reply@portanova.example&gt;`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("%s lacks %q", page, want)
		}
	}
	if res.StatusCode != http.StatusOK || strings.Contains(b, "<script>alert") || strings.Contains(b, `style="color`) {
		t.Errorf("%s: %d; the message's HTML must not be in the page", page, res.StatusCode)
	}
	res, b = get(t, page+"/html", nil)
	if csp := res.Header.Get("Content-Security-Policy"); res.StatusCode != http.StatusOK || !strings.HasPrefix(csp, "sandbox;") ||
		!strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'self'") ||
		res.Header.Get("X-Frame-Options") != "SAMEORIGIN" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("%s/html: %d, CSP %q, X-Frame-Options %q", page, res.StatusCode, csp, res.Header.Get("X-Frame-Options"))
	}
	if !strings.Contains(b, `<p style="color:#333">`) {
		t.Errorf("%s/html does not serve the message's HTML as it is", page)
	}
	for _, path := range []string{"/dev-mail/123", "/dev-mail/abc", "/dev-mail/" + strconv.FormatInt(list[0].ID, 10) + "x/html"} {
		if res, _ := get(t, path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, res.StatusCode)
		}
	}
	// The older message has no HTML: no frame, and no HTML page.
	all, _ := box.List(ctx, 200)
	for _, m := range all {
		if m.Subject == "Older message" {
			if res, b := get(t, "/dev-mail/"+strconv.FormatInt(m.ID, 10), nil); res.StatusCode != http.StatusOK || strings.Contains(b, "<iframe") {
				t.Errorf("a message without HTML: %d, frame shown", res.StatusCode)
			}
			if res, _ := get(t, "/dev-mail/"+strconv.FormatInt(m.ID, 10)+"/html", nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("the HTML of a message without any: %d", res.StatusCode)
			}
		}
	}

	// Every page says so and links to it, in every language.
	for _, lang := range []string{"en", "es", "ca", "it", "fr"} {
		_, b := get(t, "/?lang="+lang, nil)
		if !regexp.MustCompile(`<div class="banner banner--demo" role="note"><div class="container">[^<]+ <a href="/dev-mail">[^<]+</a></div></div>`).MatchString(b) {
			t.Errorf("the home page in %s does not link the mailbox from the banner", lang)
		}
		if res, b := get(t, "/dev-mail?lang="+lang, nil); res.StatusCode != http.StatusOK || strings.Count(b, "<h1") != 1 || strings.Contains(b, "devmail.") {
			t.Errorf("/dev-mail in %s: %d or an untranslated key", lang, res.StatusCode)
		}
	}

	// With a mail server, there is no mailbox and no link.
	deps := fixture.deps
	deps.DevMail = nil
	srv, err := New(Config{BaseURL: "https://portanova.example", DemoSignIn: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, deps)
	if err != nil {
		t.Fatal(err)
	}
	if _, b := body(t, srv, "/"); strings.Contains(b, "/dev-mail") {
		t.Error("the banner links the mailbox with a mail server set up")
	}
	if status, _ := body(t, srv, "/dev-mail"); status != http.StatusNotFound {
		t.Errorf("/dev-mail with a mail server: %d, want 404", status)
	}
}
