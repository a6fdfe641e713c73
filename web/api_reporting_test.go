package web

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// roleCentre is the reporting centre of the role table's conditions.
const roleCentre = "Role Centre"

// reportingCondition is the fixture person's open in-person condition,
// set when there is none (after the last one's end).
func (f *roleFixture) reportingCondition(t *testing.T) *reporting.ConditionRecord {
	t.Helper()
	list, err := f.ts.db.PersonConditions(f.ts.ctx(), f.person.ID)
	if err != nil {
		t.Fatal(err)
	}
	start := calendar.FromTime(testNow, ukTime)
	for _, c := range list {
		if c.End.IsZero() {
			return c
		}
		if !c.End.Before(start) {
			start = c.End.AddDays(1)
		}
	}
	s, err := reporting.ParseSchedule("weekly mon,thu 10:00")
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.ts.db.CreateCondition(f.ts.ctx(), &reporting.Condition{PersonID: f.person.ID, Kind: reporting.KindInPerson,
		Schedule: s, Start: start, Centre: roleCentre, Division: calendar.EnglandAndWales, Reason: "Role table"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// reportingEvent is an event of the fixture person's: today's if there is
// one.
func (f *roleFixture) reportingEvent(t *testing.T) *reporting.EventRecord {
	t.Helper()
	today := calendar.FromTime(f.ts.clock.Now(), ukTime)
	for range 2 {
		for _, from := range []calendar.Date{today, {}} {
			evs, err := f.ts.db.PersonEvents(f.ts.ctx(), f.person.ID, from, from)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) > 0 {
				return evs[0]
			}
		}
		f.reportingCondition(t)
	}
	t.Fatal("no reporting event")
	return nil
}

// reportingBody is a valid body for a reporting write of the role table.
func (f *roleFixture) reportingBody(rt route) map[string]any {
	switch rt.Method + " " + rt.Pattern {
	case "POST /api/v1/people/{id}/conditions":
		return map[string]any{"kind": "digital", "schedule": "weekly fri", "start": "2026-03-06", "reason": "Role table"}
	case "POST /api/v1/conditions/{id}/change":
		return map[string]any{"reason": "Role table change", "condition": map[string]any{"kind": "in_person",
			"schedule": "weekly tue 10:00", "start": "2026-09-01", "centre": roleCentre, "division": "england-and-wales", "reason": "Role table"}}
	case "POST /api/v1/conditions/{id}/end":
		return map[string]any{"end": "2026-12-31", "reason": "Role table end"}
	case "POST /api/v1/people/{id}/flags":
		return map[string]any{"flag": "identified_for_removal", "set": f.n%2 == 0, "reason": "Role table"}
	case "POST /api/v1/events/{id}/check-in":
		return map[string]any{}
	case "POST /api/v1/events/{id}/outcome":
		return map[string]any{"state": "excused", "reason": "In hospital", "accepted_by": "A. Officer"}
	}
	return map[string]any{}
}

func conditionPath(id int64) string { return "/api/v1/conditions/" + strconv.FormatInt(id, 10) }
func eventPath(id int64) string     { return "/api/v1/events/" + strconv.FormatInt(id, 10) }

func TestAPIReporting(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	cw := ts.token(tether.RoleCaseworker)
	p := ts.createPerson(t, &tether.Person{FamilyName: "Mensah", GivenNames: "Kwame"})
	conditions := personPath(p.ID) + "/conditions"

	// Refusals name the field; nothing is written.
	e := ts.wantError(t, "POST", conditions, cw, map[string]any{"kind": "in_person", "schedule": "weekly sat 10:00",
		"start": "2026-03-02", "centre": "Croydon reporting centre", "division": "england-and-wales", "reason": "Bail"}, 400, tether.EINVALID)
	if !strings.Contains(e.Fields["schedule.weekdays[0]"], "closed at weekends") {
		t.Fatalf("weekend schedule: %+v", e)
	}
	e = ts.wantError(t, "POST", conditions, cw, map[string]any{"kind": "in_person", "schedule": "fortnightly",
		"start": "2026-13-01", "reason": "Bail"}, 400, tether.EINVALID)
	if e.Fields["schedule"] == "" || e.Fields["start"] == "" {
		t.Fatalf("bad schedule and start: %+v", e)
	}
	ts.wantError(t, "POST", conditions, cw, map[string]any{"kind": "digital", "schedule": "weekly mon", "start": "2026-03-02",
		"reason": "x", "colour": "blue"}, 400, tether.EINVALID)
	ts.wantError(t, "POST", conditions, ts.token(tether.RoleEnquiries), map[string]any{}, 403, tether.EFORBIDDEN)
	ts.wantError(t, "GET", conditions, ts.token(tether.RoleOrganisation), nil, 403, tether.EFORBIDDEN)
	ts.wantError(t, "GET", personPath(999999)+"/conditions", cw, nil, 404, tether.ENOTFOUND)

	var c reporting.ConditionRecord
	ts.doJSON(t, "POST", conditions, cw, map[string]any{"kind": "in_person", "schedule": "weekly mon,thu 10:00",
		"start": "2026-03-02", "centre": "Croydon reporting centre", "division": "england-and-wales", "reason": "Bail conditions"}, 201, &c)
	if c.ID == 0 || c.SetBy != "user:"+strconv.FormatInt(ts.user(tether.RoleCaseworker).ID, 10) || c.HorizonTo.String() != "2026-03-29" ||
		c.Schedule.String() != "weekly mon,thu 10:00" {
		t.Fatalf("created: %+v", c)
	}
	var list conditionList
	ts.doJSON(t, "GET", conditions, ts.token(tether.RoleInspector), nil, 200, &list)
	if len(list.Conditions) != 1 || list.Conditions[0].Reason != "" || len(list.Conditions[0].History) != 2 {
		t.Fatalf("inspector's list: %+v", list)
	}

	var evs eventList
	ts.doJSON(t, "GET", personPath(p.ID)+"/events?from=2026-03-02&to=2026-03-08", cw, nil, 200, &evs)
	if len(evs.Events) != 2 || evs.Events[0].Date.String() != "2026-03-02" || evs.Events[0].Centre != "Croydon reporting centre" {
		t.Fatalf("events: %+v", evs)
	}
	ts.wantError(t, "GET", personPath(p.ID)+"/events?from=yesterday", cw, nil, 400, tether.EINVALID)
	today, thursday := evs.Events[0], evs.Events[1]

	// The roster: today at the centre.
	var ro reporting.Roster
	ts.doJSON(t, "GET", "/api/v1/roster?centre=Croydon+reporting+centre", cw, nil, 200, &ro)
	if ro.Day.String() != "2026-03-02" || len(ro.Entries) != 1 || ro.Entries[0].Name != "Kwame Mensah" || ro.Expected != 1 {
		t.Fatalf("roster: %+v", ro)
	}
	ts.wantError(t, "GET", "/api/v1/roster", cw, nil, 400, tether.EINVALID)

	// Check-in: two desks at once, one wins.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Go(func() {
			resp, _ := ts.do(t, "POST", eventPath(today.ID)+"/check-in", cw, map[string]any{"how": "in_person"})
			codes[i] = resp.StatusCode
		})
	}
	wg.Wait()
	if !(codes[0] == 200 && codes[1] == 409) && !(codes[0] == 409 && codes[1] == 200) {
		t.Fatalf("two check-ins: %v", codes)
	}
	e = ts.wantError(t, "POST", eventPath(today.ID)+"/check-in", cw, nil, 409, tether.ECONFLICT)
	if !strings.Contains(e.Message, "already checked in") {
		t.Fatalf("second check-in: %+v", e)
	}
	ts.wantError(t, "POST", eventPath(thursday.ID)+"/check-in", cw, nil, 409, tether.ECONFLICT)
	ts.wantError(t, "POST", eventPath(999999)+"/check-in", cw, nil, 404, tether.ENOTFOUND)

	// Outcomes: rescheduled to a day that moves it; a bad day names it.
	ts.wantError(t, "POST", eventPath(thursday.ID)+"/outcome", cw, map[string]any{"state": "rescheduled", "reason": "Interview",
		"new_date": "2026-03-07"}, 400, tether.EINVALID)
	var out outcomeAnswer
	ts.doJSON(t, "POST", eventPath(thursday.ID)+"/outcome", cw, map[string]any{"state": "rescheduled", "reason": "Interview",
		"new_date": "2026-03-06", "version": thursday.Version}, 200, &out)
	if out.Event.State != reporting.EventRescheduled || out.Next == nil || out.Next.Date.String() != "2026-03-06" {
		t.Fatalf("rescheduled: %+v", out)
	}
	var got reporting.EventRecord
	ts.doJSON(t, "GET", eventPath(thursday.ID), cw, nil, 200, &got)
	if len(got.History) != 1 || got.History[0].Action != reporting.ActionRescheduled {
		t.Fatalf("event history: %+v", got.History)
	}

	// Change and end.
	var ch conditionChanged
	ts.wantError(t, "POST", conditionPath(c.ID)+"/change", cw, map[string]any{"reason": "Tighter",
		"condition": map[string]any{"kind": "in_person", "schedule": "weekly mon 10:00", "start": "2026-03-01", "centre": "Croydon",
			"division": "england-and-wales", "reason": "Tighter"}}, 400, tether.EINVALID)
	ts.doJSON(t, "POST", conditionPath(c.ID)+"/change", cw, map[string]any{"reason": "Tighter",
		"condition": map[string]any{"kind": "in_person", "schedule": "weekly mon,wed,fri 10:00", "start": "2026-03-09",
			"centre": "Croydon reporting centre", "division": "england-and-wales", "reason": "Tighter conditions"}}, 200, &ch)
	if ch.Ended.End.String() != "2026-03-08" || ch.Condition.Replaces == nil || *ch.Condition.Replaces != c.ID {
		t.Fatalf("changed: %+v", ch)
	}
	var ended reporting.ConditionRecord
	ts.doJSON(t, "POST", conditionPath(ch.Condition.ID)+"/end", cw, map[string]any{"end": "2026-03-20", "reason": "Granted leave"}, 200, &ended)
	if ended.End.String() != "2026-03-20" {
		t.Fatalf("ended: %+v", ended)
	}
	e = ts.wantError(t, "POST", conditionPath(ch.Condition.ID)+"/end", cw, map[string]any{"reason": "x"}, 400, tether.EINVALID)
	if e.Fields["end"] == "" {
		t.Fatalf("end without a day: %+v", e)
	}

	// Flags.
	var fl personFlags
	ts.doJSON(t, "POST", personPath(p.ID)+"/flags", cw, map[string]any{"flag": "failed_telephone_reporting", "set": true,
		"reason": "Out of contact after telephone reporting"}, 200, &fl)
	if len(fl.Flags) != 1 || len(fl.History) != 1 {
		t.Fatalf("flags: %+v", fl)
	}
	e = ts.wantError(t, "POST", conditions, cw, map[string]any{"kind": "telephone", "schedule": "weekly wed 19:00",
		"start": "2026-04-01", "phone": "07700 900123", "reason": "Telephone"}, 400, tether.EINVALID)
	if !strings.Contains(e.Fields["kind"], "no-telephone-after-failed-telephone-reporting version 1") {
		t.Fatalf("eligibility: %+v", e)
	}
	ts.wantError(t, "POST", personPath(p.ID)+"/flags", cw, map[string]any{"flag": "failed_telephone_reporting", "set": true,
		"reason": "again"}, 409, tether.ECONFLICT)

	// A check-in brings a person at risk back in contact.
	q := ts.createPerson(t, &tether.Person{FamilyName: "Boateng", GivenNames: "Ama"})
	var dc reporting.ConditionRecord
	ts.doJSON(t, "POST", personPath(q.ID)+"/conditions", cw, map[string]any{"kind": "digital", "schedule": "weekly mon",
		"start": "2026-03-02", "reason": "Digital reporting"}, 201, &dc)
	ts.doJSON(t, "POST", personPath(q.ID)+"/status", cw, map[string]any{"cause": "failed_call"}, 200, nil)
	ts.doJSON(t, "GET", personPath(q.ID)+"/events?to=2026-03-02", cw, nil, 200, &evs)
	ts.doJSON(t, "POST", eventPath(evs.Events[0].ID)+"/check-in", cw, nil, 200, &got)
	if got.Outcome == nil || got.Outcome.How != reporting.KindDigital {
		t.Fatalf("digital check-in: %+v", got)
	}
	var st contactStatus
	ts.doJSON(t, "GET", personPath(q.ID)+"/status", cw, nil, 200, &st)
	if st.Status != tether.StatusInContact || st.Events[len(st.Events)-1].Cause != tether.CauseReEstablished {
		t.Fatalf("status after check-in: %+v", st)
	}
}

func TestAPIReportingUnavailable(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.srv.Reporting = nil
	ts.wantError(t, "GET", "/api/v1/roster?centre=x", ts.token(tether.RoleCaseworker), nil, 404, tether.ENOTFOUND)
}
