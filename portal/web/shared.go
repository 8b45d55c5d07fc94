package web

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"sportello/applications/forms"
	"sportello/catalogue"
)

// Shared is what the handlers of every audience read besides their own
// area: the site (translations, assets), the log, the public address, the
// council's clock and the catalogue directory in memory. One is built by
// portal.New, loaded with Reload, and handed to each audience's handler.
type Shared struct {
	Site      *Site
	Log       *slog.Logger
	BaseURL   string         // "https://portanova.example", no trailing slash
	TimeZone  *time.Location // the council's: dates are shown in it
	Catalogue catalogue.Store
	TopTasks  []string // service slugs the home page shows first
	// Counter counts the requests the rate limits limit (RateLimit).
	Counter Counter
	dir     atomic.Pointer[Directory]
}

// Directory returns the catalogue directory in memory.
func (sh *Shared) Directory() *Directory { return sh.dir.Load() }

// Reload takes the store's directory when its version has changed (or for
// the first time). Call it after an import or a publish. The store reads a
// directory once per version and shares it, so asking costs one version
// check when nothing changed.
func (sh *Shared) Reload(ctx context.Context) error {
	d, err := sh.Catalogue.Directory(ctx)
	if err != nil {
		return fmt.Errorf("portal: loading the catalogue directory: %w", err)
	}
	if cur := sh.dir.Load(); cur != nil && d.Version <= cur.Version {
		return nil
	}
	dir := NewDirectory(d, sh.TopTasks, sh.Catalogue)
	// Reloads race (a publish, the background sync): an older directory
	// read slowly must not replace a newer one.
	for {
		cur := sh.dir.Load()
		if cur != nil && cur.Version > dir.Version {
			return nil
		}
		if sh.dir.CompareAndSwap(cur, dir) {
			break
		}
	}
	sh.Site.SetAuthority(d.Authority)
	sh.Log.Info("catalogue directory loaded", "version", d.Version, "services", len(d.Services))
	return nil
}

// Absolute makes a path absolute on the site, for mails, feeds and the
// payment provider's redirects.
func (sh *Shared) Absolute(path string) string { return sh.BaseURL + path }

// Today is the council's date today.
func (sh *Shared) Today() time.Time {
	t, _ := time.Parse(time.DateOnly, time.Now().In(sh.TimeZone).Format(time.DateOnly))
	return t
}

// Date writes the day of t on the council's clock in lang ("3 March 2026").
func (sh *Shared) Date(lang string, t time.Time) string {
	return sh.ISODate(lang, t.In(sh.TimeZone).Format(time.DateOnly))
}

// DateTime writes t on the council's clock in lang, with the time of day
// as Clock writes it and the zone ("3 March 2026 09:30 CET", "3 de marzo de
// 2026 9:30 CET", "3 mars 2026 9 h 30 CET"); "" for the zero time.
func (sh *Shared) DateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	local := t.In(sh.TimeZone)
	return sh.Date(lang, t) + " " + Clock(lang, local.Hour(), local.Minute()) + " " + local.Format("MST")
}

// ISODate writes a YYYY-MM-DD date in lang, with the month names and order
// of the forms' date fields; iso itself when it is not a date.
func (sh *Shared) ISODate(lang, iso string) string { return sh.Site.ISODate(lang, iso) }

// ISODate writes a YYYY-MM-DD date in lang, as Shared.ISODate does.
func (s *Site) ISODate(lang, iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	tr := s.Translator
	return tr.T(lang, forms.KeyDateFormat, "Day", t.Day(), "Month", tr.T(lang, forms.KeyMonthPrefix+strconv.Itoa(int(t.Month()))), "Year", t.Year())
}
