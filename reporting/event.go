package reporting

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tether"
	"tether/calendar"
)

// States of a reporting event. An event is due until it is closed as one of
// the others.
const (
	EventDue         = "due"
	EventReported    = "reported"    // the person reported: how, where, by whom, when
	EventMissed      = "missed"      // the person did not report, and no explanation is accepted yet
	EventExcused     = "excused"     // a reasonable explanation was accepted: it is not a miss
	EventRescheduled = "rescheduled" // moved to another day, where a new event is due
)

// EventStates lists the states of an event.
var EventStates = []string{EventDue, EventReported, EventMissed, EventExcused, EventRescheduled}

// eventMoves is the state machine of an event: where each state may go.
// Closed states go nowhere, with one exception the domain makes: a
// reasonable explanation given in reasonable time clears a miss.
var eventMoves = map[string][]string{
	EventDue:    {EventReported, EventMissed, EventExcused, EventRescheduled},
	EventMissed: {EventExcused},
}

// CanMove reports whether an event in state from may be closed as to.
func CanMove(from, to string) bool { return slices.Contains(eventMoves[from], to) }

var eventWords = map[string]string{EventDue: "due", EventReported: "reported",
	EventMissed: "missed", EventExcused: "excused", EventRescheduled: "rescheduled"}

// Event is one reporting event: the day a person must report under a
// condition, and what happened.
type Event struct {
	ID          int64         `json:"id,omitempty"`
	ConditionID int64         `json:"condition_id,omitempty"`
	PersonID    int64         `json:"person_id,omitempty"`
	Kind        string        `json:"kind"`
	Date        calendar.Date `json:"date"`
	At          string        `json:"at,omitempty"`
	State       string        `json:"state"`
	// Note is the Occurrence's note: why the day is what it is.
	Note string `json:"note,omitempty"`
	// RescheduledFrom is the event this one was rescheduled from.
	RescheduledFrom *int64 `json:"rescheduled_from,omitempty"`
	// Outcome is what closed the event; for an excused miss, the excuse
	// (the miss stays in the history of outcomes the store keeps).
	Outcome *Outcome `json:"outcome,omitempty"`
}

// EventFrom makes the due event of an occurrence of condition c.
func EventFrom(c Condition, o Occurrence) Event {
	return Event{ConditionID: c.ID, PersonID: c.PersonID, Kind: c.Kind,
		Date: o.Date, At: o.At, State: EventDue, Note: o.Note}
}

// Outcome is what a caseworker (or the system, for a miss) records for an
// event.
type Outcome struct {
	// State is the state the outcome closes the event as.
	State string `json:"state"`
	// At is when it happened: when the person reported, or when the miss,
	// excuse or new day was recorded.
	At time.Time `json:"at"`
	// By is who recorded it.
	By string `json:"by"`
	// How and Where, for a report: how the person reported (a kind of
	// condition) and where (the centre, the number, the device).
	How   string `json:"how,omitempty"`
	Where string `json:"where,omitempty"`
	// Reason is the explanation of an excuse, or why an event is
	// rescheduled; optional for a miss.
	Reason string `json:"reason,omitempty"`
	// AcceptedBy is who accepted the explanation of an excuse.
	AcceptedBy string `json:"accepted_by,omitempty"`
	// NewDate and NewAt are the day (and time, "" to keep it) a
	// rescheduled event moves to.
	NewDate calendar.Date `json:"new_date,omitzero"`
	NewAt   string        `json:"new_at,omitempty"`
}

// Recorded is the result of Record.
type Recorded struct {
	// Event is the event as closed.
	Event Event
	// Next is the new due event of a rescheduled one, to store.
	Next *Event
	// Cause is the contact-status cause the outcome raises, for Apply:
	// tether.CauseMissedEvent for a miss, CauseMissExcused for a miss
	// excused afterwards, "" otherwise.
	Cause string
}

// Record applies an outcome to an event, on today, and returns the event as
// closed. It refuses, with nothing changed:
//   - an event that is closed already (ECONFLICT), except a miss that a
//     reasonable explanation later excuses;
//   - a report (check-in) for an event that is not due today (ECONFLICT);
//   - a miss recorded before the event's day (ECONFLICT);
//   - rescheduling after the event's day has passed (ECONFLICT: record
//     it missed or excused), or to a day that has passed or is the same;
//   - an outcome without what it needs (EINVALID, naming the field): who
//     recorded it and when; for a report how (and where, in person or by
//     telephone); for an excuse the explanation and who accepted it; for a
//     new day the day and why.
//
// Record does not check that a new day is a working day: the caller offers
// days the centre is open.
func Record(e Event, o Outcome, today calendar.Date) (Recorded, error) {
	if !slices.Contains(EventStates, e.State) {
		return Recorded{}, tether.Invalid("state", "unknown event state "+e.State)
	}
	if o.State == EventDue || !slices.Contains(EventStates, o.State) {
		return Recorded{}, tether.Invalid("state", "must be reported, missed, excused or rescheduled")
	}
	if !today.IsValid() {
		return Recorded{}, tether.Invalid("today", "is not a real date")
	}
	if !CanMove(e.State, o.State) {
		why := ""
		if e.State == EventMissed {
			why = " A miss can only be excused, when a reasonable explanation is accepted."
		}
		return Recorded{}, tether.Errorf(tether.ECONFLICT, "This event was %s already; a closed event does not change.%s", eventWords[e.State], why)
	}
	day := e.Date.Long()
	switch o.State {
	case EventReported:
		if today != e.Date {
			return Recorded{}, tether.Errorf(tether.ECONFLICT, "This event is due on %s, not today (%s): a check-in is only for today's event.", day, today.Long())
		}
	case EventMissed:
		if today.Before(e.Date) {
			return Recorded{}, tether.Errorf(tether.ECONFLICT, "This event is due on %s: it cannot be missed before then.", day)
		}
	case EventRescheduled:
		if today.After(e.Date) {
			return Recorded{}, tether.Errorf(tether.ECONFLICT, "This event was due on %s, which has passed: record it as missed, or excused with the explanation.", day)
		}
	}

	q := tether.Problems{}
	o.By, o.How, o.Where = strings.TrimSpace(o.By), strings.TrimSpace(o.How), strings.TrimSpace(o.Where)
	o.Reason, o.AcceptedBy, o.NewAt = strings.TrimSpace(o.Reason), strings.TrimSpace(o.AcceptedBy), strings.TrimSpace(o.NewAt)
	required(q, "by", o.By, "say who recorded it", maxName)
	if o.At.IsZero() {
		q.Add("at", "say when it happened")
	}
	limit(q, "reason", o.Reason, maxReason)
	limit(q, "where", o.Where, maxName)
	switch o.State {
	case EventReported:
		if !slices.Contains(Kinds, o.How) {
			q.Add("how", "must be one of "+strings.Join(Kinds, ", "))
		}
		if (o.How == KindInPerson || o.How == KindTelephone) && o.Where == "" {
			q.Add("where", "say where: the reporting centre, or the number called")
		}
	case EventExcused:
		required(q, "reason", o.Reason, "give the explanation that was accepted", maxReason)
		required(q, "accepted_by", o.AcceptedBy, "say who accepted the explanation", maxName)
	case EventRescheduled:
		required(q, "reason", o.Reason, "say why the event moves", maxReason)
		switch {
		case !o.NewDate.IsValid():
			q.Add("new_date", "give the new day")
		case o.NewDate.Before(today):
			q.Add("new_date", "has passed: choose today or a later day")
		case o.NewDate == e.Date:
			q.Add("new_date", "is the day the event is due already")
		}
		if o.NewAt != "" {
			if _, _, ok := parseClock(o.NewAt); !ok {
				q.Add("new_at", "must be a time of day written HH:MM, like 09:30")
			}
		}
	}
	if err := q.Err(); err != nil {
		return Recorded{}, err
	}

	r := Recorded{}
	closed := e
	closed.State = o.State
	oc := o
	closed.Outcome = &oc
	r.Event = closed
	switch o.State {
	case EventMissed:
		r.Cause = tether.CauseMissedEvent
	case EventExcused:
		if e.State == EventMissed {
			r.Cause = CauseMissExcused
		}
	case EventRescheduled:
		next := Event{ConditionID: e.ConditionID, PersonID: e.PersonID, Kind: e.Kind,
			Date: o.NewDate, At: e.At, State: EventDue,
			Note: fmt.Sprintf("Rescheduled from %s: %s", e.Date.Long(), o.Reason)}
		if o.NewAt != "" {
			next.At = o.NewAt
		}
		if e.ID != 0 {
			id := e.ID
			next.RescheduledFrom = &id
		}
		r.Next = &next
	}
	return r, nil
}

func required(q tether.Problems, field, v, why string, max int) {
	if v == "" {
		q.Add(field, why)
	}
	limit(q, field, v, max)
}

func limit(q tether.Problems, field, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		q.Add(field, fmt.Sprintf("must be %d characters or fewer", max))
	}
}
