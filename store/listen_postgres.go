package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ListenerApplicationName is the application_name of the connection that
// LISTENs for changes, as pg_stat_activity shows it.
const ListenerApplicationName = "sportello-listener"

const (
	// listenHeartbeat is how long the listener waits for a notification
	// before checking that its connection still answers: a connection that
	// died silently would otherwise leave the instance on polling alone
	// until TCP noticed, minutes later.
	listenHeartbeat = 30 * time.Second
	// The listener reconnects after a loss at first after listenRetryMin,
	// doubling up to listenRetryMax.
	listenRetryMin = 500 * time.Millisecond
	listenRetryMax = 30 * time.Second
)

// listenPostgres keeps a connection of its own that LISTENs on the
// target's channel and pokes the target at every notification, until ctx
// ends. It reconnects after a loss and pokes on every (re)connection, since
// notifications sent while it was away are lost; polling covers the gap.
func listenPostgres(ctx context.Context, t listenTarget) {
	retry := listenRetryMin
	for {
		err := listenOnce(ctx, t, func() { retry = listenRetryMin })
		if ctx.Err() != nil {
			return
		}
		t.log.Warn("store: the change listener's PostgreSQL connection failed; changes reach this instance by polling until it is back",
			"err", err, "retry_in", retry.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
		retry = min(2*retry, listenRetryMax)
	}
}

// listenOnce connects, listens and waits for notifications until the
// connection fails or ctx ends; connected is called once it listens.
func listenOnce(ctx context.Context, t listenTarget, connected func()) error {
	cfg, err := pgx.ParseConfig(t.url)
	if err != nil {
		return err
	}
	cfg.RuntimeParams["application_name"] = ListenerApplicationName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{t.channel}.Sanitize()); err != nil {
		return fmt.Errorf("LISTEN: %w", err)
	}
	connected()
	t.log.Info("store: listening for changes", "channel", t.channel)
	t.poke()
	for {
		wait, cancel := context.WithTimeout(ctx, listenHeartbeat)
		_, err := conn.WaitForNotification(wait)
		cancel()
		switch {
		case err == nil:
			t.poke()
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(wait.Err(), context.DeadlineExceeded):
			ping, cancel := context.WithTimeout(ctx, listenHeartbeat)
			err := conn.Ping(ping)
			cancel()
			if err != nil {
				return fmt.Errorf("heartbeat: %w", err)
			}
		default:
			return err
		}
	}
}
