package store

import (
	"os"
	"strconv"
	"testing"
	"time"

	"tether"
	"tether/enquiry"
)

// seedEnquiriesSQLite writes n historic enquiries from 650 offices over the
// five years before 2026, one in twenty still open, straight into SQLite,
// and rebuilds the figures from them (enquiry_benchseed.go, shared with
// the web benchmarks).
func seedEnquiriesSQLite(b *testing.B, db *DB, n int) {
	b.Helper()
	SeedEnquiriesSQLite(b, db, n)
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
