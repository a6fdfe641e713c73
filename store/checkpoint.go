package store

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
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
// pause, a checkpoint beside them never catches the end. So the writer
// keeps the log's file at walMaxBytes (journal_size_limit: the first
// commit after a restart cuts the file back to it), and a commit that
// finds the file longer checkpoints on the writer's connection, holding
// the next writer off until the copy is done (what SQLite does at every
// checkpoint): the next write restarts the log. The log stays within
// walMaxBytes and one commit's pages, however long the writes last. A
// reader holding an old snapshot stops any checkpoint at its snapshot,
// as it would stop SQLite's own. A bulk import, which checkpoints in its
// own way, holds the goroutine off while it runs.

const (
	// walMaxBytes is the length of log past which the writer checkpoints
	// itself: some 16,000 pages of 4 KB.
	walMaxBytes = 64 << 20
	// walCheckpointPause is the least time between two checkpoints of
	// the goroutine: a page written again within it is copied once.
	walCheckpointPause = 100 * time.Millisecond
)

// walSizeLimit is the writer connections' PRAGMA for walMaxBytes.
var walSizeLimit = `PRAGMA journal_size_limit = ` + strconv.Itoa(walMaxBytes)

// checkpointer checkpoints a SQLite database in WAL mode beside its writer.
type checkpointer struct {
	db   *sql.DB // a pool of one connection, not the writer's
	wal  string  // the log's file
	kick chan struct{}
	stop chan struct{}
	done chan struct{}
	// held counts the bulk imports that hold the goroutine off.
	held atomic.Int32
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
	var seq int
	var name, file string
	if err := db.write.QueryRowContext(ctx, `PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
		return err
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
	c := &checkpointer{db: cdb, wal: file + "-wal", kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
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
		if c.held.Load() == 0 {
			c.checkpoint(c.db)
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

// checkpoint runs a passive checkpoint on a connection of pool. One that
// fails, or finds another running, leaves the pages to the next.
func (c *checkpointer) checkpoint(pool *sql.DB) {
	var busy, frames, copied int64
	if err := pool.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err == nil {
		c.runs.Add(1)
	}
}

// walFrameHeader is the bytes of the log's header of each page.
const walFrameHeader = 24

// logBytes is the length of the log's file (0 when there is none): the
// log's length, or more, since the first commit after a restart cuts the
// file back to walMaxBytes.
func (c *checkpointer) logBytes() int64 {
	fi, err := os.Stat(c.wal)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// committed is called after each commit of the writer: it checkpoints on
// the writer's connection when the log's file has grown past walMaxBytes,
// or else asks the goroutine for a checkpoint.
func (c *checkpointer) committed(write *sql.DB) {
	if c.logBytes() > walMaxBytes {
		c.checkpoint(write)
		return
	}
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// hold keeps the goroutine from checkpointing until the function it
// returns is called.
func (c *checkpointer) hold() func() {
	c.held.Add(1)
	var once sync.Once
	return func() { once.Do(func() { c.held.Add(-1) }) }
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
