package store

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"tether"
	"tether/reporting"
)

// figureSignal stores a contact-lapse signal recorded at a time, as a
// failed channel would, for the status sweep to apply later.
func figureSignal(t *testing.T, db *DB, personID int64, at time.Time) {
	t.Helper()
	if _, err := db.write.Exec(db.rebind(`INSERT INTO signals (kind, person_id, reason, created_at) VALUES (?, ?, ?, ?)`),
		tether.SignalContactLapse, personID, "permanent failure", db.ts(at)); err != nil {
		t.Fatal(err)
	}
}

// figureMissed stores a missed reporting event of the person's condition.
func figureMissed(t *testing.T, db *DB, personID int64, due string) {
	t.Helper()
	var condID int64
	var kind string
	var centre any
	if err := db.write.QueryRow(db.rebind(`SELECT id, kind, centre FROM reporting_conditions WHERE person_id = ? ORDER BY id LIMIT 1`),
		personID).Scan(&condID, &kind, &centre); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.Exec(db.rebind(`INSERT INTO reporting_events (condition_id, person_id, kind, centre, due_on, scheduled_on,
		state, created_at) VALUES (?, ?, ?, ?, ?, ?, 'missed', ?)`), condID, personID, kind, centre, due, due, db.ts(lapseNow)); err != nil {
		t.Fatal(err)
	}
}

// TestContactFigures builds a small history through the real paths (a
// signal applied by the sweep, failed calls, recorded attempts, contact
// re-established) and checks the figures of February and March 2026, each
// worked out by hand below. London is on GMT until 29 March, so UK days
// are UTC days here.
func TestContactFigures(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			clock := tether.NewManualClock(time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC))
			db := MustOpenTestDB(t, engine, clock)
			bg := context.Background()
			person := func(name, number string) *tether.Person {
				p := mustCreatePerson(t, db, &tether.Person{FamilyName: name, GivenNames: "Test"})
				if err := db.AddContactPoint(cw(), mobile(p.ID, "07700 900"+number)); err != nil {
					t.Fatal(err)
				}
				return p
			}
			a, b, c, d := person("Adebayo", "100"), person("Bello", "200"), person("Chukwu", "300"), person("Danjuma", "400")
			lapseCondition(t, db, a.ID, "Croydon", "2026-01-05", "")
			lapseCondition(t, db, b.ID, "Croydon", "2026-01-05", "")
			lapseCondition(t, db, c.ID, "Eaton", "2026-02-01", "2026-03-31")
			lapseCondition(t, db, d.ID, "", "2026-01-05", "") // by telephone: no centre
			lapseCondition(t, db, d.ID, "Eaton", "2026-04-01", "")
			firstAttempt := func(p *tether.Person, outcome string) {
				t.Helper()
				l := mustLapseOf(t, db, p.ID)
				if _, _, err := db.RecordAttempt(cw(), l.Attempts[0].ID, tether.AttemptInput{Outcome: outcome}); err != nil {
					t.Fatal(err)
				}
			}
			status := func(p *tether.Person, cause string) {
				t.Helper()
				if _, err := db.ChangeStatus(cw(), p.ID, cause, ""); err != nil {
					t.Fatal(err)
				}
			}

			// C, Eaton, February: a failed call (0 hours to at risk), an
			// attempt an hour later, back in contact after 48 hours.
			status(c, tether.CauseFailedCall)
			clock.Advance(time.Hour)
			firstAttempt(c, reporting.OutcomeNoAnswer)
			clock.Set(time.Date(2026, 2, 12, 9, 0, 0, 0, time.UTC))
			status(c, tether.CauseReEstablished)

			// A, Croydon: a failed text recorded at 08:00 on Monday 2 March,
			// applied by the sweep at 10:00 (2 hours); the first attempt on
			// Tuesday at 09:00 (23 hours, within the next working day); back
			// on Thursday at 10:00 (72 hours).
			figureSignal(t, db, a.ID, time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
			clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
			if n, err := db.ConsumeLapseSignals(bg, 10); err != nil || n != 1 {
				t.Fatalf("consumed %d, %v", n, err)
			}
			clock.Set(time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC))
			firstAttempt(a, reporting.OutcomeNoAnswer)
			clock.Set(time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC))
			status(a, tether.CauseReEstablished)

			// B, Croydon: a failed call on Friday 6 March at 12:00; the
			// first attempt the next Tuesday at 12:00 (96 hours: later than
			// Monday, the next working day); still open.
			clock.Set(time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC))
			status(b, tether.CauseFailedCall)
			clock.Set(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
			firstAttempt(b, reporting.OutcomeMessageLeft)

			// D, no centre: a signal on Wednesday 25 March at 09:00, applied
			// on Thursday at 09:00 (24 hours); no attempt yet, and Friday, its
			// next working day, is today: not counted in the share.
			figureSignal(t, db, d.ID, time.Date(2026, 3, 25, 9, 0, 0, 0, time.UTC))
			clock.Set(time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC))
			if n, err := db.ConsumeLapseSignals(bg, 10); err != nil || n != 1 {
				t.Fatalf("consumed %d, %v", n, err)
			}

			// Missed events: two at Croydon in March, one by telephone in
			// March, one at Eaton in February, one in April (outside).
			figureMissed(t, db, a.ID, "2026-03-02")
			figureMissed(t, db, b.ID, "2026-03-05")
			figureMissed(t, db, d.ID, "2026-03-20")
			figureMissed(t, db, c.ID, "2026-02-09")
			figureMissed(t, db, a.ID, "2026-04-01")

			clock.Set(time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC))
			got, err := db.ContactFigures(AsActor(inspector), "2026-02", "2026-03")
			if err != nil {
				t.Fatal(err)
			}
			f, i := func(x float64) *float64 { return &x }, func(n int) *int { return &n }
			dur := func(n int, med, mean float64) reporting.Durations {
				return reporting.Durations{N: n, MedianHours: f(med), MeanHours: f(mean)}
			}
			want := []reporting.FiguresRow{
				// February: everyone (A, B, C, D) is on a condition; C lapsed.
				{Month: "2026-02", Scope: reporting.ScopeAll, People: i(4), Lapses: 1, LapseRate: f(0.25), EventsMissed: 1,
					SignalToAtRisk: dur(1, 0, 0), ToFirstAttempt: dur(1, 1, 1),
					AttemptWithinOneWorkingDay: reporting.Share{Of: 1, With: 1, Share: f(1)}, ToReEstablish: dur(1, 48, 48)},
				{Month: "2026-02", Scope: reporting.ScopeCentre, Centre: "Croydon", People: i(2), LapseRate: f(0)},
				{Month: "2026-02", Scope: reporting.ScopeCentre, Centre: "Eaton", People: i(1), Lapses: 1, LapseRate: f(1), EventsMissed: 1,
					SignalToAtRisk: dur(1, 0, 0), ToFirstAttempt: dur(1, 1, 1),
					AttemptWithinOneWorkingDay: reporting.Share{Of: 1, With: 1, Share: f(1)}, ToReEstablish: dur(1, 48, 48)},
				// March: A, B and D lapsed. Signal to at risk 2, 0 and 24
				// hours: median 2, mean 26/3 = 8.67. First attempts 23 and
				// 96: median and mean 59.5. Within a working day: A of A and B.
				{Month: "2026-03", Scope: reporting.ScopeAll, People: i(4), Lapses: 3, LapseRate: f(0.75), EventsMissed: 3,
					SignalToAtRisk: dur(3, 2, 8.67), ToFirstAttempt: dur(2, 59.5, 59.5),
					AttemptWithinOneWorkingDay: reporting.Share{Of: 2, With: 1, Share: f(0.5)}, ToReEstablish: dur(1, 72, 72), StillOpen: 2},
				{Month: "2026-03", Scope: reporting.ScopeCentre, Centre: "Croydon", People: i(2), Lapses: 2, LapseRate: f(1), EventsMissed: 2,
					SignalToAtRisk: dur(2, 1, 1), ToFirstAttempt: dur(2, 59.5, 59.5),
					AttemptWithinOneWorkingDay: reporting.Share{Of: 2, With: 1, Share: f(0.5)}, ToReEstablish: dur(1, 72, 72), StillOpen: 1},
				{Month: "2026-03", Scope: reporting.ScopeCentre, Centre: "Eaton", People: i(1), LapseRate: f(0)},
				{Month: "2026-03", Scope: reporting.ScopeNoCentre, Lapses: 1, EventsMissed: 1, SignalToAtRisk: dur(1, 24, 24), StillOpen: 1},
			}
			gj, _ := json.MarshalIndent(got.Rows, "", " ")
			wj, _ := json.MarshalIndent(want, "", " ")
			if string(gj) != string(wj) {
				t.Errorf("rows:\n%s\nwant:\n%s", gj, wj)
			}

			if _, err := db.ContactFigures(cw(), "2026-13", "2026-03"); tether.ErrorFields(err)["from"] == "" {
				t.Errorf("bad month: %v", err)
			}
			if _, err := db.ContactFigures(AsActor(orgActor(1)), "2026-02", "2026-03"); tether.ErrorCode(err) != tether.EFORBIDDEN {
				t.Errorf("an organisation user: %v", err)
			}
			if n := lapseCount(t, db, "audit_log", "action = ?", "figures.contact.read"); n != 1 {
				t.Errorf("%d reads of figures audited", n)
			}
		})
	}
}
