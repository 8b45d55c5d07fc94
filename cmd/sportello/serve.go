package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"sportello/acting"
	"time"

	"sportello/accounts"
	"sportello/applications"
	"sportello/applications/forms"
	"sportello/appointments"
	"sportello/assist"
	"sportello/calendar"
	"sportello/catalogue"
	"sportello/metrics"
	"sportello/payments"
	"sportello/payments/providers"
	"sportello/portal"
	"sportello/portal/auth"
	"sportello/portal/devidp"
	portalmail "sportello/portal/mail"
	"sportello/portal/open311"
	"sportello/reports"
	"sportello/search"
	"sportello/supportalerts"
)

// serve runs the portal until ctx is cancelled (SIGINT or SIGTERM).
// listen opens the site's listener. Tests replace it to hand over a
// listener they already hold, so that no other process takes the port
// between choosing it and serving on it.
var listen = net.Listen

func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	db, cat, err := openCatalogue(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	defer cat.Close()
	log.Info("database open", "dialect", db.Dialect())
	m := metrics.New()
	m.WatchDB(db.SQL())

	holidays := calendar.New(db, nil)
	appts := appointments.New(db, appointments.Options{Location: cfg.TimeZone, Calendar: holidays})
	if err := importDemoOnFirstStart(ctx, cfg, cat, holidays, log); err != nil {
		return err
	}

	started := time.Now()
	restoreGC := tuneMemoryForBuild(cfg)
	index, err := search.Open(ctx, cfg.IndexDir, cat, log)
	restoreGC()
	if err != nil {
		return err
	}
	defer index.Close()
	// The home page's top tasks and what residents open from the search
	// results are what they use most: search ranks them first among
	// equally good matches (followPrior keeps it up to date).
	if _, err := loadPrior(ctx, cat, index, portal.DefaultTopTasks, time.Now()); err != nil {
		return err
	}
	log.Info("search index ready", "took", time.Since(started).Round(time.Millisecond).String())
	probe := &metrics.Probe{Ping: db.SQL().PingContext, CatalogueVersion: cat.Version, IndexVersion: index.Version, Log: log}
	m.WatchIndex(probe)

	people := accounts.New(db, nil)
	signIn, idp, err := newAuth(cfg, people, m, log)
	if err != nil {
		return err
	}

	apps, err := applications.New(db, applications.Options{
		DataDir:         cfg.DataDir,
		PendingQuota:    cfg.PendingQuota,
		ReferencePrefix: cfg.ReferencePrefix,
		Location:        cfg.TimeZone,
		Calendar:        holidays,
		Logger:          log,
		Metrics:         m,
	})
	if err != nil {
		return err
	}
	authority, err := cat.Authority(ctx)
	if err != nil {
		return err
	}
	validator := forms.NewValidator(forms.Options{Currency: authority.Currency, MaxFileSize: cfg.UploadMaxBytes, Location: cfg.TimeZone,
		InArea: cfg.Map.InArea})
	area := cfg.Map.Area
	places := reports.New(db, apps, reports.Options{Area: &area, Logger: log})

	provider, err := providers.New(db, providers.Settings{
		Env:                 cfg.Env,
		StripeSecretKey:     cfg.Stripe.SecretKey,
		StripeWebhookSecret: cfg.Stripe.WebhookSecret,
		StripeAPIURL:        cfg.Stripe.APIURL,
	}, log)
	if err != nil {
		return err
	}
	pay, err := payments.New(db, payments.Options{Provider: provider, Fulfiller: apps, Logger: log, Metrics: m})
	if err != nil {
		return err
	}

	mail, err := newMailing(cfg, db, m, log)
	if err != nil {
		return err
	}
	defer mail.close()

	// Deleting saved answers also turns support alerts off and deletes
	// their matches (supportalerts.Alerts.Answers).
	alerts := supportalerts.New(db, cat, supportalerts.Options{Location: cfg.TimeZone})
	// What staff do for residents at the counter becomes the resident's
	// when they sign in with a verified identifier recorded there.
	counter := assist.New(db, apps, nil, log)
	signIn.LinkSignIns(counter)
	deps := portal.Deps{
		Catalogue: cat, Editorial: cat, Search: index, Auth: signIn, DevIdP: idp,
		Applications: apps, Forms: validator, Payments: pay, SavedAnswers: alerts.Answers(people), People: people,
		Notifications: mail.outbox, SupportAlerts: alerts, Accounts: people,
		Metrics: m, Ready: probe, Outbox: mail.outbox, Holidays: holidays, Reports: places, Appointments: appts,
		Assist: counter, Acting: acting.New(db, nil, nil), RateLimits: db,
		Open311: open311.Options{
			Reports: places, Keys: reports.NewAPIKeys(db, nil), Jurisdiction: cfg.Open311Jurisdiction,
		},
	}
	if mail.devMail != nil {
		deps.DevMail = mail.devMail
	}
	srv, err := portal.New(portalConfig(cfg, log), deps)
	if err != nil {
		return err
	}
	// Mail is written in the portal's words and formats.
	renderer, err := portalmail.New(portalmail.Options{Shared: srv.Shared, Answers: people, Unsubscribe: mail.outbox, Appointments: appts})
	if err != nil {
		return err
	}
	sender, err := mail.worker(renderer)
	if err != nil {
		return err
	}

	ln, err := listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	// At SIGTERM (ctx ends) the requests in flight and the background job
	// at hand both get cfg.ShutdownTimeout to finish; the database and the
	// index close after them.
	work, stopWork := context.WithCancel(ctx)
	defer stopWork()
	jobsDone := make(chan struct{})
	go func() {
		r := backgroundJobs(db, cfg.ShutdownTimeout, signIn, pay, apps, cat, alerts, m, log)
		r.Add(sendNotifications(sender, cfg.Mail.Interval))
		r.Add(appointmentReminders(appts, log))
		r.Run(work)
		close(jobsDone)
	}()
	go follow(work, db, cfg.ChangePoll, cat, index, srv, log)
	go followPrior(work, cat, index, portal.DefaultTopTasks, log)

	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("SPORTELLO_METRICS_ADDR: %w", err)
		}
		ms := metrics.Server(cfg.MetricsAddr, m, probe, cfg.Profiling)
		go ms.Serve(mln)
		defer ms.Close()
		log.Info("metrics are served", "addr", mln.Addr().String(), "paths", "/metrics /readyz")
	}

	// Building the index at a first start leaves hundreds of megabytes of
	// garbage that the runtime would otherwise keep for minutes: hand it
	// back to the system before the first request.
	debug.FreeOSMemory()
	go tuneMemory(index, cfg, log)
	log.Info("sportello is listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "env", cfg.Env, "index_dir", cfg.IndexDir)
	err = srv.Serve(ctx, ln, cfg.ShutdownTimeout)
	stopWork()
	<-jobsDone
	return err
}

// servingGCPercent is the collector's setting while serving: the heap may
// grow by half of what is live before it is collected, instead of Go's
// default of doubling. At 10k services that keeps 50 MB less resident for
// 7-8% fewer requests a second; at 100k, where new searches allocate far
// more, it costs half the searches a second or more, and an operator who
// prefers those sets GOGC (ADR 0030). Building the index has its own
// setting (tuneMemoryForBuild).
const servingGCPercent = 50

// While the search index is built at a first start nothing else runs, and
// almost all the build allocates is garbage within the second: the
// collector waits until the heap is five times what is live or reaches
// buildHeapLimit, instead of running each time it doubles. At 100k services
// that builds the index about a quarter faster, for a peak of about 650 MB
// instead of 450, and at 10k a peak of about 520 MB instead of 350, for
// the few seconds the build takes (docs/performance.md, ADR 0032).
const (
	buildGCPercent = 400
	buildHeapLimit = 512 << 20
)

// tuneMemoryForBuild sets the collector for building the index, unless
// the operator set GOGC, and returns what restores it. An operator's lower
// GOMEMLIMIT holds.
func tuneMemoryForBuild(cfg config) (restore func()) {
	if !cfg.ServingGC {
		return func() {}
	}
	gc := debug.SetGCPercent(buildGCPercent)
	limit := debug.SetMemoryLimit(-1)
	if limit > buildHeapLimit {
		debug.SetMemoryLimit(buildHeapLimit)
	}
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}

// tuneMemory sets the collector for serving once the index's background
// merge is over: servingGCPercent unless the operator set GOGC, and the
// memory limit (SPORTELLO_MEMORY_LIMIT_MB) if one is set. Not before:
// building the index at a first start, and merging it, take far more for a
// while (a gigabyte at 100k services), and the collector would run without
// pause for all of it. Under the limit, the collector works harder as the
// heap nears it.
func tuneMemory(index *search.Index, cfg config, log *slog.Logger) {
	index.WaitMerged()
	if cfg.ServingGC {
		debug.SetGCPercent(servingGCPercent)
	}
	if cfg.MemoryLimit > 0 {
		debug.SetMemoryLimit(cfg.MemoryLimit)
	}
	log.Info("memory set for serving", "gogc_from_env", !cfg.ServingGC, "limit_mb", cfg.MemoryLimit>>20)
}

// importDemoOnFirstStart loads the embedded demo catalogue into an empty
// database, with the demo council's public holidays, so that a fresh
// checkout has a working site. Production never gets the demo: there, an
// empty catalogue is imported with `sportello import`, and administrators
// list the council's holidays at /staff/holidays.
func importDemoOnFirstStart(ctx context.Context, cfg config, db catalogue.Store, holidays *calendar.DB, log *slog.Logger) error {
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
	demo, err := calendar.Demo()
	if err != nil {
		return err
	}
	n, err := holidays.Seed(ctx, demo)
	if err != nil {
		return fmt.Errorf("listing the demo council's holidays: %w", err)
	}
	log.Info("listed the demo council's public holidays on first start", "holidays", n)
	return nil
}

func portalConfig(cfg config, log *slog.Logger) portal.Config {
	pc := portal.Config{
		BaseURL:        cfg.BaseURL,
		Env:            cfg.Env,
		DemoSignIn:     cfg.DevIdP(),
		TrustedProxies: cfg.TrustedProxies,
		Limits:         cfg.Limits,
		TimeZone:       cfg.TimeZone,
		Map:            cfg.Map,
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
func newAuth(cfg config, people accounts.Sessions, m *metrics.Metrics, log *slog.Logger) (*auth.Auth, http.Handler, error) {
	ac := auth.Config{
		Issuer:          cfg.OIDC.Issuer,
		ClientID:        cfg.OIDC.ClientID,
		ClientSecret:    cfg.OIDC.ClientSecret,
		Scopes:          cfg.OIDC.Scopes,
		BaseURL:         cfg.BaseURL,
		RolesClaim:      cfg.OIDC.RolesClaim,
		TaxIDClaim:      cfg.OIDC.TaxIDClaim,
		RoleEditor:      cfg.OIDC.RoleEditor,
		RoleCaseworker:  cfg.OIDC.RoleCase,
		RoleAdmin:       cfg.OIDC.RoleAdmin,
		RoleCounter:     cfg.OIDC.RoleCounter,
		NationalIDClaim: cfg.OIDC.NationalID,
		ACRSubstantial:  cfg.OIDC.ACRSubst,
		ACRHigh:         cfg.OIDC.ACRHigh,
		IdleTimeout:     cfg.SessionIdle,
		AbsoluteTimeout: cfg.SessionAbsolute,
		Metrics:         m,
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
	if ac.NationalIDClaim == "" {
		// The demo people carry one, so that linking by it can be tried.
		ac.NationalIDClaim = devidp.NationalIDClaim
	}
	// Empty role and acr names take the same defaults in both packages.
	idp, err := devidp.New(devidp.Config{
		Issuer:                 ac.Issuer,
		RedirectURIs:           []string{ac.RedirectURI()},
		PostLogoutRedirectURIs: []string{ac.PostLogoutRedirectURI()},
		BackChannelLogoutURI:   ac.BackChannelLogoutURI(),
		Groups:                 devidp.Groups{Editor: ac.RoleEditor, Caseworker: ac.RoleCaseworker, Admin: ac.RoleAdmin, Counter: ac.RoleCounter},
		ACR:                    devidp.ACR{Substantial: ac.ACRSubstantial, High: ac.ACRHigh},
		TaxIDClaim:             ac.TaxIDClaim,
		Logger:                 log,
	})
	if err != nil {
		return ac, nil, err
	}
	ac.ClientID, ac.ClientSecret = devidp.ClientID, idp.ClientSecret
	return ac, idp, nil
}
