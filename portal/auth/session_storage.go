package auth

import (
	"context"
	"time"

	"sportello/accounts"
)

// sessionStorage is the fiber.Storage behind Fiber's session store, over
// the accounts' sessions, so that the CSRF middleware's tokens live in the
// same server-side session row as the sign-in. key is the session id from
// the cookie.
type sessionStorage struct {
	sessions       accounts.Sessions
	idle, absolute time.Duration
}

// storageTimeout bounds the fiber.Storage methods, which get no context.
const storageTimeout = 5 * time.Second

// Get returns nil, nil for an unknown or expired session, as Fiber's
// contract asks.
func (s sessionStorage) Get(key string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	return s.sessions.SessionData(ctx, key)
}

func (s sessionStorage) Set(key string, val []byte, exp time.Duration) error {
	if exp <= 0 {
		exp = s.idle
	}
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	return s.sessions.SaveSessionData(ctx, key, val, exp, s.absolute)
}

func (s sessionStorage) Delete(key string) error {
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	return s.sessions.DeleteSession(ctx, key)
}

// Reset ends every session (everyone is signed out).
func (s sessionStorage) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	return s.sessions.DeleteAllSessions(ctx)
}

// Close does nothing: the database belongs to the caller.
func (s sessionStorage) Close() error { return nil }
