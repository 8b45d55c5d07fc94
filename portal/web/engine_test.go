package web

import (
	"slices"
	"testing"
)

// TestPageSetsHoldWhatThePageNeeds checks that a page's template set holds
// the layouts, the page and every file defining what they call, directly
// or through another file, and no other page.
func TestPageSetsHoldWhatThePageNeeds(t *testing.T) {
	files := map[string]string{
		"layouts/main":          `<main>{{template "partials/search_form" .}}{{template "web.content" .}}</main>`,
		"partials/search_form":  `<form></form>`,
		"partials/service_list": `{{range .}}{{template "partials/link" .}}{{end}}`,
		"partials/link":         `<a></a>`,
		"apply/parts":           `{{define "apply.label"}}{{if .}}{{template "apply.hint"}}{{end}}{{end}}{{define "apply.hint"}}hint{{end}}`,
		"apply/form":            `{{with .}}{{template "apply.label" .}}{{else}}{{template "partials/service_list" .}}{{end}}`,
		"topic_show":            `{{template "partials/service_list" .}}`,
	}
	n, err := fileNeeds(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		page string
		want []string
	}{
		{"apply/form", []string{"apply/form", "apply/parts", "layouts/main", "partials/link", "partials/search_form", "partials/service_list"}},
		{"topic_show", []string{"layouts/main", "partials/link", "partials/search_form", "partials/service_list", "topic_show"}},
		{"partials/link", []string{"layouts/main", "partials/link", "partials/search_form"}},
	} {
		if got := n.closure([]string{c.page, "layouts/main"}); !slices.Equal(got, c.want) {
			t.Errorf("%s needs %v, want %v", c.page, got, c.want)
		}
	}
}
