package calendar

import (
	"slices"
	"strings"
	"testing"
)

func TestExplainSteps(t *testing.T) {
	c := mustFor(t, EnglandAndWales)
	e := c.Explain(Date{2025, 12, 19}, 2, "Posted", "deemed received")
	want := []Step{
		{Date: Date{2025, 12, 20}, Reason: ReasonWeekend},
		{Date: Date{2025, 12, 21}, Reason: ReasonWeekend},
		{Date: Date{2025, 12, 22}, Counted: true, Number: 1},
		{Date: Date{2025, 12, 23}, Counted: true, Number: 2},
	}
	if !slices.Equal(e.Steps, want) {
		t.Errorf("steps = %+v", e.Steps)
	}
	if e.Start != (Date{2025, 12, 19}) || e.Result != (Date{2025, 12, 23}) || e.N != 2 ||
		e.Division != EnglandAndWales || len(e.Uncovered) != 0 {
		t.Errorf("explanation = %+v", e)
	}
}

func TestExplainString(t *testing.T) {
	ew, sc, ni := mustFor(t, EnglandAndWales), mustFor(t, Scotland), mustFor(t, NorthernIreland)
	tests := []struct {
		name  string
		c     Calendar
		start string
		n     int
		from  string
		to    string
		want  string
	}{
		{"deemed receipt", ew, "2025-12-19", 2, "Posted", "deemed received",
			"Posted Friday 19 December 2025 (not counted). Saturday 20 December: weekend. Sunday 21 December: weekend. " +
				"Monday 22 December is working day 1. Tuesday 23 December is working day 2: deemed received."},
		{"over Christmas", ew, "2025-12-23", 2, "Posted", "deemed received",
			"Posted Tuesday 23 December 2025 (not counted). Wednesday 24 December is working day 1. " +
				"Thursday 25 December: Christmas Day, a bank holiday in England and Wales. " +
				"Friday 26 December: Boxing Day, a bank holiday in England and Wales. " +
				"Saturday 27 December: weekend. Sunday 28 December: weekend. Monday 29 December is working day 2: deemed received."},
		{"over New Year in Scotland", sc, "2025-12-31", 2, "Posted", "deemed received",
			"Posted Wednesday 31 December 2025 (not counted). " +
				"Thursday 1 January 2026: New Year’s Day, a bank holiday in Scotland. " +
				"Friday 2 January: 2nd January, a bank holiday in Scotland. " +
				"Saturday 3 January: weekend. Sunday 4 January: weekend. " +
				"Monday 5 January is working day 1. Tuesday 6 January is working day 2: deemed received."},
		{"substitute day", sc, "2025-11-28", 1, "Posted", "deemed received",
			"Posted Friday 28 November 2025 (not counted). Saturday 29 November: weekend. Sunday 30 November: weekend. " +
				"Monday 1 December: St Andrew’s Day (substitute day), a bank holiday in Scotland. " +
				"Tuesday 2 December is working day 1: deemed received."},
		{"the Boyne", ni, "2025-07-11", 1, "Sent", "",
			"Sent Friday 11 July 2025 (not counted). Saturday 12 July: weekend. Sunday 13 July: weekend. " +
				"Monday 14 July: Battle of the Boyne (Orangemen’s Day) (substitute day), a bank holiday in Northern Ireland. " +
				"Tuesday 15 July is working day 1."},
		{"twenty working days", ew, "2026-01-05", 20, "Received", "reply due",
			"Received Monday 5 January 2026 (not counted). " +
				"Working days 1 to 19: Tuesday 6 January to Friday 30 January, not counting 6 weekend days. " +
				"Saturday 31 January: weekend. Sunday 1 February: weekend. Monday 2 February is working day 20: reply due."},
		{"short runs are written out", ew, "2026-01-07", 3, "Received", "reply due",
			"Received Wednesday 7 January 2026 (not counted). Thursday 8 January is working day 1. " +
				"Friday 9 January is working day 2. Saturday 10 January: weekend. Sunday 11 January: weekend. " +
				"Monday 12 January is working day 3: reply due."},
		{"range over the new year", ew, "2026-12-29", 10, "Received", "reply due",
			"Received Tuesday 29 December 2026 (not counted). Wednesday 30 December is working day 1. " +
				"Thursday 31 December is working day 2. " +
				"Friday 1 January 2027: New Year’s Day, a bank holiday in England and Wales. " +
				"Saturday 2 January: weekend. Sunday 3 January: weekend. " +
				"Working days 3 to 9: Monday 4 January to Tuesday 12 January, not counting 2 weekend days. " +
				"Wednesday 13 January is working day 10: reply due."},
		{"no holiday data", Calendar{}, "2025-12-29", 5, "Received", "reply due",
			"Received Monday 29 December 2025 (not counted). " +
				"Working days 1 to 4: Tuesday 30 December to Friday 2 January 2026. " +
				"Saturday 3 January: weekend. Sunday 4 January: weekend. Monday 5 January is working day 5: reply due. " +
				"Warning: no bank holidays are known for 2025 and 2026, so only weekends were skipped those years " +
				"and the date may be too early."},
		{"no days", ew, "2025-12-25", 0, "Sent", "received",
			"Sent Thursday 25 December 2025 (0 working days to count): received."},
		{"counting back", ew, "2026-01-05", -3, "Hearing on", "",
			"Hearing on Monday 5 January 2026 (not counted); counting back. Sunday 4 January: weekend. " +
				"Saturday 3 January: weekend. Friday 2 January is working day 1. " +
				"Thursday 1 January: New Year’s Day, a bank holiday in England and Wales. " +
				"Wednesday 31 December 2025 is working day 2. Tuesday 30 December is working day 3."},
		{"default label", ew, "2025-12-19", 1, "", "",
			"From Friday 19 December 2025 (not counted). Saturday 20 December: weekend. Sunday 21 December: weekend. " +
				"Monday 22 December is working day 1."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.Explain(MustParseDate(tt.start), tt.n, tt.from, tt.to).String()
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestExplainUncovered(t *testing.T) {
	c := mustFor(t, Scotland)
	e := c.Explain(Date{2027, 12, 20}, 20, "Received", "reply due")
	if !slices.Equal(e.Uncovered, []int{2028}) {
		t.Fatalf("uncovered = %v", e.Uncovered)
	}
	s := e.String()
	if !strings.HasSuffix(s, "Warning: no bank holidays are known for 2028 in Scotland, "+
		"so only weekends were skipped that year and the date may be too early.") {
		t.Errorf("no warning: %s", s)
	}
	if e := c.Explain(Date{2030, 1, 1}, 300, "", ""); !slices.Equal(e.Uncovered, []int{2030, 2031}) ||
		!strings.Contains(e.String(), "2030 and 2031 in Scotland, so only weekends were skipped those years") {
		t.Errorf("uncovered = %v: %s", e.Uncovered, e.String())
	}
	if e := c.Explain(Date{2027, 1, 5}, 20, "", ""); e.Uncovered != nil {
		t.Errorf("2027 is covered: %v", e.Uncovered)
	}
}
