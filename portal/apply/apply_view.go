package apply

import (
	"cmp"
	"io"
	"mime/multipart"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/auth"
	"sportello/portal/web"
)

// applyService is what every page of the apply journey says about the
// service: its title, fee, time to a decision and the sign-in it needs, and
// the kind of transaction whose words the pages use.
type applyService struct {
	Slug          string
	Kind          string
	Title         string
	Lang          string // language of Title when it is not the page's
	URL           string
	Cost          string // "" when free
	FeeWhen       string // translation key, "" when free
	Days          int
	DaysSet       bool
	AssuranceKey  string // translation key saying what sign-in is needed
	NeedsSignIn   bool
	OnApplication bool // the fee is paid when applying
}

func (s *Handler) applyServiceView(d *web.Directory, svc *catalogue.Service, lang string) applyService {
	title, fb := d.Text(svc.Title, lang)
	v := applyService{
		Slug: svc.Slug, Kind: svc.Kind, Title: title, Lang: fb, URL: web.ServiceURL(svc.Slug),
		Cost:         d.Cost(svc.Fee, lang),
		AssuranceKey: "apply.assurance." + applyAssurance(svc),
		NeedsSignIn:  applyAssurance(svc) != catalogue.AssuranceNone,
	}
	if v.Cost != "" {
		v.FeeWhen = "service.fee_when." + svc.Fee.When
		v.OnApplication = svc.Fee.When == catalogue.FeeOnApplication
	}
	if svc.ProcessingTimeDays != nil {
		v.Days, v.DaysSet = *svc.ProcessingTimeDays, true
	}
	return v
}

// applyAssurance is the level the service's form needs; a service with a form
// but no level needs sign-in (the catalogue's validation requires one).
func applyAssurance(svc *catalogue.Service) string {
	if svc.Assurance == nil || *svc.Assurance == "" {
		return catalogue.AssuranceLow
	}
	return *svc.Assurance
}

// applyOnlineService returns the service of the request's :slug when it has an
// online form, else a 404.
func (s *Handler) applyOnlineService(c *fiber.Ctx) (*web.Directory, *catalogue.Service, error) {
	d := s.Directory()
	slug := c.Params("slug")
	if sum, ok := d.ServiceOf[slug]; !ok || !sum.Online {
		return nil, nil, catalogue.ErrNotFound
	}
	svc, err := s.store.Service(c.UserContext(), slug)
	if err != nil {
		return nil, nil, err
	}
	if svc.OnlineForm == nil {
		return nil, nil, catalogue.ErrNotFound
	}
	return d, svc, nil
}

// applyForm is the service of the request's :slug and what the form needs,
// once the person may fill it in. A visitor who has not signed in at the
// service's level is sent to sign in (again, for step-up), coming back to
// the form: the service is then nil, as it is with an error.
func (s *Handler) applyForm(c *fiber.Ctx) (*web.Directory, *catalogue.Service, error) {
	d, svc, err := s.applyOnlineService(c)
	if err != nil {
		return nil, nil, err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	level := applyAssurance(svc)
	if !s.auth.Satisfies(web.ViewerOf(c), level) {
		return nil, nil, c.Redirect(auth.LoginURL(applyFormURL(svc.Slug), level), fiber.StatusSeeOther)
	}
	return d, svc, nil
}

// pendingOwnerOf is who a pending application of this request belongs to.
func pendingOwnerOf(c *fiber.Ctx) applications.PendingOwner {
	var o applications.PendingOwner
	if v := web.ViewerOf(c); v != nil {
		o.PersonID = v.PersonID
	} else {
		csrf, _ := c.Locals(web.LocalCSRF).(string)
		o = applications.AnonymousOwner(csrf)
	}
	// The client's address (behind trusted proxies, the one they name),
	// which the pending quota also counts by.
	o.Client = strings.Clone(c.IP())
	return o
}

// BodyLimit is the largest request the portal reads: two files at the
// validator's size limit and the answers. Fiber's default, 4 MB, would
// refuse most photos before the form could say what is wrong with them.
func BodyLimit(v *forms.Validator) int { return int(2*v.Options().MaxFileSize) + 1<<20 }

func applyFormURL(slug string) string { return web.ServiceURL(slug) + "/apply" }

// applyStepURL is a page of the journey with its token: step is "" (the
// form), "check" or "confirmation".
func applyStepURL(slug, step, token string) string {
	u := applyFormURL(slug)
	if step != "" {
		u += "/" + step
	}
	if token != "" {
		u += "?token=" + url.QueryEscape(token)
	}
	return u
}

// readApplyForm adapts the posted form, multipart or not, for the validator.
// Values whose names start with "_" (CSRF, token, buttons) are the page's,
// not answers.
func readApplyForm(c *fiber.Ctx) (values, meta forms.Values, files forms.Files, err error) {
	values, meta, files = forms.Values{}, forms.Values{}, forms.Files{}
	add := func(k string, vs []string) {
		if strings.HasPrefix(k, "_") {
			meta[k] = append(meta[k], vs...)
		} else {
			values[k] = append(values[k], vs...)
		}
	}
	if strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm) {
		mf, err := c.MultipartForm()
		if err != nil {
			return nil, nil, nil, web.NewError(fiber.StatusBadRequest, "", err)
		}
		for k, vs := range mf.Value {
			add(k, vs)
		}
		for k, fhs := range mf.File {
			for _, fh := range fhs {
				files[k] = append(files[k], applyFileInput(fh))
			}
		}
		return values, meta, files, nil
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) { add(string(k), []string{string(v)}) })
	return values, meta, files, nil
}

func applyFileInput(fh *multipart.FileHeader) forms.FileInput {
	return forms.FileInput{
		Filename: fh.Filename,
		Size:     fh.Size,
		Open: func() (io.ReadCloser, error) {
			f, err := fh.Open()
			if err != nil {
				return nil, err
			}
			return f, nil
		},
	}
}

// applyInputs keeps only the values of the form's own inputs, so that what
// is kept in a draft or a pending application is bounded by the form, not
// by what a client chose to send.
func applyInputs(form *catalogue.OnlineForm, values forms.Values) forms.Values {
	out := forms.Values{}
	keep := func(name string) {
		if vs, ok := values[name]; ok {
			out[name] = vs
		}
	}
	for _, f := range form.Fields {
		keep(f.Name)
		switch f.Type {
		case forms.TypeDate:
			for _, p := range []string{"day", "month", "year"} {
				keep(f.Name + "-" + p)
			}
		case forms.TypeAddress:
			for _, p := range []string{"line1", "line2", "town", "postcode"} {
				keep(f.Name + "-" + p)
			}
		case forms.TypeLocation:
			for _, p := range []string{"line1", "line2", "lat", "lng"} {
				keep(f.Name + "-" + p)
			}
		}
	}
	return out
}

// applyField is one question of the form, ready to render.
type applyField struct {
	Lang         string // the page's, for the template's translations
	Name         string
	Type         string
	Label        string
	LabelLang    string
	Hint         string
	HintLang     string
	Optional     bool
	Error        string   // translated message, "" when none
	MoreErrors   []string // an address's other problems, after Error
	DescribedBy  string   // ids of the hint and error, for aria-describedby
	Value        string
	Prefix       string // a currency symbol before a money input
	InputMode    string
	Autocomplete string
	Options      []applyOption
	Parts        []applyPart // date and address inputs
	// Coords are a location's latitude and longitude inputs, and Map the
	// map that fills them in (nil without one).
	Coords   []applyPart
	Map      *web.MapView
	Kept     []applyKept // files kept from an earlier post
	Accept   string
	FileHint string
	// Prefilled says where the value filled in came from ("We filled this
	// in from your application PN-…"); "" when the person typed it.
	Prefilled string
}

type applyOption struct {
	ID       string
	Value    string
	Label    string
	Lang     string
	Selected bool
}

type applyPart struct {
	ID           string
	Label        string
	Value        string
	Class        string
	InputMode    string
	Autocomplete string
	Error        bool
}

type applyKept struct {
	Name string
	Size string
}

// ErrorLink is one line of the error summary. Question is the label of the
// question it is about, so that "Enter a date" says which date.
type ErrorLink struct {
	Href     string
	Question string
	Lang     string // of Question, when not the page's
	Message  string
}

// ErrorText translates a FieldError with its arguments, or gives the
// catalogue's own message for it (a pattern_message) in the reader's
// language.
func ErrorText(c *fiber.Ctx, fe forms.FieldError) string {
	lang, site := web.LangOf(c), web.SiteOf(c)
	if fe.Message != nil && site != nil {
		if s, _ := fe.Message.In(lang, site.Authority().DefaultLanguage); s != "" {
			return s
		}
	}
	pairs := make([]any, 0, 2*len(fe.Args))
	for k, v := range fe.Args {
		switch a := v.(type) {
		case forms.Amount: // a money field's limit: "8000,00 €"
			v = web.Money{Minor: a.Minor, Currency: a.Currency}.Format(lang)
		case forms.Date: // a date field's bound: "12 May 2026"
			if site != nil {
				v = site.ISODate(lang, string(a))
			}
		}
		pairs = append(pairs, k, v)
	}
	return web.T(c, fe.Key, pairs...)
}

// applyFields builds the form's questions with values and errors.
func (s *Handler) applyFields(c *fiber.Ctx, d *web.Directory, form *catalogue.OnlineForm, values forms.Values, errs []forms.FieldError, pend *applications.PendingForm) []applyField {
	lang := web.LangOf(c)
	out := make([]applyField, 0, len(form.Fields))
	for i := range form.Fields {
		f := &form.Fields[i]
		label, lfb := d.Text(f.Label, lang)
		fv := applyField{Lang: lang, Name: f.Name, Type: f.Type, Label: label, LabelLang: lfb, Optional: !f.Required, Value: values.Get(f.Name)}
		if len(f.Help) > 0 {
			fv.Hint, fv.HintLang = d.Text(f.Help, lang)
		}
		wrong := map[string]bool{} // the inputs in error
		for _, fe := range errs {
			if fe.Field != f.Name {
				continue
			}
			if fv.Error == "" {
				fv.Error = ErrorText(c, fe)
			} else {
				fv.MoreErrors = append(fv.MoreErrors, ErrorText(c, fe))
			}
			wrong[fe.Input] = true
			for _, in := range fe.Inputs {
				wrong[in] = true
			}
		}
		switch f.Type {
		case forms.TypeDate:
			if fv.Hint == "" {
				fv.Hint = web.T(c, "form.date.hint", "Example", forms.ExampleDate(f, s.forms.Today()))
			}
			for _, p := range []struct{ part, class string }{{"day", "input--2"}, {"month", "input--2"}, {"year", "input--4"}} {
				id := f.Name + "-" + p.part
				fv.Parts = append(fv.Parts, applyPart{
					ID: id, Label: web.T(c, forms.KeyDatePart+p.part), Value: values.Get(id),
					Class: p.class, InputMode: "numeric", Error: fv.Error != "" && (wrong[id] || wrong[f.Name]),
				})
			}
		case forms.TypeAddress:
			for _, p := range []struct{ part, auto, class string }{
				{"line1", "address-line1", ""}, {"line2", "address-line2", ""},
				{"town", "address-level2", "input--20"}, {"postcode", "postal-code", "input--10"},
			} {
				id := f.Name + "-" + p.part
				fv.Parts = append(fv.Parts, applyPart{
					ID: id, Label: web.T(c, forms.KeyAddressPart+p.part), Value: values.Get(id),
					Class: p.class, Autocomplete: p.auto, Error: wrong[id],
				})
			}
		case forms.TypeLocation:
			// A spot in the road has no postal address to fill in for the
			// person: no autocomplete.
			for _, p := range []string{"line1", "line2"} {
				id := f.Name + "-" + p
				fv.Parts = append(fv.Parts, applyPart{
					ID: id, Label: web.T(c, forms.KeyLocationPart+p), Value: values.Get(id), Autocomplete: "off", Error: wrong[id],
				})
			}
			for _, p := range []string{"lat", "lng"} {
				id := f.Name + "-" + p
				fv.Coords = append(fv.Coords, applyPart{
					ID: id, Label: web.T(c, forms.KeyLocationPart+p), Value: values.Get(id), Class: "input--10",
					InputMode: "decimal", Autocomplete: "off", Error: wrong[id],
				})
			}
			if s.Map != nil {
				fv.Map = web.MapViewOf(c, *s.Map, f.Name+"-map", web.T(c, "reports.map.label"), web.T(c, "reports.map.hint"))
				fv.Map.LatInput, fv.Map.LngInput = f.Name+"-lat", f.Name+"-lng"
			}
		case forms.TypeSelect, forms.TypeRadio, forms.TypeCheckbox:
			chosen := values[f.Name]
			for j, o := range f.Options {
				ol, ofb := d.Text(o.Label, lang)
				id := f.Name
				if j > 0 {
					id = f.Name + "-" + strconv.Itoa(j+1)
				}
				fv.Options = append(fv.Options, applyOption{ID: id, Value: o.Value, Label: ol, Lang: ofb, Selected: slices.Contains(chosen, o.Value)})
			}
			if f.Type == forms.TypeCheckbox && len(f.Options) == 0 {
				fv.Value = ""
				if v := values.Get(f.Name); v != "" {
					fv.Value = forms.CheckedValue
				}
			}
		case forms.TypeMoney:
			fv.Prefix, fv.InputMode = web.CurrencySymbol(s.forms.Options().Currency), "decimal"
		case forms.TypeInteger:
			fv.InputMode = "numeric"
		case forms.TypeEmail:
			fv.Autocomplete = "email"
		case forms.TypeTel:
			fv.Autocomplete = "tel"
		case forms.TypeText:
			if f.Name == "name" || f.Name == "full_name" || f.Name == "your_name" || f.Name == "applicant_name" {
				fv.Autocomplete = "name"
			}
		case forms.TypeFile:
			fv.Accept = strings.Join(f.Accept, ",")
			maxMB := float64(s.forms.Options().MaxFileSize) / (1 << 20)
			if f.MaxSizeMB != nil && *f.MaxSizeMB < maxMB {
				maxMB = *f.MaxSizeMB
			}
			types := forms.DescribeTypes(f.Accept)
			if types == "" {
				types = web.T(c, "apply.file.any_type")
			}
			fv.FileHint = web.T(c, "form.file.hint", "Types", types, "MaxMB", strings.Replace(strconv.FormatFloat(maxMB, 'f', -1, 64), ".", web.DecimalSeparator(lang), 1))
			if pend != nil {
				for _, k := range pend.Kept(f.Name) {
					fv.Kept = append(fv.Kept, applyKept{Name: k.Filename, Size: applyFileSize(c, k.Size)})
				}
			}
		}
		var ids []string
		if fv.Hint != "" || fv.FileHint != "" {
			ids = append(ids, f.Name+"-hint")
		}
		if fv.Error != "" {
			ids = append(ids, f.Name+"-error")
		}
		fv.DescribedBy = strings.Join(ids, " ")
		out = append(out, fv)
	}
	return out
}

// applyFileSize writes a size in KB under a megabyte and in MB with one decimal
// above, as the answers on "check your answers" show it.
func applyFileSize(c *fiber.Ctx, size int64) string {
	if size < 1<<20 {
		return web.T(c, forms.KeyFileSizeKB, "Size", web.Number(web.LangOf(c), (size+1023)/1024))
	}
	tenths := (size*10 + (1<<20)/2) / (1 << 20)
	n := web.Number(web.LangOf(c), tenths/10)
	if tenths%10 != 0 {
		n += web.DecimalSeparator(web.LangOf(c)) + strconv.FormatInt(tenths%10, 10)
	}
	return web.T(c, forms.KeyFileSizeMB, "Size", n)
}

// applyErrorLinks is the error summary of a validation, each problem under
// its question's label.
func applyErrorLinks(c *fiber.Ctx, d *web.Directory, form *catalogue.OnlineForm, errs []forms.FieldError) []ErrorLink {
	out := make([]ErrorLink, 0, len(errs))
	for _, fe := range errs {
		l := ErrorLink{Href: "#" + cmp.Or(fe.Input, fe.Field), Message: ErrorText(c, fe)}
		if form != nil {
			for i := range form.Fields {
				if form.Fields[i].Name == fe.Field {
					l.Question, l.Lang = d.Text(form.Fields[i].Label, web.LangOf(c))
				}
			}
		}
		out = append(out, l)
	}
	return out
}

// appDisplay formats answers for the reader.
func (s *Handler) appDisplay(c *fiber.Ctx, d *web.Directory) forms.Display {
	return forms.Display{Lang: web.LangOf(c), Fallback: d.DefaultLang, T: s.Site.Translator.T, Money: func(minor int64, code, lang string) string {
		return web.Money{Minor: minor, Currency: code}.Format(lang)
	}}
}
