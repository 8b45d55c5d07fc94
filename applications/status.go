package applications

import "slices"

// Status is where an application is in its life.
type Status string

// Statuses. The database keeps status as plain text: the transitions table
// is the authority.
const (
	StatusDraft          Status = "draft"
	StatusSubmitted      Status = "submitted"
	StatusInReview       Status = "in_review"
	StatusMoreInfoNeeded Status = "more_info_needed"
	StatusApproved       Status = "approved"
	StatusRejected       Status = "rejected"
	StatusWithdrawn      Status = "withdrawn"
	// StatusAwaitingPayment: sent, but its fee is due on application and not
	// paid yet, so it has not reached the council.
	StatusAwaitingPayment Status = "awaiting_payment"
	// StatusPaid: approved, and its fee due on approval has been paid.
	StatusPaid Status = "paid"
)

// Statuses are every status, in the order of a life: each needs a label in
// every language (the portal's message files have a test).
var Statuses = []Status{
	StatusDraft, StatusAwaitingPayment, StatusSubmitted, StatusInReview, StatusMoreInfoNeeded,
	StatusApproved, StatusRejected, StatusWithdrawn, StatusPaid,
}

// Roles an actor changes an application in. The staff roles have the same
// names as the portal's (web.RoleCaseworker, web.RoleAdmin).
const (
	RoleApplicant  = "applicant"
	RoleCaseworker = "caseworker"
	RoleAdmin      = "admin"
	RoleSystem     = "system" // the server itself, such as a payment webhook
	// RoleCounter is a member of staff sending an application with the
	// resident at the counter (SubmitInput.Counter): the first event's
	// actor, so that the history says who.
	RoleCounter = "counter"
)

// Actor is who does something to an application. PersonID is 0 for nobody
// signed in (an anonymous applicant) and for the system.
type Actor struct {
	PersonID int64
	Role     string
}

// Transition is one allowed change of status and the roles that may make it.
type Transition struct {
	From, To Status
	Roles    []string
}

var staff = []string{RoleCaseworker, RoleAdmin}

// transitions is the whole status machine, in one table.
var transitions = []Transition{
	{StatusDraft, StatusSubmitted, []string{RoleApplicant}},
	{StatusSubmitted, StatusInReview, staff},
	{StatusInReview, StatusMoreInfoNeeded, staff},
	{StatusMoreInfoNeeded, StatusInReview, []string{RoleApplicant}}, // the applicant's answer
	{StatusInReview, StatusApproved, staff},
	{StatusInReview, StatusRejected, staff},
	{StatusSubmitted, StatusWithdrawn, []string{RoleApplicant}},
	{StatusInReview, StatusWithdrawn, []string{RoleApplicant}},
	{StatusMoreInfoNeeded, StatusWithdrawn, []string{RoleApplicant}},
	// Fees. Only the provider's confirmed payment moves an application on
	// (payments.Fulfiller, through PaymentSucceeded), never a person.
	{StatusDraft, StatusAwaitingPayment, []string{RoleApplicant}}, // Submit, with a fee on application
	{StatusAwaitingPayment, StatusSubmitted, []string{RoleSystem}},
	{StatusAwaitingPayment, StatusWithdrawn, []string{RoleApplicant}},
	{StatusApproved, StatusPaid, []string{RoleSystem}}, // a fee on approval
}

// Transitions returns the status machine, for documentation pages and tests.
func Transitions() []Transition { return slices.Clone(transitions) }

// Allowed reports whether role may move an application from one status to
// another.
func Allowed(from, to Status, role string) bool {
	for _, t := range transitions {
		if t.From == from && t.To == to {
			return slices.Contains(t.Roles, role)
		}
	}
	return false
}

// Next returns the statuses role may move an application in status from to,
// so a page shows only the buttons that can work.
func Next(from Status, role string) []Status {
	var next []Status
	for _, t := range transitions {
		if t.From == from && slices.Contains(t.Roles, role) {
			next = append(next, t.To)
		}
	}
	return next
}

// Final reports whether nobody can decide anything more about an
// application. Recording its payment (approved -> paid, which only the
// system does) is not a decision, so approved stays final.
func (s Status) Final() bool {
	for _, t := range transitions {
		if t.From == s && !slices.Equal(t.Roles, []string{RoleSystem}) {
			return false
		}
	}
	return true
}

// councilsTurn are the statuses in which the council owes the next step, so
// an application in them past its due date is overdue. While more
// information is needed, the applicant owes it.
var councilsTurn = []Status{StatusSubmitted, StatusInReview}

// CouncilsTurn are the statuses in which the council owes the next step:
// the applications that need a caseworker.
func CouncilsTurn() []Status { return slices.Clone(councilsTurn) }
