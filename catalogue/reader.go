package catalogue

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
)

// Reader reads a catalogue file too large to hold, such as one of 100,000
// services, for `sportello import`: the same checks as Load, every problem
// with its JSON path, but one service at a time. Held whole, the decoded
// services of 100,000 took 860 MB (every text is a map of languages) and
// the file itself 370 MB.
//
// It reads the file twice. ReadFile reads it all through once, checking the
// type of every value, and keeps what is not a service (topics, departments,
// questions, journeys...) and the services' slugs; then Services reads it
// again, decoding, checking and handing over one service at a time, so that
// they can be written as they go. A service's references to topics,
// departments, life events and other services are checked against the
// entries and slugs of the first reading; the journeys' and business
// types', after the last service, as Validate does.
type Reader struct {
	open    func() (io.ReadCloser, error)
	cat     Catalogue // without services
	slugs   int       // how many services the first reading found
	lists   []bool    // for each member of the file's object: a list of services, read again by Services
	types   typeChecker
	v       validator
	sum     []byte // of the file, to know it did not change between the readings
	checked bool   // Services has run
}

// ReadFile reads the catalogue file at path once, as Reader says. Broken
// JSON syntax is returned as a *ValidationError at once, as by Load; any
// other problem is found and returned by Services.
func ReadFile(path string) (*Reader, error) {
	return readTwice(func() (io.ReadCloser, error) { return os.Open(path) }, Limits{})
}

func readTwice(open func() (io.ReadCloser, error), lim Limits) (*Reader, error) {
	f, err := open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	src := &recordedErr{r: io.TeeReader(f, h)}
	r := &Reader{open: open}
	services := member("", "services")
	serviceType := reflect.TypeFor[Service]()
	var slugs []string
	root, err := readTree(src, lim.MaxValues, func(array, path string, n *node) bool {
		if array != services {
			return false
		}
		r.types.check(n, serviceType, path)
		slugs = append(slugs, slugOf(n))
		return true
	})
	if src.err != nil {
		return nil, src.err
	}
	lines := fileLines(open)
	if err != nil {
		return nil, &ValidationError{Problems: []Problem{syntaxProblem(err, lines)}}
	}
	r.sum = h.Sum(nil)
	r.types.check(root, reflect.TypeFor[Catalogue](), "")
	if err := r.types.placeLines(lines); err != nil {
		return nil, err
	}
	if root.kind == nodeObject {
		r.lists = make([]bool, len(root.keys))
		for i, k := range root.keys {
			r.lists[i] = k == "services" && root.values[i].kind == nodeArray
		}
	}
	// All but the services, as encoding/json decodes them: from the tree,
	// whose lists of services are empty.
	if err := json.Unmarshal(root.appendJSON(nil), &r.cat); err != nil && r.types.count() == 0 {
		return nil, &ValidationError{Problems: []Problem{{Message: "decoding a type-checked catalogue: " + err.Error()}}}
	}
	r.cat.Services = nil
	r.slugs = len(slugs)
	r.v = validator{c: &r.cat}
	r.v.start(len(slugs), func(i int) string { return slugs[i] })
	return r, nil
}

// Catalogue returns everything the file holds but its services.
func (r *Reader) Catalogue() *Catalogue { return &r.cat }

// Clean reports whether the file has no problem so far: none found by the
// first reading, nor by Services up to where it is.
func (r *Reader) Clean() bool { return r.types.count() == 0 && r.v.count() == 0 }

// Services reads the file a second time and calls yield with each service,
// in order, once it is checked, for as long as the file has no problem:
// after the first one, the services are still read and checked, to list
// every problem, but no longer handed over. It returns yield's first error,
// or a *ValidationError listing every problem of the file, as Load does, or
// nil when there is none and every service was handed over. yield may be
// nil, to check the file only.
func (r *Reader) Services(yield func(*Service) error) error {
	if r.checked {
		return errors.New("catalogue: the services of a file are read once")
	}
	r.checked = true
	f, err := r.open()
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	src := &recordedErr{r: io.TeeReader(f, h)}
	whole, err := r.eachService(json.NewDecoder(src), yield)
	if src.err != nil {
		return src.err
	}
	if err != nil {
		return err
	}
	if whole {
		if _, err := io.Copy(io.Discard, src); err != nil {
			return err
		}
		if !bytes.Equal(h.Sum(nil), r.sum) {
			return errChanged
		}
	}
	r.v.finish()
	return joinProblems(r.types.err(), r.v.err())
}

var errChanged = errors.New("the file changed while it was being read; nothing was written: import it again")

// eachService decodes and checks the services of every list the first
// reading found. whole is false when it stopped early because there were
// problems enough.
func (r *Reader) eachService(dec *json.Decoder, yield func(*Service) error) (whole bool, err error) {
	// The first reading found the file well-formed: an error here means
	// it is no longer the same file.
	token := func(want json.Delim) error {
		tok, err := dec.Token()
		if err != nil || tok != want {
			return errChanged
		}
		return nil
	}
	if len(r.lists) == 0 {
		return true, nil // not an object: no services
	}
	if err := token('{'); err != nil {
		return false, err
	}
	n := 0
	for k := 0; dec.More(); k++ {
		if _, err := dec.Token(); err != nil { // the member's name
			return false, errChanged
		}
		if k >= len(r.lists) || !r.lists[k] {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return false, errChanged
			}
			continue
		}
		if err := token('['); err != nil {
			return false, err
		}
		for i := 0; dec.More(); i++ {
			s := new(Service)
			// A value of the wrong type is left at its zero value, as
			// Load leaves it; the first reading reported it.
			var te *json.UnmarshalTypeError
			if err := dec.Decode(s); err != nil && !errors.As(err, &te) {
				return false, errChanged
			}
			if n++; n > r.slugs {
				return false, errChanged
			}
			if !r.v.nextService(i, s) {
				return false, nil
			}
			if yield != nil && r.Clean() {
				if err := yield(s); err != nil {
					return false, err
				}
			}
		}
		if err := token(']'); err != nil {
			return false, err
		}
	}
	if err := token('}'); err != nil {
		return false, err
	}
	if n != r.slugs {
		return false, errChanged
	}
	return true, nil
}

// slugOf is the slug of a service's tree, as encoding/json decodes it: the
// last string of a member named "slug" in any case.
func slugOf(n *node) string {
	slug := ""
	if n.kind != nodeObject {
		return ""
	}
	for i, k := range n.keys {
		if strings.EqualFold(k, "slug") && n.values[i].kind == nodeString {
			slug = n.values[i].literal
		}
	}
	return slug
}

// appendJSON writes the tree back as JSON: the same values, in the same
// order, members named twice and all.
func (n *node) appendJSON(b []byte) []byte {
	switch n.kind {
	case nodeNull:
		return append(b, "null"...)
	case nodeBool, nodeNumber:
		return append(b, n.literal...)
	case nodeString:
		q, _ := json.Marshal(n.literal)
		return append(b, q...)
	case nodeArray:
		b = append(b, '[')
		for i, v := range n.values {
			if i > 0 {
				b = append(b, ',')
			}
			b = v.appendJSON(b)
		}
		return append(b, ']')
	default:
		b = append(b, '{')
		for i, k := range n.keys {
			if i > 0 {
				b = append(b, ',')
			}
			q, _ := json.Marshal(k)
			b = append(append(b, q...), ':')
			b = n.values[i].appendJSON(b)
		}
		return append(b, '}')
	}
}

// recordedErr keeps the first error of reading the file, which the decoder
// would report as broken JSON.
type recordedErr struct {
	r   io.Reader
	err error
}

func (e *recordedErr) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// fileLines finds lines by reading the file once more, from the start: only
// when there are problems to place.
func fileLines(open func() (io.ReadCloser, error)) lineFinder {
	return func(spots []spot) ([]int, error) {
		f, err := open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		order := make([]int, len(spots))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int {
			if spots[a].offset < spots[b].offset {
				return -1
			}
			if spots[a].offset > spots[b].offset {
				return 1
			}
			return 0
		})
		br := bufio.NewReaderSize(f, 64<<10)
		buf := make([]byte, 64<<10)
		pos, line := int64(0), 1
		lines := make([]int, len(spots))
		for _, i := range order {
			s := spots[i]
			for pos < s.offset {
				n, err := io.ReadFull(br, buf[:min(int64(len(buf)), s.offset-pos)])
				line += bytes.Count(buf[:n], []byte{'\n'})
				pos += int64(n)
				if err == io.EOF || err == io.ErrUnexpectedEOF {
					break
				}
				if err != nil {
					return nil, err
				}
			}
			for s.value {
				c, err := br.ReadByte()
				if err == io.EOF {
					break
				}
				if err != nil {
					return nil, err
				}
				if !isSeparator(c) {
					br.UnreadByte()
					break
				}
				if c == '\n' {
					line++
				}
				pos++
			}
			lines[i] = line
		}
		return lines, nil
	}
}
