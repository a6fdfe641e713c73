package reporting

import (
	"strings"
	"testing"
	"time"

	"tether"
)

func TestCheckAttempt(t *testing.T) {
	began := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now := time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)
	point := &tether.ContactPoint{Kind: tether.KindMobile, Phone: "+447700900123"}
	replaces := int64(4)
	tests := []struct {
		name    string
		kind    string
		in      tether.AttemptInput
		wantHow string
		fields  []string // the fields refused; none for a good attempt
	}{
		{"call answered", AttemptCall, tether.AttemptInput{Outcome: OutcomeReached}, HowPhone, nil},
		{"call with a time", AttemptCall, tether.AttemptInput{Outcome: OutcomeNoAnswer, At: now.Add(-time.Hour)}, HowPhone, nil},
		{"text by phone", AttemptText, tether.AttemptInput{Outcome: OutcomeNoReply, How: HowPhone}, HowPhone, nil},
		{"letter", AttemptLetter, tether.AttemptInput{Outcome: OutcomeNotKnownAtAddress}, HowPost, nil},
		{"visit", AttemptComplianceVisit, tether.AttemptInput{Outcome: OutcomeNoAnswer}, HowVisit, nil},
		{"agency found details", AttemptAgencyChecks, tether.AttemptInput{Outcome: OutcomeDetailsFound, NewContact: point}, HowRecordsCheck, nil},
		{"reached with a new number replacing one", AttemptCall, tether.AttemptInput{Outcome: OutcomeReached, NewContact: point, Replaces: &replaces}, HowPhone, nil},
		{"at the moment the lapse began", AttemptCall, tether.AttemptInput{Outcome: OutcomeNoAnswer, At: began}, HowPhone, nil},
		{"no outcome", AttemptCall, tether.AttemptInput{}, HowPhone, []string{"outcome"}},
		{"outcome of another kind", AttemptCall, tether.AttemptInput{Outcome: OutcomeNoReply}, HowPhone, []string{"outcome"}},
		{"unknown outcome", AttemptEmail, tether.AttemptInput{Outcome: "gone fishing"}, HowEmail, []string{"outcome"}},
		{"agency cannot reach the person", AttemptAgencyChecks, tether.AttemptInput{Outcome: OutcomeReached}, HowRecordsCheck, []string{"outcome"}},
		{"unknown how", AttemptCall, tether.AttemptInput{Outcome: OutcomeNoAnswer, How: "pigeon"}, "pigeon", []string{"how"}},
		{"in the future", AttemptCall, tether.AttemptInput{Outcome: OutcomeNoAnswer, At: now.Add(time.Minute)}, HowPhone, []string{"at"}},
		{"before the lapse", AttemptCall, tether.AttemptInput{Outcome: OutcomeNoAnswer, At: began.Add(-time.Second)}, HowPhone, []string{"at"}},
		{"long note", AttemptCall, tether.AttemptInput{Outcome: OutcomeNoAnswer, Note: strings.Repeat("a", 1001)}, HowPhone, []string{"note"}},
		{"control characters in the note", AttemptCall, tether.AttemptInput{Outcome: OutcomeNoAnswer, Note: "a\x07b"}, HowPhone, []string{"note"}},
		{"new detail without finding one", AttemptCall, tether.AttemptInput{Outcome: OutcomeNoAnswer, NewContact: point}, HowPhone, []string{"new_contact_point"}},
		{"replaces without a new detail", AttemptCall, tether.AttemptInput{Outcome: OutcomeReached, Replaces: &replaces}, HowPhone, []string{"replaces"}},
		{"negative version", AttemptCall, tether.AttemptInput{Outcome: OutcomeReached, Version: -1}, HowPhone, []string{"version"}},
		{"unknown kind", "séance", tether.AttemptInput{Outcome: OutcomeReached}, "", []string{"kind", "how"}},
		{"everything wrong", AttemptLetter, tether.AttemptInput{Outcome: OutcomeMessageLeft, How: "x", At: now.Add(time.Hour), NewContact: point},
			"x", []string{"outcome", "how", "at", "new_contact_point"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			how, err := CheckAttempt(tt.kind, tt.in, began, now)
			if how != tt.wantHow {
				t.Errorf("how = %q, want %q", how, tt.wantHow)
			}
			if len(tt.fields) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if tether.ErrorCode(err) != tether.EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			fields := tether.ErrorFields(err)
			if len(fields) != len(tt.fields) {
				t.Errorf("fields %v, want %v", fields, tt.fields)
			}
			for _, f := range tt.fields {
				if fields[f] == "" {
					t.Errorf("field %s not named: %v", f, fields)
				}
			}
		})
	}
}

func TestAttemptOutcomeRules(t *testing.T) {
	tests := []struct {
		kind, outcome                   string
		failedCall, reached, pointFails bool
		findsDetails                    bool
	}{
		{AttemptCall, OutcomeReached, false, true, false, true},
		{AttemptCall, OutcomeNoAnswer, true, false, false, false},
		{AttemptCall, OutcomeMessageLeft, true, false, false, false},
		{AttemptCall, OutcomeWrongNumber, true, false, true, false},
		{AttemptText, OutcomeWrongNumber, false, false, true, false},
		{AttemptText, OutcomeNoReply, false, false, false, false},
		{AttemptEmail, OutcomeUndeliverable, false, false, true, false},
		{AttemptLetter, OutcomeNotKnownAtAddress, false, false, true, false},
		{AttemptComplianceVisit, OutcomeNoAnswer, false, false, false, false},
		{AttemptRepresentative, OutcomeDetailsFound, false, false, false, true},
		{AttemptAgencyChecks, OutcomeNoInformation, false, false, false, false},
	}
	for _, tt := range tests {
		if got := FailedCall(tt.kind, tt.outcome); got != tt.failedCall {
			t.Errorf("FailedCall(%s, %s) = %v", tt.kind, tt.outcome, got)
		}
		if got := Reached(tt.outcome); got != tt.reached {
			t.Errorf("Reached(%s) = %v", tt.outcome, got)
		}
		if got := PointFailed(tt.outcome); got != tt.pointFails {
			t.Errorf("PointFailed(%s) = %v", tt.outcome, got)
		}
		if got := FindsDetails(tt.outcome); got != tt.findsDetails {
			t.Errorf("FindsDetails(%s) = %v", tt.outcome, got)
		}
	}
	// Every kind has outcomes, a usual way, and only known outcomes.
	for _, k := range AttemptKinds {
		if len(OutcomesFor(k)) == 0 || UsualHow(k) == "" {
			t.Errorf("kind %s has no outcomes or no usual way", k)
		}
		for _, o := range OutcomesFor(k) {
			if !strings.Contains(strings.Join(AttemptOutcomes, " "), o) || OutcomeWords(o) == o {
				t.Errorf("kind %s: outcome %s is not listed or has no words", k, o)
			}
		}
	}
	if OutcomesFor("nothing") != nil {
		t.Error("an unknown kind has outcomes")
	}
}
