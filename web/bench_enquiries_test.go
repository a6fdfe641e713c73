package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tether"
	"tether/enquiry"
	"tether/reference"
	"tether/store"
)

// benchEnv reads a positive number from the environment, or def.
func benchEnv(b *testing.B, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v <= 0 {
		b.Fatalf("%s=%q", name, s)
	}
	return v
}

// BenchmarkEnquiryCreateHTTP measures raising enquiries through the HTTP
// API, as offices' users with their tokens, over a real listener: POST
// /api/v1/enquiries with the person's reference, each one matched to its
// person, checked for likely duplicates, given its due date in the
// office's calendar, and put in the enquiries queue as a task, with its
// event, figures and audit entries. One op raises TETHER_BENCH_ENQUIRY_CREATES
// enquiries (default 10,000) from TETHER_BENCH_ENQUIRY_OFFICES offices
// (default 20), a working day's worth at a time, on SQLite and, when
// TETHER_TEST_POSTGRES is set, on PostgreSQL; by one client ("serial") or
// eight at once ("parallel"). It reports enquiries per second overall and
// over the last tenth (when the table is fullest), and the median and 99th
// percentile latency. Run it with -benchtime=1x.
func BenchmarkEnquiryCreateHTTP(b *testing.B) {
	n := benchEnv(b, "TETHER_BENCH_ENQUIRY_CREATES", 10000)
	nOffices := benchEnv(b, "TETHER_BENCH_ENQUIRY_OFFICES", 20)
	for _, engine := range store.TestEngines() {
		for _, clients := range []int{1, 8} {
			name := engine + "/serial"
			if clients > 1 {
				name = engine + "/parallel"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					bench := newEnquiryBench(b, engine, n, nOffices)
					b.StartTimer()
					bench.run(b, clients)
				}
			})
		}
	}
}

// enquiryBench is a server over a fresh store with offices, their users'
// tokens and the people their enquiries are about.
type enquiryBench struct {
	db      *store.DB
	clock   *tether.ManualClock
	url     string
	client  *http.Client
	tokens  []string
	refs    []string
	perDay  int
	created atomic.Int64
}

func newEnquiryBench(b *testing.B, engine string, n, nOffices int) *enquiryBench {
	b.Helper()
	setup := time.Now()
	clock := tether.NewManualClock(testNow)
	db := store.MustOpenTestDB(b, engine, clock)
	ctx := tether.NewContextWithActor(b.Context(), tether.CLIActor("bench"))
	e := &enquiryBench{db: db, clock: clock, perDay: max(1, n/250)}
	for i := range nOffices {
		o := &tether.Organisation{Name: fmt.Sprintf("Office of Bench Member %d MP", i), Kind: tether.OrgMPOffice, Division: "england-and-wales"}
		if err := db.CreateOrganisation(ctx, o); err != nil {
			b.Fatal(err)
		}
		u := &tether.User{Email: fmt.Sprintf("office%d@example.org", i), Name: "Bench office", Role: tether.RoleOrganisation, OrganisationID: &o.ID}
		if err := db.CreateUser(ctx, u, testPassword); err != nil {
			b.Fatal(err)
		}
		secret, _, err := db.CreateAPIToken(ctx, u.ID, "bench")
		if err != nil {
			b.Fatal(err)
		}
		e.tokens = append(e.tokens, secret)
	}
	for start := 0; start < n; start += 1000 {
		var batch []tether.PersonImport
		for i := start; i < min(n, start+1000); i++ {
			ref, err := reference.New(uint32(i + 1))
			if err != nil {
				b.Fatal(err)
			}
			e.refs = append(e.refs, ref)
			batch = append(batch, tether.PersonImport{Person: &tether.Person{Ref: ref, FamilyName: "Bench", GivenNames: "Person " + strconv.Itoa(i),
				DateOfBirth: tether.PartialDate{Year: 1970 + i%40, Month: 1 + i%12, Day: 1 + i%28}}})
		}
		if _, err := db.ImportPeople(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	srv := New(Services{People: db, Contacts: db, Users: db, Credentials: db, Audit: db, Ready: db.Ping, Correspondence: db,
		Tasks: db, Enquiries: db}, Config{}, clock, nil)
	hs := httptest.NewServer(srv)
	b.Cleanup(hs.Close)
	e.url = hs.URL + "/api/v1/enquiries"
	e.client = hs.Client()
	e.client.Transport.(*http.Transport).MaxIdleConnsPerHost = 16
	b.Logf("%s: %d offices, %d people in %v", engine, nOffices, n, time.Since(setup).Round(time.Millisecond))
	return e
}

var benchCategories = enquiry.Categories

// raise raises the i-th enquiry and returns how long it took.
func (e *enquiryBench) raise(i int) (time.Duration, error) {
	in := map[string]any{"subject": map[string]any{"ref": e.refs[i]}, "question": "When will my constituent's claim be decided?",
		"category": benchCategories[i%len(benchCategories)], "urgency": "routine",
		"authority": map[string]any{"basis": "written_consent", "given_on": "2026-02-20"}}
	if i%10 == 0 {
		in["urgency"], in["urgency_reason"] = "urgent", "A removal flight is booked."
	}
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest("POST", e.url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.tokens[i%len(e.tokens)])
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, err
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if resp.StatusCode != http.StatusCreated {
		return 0, fmt.Errorf("enquiry %d: status %d: %s", i, resp.StatusCode, out)
	}
	// A day's enquiries at a time: the due dates move on.
	if c := e.created.Add(1); c%int64(e.perDay) == 0 {
		e.clock.Advance(24 * time.Hour)
	}
	return d, nil
}

func (e *enquiryBench) run(b *testing.B, clients int) {
	n := len(e.refs)
	durations := make([]time.Duration, n)
	ends := make([]time.Time, n)
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var failed error
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				d, err := e.raise(i)
				if err != nil {
					once.Do(func() { failed = err })
					next.Store(int64(n))
					return
				}
				durations[i], ends[i] = d, time.Now()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if failed != nil {
		b.Fatal(failed)
	}
	ctx := tether.NewContextWithActor(b.Context(), tether.CLIActor("bench"))
	if _, total, err := e.db.FindEnquiries(ctx, enquiry.Filter{Limit: 1}); err != nil || total != n {
		b.Fatalf("%d enquiries stored, want %d: %v", total, n, err)
	}
	// The last tenth, by when each finished.
	slices.SortFunc(ends, func(a, c time.Time) int { return a.Compare(c) })
	tenth := max(1, n/10)
	lastRate := float64(tenth) / ends[n-1].Sub(ends[n-1-tenth]).Seconds()
	slices.Sort(durations)
	b.ReportMetric(float64(n)/elapsed.Seconds(), "enquiries/s")
	b.ReportMetric(lastRate, "last-tenth/s")
	b.ReportMetric(float64(durations[n/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(durations[min(n-1, n*99/100)].Microseconds())/1000, "p99-ms")
	b.StartTimer()
}

// BenchmarkEnquiryPages times the enquiry pages through the whole handler
// (session, route, store, rendering) over TETHER_BENCH_ENQUIRIES historic
// enquiries (default 1,000,000, one in twenty open) on SQLite: an office's
// list (all, and those still open), its CSV export, the department's lists
// and triage page, and the performance report page for a year.
func BenchmarkEnquiryPages(b *testing.B) {
	n := benchEnv(b, "TETHER_BENCH_ENQUIRIES", 1_000_000)
	ts := newTestServer(b)
	setup := time.Now()
	store.SeedEnquiriesSQLite(b, ts.db, n)
	b.Logf("%d enquiries in %v", n, time.Since(setup).Round(time.Millisecond))
	sessions := map[tether.Role]string{}
	for _, role := range []tether.Role{tether.RoleOrganisation, tether.RoleEnquiries} {
		token, _, err := ts.db.CreateSession(ts.ctx(), ts.user(role).ID)
		if err != nil {
			b.Fatal(err)
		}
		sessions[role] = token
	}
	for _, pg := range []struct {
		name, path string
		role       tether.Role
	}{
		{"office-list", "/enquiries", tether.RoleOrganisation},
		{"office-list-open", "/enquiries?state=open", tether.RoleOrganisation},
		{"office-list-page-10", "/enquiries?page=10", tether.RoleOrganisation},
		{"office-export", "/enquiries/export.csv", tether.RoleOrganisation},
		{"staff-list-open", "/enquiries?state=open", tether.RoleEnquiries},
		{"staff-list-overdue", "/enquiries?overdue=yes", tether.RoleEnquiries},
		{"staff-triage", "/enquiries/triage", tether.RoleEnquiries},
		{"report-year", "/enquiries/report?from=2025-01&to=2025-12", tether.RoleEnquiries},
	} {
		b.Run(pg.name, func(b *testing.B) {
			durations := make([]time.Duration, 0, 1024)
			start := time.Now()
			for b.Loop() {
				req := httptest.NewRequest("GET", pg.path, nil)
				req.AddCookie(&http.Cookie{Name: SessionCookie, Value: sessions[pg.role]})
				rec := httptest.NewRecorder()
				t0 := time.Now()
				ts.srv.ServeHTTP(rec, req)
				durations = append(durations, time.Since(t0))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d: %.300s", pg.path, rec.Code, rec.Body)
				}
			}
			reportLatency(b, durations, time.Since(start))
		})
	}
}
