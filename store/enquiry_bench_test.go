package store

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"tether"
	"tether/enquiry"
)

// seedEnquiriesSQLite writes n historic enquiries from 650 offices over the
// five years before 2026, one in twenty still open, straight into SQLite
// (a bulk load, as a benchmark or a migration from another system would),
// and rebuilds the figures from them.
func seedEnquiriesSQLite(b *testing.B, db *DB, n int) {
	b.Helper()
	ctx := context.Background()
	stmts := []string{
		`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 650)
		 INSERT INTO organisations (name, kind, constituency, division, created_at)
		 SELECT 'Office ' || x, 'mp_office', 'Constituency ' || x, 'england-and-wales', '2020-01-01T00:00:00.000000Z' FROM c`,
		`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ` + strconv.Itoa(n) + `),
		 d(x, r, open) AS (SELECT x, date('2021-01-01', '+' || (x % 1826) || ' days'), x % 20 = 0 FROM c)
		 INSERT INTO enquiries (ref, organisation_id, created_by, subject_ref, match_method, question, category, urgency,
		   authority_basis, division, received_on, received_month, standard_days, standard_due_on, due_on, warn_on, state, team,
		   answered_on, working_days_taken, within_standard, late_band, created_at, updated_at)
		 SELECT 'ENQ-' || printf('%011d', x), 1 + x % 650, 'bench', 'TH-00000000A', 'reference', 'When will the claim be decided?',
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
			b.Fatal(err)
		}
	}
	if _, err := db.RebuildEnquiryStats(adminCtx()); err != nil {
		b.Fatal(err)
	}
}

// benchEnquiries is how many historic enquiries the benchmarks seed:
// TETHER_BENCH_ENQUIRIES, or 1,000,000 (of which 50,000 open).
func benchEnquiries() int {
	if n, err := strconv.Atoi(os.Getenv("TETHER_BENCH_ENQUIRIES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkEnquiryReportAndList times the performance report for a year
// and an office's list of its open enquiries, over a seeded population.
func BenchmarkEnquiryReportAndList(b *testing.B) {
	clock := tether.NewManualClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	db := MustOpenTestDB(b, SQLite, clock)
	seedEnquiriesSQLite(b, db, benchEnquiries())
	staff := AsActor(tether.Actor{UserID: 0, Role: tether.RoleEnquiries, Label: "bench"})
	org := int64(7)
	office := AsActor(tether.Actor{UserID: 0, Role: tether.RoleOrganisation, OrganisationID: &org, Label: "bench:office"})
	b.Run("report-year", func(b *testing.B) {
		for b.Loop() {
			r, err := db.EnquiryReport(staff, enquiry.ReportFilter{From: "2025-01", To: "2025-12"})
			if err != nil || len(r.Rows) == 0 {
				b.Fatal(err)
			}
		}
	})
	b.Run("office-list", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := db.FindEnquiries(office, enquiry.Filter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("office-list-open", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := db.FindEnquiries(office, enquiry.Filter{State: enquiry.StateOpen}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
