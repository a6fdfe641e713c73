package store

import (
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"tether"
	"tether/namematch"
)

// What a bulk import works out for each person beside SQLite, done
// without the reflection and repeated work of the general helpers
// (appendPersonValues, appendContactValuesNoPerson, nameKeys,
// tether.AssessContact), which a million people made a third of the
// import's time. Each gives exactly what its general helper gives;
// import_prep_test.go compares them.

// keyCacheMax bounds the words a keyCache remembers, so that its memory
// stays flat whatever the file.
const keyCacheMax = 1 << 14

// keyCache remembers the search keys of the words of names: names share
// their words far more than they are shared whole (Mohammed, Ali, Nguyen).
// Not safe for concurrent use.
type keyCache struct{ m map[string][]string }

// appendNameKeys appends the person's distinct search keys with id, as
// nameKeys gives them. Keys are of words, and Fold breaks words at white
// space, so the keys of a name are those of its words.
func (kc *keyCache) appendNameKeys(out []nameKey, id int64, p *tether.Person) []nameKey {
	start := len(out)
	out = kc.appendWords(out, start, id, p.GivenNames)
	out = kc.appendWords(out, start, id, p.FamilyName)
	for _, o := range p.OtherNames {
		out = kc.appendWords(out, start, id, o.GivenNames)
		out = kc.appendWords(out, start, id, o.FamilyName)
	}
	return out
}

func (kc *keyCache) appendWords(out []nameKey, start int, id int64, s string) []nameKey {
	for s != "" {
		i := strings.IndexFunc(s, unicode.IsSpace)
		w := s
		if i >= 0 {
			w = s[:i]
			_, size := utf8.DecodeRuneInString(s[i:])
			s = s[i+size:]
		} else {
			s = ""
		}
		if w == "" {
			continue
		}
		keys, ok := kc.m[w]
		if !ok {
			if kc.m == nil || len(kc.m) >= keyCacheMax {
				kc.m = make(map[string][]string, 1024)
			}
			keys = namematch.Keys(w)
			kc.m[strings.Clone(w)] = keys
		}
	next:
		for _, k := range keys {
			for _, have := range out[start:] {
				if have.key == k {
					continue next
				}
			}
			out = append(out, nameKey{k, id})
		}
	}
	return out
}

// countWorkingChannels is tether.AssessContact(points, now).WorkingChannels.
func countWorkingChannels(points []*tether.ContactPoint, now time.Time) int {
	n := 0
	for _, c := range points {
		if c.Working(now) {
			n++
		}
	}
	return n
}

// needsCache remembers how each Needs is stored, as a query value: most
// people share a few.
type needsCache map[tether.Needs]any

func (nc needsCache) value(n tether.Needs) (any, error) {
	if v, ok := nc[n]; ok {
		return v, nil
	}
	v := any(noNeeds)
	if n != (tether.Needs{}) {
		b, err := json.Marshal(n)
		if err != nil {
			return nil, err
		}
		v = string(b)
	}
	if len(nc) < keyCacheMax {
		nc[n] = v
	}
	return v, nil
}

// boxes turns strings into query values (an any) once for each of the
// few values a column holds, rather than copying each to the heap anew:
// for a million people, tens of millions of small allocations.
type boxes struct {
	n    int
	strs [16]string
	vals [16]any
}

func (b *boxes) box(s string) any {
	if s == "" {
		return ""
	}
	for i := 0; i < b.n; i++ {
		if b.strs[i] == s {
			return b.vals[i]
		}
	}
	v := any(s)
	if b.n < len(b.strs) {
		b.strs[b.n], b.vals[b.n] = s, v
		b.n++
	}
	return v
}

// rowBoxes are the boxes of the columns whose values repeat.
type rowBoxes struct {
	nationality, language, repOrg                 boxes
	kind, party, relationship, country, source    boxes
	sourceDetail, confirmedHow, verification, who boxes
}

// emptyList is "[]" as a query value.
var emptyList any = "[]"

// appendBulkPerson appends a person's row for the bulk INSERT of people:
// id, ref, what appendPersonValues gives, working_channels, version and
// the two times, with int64s for ints.
func appendBulkPerson(args []any, id int64, p *tether.Person, nc needsCache, bx *rowBoxes, ta *timeValues) ([]any, error) {
	otherNames := emptyList
	if len(p.OtherNames) > 0 {
		text, ok := otherNamesJSON(p.OtherNames)
		if !ok {
			b, err := json.Marshal(p.OtherNames)
			if err != nil {
				return nil, err
			}
			text = string(b)
		}
		otherNames = text
	}
	needs, err := nc.value(p.Needs)
	if err != nil {
		return nil, err
	}
	var repOrg, repName string
	var repOrgID any
	var repInstructed bool
	if r := p.Representative; r != nil {
		repOrg, repName, repInstructed = r.Organisation, r.Name, r.Instructed
		if r.OrganisationID != nil {
			repOrgID = *r.OrganisationID
		}
	}
	return append(args, id, p.Ref, p.FamilyName, p.GivenNames, otherNames,
		int64(p.DateOfBirth.Year), int64(p.DateOfBirth.Month), int64(p.DateOfBirth.Day), bx.nationality.box(p.Nationality),
		bx.language.box(p.PreferredLanguage), needs, bx.repOrg.box(repOrg), repName, repOrgID, repInstructed,
		int64(p.WorkingChannels), int64(p.Version), ta.arg(p.CreatedAt), ta.arg(p.UpdatedAt)), nil
}

// appendBulkContact appends a contact point's row for the bulk INSERT of
// contact points: the person's id, then what appendContactValuesNoPerson
// gives.
func appendBulkContact(args []any, id int64, c *tether.ContactPoint, bx *rowBoxes, ta *timeValues) ([]any, error) {
	lines, town, pc, country := emptyList, any(""), any(""), any("")
	if a := c.Address; a != nil {
		if len(a.Lines) > 0 {
			text, ok := stringsJSON(a.Lines)
			if !ok {
				b, err := json.Marshal(a.Lines)
				if err != nil {
					return nil, err
				}
				text = string(b)
			}
			lines = text
		}
		town, pc, country = a.Town, a.Postcode, bx.country.box(a.Country)
	}
	var replaces any
	if c.Replaces != nil {
		replaces = *c.Replaces
	}
	return append(args, id, bx.kind.box(c.Kind), bx.party.box(c.Party), c.PartyName, bx.relationship.box(c.Relationship),
		lines, town, pc, country, c.Email, c.Phone, bx.source.box(c.Source), bx.sourceDetail.box(c.SourceDetail),
		c.ForCorrespondence, ta.arg(c.ValidFrom), ta.ptr(c.ValidTo), c.EndedReason, ta.ptr(c.LastConfirmedAt),
		bx.confirmedHow.box(c.ConfirmedHow), bx.verification.box(c.Verification), replaces, bx.who.box(c.CreatedBy),
		ta.arg(c.CreatedAt)), nil
}

// plainJSON reports whether encoding/json writes s between quotes as it
// is: valid UTF-8 without control characters, quotes, backslashes, the
// characters it escapes for HTML (< > &) or the line separators U+2028
// and U+2029.
func plainJSON(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}

// stringsJSON is json.Marshal(ss) when every string is plain; false when
// one is not.
func stringsJSON(ss []string) (string, bool) {
	n := 2
	for _, s := range ss {
		if !plainJSON(s) {
			return "", false
		}
		n += len(s) + 3
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
	}
	b.WriteByte(']')
	return b.String(), true
}

// otherNamesJSON is json.Marshal(names) when every field is plain; false
// when one is not.
func otherNamesJSON(names []tether.OtherName) (string, bool) {
	n := 2
	for _, o := range names {
		if !plainJSON(o.Kind) || !plainJSON(o.FamilyName) || !plainJSON(o.GivenNames) || !plainJSON(o.Script) {
			return "", false
		}
		n += len(o.Kind) + len(o.FamilyName) + len(o.GivenNames) + len(o.Script) + 64
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('[')
	for i, o := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"kind":"`)
		b.WriteString(o.Kind)
		b.WriteString(`","family_name":"`)
		b.WriteString(o.FamilyName)
		b.WriteString(`","given_names":"`)
		b.WriteString(o.GivenNames)
		b.WriteByte('"')
		if o.Script != "" {
			b.WriteString(`,"script":"`)
			b.WriteString(o.Script)
			b.WriteByte('"')
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.String(), true
}

// timeValues turns times into query values as timeArgs does, remembering
// the last few rather than the last one: an imported contact point's
// ValidFrom (the file's time) and CreatedAt (the transaction's) take turns.
type timeValues struct {
	db      *DB
	n, next int
	times   [4]time.Time
	vals    [4]any
}

func (tv *timeValues) arg(t time.Time) any {
	for i := 0; i < tv.n; i++ {
		if tv.times[i].Equal(t) {
			return tv.vals[i]
		}
	}
	v := tv.db.ts(t)
	if tv.db.Dialect == SQLite {
		v = sqliteTime(t)
	}
	i := tv.next
	tv.times[i], tv.vals[i] = t, v
	tv.next = (i + 1) % len(tv.times)
	tv.n = max(tv.n, i+1)
	return v
}

func (tv *timeValues) ptr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return tv.arg(*t)
}
