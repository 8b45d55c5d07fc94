package editor

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

// duplicatesPage is templates/editor/duplicates.html: pairs of published
// services that read alike.
type duplicatesPage struct {
	editorPage
	Pairs []duplicatePair
}

type duplicatePair struct {
	A, B    duplicateView
	Percent int
}

func (s *Handler) editorDuplicates(c *fiber.Ctx) error {
	p := duplicatesPage{editorPage: s.newEditorPage(c, "editor.duplicates.title", "/editor/duplicates")}
	pub, err := s.published(c.UserContext())
	if err != nil {
		return err
	}
	d := s.Directory()
	view := func(slug string) duplicateView {
		v := duplicateView{Slug: slug, Title: slug, URL: EntryURL(catalogue.KindService, slug)}
		if sum, ok := d.ServiceOf[slug]; ok {
			v.Title, _ = sum.Title.In(p.Lang, d.DefaultLang)
		}
		return v
	}
	for _, dup := range catalogue.LikelyDuplicates(pub.Services, d.DefaultLang, d.DefaultLang) {
		p.Pairs = append(p.Pairs, duplicatePair{A: view(dup.A), B: view(dup.B), Percent: int(dup.Score*100 + 0.5)})
	}
	return web.Render(c, "editor/duplicates", p)
}
