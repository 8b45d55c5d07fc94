package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/editorial"
)

func serviceDoc(t *testing.T, s catalogue.Service) []byte {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func renamed(c *catalogue.Catalogue, slug, title string) catalogue.Service {
	s, _ := c.Service(slug)
	out := *s
	out.Title = catalogue.Text{"en": title}
	for l := range s.Title {
		if l != "en" {
			out.Title[l] = s.Title[l]
		}
	}
	return out
}

func TestDraftsDoNotChangeThePublishedCatalogue(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		c := demo(t)
		res := mustImport(t, db, c)
		const slug = "report-a-pothole"
		edited := renamed(c, slug, "Report a road defect")

		rev, err := db.SaveDraft(ctx, editorial.SaveRequest{Kind: catalogue.KindService, Slug: slug, Doc: serviceDoc(t, edited), Author: "Élodie", Status: editorial.StatusDraft})
		if err != nil {
			t.Fatalf("SaveDraft: %v", err)
		}
		if rev.Number != 1 || rev.Status != editorial.StatusDraft {
			t.Errorf("first save = revision %d %s, want 1 draft", rev.Number, rev.Status)
		}
		pub, err := db.Service(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		if pub.Title["en"] != "Report a pothole" {
			t.Errorf("the published title changed to %q before publishing", pub.Title["en"])
		}
		if v, _ := db.Version(ctx); v != res.Version {
			t.Errorf("a draft moved the catalogue version from %d to %d", res.Version, v)
		}
		d, err := db.Draft(ctx, catalogue.KindService, slug)
		if err != nil {
			t.Fatalf("Draft: %v", err)
		}
		if d.Number != 1 || !bytes.Contains(d.Doc, []byte("Report a road defect")) || d.UpdatedBy != "Élodie" {
			t.Errorf("draft = %+v", d)
		}
		if _, err := db.Draft(ctx, catalogue.KindService, "order-a-new-bin"); !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("editorial.Draft of an entry without one: %v, want ErrNotFound", err)
		}
	})
}

func TestSaveConflictKeepsBothVersions(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		c := demo(t)
		mustImport(t, db, c)
		const slug = "report-a-pothole"
		save := func(base int64, title, who string) (editorial.Revision, error) {
			return db.SaveDraft(ctx, editorial.SaveRequest{Kind: catalogue.KindService, Slug: slug, Base: base,
				Doc: serviceDoc(t, renamed(c, slug, title)), Author: who, Status: editorial.StatusDraft})
		}
		// Both editors opened the published service (base 0).
		if _, err := save(0, "First editor's title", "A"); err != nil {
			t.Fatal(err)
		}
		kept, err := save(0, "Second editor's title", "B")
		var ce *editorial.ConflictError
		if !errors.As(err, &ce) || !errors.Is(err, catalogue.ErrConflict) {
			t.Fatalf("second save from the same base: %v, want a *editorial.ConflictError", err)
		}
		if ce.Current.Number != 1 || ce.Current.Author != "A" || kept.Status != editorial.StatusConflict || ce.Kept.Number != 2 {
			t.Errorf("conflict = current %d by %s, kept %d %s", ce.Current.Number, ce.Current.Author, ce.Kept.Number, kept.Status)
		}
		stored, err := db.Revision(ctx, catalogue.KindService, slug, 2)
		if err != nil || !bytes.Contains(stored.Doc, []byte("Second editor's title")) {
			t.Errorf("the refused save was not kept: %v %s", err, stored.Doc)
		}
		d, _ := db.Draft(ctx, catalogue.KindService, slug)
		if d.Number != 1 {
			t.Errorf("the draft moved to revision %d; a refused save must not change it", d.Number)
		}
		// The conflict revision does not move the lock: A saves again from 1.
		if n, _ := db.NewestRevision(ctx, catalogue.KindService, slug); n != 1 {
			t.Errorf("NewestRevision = %d, want 1", n)
		}
		if r, err := save(1, "Merged title", "B"); err != nil || r.Number != 3 {
			t.Errorf("save after reading the newest: revision %d, %v", r.Number, err)
		}
		revs, _ := db.Revisions(ctx, catalogue.KindService, slug)
		var statuses []string
		for _, r := range revs {
			statuses = append(statuses, r.Status)
		}
		if !slices.Equal(statuses, []string{editorial.StatusDraft, editorial.StatusConflict, editorial.StatusDraft}) {
			t.Errorf("revisions, newest first = %v", statuses)
		}
		log, _ := db.Audit(ctx, editorial.AuditFilter{Slug: slug})
		if len(log) != 3 || log[1].Action != "conflict" {
			t.Errorf("audit = %+v, want save, conflict, save", log)
		}
	})
}

func TestPublishUpdatesTheCatalogueAtOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		c := demo(t)
		res := mustImport(t, db, c)
		const slug = "report-a-pothole"
		doc := serviceDoc(t, renamed(c, slug, "Report a road defect"))
		rev, err := db.SaveDraft(ctx, editorial.SaveRequest{Kind: catalogue.KindService, Slug: slug, Doc: doc, Author: "Élodie", Status: editorial.StatusInReview})
		if err != nil {
			t.Fatal(err)
		}
		reviewBy := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
		if _, err := db.Publish(ctx, editorial.PublishRequest{Kind: catalogue.KindService, Slug: slug, Base: 0, Doc: doc, Actor: "Sam"}); !errors.Is(err, catalogue.ErrConflict) {
			t.Errorf("publishing from a stale revision: %v, want ErrConflict", err)
		}
		pr, err := db.Publish(ctx, editorial.PublishRequest{Kind: catalogue.KindService, Slug: slug, Base: rev.Number, Doc: doc, Actor: "Sam", Owner: "Roads team", ReviewBy: reviewBy})
		if err != nil {
			t.Fatalf("Publish: %v", err)
		}
		if pr.Version != res.Version+1 || pr.Revision != 2 {
			t.Errorf("Publish = %+v, want version %d revision 2", pr, res.Version+1)
		}
		s, err := db.Service(ctx, slug)
		if err != nil || s.Title["en"] != "Report a road defect" {
			t.Errorf("published service = %v, %v", s.Title, err)
		}
		ch, err := db.Changes(ctx, res.Version)
		if err != nil || len(ch.Services) != 1 || ch.Services[0].Slug != slug || ch.Version != pr.Version {
			t.Errorf("Changes since the import = %+v, %v", ch, err)
		}
		d, _ := db.Directory(ctx)
		sum, ok := d.Service(slug)
		if !ok || sum.Title.Text()["en"] != "Report a road defect" {
			t.Errorf("directory summary = %+v", sum)
		}
		if _, err := db.Draft(ctx, catalogue.KindService, slug); !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("the draft survived publishing: %v", err)
		}
		r, _ := db.ReviewOf(ctx, catalogue.KindService, slug)
		if r.Owner != "Roads team" || !r.ReviewBy.Equal(reviewBy) || r.PublishedBy != "Sam" || r.PublishedRevision != 2 {
			t.Errorf("review = %+v", r)
		}
		log, _ := db.Audit(ctx, editorial.AuditFilter{Kind: catalogue.KindService, Slug: slug, Limit: 1})
		if len(log) != 1 || log[0].Action != "publish" || log[0].Actor != "Sam" {
			t.Errorf("last audit line = %+v", log)
		}
		// The order of services is kept: an export lists it where it was.
		exp := mustExport(t, db)
		if i := slices.IndexFunc(exp.Services, func(s catalogue.Service) bool { return s.Slug == slug }); exp.Services[i].Slug != c.Services[i].Slug {
			t.Errorf("publishing moved the service to position %d", i)
		}
	})
}

func TestPublishNewEntriesAndArchive(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		c := demo(t)
		res := mustImport(t, db, c)

		fresh := c.Services[0]
		fresh.Slug = "adopt-a-street-tree"
		fresh.Title = catalogue.Text{"en": "Adopt a street tree"}
		fresh.Related = nil
		doc := serviceDoc(t, fresh)
		rev, err := db.SaveDraft(ctx, editorial.SaveRequest{Kind: catalogue.KindService, Slug: fresh.Slug, Doc: doc, Author: "Élodie", Status: editorial.StatusDraft})
		if err != nil {
			t.Fatal(err)
		}
		ls, err := db.Listings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ls, func(l editorial.Listing) bool { return l.Slug == fresh.Slug })
		if i < 0 || ls[i].Published || ls[i].Draft == nil || ls[i].Title["en"] != "Adopt a street tree" {
			t.Fatalf("listing of a new draft = %+v", ls[max(i, 0)])
		}
		if _, err := db.Publish(ctx, editorial.PublishRequest{Kind: catalogue.KindService, Slug: fresh.Slug, Base: rev.Number, Doc: doc, Actor: "Sam"}); err != nil {
			t.Fatal(err)
		}
		exp := mustExport(t, db)
		if last := exp.Services[len(exp.Services)-1].Slug; last != fresh.Slug {
			t.Errorf("a new service goes last; the last is %q", last)
		}

		topic := c.Topics[0]
		topic.Title = catalogue.Text{"en": "Bins and recycling"}
		tdoc, _ := json.Marshal(topic)
		if _, err := db.Publish(ctx, editorial.PublishRequest{Kind: catalogue.KindTopic, Slug: topic.Slug, Doc: tdoc, Actor: "Sam"}); err != nil {
			t.Fatal(err)
		}
		d, _ := db.Directory(ctx)
		if tp, _ := d.Topic(topic.Slug); tp.Title["en"] != "Bins and recycling" {
			t.Errorf("published topic = %v", tp.Title)
		}

		ar, err := db.Archive(ctx, fresh.Slug, "Sam", "")
		if err != nil {
			t.Fatalf("Archive: %v", err)
		}
		if _, err := db.Service(ctx, fresh.Slug); !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("an archived service is still served: %v", err)
		}
		ch, _ := db.Changes(ctx, ar.Version-1)
		if !slices.Equal(ch.Archived, []string{fresh.Slug}) {
			t.Errorf("Changes().Archived = %v", ch.Archived)
		}
		if _, err := db.Archive(ctx, fresh.Slug, "Sam", ""); !errors.Is(err, catalogue.ErrConflict) {
			t.Errorf("archiving twice: %v, want ErrConflict", err)
		}
		doc2, archived, err := db.PublishedDoc(ctx, catalogue.KindService, fresh.Slug)
		if err != nil || !archived || len(doc2) == 0 {
			t.Errorf("PublishedDoc of an archived service = archived %v, %v", archived, err)
		}
		if ar.Version != res.Version+3 {
			t.Errorf("three changes brought the version to %d, want %d", ar.Version, res.Version+3)
		}
	})
}

func TestImportAsAuditsAndSetsReviews(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		c := demo(t)
		reviewBy := time.Now().AddDate(1, 0, 0).Truncate(time.Second)
		res, err := db.ImportAs(ctx, c, "Sam", reviewBy)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Added) != len(c.Services) {
			t.Errorf("added %d services, want %d", len(res.Added), len(c.Services))
		}
		r, _ := db.ReviewOf(ctx, catalogue.KindService, c.Services[3].Slug)
		if !r.ReviewBy.Equal(reviewBy) || r.PublishedBy != "Sam" {
			t.Errorf("review after import = %+v", r)
		}
		log, _ := db.Audit(ctx, editorial.AuditFilter{})
		if len(log) != 1 || log[0].Action != "import" {
			t.Errorf("audit = %+v", log)
		}
	})
}

func TestSearchTuningAndInsights(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		id, err := db.SaveSynonymSet(ctx, editorial.SynonymSet{Lang: "en", Terms: []string{"bin", "wheelie bin", "dustbin"}}, "Élodie")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveSynonymSet(ctx, editorial.SynonymSet{Lang: "en", Terms: []string{"alone"}}, "Élodie"); !errors.Is(err, catalogue.ErrInvalid) {
			t.Errorf("one-term set: %v, want ErrInvalid", err)
		}
		if _, err := db.SaveSynonymSet(ctx, editorial.SynonymSet{ID: id, Lang: "en", Terms: []string{"bin", "dustbin"}}, "Élodie"); err != nil {
			t.Fatal(err)
		}
		sets, _ := db.SynonymSets(ctx)
		if len(sets) != 1 || !slices.Equal(sets[0].Terms, []string{"bin", "dustbin"}) {
			t.Errorf("synonym sets = %+v", sets)
		}
		if err := db.DeleteSynonymSet(ctx, id, "Élodie"); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSynonymSet(ctx, id, "Élodie"); !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("deleting twice: %v", err)
		}

		if err := db.SaveBestBet(ctx, editorial.BestBet{Lang: "en", Query: "parking", Slug: "resident-parking-permit"}, "Élodie"); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveBestBet(ctx, editorial.BestBet{Lang: "en", Query: "parking", Slug: "pay-a-parking-fine"}, "Élodie"); err != nil {
			t.Fatal(err)
		}
		bets, _ := db.BestBets(ctx)
		if len(bets) != 1 || bets[0].Slug != "pay-a-parking-fine" {
			t.Errorf("best bets = %+v", bets)
		}

		week := "2026-W07"
		add := []editorial.InsightCount{{Week: week, Lang: "en", Query: "bin", Searches: 3, Clicks: 1}, {Week: week, Lang: "en", Query: "zzz", Searches: 1, ZeroResults: 1}}
		clicks := []editorial.ServiceClicks{
			{Week: week, Lang: "en", Slug: "report-missed-bin-collection", Clicks: 2},
			{Week: week, Lang: "it", Slug: "report-missed-bin-collection", Clicks: 1},
			{Week: "2026-W01", Lang: "en", Slug: "report-missed-bin-collection", Clicks: 5},
			{Week: "2025-W52", Lang: "en", Slug: "report-missed-bin-collection", Clicks: 100},
		}
		if err := db.AddInsights(ctx, add, clicks); err != nil {
			t.Fatal(err)
		}
		if err := db.AddInsights(ctx, add[:1], clicks[:1]); err != nil {
			t.Fatal(err)
		}
		// Weeks compare as text across a new year.
		byService, err := db.ServiceClicks(ctx, "2026-W01")
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]map[string]int64{"en": {"report-missed-bin-collection": 9}, "it": {"report-missed-bin-collection": 1}}; !reflect.DeepEqual(byService, want) {
			t.Errorf("clicks per service = %v, want %v", byService, want)
		}
		got, _ := db.Insights(ctx, week, "en", 10)
		if len(got) != 2 || got[0].Query != "bin" || got[0].Searches != 6 || got[0].Clicks != 2 || got[1].ZeroResults != 1 {
			t.Errorf("insights = %+v", got)
		}
		if weeks, _ := db.InsightWeeks(ctx); !slices.Equal(weeks, []string{week}) {
			t.Errorf("weeks = %v", weeks)
		}

		at := time.Now()
		for _, useful := range []bool{true, false, false} {
			if err := db.AddFeedback(ctx, "report-a-pothole", useful, "en", "", at); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AddFeedback(ctx, "report-a-pothole", false, "es", "No dice dónde", at); err != nil {
			t.Fatal(err)
		}
		scores, _ := db.FeedbackScores(ctx)
		if len(scores) != 1 || scores[0].Useful != 1 || scores[0].NotUseful != 3 {
			t.Errorf("scores = %+v", scores)
		}
		comments, _ := db.FeedbackComments(ctx, "report-a-pothole", 10)
		if len(comments) != 1 || comments[0].Comment != "No dice dónde" || comments[0].Useful {
			t.Errorf("comments = %+v", comments)
		}

		a, err := db.Secret(ctx, "preview")
		if err != nil || len(a) != 32 {
			t.Fatalf("Secret = %x, %v", a, err)
		}
		if b, _ := db.Secret(ctx, "preview"); !bytes.Equal(a, b) {
			t.Error("the secret changed on the second read")
		}
	})
}
