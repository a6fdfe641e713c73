// Package notify is a client for GOV.UK Notify, the service government teams
// use to send email, text messages and letters, and the decoders for the
// callbacks Notify posts back (delivery receipts and returned-letter reports).
//
// Every send carries our reference, which is the notice's idempotency key.
// When a send's outcome is unknown (the connection dropped after the request
// went out), the error says so (IsUnknownOutcome) and the caller looks the
// reference up with ListByReference before sending again, so that a person is
// never sent the same notice twice.
//
// This package knows Notify's wire format and nothing of the domain: it must
// never import the root tether package, storage or web. The dispatcher maps
// Notify's statuses onto notices.
package notify
