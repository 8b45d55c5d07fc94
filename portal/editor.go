package portal

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
	"sportello/portal/auth"
	"sportello/portal/web"
	"sportello/search"
)

// editing is what the content editors' pages (editor_*.go), page feedback
// (feedback_*.go) and search insights need besides the public site: the
// editorial store and ways to update the search index in place. It is nil
// without Deps.Editorial; the pages then answer 404.
type editing struct {
	db editorial.Store
	// index catches up synchronously when an editor publishes; nil when
	// the searcher cannot (the binary's background sync catches up).
	index liveIndex
	// tuner takes synonyms and best bets; nil when the searcher has none.
	tuner      tunable
	previewKey []byte
	insights   *insights
	// exported is the published catalogue of one version, the base every
	// validation puts the edited entry into.
	exported atomic.Pointer[exportedCatalogue]
	// feedbackLimit limits page feedback per client address.
	feedbackLimit fiber.Handler
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

func (s *Server) initEditor(ctx context.Context, deps Deps) error {
	db := deps.Editorial
	if db == nil {
		s.log.Info("content editing is off: no editorial store")
		return nil
	}
	ed := &editing{db: db, feedbackLimit: newFeedbackLimiter()}
	ed.index, _ = deps.Search.(liveIndex)
	ed.tuner, _ = deps.Search.(tunable)
	key, err := db.Secret(ctx, previewSecret)
	if err != nil {
		return fmt.Errorf("portal: %w", err)
	}
	ed.previewKey = key
	ed.insights = newInsights(db, s.log)
	s.ed = ed
	return s.reloadTuning(ctx)
}

// editorOnly lets through signed-in editors and publishers. Anonymous
// visitors are sent to sign in; others get a 403 page.
func (s *Server) editorOnly(c *fiber.Ctx) error {
	if s.ed == nil {
		return fiber.ErrNotFound
	}
	v := viewer(c)
	if v == nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Redirect(auth.LoginURL(c.OriginalURL(), ""), fiber.StatusSeeOther)
	}
	if !v.Has(web.RoleEditor) && !v.Has(web.RoleAdmin) {
		return web.NewError(fiber.StatusForbidden, "auth.error.role", nil)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// publisherOnly lets through the people who may publish: admins.
func (s *Server) publisherOnly(c *fiber.Ctx) error {
	if !canPublish(viewer(c)) {
		return web.NewError(fiber.StatusForbidden, "editor.error.publisher", nil)
	}
	return c.Next()
}

func canPublish(v *web.Viewer) bool { return v.Has(web.RoleAdmin) }

func viewer(c *fiber.Ctx) *web.Viewer {
	v, _ := c.Locals(web.LocalViewer).(*web.Viewer)
	return v
}

// actor is how the audit log names the signed-in person.
func actor(c *fiber.Ctx) string {
	v := viewer(c)
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

func (s *Server) newEditorPage(c *fiber.Ctx, titleKey, current string) editorPage {
	p := editorPage{Page: web.NewPage(c, titleKey), Publisher: canPublish(viewer(c))}
	if f := c.Query("done"); f != "" && web.SiteOf(c) != nil && web.SiteOf(c).Translator.Has("editor.done."+f) {
		p.Flash = web.T(c, "editor.done."+f, "Number", c.Query("n"))
	}
	for _, n := range []struct{ url, key string }{
		{"/editor", "editor.nav.entries"}, {"/editor/reviews", "editor.nav.reviews"},
		{"/editor/search", "editor.nav.search"}, {"/editor/feedback", "editor.nav.feedback"},
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
func (s *Server) published(ctx context.Context) (*catalogue.Catalogue, error) {
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
func (s *Server) withEntry(ctx context.Context, entry any, oldSlug string) (*catalogue.Catalogue, string, error) {
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
	path, err := c.Put(entry, oldSlug)
	return &c, path, err
}

// syncPublished brings the search index and the directory up to the
// catalogue's version, before the publisher's page answers: what makes a
// publish visible in search, the API and the sitemap at once. started is
// when the publish began, for the log.
func (s *Server) syncPublished(ctx context.Context, started time.Time) error {
	if s.ed.index != nil {
		if err := s.ed.index.CatchUp(ctx, s.store); err != nil {
			return err
		}
	}
	if err := s.Reload(ctx); err != nil {
		return err
	}
	s.log.Info("publish is live: searchable and in the directory", "took", time.Since(started), "version", s.directory().Version)
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

// entryURL is the editor page of an entry.
func entryURL(kind, slug string) string {
	return "/editor/entries/" + url.PathEscape(kind) + "/" + url.PathEscape(slug)
}

// isConflict reports a *editorial.ConflictError.
func isConflict(err error) (*editorial.ConflictError, bool) {
	var ce *editorial.ConflictError
	ok := errors.As(err, &ce)
	return ce, ok
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
