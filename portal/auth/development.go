package auth

import (
	"log/slog"

	"sportello/portal/devidp"
	"sportello/store"
)

// DevIdPPath is where the development identity provider is mounted on
// Sportello's own listener.
const DevIdPPath = "/dev-idp"

// NewDevelopment starts the embedded development identity provider and a
// relying party registered with it, so that sign-in works with no set-up.
// cfg.Issuer must be empty: the issuer is cfg.BaseURL + DevIdPPath. The
// caller mounts the returned provider at DevIdPPath (path prefix stripped).
// Sportello talks to it over HTTP like to any provider; it is never used in
// production (Config.Validate refuses an empty issuer there).
func NewDevelopment(cfg Config, db *store.DB, log *slog.Logger, csrfExempt ...string) (*Auth, *devidp.IDP, error) {
	cfg.Issuer = cfg.BaseURL + DevIdPPath
	cfg.DemoSignIn = true
	cfg.ProviderName = "Porta Nova demo sign-in"
	d := cfg.withDefaults()
	idp, err := devidp.New(devidp.Config{
		Issuer:                 cfg.Issuer,
		RedirectURIs:           []string{cfg.RedirectURI()},
		PostLogoutRedirectURIs: []string{cfg.PostLogoutRedirectURI()},
		BackChannelLogoutURI:   cfg.BackChannelLogoutURI(),
		Groups:                 devidp.Groups{Editor: d.RoleEditor, Caseworker: d.RoleCaseworker, Admin: d.RoleAdmin},
		ACR:                    devidp.ACR{Substantial: d.ACRSubstantial, High: d.ACRHigh},
		Logger:                 log,
	})
	if err != nil {
		return nil, nil, err
	}
	cfg.ClientID = devidp.ClientID
	cfg.ClientSecret = idp.ClientSecret
	a, err := New(cfg, db, log, append([]string{DevIdPPath + "/"}, csrfExempt...)...)
	if err != nil {
		return nil, nil, err
	}
	return a, idp, nil
}
