package notify

import (
	"errors"
	"strings"
	"testing"
)

// What the outbox keeps of a failure never shows the recipient's address,
// however the mail server wrote its case, and stays one short line.
func TestLastErrorMasksTheAddress(t *testing.T) {
	got := lastError(errors.New("550 5.1.1 <Marta.Vidal@Example.org>:\n  mailbox unavailable"), "marta.vidal@example.org")
	if strings.Contains(strings.ToLower(got), "marta.vidal@example.org") || strings.Contains(got, "\n") {
		t.Errorf("last error %q shows the address or spans lines", got)
	}
	if !strings.Contains(got, "mailbox unavailable") {
		t.Errorf("last error %q lost the server's reason", got)
	}
	if got := lastError(errors.New(strings.Repeat("x", 400)), ""); len(got) > 300 {
		t.Errorf("last error of %d characters, want at most 300", len(got))
	}
}
