package auth

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"sportello/portal/web"
)

func TestRolesFromClaims(t *testing.T) {
	keycloak := Config{RolesClaim: "realm_access.roles"}.withDefaults()
	auth0 := Config{RolesClaim: "https://porta-nova.example/roles"}.withDefaults()
	renamed := Config{RoleEditor: "sportello-editors", RoleAdmin: "it-admins"}.withDefaults()
	def := Config{}.withDefaults()
	tests := []struct {
		name   string
		cfg    Config
		claims map[string]any
		want   []string
	}{
		{"groups list", def, map[string]any{"groups": []any{"staff", "editors", "caseworkers"}}, []string{web.RoleEditor, web.RoleCaseworker}},
		{"groups single string", def, map[string]any{"groups": "admins"}, []string{web.RoleAdmin}},
		{"Keycloak group paths", def, map[string]any{"groups": []any{"/editors", "/admins"}}, []string{web.RoleEditor, web.RoleAdmin}},
		{"no groups claim", def, map[string]any{"name": "Ada"}, nil},
		{"empty groups", def, map[string]any{"groups": []any{}}, nil},
		{"non-string entries ignored", def, map[string]any{"groups": []any{42, map[string]any{}, "caseworkers"}}, []string{web.RoleCaseworker}},
		{"a similar name is not the group", def, map[string]any{"groups": []any{"editors-old", "Editors"}}, nil},
		{"realm_access.roles", keycloak, map[string]any{"realm_access": map[string]any{"roles": []any{"offline_access", "caseworkers"}}}, []string{web.RoleCaseworker}},
		{"realm_access.roles absent", keycloak, map[string]any{"groups": []any{"editors"}}, nil},
		{"claim name with dots", auth0, map[string]any{"https://porta-nova.example/roles": []any{"admins"}}, []string{web.RoleAdmin}},
		{"renamed groups", renamed, map[string]any{"groups": []any{"sportello-editors", "editors", "it-admins"}}, []string{web.RoleEditor, web.RoleAdmin}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cfg.roles(tt.claims); !slices.Equal(got, tt.want) {
				t.Errorf("roles = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPersonFromClaims(t *testing.T) {
	cfg := Config{}.withDefaults()
	tests := []struct {
		name       string
		claims     map[string]any
		wantName   string
		wantEmail  string
		wantVerify bool
	}{
		{"verified email", map[string]any{"name": "Ada", "email": "ada@example.org", "email_verified": true}, "Ada", "ada@example.org", true},
		{"unverified email is not kept", map[string]any{"name": "Ada", "email": "ada@example.org", "email_verified": false}, "Ada", "", false},
		{"email without email_verified", map[string]any{"name": "Ada", "email": "ada@example.org"}, "Ada", "", false},
		{"email_verified as a string", map[string]any{"email": "ada@example.org", "email_verified": "true"}, "", "ada@example.org", true},
		{"given and family name", map[string]any{"given_name": "Ada", "family_name": "Lovelace"}, "Ada Lovelace", "", false},
		{"username only", map[string]any{"preferred_username": "ada"}, "ada", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := cfg.personFrom("https://id.example", "sub-1", tt.claims)
			if p.Name != tt.wantName || p.Email != tt.wantEmail || p.EmailVerified != tt.wantVerify {
				t.Errorf("got %q %q %v, want %q %q %v", p.Name, p.Email, p.EmailVerified, tt.wantName, tt.wantEmail, tt.wantVerify)
			}
		})
	}
}

// TestRolesAtSignIn: roles come from the configured claim over the real
// flow, and are read again at each sign-in.
func TestRolesAtSignIn(t *testing.T) {
	f := newForger(t)
	r := startForgedRP(t, f, "sqlite", func(c *Config) { c.RolesClaim = "realm_access.roles" })
	f.set(func(f *forger) {
		f.claims = func(c map[string]any) {
			delete(c, "groups")
			c["realm_access"] = map[string]any{"roles": []string{"offline_access", "caseworkers"}}
		}
	})
	first := newBrowser(t, r.base)
	first.get("/private")
	account := first.get(PathAccount)
	mustContain(t, account, "Caseworker", "Ada Test", "ada@example.org")
	mustNotContain(t, account, "Catalogue editor")
	if p := first.get("/staff"); p.status != http.StatusForbidden || !strings.Contains(p.body, "This page is for council staff") {
		t.Fatalf("a caseworker on the editors' page: %d %s", p.status, p.body)
	}

	// The provider now grants editor: the next sign-in reads it, for every
	// session of the person.
	f.set(func(f *forger) {
		f.claims = func(c map[string]any) {
			c["realm_access"] = map[string]any{"roles": []string{"editors"}}
		}
	})
	second := newBrowser(t, r.base)
	second.get("/private")
	for _, b := range []*browser{first, second} {
		if p := b.get("/staff"); p.status != http.StatusOK {
			t.Errorf("after the roles changed, the editors' page answers %d", p.status)
		}
	}
	if n := count(t, r.db, "SELECT COUNT(*) FROM people WHERE roles = 'editor'"); n != 1 {
		t.Errorf("%d people rows with the new roles, want 1 (same issuer and subject)", n)
	}
}

// TestGuards: anonymous visitors go to sign-in with a way back; people without
// the role get a 403 page, not a redirect.
func TestGuards(t *testing.T) {
	r := startRP(t, rpOptions{})
	anon := newBrowser(t, r.base)
	anon.stop = func(*url.URL) bool { return true }
	for path, want := range map[string]string{
		"/staff":       "/auth/login?return_to=%2Fstaff",
		"/private?a=b": "/auth/login?return_to=%2Fprivate%3Fa%3Db",
		"/high":        "/auth/login?level=high&return_to=%2Fhigh",
		PathAccount:    "/auth/login?return_to=%2Faccount",
	} {
		p := anon.get(path)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != want {
			t.Errorf("anonymous %s: %d to %q, want 303 to %q", path, p.status, p.header.Get("Location"), want)
		}
	}

	resident := newBrowser(t, r.base)
	resident.signIn("/private", "resident", "")
	p := resident.get("/staff")
	if p.status != http.StatusForbidden || p.url.Path != "/staff" {
		t.Fatalf("a resident on the editors' page: %d at %s", p.status, p.url)
	}
	mustContain(t, p, "This page is for council staff")
	mustContain(t, resident.get(PathAccount), "Resident")
}
