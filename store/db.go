// Package store is the only place SQL lives. It implements the services of
// package tether on SQLite (the embedded default) and PostgreSQL
// (production, many app instances), with the same code and the same tests.
//
// Every method runs in one transaction that carries a fixed "now" from the
// clock and the actor from the context; audit entries are appended inside
// that transaction, so a change and its record commit together or not at all.
//
// It must never import the web, notify or jobs packages.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/mattn/go-sqlite3"

	"tether"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

//go:embed migrations
var migrations embed.FS

// DB is an open database with the services on it.
type DB struct {
	// write is the pool for transactions that write. On SQLite it has one
	// connection: SQLite has one writer, and queuing in Go is cheaper than
	// SQLITE_BUSY retries.
	write *sql.DB
	// read is the pool for read-only work; on PostgreSQL it is write.
	read    *sql.DB
	Dialect string
	DSN     string
	Clock   tether.Clock

	mu      sync.Mutex
	rebound map[string]string

	// credThrottle spaces out the hot path's writes per session and token
	// (credential.go).
	credThrottle credentialThrottles
	// tokens are the users of API tokens lately used (token_cache.go).
	tokens tokenCache

	// corr is the correspondence configuration and the holidays cache
	// (notice.go, holiday.go).
	corr correspondenceState
	// statusTh are the contact status thresholds (status.go); nil for the
	// defaults. Guarded by corr.mu.
	statusTh *tether.StatusThresholds
	// rep is the reporting configuration (reporting.go).
	rep reportingState
	// lapse is the tracing configuration (lapse.go).
	lapse lapseState
	// enq is the enquiries configuration (enquiry.go).
	enq enquiryState
	// checkIns are the check-ins waiting to be written together, on
	// SQLite (checkin_batch.go).
	checkIns checkInQueue
	// ckpt checkpoints a SQLite file's write-ahead log beside the writer
	// (checkpoint.go); nil on PostgreSQL and in memory.
	ckpt *checkpointer
}

// Open opens the database named by dsn: a postgres:// or postgresql:// URL,
// or else a SQLite file path (":memory:" for a private in-memory database).
// It does not migrate; call Migrate.
func Open(dsn string, clock tether.Clock) (*DB, error) {
	if clock == nil {
		clock = tether.SystemClock{}
	}
	db := &DB{DSN: dsn, Clock: clock, rebound: map[string]string{}}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db.Dialect = Postgres
		pool, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pool.SetMaxOpenConns(32)
		pool.SetMaxIdleConns(32)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.write, db.read = pool, pool
	} else {
		db.Dialect = SQLite
		path := dsn
		if path == "" {
			return nil, errors.New("open sqlite: no database path: set TETHER_DB")
		}
		mem := path == ":memory:"
		if mem {
			// A named shared-cache memory database, so that the read and
			// write pools see the same data.
			path = fmt.Sprintf("file:memdb%d?mode=memory&cache=shared", memSeq.Add(1))
		} else if !strings.HasPrefix(path, "file:") {
			path = "file:" + path
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		params := "_foreign_keys=on&_busy_timeout=10000&_txlock=immediate&_synchronous=NORMAL&_cache_size=-32768&_stmt_cache_size=256"
		if !mem {
			// Each connection in SQLite's multi-thread mode, without a
			// mutex of its own taken at every call into SQLite:
			// database/sql never uses a connection from two goroutines
			// at once. Memory databases share a cache, and keep theirs.
			params += "&_journal_mode=WAL&_mutex=no"
		}
		w, err := sql.Open(sqliteWriter, path+sep+params)
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxIdleTime(0)
		w.SetConnMaxLifetime(0)
		r, err := sql.Open("sqlite3", path+sep+strings.Replace(params, "_txlock=immediate", "_txlock=deferred", 1)+"&_query_only=on")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		r.SetMaxOpenConns(8)
		r.SetConnMaxIdleTime(0)
		r.SetConnMaxLifetime(0)
		db.write, db.read = w, r
		if !mem {
			if err := db.startCheckpointer(path + sep + params); err != nil {
				db.Close()
				return nil, fmt.Errorf("open sqlite: checkpoints: %w", err)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", db.Dialect, err)
	}
	return db, nil
}

var memSeq atomic.Int64

// sqliteWriter is the SQLite driver of the write pool. Its connections
// keep their temporary files in memory: the journal of each savepoint
// (each check-in of a group, checkin_batch.go), which SQLite otherwise
// writes to a file once it passes 64 KB, a fifth of a check-in's cost.
// They leave checkpoints to the checkpointer, and keep the log's file to
// walMaxBytes (checkpoint.go). And their page cache is 8 MB, not the
// readers' 32 (the DSN's, which the hook's PRAGMA follows): at each commit SQLite walks the whole page
// cache's hash table whenever a B-tree page was moved while balancing
// (SQLite parks it at the lock-byte page's number, past the end of any
// database under 1 GB), a cost that grows with the cache.
const sqliteWriter = "sqlite3-tether-writer"

func init() {
	sql.Register(sqliteWriter, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(`PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0; `+walSizeLimit+`; PRAGMA cache_size = -8192`, nil)
		return err
	}})
}

// Close closes the pools.
func (db *DB) Close() error {
	var err error
	if db.ckpt != nil {
		err = db.ckpt.close()
	}
	if db.read != nil && db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	if db.write != nil {
		if e := db.write.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks the database answers, for /readyz.
func (db *DB) Ping(ctx context.Context) error { return db.write.PingContext(ctx) }

// Migrate applies the embedded migrations not yet applied, in order, each in
// its own transaction. On PostgreSQL an advisory lock lets many instances
// start at once. It returns the versions it applied.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	dir := "migrations/" + db.Dialect
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)

	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if db.Dialect == Postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727001)`); err != nil {
			return nil, fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(727001)`)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var applied []string
	for _, name := range names {
		version := strings.TrimSuffix(name, ".sql")
		var n int
		if err := conn.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil {
			return applied, fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(migrations, dir+"/"+name)
		if err != nil {
			return applied, err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return applied, err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migrate %s: %w", version, err)
		}
		if _, err := tx.ExecContext(ctx, db.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, db.Clock.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migrate %s: %w", version, err)
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("migrate %s: %w", version, err)
		}
		applied = append(applied, version)
	}
	if db.Dialect == SQLite {
		// Indexes that a bulk import dropped and, killed, never built
		// again (import_bulk.go), through the write pool's one connection.
		conn.Close()
		if err := rebuildHeldIndexes(ctx, db.write); err != nil {
			return applied, fmt.Errorf("migrate: %w", err)
		}
	}
	return applied, nil
}

// rebind turns the ? placeholders that all our SQL uses into $1, $2... for
// PostgreSQL. SQL text here never holds a literal "?".
func (db *DB) rebind(q string) string {
	if db.Dialect != Postgres {
		return q
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if r, ok := db.rebound[q]; ok {
		return r
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	db.rebound[q] = b.String()
	return b.String()
}

// Tx is a transaction with a fixed now and the actor, collecting audit
// entries that are chained and written at commit.
type Tx struct {
	// q runs the statements: stx, or conn inside a BEGIN and COMMIT of
	// its own on SQLite (see begin).
	q     sqlRunner
	stx   *sql.Tx
	conn  *sql.Conn
	ended bool
	db    *DB
	ctx   context.Context
	now   time.Time
	actor tether.Actor
	audit []*tether.AuditEntry
	// write is whether the transaction is on the write pool.
	write bool
}

// BeginTx starts a writing transaction for the actor in ctx.
func (db *DB) BeginTx(ctx context.Context) (*Tx, error) {
	return db.begin(ctx, db.write, false)
}

// beginRead starts a read-only transaction (the read pool on SQLite).
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	return db.begin(ctx, db.read, true)
}

// On SQLite a transaction is BEGIN and COMMIT on a connection taken from
// the pool, not a *sql.Tx: database/sql starts a goroutine for every
// query in a *sql.Tx, to watch the transaction's context, and on the one
// writer those goroutines and their wake-ups were a tenth of the cost of
// a check-in. The context of each statement is still honoured (an ended
// one interrupts the statement), and rollback, which every caller defers,
// ends the transaction and gives the connection back.
func (db *DB) begin(ctx context.Context, pool *sql.DB, readOnly bool) (*Tx, error) {
	actor, _ := tether.ActorFromContext(ctx)
	tx := &Tx{db: db, ctx: ctx, now: db.Clock.Now().UTC().Truncate(time.Microsecond), actor: actor, write: !readOnly}
	if db.Dialect != SQLite {
		stx, err := pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly})
		if err != nil {
			return nil, err
		}
		tx.q, tx.stx = stx, stx
		return tx, nil
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return nil, err
	}
	begin := `BEGIN IMMEDIATE`
	if readOnly {
		begin = `BEGIN`
	}
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		conn.Close()
		return nil, err
	}
	tx.q, tx.conn = connRunner{conn, pool}, conn
	return tx, nil
}

// connRunner runs a transaction's statements on its connection, and, as
// a *sql.Tx does, none once the transaction's context has ended: the
// caller's deferred rollback then ends the transaction.
type connRunner struct {
	*sql.Conn
	pool *sql.DB
}

func (c connRunner) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.Conn.ExecContext(ctx, q, args...)
}

func (c connRunner) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.Conn.QueryContext(ctx, q, args...)
}

func (c connRunner) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if ctx.Err() != nil {
		// The pool refuses an ended context before it takes a
		// connection: a row that holds the context's error.
		return c.pool.QueryRowContext(ctx, q, args...)
	}
	return c.Conn.QueryRowContext(ctx, q, args...)
}

func (c connRunner) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.Conn.PrepareContext(ctx, q)
}

// txOn is a Tx on a transaction begun by the caller.
func (db *DB) txOn(ctx context.Context, stx *sql.Tx, actor tether.Actor) *Tx {
	return &Tx{q: stx, stx: stx, db: db, ctx: ctx, actor: actor}
}

// sqlRunner is what a Tx runs statements on: *sql.Tx or *sql.Conn.
type sqlRunner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// end ends a transaction on a connection with COMMIT or ROLLBACK and gives
// the connection back to its pool. A COMMIT that fails is rolled back, as
// database/sql does; a connection left inside a transaction all the same
// (SQLite keeps it open after some errors) is closed, not given back.
func (tx *Tx) end(stmt string) error {
	if tx.ended {
		return sql.ErrTxDone
	}
	tx.ended = true
	ctx := context.WithoutCancel(tx.ctx)
	_, err := tx.conn.ExecContext(ctx, stmt)
	if err != nil {
		if stmt != `ROLLBACK` {
			tx.conn.ExecContext(ctx, `ROLLBACK`)
		}
		tx.conn.Raw(func(dc any) error {
			if c, ok := dc.(*sqlite3.SQLiteConn); ok && !c.AutoCommit() {
				return driver.ErrBadConn
			}
			return nil
		})
	}
	tx.conn.Close()
	return err
}

// Now is the transaction's fixed time.
func (tx *Tx) Now() time.Time { return tx.now }

// Actor is who acts in this transaction.
func (tx *Tx) Actor() tether.Actor { return tx.actor }

// Exec runs a statement with ? placeholders.
func (tx *Tx) Exec(q string, args ...any) (sql.Result, error) {
	return tx.q.ExecContext(tx.ctx, tx.db.rebind(q), args...)
}

// Query runs a query with ? placeholders.
func (tx *Tx) Query(q string, args ...any) (*sql.Rows, error) {
	return tx.q.QueryContext(tx.ctx, tx.db.rebind(q), args...)
}

// QueryRow runs a one-row query with ? placeholders.
func (tx *Tx) QueryRow(q string, args ...any) *sql.Row {
	return tx.q.QueryRowContext(tx.ctx, tx.db.rebind(q), args...)
}

// InsertID runs an INSERT ... RETURNING id and returns the id.
func (tx *Tx) InsertID(q string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRow(q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// Audit queues an audit entry, chained and written at commit. detail says
// what changed (field names) or why, never personal values.
func (tx *Tx) Audit(action, entity string, id int64, detail string) {
	tx.audit = append(tx.audit, &tether.AuditEntry{
		At: tx.now, Actor: tx.actor.String(), Action: action, Entity: entity, EntityID: id, Detail: detail,
	})
}

// FoldAudit queues one entry in place of those queued since mark (a
// len(tx.audit) read before): its detail is detail followed by each of
// theirs, "; action entity=id detail". For an act that changes several
// records through code that audits each, recorded as the one act it is.
func (tx *Tx) FoldAudit(mark int, action, entity string, id int64, detail string) {
	var b strings.Builder
	b.WriteString(detail)
	for _, a := range tx.audit[mark:] {
		b.WriteString("; " + a.Action + " " + a.Entity + "=" + strconv.FormatInt(a.EntityID, 10))
		if a.Detail != "" {
			b.WriteString(" " + a.Detail)
		}
	}
	tx.audit = tx.audit[:mark]
	tx.Audit(action, entity, id, b.String())
}

// Commit writes the queued audit entries, chained to the head, and commits.
// The head row's lock serialises appends across instances for only as long
// as the commit takes.
func (tx *Tx) Commit() error {
	if len(tx.audit) > 0 {
		if err := tx.appendAudit(); err != nil {
			tx.rollback()
			return err
		}
	}
	var err error
	if tx.conn != nil {
		err = tx.end(`COMMIT`)
	} else {
		err = tx.stx.Commit()
	}
	if err == nil && tx.write && tx.db.ckpt != nil {
		tx.db.ckpt.committed(tx.db.write)
	}
	return err
}

func (tx *Tx) appendAudit() error {
	lock := ""
	if tx.db.Dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var seq int64
	var hash string
	if err := tx.QueryRow(`SELECT seq, hash FROM audit_head WHERE id = 1`+lock).Scan(&seq, &hash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	const perStmt = 100
	for start := 0; start < len(tx.audit); start += perStmt {
		batch := tx.audit[start:min(start+perStmt, len(tx.audit))]
		var b strings.Builder
		b.WriteString(`INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash) VALUES `)
		args := make([]any, 0, len(batch)*9)
		for i, e := range batch {
			seq++
			e.Seq = seq
			e.Seal(hash)
			hash = e.Hash
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("(?,?,?,?,?,?,?,?,?)")
			args = append(args, e.Seq, tx.db.ts(e.At), e.Actor, e.Action, e.Entity, e.EntityID, e.Detail, e.PrevHash, e.Hash)
		}
		if _, err := tx.Exec(b.String(), args...); err != nil {
			return fmt.Errorf("audit append: %w", err)
		}
	}
	if _, err := tx.Exec(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, seq, hash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	tx.audit = nil
	return nil
}

// timeFormat is how SQLite holds times: fixed width, UTC, so that text order
// is time order.
const timeFormat = "2006-01-02T15:04:05.000000Z"

// ts is a time as a query argument for this dialect.
func (db *DB) ts(t time.Time) any {
	if db.Dialect == Postgres {
		return t.UTC()
	}
	return t.UTC().Format(timeFormat)
}

// tsPtr is a nullable time as a query argument.
func (db *DB) tsPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return db.ts(*t)
}

// timeScan scans a time column of either dialect.
type timeScan struct{ T *time.Time }

func (s timeScan) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		return errors.New("store: NULL time in a NOT NULL column")
	case time.Time:
		*s.T = x.UTC()
	case string:
		return s.parse(x)
	case []byte:
		return s.parse(string(x))
	default:
		return fmt.Errorf("store: cannot scan %T into a time", v)
	}
	return nil
}

func (s timeScan) parse(x string) error {
	t, err := time.Parse(time.RFC3339Nano, x)
	if err != nil {
		return fmt.Errorf("store: bad time %q", x)
	}
	*s.T = t.UTC()
	return nil
}

// nullTimeScan scans a nullable time column into a **time.Time.
type nullTimeScan struct{ T **time.Time }

func (s nullTimeScan) Scan(v any) error {
	if v == nil {
		*s.T = nil
		return nil
	}
	var t time.Time
	if err := (timeScan{&t}).Scan(v); err != nil {
		return err
	}
	*s.T = &t
	return nil
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// isForeignKey reports whether err is a foreign-key violation.
func isForeignKey(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintForeignKey
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// notFound turns sql.ErrNoRows into ENOTFOUND for the named thing.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return tether.Errorf(tether.ENOTFOUND, "%s not found.", what)
	}
	return err
}

// rollback ends a transaction that did not commit; it is safe after Commit.
func (tx *Tx) rollback() {
	if tx.conn != nil {
		_ = tx.end(`ROLLBACK`)
		return
	}
	_ = tx.stx.Rollback()
}
