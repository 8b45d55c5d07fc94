package portal

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/accounts"
	"sportello/acting"
	"sportello/applications"
	"sportello/applications/forms"
	"sportello/payments"
)

// browserAs is a browser signed in as a person of its own, at level high,
// with a session made as sign-in makes it: for tests that need more people
// than the development provider offers. The session is created by a page
// with a form, then bound to the person in the sessions' store.
func (s *liveSite) browserAs(t *testing.T, name string, roles ...string) (*browser, int64) {
	t.Helper()
	b := s.browser(t, stopAtRedirects)
	must(t, b.get("/services/"+vanPermit+"/feedback"), http.StatusOK)
	u, _ := url.Parse(s.base)
	var id string
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == "sportello_session" {
			id = c.Value
		}
	}
	if id == "" {
		t.Fatal("no session cookie")
	}
	person, err := accounts.New(s.db, nil).SignIn(context.Background(), id, accounts.Person{
		Issuer: "https://test.example", Subject: name, Name: name, Email: name + "@example.org", EmailVerified: true, Roles: roles,
	}, "", "high", "")
	if err != nil {
		t.Fatal(err)
	}
	return b, person
}

var receiptLink = regexp.MustCompile(`/account/payments/(\d+)/receipt`)

// Authorisation is checked on every object for every route that shows an
// application, a file, a payment or a receipt: the applicant sees theirs;
// a member of the organisation an application was made for sees it, and a
// member of another does not; a current representative sees what the
// person they act for made for themselves, and an expired or revoked one
// sees nothing; a stranger sees nothing. Whatever one may not see is a
// 404, like something that does not exist; the lists leave it out.
func TestActingAuthorisation(t *testing.T) {
	const slug = "tax-certificate-request" // substantial, a fee on application, an optional file
	site, st, apps := actingSite(t)
	ctx := context.Background()

	owner, ownerID := site.browserAs(t, "owner")
	member, memberID := site.browserAs(t, "member")
	other, otherID := site.browserAs(t, "other-org-member")
	current, currentID := site.browserAs(t, "current-rep")
	expired, expiredID := site.browserAs(t, "expired-rep")
	revoked, revokedID := site.browserAs(t, "revoked-rep")
	stranger, _ := site.browserAs(t, "stranger")

	// The owner's business, with a member; another business with its own.
	orgA, err := st.Register(ctx, acting.Organisation{Name: "Forno Ferri SL", TaxID: "B11111111", ConfirmedBy: acting.ConfirmedByIdP}, ownerID)
	if err != nil {
		t.Fatal(err)
	}
	join := func(org acting.Organisation, person int64, email string) {
		tok, err := st.Invite(ctx, acting.Invite{OrganisationID: org.ID, Email: email, Role: acting.RoleMember, By: org.CreatedBy})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Join(ctx, tok, person); err != nil {
			t.Fatal(err)
		}
	}
	join(orgA, memberID, "member@example.org")
	orgB, err := st.Register(ctx, acting.Organisation{Name: "Altra SRL", TaxID: "B22222222", ConfirmedBy: acting.ConfirmedByStaff}, otherID)
	if err != nil {
		t.Fatal(err)
	}
	_ = orgB
	// Three representatives of the owner: current, past its date, ended.
	grant := func(rep int64, email, until string) acting.Representation {
		_, tok, err := st.Grant(ctx, acting.Grant{Principal: ownerID, PrincipalName: "owner", RepresentativeEmail: email, Until: until})
		if err != nil {
			t.Fatal(err)
		}
		r, err := st.Accept(ctx, tok, rep, email)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	future := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	grant(currentID, "current-rep@example.org", future)
	grant(expiredID, "expired-rep@example.org", time.Now().AddDate(0, 0, -2).Format(time.DateOnly))
	ended := grant(revokedID, "revoked-rep@example.org", future)
	if err := st.End(ctx, ended.ID, ownerID, false); err != nil {
		t.Fatal(err)
	}

	// The owner's own application and one for the business, each with a
	// file and a paid fee.
	svc, err := site.store.Service(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	type made struct{ ref, file, receipt, session string }
	submit := func(org int64) made {
		token, err := applications.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		const pdf = "%PDF-1.4\n% authorisation\n"
		app, err := apps.Submit(ctx, applications.SubmitInput{
			Token: token, Service: svc, PersonID: ownerID, OrganisationID: org,
			Answers: forms.Answers{{Field: "authorisation", Type: forms.TypeFile, Files: []forms.FileRef{{Name: "authorisation.pdf", ContentType: "application/pdf"}}}},
			Files: []forms.AcceptedFile{{Field: "authorisation", Filename: "authorisation.pdf", ContentType: "application/pdf", Size: int64(len(pdf)),
				Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(pdf)), nil }}},
		})
		if err != nil {
			t.Fatal(err)
		}
		m := made{ref: app.Reference.String()}
		page := owner.get("/applications/" + m.ref + "/pay")
		must(t, page, http.StatusOK)
		r := owner.postForm(page, "/applications/"+m.ref+"/pay", url.Values{})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/payments/simulated/") {
			t.Fatalf("pay: %d to %q", r.status, r.location)
		}
		m.session = strings.TrimPrefix(r.location, "/payments/simulated/")
		checkout := owner.get(r.location)
		owner.follow(owner.postForm(checkout, r.location, url.Values{"choice": {payments.SimulatedPay}}))
		show := owner.get("/account/applications/" + m.ref)
		must(t, show, http.StatusOK)
		if f := fileLink.FindStringSubmatch(show.body); f != nil {
			m.file = f[1]
		}
		if rc := receiptLink.FindString(show.body); rc != "" {
			m.receipt = rc
		}
		if m.file == "" || m.receipt == "" {
			t.Fatalf("application %s: file %q, receipt %q\n%s", m.ref, m.file, m.receipt, excerptMain(show.body))
		}
		return m
	}
	own := submit(0)
	forOrg := submit(orgA.ID)

	type persona struct {
		name          string
		b             *browser
		seesOwn       bool // the owner's own application
		seesOrg       bool // the business's application
		seesOrgPage   bool
		label         string // the banner on the applications they see for someone else
		labelOrgApps  string
		seesOwnInData bool
	}
	personas := []persona{
		{name: "owner", b: owner, seesOwn: true, seesOrg: true, seesOrgPage: true, seesOwnInData: true},
		{name: "member of the same organisation", b: member, seesOrg: true, seesOrgPage: true, labelOrgApps: "For Forno Ferri SL"},
		{name: "member of another organisation", b: other},
		{name: "current representative", b: current, seesOwn: true, label: "Acting for owner"},
		{name: "expired representative", b: expired},
		{name: "revoked representative", b: revoked},
		{name: "stranger", b: stranger},
	}
	// Every route that shows an application, a file, a payment or a
	// receipt. The forms are sent with an answer the form refuses (422),
	// so that nothing changes for those who may send them.
	type route struct {
		method, path string
		form         url.Values
		okStatus     int
	}
	routes := func(m made) []route {
		return []route{
			{http.MethodGet, "/account/applications/" + m.ref, nil, http.StatusOK},
			{http.MethodGet, m.file, nil, http.StatusOK},
			{http.MethodPost, "/account/applications/" + m.ref + "/withdraw", url.Values{"reason": {strings.Repeat("x", 1001)}}, http.StatusUnprocessableEntity},
			{http.MethodPost, "/account/applications/" + m.ref + "/respond", url.Values{"message": {""}}, http.StatusUnprocessableEntity},
			{http.MethodGet, "/applications/" + m.ref + "/pay", nil, http.StatusOK},
			{http.MethodGet, "/payments/return?session_id=" + url.QueryEscape(m.session), nil, http.StatusOK},
			{http.MethodGet, "/payments/cancelled?ref=" + m.ref + "&attempt=1", nil, http.StatusSeeOther},
			{http.MethodGet, m.receipt, nil, http.StatusOK},
		}
	}
	for _, p := range personas {
		t.Run(p.name, func(t *testing.T) {
			csrf := csrfOf(t, p.b.get("/account").body)
			for _, c := range []struct {
				m     made
				sees  bool
				label string
			}{{own, p.seesOwn, p.label}, {forOrg, p.seesOrg, p.labelOrgApps}} {
				for _, rt := range routes(c.m) {
					var r response
					if rt.method == http.MethodGet {
						r = p.b.get(rt.path)
					} else {
						rt.form.Set("_csrf", csrf)
						r = p.b.post(rt.path, rt.form)
					}
					want := http.StatusNotFound
					if c.sees {
						want = rt.okStatus
					}
					if r.status != want {
						t.Errorf("%s %s: %d, want %d\n%s", rt.method, rt.path, r.status, want, excerptMain(r.body))
					}
				}
				// Every page about it says whom the viewer sees it for.
				for _, path := range []string{"/account/applications/" + c.m.ref, "/applications/" + c.m.ref + "/pay", c.m.receipt} {
					if !c.sees {
						break
					}
					show := p.b.get(path)
					banner := strings.Contains(show.body, `id="acting-banner"`)
					switch {
					case c.label != "" && (!banner || !strings.Contains(show.body, c.label)):
						t.Errorf("%s: no banner saying %q", path, c.label)
					case c.label == "" && banner:
						t.Errorf("%s: the applicant's own page says they act for someone", path)
					}
				}
				for _, list := range []string{"/account/applications", "/account/payments"} {
					r := p.b.get(list)
					must(t, r, http.StatusOK)
					if strings.Contains(r.body, c.m.ref) != c.sees {
						t.Errorf("%s lists %s: %v, want %v", list, c.m.ref, !c.sees, c.sees)
					}
				}
			}
			data := p.b.get("/account/data")
			must(t, data, http.StatusOK)
			if strings.Contains(data.body, own.ref) != p.seesOwnInData {
				t.Errorf("/account/data shows %s: %v, want %v", own.ref, !p.seesOwnInData, p.seesOwnInData)
			}
			want := http.StatusNotFound
			if p.seesOrgPage {
				want = http.StatusOK
			}
			if r := p.b.get(organisationPath(orgA.ID)); r.status != want {
				t.Errorf("the organisation's page: %d, want %d", r.status, want)
			}
			// The staff's views of the same objects are for staff only.
			for _, path := range []string{"/staff/applications/" + own.ref, "/staff" + strings.TrimPrefix(own.file, "/account"), "/staff/acting"} {
				if r := p.b.get(path); r.status != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", path, r.status)
				}
			}
		})
	}
}

// TestStaffSeeForWhomAndByWhom checks that a caseworker's page of an
// application says the organisation it was made for and the representative
// who sent it, and says neither of one the applicant sent for themselves;
// the queue names the organisation too.
func TestStaffSeeForWhomAndByWhom(t *testing.T) {
	site, st, apps := actingSite(t)
	ctx := context.Background()
	_, ownerID := site.browserAs(t, "Marta Ferri")
	_, repID := site.browserAs(t, "Jordi Puig")
	org, err := st.Register(ctx, acting.Organisation{Name: "Forno Ferri SL", TaxID: "B11111111", ConfirmedBy: acting.ConfirmedByIdP}, ownerID)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := site.store.Service(ctx, "tax-certificate-request")
	if err != nil {
		t.Fatal(err)
	}
	submit := func(orgID, by int64) string {
		token, err := applications.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		app, err := apps.Submit(ctx, applications.SubmitInput{Token: token, Service: svc, PersonID: ownerID, OrganisationID: orgID, SubmittedBy: by})
		if err != nil {
			t.Fatal(err)
		}
		return "/staff/applications/" + app.Reference.String()
	}
	forOrg, sentByRep, own := submit(org.ID, 0), submit(0, repID), submit(0, 0)

	staff := site.browser(t, followRedirects)
	staff.signIn("caseworker", "/account")
	staff.get("/?lang=en")
	must(t, staff.get(forOrg), http.StatusOK, `id="application-for"`, "For:</strong> Forno Ferri SL (tax ID B11111111)")
	must(t, staff.get(sentByRep), http.StatusOK, `id="application-sent-by"`, "Sent by:</strong> Jordi Puig, the applicant&#39;s representative")
	r := staff.get(own)
	must(t, r, http.StatusOK)
	if strings.Contains(r.body, `id="application-for"`) || strings.Contains(r.body, `id="application-sent-by"`) {
		t.Errorf("the applicant's own application names an organisation or a representative\n%s", excerptMain(r.body))
	}
	// The queue says it too, on that application's row alone (all
	// statuses: the fee is not paid yet).
	queue := staff.get("/staff?status=all")
	must(t, queue, http.StatusOK)
	if n := strings.Count(queue.body, `<span class="hint">For Forno Ferri SL</span>`); n != 1 {
		t.Errorf("the queue says \"For Forno Ferri SL\" %d times, want once\n%s", n, excerptMain(queue.body))
	}
	staff.get("/?lang=es")
	must(t, staff.get(sentByRep), http.StatusOK, "Enviada por:</strong> Jordi Puig, representante de la persona solicitante")
}

// actingSite is a site with a database of its own, so that the
// applications its test makes stay out of the other tests' queues, with
// its organisations and representations and its applications.
func actingSite(t *testing.T) (*liveSite, *acting.SQL, *applications.Store) {
	t.Helper()
	site := startLiveSite(t, ownCatalogue)
	apps, err := applications.New(site.db, applications.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return site, acting.New(site.db, nil, nil), apps
}

func organisationPath(id int64) string {
	return "/account/organisations/" + strconv.FormatInt(id, 10)
}
