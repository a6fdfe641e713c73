package reporting

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tether"
)

// Rule effects.
const (
	// EffectForbid: a person the rule applies to may not report this kind.
	EffectForbid = "forbid"
	// EffectRequire: a person the rule applies to may report only this
	// kind: a condition of any other kind is refused.
	EffectRequire = "require"
)

// When is the predicate of a rule over a person's flags. It holds when the
// person has at least one of Any (or Any is empty) and none of None. An
// empty When holds for everyone.
type When struct {
	Any  []string `json:"any,omitempty"`
	None []string `json:"none,omitempty"`
}

// Holds reports whether the predicate holds for the person.
func (w When) Holds(f Facts) bool {
	if len(w.Any) > 0 && !slices.ContainsFunc(w.Any, f.Has) {
		return false
	}
	return !slices.ContainsFunc(w.None, f.Has)
}

// Rule is one eligibility rule: for the people When holds for, the Kind it
// forbids or requires. Rules are data, named and versioned, and a refusal
// names the rule it applied.
type Rule struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
	Effect  string `json:"effect"` // EffectForbid or EffectRequire
	Kind    string `json:"kind"`
	When    When   `json:"when"`
	Text    string `json:"text"` // the rule in words
}

// ID names the rule and its version: "no-telephone-identified-for-removal
// version 1".
func (r Rule) ID() string { return r.Name + " version " + strconv.Itoa(r.Version) }

// Breached reports whether a condition of kind breaks the rule for a
// person with facts f.
func (r Rule) Breached(f Facts, kind string) bool {
	if !r.When.Holds(f) {
		return false
	}
	switch r.Effect {
	case EffectForbid:
		return kind == r.Kind
	case EffectRequire:
		return kind != r.Kind
	}
	return false
}

// RuleSet is a named, versioned set of eligibility rules.
type RuleSet struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
	Rules   []Rule `json:"rules"`
}

//go:embed rules.json
var defaultRules []byte

// DefaultRules returns the eligibility rules shipped in rules.json: no
// telephone reporting for a person identified for removal, or for one who
// fell out of contact after failing telephone reporting.
func DefaultRules() RuleSet {
	rs, err := ParseRules(defaultRules)
	if err != nil {
		panic("reporting: rules.json: " + err.Error()) // a build fault, caught by the tests
	}
	return rs
}

// ParseRules reads a rule set from JSON and checks it: a name and version,
// rules with unique names, versions of 1 or more, a known effect, kind and
// flags, and their text. Unknown fields are refused. EINVALID names the
// field ("rules[1].when.any[0]").
func ParseRules(data []byte) (RuleSet, error) {
	var rs RuleSet
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rs); err != nil {
		return RuleSet{}, tether.Invalid("rules", "not valid rules JSON: "+err.Error())
	}
	if err := rs.Validate(); err != nil {
		return RuleSet{}, err
	}
	return rs, nil
}

// Validate checks the rule set as ParseRules does.
func (rs RuleSet) Validate() error {
	q := tether.Problems{}
	if strings.TrimSpace(rs.Name) == "" {
		q.Add("name", "required")
	}
	if rs.Version < 1 {
		q.Add("version", "must be 1 or more")
	}
	seen := map[string]bool{}
	for i, r := range rs.Rules {
		f := "rules[" + strconv.Itoa(i) + "]."
		if strings.TrimSpace(r.Name) == "" || seen[r.Name] {
			q.Add(f+"name", "required and unique")
		}
		seen[r.Name] = true
		if r.Version < 1 {
			q.Add(f+"version", "must be 1 or more")
		}
		if r.Effect != EffectForbid && r.Effect != EffectRequire {
			q.Add(f+"effect", "must be forbid or require")
		}
		if !slices.Contains(Kinds, r.Kind) {
			q.Add(f+"kind", "must be one of "+strings.Join(Kinds, ", "))
		}
		for j, flag := range r.When.Any {
			if !slices.Contains(Flags, flag) {
				q.Add(f+"when.any["+strconv.Itoa(j)+"]", "unknown flag "+strconv.Quote(flag)+": must be one of "+strings.Join(Flags, ", "))
			}
		}
		for j, flag := range r.When.None {
			if !slices.Contains(Flags, flag) {
				q.Add(f+"when.none["+strconv.Itoa(j)+"]", "unknown flag "+strconv.Quote(flag)+": must be one of "+strings.Join(Flags, ", "))
			}
		}
		if strings.TrimSpace(r.Text) == "" {
			q.Add(f+"text", "required: the rule in words")
		}
	}
	return q.Err()
}

// Breaches returns the rules that a condition of kind breaks for a person
// with facts f, in the set's order; none when it is allowed.
func (rs RuleSet) Breaches(f Facts, kind string) []Rule {
	var out []Rule
	for _, r := range rs.Rules {
		if r.Breached(f, kind) {
			out = append(out, r)
		}
	}
	return out
}

// Allowed returns the kinds of condition the person may have, for a form
// to offer.
func (rs RuleSet) Allowed(f Facts) []string {
	var out []string
	for _, k := range Kinds {
		if len(rs.Breaches(f, k)) == 0 {
			out = append(out, k)
		}
	}
	return out
}

// Check refuses a condition that breaks a rule for the person, with an
// EINVALID error on the field "kind" that names the first rule broken, its
// version and the rule in words.
func (rs RuleSet) Check(f Facts, c Condition) error {
	b := rs.Breaches(f, c.Kind)
	if len(b) == 0 {
		return nil
	}
	r := b[0]
	why := fmt.Sprintf("%s (rule %s)", r.Text, r.ID())
	return &tether.Error{Code: tether.EINVALID,
		Message: fmt.Sprintf("Reporting %s is refused by rule %s: %s", KindWords(c.Kind), r.ID(), r.Text),
		Fields:  map[string]string{"kind": why}}
}
