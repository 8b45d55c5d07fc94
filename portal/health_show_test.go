package portal

import (
	"net/http"
	"testing"
)

func TestHealthShow(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "store answers", path: "/healthz", status: http.StatusOK, contains: []string{`"status":"ok"`, `"catalogue_version":`}},
		{name: "ready", path: "/readyz", status: http.StatusOK, contains: []string{`"status":"ready"`, `"catalogue_version":1,"index_version":1`}},
	})
}
