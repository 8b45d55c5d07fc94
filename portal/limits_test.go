package portal

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// dialFrom opens a TCP connection to addr from a loopback address of its
// own, so that the cap on connections per address can be left out of a
// test or put into it.
func dialFrom(t *testing.T, from, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial %s from %s: %v", addr, from, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// stillOpen reports whether the server has neither answered nor closed c.
func stillOpen(c net.Conn) bool {
	_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	var b [1]byte
	_, err := c.Read(b[:])
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// closedByServer reads what the server sends until it closes c and
// returns it; a client-side timeout (a minute, far beyond any limit the
// tests set) fails the test.
func closedByServer(t *testing.T, c net.Conn) string {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(time.Minute))
	b, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept the connection open (read %d bytes)", len(b))
	}
	return string(b) // io.EOF or a reset: closed either way
}

// A client that announces a large body and sends one byte holds its
// connection only until the read timeout, and the site answers others
// meanwhile. On the upload route too, where bodies may be 51 MB.
func TestAnnouncedBodiesAreClosedAtTheReadTimeout(t *testing.T) {
	site := startLiveSite(t, withLimits(Limits{
		ReadTimeout: 2 * time.Second, UploadTimeout: 3 * time.Second, MaxConnsPerIP: -1,
	}))
	addr := strings.TrimPrefix(site.base, "http://")
	targets := []struct{ path, contentType string }{
		{"/", "application/x-www-form-urlencoded"},
		{"/services/report-missed-bin-collection/apply", "multipart/form-data; boundary=b"},
		{"/services/report-a-pothole/feedback", "application/x-www-form-urlencoded"},
	}
	var conns []net.Conn
	for i := range 30 {
		tg := targets[i%len(targets)]
		c := dialFrom(t, fmt.Sprintf("127.0.0.%d", 10+i), addr)
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: 50000000\r\n\r\nA", tg.path, addr, tg.contentType)
		if !stillOpen(c) {
			t.Fatalf("%s: answered or closed at once; it should wait for the body", tg.path)
		}
		conns = append(conns, c)
	}
	b := site.browser(t, followRedirects)
	for _, path := range []string{"/", "/services/report-a-pothole", "/search?q=bin"} {
		if r := b.get(path); r.status != http.StatusOK {
			t.Errorf("%s answered %d while the slow bodies were open", path, r.status)
		}
	}
	for i, c := range conns {
		got := closedByServer(t, c)
		if strings.HasPrefix(got, "HTTP/1.1 2") || strings.HasPrefix(got, "HTTP/1.1 3") {
			t.Errorf("%s: a body of one byte out of 50 MB was taken: %.80q", targets[i%len(targets)].path, got)
		}
	}
}

// rawPost sends a request with headers and as much of its body as given,
// and returns the answer's status line, headers and body.
func rawPost(t *testing.T, site *liveSite, path string, header string, body []byte) (status int, head, page string) {
	t.Helper()
	addr := strings.TrimPrefix(site.base, "http://")
	c := dialFrom(t, "127.0.0.1", addr)
	go func() {
		// The server answers as soon as it has decided; what is not
		// read by then may fail to write, which is not the test's point.
		_, _ = fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nAccept-Language: es\r\n%s\r\n", path, addr, header)
		_, _ = c.Write(body)
	}()
	_ = c.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var h strings.Builder
	_ = resp.Header.Write(&h)
	if resp.Close {
		h.WriteString("Connection: close\r\n")
	}
	return resp.StatusCode, h.String(), string(b)
}

// Each route takes the body it needs: a form a megabyte, the upload forms
// files of SPORTELLO_UPLOAD_MAX_MB (two of them and the answers), and a
// larger body gets a page in the reader's language saying what to do.
func TestBodyLimitsByRoute(t *testing.T) {
	site := startLiveSite(t)
	const apply = "/services/report-missed-bin-collection/apply"
	uploadMax := sizeText(int(2*site.srv.forms.Options().MaxFileSize) + 1<<20)
	fileMax := sizeText(int(site.srv.forms.Options().MaxFileSize))

	// An ordinary form: 2 MB announced, refused once the first 16 KB are in.
	status, head, page := rawPost(t, site, "/services/report-a-pothole/feedback",
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n", bytes.Repeat([]byte("a"), 16<<10))
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(page, "Lo que ha enviado supera lo que admite esta página (1 MB como máximo)") {
		t.Errorf("a 2 MB form: %d %s", status, excerptMain(page))
	}
	if !strings.Contains(head, "Connection: close") {
		t.Errorf("the connection of an unread body is kept: %s", head)
	}
	// The upload route takes a large body only as a multipart form.
	status, _, page = rawPost(t, site, apply, "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n", bytes.Repeat([]byte("a"), 16<<10))
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(page, "1 MB como máximo") {
		t.Errorf("a 2 MB form that is not multipart, to the upload route: %d %s", status, excerptMain(page))
	}
	// Chunked, without a length: read up to the form limit.
	status, _, page = rawPost(t, site, "/", "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n", chunked(bytes.Repeat([]byte("a"), 2<<20)))
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(page, "1 MB como máximo") {
		t.Errorf("a chunked 2 MB form: %d %s", status, excerptMain(page))
	}

	// Over the upload limit: the whole body is read away first, so that a
	// browser shows this page rather than "connection reset".
	big := multipartBody(t, "b", map[string][]byte{"photo": bytes.Repeat([]byte{7}, 60<<20)})
	status, _, page = rawPost(t, site, apply, fmt.Sprintf("Content-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n", len(big)), big)
	want := fmt.Sprintf("Los archivos que ha elegido suman más de %s, lo máximo que un formulario puede enviar de una vez. Vuelva atrás y elija archivos más pequeños (cada uno puede tener hasta %s)", uploadMax, fileMax)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(page, want) {
		t.Errorf("a 60 MB upload: %d %s", status, excerptMain(page))
	}

	// Under it, a 5 MB photo reaches the form, which checks it (a photo
	// over the form's own 10 MB would be a field error, not a 413).
	b := site.browser(t, stopAtRedirects)
	form := b.get(apply)
	token := regexp.MustCompile(`name="_token" value="([^"]+)"`).FindStringSubmatch(form.body)
	if token == nil {
		t.Fatalf("no token on the form: %s", excerptMain(form.body))
	}
	photo := pngFile("bin.png")
	photo.content = append(photo.content, bytes.Repeat([]byte{7}, 5<<20)...)
	r := b.postMultipart(apply, url.Values{"_csrf": {csrfOf(t, form.body)}, "_token": {token[1]}, "_action": {"continue"}}, photo)
	if r.status != http.StatusUnprocessableEntity || strings.Contains(r.body, `id="photo-error"`) {
		t.Errorf("a 5 MB photo with the rest of the form empty: %d, want 422 without a photo error: %s", r.status, excerptMain(r.body))
	}
	if !strings.Contains(r.body, "bin.png") {
		t.Errorf("the 5 MB photo was not kept: %s", excerptMain(r.body))
	}
}

// chunked encodes b in chunks of 64 KB.
func chunked(b []byte) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		n := min(len(b), 64<<10)
		fmt.Fprintf(&out, "%x\r\n%s\r\n", n, b[:n])
		b = b[n:]
	}
	out.WriteString("0\r\n\r\n")
	return out.Bytes()
}

func multipartBody(t *testing.T, boundary string, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary(boundary); err != nil {
		t.Fatal(err)
	}
	for field, content := range files {
		fw, err := w.CreateFormFile(field, field+".png")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	_ = w.Close()
	return buf.Bytes()
}

// One address may keep MaxConnsPerIP connections open; the next is
// refused while others are served.
func TestConnectionsPerAddressAreCapped(t *testing.T) {
	site := startLiveSite(t, withLimits(Limits{MaxConnsPerIP: 3}))
	addr := strings.TrimPrefix(site.base, "http://")
	var held []net.Conn
	for range 3 {
		c := dialFrom(t, "127.0.0.7", addr)
		if !stillOpen(c) {
			t.Fatal("a connection within the cap was closed")
		}
		held = append(held, c)
	}
	over := dialFrom(t, "127.0.0.7", addr)
	if got := closedByServer(t, over); !strings.HasPrefix(got, "HTTP/1.1 429 ") {
		t.Errorf("a fourth connection from one address: %.60q", got)
	}
	if r := site.browser(t, followRedirects).get("/"); r.status != http.StatusOK {
		t.Errorf("another address was refused: %d", r.status)
	}
	// A closed connection gives its place back.
	held[0].Close()
	for i := 0; ; i++ {
		c := dialFrom(t, "127.0.0.7", addr)
		if stillOpen(c) {
			break
		}
		if i == 100 {
			t.Fatal("the cap never gave back the closed connection's place")
		}
	}
}

// The reverse proxies are not capped: every resident connects through them.
func TestTrustedProxiesAreNotCapped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	l := newConnLimiter(ln, 1, []string{"127.0.0.8", "127.0.1.0/24"})
	accepted := make(chan net.Conn, 10)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for _, from := range []string{"127.0.0.8", "127.0.0.8", "127.0.1.5", "127.0.1.5", "127.0.0.9"} {
		dialFrom(t, from, ln.Addr().String())
		<-accepted
	}
	over := dialFrom(t, "127.0.0.9", ln.Addr().String())
	if got := closedByServer(t, over); !strings.HasPrefix(got, "HTTP/1.1 429 ") {
		t.Errorf("a second connection from an address that is no proxy: %.60q", got)
	}
}

// The table of upload routes names routes the app has, so that a renamed
// route cannot silently lose its limit.
func TestUploadRoutesAreRoutes(t *testing.T) {
	site := startLiveSite(t)
	var posts []string
	for _, r := range site.srv.App().GetRoutes(true) {
		if r.Method == http.MethodPost {
			posts = append(posts, r.Path)
		}
	}
	for _, r := range site.srv.bodyRoutes {
		if p := strings.Join(r.pattern, "/"); !slices.Contains(posts, p) {
			t.Errorf("%s is not a POST route of the app", p)
		}
	}
}

func TestSizeText(t *testing.T) {
	for n, want := range map[int]string{1 << 20: "1 MB", 51 << 20: "51 MB", 3 << 19: "1.5 MB", 512 << 10: "512 KB", 1000: "1 KB"} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}
