package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"tether"
	"tether/auth"
)

// Compile-time check that *DB is a tether.CredentialService.
var _ tether.CredentialService = (*DB)(nil)

// credentialWriteEvery is the least time between two writes for one
// credential on the hot path (extending a session, touching a token's
// last use), so that thousands of requests a second do not become
// thousands of writes.
const credentialWriteEvery = time.Minute

// writeThrottle remembers, per credential id, when this instance last
// wrote for it. The SQL is guarded too (a write only when the stored value
// is stale), so many instances stay correct; this only saves attempts.
type writeThrottle struct {
	mu   sync.Mutex
	last map[int64]time.Time
}

// allow reports whether a write for id may go ahead at now, and if so
// records it.
func (t *writeThrottle) allow(id int64, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		t.last = map[int64]time.Time{}
	}
	if at, ok := t.last[id]; ok && now.Sub(at) < credentialWriteEvery && !now.Before(at) {
		return false
	}
	if len(t.last) >= 10000 {
		for k, at := range t.last {
			if now.Sub(at) >= credentialWriteEvery || now.Before(at) {
				delete(t.last, k)
			}
		}
		if len(t.last) >= 10000 {
			// Still full: forget it all rather than scan on every call;
			// the guarded SQL keeps the writes right meanwhile.
			clear(t.last)
		}
	}
	t.last[id] = now
	return true
}

// credentialThrottles are a DB's hot-path write throttles.
type credentialThrottles struct{ sessions, tokens writeThrottle }

func errNoSession() error {
	return tether.Errorf(tether.EUNAUTHORIZED, "Your session has ended. Sign in again.")
}

func errBadToken() error {
	return tether.Errorf(tether.EUNAUTHORIZED, "The API token is not valid.")
}

// CreateSession starts a session for a user and returns the cookie token;
// the store keeps only its SHA-256. It needs no actor (it follows
// Authenticate, before anyone is signed in) and is audited as the user.
func (db *DB) CreateSession(ctx context.Context, userID int64) (string, *tether.Session, error) {
	token, hash, err := auth.NewToken(auth.SessionPrefix)
	if err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	defer tx.rollback()
	u, err := scanUser(tx.QueryRow(`SELECT `+userCols+` FROM users u WHERE u.id = ?`, userID))
	if err != nil {
		return "", nil, notFound(err, "User")
	}
	if u.Disabled {
		return "", nil, tether.Errorf(tether.EUNAUTHORIZED, "Email or password is wrong.")
	}
	s := &tether.Session{UserID: userID, CreatedAt: tx.Now(), ExpiresAt: tx.Now().Add(tether.SessionLifetime)}
	s.ID, err = tx.InsertID(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hash, userID, db.ts(s.CreatedAt), db.ts(s.ExpiresAt))
	if err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	tx.actor = tether.ActorOf(u)
	tx.Audit("session.create", "user", userID, "session_id="+strconv.FormatInt(s.ID, 10))
	if err := tx.Commit(); err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	return token, s, nil
}

// SessionUser returns the session's user. It is on the path of every
// browser request: one indexed read joining users, on the read pool,
// without a transaction; it writes only to slide the expiry, when less than
// half the lifetime remains, and then at most once a minute.
func (db *DB) SessionUser(ctx context.Context, token string) (*tether.User, *tether.Session, error) {
	if !strings.HasPrefix(token, auth.SessionPrefix) || len(token) > 100 {
		return nil, nil, errNoSession()
	}
	hash := auth.HashToken(token)
	now := db.Clock.Now().UTC().Truncate(time.Microsecond)
	s := &tether.Session{}
	var stored []byte
	row := db.read.QueryRowContext(ctx, db.rebind(`SELECT `+userCols+`, s.id, s.token_hash, s.created_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`), hash)
	u, err := scanUser(row, &s.ID, &stored, timeScan{&s.CreatedAt}, timeScan{&s.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errNoSession()
	} else if err != nil {
		return nil, nil, fmt.Errorf("session user: %w", err)
	}
	s.UserID = u.ID
	if !auth.SameHash(stored, hash) || !now.Before(s.ExpiresAt) || u.Disabled {
		return nil, nil, errNoSession()
	}
	if s.ExpiresAt.Sub(now) < tether.SessionLifetime/2 && db.credThrottle.sessions.allow(s.ID, now) {
		expires := now.Add(tether.SessionLifetime)
		if limit := s.CreatedAt.Add(tether.SessionMaxAge); expires.After(limit) {
			expires = limit
		}
		if !expires.After(s.ExpiresAt) {
			return u, s, nil
		}
		// The guard keeps many instances, or many requests at once, from
		// all writing: only one finds the stored expiry stale.
		_, err := db.write.ExecContext(ctx, db.rebind(`UPDATE sessions SET expires_at = ? WHERE id = ? AND expires_at < ?`),
			db.ts(expires), s.ID, db.ts(expires.Add(-credentialWriteEvery)))
		if err != nil {
			return nil, nil, fmt.Errorf("extend session: %w", err)
		}
		s.ExpiresAt = expires
	}
	return u, s, nil
}

// DeleteSession ends a session (sign out). An unknown token is not an
// error: the session is gone either way. It needs no actor.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	if !strings.HasPrefix(token, auth.SessionPrefix) || len(token) > 100 {
		return nil
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	defer tx.rollback()
	var id, userID int64
	err = tx.QueryRow(`DELETE FROM sessions WHERE token_hash = ? RETURNING id, user_id`, auth.HashToken(token)).Scan(&id, &userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	// Whoever signs out (or signs in afresh over an old cookie); without
	// an actor in ctx, the session's own user.
	if _, ok := tether.ActorFromContext(ctx); !ok {
		tx.actor = tether.Actor{UserID: userID}
	}
	tx.Audit("session.delete", "user", userID, "session_id="+strconv.FormatInt(id, 10))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now, for a
// periodic sweep. It needs no actor and writes no audit entry: an expiry is
// not anyone's act.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	now := db.Clock.Now().UTC()
	res, err := db.write.ExecContext(ctx, db.rebind(`DELETE FROM sessions WHERE expires_at <= ?`), db.ts(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}

// mayManageCredentials allows an admin, or the user themself.
func mayManageCredentials(ctx context.Context, userID int64) error {
	a, err := actorWithRole(ctx)
	if err != nil {
		return err
	}
	if a.Role != tether.RoleAdmin && (a.UserID == 0 || a.UserID != userID) {
		return tether.Errorf(tether.EFORBIDDEN, "Only an admin may manage another user's tokens.")
	}
	return nil
}

// CreateAPIToken issues a token for a user and returns the secret once; the
// store keeps only its SHA-256. An admin, or the user themself.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, name string) (string, *tether.APIToken, error) {
	if err := mayManageCredentials(ctx, userID); err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil, tether.Problems{"name": "enter a name that says what the token is for"}.Err()
	} else if utf8.RuneCountInString(name) > 100 {
		return "", nil, tether.Problems{"name": "must be 100 characters or fewer"}.Err()
	}
	secret, hash, err := auth.NewToken(auth.APIPrefix)
	if err != nil {
		return "", nil, fmt.Errorf("create api token: %w", err)
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("create api token: %w", err)
	}
	defer tx.rollback()
	var disabled bool
	if err := tx.QueryRow(`SELECT disabled FROM users WHERE id = ?`, userID).Scan(&disabled); err != nil {
		return "", nil, notFound(err, "User")
	}
	if disabled {
		return "", nil, tether.Problems{"user_id": "the user is disabled"}.Err()
	}
	t := &tether.APIToken{UserID: userID, Name: name, CreatedAt: tx.Now()}
	t.ID, err = tx.InsertID(`INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)`,
		hash, userID, name, db.ts(t.CreatedAt))
	if err != nil {
		return "", nil, fmt.Errorf("create api token: %w", err)
	}
	tx.Audit("token.create", "user", userID, "token_id="+strconv.FormatInt(t.ID, 10))
	if err := tx.Commit(); err != nil {
		return "", nil, fmt.Errorf("create api token: %w", err)
	}
	return secret, t, nil
}

// TokenUser returns the token's user. Like SessionUser it is one indexed
// read on the read pool; it writes last_used_at at most once a minute per
// token.
func (db *DB) TokenUser(ctx context.Context, secret string) (*tether.User, error) {
	if !strings.HasPrefix(secret, auth.APIPrefix) || len(secret) > 100 {
		return nil, errBadToken()
	}
	hash := auth.HashToken(secret)
	now := db.Clock.Now().UTC().Truncate(time.Microsecond)
	if u, ok := db.tokens.get(hash, now); ok {
		return u, nil
	}
	var id int64
	var stored []byte
	var lastUsed, revoked *time.Time
	row := db.read.QueryRowContext(ctx, db.rebind(`SELECT `+userCols+`, t.id, t.token_hash, t.last_used_at, t.revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`), hash)
	u, err := scanUser(row, &id, &stored, nullTimeScan{&lastUsed}, nullTimeScan{&revoked})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errBadToken()
	} else if err != nil {
		return nil, fmt.Errorf("token user: %w", err)
	}
	if !auth.SameHash(stored, hash) || revoked != nil || u.Disabled {
		return nil, errBadToken()
	}
	stale := lastUsed == nil || now.Sub(*lastUsed) >= credentialWriteEvery
	if stale && db.credThrottle.tokens.allow(id, now) {
		// Guarded like the session's expiry: only one writer finds it stale.
		_, err := db.write.ExecContext(ctx, db.rebind(`UPDATE api_tokens SET last_used_at = ?
			WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`),
			db.ts(now), id, db.ts(now.Add(-credentialWriteEvery)))
		if err != nil {
			return nil, fmt.Errorf("touch api token: %w", err)
		}
	}
	db.tokens.put(hash, u, now)
	return u, nil
}

// RevokeAPIToken revokes a token: an admin, or the token's user. Revoking a
// revoked token changes nothing.
func (db *DB) RevokeAPIToken(ctx context.Context, id int64) error {
	if _, err := actorWithRole(ctx); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	defer tx.rollback()
	var userID int64
	var revoked *time.Time
	if err := tx.QueryRow(`SELECT user_id, revoked_at FROM api_tokens WHERE id = ?`, id).Scan(&userID, nullTimeScan{&revoked}); err != nil {
		return notFound(err, "API token")
	}
	if err := mayManageCredentials(ctx, userID); err != nil {
		return err
	}
	if revoked != nil {
		return nil
	}
	if _, err := tx.Exec(`UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, db.ts(tx.Now()), id); err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	tx.Audit("token.revoke", "user", userID, "token_id="+strconv.FormatInt(id, 10))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	db.tokens.clear()
	return nil
}

// FindAPITokens lists a user's tokens, oldest first: an admin, or the user
// themself.
func (db *DB) FindAPITokens(ctx context.Context, userID int64) ([]*tether.APIToken, error) {
	if err := mayManageCredentials(ctx, userID); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, db.rebind(`SELECT id, user_id, name, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE user_id = ? ORDER BY id`), userID)
	if err != nil {
		return nil, fmt.Errorf("find api tokens: %w", err)
	}
	defer rows.Close()
	var tokens []*tether.APIToken
	for rows.Next() {
		t := &tether.APIToken{}
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, timeScan{&t.CreatedAt}, nullTimeScan{&t.LastUsedAt}, nullTimeScan{&t.RevokedAt}); err != nil {
			return nil, fmt.Errorf("find api tokens: %w", err)
		}
		tokens = append(tokens, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find api tokens: %w", err)
	}
	return tokens, nil
}
