package portal

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestAssets(t *testing.T) {
	_, body := get(t, "/", nil)
	refs := regexp.MustCompile(`/assets/app\.[0-9a-f]{10}\.(css|js)`).FindAllString(body, -1)
	if len(refs) != 2 {
		t.Fatalf("the layout should link one fingerprinted stylesheet and one script, found %v", refs)
	}
	for _, ref := range refs {
		res, content := get(t, ref, nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", ref, res.StatusCode)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q", ref, cc)
		}
		wantType := map[bool]string{true: "text/css", false: "text/javascript"}[strings.HasSuffix(ref, ".css")]
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
			t.Errorf("GET %s: Content-Type %q, want %s", ref, ct, wantType)
		}
		if len(content) < 100 {
			t.Errorf("GET %s: suspiciously short body", ref)
		}
	}
	for _, path := range []string{"/assets/app.css", "/assets/app.0000000000.css", "/assets/../server.go", "/assets/assets.go"} {
		if res, _ := get(t, path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, " style=") || strings.Contains(body, " onclick=") {
		t.Error("the page has inline script or style, which the CSP forbids")
	}
}
