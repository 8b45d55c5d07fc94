// Package portal is Sportello's HTTP face: the public site (home, search,
// service, topic, life-event, journey and business pages), the JSON API under
// /api/v1, the sitemap and the health check. It is the only package that
// imports Fiber; the sign-in pages live in portal/auth and share portal/web.
package portal

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/assets"
	"sportello/catalogue"
	"sportello/editorial"
	"sportello/payments"
	"sportello/portal/applications"
	"sportello/portal/auth"
	"sportello/portal/forms"
	"sportello/portal/web"
	"sportello/search"
	"sportello/support"
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
	Log            *slog.Logger
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
	SavedAnswers support.Store
}

// Server is the portal's HTTP application.
type Server struct {
	cfg   Config
	store catalogue.Store
	index search.Searcher
	auth  *auth.Auth
	idp   http.Handler
	apps  *applications.Store
	forms *forms.Validator
	pay   *payments.Service
	log   *slog.Logger
	site  *web.Site
	app   *fiber.App
	dir   atomic.Pointer[directory]
	md    *markdown
	// engine renders the cached part of pages outside a request.
	engine   *web.Engine
	services *versionCache[renderedService]
	// compiled holds the support and business finders of the catalogue
	// version (eligibility.go).
	compiled finderCache
	// ed is content editing, page feedback and search insights
	// (editor.go); nil without Deps.Editorial.
	ed *editing
	// saved is Deps.SavedAnswers (support_saved.go).
	saved support.Store
	// secretRoutes are the patterns of the routes whose path holds a
	// secret, which the log masks (middleware.go).
	secretRoutes [][]string
	// headers are the security headers of every answer (middleware.go).
	headers [][2]string
}

// DefaultTopTasks are the demo catalogue's most used online services.
var DefaultTopTasks = []string{
	"report-missed-bin-collection", "resident-parking-permit", "pay-a-parking-fine",
	"register-on-the-municipal-register", "report-a-pothole", "school-admission-application",
	"book-an-appointment-citizen-desk", "certificate-of-residence",
}

// New builds the portal: it parses the templates, fingerprints the assets and
// loads the catalogue directory. Routes are in routes.go.
func New(cfg Config, deps Deps) (*Server, error) {
	if deps.Catalogue == nil || deps.Search == nil || deps.Auth == nil || deps.Applications == nil || deps.Forms == nil || deps.Payments == nil {
		return nil, errors.New("portal: a catalogue store, a searcher, sign-in, an application store, a form validator and a payments service are required")
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
		pay:      deps.Payments,
		saved:    deps.SavedAnswers,
		log:      cfg.Log.With("component", "portal"),
		site:     web.NewSite(tr, as, cfg.BaseURL, cfg.DemoSignIn),
		md:       newMarkdown(),
		services: newVersionCache[renderedService](serviceCacheSize),
	}
	s.site.SimulatedPayments = deps.Payments.ProviderName() == payments.SimulatedName
	engine, err := web.NewEngine(templates.FS, s.site)
	if err != nil {
		return nil, err
	}
	s.engine = engine
	s.headers = s.securityHeaders()
	if err := s.Reload(context.Background()); err != nil {
		return nil, err
	}
	if err := s.initEditor(context.Background(), deps); err != nil {
		return nil, err
	}
	fc := fiber.Config{
		Immutable:             true,
		Views:                 engine,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		// A long search query must reach the handler (and be shortened
		// there) instead of failing in the HTTP parser.
		ReadBufferSize: 16 << 10,
		// Uploads to online forms (apply_view.go).
		BodyLimit: applyBodyLimit(deps.Forms),
		AppName:   "sportello",
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
	s.routes(s.app)
	s.secretRoutes = secretRoutes(s.app)
	s.log.Info("portal ready", "env", cfg.Env, "base_url", cfg.BaseURL, "demo_sign_in", cfg.DemoSignIn)
	return s, nil
}

// App returns the Fiber application, for Listen and for tests.
func (s *Server) App() *fiber.App { return s.app }

// Site returns what pages share (translations, assets), for the packages
// that add routes to the app.
func (s *Server) Site() *web.Site { return s.site }

// Reload reads the catalogue directory again when the store's version has
// changed. Call it after an import.
func (s *Server) Reload(ctx context.Context) error {
	if cur := s.dir.Load(); cur != nil {
		v, err := s.store.Version(ctx)
		if err != nil {
			return fmt.Errorf("portal: reading the catalogue version: %w", err)
		}
		if v == cur.Version {
			return nil
		}
	}
	d, err := s.store.Directory(ctx)
	if err != nil {
		return fmt.Errorf("portal: loading the catalogue directory: %w", err)
	}
	dir := newDirectory(d, s.cfg.TopTasks)
	// Reloads race (a publish, the background sync): an older directory
	// read slowly must not replace a newer one.
	for {
		cur := s.dir.Load()
		if cur != nil && cur.Version > dir.Version {
			return nil
		}
		if s.dir.CompareAndSwap(cur, dir) {
			break
		}
	}
	s.site.SetAuthority(d.Authority)
	s.log.Info("catalogue directory loaded", "version", d.Version, "services", len(d.Services))
	return nil
}

// directory returns the catalogue directory in memory.
func (s *Server) directory() *directory { return s.dir.Load() }
