package reporting

import (
	"strings"
	"testing"

	"tether"
	"tether/calendar"
)

func cal(t testing.TB, div string) calendar.Calendar {
	t.Helper()
	c, err := calendar.Default().For(div)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestApply covers every status with every cause.
func TestApply(t *testing.T) {
	ew := cal(t, calendar.EnglandAndWales)
	th := DefaultThresholds()
	today := d("2026-04-02") // Thursday before Easter
	admin := tether.Actor{Role: tether.RoleAdmin}
	cw := tether.Actor{Role: tether.RoleCaseworker}
	org := tether.Actor{Role: tether.RoleOrganisation}
	in := State{Status: tether.StatusInContact, Since: d("2026-01-05")}
	atRisk := State{Status: tether.StatusAtRisk, Since: d("2026-03-20"), Misses: 1, OutOfContactOn: d("2026-03-27")}
	atRiskLater := atRisk
	atRiskLater.OutOfContactOn = d("2026-04-03")
	out := State{Status: tether.StatusOutOfContact, Since: d("2026-03-27"), Misses: 2}
	absc := State{Status: tether.StatusAbsconder, Since: d("2026-03-30"), Misses: 2}
	const ok, conflict, invalid, forbidden = "", tether.ECONFLICT, tether.EINVALID, tether.EFORBIDDEN
	const why = "Calls, letters, a visit and agency checks all failed"
	signals := []string{tether.CauseMissedEvent, tether.CauseReturnedLetter, tether.CauseChannelFailed, tether.CauseFailedCall, tether.CauseNoWorkingChannel}

	type row struct {
		name   string
		s      State
		sig    Signal
		to     string
		code   string
		misses int
	}
	var rows []row
	// Each signal makes a person in contact at risk, and leaves the others.
	for _, c := range signals {
		m := 0
		if c == tether.CauseMissedEvent {
			m = 1
		}
		rows = append(rows,
			row{"in contact + " + c, in, Signal{Cause: c, By: cw}, tether.StatusAtRisk, ok, m},
			row{"at risk + " + c, atRisk, Signal{Cause: c, By: cw}, tether.StatusAtRisk, ok, 1 + m},
			row{"out of contact + " + c, out, Signal{Cause: c, By: cw}, tether.StatusOutOfContact, ok, 2 + m},
			row{"absconder + " + c, absc, Signal{Cause: c, By: cw}, tether.StatusAbsconder, ok, 2 + m})
	}
	rows = append(rows, []row{
		// Escalation: only from at risk, and only once the day has come.
		{"at risk, day come + no contact", atRisk, Signal{Cause: tether.CauseNoContact}, tether.StatusOutOfContact, ok, 1},
		{"at risk, day to come + no contact", atRiskLater, Signal{Cause: tether.CauseNoContact}, "", conflict, 0},
		{"in contact + no contact", in, Signal{Cause: tether.CauseNoContact}, "", conflict, 0},
		{"out of contact + no contact", out, Signal{Cause: tether.CauseNoContact}, "", conflict, 0},
		{"absconder + no contact", absc, Signal{Cause: tether.CauseNoContact}, "", conflict, 0},
		// Re-established: from anywhere but in contact, and clears the misses.
		{"at risk + re-established", atRisk, Signal{Cause: tether.CauseReEstablished, By: cw}, tether.StatusInContact, ok, 0},
		{"out of contact + re-established", out, Signal{Cause: tether.CauseReEstablished, By: cw}, tether.StatusInContact, ok, 0},
		{"absconder + re-established", absc, Signal{Cause: tether.CauseReEstablished, By: cw}, tether.StatusInContact, ok, 0},
		{"in contact + re-established", in, Signal{Cause: tether.CauseReEstablished, By: cw}, "", conflict, 0},
		// A declaration: out of contact only, by an allowed role, with a reason.
		{"out of contact + declared by admin", out, Signal{Cause: tether.CauseDeclared, By: admin, Reason: why}, tether.StatusAbsconder, ok, 2},
		{"out of contact + declared by caseworker", out, Signal{Cause: tether.CauseDeclared, By: cw, Reason: why}, "", forbidden, 0},
		{"out of contact + declared by an MP's office", out, Signal{Cause: tether.CauseDeclared, By: org, Reason: why}, "", forbidden, 0},
		{"out of contact + declared without a reason", out, Signal{Cause: tether.CauseDeclared, By: admin, Reason: "  "}, "", invalid, 0},
		{"in contact + declared: skips the machine", in, Signal{Cause: tether.CauseDeclared, By: admin, Reason: why}, "", conflict, 0},
		{"at risk + declared: skips the machine", atRisk, Signal{Cause: tether.CauseDeclared, By: admin, Reason: why}, "", conflict, 0},
		{"absconder + declared again", absc, Signal{Cause: tether.CauseDeclared, By: admin, Reason: why}, "", conflict, 0},
		// An excused miss comes off the count and moves nothing.
		{"at risk + miss excused", atRisk, Signal{Cause: CauseMissExcused}, tether.StatusAtRisk, ok, 0},
		{"out of contact + miss excused", out, Signal{Cause: CauseMissExcused}, tether.StatusOutOfContact, ok, 1},
		{"in contact + miss excused, none to excuse", in, Signal{Cause: CauseMissExcused}, "", conflict, 0},
		// Unknown.
		{"unknown cause", in, Signal{Cause: "moved_abroad"}, "", invalid, 0},
		{"unknown status", State{Status: "lost"}, Signal{Cause: tether.CauseMissedEvent}, "", invalid, 0},
		{"no status", State{}, Signal{Cause: tether.CauseMissedEvent}, "", invalid, 0},
		{"today before the status began", State{Status: tether.StatusInContact, Since: d("2026-05-01")}, Signal{Cause: tether.CauseMissedEvent}, "", invalid, 0},
	}...)

	for _, c := range rows {
		got, tr, err := Apply(c.s, c.sig, today, th, ew)
		if c.code != ok {
			if tether.ErrorCode(err) != c.code {
				t.Errorf("%s: error %v, want %s", c.name, err, c.code)
			}
			if got != c.s {
				t.Errorf("%s: state changed on an error: %+v", c.name, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		changed := c.to != c.s.Status
		if got.Status != c.to || tr.From != c.s.Status || tr.To != c.to || tr.Changed != changed || tr.Cause != c.sig.Cause || tr.On != today {
			t.Errorf("%s: %+v, %+v; want %s", c.name, got, tr, c.to)
		}
		if got.Misses != c.misses {
			t.Errorf("%s: misses %d, want %d", c.name, got.Misses, c.misses)
		}
		if changed && got.Since != today || !changed && got.Since != c.s.Since {
			t.Errorf("%s: since %s", c.name, got.Since)
		}
		switch {
		case changed && c.to == tether.StatusAtRisk:
			if got.OutOfContactOn != d("2026-04-13") {
				t.Errorf("%s: out of contact on %s, want Monday 13 April (past Easter)", c.name, got.OutOfContactOn)
			}
		case c.to == tether.StatusAtRisk:
			if got.OutOfContactOn != c.s.OutOfContactOn {
				t.Errorf("%s: out of contact on moved to %s", c.name, got.OutOfContactOn)
			}
		case !got.OutOfContactOn.IsZero():
			t.Errorf("%s: out of contact on %s when %s", c.name, got.OutOfContactOn, got.Status)
		}
		if tr.Explanation == "" {
			t.Errorf("%s: no explanation", c.name)
		}
	}
}

func TestApplyExplains(t *testing.T) {
	ew := cal(t, calendar.EnglandAndWales)
	th := DefaultThresholds()
	_, tr, err := Apply(InContact(d("2026-01-05")), Signal{Cause: tether.CauseMissedEvent}, d("2026-04-02"), th, ew)
	if err != nil {
		t.Fatal(err)
	}
	want := "A reporting event missed without an accepted explanation: in contact to at risk on Thursday 2 April 2026. " +
		"Out of contact on Monday 13 April 2026 unless contact is re-established first. " +
		"At risk from Thursday 2 April 2026 (not counted). Friday 3 April: Good Friday, a bank holiday in England and Wales. " +
		"Saturday 4 April: weekend. Sunday 5 April: weekend. Monday 6 April: Easter Monday, a bank holiday in England and Wales. " +
		"Working days 1 to 4: Tuesday 7 April to Friday 10 April. Saturday 11 April: weekend. Sunday 12 April: weekend. " +
		"Monday 13 April is working day 5: out of contact unless contact is re-established first."
	if tr.Explanation != want {
		t.Errorf("explanation\n got %q\nwant %q", tr.Explanation, want)
	}
	_, tr, _ = Apply(State{Status: tether.StatusOutOfContact, Since: d("2026-03-27")},
		Signal{Cause: tether.CauseDeclared, By: tether.Actor{Role: tether.RoleAdmin}, Reason: " All attempts failed "}, d("2026-04-02"), th, ew)
	if want := "Declared an absconder: out of contact to an absconder on Thursday 2 April 2026. Reason: All attempts failed"; tr.Explanation != want || tr.Reason != "All attempts failed" {
		t.Errorf("declaration: %q", tr.Explanation)
	}
	_, tr, _ = Apply(State{Status: tether.StatusAtRisk, Since: d("2026-03-27")}, Signal{Cause: tether.CauseFailedCall}, d("2026-04-02"), th, ew)
	if want := "A call attempt that did not reach the person on Thursday 2 April 2026: the person stays at risk."; tr.Explanation != want {
		t.Errorf("no change: %q", tr.Explanation)
	}
}

// With a threshold of two misses, the first leaves the person in contact,
// an excuse takes it off, and the second unexcused one makes them at risk.
func TestApplyMissThreshold(t *testing.T) {
	sc := cal(t, calendar.Scotland)
	th := DefaultThresholds()
	th.MissesForAtRisk = 2
	miss := Signal{Cause: tether.CauseMissedEvent}
	s := InContact(d("2026-01-05"))
	var tr Transition
	var err error
	step := func(sig Signal, on string) {
		t.Helper()
		if s, tr, err = Apply(s, sig, d(on), th, sc); err != nil {
			t.Fatal(err)
		}
	}
	step(miss, "2026-03-02")
	if s.Status != tether.StatusInContact || s.Misses != 1 || tr.Changed || !strings.Contains(tr.Explanation, "miss 1 of the 2") {
		t.Errorf("first miss: %+v %+v", s, tr)
	}
	step(Signal{Cause: CauseMissExcused}, "2026-03-03")
	if s.Status != tether.StatusInContact || s.Misses != 0 || !strings.Contains(tr.Explanation, "0 missed events remain") {
		t.Errorf("excused: %+v %+v", s, tr)
	}
	step(miss, "2026-03-09")
	step(miss, "2026-04-02")
	// Scotland has no Easter Monday: five working days from Thursday 2 April
	// skip Good Friday only.
	if s.Status != tether.StatusAtRisk || s.Misses != 2 || !tr.Changed || s.OutOfContactOn != d("2026-04-10") || s.Since != d("2026-04-02") {
		t.Errorf("second miss: %+v %+v", s, tr)
	}
	if _, _, err := Apply(s, Signal{Cause: tether.CauseNoContact}, d("2026-04-09"), th, sc); tether.ErrorCode(err) != tether.ECONFLICT {
		t.Errorf("escalated a day early: %v", err)
	}
	step(Signal{Cause: tether.CauseNoContact}, "2026-04-10")
	if s.Status != tether.StatusOutOfContact || !s.OutOfContactOn.IsZero() {
		t.Errorf("escalated: %+v", s)
	}
	step(Signal{Cause: tether.CauseReEstablished}, "2026-04-20")
	if s != InContact(d("2026-04-20")) {
		t.Errorf("re-established: %+v", s)
	}
}

func TestThresholdsValidate(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(*Thresholds)
		field string
	}{
		{"defaults", func(*Thresholds) {}, ""},
		{"caseworkers may declare", func(th *Thresholds) { th.DeclareRoles = []tether.Role{tether.RoleAdmin, tether.RoleCaseworker} }, ""},
		{"no days", func(th *Thresholds) { th.OutOfContactAfter = 0 }, "out_of_contact_after"},
		{"too many days", func(th *Thresholds) { th.OutOfContactAfter = 61 }, "out_of_contact_after"},
		{"no misses", func(th *Thresholds) { th.MissesForAtRisk = 0 }, "misses_for_at_risk"},
		{"too many misses", func(th *Thresholds) { th.MissesForAtRisk = 11 }, "misses_for_at_risk"},
		{"no roles", func(th *Thresholds) { th.DeclareRoles = nil }, "declare_roles"},
		{"an MP's office", func(th *Thresholds) { th.DeclareRoles = []tether.Role{tether.RoleAdmin, tether.RoleOrganisation} }, "declare_roles[1]"},
		{"an inspector", func(th *Thresholds) { th.DeclareRoles = []tether.Role{tether.RoleInspector} }, "declare_roles[0]"},
		{"unknown role", func(th *Thresholds) { th.DeclareRoles = []tether.Role{"chief"} }, "declare_roles[0]"},
	} {
		th := DefaultThresholds()
		c.edit(&th)
		checkField(t, c.name, th.Validate(), c.field)
		if c.field != "" {
			if _, _, err := Apply(InContact(d("2026-03-02")), Signal{Cause: tether.CauseMissedEvent}, d("2026-03-02"), th, calendar.Calendar{}); err == nil {
				t.Errorf("%s: Apply took bad thresholds", c.name)
			}
		}
	}
	if th := DefaultThresholds(); th.OutOfContactAfter != 5 || th.MissesForAtRisk != 1 || len(th.DeclareRoles) != 1 || th.DeclareRoles[0] != tether.RoleAdmin {
		t.Errorf("defaults: %+v", th)
	}
}

func TestOutOfContactDue(t *testing.T) {
	th := DefaultThresholds()
	for _, c := range []struct {
		div, atRisk, today, due string
		reached                 bool
		left                    int
	}{
		{calendar.EnglandAndWales, "2026-03-02", "2026-03-02", "2026-03-09", false, 5},
		{calendar.EnglandAndWales, "2026-03-02", "2026-03-06", "2026-03-09", false, 1},
		{calendar.EnglandAndWales, "2026-03-02", "2026-03-08", "2026-03-09", false, 1},
		{calendar.EnglandAndWales, "2026-03-02", "2026-03-09", "2026-03-09", true, 0},
		{calendar.EnglandAndWales, "2026-03-02", "2026-04-01", "2026-03-09", true, 0},
		// At risk on a Saturday: counting starts on Monday.
		{calendar.EnglandAndWales, "2026-03-07", "2026-03-07", "2026-03-13", false, 5},
		// Easter: England and Wales skip Good Friday and Easter Monday,
		// Scotland Good Friday only.
		{calendar.EnglandAndWales, "2026-04-02", "2026-04-02", "2026-04-13", false, 5},
		{calendar.Scotland, "2026-04-02", "2026-04-02", "2026-04-10", false, 5},
		// St Patrick's Day in Northern Ireland only.
		{calendar.NorthernIreland, "2026-03-16", "2026-03-16", "2026-03-24", false, 5},
		{calendar.EnglandAndWales, "2026-03-16", "2026-03-16", "2026-03-23", false, 5},
		// Christmas.
		{calendar.EnglandAndWales, "2026-12-24", "2026-12-24", "2027-01-05", false, 5},
	} {
		got := OutOfContactDue(d(c.atRisk), d(c.today), th, cal(t, c.div))
		if got.Date != d(c.due) || got.Reached != c.reached || got.WorkingDaysLeft != c.left {
			t.Errorf("%s at risk %s, today %s: %+v; want %s, %v, %d", c.div, c.atRisk, c.today, got, c.due, c.reached, c.left)
		}
	}
	got := OutOfContactDue(d("2026-03-02"), d("2026-03-06"), th, cal(t, calendar.EnglandAndWales))
	want := "At risk from Monday 2 March 2026 (not counted). Working days 1 to 4: Tuesday 3 March to Friday 6 March. " +
		"Saturday 7 March: weekend. Sunday 8 March: weekend. Monday 9 March is working day 5: out of contact unless contact is re-established first. " +
		"Today is Friday 6 March 2026: 1 working day to go."
	if got.String() != want {
		t.Errorf("String()\n got %q\nwant %q", got.String(), want)
	}
	got = OutOfContactDue(d("2026-03-02"), d("2026-03-09"), th, cal(t, calendar.EnglandAndWales))
	if !strings.HasSuffix(got.String(), "Today is Monday 9 March 2026: the day has come.") {
		t.Errorf("String() %q", got.String())
	}
}
