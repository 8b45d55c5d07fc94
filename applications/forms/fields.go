package forms

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"sportello/catalogue"
)

// Lengths that apply when the catalogue sets no max_length, so that nobody
// can store a megabyte in a name.
const (
	defaultTextMaxLength     = 500
	defaultTextareaMaxLength = 10000
	addressPartMaxLength     = 200
)

// Telephone numbers: from a short local number to E.164's 15 digits.
const (
	telMinDigits = 6
	telMaxDigits = 15
)

// clean makes a submitted text comparable and countable: valid UTF-8, NFC
// (so "é" typed as e + accent counts as one character), no control
// characters but newlines in a textarea, trimmed.
func clean(s string, multiline bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' && multiline:
			return r
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

func fieldErr(key string, args map[string]any) *FieldError {
	return &FieldError{Key: key, Args: args}
}

func (v *Validator) text(f *catalogue.Field, values Values, a *Answer) (*FieldError, error) {
	s := clean(values.Get(f.Name), f.Type == TypeTextarea)
	a.Text = s
	if s == "" {
		if f.Required {
			return fieldErr(KeyRequired, nil), nil
		}
		return nil, nil
	}
	max := defaultTextMaxLength
	if f.Type == TypeTextarea {
		max = defaultTextareaMaxLength
	}
	if f.MaxLength != nil {
		max = *f.MaxLength
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fieldErr(KeyTooLong, map[string]any{"MaxLength": max, "Length": n}), nil
	}
	if f.Pattern != nil {
		p, err := v.pattern(*f.Pattern)
		if err != nil {
			return nil, err
		}
		if !p.re.MatchString(s) {
			return &FieldError{Key: KeyPattern, Args: map[string]any{"Example": p.example}, Message: f.PatternMessage}, nil
		}
	}
	return nil, nil
}

func email(f *catalogue.Field, values Values, a *Answer) *FieldError {
	s := clean(values.Get(f.Name), false)
	if s == "" {
		if f.Required {
			return fieldErr(KeyRequiredEmail, nil)
		}
		return nil
	}
	norm, ok := normaliseEmail(s)
	a.Text = norm
	if !ok {
		a.Text = s
		return fieldErr(KeyEmail, nil)
	}
	return nil
}

// normaliseEmail checks the address people actually use, not all of RFC
// 5322: local@domain, a dot-atom local part, a domain of at least two labels
// of letters, digits and hyphens. The domain is lower-cased; the local part
// is kept as typed, since only the receiving server may fold its case.
func normaliseEmail(s string) (string, bool) {
	if len(s) > 254 {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at > 64 || at == len(s)-1 {
		return "", false
	}
	local, domain := s[:at], strings.ToLower(s[at+1:])
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return "", false
	}
	for _, r := range local {
		if !(r < utf8.RuneSelf && (isAlnum(byte(r)) || strings.ContainsRune("!#$%&'*+/=?^_`{|}~.-", r))) && !(r >= utf8.RuneSelf && unicode.IsLetter(r)) {
			return "", false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", false
		}
		for _, r := range l {
			if !(r < utf8.RuneSelf && (isAlnum(byte(r)) || r == '-')) && !(r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsMark(r))) {
				return "", false
			}
		}
	}
	if tld := labels[len(labels)-1]; utf8.RuneCountInString(tld) < 2 {
		return "", false
	}
	return local + "@" + domain, true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func tel(f *catalogue.Field, values Values, a *Answer) *FieldError {
	s := strings.Join(strings.Fields(clean(values.Get(f.Name), false)), " ")
	a.Text = s
	if s == "" {
		if f.Required {
			return fieldErr(KeyRequiredTel, nil)
		}
		return nil
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '+' && i == 0, c == ' ', c == '(', c == ')':
		default:
			return fieldErr(KeyTel, nil)
		}
	}
	if digits < telMinDigits || digits > telMaxDigits {
		return fieldErr(KeyTelLength, map[string]any{"Min": telMinDigits, "Max": telMaxDigits})
	}
	return nil
}

// parseGrouped reads an optionally signed decimal number in which "." or ","
// may group thousands (followed by exactly three digits) or, when decimals
// is true, separate the decimals (followed by one or two digits at the end):
// "1,200", "1.200", "1 200", "12,50", "1.200,50", "1,200.50". It returns
// the value scaled by 100 when decimals is true. tooPrecise is set when the
// number has more than two decimals, so the message can say so.
func parseGrouped(s string, decimals bool) (value int64, ok, tooPrecise bool) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u202f' || r == '\'' {
			return -1 // spaces and apostrophes group digits in fr, de-CH
		}
		return r
	}, s)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || !isAlnum(s[0]) {
		return 0, false, false
	}
	intPart, frac := s, ""
	if decimals {
		if i := strings.LastIndexAny(s, ".,"); i >= 0 && len(s)-i-1 != 3 {
			intPart, frac = s[:i], s[i+1:]
			if !isDigits(frac) {
				return 0, false, false
			}
			if len(frac) > 2 {
				return 0, false, true
			}
		}
	}
	groups := strings.FieldsFunc(intPart, func(r rune) bool { return r == '.' || r == ',' })
	if len(groups) == 0 || strings.Count(intPart, ".")+strings.Count(intPart, ",") != len(groups)-1 {
		return 0, false, false
	}
	for i, g := range groups {
		// "0.125" is not a grouped 125; neither is "1234,567".
		if !isDigits(g) || i > 0 && len(g) != 3 || i == 0 && len(groups) > 1 && (len(g) > 3 || g[0] == '0') {
			return 0, false, false
		}
	}
	digits := strings.Join(groups, "")
	if len(digits) > 15 {
		return 0, false, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, false, false
	}
	if decimals {
		cents := int64(0)
		if frac != "" {
			if len(frac) == 1 {
				frac += "0"
			}
			cents, _ = strconv.ParseInt(frac, 10, 64)
		}
		n = n*100 + cents
	}
	if neg {
		n = -n
	}
	return n, true, false
}

// formatLimit writes an integer field's limit as typed ("2030"): a limit
// may be a year, which no language groups.
func formatLimit(x float64) any { return strconv.FormatFloat(x, 'f', -1, 64) }

// Amount is a sum of money in a FieldError's Args (a money field's limits),
// in minor units, for the reader's money formatter to write
// (portal/apply.ErrorText).
type Amount struct {
	Minor    int64
	Currency string
}

// String writes the amount plainly ("120.50 EUR"), where no formatter is at
// hand.
func (a Amount) String() string { return formatMinor(a.Minor, ".") + " " + a.Currency }

func integer(f *catalogue.Field, values Values, a *Answer) *FieldError {
	s := clean(values.Get(f.Name), false)
	if s == "" {
		if f.Required {
			return fieldErr(KeyRequiredNumber, nil)
		}
		return nil
	}
	n, ok, _ := parseGrouped(s, false)
	if !ok {
		a.Text = s
		return fieldErr(KeyNumber, nil)
	}
	a.Number = &n
	return rangeError(float64(n), f.Min, f.Max, KeyNumberMin, KeyNumberMax, KeyNumberBetween, formatLimit)
}

func rangeError(x float64, min, max *float64, kMin, kMax, kBetween string, format func(float64) any) *FieldError {
	if (min == nil || x >= *min) && (max == nil || x <= *max) {
		return nil
	}
	args := map[string]any{}
	key := kBetween
	switch {
	case min != nil && max != nil:
		args["Min"], args["Max"] = format(*min), format(*max)
	case min != nil:
		key, args["Min"] = kMin, format(*min)
	default:
		key, args["Max"] = kMax, format(*max)
	}
	return fieldErr(key, args)
}

func (v *Validator) money(f *catalogue.Field, values Values, a *Answer) *FieldError {
	s := clean(values.Get(f.Name), false)
	// People type the symbol or the code; both are redundant here.
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Sc, r) {
			return -1
		}
		return r
	}, s))
	if code := v.opts.Currency; len(s) > len(code) {
		switch {
		case strings.EqualFold(s[:len(code)], code):
			s = strings.TrimSpace(s[len(code):])
		case strings.EqualFold(s[len(s)-len(code):], code):
			s = strings.TrimSpace(s[:len(s)-len(code)])
		}
	}
	if s == "" {
		if f.Required {
			return fieldErr(KeyRequiredMoney, nil)
		}
		return nil
	}
	cents, ok, tooPrecise := parseGrouped(s, true)
	if tooPrecise {
		a.Text = s
		return fieldErr(KeyMoneyDecimals, nil)
	}
	if !ok {
		a.Text = s
		return fieldErr(KeyMoney, nil)
	}
	a.Number, a.Currency = &cents, v.opts.Currency
	// Limits are in major units; compare in cents so that 0.1 + 0.2 never
	// matters.
	var min, max *float64
	if f.Min != nil {
		m := float64(toCents(*f.Min))
		min = &m
	}
	if f.Max != nil {
		m := float64(toCents(*f.Max))
		max = &m
	}
	format := func(c float64) any { return Amount{Minor: int64(c), Currency: v.opts.Currency} }
	return rangeError(float64(cents), min, max, KeyMoneyMin, KeyMoneyMax, KeyMoneyBetween, format)
}

func toCents(major float64) int64 {
	if major < 0 {
		return -int64(-major*100 + 0.5)
	}
	return int64(major*100 + 0.5)
}

func choice(f *catalogue.Field, values Values, a *Answer) *FieldError {
	s := values.Get(f.Name)
	if strings.TrimSpace(s) == "" {
		if f.Required {
			return fieldErr(KeyRequiredChoice, nil)
		}
		return nil
	}
	for _, o := range f.Options {
		if o.Value == s {
			a.Text = s
			a.Choices = []Choice{{Value: o.Value, Label: o.Label}}
			return nil
		}
	}
	return fieldErr(KeyOption, nil)
}

func checkbox(f *catalogue.Field, values Values, a *Answer) *FieldError {
	var got []string
	for _, s := range values[f.Name] {
		if strings.TrimSpace(s) != "" {
			got = append(got, s)
		}
	}
	if len(f.Options) == 0 {
		for _, s := range got {
			if s != CheckedValue && s != "on" && s != "true" {
				return fieldErr(KeyOption, nil)
			}
			a.Checked = true
		}
		if !a.Checked && f.Required {
			return fieldErr(KeyRequiredDeclaration, nil)
		}
		return nil
	}
	ticked := make(map[string]bool, len(got))
	for _, s := range got {
		ticked[s] = true
	}
	// Options order, each once, however the browser sent them.
	for _, o := range f.Options {
		if ticked[o.Value] {
			a.Choices = append(a.Choices, Choice{Value: o.Value, Label: o.Label})
			delete(ticked, o.Value)
		}
	}
	if len(ticked) > 0 {
		a.Choices = nil
		return fieldErr(KeyOption, nil)
	}
	if len(a.Choices) == 0 && f.Required {
		return fieldErr(KeyRequiredCheckbox, nil)
	}
	return nil
}

// validPostcode accepts the postcodes of any country: 2 to 10 letters,
// digits, spaces and hyphens, with at least one digit or letter pair.
func validPostcode(s string) bool {
	if len(s) < 2 || len(s) > 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' || c == '-') {
			return false
		}
	}
	return isAlnum(s[0]) && isAlnum(s[len(s)-1])
}

// NormaliseEmail checks and normalises an address typed outside a form
// (a booking's contact), as an email field's answer is.
func NormaliseEmail(s string) (string, bool) { return normaliseEmail(strings.TrimSpace(s)) }
