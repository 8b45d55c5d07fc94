package open311

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/apply"
	"sportello/reports"
)

// created is the answer to a service request sent: its id (the
// application's reference) and the token it was made with, which
// tokens/{token} turns into the id as well.
type created struct {
	ID            string `json:"service_request_id" xml:"service_request_id"`
	Token         string `json:"token" xml:"token"`
	ServiceNotice string `json:"service_notice" xml:"service_notice"`
	AccountID     string `json:"account_id" xml:"account_id"`
}

type xmlCreated struct {
	XMLName  xml.Name  `xml:"service_requests"`
	Requests []created `xml:"request"`
}

// maxDescription bounds a description when the form has no textarea to
// bound it (the specification's own limit).
const maxDescription = 4000

// requestCreate makes a report: POST /open311/v2/requests.{json,xml}, with
// an API key, through reports.Store.Create as the online form does, after
// the same checks of the form's answers.
func (h *Handler) requestCreate(c *fiber.Ctx, format string) error {
	ctx := c.UserContext()
	in, err := postValues(c)
	if err != nil {
		return h.fail(c, fiber.StatusBadRequest, "The body could not be read: send application/x-www-form-urlencoded parameters.")
	}
	if _, err := h.opts.Keys.Check(ctx, in.Get("api_key")); err != nil {
		if !errors.Is(err, reports.ErrNotFound) {
			return err
		}
		return h.fail(c, fiber.StatusForbidden, "api_key is missing, unknown or revoked: ask the council for a key to send service requests.")
	}
	code := strings.TrimSpace(in.Get("service_code"))
	if code == "" {
		return h.fail(c, fiber.StatusBadRequest, "service_code is required: GET services."+format+" lists them.")
	}
	svc, ok, err := h.reportable(ctx, code)
	if err != nil {
		return err
	}
	if !ok {
		return h.fail(c, fiber.StatusNotFound, "service_code "+code+" not found: GET services."+format+" lists the service codes.")
	}
	lang := h.lang(c)
	p := parsePost(in, svc.OnlineForm)
	if len(p.problems) > 0 {
		return h.failAll(c, fiber.StatusBadRequest, p.problems)
	}
	res, err := h.opts.Forms.Validate(ctx, svc.OnlineForm, p.values, nil)
	if err != nil {
		return err
	}
	if !res.OK() {
		var problems []string
		for _, fe := range res.Errors {
			problems = append(problems, p.paramOf(fe)+": "+apply.ErrorText(c, fe))
		}
		return h.failAll(c, fiber.StatusBadRequest, problems)
	}
	token, err := applications.NewToken()
	if err != nil {
		return err
	}
	contact := applications.Contact{Name: strings.TrimSpace(in.Get("first_name") + " " + in.Get("last_name"))}
	if p.std.email != nil {
		if a := res.Answers.Get(p.std.email.Name); a != nil {
			contact.Email = a.Text
		}
	} else {
		contact.Email = p.email
	}
	r, err := h.opts.Reports.Create(ctx, reports.NewReport{
		Token: token, Service: svc, CatalogueVersion: h.Directory().Version,
		Contact: contact, Lang: lang, Point: p.point, Address: p.address, Description: p.description,
		Answers: res.Answers,
	})
	switch {
	case errors.Is(err, reports.ErrOutside):
		return h.fail(c, fiber.StatusBadRequest, "lat and long are outside the council's area: send a place within it.")
	case errors.Is(err, reports.ErrInvalid):
		return h.fail(c, fiber.StatusBadRequest, "The service request is not valid: send lat and long or address_string, and the service's required attributes.")
	case err != nil:
		return err
	}
	h.Log.InfoContext(ctx, "open311 service request", "service", svc.Slug, "report", r.ID)
	out := []created{{ID: string(r.Reference), Token: token, ServiceNotice: h.notice(r)}}
	return h.send(c.Status(fiber.StatusCreated), format, out, xmlCreated{Requests: out})
}

// notice is the service_notice of a report: by when the council aims to
// deal with it, when the service says.
func (h *Handler) notice(r *reports.Report) string {
	if r.DueDate == "" {
		return ""
	}
	return "The council aims to deal with it by " + r.DueDate + "."
}

// postValues reads the body's parameters, URL-encoded or multipart.
func postValues(c *fiber.Ctx) (url.Values, error) {
	if strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm) {
		mf, err := c.MultipartForm()
		if err != nil {
			return nil, err
		}
		return url.Values(mf.Value), nil
	}
	return url.ParseQuery(string(c.Body()))
}

// post is a service request's parameters turned into the service's form
// values.
type post struct {
	std         standardFields
	values      forms.Values
	point       *reports.Point
	address     string
	description string
	email       string // when the form has no e-mail field
	problems    []string
}

// parsePost reads the standard parameters and the attributes into form
// values, and notes what is wrong before the form's own checks: the place
// (lat and long together, or address_string), attributes the service does
// not have.
func parsePost(in url.Values, form *catalogue.OnlineForm) post {
	p := post{std: standardOf(form), values: forms.Values{}}
	lat, lng := strings.TrimSpace(in.Get("lat")), strings.TrimSpace(in.Get("long"))
	p.address = strings.TrimSpace(in.Get("address_string"))
	switch {
	case lat == "" && lng == "" && p.address == "" && strings.TrimSpace(in.Get("address_id")) != "":
		p.problems = append(p.problems, "address_id is not used by this endpoint: send lat and long, or address_string.")
	case lat == "" && lng == "" && p.address == "":
		p.problems = append(p.problems, "lat and long, or address_string, are required: say where the problem is.")
	case (lat == "") != (lng == ""):
		p.problems = append(p.problems, "lat and long go together: send both, in decimal degrees (WGS 84).")
	case lat != "":
		pt, err := reports.ParseLatLng(lat, lng)
		if err != nil || !pt.Valid() {
			p.problems = append(p.problems, "lat and long must be decimal degrees (WGS 84), like lat=41.2190&long=1.7260.")
		} else {
			p.point = &pt
		}
	}
	place := p.std.place
	p.values[place.Name+"-line1"] = []string{p.address}
	if p.point != nil {
		p.values[place.Name+"-lat"] = []string{strconv.FormatFloat(p.point.Lat, 'f', -1, 64)}
		p.values[place.Name+"-lng"] = []string{strconv.FormatFloat(p.point.Lng, 'f', -1, 64)}
	}
	p.description = strings.TrimSpace(in.Get("description"))
	if f := p.std.description; f != nil {
		p.values[f.Name] = []string{p.description}
	} else if utf8.RuneCountInString(p.description) > maxDescription {
		p.problems = append(p.problems, "description is too long: write at most "+strconv.Itoa(maxDescription)+" characters.")
	}
	if email := strings.TrimSpace(in.Get("email")); p.std.email != nil {
		p.values[p.std.email.Name] = []string{email}
	} else if email != "" {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
			p.problems = append(p.problems, "email is not an e-mail address: write it like name@example.com.")
		} else {
			p.email = email
		}
	}
	if f := p.std.phone; f != nil {
		p.values[f.Name] = []string{strings.TrimSpace(in.Get("phone"))}
	}
	if m := strings.TrimSpace(in.Get("media_url")); m != "" {
		if u, err := url.Parse(m); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.problems = append(p.problems, "media_url must be an http or https address.")
		}
	}
	p.problems = append(p.problems, p.attributes(in, form)...)
	return p
}

// attributes reads attribute[code] (and attribute[code][] for a
// multivaluelist) into the form values; a date may come as a W3C date and
// time, of which the date counts.
func (p *post) attributes(in url.Values, form *catalogue.OnlineForm) []string {
	known := map[string]*catalogue.Field{}
	for _, f := range attributeFields(form) {
		known[f.Name] = f
	}
	var problems []string
	for key, vals := range in {
		code, ok := strings.CutPrefix(key, "attribute[")
		if !ok {
			continue
		}
		code = strings.TrimSuffix(strings.TrimSuffix(code, "[]"), "]")
		f := known[code]
		if f == nil {
			problems = append(problems, "attribute["+code+"] is not an attribute of this service: GET its definition for the codes.")
			continue
		}
		if f.Type == forms.TypeDate {
			day, _, _ := strings.Cut(strings.TrimSpace(vals[0]), "T")
			if t, err := time.Parse(time.DateOnly, day); err == nil {
				p.values[f.Name+"-day"] = []string{strconv.Itoa(t.Day())}
				p.values[f.Name+"-month"] = []string{strconv.Itoa(int(t.Month()))}
				p.values[f.Name+"-year"] = []string{strconv.Itoa(t.Year())}
			} else {
				problems = append(problems, "attribute["+code+"] must be a date, YYYY-MM-DD.")
			}
			continue
		}
		if datatypeOf(f) != typeMultiValueList && len(vals) > 1 {
			problems = append(problems, "attribute["+code+"] takes one value.")
			continue
		}
		p.values[f.Name] = append(p.values[f.Name], vals...)
	}
	return problems
}

// paramOf names the parameter a form error is about.
func (p *post) paramOf(fe forms.FieldError) string {
	switch {
	case p.std.place != nil && fe.Field == p.std.place.Name:
		switch {
		case fe.Key == forms.KeyLocation:
			return "lat and long, or address_string"
		case strings.HasSuffix(fe.Input, "-lat"), strings.HasSuffix(fe.Input, "-lng"):
			return "lat and long"
		}
		return "address_string"
	case p.std.description != nil && fe.Field == p.std.description.Name:
		return "description"
	case p.std.email != nil && fe.Field == p.std.email.Name:
		return "email"
	case p.std.phone != nil && fe.Field == p.std.phone.Name:
		return "phone"
	}
	return "attribute[" + fe.Field + "]"
}

// hashPrefix is a short hash of an API key, for counting its requests
// without holding it.
func hashPrefix(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:8])
}
