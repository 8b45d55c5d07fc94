package auth

import (
	"slices"
	"strings"

	"sportello/accounts"
	"sportello/portal/web"
)

// claimAt walks a dotted path ("realm_access.roles") into claims. A key that
// itself contains dots ("https://example.org/roles", as Auth0 names custom
// claims) is found too, because the whole path is tried first.
func claimAt(claims map[string]any, path string) (any, bool) {
	if v, ok := claims[path]; ok {
		return v, true
	}
	head, rest, found := strings.Cut(path, ".")
	if !found {
		return nil, false
	}
	inner, ok := claims[head].(map[string]any)
	if !ok {
		return nil, false
	}
	return claimAt(inner, rest)
}

// stringsAt returns the string values of a claim that is a list of strings
// or one string (some providers send a single group as a string, others a
// space-separated list).
func stringsAt(claims map[string]any, path string) []string {
	v, ok := claimAt(claims, path)
	if !ok {
		return nil
	}
	switch v := v.(type) {
	case string:
		return strings.Fields(v)
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// roles maps the roles claim to Sportello's staff roles, in a fixed order.
// Everyone without a matching value is a resident (no roles).
func (c Config) roles(claims map[string]any) []string {
	values := stringsAt(claims, c.RolesClaim)
	var roles []string
	for _, m := range []struct{ value, role string }{
		{c.RoleEditor, web.RoleEditor},
		{c.RoleCaseworker, web.RoleCaseworker},
		{c.RoleAdmin, web.RoleAdmin},
		{c.RoleCounter, web.RoleCounter},
	} {
		if slices.ContainsFunc(values, func(v string) bool { return groupMatches(v, m.value) }) {
			roles = append(roles, m.role)
		}
	}
	return roles
}

// groupMatches compares a claim value with a configured group. Keycloak's
// group claim may carry the full path ("/editors"), so a leading slash is
// ignored on both sides.
func groupMatches(value, group string) bool {
	return value != "" && strings.TrimPrefix(value, "/") == strings.TrimPrefix(group, "/")
}

// personFrom reads who signed in from the merged ID token and userinfo
// claims. The email is kept only when the provider says it verified it.
func (c Config) personFrom(issuer, subject string, claims map[string]any) accounts.Person {
	p := accounts.Person{Issuer: issuer, Subject: subject, Roles: c.roles(claims)}
	p.Name = stringClaim(claims, "name")
	if p.Name == "" {
		p.Name = strings.TrimSpace(stringClaim(claims, "given_name") + " " + stringClaim(claims, "family_name"))
	}
	if p.Name == "" {
		p.Name = stringClaim(claims, "preferred_username")
	}
	if email := stringClaim(claims, "email"); email != "" && boolClaim(claims, "email_verified") {
		p.Email = email
		p.EmailVerified = true
	}
	return p
}

// nationalID is the national ID number the provider vouches for, "" when
// no claim is configured or the person has none.
func (c Config) nationalID(claims map[string]any) string {
	if c.NationalIDClaim == "" {
		return ""
	}
	v, _ := claimAt(claims, c.NationalIDClaim)
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

func stringClaim(claims map[string]any, name string) string {
	s, _ := claims[name].(string)
	return strings.TrimSpace(s)
}

// boolClaim accepts true and "true": some providers (AWS Cognito among
// them) send email_verified as a string.
func boolClaim(claims map[string]any, name string) bool {
	switch v := claims[name].(type) {
	case bool:
		return v
	case string:
		return v == "true"
	}
	return false
}

// protocolClaims describe the token, not the person: userinfo never
// overrides them.
var protocolClaims = []string{"iss", "sub", "aud", "exp", "iat", "nbf", "nonce", "acr", "amr", "auth_time", "azp", "at_hash", "c_hash", "sid", "jti"}

// mergeUserinfo adds the userinfo claims to the ID token's. Userinfo is read
// at sign-in, so for the person's attributes it is the fresher of the two.
func mergeUserinfo(claims, userinfo map[string]any) {
	for k, v := range userinfo {
		if !slices.Contains(protocolClaims, k) {
			claims[k] = v
		}
	}
}
