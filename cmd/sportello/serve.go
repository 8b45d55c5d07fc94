package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"sportello/accounts"
	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/payments"
	"sportello/payments/providers"
	"sportello/portal"
	"sportello/portal/auth"
	"sportello/portal/devidp"
	"sportello/search"
)

// serve runs the portal until ctx is cancelled (SIGINT or SIGTERM).
func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	db, cat, err := openCatalogue(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	defer cat.Close()
	log.Info("database open", "dialect", db.Dialect())

	if err := importDemoOnFirstStart(ctx, cfg, cat, log); err != nil {
		return err
	}

	started := time.Now()
	index, err := search.Open(ctx, filepath.Join(cfg.DataDir, "index"), cat, log)
	if err != nil {
		return err
	}
	defer index.Close()
	log.Info("search index ready", "took", time.Since(started).Round(time.Millisecond).String())

	people := accounts.New(db, nil)
	signIn, idp, err := newAuth(cfg, people, log)
	if err != nil {
		return err
	}
	go signIn.RunPurge(ctx, 10*time.Minute)

	apps, err := applications.New(db, applications.Options{
		DataDir:         cfg.DataDir,
		ReferencePrefix: cfg.ReferencePrefix,
		Location:        cfg.TimeZone,
		Logger:          log,
	})
	if err != nil {
		return err
	}
	authority, err := cat.Authority(ctx)
	if err != nil {
		return err
	}
	validator := forms.NewValidator(forms.Options{Currency: authority.Currency, MaxFileSize: cfg.UploadMaxBytes})

	provider, err := providers.New(db, providers.Settings{
		Env:                 cfg.Env,
		StripeSecretKey:     cfg.Stripe.SecretKey,
		StripeWebhookSecret: cfg.Stripe.WebhookSecret,
		StripeAPIURL:        cfg.Stripe.APIURL,
	}, log)
	if err != nil {
		return err
	}
	pay, err := payments.New(db, payments.Options{Provider: provider, Fulfiller: apps, Logger: log})
	if err != nil {
		return err
	}
	// A lost webhook or a crash mid-checkout is repaired from the
	// provider's own record.
	go pay.RunReconciler(ctx, 5*time.Minute)

	deps := portal.Deps{
		Catalogue: cat, Editorial: cat, Search: index, Auth: signIn, DevIdP: idp,
		Applications: apps, Forms: validator, Payments: pay, SavedAnswers: people,
	}
	srv, err := portal.New(portalConfig(cfg, log), deps)
	if err != nil {
		return err
	}

	go syncCatalogue(ctx, cat, index, srv, log)

	errc := make(chan error, 1)
	go func() { errc <- srv.App().Listen(cfg.Addr) }()
	log.Info("sportello is listening", "addr", cfg.Addr, "base_url", cfg.BaseURL, "env", cfg.Env)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.App().ShutdownWithContext(shutdownCtx)
}

// importDemoOnFirstStart loads the embedded demo catalogue into an empty
// database, so that a fresh checkout has a working site. Production never
// gets the demo: there, an empty catalogue is imported with `sportello import`.
func importDemoOnFirstStart(ctx context.Context, cfg config, db catalogue.Store, log *slog.Logger) error {
	v, err := db.Version(ctx)
	if err != nil || v > 0 {
		return err
	}
	if cfg.Env == envProduction {
		return errors.New("the catalogue is empty: load the council's catalogue with `sportello import FILE` before serving")
	}
	c, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		return fmt.Errorf("the embedded demo catalogue is invalid: %w", err)
	}
	res, err := db.Import(ctx, c)
	if err != nil {
		return fmt.Errorf("importing the demo catalogue: %w", err)
	}
	log.Info("imported the demo catalogue on first start", "services", len(res.Added), "version", res.Version)
	return nil
}

// syncCatalogue brings the search index and the portal's directory up to
// date when the catalogue changes behind the server's back (an import from
// the command line, another instance). Changes made through the server
// update both at once; this is the safety net.
func syncCatalogue(ctx context.Context, cat catalogue.Store, index *search.Index, srv *portal.Server, log *slog.Logger) {
	const every = 5 * time.Second
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := syncOnce(ctx, cat, index, srv); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("catalogue sync failed; retrying", "err", err, "in", every)
		}
	}
}

func syncOnce(ctx context.Context, cat catalogue.Store, index *search.Index, srv *portal.Server) error {
	if err := index.CatchUp(ctx, cat); err != nil {
		return err
	}
	return srv.Reload(ctx)
}

func portalConfig(cfg config, log *slog.Logger) portal.Config {
	pc := portal.Config{
		BaseURL:        cfg.BaseURL,
		Env:            cfg.Env,
		DemoSignIn:     cfg.DevIdP(),
		TrustedProxies: cfg.TrustedProxies,
		TimeZone:       cfg.TimeZone,
		Log:            log,
	}
	if !cfg.DevIdP() {
		// Sign-out is a form that ends at the provider's end-session page.
		if u, err := url.Parse(cfg.OIDC.Issuer); err == nil {
			pc.FormActionOrigins = []string{u.Scheme + "://" + u.Host}
		}
	}
	if !cfg.SimulatedPayments() {
		// Pay now is a form whose answer redirects to Stripe's hosted
		// checkout, which form-action must allow.
		pc.FormActionOrigins = append(pc.FormActionOrigins, stripeCheckoutOrigin)
	}
	return pc
}

// stripeCheckoutOrigin is where Stripe's hosted checkout pages are.
const stripeCheckoutOrigin = "https://checkout.stripe.com"

// newAuth sets up sign-in: with the council's identity provider when one is
// configured, otherwise with the embedded development provider (refused in
// production by loadConfig). The returned handler is nil with a real
// provider.
func newAuth(cfg config, people accounts.Sessions, log *slog.Logger) (*auth.Auth, http.Handler, error) {
	ac := auth.Config{
		Issuer:          cfg.OIDC.Issuer,
		ClientID:        cfg.OIDC.ClientID,
		ClientSecret:    cfg.OIDC.ClientSecret,
		Scopes:          cfg.OIDC.Scopes,
		BaseURL:         cfg.BaseURL,
		RolesClaim:      cfg.OIDC.RolesClaim,
		RoleEditor:      cfg.OIDC.RoleEditor,
		RoleCaseworker:  cfg.OIDC.RoleCase,
		RoleAdmin:       cfg.OIDC.RoleAdmin,
		ACRSubstantial:  cfg.OIDC.ACRSubst,
		ACRHigh:         cfg.OIDC.ACRHigh,
		IdleTimeout:     cfg.SessionIdle,
		AbsoluteTimeout: cfg.SessionAbsolute,
	}
	if err := ac.Validate(cfg.Env); err != nil {
		return nil, nil, err
	}
	if !cfg.DevIdP() {
		a, err := auth.New(ac, people, log, portal.PaymentsWebhookPath)
		return a, nil, err
	}
	log.Warn("demo sign-in is active: the embedded development identity provider signs anyone in", "issuer", cfg.BaseURL+auth.DevIdPPath)
	ac, idp, err := developmentProvider(ac, log)
	if err != nil {
		return nil, nil, err
	}
	a, err := auth.New(ac, people, log, auth.DevIdPPath+"/", portal.PaymentsWebhookPath)
	if err != nil {
		return nil, nil, err
	}
	return a, idp, nil
}

// developmentProvider starts the embedded development identity provider,
// with Sportello registered as its one client, and points ac at it: the
// issuer is the base URL + auth.DevIdPPath, where the portal mounts it
// (path prefix stripped), so that sign-in works with no set-up. Only this
// binary links the provider; the sign-in package talks to it over HTTP like
// to any provider.
func developmentProvider(ac auth.Config, log *slog.Logger) (auth.Config, *devidp.IDP, error) {
	ac.Issuer = ac.BaseURL + auth.DevIdPPath
	ac.DemoSignIn = true
	// Empty role and acr names take the same defaults in both packages.
	idp, err := devidp.New(devidp.Config{
		Issuer:                 ac.Issuer,
		RedirectURIs:           []string{ac.RedirectURI()},
		PostLogoutRedirectURIs: []string{ac.PostLogoutRedirectURI()},
		BackChannelLogoutURI:   ac.BackChannelLogoutURI(),
		Groups:                 devidp.Groups{Editor: ac.RoleEditor, Caseworker: ac.RoleCaseworker, Admin: ac.RoleAdmin},
		ACR:                    devidp.ACR{Substantial: ac.ACRSubstantial, High: ac.ACRHigh},
		Logger:                 log,
	})
	if err != nil {
		return ac, nil, err
	}
	ac.ClientID, ac.ClientSecret = devidp.ClientID, idp.ClientSecret
	return ac, idp, nil
}
