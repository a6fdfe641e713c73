package store

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/auth"
)

// storedTime reads one time column of one row, for checking what the hot
// path wrote.
func storedTime(t *testing.T, db *DB, q string, id int64) *time.Time {
	t.Helper()
	var at *time.Time
	if err := db.write.QueryRow(db.rebind(q), id).Scan(nullTimeScan{&at}); err != nil {
		t.Fatal(err)
	}
	return at
}

func TestSessionLifecycle(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		clock := db.Clock.(*tether.ManualClock)
		ctx := context.Background()
		u := seedUser(t, db, tether.RoleCaseworker, "hal@example.org", nil)
		start := clock.Now()

		_, _, err := db.CreateSession(ctx, 9999)
		wantCode(t, err, tether.ENOTFOUND)

		token, s, err := db.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(token, auth.SessionPrefix) || s.UserID != u.ID || !s.ExpiresAt.Equal(start.Add(tether.SessionLifetime)) {
			t.Fatalf("session %q %+v", token, s)
		}
		// Only the SHA-256 is stored.
		var stored []byte
		if err := db.write.QueryRow(db.rebind(`SELECT token_hash FROM sessions WHERE id = ?`), s.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(stored, auth.HashToken(token)) {
			t.Fatal("stored token hash is not the SHA-256 of the token")
		}

		got, gs, err := db.SessionUser(ctx, token)
		if err != nil || got.ID != u.ID || got.Role != tether.RoleCaseworker || gs.ID != s.ID {
			t.Fatalf("SessionUser = %+v, %+v, %v", got, gs, err)
		}

		// More than half left: no write.
		clock.Advance(5 * time.Hour)
		if _, gs, err = db.SessionUser(ctx, token); err != nil || !gs.ExpiresAt.Equal(s.ExpiresAt) {
			t.Fatalf("at 5h: %+v, %v", gs, err)
		}
		q := `SELECT expires_at FROM sessions WHERE id = ?`
		if at := storedTime(t, db, q, s.ID); !at.Equal(s.ExpiresAt) {
			t.Fatalf("expiry written at 5h: %v", at)
		}

		// Less than half left: slides to a full lifetime from now.
		clock.Advance(2 * time.Hour)
		want := clock.Now().Add(tether.SessionLifetime)
		if _, gs, err = db.SessionUser(ctx, token); err != nil || !gs.ExpiresAt.Equal(want) {
			t.Fatalf("at 7h: %+v, %v; want expiry %v", gs, err, want)
		}
		if at := storedTime(t, db, q, s.ID); !at.Equal(want) {
			t.Fatalf("stored expiry %v, want %v", at, want)
		}

		// Unused for a whole lifetime: gone.
		clock.Advance(tether.SessionLifetime)
		_, _, err = db.SessionUser(ctx, token)
		wantCode(t, err, tether.EUNAUTHORIZED)
		if n, err := db.DeleteExpiredSessions(ctx); err != nil || n != 1 {
			t.Fatalf("DeleteExpiredSessions = %d, %v", n, err)
		}

		// Sign out.
		token2, _, err := db.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSession(ctx, token2); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.SessionUser(ctx, token2)
		wantCode(t, err, tether.EUNAUTHORIZED)
		if err := db.DeleteSession(ctx, token2); err != nil {
			t.Fatalf("second sign-out: %v", err)
		}

		want2 := "user.create session.create session.create session.delete"
		if got := strings.Join(auditActions(t, db, "user", u.ID), " "); got != want2 {
			t.Fatalf("audit = %s, want %s", got, want2)
		}
		entries, _ := db.FindAuditEntries(adminCtx(), tether.AuditFilter{Entity: "user", EntityID: u.ID, Limit: 3})
		for _, e := range entries {
			if e.Actor != "user:"+strconv.FormatInt(u.ID, 10) {
				t.Fatalf("%s actor = %q", e.Action, e.Actor)
			}
		}
	})
}

func TestSessionSlideThrottled(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		clock := db.Clock.(*tether.ManualClock)
		ctx := context.Background()
		u := seedUser(t, db, tether.RoleCaseworker, "ida@example.org", nil)
		token, s, err := db.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(7 * time.Hour)
		if _, _, err := db.SessionUser(ctx, token); err != nil {
			t.Fatal(err)
		}
		// Wind the stored expiry back, as though the write were lost: within
		// the minute this instance does not try again.
		old := s.ExpiresAt
		setExpiry := func() {
			if _, err := db.write.Exec(db.rebind(`UPDATE sessions SET expires_at = ? WHERE id = ?`), db.ts(old), s.ID); err != nil {
				t.Fatal(err)
			}
		}
		setExpiry()
		clock.Advance(30 * time.Second)
		if _, _, err := db.SessionUser(ctx, token); err != nil {
			t.Fatal(err)
		}
		q := `SELECT expires_at FROM sessions WHERE id = ?`
		if at := storedTime(t, db, q, s.ID); !at.Equal(old) {
			t.Fatalf("written again within a minute: %v", at)
		}
		clock.Advance(31 * time.Second)
		if _, _, err := db.SessionUser(ctx, token); err != nil {
			t.Fatal(err)
		}
		if at := storedTime(t, db, q, s.ID); !at.Equal(clock.Now().Add(tether.SessionLifetime)) {
			t.Fatalf("not written after a minute: %v", at)
		}
	})
}

func TestSessionTokenRefused(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := seedUser(t, db, tether.RoleCaseworker, "jo@example.org", nil)
		session, _, err := db.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := db.CreateAPIToken(AsActor(tether.ActorOf(u)), u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		unknown, _, _ := auth.NewToken(auth.SessionPrefix)
		for _, tok := range []string{"", "garbage", secret, unknown, session + "x", strings.Repeat("ths_", 100)} {
			_, _, err := db.SessionUser(ctx, tok)
			wantCode(t, err, tether.EUNAUTHORIZED)
		}
		unknownAPI, _, _ := auth.NewToken(auth.APIPrefix)
		for _, tok := range []string{"", "garbage", session, unknownAPI, secret[:len(secret)-1]} {
			_, err := db.TokenUser(ctx, tok)
			wantCode(t, err, tether.EUNAUTHORIZED)
		}
	})
}

func TestTokenLifecycle(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		clock := db.Clock.(*tether.ManualClock)
		ctx := context.Background()
		u := seedUser(t, db, tether.RoleCaseworker, "kim@example.org", nil)
		other := seedUser(t, db, tether.RoleCaseworker, "lee@example.org", nil)
		asU, asOther := AsActor(tether.ActorOf(u)), AsActor(tether.ActorOf(other))

		_, _, err := db.CreateAPIToken(asOther, u.ID, "not mine")
		wantCode(t, err, tether.EFORBIDDEN)
		_, _, err = db.CreateAPIToken(ctx, u.ID, "no actor")
		wantCode(t, err, tether.EUNAUTHORIZED)
		_, _, err = db.CreateAPIToken(asU, u.ID, "  ")
		wantCode(t, err, tether.EINVALID)
		_, _, err = db.CreateAPIToken(asU, u.ID, strings.Repeat("n", 101))
		wantCode(t, err, tether.EINVALID)
		_, _, err = db.CreateAPIToken(adminCtx(), 4321, "nobody")
		wantCode(t, err, tether.ENOTFOUND)

		secret, tok, err := db.CreateAPIToken(asU, u.ID, " nightly export ")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, auth.APIPrefix) || tok.Name != "nightly export" || tok.UserID != u.ID {
			t.Fatalf("token %q %+v", secret, tok)
		}
		secret2, tok2, err := db.CreateAPIToken(adminCtx(), u.ID, "by admin")
		if err != nil {
			t.Fatal(err)
		}

		got, err := db.TokenUser(ctx, secret)
		if err != nil || got.ID != u.ID {
			t.Fatalf("TokenUser = %+v, %v", got, err)
		}
		q := `SELECT last_used_at FROM api_tokens WHERE id = ?`
		first := storedTime(t, db, q, tok.ID)
		if first == nil || !first.Equal(clock.Now()) {
			t.Fatalf("last_used_at = %v, want %v", first, clock.Now())
		}
		// Many uses within the minute: one write.
		for range 50 {
			clock.Advance(time.Second)
			if _, err := db.TokenUser(ctx, secret); err != nil {
				t.Fatal(err)
			}
		}
		if at := storedTime(t, db, q, tok.ID); !at.Equal(*first) {
			t.Fatalf("last_used_at rewritten within a minute: %v", at)
		}
		clock.Advance(10 * time.Second)
		if _, err := db.TokenUser(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if at := storedTime(t, db, q, tok.ID); !at.Equal(clock.Now()) {
			t.Fatalf("last_used_at = %v after a minute, want %v", at, clock.Now())
		}

		toks, err := db.FindAPITokens(asU, u.ID)
		if err != nil || len(toks) != 2 || toks[0].ID != tok.ID || toks[1].ID != tok2.ID || toks[0].LastUsedAt == nil {
			t.Fatalf("FindAPITokens = %+v, %v", toks, err)
		}
		_, err = db.FindAPITokens(asOther, u.ID)
		wantCode(t, err, tether.EFORBIDDEN)

		wantCode(t, db.RevokeAPIToken(asOther, tok.ID), tether.EFORBIDDEN)
		wantCode(t, db.RevokeAPIToken(asU, 5555), tether.ENOTFOUND)
		wantCode(t, db.RevokeAPIToken(ctx, tok.ID), tether.EUNAUTHORIZED)
		if err := db.RevokeAPIToken(asU, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.TokenUser(ctx, secret)
		wantCode(t, err, tether.EUNAUTHORIZED)
		if err := db.RevokeAPIToken(asU, tok.ID); err != nil {
			t.Fatalf("second revoke: %v", err)
		}
		// The other token still works; an admin may revoke it.
		if _, err := db.TokenUser(ctx, secret2); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeAPIToken(adminCtx(), tok2.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.TokenUser(ctx, secret2)
		wantCode(t, err, tether.EUNAUTHORIZED)

		want := "user.create token.create token.create token.revoke token.revoke"
		if got := strings.Join(auditActions(t, db, "user", u.ID), " "); got != want {
			t.Fatalf("audit = %s, want %s", got, want)
		}
	})
}

func TestWriteThrottle(t *testing.T) {
	var w writeThrottle
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, step := range []struct {
		id    int64
		after time.Duration
		want  bool
	}{
		{1, 0, true},
		{1, 59 * time.Second, false},
		{2, 59 * time.Second, true},
		{1, time.Minute, true},
		{1, time.Minute + time.Second, false},
		{1, -time.Hour, true}, // a clock set back does not stall writes
	} {
		if got := w.allow(step.id, at.Add(step.after)); got != step.want {
			t.Fatalf("allow(%d, +%v) = %v, want %v", step.id, step.after, got, step.want)
		}
	}
	for i := range int64(20000) {
		w.allow(i+10, at)
	}
	if len(w.last) > 10000 {
		t.Fatalf("throttle holds %d entries", len(w.last))
	}
}

// A session in steady use still ends SessionMaxAge after sign-in.
func TestSessionAbsoluteLimit(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		clock := db.Clock.(*tether.ManualClock)
		ctx := context.Background()
		u := seedUser(t, db, tether.RoleCaseworker, "jo@example.org", nil)
		token, s, err := db.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		limit := s.CreatedAt.Add(tether.SessionMaxAge)
		wants := []time.Time{
			s.CreatedAt.Add(7*time.Hour + tether.SessionLifetime), // 7h: slides a full lifetime
			limit, // 14h: a full lifetime would pass the limit
			limit, // 21h: already at the limit, nothing to write
		}
		for i, want := range wants {
			clock.Advance(7 * time.Hour)
			_, gs, err := db.SessionUser(ctx, token)
			if err != nil {
				t.Fatalf("use %d: %v", i+1, err)
			}
			if !gs.ExpiresAt.Equal(want) {
				t.Fatalf("use %d: expiry %v, want %v", i+1, gs.ExpiresAt, want)
			}
			if at := storedTime(t, db, `SELECT expires_at FROM sessions WHERE id = ?`, s.ID); !at.Equal(want) {
				t.Fatalf("use %d: stored expiry %v, want %v", i+1, at, want)
			}
		}
		clock.Set(limit)
		_, _, err = db.SessionUser(ctx, token)
		wantCode(t, err, tether.EUNAUTHORIZED)
	})
}
