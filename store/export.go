package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"tether"
)

// exportPage is how many people ExportPeople reads at a time.
const exportPage = 1000

// ExportPeople calls fn for every person the actor may see, in reference
// order, with all their contact points (current and ended, newest first).
// It reads one snapshot (a SQLite read transaction; REPEATABLE READ on
// PostgreSQL) a page at a time by reference, with one query for the page's
// contact points, so memory stays flat and the cost grows with the number
// of people, not its square. It is a bulk read for an admin with personal
// data: one audit entry records it and how many people it gave, written
// when it ends, also when it fails part way. An error from fn stops it and
// is returned as it is.
func (db *DB) ExportPeople(ctx context.Context, fn func(tether.PersonImport) error) (err error) {
	a, err := actorWithRole(ctx, tether.RoleAdmin)
	if err != nil {
		return err
	}
	if !a.PersonalData {
		return tether.Errorf(tether.EFORBIDDEN, "Exporting people needs access to personal data.")
	}
	opts := &sql.TxOptions{}
	if db.Dialect == Postgres {
		opts = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	stx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("export people: %w", err)
	}
	tx := db.txOn(ctx, stx, a)
	defer tx.rollback()

	n := 0
	defer func() {
		// The record of the export, in a transaction of its own.
		wtx, werr := db.BeginTx(ctx)
		if werr != nil {
			if err == nil {
				err = fmt.Errorf("export people: audit: %w", werr)
			}
			return
		}
		defer wtx.rollback()
		detail := "exported=" + strconv.Itoa(n)
		if err != nil {
			detail += " stopped early"
		}
		wtx.Audit("people.export", "person", 0, detail)
		if werr := wtx.Commit(); werr != nil && err == nil {
			err = fmt.Errorf("export people: audit: %w", werr)
		}
	}()

	after := ""
	for {
		rows, err := tx.Query(`SELECT `+personCols+` FROM people p WHERE p.ref > ? ORDER BY p.ref LIMIT `+
			strconv.Itoa(exportPage), after)
		if err != nil {
			return fmt.Errorf("export people: %w", err)
		}
		var page []*tether.Person
		for rows.Next() {
			p, err := scanPerson(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("export people: %w", err)
			}
			page = append(page, p)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return fmt.Errorf("export people: %w", err)
		}
		rows.Close()
		if len(page) == 0 {
			return nil
		}
		points, err := tx.pointsOf(page)
		if err != nil {
			return fmt.Errorf("export people: %w", err)
		}
		for _, p := range page {
			cps := points[p.ID]
			for i, c := range cps {
				cps[i] = contactView(a, c)
			}
			if cps == nil {
				cps = []*tether.ContactPoint{}
			}
			if err := fn(tether.PersonImport{Person: personView(a, p), ContactPoints: cps}); err != nil {
				return err
			}
			n++
		}
		after = page[len(page)-1].Ref
		if len(page) < exportPage {
			return nil
		}
	}
}

// pointsOf reads the contact points of the people, current and ended,
// newest first for each.
func (tx *Tx) pointsOf(people []*tether.Person) (map[int64][]*tether.ContactPoint, error) {
	ids := make([]any, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	rows, err := tx.Query(`SELECT `+contactCols+` FROM contact_points c WHERE c.person_id IN (`+placeholders(len(ids))+`)
		ORDER BY c.person_id, c.valid_from DESC, c.id DESC`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64][]*tether.ContactPoint, len(people))
	for rows.Next() {
		c, err := scanContactPoint(rows)
		if err != nil {
			return nil, err
		}
		out[c.PersonID] = append(out[c.PersonID], c)
	}
	return out, rows.Err()
}
