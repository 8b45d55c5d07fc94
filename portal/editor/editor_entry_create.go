package editor

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/web"
)

// createPage is templates/editor/create.html: a new entry starts with its
// slug and title; the editor then opens with everything else.
type createPage struct {
	editorPage
	Kind, KindLabel string
	Action          string
	Groups          []edGroup
	Problems        []web.FormProblem
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (s *Handler) createGroups(c *fiber.Ctx, kind string, v map[string]string) []edGroup {
	T := s.editorT(c)
	d := s.Directory()
	g := edGroup{ID: "group-create", Legend: T("editor.create.legend"), Fields: []edField{
		{ID: fieldID("slug"), Name: "slug", Label: T("editor.field.slug"), Hint: T("editor.hint.slug"), Type: "text", Value: v["slug"]},
		{ID: fieldID("title"), Name: "title", Label: T("editor.create.title_in", "Lang", web.LanguageName(d.DefaultLang)), Type: "text", Value: v["title"]},
	}}
	if kind == catalogue.KindService {
		var topics, departments []edOption
		topics = append(topics, edOption{Value: "", Label: T("editor.choose")})
		departments = append(departments, edOption{Value: "", Label: T("editor.choose")})
		for _, t := range d.Topics {
			title, _ := t.Title.In(web.LangOf(c), d.DefaultLang)
			topics = append(topics, edOption{Value: t.Slug, Label: title})
		}
		for _, dp := range d.Departments {
			n, _ := dp.Name.In(web.LangOf(c), d.DefaultLang)
			departments = append(departments, edOption{Value: dp.Slug, Label: n})
		}
		g.Fields = append(g.Fields, selectField("topic", T("editor.field.topic"), v["topic"], topics),
			selectField("department", T("editor.field.department"), v["department"], departments))
	}
	return []edGroup{g}
}

// entryNew shows the form that starts a new entry.
func (s *Handler) entryNew(c *fiber.Ctx) error {
	kind := c.Params("kind")
	if !catalogue.ValidKind(kind) {
		return fiber.ErrNotFound
	}
	p := createPage{editorPage: s.newEditorPage(c, "editor.create.title", "/editor"), Kind: kind,
		KindLabel: web.T(c, "editor.kind."+kind), Action: "/editor/create/" + kind, Groups: s.createGroups(c, kind, nil)}
	return web.Render(c, "editor/create", p)
}

// entryCreate saves the first revision of a new entry as a draft.
func (s *Handler) entryCreate(c *fiber.Ctx) error {
	kind := c.Params("kind")
	if !catalogue.ValidKind(kind) {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	v := map[string]string{}
	for _, k := range []string{"slug", "title", "topic", "department"} {
		v[k] = strings.TrimSpace(c.FormValue(k))
	}
	var probs []catalogue.Problem
	if msg := s.slugProblem(ctx, c, kind, v["slug"]); msg != "" {
		probs = append(probs, catalogue.Problem{Path: "slug", Message: msg})
	}
	if v["title"] == "" {
		probs = append(probs, catalogue.Problem{Path: "title", Message: web.T(c, "editor.error.title")})
	}
	if kind == catalogue.KindService && v["topic"] == "" {
		probs = append(probs, catalogue.Problem{Path: "topic", Message: web.T(c, "editor.error.topic")})
	}
	if kind == catalogue.KindService && v["department"] == "" {
		probs = append(probs, catalogue.Problem{Path: "department", Message: web.T(c, "editor.error.department")})
	}
	if len(probs) > 0 {
		p := createPage{editorPage: s.newEditorPage(c, "editor.create.title", "/editor"), Kind: kind,
			KindLabel: web.T(c, "editor.kind."+kind), Action: "/editor/create/" + kind, Groups: s.createGroups(c, kind, v)}
		p.Problems = placeProblems(p.Groups, probs)
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "editor/create", p)
	}
	def := s.Directory().DefaultLang
	title := catalogue.Text{def: v["title"]}
	var entry any
	switch kind {
	case catalogue.KindService:
		entry = &catalogue.Service{Slug: v["slug"], Topic: v["topic"], Department: v["department"],
			Audience: []string{catalogue.AudienceResident}, LifeEvents: []string{}, Channels: []string{catalogue.ChannelInPerson},
			Keywords: catalogue.TextList{def: {}}, Documents: catalogue.TextList{def: {}}, Steps: catalogue.TextList{def: {}},
			Title: title, Summary: catalogue.Text{def: ""}, Description: catalogue.Text{def: ""}, Related: []string{}}
	case catalogue.KindTopic:
		entry = &catalogue.Topic{Slug: v["slug"], Title: title}
	case catalogue.KindDepartment:
		entry = &catalogue.Department{Slug: v["slug"], Name: title}
	case catalogue.KindLifeEvent:
		entry = &catalogue.LifeEvent{Slug: v["slug"], Audience: catalogue.AudienceResident, Title: title}
	case catalogue.KindJourney:
		entry = &catalogue.Journey{Slug: v["slug"], Audience: catalogue.AudienceResident, Title: title, Steps: []catalogue.JourneyStep{}}
	case catalogue.KindBusinessType:
		entry = &catalogue.BusinessType{Slug: v["slug"], Title: title, Questions: []catalogue.BusinessQuestion{}, Steps: []catalogue.BusinessStep{}}
	}
	return s.saveNewEntry(c, kind, v["slug"], entry, "created")
}

// slugProblem says what is wrong with a new entry's slug, "" when nothing.
func (s *Handler) slugProblem(ctx context.Context, c *fiber.Ctx, kind, slug string) string {
	if !slugPattern.MatchString(slug) {
		return web.T(c, "editor.error.slug")
	}
	taken := false
	if _, _, err := s.ed.db.PublishedDoc(ctx, kind, slug); err == nil {
		taken = true
	}
	if _, err := s.ed.db.Draft(ctx, kind, slug); err == nil {
		taken = true
	}
	if taken {
		return web.T(c, "editor.error.slug_taken", "Slug", slug)
	}
	return ""
}

func (s *Handler) saveNewEntry(c *fiber.Ctx, kind, slug string, entry any, note string) error {
	doc, err := json.Marshal(entry)
	if err != nil {
		return err
	}
	_, err = s.ed.db.SaveDraft(c.UserContext(), editorial.SaveRequest{Kind: kind, Slug: slug, Doc: doc, Author: actor(c), Status: editorial.StatusDraft, Note: note})
	if errors.Is(err, catalogue.ErrConflict) {
		return web.NewError(fiber.StatusConflict, "editor.error.slug_taken", err)
	}
	if err != nil {
		return err
	}
	return redirectDone(c, EntryURL(kind, slug), "created", 0)
}

// entryDuplicate starts a new entry as a copy of this one, under a new slug.
func (s *Handler) entryDuplicate(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if !catalogue.ValidKind(kind) {
		return fiber.ErrNotFound
	}
	st, err := s.loadEntry(c.UserContext(), kind, slug)
	if err != nil {
		return err
	}
	newSlug := strings.TrimSpace(c.FormValue("new_slug"))
	if msg := s.slugProblem(c.UserContext(), c, kind, newSlug); msg != "" {
		return web.NewError(fiber.StatusUnprocessableEntity, "editor.error.duplicate_slug", errors.New(msg))
	}
	var m map[string]any
	if err := json.Unmarshal(st.Doc, &m); err != nil {
		return err
	}
	m["slug"] = newSlug
	doc, _ := json.Marshal(m)
	entry, err := catalogue.DecodeEntry(kind, doc)
	if err != nil {
		return err
	}
	return s.saveNewEntry(c, kind, newSlug, entry, web.T(c, "editor.note.copied", "Slug", slug))
}
