package editor

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/web"
)

// revisionsPage is templates/editor/revisions.html: every save of an
// entry, a form to compare any two, and the comparison when asked for.
type revisionsPage struct {
	editorPage
	Kind, Slug string
	EditURL    string
	DiffURL    string
	Revisions  []revisionRow
	Base       int64 // the newest revision: what a restore saves over
	// A and B are the compared revisions (0: the published version).
	A, B     int64
	Compared bool
	Changes  []fieldChange
}

type revisionRow struct {
	revisionView
	RestoreURL string
	Published  bool
}

func (s *Handler) revisionsData(c *fiber.Ctx) (revisionsPage, error) {
	kind, slug := c.Params("kind"), c.Params("slug")
	if !catalogue.ValidKind(kind) {
		return revisionsPage{}, fiber.ErrNotFound
	}
	revs, err := s.ed.db.Revisions(c.UserContext(), kind, slug)
	if err != nil {
		return revisionsPage{}, err
	}
	_, _, pubErr := s.ed.db.PublishedDoc(c.UserContext(), kind, slug)
	if len(revs) == 0 && pubErr != nil {
		return revisionsPage{}, catalogue.ErrNotFound
	}
	p := revisionsPage{
		editorPage: s.newEditorPage(c, "editor.revisions.title", "/editor"),
		Kind:       kind, Slug: slug, EditURL: EntryURL(kind, slug), DiffURL: EntryURL(kind, slug) + "/diff",
	}
	p.Base, err = s.ed.db.NewestRevision(c.UserContext(), kind, slug)
	if err != nil {
		return p, err
	}
	for _, r := range revs {
		p.Revisions = append(p.Revisions, revisionRow{revisionView: s.newRevisionView(c, r),
			RestoreURL: EntryURL(kind, slug) + "/revisions/" + itoa64(r.Number) + "/restore"})
	}
	if pubErr == nil {
		p.Revisions = append(p.Revisions, revisionRow{revisionView: revisionView{Status: "published_now", URL: EntryURL(kind, slug) + "/diff?b=0"}, Published: true})
	}
	return p, nil
}

// entryRevisions lists the revisions of an entry.
func (s *Handler) entryRevisions(c *fiber.Ctx) error {
	p, err := s.revisionsData(c)
	if err != nil {
		return err
	}
	if len(p.Revisions) > 1 {
		p.A, p.B = p.Revisions[1].Number, p.Revisions[0].Number
	}
	return web.Render(c, "editor/revisions", p)
}

// entryDiff compares two revisions field by field; 0 stands for the
// published version. Without a, b is compared with the revision before it.
func (s *Handler) entryDiff(c *fiber.Ctx) error {
	p, err := s.revisionsData(c)
	if err != nil {
		return err
	}
	p.B, _ = strconv.ParseInt(c.Query("b"), 10, 64)
	if a := c.Query("a"); a != "" {
		p.A, _ = strconv.ParseInt(a, 10, 64)
	} else {
		p.A = max(p.B-1, 0)
	}
	docA, err := s.revisionDoc(c, p.Kind, p.Slug, p.A)
	if err != nil {
		return err
	}
	docB, err := s.revisionDoc(c, p.Kind, p.Slug, p.B)
	if err != nil {
		return err
	}
	if p.Changes, err = diffDocs(docA, docB); err != nil {
		return err
	}
	p.Compared = true
	return web.Render(c, "editor/revisions", p)
}

// revisionDoc returns revision n's document, the published one for 0.
func (s *Handler) revisionDoc(c *fiber.Ctx, kind, slug string, n int64) ([]byte, error) {
	if n == 0 {
		doc, _, err := s.ed.db.PublishedDoc(c.UserContext(), kind, slug)
		if errors.Is(err, catalogue.ErrNotFound) {
			return nil, nil // a new entry: everything is added
		}
		return doc, err
	}
	r, err := s.ed.db.Revision(c.UserContext(), kind, slug, n)
	return r.Doc, err
}

// entryRestore saves an old revision again as the newest draft.
func (s *Handler) entryRestore(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if !catalogue.ValidKind(kind) {
		return fiber.ErrNotFound
	}
	n, err := strconv.ParseInt(c.Params("rev"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	r, err := s.ed.db.Revision(c.UserContext(), kind, slug, n)
	if err != nil {
		return err
	}
	base, _ := strconv.ParseInt(c.FormValue("base_revision"), 10, 64)
	rev, err := s.ed.db.SaveDraft(c.UserContext(), editorial.SaveRequest{
		Kind: kind, Slug: slug, Base: base, Doc: r.Doc, Author: actor(c), Status: editorial.StatusDraft,
		Note: web.T(c, "editor.note.restored", "Number", n),
	})
	if ce, ok := isConflict(err); ok {
		return s.renderConflict(c, ce)
	}
	if err != nil {
		return err
	}
	return redirectDone(c, EntryURL(kind, slug), "restored", rev.Number)
}
