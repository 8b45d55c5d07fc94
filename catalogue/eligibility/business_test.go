package eligibility

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"sportello/catalogue"
)

// planShape is a plan written out: each step's number, English title and
// service slugs.
type planStep struct {
	number   int
	title    string
	services []string
}

func shape(p Plan) []planStep {
	out := make([]planStep, len(p.Steps))
	for i, s := range p.Steps {
		out[i] = planStep{number: s.Number, title: s.Title["en"]}
		for _, svc := range s.Services {
			out[i].services = append(out[i].services, svc.Slug)
		}
	}
	return out
}

func TestBusinessQuestionsOfTheDemo(t *testing.T) {
	f := NewBusinessFinder(demo(t))
	tests := []struct {
		business string
		want     []string // question keys, in step order
		texts    []string
	}{
		{"open-a-restaurant", []string{"sells_food", "sells_alcohol", "outdoor_seating", "sign"},
			[]string{"Will you sell food?", "Will you sell alcohol?", "Will you put tables outside?", "Will you put up a sign?"}},
		{"start-a-market-stall", []string{"sells_food", "market_stall", "street_trading"},
			[]string{"Will you sell food?", "Will you sell from a stall at a municipal market?", "Will you sell in the street?"}},
	}
	for _, tt := range tests {
		t.Run(tt.business, func(t *testing.T) {
			qs, err := f.Questions(tt.business)
			if err != nil {
				t.Fatal(err)
			}
			var keys, texts []string
			for _, q := range qs {
				keys = append(keys, q.Key)
				texts = append(texts, q.Text["en"])
				for _, lang := range catalogue.Languages {
					if q.Text[lang] == "" {
						t.Errorf("question %s has no %s text", q.Key, lang)
					}
				}
			}
			if !slices.Equal(keys, tt.want) || !slices.Equal(texts, tt.texts) {
				t.Errorf("questions %v %q, want %v %q", keys, texts, tt.want, tt.texts)
			}
		})
	}
}

func TestBusinessPlans(t *testing.T) {
	f := NewBusinessFinder(demo(t))
	restaurant, stall := "open-a-restaurant", "start-a-market-stall"
	tests := []struct {
		name     string
		business string
		answers  map[string]bool
		want     []planStep
		fee      int64
		longest  int
	}{
		{"restaurant, all yes", restaurant,
			map[string]bool{"sells_food": true, "sells_alcohol": true, "outdoor_seating": true, "sign": true},
			[]planStep{
				{1, "Check you can use the premises as a restaurant", []string{"planning-permission-change-of-use"}},
				{2, "Tell us you're starting your business", []string{"start-trading-declaration"}},
				{3, "Register your food business", []string{"food-business-registration"}},
				{4, "Get a licence to sell alcohol", []string{"alcohol-premises-licence"}},
				{5, "Apply for a terrace and a shop sign", []string{"outdoor-seating-permit", "advertising-sign-permit"}},
				{6, "Arrange your commercial waste collection", []string{"commercial-waste-collection"}},
			},
			30000 + 9000 + 0 + 40000 + 12000 + 7000 + 35000, 70},
		{"restaurant, unanswered questions keep their steps", restaurant, nil,
			[]planStep{
				{1, "Check you can use the premises as a restaurant", []string{"planning-permission-change-of-use"}},
				{2, "Tell us you're starting your business", []string{"start-trading-declaration"}},
				{3, "Register your food business", []string{"food-business-registration"}},
				{4, "Get a licence to sell alcohol", []string{"alcohol-premises-licence"}},
				{5, "Apply for a terrace and a shop sign", []string{"outdoor-seating-permit", "advertising-sign-permit"}},
				{6, "Arrange your commercial waste collection", []string{"commercial-waste-collection"}},
			},
			133000, 70},
		{"café without alcohol or terrace, with a sign", restaurant,
			map[string]bool{"sells_food": true, "sells_alcohol": false, "outdoor_seating": false, "sign": true},
			[]planStep{
				{1, "Check you can use the premises as a restaurant", []string{"planning-permission-change-of-use"}},
				{2, "Tell us you're starting your business", []string{"start-trading-declaration"}},
				{3, "Register your food business", []string{"food-business-registration"}},
				{4, "Apply for a terrace and a shop sign", []string{"advertising-sign-permit"}},
				{5, "Arrange your commercial waste collection", []string{"commercial-waste-collection"}},
			},
			30000 + 9000 + 7000 + 35000, 70},
		{"bar with alcohol, no terrace, no sign: the step goes and the rest are renumbered", restaurant,
			map[string]bool{"sells_food": true, "sells_alcohol": true, "outdoor_seating": false, "sign": false},
			[]planStep{
				{1, "Check you can use the premises as a restaurant", []string{"planning-permission-change-of-use"}},
				{2, "Tell us you're starting your business", []string{"start-trading-declaration"}},
				{3, "Register your food business", []string{"food-business-registration"}},
				{4, "Get a licence to sell alcohol", []string{"alcohol-premises-licence"}},
				{5, "Arrange your commercial waste collection", []string{"commercial-waste-collection"}},
			},
			30000 + 9000 + 40000 + 35000, 70},
		{"market stall selling crafts", stall,
			map[string]bool{"sells_food": false, "market_stall": true, "street_trading": false},
			[]planStep{
				{1, "Tell us you're starting to trade", []string{"start-trading-declaration"}},
				{2, "Apply for a stall at a municipal market", []string{"market-stall-application"}},
			},
			9000 + 25000, 60},
		{"street food seller", stall,
			map[string]bool{"sells_food": true, "market_stall": false, "street_trading": true},
			[]planStep{
				{1, "Tell us you're starting to trade", []string{"start-trading-declaration"}},
				{2, "Register as a food business, if you sell food", []string{"food-business-registration"}},
				{3, "Get a street trading licence to sell in the street", []string{"street-trading-licence"}},
			},
			9000 + 20000, 56},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := f.Plan(tt.business, tt.answers)
			if err != nil {
				t.Fatal(err)
			}
			if got := shape(p); !slices.EqualFunc(got, tt.want, equalStep) {
				t.Errorf("steps\n got: %v\nwant: %v", got, tt.want)
			}
			if p.TotalFeeCents != tt.fee || p.Currency != "EUR" || p.LongestWaitDays != tt.longest {
				t.Errorf("fee %d %s, longest wait %d; want %d EUR, %d", p.TotalFeeCents, p.Currency, p.LongestWaitDays, tt.fee, tt.longest)
			}
		})
	}
}

func equalStep(a, b planStep) bool {
	return a.number == b.number && a.title == b.title && slices.Equal(a.services, b.services)
}

func TestBusinessPlanRefusesAnswersItDidNotAsk(t *testing.T) {
	f := NewBusinessFinder(demo(t))
	_, err := f.Plan("start-a-market-stall", map[string]bool{"sells_alcohol": true, "sells_food": true})
	if !errors.Is(err, catalogue.ErrInvalid) {
		t.Fatalf("want catalogue.ErrInvalid for an answer to a question not asked, got %v", err)
	}
	if want := `"sells_alcohol" is not asked for this plan; its questions are: sells_food, market_stall, street_trading`; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q should say %q", err, want)
	}
}

// Business types whose steps are one service each, titled with the
// service's title.
func TestBusinessPlansStepByService(t *testing.T) {
	f := NewBusinessFinder(demo(t))
	qs, err := f.Questions("opening-premises")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, q := range qs {
		keys = append(keys, q.Key)
	}
	wantKeys := []string{"business_parking", "building_works", "sells_food", "sells_alcohol", "outdoor_seating", "sign", "late_night"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("questions %v, want %v", keys, wantKeys)
	}
	if got := qs[1].Services; !slices.Equal(got, []string{"planning-permission", "minor-building-works-licence", "planning-pre-application-advice"}) {
		t.Errorf("building_works decides %v", got)
	}

	tests := []struct {
		name     string
		business string
		answers  map[string]bool
		want     []string // one service per step
		fee      int64
		longest  int
	}{
		{"opening premises, nothing optional", "opening-premises",
			map[string]bool{"business_parking": false, "building_works": false, "sells_food": false, "sells_alcohol": false,
				"outdoor_seating": false, "sign": false, "late_night": false},
			[]string{"commercial-waste-collection", "planning-permission-change-of-use", "start-trading-declaration"},
			35000 + 30000 + 9000, 70},
		{"opening premises for a late bar with works", "opening-premises",
			map[string]bool{"business_parking": false, "building_works": true, "sells_food": false, "sells_alcohol": true,
				"outdoor_seating": false, "sign": true, "late_night": true},
			[]string{"commercial-waste-collection", "planning-permission", "minor-building-works-licence",
				"planning-permission-change-of-use", "planning-pre-application-advice", "alcohol-premises-licence",
				"start-trading-declaration", "advertising-sign-permit", "late-night-opening-licence"},
			35000 + 25000 + 6000 + 30000 + 15000 + 40000 + 9000 + 7000 + 30000, 70},
		// street-party-application, for residents only, is not one of its permits.
		{"organising an event with a road closure", "organising-an-event",
			map[string]bool{"parking_bays": false, "event_music_food_drink": true, "hall": false, "filming": false, "road_closure": true},
			[]string{"temporary-event-licence", "culture-grant-for-associations", "road-closure-for-event"},
			5000 + 10000, 60},
		{"closing a business", "closing-a-business", nil, []string{"tax-certificate-request"}, 500, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := f.Plan(tt.business, tt.answers)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, s := range p.Steps {
				if s.Number != i+1 || len(s.Services) != 1 || s.Title["en"] != s.Services[0].Title["en"] {
					t.Errorf("step %d: %+v", i+1, s)
				}
				got = append(got, s.Services[0].Slug)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("services\n got: %v\nwant: %v", got, tt.want)
			}
			if p.TotalFeeCents != tt.fee || p.LongestWaitDays != tt.longest {
				t.Errorf("fee %d, longest wait %d; want %d, %d", p.TotalFeeCents, p.LongestWaitDays, tt.fee, tt.longest)
			}
		})
	}
	if _, err := f.Plan("opening-a-casino", nil); !errors.Is(err, catalogue.ErrNotFound) {
		t.Errorf("an unknown business type should be catalogue.ErrNotFound, got %v", err)
	}
	if _, err := f.Questions("opening-a-casino"); !errors.Is(err, catalogue.ErrNotFound) {
		t.Errorf("an unknown business type should be catalogue.ErrNotFound, got %v", err)
	}
}

// Porta Nova's finder speaks all five of its languages.
func TestEveryDemoBusinessTextIsTranslated(t *testing.T) {
	c := demo(t)
	for _, b := range c.BusinessTypes {
		texts := map[string]catalogue.Text{"title": b.Title, "summary": b.Summary}
		for _, q := range b.Questions {
			texts["question "+q.Key] = q.Text
		}
		for i, st := range b.Steps {
			if st.Title != nil {
				texts[fmt.Sprintf("step %d", i+1)] = st.Title
			}
		}
		for name, text := range texts {
			for _, lang := range catalogue.Languages {
				if text[lang] == "" {
					t.Errorf("%s: %s has no %s text", b.Slug, name, lang)
				}
			}
		}
	}
}

// Another council's catalogue, with business types and services of its
// own and none of Porta Nova's: the finder knows no council's slugs.
func TestBusinessFinderOnAnotherCouncilsCatalogue(t *testing.T) {
	text := func(it, en string) catalogue.Text { return catalogue.Text{"it": it, "en": en} }
	service := func(slug, it, en string, fee int64, days int) catalogue.Service {
		s := catalogue.Service{Slug: slug, Topic: "imprese", Department: "suap", Audience: []string{catalogue.AudienceBusiness},
			Channels: []string{catalogue.ChannelInPerson}, Title: text(it, en), Summary: text("Un servizio.", "A service."),
			Description: text("Allo sportello.", "At the office.")}
		if fee > 0 {
			s.Fee = &catalogue.Fee{Amount: fee, Currency: "EUR", When: catalogue.FeeOnApproval}
		}
		if days >= 0 {
			s.ProcessingTimeDays = &days
		}
		return s
	}
	c := &catalogue.Catalogue{
		Format:      catalogue.FormatVersion,
		Authority:   catalogue.Authority{Name: text("Comune di Valbruna", "Valbruna Town Council"), DefaultLanguage: "it", Languages: []string{"it", "en"}, Currency: "EUR"},
		Topics:      []catalogue.Topic{{Slug: "imprese", Title: text("Imprese", "Businesses")}},
		Departments: []catalogue.Department{{Slug: "suap", Name: text("Sportello unico", "Business one-stop shop")}},
		Services: []catalogue.Service{
			service("notify-new-workshop", "Comunicazione di apertura", "Notice of a new workshop", 5000, 10),
			service("noise-permit", "Autorizzazione acustica", "Noise permit", 12000, 30),
			service("solvent-storage-licence", "Deposito di solventi", "Solvent storage licence", 20000, 45),
			service("waste-oil-collection", "Ritiro degli oli usati", "Waste oil collection", 0, -1),
		},
		BusinessTypes: []catalogue.BusinessType{{
			Slug: "open-a-car-repair-shop", Title: text("Aprire un'officina", "Open a car repair shop"),
			Questions: []catalogue.BusinessQuestion{
				{Key: "loud_machines", Text: text("Userà macchinari rumorosi?", "Will you use noisy machines?")},
				{Key: "solvents", Text: text("Terrà solventi o vernici?", "Will you keep solvents or paint?")},
			},
			Steps: []catalogue.BusinessStep{
				{Title: text("Ci comunichi l'apertura", "Tell us you are opening"), Services: []catalogue.BusinessPermit{{Service: "notify-new-workshop"}}},
				{Title: text("Chieda i permessi", "Get the permits"), Services: []catalogue.BusinessPermit{
					{Service: "noise-permit", If: "loud_machines"}, {Service: "solvent-storage-licence", If: "solvents"}}},
				{Services: []catalogue.BusinessPermit{{Service: "waste-oil-collection", If: "solvents"}}},
			},
		}},
	}
	if err := catalogue.Validate(c); err != nil {
		t.Fatalf("the test catalogue is invalid:\n%v", err)
	}
	porta := demo(t)
	for _, s := range c.Services {
		if _, ok := porta.Service(s.Slug); ok {
			t.Fatalf("%s is a Porta Nova service", s.Slug)
		}
	}
	f := NewBusinessFinder(c)

	qs, err := f.Questions("open-a-car-repair-shop")
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 || qs[0].Text["it"] != "Userà macchinari rumorosi?" || !slices.Equal(qs[0].Services, []string{"noise-permit"}) ||
		!slices.Equal(qs[1].Services, []string{"solvent-storage-licence", "waste-oil-collection"}) {
		t.Errorf("questions %+v", qs)
	}
	if _, err := f.Questions("open-a-restaurant"); !errors.Is(err, catalogue.ErrNotFound) {
		t.Errorf("Porta Nova's business type in Valbruna: %v, want catalogue.ErrNotFound", err)
	}

	tests := []struct {
		name    string
		answers map[string]bool
		want    []planStep
		fee     int64
		longest int
	}{
		{"noisy, no solvents", map[string]bool{"loud_machines": true, "solvents": false}, []planStep{
			{1, "Tell us you are opening", []string{"notify-new-workshop"}},
			{2, "Get the permits", []string{"noise-permit"}},
		}, 5000 + 12000, 30},
		{"solvents, not sure about the noise: the untitled step takes its service's title", map[string]bool{"solvents": true}, []planStep{
			{1, "Tell us you are opening", []string{"notify-new-workshop"}},
			{2, "Get the permits", []string{"noise-permit", "solvent-storage-licence"}},
			{3, "Waste oil collection", []string{"waste-oil-collection"}},
		}, 5000 + 12000 + 20000, 45},
		{"nothing optional", map[string]bool{"loud_machines": false, "solvents": false}, []planStep{
			{1, "Tell us you are opening", []string{"notify-new-workshop"}},
		}, 5000, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := f.Plan("open-a-car-repair-shop", tt.answers)
			if err != nil {
				t.Fatal(err)
			}
			if got := shape(p); !slices.EqualFunc(got, tt.want, equalStep) {
				t.Errorf("steps\n got: %v\nwant: %v", got, tt.want)
			}
			if p.TotalFeeCents != tt.fee || p.Currency != "EUR" || p.LongestWaitDays != tt.longest {
				t.Errorf("fee %d %s, longest wait %d; want %d EUR, %d", p.TotalFeeCents, p.Currency, p.LongestWaitDays, tt.fee, tt.longest)
			}
		})
	}
}
