package dispatch

import (
	"context"
	"log/slog"
	"time"

	"tether"
	"tether/notify"
)

// PollStore is what the poller needs of the store.
type PollStore interface {
	NoticesToPoll(ctx context.Context, olderThan time.Duration, n int) ([]*tether.Notice, error)
	RecordDelivery(ctx context.Context, d tether.DeliveryReport) (*tether.Notice, error)
}

// Poller asks GOV.UK Notify for the status of notices it has not reported
// on, for when a callback is lost or never configured. What Notify says is
// recorded as a delivery report from "notify-poll", so the notice's
// timeline shows where each status came from.
type Poller struct {
	Store  PollStore
	Notify *notify.Client
	// OlderThan is how long a notice goes without news before it is asked
	// about (and between two questions about it).
	OlderThan time.Duration
	// Batch is how many notices one round takes; 0 means 100.
	Batch int
	Log   *slog.Logger
}

// PollStats counts what a poll did.
type PollStats struct {
	Asked    int `json:"asked"`
	Recorded int `json:"recorded"`
	Errors   int `json:"errors"`
}

// Poll asks about notices quiet for olderThan, batch by batch, until none
// is left or max have been asked (0: no limit). It returns an error only
// when the store fails; a look-up that fails is counted and the notice is
// asked about again after olderThan.
func (p *Poller) Poll(ctx context.Context, olderThan time.Duration, max int) (PollStats, error) {
	var st PollStats
	batch := p.Batch
	if batch <= 0 {
		batch = 100
	}
	for ctx.Err() == nil && (max == 0 || st.Asked < max) {
		n := batch
		if max > 0 {
			n = min(n, max-st.Asked)
		}
		notices, err := p.Store.NoticesToPoll(ctx, olderThan, n)
		if err != nil {
			return st, err
		}
		if len(notices) == 0 {
			break
		}
		for _, nt := range notices {
			st.Asked++
			got, err := p.Notify.Status(ctx, nt.ProviderID)
			if err != nil {
				st.Errors++
				if p.Log != nil {
					p.Log.Warn("poll: status look-up failed", "notice", nt.Ref, "reason", Reason(err))
				}
				continue
			}
			if got.Status == "" || got.Status == notify.StatusCreated || got.Status == notify.StatusSending ||
				got.Status == notify.StatusAccepted || got.Status == notify.StatusPending {
				continue // no news: still on its way
			}
			at := got.CreatedAt
			if got.CompletedAt != nil {
				at = *got.CompletedAt
			} else if got.SentAt != nil {
				at = *got.SentAt
			}
			if _, err := p.Store.RecordDelivery(ctx, tether.DeliveryReport{ProviderID: nt.ProviderID, Ref: nt.Ref,
				Status: got.Status, At: at, Source: "notify-poll"}); err != nil {
				if tether.ErrorCode(err) == tether.EINTERNAL {
					return st, err
				}
				st.Errors++
				if p.Log != nil {
					p.Log.Warn("poll: report not recorded", "notice", nt.Ref, "error", tether.ErrorCode(err))
				}
				continue
			}
			st.Recorded++
		}
	}
	return st, nil
}

// Run polls every interval until ctx ends.
func (p *Poller) Run(ctx context.Context, every time.Duration) {
	for ctx.Err() == nil {
		if st, err := p.Poll(ctx, p.OlderThan, 0); err != nil && ctx.Err() == nil && p.Log != nil {
			p.Log.Error("poll: store failed", "error", err.Error())
		} else if st.Asked > 0 && p.Log != nil {
			p.Log.Info("poll", "asked", st.Asked, "recorded", st.Recorded, "errors", st.Errors)
		}
		sleep(ctx, every)
	}
}
