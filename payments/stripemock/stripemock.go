// Package stripemock runs stripe-mock, Stripe's API double, for tests: the
// payments package's and the portal's. stripe-mock is installed with
// go install github.com/stripe/stripe-mock@v0.203.0 (CI does it).
package stripemock

import (
	"bufio"
	"go/build"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Path returns the stripe-mock binary on PATH or in GOPATH/bin,
// or "" when it is not installed.
func Path() string {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p
	}
	for _, dir := range filepath.SplitList(build.Default.GOPATH) {
		p := filepath.Join(dir, "bin", "stripe-mock")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// Start starts stripe-mock on a free loopback port, waits until it
// answers, stops it when the test ends, and returns its URL. The test skips
// when stripe-mock is not installed.
func Start(t testing.TB) string {
	t.Helper()
	bin := Path()
	if bin == "" {
		t.Skip("stripe-mock is not installed (not on PATH nor in GOPATH/bin); install it with: go install github.com/stripe/stripe-mock@v0.203.0")
	}
	// Port 0 for both listeners: the system picks free ports, stripe-mock
	// prints them, and nothing collides with another test binary.
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	out, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		w.Close()
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			const prefix = "Listening for HTTP at address: "
			if a, ok := strings.CutPrefix(sc.Text(), prefix); ok {
				addr <- a
			}
		}
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatal("stripe-mock did not say where it listens within a minute")
	}
	// It prints the address before it serves: wait for an answer.
	for range 200 {
		req, _ := http.NewRequest(http.MethodGet, base+"/v1/balance", nil)
		req.SetBasicAuth("sk_test_123", "")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			return base
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("stripe-mock at %s does not answer", base)
	return ""
}
