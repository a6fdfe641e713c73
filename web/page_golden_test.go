package web

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tether"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenNow is the fixed time of every golden page.
var goldenNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// TestPageGolden renders the main pages with fixed data and a stopped clock
// and compares them with testdata/golden. Run with -update to rewrite them,
// then read the diff.
func TestPageGolden(t *testing.T) {
	tests := []struct {
		name   string
		method string
		path   string
		user   string // session of a fake user, "" for none
		form   url.Values
		status int
	}{
		{name: "sign_in", method: "GET", path: "/sign-in?next=%2Fpeople%2F1", status: 200},
		{name: "sign_in_errors", method: "POST", path: "/sign-in", form: url.Values{"email": {"sam@example.org"}}, status: 400},
		{name: "people_list", method: "GET", path: "/people", user: "caseworker", status: 200},
		{name: "people_search", method: "GET", path: "/people?name=amina&ref=&dob-day=&dob-month=5&dob-year=1990&postcode=", user: "caseworker", status: 200},
		{name: "person", method: "GET", path: "/people/1?done=person-added", user: "caseworker", status: 200},
		{name: "person_redacted", method: "GET", path: "/people/1", user: "inspector", status: 200},
		{name: "person_new_errors", method: "POST", path: "/people", user: "caseworker", status: 400,
			form: url.Values{"family_name": {""}, "dob-day": {"31"}, "dob-month": {"2"}, "dob-year": {"1990"}, "interpreter": {"yes"}}},
		{name: "contact_point_new_errors", method: "POST", path: "/people/1/contact-points", user: "caseworker", status: 400,
			form: url.Values{"kind": {"postal"}, "party": {"self"}, "address_town": {"London"}, "address_postcode": {"NOT A POSTCODE"}, "address_country": {"GB"}}},
		{name: "contact_point_change", method: "GET", path: "/contact-points/11/change", user: "caseworker", status: 200},
		{name: "notice", method: "GET", path: "/notices/1", user: "caseworker", status: 200},
		{name: "notice_on_file", method: "GET", path: "/notices/2", user: "caseworker", status: 200},
		{name: "notices_list", method: "GET", path: "/notices?state=on_file", user: "caseworker", status: 200},
		{name: "templates_list", method: "GET", path: "/templates", user: "caseworker", status: 200},
		{name: "outbox", method: "GET", path: "/outbox", user: "caseworker", status: 200},
		{name: "template_editor", method: "GET", path: "/templates/1", user: "caseworker", status: 200},
		{name: "template_new", method: "GET", path: "/templates/new", user: "caseworker", status: 200},
		{name: "notice_new", method: "GET", path: "/people/1/notices/new", user: "caseworker", status: 200},
		{name: "notice_new_errors", method: "POST", path: "/people/1/notices/preview", user: "caseworker", status: 400,
			form: url.Values{"template_key": {"reporting-notice-letter"}, "method": {""}, "p-reporting-notice-letter-date": {"16 March 2026"}}},
		{name: "my_tasks", method: "GET", path: "/tasks", user: "caseworker", status: 200},
		{name: "queues", method: "GET", path: "/queues", user: "caseworker", status: 200},
		{name: "queues_inspector", method: "GET", path: "/queues", user: "inspector", status: 200},
		{name: "queue", method: "GET", path: "/queues/contact", user: "caseworker", status: 200},
		{name: "task", method: "GET", path: "/tasks/1?done=claim", user: "caseworker", status: 200},
		{name: "task_open", method: "GET", path: "/tasks/2", user: "caseworker", status: 200},
		{name: "task_done", method: "GET", path: "/tasks/4", user: "caseworker", status: 200},
		{name: "task_done_errors", method: "POST", path: "/tasks/1/done", user: "caseworker", status: 400,
			form: url.Values{"version": {"3"}, "note": {"  "}}},
		{name: "task_change_errors", method: "POST", path: "/tasks/1/change", user: "caseworker", status: 400,
			form: url.Values{"version": {"3"}, "priority": {"high"}, "due-day": {"31"}, "due-month": {"2"}, "due-year": {"2026"}}},
		{name: "task_claim_conflict", method: "POST", path: "/tasks/2/claim", user: "caseworker", status: 409,
			form: url.Values{"version": {"1"}}},
		{name: "tasks_reassign", method: "GET", path: "/tasks/reassign", user: "admin", status: 200},
		{name: "not_found", method: "GET", path: "/people/99", user: "caseworker", status: 404},
		{name: "server_error", method: "GET", path: "/people/500", user: "caseworker", status: 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newPageFakeServer(t)
			var body io.Reader
			if tt.form != nil {
				body = strings.NewReader(tt.form.Encode())
			}
			req := httptest.NewRequest(tt.method, tt.path, body)
			if tt.form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if tt.user != "" {
				req.AddCookie(&http.Cookie{Name: SessionCookie, Value: tt.user})
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body:\n%s", rec.Code, tt.status, rec.Body)
			}
			if strings.Contains(rec.Body.String(), "on fire") {
				t.Errorf("the page shows an internal error's detail")
			}
			checkGolden(t, tt.name, rec.Body.Bytes())
		})
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".html")
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./web -run TestPageGolden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden file at line %d:\n got: %s\nwant: %s\n(run with -update to accept)", path, i+1, g, w)
			}
		}
	}
}

// newPageFakeServer is a server over fixed, in-memory data: the golden pages
// must not change when the store's reference numbers or ids do.
func newPageFakeServer(t *testing.T) *Server {
	t.Helper()
	f := newPageFake()
	svc := Services{People: f, Contacts: f, Users: f, Credentials: f, Correspondence: newCorrFake(), Tasks: newTasksFake()}
	return New(svc, Config{}, tether.NewManualClock(goldenNow), nil)
}

// pageFake implements just what the pages use of the services; calling
// anything else panics on the nil embedded interface, which fails the test.
type pageFake struct {
	tether.PersonService
	tether.ContactPointService
	tether.UserService
	tether.CredentialService

	people   map[int64]*tether.Person
	points   []*tether.ContactPoint
	events   []*tether.ContactPointEvent
	versions []*tether.PersonVersion
	users    map[int64]*tether.User
}

func fakeAt(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func fakeAtp(s string) *time.Time { t := fakeAt(s); return &t }

func newPageFake() *pageFake {
	orgID := int64(7)
	amina := &tether.Person{
		ID: 1, Ref: "TH-04817263K", FamilyName: "Yusuf", GivenNames: "Amina",
		OtherNames:  []tether.OtherName{{Kind: tether.NameAlias, FamilyName: "Yousef", GivenNames: "Amina"}, {Kind: tether.NameOtherScript, FamilyName: "ዩሱፍ", GivenNames: "አሚና", Script: "Ethi"}},
		DateOfBirth: tether.PartialDate{Year: 1990, Month: 5}, Nationality: "ER", PreferredLanguage: "ti",
		Needs:           tether.Needs{Interpreter: true, InterpreterLanguage: "ti", Accessibility: "Large print"},
		Representative:  &tether.Representative{Organisation: "Camden Law Centre", Name: "Joy Okafor", OrganisationID: &orgID, Instructed: true},
		WorkingChannels: 2, Version: 3, CreatedAt: fakeAt("2025-06-01T10:00:00Z"), UpdatedAt: fakeAt("2026-01-20T14:30:00Z"),
	}
	v1 := *amina
	v1.Version, v1.FamilyName, v1.OtherNames, v1.Representative = 1, "Yusef", nil, nil
	v2 := *amina
	v2.Version, v2.Needs = 2, tether.Needs{}
	people := map[int64]*tether.Person{
		1: amina,
		2: {ID: 2, Ref: "TH-00000017A", FamilyName: "Yusef", GivenNames: "Amina", DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 17}, Nationality: "ER", WorkingChannels: 0, Version: 1},
		3: {ID: 3, Ref: "TH-00000025B", FamilyName: "Tesfaye", GivenNames: "Dawit", DateOfBirth: tether.PartialDate{Year: 1985}, WorkingChannels: 1, Version: 1},
	}
	points := []*tether.ContactPoint{
		{ID: 13, PersonID: 1, Kind: tether.KindEmail, Party: tether.PartyEmergencyContact, PartyName: "Selam Yusuf", Relationship: "sister",
			Email: "selam@example.org", Source: tether.SourcePerson, ValidFrom: fakeAt("2025-09-01T11:00:00Z"), Verification: tether.Unverified, CreatedBy: "user:1"},
		{ID: 12, PersonID: 1, Kind: tether.KindMobile, Party: tether.PartySelf, Phone: "+447700900123", Source: tether.SourceRepresentative,
			ValidFrom: fakeAt("2025-08-15T09:30:00Z"), LastConfirmedAt: fakeAtp("2025-10-01T10:00:00Z"), ConfirmedHow: "sms_reply", Verification: tether.Verified, CreatedBy: "user:1"},
		{ID: 11, PersonID: 1, Kind: tether.KindPostal, Party: tether.PartySelf, ForCorrespondence: true,
			Address: &tether.Address{Lines: []string{"Flat 2", "14 Camden Road"}, Town: "London", Postcode: "NW1 9DP", Country: "GB"},
			Source:  tether.SourcePerson, ValidFrom: fakeAt("2026-01-15T12:00:00Z"), LastConfirmedAt: fakeAtp("2026-02-10T15:45:00Z"), ConfirmedHow: "in_person",
			Verification: tether.Verified, Replaces: fakePtr(int64(10)), CreatedBy: "user:1"},
		{ID: 10, PersonID: 1, Kind: tether.KindPostal, Party: tether.PartySelf,
			Address: &tether.Address{Lines: []string{"3 Station Road"}, Town: "Croydon", Postcode: "CR0 2AA", Country: "GB"},
			Source:  tether.SourceAgency, SourceDetail: "Local council", ValidFrom: fakeAt("2025-06-01T10:00:00Z"), ValidTo: fakeAtp("2026-01-15T12:00:00Z"),
			EndedReason: "Moved to a new address", Verification: tether.Verified, CreatedBy: "user:2"},
	}
	events := []*tether.ContactPointEvent{
		{ID: 7, ContactPointID: 11, PersonID: 1, Type: tether.EventConfirmed, Note: "in_person", Actor: "user:1", At: fakeAt("2026-02-10T15:45:00Z")},
		{ID: 6, ContactPointID: 11, PersonID: 1, Type: tether.EventAdded, Actor: "user:1", At: fakeAt("2026-01-15T12:00:00Z")},
		{ID: 5, ContactPointID: 10, PersonID: 1, Type: tether.EventReplaced, Note: "Moved to a new address", Actor: "user:1", At: fakeAt("2026-01-15T12:00:00Z")},
		{ID: 4, ContactPointID: 12, PersonID: 1, Type: tether.EventConfirmed, Note: "sms_reply", Actor: "user:1", At: fakeAt("2025-10-01T10:00:00Z")},
		{ID: 3, ContactPointID: 13, PersonID: 1, Type: tether.EventAdded, Actor: "user:1", At: fakeAt("2025-09-01T11:00:00Z")},
		{ID: 2, ContactPointID: 12, PersonID: 1, Type: tether.EventAdded, Actor: "user:1", At: fakeAt("2025-08-15T09:30:00Z")},
		{ID: 1, ContactPointID: 10, PersonID: 1, Type: tether.EventAdded, Actor: "cli:import", At: fakeAt("2025-06-01T10:00:00Z")},
	}
	versions := []*tether.PersonVersion{
		{PersonID: 1, Version: 2, Person: &v2, ChangedBy: "user:1", ChangedAt: fakeAt("2026-01-20T14:30:00Z")},
		{PersonID: 1, Version: 1, Person: &v1, ChangedBy: "user:2", ChangedAt: fakeAt("2025-07-01T08:15:00Z")},
	}
	users := map[int64]*tether.User{
		1: {ID: 1, Email: "sam@example.org", Name: "Sam Caseworker", Role: tether.RoleCaseworker},
		2: {ID: 2, Email: "ada@example.org", Name: "Ada Admin", Role: tether.RoleAdmin},
		3: {ID: 3, Email: "ian@example.org", Name: "Ian Inspector", Role: tether.RoleInspector},
	}
	return &pageFake{people: people, points: points, events: events, versions: versions, users: users}
}

func fakePtr[T any](v T) *T { return &v }

// sessions are the fake cookies: "caseworker", "inspector" and "admin".
func (f *pageFake) SessionUser(ctx context.Context, token string) (*tether.User, *tether.Session, error) {
	switch token {
	case "caseworker":
		return f.users[1], &tether.Session{UserID: 1, ExpiresAt: goldenNow.Add(time.Hour)}, nil
	case "inspector":
		return f.users[3], &tether.Session{UserID: 3, ExpiresAt: goldenNow.Add(time.Hour)}, nil
	case "admin":
		return f.users[2], &tether.Session{UserID: 2, ExpiresAt: goldenNow.Add(time.Hour)}, nil
	}
	return nil, nil, tether.Errorf(tether.EUNAUTHORIZED, "No session.")
}

func (f *pageFake) FindUsers(ctx context.Context) ([]*tether.User, error) {
	return []*tether.User{f.users[2], f.users[3], f.users[1]}, nil
}

func (f *pageFake) FindUserByID(ctx context.Context, id int64) (*tether.User, error) {
	if u, ok := f.users[id]; ok {
		return u, nil
	}
	return nil, tether.Errorf(tether.ENOTFOUND, "No user %d.", id)
}

func (f *pageFake) canSee(ctx context.Context) bool {
	a, _ := tether.ActorFromContext(ctx)
	return a.CanSeePersonalData()
}

func (f *pageFake) FindPersonByID(ctx context.Context, id int64) (*tether.Person, error) {
	if id == 500 {
		return nil, errors.New("the database is on fire")
	}
	p, ok := f.people[id]
	if !ok {
		return nil, tether.Errorf(tether.ENOTFOUND, "No person %d.", id)
	}
	if !f.canSee(ctx) {
		return p.Redacted(), nil
	}
	return p, nil
}

func (f *pageFake) FindPeople(ctx context.Context, flt tether.PersonFilter) ([]*tether.Person, int, error) {
	return []*tether.Person{f.people[3], f.people[2], f.people[1]}, 60, nil
}

func (f *pageFake) SearchPeople(ctx context.Context, q tether.SearchQuery) ([]*tether.SearchHit, error) {
	return []*tether.SearchHit{
		{Person: f.people[1], Score: 0.97, Reasons: []string{"name matches", "date of birth matches"}},
		{Person: f.people[2], Score: 0.81, Reasons: []string{"name sounds alike", "date of birth could match"}},
	}, nil
}

func (f *pageFake) FindLikelyDuplicates(ctx context.Context, p *tether.Person) ([]*tether.SearchHit, error) {
	return []*tether.SearchHit{
		{Person: f.people[1], Score: 1, Reasons: []string{"the same record"}},
		{Person: f.people[2], Score: 0.9, Reasons: []string{"name sounds alike", "date of birth could match"}},
	}, nil
}

func (f *pageFake) PersonHistory(ctx context.Context, id int64) ([]*tether.PersonVersion, error) {
	if id != 1 {
		return nil, nil
	}
	if !f.canSee(ctx) {
		var out []*tether.PersonVersion
		for _, v := range f.versions {
			c := *v
			c.Person = v.Person.Redacted()
			out = append(out, &c)
		}
		return out, nil
	}
	return f.versions, nil
}

func (f *pageFake) ContactPoints(ctx context.Context, personID int64) ([]*tether.ContactPoint, error) {
	var out []*tether.ContactPoint
	for _, c := range f.points {
		if c.PersonID == personID {
			if !f.canSee(ctx) {
				c = c.Redacted()
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *pageFake) FindContactPointByID(ctx context.Context, id int64) (*tether.ContactPoint, error) {
	for _, c := range f.points {
		if c.ID == id {
			return c, nil
		}
	}
	return nil, tether.Errorf(tether.ENOTFOUND, "No contact point %d.", id)
}

func (f *pageFake) ContactPointEvents(ctx context.Context, personID int64) ([]*tether.ContactPointEvent, error) {
	var out []*tether.ContactPointEvent
	for _, e := range f.events {
		if e.PersonID == personID {
			out = append(out, e)
		}
	}
	return out, nil
}
