package web

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"sportello/applications"
	"sportello/catalogue"
	"sportello/payments"
)

// Every status of an application, a payment and a refund has its label in
// every language, under the key the pages use: a missing one would show the
// key itself to a resident or a member of staff.
func TestStatusLabels(t *testing.T) {
	var keys []string
	for _, st := range applications.Statuses {
		keys = append(keys, ApplicationStatusKey(string(st)))
	}
	for _, st := range payments.Statuses {
		keys = append(keys, PaymentStatusKey(st))
	}
	for _, st := range payments.RefundStatuses {
		keys = append(keys, RefundStatusKey(st))
	}
	if len(keys) == 0 {
		t.Fatal("no statuses to check")
	}
	labels := localeMessages(t)
	for _, lang := range catalogue.Languages {
		for _, k := range keys {
			if s, ok := labels[lang][k].(string); !ok || strings.TrimSpace(s) == "" {
				t.Errorf("locales/*.%s.json: no label for %s", lang, k)
			}
		}
	}
}

// localeMessages is every message of every message file, by language and
// key.
func localeMessages(t *testing.T) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	files, err := fs.Glob(Locales, "locales/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no message files: %v", err)
	}
	for _, name := range files {
		buf, err := fs.ReadFile(Locales, name)
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]any
		if err := json.Unmarshal(buf, &msgs); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lang := langOfFile(name)
		if out[lang] == nil {
			out[lang] = map[string]any{}
		}
		for k, v := range msgs {
			out[lang][k] = v
		}
	}
	return out
}
