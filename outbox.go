package tether

import (
	"context"
	"time"
)

// Sending channels: which service carries a notice.
const (
	SendNotifyEmail  = "notify-email"
	SendNotifySMS    = "notify-sms"
	SendNotifyLetter = "notify-letter"
	SendSMTP         = "smtp"
	SendPrint        = "print" // rendered to PDF for the department's own post room
	SendHand         = "hand"  // recorded by a caseworker, never dispatched
	SendFile         = "file"  // placed on file, never dispatched
)

// Outbox item states.
const (
	OutboxPending = "pending" // waiting, or waiting to retry after NextAttemptAt
	OutboxLeased  = "leased"  // a dispatcher holds it until LeaseUntil
	OutboxDone    = "done"    // the channel accepted it
	OutboxFailed  = "failed"  // permanently failed
	// OutboxUnknown: the last attempt may have reached the channel (the
	// connection dropped after sending). The next attempt looks the notice
	// up by its reference before sending again.
	OutboxUnknown = "unknown"
)

// OutboxItem is a notice waiting to be sent. The notice was committed before
// the item existed; the item's Ref is the idempotency reference the channel
// receives, so that a retry or a second dispatcher never sends twice.
type OutboxItem struct {
	ID            int64      `json:"id"`
	NoticeID      int64      `json:"notice_id"`
	Channel       string     `json:"channel"`
	Ref           string     `json:"ref"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LeasedBy      string     `json:"leased_by,omitempty"`
	LeaseUntil    *time.Time `json:"lease_until,omitempty"`
	LastError     string     `json:"last_error,omitempty"` // no personal data
	// PriorUnknown is true when an earlier attempt's outcome is unknown:
	// look up by Ref before sending.
	PriorUnknown bool      `json:"prior_unknown"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// Notice is loaded with the item when claimed.
	Notice *Notice `json:"-"`
}

// ChannelState is a sending channel's health: consecutive failures pause it
// until PausedUntil, and the status page shows it.
type ChannelState struct {
	Channel             string     `json:"channel"`
	ConsecutiveFailures int        `json:"consecutive_failures"`
	PausedUntil         *time.Time `json:"paused_until,omitempty"`
	LastError           string     `json:"last_error,omitempty"`
	LastSuccessAt       *time.Time `json:"last_success_at,omitempty"`
	LastFailureAt       *time.Time `json:"last_failure_at,omitempty"`
	Pending             int        `json:"pending"`
	Sent                int        `json:"sent"`
	Failed              int        `json:"failed"`
}

// Accepted is an outbox item its channel accepted, with the channel's id
// for it.
type Accepted struct {
	ItemID     int64
	ProviderID string
}

// OutboxService is what a dispatcher needs from storage. Every method is
// one transaction that records the notice's timeline event and audit entry
// with the item's change.
type OutboxService interface {
	// ClaimOutbox leases up to n due items of the given channels (all when
	// empty) that are not paused, for lease; a crashed dispatcher's lease
	// runs out and the item is claimed again.
	ClaimOutbox(ctx context.Context, worker string, channels []string, n int, lease time.Duration) ([]*OutboxItem, error)
	// OutboxSent records that the channel accepted the item.
	OutboxSent(ctx context.Context, itemID int64, worker, providerID string) error
	// OutboxSentMany records many accepted items in one transaction: all
	// of them, or (on any error) none.
	OutboxSentMany(ctx context.Context, worker string, sent []Accepted) error
	// OutboxRetry records a temporary failure and when to try again.
	OutboxRetry(ctx context.Context, itemID int64, worker, reason string, at time.Time, unknownOutcome bool) error
	// OutboxFail records a permanent failure: the notice fails and a task
	// opens. When contactFault, the channel refused the contact point itself
	// (not a valid number, an address that cannot be printed): the point is
	// marked failed and a contact-lapse signal is raised as well. A failure
	// of the channel (attempts used up, a set-up the channel refuses) leaves
	// the contact point alone.
	OutboxFail(ctx context.Context, itemID int64, worker, reason string, contactFault bool) error
	// ChannelSucceeded and ChannelFailed keep channel health; ChannelFailed
	// pauses the channel until the given time when failures reach the limit.
	ChannelSucceeded(ctx context.Context, channel string) error
	ChannelFailed(ctx context.Context, channel, reason string, pauseAfter int, pauseFor time.Duration) error
	ChannelStates(ctx context.Context) ([]*ChannelState, error)
}
