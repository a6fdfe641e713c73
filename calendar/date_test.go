package calendar

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	good := map[string]Date{
		"2025-12-19": {2025, time.December, 19},
		"2024-02-29": {2024, time.February, 29},
		"2000-02-29": {2000, time.February, 29},
		"0001-01-01": {1, time.January, 1},
		"9999-12-31": {9999, time.December, 31},
	}
	for s, want := range good {
		got, err := ParseDate(s)
		if err != nil || got != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", s, got, err, want)
		}
		if got.String() != s {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), s)
		}
	}
	bad := map[string]string{
		"":                     "YYYY-MM-DD",
		"2025-12-1":            "YYYY-MM-DD",
		"2025-1-19":            "YYYY-MM-DD",
		"19/12/2025":           "YYYY-MM-DD",
		"2025/12/19":           "YYYY-MM-DD",
		"2025-12-19T00:00:00Z": "YYYY-MM-DD",
		" 2025-12-19":          "YYYY-MM-DD",
		"2025-12-1x":           "YYYY-MM-DD",
		"+025-12-19":           "YYYY-MM-DD",
		"2025-00-19":           "month",
		"2025-13-01":           "month",
		"2025-12-00":           "31 days",
		"2025-12-32":           "31 days",
		"2025-02-29":           "28 days",
		"1900-02-29":           "28 days",
		"2025-04-31":           "30 days",
		"0000-01-01":           "year 0",
	}
	for s, want := range bad {
		_, err := ParseDate(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDate(%q) error = %v, want one mentioning %q", s, err, want)
		}
	}
}

func TestMustParseDatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParseDate of a bad date should panic")
		}
	}()
	MustParseDate("2025-02-30")
}

// TestDateAgainstTime checks the day arithmetic against the time package.
func TestDateAgainstTime(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 20000 {
		tm := base.AddDate(0, 0, r.IntN(365*800))
		d := FromTime(tm, time.UTC)
		if !d.IsValid() {
			t.Fatalf("%v is not valid", d)
		}
		if d.Weekday() != tm.Weekday() {
			t.Fatalf("%s Weekday = %s, time says %s", d, d.Weekday(), tm.Weekday())
		}
		if d.String() != tm.Format(time.DateOnly) {
			t.Fatalf("%s, time says %s", d, tm.Format(time.DateOnly))
		}
		n := r.IntN(2000) - 1000
		u := d.AddDays(n)
		if want := FromTime(tm.AddDate(0, 0, n), time.UTC); u != want {
			t.Fatalf("%s.AddDays(%d) = %s, want %s", d, n, u, want)
		}
		if u.Sub(d) != n || d.Sub(u) != -n {
			t.Fatalf("%s.Sub(%s) = %d, want %d", u, d, u.Sub(d), n)
		}
		if (n > 0) != u.After(d) || (n < 0) != u.Before(d) || (n == 0) != u.Equal(d) {
			t.Fatalf("comparisons of %s and %s (n=%d)", u, d, n)
		}
		if d.Time(time.UTC) != tm {
			t.Fatalf("%s.Time = %v, want %v", d, d.Time(time.UTC), tm)
		}
	}
}

func TestNewDate(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{2025, 12, 19, "2025-12-19"},
		{2025, 12, 32, "2026-01-01"},
		{2025, 13, 1, "2026-01-01"},
		{2025, 0, 1, "2024-12-01"},
		{2025, 3, 0, "2025-02-28"},
		{2024, 3, 0, "2024-02-29"},
		{2025, 1, -30, "2024-12-01"},
		{2025, -11, 1, "2024-01-01"},
	}
	for _, tt := range tests {
		got := NewDate(tt.y, tt.m, tt.d)
		if got.String() != tt.want {
			t.Errorf("NewDate(%d, %d, %d) = %s, want %s", tt.y, tt.m, tt.d, got, tt.want)
		}
		if want := FromTime(time.Date(tt.y, tt.m, tt.d, 0, 0, 0, 0, time.UTC), nil); got != want {
			t.Errorf("NewDate(%d, %d, %d) = %s, time.Date gives %s", tt.y, tt.m, tt.d, got, want)
		}
	}
}

func TestFromTime(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	// 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
	tm := time.Date(2025, 6, 30, 23, 30, 0, 0, time.UTC)
	if got := FromTime(tm, london); got != (Date{2025, 7, 1}) {
		t.Errorf("FromTime London = %s", got)
	}
	if got := FromTime(tm, time.UTC); got != (Date{2025, 6, 30}) {
		t.Errorf("FromTime UTC = %s", got)
	}
	if got := FromTime(tm.In(london), nil); got != (Date{2025, 7, 1}) {
		t.Errorf("FromTime nil location = %s", got)
	}
	if got := (Date{2025, 7, 1}).Time(london); !got.Equal(time.Date(2025, 6, 30, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("Time(london) = %v", got)
	}
}

func TestDateFormats(t *testing.T) {
	d := Date{2025, 12, 19}
	if d.Long() != "Friday 19 December 2025" {
		t.Error(d.Long())
	}
	if !(Date{}).IsZero() || d.IsZero() {
		t.Error("IsZero")
	}
	for _, bad := range []Date{{2025, 2, 29}, {2025, 13, 1}, {0, 1, 1}, {10000, 1, 1}, {2025, 1, 0}} {
		if bad.IsValid() {
			t.Errorf("%v should not be valid", bad)
		}
	}
	dates := []Date{{2026, 1, 1}, {2025, 12, 31}, {2025, 1, 31}, {2025, 12, 1}}
	slices.SortFunc(dates, Date.Compare)
	if !slices.IsSortedFunc(dates, func(a, b Date) int { return strings.Compare(a.String(), b.String()) }) {
		t.Errorf("Compare sorts wrongly: %v", dates)
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Posted   Date  `json:"posted"`
		Received Date  `json:"received"`
		Due      *Date `json:"due"`
		Optional Date  `json:"optional,omitzero"`
	}
	in := doc{Posted: Date{2025, 12, 19}, Received: Date{}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"posted":"2025-12-19","received":"","due":null}`; string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("Unmarshal = %+v, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"posted":"2025-12-32"}`), &out); err == nil {
		t.Error("a bad date should not unmarshal")
	}
	if err := json.Unmarshal([]byte(`{"posted":20251219}`), &out); err == nil {
		t.Error("a number is not a date")
	}
	out.Posted = Date{2025, 1, 1}
	if err := json.Unmarshal([]byte(`{"posted":null}`), &out); err != nil || out.Posted != (Date{2025, 1, 1}) {
		t.Errorf("null should leave the date alone: %v %v", out.Posted, err)
	}
	if _, err := json.Marshal(doc{Posted: Date{2025, 2, 30}}); err == nil {
		t.Error("an invalid date should not marshal")
	}
	// As a map key.
	b, err = json.Marshal(map[Date]int{{2025, 12, 25}: 1})
	if err != nil || string(b) != `{"2025-12-25":1}` {
		t.Errorf("map key: %s %v", b, err)
	}
}
