package web

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/enquiry"
	"tether/store"
)

// enquirySchemaTypes are the enquiries' schemas in openapi.json and the
// types they describe, for TestOpenAPISchemasMatchTypes.
var enquirySchemaTypes = map[string]any{
	"EnquirySubject":         enquiry.Subject{},
	"EnquiryAuthority":       enquiry.Authority{},
	"EnquiryInput":           enquiry.Input{},
	"EnquiryTransitionInput": enquiry.TransitionInput{},
	"ReplyInput":             enquiry.ReplyInput{},
	"HoldingReplyInput":      enquiry.HoldingReplyInput{},
	"EnquiryNoteInput":       enquiryNoteInput{},
	"TeamLeadInput":          teamLeadInput{},
	"EnquiryHolding":         enquiry.Holding{},
	"EnquiryReply":           enquiry.Reply{},
	"Enquiry":                enquiry.Enquiry{},
	"EnquiryDetail":          enquiry.Detail{},
	"EnquiryList":            enquiryList{},
	"EnquiryDuplicate":       enquiry.Duplicate{},
	"EnquiryDuplicates":      enquiryDuplicates{},
	"EnquiryEvent":           enquiry.Event{},
	"EnquiryEvents":          enquiryEvents{},
	"EnquiryNote":            enquiry.Note{},
	"EnquiryAgeBands":        enquiry.AgeBands{},
	"EnquiryLateBands":       enquiry.LateBands{},
	"EnquiryReportRow":       enquiry.ReportRow{},
	"EnquiryReport":          enquiry.Report{},
	"EnquiryTeam":            enquiry.TeamInfo{},
	"EnquiryTeams":           enquiryTeams{},
}

// enquiryRouteInputs are the enquiries routes' body types, for
// TestAPIGarbage.
var enquiryRouteInputs = map[string]any{
	"POST /api/v1/enquiries":                    enquiry.Input{},
	"POST /api/v1/enquiries/duplicates":         enquiry.Input{},
	"POST /api/v1/enquiries/{id}/transitions":   enquiry.TransitionInput{},
	"POST /api/v1/enquiries/{id}/holding-reply": enquiry.HoldingReplyInput{},
	"POST /api/v1/enquiries/{id}/reply":         enquiry.ReplyInput{},
	"POST /api/v1/enquiries/{id}/notes":         enquiryNoteInput{},
	"POST /api/v1/enquiry-teams/lead":           teamLeadInput{},
}

func init() {
	for k, v := range enquiryRouteInputs {
		routeInputs[k] = v
	}
}

// enquiryInput is a routine enquiry from the test organisation (a law
// firm) about its client, as the representative on record; staff name the
// organisation.
func enquiryInput(ts *testServer, p *tether.Person, role tether.Role) map[string]any {
	in := map[string]any{"subject": map[string]any{"ref": p.Ref}, "question": "When will the asylum claim be decided?",
		"category": "asylum_claim", "urgency": "routine", "authority": map[string]any{"basis": "recorded_representative"},
		"acknowledge_duplicates": true}
	if role != tether.RoleOrganisation {
		in["organisation_id"] = ts.org.ID
	}
	return in
}

// enquiryID raises a fresh enquiry about the fixture's person as the
// organisation's user, so that each request meets one it may act on: for
// a reply, triaged and assigned to the role's user (when the role answers
// enquiries), so that it may be answered.
func (f *roleFixture) enquiryID(t *testing.T, path string, role tether.Role) int64 {
	t.Helper()
	if !strings.HasPrefix(path, "/api/") {
		return f.enquiryPageID(t, path, role) // page_enquiries_test.go
	}
	db := f.ts.db
	orgCtx := tether.NewContextWithActor(context.Background(), tether.ActorOf(f.ts.user(tether.RoleOrganisation)))
	e, err := db.CreateEnquiry(orgCtx, &enquiry.Input{Subject: enquiry.Subject{Ref: f.person.Ref}, Question: "When will the claim be decided?",
		Category: enquiry.CategoryAsylumClaim, Urgency: enquiry.UrgencyRoutine,
		Authority: enquiry.Authority{Basis: enquiry.BasisRecordedRepresentative}, AcknowledgeDuplicates: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, "/reply") && (role == tether.RoleAdmin || role == tether.RoleEnquiries) {
		u := f.ts.user(role)
		for _, in := range []enquiry.TransitionInput{{Action: enquiry.ActionTriage}, {Action: enquiry.ActionAssign, Assignee: &u.ID}} {
			if _, err := db.TransitionEnquiry(f.ts.ctx(), e.ID, in); err != nil {
				t.Fatal(err)
			}
		}
	}
	return e.ID
}

// enquiryBody is a minimal valid body for an enquiries route.
func (f *roleFixture) enquiryBody(rt route, role tether.Role) (any, bool) {
	reply := map[string]any{"template_key": "enquiry-reply-email", "personalisation": map[string]string{"reply": "We have decided the claim."}}
	switch rt.Method + " " + rt.Pattern {
	case "POST /api/v1/enquiries", "POST /api/v1/enquiries/duplicates":
		return enquiryInput(f.ts, f.person, role), true
	case "POST /api/v1/enquiries/{id}/transitions":
		return map[string]any{"action": "triage"}, true
	case "POST /api/v1/enquiries/{id}/holding-reply":
		reply["reason"], reply["outstanding"], reply["from"], reply["new_date"] = "awaiting_checks", "An identity check", "police", "2026-04-20"
		return reply, true
	case "POST /api/v1/enquiries/{id}/reply":
		return reply, true
	case "POST /api/v1/enquiries/{id}/notes":
		return map[string]any{"text": "Called the asylum team."}, true
	case "POST /api/v1/enquiry-teams/lead":
		return map[string]any{"team": "asylum", "user_id": f.ts.user(tether.RoleEnquiries).ID}, true
	}
	return nil, false
}

func enquiryPath(id int64, action string) string {
	p := "/api/v1/enquiries/" + strconv.FormatInt(id, 10)
	if action != "" {
		p += "/" + action
	}
	return p
}

func TestAPIEnquiries(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	if _, err := ts.db.SeedTemplates(ts.ctx()); err != nil {
		t.Fatal(err)
	}
	p := ts.createPerson(t, &tether.Person{FamilyName: "Karimi", GivenNames: "Amir",
		DateOfBirth:    tether.PartialDate{Year: 1985, Month: 11, Day: 20},
		Representative: &tether.Representative{Organisation: ts.org.Name, OrganisationID: &ts.org.ID, Instructed: true}})
	office, enq, adm := ts.token(tether.RoleOrganisation), ts.token(tether.RoleEnquiries), ts.token(tether.RoleAdmin)

	// Another office and its user.
	other := &tether.Organisation{Name: "Office of Ben Other MP", Kind: tether.OrgMPOffice, Division: "scotland"}
	if err := ts.db.CreateOrganisation(ts.ctx(), other); err != nil {
		t.Fatal(err)
	}
	ou := &tether.User{Email: "office@ben-other.example.org", Name: "Other Office", Role: tether.RoleOrganisation, OrganisationID: &other.ID}
	if err := ts.db.CreateUser(ts.ctx(), ou, testPassword); err != nil {
		t.Fatal(err)
	}
	otherTok, _, err := ts.db.CreateAPIToken(ts.ctx(), ou.ID, "test")
	if err != nil {
		t.Fatal(err)
	}

	// The office raises one and gets its reference at once.
	in := enquiryInput(ts, p, tether.RoleOrganisation)
	delete(in, "acknowledge_duplicates")
	var e enquiry.Enquiry
	resp := ts.doJSON(t, "POST", "/api/v1/enquiries", office, in, http.StatusCreated, &e)
	if !enquiry.ValidRef(e.Ref) || e.DueOn != "2026-03-30" || resp.Header.Get("Location") != enquiryPath(e.ID, "") || e.PersonID != nil {
		t.Fatalf("created %+v", e)
	}
	// Asking again: the likely duplicate first, then 409, until acknowledged.
	var dups enquiryDuplicates
	ts.doJSON(t, "POST", "/api/v1/enquiries/duplicates", office, in, http.StatusOK, &dups)
	if len(dups.Duplicates) != 1 || dups.Duplicates[0].Ref != e.Ref {
		t.Errorf("duplicates %+v", dups)
	}
	ts.wantError(t, "POST", "/api/v1/enquiries", office, in, http.StatusConflict, tether.ECONFLICT)
	// Bad input: 400 naming the field.
	bad := enquiryInput(ts, p, tether.RoleOrganisation)
	bad["urgency"] = "urgent"
	ts.wantError(t, "POST", "/api/v1/enquiries", office, bad, http.StatusBadRequest, tether.EINVALID)
	bad = enquiryInput(ts, p, tether.RoleOrganisation)
	bad["colour"] = "red"
	ts.wantError(t, "POST", "/api/v1/enquiries", office, bad, http.StatusBadRequest, tether.EINVALID)

	// Its list and its enquiry; another office gets 404 and nothing.
	var list enquiryList
	ts.doJSON(t, "GET", "/api/v1/enquiries?state=open", office, nil, http.StatusOK, &list)
	if list.Total != 1 || list.Enquiries[0].ID != e.ID {
		t.Fatalf("office list %+v", list)
	}
	ts.doJSON(t, "GET", "/api/v1/enquiries", otherTok, nil, http.StatusOK, &list)
	if list.Total != 0 {
		t.Errorf("another office lists %+v", list)
	}
	ts.wantError(t, "GET", enquiryPath(e.ID, ""), otherTok, nil, http.StatusNotFound, tether.ENOTFOUND)
	ts.wantError(t, "GET", enquiryPath(e.ID, "events"), otherTok, nil, http.StatusNotFound, tether.ENOTFOUND)
	ts.wantError(t, "GET", "/api/v1/enquiries?unmatched=maybe", enq, nil, http.StatusBadRequest, tether.EINVALID)

	// The team: triage, assign to the enquiries user, a note, the answer.
	enqUser := ts.user(tether.RoleEnquiries)
	var got enquiry.Enquiry
	ts.doJSON(t, "POST", enquiryPath(e.ID, "transitions"), enq, map[string]any{"action": "triage", "version": 1}, http.StatusOK, &got)
	ts.wantError(t, "POST", enquiryPath(e.ID, "transitions"), enq, map[string]any{"action": "triage"}, http.StatusConflict, tether.ECONFLICT)
	ts.doJSON(t, "POST", enquiryPath(e.ID, "transitions"), enq, map[string]any{"action": "assign", "assignee": enqUser.ID}, http.StatusOK, &got)
	ts.wantError(t, "POST", enquiryPath(e.ID, "transitions"), office, map[string]any{"action": "start"}, http.StatusForbidden, tether.EFORBIDDEN)
	var note enquiry.Note
	ts.doJSON(t, "POST", enquiryPath(e.ID, "notes"), enq, map[string]any{"text": "The decision is drafted."}, http.StatusCreated, &note)
	holding := map[string]any{"reason": "awaiting_information", "outstanding": "A medical report", "from": "representative",
		"new_date": "2026-03-27", "template_key": "enquiry-reply-email", "personalisation": map[string]string{"reply": "We need a report."}}
	ts.wantError(t, "POST", enquiryPath(e.ID, "holding-reply"), enq, holding, http.StatusBadRequest, tether.EINVALID)
	reply := map[string]any{"template_key": "enquiry-reply-email", "personalisation": map[string]string{"reply": "We made a decision today. We sent it to your client."}}
	ts.doJSON(t, "POST", enquiryPath(e.ID, "reply"), enq, reply, http.StatusOK, &got)
	if got.State != enquiry.StateAnswered || got.WithinStandard == nil || !*got.WithinStandard {
		t.Fatalf("answered %+v", got)
	}
	// Tether sends the answer: queued, then sent by the dispatcher with
	// the channel's id as the proof, which the office sees too.
	var det enquiry.Detail
	ts.doJSON(t, "GET", enquiryPath(e.ID, ""), enq, nil, http.StatusOK, &det)
	if det.Answer == nil || det.Answer.Delivery == nil || det.Answer.Delivery.State != enquiry.DeliveryQueued ||
		det.Answer.Delivery.Via != tether.SendNotifyEmail {
		t.Fatalf("answer before dispatch %+v", det.Answer)
	}
	sys := store.AsActor(store.DispatcherActor)
	items, err := ts.db.ReplyOutbox().ClaimOutbox(sys, "test", nil, 10, time.Minute)
	if err != nil || len(items) != 1 || items[0].Ref != det.Answer.Delivery.Ref {
		t.Fatalf("claim %v %+v", err, items)
	}
	if err := ts.db.ReplyOutbox().OutboxSent(sys, items[0].ID, "test", "notify-7f3a"); err != nil {
		t.Fatal(err)
	}
	ts.doJSON(t, "GET", enquiryPath(e.ID, ""), office, nil, http.StatusOK, &det)
	if dl := det.Answer.Delivery; dl == nil || dl.State != enquiry.DeliverySent || dl.ProviderID != "notify-7f3a" || dl.SentAt == nil {
		t.Fatalf("office sees the delivery %+v", dl)
	}
	ts.doJSON(t, "POST", enquiryPath(e.ID, "transitions"), enq, map[string]any{"action": "close"}, http.StatusOK, &got)
	ts.wantError(t, "POST", enquiryPath(e.ID, "reply"), enq, reply, http.StatusConflict, tether.ECONFLICT)

	// What the office sees: the answer, not the note nor who sent it.
	resp, body := ts.do(t, "GET", enquiryPath(e.ID, ""), office, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "We made a decision today.") ||
		strings.Contains(string(body), "drafted") || strings.Contains(string(body), `"sent_by"`) || strings.Contains(string(body), `"person_id"`) {
		t.Errorf("office reads %d %s", resp.StatusCode, body)
	}
	resp, body = ts.do(t, "GET", enquiryPath(e.ID, ""), enq, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "drafted") || !strings.Contains(string(body), `"person_id"`) {
		t.Errorf("staff reads %d %s", resp.StatusCode, body)
	}
	var events enquiryEvents
	ts.doJSON(t, "GET", enquiryPath(e.ID, "events"), office, nil, http.StatusOK, &events)
	for _, ev := range events.Events {
		if ev.Action == enquiry.EventAssigned || ev.Actor != "" {
			t.Errorf("office event %+v", ev)
		}
	}

	// Teams and the figures.
	var teams enquiryTeams
	ts.doJSON(t, "POST", "/api/v1/enquiry-teams/lead", adm, map[string]any{"team": "asylum", "user_id": enqUser.ID}, http.StatusOK, &teams)
	if teams.Teams[0].LeadID == nil || *teams.Teams[0].LeadID != enqUser.ID {
		t.Errorf("teams %+v", teams)
	}
	ts.wantError(t, "POST", "/api/v1/enquiry-teams/lead", adm, map[string]any{"team": "finance", "user_id": enqUser.ID}, http.StatusBadRequest, tether.EINVALID)
	var rep enquiry.Report
	ts.doJSON(t, "GET", "/api/v1/enquiries/report?from=2026-01&to=2026-12", ts.token(tether.RoleInspector), nil, http.StatusOK, &rep)
	if rep.Totals.Received != 1 || rep.Totals.Answered != 1 || rep.Totals.AnsweredWithin != 1 {
		t.Errorf("report %+v", rep)
	}
	resp, body = ts.do(t, "GET", "/api/v1/enquiries/report?from=2026-01&to=2026-12&format=csv", enq, nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv %d %s", resp.StatusCode, body)
	}
	records, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(records) != 3 || records[1][0] != "2026-03" || records[2][0] != "total" || records[2][4] != "1" {
		t.Errorf("csv %v %v", records, err)
	}
	ts.wantError(t, "GET", "/api/v1/enquiries/report?from=2026-13", enq, nil, http.StatusBadRequest, tether.EINVALID)
	ts.wantError(t, "GET", "/api/v1/enquiries/report?format=xml", enq, nil, http.StatusBadRequest, tether.EINVALID)
	ts.wantError(t, "GET", "/api/v1/enquiries/report", office, nil, http.StatusForbidden, tether.EFORBIDDEN)

	// Roles that see no enquiries: contact caseworkers, and inspectors
	// (who read the figures only).
	ts.wantError(t, "GET", "/api/v1/enquiries", ts.token(tether.RoleCaseworker), nil, http.StatusForbidden, tether.EFORBIDDEN)
	ts.wantError(t, "GET", enquiryPath(e.ID, ""), ts.token(tether.RoleInspector), nil, http.StatusForbidden, tether.EFORBIDDEN)
	ts.wantError(t, "POST", "/api/v1/enquiries", ts.token(tether.RoleCaseworker), enquiryInput(ts, p, tether.RoleCaseworker), http.StatusForbidden, tether.EFORBIDDEN)
	ts.wantError(t, "POST", enquiryPath(e.ID, "notes"), office, map[string]any{"text": "x"}, http.StatusForbidden, tether.EFORBIDDEN)
	ts.wantError(t, "POST", "/api/v1/enquiry-teams/lead", enq, map[string]any{"team": "asylum", "user_id": nil}, http.StatusForbidden, tether.EFORBIDDEN)

	// Staff record an enquiry for an office; offices may not name another.
	var s enquiry.Enquiry
	ts.doJSON(t, "POST", "/api/v1/enquiries", enq, enquiryInput(ts, p, tether.RoleEnquiries), http.StatusCreated, &s)
	named := enquiryInput(ts, p, tether.RoleOrganisation)
	named["organisation_id"] = other.ID
	ts.wantError(t, "POST", "/api/v1/enquiries", office, named, http.StatusBadRequest, tether.EINVALID)
}

func TestAPIEnquiriesUnavailable(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	srv := New(Services{People: ts.db, Users: ts.db, Credentials: ts.db, Audit: ts.db, Ready: ts.db.Ping}, Config{}, ts.clock, nil)
	req := ts.newRequest(t, "GET", "/api/v1/enquiries", nil)
	req.Header.Set("Authorization", "Bearer "+ts.token(tether.RoleEnquiries))
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotFound {
		t.Errorf("without the service: %d", rec.Code)
	}
}

// TestEnquiryRoleBodies checks that the role table's requests to the
// enquiries routes do their work for every role the route allows, so that
// the table tests the handlers and not only the refusals.
func TestEnquiryRoleBodies(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newRoleFixture(t, ts)
	n := 0
	for _, rt := range ts.srv.routes {
		if !strings.Contains(rt.Pattern, "/enquir") {
			continue
		}
		for _, role := range rt.Roles {
			n++
			resp, body := f.roleRequest(t, rt, role)
			// A page's change answers with a redirect back to the enquiry.
			done := !rt.API && resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/enquiries/")
			if resp.StatusCode >= 300 && !done {
				t.Errorf("%s %s as %s: status %d; body: %.300s", rt.Method, rt.Pattern, role, resp.StatusCode, body)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d requests: are the routes in the table?", n)
	}
}
