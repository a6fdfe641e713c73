package calendar

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// These tests check the shipped data/bank-holidays.json against rules worked
// out independently here. The data is written out date by date, not generated
// from these rules, so a slip in either shows up as a difference.

const firstYear, lastYear = 2018, 2027

// easter returns Easter Sunday in the Gregorian calendar by the Anonymous
// Gregorian algorithm (Meeus/Jones/Butcher).
func easter(y int) Date {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{y, time.Month(month), day}
}

func TestEasterAlgorithm(t *testing.T) {
	// Known Easter Sundays.
	for _, s := range []string{"2000-04-23", "2008-03-23", "2011-04-24", "2018-04-01", "2019-04-21",
		"2020-04-12", "2021-04-04", "2022-04-17", "2023-04-09", "2024-03-31", "2025-04-20",
		"2026-04-05", "2027-03-28", "2038-04-25"} {
		want := MustParseDate(s)
		if got := easter(want.Year); got != want {
			t.Errorf("easter(%d) = %s, want %s", want.Year, got, want)
		}
		if want.Weekday() != time.Sunday {
			t.Errorf("%s is not a Sunday", want)
		}
	}
}

func TestDefaultParses(t *testing.T) {
	if _, err := ParseGovUK(embedded); err != nil {
		t.Fatalf("embedded data/bank-holidays.json: %v", err)
	}
	h := Default()
	if h != Default() {
		t.Error("Default should parse once and return the same set")
	}
	if got := h.Divisions(); !slices.Equal(got, Divisions()) {
		t.Fatalf("divisions = %v", got)
	}
	for _, div := range Divisions() {
		var want []int
		for y := firstYear; y <= lastYear; y++ {
			want = append(want, y)
		}
		if got := h.Years(div); !slices.Equal(got, want) {
			t.Errorf("%s years = %v, want %v", div, got, want)
		}
	}
}

// TestGoodFridayEasterMonday checks every year's Good Friday (all divisions)
// and Easter Monday (not Scotland) against the Easter algorithm.
func TestGoodFridayEasterMonday(t *testing.T) {
	h := Default()
	for _, div := range Divisions() {
		for y := firstYear; y <= lastYear; y++ {
			e := easter(y)
			if title, ok := h.IsHoliday(div, e.AddDays(-2)); !ok || title != "Good Friday" {
				t.Errorf("%s %d: %s should be Good Friday, got %q %v", div, y, e.AddDays(-2), title, ok)
			}
			title, ok := h.IsHoliday(div, e.AddDays(1))
			if div == Scotland {
				if ok {
					t.Errorf("scotland %d: Easter Monday %s is not a bank holiday in Scotland, got %q", y, e.AddDays(1), title)
				}
			} else if !ok || title != "Easter Monday" {
				t.Errorf("%s %d: %s should be Easter Monday, got %q %v", div, y, e.AddDays(1), title, ok)
			}
			var gf, em int
			for _, ev := range h.Events(div) {
				if ev.Date.Year != y {
					continue
				}
				switch ev.Title {
				case "Good Friday":
					gf++
				case "Easter Monday":
					em++
				}
			}
			wantEM := 1
			if div == Scotland {
				wantEM = 0
			}
			if gf != 1 || em != wantEM {
				t.Errorf("%s %d: %d Good Fridays and %d Easter Mondays", div, y, gf, em)
			}
		}
	}
}

// TestCountsPerYear checks how many holidays each division has each year:
// 8 in England and Wales, 9 in Scotland, 10 in Northern Ireland, plus the
// one-off extra holidays.
func TestCountsPerYear(t *testing.T) {
	base := map[string]int{EnglandAndWales: 8, Scotland: 9, NorthernIreland: 10}
	extra := map[string]map[int]int{
		EnglandAndWales: {2022: 2, 2023: 1},          // Jubilee, State Funeral; Coronation
		Scotland:        {2022: 2, 2023: 1, 2026: 1}, // and the 2026 World Cup holiday
		NorthernIreland: {2022: 2, 2023: 1},
	}
	h := Default()
	for _, div := range Divisions() {
		count := map[int]int{}
		for _, e := range h.Events(div) {
			count[e.Date.Year]++
		}
		for y := firstYear; y <= lastYear; y++ {
			if want := base[div] + extra[div][y]; count[y] != want {
				t.Errorf("%s %d: %d holidays, want %d", div, y, count[y], want)
			}
		}
	}
}

func TestNoWeekendHolidays(t *testing.T) {
	for _, div := range Divisions() {
		for _, e := range Default().Events(div) {
			if isWeekend(e.Date) {
				t.Errorf("%s: %s %s falls at a weekend; GOV.UK lists the substitute weekday", div, e.Date, e.Title)
			}
			if e.Substitute() && e.Notes != "Substitute day" {
				t.Errorf("%s: %s notes %q", div, e.Date, e.Notes)
			}
		}
	}
}

// ruleHolidays works out a division's bank holidays for year y from the
// standing rules and the known one-off changes. It returns date -> title,
// with " (substitute)" added to substitute days.
func ruleHolidays(div string, y int) map[Date]string {
	nthMonday := func(m time.Month, n int) Date { // n < 0 counts from the end
		if n > 0 {
			d := Date{y, m, 1}
			for d.Weekday() != time.Monday {
				d = d.AddDays(1)
			}
			return d.AddDays(7 * (n - 1))
		}
		d := Date{y, m, daysIn(y, m)}
		for d.Weekday() != time.Monday {
			d = d.AddDays(-1)
		}
		return d
	}
	out := map[Date]string{}
	e := easter(y)
	out[e.AddDays(-2)] = "Good Friday"
	if div != Scotland {
		out[e.AddDays(1)] = "Easter Monday"
	}
	out[nthMonday(time.May, 1)] = "Early May bank holiday"
	out[nthMonday(time.May, -1)] = "Spring bank holiday"
	if div == Scotland {
		out[nthMonday(time.August, 1)] = "Summer bank holiday"
	} else {
		out[nthMonday(time.August, -1)] = "Summer bank holiday"
	}
	// Fixed dates: a holiday at a weekend moves to the next weekday that is
	// not already a holiday, taking them in date order.
	type fixedDay struct {
		d     Date
		title string
	}
	fixed := []fixedDay{{Date{y, 1, 1}, "New Year’s Day"}}
	switch div {
	case Scotland:
		fixed = append(fixed, fixedDay{Date{y, 1, 2}, "2nd January"}, fixedDay{Date{y, 11, 30}, "St Andrew’s Day"})
	case NorthernIreland:
		fixed = append(fixed, fixedDay{Date{y, 3, 17}, "St Patrick’s Day"},
			fixedDay{Date{y, 7, 12}, "Battle of the Boyne (Orangemen’s Day)"})
	}
	fixed = append(fixed, fixedDay{Date{y, 12, 25}, "Christmas Day"}, fixedDay{Date{y, 12, 26}, "Boxing Day"})
	var moved []fixedDay
	for _, f := range fixed {
		if isWeekend(f.d) {
			moved = append(moved, f)
		} else {
			out[f.d] = f.title
		}
	}
	for _, f := range moved {
		d := f.d
		for {
			if _, taken := out[d]; !taken && !isWeekend(d) {
				break
			}
			d = d.AddDays(1)
		}
		out[d] = f.title + " (substitute)"
	}
	// One-off changes, proclaimed for the year.
	move := func(from, to Date, title string) {
		delete(out, from)
		out[to] = title
	}
	switch y {
	case 2020: // 75th anniversary of VE Day
		move(Date{2020, 5, 4}, Date{2020, 5, 8}, "Early May bank holiday (VE day)")
	case 2022:
		move(Date{2022, 5, 30}, Date{2022, 6, 2}, "Spring bank holiday")
		out[Date{2022, 6, 3}] = "Platinum Jubilee bank holiday"
		out[Date{2022, 9, 19}] = "Bank Holiday for the State Funeral of Queen Elizabeth II"
	case 2023:
		out[Date{2023, 5, 8}] = "Bank holiday for the coronation of King Charles III"
	case 2026:
		if div == Scotland {
			out[Date{2026, 6, 15}] = "Bank holiday for Scotland’s first match at the FIFA World Cup"
		}
	}
	return out
}

// TestDataMatchesRules compares the whole shipped list, date by date and
// title by title, with the rules.
func TestDataMatchesRules(t *testing.T) {
	h := Default()
	for _, div := range Divisions() {
		got := map[int]map[Date]string{}
		for _, e := range h.Events(div) {
			if got[e.Date.Year] == nil {
				got[e.Date.Year] = map[Date]string{}
			}
			title := e.Title
			if e.Substitute() {
				title += " (substitute)"
			}
			got[e.Date.Year][e.Date] = title
		}
		for y := firstYear; y <= lastYear; y++ {
			want := ruleHolidays(div, y)
			if a, b := describe(got[y]), describe(want); a != b {
				t.Errorf("%s %d:\n shipped: %s\n rules:   %s", div, y, a, b)
			}
		}
	}
}

func describe(m map[Date]string) string {
	var keys []Date
	for d := range m {
		keys = append(keys, d)
	}
	slices.SortFunc(keys, Date.Compare)
	var parts []string
	for _, d := range keys {
		parts = append(parts, fmt.Sprintf("%s %s", d, m[d]))
	}
	return strings.Join(parts, "; ")
}

// TestKnownDates spot-checks dates people remember, written out by hand.
func TestKnownDates(t *testing.T) {
	h := Default()
	tests := []struct {
		div, date, title string // title "" means not a holiday
	}{
		// Christmas 2021 and 2022 substitutes, Boxing Day substitutes.
		{EnglandAndWales, "2021-12-25", ""},
		{EnglandAndWales, "2021-12-27", "Christmas Day"},
		{EnglandAndWales, "2021-12-28", "Boxing Day"},
		{EnglandAndWales, "2022-12-26", "Boxing Day"},
		{EnglandAndWales, "2022-12-27", "Christmas Day"},
		{EnglandAndWales, "2020-12-28", "Boxing Day"},
		{EnglandAndWales, "2026-12-28", "Boxing Day"},
		{Scotland, "2027-12-28", "Boxing Day"},
		{NorthernIreland, "2027-12-27", "Christmas Day"},
		// New Year substitutes.
		{EnglandAndWales, "2022-01-03", "New Year’s Day"},
		{EnglandAndWales, "2022-01-04", ""},
		{EnglandAndWales, "2023-01-02", "New Year’s Day"},
		{Scotland, "2022-01-03", "New Year’s Day"},
		{Scotland, "2022-01-04", "2nd January"},
		{Scotland, "2023-01-02", "2nd January"},
		{Scotland, "2023-01-03", "New Year’s Day"},
		{Scotland, "2021-01-04", "2nd January"},
		{Scotland, "2025-01-02", "2nd January"},
		{EnglandAndWales, "2025-01-02", ""},
		{NorthernIreland, "2025-01-02", ""},
		// St Andrew's Day and its substitutes.
		{Scotland, "2023-11-30", "St Andrew’s Day"},
		{Scotland, "2019-12-02", "St Andrew’s Day"},
		{Scotland, "2024-12-02", "St Andrew’s Day"},
		{Scotland, "2025-12-01", "St Andrew’s Day"},
		{EnglandAndWales, "2023-11-30", ""},
		// Summer holiday: first Monday of August in Scotland, last elsewhere.
		{Scotland, "2025-08-04", "Summer bank holiday"},
		{Scotland, "2025-08-25", ""},
		{EnglandAndWales, "2025-08-25", "Summer bank holiday"},
		{NorthernIreland, "2025-08-25", "Summer bank holiday"},
		// Easter Monday is not a holiday in Scotland.
		{Scotland, "2025-04-21", ""},
		{EnglandAndWales, "2025-04-21", "Easter Monday"},
		// Northern Ireland.
		{NorthernIreland, "2025-03-17", "St Patrick’s Day"},
		{NorthernIreland, "2024-03-18", "St Patrick’s Day"},
		{NorthernIreland, "2019-03-18", "St Patrick’s Day"},
		{NorthernIreland, "2018-03-19", "St Patrick’s Day"},
		{NorthernIreland, "2025-07-14", "Battle of the Boyne (Orangemen’s Day)"},
		{NorthernIreland, "2020-07-13", "Battle of the Boyne (Orangemen’s Day)"},
		{NorthernIreland, "2026-07-13", "Battle of the Boyne (Orangemen’s Day)"},
		{NorthernIreland, "2023-07-12", "Battle of the Boyne (Orangemen’s Day)"},
		{EnglandAndWales, "2023-07-12", ""},
		{Scotland, "2025-03-17", ""},
		// One-offs.
		{EnglandAndWales, "2020-05-04", ""},
		{EnglandAndWales, "2020-05-08", "Early May bank holiday (VE day)"},
		{NorthernIreland, "2022-05-30", ""},
		{NorthernIreland, "2022-06-02", "Spring bank holiday"},
		{Scotland, "2022-06-03", "Platinum Jubilee bank holiday"},
		{Scotland, "2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"},
		{NorthernIreland, "2023-05-08", "Bank holiday for the coronation of King Charles III"},
		{Scotland, "2026-06-15", "Bank holiday for Scotland’s first match at the FIFA World Cup"},
		{EnglandAndWales, "2026-06-15", ""},
	}
	for _, tt := range tests {
		title, ok := h.IsHoliday(tt.div, MustParseDate(tt.date))
		if title != tt.title || ok != (tt.title != "") {
			t.Errorf("IsHoliday(%s, %s) = %q, %v; want %q", tt.div, tt.date, title, ok, tt.title)
		}
	}
}
