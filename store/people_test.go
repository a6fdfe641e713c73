package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/reference"
)

// cw is a caseworker's context.
func cw() context.Context { return AsActor(Caseworker) }

// orgActor is a user of an organisation.
func orgActor(id int64) tether.Actor {
	return tether.Actor{UserID: 900 + id, Role: tether.RoleOrganisation, OrganisationID: &id}
}

var inspector = tether.Actor{UserID: 800, Role: tether.RoleInspector}

// mustCreatePerson stores a person as a caseworker.
func mustCreatePerson(t *testing.T, db *DB, p *tether.Person) *tether.Person {
	t.Helper()
	if err := db.CreatePerson(cw(), p); err != nil {
		t.Fatalf("create person: %v", err)
	}
	return p
}

// countRows counts the rows of each table, to show that a refusal wrote
// nothing.
func countRows(t *testing.T, db *DB) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, table := range []string{"people", "person_name_keys", "person_versions", "contact_points", "contact_point_events", "audit_log"} {
		var c int
		if err := db.write.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&c); err != nil {
			t.Fatal(err)
		}
		n[table] = c
	}
	return n
}

func samePerson(t *testing.T, got, want *tether.Person) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Fatalf("person =\n%s\nwant\n%s", g, w)
	}
}

// auditDetails lists the details of the audit entries with an action.
func auditDetails(t *testing.T, db *DB, action string) []string {
	t.Helper()
	rows, err := db.write.Query(db.rebind(`SELECT detail FROM audit_log WHERE action = ? ORDER BY seq`), action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func TestPersonCreateReadUpdate(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		p := mustCreatePerson(t, db, &tether.Person{
			FamilyName: "  al-Hassan ", GivenNames: "Mohammed  Ali", DateOfBirth: tether.PartialDate{Year: 1990, Month: 5},
			Nationality: "sy", PreferredLanguage: "ar", Needs: tether.Needs{Interpreter: true},
			OtherNames:     []tether.OtherName{{Kind: tether.NameOtherScript, FamilyName: "الحسن", GivenNames: "محمد", Script: "Arab"}},
			Representative: &tether.Representative{Organisation: "Example Law", Name: "A Solicitor", Instructed: true},
		})
		if p.ID == 0 || !reference.Valid(p.Ref) || p.Version != 1 || p.FamilyName != "al-Hassan" || p.Nationality != "SY" {
			t.Fatalf("created = %+v", p)
		}
		if !p.CreatedAt.Equal(db.Clock.Now()) || !p.UpdatedAt.Equal(p.CreatedAt) {
			t.Fatalf("times = %v %v", p.CreatedAt, p.UpdatedAt)
		}
		got, err := db.FindPersonByID(cw(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		samePerson(t, got, p)
		byRef, err := db.FindPersonByRef(cw(), strings.ToLower(strings.ReplaceAll(p.Ref, "-", " ")))
		if err != nil {
			t.Fatal(err)
		}
		samePerson(t, byRef, p)

		clock := db.Clock.(*tether.ManualClock)
		clock.Advance(time.Hour)
		edit := *got
		edit.FamilyName, edit.OtherNames = "Hassan", nil
		edit.Ref = "TH-00000001D" // not changeable: ignored
		if err := db.UpdatePerson(cw(), &edit); err != nil {
			t.Fatal(err)
		}
		if edit.Version != 2 || edit.Ref != p.Ref || !edit.UpdatedAt.Equal(clock.Now()) || !edit.CreatedAt.Equal(p.CreatedAt) {
			t.Fatalf("updated = %+v", edit)
		}
		// A second editor still holding version 1 is refused.
		stale := *got
		stale.GivenNames = "Mo"
		before := countRows(t, db)
		wantCode(t, db.UpdatePerson(cw(), &stale), tether.ECONFLICT)
		if after := countRows(t, db); !mapsEqual(before, after) {
			t.Fatalf("conflict wrote: %v -> %v", before, after)
		}
		now, _ := db.FindPersonByID(cw(), p.ID)
		samePerson(t, now, &edit)

		hist, err := db.PersonHistory(cw(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 1 || hist[0].Version != 1 || hist[0].ChangedBy != Caseworker.String() || !hist[0].ChangedAt.Equal(clock.Now()) {
			t.Fatalf("history = %+v", hist)
		}
		samePerson(t, hist[0].Person, p)

		// Search keys follow the names: the old other-script name is gone.
		var keys []string
		rows, _ := db.write.Query(db.rebind(`SELECT key FROM person_name_keys WHERE person_id = ? ORDER BY key`), p.ID)
		for rows.Next() {
			var k string
			rows.Scan(&k)
			keys = append(keys, k)
		}
		rows.Close()
		if want := []string{"al", "hsn", "mhmt"}; !slices.Equal(keys, want) {
			t.Fatalf("keys = %v, want %v", keys, want)
		}
		if got := auditActions(t, db, "person", p.ID); !slices.Equal(got, []string{
			"person.create", "person.read", "person.read", "person.update", "person.read", "person.history.read",
		}) {
			t.Fatalf("audit = %v", got)
		}
		if d := auditDetails(t, db, "person.update"); len(d) != 1 || d[0] != "family_name,other_names" {
			t.Fatalf("update detail = %q", d)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestPersonRef(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		ref, _ := reference.New(4817263)
		p := mustCreatePerson(t, db, &tether.Person{Ref: strings.ToLower(ref), FamilyName: "Smith"})
		if p.Ref != ref {
			t.Fatalf("ref = %q, want %q", p.Ref, ref)
		}
		before := countRows(t, db)
		err := db.CreatePerson(cw(), &tether.Person{Ref: ref, FamilyName: "Jones"})
		wantCode(t, err, tether.ECONFLICT)
		if tether.ErrorFields(err)["ref"] == "" {
			t.Fatalf("fields = %v", tether.ErrorFields(err))
		}
		if after := countRows(t, db); !mapsEqual(before, after) {
			t.Fatalf("conflict wrote: %v -> %v", before, after)
		}
		// Generated references are distinct.
		seen := map[string]bool{ref: true}
		for range 20 {
			q := mustCreatePerson(t, db, &tether.Person{FamilyName: "Jones"})
			if seen[q.Ref] || !reference.Valid(q.Ref) {
				t.Fatalf("ref %q repeated or invalid", q.Ref)
			}
			seen[q.Ref] = true
		}
		_, err = db.FindPersonByRef(cw(), "TH-nonsense")
		wantCode(t, err, tether.ENOTFOUND)
		_, err = db.FindPersonByID(cw(), 123456)
		wantCode(t, err, tether.ENOTFOUND)
	})
}

func TestPersonValidationWritesNothing(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		stored := mustCreatePerson(t, db, &tether.Person{FamilyName: "Okafor", GivenNames: "Chidi"})
		tomorrow := db.Clock.Now().AddDate(0, 0, 2)
		bad := map[string]*tether.Person{
			"no family name":   {GivenNames: "Chidi"},
			"digits":           {FamilyName: "Okafor2"},
			"future birth":     {FamilyName: "Okafor", DateOfBirth: tether.PartialDate{Year: tomorrow.Year(), Month: int(tomorrow.Month()), Day: tomorrow.Day()}},
			"bad nationality":  {FamilyName: "Okafor", Nationality: "XX"},
			"bad language":     {FamilyName: "Okafor", PreferredLanguage: "not a tag"},
			"bad ref":          {FamilyName: "Okafor", Ref: "TH-04817263A"},
			"bad other name":   {FamilyName: "Okafor", OtherNames: []tether.OtherName{{Kind: "nickname", FamilyName: "O"}}},
			"no rep org":       {FamilyName: "Okafor", Representative: &tether.Representative{Name: "A Person"}},
			"interpreter lang": {FamilyName: "Okafor", Needs: tether.Needs{Interpreter: true}},
		}
		for name, p := range bad {
			before := countRows(t, db)
			err := db.CreatePerson(cw(), p)
			wantCode(t, err, tether.EINVALID)
			if after := countRows(t, db); !mapsEqual(before, after) {
				t.Fatalf("%s: create wrote: %v -> %v", name, before, after)
			}
			if name == "bad ref" {
				continue // an update keeps the stored reference
			}
			p.ID, p.Version = stored.ID, stored.Version
			err = db.UpdatePerson(cw(), p)
			wantCode(t, err, tether.EINVALID)
			if after := countRows(t, db); !mapsEqual(before, after) {
				t.Fatalf("%s: update wrote: %v -> %v", name, before, after)
			}
		}
		// A link to an organisation that does not exist.
		missing := int64(999)
		before := countRows(t, db)
		wantCode(t, db.CreatePerson(cw(), &tether.Person{FamilyName: "Okafor",
			Representative: &tether.Representative{Organisation: "Nowhere", OrganisationID: &missing}}), tether.EINVALID)
		if after := countRows(t, db); !mapsEqual(before, after) {
			t.Fatalf("bad organisation wrote: %v -> %v", before, after)
		}
		wantCode(t, db.UpdatePerson(cw(), &tether.Person{ID: 424242, FamilyName: "Okafor", Version: 1}), tether.ENOTFOUND)
	})
}

func TestPersonRoles(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Tesfay", GivenNames: "Semhar", DateOfBirth: tether.PartialDate{Year: 1999, Month: 3, Day: 4}})
		before := countRows(t, db)
		wantCode(t, db.CreatePerson(context.Background(), &tether.Person{FamilyName: "X"}), tether.EUNAUTHORIZED)
		_, err := db.FindPersonByID(context.Background(), p.ID)
		wantCode(t, err, tether.EUNAUTHORIZED)
		_, _, err = db.FindPeople(context.Background(), tether.PersonFilter{})
		wantCode(t, err, tether.EUNAUTHORIZED)
		_, err = db.SearchPeople(context.Background(), tether.SearchQuery{Name: "Semhar"})
		wantCode(t, err, tether.EUNAUTHORIZED)
		for _, role := range []tether.Role{tether.RoleEnquiries, tether.RoleInspector, tether.RoleOrganisation} {
			ctx := AsActor(tether.Actor{UserID: 5, Role: role})
			wantCode(t, db.CreatePerson(ctx, &tether.Person{FamilyName: "X"}), tether.EFORBIDDEN)
			q := *p
			wantCode(t, db.UpdatePerson(ctx, &q), tether.EFORBIDDEN)
		}
		if after := countRows(t, db); !mapsEqual(before, after) {
			t.Fatalf("refusals wrote: %v -> %v", before, after)
		}

		// An inspector without the grant sees the record redacted and may
		// search by reference only.
		ictx := AsActor(inspector)
		got, err := db.FindPersonByID(ictx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FamilyName != "[redacted]" || got.GivenNames != "" || got.DateOfBirth != (tether.PartialDate{Year: 1999}) || got.Ref != p.Ref {
			t.Fatalf("inspector sees %+v", got)
		}
		_, err = db.SearchPeople(ictx, tether.SearchQuery{Name: "Semhar Tesfay"})
		wantCode(t, err, tether.EFORBIDDEN)
		hits, err := db.SearchPeople(ictx, tether.SearchQuery{Ref: p.Ref})
		if err != nil || len(hits) != 1 || hits[0].Person.FamilyName != "[redacted]" {
			t.Fatalf("inspector ref search = %v, %v", hits, err)
		}
		list, _, err := db.FindPeople(ictx, tether.PersonFilter{})
		if err != nil || len(list) != 1 || list[0].FamilyName != "[redacted]" {
			t.Fatalf("inspector list = %v, %v", list, err)
		}
		// With the grant, everything.
		granted := inspector
		granted.PersonalData = true
		got, err = db.FindPersonByID(AsActor(granted), p.ID)
		if err != nil || got.FamilyName != "Tesfay" {
			t.Fatalf("granted inspector sees %+v, %v", got, err)
		}
	})
}

func TestPersonOrganisationVisibility(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		orgA := seedOrganisation(t, db, "Office A")
		orgB := seedOrganisation(t, db, "Office B")
		theirs := mustCreatePerson(t, db, &tether.Person{FamilyName: "Haile", GivenNames: "Dawit",
			Representative: &tether.Representative{Organisation: "Office A", OrganisationID: &orgA.ID, Instructed: true}})
		other := mustCreatePerson(t, db, &tether.Person{FamilyName: "Haile", GivenNames: "Yonas"})
		if err := db.AddContactPoint(cw(), &tether.ContactPoint{PersonID: theirs.ID, Kind: tether.KindMobile, Phone: "07700 900123", Source: tether.SourcePerson}); err != nil {
			t.Fatal(err)
		}

		a, b := AsActor(orgActor(orgA.ID)), AsActor(orgActor(orgB.ID))
		if got, err := db.FindPersonByID(a, theirs.ID); err != nil || got.GivenNames != "Dawit" {
			t.Fatalf("own person: %v, %v", got, err)
		}
		_, err := db.FindPersonByID(a, other.ID)
		wantCode(t, err, tether.ENOTFOUND)
		_, err = db.FindPersonByRef(b, theirs.Ref)
		wantCode(t, err, tether.ENOTFOUND)
		_, err = db.ContactPoints(b, theirs.ID)
		wantCode(t, err, tether.ENOTFOUND)
		_, err = db.PersonHistory(b, theirs.ID)
		wantCode(t, err, tether.ENOTFOUND)
		if pts, err := db.ContactPoints(a, theirs.ID); err != nil || len(pts) != 1 {
			t.Fatalf("own points: %v, %v", pts, err)
		}
		cp, err := db.ContactPoints(cw(), theirs.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.FindContactPointByID(b, cp[0].ID)
		wantCode(t, err, tether.ENOTFOUND)
		// The refusals are the same as for nobody at all...
		_, err = db.FindPersonByID(b, 987654)
		wantCode(t, err, tether.ENOTFOUND)
		// ...but recorded.
		if got := auditActions(t, db, "person", other.ID); !slices.Contains(got, "person.read.denied") {
			t.Fatalf("audit for other = %v", got)
		}
		denied := 0
		for _, act := range auditActions(t, db, "person", theirs.ID) {
			if act == "person.read.denied" {
				denied++
			}
		}
		if denied != 4 {
			t.Fatalf("denied entries for theirs = %d, want 4", denied)
		}

		list, total, err := db.FindPeople(a, tether.PersonFilter{})
		if err != nil || total != 1 || len(list) != 1 || list[0].ID != theirs.ID {
			t.Fatalf("org A list = %v, %d, %v", list, total, err)
		}
		list, total, err = db.FindPeople(b, tether.PersonFilter{})
		if err != nil || total != 0 || len(list) != 0 {
			t.Fatalf("org B list = %v, %d, %v", list, total, err)
		}
		hits, err := db.SearchPeople(a, tether.SearchQuery{Name: "Haile"})
		if err != nil || len(hits) != 1 || hits[0].Person.ID != theirs.ID {
			t.Fatalf("org A search = %v, %v", hits, err)
		}
		hits, err = db.SearchPeople(b, tether.SearchQuery{Name: "Dawit Haile"})
		if err != nil || len(hits) != 0 {
			t.Fatalf("org B search = %v, %v", hits, err)
		}
		hits, err = db.SearchPeople(b, tether.SearchQuery{Ref: theirs.Ref})
		if err != nil || len(hits) != 0 {
			t.Fatalf("org B ref search = %v, %v", hits, err)
		}
	})
}

func TestFindPeople(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		var refs []string
		for i := range 7 {
			p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Person", GivenNames: strings.Repeat("A", i+1)})
			refs = append(refs, p.Ref)
			if i%2 == 0 {
				if err := db.AddContactPoint(cw(), &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindEmail, Email: "a@example.org", Source: tether.SourcePerson}); err != nil {
					t.Fatal(err)
				}
			}
		}
		slices.Sort(refs)
		page, total, err := db.FindPeople(cw(), tether.PersonFilter{Offset: 2, Limit: 3})
		if err != nil || total != 7 || len(page) != 3 {
			t.Fatalf("page = %d of %d, %v", len(page), total, err)
		}
		for i, p := range page {
			if p.Ref != refs[2+i] {
				t.Fatalf("page[%d] = %s, want %s", i, p.Ref, refs[2+i])
			}
		}
		none, total, err := db.FindPeople(cw(), tether.PersonFilter{NoWorkingChannel: true})
		if err != nil || total != 3 || len(none) != 3 {
			t.Fatalf("no working channel = %d of %d, %v", len(none), total, err)
		}
		for _, p := range none {
			if p.WorkingChannels != 0 {
				t.Fatalf("listed %+v", p)
			}
		}
		past, total, err := db.FindPeople(cw(), tether.PersonFilter{Offset: 50})
		if err != nil || total != 7 || len(past) != 0 {
			t.Fatalf("past the end = %d of %d, %v", len(past), total, err)
		}
		_, _, err = db.FindPeople(cw(), tether.PersonFilter{Offset: -1})
		wantCode(t, err, tether.EINVALID)
		if d := auditDetails(t, db, "people.list"); len(d) != 3 || !strings.HasPrefix(d[1], "no_working_channel") {
			t.Fatalf("list audit = %q", d)
		}
	})
}
