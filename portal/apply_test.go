package portal

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sportello/applications"
	"sportello/applications/forms"
)

// pngFile is a small file whose content says PNG.
func pngFile(name string) upload {
	return upload{field: "photo", name: name, content: append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{7}, 300)...)}
}

var referencePattern = regexp.MustCompile(`id="reference">([A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4})<`)

// referenceOf reads the reference off a confirmation page.
func referenceOf(t *testing.T, body string) string {
	t.Helper()
	m := referencePattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no reference on the confirmation page: %s", excerptMain(body))
	}
	return m[1]
}

func countApplications(t *testing.T, slug string) int {
	t.Helper()
	var n int
	q := fixture.db.Rebind(`SELECT COUNT(*) FROM applications WHERE service_slug = ?`)
	if err := fixture.db.SQL().QueryRowContext(context.Background(), q, slug).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The form of a service without sign-in shows every part of the page: the
// service, its fee and assurance, each question with its label, the
// optional contact block, the token, and multipart encoding for the photo.
// Forms that need sign-in send anonymous visitors to sign in at the
// service's level, and come back to the form.
func TestApplyFormPages(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "anonymous form", path: "/services/report-missed-bin-collection/apply", status: http.StatusOK,
			contains: []string{
				"<h1>Report a missed bin collection</h1>", `enctype="multipart/form-data"`,
				`name="_token" value="`, `name="_csrf" value="`,
				`<label class="label label--small" for="address-line1">Building and street</label>`,
				`id="collection_date-day" name="collection_date-day"`, `id="collection_date-month"`, `id="collection_date-year"`,
				`<legend class="form-legend"><span>When did you put the bin out?</span></legend>`,
				`<input type="radio" id="put_out_time" name="put_out_time" value="evening_before">`,
				`<select class="select" id="bin_type" name="bin_type">`,
				`<input class="file-upload" id="photo" name="photo" type="file" multiple accept="image/jpeg,image/png" aria-describedby="photo-hint">`,
				`JPG, PNG, up to 10 MB`, `id="contact-name" name="_contact-name"`,
				"None: you can use this form without signing in", "Free",
				`<button type="submit" class="button" id="apply-continue" name="_action" value="continue">Continue</button>`,
			},
			// The form asks for the email itself: not twice.
			excludes: []string{`id="apply-save"`, "ZgotmplZ", "error-summary", `id="contact-email"`},
		},
		{
			name: "the form's fee", path: "/services/resident-parking-permit/apply", status: http.StatusSeeOther,
		},
		{name: "a service without a form", path: "/services/find-your-collection-day/apply", status: http.StatusNotFound},
		{name: "no such service", path: "/services/nope/apply", status: http.StatusNotFound},
		{name: "no confirmation without a token", path: "/services/report-missed-bin-collection/apply/confirmation", status: http.StatusNotFound},
		{name: "the form in Catalan", path: "/services/report-missed-bin-collection/apply?lang=ca", status: http.StatusOK,
			contains: []string{"Dia de la recollida", "Continuar", `lang="ca"`}},
	})
	for _, tc := range []struct{ slug, want string }{
		{"resident-parking-permit", "/auth/login?return_to=%2Fservices%2Fresident-parking-permit%2Fapply"},
		{"certificate-of-residence", "/auth/login?level=substantial&return_to=%2Fservices%2Fcertificate-of-residence%2Fapply"},
	} {
		res, _ := get(t, "/services/"+tc.slug+"/apply", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tc.want {
			t.Errorf("%s: %d to %q, want 303 to %q", tc.slug, res.StatusCode, res.Header.Get("Location"), tc.want)
		}
	}
}

// Every online form of the demo catalogue renders for someone signed in at
// the highest level: every field type of FORMAT.md, each input labelled,
// ids unique, and the buttons real buttons.
func TestApplyEveryFormRenders(t *testing.T) {
	site := startLiveSite(t)
	admin := site.browser(t, stopAtRedirects)
	admin.signInAtLevel("admin", "/", "high")
	forID := regexp.MustCompile(`<label[^>]* for="([^"]+)"`)
	inputID := regexp.MustCompile(`<(?:input|select|textarea)[^>]* id="([^"]+)"`)
	types := map[string]bool{}
	rawKey := regexp.MustCompile(`>\s*(apply|applications|staff|form|service)\.[a-z_.0-9]+\s*<`)
	for _, svc := range fixture.srv.Directory().Services {
		if !svc.Online {
			continue
		}
		r := admin.get("/services/" + svc.Slug + "/apply")
		must(t, r, http.StatusOK, `id="apply-continue"`, `id="apply-save"`, "Save and come back later")
		mustNot(t, r, "ZgotmplZ")
		if m := rawKey.FindString(r.body); m != "" {
			t.Errorf("%s: untranslated key %s", svc.Slug, m)
		}
		labels := map[string]bool{}
		for _, m := range forID.FindAllStringSubmatch(r.body, -1) {
			labels[m[1]] = true
		}
		seen := map[string]bool{}
		for _, m := range inputID.FindAllStringSubmatch(r.body, -1) {
			id := m[1]
			if seen[id] {
				t.Errorf("%s: id %q twice", svc.Slug, id)
			}
			seen[id] = true
			if !labels[id] && !strings.HasPrefix(id, "home-search") && id != "search-q" {
				t.Errorf("%s: input %q has no label", svc.Slug, id)
			}
		}
		full, err := fixture.store.Service(context.Background(), svc.Slug)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range full.OnlineForm.Fields {
			types[f.Type] = true
			if !strings.Contains(r.body, `data-field="`+f.Name+`"`) {
				t.Errorf("%s: field %s is not on the page", svc.Slug, f.Name)
			}
		}
	}
	for _, typ := range []string{"text", "textarea", "email", "tel", "date", "integer", "money", "select", "radio", "checkbox", "file", "address", "location", "vehicle_registration"} {
		if !types[typ] {
			t.Errorf("no demo form has a %s field, so its rendering is untested", typ)
		}
	}
}

// The whole anonymous journey for a service with assurance "none": errors
// shown with a summary and the answers kept (the uploaded photo too), check
// your answers with change links, submission, and a second post of the
// same form (also two at once) showing the same confirmation and making no
// second application.
func TestApplyAnonymousJourney(t *testing.T) {
	const slug = "report-missed-bin-collection"
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	before := countApplications(t, slug)

	form := v.get("/services/" + slug + "/apply")
	must(t, form, http.StatusOK)
	csrf, token := formTokens(t, form.body)

	// First post: most answers wrong, a good photo.
	bad := url.Values{
		"_csrf": {csrf}, "_token": {token}, "_action": {"continue"},
		"address-line1": {""}, "address-postcode": {"08800"},
		"bin_type":            {"lorry"},
		"collection_date-day": {"31"}, "collection_date-month": {"2"}, "collection_date-year": {"2026"},
		"email": {"not-an-email"}, "notes": {"The crew <b>skipped</b> our street"},
	}
	r := v.postMultipart("/services/"+slug+"/apply", bad, pngFile("bin.png"))
	must(t, r, http.StatusUnprocessableEntity,
		"<title>Error: Report a missed bin collection", `class="error-summary"`, "There is a problem",
		`<a href="#address-line1"><span class="error-summary__question">Address of the missed collection</span> Enter the first line of the address: building and street</a>`,
		`<a href="#bin_type"><span class="error-summary__question">Which bin was missed?</span> Select one of the options shown</a>`,
		`<a href="#collection_date-day"><span class="error-summary__question">Date of the missed collection</span> Enter a real date, for example `+exampleDate(t, slug, "collection_date")+`</a>`,
		`<a href="#put_out_time"><span class="error-summary__question">When did you put the bin out?</span> Select one of the options</a>`,
		`<a href="#email"><span class="error-summary__question">Email address for updates</span> Enter an email address in the correct format, like name@example.com</a>`,
		`id="email-error"`, `aria-describedby="email-error"`,
		`value="not-an-email"`, `value="08800"`, `value="31"`, "The crew &lt;b&gt;skipped&lt;/b&gt; our street",
		"We have kept the file you uploaded:", "bin.png (1 KB)",
	)
	if _, again := formTokens(t, r.body); again != token {
		t.Errorf("the token changed on the error page: %q, want %q", again, token)
	}

	// Second post: put right, without choosing the photo again.
	good := url.Values{
		"_csrf": {csrf}, "_token": {token}, "_action": {"continue"},
		"address-line1": {"Carrer Major 5"}, "address-town": {"Porta Nova"}, "address-postcode": {"08800"},
		"bin_type": {"paper"}, "put_out_time": {"before_7"},
		"collection_date-day": {"3"}, "collection_date-month": {"2"}, "collection_date-year": {"2026"},
		"email": {"ana@example.org"}, "notes": {"Second time this month"},
		"_contact-name": {"Ana Puig"},
	}
	r = v.postMultipart("/services/"+slug+"/apply", good)
	check := "/services/" + slug + "/apply/check?token=" + token
	if r.status != http.StatusSeeOther || r.location != check {
		t.Fatalf("valid answers: %d to %q, want 303 to %q\n%s", r.status, r.location, check, excerptMain(r.body))
	}
	r = v.get(check)
	must(t, r, http.StatusOK, "Check your answers before sending your report",
		"Carrer Major 5<br>08800 Porta Nova", "Paper and card (blue bin)", "3 February 2026", "bin.png (1 KB)",
		"Ana Puig", `href="/services/`+slug+`/apply?token=`+token+`#collection_date-day"`,
		`<button type="submit" class="button" id="apply-submit">Send report</button>`)

	// A change link shows the form filled in, the photo still kept.
	r = v.get("/services/" + slug + "/apply?token=" + token)
	must(t, r, http.StatusOK, `value="Carrer Major 5"`, `value="paper" selected`, "bin.png", `value="Ana Puig"`)

	// Another browser cannot see the pending answers.
	other := site.browser(t, stopAtRedirects)
	if r := other.get(check); r.status != http.StatusSeeOther || !strings.HasSuffix(r.location, "/services/"+slug+"/apply") {
		t.Errorf("another browser's check page: %d to %q, want a 303 to the empty form", r.status, r.location)
	}

	submit := url.Values{"_csrf": {csrf}, "_token": {token}}
	r = v.post("/services/"+slug+"/apply/submit", submit)
	confirmation := "/services/" + slug + "/apply/confirmation?token=" + token
	if r.status != http.StatusSeeOther || r.location != confirmation {
		t.Fatalf("submit: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	r = v.get(confirmation)
	must(t, r, http.StatusOK, "Report sent", "We aim to fix it by",
		"Keep your reference number", "ana@example.org")
	ref := referenceOf(t, r.body)

	// The same form posted again, once and then twice at once.
	r = v.post("/services/"+slug+"/apply/submit", submit)
	if r.status != http.StatusSeeOther || r.location != confirmation {
		t.Errorf("second submit: %d to %q, want the same confirmation", r.status, r.location)
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := v.client.PostForm(v.abs("/services/"+slug+"/apply/submit"), submit)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != confirmation {
				t.Errorf("concurrent submit: %d to %q", res.StatusCode, res.Header.Get("Location"))
			}
		}()
	}
	wg.Wait()
	if got := referenceOf(t, v.get(confirmation).body); got != ref {
		t.Errorf("confirmation shows %s after re-posting, want %s", got, ref)
	}
	// The form page, with the token, leads to the confirmation too.
	if r := v.get("/services/" + slug + "/apply?token=" + token); r.location != confirmation {
		t.Errorf("the form of a sent application: %d to %q, want the confirmation", r.status, r.location)
	}
	if n := countApplications(t, slug) - before; n != 1 {
		t.Fatalf("%d applications were made, want 1", n)
	}

	// What was stored: the answers, the contact, the photo.
	app, err := fixture.deps.Applications.ForStaff(context.Background(), applications.Actor{Role: applications.RoleAdmin}, applications.Reference(ref))
	if err != nil {
		t.Fatal(err)
	}
	if app.PersonID != 0 || app.Contact.Name != "Ana Puig" || app.Contact.Email != "ana@example.org" || app.Status != applications.StatusSubmitted {
		t.Errorf("stored application: person %d, contact %+v, status %s", app.PersonID, app.Contact, app.Status)
	}
	if len(app.Files) != 1 || app.Files[0].Filename != "bin.png" || app.Files[0].ContentType != "image/png" {
		t.Errorf("stored files: %+v, want bin.png as image/png", app.Files)
	}
	if a := app.Answers.Get("collection_date"); a == nil || a.Text != "2026-02-03" {
		t.Errorf("stored date: %+v", a)
	}

	// Another browser cannot see the confirmation.
	if r := other.get(confirmation); r.status != http.StatusNotFound {
		t.Errorf("another browser's confirmation: %d, want 404", r.status)
	}
}

// A file of the wrong type is refused with a message naming the types, and
// an optional kept file can be removed.
func TestApplyFileChecks(t *testing.T) {
	const slug = "report-missed-bin-collection"
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	csrf, token := formTokens(t, v.get("/services/"+slug+"/apply").body)
	base := url.Values{"_csrf": {csrf}, "_token": {token}, "_action": {"continue"}}
	r := v.postMultipart("/services/"+slug+"/apply", base, upload{field: "photo", name: "notes.pdf", content: []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n")})
	must(t, r, http.StatusUnprocessableEntity, "The file notes.pdf must be one of these types: JPG, PNG")
	mustNot(t, r, "We have kept the file")
	r = v.postMultipart("/services/"+slug+"/apply", base, pngFile("one.png"))
	must(t, r, http.StatusUnprocessableEntity, "one.png", `name="_remove" value="photo"`)
	withRemove := url.Values{"_csrf": {csrf}, "_token": {token}, "_action": {"continue"}, "_remove": {"photo"}}
	r = v.postMultipart("/services/"+slug+"/apply", withRemove)
	mustNot(t, r, "one.png")

	// A photo larger than Fiber's default body limit (4 MB) but within the
	// field's 10 MB is taken; one above 10 MB gets the form's message, not
	// a bare "too large".
	big := pngFile("big.png")
	big.content = append(big.content, bytes.Repeat([]byte{1}, 6<<20)...)
	r = v.postMultipart("/services/"+slug+"/apply", base, big)
	must(t, r, http.StatusUnprocessableEntity, "big.png (6 MB)")
	big.content = append(big.content, bytes.Repeat([]byte{1}, 5<<20)...)
	r = v.postMultipart("/services/"+slug+"/apply", base, big)
	must(t, r, http.StatusUnprocessableEntity, "The file big.png must be smaller than 10 MB")
}

// Every type is checked on the server, whatever the browser sent, and the
// messages are in the reader's language.
func TestApplyValidationInSpanish(t *testing.T) {
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	v.signIn("admin", "/")
	const slug = "property-tax-low-income-reduction" // pattern, integer range, money, radio, email
	form := v.get("/services/" + slug + "/apply?lang=es")
	must(t, form, http.StatusOK, `<html lang="es">`, "Continuar")
	csrf, token := formTokens(t, form.body)
	r := v.postMultipart("/services/"+slug+"/apply", url.Values{
		"_csrf": {csrf}, "_token": {token}, "_action": {"continue"},
		"property_reference": {"abc"}, "household_size": {"veinte"}, "monthly_income": {"doce euros"},
		"consent": {"maybe"}, "email": {"x@y"}, "address-line1": {"Carrer Nou 1"}, "address-postcode": {"!!"},
	})
	must(t, r, http.StatusUnprocessableEntity, "Hay un problema",
		`<a href="#property_reference">`, "por ejemplo",
		`Escriba un número entero solo con cifras, como 12</a>`,
		`<a href="#monthly_income">`, `<a href="#consent">`, `<a href="#address-postcode">`,
		`Escriba la dirección de correo electrónico en el formato correcto`,
		`value="veinte"`, `value="doce euros"`, `value="abc"`)
	r = v.postMultipart("/services/"+slug+"/apply", url.Values{
		"_csrf": {csrf}, "_token": {token}, "_action": {"continue"},
		"property_reference": {"12345678901234567890"}, "household_size": {"21"}, "monthly_income": {"-5"},
		"consent": {"yes"}, "email": {"x@example.org"}, "address-line1": {"Carrer Nou 1"}, "address-postcode": {"08800"},
	})
	must(t, r, http.StatusUnprocessableEntity, `<a href="#household_size"><span class="error-summary__question">¿Cuántas personas viven en su casa, contando con usted?</span> Escriba un número entre 1 y 20</a>`,
		"Escriba un importe igual o mayor que 0,00\u00a0€</a>")
	mustNot(t, r, `<a href="#property_reference">`, `<a href="#email">`, `<a href="#consent">`)
}

// Three posts of the same "Send report" at the same moment (a
// triple click) make one application, and all three land on its
// confirmation.
func TestApplySubmitAtOnce(t *testing.T) {
	const slug = "report-street-light-fault"
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	form := v.get("/services/" + slug + "/apply")
	must(t, form, http.StatusOK)
	csrf, token := formTokens(t, form.body)
	values := url.Values{"_csrf": {csrf}, "_token": {token}, "_action": {"continue"}}
	full, err := fixture.store.Service(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	// Any valid answer to each question.
	for _, f := range full.OnlineForm.Fields {
		switch f.Type {
		case "address":
			values.Set(f.Name+"-line1", "Avinguda del Mar 3")
			values.Set(f.Name+"-postcode", "08800")
		case "location":
			values.Set(f.Name+"-line1", "Avinguda del Mar")
		case "select", "radio":
			values.Set(f.Name, f.Options[0].Value)
		case "email":
			values.Set(f.Name, "someone@example.org")
		case "text", "textarea":
			values.Set(f.Name, "Column 12")
			if f.Pattern != nil {
				values.Set(f.Name, forms.Example(*f.Pattern))
			}
		}
	}
	r := v.postMultipart("/services/"+slug+"/apply", values)
	if r.status != http.StatusSeeOther {
		t.Fatalf("answers: %d\n%s", r.status, excerptMain(r.body))
	}
	before := countApplications(t, slug)
	confirmation := "/services/" + slug + "/apply/confirmation?token=" + token
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := v.client.PostForm(v.abs("/services/"+slug+"/apply/submit"), url.Values{"_csrf": {csrf}, "_token": {token}})
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != confirmation {
				t.Errorf("submit at once: %d to %q", res.StatusCode, res.Header.Get("Location"))
			}
		}()
	}
	wg.Wait()
	if n := countApplications(t, slug) - before; n != 1 {
		t.Errorf("%d applications were made, want 1", n)
	}
	must(t, v.get(confirmation), http.StatusOK, "Report sent")
}

// Weak answers are refused on the server with messages that say what to do,
// all at once, in the reader's language (issue 15): a parking permit
// starting in 2020, the number plate "abc", an empty address (both of its
// required parts), a fine reference in the wrong format (the catalogue's
// own message). The date example is not in the past.
func TestApplyWeakAnswersRefused(t *testing.T) {
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	v.signIn("admin", "/")
	example := exampleDate(t, "resident-parking-permit", "start_date")
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{
			"For example, " + example,
			`<span class="error-summary__question">When should the permit start?</span> Enter a date that is today or in the future</a>`,
			`<a href="#vehicle_registration"><span class="error-summary__question">Vehicle number plate</span> Enter the number plate as it appears on the vehicle, like 1234 BCD</a>`,
			`<a href="#address-line1">`, `<a href="#address-postcode">`, "Enter the postcode",
			`id="start_date-day" name="start_date-day" type="text" inputmode="numeric" value="1"`,
		}},
		{"es", []string{
			"Por ejemplo, " + example,
			"Escriba una fecha que sea hoy o posterior",
			"Escriba la matrícula tal como aparece en el vehículo, como 1234 BCD",
			`<a href="#address-line1">`, `<a href="#address-postcode">`, "Escriba el código postal",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			const slug = "resident-parking-permit"
			form := v.get("/services/" + slug + "/apply?lang=" + tt.lang)
			must(t, form, http.StatusOK, tt.want[0])
			mustNot(t, form, "27 3 2026")
			csrf, token := formTokens(t, form.body)
			r := v.postMultipart("/services/"+slug+"/apply", url.Values{
				"_csrf": {csrf}, "_token": {token}, "_action": {"continue"},
				"start_date-day": {"1"}, "start_date-month": {"1"}, "start_date-year": {"2020"},
				"vehicle_registration": {"abc"}, "zone": {"zone_b"}, "ownership": {"own"},
			})
			must(t, r, http.StatusUnprocessableEntity, tt.want...)
			if n := strings.Count(r.body, `class="input input--2 input--error"`); n != 2 {
				t.Errorf("%d day and month inputs marked in error, want 2 (and the year)", n)
			}
		})
	}

	const fine = "pay-a-parking-fine"
	form := v.get("/services/" + fine + "/apply?lang=fr")
	must(t, form, http.StatusOK)
	csrf, token := formTokens(t, form.body)
	r := v.postMultipart("/services/"+fine+"/apply", url.Values{
		"_csrf": {csrf}, "_token": {token}, "_action": {"continue"},
		"fine_reference": {"12"}, "vehicle_registration": {"12"},
		"offence_date-day": {"1"}, "offence_date-month": {"1"}, "offence_date-year": {strconv.Itoa(time.Now().Year() + 1)},
	})
	must(t, r, http.StatusUnprocessableEntity,
		"figure sur l&#39;avis\u00a0: PN et 8 chiffres, comme PN12345678",
		"Saisissez l’immatriculation telle qu’elle figure sur le véhicule, comme 1234 BCD",
		"Saisissez une date qui soit aujourd’hui ou plus tôt")
}

// The pothole report (issue 15): no map to put a pin on, no postcode for a
// spot in the road (the street and the nearest number or a landmark), and
// the email asked once: the form's own question, which is where updates
// go; the contact block asks only for a name. The other reports about a
// place in the street ask no postcode either.
func TestReportPotholeAskedOnce(t *testing.T) {
	const slug = "report-a-pothole"
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	for _, lang := range []string{"en", "es"} {
		page := v.get("/services/" + slug + "?lang=" + lang)
		must(t, page, http.StatusOK)
		form := v.get("/services/" + slug + "/apply?lang=" + lang)
		must(t, form, http.StatusOK, `id="location-line1"`, `id="location-line2"`, `id="contact-name"`)
		mustNot(t, form, `id="location-postcode"`, `id="contact-email"`, `name="_contact-email"`)
		// The map is there, and so are the coordinates that work without it.
		must(t, form, http.StatusOK, `id="location-map"`, `id="location-lat"`, `id="location-lng"`)
		if n := strings.Count(form.body, `type="email"`); n != 1 {
			t.Errorf("%s: %d email inputs, want 1", form.url, n)
		}
	}
	must(t, v.get("/services/"+slug+"/apply?lang=en"), http.StatusOK, "Street or place", "Nearest house number or landmark (optional)",
		"You do not need to give your name.", "Email address, if you want updates")

	form := v.get("/services/" + slug + "/apply")
	csrf, token := formTokens(t, form.body)
	answers := answersFor(t, slug, csrf, token)
	answers.Del("location-line2")
	answers.Set("email", "marta.vidal@example.org")
	answers.Set("_contact-name", "Marta Vidal")
	r := v.postMultipart("/services/"+slug+"/apply", answers)
	if r.status != http.StatusSeeOther {
		t.Fatalf("a spot given by its street only: %d\n%s", r.status, excerptMain(r.body))
	}
	check := v.get(r.location)
	must(t, check, http.StatusOK, "Avinguda del Mar", "Marta Vidal", "marta.vidal@example.org")
	if n := strings.Count(check.body, "marta.vidal@example.org"); n != 1 {
		t.Errorf("check your answers shows the email %d times, want once", n)
	}
	csrf, _ = formTokens(t, check.body)
	r = v.postMultipart("/services/"+slug+"/apply/submit", url.Values{"_csrf": {csrf}, "_token": {token}})
	conf := v.get(r.location)
	must(t, conf, http.StatusOK, "We will use marta.vidal@example.org if we need to contact you about it.")

	// A street light, a fly-tip, graffiti: no postcode either.
	for _, other := range []string{"report-street-light-fault", "report-fly-tipping", "report-graffiti", "report-abandoned-vehicle", "report-overflowing-litter-bin"} {
		r := v.get("/services/" + other + "/apply")
		must(t, r, http.StatusOK, `id="location-line1"`)
		mustNot(t, r, `id="location-postcode"`)
		if n := strings.Count(r.body, `type="email"`); n != 1 {
			t.Errorf("%s: %d email inputs, want 1", other, n)
		}
	}
}
