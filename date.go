package tether

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PartialDate is a date of which the year, month or day may be unknown, as
// dates of birth often are. A zero field is unknown; a zero PartialDate is
// wholly unknown. It is written "1990", "1990-05" or "1990-05-17".
type PartialDate struct {
	Year  int
	Month int
	Day   int
}

// ParsePartialDate reads "", "YYYY", "YYYY-MM" or "YYYY-MM-DD". It also takes
// "DD/MM/YYYY", the form people write in the UK.
func ParsePartialDate(s string) (PartialDate, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return PartialDate{}, nil
	}
	if strings.Count(s, "/") == 2 {
		parts := strings.Split(s, "/")
		s = parts[2] + "-" + parts[1] + "-" + parts[0]
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 {
		return PartialDate{}, fmt.Errorf("%q is not a date: use YYYY-MM-DD, YYYY-MM or YYYY", s)
	}
	var d PartialDate
	for i, p := range parts {
		want := 2
		if i == 0 {
			want = 4
		}
		if len(p) != want {
			return PartialDate{}, fmt.Errorf("%q is not a date: use YYYY-MM-DD, YYYY-MM or YYYY", s)
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return PartialDate{}, fmt.Errorf("%q is not a date: use YYYY-MM-DD, YYYY-MM or YYYY", s)
		}
		switch i {
		case 0:
			d.Year = n
		case 1:
			d.Month = n
		case 2:
			d.Day = n
		}
	}
	if d.Year < 1850 {
		return PartialDate{}, fmt.Errorf("year %d is too early", d.Year)
	}
	if len(parts) >= 2 && (d.Month < 1 || d.Month > 12) {
		return PartialDate{}, fmt.Errorf("month must be between 1 and 12")
	}
	if len(parts) == 3 {
		last := time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if d.Day < 1 || d.Day > last {
			return PartialDate{}, fmt.Errorf("day must be between 1 and %d", last)
		}
	}
	return d, nil
}

// IsZero reports whether the date is wholly unknown.
func (d PartialDate) IsZero() bool { return d.Year == 0 }

// String writes the date in the shortest ISO form that holds what is known.
func (d PartialDate) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Display writes the date for people: "17 May 1990", "May 1990", "1990" or "Unknown".
func (d PartialDate) Display() string {
	switch {
	case d.Year == 0:
		return "Unknown"
	case d.Month == 0:
		return strconv.Itoa(d.Year)
	case d.Day == 0:
		return time.Month(d.Month).String() + " " + strconv.Itoa(d.Year)
	}
	return fmt.Sprintf("%d %s %d", d.Day, time.Month(d.Month), d.Year)
}

// Earliest is the first day the date could be.
func (d PartialDate) Earliest() time.Time {
	m, day := max(d.Month, 1), max(d.Day, 1)
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// InFuture reports whether every day the date could be is after now's day.
func (d PartialDate) InFuture(now time.Time) bool {
	if d.IsZero() {
		return false
	}
	y, m, day := now.Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	return d.Earliest().After(today)
}

// Matches reports whether two dates could be the same day: unknown parts match anything.
func (d PartialDate) Matches(o PartialDate) bool {
	if d.IsZero() || o.IsZero() {
		return true
	}
	if d.Year != o.Year {
		return false
	}
	if d.Month != 0 && o.Month != 0 && d.Month != o.Month {
		return false
	}
	return d.Day == 0 || o.Day == 0 || d.Day == o.Day
}

func (d PartialDate) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

func (d *PartialDate) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = PartialDate{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be a string like \"1990-05-17\"")
	}
	v, err := ParsePartialDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
