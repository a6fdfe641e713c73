package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"tether"
)

// searchFixture is a small population with a few people the tests look for.
type searchFixture struct {
	mo1990, mo1985, moUnknown, alek, nguyen, smith *tether.Person
}

func seedSearch(t *testing.T, db *DB) searchFixture {
	t.Helper()
	// Noise first, so that the people looked for are not simply the only ones.
	g := newPopulation(7, 1000, db.Clock.Now())
	if _, err := db.ImportPeople(cw(), g.batch(300)); err != nil {
		t.Fatal(err)
	}
	var f searchFixture
	add := func(given, family string, dob tether.PartialDate, pc string) *tether.Person {
		p := mustCreatePerson(t, db, &tether.Person{GivenNames: given, FamilyName: family, DateOfBirth: dob})
		if pc != "" {
			if err := db.AddContactPoint(cw(), postal(p.ID, pc)); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	f.mo1990 = add("Mohammed", "Hassan", tether.PartialDate{Year: 1990, Month: 5, Day: 17}, "SW1A 1AA")
	f.mo1985 = add("Mohammed", "Hassan", tether.PartialDate{Year: 1985, Month: 1, Day: 2}, "E1 6AN")
	f.moUnknown = add("Mohammed", "Hassan", tether.PartialDate{}, "")
	f.alek = add("Aleksandr", "Petrov", tether.PartialDate{Year: 1979}, "M8 1AA")
	f.nguyen = add("Văn An", "Nguyễn", tether.PartialDate{Year: 1995, Month: 7}, "")
	f.smith = add("Jonathan", "Smythe", tether.PartialDate{Year: 1970, Month: 1, Day: 1}, "")
	add("Mahmoud", "Hussein", tether.PartialDate{Year: 1990, Month: 5, Day: 17}, "SW1A 1AA")
	return f
}

// hitIDs lists the ids of the hits, best first.
func hitIDs(hits []*tether.SearchHit) []int64 {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.Person.ID
	}
	return ids
}

func describeHits(hits []*tether.SearchHit) string {
	var b strings.Builder
	for _, h := range hits {
		fmt.Fprintf(&b, "\n  %d %s %s %.3f %v", h.Person.ID, h.Person.FullName(), h.Person.DateOfBirth, h.Score, h.Reasons)
	}
	return b.String()
}

func TestSearchPeople(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		f := seedSearch(t, db)
		search := func(q tether.SearchQuery) []*tether.SearchHit {
			t.Helper()
			hits, err := db.SearchPeople(cw(), q)
			if err != nil {
				t.Fatalf("search %+v: %v", q, err)
			}
			for i := 1; i < len(hits); i++ {
				if hits[i].Score > hits[i-1].Score {
					t.Fatalf("search %+v not best first:%s", q, describeHits(hits))
				}
			}
			return hits
		}
		// top checks that want are among the first ten hits: the noise
		// may hold people of the same name.
		top := func(q tether.SearchQuery, want ...*tether.Person) []*tether.SearchHit {
			t.Helper()
			hits := search(q)
			got := hitIDs(hits[:min(10, len(hits))])
			for _, p := range want {
				if !slices.Contains(got, p.ID) {
					t.Fatalf("search %+v: %d (%s) not in the top 10:%s", q, p.ID, p.FullName(), describeHits(hits))
				}
			}
			return hits
		}
		hitOf := func(hits []*tether.SearchHit, p *tether.Person) *tether.SearchHit {
			for _, h := range hits {
				if h.Person.ID == p.ID {
					return h
				}
			}
			t.Fatalf("%d (%s) not found:%s", p.ID, p.FullName(), describeHits(hits))
			return nil
		}
		absent := func(hits []*tether.SearchHit, p *tether.Person) {
			t.Helper()
			if slices.Contains(hitIDs(hits), p.ID) {
				t.Fatalf("%d (%s) found:%s", p.ID, p.FullName(), describeHits(hits))
			}
		}

		// Transliterations, diacritics, word order and case.
		for _, name := range []string{"Mohammed Hassan", "Muhammad Hassan", "mohamed hassan", "HASSAN, Mohamad", "Mohammad Hasan"} {
			top(tether.SearchQuery{Name: name}, f.mo1990, f.mo1985, f.moUnknown)
		}
		top(tether.SearchQuery{Name: "Alexander Petrov"}, f.alek)
		top(tether.SearchQuery{Name: "Oleksandr Petrov"}, f.alek)
		top(tether.SearchQuery{Name: "Aleksander"}, f.alek)
		top(tether.SearchQuery{Name: "Nguyen Van An"}, f.nguyen)
		top(tether.SearchQuery{Name: "nguyễn"}, f.nguyen)
		// One-letter typos: a swap, an extra letter, a wrong letter.
		top(tether.SearchQuery{Name: "Mohammde Hassan"}, f.mo1990, f.mo1985, f.moUnknown)
		top(tether.SearchQuery{Name: "Aleksandr Petorv"}, f.alek)
		top(tether.SearchQuery{Name: "Jonathan Smmythe"}, f.smith)
		top(tether.SearchQuery{Name: "Jonathon Smythe"}, f.smith)

		// With a date of birth: a different date excludes, an unknown one
		// ranks lower.
		hits := top(tether.SearchQuery{Name: "Muhammad Hassan", DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 17}}, f.mo1990)
		absent(hits, f.mo1985)
		if hits[0].Person.ID != f.mo1990.ID || !slices.Contains(hits[0].Reasons, "date of birth matches") || !strings.HasPrefix(hits[0].Reasons[0], "name similar (0.") {
			t.Fatalf("reasons = %v", hits[0].Reasons)
		}
		if h := hitOf(hits, f.moUnknown); !slices.Contains(h.Reasons, "date of birth not recorded") || h.Score >= hits[0].Score {
			t.Fatalf("unknown date of birth:%s", describeHits(hits))
		}
		hits = top(tether.SearchQuery{Name: "Petrov", DateOfBirth: tether.PartialDate{Year: 1979, Month: 4, Day: 1}}, f.alek)
		if h := hitOf(hits, f.alek); !slices.Contains(h.Reasons, "date of birth could match") {
			t.Fatalf("reasons = %v", h.Reasons)
		}
		hits = search(tether.SearchQuery{Name: "Petrov", DateOfBirth: tether.PartialDate{Year: 1980}})
		absent(hits, f.alek)

		// With a postcode: only a current postal address of their own.
		hits = top(tether.SearchQuery{Name: "Mohamed Hassan", Postcode: "sw1a1aa"}, f.mo1990)
		absent(hits, f.mo1985)
		absent(hits, f.moUnknown)
		if h := hitOf(hits, f.mo1990); !slices.Contains(h.Reasons, "postcode matches") {
			t.Fatalf("reasons = %v", h.Reasons)
		}
		// Date of birth alone, postcode alone, both.
		hits = top(tether.SearchQuery{DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 17}, Postcode: "SW1A 1AA"})
		if len(hits) != 2 {
			t.Fatalf("date and postcode:%s", describeHits(hits))
		}
		hits = search(tether.SearchQuery{DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 17}})
		if !slices.Contains(hitIDs(hits), f.mo1990.ID) {
			t.Fatalf("date of birth alone:%s", describeHits(hits))
		}
		absent(hits, f.moUnknown) // a search by date alone needs the date
		hits = search(tether.SearchQuery{Postcode: "M8 1AA"})
		if len(hits) == 0 || !slices.Contains(hitIDs(hits), f.alek.ID) {
			t.Fatalf("postcode alone:%s", describeHits(hits))
		}
		// An address that has ended no longer matches.
		points, _ := db.ContactPoints(cw(), f.alek.ID)
		if err := db.EndContactPoint(cw(), points[0].ID, "moved away"); err != nil {
			t.Fatal(err)
		}
		absent(search(tether.SearchQuery{Postcode: "M8 1AA"}), f.alek)

		// By reference, alone or with other fields that must match too.
		hits = search(tether.SearchQuery{Ref: strings.ToLower(f.nguyen.Ref)})
		if len(hits) != 1 || hits[0].Person.ID != f.nguyen.ID || hits[0].Score != 1 || hits[0].Reasons[0] != "reference matches" {
			t.Fatalf("by reference:%s", describeHits(hits))
		}
		if hits := search(tether.SearchQuery{Ref: f.nguyen.Ref, Name: "Nguyen"}); len(hits) != 1 {
			t.Fatalf("reference and name:%s", describeHits(hits))
		}
		if hits := search(tether.SearchQuery{Ref: f.nguyen.Ref, Name: "Petrov"}); len(hits) != 0 {
			t.Fatalf("reference and another name:%s", describeHits(hits))
		}

		// Initials are not looked up, but rank.
		top(tether.SearchQuery{Name: "M. Hassan", DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 17}}, f.mo1990)
		if hits := search(tether.SearchQuery{Ref: f.nguyen.Ref, Name: "V. A. N."}); len(hits) != 1 {
			t.Fatalf("reference and initials:%s", describeHits(hits))
		}
		if hits := search(tether.SearchQuery{Name: "J"}); len(hits) != 0 {
			t.Fatalf("an initial alone:%s", describeHits(hits))
		}

		// Nothing alike, and limits.
		if hits := search(tether.SearchQuery{Name: "Zzyzx Qwertyuiop"}); len(hits) != 0 {
			t.Fatalf("nonsense:%s", describeHits(hits))
		}
		if hits := search(tether.SearchQuery{Name: "Mohammed Hassan", Limit: 2}); len(hits) != 2 {
			t.Fatalf("limit 2:%s", describeHits(hits))
		}
		_, err := db.SearchPeople(cw(), tether.SearchQuery{})
		wantCode(t, err, tether.EINVALID)
		_, err = db.SearchPeople(cw(), tether.SearchQuery{Postcode: "not one"})
		wantCode(t, err, tether.EINVALID)

		// The audit says which fields were searched, never what for.
		details := auditDetails(t, db, "people.search")
		if len(details) == 0 {
			t.Fatal("no search audited")
		}
		for _, d := range details {
			if strings.Contains(strings.ToLower(d), "hassan") || strings.Contains(d, "1990") || strings.Contains(d, "SW1A") {
				t.Fatalf("search audit holds the query: %q", d)
			}
		}
		if !slices.ContainsFunc(details, func(d string) bool { return strings.HasPrefix(d, "fields=name,date_of_birth results=") }) {
			t.Fatalf("details = %q", details)
		}
	})
}

func TestFindLikelyDuplicates(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		f := seedSearch(t, db)
		dup := mustCreatePerson(t, db, &tether.Person{GivenNames: "Muhammad", FamilyName: "Hasan", DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 17}})
		hits, err := db.FindLikelyDuplicates(cw(), dup)
		if err != nil {
			t.Fatal(err)
		}
		ids := hitIDs(hits)
		if len(hits) == 0 || ids[0] != f.mo1990.ID || slices.Contains(ids, dup.ID) || slices.Contains(ids, f.mo1985.ID) {
			t.Fatalf("duplicates of %d:%s", dup.ID, describeHits(hits))
		}
		for _, h := range hits {
			if h.Score < tether.DuplicateThreshold {
				t.Fatalf("below the threshold:%s", describeHits(hits))
			}
		}
		// An alias finds a duplicate too.
		alias := mustCreatePerson(t, db, &tether.Person{GivenNames: "Sam", FamilyName: "Jones",
			OtherNames: []tether.OtherName{{Kind: tether.NameAlias, GivenNames: "Aleksandr", FamilyName: "Petrov"}}})
		hits, err = db.FindLikelyDuplicates(cw(), alias)
		if err != nil || len(hits) == 0 || hits[0].Person.ID != f.alek.ID {
			t.Fatalf("duplicates by alias:%s %v", describeHits(hits), err)
		}
		// Someone new has none.
		lone := mustCreatePerson(t, db, &tether.Person{GivenNames: "Quentin", FamilyName: "Zebedee-Xylophone"})
		if hits, err := db.FindLikelyDuplicates(cw(), lone); err != nil || len(hits) != 0 {
			t.Fatalf("duplicates of someone new:%s %v", describeHits(hits), err)
		}
		_, err = db.FindLikelyDuplicates(AsActor(inspector), dup)
		wantCode(t, err, tether.EFORBIDDEN)
	})
}
