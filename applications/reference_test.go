package applications

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

var canonical = regexp.MustCompile(`^PN-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)

func TestNewReferenceParses(t *testing.T) {
	seen := map[Reference]bool{}
	for range 1000 {
		r, err := NewReference("PN")
		if err != nil {
			t.Fatal(err)
		}
		if !canonical.MatchString(string(r)) {
			t.Fatalf("%q is not of the form PN-XXXX-XXXX", r)
		}
		if seen[r] {
			t.Fatalf("%q drawn twice in 1000", r)
		}
		seen[r] = true
		got, err := ParseReference(string(r))
		if err != nil || got != r {
			t.Fatalf("ParseReference(%q) = %q, %v", r, got, err)
		}
	}
	for _, p := range []string{"", "pn", "P1", "TOOLONG"} {
		if _, err := NewReference(p); err == nil {
			t.Errorf("NewReference(%q) gave no error", p)
		}
	}
}

// withCheck builds a reference from a 7-symbol payload.
func withCheck(prefix, payload string) Reference {
	vals := make([]int, 0, referenceCode)
	for i := 0; i < len(payload); i++ {
		vals = append(vals, strings.IndexByte(crockford, payload[i]))
	}
	return format(prefix, append(vals, checkSymbol(vals)))
}

func TestParseReferenceNormalises(t *testing.T) {
	ref := withCheck("PN", "0A1B2C3")
	code := strings.ReplaceAll(strings.TrimPrefix(string(ref), "PN-"), "-", "")
	typed := strings.NewReplacer("0", "o", "1", "l").Replace(strings.ToLower(code))
	tests := []string{
		string(ref),
		strings.ToLower(string(ref)),
		"PN" + code,
		"  pn " + code[:4] + " " + code[4:] + " ",
		"PN–" + code, // an en dash, as word processors type
		"pn-" + typed,
		"PN" + strings.NewReplacer("0", "O", "1", "I").Replace(code),
	}
	for _, s := range tests {
		got, err := ParseReference(s)
		if err != nil || got != ref {
			t.Errorf("ParseReference(%q) = %q, %v; want %q", s, got, err, ref)
		}
	}
	bad := []string{"", "PN", "PN-1234", "PN-0A1B-2C3", string(ref) + "0", "12-" + code, "P1-" + code, "TOOLONGP" + code,
		"PN-0A1B-2CU" + code[7:], "PN-0A1B-2C*" + code[7:]}
	for _, s := range bad {
		if _, err := ParseReference(s); !errors.Is(err, ErrInvalidReference) || !errors.Is(err, ErrNotFound) {
			t.Errorf("ParseReference(%q) = %v, want ErrInvalidReference (an ErrNotFound)", s, err)
		}
	}
}

// TestCheckSymbolCatchesTypos tries every single-symbol substitution and
// every swap of two different neighbours, check symbol included, on many
// references: the check must reject each.
func TestCheckSymbolCatchesTypos(t *testing.T) {
	refs := []Reference{withCheck("PN", "0000000"), withCheck("PN", "ZZZZZZZ"), withCheck("PN", "0Z0Z0Z0")}
	for range 300 {
		r, err := NewReference("PN")
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r)
	}
	substitutions, swaps := 0, 0
	for _, r := range refs {
		code := []byte(strings.ReplaceAll(strings.TrimPrefix(string(r), "PN-"), "-", ""))
		for i := range code {
			for j := 0; j < len(crockford); j++ {
				if crockford[j] == code[i] {
					continue
				}
				typo := append([]byte(nil), code...)
				typo[i] = crockford[j]
				if _, err := ParseReference("PN" + string(typo)); err == nil {
					t.Fatalf("%s: changing symbol %d to %c went unnoticed", r, i, crockford[j])
				}
				substitutions++
			}
			if i+1 < len(code) && code[i] != code[i+1] {
				typo := append([]byte(nil), code...)
				typo[i], typo[i+1] = typo[i+1], typo[i]
				if _, err := ParseReference("PN" + string(typo)); err == nil {
					t.Fatalf("%s: swapping symbols %d and %d went unnoticed", r, i, i+1)
				}
				swaps++
			}
		}
	}
	if substitutions < 70000 || swaps < 1500 {
		t.Errorf("only %d substitutions and %d swaps tried", substitutions, swaps)
	}
}
