package editor

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/web"
)

// reviewPeriod is how long published content stays good before it must be
// checked again, by default.
const reviewPeriod = 12 // months

// refusedPage is templates/editor/refused.html: why a publish or an archive
// was refused, with every broken link and problem listed.
type refusedPage struct {
	editorPage
	Heading  string
	EditURL  string
	Broken   []brokenLink
	Problems []web.FormProblem
}

// brokenLink is a link from an entry to a service that is not published.
type brokenLink struct {
	From    string // the linking entry's title
	FromURL string
	Path    string
	To      string
	Reason  string // translated: archived, or missing
}

// entryPublish publishes an entry's draft: into the catalogue tables, the
// search index and the directory (so the pages, the API and the sitemap)
// before it answers.
func (s *Handler) entryPublish(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if !catalogue.ValidKind(kind) {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	st, err := s.loadEntry(ctx, kind, slug)
	if err != nil {
		return err
	}
	if st.Draft == nil {
		return web.NewError(fiber.StatusConflict, "editor.error.no_draft", nil)
	}
	base, _ := strconv.ParseInt(c.FormValue("base_revision"), 10, 64)
	entry, err := catalogue.DecodeEntry(kind, st.Draft.Doc)
	if err != nil {
		return err
	}
	broken, err := s.brokenLinks(ctx, catalogue.ServiceLinks(entry), c)
	if err != nil {
		return err
	}
	full, path, err := s.withEntry(ctx, entry, slug)
	if err != nil {
		return err
	}
	var probs []catalogue.Problem
	for _, p := range catalogue.ProblemsAt(catalogue.Validate(full), path) {
		if !linkProblem(p, broken) {
			probs = append(probs, p)
		}
	}
	if len(broken) > 0 || len(probs) > 0 {
		p := refusedPage{editorPage: s.newEditorPage(c, "editor.refused.title", "/editor"), Heading: web.T(c, "editor.refused.publish"),
			EditURL: EntryURL(kind, slug), Broken: broken}
		for _, pr := range probs {
			p.Problems = append(p.Problems, web.FormProblem{ID: fieldID(pr.Path), Message: strings.TrimSpace(pr.Path + ": " + pr.Message)})
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "editor/refused", p)
	}
	started := time.Now()
	res, err := s.ed.db.Publish(ctx, editorial.PublishRequest{
		Kind: kind, Slug: slug, Base: base, Doc: st.Draft.Doc, Actor: actor(c),
		ReviewBy: started.AddDate(0, reviewPeriod, 0), Detail: changedFields(c, st.PublishedDoc, st.Draft.Doc),
	})
	if ce, ok := isConflict(err); ok {
		return web.NewError(fiber.StatusConflict, "editor.error.publish_conflict", ce)
	}
	if err != nil {
		return err
	}
	if err := s.SyncPublished(ctx, started); err != nil {
		return err
	}
	return redirectDone(c, EntryURL(kind, slug), "published", res.Version)
}

// linkProblem reports whether a validation problem is one of the broken
// links, listed on their own.
func linkProblem(p catalogue.Problem, broken []brokenLink) bool {
	for _, b := range broken {
		if p.Path == b.Path {
			return true
		}
	}
	return false
}

// brokenLinks returns the links that point at services not published.
func (s *Handler) brokenLinks(ctx context.Context, links []catalogue.Link, c *fiber.Ctx) ([]brokenLink, error) {
	d := s.Directory()
	var out []brokenLink
	for _, l := range links {
		if _, ok := d.ServiceOf[l.To]; ok {
			continue
		}
		reason := web.T(c, "editor.refused.missing")
		_, archived, err := s.ed.db.PublishedDoc(ctx, catalogue.KindService, l.To)
		switch {
		case err == nil && archived:
			reason = web.T(c, "editor.refused.archived")
		case err != nil && !errors.Is(err, catalogue.ErrNotFound):
			return nil, err
		}
		out = append(out, brokenLink{From: l.Slug, FromURL: EntryURL(l.Kind, l.Slug), Path: l.Path, To: l.To, Reason: reason})
	}
	return out, nil
}

// entryArchive takes a service off the public site. It is refused while
// published services or journeys link to it.
func (s *Handler) entryArchive(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if kind != catalogue.KindService {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	if _, ok := s.Directory().ServiceOf[slug]; !ok {
		return web.NewError(fiber.StatusConflict, "editor.error.not_published", nil)
	}
	pub, err := s.published(ctx)
	if err != nil {
		return err
	}
	if links := pub.LinksTo(slug); len(links) > 0 {
		p := refusedPage{editorPage: s.newEditorPage(c, "editor.refused.title", "/editor"), Heading: web.T(c, "editor.refused.archive"), EditURL: EntryURL(kind, slug)}
		for _, l := range links {
			p.Broken = append(p.Broken, brokenLink{From: l.Slug, FromURL: EntryURL(l.Kind, l.Slug), Path: l.Path, To: l.To, Reason: web.T(c, "editor.refused.would_break")})
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "editor/refused", p)
	}
	started := time.Now()
	res, err := s.ed.db.Archive(ctx, slug, actor(c), "")
	if err != nil {
		return err
	}
	if err := s.SyncPublished(ctx, started); err != nil {
		return err
	}
	return redirectDone(c, EntryURL(kind, slug), "archived", res.Version)
}

// entryDiscard deletes the draft; the published version, if any, stays.
func (s *Handler) entryDiscard(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if !catalogue.ValidKind(kind) {
		return fiber.ErrNotFound
	}
	if err := s.ed.db.DiscardDraft(c.UserContext(), kind, slug, actor(c)); err != nil {
		return err
	}
	if _, _, err := s.ed.db.PublishedDoc(c.UserContext(), kind, slug); errors.Is(err, catalogue.ErrNotFound) {
		return redirectDone(c, "/editor", "discarded", 0)
	}
	return redirectDone(c, EntryURL(kind, slug), "discarded", 0)
}

// entryReview sets an entry's owner and review date.
func (s *Handler) entryReview(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if !catalogue.ValidKind(kind) {
		return fiber.ErrNotFound
	}
	if _, err := s.loadEntry(c.UserContext(), kind, slug); err != nil {
		return err
	}
	by, err := time.Parse(time.DateOnly, strings.TrimSpace(c.FormValue("review_by")))
	if err != nil {
		return web.NewError(fiber.StatusUnprocessableEntity, "editor.error.review_date", err)
	}
	owner := strings.TrimSpace(c.FormValue("owner"))
	if len(owner) > 200 {
		owner = owner[:200]
	}
	if err := s.ed.db.SetReview(c.UserContext(), kind, slug, owner, by, actor(c)); err != nil {
		return err
	}
	return redirectDone(c, EntryURL(kind, slug), "review", 0)
}
