package calendar

import (
	"math/rand/v2"
	"testing"
)

func mustFor(t testing.TB, div string) Calendar {
	t.Helper()
	c, err := Default().For(div)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIsWorkingDay(t *testing.T) {
	tests := []struct {
		div, date string
		want      bool
	}{
		{EnglandAndWales, "2025-12-19", true},  // Friday
		{EnglandAndWales, "2025-12-20", false}, // Saturday
		{EnglandAndWales, "2025-12-21", false}, // Sunday
		{EnglandAndWales, "2025-12-25", false},
		{EnglandAndWales, "2025-12-26", false},
		{EnglandAndWales, "2025-12-29", true},
		{EnglandAndWales, "2026-01-02", true},
		{Scotland, "2026-01-02", false},
		{NorthernIreland, "2026-01-02", true},
		{EnglandAndWales, "2025-04-21", false}, // Easter Monday
		{Scotland, "2025-04-21", true},
		{NorthernIreland, "2025-04-21", false},
		{Scotland, "2025-12-01", false}, // St Andrew's Day substitute
		{EnglandAndWales, "2025-12-01", true},
		{NorthernIreland, "2025-07-14", false}, // Boyne substitute
		{NorthernIreland, "2025-07-11", true},
		{EnglandAndWales, "2022-06-02", false},
		{EnglandAndWales, "2022-06-03", false},
		{EnglandAndWales, "2022-05-30", true}, // the usual Spring date, moved
		{Scotland, "2022-09-19", false},
		{NorthernIreland, "2022-09-19", false},
	}
	for _, tt := range tests {
		c := mustFor(t, tt.div)
		if got := c.IsWorkingDay(MustParseDate(tt.date)); got != tt.want {
			t.Errorf("%s IsWorkingDay(%s) = %v", tt.div, tt.date, got)
		}
	}
}

// TestAddWorkingDays covers deemed receipt (2 business days) and MP
// enquiries (20 working days) over the awkward parts of the year.
func TestAddWorkingDays(t *testing.T) {
	tests := []struct {
		div, from string
		n         int
		want      string
	}{
		// Deemed receipt over Christmas and New Year.
		{EnglandAndWales, "2025-12-19", 2, "2025-12-23"},
		{EnglandAndWales, "2025-12-23", 2, "2025-12-29"},
		{EnglandAndWales, "2025-12-24", 2, "2025-12-30"},
		{EnglandAndWales, "2025-12-31", 2, "2026-01-05"}, // 1 Jan holiday, 2 Jan working
		{Scotland, "2025-12-31", 2, "2026-01-06"},        // 1 and 2 Jan holidays
		{NorthernIreland, "2025-12-31", 2, "2026-01-05"},
		{Scotland, "2025-12-30", 1, "2025-12-31"},
		{Scotland, "2025-12-31", 1, "2026-01-05"},
		// Christmas 2022: Sunday, so Tuesday 27th is the substitute.
		{EnglandAndWales, "2022-12-23", 1, "2022-12-28"},
		{Scotland, "2022-12-23", 2, "2022-12-29"},
		// Christmas 2021: Saturday and Sunday, substitutes 27th and 28th.
		{EnglandAndWales, "2021-12-24", 1, "2021-12-29"},
		// New Year 2022 in Scotland: 3rd and 4th are substitutes.
		{Scotland, "2021-12-31", 1, "2022-01-05"},
		{EnglandAndWales, "2021-12-31", 1, "2022-01-04"},
		// Easter 2025: Scotland works on Easter Monday.
		{EnglandAndWales, "2025-04-17", 1, "2025-04-22"},
		{Scotland, "2025-04-17", 1, "2025-04-21"},
		{NorthernIreland, "2025-04-17", 2, "2025-04-23"},
		// Posted on Good Friday itself.
		{EnglandAndWales, "2025-04-18", 2, "2025-04-23"},
		{Scotland, "2025-04-18", 2, "2025-04-22"},
		// St Andrew's Day substitute, 2025 and 2024.
		{Scotland, "2025-11-28", 1, "2025-12-02"},
		{EnglandAndWales, "2025-11-28", 1, "2025-12-01"},
		{Scotland, "2024-11-29", 2, "2024-12-04"},
		// Northern Ireland: St Patrick's Day 2024 (Sunday, so Monday 18th)
		// and the Boyne 2025 (Saturday, so Monday 14th).
		{NorthernIreland, "2024-03-15", 1, "2024-03-19"},
		{EnglandAndWales, "2024-03-15", 1, "2024-03-18"},
		{NorthernIreland, "2025-07-11", 2, "2025-07-16"},
		{NorthernIreland, "2026-07-10", 1, "2026-07-14"},
		// The 2022 one-offs: 2 and 3 June, 19 September.
		{EnglandAndWales, "2022-06-01", 1, "2022-06-06"},
		{Scotland, "2022-05-27", 2, "2022-05-31"}, // 30 May was worked that year
		{Scotland, "2022-05-27", 4, "2022-06-06"}, // then 1 June, then 2 and 3 June off
		{NorthernIreland, "2022-09-16", 1, "2022-09-20"},
		// The 2023 Coronation and the 2020 VE day.
		{EnglandAndWales, "2023-05-05", 1, "2023-05-09"},
		{EnglandAndWales, "2020-05-07", 1, "2020-05-11"},
		{EnglandAndWales, "2020-05-01", 1, "2020-05-04"},
		// Scotland's 2026 World Cup holiday.
		{Scotland, "2026-06-12", 1, "2026-06-16"},
		{EnglandAndWales, "2026-06-12", 1, "2026-06-15"},
		// 20 working days for an MP's enquiry.
		{EnglandAndWales, "2025-12-17", 20, "2026-01-19"},
		{Scotland, "2025-12-17", 20, "2026-01-20"},
		{EnglandAndWales, "2026-03-02", 20, "2026-03-30"},
		{EnglandAndWales, "2026-03-20", 20, "2026-04-21"}, // over Easter
		{Scotland, "2026-03-20", 20, "2026-04-20"},
		// From a weekend.
		{EnglandAndWales, "2025-12-20", 1, "2025-12-22"},
		{EnglandAndWales, "2025-12-21", 2, "2025-12-23"},
		// n = 0 is d itself, working day or not.
		{EnglandAndWales, "2025-12-19", 0, "2025-12-19"},
		{EnglandAndWales, "2025-12-25", 0, "2025-12-25"},
		// Counting back.
		{EnglandAndWales, "2025-12-29", -1, "2025-12-24"},
		{EnglandAndWales, "2026-01-05", -2, "2025-12-31"},
		{Scotland, "2026-01-05", -1, "2025-12-31"},
		{EnglandAndWales, "2025-12-27", -1, "2025-12-24"},
		// Large n stays exact: 2026 has 261 weekdays and 8 weekday holidays in
		// England and Wales, so 253 working days.
		{EnglandAndWales, "2025-12-31", 253, "2026-12-31"},
		{EnglandAndWales, "2026-12-31", -253, "2025-12-31"},
		{EnglandAndWales, "2026-12-31", -252, "2026-01-02"},
	}
	for _, tt := range tests {
		c := mustFor(t, tt.div)
		from := MustParseDate(tt.from)
		got := c.AddWorkingDays(from, tt.n)
		if got.String() != tt.want {
			t.Errorf("%s AddWorkingDays(%s, %d) = %s (%s), want %s", tt.div, tt.from, tt.n, got, got.Weekday(), tt.want)
		}
		if tt.n >= 0 {
			if n := c.WorkingDaysBetween(from, got); n != tt.n {
				t.Errorf("%s WorkingDaysBetween(%s, %s) = %d, want %d", tt.div, tt.from, got, n, tt.n)
			}
		}
		if naive := naiveAdd(c, from, tt.n); naive != got {
			t.Errorf("%s AddWorkingDays(%s, %d) = %s, counting day by day gives %s", tt.div, tt.from, tt.n, got, naive)
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	ew := mustFor(t, EnglandAndWales)
	sc := mustFor(t, Scotland)
	tests := []struct {
		c        Calendar
		from, to string
		want     int
	}{
		{ew, "2025-12-19", "2025-12-19", 0},
		{ew, "2025-12-19", "2025-12-18", 0},
		{ew, "2025-12-19", "2025-12-21", 0},
		{ew, "2025-12-19", "2025-12-22", 1},
		{ew, "2025-12-19", "2026-01-02", 7}, // 22, 23, 24, 29, 30, 31 and 2 Jan
		{sc, "2025-12-19", "2026-01-02", 6}, // 2 Jan is a holiday in Scotland
		{ew, "2025-12-20", "2025-12-22", 1}, // from a Saturday
		{ew, "2025-12-24", "2025-12-28", 0}, // Christmas, Boxing Day, weekend
		{ew, "2025-12-31", "2026-12-31", 253},
		{sc, "2025-12-31", "2026-12-31", 251}, // 10 weekday holidays, with the World Cup
	}
	for _, tt := range tests {
		from, to := MustParseDate(tt.from), MustParseDate(tt.to)
		got := tt.c.WorkingDaysBetween(from, to)
		if got != tt.want {
			t.Errorf("%s WorkingDaysBetween(%s, %s) = %d, want %d", tt.c.Division(), tt.from, tt.to, got, tt.want)
		}
		if naive := naiveBetween(tt.c, from, to); naive != got {
			t.Errorf("%s WorkingDaysBetween(%s, %s) = %d, counting day by day gives %d", tt.c.Division(), tt.from, tt.to, got, naive)
		}
	}
}

func TestNextWorkingDay(t *testing.T) {
	ew, sc := mustFor(t, EnglandAndWales), mustFor(t, Scotland)
	tests := []struct {
		c         Calendar
		d, next   string
		onOrAfter string
		working   bool
	}{
		{ew, "2025-12-19", "2025-12-22", "2025-12-19", true},
		{ew, "2025-12-24", "2025-12-29", "2025-12-24", true},
		{ew, "2025-12-25", "2025-12-29", "2025-12-29", false},
		{sc, "2025-12-31", "2026-01-05", "2025-12-31", true},
		{sc, "2026-01-01", "2026-01-05", "2026-01-05", false},
		{ew, "2026-01-01", "2026-01-02", "2026-01-02", false},
	}
	for _, tt := range tests {
		d := MustParseDate(tt.d)
		if got := tt.c.IsWorkingDay(d); got != tt.working {
			t.Errorf("%s IsWorkingDay(%s) = %v", tt.c.Division(), tt.d, got)
		}
		if got := tt.c.NextWorkingDay(d).String(); got != tt.next {
			t.Errorf("%s NextWorkingDay(%s) = %s, want %s", tt.c.Division(), tt.d, got, tt.next)
		}
		if got := tt.c.WorkingDayOnOrAfter(d).String(); got != tt.onOrAfter {
			t.Errorf("%s WorkingDayOnOrAfter(%s) = %s, want %s", tt.c.Division(), tt.d, got, tt.onOrAfter)
		}
	}
}

func TestCovers(t *testing.T) {
	c := mustFor(t, Scotland)
	if !c.Covers(Date{2018, 6, 1}) || !c.Covers(Date{2027, 12, 31}) {
		t.Error("2018 to 2027 are covered")
	}
	if c.Covers(Date{2017, 12, 31}) || c.Covers(Date{2028, 1, 1}) {
		t.Error("2017 and 2028 are not covered")
	}
}

// TestZeroCalendar: the zero Calendar skips weekends only.
func TestZeroCalendar(t *testing.T) {
	var c Calendar
	if !c.IsWorkingDay(Date{2025, 12, 25}) || c.IsWorkingDay(Date{2025, 12, 27}) {
		t.Error("zero calendar: weekdays work, weekends do not")
	}
	if got := c.AddWorkingDays(Date{2025, 12, 24}, 2); got != (Date{2025, 12, 26}) {
		t.Errorf("zero calendar AddWorkingDays = %s", got)
	}
	if c.Covers(Date{2025, 1, 1}) || c.Division() != "" {
		t.Error("zero calendar covers nothing")
	}
	if _, ok := c.Holiday(Date{2025, 12, 25}); ok {
		t.Error("zero calendar has no holidays")
	}
	_ = c.Explain(Date{2025, 12, 24}, 3, "", "").String()
}

// naiveAdd counts working days one day at a time: the reference the fast
// arithmetic is checked against.
func naiveAdd(c Calendar, d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

func naiveBetween(c Calendar, from, to Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// checkProperties checks the working-day arithmetic at d with n against the
// day-by-day reference and its own laws.
func checkProperties(t *testing.T, c Calendar, d Date, n int) {
	t.Helper()
	got := c.AddWorkingDays(d, n)
	if want := naiveAdd(c, d, n); got != want {
		t.Fatalf("%s AddWorkingDays(%s, %d) = %s, day by day %s", c.Division(), d, n, got, want)
	}
	switch {
	case n > 0:
		if !c.IsWorkingDay(got) || !got.After(d) {
			t.Fatalf("%s AddWorkingDays(%s, %d) = %s is not a later working day", c.Division(), d, n, got)
		}
		if w := c.WorkingDaysBetween(d, got); w != n {
			t.Fatalf("%s WorkingDaysBetween(%s, AddWorkingDays(%d) = %s) = %d", c.Division(), d, n, got, w)
		}
		if w := c.WorkingDaysBetween(d, got.AddDays(-1)); w != n-1 {
			t.Fatalf("%s: the day before %s should be %d working days from %s, got %d", c.Division(), got, n-1, d, w)
		}
		if c.IsWorkingDay(d) {
			if back := c.AddWorkingDays(got, -n); back != d {
				t.Fatalf("%s AddWorkingDays(AddWorkingDays(%s, %d), %d) = %s", c.Division(), d, n, -n, back)
			}
		}
	case n < 0:
		if !c.IsWorkingDay(got) || !got.Before(d) {
			t.Fatalf("%s AddWorkingDays(%s, %d) = %s is not an earlier working day", c.Division(), d, n, got)
		}
		if c.IsWorkingDay(d) {
			if w := c.WorkingDaysBetween(got, d); w != -n {
				t.Fatalf("%s WorkingDaysBetween(%s, %s) = %d, want %d", c.Division(), got, d, w, -n)
			}
		}
	default:
		if got != d {
			t.Fatalf("AddWorkingDays(%s, 0) = %s", d, got)
		}
	}
	next := c.NextWorkingDay(d)
	if !next.After(d) || !c.IsWorkingDay(next) || c.WorkingDaysBetween(d, next) != 1 {
		t.Fatalf("%s NextWorkingDay(%s) = %s", c.Division(), d, next)
	}
	other := d.AddDays(n * 2)
	if got, want := c.WorkingDaysBetween(d, other), naiveBetween(c, d, other); got != want {
		t.Fatalf("%s WorkingDaysBetween(%s, %s) = %d, day by day %d", c.Division(), d, other, got, want)
	}
	if n >= 0 && n <= 40 {
		e := c.Explain(d, n, "Sent", "due")
		if e.Result != got {
			t.Fatalf("Explain result %s, AddWorkingDays %s", e.Result, got)
		}
		counted := 0
		for i, s := range e.Steps {
			if s.Date != d.AddDays(i+1) {
				t.Fatalf("step %d is %s, want %s", i, s.Date, d.AddDays(i+1))
			}
			if s.Counted != c.IsWorkingDay(s.Date) || s.Counted == (s.Reason != "") {
				t.Fatalf("step %+v", s)
			}
			if s.Counted {
				counted++
				if s.Number != counted {
					t.Fatalf("step %+v numbered wrong", s)
				}
			}
		}
		if counted != n {
			t.Fatalf("Explain counted %d of %d", counted, n)
		}
	}
}

// TestProperties checks random dates in and around the covered years in
// every division.
func TestProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2025, 12))
	lo := Date{2017, 6, 1}.days()
	hi := Date{2028, 6, 30}.days()
	iterations := 3000
	if testing.Short() {
		iterations = 300
	}
	for _, div := range Divisions() {
		c := mustFor(t, div)
		for range iterations {
			d := fromDays(lo + r.IntN(hi-lo))
			n := r.IntN(61) // up to 60 working days
			if r.IntN(4) == 0 {
				n = -n
			}
			checkProperties(t, c, d, n)
		}
	}
}

func FuzzWorkingDays(f *testing.F) {
	f.Add(int64(Date{2025, 12, 19}.days()), 2, uint8(0))
	f.Add(int64(Date{2025, 12, 17}.days()), 20, uint8(1))
	f.Add(int64(Date{2022, 5, 27}.days()), 5, uint8(2))
	f.Add(int64(Date{2026, 1, 5}.days()), -3, uint8(1))
	f.Fuzz(func(t *testing.T, day int64, n int, div uint8) {
		// Keep to years 1900 to 2100 and to n the reference can count.
		d := fromDays(Date{1900, 1, 1}.days() + int(day%73000+73000)%73000)
		n %= 400
		c := mustFor(t, Divisions()[int(div)%3])
		checkProperties(t, c, d, n)
	})
}

func BenchmarkAddWorkingDays(b *testing.B) {
	c := mustFor(b, Scotland)
	d := Date{2025, 12, 17}
	for b.Loop() {
		_ = c.AddWorkingDays(d, 60)
	}
}

func BenchmarkWorkingDaysBetween(b *testing.B) {
	c := mustFor(b, Scotland)
	from, to := Date{2018, 1, 1}, Date{2027, 12, 31}
	for b.Loop() {
		_ = c.WorkingDaysBetween(from, to)
	}
}
