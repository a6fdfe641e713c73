package reporting

import (
	"strings"
	"testing"
	"time"

	"tether"
)

func TestCanMove(t *testing.T) {
	allowed := map[[2]string]bool{
		{EventDue, EventReported}: true, {EventDue, EventMissed}: true,
		{EventDue, EventExcused}: true, {EventDue, EventRescheduled}: true,
		{EventMissed, EventExcused}: true,
	}
	for _, from := range EventStates {
		for _, to := range EventStates {
			if got := CanMove(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("CanMove(%s, %s) = %v", from, to, got)
			}
		}
	}
}

func TestRecord(t *testing.T) {
	day := d("2026-03-05")
	at := time.Date(2026, 3, 5, 10, 4, 0, 0, time.UTC)
	due := Event{ID: 21, ConditionID: 3, PersonID: 9, Kind: KindInPerson, Date: day, At: "10:00", State: EventDue}
	in := func(s string) Event { e := due; e.State = s; return e }
	report := Outcome{State: EventReported, At: at, By: "A. Caseworker", How: KindInPerson, Where: "Croydon reporting centre"}
	miss := Outcome{State: EventMissed, At: at, By: "system"}
	excuse := Outcome{State: EventExcused, At: at, By: "A. Caseworker", Reason: "In hospital; letter seen", AcceptedBy: "B. Manager"}
	resched := Outcome{State: EventRescheduled, At: at, By: "A. Caseworker", Reason: "Hospital appointment", NewDate: d("2026-03-06")}
	with := func(o Outcome, edit func(*Outcome)) Outcome { edit(&o); return o }

	const ok, conflict, invalid = "", tether.ECONFLICT, tether.EINVALID
	for _, c := range []struct {
		name  string
		e     Event
		o     Outcome
		today string
		code  string
		field string // for EINVALID
		cause string
	}{
		// due -> each outcome.
		{"check-in on the day", due, report, "2026-03-05", ok, "", ""},
		{"telephone check-in", due, with(report, func(o *Outcome) { o.How, o.Where = KindTelephone, "+447700900123" }), "2026-03-05", ok, "", ""},
		{"digital check-in needs no where", due, with(report, func(o *Outcome) { o.How, o.Where = KindDigital, "" }), "2026-03-05", ok, "", ""},
		{"check-in the day before", due, report, "2026-03-04", conflict, "", ""},
		{"check-in the day after", due, report, "2026-03-06", conflict, "", ""},
		{"check-in without how", due, with(report, func(o *Outcome) { o.How = "" }), "2026-03-05", invalid, "how", ""},
		{"check-in without where", due, with(report, func(o *Outcome) { o.Where = " " }), "2026-03-05", invalid, "where", ""},
		{"check-in without by", due, with(report, func(o *Outcome) { o.By = "" }), "2026-03-05", invalid, "by", ""},
		{"check-in without when", due, with(report, func(o *Outcome) { o.At = time.Time{} }), "2026-03-05", invalid, "at", ""},
		{"missed on the day", due, miss, "2026-03-05", ok, "", tether.CauseMissedEvent},
		{"missed later", due, miss, "2026-03-09", ok, "", tether.CauseMissedEvent},
		{"missed before the day", due, miss, "2026-03-04", conflict, "", ""},
		{"excused ahead", due, excuse, "2026-03-02", ok, "", ""},
		{"excused without a reason", due, with(excuse, func(o *Outcome) { o.Reason = "" }), "2026-03-05", invalid, "reason", ""},
		{"excused without who accepted", due, with(excuse, func(o *Outcome) { o.AcceptedBy = "" }), "2026-03-05", invalid, "accepted_by", ""},
		{"rescheduled ahead", due, resched, "2026-03-02", ok, "", ""},
		{"rescheduled on the day", due, resched, "2026-03-05", ok, "", ""},
		{"rescheduled after the day", due, resched, "2026-03-06", conflict, "", ""},
		{"rescheduled to the past", due, with(resched, func(o *Outcome) { o.NewDate = d("2026-03-01") }), "2026-03-02", invalid, "new_date", ""},
		{"rescheduled to the same day", due, with(resched, func(o *Outcome) { o.NewDate = day }), "2026-03-02", invalid, "new_date", ""},
		{"rescheduled with no day", due, with(resched, func(o *Outcome) { o.NewDate = d("0001-01-01"); o.NewDate.Day = 0 }), "2026-03-02", invalid, "new_date", ""},
		{"rescheduled with no reason", due, with(resched, func(o *Outcome) { o.Reason = "" }), "2026-03-02", invalid, "reason", ""},
		{"rescheduled to a bad time", due, with(resched, func(o *Outcome) { o.NewAt = "noon" }), "2026-03-02", invalid, "new_at", ""},
		{"back to due", due, Outcome{State: EventDue, At: at, By: "x"}, "2026-03-05", invalid, "state", ""},
		{"unknown outcome", due, Outcome{State: "late", At: at, By: "x"}, "2026-03-05", invalid, "state", ""},
		{"unknown state", in("pending"), report, "2026-03-05", invalid, "state", ""},
		{"long reason", due, with(excuse, func(o *Outcome) { o.Reason = strings.Repeat("x", 501) }), "2026-03-05", invalid, "reason", ""},
		// A miss may be excused later, and nothing else.
		{"miss excused", in(EventMissed), excuse, "2026-03-09", ok, "", CauseMissExcused},
		{"miss reported", in(EventMissed), report, "2026-03-05", conflict, "", ""},
		{"miss missed again", in(EventMissed), miss, "2026-03-05", conflict, "", ""},
		{"miss rescheduled", in(EventMissed), resched, "2026-03-05", conflict, "", ""},
	} {
		r, err := Record(c.e, c.o, d(c.today))
		if c.code == ok {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if r.Event.State != c.o.State || r.Event.Outcome == nil || r.Event.ID != c.e.ID || r.Cause != c.cause {
				t.Errorf("%s: %+v", c.name, r)
			}
			continue
		}
		if tether.ErrorCode(err) != c.code {
			t.Errorf("%s: error %v, want %s", c.name, err, c.code)
			continue
		}
		if c.code == invalid {
			checkField(t, c.name, err, c.field)
		}
	}

	// Closed events do not change.
	for _, from := range []string{EventReported, EventExcused, EventRescheduled} {
		for _, o := range []Outcome{report, miss, excuse, resched} {
			if _, err := Record(in(from), o, day); tether.ErrorCode(err) != conflict {
				t.Errorf("%s -> %s: %v, want a conflict", from, o.State, err)
			}
		}
	}
}

func TestRecordReschedule(t *testing.T) {
	due := Event{ID: 21, ConditionID: 3, PersonID: 9, Kind: KindInPerson, Date: d("2026-03-05"), At: "10:00", State: EventDue}
	o := Outcome{State: EventRescheduled, At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), By: "A. Caseworker",
		Reason: "Hospital appointment", NewDate: d("2026-03-06"), NewAt: "14:00"}
	r, err := Record(due, o, d("2026-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	n := r.Next
	if n == nil || n.State != EventDue || n.Date != d("2026-03-06") || n.At != "14:00" || n.ConditionID != 3 ||
		n.PersonID != 9 || n.Kind != KindInPerson || n.RescheduledFrom == nil || *n.RescheduledFrom != 21 ||
		n.Note != "Rescheduled from Thursday 5 March 2026: Hospital appointment" {
		t.Errorf("next event: %+v", n)
	}
	o.NewAt = ""
	r, _ = Record(due, o, d("2026-03-02"))
	if r.Next.At != "10:00" {
		t.Errorf("time not kept: %+v", r.Next)
	}
	if due.State != EventDue || due.Outcome != nil {
		t.Errorf("the event passed in changed: %+v", due)
	}
}
