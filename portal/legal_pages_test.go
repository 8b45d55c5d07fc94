package portal

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The statutory pages: the accessibility statement, the privacy notice (the
// council's part and each online service's) and the cookies page, in two
// languages at least, from the demo catalogue's authority and services.
func TestStatutoryPages(t *testing.T) {
	esc := html.EscapeString
	runScenarios(t, []scenario{
		{name: "accessibility statement", path: "/accessibility?lang=en", status: http.StatusOK, contains: []string{
			"<h1>Accessibility statement</h1>",
			"This website is partially compliant with the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA",
			// The known issues, the contact and the enforcement procedure
			// are the catalogue's.
			"Save your form as a draft to keep your answers.",
			"mailto:accessibility@portanova.example",
			"article 13 of Royal Decree 1112/2018",
			"We prepared this statement on 7 December 2026.",
			"The council checked the website itself.",
		}},
		{name: "accessibility statement in Spanish", path: "/accessibility?lang=es", status: http.StatusOK, contains: []string{
			"<h1>Declaración de accesibilidad</h1>",
			"Este sitio web es parcialmente conforme",
			"Guarde su formulario como borrador",
			"artículo 13 del Real Decreto 1112/2018",
			"Preparamos esta declaración el 7 de diciembre de 2026.",
		}, excludes: []string{"partially compliant"}},
		{name: "privacy notice", path: "/privacy?lang=en", status: http.StatusOK, contains: []string{
			"<h1>Privacy notice</h1>",
			"mailto:dpo@portanova.example",
			`<a href="https://www.aepd.es">Spanish Data Protection Agency (AEPD)</a>`,
			esc("for as long as public accounting and tax law requires"),
			"A form you save as a draft is deleted 30 days after you last save it.",
			`<a href="/privacy/report-missed-bin-collection">Report a missed bin collection</a>: kept for 2 years after it is closed`,
			`<a href="/privacy/resident-parking-permit">`,
			`<a href="/cookies">Cookies</a>`,
		}, excludes: []string{"/privacy/find-your-collection-day"}},
		{name: "privacy notice in Italian", path: "/privacy?lang=it", status: http.StatusOK, contains: []string{
			"<h1>Informativa sulla privacy</h1>",
			"Agenzia spagnola per la protezione dei dati (AEPD)",
			"Segnalare un bidone non svuotato</a>: conservato per 2 anni dopo la chiusura",
		}},
		{name: "a service's data, purpose, basis and retention", path: "/privacy/report-missed-bin-collection?lang=en", status: http.StatusOK, contains: []string{
			"<h1>Report a missed bin collection: your personal information</h1>",
			"<li>Address of the missed collection</li>",
			"<li>Photo of the bin or of any tag left on it (a file you send)</li>",
			"To look into the problem you report, put it right",
			"A task we carry out in the public interest or with our official powers (GDPR article 6(1)(e))",
			"Municipal Waste and Street Cleaning Ordinance 2019, article 12",
			"2 years after it is closed (decided or withdrawn)",
			"Nobody outside the council, unless a law or a court requires us to.",
		}, excludes: []string{"Your name and email address, from your sign-in", "Payments</dt>"}},
		{name: "a service's data in French", path: "/privacy/report-abandoned-vehicle?lang=fr", status: http.StatusOK, contains: []string{
			"<li>Marque, modèle et couleur</li>",
			"La police municipale, lorsque ce que vous signalez demande son intervention.",
			"2 ans après la clôture de la demande",
			"article 6, paragraphe 1, point e, du RGPD",
		}},
		{name: "a paid service needing sign-in says what else it keeps", path: "/privacy/resident-parking-permit?lang=en", status: http.StatusOK, contains: []string{
			"Your name and email address, from your sign-in",
			"6 years after it is closed",
			"Payments</dt>",
		}},
		{name: "a service not yet translated is shown in English, marked", path: "/privacy/order-a-new-bin?lang=es", status: http.StatusOK, contains: []string{
			`<html lang="es">`, `lang="en"`, "Qué datos recogemos",
		}},
		{name: "a service without a form has no notice", path: "/privacy/find-your-collection-day", status: http.StatusNotFound},
		{name: "no such service", path: "/privacy/no-such-service", status: http.StatusNotFound},
		{name: "cookies", path: "/cookies?lang=en", status: http.StatusOK, contains: []string{
			"<h1>Cookies</h1>",
			// The fixture's site is https: the cookies are __Host- prefixed.
			"<code>__Host-sportello_session</code>", "<code>__Host-sportello_csrf</code>", "<code>lang</code>",
			"after 30 minutes without activity, and 12 hours after you signed in",
			"1 year after you choose the language.",
			"so we do not show a cookie banner",
		}},
		{name: "cookies in Catalan", path: "/cookies?lang=ca", status: http.StatusOK, contains: []string{
			"<h1>Galetes</h1>", "<code>__Host-sportello_session</code>", "després de 30 minuts sense activitat",
			"no mostrem cap avís de galetes",
		}},
		{name: "the form links to its notice", path: "/services/report-missed-bin-collection/apply?lang=en", status: http.StatusOK, contains: []string{
			`<a href="/privacy/report-missed-bin-collection">How we use your personal information</a>`,
		}},
		{name: "the service page links to its notice", path: "/services/report-missed-bin-collection?lang=en", status: http.StatusOK, contains: []string{
			`<a href="/privacy/report-missed-bin-collection">How we use your personal information</a>`,
		}},
	})
}

// Every page, found or not, links to the three pages from its footer, beside
// the council's own address.
func TestStatutoryLinksInEveryFooter(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		for _, path := range []string{"/", "/search?q=bin", "/services/resident-parking-permit", "/topics",
			"/journeys/having-a-baby", "/business", "/support-finder", "/accessibility", "/privacy",
			"/privacy/report-missed-bin-collection", "/cookies", "/nope"} {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			_, body := get(t, path+sep+"lang="+lang, nil)
			footer := body[strings.LastIndex(body, `<footer`)+1:]
			for _, href := range []string{`href="/accessibility"`, `href="/privacy"`, `href="/cookies"`, `href="mailto:hello@portanova.example"`} {
				if !strings.Contains(footer, href) {
					t.Errorf("%s in %s: the footer has no %s", path, lang, href)
				}
			}
		}
	}
}

// The cookies page names every cookie the site sets: a visitor choosing a
// language, opening a form without signing in, and signing in.
func TestCookiesPageNamesEveryCookie(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	b.get("/?lang=es")
	b.get("/services/report-missed-bin-collection/apply")
	b.signIn("resident", "/account")
	page := b.get("/cookies?lang=en").body
	u, _ := url.Parse(site.base)
	seen := map[string]bool{}
	for _, path := range []string{"/", "/dev-idp/", "/account"} {
		for _, c := range b.client.Jar.Cookies(u.JoinPath(path)) {
			seen[c.Name] = true
		}
	}
	if len(seen) < 3 {
		t.Fatalf("the site set only %v; the test expects the session, CSRF and language cookies", seen)
	}
	for name := range seen {
		if !strings.Contains(page, "<code>"+name+"</code>") {
			t.Errorf("the site sets the cookie %s, which the cookies page does not list", name)
		}
	}
}
