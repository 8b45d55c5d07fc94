package yourdata

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/accounts"
	"sportello/applications"
	"sportello/applications/forms"
	"sportello/payments"
	"sportello/portal/web"
)

// Format names the shape of the file /account/data.json downloads. The
// shape is documented in docs/your-data.md; fields are only ever added to
// it, and a change that is not an addition gets a new format name.
const Format = "sportello-personal-data/1"

// The file's shape. Times are RFC 3339 in UTC, null when something has not
// happened; dates (due_date) are YYYY-MM-DD; amounts are integers in
// minor units (cents) beside their ISO 4217 currency in lower case; texts
// meant for reading ("question", "text", "service_title") are in the
// language the file was asked in (lang).
type exportDoc struct {
	Format          string              `json:"format"`
	GeneratedAt     time.Time           `json:"generated_at"`
	Lang            string              `json:"lang"`
	Council         string              `json:"council"`
	Site            string              `json:"site"`
	Profile         exportProfile       `json:"profile"`
	SignIns         []exportSignIn      `json:"sign_ins"`
	Applications    []exportApplication `json:"applications"`
	Drafts          []exportDraft       `json:"drafts"`
	FormsInProgress []exportInProgress  `json:"forms_in_progress"`
	Payments        []exportPayment     `json:"payments"`
	SupportFinder   *exportSupport      `json:"support_finder"`
	EmailSettings   exportEmail         `json:"email_settings"`
	Notifications   []exportNotice      `json:"notifications"`
	// ActedForYou is what staff did for the person at the counter, with
	// who and why (package assist).
	ActedForYou []exportActed `json:"acted_for_you"`
	// Appointments booked; organisations belonged to, with the role;
	// representations given (the person is the principal) and received
	// (the person is the representative); reports at a place supported.
	Appointments            []exportAppointment    `json:"appointments"`
	Organisations           []exportMembership     `json:"organisations"`
	RepresentationsGiven    []exportRepresentation `json:"representations_given"`
	RepresentationsReceived []exportRepresentation `json:"representations_received"`
	ReportsSupported        []exportSupported      `json:"reports_supported"`
}

type exportActed struct {
	At        time.Time `json:"at"`
	Staff     string    `json:"staff"` // "" for the person's own sign-in that linked the record
	Action    string    `json:"action"`
	Reason    string    `json:"reason"`
	Reference string    `json:"reference,omitempty"`
}

type exportProfile struct {
	Name             string    `json:"name"`
	Email            string    `json:"email"`
	EmailVerified    bool      `json:"email_verified"`
	Roles            []string  `json:"roles"`
	IdentityProvider string    `json:"identity_provider"`
	Subject          string    `json:"subject"`
	CreatedAt        time.Time `json:"created_at"`
	LastSignedInAt   time.Time `json:"last_signed_in_at"`
	Level            string    `json:"level_of_this_sign_in"`
}

type exportSignIn struct {
	SignedInAt   time.Time `json:"signed_in_at"`
	LastActiveAt time.Time `json:"last_active_at"`
	Level        string    `json:"level"`
	Active       bool      `json:"active"`
}

type exportApplication struct {
	Reference    string          `json:"reference"`
	Service      string          `json:"service"`
	ServiceTitle string          `json:"service_title"`
	Status       string          `json:"status"`
	Language     string          `json:"language"`
	CreatedAt    time.Time       `json:"created_at"`
	SubmittedAt  *time.Time      `json:"submitted_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
	DueDate      *string         `json:"due_date"`
	Contact      exportContact   `json:"contact"`
	Fee          *exportMoney    `json:"fee"`
	Answers      []exportAnswer  `json:"answers"`
	History      []exportEvent   `json:"history"`
	Files        []exportFile    `json:"files"`
	URL          string          `json:"url"`
	Retention    exportRetention `json:"retention"`
}

type exportContact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

type exportMoney struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	When     string `json:"when,omitempty"`
}

// exportAnswer's value depends on type: a string (text, textarea, email,
// tel, vehicle_registration, date as YYYY-MM-DD, select and radio as the
// option's value), a number (integer), {"amount", "currency"} (money), an
// array of option values (checkbox) or true (a declaration), an object
// {"line1", "line2", "town", "postcode"} (address), an array of file ids
// (file, each in "files"); null when left empty. text is the answer as
// the page shows it, one line per item.
type exportAnswer struct {
	Field    string   `json:"field"`
	Question string   `json:"question"`
	Type     string   `json:"type"`
	Value    any      `json:"value"`
	Text     []string `json:"text"`
}

type exportEvent struct {
	At   time.Time `json:"at"`
	From string    `json:"from"`
	To   string    `json:"to"`
	By   string    `json:"by"` // applicant, caseworker, admin or system
	Note string    `json:"note"`
	// Files are the ids of the files sent with this step.
	Files []string `json:"files"`
}

type exportFile struct {
	ID          string    `json:"id"`
	Field       string    `json:"field"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedAt  time.Time `json:"uploaded_at"`
	DownloadURL string    `json:"download_url"`
}

// exportRetention is how long the council keeps the application: days
// after it is closed, when the catalogue says (null otherwise).
type exportRetention struct {
	DaysAfterClosing *int `json:"days_after_closing"`
}

type exportDraft struct {
	Service      string              `json:"service"`
	ServiceTitle string              `json:"service_title"`
	SavedAt      time.Time           `json:"saved_at"`
	DeletedAfter time.Time           `json:"deleted_after"`
	Inputs       map[string][]string `json:"inputs"`
}

type exportInProgress struct {
	Service      string              `json:"service"`
	ServiceTitle string              `json:"service_title"`
	UpdatedAt    time.Time           `json:"updated_at"`
	DeletedAfter time.Time           `json:"deleted_after"`
	Inputs       map[string][]string `json:"inputs"`
	Contact      exportContact       `json:"contact"`
	Files        []exportKept        `json:"files"`
}

type exportKept struct {
	Field    string `json:"field"`
	Filename string `json:"filename"`
	Size     int64  `json:"size"`
}

type exportPayment struct {
	ID             int64          `json:"id"`
	Reference      string         `json:"reference"`
	Service        string         `json:"service"`
	ServiceTitle   string         `json:"service_title"`
	Amount         int64          `json:"amount"`
	Currency       string         `json:"currency"`
	Status         string         `json:"status"`
	Provider       string         `json:"provider"`
	CardBrand      string         `json:"card_brand"`
	CardLast4      string         `json:"card_last4"`
	AmountReceived int64          `json:"amount_received"`
	RefundedAmount int64          `json:"refunded_amount"`
	CreatedAt      time.Time      `json:"created_at"`
	PaidAt         *time.Time     `json:"paid_at"`
	Refunds        []exportRefund `json:"refunds"`
	ReceiptURL     *string        `json:"receipt_url"`
}

type exportRefund struct {
	Amount    int64     `json:"amount"`
	Reason    string    `json:"reason"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

type exportSupport struct {
	SavedAt   time.Time        `json:"saved_at"`
	Answers   json.RawMessage  `json:"answers"`
	Questions []exportQuestion `json:"questions"`
	Alerts    exportAlerts     `json:"alerts"`
}

type exportQuestion struct {
	Name     string `json:"name"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

type exportAlerts struct {
	On       bool       `json:"on"`
	Since    *time.Time `json:"since"`
	Services []string   `json:"services_already_told"`
}

type exportEmail struct {
	AddressInUse     string     `json:"address_in_use"`
	ConfirmedAddress string     `json:"confirmed_address"`
	ConfirmedAt      *time.Time `json:"confirmed_at"`
	PendingAddress   string     `json:"pending_address"`
	PendingUntil     *time.Time `json:"pending_until"`
	Language         string     `json:"language"`
	TurnedOff        []string   `json:"turned_off"`
	SupportAlerts    bool       `json:"support_alerts"`
}

type exportNotice struct {
	Kind       string     `json:"kind"`
	Subject    string     `json:"subject"`
	Status     string     `json:"status"`
	SkipReason string     `json:"skip_reason"`
	To         string     `json:"to"`
	CreatedAt  time.Time  `json:"created_at"`
	SentAt     *time.Time `json:"sent_at"`
}

// dataDownload sends everything as one JSON file: GET /account/data.json.
func (s *Handler) dataDownload(c *fiber.Ctx) error {
	p, err := s.collect(c)
	if err != nil {
		return err
	}
	doc, err := s.export(c, p)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	name := "your-data-" + s.Today().Format(time.DateOnly) + ".json"
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(append(body, '\n'))
}

// export turns p into the file's shape, in the request's language.
func (s *Handler) export(c *fiber.Ctx, p personal) (exportDoc, error) {
	lang := web.LangOf(c)
	d := s.Directory()
	title := func(slug string) string { return serviceTitle(d, slug, lang).Text }
	doc := exportDoc{
		Format: Format, GeneratedAt: time.Now().UTC().Truncate(time.Second), Lang: lang,
		Site: s.BaseURL, Profile: profileOf(p.Profile, s.auth.LevelOf(web.ViewerOf(c))),
		SignIns: []exportSignIn{}, Applications: []exportApplication{}, Drafts: []exportDraft{},
		FormsInProgress: []exportInProgress{}, Payments: []exportPayment{}, Notifications: []exportNotice{},
		ActedForYou: []exportActed{},
	}
	for _, e := range p.ActedFor {
		doc.ActedForYou = append(doc.ActedForYou, exportActed{At: e.At.UTC(), Staff: e.Staff.Name, Action: e.Action, Reason: e.Reason, Reference: e.Reference})
	}
	doc.Council, _ = d.Text(web.SiteOf(c).Authority().Name, lang)
	for _, si := range p.SignIns {
		doc.SignIns = append(doc.SignIns, exportSignIn{SignedInAt: si.SignedInAt.UTC(), LastActiveAt: si.LastActiveAt.UTC(), Level: s.auth.LevelOfACR(si.ACR), Active: si.Active})
	}
	disp := forms.Display{Lang: lang, Fallback: web.SiteOf(c).Authority().DefaultLanguage, T: s.Site.Translator.T,
		Money: func(minor int64, currency, lang string) string {
			return web.Money{Minor: minor, Currency: currency}.Format(lang)
		}}
	for i := range p.Apps.Applications {
		doc.Applications = append(doc.Applications, s.exportApplication(&p.Apps.Applications[i], title, disp))
	}
	for _, dr := range p.Apps.Drafts {
		doc.Drafts = append(doc.Drafts, exportDraft{Service: dr.ServiceSlug, ServiceTitle: title(dr.ServiceSlug),
			SavedAt: dr.UpdatedAt.UTC(), DeletedAfter: dr.Expires().UTC(), Inputs: dr.Values})
	}
	for _, f := range p.Apps.InProgress {
		x := exportInProgress{Service: f.Slug, ServiceTitle: title(f.Slug), UpdatedAt: f.UpdatedAt.UTC(),
			DeletedAfter: f.UpdatedAt.Add(applications.PendingTTL).UTC(), Inputs: f.Values,
			Contact: exportContact(f.Contact), Files: []exportKept{}}
		for _, k := range f.Files {
			x.Files = append(x.Files, exportKept{Field: k.Field, Filename: k.Filename, Size: k.Size})
		}
		doc.FormsInProgress = append(doc.FormsInProgress, x)
	}
	for _, pp := range p.Payments {
		doc.Payments = append(doc.Payments, s.exportPayment(pp, title))
	}
	var err error
	if doc.SupportFinder, err = s.exportSupport(c, p); err != nil {
		return doc, err
	}
	doc.EmailSettings = emailOf(p)
	s.exportMore(&doc, p.More, title)
	for _, n := range p.Mail.Log {
		doc.Notifications = append(doc.Notifications, exportNotice{Kind: string(n.Kind), Subject: n.Subject, Status: n.Status,
			SkipReason: n.Reason, To: n.Address, CreatedAt: n.At.UTC(), SentAt: timeOrNull(n.SentAt)})
	}
	return doc, nil
}

func profileOf(p accounts.Profile, level string) exportProfile {
	roles := p.Roles
	if roles == nil {
		roles = []string{}
	}
	return exportProfile{Name: p.Name, Email: p.Email, EmailVerified: p.EmailVerified, Roles: roles,
		IdentityProvider: p.Issuer, Subject: p.Subject, CreatedAt: p.CreatedAt.UTC(), LastSignedInAt: p.SignedInAt.UTC(), Level: level}
}

func (s *Handler) exportApplication(a *applications.Application, title func(string) string, disp forms.Display) exportApplication {
	x := exportApplication{
		Reference: a.Reference.String(), Service: a.ServiceSlug, ServiceTitle: title(a.ServiceSlug),
		Status: string(a.Status), Language: a.Lang, CreatedAt: a.CreatedAt.UTC(), SubmittedAt: timeOrNull(a.SubmittedAt),
		UpdatedAt: a.UpdatedAt.UTC(), Contact: exportContact(a.Contact),
		Answers: []exportAnswer{}, History: []exportEvent{}, Files: []exportFile{},
		URL: s.Absolute("/account/applications/" + a.Reference.String()),
	}
	if a.DueDate != "" {
		x.DueDate = &a.DueDate
	}
	if a.Fee != nil {
		x.Fee = &exportMoney{Amount: a.Fee.Amount, Currency: a.Fee.Currency, When: a.Fee.When}
	}
	if s.RetentionDays != nil {
		if days, ok := s.RetentionDays(a.ServiceSlug); ok {
			x.Retention.DaysAfterClosing = &days
		}
	}
	for i := range a.Answers {
		ans := &a.Answers[i]
		x.Answers = append(x.Answers, exportAnswer{Field: ans.Field, Question: disp.Label(ans), Type: ans.Type, Value: answerValue(ans), Text: disp.Answer(ans)})
	}
	for _, e := range a.Events {
		ev := exportEvent{At: e.At.UTC(), From: string(e.From), To: string(e.To), By: e.ActorRole, Note: e.Note, Files: []string{}}
		for _, f := range e.Files {
			ev.Files = append(ev.Files, f.ID)
		}
		x.History = append(x.History, ev)
	}
	for _, f := range a.Files {
		x.Files = append(x.Files, exportFile{ID: f.ID, Field: f.Field, Filename: f.Filename, ContentType: f.ContentType,
			Size: f.Size, SHA256: f.SHA256, UploadedAt: f.CreatedAt.UTC(), DownloadURL: s.Absolute(fileURL(f.ID))})
	}
	return x
}

// answerValue is an answer's value for machines (exportAnswer).
func answerValue(a *forms.Answer) any {
	switch {
	case a.Empty():
		return nil
	case a.Type == forms.TypeInteger && a.Number != nil:
		return *a.Number
	case a.Type == forms.TypeMoney && a.Number != nil:
		return exportMoney{Amount: *a.Number, Currency: a.Currency}
	case a.Type == forms.TypeAddress && a.Address != nil:
		return a.Address
	case a.Type == forms.TypeFile:
		ids := make([]string, 0, len(a.Files))
		for _, f := range a.Files {
			ids = append(ids, f.ID)
		}
		return ids
	case a.Type == forms.TypeCheckbox && a.Checked:
		return true
	case a.Type == forms.TypeCheckbox:
		vals := make([]string, 0, len(a.Choices))
		for _, ch := range a.Choices {
			vals = append(vals, ch.Value)
		}
		return vals
	}
	return a.Text
}

func (s *Handler) exportPayment(pp payments.PersonPayment, title func(string) string) exportPayment {
	x := exportPayment{ID: pp.ID, Reference: pp.Reference, Service: pp.ServiceSlug, ServiceTitle: title(pp.ServiceSlug),
		Amount: pp.Amount, Currency: pp.Currency, Status: pp.Status, Provider: pp.Provider, CardBrand: pp.CardBrand,
		CardLast4: pp.CardLast4, AmountReceived: pp.AmountReceived, RefundedAmount: pp.RefundedAmount,
		CreatedAt: pp.CreatedAt.UTC(), PaidAt: timeOrNull(pp.PaidAt), Refunds: []exportRefund{}}
	if x.ServiceTitle == "" {
		x.ServiceTitle = pp.ServiceTitle
	}
	if pp.Settled() {
		u := s.Absolute(receiptURL(pp.ID))
		x.ReceiptURL = &u
	}
	for _, r := range pp.Refunds {
		x.Refunds = append(x.Refunds, exportRefund{Amount: r.Amount, Reason: r.Reason, Status: r.Status, CreatedAt: r.CreatedAt.UTC()})
	}
	return x
}

func (s *Handler) exportSupport(c *fiber.Ctx, p personal) (*exportSupport, error) {
	if p.Saved == nil {
		return nil, nil
	}
	x := &exportSupport{SavedAt: p.Saved.ConsentedAt.UTC(), Answers: json.RawMessage(p.Saved.Answers), Questions: []exportQuestion{},
		Alerts: exportAlerts{On: p.Alerts.On, Since: timeOrNull(p.Alerts.OptedInAt), Services: p.Alerts.Known}}
	if !json.Valid(x.Answers) {
		x.Answers = json.RawMessage("null")
	}
	if x.Alerts.Services == nil {
		x.Alerts.Services = []string{}
	}
	qas, err := s.supportAnswers(c, p.Saved.Answers)
	if err != nil {
		return nil, err
	}
	for _, qa := range qas {
		x.Questions = append(x.Questions, exportQuestion{Name: qa.Name, Question: qa.Question.Text, Answer: qa.Answer})
	}
	return x, nil
}

// supportAnswers words saved answers as the finder does, when it can.
func (s *Handler) supportAnswers(c *fiber.Ctx, raw string) ([]QA, error) {
	if s.SupportAnswers == nil {
		return nil, nil
	}
	return s.SupportAnswers(c, raw)
}

func emailOf(p personal) exportEmail {
	st := p.Mail.Settings
	x := exportEmail{Language: st.Lang, TurnedOff: []string{}, SupportAlerts: st.SupportAlerts,
		AddressInUse: addressInUse(p), ConfirmedAddress: st.Email, ConfirmedAt: timeOrNull(st.EmailConfirmedAt)}
	for _, k := range st.Off {
		x.TurnedOff = append(x.TurnedOff, string(k))
	}
	if c := p.Mail.Pending; c != nil {
		x.PendingAddress, x.PendingUntil = c.Email, timeOrNull(c.Expires)
	}
	return x
}

// addressInUse is where mail goes, as notify.Store.Recipient decides.
func addressInUse(p personal) string {
	st := p.Mail.Settings
	switch {
	case st.Email != "" && !st.EmailConfirmedAt.IsZero():
		return st.Email
	case p.Profile.EmailVerified:
		return p.Profile.Email
	}
	return ""
}

func timeOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
