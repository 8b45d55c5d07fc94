package catalogue

import (
	"encoding/binary"
	"encoding/json"
	"strings"
)

// Translated is a text in several languages, however it is held: Text, or
// the PackedText of the directory's summaries.
type Translated interface {
	In(lang, fallback string) (string, bool)
}

// PackedText is a Text held in one string: the directory keeps a title and
// a summary for every service, and as maps they cost twice their words
// (docs/performance.md, "memory"). It reads like Text and is written to JSON
// as the same object.
type PackedText struct {
	// s is, for each language in catalogue order: the code's length in one
	// byte, the code, the text's length as a uvarint, and the text.
	s string
}

// Pack packs t.
func Pack(t Text) PackedText {
	var b strings.Builder
	var n [binary.MaxVarintLen64]byte
	for _, lang := range sortedKeys(t) {
		if len(lang) > 255 {
			continue // no language code is this long; Validate refuses it
		}
		b.WriteByte(byte(len(lang)))
		b.WriteString(lang)
		b.Write(n[:binary.PutUvarint(n[:], uint64(len(t[lang])))])
		b.WriteString(t[lang])
	}
	return PackedText{b.String()}
}

// each calls fn with every language and its text, in catalogue order.
func (p PackedText) each(fn func(lang, text string)) {
	s := p.s
	for len(s) > 0 {
		n := int(s[0])
		lang := s[1 : 1+n]
		size, w := uvarint(s[1+n:])
		start := 1 + n + w
		text := s[start : start+int(size)]
		fn(lang, text)
		s = s[start+int(size):]
	}
}

// uvarint is binary.Uvarint for a string.
func uvarint(s string) (x uint64, width int) {
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		x |= uint64(s[i]&0x7f) << (7 * i)
		if s[i] < 0x80 {
			return x, i + 1
		}
	}
	return 0, 0 // never written by Pack
}

// In returns the text in lang, falling back to fallback, like Text.In.
func (p PackedText) In(lang, fallback string) (string, bool) {
	var in, fb string
	p.each(func(l, text string) {
		switch l {
		case lang:
			in = text
		case fallback:
			fb = text
		}
	})
	if in != "" {
		return in, true
	}
	return fb, lang == fallback
}

// Text unpacks p into a Text of its own.
func (p PackedText) Text() Text {
	t := Text{}
	p.each(func(lang, text string) { t[lang] = text })
	return t
}

// MarshalJSON writes p as the Text it packs.
func (p PackedText) MarshalJSON() ([]byte, error) {
	return p.Text().MarshalJSON()
}

// UnmarshalJSON reads a Text object.
func (p *PackedText) UnmarshalJSON(b []byte) error {
	var t Text
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	*p = Pack(t)
	return nil
}
