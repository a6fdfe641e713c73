package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// reportingNow is where the reporting tests start: Monday 2 March 2026,
// 09:00 in London (GMT until the clocks go forward on 29 March).
var reportingNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func day(s string) calendar.Date { return calendar.MustParseDate(s) }

// inPerson is a condition to report at Croydon on Mondays and Thursdays at
// 10:00 from start, open-ended.
func inPerson(personID int64, start string) *reporting.Condition {
	s, err := reporting.ParseSchedule("weekly mon,thu 10:00")
	if err != nil {
		panic(err)
	}
	return &reporting.Condition{PersonID: personID, Kind: reporting.KindInPerson, Schedule: s, Start: day(start),
		Centre: "Croydon  reporting centre", Division: calendar.EnglandAndWales, Reason: "Bail conditions"}
}

func schedule(t *testing.T, text string) reporting.Schedule {
	t.Helper()
	s, err := reporting.ParseSchedule(text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// eventDays lists a person's events as "day state" strings.
func eventDays(t *testing.T, db *DB, personID int64) []string {
	t.Helper()
	evs, err := db.PersonEvents(cw(), personID, calendar.Date{}, calendar.Date{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Date.String() + " " + e.State
	}
	return out
}

func eventOn(t *testing.T, db *DB, personID int64, d string) *reporting.EventRecord {
	t.Helper()
	evs, err := db.PersonEvents(cw(), personID, day(d), day(d))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 {
		t.Fatalf("%d events on %s, want 1", len(evs), d)
	}
	return evs[0]
}

func wantErr(t *testing.T, err error, code, field string) {
	t.Helper()
	if tether.ErrorCode(err) != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	if field != "" {
		if _, ok := tether.ErrorFields(err)[field]; !ok {
			t.Fatalf("error %v does not name %s", err, field)
		}
	}
}

func countTable(t *testing.T, db *DB, table, where string, args ...any) int {
	t.Helper()
	var n int
	q := `SELECT COUNT(*) FROM ` + table
	if where != "" {
		q += ` WHERE ` + where
	}
	if err := db.write.QueryRow(db.rebind(q), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func reportingDB(t *testing.T, engine string) (*DB, *tether.ManualClock) {
	clock := tether.NewManualClock(reportingNow)
	return MustOpenTestDB(t, engine, clock), clock
}

func TestConditionLifecycle(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db, _ := reportingDB(t, engine)
			p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Tesfay", GivenNames: "Selam"})

			c, err := db.CreateCondition(cw(), inPerson(p.ID, "2026-03-02"))
			if err != nil {
				t.Fatal(err)
			}
			if c.Centre != "Croydon reporting centre" || c.SetBy != "test:caseworker" || c.HorizonTo != day("2026-03-29") || c.Version != 1 {
				t.Fatalf("condition: %+v", c)
			}
			// Four weeks ahead: Mondays and Thursdays from today.
			want := []string{"2026-03-02 due", "2026-03-05 due", "2026-03-09 due", "2026-03-12 due",
				"2026-03-16 due", "2026-03-19 due", "2026-03-23 due", "2026-03-26 due"}
			if got := eventDays(t, db, p.ID); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("events %v, want %v", got, want)
			}

			// Refusals name the field and write nothing.
			before := countTable(t, db, "reporting_conditions", "")
			events := countTable(t, db, "reporting_events", "")
			weekend := inPerson(p.ID, "2026-04-01")
			weekend.Schedule = schedule(t, "weekly sat 10:00")
			_, err = db.CreateCondition(cw(), weekend)
			wantErr(t, err, tether.EINVALID, "schedule.weekdays[0]")
			none := &reporting.Condition{PersonID: p.ID, Kind: reporting.KindDigital, Schedule: schedule(t, "weekly mon"),
				Start: day("2026-03-03"), End: day("2026-03-06"), Reason: "Short"}
			_, err = db.CreateCondition(cw(), none)
			wantErr(t, err, tether.EINVALID, "schedule")
			_, err = db.CreateCondition(cw(), inPerson(p.ID, "2026-06-01"))
			wantErr(t, err, tether.EINVALID, "start")
			if !strings.Contains(tether.ErrorFields(err)["start"], "overlaps condition") {
				t.Fatalf("overlap: %v", err)
			}
			_, err = db.CreateCondition(cw(), &reporting.Condition{PersonID: 999999, Kind: reporting.KindDigital,
				Schedule: schedule(t, "weekly mon"), Start: day("2026-03-02"), Reason: "x"})
			wantErr(t, err, tether.ENOTFOUND, "")
			_, err = db.CreateCondition(AsActor(tether.Actor{UserID: 5, Role: tether.RoleEnquiries}), inPerson(p.ID, "2027-01-01"))
			wantErr(t, err, tether.EFORBIDDEN, "")
			if countTable(t, db, "reporting_conditions", "") != before || countTable(t, db, "reporting_events", "") != events {
				t.Fatal("a refused condition wrote something")
			}

			// Eligibility: no telephone reporting once identified for removal.
			phone := &reporting.Condition{PersonID: p.ID, Kind: reporting.KindTelephone, Schedule: schedule(t, "weekly wed 19:00"),
				Start: day("2026-03-02"), Phone: "07700 900123", Reason: "Telephone reporting"}
			if err := db.SetPersonFlag(cw(), p.ID, reporting.FlagIdentifiedForRemoval, true, "Removal directions set"); err != nil {
				t.Fatal(err)
			}
			_, err = db.CreateCondition(cw(), phone)
			wantErr(t, err, tether.EINVALID, "kind")
			if !strings.Contains(tether.ErrorFields(err)["kind"], "no-telephone-identified-for-removal version 1") {
				t.Fatalf("rule not named: %v", err)
			}
			wantErr(t, db.SetPersonFlag(cw(), p.ID, reporting.FlagIdentifiedForRemoval, true, "again"), tether.ECONFLICT, "")
			wantErr(t, db.SetPersonFlag(cw(), p.ID, "unknown", true, "x"), tether.EINVALID, "flag")
			if err := db.SetPersonFlag(cw(), p.ID, reporting.FlagIdentifiedForRemoval, false, "Directions cancelled"); err != nil {
				t.Fatal(err)
			}
			tel, err := db.CreateCondition(cw(), phone)
			if err != nil {
				t.Fatal(err)
			}
			if tel.Phone != "+447700900123" || tel.Centre != "" {
				t.Fatalf("telephone condition: %+v", tel)
			}
			flags, changes, err := db.PersonFlags(cw(), p.ID)
			if err != nil || len(flags) != 0 || len(changes) != 2 || changes[0].Action != reporting.ActionFlagSet ||
				changes[1].Action != reporting.ActionFlagCleared {
				t.Fatalf("flags %v, changes %+v, %v", flags, changes, err)
			}

			// Change from Tuesday 10 March: the old one ends on the 9th,
			// its due events from the 10th are withdrawn, the new one's made.
			next := inPerson(0, "2026-03-10")
			next.Schedule = schedule(t, "weekly wed 11:00")
			old, repl, err := db.ChangeCondition(cw(), c.ID, next, "Tighter conditions after a miss")
			if err != nil {
				t.Fatal(err)
			}
			if old.End != day("2026-03-09") || old.EndedReason != "Tighter conditions after a miss" || old.Version != 2 ||
				repl.Replaces == nil || *repl.Replaces != c.ID || repl.PersonID != p.ID {
				t.Fatalf("change: old %+v new %+v", old, repl)
			}
			// The telephone condition's Wednesdays are there too.
			want = []string{"2026-03-02 due", "2026-03-04 due", "2026-03-05 due", "2026-03-09 due", "2026-03-11 due",
				"2026-03-11 due", "2026-03-18 due", "2026-03-18 due", "2026-03-25 due", "2026-03-25 due"}
			if got := eventDays(t, db, p.ID); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("events after the change: %v, want %v", got, want)
			}
			if n := countTable(t, db, "reporting_history", "condition_id = ? AND action = ?", c.ID, reporting.ActionWithdrawn); n != 5 {
				t.Fatalf("%d withdrawals recorded, want 5 (12, 16, 19, 23 and 26 March)", n)
			}

			// End the new one on Wednesday 18 March: the 25th is withdrawn.
			ended, err := db.EndCondition(cw(), repl.ID, day("2026-03-18"), "Detained")
			if err != nil {
				t.Fatal(err)
			}
			if ended.End != day("2026-03-18") || ended.EndedReason != "Detained" {
				t.Fatalf("ended: %+v", ended)
			}
			_, err = db.EndCondition(cw(), repl.ID, day("2026-03-20"), "Again")
			wantErr(t, err, tether.EINVALID, "end")

			list, err := db.PersonConditions(cw(), p.ID)
			if err != nil || len(list) != 3 {
				t.Fatalf("conditions %d, %v", len(list), err)
			}
			var actions []string
			for _, h := range list[0].History {
				actions = append(actions, h.Action)
			}
			if strings.Join(actions, ",") != "set,events_made,replaced" {
				t.Fatalf("history of the first: %v", actions)
			}
			got1, err := db.FindCondition(cw(), repl.ID)
			if err != nil || len(got1.History) != 3 || got1.History[2].Action != reporting.ActionEnded {
				t.Fatalf("find: %+v %v", got1, err)
			}
			// An inspector without personal data sees no number or reasons.
			seen, err := db.PersonConditions(AsActor(inspector), p.ID)
			if err != nil || seen[1].Phone != "" || seen[1].Reason != "" {
				t.Fatalf("inspector: %+v %v", seen, err)
			}
			_, err = db.PersonConditions(AsActor(orgActor(1)), p.ID)
			wantErr(t, err, tether.EFORBIDDEN, "")
		})
	}
}

func statusOf(t *testing.T, db *DB, personID int64) (tether.PersonStatus, []*tether.StatusEvent) {
	t.Helper()
	st, events, err := db.ContactStatus(cw(), personID)
	if err != nil {
		t.Fatal(err)
	}
	return st, events
}

func TestCheckInAndOutcomes(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db, clock := reportingDB(t, engine)
			p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Haile", GivenNames: "Dawit"})
			if _, err := db.CreateCondition(cw(), inPerson(p.ID, "2026-03-02")); err != nil {
				t.Fatal(err)
			}
			today := eventOn(t, db, p.ID, "2026-03-02")
			thursday := eventOn(t, db, p.ID, "2026-03-05")

			// A check-in is for today's event only.
			_, err := db.CheckInEvent(cw(), thursday.ID, reporting.CheckIn{})
			wantErr(t, err, tether.ECONFLICT, "")
			if !strings.Contains(tether.ErrorMessage(err), "not today") {
				t.Fatalf("not today: %v", err)
			}
			// A stale version is refused.
			_, err = db.CheckInEvent(cw(), today.ID, reporting.CheckIn{Version: today.Version + 1})
			wantErr(t, err, tether.ECONFLICT, "")

			// The person is at risk (a failed call); checking in brings them
			// back in contact, audited.
			if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseFailedCall, "no answer"); err != nil {
				t.Fatal(err)
			}
			e, err := db.CheckInEvent(cw(), today.ID, reporting.CheckIn{Version: today.Version})
			if err != nil {
				t.Fatal(err)
			}
			if e.State != reporting.EventReported || e.Outcome == nil || e.Outcome.How != reporting.KindInPerson ||
				e.Outcome.Where != "Croydon reporting centre" || e.Outcome.By != "test:caseworker" || e.Version != 2 {
				t.Fatalf("checked in: %+v %+v", e, e.Outcome)
			}
			st, events := statusOf(t, db, p.ID)
			if st.Status != tether.StatusInContact || events[len(events)-1].Cause != tether.CauseReEstablished {
				t.Fatalf("status after check-in: %+v %+v", st, events[len(events)-1])
			}
			if d := auditDetails(t, db, "reporting.event.check_in"); len(d) != 1 || !strings.Contains(d[0], "how=in_person") {
				t.Fatalf("audit: %v", d)
			}
			// A second check-in is refused, saying it was checked in already.
			_, err = db.CheckInEvent(cw(), today.ID, reporting.CheckIn{})
			wantErr(t, err, tether.ECONFLICT, "")
			if !strings.Contains(tether.ErrorMessage(err), "already checked in") {
				t.Fatalf("second check-in: %v", err)
			}
			// Checking in a person in contact leaves the status alone.
			if _, events2 := statusOf(t, db, p.ID); len(events2) != len(events) {
				t.Fatalf("status events %d, then %d", len(events), len(events2))
			}

			// Missed: not before the day; then the status moves.
			_, _, err = db.RecordOutcome(cw(), thursday.ID, reporting.OutcomeRequest{State: reporting.EventMissed})
			wantErr(t, err, tether.ECONFLICT, "")
			_, _, err = db.RecordOutcome(cw(), thursday.ID, reporting.OutcomeRequest{State: reporting.EventReported})
			wantErr(t, err, tether.EINVALID, "state")
			clock.Set(time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC))
			missed, _, err := db.RecordOutcome(cw(), thursday.ID, reporting.OutcomeRequest{State: reporting.EventMissed, Reason: "Did not come"})
			if err != nil || missed.State != reporting.EventMissed {
				t.Fatalf("missed: %+v %v", missed, err)
			}
			if st, _ := statusOf(t, db, p.ID); st.Status != tether.StatusAtRisk {
				t.Fatalf("after a miss: %+v", st)
			}
			// A later explanation clears the miss: it needs the reason and
			// who accepted it.
			_, _, err = db.RecordOutcome(cw(), thursday.ID, reporting.OutcomeRequest{State: reporting.EventExcused, Reason: "In hospital"})
			wantErr(t, err, tether.EINVALID, "accepted_by")
			excused, _, err := db.RecordOutcome(cw(), thursday.ID, reporting.OutcomeRequest{State: reporting.EventExcused,
				Reason: "In hospital", AcceptedBy: "A. Officer", Version: missed.Version})
			if err != nil || excused.State != reporting.EventExcused || excused.Outcome.AcceptedBy != "A. Officer" {
				t.Fatalf("excused: %+v %v", excused, err)
			}
			got, err := db.FindEvent(cw(), thursday.ID)
			if err != nil || len(got.History) != 2 || got.History[0].To != reporting.EventMissed || got.History[1].From != reporting.EventMissed ||
				got.History[1].To != reporting.EventExcused {
				t.Fatalf("history: %+v %v", got.History, err)
			}
			_, _, err = db.RecordOutcome(cw(), thursday.ID, reporting.OutcomeRequest{State: reporting.EventMissed})
			wantErr(t, err, tether.ECONFLICT, "")

			// Rescheduled: to a day the centre is open, within the condition.
			monday := eventOn(t, db, p.ID, "2026-03-09")
			_, _, err = db.RecordOutcome(cw(), monday.ID, reporting.OutcomeRequest{State: reporting.EventRescheduled, Reason: "Interview",
				NewDate: day("2026-03-14")})
			wantErr(t, err, tether.EINVALID, "new_date")
			_, _, err = db.RecordOutcome(cw(), monday.ID, reporting.OutcomeRequest{State: reporting.EventRescheduled, Reason: "Interview",
				NewDate: day("2026-03-12")})
			wantErr(t, err, tether.EINVALID, "new_date") // the condition has its Thursday event that day
			old, next, err := db.RecordOutcome(cw(), monday.ID, reporting.OutcomeRequest{State: reporting.EventRescheduled, Reason: "Interview",
				NewDate: day("2026-03-10"), NewAt: "14:00"})
			if err != nil {
				t.Fatal(err)
			}
			if old.State != reporting.EventRescheduled || old.Outcome.NewDate != day("2026-03-10") || next.State != reporting.EventDue ||
				next.Date != day("2026-03-10") || next.At != "14:00" || next.RescheduledFrom == nil || *next.RescheduledFrom != monday.ID {
				t.Fatalf("rescheduled: %+v -> %+v", old, next)
			}
			if e := eventOn(t, db, p.ID, "2026-03-10"); e.ID != next.ID || e.Centre != "Croydon reporting centre" {
				t.Fatalf("new event: %+v", e)
			}
			_, _, err = db.RecordOutcome(AsActor(inspector), next.ID, reporting.OutcomeRequest{State: reporting.EventMissed})
			wantErr(t, err, tether.EFORBIDDEN, "")
			_, err = db.FindEvent(cw(), 999999)
			wantErr(t, err, tether.ENOTFOUND, "")
		})
	}
}

// Two desks check in one event at once, on separate connections as two
// app instances would: one wins, the other is told it was checked in.
func TestCheckInRace(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db, _ := reportingDB(t, engine)
			other := db.Reopen(t)
			p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Race", GivenNames: "Rita"})
			if _, err := db.CreateCondition(cw(), inPerson(p.ID, "2026-03-02")); err != nil {
				t.Fatal(err)
			}
			for round := range 5 {
				e := eventOn(t, db, p.ID, "2026-03-02")
				if round > 0 {
					// Each round needs a fresh due event today.
					if _, err := db.write.Exec(db.rebind(`UPDATE reporting_events SET state = 'due', outcome_at = NULL WHERE id = ?`), e.ID); err != nil {
						t.Fatal(err)
					}
					e = eventOn(t, db, p.ID, "2026-03-02")
				}
				var wg sync.WaitGroup
				errs := make([]error, 2)
				for i, d := range []*DB{db, other} {
					wg.Go(func() { _, errs[i] = d.CheckInEvent(cw(), e.ID, reporting.CheckIn{}) })
				}
				wg.Wait()
				ok, conflict := 0, 0
				for _, err := range errs {
					switch {
					case err == nil:
						ok++
					case tether.ErrorCode(err) == tether.ECONFLICT && strings.Contains(tether.ErrorMessage(err), "already checked in"):
						conflict++
					default:
						t.Fatalf("round %d: %v", round, err)
					}
				}
				if ok != 1 || conflict != 1 {
					t.Fatalf("round %d: %d check-ins, %d conflicts", round, ok, conflict)
				}
			}
			if n := countTable(t, db, "reporting_history", "action = ?", reporting.ActionReported); n != 5 {
				t.Fatalf("%d check-ins recorded, want 5", n)
			}
		})
	}
}

func TestRoster(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db, clock := reportingDB(t, engine)
			var people []*tether.Person
			for i, at := range []string{"09:30", "10:00", "11:00"} {
				p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Roster", GivenNames: []string{"Ama", "Kofi", "Abena"}[i]})
				c := inPerson(p.ID, "2026-03-02")
				c.Schedule.At = at
				if _, err := db.CreateCondition(cw(), c); err != nil {
					t.Fatal(err)
				}
				people = append(people, p)
			}
			elsewhere := mustCreatePerson(t, db, &tether.Person{FamilyName: "Elsewhere"})
			c := inPerson(elsewhere.ID, "2026-03-02")
			c.Centre = "Eaton House"
			if _, err := db.CreateCondition(cw(), c); err != nil {
				t.Fatal(err)
			}
			clock.Set(time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC))
			if _, err := db.CheckInEvent(cw(), eventOn(t, db, people[0].ID, "2026-03-02").ID, reporting.CheckIn{}); err != nil {
				t.Fatal(err)
			}
			ro, err := db.Roster(cw(), " croydon reporting centre ", day("2026-03-02"))
			if err != nil {
				t.Fatal(err)
			}
			if len(ro.Entries) != 0 {
				t.Fatalf("the centre is matched as stored: %+v", ro)
			}
			ro, err = db.Roster(cw(), "Croydon  reporting centre", day("2026-03-02"))
			if err != nil {
				t.Fatal(err)
			}
			if len(ro.Entries) != 3 || ro.Now != "10:15" || ro.Reported != 1 || ro.Late != 1 || ro.Expected != 1 ||
				ro.Entries[0].State != reporting.EventReported || !ro.Entries[1].Late || ro.Entries[2].Late ||
				ro.Entries[1].Name != "Kofi Roster" || ro.Entries[1].PersonRef != people[1].Ref {
				t.Fatalf("roster: %+v", ro)
			}
			ro, err = db.Roster(AsActor(inspector), "Croydon reporting centre", day("2026-03-05"))
			if err != nil || len(ro.Entries) != 3 || ro.Entries[0].Name != "" || ro.Now != "" || ro.Expected != 3 {
				t.Fatalf("inspector's Thursday roster: %+v %v", ro, err)
			}
			_, err = db.Roster(cw(), "", calendar.Date{})
			wantErr(t, err, tether.EINVALID, "centre")
			wantErr(t, err, tether.EINVALID, "day")
		})
	}
}

func sweepAll(t *testing.T, step func(context.Context, int) (int, error), max int) int {
	t.Helper()
	total := 0
	for {
		n, err := step(context.Background(), max)
		if err != nil {
			t.Fatal(err)
		}
		total += n
		if n < max {
			return total
		}
	}
}

func TestMissedEventsSweep(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db, clock := reportingDB(t, engine)
			a := mustCreatePerson(t, db, &tether.Person{FamilyName: "Morning"})
			b := mustCreatePerson(t, db, &tether.Person{FamilyName: "Evening"})
			if _, err := db.CreateCondition(cw(), inPerson(a.ID, "2026-03-02")); err != nil {
				t.Fatal(err)
			}
			// Telephone reporting at 19:00, after the end of the day.
			if _, err := db.CreateCondition(cw(), &reporting.Condition{PersonID: b.ID, Kind: reporting.KindTelephone,
				Schedule: schedule(t, "weekly mon 19:00"), Start: day("2026-03-02"), Phone: "07700 900456", Reason: "Telephone"}); err != nil {
				t.Fatal(err)
			}
			step := db.MarkMissedEvents
			// Monday 17:59: nothing has had its day.
			clock.Set(time.Date(2026, 3, 2, 17, 59, 0, 0, time.UTC))
			if n := sweepAll(t, step, 10); n != 0 {
				t.Fatalf("before the end of the day: %d missed", n)
			}
			// 18:00: the 10:00 event is missed; the 19:00 one waits.
			clock.Set(time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC))
			if n := sweepAll(t, step, 10); n != 1 {
				t.Fatalf("at the end of the day: %d missed, want 1", n)
			}
			if e := eventOn(t, db, a.ID, "2026-03-02"); e.State != reporting.EventMissed || e.Outcome.By != "system:sweep" {
				t.Fatalf("morning event: %+v", e)
			}
			if e := eventOn(t, db, b.ID, "2026-03-02"); e.State != reporting.EventDue {
				t.Fatalf("evening event: %+v", e)
			}
			if st, events := statusOf(t, db, a.ID); st.Status != tether.StatusAtRisk || len(events) != 1 ||
				events[0].Cause != tether.CauseMissedEvent || !strings.Contains(events[0].Detail, "reporting event") {
				t.Fatalf("status: %+v %+v", st, events)
			}
			// Tuesday: the 19:00 event too. Thursday's, once its day is over.
			clock.Set(time.Date(2026, 3, 3, 1, 0, 0, 0, time.UTC))
			if n := sweepAll(t, step, 10); n != 1 {
				t.Fatalf("the next night: %d missed, want 1", n)
			}
			clock.Set(time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC))
			// A check-in the day after is refused: the day has passed.
			_, err := db.CheckInEvent(cw(), eventOn(t, db, a.ID, "2026-03-05").ID, reporting.CheckIn{})
			wantErr(t, err, tether.ECONFLICT, "")
			// Small steps: each event once, one status event per miss.
			clock.Set(time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC))
			n := sweepAll(t, step, 1)
			// a: 5, 9, 12, 16, 19 March; b: 9 and 16 March.
			if n != 7 {
				t.Fatalf("a fortnight later: %d missed, want 7", n)
			}
			if n := sweepAll(t, step, 10); n != 0 {
				t.Fatalf("again: %d", n)
			}
			missed := countTable(t, db, "reporting_events", "state = 'missed'")
			statusEvents := countTable(t, db, "status_events", "cause = ?", tether.CauseMissedEvent)
			history := countTable(t, db, "reporting_history", "action = ?", reporting.ActionMissed)
			audits := len(auditDetails(t, db, "reporting.event.missed"))
			if missed != 9 || statusEvents != 9 || history != 9 || audits != 9 {
				t.Fatalf("missed %d, status events %d, history %d, audit %d: want 9 each", missed, statusEvents, history, audits)
			}
			wantErr(t, errOf(db.MarkMissedEvents(context.Background(), 0)), tether.EINVALID, "max")
			wantErr(t, errOf(db.MarkMissedEvents(cw(), 10)), tether.EFORBIDDEN, "")
		})
	}
}

func TestRemindersSweep(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db, clock := reportingDB(t, engine)
			mustSeed(t, db)
			texted, _ := reachablePerson(t, db)
			emailed := mustCreatePerson(t, db, &tether.Person{FamilyName: "Email", GivenNames: "Only"})
			if err := db.AddContactPoint(cw(), &tether.ContactPoint{PersonID: emailed.ID, Kind: tether.KindEmail,
				Email: "only@example.org", Source: tether.SourcePerson}); err != nil {
				t.Fatal(err)
			}
			unreachable := mustCreatePerson(t, db, &tether.Person{FamilyName: "Nowhere"})
			monitored := mustCreatePerson(t, db, &tether.Person{FamilyName: "Tagged"})
			for _, p := range []*tether.Person{texted, emailed, unreachable} {
				c := inPerson(p.ID, "2026-03-03")
				c.Schedule = schedule(t, "weekly tue 10:30")
				if _, err := db.CreateCondition(cw(), c); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.CreateCondition(cw(), &reporting.Condition{PersonID: monitored.ID, Kind: reporting.KindElectronicMonitoring,
				Device: reporting.DeviceGPSTag, Schedule: schedule(t, "weekly tue"), Start: day("2026-03-03"), Reason: "Tag"}); err != nil {
				t.Fatal(err)
			}
			step := db.SendReminders
			// Monday 10:29: not yet a day before Tuesday 10:30. The tag's
			// event, with no time, counts as at 09:00: its reminder is due.
			clock.Set(time.Date(2026, 3, 2, 10, 29, 0, 0, time.UTC))
			if n := sweepAll(t, step, 10); n != 1 {
				t.Fatalf("at 10:29: %d reminded, want 1 (the tag)", n)
			}
			clock.Set(time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC))
			if n := sweepAll(t, step, 1); n != 3 {
				t.Fatalf("at 10:30: %d reminded, want 3", n)
			}
			if n := sweepAll(t, step, 10); n != 0 {
				t.Fatalf("again: %d reminded", n)
			}
			check := func(p *tether.Person, channel, note string) *reporting.Reminder {
				t.Helper()
				e := eventOn(t, db, p.ID, "2026-03-03")
				if e.Reminder == nil || e.Reminder.Channel != channel || !strings.Contains(e.Reminder.Note, note) ||
					(channel != reporting.ReminderNone) != (e.Reminder.NoticeID != nil) {
					t.Fatalf("%s: reminder %+v, want %s (%s)", p.FamilyName, e.Reminder, channel, note)
				}
				return e.Reminder
			}
			r := check(texted, tether.MethodSMS, "")
			n, err := db.FindNoticeByID(admin(), *r.NoticeID)
			if err != nil || n.State != tether.NoticeQueued || !strings.Contains(n.Content, "Croydon reporting centre by 10:30am on Tuesday 3 March 2026") {
				t.Fatalf("text: %+v %v", n, err)
			}
			r = check(emailed, tether.MethodEmail, "by email")
			if n, err := db.FindNoticeByID(admin(), *r.NoticeID); err != nil || n.Channel != tether.SendNotifyEmail ||
				!strings.Contains(n.Subject, "Tuesday 3 March 2026") || n.CopyDue {
				t.Fatalf("email: %+v %v", n, err)
			}
			check(unreachable, reporting.ReminderNone, "no working mobile number or email address")
			check(monitored, reporting.ReminderNone, "electronic monitoring")
			if got := countTable(t, db, "notices", "template_key = ?", DefaultReminderTemplate); got != 2 {
				t.Fatalf("%d reminder notices, want 2", got)
			}
			if got := len(auditDetails(t, db, "reporting.event.remind")); got != 4 {
				t.Fatalf("%d reminder audit entries, want 4", got)
			}

			// A template that cannot be used fails the sweep and marks nothing.
			if err := db.SetReporting(Reporting{ReminderTemplate: "no-such-template"}); err != nil {
				t.Fatal(err)
			}
			clock.Set(time.Date(2026, 3, 9, 11, 0, 0, 0, time.UTC))
			if _, err := db.SendReminders(context.Background(), 10); err == nil || !errors.Is(err, errReminderTemplate) {
				t.Fatalf("missing template: %v", err)
			}
			if n := countTable(t, db, "reporting_events", "reminder_at IS NOT NULL"); n != 4 {
				t.Fatalf("%d events marked reminded, want 4", n)
			}
		})
	}
}

func TestHorizonSweep(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db, clock := reportingDB(t, engine)
			p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Horizon"})
			open, err := db.CreateCondition(cw(), inPerson(p.ID, "2026-03-02"))
			if err != nil {
				t.Fatal(err)
			}
			short := &reporting.Condition{PersonID: p.ID, Kind: reporting.KindDigital, Schedule: schedule(t, "weekly fri"),
				Start: day("2026-03-02"), End: day("2026-03-20"), Reason: "Three weeks"}
			if _, err := db.CreateCondition(cw(), short); err != nil {
				t.Fatal(err)
			}
			step := db.ExtendHorizons
			// A week on, 21 days are still ahead: nothing to do.
			clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
			if n := sweepAll(t, step, 10); n != 0 {
				t.Fatalf("a week on: %d extended", n)
			}
			// Three weeks on, the open one is extended to 28 days ahead;
			// the short one ended inside its first horizon and is not read.
			clock.Set(time.Date(2026, 3, 23, 9, 0, 0, 0, time.UTC))
			if n := sweepAll(t, step, 10); n != 1 {
				t.Fatalf("three weeks on: %d extended, want 1", n)
			}
			got, err := db.FindCondition(cw(), open.ID)
			if err != nil || got.HorizonTo != day("2026-04-19") {
				t.Fatalf("horizon: %+v %v", got, err)
			}
			evs, err := db.PersonEvents(cw(), p.ID, day("2026-03-30"), day("2026-04-19"))
			if err != nil {
				t.Fatal(err)
			}
			// Mondays and Thursdays to 19 April; Easter Monday (6 April)
			// moves to Tuesday 7 April, with a note.
			var days []string
			for _, e := range evs {
				days = append(days, e.Date.String())
				if e.Date == day("2026-04-07") && !strings.Contains(e.Note, "Easter Monday") {
					t.Fatalf("moved event: %+v", e)
				}
			}
			if strings.Join(days, ",") != "2026-03-30,2026-04-02,2026-04-07,2026-04-09,2026-04-13,2026-04-16" {
				t.Fatalf("extended events: %v", days)
			}
			if n := sweepAll(t, step, 10); n != 0 {
				t.Fatalf("again: %d", n)
			}
			if n := countTable(t, db, "reporting_conditions", "horizon_done = 1"); n != 1 {
				t.Fatalf("%d conditions done, want 1", n)
			}
		})
	}
}

// Two app instances sweep one PostgreSQL database at once, each with
// several workers: every due event is missed once, with one status event
// per miss, and every reminder is handled once.
func TestReportingSweepersShareWork(t *testing.T) {
	t.Parallel()
	if TestEngines()[len(TestEngines())-1] != Postgres {
		t.Skip("TETHER_TEST_POSTGRES is not set: sweepers only run at once on PostgreSQL")
	}
	db, clock := reportingDB(t, Postgres)
	other := db.Reopen(t)
	mustSeed(t, db)
	const people = 150
	var rows []tether.PersonImport
	for i := range people {
		p := &tether.Person{FamilyName: "Sweep", GivenNames: "Person"}
		p.Ref = refFor(nil, uint32(50000000+i))
		rows = append(rows, tether.PersonImport{Person: p, ContactPoints: []*tether.ContactPoint{
			{Kind: tether.KindMobile, Phone: "+447700900" + strconv.Itoa(100+i), Source: tether.SourcePerson}}})
	}
	if _, err := db.ImportPeople(cw(), rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if _, err := db.CreateCondition(cw(), &reporting.Condition{PersonID: r.Person.ID, Kind: reporting.KindDigital,
			Schedule: schedule(t, "weekly mon,tue,wed,thu,fri,sat,sun 12:00"), Start: day("2026-03-02"), Reason: "Daily"}); err != nil {
			t.Fatal(err)
		}
	}
	// Ten days on: 2 to 11 March have had their day (it is 18:30).
	clock.Set(time.Date(2026, 3, 12, 18, 30, 0, 0, time.UTC))
	race := func(step func(*DB) func(context.Context, int) (int, error)) int {
		var mu sync.Mutex
		total := 0
		var wg sync.WaitGroup
		for w := range 6 {
			d := []*DB{db, other}[w%2]
			wg.Go(func() {
				for {
					n, err := step(d)(context.Background(), 25)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					total += n
					mu.Unlock()
					if n == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		return total
	}
	const missedWant = people * 11 // 2 to 12 March: today's 12:00 event too
	if n := race(func(d *DB) func(context.Context, int) (int, error) { return d.MarkMissedEvents }); n != missedWant {
		t.Fatalf("sweepers missed %d, want %d", n, missedWant)
	}
	if n := countTable(t, db, "reporting_events", "state = 'missed'"); n != missedWant {
		t.Fatalf("%d missed events stored, want %d", n, missedWant)
	}
	if n := countTable(t, db, "status_events", "cause = ?", tether.CauseMissedEvent); n != missedWant {
		t.Fatalf("%d status events, want %d", n, missedWant)
	}
	var dup int
	if err := db.write.QueryRow(`SELECT COUNT(*) FROM (SELECT event_id FROM reporting_history WHERE action = 'missed'
		GROUP BY event_id HAVING COUNT(*) > 1) d`).Scan(&dup); err != nil || dup != 0 {
		t.Fatalf("%d events missed more than once (%v)", dup, err)
	}
	// Reminders for tomorrow's noon events are due from noon today.
	if n := race(func(d *DB) func(context.Context, int) (int, error) { return d.SendReminders }); n != people {
		t.Fatalf("sweepers reminded %d, want %d", n, people)
	}
	if n := countTable(t, db, "notices", "template_key = ?", DefaultReminderTemplate); n != people {
		t.Fatalf("%d reminder notices, want %d", n, people)
	}
}

// TestReportingIndexes checks on SQLite that the sweeps' claims and the
// roster are read through their indexes, in order, without a sort: their
// cost is the rows due, not the population.
func TestReportingIndexes(t *testing.T) {
	t.Parallel()
	db := MustOpenTestDB(t, SQLite, nil)
	for _, tc := range []struct {
		q, index string
		args     []any
	}{
		{missedDueQuery + ` LIMIT 500`, "reporting_events_due", []any{"2026-03-02", "2026-03-02", "18:00"}},
		{remindDueQuery + ` LIMIT 500`, "reporting_events_remind", []any{"2026-03-03"}},
		{horizonDueQuery + ` LIMIT 500`, "reporting_conditions_horizon", []any{"2026-03-16"}},
		{rosterQuery + ` LIMIT 5000`, "reporting_events_roster", []any{"Croydon reporting centre", "2026-03-02"}},
	} {
		rows, err := db.write.Query(`EXPLAIN QUERY PLAN `+tc.q, tc.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notUsed int
			var detail string
			if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		p := strings.Join(plan, "; ")
		if !strings.Contains(p, tc.index) || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s\nplan: %s; want %s without a sort", tc.q, p, tc.index)
		}
	}
}
