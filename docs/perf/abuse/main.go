// Command abuse measures what slow, large request bodies cost the server
// (docs/performance.md, "Abuse and memory"). It builds Sportello (or runs
// -bin), starts it on a loopback port with a fresh data directory, and then
// opens -conns connections that each announce a body of -announce bytes and
// send one byte, from as many loopback addresses (127.0.x.y) so that the
// cap on connections per address is not what stops them (-one-address puts
// them all on 127.0.0.1 instead). Meanwhile it asks for ordinary pages one
// after the other from 127.0.0.1 and times them. It reports the server's
// resident memory before, at its peak and after, how many connections the
// server closed and when, and the pages' latency. Only loopback traffic;
// every loop is bounded in count and time.
//
//	go run ./docs/perf/abuse -conns 200
//	go run ./docs/perf/abuse -conns 200 -path /services/report-missed-bin-collection/apply -content-type "multipart/form-data; boundary=b"
//	go run ./docs/perf/abuse -conns 20 -bin /tmp/sportello-main   # an older build
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	conns := flag.Int("conns", 200, "connections that announce a large body")
	announce := flag.Int("announce", 50_000_000, "the Content-Length each announces")
	path := flag.String("path", "/", "where they post")
	contentType := flag.String("content-type", "", `their Content-Type, such as "multipart/form-data; boundary=b" (default none, as in the issue)`)
	oneAddress := flag.Bool("one-address", false, "connect all from 127.0.0.1 (the per-address cap then refuses most)")
	bin := flag.String("bin", "", "a Sportello binary to run instead of building this checkout")
	port := flag.Int("port", 18090, "the server's loopback port")
	wait := flag.Duration("wait", 7*time.Minute, "how long to wait, at most, for the server to close them")
	pages := flag.Bool("pages", true, "ask for ordinary pages meanwhile (false: measure the connections' memory alone)")
	flag.Parse()
	if err := run(*conns, *announce, *path, *contentType, *oneAddress, *bin, *port, *wait, *pages); err != nil {
		fmt.Fprintln(os.Stderr, "abuse:", err)
		os.Exit(1)
	}
}

func run(conns, announce int, path, contentType string, oneAddress bool, bin string, port int, wait time.Duration, askPages bool) error {
	work, err := os.MkdirTemp("", "sportello-abuse-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if bin == "" {
		bin = filepath.Join(work, "sportello")
		build := exec.Command("go", "build", "-o", bin, "./cmd/sportello")
		build.Stdout, build.Stderr = os.Stdout, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building: %w", err)
		}
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	base := "http://" + addr
	srv := exec.Command(bin)
	srv.Env = append(os.Environ(), "SPORTELLO_DATA_DIR="+filepath.Join(work, "data"), "SPORTELLO_ADDR="+addr,
		"SPORTELLO_BASE_URL="+base, "SPORTELLO_LOG_LEVEL=warn")
	logf, err := os.Create(filepath.Join(work, "server.log"))
	if err != nil {
		return err
	}
	srv.Stdout, srv.Stderr = logf, logf
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	pid := srv.Process.Pid
	if err := waitReady(base + "/healthz"); err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Second}
	pages := []string{"/", "/services/report-a-pothole", "/search?q=parking+permit", "/topics"}
	for range 3 { // warm the caches, as a running server has them
		for _, p := range pages {
			if _, _, err := get(client, base+p); err != nil {
				return err
			}
		}
	}
	before := rss(pid)
	fmt.Printf("server %s (pid %d); RSS before: %d MB\n", bin, pid, before>>10)

	// Sample the RSS while the attack runs.
	ctx, stop := context.WithCancel(context.Background())
	var peak int
	var sampler sync.WaitGroup
	sampler.Go(func() {
		for ctx.Err() == nil {
			peak = max(peak, rss(pid))
			time.Sleep(50 * time.Millisecond)
		}
	})

	started := time.Now()
	type outcome struct {
		closedAfter time.Duration
		answer      string
		err         error
	}
	results := make(chan outcome, conns)
	var opened, refused int
	for i := range conns {
		from := "127.0.0.1"
		if !oneAddress {
			from = fmt.Sprintf("127.0.%d.%d", 1+i/250, 1+i%250)
		}
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 10 * time.Second}
		c, err := d.Dial("tcp", addr)
		if err != nil {
			refused++
			continue
		}
		opened++
		ct := ""
		if contentType != "" {
			ct = "Content-Type: " + contentType + "\r\n"
		}
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\n%sContent-Length: %d\r\n\r\nA", path, addr, ct, announce)
		go func() {
			defer c.Close()
			_ = c.SetReadDeadline(time.Now().Add(wait))
			b, err := io.ReadAll(c)
			first, _, _ := strings.Cut(string(b), "\r\n")
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				results <- outcome{err: err}
				return
			}
			results <- outcome{closedAfter: time.Since(started), answer: first}
		}()
	}
	fmt.Printf("%d connections opened in %s announcing %d bytes to POST %s (%d refused at connect)\n",
		opened, time.Since(started).Round(time.Millisecond), announce, path, refused)

	// Ordinary pages, one after the other, while the connections are open.
	var lat []time.Duration
	var failed int
	pageCtx, pagesDone := context.WithCancel(context.Background())
	var pager sync.WaitGroup
	pager.Go(func() {
		for i := 0; askPages && pageCtx.Err() == nil && i < 100_000; i++ {
			t0 := time.Now()
			status, _, err := get(client, base+pages[i%len(pages)])
			if err != nil || status != http.StatusOK {
				failed++
			} else {
				lat = append(lat, time.Since(t0))
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	var closed, kept int
	var last time.Duration
	answers := map[string]int{}
	for range opened {
		o := <-results
		if o.err != nil {
			kept++
			continue
		}
		closed++
		last = max(last, o.closedAfter)
		if o.answer == "" {
			o.answer = "(closed without an answer)"
		}
		answers[o.answer]++
	}
	pagesDone()
	pager.Wait()
	stop()
	sampler.Wait()
	after := rss(pid)

	fmt.Printf("closed by the server: %d of %d, the last %s after the first was opened; still open after %s: %d\n",
		closed, opened, last.Round(100*time.Millisecond), wait, kept)
	for a, n := range answers {
		fmt.Printf("  %4d answered %s\n", n, a)
	}
	fmt.Printf("RSS: before %d MB, peak %d MB (+%d MB), after %d MB\n", before>>10, peak>>10, (peak-before)>>10, after>>10)
	slices.Sort(lat)
	if len(lat) > 0 {
		fmt.Printf("ordinary pages meanwhile: %d answered, %d failed; p50 %s, p99 %s, max %s\n", len(lat), failed,
			pct(lat, 50), pct(lat, 99), lat[len(lat)-1].Round(time.Millisecond))
	} else if askPages {
		fmt.Printf("ordinary pages meanwhile: none answered, %d failed\n", failed)
	}
	return nil
}

func pct(d []time.Duration, p int) time.Duration {
	return d[min(len(d)-1, len(d)*p/100)].Round(100 * time.Microsecond)
}

func get(c *http.Client, u string) (int, int, error) {
	r, err := c.Get(u)
	if err != nil {
		return 0, 0, err
	}
	defer r.Body.Close()
	n, err := io.Copy(io.Discard, r.Body)
	return r.StatusCode, int(n), err
}

func waitReady(u string) error {
	c := &http.Client{Timeout: time.Second}
	for range 1200 { // two minutes: the first start imports the demo and builds the index
		if r, err := c.Get(u); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("the server did not answer /healthz within two minutes")
}

// rss is the process's resident set size in KB (VmRSS), 0 when unknown.
func rss(pid int) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}
