package reporting

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tether"
	"tether/calendar"
)

// CauseMissExcused is a miss excused afterwards, when a reasonable
// explanation is accepted: it takes the miss off the count of misses
// without an accepted explanation and moves no status. (An explanation
// means the person got in touch, but whether that re-establishes contact is
// for the caseworker to record, as tether.CauseReEstablished.) The other
// causes are the root package's: tether.CauseMissedEvent and so on.
const CauseMissExcused = "miss_excused"

// Thresholds configure the contact-status state machine.
type Thresholds struct {
	// OutOfContactAfter (working days in the person's division from the day
	// they become at risk) and DeclareRoles (the roles that may declare an
	// absconder) are the root package's, shared with the store.
	tether.StatusThresholds
	// MissesForAtRisk is how many missed events without an accepted
	// explanation make a person in contact at risk, the same day.
	MissesForAtRisk int
}

// DefaultThresholds: the first missed event without an accepted explanation
// makes the person at risk the same day; no contact within 5 working days
// makes them out of contact; only an admin declares an absconder. (check:
// these are configuration, not law.)
func DefaultThresholds() Thresholds {
	return Thresholds{StatusThresholds: tether.DefaultStatusThresholds(), MissesForAtRisk: 1}
}

// Limits of the thresholds.
const (
	MaxOutOfContactAfter = 60 // working days: about three months
	MaxMissesForAtRisk   = 10
)

// Validate checks the thresholds. EINVALID names the field.
func (th Thresholds) Validate() error {
	q := tether.Problems{}
	if th.OutOfContactAfter < 1 || th.OutOfContactAfter > MaxOutOfContactAfter {
		q.Add("out_of_contact_after", fmt.Sprintf("must be between 1 and %d working days", MaxOutOfContactAfter))
	}
	if th.MissesForAtRisk < 1 || th.MissesForAtRisk > MaxMissesForAtRisk {
		q.Add("misses_for_at_risk", fmt.Sprintf("must be between 1 and %d missed events", MaxMissesForAtRisk))
	}
	if len(th.DeclareRoles) == 0 {
		q.Add("declare_roles", "name at least one role that may declare an absconder")
	}
	for i, r := range th.DeclareRoles {
		if !r.Valid() || r == tether.RoleOrganisation || r == tether.RoleInspector {
			q.Add("declare_roles["+strconv.Itoa(i)+"]", "must be a role of the department's staff: admin, caseworker or enquiries")
		}
	}
	return q.Err()
}

// State is a person's contact status as the state machine sees it.
type State struct {
	Status string `json:"status"` // tether.StatusInContact, ...
	// Since is the day the person took this status.
	Since calendar.Date `json:"since,omitzero"`
	// Misses counts missed events without an accepted explanation since
	// the person was last in contact with the department.
	Misses int `json:"misses"`
	// OutOfContactOn is, while at risk, the day the person becomes out of
	// contact unless contact is re-established first.
	OutOfContactOn calendar.Date `json:"out_of_contact_on,omitzero"`
}

// InContact is the state of a person in contact since a day: where every
// person starts.
func InContact(since calendar.Date) State {
	return State{Status: tether.StatusInContact, Since: since}
}

// Signal is something that may move a person's contact status.
type Signal struct {
	// Cause is one of the tether.Cause* causes, or CauseMissExcused.
	Cause string
	// By is who raised it; it matters for a declaration of absconder,
	// which only the roles the thresholds name may make.
	By tether.Actor
	// Reason is why: required for a declaration; for the others a detail
	// kept with the transition (no personal data).
	Reason string
}

// Transition is one step of the state machine: from, to, the cause, the
// day, and why in words. Every signal Apply accepts gives one, also when
// the status stays as it is, and each is recorded as an event.
type Transition struct {
	From    string        `json:"from"`
	To      string        `json:"to"`
	Cause   string        `json:"cause"`
	On      calendar.Date `json:"on"`
	Changed bool          `json:"changed"`
	Reason  string        `json:"reason,omitempty"`
	// Explanation says what happened and, on becoming at risk, when the
	// person becomes out of contact, with the working days counted.
	Explanation string `json:"explanation"`
}

// Apply applies a signal to a person's state on today, with the thresholds
// and the working-day calendar of the person's division, and returns the
// new state and the transition. The moves themselves are tether.NextStatus:
//
//   - a missed event without an accepted explanation, a returned letter, a
//     permanent email or SMS failure, a failed call attempt or no working
//     channel left makes a person in contact at risk (a miss only once
//     th.MissesForAtRisk misses are counted), and leaves the other
//     statuses as they are;
//   - becoming at risk sets the day out of contact is due (OutOfContactDue);
//   - tether.CauseNoContact moves a person at risk to out of contact, once
//     that day has come;
//   - contact re-established brings any other status back to in contact
//     and clears the count of misses;
//   - a declaration moves a person out of contact to absconder, by a role
//     the thresholds allow (EFORBIDDEN otherwise) and with a reason;
//   - CauseMissExcused takes one miss off the count.
//
// A signal that would skip a step (escalating a person in contact,
// declaring one at risk, escalating before the day) is refused with
// ECONFLICT, an unknown cause or status with EINVALID; on an error s is
// returned unchanged.
func Apply(s State, sig Signal, today calendar.Date, th Thresholds, cal calendar.Calendar) (State, Transition, error) {
	if err := th.Validate(); err != nil {
		return s, Transition{}, err
	}
	switch {
	case !today.IsValid():
		return s, Transition{}, tether.Invalid("today", "is not a real date")
	case !slices.Contains(tether.ContactStatuses, s.Status):
		return s, Transition{}, tether.Invalid("status", "unknown contact status "+s.Status)
	case s.Since.IsValid() && today.Before(s.Since):
		return s, Transition{}, tether.Invalid("today", "is before the status began ("+s.Since.Long()+")")
	}
	reason := strings.TrimSpace(sig.Reason)
	tr := Transition{From: s.Status, To: s.Status, Cause: sig.Cause, On: today, Reason: reason}
	next := s
	switch sig.Cause {
	case CauseMissExcused:
		if s.Misses == 0 {
			return s, Transition{}, tether.Errorf(tether.ECONFLICT, "There is no missed event without an accepted explanation to excuse.")
		}
		next.Misses--
		tr.Explanation = fmt.Sprintf("A missed event was excused on %s: %s without an accepted explanation since the person was last in contact. The person stays %s.",
			today.Long(), plural(next.Misses, "missed event remains", "missed events remain"), tether.StatusName(s.Status))
		return next, tr, nil
	case tether.CauseMissedEvent:
		next.Misses = s.Misses + 1
		if s.Status == tether.StatusInContact && next.Misses < th.MissesForAtRisk {
			tr.Explanation = fmt.Sprintf("A reporting event was missed without an accepted explanation on %s: miss %d of the %d that make a person at risk. The person stays in contact.",
				today.Long(), next.Misses, th.MissesForAtRisk)
			return next, tr, nil
		}
	case tether.CauseNoContact:
		if s.Status == tether.StatusAtRisk && s.OutOfContactOn.IsValid() && today.Before(s.OutOfContactOn) {
			return s, Transition{}, tether.Errorf(tether.ECONFLICT, "This person becomes out of contact on %s unless contact is re-established first, not before.", s.OutOfContactOn.Long())
		}
	}
	ch, err := tether.NextStatus(s.Status, sig.Cause, sig.By, reason, th.StatusThresholds)
	if err != nil {
		return s, Transition{}, err
	}
	tr.To, tr.Changed = ch.To, ch.Changed
	if ch.Changed {
		next.Status, next.Since, next.OutOfContactOn = ch.To, today, calendar.Date{}
	}
	if ch.To == tether.StatusInContact {
		next.Misses = 0
	}
	var b strings.Builder
	if ch.Changed {
		fmt.Fprintf(&b, "%s: %s to %s on %s.", capital(causeWords(sig.Cause, th)), tether.StatusName(ch.From), tether.StatusName(ch.To), today.Long())
	} else {
		fmt.Fprintf(&b, "%s on %s: the person stays %s.", capital(causeWords(sig.Cause, th)), today.Long(), tether.StatusName(ch.To))
	}
	if sig.Cause == tether.CauseDeclared {
		b.WriteString(" Reason: " + reason)
	}
	if ch.Changed && ch.To == tether.StatusAtRisk {
		due := OutOfContactDue(today, today, th, cal)
		next.OutOfContactOn = due.Date
		fmt.Fprintf(&b, " Out of contact on %s unless contact is re-established first. %s", due.Date.Long(), due.Explanation)
	}
	tr.Explanation = b.String()
	return next, tr, nil
}

// Due says when a person at risk becomes out of contact.
type Due struct {
	AtRiskOn calendar.Date `json:"at_risk_on"`
	Today    calendar.Date `json:"today"`
	// Date is the day the person becomes out of contact, unless contact is
	// re-established first: th.OutOfContactAfter working days after
	// AtRiskOn.
	Date calendar.Date `json:"date"`
	// Reached is true when today is that day or later.
	Reached bool `json:"reached"`
	// WorkingDaysLeft is the number of working days after today up to and
	// including Date; 0 once reached.
	WorkingDaysLeft int `json:"working_days_left"`
	// Explanation counts the working days, as the calendar does.
	Explanation calendar.Explanation `json:"-"`
}

// OutOfContactDue says when a person who became at risk on atRiskOn (the
// day of the first signal since they were last in contact) becomes out of
// contact, counting th.OutOfContactAfter working days in cal, the person's
// division; and whether, on today, that day has come. The day they became
// at risk is not counted: at risk on Monday 2 March 2026 in England and
// Wales, with 5 working days, is out of contact on Monday 9 March.
func OutOfContactDue(atRiskOn, today calendar.Date, th Thresholds, cal calendar.Calendar) Due {
	e := cal.Explain(atRiskOn, th.OutOfContactAfter, "At risk from", "out of contact unless contact is re-established first")
	d := Due{AtRiskOn: atRiskOn, Today: today, Date: e.Result, Explanation: e}
	d.Reached = !today.Before(e.Result)
	if !d.Reached {
		d.WorkingDaysLeft = cal.WorkingDaysBetween(today, e.Result)
	}
	return d
}

// String writes the count of working days and where today stands.
func (d Due) String() string {
	s := d.Explanation.String()
	if d.Reached {
		return s + fmt.Sprintf(" Today is %s: the day has come.", d.Today.Long())
	}
	return s + fmt.Sprintf(" Today is %s: %s to go.", d.Today.Long(), plural(d.WorkingDaysLeft, "working day", "working days"))
}

func causeWords(cause string, th Thresholds) string {
	switch cause {
	case tether.CauseMissedEvent:
		return "a reporting event missed without an accepted explanation"
	case tether.CauseReturnedLetter:
		return "a letter returned undelivered"
	case tether.CauseChannelFailed:
		return "a permanent email or text message failure"
	case tether.CauseFailedCall:
		return "a call attempt that did not reach the person"
	case tether.CauseNoWorkingChannel:
		return "no working contact channel left"
	case tether.CauseNoContact:
		return fmt.Sprintf("no contact within %d working days of becoming at risk", th.OutOfContactAfter)
	case tether.CauseReEstablished:
		return "contact re-established"
	case tether.CauseDeclared:
		return "declared an absconder"
	}
	return cause
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
