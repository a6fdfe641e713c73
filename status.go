package tether

import (
	"slices"
	"strings"
	"time"
)

// Contact status: where the department stands in keeping in contact with a
// person. It moves by signals (a missed event, a failed channel...) and by
// time (no contact for a number of working days), never by a bare edit.
const (
	StatusInContact    = "in_contact"
	StatusAtRisk       = "at_risk"
	StatusOutOfContact = "out_of_contact"
	// StatusAbsconder: failed to report and whereabouts unknown after all
	// procedures to re-establish contact failed. Declared only by a role
	// allowed to, with a reason.
	StatusAbsconder = "absconder"
)

// ContactStatuses in the order of the state machine.
var ContactStatuses = []string{StatusInContact, StatusAtRisk, StatusOutOfContact, StatusAbsconder}

// Causes of a status change.
const (
	CauseMissedEvent      = "missed_event"       // a reporting event missed without an accepted explanation
	CauseReturnedLetter   = "returned_letter"    // a posted letter came back
	CauseChannelFailed    = "channel_failed"     // a permanent email or SMS failure
	CauseFailedCall       = "failed_call"        // a call attempt that did not reach them
	CauseNoWorkingChannel = "no_working_channel" // no working contact point left
	CauseNoContact        = "no_contact"         // no contact within the threshold: escalation
	CauseReEstablished    = "re_established"     // contact re-established
	CauseDeclared         = "absconder_declared" // declared absconder
)

// signalCauses are the causes that signal a lapse: each makes a person in
// contact at risk.
var signalCauses = []string{CauseMissedEvent, CauseReturnedLetter, CauseChannelFailed, CauseFailedCall, CauseNoWorkingChannel}

// StatusThresholds are the configured thresholds of the state machine.
type StatusThresholds struct {
	// OutOfContactAfter is how many working days after the first signal
	// a person at risk with no contact becomes out of contact.
	OutOfContactAfter int
	// DeclareRoles may declare a person an absconder.
	DeclareRoles []Role
}

// DefaultStatusThresholds: the first signal makes the person at risk the
// same day; no contact within 5 working days makes them out of contact;
// only an admin declares an absconder.
func DefaultStatusThresholds() StatusThresholds {
	return StatusThresholds{OutOfContactAfter: 5, DeclareRoles: []Role{RoleAdmin}}
}

// StatusChange is one transition: from, to, and why.
type StatusChange struct {
	From, To, Cause string
	// Changed is false when the cause leaves the status as it is (a
	// second signal while at risk): it is still recorded as an event.
	Changed bool
}

// NextStatus applies cause to a person's status. Signals make a person in
// contact at risk and leave a person already at risk or beyond where they
// are; escalation moves at risk to out of contact; re-established contact
// brings any status back to in contact; a declaration moves out of contact
// to absconder, by an actor whose role thresholds allow and with a reason.
// Anything else (escalating a person in contact, declaring one at risk, a
// cause it does not know) is refused with ECONFLICT or EINVALID, and
// nothing changes.
func NextStatus(current, cause string, by Actor, reason string, th StatusThresholds) (StatusChange, error) {
	ch := StatusChange{From: current, To: current, Cause: cause}
	if !slices.Contains(ContactStatuses, current) {
		return ch, Invalid("status", "unknown contact status "+current)
	}
	switch {
	case slices.Contains(signalCauses, cause):
		if current == StatusInContact {
			ch.To = StatusAtRisk
		}
	case cause == CauseNoContact:
		if current != StatusAtRisk {
			return ch, Errorf(ECONFLICT, "Only a person at risk becomes out of contact for want of contact; this person is %s.", StatusName(current))
		}
		ch.To = StatusOutOfContact
	case cause == CauseReEstablished:
		if current == StatusInContact {
			return ch, Errorf(ECONFLICT, "This person is in contact already.")
		}
		ch.To = StatusInContact
	case cause == CauseDeclared:
		if !slices.Contains(th.DeclareRoles, by.Role) {
			return ch, Errorf(EFORBIDDEN, "Your role may not declare a person an absconder.")
		}
		if strings.TrimSpace(reason) == "" {
			return ch, Invalid("reason", "say why: which attempts to re-establish contact failed")
		}
		if current != StatusOutOfContact {
			return ch, Errorf(ECONFLICT, "Only a person out of contact can be declared an absconder, after the attempts to re-establish contact; this person is %s.", StatusName(current))
		}
		ch.To = StatusAbsconder
	default:
		return ch, Invalid("cause", "unknown cause "+cause)
	}
	ch.Changed = ch.To != ch.From
	return ch, nil
}

var statusNames = map[string]string{StatusInContact: "in contact", StatusAtRisk: "at risk",
	StatusOutOfContact: "out of contact", StatusAbsconder: "an absconder"}

// StatusName is a status in words: "in contact", "at risk"...
func StatusName(s string) string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return s
}

// CauseOfSignal is the status cause of a stored signal of kind, with the
// words of its reason: a returned letter, or another failed channel.
func CauseOfSignal(kind, reason string) string {
	if kind == SignalContactLapse && strings.Contains(reason, "returned") {
		return CauseReturnedLetter
	}
	return CauseChannelFailed
}

// StatusEvent is one entry of a person's contact status history.
type StatusEvent struct {
	ID       int64  `json:"id"`
	PersonID int64  `json:"person_id"`
	From     string `json:"from"`
	To       string `json:"to"`
	Cause    string `json:"cause"`
	// SignalID is the stored signal that caused it, if one did.
	SignalID *int64    `json:"signal_id,omitempty"`
	Detail   string    `json:"detail,omitempty"`
	Actor    string    `json:"actor"`
	At       time.Time `json:"at"`
}

// PersonStatus is a person's contact status: since when, and while at
// risk, the day they become out of contact unless contact is
// re-established first (YYYY-MM-DD).
type PersonStatus struct {
	Status         string     `json:"status"`
	Since          *time.Time `json:"since,omitempty"`
	OutOfContactOn string     `json:"out_of_contact_on,omitempty"`
}
