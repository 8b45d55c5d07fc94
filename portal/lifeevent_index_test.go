package portal

import (
	"net/http"
	"testing"
)

func TestLifeEventIndex(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "resident and business moments", path: "/life-events", status: http.StatusOK,
			contains: []string{"<h1>Life events</h1>", `href="/life-events/moving-home"`, `href="/life-events/closing-a-business"`},
		},
	})
}
