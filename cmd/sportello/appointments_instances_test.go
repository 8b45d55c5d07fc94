package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

var (
	dayLink  = regexp.MustCompile(`<li><a href="(/services/book-an-appointment-citizen-desk/book/citizen-services/\d{4}-\d\d-\d\d)">`)
	timeLink = regexp.MustCompile(`name="time" value="(\d+)"`)
)

// lastTimeOnce: the Citizen Desk has three counters. Two people book a
// time on A; then six more, each with the form open, half on A and half on
// B, book the same time at the same moment. Exactly one gets the last
// counter; the others are told it has just been taken (409). The unique
// key of the database decides, not either instance.
func lastTimeOnce(t *testing.T, a, b *instance) {
	first := newPerson(t)
	days := first.get(a, "/services/book-an-appointment-citizen-desk/book")
	m := dayLink.FindStringSubmatch(days.body)
	if m == nil {
		t.Fatalf("no day with a free time (%d at %s)", days.status, days.url)
	}
	times := first.get(a, m[1])
	// The day's last time: the earlier ones may pass while the test runs.
	all := timeLink.FindAllStringSubmatch(times.body, -1)
	if len(all) == 0 {
		t.Fatalf("no free time on %s", m[1])
	}
	start := all[len(all)-1][1]
	details := m[1] + "/details"
	book := func(p *person, in *instance, csrf string) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodPost, in.base+details, strings.NewReader(url.Values{
			"_csrf": {csrf}, "time": {start}, "name": {"Someone"}, "email": {"someone@example.org"},
		}.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		return req, err
	}
	for range 2 {
		p := newPerson(t)
		csrf, _ := tokens(t, p.get(a, details+"?time="+start))
		req, err := book(p, a, csrf)
		if err != nil {
			t.Fatal(err)
		}
		if r := p.do(req); r.status != http.StatusOK || !strings.HasPrefix(r.url.Path, "/appointments/manage/") {
			t.Fatalf("booking one of the first two counters: %d at %s", r.status, r.url)
		}
	}
	const n = 6
	reqs := make([]*http.Request, n)
	people := make([]*person, n)
	for i := range n {
		in := a
		if i%2 == 1 {
			in = b
		}
		people[i] = newPerson(t)
		csrf, _ := tokens(t, people[i].get(in, details+"?time="+start))
		var err error
		if reqs[i], err = book(people[i], in, csrf); err != nil {
			t.Fatal(err)
		}
	}
	statuses := make([]int, n)
	paths := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := people[i].client.Do(reqs[i])
			if err != nil {
				return
			}
			res.Body.Close()
			statuses[i], paths[i] = res.StatusCode, res.Request.URL.Path
		}()
	}
	wg.Wait()
	won := 0
	for i := range n {
		switch {
		case statuses[i] == http.StatusOK && strings.HasPrefix(paths[i], "/appointments/manage/"):
			won++
		case statuses[i] != http.StatusConflict:
			t.Errorf("person %d: %d at %s, want the appointment or 409", i, statuses[i], paths[i])
		}
	}
	if won != 1 {
		t.Errorf("%d people got the last counter, want exactly 1 (statuses %v)", won, statuses)
	}
}
