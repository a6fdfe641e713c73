package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tether"
)

// roleFixture is what the role table test sends requests about: a person
// linked to the test organisation (so that its users reach the handlers
// too), a user to change, and fresh contact points on demand.
type roleFixture struct {
	ts     *testServer
	person *tether.Person
	target *tether.User
	n      int
	// notice is served to file for the person; template is a seeded one.
	notice   *tether.Notice
	template *tether.Template
}

func newRoleFixture(t *testing.T, ts *testServer) *roleFixture {
	t.Helper()
	f := &roleFixture{ts: ts}
	f.person = ts.createPerson(t, &tether.Person{FamilyName: "Rolecheck", GivenNames: "Tess",
		DateOfBirth:    tether.PartialDate{Year: 1980},
		Representative: &tether.Representative{Organisation: ts.org.Name, OrganisationID: &ts.org.ID, Instructed: true}})
	f.target = &tether.User{Email: "target@example.org", Name: "Target User", Role: tether.RoleCaseworker}
	if err := ts.db.CreateUser(ts.ctx(), f.target, testPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.SeedTemplates(ts.ctx()); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.template, err = ts.db.FindTemplateByKey(ts.ctx(), roleTemplate); err != nil {
		t.Fatal(err)
	}
	if f.notice, err = ts.db.CreateNotice(ts.ctx(), f.noticeRequest()); err != nil {
		t.Fatal(err)
	}
	return f
}

// roleTemplate is the template the role table sends notices with.
const roleTemplate = "request-contact-details-letter"

// noticeRequest is a notice served to file for the fixture's person.
func (f *roleFixture) noticeRequest() *tether.NoticeRequest {
	return &tether.NoticeRequest{PersonID: f.person.ID, TemplateKey: roleTemplate, Method: tether.MethodFile,
		Reason: "Role table", Personalisation: map[string]string{"date": "1 April 2026"}}
}

// draft adds a fresh draft to the fixture's template, with the text of a
// published version that passed the clarity bar, so that any writer may
// publish it.
func (f *roleFixture) draft(t *testing.T) int64 {
	ts, err := f.ts.db.FindTemplates(f.ts.ctx())
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range ts {
		for _, v := range tp.Versions {
			if v.PassesBar {
				d := &tether.TemplateVersion{Language: v.Language, Subject: v.Subject, Body: v.Body}
				if err := f.ts.db.AddTemplateVersion(f.ts.ctx(), tp.ID, d); err != nil {
					t.Fatal(err)
				}
				return d.ID
			}
		}
	}
	// No starter version passes: a draft of the fixture's template.
	v := f.template.Versions[0]
	d := &tether.TemplateVersion{Language: v.Language, Subject: v.Subject, Body: v.Body}
	if err := f.ts.db.AddTemplateVersion(f.ts.ctx(), f.template.ID, d); err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// point adds a fresh, current contact point to the person, so that each
// request that changes one meets a point it may change.
func (f *roleFixture) point(t *testing.T) int64 {
	f.n++
	c := f.ts.addContactPoint(t, &tether.ContactPoint{PersonID: f.person.ID, Kind: tether.KindEmail,
		Email: fmt.Sprintf("point%d@example.org", f.n), Source: tether.SourcePerson})
	return c.ID
}

// path fills a route pattern's {id} with an existing record of the right
// kind: for tokens, a fresh one of the role's own, so that revoking it
// leaves the role signed in.
func (f *roleFixture) path(t *testing.T, pattern string, role tether.Role) string {
	p := strings.ReplaceAll(pattern, "{$}", "")
	p = strings.ReplaceAll(p, "{channel}", tether.SendNotifyEmail)
	// Triage is worked by every role that works tasks.
	p = strings.ReplaceAll(p, "{queue}", tether.QueueTriage)
	if !strings.Contains(p, "{id}") {
		return p
	}
	var id int64
	switch {
	case strings.Contains(p, "/people/{id}"):
		id = f.person.ID
	case strings.Contains(p, "/contact-points/{id}"):
		id = f.point(t)
	case strings.Contains(p, "/conditions/{id}"):
		id = f.reportingCondition(t).ID
	case strings.Contains(p, "/events/{id}"):
		id = f.reportingEvent(t).ID
	case strings.Contains(p, "/users/{id}"):
		id = f.target.ID
	case strings.Contains(p, "/notices/{id}"):
		id = f.notice.ID
	case strings.Contains(p, "/templates/{id}"):
		id = f.template.ID
	case strings.Contains(p, "/template-versions/{id}"):
		id = f.draft(t)
	case strings.Contains(p, "/organisations/{id}"):
		id = f.ts.org.ID
	case strings.Contains(p, "/enquiries/{id}"):
		id = f.enquiryID(t, p, role) // api_enquiries_test.go
	case strings.Contains(p, "/lapses/{id}"):
		id = f.newLapse(t).Lapse.ID
	case strings.Contains(p, "/tracing-attempts/{id}"):
		id = f.newLapse(t).Attempts[0].ID
	case strings.Contains(p, "/tasks/{id}"):
		id = f.task(t, role, strings.HasSuffix(p, "/release")).ID
	case strings.Contains(p, "/tokens/{id}") && role != "":
		_, tok, err := f.ts.db.CreateAPIToken(f.ts.ctx(), f.ts.user(role).ID, "role table")
		if err != nil {
			t.Fatal(err)
		}
		id = tok.ID
	default:
		id = 999999
	}
	return strings.ReplaceAll(p, "{id}", strconv.FormatInt(id, 10))
}

// task opens a fresh task in the triage queue about the person, so that
// each request that changes one meets a task it may change; claimed by the
// role's user when claimed is set (and the role works tasks).
func (f *roleFixture) task(t *testing.T, role tether.Role, claimed bool) *tether.Task {
	t.Helper()
	task := &tether.Task{Queue: tether.QueueTriage, Kind: "role-table", PersonID: f.person.ID, Summary: "Role table"}
	if err := f.ts.db.OpenTask(f.ts.ctx(), task); err != nil {
		t.Fatal(err)
	}
	if claimed && role != "" && tether.WorksTasks(role) {
		ctx := tether.NewContextWithActor(context.Background(), tether.ActorOf(f.ts.user(role)))
		claimedTask, err := f.ts.db.ClaimTask(ctx, task.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		return claimedTask
	}
	return task
}

// query is the query string a GET route needs to do its work. The search
// is by reference, which every role may use (by name needs personal data).
func (f *roleFixture) query(rt route) string {
	switch rt.Method + " " + rt.Pattern {
	case "GET /api/v1/people/search":
		return "?ref=" + url.QueryEscape(f.person.Ref)
	case "GET /api/v1/roster":
		return "?centre=" + url.QueryEscape(roleCentre) + "&day=2026-03-02"
	case "GET /roster":
		return "?centre=" + url.QueryEscape(roleCentre) + "&q=ro"
	}
	return ""
}

// apiBody is a minimal valid body for an API write, or {} for a route this
// table does not know yet (a 400 still shows it was let through).
func (f *roleFixture) apiBody(t *testing.T, rt route, role tether.Role) any {
	f.n++
	if b, ok := f.enquiryBody(rt, role); ok { // api_enquiries_test.go
		return b
	}
	switch rt.Method + " " + rt.Pattern {
	case "POST /api/v1/people", "POST /api/v1/people/duplicates":
		return map[string]any{"family_name": "Newperson", "given_names": "Nia"}
	case "PUT /api/v1/people/{id}":
		p, err := f.ts.srv.People.FindPersonByID(f.ts.ctx(), f.person.ID)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]any{"family_name": p.FamilyName, "given_names": p.GivenNames, "date_of_birth": p.DateOfBirth.String(),
			"representative": p.Representative, "version": p.Version}
	case "POST /api/v1/people/{id}/contact-points":
		return map[string]any{"kind": "email", "email": fmt.Sprintf("new%d@example.org", f.n), "source": "person"}
	case "POST /api/v1/contact-points/{id}/replace":
		return map[string]any{"reason": "Gave a new address", "replacement": map[string]any{"kind": "email",
			"email": fmt.Sprintf("new%d@example.org", f.n), "source": "person"}}
	case "POST /api/v1/contact-points/{id}/end", "POST /api/v1/contact-points/{id}/fail":
		return map[string]any{"reason": "Letters came back"}
	case "POST /api/v1/contact-points/{id}/confirm":
		return map[string]any{"how": "in_person"}
	case "POST /api/v1/users":
		return map[string]any{"email": fmt.Sprintf("new%d@example.org", f.n), "name": "New User", "role": "caseworker", "password": testPassword}
	case "PATCH /api/v1/users/{id}":
		return map[string]any{"role": "caseworker"}
	case "POST /api/v1/organisations":
		return map[string]any{"name": fmt.Sprintf("Advice Centre %d", f.n), "kind": "advice"}
	case "PATCH /api/v1/organisations/{id}":
		return map[string]any{"reply_email": fmt.Sprintf("office%d@example.org", f.n),
			"reply_address": []string{"The Office", "1 Example Street", "London", "SW1A 1AA"}}
	case "POST /api/v1/tokens":
		return map[string]any{"name": "role table"}
	case "POST /api/v1/notices", "POST /api/v1/notices/preview":
		r := f.noticeRequest()
		return map[string]any{"person_id": r.PersonID, "template_key": r.TemplateKey, "method": r.Method, "reason": r.Reason,
			"personalisation": r.Personalisation}
	case "POST /api/v1/notices/{id}/copy-given":
		return map[string]any{"how": "Handed over at the reporting centre"}
	case "POST /api/v1/templates":
		return map[string]any{"key": fmt.Sprintf("role-table-%d", f.n), "title": "Role table", "kind": "general", "channel": "letter",
			"placeholders": []string{"name"}, "body": "Dear ((name))\n\nThank you for your letter."}
	case "POST /api/v1/templates/{id}/versions":
		return map[string]any{"language": "en", "subject": "Tell us how to reach you", "body": "Dear ((name))\n\nPlease tell us your address."}
	case "POST /api/v1/template-versions/{id}/publish":
		return map[string]any{"override_reason": "Role table"}
	case "POST /api/v1/clarity":
		return map[string]any{"channel": "letter", "body": "Dear ((name))\n\nPlease call us.", "personalisation": map[string]string{"name": "Tess"}}
	case "POST /api/v1/tracing-attempts/{id}/record":
		return map[string]any{"outcome": "no_answer", "note": "Role table"}
	case "POST /api/v1/tasks/{id}/done":
		return map[string]any{"note": "Called them"}
	case "POST /api/v1/tasks/{id}/cancel":
		return map[string]any{"reason": "No longer needed"}
	case "POST /api/v1/tasks/{id}/reassign":
		return map[string]any{"to": f.target.ID}
	case "PATCH /api/v1/tasks/{id}":
		return map[string]any{"priority": "urgent", "due_on": "2026-03-04"}
	case "POST /api/v1/users/{id}/tasks/reassign":
		return map[string]any{"to": nil, "note": "Role table"}
	case "POST /api/v1/people/{id}/conditions", "POST /api/v1/conditions/{id}/change", "POST /api/v1/conditions/{id}/end",
		"POST /api/v1/people/{id}/flags", "POST /api/v1/events/{id}/check-in", "POST /api/v1/events/{id}/outcome":
		return f.reportingBody(rt)
	case "POST /api/v1/callbacks/notify/delivery":
		return map[string]any{"id": "6f0e5d3c-2b1a-4c9d-8e7f-0a1b2c3d4e5f", "reference": nil, "to": "someone@example.org",
			"status": "delivered", "created_at": "2026-03-02T09:00:00.000000Z", "completed_at": "2026-03-02T09:01:00.000000Z",
			"sent_at": "2026-03-02T09:00:30.000000Z", "notification_type": "email"}
	case "POST /api/v1/callbacks/notify/returned-letter":
		return map[string]any{"notification_id": "6f0e5d3c-2b1a-4c9d-8e7f-0a1b2c3d4e5f", "reference": nil,
			"date_sent": "2026-02-20T09:00:00.000000Z"}
	}
	return map[string]any{}
}

// pageForm is a minimal form for a page write.
func (f *roleFixture) pageForm(t *testing.T, rt route, role tether.Role) url.Values {
	f.n++
	if v, ok := f.enquiryPageForm(rt, role); ok { // page_enquiries_test.go
		return v
	}
	email := fmt.Sprintf("page%d@example.org", f.n)
	switch rt.Method + " " + rt.Pattern {
	case "POST /sign-in":
		if role == "" {
			role = tether.RoleCaseworker
		}
		return url.Values{"email": {string(role) + "@example.org"}, "password": {testPassword}, "next": {"/people"}}
	case "POST /people":
		return url.Values{"family_name": {"Pageperson"}}
	case "POST /people/{id}/edit":
		p, err := f.ts.srv.People.FindPersonByID(f.ts.ctx(), f.person.ID)
		if err != nil {
			t.Fatal(err)
		}
		return url.Values{"family_name": {p.FamilyName}, "given_names": {p.GivenNames}, "version": {strconv.Itoa(p.Version)}}
	case "POST /people/{id}/contact-points":
		return url.Values{"kind": {"email"}, "email": {email}, "party": {"self"}, "source": {"person"}}
	case "POST /contact-points/{id}/change":
		return url.Values{"kind": {"email"}, "email": {email}, "party": {"self"}, "source": {"person"}, "reason": {"Changed"}}
	case "POST /contact-points/{id}/end":
		return url.Values{"reason": {"Letters came back"}}
	case "POST /contact-points/{id}/confirm":
		return url.Values{"how": {"in_person"}}
	case "POST /people/{id}/notices/preview", "POST /people/{id}/notices":
		return url.Values{"template_key": {roleTemplate}, "method": {"file"}, "reason": {"Role table"},
			"p-" + roleTemplate + "-date": {"1 April 2026"}}
	case "POST /notices/{id}/copy-given":
		return url.Values{"how": {"Handed over at the reporting centre"}}
	case "POST /tasks/{id}/done":
		return url.Values{"note": {"Called them"}}
	case "POST /tasks/{id}/cancel":
		return url.Values{"reason": {"No longer needed"}}
	case "POST /tasks/{id}/reassign":
		return url.Values{"to": {strconv.FormatInt(f.target.ID, 10)}}
	case "POST /tasks/{id}/change":
		return url.Values{"priority": {"urgent"}, "due-day": {"4"}, "due-month": {"3"}, "due-year": {"2026"}}
	case "POST /tasks/reassign":
		return url.Values{"from": {strconv.FormatInt(f.target.ID, 10)}, "to": {""}}
	case "POST /templates":
		return url.Values{"key": {fmt.Sprintf("role-page-%d", f.n)}, "title": {"Role page"}, "kind": {"general"}, "channel": {"letter"},
			"placeholders": {"name"}, "language": {"en"}, "body": {"Dear ((name))\n\nThank you for your letter."}, "action": {"save"}}
	case "POST /templates/{id}":
		return url.Values{"language": {"en"}, "subject": {"Tell us how to reach you"}, "body": {"Dear ((name))\n\nPlease tell us your address."}, "action": {"save"}}
	case "POST /template-versions/{id}/publish":
		return url.Values{"override_reason": {"Role table"}}
	}
	if v, ok := f.reportingPageForm(t, rt); ok { // page_reporting_test.go
		return v
	}
	return url.Values{}
}

// roleRequest makes the route's request as the role ("" for anonymous):
// bearer token for the API, a fresh session cookie for pages (so that
// signing out ends only that session), same-origin as a browser sends it.
func (f *roleFixture) roleRequest(t *testing.T, rt route, role tether.Role) (*http.Response, []byte) {
	t.Helper()
	ts := f.ts
	path := f.path(t, rt.Pattern, role) + f.query(rt)
	write := rt.Method != "GET" && rt.Method != "HEAD"
	var req *http.Request
	if rt.API {
		var body any
		if write && rt.Method != "DELETE" {
			body = f.apiBody(t, rt, role)
		}
		req = ts.newRequest(t, rt.Method, path, body)
		switch {
		case strings.HasPrefix(rt.Pattern, callbackPrefix):
			// Notify's callbacks carry the callback token, whoever asks.
			req.Header.Set("Authorization", "Bearer "+testCallbackToken)
		case role != "":
			req.Header.Set("Authorization", "Bearer "+ts.token(role))
		}
	} else {
		var err error
		if write {
			req, err = http.NewRequest(rt.Method, ts.URL+path, strings.NewReader(f.pageForm(t, rt, role).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req, err = http.NewRequest(rt.Method, ts.URL+path, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		if role != "" {
			token, _, err := ts.db.CreateSession(ts.ctx(), ts.user(role).ID)
			if err != nil {
				t.Fatal(err)
			}
			req.AddCookie(&http.Cookie{Name: SessionCookie, Value: token})
		}
	}
	if write {
		req.Header.Set("Origin", ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	c := &http.Client{Transport: ts.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return ts.send(t, c, req)
}

// TestRoleTable makes every route's request as every role and as nobody,
// and checks the answer against the route's roles: anonymous is refused
// (401 for the API, a redirect to sign in for pages) where the route has
// roles; a role not listed gets 403; a listed role gets neither. It is
// derived from the table, so a new route is covered without a change here.
func TestRoleTable(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newRoleFixture(t, ts)
	if len(ts.srv.routes) < 40 {
		t.Fatalf("only %d routes: is the table being read?", len(ts.srv.routes))
	}
	roles := append([]tether.Role{""}, tether.Roles...)
	for _, rt := range ts.srv.routes {
		for _, role := range roles {
			name := rt.Method + " " + rt.Pattern + " as " + string(role)
			if role == "" {
				name += "anonymous"
			}
			resp, body := f.roleRequest(t, rt, role)
			got := resp.StatusCode
			if got >= 500 {
				t.Errorf("%s: status %d; body: %.300s", name, got, body)
				continue
			}
			switch {
			case rt.Roles == nil:
				if got == http.StatusUnauthorized || got == http.StatusForbidden {
					t.Errorf("%s: status %d on a public route; body: %.300s", name, got, body)
				}
			case role == "" && rt.API:
				if got != http.StatusUnauthorized {
					t.Errorf("%s: status %d, want 401", name, got)
				}
				checkErrorShape(t, name, body, tether.EUNAUTHORIZED)
			case role == "":
				if loc := resp.Header.Get("Location"); got != http.StatusSeeOther || !strings.HasPrefix(loc, "/sign-in") {
					t.Errorf("%s: status %d to %q, want 303 to /sign-in", name, got, loc)
				}
			case !slices.Contains(rt.Roles, role):
				if got != http.StatusForbidden {
					t.Errorf("%s: status %d, want 403", name, got)
				}
				if rt.API {
					checkErrorShape(t, name, body, tether.EFORBIDDEN)
				}
			default:
				if got == http.StatusUnauthorized || got == http.StatusForbidden {
					t.Errorf("%s: status %d for a role the route allows; body: %.300s", name, got, body)
				}
			}
		}
	}
}

// TestRoleKeyRules pins the rules that matter most, independently of the
// route table, so that a wrong table cannot make TestRoleTable pass.
func TestRoleKeyRules(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newRoleFixture(t, ts)
	person := "/api/v1/people/" + strconv.FormatInt(f.person.ID, 10)
	user := "/api/v1/users/" + strconv.FormatInt(f.target.ID, 10)
	newPerson := map[string]any{"family_name": "Keyrule"}
	tests := []struct {
		role   tether.Role
		method string
		path   string
		body   any
		want   int
	}{
		{"", "GET", "/api/v1/people", nil, 401},
		{"", "POST", "/api/v1/people", newPerson, 401},
		{tether.RoleOrganisation, "POST", "/api/v1/people", newPerson, 403},
		{tether.RoleInspector, "POST", "/api/v1/people", newPerson, 403},
		{tether.RoleEnquiries, "POST", "/api/v1/people", newPerson, 403},
		{tether.RoleInspector, "PUT", person, map[string]any{"family_name": "X", "version": 1}, 403},
		{tether.RoleInspector, "POST", person + "/contact-points", map[string]any{"kind": "email", "email": "a@example.org", "source": "person"}, 403},
		{tether.RoleInspector, "POST", "/api/v1/contact-points/1/end", map[string]any{"reason": "x"}, 403},
		{tether.RoleInspector, "POST", "/api/v1/users", map[string]any{}, 403},
		{tether.RoleCaseworker, "GET", "/api/v1/users", nil, 403},
		{tether.RoleCaseworker, "POST", "/api/v1/users", map[string]any{}, 403},
		{tether.RoleEnquiries, "PATCH", user, map[string]any{"disabled": true}, 403},
		{tether.RoleOrganisation, "GET", "/api/v1/users", nil, 403},
		{tether.RoleCaseworker, "GET", "/api/v1/audit", nil, 403},
		{tether.RoleInspector, "GET", "/api/v1/audit/verify", nil, 403},
		{tether.RoleAdmin, "GET", "/api/v1/users", nil, 200},
		{tether.RoleAdmin, "PATCH", user, map[string]any{"role": "enquiries"}, 200},
		{tether.RoleCaseworker, "POST", "/api/v1/people", newPerson, 201},
		{tether.RoleInspector, "GET", person, nil, 200},
		{tether.RoleOrganisation, "GET", person, nil, 200},
		{tether.RoleInspector, "GET", "/api/v1/audit", nil, 200},
		{tether.RoleAdmin, "GET", "/api/v1/audit/verify", nil, 200},
		// Correspondence: organisation users see none; inspectors only read.
		{tether.RoleOrganisation, "GET", "/api/v1/notices", nil, 403},
		{tether.RoleOrganisation, "GET", "/api/v1/templates", nil, 403},
		{tether.RoleOrganisation, "GET", "/api/v1/tasks", nil, 403},
		// Work queues: inspectors see the counts, not the tasks.
		{tether.RoleInspector, "GET", "/api/v1/tasks", nil, 403},
		{tether.RoleInspector, "GET", "/api/v1/queues", nil, 200},
		{tether.RoleOrganisation, "GET", "/api/v1/queues", nil, 403},
		{tether.RoleEnquiries, "GET", "/api/v1/tasks?queue=triage", nil, 200},
		{tether.RoleEnquiries, "GET", "/api/v1/tasks?queue=contact", nil, 403},
		{tether.RoleCaseworker, "GET", "/api/v1/tasks?assignee=me&state=claimed", nil, 200},
		{tether.RoleCaseworker, "POST", user + "/tasks/reassign", map[string]any{"to": nil}, 403},
		{tether.RoleAdmin, "POST", user + "/tasks/reassign", map[string]any{"to": nil}, 200},
		{tether.RoleInspector, "GET", "/api/v1/notices", nil, 200},
		{tether.RoleInspector, "GET", "/api/v1/outbox", nil, 200},
		{tether.RoleInspector, "POST", "/api/v1/notices", map[string]any{"person_id": f.person.ID}, 403},
		{tether.RoleInspector, "POST", "/api/v1/templates", map[string]any{}, 403},
		{tether.RoleEnquiries, "POST", "/api/v1/templates", map[string]any{}, 403},
		{tether.RoleEnquiries, "GET", "/api/v1/outbox", nil, 403},
		{tether.RoleCaseworker, "POST", "/api/v1/channels/notify-email/resume", nil, 403},
		{tether.RoleEnquiries, "POST", "/api/v1/notices", map[string]any{"person_id": f.person.ID, "template_key": roleTemplate,
			"method": "file", "reason": "Key rule", "personalisation": map[string]string{"date": "1 April 2026"}}, 201},
		{"", "POST", "/api/v1/callbacks/notify/delivery", map[string]any{}, 401},
		{tether.RoleAdmin, "POST", "/api/v1/callbacks/notify/delivery", map[string]any{}, 401},
	}
	for _, tt := range tests {
		token := ""
		if tt.role != "" {
			token = ts.token(tt.role)
		}
		resp, body := ts.do(t, tt.method, tt.path, token, tt.body)
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s as %q: status %d, want %d; body: %s", tt.method, tt.path, tt.role, resp.StatusCode, tt.want, body)
		}
	}

	// Pages: inspectors and organisation users may not write.
	for _, role := range []tether.Role{tether.RoleInspector, tether.RoleOrganisation, tether.RoleEnquiries} {
		c := ts.signIn(t, role)
		req, _ := http.NewRequest("POST", ts.URL+"/people", strings.NewReader("family_name=Keyrule"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if resp, _ := ts.send(t, c, req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST /people as %s: status %d, want 403", role, resp.StatusCode)
		}
	}
	resp, _ := ts.send(t, &http.Client{Transport: ts.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		ts.newRequest(t, "GET", "/people", nil))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/sign-in") {
		t.Errorf("GET /people anonymous: status %d to %q, want 303 to /sign-in", resp.StatusCode, resp.Header.Get("Location"))
	}
}
