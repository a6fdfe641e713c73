package reporting_test

import (
	"fmt"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// A monthly in-person condition on day 31: the event falls on the last day
// of shorter months, and moves off weekends and bank holidays, when the
// reporting centre is closed, to the next working day.
func ExampleOccurrences() {
	s, err := reporting.ParseSchedule("monthly day 31 10:00")
	if err != nil {
		panic(err)
	}
	c := reporting.Condition{Kind: reporting.KindInPerson, Schedule: s, Start: calendar.MustParseDate("2026-01-01"),
		Centre: "Croydon reporting centre", Division: calendar.EnglandAndWales,
		SetBy: "A. Caseworker", Reason: "Bail conditions"}
	events, err := reporting.Occurrences(c, calendar.MustParseDate("2026-02-01"), calendar.MustParseDate("2026-04-30"), calendar.Default())
	if err != nil {
		panic(err)
	}
	for _, e := range events {
		fmt.Println(e.Date, e.At)
		if e.Note != "" {
			fmt.Println("  " + e.Note)
		}
	}
	// Output:
	// 2026-03-02 10:00
	//   The schedule's day 31 falls on Saturday 28 February, the last day of February. Saturday 28 February 2026 falls at the weekend, when the reporting centre is closed, so the event moves to the next working day, Monday 2 March 2026.
	// 2026-03-31 10:00
	// 2026-04-30 10:00
	//   The schedule's day 31 falls on Thursday 30 April, the last day of April.
}

// The first missed event without an accepted explanation makes a person at
// risk the same day, and out of contact five working days later unless
// contact is re-established first.
func ExampleApply() {
	ew, err := calendar.Default().For(calendar.EnglandAndWales)
	if err != nil {
		panic(err)
	}
	s := reporting.InContact(calendar.MustParseDate("2026-01-05"))
	s, tr, err := reporting.Apply(s, reporting.Signal{Cause: tether.CauseMissedEvent},
		calendar.MustParseDate("2026-03-02"), reporting.DefaultThresholds(), ew)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Status, s.OutOfContactOn)
	fmt.Println(tr.Explanation)
	// Output:
	// at_risk 2026-03-09
	// A reporting event missed without an accepted explanation: in contact to at risk on Monday 2 March 2026. Out of contact on Monday 9 March 2026 unless contact is re-established first. At risk from Monday 2 March 2026 (not counted). Working days 1 to 4: Tuesday 3 March to Friday 6 March. Saturday 7 March: weekend. Sunday 8 March: weekend. Monday 9 March is working day 5: out of contact unless contact is re-established first.
}

// Telephone reporting is refused, naming the rule, for a person identified
// for removal.
func ExampleRuleSet_Check() {
	c := reporting.Condition{Kind: reporting.KindTelephone}
	facts := reporting.Facts{Flags: []string{reporting.FlagIdentifiedForRemoval}}
	err := reporting.DefaultRules().Check(facts, c)
	fmt.Println(tether.ErrorFields(err)["kind"])
	// Output:
	// A person identified for removal may not report by telephone. (rule no-telephone-identified-for-removal version 1)
}
