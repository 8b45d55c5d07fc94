package main

import (
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/notify"
	"sportello/notify/smtptest"
	"sportello/store"
	"sportello/store/storetest"
)

// Notifications end to end (issue 12, "Tests"): `sportello serve` as
// production wires it (the outbox written by applications and payments in
// their transactions, the background jobs, the notifications_send job, the
// mails written by portal/mail, the SMTP channel) sending to
// notify/smtptest, a real SMTP server on a loopback TCP port named by
// SPORTELLO_SMTP_URL. People act over HTTP as in instances_test.go.

// mailFrom is the council's sender address in these tests.
const mailFrom = "Ajuntament de Porta Nova <no-reply@portanova.example>"

// mailSettings point an instance at srv.
func mailSettings(srv *smtptest.Server) map[string]string {
	return map[string]string{
		"SPORTELLO_SMTP_URL":      srv.URL(),
		"SPORTELLO_MAIL_FROM":     mailFrom,
		"SPORTELLO_MAIL_INTERVAL": "1s",
	}
}

// postOffice is the SMTP server and the outbox the instances share.
type postOffice struct {
	srv  *smtptest.Server
	db   *store.DB
	host string // of the base URL: it ends every Message-ID
}

func newPostOffice(t testing.TB, srv *smtptest.Server, dsn string, in *instance) *postOffice {
	u, err := url.Parse(in.base)
	if err != nil {
		t.Fatal(err)
	}
	return &postOffice{srv: srv, db: storetest.OpenURL(t, dsn), host: u.Hostname()}
}

// queued returns the id of the newest notification of kind whose event
// key, data or address contains about, waiting for a job to write it.
func (po *postOffice) queued(t testing.TB, kind notify.Kind, about string) int64 {
	t.Helper()
	like := "%" + about + "%"
	var id int64
	eventually(t, fmt.Sprintf("a %s notification about %q is in the outbox", kind, about), 50*time.Millisecond, func() bool {
		return po.db.SQL().QueryRow(po.db.Rebind(`SELECT id FROM notifications WHERE kind = ?
			AND (event_key LIKE ? OR data LIKE ? OR address = ?) ORDER BY created_at DESC, id LIMIT 1`),
			string(kind), like, like, about).Scan(&id) == nil
	})
	return id
}

// messageID is the Message-ID header of notification id's mail.
func (po *postOffice) messageID(id int64) string {
	return "<" + notify.MessageID(id, po.host) + ">"
}

// copies are the mails of notification id the server accepted so far.
func (po *postOffice) copies(id int64) []smtptest.Message {
	want := po.messageID(id)
	return slices.DeleteFunc(po.srv.Messages(), func(m smtptest.Message) bool { return m.Header.Get("Message-ID") != want })
}

// delivered waits for the mail of notification id, and fails the test if
// it does not come or comes twice.
func (po *postOffice) delivered(t testing.TB, id int64) smtptest.Message {
	t.Helper()
	var got []smtptest.Message
	eventually(t, fmt.Sprintf("notification %d is mailed", id), 50*time.Millisecond, func() bool {
		if got = po.copies(id); len(got) > 1 {
			t.Fatalf("notification %d was mailed %d times", id, len(got))
		}
		return len(got) == 1
	})
	return got[0]
}

// mailOf waits for the mail of the newest notification of kind about about.
func (po *postOffice) mailOf(t testing.TB, kind notify.Kind, about string) smtptest.Message {
	t.Helper()
	return po.delivered(t, po.queued(t, kind, about))
}

// letter is what a mail must be.
type letter struct {
	kind    notify.Kind
	to      string
	lang    string
	subject []string // each in the subject
	says    []string // each in the plain text and in the HTML
	// reader follows the links, signed in as the recipient; nil for
	// someone who applied without signing in.
	reader *person
}

// formAnswers are what the tests type into forms: never in a mail.
var formAnswers = []string{"Carrer Major 5", "08800", "bin.png", "1234BCD", "1234 bcd", "Carrer del Port 3", "registration.pdf"}

var (
	textLink = regexp.MustCompile(`https?://[^\s<>"]+`)
	htmlLink = regexp.MustCompile(`href="([^"]*)"`)
	htmlHead = regexp.MustCompile(`(?s)<head.*</head>`)
	htmlTag  = regexp.MustCompile(`<[^>]*>`)
)

// check checks m against want: envelope and headers, subject, facts, the
// language (and no English in another), links that are absolute, in the
// language and answer 200 to the reader, List-Unsubscribe on the kinds one
// may turn off only, and none of the form's answers.
func (want letter) check(t *testing.T, in *instance, m smtptest.Message) {
	t.Helper()
	subject := decodeHeader(t, m.Header.Get("Subject"))
	text, body := m.Text, html.UnescapeString(m.HTML)
	t.Logf("%s mail in %s to %s: %q", want.kind, want.lang, want.to, subject)
	if !slices.Equal(m.To, []string{want.to}) || !strings.Contains(m.Header.Get("To"), want.to) {
		t.Errorf("%s: sent to %v (To: %s), want %s", want.kind, m.To, m.Header.Get("To"), want.to)
	}
	if from := m.Header.Get("From"); !strings.Contains(from, "no-reply@portanova.example") {
		t.Errorf("%s: From: %s", want.kind, from)
	}
	for _, s := range want.subject {
		if !strings.Contains(subject, s) {
			t.Errorf("%s: the subject %q lacks %q", want.kind, subject, s)
		}
	}
	if text == "" || body == "" {
		t.Fatalf("%s: text %d bytes, HTML %d bytes; want both", want.kind, len(text), len(body))
	}
	for _, s := range want.says {
		if !strings.Contains(text, s) || !strings.Contains(body, s) {
			t.Errorf("%s: the mail lacks %q in its text or its HTML:\n%s", want.kind, s, text)
		}
	}
	if !strings.Contains(m.HTML, `<html lang="`+want.lang+`"`) {
		t.Errorf("%s: the HTML is not marked as %s", want.kind, want.lang)
	}
	for _, a := range formAnswers {
		if strings.Contains(text, a) || strings.Contains(body, a) {
			t.Errorf("%s: the mail holds the answer %q", want.kind, a)
		}
	}
	if want.lang != "en" {
		visible := html.UnescapeString(htmlTag.ReplaceAllString(htmlHead.ReplaceAllString(m.HTML, ""), " "))
		if found := mailEnglish(t).find(want.lang, []string{subject, text, visible}); len(found) > 0 {
			t.Errorf("%s: the %s mail has English: %s", want.kind, want.lang, strings.Join(found, "; "))
		}
	}

	unsubscribe, post := m.Header.Get("List-Unsubscribe"), m.Header.Get("List-Unsubscribe-Post")
	if want.kind.Optional() && want.reader != nil {
		if !strings.HasPrefix(unsubscribe, "<"+in.base+"/unsubscribe/") || post != "List-Unsubscribe=One-Click" {
			t.Errorf("%s may be turned off: List-Unsubscribe %q, List-Unsubscribe-Post %q", want.kind, unsubscribe, post)
		}
	} else if unsubscribe != "" || post != "" {
		t.Errorf("%s is always sent, yet has List-Unsubscribe %q, List-Unsubscribe-Post %q", want.kind, unsubscribe, post)
	}

	links := textLink.FindAllString(text, -1)
	for _, l := range htmlLink.FindAllStringSubmatch(m.HTML, -1) {
		if l[1] = html.UnescapeString(l[1]); !strings.HasPrefix(l[1], "mailto:") && !strings.HasPrefix(l[1], "tel:") {
			links = append(links, l[1])
		}
	}
	slices.Sort(links)
	reader := want.reader
	if reader == nil {
		reader = newPerson(t)
	}
	for _, l := range slices.Compact(links) {
		if l == councilWebsite(t) {
			continue // the council's own site, in the footer's contacts
		}
		u, err := url.Parse(l)
		if err != nil || !strings.HasPrefix(l, in.base+"/") {
			t.Errorf("%s: the link %q is not an absolute link to %s", want.kind, l, in.base)
			continue
		}
		if got := u.Query().Get("lang"); got != want.lang {
			t.Errorf("%s: the link %s is in %q, want %q", want.kind, l, got, want.lang)
		}
		page := reader.get(in, strings.TrimPrefix(l, in.base))
		if page.status != http.StatusOK {
			t.Errorf("%s: the link %s answers %d", want.kind, l, page.status)
		}
	}
	if want.reader != nil && !slices.ContainsFunc(links, func(l string) bool { return !strings.Contains(l, "/unsubscribe/") }) {
		t.Errorf("%s: no link back to the portal", want.kind)
	}
}

// unsubscribe posts the one-click unsubscribe of m as a mail client does
// (RFC 8058: no cookie, no CSRF token) and checks the kind is then off for
// person.
func (po *postOffice) unsubscribe(t *testing.T, m smtptest.Message, kind notify.Kind, person int64) {
	t.Helper()
	link := strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
	res, err := http.Post(link, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("one-click unsubscribe from %s: %d", kind, res.StatusCode)
	}
	st, err := notify.New(po.db, nil).Settings(t.Context(), person)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(st.Off, kind) {
		t.Errorf("after the one-click unsubscribe, %s is not off: %+v", kind, st)
	}
}

// councilWebsite is the demo authority's website, which every mail gives
// among the ways to contact the council.
func councilWebsite(t *testing.T) string {
	t.Helper()
	c, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	return c.Authority.Website
}

func decodeHeader(t testing.TB, h string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(h)
	if err != nil {
		t.Fatalf("header %q: %v", h, err)
	}
	return s
}

// mailEnglish is the detector of English of the language walk
// (english_words_test.go), learnt once.
var mailEnglish = func() func(t *testing.T) englishWords {
	var words englishWords
	return func(t *testing.T) englishWords {
		t.Helper()
		if words == nil {
			words = loadEnglishWords(t)
		}
		return words
	}
}()

// personID is the id of the demo persona with email.
func (po *postOffice) personID(t testing.TB, email string) int64 {
	t.Helper()
	var id int64
	if err := po.db.SQL().QueryRow(po.db.Rebind(`SELECT id FROM people WHERE email = ?`), email).Scan(&id); err != nil {
		t.Fatalf("person %s: %v", email, err)
	}
	return id
}

func (po *postOffice) exec(t testing.TB, query string, args ...any) {
	t.Helper()
	if _, err := po.db.SQL().Exec(po.db.Rebind(query), args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

var referenceIn = regexp.MustCompile(`(?:id|class)="reference">([A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4})<`)

// reportMissedBin sends the demo's missed bin report on in, signed in or
// not, and returns its reference.
func (p *person) reportMissedBin(in *instance) string {
	p.t.Helper()
	const path = "/services/report-missed-bin-collection/apply"
	csrf, token := tokens(p.t, p.get(in, path))
	sent := p.postFile(in, path, binForm(csrf, token), "photo", "bin.png", pngBytes)
	if sent.status != http.StatusOK || sent.url.Path != path+"/check" {
		p.t.Fatalf("sending the bin form: %d at %s", sent.status, sent.url)
	}
	done := p.post(in, path+"/submit", url.Values{"_csrf": {csrf}, "_token": {token}})
	ref := referenceIn.FindStringSubmatch(done.body)
	if done.status != http.StatusOK || ref == nil {
		p.t.Fatalf("submitting the bin form: %d at %s, no reference", done.status, done.url)
	}
	return ref[1]
}

// changeStatus moves an application on as the signed-in caseworker p does
// on its page.
func (p *person) changeStatus(in *instance, ref, from, to, note string) {
	p.t.Helper()
	page := p.get(in, "/staff/applications/"+ref)
	csrf, _ := tokens(p.t, page)
	r := p.post(in, "/staff/applications/"+ref+"/status", url.Values{"_csrf": {csrf}, "from": {from}, "to": {to}, "note": {note}})
	if r.status != http.StatusOK || r.url.Query().Get("done") != "changed" {
		p.t.Fatalf("changing %s from %s to %s: %d at %s", ref, from, to, r.status, r.url)
	}
}

// applyForParkingPermit sends the resident parking permit's form as the
// signed-in p and returns the reference and the checkout page it leads to
// (its fee is due on application).
func (p *person) applyForParkingPermit(in *instance) (string, answer) {
	p.t.Helper()
	const path = "/services/resident-parking-permit/apply"
	csrf, token := tokens(p.t, p.get(in, path))
	start := time.Now().AddDate(0, 0, 7)
	form := url.Values{
		"_csrf": {csrf}, "_token": {token}, "_action": {"continue"},
		"address-line1": {"Carrer del Port 3"}, "address-town": {"Porta Nova"}, "address-postcode": {"08800"},
		"zone": {"zone_b"}, "vehicle_registration": {"1234 bcd"}, "ownership": {"own"},
		"start_date-day": {strconv.Itoa(start.Day())}, "start_date-month": {strconv.Itoa(int(start.Month()))}, "start_date-year": {strconv.Itoa(start.Year())},
		"email": {"marta.vidal@example.org"},
	}
	pdf := []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	check := p.postFile(in, path, form, "vehicle_document", "registration.pdf", pdf)
	if check.status != http.StatusOK || check.url.Path != path+"/check" {
		p.t.Fatalf("sending the parking permit form: %d at %s", check.status, check.url)
	}
	checkout := p.post(in, path+"/submit", url.Values{"_csrf": {csrf}, "_token": {token}})
	ref := referenceIn.FindStringSubmatch(checkout.body)
	if checkout.status != http.StatusOK || !strings.HasPrefix(checkout.url.Path, "/payments/simulated/") || ref == nil {
		p.t.Fatalf("submitting the parking permit: %d at %s, want the simulated checkout with the reference", checkout.status, checkout.url)
	}
	return ref[1], checkout
}

// choose answers the simulated checkout p is on.
func (p *person) choose(in *instance, checkout answer, choice string) answer {
	p.t.Helper()
	csrf, _ := tokens(p.t, checkout)
	return p.post(in, checkout.url.Path, url.Values{"_csrf": {csrf}, "choice": {choice}})
}

// checkedKinds are the kinds ticked on the notifications page.
func checkedKinds(page answer) []string {
	var kinds []string
	for _, m := range regexp.MustCompile(`name="receive" value="([a-z_]+)" checked`).FindAllStringSubmatch(page.body, -1) {
		kinds = append(kinds, m[1])
	}
	return kinds
}

// answerSupportFinder answers the support finder's questions from profile
// and saves the answers, consenting.
func (p *person) answerSupportFinder(in *instance, profile map[string]string) {
	p.t.Helper()
	question := regexp.MustCompile(`^/support-finder/questions/([a-z_0-9]+)$`)
	first := regexp.MustCompile(`href="(/support-finder/questions/[a-z_0-9]+)"`).FindStringSubmatch(p.get(in, "/support-finder").body)
	if first == nil {
		p.t.Fatal("the support finder has no first question")
	}
	page := p.get(in, first[1])
	for range 50 {
		m := question.FindStringSubmatch(page.url.Path)
		if m == nil {
			break
		}
		answer, ok := profile[m[1]]
		if !ok {
			p.t.Fatalf("the support finder asks %q, which the profile does not answer", m[1])
		}
		csrf, _ := tokens(p.t, page)
		page = p.post(in, page.url.Path, url.Values{"_csrf": {csrf}, "answer": {answer}})
	}
	csrf, _ := tokens(p.t, p.get(in, "/support-finder/results"))
	if r := p.post(in, "/support-finder/save", url.Values{"_csrf": {csrf}, "consent": {"yes"}}); r.status != http.StatusOK {
		p.t.Fatalf("saving the support finder's answers: %d at %s", r.status, r.url)
	}
}

// olderPerson is a profile of the support finder that matches services.
var olderPerson = map[string]string{
	"age": "70", "resident": "yes", "years_resident": "40", "household_size": "1",
	"children_under_18": "0", "monthly_income": "613", "disability": "no", "unemployed": "no",
	"carer": "no", "student": "no", "homeowner": "no", "renting": "yes",
}

// TestNotificationsEndToEnd is the "Tests" section on one server
// (SQLite): every kind of mail, in the language of its reader; then the
// mail server goes down and comes back, and nothing is lost or doubled.
func TestNotificationsEndToEnd(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	dsn := storetest.URL(t, store.DialectSQLite)
	in := startInstance(t, "mail", dsn, time.Second, mailSettings(srv))
	po := newPostOffice(t, srv, dsn, in)
	if !t.Run("every kind in the reader's language", func(t *testing.T) { testEveryKind(t, po, in) }) {
		return
	}
	t.Run("each mail once across an outage of the mail server", func(t *testing.T) { testOutage(t, po, in) })
}

func testEveryKind(t *testing.T, po *postOffice, in *instance) {
	caseworker := newPerson(t)
	caseworker.signIn(in, "caseworker", "/account")

	// Someone not signed in reports a missed bin in English, leaving an
	// address: their mails have the reference, no link into an account and
	// nothing to unsubscribe from, even of a kind others may turn off.
	visitor := newPerson(t)
	visitor.get(in, "/?lang=en")
	ref := visitor.reportMissedBin(in)
	letter{kind: notify.ApplicationReceived, to: "ana@example.org", lang: "en",
		subject: []string{"Report " + ref + " received"}, says: []string{ref, "Report a missed bin collection"},
	}.check(t, in, po.mailOf(t, notify.ApplicationReceived, ref))
	caseworker.changeStatus(in, ref, "submitted", "in_review", "")
	letter{kind: notify.StatusChanged, to: "ana@example.org", lang: "en",
		subject: []string{"Report " + ref + ":"}, says: []string{ref},
	}.check(t, in, po.mailOf(t, notify.StatusChanged, ref))

	// Marta reports one in Spanish, signed in: received, the review with
	// a note (a kind she may turn off, and does, in one click), a
	// question, the decision with its note; all in Spanish.
	marta := newPerson(t)
	marta.signIn(in, "resident", "/account")
	martaID := po.personID(t, "marta.vidal@example.org")
	marta.get(in, "/?lang=es")
	ref = marta.reportMissedBin(in)
	es := func(kind notify.Kind, subject []string, says ...string) letter {
		return letter{kind: kind, to: "marta.vidal@example.org", lang: "es", subject: subject, says: says, reader: marta}
	}
	const binES = "Avisar de que no se ha recogido la basura"
	es(notify.ApplicationReceived, []string{"Aviso " + ref + " recibido"}, ref, binES, "Hola, Marta Vidal:").
		check(t, in, po.mailOf(t, notify.ApplicationReceived, ref))

	const reviewNote = "Hemos pedido al servicio de recogida que pase por su calle."
	caseworker.changeStatus(in, ref, "submitted", "in_review", reviewNote)
	reviewed := po.mailOf(t, notify.StatusChanged, ref)
	es(notify.StatusChanged, []string{"Aviso " + ref + ":"}, ref, reviewNote).check(t, in, reviewed)
	po.unsubscribe(t, reviewed, notify.StatusChanged, martaID)

	const question = "¿Delante de qué número está el contenedor?"
	caseworker.changeStatus(in, ref, "in_review", "more_info_needed", question)
	es(notify.InfoRequested, []string{"Aviso " + ref + ": necesitamos más información"}, ref, question).
		check(t, in, po.mailOf(t, notify.InfoRequested, ref))
	page := marta.get(in, "/account/applications/"+ref)
	csrf, _ := tokens(t, page)
	if r := marta.postFile(in, "/account/applications/"+ref+"/respond", url.Values{"_csrf": {csrf}, "message": {"Delante del número 7."}}, "", "", nil); r.status != http.StatusOK {
		t.Fatalf("answering the question: %d at %s", r.status, r.url)
	}
	const decisionNote = "El camión pasará mañana a primera hora."
	caseworker.changeStatus(in, ref, "in_review", "approved", decisionNote)
	es(notify.Decision, []string{"Aviso " + ref + ":"}, ref, decisionNote).
		check(t, in, po.mailOf(t, notify.Decision, ref))

	// The parking permit, €40 due on application: a declined card, then
	// paid (received and paid), then partly refunded by staff.
	permit, checkout := marta.applyForParkingPermit(in)
	const permitES = "Solicitar el permiso de aparcamiento para residentes"
	if r := marta.choose(in, checkout, "decline"); r.status != http.StatusOK {
		t.Fatalf("declining the card: %d at %s", r.status, r.url)
	}
	es(notify.PaymentFailed, []string{"Solicitud " + permit + ": el pago no se ha completado"}, permit, permitES, "No se le ha cobrado nada.").
		check(t, in, po.mailOf(t, notify.PaymentFailed, permit))
	pay := marta.get(in, "/applications/"+permit+"/pay")
	csrf, _ = tokens(t, pay)
	checkout = marta.post(in, "/applications/"+permit+"/pay", url.Values{"_csrf": {csrf}})
	if r := marta.choose(in, checkout, "pay"); r.status != http.StatusOK || r.url.Path != "/payments/return" {
		t.Fatalf("paying: %d at %s", r.status, r.url)
	}
	paid := po.mailOf(t, notify.PaymentReceived, permit)
	es(notify.PaymentReceived, []string{"Solicitud " + permit + ": pago de 40,00\u00a0€ recibido"}, permit, permitES, "40,00\u00a0€").check(t, in, paid)
	es(notify.ApplicationReceived, []string{"Solicitud " + permit + " recibida"}, permit, permitES).
		check(t, in, po.mailOf(t, notify.ApplicationReceived, permit))
	receipt := regexp.MustCompile(`/account/payments/([0-9]+)/receipt`).FindStringSubmatch(paid.Text)
	if receipt == nil {
		t.Fatalf("the payment's mail links no receipt:\n%s", paid.Text)
	}
	refund := "/staff/payments/" + receipt[1] + "/refund"
	csrf, token := tokens(t, caseworker.get(in, refund))
	if r := caseworker.post(in, refund, url.Values{"_csrf": {csrf}, "_token": {token}, "amount": {"15.00"}, "reason": {"Zone changed"}}); r.status != http.StatusOK {
		t.Fatalf("refunding: %d at %s", r.status, r.url)
	}
	es(notify.RefundMade, []string{"Solicitud " + permit + ": devolución de 15,00\u00a0€"}, permit, "15,00\u00a0€").
		check(t, in, po.mailOf(t, notify.RefundMade, permit))

	// The review of the permit is a status change, which Marta turned
	// off: it is skipped, with the reason, and not mailed.
	caseworker.changeStatus(in, permit, "submitted", "in_review", "")
	skipped := po.queued(t, notify.StatusChanged, permit)

	// Marta wants her mail in Italian from now on: the decision comes in
	// Italian, whatever language the site or the form was in.
	settings := marta.get(in, "/account/notifications")
	csrf, _ = tokens(t, settings)
	if r := marta.post(in, "/account/notifications/settings", url.Values{"_csrf": {csrf}, "receive": checkedKinds(settings), "lang": {"it"}}); r.status != http.StatusOK {
		t.Fatalf("choosing Italian: %d at %s", r.status, r.url)
	}
	const permitIT = "Richiedere il permesso di sosta per residenti"
	const approvedNote = "Il permesso vale dalla data che ha indicato."
	caseworker.changeStatus(in, permit, "in_review", "approved", approvedNote)
	letter{kind: notify.Decision, to: "marta.vidal@example.org", lang: "it", subject: []string{"Domanda " + permit + ":"},
		says: []string{permit, permitIT, approvedNote, "Gentile Marta Vidal"}, reader: marta,
	}.check(t, in, po.mailOf(t, notify.Decision, permit))
	if copies := po.copies(skipped); len(copies) != 0 {
		t.Errorf("a status change turned off was mailed %d times", len(copies))
	}
	var status, reason string
	if err := po.db.SQL().QueryRow(po.db.Rebind(`SELECT status, skip_reason FROM notifications WHERE id = ?`), skipped).Scan(&status, &reason); err != nil || status != "skipped" || reason != "turned_off" {
		t.Errorf("the status change turned off is %s (%s), %v; want skipped, turned_off", status, reason, err)
	}

	// A new address: the link goes to it, in Italian, and confirms it.
	const home = "marta.casa@example.org"
	csrf, _ = tokens(t, marta.get(in, "/account/notifications"))
	if r := marta.post(in, "/account/notifications/email", url.Values{"_csrf": {csrf}, "email": {home}}); r.status != http.StatusOK {
		t.Fatalf("asking for a new address: %d at %s", r.status, r.url)
	}
	confirm := po.mailOf(t, notify.EmailConfirm, home)
	letter{kind: notify.EmailConfirm, to: home, lang: "it", subject: []string{"Confermi il Suo indirizzo email"},
		says: []string{home}, reader: marta}.check(t, in, confirm)
	link := regexp.MustCompile(`/account/notifications/confirm/[^\s?"]+`).FindString(confirm.Text)
	confirmPage := marta.get(in, link)
	csrf, _ = tokens(t, confirmPage)
	if r := marta.post(in, link, url.Values{"_csrf": {csrf}}); r.status != http.StatusOK || !strings.Contains(r.body, `<dd id="address-current">`+home+`</dd>`) {
		t.Fatalf("confirming the new address from the mail's link: %d at %s", r.status, r.url)
	}

	// The reminders of the jobs, with data made due: Marta's permit
	// approved 355 days ago (it lasts 365, reminded 30 days before); a
	// form Luca saved in French 25 days ago (kept 30, reminded 7 days
	// before); support alerts Élodie asked for in Catalan, with services
	// her answers match that she has not been told of. The server
	// restarts with the three jobs due, as after a deployment.
	luca := newPerson(t)
	luca.signIn(in, "business", "/account")
	luca.get(in, "/?lang=fr")
	const binPath = "/services/report-missed-bin-collection/apply"
	csrf, token = tokens(t, luca.get(in, binPath))
	draft := binForm(csrf, token)
	draft.Set("_action", "save")
	if r := luca.postFile(in, binPath, draft, "", "", nil); r.status != http.StatusOK || r.url.Path != "/account/applications" {
		t.Fatalf("saving a draft: %d at %s", r.status, r.url)
	}
	elodie := newPerson(t)
	elodie.signIn(in, "editor", "/account")
	elodie.get(in, "/?lang=ca")
	elodie.answerSupportFinder(in, olderPerson)
	csrf, _ = tokens(t, elodie.get(in, "/account/notifications"))
	if r := elodie.post(in, "/account/notifications/support-alerts", url.Values{"_csrf": {csrf}, "alerts": {"on"}}); r.status != http.StatusOK {
		t.Fatalf("asking for support alerts: %d at %s", r.status, r.url)
	}
	lucaID, elodieID := po.personID(t, "luca.ferri@forno-ferri.example"), po.personID(t, "elodie.martin@porta-nova.example")

	in.stop(t)
	ago := func(days int) time.Time { return time.Now().AddDate(0, 0, -days).UTC().Truncate(time.Microsecond) }
	po.exec(t, `UPDATE application_events SET at = ? WHERE to_status = 'approved'
		AND application_id = (SELECT id FROM applications WHERE reference = ?)`, ago(355), permit)
	po.exec(t, `UPDATE application_drafts SET updated_at = ? WHERE person_id = ?`, ago(25), lucaID)
	po.exec(t, `DELETE FROM support_alert_matches WHERE person_id = ?`, elodieID)
	po.exec(t, `UPDATE jobs SET next_run_at = 0 WHERE name IN ('applications_renewal_reminders', 'applications_draft_reminders', 'support_alerts')`)
	in.start(t)

	renewal := po.mailOf(t, notify.RenewalDue, permit)
	letter{kind: notify.RenewalDue, to: home, lang: "it", subject: []string{"Rinnovo entro il", permitIT},
		says: []string{permit, permitIT}, reader: marta}.check(t, in, renewal)
	po.unsubscribe(t, renewal, notify.RenewalDue, martaID)

	expiring := po.mailOf(t, notify.FormExpiring, "form_expiring:"+strconv.FormatInt(lucaID, 10)+":")
	letter{kind: notify.FormExpiring, to: "luca.ferri@forno-ferri.example", lang: "fr",
		subject: []string{"Votre formulaire non envoyé sera supprimé le"}, says: []string{"Signaler une poubelle non collectée"}, reader: luca,
	}.check(t, in, expiring)
	po.unsubscribe(t, expiring, notify.FormExpiring, lucaID)

	alert := po.mailOf(t, notify.SupportAlert, "support_alert:"+strconv.FormatInt(elodieID, 10)+":")
	letter{kind: notify.SupportAlert, to: "elodie.martin@porta-nova.example", lang: "ca",
		subject: []string{"ara pot tenir dret"}, says: []string{"Bon dia, Élodie Martin:"}, reader: elodie,
	}.check(t, in, alert)
	po.unsubscribe(t, alert, notify.SupportAlert, elodieID)
}

// testOutage stops the mail server, makes three changes that each tell
// someone, restarts Sportello, and starts the mail server again on the same
// port: each of the three mails arrives once.
func testOutage(t *testing.T, po *postOffice, in *instance) {
	caseworker, luca := newPerson(t), newPerson(t)
	caseworker.signIn(in, "caseworker", "/account")
	luca.signIn(in, "business", "/account")

	po.srv.Stop()
	ref := luca.reportMissedBin(in)
	caseworker.changeStatus(in, ref, "submitted", "in_review", "")
	caseworker.changeStatus(in, ref, "in_review", "more_info_needed", "Quel est le numéro de la rue ?")
	three := []int64{
		po.queued(t, notify.ApplicationReceived, ref),
		po.queued(t, notify.StatusChanged, ref),
		po.queued(t, notify.InfoRequested, ref),
	}
	// The worker has met the server down before it comes back.
	eventually(t, "the worker tries to send while the mail server is down", 100*time.Millisecond, func() bool {
		var tried int
		if err := po.db.SQL().QueryRow(po.db.Rebind(`SELECT COUNT(*) FROM notifications WHERE id IN (?, ?, ?) AND attempts > 0 AND status = 'pending'`),
			three[0], three[1], three[2]).Scan(&tried); err != nil {
			t.Fatal(err)
		}
		return tried > 0
	})
	// Sportello restarts meanwhile (a deployment): the outbox is in the
	// database, so nothing waiting is lost.
	in.restart(t)
	po.srv.Restart()
	for _, id := range three {
		po.delivered(t, id)
	}
	// One more change after them: once its mail is in, a second copy of
	// any of the three would have come with it.
	last := po.queued(t, notify.ApplicationReceived, newPersonReport(t, in))
	po.delivered(t, last)
	for _, id := range three {
		if n := len(po.copies(id)); n != 1 {
			t.Errorf("notification %d was mailed %d times, want once", id, n)
		}
	}
	assertEachOnce(t, po)
}

// newPersonReport reports a missed bin as a visitor, in English.
func newPersonReport(t *testing.T, in *instance) string {
	return newPerson(t).reportMissedBin(in)
}

// assertEachOnce checks that no Message-ID came twice, and that every
// notification sent was received.
func assertEachOnce(t *testing.T, po *postOffice) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range po.srv.Messages() {
		seen[m.Header.Get("Message-ID")]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s was received %d times", id, n)
		}
	}
	rows, err := po.db.SQL().Query(`SELECT id FROM notifications WHERE status = 'sent'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if seen[po.messageID(id)] != 1 {
			t.Errorf("notification %d is recorded as sent, and was received %d times", id, seen[po.messageID(id)])
		}
	}
}

// TestNotificationsTwoInstances runs two servers on one database, both
// sending to one mail server, as two machines behind a load balancer:
// each notification is mailed once, whichever instance its change was
// made on and whichever sends it.
func TestNotificationsTwoInstances(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			const n = 20
			srv := smtptest.Start(t, smtptest.Options{})
			dsn := storetest.URL(t, dialect)
			a := startInstance(t, "A", dsn, time.Second, mailSettings(srv))
			b := startInstance(t, "B", dsn, time.Second, mailSettings(srv))
			po := newPostOffice(t, srv, dsn, a)
			marta := newPerson(t)
			marta.signIn(a, "resident", "/account")
			var ids []int64
			for i := range n {
				in := a
				if i%2 == 1 {
					in = b
				}
				ids = append(ids, po.queued(t, notify.ApplicationReceived, marta.reportMissedBin(in)))
			}
			for _, id := range ids {
				po.delivered(t, id)
			}
			po.delivered(t, po.queued(t, notify.ApplicationReceived, newPersonReport(t, b)))
			if got := len(srv.Messages()); got != n+1 {
				t.Errorf("the mail server received %d messages, want %d", got, n+1)
			}
			assertEachOnce(t, po)
		})
	}
}
