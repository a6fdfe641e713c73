package store

import (
	"context"
	"strconv"
	"testing"

	"tether"
)

// SeedEnquiriesSQLite writes n historic enquiries from 650 MP offices over
// the five years before 2026, one in twenty still open (spread over every
// office), straight into a SQLite test database, as a bulk load from
// another system would, and rebuilds the figures the report reads from
// them (RebuildEnquiryStats). It also adds the 650 offices, after any the
// database has: enquiries go to organisations 1 to 650. For benchmarks
// only: the population is never built by a normal test run.
func SeedEnquiriesSQLite(tb testing.TB, db *DB, n int) {
	tb.Helper()
	if db.Dialect != SQLite {
		tb.Fatal("SeedEnquiriesSQLite: SQLite only")
	}
	ctx := context.Background()
	stmts := []string{
		`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 650)
		 INSERT INTO organisations (name, kind, constituency, division, created_at)
		 SELECT 'Office ' || x, 'mp_office', 'Constituency ' || x, 'england-and-wales', '2020-01-01T00:00:00.000000Z' FROM c`,
		// Office 1 + (x / 20) % 650: every office has its share of the
		// open enquiries (x % 20 = 0) as well as of the closed ones.
		`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ` + strconv.Itoa(n) + `),
		 d(x, r, open) AS (SELECT x, date('2021-01-01', '+' || (x % 1826) || ' days'), x % 20 = 0 FROM c)
		 INSERT INTO enquiries (ref, organisation_id, created_by, subject_ref, match_method, question, category, urgency,
		   authority_basis, division, received_on, received_month, standard_days, standard_due_on, due_on, warn_on, state, team,
		   answered_on, working_days_taken, within_standard, late_band, created_at, updated_at)
		 SELECT 'ENQ-' || printf('%011d', x), 1 + ((x / 20) + x) % 650, 'bench', 'TH-00000000A', 'reference', 'When will the claim be decided?',
		   CASE x % 5 WHEN 0 THEN 'asylum_claim' WHEN 1 THEN 'detention' WHEN 2 THEN 'reporting' WHEN 3 THEN 'documents' ELSE 'support' END,
		   CASE x % 10 WHEN 0 THEN 'urgent' WHEN 1 THEN 'compassionate' ELSE 'routine' END,
		   'written_consent', 'england-and-wales', r, substr(r, 1, 7), 20, date(r, '+28 days'), date(r, '+28 days'), date(r, '+23 days'),
		   CASE WHEN open THEN 'in_progress' ELSE 'closed' END,
		   CASE x % 5 WHEN 0 THEN 'asylum' WHEN 1 THEN 'detention' WHEN 3 THEN 'asylum' ELSE 'contact' END,
		   CASE WHEN open THEN '' ELSE date(r, '+20 days') END,
		   CASE WHEN open THEN NULL ELSE 10 + x % 50 END,
		   CASE WHEN open THEN 0 WHEN 10 + x % 50 <= 20 THEN 1 ELSE 0 END,
		   CASE WHEN open THEN '' WHEN 10 + x % 50 <= 20 THEN 'within' WHEN 10 + x % 50 <= 30 THEN '20_30'
		     WHEN 10 + x % 50 <= 40 THEN '30_40' WHEN 10 + x % 50 <= 50 THEN '40_50' ELSE 'over_50' END,
		   '2021-01-01T00:00:00.000000Z', '2021-01-01T00:00:00.000000Z'
		 FROM d`,
		`ANALYZE`,
	}
	for _, q := range stmts {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := db.RebuildEnquiryStats(AsActor(tether.CLIActor("bench"))); err != nil {
		tb.Fatal(err)
	}
}
