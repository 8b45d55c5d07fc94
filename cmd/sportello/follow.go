package main

import (
	"context"
	"log/slog"
	"time"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal"
	"sportello/search"
	"sportello/store"
)

// follow keeps this instance up to date with what any instance (or
// `sportello import`) changes in the database, until ctx ends. A catalogue
// change brings the search index and the catalogue directory up to date (a
// change made through this instance already did, and the second time finds
// nothing to do); a change of synonyms or best bets gives the index the new
// tuning; a change of service alerts reloads the alerts pages show. The
// change feed tells at once on PostgreSQL (LISTEN/NOTIFY), and
// within poll on SQLite or while the listener is down; an update that
// fails is tried again every poll.
func follow(ctx context.Context, db *store.DB, poll time.Duration, cat catalogue.Store, index *search.Index, srv *portal.Server, log *slog.Logger) {
	updates := map[string]func(context.Context) error{
		catalogue.ChangeTopic: func(ctx context.Context) error {
			if err := index.CatchUp(ctx, cat); err != nil {
				return err
			}
			return srv.Reload(ctx)
		},
		editorial.TuningTopic: srv.ReloadTuning,
		editorial.AlertsTopic: srv.ReloadAlerts,
	}
	events := db.Listen(ctx, store.ListenOptions{Poll: poll, Log: log}, catalogue.ChangeTopic, editorial.TuningTopic, editorial.AlertsTopic)
	retry := time.NewTicker(poll)
	defer retry.Stop()
	due := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-events:
			if !ok {
				return
			}
			due[e.Topic] = true
		case <-retry.C:
		}
		for topic := range due {
			if err := updates[topic](ctx); err != nil {
				if ctx.Err() == nil {
					log.Error("following a change made elsewhere failed; trying again", "topic", topic, "err", err, "in", poll.String())
				}
				continue
			}
			delete(due, topic)
		}
	}
}
