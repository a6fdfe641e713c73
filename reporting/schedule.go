package reporting

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/calendar"
)

// Schedule patterns.
const (
	Weekly      = "weekly"        // on given weekdays every week
	EveryNWeeks = "every_n_weeks" // every N weeks, in step with an anchor date
	Monthly     = "monthly"       // on day D of each month (the last day of shorter months)
	Once        = "once"          // on one-off dates
)

// Patterns lists the schedule patterns.
var Patterns = []string{Weekly, EveryNWeeks, Monthly, Once}

// Limits of a schedule.
const (
	// MinEveryWeeks and MaxEveryWeeks bound N in "every N weeks". Every
	// week is Weekly; every 52 weeks is about yearly, less often than any
	// reporting the department describes.
	MinEveryWeeks = 2
	MaxEveryWeeks = 52
	// MaxOneOffDates bounds a list of one-off dates: more is a regular
	// schedule written out, and should be one.
	MaxOneOffDates = 100
	// maxScheduleText bounds the compact text form ParseSchedule reads:
	// MaxOneOffDates dates and some words.
	maxScheduleText = 1200
)

// Schedule says on which days a condition's events fall, and at what time.
// It is a small tagged struct: Pattern says which of the other fields are
// used, and Validate refuses the others. Its JSON form is the compact text
// form (see ParseSchedule), so it is stored and sent as one string.
type Schedule struct {
	Pattern string
	// Weekdays are the days of a Weekly schedule, at most one each.
	Weekdays []time.Weekday
	// Every is N for EveryNWeeks: events fall on Anchor and on every date a
	// whole multiple of N weeks before or after it.
	Every  int
	Anchor calendar.Date
	// Day is the day of the month for Monthly, 1 to 31. On 29, 30 or 31 an
	// event falls on the last day of a shorter month.
	Day int
	// Dates are the days of a Once schedule.
	Dates []calendar.Date
	// At is the time of day to report, "HH:MM" on the 24-hour clock, or ""
	// for any time that day (digital and electronic-monitoring reporting).
	At string
}

// Normalize puts weekdays in order from Monday and one-off dates in date
// order, so that equal schedules compare and print the same. Validate and
// ParseSchedule call it.
func (s *Schedule) Normalize() {
	s.Pattern = strings.TrimSpace(s.Pattern)
	s.At = strings.TrimSpace(s.At)
	slices.SortFunc(s.Weekdays, func(a, b time.Weekday) int { return mondayFirst(a) - mondayFirst(b) })
	slices.SortFunc(s.Dates, calendar.Date.Compare)
}

// Validate normalises s and checks it on its own; Condition.Validate checks
// it against the condition's kind and span too. EINVALID names the field:
// "pattern", "weekdays", "every", "anchor", "day", "dates[2]", "at".
func (s *Schedule) Validate() error { return s.problems().Err() }

func (s *Schedule) problems() tether.Problems {
	s.Normalize()
	q := tether.Problems{}
	unused := func(field string, set bool) {
		if set {
			q.Add(field, "is not used by a "+patternWords(s.Pattern)+" schedule: leave it out")
		}
	}
	switch s.Pattern {
	case Weekly:
		if len(s.Weekdays) == 0 {
			q.Add("weekdays", "choose at least one day of the week")
		}
		for i, d := range s.Weekdays {
			if d < time.Sunday || d > time.Saturday {
				q.Add("weekdays["+strconv.Itoa(i)+"]", "is not a day of the week")
			} else if i > 0 && s.Weekdays[i-1] == d {
				q.Add("weekdays", d.String()+" is listed twice")
			}
		}
		unused("every", s.Every != 0)
		unused("anchor", !s.Anchor.IsZero())
		unused("day", s.Day != 0)
		unused("dates", len(s.Dates) > 0)
	case EveryNWeeks:
		if s.Every < MinEveryWeeks || s.Every > MaxEveryWeeks {
			q.Add("every", fmt.Sprintf("must be between %d and %d weeks (for every week, use weekly)", MinEveryWeeks, MaxEveryWeeks))
		}
		switch {
		case s.Anchor.IsZero():
			q.Add("anchor", "give the date of one of the events, which sets the weeks and the weekday")
		case !s.Anchor.IsValid():
			q.Add("anchor", "is not a real date")
		}
		unused("weekdays", len(s.Weekdays) > 0)
		unused("day", s.Day != 0)
		unused("dates", len(s.Dates) > 0)
	case Monthly:
		if s.Day < 1 || s.Day > 31 {
			q.Add("day", "must be a day of the month, 1 to 31 (29, 30 and 31 fall on the last day of shorter months)")
		}
		unused("weekdays", len(s.Weekdays) > 0)
		unused("every", s.Every != 0)
		unused("anchor", !s.Anchor.IsZero())
		unused("dates", len(s.Dates) > 0)
	case Once:
		switch {
		case len(s.Dates) == 0:
			q.Add("dates", "give at least one date")
		case len(s.Dates) > MaxOneOffDates:
			q.Add("dates", fmt.Sprintf("must be %d dates or fewer: use a regular schedule", MaxOneOffDates))
		}
		for i, d := range s.Dates {
			f := "dates[" + strconv.Itoa(i) + "]"
			if !d.IsValid() {
				q.Add(f, "is not a real date")
			} else if i > 0 && s.Dates[i-1] == d {
				q.Add(f, d.String()+" is listed twice")
			}
		}
		unused("weekdays", len(s.Weekdays) > 0)
		unused("every", s.Every != 0)
		unused("anchor", !s.Anchor.IsZero())
		unused("day", s.Day != 0)
	default:
		q.Add("pattern", "must be weekly, every_n_weeks, monthly or once")
	}
	if s.At != "" {
		if _, _, ok := parseClock(s.At); !ok {
			q.Add("at", "must be a time of day written HH:MM on the 24-hour clock, like 09:30 or 14:00")
		}
	}
	return q
}

func (s Schedule) clone() Schedule {
	s.Weekdays, s.Dates = slices.Clone(s.Weekdays), slices.Clone(s.Dates)
	return s
}

// fallsOn reports whether the schedule gives an event on d. s must be valid.
func (s Schedule) fallsOn(d calendar.Date) bool {
	switch s.Pattern {
	case Weekly:
		return slices.Contains(s.Weekdays, d.Weekday())
	case EveryNWeeks:
		n := d.Sub(s.Anchor) % (7 * s.Every)
		return n == 0
	case Monthly:
		return d.Day == monthlyDay(s.Day, d.Year, d.Month)
	case Once:
		_, found := slices.BinarySearchFunc(s.Dates, d, calendar.Date.Compare)
		return found
	}
	return false
}

// clamped reports whether a monthly event on d fell on the last day of the
// month because the month is shorter than the schedule's day.
func (s Schedule) clamped(d calendar.Date) bool {
	return s.Pattern == Monthly && d.Day < s.Day
}

// monthlyDay is the day of month m that a monthly schedule on day gives:
// day itself, or the last day of a shorter month.
func monthlyDay(day, year int, m time.Month) int {
	return min(day, lastDay(year, m))
}

// lastDay is the number of days in month m of year.
func lastDay(year int, m time.Month) int {
	return calendar.NewDate(year, m+1, 0).Day
}

// String writes the schedule in the compact text form that ParseSchedule
// reads: "weekly mon,thu 10:00", "every 2 weeks from 2026-03-02 10:00",
// "monthly day 31", "once 2026-03-02,2026-04-01 09:30".
func (s Schedule) String() string {
	var b strings.Builder
	switch s.Pattern {
	case Weekly:
		b.WriteString("weekly ")
		for i, d := range s.Weekdays {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(dayAbbrev(d))
		}
	case EveryNWeeks:
		fmt.Fprintf(&b, "every %d weeks from %s", s.Every, s.Anchor)
	case Monthly:
		fmt.Fprintf(&b, "monthly day %d", s.Day)
	case Once:
		b.WriteString("once ")
		for i, d := range s.Dates {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(d.String())
		}
	default:
		b.WriteString(s.Pattern)
	}
	if s.At != "" {
		b.WriteString(" " + s.At)
	}
	return b.String()
}

// Words writes the schedule for a person to read, as a letter would:
// "every Monday and Thursday at 10:00", "on the 31st of each month (the last
// day of shorter months)".
func (s Schedule) Words() string {
	var w string
	switch s.Pattern {
	case Weekly:
		names := make([]string, len(s.Weekdays))
		for i, d := range s.Weekdays {
			names[i] = d.String()
		}
		w = "every " + joinAnd(names)
	case EveryNWeeks:
		w = fmt.Sprintf("every %d weeks on %s, counting from %s", s.Every, s.Anchor.Weekday(), s.Anchor.Long())
		if s.At != "" {
			w += ","
		}
	case Monthly:
		w = "on the " + ordinal(s.Day) + " of each month"
		if s.Day > 28 {
			w += " (the last day of shorter months)"
		}
	case Once:
		dates := make([]string, len(s.Dates))
		for i, d := range s.Dates {
			dates[i] = d.Long()
		}
		w = "on " + joinAnd(dates)
	default:
		return s.String()
	}
	if s.At != "" {
		w += " at " + s.At
	}
	return w
}

// MarshalText writes the compact text form. It refuses an invalid
// schedule, so that what is stored can always be read back.
func (s Schedule) MarshalText() ([]byte, error) {
	s = s.clone()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads the compact text form with ParseSchedule.
func (s *Schedule) UnmarshalText(b []byte) error {
	v, err := ParseSchedule(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSchedule reads a schedule written in its compact text form, as a
// caseworker types it or the CLI takes it. Words are case-insensitive and
// may be separated by any spaces; a trailing time of day may follow "at":
//
//	weekly mon,thu 10:00           weekdays as mon..sun or monday..sunday
//	every 2 weeks from 2026-03-02 09:30
//	monthly day 31                 the last day of shorter months
//	once 2026-03-02, 2026-04-01 at 14:00
//
// The schedule it returns is normalised and valid; an error is an EINVALID
// *tether.Error on the field "schedule" that says what is wrong.
func ParseSchedule(text string) (Schedule, error) {
	bad := func(why string) (Schedule, error) {
		return Schedule{}, tether.Invalid("schedule", why)
	}
	if len(text) > maxScheduleText {
		return bad(fmt.Sprintf("is too long: write it in %d characters or fewer", maxScheduleText))
	}
	f := strings.Fields(strings.ToLower(text))
	// Join list items written with spaces after (or before) commas.
	for i := 0; i < len(f); i++ {
		for i+1 < len(f) && (strings.HasSuffix(f[i], ",") || strings.HasPrefix(f[i+1], ",")) {
			f[i] += f[i+1]
			f = slices.Delete(f, i+1, i+2)
		}
	}
	if len(f) == 0 {
		return bad(`write a schedule such as "weekly mon,thu 10:00"`)
	}
	var s Schedule
	if n := len(f); n >= 2 && strings.Contains(f[n-1], ":") {
		if _, _, ok := parseClock(f[n-1]); !ok {
			return bad(fmt.Sprintf("%q is not a time of day: write it HH:MM on the 24-hour clock, like 09:30", clip(f[n-1])))
		}
		s.At = f[n-1]
		f = f[:n-1]
		if n := len(f); n >= 2 && f[n-1] == "at" {
			f = f[:n-1]
		}
	}
	switch f[0] {
	case "weekly":
		if len(f) != 2 {
			return bad(`write a weekly schedule like "weekly mon,thu 10:00"`)
		}
		s.Pattern = Weekly
		for _, name := range strings.Split(f[1], ",") {
			d, ok := weekdayNamed(name)
			if !ok {
				return bad(fmt.Sprintf("%q is not a day of the week: use mon, tue, wed, thu, fri, sat or sun", clip(name)))
			}
			s.Weekdays = append(s.Weekdays, d)
		}
	case "every":
		if len(f) != 5 || (f[2] != "weeks" && f[2] != "week") || f[3] != "from" {
			return bad(`write it like "every 2 weeks from 2026-03-02 10:00"`)
		}
		n, ok := smallNumber(f[1])
		if !ok {
			return bad(fmt.Sprintf("%q is not a number of weeks", clip(f[1])))
		}
		d, err := calendar.ParseDate(f[4])
		if err != nil {
			return bad(fmt.Sprintf("the anchor %q is not a date: write it YYYY-MM-DD", clip(f[4])))
		}
		s.Pattern, s.Every, s.Anchor = EveryNWeeks, n, d
	case "monthly":
		if len(f) != 3 || f[1] != "day" {
			return bad(`write it like "monthly day 15 10:00"`)
		}
		n, ok := smallNumber(f[2])
		if !ok {
			return bad(fmt.Sprintf("%q is not a day of the month", clip(f[2])))
		}
		s.Pattern, s.Day = Monthly, n
	case "once":
		if len(f) != 2 {
			return bad(`write it like "once 2026-03-02,2026-04-01 10:00"`)
		}
		s.Pattern = Once
		for _, t := range strings.Split(f[1], ",") {
			d, err := calendar.ParseDate(t)
			if err != nil {
				return bad(fmt.Sprintf("%q is not a date: write it YYYY-MM-DD", clip(t)))
			}
			s.Dates = append(s.Dates, d)
		}
	default:
		return bad(fmt.Sprintf("%q is not a schedule: start with weekly, every, monthly or once", clip(f[0])))
	}
	if q := s.problems(); len(q) > 0 {
		return Schedule{}, tether.Invalid("schedule", inWords(q))
	}
	return s, nil
}

// parseClock reads "HH:MM" on the 24-hour clock.
func parseClock(t string) (h, m int, ok bool) {
	if len(t) != 5 || t[2] != ':' {
		return 0, 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if t[i] < '0' || t[i] > '9' {
			return 0, 0, false
		}
	}
	h = int(t[0]-'0')*10 + int(t[1]-'0')
	m = int(t[3]-'0')*10 + int(t[4]-'0')
	return h, m, h < 24 && m < 60
}

// smallNumber reads 1 to 3 digits, and nothing else: no sign, no spaces.
func smallNumber(t string) (int, bool) {
	if len(t) == 0 || len(t) > 3 {
		return 0, false
	}
	n := 0
	for i := range len(t) {
		if t[i] < '0' || t[i] > '9' {
			return 0, false
		}
		n = n*10 + int(t[i]-'0')
	}
	return n, true
}

var weekdayNames = map[string]time.Weekday{
	"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
	"fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
}

func weekdayNamed(s string) (time.Weekday, bool) {
	if d, ok := weekdayNames[s]; ok {
		return d, true
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if s == strings.ToLower(d.String()) {
			return d, true
		}
	}
	return 0, false
}

func dayAbbrev(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return "?"
	}
	return strings.ToLower(d.String()[:3])
}

// mondayFirst orders weekdays as a UK week does: Monday 0 to Sunday 6.
func mondayFirst(d time.Weekday) int { return (int(d) + 6) % 7 }

func patternWords(p string) string {
	switch p {
	case Weekly:
		return "weekly"
	case EveryNWeeks:
		return "every-N-weeks"
	case Monthly:
		return "monthly"
	case Once:
		return "one-off"
	}
	return "this"
}

// clip shortens input quoted back in an error.
func clip(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "..."
	}
	return s
}

// inWords writes problems as one reason, field by field in order, for an
// input that is one field on a form (a schedule typed as text).
func inWords(q tether.Problems) string {
	keys := slices.Sorted(maps.Keys(q))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + q[k]
	}
	return strings.Join(parts, "; ")
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// joinAnd writes "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
