package catalogue

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Encode writes a catalogue in the interchange format, the way the demo file
// is written: 2-space indent, no HTML escaping (descriptions are Markdown
// and keep their < > &), translations in the order en, es, ca, it, fr, then
// any others alphabetically, and no newline after the closing brace.
func Encode(c *Catalogue) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// sortedKeys returns a translation map's languages in the catalogue's order:
// Sportello's languages first, in Languages order, then any others
// alphabetically. Maps are otherwise unordered, so exports would differ from
// run to run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		ia, ib := slices.Index(Languages, a), slices.Index(Languages, b)
		switch {
		case ia >= 0 && ib >= 0:
			return ia - ib
		case ia >= 0:
			return -1
		case ib >= 0:
			return 1
		}
		return strings.Compare(a, b)
	})
	return keys
}

// MarshalJSON writes the languages in catalogue order (see sortedKeys).
func (t Text) MarshalJSON() ([]byte, error) {
	if t == nil {
		return []byte("null"), nil
	}
	return marshalOrdered(t)
}

// MarshalJSON writes the languages in catalogue order (see sortedKeys).
func (t TextList) MarshalJSON() ([]byte, error) {
	if t == nil {
		return []byte("null"), nil
	}
	return marshalOrdered(t)
}

func marshalOrdered[V any](m map[string]V) ([]byte, error) {
	var buf bytes.Buffer
	// HTML escaping is left to the outer encoder: it re-escapes this output
	// when it is configured to, and leaves it alone when not (Encode).
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode ends each value with a newline
		buf.WriteByte(':')
		if err := enc.Encode(m[k]); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
