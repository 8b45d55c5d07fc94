package portal

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"sportello/catalogue"
	"sportello/notify"
	"sportello/store"
)

// newPerson records someone as sign-in would, and returns their id.
func newPerson(t *testing.T, db *store.DB) int64 {
	t.Helper()
	var b [8]byte
	rand.Read(b[:])
	id := int64(binary.BigEndian.Uint64(b[:])>>11) | 1
	_, err := db.SQL().Exec(db.Rebind(`INSERT INTO people
		(id, issuer, subject, name, email, email_verified, roles, created_at, signed_in_at)
		VALUES (?, 'https://id.example', ?, 'Maria', 'maria@example.org', TRUE, '', 1, 1)`), id, rand.Text())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// The links at the foot of the mails (RFC 8058): the page says what stops
// and asks to confirm; its button, or a mail client's one-click POST
// without cookies, turns that one kind off, once however often it comes;
// a link that is not one of ours is a 404 in the link's language.
func TestUnsubscribe(t *testing.T) {
	site := startLiveSite(t)
	ctx := context.Background()
	st := notify.New(site.db, nil)
	id := newPerson(t, site.db)
	link := func(kind notify.Kind, lang string) string {
		tok, err := st.UnsubscribeToken(ctx, id, kind)
		if err != nil {
			t.Fatal(err)
		}
		return "/unsubscribe/" + tok + "?lang=" + lang
	}
	off := func() []notify.Kind {
		s, err := st.Settings(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return s.Off
	}

	t.Run("the page, then its button", func(t *testing.T) {
		b := site.browser(t, followRedirects)
		page := b.get(link(notify.StatusChanged, "es"))
		must(t, page, http.StatusOK, "¿Dejar de recibir correos sobre cambios de estado?",
			"No le escribiremos cuando una de sus solicitudes pase a otra fase.", `<html lang="es"`, `id="unsubscribe-submit"`)
		if page.header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(page.header.Get("Cache-Control"), "no-store") {
			t.Errorf("headers: %v", page.header)
		}
		if slices.Contains(off(), notify.StatusChanged) {
			t.Fatal("following the link turned the mails off: a mail scanner would")
		}
		done := b.postForm(page, link(notify.StatusChanged, "es"), nil)
		must(t, done, http.StatusOK, "Ya no recibirá correos sobre cambios de estado", `href="/account/notifications"`)
		if !slices.Contains(off(), notify.StatusChanged) {
			t.Error("the button did not turn the mails off")
		}
	})

	t.Run("in every language", func(t *testing.T) {
		b := site.browser(t, followRedirects)
		for _, lang := range catalogue.Languages {
			for _, kind := range notify.Kinds {
				if !kind.Optional() {
					continue
				}
				r := b.get(link(kind, lang))
				must(t, r, http.StatusOK, `<html lang="`+lang+`">`, html.EscapeString(site.srv.Site.Translator.T(lang, "unsubscribe.what."+string(kind))))
				if n := strings.Count(r.body, "<h1"); n != 1 || strings.Contains(r.body, ">unsubscribe.") {
					t.Errorf("%s in %s: %d h1, or a raw key", kind, lang, n)
				}
			}
		}
	})

	t.Run("one click from a mail client, without cookie or CSRF token", func(t *testing.T) {
		for range 2 {
			res, err := http.Post(site.base+link(notify.FormExpiring, "fr"), "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("one-click: status %d", res.StatusCode)
			}
		}
		// Some clients send it as multipart/form-data (RFC 8058 §3.1).
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("List-Unsubscribe", "One-Click")
		w.Close()
		res, err := http.Post(site.base+link(notify.RenewalDue, "it"), w.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("one-click in multipart: status %d", res.StatusCode)
		}
		want := []notify.Kind{notify.FormExpiring, notify.RenewalDue, notify.StatusChanged}
		if got := off(); !slices.Equal(got, want) {
			t.Errorf("off = %v, want %v (each once, the rest untouched)", got, want)
		}
	})

	t.Run("a form without its CSRF token is refused", func(t *testing.T) {
		b := site.browser(t, followRedirects)
		r := b.post(link(notify.SupportAlert, "en"), url.Values{"List-Unsubscribe": {"Not-One-Click"}})
		must(t, r, http.StatusForbidden)
		if slices.Contains(off(), notify.SupportAlert) {
			t.Error("turned off without a CSRF token or the one-click body")
		}
	})

	t.Run("a link that is not ours", func(t *testing.T) {
		good := link(notify.SupportAlert, "fr")
		tok := strings.TrimPrefix(strings.TrimSuffix(good, "?lang=fr"), "/unsubscribe/")
		forged := []byte(tok)
		forged[3] ^= 0x01
		b := site.browser(t, followRedirects)
		for _, path := range []string{"/unsubscribe/nonsense?lang=fr", "/unsubscribe/" + string(forged) + "?lang=fr"} {
			must(t, b.get(path), http.StatusNotFound, "Ce lien de désinscription ne fonctionne pas.")
			res, err := http.Post(site.base+path, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("one-click with %s: status %d", path, res.StatusCode)
			}
		}
		if slices.Contains(off(), notify.SupportAlert) {
			t.Error("a forged link turned mails off")
		}
		// The log never shows a token.
		if got := site.srv.logPath("/unsubscribe/" + tok); got != "/unsubscribe/***" {
			t.Errorf("logged as %q", got)
		}
	})

	t.Run("the account is gone", func(t *testing.T) {
		gone, err := st.UnsubscribeToken(ctx, 12345, notify.StatusChanged)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.Post(site.base+"/unsubscribe/"+gone, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("status %d, want 404", res.StatusCode)
		}
	})
}
