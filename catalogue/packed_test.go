package catalogue

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
)

// TestPackedTextReadsLikeText checks that a packed text answers every
// question a Text answers the same way, and writes the same JSON.
func TestPackedTextReadsLikeText(t *testing.T) {
	long := strings.Repeat("Servei d'informació i atenció a la ciutadania. ", 40) // a length of two and more varint bytes
	for _, text := range []Text{
		nil,
		{},
		{"en": "Parking permit"},
		{"en": "Parking permit", "es": "Permiso de aparcamiento", "ca": long, "it": "", "fr": "Carte de stationnement"},
		{"ca": "Només en català", "xx-long": "a code Sportello does not know"},
	} {
		p := Pack(text)
		if got := p.Text(); !maps.Equal(got, text) {
			t.Errorf("Pack(%q).Text() = %q", text, got)
		}
		for _, lang := range []string{"en", "es", "ca", "it", "fr", "de", ""} {
			for _, fallback := range []string{"en", "ca", "de"} {
				ws, wok := text.In(lang, fallback)
				gs, gok := p.In(lang, fallback)
				if gs != ws || gok != wok {
					t.Errorf("Pack(%q).In(%q, %q) = %q, %v; Text says %q, %v", text, lang, fallback, gs, gok, ws, wok)
				}
			}
		}
		want, _ := json.Marshal(text)
		if text == nil {
			want = []byte("{}") // a packed text is never null
		}
		got, err := json.Marshal(p)
		if err != nil || string(got) != string(want) {
			t.Errorf("json of Pack(%q) = %s, %v; want %s", text, got, err, want)
		}
		var back PackedText
		if err := json.Unmarshal(got, &back); err != nil || back != p {
			t.Errorf("json round trip of Pack(%q) = %q, %v", text, back.Text(), err)
		}
	}
}
