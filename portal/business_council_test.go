package portal

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sportello/catalogue"
	"sportello/search"
)

// valbruna is another council's catalogue, in Italian first and English:
// its own services and business types, none of them Porta Nova's. The
// permit finder must work on it from the catalogue alone.
const valbruna = `{
  "format": "sportello-catalogue/1",
  "authority": {"name": {"it": "Comune di Valbruna", "en": "Valbruna Town Council"}, "default_language": "it",
    "languages": ["it", "en"], "currency": "EUR", "website": "https://valbruna.example", "phone": "+39 0000 000000", "email": "comune@valbruna.example"},
  "topics": [{"slug": "imprese", "title": {"it": "Imprese", "en": "Businesses"}, "description": null}],
  "departments": [{"slug": "suap", "name": {"it": "Sportello unico attività produttive", "en": "Business one-stop shop"},
    "email": "suap@valbruna.example", "phone": "", "address": "Piazza del Municipio 1", "opening_hours": "Mo-Fr 09:00-12:00"}],
  "life_events": [],
  "profile_questions": [],
  "services": [
    ` + valbrunaService + `,
    ` + valbrunaService + `,
    ` + valbrunaService + `,
    ` + valbrunaService + `,
    ` + valbrunaService + `
  ],
  "journeys": [],
  "business_types": [
    {"slug": "open-a-car-repair-shop", "title": {"it": "Aprire un'officina", "en": "Open a car repair shop"},
     "summary": {"it": "Dalla comunicazione di apertura ai permessi per rumore e solventi.", "en": "From telling us you are opening to the permits for noise and solvents."},
     "questions": [
       {"key": "loud_machines", "text": {"it": "Userà macchinari rumorosi?", "en": "Will you use noisy machines?"}},
       {"key": "solvents", "text": {"it": "Terrà solventi o vernici?", "en": "Will you keep solvents or paint?"}}
     ],
     "steps": [
       {"title": {"it": "Ci comunichi l'apertura", "en": "Tell us you are opening"}, "services": [{"service": "notify-new-workshop"}]},
       {"title": {"it": "Chieda i permessi per macchinari e materiali", "en": "Get the permits for your machines and materials"},
        "services": [{"service": "noise-permit", "if": "loud_machines"}, {"service": "solvent-storage-licence", "if": "solvents"}]},
       {"title": null, "services": [{"service": "waste-oil-collection", "if": "solvents"}]}
     ]},
    {"slug": "sell-at-the-fair", "title": {"it": "Vendere alla fiera", "en": "Sell at the fair"}, "summary": null, "questions": [],
     "steps": [{"title": null, "services": [{"service": "fair-pitch-booking"}]}]}
  ]
}`

// valbrunaService is a service template; newValbruna fills in each one.
const valbrunaService = `{"slug": "", "topic": "imprese", "department": "suap", "audience": ["business"], "life_events": [],
  "keywords": null, "channels": ["in_person"], "processing_time_days": null, "fee": null,
  "title": {"it": "", "en": ""}, "summary": {"it": "Un servizio del Comune.", "en": "A council service."},
  "description": {"it": "Si rivolga allo sportello.", "en": "Ask at the office."}, "eligibility_text": null,
  "documents": null, "steps": null, "legal_basis": null, "output": null, "related": [], "eligibility_rule": null,
  "assurance": null, "online_form": null}`

// newValbruna loads valbruna with its services filled in: slug, titles,
// fee in cents (0: free) and days (-1: no set time).
func newValbruna(t *testing.T) *catalogue.Catalogue {
	t.Helper()
	c, err := catalogue.Parse([]byte(valbruna))
	if err != nil {
		t.Fatal(err)
	}
	services := []struct {
		slug, it, en string
		fee          int64
		days         int
	}{
		{"notify-new-workshop", "Comunicazione di apertura di un'officina", "Notice of a new workshop", 5000, 10},
		{"noise-permit", "Autorizzazione per le emissioni sonore", "Noise permit", 12000, 30},
		{"solvent-storage-licence", "Licenza per il deposito di solventi", "Solvent storage licence", 20000, 45},
		{"waste-oil-collection", "Ritiro degli oli usati", "Waste oil collection", 0, -1},
		{"fair-pitch-booking", "Prenotazione di un posteggio alla fiera", "Book a pitch at the fair", 3000, 5},
	}
	for i, s := range services {
		svc := &c.Services[i]
		svc.Slug, svc.Title = s.slug, catalogue.Text{"it": s.it, "en": s.en}
		if s.fee > 0 {
			svc.Fee = &catalogue.Fee{Amount: s.fee, Currency: "EUR", When: catalogue.FeeOnApproval}
		}
		if s.days >= 0 {
			svc.ProcessingTimeDays = &s.days
		}
	}
	if err := catalogue.Validate(c); err != nil {
		t.Fatalf("the Valbruna catalogue is invalid:\n%v", err)
	}
	demo, err := catalogue.Parse(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Services {
		if _, ok := demo.Service(s.Slug); ok {
			t.Fatalf("%s is one of Porta Nova's services; Valbruna's must be its own", s.Slug)
		}
	}
	for _, b := range c.BusinessTypes {
		if slices.ContainsFunc(demo.BusinessTypes, func(d catalogue.BusinessType) bool { return d.Slug == b.Slug }) {
			t.Fatalf("%s is one of Porta Nova's business types", b.Slug)
		}
	}
	return c
}

// serverOn builds a portal on its own store loaded with c; sign-in,
// applications and payments are the fixture's, which the finder pages do
// not use.
func serverOn(t *testing.T, c *catalogue.Catalogue) *Server {
	t.Helper()
	ctx, dir := context.Background(), t.TempDir()
	db, st, err := openStores(ctx, filepath.Join(dir, "sportello.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(); db.Close() })
	if _, err := st.Import(ctx, c); err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(ctx, filepath.Join(dir, "index"), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	deps := fixture.deps
	deps.Catalogue, deps.Editorial, deps.Search = st, st, idx
	srv, err := New(Config{BaseURL: "https://valbruna.example", Env: "test", Log: slog.New(slog.DiscardHandler)}, deps)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

var planStepTitle = regexp.MustCompile(`<span class="steps__number">[^<]*</span><span[^>]*>([^<]+)</span>`)

func TestBusinessFinderOnAnotherCouncilsCatalogue(t *testing.T) {
	srv := serverOn(t, newValbruna(t))
	repair := "open-a-car-repair-shop"
	for _, sc := range []scenario{
		{name: "what the council's businesses can plan", path: "/business/start?lang=it", status: http.StatusOK, contains: []string{
			`name="what" type="radio" value="open-a-car-repair-shop"`, `Aprire un&#39;officina`,
			`name="what" type="radio" value="sell-at-the-fair"`, `Vendere alla fiera`,
		}, excludes: []string{"open-a-restaurant", "opening-premises"}},
		{name: "the questions, in the catalogue's language", path: "/business/start/questions?lang=it&what=" + repair, status: http.StatusOK, contains: []string{
			`<legend class="finder-legend">Userà macchinari rumorosi?</legend>`, `<legend class="finder-legend">Terrà solventi o vernici?</legend>`,
			`id="loud_machines-unsure"`, `<input type="hidden" name="what" value="open-a-car-repair-shop">`,
		}},
		{name: "and in English", path: "/business/start/questions?lang=en&what=" + repair, status: http.StatusOK, contains: []string{
			`<legend class="finder-legend">Will you use noisy machines?</legend>`,
		}},
		{name: "Porta Nova's business types are not this council's", path: "/business/start/questions?what=open-a-restaurant", status: http.StatusUnprocessableEntity,
			contains: []string{"Select what you want to do"}},
		{name: "a question left unanswered", path: "/business/start/plan?lang=en&loud_machines=yes&what=" + repair, status: http.StatusUnprocessableEntity,
			contains: []string{`<li><a href="#solvents">Select yes, no or not sure</a></li>`}},
		{name: "the council's hub for businesses", path: "/business?lang=it", status: http.StatusOK, contains: []string{`href="/business/start"`}},
	} {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, srv) })
	}

	tests := []struct {
		name    string
		query   string
		permits []string
		titles  []string // of the steps, in order
		total   string
		longest string
	}{
		{"noisy machines, no solvents, in Italian", "lang=it&loud_machines=yes&solvents=no",
			[]string{"notify-new-workshop", "noise-permit"},
			[]string{"Ci comunichi l'apertura", "Chieda i permessi per macchinari e materiali"}, "170,00\u00a0€", "30 giorni lavorativi"},
		{"everything, in English: a step without a title takes its service's", "lang=en&loud_machines=yes&solvents=yes",
			[]string{"notify-new-workshop", "noise-permit", "solvent-storage-licence", "waste-oil-collection"},
			[]string{"Tell us you are opening", "Get the permits for your machines and materials", "Waste oil collection"}, "€370.00", "45 working days"},
		{"solvents only, not sure about the noise", "lang=en&loud_machines=unsure&solvents=yes",
			[]string{"notify-new-workshop", "noise-permit", "solvent-storage-licence", "waste-oil-collection"},
			[]string{"Tell us you are opening", "Get the permits for your machines and materials", "Waste oil collection"}, "€370.00", "45 working days"},
		{"nothing optional", "lang=en&loud_machines=no&solvents=no",
			[]string{"notify-new-workshop"}, []string{"Tell us you are opening"}, "€50.00", "10 working days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := scenario{path: "/business/start/plan?what=" + repair + "&" + tt.query, status: http.StatusOK}.run(t, srv)
			checkPlan(t, body, tt.permits, tt.total, tt.longest)
			var titles []string
			for _, m := range planStepTitle.FindAllStringSubmatch(body, -1) {
				titles = append(titles, strings.ReplaceAll(m[1], "&#39;", "'"))
			}
			if !slices.Equal(titles, tt.titles) {
				t.Errorf("steps %q, want %q", titles, tt.titles)
			}
		})
	}

	// A business type without questions goes straight to its plan.
	res, _ := scenario{path: "/business/start/questions?what=sell-at-the-fair", status: http.StatusSeeOther}.run(t, srv)
	plan := res.Header.Get("Location")
	if plan != "/business/start/plan?what=sell-at-the-fair" {
		t.Fatalf("redirected to %q", plan)
	}
	_, body := scenario{path: plan + "&lang=en", status: http.StatusOK}.run(t, srv)
	checkPlan(t, body, []string{"fair-pitch-booking"}, "€30.00", "5 working days")
}

// checkPlan checks a plan page's permits, in order, and its totals.
func checkPlan(t *testing.T, body string, permits []string, total, longest string) {
	t.Helper()
	var got []string
	for _, m := range planPermit.FindAllStringSubmatch(body, -1) {
		got = append(got, m[1])
	}
	if !slices.Equal(got, permits) {
		t.Errorf("permits %v, want %v", got, permits)
	}
	if m := planTotal.FindStringSubmatch(body); m == nil || m[1] != total {
		t.Errorf("total fees %v, want %q", m, total)
	}
	if m := planLongest.FindStringSubmatch(body); m == nil || m[1] != longest {
		t.Errorf("longest wait %v, want %q", m, longest)
	}
}
