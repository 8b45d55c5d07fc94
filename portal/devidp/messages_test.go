package devidp

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Every language has every message English has, none empty, and no key
// English lacks; every persona and level has its words.
func TestMessages(t *testing.T) {
	en := messages["en"]
	for _, p := range personas {
		if en["persona."+p.Key] == "" {
			t.Errorf("no description for persona %s", p.Key)
		}
	}
	for _, l := range levels {
		if en["level."+l] == "" {
			t.Errorf("no name for level %s", l)
		}
	}
	for _, tag := range pageLanguages {
		lang := tag.String()
		m := messages[lang]
		for k := range en {
			if strings.TrimSpace(m[k]) == "" {
				t.Errorf("locales/%s.json lacks %s", lang, k)
			}
		}
		for k := range m {
			if _, ok := en[k]; !ok {
				t.Errorf("locales/%s.json has %s, which English lacks", lang, k)
			}
		}
	}
}

func get(t *testing.T, client *http.Client, u, acceptLanguage string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptLanguage != "" {
		req.Header.Set("Accept-Language", acceptLanguage)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// The sign-in page speaks the language the relying party asks for with
// ui_locales, as Sportello does from the page the resident was on; other
// pages follow the browser; a refusal after the form keeps the form's
// language.
func TestPagesInTheResidentsLanguage(t *testing.T) {
	idp, base := testIDP(t)
	q := url.Values{
		"client_id": {ClientID}, "redirect_uri": {"http://rp.example/auth/callback"}, "response_type": {"code"},
		"scope": {"openid"}, "state": {"s"}, "nonce": {"n"}, "acr_values": {"high"}, "ui_locales": {"ca"},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCQaoeYZ6XmNoQ1uQKtdk_BM"}, "code_challenge_method": {"S256"},
	}
	client := noRedirects()
	resp, err := client.Get(idp.Issuer() + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	login, err := resp.Location()
	if err != nil {
		t.Fatalf("authorize answered %d without a redirect", resp.StatusCode)
	}
	// The browser prefers English, but the resident was on a Catalan page.
	status, body := get(t, client, login.String(), "en")
	for _, want := range []string{`<html lang="ca">`, "Entrar a Sportello com a persona de demostració",
		"El servei demana el nivell de seguretat <strong>alt</strong>.", "Veïna de Porta Nova",
		`<input type="hidden" name="lang" value="ca">`, "nivell habitual: substancial", "<code>caseworkers</code>"} {
		if status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("sign-in page %d lacks %q:\n%s", status, want, body)
		}
	}
	if strings.Contains(body, "Sign in to Sportello") || strings.Contains(body, "Resident of") {
		t.Errorf("the Catalan sign-in page has English on it:\n%s", body)
	}

	form := url.Values{"authRequestID": {login.Query().Get("authRequestID")}, "persona": {"nobody"}, "lang": {"ca"}}
	resp, err = client.PostForm(base+"/dev-idp/login", form)
	if err != nil {
		t.Fatal(err)
	}
	refused, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(refused), "Triï una de les persones de demostració.") {
		t.Errorf("refusal %d:\n%s", resp.StatusCode, refused)
	}

	tests := []struct{ path, accept, want string }{
		{"/dev-idp/signed-out", "it-IT,it;q=0.9,en;q=0.5", "Ha chiuso la sessione"},
		{"/dev-idp/signed-out", "fr", "Vous êtes déconnecté"},
		{"/dev-idp/", "es-ES", "No hay nadie con la sesión iniciada."},
		{"/dev-idp/?ended=ok&lang=fr", "", "La session a été fermée"},
		{"/dev-idp/signed-out", "de", "You are signed out"},
	}
	for _, tt := range tests {
		if status, body := get(t, client, base+tt.path, tt.accept); status != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("%s (Accept-Language %q): %d, want %q:\n%s", tt.path, tt.accept, status, tt.want, body)
		}
	}
}
