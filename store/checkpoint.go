package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

// SQLite copies its write-ahead log into the database file (a checkpoint)
// in the thread that commits, once the log passes 1,000 pages: that
// commit, and every writer queued behind the one writer, waits for the
// copy and its fsync. Here the writer does not checkpoint. A goroutine
// with a connection of its own does, beside the writer, when commits ask
// for it (kick), at most once per walCheckpointPause, so that one copy
// serves many commits. A passive checkpoint never blocks the writer or
// the readers.
//
// The log restarts from its beginning only when a write transaction
// begins with every page of it copied; with writes arriving without a
// pause, a checkpoint beside them never catches the end. So when the log
// passes walMaxFrames, the commit that finds it so checkpoints on the
// writer's connection, holding the next writer off until the copy is done
// (what SQLite does at every checkpoint), and the next write restarts the
// log. The writer learns the log's length a checkpoint late, so the log
// grows past walMaxFrames by what is written meanwhile (to some 12,000
// pages, 50 MB, with small commits one after another), and no further
// however long the writes last. A reader holding an old snapshot stops any checkpoint at its
// snapshot, as it would stop SQLite's own.

const (
	// walMaxFrames is the length of log, in pages, past which the writer
	// checkpoints itself: 16 MB with 4 KB pages.
	walMaxFrames = 4000
	// walCheckpointPause is the least time between two checkpoints of
	// the goroutine: a page written again within it is copied once.
	walCheckpointPause = 100 * time.Millisecond
)

// checkpointer checkpoints a SQLite database in WAL mode beside its writer.
type checkpointer struct {
	db   *sql.DB // a pool of one connection, not the writer's
	kick chan struct{}
	stop chan struct{}
	done chan struct{}
	// frames is the log's length at the last checkpoint; 0 after the
	// writer copied all of it (the next write restarts the log).
	frames atomic.Int64
	// runs counts the checkpoints done, for tests.
	runs atomic.Int64
	once sync.Once
}

// startCheckpointer starts the goroutine, which checkpoints through a
// connection opened with dsn; the writer's connections do not checkpoint
// (sqliteWriter).
func (db *DB) startCheckpointer(dsn string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var mode string
	if err := db.write.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		return nil
	}
	cdb, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return err
	}
	cdb.SetMaxOpenConns(1)
	cdb.SetConnMaxIdleTime(0)
	cdb.SetConnMaxLifetime(0)
	if err := cdb.PingContext(ctx); err != nil {
		cdb.Close()
		return err
	}
	c := &checkpointer{db: cdb, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	db.ckpt = c
	go c.run()
	return nil
}

// run checkpoints when kicked, until stopped.
func (c *checkpointer) run() {
	defer close(c.done)
	timer := time.NewTimer(0)
	<-timer.C
	for {
		select {
		case <-c.stop:
			return
		case <-c.kick:
		}
		c.checkpoint(c.db, false)
		if c.frames.Load() > walMaxFrames/2 {
			// Behind: no pause, so that the writer learns the log's
			// length soon.
			continue
		}
		// Commits during the pause kick once, and are copied together.
		timer.Reset(walCheckpointPause)
		select {
		case <-c.stop:
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

// checkpoint runs a passive checkpoint on a connection of pool and notes
// the log's length. A checkpoint already running elsewhere (SQLITE_BUSY)
// is not an error: that one copies the pages. Beside the writer, the log
// may grow while the pages are copied, so a complete copy is not a short
// log; on the writer's connection (writer), nothing is written meanwhile
// and the next write restarts the log.
func (c *checkpointer) checkpoint(pool *sql.DB, writer bool) {
	var busy, frames, copied int64
	err := pool.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
	var serr sqlite3.Error
	if err != nil && !(errors.As(err, &serr) && serr.Code == sqlite3.ErrBusy) {
		// The writer's next commit past walMaxFrames tries again.
		return
	}
	if err == nil {
		if writer && copied >= frames {
			frames = 0
		}
		c.frames.Store(frames)
	}
	c.runs.Add(1)
}

// committed is called after each commit of the writer: it checkpoints on
// the writer's connection when the log is too long, or else asks the
// goroutine for a checkpoint.
func (c *checkpointer) committed(write *sql.DB) {
	if c.frames.Load() > walMaxFrames {
		c.checkpoint(write, true)
		return
	}
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// close stops the goroutine and closes its connection.
func (c *checkpointer) close() error {
	var err error
	c.once.Do(func() {
		close(c.stop)
		<-c.done
		err = c.db.Close()
	})
	return err
}
