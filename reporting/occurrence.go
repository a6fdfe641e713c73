package reporting

import (
	"fmt"
	"slices"

	"tether"
	"tether/calendar"
)

// Horizon limits. Events are made ahead on a rolling horizon, never for the
// whole of an open-ended condition.
const (
	// DefaultHorizonDays is how far ahead a sweep makes events (check: a
	// configuration; four weeks gives every monthly event a reminder).
	DefaultHorizonDays = 28
	// MaxHorizonDays is the most days one call to Occurrences covers.
	MaxHorizonDays = 366
)

// Occurrence is one reporting event a condition gives: the day the person
// reports and, when that is not the day the schedule gives, why.
type Occurrence struct {
	// Date is the day the person reports. Storage keys events by condition
	// and Date: a condition has at most one event a day.
	Date calendar.Date `json:"date"`
	At   string        `json:"at,omitempty"`
	// Scheduled is the day the schedule gives; it differs from Date when
	// the event moved off a day the reporting centre is closed.
	Scheduled calendar.Date `json:"scheduled"`
	// Note says in words why the day is what it is: moved off a bank
	// holiday, the last day of a short month, two events joined, a year
	// with no bank holiday data. It is "" for a plain scheduled day.
	Note string `json:"note,omitempty"`
}

// Moved reports whether the event moved off the day the schedule gives.
func (o Occurrence) Moved() bool { return o.Date != o.Scheduled }

// movesOffClosedDays reports whether events of kind move off weekends and
// bank holidays. Only a reporting centre closes: telephone reporting is an
// automated call to the person, and digital and electronic-monitoring
// reporting need no one at a desk.
func movesOffClosedDays(kind string) bool { return kind == KindInPerson }

// Occurrences returns the reporting events of c whose scheduled day is from
// from to to (both included, and within c's span), in date order. An
// in-person event whose day is a weekend or a bank holiday of the centre's
// division moves to the next working day, and its Note says so; when that
// day has an event already, the two are one event. A moved event may fall
// after to (the next horizon will not make it again, since its scheduled
// day is behind it) but never after c ends: a condition does not bind after
// its last day, so an event a closure would push past it is dropped.
//
// hol gives the bank holidays; it is needed for in-person conditions only
// and may be nil for the others. When it does not cover a year, the events
// of that year move off weekends only, and their Note warns of it.
//
// EINVALID when c is not valid, when to is before from, or when the range is
// longer than MaxHorizonDays: events are made on a rolling horizon.
func Occurrences(c Condition, from, to calendar.Date, hol *calendar.Holidays) ([]Occurrence, error) {
	c = c.clone()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	q := tether.Problems{}
	if !from.IsValid() {
		q.Add("from", "is not a real date")
	}
	if !to.IsValid() {
		q.Add("to", "is not a real date")
	}
	if len(q) > 0 {
		return nil, q.Err()
	}
	if to.Before(from) {
		return nil, tether.Invalid("to", "is before from ("+from.String()+")")
	}
	if n := to.Sub(from) + 1; n > MaxHorizonDays {
		return nil, tether.Invalid("to", fmt.Sprintf("covers %d days: make events at most %d days ahead at a time, on a rolling horizon", n, MaxHorizonDays))
	}
	var cal calendar.Calendar
	move := movesOffClosedDays(c.Kind)
	if move {
		var err error
		if cal, err = hol.For(c.Division); err != nil {
			return nil, tether.Invalid("division", "no bank holidays are loaded for "+c.Division)
		}
	}
	lo, hi := from, to
	if lo.Before(c.Start) {
		lo = c.Start
	}
	if !c.End.IsZero() && hi.After(c.End) {
		hi = c.End
	}
	var out []Occurrence
	byDate := map[calendar.Date]int{}
	for d := lo; !d.After(hi); d = d.AddDays(1) {
		if !c.Schedule.fallsOn(d) {
			continue
		}
		o := Occurrence{Date: d, Scheduled: d, At: c.Schedule.At}
		var notes []string
		if c.Schedule.clamped(d) {
			notes = append(notes, fmt.Sprintf("The schedule's day %d falls on %s, the last day of %s.", c.Schedule.Day, dayMonth(d), d.Month))
		}
		if move && !cal.IsWorkingDay(d) {
			o.Date = cal.WorkingDayOnOrAfter(d)
			if !c.End.IsZero() && o.Date.After(c.End) {
				continue
			}
			notes = append(notes, fmt.Sprintf("%s %s, when the reporting centre is closed, so the event moves to the next working day, %s.",
				d.Long(), closedBecause(cal, d), o.Date.Long()))
		}
		if move && !cal.Covers(o.Date) {
			notes = append(notes, fmt.Sprintf("No bank holidays are known for %d in %s: only weekends were avoided, so check this day.",
				o.Date.Year, calendar.DivisionName(c.Division)))
		}
		o.Note = joinSentences(notes)
		if i, dup := byDate[o.Date]; dup {
			out[i] = join(out[i], o)
			continue
		}
		byDate[o.Date] = len(out)
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b Occurrence) int { return a.Date.Compare(b.Date) })
	return out, nil
}

// join makes one event of two that fall on the same day: the one scheduled
// for that day stands, and the note says the other was joined to it.
func join(a, b Occurrence) Occurrence {
	keep, other := a, b
	if !b.Moved() && a.Moved() {
		keep, other = b, a
	}
	why := other.Note
	if why != "" {
		why = " " + why
	}
	keep.Note = joinSentences([]string{keep.Note,
		fmt.Sprintf("The event scheduled for %s is the same event as this one.%s", other.Scheduled.Long(), why)})
	return keep
}

// closedBecause says why d is not a working day: "falls at the weekend",
// "is Easter Monday, a bank holiday in England and Wales".
func closedBecause(cal calendar.Calendar, d calendar.Date) string {
	if ev, ok := cal.Holiday(d); ok {
		t := ev.Title
		if ev.Substitute() {
			t += " (substitute day)"
		}
		return "is " + t + ", a bank holiday in " + calendar.DivisionName(cal.Division())
	}
	return "falls at the weekend"
}

// NextHorizon returns the days a sweep should make events for next, to pass
// to Occurrences: from the day after madeUpTo (the to of the last call for
// the condition; zero if none) or from today if that is later, up to the
// day before today plus days. ok is false when the events are made far
// enough ahead already. days is taken between 1 and MaxHorizonDays.
func NextHorizon(madeUpTo, today calendar.Date, days int) (from, to calendar.Date, ok bool) {
	days = max(1, min(days, MaxHorizonDays))
	to = today.AddDays(days - 1)
	from = today
	if !madeUpTo.IsZero() && !madeUpTo.Before(today) {
		from = madeUpTo.AddDays(1)
	}
	return from, to, !from.After(to)
}

func dayMonth(d calendar.Date) string { return fmt.Sprintf("%s %d %s", d.Weekday(), d.Day, d.Month) }

func joinSentences(s []string) string {
	out := ""
	for _, x := range s {
		if x == "" {
			continue
		}
		if out != "" {
			out += " "
		}
		out += x
	}
	return out
}
