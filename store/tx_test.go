package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"
)

// A transaction whose context ends midway is rolled back by the rollback
// its caller defers, and gives the one writer back: the next transaction
// begins at once and sees nothing of the first. Ending a transaction
// twice is no fault, and a commit after the end is refused.
func TestTransactionEnds(t *testing.T) {
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			db := MustOpenTestDB(t, engine, nil)
			ctx, cancel := context.WithCancel(AsActor(Caseworker))
			tx, err := db.BeginTx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, "test-1", "now"); err != nil {
				t.Fatal(err)
			}
			cancel()
			if _, err := tx.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, "test-2", "now"); err == nil {
				t.Fatal("a statement ran in a transaction whose context ended")
			}
			tx.rollback()
			tx.rollback()
			if err := tx.Commit(); err == nil {
				t.Fatal("commit after rollback: no error")
			}

			done := make(chan error, 1)
			go func() {
				tx, err := db.BeginTx(AsActor(Caseworker))
				if err != nil {
					done <- err
					return
				}
				defer tx.rollback()
				var n int
				if err := tx.QueryRow(`SELECT COUNT(*) FROM schema_migrations WHERE version LIKE 'test-%'`).Scan(&n); err != nil {
					done <- err
					return
				}
				if n != 0 {
					done <- errors.New("the rolled-back insert is there")
					return
				}
				done <- tx.Commit()
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the writer was not given back")
			}

			tx, err = db.BeginTx(AsActor(Caseworker))
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); !errors.Is(err, sql.ErrTxDone) {
				t.Fatalf("second commit: %v, want sql.ErrTxDone", err)
			}
			tx.rollback() // after commit: nothing
		})
	}
}
