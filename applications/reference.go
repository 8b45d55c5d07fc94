package applications

import (
	"crypto/rand"
	"fmt"
	"strings"
)

// Reference is an application's reference in its canonical form,
// "PN-4KX7-9QJM": a prefix of letters, then seven random symbols and a check
// symbol in Crockford's base 32 (digits and letters without I, L, O and U,
// which are read as 1, 1, 0 or are rude). 32^7 is 34 billion, so a
// reference cannot be guessed; the check symbol catches every mistyped
// symbol and every swap of two neighbours before the database is asked.
type Reference string

// String returns the reference as shown.
func (r Reference) String() string { return string(r) }

// Prefix returns the letters before the first dash.
func (r Reference) Prefix() string {
	p, _, _ := strings.Cut(string(r), "-")
	return p
}

const (
	crockford       = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	referenceRandom = 7 // symbols, before the check symbol
	referenceCode   = referenceRandom + 1
	maxPrefix       = 6

	// DefaultReferencePrefix is the prefix of references when the store's
	// options set none.
	DefaultReferencePrefix = "PN"
)

// ErrInvalidReference is returned by ParseReference. It is also an
// ErrNotFound, so a page that looks an application up by a mistyped
// reference shows "not found" without a case of its own.
var ErrInvalidReference = fmt.Errorf("%w: not a valid application reference; check it against the confirmation, it looks like PN-4KX7-9QJM", ErrNotFound)

// NewReference returns a random reference with prefix, which must be 1 to 6
// letters A-Z.
func NewReference(prefix string) (Reference, error) {
	if !validPrefix(prefix) {
		return "", fmt.Errorf("applications: reference prefix %q must be 1 to %d capital letters A-Z, like %q", prefix, maxPrefix, DefaultReferencePrefix)
	}
	var b [referenceRandom]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	var vals [referenceCode]int
	for i, x := range b {
		vals[i] = int(x & 31) // 256 is a multiple of 32: uniform
	}
	vals[referenceRandom] = checkSymbol(vals[:referenceRandom])
	return format(prefix, vals[:]), nil
}

// ParseReference reads a reference as a person may type it: in any case,
// with or without dashes and spaces, with O for 0 and I or L for 1. It
// returns the canonical form, or ErrInvalidReference when the result is not
// a reference or its check symbol is wrong.
func ParseReference(s string) (Reference, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\t':
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
	if len(s) <= referenceCode || len(s) > referenceCode+maxPrefix {
		return "", ErrInvalidReference
	}
	prefix, code := s[:len(s)-referenceCode], s[len(s)-referenceCode:]
	if !validPrefix(prefix) {
		return "", ErrInvalidReference
	}
	vals := make([]int, referenceCode)
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch c {
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		v := strings.IndexByte(crockford, c)
		if v < 0 {
			return "", ErrInvalidReference
		}
		vals[i] = v
	}
	if damm(vals) != 0 {
		return "", ErrInvalidReference
	}
	return format(prefix, vals), nil
}

func validPrefix(p string) bool {
	if len(p) == 0 || len(p) > maxPrefix {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 'A' || p[i] > 'Z' {
			return false
		}
	}
	return true
}

func format(prefix string, vals []int) Reference {
	var b strings.Builder
	b.WriteString(prefix)
	for i, v := range vals {
		if i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(crockford[v])
	}
	return Reference(b.String())
}

// The check symbol follows Damm's algorithm over the quasigroup
// x*y = 2x + y in GF(32) (modulus x^5 + x^2 + 1). Multiplication by 2 is a
// bijection and 2 != 1, so: changing one symbol always changes the result
// (every substitution is caught), and a*x*y = a*y*x only when x = y (every
// swap of two neighbours is caught, the check symbol included). Luhn mod
// 32 would miss the swap of 0 and Z; a weighted sum mod 31 would miss 0 for
// Z.
func mul2(v int) int {
	v <<= 1
	if v&32 != 0 {
		v ^= 0b100101
	}
	return v
}

// damm runs the quasigroup over vals; a payload followed by its check
// symbol gives 0.
func damm(vals []int) int {
	c := 0
	for _, v := range vals {
		c = mul2(c) ^ v
	}
	return c
}

// checkSymbol returns the symbol that makes damm(payload + symbol) zero.
func checkSymbol(payload []int) int { return mul2(damm(payload)) }
