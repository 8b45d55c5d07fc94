// Package editor is the content editors' back office: entries of every
// kind with drafts, review, publishing, revisions and previews; import and
// export; search quality (synonyms, best bets, insights); page feedback,
// likely duplicates, service alerts and the audit log.
package editor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/public"
	"sportello/portal/web"
	"sportello/search"
)

// editorial is what the content editors' pages (editor_*.go), page feedback
// (feedback_*.go) and search insights need besides the public site: the
// editorial tables of the shared database and ways to update the search
// index in place. It is nil when the catalogue store is not a
// *sqlstore.DB; the pages then answer 404.
type editing struct {
	db editorial.Store
	// index is updated synchronously when an editor publishes; nil when
	// the searcher cannot be (the binary's background sync catches up).
	index liveIndex
	// tuner takes synonyms and best bets; nil when the searcher has none.
	tuner      tunable
	previewKey []byte
	insights   *public.Insights
	// exported is the published catalogue of one version, the base every
	// validation puts the edited entry into.
	exported atomic.Pointer[exportedCatalogue]
}

// liveIndex is a search index that can catch up with the catalogue in
// place (*search.Index).
type liveIndex interface {
	CatchUp(ctx context.Context, src search.ChangeSource) error
}

// tunable is a search index that takes synonyms and best bets.
type tunable interface {
	SetTuning(t *search.Tuning)
}

// previewSecret names the key of shareable preview links in the database.
const previewSecret = "editor.preview"

// Handler serves the content editors' back office.
type Handler struct {
	*web.Shared
	store  catalogue.Store
	public *public.Handler
	engine *web.Engine
	ed     *editing
	// The back office's parts besides the entries themselves.
	prev    *previews
	quality *searchQuality
	bulk    *bulk
	alerts  *alertDesk
	// BusinessPlan renders the business permit finder's plan of a draft
	// business type in cat, for its preview; the finder pages provide it.
	BusinessPlan func(c *fiber.Ctx, cat *catalogue.Catalogue, b *catalogue.BusinessType) (any, web.Page, error)
}

// New returns the editors' back office on db, the editorial tables beside
// the catalogue. search is updated in place when an editor publishes, when
// it can be; pub builds previews the way the public pages look.
func New(ctx context.Context, sh *web.Shared, store catalogue.Store, db editorial.Store, searcher search.Searcher, pub *public.Handler, engine *web.Engine, insights *public.Insights) (*Handler, error) {
	ed := &editing{db: db, insights: insights}
	ed.index, _ = searcher.(liveIndex)
	ed.tuner, _ = searcher.(tunable)
	key, err := db.Secret(ctx, previewSecret)
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	ed.previewKey = key
	s := &Handler{Shared: sh, store: store, public: pub, engine: engine, ed: ed}
	s.prev, s.quality, s.bulk, s.alerts = &previews{s}, &searchQuality{s}, &bulk{s}, &alertDesk{s}
	if err := s.quality.reloadTuning(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Routes mounts the back office under /editor behind editorOnly, with the
// shareable previews; publisherOnly guards what only administrators do.
func (s *Handler) Routes(r fiber.Router, editorOnly, publisherOnly fiber.Handler) {
	r.Get("/preview/:token", s.prev.previewShow)
	ed := r.Group("/editor", editorOnly)
	ed.Get("/", s.editorIndex)
	ed.Get("/reviews", s.editorReviews)
	ed.Get("/search", s.quality.editorSearch)
	ed.Post("/search/synonyms", s.quality.editorSynonymSave)
	ed.Post("/search/synonyms/:id/delete", s.quality.editorSynonymDelete)
	ed.Post("/search/best-bets", s.quality.editorBestBetSave)
	ed.Post("/search/best-bets/delete", s.quality.editorBestBetDelete)
	ed.Get("/alerts", s.alerts.alertIndex)
	ed.Get("/alerts/new", s.alerts.alertNew)
	ed.Post("/alerts/new", s.alerts.alertCreate)
	ed.Get("/alerts/:id", s.alerts.alertEdit)
	ed.Post("/alerts/:id", s.alerts.alertSave)
	ed.Post("/alerts/:id/end", s.alerts.alertEnd)
	ed.Post("/alerts/:id/delete", s.alerts.alertDelete)
	ed.Get("/feedback", s.editorFeedback)
	ed.Get("/duplicates", s.editorDuplicates)
	ed.Get("/audit", s.editorAudit)
	ed.Get("/import", s.bulk.editorImportShow)
	ed.Post("/import", publisherOnly, s.bulk.editorImport)
	ed.Get("/export.json", s.bulk.editorExportJSON)
	ed.Get("/export.csv", s.bulk.editorExportCSV)
	ed.Get("/create/:kind", s.entryNew)
	ed.Post("/create/:kind", s.entryCreate)
	ed.Get("/entries/:kind/:slug", s.entryShow)
	ed.Post("/entries/:kind/:slug", s.entrySave)
	ed.Post("/entries/:kind/:slug/publish", publisherOnly, s.entryPublish)
	ed.Post("/entries/:kind/:slug/archive", publisherOnly, s.entryArchive)
	ed.Post("/entries/:kind/:slug/discard", s.entryDiscard)
	ed.Post("/entries/:kind/:slug/review", s.entryReview)
	ed.Post("/entries/:kind/:slug/duplicate", s.entryDuplicate)
	ed.Get("/entries/:kind/:slug/preview", s.prev.entryPreview)
	ed.Post("/entries/:kind/:slug/preview-link", s.prev.entryPreviewLink)
	ed.Get("/entries/:kind/:slug/revisions", s.entryRevisions)
	ed.Get("/entries/:kind/:slug/diff", s.entryDiff)
	ed.Post("/entries/:kind/:slug/revisions/:rev/restore", s.entryRestore)
}

func canPublish(v *web.Viewer) bool { return v.Has(web.RoleAdmin) }

// actor is how the audit log names the signed-in person.
func actor(c *fiber.Ctx) string {
	v := web.ViewerOf(c)
	if v == nil {
		return "unknown"
	}
	if v.Email != "" {
		return v.Name + " <" + v.Email + ">"
	}
	return v.Name
}

// editorPage is embedded in every editor page's data.
type editorPage struct {
	web.Page
	Publisher bool   // the viewer may publish
	Flash     string // what the last action did, already translated
	Nav       []navItem
}

type navItem struct {
	URL, Label string
	Current    bool
}

func (s *Handler) newEditorPage(c *fiber.Ctx, titleKey, current string) editorPage {
	p := editorPage{Page: web.NewPage(c, titleKey), Publisher: canPublish(web.ViewerOf(c))}
	if f := c.Query("done"); f != "" && web.SiteOf(c) != nil && web.SiteOf(c).Translator.Has("editor.done."+f) {
		p.Flash = web.T(c, "editor.done."+f, "Number", c.Query("n"))
	}
	for _, n := range []struct{ url, key string }{
		{"/editor", "editor.nav.entries"}, {"/editor/reviews", "editor.nav.reviews"},
		{"/editor/search", "editor.nav.search"}, {alertsURL, "editor.nav.alerts"}, {"/editor/feedback", "editor.nav.feedback"},
		{"/editor/duplicates", "editor.nav.duplicates"}, {"/editor/import", "editor.nav.import"},
		{"/editor/audit", "editor.nav.audit"},
	} {
		p.Nav = append(p.Nav, navItem{URL: n.url, Label: web.T(c, n.key), Current: n.url == current})
	}
	return p
}

type exportedCatalogue struct {
	version int64
	c       *catalogue.Catalogue
}

// published returns the published catalogue, read once per version.
func (s *Handler) published(ctx context.Context) (*catalogue.Catalogue, error) {
	v, err := s.store.Version(ctx)
	if err != nil {
		return nil, err
	}
	if e := s.ed.exported.Load(); e != nil && e.version == v {
		return e.c, nil
	}
	c, err := s.store.Export(ctx)
	if err != nil {
		return nil, err
	}
	// A publish between reading v and exporting makes c newer than v;
	// the next call then exports again, which is only slower.
	s.ed.exported.Store(&exportedCatalogue{version: v, c: c})
	return c, nil
}

// withEntry returns a copy of the published catalogue with entry put in
// place of oldSlug (or of its own slug), and the entry's JSON path.
func (s *Handler) withEntry(ctx context.Context, entry any, oldSlug string) (*catalogue.Catalogue, string, error) {
	pub, err := s.published(ctx)
	if err != nil {
		return nil, "", err
	}
	c := *pub
	c.Services = slices.Clone(pub.Services)
	c.Topics = slices.Clone(pub.Topics)
	c.Departments = slices.Clone(pub.Departments)
	c.LifeEvents = slices.Clone(pub.LifeEvents)
	c.Journeys = slices.Clone(pub.Journeys)
	c.BusinessTypes = slices.Clone(pub.BusinessTypes)
	path, err := c.Put(entry, oldSlug)
	return &c, path, err
}

// SyncPublished brings the search index and the directory up to the
// catalogue's version, before the publisher's page answers: what makes a
// publish visible in search, the API and the sitemap at once. started is
// when the publish began, for the log.
func (s *Handler) SyncPublished(ctx context.Context, started time.Time) error {
	if s.ed.index != nil {
		if err := s.ed.index.CatchUp(ctx, s.store); err != nil {
			return err
		}
	}
	if err := s.Reload(ctx); err != nil {
		return err
	}
	s.Log.Info("publish is live: searchable and in the directory", "took", time.Since(started), "version", s.Directory().Version)
	return nil
}

// redirectDone sends the editor to path with a message about what was done.
func redirectDone(c *fiber.Ctx, path, done string, n int64) error {
	u, _ := url.Parse(path)
	q := u.Query()
	q.Set("done", done)
	if n != 0 {
		q.Set("n", fmt.Sprint(n))
	}
	u.RawQuery = q.Encode()
	return c.Redirect(u.String(), fiber.StatusSeeOther)
}

// EntryURL is the editor page of an entry.
func EntryURL(kind, slug string) string {
	return "/editor/entries/" + url.PathEscape(kind) + "/" + url.PathEscape(slug)
}

// isConflict reports a *editorial.ConflictError.
func isConflict(err error) (*editorial.ConflictError, bool) {
	var ce *editorial.ConflictError
	ok := errors.As(err, &ce)
	return ce, ok
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// previews are the editor's previews of drafts and the shareable preview
// links (editor_entry_preview.go).
type previews struct{ *Handler }

// at writes a time on the editor's pages as every other page does: in the
// council's time zone and the reader's language.
func (s *Handler) at(c *fiber.Ctx, t time.Time) string { return s.DateTime(web.LangOf(c), t) }

// searchQuality is the search quality page: insights, synonyms and best
// bets (editor_search.go).
type searchQuality struct{ *Handler }

// bulk is importing and exporting the catalogue (editor_import.go).
type bulk struct{ *Handler }

// Previews signs and checks shareable preview links.
func (s *Handler) Previews() *previews { return s.prev }
