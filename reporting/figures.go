package reporting

import (
	"cmp"
	"encoding/csv"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"tether"
	"tether/calendar"
)

// Figures for managers: how well contact is kept, per reporting centre and
// per month, from the records alone. They hold counts and times, never
// anything about a person.

// MaxFigureMonths bounds the months one request of figures covers.
const MaxFigureMonths = 36

// Scopes of a row of figures.
const (
	ScopeAll      = "all"       // every lapse and every person on reporting conditions
	ScopeCentre   = "centre"    // the lapses of one centre and the people reporting in person there
	ScopeNoCentre = "no_centre" // lapses of people with no in-person reporting condition when they opened
)

// Month is a calendar month, written YYYY-MM.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads YYYY-MM. EINVALID names the field.
func ParseMonth(field, s string) (Month, error) {
	bad := tether.Invalid(field, "must be a month written YYYY-MM, like 2026-03")
	if len(s) != 7 || s[4] != '-' {
		return Month{}, bad
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || y < 1900 || y > 9999 || m < 1 || m > 12 {
		return Month{}, bad
	}
	return Month{y, time.Month(m)}, nil
}

func (m Month) String() string {
	return strconv.Itoa(m.Year) + "-" + string([]byte{byte('0' + int(m.Month)/10), byte('0' + int(m.Month)%10)})
}

// First and Last are the first and last days of the month.
func (m Month) First() calendar.Date { return calendar.NewDate(m.Year, m.Month, 1) }
func (m Month) Last() calendar.Date  { return m.Next().First().AddDays(-1) }

// Next is the month after.
func (m Month) Next() Month {
	if m.Month == time.December {
		return Month{m.Year + 1, time.January}
	}
	return Month{m.Year, m.Month + 1}
}

// MonthOf is the month of a day.
func MonthOf(d calendar.Date) Month { return Month{d.Year, d.Month} }

// MonthRange checks a range of months, from and to inclusive, at most
// MaxFigureMonths long, and lists them. EINVALID names from or to.
func MonthRange(from, to string) ([]Month, error) {
	q := tether.Problems{}
	f, err := ParseMonth("from", from)
	if err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	t, err := ParseMonth("to", to)
	if err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	if len(q) > 0 {
		return nil, q.Err()
	}
	if t.First().Before(f.First()) {
		return nil, tether.Invalid("to", "must be the same month as from or later")
	}
	var out []Month
	for m := f; !t.First().Before(m.First()); m = m.Next() {
		if len(out) == MaxFigureMonths {
			return nil, tether.Invalid("to", "must be at most "+strconv.Itoa(MaxFigureMonths)+" months after from")
		}
		out = append(out, m)
	}
	return out, nil
}

// LapseFact is what the figures need of one lapse.
type LapseFact struct {
	Centre        string // "" for none
	OpenedAt      time.Time
	OpenedOn      calendar.Date
	FirstSignalAt time.Time
	// FirstAttemptAt is when the first tracing attempt was made; nil for none.
	FirstAttemptAt *time.Time
	// ClosedAt is when contact was re-established; nil while open.
	ClosedAt *time.Time
	// Division counts the working days of the lapse's plan.
	Division string
}

// ConditionSpan is one reporting condition, for the count of people on
// reporting conditions.
type ConditionSpan struct {
	PersonID int64
	InPerson bool
	Centre   string
	Start    calendar.Date
	End      calendar.Date // zero while open-ended
}

// MissedEvent is one missed reporting event.
type MissedEvent struct {
	Centre string // "" for an event that was not in person
	Due    calendar.Date
}

// Durations summarises a set of times in hours.
type Durations struct {
	N           int      `json:"n"`
	MedianHours *float64 `json:"median_hours"`
	MeanHours   *float64 `json:"mean_hours"`
}

// Share is how many of a number did something.
type Share struct {
	Of    int      `json:"of"`
	With  int      `json:"with"`
	Share *float64 `json:"share"`
}

// FiguresRow is the figures of one month, for one centre, for the lapses
// with no centre, or for all.
type FiguresRow struct {
	Month  string `json:"month"`
	Scope  string `json:"scope"`
	Centre string `json:"centre,omitempty"`
	// People is how many people were on a reporting condition at some time
	// in the month (in person at the centre, for a centre); nil for the
	// lapses with no centre, which have no population.
	People *int `json:"people"`
	// Lapses opened in the month, and their rate per person.
	Lapses    int      `json:"lapses"`
	LapseRate *float64 `json:"lapse_rate"`
	// EventsMissed counts the reporting events due in the month and missed.
	EventsMissed int `json:"events_missed"`
	// SignalToAtRisk is the time from the first signal to at risk.
	SignalToAtRisk Durations `json:"signal_to_at_risk"`
	// ToFirstAttempt is the time from at risk to the first tracing
	// attempt, over the lapses with one.
	ToFirstAttempt Durations `json:"to_first_attempt"`
	// AttemptWithinOneWorkingDay is the share of lapses with an attempt by
	// the end of the working day after the day they opened, of those whose
	// working day has passed or that had one.
	AttemptWithinOneWorkingDay Share `json:"attempt_within_one_working_day"`
	// ToReEstablish is the time from at risk to contact re-established,
	// over the lapses closed; StillOpen counts the others.
	ToReEstablish Durations `json:"to_re_establish"`
	StillOpen     int       `json:"still_open"`
}

// ContactFigures are the figures of a range of months.
type ContactFigures struct {
	From string       `json:"from"`
	To   string       `json:"to"`
	Rows []FiguresRow `json:"rows"`
	// Definitions say how each figure is counted.
	Definitions map[string]string `json:"definitions"`
}

// FigureDefinitions say how each figure is counted, for the reader.
var FigureDefinitions = map[string]string{
	"people":                         "People on a reporting condition at any time in the month; for a centre, those reporting in person there.",
	"lapses":                         "Lapses of contact opened in the month: a person in contact became at risk. A lapse counts for the centre of the person's in-person reporting condition when it opened.",
	"lapse_rate":                     "Lapses divided by people.",
	"events_missed":                  "Reporting events due in the month and missed without an accepted explanation.",
	"signal_to_at_risk":              "Hours from the first signal (a missed event, a failed channel or call, recorded) to the person becoming at risk.",
	"to_first_attempt":               "Hours from at risk to the first tracing attempt made, over the lapses with an attempt.",
	"attempt_within_one_working_day": "Lapses with a tracing attempt made by the end of the next working day after the day they opened, of those whose next working day has passed or that had one.",
	"to_re_establish":                "Hours from at risk to contact re-established, over the lapses closed.",
	"still_open":                     "Lapses opened in the month that are still open.",
}

// ComputeContactFigures works out the figures of the months from the
// lapses opened in them, the reporting conditions and the missed events,
// on today (UK) in loc, with working days counted by hol. Rows come by
// month: all first, then each centre by name, then no centre (only when
// there are lapses or missed events without one). A centre appears in a
// month when it has people reporting there, lapses or missed events.
func ComputeContactFigures(months []Month, lapses []LapseFact, conds []ConditionSpan, missed []MissedEvent,
	today calendar.Date, loc *time.Location, hol *calendar.Holidays) (ContactFigures, error) {
	out := ContactFigures{Rows: []FiguresRow{}, Definitions: FigureDefinitions}
	if len(months) == 0 {
		return out, nil
	}
	out.From, out.To = months[0].String(), months[len(months)-1].String()
	type key struct {
		month  string
		scope  string
		centre string
	}
	type acc struct {
		people                    map[int64]bool
		lapses, open, missed      int
		toRisk, toFirst, toReturn []float64
		within, withinOf          int
	}
	accs := map[key]*acc{}
	get := func(k key) *acc {
		a := accs[k]
		if a == nil {
			a = &acc{people: map[int64]bool{}}
			accs[k] = a
		}
		return a
	}
	for _, m := range months {
		get(key{m.String(), ScopeAll, ""})
		first, last := m.First(), m.Last()
		for _, c := range conds {
			if last.Before(c.Start) || (!c.End.IsZero() && c.End.Before(first)) {
				continue
			}
			get(key{m.String(), ScopeAll, ""}).people[c.PersonID] = true
			if c.InPerson && c.Centre != "" {
				get(key{m.String(), ScopeCentre, c.Centre}).people[c.PersonID] = true
			}
		}
	}
	inRange := func(d calendar.Date) (string, bool) {
		m := MonthOf(d)
		if d.Before(months[0].First()) || months[len(months)-1].Last().Before(d) {
			return "", false
		}
		return m.String(), true
	}
	for _, e := range missed {
		ms, ok := inRange(e.Due)
		if !ok {
			continue
		}
		get(key{ms, ScopeAll, ""}).missed++
		if e.Centre != "" {
			get(key{ms, ScopeCentre, e.Centre}).missed++
		} else {
			get(key{ms, ScopeNoCentre, ""}).missed++
		}
	}
	for _, l := range lapses {
		ms, ok := inRange(l.OpenedOn)
		if !ok {
			continue
		}
		targets := []*acc{get(key{ms, ScopeAll, ""})}
		if l.Centre != "" {
			targets = append(targets, get(key{ms, ScopeCentre, l.Centre}))
		} else {
			targets = append(targets, get(key{ms, ScopeNoCentre, ""}))
		}
		risk := hours(l.OpenedAt.Sub(l.FirstSignalAt))
		var first, back *float64
		if l.FirstAttemptAt != nil {
			h := hours(l.FirstAttemptAt.Sub(l.OpenedAt))
			first = &h
		}
		if l.ClosedAt != nil {
			h := hours(l.ClosedAt.Sub(l.OpenedAt))
			back = &h
		}
		div := l.Division
		if !calendar.ValidDivision(div) {
			div = calendar.EnglandAndWales
		}
		cal, err := hol.For(div)
		if err != nil {
			return out, err
		}
		deadline := cal.AddWorkingDays(l.OpenedOn, 1)
		within := l.FirstAttemptAt != nil && !deadline.Before(calendar.FromTime(*l.FirstAttemptAt, loc))
		counted := within || deadline.Before(today)
		for _, a := range targets {
			a.lapses++
			a.toRisk = append(a.toRisk, risk)
			if first != nil {
				a.toFirst = append(a.toFirst, *first)
			}
			if back != nil {
				a.toReturn = append(a.toReturn, *back)
			} else {
				a.open++
			}
			if counted {
				a.withinOf++
				if within {
					a.within++
				}
			}
		}
	}
	scopeRank := map[string]int{ScopeAll: 0, ScopeCentre: 1, ScopeNoCentre: 2}
	keys := make([]key, 0, len(accs))
	for k := range accs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.month, b.month), cmp.Compare(scopeRank[a.scope], scopeRank[b.scope]), cmp.Compare(a.centre, b.centre))
	})
	for _, k := range keys {
		a := accs[k]
		r := FiguresRow{Month: k.month, Scope: k.scope, Centre: k.centre, Lapses: a.lapses, EventsMissed: a.missed,
			StillOpen: a.open, SignalToAtRisk: summarise(a.toRisk), ToFirstAttempt: summarise(a.toFirst),
			ToReEstablish: summarise(a.toReturn), AttemptWithinOneWorkingDay: Share{Of: a.withinOf, With: a.within}}
		if a.withinOf > 0 {
			r.AttemptWithinOneWorkingDay.Share = ratio(a.within, a.withinOf)
		}
		if k.scope != ScopeNoCentre {
			n := len(a.people)
			r.People = &n
			if n > 0 {
				r.LapseRate = ratio(a.lapses, n)
			}
		}
		out.Rows = append(out.Rows, r)
	}
	return out, nil
}

// hours is a duration in hours; a negative one (a clock put back) is 0.
func hours(d time.Duration) float64 { return max(0, d.Hours()) }

// summarise gives the count, median and mean of hours, to 2 decimals.
func summarise(xs []float64) Durations {
	d := Durations{N: len(xs)}
	if len(xs) == 0 {
		return d
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	var med float64
	if n := len(s); n%2 == 1 {
		med = s[n/2]
	} else {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	var sum float64
	for _, x := range s {
		sum += x
	}
	med, mean := round2(med), round2(sum/float64(len(s)))
	d.MedianHours, d.MeanHours = &med, &mean
	return d
}

func ratio(a, b int) *float64 {
	r := math.Round(float64(a)/float64(b)*10000) / 10000
	return &r
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// CSVHeader names the columns WriteCSV writes.
var CSVHeader = []string{"month", "scope", "centre", "people", "lapses", "lapse_rate", "events_missed",
	"signal_to_at_risk_n", "signal_to_at_risk_median_hours", "signal_to_at_risk_mean_hours",
	"to_first_attempt_n", "to_first_attempt_median_hours", "to_first_attempt_mean_hours",
	"attempt_within_one_working_day_of", "attempt_within_one_working_day_with", "attempt_within_one_working_day_share",
	"to_re_establish_n", "to_re_establish_median_hours", "to_re_establish_mean_hours", "still_open"}

// WriteCSV writes the rows as CSV with a header line; a figure that does
// not apply (no people, no times) is an empty cell.
func (f ContactFigures) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	num := func(x *float64) string {
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	}
	for _, r := range f.Rows {
		people := ""
		if r.People != nil {
			people = strconv.Itoa(*r.People)
		}
		rec := []string{r.Month, r.Scope, r.Centre, people, strconv.Itoa(r.Lapses), num(r.LapseRate), strconv.Itoa(r.EventsMissed)}
		for _, d := range []Durations{r.SignalToAtRisk, r.ToFirstAttempt} {
			rec = append(rec, strconv.Itoa(d.N), num(d.MedianHours), num(d.MeanHours))
		}
		s := r.AttemptWithinOneWorkingDay
		rec = append(rec, strconv.Itoa(s.Of), strconv.Itoa(s.With), num(s.Share))
		d := r.ToReEstablish
		rec = append(rec, strconv.Itoa(d.N), num(d.MedianHours), num(d.MeanHours), strconv.Itoa(r.StillOpen))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
