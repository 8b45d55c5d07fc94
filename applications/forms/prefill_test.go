package forms

import (
	"testing"

	"sportello/catalogue"
)

// A field is offered a value only when its name and type give it the same
// meaning; the first offer of a meaning wins, an answer already given is
// kept, and every filled field says where its value came from.
func TestFill(t *testing.T) {
	size := int64(3)
	app := Source{Kind: SourceApplication, Reference: "PN-4KX7-9QJM"}
	offers := []Offer{
		{Meaning: MeaningHomeAddress, Answer: Answer{Type: TypeAddress, Address: &Address{Line1: "Carrer Nou 12", Postcode: "08800"}}, Source: app},
		{Meaning: MeaningPhone, Answer: Answer{Type: TypeTel, Text: "600 000 000"}, Source: app},
		{Meaning: MeaningPhone, Answer: Answer{Type: TypeTel, Text: "699 999 999"}, Source: Source{Kind: SourceApplication, Reference: "PN-OLDER"}},
		{Meaning: MeaningHouseholdSize, Answer: Answer{Type: TypeInteger, Number: &size}, Source: Source{Kind: SourceSupportFinder}},
	}
	form := &catalogue.OnlineForm{Fields: []catalogue.Field{
		{Name: "home_address", Type: TypeAddress}, {Name: "location", Type: TypeAddress}, {Name: "property_address", Type: TypeAddress},
		{Name: "mobile", Type: TypeTel}, {Name: "emergency_phone", Type: TypeTel}, {Name: "household_size", Type: TypeInteger},
		{Name: "postal_address", Type: TypeAddress}, {Name: "phone", Type: TypeText},
	}}
	got, from := Fill(form, offers, Values{"household_size": {"4"}})
	want := map[string]string{
		"home_address-line1": "Carrer Nou 12", "home_address-postcode": "08800", "location-line1": "", "property_address-line1": "",
		"mobile": "600 000 000", "emergency_phone": "", "household_size": "4", "postal_address-line1": "", "phone": "",
	}
	for k, w := range want {
		if g := got.Get(k); g != w {
			t.Errorf("%s = %q, want %q", k, g, w)
		}
	}
	if len(from) != 2 || from["home_address"] != app || from["mobile"] != app {
		t.Errorf("sources: %+v", from)
	}
	if _, again := Fill(form, offers, Values{"home_address-town": {"Porta Nova"}}); again["home_address"].Kind != "" {
		t.Error("an address with a part typed was filled in")
	}

	got, from = Fill(&catalogue.OnlineForm{Fields: []catalogue.Field{{Name: "household_size", Type: TypeInteger}}}, offers, nil)
	if got.Get("household_size") != "3" || from["household_size"].Kind != SourceSupportFinder {
		t.Errorf("household size: %q from %+v", got.Get("household_size"), from)
	}
}

// The meanings of the fields of past answers, first of each.
func TestOffersOf(t *testing.T) {
	src := Source{Kind: SourceApplication, Reference: "PN-1"}
	got := OffersOf(Answers{
		{Field: "phone", Type: TypeTel, Text: "600"}, {Field: "contact_phone", Type: TypeTel, Text: "611"},
		{Field: "location", Type: TypeAddress, Address: &Address{Line1: "Pothole corner"}}, {Field: "address", Type: TypeAddress},
		{Field: "email", Type: TypeEmail, Text: "a@example.org"},
	}, src)
	if len(got) != 2 || got[0].Meaning != MeaningPhone || got[0].Answer.Text != "600" || got[1].Meaning != MeaningEmail {
		t.Errorf("offers: %+v", got)
	}
}
