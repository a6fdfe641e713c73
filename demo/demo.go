// Package demo generates a synthetic population for demonstrations, tests
// and benchmarks: people with names from the places that people under
// reporting conditions come from, in their own scripts and in the spellings
// that real records hold, with UK and overseas addresses and a history of
// contact details.
//
// Nothing it makes can reach a real person: phone numbers are only in
// Ofcom's drama range (07700 900000 to 900999), email addresses are only at
// example.com and example.org, and representatives and sponsors are
// fictional. Postcodes are of real districts, with random inward codes.
//
// The same seed gives the same people, one at a time, so that a million
// of them stream in constant memory. It must never import the store, web or
// cmd packages.
package demo

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/namematch"
	"tether/reference"
)

// Generate returns n synthetic people for the seed, one at a time. now is
// the day they are seen from: dates of birth and contact history lie before
// it. The same seed and now give the same people, and person i does not
// depend on n. References are distinct within one seed, so n may be at most
// reference.Max+1.
func Generate(seed uint64, n int, now time.Time) iter.Seq[tether.PersonImport] {
	return func(yield func(tether.PersonImport) bool) {
		g := newGenerator(seed, now)
		for i := 0; i < n && i <= reference.Max; i++ {
			if !yield(g.person(i)) {
				return
			}
		}
	}
}

// weighted is a choice among values with weights.
type weighted[T any] struct {
	values []T
	cum    []int
}

func newWeighted[T any](values []T, weight func(T) int) weighted[T] {
	w := weighted[T]{values: values, cum: make([]int, len(values))}
	total := 0
	for i, v := range values {
		total += weight(v)
		w.cum[i] = total
	}
	return w
}

func (w weighted[T]) pick(r *rand.Rand) T {
	x := r.IntN(w.cum[len(w.cum)-1])
	for i, c := range w.cum {
		if x < c {
			return w.values[i]
		}
	}
	return w.values[len(w.values)-1]
}

// weightedStrings reads "value:weight" entries; a missing weight is 1.
func weightedStrings(entries []string) weighted[string] {
	type vw struct {
		v string
		w int
	}
	vws := make([]vw, len(entries))
	for i, e := range entries {
		vws[i] = vw{e, 1}
		if j := strings.LastIndexByte(e, ':'); j >= 0 {
			if w, err := strconv.Atoi(e[j+1:]); err == nil {
				vws[i] = vw{e[:j], w}
			}
		}
	}
	ww := newWeighted(vws, func(x vw) int { return x.w })
	out := weighted[string]{cum: ww.cum, values: make([]string, len(vws))}
	for i, x := range vws {
		out.values[i] = x.v
	}
	return out
}

// parsedOrigin is an origin with its tables read.
type parsedOrigin struct {
	*origin
	nationality, language              weighted[string]
	male, female, family, femaleFamily []name
	nativeLanguage                     map[string]bool
}

type generator struct {
	r       *rand.Rand
	now     time.Time
	refA    uint64 // references are refA*i+refB mod 10^8: distinct for i < 10^8
	refB    uint64
	origins weighted[*parsedOrigin]
	places  weighted[place]
	firms   weighted[string]
}

func newGenerator(seed uint64, now time.Time) *generator {
	y, m, d := now.UTC().Date()
	g := &generator{
		r:   rand.New(rand.NewPCG(seed, 0x7e74e2)),
		now: time.Date(y, m, d, 0, 0, 0, 0, time.UTC),
	}
	// Reference parameters from their own stream, so that they do not
	// shift the people.
	pr := rand.New(rand.NewPCG(seed, 0x2ef))
	const mod = reference.Max + 1
	g.refA = pr.Uint64N(mod) | 1
	for g.refA%5 == 0 {
		g.refA += 2
	}
	g.refB = pr.Uint64N(mod)

	ps := make([]*parsedOrigin, len(origins))
	for i := range origins {
		o := &origins[i]
		p := &parsedOrigin{origin: o,
			nationality: weightedStrings(o.nationalities), language: weightedStrings(o.languages),
			male: parseNames(o.male), female: parseNames(o.female), family: parseNames(o.family),
			femaleFamily: parseNames(o.femaleFamily), nativeLanguage: map[string]bool{}}
		for _, l := range o.nativeLanguages {
			p.nativeLanguage[l] = true
		}
		ps[i] = p
	}
	g.origins = newWeighted(ps, func(p *parsedOrigin) int { return p.weight })
	g.places = newWeighted(places, func(p place) int { return p.weight })
	g.firms = weightedStrings(lawFirms)
	return g
}

func (g *generator) chance(in int) bool { return g.r.IntN(in) == 0 }
func (g *generator) percent(p int) bool { return g.r.IntN(100) < p }

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (g *generator) ref(i int) string {
	const mod = reference.Max + 1
	s, _ := reference.New(uint32((g.refA*uint64(i) + g.refB) % mod))
	return s
}

// daysAgo is a time of day (in working hours) between lo and hi days
// before yesterday, so that it is never after now.
func (g *generator) daysAgo(lo, hi int) time.Time {
	d := lo + g.r.IntN(hi-lo+1)
	return g.now.AddDate(0, 0, -1-d).Add(time.Duration(8*3600+g.r.IntN(10*3600)) * time.Second)
}

// person makes person i.
func (g *generator) person(i int) tether.PersonImport {
	o := g.origins.pick(g.r)
	female := g.percent(40)
	given, family := o.male, o.family
	if female {
		given = o.female
		if len(o.femaleFamily) > 0 && g.percent(70) {
			family = o.femaleFamily
		}
	}
	gn, fn := pick(g.r, given), pick(g.r, family)
	gv, fv := g.r.IntN(len(gn.variants)), g.r.IntN(len(fn.variants))
	p := &tether.Person{
		Ref: g.ref(i), GivenNames: gn.variants[gv], FamilyName: fn.variants[fv],
		DateOfBirth: g.dateOfBirth(),
	}
	if !g.chance(40) {
		p.Nationality = o.nationality.pick(g.r)
	}
	lang := o.language.pick(g.r)
	switch {
	case g.percent(o.english):
		p.PreferredLanguage = "en"
	case g.chance(50):
		// not recorded
	default:
		p.PreferredLanguage = lang
		if lang != "en" && g.percent(70) {
			p.Needs.Interpreter = true
			p.Needs.InterpreterLanguage = lang
		}
	}
	if g.chance(20) {
		p.Needs.Accessibility = pick(g.r, accessibilities)
	}

	// Other names: the name in the person's own script, other spellings
	// of it, and now and then a name they used to go by.
	if o.script != "" && gn.native != "" && fn.native != "" &&
		(len(o.nativeLanguage) == 0 || o.nativeLanguage[lang]) && g.percent(60) {
		p.OtherNames = append(p.OtherNames, tether.OtherName{Kind: tether.NameOtherScript,
			GivenNames: gn.native, FamilyName: fn.native, Script: o.script})
	}
	if (len(gn.variants) > 1 || len(fn.variants) > 1) && g.percent(35) {
		a := tether.OtherName{Kind: tether.NameAlias, GivenNames: gn.variants[gv], FamilyName: fn.variants[fv]}
		if len(gn.variants) > 1 {
			a.GivenNames = gn.variants[(gv+1+g.r.IntN(len(gn.variants)-1))%len(gn.variants)]
		}
		if len(fn.variants) > 1 && (len(gn.variants) == 1 || g.percent(50)) {
			a.FamilyName = fn.variants[(fv+1+g.r.IntN(len(fn.variants)-1))%len(fn.variants)]
		}
		p.OtherNames = append(p.OtherNames, a)
	}
	if g.chance(20) {
		other := pick(g.r, o.family)
		if other.variants[0] != fn.variants[fv] {
			p.OtherNames = append(p.OtherNames, tether.OtherName{Kind: tether.NameAlias,
				GivenNames: p.GivenNames, FamilyName: pick(g.r, other.variants)})
		}
	}
	if g.percent(30) {
		p.Representative = &tether.Representative{
			Organisation: g.firms.pick(g.r),
			Name:         pick(g.r, britishGiven) + " " + pick(g.r, britishFamily),
			Instructed:   !g.chance(10),
		}
	}
	return tether.PersonImport{Person: p, ContactPoints: g.contactPoints(p, o)}
}

func (g *generator) dateOfBirth() tether.PartialDate {
	age := 18 + g.r.IntN(8) + g.r.IntN(8) + g.r.IntN(8)
	if g.chance(5) {
		age += g.r.IntN(30)
	}
	born := g.now.AddDate(-age, 0, -g.r.IntN(365))
	d := tether.PartialDate{Year: born.Year(), Month: int(born.Month()), Day: born.Day()}
	switch {
	case g.chance(15):
		// Only the year is known.
		d.Month, d.Day = 0, 0
	case g.chance(60):
		d.Day = 0
	case g.chance(25):
		// The placeholder that records use when the day is not known.
		d.Month, d.Day = 1, 1
	}
	if d.InFuture(g.now) {
		d.Year--
	}
	return d
}

func (g *generator) ukAddress() *tether.Address {
	pl := g.places.pick(g.r)
	const inwardLetters = "ABDEFGHJLNPQRSTUWXYZ"
	pc := fmt.Sprintf("%s %d%c%c", pl.outward, g.r.IntN(10), inwardLetters[g.r.IntN(len(inwardLetters))],
		inwardLetters[g.r.IntN(len(inwardLetters))])
	street := fmt.Sprintf("%d %s", 1+g.r.IntN(240), pick(g.r, streets))
	var lines []string
	switch g.r.IntN(6) {
	case 0:
		lines = []string{fmt.Sprintf("Flat %d", 1+g.r.IntN(30)), street}
	case 1:
		lines = []string{fmt.Sprintf("Flat %d, %s", 1+g.r.IntN(30), pick(g.r, buildings)), street}
	case 2:
		lines = []string{fmt.Sprintf("Room %d", 1+g.r.IntN(60)), pick(g.r, buildings), street}
	default:
		lines = []string{street}
	}
	return &tether.Address{Lines: lines, Town: pl.town, Postcode: pc, Country: "GB"}
}

func (g *generator) overseasAddress() *tether.Address {
	a := pick(g.r, abroad)
	return &tether.Address{Lines: []string{fmt.Sprintf("%s %d", a.street, 1+g.r.IntN(120))},
		Town: a.town, Postcode: a.postcode, Country: a.country}
}

func (g *generator) mobile() string {
	return fmt.Sprintf("+447700900%03d", g.r.IntN(1000))
}

// email is an address at example.com or example.org made from a name.
func (g *generator) email(given, family string) string {
	gf, ff := strings.ReplaceAll(namematch.Fold(given), " ", ""), strings.ReplaceAll(namematch.Fold(family), " ", "")
	if gf == "" {
		gf = "person"
	}
	if ff == "" {
		ff = "demo"
	}
	var local string
	switch g.r.IntN(4) {
	case 0:
		local = gf + "." + ff
	case 1:
		local = gf + ff + strconv.Itoa(g.r.IntN(100))
	case 2:
		local = gf[:1] + "." + ff + strconv.Itoa(1970+g.r.IntN(40))
	default:
		local = ff + "." + gf + strconv.Itoa(g.r.IntN(1000))
	}
	domain := "example.com"
	if g.chance(3) {
		domain = "example.org"
	}
	return local + "@" + domain
}

var goodSources = []string{tether.SourcePerson, tether.SourcePerson, tether.SourcePerson, tether.SourceRepresentative,
	tether.SourceCaseworker, tether.SourceAgency, tether.SourceReturnedLetter, tether.SourceImport}

func (g *generator) source(c *tether.ContactPoint) {
	c.Source = pick(g.r, goodSources)
	if c.Source == tether.SourceAgency {
		c.SourceDetail = pick(g.r, agencies)
	}
	if c.Source == tether.SourceReturnedLetter && c.Kind != tether.KindPostal {
		c.Source = tether.SourcePerson
	}
}

// verify gives a current point a verification state: verified with a
// confirmation, failed, or not yet verified.
func (g *generator) verify(c *tether.ContactPoint, how []string, failPercent int) {
	switch x := g.r.IntN(100); {
	case x < failPercent:
		c.Verification = tether.Failed
	case x < failPercent+40:
		c.Verification = tether.Verified
		days := int(g.now.Sub(c.ValidFrom).Hours() / 24)
		t := g.daysAgo(0, max(0, min(days, 500)))
		if t.Before(c.ValidFrom) {
			t = c.ValidFrom
		}
		c.LastConfirmedAt, c.ConfirmedHow = &t, pick(g.r, how)
	default:
		c.Verification = tether.Unverified
	}
}

func (g *generator) contactPoints(p *tether.Person, o *parsedOrigin) []*tether.ContactPoint {
	var cps []*tether.ContactPoint
	add := func(c *tether.ContactPoint) *tether.ContactPoint {
		if c.Party == "" {
			c.Party = tether.PartySelf
		}
		if c.Verification == "" {
			c.Verification = tether.Unverified
		}
		cps = append(cps, c)
		return c
	}

	// The current address, and earlier ones it replaced.
	postal := &tether.ContactPoint{Kind: tether.KindPostal, ValidFrom: g.daysAgo(20, 1500), ForCorrespondence: !g.chance(8)}
	if g.chance(25) {
		postal.Address = g.overseasAddress()
	} else {
		postal.Address = g.ukAddress()
	}
	g.source(postal)
	g.verify(postal, []string{"in_person", "letter_reply", "delivery_receipt", "representative"}, 4)
	start := postal.ValidFrom
	for n := 0; n < 2 && g.percent(25-n*15); n++ {
		ended := start
		old := &tether.ContactPoint{Kind: tether.KindPostal, Address: g.ukAddress(), ForCorrespondence: true,
			ValidFrom: ended.AddDate(0, 0, -60-g.r.IntN(900)), ValidTo: &ended, EndedReason: pick(g.r, movedReasons)}
		g.source(old)
		if strings.HasPrefix(old.EndedReason, "Letter returned") {
			old.Verification = tether.Failed
		}
		add(old)
		start = old.ValidFrom
	}
	add(postal)

	hasMobile, hasEmail := g.percent(80), g.percent(45)
	if !hasMobile && !hasEmail {
		hasMobile = true
	}
	if hasMobile {
		m := &tether.ContactPoint{Kind: tether.KindMobile, Phone: g.mobile(), ValidFrom: g.daysAgo(5, 1200)}
		g.source(m)
		g.verify(m, []string{"sms_reply", "phone_call", "in_person"}, 6)
		if g.chance(10) {
			ended := m.ValidFrom
			add(&tether.ContactPoint{Kind: tether.KindMobile, Phone: g.mobile(), Source: tether.SourcePerson,
				ValidFrom: ended.AddDate(0, 0, -30-g.r.IntN(700)), ValidTo: &ended, EndedReason: pick(g.r, mobileEndedReasons)})
		}
		add(m)
	}
	if hasEmail {
		e := &tether.ContactPoint{Kind: tether.KindEmail, Email: g.email(p.GivenNames, p.FamilyName),
			ValidFrom: g.daysAgo(5, 1200), ForCorrespondence: !postal.ForCorrespondence || g.chance(10)}
		g.source(e)
		g.verify(e, []string{"email_reply", "delivery_receipt"}, 5)
		add(e)
	}

	// Others who can help reach the person.
	if g.percent(12) {
		given, family := pick(g.r, o.male), pick(g.r, o.family)
		if g.percent(50) {
			given = pick(g.r, o.female)
		}
		add(&tether.ContactPoint{Kind: tether.KindMobile, Party: tether.PartyEmergencyContact,
			PartyName:    pick(g.r, given.variants) + " " + pick(g.r, family.variants),
			Relationship: pick(g.r, relationships), Phone: g.mobile(), Source: tether.SourcePerson,
			ValidFrom: g.daysAgo(30, 1200)})
	}
	if g.percent(5) {
		s := &tether.ContactPoint{Party: tether.PartySponsor, Source: tether.SourcePerson, ValidFrom: g.daysAgo(30, 1500),
			Relationship: "sponsor"}
		if g.chance(2) {
			s.PartyName = pick(g.r, sponsorOrgs)
		} else {
			s.PartyName = pick(g.r, britishGiven) + " " + pick(g.r, britishFamily)
		}
		if g.chance(2) {
			s.Kind, s.Address = tether.KindPostal, g.ukAddress()
		} else {
			s.Kind, s.Email = tether.KindEmail, g.email(s.PartyName, "sponsor")
		}
		add(s)
	}
	if r := p.Representative; r != nil && g.percent(70) {
		slug := strings.ReplaceAll(namematch.Fold(r.Organisation), " ", "-")
		add(&tether.ContactPoint{Kind: tether.KindEmail, Party: tether.PartyRepresentative, PartyName: r.Organisation,
			Email: "casework." + slug + "@example.org", Source: tether.SourceRepresentative, ValidFrom: g.daysAgo(10, 900),
			Verification: tether.Verified})
	}
	return cps
}
