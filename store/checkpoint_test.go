package store

import (
	"context"
	"errors"
	"os"
	"strconv"
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
	var auto int
	if err := db.write.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil {
		t.Fatal(err)
	}
	if auto != 0 {
		t.Fatalf("the writer checkpoints every %d pages: want 0", auto)
	}
	before := db.ckpt.runs.Load()
	// 20,000 commits of one or more pages each: without checkpoints, a
	// log of more than 100 MB. The writer learns the log's length from
	// the goroutine, a checkpoint late, so the log passes walMaxFrames
	// by what is written meanwhile: some 12,000 pages at most in 60,000
	// commits one after another, on an idle machine.
	auditCommits(t, db, 20000)
	wal, err := os.Stat(walPath(t, db))
	if err != nil {
		t.Fatal(err)
	}
	if limit := int64(4*walMaxFrames) * 4120; wal.Size() > limit {
		t.Errorf("log of %d bytes after 20,000 commits: want at most %d", wal.Size(), limit)
	} else {
		t.Logf("log of %d bytes after 20,000 commits", wal.Size())
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

// Past walMaxFrames, the commit that finds the log too long checkpoints
// it itself, before the next writer, and all of it is copied.
func TestTheWriterCheckpointsALongLog(t *testing.T) {
	db := MustOpenTestDB(t, SQLite, nil)
	auditCommits(t, db, 10)
	// Let the goroutine be idle, then say the log is long.
	time.Sleep(3 * walCheckpointPause)
	db.ckpt.frames.Store(walMaxFrames + 1)
	before := db.ckpt.runs.Load()
	auditCommits(t, db, 1)
	if got := db.ckpt.runs.Load(); got != before+1 {
		t.Fatalf("checkpoints by the commit: %d, want 1", got-before)
	}
	if f := db.ckpt.frames.Load(); f != 0 {
		t.Fatalf("log left after the writer's checkpoint: %d frames, want 0 (all copied)", f)
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
