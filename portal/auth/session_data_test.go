package auth

import (
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sportello/accounts"

	"github.com/gofiber/fiber/v2"
)

// sessionDataRP serves the sign-in routes plus two pages that read and
// write a session value, on a loopback port.
func sessionDataRP(t *testing.T, dialect string) (base string, db func() []string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base = "http://" + ln.Addr().String()
	store := testDB(t, dialect)
	// No sign-in happens here, so the issuer is never contacted.
	a, err := New(Config{Issuer: base + "/no-idp", ClientID: "sportello", BaseURL: base}, accounts.New(store, nil), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	app := newTestApp(t, a, nil)
	app.Get("/value", func(c *fiber.Ctx) error {
		v, err := a.SessionValue(c, c.Query("key", "test.answers"))
		if err != nil {
			return c.Status(fiber.StatusBadRequest).SendString(err.Error())
		}
		return c.SendString("value=" + v)
	})
	app.Post("/value", func(c *fiber.Ctx) error {
		if err := a.SetSessionValue(c, c.FormValue("key"), c.FormValue("value")); err != nil {
			return c.Status(fiber.StatusBadRequest).SendString(err.Error())
		}
		return c.SendString("saved")
	})
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	// rows returns every session row's data, decoded.
	return base, func() []string {
		rows, err := store.SQL().Query(`SELECT data FROM auth_sessions`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var data string
			if err := rows.Scan(&data); err != nil {
				t.Fatal(err)
			}
			raw, err := base64.StdEncoding.DecodeString(data)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(raw))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
}

func TestSessionValues(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			base, rows := sessionDataRP(t, dialect)
			b := newBrowser(t, base)

			if p := b.get("/value"); p.body != "value=" {
				t.Fatalf("a browser without a session reads %q, want nothing", p.body)
			}
			if n := len(rows()); n != 0 {
				t.Fatalf("reading a value created %d session rows; reading must not create a session", n)
			}
			token := csrfFrom(t, b.get("/form").body)

			tests := []struct {
				name, key, value string
				status           int
				read             string
			}{
				{"set", "test.answers", `{"age":70}`, http.StatusOK, `value={"age":70}`},
				{"replace", "test.answers", `{"age":71}`, http.StatusOK, `value={"age":71}`},
				{"remove with an empty value", "test.answers", "", http.StatusOK, "value="},
				{"sign-in's keys are refused", "auth.pending", "[]", http.StatusBadRequest, ""},
				{"an empty key is refused", "", "x", http.StatusBadRequest, ""},
			}
			for _, tt := range tests {
				p := b.post("/value", url.Values{"_csrf": {token}, "key": {tt.key}, "value": {tt.value}})
				if p.status != tt.status {
					t.Errorf("%s: status %d, want %d: %s", tt.name, p.status, tt.status, p.body)
				}
				if tt.read == "" {
					continue
				}
				if got := b.get("/value?key=" + url.QueryEscape(tt.key)).body; got != tt.read {
					t.Errorf("%s: read %q, want %q", tt.name, got, tt.read)
				}
			}
			if p := b.get("/value?key=auth.csrf"); p.status != http.StatusBadRequest {
				t.Errorf("reading sign-in's CSRF token: status %d, want 400", p.status)
			}

			// The value is in the session row, and goes with it at sign-out.
			b.post("/value", url.Values{"_csrf": {token}, "key": {"test.answers"}, "value": {`{"marker":"xyzzy"}`}})
			if all := rows(); len(all) != 1 || !strings.Contains(all[0], "xyzzy") {
				t.Fatalf("the session row should hold the value: %q", all)
			}
			b.post(PathLogout, url.Values{"_csrf": {token}})
			for _, data := range rows() {
				if strings.Contains(data, "xyzzy") {
					t.Errorf("after sign-out a session row still holds the value: %q", data)
				}
			}
			if got := b.get("/value").body; got != "value=" {
				t.Errorf("after sign-out the value reads %q, want nothing", got)
			}
		})
	}
}

// TestBogusCallbackKeepsVisitorData: any site can link to the callback with
// a made-up state. That is refused, but what an anonymous visitor keeps in
// their session survives it.
func TestBogusCallbackKeepsVisitorData(t *testing.T) {
	base, _ := sessionDataRP(t, "sqlite")
	b := newBrowser(t, base)
	token := csrfFrom(t, b.get("/form").body)
	if p := b.post("/value", url.Values{"_csrf": {token}, "key": {"test.answers"}, "value": {`{"age":70}`}}); p.status != http.StatusOK {
		t.Fatalf("setting a value: %d %s", p.status, p.body)
	}
	p := b.get(PathCallback + "?state=bogus&code=x")
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, "This sign-in has expired") {
		t.Fatalf("a bogus callback: %d, want 400 with the expired sign-in page:\n%.1500s", p.status, p.body)
	}
	if got := b.get("/value").body; got != `value={"age":70}` {
		t.Errorf("after a bogus callback the visitor's value reads %q", got)
	}
	if p := b.post("/form", url.Values{"_csrf": {token}}); p.status != http.StatusOK {
		t.Errorf("after a bogus callback the visitor's form is refused: %d %s", p.status, p.body)
	}
}
