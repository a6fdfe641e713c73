package tether

import (
	"context"
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// Role says what a user may do. Every handler checks it.
type Role string

const (
	RoleAdmin        Role = "admin"        // manages users; everything a caseworker can do
	RoleCaseworker   Role = "caseworker"   // contact management: people, contact points, correspondence
	RoleEnquiries    Role = "enquiries"    // the department's member-enquiries team
	RoleOrganisation Role = "organisation" // an MP office or law firm user: only its organisation's records
	RoleInspector    Role = "inspector"    // read-only; personal data only when granted
)

// Roles lists every role, for forms and for the route-by-role table test.
var Roles = []Role{RoleAdmin, RoleCaseworker, RoleEnquiries, RoleOrganisation, RoleInspector}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// OrganisationKind says what sort of outside body an organisation is.
type OrganisationKind string

const (
	OrgMPOffice OrganisationKind = "mp_office"
	OrgLawFirm  OrganisationKind = "law_firm"
	OrgAdvice   OrganisationKind = "advice"
)

// Organisation is an MP's office, a law firm or an advice organisation whose
// users may see only what belongs to it.
type Organisation struct {
	ID           int64            `json:"id"`
	Name         string           `json:"name"`
	Kind         OrganisationKind `json:"kind"`
	Constituency string           `json:"constituency,omitempty"`
	// Division is the UK bank-holiday division of its calendar.
	Division string `json:"division,omitempty"`
	// ReplyEmail and ReplyAddress are where replies to the office go when
	// the caseworker gives no address of their own: an email reply goes to
	// ReplyEmail (else to the user who raised the enquiry), a letter to
	// ReplyAddress. Either may be empty.
	ReplyEmail   string    `json:"reply_email,omitempty"`
	ReplyAddress []string  `json:"reply_address,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// Validate checks an organisation before it is stored.
func (o *Organisation) Validate() error {
	p := Problems{}
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		p.Add("name", "enter the organisation's name")
	} else if len(o.Name) > 200 {
		p.Add("name", "must be 200 characters or fewer")
	}
	switch o.Kind {
	case OrgMPOffice, OrgLawFirm, OrgAdvice:
	default:
		p.Add("kind", "must be one of mp_office, law_firm, advice")
	}
	switch o.Division {
	case "", "england-and-wales", "scotland", "northern-ireland":
	default:
		p.Add("division", "must be england-and-wales, scotland or northern-ireland")
	}
	o.ReplyEmail, o.ReplyAddress = ValidateReplyTo(p, o.ReplyEmail, o.ReplyAddress)
	return p.Err()
}

// User is someone who signs in, or a machine client acting for them.
type User struct {
	ID             int64  `json:"id"`
	Email          string `json:"email"`
	Name           string `json:"name"`
	Role           Role   `json:"role"`
	OrganisationID *int64 `json:"organisation_id,omitempty"`
	// PersonalData grants an inspector sight of personal data; other roles
	// ignore it.
	PersonalData bool      `json:"personal_data"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
}

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	p := Problems{}
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if addr, err := mail.ParseAddress(u.Email); err != nil || addr.Address != u.Email {
		p.Add("email", "enter an email address like name@example.org")
	}
	u.Name = strings.TrimSpace(u.Name)
	if u.Name == "" {
		p.Add("name", "enter the user's name")
	}
	if !u.Role.Valid() {
		p.Add("role", "must be one of admin, caseworker, enquiries, organisation, inspector")
	}
	if u.Role == RoleOrganisation && u.OrganisationID == nil {
		p.Add("organisation_id", "an organisation user must belong to an organisation")
	}
	if u.Role != RoleOrganisation && u.OrganisationID != nil {
		p.Add("organisation_id", "only organisation users belong to an organisation")
	}
	return p.Err()
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// ValidatePassword checks a new password.
func ValidatePassword(pw string) error {
	if len(pw) < MinPasswordLength {
		return Problems{"password": "must be at least 12 characters"}.Err()
	}
	if len(pw) > 256 {
		return Problems{"password": "must be 256 characters or fewer"}.Err()
	}
	return nil
}

// Actor is who is acting: a signed-in user, a token's user, or the system
// itself (sweeps, imports run from the command line).
type Actor struct {
	UserID         int64
	Role           Role
	OrganisationID *int64
	PersonalData   bool
	// Label names a non-user actor ("system", "cli:import") in the audit log.
	Label string
}

// SystemActor is the actor for work the system does on its own account.
var SystemActor = Actor{Role: RoleAdmin, Label: "system", PersonalData: true}

// CLIActor is the actor for command-line work by an operator.
func CLIActor(command string) Actor {
	return Actor{Role: RoleAdmin, Label: "cli:" + command, PersonalData: true}
}

// ActorOf returns the actor for a user.
func ActorOf(u *User) Actor {
	return Actor{UserID: u.ID, Role: u.Role, OrganisationID: u.OrganisationID, PersonalData: u.PersonalData}
}

// String names the actor for the audit log: "user:42" or its label.
func (a Actor) String() string {
	if a.UserID != 0 {
		return "user:" + strconv.FormatInt(a.UserID, 10)
	}
	if a.Label != "" {
		return a.Label
	}
	return "anonymous"
}

// CanSeePersonalData reports whether the actor may see names, dates of birth
// and contact details.
func (a Actor) CanSeePersonalData() bool {
	return a.Role != RoleInspector || a.PersonalData
}

// CanWritePeople reports whether the actor may create and change people and
// their contact points.
func (a Actor) CanWritePeople() bool {
	return a.Role == RoleAdmin || a.Role == RoleCaseworker
}

// CanReadPeople reports whether the actor may read people at all (an
// organisation user only those linked to its organisation).
func (a Actor) CanReadPeople() bool {
	return a.Role.Valid()
}

type actorKey struct{}

// NewContextWithActor returns a context that carries the actor.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor in ctx; ok is false when there is none.
func ActorFromContext(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}
