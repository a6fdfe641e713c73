package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"tether"
)

// Compile-time check that *DB is a tether.AuditService.
var _ tether.AuditService = (*DB)(nil)

// Audit paging.
const (
	auditDefaultLimit = 100
	auditMaxLimit     = 1000
)

// auditProgressEvery is how many entries VerifyAuditProgress checks between
// two calls of its progress function.
const auditProgressEvery = 10000

// auditCols are the audit_log columns that scanAuditEntry reads.
const auditCols = `seq, at, actor, action, entity, entity_id, detail, prev_hash, hash`

func scanAuditEntry(row interface{ Scan(...any) error }, e *tether.AuditEntry) error {
	return row.Scan(&e.Seq, timeScan{&e.At}, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Detail, &e.PrevHash, &e.Hash)
}

// FindAuditEntries lists entries, newest first, for an admin or an
// inspector. Details never hold personal data, so an inspector without the
// personal-data grant may read them too. Limit defaults to 100 and is at
// most 1000.
func (db *DB) FindAuditEntries(ctx context.Context, f tether.AuditFilter) ([]*tether.AuditEntry, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleInspector); err != nil {
		return nil, err
	}
	var where []string
	var args []any
	if f.Entity != "" {
		where, args = append(where, "entity = ?"), append(args, f.Entity)
	}
	if f.EntityID != 0 {
		where, args = append(where, "entity_id = ?"), append(args, f.EntityID)
	}
	if f.Actor != "" {
		where, args = append(where, "actor = ?"), append(args, f.Actor)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = auditDefaultLimit
	} else if limit > auditMaxLimit {
		limit = auditMaxLimit
	}
	offset := max(f.Offset, 0)
	q := `SELECT ` + auditCols + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	// Limit and offset are ints we bounded: literal, so that the query
	// text, and its rebound form, stay few.
	q += ` ORDER BY seq DESC LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(offset)
	rows, err := db.read.QueryContext(ctx, db.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("find audit entries: %w", err)
	}
	defer rows.Close()
	entries := make([]*tether.AuditEntry, 0, min(limit, 100))
	for rows.Next() {
		e := &tether.AuditEntry{}
		if err := scanAuditEntry(rows, e); err != nil {
			return nil, fmt.Errorf("find audit entries: %w", err)
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find audit entries: %w", err)
	}
	return entries, nil
}

// VerifyAudit checks the whole chain and reports the first broken link.
func (db *DB) VerifyAudit(ctx context.Context) (*tether.AuditReport, error) {
	return db.VerifyAuditProgress(ctx, nil)
}

// VerifyAuditProgress checks the whole chain in seq order, one row at a
// time, in constant memory, calling progress (when not nil) with the count
// checked every 10,000 entries and once at the end. It reads in one
// snapshot, and checks the chain's last entry against audit_head, so that
// removing entries from the end, or changing the head, is found as well.
// For an admin or an inspector.
func (db *DB) VerifyAuditProgress(ctx context.Context, progress func(n int64)) (*tether.AuditReport, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleInspector); err != nil {
		return nil, err
	}
	// One snapshot for the head and every row: REPEATABLE READ on
	// PostgreSQL; a SQLite read transaction is a snapshot already.
	opts := &sql.TxOptions{}
	if db.Dialect == Postgres {
		opts = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	stx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("verify audit: %w", err)
	}
	tx := db.txOn(ctx, stx, tether.Actor{})
	defer tx.rollback()

	var headSeq int64
	var headHash string
	if err := tx.QueryRow(`SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return nil, fmt.Errorf("verify audit: head: %w", err)
	}
	rows, err := tx.Query(`SELECT ` + auditCols + ` FROM audit_log ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	v := tether.NewChainVerifier()
	var e tether.AuditEntry // reused: one row in memory at a time
	lastSeq, lastHash := int64(0), tether.GenesisHash
	for rows.Next() {
		if err := scanAuditEntry(rows, &e); err != nil {
			return nil, fmt.Errorf("verify audit: %w", err)
		}
		if !v.Add(&e) {
			break
		}
		lastSeq, lastHash = e.Seq, e.Hash
		if progress != nil && v.Count()%auditProgressEvery == 0 {
			progress(v.Count())
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("verify audit: %w", err)
	}
	rows.Close()
	if progress != nil && (v.Count() == 0 || v.Count()%auditProgressEvery != 0) {
		progress(v.Count())
	}
	r := &tether.AuditReport{Entries: v.Count(), OK: v.Broken == "", Broken: v.Broken, BrokenSeq: v.BrokenSeq}
	if r.OK {
		switch {
		case headSeq > lastSeq:
			r.OK, r.BrokenSeq = false, lastSeq+1
			r.Broken = "entries " + strconv.FormatInt(lastSeq+1, 10) + " to " + strconv.FormatInt(headSeq, 10) + " are missing from the end"
		case headSeq < lastSeq:
			r.OK, r.BrokenSeq = false, headSeq+1
			r.Broken = "entries from " + strconv.FormatInt(headSeq+1, 10) + " are not in the head: they were added outside the application"
		case headHash != lastHash:
			r.OK, r.BrokenSeq = false, lastSeq
			r.Broken = "entry " + strconv.FormatInt(lastSeq, 10) + " does not match the head: the entry or the head was changed"
		}
	}
	return r, nil
}
