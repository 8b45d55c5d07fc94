package forms

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
)

func ptr[T any](v T) *T { return &v }

func en(s string) catalogue.Text { return catalogue.Text{"en": s} }

// fileOf makes an upload whose content is data.
func fileOf(name string, data []byte) FileInput {
	return FileInput{Filename: name, Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
}

var (
	pdfData  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
	pngData  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
	jpegData = []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	// An ISO media file: a 24-byte ftyp box, major brand then compatible
	// brands.
	mp4Data = []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp42\x00\x00\x00\x08free")
	m4aData = []byte("\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00M4A mp42\x00\x00\x00\x08free")
	mp3ID3  = []byte("ID3\x03\x00\x00\x00\x00\x00\x0aTIT2\x00\x00\x00\x01\x00\x00\x00")
	mp3Raw  = []byte("\xFF\xFB\x90\x64\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	xmlData = []byte(`<?xml version="1.0" encoding="UTF-8"?><certificate/>`)
	txtData = []byte("just some words\n")
)

func zipData(t testing.TB, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, "<x/>")
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// contentFor returns a small file of the given MIME type.
func contentFor(t testing.TB, mimeType string) []byte {
	switch mimeType {
	case "application/pdf":
		return pdfData
	case "image/png", "image/*":
		return pngData
	case "image/jpeg":
		return jpegData
	case "video/mp4":
		return mp4Data
	case "audio/mp4":
		return m4aData
	case "audio/mpeg":
		return mp3ID3
	case "application/xml", "text/xml":
		return xmlData
	case "application/zip":
		return zipData(t, "readme.txt")
	case TypeDOCX:
		return zipData(t, "[Content_Types].xml", "word/document.xml")
	}
	t.Fatalf("no test content for %s", mimeType)
	return nil
}

func TestValidateFields(t *testing.T) {
	field := func(typ string, mod ...func(*catalogue.Field)) catalogue.Field {
		f := catalogue.Field{Name: "q", Type: typ, Label: en("Question")}
		for _, m := range mod {
			m(&f)
		}
		return f
	}
	required := func(f *catalogue.Field) { f.Required = true }
	minMax := func(min, max float64) func(*catalogue.Field) {
		return func(f *catalogue.Field) { f.Min, f.Max = &min, &max }
	}
	options := func(f *catalogue.Field) {
		f.Options = []catalogue.Option{{Value: "general", Label: en("General")}, {Value: "paper", Label: en("Paper")}, {Value: "glass", Label: en("Glass")}}
	}
	accept := func(types ...string) func(*catalogue.Field) {
		return func(f *catalogue.Field) { f.Accept = types; f.MaxSizeMB = ptr(1.0) }
	}
	v := func(pairs ...string) Values {
		vs := Values{}
		for i := 0; i+1 < len(pairs); i += 2 {
			vs[pairs[i]] = append(vs[pairs[i]], pairs[i+1])
		}
		return vs
	}
	num := func(n int64) *int64 { return &n }

	tests := []struct {
		name    string
		field   catalogue.Field
		values  Values
		files   Files
		wantKey string // "" when valid
		input   string // the input the error points at; "" means the field
		want    *Answer
		args    map[string]any
	}{
		// text and textarea
		{name: "text required empty", field: field("text", required), values: v("q", "   "), wantKey: KeyRequired},
		{name: "text optional empty", field: field("text"), values: v(), want: &Answer{}},
		{name: "text trimmed and NFC", field: field("text", required), values: v("q", "  Jose\u0301 \t Pérez\x00 "), want: &Answer{Text: "José   Pérez"}},
		{name: "text max_length counts runes", field: field("text", func(f *catalogue.Field) { f.MaxLength = ptr(5) }), values: v("q", "ñáéíó"), want: &Answer{Text: "ñáéíó"}},
		{name: "text over max_length", field: field("text", func(f *catalogue.Field) { f.MaxLength = ptr(5) }), values: v("q", "ñáéíóú"), wantKey: KeyTooLong, args: map[string]any{"MaxLength": 5, "Length": 6}},
		{name: "text default limit", field: field("text"), values: v("q", strings.Repeat("a", 501)), wantKey: KeyTooLong},
		{name: "text pattern matches", field: field("text", func(f *catalogue.Field) { f.Pattern = ptr(`PN[0-9]{8}`) }), values: v("q", "PN12345678"), want: &Answer{Text: "PN12345678"}},
		{name: "text pattern is anchored", field: field("text", func(f *catalogue.Field) { f.Pattern = ptr(`PN[0-9]{8}`) }), values: v("q", "xPN12345678x"), wantKey: KeyPattern, args: map[string]any{"Example": "PN12345678"}},
		{name: "text pattern alternation anchored", field: field("text", func(f *catalogue.Field) { f.Pattern = ptr(`a|b`) }), values: v("q", "ab"), wantKey: KeyPattern},
		{name: "textarea keeps newlines", field: field("textarea"), values: v("q", "line one\r\nline two"), want: &Answer{Text: "line one\nline two"}},
		{name: "textarea max_length", field: field("textarea", func(f *catalogue.Field) { f.MaxLength = ptr(3) }), values: v("q", "a\nbc"), wantKey: KeyTooLong},

		// email
		{name: "email required", field: field("email", required), values: v(), wantKey: KeyRequiredEmail},
		{name: "email domain lower-cased", field: field("email"), values: v("q", " Ana.Garcia@Example.COM "), want: &Answer{Text: "Ana.Garcia@example.com"}},
		{name: "email plus and subdomain", field: field("email"), values: v("q", "a+b@mail.ajuntament.cat"), want: &Answer{Text: "a+b@mail.ajuntament.cat"}},
		{name: "email no at", field: field("email"), values: v("q", "ana.example.com"), wantKey: KeyEmail},
		{name: "email no dot in domain", field: field("email"), values: v("q", "ana@localhost"), wantKey: KeyEmail},
		{name: "email two ats", field: field("email"), values: v("q", "a@b@example.com"), wantKey: KeyEmail},
		{name: "email space", field: field("email"), values: v("q", "ana garcia@example.com"), wantKey: KeyEmail},
		{name: "email double dot", field: field("email"), values: v("q", "ana..g@example.com"), wantKey: KeyEmail},
		{name: "email hyphen label", field: field("email"), values: v("q", "ana@-example.com"), wantKey: KeyEmail},
		{name: "email display name", field: field("email"), values: v("q", "Ana <ana@example.com>"), wantKey: KeyEmail},

		// tel
		{name: "tel required", field: field("tel", required), values: v(), wantKey: KeyRequiredTel},
		{name: "tel spaces collapsed", field: field("tel"), values: v("q", "+34  (93)  000 00 00"), want: &Answer{Text: "+34 (93) 000 00 00"}},
		{name: "tel letters", field: field("tel"), values: v("q", "93 000 CALL"), wantKey: KeyTel},
		{name: "tel hyphen", field: field("tel"), values: v("q", "93-000-0000"), wantKey: KeyTel},
		{name: "tel plus not first", field: field("tel"), values: v("q", "34+930000000"), wantKey: KeyTel},
		{name: "tel too short", field: field("tel"), values: v("q", "12 34"), wantKey: KeyTelLength, args: map[string]any{"Min": 6, "Max": 15}},
		{name: "tel too long", field: field("tel"), values: v("q", "+1234567890123456"), wantKey: KeyTelLength},

		// date
		{name: "date three parts", field: field("date", required), values: v("q-day", "7", "q-month", "03", "q-year", "2026"), want: &Answer{Text: "2026-03-07"}},
		{name: "date iso single input", field: field("date"), values: v("q", "2026-02-28"), want: &Answer{Text: "2026-02-28"}},
		{name: "date required", field: field("date", required), values: v(), wantKey: KeyRequiredDate, input: "q-day"},
		{name: "date optional empty", field: field("date"), values: v("q-day", "", "q-month", " ", "q-year", ""), want: &Answer{}},
		{name: "date 31 April", field: field("date"), values: v("q-day", "31", "q-month", "4", "q-year", "2026"), wantKey: KeyDate, input: "q-day"},
		{name: "date 29 Feb non-leap", field: field("date"), values: v("q-day", "29", "q-month", "2", "q-year", "2026"), wantKey: KeyDate, input: "q-day"},
		{name: "date 29 Feb leap", field: field("date"), values: v("q-day", "29", "q-month", "2", "q-year", "2028"), want: &Answer{Text: "2028-02-29"}},
		{name: "date month 13", field: field("date"), values: v("q-day", "1", "q-month", "13", "q-year", "2026"), wantKey: KeyDate, input: "q-month"},
		{name: "date day 0", field: field("date"), values: v("q-day", "0", "q-month", "1", "q-year", "2026"), wantKey: KeyDate, input: "q-day"},
		{name: "date missing month", field: field("date"), values: v("q-day", "1", "q-year", "2026"), wantKey: KeyDateMonth, input: "q-month"},
		{name: "date missing month and year", field: field("date"), values: v("q-day", "1"), wantKey: KeyDateMonthYear, input: "q-month"},
		{name: "date missing day and year", field: field("date"), values: v("q-month", "1"), wantKey: KeyDateDayYear, input: "q-day"},
		{name: "date missing day and month", field: field("date"), values: v("q-year", "2026"), wantKey: KeyDateDayMonth, input: "q-day"},
		{name: "date missing day", field: field("date"), values: v("q-month", "1", "q-year", "2026"), wantKey: KeyDateDay, input: "q-day"},
		{name: "date missing year", field: field("date"), values: v("q-day", "1", "q-month", "1"), wantKey: KeyDateYear, input: "q-year"},
		{name: "date two-digit year", field: field("date"), values: v("q-day", "1", "q-month", "1", "q-year", "26"), wantKey: KeyDateYear, input: "q-year"},
		{name: "date month name", field: field("date"), values: v("q-day", "1", "q-month", "March", "q-year", "2026"), wantKey: KeyDate, input: "q-month"},
		{name: "date bad iso", field: field("date"), values: v("q", "27/03/2026"), wantKey: KeyDate, input: "q-day"},

		// integer
		{name: "integer required", field: field("integer", required), values: v("q", ""), wantKey: KeyRequiredNumber},
		{name: "integer plain", field: field("integer", minMax(1, 20)), values: v("q", " 12 "), want: &Answer{Number: num(12)}},
		{name: "integer grouped comma", field: field("integer"), values: v("q", "1,500"), want: &Answer{Number: num(1500)}},
		{name: "integer grouped dot", field: field("integer"), values: v("q", "100.000"), want: &Answer{Number: num(100000)}},
		{name: "integer grouped space", field: field("integer"), values: v("q", "2 000"), want: &Answer{Number: num(2000)}},
		{name: "integer decimal", field: field("integer"), values: v("q", "1.5"), wantKey: KeyNumber},
		{name: "integer words", field: field("integer"), values: v("q", "three"), wantKey: KeyNumber},
		{name: "integer huge", field: field("integer"), values: v("q", "99999999999999999999"), wantKey: KeyNumber},
		{name: "integer at min", field: field("integer", minMax(1, 20)), values: v("q", "1"), want: &Answer{Number: num(1)}},
		{name: "integer at max", field: field("integer", minMax(1, 20)), values: v("q", "20"), want: &Answer{Number: num(20)}},
		{name: "integer below min", field: field("integer", minMax(1, 20)), values: v("q", "0"), wantKey: KeyNumberBetween, args: map[string]any{"Min": "1", "Max": "20"}},
		{name: "integer above max", field: field("integer", minMax(1, 20)), values: v("q", "21"), wantKey: KeyNumberBetween},
		{name: "integer negative below min only", field: field("integer", func(f *catalogue.Field) { f.Min = ptr(0.0) }), values: v("q", "-3"), wantKey: KeyNumberMin, args: map[string]any{"Min": "0"}},
		{name: "integer above max only", field: field("integer", func(f *catalogue.Field) { f.Max = ptr(9.0) }), values: v("q", "10"), wantKey: KeyNumberMax, args: map[string]any{"Max": "9"}},

		// money
		{name: "money required", field: field("money", required), values: v("q", "€"), wantKey: KeyRequiredMoney},
		{name: "money whole", field: field("money"), values: v("q", "120"), want: &Answer{Number: num(12000), Currency: "EUR"}},
		{name: "money dot decimals", field: field("money"), values: v("q", "120.5"), want: &Answer{Number: num(12050), Currency: "EUR"}},
		{name: "money comma decimals", field: field("money"), values: v("q", "120,05"), want: &Answer{Number: num(12005), Currency: "EUR"}},
		{name: "money es grouping", field: field("money"), values: v("q", "1.200,50 €"), want: &Answer{Number: num(120050), Currency: "EUR"}},
		{name: "money en grouping", field: field("money"), values: v("q", "€1,200.50"), want: &Answer{Number: num(120050), Currency: "EUR"}},
		{name: "money code", field: field("money"), values: v("q", "EUR 15"), want: &Answer{Number: num(1500), Currency: "EUR"}},
		{name: "money four decimals", field: field("money"), values: v("q", "12.5055"), wantKey: KeyMoneyDecimals},
		{name: "money three digits after a dot group thousands", field: field("money"), values: v("q", "12.505"), want: &Answer{Number: num(1250500), Currency: "EUR"}},
		{name: "money 0.125 is not grouping", field: field("money"), values: v("q", "0.125"), wantKey: KeyMoney},
		{name: "money letters", field: field("money"), values: v("q", "ten"), wantKey: KeyMoney},
		{name: "money below min", field: field("money", func(f *catalogue.Field) { f.Min = ptr(0.0) }), values: v("q", "-1"), wantKey: KeyMoneyMin, args: map[string]any{"Min": Amount{Minor: 0, Currency: "EUR"}}},
		{name: "money at max", field: field("money", minMax(0, 8000)), values: v("q", "8000.00"), want: &Answer{Number: num(800000), Currency: "EUR"}},
		{name: "money above max by a cent", field: field("money", minMax(0, 8000)), values: v("q", "8000.01"), wantKey: KeyMoneyBetween, args: map[string]any{"Min": Amount{Minor: 0, Currency: "EUR"}, "Max": Amount{Minor: 800000, Currency: "EUR"}}},
		{name: "money fractional limit", field: field("money", func(f *catalogue.Field) { f.Max = ptr(0.3) }), values: v("q", "0.30"), want: &Answer{Number: num(30), Currency: "EUR"}},

		// select and radio
		{name: "select required", field: field("select", required, options), values: v("q", ""), wantKey: KeyRequiredChoice},
		{name: "select option", field: field("select", required, options), values: v("q", "paper"), want: &Answer{Text: "paper", Choices: []Choice{{Value: "paper", Label: en("Paper")}}}},
		{name: "select unknown value", field: field("select", options), values: v("q", "plastic"), wantKey: KeyOption},
		{name: "select case matters", field: field("select", options), values: v("q", "Paper"), wantKey: KeyOption},
		{name: "radio required", field: field("radio", required, options), values: v(), wantKey: KeyRequiredChoice},
		{name: "radio option", field: field("radio", options), values: v("q", "glass"), want: &Answer{Text: "glass", Choices: []Choice{{Value: "glass", Label: en("Glass")}}}},
		{name: "radio unknown value", field: field("radio", options), values: v("q", "x"), wantKey: KeyOption},

		// checkbox
		{name: "checkbox required", field: field("checkbox", required, options), values: v(), wantKey: KeyRequiredCheckbox},
		{name: "checkbox in option order, once", field: field("checkbox", required, options), values: v("q", "glass", "q", "general", "q", "glass"),
			want: &Answer{Choices: []Choice{{Value: "general", Label: en("General")}, {Value: "glass", Label: en("Glass")}}}},
		{name: "checkbox unknown value", field: field("checkbox", options), values: v("q", "general", "q", "x"), wantKey: KeyOption},
		{name: "checkbox optional none", field: field("checkbox", options), values: v(), want: &Answer{}},
		{name: "declaration required", field: field("checkbox", required), values: v(), wantKey: KeyRequiredDeclaration},
		{name: "declaration ticked", field: field("checkbox", required), values: v("q", "yes"), want: &Answer{Checked: true}},
		{name: "declaration browser default value", field: field("checkbox", required), values: v("q", "on"), want: &Answer{Checked: true}},
		{name: "declaration tampered", field: field("checkbox", required), values: v("q", "no"), wantKey: KeyOption},

		// address
		{name: "address optional empty", field: field("address"), values: v("q-line1", " "), want: &Answer{}},
		{name: "address full", field: field("address", required), values: v("q-line1", "Carrer Major 1", "q-line2", "2n 1a", "q-town", "Porta Nova", "q-postcode", " sw1a  1aa "),
			want: &Answer{Address: &Address{Line1: "Carrer Major 1", Line2: "2n 1a", Town: "Porta Nova", Postcode: "SW1A 1AA"}}},
		{name: "address no postcode", field: field("address", required), values: v("q-line1", "Carrer Major 1"), wantKey: KeyPostcode, input: "q-postcode"},
		{name: "address no line1", field: field("address"), values: v("q-postcode", "08800"), wantKey: KeyAddressLine1, input: "q-line1"},
		{name: "address bad postcode", field: field("address"), values: v("q-line1", "Carrer Major 1", "q-postcode", "08800!"), wantKey: KeyPostcodeBad, input: "q-postcode"},
		{name: "address long line2", field: field("address"), values: v("q-line1", "x", "q-line2", strings.Repeat("y", 201), "q-postcode", "08800"), wantKey: KeyTooLong, input: "q-line2"},

		// location
		{name: "location required", field: field("location", required), values: v(), wantKey: KeyLocation, input: "q-line1"},
		{name: "location optional empty", field: field("location"), values: v("q-line2", " "), want: &Answer{}},
		{name: "location no postcode needed", field: field("location", required), values: v("q-line1", " Carrer Major ", "q-line2", "outside the bakery"),
			want: &Answer{Address: &Address{Line1: "Carrer Major", Line2: "outside the bakery"}}},
		{name: "location landmark only", field: field("location"), values: v("q-line2", "the bus stop"), wantKey: KeyLocation, input: "q-line1"},
		{name: "location pin only", field: field("location", required), values: v("q-lat", " 41.219 ", "q-lng", "1,726"),
			want: &Answer{Point: &Point{Lat: 41.219, Lng: 1.726}}},
		{name: "location landmark and pin", field: field("location", required), values: v("q-line2", "by the bus stop", "q-lat", "41.219", "q-lng", "1.726"),
			want: &Answer{Address: &Address{Line2: "by the bus stop"}, Point: &Point{Lat: 41.219, Lng: 1.726}}},
		{name: "location latitude alone", field: field("location"), values: v("q-line1", "Carrer Major", "q-lat", "41.219"), wantKey: KeyCoordsBoth, input: "q-lng"},
		{name: "location longitude alone", field: field("location", required), values: v("q-lng", "1.726"), wantKey: KeyCoordsBoth, input: "q-lat"},
		{name: "location words for degrees", field: field("location"), values: v("q-lat", "north", "q-lng", "1.726"), wantKey: KeyCoordsNumber, input: "q-lat"},
		{name: "location longitude off the Earth", field: field("location"), values: v("q-lat", "41.2", "q-lng", "200"), wantKey: KeyCoordsNumber, input: "q-lng"},
		{name: "location outside the council", field: field("location", required), values: v("q-line1", "Gran Vía", "q-lat", "40.4168", "q-lng", "-3.7038"), wantKey: KeyCoordsOutside, input: "q-lat"},
		// vehicle registration
		{name: "vehicle required", field: field("vehicle_registration", required), values: v(), wantKey: KeyRequiredVehicle},
		{name: "vehicle normalised", field: field("vehicle_registration"), values: v("q", " 1234-bcd "), want: &Answer{Text: "1234BCD"}},
		{name: "vehicle spaces", field: field("vehicle_registration"), values: v("q", "m 1234 ab"), want: &Answer{Text: "M1234AB"}},
		{name: "vehicle letters only", field: field("vehicle_registration"), values: v("q", "abc"), wantKey: KeyVehicle},
		{name: "vehicle digits only", field: field("vehicle_registration"), values: v("q", "12"), wantKey: KeyVehicle},
		{name: "vehicle vowels", field: field("vehicle_registration"), values: v("q", "1234 ABC"), wantKey: KeyVehicle},
		{name: "vehicle UK plate", field: field("vehicle_registration"), values: v("q", "AB12 CDE"), wantKey: KeyVehicle},
		{name: "vehicle own pattern", field: field("vehicle_registration", func(f *catalogue.Field) { f.Pattern = ptr(`[A-Z0-9]{4,10}`) }), values: v("q", "AB12 CDE"), want: &Answer{Text: "AB12CDE"}},
		{name: "vehicle too short", field: field("vehicle_registration"), values: v("q", "A"), wantKey: KeyVehicle},
		{name: "vehicle too long", field: field("vehicle_registration"), values: v("q", "ABCDE123456"), wantKey: KeyVehicle},
		{name: "vehicle symbol", field: field("vehicle_registration"), values: v("q", "12*AB"), wantKey: KeyVehicle},
		{name: "vehicle accented", field: field("vehicle_registration"), values: v("q", "12ÑAB"), wantKey: KeyVehicle},

		// file
		{name: "file required", field: field("file", required, accept("application/pdf")), files: Files{"q": {{Filename: "", Size: 0}}}, wantKey: KeyRequiredFile},
		{name: "file pdf", field: field("file", required, accept("application/pdf")), files: Files{"q": {fileOf(`C:\docs\plan.pdf`, pdfData)}},
			want: &Answer{Files: []FileRef{{Name: "plan.pdf", ContentType: "application/pdf", Size: int64(len(pdfData))}}}},
		{name: "file name with a bidi override", field: field("file", accept("image/png")), files: Files{"q": {fileOf("invoice\u202egnp.exe.png", pngData)}},
			want: &Answer{Files: []FileRef{{Name: "invoicegnp.exe.png", ContentType: "image/png", Size: int64(len(pngData))}}}},
		{name: "file png claimed as pdf", field: field("file", accept("application/pdf")), files: Files{"q": {fileOf("plan.pdf", pngData)}}, wantKey: KeyFileType, args: map[string]any{"Name": "plan.pdf", "Types": "PDF"}},
		{name: "file jpeg or png", field: field("file", accept("image/jpeg", "image/png")), files: Files{"q": {fileOf("a.jpg", jpegData), fileOf("b.png", pngData)}},
			want: &Answer{Files: []FileRef{{Name: "a.jpg", ContentType: "image/jpeg", Size: int64(len(jpegData))}, {Name: "b.png", ContentType: "image/png", Size: int64(len(pngData))}}}},
		{name: "file image wildcard", field: field("file", accept("image/*")), files: Files{"q": {fileOf("a", pngData)}},
			want: &Answer{Files: []FileRef{{Name: "a", ContentType: "image/png", Size: int64(len(pngData))}}}},
		{name: "file text is not pdf", field: field("file", accept("application/pdf")), files: Files{"q": {fileOf("a.pdf", txtData)}}, wantKey: KeyFileType},
		{name: "file too big for field", field: field("file", accept("application/pdf")), files: Files{"q": {{Filename: "big.pdf", Size: 1<<20 + 1, Open: fileOf("", pdfData).Open}}}, wantKey: KeyFileSize, args: map[string]any{"Name": "big.pdf", "MaxMB": "1"}},
		{name: "file empty", field: field("file", accept("application/pdf")), files: Files{"q": {fileOf("empty.pdf", nil)}}, wantKey: KeyFileEmpty},
		{name: "file docx", field: field("file", accept(TypeDOCX, "application/pdf")), files: Files{"q": {fileOf("letter.docx", contentFor(t, TypeDOCX))}},
			want: &Answer{Files: []FileRef{{Name: "letter.docx", ContentType: TypeDOCX, Size: int64(len(contentFor(t, TypeDOCX)))}}}},
		{name: "file plain zip is not docx", field: field("file", accept(TypeDOCX)), files: Files{"q": {fileOf("letter.docx", contentFor(t, "application/zip"))}}, wantKey: KeyFileType, args: map[string]any{"Name": "letter.docx", "Types": "DOCX"}},
		{name: "file docx accepted as zip", field: field("file", accept("application/zip")), files: Files{"q": {fileOf("a.zip", contentFor(t, TypeDOCX))}},
			want: &Answer{Files: []FileRef{{Name: "a.zip", ContentType: "application/zip", Size: int64(len(contentFor(t, TypeDOCX)))}}}},
		{name: "file xml", field: field("file", accept("application/xml", "application/zip")), files: Files{"q": {fileOf("c.xml", xmlData)}},
			want: &Answer{Files: []FileRef{{Name: "c.xml", ContentType: "application/xml", Size: int64(len(xmlData))}}}},
		{name: "file m4a", field: field("file", accept("audio/mpeg", "audio/mp4", "video/mp4")), files: Files{"q": {fileOf("r.m4a", m4aData)}},
			want: &Answer{Files: []FileRef{{Name: "r.m4a", ContentType: "audio/mp4", Size: int64(len(m4aData))}}}},
		{name: "file mp3 without tag", field: field("file", accept("audio/mpeg")), files: Files{"q": {fileOf("r.mp3", mp3Raw)}},
			want: &Answer{Files: []FileRef{{Name: "r.mp3", ContentType: "audio/mpeg", Size: int64(len(mp3Raw))}}}},
		{name: "file too many", field: field("file", accept("application/pdf")), files: Files{"q": func() []FileInput {
			var fs []FileInput
			for range 11 {
				fs = append(fs, fileOf("a.pdf", pdfData))
			}
			return fs
		}()}, wantKey: KeyFileCount, args: map[string]any{"Max": 10}},
	}
	// The council's area, for locations: around Porta Nova.
	val := NewValidator(Options{InArea: func(lat, lng float64) bool { return lat > 41 && lat < 42 && lng > 1 && lng < 3 }})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := &catalogue.OnlineForm{Fields: []catalogue.Field{tt.field}}
			res, err := val.Validate(context.Background(), form, tt.values, tt.files)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantKey == "" {
				if !res.OK() {
					t.Fatalf("errors %v, want none", res.Errors)
				}
				got := res.Answers[0]
				want := *tt.want
				want.Field, want.Type, want.Label = "q", tt.field.Type, tt.field.Label
				if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
					t.Errorf("answer\n got %s\nwant %s", g, w)
				}
				if tt.field.Type == TypeFile && len(res.Files) != len(want.Files) {
					t.Errorf("%d accepted files, want %d", len(res.Files), len(want.Files))
				}
				return
			}
			if len(res.Errors) != 1 {
				t.Fatalf("errors %v, want one %s", res.Errors, tt.wantKey)
			}
			e := res.Errors[0]
			if e.Key != tt.wantKey || e.Field != "q" {
				t.Errorf("error %s on %s, want %s on q", e.Key, e.Field, tt.wantKey)
			}
			wantInput := tt.input
			if wantInput == "" {
				wantInput = "q"
			}
			if e.Input != wantInput {
				t.Errorf("error points at input %q, want %q", e.Input, wantInput)
			}
			for k, want := range tt.args {
				if e.Args[k] != want {
					t.Errorf("arg %s = %#v, want %#v", k, e.Args[k], want)
				}
			}
			if len(res.Files) != 0 {
				t.Errorf("files accepted from a field with an error: %v", res.Files)
			}
		})
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestValidateOrderAndValues(t *testing.T) {
	form := &catalogue.OnlineForm{Fields: []catalogue.Field{
		{Name: "b", Type: "text", Required: true, Label: en("B")},
		{Name: "a", Type: "email", Required: true, Label: en("A")},
		{Name: "c", Type: "date", Required: true, Label: en("C")},
	}}
	res, err := NewValidator(Options{}).Validate(context.Background(), form, Values{"a": {"bad"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res.Errors {
		got = append(got, e.Field+":"+e.Key)
	}
	want := []string{"b:" + KeyRequired, "a:" + KeyEmail, "c:" + KeyRequiredDate}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("errors %v, want %v (form order)", got, want)
	}
	if _, ok := res.ErrorFor("a"); !ok {
		t.Error("ErrorFor(a) found nothing")
	}
}

func TestAnswersRoundTripThroughValues(t *testing.T) {
	form := &catalogue.OnlineForm{Fields: []catalogue.Field{
		{Name: "when", Type: "date", Label: en("When")},
		{Name: "amount", Type: "money", Label: en("Amount")},
		{Name: "count", Type: "integer", Label: en("Count")},
		{Name: "kinds", Type: "checkbox", Label: en("Kinds"), Options: []catalogue.Option{{Value: "x", Label: en("X")}, {Value: "y", Label: en("Y")}}},
		{Name: "ok", Type: "checkbox", Label: en("OK")},
		{Name: "where", Type: "address", Label: en("Where")},
		{Name: "spot", Type: "location", Label: en("Spot")},
		{Name: "name", Type: "text", Label: en("Name")},
		{Name: "car", Type: "vehicle_registration", Label: en("Car")},
	}}
	in := Values{
		"when-day": {"9"}, "when-month": {"11"}, "when-year": {"2025"},
		"amount": {"1.200,5"}, "count": {"7"}, "kinds": {"y", "x"}, "ok": {"yes"},
		"where-line1": {"Carrer Major 1"}, "where-postcode": {"08800"},
		"spot-line1": {"Carrer Major"}, "spot-line2": {"by the school"},
		"name": {"Ana"}, "car": {"1234 bcd"},
	}
	val := NewValidator(Options{})
	first, err := val.Validate(context.Background(), form, in, nil)
	if err != nil || !first.OK() {
		t.Fatalf("first validation: %v %v", err, first.Errors)
	}
	second, err := val.Validate(context.Background(), form, first.Answers.Values(), nil)
	if err != nil || !second.OK() {
		t.Fatalf("validating Values(): %v %v", err, second.Errors)
	}
	if g, w := mustJSON(t, second.Answers), mustJSON(t, first.Answers); g != w {
		t.Errorf("answers changed through Values()\n got %s\nwant %s", g, w)
	}
}

func TestExample(t *testing.T) {
	for _, p := range []string{
		`^PN[0-9]{8}$`, `^([01][0-9]|2[0-3]):[0-5][0-9]$`, `^([0-9]{8}|[XYZ][0-9]{7})[A-Z]$`,
		`^[A-Za-z]{2}-?[0-9]{4,5}$`, `^ES[0-9]{22}$`, `^[0-9A-Za-z]{6,12}$`, `a+b*c?`, `(?i)abc`, `[^x]{3}`,
	} {
		ex := Example(p)
		if !regexp.MustCompile(p).MatchString(ex) {
			t.Errorf("Example(%q) = %q, which does not match", p, ex)
		}
	}
	if got := Example(`^PN[0-9]{8}$`); got != "PN12345678" {
		t.Errorf("Example = %q, want PN12345678", got)
	}
}

func TestPatternCompiledOnce(t *testing.T) {
	val := NewValidator(Options{})
	p1, err := val.pattern(`[0-9]{5}`)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := val.pattern(`[0-9]{5}`)
	if p1 != p2 {
		t.Error("the same pattern was compiled twice")
	}
	if _, err := val.pattern(`(`); err == nil {
		t.Error("a broken pattern gave no error")
	}
}

func TestPrefill(t *testing.T) {
	form := &catalogue.OnlineForm{Fields: []catalogue.Field{
		{Name: "full_name", Type: "text"}, {Name: "partner1_name", Type: "text"},
		{Name: "contact_email", Type: "email"}, {Name: "email", Type: "email"}, {Name: "name", Type: "textarea"},
	}}
	given := Values{"email": {"typed@example.com"}}
	got := Prefill(form, Known{Name: "Ana García", Email: "ana@example.com"}, given)
	want := map[string]string{"full_name": "Ana García", "partner1_name": "", "contact_email": "ana@example.com", "email": "typed@example.com", "name": ""}
	for k, w := range want {
		if g := got.Get(k); g != w {
			t.Errorf("%s = %q, want %q", k, g, w)
		}
	}
	if len(given) != 1 {
		t.Error("Prefill changed its input")
	}
}

// A fixed clock: 31 March 2026 at 22:30 UTC is already 1 April in Madrid,
// and "today" is the council's.
func fixedValidator() *Validator {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		panic(err)
	}
	return NewValidator(Options{Location: madrid, Now: func() time.Time { return time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC) }})
}

func TestDateBounds(t *testing.T) {
	val := fixedValidator()
	bounded := func(min, max string) catalogue.Field {
		f := catalogue.Field{Name: "start", Type: "date", Required: true, Label: en("Start")}
		if min != "" {
			f.MinDate = &min
		}
		if max != "" {
			f.MaxDate = &max
		}
		return f
	}
	tests := []struct {
		name       string
		field      catalogue.Field
		date       string // d m y
		wantKey    string
		wantMin    Date
		wantMax    Date
		wantInputs []string
	}{
		{"today is not past", bounded("today", ""), "1 4 2026", "", "", "", nil},
		{"permit in 2020", bounded("today", ""), "1 1 2020", KeyDateTodayOrFuture, "2026-04-01", "", []string{"start-day", "start-month", "start-year"}},
		{"yesterday", bounded("today", ""), "31 3 2026", KeyDateTodayOrFuture, "2026-04-01", "", nil},
		{"birth tomorrow", bounded("", "today"), "2 4 2026", KeyDateTodayOrPast, "", "2026-04-01", nil},
		{"birth in 1950", bounded("-120y", "today"), "2 4 1950", "", "", "", nil},
		{"six weeks' notice", bounded("+6w", ""), "1 5 2026", KeyDateMin, "2026-05-13", "", nil},
		{"six weeks given", bounded("+6w", ""), "13 5 2026", "", "", "", nil},
		{"a year at most", bounded("", "+1y"), "2 4 2027", KeyDateMax, "", "2027-04-01", nil},
		{"between", bounded("+1d", "+1y"), "1 4 2026", KeyDateBetween, "2026-04-02", "2027-04-01", nil},
		{"fixed date", bounded("2026-06-01", ""), "31 5 2026", KeyDateMin, "2026-06-01", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := strings.Fields(tt.date)
			form := &catalogue.OnlineForm{Fields: []catalogue.Field{tt.field}}
			res, err := val.Validate(context.Background(), form, Values{"start-day": {p[0]}, "start-month": {p[1]}, "start-year": {p[2]}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantKey == "" {
				if !res.OK() {
					t.Fatalf("errors %v, want none", res.Errors)
				}
				return
			}
			if len(res.Errors) != 1 {
				t.Fatalf("errors %v, want one %s", res.Errors, tt.wantKey)
			}
			e := res.Errors[0]
			if e.Key != tt.wantKey {
				t.Errorf("key %s, want %s", e.Key, tt.wantKey)
			}
			if min, _ := e.Args["Min"].(Date); min != tt.wantMin {
				t.Errorf("Min = %q, want %q", min, tt.wantMin)
			}
			if max, _ := e.Args["Max"].(Date); max != tt.wantMax {
				t.Errorf("Max = %q, want %q", max, tt.wantMax)
			}
			if ex, _ := e.Args["Example"].(string); ex == "" {
				t.Error("no Example")
			}
			if tt.wantInputs != nil && !slices.Equal(e.Inputs, tt.wantInputs) {
				t.Errorf("inputs %v, want %v", e.Inputs, tt.wantInputs)
			}
			if res.Answers[0].Text == "" {
				t.Error("the date was not kept to show again")
			}
		})
	}
}

// The example shown beside a date is within what the field takes, and not
// in the past when the field takes future dates: "27 3 2026" was shown
// after March 2026.
func TestExampleDate(t *testing.T) {
	today := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		min, max string
		want     string
	}{
		{"", "", "27 4 2026"},
		{"today", "", "27 4 2026"},
		{"+6w", "", "27 6 2026"},
		{"", "today", "27 2 2026"},
		{"-120y", "today", "27 2 2026"},
		{"", "-18y", "27 2 2008"},
		{"today", "+2d", "31 3 2026"},
		{"2030-01-01", "", "27 2 2030"},
	}
	for _, tt := range tests {
		f := catalogue.Field{Name: "d", Type: "date"}
		if tt.min != "" {
			f.MinDate = &tt.min
		}
		if tt.max != "" {
			f.MaxDate = &tt.max
		}
		if got := ExampleDate(&f, today); got != tt.want {
			t.Errorf("min %q max %q: example %s, want %s", tt.min, tt.max, got, tt.want)
		}
	}
	// Every month of a year: never today or before.
	for d := today; d.Year() < 2028; d = d.AddDate(0, 0, 1) {
		ex := ExampleDate(&catalogue.Field{Type: "date"}, d)
		p := strings.Fields(ex)
		dd, _ := strconv.Atoi(p[0])
		mm, _ := strconv.Atoi(p[1])
		yy, _ := strconv.Atoi(p[2])
		if !time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC).After(d) {
			t.Fatalf("on %s the example is %s", d.Format(time.DateOnly), ex)
		}
	}
}

// An address's problems come all at once, each on its input.
func TestAddressAllErrorsAtOnce(t *testing.T) {
	form := &catalogue.OnlineForm{Fields: []catalogue.Field{
		{Name: "where", Type: "address", Required: true, Label: en("Where")},
		{Name: "after", Type: "text", Required: true, Label: en("After")},
	}}
	tests := []struct {
		name   string
		values Values
		want   []string // key@input
	}{
		{"empty", Values{}, []string{KeyAddressLine1 + "@where-line1", KeyPostcode + "@where-postcode", KeyRequired + "@after"}},
		{"town only", Values{"where-town": {"Porta Nova"}}, []string{KeyAddressLine1 + "@where-line1", KeyPostcode + "@where-postcode", KeyRequired + "@after"}},
		{"long line and bad postcode", Values{"where-line1": {strings.Repeat("x", 201)}, "where-postcode": {"08800!"}, "after": {"x"}},
			[]string{KeyTooLong + "@where-line1", KeyPostcodeBad + "@where-postcode"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := NewValidator(Options{}).Validate(context.Background(), form, tt.values, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range res.Errors {
				got = append(got, e.Key+"@"+e.Input)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("errors %v, want %v", got, tt.want)
			}
		})
	}
}

// A field's pattern_message is the error's message; without one, the
// generic message with an example.
func TestPatternMessage(t *testing.T) {
	msg := catalogue.Text{"en": "Enter the fine reference as it appears on the notice, like PN12345678"}
	form := &catalogue.OnlineForm{Fields: []catalogue.Field{
		{Name: "ref", Type: "text", Pattern: ptr(`PN[0-9]{8}`), PatternMessage: msg, Label: en("Ref")},
		{Name: "plain", Type: "text", Pattern: ptr(`PN[0-9]{8}`), Label: en("Plain")},
		{Name: "car", Type: "vehicle_registration", PatternMessage: catalogue.Text{"en": "Enter the plate"}, Label: en("Car")},
	}}
	res, err := NewValidator(Options{}).Validate(context.Background(), form, Values{"ref": {"12"}, "plain": {"12"}, "car": {"abc"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 3 {
		t.Fatalf("errors %v, want 3", res.Errors)
	}
	if e := res.Errors[0]; e.Key != KeyPattern || e.Message["en"] != msg["en"] {
		t.Errorf("ref: %+v", e)
	}
	if e := res.Errors[1]; e.Message != nil || e.Args["Example"] != "PN12345678" {
		t.Errorf("plain: %+v", e)
	}
	if e := res.Errors[2]; e.Key != KeyVehicle || e.Message["en"] != "Enter the plate" {
		t.Errorf("car: %+v", e)
	}
}

func TestSpanishPlates(t *testing.T) {
	for _, p := range []string{"1234BCD", "0000ZZZ", "C1234BCD", "R1234BCD", "H1234BCD", "M1234AB", "PM1234A", "B123456", "GI12345", "M1234"} {
		if !spanishPlate.MatchString(p) {
			t.Errorf("%s refused", p)
		}
	}
	for _, p := range []string{"ABC", "12", "1234ABC", "1234BCDE", "12345BCD", "AB12CDE", "1234", "BCD1234", "1234ÑBC", "123BCD"} {
		if spanishPlate.MatchString(p) {
			t.Errorf("%s accepted", p)
		}
	}
}
