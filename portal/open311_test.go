package portal

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sportello/portal/open311"
)

// The Open311 GeoReport v2 API over HTTP, as a client of another system
// meets it: an administrator issues a key at /staff/open311-keys, a client
// sends reports with it (no session, no CSRF token), every mistake is a
// 400, 403 or 404 in the specification's error list, and anyone reads the
// reports back without anything personal.

var keySecret = regexp.MustCompile(`<code id="key-secret">([^<]+)</code>`)

// issueKey signs in as an administrator and issues a key named name.
func issueKey(t *testing.T, site *liveSite, name string) (*browser, string, string) {
	t.Helper()
	admin := site.browser(t, stopAtRedirects)
	admin.signIn("admin", "/staff")
	r := admin.get(open311.KeysPath)
	must(t, r, http.StatusOK, "<h1>Open311 API keys</h1>", `id="key-form"`, site.base+"/open311/v2")
	csrf := csrfOf(t, r.body)
	r = admin.post(open311.KeysPath, url.Values{"_csrf": {csrf}, "name": {name}})
	must(t, r, http.StatusOK, "Key issued for "+name, `id="key-secret"`)
	m := keySecret.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no key shown")
	}
	return admin, m[1], csrf
}

type apiErr struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
}

// apiErrors reads an answer as the specification's error list, failing
// the test when it is not one of status.
func apiErrors(t *testing.T, r response, status int) []apiErr {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d\n%s", r.url, r.status, status, excerpt(r.body))
	}
	var errs []apiErr
	if err := json.Unmarshal([]byte(r.body), &errs); err != nil || len(errs) == 0 {
		t.Fatalf("%s: not an error list (%v)\n%s", r.url, err, excerpt(r.body))
	}
	for _, e := range errs {
		if e.Code != status || e.Description == "" {
			t.Errorf("%s: error %+v, want code %d with a description", r.url, e, status)
		}
	}
	return errs
}

func describes(errs []apiErr, s string) bool {
	for _, e := range errs {
		if strings.Contains(e.Description, s) {
			return true
		}
	}
	return false
}

func TestOpen311Services(t *testing.T) {
	site := startLiveSite(t)
	client := site.browser(t, stopAtRedirects)

	r := client.get("/open311/v2/services.json")
	must(t, r, http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("services.json Content-Type %q", ct)
	}
	var services []map[string]any
	if err := json.Unmarshal([]byte(r.body), &services); err != nil {
		t.Fatal(err)
	}
	codes := map[string]map[string]any{}
	for _, s := range services {
		codes[s["service_code"].(string)] = s
	}
	pothole := codes["report-a-pothole"]
	if pothole == nil || pothole["service_name"] != "Report a pothole" || pothole["type"] != "realtime" || pothole["metadata"] != true ||
		pothole["group"] == "" || pothole["description"] == "" {
		t.Errorf("report-a-pothole = %v", pothole)
	}
	// A report whose form asks for a postal address cannot be made from
	// lat and long alone, as the specification lets a client send it.
	for _, not := range []string{"resident-parking-permit", "pay-a-parking-fine", "report-missed-bin-collection"} {
		if codes[not] != nil {
			t.Errorf("%s is listed, but it is not a report", not)
		}
	}
	// The names in the language asked, by locale or Accept-Language.
	must(t, client.get("/open311/v2/services.json?locale=es_ES"), http.StatusOK, `"service_name":"Avisar de un bache"`)
	must(t, client.get("/open311/v2/services.json", "Accept-Language", "fr"), http.StatusOK, `"service_code":"report-a-pothole","service_name":"Signaler un nid-de-poule"`)

	// The same in XML.
	r = client.get("/open311/v2/services.xml")
	must(t, r, http.StatusOK, `<?xml version="1.0" encoding="UTF-8"?>`)
	var doc struct {
		Services []struct {
			Code string `xml:"service_code"`
			Name string `xml:"service_name"`
		} `xml:"service"`
	}
	if err := xml.Unmarshal([]byte(r.body), &doc); err != nil || len(doc.Services) != len(services) {
		t.Fatalf("services.xml: %v, %d services, want %d", err, len(doc.Services), len(services))
	}

	// The definition: the form's questions but the place, the
	// description, the e-mail address and the photo.
	r = client.get("/open311/v2/services/report-a-pothole.json")
	must(t, r, http.StatusOK)
	var def struct {
		Code       string `json:"service_code"`
		Attributes []struct {
			Variable bool   `json:"variable"`
			Code     string `json:"code"`
			Datatype string `json:"datatype"`
			Required bool   `json:"required"`
			Order    int    `json:"order"`
			Values   []struct{ Key, Name string }
		} `json:"attributes"`
	}
	if err := json.Unmarshal([]byte(r.body), &def); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range def.Attributes {
		got = append(got, a.Code+":"+a.Datatype)
		if !a.Variable || !a.Required || len(a.Values) == 0 || a.Order != len(got) {
			t.Errorf("attribute %+v", a)
		}
	}
	if def.Code != "report-a-pothole" || strings.Join(got, " ") != "surface:singlevaluelist problem_type:singlevaluelist size:singlevaluelist" {
		t.Errorf("definition %s: %v", def.Code, got)
	}
	must(t, client.get("/open311/v2/services/report-fly-tipping.xml"), http.StatusOK,
		"<service_definition>", "<code>waste_type</code>", "<datatype>multivaluelist</datatype>", "<values>", "<key>")
	must(t, client.get("/open311/v2/services/report-stray-animal.json"), http.StatusOK, `"code":"seen_on","datatype":"datetime"`)

	for _, path := range []string{"/open311/v2/services/resident-parking-permit.json", "/open311/v2/services/nope.json", "/open311/v2/nope.json"} {
		apiErrors(t, client.get(path), http.StatusNotFound)
	}
	must(t, client.get("/open311/v2/services/nope.xml"), http.StatusNotFound, "<errors>", "<error>", "<code>404</code>", "<description>")
	apiErrors(t, client.get("/open311/v2/services.json?jurisdiction_id=elsewhere.example"), http.StatusNotFound)
	must(t, client.get("/open311/v2/services.json?jurisdiction_id="+strings.TrimPrefix(site.base, "http://")), http.StatusOK)

	r = client.get("/open311/discovery.json")
	must(t, r, http.StatusOK, `"specification":"http://wiki.open311.org/GeoReport_v2"`, `"url":"`+site.base+`/open311/v2"`, `"text/xml"`, `"application/json"`)
	must(t, client.get("/open311/discovery.xml"), http.StatusOK, "<discovery>", "<endpoints>", "<format>text/xml</format>")
}

func TestOpen311SendAndRead(t *testing.T) {
	// A database of its own: the reports sent here would crowd the
	// staff queue other tests read.
	site := startLiveSite(t, ownCatalogue)
	admin, key, csrf := issueKey(t, site, "Council CRM")
	client := site.browser(t, stopAtRedirects) // no session, no CSRF token
	send := func(form url.Values) response { return client.post("/open311/v2/requests.json", form) }
	pothole := func(more ...string) url.Values {
		v := url.Values{"api_key": {key}, "service_code": {"report-a-pothole"}, "lat": {"41.2201"}, "long": {"1.7262"},
			"attribute[surface]": {"road"}, "attribute[problem_type]": {"pothole"}, "attribute[size]": {"small"}}
		for i := 0; i+1 < len(more); i += 2 {
			if more[i+1] == "" {
				v.Del(more[i])
			} else {
				v.Set(more[i], more[i+1])
			}
		}
		return v
	}
	// The values the definition offers, whatever the demo calls them.
	var def struct {
		Attributes []struct {
			Code   string
			Values []struct{ Key string }
		}
	}
	if err := json.Unmarshal([]byte(client.get("/open311/v2/services/report-a-pothole.json").body), &def); err != nil {
		t.Fatal(err)
	}
	first := map[string]string{}
	for _, a := range def.Attributes {
		first[a.Code] = a.Values[0].Key
	}
	valid := func(more ...string) url.Values {
		return pothole(append([]string{"attribute[surface]", first["surface"], "attribute[problem_type]", first["problem_type"], "attribute[size]", first["size"]}, more...)...)
	}

	// No key, a wrong one: 403, before anything else is read.
	for _, k := range []string{"", "o311_nope", "wrong"} {
		errs := apiErrors(t, send(valid("api_key", k)), http.StatusForbidden)
		if !describes(errs, "api_key") {
			t.Errorf("key %q: %+v", k, errs)
		}
	}
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"no service", valid("service_code", ""), 400, "service_code is required"},
		{"unknown service", valid("service_code", "report-a-dragon"), 404, "report-a-dragon not found"},
		{"not a report", valid("service_code", "resident-parking-permit"), 404, "not found"},
		{"no place", valid("lat", "", "long", ""), 400, "lat and long, or address_string, are required"},
		{"address_id alone", valid("lat", "", "long", "", "address_id", "123"), 400, "address_id is not used"},
		{"lat alone", valid("long", ""), 400, "lat and long go together"},
		{"not degrees", valid("lat", "north", "long", "1.7"), 400, "decimal degrees"},
		{"off the Earth", valid("lat", "91", "long", "1.7"), 400, "decimal degrees"},
		{"outside the council", valid("lat", "40.4168", "long", "-3.7038"), 400, "lat and long"},
		{"required attribute", valid("attribute[surface]", ""), 400, "attribute[surface]: "},
		{"not an option", valid("attribute[size]", "enormous"), 400, "attribute[size]: "},
		{"unknown attribute", valid("attribute[colour]", "red"), 400, "attribute[colour] is not an attribute"},
		{"bad email", valid("email", "not-an-address"), 400, "email: "},
		{"bad media_url", valid("media_url", "file:///etc/passwd"), 400, "media_url"},
		{"other jurisdiction", valid("jurisdiction_id", "elsewhere.example"), 404, "jurisdiction_id elsewhere.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if errs := apiErrors(t, send(tc.form), tc.status); !describes(errs, tc.want) {
				t.Errorf("errors %+v, want one with %q", errs, tc.want)
			}
		})
	}
	// Several problems: each is in the list.
	if errs := apiErrors(t, send(valid("attribute[surface]", "", "attribute[size]", "", "email", "x@")), 400); len(errs) != 3 {
		t.Errorf("three problems, %d errors: %+v", len(errs), errs)
	}
	// In XML, the same.
	r := client.post("/open311/v2/requests.xml", valid("service_code", ""))
	must(t, r, http.StatusBadRequest, "<errors>", "<code>400</code>", "service_code is required")

	// A report made: its id is the application's reference.
	r = send(valid("description", "Deep hole by the bus stop; call me on +34 600 123 456 or write to vecina@example.com",
		"email", "vecina@example.com", "first_name", "Marta", "last_name", "Vidal", "phone", "600123456", "address_string", "Carrer Major 12"))
	must(t, r, http.StatusCreated)
	var made []struct {
		ID    string `json:"service_request_id"`
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(r.body), &made); err != nil || len(made) != 1 || !strings.HasPrefix(made[0].ID, "PN-") || made[0].Token == "" {
		t.Fatalf("created %s (%v)", r.body, err)
	}
	id := made[0].ID

	// Anyone reads it, without anything personal.
	personal := []string{"vecina@example.com", "Marta", "Vidal", "600 123 456", "600123456", "person"}
	r = client.get("/open311/v2/requests/" + id + ".json")
	must(t, r, http.StatusOK, `"service_request_id":"`+id+`"`, `"status":"open"`, `"service_code":"report-a-pothole"`,
		`"service_name":"Report a pothole"`, `"lat":41.2201`, `"long":1.7262`, `"address":"Carrer Major 12"`,
		"Deep hole by the bus stop; call me on [phone removed] or write to [email removed]")
	mustNot(t, r, personal...)
	r = client.get("/open311/v2/requests/" + id + ".xml")
	must(t, r, http.StatusOK, "<service_requests>", "<request>", "<service_request_id>"+id+"</service_request_id>", "<lat>41.2201</lat>", "<long>1.7262</long>")
	mustNot(t, r, personal...)
	must(t, client.get("/open311/v2/tokens/"+made[0].Token+".json"), http.StatusOK, `"service_request_id":"`+id+`"`)
	apiErrors(t, client.get("/open311/v2/tokens/"+strings.Repeat("a", 43)+".json"), http.StatusNotFound)
	apiErrors(t, client.get("/open311/v2/requests/PN-0000-0000.json"), http.StatusNotFound)

	// In the lists it belongs to, not in the others.
	must(t, client.get("/open311/v2/requests.json?service_code=report-a-pothole&status=open"), http.StatusOK, id)
	mustNot(t, client.get("/open311/v2/requests.json?status=closed"), id)
	mustNot(t, client.get("/open311/v2/requests.json?service_code=report-graffiti"), id)
	mustNot(t, client.get("/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z"), id)
	must(t, client.get("/open311/v2/requests.json?service_request_id=PN-0000-0000,"+id), http.StatusOK, id)
	mustNot(t, client.get("/open311/v2/requests.json"), personal...)
	for _, q := range []string{"status=pending", "start_date=yesterday", "end_date=2026-13-01T00:00:00Z", "service_code=nope",
		"start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z"} {
		apiErrors(t, client.get("/open311/v2/requests.json?"+q), http.StatusBadRequest)
	}

	// The report went through the same store as the online form: the
	// caseworkers see it with its answers.
	staff := site.browser(t, stopAtRedirects)
	staff.signIn("caseworker", "/staff")
	must(t, staff.get("/staff/applications/"+id), http.StatusOK, "Report a pothole", "Carrer Major 12")

	// Revoked, the key sends nothing more.
	var keyID string
	for _, m := range regexp.MustCompile(`action="/staff/open311-keys/(\d+)/revoke"`).FindAllStringSubmatch(admin.get(open311.KeysPath).body, -1) {
		keyID = m[1]
	}
	r = admin.post(open311.KeysPath+"/"+keyID+"/revoke", url.Values{"_csrf": {csrf}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.status)
	}
	must(t, admin.get(r.location), http.StatusOK, "The key has been revoked", "Revoked on")
	apiErrors(t, send(valid()), http.StatusForbidden)
}

func TestOpen311KeysPage(t *testing.T) {
	site := startLiveSite(t)
	for _, persona := range []string{"resident", "caseworker", "editor"} {
		b := site.browser(t, stopAtRedirects)
		csrf := csrfOf(t, b.signIn(persona, "/").body)
		must(t, b.get(open311.KeysPath), http.StatusForbidden)
		must(t, b.post(open311.KeysPath, url.Values{"_csrf": {csrf}, "name": {"Mine"}}), http.StatusForbidden)
	}
	admin := site.browser(t, stopAtRedirects)
	admin.signIn("admin", "/staff")
	r := admin.get(open311.KeysPath)
	csrf := csrfOf(t, r.body)
	// The page is a form like the others: without its token, refused.
	if r := admin.post(open311.KeysPath, url.Values{"name": {"CRM"}}); r.status != http.StatusForbidden {
		t.Errorf("issuing without a CSRF token: %d", r.status)
	}
	must(t, admin.post(open311.KeysPath, url.Values{"_csrf": {csrf}, "name": {"  "}}), http.StatusUnprocessableEntity,
		"<title>Error:", `<a href="#key-name">Enter who the key is for</a>`, `id="key-name-error"`)
	must(t, admin.post(open311.KeysPath, url.Values{"_csrf": {csrf}, "name": {strings.Repeat("a", 101)}}), http.StatusUnprocessableEntity,
		"must be 100 characters or fewer (you wrote 101)", `value="`+strings.Repeat("a", 101)+`"`)
	r = admin.post(open311.KeysPath, url.Values{"_csrf": {csrf}, "name": {"Reporting app"}})
	must(t, r, http.StatusOK, "Key issued for Reporting app")
	secret := keySecret.FindStringSubmatch(r.body)[1]
	if !strings.Contains(r.header.Get("Cache-Control"), "no-store") {
		t.Errorf("the page showing a key may be cached: %q", r.header.Get("Cache-Control"))
	}
	// Shown once: the list has its beginning only.
	r = admin.get(open311.KeysPath)
	must(t, r, http.StatusOK, "<td>Reporting app</td>", secret[:11]+"…", "Never")
	mustNot(t, r, secret)
	for _, lang := range []string{"es", "ca", "it", "fr"} {
		r := admin.get(open311.KeysPath + "?lang=" + lang)
		must(t, r, http.StatusOK)
		mustNot(t, r, "open311.keys.", "Open311 API keys</h1>")
	}
	admin.get(open311.KeysPath + "?lang=en")
	must(t, admin.post(open311.KeysPath+"/12345/revoke", url.Values{"_csrf": {csrf}}), http.StatusNotFound)
}
