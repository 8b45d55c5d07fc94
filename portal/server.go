// Package portal is Sportello's HTTP face: the public site (home, search,
// service, topic, life-event, journey and business pages), the JSON API under
// /api/v1, the sitemap and the health check. It is the only package that
// imports Fiber; the sign-in pages live in portal/auth and share portal/web.
package portal

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"sportello/acting"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/accounts"
	"sportello/applications"
	"sportello/applications/forms"
	"sportello/appointments"
	"sportello/assets"
	"sportello/assist"
	"sportello/catalogue"
	"sportello/editorial"
	"sportello/metrics"
	"sportello/notify"
	"sportello/payments"
	"sportello/portal/access"
	"sportello/portal/account"
	"sportello/portal/api"
	"sportello/portal/apply"
	"sportello/portal/auth"
	"sportello/portal/booking"
	"sportello/portal/counter"
	"sportello/portal/devmail"
	"sportello/portal/editor"
	"sportello/portal/finders"
	"sportello/portal/holidays"
	"sportello/portal/onbehalf"
	"sportello/portal/open311"
	"sportello/portal/outbox"
	"sportello/portal/pay"
	"sportello/portal/public"
	"sportello/portal/reportstaff"
	"sportello/portal/staff"
	"sportello/portal/unsubscribe"
	"sportello/portal/web"
	"sportello/portal/yourdata"
	"sportello/reports"
	"sportello/search"
	"sportello/supportalerts"
	"sportello/templates"
)

// Config is how the portal is set up.
type Config struct {
	// BaseURL is the public address of the site ("https://portanova.example"),
	// used for absolute links (sitemap, JSON-LD) and to decide on HSTS and
	// Secure cookies.
	BaseURL string
	// Env is "production" or "development"; development shows nothing more to
	// residents but logs at debug level where asked.
	Env string
	// DemoSignIn shows the "demo sign-in is active" banner on every page.
	DemoSignIn bool
	// FormActionOrigins are origins forms may post to besides the site itself
	// (the identity provider's), added to the Content-Security-Policy.
	FormActionOrigins []string
	// TopTasks are the service slugs shown first on the home page; the first
	// online services are used when empty or unknown.
	TopTasks []string
	// TimeZone is the council's: dates and times are shown in it, and "due
	// in N days" counts its days. Default UTC.
	TimeZone *time.Location
	// TrustedProxies are the addresses (IPs or CIDRs) of the reverse proxies
	// in front of the portal. A request from one of them is from the client
	// its X-Forwarded-For names, which the rate limits count by; empty means
	// no proxy, and X-Forwarded-For is ignored.
	TrustedProxies []string
	// Limits bound what one client can make the server hold: timeouts,
	// body sizes, connections per address (limits.go).
	Limits Limits
	// Map is the tile server, the centre and the council's area of the
	// maps of reports at a place; its tiles' origin is added to the
	// Content-Security-Policy's img-src.
	Map web.Map
	Log *slog.Logger
}

// Deps are the components the portal reads from.
type Deps struct {
	Catalogue catalogue.Store
	Search    search.Searcher
	// Auth signs people in and keeps their sessions.
	Auth *auth.Auth
	// DevIdP is the development identity provider, mounted at
	// auth.DevIdPPath; nil with a real provider.
	DevIdP http.Handler
	// Applications keeps applications, drafts and uploaded files; Forms
	// checks what people type into a service's online form.
	Applications *applications.Store
	Forms        *forms.Validator
	// Payments takes the fees of chargeable services; its Fulfiller must be
	// Applications.
	Payments *payments.Service
	// Editorial is the content editors' data; nil turns the editor, page
	// feedback and search insights off (their pages answer 404).
	Editorial editorial.Store
	// SavedAnswers keeps the support finder answers residents chose to
	// save; nil means saving is not offered.
	SavedAnswers accounts.Answers
	// People names who did what in an application's history, for staff;
	// nil shows their roles only.
	People accounts.People
	// Notifications keeps what people chose to be mailed and the log of
	// what was; it serves the mails' unsubscribe links (/unsubscribe/).
	// SupportAlerts are the residents' support alerts. With both, the
	// account has "Emails from the council" (/account/notifications); nil
	// leaves these unrouted. SavedAnswers should then be
	// SupportAlerts.Answers, so that deleting the answers stops the alerts.
	Notifications *notify.Store
	SupportAlerts *supportalerts.Alerts
	// Accounts is what the accounts area keeps of people; with
	// SavedAnswers, Notifications and SupportAlerts it gives the account
	// "Your data" (/account/data, /account/data.json) and deleting the
	// account (/account/delete). nil leaves these unrouted.
	Accounts accounts.PersonalData
	// Metrics record every request and residents' searches; nil records
	// nothing (metrics.go).
	Metrics *metrics.Metrics
	// Ready answers /readyz (a *metrics.Probe); nil leaves /readyz
	// unrouted, which a probe reads as not ready.
	Ready http.Handler
	// DevMail is the development mailbox, shown at /dev-mail and linked
	// from the banner; nil (a mail server is configured) shows nothing.
	DevMail devmail.Mailbox
	// Outbox is the notifications' outbox, whose failures staff see at
	// /staff/notifications; nil leaves the page out.
	Outbox outbox.Outbox
	// Holidays are the council's public holidays (a calendar.Store), which
	// administrators keep at /staff/holidays; nil leaves the page out.
	Holidays holidays.Holidays
	// Reports are the reports at a place: the report-kind services' forms
	// then make one with each application, show the reports already made
	// nearby before sending, and staff work them at /staff/reports. nil
	// leaves reports as plain applications.
	Reports reports.Store
	// Appointments are the bookable services' appointments (package
	// appointments): booking, the account's appointments and the staff's
	// day at /staff/appointments; nil leaves them out.
	Appointments appointments.Store
	// Assist is assisted digital's register, visits and log (staff helping
	// residents at the counter, /staff/assist); nil leaves it out.
	Assist *assist.Store
	// Acting keeps organisations and representations: who may act for
	// whom (portal/onbehalf, portal/access); nil leaves the pages out and
	// lets each person see only their own applications.
	Acting acting.Store
	// RateLimits counts the requests the rate limits limit (sign-in, page
	// feedback, Open311's service requests): a *store.DB, so that every
	// instance on the database counts the same. Required.
	RateLimits web.Counter
	// Open311 are the reports and the API keys of the Open311 GeoReport v2
	// API (/open311/v2, and /staff/open311-keys for administrators);
	// with its Reports nil the API is left out. Its Forms default to
	// Deps.Forms.
	Open311 open311.Options
}

// Server is the portal's HTTP application.
type Server struct {
	*web.Shared
	cfg      Config
	store    catalogue.Store
	index    search.Searcher
	auth     *auth.Auth
	idp      http.Handler
	apps     *applications.Store
	forms    *forms.Validator
	pay      *pay.Handler
	apply    *apply.Handler
	staff    *staff.Handler
	public   *public.Handler
	api      *api.Handler
	editor   *editor.Handler
	finders  *finders.Handler
	unsub    *unsubscribe.Handler
	account  *account.Handler
	yourdata *yourdata.Handler
	counter  *counter.Handler
	devmail  *devmail.Handler
	outbox   *outbox.Handler
	holidays *holidays.Handler
	reports  *reportstaff.Handler
	booking  *booking.Handler
	onbehalf *onbehalf.Handler
	open311  *open311.Handler
	payments *payments.Service
	access   *access.Access
	// signInLimit limits sign-in starts and callbacks per client address
	// (auth.Config.SignInRateLimit a minute, across the instances).
	signInLimit fiber.Handler
	app         *fiber.App
	// engine renders the cached part of pages outside a request.
	engine *web.Engine
	// secretRoutes are the patterns of the routes whose path holds a
	// secret, which the log masks (middleware.go).
	secretRoutes [][]string
	// headers are the security headers of every answer (middleware.go).
	headers [][2]string
	metrics *metrics.Metrics
	ready   http.Handler
	// routed tells routes from middleware, for the metrics (metrics.go).
	routed map[*fiber.Handler]bool
	// bodyRoutes are the routes that take more than Limits.BodyMax.
	bodyRoutes []bodyRoute
}

// PaymentsWebhookPath is where the payment provider posts its events; the
// sign-in middleware exempts it from the CSRF check.
const PaymentsWebhookPath = pay.WebhookPath

// DefaultTopTasks are the demo catalogue's most used online services.
var DefaultTopTasks = []string{
	"report-missed-bin-collection", "resident-parking-permit", "pay-a-parking-fine",
	"register-on-the-municipal-register", "report-a-pothole", "school-admission-application",
	"book-an-appointment-citizen-desk", "certificate-of-residence",
}

// New builds the portal: it parses the templates, fingerprints the assets and
// loads the catalogue directory. Routes are in routes.go.
func New(cfg Config, deps Deps) (*Server, error) {
	if deps.Catalogue == nil || deps.Search == nil || deps.Auth == nil || deps.Applications == nil || deps.Forms == nil || deps.Payments == nil || deps.RateLimits == nil {
		return nil, errors.New("portal: a catalogue store, a searcher, sign-in, an application store, a form validator, a payments service and a rate limits' counter are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	if cfg.BaseURL == "" {
		return nil, errors.New("portal: BaseURL is required (the public address, e.g. https://portanova.example)")
	}
	if cfg.TimeZone == nil {
		cfg.TimeZone = time.UTC
	}
	if len(cfg.TopTasks) == 0 {
		cfg.TopTasks = DefaultTopTasks
	}
	cfg.Limits = cfg.Limits.withDefaults()
	locales, err := fs.Sub(web.Locales, "locales")
	if err != nil {
		return nil, err
	}
	tr, err := web.NewTranslator(locales)
	if err != nil {
		return nil, err
	}
	as, err := web.NewAssets(assets.FS)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		store:    deps.Catalogue,
		index:    deps.Search,
		auth:     deps.Auth,
		idp:      deps.DevIdP,
		apps:     deps.Applications,
		forms:    deps.Forms,
		payments: deps.Payments,
		metrics:  deps.Metrics,
		ready:    deps.Ready,
	}
	site := web.NewSite(tr, as, cfg.BaseURL, cfg.DemoSignIn)
	site.SimulatedPayments = deps.Payments.ProviderName() == payments.SimulatedName
	s.Shared = &web.Shared{
		Site: site, Log: cfg.Log.With("component", "portal"), BaseURL: cfg.BaseURL,
		TimeZone: cfg.TimeZone, Catalogue: deps.Catalogue,
		TopTasks: cfg.TopTasks, Counter: deps.RateLimits,
	}
	if err := s.Shared.Reload(context.Background()); err != nil {
		return nil, err
	}
	if deps.Editorial != nil {
		site.Alerts = web.NewAlerts(deps.Editorial)
		if err := site.Alerts.Reload(context.Background()); err != nil {
			return nil, err
		}
	}
	s.signInLimit = web.RateLimit{
		Name: "sign-in", Max: deps.Auth.Config().SignInRateLimit, Window: time.Minute,
		Refuse: func(c *fiber.Ctx) error {
			return web.NewError(fiber.StatusTooManyRequests, "auth.error.rate_limited", nil)
		},
	}.Handler(deps.RateLimits)
	s.access = &access.Access{Shared: s.Shared, Apps: deps.Applications, Auth: deps.Auth, Acting: deps.Acting}
	s.pay = pay.New(s.Shared, deps.Payments, deps.Applications, s.access)
	s.apply = apply.New(s.Shared, deps.Catalogue, deps.Applications, deps.Forms, deps.Auth, s.access, s.pay)
	s.apply.Saved = deps.SavedAnswers
	if deps.Reports != nil {
		s.apply.Reports, s.apply.Map = deps.Reports, &cfg.Map
		s.reports = reportstaff.New(s.Shared, deps.Reports, &cfg.Map)
	}
	s.apply.People = deps.People
	var orgs staff.Organisations
	if deps.Acting != nil {
		orgs = deps.Acting
	}
	s.staff = staff.New(s.Shared, deps.Applications, deps.Forms, s.access, s.apply, s.pay, deps.People, orgs)
	engine, err := web.NewEngine(templates.FS, site)
	if err != nil {
		return nil, err
	}
	s.engine = engine
	s.finders = finders.New(s.Shared, deps.Catalogue, deps.Auth, deps.SavedAnswers)
	if deps.Acting != nil {
		s.onbehalf = onbehalf.New(s.Shared, deps.Acting, deps.Applications, s.access, deps.Auth, s.apply)
		s.finders.PlanTargets = s.onbehalf.PlanTargets
	}
	if deps.Notifications != nil {
		s.unsub = unsubscribe.New(s.Shared, deps.Notifications)
		deps.Auth.ExemptCSRF(unsubscribe.OneClick)
		if deps.SupportAlerts != nil {
			s.account = account.New(s.Shared, deps.Auth, deps.Notifications, deps.SupportAlerts)
		}
	}
	if deps.Accounts != nil && deps.SavedAnswers != nil && deps.Notifications != nil && deps.SupportAlerts != nil {
		areas := yourdata.Areas{
			People: deps.Accounts, Answers: deps.SavedAnswers, Apps: deps.Applications, Payments: deps.Payments,
			Notes: deps.Notifications, Alerts: deps.SupportAlerts,
		}
		if deps.Reports != nil {
			areas.Reports = deps.Reports.ErasePerson
		}
		if deps.Acting != nil {
			areas.Acting = deps.Acting.ErasePerson
		}
		s.yourdata = yourdata.New(s.Shared, deps.Auth, areas, s.apply)
		s.yourdata.SupportAnswers = s.finders.SavedAnswers
		s.yourdata.RetentionDays = s.retentionDays
		s.yourdata.Appointments, s.yourdata.Acting = deps.Appointments, deps.Acting
		if sr, ok := deps.Reports.(reports.Supporting); ok {
			s.yourdata.Supported = sr
		}
	}
	if deps.Assist != nil {
		s.counter = counter.New(s.Shared, deps.Assist, deps.Applications, deps.Payments, s.apply, deps.Forms)
		if s.yourdata != nil {
			s.yourdata.Assist = deps.Assist
		}
	}
	if deps.DevMail != nil {
		site.DevMail = true
		s.devmail = devmail.New(s.Shared, deps.DevMail)
	}
	if deps.Outbox != nil {
		s.outbox = outbox.New(s.Shared, deps.Outbox)
	}
	if deps.Holidays != nil {
		s.holidays = holidays.New(s.Shared, deps.Holidays)
	}
	if deps.Appointments != nil {
		s.booking = booking.New(s.Shared, deps.Appointments, deps.Auth)
	}
	if deps.Open311.Reports != nil && deps.Open311.Keys != nil {
		if deps.Open311.Forms == nil {
			deps.Open311.Forms = deps.Forms
		}
		s.open311 = open311.New(s.Shared, deps.Open311)
		// A POST to the API carries an API key in its body, not a session.
		deps.Auth.ExemptCSRF(open311.Exempt)
	}
	residents := observeSearches(deps.Search, deps.Metrics)
	s.api = api.New(s.Shared, deps.Catalogue, residents)
	s.headers = s.securityHeaders()
	var insights *public.Insights
	if deps.Editorial != nil {
		insights = public.NewInsights(deps.Editorial, s.Log)
	}
	s.public = public.New(s.Shared, deps.Catalogue, residents, engine, deps.Editorial, insights)
	if deps.Editorial != nil {
		if s.editor, err = editor.New(context.Background(), s.Shared, deps.Catalogue, deps.Editorial, deps.Search, s.public, engine, insights); err != nil {
			return nil, err
		}
		s.editor.BusinessPlan = s.finders.BusinessTypePlan
	} else {
		s.Log.Info("content editing is off: the catalogue store is not the SQL store")
	}
	fc := fiber.Config{
		Immutable:             true,
		Views:                 engine,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		// A long search query must reach the handler (and be shortened
		// there) instead of failing in the HTTP parser.
		ReadBufferSize: 16 << 10,
		// A page (8-30 KB) and its headers leave in one write instead of
		// two or three with fasthttp's 4 KB default: 10% more service
		// pages a second (docs/performance.md). A keep-alive connection
		// holds its buffer between requests, 12 KB more than before.
		WriteBufferSize: 16 << 10,
		// The largest body of any route: uploads to online forms
		// (apply_view.go). Each route's own limit is set as its headers
		// arrive (limits.go).
		BodyLimit: apply.BodyLimit(deps.Forms),
		AppName:   "sportello",
		// Bodies are read by the handler, not buffered whole before it
		// runs; multipart forms too, their files going to temporary files
		// (limits.go).
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		ReadTimeout:                  cfg.Limits.ReadHeaderTimeout,
		WriteTimeout:                 cfg.Limits.WriteTimeout,
		IdleTimeout:                  cfg.Limits.IdleTimeout,
	}
	if len(cfg.TrustedProxies) > 0 {
		fc.EnableTrustedProxyCheck = true
		fc.TrustedProxies = cfg.TrustedProxies
		fc.ProxyHeader = fiber.HeaderXForwardedFor
		// c.IP() is then the first valid address in the header, and the
		// proxy's own when there is none.
		fc.EnableIPValidation = true
	}
	s.app = fiber.New(fc)
	s.bodyRoutes = uploadRoutes(apply.BodyLimit(deps.Forms), editor.MaxImportBytes+1<<20)
	s.app.Server().HeaderReceived = s.headerReceived
	s.routes(s.app)
	s.secretRoutes = secretRoutes(s.app)
	s.routed = routedHandlers(s.app)
	s.Log.Info("portal ready", "env", cfg.Env, "base_url", cfg.BaseURL, "demo_sign_in", cfg.DemoSignIn)
	return s, nil
}

// retentionDays is how long the published catalogue keeps a service's
// closed applications (its privacy section), for "Your data" and the
// account's deletion page; false when it sets none.
func (s *Server) retentionDays(slug string) (int, bool) {
	sum, ok := s.Directory().ServiceOf[slug]
	if !ok || sum.RetentionDays <= 0 {
		return 0, false
	}
	return sum.RetentionDays, true
}

// App returns the Fiber application, for tests and shutdown.
func (s *Server) App() *fiber.App { return s.app }
