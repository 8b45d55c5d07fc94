package portal

import (
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// connLimiter caps the connections one client address may have open at
// once. fasthttp's MaxConnsPerIP would do it too, but would also cap the
// reverse proxies, through which every resident connects: their addresses
// (Config.TrustedProxies) are not capped here, and the proxy is the place
// to cap its clients.
type connLimiter struct {
	net.Listener
	max    int
	exempt []netip.Prefix

	mu   sync.Mutex
	open map[netip.Addr]int
}

func newConnLimiter(ln net.Listener, max int, trusted []string) *connLimiter {
	l := &connLimiter{Listener: ln, max: max, open: map[netip.Addr]int{}}
	for _, t := range trusted {
		if p, err := netip.ParsePrefix(t); err == nil {
			l.exempt = append(l.exempt, p.Masked())
		} else if a, err := netip.ParseAddr(t); err == nil {
			l.exempt = append(l.exempt, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return l
}

// tooManyConns is the whole answer to a connection over the cap.
var tooManyConns = func() []byte {
	const body = "Too many connections from your address. Please try again later.\n"
	return []byte("HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body)
}()

// Accept returns the next connection within the cap; one over it is
// answered 429 and closed.
func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ap, err := netip.ParseAddrPort(c.RemoteAddr().String())
		if err != nil {
			return c, nil // not TCP: nothing to count by
		}
		addr := ap.Addr().Unmap()
		if l.isExempt(addr) {
			return c, nil
		}
		l.mu.Lock()
		full := l.open[addr] >= l.max
		if !full {
			l.open[addr]++
		}
		l.mu.Unlock()
		if full {
			go refuse(c)
			continue
		}
		return &countedConn{Conn: c, release: func() { l.release(addr) }}, nil
	}
}

func (l *connLimiter) isExempt(a netip.Addr) bool {
	for _, p := range l.exempt {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (l *connLimiter) release(a netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[a]--; l.open[a] <= 0 {
		delete(l.open, a)
	}
}

// refuse answers a connection over the cap without reading its request.
func refuse(c net.Conn) {
	_ = c.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = c.Write(tooManyConns)
	_ = c.Close()
}

// countedConn gives its place back once, when closed.
type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
