package portal

import (
	"net/http"
	"testing"
)

func TestLifeEventShow(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "moving home", path: "/life-events/moving-home", status: http.StatusOK,
			contains: []string{
				"<h1>Moving to or within Porta Nova</h1>", `href="/services/register-on-the-municipal-register"`,
				`href="/journeys/move-to-porta-nova"`,
			},
		},
		{
			name: "catalan", path: "/life-events/moving-home?lang=ca", status: http.StatusOK,
			contains: []string{"<h1>Mudar-se a Porta Nova o dins de la ciutat</h1>"},
		},
		{
			name: "untranslated life event falls back with a notice", path: "/life-events/moving-home?lang=it", status: http.StatusOK,
			contains: []string{"Questa pagina non è ancora disponibile in italiano; è mostrata in inglese.", `<h1 lang="en">Moving to or within Porta Nova</h1>`},
		},
		{
			name: "business moment links back to the business hub", path: "/life-events/starting-a-business", status: http.StatusOK,
			contains: []string{`<a href="/business">For businesses</a>`, `href="/services/start-trading-declaration"`},
		},
		{name: "unknown", path: "/life-events/nope", status: http.StatusNotFound, contains: []string{"Page not found"}},
	})
}
