package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tether"
	"tether/auth"
	"tether/calendar"
	"tether/enquiry"
	"tether/reference"
)

// enqFixture is a database with two MP offices and a law firm, a user of
// each, the enquiries team (Eve and Kim, and Lee who leads the asylum
// team), an administrator, and three people: Selam, the law firm's client
// Amir, and Dawit, a client of another firm.
type enqFixture struct {
	db                          *DB
	clock                       *tether.ManualClock
	mp, otherMP, law            *tether.Organisation
	mpUser, otherMPUser, lawUsr *tether.User
	eve, kim, lee, ada, cw      *tether.User
	selam, amir, dawit          *tether.Person
}

// forEachEnquiryEngine runs f on each engine with a fresh fixture whose
// clock starts on Monday 2 March 2026 at 09:00.
func forEachEnquiryEngine(t *testing.T, f func(t *testing.T, fx *enqFixture)) {
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			clock := tether.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			f(t, newEnqFixture(t, MustOpenTestDB(t, engine, clock), clock))
		})
	}
}

func newEnqFixture(t *testing.T, db *DB, clock *tether.ManualClock) *enqFixture {
	t.Helper()
	fx := &enqFixture{db: db, clock: clock}
	org := func(name string, kind tether.OrganisationKind, div string) *tether.Organisation {
		o := &tether.Organisation{Name: name, Kind: kind, Division: div}
		if err := db.CreateOrganisation(adminCtx(), o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	fx.mp = org("Office of Ann Member MP", tether.OrgMPOffice, calendar.EnglandAndWales)
	fx.otherMP = org("Office of Ben Other MP", tether.OrgMPOffice, calendar.Scotland)
	fx.law = org("Camden Law Centre", tether.OrgLawFirm, calendar.EnglandAndWales)
	other := org("Other Solicitors", tether.OrgLawFirm, calendar.EnglandAndWales)
	user := func(name string, role tether.Role, o *tether.Organisation) *tether.User {
		email := strings.ToLower(strings.NewReplacer("'", "", " ", ".").Replace(name)) + "@example.org"
		u := &tether.User{Email: email, Name: name, Role: role}
		if o != nil {
			u.OrganisationID = &o.ID
		}
		return quickUser(t, db, u)
	}
	fx.mpUser = user("Ann's caseworker", tether.RoleOrganisation, fx.mp)
	fx.otherMPUser = user("Ben's caseworker", tether.RoleOrganisation, fx.otherMP)
	fx.lawUsr = user("Camden solicitor", tether.RoleOrganisation, fx.law)
	fx.eve = user("Eve", tether.RoleEnquiries, nil)
	fx.kim = user("Kim", tether.RoleEnquiries, nil)
	fx.lee = user("Lee", tether.RoleEnquiries, nil)
	fx.ada = user("Ada", tether.RoleAdmin, nil)
	fx.cw = user("Cal", tether.RoleCaseworker, nil)
	fx.selam = mustCreatePerson(t, db, &tether.Person{FamilyName: "Haile", GivenNames: "Selam",
		DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 1}})
	fx.amir = mustCreatePerson(t, db, &tether.Person{FamilyName: "Karimi", GivenNames: "Amir",
		DateOfBirth:    tether.PartialDate{Year: 1985, Month: 11, Day: 20},
		Representative: &tether.Representative{Organisation: fx.law.Name, OrganisationID: &fx.law.ID, Instructed: true}})
	fx.dawit = mustCreatePerson(t, db, &tether.Person{FamilyName: "Tesfaye", GivenNames: "Dawit",
		DateOfBirth:    tether.PartialDate{Year: 1979, Month: 2, Day: 14},
		Representative: &tether.Representative{Organisation: other.Name, OrganisationID: &other.ID, Instructed: true}})
	fx.template(t, "enq-reply-email", tether.ChannelEmail)
	fx.template(t, "enq-reply-letter", tether.ChannelLetter)
	return fx
}

// quickHash is one password hash for every quickUser: these tests never
// sign in, and argon2id for each user would be most of their time.
var quickHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(userTestPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// quickUser stores a user as CreateUser does, with quickHash.
func quickUser(t *testing.T, db *DB, u *tether.User) *tether.User {
	t.Helper()
	if err := u.Validate(); err != nil {
		t.Fatal(err)
	}
	now := db.ts(db.Clock.Now())
	id, err := func() (int64, error) {
		var id int64
		err := db.write.QueryRow(db.rebind(`INSERT INTO users (email, name, role, organisation_id, personal_data, disabled, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), u.Email, u.Name, string(u.Role), orgArg(u.OrganisationID), false, false,
			quickHash(), now, now).Scan(&id)
		return id, err
	}()
	if err != nil {
		t.Fatal(err)
	}
	u.ID = id
	return u
}

// template publishes an enquiry reply template of the channel.
func (fx *enqFixture) template(t *testing.T, key, channel string) {
	t.Helper()
	tp := &tether.Template{Key: key, Title: "Reply to an enquiry", Kind: tether.KindEnquiryReply, Channel: channel,
		Placeholders: []string{"mp_name", "reply", "reference", "holding", "new_date", "holding_reason"}}
	if err := fx.db.CreateTemplate(adminCtx(), tp); err != nil {
		t.Fatal(err)
	}
	v := &tether.TemplateVersion{Language: "en", Subject: "Your enquiry ((reference))",
		Body: "Dear ((mp_name))\n\n((holding??We cannot answer yet. ))((reply))\n\nPlease quote ((reference)) if you write to us."}
	if err := fx.db.AddTemplateVersion(adminCtx(), tp.ID, v); err != nil {
		t.Fatal(err)
	}
	if err := fx.db.PublishTemplateVersion(adminCtx(), v.ID, "test template"); err != nil {
		t.Fatal(err)
	}
}

// input is a routine enquiry from the MP office about Selam by reference.
func (fx *enqFixture) input() *enquiry.Input {
	return &enquiry.Input{Subject: enquiry.Subject{Ref: fx.selam.Ref}, Question: "When will Ms Haile's asylum claim be decided?",
		Category: enquiry.CategoryAsylumClaim, Urgency: enquiry.UrgencyRoutine,
		Authority: enquiry.Authority{Basis: enquiry.BasisWrittenConsent, GivenOn: "2026-02-26"}}
}

func (fx *enqFixture) create(t *testing.T, u *tether.User, in *enquiry.Input) *enquiry.Enquiry {
	t.Helper()
	e, err := fx.db.CreateEnquiry(as(u), in)
	if err != nil {
		t.Fatalf("create enquiry: %v", err)
	}
	return e
}

// staffView reads an enquiry as Eve.
func (fx *enqFixture) staffView(t *testing.T, id int64) *enquiry.Detail {
	t.Helper()
	d, err := fx.db.EnquiryDetail(as(fx.eve), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// setDay moves the clock to 09:00 UTC on the day.
func (fx *enqFixture) setDay(day string) {
	d := calendar.MustParseDate(day)
	fx.clock.Set(time.Date(d.Year, d.Month, d.Day, 9, 0, 0, 0, time.UTC))
}

// enquiryCounts counts the enquiry tables, the tasks and the audit log, to
// show that a refusal wrote nothing.
func enquiryCounts(t *testing.T, db *DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{`SELECT COUNT(*) FROM enquiries`, `SELECT COALESCE(SUM(version), 0) FROM enquiries`,
		`SELECT COUNT(*) FROM enquiry_events`, `SELECT COUNT(*) FROM enquiry_replies`, `SELECT COALESCE(SUM(n), 0) FROM enquiry_stats`,
		`SELECT COUNT(*) FROM tasks`, `SELECT COUNT(*) FROM audit_log`} {
		var n int
		if err := db.write.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d ", n)
	}
	return b.String()
}

func eventList(t *testing.T, db *DB, ctx context.Context, id int64) []string {
	t.Helper()
	events, err := db.EnquiryEvents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		out = append(out, e.Action)
	}
	return out
}

func wantFieldErr(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, tether.EINVALID)
	if _, ok := tether.ErrorFields(err)[field]; !ok {
		t.Fatalf("error %v does not name %s", err, field)
	}
}

func TestEnquiryIntake(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		// By reference: matched, received today, due in 20 working days in
		// the office's division, a task in the enquiries queue.
		e := fx.create(t, fx.mpUser, fx.input())
		if !enquiry.ValidRef(e.Ref) || e.State != enquiry.StateReceived || e.ReceivedOn != "2026-03-02" ||
			e.StandardDays != 20 || e.DueOn != "2026-03-30" || e.StandardDueOn != "2026-03-30" || e.Division != calendar.EnglandAndWales ||
			e.OrganisationID != fx.mp.ID || e.RaisedBy == nil || *e.RaisedBy != fx.mpUser.ID || e.Version != 1 {
			t.Fatalf("created %+v", e)
		}
		if e.PersonID != nil || e.Match != "" || e.TaskID != nil || e.Team != "" {
			t.Errorf("the office's view shows the department's fields: %+v", e)
		}
		d := fx.staffView(t, e.ID)
		if d.PersonID == nil || *d.PersonID != fx.selam.ID || d.Match != enquiry.MatchReference || d.TaskID == nil || d.Team != "asylum" ||
			!strings.Contains(d.DueExplanation, "Monday 30 March is working day 20: due.") {
			t.Fatalf("staff view %+v", d.Enquiry)
		}
		task, err := db.FindTaskByID(as(fx.eve), *d.TaskID)
		if err != nil {
			t.Fatal(err)
		}
		if task.Queue != tether.QueueEnquiries || task.DueOn != "2026-03-30" || task.PersonID != fx.selam.ID ||
			task.SubjectKind != tether.SubjectEnquiry || task.SubjectID != e.ID || task.Priority != tether.PriorityNormal ||
			strings.Contains(task.Summary, "Haile") {
			t.Errorf("task %+v", task)
		}
		if got := eventList(t, db, as(fx.eve), e.ID); !slices.Equal(got, []string{"received", "matched"}) {
			t.Errorf("events %v", got)
		}

		// By name and date of birth, urgent: due in 2 working days, an urgent task.
		in := fx.input()
		in.Subject = enquiry.Subject{FamilyName: "Karimi", GivenNames: "Amir", DateOfBirth: "1985-11-20"}
		in.Urgency, in.UrgencyReason, in.Category = enquiry.UrgencyUrgent, "Removal is set for Friday.", enquiry.CategoryDetention
		u := fx.create(t, fx.mpUser, in)
		if u.DueOn != "2026-03-04" {
			t.Errorf("urgent due %s", u.DueOn)
		}
		ud := fx.staffView(t, u.ID)
		if ud.PersonID == nil || *ud.PersonID != fx.amir.ID || ud.Match != enquiry.MatchNameDOB || ud.Team != "detention" {
			t.Errorf("by name %+v", ud.Enquiry)
		}
		if task, _ := db.FindTaskByID(as(fx.eve), *ud.TaskID); task == nil || task.Priority != tether.PriorityUrgent {
			t.Errorf("urgent task %+v", task)
		}

		// Nobody to match: allowed, waits for triage, no task.
		in = fx.input()
		in.Subject = enquiry.Subject{FamilyName: "Nobody", GivenNames: "Known", DateOfBirth: "2000-01-01"}
		n := fx.create(t, fx.mpUser, in)
		nd := fx.staffView(t, n.ID)
		if nd.PersonID != nil || nd.Match != enquiry.MatchNone || nd.MatchNote == "" || nd.TaskID != nil {
			t.Errorf("unmatched %+v", nd.Enquiry)
		}
		list, total, err := db.FindEnquiries(as(fx.eve), enquiry.Filter{Unmatched: true})
		if err != nil || total != 1 || list[0].ID != n.ID {
			t.Errorf("triage list %d %v", total, err)
		}

		// Bad input: a clear error naming the field, and nothing written.
		before := enquiryCounts(t, db)
		in = fx.input()
		in.Urgency = enquiry.UrgencyUrgent
		_, err = db.CreateEnquiry(as(fx.mpUser), in)
		wantFieldErr(t, err, "urgency_reason")
		in = fx.input()
		in.Authority = enquiry.Authority{Basis: enquiry.BasisRecordedRepresentative}
		_, err = db.CreateEnquiry(as(fx.mpUser), in)
		wantFieldErr(t, err, "authority.basis")
		// A law firm asking as representative on record for someone else's client.
		in = fx.input()
		in.Subject = enquiry.Subject{Ref: fx.dawit.Ref}
		in.Authority = enquiry.Authority{Basis: enquiry.BasisRecordedRepresentative}
		_, err = db.CreateEnquiry(as(fx.lawUsr), in)
		wantFieldErr(t, err, "authority.basis")
		noSuch := tether.ErrorMessage(err)
		unknown, _ := reference.New(99999999)
		in.Subject = enquiry.Subject{Ref: unknown}
		if _, err := db.CreateEnquiry(as(fx.lawUsr), in); tether.ErrorMessage(err) != noSuch {
			t.Errorf("refusals differ: %q and %q", tether.ErrorMessage(err), noSuch)
		}
		in = fx.input()
		in.OrganisationID = fx.otherMP.ID
		_, err = db.CreateEnquiry(as(fx.mpUser), in)
		wantFieldErr(t, err, "organisation_id")
		_, err = db.CreateEnquiry(as(fx.eve), fx.input())
		wantFieldErr(t, err, "organisation_id")
		_, err = db.CreateEnquiry(as(fx.cw), fx.input())
		wantCode(t, err, tether.EFORBIDDEN)
		// A likely duplicate: refused until acknowledged.
		_, err = db.CreateEnquiry(as(fx.mpUser), fx.input())
		wantCode(t, err, tether.ECONFLICT)
		if !strings.Contains(tether.ErrorMessage(err), e.Ref) {
			t.Errorf("duplicate message %q", tether.ErrorMessage(err))
		}
		if after := enquiryCounts(t, db); after != before {
			t.Fatalf("refusals wrote: %s -> %s", before, after)
		}
		dups, err := db.EnquiryDuplicates(as(fx.mpUser), fx.input())
		if err != nil || len(dups) != 1 || dups[0].ID != e.ID || dups[0].Why != "the same person" {
			t.Fatalf("duplicates %+v %v", dups, err)
		}
		// Another office asking about the same person has no duplicate.
		if dups, err := db.EnquiryDuplicates(as(fx.otherMPUser), fx.input()); err != nil || len(dups) != 0 {
			t.Errorf("another office's duplicates %+v %v", dups, err)
		}
		in = fx.input()
		in.AcknowledgeDuplicates = true
		fx.create(t, fx.mpUser, in)

		// The law firm for its own client, on record.
		in = fx.input()
		in.Subject = enquiry.Subject{Ref: fx.amir.Ref}
		in.Authority = enquiry.Authority{Basis: enquiry.BasisRecordedRepresentative}
		fx.create(t, fx.lawUsr, in)

		// Staff record an enquiry that came by letter, naming the office.
		in = fx.input()
		in.OrganisationID = fx.otherMP.ID
		in.AcknowledgeDuplicates = true
		s, err := db.CreateEnquiry(as(fx.eve), in)
		if err != nil {
			t.Fatal(err)
		}
		if s.RaisedBy != nil || s.Division != calendar.Scotland || s.OrganisationID != fx.otherMP.ID {
			t.Errorf("recorded by staff %+v", s)
		}
		if got := auditActions(t, db, "enquiry", e.ID); !slices.Contains(got, "enquiry.create") {
			t.Errorf("audit %v", got)
		}
	})
}

func TestEnquiryOfficeScope(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		routine := fx.create(t, fx.mpUser, fx.input())
		in := fx.input()
		in.Subject = enquiry.Subject{Ref: fx.amir.Ref}
		in.Urgency, in.UrgencyReason = enquiry.UrgencyCompassionate, "Her mother is dying."
		urgent := fx.create(t, fx.mpUser, in)
		theirs := fx.create(t, fx.otherMPUser, fx.input())
		if _, err := db.AddEnquiryNote(as(fx.eve), routine.ID, "Called the asylum team: decision drafted."); err != nil {
			t.Fatal(err)
		}

		// The office's list: its own, by due date.
		list, total, err := db.FindEnquiries(as(fx.mpUser), enquiry.Filter{})
		if err != nil || total != 2 || list[0].ID != urgent.ID || list[1].ID != routine.ID {
			t.Fatalf("office list %d %v", total, err)
		}
		for _, e := range list {
			if e.PersonID != nil || e.Team != "" || e.TaskID != nil {
				t.Errorf("office list shows the department's fields: %+v", e)
			}
		}
		// Asking for another office's enquiries by filter gives its own.
		other := fx.otherMP.ID
		if _, total, err := db.FindEnquiries(as(fx.mpUser), enquiry.Filter{OrganisationID: &other}); err != nil || total != 2 {
			t.Errorf("filtered to another office: %d %v", total, err)
		}
		if _, total, _ := db.FindEnquiries(as(fx.mpUser), enquiry.Filter{Ref: theirs.Ref}); total != 0 {
			t.Errorf("found another office's enquiry by reference")
		}
		// Another office's id, or one that does not exist: not found, audited.
		before := len(auditDetails(t, db, "enquiry.read.denied"))
		_, err = db.EnquiryDetail(as(fx.mpUser), theirs.ID)
		wantCode(t, err, tether.ENOTFOUND)
		_, err = db.EnquiryEvents(as(fx.mpUser), theirs.ID)
		wantCode(t, err, tether.ENOTFOUND)
		_, err = db.EnquiryDetail(as(fx.mpUser), 999999)
		wantCode(t, err, tether.ENOTFOUND)
		if after := len(auditDetails(t, db, "enquiry.read.denied")); after != before+3 {
			t.Errorf("denied reads audited %d times, want 3", after-before)
		}
		// Its own: without the internal notes.
		d, err := db.EnquiryDetail(as(fx.mpUser), routine.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Notes != nil || d.PersonID != nil {
			t.Errorf("office detail %+v", d)
		}
		if b, _ := json.Marshal(d); bytes.Contains(b, []byte("decision drafted")) || bytes.Contains(b, []byte("person_id")) {
			t.Errorf("office detail leaks: %s", b)
		}
		if sd := fx.staffView(t, routine.ID); len(sd.Notes) != 1 || sd.Notes[0].ActorName != "Eve" {
			t.Errorf("staff notes %+v", sd.Notes)
		}
		// Roles that see no enquiries.
		for _, u := range []*tether.User{fx.cw} {
			_, _, err := db.FindEnquiries(as(u), enquiry.Filter{})
			wantCode(t, err, tether.EFORBIDDEN)
		}
		_, _, err = db.FindEnquiries(AsActor(inspector), enquiry.Filter{})
		wantCode(t, err, tether.EFORBIDDEN)
		// Staff filter by office.
		mine := fx.mp.ID
		if _, total, err := db.FindEnquiries(as(fx.eve), enquiry.Filter{OrganisationID: &mine, State: enquiry.StateOpen}); err != nil || total != 2 {
			t.Errorf("staff filtered by office %d %v", total, err)
		}
	})
}

func TestEnquiryWorkflow(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		e := fx.create(t, fx.mpUser, fx.input())
		id := e.ID
		reply := enquiry.ReplyInput{TemplateKey: "enq-reply-email", Personalisation: map[string]string{
			"reply": "We have decided Ms Haile's claim. We sent her the decision today."}}

		// Out of order: refused, nothing written.
		before := enquiryCounts(t, db)
		_, err := db.TransitionEnquiry(as(fx.eve), id, enquiry.TransitionInput{Action: enquiry.ActionAssign, Assignee: &fx.eve.ID})
		wantCode(t, err, tether.ECONFLICT)
		_, err = db.AnswerEnquiry(as(fx.eve), id, reply)
		wantCode(t, err, tether.ECONFLICT)
		_, err = db.TransitionEnquiry(as(fx.mpUser), id, enquiry.TransitionInput{Action: enquiry.ActionTriage})
		wantCode(t, err, tether.EFORBIDDEN)
		_, err = db.TransitionEnquiry(as(fx.eve), id, enquiry.TransitionInput{Action: enquiry.ActionTriage, Version: 7})
		wantCode(t, err, tether.ECONFLICT)
		if after := enquiryCounts(t, db); after != before {
			t.Fatalf("refusals wrote: %s -> %s", before, after)
		}

		// Triage, routing to detention; assign to Eve; she starts.
		got, err := db.TransitionEnquiry(as(fx.kim), id, enquiry.TransitionInput{Action: enquiry.ActionTriage, Team: "detention", Version: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != enquiry.StateTriaged || got.Team != "detention" || got.Version != 2 {
			t.Fatalf("triaged %+v", got)
		}
		_, err = db.TransitionEnquiry(as(fx.kim), id, enquiry.TransitionInput{Action: enquiry.ActionAssign, Assignee: &fx.cw.ID})
		wantFieldErr(t, err, "assignee")
		got, err = db.TransitionEnquiry(as(fx.kim), id, enquiry.TransitionInput{Action: enquiry.ActionAssign, Assignee: &fx.eve.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != enquiry.StateAssigned || got.Assignee == nil || *got.Assignee != fx.eve.ID || got.AssigneeName != "Eve" {
			t.Fatalf("assigned %+v", got)
		}
		if task, _ := db.FindTaskByID(as(fx.eve), *got.TaskID); task.State != tether.TaskClaimed || *task.Assignee != fx.eve.ID {
			t.Errorf("task not Eve's: %+v", task)
		}
		_, err = db.TransitionEnquiry(as(fx.kim), id, enquiry.TransitionInput{Action: enquiry.ActionStart})
		wantCode(t, err, tether.EFORBIDDEN)
		if _, err = db.TransitionEnquiry(as(fx.eve), id, enquiry.TransitionInput{Action: enquiry.ActionStart}); err != nil {
			t.Fatal(err)
		}

		// A holding reply: refused without a reason, with "complex", with a
		// date before the due date.
		fx.setDay("2026-03-20")
		hold := enquiry.HoldingReplyInput{HoldingInput: enquiry.HoldingInput{Reason: enquiry.ReasonAwaitingInformation,
			Outstanding: "A medical report", From: enquiry.FromRepresentative, NewDate: "2026-04-17"},
			ReplyInput: enquiry.ReplyInput{TemplateKey: "enq-reply-email", Personalisation: map[string]string{
				"reply": "We need a medical report from Ms Haile's solicitor. We will write again when we have it."}}}
		before = enquiryCounts(t, db)
		for field, edit := range map[string]func(h *enquiry.HoldingReplyInput){
			"reason":       func(h *enquiry.HoldingReplyInput) { h.Reason = "" },
			"outstanding":  func(h *enquiry.HoldingReplyInput) { h.Outstanding = "It is complex" },
			"new_date":     func(h *enquiry.HoldingReplyInput) { h.NewDate = "2026-03-27" },
			"from":         func(h *enquiry.HoldingReplyInput) { h.From = "" },
			"template_key": func(h *enquiry.HoldingReplyInput) { h.TemplateKey = "request-contact-details-letter" },
			"personalisation.reference": func(h *enquiry.HoldingReplyInput) {
				h.Personalisation = map[string]string{"reply": "x", "reference": "mine"}
			},
		} {
			h := hold
			h.Personalisation = map[string]string{"reply": hold.Personalisation["reply"]}
			edit(&h)
			_, err := db.SendHoldingReply(as(fx.eve), id, h)
			if _, ok := tether.ErrorFields(err)[field]; !ok {
				t.Errorf("holding reply with bad %s: %v", field, err)
			}
		}
		_, err = db.SendHoldingReply(as(fx.kim), id, hold)
		wantCode(t, err, tether.EFORBIDDEN)
		if after := enquiryCounts(t, db); after != before {
			t.Fatalf("refusals wrote: %s -> %s", before, after)
		}
		got, err = db.SendHoldingReply(as(fx.eve), id, hold)
		if err != nil {
			t.Fatal(err)
		}
		if got.DueOn != "2026-04-17" || got.StandardDueOn != "2026-03-30" || got.Holding == nil || got.Holding.NewDate != "2026-04-17" ||
			got.Holding.PreviousDueOn != "2026-03-30" || got.Holdings != 1 || got.State != enquiry.StateInProgress {
			t.Fatalf("after holding reply %+v %+v", got, got.Holding)
		}
		if task, _ := db.FindTaskByID(as(fx.eve), *got.TaskID); task.DueOn != "2026-04-17" {
			t.Errorf("task due %s", task.DueOn)
		}
		od, err := db.EnquiryDetail(as(fx.mpUser), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(od.Replies) != 1 || !strings.Contains(od.Replies[0].Content, "We cannot answer yet.") ||
			od.Replies[0].SentTo[0] != fx.mpUser.Email || od.Replies[0].SentBy != "" || len(od.Replies[0].ContentSHA256) != 64 ||
			!strings.Contains(od.DueExplanation, "committed to an answer by Friday 17 April 2026") {
			t.Errorf("office sees %+v %+v", od.Enquiry, od.Replies)
		}
		// A second holding reply must go beyond the new date.
		h2 := hold
		h2.NewDate = "2026-04-10"
		_, err = db.SendHoldingReply(as(fx.eve), id, h2)
		wantFieldErr(t, err, "new_date")

		// The answer: refused below the clarity bar, then sent.
		fx.setDay("2026-04-02")
		long := reply
		long.Personalisation = map[string]string{"reply": "Following careful consideration of all of the available evidence " +
			"including the representations submitted on behalf of your constituent the department has concluded that the " +
			"application should be refused and the reasons for this determination are set out in the enclosed correspondence."}
		_, err = db.AnswerEnquiry(as(fx.eve), id, long)
		wantFieldErr(t, err, "personalisation.reply")
		long.OverrideReason = "Legal wording"
		_, err = db.AnswerEnquiry(as(fx.eve), id, long)
		wantFieldErr(t, err, "override_reason")
		letter := reply
		letter.TemplateKey = "enq-reply-letter"
		_, err = db.AnswerEnquiry(as(fx.eve), id, letter)
		wantFieldErr(t, err, "to_address")
		letter.ToAddress = []string{"Ann Member MP", "House of Commons", "London", "SW1A 0AA"}
		got, err = db.AnswerEnquiry(as(fx.eve), id, letter)
		if err != nil {
			t.Fatal(err)
		}
		// Received 2 March, answered 2 April: 23 working days in England
		// and Wales, late against 20 (a holding reply does not change that).
		if got.State != enquiry.StateAnswered || got.AnsweredOn != "2026-04-02" || *got.WorkingDaysTaken != 23 ||
			*got.WithinStandard || got.LateBand != enquiry.Band20To30 {
			t.Fatalf("answered %+v", got)
		}
		if task, _ := db.FindTaskByID(as(fx.eve), *got.TaskID); task.State != tether.TaskDone {
			t.Errorf("task %s", task.State)
		}
		d := fx.staffView(t, id)
		if d.Answer == nil || d.Answer.Channel != enquiry.ChannelLetter || d.Answer.SentTo[1] != "House of Commons" || d.Answer.SentByName != "Eve" {
			t.Errorf("answer %+v", d.Answer)
		}
		_, err = db.AnswerEnquiry(as(fx.eve), id, reply)
		wantCode(t, err, tether.ECONFLICT)

		// Closed: nothing more is sent until it is reopened, with a reason.
		if _, err := db.TransitionEnquiry(as(fx.eve), id, enquiry.TransitionInput{Action: enquiry.ActionClose}); err != nil {
			t.Fatal(err)
		}
		before = enquiryCounts(t, db)
		_, err = db.AnswerEnquiry(as(fx.eve), id, reply)
		wantCode(t, err, tether.ECONFLICT)
		if !strings.Contains(tether.ErrorMessage(err), "closed") {
			t.Errorf("reply to a closed enquiry: %q", tether.ErrorMessage(err))
		}
		_, err = db.SendHoldingReply(as(fx.eve), id, hold)
		wantCode(t, err, tether.ECONFLICT)
		_, err = db.TransitionEnquiry(as(fx.eve), id, enquiry.TransitionInput{Action: enquiry.ActionReopen})
		wantFieldErr(t, err, "note")
		if after := enquiryCounts(t, db); after != before {
			t.Fatalf("refusals wrote: %s -> %s", before, after)
		}
		got, err = db.TransitionEnquiry(as(fx.eve), id, enquiry.TransitionInput{Action: enquiry.ActionReopen,
			Note: "The office says the answer missed the question about her support."})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != enquiry.StateInProgress || got.AnsweredOn != "" || got.LateBand != "" || got.ClosedAt != nil || got.DueOn != "2026-04-17" {
			t.Fatalf("reopened %+v", got)
		}
		if task, _ := db.FindTaskByID(as(fx.eve), *got.TaskID); task.State != tether.TaskClaimed || *task.Assignee != fx.eve.ID {
			t.Errorf("reopened task %+v", task)
		}
		want := []string{"received", "matched", "team", "triaged", "assigned", "started", "holding_reply", "answered", "closed", "reopened"}
		if got := eventList(t, db, as(fx.eve), id); !slices.Equal(got, want) {
			t.Errorf("events %v, want %v", got, want)
		}
		office := []string{"received", "triaged", "holding_reply", "answered", "closed", "reopened"}
		events, err := db.EnquiryEvents(as(fx.mpUser), id)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
			if e.Actor != "" || e.ActorName != "" || (e.Note != "" && e.Action != enquiry.EventHoldingReply) {
				t.Errorf("office event %+v", e)
			}
		}
		if !slices.Equal(actions, office) {
			t.Errorf("office events %v, want %v", actions, office)
		}
	})
}

func TestEnquiryTriageMatches(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		in := fx.input()
		in.Subject = enquiry.Subject{FamilyName: "Unknown", DateOfBirth: "1990-05-01"}
		e := fx.create(t, fx.mpUser, in)
		got, err := db.TransitionEnquiry(as(fx.eve), e.ID, enquiry.TransitionInput{Action: enquiry.ActionTriage,
			PersonID: &fx.selam.ID, Category: enquiry.CategorySupport})
		if err != nil {
			t.Fatal(err)
		}
		if got.PersonID == nil || *got.PersonID != fx.selam.ID || got.Match != enquiry.MatchTriage || got.TaskID == nil ||
			got.Category != enquiry.CategorySupport || got.Team != "contact" {
			t.Fatalf("triaged %+v", got)
		}
		// The figures moved with the category and team.
		r, err := db.EnquiryReport(as(fx.eve), enquiry.ReportFilter{From: "2026-03", To: "2026-03"})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Rows) != 1 || r.Rows[0].Team != "contact" || r.Rows[0].Category != enquiry.CategorySupport || r.Rows[0].Received != 1 {
			t.Errorf("report rows %+v", r.Rows)
		}
		// A person who does not exist.
		in.AcknowledgeDuplicates = true
		e2 := fx.create(t, fx.mpUser, in)
		no := int64(999999)
		_, err = db.TransitionEnquiry(as(fx.eve), e2.ID, enquiry.TransitionInput{Action: enquiry.ActionTriage, PersonID: &no})
		wantFieldErr(t, err, "person_id")
	})
}

func TestEnquirySweeps(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		e := fx.create(t, fx.mpUser, fx.input()) // due Monday 30 March, warned Wednesday 25th
		if err := db.SetEnquiryTeamLead(as(fx.eve), "asylum", &fx.lee.ID); tether.ErrorCode(err) != tether.EFORBIDDEN {
			t.Errorf("lead set by a non-admin: %v", err)
		}
		wantFieldErr(t, db.SetEnquiryTeamLead(as(fx.ada), "asylum", &fx.cw.ID), "user_id")
		wantFieldErr(t, db.SetEnquiryTeamLead(as(fx.ada), "finance", &fx.lee.ID), "team")
		if err := db.SetEnquiryTeamLead(as(fx.ada), "asylum", &fx.lee.ID); err != nil {
			t.Fatal(err)
		}
		teams, err := db.EnquiryTeams(as(fx.eve))
		if err != nil || len(teams) != 3 || teams[0].LeadName != "Lee" {
			t.Fatalf("teams %+v %v", teams, err)
		}
		for _, a := range []string{enquiry.ActionTriage, enquiry.ActionAssign, enquiry.ActionStart} {
			in := enquiry.TransitionInput{Action: a}
			if a == enquiry.ActionAssign {
				in.Assignee = &fx.eve.ID
			}
			if _, err := db.TransitionEnquiry(as(fx.eve), e.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		ctx := context.Background()
		fx.setDay("2026-03-24")
		if n, err := db.WarnEnquiries(ctx, 100); err != nil || n != 0 {
			t.Fatalf("warned early: %d %v", n, err)
		}
		fx.setDay("2026-03-25")
		if n, err := db.WarnEnquiries(ctx, 100); err != nil || n != 1 {
			t.Fatalf("warn: %d %v", n, err)
		}
		if n, err := db.WarnEnquiries(ctx, 100); err != nil || n != 0 {
			t.Fatalf("warned twice: %d %v", n, err)
		}
		events, _ := db.EnquiryEvents(as(fx.eve), e.ID)
		w := events[len(events)-1]
		if w.Action != enquiry.EventWarning || w.To != tether.UserRef(fx.eve.ID)+","+tether.UserRef(fx.lee.ID) ||
			!strings.Contains(w.Note, "Due on Monday 30 March 2026, 3 working days from today.") || !strings.Contains(w.Note, "holding reply") {
			t.Errorf("warning %+v", w)
		}
		d := fx.staffView(t, e.ID)
		if d.WarnedAt == nil {
			t.Error("not marked warned")
		}
		if task, _ := db.FindTaskByID(as(fx.eve), *d.TaskID); task.Priority != tether.PriorityHigh {
			t.Errorf("task priority %s", task.Priority)
		}
		fx.setDay("2026-03-30")
		if n, err := db.BreachEnquiries(ctx, 100); err != nil || n != 0 {
			t.Fatalf("breached on the due date: %d %v", n, err)
		}
		fx.setDay("2026-03-31")
		if n, err := db.BreachEnquiries(ctx, 100); err != nil || n != 1 {
			t.Fatalf("breach: %d %v", n, err)
		}
		if n, err := db.BreachEnquiries(ctx, 100); err != nil || n != 0 {
			t.Fatalf("breached twice: %d %v", n, err)
		}
		events, _ = db.EnquiryEvents(as(fx.eve), e.ID)
		if b := events[len(events)-1]; b.Action != enquiry.EventBreach || !strings.Contains(b.Note, "No holding reply was sent.") {
			t.Errorf("breach %+v", b)
		}
		if task, _ := db.FindTaskByID(as(fx.eve), *d.TaskID); task.Priority != tether.PriorityUrgent {
			t.Errorf("task priority %s", task.Priority)
		}
		// The office never sees warnings or breaches.
		if got := eventList(t, db, as(fx.mpUser), e.ID); slices.Contains(got, enquiry.EventWarning) || slices.Contains(got, enquiry.EventBreach) {
			t.Errorf("office sees %v", got)
		}
		_, err = db.WarnEnquiries(as(fx.eve), 10)
		wantCode(t, err, tether.EFORBIDDEN)
		_, err = db.WarnEnquiries(ctx, 0)
		wantCode(t, err, tether.EINVALID)
	})
}

// holidaysWith is the 2026 bank holidays of England and Wales with one more.
func holidaysWith(t *testing.T, extra string) *calendar.Holidays {
	t.Helper()
	type event struct {
		Title   string `json:"title"`
		Date    string `json:"date"`
		Notes   string `json:"notes"`
		Bunting bool   `json:"bunting"`
	}
	var events []event
	for _, e := range calendar.Default().Events(calendar.EnglandAndWales) {
		if e.Date.Year == 2026 {
			events = append(events, event{Title: e.Title, Date: e.Date.String(), Notes: e.Notes, Bunting: e.Bunting})
		}
	}
	events = append(events, event{Title: "Extra holiday", Date: extra})
	data, err := json.Marshal(map[string]any{calendar.EnglandAndWales: map[string]any{"division": calendar.EnglandAndWales, "events": events}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := calendar.ParseGovUK(data)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestEnquiryHolidaysRecompute(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		a := fx.create(t, fx.mpUser, fx.input()) // England and Wales, due 30 March
		in := fx.input()
		in.Subject = enquiry.Subject{Ref: fx.amir.Ref}
		b := fx.create(t, fx.mpUser, in) // to get a holding reply
		sc := fx.create(t, fx.otherMPUser, fx.input())
		if sc.DueOn != "2026-03-30" {
			t.Fatalf("scottish due %s", sc.DueOn)
		}
		for _, act := range []string{enquiry.ActionTriage, enquiry.ActionAssign} {
			in := enquiry.TransitionInput{Action: act}
			if act == enquiry.ActionAssign {
				in.Assignee = &fx.eve.ID
			}
			if _, err := db.TransitionEnquiry(as(fx.eve), b.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SendHoldingReply(as(fx.eve), b.ID, enquiry.HoldingReplyInput{
			HoldingInput: enquiry.HoldingInput{Reason: enquiry.ReasonAwaitingChecks, Outstanding: "An identity check",
				From: enquiry.FromPolice, NewDate: "2026-04-20"},
			ReplyInput: enquiry.ReplyInput{TemplateKey: "enq-reply-email", Personalisation: map[string]string{"reply": "We will write again soon."}},
		}); err != nil {
			t.Fatal(err)
		}
		n, err := db.LoadHolidays(adminCtx(), holidaysWith(t, "2026-03-16"), "test: a one-off holiday")
		if err != nil || n != 1 {
			t.Fatalf("load holidays: %d %v", n, err)
		}
		ad := fx.staffView(t, a.ID)
		if ad.StandardDueOn != "2026-03-31" || ad.DueOn != "2026-03-31" || !strings.Contains(ad.DueExplanation, "Monday 16 March: Extra holiday") {
			t.Errorf("recomputed %s %s: %s", ad.StandardDueOn, ad.DueOn, ad.DueExplanation)
		}
		if task, _ := db.FindTaskByID(as(fx.eve), *ad.TaskID); task.DueOn != "2026-03-31" {
			t.Errorf("task due %s", task.DueOn)
		}
		events, _ := db.EnquiryEvents(as(fx.mpUser), a.ID)
		if last := events[len(events)-1]; last.Action != enquiry.EventDueChanged || last.From != "2026-03-30" || last.To != "2026-03-31" ||
			!strings.Contains(last.Note, "test: a one-off holiday") {
			t.Errorf("office sees %+v", last)
		}
		bd := fx.staffView(t, b.ID)
		if bd.StandardDueOn != "2026-03-31" || bd.DueOn != "2026-04-20" {
			t.Errorf("with a holding reply: %s %s", bd.StandardDueOn, bd.DueOn)
		}
		if sd := fx.staffView(t, sc.ID); sd.DueOn != "2026-03-30" {
			t.Errorf("Scotland moved: %s", sd.DueOn)
		}
		if got := auditDetails(t, db, "enquiry.due"); len(got) != 2 {
			t.Errorf("audit %v", got)
		}
	})
}

func TestEnquiryReport(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		reply := enquiry.ReplyInput{TemplateKey: "enq-reply-email", Personalisation: map[string]string{"reply": "We have decided the claim."}}
		answer := func(id int64) {
			t.Helper()
			for _, act := range []string{enquiry.ActionTriage, enquiry.ActionAssign} {
				in := enquiry.TransitionInput{Action: act}
				if act == enquiry.ActionAssign {
					in.Assignee = &fx.eve.ID
				}
				if _, err := db.TransitionEnquiry(as(fx.eve), id, in); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.AnswerEnquiry(as(fx.eve), id, reply); err != nil {
				t.Fatal(err)
			}
		}
		subject := func(p *tether.Person) *enquiry.Input {
			in := fx.input()
			in.Subject = enquiry.Subject{Ref: p.Ref}
			in.AcknowledgeDuplicates = true
			return in
		}
		// March: three routine asylum enquiries; one answered in 10
		// working days, one in 34, one still open (outstanding).
		e1 := fx.create(t, fx.mpUser, subject(fx.selam))
		e2 := fx.create(t, fx.mpUser, subject(fx.amir))
		fx.create(t, fx.mpUser, subject(fx.dawit))
		fx.setDay("2026-03-16")
		answer(e1.ID)
		fx.setDay("2026-04-21")
		answer(e2.ID)
		// April: one urgent detention enquiry answered in 4 working days.
		in := subject(fx.selam)
		in.Category, in.Urgency, in.UrgencyReason = enquiry.CategoryDetention, enquiry.UrgencyUrgent, "Removal directions set."
		u := fx.create(t, fx.mpUser, in)
		fx.setDay("2026-04-27")
		answer(u.ID)
		fx.setDay("2026-05-04")

		_, err := db.EnquiryReport(as(fx.mpUser), enquiry.ReportFilter{})
		wantCode(t, err, tether.EFORBIDDEN)
		_, err = db.EnquiryReport(as(fx.eve), enquiry.ReportFilter{From: "2026-04", To: "2026-01"})
		wantFieldErr(t, err, "to")
		r, err := db.EnquiryReport(AsActor(inspector), enquiry.ReportFilter{From: "2026-01", To: "2026-12"})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Rows) != 2 {
			t.Fatalf("rows %+v", r.Rows)
		}
		m, a := r.Rows[0], r.Rows[1]
		if m.Month != "2026-03" || m.Team != "asylum" || m.Received != 3 || m.Answered != 2 || m.AnsweredWithin != 1 ||
			m.ShareWithin != 0.5 || m.Open != 1 || m.Late.To40 != 1 || m.Late.Outstanding != 1 || m.OpenByAge.To50 != 1 {
			t.Errorf("March %+v", m)
		}
		if a.Month != "2026-04" || a.Team != "detention" || a.Urgency != enquiry.UrgencyUrgent || a.Received != 1 ||
			a.Answered != 1 || a.AnsweredWithin != 0 || a.Late.UpTo20 != 1 {
			t.Errorf("April %+v", a)
		}
		if r.Totals.Received != 4 || r.Totals.Answered != 3 || r.Totals.ShareWithin != 0.333 || r.AsOf != "2026-05-04" {
			t.Errorf("totals %+v", r.Totals)
		}
		only, err := db.EnquiryReport(as(fx.eve), enquiry.ReportFilter{From: "2026-01", To: "2026-12", Team: "detention"})
		if err != nil || len(only.Rows) != 1 || only.Rows[0].Team != "detention" {
			t.Errorf("by team %+v %v", only, err)
		}
		// Rebuilt from the enquiries' own columns, the figures are the same.
		if _, err := db.RebuildEnquiryStats(adminCtx()); err != nil {
			t.Fatal(err)
		}
		again, err := db.EnquiryReport(as(fx.eve), enquiry.ReportFilter{From: "2026-01", To: "2026-12"})
		if err != nil {
			t.Fatal(err)
		}
		x, _ := json.Marshal(r)
		y, _ := json.Marshal(again)
		if !bytes.Equal(x, y) {
			t.Errorf("rebuilt figures differ:\n%s\n%s", x, y)
		}
		_, err = db.RebuildEnquiryStats(as(fx.eve))
		wantCode(t, err, tether.EFORBIDDEN)
	})
}

func TestEnquiryStarterTemplate(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		if _, err := db.SeedTemplates(adminCtx()); err != nil {
			t.Fatal(err)
		}
		e := fx.create(t, fx.mpUser, fx.input())
		for _, act := range []string{enquiry.ActionTriage, enquiry.ActionAssign} {
			in := enquiry.TransitionInput{Action: act}
			if act == enquiry.ActionAssign {
				in.Assignee = &fx.eve.ID
			}
			if _, err := db.TransitionEnquiry(as(fx.eve), e.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.AnswerEnquiry(as(fx.eve), e.ID, enquiry.ReplyInput{TemplateKey: "enquiry-reply-email",
			Personalisation: map[string]string{"mp_name": "Ann Member", "reply": "We made a decision on the claim today. We have sent it to her."}})
		if err != nil {
			t.Fatal(err)
		}
		d := fx.staffView(t, got.ID)
		if d.Answer == nil || !strings.Contains(d.Answer.Content, "Dear Ann Member") || !strings.Contains(d.Answer.Content, e.Ref) ||
			!strings.Contains(d.Answer.Content, "Monday 2 March 2026") || !strings.Contains(d.Answer.Content, "written consent") {
			t.Errorf("answer %+v", d.Answer)
		}

		// The letter passes the clarity bar too, and goes to the post.
		in := fx.input()
		in.Subject = enquiry.Subject{Ref: fx.dawit.Ref}
		e = fx.create(t, fx.mpUser, in)
		for _, tr := range []enquiry.TransitionInput{{Action: enquiry.ActionTriage}, {Action: enquiry.ActionAssign, Assignee: &fx.eve.ID}} {
			if _, err := db.TransitionEnquiry(as(fx.eve), e.ID, tr); err != nil {
				t.Fatal(err)
			}
		}
		got, err = db.AnswerEnquiry(as(fx.eve), e.ID, enquiry.ReplyInput{TemplateKey: "enquiry-reply-letter",
			ToAddress:       []string{"Ann Member MP", "House of Commons", "London", "SW1A 0AA"},
			Personalisation: map[string]string{"mp_name": "Ann Member", "reply": "We made a decision on the claim today. We have sent it to him."}})
		if err != nil {
			t.Fatal(err)
		}
		d = fx.staffView(t, got.ID)
		if d.Answer == nil || d.Answer.Channel != enquiry.ChannelLetter || !d.Answer.PassesBar ||
			d.Answer.Delivery == nil || d.Answer.Delivery.Via != tether.SendNotifyLetter || !strings.Contains(d.Answer.Content, "Yours sincerely") {
			t.Errorf("letter %+v %+v", d.Answer, d.Answer.Delivery)
		}
	})
}
