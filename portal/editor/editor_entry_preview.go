package editor

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

// previewPage is templates/editor/preview.html: a draft rendered by the
// public page's own template, under a banner.
type previewPage struct {
	web.Page
	Content  template.HTML
	Note     string // what the preview shows when it is not the entry's own page
	Revision int64
	Expires  string // when a shared link stops working, "" for editors
	EditURL  string // for editors only
}

// previewLinkPage is templates/editor/preview_link.html.
type previewLinkPage struct {
	editorPage
	URL      string
	Expires  string
	Revision int64
	EditURL  string
}

// PreviewLinkLife is how long a shared preview link works.
const PreviewLinkLife = 7 * 24 * time.Hour

// entryPreview shows an entry's draft (or ?rev=N) as the public will see it.
func (s *previews) entryPreview(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if !catalogue.ValidKind(kind) {
		return fiber.ErrNotFound
	}
	doc, rev, err := s.previewDoc(c, kind, slug, c.Query("rev"))
	if err != nil {
		return err
	}
	return s.renderPreview(c, kind, doc, rev, "", EntryURL(kind, slug))
}

// previewDoc returns revision rev of an entry ("" for the draft, else the
// published version) and its number.
func (s *previews) previewDoc(c *fiber.Ctx, kind, slug, rev string) ([]byte, int64, error) {
	if rev != "" {
		n, err := strconv.ParseInt(rev, 10, 64)
		if err != nil {
			return nil, 0, fiber.ErrNotFound
		}
		r, err := s.ed.db.Revision(c.UserContext(), kind, slug, n)
		return r.Doc, n, err
	}
	st, err := s.loadEntry(c.UserContext(), kind, slug)
	if err != nil {
		return nil, 0, err
	}
	if st.Draft != nil {
		return st.Draft.Doc, st.Draft.Number, nil
	}
	return st.Doc, st.Base, nil
}

func (s *previews) renderPreview(c *fiber.Ctx, kind string, doc []byte, rev int64, expires, editURL string) error {
	e, err := catalogue.DecodeEntry(kind, doc)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "")
	pv, err := s.previewContent(c, e, p.Lang)
	if err != nil {
		return err
	}
	p.Title, p.Fallback = web.T(c, "editor.preview.title_prefix")+" "+pv.Title, pv.Fallback
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Robots-Tag", "noindex, nofollow")
	return web.Render(c, "editor/preview", previewPage{
		Page: p, Content: pv.Content, Note: pv.Note,
		Revision: rev, Expires: expires, EditURL: editURL,
	})
}

// previewed is what a preview shows under its banner.
type previewed struct {
	Title, Fallback string
	Content         template.HTML
	Note            string
}

// previewContent renders the public page that would show entry once
// published: its own page, built by the public handler's code from a
// directory holding the draft, or for an office (which has no page of its
// own) the page of one of its services.
func (s *previews) previewContent(c *fiber.Ctx, entry any, lang string) (previewed, error) {
	d := s.Directory().WithDraft(entry)
	switch e := entry.(type) {
	case *catalogue.Service:
		r, err := s.public.ServiceContent(c.UserContext(), d, e, lang)
		return previewed{Title: r.Title, Fallback: r.Fallback, Content: r.Content}, err
	case *catalogue.Topic:
		p, err := s.public.TopicPageOf(c, d, e)
		if err != nil {
			return previewed{}, err
		}
		return s.pageContent("topic_show", p, p.Page)
	case *catalogue.LifeEvent:
		p, err := s.public.LifeEventPageOf(c, d, e)
		if err != nil {
			return previewed{}, err
		}
		return s.pageContent("lifeevent_show", p, p.Page)
	case *catalogue.Journey:
		p, err := s.public.JourneyPageOf(c, d, e)
		if err != nil {
			return previewed{}, err
		}
		return s.pageContent("journey_show", p, p.Page)
	case *catalogue.Department:
		return s.officePreview(c, d, e, lang)
	case *catalogue.BusinessType:
		cat, _, err := s.withEntry(c.UserContext(), e, "")
		if err != nil {
			return previewed{}, err
		}
		page, p, err := s.BusinessPlan(c, cat, e)
		if err != nil {
			return previewed{}, err
		}
		return s.pageContent("business/plan", page, p)
	}
	return previewed{}, fmt.Errorf("preview: no public page shows a %T", entry)
}

// pageContent renders a public page template without the layout, which
// the preview page provides.
func (s *previews) pageContent(name string, data any, p web.Page) (previewed, error) {
	var buf bytes.Buffer
	if err := s.engine.Render(&buf, name, data); err != nil {
		return previewed{}, err
	}
	return previewed{
		Title: p.Title, Fallback: p.Fallback,
		Content: template.HTML(buf.String()), // #nosec G203 -- output of html/template
	}, nil
}

// officePreview shows a draft office on the page of the first of its
// published services in title order, which is where the public meets an
// office; the note says so. An office that no published service names
// shows only the note, since the public sees it nowhere.
func (s *previews) officePreview(c *fiber.Ctx, d *web.Directory, dep *catalogue.Department, lang string) (previewed, error) {
	name, fallback := d.Text(dep.Name, lang)
	var list []*catalogue.ServiceSummary
	for i := range d.Services {
		if d.Services[i].Department == dep.Slug {
			list = append(list, &d.Services[i])
		}
	}
	if len(list) == 0 {
		return previewed{Title: name, Fallback: fallback, Note: web.T(c, "editor.preview.office_unused")}, nil
	}
	svc, err := s.store.Service(c.UserContext(), d.InLang(lang, list)[0].Slug)
	if err != nil {
		return previewed{}, err
	}
	r, err := s.public.ServiceContent(c.UserContext(), d, svc, lang)
	if err != nil {
		return previewed{}, err
	}
	return previewed{
		Title: name, Fallback: fallback, Content: r.Content,
		Note: web.T(c, "editor.preview.office_note", "Service", r.Title),
	}, nil
}

// entryPreviewLink makes a link that shows the current draft revision to
// anyone who has it, until it expires.
func (s *previews) entryPreviewLink(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if !catalogue.ValidKind(kind) {
		return fiber.ErrNotFound
	}
	_, rev, err := s.previewDoc(c, kind, slug, c.FormValue("rev"))
	if err != nil {
		return err
	}
	if rev == 0 {
		return web.NewError(fiber.StatusConflict, "editor.error.no_revision", nil)
	}
	exp := time.Now().Add(PreviewLinkLife)
	p := previewLinkPage{
		editorPage: s.newEditorPage(c, "editor.preview_link.title", "/editor"),
		URL:        s.BaseURL + "/preview/" + s.SignPreview(PreviewClaim{Kind: kind, Slug: slug, Rev: rev, Exp: exp.Unix()}),
		Expires:    s.at(c, exp), Revision: rev, EditURL: EntryURL(kind, slug),
	}
	return web.Render(c, "editor/preview_link", p)
}

// previewShow shows a revision to whoever has a valid preview link.
func (s *previews) previewShow(c *fiber.Ctx) error {
	if s.ed == nil {
		return fiber.ErrNotFound
	}
	claim, ok := s.VerifyPreview(c.Params("token"), time.Now())
	if !ok {
		return web.NewError(fiber.StatusNotFound, "editor.error.preview_link", nil)
	}
	kind := cmp.Or(claim.Kind, catalogue.KindService)
	if !catalogue.ValidKind(kind) {
		return web.NewError(fiber.StatusNotFound, "editor.error.preview_link", nil)
	}
	r, err := s.ed.db.Revision(c.UserContext(), kind, claim.Slug, claim.Rev)
	if err != nil {
		return err
	}
	return s.renderPreview(c, kind, r.Doc, claim.Rev, s.at(c, time.Unix(claim.Exp, 0)), "")
}

// PreviewClaim is what a preview link grants: one revision of one entry,
// until Exp (Unix seconds). Links made when only services had previews
// carry no kind: they are of a service.
type PreviewClaim struct {
	Kind string `json:"k,omitempty"`
	Slug string `json:"s"`
	Rev  int64  `json:"r"`
	Exp  int64  `json:"e"`
}

// SignPreview encodes the claim and its HMAC-SHA256 under the database's
// preview key, so links survive restarts and work on every instance.
func (s *previews) SignPreview(cl PreviewClaim) string {
	payload, _ := json.Marshal(cl)
	mac := hmac.New(sha256.New, s.ed.previewKey)
	mac.Write(payload)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(mac.Sum(nil))
}

func (s *previews) VerifyPreview(token string, now time.Time) (PreviewClaim, bool) {
	// Strict: one token, one spelling. Leniently, a last character that
	// differs only in the bits no byte uses decodes to the same bytes.
	enc := base64.RawURLEncoding.Strict()
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return PreviewClaim{}, false
	}
	payload, err1 := enc.DecodeString(p)
	got, err2 := enc.DecodeString(sig)
	if err1 != nil || err2 != nil {
		return PreviewClaim{}, false
	}
	mac := hmac.New(sha256.New, s.ed.previewKey)
	mac.Write(payload)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return PreviewClaim{}, false
	}
	var cl PreviewClaim
	if json.Unmarshal(payload, &cl) != nil || now.Unix() >= cl.Exp {
		return PreviewClaim{}, false
	}
	return cl, true
}
