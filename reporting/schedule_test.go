package reporting

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/calendar"
)

var d = calendar.MustParseDate

func TestScheduleValidate(t *testing.T) {
	for _, c := range []struct {
		name  string
		s     Schedule
		field string // "" for valid
	}{
		{"weekly", Schedule{Pattern: Weekly, Weekdays: []time.Weekday{time.Monday, time.Thursday}, At: "10:00"}, ""},
		{"weekly any time", Schedule{Pattern: Weekly, Weekdays: []time.Weekday{time.Sunday}}, ""},
		{"weekly every day", Schedule{Pattern: Weekly, Weekdays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}, ""},
		{"weekly no days", Schedule{Pattern: Weekly}, "weekdays"},
		{"weekly day twice", Schedule{Pattern: Weekly, Weekdays: []time.Weekday{time.Monday, time.Friday, time.Monday}}, "weekdays"},
		{"weekly bad day", Schedule{Pattern: Weekly, Weekdays: []time.Weekday{9}}, "weekdays[0]"},
		{"weekly with a day of month", Schedule{Pattern: Weekly, Weekdays: []time.Weekday{time.Monday}, Day: 3}, "day"},
		{"weekly with dates", Schedule{Pattern: Weekly, Weekdays: []time.Weekday{time.Monday}, Dates: []calendar.Date{d("2026-03-02")}}, "dates"},
		{"every 2 weeks", Schedule{Pattern: EveryNWeeks, Every: 2, Anchor: d("2026-03-02")}, ""},
		{"every 52 weeks", Schedule{Pattern: EveryNWeeks, Every: 52, Anchor: d("2026-03-02")}, ""},
		{"every 1 week", Schedule{Pattern: EveryNWeeks, Every: 1, Anchor: d("2026-03-02")}, "every"},
		{"every 53 weeks", Schedule{Pattern: EveryNWeeks, Every: 53, Anchor: d("2026-03-02")}, "every"},
		{"every 0 weeks", Schedule{Pattern: EveryNWeeks, Anchor: d("2026-03-02")}, "every"},
		{"every -2 weeks", Schedule{Pattern: EveryNWeeks, Every: -2, Anchor: d("2026-03-02")}, "every"},
		{"every no anchor", Schedule{Pattern: EveryNWeeks, Every: 2}, "anchor"},
		{"every bad anchor", Schedule{Pattern: EveryNWeeks, Every: 2, Anchor: calendar.Date{Year: 2026, Month: 2, Day: 30}}, "anchor"},
		{"every with weekdays", Schedule{Pattern: EveryNWeeks, Every: 2, Anchor: d("2026-03-02"), Weekdays: []time.Weekday{1}}, "weekdays"},
		{"monthly 1", Schedule{Pattern: Monthly, Day: 1}, ""},
		{"monthly 31", Schedule{Pattern: Monthly, Day: 31, At: "23:59"}, ""},
		{"monthly 0", Schedule{Pattern: Monthly}, "day"},
		{"monthly 32", Schedule{Pattern: Monthly, Day: 32}, "day"},
		{"monthly with anchor", Schedule{Pattern: Monthly, Day: 5, Anchor: d("2026-03-02")}, "anchor"},
		{"once", Schedule{Pattern: Once, Dates: []calendar.Date{d("2026-04-01"), d("2026-03-02")}}, ""},
		{"once none", Schedule{Pattern: Once}, "dates"},
		{"once twice", Schedule{Pattern: Once, Dates: []calendar.Date{d("2026-03-02"), d("2026-04-01"), d("2026-03-02")}}, "dates[1]"},
		{"once bad date", Schedule{Pattern: Once, Dates: []calendar.Date{{Year: 2026, Month: 13, Day: 1}}}, "dates[0]"},
		{"once too many", Schedule{Pattern: Once, Dates: manyDates(MaxOneOffDates + 1)}, "dates"},
		{"once as many as allowed", Schedule{Pattern: Once, Dates: manyDates(MaxOneOffDates)}, ""},
		{"once with every", Schedule{Pattern: Once, Dates: []calendar.Date{d("2026-03-02")}, Every: 2}, "every"},
		{"no pattern", Schedule{}, "pattern"},
		{"daily", Schedule{Pattern: "daily"}, "pattern"},
		{"bad time", Schedule{Pattern: Monthly, Day: 1, At: "24:00"}, "at"},
		{"bad minutes", Schedule{Pattern: Monthly, Day: 1, At: "10:60"}, "at"},
		{"short time", Schedule{Pattern: Monthly, Day: 1, At: "9:30"}, "at"},
		{"am", Schedule{Pattern: Monthly, Day: 1, At: "10am"}, "at"},
	} {
		err := c.s.Validate()
		checkField(t, c.name, err, c.field)
	}
}

func manyDates(n int) []calendar.Date {
	out := make([]calendar.Date, n)
	for i := range out {
		out[i] = d("2026-01-01").AddDays(i)
	}
	return out
}

// checkField checks that err is nil when field is "", else an EINVALID
// error naming field.
func checkField(t *testing.T, name string, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Errorf("%s: unexpected error %v", name, err)
		}
		return
	}
	if tether.ErrorCode(err) != tether.EINVALID {
		t.Errorf("%s: error %v, want EINVALID on %s", name, err, field)
		return
	}
	if _, ok := tether.ErrorFields(err)[field]; !ok {
		t.Errorf("%s: fields %v, want %s", name, tether.ErrorFields(err), field)
	}
}

func TestParseSchedule(t *testing.T) {
	wk := func(days ...time.Weekday) []time.Weekday { return days }
	for _, c := range []struct {
		in   string
		want Schedule
		text string // String(); "" when the same as in
	}{
		{"weekly mon,thu 10:00", Schedule{Pattern: Weekly, Weekdays: wk(time.Monday, time.Thursday), At: "10:00"}, ""},
		{"Weekly  Thursday, Monday at 10:00", Schedule{Pattern: Weekly, Weekdays: wk(time.Monday, time.Thursday), At: "10:00"}, "weekly mon,thu 10:00"},
		{"weekly sun,sat,fri", Schedule{Pattern: Weekly, Weekdays: wk(time.Friday, time.Saturday, time.Sunday)}, "weekly fri,sat,sun"},
		{"weekly mon ,tue", Schedule{Pattern: Weekly, Weekdays: wk(time.Monday, time.Tuesday)}, "weekly mon,tue"},
		{"every 2 weeks from 2026-03-02 09:30", Schedule{Pattern: EveryNWeeks, Every: 2, Anchor: d("2026-03-02"), At: "09:30"}, ""},
		{"EVERY 4 WEEK FROM 2026-03-02", Schedule{Pattern: EveryNWeeks, Every: 4, Anchor: d("2026-03-02")}, "every 4 weeks from 2026-03-02"},
		{"monthly day 31", Schedule{Pattern: Monthly, Day: 31}, ""},
		{"monthly day 1 at 14:00", Schedule{Pattern: Monthly, Day: 1, At: "14:00"}, "monthly day 1 14:00"},
		{"once 2026-04-01, 2026-03-02 at 14:00", Schedule{Pattern: Once, Dates: []calendar.Date{d("2026-03-02"), d("2026-04-01")}, At: "14:00"}, "once 2026-03-02,2026-04-01 14:00"},
		{"  once 2026-03-02  ", Schedule{Pattern: Once, Dates: []calendar.Date{d("2026-03-02")}}, "once 2026-03-02"},
	} {
		got, err := ParseSchedule(c.in)
		if err != nil {
			t.Errorf("ParseSchedule(%q): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseSchedule(%q) = %#v, want %#v", c.in, got, c.want)
		}
		want := c.text
		if want == "" {
			want = c.in
		}
		if s := got.String(); s != want {
			t.Errorf("ParseSchedule(%q).String() = %q, want %q", c.in, s, want)
		}
	}
}

func TestParseScheduleRefuses(t *testing.T) {
	for _, c := range []struct{ in, says string }{
		{"", "write a schedule"},
		{"   ", "write a schedule"},
		{"daily 10:00", `"daily" is not a schedule`},
		{"weekly", "write a weekly schedule"},
		{"weekly 10:00", "write a weekly schedule"},
		{"weekly mon thu", "write a weekly schedule"},
		{"weekly mon,funday", `"funday" is not a day of the week`},
		{"weekly mon,,thu", `"" is not a day of the week`},
		{"weekly mon,mon", "listed twice"},
		{"weekly mon 25:00", "is not a time of day"},
		{"weekly mon 10:0", "is not a time of day"},
		{"every 2 weeks 2026-03-02", "write it like"},
		{"every two weeks from 2026-03-02", "is not a number of weeks"},
		{"every +2 weeks from 2026-03-02", "is not a number of weeks"},
		{"every 1 weeks from 2026-03-02", "use weekly"},
		{"every 99 weeks from 2026-03-02", "between 2 and 52"},
		{"every 2 weeks from 2026-02-30", "is not a date"},
		{"monthly 15", "write it like"},
		{"monthly day 0", "1 to 31"},
		{"monthly day 32", "1 to 31"},
		{"monthly day -1", "is not a day of the month"},
		{"once", "write it like"},
		{"once 2026-03-02,2026-03-02", "listed twice"},
		{"once 02/03/2026", "is not a date"},
		{"once 2026-03-02 at", "write it like"},
		{strings.Repeat("once 2026-03-02,", 100), "too long"},
	} {
		_, err := ParseSchedule(c.in)
		if tether.ErrorCode(err) != tether.EINVALID {
			t.Errorf("ParseSchedule(%q): error %v, want EINVALID", c.in, err)
			continue
		}
		why := tether.ErrorFields(err)["schedule"]
		if !strings.Contains(why, c.says) {
			t.Errorf("ParseSchedule(%q): schedule %q, want it to say %q", c.in, why, c.says)
		}
	}
}

func TestScheduleWords(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"weekly mon,thu 10:00", "every Monday and Thursday at 10:00"},
		{"weekly mon,wed,fri", "every Monday, Wednesday and Friday"},
		{"every 2 weeks from 2026-03-02 09:30", "every 2 weeks on Monday, counting from Monday 2 March 2026, at 09:30"},
		{"monthly day 31", "on the 31st of each month (the last day of shorter months)"},
		{"monthly day 2", "on the 2nd of each month"},
		{"monthly day 13", "on the 13th of each month"},
		{"monthly day 23", "on the 23rd of each month"},
		{"once 2026-03-02,2026-04-01 14:00", "on Monday 2 March 2026 and Wednesday 1 April 2026 at 14:00"},
	} {
		s, err := ParseSchedule(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Words(); got != c.want {
			t.Errorf("%q: Words() = %q, want %q", c.in, got, c.want)
		}
	}
}

// A schedule is one string in JSON, and an invalid one is not written.
func TestScheduleJSON(t *testing.T) {
	c := Condition{Kind: KindDigital, Schedule: Schedule{Pattern: Monthly, Day: 31}, Start: d("2026-03-02")}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"schedule":"monthly day 31"`) || strings.Contains(string(b), `"end"`) {
		t.Errorf("JSON %s", b)
	}
	var back Condition
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, c) {
		t.Errorf("read back %+v, %v", back, err)
	}
	if _, err := json.Marshal(Schedule{Pattern: Monthly}); err == nil {
		t.Error("an invalid schedule was written")
	}
	err = json.Unmarshal([]byte(`{"schedule":"weekly funday"}`), &back)
	if tether.ErrorCode(err) != tether.EINVALID || tether.ErrorFields(err)["schedule"] == "" {
		t.Errorf("bad schedule in JSON: %v", err)
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{
		"weekly mon,thu 10:00", "every 2 weeks from 2026-03-02 09:30", "monthly day 31",
		"once 2026-03-02, 2026-04-01 at 14:00", "weekly , ,", "every 2 week from 0001-01-01 00:00",
		"once 9999-12-31", "monthly day 1 at at 10:00", "WEEKLY SUNDAY", "weekly mon\u00a0thu", "once ,2026-03-02",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSchedule(in)
		if err != nil {
			if tether.ErrorCode(err) != tether.EINVALID || tether.ErrorFields(err)["schedule"] == "" {
				t.Fatalf("ParseSchedule(%q): error %v is not EINVALID on schedule", in, err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("ParseSchedule(%q) gave an invalid schedule %#v: %v", in, s, err)
		}
		// The text form reads back as the same schedule.
		text := s.String()
		again, err := ParseSchedule(text)
		if err != nil {
			t.Fatalf("ParseSchedule(%q).String() = %q does not read back: %v", in, text, err)
		}
		if !reflect.DeepEqual(again, s) {
			t.Fatalf("%q: read back %#v, want %#v", text, again, s)
		}
		if again.String() != text {
			t.Fatalf("%q: not canonical, writes %q", text, again.String())
		}
		// At most one event a day, on every day of a year.
		start := calendar.NewDate(2026, 1, 1)
		if s.Pattern == Once {
			start = s.Dates[0]
		}
		c := Condition{Kind: KindDigital, Schedule: s, Start: start, SetBy: "fuzz", Reason: "fuzz"}
		end := start.AddDays(MaxHorizonDays - 1)
		if c.Validate() != nil || !end.IsValid() {
			return
		}
		occ, err := Occurrences(c, start, end, nil)
		if err != nil {
			t.Fatalf("%q: Occurrences: %v", text, err)
		}
		for i := 1; i < len(occ); i++ {
			if !occ[i-1].Date.Before(occ[i].Date) {
				t.Fatalf("%q: events %v and %v are not one a day in order", text, occ[i-1], occ[i])
			}
		}
	})
}
