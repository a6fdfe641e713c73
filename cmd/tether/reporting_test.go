package main

import (
	"regexp"
	"strings"
	"testing"
)

var (
	conditionIDRE = regexp.MustCompile(`(?m)^Set condition (\d+):`)
	eventRowRE    = regexp.MustCompile(`(?m)^(\d+)\s+(2026-\d\d-\d\d)\s`)
)

// eventIDs maps each day of "events list -person" to its event.
func eventIDs(out string) map[string]string {
	ids := map[string]string{}
	for _, m := range eventRowRE.FindAllStringSubmatch(out, -1) {
		ids[m[2]] = m[1]
	}
	return ids
}

func TestReportingCLI(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	people := `{"person":{"ref":"TH-00000001D","family_name":"Haile","given_names":"Selam"},"contact_points":[` +
		`{"kind":"mobile","phone":"07700 900123","source":"person"}]}` + "\n"
	if r := cli(t, env, people, "import", "people", "-format", "jsonl", "-"); r.code != 0 {
		t.Fatalf("import: %d\n%s", r.code, r.stderr)
	}
	add := func(args ...string) result {
		return cli(t, env, "", append([]string{"conditions", "add", "-person", "TH-00000001D"}, args...)...)
	}
	// Refusals name the field and write nothing.
	r := add("-kind", "in_person", "-centre", "Croydon reporting centre", "-schedule", "weekly sat 10:00", "-start", "2026-03-02", "-reason", "Bail")
	if r.code != 1 || !strings.Contains(r.stderr, "schedule.weekdays[0]: a reporting centre is closed at weekends") {
		t.Fatalf("weekend: exit %d\n%s", r.code, r.stderr)
	}
	r = add("-kind", "digital", "-schedule", "fortnightly", "-start", "2026-03-02", "-reason", "x")
	if r.code != 1 || !strings.Contains(r.stderr, "schedule:") {
		t.Fatalf("bad schedule: exit %d\n%s", r.code, r.stderr)
	}
	if r := cli(t, env, "", "conditions", "add", "-kind", "digital"); r.code != 2 || !strings.Contains(r.stderr, "-person is required") {
		t.Fatalf("no person: exit %d\n%s", r.code, r.stderr)
	}
	if l := must(t, env, "conditions", "list", "-person", "TH-00000001D"); !strings.Contains(l.stdout, "No reporting conditions") {
		t.Fatalf("a refused condition was written:\n%s", l.stdout)
	}

	r = add("-kind", "in_person", "-centre", "Croydon reporting centre", "-schedule", "weekly mon,thu 10:00", "-start", "2026-03-02",
		"-reason", "Bail conditions")
	m := conditionIDRE.FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil || !strings.Contains(r.stdout, "8 events due, the last made on 2026-03-26") {
		t.Fatalf("add: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	cond := m[1]
	l := must(t, env, "conditions", "list", "-person", "TH-00000001D")
	if !strings.Contains(l.stdout, "in person at Croydon reporting centre, weekly mon,thu 10:00, from 2026-03-02, open-ended") ||
		!strings.Contains(l.stdout, "events_made") {
		t.Fatalf("list:\n%s", l.stdout)
	}

	ev := must(t, env, "events", "list", "-person", "TH-00000001D", "-to", "2026-03-12")
	ids := eventIDs(ev.stdout)
	if len(ids) != 4 || ids["2026-03-02"] == "" {
		t.Fatalf("events:\n%s", ev.stdout)
	}
	ro := must(t, env, "events", "list", "-centre", "Croydon reporting centre")
	if !strings.Contains(ro.stdout, "Monday 2 March 2026: 1 expected") || !strings.Contains(ro.stdout, "Selam Haile") {
		t.Fatalf("roster:\n%s", ro.stdout)
	}

	if c := must(t, env, "events", "check-in", ids["2026-03-02"]); !strings.Contains(c.stdout, "checked in by cli:events (in_person)") {
		t.Fatalf("check-in:\n%s", c.stdout)
	}
	if r := cli(t, env, "", "events", "check-in", ids["2026-03-02"]); r.code != 1 || !strings.Contains(r.stderr, "already checked in") {
		t.Fatalf("second check-in: exit %d\n%s", r.code, r.stderr)
	}
	if r := cli(t, env, "", "events", "check-in", ids["2026-03-05"]); r.code != 1 || !strings.Contains(r.stderr, "not today") {
		t.Fatalf("check-in of Thursday: exit %d\n%s", r.code, r.stderr)
	}
	o := must(t, env, "events", "outcome", ids["2026-03-05"], "-state", "rescheduled", "-new-date", "2026-03-06", "-reason", "Interview")
	if !strings.Contains(o.stdout, "rescheduled (to 2026-03-06: Interview)") || !strings.Contains(o.stdout, "New event") {
		t.Fatalf("outcome:\n%s", o.stdout)
	}
	if r := cli(t, env, "", "events", "outcome", ids["2026-03-09"], "-state", "excused", "-reason", "Ill"); r.code != 1 ||
		!strings.Contains(r.stderr, "accepted_by") {
		t.Fatalf("excuse without who accepted it: exit %d\n%s", r.code, r.stderr)
	}

	ch := must(t, env, "conditions", "change", cond, "-schedule", "weekly mon,wed,fri 10:00", "-start", "2026-03-09", "-reason", "Tighter conditions")
	if !strings.Contains(ch.stdout, "to 2026-03-08") || !strings.Contains(ch.stdout, "Set condition") || !strings.Contains(ch.stdout, "weekly mon,wed,fri 10:00") {
		t.Fatalf("change:\n%s", ch.stdout)
	}
	newID := conditionIDRE.FindStringSubmatch(ch.stdout)[1]
	if e := must(t, env, "conditions", "end", newID, "-end", "2026-03-20", "-reason", "Granted leave"); !strings.Contains(e.stdout, "to 2026-03-20") {
		t.Fatalf("end:\n%s", e.stdout)
	}
	if r := cli(t, env, "", "conditions", "end", "abc", "-end", "2026-03-20"); r.code != 2 {
		t.Fatalf("end abc: exit %d", r.code)
	}

	s := must(t, env, "sweep", "-once", "-only", "missed-events,reporting-horizon")
	if !strings.Contains(s.stdout, "missed-events: 0 done") || !strings.Contains(s.stdout, "reporting-horizon: 0 done") || strings.Contains(s.stdout, "tasks-due") {
		t.Fatalf("sweep:\n%s", s.stdout)
	}
	if r := cli(t, env, "", "sweep", "-once", "-only", "nothing"); r.code != 2 || !strings.Contains(r.stderr, `no sweep "nothing"`) {
		t.Fatalf("sweep -only nothing: exit %d\n%s", r.code, r.stderr)
	}
	if r := cli(t, env, "", "sweep", "-once", "-end-of-day", "25:00"); r.code != 2 || !strings.Contains(r.stderr, "-end-of-day") {
		t.Fatalf("bad end of day: exit %d\n%s", r.code, r.stderr)
	}
}
