package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/reporting"
)

// markMissedOneByOne is the end-of-day sweep as it was before the status
// machine and lapses took a batch at once: each miss through applyStatus
// in turn. The batched sweep must leave exactly what it left.
func markMissedOneByOne(t *testing.T, db *DB, max int) int {
	t.Helper()
	ctx, err := systemCtx(context.Background(), SweepActor)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.rollback()
	today, before := tx.missedCut(db.reportingConfig())
	rows, err := tx.Query(missedDueQuery+` LIMIT `+strconv.Itoa(max), today.String(), today.String(), before)
	if err != nil {
		t.Fatal(err)
	}
	var due []missedDue
	for rows.Next() {
		var m missedDue
		if err := rows.Scan(&m.id, &m.personID, &m.conditionID, &m.day, &m.version); err != nil {
			t.Fatal(err)
		}
		due = append(due, m)
	}
	rows.Close()
	by := tx.actor.String()
	for _, m := range due {
		if _, err := tx.Exec(`UPDATE reporting_events SET state = 'missed', version = version + 1, outcome_at = ?, outcome_by = ?
			WHERE id = ? AND state = 'due'`, db.ts(tx.now), by, m.id); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range due {
		if _, err := tx.Exec(`INSERT INTO reporting_history (person_id, condition_id, event_id, at, actor, action, from_state,
			to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.personID, m.conditionID, m.id, db.ts(tx.now), by,
			reporting.ActionMissed, reporting.EventDue, reporting.EventMissed, "the reporting day "+m.day+" ended with no check-in"); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range due {
		if _, err := tx.applyStatus(m.personID, tether.CauseMissedEvent, nil, "reporting event "+strconv.FormatInt(m.id, 10)+" missed"); err != nil {
			t.Fatal(err)
		}
		tx.Audit("reporting.event.missed", "reporting_event", m.id, "person="+strconv.FormatInt(m.personID, 10)+" day="+m.day)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return len(due)
}

// batchPopulation gives db people whose misses take every path of the
// status machine and lapses: in contact with contact points of their own
// and others' (a Scottish address: its bank holidays), with a flag, with
// no details at all, at risk already with an open lapse, out of contact,
// and people missing two events in the same sweep.
func batchPopulation(t *testing.T, db *DB) {
	t.Helper()
	var people []*tether.Person
	for i := range 7 {
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Batch" + strings.Repeat("e", i), GivenNames: "Sweep"})
		people = append(people, p)
		c := inPerson(p.ID, "2026-03-02")
		if i == 5 {
			c.Centre, c.Division = "", "" // no centre: a telephone condition
			c.Kind, c.Phone = reporting.KindTelephone, "07700 900111"
		}
		if _, err := db.CreateCondition(cw(), c); err != nil {
			t.Fatal(err)
		}
	}
	points := []*tether.ContactPoint{
		{PersonID: people[0].ID, Kind: tether.KindMobile, Party: tether.PartySelf, Phone: "07700 900123"},
		{PersonID: people[0].ID, Kind: tether.KindEmail, Party: tether.PartySelf, Email: "batch@example.org"},
		{PersonID: people[0].ID, Kind: tether.KindPostal, Party: tether.PartySelf,
			Address: &tether.Address{Lines: []string{"1 High Street"}, Town: "Edinburgh", Postcode: "EH1 1YZ"}},
		{PersonID: people[1].ID, Kind: tether.KindMobile, Party: tether.PartyEmergencyContact, PartyName: "A Friend",
			Relationship: "friend", Phone: "07700 900456"},
		{PersonID: people[1].ID, Kind: tether.KindPostal, Party: tether.PartySelf,
			Address: &tether.Address{Lines: []string{"2 Low Road"}, Town: "Croydon", Postcode: "CR0 1AA"}},
	}
	for _, c := range points {
		c.Source = tether.SourceCaseworker
		if err := db.AddContactPoint(cw(), c); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetPersonFlag(cw(), people[2].ID, reporting.FlagIdentifiedForRemoval, true, "Bench"); err != nil {
		t.Fatal(err)
	}
	// Out of contact, with a lapse; and at risk already.
	if _, err := db.ChangeStatus(cw(), people[4].ID, tether.CauseFailedCall, "no answer"); err != nil {
		t.Fatal(err)
	}
	db.Clock.(*tether.ManualClock).Set(time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC))
	if n, err := db.EscalateStatuses(context.Background(), 10); err != nil || n != 1 {
		t.Fatalf("escalated %d, %v", n, err)
	}
	if _, err := db.ChangeStatus(cw(), people[3].ID, tether.CauseFailedCall, "no answer"); err != nil {
		t.Fatal(err)
	}
}

// tableDump is every row of a table in order of its first column, as
// text, but for what is random (a person's reference, and so the audit
// chain's hashes).
func tableDump(t *testing.T, db *DB, table string) []string {
	t.Helper()
	rows, err := db.write.Query(`SELECT * FROM ` + table + ` ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if s, ok := v.([]byte); ok {
				v = string(s)
			}
			switch cols[i] {
			case "ref", "hash", "prev_hash":
				v = "-"
			}
			fmt.Fprintf(&b, "%s=%v ", cols[i], v)
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMissedSweepBatchSameAsOneByOne runs the end-of-day sweep in batches
// on one database and one miss at a time, as it was, on another made the
// same way: every row it writes (and the audit chain) must be the same.
func TestMissedSweepBatchSameAsOneByOne(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
			batch := MustOpenTestDB(t, engine, tether.NewManualClock(start))
			single := MustOpenTestDB(t, engine, tether.NewManualClock(start))
			batchPopulation(t, batch)
			batchPopulation(t, single)
			// A week on: each has missed Monday's and Thursday's events.
			later := time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)
			batch.Clock.(*tether.ManualClock).Set(later)
			single.Clock.(*tether.ManualClock).Set(later)
			got := sweepAll(t, batch.MarkMissedEvents, 5)
			want := 0
			for {
				n := markMissedOneByOne(t, single, 5)
				want += n
				if n < 5 {
					break
				}
			}
			if got != want || got < 10 {
				t.Fatalf("batch missed %d, one by one %d", got, want)
			}
			for _, table := range []string{"reporting_events", "reporting_history", "people", "status_events", "lapses",
				"lapse_events", "tracing_plans", "tracing_attempts", "tasks", "task_events", "audit_log"} {
				b, s := tableDump(t, batch, table), tableDump(t, single, table)
				if len(b) != len(s) {
					t.Errorf("%s: %d rows in batches, %d one by one", table, len(b), len(s))
					continue
				}
				for i := range b {
					if b[i] != s[i] {
						t.Errorf("%s row %d:\n batch  %s\n single %s", table, i, b[i], s[i])
					}
				}
			}
		})
	}
}
