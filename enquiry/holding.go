package enquiry

import (
	"slices"
	"strings"
	"unicode/utf8"

	"tether"
	"tether/calendar"
)

// Reasons a holding reply may give: each says what sort of thing is
// outstanding. "Complex" is not one: the reply must say what is outstanding
// and from whom. (check: the department's controlled list.)
const (
	ReasonAwaitingDecision    = "awaiting_decision"
	ReasonAwaitingInformation = "awaiting_information"
	ReasonAwaitingDocuments   = "awaiting_documents"
	ReasonAwaitingChecks      = "awaiting_checks"
	ReasonAwaitingAppointment = "awaiting_appointment"
	ReasonLegalProceedings    = "legal_proceedings"
)

// Reasons lists the reasons in the order forms offer them.
var Reasons = []string{ReasonAwaitingDecision, ReasonAwaitingInformation, ReasonAwaitingDocuments,
	ReasonAwaitingChecks, ReasonAwaitingAppointment, ReasonLegalProceedings}

// ReasonWords is a reason as the reply says it.
func ReasonWords(r string) string {
	switch r {
	case ReasonAwaitingDecision:
		return "A decision still has to be made"
	case ReasonAwaitingInformation:
		return "We are waiting for information"
	case ReasonAwaitingDocuments:
		return "We are waiting for documents"
	case ReasonAwaitingChecks:
		return "Checks are still being made"
	case ReasonAwaitingAppointment:
		return "An interview or appointment has still to take place"
	case ReasonLegalProceedings:
		return "Legal proceedings are under way"
	}
	return r
}

// Parties an outstanding item may be awaited from.
const (
	FromDepartmentTeam  = "department_team"
	FromOtherDepartment = "other_government_department"
	FromPolice          = "police"
	FromThePerson       = "the_person"
	FromRepresentative  = "representative"
	FromTheOffice       = "the_office"
	FromCourt           = "court_or_tribunal"
	FromThirdParty      = "third_party"
)

// Froms lists the parties.
var Froms = []string{FromDepartmentTeam, FromOtherDepartment, FromPolice, FromThePerson, FromRepresentative,
	FromTheOffice, FromCourt, FromThirdParty}

// FromWords is a party as the reply says it.
func FromWords(f string) string {
	switch f {
	case FromDepartmentTeam:
		return "another team in the department"
	case FromOtherDepartment:
		return "another government department"
	case FromPolice:
		return "the police"
	case FromThePerson:
		return "the person the enquiry is about"
	case FromRepresentative:
		return "the person's legal representative"
	case FromTheOffice:
		return "your office"
	case FromCourt:
		return "a court or tribunal"
	case FromThirdParty:
		return "another organisation"
	}
	return f
}

// MaxHoldingDays is the furthest a holding reply may put off an answer, in
// calendar days after the current due date. (check: configurable.)
const MaxHoldingDays = 183

// HoldingInput is what a holding reply says: the reason, what is
// outstanding and from whom, optional free text, and the date by which
// the answer will come.
type HoldingInput struct {
	Reason      string `json:"reason"`
	Outstanding string `json:"outstanding"`
	From        string `json:"from"`
	Detail      string `json:"detail,omitempty"`
	NewDate     string `json:"new_date"`
}

// vague are words that say an enquiry is hard without saying why, and
// vaguePrefixes the words that may come before them.
var (
	vague         = []string{"complex", "complexity", "complicated", "very complex", "too complex", "outside our service standard", "outside our normal service standards", "falls out of our normal service standards"}
	vaguePrefixes = []string{"it is ", "it's ", "this is ", "the case is ", "this case is ", "case is ", "the enquiry is ", "this enquiry is ", "because ", "due to "}
)

// ValidateHolding checks a holding reply sent on today for an enquiry due
// on due: a reason from the list; what is outstanding, in words that are
// more than "complex"; from whom, from the list; free text of 2,000
// characters at most; a new date after the current due date and at most
// MaxHoldingDays after it; and sent on or before the due date (after it,
// the breach has happened: send the answer). It returns the new date.
func ValidateHolding(h *HoldingInput, today, due calendar.Date) (calendar.Date, error) {
	q := tether.Problems{}
	h.Reason, h.Outstanding, h.From = strings.TrimSpace(h.Reason), strings.TrimSpace(h.Outstanding), strings.TrimSpace(h.From)
	h.Detail, h.NewDate = strings.TrimSpace(h.Detail), strings.TrimSpace(h.NewDate)
	switch {
	case h.Reason == "":
		q.Add("reason", "choose the reason the answer will be late: one of "+strings.Join(Reasons, ", "))
	case isVague(h.Reason):
		q.Add("reason", "“complex” is not a reason on its own: choose what sort of thing is outstanding, and say what and from whom")
	case !slices.Contains(Reasons, h.Reason):
		q.Add("reason", "must be one of "+strings.Join(Reasons, ", "))
	}
	switch n := utf8.RuneCountInString(h.Outstanding); {
	case n == 0:
		q.Add("outstanding", "say what is outstanding")
	case isVague(h.Outstanding):
		q.Add("outstanding", "“complex” is not a reason on its own: say what is outstanding, such as a medical report or a security check")
	case n < 5:
		q.Add("outstanding", "say what is outstanding, in 5 characters or more")
	case n > 500:
		q.Add("outstanding", "must be 500 characters or fewer")
	}
	switch {
	case h.From == "":
		q.Add("from", "say whom it is awaited from: one of "+strings.Join(Froms, ", "))
	case !slices.Contains(Froms, h.From):
		q.Add("from", "must be one of "+strings.Join(Froms, ", "))
	}
	if utf8.RuneCountInString(h.Detail) > MaxReason {
		q.Add("detail", "must be 2000 characters or fewer")
	}
	var d calendar.Date
	if h.NewDate == "" {
		q.Add("new_date", "give the date by which you will answer")
	} else if v, err := calendar.ParseDate(h.NewDate); err != nil {
		q.Add("new_date", "must be a real date, YYYY-MM-DD")
	} else if !v.After(due) {
		q.Add("new_date", "must be after the current due date, "+due.Long())
	} else if v.Sub(due) > MaxHoldingDays {
		q.Add("new_date", "must be within 6 months of the current due date, "+due.Long())
	} else {
		d = v
	}
	if today.After(due) {
		q.Add("new_date", "the due date, "+due.Long()+", has passed: a holding reply is sent on or before it; send the answer now")
	}
	if err := q.Err(); err != nil {
		return calendar.Date{}, err
	}
	return d, nil
}

// isVague reports whether s says only that the case is hard.
func isVague(s string) bool {
	l := strings.ToLower(strings.Trim(strings.TrimSpace(s), ".!"))
	for changed := true; changed; {
		changed = false
		for _, p := range vaguePrefixes {
			if rest, ok := strings.CutPrefix(l, p); ok {
				l, changed = strings.TrimSpace(rest), true
			}
		}
	}
	l = strings.TrimPrefix(l, "the ")
	return slices.Contains(vague, l)
}

// HoldingWords is the holding reply in one sentence, for the reply's text
// and for the office's history: "We are waiting for information: a
// medical report, from the person's legal representative. We will answer
// by Friday 17 April 2026."
func HoldingWords(reason, outstanding, from string, newDate calendar.Date) string {
	return ReasonWords(reason) + ": " + strings.TrimRight(outstanding, ". ") + ", from " + FromWords(from) +
		". We will answer by " + newDate.Long() + "."
}
