package store

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"tether"
)

// prepPeople are the population's people with names and addresses that
// take the general helpers' slow paths: escapes, other scripts, white
// space of every kind, Greek diphthongs split by a space.
func prepPeople(now time.Time) []tether.PersonImport {
	rows := newPopulation(21, 3000, now).batch(2000)
	odd := []struct{ given, family string }{
		{"José\u00a0María", "Müller-Nguyễn"},
		{"Σταύρος", "Παπαδόπουλος"},
		{"Στα υρος", "Α υ"},
		{"O'Brien", "d\u2019Arcy"},
		{"A\tB\nC", "<Smith> & \"Jones\""},
		{"Ali\u2028Reza", "back\\slash"},
		{"محمد", "حسين"},
		{"  ", "x"},
		{"Ivan\u3000Petrov", "Ж"},
		{"bad\xffutf8", "Nguyen"},
	}
	for i, o := range odd {
		p := rows[i].Person
		p.GivenNames, p.FamilyName = o.given, o.family
		p.OtherNames = append(p.OtherNames, tether.OtherName{Kind: "alias", GivenNames: o.family, FamilyName: o.given, Script: "Latn"})
		p.Needs = tether.Needs{Interpreter: i%2 == 0, InterpreterLanguage: "fa", Accessibility: o.family}
		for _, c := range rows[i].ContactPoints {
			if c.Address != nil {
				c.Address.Lines = []string{o.given, o.family, "Flat <2> & \"3\""}
			}
		}
	}
	return rows
}

func TestBulkPrepMatchesTheGeneralHelpers(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db := &DB{Dialect: SQLite}
	var kc keyCache
	var bx rowBoxes
	tv := &timeValues{db: db}
	nc := needsCache{}
	for i, row := range prepPeople(now) {
		p := row.Person
		importDefaults(&row, now, "test")
		if want := tether.AssessContact(row.ContactPoints, now).WorkingChannels; p.WorkingChannels != want {
			t.Fatalf("row %d: working channels %d, want %d", i, p.WorkingChannels, want)
		}

		want, err := appendPersonValues([]any{int64(7), p.Ref}, p)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, p.WorkingChannels, p.Version, db.ts(p.CreatedAt), db.ts(p.UpdatedAt))
		for j, v := range want {
			if n, ok := v.(int); ok {
				want[j] = int64(n)
			}
		}
		got, err := appendBulkPerson(nil, 7, p, nc, &bx, tv)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("row %d: person\n got %#v\nwant %#v (%v)", i, got, want, err)
		}

		for _, c := range row.ContactPoints {
			want, err := appendContactValuesNoPerson([]any{int64(7)}, c, &timeArgs{db: db})
			if err != nil {
				t.Fatal(err)
			}
			got, err := appendBulkContact(nil, 7, c, &bx, tv)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("row %d: point\n got %#v\nwant %#v (%v)", i, got, want, err)
			}
		}

		var keys []string
		for _, k := range kc.appendNameKeys(nil, 7, p) {
			keys = append(keys, k.key)
		}
		wantKeys := nameKeys(p)
		slices.Sort(keys)
		slices.Sort(wantKeys)
		if !slices.Equal(keys, wantKeys) {
			t.Fatalf("row %d (%q): keys %q, want %q", i, strings.Join(p.AllNames(), " / "), keys, wantKeys)
		}
	}
}

func TestTimeValuesMatchTS(t *testing.T) {
	t.Parallel()
	db := &DB{Dialect: SQLite}
	tv := &timeValues{db: db}
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 40 {
		// Six times in turn: more than it remembers.
		tm := base.Add(time.Duration(i%6) * 1500 * time.Millisecond).In(time.FixedZone("X", 3600*(i%3)))
		if got, want := tv.arg(tm), db.ts(tm); got != want {
			t.Fatalf("arg(%v) = %v, want %v", tm, got, want)
		}
	}
	if tv.ptr(nil) != nil {
		t.Fatal("ptr(nil) is not nil")
	}
}
