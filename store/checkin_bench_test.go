package store

import (
	"os"
	"runtime/pprof"
	"sync"
	"testing"
	"time"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// BenchmarkCheckIn measures CheckInEvent alone, without HTTP, on the
// engine TETHER_BENCH_ENGINE names (SQLite by default): one op is a day's
// check-ins of TETHER_BENCH_CHECKINS people (default 1,000) on daily
// digital conditions, by TETHER_BENCH_CLIENTS desks at once (default 1),
// in contact or, for "at-risk", each made at risk before the day (so that
// each check-in also closes a lapse, its tracing plan, attempts and task).
// It reports check-ins per second and the process's CPU time per
// check-in. With TETHER_BENCH_CPUPROFILE set, the first at-risk op's
// check-ins alone are profiled into that file.
func BenchmarkCheckIn(b *testing.B) {
	n := benchSize(b, "TETHER_BENCH_CHECKINS", 1000)
	clients := benchSize(b, "TETHER_BENCH_CLIENTS", 1)
	clock := tether.NewManualClock(reportingNow)
	db := MustOpenTestDB(b, benchEngine(), clock)
	ctx := AsActor(Caseworker)
	daily, err := reporting.ParseSchedule("weekly mon,tue,wed,thu,fri,sat,sun")
	if err != nil {
		b.Fatal(err)
	}
	people := make([]int64, n)
	for i := range n {
		p := &tether.Person{FamilyName: "Bench", GivenNames: "Check"}
		if err := db.CreatePerson(ctx, p); err != nil {
			b.Fatal(err)
		}
		people[i] = p.ID
		if _, err := db.CreateCondition(ctx, &reporting.Condition{PersonID: p.ID, Kind: reporting.KindDigital,
			Schedule: daily, Start: day("2026-03-02"), Reason: "Bench"}); err != nil {
			b.Fatal(err)
		}
	}
	var profile *os.File
	if path := os.Getenv("TETHER_BENCH_CPUPROFILE"); path != "" {
		if profile, err = os.Create(path); err != nil {
			b.Fatal(err)
		}
		defer profile.Close()
	}
	d := 0
	for _, atRisk := range []bool{false, true} {
		name := "in-contact"
		if atRisk {
			name = "at-risk"
		}
		b.Run(name, func(b *testing.B) {
			var elapsed, cpu time.Duration
			for range b.N {
				b.StopTimer()
				d++
				if d >= reporting.DefaultHorizonDays {
					b.Fatalf("more than %d days: lower -benchtime", reporting.DefaultHorizonDays)
				}
				clock.Set(reportingNow.Add(time.Duration(d) * 24 * time.Hour))
				today := calendar.FromTime(clock.Now(), time.UTC)
				ids := make([]int64, n)
				for i, p := range people {
					if atRisk {
						if _, err := db.ChangeStatus(ctx, p, tether.CauseFailedCall, "bench"); err != nil {
							b.Fatal(err)
						}
					}
					evs, err := db.PersonEvents(ctx, p, today, today)
					if err != nil || len(evs) != 1 {
						b.Fatalf("events of %s: %d, %v", today, len(evs), err)
					}
					ids[i] = evs[0].ID
				}
				if profile != nil && atRisk {
					if err := pprof.StartCPUProfile(profile); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				cpu0, start := cpuTime(), time.Now()
				var wg sync.WaitGroup
				for c := range clients {
					wg.Go(func() {
						for j := c; j < len(ids); j += clients {
							if _, err := db.CheckInEvent(ctx, ids[j], reporting.CheckIn{}); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				elapsed += time.Since(start)
				cpu += cpuTime() - cpu0
				b.StopTimer()
				if profile != nil && atRisk {
					pprof.StopCPUProfile()
					profile = nil // one op's worth
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "checkins/s")
			b.ReportMetric(float64(cpu.Microseconds())/float64(n*b.N), "cpu-µs/checkin")
		})
	}
}
