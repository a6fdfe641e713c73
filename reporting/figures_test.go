package reporting

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/calendar"
)

func TestMonthRange(t *testing.T) {
	tests := []struct {
		from, to string
		n        int
		field    string
	}{
		{"2026-03", "2026-03", 1, ""},
		{"2025-11", "2026-02", 4, ""},
		{"2024-01", "2026-12", 36, ""},
		{"2024-01", "2027-01", 0, "to"},
		{"2026-04", "2026-03", 0, "to"},
		{"2026-13", "2026-03", 0, "from"},
		{"2026-3", "2026-03", 0, "from"},
		{"2026-03", "", 0, "to"},
		{"march", "2026-03", 0, "from"},
		{"2026-00", "2026-03", 0, "from"},
	}
	for _, tt := range tests {
		ms, err := MonthRange(tt.from, tt.to)
		if tt.field != "" {
			if tether.ErrorFields(err)[tt.field] == "" {
				t.Errorf("%s..%s: error %v, want one naming %s", tt.from, tt.to, err, tt.field)
			}
			continue
		}
		if err != nil || len(ms) != tt.n || ms[0].String() != tt.from || ms[len(ms)-1].String() != tt.to {
			t.Errorf("%s..%s: %v, %v", tt.from, tt.to, ms, err)
		}
	}
	if m, _ := ParseMonth("x", "2028-02"); m.Last() != calendar.MustParseDate("2028-02-29") {
		t.Errorf("last day of February 2028 = %v", m.Last())
	}
}

func figF(f float64) *float64 { return &f }
func figI(n int) *int         { return &n }

func figAt(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func figAtp(s string) *time.Time { t := figAt(s); return &t }

// TestComputeContactFigures works out the figures of February and March
// 2026 for a small population, each number by hand below.
func TestComputeContactFigures(t *testing.T) {
	d := calendar.MustParseDate
	conds := []ConditionSpan{
		{PersonID: 1, InPerson: true, Centre: "Croydon", Start: d("2026-01-01")},
		{PersonID: 1, Start: d("2026-01-01")}, // also by telephone: counted once
		{PersonID: 2, InPerson: true, Centre: "Croydon", Start: d("2026-03-10")},
		{PersonID: 3, InPerson: true, Centre: "Eaton", Start: d("2026-01-01"), End: d("2026-02-15")},
		{PersonID: 4, Start: d("2026-02-01")},
		{PersonID: 5, InPerson: true, Centre: "Eaton", Start: d("2026-03-01")},
		{PersonID: 6, InPerson: true, Centre: "Eaton", Start: d("2026-04-01")}, // after the range
	}
	// Lapses (times in UTC; London is on GMT until 29 March).
	lapses := []LapseFact{
		// L1, Croydon: signal 2 hours before at risk; first attempt 23
		// hours after, on Tuesday, the working day after Monday: within;
		// re-established 72 hours after.
		{Centre: "Croydon", OpenedAt: figAt("2026-03-02T10:00:00Z"), OpenedOn: d("2026-03-02"), FirstSignalAt: figAt("2026-03-02T08:00:00Z"),
			FirstAttemptAt: figAtp("2026-03-03T09:00:00Z"), ClosedAt: figAtp("2026-03-05T10:00:00Z"), Division: calendar.EnglandAndWales},
		// L2, Croydon: opened on a Friday; the first attempt the next
		// Tuesday, 96 hours after, later than Monday: not within; open.
		{Centre: "Croydon", OpenedAt: figAt("2026-03-06T12:00:00Z"), OpenedOn: d("2026-03-06"), FirstSignalAt: figAt("2026-03-06T12:00:00Z"),
			FirstAttemptAt: figAtp("2026-03-10T12:00:00Z"), Division: calendar.EnglandAndWales},
		// L3, no centre: signal 24 hours before; no attempt yet, and its
		// working day (Friday 27th, today) has not passed: not counted.
		{OpenedAt: figAt("2026-03-26T09:00:00Z"), OpenedOn: d("2026-03-26"), FirstSignalAt: figAt("2026-03-25T09:00:00Z")},
		// L4, Eaton in February: an attempt after an hour, back after 48.
		{Centre: "Eaton", OpenedAt: figAt("2026-02-10T09:00:00Z"), OpenedOn: d("2026-02-10"), FirstSignalAt: figAt("2026-02-10T09:00:00Z"),
			FirstAttemptAt: figAtp("2026-02-10T10:00:00Z"), ClosedAt: figAtp("2026-02-12T09:00:00Z"), Division: calendar.EnglandAndWales},
		// L5, before the range: left out.
		{Centre: "Croydon", OpenedAt: figAt("2026-01-30T09:00:00Z"), OpenedOn: d("2026-01-30"), FirstSignalAt: figAt("2026-01-30T09:00:00Z")},
	}
	missed := []MissedEvent{
		{Centre: "Croydon", Due: d("2026-03-02")}, {Centre: "Croydon", Due: d("2026-03-05")}, {Due: d("2026-03-20")},
		{Centre: "Eaton", Due: d("2026-02-09")}, {Centre: "Croydon", Due: d("2026-04-01")},
	}
	months, err := MonthRange("2026-02", "2026-03")
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/London")
	got, err := ComputeContactFigures(months, lapses, conds, missed, d("2026-03-27"), loc, calendar.Default())
	if err != nil {
		t.Fatal(err)
	}
	none := Durations{}
	dur := func(n int, med, mean float64) Durations {
		return Durations{N: n, MedianHours: figF(med), MeanHours: figF(mean)}
	}
	want := []FiguresRow{
		// February: people 1, 3, 4; one lapse (L4).
		{Month: "2026-02", Scope: ScopeAll, People: figI(3), Lapses: 1, LapseRate: figF(0.3333), EventsMissed: 1,
			SignalToAtRisk: dur(1, 0, 0), ToFirstAttempt: dur(1, 1, 1), AttemptWithinOneWorkingDay: Share{Of: 1, With: 1, Share: figF(1)},
			ToReEstablish: dur(1, 48, 48)},
		{Month: "2026-02", Scope: ScopeCentre, Centre: "Croydon", People: figI(1), LapseRate: figF(0)},
		{Month: "2026-02", Scope: ScopeCentre, Centre: "Eaton", People: figI(1), Lapses: 1, LapseRate: figF(1), EventsMissed: 1,
			SignalToAtRisk: dur(1, 0, 0), ToFirstAttempt: dur(1, 1, 1), AttemptWithinOneWorkingDay: Share{Of: 1, With: 1, Share: figF(1)},
			ToReEstablish: dur(1, 48, 48)},
		// March: people 1, 2, 4, 5; L1, L2, L3. Signal to at risk 2, 0
		// and 24 hours: median 2, mean 26/3. First attempts 23 and 96:
		// median and mean 59.5. Within a working day: L1 of L1 and L2.
		{Month: "2026-03", Scope: ScopeAll, People: figI(4), Lapses: 3, LapseRate: figF(0.75), EventsMissed: 3,
			SignalToAtRisk: dur(3, 2, 8.67), ToFirstAttempt: dur(2, 59.5, 59.5), AttemptWithinOneWorkingDay: Share{Of: 2, With: 1, Share: figF(0.5)},
			ToReEstablish: dur(1, 72, 72), StillOpen: 2},
		{Month: "2026-03", Scope: ScopeCentre, Centre: "Croydon", People: figI(2), Lapses: 2, LapseRate: figF(1), EventsMissed: 2,
			SignalToAtRisk: dur(2, 1, 1), ToFirstAttempt: dur(2, 59.5, 59.5), AttemptWithinOneWorkingDay: Share{Of: 2, With: 1, Share: figF(0.5)},
			ToReEstablish: dur(1, 72, 72), StillOpen: 1},
		{Month: "2026-03", Scope: ScopeCentre, Centre: "Eaton", People: figI(1), LapseRate: figF(0)},
		{Month: "2026-03", Scope: ScopeNoCentre, Lapses: 1, EventsMissed: 1, SignalToAtRisk: dur(1, 24, 24),
			ToFirstAttempt: none, ToReEstablish: none, StillOpen: 1},
	}
	if got.From != "2026-02" || got.To != "2026-03" || len(got.Definitions) == 0 {
		t.Errorf("from %s to %s, %d definitions", got.From, got.To, len(got.Definitions))
	}
	gj, _ := json.MarshalIndent(got.Rows, "", " ")
	wj, _ := json.MarshalIndent(want, "", " ")
	if string(gj) != string(wj) {
		t.Errorf("rows:\n%s\nwant:\n%s", gj, wj)
	}
}

func TestComputeContactFiguresEmpty(t *testing.T) {
	months, _ := MonthRange("2026-01", "2026-01")
	got, err := ComputeContactFigures(months, nil, nil, nil, calendar.MustParseDate("2026-03-27"), time.UTC, calendar.Default())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != 1 || got.Rows[0].Scope != ScopeAll || *got.Rows[0].People != 0 || got.Rows[0].LapseRate != nil ||
		got.Rows[0].SignalToAtRisk.MedianHours != nil {
		t.Errorf("rows %+v", got.Rows)
	}
}

func TestFiguresCSV(t *testing.T) {
	f := ContactFigures{Rows: []FiguresRow{
		{Month: "2026-03", Scope: ScopeAll, People: figI(4), Lapses: 3, LapseRate: figF(0.75), EventsMissed: 3,
			SignalToAtRisk:             Durations{N: 3, MedianHours: figF(2), MeanHours: figF(8.67)},
			AttemptWithinOneWorkingDay: Share{Of: 2, With: 1, Share: figF(0.5)}, StillOpen: 2},
		{Month: "2026-03", Scope: ScopeNoCentre, Centre: "", Lapses: 1},
		{Month: "2026-03", Scope: ScopeCentre, Centre: `Eaton "House", Hounslow`, People: figI(0)},
	}}
	var b strings.Builder
	if err := f.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	want := strings.Join(CSVHeader, ",") + "\n" +
		"2026-03,all,,4,3,0.75,3,3,2,8.67,0,,,2,1,0.5,0,,,2\n" +
		"2026-03,no_centre,,,1,,0,0,,,0,,,0,0,,0,,,0\n" +
		`2026-03,centre,"Eaton ""House"", Hounslow",0,0,,0,0,,,0,,,0,0,,0,,,0` + "\n"
	if b.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
}
