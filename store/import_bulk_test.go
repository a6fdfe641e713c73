package store

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"tether"
)

// indexNames lists the SQLite indexes of the named ones that exist, and
// how many indexes import_held_indexes records, as committed (through the
// read pool: a bulk import holds the write connection).
func indexNames(t *testing.T, db *DB, names ...string) (present []string, recorded int) {
	t.Helper()
	for _, name := range names {
		var n int
		if err := db.read.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			present = append(present, name)
		}
	}
	var table int
	if err := db.read.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'import_held_indexes'`).Scan(&table); err != nil {
		t.Fatal(err)
	}
	if table > 0 {
		if err := db.read.QueryRow(`SELECT COUNT(*) FROM import_held_indexes`).Scan(&recorded); err != nil {
			t.Fatal(err)
		}
	}
	return present, recorded
}

// A bulk import large enough to hold the indexes stores what one
// ImportPeople per batch would: repeats within a batch, across batches
// and already stored are skipped with their contact points and search
// keys; the audit chain holds an entry per person; the held indexes are
// there again at Close; and a second run adds nothing.
func TestBulkImport(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		g := newPopulation(31, 800000, db.Clock.Now())
		// Stored before the import.
		before := g.batch(5)
		if _, err := db.ImportPeople(cw(), before); err != nil {
			t.Fatal(err)
		}
		batches := [][]tether.PersonImport{g.batch(1500), g.batch(1500), g.batch(700)}
		// Repeats: within a batch, of an earlier batch, of what was stored.
		repeat := func(b []tether.PersonImport, at int, ref string) {
			b[at].Person.Ref = ref
		}
		repeat(batches[1], 3, batches[1][900].Person.Ref)
		repeat(batches[1], 1000, batches[0][17].Person.Ref)
		repeat(batches[2], 5, before[2].Person.Ref)
		repeat(batches[2], 6, batches[2][1].Person.Ref)
		skipped := map[*tether.Person]bool{batches[1][1000].Person: true, batches[2][5].Person: true,
			batches[2][6].Person: true, batches[1][900].Person: true}
		// batches[1][3] comes before [900] in the file: [900] is the repeat.
		var wantPeople, wantPoints, wantKeys int
		for _, b := range batches {
			for _, row := range b {
				if !skipped[row.Person] {
					wantPeople++
					wantPoints += len(row.ContactPoints)
					wantKeys += len(nameKeys(row.Person))
				}
			}
		}
		start := countRows(t, db)

		b, err := db.BulkImport(cw(), bulkHoldMin)
		if err != nil {
			t.Fatal(err)
		}
		var created, skips int
		for i, batch := range batches {
			res, err := b.ImportPeople(cw(), batch)
			if err != nil {
				t.Fatalf("batch %d: %v", i, err)
			}
			created, skips = created+res.Created, skips+res.Skipped
			if db.Dialect == SQLite {
				if present, recorded := indexNames(t, db, bulkHeldIndexes...); len(present) != 0 || recorded != len(bulkHeldIndexes) {
					t.Fatalf("during the import: indexes %v, %d recorded as held", present, recorded)
				}
			}
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if err := b.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		if db.Dialect == SQLite {
			if present, recorded := indexNames(t, db, bulkHeldIndexes...); len(present) != len(bulkHeldIndexes) || recorded != 0 {
				t.Fatalf("after the import: indexes %v, %d recorded as held", present, recorded)
			}
			if st := b.Stats(); !slices.Equal(st.Held, bulkHeldIndexes) || st.Commits != 1 {
				t.Fatalf("stats %+v", st)
			}
		}
		if created != wantPeople || skips != len(skipped) {
			t.Fatalf("created %d, skipped %d; want %d, %d", created, skips, wantPeople, len(skipped))
		}
		rows := countRows(t, db)
		if rows["people"]-start["people"] != wantPeople || rows["contact_points"]-start["contact_points"] != wantPoints ||
			rows["person_name_keys"]-start["person_name_keys"] != wantKeys || rows["audit_log"]-start["audit_log"] != wantPeople {
			t.Fatalf("rows %v -> %v; want %d people, %d points, %d keys more", start, rows, wantPeople, wantPoints, wantKeys)
		}
		report, err := db.VerifyAudit(adminCtx())
		if err != nil || !report.OK {
			t.Fatalf("audit chain = %+v, %v", report, err)
		}

		// What each created person has, and what the skipped have not.
		ids := map[int64]bool{}
		for _, batch := range batches {
			for _, row := range batch {
				p := row.Person
				if skipped[p] {
					if p.ID != 0 {
						t.Fatalf("skipped %s has id %d", p.Ref, p.ID)
					}
					continue
				}
				if p.ID == 0 || ids[p.ID] {
					t.Fatalf("%s: id %d", p.Ref, p.ID)
				}
				ids[p.ID] = true
				for _, c := range row.ContactPoints {
					if c.PersonID != p.ID {
						t.Fatalf("%s: point of %d", p.Ref, c.PersonID)
					}
				}
			}
		}
		p := batches[1][1234].Person
		got, err := db.FindPersonByRef(cw(), p.Ref)
		if err != nil || got.ID != p.ID || got.FullName() != p.FullName() || got.DateOfBirth != p.DateOfBirth {
			t.Fatalf("stored as %+v, %v", got, err)
		}
		if want := tether.AssessContact(batches[1][1234].ContactPoints, db.Clock.Now()).WorkingChannels; got.WorkingChannels != want {
			t.Fatalf("working channels %d, want %d", got.WorkingChannels, want)
		}
		points, err := db.ContactPoints(cw(), p.ID)
		if err != nil || len(points) != len(batches[1][1234].ContactPoints) {
			t.Fatalf("%d points, %v", len(points), err)
		}
		hits, err := db.SearchPeople(cw(), tether.SearchQuery{Name: p.FullName(), DateOfBirth: p.DateOfBirth, Limit: 100})
		if err != nil || !containsPerson(hits, p.ID) {
			t.Fatalf("imported person not found (%v):%s", err, describeHits(hits))
		}
		entries, err := db.FindAuditEntries(adminCtx(), tether.AuditFilter{Entity: "person", EntityID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		imports := 0
		for _, e := range entries {
			if e.Action == "person.import" {
				imports++
				if e.Actor != Caseworker.String() || !e.At.Equal(db.Clock.Now().UTC().Truncate(time.Microsecond)) || e.Hash != e.ComputeHash(e.PrevHash) {
					t.Fatalf("audit entry %+v", e)
				}
			}
		}
		if imports != 1 {
			t.Fatalf("%d person.import entries for the person", imports)
		}

		// A second run adds nothing.
		rows = countRows(t, db) // with the reads above, which are audited
		again, err := db.BulkImport(cw(), bulkHoldMin)
		if err != nil {
			t.Fatal(err)
		}
		for _, batch := range batches {
			res, err := again.ImportPeople(cw(), batch)
			if err != nil || res.Created != 0 || res.Skipped != len(batch) {
				t.Fatalf("second run: %+v, %v", res, err)
			}
		}
		if err := again.Close(); err != nil {
			t.Fatal(err)
		}
		if after := countRows(t, db); !mapsEqual(rows, after) {
			t.Fatalf("second run wrote: %v -> %v", rows, after)
		}
		// The connection goes back to the pool as it was.
		if db.Dialect == SQLite {
			var fk int
			if err := db.write.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
				t.Fatalf("foreign keys %d, %v", fk, err)
			}
		}
	})
}

// A batch the store refuses leaves nothing of itself, and the batches
// before and after it are stored, with an audit chain that holds.
func TestBulkImportRefusedBatch(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		g := newPopulation(32, 810000, db.Clock.Now())
		b, err := db.BulkImport(cw(), 0)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		first := g.batch(300)
		if _, err := b.ImportPeople(cw(), first); err != nil {
			t.Fatal(err)
		}
		var mid map[string]int
		if db.Dialect == Postgres { // SQLite's one write connection is the import's
			mid = countRows(t, db)
		}
		bad := g.batch(1200)
		missing := int64(4242)
		bad[1100].Person.Representative = &tether.Representative{Organisation: "Nowhere", OrganisationID: &missing}
		_, err = b.ImportPeople(cw(), bad)
		wantCode(t, err, tether.EINVALID)
		if f := tether.ErrorFields(err); f["representative.organisation_id"] == "" {
			t.Fatalf("fields %v", f)
		}
		for _, row := range bad {
			if row.Person.ID != 0 {
				t.Fatalf("refused %s has id %d", row.Person.Ref, row.Person.ID)
			}
		}
		replaced := int64(99999)
		worse := g.batch(2)
		worse[1].ContactPoints[0].Replaces = &replaced
		_, err = b.ImportPeople(cw(), worse)
		wantCode(t, err, tether.EINVALID)
		_, err = b.ImportPeople(AsActor(tether.Actor{UserID: 1, Role: tether.RoleEnquiries}), g.batch(1))
		wantCode(t, err, tether.EFORBIDDEN)
		if db.Dialect == Postgres {
			if now := countRows(t, db); !mapsEqual(mid, now) {
				t.Fatalf("refused batches wrote: %v -> %v", mid, now)
			}
		}
		last := g.batch(400)
		if res, err := b.ImportPeople(cw(), last); err != nil || res.Created != 400 {
			t.Fatalf("after the refusals: %+v, %v", res, err)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		var points, keys int
		for _, row := range append(first, last...) {
			points, keys = points+len(row.ContactPoints), keys+len(nameKeys(row.Person))
		}
		rows := countRows(t, db)
		if rows["people"] != 700 || rows["audit_log"] != 700 || rows["contact_points"] != points || rows["person_name_keys"] != keys {
			t.Fatalf("rows %v; want 700 people, %d points, %d keys", rows, points, keys)
		}
		report, err := db.VerifyAudit(adminCtx())
		if err != nil || !report.OK || report.Entries != 700 {
			t.Fatalf("audit chain = %+v, %v", report, err)
		}
		if _, err := b.ImportPeople(cw(), g.batch(1)); err == nil {
			t.Fatal("imported after Close")
		}
	})
}

// An import killed while it held indexes leaves them recorded; the next
// Migrate (which every command runs first) builds them again.
func TestHeldIndexesBuiltAgainByMigrate(t *testing.T) {
	t.Parallel()
	db := MustOpenTestDB(t, SQLite, nil)
	if _, err := db.ImportPeople(cw(), newPopulation(33, 820000, db.Clock.Now()).batch(50)); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	held, err := holdIndexes(ctx, db.write, bulkHeldIndexes)
	if err != nil || !slices.Equal(held, bulkHeldIndexes) {
		t.Fatalf("held %v, %v", held, err)
	}
	// Held twice, as by an import started after one killed: the first
	// record stays.
	if held, err := holdIndexes(ctx, db.write, bulkHeldIndexes); err != nil || len(held) != 0 {
		t.Fatalf("held again %v, %v", held, err)
	}
	if present, recorded := indexNames(t, db, bulkHeldIndexes...); len(present) != 0 || recorded != 2 {
		t.Fatalf("indexes %v, %d recorded", present, recorded)
	}
	dsn := db.DSN
	db.Close() // as if killed

	db, err = Open(dsn, db.Clock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if present, recorded := indexNames(t, db, bulkHeldIndexes...); len(present) != 2 || recorded != 0 {
		t.Fatalf("after Migrate: indexes %v, %d recorded", present, recorded)
	}
	// As the migrations made them.
	var text string
	if err := db.write.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'contact_points_postcode'`).Scan(&text); err != nil || text != `CREATE INDEX contact_points_postcode ON contact_points(postcode) WHERE postcode <> ''` {
		t.Fatalf("index %q, %v", text, err)
	}
}

// The bulk import's audit entries are sealed as tether.AuditEntry.Seal
// seals them.
func TestAuditSealerMatchesSeal(t *testing.T) {
	t.Parallel()
	db := &DB{Dialect: SQLite}
	e := tether.AuditEntry{At: time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC), Actor: "cli:import",
		Action: "person.import", Entity: "person"}
	s := newAuditSealer(e, db)
	prev := tether.GenesisHash
	for _, c := range []struct{ seq, id int64 }{{1, 1}, {9, 10}, {10, 99}, {12345678, 1}, {1 << 40, 1 << 50}} {
		e.Seq, e.EntityID = c.seq, c.id
		e.Seal(prev)
		if got := s.seal(c.seq, c.id, prev); got != e.Hash || s.args[7] != prev || s.args[8] != got {
			t.Fatalf("seal(%d, %d) = %s, want %s", c.seq, c.id, got, e.Hash)
		}
		prev = e.Hash
	}
}

// A long import lets the write-ahead log start again now and then, so that
// its length stays bounded whatever the file's: here, transactions of 500
// people and a log of at most 100 pages before a commit waits for it.
func TestBulkImportKeepsTheLogShort(t *testing.T) {
	t.Parallel()
	db := MustOpenTestDB(t, SQLite, nil)
	g := newPopulation(34, 830000, db.Clock.Now())
	b, err := db.BulkImport(cw(), bulkHoldMin)
	if err != nil {
		t.Fatal(err)
	}
	if b.ckpt == nil {
		t.Fatal("no checkpoints of its own")
	}
	b.txMax, b.maxFrames = 500, 100
	for range 12 {
		if _, err := b.ImportPeople(cw(), g.batch(500)); err != nil {
			t.Fatal(err)
		}
	}
	wal, err := os.Stat(db.DSN + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	main, err := os.Stat(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	// Each transaction writes some 150 pages; all of them, 1,800.
	if wal.Size() > main.Size()/3 {
		t.Fatalf("log of %d bytes for a database of %d", wal.Size(), main.Size())
	}
	if st := b.Stats(); st.Commits != 12 {
		t.Fatalf("stats %+v", st)
	}
	report, err := db.VerifyAudit(adminCtx())
	if err != nil || !report.OK || report.Entries != 6000 {
		t.Fatalf("audit chain = %+v, %v", report, err)
	}
}

// Another process's Migrate (a server starting, say) while an import holds
// the indexes and its transaction goes on without them: the import builds
// them at its end.
func TestMigrateWhileAnImportHoldsIndexes(t *testing.T) {
	t.Parallel()
	db := MustOpenTestDB(t, SQLite, nil)
	b, err := db.BulkImport(cw(), bulkHoldMin)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.ImportPeople(cw(), newPopulation(35, 840000, db.Clock.Now()).batch(100)); err != nil {
		t.Fatal(err)
	}
	other, err := Open("file:"+db.DSN+"?_busy_timeout=100", db.Clock)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate during the import: %v", err)
	}
	if present, recorded := indexNames(t, db, bulkHeldIndexes...); len(present) != 0 || recorded != 2 {
		t.Fatalf("during the import: indexes %v, %d recorded", present, recorded)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if present, recorded := indexNames(t, db, bulkHeldIndexes...); len(present) != 2 || recorded != 0 {
		t.Fatalf("after the import: indexes %v, %d recorded", present, recorded)
	}
}
