package reporting

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tether"
)

// Flags about a person that eligibility rules read. They are recorded on
// the person by a caseworker, with the reason, like any other change.
const (
	// FlagIdentifiedForRemoval: the person is identified for removal.
	FlagIdentifiedForRemoval = "identified_for_removal"
	// FlagFailedTelephoneReporting: the person fell out of contact after
	// failing telephone reporting.
	FlagFailedTelephoneReporting = "failed_telephone_reporting"
)

// Flags lists the flags rules may name; ParseRules refuses others, so that
// a misspelt flag cannot make a rule silently never apply.
var Flags = []string{FlagIdentifiedForRemoval, FlagFailedTelephoneReporting}

// CheckFlagChange checks a setting or clearing of a person's flag: a flag
// the rules know, and a reason of at most maxReason characters. It says
// every problem at once, by field (flag, reason).
func CheckFlagChange(flag, reason string) error {
	q := tether.Problems{}
	if !slices.Contains(Flags, strings.TrimSpace(flag)) {
		q.Add("flag", "must be one of "+strings.Join(Flags, ", "))
	}
	switch reason = strings.TrimSpace(reason); {
	case reason == "":
		q.Add("reason", "say why")
	case utf8.RuneCountInString(reason) > maxReason:
		q.Add("reason", fmt.Sprintf("must be %d characters or fewer", maxReason))
	}
	return q.Err()
}

// Facts are what the rules and the tracing playbook know about a person:
// flags, whether a representative is on record, and the contact points
// there are to try. Build them with FactsFrom.
type Facts struct {
	Flags []string `json:"flags,omitempty"`
	// Representative is true when the person has a legal representative
	// on record, with or without contact points of theirs.
	Representative bool `json:"representative"`
	// Points are the current contact points of the person and of the
	// parties acting for or vouching for them, the most recent first
	// within each kind: the first postal address of the person's is their
	// last-known address.
	Points []Point `json:"points,omitempty"`
}

// Has reports whether the person has flag.
func (f Facts) Has(flag string) bool { return slices.Contains(f.Flags, flag) }

// Point is a contact point as tracing sees it.
type Point struct {
	ID    int64  `json:"id"`
	Kind  string `json:"kind"`  // tether.KindPostal, KindEmail, KindMobile, KindLandline
	Party string `json:"party"` // tether.PartySelf, PartyRepresentative, ...
	// Value is the address, email or number on one line, for the
	// caseworker making the attempt.
	Value string `json:"value"`
	// Overseas is true for a postal address outside the UK.
	Overseas bool `json:"overseas,omitempty"`
	// Failed is true when the point is marked as not working (a bounce, a
	// returned letter). Most steps skip it; a compliance visit does not.
	Failed bool `json:"failed,omitempty"`
}

// FactsFrom builds a person's facts from the domain's records: flags as
// recorded, a representative if p has one, and the points of points that are
// current at at (ended ones are left out; failed ones are kept and marked),
// the most recently confirmed or started first.
func FactsFrom(p *tether.Person, points []*tether.ContactPoint, flags []string, at time.Time) Facts {
	f := Facts{Flags: slices.Clone(flags)}
	if p != nil && p.Representative != nil {
		f.Representative = true
	}
	var cur []*tether.ContactPoint
	for _, c := range points {
		if c != nil && c.Current(at) {
			cur = append(cur, c)
		}
	}
	seen := func(c *tether.ContactPoint) time.Time {
		if c.LastConfirmedAt != nil && c.LastConfirmedAt.After(c.ValidFrom) {
			return *c.LastConfirmedAt
		}
		return c.ValidFrom
	}
	slices.SortStableFunc(cur, func(a, b *tether.ContactPoint) int {
		if c := seen(b).Compare(seen(a)); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	for _, c := range cur {
		f.Points = append(f.Points, Point{
			ID: c.ID, Kind: c.Kind, Party: c.Party, Value: c.Value(),
			Overseas: c.Kind == tether.KindPostal && c.Address != nil && !c.Address.UK(),
			Failed:   c.Verification == tether.Failed,
		})
	}
	return f
}
