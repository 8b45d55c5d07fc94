package main

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"sportello/notify"
	"sportello/portal"
	"sportello/portal/web"
	"sportello/reports"
	"sportello/store"
)

// config is every setting of the binary, read once from SPORTELLO_*
// environment variables. The README lists each with its default.
type config struct {
	Env         string // "development" (default) or "production"
	Addr        string // listen address
	BaseURL     string // public URL, used for redirects, cookies and the sitemap
	DataDir     string // SQLite database and search index (older versions kept uploads there)
	IndexDir    string // this instance's search index: instances never share one
	DatabaseURL string // postgres://… or a SQLite file path
	LogLevel    string
	// MetricsAddr is where Prometheus scrapes /metrics (and may probe
	// /readyz); "" serves no metrics.
	MetricsAddr string
	// Profiling serves Go's profiles on the metrics listener.
	Profiling bool
	// TrustedProxies are the addresses (IPs or CIDRs) of the reverse proxies
	// whose X-Forwarded-For names the client; empty when there is none.
	TrustedProxies []string

	OIDC struct {
		Issuer       string
		ClientID     string
		ClientSecret string
		Scopes       []string
		RolesClaim   string
		TaxIDClaim   string
		RoleEditor   string
		RoleCase     string
		RoleAdmin    string
		RoleCounter  string
		NationalID   string // the national ID claim's name; "" links by verified email only
		ACRSubst     string
		ACRHigh      string
	}
	SessionIdle     time.Duration
	SessionAbsolute time.Duration

	// Stripe takes the fees; without a key the simulated provider does,
	// which production refuses.
	Stripe struct {
		SecretKey     string
		WebhookSecret string
		APIURL        string
	}

	// Mail is how notifications are sent: through a mail server, or kept
	// in the development mailbox when there is none (refused in
	// production).
	Mail struct {
		SMTPURL string // SPORTELLO_SMTP_URL as given; holds a password: never log it
		SMTP    notify.SMTPConfig
		From    *mail.Address
		Timeout time.Duration // connecting and each exchange with the server
		// Interval is how often the outbox is read for notifications due.
		Interval    time.Duration
		MaxAttempts int
	}

	// MemoryLimit is the memory, in bytes, the Go runtime aims to stay
	// within once the server is serving (runtime/debug.SetMemoryLimit); 0
	// sets none.
	MemoryLimit int64
	// ServingGC is whether the collector is set for serving once the index
	// is built (servingGCPercent); false when the operator set Go's own
	// GOGC, which then holds throughout.
	ServingGC bool

	// ShutdownTimeout is how long SIGTERM waits for the requests in flight
	// and the background job at hand to finish.
	ShutdownTimeout time.Duration
	// ChangePoll is how often the change feed is read without a
	// notification (SQLite; PostgreSQL while its listener is down).
	ChangePoll time.Duration
	// Limits bound what one client can make the server hold.
	Limits portal.Limits

	UploadMaxBytes  int64          // cap on any one uploaded file
	PendingQuota    int64          // uploads kept in forms in progress, per person or session and per address
	ReferencePrefix string         // starts every application reference
	TimeZone        *time.Location // the council's: due dates are counted in it
	// Map is the tile server, centre and area of the maps of reports at a
	// place; Map.Area bounds where a report may be.
	Map web.Map
	// Open311Jurisdiction is the jurisdiction_id the Open311 API serves;
	// "" is the base URL's host.
	Open311Jurisdiction string
}

const (
	envDevelopment = "development"
	envProduction  = "production"
)

// The demo council's map: the fictional Porta Nova is drawn on a real
// coastal town's streets, so that its demo reports sit somewhere.
const (
	defaultMapCenter = "41.2190,1.7260,15"
	defaultMapArea   = "41.1900,1.6800,41.2500,1.7800"
)

// loadConfig reads the configuration from getenv. Secrets may come from a
// file named by the variable with a _FILE suffix, so they need not sit in the
// environment.
func loadConfig(getenv func(string) string) (config, error) {
	var c config
	var errs []error
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	secret := func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		if path := getenv(name + "_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s_FILE: %w", name, err))
				return ""
			}
			return strings.TrimSpace(string(b))
		}
		return ""
	}
	positiveInt := func(name string, def int) int {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive whole number", name, v))
			return def
		}
		return n
	}
	positiveOrZero := func(name string, def int) int {
		if v := getenv(name); v == "0" {
			return 0
		}
		return positiveInt(name, def)
	}
	duration := func(name string, def time.Duration) time.Duration {
		v := getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive duration such as 30m or 12h", name, v))
			return def
		}
		return d
	}

	c.Env = get("SPORTELLO_ENV", envDevelopment)
	if c.Env != envDevelopment && c.Env != envProduction {
		errs = append(errs, fmt.Errorf("SPORTELLO_ENV: %q must be %q or %q", c.Env, envDevelopment, envProduction))
	}
	c.Addr = get("SPORTELLO_ADDR", ":8080")
	c.BaseURL = strings.TrimRight(get("SPORTELLO_BASE_URL", "http://localhost"+portOf(c.Addr)), "/")
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("SPORTELLO_BASE_URL: %q must be an absolute http(s) URL such as https://portal.example.org", c.BaseURL))
	}
	c.DataDir = get("SPORTELLO_DATA_DIR", "data")
	c.IndexDir = get("SPORTELLO_INDEX_DIR", filepath.Join(c.DataDir, "index"))
	c.DatabaseURL = secret("SPORTELLO_DATABASE_URL")
	if c.DatabaseURL == "" {
		c.DatabaseURL = filepath.Join(c.DataDir, "sportello.db")
	}
	c.LogLevel = get("SPORTELLO_LOG_LEVEL", "info")
	c.MetricsAddr = get("SPORTELLO_METRICS_ADDR", "")
	if _, port, err := net.SplitHostPort(c.MetricsAddr); c.MetricsAddr != "" && (err != nil || port == "") {
		errs = append(errs, fmt.Errorf("SPORTELLO_METRICS_ADDR: %q must be a host and port such as 127.0.0.1:9090", c.MetricsAddr))
	}
	switch p := get("SPORTELLO_PROFILING", "off"); p {
	case "on", "off":
		c.Profiling = p == "on"
		if c.Profiling && c.MetricsAddr == "" {
			errs = append(errs, errors.New("SPORTELLO_PROFILING: profiles are served on the metrics listener; set SPORTELLO_METRICS_ADDR too"))
		}
	default:
		errs = append(errs, fmt.Errorf("SPORTELLO_PROFILING: %q must be on or off", p))
	}
	for _, p := range strings.Split(get("SPORTELLO_TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		addr, ok := proxyAddress(p)
		if !ok {
			errs = append(errs, fmt.Errorf("SPORTELLO_TRUSTED_PROXIES: %q is not an IP address or CIDR range; list the proxies' addresses separated by commas, such as 10.0.0.5,10.1.0.0/16", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, addr)
	}

	c.OIDC.Issuer = get("SPORTELLO_OIDC_ISSUER", "")
	c.OIDC.ClientID = get("SPORTELLO_OIDC_CLIENT_ID", "")
	c.OIDC.ClientSecret = secret("SPORTELLO_OIDC_CLIENT_SECRET")
	c.OIDC.Scopes = strings.Fields(get("SPORTELLO_OIDC_SCOPES", "openid profile email"))
	c.OIDC.RolesClaim = get("SPORTELLO_OIDC_ROLES_CLAIM", "groups")
	c.OIDC.TaxIDClaim = get("SPORTELLO_OIDC_TAX_ID_CLAIM", "tax_id")
	c.OIDC.RoleEditor = get("SPORTELLO_ROLE_EDITOR", "editors")
	c.OIDC.RoleCase = get("SPORTELLO_ROLE_CASEWORKER", "caseworkers")
	c.OIDC.RoleAdmin = get("SPORTELLO_ROLE_ADMIN", "admins")
	c.OIDC.RoleCounter = get("SPORTELLO_ROLE_COUNTER", "counter")
	c.OIDC.NationalID = get("SPORTELLO_OIDC_NATIONAL_ID_CLAIM", "")
	c.OIDC.ACRSubst = get("SPORTELLO_OIDC_ACR_SUBSTANTIAL", "substantial")
	c.OIDC.ACRHigh = get("SPORTELLO_OIDC_ACR_HIGH", "high")
	c.SessionIdle = duration("SPORTELLO_SESSION_IDLE_TIMEOUT", 30*time.Minute)
	c.SessionAbsolute = duration("SPORTELLO_SESSION_ABSOLUTE_TIMEOUT", 12*time.Hour)

	c.Stripe.SecretKey = secret("SPORTELLO_STRIPE_SECRET_KEY")
	c.Stripe.WebhookSecret = secret("SPORTELLO_STRIPE_WEBHOOK_SECRET")
	c.Stripe.APIURL = strings.TrimRight(get("SPORTELLO_STRIPE_API_URL", ""), "/")
	if c.Stripe.APIURL != "" {
		if u, err := url.Parse(c.Stripe.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("SPORTELLO_STRIPE_API_URL: %q must be an absolute http(s) URL such as http://127.0.0.1:12111 (stripe-mock)", c.Stripe.APIURL))
		}
	}
	if c.Stripe.SecretKey != "" && c.Stripe.WebhookSecret == "" {
		errs = append(errs, errors.New("SPORTELLO_STRIPE_WEBHOOK_SECRET: required with SPORTELLO_STRIPE_SECRET_KEY, or no payment could ever be confirmed; copy the webhook endpoint's signing secret (whsec_…) from the Stripe dashboard"))
	}
	if c.Stripe.SecretKey == "" && (c.Stripe.WebhookSecret != "" || c.Stripe.APIURL != "") {
		errs = append(errs, errors.New("SPORTELLO_STRIPE_SECRET_KEY: SPORTELLO_STRIPE_WEBHOOK_SECRET or SPORTELLO_STRIPE_API_URL is set without it; set the key too, or unset them to use the simulated payment provider"))
	}

	var err error
	c.Mail.SMTPURL = secret("SPORTELLO_SMTP_URL")
	if c.Mail.SMTPURL != "" {
		if c.Mail.SMTP, err = notify.ParseSMTPURL(c.Mail.SMTPURL); err != nil {
			errs = append(errs, fmt.Errorf("SPORTELLO_SMTP_URL: %w", err))
		}
	}
	from := get("SPORTELLO_MAIL_FROM", "")
	switch {
	case from != "":
		if c.Mail.From, err = notify.ParseFrom(from); err != nil {
			errs = append(errs, fmt.Errorf("SPORTELLO_MAIL_FROM: %w", err))
		}
	case c.Mail.SMTPURL != "":
		errs = append(errs, errors.New("SPORTELLO_MAIL_FROM: required with SPORTELLO_SMTP_URL: the council's sender, such as \"Council of Porta Nova <no-reply@portanova.example>\", of a domain the mail server may send for"))
	default:
		c.Mail.From = &mail.Address{Name: "Sportello", Address: "no-reply@sportello.invalid"}
	}
	c.Mail.Timeout = duration("SPORTELLO_SMTP_TIMEOUT", 30*time.Second)
	c.Mail.Interval = duration("SPORTELLO_MAIL_INTERVAL", 2*time.Second)
	c.Mail.MaxAttempts = positiveInt("SPORTELLO_MAIL_MAX_ATTEMPTS", 8)

	c.ShutdownTimeout = duration("SPORTELLO_SHUTDOWN_TIMEOUT", 20*time.Second)
	c.MemoryLimit = int64(positiveOrZero("SPORTELLO_MEMORY_LIMIT_MB", 0)) << 20
	c.ServingGC = getenv("GOGC") == ""
	c.ChangePoll = duration("SPORTELLO_CHANGE_POLL_INTERVAL", store.DefaultPoll)

	c.UploadMaxBytes = int64(positiveInt("SPORTELLO_UPLOAD_MAX_MB", 25)) << 20
	c.Limits = portal.Limits{
		ReadHeaderTimeout: duration("SPORTELLO_READ_HEADER_TIMEOUT", portal.DefaultLimits.ReadHeaderTimeout),
		ReadTimeout:       duration("SPORTELLO_READ_TIMEOUT", portal.DefaultLimits.ReadTimeout),
		UploadTimeout:     duration("SPORTELLO_UPLOAD_TIMEOUT", portal.DefaultLimits.UploadTimeout),
		WriteTimeout:      duration("SPORTELLO_WRITE_TIMEOUT", portal.DefaultLimits.WriteTimeout),
		IdleTimeout:       duration("SPORTELLO_IDLE_TIMEOUT", portal.DefaultLimits.IdleTimeout),
		BodyMax:           positiveInt("SPORTELLO_BODY_MAX_KB", portal.DefaultLimits.BodyMax>>10) << 10,
		// 0 turns the cap off, which portal.Limits says with -1.
		MaxConnsPerIP: cmp.Or(positiveOrZero("SPORTELLO_MAX_CONNS_PER_IP", portal.DefaultLimits.MaxConnsPerIP), -1),
	}
	c.PendingQuota = int64(positiveInt("SPORTELLO_PENDING_QUOTA_MB", 50)) << 20
	c.ReferencePrefix = get("SPORTELLO_REFERENCE_PREFIX", "PN")
	tz := get("SPORTELLO_TIME_ZONE", "Europe/Madrid")
	loc, err := time.LoadLocation(tz)
	if err != nil {
		errs = append(errs, fmt.Errorf("SPORTELLO_TIME_ZONE: %q is not a time zone such as Europe/Madrid", tz))
		loc = time.UTC
	}
	c.TimeZone = loc
	c.Map = web.Map{Tiles: get("SPORTELLO_MAP_TILES", web.DefaultTiles), Attribution: get("SPORTELLO_MAP_ATTRIBUTION", web.DefaultAttribution)}
	if len(c.Map.TileOrigins()) == 0 || !strings.Contains(c.Map.Tiles, "{z}") || !strings.Contains(c.Map.Tiles, "{x}") || !strings.Contains(c.Map.Tiles, "{y}") {
		errs = append(errs, fmt.Errorf("SPORTELLO_MAP_TILES: %q is not a tile URL template such as %s", c.Map.Tiles, web.DefaultTiles))
	}
	if c.Map.Center, c.Map.Zoom, err = web.ParseMapCenter(get("SPORTELLO_MAP_CENTER", defaultMapCenter)); err != nil {
		errs = append(errs, fmt.Errorf("SPORTELLO_MAP_CENTER: %w", err))
	}
	if c.Map.Area, err = reports.ParseBBox(get("SPORTELLO_MAP_AREA", defaultMapArea)); err != nil {
		errs = append(errs, fmt.Errorf("SPORTELLO_MAP_AREA: %q is not south,west,north,east in degrees, like %s", get("SPORTELLO_MAP_AREA", defaultMapArea), defaultMapArea))
	} else if !c.Map.Area.Contains(c.Map.Center) {
		errs = append(errs, fmt.Errorf("SPORTELLO_MAP_CENTER: %s is outside SPORTELLO_MAP_AREA %s", c.Map.Center, c.Map.Area))
	}
	c.Open311Jurisdiction = strings.TrimSpace(get("SPORTELLO_OPEN311_JURISDICTION", ""))

	if c.Env == envProduction {
		// The embedded defaults exist so that a newcomer can run Sportello
		// with nothing else; in production each must be replaced.
		if store.DialectOf(c.DatabaseURL) != store.DialectPostgres {
			errs = append(errs, errors.New("SPORTELLO_DATABASE_URL: production needs PostgreSQL (postgres://user:password@host/db), not the embedded SQLite default"))
		}
		if c.OIDC.Issuer == "" {
			errs = append(errs, errors.New("SPORTELLO_OIDC_ISSUER: production needs the council's identity provider; set SPORTELLO_OIDC_ISSUER, SPORTELLO_OIDC_CLIENT_ID and SPORTELLO_OIDC_CLIENT_SECRET (the development provider is refused)"))
		}
		if !strings.HasPrefix(c.BaseURL, "https://") {
			errs = append(errs, errors.New("SPORTELLO_BASE_URL: production needs an https:// base URL so that cookies are Secure"))
		}
		if c.Stripe.SecretKey == "" {
			errs = append(errs, errors.New("SPORTELLO_STRIPE_SECRET_KEY: production needs Stripe to take fees (the simulated payment provider is refused); set SPORTELLO_STRIPE_SECRET_KEY and SPORTELLO_STRIPE_WEBHOOK_SECRET"))
		}
		if c.Mail.SMTPURL == "" {
			errs = append(errs, errors.New("SPORTELLO_SMTP_URL: production needs a mail server to tell people what happens (the development mailbox is refused); set SPORTELLO_SMTP_URL, such as smtp://user:password@mail.example.org:587, and SPORTELLO_MAIL_FROM"))
		}
	}
	if c.OIDC.Issuer != "" && c.OIDC.ClientID == "" {
		errs = append(errs, errors.New("SPORTELLO_OIDC_CLIENT_ID: required when SPORTELLO_OIDC_ISSUER is set"))
	}
	return c, errors.Join(errs...)
}

// SimulatedPayments reports whether the built-in simulated payment provider
// takes the fees.
func (c config) SimulatedPayments() bool { return c.Stripe.SecretKey == "" }

// DevMail reports whether mail is kept in the development mailbox, for
// want of a mail server.
func (c config) DevMail() bool { return c.Mail.SMTPURL == "" }

// DevIdP reports whether the embedded development identity provider runs.
func (c config) DevIdP() bool { return c.OIDC.Issuer == "" && c.Env != envProduction }

// proxyAddress checks that s is an IP address or a CIDR range and returns
// it in canonical form: Fiber compares a single address as text with the
// connection's, so "::FFFF:10.0.0.5" would never match 10.0.0.5.
func proxyAddress(s string) (string, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().String(), a.Zone() == ""
	}
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.String(), true
	}
	return "", false
}

// portOf returns ":8080" for ":8080" or "127.0.0.1:8080".
func portOf(addr string) string {
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		if _, err := strconv.Atoi(addr[i+1:]); err == nil {
			return addr[i:]
		}
	}
	return ""
}
