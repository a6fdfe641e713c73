package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"tether"
	"tether/reporting"
)

// checkInPopulation gives db n people on daily digital conditions, every
// other one at risk (a lapse, its plan and task open), and returns them
// with today's event of each.
func checkInPopulation(t *testing.T, db *DB, n int) (people, events []int64) {
	t.Helper()
	daily := schedule(t, "weekly mon,tue,wed,thu,fri,sat,sun")
	for i := range n {
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Group", GivenNames: "Check " + string(rune('a'+i%26))})
		if _, err := db.CreateCondition(cw(), &reporting.Condition{PersonID: p.ID, Kind: reporting.KindDigital,
			Schedule: daily, Start: day("2026-03-02"), Reason: "Test"}); err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseFailedCall, "no answer"); err != nil {
				t.Fatal(err)
			}
		}
		people = append(people, p.ID)
		events = append(events, eventOn(t, db, p.ID, "2026-03-02").ID)
	}
	return people, events
}

// TestCheckInGroupSameAsOneByOne writes a group of check-ins (as
// concurrent ones are written on SQLite) on one database and the same
// check-ins one at a time on another made the same way: the same results,
// refusals included (a second check-in of an event, an unknown event, a
// stale version), and the same rows in every table, the audit chain too.
func TestCheckInGroupSameAsOneByOne(t *testing.T) {
	t.Parallel()
	group := MustOpenTestDB(t, SQLite, tether.NewManualClock(reportingNow))
	single := MustOpenTestDB(t, SQLite, tether.NewManualClock(reportingNow))
	people, events := checkInPopulation(t, group, 10)
	if _, ev := checkInPopulation(t, single, 10); !slices.Equal(ev, events) {
		t.Fatalf("populations differ: %v, %v", ev, events)
	}
	// A check-in that fails after it has written (the event closed, the
	// status changed, then its status event refused): in a group, its
	// savepoint is rolled back and the others stand.
	for _, db := range []*DB{group, single} {
		if _, err := db.write.Exec(`CREATE TRIGGER refuse_status BEFORE INSERT ON status_events WHEN NEW.person_id = ` +
			strconv.FormatInt(people[3], 10) + ` BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`); err != nil {
			t.Fatal(err)
		}
	}
	other := AsActor(tether.Actor{UserID: 7, Role: tether.RoleCaseworker, Label: "test:desk-2", PersonalData: true})
	type call struct {
		ctx context.Context
		id  int64
		in  reporting.CheckIn
	}
	var calls []call
	for i, id := range events {
		ctx := cw()
		if i%3 == 0 {
			ctx = other
		}
		calls = append(calls, call{ctx, id, reporting.CheckIn{How: reporting.KindInPerson, Where: "Desk " + strconv.Itoa(i)}})
		if i == 2 || i == 5 {
			calls = append(calls, call{cw(), id, reporting.CheckIn{}}) // checked in already
		}
	}
	calls = append(calls, call{cw(), 999999, reporting.CheckIn{}}, // no such event
		call{cw(), events[0], reporting.CheckIn{Version: 7}}) // stale (and checked in)
	// Each is a group: the first has none refused (written at once, with
	// no savepoints), the second holds the refusals among check-ins
	// (written again with a savepoint each).
	groups := [][]call{calls[:3], calls[3:]}

	var got, want []string
	result := func(e *reporting.EventRecord, err error) string {
		if err != nil {
			return tether.ErrorCode(err) + ": " + tether.ErrorMessage(err)
		}
		return e.State + " v" + strconv.Itoa(e.Version) + " by " + e.Outcome.By + " " + e.Outcome.How + " " + e.Outcome.Where
	}
	for _, g := range groups {
		batch := make([]*checkInCall, len(g))
		for i, c := range g {
			batch[i] = &checkInCall{ctx: c.ctx, id: c.id, in: c.in, wake: make(chan struct{}, 1)}
		}
		group.writeCheckIns(batch)
		for _, c := range batch {
			got = append(got, result(c.e, c.err))
		}
	}
	for _, c := range calls {
		want = append(want, result(single.CheckInEvent(c.ctx, c.id, c.in)))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("results in groups:\n%s\none by one:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(got[len(got)-2], tether.ENOTFOUND) || !strings.Contains(got[3], "already checked in") ||
		!strings.Contains(got[4], tether.EINTERNAL) {
		t.Fatalf("refusals: %q", got)
	}
	for _, table := range []string{"reporting_events", "reporting_history", "people", "status_events", "lapses",
		"lapse_events", "tracing_plans", "tracing_attempts", "tasks", "task_events", "audit_log", "audit_head"} {
		g, s := tableDump(t, group, table), tableDump(t, single, table)
		if len(g) != len(s) {
			t.Errorf("%s: %d rows in groups, %d one by one", table, len(g), len(s))
			continue
		}
		for i := range g {
			if g[i] != s[i] {
				t.Errorf("%s row %d:\n group  %s\n single %s", table, i, g[i], s[i])
			}
		}
	}
	if r, err := group.VerifyAudit(admin()); err != nil || !r.OK {
		t.Fatalf("audit chain: %+v, %v", r, err)
	}
}

// TestCheckInsAtOnce checks in a day's events from many desks at once,
// each event from two desks, through CheckInEvent: every event is checked
// in exactly once (the other desk told it was already), everyone at risk
// is back in contact with their lapse, plan and task closed, and the audit
// chain holds. On SQLite the check-ins are written in groups.
func TestCheckInsAtOnce(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db, _ := reportingDB(t, engine)
			people, events := checkInPopulation(t, db, 40)
			const desks = 8
			var wg sync.WaitGroup
			var mu sync.Mutex
			done, already := map[int64]int{}, 0
			for d := range desks {
				wg.Go(func() {
					ctx := AsActor(tether.Actor{UserID: int64(100 + d), Role: tether.RoleCaseworker,
						Label: "test:desk-" + strconv.Itoa(d), PersonalData: true})
					// Each event is tried by desk d and desk d+desks/2.
					for i := d % (desks / 2); i < len(events); i += desks / 2 {
						_, err := db.CheckInEvent(ctx, events[i], reporting.CheckIn{})
						mu.Lock()
						switch {
						case err == nil:
							done[events[i]]++
						case tether.ErrorCode(err) == tether.ECONFLICT && strings.Contains(tether.ErrorMessage(err), "already checked in"):
							already++
						default:
							t.Errorf("event %d: %v", events[i], err)
						}
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if len(done) != len(events) || already != len(events) {
				t.Fatalf("%d events checked in, %d refused as already; want %d and %d", len(done), already, len(events), len(events))
			}
			for id, n := range done {
				if n != 1 {
					t.Fatalf("event %d checked in %d times", id, n)
				}
			}
			for _, p := range people {
				if st, _ := statusOf(t, db, p); st.Status != tether.StatusInContact {
					t.Fatalf("person %d: %s", p, st.Status)
				}
			}
			if n := countTable(t, db, "lapses", "closed_at IS NULL"); n != 0 {
				t.Fatalf("%d lapses open", n)
			}
			if n := countTable(t, db, "tracing_plans", "state <> ?", tether.PlanClosed); n != 0 {
				t.Fatalf("%d plans open", n)
			}
			if n := countTable(t, db, "tasks", "state IN ('open', 'claimed')"); n != 0 {
				t.Fatalf("%d tasks still to do", n)
			}
			if n := countTable(t, db, "reporting_history", "action = ?", reporting.ActionReported); n != len(events) {
				t.Fatalf("%d check-ins recorded, want %d", n, len(events))
			}
			if n := countTable(t, db, "audit_log", "action = ?", "reporting.event.check_in"); n != len(events) {
				t.Fatalf("%d check-ins audited, want %d", n, len(events))
			}
			if r, err := db.VerifyAudit(admin()); err != nil || !r.OK {
				t.Fatalf("audit chain: %+v, %v", r, err)
			}
		})
	}
}

// A check-in is one audit entry, naming every record it changed: for a
// person at risk, their status, their lapse and its task, each with what
// its own entry said before.
func TestCheckInIsOneAuditEntry(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		people, events := checkInPopulation(t, db, 2)
		before, err := db.FindAuditEntries(admin(), tether.AuditFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range events {
			if _, err := db.CheckInEvent(cw(), id, reporting.CheckIn{}); err != nil {
				t.Fatal(err)
			}
		}
		after, err := db.FindAuditEntries(admin(), tether.AuditFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var added []*tether.AuditEntry
		for _, e := range after {
			if e.Seq > before[0].Seq {
				added = append(added, e)
			}
		}
		if len(added) != 2 {
			t.Fatalf("%d audit entries for 2 check-ins: %+v", len(added), added)
		}
		// Newest first: the person at risk, then the one in contact.
		atRisk, inContact := added[0], added[1]
		if inContact.Action != "reporting.event.check_in" || inContact.EntityID != events[0] ||
			inContact.Detail != "person="+strconv.FormatInt(people[0], 10)+" how=digital" {
			t.Errorf("in contact: %+v", inContact)
		}
		if atRisk.Action != "reporting.event.check_in" || atRisk.EntityID != events[1] {
			t.Errorf("at risk: %+v", atRisk)
		}
		l, err := db.PersonLapses(cw(), people[1])
		if err != nil || len(l) != 1 || l[0].ClosedAt == nil {
			t.Fatalf("lapses %+v, %v", l, err)
		}
		for _, want := range []string{
			"person=" + strconv.FormatInt(people[1], 10) + " how=digital; ",
			"person.status person=" + strconv.FormatInt(people[1], 10) + " from=at_risk to=in_contact cause=" + tether.CauseReEstablished,
			"; lapse.close lapse=" + strconv.FormatInt(l[0].ID, 10) + " from=at_risk",
			"; task.complete task=",
		} {
			if !strings.Contains(atRisk.Detail, want) {
				t.Errorf("at risk: detail %q lacks %q", atRisk.Detail, want)
			}
		}
	})
}
