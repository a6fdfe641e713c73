package store

import (
	"context"
	"testing"
	"time"

	"tether"
)

// A token's user is read once per tokenCacheTTL. A change on the same
// instance (revoked, the user disabled or given another role) holds at
// once; one made through another instance, within tokenCacheTTL.
func TestTokenUserCache(t *testing.T) {
	clock := tether.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	db := MustOpenTestDB(t, SQLite, clock)
	other, err := Open(db.DSN, clock)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	u := seedUser(t, db, tether.RoleCaseworker, "kim@example.org", nil)
	token := func() string {
		secret, _, err := db.CreateAPIToken(adminCtx(), u.ID, "desk")
		if err != nil {
			t.Fatal(err)
		}
		return secret
	}
	mustUser := func(secret string, role tether.Role) {
		t.Helper()
		got, err := db.TokenUser(ctx, secret)
		if err != nil || got.ID != u.ID || got.Role != role {
			t.Fatalf("TokenUser = %+v, %v; want user %d, %s", got, err, u.ID, role)
		}
	}
	refused := func(secret string) {
		t.Helper()
		if got, err := db.TokenUser(ctx, secret); err == nil {
			t.Fatalf("TokenUser = %+v; want refused", got)
		}
	}
	revoke := func(on *DB, secret string) {
		t.Helper()
		toks, err := on.FindAPITokens(adminCtx(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range toks {
			if tok.RevokedAt == nil {
				if err := on.RevokeAPIToken(adminCtx(), tok.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	}

	// Revoked through another instance: answers until the entry is
	// tokenCacheTTL old, then not.
	a := token()
	mustUser(a, tether.RoleCaseworker)
	revoke(other, a)
	clock.Advance(tokenCacheTTL - time.Millisecond)
	mustUser(a, tether.RoleCaseworker)
	clock.Advance(time.Millisecond)
	refused(a)

	// Revoked here: refused at once.
	b := token()
	mustUser(b, tether.RoleCaseworker)
	revoke(db, b)
	refused(b)

	// Another role, then disabled, here: at once.
	c := token()
	mustUser(c, tether.RoleCaseworker)
	if err := db.SetUserRole(adminCtx(), u.ID, tether.RoleInspector, nil); err != nil {
		t.Fatal(err)
	}
	mustUser(c, tether.RoleInspector)
	if err := db.SetUserDisabled(adminCtx(), u.ID, true); err != nil {
		t.Fatal(err)
	}
	refused(c)

	// A clock set back does not make an entry answer for longer.
	if err := db.SetUserDisabled(adminCtx(), u.ID, false); err != nil {
		t.Fatal(err)
	}
	d := token()
	mustUser(d, tether.RoleInspector)
	revoke(other, d)
	clock.Set(clock.Now().Add(-time.Hour))
	refused(d)
}
