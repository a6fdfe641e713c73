package store

import (
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Statements whose text varies with their data (IN lists) go through
// queryVar rather than Query: on PostgreSQL they are rebound without filling
// the rebind cache, and run as unnamed statements so that pgx's
// per-connection statement cache (and the server's memory) is not filled
// with one-off texts either.

// queryVar runs a query of varying text with ? placeholders.
func (tx *Tx) queryVar(q string, args ...any) (*sql.Rows, error) {
	if tx.db.Dialect == Postgres {
		return tx.q.QueryContext(tx.ctx, dollarPlaceholders(q), append([]any{pgx.QueryExecModeDescribeExec}, args...)...)
	}
	return tx.q.QueryContext(tx.ctx, q, args...)
}

// execVar runs a statement of varying text with ? placeholders.
func (tx *Tx) execVar(q string, args ...any) (sql.Result, error) {
	if tx.db.Dialect == Postgres {
		return tx.q.ExecContext(tx.ctx, dollarPlaceholders(q), append([]any{pgx.QueryExecModeDescribeExec}, args...)...)
	}
	return tx.q.ExecContext(tx.ctx, q, args...)
}

// dollarPlaceholders is rebind without the cache: ? becomes $1, $2...
func dollarPlaceholders(q string) string {
	var b strings.Builder
	b.Grow(len(q) + len(q)/4)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// bulkInsert writes rows with multi-row INSERT statements: head is
// "INSERT INTO t (columns) VALUES ", tail what follows the rows (ON
// CONFLICT, RETURNING), args the values row after row, cols per row.
// Rows go in chunks of a fixed size, under the engine's bound-parameter
// limit, through one statement prepared per call and run as often as needed,
// and a last statement for the remainder: so the statement is parsed once,
// not per chunk. scan, when not nil, reads each row that RETURNING gives.
//
// Statements run through Query even when nothing comes back: on SQLite
// that binds every argument and steps in one cgo crossing, where Exec binds
// each argument with a crossing of its own.
func (tx *Tx) bulkInsert(head, tail string, cols int, args []any, scan func(*sql.Rows) error) error {
	rows := len(args) / cols
	if rows == 0 {
		return nil
	}
	chunk := min(tx.db.bulkRows(), tx.db.maxParams()/cols)
	text := func(n int) string {
		one := "(" + placeholders(cols) + ")"
		var b strings.Builder
		b.Grow(len(head) + len(tail) + n*(len(one)+2))
		b.WriteString(head)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(one)
		}
		b.WriteString(tail)
		if tx.db.Dialect == Postgres {
			return dollarPlaceholders(b.String())
		}
		return b.String()
	}
	run := func(res *sql.Rows, err error) error {
		if err != nil {
			return err
		}
		defer res.Close()
		for res.Next() {
			if scan != nil {
				if err := scan(res); err != nil {
					return err
				}
			}
		}
		if err := res.Err(); err != nil {
			return err
		}
		return res.Close()
	}
	full := rows / chunk
	if full > 0 {
		stmt, err := tx.q.PrepareContext(tx.ctx, text(chunk))
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := 0; i < full; i++ {
			if err := run(stmt.QueryContext(tx.ctx, args[i*chunk*cols:(i+1)*chunk*cols]...)); err != nil {
				return err
			}
		}
	}
	if rest := rows - full*chunk; rest > 0 {
		q, rargs := text(rest), args[full*chunk*cols:]
		if tx.db.Dialect == Postgres {
			rargs = append([]any{pgx.QueryExecModeDescribeExec}, rargs...)
		}
		if err := run(tx.q.QueryContext(tx.ctx, q, rargs...)); err != nil {
			return err
		}
	}
	return nil
}

// bulkRows is how many rows one INSERT of bulkInsert holds at most: on
// SQLite, parsing a statement costs about as much per row as running it,
// so a statement of a few hundred rows, prepared once, is quickest; on
// PostgreSQL, where each statement is a round trip, as many as fit.
func (db *DB) bulkRows() int {
	if db.Dialect == Postgres {
		return 1 << 20
	}
	return 200
}

// maxParams is the most bound parameters one statement may hold: SQLite's
// default limit (32766) or PostgreSQL's protocol limit (65535).
func (db *DB) maxParams() int {
	if db.Dialect == Postgres {
		return 65535
	}
	return 32766
}

// timeArgs turns times into query arguments for a bulk write, where most
// times repeat (created_at) and time.Format would be a good part of the
// work: it remembers the last time and formats SQLite's fixed-width text by
// hand. It gives what DB.ts gives.
type timeArgs struct {
	db    *DB
	last  time.Time
	lastV any
}

func (ta *timeArgs) arg(t time.Time) any {
	if ta.lastV != nil && t.Equal(ta.last) {
		return ta.lastV
	}
	var v any
	if ta.db.Dialect == Postgres {
		v = t.UTC()
	} else {
		v = sqliteTime(t)
	}
	ta.last, ta.lastV = t, v
	return v
}

func (ta *timeArgs) ptr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ta.arg(*t)
}

// sqliteTime is t.UTC().Format(timeFormat) without the layout parsing.
func sqliteTime(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	hour, min, sec := t.Clock()
	if year < 0 || year > 9999 {
		return t.Format(timeFormat)
	}
	var b [len(timeFormat)]byte
	put := func(at, width, v int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, 4, year)
	b[4] = '-'
	put(5, 2, int(month))
	b[7] = '-'
	put(8, 2, day)
	b[10] = 'T'
	put(11, 2, hour)
	b[13] = ':'
	put(14, 2, min)
	b[16] = ':'
	put(17, 2, sec)
	b[19] = '.'
	put(20, 6, t.Nanosecond()/1000)
	b[26] = 'Z'
	return string(b[:])
}
