package calendar

import "time"

// Calendar tells working days from other days in one division: a working day
// is Monday to Friday and not a bank holiday of that division. Get one from
// (*Holidays).For. A Calendar is a small immutable value, safe to copy and to
// share between goroutines.
//
// The zero Calendar knows no holidays: it skips weekends only, and Covers is
// always false.
//
// Sums are exact however large n is: they count weekdays by arithmetic and
// holidays by binary search, so they cost O(log h) for h holidays, not O(n).
type Calendar struct {
	div string
	d   *division
}

// Division returns the division of the calendar, such as "scotland".
func (c Calendar) Division() string { return c.div }

// Covers reports whether the holiday data covers the year d is in. Outside
// the years covered the calendar still skips weekends but cannot know the
// bank holidays, so a result that reaches there may be too early.
func (c Calendar) Covers(d Date) bool { return c.d.covers(d.Year) }

// Holiday returns the bank holiday on d, if d is one in this division.
// A holiday GOV.UK lists on a weekend date is returned too.
func (c Calendar) Holiday(d Date) (Event, bool) { return c.d.event(d) }

// IsWorkingDay reports whether d is Monday to Friday and not a bank holiday
// in the calendar's division.
func (c Calendar) IsWorkingDay(d Date) bool {
	if isWeekend(d) {
		return false
	}
	_, holiday := c.d.event(d)
	return !holiday
}

// NextWorkingDay returns the first working day after d (never d itself).
// It is AddWorkingDays(d, 1).
func (c Calendar) NextWorkingDay(d Date) Date { return c.AddWorkingDays(d, 1) }

// WorkingDayOnOrAfter returns d if it is a working day, else the next one:
// the usual way to move a date that falls on a weekend or holiday.
func (c Calendar) WorkingDayOnOrAfter(d Date) Date {
	if c.IsWorkingDay(d) {
		return d
	}
	return c.NextWorkingDay(d)
}

// AddWorkingDays returns the n-th working day after d, not counting d itself,
// which need not be a working day. Post on Friday 19 December 2025 with n = 2
// gives Tuesday 23 December in England and Wales.
//
// n = 0 returns d unchanged, even when d is not a working day, so that
// WorkingDaysBetween(d, AddWorkingDays(d, n)) == n for every n >= 0; use
// WorkingDayOnOrAfter to move a date onto a working day.
//
// A negative n counts back: AddWorkingDays(d, -n) is the working day r such
// that exactly n working days fall from r up to the day before d, r included
// and d not. For a working day d, AddWorkingDays(AddWorkingDays(d, -n), n) == d.
func (c Calendar) AddWorkingDays(d Date, n int) Date {
	t := d.days()
	if n >= 0 {
		for rem := n; rem > 0; {
			// The rem-th weekday after t; then make up for the holidays
			// among the weekdays stepped over.
			next := weekdayAt(weekdaysBefore(t+1) + rem - 1)
			rem = c.d.weekdayHolidaysUpTo(next) - c.d.weekdayHolidaysUpTo(t)
			t = next
		}
		return fromDays(t)
	}
	for rem := -n; rem > 0; {
		// The rem-th weekday before t, then the same correction.
		prev := weekdayAt(weekdaysBefore(t) - rem)
		rem = c.d.weekdayHolidaysUpTo(t-1) - c.d.weekdayHolidaysUpTo(prev-1)
		t = prev
	}
	return fromDays(t)
}

// WorkingDaysBetween returns the number of working days after from, up to
// and including to: from is not counted and to is. It is 0 when to is on or
// before from. It is the inverse of AddWorkingDays: for n >= 0,
// WorkingDaysBetween(d, AddWorkingDays(d, n)) == n. For example, an MP's
// letter received on Monday is answered within the 20-working-day standard
// when WorkingDaysBetween(received, replied) <= 20.
func (c Calendar) WorkingDaysBetween(from, to Date) int {
	a, b := from.days(), to.days()
	if b <= a {
		return 0
	}
	weekdays := weekdaysBefore(b+1) - weekdaysBefore(a+1)
	holidays := c.d.weekdayHolidaysUpTo(b) - c.d.weekdayHolidaysUpTo(a)
	return weekdays - holidays
}

func isWeekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// Weekday arithmetic on day numbers (days since 1970-01-01). Day -3,
// 1969-12-29, was a Monday, so with m = n+3 the weekdays of each week are
// m%7 in 0..4.

// weekdaysBefore returns a count of the weekdays before day n, relative to
// an arbitrary fixed origin: weekdaysBefore(b) - weekdaysBefore(a) is the
// number of weekdays in [a, b).
func weekdaysBefore(n int) int {
	m := n + 3
	return 5*floorDiv(m, 7) + min(floorMod(m, 7), 5)
}

// weekdayAt returns the day number of the weekday w such that
// weekdaysBefore(w) == k: the k-th weekday counting from the origin.
func weekdayAt(k int) int {
	return 7*floorDiv(k, 5) + floorMod(k, 5) - 3
}
