package portal

import (
	"net/http"
	"testing"
)

func TestTopicShow(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "services grouped by audience", path: "/topics/waste-recycling", status: http.StatusOK,
			contains: []string{
				"<h1>Waste and recycling</h1>", "Bin collections, recycling centres", "For residents", "For businesses",
				`href="/services/report-missed-bin-collection"`, `href="/services/commercial-waste-collection"`,
			},
		},
		{
			name: "translated title, english description", path: "/topics/waste-recycling?lang=es", status: http.StatusOK,
			contains: []string{"<h1>Residuos y reciclaje</h1>", `<p class="lead" lang="en">Bin collections`},
			excludes: []string{"todavía no está disponible"},
		},
		{
			name: "unknown topic", path: "/topics/no-such-topic", status: http.StatusNotFound,
			contains: []string{"Page not found", `action="/search"`},
		},
	})
}
