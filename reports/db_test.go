package reports

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"math"
	"sync"
	"testing"
	"time"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/notify"
	"sportello/notify/notifytest"
	"sportello/store"
	"sportello/store/storetest"
)

// The store's tests run against SQLite always and PostgreSQL when
// SPORTELLO_TEST_POSTGRES is set, each in a fresh database.

type env struct {
	db   *store.DB
	apps *applications.Store
	s    *DB
	mu   sync.Mutex
	t    time.Time
}

func (e *env) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.t
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	e.t = e.t.Add(d)
	e.mu.Unlock()
}

// area is a box around the test town's centre, about 4 km across.
var (
	centre = Point{Lat: 41.3851, Lng: 2.1734}
	area   = BBox{South: 41.37, West: 2.15, North: 41.40, East: 2.20}
)

func eachDB(t *testing.T, test func(t *testing.T, e *env)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := &env{db: db, t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
		apps, err := applications.New(db, applications.Options{Now: e.now, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		e.apps = apps
		e.s = New(db, apps, Options{Area: &area, Now: e.now, Logger: slog.New(slog.DiscardHandler)})
		notifytest.AddPeople(t, db, 7, 8, 9, 900)
		test(t, e)
	})
}

func ptr[T any](v T) *T { return &v }

func en(s string) catalogue.Text { return catalogue.Text{"en": s} }

func service(slug string) *catalogue.Service {
	none := catalogue.AssuranceNone
	return &catalogue.Service{
		Slug: slug, Title: en("Report " + slug), Kind: catalogue.TransactionReport, Assurance: &none,
		OnlineForm: &catalogue.OnlineForm{Fields: []catalogue.Field{
			{Name: "location", Type: "location", Required: true, Label: en("Where is it?")},
			{Name: "description", Type: "textarea", Label: en("Describe it")},
			{Name: "photo", Type: "file", Label: en("Photo"), Accept: []string{"image/png"}},
		}},
	}
}

var pngData = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")

// offset is p moved north and east by metres.
func offset(p Point, north, east float64) Point {
	dLat := north / (earthRadius * math.Pi / 180)
	dLng := east / (earthRadius * math.Pi / 180 * math.Cos(p.Lat*math.Pi/180))
	return Point{p.Lat + dLat, p.Lng + dLng}
}

func (e *env) report(t *testing.T, slug string, p Point, person int64) *Report {
	t.Helper()
	token, err := applications.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.s.Create(context.Background(), NewReport{Token: token, Service: service(slug), CatalogueVersion: 1,
		PersonID: person, Lang: "en", Point: &p, Address: "Carrer Major 12", Description: "A deep hole"})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	e.advance(time.Minute)
	return r
}

func TestCreateRecordsTheReportWithItsApplication(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		token, _ := applications.NewToken()
		in := NewReport{Token: token, Service: service("pothole"), CatalogueVersion: 3, Lang: "es",
			Contact: applications.Contact{Email: "vecina@example.com"},
			Point:   ptr(offset(centre, 10, 0)), Address: " Carrer Major 12 ", Description: "A deep hole by the bus stop",
			Files: []forms.AcceptedFile{{Filename: "hole.png", ContentType: "image/png", Size: int64(len(pngData)),
				Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(pngData)), nil }}}}
		r, err := e.s.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusOpen || r.Address != "Carrer Major 12" || r.ServiceSlug != "pothole" || r.Reference == "" {
			t.Fatalf("report = %+v", r)
		}
		if r.Point == nil || math.Abs(r.Point.Lat-in.Point.Lat) > 1e-9 || math.Abs(r.Point.Lng-in.Point.Lng) > 1e-9 {
			t.Errorf("point = %v, want %v", r.Point, in.Point)
		}
		if len(r.Photos) != 1 || r.Photos[0].Filename != "hole.png" || r.Photos[0].ContentType != "image/png" {
			t.Errorf("photos = %+v", r.Photos)
		}
		app, err := e.apps.ForStaff(ctx, applications.Actor{PersonID: 900, Role: applications.RoleCaseworker}, r.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if a := app.Answers.Get("location"); a == nil || a.Address == nil || a.Address.Line1 != "Carrer Major 12" {
			t.Errorf("location answer = %+v", a)
		}
		if a := app.Answers.Get("description"); a == nil || a.Text != "A deep hole by the bus stop" {
			t.Errorf("description answer = %+v", a)
		}
		if a := app.Answers.Get("photo"); a == nil || len(a.Files) != 1 || a.Files[0].ID != r.Photos[0].FileID {
			t.Errorf("photo answer = %+v, photos %+v", a, r.Photos)
		}
		if got := notifytest.OfKind(notifytest.Outbox(t, e.db), notify.ApplicationReceived); len(got) != 1 {
			t.Errorf("received notices = %v, want the reporter's one", got)
		}
		// The same token again is the same report.
		again, err := e.s.Create(ctx, in)
		if err != nil || again.ID != r.ID {
			t.Fatalf("again = %+v, %v; want report %d", again, err, r.ID)
		}
		for _, get := range []func() (*Report, error){
			func() (*Report, error) { return e.s.Get(ctx, r.ID) },
			func() (*Report, error) { return e.s.ByReference(ctx, r.Reference) },
			func() (*Report, error) { return e.s.ByApplication(ctx, r.ApplicationID) },
		} {
			if got, err := get(); err != nil || got.ID != r.ID {
				t.Errorf("read = %+v, %v", got, err)
			}
		}
		if _, err := e.s.Get(ctx, r.ID+2); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown id: %v, want ErrNotFound", err)
		}
	})
}

func TestCreateRefusesABadPlaceOrService(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		permit := service("permit")
		permit.Kind = catalogue.TransactionApply
		for _, c := range []struct {
			name string
			svc  *catalogue.Service
			p    Point
			want error
		}{
			{"outside the council", service("pothole"), Point{40.4168, -3.7038}, ErrOutside},
			{"not on Earth", service("pothole"), Point{91, 2.17}, ErrInvalid},
			{"not NaN", service("pothole"), Point{math.NaN(), 2.17}, ErrInvalid},
			{"not a report", permit, centre, ErrInvalid},
			{"nowhere", service("pothole"), Point{}, ErrInvalid},
		} {
			token, _ := applications.NewToken()
			in := NewReport{Token: token, Service: c.svc, Point: &c.p, Address: "x"}
			if c.name == "nowhere" {
				in.Point, in.Address = nil, " "
			}
			_, err := e.s.Create(ctx, in)
			if !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		var n int
		if err := e.db.SQL().QueryRow("SELECT COUNT(*) FROM applications").Scan(&n); err != nil || n != 0 {
			t.Errorf("applications = %d, %v; want none made", n, err)
		}
	})
}

func TestAReportMayHaveAnAddressAlone(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		token, _ := applications.NewToken()
		r, err := e.s.Create(ctx, NewReport{Token: token, Service: service("pothole"), Address: "Plaça Nova, by the fountain"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Point != nil || r.Address != "Plaça Nova, by the fountain" {
			t.Errorf("report = %+v", r)
		}
		near, err := e.s.Nearby(ctx, NearbyQuery{Service: "pothole", Point: centre, Radius: 1e6})
		if err != nil || len(near) != 0 {
			t.Errorf("a report without a point is near %+v, %v", near, err)
		}
		if list, _, err := e.s.List(ctx, Filter{Area: &area}); err != nil || len(list) != 0 {
			t.Errorf("a report without a point is in a box: %+v, %v", list, err)
		}
		if list, _, err := e.s.List(ctx, Filter{}); err != nil || len(list) != 1 {
			t.Errorf("list = %+v, %v", list, err)
		}
	})
}

func TestNearbyFindsTheSameServiceWithinTheRadius(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		at := centre
		close1 := e.report(t, "pothole", offset(at, 12, 0), 0)    // 12 m north
		close2 := e.report(t, "pothole", offset(at, -20, -15), 0) // 25 m south-west
		e.report(t, "pothole", offset(at, 0, 31), 0)              // 31 m east: outside 30 m
		e.report(t, "pothole", offset(at, 22, 22), 0)             // 31.1 m diagonally: inside the box, outside the circle
		e.report(t, "graffiti", offset(at, 1, 0), 0)              // another service
		fixed := e.report(t, "pothole", offset(at, 2, 2), 0)      // fixed already
		if err := e.s.SetStatus(ctx, fixed.ID, StatusFixed, applications.Actor{PersonID: 900, Role: applications.RoleCaseworker}, ""); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Nearby(ctx, NearbyQuery{Service: "pothole", Point: at, Radius: 30})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != close1.ID || got[1].ID != close2.ID {
			t.Fatalf("nearby = %+v, want %d then %d", got, close1.ID, close2.ID)
		}
		if math.Abs(got[0].Distance-12) > 0.1 || math.Abs(got[1].Distance-25) > 0.1 {
			t.Errorf("distances = %v, %v; want 12 and 25", got[0].Distance, got[1].Distance)
		}
		all, err := e.s.Nearby(ctx, NearbyQuery{Service: "pothole", Point: at, Radius: 40, Statuses: Statuses})
		if err != nil || len(all) != 5 || all[0].ID != fixed.ID {
			t.Errorf("within 40 m, any status = %+v, %v; want 5, the fixed one first", all, err)
		}
		if none, err := e.s.Nearby(ctx, NearbyQuery{Service: "pothole", Point: offset(at, 500, 0)}); err != nil || len(none) != 0 {
			t.Errorf("500 m away = %+v, %v", none, err)
		}
	})
}

func TestListFilters(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		start := e.now()
		a := e.report(t, "pothole", offset(centre, 0, 0), 7)
		b := e.report(t, "pothole", offset(centre, 1000, 1000), 0)
		c := e.report(t, "graffiti", offset(centre, -1000, 0), 0)
		staff := applications.Actor{PersonID: 900, Role: applications.RoleCaseworker}
		if err := e.s.SetStatus(ctx, b.ID, StatusInProgress, staff, "Crew sent"); err != nil {
			t.Fatal(err)
		}
		ids := func(f Filter) []int64 {
			t.Helper()
			list, total, err := e.s.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			out := []int64{}
			for _, r := range list {
				out = append(out, r.ID)
			}
			if f.Limit == 0 && total != len(out) {
				t.Errorf("total %d, listed %d", total, len(out))
			}
			return out
		}
		north := BBox{South: centre.Lat - 0.001, West: centre.Lng - 0.001, North: centre.Lat + 0.02, East: centre.Lng + 0.02}
		for _, c := range []struct {
			name string
			f    Filter
			want []int64
		}{
			{"all, newest first", Filter{}, []int64{c.ID, b.ID, a.ID}},
			{"service", Filter{Services: []string{"pothole"}}, []int64{b.ID, a.ID}},
			{"status", Filter{Statuses: []Status{StatusInProgress}}, []int64{b.ID}},
			{"open potholes", Filter{Services: []string{"pothole"}, Statuses: []Status{StatusOpen}}, []int64{a.ID}},
			{"box", Filter{Area: &north}, []int64{b.ID, a.ID}},
			{"from", Filter{From: start.Add(time.Minute)}, []int64{c.ID, b.ID}},
			{"until", Filter{Until: start.Add(time.Minute)}, []int64{a.ID}},
			{"limit and offset", Filter{Limit: 1, Offset: 1}, []int64{b.ID}},
		} {
			if got := ids(c.f); !equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
		if _, total, err := e.s.List(ctx, Filter{Limit: 1}); err != nil || total != 3 {
			t.Errorf("total with a limit = %d, %v; want 3", total, err)
		}
	})
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSetStatusFollowsTheTransitionsAndTellsEveryone(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		r := e.report(t, "pothole", centre, 7)
		staff := applications.Actor{PersonID: 900, Role: applications.RoleCaseworker}
		if ok, err := e.s.AddSupporter(ctx, r.ID, Supporter{PersonID: 8, Lang: "it"}); !ok || err != nil {
			t.Fatalf("supporter 8: %v, %v", ok, err)
		}
		if ok, err := e.s.AddSupporter(ctx, r.ID, Supporter{Email: " Vecino@Example.com ", Lang: "es"}); !ok || err != nil {
			t.Fatalf("supporter by address: %v, %v", ok, err)
		}
		before := notifytest.Outbox(t, e.db)
		if err := e.s.SetStatus(ctx, r.ID, StatusInProgress, staff, " Crew on its way "); err != nil {
			t.Fatal(err)
		}
		told := notifytest.OfKind(notifytest.Added(before, notifytest.Outbox(t, e.db)), notify.ReportStatus)
		if len(told) != 3 {
			t.Fatalf("told %v, want the reporter and two supporters", told)
		}
		seen := map[string]bool{}
		for _, n := range told {
			if n.Data["status"] != "in_progress" || n.Data["note"] != "Crew on its way" || n.Data["ref"] != string(r.Reference) {
				t.Errorf("notice = %+v", n)
			}
			switch {
			case n.PersonID == 7 && n.Data["role"] == "reporter":
				seen["reporter"] = true
			case n.PersonID == 8 && n.Lang == "it" && n.Data["role"] == "supporter":
				seen["person"] = true
			case n.PersonID == 0 && n.Address == "vecino@example.com" && n.Lang == "es" && n.Data["role"] == "supporter":
				seen["address"] = true
			}
		}
		if len(seen) != 3 {
			t.Errorf("told %v; seen %v", told, seen)
		}

		for _, c := range []struct {
			to   Status
			want error
		}{
			{StatusInProgress, ErrInvalidTransition}, // the same
			{StatusFixed, nil},
			{StatusInProgress, ErrInvalidTransition}, // fixed is reopened first
			{Status("closed"), ErrInvalidTransition},
			{StatusOpen, nil},
			{StatusFixed, nil},
		} {
			e.advance(time.Minute)
			if err := e.s.SetStatus(ctx, r.ID, c.to, staff, ""); !errors.Is(err, c.want) && !(err == nil && c.want == nil) {
				t.Errorf("to %s: %v, want %v", c.to, err, c.want)
			}
		}
		got, err := e.s.Get(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var path []Status
		for _, ev := range got.Events {
			path = append(path, ev.To)
		}
		if got.Status != StatusFixed || len(path) != 4 || path[0] != StatusInProgress || path[3] != StatusFixed ||
			got.Events[0].Note != "Crew on its way" || got.Events[0].ActorPersonID != 900 || got.Events[0].From != StatusOpen {
			t.Errorf("status %s, events %+v", got.Status, got.Events)
		}
		if len(notifytest.OfKind(notifytest.Outbox(t, e.db), notify.ReportStatus)) != 4*3 {
			t.Errorf("four changes should each tell three people")
		}
		if err := e.s.SetStatus(ctx, r.ID+2, StatusFixed, staff, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown report: %v", err)
		}
	})
}

func TestSupporters(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		r := e.report(t, "pothole", centre, 7)
		for _, c := range []struct {
			name string
			s    Supporter
			want bool
		}{
			{"a person", Supporter{PersonID: 8}, true},
			{"the same person again", Supporter{PersonID: 8}, false},
			{"the reporter", Supporter{PersonID: 7}, false},
			{"an address", Supporter{Email: "a@example.com"}, true},
			{"the same address", Supporter{Email: "A@example.com"}, false},
			{"nobody in particular", Supporter{}, true},
			{"nobody in particular again", Supporter{}, true},
		} {
			if got, err := e.s.AddSupporter(ctx, r.ID, c.s); err != nil || got != c.want {
				t.Errorf("%s: %v, %v; want %v", c.name, got, err, c.want)
			}
		}
		got, err := e.s.Get(ctx, r.ID)
		if err != nil || got.Supporters != 4 {
			t.Errorf("supporters = %d, %v; want 4", got.Supporters, err)
		}
		if err := e.s.SetStatus(ctx, r.ID, StatusFixed, applications.Actor{PersonID: 900, Role: applications.RoleCaseworker}, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.AddSupporter(ctx, r.ID, Supporter{PersonID: 9}); !errors.Is(err, ErrConflict) {
			t.Errorf("supporting a fixed report: %v, want ErrConflict", err)
		}
		if _, err := e.s.AddSupporter(ctx, r.ID+2, Supporter{PersonID: 9}); !errors.Is(err, ErrNotFound) {
			t.Errorf("supporting no report: %v, want ErrNotFound", err)
		}
		// Deleting person 8's account forgets their support only.
		if err := e.db.Tx(ctx, func(tx *sql.Tx) error { return e.s.ErasePerson(ctx, tx, 8) }); err != nil {
			t.Fatal(err)
		}
		if got, err := e.s.Get(ctx, r.ID); err != nil || got.Supporters != 3 {
			t.Errorf("supporters after erasing person 8 = %d, %v; want 3", got.Supporters, err)
		}
	})
}

func TestGeometry(t *testing.T) {
	// One minute of latitude is a nautical mile, 1852 m, give or take the
	// sphere.
	if d := Distance(Point{41, 2}, Point{41 + 1.0/60, 2}); math.Abs(d-1853.2) > 1 {
		t.Errorf("a minute of latitude = %v m", d)
	}
	for _, p := range []Point{centre, {89.9999, 10}, {-33.9, 151.2}, {0, 179.9999}} {
		box := Around(p, 30)
		for _, q := range []Point{offset(p, 30, 0), offset(p, -30, 0), offset(p, 0, 30), offset(p, 0, -30)} {
			if q.Valid() && !box.Contains(q) {
				t.Errorf("box %v around %v misses %v at %v m", box, p, q, Distance(p, q))
			}
		}
	}
	for _, c := range []struct {
		in string
		ok bool
	}{{"41.37,2.15,41.40,2.20", true}, {"41.40,2.15,41.37,2.20", false}, {"1,2,3", false}, {"a,b,c,d", false}} {
		if _, err := ParseBBox(c.in); (err == nil) != c.ok {
			t.Errorf("ParseBBox(%q): %v", c.in, err)
		}
	}
	if p, err := ParseLatLng("41,3851", " 2.1734"); err != nil || p != centre {
		t.Errorf("ParseLatLng with a decimal comma = %v, %v", p, err)
	}
	if _, err := ParseLatLng("41.3", "181"); err == nil {
		t.Errorf("longitude 181 accepted")
	}
	if !Allowed(StatusOpen, StatusFixed) || Allowed(StatusFixed, StatusInProgress) || Allowed(StatusOpen, StatusOpen) {
		t.Errorf("Allowed disagrees with its documentation")
	}
}
