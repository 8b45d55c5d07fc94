package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// relyingParty is Sportello's view of the identity provider once discovery
// has succeeded.
type relyingParty struct {
	provider   *oidc.Provider
	verifier   *oidc.IDTokenVerifier
	oauth      oauth2.Config
	endSession string // "" when the provider has no RP-initiated logout
	userinfo   bool
}

// errUnavailable is returned while the provider cannot be reached.
var errUnavailable = errors.New("auth: the identity provider cannot be reached")

// lazyProvider builds the relying party on first use and retries with
// backoff, so that a provider that is down (or is this very process, still
// starting) never stops the public site from starting.
type lazyProvider struct {
	cfg Config
	log *slog.Logger
	now func() time.Time

	mu      sync.Mutex
	rp      *relyingParty
	next    time.Time     // no new attempt before this
	backoff time.Duration // doubles after each failure, up to maxBackoff
	lastErr error
}

const (
	minBackoff = time.Second
	maxBackoff = time.Minute
)

// get returns the relying party, or an error wrapping errUnavailable while
// discovery fails. Callers waiting on an attempt in progress share it.
func (l *lazyProvider) get(ctx context.Context) (*relyingParty, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rp != nil {
		return l.rp, nil
	}
	if now := l.now(); now.Before(l.next) {
		return nil, fmt.Errorf("%w (retrying at %s): %w", errUnavailable, l.next.Format(time.TimeOnly), l.lastErr)
	}
	rp, err := l.discover(ctx)
	if err != nil {
		l.backoff = min(max(2*l.backoff, minBackoff), maxBackoff)
		l.next = l.now().Add(l.backoff)
		l.lastErr = err
		l.log.Warn("auth: identity provider discovery failed", "issuer", l.cfg.Issuer, "retry_in", l.backoff, "err", err)
		return nil, fmt.Errorf("%w: %w", errUnavailable, err)
	}
	l.log.Info("auth: identity provider ready", "issuer", l.cfg.Issuer, "end_session", rp.endSession != "", "userinfo", rp.userinfo)
	l.rp = rp
	return rp, nil
}

func (l *lazyProvider) discover(ctx context.Context) (*relyingParty, error) {
	// go-oidc keeps this context (without its deadline) for fetching keys
	// later: it carries the HTTP client, whose timeout bounds each request.
	ctx = oidc.ClientContext(context.WithoutCancel(ctx), l.cfg.HTTPClient)
	p, err := oidc.NewProvider(ctx, l.cfg.Issuer)
	if err != nil {
		return nil, err
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&extra); err != nil {
		return nil, fmt.Errorf("auth: reading the provider's metadata: %w", err)
	}
	return &relyingParty{
		provider: p,
		verifier: p.Verifier(&oidc.Config{ClientID: l.cfg.ClientID}),
		oauth: oauth2.Config{
			ClientID:     l.cfg.ClientID,
			ClientSecret: l.cfg.ClientSecret,
			Endpoint:     p.Endpoint(),
			RedirectURL:  l.cfg.RedirectURI(),
			Scopes:       l.cfg.Scopes,
		},
		endSession: extra.EndSession,
		userinfo:   p.UserInfoEndpoint() != "",
	}, nil
}
