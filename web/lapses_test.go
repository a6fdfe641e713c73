package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/reporting"
)

// newLapse makes a fresh person with a mobile number and makes them at
// risk by a failed call: a lapse opens with its tracing plan, whose first
// attempt is a call to the mobile.
func (f *roleFixture) newLapse(t *testing.T) *tether.LapseDetail {
	t.Helper()
	f.n++
	p := f.ts.createPerson(t, &tether.Person{FamilyName: "Lapsed", GivenNames: "Lee"})
	f.ts.addContactPoint(t, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindMobile, Phone: "07700 900" + strconv.Itoa(100+f.n%900),
		Source: tether.SourcePerson})
	if _, err := f.ts.db.ChangeStatus(f.ts.ctx(), p.ID, tether.CauseFailedCall, "no answer"); err != nil {
		t.Fatal(err)
	}
	ls, _, err := f.ts.db.FindLapses(f.ts.ctx(), tether.LapseFilter{PersonID: &p.ID})
	if err != nil || len(ls) != 1 {
		t.Fatalf("lapses %v, %v", ls, err)
	}
	d, err := f.ts.db.FindLapse(f.ts.ctx(), ls[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Attempts[0].Kind != reporting.AttemptCall || d.Attempts[0].State != tether.AttemptDue {
		t.Fatalf("first attempt %+v", d.Attempts[0])
	}
	return d
}

func TestLapsesAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := &roleFixture{ts: ts}
	cw, insp, org := ts.token(tether.RoleCaseworker), ts.token(tether.RoleInspector), ts.token(tether.RoleOrganisation)
	d := f.newLapse(t)
	lapse := "/api/v1/lapses/" + strconv.FormatInt(d.Lapse.ID, 10)
	person := "/api/v1/people/" + strconv.FormatInt(d.Lapse.PersonID, 10)

	var list lapseList
	ts.doJSON(t, "GET", person+"/lapses", cw, nil, 200, &list)
	if list.Total != 1 || list.Lapses[0].ID != d.Lapse.ID || list.Lapses[0].Status != tether.StatusAtRisk {
		t.Fatalf("person's lapses %+v", list)
	}
	var got tether.LapseDetail
	ts.doJSON(t, "GET", lapse, cw, nil, 200, &got)
	if got.Plan == nil || len(got.Attempts) != 9 || got.Attempts[0].Target == "" || len(got.Events) == 0 {
		t.Fatalf("lapse %+v", got)
	}
	// Inspectors read it without the targets; organisation users do not.
	var redacted tether.LapseDetail
	ts.doJSON(t, "GET", lapse, insp, nil, 200, &redacted)
	if redacted.Attempts[0].Target != "" || redacted.Attempts[0].Kind != reporting.AttemptCall {
		t.Errorf("an inspector sees the target %q", redacted.Attempts[0].Target)
	}
	ts.doJSON(t, "GET", lapse, org, nil, 403, nil)
	ts.doJSON(t, "GET", "/api/v1/lapses/999999", cw, nil, 404, nil)

	call := "/api/v1/tracing-attempts/" + strconv.FormatInt(d.Attempts[0].ID, 10) + "/record"
	field := func(body any, want int, name string) {
		t.Helper()
		resp, b := ts.do(t, "POST", call, cw, body)
		if resp.StatusCode != want {
			t.Fatalf("%v: status %d, want %d: %s", body, resp.StatusCode, want, b)
		}
		if name != "" {
			var e errorBody
			if err := json.Unmarshal(b, &e); err != nil || e.Error.Fields[name] == "" {
				t.Errorf("%v: %s does not name %s", body, b, name)
			}
		}
	}
	field(map[string]any{"outcome": "no_reply"}, 400, "outcome")
	field(map[string]any{"outcome": "no_answer", "at": "2030-01-01T00:00:00Z"}, 400, "at")
	field(map[string]any{"outcome": "no_answer", "how": "pigeon"}, 400, "how")
	field(map[string]any{"outcome": "no_answer", "colour": "red"}, 400, "colour")
	ts.doJSON(t, "POST", call, insp, map[string]any{"outcome": "no_answer"}, 403, nil)
	ts.doJSON(t, "POST", "/api/v1/tracing-attempts/999999/record", cw, map[string]any{"outcome": "no_answer"}, 404, nil)

	var rec attemptRecorded
	ts.doJSON(t, "POST", call, cw, map[string]any{"outcome": "no_answer", "note": "Rang twice"}, 200, &rec)
	if rec.Attempt.State != tether.AttemptDone || rec.Attempt.RecordedBy != tether.UserRef(ts.user(tether.RoleCaseworker).ID) ||
		!rec.Lapse.Open() || rec.Lapse.AttemptsDone != 1 {
		t.Fatalf("recorded %+v, lapse %+v", rec.Attempt, rec.Lapse)
	}
	ts.doJSON(t, "POST", call, cw, map[string]any{"outcome": "no_answer"}, 409, nil)

	// The text reaches them, with a new email: contact is re-established.
	text := "/api/v1/tracing-attempts/" + strconv.FormatInt(d.Attempts[1].ID, 10) + "/record"
	ts.clock.Advance(10 * time.Minute)
	ts.doJSON(t, "POST", text, cw, map[string]any{"outcome": "reached", "at": ts.clock.Now().Add(-time.Minute).Format(time.RFC3339),
		"new_contact_point": map[string]any{"kind": "email", "email": "lee@example.org"}}, 200, &rec)
	if rec.Lapse.Open() || rec.Attempt.NewContactPointID == nil {
		t.Fatalf("after reaching them: %+v, %+v", rec.Lapse, rec.Attempt)
	}
	var status contactStatus
	ts.doJSON(t, "GET", person+"/status", cw, nil, 200, &status)
	if status.Status != tether.StatusInContact {
		t.Errorf("status %s", status.Status)
	}
	ts.doJSON(t, "GET", "/api/v1/lapses?state=open", cw, nil, 200, &list)
	if list.Total != 0 {
		t.Errorf("%d open lapses", list.Total)
	}
	ts.doJSON(t, "GET", "/api/v1/lapses?state=lost", cw, nil, 400, nil)

	// Figures: JSON and CSV, for inspectors too.
	var figs reporting.ContactFigures
	ts.doJSON(t, "GET", "/api/v1/figures/contact?from=2026-03&to=2026-03", insp, nil, 200, &figs)
	if len(figs.Rows) == 0 || figs.Rows[0].Scope != reporting.ScopeAll || figs.Rows[0].Lapses != 1 ||
		figs.Rows[0].ToReEstablish.N != 1 || figs.Rows[0].ToFirstAttempt.N != 1 {
		t.Errorf("figures %+v", figs.Rows)
	}
	resp, b := ts.do(t, "GET", "/api/v1/figures/contact?from=2026-03&to=2026-03&format=csv", insp, nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(string(b), strings.Join(reporting.CSVHeader, ",")+"\n2026-03,all,,") {
		t.Errorf("CSV: %d %s %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	ts.doJSON(t, "GET", "/api/v1/figures/contact?from=2026-13", insp, nil, 400, nil)
	ts.doJSON(t, "GET", "/api/v1/figures/contact?format=xml", insp, nil, 400, nil)
	ts.doJSON(t, "GET", "/api/v1/figures/contact", insp, nil, 200, &figs)
	if figs.From != "2025-10" || figs.To != "2026-03" {
		t.Errorf("default range %s to %s", figs.From, figs.To)
	}
	ts.doJSON(t, "GET", "/api/v1/figures/contact", org, nil, 403, nil)
}

func TestLapsesUnavailable(t *testing.T) {
	t.Parallel()
	s := New(Services{}, Config{}, nil, nil)
	rec := httptest.NewRecorder()
	s.apiGetLapse(rec, httptest.NewRequest("GET", "/api/v1/lapses/1", nil))
	if rec.Code == http.StatusOK {
		t.Errorf("without the service: %d", rec.Code)
	}
	h := s.withLapses(func(http.ResponseWriter, *http.Request) { t.Error("reached the handler") })
	rec = httptest.NewRecorder()
	h(rec, httptest.NewRequest("GET", "/api/v1/lapses/1", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("without the service: %d, want 404", rec.Code)
	}
}

// lapsePost posts a form with the client, same-origin.
func lapsePost(t *testing.T, ts *testServer, c *http.Client, path string, v url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", ts.URL+path, strings.NewReader(v.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, b := ts.send(t, c, req)
	return resp, string(b)
}

func lapseGet(t *testing.T, ts *testServer, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, b := ts.send(t, c, req)
	return resp, string(b)
}

func TestLapsePages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := &roleFixture{ts: ts}
	d := f.newLapse(t)
	c := ts.signIn(t, tether.RoleCaseworker)
	page := "/lapses/" + strconv.FormatInt(d.Lapse.ID, 10)

	resp, body := lapseGet(t, ts, c, page)
	if resp.StatusCode != 200 || !strings.Contains(body, "Record an attempt") || !strings.Contains(body, "Tracing attempts") {
		t.Fatalf("lapse page: %d\n%.500s", resp.StatusCode, body)
	}
	// The person's page has the section, with a link to the open lapse.
	resp, body = lapseGet(t, ts, c, "/people/"+strconv.FormatInt(d.Lapse.PersonID, 10))
	if resp.StatusCode != 200 || !strings.Contains(body, "Contact status and lapses") || !strings.Contains(body, `href="`+page+`"`) ||
		!strings.Contains(body, "At risk") {
		t.Fatalf("person page: %d", resp.StatusCode)
	}

	// Refused: the error summary names the fields, and nothing changes.
	attempt := strconv.FormatInt(d.Attempts[0].ID, 10)
	resp, body = lapsePost(t, ts, c, page+"/attempts", url.Values{"attempt": {attempt}, "outcome": {""}, "when-day": {"31"},
		"when-month": {"2"}, "when-year": {"2026"}, "when-time": {"10:00"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `href="#outcome"`) ||
		!strings.Contains(body, `href="#when-day"`) {
		t.Fatalf("refused form: %d\n%s", resp.StatusCode, body)
	}
	resp, body = lapsePost(t, ts, c, page+"/attempts", url.Values{"attempt": {attempt}, "outcome": {"no_reply"}})
	if resp.StatusCode != 400 || !strings.Contains(body, `href="#outcome"`) || !strings.Contains(body, "Choose an outcome that fits this attempt: reached the person, no answer") {
		t.Fatalf("wrong outcome: %d\n%s", resp.StatusCode, body)
	}
	resp, body = lapsePost(t, ts, c, page+"/attempts", url.Values{"attempt": {attempt}, "outcome": {"no_answer"}, "when-time": {"25:00"}})
	if resp.StatusCode != 400 || !strings.Contains(body, `href="#when-time"`) {
		t.Fatalf("bad time: %d\n%s", resp.StatusCode, body)
	}
	if got, _ := ts.db.FindLapse(ts.ctx(), d.Lapse.ID); got.Lapse.AttemptsDone != 0 {
		t.Fatalf("a refused form recorded an attempt")
	}

	// Recorded, at a time given in UK time.
	ts.clock.Advance(2 * time.Hour)
	resp, _ = lapsePost(t, ts, c, page+"/attempts", url.Values{"attempt": {attempt}, "outcome": {"no_answer"}, "when-day": {"2"},
		"when-month": {"3"}, "when-year": {"2026"}, "when-time": {"10:45"}, "note": {"Rang twice"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page+"?done=attempt" {
		t.Fatalf("record: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	got, err := ts.db.FindLapse(ts.ctx(), d.Lapse.ID)
	if err != nil || got.Attempts[0].AttemptedAt == nil || !got.Attempts[0].AttemptedAt.Equal(time.Date(2026, 3, 2, 10, 45, 0, 0, time.UTC)) {
		t.Fatalf("recorded %+v, %v", got.Attempts[0], err)
	}
	// Again: the attempt is no longer offered, and the conflict is shown.
	resp, body = lapsePost(t, ts, c, page+"/attempts", url.Values{"attempt": {attempt}, "outcome": {"no_answer"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "Choose the attempt you made") {
		t.Fatalf("again: %d\n%s", resp.StatusCode, body)
	}
	// The text reaches them with a new mobile number: the lapse closes.
	text := strconv.FormatInt(d.Attempts[1].ID, 10)
	resp, _ = lapsePost(t, ts, c, page+"/attempts", url.Values{"attempt": {text}, "outcome": {"reached"}, "new_kind": {"mobile"},
		"new_value": {"07700 900999"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page+"?done=closed" {
		t.Fatalf("reached: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = lapseGet(t, ts, c, page+"?done=closed")
	if !strings.Contains(body, "the lapse is closed") || strings.Contains(body, "Record an attempt") {
		t.Errorf("closed lapse page:\n%s", body)
	}
	// Inspectors read the page without a form; organisation users may not.
	_, body = lapseGet(t, ts, ts.signIn(t, tether.RoleInspector), page)
	if strings.Contains(body, "Record an attempt") || strings.Contains(body, "07700") {
		t.Errorf("an inspector's lapse page shows the form or a number")
	}
	if resp, _ := lapseGet(t, ts, ts.signIn(t, tether.RoleOrganisation), page); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an organisation user: %d", resp.StatusCode)
	}
}

// lapseFake is a fixed lapse for the golden pages, and the person's
// contact status.
type lapseFake struct{ detail *tether.LapseDetail }

func newLapseFake() *lapseFake {
	at := fakeAt
	cp := fakePtr(int64(12))
	l := &tether.Lapse{ID: 5, PersonID: 1, PersonRef: "TH-04817263K", OpenedAt: at("2026-02-23T18:05:00Z"), OpenedOn: "2026-02-23",
		OpenedBy: "system:sweep", Cause: tether.CauseMissedEvent, FirstSignalAt: at("2026-02-23T18:05:00Z"),
		FirstSignalCause: tether.CauseMissedEvent, FirstSignalDetail: "reporting event 41 missed", Centre: "Croydon reporting centre",
		Status: tether.StatusOutOfContact, OutOfContactAt: fakeAtp("2026-03-02T06:00:00Z"), EventsMissed: 2,
		AttemptsDue: 3, AttemptsDone: 2, AttemptsSkipped: 2, AttemptsOverdue: 1, Version: 3}
	attempts := []*tether.TracingAttempt{
		{ID: 31, Seq: 1, Kind: reporting.AttemptCall, Party: tether.PartySelf, ContactPointID: cp, Target: "07700 900123",
			Instructions: "Call the person on this number.", DueOn: "2026-02-23", State: tether.AttemptDone,
			AttemptedAt: fakeAtp("2026-02-24T09:30:00Z"), RecordedBy: "user:1", How: reporting.HowPhone, Outcome: reporting.OutcomeNoAnswer, Note: "Rang twice"},
		{ID: 32, Seq: 2, Kind: reporting.AttemptText, Party: tether.PartySelf, ContactPointID: cp, Target: "07700 900123",
			Instructions: "Send a text message.", DueOn: "2026-02-23", State: tether.AttemptDone,
			AttemptedAt: fakeAtp("2026-02-24T09:35:00Z"), RecordedBy: "user:1", How: reporting.HowText, Outcome: reporting.OutcomeNoReply},
		{ID: 33, Seq: 3, Kind: reporting.AttemptLetter, Party: tether.PartySelf, Target: "Flat 2, 14 Camden Road, London, NW1 9DP",
			Instructions: "Write to the person at their last-known address.", DueOn: "2026-02-24", Explanation: "Plan started Monday 23 February 2026; due 1 working day later.",
			State: tether.AttemptDue, OverdueAt: fakeAtp("2026-02-25T06:00:00Z")},
		{ID: 34, Seq: 4, Kind: reporting.AttemptRepresentative, Party: tether.PartyRepresentative,
			Instructions: "Contact the person's legal representative.", DueOn: "2026-03-03", Explanation: "Due 1 working day later.", State: tether.AttemptDue},
		{ID: 35, Seq: 5, Kind: reporting.AttemptSponsor, Party: tether.PartySponsor, Instructions: "Contact the sponsor.",
			State: tether.AttemptSkipped, SkipReason: "There is no contact detail of a sponsor on record."},
		{ID: 36, Seq: 6, Kind: reporting.AttemptAgencyChecks, Instructions: "Check with other agencies.", DueOn: "2026-03-02",
			Explanation: "Due 5 working days later.", State: tether.AttemptDue},
	}
	for _, a := range attempts {
		a.PlanID, a.LapseID, a.PersonID, a.Version = 4, 5, 1, 1
	}
	events := []*tether.LapseEvent{
		{ID: 1, LapseID: 5, At: at("2026-02-23T18:05:00Z"), Actor: "system:sweep", Action: tether.LapseActionOpened,
			From: tether.StatusInContact, To: tether.StatusAtRisk, Cause: tether.CauseMissedEvent, Detail: "reporting event 41 missed"},
		{ID: 2, LapseID: 5, At: at("2026-02-23T18:05:00Z"), Actor: "system:sweep", Action: tether.LapseActionPlan,
			Detail: "Tracing plan made from playbook tracing version 1, starting Monday 23 February 2026: 5 attempts to make, 1 step not applicable."},
		{ID: 3, LapseID: 5, At: at("2026-02-24T09:30:00Z"), Actor: "user:1", Action: tether.LapseActionAttempt, AttemptID: fakePtr(int64(31)),
			Detail: "Attempt 1 (call): no answer."},
		{ID: 4, LapseID: 5, At: at("2026-03-02T06:00:00Z"), Actor: "system:sweep", Action: tether.LapseActionOutOfContact,
			From: tether.StatusAtRisk, To: tether.StatusOutOfContact, Cause: tether.CauseNoContact},
	}
	plan := &tether.TracingPlanRecord{ID: 4, LapseID: 5, Playbook: "tracing", PlaybookVersion: 1, StartOn: "2026-02-23",
		Division: "england-and-wales", TaskID: fakePtr(int64(7)), State: tether.PlanOpen, CreatedAt: at("2026-02-23T18:05:00Z"), CreatedBy: "system:sweep"}
	return &lapseFake{detail: &tether.LapseDetail{Lapse: l, Plan: plan, Attempts: attempts, Events: events}}
}

func (f *lapseFake) FindLapses(ctx context.Context, flt tether.LapseFilter) ([]*tether.Lapse, int, error) {
	closed := &tether.Lapse{ID: 2, PersonID: 1, PersonRef: "TH-04817263K", OpenedAt: fakeAt("2025-11-03T10:00:00Z"), OpenedOn: "2025-11-03",
		Cause: tether.CauseReturnedLetter, Status: tether.StatusInContact, ClosedAt: fakeAtp("2025-11-06T11:00:00Z"), ClosedOn: "2025-11-06",
		ClosingCause: tether.CauseReEstablished}
	return []*tether.Lapse{f.detail.Lapse, closed}, 2, nil
}

func (f *lapseFake) FindLapse(ctx context.Context, id int64) (*tether.LapseDetail, error) {
	if id != f.detail.Lapse.ID {
		return nil, tether.Errorf(tether.ENOTFOUND, "Lapse not found.")
	}
	a, _ := tether.ActorFromContext(ctx)
	if a.CanSeePersonalData() {
		return f.detail, nil
	}
	c := *f.detail
	c.Attempts = nil
	for _, t := range f.detail.Attempts {
		r := *t
		r.Target, r.Note = "", ""
		c.Attempts = append(c.Attempts, &r)
	}
	return &c, nil
}

func (f *lapseFake) RecordAttempt(ctx context.Context, id int64, in tether.AttemptInput) (*tether.TracingAttempt, *tether.Lapse, error) {
	_, err := reporting.CheckAttempt(reporting.AttemptLetter, in, f.detail.Lapse.OpenedAt, goldenNow)
	if err != nil {
		return nil, nil, err
	}
	return f.detail.Attempts[2], f.detail.Lapse, nil
}

func (f *lapseFake) ContactFigures(ctx context.Context, from, to string) (*reporting.ContactFigures, error) {
	return &reporting.ContactFigures{}, nil
}

func (f *lapseFake) ContactStatus(ctx context.Context, personID int64) (tether.PersonStatus, []*tether.StatusEvent, error) {
	return tether.PersonStatus{Status: tether.StatusOutOfContact, Since: fakeAtp("2026-03-02T06:00:00Z")}, []*tether.StatusEvent{
		{ID: 1, PersonID: 1, From: tether.StatusInContact, To: tether.StatusAtRisk, Cause: tether.CauseReturnedLetter, Actor: "system:sweep", At: fakeAt("2025-11-03T10:00:00Z")},
		{ID: 2, PersonID: 1, From: tether.StatusAtRisk, To: tether.StatusInContact, Cause: tether.CauseReEstablished, Detail: "Came to the office", Actor: "user:1", At: fakeAt("2025-11-06T11:00:00Z")},
		{ID: 3, PersonID: 1, From: tether.StatusInContact, To: tether.StatusAtRisk, Cause: tether.CauseMissedEvent, Detail: "reporting event 41 missed", Actor: "system:sweep", At: fakeAt("2026-02-23T18:05:00Z")},
		{ID: 4, PersonID: 1, From: tether.StatusAtRisk, To: tether.StatusAtRisk, Cause: tether.CauseFailedCall, Detail: "tracing attempt 1: no answer", Actor: "user:1", At: fakeAt("2026-02-24T09:30:00Z")},
		{ID: 5, PersonID: 1, From: tether.StatusAtRisk, To: tether.StatusOutOfContact, Cause: tether.CauseNoContact, Actor: "system:sweep", At: fakeAt("2026-03-02T06:00:00Z")},
	}, nil
}

func (f *lapseFake) ChangeStatus(ctx context.Context, personID int64, cause, detail string) (tether.StatusChange, error) {
	return tether.StatusChange{}, tether.Errorf(tether.EFORBIDDEN, "Not in the golden pages.")
}

// TestLapsePagesGolden renders the lapse pages and the person's page with
// its contact status section over fixed data, against testdata/golden.
func TestLapsePagesGolden(t *testing.T) {
	tests := []struct {
		name, method, path, user string
		form                     url.Values
		status                   int
	}{
		{name: "lapse", method: "GET", path: "/lapses/5", user: "caseworker", status: 200},
		{name: "lapse_redacted", method: "GET", path: "/lapses/5", user: "inspector", status: 200},
		{name: "lapse_record_errors", method: "POST", path: "/lapses/5/attempts", user: "caseworker", status: 400,
			form: url.Values{"attempt": {"33"}, "outcome": {"message_left"}, "when-day": {"2"}, "when-month": {"3"}, "when-year": {"2026"},
				"when-time": {"10:00"}, "new_kind": {"email"}, "new_value": {"not an email"}}},
		{name: "person_with_lapses", method: "GET", path: "/people/1", user: "caseworker", status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newPageFake()
			lf := newLapseFake()
			srv := New(Services{People: f, Contacts: f, Users: f, Credentials: f, Correspondence: newCorrFake(), Tasks: newTasksFake(),
				Status: lf, Lapses: lf}, Config{}, tether.NewManualClock(goldenNow), nil)
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
