package tether

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"tether/calendar"
)

// DeemedRule is one rule of deemed service: for a method and destination,
// how many working days or calendar days after the day of sending the notice
// is deemed received. Rules are data, named and versioned, and the notice
// stores the rule it used.
type DeemedRule struct {
	Name        string `json:"name"`
	Method      string `json:"method"`      // MethodPost, MethodEmail, ...
	Destination string `json:"destination"` // "uk", "overseas" or "any"
	Count       int    `json:"count"`
	Unit        string `json:"unit"` // "working-days" (in the destination's division) or "days"
	Text        string `json:"text"` // the rule in words
}

// Rule units and destinations.
const (
	UnitWorkingDays = "working-days"
	UnitDays        = "days"
	DestUK          = "uk"
	DestOverseas    = "overseas"
	DestAny         = "any"
)

// DeemedRules is a named, versioned set of rules.
type DeemedRules struct {
	Name    string       `json:"name"`
	Version int          `json:"version"`
	Rules   []DeemedRule `json:"rules"`
}

// Deemed is a computed deemed-served date with the rule and its explanation.
type Deemed struct {
	Date        calendar.Date `json:"date"`
	Rule        string        `json:"rule"` // "<set name>/<rule name>"
	RuleVersion int           `json:"rule_version"`
	Explanation string        `json:"explanation"`
}

//go:embed deemed_rules.json
var defaultDeemedRules []byte

// DefaultDeemedRules returns the rules shipped with the binary.
func DefaultDeemedRules() DeemedRules {
	r, err := ParseDeemedRules(defaultDeemedRules)
	if err != nil {
		panic("deemed_rules.json: " + err.Error()) // a build fault, caught by the tests
	}
	return r
}

// ParseDeemedRules reads rules from JSON, checking them.
func ParseDeemedRules(data []byte) (DeemedRules, error) {
	var r DeemedRules
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, Invalid("rules", "not valid rules JSON: "+err.Error())
	}
	q := Problems{}
	if strings.TrimSpace(r.Name) == "" {
		q.Add("name", "required")
	}
	if r.Version < 1 {
		q.Add("version", "must be 1 or more")
	}
	seenRule := map[string]bool{}
	for i, x := range r.Rules {
		f := "rules[" + strconv.Itoa(i) + "]."
		if x.Name == "" || seenRule[x.Name] {
			q.Add(f+"name", "required and unique")
		}
		seenRule[x.Name] = true
		if !oneOf(x.Method, Methods) {
			q.Add(f+"method", "must be one of "+strings.Join(Methods, ", "))
		}
		if !oneOf(x.Destination, []string{DestUK, DestOverseas, DestAny}) {
			q.Add(f+"destination", "must be uk, overseas or any")
		}
		if !oneOf(x.Unit, []string{UnitWorkingDays, UnitDays}) {
			q.Add(f+"unit", "must be working-days or days")
		}
		if x.Unit == UnitWorkingDays && x.Destination != DestUK {
			q.Add(f+"unit", "working days need a UK destination, whose division gives the bank holidays")
		}
		if x.Count < 0 || x.Count > 366 {
			q.Add(f+"count", "must be between 0 and 366")
		}
		if strings.TrimSpace(x.Text) == "" {
			q.Add(f+"text", "required: the rule in words")
		}
	}
	if len(r.Rules) == 0 {
		q.Add("rules", "at least one rule")
	}
	return r, q.Err()
}

// rule finds the rule for a method and destination: an exact destination
// first, then "any".
func (r DeemedRules) rule(method, dest string) (DeemedRule, bool) {
	for _, want := range []string{dest, DestAny} {
		for _, x := range r.Rules {
			if x.Method == method && x.Destination == want {
				return x, true
			}
		}
	}
	return DeemedRule{}, false
}

var methodVerb = map[string]string{
	MethodPost:  "Posted",
	MethodEmail: "Sent by email",
	MethodSMS:   "Sent by text message",
	MethodHand:  "Handed over",
	MethodFile:  "Placed on file",
}

// Deemed computes when a notice sent on day sent by method to dest (nil for
// hand, file, email and SMS) is deemed served. For post, sent is the day of
// posting and dest decides UK or overseas and the bank-holiday division.
func (r DeemedRules) Deemed(method string, dest *Address, sent calendar.Date, hol *calendar.Holidays) (Deemed, error) {
	if !sent.IsValid() {
		return Deemed{}, Invalid("sent", "a valid date is required")
	}
	where := DestAny
	if method == MethodPost {
		if dest == nil {
			return Deemed{}, Invalid("destination", "post needs the address it was sent to")
		}
		where = DestOverseas
		if dest.UK() {
			where = DestUK
		}
	}
	x, ok := r.rule(method, where)
	if !ok {
		return Deemed{}, Invalid("method", "no deemed-service rule for "+method+" to "+where+" in "+r.Name+" version "+strconv.Itoa(r.Version))
	}
	d := Deemed{Rule: r.Name + "/" + x.Name, RuleVersion: r.Version}
	verb := methodVerb[method]
	switch {
	case x.Unit == UnitWorkingDays:
		if hol == nil {
			hol = calendar.Default()
		}
		div := dest.Division()
		if div == "" {
			div = calendar.EnglandAndWales
		}
		cal, err := hol.For(div)
		if err != nil {
			return Deemed{}, Invalid("destination", "no bank holidays for division "+div)
		}
		e := cal.Explain(sent, x.Count, verb, "deemed received")
		d.Date = e.Result
		d.Explanation = e.String() + " Rule: " + x.Text
	case x.Count == 0:
		d.Date = sent
		d.Explanation = fmt.Sprintf("%s on %s: deemed received the same day. Rule: %s", verb, sent.Long(), x.Text)
	default:
		d.Date = sent.AddDays(x.Count)
		d.Explanation = fmt.Sprintf("%s on %s (not counted). Day %d after it is %s: deemed received. Rule: %s",
			verb, sent.Long(), x.Count, d.Date.Long(), x.Text)
	}
	return d, nil
}
