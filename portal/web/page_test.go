package web

import (
	"errors"
	"net/http"
	"testing"
)

func TestWithLang(t *testing.T) {
	tests := []struct{ path, lang, want string }{
		{"/", "es", "/?lang=es"},
		{"/search?q=bin", "ca", "/search?lang=ca&q=bin"},
		{"/topics?lang=it", "fr", "/topics?lang=fr"},
	}
	for _, tt := range tests {
		if got := WithLang(tt.path, tt.lang); got != tt.want {
			t.Errorf("WithLang(%q, %q) = %q, want %q", tt.path, tt.lang, got, tt.want)
		}
	}
}

func TestViewerHas(t *testing.T) {
	var nobody *Viewer
	v := &Viewer{Roles: []string{RoleEditor}}
	if nobody.Has(RoleEditor) || !v.Has(RoleEditor) || v.Has(RoleAdmin) {
		t.Error("Viewer.Has answers wrongly")
	}
}

func TestError(t *testing.T) {
	cause := errors.New("driver: connection refused")
	e := NewError(http.StatusServiceUnavailable, "", cause)
	if e.Key != "error.503" || !errors.Is(e, cause) {
		t.Errorf("NewError: %+v", e)
	}
	if k := StatusKey(http.StatusTeapot); k != "error.400" {
		t.Errorf("StatusKey(418) = %s", k)
	}
	if k := StatusKey(http.StatusBadGateway); k != "error.500" {
		t.Errorf("StatusKey(502) = %s", k)
	}
}
