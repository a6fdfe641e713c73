package reporting

import (
	"strings"
	"testing"

	"tether/calendar"
)

// dates writes occurrences for comparing: "2026-04-07" for a plain day,
// "2026-04-06>2026-04-07" for one moved off a closed day.
func dates(os []Occurrence) []string {
	out := make([]string, len(os))
	for i, o := range os {
		if o.Moved() {
			out[i] = o.Scheduled.String() + ">" + o.Date.String()
		} else {
			out[i] = o.Date.String()
		}
	}
	return out
}

func TestOccurrences(t *testing.T) {
	hol := calendar.Default()
	telephone := func(schedule, start string) Condition {
		return Condition{Kind: KindTelephone, Schedule: sched(t, schedule), Start: d(start),
			Phone: "+447700900123", SetBy: "A. Caseworker", Reason: "Reports by telephone"}
	}
	scot := func(c Condition) Condition { c.Division = calendar.Scotland; return c }
	for _, c := range []struct {
		name     string
		cond     Condition
		from, to string
		want     []string
	}{
		{"weekly over Easter in England and Wales: Good Friday and Easter Monday move to one event",
			inPerson(t, "weekly mon,fri 10:00", "2026-03-02", ""), "2026-03-30", "2026-04-12",
			[]string{"2026-03-30", "2026-04-03>2026-04-07", "2026-04-10"}},
		{"weekly over Easter in Scotland: Easter Monday is a working day, Good Friday joins it",
			scot(inPerson(t, "weekly mon,fri 10:00", "2026-03-02", "")), "2026-03-30", "2026-04-12",
			[]string{"2026-03-30", "2026-04-06", "2026-04-10"}},
		{"telephone reporting stays on bank holidays",
			telephone("weekly mon,fri 11:00", "2026-03-02"), "2026-03-30", "2026-04-12",
			[]string{"2026-03-30", "2026-04-03", "2026-04-06", "2026-04-10"}},
		{"Christmas: Friday to Tuesday past Boxing Day (substitute)",
			inPerson(t, "weekly fri 10:00", "2026-12-01", ""), "2026-12-18", "2027-01-03",
			[]string{"2026-12-18", "2026-12-25>2026-12-29", "2027-01-01>2027-01-04"}},
		{"monthly day 31: short months, weekends and the summer bank holiday",
			inPerson(t, "monthly day 31 10:00", "2026-01-01", ""), "2026-01-01", "2026-09-30",
			[]string{"2026-01-31>2026-02-02", "2026-02-28>2026-03-02", "2026-03-31", "2026-04-30",
				"2026-05-31>2026-06-01", "2026-06-30", "2026-07-31", "2026-08-31>2026-09-01", "2026-09-30"}},
		{"monthly day 30 in a leap year",
			Condition{Kind: KindDigital, Schedule: sched(t, "monthly day 30"), Start: d("2028-01-01"), SetBy: "x", Reason: "y"},
			"2028-02-01", "2028-03-31", []string{"2028-02-29", "2028-03-30"}},
		{"monthly day 29 in a common year",
			Condition{Kind: KindDigital, Schedule: sched(t, "monthly day 29"), Start: d("2026-01-01"), SetBy: "x", Reason: "y"},
			"2026-02-01", "2026-03-31", []string{"2026-02-28", "2026-03-29"}},
		{"every 2 weeks, in step with the anchor before the span",
			inPerson(t, "every 2 weeks from 2026-01-05 10:00", "2026-03-01", ""), "2026-03-01", "2026-04-30",
			[]string{"2026-03-02", "2026-03-16", "2026-03-30", "2026-04-13", "2026-04-27"}},
		{"every 3 weeks, anchor after the span starts",
			Condition{Kind: KindDigital, Schedule: sched(t, "every 3 weeks from 2026-03-25"), Start: d("2026-03-01"), SetBy: "x", Reason: "y"},
			"2026-03-01", "2026-04-30", []string{"2026-03-04", "2026-03-25", "2026-04-15"}},
		{"one-off dates within the horizon",
			inPerson(t, "once 2026-03-02,2026-05-04,2026-06-01 10:00", "2026-03-02", ""), "2026-03-03", "2026-05-31",
			[]string{"2026-05-04>2026-05-05"}},
		{"clipped to the condition's span",
			inPerson(t, "weekly wed 10:00", "2026-03-09", "2026-03-24"), "2026-03-01", "2026-03-31",
			[]string{"2026-03-11", "2026-03-18"}},
		{"an event a closure would push past the end is dropped",
			inPerson(t, "weekly mon 10:00", "2026-03-02", "2026-04-06"), "2026-03-23", "2026-04-30",
			[]string{"2026-03-23", "2026-03-30"}},
		{"a moved event may fall after the horizon",
			inPerson(t, "weekly mon 10:00", "2026-03-02", ""), "2026-05-20", "2026-05-25",
			[]string{"2026-05-25>2026-05-26"}},
		{"nothing in the horizon",
			inPerson(t, "weekly mon 10:00", "2026-03-02", ""), "2026-03-03", "2026-03-06", []string{}},
		{"horizon before the condition starts",
			inPerson(t, "weekly mon 10:00", "2026-03-02", ""), "2026-01-01", "2026-02-28", []string{}},
		{"Scotland's World Cup holiday",
			scot(inPerson(t, "weekly mon 10:00", "2026-06-01", "")), "2026-06-08", "2026-06-21",
			[]string{"2026-06-08", "2026-06-15>2026-06-16"}},
		{"a year with no holiday data moves off weekends only",
			inPerson(t, "monthly day 1 10:00", "2035-01-01", ""), "2035-01-01", "2035-02-28",
			[]string{"2035-01-01", "2035-02-01"}},
	} {
		got, err := Occurrences(c.cond, d(c.from), d(c.to), hol)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if g := dates(got); strings.Join(g, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s:\n got %v\nwant %v", c.name, g, c.want)
		}
		for _, o := range got {
			if o.At != c.cond.Schedule.At {
				t.Errorf("%s: %s at %q", c.name, o.Date, o.At)
			}
			if (o.Moved() || c.cond.Schedule.clamped(o.Scheduled)) && o.Note == "" {
				t.Errorf("%s: %s has no note", c.name, o.Date)
			}
		}
	}
}

func TestOccurrenceNotes(t *testing.T) {
	hol := calendar.Default()
	c := inPerson(t, "weekly mon,tue 10:00", "2026-03-02", "")
	got, err := Occurrences(c, d("2026-04-06"), d("2026-04-07"), hol)
	if err != nil {
		t.Fatal(err)
	}
	want := "The event scheduled for Monday 6 April 2026 is the same event as this one. Monday 6 April 2026 is Easter Monday, " +
		"a bank holiday in England and Wales, when the reporting centre is closed, so the event moves to the next working day, Tuesday 7 April 2026."
	if len(got) != 1 || got[0].Date != d("2026-04-07") || got[0].Moved() || got[0].Note != want {
		t.Errorf("joined: %+v\nwant note %q", got, want)
	}

	c = inPerson(t, "monthly day 31 10:00", "2026-01-01", "")
	got, _ = Occurrences(c, d("2026-02-01"), d("2026-02-28"), hol)
	want = "The schedule's day 31 falls on Saturday 28 February, the last day of February. Saturday 28 February 2026 falls at the weekend, " +
		"when the reporting centre is closed, so the event moves to the next working day, Monday 2 March 2026."
	if len(got) != 1 || got[0].Note != want {
		t.Errorf("short month: %+v\nwant note %q", got, want)
	}

	c = inPerson(t, "weekly fri 10:00", "2026-12-01", "")
	got, _ = Occurrences(c, d("2026-12-25"), d("2026-12-25"), hol)
	if len(got) != 1 || !strings.Contains(got[0].Note, "Christmas Day, a bank holiday in England and Wales") {
		t.Errorf("Christmas: %+v", got)
	}
	got, _ = Occurrences(c, d("2035-01-05"), d("2035-01-05"), hol)
	if len(got) != 1 || !strings.Contains(got[0].Note, "No bank holidays are known for 2035 in England and Wales") {
		t.Errorf("uncovered year: %+v", got)
	}
}

func TestOccurrencesRefuses(t *testing.T) {
	hol := calendar.Default()
	good := inPerson(t, "weekly mon 10:00", "2026-03-02", "")
	bad := good
	bad.Centre = ""
	for _, c := range []struct {
		name     string
		cond     Condition
		from, to calendar.Date
		hol      *calendar.Holidays
		field    string
	}{
		{"a year", good, d("2026-01-01"), d("2026-12-31"), hol, ""},
		{"a leap year", good, d("2028-01-01"), d("2028-12-31"), hol, ""},
		{"366 days", good, d("2026-01-01"), d("2027-01-01"), hol, ""},
		{"longer than the horizon", good, d("2026-01-01"), d("2027-01-02"), hol, "to"},
		{"to before from", good, d("2026-03-02"), d("2026-03-01"), hol, "to"},
		{"bad from", good, calendar.Date{}, d("2026-03-01"), hol, "from"},
		{"bad to", good, d("2026-03-01"), calendar.Date{Year: 2026, Month: 3, Day: 32}, hol, "to"},
		{"invalid condition", bad, d("2026-03-02"), d("2026-03-08"), hol, "centre"},
		{"no holidays for a centre", good, d("2026-03-02"), d("2026-03-08"), nil, "division"},
	} {
		_, err := Occurrences(c.cond, c.from, c.to, c.hol)
		checkField(t, c.name, err, c.field)
	}
	// The other kinds need no holidays.
	dig := Condition{Kind: KindDigital, Schedule: sched(t, "weekly mon"), Start: d("2026-03-02"), SetBy: "x", Reason: "y"}
	if got, err := Occurrences(dig, d("2026-03-02"), d("2026-03-08"), nil); err != nil || len(got) != 1 {
		t.Errorf("digital without holidays: %v, %v", got, err)
	}
}

// However it is written, a schedule gives at most one event a day, and a
// horizon at most MaxHorizonDays events.
func TestOccurrencesBounded(t *testing.T) {
	c := Condition{Kind: KindDigital, Schedule: sched(t, "weekly mon,tue,wed,thu,fri,sat,sun"), Start: d("2026-01-01"), SetBy: "x", Reason: "y"}
	got, err := Occurrences(c, d("2026-01-01"), d("2026-01-01").AddDays(MaxHorizonDays-1), nil)
	if err != nil || len(got) != MaxHorizonDays {
		t.Errorf("every day for the longest horizon: %d events, %v", len(got), err)
	}
	c = inPerson(t, "weekly mon,tue,wed,thu,fri 10:00", "2026-01-01", "")
	got, _ = Occurrences(c, d("2026-12-01"), d("2026-12-31"), calendar.Default())
	seen := map[calendar.Date]bool{}
	for _, o := range got {
		if seen[o.Date] {
			t.Errorf("two events on %s", o.Date)
		}
		seen[o.Date] = true
	}
	if len(got) != 21 { // 23 weekdays less Christmas Day and Boxing Day (substitute), joined to the next day
		t.Errorf("December 2026 weekdays: %d events: %v", len(got), dates(got))
	}
}

func TestEventFrom(t *testing.T) {
	c := inPerson(t, "weekly mon 10:00", "2026-03-02", "")
	c.ID, c.PersonID = 3, 9
	e := EventFrom(c, Occurrence{Date: d("2026-04-07"), Scheduled: d("2026-04-06"), At: "10:00", Note: "moved"})
	if e.ConditionID != 3 || e.PersonID != 9 || e.Kind != KindInPerson || e.State != EventDue || e.Date != d("2026-04-07") || e.At != "10:00" || e.Note != "moved" {
		t.Errorf("EventFrom: %+v", e)
	}
}

func TestNextHorizon(t *testing.T) {
	for _, c := range []struct {
		madeUpTo, today string
		days            int
		from, to        string
		ok              bool
	}{
		{"", "2026-03-02", 28, "2026-03-02", "2026-03-29", true},
		{"2026-03-29", "2026-03-03", 28, "2026-03-30", "2026-03-30", true},
		{"2026-03-29", "2026-03-02", 28, "2026-03-30", "2026-03-29", false},
		{"2026-02-01", "2026-03-02", 28, "2026-03-02", "2026-03-29", true},
		{"2026-03-01", "2026-03-02", 28, "2026-03-02", "2026-03-29", true},
		{"", "2026-03-02", 5000, "2026-03-02", "2027-03-02", true},
		{"", "2026-03-02", 0, "2026-03-02", "2026-03-02", true},
	} {
		var made calendar.Date
		if c.madeUpTo != "" {
			made = d(c.madeUpTo)
		}
		from, to, ok := NextHorizon(made, d(c.today), c.days)
		if from != d(c.from) || to != d(c.to) || ok != c.ok {
			t.Errorf("NextHorizon(%s, %s, %d) = %s, %s, %v; want %s, %s, %v", c.madeUpTo, c.today, c.days, from, to, ok, c.from, c.to, c.ok)
		}
	}
}
