package editor

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/web"
)

// entryState is an entry as the editor finds it: its draft, if any, and
// its published version, if any.
type entryState struct {
	Kind, Slug   string
	Doc          []byte // the draft's document, else the published one
	Draft        *editorial.Draft
	PublishedDoc []byte
	Published    bool // published and not archived
	Archived     bool
	Base         int64 // the newest revision: what a save must name
}

func (s *Handler) loadEntry(ctx context.Context, kind, slug string) (entryState, error) {
	st := entryState{Kind: kind, Slug: slug}
	doc, archived, err := s.ed.db.PublishedDoc(ctx, kind, slug)
	switch {
	case err == nil:
		st.PublishedDoc, st.Published, st.Archived, st.Doc = doc, !archived, archived, doc
	case !errors.Is(err, catalogue.ErrNotFound):
		return st, err
	}
	d, err := s.ed.db.Draft(ctx, kind, slug)
	switch {
	case err == nil:
		st.Draft, st.Doc = &d, d.Doc
	case !errors.Is(err, catalogue.ErrNotFound):
		return st, err
	}
	if st.Doc == nil {
		return st, catalogue.ErrNotFound
	}
	st.Base, err = s.ed.db.NewestRevision(ctx, kind, slug)
	return st, err
}

// entryEditPage is templates/editor/entry_edit.html.
type entryEditPage struct {
	editorPage
	Kind, Slug    string
	KindLabel     string
	Heading       string
	Action        string
	URLs          entryURLs
	Base          int64
	Compare       string
	LangStatus    []langStatus
	State         stateView
	Groups        []edGroup
	Problems      []web.FormProblem
	Notice        string
	Markdown      template.HTML // the description, rendered, when asked for
	MarkdownLang  string
	Duplicates    []duplicateView
	Review        reviewView
	CanPublish    bool // a draft exists and the viewer may publish
	CanArchive    bool
	DraftRevision int64
}

type entryURLs struct {
	Edit, Publish, Archive, Discard, Preview, PreviewLink, Revisions, Review, Duplicate string
}

func newEntryURLs(kind, slug string) entryURLs {
	base := EntryURL(kind, slug)
	return entryURLs{Edit: base, Publish: base + "/publish", Archive: base + "/archive", Discard: base + "/discard",
		Preview: base + "/preview", PreviewLink: base + "/preview-link", Revisions: base + "/revisions",
		Review: base + "/review", Duplicate: base + "/duplicate"}
}

type langStatus struct {
	Lang, Name string
	Missing    bool
	Current    bool
	Default    bool
}

type stateView struct {
	Published, Archived bool
	DraftStatus         string // "", draft, in_review
	DraftRevision       int64
	DraftBy             string
	DraftAt             string
	Reason              string
}

type duplicateView struct {
	Slug, Title, URL string
	Percent          int
}

type reviewView struct {
	Owner    string
	ReviewBy string // YYYY-MM-DD, "" when none
	Overdue  bool
}

func (s *Handler) editorT(c *fiber.Ctx) func(string, ...any) string {
	return func(key string, pairs ...any) string { return web.T(c, key, pairs...) }
}

// entryShow opens an entry in the editor.
func (s *Handler) entryShow(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if !catalogue.ValidKind(kind) {
		return fiber.ErrNotFound
	}
	st, err := s.loadEntry(c.UserContext(), kind, slug)
	if err != nil {
		return err
	}
	entry, err := catalogue.DecodeEntry(kind, st.Doc)
	if err != nil {
		return err
	}
	d := s.Directory()
	v := codecFor(kind).values(entry, d.Authority.Languages)
	p, err := s.entryEditPage(c, st, v, c.Query("compare"))
	if err != nil {
		return err
	}
	if st.Draft != nil {
		// A saved draft shows what still stands between it and publishing.
		p.Problems = s.validateEntry(c.UserContext(), p.Groups, entry, slug)
	}
	return web.Render(c, "editor/entry_edit", p)
}

func (s *Handler) entryEditPage(c *fiber.Ctx, st entryState, v url.Values, compare string) (entryEditPage, error) {
	d := s.Directory()
	T := s.editorT(c)
	langs, def := d.Authority.Languages, d.DefaultLang
	if compare == def || (compare != "" && !slices.Contains(langs, compare)) {
		compare = ""
	}
	titleKey := "title"
	if st.Kind == catalogue.KindDepartment {
		titleKey = "name"
	}
	if compare == "" {
		// Compare with the first language the entry lacks, else the first other.
		for _, l := range langs {
			if l != def && compare == "" {
				compare = l
			}
		}
		for _, l := range langs {
			if l != def && (strings.TrimSpace(v.Get(titleKey+"."+l)) == "" || untranslated(v, def, l)) {
				compare = l
				break
			}
		}
	}
	p := entryEditPage{
		editorPage: s.newEditorPage(c, "editor.edit.title", "/editor"),
		Kind:       st.Kind, Slug: st.Slug, KindLabel: T("editor.kind." + st.Kind),
		Action: EntryURL(st.Kind, st.Slug), URLs: newEntryURLs(st.Kind, st.Slug),
		Base: st.Base, Compare: compare,
	}
	p.Heading = v.Get(titleKey + "." + def)
	if p.Heading == "" {
		p.Heading = st.Slug
	}
	p.Title = p.Heading + " – " + T("editor.title")
	for _, l := range langs {
		p.LangStatus = append(p.LangStatus, langStatus{Lang: l, Name: web.LanguageName(l), Missing: strings.TrimSpace(v.Get(titleKey+"."+l)) == "" || untranslated(v, def, l),
			Current: l == compare, Default: l == def})
	}
	p.State = stateView{Published: st.Published, Archived: st.Archived}
	if st.Draft != nil {
		p.State.DraftStatus, p.State.DraftRevision, p.State.DraftBy = st.Draft.DraftStatus, st.Draft.Number, st.Draft.UpdatedBy
		p.State.DraftAt, p.State.Reason = s.at(c, st.Draft.UpdatedAt), st.Draft.Reason
		p.DraftRevision = st.Draft.Number
		p.CanPublish = p.Publisher
	}
	p.CanArchive = p.Publisher && st.Kind == catalogue.KindService && st.Published
	p.Groups = codecFor(st.Kind).groups(s, v, d, p.Lang, compare, T)
	p.Groups = append(p.Groups, edGroup{ID: "group-meta", Fields: []edField{
		{ID: "f-base-revision", Name: "base_revision", Type: "hidden", Value: strconv.FormatInt(st.Base, 10)},
		{ID: "f-compare", Name: "compare", Type: "hidden", Value: compare},
	}})
	r, err := s.ed.db.ReviewOf(c.UserContext(), st.Kind, st.Slug)
	if err != nil {
		return p, err
	}
	if !r.ReviewBy.IsZero() {
		p.Review.ReviewBy = r.ReviewBy.Format(time.DateOnly)
		p.Review.Overdue = r.ReviewBy.Before(time.Now())
	}
	p.Review.Owner = r.Owner
	if st.Kind == catalogue.KindService && !st.Published && !st.Archived {
		if svc, err := catalogue.DecodeEntry(st.Kind, st.Doc); err == nil {
			p.Duplicates, err = s.duplicatesOf(c.UserContext(), svc.(*catalogue.Service), p.Lang)
			if err != nil {
				return p, err
			}
		}
	}
	return p, nil
}

// duplicatesOf lists the published services svc likely duplicates.
func (s *Handler) duplicatesOf(ctx context.Context, svc *catalogue.Service, lang string) ([]duplicateView, error) {
	pub, err := s.published(ctx)
	if err != nil {
		return nil, err
	}
	d := s.Directory()
	var out []duplicateView
	for _, dup := range catalogue.DuplicatesOf(svc, pub.Services, d.DefaultLang, d.DefaultLang) {
		title := dup.B
		if sum, ok := d.ServiceOf[dup.B]; ok {
			title, _ = sum.Title.In(lang, d.DefaultLang)
		}
		out = append(out, duplicateView{Slug: dup.B, Title: title, URL: EntryURL(catalogue.KindService, dup.B), Percent: int(dup.Score*100 + 0.5)})
	}
	return out, nil
}

// validateEntry validates the whole published catalogue with entry in place,
// exactly as an import would, and places the entry's problems on the form.
func (s *Handler) validateEntry(ctx context.Context, groups []edGroup, entry any, slug string) []web.FormProblem {
	c, path, err := s.withEntry(ctx, entry, slug)
	if err != nil {
		return []web.FormProblem{{ID: "editor-form", Message: err.Error()}}
	}
	return placeProblems(groups, catalogue.ProblemsAt(catalogue.Validate(c), path))
}

// entrySave handles every button of the entry form: saving a draft,
// submitting it for review, and the buttons that change the form without
// saving (form builder, Markdown preview, rule check, language).
func (s *Handler) entrySave(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if !catalogue.ValidKind(kind) {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	st, err := s.loadEntry(ctx, kind, slug)
	if err != nil {
		return err
	}
	v := postForm(c)
	action := v.Get("action")
	base, _ := strconv.ParseInt(v.Get("base_revision"), 10, 64)
	compare := v.Get("compare")
	for _, k := range []string{"action", "_csrf", "base_revision", "compare"} {
		v.Del(k)
	}
	v.Set("slug", slug) // the slug is not editable: links and applications use it
	st.Base = base      // the form shows what the editor started from
	codec := codecFor(kind)
	d := s.Directory()
	T := s.editorT(c)

	render := func(status int, notice string, probs []catalogue.Problem, extra func(*entryEditPage)) error {
		p, err := s.entryEditPage(c, st, v, compare)
		if err != nil {
			return err
		}
		p.Notice = notice
		p.Problems = placeProblems(p.Groups, probs)
		if extra != nil {
			extra(&p)
		}
		c.Status(status)
		return web.Render(c, "editor/entry_edit", p)
	}

	if l, ok := strings.CutPrefix(action, "compare:"); ok {
		compare = l
		return render(fiber.StatusOK, T("editor.notice.not_saved"), nil, nil)
	}
	if codec.action(v, action) {
		return render(fiber.StatusOK, T("editor.notice.not_saved"), nil, nil)
	}
	entry, parseProbs := codec.decode(v, d.Authority.Languages, d.DefaultLang, d.Authority.Currency, T)
	if entry == nil {
		return render(fiber.StatusUnprocessableEntity, T("editor.notice.not_saved"), parseProbs, nil)
	}
	c2, path, err := s.withEntry(ctx, entry, slug)
	if err != nil {
		return err
	}
	probs := catalogue.ProblemsAt(catalogue.Validate(c2), path)

	switch action {
	case "preview_markdown":
		svc := entry.(*catalogue.Service)
		lang := compare
		if svc.Description[lang] == "" {
			lang = d.DefaultLang
		}
		return render(fiber.StatusOK, T("editor.notice.not_saved"), nil, func(p *entryEditPage) {
			p.Markdown, p.MarkdownLang = s.public.Markdown().Render(svc.Description[lang]), lang
		})
	case "check":
		notice := T("editor.notice.no_problems")
		if len(probs) > 0 {
			notice = T("editor.notice.problems", "N", len(probs))
		}
		return render(fiber.StatusOK, notice+" "+T("editor.notice.not_saved"), probs, nil)
	case "save", "submit":
	default:
		return web.NewError(fiber.StatusBadRequest, "editor.error.action", nil)
	}

	status, reason := editorial.StatusDraft, ""
	if action == "submit" && len(probs) == 0 {
		status = editorial.StatusInReview
	}
	if why := needsReview(entry, st.PublishedDoc); why != "" && st.PublishedDoc != nil && !st.Archived {
		status, reason = editorial.StatusInReview, T("editor.reason."+why)
	}
	doc, err := json.Marshal(entry)
	if err != nil {
		return err
	}
	if st.Draft == nil && st.PublishedDoc != nil && sameDoc(kind, doc, st.PublishedDoc) && action == "save" {
		return redirectDone(c, EntryURL(kind, slug), "unchanged", 0)
	}
	rev, err := s.ed.db.SaveDraft(ctx, editorial.SaveRequest{Kind: kind, Slug: slug, Base: base, Doc: doc, Author: actor(c), Status: status, Reason: reason,
		Note: changedFields(c, st.Doc, doc)})
	if ce, ok := isConflict(err); ok {
		return s.renderConflict(c, ce)
	}
	if err != nil {
		return err
	}
	if len(probs) > 0 {
		st.Base, st.Draft = rev.Number, &editorial.Draft{Revision: rev, DraftStatus: status, Reason: reason, UpdatedBy: rev.Author, UpdatedAt: rev.At}
		return render(fiber.StatusOK, T("editor.notice.saved_with_problems", "Number", rev.Number, "N", len(probs)), probs, nil)
	}
	done := "saved"
	if status == editorial.StatusInReview {
		done = "submitted"
	}
	return redirectDone(c, EntryURL(kind, slug), done, rev.Number)
}

// needsReview says why a change must be reviewed by a publisher whatever
// the editor chose: "fee" or "legal" for a service whose fee or legal
// basis changed, "" otherwise.
func needsReview(entry any, publishedDoc []byte) string {
	svc, ok := entry.(*catalogue.Service)
	if !ok || publishedDoc == nil {
		return ""
	}
	var pub catalogue.Service
	if json.Unmarshal(publishedDoc, &pub) != nil {
		return ""
	}
	switch {
	case !reflect.DeepEqual(svc.Fee, pub.Fee):
		return "fee"
	case !reflect.DeepEqual(svc.LegalBasis, pub.LegalBasis):
		return "legal"
	}
	return ""
}

// sameDoc compares two documents of an entry by content, not bytes.
func sameDoc(kind string, a, b []byte) bool {
	x, err1 := catalogue.DecodeEntry(kind, a)
	y, err2 := catalogue.DecodeEntry(kind, b)
	return err1 == nil && err2 == nil && reflect.DeepEqual(x, y)
}

// untranslated reports whether the entry's form values v hold a text
// written in the default language def ("summary.en", "online_form.fields.2.label.en")
// whose lang version ("summary.it") is blank.
func untranslated(v url.Values, def, lang string) bool {
	for k := range v {
		base, ok := strings.CutSuffix(k, "."+def)
		if ok && strings.TrimSpace(v.Get(k)) != "" && strings.TrimSpace(v.Get(base+"."+lang)) == "" {
			return true
		}
	}
	return false
}
