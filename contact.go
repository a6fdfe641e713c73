package tether

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"tether/phone"
	"tether/postcode"
)

// Contact point kinds: the channels.
const (
	KindPostal   = "postal"
	KindEmail    = "email"
	KindMobile   = "mobile"
	KindLandline = "landline"
)

// ContactKinds lists the kinds in the order pages show them.
var ContactKinds = []string{KindPostal, KindEmail, KindMobile, KindLandline}

// Parties: whose contact point it is.
const (
	PartySelf             = "self"              // the person's own
	PartyRepresentative   = "representative"    // the legal representative's
	PartyEmergencyContact = "emergency_contact" // someone to ask when the person cannot be reached
	PartySponsor          = "sponsor"
)

// Parties lists the parties.
var Parties = []string{PartySelf, PartyRepresentative, PartyEmergencyContact, PartySponsor}

// Sources: who gave the detail, and how.
const (
	SourcePerson         = "person"          // the person told us
	SourceRepresentative = "representative"  // their representative told us
	SourceAgency         = "agency"          // another agency (SourceDetail names it)
	SourceReturnedLetter = "returned_letter" // a returned letter gave a forwarding address
	SourceCaseworker     = "caseworker"      // found by a caseworker (a visit, a call)
	SourceImport         = "import"          // a bulk import from an earlier system
)

// Sources lists the sources.
var Sources = []string{SourcePerson, SourceRepresentative, SourceAgency, SourceReturnedLetter, SourceCaseworker, SourceImport}

// Verification states.
const (
	Unverified = "unverified"
	Verified   = "verified"
	Failed     = "failed"
)

// ContactPoint is one way to reach a person, or a party acting for or
// vouching for them. It is never overwritten: a change ends it (ValidTo) and
// starts another that Replaces it, so the history stays.
type ContactPoint struct {
	ID       int64  `json:"id"`
	PersonID int64  `json:"person_id"`
	Kind     string `json:"kind"`
	Party    string `json:"party"`
	// PartyName and Relationship describe a party other than the person.
	PartyName    string   `json:"party_name,omitempty"`
	Relationship string   `json:"relationship,omitempty"`
	Address      *Address `json:"address,omitempty"`
	// Email is set for KindEmail; Phone (E.164) for mobile and landline.
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Source       string `json:"source"`
	SourceDetail string `json:"source_detail,omitempty"`
	// ForCorrespondence: the person provided it for correspondence, which
	// decides where notices are served.
	ForCorrespondence bool       `json:"for_correspondence"`
	ValidFrom         time.Time  `json:"valid_from"`
	ValidTo           *time.Time `json:"valid_to,omitempty"`
	EndedReason       string     `json:"ended_reason,omitempty"`
	LastConfirmedAt   *time.Time `json:"last_confirmed_at,omitempty"`
	ConfirmedHow      string     `json:"confirmed_how,omitempty"`
	Verification      string     `json:"verification"`
	// Replaces is the point this one took over from.
	Replaces  *int64    `json:"replaces,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Address is a postal address in the UK (Country "GB", with a postcode) or
// overseas (Country another ISO code, lines hold the rest).
type Address struct {
	Lines    []string `json:"lines"`
	Town     string   `json:"town,omitempty"`
	Postcode string   `json:"postcode,omitempty"`
	Country  string   `json:"country"`
}

// UK reports whether the address is in the UK.
func (a *Address) UK() bool { return a.Country == "GB" }

// Division is the bank-holiday division of a UK address, "" overseas.
func (a *Address) Division() string {
	if !a.UK() || a.Postcode == "" {
		return ""
	}
	return postcode.Division(a.Postcode)
}

// String writes the address on one line.
func (a *Address) String() string {
	parts := append([]string{}, a.Lines...)
	for _, s := range []string{a.Town, a.Postcode} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if !a.UK() {
		parts = append(parts, CountryName(a.Country))
	}
	return strings.Join(parts, ", ")
}

// Current reports whether the point is in force at t.
func (c *ContactPoint) Current(t time.Time) bool {
	return !c.ValidFrom.After(t) && (c.ValidTo == nil || c.ValidTo.After(t))
}

// Working reports whether the point is a channel that reaches the person at
// t: current, the person's own or their representative's, and not failed.
func (c *ContactPoint) Working(t time.Time) bool {
	return c.Current(t) && c.Verification != Failed &&
		(c.Party == PartySelf || c.Party == PartyRepresentative)
}

// Value is the point's address, email or number written on one line.
func (c *ContactPoint) Value() string {
	switch c.Kind {
	case KindPostal:
		if c.Address != nil {
			return c.Address.String()
		}
	case KindEmail:
		return c.Email
	case KindMobile, KindLandline:
		return phone.Format(c.Phone)
	}
	return ""
}

// Normalize canonicalises the point in place: postcode, phone and email.
// It leaves values it cannot read for Validate to report.
func (c *ContactPoint) Normalize() {
	c.Kind, c.Party, c.Source = strings.TrimSpace(c.Kind), strings.TrimSpace(c.Party), strings.TrimSpace(c.Source)
	if c.Party == "" {
		c.Party = PartySelf
	}
	if c.Verification == "" {
		c.Verification = Unverified
	}
	c.PartyName, c.Relationship = collapseSpace(c.PartyName), collapseSpace(c.Relationship)
	c.SourceDetail = collapseSpace(c.SourceDetail)
	c.Email = strings.TrimSpace(c.Email)
	if a := c.Address; a != nil {
		lines := a.Lines[:0]
		for _, l := range a.Lines {
			if l = collapseSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		a.Lines = lines
		a.Town = collapseSpace(a.Town)
		a.Country = strings.ToUpper(strings.TrimSpace(a.Country))
		if a.Country == "" || a.Country == "UK" {
			a.Country = "GB"
		}
		if pc, err := postcode.Normalize(a.Postcode); err == nil {
			a.Postcode = pc
		} else {
			a.Postcode = strings.TrimSpace(a.Postcode)
		}
	}
	if (c.Kind == KindMobile || c.Kind == KindLandline) && c.Phone != "" {
		if e, err := phone.Normalize(c.Phone, "GB"); err == nil {
			c.Phone = e
		}
	}
	if c.Kind == KindEmail {
		if a, err := mail.ParseAddress(c.Email); err == nil && a.Name == "" {
			c.Email = a.Address
		}
	}
}

// Validate normalises the point and checks it; EINVALID names each field.
func (c *ContactPoint) Validate() error {
	c.Normalize()
	q := Problems{}
	if !oneOf(c.Party, Parties) {
		q.Add("party", "must be one of "+strings.Join(Parties, ", "))
	}
	if c.Party != PartySelf && c.PartyName == "" {
		q.Add("party_name", "enter the name of the "+strings.ReplaceAll(c.Party, "_", " "))
	}
	if !oneOf(c.Source, Sources) {
		q.Add("source", "must be one of "+strings.Join(Sources, ", "))
	}
	if c.Source == SourceAgency && c.SourceDetail == "" {
		q.Add("source_detail", "name the agency that gave this detail")
	}
	if !oneOf(c.Verification, []string{Unverified, Verified, Failed}) {
		q.Add("verification", "must be unverified, verified or failed")
	}
	if utf8.RuneCountInString(c.PartyName) > 200 || utf8.RuneCountInString(c.Relationship) > 100 || utf8.RuneCountInString(c.SourceDetail) > 200 {
		q.Add("party_name", "names and details must be 200 characters or fewer")
	}
	switch c.Kind {
	case KindPostal:
		if c.Address == nil {
			q.Add("address", "enter the address")
			break
		}
		q.Merge("address.", c.Address.validate())
		if c.Email != "" || c.Phone != "" {
			q.Add("kind", "a postal contact point holds only an address")
		}
	case KindEmail:
		if c.Email == "" {
			q.Add("email", "enter an email address")
		} else if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email || a.Name != "" {
			q.Add("email", "enter an email address like name@example.org")
		} else if len(c.Email) > 254 {
			q.Add("email", "must be 254 characters or fewer")
		}
		if c.Address != nil || c.Phone != "" {
			q.Add("kind", "an email contact point holds only an email address")
		}
	case KindMobile, KindLandline:
		if c.Phone == "" {
			q.Add("phone", "enter a phone number")
		} else if e, err := phone.Normalize(c.Phone, "GB"); err != nil {
			q.Add("phone", "enter a phone number like 07700 900123 or +44 7700 900123")
		} else if c.Kind == KindMobile && phone.Kind(e) == "landline" {
			q.Add("phone", "this is a landline number: record it as a landline")
		}
		if c.Address != nil || c.Email != "" {
			q.Add("kind", "a phone contact point holds only a phone number")
		}
	default:
		q.Add("kind", "must be one of postal, email, mobile, landline")
	}
	return q.Err()
}

func (a *Address) validate() Problems {
	q := Problems{}
	if len(a.Lines) == 0 {
		q.Add("lines", "enter the first line of the address")
	}
	if len(a.Lines) > 6 {
		q.Add("lines", "must be 6 lines or fewer")
	}
	for _, l := range a.Lines {
		if utf8.RuneCountInString(l) > 100 || hasControl(l) {
			q.Add("lines", "each line must be 100 characters or fewer, without control characters")
		}
	}
	if utf8.RuneCountInString(a.Town) > 100 {
		q.Add("town", "must be 100 characters or fewer")
	}
	if !ValidCountry(a.Country) {
		q.Add("country", "must be a two-letter country code like GB or FR")
		return q
	}
	if a.UK() {
		if a.Town == "" {
			q.Add("town", "enter the town or city")
		}
		if a.Postcode == "" {
			q.Add("postcode", "enter the postcode")
		} else if _, err := postcode.Normalize(a.Postcode); err != nil {
			q.Add("postcode", "enter a real postcode, like SW1A 1AA")
		}
	}
	return q
}

func oneOf(s string, set []string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

// Redacted returns a copy without the address, email or number.
func (c *ContactPoint) Redacted() *ContactPoint {
	r := *c
	r.Address, r.Email, r.Phone, r.PartyName = nil, "", "", ""
	if c.Address != nil {
		r.Address = &Address{Country: c.Address.Country, Postcode: postcode.Area(c.Address.Postcode)}
	}
	return &r
}

// ContactPointEvent is something that happened to a contact point: added,
// ended, confirmed, verified or failed. Together with the points themselves
// they make the history shown on the person's page.
type ContactPointEvent struct {
	ID             int64     `json:"id"`
	ContactPointID int64     `json:"contact_point_id"`
	PersonID       int64     `json:"person_id"`
	Type           string    `json:"type"`
	Note           string    `json:"note,omitempty"`
	Actor          string    `json:"actor"`
	At             time.Time `json:"at"`
}

// Contact point event types.
const (
	EventAdded     = "added"
	EventReplaced  = "replaced"
	EventEnded     = "ended"
	EventConfirmed = "confirmed"
	EventFailed    = "failed"
)

// Ways a contact point is confirmed to work.
var ConfirmedHows = []string{"in_person", "phone_call", "letter_reply", "email_reply", "sms_reply", "representative", "delivery_receipt"}

// ContactPointService records contact points. Nothing is overwritten: each
// method that changes a point records a ContactPointEvent and an audit entry.
type ContactPointService interface {
	// AddContactPoint validates c and starts it for the person.
	// EINVALID, ENOTFOUND (no such person), EFORBIDDEN.
	AddContactPoint(ctx context.Context, c *ContactPoint) error
	// ReplaceContactPoint ends the point id and starts c in its place.
	// EINVALID, ENOTFOUND, ECONFLICT (already ended), EFORBIDDEN.
	ReplaceContactPoint(ctx context.Context, id int64, c *ContactPoint, reason string) error
	// EndContactPoint ends the point with a reason. EINVALID (no reason),
	// ENOTFOUND, ECONFLICT (already ended), EFORBIDDEN.
	EndContactPoint(ctx context.Context, id int64, reason string) error
	// ConfirmContactPoint records that the point worked now, and how.
	// EINVALID, ENOTFOUND, ECONFLICT (ended), EFORBIDDEN.
	ConfirmContactPoint(ctx context.Context, id int64, how string) error
	// FailContactPoint records that the point did not work, and why.
	// EINVALID, ENOTFOUND, ECONFLICT (ended), EFORBIDDEN.
	FailContactPoint(ctx context.Context, id int64, reason string) error
	// FindContactPointByID returns one point. ENOTFOUND.
	FindContactPointByID(ctx context.Context, id int64) (*ContactPoint, error)
	// ContactPoints lists a person's points, current and ended, newest first. ENOTFOUND.
	ContactPoints(ctx context.Context, personID int64) ([]*ContactPoint, error)
	// ContactPointEvents lists a person's contact point events, newest first. ENOTFOUND.
	ContactPointEvents(ctx context.Context, personID int64) ([]*ContactPointEvent, error)
}

// ValidateReason checks a free-text reason that a change needs.
func ValidateReason(field, reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return Problems{field: "give a reason"}.Err()
	case utf8.RuneCountInString(reason) > 500:
		return Problems{field: "must be 500 characters or fewer"}.Err()
	}
	return nil
}
