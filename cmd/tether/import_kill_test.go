package main

import (
	"context"
	"database/sql"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/exchange"
)

// An import killed (SIGKILL) while it has dropped the indexes it builds
// again at the end leaves them recorded: the next command (here migrate)
// builds them, and running the import again stores the rest, each person
// once, with an audit chain that holds. It runs the binary as
// TestDispatchProcessKilledMidBatch does (see TestMain).
func TestImportProcessKilledWhileIndexesHeld(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs an import of 30,000 people")
	}
	t.Parallel()
	const n = 30000 // a file large enough for the import to hold indexes
	dir := t.TempDir()
	path, dsn := filepath.Join(dir, "people.csv"), filepath.Join(dir, "tether.db")
	a := &app{stdout: io.Discard, stderr: io.Discard, clock: tether.NewManualClock(testNow)}
	if err := a.benchGenerate(context.Background(), path, benchOptions{people: n, seed: 7, format: exchange.CSV}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TETHER_DB": dsn}

	cmd, out := tetherProcess(env, "import", "people", path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+dsn+"?_busy_timeout=10000&_query_only=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	held := func() int {
		var k int
		if err := db.QueryRow(`SELECT COUNT(*) FROM import_held_indexes`).Scan(&k); err != nil {
			return -1 // not made yet
		}
		return k
	}
	deadline := time.Now().Add(time.Minute)
	for held() < 1 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the import never held its indexes:\n%s", out)
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // into the import
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if cmd.ProcessState.Success() {
		t.Fatalf("the import finished before it was killed:\n%s", out)
	}
	indexes := func() []string {
		t.Helper()
		rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('people_dob', 'contact_points_postcode') ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			names = append(names, s)
		}
		return names
	}
	if got, k := indexes(), held(); len(got) != 0 || k != 2 {
		t.Fatalf("after the kill: indexes %v, %d held", got, k)
	}

	must(t, env, "migrate")
	if got, k := indexes(), held(); strings.Join(got, " ") != "contact_points_postcode people_dob" || k != 0 {
		t.Fatalf("after migrate: indexes %v, %d held", got, k)
	}

	r := must(t, env, "import", "people", path)
	c := counts(t, r.stdout)
	imported, stored := atoi(t, c["imported"]), atoi(t, c["already stored"])
	if imported+stored != n || c["rejected"] != "0" {
		t.Fatalf("second import: %v\n%s", c, r.stdout)
	}
	var people, audited int
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT ref) FROM people`).Scan(&people, &audited); err != nil || people != n || audited != n {
		t.Fatalf("%d people, %d references (%v), want %d", people, audited, err, n)
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'person.import'`).Scan(&audited); err != nil || audited != n {
		t.Fatalf("%d person.import entries (%v), want %d", audited, err, n)
	}
	if got, k := indexes(), held(); len(got) != 2 || k != 0 {
		t.Fatalf("after the second import: indexes %v, %d held", got, k)
	}
	if r := cli(t, env, "", "audit", "verify"); r.code != 0 {
		t.Fatalf("audit verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// atoi reads a count as the summary writes it, with commas.
func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, r := range strings.ReplaceAll(s, ",", "") {
		if r < '0' || r > '9' {
			t.Fatalf("count %q", s)
		}
		n = n*10 + int(r-'0')
	}
	return n
}
