package web

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"tether"
)

// BenchmarkAPIGetPerson measures the hot path of the API: GET
// /api/v1/people/{id} with a bearer token, through the whole handler
// (observe, recover, cross-origin check, token look-up, route, read with
// its audit entry, JSON), on SQLite. It reports requests per second and the
// 99th percentile latency; "parallel" runs GOMAXPROCS clients at once.
func BenchmarkAPIGetPerson(b *testing.B) {
	ts := newTestServer(b)
	p := ts.createPerson(b, &tether.Person{FamilyName: "Benchmark", GivenNames: "Bea", DateOfBirth: tether.PartialDate{Year: 1990, Month: 1, Day: 2},
		Representative: &tether.Representative{Organisation: ts.org.Name, OrganisationID: &ts.org.ID, Instructed: true}})
	ts.addContactPoint(b, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindEmail, Email: "bea@example.org", Source: tether.SourcePerson})
	path := personPath(p.ID)

	for _, role := range []tether.Role{tether.RoleCaseworker, tether.RoleOrganisation} {
		auth := "Bearer " + ts.token(role)
		get := func() time.Duration {
			req := httptest.NewRequest("GET", path, nil)
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
		get() // warm the statement caches and the token's last-used write

		b.Run(string(role)+"/serial", func(b *testing.B) {
			durations := make([]time.Duration, 0, b.N)
			start := time.Now()
			for b.Loop() {
				durations = append(durations, get())
			}
			reportLatency(b, durations, time.Since(start))
		})
		b.Run(string(role)+"/parallel", func(b *testing.B) {
			var mu sync.Mutex
			var durations []time.Duration
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				var mine []time.Duration
				for pb.Next() {
					mine = append(mine, get())
				}
				mu.Lock()
				durations = append(durations, mine...)
				mu.Unlock()
			})
			reportLatency(b, durations, time.Since(start))
		})
	}
}

func reportLatency(b *testing.B, durations []time.Duration, elapsed time.Duration) {
	if len(durations) == 0 || elapsed <= 0 {
		return
	}
	slices.Sort(durations)
	p := func(q float64) time.Duration { return durations[min(len(durations)-1, int(float64(len(durations))*q))] }
	b.ReportMetric(float64(len(durations))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(p(0.50).Microseconds()), "p50-µs")
	b.ReportMetric(float64(p(0.99).Microseconds()), "p99-µs")
}
