package catalogue

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"unsafe"
)

// TestDirectorySharesRepeatedValues checks that summaries decoded one by one
// share their equal values once the directory is indexed, read the same as
// before, and that appending to one's list leaves the other's alone.
func TestDirectorySharesRepeatedValues(t *testing.T) {
	doc := `{"Slug":"%s","Kind":"apply","Topic":"parking","Department":"mobility","Audience":["residents","business"],
		"LifeEvents":["moving-home"],"Title":{"en":"A"},"Summary":{"en":"B"},"Fee":{"amount":4000,"currency":"EUR","unit":{"en":"per year"},"when":"on_application"},
		"Renewal":{"valid_for_days":365,"remind_days_before":30},"Untranslated":["it","fr"]}`
	d := &Directory{}
	for _, slug := range []string{"one", "two"} {
		var s ServiceSummary
		if err := json.Unmarshal([]byte(fmt.Sprintf(doc, slug)), &s); err != nil {
			t.Fatal(err)
		}
		d.Services = append(d.Services, s)
	}
	before, _ := json.Marshal(d.Services)
	d.BuildIndex()
	if after, _ := json.Marshal(d.Services); string(after) != string(before) {
		t.Fatalf("sharing changed the summaries:\n%s\n%s", before, after)
	}
	a, b := &d.Services[0], &d.Services[1]
	for name, pair := range map[string][2]string{"kind": {a.Kind, b.Kind}, "topic": {a.Topic, b.Topic}, "department": {a.Department, b.Department}} {
		if unsafe.StringData(pair[0]) != unsafe.StringData(pair[1]) {
			t.Errorf("%s not shared", name)
		}
	}
	if &a.Audience[0] != &b.Audience[0] || &a.LifeEvents[0] != &b.LifeEvents[0] || &a.Untranslated[0] != &b.Untranslated[0] {
		t.Error("lists not shared")
	}
	if a.Fee != b.Fee || a.Renewal != b.Renewal {
		t.Error("fee or renewal not shared")
	}
	a.Audience = append(a.Audience, "visitors")
	if !reflect.DeepEqual(b.Audience, []string{"residents", "business"}) {
		t.Errorf("appending to one summary's audience changed another's: %q", b.Audience)
	}
}
