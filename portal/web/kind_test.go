package web

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sportello/catalogue"
	"sportello/templates"
)

// Every kind of transaction has every message of KindMessages in English
// (TestMissingTranslations then holds the other languages to English), no
// message file has a kind message nobody asks for, and every message a
// template asks for is one of KindMessages: a missing one would show a
// resident the key itself.
func TestKindMessages(t *testing.T) {
	english := localeMessages(t)["en"]
	want := map[string]bool{}
	for _, kind := range catalogue.Transactions {
		for _, m := range KindMessages {
			k := KindKey(kind, m)
			want[k] = true
			if _, ok := english[k]; !ok {
				t.Errorf("locales/kinds.en.json lacks %s", k)
			}
		}
	}
	for k := range english {
		if strings.HasPrefix(k, "kind.") && !want[k] {
			t.Errorf("%s is not a kind's message (catalogue.Transactions × KindMessages): a typo, or a message to add to KindMessages", k)
		}
	}

	asked := regexp.MustCompile(`\(kind [^()"]+ "([^"]+)"\)`)
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		for _, m := range asked.FindAllStringSubmatch(string(b), -1) {
			if !slices.Contains(KindMessages, m[1]) {
				t.Errorf("%s asks for the kind message %q, which is not in KindMessages", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestKindKey(t *testing.T) {
	for _, tt := range []struct{ kind, message, want string }{
		{"report", "start", "kind.report.start"},
		{"", "confirmation.title", "kind.apply.confirmation.title"},
		{"pay", "status.approved", "kind.pay.status.approved"},
	} {
		if got := KindKey(tt.kind, tt.message); got != tt.want {
			t.Errorf("KindKey(%q, %q) = %q, want %q", tt.kind, tt.message, got, tt.want)
		}
	}
}
