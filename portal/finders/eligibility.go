package finders

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/portal/web"
)

// finders are one catalogue version's compiled eligibility rules and
// business permit finder. They are built once per version and then only
// read.
type finders struct {
	version  int64
	rules    *eligibility.Rules
	business *eligibility.BusinessFinder
}

// finderCache holds the finders of the catalogue version the directory is
// at. Readers load an atomic pointer; a version change builds the new
// finders once, under mu, while the others wait for it rather than compile
// the same rules in parallel.
type finderCache struct {
	mu  sync.Mutex
	cur atomic.Pointer[finders]
}

// finders returns the support and business finders of the directory's
// catalogue version, compiling them on first use after a change.
func (s *Handler) finders(ctx context.Context) (*finders, error) {
	return s.compiled.get(ctx, s.Shared, s.store)
}

// get returns the finders of sh's catalogue version, compiling them on
// first use after a change. An invalid rule cannot get here (import
// validates and compiles every rule first), so a compile error is a server
// error.
func (fc *finderCache) get(ctx context.Context, sh *web.Shared, store catalogue.Store) (*finders, error) {
	version := sh.Directory().Version
	if f := fc.cur.Load(); f != nil && f.version == version {
		return f, nil
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if f := fc.cur.Load(); f != nil && f.version == version {
		return f, nil
	}
	// An import between Reload and this Load gives rules a little newer
	// than version; the next Reload changes the version and they are built
	// again, so the window only costs one more compile.
	cat, err := eligibility.Load(ctx, store)
	if err != nil {
		return nil, fmt.Errorf("portal: reading the catalogue for the support finder: %w", err)
	}
	rules, err := eligibility.Compile(cat)
	if err != nil {
		return nil, fmt.Errorf("portal: compiling the eligibility rules of catalogue version %d: %w", version, err)
	}
	f := &finders{
		version:  version,
		rules:    rules,
		business: eligibility.NewBusinessFinder(cat),
	}
	fc.cur.Store(f)
	sh.Log.Info("support finder rules compiled", "version", version, "rules", len(rules.Services()))
	return f, nil
}
