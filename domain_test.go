package tether

import (
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func validPerson() *Person {
	return &Person{FamilyName: "Haile", GivenNames: "Selam", DateOfBirth: PartialDate{Year: 1994, Month: 7},
		Nationality: "er", PreferredLanguage: "ti"}
}

func TestPersonValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(p *Person)
		field  string // "" means valid
	}{
		{"valid", func(p *Person) {}, ""},
		{"names in other scripts", func(p *Person) {
			p.FamilyName, p.GivenNames = "Nguyễn", "Thị Minh"
			p.OtherNames = []OtherName{{Kind: NameOtherScript, FamilyName: "Александров", Script: "Cyrl"}}
		}, ""},
		{"apostrophe and hyphen", func(p *Person) { p.FamilyName = "O'Brien-Smith" }, ""},
		{"missing family name", func(p *Person) { p.FamilyName = "  " }, "family_name"},
		{"digits in a name", func(p *Person) { p.GivenNames = "R2D2" }, "given_names"},
		{"control character", func(p *Person) { p.FamilyName = "Ab\x07c" }, "family_name"},
		{"too long", func(p *Person) { p.FamilyName = strings.Repeat("a", 201) }, "family_name"},
		{"future birth", func(p *Person) { p.DateOfBirth = PartialDate{2026, 3, 3} }, "date_of_birth"},
		{"bad nationality", func(p *Person) { p.Nationality = "XX" }, "nationality"},
		{"three-letter nationality", func(p *Person) { p.Nationality = "ERI" }, "nationality"},
		{"bad language", func(p *Person) { p.PreferredLanguage = "not a language" }, "preferred_language"},
		{"interpreter without language", func(p *Person) { p.PreferredLanguage = ""; p.Needs.Interpreter = true }, "needs.interpreter_language"},
		{"bad other-name kind", func(p *Person) { p.OtherNames = []OtherName{{Kind: "nickname", FamilyName: "X"}} }, "other_names[0].kind"},
		{"bad script", func(p *Person) {
			p.OtherNames = []OtherName{{Kind: NameOtherScript, FamilyName: "X", Script: "Cyrillic"}}
		}, "other_names[0].script"},
		{"representative without organisation", func(p *Person) { p.Representative = &Representative{Name: "A Solicitor"} }, "representative.organisation"},
		{"bad reference", func(p *Person) { p.Ref = "TH-12345678Z" }, "ref"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := validPerson()
			tc.change(p)
			err := p.Validate(testNow)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID {
				t.Fatalf("want EINVALID, got %v", err)
			}
			if _, ok := ErrorFields(err)[tc.field]; !ok {
				t.Fatalf("want a problem with %q, got %v", tc.field, ErrorFields(err))
			}
		})
	}
}

func TestPersonNormalize(t *testing.T) {
	p := validPerson()
	p.FamilyName, p.GivenNames, p.Nationality = "  Haile ", " Selam   Tesfay ", " er"
	if err := p.Validate(testNow); err != nil {
		t.Fatal(err)
	}
	if p.FamilyName != "Haile" || p.GivenNames != "Selam Tesfay" || p.Nationality != "ER" {
		t.Errorf("normalised to %q %q %q", p.FamilyName, p.GivenNames, p.Nationality)
	}
	if p.FullName() != "Selam Tesfay Haile" {
		t.Errorf("FullName = %q", p.FullName())
	}
	r := p.Redacted()
	if strings.Contains(r.FamilyName+r.GivenNames, "Haile") || r.DateOfBirth != (PartialDate{Year: 1994}) {
		t.Errorf("redacted = %+v", r)
	}
}

func TestContactPointValidate(t *testing.T) {
	uk := func() *ContactPoint {
		return &ContactPoint{Kind: KindPostal, Source: SourcePerson,
			Address: &Address{Lines: []string{"1 High Street"}, Town: "Leeds", Postcode: "ls11ba"}}
	}
	for _, tc := range []struct {
		name  string
		c     func() *ContactPoint
		field string
		check func(t *testing.T, c *ContactPoint)
	}{
		{"UK address normalised", uk, "", func(t *testing.T, c *ContactPoint) {
			if c.Address.Postcode != "LS1 1BA" || c.Address.Country != "GB" || c.Party != PartySelf || c.Verification != Unverified {
				t.Errorf("got %+v %+v", c, c.Address)
			}
		}},
		{"overseas address without postcode", func() *ContactPoint {
			return &ContactPoint{Kind: KindPostal, Source: SourcePerson, Address: &Address{Lines: []string{"12 Rue de la Paix", "75002 Paris"}, Country: "FR"}}
		}, "", nil},
		{"bad postcode", func() *ContactPoint { c := uk(); c.Address.Postcode = "LS1 XYZ"; return c }, "address.postcode", nil},
		{"no town", func() *ContactPoint { c := uk(); c.Address.Town = ""; return c }, "address.town", nil},
		{"no lines", func() *ContactPoint { c := uk(); c.Address.Lines = []string{" "}; return c }, "address.lines", nil},
		{"bad country", func() *ContactPoint { c := uk(); c.Address.Country = "ZZ"; return c }, "address.country", nil},
		{"no address", func() *ContactPoint { return &ContactPoint{Kind: KindPostal, Source: SourcePerson} }, "address", nil},
		{"email", func() *ContactPoint {
			return &ContactPoint{Kind: KindEmail, Source: SourcePerson, Email: " selam@example.org "}
		}, "", func(t *testing.T, c *ContactPoint) {
			if c.Email != "selam@example.org" {
				t.Errorf("email = %q", c.Email)
			}
		}},
		{"bad email", func() *ContactPoint { return &ContactPoint{Kind: KindEmail, Source: SourcePerson, Email: "selam@"} }, "email", nil},
		{"email with display name", func() *ContactPoint {
			return &ContactPoint{Kind: KindEmail, Source: SourcePerson, Email: "Selam <selam@example.org>"}
		}, "email", nil},
		{"mobile to E.164", func() *ContactPoint {
			return &ContactPoint{Kind: KindMobile, Source: SourcePerson, Phone: "07700 900123"}
		}, "", func(t *testing.T, c *ContactPoint) {
			if c.Phone != "+447700900123" {
				t.Errorf("phone = %q", c.Phone)
			}
		}},
		{"bad phone", func() *ContactPoint { return &ContactPoint{Kind: KindMobile, Source: SourcePerson, Phone: "12"} }, "phone", nil},
		{"landline as mobile", func() *ContactPoint {
			return &ContactPoint{Kind: KindMobile, Source: SourcePerson, Phone: "020 7946 0123"}
		}, "phone", nil},
		{"unknown kind", func() *ContactPoint { return &ContactPoint{Kind: "pigeon", Source: SourcePerson} }, "kind", nil},
		{"unknown source", func() *ContactPoint { c := uk(); c.Source = "rumour"; return c }, "source", nil},
		{"agency without name", func() *ContactPoint { c := uk(); c.Source = SourceAgency; return c }, "source_detail", nil},
		{"emergency contact without name", func() *ContactPoint { c := uk(); c.Party = PartyEmergencyContact; return c }, "party_name", nil},
		{"postal with email", func() *ContactPoint { c := uk(); c.Email = "a@example.org"; return c }, "kind", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c()
			err := c.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				if tc.check != nil {
					tc.check(t, c)
				}
				return
			}
			if _, ok := ErrorFields(err)[tc.field]; !ok || ErrorCode(err) != EINVALID {
				t.Fatalf("want a problem with %q, got %v", tc.field, err)
			}
		})
	}
}

func TestAssessContact(t *testing.T) {
	day := 24 * time.Hour
	ago := func(d time.Duration) *time.Time { t := testNow.Add(-d); return &t }
	ended := testNow.Add(-day)
	point := func(id int64, kind, party, verification string, confirmed *time.Time) *ContactPoint {
		return &ContactPoint{ID: id, Kind: kind, Party: party, Verification: verification, LastConfirmedAt: confirmed, ValidFrom: testNow.Add(-400 * day)}
	}
	endedPoint := point(9, KindEmail, PartySelf, Verified, ago(day))
	endedPoint.ValidTo = &ended
	for _, tc := range []struct {
		name      string
		points    []*ContactPoint
		level     string
		working   int
		anyFailed bool
	}{
		{"nothing", nil, HealthNone, 0, false},
		{"fresh mobile", []*ContactPoint{point(1, KindMobile, PartySelf, Verified, ago(10*day))}, HealthGood, 1, false},
		{"stale only", []*ContactPoint{point(1, KindPostal, PartySelf, Unverified, ago(200*day))}, HealthWeak, 1, false},
		{"never confirmed", []*ContactPoint{point(1, KindPostal, PartySelf, Unverified, nil)}, HealthWeak, 1, false},
		{"failed only", []*ContactPoint{point(1, KindPostal, PartySelf, Failed, ago(day))}, HealthNone, 0, true},
		{"ended only", []*ContactPoint{endedPoint}, HealthNone, 0, false},
		{"emergency contact is not a channel to the person", []*ContactPoint{point(1, KindMobile, PartyEmergencyContact, Verified, ago(day))}, HealthNone, 0, false},
		{"representative counts", []*ContactPoint{point(1, KindEmail, PartyRepresentative, Verified, ago(day))}, HealthGood, 1, false},
		{"one failed, one fresh", []*ContactPoint{point(1, KindEmail, PartySelf, Failed, nil), point(2, KindMobile, PartySelf, Verified, ago(day))}, HealthGood, 1, true},
	} {
		h := AssessContact(tc.points, testNow)
		if h.Level != tc.level || h.WorkingChannels != tc.working || h.AnyFailed != tc.anyFailed {
			t.Errorf("%s: got level %s working %d failed %v; want %s %d %v", tc.name, h.Level, h.WorkingChannels, h.AnyFailed, tc.level, tc.working, tc.anyFailed)
		}
	}
}

func TestAuditChain(t *testing.T) {
	var entries []*AuditEntry
	prev := GenesisHash
	for i := 1; i <= 5; i++ {
		e := &AuditEntry{Seq: int64(i), At: testNow.Add(time.Duration(i) * time.Second), Actor: "user:1", Action: "person.read", Entity: "person", EntityID: int64(i)}
		e.Seal(prev)
		prev = e.Hash
		entries = append(entries, e)
	}
	verify := func(es []*AuditEntry) *ChainVerifier {
		v := NewChainVerifier()
		for _, e := range es {
			if !v.Add(e) {
				break
			}
		}
		return v
	}
	if v := verify(entries); v.Broken != "" || v.Count() != 5 {
		t.Fatalf("intact chain: %q after %d", v.Broken, v.Count())
	}
	changed := make([]*AuditEntry, len(entries))
	for i, e := range entries {
		c := *e
		changed[i] = &c
	}
	changed[2].Detail = "edited"
	if v := verify(changed); v.BrokenSeq != 3 {
		t.Errorf("changed entry 3: broken at %d (%s)", v.BrokenSeq, v.Broken)
	}
	removed := append(append([]*AuditEntry{}, entries[:1]...), entries[2:]...)
	if v := verify(removed); v.BrokenSeq != 3 {
		t.Errorf("removed entry 2: broken at %d (%s)", v.BrokenSeq, v.Broken)
	}
	// Rehashing a changed entry still breaks the next link.
	rehashed := make([]*AuditEntry, len(entries))
	for i, e := range entries {
		c := *e
		rehashed[i] = &c
	}
	rehashed[1].Action = "person.update"
	rehashed[1].Seal(rehashed[1].PrevHash)
	if v := verify(rehashed); v.BrokenSeq != 3 {
		t.Errorf("rehashed entry 2: broken at %d (%s)", v.BrokenSeq, v.Broken)
	}
}

func TestChangedFieldsNamesNoValues(t *testing.T) {
	a := validPerson()
	b := *a
	b.FamilyName = "Tesfay"
	b.Needs.Interpreter = true
	got := ChangedFields(a, &b)
	if got != "family_name,needs" {
		t.Errorf("ChangedFields = %q", got)
	}
}
