package tether

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"tether/reference"
)

// Person is someone the department must stay in contact with.
type Person struct {
	ID int64 `json:"id"`
	// Ref is the stable reference, TH- and eight digits and a check letter.
	Ref        string      `json:"ref"`
	FamilyName string      `json:"family_name"`
	GivenNames string      `json:"given_names"`
	OtherNames []OtherName `json:"other_names"`
	// DateOfBirth may be partly or wholly unknown.
	DateOfBirth PartialDate `json:"date_of_birth"`
	// Nationality is an ISO 3166-1 alpha-2 code, or "" when unknown.
	Nationality string `json:"nationality,omitempty"`
	// PreferredLanguage is a BCP 47 tag ("en", "ar", "fa-AF"), "" when unknown.
	PreferredLanguage string          `json:"preferred_language,omitempty"`
	Needs             Needs           `json:"needs"`
	Representative    *Representative `json:"representative,omitempty"`
	// WorkingChannels counts current contact points that work; the store
	// keeps it from AssessContact so that "no working channel" is a cheap query.
	WorkingChannels int       `json:"working_channels"`
	Version         int       `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Other-name kinds.
const (
	NameAlias       = "alias"        // another name the person is or was known by
	NameOtherScript = "other_script" // the name as written in another script
)

// OtherName is an alias or the person's name in another script.
type OtherName struct {
	Kind       string `json:"kind"`
	FamilyName string `json:"family_name"`
	GivenNames string `json:"given_names"`
	// Script is an ISO 15924 code ("Arab", "Cyrl") for other-script names.
	Script string `json:"script,omitempty"`
}

// Needs are what the person needs to understand and act on contact.
type Needs struct {
	Interpreter bool `json:"interpreter"`
	// InterpreterLanguage is a BCP 47 tag.
	InterpreterLanguage string `json:"interpreter_language,omitempty"`
	// Accessibility is free text: large print, easy read, hearing loop...
	Accessibility string `json:"accessibility,omitempty"`
}

// Representative is the person's legal representative: an organisation and
// a person there. When the organisation uses Tether, OrganisationID links it,
// and its users may see this person.
type Representative struct {
	Organisation   string `json:"organisation"`
	Name           string `json:"name,omitempty"`
	OrganisationID *int64 `json:"organisation_id,omitempty"`
	// Instructed means the representative acts for the person now, so that a
	// notice given to them counts as given to the person.
	Instructed bool `json:"instructed"`
}

// FullName is the given names then the family name.
func (p *Person) FullName() string {
	return strings.TrimSpace(p.GivenNames + " " + p.FamilyName)
}

// AllNames lists every name the person is known by, for search keys.
func (p *Person) AllNames() []string {
	names := []string{p.FullName()}
	for _, o := range p.OtherNames {
		names = append(names, strings.TrimSpace(o.GivenNames+" "+o.FamilyName))
	}
	return names
}

// Normalize trims and canonicalises fields in place; Validate calls it.
func (p *Person) Normalize() {
	p.FamilyName = collapseSpace(p.FamilyName)
	p.GivenNames = collapseSpace(p.GivenNames)
	p.Nationality = strings.ToUpper(strings.TrimSpace(p.Nationality))
	p.PreferredLanguage = strings.TrimSpace(p.PreferredLanguage)
	p.Needs.InterpreterLanguage = strings.TrimSpace(p.Needs.InterpreterLanguage)
	p.Needs.Accessibility = strings.TrimSpace(p.Needs.Accessibility)
	for i := range p.OtherNames {
		o := &p.OtherNames[i]
		o.FamilyName, o.GivenNames = collapseSpace(o.FamilyName), collapseSpace(o.GivenNames)
		o.Kind, o.Script = strings.TrimSpace(o.Kind), strings.TrimSpace(o.Script)
	}
	if p.Representative != nil {
		p.Representative.Organisation = collapseSpace(p.Representative.Organisation)
		p.Representative.Name = collapseSpace(p.Representative.Name)
		if p.Representative.Organisation == "" && p.Representative.Name == "" && p.Representative.OrganisationID == nil {
			p.Representative = nil
		}
	}
	if p.Ref != "" {
		if ref, err := reference.Parse(p.Ref); err == nil {
			p.Ref = ref
		}
	}
}

// Validate normalises p and checks it; now decides what "in the future" means.
// It returns EINVALID with a reason for each field that is wrong.
func (p *Person) Validate(now time.Time) error {
	p.Normalize()
	q := Problems{}
	if p.Ref != "" && !reference.Valid(p.Ref) {
		q.Add("ref", "must be a reference like TH-04817263K with a correct check letter")
	}
	checkName(q, "family_name", p.FamilyName, true)
	checkName(q, "given_names", p.GivenNames, false)
	if len(p.OtherNames) > 50 {
		q.Add("other_names", "must be 50 names or fewer")
	}
	for i, o := range p.OtherNames {
		f := "other_names[" + strconv.Itoa(i) + "]."
		if o.Kind != NameAlias && o.Kind != NameOtherScript {
			q.Add(f+"kind", "must be alias or other_script")
		}
		checkName(q, f+"family_name", o.FamilyName, o.GivenNames == "")
		checkName(q, f+"given_names", o.GivenNames, false)
		if o.Script != "" && (len(o.Script) != 4 || !isASCIIAlpha(o.Script)) {
			q.Add(f+"script", "must be a four-letter ISO 15924 code like Arab or Cyrl")
		}
	}
	if p.DateOfBirth.InFuture(now) {
		q.Add("date_of_birth", "must be today or in the past")
	}
	if p.Nationality != "" && !ValidCountry(p.Nationality) {
		q.Add("nationality", "must be a two-letter country code like AF or ER")
	}
	if p.PreferredLanguage != "" && !validLanguage(p.PreferredLanguage) {
		q.Add("preferred_language", "must be a language tag like en, ar or fa-AF")
	}
	if p.Needs.InterpreterLanguage != "" && !validLanguage(p.Needs.InterpreterLanguage) {
		q.Add("needs.interpreter_language", "must be a language tag like ar or ti")
	}
	if p.Needs.Interpreter && p.Needs.InterpreterLanguage == "" && p.PreferredLanguage == "" {
		q.Add("needs.interpreter_language", "say which language the interpreter must speak")
	}
	if utf8.RuneCountInString(p.Needs.Accessibility) > 500 {
		q.Add("needs.accessibility", "must be 500 characters or fewer")
	}
	if r := p.Representative; r != nil {
		if r.Organisation == "" && r.OrganisationID == nil {
			q.Add("representative.organisation", "enter the representative's organisation")
		}
		if utf8.RuneCountInString(r.Organisation) > 200 || utf8.RuneCountInString(r.Name) > 200 {
			q.Add("representative", "names must be 200 characters or fewer")
		}
	}
	return q.Err()
}

// Language returns the language to write to the person in: the preferred
// language, else English.
func (p *Person) Language() string {
	if p.PreferredLanguage == "" {
		return "en"
	}
	return p.PreferredLanguage
}

// Redacted returns a copy without personal data, for inspectors who have not
// been granted sight of it: the reference, year of birth and counts remain.
func (p *Person) Redacted() *Person {
	r := *p
	r.FamilyName, r.GivenNames = "[redacted]", ""
	r.OtherNames = nil
	r.DateOfBirth = PartialDate{Year: p.DateOfBirth.Year}
	r.Representative = nil
	r.Needs = Needs{Interpreter: p.Needs.Interpreter}
	return &r
}

func checkName(q Problems, field, v string, required bool) {
	switch {
	case v == "" && required:
		q.Add(field, "enter a name")
	case utf8.RuneCountInString(v) > 200:
		q.Add(field, "must be 200 characters or fewer")
	case strings.ContainsAny(v, "<>{}[]\\|@#$%^*=+_~`0123456789"):
		q.Add(field, "must contain only letters, spaces, hyphens and apostrophes")
	case hasControl(v):
		q.Add(field, "must not contain control characters")
	}
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}

func isASCIIAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func validLanguage(tag string) bool {
	t, err := language.Parse(tag)
	if err != nil {
		return false
	}
	base, conf := t.Base()
	return conf != language.No && base.String() != "und"
}

// ValidCountry reports whether code is an ISO 3166-1 alpha-2 country code.
func ValidCountry(code string) bool {
	if len(code) != 2 || !isASCIIAlpha(code) {
		return false
	}
	r, err := language.ParseRegion(strings.ToUpper(code))
	return err == nil && r.IsCountry()
}

// PersonFilter selects people for a list. Organisation users see only people
// whose representative is their organisation; the store applies that.
type PersonFilter struct {
	// NoWorkingChannel selects people with no current contact point that works.
	NoWorkingChannel bool
	Offset, Limit    int
}

// PersonVersion is a person's record as it was before a change.
type PersonVersion struct {
	PersonID  int64     `json:"person_id"`
	Version   int       `json:"version"`
	Person    *Person   `json:"person"`
	ChangedBy string    `json:"changed_by"`
	ChangedAt time.Time `json:"changed_at"`
}

// PersonService stores and finds people. Every method takes the actor from
// the context; reads of a person's record are audited.
type PersonService interface {
	// CreatePerson validates p and stores it, setting ID, Ref (when empty),
	// Version and times. EINVALID, ECONFLICT (ref taken), EFORBIDDEN.
	CreatePerson(ctx context.Context, p *Person) error
	// UpdatePerson replaces the changeable fields of the stored person with
	// p's; p.Version must be the stored version, and the old version is
	// kept. EINVALID, ENOTFOUND, ECONFLICT (changed meanwhile), EFORBIDDEN.
	UpdatePerson(ctx context.Context, p *Person) error
	// FindPersonByID returns one person. ENOTFOUND (also when not visible to
	// the actor).
	FindPersonByID(ctx context.Context, id int64) (*Person, error)
	// FindPersonByRef returns one person by reference. ENOTFOUND.
	FindPersonByRef(ctx context.Context, ref string) (*Person, error)
	// FindPeople lists people by reference order with the total. EINVALID.
	FindPeople(ctx context.Context, f PersonFilter) ([]*Person, int, error)
	// SearchPeople finds people by reference, name, date of birth and
	// postcode, best first. EINVALID.
	SearchPeople(ctx context.Context, q SearchQuery) ([]*SearchHit, error)
	// FindLikelyDuplicates returns stored people who may be p.
	FindLikelyDuplicates(ctx context.Context, p *Person) ([]*SearchHit, error)
	// PersonHistory lists the earlier versions of a person, newest first. ENOTFOUND.
	PersonHistory(ctx context.Context, id int64) ([]*PersonVersion, error)
}
