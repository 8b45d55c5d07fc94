package portal

import (
	"io"
	"io/fs"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
	"sportello/templates"
)

var templateKey = regexp.MustCompile(`\{\{-?\s*t \$?\.?[A-Za-z.]* "([^"]+)"`)

// Every message a template asks for by name exists in English, so no page
// shows a raw key.
func TestTemplateMessagesExist(t *testing.T) {
	tr := fixture.srv.Site.Translator
	err := fs.WalkDir(templates.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".html") {
			return err
		}
		buf, err := fs.ReadFile(templates.FS, name)
		if err != nil {
			return err
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(buf), -1) {
			if !tr.Has(m[1]) {
				t.Errorf("%s uses message %q, which public.en.json (or another English file) lacks", name, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Pages render in every language with one h1, the lang attribute and no
// untranslated key.
func TestEveryPageInEveryLanguage(t *testing.T) {
	paths := []string{
		"/", "/search", "/search?q=bin", "/search?q=zzqqxx", "/services/resident-parking-permit",
		"/services/find-your-collection-day", "/topics", "/topics/housing", "/life-events",
		"/life-events/having-a-baby", "/journeys", "/journeys/having-a-baby", "/business", "/nope",
		"/accessibility", "/privacy", "/privacy/report-missed-bin-collection", "/cookies",
	}
	rawKey := regexp.MustCompile(`>\s*(layout|nav|home|search|service|topic|topics|life_event|life_events|journey|journeys|business|error|list|audience|legal)\.[a-z_.0-9]+\s*<`)
	for _, lang := range []string{"en", "es", "ca", "it", "fr"} {
		for _, p := range paths {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			res, body := get(t, p+sep+"lang="+lang, nil)
			if res.StatusCode >= 500 {
				t.Errorf("%s in %s: status %d", p, lang, res.StatusCode)
			}
			if n := strings.Count(body, "<h1"); n != 1 {
				t.Errorf("%s in %s: %d h1 elements, want 1", p, lang, n)
			}
			if !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s in %s: no lang attribute", p, lang)
			}
			if m := rawKey.FindString(body); m != "" {
				t.Errorf("%s in %s: untranslated key %s", p, lang, m)
			}
			if strings.Contains(body, "ZgotmplZ") {
				t.Errorf("%s in %s: html/template rejected a value (ZgotmplZ)", p, lang)
			}
		}
	}
}

// The layout shows who is signed in, a sign-out form with the CSRF token,
// and the demo sign-in banner when the demo identity provider is on.
func TestLayoutSignedInAndDemo(t *testing.T) {
	srv, err := New(Config{BaseURL: "https://portanova.example", DemoSignIn: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		fixture.deps)
	if err != nil {
		t.Fatal(err)
	}
	srv.App().Get("/test-signed-in", func(c *fiber.Ctx) error {
		c.Locals(web.LocalViewer, &web.Viewer{PersonID: 7, Name: "Anna <Rossi>", Roles: []string{web.RoleEditor}})
		c.Locals(web.LocalCSRF, "token-123")
		return srv.public.HomeShow(c)
	})
	_, b := body(t, srv, "/test-signed-in")
	for _, want := range []string{
		"Demo sign-in is active", `<span class="header__name">Anna &lt;Rossi&gt;</span>`, `<a href="/account">Your account</a>`,
		`<form class="header__logout" method="post" action="/auth/logout">`, `<input type="hidden" name="_csrf" value="token-123">`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("signed-in layout lacks %s", want)
		}
	}
	if strings.Contains(b, "/auth/login") {
		t.Error("signed-in layout still offers to sign in")
	}
}
