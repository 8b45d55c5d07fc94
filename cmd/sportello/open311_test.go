package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// TestOpen311IndependentClient runs docs/open311/check.py, a client
// written from the GeoReport v2 specification with Python's standard
// library alone, against `sportello serve`, with a key an administrator
// issued at /staff/open311-keys over HTTP.
func TestOpen311IndependentClient(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the independent Open311 client (docs/open311/check.py) cannot run")
	}
	in := startInstance(t, "open311", storetest.URL(t, store.DialectSQLite), time.Second)
	admin := newPerson(t)
	admin.signIn(in, "admin", "/staff")
	csrf, _ := tokens(t, admin.get(in, "/staff/open311-keys"))
	issued := admin.post(in, "/staff/open311-keys", url.Values{"_csrf": {csrf}, "name": {"Independent client"}})
	m := regexp.MustCompile(`<code id="key-secret">([^<]+)</code>`).FindStringSubmatch(issued.body)
	if issued.status != http.StatusOK || m == nil {
		t.Fatalf("issuing a key: %d, no key shown", issued.status)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join("..", "..", "docs", "open311", "check.py"), in.base, m[1])
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("docs/open311/check.py: %v\n%s", err, out.String())
	}
	t.Log(out.String())
}
