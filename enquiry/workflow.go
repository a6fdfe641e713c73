package enquiry

import (
	"slices"
	"strings"
	"unicode/utf8"

	"tether"
	"tether/calendar"
)

// Actions that move an enquiry through its workflow. A holding reply and
// an answer are sent through their own routes; the others are
// transitions (TransitionInput).
const (
	ActionTriage  = "triage"  // received -> triaged: checked, matched where possible, routed
	ActionAssign  = "assign"  // triaged, assigned or in progress -> assigned (to someone)
	ActionStart   = "start"   // assigned -> in progress
	ActionHolding = "holding" // an open enquiry stays as it is, with a new date
	ActionAnswer  = "answer"  // assigned or in progress -> answered
	ActionClose   = "close"   // answered -> closed
	ActionReopen  = "reopen"  // answered or closed -> in progress, with a reason
)

// TransitionActions are the actions TransitionInput takes.
var TransitionActions = []string{ActionTriage, ActionAssign, ActionStart, ActionClose, ActionReopen}

// Next is the state an enquiry in state moves to by the action, or an
// ECONFLICT error saying why the action does not apply to it (EINVALID
// for an action it does not know). Nothing is sent to a closed enquiry:
// reopen it first.
func Next(state, action string) (string, error) {
	if !slices.Contains(States, state) {
		return "", tether.Errorf(tether.ECONFLICT, "This enquiry is in an unknown state %q.", state)
	}
	refuse := func(msg string) (string, error) { return "", tether.Errorf(tether.ECONFLICT, "%s", msg) }
	switch action {
	case ActionTriage:
		if state != StateReceived {
			return refuse("This enquiry has already been triaged.")
		}
		return StateTriaged, nil
	case ActionAssign:
		switch state {
		case StateTriaged, StateAssigned, StateInProgress:
			return StateAssigned, nil
		case StateReceived:
			return refuse("Triage this enquiry before you assign it.")
		}
	case ActionStart:
		switch state {
		case StateAssigned:
			return StateInProgress, nil
		case StateInProgress:
			return refuse("This enquiry is already in progress.")
		case StateReceived, StateTriaged:
			return refuse("Assign this enquiry to someone before work starts.")
		}
	case ActionHolding:
		if IsOpen(state) {
			return state, nil
		}
	case ActionAnswer:
		switch state {
		case StateAssigned, StateInProgress:
			return StateAnswered, nil
		case StateReceived, StateTriaged:
			return refuse("Assign this enquiry to someone before it is answered.")
		}
	case ActionClose:
		switch state {
		case StateAnswered:
			return StateClosed, nil
		case StateClosed:
			return refuse("This enquiry is already closed.")
		}
		return refuse("Answer this enquiry before you close it.")
	case ActionReopen:
		if state == StateAnswered || state == StateClosed {
			return StateInProgress, nil
		}
		return refuse("This enquiry is still open: there is nothing to reopen.")
	default:
		return "", tether.Invalid("action", "must be one of "+strings.Join(TransitionActions, ", "))
	}
	switch state {
	case StateClosed:
		return refuse("This enquiry is closed: reopen it first.")
	case StateAnswered:
		return refuse("This enquiry has been answered: reopen it first.")
	}
	return refuse("This cannot be done to an enquiry that is " + StateWords(state) + ".")
}

// TransitionInput is one step of the workflow other than a reply: triage
// (optionally matching the person, recategorising and routing to a team),
// assigning to a caseworker, starting work, closing and reopening (with
// the reason in Note).
type TransitionInput struct {
	Action   string `json:"action"`
	Version  int    `json:"version,omitempty"`
	Note     string `json:"note,omitempty"`
	Team     string `json:"team,omitempty"`
	Category string `json:"category,omitempty"`
	PersonID *int64 `json:"person_id,omitempty"`
	Assignee *int64 `json:"assignee,omitempty"`
}

// Validate checks a transition's fields for its action against the
// standards' teams; the store checks what needs records.
func (in *TransitionInput) Validate(st Standards) error {
	q := tether.Problems{}
	in.Note = strings.TrimSpace(in.Note)
	if !slices.Contains(TransitionActions, in.Action) {
		q.Add("action", "must be one of "+strings.Join(TransitionActions, ", "))
		return q.Err()
	}
	if in.Version < 0 {
		q.Add("version", "must be the version of the enquiry you saw")
	}
	if utf8.RuneCountInString(in.Note) > 2000 {
		q.Add("note", "must be 2000 characters or fewer")
	}
	if in.Team != "" {
		if _, ok := st.Team(in.Team); !ok {
			q.Add("team", "must be one of "+strings.Join(st.TeamKeys(), ", "))
		} else if in.Action != ActionTriage && in.Action != ActionAssign {
			q.Add("team", "a team is chosen at triage or when assigning")
		}
	}
	if in.Category != "" {
		if !slices.Contains(Categories, in.Category) {
			q.Add("category", "must be one of "+strings.Join(Categories, ", "))
		} else if in.Action != ActionTriage {
			q.Add("category", "the category is changed at triage")
		}
	}
	if in.PersonID != nil {
		if *in.PersonID <= 0 {
			q.Add("person_id", "must be a person's id")
		} else if in.Action != ActionTriage {
			q.Add("person_id", "the person is matched at triage")
		}
	}
	switch in.Action {
	case ActionAssign:
		if in.Assignee == nil || *in.Assignee <= 0 {
			q.Add("assignee", "choose the caseworker to give it to")
		}
	case ActionReopen:
		if in.Note == "" {
			q.Add("note", "say why the enquiry is reopened")
		}
	}
	if in.Assignee != nil && in.Action != ActionAssign {
		q.Add("assignee", "an assignee is chosen by the assign action")
	}
	return q.Err()
}

// Filter selects enquiries for lists, which are sorted by due date, then
// id. An office's user sees only its own organisation's, whatever
// OrganisationID says.
type Filter struct {
	OrganisationID *int64
	// State is one of States, StateOpen (still to be answered) or "" for
	// any.
	State     string
	Category  string
	Urgency   string
	Team      string
	Assignee  *int64
	PersonID  *int64
	Unmatched bool   // only those not matched to a person (the triage list)
	Ref       string // one enquiry by its reference
	DueBefore string // YYYY-MM-DD: due before that day
	Limit     int    // default 50, at most 500
	Offset    int
}

// Validate checks a filter, naming the field at fault.
func (f *Filter) Validate() error {
	q := tether.Problems{}
	if f.State != "" && f.State != StateOpen && !slices.Contains(States, f.State) {
		q.Add("state", "must be one of open, "+strings.Join(States, ", "))
	}
	if f.Category != "" && !slices.Contains(Categories, f.Category) {
		q.Add("category", "must be one of "+strings.Join(Categories, ", "))
	}
	if f.Urgency != "" && !slices.Contains(Urgencies, f.Urgency) {
		q.Add("urgency", "must be one of "+strings.Join(Urgencies, ", "))
	}
	if f.Team != "" && !validKey(f.Team) {
		q.Add("team", "must be a team's key")
	}
	if f.OrganisationID != nil && *f.OrganisationID <= 0 {
		q.Add("organisation_id", "must be an organisation's id")
	}
	if f.Assignee != nil && *f.Assignee <= 0 {
		q.Add("assignee", "must be a user's id")
	}
	if f.PersonID != nil && *f.PersonID <= 0 {
		q.Add("person_id", "must be a person's id")
	}
	f.Ref = strings.ToUpper(strings.TrimSpace(f.Ref))
	if f.Ref != "" && !ValidRef(f.Ref) {
		q.Add("ref", "must be an enquiry reference like ENQ-7K2M9-QXA4T")
	}
	if f.DueBefore != "" {
		if _, err := calendar.ParseDate(f.DueBefore); err != nil {
			q.Add("due_before", "must be a real date, YYYY-MM-DD")
		}
	}
	if f.Limit < 0 {
		q.Add("limit", "must be 0 or more")
	}
	if f.Offset < 0 {
		q.Add("offset", "must be 0 or more")
	}
	return q.Err()
}

// Reference form: "ENQ-", five characters, "-", five characters, from an
// alphabet without the letters easily mistaken for digits.
const (
	RefPrefix   = "ENQ-"
	RefAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
)

// NewRef makes a reference from ten random values (each taken modulo the
// alphabet's 32 letters: 50 bits).
func NewRef(random [10]byte) string {
	var b strings.Builder
	b.WriteString(RefPrefix)
	for i, r := range random {
		if i == 5 {
			b.WriteByte('-')
		}
		b.WriteByte(RefAlphabet[int(r)%len(RefAlphabet)])
	}
	return b.String()
}

// ValidRef reports whether s is a reference in NewRef's form.
func ValidRef(s string) bool {
	if len(s) != len(RefPrefix)+11 || !strings.HasPrefix(s, RefPrefix) {
		return false
	}
	for i, c := range s[len(RefPrefix):] {
		if i == 5 {
			if c != '-' {
				return false
			}
			continue
		}
		if !strings.ContainsRune(RefAlphabet, c) {
			return false
		}
	}
	return true
}
