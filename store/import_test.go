package store

import (
	"strings"
	"testing"
	"time"

	"tether"
)

func TestImportPeople(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		// More people and points than one statement holds on either engine.
		const n = 4000
		g := newPopulation(11, 500000, db.Clock.Now())
		batch := g.batch(n)
		// Every generated row is valid, as the importer's callers promise.
		wantPoints, wantKeys, wantNone := 0, 0, 0
		for i, row := range batch {
			if err := row.Person.Validate(db.Clock.Now()); err != nil {
				t.Fatalf("row %d: %v", i, err)
			}
			for _, c := range row.ContactPoints {
				if err := c.Validate(); err != nil {
					t.Fatalf("row %d: %v", i, err)
				}
			}
			wantPoints += len(row.ContactPoints)
			wantKeys += len(nameKeys(row.Person))
			if tether.AssessContact(row.ContactPoints, db.Clock.Now()).WorkingChannels == 0 {
				wantNone++
			}
		}
		// A repeat within the batch is skipped.
		repeat := g.batch(1)[0]
		repeat.Person.Ref = batch[10].Person.Ref
		batch = append(batch, repeat)

		res, err := db.ImportPeople(cw(), batch)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != n || res.Skipped != 1 {
			t.Fatalf("result = %+v", res)
		}
		rows := countRows(t, db)
		if rows["people"] != n || rows["contact_points"] != wantPoints || rows["person_name_keys"] != wantKeys || rows["audit_log"] != n {
			t.Fatalf("rows = %v, want %d people, %d points, %d keys", rows, n, wantPoints, wantKeys)
		}
		if got := len(auditDetails(t, db, "person.import")); got != n {
			t.Fatalf("%d person.import entries, want %d", got, n)
		}
		report, err := db.VerifyAudit(adminCtx())
		if err != nil || !report.OK {
			t.Fatalf("audit chain = %+v, %v", report, err)
		}

		// What was stored reads back, with its working channels.
		for _, i := range []int{0, 1, 1819, 1820, 1821, 2999, n - 1} {
			row := batch[i]
			p, err := db.FindPersonByRef(cw(), row.Person.Ref)
			if err != nil {
				t.Fatal(err)
			}
			if p.ID != row.Person.ID || p.FullName() != row.Person.FullName() || p.DateOfBirth != row.Person.DateOfBirth {
				t.Fatalf("row %d stored as %+v", i, p)
			}
			points, err := db.ContactPoints(cw(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(points) != len(row.ContactPoints) {
				t.Fatalf("row %d: %d points, want %d", i, len(points), len(row.ContactPoints))
			}
			if want := tether.AssessContact(points, db.Clock.Now()).WorkingChannels; p.WorkingChannels != want {
				t.Fatalf("row %d: working channels %d, want %d", i, p.WorkingChannels, want)
			}
			for _, c := range points {
				if c.Source != tether.SourceImport || c.CreatedBy != Caseworker.String() || c.PersonID != p.ID {
					t.Fatalf("row %d point %+v", i, c)
				}
			}
		}
		_, none, err := db.FindPeople(cw(), tether.PersonFilter{NoWorkingChannel: true})
		if err != nil || none != wantNone {
			t.Fatalf("no working channel = %d, want %d (%v)", none, wantNone, err)
		}
		// Imported people are found by name.
		p := batch[1234].Person
		hits, err := db.SearchPeople(cw(), tether.SearchQuery{Name: p.FullName(), DateOfBirth: p.DateOfBirth, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if !containsPerson(hits, p.ID) {
			t.Fatalf("imported person not found:%s", describeHits(hits))
		}

		// A second run of the same file adds nothing.
		before := countRows(t, db)
		again := newPopulation(11, 500000, db.Clock.Now()).batch(n)
		res, err = db.ImportPeople(cw(), again)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 0 || res.Skipped != n {
			t.Fatalf("second run = %+v", res)
		}
		if after := countRows(t, db); !mapsEqual(before, after) {
			t.Fatalf("second run wrote: %v -> %v", before, after)
		}
	})
}

func containsPerson(hits []*tether.SearchHit, id int64) bool {
	for _, h := range hits {
		if h.Person.ID == id {
			return true
		}
	}
	return false
}

func TestImportPeopleRefusals(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		g := newPopulation(3, 100, db.Clock.Now())
		batch := g.batch(5)
		batch[3].Person.Ref = ""
		before := countRows(t, db)
		_, err := db.ImportPeople(cw(), batch)
		wantCode(t, err, tether.EINVALID)
		if f := tether.ErrorFields(err); !strings.Contains(f["batch[3].ref"], "reference") {
			t.Fatalf("fields = %v", f)
		}
		batch[3].Person.Ref = "TH-12345678X"
		_, err = db.ImportPeople(cw(), batch)
		wantCode(t, err, tether.EINVALID)
		_, err = db.ImportPeople(cw(), []tether.PersonImport{{}})
		wantCode(t, err, tether.EINVALID)
		_, err = db.ImportPeople(AsActor(tether.Actor{UserID: 1, Role: tether.RoleEnquiries}), g.batch(1))
		wantCode(t, err, tether.EFORBIDDEN)
		_, err = db.ImportPeople(AsActor(tether.Actor{}), g.batch(1))
		wantCode(t, err, tether.EUNAUTHORIZED)
		// A rule only the store can check: the organisation must exist.
		missing := int64(4242)
		bad := g.batch(3)
		bad[1].Person.Representative = &tether.Representative{Organisation: "Nowhere", OrganisationID: &missing}
		_, err = db.ImportPeople(cw(), bad)
		wantCode(t, err, tether.EINVALID)
		if after := countRows(t, db); !mapsEqual(before, after) {
			t.Fatalf("refusals wrote: %v -> %v", before, after)
		}
		if res, err := db.ImportPeople(cw(), nil); err != nil || res != (tether.ImportResult{}) {
			t.Fatalf("empty batch = %+v, %v", res, err)
		}
	})
}

func TestSQLiteTimeMatchesTS(t *testing.T) {
	t.Parallel()
	db := &DB{Dialect: SQLite}
	for _, tm := range []time.Time{
		time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2001, 1, 1, 0, 0, 0, 1000, time.FixedZone("X", 5*3600+1800)),
		time.Unix(0, 0),
	} {
		ta := &timeArgs{db: db}
		if got, want := ta.arg(tm), db.ts(tm); got != want {
			t.Errorf("timeArgs(%v) = %v, want %v", tm, got, want)
		}
	}
}

// TestImportAuditEntries checks that the entries the importer writes in bulk
// are what Tx.Audit would have written (who, when, what, which person), and
// that the chain holds across imports interleaved with other audited writes.
func TestImportAuditEntries(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		g := newPopulation(5, 700000, db.Clock.Now())
		for round := 0; round < 3; round++ {
			batch := g.batch(250)
			if _, err := db.ImportPeople(cw(), batch); err != nil {
				t.Fatal(err)
			}
			// Another audited write between imports.
			p := g.batch(1)[0].Person
			p.ID = 0
			if err := db.CreatePerson(cw(), p); err != nil {
				t.Fatal(err)
			}
			entries, err := db.FindAuditEntries(adminCtx(), tether.AuditFilter{Entity: "person", EntityID: batch[len(batch)-1].Person.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 {
				t.Fatalf("round %d: %d entries for the last person imported, want 1", round, len(entries))
			}
			e := entries[0]
			want := tether.AuditEntry{Seq: e.Seq, At: db.Clock.Now().UTC().Truncate(time.Microsecond), Actor: e.Actor,
				Action: "person.import", Entity: "person", EntityID: batch[len(batch)-1].Person.ID}
			if e.Actor == "" || e.Action != want.Action || e.Entity != want.Entity || e.Detail != "" || !e.At.Equal(want.At) {
				t.Fatalf("round %d: entry %+v", round, e)
			}
			if e.Hash != e.ComputeHash(e.PrevHash) {
				t.Fatalf("round %d: entry %+v is not sealed", round, e)
			}
		}
		if got := len(auditDetails(t, db, "person.import")); got != 750 {
			t.Fatalf("%d person.import entries, want 750", got)
		}
		report, err := db.VerifyAudit(adminCtx())
		if err != nil || !report.OK || report.Entries != 753 {
			t.Fatalf("audit chain = %+v, %v", report, err)
		}
	})
}
