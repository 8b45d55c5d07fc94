package open311

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/web"
)

// service is one service of GET services.
type service struct {
	Code        string `json:"service_code" xml:"service_code"`
	Name        string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	Metadata    bool   `json:"metadata" xml:"metadata"`
	Type        string `json:"type" xml:"type"`
	Keywords    string `json:"keywords" xml:"keywords"`
	Group       string `json:"group" xml:"group"`
}

type xmlServices struct {
	XMLName  xml.Name  `xml:"services"`
	Services []service `xml:"service"`
}

// serviceList lists the services one may report through the API: GET
// /open311/v2/services.{json,xml}. Their names are in the language asked
// (locale, or Accept-Language), falling back to the council's.
func (h *Handler) serviceList(c *fiber.Ctx, format string) error {
	lang := h.lang(c)
	d := h.Directory()
	list := []service{}
	for _, sum := range d.Services {
		svc, ok, err := h.reportable(c.UserContext(), sum.Slug)
		if err != nil {
			return err
		}
		if ok {
			list = append(list, h.serviceOf(d, svc, lang))
		}
	}
	return h.send(c, format, list, xmlServices{Services: list})
}

// reportable returns the published service slug when the API can take
// reports of it: of kind report, with an online form that says where (a
// location field), open to anyone without signing in.
func (h *Handler) reportable(ctx context.Context, slug string) (*catalogue.Service, bool, error) {
	sum, ok := h.Directory().ServiceOf[slug]
	if !ok || catalogue.TransactionOf(sum.Kind) != catalogue.TransactionReport || !sum.Online {
		return nil, false, nil
	}
	svc, err := h.Catalogue.Service(ctx, slug)
	if errors.Is(err, catalogue.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if svc.OnlineForm == nil || (svc.Assurance != nil && *svc.Assurance != catalogue.AssuranceNone && *svc.Assurance != "") {
		return nil, false, nil
	}
	if placeField(svc.OnlineForm) == nil {
		return nil, false, nil
	}
	return svc, true, nil
}

func (h *Handler) serviceOf(d *web.Directory, svc *catalogue.Service, lang string) service {
	text := func(t catalogue.Text) string { s, _ := t.In(lang, d.DefaultLang); return s }
	s := service{
		Code:        svc.Slug,
		Name:        text(svc.Title),
		Description: text(svc.Summary),
		Metadata:    len(attributeFields(svc.OnlineForm)) > 0,
		Type:        "realtime",
		Keywords:    strings.Join(keywords(svc.Keywords, lang, d.DefaultLang), ", "),
	}
	if t := d.TopicOf[svc.Topic]; t != nil {
		s.Group = text(t.Title)
	}
	return s
}

func keywords(k catalogue.TextList, lang, fallback string) []string {
	if len(k[lang]) > 0 {
		return k[lang]
	}
	return k[fallback]
}

// placeField is the form's first location field: where lat, long and
// address_string go; nil when it has none. A service whose form asks for a
// postal address instead is not offered: the specification lets a client
// send lat and long alone, which a postal address cannot be made from.
func placeField(form *catalogue.OnlineForm) *catalogue.Field {
	for i := range form.Fields {
		if form.Fields[i].Type == forms.TypeLocation {
			return &form.Fields[i]
		}
	}
	return nil
}
