package calendar

import (
	"fmt"
	"time"
)

// Date is a civil date: a year, month and day with no time of day and no time
// zone. It is comparable with ==, and usable as a map key. The zero Date is
// "no date" (see IsZero).
//
// Methods other than IsZero, IsValid and String assume a valid date, as
// returned by ParseDate, NewDate or FromTime.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date year-month-day, normalising out-of-range values
// the way time.Date does: NewDate(2025, 12, 32) is 1 January 2026.
func NewDate(year int, month time.Month, day int) Date {
	// Fold the month into the year first, then let the day overflow.
	m := int(month) - 1
	year += floorDiv(m, 12)
	m = floorMod(m, 12) + 1
	return fromDays(daysFromCivil(year, m, 1) + day - 1)
}

// ParseDate reads a date written "YYYY-MM-DD" (ISO 8601, as in the GOV.UK
// bank holidays list). It accepts nothing else: no times, no other orders.
func ParseDate(s string) (Date, error) {
	bad := func(why string) (Date, error) {
		return Date{}, fmt.Errorf("%q is not a date: %s", s, why)
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return bad("write it YYYY-MM-DD")
	}
	num := func(from, to int) (int, bool) {
		n := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	m, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	if !ok1 || !ok2 || !ok3 {
		return bad("write it YYYY-MM-DD")
	}
	if y < 1 {
		return bad("there is no year 0")
	}
	if m < 1 || m > 12 {
		return bad("the month must be between 01 and 12")
	}
	if last := daysIn(y, time.Month(m)); d < 1 || d > last {
		return bad(fmt.Sprintf("%s %d has %d days", time.Month(m), y, last))
	}
	return Date{y, time.Month(m), d}, nil
}

// MustParseDate is ParseDate for constants in code and tests; it panics if s
// is not a date.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic("calendar: " + err.Error())
	}
	return d
}

// FromTime returns the date that t falls on in loc. A nil loc means t's own
// location. A time late on 31 December in UTC may be 1 January elsewhere, so
// the location matters: pass the one the rule is about (Europe/London for UK
// service rules).
func FromTime(t time.Time, loc *time.Location) Date {
	if loc != nil {
		t = t.In(loc)
	}
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Time returns midnight at the start of d in loc (UTC if loc is nil).
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// IsZero reports whether d is the zero Date, which stands for "no date".
func (d Date) IsZero() bool { return d == Date{} }

// IsValid reports whether d is a real date between years 1 and 9999.
func (d Date) IsValid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= 1 && d.Month <= 12 &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// String writes d as "YYYY-MM-DD".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Long writes d the way a letter does: "Friday 19 December 2025".
func (d Date) Long() string {
	return fmt.Sprintf("%s %d %s %d", d.Weekday(), d.Day, d.Month, d.Year)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// Day 0 (1970-01-01) was a Thursday.
	return time.Weekday(floorMod(d.days()+4, 7))
}

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return fromDays(d.days() + n) }

// Sub returns the number of days from u to d: positive when d is after u.
// u.AddDays(d.Sub(u)) == d.
func (d Date) Sub(u Date) int { return d.days() - u.days() }

// Before reports whether d is before u.
func (d Date) Before(u Date) bool { return d.Compare(u) < 0 }

// After reports whether d is after u.
func (d Date) After(u Date) bool { return d.Compare(u) > 0 }

// Equal reports whether d and u are the same date. It is the same as ==.
func (d Date) Equal(u Date) bool { return d == u }

// Compare returns -1, 0 or +1 as d is before, equal to or after u, for use
// with slices.SortFunc.
func (d Date) Compare(u Date) int {
	switch {
	case d.Year != u.Year:
		return cmpInt(d.Year, u.Year)
	case d.Month != u.Month:
		return cmpInt(int(d.Month), int(u.Month))
	default:
		return cmpInt(d.Day, u.Day)
	}
}

// MarshalText writes d as "YYYY-MM-DD", and the zero Date as "". It makes
// encoding/json write a Date as a JSON string.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	if !d.IsValid() {
		return nil, fmt.Errorf("calendar: cannot write invalid date %d-%d-%d", d.Year, int(d.Month), d.Day)
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads "YYYY-MM-DD"; "" reads as the zero Date. It makes
// encoding/json read a Date from a JSON string (a JSON null leaves d as it is).
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// days returns the number of days from 1970-01-01 to d.
func (d Date) days() int { return daysFromCivil(d.Year, int(d.Month), d.Day) }

func fromDays(n int) Date {
	y, m, d := civilFromDays(n)
	return Date{y, time.Month(m), d}
}

// daysFromCivil and civilFromDays are Howard Hinnant's algorithms for the
// proleptic Gregorian calendar (http://howardhinnant.github.io/date_algorithms.html).
// Day 0 is 1970-01-01.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400                     // [0, 399]
	doy := (153*((m+9)%12)+2)/5 + d - 1    // [0, 365]
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return era*146097 + doe - 719468
}

func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	default:
		return 31
	}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
