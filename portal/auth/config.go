package auth

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"sportello/metrics"
)

// Config is how Sportello signs people in. The lead fills it from SPORTELLO_*
// environment variables (named beside each field); zero values take the
// defaults shown.
type Config struct {
	// Issuer is the identity provider's issuer URL (SPORTELLO_OIDC_ISSUER),
	// e.g. "https://id.porta-nova.example/realms/residents". Discovery is read
	// from Issuer + "/.well-known/openid-configuration". Empty means the
	// embedded development provider, which is refused in production (see
	// Validate); by the time New is called it must be set (for the
	// development provider: the base URL + "/dev-idp").
	Issuer string
	// ClientID and ClientSecret are Sportello's credentials at the provider
	// (SPORTELLO_OIDC_CLIENT_ID, SPORTELLO_OIDC_CLIENT_SECRET or the file
	// named by SPORTELLO_OIDC_CLIENT_SECRET_FILE).
	ClientID     string
	ClientSecret string
	// Scopes requested at sign-in (SPORTELLO_OIDC_SCOPES, space-separated).
	// Default: openid profile email. "openid" is always included.
	Scopes []string
	// BaseURL is Sportello's public URL (SPORTELLO_BASE_URL), without a
	// trailing slash. The redirect URI to register at the provider is
	// BaseURL + "/auth/callback"; the post-logout redirect URI is BaseURL +
	// "/"; the back-channel logout URI is BaseURL + "/auth/backchannel-logout".
	// An https base URL makes cookies Secure and __Host- prefixed.
	BaseURL string

	// RolesClaim is the claim holding the person's groups or roles
	// (SPORTELLO_OIDC_ROLES_CLAIM). Dots walk into objects, so Keycloak's
	// "realm_access.roles" works. Default: groups.
	RolesClaim string
	// TaxIDClaim is the claim holding the tax ID of the business the
	// person signs in for, when the provider vouches for one
	// (SPORTELLO_OIDC_TAX_ID_CLAIM; dots walk into objects). Default:
	// tax_id. A business registered with the same tax ID is confirmed at
	// once (portal/onbehalf).
	TaxIDClaim string
	// RoleEditor, RoleCaseworker and RoleAdmin are the values of the roles
	// claim that grant each staff role (SPORTELLO_ROLE_EDITOR,
	// SPORTELLO_ROLE_CASEWORKER, SPORTELLO_ROLE_ADMIN). Defaults: editors,
	// caseworkers, admins. Anyone with none of them is a resident.
	RoleEditor     string
	RoleCaseworker string
	RoleAdmin      string
	// RoleCounter is the value that makes someone counter staff, who apply
	// and pay with residents at the counter (SPORTELLO_ROLE_COUNTER).
	// Default: counter.
	RoleCounter string
	// NationalIDClaim names the claim holding the person's national ID
	// number, as the provider verified it (SPORTELLO_OIDC_NATIONAL_ID_CLAIM;
	// dots walk into objects). A resident recorded at the counter with that
	// number is linked to the sign-in, like one recorded with the verified
	// email. Empty (the default with a real provider): only the verified
	// email links. Name it only when the provider vouches for the value: a
	// claim the person can edit would let anyone take a record over.
	NationalIDClaim string

	// ACRSubstantial and ACRHigh are the acr values that stand for the
	// substantial and high levels of assurance (SPORTELLO_OIDC_ACR_SUBSTANTIAL,
	// SPORTELLO_OIDC_ACR_HIGH), requested as acr_values and compared with the
	// ID token's acr claim. eIDAS providers use
	// "http://eidas.europa.eu/LoA/substantial" and ".../high". Defaults:
	// substantial, high. Any successful sign-in counts as low.
	ACRSubstantial string
	ACRHigh        string

	// IdleTimeout ends a session after this long without a request
	// (SPORTELLO_SESSION_IDLE_TIMEOUT). Default: 30 minutes.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends a session this long after sign-in whatever the
	// activity (SPORTELLO_SESSION_ABSOLUTE_TIMEOUT). Default: 12 hours.
	AbsoluteTimeout time.Duration

	// ProviderName is how the account page names the identity provider
	// ("Porta Nova ID"). Default: the issuer's host. With DemoSignIn the
	// page names the demo sign-in in its own language instead.
	ProviderName string
	// DemoSignIn is true when Issuer is the embedded development provider:
	// the account page says so, and the lead passes it to the layout's
	// banner (web.Site.DemoSignIn).
	DemoSignIn bool

	// SignInRateLimit is how many sign-in starts and callbacks one client
	// address may make per minute, counted across the instances (the
	// portal's limit on PathLogin and PathCallback). Default: 30.
	SignInRateLimit int
	// HTTPClient talks to the provider (discovery, keys, token, userinfo).
	// Default: a client with a 10 second timeout.
	HTTPClient *http.Client
	// Metrics count the runs of the expired-session purge (RunPurge); nil
	// counts nothing.
	Metrics *metrics.Metrics
}

// Defaults, exported so that cmd/ and the README quote the same values.
const (
	DefaultRolesClaim      = "groups"
	DefaultTaxIDClaim      = "tax_id"
	DefaultRoleEditor      = "editors"
	DefaultRoleCaseworker  = "caseworkers"
	DefaultRoleAdmin       = "admins"
	DefaultRoleCounter     = "counter"
	DefaultACRSubstantial  = "substantial"
	DefaultACRHigh         = "high"
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultAbsoluteTimeout = 12 * time.Hour
	DefaultSignInRateLimit = 30
)

// DefaultScopes are requested when Config.Scopes is empty.
var DefaultScopes = []string{"openid", "profile", "email"}

// Validate checks the settings for env ("production" or anything else). With
// no issuer outside production the embedded development provider will be
// used, which is fine; in production it is an error that says what to set.
func (c Config) Validate(env string) error {
	var errs []error
	production := env == "production"
	if c.Issuer == "" {
		if production {
			errs = append(errs, errors.New("SPORTELLO_OIDC_ISSUER is not set: production needs the council's identity provider; set SPORTELLO_OIDC_ISSUER (its issuer URL), SPORTELLO_OIDC_CLIENT_ID and SPORTELLO_OIDC_CLIENT_SECRET (or SPORTELLO_OIDC_CLIENT_SECRET_FILE); the embedded development provider never runs in production"))
		}
	} else {
		if u, err := url.Parse(c.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Errorf("SPORTELLO_OIDC_ISSUER: %q must be the provider's issuer URL, such as https://id.example.org/realms/residents", c.Issuer))
		} else if production && u.Scheme != "https" {
			errs = append(errs, fmt.Errorf("SPORTELLO_OIDC_ISSUER: %q must use https in production", c.Issuer))
		}
		if c.ClientID == "" {
			errs = append(errs, errors.New("SPORTELLO_OIDC_CLIENT_ID is not set: register Sportello at the identity provider and set the client id it gives"))
		}
		if production && c.ClientSecret == "" {
			errs = append(errs, errors.New("SPORTELLO_OIDC_CLIENT_SECRET is not set: Sportello is a confidential client; set the secret (or SPORTELLO_OIDC_CLIENT_SECRET_FILE)"))
		}
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		errs = append(errs, fmt.Errorf("SPORTELLO_BASE_URL: %q must be the site's public URL without a path, such as https://portal.example.org", c.BaseURL))
	} else if production && u.Scheme != "https" {
		errs = append(errs, errors.New("SPORTELLO_BASE_URL must be https in production, so that session cookies are Secure"))
	}
	if len(c.Scopes) > 0 && !slices.Contains(c.Scopes, "openid") {
		errs = append(errs, fmt.Errorf("SPORTELLO_OIDC_SCOPES: %q must include openid", strings.Join(c.Scopes, " ")))
	}
	if c.IdleTimeout < 0 || c.AbsoluteTimeout < 0 {
		errs = append(errs, errors.New("SPORTELLO_SESSION_IDLE_TIMEOUT and SPORTELLO_SESSION_ABSOLUTE_TIMEOUT must be positive durations such as 30m and 12h"))
	}
	d := c.withDefaults()
	if d.IdleTimeout > d.AbsoluteTimeout {
		errs = append(errs, fmt.Errorf("SPORTELLO_SESSION_IDLE_TIMEOUT (%s) must not exceed SPORTELLO_SESSION_ABSOLUTE_TIMEOUT (%s)", d.IdleTimeout, d.AbsoluteTimeout))
	}
	if d.ACRSubstantial == d.ACRHigh {
		errs = append(errs, fmt.Errorf("SPORTELLO_OIDC_ACR_SUBSTANTIAL and SPORTELLO_OIDC_ACR_HIGH are both %q: they must differ", d.ACRHigh))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	c.Issuer = strings.TrimSuffix(c.Issuer, "/")
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if len(c.Scopes) == 0 {
		c.Scopes = slices.Clone(DefaultScopes)
	} else if !slices.Contains(c.Scopes, "openid") {
		c.Scopes = append([]string{"openid"}, c.Scopes...)
	}
	if c.RolesClaim == "" {
		c.RolesClaim = DefaultRolesClaim
	}
	if c.TaxIDClaim == "" {
		c.TaxIDClaim = DefaultTaxIDClaim
	}
	if c.RoleEditor == "" {
		c.RoleEditor = DefaultRoleEditor
	}
	if c.RoleCaseworker == "" {
		c.RoleCaseworker = DefaultRoleCaseworker
	}
	if c.RoleAdmin == "" {
		c.RoleAdmin = DefaultRoleAdmin
	}
	if c.RoleCounter == "" {
		c.RoleCounter = DefaultRoleCounter
	}
	if c.ACRSubstantial == "" {
		c.ACRSubstantial = DefaultACRSubstantial
	}
	if c.ACRHigh == "" {
		c.ACRHigh = DefaultACRHigh
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.AbsoluteTimeout == 0 {
		c.AbsoluteTimeout = DefaultAbsoluteTimeout
	}
	if c.SignInRateLimit == 0 {
		c.SignInRateLimit = DefaultSignInRateLimit
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if c.ProviderName == "" {
		if u, err := url.Parse(c.Issuer); err == nil {
			c.ProviderName = u.Host
		}
	}
	return c
}

// secure reports whether the base URL is https: cookies are then Secure and
// carry the __Host- prefix.
func (c Config) secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// RedirectURI is the callback URL to register at the identity provider.
func (c Config) RedirectURI() string { return strings.TrimSuffix(c.BaseURL, "/") + PathCallback }

// BackChannelLogoutURI is the back-channel logout URL to register at the
// identity provider.
func (c Config) BackChannelLogoutURI() string {
	return strings.TrimSuffix(c.BaseURL, "/") + PathBackChannelLogout
}

// PostLogoutRedirectURI is where the provider sends the browser after
// RP-initiated logout; register it at the provider.
func (c Config) PostLogoutRedirectURI() string { return strings.TrimSuffix(c.BaseURL, "/") + "/" }

// Paths of the sign-in routes; the lead mounts the handlers at these paths.
const (
	PathLogin             = "/auth/login"
	PathCallback          = "/auth/callback"
	PathLogout            = "/auth/logout"
	PathBackChannelLogout = "/auth/backchannel-logout"
	PathAccount           = "/account"
)

// DevIdPPath is where cmd/sportello mounts the development identity provider
// on Sportello's own listener; its issuer is the base URL + DevIdPPath.
// Sportello talks to it over HTTP like to any provider, and this package
// does not link it.
const DevIdPPath = "/dev-idp"
