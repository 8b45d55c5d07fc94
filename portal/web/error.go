package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/catalogue"
	"sportello/payments"
)

// Error is returned by handlers. The central ErrorHandler renders
// templates/error.html with the translation of Key, logs Cause (never shown)
// and answers with Status.
type Error struct {
	Status int    // HTTP status
	Key    string // translation key of the message a resident sees
	Cause  error  // logged, never shown; may be nil
	// Args are the message's arguments in pairs ("Max", "1 MB"); may be nil.
	Args []any
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

// ArgsOf is the message arguments of err when it is an *Error.
func ArgsOf(err error) []any {
	var we *Error
	if errors.As(err, &we) {
		return we.Args
	}
	return nil
}

// StepUp is the answer to someone whose sign-in is below the level of
// assurance a page needs: the central error handler sends them to sign in
// again at Level, coming back to ReturnTo.
type StepUp struct{ Level, ReturnTo string }

func (e *StepUp) Error() string { return "the sign-in is below the level of assurance " + e.Level }

// statusOf is the one table of what every area's errors mean over HTTP:
// the status and the message a reader sees. The first match wins, so
// specific errors come before the general ones they wrap.
var statusOf = []struct {
	err    error
	status int
	key    string // "" for the status's generic message
}{
	{catalogue.ErrNotFound, http.StatusNotFound, ""},
	{catalogue.ErrInvalid, http.StatusBadRequest, ""},
	{applications.ErrInvalidTransition, http.StatusConflict, "applications.error.transition"},
	{applications.ErrConflict, http.StatusConflict, "applications.error.conflict"},
	{applications.ErrPendingQuota, http.StatusRequestEntityTooLarge, "apply.error.pending_quota"},
	{payments.ErrNotSimulated, http.StatusNotFound, ""},
	{payments.ErrAlreadyPaid, http.StatusConflict, "payments.error.already_paid"},
	{payments.ErrUnderReview, http.StatusConflict, "payments.error.under_review"},
	{payments.ErrInProgress, http.StatusConflict, "payments.error.in_progress"},
	{payments.ErrNotOpen, http.StatusConflict, "payments.error.not_open"},
	{payments.ErrProvider, http.StatusBadGateway, "payments.error.provider"},
	{payments.ErrInvalid, http.StatusBadRequest, ""},
	{context.DeadlineExceeded, http.StatusServiceUnavailable, ""},
}

// Classify is the status and message key of any error a handler returns:
// an *Error says so itself, a Fiber error carries its code, an area's
// error is looked up in the table above, and anything else is a 500.
func Classify(err error) (status int, key string) {
	var we *Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &we):
		return we.Status, we.Key
	case errors.As(err, &fe):
		return fe.Code, StatusKey(fe.Code)
	}
	for _, e := range statusOf {
		if errors.Is(err, e.err) {
			return e.status, cmp.Or(e.key, StatusKey(e.status))
		}
	}
	return http.StatusInternalServerError, StatusKey(http.StatusInternalServerError)
}

// FormProblem is one entry of a form's error summary: the id of the field
// it is about and what to do.
type FormProblem struct {
	ID      string
	Message string
}
