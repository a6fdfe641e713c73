package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// BenchmarkAPICheckIn measures check-ins through the whole handler (token,
// route, the store's transaction: the event closed and recorded, the
// person's status read and, for a person at risk, moved back in contact
// with its status event, and the audit entries), on SQLite. One op is a
// day's check-ins of every person (TETHER_BENCH_CHECKINS, default 2,000,
// each on a daily digital condition), by 1 client ("serial") or 8 at once
// ("parallel"); "at-risk" makes every person at risk before the day, so
// that each check-in also changes their status and closes a lapse, and
// "day-5pc-at-risk" one person in twenty. It reports check-ins per
// second and the 99th percentile latency.
func BenchmarkAPICheckIn(b *testing.B) {
	n := 2000
	if s := os.Getenv("TETHER_BENCH_CHECKINS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("TETHER_BENCH_CHECKINS=%q", s)
		}
		n = v
	}
	ts := newTestServer(b)
	ctx := ts.ctx()
	daily, err := reporting.ParseSchedule("weekly mon,tue,wed,thu,fri,sat,sun")
	if err != nil {
		b.Fatal(err)
	}
	people := make([]int64, n)
	setup := time.Now()
	for i := range n {
		p := ts.createPerson(b, &tether.Person{FamilyName: "Bench", GivenNames: "Check"})
		people[i] = p.ID
		if _, err := ts.db.CreateCondition(ctx, &reporting.Condition{PersonID: p.ID, Kind: reporting.KindDigital,
			Schedule: daily, Start: calendar.FromTime(testNow, ukTime), Reason: "Bench"}); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d people on daily conditions in %v", n, time.Since(setup).Round(time.Millisecond))
	auth := "Bearer " + ts.token(tether.RoleCaseworker)
	checkIn := func(id int64) time.Duration {
		req := httptest.NewRequest("POST", "/api/v1/events/"+strconv.FormatInt(id, 10)+"/check-in", nil)
		req.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		start := time.Now()
		ts.srv.ServeHTTP(rec, req)
		d := time.Since(start)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		return d
	}
	day := 0
	// nextDay moves the clock to the next day and lists its events (one a
	// person); pctAtRisk in every hundred people are made at risk first.
	nextDay := func(pctAtRisk int) []int64 {
		day++
		if day > reporting.DefaultHorizonDays-1 {
			b.Fatalf("more than %d days of events: lower -benchtime", reporting.DefaultHorizonDays)
		}
		ts.clock.Set(testNow.Add(time.Duration(day) * 24 * time.Hour))
		d := calendar.FromTime(ts.clock.Now(), ukTime)
		ids := make([]int64, 0, n)
		for i, p := range people {
			if i%100 < pctAtRisk {
				if _, err := ts.db.ChangeStatus(ctx, p, tether.CauseFailedCall, "bench"); err != nil {
					b.Fatal(err)
				}
			}
			evs, err := ts.db.PersonEvents(ctx, p, d, d)
			if err != nil || len(evs) != 1 {
				b.Fatalf("events of %s: %d, %v", d, len(evs), err)
			}
			ids = append(ids, evs[0].ID)
		}
		return ids
	}
	// The day's mixes: everyone in contact; a desk's day, with one person
	// in twenty at risk (the demo's ten weeks of history leave about one
	// in two hundred at risk, so this is ten times as many); everyone at
	// risk, the worst case, where each check-in also closes a lapse, its
	// tracing plan and task.
	for _, mix := range []struct {
		name      string
		pctAtRisk int
	}{{"in-contact", 0}, {"day-5pc-at-risk", 5}, {"at-risk", 100}} {
		for _, clients := range []int{1, 8} {
			name := fmt.Sprintf("%s/clients=%d", mix.name, clients)
			b.Run(name, func(b *testing.B) {
				var all []time.Duration
				var elapsed time.Duration
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					ids := nextDay(mix.pctAtRisk)
					b.StartTimer()
					durations := make([]time.Duration, len(ids))
					start := time.Now()
					var wg sync.WaitGroup
					for c := range clients {
						wg.Go(func() {
							for j := c; j < len(ids); j += clients {
								durations[j] = checkIn(ids[j])
							}
						})
					}
					wg.Wait()
					elapsed += time.Since(start)
					all = append(all, durations...)
				}
				reportLatency(b, all, elapsed)
			})
		}
	}
}
