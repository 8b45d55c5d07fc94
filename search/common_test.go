package search

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"sportello/catalogue"
)

// TestCommonWordsNotMatchedInDescriptions: a word in more descriptions
// than minCommon (and than one in commonShare) finds only the services
// whose title, search terms or summary have it; a word that no title, search
// term or summary has, or that few descriptions have, is matched in
// descriptions as before.
func TestCommonWordsNotMatchedInDescriptions(t *testing.T) {
	c := &catalogue.Catalogue{}
	for i := range 10 {
		desc := "Information from the widget office."
		switch i {
		case 1, 2, 3:
			desc += " Bring your gizmo."
		case 4, 5:
			desc += " Mind the sprocket."
		}
		title, summary := fmt.Sprintf("Service number %d", i), "A council service."
		switch i {
		case 0:
			title = "Widget permit"
		case 6:
			summary = "Sprocket repairs."
		}
		c.Services = append(c.Services, catalogue.Service{
			Slug:        fmt.Sprintf("s%d", i),
			Topic:       "housing",
			Audience:    []string{"resident"},
			Title:       catalogue.Text{"en": title},
			Summary:     catalogue.Text{"en": summary},
			Description: catalogue.Text{"en": desc},
		})
	}
	x, err := Open(context.Background(), t.TempDir(), FromCatalogue(c, 1), testLogger(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = x.Close() })

	tests := []struct {
		query string
		want  []string
	}{
		{"widget", []string{"s0"}},               // in ten descriptions and a title
		{"gizmo", []string{"s1", "s2", "s3"}},    // in three descriptions, no title or summary
		{"sprocket", []string{"s4", "s5", "s6"}}, // in two descriptions: not common
		{"widgets", []string{"s0"}},              // as analysed
	}
	for _, tt := range tests {
		r, err := x.Search(context.Background(), Request{Query: tt.query, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		got := slugs(r)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q found %v, want %v", tt.query, got, tt.want)
		}
	}
}
