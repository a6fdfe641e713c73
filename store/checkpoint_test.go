package store

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
)

// auditCommits commits n transactions of one audit entry each: a few
// pages of log each.
func auditCommits(t *testing.T, db *DB, n int) {
	t.Helper()
	for i := range n {
		tx, err := db.BeginTx(AsActor(Caseworker))
		if err != nil {
			t.Fatal(err)
		}
		tx.Audit("test.commit", "test", int64(i), "n="+strconv.Itoa(i))
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
}

// The writer does not checkpoint; the goroutine beside it does, and the
// log stays short however many commits come one after another.
func TestCheckpointsBesideTheWriter(t *testing.T) {
	db := MustOpenTestDB(t, SQLite, nil)
	if db.ckpt == nil {
		t.Fatal("no checkpointer on a SQLite file")
	}
	var auto, limit int64
	if err := db.write.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil {
		t.Fatal(err)
	}
	if err := db.write.QueryRow(`PRAGMA journal_size_limit`).Scan(&limit); err != nil {
		t.Fatal(err)
	}
	if auto != 0 || limit != walMaxBytes {
		t.Fatalf("the writer checkpoints every %d pages, keeps the log to %d bytes: want 0 and %d", auto, limit, walMaxBytes)
	}
	before := db.ckpt.runs.Load()
	// 20,000 commits of one or more pages each: without checkpoints, a
	// log of more than 100 MB.
	auditCommits(t, db, 20000)
	wal, err := os.Stat(walPath(t, db))
	if err != nil {
		t.Fatal(err)
	}
	// The log's file, at most walMaxBytes and a commit's pages.
	if wal.Size() > walMaxBytes+64<<10 {
		t.Errorf("log of %d bytes after 20,000 commits: want at most %d", wal.Size(), walMaxBytes)
	}
	deadline := time.Now().Add(5 * time.Second)
	for db.ckpt.runs.Load() == before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if db.ckpt.runs.Load() == before {
		t.Fatal("no checkpoint after 20,000 commits")
	}
	if r, err := db.VerifyAudit(AsActor(tether.Actor{Role: tether.RoleAdmin, Label: "test:admin"})); err != nil || !r.OK || r.Entries < 20000 {
		t.Fatalf("audit after checkpoints: %+v, %v", r, err)
	}
}

// With the goroutine held off (as a bulk import does), the log grows
// until the commit that finds it past walMaxBytes checkpoints it, and the
// next commit cuts its file back.
func TestTheWriterCheckpointsALongLog(t *testing.T) {
	db := MustOpenTestDB(t, SQLite, nil)
	release := db.ckpt.hold()
	defer release()
	before := db.ckpt.runs.Load()
	wal := walPath(t, db)
	size := func() int64 {
		fi, err := os.Stat(wal)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	// Big commits, some 2 MB each.
	big := strings.Repeat("x", 2<<20)
	for i := 0; size() <= walMaxBytes; i++ {
		if i == 100 {
			t.Fatalf("the log does not grow: %d bytes", size())
		}
		tx, err := db.BeginTx(AsActor(Caseworker))
		if err != nil {
			t.Fatal(err)
		}
		tx.Audit("test.commit", "test", int64(i), big)
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if got := db.ckpt.runs.Load() - before; got != 1 {
		t.Fatalf("checkpoints by the commit past the limit: %d, want 1", got)
	}
	auditCommits(t, db, 1)
	if s := size(); s > walMaxBytes {
		t.Fatalf("log of %d bytes after the checkpoint and a commit: want at most %d", s, walMaxBytes)
	}
	if got := db.ckpt.runs.Load() - before; got != 1 {
		t.Fatalf("checkpoints: %d, want 1", got)
	}
}

// Close stops the goroutine; a database closed twice is no fault.
func TestCheckpointerStopsOnClose(t *testing.T) {
	db, err := Open(t.TempDir()+"/c.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := db.ckpt
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
	case <-time.After(2 * time.Second):
		t.Fatal("the checkpointer still runs after Close")
	}
	if err := c.close(); err != nil {
		t.Fatal(err)
	}
	// In memory there is no log and no checkpointer.
	mem, err := Open(":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if mem.ckpt != nil {
		t.Fatal("a checkpointer on a memory database")
	}
}

// walPath is the write-ahead log's file of a SQLite test database.
func walPath(t *testing.T, db *DB) string {
	t.Helper()
	var seq int
	var name, file string
	if err := db.read.QueryRow(`PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	if file == "" {
		t.Fatal(errors.New("no database file"))
	}
	return file + "-wal"
}
