package store

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
)

func postal(personID int64, pc string) *tether.ContactPoint {
	return &tether.ContactPoint{PersonID: personID, Kind: tether.KindPostal, Source: tether.SourcePerson, ForCorrespondence: true,
		Address: &tether.Address{Lines: []string{"1 Example Street"}, Town: "London", Postcode: pc}}
}

func mobile(personID int64, number string) *tether.ContactPoint {
	return &tether.ContactPoint{PersonID: personID, Kind: tether.KindMobile, Phone: number, Source: tether.SourcePerson}
}

// workingChannels reads the stored count.
func workingChannels(t *testing.T, db *DB, id int64) int {
	t.Helper()
	var n int
	if err := db.write.QueryRow(db.rebind(`SELECT working_channels FROM people WHERE id = ?`), id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestContactPointLifecycle(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		clock := db.Clock.(*tether.ManualClock)
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Mwangi", GivenNames: "Grace"})
		home := postal(p.ID, "sw1a1aa")
		if err := db.AddContactPoint(cw(), home); err != nil {
			t.Fatal(err)
		}
		if home.ID == 0 || home.Address.Postcode != "SW1A 1AA" || !home.ValidFrom.Equal(clock.Now()) ||
			home.CreatedBy != Caseworker.String() || home.Verification != tether.Unverified {
			t.Fatalf("added = %+v", home)
		}
		phone := mobile(p.ID, "07700 900123")
		if err := db.AddContactPoint(cw(), phone); err != nil {
			t.Fatal(err)
		}
		friend := mobile(p.ID, "07700 900456")
		friend.Party, friend.PartyName = tether.PartyEmergencyContact, "A Friend"
		if err := db.AddContactPoint(cw(), friend); err != nil {
			t.Fatal(err)
		}
		if n := workingChannels(t, db, p.ID); n != 2 {
			t.Fatalf("working channels = %d, want 2 (an emergency contact does not count)", n)
		}

		clock.Advance(time.Hour)
		if err := db.ConfirmContactPoint(cw(), phone.ID, "phone_call"); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindContactPointByID(cw(), phone.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Verification != tether.Verified || got.ConfirmedHow != "phone_call" || got.LastConfirmedAt == nil || !got.LastConfirmedAt.Equal(clock.Now()) {
			t.Fatalf("confirmed = %+v", got)
		}
		wantCode(t, db.ConfirmContactPoint(cw(), phone.ID, "telepathy"), tether.EINVALID)

		clock.Advance(time.Hour)
		if err := db.FailContactPoint(cw(), phone.ID, "number not in service"); err != nil {
			t.Fatal(err)
		}
		if n := workingChannels(t, db, p.ID); n != 1 {
			t.Fatalf("working channels after fail = %d, want 1", n)
		}

		clock.Advance(time.Hour)
		moved := postal(0, "E1 6AN")
		if err := db.ReplaceContactPoint(cw(), home.ID, moved, "moved house"); err != nil {
			t.Fatal(err)
		}
		if moved.PersonID != p.ID || moved.Replaces == nil || *moved.Replaces != home.ID || !moved.ValidFrom.Equal(clock.Now()) {
			t.Fatalf("replacement = %+v", moved)
		}
		old, _ := db.FindContactPointByID(cw(), home.ID)
		if old.ValidTo == nil || !old.ValidTo.Equal(clock.Now()) || old.EndedReason != "moved house" || old.Address.Postcode != "SW1A 1AA" {
			t.Fatalf("replaced = %+v", old)
		}
		wantCode(t, db.ReplaceContactPoint(cw(), home.ID, postal(0, "E1 6AN"), "again"), tether.ECONFLICT)
		wantCode(t, db.EndContactPoint(cw(), home.ID, "again"), tether.ECONFLICT)
		wantCode(t, db.ConfirmContactPoint(cw(), home.ID, "in_person"), tether.ECONFLICT)
		wantCode(t, db.FailContactPoint(cw(), home.ID, "returned"), tether.ECONFLICT)
		if n := workingChannels(t, db, p.ID); n != 1 {
			t.Fatalf("working channels after replace = %d, want 1", n)
		}

		before := countRows(t, db)
		wantCode(t, db.EndContactPoint(cw(), moved.ID, "  "), tether.EINVALID)
		wantCode(t, db.ReplaceContactPoint(cw(), moved.ID, postal(0, "not a postcode"), "moved"), tether.EINVALID)
		wantCode(t, db.ReplaceContactPoint(cw(), moved.ID, postal(0, "E1 6AN"), ""), tether.EINVALID)
		wantCode(t, db.FailContactPoint(cw(), moved.ID, ""), tether.EINVALID)
		wantCode(t, db.AddContactPoint(cw(), &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindMobile, Phone: "020 7946 0123", Source: tether.SourcePerson}), tether.EINVALID)
		wantCode(t, db.AddContactPoint(cw(), &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindEmail, Email: "not an email", Source: tether.SourcePerson}), tether.EINVALID)
		future := mobile(p.ID, "07700 900789")
		future.ValidFrom = clock.Now().Add(time.Hour)
		wantCode(t, db.AddContactPoint(cw(), future), tether.EINVALID)
		wantCode(t, db.AddContactPoint(cw(), mobile(424242, "07700 900123")), tether.ENOTFOUND)
		wantCode(t, db.EndContactPoint(cw(), 424242, "gone"), tether.ENOTFOUND)
		wantCode(t, db.AddContactPoint(AsActor(tether.Actor{UserID: 3, Role: tether.RoleEnquiries}), mobile(p.ID, "07700 900123")), tether.EFORBIDDEN)
		wantCode(t, db.ConfirmContactPoint(AsActor(inspector), moved.ID, "in_person"), tether.EFORBIDDEN)
		if after := countRows(t, db); !mapsEqual(before, after) {
			t.Fatalf("refusals wrote: %v -> %v", before, after)
		}

		clock.Advance(time.Hour)
		if err := db.EndContactPoint(cw(), moved.ID, "left the country"); err != nil {
			t.Fatal(err)
		}
		if n := workingChannels(t, db, p.ID); n != 0 {
			t.Fatalf("working channels after end = %d, want 0", n)
		}
		none, total, err := db.FindPeople(cw(), tether.PersonFilter{NoWorkingChannel: true})
		if err != nil || total != 1 || none[0].ID != p.ID {
			t.Fatalf("no working channel = %v, %d, %v", none, total, err)
		}

		// Nothing was overwritten: every point is still there, newest first.
		points, err := db.ContactPoints(cw(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, c := range points {
			ids = append(ids, c.ID)
		}
		if want := []int64{moved.ID, friend.ID, phone.ID, home.ID}; !slices.Equal(ids, want) {
			t.Fatalf("points = %v, want %v", ids, want)
		}
		if h := tether.AssessContact(points, clock.Now()); h.Level != tether.HealthNone || h.WorkingChannels != 0 || !h.AnyFailed {
			t.Fatalf("health = %+v", h)
		}
		events, err := db.ContactPointEvents(cw(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.Type+":"+e.Note)
		}
		want := []string{"ended:left the country", "added:", "replaced:moved house", "failed:number not in service",
			"confirmed:phone_call", "added:", "added:", "added:"}
		if !slices.Equal(kinds, want) {
			t.Fatalf("events = %v, want %v", kinds, want)
		}

		var actions []string
		for _, id := range []int64{home.ID, phone.ID, moved.ID} {
			actions = append(actions, auditActions(t, db, "contact_point", id)...)
		}
		wantActions := []string{"contact_point.add", "contact_point.replace", "contact_point.read", // home
			"contact_point.add", "contact_point.confirm", "contact_point.read", "contact_point.fail", // phone
			"contact_point.add", "contact_point.end"} // moved
		if !slices.Equal(actions, wantActions) {
			t.Fatalf("audit = %v, want %v", actions, wantActions)
		}
		// Audit details hold field names and kinds, never the values.
		for _, action := range []string{"contact_point.add", "contact_point.replace", "contact_point.end", "contact_point.confirm", "contact_point.fail"} {
			for _, d := range auditDetails(t, db, action) {
				for _, secret := range []string{"SW1A", "E1 6AN", "7700", "moved house", "left the country", "not in service", "Friend"} {
					if strings.Contains(d, secret) {
						t.Fatalf("%s detail %q holds %q", action, d, secret)
					}
				}
			}
		}

		// An inspector without the grant sees kinds and areas, not values.
		ipoints, err := db.ContactPoints(AsActor(inspector), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range ipoints {
			if c.Phone != "" || c.Email != "" || c.PartyName != "" || (c.Address != nil && (len(c.Address.Lines) > 0 || c.Address.Postcode == "SW1A 1AA")) {
				t.Fatalf("inspector sees %+v", c)
			}
		}
		ievents, _ := db.ContactPointEvents(AsActor(inspector), p.ID)
		for _, e := range ievents {
			if e.Note != "" && e.Type != tether.EventConfirmed {
				t.Fatalf("inspector sees note %q", e.Note)
			}
		}
	})
}

func TestContactPointFromAnImportedHistory(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		// A point given with a past start keeps it.
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Jama", GivenNames: "Hodan"})
		c := mobile(p.ID, "+447700900111")
		c.ValidFrom = db.Clock.Now().AddDate(-1, 0, 0)
		if err := db.AddContactPoint(cw(), c); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindContactPointByID(cw(), c.ID)
		if err != nil || !got.ValidFrom.Equal(c.ValidFrom) || got.Replaces != nil || got.ValidTo != nil {
			t.Fatalf("point = %+v, %v", got, err)
		}
	})
}

func TestConcurrentChanges(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Okonkwo", GivenNames: "Ngozi"})
		// Many points added at once: the count sees every one.
		const n = 8
		errs := make(chan error, n)
		for i := range n {
			go func() { errs <- db.AddContactPoint(cw(), mobile(p.ID, "+44770090010"+strconv.Itoa(i))) }()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if got := workingChannels(t, db, p.ID); got != n {
			t.Fatalf("working channels = %d, want %d", got, n)
		}
		// Many editors of one version: one wins, the rest are told.
		wins := make(chan error, n)
		for i := range n {
			go func() {
				q := *p
				q.GivenNames = "Ngozi " + strings.Repeat("A", i+1)
				wins <- db.UpdatePerson(cw(), &q)
			}()
		}
		ok := 0
		for range n {
			switch err := <-wins; tether.ErrorCode(err) {
			case "":
				ok++
			case tether.ECONFLICT:
			default:
				t.Fatal(err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d updates of version 1 succeeded, want 1", ok)
		}
		hist, err := db.PersonHistory(cw(), p.ID)
		if err != nil || len(hist) != 1 {
			t.Fatalf("history = %d versions, %v", len(hist), err)
		}
	})
}
