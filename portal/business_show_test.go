package portal

import (
	"net/http"
	"testing"
)

func TestBusinessShow(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "grouped by business life event", path: "/business", status: http.StatusOK,
			contains: []string{
				"<h1>For businesses</h1>", `<a href="/life-events/starting-a-business">`, `<a href="/life-events/closing-a-business">`,
				"Other services for businesses", `href="/journeys/open-a-restaurant"`, `href="/services/start-trading-declaration"`,
			},
			excludes: []string{`href="/journeys/having-a-baby"`},
		},
		{
			name: "catalan", path: "/business?lang=ca", status: http.StatusOK,
			contains: []string{"<h1>Per a empreses</h1>", "Altres serveis per a empreses"},
		},
	})
}
