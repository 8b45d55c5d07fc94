package portal

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

// previewPage is templates/editor/preview.html: a draft rendered by the
// public service page's own template, under a banner.
type previewPage struct {
	web.Page
	Content  template.HTML
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

// previewLinkLife is how long a shared preview link works.
const previewLinkLife = 7 * 24 * time.Hour

// entryPreview shows a service's draft (or ?rev=N) as the public will see it.
func (s *Server) entryPreview(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if kind != catalogue.KindService {
		return fiber.ErrNotFound
	}
	doc, rev, err := s.previewDoc(c, slug, c.Query("rev"))
	if err != nil {
		return err
	}
	return s.renderPreview(c, doc, rev, "", entryURL(kind, slug))
}

// previewDoc returns revision rev of a service ("" for the draft, else the
// published version) and its number.
func (s *Server) previewDoc(c *fiber.Ctx, slug, rev string) ([]byte, int64, error) {
	if rev != "" {
		n, err := strconv.ParseInt(rev, 10, 64)
		if err != nil {
			return nil, 0, fiber.ErrNotFound
		}
		r, err := s.ed.db.Revision(c.UserContext(), catalogue.KindService, slug, n)
		return r.Doc, n, err
	}
	st, err := s.loadEntry(c.UserContext(), catalogue.KindService, slug)
	if err != nil {
		return nil, 0, err
	}
	if st.Draft != nil {
		return st.Draft.Doc, st.Draft.Number, nil
	}
	return st.Doc, st.Base, nil
}

func (s *Server) renderPreview(c *fiber.Ctx, doc []byte, rev int64, expires, editURL string) error {
	e, err := catalogue.DecodeEntry(catalogue.KindService, doc)
	if err != nil {
		return err
	}
	svc := e.(*catalogue.Service)
	d := s.directory()
	p := web.NewPage(c, "")
	view, fallback := s.serviceView(d, svc, p.Lang)
	ld, err := s.jsonLD(d, svc, view, cmp.Or(fallback, p.Lang))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.engine.Render(&buf, "service_content", servicePage{Page: web.Page{Lang: p.Lang, Fallback: fallback}, Service: view, JSONLD: ld}); err != nil {
		return err
	}
	p.Title, p.Fallback = web.T(c, "editor.preview.title_prefix")+" "+view.Title, fallback
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Robots-Tag", "noindex, nofollow")
	return web.Render(c, "editor/preview", previewPage{
		Page: p, Content: template.HTML(buf.String()), // #nosec G203 -- output of html/template
		Revision: rev, Expires: expires, EditURL: editURL,
	})
}

// entryPreviewLink makes a link that shows the current draft revision to
// anyone who has it, until it expires.
func (s *Server) entryPreviewLink(c *fiber.Ctx) error {
	kind, slug := c.Params("kind"), c.Params("slug")
	if kind != catalogue.KindService {
		return fiber.ErrNotFound
	}
	_, rev, err := s.previewDoc(c, slug, c.FormValue("rev"))
	if err != nil {
		return err
	}
	if rev == 0 {
		return web.NewError(fiber.StatusConflict, "editor.error.no_revision", nil)
	}
	exp := time.Now().Add(previewLinkLife)
	p := previewLinkPage{
		editorPage: s.newEditorPage(c, "editor.preview_link.title", "/editor"),
		URL:        s.cfg.BaseURL + "/preview/" + s.signPreview(previewClaim{Slug: slug, Rev: rev, Exp: exp.Unix()}),
		Expires:    exp.Format("2006-01-02 15:04"), Revision: rev, EditURL: entryURL(kind, slug),
	}
	return web.Render(c, "editor/preview_link", p)
}

// previewShow shows a revision to whoever has a valid preview link.
func (s *Server) previewShow(c *fiber.Ctx) error {
	if s.ed == nil {
		return fiber.ErrNotFound
	}
	claim, ok := s.verifyPreview(c.Params("token"), time.Now())
	if !ok {
		return web.NewError(fiber.StatusNotFound, "editor.error.preview_link", nil)
	}
	r, err := s.ed.db.Revision(c.UserContext(), catalogue.KindService, claim.Slug, claim.Rev)
	if err != nil {
		return err
	}
	return s.renderPreview(c, r.Doc, claim.Rev, time.Unix(claim.Exp, 0).Format("2006-01-02 15:04"), "")
}

// previewClaim is what a preview link grants: one revision of one service,
// until Exp (Unix seconds).
type previewClaim struct {
	Slug string `json:"s"`
	Rev  int64  `json:"r"`
	Exp  int64  `json:"e"`
}

// signPreview encodes the claim and its HMAC-SHA256 under the database's
// preview key, so links survive restarts and work on every instance.
func (s *Server) signPreview(cl previewClaim) string {
	payload, _ := json.Marshal(cl)
	mac := hmac.New(sha256.New, s.ed.previewKey)
	mac.Write(payload)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(mac.Sum(nil))
}

func (s *Server) verifyPreview(token string, now time.Time) (previewClaim, bool) {
	enc := base64.RawURLEncoding
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return previewClaim{}, false
	}
	payload, err1 := enc.DecodeString(p)
	got, err2 := enc.DecodeString(sig)
	if err1 != nil || err2 != nil {
		return previewClaim{}, false
	}
	mac := hmac.New(sha256.New, s.ed.previewKey)
	mac.Write(payload)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return previewClaim{}, false
	}
	var cl previewClaim
	if json.Unmarshal(payload, &cl) != nil || now.Unix() >= cl.Exp {
		return previewClaim{}, false
	}
	return cl, true
}
