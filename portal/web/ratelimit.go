package web

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Counter counts requests for the rate limits. store.DB is one: every
// instance on its database counts the same requests, so a client cannot
// spread its requests over the instances behind a load balancer.
type Counter interface {
	Hit(ctx context.Context, key string, window time.Duration, now time.Time) (int, time.Time, error)
}

// RateLimit lets each client make Max requests a Window through the
// handlers after it; the rest get Refuse's answer (a 429 page or error),
// with Retry-After saying when the window ends.
type RateLimit struct {
	Name   string // keeps this limit's counts apart from the others'
	Max    int
	Window time.Duration
	// Client names who is counted; nil counts by the client's address
	// (c.IP, which believes only the portal's trusted proxies).
	Client func(*fiber.Ctx) string
	Refuse fiber.Handler
}

// Handler counts each request with counter and refuses those over the
// limit. A request the counter fails to count fails: a limit that lets
// requests through while its counts are out of reach would not be one.
func (l RateLimit) Handler(counter Counter) fiber.Handler {
	return func(c *fiber.Ctx) error {
		client := c.IP()
		if l.Client != nil {
			client = l.Client(c)
		}
		n, end, err := counter.Hit(c.UserContext(), l.Name+":"+client, l.Window, time.Now())
		if err != nil {
			return err
		}
		if n > l.Max {
			wait := max(int(time.Until(end).Seconds()+0.999), 1)
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
			return l.Refuse(c)
		}
		return c.Next()
	}
}
