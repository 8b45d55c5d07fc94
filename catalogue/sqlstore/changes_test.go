package sqlstore

import (
	"context"
	"testing"

	"sportello/catalogue"
	"sportello/editorial"
)

// feedSeq is how many changes of topic the change feed has announced.
func feedSeq(t *testing.T, st *Store, topic string) int64 {
	t.Helper()
	var n int64
	err := st.db.SQL().QueryRowContext(context.Background(), st.db.Rebind(`SELECT COALESCE(MAX(seq), 0) FROM change_feed WHERE topic = ?`), topic).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Every change that other instances must follow is announced on the change
// feed, once, with the change: imports, publishing, archiving under the
// catalogue's topic, synonyms and best bets under the tuning's; an import
// that changes nothing and a draft are not.
func TestChangesAreAnnounced(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		c := demo(t)
		steps := []struct {
			name          string
			do            func() error
			catalogue, tu int64 // how far each topic's count moves
		}{
			{"first import", func() error { _, err := db.Import(ctx, c); return err }, 1, 0},
			{"the same import again", func() error { _, err := db.Import(ctx, c); return err }, 0, 0},
			{"a draft", func() error {
				_, err := db.SaveDraft(ctx, editorial.SaveRequest{Kind: catalogue.KindService, Slug: "report-a-pothole",
					Doc: serviceDoc(t, renamed(c, "report-a-pothole", "Report a road defect")), Author: "Élodie", Status: editorial.StatusDraft})
				return err
			}, 0, 0},
			{"publishing it", func() error {
				_, err := db.Publish(ctx, editorial.PublishRequest{Kind: catalogue.KindService, Slug: "report-a-pothole",
					Doc: serviceDoc(t, renamed(c, "report-a-pothole", "Report a road defect")), Base: 1, Actor: "Sam"})
				return err
			}, 1, 0},
			{"archiving a service", func() error { _, err := db.Archive(ctx, "report-a-pothole", "Sam", ""); return err }, 1, 0},
			{"a synonym set", func() error {
				_, err := db.SaveSynonymSet(ctx, editorial.SynonymSet{Lang: "en", Terms: []string{"bin", "dustbin"}}, "Élodie")
				return err
			}, 0, 1},
			{"a refused synonym set", func() error {
				_, err := db.SaveSynonymSet(ctx, editorial.SynonymSet{ID: 42, Lang: "en", Terms: []string{"a", "b"}}, "Élodie")
				if err == nil {
					t.Error("replacing a missing synonym set succeeded")
				}
				return nil
			}, 0, 0},
			{"a best bet", func() error {
				return db.SaveBestBet(ctx, editorial.BestBet{Lang: "en", Query: "parking", Slug: "resident-parking-permit"}, "Élodie")
			}, 0, 1},
			{"removing it", func() error { return db.DeleteBestBet(ctx, "en", "parking", "Élodie") }, 0, 1},
		}
		for _, s := range steps {
			cat, tu := feedSeq(t, db, catalogue.ChangeTopic), feedSeq(t, db, editorial.TuningTopic)
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if got := feedSeq(t, db, catalogue.ChangeTopic) - cat; got != s.catalogue {
				t.Errorf("%s announced %d catalogue changes, want %d", s.name, got, s.catalogue)
			}
			if got := feedSeq(t, db, editorial.TuningTopic) - tu; got != s.tu {
				t.Errorf("%s announced %d tuning changes, want %d", s.name, got, s.tu)
			}
		}
	})
}
