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
	"tether/calendar"
)

// Kinds of tracing attempt.
const (
	AttemptCall             = "call"              // call a number
	AttemptText             = "text"              // send a text message
	AttemptEmail            = "email"             // send an email
	AttemptLetter           = "letter"            // write to the last-known address
	AttemptRepresentative   = "representative"    // contact the legal representative
	AttemptEmergencyContact = "emergency_contact" // contact an emergency contact
	AttemptSponsor          = "sponsor"           // contact the sponsor
	AttemptComplianceVisit  = "compliance_visit"  // visit the last-known address
	AttemptAgencyChecks     = "agency_checks"     // ask other agencies
)

// AttemptKinds lists the kinds of tracing attempt.
var AttemptKinds = []string{AttemptCall, AttemptText, AttemptEmail, AttemptLetter, AttemptRepresentative,
	AttemptEmergencyContact, AttemptSponsor, AttemptComplianceVisit, AttemptAgencyChecks}

// Limits of a playbook.
const (
	MaxPlaybookSteps = 50
	MaxDueAfter      = 60 // working days
)

// Step is one step of a tracing playbook: an attempt and which contact
// points it needs, and when it is due.
type Step struct {
	Kind string `json:"kind"`
	// Party is whose contact points the step uses (tether.PartySelf,
	// PartyRepresentative, PartyEmergencyContact, PartySponsor), or "" for
	// a step that needs none, such as checks with other agencies.
	Party string `json:"party,omitempty"`
	// Uses are the kinds of contact point the step needs (tether.KindMobile
	// ...); empty means any of the party's. A step for the representative
	// that uses any point applies whenever a representative is on record.
	Uses []string `json:"uses,omitempty"`
	// Each makes one attempt for each point that fits, such as calling each
	// number; otherwise one, with the most recent (the last-known address).
	Each bool `json:"each,omitempty"`
	// UKOnly needs a UK address: a compliance visit.
	UKOnly bool `json:"uk_only,omitempty"`
	// IncludeFailed also uses points marked failed: a returned letter does
	// not mean nobody lives at the address, so a visit still goes there.
	IncludeFailed bool `json:"include_failed,omitempty"`
	// DueAfter is the number of working days after the plan starts that
	// the attempt is due; 0 is the same day.
	DueAfter int    `json:"due_after"`
	Text     string `json:"text"` // what to do, in words
}

// Playbook is a named, versioned, ordered list of tracing steps, kept as
// data (playbook.json). Steps are in the order they are tried, so DueAfter
// never decreases from one to the next.
type Playbook struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
	Steps   []Step `json:"steps"`
}

//go:embed playbook.json
var defaultPlaybook []byte

// DefaultPlaybook returns the playbook shipped in playbook.json: the same
// day, call each of the person's numbers, text each mobile and email each
// address; after 1 working day write to the last-known address and contact
// the representative; after 2 contact emergency contacts and sponsors;
// after 5 a compliance visit to the last-known UK address and checks with
// other agencies. (check: the days are configuration.)
func DefaultPlaybook() Playbook {
	pb, err := ParsePlaybook(defaultPlaybook)
	if err != nil {
		panic("reporting: playbook.json: " + err.Error()) // a build fault, caught by the tests
	}
	return pb
}

// ParsePlaybook reads a playbook from JSON and checks it (Validate).
// Unknown fields are refused. EINVALID names the field.
func ParsePlaybook(data []byte) (Playbook, error) {
	var pb Playbook
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pb); err != nil {
		return Playbook{}, tether.Invalid("playbook", "not valid playbook JSON: "+err.Error())
	}
	if err := pb.Validate(); err != nil {
		return Playbook{}, err
	}
	return pb, nil
}

// Validate checks the playbook: a name and version, 1 to MaxPlaybookSteps
// steps of known kinds, parties and contact kinds, due 0 to MaxDueAfter
// working days after the start and in order, each with its text.
func (pb Playbook) Validate() error {
	q := tether.Problems{}
	if strings.TrimSpace(pb.Name) == "" {
		q.Add("name", "required")
	}
	if pb.Version < 1 {
		q.Add("version", "must be 1 or more")
	}
	switch {
	case len(pb.Steps) == 0:
		q.Add("steps", "at least one step")
	case len(pb.Steps) > MaxPlaybookSteps:
		q.Add("steps", fmt.Sprintf("must be %d steps or fewer", MaxPlaybookSteps))
	}
	for i, s := range pb.Steps {
		f := "steps[" + strconv.Itoa(i) + "]."
		if !slices.Contains(AttemptKinds, s.Kind) {
			q.Add(f+"kind", "must be one of "+strings.Join(AttemptKinds, ", "))
		}
		if s.Party != "" && !slices.Contains(tether.Parties, s.Party) {
			q.Add(f+"party", "must be one of "+strings.Join(tether.Parties, ", ")+", or empty for a step that needs no contact point")
		}
		for j, u := range s.Uses {
			if !slices.Contains(tether.ContactKinds, u) {
				q.Add(f+"uses["+strconv.Itoa(j)+"]", "must be one of "+strings.Join(tether.ContactKinds, ", "))
			}
		}
		if s.Party == "" && (len(s.Uses) > 0 || s.Each || s.UKOnly || s.IncludeFailed) {
			q.Add(f+"party", "say whose contact points the step uses")
		}
		if s.UKOnly && !slices.Contains(s.Uses, tether.KindPostal) {
			q.Add(f+"uk_only", "is for a step that uses a postal address")
		}
		if s.DueAfter < 0 || s.DueAfter > MaxDueAfter {
			q.Add(f+"due_after", fmt.Sprintf("must be between 0 and %d working days", MaxDueAfter))
		} else if i > 0 && s.DueAfter < pb.Steps[i-1].DueAfter {
			q.Add(f+"due_after", "is earlier than the step before: steps are in the order they are tried")
		}
		if strings.TrimSpace(s.Text) == "" {
			q.Add(f+"text", "required: what to do, in words")
		}
	}
	return q.Err()
}

// Attempt is one dated attempt of a tracing plan.
type Attempt struct {
	Seq  int           `json:"seq"` // 1, 2, ... in the order to try them
	Kind string        `json:"kind"`
	Due  calendar.Date `json:"due"`
	// Party, PointID and Target are the contact point to try, when the
	// step uses one: Target is its address, email or number.
	Party   string `json:"party,omitempty"`
	PointID int64  `json:"point_id,omitempty"`
	Target  string `json:"target,omitempty"`
	Text    string `json:"text"`
	// Explanation says how the due day was counted.
	Explanation string `json:"explanation"`
}

// NotApplicable is a step of the playbook that gave no attempt, and why,
// so that the record shows it was considered.
type NotApplicable struct {
	Kind string `json:"kind"`
	Why  string `json:"why"`
}

// TracingPlan is the dated plan to re-establish contact with a person.
type TracingPlan struct {
	Playbook      string          `json:"playbook"`
	Version       int             `json:"version"`
	Start         calendar.Date   `json:"start"`
	Division      string          `json:"division"`
	Attempts      []Attempt       `json:"attempts"`
	NotApplicable []NotApplicable `json:"not_applicable,omitempty"`
}

// Plan makes a tracing plan from the playbook for a person with facts f,
// starting on start (the day they became at risk or out of contact), with
// due days counted in cal, the person's division. Attempts are in playbook
// order, so their due days never go back; a step that uses each point gives
// one attempt per point, in the order of f.Points. A step the person has no
// fitting point for gives no attempt, and NotApplicable says why.
// EINVALID when the playbook is not valid or start is not a date.
func Plan(pb Playbook, f Facts, start calendar.Date, cal calendar.Calendar) (TracingPlan, error) {
	if err := pb.Validate(); err != nil {
		return TracingPlan{}, err
	}
	if !start.IsValid() {
		return TracingPlan{}, tether.Invalid("start", "is not a real date")
	}
	p := TracingPlan{Playbook: pb.Name, Version: pb.Version, Start: start, Division: cal.Division(), Attempts: []Attempt{}}
	for _, s := range pb.Steps {
		targets, why := s.targets(f)
		if why != "" {
			p.NotApplicable = append(p.NotApplicable, NotApplicable{Kind: s.Kind, Why: why})
			continue
		}
		due, expl := cal.AddWorkingDays(start, s.DueAfter), ""
		if s.DueAfter == 0 {
			expl = "Due the day the plan starts, " + start.Long() + "."
		} else {
			expl = cal.Explain(start, s.DueAfter, "Plan started", "due").String()
		}
		for _, t := range targets {
			a := Attempt{Seq: len(p.Attempts) + 1, Kind: s.Kind, Due: due, Party: s.Party, Text: s.Text, Explanation: expl}
			if t != nil {
				a.PointID, a.Target = t.ID, t.Value
			}
			p.Attempts = append(p.Attempts, a)
		}
	}
	return p, nil
}

// targets returns the points a step tries (one nil for a step that needs
// none), or why it does not apply.
func (s Step) targets(f Facts) ([]*Point, string) {
	if s.Party == "" {
		return []*Point{nil}, ""
	}
	var fit, failed, overseas int
	var out []*Point
	for i := range f.Points {
		pt := &f.Points[i]
		if pt.Party != s.Party || (len(s.Uses) > 0 && !slices.Contains(s.Uses, pt.Kind)) {
			continue
		}
		fit++
		if pt.Failed && !s.IncludeFailed {
			failed++
			continue
		}
		if s.UKOnly && pt.Overseas {
			overseas++
			continue
		}
		out = append(out, pt)
		if !s.Each {
			break
		}
	}
	if len(out) > 0 {
		return out, ""
	}
	if s.Party == tether.PartyRepresentative && len(s.Uses) == 0 && f.Representative {
		return []*Point{nil}, "" // the representative is on record; find their details
	}
	what := usesWords(s.Uses)
	whose := partyWords(s.Party)
	switch {
	case fit == 0:
		return nil, fmt.Sprintf("There is no %s of %s on record.", what, whose)
	case overseas > 0 && failed == 0:
		return nil, fmt.Sprintf("The %s of %s on record is outside the UK.", what, whose)
	default:
		return nil, fmt.Sprintf("Every %s of %s on record is marked as not working.", what, whose)
	}
}

var contactWords = map[string]string{tether.KindPostal: "postal address", tether.KindEmail: "email address",
	tether.KindMobile: "mobile number", tether.KindLandline: "landline number"}

func usesWords(uses []string) string {
	if len(uses) == 0 {
		return "contact detail"
	}
	w := make([]string, len(uses))
	for i, u := range uses {
		w[i] = contactWords[u]
	}
	if len(w) == 1 {
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " or " + w[len(w)-1]
}

func partyWords(party string) string {
	switch party {
	case tether.PartySelf:
		return "the person"
	case tether.PartyRepresentative:
		return "a representative"
	case tether.PartyEmergencyContact:
		return "an emergency contact"
	case tether.PartySponsor:
		return "a sponsor"
	}
	return party
}
