package store

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"tether"
	"tether/reference"
)

// missedPopulation is a reporting population built with plain batched
// SQL (no rules, no audit): people, of whom some are on an in-person
// condition with the events a rolling horizon holds (one reported a week
// ago, four due in the weeks ahead). Before each run of the sweep, fresh
// people (in contact, never on a condition before) are given a condition
// with an event yesterday still due, for the end-of-day sweep to find:
// each run does the whole work of a first miss (the event closed and
// recorded, the person at risk, the lapse and its tracing plan started).
type missedPopulation struct {
	people, onConditions, due int
	nextPerson, nextCond      int64
	conds, events             []any
}

// queue adds a condition for person and its events (day offsets from
// today; the first closed as reported when reported), flushing every
// 20,000 conditions.
func (mp *missedPopulation) queue(tx *Tx, person int64, days []int, reported bool) error {
	today, now := tx.today(), tx.db.ts(tx.now)
	centre := "Centre " + strconv.FormatInt(person%40, 10)
	mp.conds = append(mp.conds, person, "in_person", centre, "england-and-wales", "weekly mon 10:00",
		today.AddDays(-60).String(), "Bench", "Bench", today.AddDays(27).String(), now, "bench")
	for j, d := range days {
		state := "due"
		if j == 0 && reported {
			state = "reported"
		}
		day := today.AddDays(d).String()
		mp.events = append(mp.events, mp.nextCond, person, "in_person", centre, day, "10:00", day, state, now)
	}
	mp.nextCond++
	if len(mp.conds) >= 11*20000 {
		return mp.flush(tx)
	}
	return nil
}

func (mp *missedPopulation) flush(tx *Tx) error {
	if err := tx.bulkInsert(`INSERT INTO reporting_conditions (person_id, kind, centre, division, schedule, start_on, set_by,
		reason, horizon_to, created_at, created_by) VALUES `, ``, 11, mp.conds, nil); err != nil {
		return err
	}
	if err := tx.bulkInsert(`INSERT INTO reporting_events (condition_id, person_id, kind, centre, due_on, at_time, scheduled_on,
		state, created_at) VALUES `, ``, 9, mp.events, nil); err != nil {
		return err
	}
	mp.conds, mp.events = mp.conds[:0], mp.events[:0]
	return nil
}

// build writes the population into db, on the day of db's clock.
func (mp *missedPopulation) build(b *testing.B, db *DB) {
	b.Helper()
	start := time.Now()
	tx, err := db.BeginTx(cw())
	if err != nil {
		b.Fatal(err)
	}
	defer tx.rollback()
	now := db.ts(tx.now)
	const batch = 50000
	for lo := 0; lo < mp.people; lo += batch {
		args := make([]any, 0, batch*4)
		for i := lo; i < min(lo+batch, mp.people); i++ {
			ref, err := reference.New(uint32(10000000 + i))
			if err != nil {
				b.Fatal(err)
			}
			args = append(args, ref, "Person"+strconv.Itoa(i%9973), now, now)
		}
		if err := tx.bulkInsert(`INSERT INTO people (ref, family_name, created_at, updated_at) VALUES `, ``, 4, args, nil); err != nil {
			b.Fatal(err)
		}
	}
	mp.nextCond = 1
	for i := 0; i < mp.onConditions; i++ {
		if err := mp.queue(tx, int64(i+1), []int{-7, 2, 9, 16, 23}, true); err != nil {
			b.Fatal(err)
		}
	}
	if err := mp.flush(tx); err != nil {
		b.Fatal(err)
	}
	mp.nextPerson = int64(mp.onConditions + 1)
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := db.write.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d people, %d on conditions with %d events, in %v", mp.people, mp.onConditions, 5*mp.onConditions,
		time.Since(start).Round(time.Millisecond))
}

// fresh gives the next mp.due people a condition with an event yesterday,
// still due.
func (mp *missedPopulation) fresh(b *testing.B, db *DB) {
	b.Helper()
	if int(mp.nextPerson)+mp.due-1 > mp.people {
		b.Fatalf("no fresh people left for another run: lower -benchtime")
	}
	tx, err := db.BeginTx(cw())
	if err != nil {
		b.Fatal(err)
	}
	defer tx.rollback()
	for range mp.due {
		if err := mp.queue(tx, mp.nextPerson, []int{-1}, false); err != nil {
			b.Fatal(err)
		}
		mp.nextPerson++
	}
	if err := mp.flush(tx); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkMissedEventsSweep times the end-of-day sweep over 10,000 events
// due yesterday (each closed as missed and recorded, the miss applied to
// its person's contact status, which starts a lapse with its tracing plan,
// all audited) in two populations on SQLite: 1,000,000 people with 100,000
// on conditions, and 100,000 people with 10,000 on conditions. The sweep
// reads only due events by day, so the two should cost about the same:
// the work, not the population. The populations are built only when the
// benchmark runs (go test -bench MissedEventsSweep -benchtime 3x);
// TETHER_BENCH_MISSED_SCALE divides them for a quick look.
func BenchmarkMissedEventsSweep(b *testing.B) {
	if testing.Short() {
		b.Skip("-short")
	}
	scale := benchSize(b, "TETHER_BENCH_MISSED_SCALE", 1)
	for _, mp := range []*missedPopulation{
		{people: 1000000 / scale, onConditions: 100000 / scale, due: 10000 / scale},
		{people: 100000 / scale, onConditions: 10000 / scale, due: 10000 / scale},
	} {
		b.Run(fmt.Sprintf("people=%d/due=%d", mp.people, mp.due), func(b *testing.B) {
			// Thursday 5 March 2026, 09:00: yesterday's events have had their day.
			db := MustOpenTestDB(b, benchEngine(), tether.NewManualClock(time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)))
			mp.build(b, db)
			ctx := context.Background()
			var total time.Duration
			runs := 0
			for b.Loop() {
				runs++
				b.StopTimer()
				mp.fresh(b, db)
				runtime.GC()
				b.StartTimer()
				start := time.Now()
				done := 0
				for {
					n, err := db.MarkMissedEvents(ctx, maxClaim)
					if err != nil {
						b.Fatal(err)
					}
					done += n
					if n < maxClaim {
						break
					}
				}
				total += time.Since(start)
				if done != mp.due {
					b.Fatalf("missed %d, want %d", done, mp.due)
				}
			}
			b.ReportMetric(total.Seconds()/float64(runs), "s/sweep")
			b.ReportMetric(float64(mp.due*runs)/total.Seconds(), "events/s")
		})
	}
}
