package tether

import "time"

// Channel statuses as GOV.UK Notify reports them, plus "returned" for a
// returned-letter report.
const (
	StatusCreated           = "created"
	StatusSending           = "sending"
	StatusPending           = "pending"
	StatusSent              = "sent"
	StatusDelivered         = "delivered"
	StatusPermanentFailure  = "permanent-failure"
	StatusTemporaryFailure  = "temporary-failure"
	StatusTechnicalFailure  = "technical-failure"
	StatusAccepted          = "accepted"
	StatusReceived          = "received" // letters: printed and posted
	StatusCancelled         = "cancelled"
	StatusPendingVirusCheck = "pending-virus-check"
	StatusVirusScanFailed   = "virus-scan-failed"
	StatusValidationFailed  = "validation-failed"
	StatusReturned          = "returned"
)

// Delivery is what a channel status means for the notice.
type Delivery struct {
	State string // the notice's next state
	// ContactFailed: the contact point failed (a bounce, a permanent
	// failure, a returned letter): mark it failed, open a task, raise a
	// contact-lapse signal.
	ContactFailed bool
	// Posted: a letter was printed and posted; deemed service counts from it.
	Posted bool
	// Moved is false when the status leaves the notice as it was (a late or
	// repeated report); it is still kept on the timeline.
	Moved bool
}

// stateRank orders the states a notice passes through on its way out; a
// report never moves a notice to a lower rank. Final states rank highest.
var stateRank = map[string]int{
	NoticeQueued:    0,
	NoticeSending:   1,
	NoticeSent:      2,
	NoticeDelivered: 3,
	NoticeFailed:    4,
	NoticeCancelled: 4,
	NoticeReturned:  5,
}

// statusEffect is where each channel status takes a notice.
var statusEffect = map[string]Delivery{
	StatusCreated:           {State: NoticeSent},
	StatusSending:           {State: NoticeSent},
	StatusPending:           {State: NoticeSent},
	StatusSent:              {State: NoticeSent},
	StatusAccepted:          {State: NoticeSent},
	StatusPendingVirusCheck: {State: NoticeSent},
	StatusDelivered:         {State: NoticeDelivered},
	StatusReceived:          {State: NoticeDelivered, Posted: true},
	// Notify's temporary-failure is final for that message (an inbox full,
	// a phone off): the notice failed, the contact point did not.
	StatusTemporaryFailure: {State: NoticeFailed},
	StatusTechnicalFailure: {State: NoticeFailed},
	StatusVirusScanFailed:  {State: NoticeFailed},
	StatusValidationFailed: {State: NoticeFailed},
	StatusPermanentFailure: {State: NoticeFailed, ContactFailed: true},
	StatusCancelled:        {State: NoticeCancelled},
	StatusReturned:         {State: NoticeReturned, ContactFailed: true},
}

// KnownStatus reports whether s is a channel status ApplyStatus knows.
func KnownStatus(s string) bool { _, ok := statusEffect[s]; return ok }

// FinalState reports whether a notice in state s will not change again
// except by a returned-letter report.
func FinalState(s string) bool {
	switch s {
	case NoticeDelivered, NoticeFailed, NoticeCancelled, NoticeReturned, NoticeServedByHand, NoticeOnFile:
		return true
	}
	return false
}

// ApplyStatus says what a channel status does to a notice in state current.
// A status that arrives late never moves a notice backwards (a "sending"
// after "delivered" changes nothing but is still kept on the timeline); once
// failed or cancelled a notice stays so, but a delivered (posted) letter can
// still come back. Notices served by hand or to file are not moved by
// channel reports. EINVALID for an unknown status.
func ApplyStatus(current, status string) (Delivery, error) {
	eff, ok := statusEffect[status]
	if !ok {
		return Delivery{}, Invalid("status", "unknown delivery status "+quote(status))
	}
	same := Delivery{State: current}
	cur, known := stateRank[current]
	if !known {
		return same, nil // served by hand or to file
	}
	next := stateRank[eff.State]
	switch {
	case current == NoticeFailed || current == NoticeCancelled || current == NoticeReturned:
		return same, nil
	case current == NoticeDelivered && eff.State != NoticeReturned:
		return same, nil
	case next < cur:
		return same, nil
	case next == cur:
		// The same state again: a repeated report.
		same.Posted = eff.Posted
		return same, nil
	}
	eff.Moved = true
	return eff, nil
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return "\"" + s + "\""
}

// Backoff policy for temporary failures: 30 s doubling to at most an hour.
const (
	BackoffBase = 30 * time.Second
	BackoffMax  = time.Hour
)

// Backoff is how long to wait before retry number attempt (1, 2, ...) after
// a temporary failure; retryAfter from the channel wins when longer.
func Backoff(attempt int, retryAfter time.Duration) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := BackoffMax
	if attempt <= 12 {
		d = BackoffBase << (attempt - 1)
		if d > BackoffMax {
			d = BackoffMax
		}
	}
	if retryAfter > d {
		d = retryAfter
	}
	return d
}

// DeliveryReport is a status a channel reported for a notice: by callback
// (GOV.UK Notify's delivery receipts) or by polling. The notice is found by
// the channel's id for it, else by our reference.
type DeliveryReport struct {
	ProviderID string
	Ref        string
	Status     string    // a channel status: tether.StatusDelivered...
	At         time.Time // when the channel says it happened; now when zero
	Source     string    // "notify-callback", "notify-poll"...
	Detail     string    // no personal data
}

// ReturnedLetter is a report that a letter came back undelivered.
type ReturnedLetter struct {
	ProviderID string
	Ref        string
	ReturnedOn string // YYYY-MM-DD
	Detail     string // no personal data
}
