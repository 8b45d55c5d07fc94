package portal

import (
	"net/http"
	"testing"
)

func TestHomeShow(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "english by default", path: "/", status: http.StatusOK,
			contains: []string{
				`<html lang="en">`, `<h1 class="hero__title">City of Porta Nova: council services</h1>`,
				`action="/search"`, `<label class="search__label" for="home-search">`,
				`href="/services/report-missed-bin-collection"`, // a top task
				`href="/topics/waste-recycling"`, `href="/topics/council-democracy"`,
				`href="/life-events/moving-home"`, `href="/life-events/starting-a-business"`,
				`href="/business"`, `href="/journeys/open-a-restaurant"`,
				`class="skip-link" href="#main"`, `href="/auth/login?return_to=%2f"`,
			},
			excludes: []string{"demo sign-in is active", "<script>"},
		},
		{
			name: "spanish from accept-language", path: "/", status: http.StatusOK,
			header:   map[string]string{"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"},
			contains: []string{`<html lang="es">`, "Ayuntamiento de Porta Nova: servicios municipales", "Residuos y reciclaje"},
		},
		{
			name: "catalan from the query", path: "/?lang=ca", status: http.StatusOK,
			contains: []string{`<html lang="ca">`, "Ajuntament de Porta Nova", "Serveis més utilitzats"},
		},
		{
			name: "unsupported language falls back to english", path: "/?lang=de", status: http.StatusOK,
			header:   map[string]string{"Accept-Language": "de-DE"},
			contains: []string{`<html lang="en">`},
		},
	})
}
