package enquiry

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"tether"
	"tether/calendar"
)

// Standard is one service standard: enquiries of an urgency (and of one
// category, or of every category when Category is "") are answered within
// WorkingDays working days of receipt, the day of receipt not counted.
type Standard struct {
	Urgency     string `json:"urgency"`
	Category    string `json:"category,omitempty"`
	WorkingDays int    `json:"working_days"`
	Text        string `json:"text"` // the standard in words
}

// Team answers the enquiries of its categories; triage may route an
// enquiry to another team.
type Team struct {
	Key        string   `json:"key"`
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
}

// Standards are the service standards in force, as data: named and
// versioned, with how many working days before the due date the assignee
// and team lead are warned, and the teams with the categories each
// answers.
type Standards struct {
	Name            string     `json:"name"`
	Version         int        `json:"version"`
	WarnWorkingDays int        `json:"warn_working_days"`
	Standards       []Standard `json:"standards"`
	Teams           []Team     `json:"teams"`
}

// Limits of the standards.
const (
	MaxStandardDays = 100 // working days: about five months
	MaxWarnDays     = 20
)

//go:embed standards.json
var defaultStandards []byte

// DefaultStandards returns the standards shipped in standards.json: 20
// working days for routine enquiries, 2 for urgent and compassionate ones,
// a warning 3 working days before the due date. (check: configuration,
// not law.)
func DefaultStandards() Standards {
	s, err := ParseStandards(defaultStandards)
	if err != nil {
		panic("enquiry: standards.json: " + err.Error()) // a build fault, caught by the tests
	}
	return s
}

// ParseStandards reads standards from JSON and checks them (Validate).
// Unknown fields are refused. EINVALID names the field
// ("standards[1].working_days").
func ParseStandards(data []byte) (Standards, error) {
	var s Standards
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Standards{}, tether.Invalid("standards", "not valid standards JSON: "+err.Error())
	}
	if err := s.Validate(); err != nil {
		return Standards{}, err
	}
	return s, nil
}

// Validate checks the standards: a name and version; a warning of 1 to 20
// working days; standards of a known urgency and category (or none), of 1
// to 100 working days, with their text, at most one per urgency and
// category, and one for every category of every urgency; teams with a
// unique key and a name, between them answering every category once.
func (s Standards) Validate() error {
	q := tether.Problems{}
	if strings.TrimSpace(s.Name) == "" {
		q.Add("name", "required")
	}
	if s.Version < 1 {
		q.Add("version", "must be 1 or more")
	}
	if s.WarnWorkingDays < 1 || s.WarnWorkingDays > MaxWarnDays {
		q.Add("warn_working_days", "must be between 1 and "+strconv.Itoa(MaxWarnDays)+" working days")
	}
	seen := map[string]bool{}
	for i, st := range s.Standards {
		f := "standards[" + strconv.Itoa(i) + "]."
		if !slices.Contains(Urgencies, st.Urgency) {
			q.Add(f+"urgency", "must be one of "+strings.Join(Urgencies, ", "))
		}
		if st.Category != "" && !slices.Contains(Categories, st.Category) {
			q.Add(f+"category", "must be one of "+strings.Join(Categories, ", ")+", or left out for every category")
		}
		if st.WorkingDays < 1 || st.WorkingDays > MaxStandardDays {
			q.Add(f+"working_days", "must be between 1 and "+strconv.Itoa(MaxStandardDays))
		}
		if strings.TrimSpace(st.Text) == "" {
			q.Add(f+"text", "required: the standard in words")
		}
		key := st.Urgency + "/" + st.Category
		if seen[key] {
			q.Add(f+"category", "a second standard for the same urgency and category")
		}
		seen[key] = true
	}
	for _, u := range Urgencies {
		for _, c := range Categories {
			if !seen[u+"/"+c] && !seen[u+"/"] {
				q.Add("standards", "no standard for "+u+" enquiries about "+c+": add one for the urgency")
			}
		}
	}
	keys := map[string]bool{}
	answered := map[string]int{}
	for i, t := range s.Teams {
		f := "teams[" + strconv.Itoa(i) + "]."
		if !validKey(t.Key) || keys[t.Key] {
			q.Add(f+"key", "required, unique, lower-case letters, digits and hyphens")
		}
		keys[t.Key] = true
		if strings.TrimSpace(t.Name) == "" {
			q.Add(f+"name", "required")
		}
		for j, c := range t.Categories {
			if !slices.Contains(Categories, c) {
				q.Add(f+"categories["+strconv.Itoa(j)+"]", "must be one of "+strings.Join(Categories, ", "))
			}
			answered[c]++
		}
	}
	for _, c := range Categories {
		if answered[c] != 1 {
			q.Add("teams", "every category must be answered by exactly one team: "+c+" is answered by "+strconv.Itoa(answered[c]))
		}
	}
	return q.Err()
}

// validKey is a team key: 1 to 40 lower-case letters, digits and hyphens.
func validKey(s string) bool {
	return s != "" && len(s) <= 40 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == ""
}

// For returns the standard for an enquiry of the urgency and category: the
// category's own, or else the urgency's. EINVALID for an unknown urgency or
// category.
func (s Standards) For(urgency, category string) (Standard, error) {
	if !slices.Contains(Urgencies, urgency) {
		return Standard{}, tether.Invalid("urgency", "must be one of "+strings.Join(Urgencies, ", "))
	}
	if !slices.Contains(Categories, category) {
		return Standard{}, tether.Invalid("category", "must be one of "+strings.Join(Categories, ", "))
	}
	var general *Standard
	for i, st := range s.Standards {
		if st.Urgency != urgency {
			continue
		}
		if st.Category == category {
			return st, nil
		}
		if st.Category == "" {
			general = &s.Standards[i]
		}
	}
	if general == nil {
		return Standard{}, tether.Invalid("urgency", "no service standard covers "+urgency+" enquiries about "+category)
	}
	return *general, nil
}

// TeamFor is the key of the team that answers the category ("" when no
// team does, which Validate refuses).
func (s Standards) TeamFor(category string) string {
	for _, t := range s.Teams {
		if slices.Contains(t.Categories, category) {
			return t.Key
		}
	}
	return ""
}

// Team returns the team with the key.
func (s Standards) Team(key string) (Team, bool) {
	for _, t := range s.Teams {
		if t.Key == key {
			return t, true
		}
	}
	return Team{}, false
}

// TeamKeys lists the teams' keys.
func (s Standards) TeamKeys() []string {
	keys := make([]string, len(s.Teams))
	for i, t := range s.Teams {
		keys[i] = t.Key
	}
	return keys
}

// Due is when an enquiry is due under its standard, with the count in
// words.
type Due struct {
	Date        calendar.Date
	Standard    Standard
	Explanation string
}

// DueDate counts the standard's working days from the day of receipt, not
// counting that day, in the calendar of the division concerned, and says
// how in words: "A routine enquiry is answered within 20 working days.
// Received Monday 2 March 2026 (not counted). Working days 1 to 20: ...:
// due."
func DueDate(received calendar.Date, st Standard, cal calendar.Calendar) Due {
	e := cal.Explain(received, st.WorkingDays, "Received", "due")
	text := e.String()
	if st.Text != "" {
		text = st.Text + " " + text
	}
	return Due{Date: e.Result, Standard: st, Explanation: text}
}

// WarnOn is the day the assignee and team lead are warned of an enquiry
// received on received and due on due: warn working days before the due
// date, but never before the first working day after receipt (an urgent
// enquiry due in 2 working days is warned of on the first) nor after the
// due date.
func WarnOn(received, due calendar.Date, warn int, cal calendar.Calendar) calendar.Date {
	w := cal.AddWorkingDays(due, -warn)
	if first := cal.NextWorkingDay(received); w.Before(first) {
		w = first
	}
	if w.After(due) {
		w = due
	}
	return w
}

// BreachOn is the day a breach is raised for an enquiry due on due still
// unanswered: the day after.
func BreachOn(due calendar.Date) calendar.Date { return due.AddDays(1) }

// WorkingDaysTaken is how long an answer sent on answered took for an
// enquiry received on received: the working days after receipt up to and
// including the day of the answer.
func WorkingDaysTaken(received, answered calendar.Date, cal calendar.Calendar) int {
	return cal.WorkingDaysBetween(received, answered)
}
