package calendar_test

import (
	"fmt"

	"tether/calendar"
)

// Post to a UK address is deemed received on the second business day after
// posting, not counting the day of posting.
func ExampleCalendar_Explain() {
	ew, err := calendar.Default().For(calendar.EnglandAndWales)
	if err != nil {
		panic(err)
	}
	posted := calendar.MustParseDate("2025-12-19")
	e := ew.Explain(posted, 2, "Posted", "deemed received")
	fmt.Println(e.Result)
	fmt.Println(e)
	// Output:
	// 2025-12-23
	// Posted Friday 19 December 2025 (not counted). Saturday 20 December: weekend. Sunday 21 December: weekend. Monday 22 December is working day 1. Tuesday 23 December is working day 2: deemed received.
}

// An MP's enquiry is answered within 20 working days. Over Christmas and New
// Year in Scotland the holidays are written out and the plain weeks are
// written as ranges.
func ExampleCalendar_Explain_mpEnquiry() {
	scotland, err := calendar.Default().For(calendar.Scotland)
	if err != nil {
		panic(err)
	}
	received := calendar.MustParseDate("2025-12-17")
	e := scotland.Explain(received, 20, "Received", "reply due")
	fmt.Println(e.Result)
	fmt.Println(e)
	// Output:
	// 2026-01-20
	// Received Wednesday 17 December 2025 (not counted). Working days 1 to 5: Thursday 18 December to Wednesday 24 December, not counting 2 weekend days. Thursday 25 December: Christmas Day, a bank holiday in Scotland. Friday 26 December: Boxing Day, a bank holiday in Scotland. Saturday 27 December: weekend. Sunday 28 December: weekend. Working days 6 to 8: Monday 29 December to Wednesday 31 December. Thursday 1 January 2026: New Year’s Day, a bank holiday in Scotland. Friday 2 January: 2nd January, a bank holiday in Scotland. Saturday 3 January: weekend. Sunday 4 January: weekend. Working days 9 to 19: Monday 5 January to Monday 19 January, not counting 4 weekend days. Tuesday 20 January is working day 20: reply due.
}

func ExampleCalendar_AddWorkingDays() {
	ni, _ := calendar.Default().For(calendar.NorthernIreland)
	// Thursday 10 July 2025: the Battle of the Boyne fell on a Saturday, so
	// Monday 14 July was the substitute day in Northern Ireland.
	d := calendar.MustParseDate("2025-07-10")
	fmt.Println(ni.AddWorkingDays(d, 2))
	fmt.Println(ni.WorkingDaysBetween(d, calendar.MustParseDate("2025-07-15")))
	// Output:
	// 2025-07-15
	// 2
}
