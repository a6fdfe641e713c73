package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"tether"
)

// TestEngines lists the engines a storage test runs on: SQLite always,
// PostgreSQL when TETHER_TEST_POSTGRES holds a DSN.
func TestEngines() []string {
	if os.Getenv("TETHER_TEST_POSTGRES") != "" {
		return []string{SQLite, Postgres}
	}
	return []string{SQLite}
}

var schemaSeq atomic.Int64

// MustOpenTestDB opens a fresh, migrated database of the engine for one test
// and closes it when the test ends. On PostgreSQL each call gets its own
// schema, so tests may run in parallel. The clock starts at a fixed time.
func MustOpenTestDB(tb testing.TB, engine string, clock tether.Clock) *DB {
	tb.Helper()
	if clock == nil {
		clock = tether.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	}
	var dsn string
	switch engine {
	case SQLite:
		dsn = filepath.Join(tb.TempDir(), "tether.db")
	case Postgres:
		base := os.Getenv("TETHER_TEST_POSTGRES")
		if base == "" {
			tb.Skip("TETHER_TEST_POSTGRES is not set")
		}
		schema := fmt.Sprintf("t_%d_%d", os.Getpid(), schemaSeq.Add(1))
		admin, err := sql.Open("pgx", base)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			admin.Close()
			tb.Fatal(err)
		}
		tb.Cleanup(func() {
			admin.Exec("DROP SCHEMA " + schema + " CASCADE")
			admin.Close()
		})
		u, err := url.Parse(base)
		if err != nil {
			tb.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
	default:
		tb.Fatalf("unknown engine %q", engine)
	}
	db, err := Open(dsn, clock)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db
}

// Reopen opens a second DB on the same database as db (the same SQLite file,
// or the same PostgreSQL schema), as a second app instance would, with the
// same clock, and closes it when the test ends. A ":memory:" database cannot
// be reopened: the copy would be a new, empty one.
func (db *DB) Reopen(tb testing.TB) *DB {
	tb.Helper()
	other, err := Open(db.DSN, db.Clock)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { other.Close() })
	return other
}

// ForEachEngine runs f as a subtest on each test engine with a fresh database.
func ForEachEngine(t *testing.T, f func(t *testing.T, db *DB)) {
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			f(t, MustOpenTestDB(t, engine, nil))
		})
	}
}

// AsActor returns a context carrying the actor.
func AsActor(a tether.Actor) context.Context {
	return tether.NewContextWithActor(context.Background(), a)
}

// Caseworker is an actor for tests and demos that may write people.
var Caseworker = tether.Actor{UserID: 0, Role: tether.RoleCaseworker, Label: "test:caseworker", PersonalData: true}
