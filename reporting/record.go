package reporting

import (
	"time"

	"tether/calendar"
)

// The records below are what storage keeps beside the rules: a condition
// and an event with their bookkeeping and history, a centre's roster, a
// person's flags. They are plain data; the rules that fill them are in the
// rest of the package.

// ConditionRecord is a stored condition.
type ConditionRecord struct {
	Condition
	// HorizonTo is the last day the condition's events have been made up
	// to, on the rolling horizon (zero before the first).
	HorizonTo calendar.Date `json:"horizon_to,omitzero"`
	// Version counts the changes to the record (an end is one).
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	// History is every change to the condition and its events, oldest
	// first, when the reader asked for it.
	History []HistoryEntry `json:"history,omitempty"`
}

// Actions a HistoryEntry records.
const (
	ActionSet         = "set"          // a condition was set
	ActionReplaced    = "replaced"     // a condition was ended by a change; Detail names the next
	ActionEnded       = "ended"        // a condition was ended, no condition replacing it
	ActionEventsMade  = "events_made"  // events were made ahead on the horizon; Detail says which days
	ActionWithdrawn   = "withdrawn"    // a due event was withdrawn because its condition ended
	ActionReported    = "reported"     // the person checked in
	ActionMissed      = "missed"       // the event's day ended with no check-in
	ActionExcused     = "excused"      // a reasonable explanation was accepted
	ActionRescheduled = "rescheduled"  // the event moved to another day
	ActionReminded    = "reminded"     // the reminder was sent, or recorded as not sent
	ActionFlagSet     = "flag_set"     // a person flag was set
	ActionFlagCleared = "flag_cleared" // a person flag was cleared
)

// HistoryEntry is one entry of the history of a condition or of one of its
// events: who did what, when, from which state to which.
type HistoryEntry struct {
	ID          int64 `json:"id"`
	ConditionID int64 `json:"condition_id"`
	// EventID is the event changed; nil for a change to the condition.
	EventID *int64    `json:"event_id,omitempty"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	From    string    `json:"from,omitempty"`
	To      string    `json:"to,omitempty"`
	Detail  string    `json:"detail,omitempty"`
}

// EventRecord is a stored event.
type EventRecord struct {
	Event
	// Centre is the reporting centre of an in-person event.
	Centre string `json:"centre,omitempty"`
	// Scheduled is the day the schedule gave, when the event moved off a
	// day the centre is closed.
	Scheduled calendar.Date `json:"scheduled,omitzero"`
	// Version counts the changes to the event: a check-in or an outcome
	// may name the version it saw, and is refused if it changed meanwhile.
	Version int `json:"version"`
	// Reminder is what was done about reminding the person, once it was.
	Reminder *Reminder `json:"reminder,omitempty"`
	// History is every change to the event, oldest first, when the reader
	// asked for it.
	History []HistoryEntry `json:"history,omitempty"`
}

// Reminder channels, beside the template channels a reminder may go by.
const ReminderNone = "none"

// Reminder is what the reminder sweep did for an event, once.
type Reminder struct {
	At time.Time `json:"at"`
	// Channel is sms, email, or none when no reminder could be sent.
	Channel  string `json:"channel"`
	NoticeID *int64 `json:"notice_id,omitempty"`
	// Note says why no reminder was sent, or how the channel was chosen.
	Note string `json:"note,omitempty"`
}

// Late reports whether a due event is late on the day: it is today's, has
// a time of day, and the time has passed (clock is "HH:MM" now). An event
// without a time is due all day, and is never late before the day ends.
func (e Event) Late(today calendar.Date, clock string) bool {
	return e.State == EventDue && e.Date == today && e.At != "" && e.At < clock
}

// RosterEntry is one person expected at a reporting centre on a day.
type RosterEntry struct {
	EventID     int64  `json:"event_id"`
	ConditionID int64  `json:"condition_id"`
	PersonID    int64  `json:"person_id"`
	PersonRef   string `json:"person_ref"`
	// Name is the person's name, for the desk; empty for a reader who may
	// not see personal data.
	Name  string `json:"name,omitempty"`
	At    string `json:"at,omitempty"`
	State string `json:"state"`
	// Late is true for an event due earlier today that nobody has checked
	// in yet.
	Late    bool   `json:"late"`
	Version int    `json:"version"`
	Note    string `json:"note,omitempty"`
}

// Roster is who is due at a reporting centre on a day, by time, with the
// counts a desk needs.
type Roster struct {
	Centre string        `json:"centre"`
	Day    calendar.Date `json:"day"`
	// Now is the time of day (HH:MM, UK time) the roster was read at, when
	// Day is today; "" for another day.
	Now      string        `json:"now,omitempty"`
	Entries  []RosterEntry `json:"entries"`
	Expected int           `json:"expected"` // due and not late
	Late     int           `json:"late"`     // due earlier today, not yet seen
	Reported int           `json:"reported"`
	Other    int           `json:"other"` // missed, excused or rescheduled
}

// PersonFlag is a flag set on a person, which the eligibility rules read.
type PersonFlag struct {
	Flag   string    `json:"flag"`
	SetAt  time.Time `json:"set_at"`
	SetBy  string    `json:"set_by"`
	Reason string    `json:"reason"`
}

// FlagChange is one setting or clearing of a person's flag.
type FlagChange struct {
	ID     int64     `json:"id"`
	Flag   string    `json:"flag"`
	Action string    `json:"action"` // ActionFlagSet or ActionFlagCleared
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Reason string    `json:"reason"`
}

// CheckIn asks to record that a person reported for an event: at a desk,
// by telephone or digitally.
type CheckIn struct {
	// How is the kind of reporting (KindInPerson...); the event's own
	// kind when empty.
	How string
	// Where is the centre or the number called; the event's centre, or
	// the condition's number, when empty.
	Where string
	// Version, when not 0, is the version of the event the desk saw: a
	// check-in of an event that changed since is refused.
	Version int
}

// OutcomeRequest asks to record an outcome other than a check-in: missed,
// excused (the explanation and who accepted it; also for a miss,
// afterwards) or rescheduled (the new day, optionally a new time, and
// why).
type OutcomeRequest struct {
	State      string
	Reason     string
	AcceptedBy string
	NewDate    calendar.Date
	NewAt      string
	// Version, when not 0, is the version of the event the caseworker saw.
	Version int
}
