package portal

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestJourneyShow(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "numbered steps with their services", path: "/journeys/open-a-restaurant", status: http.StatusOK,
			contains: []string{
				"<h1>Open a restaurant or café: step by step</h1>", `<ol class="steps">`,
				`<span class="steps__number">Step 1</span> <span>Check you can use the premises as a restaurant</span>`,
				"Step 2", `href="/services/planning-permission-change-of-use"`, `href="/services/food-business-registration"`,
			},
		},
		{
			name: "spanish", path: "/journeys/open-a-restaurant?lang=es", status: http.StatusOK,
			contains: []string{"Abrir un restaurante o una cafetería: paso a paso", "Paso 1"},
		},
		{name: "unknown", path: "/journeys/nope", status: http.StatusNotFound, contains: []string{"Page not found"}},
	})
}

// Every service of every journey is linked from the journey's page.
func TestJourneyShowLinksEveryService(t *testing.T) {
	for _, j := range fixture.srv.Directory().Journeys {
		_, body := get(t, "/journeys/"+j.Slug, nil)
		for i, st := range j.Steps {
			for _, slug := range st.Services {
				if !strings.Contains(body, `href="/services/`+slug+`"`) {
					t.Errorf("journey %s step %d does not link service %s", j.Slug, i+1, slug)
				}
			}
		}
		if !strings.Contains(body, "Step "+strconv.Itoa(len(j.Steps))) {
			t.Errorf("journey %s does not number its last step %d", j.Slug, len(j.Steps))
		}
	}
	if len(fixture.srv.Directory().Journeys) == 0 {
		t.Fatal("the demo catalogue has no journeys")
	}
}
