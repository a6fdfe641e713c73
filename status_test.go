package tether

import "testing"

func TestNextStatus(t *testing.T) {
	th := DefaultStatusThresholds()
	admin := Actor{Role: RoleAdmin}
	cw := Actor{Role: RoleCaseworker}
	const ok, conflict, invalid, forbidden = "", ECONFLICT, EINVALID, EFORBIDDEN
	for _, c := range []struct {
		from, cause string
		by          Actor
		reason      string
		to          string
		code        string
	}{
		// Every signal makes a person in contact at risk, and leaves the others.
		{StatusInContact, CauseMissedEvent, cw, "", StatusAtRisk, ok},
		{StatusInContact, CauseReturnedLetter, cw, "", StatusAtRisk, ok},
		{StatusInContact, CauseChannelFailed, cw, "", StatusAtRisk, ok},
		{StatusInContact, CauseFailedCall, cw, "", StatusAtRisk, ok},
		{StatusInContact, CauseNoWorkingChannel, cw, "", StatusAtRisk, ok},
		{StatusAtRisk, CauseMissedEvent, cw, "", StatusAtRisk, ok},
		{StatusOutOfContact, CauseReturnedLetter, cw, "", StatusOutOfContact, ok},
		{StatusAbsconder, CauseChannelFailed, cw, "", StatusAbsconder, ok},
		// Escalation only from at risk.
		{StatusAtRisk, CauseNoContact, cw, "", StatusOutOfContact, ok},
		{StatusInContact, CauseNoContact, cw, "", StatusInContact, conflict},
		{StatusOutOfContact, CauseNoContact, cw, "", StatusOutOfContact, conflict},
		// Re-established from anywhere but in contact.
		{StatusAtRisk, CauseReEstablished, cw, "", StatusInContact, ok},
		{StatusOutOfContact, CauseReEstablished, cw, "", StatusInContact, ok},
		{StatusAbsconder, CauseReEstablished, cw, "", StatusInContact, ok},
		{StatusInContact, CauseReEstablished, cw, "", StatusInContact, conflict},
		// A declaration: out of contact only, an allowed role, a reason.
		{StatusOutOfContact, CauseDeclared, admin, "Calls, letters, visit and agency checks failed", StatusAbsconder, ok},
		{StatusOutOfContact, CauseDeclared, cw, "Calls failed", StatusOutOfContact, forbidden},
		{StatusOutOfContact, CauseDeclared, admin, " ", StatusOutOfContact, invalid},
		{StatusAtRisk, CauseDeclared, admin, "Skipping the machine", StatusAtRisk, conflict},
		{StatusInContact, CauseDeclared, admin, "Skipping the machine", StatusInContact, conflict},
		// Unknown.
		{StatusInContact, "moved_abroad", cw, "", StatusInContact, invalid},
		{"lost", CauseMissedEvent, cw, "", "lost", invalid},
	} {
		ch, err := NextStatus(c.from, c.cause, c.by, c.reason, th)
		if ErrorCode(err) != c.code && !(c.code == ok && err == nil) {
			t.Errorf("%s + %s by %s: error %v, want %q", c.from, c.cause, c.by.Role, err, c.code)
			continue
		}
		if ch.To != c.to || ch.Changed != (c.to != c.from && err == nil) || ch.From != c.from || ch.Cause != c.cause {
			t.Errorf("%s + %s: %+v, want to %s", c.from, c.cause, ch, c.to)
		}
	}
}

func TestCauseOfSignal(t *testing.T) {
	if got := CauseOfSignal(SignalContactLapse, "the postal address failed for notice N-1: the channel reported returned"); got != CauseReturnedLetter {
		t.Errorf("returned letter: %s", got)
	}
	if got := CauseOfSignal(SignalContactLapse, "the email address failed for notice N-2: the channel reported permanent-failure"); got != CauseChannelFailed {
		t.Errorf("bounce: %s", got)
	}
}
