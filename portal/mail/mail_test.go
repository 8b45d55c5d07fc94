package mail

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/accounts"
	"sportello/catalogue"
	"sportello/catalogue/sqlstore"
	"sportello/notify"
	"sportello/portal/web"
	"sportello/store"
)

// The tests render with the portal's own translations and formats over the
// demo catalogue in a real SQLite database, with real unsubscribe tokens.
type fixtureT struct {
	r       *Renderer
	sh      *web.Shared
	notify  *notify.Store
	answers *fakeAnswers
}

var fixture fixtureT

const base = "https://portanova.example"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sportello-mail-test-")
	if err != nil {
		panic(err)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		ctx := context.Background()
		db, err := store.Open(ctx, filepath.Join(dir, "sportello.db"))
		if err != nil {
			panic(err)
		}
		defer db.Close()
		st, err := sqlstore.New(ctx, db)
		if err != nil {
			panic(err)
		}
		defer st.Close()
		cat, err := catalogue.Load(catalogue.DemoJSON())
		if err != nil {
			panic(err)
		}
		if _, err := st.Import(ctx, cat); err != nil {
			panic(err)
		}
		locales, _ := fs.Sub(web.Locales, "locales")
		tr, err := web.NewTranslator(locales)
		if err != nil {
			panic(err)
		}
		madrid, _ := time.LoadLocation("Europe/Madrid")
		sh := &web.Shared{
			Site: web.NewSite(tr, nil, base, false), Log: slog.New(slog.DiscardHandler),
			BaseURL: base, TimeZone: madrid, Catalogue: st,
		}
		if err := sh.Reload(ctx); err != nil {
			panic(err)
		}
		fixture.sh = sh
		fixture.notify = notify.New(db, nil)
		fixture.answers = &fakeAnswers{saved: map[int64]string{}}
		fixture.r, err = New(Options{Shared: sh, Answers: fixture.answers, Unsubscribe: fixture.notify, ConfirmFor: 48 * time.Hour, Appointments: fakeLinks{}})
		if err != nil {
			panic(err)
		}
		return m.Run()
	}()
	os.Exit(code)
}

// fakeLinks signs appointment links as "link-<id>".
type fakeLinks struct{}

func (fakeLinks) ManageToken(_ context.Context, id int64) (string, error) {
	return "link-" + strconv.FormatInt(id, 10), nil
}

// Someone who booked without signing in gets the link that is their key
// to the appointment, in every mail but the cancellation.
func TestAppointmentLinkWithoutAnAccount(t *testing.T) {
	for _, kind := range []notify.Kind{notify.AppointmentBooked, notify.AppointmentMoved, notify.AppointmentReminder} {
		n, _ := sample(kind, "es")
		n.PersonID = 0
		m, err := fixture.r.Render(context.Background(), n, notify.Recipient{Address: "ana@example.org", Lang: "es"})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{base + "/appointments/manage/link-77?lang=es", base + "/appointments/manage/link-77/calendar.ics?lang=es"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("%s lacks %q:\n%s", kind, want, m.Text)
			}
		}
		if strings.Contains(m.Text, "/account/") {
			t.Errorf("%s sends someone without an account to it:\n%s", kind, m.Text)
		}
	}
}

// fakeAnswers keeps saved answers in memory, as accounts.Answers keeps them
// in the database.
type fakeAnswers struct{ saved map[int64]string }

func (f *fakeAnswers) SavedAnswers(_ context.Context, personID int64) (accounts.SavedAnswers, error) {
	a, ok := f.saved[personID]
	if !ok {
		return accounts.SavedAnswers{}, accounts.ErrNotFound
	}
	return accounts.SavedAnswers{Answers: a, ConsentedAt: time.Now()}, nil
}

const (
	ref      = "PN-4KX7-9QJM"
	personID = int64(4711)
	// seventy is a resident of 70 who lives alone: meals on wheels and
	// the single-occupancy discount match, school meals do not.
	seventy = `{"age":70,"resident":true,"years_resident":30,"household_size":1,"children_under_18":0,"monthly_income":2500,"disability":false,"unemployed":false,"carer":false,"student":false,"homeowner":true,"renting":false}`
)

// sample is one notification of each kind, with what its mail must show
// in lang besides its reference.
func sample(kind notify.Kind, lang string) (notify.Notification, []string) {
	sh := fixture.sh
	n := notify.Notification{ID: 99, Kind: kind, Key: string(kind) + ":" + ref, PersonID: personID}
	amount := web.Money{Minor: 123450, Currency: "EUR"}.Format(lang)
	date := sh.ISODate(lang, "2026-03-03")
	parking := title("resident-parking-permit", lang)
	switch kind {
	case notify.ApplicationReceived:
		n.Data = map[string]string{"ref": ref, "service": "resident-parking-permit", "due": "2026-03-03"}
		return n, []string{ref, parking, date}
	case notify.InfoRequested:
		n.Data = map[string]string{"ref": ref, "service": "resident-parking-permit", "question": "Which street do you live on?"}
		return n, []string{ref, parking, "Which street do you live on?", base + "/account/applications/" + ref + "?lang=" + lang + "#respond-heading"}
	case notify.StatusChanged:
		n.Data = map[string]string{"ref": ref, "service": "resident-parking-permit", "status": "in_review", "note": "Checking the address."}
		return n, []string{ref, tr(lang, "applications.status.in_review"), "Checking the address."}
	case notify.Decision:
		n.Data = map[string]string{"ref": ref, "service": "resident-parking-permit", "status": "approved", "note": "Valid for one year."}
		return n, []string{ref, tr(lang, "kind.apply.status.approved"), "Valid for one year."}
	case notify.PaymentReceived:
		n.Data = map[string]string{"ref": ref, "service": "resident-parking-permit", "payment": "812", "amount": "123450", "currency": "eur"}
		return n, []string{ref, amount, base + "/account/payments/812/receipt?lang=" + lang}
	case notify.PaymentFailed:
		n.Data = map[string]string{"ref": ref, "service": "resident-parking-permit", "payment": "812", "reason": "expired"}
		return n, []string{ref, base + "/applications/" + ref + "/pay?lang=" + lang}
	case notify.RefundMade:
		n.Data = map[string]string{"ref": ref, "service": "resident-parking-permit", "payment": "812", "amount": "123450", "currency": "eur"}
		return n, []string{ref, amount}
	case notify.FormExpiring:
		n.Data = map[string]string{"service": "resident-parking-permit", "expires": "2026-03-03"}
		return n, []string{parking, date, base + "/services/resident-parking-permit/apply?lang=" + lang}
	case notify.RenewalDue:
		n.Data = map[string]string{"ref": ref, "service": "resident-parking-permit", "ends": "2026-03-03"}
		return n, []string{ref, parking, date, base + "/services/resident-parking-permit?lang=" + lang}
	case notify.SupportAlert:
		n.Data = map[string]string{"services": "meals-on-wheels school-meals-grant"}
		return n, []string{title("meals-on-wheels", lang), tr(lang, "reason.age", "Value", "70")}
	case notify.EmailConfirm:
		n.Data = map[string]string{"token": "c0nf1rm-T0ken"}
		return n, []string{base + "/account/notifications/confirm/c0nf1rm-T0ken?lang=" + lang, "48"}
	case notify.ReportStatus:
		n.Data = map[string]string{"ref": ref, "service": "report-a-pothole", "status": "fixed", "note": "Filled and sealed.", "role": "reporter"}
		return n, []string{ref, tr(lang, "reports.status.fixed"), "Filled and sealed.", title("report-a-pothole", lang)}
	case notify.AppointmentBooked, notify.AppointmentMoved, notify.AppointmentCancelled, notify.AppointmentReminder:
		n.Data = map[string]string{"id": "77", "service": "book-an-appointment-citizen-desk", "office": "citizen-services", "start": "2026-03-03T08:15:00Z", "minutes": "15"}
		when := sh.DateTime(lang, time.Date(2026, 3, 3, 8, 15, 0, 0, time.UTC))
		facts := []string{title("book-an-appointment-citizen-desk", lang), when, "Plaça Major 1"}
		if kind == notify.AppointmentCancelled {
			return n, append(facts, base+"/services/book-an-appointment-citizen-desk/book?lang="+lang)
		}
		bring, _ := fixture.sh.Directory().ServiceOf["book-an-appointment-citizen-desk"].Booking.Bring.In(lang, "en")
		return n, append(facts, bring[0], base+"/account/appointments/77?lang="+lang, base+"/account/appointments/77/calendar.ics?lang="+lang)
	case notify.PaymentLink:
		n.Data = map[string]string{"ref": ref, "service": "resident-parking-permit", "amount": "123450", "currency": "eur"}
		return n, []string{ref, parking, amount, base + "/applications/" + ref + "/pay?lang=" + lang}
	case notify.OrganisationInvite:
		n.Data = map[string]string{"token": "j01n-T0ken", "organisation": "Forno Ferri SL", "role": "member"}
		return n, []string{"Forno Ferri SL", tr(lang, "acting.role.member"), base + "/account/organisations/join/j01n-T0ken?lang=" + lang, "14"}
	case notify.RepresentationInvite:
		n.Data = map[string]string{"token": "acc3pt-T0ken", "principal": "Marta Vidal", "until": "2026-03-03"}
		return n, []string{"Marta Vidal", date, base + "/account/acting/accept/acc3pt-T0ken?lang=" + lang, "14"}
	}
	panic("no sample of " + kind)
}

func tr(lang, key string, pairs ...any) string {
	return fixture.sh.Site.Translator.T(lang, key, pairs...)
}

func title(slug, lang string) string {
	t, _ := fixture.sh.Directory().ServiceOf[slug].Title.In(lang, "en")
	return t
}

func recipient(lang string) notify.Recipient {
	return notify.Recipient{PersonID: personID, Name: "Maria Puig", Address: "maria@example.org", Lang: lang}
}

// english are phrases of the English mails that no other language's mail
// may show: a message missing from a language falls back to English.
var english = []string{
	"Hello", "Kind regards", " you ", "You ", " your ", "Your ", " the ", "The ", " we ", "We ",
	"Reference", "Service:", "Status", "Amount", "Outcome", "received", "Stop ", "Choose which",
	"automatically", "contact us", "because", "application", "Application",
}

var (
	urls       = regexp.MustCompile(`https?://[^\s"<>]+`)
	messageKey = regexp.MustCompile(`(^|[^a-z])(mail|kind|unsubscribe|reason|support|payments|applications|form)\.[a-z_]+`)
)

// Every kind renders in every language: a subject, plain text and HTML
// holding the facts, formatted as the language writes them, no template
// left unfilled, and no English in the other languages.
func TestEveryKindInEveryLanguage(t *testing.T) {
	fixture.answers.saved[personID] = seventy
	ctx := context.Background()
	for _, lang := range catalogue.Languages {
		for _, kind := range notify.Kinds {
			t.Run(lang+"/"+string(kind), func(t *testing.T) {
				n, facts := sample(kind, lang)
				m, err := fixture.r.Render(ctx, n, recipient(lang))
				if err != nil {
					t.Fatal(err)
				}
				if m.To != "maria@example.org" {
					t.Errorf("To %q", m.To)
				}
				if m.Subject == "" || strings.ContainsAny(m.Subject, "\r\n") || len([]rune(m.Subject)) > 90 {
					t.Errorf("subject %q: empty, on two lines or long", m.Subject)
				}
				if n.Data["ref"] != "" && !strings.Contains(m.Subject, ref) && !strings.Contains(m.Subject, title("resident-parking-permit", lang)) {
					t.Errorf("subject %q names neither the reference nor the service", m.Subject)
				}
				for _, part := range []struct{ name, body string }{{"text", m.Text}, {"html", m.HTML}} {
					for _, f := range facts {
						want := f
						if part.name == "html" {
							want = htmlEscape(f)
						}
						if !strings.Contains(part.body, want) {
							t.Errorf("%s lacks %q:\n%s", part.name, want, part.body)
						}
					}
					for _, bad := range []string{"{{", "}}", "<no value>", "%!"} {
						if strings.Contains(part.body, bad) {
							t.Errorf("%s holds %q:\n%s", part.name, bad, part.body)
						}
					}
					if key := messageKey.FindString(urls.ReplaceAllString(part.body, "")); key != "" {
						t.Errorf("%s shows the key %q of a missing message:\n%s", part.name, key, part.body)
					}
					if !strings.Contains(part.body, tr(lang, "mail.signoff")) || !strings.Contains(part.body, councilIn(lang)) {
						t.Errorf("%s is not signed by the council", part.name)
					}
					if lang == "en" {
						continue
					}
					words := urls.ReplaceAllString(part.body, "")
					words = strings.ReplaceAll(words, "Maria Puig", "")
					for _, f := range facts { // the caseworker's words, as written
						words = strings.ReplaceAll(words, htmlEscape(f), "")
						words = strings.ReplaceAll(words, f, "")
					}
					for _, phrase := range english {
						if strings.Contains(words, phrase) {
							t.Errorf("%s in %s holds the English %q:\n%s", part.name, lang, phrase, words)
						}
					}
				}
				if !strings.HasPrefix(m.HTML, "<!DOCTYPE html>") || !strings.Contains(m.HTML, `<html lang="`+lang+`">`) ||
					!strings.Contains(m.HTML, "<h1") || !strings.Contains(m.HTML, "<title>"+htmlEscape(m.Subject)+"</title>") {
					t.Errorf("HTML lacks its doctype, language, heading or title:\n%s", m.HTML)
				}
				if strings.Contains(m.HTML, "<img") || strings.Contains(m.HTML, "<script") {
					t.Error("HTML has an image or a script")
				}
				if kind.Optional() {
					if !strings.Contains(m.Text, tr(lang, "mail.stop."+string(kind))) {
						t.Error("an optional kind's footer does not say how to stop it")
					}
				} else if kind != notify.EmailConfirm && !strings.Contains(m.Text, tr(lang, "mail.always")) {
					t.Error("a required kind's footer does not say it is always sent")
				}
			})
		}
	}
}

func councilIn(lang string) string {
	a := fixture.sh.Site.Authority()
	s, _ := a.Name.In(lang, a.DefaultLanguage)
	return s
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}

// A service's kind decides the words: a pothole is a report sent, which
// we aim to fix by a date, never an application.
func TestReceivedSpeaksForTheServiceKind(t *testing.T) {
	tests := []struct {
		slug, lang, subject string
		says                []string
	}{
		{"report-a-pothole", "en", "Report PN-4KX7-9QJM received", []string{"We have received your report", "We aim to fix it by 3 March 2026.", "See your report"}},
		{"report-a-pothole", "es", "Aviso PN-4KX7-9QJM recibido", []string{"Hemos recibido su aviso", "Queremos arreglarlo antes del 3 de marzo de 2026."}},
		{"resident-parking-permit", "en", "Application PN-4KX7-9QJM received", []string{"You should get a decision by 3 March 2026.", "See your application"}},
		{"resident-parking-permit", "ca", "Sol·licitud PN-4KX7-9QJM rebuda", []string{"abans del 3 de març de 2026"}},
		{"bulky-waste-collection", "fr", "Demande de réservation PN-4KX7-9QJM reçue", []string{"Nous avons reçu votre demande de réservation"}},
		{"pay-a-parking-fine", "it", "Pagamento PN-4KX7-9QJM completato", []string{"Il Suo pagamento è stato completato"}},
		{"certificate-of-residence", "en", "Request PN-4KX7-9QJM received", []string{"You should hear from us by 3 March 2026."}},
	}
	for _, tt := range tests {
		n := notify.Notification{ID: 1, Kind: notify.ApplicationReceived, Key: "k", PersonID: personID,
			Data: map[string]string{"ref": ref, "service": tt.slug, "due": "2026-03-03"}}
		m, err := fixture.r.Render(context.Background(), n, recipient(tt.lang))
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != tt.subject {
			t.Errorf("%s in %s: subject %q, want %q", tt.slug, tt.lang, m.Subject, tt.subject)
		}
		for _, s := range tt.says {
			if !strings.Contains(m.Text, s) || !strings.Contains(m.HTML, htmlEscape(s)) {
				t.Errorf("%s in %s lacks %q:\n%s", tt.slug, tt.lang, s, m.Text)
			}
		}
		if tt.slug == "report-a-pothole" && strings.Contains(strings.ToLower(urls.ReplaceAllString(m.Text, "")), "application") {
			t.Errorf("a report's mail speaks of an application:\n%s", m.Text)
		}
	}
}

// What people write is shown as text: a caseworker's note with markup, or
// a name, never becomes markup in the HTML.
func TestHTMLEscapesWhatPeopleWrote(t *testing.T) {
	n := notify.Notification{ID: 2, Kind: notify.Decision, Key: "k", PersonID: personID, Data: map[string]string{
		"ref": ref, "service": "resident-parking-permit", "status": "rejected",
		"note": "<script>alert('x')</script>\r\nSee <a href=\"https://evil.example\">here</a> & there",
	}}
	to := recipient("en")
	to.Name = `Bob <img src=x onerror=alert(1)>`
	m, err := fixture.r.Render(context.Background(), n, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "<img", `<a href="https://evil.example"`} {
		if strings.Contains(m.HTML, bad) {
			t.Errorf("HTML holds %q:\n%s", bad, m.HTML)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;<br>See &lt;a href=", "&amp; there", "Bob &lt;img"} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, m.HTML)
		}
	}
	if !strings.Contains(m.Text, "> <script>alert('x')</script>\n> See <a href") {
		t.Errorf("the text quotes the note line by line as written:\n%s", m.Text)
	}
	if m.Subject != "Application PN-4KX7-9QJM: Rejected" {
		t.Errorf("subject %q", m.Subject)
	}
}

// The kinds a person may turn off carry List-Unsubscribe and
// List-Unsubscribe-Post (RFC 8058) with a link that turns that kind off
// for that person; the others carry neither, nor does a mail to someone
// without an account.
func TestUnsubscribeHeaders(t *testing.T) {
	fixture.answers.saved[personID] = seventy
	ctx := context.Background()
	for _, kind := range notify.Kinds {
		n, _ := sample(kind, "es")
		m, err := fixture.r.Render(ctx, n, recipient("es"))
		if err != nil {
			t.Fatal(err)
		}
		if !kind.Optional() {
			if len(m.Headers) != 0 {
				t.Errorf("%s: headers %v", kind, m.Headers)
			}
			continue
		}
		if m.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" {
			t.Errorf("%s: List-Unsubscribe-Post %q", kind, m.Headers["List-Unsubscribe-Post"])
		}
		lu := m.Headers["List-Unsubscribe"]
		tok, ok := strings.CutPrefix(lu, "<"+base+"/unsubscribe/")
		tok, ok2 := strings.CutSuffix(tok, "?lang=es>")
		if !ok || !ok2 {
			t.Fatalf("%s: List-Unsubscribe %q", kind, lu)
		}
		who, what, err := fixture.notify.CheckUnsubscribe(ctx, tok)
		if err != nil || who != personID || what != kind {
			t.Errorf("%s: the link's token is for %d, %q (%v)", kind, who, what, err)
		}
		link := strings.Trim(lu, "<>")
		if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, htmlEscape(link)) {
			t.Errorf("%s: the footer lacks the unsubscribe link", kind)
		}
		if !strings.Contains(m.Text, base+"/account/notifications?lang=es") {
			t.Errorf("%s: the footer lacks the settings link", kind)
		}

		anonymous := recipient("es")
		anonymous.PersonID = 0
		if kind == notify.SupportAlert {
			continue // only for people with saved answers
		}
		m, err = fixture.r.Render(ctx, n, anonymous)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Headers) != 0 || strings.Contains(m.Text, "/unsubscribe/") {
			t.Errorf("%s to someone without an account: %v", kind, m.Headers)
		}
	}
}

// Someone who applied without signing in has no account: their mails give
// the reference to quote, not links to pages they cannot open.
func TestNoAccountLinksWithoutAnAccount(t *testing.T) {
	for _, kind := range []notify.Kind{notify.ApplicationReceived, notify.InfoRequested, notify.Decision, notify.PaymentReceived, notify.PaymentFailed} {
		n, _ := sample(kind, "it")
		to := notify.Recipient{Address: "anon@example.org", Lang: "it"}
		m, err := fixture.r.Render(context.Background(), n, to)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(m.Text, "/account/") || strings.Contains(m.Text, "/pay?") {
			t.Errorf("%s: a link into the account:\n%s", kind, m.Text)
		}
		if !strings.Contains(m.Text, tr("it", "mail.greeting_anonymous")) || !strings.Contains(m.Text, ref) {
			t.Errorf("%s: greeting or reference missing:\n%s", kind, m.Text)
		}
	}
}

// A support alert gives each service still matching with its reason in the
// person's language; once the answers are deleted, or nothing matches any
// more, there is nothing to say.
func TestSupportAlert(t *testing.T) {
	ctx := context.Background()
	fixture.answers.saved[personID] = seventy
	n := notify.Notification{ID: 3, Kind: notify.SupportAlert, Key: "k", PersonID: personID,
		Data: map[string]string{"services": "meals-on-wheels property-tax-single-occupancy-discount school-meals-grant"}}
	reasons := map[string][]string{
		"en": {"you are 70", "you live alone", "2 services you may now be able to get"},
		"es": {"tiene 70 años", "en su hogar no vive nadie más que usted", "2 ayudas a las que ahora puede tener derecho"},
		"ca": {"té 70 anys", "a la seva llar no hi viu ningú més que vostè"},
		"it": {"ha 70 anni", "il Suo nucleo familiare è di una sola persona"},
		"fr": {"vous avez 70 ans", "personne d'autre que vous ne vit dans votre foyer"},
	}
	for lang, want := range reasons {
		m, err := fixture.r.Render(ctx, n, recipient(lang))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(m.Subject+"\n"+m.Text, w) {
				t.Errorf("%s lacks %q:\n%s\n%s", lang, w, m.Subject, m.Text)
			}
		}
		if strings.Contains(m.Text, title("school-meals-grant", lang)) {
			t.Errorf("%s lists a service the answers do not match", lang)
		}
		if !strings.Contains(m.Text, base+"/services/meals-on-wheels?lang="+lang) {
			t.Errorf("%s: no link to the service", lang)
		}
	}

	only := n
	only.Data = map[string]string{"services": "school-meals-grant no-such-service"}
	if _, err := fixture.r.Render(ctx, only, recipient("en")); !errors.Is(err, notify.ErrObsolete) {
		t.Errorf("nothing matching: %v, want ErrObsolete", err)
	}
	delete(fixture.answers.saved, personID)
	if _, err := fixture.r.Render(ctx, n, recipient("en")); !errors.Is(err, notify.ErrObsolete) {
		t.Errorf("answers deleted: %v, want ErrObsolete", err)
	}
}

// An unknown language reads as the catalogue's default; missing facts are
// an error, not a mail with holes.
func TestLanguageFallbackAndMissingFacts(t *testing.T) {
	n, facts := sample(notify.ApplicationReceived, "en")
	m, err := fixture.r.Render(context.Background(), n, recipient("de"))
	if err != nil || !strings.Contains(m.Text, facts[2]) || !strings.Contains(m.HTML, `lang="en"`) {
		t.Errorf("German reads as English: %v\n%s", err, m.Text)
	}
	n.Data = map[string]string{"service": "resident-parking-permit"}
	if _, err := fixture.r.Render(context.Background(), n, recipient("en")); err == nil {
		t.Error("a mail without its reference")
	}
	p, _ := sample(notify.PaymentReceived, "en")
	p.Data["amount"] = "12,50"
	if _, err := fixture.r.Render(context.Background(), p, recipient("en")); err == nil {
		t.Error("a mail with an amount that is not minor units")
	}
}

func TestNewRefusesWhatItCannotWorkWith(t *testing.T) {
	if _, err := New(Options{Shared: fixture.sh}); err == nil {
		t.Error("New without answers or tokens")
	}
	if _, err := New(Options{Shared: fixture.sh, Answers: fixture.answers, Unsubscribe: fixture.notify, BaseURL: "portanova.example"}); err == nil {
		t.Error("New with a base URL that is not absolute")
	}
}
