package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"slices"
)

// The bulk import writes through the SQLite driver's own connection
// (sql.Conn.Raw): database/sql copies and converts every value of every
// statement, which for a statement of 200 people is 4,000 values, and took
// as long as a third of SQLite's own work.

// rawDriverConn is what the bulk import needs of the SQLite driver's
// connection.
type rawDriverConn interface {
	driver.QueryerContext
	driver.ConnPrepareContext
}

// rawConn runs statements on the driver's connection, within a
// sql.Conn.Raw. Values must be what the driver takes (int64, not int).
// Every statement runs as a query: the SQLite driver binds a query's
// values and steps it in one call into C, where an Exec binds each value
// with a call of its own.
//
// exec, row and query go through the driver's statement cache, which
// keeps up to 256 statements per connection, by text, for as long as the
// connection lives: they are for the few statements whose text is fixed.
// A statement whose text varies with the data (the last, shorter INSERT of
// a batch; an IN list) goes through once, which finalizes it: kept, each
// such statement of hundreds of rows held 100 KB or more of SQLite's
// memory and the driver's, and a million people left some 200 of them in
// the cache, 50 MB that grew with the file.
type rawConn struct {
	c    rawDriverConn
	ctx  context.Context
	args []driver.NamedValue
}

// newRawConn is a rawConn on dc, the driver's connection that
// sql.Conn.Raw gives, wrapped by wrap when not nil (tests, to see which
// statements reach the driver).
func newRawConn(ctx context.Context, dc any, wrap func(rawDriverConn) rawDriverConn) (*rawConn, error) {
	c, ok := dc.(rawDriverConn)
	if !ok {
		return nil, fmt.Errorf("the SQLite driver's connection is a %T", dc)
	}
	if wrap != nil {
		c = wrap(c)
	}
	return &rawConn{c: c, ctx: ctx}, nil
}

func (r *rawConn) named(vals []any) []driver.NamedValue {
	args := r.args[:0]
	for i, v := range vals {
		args = append(args, driver.NamedValue{Ordinal: i + 1, Value: v})
	}
	r.args = args
	return args
}

// done releases the values bound, so that they are not kept alive.
func (r *rawConn) done() { clear(r.args) }

func (r *rawConn) exec(q string, vals ...any) error {
	defer r.done()
	rows, err := r.c.QueryContext(r.ctx, q, r.named(vals))
	if err != nil {
		return err
	}
	return drain(rows, nil)
}

// row runs a query of one row and returns it.
func (r *rawConn) row(q string, vals ...any) ([]driver.Value, error) {
	var got []driver.Value
	err := r.query(q, vals, func(row []driver.Value) {
		if got == nil {
			got = slices.Clone(row)
		}
	})
	if err == nil && got == nil {
		err = sql.ErrNoRows
	}
	return got, err
}

// query runs a query and calls fn with each row, which fn must not keep.
func (r *rawConn) query(q string, vals []any, fn func([]driver.Value)) error {
	defer r.done()
	rows, err := r.c.QueryContext(r.ctx, q, r.named(vals))
	if err != nil {
		return err
	}
	return drain(rows, fn)
}

// once runs a statement whose text varies, calling fn (when not nil)
// with each row, on a statement of its own that it finalizes, so that the
// driver's statement cache does not keep it.
func (r *rawConn) once(q string, vals []any, fn func([]driver.Value)) error {
	s, err := r.prepare(q)
	if err != nil {
		return err
	}
	defer s.close()
	defer r.done()
	rows, err := s.s.QueryContext(r.ctx, r.named(vals))
	if err != nil {
		return err
	}
	return drain(rows, fn)
}

func (r *rawConn) prepare(q string) (*rawStmt, error) {
	s, err := r.c.PrepareContext(r.ctx, q)
	if err != nil {
		return nil, err
	}
	qs, ok := s.(driver.StmtQueryContext)
	if !ok {
		s.Close()
		return nil, fmt.Errorf("the SQLite driver's statement is a %T", s)
	}
	return &rawStmt{r: r, s: qs, closer: s}, nil
}

// rawStmt is a statement prepared on the driver's connection.
type rawStmt struct {
	r      *rawConn
	s      driver.StmtQueryContext
	closer io.Closer
	args   []driver.NamedValue // numbered once, for every run
}

func (s *rawStmt) exec(vals []any) error {
	if len(s.args) != len(vals) {
		s.args = s.r.named(vals)
		s.r.args = nil
	}
	// The values stay until the next run: one statement's worth.
	for i, v := range vals {
		s.args[i].Value = v
	}
	rows, err := s.s.QueryContext(s.r.ctx, s.args)
	if err != nil {
		return err
	}
	return drain(rows, nil)
}

func (s *rawStmt) row() ([]driver.Value, error) {
	rows, err := s.s.QueryContext(s.r.ctx, nil)
	if err != nil {
		return nil, err
	}
	var got []driver.Value
	err = drain(rows, func(row []driver.Value) {
		if got == nil {
			got = slices.Clone(row)
		}
	})
	if err == nil && got == nil {
		err = sql.ErrNoRows
	}
	return got, err
}

func (s *rawStmt) close() { s.closer.Close() }

// drain reads rows to the end, calling fn (when not nil) with each, and
// closes them.
func drain(rows driver.Rows, fn func([]driver.Value)) error {
	dest := make([]driver.Value, len(rows.Columns()))
	for {
		err := rows.Next(dest)
		if err == io.EOF {
			return rows.Close()
		}
		if err != nil {
			rows.Close()
			return err
		}
		if fn != nil {
			fn(dest)
		}
	}
}

// asString is a text value as the driver gives it.
func asString(v driver.Value) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	s, _ := v.(string)
	return s
}
