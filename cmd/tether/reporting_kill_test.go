package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"tether"
	"tether/calendar"
	"tether/reference"
	"tether/reporting"
	"tether/store"
)

// A missed-events sweep killed (SIGKILL) part way: the events it marked
// stay marked, once, and the next run marks the rest, so that every event
// whose day has ended is missed exactly once, with one status event per
// miss. It runs the binary as the dispatch kill tests do (TestMain and
// tetherProcess in dispatch_process_test.go), on the real clock: the
// events are made as if three days ago.
func TestMissedEventsSweepKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs the binary for a few seconds")
	}
	t.Parallel()
	const (
		people = 1200
		lease  = 2 * time.Second
	)
	dsn := filepath.Join(t.TempDir(), "tether.db")
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	clock := tether.NewManualClock(time.Now().Add(-72 * time.Hour))
	db, err := store.Open(dsn, clock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	admin := store.AsActor(tether.Actor{UserID: 1, Role: tether.RoleAdmin, PersonalData: true})
	rows := make([]tether.PersonImport, people)
	for i := range rows {
		rows[i].Person = &tether.Person{Ref: killRef(t, i), FamilyName: "Kill" + killName(i), GivenNames: "Sweep"}
	}
	if _, err := db.ImportPeople(admin, rows); err != nil {
		t.Fatal(err)
	}
	daily, err := reporting.ParseSchedule("weekly mon,tue,wed,thu,fri,sat,sun")
	if err != nil {
		t.Fatal(err)
	}
	start := calendar.FromTime(clock.Now(), london)
	for _, r := range rows {
		if _, err := db.CreateCondition(admin, &reporting.Condition{PersonID: r.Person.ID, Kind: reporting.KindDigital,
			Schedule: daily, Start: start, Reason: "Daily digital check-in"}); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := sql.Open("sqlite3", "file:"+dsn+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := raw.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The three days before today have ended (and today, after 18:00, for
	// events without a time): the sweep's work, counted now on the real clock.
	now := time.Now().In(london)
	today := calendar.FromTime(now, london).String()
	due := count(`SELECT COUNT(*) FROM reporting_events WHERE due_on < ?`, today)
	if now.Format("15:04") >= store.DefaultEndOfDay {
		due = count(`SELECT COUNT(*) FROM reporting_events WHERE due_on <= ?`, today)
	}
	if due < 3*people {
		t.Fatalf("%d events have had their day, want at least %d", due, 3*people)
	}

	env := map[string]string{"TETHER_DB": dsn}
	first, out := tetherProcess(env, "sweep", "-once", "-only", "missed-events", "-step", "10", "-lease", lease.String())
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	missed := func() int { return count(`SELECT COUNT(*) FROM reporting_events WHERE state = 'missed'`) }
	deadline := time.Now().Add(30 * time.Second)
	for missed() < due/5 {
		if time.Now().After(deadline) {
			first.Process.Kill()
			first.Wait()
			t.Fatalf("after 30s %d of %d missed; the sweep said:\n%s", missed(), due, out)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	killedAt := time.Now()
	before := missed()
	t.Logf("killed with %d of %d events missed", before, due)
	if before >= due {
		t.Fatalf("the sweep finished (%d of %d) before it was killed", before, due)
	}

	// The killed run's lease holds until it runs out; then the next run
	// does the rest.
	time.Sleep(time.Until(killedAt.Add(lease + 500*time.Millisecond)))
	second, out2 := tetherProcess(env, "sweep", "-once", "-only", "missed-events")
	if err := second.Run(); err != nil {
		t.Fatalf("second sweep: %v\n%s", err, out2)
	}
	m := regexp.MustCompile(`missed-events: ([\d,]+) done in `).FindStringSubmatch(out2.String())
	if m == nil {
		t.Fatalf("second sweep said:\n%s", out2)
	}
	done, _ := strconv.Atoi(regexpCommas.ReplaceAllString(m[1], ""))
	if done != due-before {
		t.Fatalf("second sweep missed %d, want %d (%d of %d were missed before); it said:\n%s", done, due-before, before, due, out2)
	}
	if n := missed(); n != due {
		t.Fatalf("%d events missed, want %d", n, due)
	}
	if n := count(`SELECT COUNT(*) FROM reporting_events WHERE state = 'due' AND due_on < ?`, today); n != 0 {
		t.Fatalf("%d events of past days still due", n)
	}
	if n := count(`SELECT COUNT(*) FROM status_events WHERE cause = ?`, tether.CauseMissedEvent); n != due {
		t.Fatalf("%d status events for %d misses", n, due)
	}
	if n := count(`SELECT COUNT(*) FROM (SELECT detail FROM status_events WHERE cause = ? GROUP BY detail HAVING COUNT(*) > 1)`,
		tether.CauseMissedEvent); n != 0 {
		t.Fatalf("%d events have more than one status event", n)
	}
	if n := count(`SELECT COUNT(*) FROM (SELECT event_id FROM reporting_history WHERE action = 'missed' GROUP BY event_id HAVING COUNT(*) > 1)`); n != 0 {
		t.Fatalf("%d events were missed more than once", n)
	}
	if n := count(`SELECT COUNT(*) FROM reporting_history WHERE action = 'missed'`); n != due {
		t.Fatalf("%d misses recorded, want %d", n, due)
	}
	if r := cli(t, env, "", "audit", "verify"); r.code != 0 {
		t.Fatalf("audit verify after the kill: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

var regexpCommas = regexp.MustCompile(`,`)

// killRef is a valid reference for the i-th person of a kill test.
func killRef(t *testing.T, i int) string {
	t.Helper()
	ref, err := reference.New(uint32(70000000 + i))
	if err != nil {
		t.Fatal(err)
	}
	return ref
}
