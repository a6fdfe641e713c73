package reporting

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/calendar"
)

func sched(t testing.TB, s string) Schedule {
	t.Helper()
	v, err := ParseSchedule(s)
	if err != nil {
		t.Fatalf("ParseSchedule(%q): %v", s, err)
	}
	return v
}

// inPerson is a valid in-person condition at a centre in England and Wales.
func inPerson(t testing.TB, schedule, start, end string) Condition {
	t.Helper()
	c := Condition{Kind: KindInPerson, Schedule: sched(t, schedule), Start: d(start),
		Centre: "Croydon reporting centre", Division: calendar.EnglandAndWales,
		SetBy: "A. Caseworker", Reason: "Bail conditions"}
	if end != "" {
		c.End = d(end)
	}
	return c
}

func TestConditionValidate(t *testing.T) {
	base := func() Condition { return inPerson(t, "weekly mon,thu 10:00", "2026-03-02", "") }
	tel := func() Condition {
		return Condition{Kind: KindTelephone, Schedule: sched(t, "weekly tue 11:00"), Start: d("2026-03-02"),
			Phone: "07700 900123", SetBy: "A. Caseworker", Reason: "Reports by telephone"}
	}
	for _, c := range []struct {
		name  string
		edit  func(*Condition)
		field string
	}{
		{"in person", func(*Condition) {}, ""},
		{"one day", func(c *Condition) { c.Start, c.End = d("2026-03-05"), d("2026-03-05") }, ""},
		{"a week", func(c *Condition) { c.End = d("2026-03-08") }, ""},
		{"end before start", func(c *Condition) { c.End = d("2026-03-01") }, "end"},
		{"no start", func(c *Condition) { c.Start = calendar.Date{} }, "start"},
		{"bad start", func(c *Condition) { c.Start = calendar.Date{Year: 2026, Month: 2, Day: 29} }, "start"},
		{"bad end", func(c *Condition) { c.End = calendar.Date{Year: 2026, Month: 4, Day: 31} }, "end"},
		{"no event in span", func(c *Condition) { c.Start, c.End = d("2026-03-03"), d("2026-03-04") }, "schedule"},
		{"monthly none in span", func(c *Condition) {
			c.Schedule = sched(t, "monthly day 20 10:00")
			c.Start, c.End = d("2026-03-02"), d("2026-03-19")
		}, "schedule"},
		{"every 52 weeks none in span", func(c *Condition) {
			c.Schedule = sched(t, "every 52 weeks from 2026-01-05 10:00")
			c.End = d("2026-12-31")
		}, "schedule"},
		{"every 52 weeks open-ended", func(c *Condition) { c.Schedule = sched(t, "every 52 weeks from 2026-01-05 10:00") }, ""},
		{"once in span", func(c *Condition) { c.Schedule = sched(t, "once 2026-03-02,2026-03-10 10:00") }, ""},
		{"once before start", func(c *Condition) { c.Schedule = sched(t, "once 2026-02-27,2026-03-10 10:00") }, "schedule.dates[0]"},
		{"once after end", func(c *Condition) {
			c.Schedule = sched(t, "once 2026-03-02,2026-03-10 10:00")
			c.End = d("2026-03-09")
		}, "schedule.dates[1]"},
		{"bad schedule", func(c *Condition) { c.Schedule = Schedule{Pattern: Weekly} }, "schedule.weekdays"},
		{"unknown kind", func(c *Condition) { c.Kind = "carrier_pigeon" }, "kind"},
		{"no centre", func(c *Condition) { c.Centre = "  " }, "centre"},
		{"long centre", func(c *Condition) { c.Centre = strings.Repeat("x", 201) }, "centre"},
		{"no division", func(c *Condition) { c.Division = "" }, "division"},
		{"bad division", func(c *Condition) { c.Division = "wales" }, "division"},
		{"no time", func(c *Condition) { c.Schedule = sched(t, "weekly mon") }, "schedule.at"},
		{"weekend day", func(c *Condition) { c.Schedule = sched(t, "weekly mon,sat 10:00") }, "schedule.weekdays[1]"},
		{"weekend anchor", func(c *Condition) { c.Schedule = sched(t, "every 2 weeks from 2026-03-01 10:00") }, "schedule.anchor"},
		{"weekend one-off", func(c *Condition) { c.Schedule = sched(t, "once 2026-03-07 10:00") }, "schedule.dates[0]"},
		{"monthly may fall at a weekend", func(c *Condition) { c.Schedule = sched(t, "monthly day 28 10:00") }, ""},
		{"phone for in person", func(c *Condition) { c.Phone = "+447700900123" }, "phone"},
		{"device for in person", func(c *Condition) { c.Device = DeviceGPSTag }, "device"},
		{"no set by", func(c *Condition) { c.SetBy = "" }, "set_by"},
		{"no reason", func(c *Condition) { c.Reason = " " }, "reason"},
		{"long reason", func(c *Condition) { c.Reason = strings.Repeat("why ", 126) }, "reason"},
		{"ended reason while open", func(c *Condition) { c.EndedReason = "changed" }, "ended_reason"},
		{"telephone", func(c *Condition) { *c = tel() }, ""},
		{"telephone any day", func(c *Condition) { *c = tel(); c.Schedule = sched(t, "weekly sat 11:00") }, ""},
		{"telephone no number", func(c *Condition) { *c = tel(); c.Phone = "" }, "phone"},
		{"telephone bad number", func(c *Condition) { *c = tel(); c.Phone = "12345" }, "phone"},
		{"telephone no time", func(c *Condition) { *c = tel(); c.Schedule = sched(t, "weekly tue") }, "schedule.at"},
		{"telephone with centre", func(c *Condition) { *c = tel(); c.Centre = "Croydon" }, "centre"},
		{"digital any time", func(c *Condition) {
			*c = tel()
			c.Kind, c.Phone, c.Schedule = KindDigital, "", sched(t, "weekly sun")
		}, ""},
		{"electronic monitoring", func(c *Condition) {
			*c = tel()
			c.Kind, c.Phone, c.Device, c.Schedule = KindElectronicMonitoring, "", DeviceFingerprint, sched(t, "weekly mon,wed,fri")
		}, ""},
		{"electronic monitoring no device", func(c *Condition) {
			*c = tel()
			c.Kind, c.Phone, c.Schedule = KindElectronicMonitoring, "", sched(t, "weekly mon")
		}, "device"},
	} {
		cond := base()
		c.edit(&cond)
		checkField(t, c.name, cond.Validate(), c.field)
	}
}

func TestConditionNormalize(t *testing.T) {
	c := Condition{Kind: " telephone ", Schedule: sched(t, "weekly tue 11:00"), Start: d("2026-03-02"),
		Phone: "07700 900123", SetBy: " A. Caseworker ", Reason: " Reports by telephone "}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Kind != KindTelephone || c.Phone != "+447700900123" || c.SetBy != "A. Caseworker" || c.Reason != "Reports by telephone" {
		t.Errorf("normalised to %+v", c)
	}
}

func TestOverlap(t *testing.T) {
	old := inPerson(t, "weekly mon 10:00", "2026-01-05", "2026-03-01")
	old.ID = 7
	open := inPerson(t, "weekly tue 10:00", "2026-03-02", "")
	open.ID = 8
	tag := Condition{ID: 9, Kind: KindElectronicMonitoring, Schedule: sched(t, "weekly mon"), Start: d("2026-01-01"),
		Device: DeviceGPSTag, SetBy: "A. Caseworker", Reason: "Tag"}
	existing := []Condition{old, open, tag}
	for _, c := range []struct {
		name     string
		next     Condition
		conflict int64
	}{
		{"after both ended", inPerson(t, "weekly wed 10:00", "2025-06-02", "2026-01-04"), 0},
		{"the day old ends", inPerson(t, "weekly wed 10:00", "2026-03-01", "2026-03-01"), 7},
		{"inside old", inPerson(t, "weekly wed 10:00", "2026-02-02", "2026-02-27"), 7},
		{"around everything", inPerson(t, "weekly wed 10:00", "2025-01-06", ""), 7},
		{"after open starts", inPerson(t, "weekly wed 10:00", "2027-01-04", ""), 8},
		{"ends the day open starts", inPerson(t, "weekly mon 10:00", "2025-06-02", "2026-03-02"), 7},
		{"another kind runs together", Condition{Kind: KindDigital, Start: d("2026-03-02")}, 0},
		{"itself", open, 0},
	} {
		err := CheckOverlap(c.next, existing)
		if c.conflict == 0 {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		why := tether.ErrorFields(err)["start"]
		if tether.ErrorCode(err) != tether.EINVALID || !strings.Contains(why, "condition "+itoa(c.conflict)+":") {
			t.Errorf("%s: %v, want a refusal naming condition %d", c.name, err, c.conflict)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestAdmit(t *testing.T) {
	rules := DefaultRules()
	telephone := Condition{Kind: KindTelephone, Schedule: sched(t, "weekly tue 11:00"), Start: d("2026-03-02"),
		Phone: "+447700900123", SetBy: "A. Caseworker", Reason: "Reports by telephone"}
	existingTel := telephone
	existingTel.ID, existingTel.Start = 3, d("2026-01-06")

	c := telephone
	if err := Admit(&c, nil, Facts{}, rules); err != nil {
		t.Errorf("allowed: %v", err)
	}
	c = telephone
	err := Admit(&c, nil, Facts{Flags: []string{FlagIdentifiedForRemoval}}, rules)
	if why := tether.ErrorFields(err)["kind"]; !strings.Contains(why, "no-telephone-identified-for-removal version 1") {
		t.Errorf("identified for removal: %v", err)
	}
	c = telephone
	err = Admit(&c, []Condition{existingTel}, Facts{}, rules)
	if why := tether.ErrorFields(err)["start"]; !strings.Contains(why, "condition 3:") {
		t.Errorf("overlap: %v", err)
	}
	c = telephone
	c.Phone = ""
	if err := Admit(&c, []Condition{existingTel}, Facts{Flags: []string{FlagIdentifiedForRemoval}}, rules); tether.ErrorFields(err)["phone"] == "" {
		t.Errorf("invalid first: %v", err)
	}
}

func TestChange(t *testing.T) {
	rules := DefaultRules()
	old := Condition{ID: 4, Kind: KindTelephone, Schedule: sched(t, "weekly tue 11:00"), Start: d("2026-01-06"),
		Phone: "+447700900123", SetBy: "A. Caseworker", Reason: "Reports by telephone"}
	tag := Condition{ID: 5, Kind: KindElectronicMonitoring, Schedule: sched(t, "weekly mon"), Start: d("2026-01-01"),
		Device: DeviceGPSTag, SetBy: "A. Caseworker", Reason: "Tag"}
	existing := []Condition{old, tag}
	tighter := func() Condition { return inPerson(t, "weekly mon,thu 10:00", "2026-03-09", "") }

	next := tighter()
	ended, err := Change(old, &next, existing, Facts{}, rules, "Missed two telephone events")
	if err != nil {
		t.Fatal(err)
	}
	if ended.End != d("2026-03-08") || ended.EndedReason != "Missed two telephone events" || ended.ID != 4 {
		t.Errorf("ended %+v", ended)
	}
	if next.Replaces == nil || *next.Replaces != 4 {
		t.Errorf("next does not replace old: %+v", next)
	}
	if err := ended.Validate(); err != nil {
		t.Errorf("the ended condition is not valid: %v", err)
	}

	// Same kind: the old one is ended first, so they do not overlap.
	sameKind := old
	sameKind.ID, sameKind.Start, sameKind.Schedule = 0, d("2026-03-10"), sched(t, "weekly tue,fri 11:00")
	if _, err := Change(old, &sameKind, existing, Facts{}, rules, "Twice a week"); err != nil {
		t.Errorf("same kind: %v", err)
	}

	for _, c := range []struct {
		name   string
		old    Condition
		next   func() Condition
		facts  Facts
		reason string
		field  string
	}{
		{"no reason", old, tighter, Facts{}, " ", "reason"},
		{"old not stored", func() Condition { o := old; o.ID = 0; return o }(), tighter, Facts{}, "why", "replaces"},
		{"starts with old", old, func() Condition { return inPerson(t, "weekly mon 10:00", "2026-01-06", "") }, Facts{}, "why", "start"},
		{"starts before old", old, func() Condition { return inPerson(t, "weekly mon 10:00", "2026-01-01", "") }, Facts{}, "why", "start"},
		{"old ended before", func() Condition { o := old; o.End = d("2026-02-01"); return o }(), tighter, Facts{}, "why", "start"},
		{"next invalid", old, func() Condition { c := tighter(); c.Centre = ""; return c }, Facts{}, "why", "centre"},
		{"next breaks a rule", old, func() Condition {
			c := old
			c.ID, c.Start = 0, d("2026-03-10")
			return c
		}, Facts{Flags: []string{FlagFailedTelephoneReporting}}, "why", "kind"},
		{"next overlaps another", old, func() Condition {
			return Condition{Kind: KindElectronicMonitoring, Schedule: sched(t, "weekly mon"), Start: d("2026-03-09"),
				Device: DeviceFingerprint, SetBy: "A. Caseworker", Reason: "Device"}
		}, Facts{}, "why", "start"},
	} {
		n := c.next()
		before := n
		got, err := Change(c.old, &n, existing, c.facts, rules, c.reason)
		checkField(t, c.name, err, c.field)
		if got.End != c.old.End || got.EndedReason != c.old.EndedReason || n.Replaces != before.Replaces {
			t.Errorf("%s: changed something on an error: %+v, %+v", c.name, got, n)
		}
	}
}

func TestEnd(t *testing.T) {
	c := inPerson(t, "weekly mon 10:00", "2026-03-02", "")
	got, err := End(c, d("2026-06-30"), "Granted leave to remain")
	if err != nil || got.End != d("2026-06-30") || got.EndedReason != "Granted leave to remain" {
		t.Errorf("End: %+v, %v", got, err)
	}
	planned := inPerson(t, "weekly mon 10:00", "2026-03-02", "2026-12-31")
	for _, x := range []struct {
		name   string
		c      Condition
		last   string
		reason string
		field  string
	}{
		{"the day it starts", c, "2026-03-02", "why", ""},
		{"early", planned, "2026-06-30", "why", ""},
		{"no reason", c, "2026-06-30", "", "reason"},
		{"before start", c, "2026-03-01", "why", "end"},
		{"extends", planned, "2027-01-31", "why", "end"},
	} {
		_, err := End(x.c, d(x.last), x.reason)
		checkField(t, x.name, err, x.field)
	}
}

func TestDescribe(t *testing.T) {
	c := inPerson(t, "weekly mon,thu 10:00", "2026-01-05", "")
	c.ID = 12
	if got, want := c.Describe(), "condition 12: in person at Croydon reporting centre, weekly mon,thu 10:00, from 2026-01-05, open-ended"; got != want {
		t.Errorf("Describe() = %q, want %q", got, want)
	}
	c.Kind, c.End = KindDigital, d("2026-02-01")
	c.ID = 0
	if got, want := c.Describe(), "by digital check-in, weekly mon,thu 10:00, from 2026-01-05 to 2026-02-01"; got != want {
		t.Errorf("Describe() = %q, want %q", got, want)
	}
}

func TestActive(t *testing.T) {
	open := inPerson(t, "weekly mon 10:00", "2026-03-02", "")
	ended := inPerson(t, "weekly mon 10:00", "2026-03-02", "2026-03-31")
	for _, c := range []struct {
		c    Condition
		day  string
		want bool
	}{
		{open, "2026-03-01", false}, {open, "2026-03-02", true}, {open, "2030-01-01", true},
		{ended, "2026-03-31", true}, {ended, "2026-04-01", false},
	} {
		if got := c.c.Active(d(c.day)); got != c.want {
			t.Errorf("%s on %s: %v", c.c.Describe(), c.day, got)
		}
	}
}

// Functions that take a condition by value leave the caller's lists as they
// are, even though validating one puts them in order.
func TestNoSharedMutation(t *testing.T) {
	c := Condition{Kind: KindDigital, Start: d("2026-03-02"), SetBy: "x", Reason: "y",
		Schedule: Schedule{Pattern: Weekly, Weekdays: []time.Weekday{time.Friday, time.Monday}}}
	if _, err := Occurrences(c, d("2026-03-02"), d("2026-03-08"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Schedule.MarshalText(); err != nil {
		t.Fatal(err)
	}
	if c.Schedule.Weekdays[0] != time.Friday {
		t.Errorf("the caller's weekdays were reordered: %v", c.Schedule.Weekdays)
	}
}
