package editor

import (
	"github.com/gofiber/fiber/v2"

	"sportello/editorial"
	"sportello/portal/web"
)

// conflictPage is templates/editor/conflict.html: someone else saved the
// entry after the editor opened it. Both versions are shown, and the
// editor's is kept as a revision that one button makes the draft again.
type conflictPage struct {
	editorPage
	EditURL     string
	RestoreURL  string
	Theirs      revisionView
	Yours       revisionView
	Changes     []fieldChange // from theirs to yours
	CurrentBase int64
}

type revisionView struct {
	Number int64
	Status string
	Author string
	At     string
	Note   string
	URL    string
}

func (s *Handler) newRevisionView(c *fiber.Ctx, r editorial.Revision) revisionView {
	return revisionView{Number: r.Number, Status: r.Status, Author: r.Author, At: s.at(c, r.At), Note: r.Note,
		URL: EntryURL(r.Kind, r.Slug) + "/diff?b=" + itoa64(r.Number)}
}

func (s *Handler) renderConflict(c *fiber.Ctx, ce *editorial.ConflictError) error {
	cur, kept := ce.Current, ce.Kept
	changes, err := diffDocs(s.docOf(c, cur), kept.Doc)
	if err != nil {
		return err
	}
	p := conflictPage{
		editorPage: s.newEditorPage(c, "editor.conflict.title", "/editor"),
		EditURL:    EntryURL(kept.Kind, kept.Slug),
		RestoreURL: EntryURL(kept.Kind, kept.Slug) + "/revisions/" + itoa64(kept.Number) + "/restore",
		Theirs:     s.newRevisionView(c, cur), Yours: s.newRevisionView(c, kept),
		Changes: changes, CurrentBase: cur.Number,
	}
	c.Status(fiber.StatusConflict)
	return web.Render(c, "editor/conflict", p)
}

// docOf returns a revision's document; revision 0 stands for the published
// version of an entry never saved in the editor.
func (s *Handler) docOf(c *fiber.Ctx, r editorial.Revision) []byte {
	if r.Number > 0 {
		return r.Doc
	}
	doc, _, err := s.ed.db.PublishedDoc(c.UserContext(), r.Kind, r.Slug)
	if err != nil {
		return nil
	}
	return doc
}
