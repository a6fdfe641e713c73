package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tether"
	"tether/auth"
)

// Compile-time check that *DB is a tether.UserService.
var _ tether.UserService = (*DB)(nil)

// actorWithRole returns the actor in ctx when it holds one of roles (any
// known role when roles is empty): EUNAUTHORIZED without an actor,
// EFORBIDDEN with the wrong role.
func actorWithRole(ctx context.Context, roles ...tether.Role) (tether.Actor, error) {
	a, ok := tether.ActorFromContext(ctx)
	if !ok || !a.Role.Valid() {
		return a, tether.Errorf(tether.EUNAUTHORIZED, "Sign in first.")
	}
	if len(roles) > 0 && !slices.Contains(roles, a.Role) {
		return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not do this.")
	}
	return a, nil
}

// userCols are the users columns that scanUser reads, for a table aliased u.
const userCols = `u.id, u.email, u.name, u.role, u.organisation_id, u.personal_data, u.disabled, u.created_at`

// scanUser scans userCols followed by any extra destinations.
func scanUser(row interface{ Scan(...any) error }, extra ...any) (*tether.User, error) {
	u := &tether.User{}
	var role string
	var org sql.NullInt64
	dest := append([]any{&u.ID, &u.Email, &u.Name, &role, &org, &u.PersonalData, &u.Disabled, timeScan{&u.CreatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	u.Role = tether.Role(role)
	if org.Valid {
		u.OrganisationID = &org.Int64
	}
	return u, nil
}

// orgArg is a nullable organisation id as a query argument.
func orgArg(id *int64) any {
	if id == nil {
		return nil
	}
	return *id
}

// CountUsers returns how many users there are, disabled or not, so that the
// command line can tell whether the first admin is still to be created. It
// needs no actor: the count says nothing about anyone.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// CreateUser validates u and stores it with the password's argon2id hash.
// The slow hash runs before the transaction, so that it never holds the
// writer.
func (db *DB) CreateUser(ctx context.Context, u *tether.User, password string) error {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return err
	}
	p := tether.Problems{}
	if err := u.Validate(); err != nil {
		p.Merge("", tether.ErrorFields(err))
	}
	if err := tether.ValidatePassword(password); err != nil {
		p.Merge("", tether.ErrorFields(err))
	}
	if err := p.Err(); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}

	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	defer tx.rollback()
	id, err := tx.InsertID(`INSERT INTO users (email, name, role, organisation_id, personal_data, disabled, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Email, u.Name, string(u.Role), orgArg(u.OrganisationID), u.PersonalData, u.Disabled, hash, db.ts(tx.Now()), db.ts(tx.Now()))
	switch {
	case isUnique(err):
		return &tether.Error{Code: tether.ECONFLICT, Message: "A user with that email address already exists.",
			Fields: map[string]string{"email": "a user with this email address already exists"}}
	case isForeignKey(err):
		return tether.Problems{"organisation_id": "no such organisation"}.Err()
	case err != nil:
		return fmt.Errorf("create user: %w", err)
	}
	tx.Audit("user.create", "user", id, userDetail(u.Role, u.OrganisationID))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	u.ID, u.CreatedAt = id, tx.Now()
	return nil
}

// userDetail is the audit detail for a user's role: no personal data.
func userDetail(role tether.Role, orgID *int64) string {
	d := "role=" + string(role)
	if orgID != nil {
		d += " organisation_id=" + strconv.FormatInt(*orgID, 10)
	}
	return d
}

// FindUserByID returns one user. An admin may read anyone; any signed-in
// user may read themself.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*tether.User, error) {
	a, err := actorWithRole(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role != tether.RoleAdmin && (a.UserID == 0 || a.UserID != id) {
		return nil, tether.Errorf(tether.EFORBIDDEN, "Your role may not do this.")
	}
	row := db.read.QueryRowContext(ctx, db.rebind(`SELECT `+userCols+` FROM users u WHERE u.id = ?`), id)
	u, err := scanUser(row)
	if err != nil {
		return nil, notFound(err, "User")
	}
	return u, nil
}

// FindUserByEmail returns one user (admins only).
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*tether.User, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return nil, err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	row := db.read.QueryRowContext(ctx, db.rebind(`SELECT `+userCols+` FROM users u WHERE u.email = ?`), email)
	u, err := scanUser(row)
	if err != nil {
		return nil, notFound(err, "User")
	}
	return u, nil
}

// FindUsers lists users by email (admins only).
func (db *DB) FindUsers(ctx context.Context) ([]*tether.User, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+userCols+` FROM users u ORDER BY u.email`)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var users []*tether.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("find users: %w", err)
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return users, nil
}

// lockUser reads a user inside a writing transaction; on PostgreSQL the row
// stays locked until the transaction ends, so that two admins changing the
// same user do not interleave.
func (tx *Tx) lockUser(id int64) (*tether.User, error) {
	q := `SELECT ` + userCols + ` FROM users u WHERE u.id = ?`
	if tx.db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	u, err := scanUser(tx.QueryRow(q, id))
	if err != nil {
		return nil, notFound(err, "User")
	}
	return u, nil
}

// SetUserRole changes a user's role and organisation, checked together by
// User.Validate. The user's sessions carry on: every request reads the
// role afresh.
func (db *DB) SetUserRole(ctx context.Context, id int64, role tether.Role, orgID *int64) error {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("set user role: %w", err)
	}
	defer tx.rollback()
	u, err := tx.lockUser(id)
	if err != nil {
		return err
	}
	wasAdmin := u.Role == tether.RoleAdmin && !u.Disabled
	u.Role, u.OrganisationID = role, orgID
	if err := u.Validate(); err != nil {
		return err
	}
	if wasAdmin && role != tether.RoleAdmin {
		if err := tx.keepAnAdmin(id); err != nil {
			return err
		}
	}
	_, err = tx.Exec(`UPDATE users SET role = ?, organisation_id = ?, updated_at = ? WHERE id = ?`,
		string(u.Role), orgArg(u.OrganisationID), db.ts(tx.Now()), id)
	if isForeignKey(err) {
		return tether.Problems{"organisation_id": "no such organisation"}.Err()
	} else if err != nil {
		return fmt.Errorf("set user role: %w", err)
	}
	tx.Audit("user.role", "user", id, userDetail(u.Role, u.OrganisationID))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set user role: %w", err)
	}
	db.tokens.clear()
	return nil
}

// keepAnAdmin refuses to leave the system without an enabled admin when
// the user id stops being one. On PostgreSQL it locks the other admins'
// rows, so two admins demoting each other at once cannot both succeed.
func (tx *Tx) keepAnAdmin(id int64) error {
	q := `SELECT id FROM users WHERE role = ? AND disabled = ? AND id <> ?`
	if tx.db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	rows, err := tx.Query(q, string(tether.RoleAdmin), false, id)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	others := 0
	for rows.Next() {
		others++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if others == 0 {
		return tether.Errorf(tether.ECONFLICT, "This is the last admin: make another user an admin first.")
	}
	return nil
}

// SetUserDisabled disables or re-enables a user. Disabling deletes the
// user's sessions and revokes their API tokens in the same transaction, so
// no credential outlives it; re-enabling brings none of them back.
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("set user disabled: %w", err)
	}
	defer tx.rollback()
	u, err := tx.lockUser(id)
	if err != nil {
		return err
	}
	if u.Disabled == disabled {
		return nil
	}
	if _, err := tx.Exec(`UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?`, disabled, db.ts(tx.Now()), id); err != nil {
		return fmt.Errorf("set user disabled: %w", err)
	}
	action := "user.enable"
	detail := ""
	if disabled {
		action = "user.disable"
		if u.Role == tether.RoleAdmin {
			if err := tx.keepAnAdmin(id); err != nil {
				return err
			}
		}
		if detail, err = tx.endCredentials(id); err != nil {
			return fmt.Errorf("set user disabled: %w", err)
		}
		// Work they had claimed goes back to its queues, not left with
		// someone who can no longer sign in.
		if _, err := tx.moveClaimedTasks(id, nil, "The user was disabled.", false); err != nil {
			return fmt.Errorf("set user disabled: %w", err)
		}
	}
	tx.Audit(action, "user", id, detail)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set user disabled: %w", err)
	}
	db.tokens.clear()
	return nil
}

// endCredentials deletes a user's sessions and revokes their API tokens, and
// says how many for the audit detail.
func (tx *Tx) endCredentials(userID int64) (string, error) {
	res, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return "", err
	}
	sessions, err := res.RowsAffected()
	if err != nil {
		return "", err
	}
	res, err = tx.Exec(`UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, tx.db.ts(tx.Now()), userID)
	if err != nil {
		return "", err
	}
	tokens, err := res.RowsAffected()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("sessions_ended=%d tokens_revoked=%d", sessions, tokens), nil
}

// SetPassword replaces a user's password (admins only) and ends the user's
// sessions, since a reset usually means the old password is not safe. API
// tokens carry on: they are separate credentials, revoked on their own.
func (db *DB) SetPassword(ctx context.Context, id int64, password string) error {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return err
	}
	if err := tether.ValidatePassword(password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	defer tx.rollback()
	res, err := tx.Exec(`UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, db.ts(tx.Now()), id)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("set password: %w", err)
	} else if n == 0 {
		return tether.Errorf(tether.ENOTFOUND, "User not found.")
	}
	res, err = tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, id)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	tx.Audit("user.password", "user", id, fmt.Sprintf("sessions_ended=%d", n))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

// errWrongSignIn is the one answer to every failed sign-in, so that it does
// not tell which part was wrong.
func errWrongSignIn() error {
	return tether.Errorf(tether.EUNAUTHORIZED, "Email or password is wrong.")
}

// Authenticate checks an email and password. It needs no actor. An unknown
// email runs a dummy hash so that it takes as long as a wrong password, and
// a disabled user's password is still checked for the same reason. The hash
// runs outside any transaction; only the audit entry is written.
func (db *DB) Authenticate(ctx context.Context, email, password string) (*tether.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	// No stored password is longer than ValidatePassword allows; bound the
	// work an oversized one can cause.
	tooLong := len(password) > 256
	if tooLong {
		password = password[:256]
	}
	var hash string
	row := db.read.QueryRowContext(ctx, db.rebind(`SELECT `+userCols+`, u.password_hash FROM users u WHERE u.email = ?`), email)
	u, err := scanUser(row, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		auth.DummyCheck(password)
		if err := db.auditSignIn(ctx, nil, "unknown_email"); err != nil {
			return nil, err
		}
		return nil, errWrongSignIn()
	} else if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	ok, err := auth.CheckPassword(hash, password)
	if err != nil {
		// An unreadable stored hash is our fault, not the user's: internal,
		// so that it is logged, until an admin sets a new password.
		_ = db.auditSignIn(ctx, u, "bad_stored_hash")
		return nil, fmt.Errorf("authenticate user %d: %w", u.ID, err)
	}
	reason := ""
	switch {
	case !ok || tooLong:
		reason = "wrong_password"
	case u.Disabled:
		reason = "disabled"
	}
	if reason != "" {
		if err := db.auditSignIn(ctx, u, reason); err != nil {
			return nil, err
		}
		return nil, errWrongSignIn()
	}
	if err := db.auditSignIn(ctx, u, ""); err != nil {
		return nil, err
	}
	return u, nil
}

// auditSignIn records a sign-in: "user.signin" by the user on success,
// "user.signin.failed" by whoever asked (anonymous, usually) with the user's
// id when known and 0 otherwise, and the reason as the detail.
func (db *DB) auditSignIn(ctx context.Context, u *tether.User, failure string) error {
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("audit sign-in: %w", err)
	}
	defer tx.rollback()
	var id int64
	if u != nil {
		id = u.ID
	}
	if failure == "" {
		tx.actor = tether.ActorOf(u)
		tx.Audit("user.signin", "user", id, "")
	} else {
		tx.Audit("user.signin.failed", "user", id, failure)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("audit sign-in: %w", err)
	}
	return nil
}

// orgCols are the organisations columns that scanOrganisation reads.
const orgCols = `id, name, kind, constituency, division, reply_email, reply_address, created_at`

func scanOrganisation(row interface{ Scan(...any) error }) (*tether.Organisation, error) {
	o := &tether.Organisation{}
	var kind, address string
	if err := row.Scan(&o.ID, &o.Name, &kind, &o.Constituency, &o.Division, &o.ReplyEmail, &address, timeScan{&o.CreatedAt}); err != nil {
		return nil, err
	}
	o.Kind = tether.OrganisationKind(kind)
	if err := readReplyAddress(address, &o.ReplyAddress); err != nil {
		return nil, fmt.Errorf("organisation %d: %w", o.ID, err)
	}
	return o, nil
}

// CreateOrganisation validates and stores o (admins only).
func (db *DB) CreateOrganisation(ctx context.Context, o *tether.Organisation) error {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	if err := checkReplyAddress(o.ReplyAddress); err != nil {
		return err
	}
	address, err := replyAddressJSON(o.ReplyAddress)
	if err != nil {
		return fmt.Errorf("create organisation: %w", err)
	}
	o.Constituency = strings.TrimSpace(o.Constituency)
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("create organisation: %w", err)
	}
	defer tx.rollback()
	id, err := tx.InsertID(`INSERT INTO organisations (name, kind, constituency, division, reply_email, reply_address, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		o.Name, string(o.Kind), o.Constituency, o.Division, o.ReplyEmail, address, db.ts(tx.Now()))
	if err != nil {
		return fmt.Errorf("create organisation: %w", err)
	}
	tx.Audit("organisation.create", "organisation", id, "kind="+string(o.Kind))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create organisation: %w", err)
	}
	o.ID, o.CreatedAt = id, tx.Now()
	return nil
}

// FindOrganisationByID returns one organisation. Any signed-in user may read
// organisations (caseworkers pick representatives from them), except that
// an organisation user sees only their own.
func (db *DB) FindOrganisationByID(ctx context.Context, id int64) (*tether.Organisation, error) {
	a, err := actorWithRole(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role == tether.RoleOrganisation && (a.OrganisationID == nil || *a.OrganisationID != id) {
		return nil, tether.Errorf(tether.ENOTFOUND, "Organisation not found.")
	}
	o, err := scanOrganisation(db.read.QueryRowContext(ctx, db.rebind(`SELECT `+orgCols+` FROM organisations WHERE id = ?`), id))
	if err != nil {
		return nil, notFound(err, "Organisation")
	}
	return o, nil
}

// FindOrganisations lists organisations by name; an organisation user gets
// only their own.
func (db *DB) FindOrganisations(ctx context.Context) ([]*tether.Organisation, error) {
	a, err := actorWithRole(ctx)
	if err != nil {
		return nil, err
	}
	q, args := `SELECT `+orgCols+` FROM organisations ORDER BY name, id`, []any(nil)
	if a.Role == tether.RoleOrganisation {
		if a.OrganisationID == nil {
			return nil, nil
		}
		q, args = `SELECT `+orgCols+` FROM organisations WHERE id = ?`, []any{*a.OrganisationID}
	}
	rows, err := db.read.QueryContext(ctx, db.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("find organisations: %w", err)
	}
	defer rows.Close()
	var orgs []*tether.Organisation
	for rows.Next() {
		o, err := scanOrganisation(rows)
		if err != nil {
			return nil, fmt.Errorf("find organisations: %w", err)
		}
		orgs = append(orgs, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find organisations: %w", err)
	}
	return orgs, nil
}
