package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"tether"
)

// A bulk import into SQLite differs from one ImportPeople per batch in
// these ways, each measured on a million people (BenchmarkImport and
// tether bench import):
//
//   - It holds one transaction across batches, committing every
//     bulkTxPeople people: each commit writes every page the transaction
//     changed, and the unique index on references and the search keys take
//     people in no particular order, so fewer, larger commits write less.
//   - It gives each person an id before storing them (it is the only
//     writer while its transaction is open), so that every value to store
//     (search keys, contact points, the people's rows) is worked out on
//     another core, a chunk of people ahead of SQLite.
//   - It writes through the driver's own connection, with many rows per
//     statement, rather than through database/sql, whose copying and
//     conversion of every value took as long as a third of SQLite's work.
//   - Foreign keys are checked by the import itself (the organisations and
//     replaced contact points named; every other reference is to a person
//     it has just stored), rather than by a look-up per row.
//   - When the import is large beside what is stored, it drops the indexes
//     whose keys come in no particular order (bulkHeldIndexes) and builds
//     them again in one sorted pass at the end. Which indexes it dropped is
//     recorded, in the transaction that drops them, in import_held_indexes,
//     so that if the import is killed, Migrate (which every command runs
//     first) builds them again.
//
// References stay unique throughout (that index is never dropped), so a
// second run of the same file adds nothing, and each batch is stored whole
// or not at all.

// bulkHeldIndexes are the indexes a large bulk import drops while it loads.
// Keeping them costs a page read and written at random per person each;
// building them at the end costs one sort. The unique index on references
// and the search keys' primary key stay: they keep an import safe to run
// twice, and search working.
var bulkHeldIndexes = []string{"people_dob", "contact_points_postcode"}

// Bulk import tuning.
const (
	// bulkTxPeople is how many people one transaction of a bulk import
	// stores before it commits. Another writer waits at most for one
	// such transaction (two seconds or so), well within the busy timeout.
	bulkTxPeople = 100000
	// bulkChunk is how many people the preparing goroutine hands to the
	// writer at a time: a multiple of bulkStmtRows.
	bulkChunk = 1000
	// bulkStmtRows is how many rows one INSERT statement of people,
	// contact points or audit entries holds; search keys, which are
	// narrow, go bulkKeyRows at a time.
	bulkStmtRows = 200
	bulkKeyRows  = 1000
	// bulkHoldMin is the smallest import for which the held indexes are
	// dropped, and bulkHoldRatio how large it must be beside what is
	// stored: building an index again costs a sort of the whole table.
	bulkHoldMin   = 20000
	bulkHoldRatio = 4
	// bulkWALBytes is how long the write-ahead log may grow before a
	// commit waits for the checkpoint that lets it start again.
	bulkWALBytes = 512 << 20
	// bulkSortThreads are the threads SQLite may use to sort when it
	// builds the held indexes again.
	bulkSortThreads = 2
	// bulkSortCacheKiB is the connection's page cache while it builds
	// the held indexes again. SQLite sorts in runs of up to the cache's
	// size, one for each thread and one more for the merge: with the
	// usual cache (32 MB), 128 MB more memory for the last seconds of an
	// import of two million people or more. 4 MB runs sort as fast
	// (measured on two million people: 16 MB at most, and no slower).
	bulkSortCacheKiB = 4096
	// bulkCacheKiB is the write connection's page cache during an
	// import: the readers' 32 MB, not the writer's usual 8 MB (see
	// sqliteWriter), for the indexes kept live.
	bulkCacheKiB = 32768
)

// BulkImport is a long import of many batches of people. On SQLite it is
// the fast path described above, and holds the database's one write
// connection until Close; on PostgreSQL each batch is one ImportPeople. It
// is a tether.Importer whose batches are stored one after another (calls
// wait for each other). Close must be called, also after an error: it
// commits what was stored, builds the held indexes again and lets the
// connection go.
type BulkImport struct {
	db    *DB
	ctx   context.Context // for the database: not cancelled mid-commit
	actor tether.Actor
	mu    sync.Mutex

	conn *sql.Conn // SQLite: the write connection
	// held are the indexes dropped for this import.
	held []string

	// ckpt asks the checkpointing goroutine to copy what is committed
	// into the database file, and, with a channel, to say when it has;
	// ckptDone gives its error when it stops. maxFrames is how long the
	// import lets the log grow, in pages of pageSize bytes. autockpt is
	// SQLite's own checkpoint setting, to restore at Close.
	ckpt      chan chan struct{}
	ckptDone  chan error
	maxFrames int64
	pageSize  int64
	autockpt  string
	// cache and tempStore are the connection's page cache and temporary
	// files settings, to restore at Close.
	cache, tempStore string
	// release lets the database's checkpointer go on (checkpoint.go).
	release func()

	inTx     bool
	txPeople int
	txMax    int // bulkTxPeople, but for tests
	now      time.Time
	// nextID is the id the next person will get; seq and hash are the
	// audit chain's head: all as of the open transaction.
	nextID int64
	seq    int64
	hash   string
	ins    bulkInserts
	free   chan *bulkPrepared // chunks' memory, for the next
	keyBuf []nameKey          // a batch's search keys' memory, for the next
	prep   *bulkPrep          // the preparing goroutine's caches
	stats  BulkStats
	closed bool
	// wrap, set by tests only, wraps the driver's connection.
	wrap func(rawDriverConn) rawDriverConn
}

// BulkStats says what a bulk import did beyond storing people.
type BulkStats struct {
	// Held are the indexes dropped while it loaded; Rebuild is how long
	// building them again took.
	Held    []string
	Rebuild time.Duration
	// Commits counts the transactions committed.
	Commits int
}

// Compile-time check that *BulkImport is a tether.Importer.
var _ tether.Importer = (*BulkImport)(nil)

// BulkImport starts a bulk import for the actor in ctx of about expected
// people (0 when not known). EFORBIDDEN, EUNAUTHORIZED.
func (db *DB) BulkImport(ctx context.Context, expected int) (*BulkImport, error) {
	a, err := writeActor(ctx)
	if err != nil {
		return nil, err
	}
	b := &BulkImport{db: db, ctx: context.WithoutCancel(ctx), actor: a, free: make(chan *bulkPrepared, 4), txMax: bulkTxPeople}
	if db.Dialect != SQLite {
		return b, nil
	}
	if b.conn, err = db.write.Conn(ctx); err != nil {
		return nil, fmt.Errorf("bulk import: %w", err)
	}
	if err := b.setUp(ctx, expected); err != nil {
		b.Close()
		return nil, fmt.Errorf("bulk import: %w", err)
	}
	return b, nil
}

func (b *BulkImport) setUp(ctx context.Context, expected int) error {
	// Checked by the import itself; off for the connection, so outside a
	// transaction, until Close.
	if _, err := b.conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	var err error
	if b.cache, err = swapPragma(ctx, b.conn, "cache_size", "-"+strconv.Itoa(bulkCacheKiB)); err != nil {
		return err
	}
	// Temporary files on disk, not in memory as the writer has them (see
	// sqliteWriter): a batch's savepoint journal and the sorts that
	// rebuild the held indexes grow with the import.
	if b.tempStore, err = swapPragma(ctx, b.conn, "temp_store", "FILE"); err != nil {
		return err
	}
	if expected < bulkHoldMin {
		return nil
	}
	if b.db.ckpt != nil {
		// The import checkpoints in its own way (startCheckpoints).
		b.release = b.db.ckpt.hold()
	}
	if err := b.startCheckpoints(ctx); err != nil {
		return err
	}
	var stored int64
	if err := b.conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM people`).Scan(&stored); err != nil {
		return err
	}
	if int64(expected)*bulkHoldRatio >= stored {
		var err error
		if b.held, err = holdIndexes(ctx, b.conn, bulkHeldIndexes); err != nil {
			return err
		}
		b.stats.Held = b.held
	}
	return nil
}

// startCheckpoints moves the copying of the write-ahead log into the
// database file, which SQLite does in the committing thread, to a
// goroutine with a connection of its own, so that it runs beside the
// writer. Each commit asks for a checkpoint; a passive one never blocks
// the writer, and the log's pages already copied are not looked up again.
// Nothing to do unless the database is in WAL mode.
func (b *BulkImport) startCheckpoints(ctx context.Context) error {
	var mode string
	if err := b.conn.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		return nil
	}
	// The read pool's connections may checkpoint: that is not a change
	// to the data.
	c, err := b.db.read.Conn(ctx)
	if err != nil {
		return err
	}
	if err := b.conn.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&b.pageSize); err != nil {
		c.Close()
		return err
	}
	b.pageSize = max(b.pageSize, 512)
	b.maxFrames = bulkWALBytes / b.pageSize
	if b.autockpt, err = swapPragma(ctx, b.conn, "wal_autocheckpoint", "0"); err != nil {
		c.Close()
		return err
	}
	b.ckpt, b.ckptDone = make(chan chan struct{}, 1), make(chan error, 1)
	go func() {
		var err error
		for reply := range b.ckpt {
			var busy, frames, copied int64
			if e := c.QueryRowContext(b.ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); e != nil && err == nil {
				err = e
			}
			if reply != nil {
				close(reply)
			}
		}
		if e := c.Close(); err == nil {
			err = e
		}
		b.ckptDone <- err
	}()
	return nil
}

// stopCheckpoints stops the checkpointing goroutine and gives SQLite its
// own checkpoints back; the next commit (the held indexes' own) copies
// what is left.
func (b *BulkImport) stopCheckpoints() error {
	if b.ckpt == nil {
		return nil
	}
	close(b.ckpt)
	err := <-b.ckptDone
	b.ckpt = nil
	if _, e := b.conn.ExecContext(b.ctx, `PRAGMA wal_autocheckpoint = `+b.autockpt); err == nil {
		err = e
	}
	return err
}

// Stats says what the import did beyond storing people; complete after
// Close.
func (b *BulkImport) Stats() BulkStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stats
}

// ImportPeople stores a batch as DB.ImportPeople does: the same checks,
// defaults, search keys, working channels and audit entries, with
// references already stored, or repeated, skipped. On SQLite the batch is
// stored whole or not at all within the import's transaction, which
// commits every bulkTxPeople people and at Close. The ctx's actor must be
// the import's.
func (b *BulkImport) ImportPeople(ctx context.Context, batch []tether.PersonImport) (tether.ImportResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return tether.ImportResult{}, errors.New("import people: the bulk import is closed")
	}
	if b.db.Dialect != SQLite {
		return b.db.ImportPeople(ctx, batch)
	}
	a, err := writeActor(ctx)
	if err != nil {
		return tether.ImportResult{}, err
	}
	if a != b.actor {
		return tether.ImportResult{}, errors.New("import people: another actor's bulk import")
	}
	if err := checkImportBatch(batch); err != nil {
		return tether.ImportResult{}, err
	}
	if len(batch) == 0 {
		return tether.ImportResult{}, nil
	}
	if err := ctx.Err(); err != nil {
		return tether.ImportResult{}, err
	}
	var res tether.ImportResult
	err = b.conn.Raw(func(dc any) error {
		r, err := newRawConn(b.ctx, dc, b.wrap)
		if err != nil {
			return err
		}
		res, err = b.importBatch(ctx, r, batch)
		return err
	})
	if err != nil {
		if tether.ErrorCode(err) == tether.EINVALID {
			return tether.ImportResult{}, err
		}
		return tether.ImportResult{}, fmt.Errorf("import people: %w", err)
	}
	return res, nil
}

// importBatch stores a batch within a savepoint of the open transaction,
// and commits when the transaction holds enough people.
func (b *BulkImport) importBatch(ctx context.Context, r *rawConn, batch []tether.PersonImport) (tether.ImportResult, error) {
	if err := b.begin(r); err != nil {
		return tether.ImportResult{}, err
	}
	seq, hash := b.seq, b.hash
	if err := r.exec(`SAVEPOINT import_batch`); err != nil {
		return tether.ImportResult{}, err
	}
	res, err := b.store(ctx, r, batch)
	if err == nil {
		err = r.exec(`RELEASE import_batch`)
	}
	if err != nil {
		// Nothing of the batch stays; the transaction goes on.
		b.seq, b.hash = seq, hash
		b.ins.reset()
		for i := range batch {
			batch[i].Person.ID = 0
		}
		if rerr := r.exec(`ROLLBACK TO import_batch`); rerr != nil {
			b.abort(r)
		} else if rerr := r.exec(`RELEASE import_batch`); rerr != nil {
			b.abort(r)
		}
		return tether.ImportResult{}, err
	}
	b.txPeople += res.Created
	if b.txPeople >= b.txMax {
		if err := b.commit(r); err != nil {
			return tether.ImportResult{}, err
		}
	}
	return res, nil
}

// Close commits what is stored, builds the held indexes again, puts the
// connection's settings back and lets it go. It is safe to call more than
// once.
func (b *BulkImport) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || b.conn == nil {
		b.closed = true
		return nil
	}
	b.closed = true
	var err error
	keep := func(e error) {
		if err == nil && e != nil {
			err = fmt.Errorf("bulk import: %w", e)
		}
	}
	if b.inTx {
		keep(b.conn.Raw(func(dc any) error {
			r, err := newRawConn(b.ctx, dc, b.wrap)
			if err != nil {
				return err
			}
			return b.commit(r)
		}))
	}
	if len(b.held) > 0 {
		// While the last transaction is copied into the database file.
		start := time.Now()
		keep(restoreHeldIndexes(b.ctx, b.conn))
		b.stats.Rebuild = time.Since(start)
		b.checkpoint()
	}
	keep(b.stopCheckpoints())
	if b.release != nil {
		b.release()
	}
	if b.cache != "" {
		_, e := b.conn.ExecContext(b.ctx, `PRAGMA cache_size = `+b.cache)
		keep(e)
	}
	if b.tempStore != "" {
		_, e := b.conn.ExecContext(b.ctx, `PRAGMA temp_store = `+b.tempStore)
		keep(e)
	}
	_, e := b.conn.ExecContext(b.ctx, `PRAGMA foreign_keys = ON`)
	if e != nil {
		// The connection must not go back to the pool without them.
		b.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	keep(e)
	keep(b.conn.Close())
	return err
}

// begin opens the import's transaction, if it has none, reading the next
// id and the audit chain's head.
func (b *BulkImport) begin(r *rawConn) error {
	if b.inTx {
		return nil
	}
	if err := r.exec(`BEGIN IMMEDIATE`); err != nil {
		return err
	}
	b.inTx, b.txPeople = true, 0
	b.now = b.db.Clock.Now().UTC().Truncate(time.Microsecond)
	row, err := r.row(`SELECT COALESCE(MAX(id), 0) + 1 FROM people`)
	if err != nil {
		b.abort(r)
		return err
	}
	b.nextID = row[0].(int64)
	if row, err = r.row(`SELECT seq, hash FROM audit_head WHERE id = 1`); err != nil {
		b.abort(r)
		return fmt.Errorf("audit head: %w", err)
	}
	b.seq, b.hash = row[0].(int64), asString(row[1])
	b.ins.init(r)
	return nil
}

// commit moves the audit head and commits the open transaction.
func (b *BulkImport) commit(r *rawConn) error {
	b.ins.close()
	if err := r.exec(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, b.seq, b.hash); err != nil {
		b.abort(r)
		return fmt.Errorf("audit head: %w", err)
	}
	if err := r.exec(`COMMIT`); err != nil {
		b.abort(r)
		return err
	}
	b.inTx = false
	b.stats.Commits++
	b.checkpoint()
	return nil
}

// checkpoint asks for a checkpoint, if the import makes its own. Once
// the log has grown past maxFrames, it waits for one to copy all that is
// committed, so that the next transaction writes the log from its start
// again: the log's length stays bounded, whatever the file's. The log's
// length is its file's, as the database's checkpointer reads it (the
// first commit after a restart cuts the file back), not the last
// checkpoint's count, which lags behind the commits.
func (b *BulkImport) checkpoint() {
	if b.ckpt == nil {
		return
	}
	if b.db.ckpt == nil || b.db.ckpt.logBytes() < b.maxFrames*(b.pageSize+walFrameHeader) {
		select {
		case b.ckpt <- nil:
		default: // one is due already
		}
		return
	}
	reply := make(chan struct{})
	b.ckpt <- reply
	<-reply
}

// abort rolls back the open transaction, after a failure that left it in
// no known state.
func (b *BulkImport) abort(r *rawConn) {
	b.ins.close()
	if b.inTx {
		_ = r.exec(`ROLLBACK`)
		b.inTx = false
	}
}

// bulkPrepared is a chunk of people with every value the writer stores,
// worked out by the preparing goroutine.
type bulkPrepared struct {
	rows  []*tether.PersonImport
	first int64 // the id of rows[0]; the others follow in order
	// people, points, keys: rows of values in the order of the INSERTs'
	// columns; the first value of a point and the second of a key is the
	// person's id.
	people, points, keys []any
	// orgs and replaces are the organisations and contact points named.
	orgs, replaces []int64
	// audit holds the audit entries' values were every person stored,
	// chained from seq and hash to seqAfter and hashAfter.
	audit           []any
	seq, seqAfter   int64
	hash, hashAfter string
	sorted          []nameKey
	// keysOnly marks the last chunk of a batch, which holds only the
	// search keys of the batch, in keys.
	keysOnly bool
	err      error
}

type nameKey struct {
	key string
	id  int64
}

// store stores a batch in the open transaction: a goroutine works out the
// values of each chunk of people while this one writes the chunk before.
func (b *BulkImport) store(ctx context.Context, r *rawConn, batch []tether.PersonImport) (tether.ImportResult, error) {
	var res tether.ImportResult
	now, actor := b.now, b.actor.String()
	first := b.nextID
	b.nextID += int64(len(batch))

	chunks := make(chan *bulkPrepared, 2)
	done := make(chan struct{})
	defer func() {
		close(done)
		for c := range chunks { // let the preparing goroutine finish
			b.recycle(c)
		}
	}()
	entry := tether.AuditEntry{At: now, Actor: actor, Action: "person.import", Entity: "person"}
	go func(seq int64, hash string) {
		defer close(chunks)
		// In order of reference: the unique index on references takes
		// them far faster in order than as they come (a third of the time
		// for batches of 10,000). A repeat stays after the first.
		sorted := make([]*tether.PersonImport, len(batch))
		for i := range batch {
			sorted[i] = &batch[i]
		}
		slices.SortStableFunc(sorted, func(x, y *tether.PersonImport) int { return strings.Compare(x.Person.Ref, y.Person.Ref) })
		if b.prep == nil {
			b.prep = &bulkPrep{ta: &timeValues{db: b.db}, needs: needsCache{}}
		}
		seal := newAuditSealer(entry, b.db)
		keys := b.keyBuf[:0]
		defer func() { b.keyBuf = keys[:0] }()
		send := func(c *bulkPrepared) bool {
			ok := c.err == nil // c is the writer's once sent
			select {
			case chunks <- c:
				return ok
			case <-done:
				return false
			}
		}
		chunk := func() *bulkPrepared {
			select {
			case c := <-b.free:
				return c
			default:
				return &bulkPrepared{}
			}
		}
		// The first chunk is small, so that the writer starts soon.
		for lo, n := 0, bulkStmtRows; lo < len(sorted); lo, n = lo+n, bulkChunk {
			c := chunk()
			c.prepare(sorted[lo:min(lo+n, len(sorted))], first+int64(lo), now, actor, b.prep)
			keys = append(keys, c.sorted...)
			c.sealAll(seal, seq, hash)
			seq, hash = c.seqAfter, c.hashAfter
			if c.err == nil {
				c.err = ctx.Err()
			}
			if !send(c) {
				return
			}
		}
		c := chunk()
		c.prepareKeys(keys)
		send(c)
	}(b.seq, b.hash)

	var seal *auditSealer      // for chunks whose audit entries were not all stored
	var missing map[int64]bool // the ids of people skipped
	for c := range chunks {
		if c.err != nil {
			return res, c.err
		}
		if c.keysOnly {
			if len(missing) > 0 {
				c.keys = dropRows(c.keys, 2, 1, missing)
			}
			if err := b.ins.keys.add(c.keys); err != nil {
				return res, fmt.Errorf("name keys: %w", err)
			}
			b.recycle(c)
			continue
		}
		if err := b.ins.references(c); err != nil {
			return res, err
		}
		created, err := b.ins.people(c, &missing)
		if err != nil {
			return res, err
		}
		res.Created += created
		res.Skipped += len(c.rows) - created
		if err := b.ins.points.add(c.points); err != nil {
			return res, fmt.Errorf("contact points: %w", err)
		}
		if created == len(c.rows) && c.seq == b.seq && c.hash == b.hash {
			if err := b.ins.audit.add(c.audit); err != nil {
				return res, fmt.Errorf("audit append: %w", err)
			}
			b.seq, b.hash = c.seqAfter, c.hashAfter
		} else {
			if seal == nil {
				seal = newAuditSealer(entry, b.db)
			}
			for i := range c.rows {
				if id := c.rows[i].Person.ID; id != 0 {
					b.seq++
					b.hash = seal.seal(b.seq, id, b.hash)
					if err := b.ins.audit.add(seal.args); err != nil {
						return res, fmt.Errorf("audit append: %w", err)
					}
				}
			}
		}
		b.recycle(c)
	}
	if err := b.ins.flush(); err != nil {
		return res, err
	}
	return res, nil
}

// recycle keeps a chunk's memory for the next.
func (b *BulkImport) recycle(c *bulkPrepared) {
	clear(c.people)
	clear(c.points)
	clear(c.keys)
	clear(c.audit)
	c.rows, c.err = nil, nil
	select {
	case b.free <- c:
	default:
	}
}

// prepare fills in the defaults of a chunk of people, with ids from first,
// and works out every value to store.
func (c *bulkPrepared) prepare(rows []*tether.PersonImport, first int64, now time.Time, actor string, w *bulkPrep) {
	c.rows, c.first, c.err, c.keysOnly = rows, first, nil, false
	c.people, c.points, c.keys = c.people[:0], c.points[:0], c.keys[:0]
	c.orgs, c.replaces, c.sorted = c.orgs[:0], c.replaces[:0], c.sorted[:0]
	for i, row := range rows {
		id := first + int64(i)
		importDefaults(row, now, actor)
		p := row.Person
		var err error
		if c.people, err = appendBulkPerson(c.people, id, p, w.needs, &w.boxes, w.ta); err != nil {
			c.err = err
			return
		}
		if r := p.Representative; r != nil && r.OrganisationID != nil {
			c.orgs = append(c.orgs, *r.OrganisationID)
		}
		for _, cp := range row.ContactPoints {
			if c.points, err = appendBulkContact(c.points, id, cp, &w.boxes, w.ta); err != nil {
				c.err = err
				return
			}
			if cp.Replaces != nil {
				c.replaces = append(c.replaces, *cp.Replaces)
			}
		}
		c.sorted = w.keys.appendNameKeys(c.sorted, id, p)
	}
}

// bulkPrep is what the preparing goroutine keeps from batch to batch.
type bulkPrep struct {
	ta    *timeValues
	keys  keyCache
	needs needsCache
	boxes rowBoxes
}

// prepareKeys makes the last chunk of a batch: its people's search keys,
// in key order, so that each statement's keys land on few pages (over a
// batch rather than a chunk: half the time).
func (c *bulkPrepared) prepareKeys(keys []nameKey) {
	c.rows, c.err, c.keysOnly = nil, nil, true
	c.people, c.points, c.keys, c.audit = c.people[:0], c.points[:0], c.keys[:0], c.audit[:0]
	c.orgs, c.replaces, c.sorted = c.orgs[:0], c.replaces[:0], c.sorted[:0]
	slices.SortFunc(keys, func(a, b nameKey) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
	for _, k := range keys {
		c.keys = append(c.keys, k.key, k.id)
	}
}

// sealAll works out the audit entries of the chunk's people, were they
// all stored, chained from seq and hash.
func (c *bulkPrepared) sealAll(seal *auditSealer, seq int64, hash string) {
	c.seq, c.hash = seq, hash
	c.audit = c.audit[:0]
	for i := range c.rows {
		seq++
		hash = seal.seal(seq, c.first+int64(i), hash)
		c.audit = append(c.audit, seal.args...)
	}
	c.seqAfter, c.hashAfter = seq, hash
}

// bulkPersonCols is how many values one person's row holds: the id and
// what importPersonCols counts.
const bulkPersonCols = 1 + importPersonCols

// bulkInserts are the INSERTs of a bulk import's transaction.
type bulkInserts struct {
	r                           *rawConn
	person, points, keys, audit bulkTable
	changed                     *rawStmt // SELECT changes()
}

func (s *bulkInserts) init(r *rawConn) {
	s.r = r
	s.person = bulkTable{r: r, cols: bulkPersonCols, per: bulkStmtRows,
		head: `INSERT INTO people (id, ref, ` + personFields + `, working_channels, version, created_at, updated_at) VALUES `,
		tail: ` ON CONFLICT (ref) DO NOTHING`}
	s.points = bulkTable{r: r, cols: contactFieldCount, per: bulkStmtRows,
		head: `INSERT INTO contact_points (` + contactFields + `) VALUES `}
	s.keys = bulkTable{r: r, cols: 2, per: bulkKeyRows,
		head: `INSERT INTO person_name_keys (key, person_id) VALUES `}
	s.audit = bulkTable{r: r, cols: 9, per: bulkStmtRows,
		head: `INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash) VALUES `}
}

func (s *bulkInserts) reset() {
	for _, t := range s.tables() {
		t.pending = t.pending[:0]
	}
}

// close closes the statements, which belong to one transaction's
// connection.
func (s *bulkInserts) close() {
	if s.changed != nil {
		s.changed.close()
		s.changed = nil
	}
	for _, t := range s.tables() {
		if t.stmt != nil {
			t.stmt.close()
			t.stmt = nil
		}
		t.pending = t.pending[:0]
	}
}

func (s *bulkInserts) tables() []*bulkTable {
	return []*bulkTable{&s.person, &s.points, &s.keys, &s.audit}
}

// flush writes every pending row: after a batch, so that a batch is whole
// within its savepoint.
func (s *bulkInserts) flush() error {
	for _, t := range []*bulkTable{&s.points, &s.keys, &s.audit} {
		if err := t.flush(); err != nil {
			return fmt.Errorf("%s: %w", strings.Fields(t.head)[2], err)
		}
	}
	return nil
}

// references checks what foreign keys would: that the organisations and
// contact points the chunk names exist. EINVALID when one does not. (The
// people the points and keys name are those the chunk stores.)
func (s *bulkInserts) references(c *bulkPrepared) error {
	if err := s.exist(`organisations`, c.orgs); err != nil {
		if errors.Is(err, errNotStored) {
			return tether.Problems{"representative.organisation_id": "no such organisation"}.Err()
		}
		return err
	}
	if err := s.exist(`contact_points`, c.replaces); err != nil {
		if errors.Is(err, errNotStored) {
			return tether.Problems{"contact_points.replaces": "no such contact point"}.Err()
		}
		return err
	}
	return nil
}

var errNotStored = errors.New("not stored")

// exist returns errNotStored unless every id is in table.
func (s *bulkInserts) exist(table string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for len(ids) > 0 {
		part := ids[:min(len(ids), 500)]
		ids = ids[len(part):]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		var count int64
		err := s.r.once(`SELECT COUNT(*) FROM `+table+` WHERE id IN (`+placeholders(len(part))+`)`, args, func(row []driver.Value) {
			count = row[0].(int64)
		})
		if err != nil {
			return err
		}
		if count != int64(len(part)) {
			return errNotStored
		}
	}
	return nil
}

// people inserts a chunk of people and returns how many it stored. A
// person whose reference is stored already, or repeated, is skipped: their
// ID is set to 0, their points are taken out of the chunk and their id is
// added to skipped (for their search keys). The others' ID and their
// points' PersonID are set.
func (s *bulkInserts) people(c *bulkPrepared, skipped *map[int64]bool) (int, error) {
	n := len(c.rows)
	var missing map[int64]bool // ids of people skipped
	t := &s.person
	for lo := 0; lo < n; lo += t.per {
		hi := min(lo+t.per, n)
		if err := t.exec(c.people[lo*t.cols : hi*t.cols]); err != nil {
			return 0, err
		}
		stored, err := s.changes()
		if err != nil {
			return 0, err
		}
		if stored == int64(hi-lo) {
			continue
		}
		// Some were skipped: the ids stored say which, as nothing else
		// writes while the transaction is open.
		from, to := c.first+int64(lo), c.first+int64(hi-1)
		got, err := s.storedIDs(from, to)
		if err != nil {
			return 0, err
		}
		if missing == nil {
			missing = map[int64]bool{}
		}
		for id := from; id <= to; id++ {
			if !got[id] {
				missing[id] = true
			}
		}
	}
	for i, row := range c.rows {
		id := c.first + int64(i)
		if missing[id] {
			id = 0
		}
		row.Person.ID = id
		for _, cp := range row.ContactPoints {
			cp.PersonID = id
		}
	}
	if len(missing) > 0 {
		c.points = dropRows(c.points, contactFieldCount, 0, missing)
		if *skipped == nil {
			*skipped = map[int64]bool{}
		}
		maps.Copy(*skipped, missing)
	}
	return n - len(missing), nil
}

// changes is how many rows the last INSERT stored.
func (s *bulkInserts) changes() (int64, error) {
	if s.changed == nil {
		var err error
		if s.changed, err = s.r.prepare(`SELECT changes()`); err != nil {
			return 0, err
		}
	}
	row, err := s.changed.row()
	if err != nil {
		return 0, err
	}
	return row[0].(int64), nil
}

// storedIDs returns which people ids from..to are stored.
func (s *bulkInserts) storedIDs(from, to int64) (map[int64]bool, error) {
	got := map[int64]bool{}
	err := s.r.query(`SELECT id FROM people WHERE id BETWEEN ? AND ?`, []any{from, to}, func(row []driver.Value) {
		got[row[0].(int64)] = true
	})
	return got, err
}

// dropRows removes from vals the rows whose value at col is one of ids.
func dropRows(vals []any, cols, col int, ids map[int64]bool) []any {
	out := vals[:0]
	for at := 0; at < len(vals); at += cols {
		if !ids[vals[at+col].(int64)] {
			out = append(out, vals[at:at+cols]...)
		}
	}
	clear(vals[len(out):])
	return out
}

// bulkTable writes rows to one table, per rows at a time through a
// statement prepared once per transaction.
type bulkTable struct {
	r          *rawConn
	head, tail string
	cols, per  int
	stmt       *rawStmt
	pending    []any
}

// add queues rows of values and writes every full statement's worth,
// straight from vals where it can.
func (t *bulkTable) add(vals []any) error {
	step := t.cols * t.per
	if len(t.pending) > 0 {
		n := min(step-len(t.pending), len(vals))
		t.pending, vals = append(t.pending, vals[:n]...), vals[n:]
		if len(t.pending) < step {
			return nil
		}
		err := t.exec(t.pending)
		clear(t.pending)
		t.pending = t.pending[:0]
		if err != nil {
			return err
		}
	}
	for len(vals) >= step {
		if err := t.exec(vals[:step]); err != nil {
			return err
		}
		vals = vals[step:]
	}
	t.pending = append(t.pending, vals...)
	return nil
}

// flush writes the rows queued.
func (t *bulkTable) flush() error {
	if len(t.pending) == 0 {
		return nil
	}
	err := t.exec(t.pending)
	clear(t.pending)
	t.pending = t.pending[:0]
	return err
}

// exec inserts the rows of vals: at most per.
func (t *bulkTable) exec(vals []any) error {
	rows := len(vals) / t.cols
	if rows != t.per {
		// Its text varies with the rows left over.
		return t.r.once(t.text(rows), vals, nil)
	}
	if t.stmt == nil {
		var err error
		if t.stmt, err = t.r.prepare(t.text(rows)); err != nil {
			return err
		}
	}
	return t.stmt.exec(vals)
}

func (t *bulkTable) text(rows int) string {
	one := "(" + placeholders(t.cols) + ")"
	var b strings.Builder
	b.Grow(len(t.head) + len(t.tail) + rows*(len(one)+2))
	b.WriteString(t.head)
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	b.WriteString(t.tail)
	return b.String()
}

// auditSealer seals audit entries that differ only in Seq and EntityID, as
// tether.AuditEntry.Seal would, without formatting the fields they share
// again for each. args holds the last entry's values for audit_log.
type auditSealer struct {
	h        hash.Hash
	mid, end []byte // the length-prefixed fields between seq and entity id, and after it
	buf      []byte
	sum      [sha256.Size]byte
	hex      [2 * sha256.Size]byte
	args     []any
	shared   [5]any // at, actor, action, entity, detail
}

func newAuditSealer(e tether.AuditEntry, db *DB) *auditSealer {
	field := func(b []byte, f string) []byte {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		return append(append(b, ':'), f...)
	}
	s := &auditSealer{h: sha256.New(), args: make([]any, 9),
		shared: [5]any{db.ts(e.At), e.Actor, e.Action, e.Entity, e.Detail}}
	for _, f := range []string{e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.Entity} {
		s.mid = field(s.mid, f)
	}
	s.end = field(s.end, e.Detail)
	return s
}

// seal returns the hash of the entry with seq and id that follows prev,
// and sets args to its values.
func (s *auditSealer) seal(seq, id int64, prev string) string {
	num := func(b []byte, n int64) []byte {
		var d [20]byte
		f := strconv.AppendInt(d[:0], n, 10)
		b = strconv.AppendInt(b, int64(len(f)), 10)
		return append(append(b, ':'), f...)
	}
	b := strconv.AppendInt(s.buf[:0], int64(len(prev)), 10)
	b = append(append(b, ':'), prev...)
	b = num(b, seq)
	b = append(b, s.mid...)
	b = num(b, id)
	b = append(b, s.end...)
	s.buf = b
	s.h.Reset()
	s.h.Write(b)
	hex.Encode(s.hex[:], s.h.Sum(s.sum[:0]))
	h := string(s.hex[:])
	s.args[0], s.args[1], s.args[2], s.args[3], s.args[4] = seq, s.shared[0], s.shared[1], s.shared[2], s.shared[3]
	s.args[5], s.args[6], s.args[7], s.args[8] = id, s.shared[4], prev, h
	return h
}

// sqlConn is a connection, or a pool, to run the index bookkeeping on.
// swapPragma sets the connection's PRAGMA name to value and returns the
// value it had, to set back.
func swapPragma(ctx context.Context, c sqlConn, name, value string) (string, error) {
	var old string
	if err := c.QueryRowContext(ctx, `PRAGMA `+name).Scan(&old); err != nil {
		return "", err
	}
	if _, err := c.ExecContext(ctx, `PRAGMA `+name+` = `+value); err != nil {
		return "", err
	}
	return old, nil
}

type sqlConn interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// heldIndexTable records the indexes a bulk import has dropped, with the
// SQL that makes them, until they are built again. It is made when first
// needed, and on SQLite only.
const heldIndexTable = `CREATE TABLE IF NOT EXISTS import_held_indexes (name TEXT PRIMARY KEY, sql TEXT NOT NULL)`

// holdIndexes drops those of names that exist, recording them in the same
// transaction, and returns them.
func holdIndexes(ctx context.Context, c sqlConn, names []string) ([]string, error) {
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, heldIndexTable); err != nil {
		return nil, err
	}
	var held []string
	for _, name := range names {
		var text string
		err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&text)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return nil, err
		}
		// A record left by an import that was killed keeps its SQL.
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_held_indexes (name, sql) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, text); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return nil, err
		}
		held = append(held, name)
	}
	return held, tx.Commit()
}

// rebuildHeldIndexes is restoreHeldIndexes for Migrate: when another
// process writes (SQLITE_BUSY after the busy timeout), that is most likely
// an import still running, which builds the indexes again itself at its
// end, so Migrate goes on without them.
func rebuildHeldIndexes(ctx context.Context, c sqlConn) error {
	err := restoreHeldIndexes(ctx, c)
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
		return nil
	}
	return err
}

// restoreHeldIndexes builds again the indexes that a bulk import dropped,
// if any: at the end of the import, or, if it was killed, when the next
// command migrates. SQLite only.
func restoreHeldIndexes(ctx context.Context, c sqlConn) error {
	var n int
	if err := c.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'import_held_indexes'`).Scan(&n); err != nil {
		return fmt.Errorf("held indexes: %w", err)
	}
	if n == 0 {
		return nil
	}
	// The sorts on bulkSortThreads threads, in small runs, and on disk,
	// not in memory (the writer keeps its temporary files in memory: see
	// sqliteWriter), on the connection of the import or of Migrate after
	// an import was stopped; its settings back afterwards.
	for _, p := range []struct{ name, value string }{
		{"threads", strconv.Itoa(bulkSortThreads)},
		{"cache_size", "-" + strconv.Itoa(bulkSortCacheKiB)},
		{"temp_store", "FILE"},
	} {
		old, err := swapPragma(ctx, c, p.name, p.value)
		if err != nil {
			return fmt.Errorf("held indexes: %w", err)
		}
		defer c.ExecContext(context.WithoutCancel(ctx), `PRAGMA `+p.name+` = `+old)
	}

	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("held indexes: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT h.name, h.sql, m.name IS NOT NULL FROM import_held_indexes h
		LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = h.name ORDER BY h.name`)
	if err != nil {
		return fmt.Errorf("held indexes: %w", err)
	}
	type held struct {
		name, sql string
		exists    bool
	}
	var all []held
	for rows.Next() {
		var h held
		if err := rows.Scan(&h.name, &h.sql, &h.exists); err != nil {
			rows.Close()
			return fmt.Errorf("held indexes: %w", err)
		}
		all = append(all, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("held indexes: %w", err)
	}
	for _, h := range all {
		if !h.exists {
			if _, err := tx.ExecContext(ctx, h.sql); err != nil {
				return fmt.Errorf("build index %s: %w", h.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM import_held_indexes WHERE name = ?`, h.name); err != nil {
			return fmt.Errorf("held indexes: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("held indexes: %w", err)
	}
	return nil
}
