package portal

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// slowSite serves the portal with one more route, /test/slow, whose
// handler waits for release; entered is closed when a request reaches it.
func slowSite(t *testing.T, drain time.Duration) (addr string, entered, release chan struct{}, stop context.CancelFunc, served <-chan error) {
	t.Helper()
	srv, _, _ := newOwnServer(t)
	entered, release = make(chan struct{}), make(chan struct{})
	srv.App().Get("/test/slow", func(c *fiber.Ctx) error {
		close(entered)
		<-release
		return c.SendString("finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, drain) }()
	return ln.Addr().String(), entered, release, cancel, done
}

type answer struct {
	status int
	body   string
	err    error
}

func getAsync(url string) <-chan answer {
	out := make(chan answer, 1)
	go func() {
		res, err := http.Get(url)
		if err != nil {
			out <- answer{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		out <- answer{status: res.StatusCode, body: string(b), err: err}
	}()
	return out
}

// refused waits until a connection to addr is refused, as it must be soon
// after shutdown begins, and fails the test if that never happens.
func refused(t *testing.T, addr string) {
	t.Helper()
	for range 500 {
		c, err := net.Dial("tcp", addr)
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			return
		case errors.Is(err, syscall.ECONNRESET):
			// Queued before the listener closed, then reset with it.
		case err != nil:
			t.Fatalf("connecting during shutdown: %v, want connection refused", err)
		default:
			c.Close()
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("new connections are still accepted after shutdown began")
}

// At SIGTERM (the context ends) the server refuses new connections but
// lets the request in flight finish and answer in full; only then does
// Serve return.
func TestServeDrainsRequestsInFlight(t *testing.T) {
	addr, entered, release, stop, served := slowSite(t, time.Minute)
	slow := getAsync("http://" + addr + "/test/slow")
	<-entered
	stop()
	refused(t, addr)
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) while a request was in flight", err)
	default:
	}
	close(release)
	a := <-slow
	if a.err != nil || a.status != http.StatusOK || a.body != "finished" {
		t.Errorf("the request in flight got %d %q (%v), want 200 finished", a.status, a.body, a.err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve after draining: %v", err)
	}
}

// A request that outlasts the drain time does not hold the shutdown up:
// Serve returns, saying so.
func TestServeGivesUpAfterTheDrainTime(t *testing.T) {
	addr, entered, release, stop, served := slowSite(t, 100*time.Millisecond)
	defer close(release)
	slow := getAsync("http://" + addr + "/test/slow")
	<-entered
	stop()
	if err := <-served; err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Serve with a request outlasting the drain: %v, want the deadline", err)
	}
	refused(t, addr)
	go func() { <-slow }()
}
