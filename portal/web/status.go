package web

// The message keys of status labels. Pages build them here, and the label
// test checks every status of applications and payments against them.

// ApplicationStatusKey is the key of an application status's label.
func ApplicationStatusKey(status string) string { return "applications.status." + status }

// PaymentStatusKey is the key of a payment status's label.
func PaymentStatusKey(status string) string { return "payments.status." + status }

// RefundStatusKey is the key of a refund status's label.
func RefundStatusKey(status string) string { return "payments.refund.status." + status }
