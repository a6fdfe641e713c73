package tether

import (
	"strings"
	"unicode/utf8"

	"tether/postcode"
	"tether/reference"
)

// SearchQuery finds people. Fields combine: every given field must match.
type SearchQuery struct {
	// Ref, when given, finds the one person with that reference.
	Ref string `json:"ref,omitempty"`
	// Name matches case-, diacritic-, typo- and transliteration-insensitively
	// against the person's names, aliases and names in other scripts.
	Name        string      `json:"name,omitempty"`
	DateOfBirth PartialDate `json:"date_of_birth"`
	Postcode    string      `json:"postcode,omitempty"`
	Limit       int         `json:"limit,omitempty"`
}

// DefaultSearchLimit and MaxSearchLimit bound a search's results.
const (
	DefaultSearchLimit = 20
	MaxSearchLimit     = 100
)

// Validate normalises the query and checks it.
func (q *SearchQuery) Validate() error {
	p := Problems{}
	q.Name = collapseSpace(q.Name)
	q.Ref = strings.TrimSpace(q.Ref)
	q.Postcode = strings.TrimSpace(q.Postcode)
	if q.Ref != "" {
		if r, err := reference.Parse(q.Ref); err != nil {
			p.Add("ref", "must be a reference like TH-04817263K")
		} else {
			q.Ref = r
		}
	}
	if utf8.RuneCountInString(q.Name) > 200 {
		p.Add("name", "must be 200 characters or fewer")
	}
	if q.Postcode != "" {
		if pc, err := postcode.Normalize(q.Postcode); err != nil {
			p.Add("postcode", "enter a real postcode, like SW1A 1AA")
		} else {
			q.Postcode = pc
		}
	}
	if q.Ref == "" && q.Name == "" && q.DateOfBirth.IsZero() && q.Postcode == "" {
		p.Add("name", "enter a name, reference, date of birth or postcode")
	}
	if q.Limit <= 0 {
		q.Limit = DefaultSearchLimit
	}
	if q.Limit > MaxSearchLimit {
		q.Limit = MaxSearchLimit
	}
	return p.Err()
}

// SearchHit is one person found, with how well they matched.
type SearchHit struct {
	Person *Person `json:"person"`
	// Score is 0..1; 1 is an exact match on every field given.
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
}

// DuplicateThreshold is the score above which a stored person is shown as a
// likely duplicate when another is created. (check)
const DuplicateThreshold = 0.85
