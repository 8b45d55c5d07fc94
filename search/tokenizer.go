package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	bleveunicode "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// wordsName names the tokenizer every analyzer of the index uses.
const wordsName = "sportello_words"

// wordTokenizer splits text into words exactly as Bleve's Unicode tokenizer
// does (Unicode's word boundaries, UAX #29), in less than half the time on
// the catalogue's texts, which are in Latin script: at 100k services
// Bleve's tokenizer took 8.5 of the 70 CPU-seconds of building the index,
// this one 3.7. It knows the word-boundary classes of ASCII, of Latin
// letters and of the punctuation council texts use; a text with any other
// character (another script, combining accents, a soft hyphen, an
// underscore) goes to Bleve's tokenizer whole. TestWordTokenizerMatchesBleve
// holds the two together.
type wordTokenizer struct {
	bleve *bleveunicode.UnicodeTokenizer
}

func newWordTokenizer() wordTokenizer {
	return wordTokenizer{bleve: bleveunicode.NewUnicodeTokenizer()}
}

// wordClass is a character's class among Unicode's word-boundary
// properties, as far as the texts handled here need them.
type wordClass uint8

const (
	wcOther     wordClass = iota // breaks words: spaces, most punctuation
	wcLetter                     // ALetter
	wcDigit                      // Numeric
	wcMidLetter                  // joins two letters: ":" "·"
	wcMidNum                     // joins two digits: "," ";"
	wcMidBoth                    // joins two letters or two digits: "." "'" "’" "‘"
	wcUnknown                    // anything else: the whole text goes to Bleve
)

// asciiClass holds the class of every ASCII character.
var asciiClass = func() (t [utf8.RuneSelf]wordClass) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			t[c] = wcLetter
		case '0' <= c && c <= '9':
			t[c] = wcDigit
		}
	}
	t[':'] = wcMidLetter
	t[','], t[';'] = wcMidNum, wcMidNum
	t['.'], t['\''] = wcMidBoth, wcMidBoth
	t['_'] = wcUnknown // ExtendNumLet, which Bleve's tokenizer treats in ways of its own
	return t
}()

// classOf returns the class of r, which is not ASCII.
func classOf(r rune) wordClass {
	switch {
	case r < 0x250 || (0x1E00 <= r && r <= 0x1EFF): // Latin-1, Latin Extended-A, -B and Additional
		if unicode.IsLetter(r) {
			return wcLetter
		}
		switch r {
		case 0xB7: // middle dot, as in Catalan "col·legi"
			return wcMidLetter
		case 0xA0, 0xA1, 0xA3, 0xA7, 0xA9, 0xAB, 0xAE, 0xB0, 0xB2, 0xB3, 0xB9, 0xBB, 0xBF, 0xD7, 0xF7: // nbsp ¡ £ § © « ® ° ² ³ ¹ » ¿ × ÷
			return wcOther
		}
	case r == 0x2018 || r == 0x2019: // ‘ ’
		return wcMidBoth
	case r == 0x2013 || r == 0x2014 || r == 0x201C || r == 0x201D || r == 0x2022 || r == 0x2026 || r == 0x202F || r == 0x20AC: // – — “ ” • … narrow nbsp €
		return wcOther
	}
	return wcUnknown
}

// Tokenize returns the words of input, each with its byte offsets and its
// position (1 for the first word); the terms share input's bytes.
func (t wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	if words, ok := latinWords(input); ok {
		return words
	}
	return t.bleve.Tokenize(input)
}

// latinWords tokenizes input if every character of it has a known class,
// and reports whether it did.
func latinWords(input []byte) (analysis.TokenStream, bool) {
	// The catalogue's texts have a word for every 5.5-6.5 bytes: room for
	// one every 5 spares growing and copying the slice for most texts.
	// Tokenizing allocated a third of what building the index did, and
	// 38% less with this room (docs/performance.md, the seventh round).
	words := make([]analysis.Token, 0, len(input)/5+1)
	class := func(i int) (wordClass, int) {
		if c := input[i]; c < utf8.RuneSelf {
			return asciiClass[c], 1
		}
		r, size := utf8.DecodeRune(input[i:])
		if r == utf8.RuneError {
			return wcUnknown, size
		}
		return classOf(r), size
	}
	for i := 0; i < len(input); {
		c, size := class(i)
		switch c {
		case wcUnknown:
			return nil, false
		case wcLetter, wcDigit:
		default:
			i += size
			continue
		}
		start, last, digitsOnly := i, c, c == wcDigit
		i += size
		for i < len(input) {
			c, size := class(i)
			if c == wcUnknown {
				return nil, false
			}
			if c == wcLetter || c == wcDigit {
				last, digitsOnly = c, digitsOnly && c == wcDigit
				i += size
				continue
			}
			// A middle character joins two letters or two digits.
			joins := (last == wcLetter && (c == wcMidLetter || c == wcMidBoth)) ||
				(last == wcDigit && (c == wcMidNum || c == wcMidBoth))
			if !joins || i+size >= len(input) {
				break
			}
			next, nsize := class(i + size)
			if next == wcUnknown {
				return nil, false
			}
			if next != last {
				break
			}
			i += size + nsize
		}
		typ := analysis.AlphaNumeric
		if digitsOnly {
			typ = analysis.Numeric
		}
		words = append(words, analysis.Token{
			Term: input[start:i], Start: start, End: i, Position: len(words) + 1, Type: typ,
		})
	}
	out := make(analysis.TokenStream, len(words))
	for i := range words {
		out[i] = &words[i]
	}
	return out, true
}
