package main

import (
	"testing"
)

func TestBrowser(t *testing.T) {
	execPath := chromiumPath(t)
	art := newArtefacts(t)
	base := startSportello(t, art)
	b := startBrowser(t, execPath, base, art)

	t.Run("Smoke", func(t *testing.T) {
		tb := b.newTab(t, "smoke")
		tb.open(t, "/")
		tb.expectHeading(t, "Porta Nova")
		tb.shot(t, "home")
		tb.audit(t, "home")
	})
}
