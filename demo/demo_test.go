package demo

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/phone"
	"tether/postcode"
)

var testNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func collect(seed uint64, n int) []tether.PersonImport {
	var out []tether.PersonImport
	for pi := range Generate(seed, n, testNow) {
		out = append(out, pi)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a, b := collect(7, 300), collect(7, 300)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different people")
	}
	// Person i does not depend on how many are asked for.
	if short := collect(7, 50); !reflect.DeepEqual(short, a[:50]) {
		t.Fatal("the first 50 of 300 differ from 50 asked for alone")
	}
	if c := collect(8, 300); reflect.DeepEqual(a[0].Person, c[0].Person) {
		t.Fatal("different seeds gave the same first person")
	}
	// Stopping early stops.
	n := 0
	for range Generate(7, 1000, testNow) {
		n++
		if n == 3 {
			break
		}
	}
}

func TestEveryPersonIsValid(t *testing.T) {
	const n = 5000
	refs := map[string]bool{}
	nations := map[string]int{}
	var partial, overseas, reps, lawFirm, otherScript, aliases, ended, failed, emergency, sponsors, interpreters int
	scripts := map[string]bool{}
	nationalities := map[string]bool{}
	for pi := range Generate(1, n, testNow) {
		p := pi.Person
		if err := p.Validate(testNow); err != nil {
			t.Fatalf("%s %s: %v", p.Ref, p.FullName(), err)
		}
		if refs[p.Ref] {
			t.Fatalf("reference %s given twice", p.Ref)
		}
		refs[p.Ref] = true
		nationalities[p.Nationality] = true
		if p.DateOfBirth.Month == 0 {
			partial++
		}
		if p.Needs.Interpreter {
			interpreters++
		}
		for _, o := range p.OtherNames {
			if o.Kind == tether.NameOtherScript {
				otherScript++
				scripts[o.Script] = true
			} else {
				aliases++
			}
		}
		if r := p.Representative; r != nil {
			reps++
			if r.Organisation == LawFirm {
				lawFirm++
			}
		}
		own := 0
		hasPostal := false
		for _, c := range pi.ContactPoints {
			if err := c.Validate(); err != nil {
				t.Fatalf("%s: %s point: %v", p.Ref, c.Kind, err)
			}
			if c.ValidFrom.After(testNow) || (c.ValidTo != nil && c.ValidTo.Before(c.ValidFrom)) ||
				(c.LastConfirmedAt != nil && c.LastConfirmedAt.After(testNow)) {
				t.Fatalf("%s: %s point has times out of order: %v %v %v", p.Ref, c.Kind, c.ValidFrom, c.ValidTo, c.LastConfirmedAt)
			}
			switch c.Kind {
			case tether.KindMobile, tether.KindLandline:
				if !phone.IsDrama(c.Phone) || !strings.HasPrefix(c.Phone, "+447700900") {
					t.Fatalf("%s: phone %s is not in the drama range", p.Ref, c.Phone)
				}
			case tether.KindEmail:
				if !strings.HasSuffix(c.Email, "@example.com") && !strings.HasSuffix(c.Email, "@example.org") {
					t.Fatalf("%s: email %s is not at example.com or example.org", p.Ref, c.Email)
				}
			case tether.KindPostal:
				a := c.Address
				if a.UK() {
					pc, err := postcode.Normalize(a.Postcode)
					if err != nil || pc != a.Postcode {
						t.Fatalf("%s: postcode %q: %v", p.Ref, a.Postcode, err)
					}
					nations[nation(a.Postcode)]++
				} else if c.Party == tether.PartySelf && c.ValidTo == nil {
					overseas++
				}
			}
			if c.ValidTo != nil {
				ended++
			}
			if c.Verification == tether.Failed {
				failed++
			}
			switch c.Party {
			case tether.PartyEmergencyContact:
				emergency++
			case tether.PartySponsor:
				sponsors++
			case tether.PartySelf:
				if c.ValidTo == nil {
					own++
					hasPostal = hasPostal || c.Kind == tether.KindPostal
				}
			}
		}
		if !hasPostal || own < 2 || own > 3 {
			t.Fatalf("%s: %d current own points (postal %v), want 2 or 3 with a postal address", p.Ref, own, hasPostal)
		}
	}
	for _, nat := range []string{"England", "Wales", "Scotland", "Northern Ireland"} {
		if nations[nat] == 0 {
			t.Errorf("no addresses in %s", nat)
		}
	}
	for _, sc := range []string{"Arab", "Cyrl", "Ethi", "Hans", "Beng"} {
		if !scripts[sc] {
			t.Errorf("no names in script %s", sc)
		}
	}
	if len(nationalities) < 15 {
		t.Errorf("only %d nationalities", len(nationalities))
	}
	share := func(name string, got int, lo, hi float64) {
		t.Helper()
		if f := float64(got) / n; f < lo || f > hi {
			t.Errorf("%s: %d in %d (%.3f), want between %.3f and %.3f", name, got, n, f, lo, hi)
		}
	}
	share("year-only or year-month dates of birth", partial, 1.0/25, 1.0/8)
	share("representatives", reps, 0.25, 0.35)
	share("law firm clients", lawFirm, 0.05, 0.15)
	share("overseas addresses", overseas, 0.02, 0.07)
	share("names in other scripts", otherScript, 0.2, 0.6)
	share("aliases", aliases, 0.2, 0.6)
	share("ended points", ended, 0.15, 0.6)
	share("failed points", failed, 0.03, 0.2)
	share("emergency contacts", emergency, 0.08, 0.16)
	share("sponsors", sponsors, 0.02, 0.08)
	share("interpreters", interpreters, 0.2, 0.6)
}

func TestSpellingVariants(t *testing.T) {
	// Real records spell the same name many ways; the demo must too.
	seen := map[string]bool{}
	for pi := range Generate(3, 3000, testNow) {
		seen[pi.Person.GivenNames] = true
		for _, o := range pi.Person.OtherNames {
			seen[o.GivenNames] = true
		}
	}
	for _, v := range []string{"Mohammed", "Muhammad", "Mohamed", "Mohammad", "Maxamed"} {
		if !seen[v] {
			t.Errorf("no %s", v)
		}
	}
}

func nation(pc string) string {
	switch postcode.Division(pc) {
	case postcode.Scotland:
		return "Scotland"
	case postcode.NorthernIreland:
		return "Northern Ireland"
	}
	for _, p := range places {
		if strings.HasPrefix(pc, p.outward+" ") {
			return p.nation
		}
	}
	return "?"
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for range Generate(1, b.N, testNow) {
		n++
	}
	if n != b.N {
		b.Fatal(n)
	}
}
