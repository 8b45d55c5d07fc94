package portal

import (
	"net/http"
	"testing"
)

func TestTopicIndex(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "all thirteen topics", path: "/topics", status: http.StatusOK,
			contains: []string{"<h1>Services by topic</h1>", `href="/topics/waste-recycling"`, `href="/topics/council-democracy"`, "10 services"},
		},
		{
			name: "french titles, english descriptions marked", path: "/topics?lang=fr", status: http.StatusOK,
			contains: []string{`<html lang="fr">`, "Déchets et recyclage", `<p class="links__summary" lang="en">Bin collections`},
		},
	})
}
