package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// reportingFake serves fixed reporting data to the golden pages; calling
// anything else panics on the nil embedded interface, which fails the test.
type reportingFake struct {
	ReportingService
}

func fakeSchedule(text string) reporting.Schedule {
	s, err := reporting.ParseSchedule(text)
	if err != nil {
		panic(err)
	}
	return s
}

func (reportingFake) Roster(ctx context.Context, centre string, day calendar.Date) (*reporting.Roster, error) {
	a, _ := tether.ActorFromContext(ctx)
	ro := &reporting.Roster{Centre: centre, Day: day, Now: "09:00", Expected: 1, Late: 1, Reported: 1, Entries: []reporting.RosterEntry{
		{EventID: 41, ConditionID: 7, PersonID: 1, PersonRef: "TH-04817263K", Name: "Amina Yusuf", At: "08:30", State: reporting.EventDue, Late: true, Version: 1},
		{EventID: 42, ConditionID: 8, PersonID: 2, PersonRef: "TH-09921347B", Name: "Bilal Hassan", At: "08:45", State: reporting.EventReported, Version: 2},
		{EventID: 43, ConditionID: 9, PersonID: 3, PersonRef: "TH-01234567C", Name: "Amir Yousef", At: "10:00", State: reporting.EventDue, Version: 1,
			Note: "Moved from Friday 3 April 2026, a bank holiday"},
	}}
	if !a.CanSeePersonalData() {
		for i := range ro.Entries {
			ro.Entries[i].Name = ""
		}
	}
	return ro, nil
}

func (reportingFake) CheckInEvent(ctx context.Context, id int64, in reporting.CheckIn) (*reporting.EventRecord, error) {
	return nil, tether.Errorf(tether.ECONFLICT, "This event was already checked in, at 08:50 on 2 March 2026 by user:1.")
}

func (reportingFake) FindEvent(ctx context.Context, id int64) (*reporting.EventRecord, error) {
	at := time.Date(2026, 3, 2, 8, 50, 0, 0, time.UTC)
	return &reporting.EventRecord{Event: reporting.Event{ID: id, ConditionID: 8, PersonID: 2, Kind: reporting.KindInPerson,
		Date: calendar.NewDate(2026, 3, 2), At: "08:45", State: reporting.EventReported,
		Outcome: &reporting.Outcome{State: reporting.EventReported, At: at, By: "user:1", How: reporting.KindInPerson, Where: "Becket House"}},
		Centre: "Becket House", Version: 2}, nil
}

func (reportingFake) PersonConditions(ctx context.Context, personID int64) ([]*reporting.ConditionRecord, error) {
	at := time.Date(2026, 1, 5, 11, 0, 0, 0, time.UTC)
	return []*reporting.ConditionRecord{
		{Condition: reporting.Condition{ID: 7, PersonID: personID, Kind: reporting.KindInPerson, Schedule: fakeSchedule("weekly mon,thu 08:30"),
			Start: calendar.NewDate(2026, 2, 2), Centre: "Becket House", Division: calendar.EnglandAndWales, SetBy: "Chief Immigration Officer Shah",
			Reason: "Asylum claim pending", Replaces: fakePtr(int64(6))}, Version: 1, CreatedAt: at, CreatedBy: "user:1"},
		{Condition: reporting.Condition{ID: 6, PersonID: personID, Kind: reporting.KindTelephone, Schedule: fakeSchedule("monthly day 1 10:00"),
			Start: calendar.NewDate(2025, 6, 1), End: calendar.NewDate(2026, 2, 1), Phone: "+447700900123", Reason: "Settled address",
			EndedReason: "Missed two calls"}, Version: 2, CreatedAt: at, CreatedBy: "user:1"},
	}, nil
}

func (reportingFake) PersonEvents(ctx context.Context, personID int64, from, to calendar.Date) ([]*reporting.EventRecord, error) {
	ev := func(id int64, day string, state string, o *reporting.Outcome) *reporting.EventRecord {
		return &reporting.EventRecord{Event: reporting.Event{ID: id, ConditionID: 7, PersonID: personID, Kind: reporting.KindInPerson,
			Date: calendar.MustParseDate(day), At: "08:30", State: state, Outcome: o}, Centre: "Becket House", Version: 1}
	}
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	return []*reporting.EventRecord{
		ev(38, "2026-02-23", reporting.EventReported, &reporting.Outcome{State: reporting.EventReported, At: at("2026-02-23T08:41:00Z"), By: "user:1",
			How: reporting.KindInPerson, Where: "Becket House"}),
		ev(39, "2026-02-26", reporting.EventMissed, &reporting.Outcome{State: reporting.EventMissed, At: at("2026-02-26T18:05:00Z"), By: "system:sweep"}),
		ev(41, "2026-03-02", reporting.EventDue, nil),
		ev(44, "2026-03-05", reporting.EventDue, nil),
	}, nil
}

func (reportingFake) PersonFlags(ctx context.Context, personID int64) ([]reporting.PersonFlag, []reporting.FlagChange, error) {
	set := time.Date(2026, 2, 9, 14, 30, 0, 0, time.UTC)
	return []reporting.PersonFlag{{Flag: reporting.FlagIdentifiedForRemoval, SetAt: set, SetBy: "user:1", Reason: "Removal directions set"}},
		[]reporting.FlagChange{
			{ID: 1, Flag: reporting.FlagFailedTelephoneReporting, Action: reporting.ActionFlagSet, At: set.AddDate(0, -2, 0), Actor: "user:1", Reason: "Missed two calls"},
			{ID: 2, Flag: reporting.FlagFailedTelephoneReporting, Action: reporting.ActionFlagCleared, At: set.AddDate(0, -1, 0), Actor: "user:1", Reason: "Reporting in person since"},
			{ID: 3, Flag: reporting.FlagIdentifiedForRemoval, Action: reporting.ActionFlagSet, At: set, Actor: "user:1", Reason: "Removal directions set"},
		}, nil
}

func (reportingFake) SetPersonFlag(ctx context.Context, personID int64, flag string, set bool, reason string) error {
	if set && flag == reporting.FlagIdentifiedForRemoval {
		return tether.Errorf(tether.ECONFLICT, "This person has the flag %s already.", flag)
	}
	return nil
}

func (reportingFake) CreateCondition(ctx context.Context, c *reporting.Condition) (*reporting.ConditionRecord, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return nil, reporting.DefaultRules().Check(reporting.Facts{Flags: []string{"identified_for_removal"}}, *c)
}

// TestReportingPagesGolden renders the roster over fixed data, against
// testdata/golden.
func TestReportingPagesGolden(t *testing.T) {
	tests := []struct {
		name, method, path, user string
		form                     url.Values
		status                   int
	}{
		{name: "roster", method: "GET", path: "/roster?centre=Becket+House&q=am", user: "caseworker", status: 200},
		{name: "roster_inspector", method: "GET", path: "/roster?centre=Becket+House", user: "inspector", status: 200},
		{name: "roster_check_in_conflict", method: "POST", path: "/roster/check-in", user: "caseworker", status: 409,
			form: url.Values{"event": {"42"}, "version": {"1"}, "centre": {"Becket House"}, "day": {"2026-03-02"}}},
		{name: "person_reporting", method: "GET", path: "/people/1?done=condition-added", user: "caseworker", status: 200},
		{name: "condition_new_refused", method: "POST", path: "/people/1/conditions", user: "caseworker", status: 400,
			form: url.Values{"kind": {"telephone"}, "phone": {"07700 900123"}, "pattern": {"weekly"}, "weekdays": {"2"}, "at": {"10:00"},
				"start": {"2026-03-03"}, "reason": {"Moved far from the centre"}}},
		{name: "condition_new_errors", method: "POST", path: "/people/1/conditions", user: "caseworker", status: 400,
			form: url.Values{"kind": {"in_person"}, "pattern": {"weekly"}, "weekdays": {"6"}, "start-day": {"30"}, "start-month": {"2"}, "start-year": {"2026"}}},
		{name: "person_flags", method: "GET", path: "/people/1/flags?done=flag-set", user: "caseworker", status: 200},
		{name: "person_flags_inspector", method: "GET", path: "/people/1/flags", user: "inspector", status: 200},
		{name: "person_flags_errors", method: "POST", path: "/people/1/flags", user: "caseworker", status: 400,
			form: url.Values{"flag": {"not_a_flag"}}},
		{name: "person_flags_conflict", method: "POST", path: "/people/1/flags", user: "caseworker", status: 400,
			form: url.Values{"flag": {"identified_for_removal"}, "set": {"set"}, "reason": {"Again"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newPageFake()
			srv := New(Services{People: f, Contacts: f, Users: f, Credentials: f, Correspondence: newCorrFake(), Tasks: newTasksFake(),
				Reporting: reportingFake{}}, Config{}, tether.NewManualClock(goldenNow), nil)
			var body io.Reader
			if tt.form != nil {
				body = strings.NewReader(tt.form.Encode())
			}
			req := httptest.NewRequest(tt.method, tt.path, body)
			if tt.form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			req.AddCookie(&http.Cookie{Name: SessionCookie, Value: tt.user})
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body:\n%s", rec.Code, tt.status, rec.Body)
			}
			checkGolden(t, tt.name, rec.Body.Bytes())
		})
	}
}

// reportingPageForm is a valid form for the reporting pages' writes in the
// role table (roles_test.go).
func (f *roleFixture) reportingPageForm(t *testing.T, rt route) (url.Values, bool) {
	switch rt.Method + " " + rt.Pattern {
	case "POST /roster/check-in":
		e := f.reportingEvent(t)
		return url.Values{"event": {strconv.FormatInt(e.ID, 10)}, "centre": {roleCentre}}, true
	case "POST /people/{id}/conditions":
		return url.Values{"kind": {"digital"}, "pattern": {"weekly"}, "weekdays": {"5"}, "start": {"2026-03-06"}, "reason": {"Role table"}}, true
	case "POST /conditions/{id}/end":
		return url.Values{"end": {"2026-12-31"}, "reason": {"Role table end"}}, true
	case "POST /people/{id}/flags":
		set := "set"
		if f.n%2 == 1 {
			set = "clear"
		}
		return url.Values{"flag": {"identified_for_removal"}, "set": {set}, "reason": {"Role table"}}, true
	case "POST /events/{id}/outcome":
		return url.Values{"state": {"excused"}, "reason": {"In hospital"}, "accepted_by": {"A. Officer"}}, true
	}
	return nil, false
}

// rosterSite is a real server with two people due at Becket House today
// (a Monday) at 08:30 and 10:00, and one at another centre.
type rosterSite struct {
	ts          *testServer
	amina, omar *tether.Person
}

func newRosterSite(t *testing.T) rosterSite {
	t.Helper()
	ts := newTestServer(t)
	amina := ts.createPerson(t, &tether.Person{FamilyName: "Yusuf", GivenNames: "Amina", DateOfBirth: tether.PartialDate{Year: 1990}})
	omar := ts.createPerson(t, &tether.Person{FamilyName: "Haddad", GivenNames: "Omar", DateOfBirth: tether.PartialDate{Year: 1985}})
	other := ts.createPerson(t, &tether.Person{FamilyName: "Amari", GivenNames: "Kofi", DateOfBirth: tether.PartialDate{Year: 1979}})
	today := calendar.FromTime(ts.clock.Now(), ukTime)
	for _, c := range []struct {
		p              *tether.Person
		schedule, ctre string
	}{{amina, "weekly mon,thu 08:30", "Becket House"}, {omar, "weekly mon 10:00", "Becket House"}, {other, "weekly mon 10:00", "Eaton House"}} {
		if _, err := ts.db.CreateCondition(ts.ctx(), &reporting.Condition{PersonID: c.p.ID, Kind: reporting.KindInPerson,
			Schedule: fakeSchedule(c.schedule), Start: today, Centre: c.ctre, Division: calendar.EnglandAndWales,
			SetBy: "Test", Reason: "Asylum claim pending"}); err != nil {
			t.Fatal(err)
		}
	}
	return rosterSite{ts: ts, amina: amina, omar: omar}
}

// TestPageRosterCheckIn drives the roster as a desk does: the roster with
// the late arrival flagged, the check-in box finding by name and by
// reference, the check-in and its banner, and a second desk checking in the
// same event, which gets the "already checked in" message, not an error.
func TestPageRosterCheckIn(t *testing.T) {
	site := newRosterSite(t)
	ts := site.ts
	ts.clock.Advance(time.Hour) // 10:00: Amina, due at 08:30, is late
	desk1, desk2 := ts.signIn(t, tether.RoleCaseworker), ts.signIn(t, tether.RoleAdmin)

	resp, body := getPage(t, ts, desk1, "/roster?centre=Becket%20House")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, site.amina.Ref, "Amina Yusuf", site.omar.Ref, "Omar Haddad", ">Late</strong>", "1 late")
	if strings.Contains(body, "Kofi") {
		t.Errorf("the roster shows someone due at another centre")
	}
	wantLabels(t, body)

	// Two letters of a name find Amina, and nobody else.
	resp, body = getPage(t, ts, desk1, "/roster?centre=Becket%20House&q=am")
	wantStatus(t, resp, body, http.StatusOK)
	matches := body[strings.Index(body, `id="matches"`):strings.Index(body, "Show the roster")]
	if !strings.Contains(matches, site.amina.Ref) || strings.Contains(matches, site.omar.Ref) {
		t.Fatalf("the check-in box for \"am\" found:\n%s", matches)
	}
	// A reference finds its person, whatever the case.
	resp, body = getPage(t, ts, desk1, "/roster?centre=Becket%20House&q="+url.QueryEscape(strings.ToLower(site.omar.Ref)))
	wantStatus(t, resp, body, http.StatusOK)
	matches = body[strings.Index(body, `id="matches"`):strings.Index(body, "Show the roster")]
	if !strings.Contains(matches, "Check in<span class=\"govuk-visually-hidden\"> "+site.omar.Ref) {
		t.Fatalf("the check-in box for the reference found:\n%s", matches)
	}
	// One letter is too few.
	resp, body = getPage(t, ts, desk1, "/roster?centre=Becket%20House&q=a")
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "q")

	evs, err := ts.db.PersonEvents(ts.ctx(), site.amina.ID, calendar.FromTime(ts.clock.Now(), ukTime), calendar.FromTime(ts.clock.Now(), ukTime))
	if err != nil || len(evs) != 1 {
		t.Fatalf("Amina's events today: %v, %v", evs, err)
	}
	e := evs[0]
	form := url.Values{"event": {strconv.FormatInt(e.ID, 10)}, "version": {strconv.Itoa(e.Version)}, "centre": {"Becket House"}, "day": {"2026-03-02"}, "q": {"am"}}
	resp, body = postForm(t, ts, desk1, "/roster/check-in", form)
	wantRedirect(t, resp, body, "/roster?centre=Becket+House&day=2026-03-02&done=checked-in&event="+strconv.FormatInt(e.ID, 10))
	resp, body = getPage(t, ts, desk1, resp.Header.Get("Location"))
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "govuk-notification-banner--success", "Checked in: Amina Yusuf ("+site.amina.Ref+")", ">Checked in</strong>")
	got, err := ts.db.FindEvent(ts.ctx(), e.ID)
	if err != nil || got.State != reporting.EventReported {
		t.Fatalf("after the check-in the event is %+v, %v", got, err)
	}

	// The second desk saw the same list and presses the same button.
	resp, body = postForm(t, ts, desk2, "/roster/check-in", form)
	wantStatus(t, resp, body, http.StatusConflict)
	wantContains(t, body, "Already checked in at 10:00 by Test caseworker", "Becket House")
	if strings.Contains(body, "This record has changed") {
		t.Errorf("the second desk got the error page")
	}
	// Nothing was written twice.
	again, err := ts.db.FindEvent(ts.ctx(), e.ID)
	if err != nil || again.Version != got.Version {
		t.Errorf("the second check-in changed the event: %+v, %v", again, err)
	}

	// A roster needs a centre; a bad day names the field.
	resp, body = getPage(t, ts, desk1, "/roster?centre=Becket%20House&day=31-02-2026")
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "day")
	resp, body = getPage(t, ts, desk1, "/roster")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Reporting roster")
}

// TestPageRosterInspector: an inspector reads the roster without names
// and has no check-in box; a check-in is refused.
func TestPageRosterInspector(t *testing.T) {
	site := newRosterSite(t)
	ts := site.ts
	c := ts.signIn(t, tether.RoleInspector)
	resp, body := getPage(t, ts, c, "/roster?centre=Becket%20House")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, site.amina.Ref, site.omar.Ref)
	for _, name := range []string{"Amina", "Yusuf", "Omar", "Check someone in"} {
		if strings.Contains(body, name) {
			t.Errorf("the inspector's roster shows %q", name)
		}
	}
	resp, body = postForm(t, ts, c, "/roster/check-in", url.Values{"event": {"1"}})
	wantStatus(t, resp, body, http.StatusForbidden)
}

// browserReporting gives the browser test's person an in-person condition
// at Becket House from today, so that the roster and the person's page
// show reporting.
func browserReporting(t *testing.T, ts *testServer, p *tether.Person) {
	t.Helper()
	if _, err := ts.db.CreateCondition(ts.ctx(), &reporting.Condition{PersonID: p.ID, Kind: reporting.KindInPerson,
		Schedule: fakeSchedule("weekly mon,thu 14:00"), Start: calendar.FromTime(ts.clock.Now(), ukTime), Centre: "Becket House",
		Division: calendar.EnglandAndWales, SetBy: "Test", Reason: "Asylum claim pending"}); err != nil {
		t.Fatal(err)
	}
}

// TestPageReportingForms sets, changes and ends a condition through the
// pages of the real server, records an outcome, and meets an eligibility
// refusal that names its rule.
func TestPageReportingForms(t *testing.T) {
	ts := newTestServer(t)
	p := ts.createPerson(t, &tether.Person{FamilyName: "Yusuf", GivenNames: "Amina", DateOfBirth: tether.PartialDate{Year: 1990}})
	if err := ts.db.SetPersonFlag(ts.ctx(), p.ID, "identified_for_removal", true, "Removal directions set"); err != nil {
		t.Fatal(err)
	}
	c := ts.signIn(t, tether.RoleCaseworker)
	base := "/people/" + strconv.FormatInt(p.ID, 10)

	resp, body := getPage(t, ts, c, base+"/conditions/new")
	wantStatus(t, resp, body, http.StatusOK)
	wantLabels(t, body)

	// By telephone is refused for this person, by a named rule.
	refused := url.Values{"kind": {"telephone"}, "phone": {"07700 900123"}, "pattern": {"weekly"}, "weekdays": {"2"}, "at": {"10:00"},
		"start": {"2026-03-03"}, "reason": {"Moved far from the centre"}}
	resp, body = postForm(t, ts, c, base+"/conditions", refused)
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "kind")
	wantContains(t, body, "no-telephone-identified-for-removal")
	// A weekend day at a centre, and no time.
	resp, body = postForm(t, ts, c, base+"/conditions", url.Values{"kind": {"in_person"}, "centre": {"Becket House"},
		"division": {"england-and-wales"}, "pattern": {"weekly"}, "weekdays": {"6"}, "start": {"2026-03-03"}, "reason": {"Claim pending"}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "weekdays", "at")
	if list, _ := ts.db.PersonConditions(ts.ctx(), p.ID); len(list) != 0 {
		t.Fatalf("a refused form set %d conditions", len(list))
	}

	resp, body = postForm(t, ts, c, base+"/conditions", url.Values{"kind": {"in_person"}, "centre": {"Becket House"},
		"division": {"england-and-wales"}, "pattern": {"weekly"}, "weekdays": {"1", "4"}, "at": {"10:00"}, "start": {"2026-03-02"},
		"reason": {"Claim pending"}})
	wantRedirect(t, resp, body, base+"?done=condition-added#reporting")
	resp, body = getPage(t, ts, c, base+"?done=condition-added")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Reporting condition set", "Every Monday and Thursday at 10:00", "Becket House", "Test caseworker", "Claim pending",
		"Monday 2 March 2026 at 10:00")
	list, err := ts.db.PersonConditions(ts.ctx(), p.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("conditions: %v, %v", list, err)
	}
	cond := list[0]

	// Change: every Tuesday from tomorrow; the reason for the change is needed.
	cpath := "/conditions/" + strconv.FormatInt(cond.ID, 10)
	resp, body = getPage(t, ts, c, cpath+"/change")
	wantStatus(t, resp, body, http.StatusOK)
	change := url.Values{"kind": {"in_person"}, "centre": {"Becket House"}, "division": {"england-and-wales"}, "pattern": {"weekly"},
		"weekdays": {"2"}, "at": {"11:00"}, "start": {"2026-03-03"}, "reason": {"Claim pending"}}
	resp, body = postForm(t, ts, c, cpath+"/change", change)
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "change_reason")
	change.Set("change_reason", "Works on Mondays now")
	resp, body = postForm(t, ts, c, cpath+"/change", change)
	wantRedirect(t, resp, body, base+"?done=condition-changed#reporting")

	// Today's event (Monday's) stays; record it excused.
	today := calendar.FromTime(ts.clock.Now(), ukTime)
	evs, err := ts.db.PersonEvents(ts.ctx(), p.ID, today, today)
	if err != nil || len(evs) != 1 {
		t.Fatalf("today's events: %v, %v", evs, err)
	}
	epath := "/events/" + strconv.FormatInt(evs[0].ID, 10) + "/outcome"
	resp, body = getPage(t, ts, c, epath)
	wantStatus(t, resp, body, http.StatusOK)
	resp, body = postForm(t, ts, c, epath, url.Values{"state": {"excused"}, "version": {strconv.Itoa(evs[0].Version)}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body)
	resp, body = postForm(t, ts, c, epath, url.Values{"state": {"excused"}, "reason": {"In hospital"}, "accepted_by": {"A. Officer"},
		"version": {strconv.Itoa(evs[0].Version)}})
	wantRedirect(t, resp, body, base+"?done=outcome-recorded#reporting")
	resp, body = getPage(t, ts, c, base)
	wantContains(t, body, "Excused, accepted by A. Officer: In hospital")

	// End the new condition.
	list, _ = ts.db.PersonConditions(ts.ctx(), p.ID)
	var open *reporting.ConditionRecord
	for _, l := range list {
		if l.End.IsZero() {
			open = l
		}
	}
	if open == nil {
		t.Fatalf("no open condition after the change: %+v", list)
	}
	endPath := "/conditions/" + strconv.FormatInt(open.ID, 10) + "/end"
	resp, body = postForm(t, ts, c, endPath, url.Values{"end": {"2026-02-31"}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "end-day", "reason")
	// The page's three boxes: 31 April is not a date; 30 April is.
	resp, body = postForm(t, ts, c, endPath, url.Values{"end-day": {"31"}, "end-month": {"4"}, "end-year": {"2026"}, "reason": {"Leave granted"}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "end-day")
	wantContains(t, body, "End must be a real date", `name="end-day" type="text" inputmode="numeric" value="31"`)
	resp, body = postForm(t, ts, c, endPath, url.Values{"end-day": {"30"}, "end-month": {"4"}, "end-year": {"2026"}, "reason": {"Leave granted"}})
	wantRedirect(t, resp, body, base+"?done=condition-ended#reporting")
	if ended, err := ts.db.FindCondition(ts.ctx(), open.ID); err != nil || ended.End.String() != "2026-04-30" {
		t.Fatalf("ended condition %+v, %v; want the end 2026-04-30", ended, err)
	}
}
