package portal

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sportello/portal/web"
	"strings"
	"testing"
)

func TestServiceShow(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "paid online service in english", path: "/services/resident-parking-permit", status: http.StatusOK,
			contains: []string{
				`<title>Apply for a resident parking permit – City of Porta Nova</title>`,
				`<h1>Apply for a resident parking permit</h1>`,
				`<dd>€40.00 per year <span class="hint">(paid online when you apply)</span></dd>`,
				`href="/services/resident-parking-permit/apply"`, "Apply now",
				"Who can apply", "What you need", "What happens", "Legal basis", "What you get",
				"<dd>5 working days</dd>", `href="mailto:mobility@portanova.example"`, "<dd>Monday to Friday, 09:00–14:00</dd>",
				`href="/topics/parking-transport"`, "Related services", `href="/services/visitor-parking-permit"`,
				`<script type="application/ld+json">`,
				"<li>you must be registered on the municipal register", // Markdown list rendered
			},
			excludes: []string{"This page is not yet available"},
		},
		{
			name: "free service", path: "/services/report-a-pothole", status: http.StatusOK,
			contains: []string{"<dt>Cost</dt><dd>Free</dd>"},
		},
		{
			name: "service without an online form has no start button", path: "/services/find-your-collection-day", status: http.StatusOK,
			excludes: []string{"/apply", "Make a request", "button--start"},
		},
		{
			name: "translated service in spanish", path: "/services/resident-parking-permit?lang=es", status: http.StatusOK,
			contains: []string{`<html lang="es">`, "Solicitar el permiso de aparcamiento para residentes", "40,00\u00a0€ al año", "Solicitar ahora",
				"<dd>lun–vie 9:00–14:00</dd>"},
			excludes: []string{"no está disponible", "Mo-Fr", "€40"},
		},
		{
			name: "untranslated service falls back to english with a notice", path: "/services/order-a-new-bin?lang=es", status: http.StatusOK,
			contains: []string{
				`<html lang="es">`,
				"Esta página todavía no está disponible en español; se muestra en inglés.",
				`<h1 lang="en">Order a new or replacement bin</h1>`,
				"25,00\u00a0€", "Pedir ahora",
			},
		},
		{
			name: "italian translation", path: "/services/order-a-new-bin?lang=it", status: http.StatusOK,
			contains: []string{"Richiedere un bidone nuovo o sostitutivo", "25,00\u00a0€"},
			excludes: []string{"non è ancora disponibile"},
		},
		{
			name: "unknown service is a helpful 404", path: "/services/no-such-service", status: http.StatusNotFound,
			contains: []string{"Page not found", `action="/search"`, `href="/"`, `href="/topics/waste-recycling"`, "hello@portanova.example"},
		},
		{
			name: "hostile slug is a 404, not an error", path: "/services/%27%20OR%201=1--", status: http.StatusNotFound,
			contains: []string{"Page not found"},
		},
	})
}

var jsonLDPattern = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

func TestServiceShowJSONLD(t *testing.T) {
	for _, path := range []string{"/services/resident-parking-permit", "/services/report-a-pothole?lang=fr", "/services/order-a-new-bin?lang=ca"} {
		_, body := get(t, path, nil)
		m := jsonLDPattern.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no JSON-LD script", path)
		}
		var ld struct {
			Context  string `json:"@context"`
			Type     string `json:"@type"`
			Name     string `json:"name"`
			URL      string `json:"url"`
			Provider struct {
				Type string `json:"@type"`
				Name string `json:"name"`
			} `json:"provider"`
			Offers struct {
				Price         string `json:"price"`
				PriceCurrency string `json:"priceCurrency"`
			} `json:"offers"`
		}
		if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
			t.Fatalf("%s: JSON-LD is not valid JSON: %v\n%s", path, err, m[1])
		}
		if ld.Context != "https://schema.org" || ld.Type != "GovernmentService" || ld.Name == "" ||
			!strings.HasPrefix(ld.URL, "https://portanova.example/services/") || ld.Provider.Name == "" || ld.Offers.PriceCurrency != "EUR" {
			t.Errorf("%s: incomplete JSON-LD: %+v", path, ld)
		}
	}
	_, body := get(t, "/services/resident-parking-permit", nil)
	if !strings.Contains(body, `"price":"40.00"`) {
		t.Errorf("the JSON-LD offer lacks the fee: %s", jsonLDPattern.FindString(body))
	}
}

func TestMarkdownIsSanitised(t *testing.T) {
	md := web.NewMarkdown()
	tests := []struct {
		src      string
		contains string
		excludes string
	}{
		{"Hello <script>alert(1)</script>", "Hello", "<script"},
		{"[click](javascript:alert(1))", "click", "javascript:"},
		{`<img src=x onerror="alert(1)">`, "", "onerror"},
		{"- one\n- two", "<li>one</li>", ""},
		{"**bold**", "<strong>bold</strong>", ""},
	}
	for _, tt := range tests {
		got := string(md.Render(tt.src))
		if tt.contains != "" && !strings.Contains(got, tt.contains) {
			t.Errorf("render(%q) = %q, want it to contain %q", tt.src, got, tt.contains)
		}
		if tt.excludes != "" && strings.Contains(got, tt.excludes) {
			t.Errorf("render(%q) = %q, must not contain %q", tt.src, got, tt.excludes)
		}
	}
}
