package tether

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Lapses of contact. A lapse opens when a person in contact becomes at
// risk (StatusInContact to StatusAtRisk), keeps going while they are out of
// contact or declared an absconder, and closes when contact is
// re-established. A person has at most one open lapse. When it opens, a
// tracing plan is made from the playbook (reporting.Plan): dated attempts,
// each recorded as it is made, and the steps that did not apply with the
// reason, so that the record shows every attempt considered. The store
// opens, escalates and closes lapses in the same transaction as the status
// change (the one place a status changes), so the two never disagree.

// Actions of a lapse's history (LapseEvent.Action).
const (
	LapseActionOpened       = "opened"          // the person became at risk
	LapseActionSignal       = "signal"          // a further signal while the lapse is open (a failed call...)
	LapseActionOutOfContact = "out_of_contact"  // the person became out of contact: the same lapse
	LapseActionAbsconder    = "absconder"       // declared an absconder: the lapse stays open
	LapseActionPlan         = "plan"            // the tracing plan was made
	LapseActionTask         = "task"            // a task was opened for the plan's work
	LapseActionAttempt      = "attempt"         // a tracing attempt was recorded
	LapseActionOverdue      = "attempt_overdue" // an attempt passed its due day not done
	LapseActionClosed       = "closed"          // contact was re-established
	LapseActionCopiesDue    = "copies_due"      // notices served to file while out of contact: copies are due
)

// Tracing plan states.
const (
	PlanOpen   = "open"
	PlanClosed = "closed"
)

// Tracing attempt states.
const (
	AttemptDue     = "due"     // to be made by its due day
	AttemptDone    = "done"    // made, with who, when, how and the outcome
	AttemptSkipped = "skipped" // not applicable, or no longer needed, with the reason
)

// Task kinds that lapses open.
const (
	TaskKindTracing    = "tracing"     // work through a lapse's tracing plan
	TaskKindCopiesDue  = "copies-due"  // give a person found again copies of notices served to file
	TaskKindTracingDue = "tracing-due" // a tracing attempt is overdue and the plan's task was closed
)

// Lapse is one lapse of contact with a person, from the day they became
// at risk to the day contact was re-established.
type Lapse struct {
	ID        int64     `json:"id"`
	PersonID  int64     `json:"person_id"`
	PersonRef string    `json:"person_ref"`
	OpenedAt  time.Time `json:"opened_at"`
	OpenedOn  string    `json:"opened_on"` // YYYY-MM-DD, UK
	OpenedBy  string    `json:"opened_by"`
	// Cause is the status cause that made the person at risk.
	Cause string `json:"cause"`
	// The first signal of the lapse: when it was recorded (a failed
	// channel is recorded when the channel reports it, before the status
	// sweep applies it), its cause, and the stored signal when there is
	// one.
	FirstSignalAt     time.Time `json:"first_signal_at"`
	FirstSignalCause  string    `json:"first_signal_cause"`
	SignalID          *int64    `json:"signal_id,omitempty"`
	FirstSignalDetail string    `json:"first_signal_detail,omitempty"`
	// Centre is the reporting centre of the person's in-person reporting
	// condition when the lapse opened; "" when there was none.
	Centre string `json:"centre,omitempty"`
	// Status is the person's contact status in the lapse: at_risk,
	// out_of_contact or absconder while open, in_contact once closed.
	Status         string     `json:"status"`
	OutOfContactAt *time.Time `json:"out_of_contact_at,omitempty"`
	AbsconderAt    *time.Time `json:"absconder_at,omitempty"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
	ClosedOn       string     `json:"closed_on,omitempty"`
	ClosedBy       string     `json:"closed_by,omitempty"`
	ClosingCause   string     `json:"closing_cause,omitempty"`
	ClosingDetail  string     `json:"closing_detail,omitempty"`
	// EventsMissed counts the person's reporting events missed from the
	// day of the first signal to the day the lapse closed (or today).
	EventsMissed int `json:"events_missed"`
	// Counts of the plan's attempts by state, and those past their due day.
	AttemptsDue     int `json:"attempts_due"`
	AttemptsDone    int `json:"attempts_done"`
	AttemptsSkipped int `json:"attempts_skipped"`
	AttemptsOverdue int `json:"attempts_overdue"`
	Version         int `json:"version"`
}

// Open reports whether the lapse is still open.
func (l *Lapse) Open() bool { return l.ClosedAt == nil }

// TracingPlanRecord is a stored tracing plan: the playbook it was made
// from, when it started and in which division's working days.
type TracingPlanRecord struct {
	ID              int64      `json:"id"`
	LapseID         int64      `json:"lapse_id"`
	Playbook        string     `json:"playbook"`
	PlaybookVersion int        `json:"playbook_version"`
	StartOn         string     `json:"start_on"`
	Division        string     `json:"division"`
	TaskID          *int64     `json:"task_id,omitempty"`
	State           string     `json:"state"` // open, closed
	CreatedAt       time.Time  `json:"created_at"`
	CreatedBy       string     `json:"created_by"`
	ClosedAt        *time.Time `json:"closed_at,omitempty"`
}

// TracingAttempt is one step of a tracing plan: an attempt to make by a
// day, made (who, when, how, the outcome) or skipped with the reason.
type TracingAttempt struct {
	ID       int64 `json:"id"`
	PlanID   int64 `json:"plan_id"`
	LapseID  int64 `json:"lapse_id"`
	PersonID int64 `json:"person_id"`
	Seq      int   `json:"seq"`
	// Kind is one of reporting.AttemptKinds: call, text, letter...
	Kind string `json:"kind"`
	// Party, ContactPointID and Target say whom to try and where: the
	// contact point's value as it was when the plan was made.
	Party          string `json:"party,omitempty"`
	ContactPointID *int64 `json:"contact_point_id,omitempty"`
	Target         string `json:"target,omitempty"`
	Instructions   string `json:"instructions"`
	DueOn          string `json:"due_on,omitempty"`
	Explanation    string `json:"explanation,omitempty"`
	State          string `json:"state"` // due, done, skipped
	SkipReason     string `json:"skip_reason,omitempty"`
	// OverdueAt is when the sweep found it past its due day, not done.
	OverdueAt   *time.Time `json:"overdue_at,omitempty"`
	AttemptedAt *time.Time `json:"attempted_at,omitempty"`
	RecordedAt  *time.Time `json:"recorded_at,omitempty"`
	RecordedBy  string     `json:"recorded_by,omitempty"`
	How         string     `json:"how,omitempty"`
	Outcome     string     `json:"outcome,omitempty"`
	Note        string     `json:"note,omitempty"`
	// NewContactPointID is the contact point the attempt found, recorded
	// through the person's contact point history.
	NewContactPointID *int64 `json:"new_contact_point_id,omitempty"`
	Version           int    `json:"version"`
}

// Overdue reports whether an attempt still due is past its due day
// (YYYY-MM-DD).
func (a *TracingAttempt) Overdue(today string) bool {
	return a.State == AttemptDue && a.DueOn != "" && a.DueOn < today
}

// LapseEvent is one entry of a lapse's history.
type LapseEvent struct {
	ID        int64     `json:"id"`
	LapseID   int64     `json:"lapse_id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	Action    string    `json:"action"`
	From      string    `json:"from,omitempty"`
	To        string    `json:"to,omitempty"`
	Cause     string    `json:"cause,omitempty"`
	AttemptID *int64    `json:"attempt_id,omitempty"`
	TaskID    *int64    `json:"task_id,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// LapseDetail is a lapse with its tracing plan, the plan's attempts in
// order, and its history, oldest first.
type LapseDetail struct {
	Lapse    *Lapse             `json:"lapse"`
	Plan     *TracingPlanRecord `json:"plan,omitempty"`
	Attempts []*TracingAttempt  `json:"attempts"`
	Events   []*LapseEvent      `json:"events"`
}

// AttemptInput records a tracing attempt as it was made.
type AttemptInput struct {
	// At is when the attempt was made; the zero time means now. It may
	// not be in the future, nor before the lapse began.
	At time.Time
	// How it was made (reporting.AttemptHows); "" takes the kind's usual way.
	How string
	// Outcome is one of the outcomes the kind allows (reporting.OutcomesFor).
	Outcome string
	Note    string
	// NewContact is a contact detail the attempt found, for the person:
	// it is added to their contact points (or replaces Replaces, a
	// current point of theirs), with the history that keeps.
	NewContact *ContactPoint
	Replaces   *int64
	// Version is the attempt's version the caller saw; 0 not to check.
	Version int
}

// LapseFilter selects lapses for lists, newest first.
type LapseFilter struct {
	PersonID *int64
	// State is "open", "closed" or "" for both.
	State  string
	Limit  int // default 50, at most 500
	Offset int
}

// Validate checks a filter, naming the field at fault.
func (f *LapseFilter) Validate() error {
	p := Problems{}
	switch f.State {
	case "", "open", "closed":
	default:
		p.Add("state", "must be open or closed")
	}
	if f.PersonID != nil && *f.PersonID <= 0 {
		p.Add("person_id", "must be a person's id")
	}
	if f.Limit < 0 {
		p.Add("limit", "must be 0 or more")
	}
	if f.Offset < 0 {
		p.Add("offset", "must be 0 or more")
	}
	return p.Err()
}

// MaxAttemptNote bounds the note of a tracing attempt.
const MaxAttemptNote = 1000

// ValidateAttemptNote checks an attempt's note: optional, 1000 characters
// at most, and no control characters other than line breaks.
func ValidateAttemptNote(note string) error {
	p := Problems{}
	if utf8.RuneCountInString(note) > MaxAttemptNote {
		p.Add("note", "must be 1000 characters or fewer")
	} else if !utf8.ValidString(note) || strings.ContainsFunc(note, func(r rune) bool {
		return r < 0x20 && r != '\n' && r != '\r' && r != '\t'
	}) {
		p.Add("note", "must be plain text")
	}
	return p.Err()
}
