package tether

import (
	"context"
	"time"
)

// UserService manages users and organisations and checks passwords.
type UserService interface {
	// CreateUser validates u and stores it with the password's argon2id hash.
	// EINVALID, ECONFLICT (email taken), EFORBIDDEN.
	CreateUser(ctx context.Context, u *User, password string) error
	// FindUserByID returns one user. ENOTFOUND.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// FindUserByEmail returns one user. ENOTFOUND.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// FindUsers lists users by email. EFORBIDDEN.
	FindUsers(ctx context.Context) ([]*User, error)
	// SetUserRole changes a user's role and organisation. EINVALID, ENOTFOUND, EFORBIDDEN.
	SetUserRole(ctx context.Context, id int64, role Role, orgID *int64) error
	// SetUserDisabled disables or re-enables a user, ending their sessions
	// and tokens when disabled. ENOTFOUND, EFORBIDDEN.
	SetUserDisabled(ctx context.Context, id int64, disabled bool) error
	// SetPassword replaces a user's password. EINVALID, ENOTFOUND, EFORBIDDEN.
	SetPassword(ctx context.Context, id int64, password string) error
	// Authenticate checks an email and password (the slow hash runs here and
	// only here). EUNAUTHORIZED for a wrong email, password or a disabled user.
	Authenticate(ctx context.Context, email, password string) (*User, error)

	// CreateOrganisation validates and stores o. EINVALID, EFORBIDDEN.
	CreateOrganisation(ctx context.Context, o *Organisation) error
	// FindOrganisationByID returns one organisation. ENOTFOUND.
	FindOrganisationByID(ctx context.Context, id int64) (*Organisation, error)
	// FindOrganisations lists organisations by name.
	FindOrganisations(ctx context.Context) ([]*Organisation, error)
	// UpdateOrganisationReplyTo replaces the email address and postal
	// address an organisation's replies go to (empty for none).
	// EINVALID, ENOTFOUND, EFORBIDDEN.
	UpdateOrganisationReplyTo(ctx context.Context, id int64, email string, address []string) (*Organisation, error)
}

// Session is a signed-in browser. The cookie holds a random token; the store
// keeps only its SHA-256.
type Session struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// SessionLifetime is how long a session lasts without being used: each use
// in its second half slides it on, up to SessionMaxAge.
const SessionLifetime = 12 * time.Hour

// SessionMaxAge is the absolute limit on a session: sliding renewal never
// keeps one alive longer than this after sign-in, so a stolen cookie or a
// browser left signed in on a shared desk stops working within a day.
const SessionMaxAge = 24 * time.Hour

// APIToken is a machine client's credential, acting as its user. The secret
// is shown once; the store keeps only its SHA-256.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// CredentialService issues and checks sessions and API tokens. Checking is on
// the hot path: a SHA-256 look-up, never the password hash.
type CredentialService interface {
	// CreateSession starts a session for a user and returns the cookie token. ENOTFOUND.
	CreateSession(ctx context.Context, userID int64) (token string, s *Session, err error)
	// SessionUser returns the session's user. EUNAUTHORIZED when unknown,
	// expired or the user is disabled.
	SessionUser(ctx context.Context, token string) (*User, *Session, error)
	// DeleteSession ends a session (sign out).
	DeleteSession(ctx context.Context, token string) error
	// CreateAPIToken issues a token for a user and returns the secret once. EINVALID, ENOTFOUND, EFORBIDDEN.
	CreateAPIToken(ctx context.Context, userID int64, name string) (secret string, t *APIToken, err error)
	// TokenUser returns the token's user. EUNAUTHORIZED when unknown, revoked or the user is disabled.
	TokenUser(ctx context.Context, secret string) (*User, error)
	// RevokeAPIToken revokes a token. ENOTFOUND, EFORBIDDEN.
	RevokeAPIToken(ctx context.Context, id int64) error
	// FindAPITokens lists a user's tokens. EFORBIDDEN.
	FindAPITokens(ctx context.Context, userID int64) ([]*APIToken, error)
}

// ImportResult counts what a batch import did.
type ImportResult struct {
	Created int `json:"created"`
	// Skipped are rows whose reference was already stored: a second run of
	// the same file adds nothing.
	Skipped int `json:"skipped"`
}

// PersonImport is one person with their contact points, as an import file
// row gives them.
type PersonImport struct {
	Person        *Person
	ContactPoints []*ContactPoint
}

// Importer stores many people at once, for imports and demo data.
type Importer interface {
	// ImportPeople stores a batch of validated people, each with a
	// reference, skipping references already stored. EINVALID (a row without
	// a reference), EFORBIDDEN.
	ImportPeople(ctx context.Context, batch []PersonImport) (ImportResult, error)
}
