package enquiry

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"tether"
	"tether/calendar"
	"tether/namematch"
	"tether/reference"
)

// Bases of an office's authority to ask about a person.
const (
	// BasisWrittenConsent: the person's signed consent (a form, a letter
	// or an email from them).
	BasisWrittenConsent = "written_consent"
	// BasisVerbalConsent: the person asked the MP to act, in person or by
	// telephone, and the office recorded it.
	BasisVerbalConsent = "verbal_consent"
	// BasisLetterOfAuthority: the person's signed authority for the
	// representative to act for them.
	BasisLetterOfAuthority = "letter_of_authority"
	// BasisRecordedRepresentative: the department's records already show
	// the organisation as the person's representative.
	BasisRecordedRepresentative = "recorded_representative"
)

// Bases lists the bases.
var Bases = []string{BasisWrittenConsent, BasisVerbalConsent, BasisLetterOfAuthority, BasisRecordedRepresentative}

// BasesFor lists the bases an organisation of the kind may ask on: an MP
// acts with the constituent's consent; a representative with the person's
// authority, written consent, or as the representative on record.
func BasesFor(kind tether.OrganisationKind) []string {
	switch kind {
	case tether.OrgMPOffice:
		return []string{BasisWrittenConsent, BasisVerbalConsent}
	case tether.OrgLawFirm, tether.OrgAdvice:
		return []string{BasisLetterOfAuthority, BasisRecordedRepresentative, BasisWrittenConsent}
	}
	return nil
}

// BasisWords names a basis for people to read.
func BasisWords(b string) string {
	switch b {
	case BasisWrittenConsent:
		return "the person's written consent"
	case BasisVerbalConsent:
		return "the person's verbal consent, recorded by the office"
	case BasisLetterOfAuthority:
		return "the person's signed letter of authority"
	case BasisRecordedRepresentative:
		return "representative on the department's records"
	}
	return b
}

// Limits of an enquiry's text.
const (
	MinQuestion = 10
	MaxQuestion = 10000
	MaxReason   = 2000
	MaxName     = 200
)

// Input is a new enquiry: about whom, the question, its category and
// urgency (with the reason for an urgent or compassionate one), and the
// basis of the office's authority. Staff recording an enquiry an office
// sent by letter name the office in OrganisationID; an office's own user
// leaves it out. AcknowledgeDuplicates sends it even though the office has
// a likely duplicate open.
type Input struct {
	OrganisationID        int64     `json:"organisation_id,omitempty"`
	Subject               Subject   `json:"subject"`
	Question              string    `json:"question"`
	Category              string    `json:"category"`
	Urgency               string    `json:"urgency"`
	UrgencyReason         string    `json:"urgency_reason,omitempty"`
	Authority             Authority `json:"authority"`
	AcknowledgeDuplicates bool      `json:"acknowledge_duplicates,omitempty"`
}

// Normalise trims the text fields and writes a reference in its standard
// form where it can be read.
func (in *Input) Normalise() {
	s := &in.Subject
	s.Ref, s.FamilyName, s.GivenNames, s.DateOfBirth = strings.TrimSpace(s.Ref), strings.TrimSpace(s.FamilyName),
		strings.TrimSpace(s.GivenNames), strings.TrimSpace(s.DateOfBirth)
	if r, err := reference.Parse(s.Ref); err == nil {
		s.Ref = r
	}
	in.Question, in.UrgencyReason = strings.TrimSpace(in.Question), strings.TrimSpace(in.UrgencyReason)
	in.Category, in.Urgency = strings.TrimSpace(in.Category), strings.TrimSpace(in.Urgency)
	in.Authority.Basis, in.Authority.GivenOn = strings.TrimSpace(in.Authority.Basis), strings.TrimSpace(in.Authority.GivenOn)
	in.Authority.Note = strings.TrimSpace(in.Authority.Note)
}

// Validate checks an enquiry from an organisation of the kind, on today:
// the subject by reference, or by family name and full date of birth (not
// in the future); a question of 10 to 10,000 characters; a known category
// and urgency, with a reason for urgent and compassionate ones; a basis of
// authority the kind of organisation may use, and the day it was given
// (not in the future) unless the organisation is the representative on
// record. Whether the records bear out that basis is CheckAuthority's.
func (in *Input) Validate(kind tether.OrganisationKind, today calendar.Date) error {
	in.Normalise()
	q := tether.Problems{}
	s := in.Subject
	if s.Ref != "" && !reference.Valid(s.Ref) {
		q.Add("subject.ref", "must be a reference like TH-04817263K: check the letters and digits")
	}
	hasName := s.FamilyName != ""
	if s.Ref == "" && (!hasName || s.DateOfBirth == "") {
		if !hasName {
			q.Add("subject.family_name", "give the person's reference, or their family name and date of birth")
		}
		if s.DateOfBirth == "" {
			q.Add("subject.date_of_birth", "give the person's reference, or their family name and date of birth")
		}
	}
	for field, v := range map[string]string{"subject.family_name": s.FamilyName, "subject.given_names": s.GivenNames} {
		if utf8.RuneCountInString(v) > MaxName {
			q.Add(field, "must be 200 characters or fewer")
		} else if !printable(v) {
			q.Add(field, "must not contain control characters")
		}
	}
	if s.DateOfBirth != "" {
		if d, err := calendar.ParseDate(s.DateOfBirth); err != nil {
			q.Add("subject.date_of_birth", "must be a real date, YYYY-MM-DD")
		} else if d.After(today) {
			q.Add("subject.date_of_birth", "must not be in the future")
		} else if d.Year < 1900 {
			q.Add("subject.date_of_birth", "must be after 1900")
		}
	}
	switch n := utf8.RuneCountInString(in.Question); {
	case n == 0:
		q.Add("question", "enter your question")
	case n < MinQuestion:
		q.Add("question", "say what you want to know, in 10 characters or more")
	case n > MaxQuestion:
		q.Add("question", "must be 10,000 characters or fewer")
	}
	if !slices.Contains(Categories, in.Category) {
		q.Add("category", "must be one of "+strings.Join(Categories, ", "))
	}
	if !slices.Contains(Urgencies, in.Urgency) {
		q.Add("urgency", "must be one of "+strings.Join(Urgencies, ", "))
	} else if NeedsReason(in.Urgency) && in.UrgencyReason == "" {
		q.Add("urgency_reason", "say why the enquiry is "+in.Urgency)
	}
	if utf8.RuneCountInString(in.UrgencyReason) > MaxReason {
		q.Add("urgency_reason", "must be 2000 characters or fewer")
	}
	a := in.Authority
	allowed := BasesFor(kind)
	switch {
	case a.Basis == "":
		q.Add("authority.basis", "record the person's consent or your authority: one of "+strings.Join(allowed, ", "))
	case !slices.Contains(Bases, a.Basis):
		q.Add("authority.basis", "must be one of "+strings.Join(allowed, ", "))
	case !slices.Contains(allowed, a.Basis):
		q.Add("authority.basis", "an organisation of your kind asks on one of "+strings.Join(allowed, ", "))
	}
	if a.Basis != BasisRecordedRepresentative {
		if a.GivenOn == "" {
			if a.Basis != "" {
				q.Add("authority.given_on", "give the date the consent was given or the authority signed")
			}
		} else if d, err := calendar.ParseDate(a.GivenOn); err != nil {
			q.Add("authority.given_on", "must be a real date, YYYY-MM-DD")
		} else if d.After(today) {
			q.Add("authority.given_on", "must not be in the future")
		}
	} else if a.GivenOn != "" {
		if _, err := calendar.ParseDate(a.GivenOn); err != nil {
			q.Add("authority.given_on", "must be a real date, YYYY-MM-DD")
		}
	}
	if utf8.RuneCountInString(a.Note) > 500 {
		q.Add("authority.note", "must be 500 characters or fewer")
	}
	return q.Err()
}

// printable reports whether s holds no control characters.
func printable(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// ErrNoAuthority is the one answer to an office asking as the
// representative on record when the records do not bear it out: the same
// whether the person was found or not, so that it says nothing about who
// is on the records.
func ErrNoAuthority() error {
	return tether.Invalid("authority.basis", "the department's records do not show your organisation as the representative "+
		"of the person you describe: send the person's letter of authority or written consent with the date it was given")
}

// CheckAuthority checks the basis against the records: an organisation
// asking as the representative on record must be the matched person's
// representative (repOrg, nil for none). Other bases are recorded as the
// office gives them and checked by a caseworker at triage.
func CheckAuthority(a Authority, orgID int64, matched bool, repOrg *int64) error {
	if a.Basis != BasisRecordedRepresentative {
		return nil
	}
	if !matched || repOrg == nil || *repOrg != orgID {
		return ErrNoAuthority()
	}
	return nil
}

// Candidate is a person that might be the subject: their reference, names
// and date of birth.
type Candidate struct {
	ID          int64
	Ref         string
	Names       []string // the full name and any other names
	DateOfBirth tether.PartialDate
}

// MatchThreshold is the least name similarity (namematch.Similarity) at
// which a name agrees. (check: tuned by the name-matching tests.)
const MatchThreshold = 0.85

// nameAgrees reports whether the subject's name is close to one of the
// candidate's names.
func nameAgrees(s Subject, c Candidate) bool {
	name := s.Name()
	if name == "" {
		return false
	}
	for _, n := range c.Names {
		if namematch.Similarity(name, n) >= MatchThreshold {
			return true
		}
	}
	return false
}

// dobAgrees reports whether the subject's date of birth is the candidate's
// full date of birth.
func dobAgrees(s Subject, c Candidate) bool {
	d, err := calendar.ParseDate(s.DateOfBirth)
	if err != nil {
		return false
	}
	b := c.DateOfBirth
	return b.Year == d.Year && b.Month == int(d.Month) && b.Day == d.Day
}

// Match decides which person an enquiry is about. byRef is the person
// with the subject's reference, if any; byDOB are the people born on the
// subject's date of birth. A reference matches when the subject gives no
// name and date of birth to check it with, or when one of them agrees; a
// name and date of birth match when exactly one person born that day has
// a name close to the subject's. Anything else is left for triage, with a
// note of why (for the department: it never reaches the office).
func Match(s Subject, byRef *Candidate, byDOB []Candidate) (id int64, method, note string) {
	if s.Ref != "" {
		switch {
		case byRef == nil:
			note = "no person has the reference given"
		case s.FamilyName == "" && s.DateOfBirth == "":
			return byRef.ID, MatchReference, ""
		case nameAgrees(s, *byRef) || dobAgrees(s, *byRef):
			return byRef.ID, MatchReference, ""
		default:
			note = "the reference is " + byRef.Ref + "'s, but neither the name nor the date of birth given agrees"
		}
	}
	if s.FamilyName != "" && s.DateOfBirth != "" {
		var hits []Candidate
		for _, c := range byDOB {
			if nameAgrees(s, c) && dobAgrees(s, c) {
				hits = append(hits, c)
			}
		}
		switch len(hits) {
		case 1:
			return hits[0].ID, MatchNameDOB, note
		case 0:
			note = joinNote(note, "no person with a close name has the date of birth given")
		default:
			note = joinNote(note, "several people with a close name have the date of birth given")
		}
	}
	return 0, MatchNone, note
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// LikelyDuplicate says why an open enquiry of the same office may be the
// same as a new one: the same person matched, the same reference given, or
// the same name and date of birth given. "" when it is not.
func LikelyDuplicate(newSubject Subject, newPerson int64, old Subject, oldPerson int64) string {
	switch {
	case newPerson != 0 && newPerson == oldPerson:
		return "the same person"
	case newSubject.Ref != "" && strings.EqualFold(newSubject.Ref, old.Ref):
		return "the same reference"
	case newSubject.FamilyName != "" && newSubject.DateOfBirth != "" && newSubject.DateOfBirth == old.DateOfBirth &&
		namematch.Similarity(newSubject.Name(), old.Name()) >= MatchThreshold:
		return "the same name and date of birth"
	}
	return ""
}
