package web

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/calendar"
	"tether/enquiry"
)

// enquiryPageID raises a fresh enquiry about the role fixture's person as
// the organisation's user and moves it to where the page's action applies,
// with the role's user as its caseworker: received for triage, triaged
// for assign, assigned for start and the replies, answered for close and
// reopen.
func (f *roleFixture) enquiryPageID(t *testing.T, path string, role tether.Role) int64 {
	t.Helper()
	db := f.ts.db
	orgCtx := tether.NewContextWithActor(context.Background(), tether.ActorOf(f.ts.user(tether.RoleOrganisation)))
	e, err := db.CreateEnquiry(orgCtx, &enquiry.Input{Subject: enquiry.Subject{Ref: f.person.Ref}, Question: "When will the claim be decided?",
		Category: enquiry.CategoryAsylumClaim, Urgency: enquiry.UrgencyRoutine,
		Authority: enquiry.Authority{Basis: enquiry.BasisRecordedRepresentative}, AcknowledgeDuplicates: true})
	if err != nil {
		t.Fatal(err)
	}
	if role != tether.RoleAdmin && role != tether.RoleEnquiries {
		return e.ID
	}
	u := f.ts.user(role)
	ctx := tether.NewContextWithActor(context.Background(), tether.ActorOf(u))
	var steps []enquiry.TransitionInput
	switch {
	case strings.HasSuffix(path, "/triage"):
	case strings.HasSuffix(path, "/assign"):
		steps = []enquiry.TransitionInput{{Action: enquiry.ActionTriage}}
	default:
		steps = []enquiry.TransitionInput{{Action: enquiry.ActionTriage}, {Action: enquiry.ActionAssign, Assignee: &u.ID}}
	}
	for _, in := range steps {
		if _, err := db.TransitionEnquiry(ctx, e.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	if strings.HasSuffix(path, "/close") || strings.HasSuffix(path, "/reopen") {
		if _, err := db.AnswerEnquiry(ctx, e.ID, enquiry.ReplyInput{TemplateKey: "enquiry-reply-email",
			Personalisation: map[string]string{"reply": "We have decided the claim."}}); err != nil {
			t.Fatal(err)
		}
	}
	return e.ID
}

// enquiryPageForm is a valid form for an enquiry page's change.
func (f *roleFixture) enquiryPageForm(rt route, role tether.Role) (url.Values, bool) {
	switch rt.Method + " " + rt.Pattern {
	case "POST /enquiries":
		v := url.Values{"subject_ref": {f.person.Ref}, "question": {"When will the asylum claim be decided?"},
			"category": {"asylum_claim"}, "urgency": {"routine"}, "basis": {"recorded_representative"}, "acknowledge_duplicates": {"yes"}}
		if role != tether.RoleOrganisation {
			v.Set("organisation_id", strconv.FormatInt(f.ts.org.ID, 10))
		}
		return v, true
	case "POST /enquiries/{id}/triage", "POST /enquiries/{id}/start", "POST /enquiries/{id}/close":
		return url.Values{}, true
	case "POST /enquiries/{id}/assign":
		return url.Values{"assignee": {strconv.FormatInt(f.ts.user(tether.RoleEnquiries).ID, 10)}}, true
	case "POST /enquiries/{id}/reopen":
		return url.Values{"reopen-note": {"The office wrote back."}}, true
	case "POST /enquiries/{id}/notes":
		return url.Values{"note-text": {"Called the asylum team."}}, true
	case "POST /enquiries/{id}/holding-reply":
		return url.Values{"reason": {"awaiting_checks"}, "outstanding": {"An identity check"}, "from": {"police"},
			"new_date-day": {"20"}, "new_date-month": {"4"}, "new_date-year": {"2026"}, "template_key": {"enquiry-reply-email"},
			"action": {"send"}}, true
	case "POST /enquiries/{id}/reply":
		return url.Values{"template_key": {"enquiry-reply-email"}, "p-reply": {"We have decided the claim."}, "action": {"send"}}, true
	}
	return nil, false
}

// enquiryPagePost posts a page form as a browser on this site does.
func enquiryPagePost(t *testing.T, ts *testServer, c *http.Client, path string, v url.Values) (*http.Response, string) {
	return lapsePost(t, ts, c, path, v)
}

var enquiryLinkRE = regexp.MustCompile(`^/enquiries/(\d+)\?done=`)

// TestEnquiryPages goes through an enquiry's life on the pages: the office
// raises it (refused with the fields named, then warned of a likely
// duplicate), the team triages, assigns, notes, sends a holding reply and
// the answer (refused below the clarity bar first) and closes it; the
// office sees its status, the holding reply and the answer but not the
// note; another office gets 404; the lists, CSV exports and the report.
func TestEnquiryPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := ts.ctx()
	if _, err := ts.db.SeedTemplates(ctx); err != nil {
		t.Fatal(err)
	}
	p := ts.createPerson(t, &tether.Person{FamilyName: "Karimi", GivenNames: "Amir",
		DateOfBirth:    tether.PartialDate{Year: 1985, Month: 11, Day: 20},
		Representative: &tether.Representative{Organisation: ts.org.Name, OrganisationID: &ts.org.ID, Instructed: true}})
	office := ts.signIn(t, tether.RoleOrganisation)
	count := func() int {
		_, n, err := ts.db.FindEnquiries(ctx, enquiry.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	// The form; a refusal names the fields and raises nothing.
	resp, body := lapseGet(t, ts, office, "/enquiries/new")
	if resp.StatusCode != 200 || !strings.Contains(body, "Raise an enquiry") || strings.Contains(body, `name="organisation_id"`) ||
		!strings.Contains(body, "Representative on the department") {
		t.Fatalf("form: %d\n%.400s", resp.StatusCode, body)
	}
	resp, body = enquiryPagePost(t, ts, office, "/enquiries", url.Values{"question": {"When?"}, "category": {"asylum_claim"},
		"urgency": {"urgent"}, "basis": {"letter_of_authority"}, "dob-day": {"31"}, "dob-month": {"2"}, "dob-year": {"1985"}})
	for _, want := range []string{"govuk-error-summary", `href="#dob-day"`, `href="#question"`, `href="#urgency_reason"`, `href="#given_on-day"`} {
		if resp.StatusCode != 400 || !strings.Contains(body, want) {
			t.Fatalf("refused form: %d, want %s\n%s", resp.StatusCode, want, body)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("a refused form raised %d enquiries", n)
	}

	// Raised: its page says where it stands and why it is due when it is.
	raise := url.Values{"subject_ref": {p.Ref}, "family_name": {"Karimi"}, "given_names": {"Amir"}, "question": {"When will the asylum claim be decided?"}, "category": {"asylum_claim"},
		"urgency": {"routine"}, "basis": {"recorded_representative"}}
	resp, _ = enquiryPagePost(t, ts, office, "/enquiries", raise)
	m := enquiryLinkRE.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("raise: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	page := "/enquiries/" + m[1]
	e, err := ts.db.FindEnquiryByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	_, body = lapseGet(t, ts, office, page+"?done=raised")
	for _, want := range []string{"your reference is " + e.Ref, "30 March 2026", "How this date was worked out",
		"Received Monday 2 March 2026 (not counted)", "Received"} {
		if !strings.Contains(body, want) {
			t.Errorf("office's enquiry page lacks %q", want)
		}
	}
	if strings.Contains(body, "Internal notes") || strings.Contains(body, "Check and route it") {
		t.Errorf("the office sees the department's part of the page")
	}

	// The same again: a warning with a link, not a block.
	resp, body = enquiryPagePost(t, ts, office, "/enquiries", raise)
	if resp.StatusCode != 200 || !strings.Contains(body, "You may have asked this already") ||
		!strings.Contains(body, `href="`+page+`"`) || !strings.Contains(body, `name="acknowledge_duplicates" value="yes"`) {
		t.Fatalf("duplicate: %d\n%s", resp.StatusCode, body)
	}
	if n := count(); n != 1 {
		t.Fatalf("a likely duplicate was raised without asking: %d", n)
	}
	raise.Set("acknowledge_duplicates", "yes")
	if resp, _ = enquiryPagePost(t, ts, office, "/enquiries", raise); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sent anyway: %d", resp.StatusCode)
	}

	// The office's list and its export.
	_, body = lapseGet(t, ts, office, "/enquiries")
	if !strings.Contains(body, e.Ref) || !strings.Contains(body, "2 enquiries") || strings.Contains(body, ">Caseworker<") {
		t.Errorf("office's list:\n%s", body)
	}
	resp, body = lapseGet(t, ts, office, "/enquiries/export.csv?state=open&urgency=routine")
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || err != nil || len(records) != 3 ||
		records[0][0] != "reference" || len(records[0]) != 11 || records[1][5] != "received" {
		t.Fatalf("export: %d %v %v", resp.StatusCode, records, err)
	}

	// Another office: not found, and nothing in its list.
	other := &tether.Organisation{Name: "Office of Ben Other MP", Kind: tether.OrgMPOffice, Division: calendar.Scotland}
	if err := ts.db.CreateOrganisation(ctx, other); err != nil {
		t.Fatal(err)
	}
	ou := &tether.User{Email: "office@other.example.org", Name: "Other Office", Role: tether.RoleOrganisation, OrganisationID: &other.ID}
	if err := ts.db.CreateUser(ctx, ou, testPassword); err != nil {
		t.Fatal(err)
	}
	otherClient := signInAs(t, ts, ou.Email)
	if resp, _ := lapseGet(t, ts, otherClient, page); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another office reads it: %d", resp.StatusCode)
	}
	if _, body := lapseGet(t, ts, otherClient, "/enquiries"); strings.Contains(body, e.Ref) {
		t.Errorf("another office lists it")
	}

	// The team: triage (a bad reference first), assign, start, a note.
	staff := ts.signIn(t, tether.RoleEnquiries)
	enqUser := ts.user(tether.RoleEnquiries)
	_, body = lapseGet(t, ts, staff, "/enquiries/triage")
	if !strings.Contains(body, e.Ref) || !strings.Contains(body, "Waiting to be checked (2)") {
		t.Errorf("triage:\n%s", body)
	}
	resp, body = enquiryPagePost(t, ts, staff, page+"/triage", url.Values{"person_ref": {"TH-00000000A"}, "version": {"1"}})
	if resp.StatusCode != 400 || !strings.Contains(body, `href="#person_ref"`) {
		t.Fatalf("triage with a wrong reference: %d\n%s", resp.StatusCode, body)
	}
	for _, step := range []struct {
		action string
		form   url.Values
	}{
		{"triage", url.Values{"category": {"asylum_claim"}, "triage-team": {"asylum"}, "triage-note": {"Checked the consent."}}},
		{"assign", url.Values{"assignee": {strconv.FormatInt(enqUser.ID, 10)}}},
		{"start", url.Values{}},
		{"notes", url.Values{"note-text": {"Internal: the decision is drafted."}}},
	} {
		resp, body := enquiryPagePost(t, ts, staff, page+"/"+step.action, step.form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", step.action, resp.StatusCode, body)
		}
	}
	// Triage a second time: the workflow says no, at the top of the page.
	resp, body = enquiryPagePost(t, ts, staff, page+"/triage", url.Values{})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "already been triaged") {
		t.Errorf("triage again: %d", resp.StatusCode)
	}

	// A holding reply: "complex" is refused; checked, then sent.
	holding := url.Values{"reason": {"awaiting_information"}, "outstanding": {"complex"}, "from": {"representative"},
		"new_date-day": {"17"}, "new_date-month": {"4"}, "new_date-year": {"2026"}, "template_key": {"enquiry-reply-email"}, "action": {"send"}}
	resp, body = enquiryPagePost(t, ts, staff, page+"/holding-reply", holding)
	if resp.StatusCode != 400 || !strings.Contains(body, `href="#outstanding"`) || !strings.Contains(body, "is not a reason on its own") {
		t.Fatalf("vague holding reply: %d\n%s", resp.StatusCode, body)
	}
	holding.Set("outstanding", "A medical report")
	holding.Set("action", "preview")
	resp, body = enquiryPagePost(t, ts, staff, page+"/holding-reply", holding)
	if resp.StatusCode != 200 || !strings.Contains(body, "Check the reply") || !strings.Contains(body, "We still need a medical report. It will come from the person") {
		t.Fatalf("holding preview: %d\n%s", resp.StatusCode, body)
	}
	holding.Set("action", "send")
	if resp, body = enquiryPagePost(t, ts, staff, page+"/holding-reply", holding); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("holding: %d\n%s", resp.StatusCode, body)
	}

	// The answer: below the clarity bar first, refused by the field.
	answer := url.Values{"template_key": {"enquiry-reply-email"}, "action": {"send"}, "p-reply": {"Notwithstanding the aforementioned " +
		"considerations pertaining to the jurisdictional determination of the applicant's circumstances, substantive adjudication " +
		"necessitates comprehensive evaluation of documentation incorporating multidisciplinary institutional recommendations " +
		"notwithstanding administrative prioritisation methodologies implemented organisationally."}}
	resp, body = enquiryPagePost(t, ts, staff, page+"/reply", answer)
	if resp.StatusCode != 400 || !strings.Contains(body, `href="#p-reply"`) || !strings.Contains(body, "clarity bar") {
		t.Fatalf("unclear answer: %d\n%s", resp.StatusCode, body)
	}
	answer.Set("p-reply", "We made a decision on the claim today. We sent it to your client by post.")
	if resp, body = enquiryPagePost(t, ts, staff, page+"/reply", answer); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d\n%s", resp.StatusCode, body)
	}
	_, body = lapseGet(t, ts, staff, page+"?done=answer")
	for _, want := range []string{"Answer sent", "Internal: the decision is drafted.", "Replies sent", "SHA-256", "Close the enquiry"} {
		if !strings.Contains(body, want) {
			t.Errorf("staff's enquiry page lacks %q", want)
		}
	}
	if resp, _ := enquiryPagePost(t, ts, staff, page+"/close", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", resp.StatusCode)
	}

	// What the office sees now: the holding reply and the answer, never
	// the note nor who in the department did what.
	_, body = lapseGet(t, ts, office, page)
	for _, want := range []string{"Holding reply", "17 April 2026", "A medical report", "We made a decision on the claim today.", "Closed"} {
		if !strings.Contains(body, want) {
			t.Errorf("office's enquiry page lacks %q", want)
		}
	}
	if strings.Contains(body, "decision is drafted") || strings.Contains(body, enqUser.Name) {
		t.Errorf("the office sees the note or the caseworker:\n%s", body)
	}

	// The figures, as a page and CSV; inspectors read only those.
	resp, body = lapseGet(t, ts, staff, "/enquiries/report?from=2026-01&to=2026-03")
	if resp.StatusCode != 200 || !strings.Contains(body, "Enquiries performance") || !strings.Contains(body, "By month received") ||
		!strings.Contains(body, "March 2026") {
		t.Fatalf("report: %d\n%s", resp.StatusCode, body)
	}
	resp, body = lapseGet(t, ts, staff, "/enquiries/report?from=2026-13")
	if resp.StatusCode != 400 || !strings.Contains(body, `href="#from"`) {
		t.Errorf("report with a bad month: %d", resp.StatusCode)
	}
	resp, body = lapseGet(t, ts, staff, "/enquiries/report.csv?from=2026-01&to=2026-03")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, strings.Join(enquiry.CSVHeader, ",")) {
		t.Errorf("report csv: %d %.200s", resp.StatusCode, body)
	}
	inspector := ts.signIn(t, tether.RoleInspector)
	if resp, body := lapseGet(t, ts, inspector, "/enquiries/report"); resp.StatusCode != 200 || !strings.Contains(body, "Enquiry figures") {
		t.Errorf("inspector's report: %d", resp.StatusCode)
	}
	if resp, _ := lapseGet(t, ts, inspector, page); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an inspector reads an enquiry: %d", resp.StatusCode)
	}
	// The staff's export has the department's columns.
	_, body = lapseGet(t, ts, staff, "/enquiries/export.csv?state=closed")
	if records, err := csv.NewReader(strings.NewReader(body)).ReadAll(); err != nil || len(records) != 2 || len(records[0]) != 15 ||
		records[1][12] != p.Ref {
		t.Errorf("staff export: %v %v", records, err)
	}
}

// signInAs signs in the user with the email, as signIn does for a role.
func signInAs(t *testing.T, ts *testServer, email string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Transport: ts.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, body := lapsePost(t, ts, c, "/sign-in", url.Values{"email": {email}, "password": {testPassword}, "next": {"/enquiries"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d %s", email, resp.StatusCode, body)
	}
	return c
}

// Golden pages over fixed data.

// enquiryUsers are the golden pages' enquiries caseworker and office user.
var enquiryUsers = map[string]*tether.User{
	"enquiries": {ID: 4, Email: "eve@example.org", Name: "Eve Enquiries", Role: tether.RoleEnquiries},
	"office":    {ID: 6, Email: "caseworker@jo-example-mp.example.org", Name: "Olu Office", Role: tether.RoleOrganisation, OrganisationID: fakePtr(int64(7))},
}

// enquiryPageUsers adds the enquiries caseworker and the office's user to
// the golden pages' users.
type enquiryPageUsers struct{ *pageFake }

func (f enquiryPageUsers) SessionUser(ctx context.Context, token string) (*tether.User, *tether.Session, error) {
	if u, ok := enquiryUsers[token]; ok {
		return u, &tether.Session{UserID: u.ID, ExpiresAt: goldenNow.Add(time.Hour)}, nil
	}
	return f.pageFake.SessionUser(ctx, token)
}

var fakeOrgs = []*tether.Organisation{
	{ID: 7, Name: "Office of Jo Example MP", Kind: tether.OrgMPOffice, Constituency: "Exampleton", Division: calendar.EnglandAndWales,
		ReplyAddress: []string{"Jo Example MP", "House of Commons", "London", "SW1A 0AA"}},
	{ID: 8, Name: "Camden Law Centre", Kind: tether.OrgLawFirm, Division: calendar.EnglandAndWales},
}

func (f enquiryPageUsers) FindOrganisations(ctx context.Context) ([]*tether.Organisation, error) {
	a, _ := tether.ActorFromContext(ctx)
	if a.Role == tether.RoleOrganisation {
		return fakeOrgs[:1], nil
	}
	return fakeOrgs, nil
}

func (f enquiryPageUsers) FindOrganisationByID(ctx context.Context, id int64) (*tether.Organisation, error) {
	for _, o := range fakeOrgs {
		if o.ID == id {
			return o, nil
		}
	}
	return nil, tether.Errorf(tether.ENOTFOUND, "Organisation not found.")
}

// enquiryTasks names the enquiries caseworkers.
type enquiryTasks struct{ *tasksFake }

func (f enquiryTasks) TaskAssignees(ctx context.Context, queue string) ([]*tether.User, error) {
	return []*tether.User{{ID: 2, Name: "Ada Admin", Role: tether.RoleAdmin}, enquiryUsers["enquiries"],
		{ID: 9, Name: "Ravi Enquiries", Role: tether.RoleEnquiries}}, nil
}

// enquiryFake is the enquiries the golden pages show: one in progress with
// a holding reply, an urgent one answered, one overdue, and one not
// matched, waiting for triage.
type enquiryFake struct {
	enquiries map[int64]*enquiry.Enquiry
	replies   map[int64][]*enquiry.Reply
	notes     map[int64][]*enquiry.Note
	events    map[int64][]*enquiry.Event
}

func newEnquiryFake() *enquiryFake {
	eve, four := int64(4), int64(4)
	person, task := int64(1), int64(12)
	within, one := true, 1
	base := func(id int64, ref string) enquiry.Enquiry {
		return enquiry.Enquiry{ID: id, Ref: ref, OrganisationID: 7, OrganisationName: "Office of Jo Example MP", RaisedBy: fakePtr(int64(6)),
			RaisedByName: "Olu Office", Division: calendar.EnglandAndWales, StandardDays: 20, Version: 4,
			Authority: enquiry.Authority{Basis: enquiry.BasisWrittenConsent, GivenOn: "2026-01-28"},
			CreatedAt: fakeAt("2026-02-02T10:00:00Z"), UpdatedAt: fakeAt("2026-02-26T15:00:00Z")}
	}
	e41 := base(41, "ENQ-7K2M9-QXA4T")
	e41.Subject = enquiry.Subject{Ref: "TH-04817263K", FamilyName: "Yusuf", GivenNames: "Amina"}
	e41.Question = "My constituent claimed asylum in June 2025 and has heard nothing since her interview.\nWhen will a decision be made?"
	e41.Category, e41.Urgency, e41.ReceivedOn, e41.StandardDueOn, e41.DueOn = enquiry.CategoryAsylumClaim, enquiry.UrgencyRoutine, "2026-02-02", "2026-03-02", "2026-03-20"
	e41.DueExplanation = "A routine enquiry is answered within 20 working days. Received Monday 2 February 2026 (not counted). Working days 1 to 20: Tuesday 3 February 2026 to Monday 2 March 2026: due. A holding reply sent on Thursday 26 February 2026 committed to an answer by Friday 20 March 2026."
	e41.State, e41.Holdings = enquiry.StateInProgress, 1
	e41.Holding = &enquiry.Holding{Reason: enquiry.ReasonAwaitingInformation, ReasonText: enquiry.ReasonWords(enquiry.ReasonAwaitingInformation),
		Outstanding: "A medical report", From: enquiry.FromRepresentative, FromText: enquiry.FromWords(enquiry.FromRepresentative),
		NewDate: "2026-03-20", PreviousDueOn: "2026-03-02", SentOn: "2026-02-26"}
	e41.PersonID, e41.PersonRef, e41.Match, e41.Team, e41.Assignee, e41.AssigneeName, e41.TaskID =
		&person, "TH-04817263K", enquiry.MatchReference, "asylum", &eve, "Eve Enquiries", &task
	e41.WarnedAt = fakeAtp("2026-02-25T06:00:00Z")

	e42 := base(42, "ENQ-3PQRS-TUVWX")
	e42.Subject = enquiry.Subject{Ref: "TH-00000017A"}
	e42.Question = "My constituent was detained this morning at his reporting event. His wife is due to give birth this week."
	e42.Category, e42.Urgency, e42.UrgencyReason = enquiry.CategoryDetention, enquiry.UrgencyUrgent, "His wife is due to give birth this week."
	e42.ReceivedOn, e42.StandardDays, e42.StandardDueOn, e42.DueOn = "2026-02-26", 2, "2026-03-02", "2026-03-02"
	e42.State, e42.AnsweredOn, e42.WorkingDaysTaken, e42.WithinStandard, e42.LateBand = enquiry.StateAnswered, "2026-02-27", &one, &within, enquiry.BandWithin
	e42.PersonID, e42.PersonRef, e42.Match, e42.Team, e42.Assignee, e42.AssigneeName = fakePtr(int64(2)), "TH-00000017A", enquiry.MatchReference,
		"detention", &four, "Eve Enquiries"

	e43 := base(43, "ENQ-9ABCD-EFGHJ")
	e43.Subject = enquiry.Subject{Ref: "TH-00000025B", FamilyName: "Tesfaye", GivenNames: "Dawit"}
	e43.Question = "My constituent's asylum support payments stopped in December. Why?"
	e43.Category, e43.Urgency, e43.ReceivedOn, e43.StandardDueOn, e43.DueOn = enquiry.CategorySupport, enquiry.UrgencyRoutine, "2026-01-05", "2026-02-02", "2026-02-02"
	e43.State, e43.Team, e43.Assignee, e43.AssigneeName = enquiry.StateAssigned, "contact", fakePtr(int64(9)), "Ravi Enquiries"
	e43.PersonID, e43.PersonRef, e43.Match = fakePtr(int64(3)), "TH-00000025B", enquiry.MatchReference
	e43.BreachedAt = fakeAtp("2026-02-03T06:00:00Z")

	e44 := base(44, "ENQ-LMNPQ-RSTUV")
	e44.Subject = enquiry.Subject{FamilyName: "Haile", GivenNames: "Selam", DateOfBirth: "1985-03-14"}
	e44.Question = "My constituent's father has died in Eritrea. She needs her travel document back to go to the funeral."
	e44.Category, e44.Urgency, e44.UrgencyReason = enquiry.CategoryDocuments, enquiry.UrgencyCompassionate, "The funeral is on 9 March."
	e44.ReceivedOn, e44.StandardDays, e44.StandardDueOn, e44.DueOn = "2026-02-27", 2, "2026-03-03", "2026-03-03"
	e44.State, e44.Team, e44.Match, e44.MatchNote, e44.Version = enquiry.StateReceived, "asylum", enquiry.MatchNone,
		"no person with a close name has the date of birth given", 1

	holding := &enquiry.Reply{ID: 7, EnquiryID: 41, Kind: enquiry.ReplyHolding, TemplateKey: "enquiry-reply-email", TemplateVersion: 1,
		Language: "en", Channel: "email", SentTo: []string{"caseworker@jo-example-mp.example.org"},
		Subject: "Your enquiry about Amina Yusuf, reference ENQ-7K2M9-QXA4T",
		Content: "Dear Office of Jo Example MP\n\nThank you for your email of Monday 2 February 2026 about your constituent, Amina Yusuf.\n\n" +
			"We cannot answer your enquiry yet. We are waiting for information: a medical report, from the person's legal representative. " +
			"We will answer by Friday 20 March 2026.\n\nKind regards\n\nAsylum casework enquiries",
		ContentSHA256: "9f2c0d1e4b7a5c3e8d6f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d", SentAt: fakeAt("2026-02-26T15:00:00Z"),
		SentOn: "2026-02-26", SentBy: "user:4", SentByName: "Eve Enquiries", Holding: e41.Holding, ReadingEase: 71.2, Grade: 6.4, PassesBar: true,
		Delivery: &enquiry.Delivery{Via: tether.SendNotifyEmail, Ref: "R-3KQ7ZC2M5T8VXYB4N6PA", State: enquiry.DeliverySent, Attempts: 1,
			ProviderID: "740e5834-3a29-46b4-9a6f-16142fde533a", SentAt: fakeAtp("2026-02-26T15:00:04Z")}}
	answer := &enquiry.Reply{ID: 8, EnquiryID: 42, Kind: enquiry.ReplyAnswer, TemplateKey: "enquiry-reply-email", TemplateVersion: 1,
		Language: "en", Channel: "email", SentTo: []string{"caseworker@jo-example-mp.example.org"},
		Subject:       "Your enquiry about the person with reference TH-00000017A, reference ENQ-3PQRS-TUVWX",
		Content:       "Dear Office of Jo Example MP\n\nYour constituent was released this afternoon. He will report again on Monday.",
		ContentSHA256: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b", SentAt: fakeAt("2026-02-27T16:00:00Z"),
		SentOn: "2026-02-27", SentBy: "user:4", SentByName: "Eve Enquiries", ReadingEase: 78.5, Grade: 5.1, PassesBar: true,
		Delivery: &enquiry.Delivery{Via: tether.SendNotifyEmail, Ref: "R-9DW2HJ4LQ6RS8TU3VX5Y", State: enquiry.DeliveryQueued, Attempts: 2,
			LastError: "GOV.UK Notify did not answer (503)"}}
	e42.Answer = answer
	at := fakeAt
	return &enquiryFake{
		enquiries: map[int64]*enquiry.Enquiry{41: &e41, 42: &e42, 43: &e43, 44: &e44},
		replies:   map[int64][]*enquiry.Reply{41: {holding}, 42: {answer}},
		notes: map[int64][]*enquiry.Note{41: {{ID: 3, EnquiryID: 41, At: at("2026-02-25T11:00:00Z"), Actor: "user:4", ActorName: "Eve Enquiries",
			Text: "Asked the representative for the medical report by phone."}}},
		events: map[int64][]*enquiry.Event{41: {
			{ID: 1, EnquiryID: 41, At: at("2026-02-02T10:00:00Z"), Actor: "user:6", ActorName: "Olu Office", Action: enquiry.EventReceived, To: "received", Note: "raised by the office"},
			{ID: 2, EnquiryID: 41, At: at("2026-02-02T10:00:00Z"), Actor: "user:6", ActorName: "Olu Office", Action: enquiry.EventMatched, To: "TH-04817263K", Note: "matched by reference"},
			{ID: 3, EnquiryID: 41, At: at("2026-02-03T09:30:00Z"), Actor: "user:4", ActorName: "Eve Enquiries", Action: enquiry.EventTriaged, From: "received", To: "triaged"},
			{ID: 4, EnquiryID: 41, At: at("2026-02-03T09:31:00Z"), Actor: "user:2", ActorName: "Ada Admin", Action: enquiry.EventAssigned, To: "user:4"},
			{ID: 5, EnquiryID: 41, At: at("2026-02-04T10:00:00Z"), Actor: "user:4", ActorName: "Eve Enquiries", Action: enquiry.EventStarted, From: "assigned", To: "in_progress"},
			{ID: 6, EnquiryID: 41, At: at("2026-02-25T06:00:00Z"), Actor: "system:sweep", Action: enquiry.EventWarning, Note: "due Monday 2 March 2026"},
			{ID: 7, EnquiryID: 41, At: at("2026-02-26T15:00:00Z"), Actor: "user:4", ActorName: "Eve Enquiries", Action: enquiry.EventHoldingReply,
				From: "2026-03-02", To: "2026-03-20", Note: "We are waiting for information: a medical report, from the person's legal representative. We will answer by Friday 20 March 2026."},
		}},
	}
}

func (f *enquiryFake) view(ctx context.Context, e *enquiry.Enquiry) *enquiry.Enquiry {
	if a, _ := tether.ActorFromContext(ctx); a.Role == tether.RoleOrganisation {
		return e.ForOffice()
	}
	return e
}

func (f *enquiryFake) FindEnquiries(ctx context.Context, flt enquiry.Filter) ([]*enquiry.Enquiry, int, error) {
	var out []*enquiry.Enquiry
	for _, id := range []int64{43, 42, 44, 41} { // by due date
		e := f.enquiries[id]
		switch {
		case flt.State == enquiry.StateOpen && !e.Open(), flt.State != "" && flt.State != enquiry.StateOpen && e.State != flt.State,
			flt.Unmatched && (e.PersonID != nil || !e.Open()), flt.DueBefore != "" && e.DueOn >= flt.DueBefore:
			continue
		}
		out = append(out, f.view(ctx, e))
	}
	return out, len(out), nil
}

func (f *enquiryFake) EnquiryDetail(ctx context.Context, id int64) (*enquiry.Detail, error) {
	e, ok := f.enquiries[id]
	if !ok {
		return nil, tether.Errorf(tether.ENOTFOUND, "Enquiry not found.")
	}
	d := &enquiry.Detail{Enquiry: f.view(ctx, e), Replies: f.replies[id], Notes: f.notes[id]}
	if a, _ := tether.ActorFromContext(ctx); a.Role == tether.RoleOrganisation {
		d.Notes = nil
		d.Replies = nil
		for _, r := range f.replies[id] {
			d.Replies = append(d.Replies, r.ForOffice())
		}
	}
	return d, nil
}

func (f *enquiryFake) EnquiryEvents(ctx context.Context, id int64) ([]*enquiry.Event, error) {
	a, _ := tether.ActorFromContext(ctx)
	var out []*enquiry.Event
	for _, e := range f.events[id] {
		if a.Role == tether.RoleOrganisation {
			if !enquiry.OfficeSees(e.Action) {
				continue
			}
			e = e.ForOffice()
		}
		out = append(out, e)
	}
	return out, nil
}

func (f *enquiryFake) CreateEnquiry(ctx context.Context, in *enquiry.Input) (*enquiry.Enquiry, error) {
	if err := in.Validate(tether.OrgMPOffice, calendar.FromTime(goldenNow, nil)); err != nil {
		return nil, err
	}
	if in.Subject.Ref == "TH-04817263K" && !in.AcknowledgeDuplicates {
		return nil, &tether.Error{Code: tether.ECONFLICT, Message: "You may already have asked this.",
			Fields: map[string]string{"acknowledge_duplicates": "you have an open enquiry that may be the same"}}
	}
	return f.enquiries[41], nil
}

func (f *enquiryFake) EnquiryDuplicates(ctx context.Context, in *enquiry.Input) ([]*enquiry.Duplicate, error) {
	if err := in.Validate(tether.OrgMPOffice, calendar.FromTime(goldenNow, nil)); err != nil {
		return nil, err
	}
	if in.Subject.Ref == "TH-04817263K" {
		return []*enquiry.Duplicate{{ID: 41, Ref: "ENQ-7K2M9-QXA4T", ReceivedOn: "2026-02-02", DueOn: "2026-03-20",
			State: enquiry.StateInProgress, Category: enquiry.CategoryAsylumClaim, Why: "the same person"}}, nil
	}
	return nil, nil
}

func (f *enquiryFake) TransitionEnquiry(ctx context.Context, id int64, in enquiry.TransitionInput) (*enquiry.Enquiry, error) {
	e, ok := f.enquiries[id]
	if !ok {
		return nil, tether.Errorf(tether.ENOTFOUND, "Enquiry not found.")
	}
	if err := in.Validate(enquiry.DefaultStandards()); err != nil {
		return nil, err
	}
	if _, err := enquiry.Next(e.State, in.Action); err != nil {
		return nil, err
	}
	return e, nil
}

func (f *enquiryFake) SendHoldingReply(ctx context.Context, id int64, in enquiry.HoldingReplyInput) (*enquiry.Enquiry, error) {
	if _, err := f.PreviewEnquiryReply(ctx, id, in.ReplyInput, &in.HoldingInput); err != nil {
		return nil, err
	}
	return f.enquiries[id], nil
}

func (f *enquiryFake) AnswerEnquiry(ctx context.Context, id int64, in enquiry.ReplyInput) (*enquiry.Enquiry, error) {
	if _, err := f.PreviewEnquiryReply(ctx, id, in, nil); err != nil {
		return nil, err
	}
	return f.enquiries[id], nil
}

// PreviewEnquiryReply checks the reply as the store does, with a fixed
// text: long words fail the clarity bar.
func (f *enquiryFake) PreviewEnquiryReply(ctx context.Context, id int64, in enquiry.ReplyInput, h *enquiry.HoldingInput) (*enquiry.Reply, error) {
	e, ok := f.enquiries[id]
	if !ok {
		return nil, tether.Errorf(tether.ENOTFOUND, "Enquiry not found.")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if h != nil {
		due, _ := calendar.ParseDate(e.DueOn)
		if _, err := enquiry.ValidateHolding(h, calendar.FromTime(goldenNow, nil), due); err != nil {
			return nil, err
		}
	}
	text := in.Personalisation["reply"]
	if strings.Contains(text, "aforementioned") {
		return nil, tether.Invalid("personalisation.reply", "the reply as it would be sent does not meet the clarity bar: "+
			"A sentence has 43 words. Shorten the sentences and use plainer words.")
	}
	return &enquiry.Reply{EnquiryID: id, TemplateKey: in.TemplateKey, Channel: "email", SentTo: []string{"caseworker@jo-example-mp.example.org"},
		Subject: "Your enquiry about Amina Yusuf, reference " + e.Ref, Content: "Dear Office of Jo Example MP\n\n" + text,
		ReadingEase: 74.3, Grade: 5.9, PassesBar: true}, nil
}

func (f *enquiryFake) AddEnquiryNote(ctx context.Context, id int64, text string) (*enquiry.Note, error) {
	if strings.TrimSpace(text) == "" {
		return nil, tether.Invalid("text", "enter the note")
	}
	return &enquiry.Note{ID: 4, EnquiryID: id, Text: text}, nil
}

func (f *enquiryFake) EnquiryReport(ctx context.Context, flt enquiry.ReportFilter) (*enquiry.Report, error) {
	if err := flt.Validate("2026-03-02"); err != nil {
		return nil, err
	}
	b := enquiry.NewReportBuilder(flt, "2026-03-02")
	b.AddReceived("2026-01", "asylum", enquiry.CategoryAsylumClaim, enquiry.UrgencyRoutine, enquiry.BandWithin, 31)
	b.AddReceived("2026-01", "asylum", enquiry.CategoryAsylumClaim, enquiry.UrgencyRoutine, enquiry.Band20To30, 4)
	b.AddReceived("2026-01", "contact", enquiry.CategorySupport, enquiry.UrgencyRoutine, enquiry.BandOver50, 1)
	b.AddReceived("2026-01", "contact", enquiry.CategorySupport, enquiry.UrgencyRoutine, "", 1)
	b.AddOpen("2026-01", "contact", enquiry.CategorySupport, enquiry.UrgencyRoutine, 39, true, 1)
	b.AddReceived("2026-02", "detention", enquiry.CategoryDetention, enquiry.UrgencyUrgent, enquiry.BandWithin, 6)
	b.AddReceived("2026-02", "detention", enquiry.CategoryDetention, enquiry.UrgencyUrgent, enquiry.BandUpTo20, 1)
	b.AddReceived("2026-02", "asylum", enquiry.CategoryAsylumClaim, enquiry.UrgencyRoutine, "", 28)
	b.AddOpen("2026-02", "asylum", enquiry.CategoryAsylumClaim, enquiry.UrgencyRoutine, 12, false, 28)
	r := b.Report()
	return &r, nil
}

func (f *enquiryFake) EnquiryTeams(ctx context.Context) ([]*enquiry.TeamInfo, error) {
	if a, _ := tether.ActorFromContext(ctx); a.Role != tether.RoleEnquiries && a.Role != tether.RoleAdmin {
		return nil, tether.Errorf(tether.EFORBIDDEN, "Only the enquiries team may do this.")
	}
	var out []*enquiry.TeamInfo
	for _, t := range enquiry.DefaultStandards().Teams {
		out = append(out, &enquiry.TeamInfo{Key: t.Key, Name: t.Name, Categories: t.Categories})
	}
	return out, nil
}

func (f *enquiryFake) SetEnquiryTeamLead(ctx context.Context, team string, userID *int64) error {
	return tether.Errorf(tether.EFORBIDDEN, "Not in the golden pages.")
}

// TestEnquiryPagesGolden renders the enquiry pages over fixed data,
// against testdata/golden.
func TestEnquiryPagesGolden(t *testing.T) {
	holding := url.Values{"version": {"4"}, "reason": {""}, "outstanding": {"It is complex"}, "from": {"police"},
		"new_date-day": {"1"}, "new_date-month": {"3"}, "new_date-year": {"2026"}, "template_key": {"enquiry-reply-email"}, "action": {"send"}}
	tests := []struct {
		name, method, path, user string
		form                     url.Values
		status                   int
	}{
		{name: "enquiries_office", method: "GET", path: "/enquiries", user: "office", status: 200},
		{name: "enquiries_staff", method: "GET", path: "/enquiries?state=open&overdue=yes&team=asylum", user: "enquiries", status: 200},
		{name: "enquiry_office", method: "GET", path: "/enquiries/41", user: "office", status: 200},
		{name: "enquiry_staff", method: "GET", path: "/enquiries/41?done=holding", user: "enquiries", status: 200},
		{name: "enquiry_received", method: "GET", path: "/enquiries/44", user: "enquiries", status: 200},
		{name: "enquiry_triage_errors", method: "POST", path: "/enquiries/44/triage", user: "enquiries", status: 400,
			form: url.Values{"version": {"1"}, "person_ref": {"TH-123"}, "category": {"documents"}, "triage-team": {"asylum"}}},
		{name: "enquiry_triage", method: "GET", path: "/enquiries/triage", user: "enquiries", status: 200},
		{name: "enquiry_new_office", method: "GET", path: "/enquiries/new", user: "office", status: 200},
		{name: "enquiry_new_staff", method: "GET", path: "/enquiries/new", user: "enquiries", status: 200},
		{name: "enquiry_new_errors", method: "POST", path: "/enquiries", user: "office", status: 400,
			form: url.Values{"family_name": {"Haile"}, "dob-day": {"31"}, "dob-month": {"2"}, "dob-year": {"1985"}, "question": {"When?"},
				"category": {"documents"}, "urgency": {"compassionate"}, "basis": {"written_consent"}}},
		{name: "enquiry_new_duplicate", method: "POST", path: "/enquiries", user: "office", status: 200,
			form: url.Values{"subject_ref": {"TH-04817263K"}, "question": {"Has my constituent's claim been decided yet?"},
				"category": {"asylum_claim"}, "urgency": {"routine"}, "basis": {"written_consent"},
				"given_on-day": {"20"}, "given_on-month": {"2"}, "given_on-year": {"2026"}}},
		{name: "enquiry_holding_errors", method: "POST", path: "/enquiries/41/holding-reply", user: "enquiries", status: 400, form: holding},
		{name: "enquiry_reply", method: "GET", path: "/enquiries/41/reply", user: "enquiries", status: 200},
		{name: "enquiry_reply_preview", method: "POST", path: "/enquiries/41/reply", user: "enquiries", status: 200,
			form: url.Values{"version": {"4"}, "template_key": {"enquiry-reply-email"}, "action": {"preview"},
				"p-reply": {"We have decided your constituent's claim. We sent her the decision today."}}},
		{name: "enquiry_reply_unclear", method: "POST", path: "/enquiries/41/reply", user: "enquiries", status: 400,
			form: url.Values{"version": {"4"}, "template_key": {"enquiry-reply-email"}, "action": {"send"},
				"p-reply": {"Notwithstanding the aforementioned considerations, adjudication necessitates evaluation."}}},
		{name: "enquiry_report", method: "GET", path: "/enquiries/report?from=2026-01&to=2026-03", user: "enquiries", status: 200},
		{name: "enquiry_report_inspector", method: "GET", path: "/enquiries/report?from=2026-01&to=2026-03", user: "inspector", status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pf := newPageFake()
			users := enquiryPageUsers{pf}
			cf := newCorrFake()
			cf.templates = append(cf.templates, &tether.Template{ID: 3, Key: "enquiry-reply-email", Title: "Reply to an MP's enquiry (email)",
				Kind: tether.KindEnquiryReply, Channel: tether.ChannelEmail,
				Placeholders: []string{"mp_name", "enquiry_date", "person_name", "reference", "reply", "consent", "help_phone", "team_name"},
				Versions:     []*tether.TemplateVersion{{ID: 9, TemplateID: 3, Number: 1, Language: "en", State: tether.TemplateStatePublished}}})
			srv := New(Services{People: pf, Contacts: pf, Users: users, Credentials: users, Correspondence: cf,
				Tasks: enquiryTasks{newTasksFake()}, Enquiries: newEnquiryFake()}, Config{}, tether.NewManualClock(goldenNow), nil)
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
