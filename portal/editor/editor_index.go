package editor

import (
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/web"
)

// editorIndexPage is templates/editor/index.html: every entry, filtered.
type editorIndexPage struct {
	editorPage
	Filter      editorFilter
	Kinds       []edOption
	Topics      []edOption
	Depts       []edOption
	States      []edOption
	LangOptions []edOption
	Rows        []entryRow
	Total       int
	Shown       int
	NewURLs     []navItem
}

type editorFilter struct {
	Kind, Topic, Department, Status, Missing, Query string
	Overdue                                         bool
}

type entryRow struct {
	Kind, Slug, Title, URL string
	KindLabel              string
	Status                 string // translated
	StatusKey              string // published, archived, draft, in_review, new
	Draft                  string // translated draft state, "" when none
	Missing                []string
	ReviewBy               string
	Overdue                bool
	Owner                  string
}

// maxRows bounds one listing page; the filters narrow it down.
const maxRows = 500

// entryStatus is where an entry stands, for the list and its filter.
func entryStatus(l editorial.Listing) string {
	switch {
	case l.Draft != nil && l.Draft.DraftStatus == editorial.StatusInReview:
		return editorial.StatusInReview
	case l.Draft != nil && !l.Published && !l.Archived:
		return "new"
	case l.Draft != nil:
		return editorial.StatusDraft
	case l.Archived:
		return editorial.StatusArchived
	}
	return editorial.StatusPublished
}

func (s *Handler) editorIndex(c *fiber.Ctx) error {
	d := s.Directory()
	p := editorIndexPage{editorPage: s.newEditorPage(c, "editor.title", "/editor")}
	f := editorFilter{
		Kind: c.Query("kind", catalogue.KindService), Topic: c.Query("topic"), Department: c.Query("department"),
		Status: c.Query("status"), Missing: c.Query("missing"), Query: strings.ToLower(strings.TrimSpace(c.Query("q"))),
		Overdue: c.Query("overdue") != "",
	}
	if !catalogue.ValidKind(f.Kind) {
		f.Kind = catalogue.KindService
	}
	p.Filter = f
	T := s.editorT(c)
	for _, k := range catalogue.Kinds {
		p.Kinds = append(p.Kinds, edOption{ID: "kind-" + k, Value: k, Label: T("editor.kind." + k), Selected: k == f.Kind})
		p.NewURLs = append(p.NewURLs, navItem{URL: "/editor/create/" + k, Label: T("editor.create.new", "Kind", T("editor.kind."+k))})
	}
	p.Topics = []edOption{{Value: "", Label: T("editor.filter.any")}}
	for _, t := range d.Topics {
		title, _ := t.Title.In(p.Lang, d.DefaultLang)
		p.Topics = append(p.Topics, edOption{Value: t.Slug, Label: title, Selected: t.Slug == f.Topic})
	}
	p.Depts = []edOption{{Value: "", Label: T("editor.filter.any")}}
	for _, dp := range d.Departments {
		n, _ := dp.Name.In(p.Lang, d.DefaultLang)
		p.Depts = append(p.Depts, edOption{Value: dp.Slug, Label: n, Selected: dp.Slug == f.Department})
	}
	p.States = []edOption{{Value: "", Label: T("editor.filter.any")}}
	for _, st := range []string{editorial.StatusPublished, editorial.StatusDraft, editorial.StatusInReview, "new", editorial.StatusArchived} {
		p.States = append(p.States, edOption{Value: st, Label: T("editor.status." + st), Selected: st == f.Status})
	}
	p.LangOptions = []edOption{{Value: "", Label: T("editor.filter.any")}}
	for _, l := range d.Authority.Languages {
		if l != d.DefaultLang {
			p.LangOptions = append(p.LangOptions, edOption{Value: l, Label: web.LanguageName(l), Selected: l == f.Missing})
		}
	}

	list, err := s.ed.db.Listings(c.UserContext())
	if err != nil {
		return err
	}
	now := time.Now()
	for _, l := range list {
		if l.Kind != f.Kind {
			continue
		}
		p.Total++
		st := entryStatus(l)
		overdue := !l.Review.ReviewBy.IsZero() && l.Review.ReviewBy.Before(now)
		title, _ := l.Title.In(p.Lang, d.DefaultLang)
		var missing []string
		for _, lang := range d.Authority.Languages {
			if strings.TrimSpace(l.Title[lang]) == "" || slices.Contains(l.Untranslated, lang) {
				missing = append(missing, lang)
			}
		}
		switch {
		case f.Topic != "" && l.Topic != f.Topic,
			f.Department != "" && l.Department != f.Department,
			f.Status != "" && st != f.Status,
			f.Missing != "" && !slices.Contains(missing, f.Missing),
			f.Overdue && !overdue,
			f.Query != "" && !strings.Contains(strings.ToLower(title+" "+l.Slug), f.Query):
			continue
		}
		p.Shown++
		if len(p.Rows) >= maxRows {
			continue
		}
		row := entryRow{Kind: l.Kind, Slug: l.Slug, Title: title, URL: EntryURL(l.Kind, l.Slug), KindLabel: T("editor.kind." + l.Kind),
			StatusKey: st, Status: T("editor.status." + st), Missing: missing, Overdue: overdue, Owner: l.Review.Owner}
		if l.Draft != nil {
			row.Draft = T("editor.status."+l.Draft.DraftStatus) + " · " + l.Draft.UpdatedBy
		}
		if !l.Review.ReviewBy.IsZero() {
			row.ReviewBy = l.Review.ReviewBy.Format(time.DateOnly)
		}
		p.Rows = append(p.Rows, row)
	}
	return web.Render(c, "editor/index", p)
}

// reviewsPage is templates/editor/reviews.html: what needs a publisher or a
// content check.
type reviewsPage struct {
	editorPage
	Sections []reviewSection
	NoDate   int
}

type reviewSection struct {
	ID, Heading string
	Rows        []entryRow
}

// dueSoon is how far ahead the dashboard looks for review dates.
const dueSoon = 30 * 24 * time.Hour

func (s *Handler) editorReviews(c *fiber.Ctx) error {
	d := s.Directory()
	p := reviewsPage{editorPage: s.newEditorPage(c, "editor.reviews.title", "/editor/reviews")}
	var inReview, overdue, soon []entryRow
	T := s.editorT(c)
	list, err := s.ed.db.Listings(c.UserContext())
	if err != nil {
		return err
	}
	now := time.Now()
	for _, l := range list {
		title, _ := l.Title.In(p.Lang, d.DefaultLang)
		st := entryStatus(l)
		row := entryRow{Kind: l.Kind, Slug: l.Slug, Title: title, URL: EntryURL(l.Kind, l.Slug), KindLabel: T("editor.kind." + l.Kind),
			StatusKey: st, Status: T("editor.status." + st), Owner: l.Review.Owner}
		if l.Draft != nil {
			row.Draft = l.Draft.Reason
		}
		if !l.Review.ReviewBy.IsZero() {
			row.ReviewBy = l.Review.ReviewBy.Format(time.DateOnly)
		}
		if st == editorial.StatusInReview {
			inReview = append(inReview, row)
		}
		if l.Archived {
			continue
		}
		switch by := l.Review.ReviewBy; {
		case by.IsZero():
			if l.Published {
				p.NoDate++
			}
		case by.Before(now):
			row.Overdue = true
			overdue = append(overdue, row)
		case by.Before(now.Add(dueSoon)):
			soon = append(soon, row)
		}
	}
	byDate := func(a, b entryRow) int { return strings.Compare(a.ReviewBy, b.ReviewBy) }
	slices.SortFunc(overdue, byDate)
	slices.SortFunc(soon, byDate)
	p.Sections = []reviewSection{
		{ID: "in-review", Heading: T("editor.reviews.in_review", "N", len(inReview)), Rows: inReview},
		{ID: "overdue", Heading: T("editor.reviews.overdue_heading", "N", len(overdue)), Rows: overdue},
		{ID: "due-soon", Heading: T("editor.reviews.due_soon", "N", len(soon)), Rows: soon},
	}
	return web.Render(c, "editor/reviews", p)
}
