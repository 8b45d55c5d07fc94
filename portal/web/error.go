package web

import (
	"fmt"
	"net/http"
)

// Error is returned by handlers. The central ErrorHandler renders
// templates/error.html with the translation of Key, logs Cause (never shown)
// and answers with Status.
type Error struct {
	Status int    // HTTP status
	Key    string // translation key of the message a resident sees
	Cause  error  // logged, never shown; may be nil
}

// NewError returns an Error. An empty key means the generic message for the
// status ("error.404", "error.500", ...).
func NewError(status int, key string, cause error) *Error {
	if key == "" {
		key = StatusKey(status)
	}
	return &Error{Status: status, Key: key, Cause: cause}
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Key, e.Cause)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Key)
}

func (e *Error) Unwrap() error { return e.Cause }

// StatusKey is the translation key of the generic message for an HTTP status.
// Statuses without their own message share the one of their class.
func StatusKey(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden,
		http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge,
		http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return fmt.Sprintf("error.%d", status)
	}
	if status >= 400 && status < 500 {
		return "error.400"
	}
	return "error.500"
}
