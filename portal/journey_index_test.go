package portal

import (
	"net/http"
	"testing"
)

func TestJourneyIndex(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "every journey", path: "/journeys", status: http.StatusOK,
			contains: []string{"<h1>Step by step</h1>", `href="/journeys/open-a-restaurant"`, `href="/journeys/getting-older-support"`},
		},
	})
}
