package calendar

import (
	"fmt"
	"strconv"
	"strings"
)

// ReasonWeekend is the Reason of a Step skipped because it is a Saturday or
// Sunday.
const ReasonWeekend = "weekend"

// Step is one day in an Explanation: a working day that was counted, or a day
// that was skipped and why.
type Step struct {
	Date    Date
	Counted bool
	// Number is which working day this is (1, 2, ...) when Counted, else 0.
	Number int
	// Reason says why the day was not counted: ReasonWeekend, or the bank
	// holiday, such as "Boxing Day (substitute day), a bank holiday in
	// England and Wales". It is "" when Counted.
	Reason string
}

// Explanation shows how a date was reached by counting working days, so that
// a caseworker, a letter or an MP's office can check it: which days were
// counted, which were skipped and why.
type Explanation struct {
	Start    Date // the day counted from, which is never counted itself
	Result   Date // AddWorkingDays(Start, N)
	N        int  // the number of working days counted
	Division string
	// StartLabel and EndLabel name what happened on Start and Result in the
	// sentence form, such as "Posted" and "deemed received".
	StartLabel, EndLabel string
	// Steps holds every day after Start up to and including Result, in
	// order (every day before Start back to Result when N < 0). It is empty
	// when N is 0.
	Steps []Step
	// Uncovered lists the years from Start to Result that the holiday data
	// does not cover. Bank holidays in those years were not skipped, so the
	// Result may be too early. It is empty when the data covers them all.
	Uncovered []int
}

// Explain counts n working days from start, as AddWorkingDays does, and
// records each day it steps over. startLabel and endLabel are used by
// Explanation.String: with "Posted" and "deemed received", counting 2 from
// Friday 19 December 2025 in England and Wales reads
//
//	Posted Friday 19 December 2025 (not counted). Saturday 20 December: weekend.
//	Sunday 21 December: weekend. Monday 22 December is working day 1.
//	Tuesday 23 December is working day 2: deemed received.
//
// The steps are as many as the days between start and the result, so
// explanations are for the tens of working days of service standards, not
// for years.
func (c Calendar) Explain(start Date, n int, startLabel, endLabel string) Explanation {
	e := Explanation{
		Start:      start,
		Result:     c.AddWorkingDays(start, n),
		N:          n,
		Division:   c.div,
		StartLabel: startLabel,
		EndLabel:   endLabel,
	}
	dir := 1
	if n < 0 {
		dir = -1
	}
	if n != 0 {
		e.Steps = make([]Step, 0, abs(e.Result.Sub(start)))
		counted := 0
		for d := start.AddDays(dir); ; d = d.AddDays(dir) {
			s := Step{Date: d}
			if c.IsWorkingDay(d) {
				counted++
				s.Counted, s.Number = true, counted
			} else {
				s.Reason = c.reason(d)
			}
			e.Steps = append(e.Steps, s)
			if d == e.Result {
				break
			}
		}
	}
	lo, hi := start.Year, e.Result.Year
	if hi < lo {
		lo, hi = hi, lo
	}
	for y := lo; y <= hi; y++ {
		if !c.d.covers(y) {
			e.Uncovered = append(e.Uncovered, y)
		}
	}
	return e
}

// reason says why d, which is not a working day, was skipped.
func (c Calendar) reason(d Date) string {
	if isWeekend(d) {
		return ReasonWeekend
	}
	ev, _ := c.d.event(d)
	r := ev.Title
	if ev.Substitute() {
		r += " (substitute day)"
	}
	if name := DivisionName(c.div); name != "" {
		return r + ", a bank holiday in " + name
	}
	return r + ", a bank holiday"
}

// minRun is the fewest working days in a row (weekends aside) that String
// writes as one range rather than day by day.
const minRun = 3

// String writes the explanation as sentences a person can check, one for
// each day skipped or counted. Runs of three or more working days broken
// only by weekends are written as one range ("Working days 3 to 17: Monday
// 5 January to Friday 23 January, not counting 4 weekend days."), so that
// the 20 working days of an MP's enquiry stay readable; bank holidays are
// always written out. The year is written with the start date and whenever
// it changes.
func (e Explanation) String() string {
	var b strings.Builder
	w := writer{b: &b, year: e.Start.Year}
	label := e.StartLabel
	if label == "" {
		label = "From"
	}
	end := ""
	if e.EndLabel != "" {
		end = ": " + e.EndLabel
	}
	if e.N == 0 || len(e.Steps) == 0 {
		w.sentence("%s %s (0 working days to count)%s", label, e.Start.Long(), end)
		w.uncovered(e)
		return b.String()
	}
	if e.N < 0 {
		w.sentence("%s %s (not counted); counting back", label, e.Start.Long())
	} else {
		w.sentence("%s %s (not counted)", label, e.Start.Long())
	}
	to := " to "
	if e.N < 0 {
		to = " back to "
	}
	steps, last := e.Steps, len(e.Steps)-1
	for i := 0; i < last; {
		s := steps[i]
		if s.Counted {
			// Find the last counted day of the run of counted and weekend
			// days that starts here, short of the final step.
			j := i
			for k := i + 1; k < last && (steps[k].Counted || steps[k].Reason == ReasonWeekend); k++ {
				if steps[k].Counted {
					j = k
				}
			}
			if runDays := steps[j].Number - s.Number + 1; runDays >= minRun {
				first := w.day(s.Date)
				sent := fmt.Sprintf("Working days %d to %d: %s%s%s", s.Number, steps[j].Number, first, to, w.day(steps[j].Date))
				if skipped := j - i + 1 - runDays; skipped > 0 {
					sent += ", not counting " + plural(skipped, "weekend day")
				}
				w.sentence("%s", sent)
				i = j + 1
				continue
			}
			w.sentence("%s is working day %d", w.day(s.Date), s.Number)
		} else {
			w.sentence("%s: %s", w.day(s.Date), s.Reason)
		}
		i++
	}
	f := steps[last]
	w.sentence("%s is working day %d%s", w.day(f.Date), f.Number, end)
	w.uncovered(e)
	return b.String()
}

type writer struct {
	b    *strings.Builder
	year int // the year last written
}

func (w *writer) sentence(format string, args ...any) {
	if w.b.Len() > 0 {
		w.b.WriteByte(' ')
	}
	fmt.Fprintf(w.b, format, args...)
	w.b.WriteByte('.')
}

// day writes d without its year when that is the year last written.
func (w *writer) day(d Date) string {
	if d.Year != w.year {
		w.year = d.Year
		return d.Long()
	}
	return fmt.Sprintf("%s %d %s", d.Weekday(), d.Day, d.Month)
}

func (w *writer) uncovered(e Explanation) {
	if len(e.Uncovered) == 0 {
		return
	}
	years := make([]string, len(e.Uncovered))
	for i, y := range e.Uncovered {
		years[i] = strconv.Itoa(y)
	}
	list := years[0]
	if n := len(years); n > 1 {
		list = strings.Join(years[:n-1], ", ") + " and " + years[n-1]
	}
	where := ""
	if name := DivisionName(e.Division); name != "" {
		where = " in " + name
	}
	that, way := "that year", "too early"
	if len(years) > 1 {
		that = "those years"
	}
	if e.N < 0 {
		way = "too late"
	}
	w.sentence("Warning: no bank holidays are known for %s%s, so only weekends were skipped %s and the date may be %s", list, where, that, way)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
