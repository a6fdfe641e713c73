package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"tether"
)

func TestExportPeople(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		// More than two pages.
		const n = 2*exportPage + 37
		batch := newPopulation(21, 700000, db.Clock.Now()).batch(n)
		if _, err := db.ImportPeople(cw(), batch); err != nil {
			t.Fatal(err)
		}
		want := map[string]int{}
		for _, row := range batch {
			want[row.Person.Ref] = len(row.ContactPoints)
		}

		var refs []string
		points := 0
		err := db.ExportPeople(adminCtx(), func(pi tether.PersonImport) error {
			refs = append(refs, pi.Person.Ref)
			if got := len(pi.ContactPoints); got != want[pi.Person.Ref] {
				t.Errorf("%s: %d points, want %d", pi.Person.Ref, got, want[pi.Person.Ref])
			}
			for _, c := range pi.ContactPoints {
				if c.PersonID != pi.Person.ID {
					t.Errorf("%s: point %d belongs to person %d", pi.Person.Ref, c.ID, c.PersonID)
				}
			}
			points += len(pi.ContactPoints)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) != n || !slices.IsSorted(refs) || len(slices.Compact(slices.Clone(refs))) != n {
			t.Fatalf("exported %d people (sorted %v), want %d once each in reference order", len(refs), slices.IsSorted(refs), n)
		}
		if got := auditDetails(t, db, "people.export"); len(got) != 1 || got[0] != "exported=2037" {
			t.Fatalf("audit = %q", got)
		}

		// fn's error stops the export, is returned as it is, and the
		// export is still recorded.
		stop := errors.New("disk full")
		seen := 0
		err = db.ExportPeople(adminCtx(), func(tether.PersonImport) error {
			seen++
			if seen == 10 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || seen != 10 {
			t.Fatalf("err = %v after %d people", err, seen)
		}
		if got := auditDetails(t, db, "people.export"); len(got) != 2 || got[1] != "exported=9 stopped early" {
			t.Fatalf("audit = %q", got)
		}

		// Only an admin with personal data exports.
		for _, ctx := range []context.Context{cw(), AsActor(tether.Actor{UserID: 1, Role: tether.RoleAdmin}), context.Background()} {
			if err := db.ExportPeople(ctx, func(tether.PersonImport) error { return nil }); err == nil {
				t.Errorf("export allowed for %+v", ctx)
			}
		}
	})
}
