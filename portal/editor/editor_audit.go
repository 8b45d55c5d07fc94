package editor

import (
	"github.com/gofiber/fiber/v2"

	"sportello/editorial"
	"sportello/portal/web"
)

// auditPage is templates/editor/audit.html: every change to the catalogue.
type auditPage struct {
	editorPage
	Kind, Slug string
	Entries    []auditRow
}

type auditRow struct {
	editorial.AuditEntry
	When string
	URL  string
}

func (s *Handler) editorAudit(c *fiber.Ctx) error {
	p := auditPage{editorPage: s.newEditorPage(c, "editor.audit.title", "/editor/audit"), Kind: c.Query("kind"), Slug: c.Query("slug")}
	log, err := s.ed.db.Audit(c.UserContext(), editorial.AuditFilter{Kind: p.Kind, Slug: p.Slug, Limit: 500})
	if err != nil {
		return err
	}
	for _, e := range log {
		r := auditRow{AuditEntry: e, When: s.at(c, e.At)}
		if e.Kind != "" && e.Slug != "" {
			r.URL = EntryURL(e.Kind, e.Slug)
		}
		p.Entries = append(p.Entries, r)
	}
	return web.Render(c, "editor/audit", p)
}
