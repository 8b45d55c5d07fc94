package portal

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func planPath(what string, answers map[string]string) string {
	q := url.Values{"what": {what}}
	for k, v := range answers {
		q.Set(k, v)
	}
	return "/business/start/plan?" + q.Encode()
}

func TestBusinessStartPages(t *testing.T) {
	restaurant := "open-a-restaurant"
	runScenarios(t, []scenario{
		{name: "choose what to do", path: "/business/start", status: 200, contains: []string{
			`<legend><h1 class="finder-heading">What do you want to do?</h1></legend>`,
			`name="what" type="radio" value="open-a-restaurant"`,
			`name="what" type="radio" value="start-a-market-stall"`,
			`name="what" type="radio" value="opening-premises"`,
			`<label for="what">Open a restaurant, café or bar</label>`,
			`<form method="get" action="/business/start/questions" novalidate>`,
		}, excludes: []string{`value="having-a-baby"`, `value="moving-home"`, `name="_csrf"`}},
		{name: "nothing chosen", path: "/business/start/questions", status: 422, contains: []string{
			`<li><a href="#what">Select what you want to do</a></li>`, `aria-describedby="what-hint what-error"`,
		}},
		{name: "a resident journey is not a choice", path: "/business/start/questions?what=having-a-baby", status: 422,
			contains: []string{"Select what you want to do"}},
		{name: "a link kept from when the finder planned from journeys", path: "/business/start/questions?what=journey:open-a-restaurant", status: 200,
			contains: []string{`<input type="hidden" name="what" value="open-a-restaurant">`}},
		{name: "the restaurant's questions", path: "/business/start/questions?what=" + restaurant, status: 200, contains: []string{
			"Open a restaurant", "<legend class=\"finder-legend\">Will you sell food?</legend>",
			"<legend class=\"finder-legend\">Will you sell alcohol?</legend>", "<legend class=\"finder-legend\">Will you put tables outside?</legend>",
			"<legend class=\"finder-legend\">Will you put up a sign?</legend>", `id="sells_food-unsure"`,
			`<input type="hidden" name="what" value="open-a-restaurant">`,
		}},
		{name: "questions left unanswered", path: planPath(restaurant, map[string]string{"sells_food": "yes", "sign": "maybe"}), status: 422, contains: []string{
			`<li><a href="#sells_alcohol">Select yes, no or not sure</a></li>`,
			`<li><a href="#outdoor_seating">Select yes, no or not sure</a></li>`,
			`<li><a href="#sign">Select yes, no or not sure</a></li>`,
			`id="sells_food" name="sells_food" type="radio" value="yes" checked`,
		}, excludes: []string{`<li><a href="#sells_food">`}},
	})
}

var (
	planTotal   = regexp.MustCompile(`<dd id="plan-total">([^<]+)</dd>`)
	planLongest = regexp.MustCompile(`<dd id="plan-wait">([^<]+)</dd>`)
	planStepNo  = regexp.MustCompile(`<span class="steps__number">[^<]* (\d+)</span>`)
	planPermit  = regexp.MustCompile(`<a class="card__title" href="/services/([a-z0-9-]+)"`)
)

// The permit finder's plan for different answers: the permits in order,
// their total fee in the reader's format and the longest wait.
func TestBusinessStartPlans(t *testing.T) {
	restaurant, stall := "open-a-restaurant", "start-a-market-stall"
	tests := []struct {
		name    string
		what    string
		answers map[string]string
		lang    string
		steps   int
		permits []string
		total   string
		longest string
	}{
		{"restaurant, everything", restaurant,
			map[string]string{"sells_food": "yes", "sells_alcohol": "yes", "outdoor_seating": "yes", "sign": "yes"}, "en", 6,
			[]string{"planning-permission-change-of-use", "start-trading-declaration", "food-business-registration",
				"alcohol-premises-licence", "outdoor-seating-permit", "advertising-sign-permit", "commercial-waste-collection"},
			"€1,330.00", "70 working days"},
		{"restaurant, not sure keeps the permits", restaurant,
			map[string]string{"sells_food": "unsure", "sells_alcohol": "unsure", "outdoor_seating": "unsure", "sign": "unsure"}, "en", 6,
			[]string{"planning-permission-change-of-use", "start-trading-declaration", "food-business-registration",
				"alcohol-premises-licence", "outdoor-seating-permit", "advertising-sign-permit", "commercial-waste-collection"},
			"€1,330.00", "70 working days"},
		{"café without alcohol or terrace", restaurant,
			map[string]string{"sells_food": "yes", "sells_alcohol": "no", "outdoor_seating": "no", "sign": "yes"}, "en", 5,
			[]string{"planning-permission-change-of-use", "start-trading-declaration", "food-business-registration",
				"advertising-sign-permit", "commercial-waste-collection"},
			"€810.00", "70 working days"},
		{"bar without terrace or sign, in Spanish", restaurant,
			map[string]string{"sells_food": "yes", "sells_alcohol": "yes", "outdoor_seating": "no", "sign": "no"}, "es", 5,
			[]string{"planning-permission-change-of-use", "start-trading-declaration", "food-business-registration",
				"alcohol-premises-licence", "commercial-waste-collection"},
			"1140,00\u00a0€", "70 días hábiles"},
		{"craft market stall", stall,
			map[string]string{"sells_food": "no", "market_stall": "yes", "street_trading": "no"}, "en", 2,
			[]string{"start-trading-declaration", "market-stall-application"}, "€340.00", "60 working days"},
		{"street food, in French", stall,
			map[string]string{"sells_food": "yes", "market_stall": "no", "street_trading": "yes"}, "fr", 3,
			[]string{"start-trading-declaration", "food-business-registration", "street-trading-licence"}, "290,00\u00a0€", "56 jours ouvrés"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := get(t, planPath(tt.what, tt.answers)+"&lang="+tt.lang, nil)
			total, longest := planTotal.FindStringSubmatch(body), planLongest.FindStringSubmatch(body)
			if total == nil || total[1] != tt.total {
				t.Errorf("total fees %v, want %q\n%s", total, tt.total, excerpt(body))
			}
			if longest == nil || longest[1] != tt.longest {
				t.Errorf("longest wait %v, want %q", longest, tt.longest)
			}
			if n := len(planStepNo.FindAllString(body, -1)); n != tt.steps {
				t.Errorf("%d steps, want %d", n, tt.steps)
			}
			var permits []string
			for _, m := range planPermit.FindAllStringSubmatch(body, -1) {
				permits = append(permits, m[1])
			}
			if strings.Join(permits, " ") != strings.Join(tt.permits, " ") {
				t.Errorf("permits %v\nwant %v", permits, tt.permits)
			}
			for _, slug := range tt.permits {
				if !strings.Contains(body, `href="/services/`+slug+`/apply"`) && !strings.Contains(body, `<p class="finder-match__apply"><a href="/services/`+slug+`">`) {
					t.Errorf("%s has no apply link", slug)
				}
			}
		})
	}
	// A business type whose steps are one service each.
	_, body := get(t, planPath("opening-premises", map[string]string{
		"business_parking": "no", "building_works": "no", "sells_food": "yes", "sells_alcohol": "no",
		"outdoor_seating": "no", "sign": "yes", "late_night": "no"}), nil)
	if !strings.Contains(body, `href="/services/food-business-registration"`) || strings.Contains(body, `href="/services/planning-permission"`) {
		t.Errorf("opening premises with food, no building works: wrong permits\n%s", excerpt(body))
	}
}
