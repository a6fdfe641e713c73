package tether

import "time"

// SweepRun is one run of a background sweep: which sweep, which instance
// ran it, when, how many items it handled, what it did in words, and the
// error that stopped it, if one did. Runs are kept; nothing is replaced.
type SweepRun struct {
	ID         int64     `json:"id"`
	Sweep      string    `json:"sweep"`
	Worker     string    `json:"worker"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Done       int       `json:"done"`
	Detail     string    `json:"detail,omitempty"`
	Error      string    `json:"error,omitempty"`
}
