package store

import (
	"testing"

	"tether"
	"tether/calendar"
)

const holidays2030 = `{
 "england-and-wales": {"division": "england-and-wales", "events": [
  {"title": "New Year’s Day", "date": "2030-01-01", "notes": "", "bunting": true},
  {"title": "Christmas Day", "date": "2030-12-25", "notes": "", "bunting": true}]},
 "scotland": {"division": "scotland", "events": [
  {"title": "St Andrew’s Day", "date": "2030-12-02", "notes": "Substitute day", "bunting": true}]}
}`

// A one-off holiday proclaimed in a year the shipped list covers: the load
// replaces England and Wales's 2026 holidays with these.
const holidays2026 = `{
 "england-and-wales": {"division": "england-and-wales", "events": [
  {"title": "New Year’s Day", "date": "2026-01-01", "notes": "", "bunting": true},
  {"title": "A one-off holiday", "date": "2026-03-04", "notes": "", "bunting": true}]}
}`

func mustParseHolidays(t *testing.T, s string) *calendar.Holidays {
	t.Helper()
	h, err := calendar.ParseGovUK([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestLoadHolidays(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		admin := AsActor(tether.CLIActor("holidays"))
		other := db.Reopen(t)
		if _, err := other.Holidays(admin); err != nil { // fills its cache
			t.Fatal(err)
		}

		wantCode(t, errOf(db.LoadHolidays(cw(), mustParseHolidays(t, holidays2030), "test")), tether.EFORBIDDEN)
		wantCode(t, errOf(db.LoadHolidays(admin, mustParseHolidays(t, holidays2030), " ")), tether.EINVALID)

		added, err := db.LoadHolidays(admin, mustParseHolidays(t, holidays2030), "https://www.gov.uk/bank-holidays.json")
		if err != nil || added != 3 {
			t.Fatalf("load = %d, %v; want 3 added", added, err)
		}
		added, err = db.LoadHolidays(admin, mustParseHolidays(t, holidays2030), "again")
		if err != nil || added != 0 {
			t.Fatalf("second load = %d, %v; want nothing added", added, err)
		}
		var loads int
		if err := db.write.QueryRow(`SELECT COUNT(*) FROM holiday_loads`).Scan(&loads); err != nil || loads != 1 {
			t.Fatalf("loads stored = %d, %v; want 1", loads, err)
		}
		if d := auditDetails(t, db, "holidays.load"); len(d) != 1 {
			t.Fatalf("audit = %v", d)
		}

		for name, h := range map[string]*DB{"loader": db, "other instance": other} {
			hol, err := h.Holidays(admin)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := hol.IsHoliday(calendar.EnglandAndWales, calendar.MustParseDate("2030-12-25")); !ok {
				t.Errorf("%s: the loaded 2030 list is not in force", name)
			}
			if _, ok := hol.IsHoliday(calendar.EnglandAndWales, calendar.MustParseDate("2026-12-25")); !ok {
				t.Errorf("%s: the shipped list was lost", name)
			}
		}

		// A later list for a year already covered replaces that year.
		added, err = other.LoadHolidays(admin, mustParseHolidays(t, holidays2026), "proclamation")
		if err != nil || added != 1 {
			t.Fatalf("load 2026 = %d, %v; want 1 added", added, err)
		}
		hol, err := db.Holidays(admin)
		if err != nil {
			t.Fatal(err)
		}
		if title, ok := hol.IsHoliday(calendar.EnglandAndWales, calendar.MustParseDate("2026-03-04")); !ok || title != "A one-off holiday" {
			t.Error("the first instance did not see the other's load")
		}
		if _, ok := hol.IsHoliday(calendar.EnglandAndWales, calendar.MustParseDate("2026-12-25")); ok {
			t.Error("the 2026 list should replace England and Wales's 2026 holidays")
		}
		if _, ok := hol.IsHoliday(calendar.Scotland, calendar.MustParseDate("2026-12-25")); !ok {
			t.Error("Scotland's 2026 holidays are not in the new list and must stay")
		}
		if _, ok := hol.IsHoliday(calendar.EnglandAndWales, calendar.MustParseDate("2030-12-25")); !ok {
			t.Error("the earlier load was lost")
		}
	})
}

// errOf drops a result, keeping the error.
func errOf[T any](_ T, err error) error { return err }
