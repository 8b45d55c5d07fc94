package portal

import (
	"context"
	"fmt"
	"net"
	"time"
)

// Serve answers requests on ln until ctx ends (the binary's SIGTERM or
// SIGINT). Then it stops accepting: the listener closes, so new
// connections are refused and a load balancer moves on to another
// instance. The requests in flight are given drain to finish, idle
// keep-alive connections are closed, and Serve returns: nil when every
// request finished, an error when drain ran out first or serving failed.
func (s *Server) Serve(ctx context.Context, ln net.Listener, drain time.Duration) error {
	if s.cfg.Limits.MaxConnsPerIP > 0 {
		ln = newConnLimiter(ln, s.cfg.Limits.MaxConnsPerIP, s.cfg.TrustedProxies)
	}
	served := make(chan error, 1)
	go func() { served <- s.app.Listener(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	s.Log.Info("stopping: no new connections; letting the requests in flight finish", "drain", drain.String())
	stop, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	err := s.app.ShutdownWithContext(stop)
	// Shutdown closes the listener only once serving has begun; closing it
	// here too ends a Listener that had not got that far.
	ln.Close()
	<-served
	if err != nil {
		return fmt.Errorf("portal: requests still in flight after %v: %w", drain, err)
	}
	return nil
}
