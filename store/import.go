package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"tether"
	"tether/reference"
)

// Compile-time check that *DB is a tether.Importer.
var _ tether.Importer = (*DB)(nil)

// importPersonCols is how many values one person's row of an import holds:
// the reference, personFields, working_channels, version and two times.
const importPersonCols = 1 + personFieldCount + 4

// ImportPeople stores a batch of people that the caller has validated, with
// their contact points, in one transaction: references already stored, or
// repeated within the batch, are skipped, so that a second run of the same
// file adds nothing. Each person's working_channels comes from
// tether.AssessContact, and each created person gets a "person.import"
// audit entry (auditImports). Rows are written with multi-row INSERTs
// sized to the engine's bound-parameter limit. On SQLite the batch is a
// bulk import of its own (import_bulk.go), which does the same.
//
// Contact points without ValidFrom start now; CreatedBy and CreatedAt are
// set. The people given get their IDs (skipped ones keep 0), their points
// their PersonID. Imported points get no contact_point_events: their Source
// says where they came from.
func (db *DB) ImportPeople(ctx context.Context, batch []tether.PersonImport) (tether.ImportResult, error) {
	var res tether.ImportResult
	a, err := writeActor(ctx)
	if err != nil {
		return res, err
	}
	if err := checkImportBatch(batch); err != nil {
		return res, err
	}
	if len(batch) == 0 {
		return res, nil
	}
	if db.Dialect == SQLite {
		// One writer: the bulk path, which gives each person an id before
		// it is stored, and so works out the values beside SQLite's work.
		b, err := db.BulkImport(ctx, 0)
		if err != nil {
			return res, err
		}
		res, err = b.ImportPeople(ctx, batch)
		if cerr := b.Close(); err == nil && cerr != nil {
			return tether.ImportResult{}, cerr
		}
		return res, err
	}

	tx, err := db.BeginTx(ctx)
	if err != nil {
		return res, fmt.Errorf("import people: %w", err)
	}
	defer tx.rollback()
	now := tx.Now()
	stored, err := tx.storedRefs(batch)
	if err != nil {
		return res, fmt.Errorf("import people: %w", err)
	}
	create := make([]*tether.PersonImport, 0, len(batch))
	for i := range batch {
		row := &batch[i]
		if stored[row.Person.Ref] {
			row.Person.ID = 0
			res.Skipped++
			continue
		}
		stored[row.Person.Ref] = true // a repeat later in the batch is skipped too
		importDefaults(row, now, a.String())
		create = append(create, row)
	}

	// The search keys and the contact points' values are worked out on
	// another core while SQLite writes the people; the points' person_id
	// is filled in once the people have their ids.
	work := make(chan importWork, 1)
	go func() { work <- prepareImport(create, &timeArgs{db: db}) }()
	created, err := tx.insertPeople(create)
	w := <-work
	if err != nil {
		return res, fmt.Errorf("import people: %w", err)
	}
	if w.err != nil {
		return res, fmt.Errorf("import people: %w", w.err)
	}
	res.Skipped += len(create) - len(created)
	ids := make([]int64, 0, len(created))
	keys := make([][]string, 0, len(created))
	points := w.points[:0]
	for i, row := range create {
		id := row.Person.ID
		if id == 0 {
			continue // taken meanwhile: skipped
		}
		ids, keys = append(ids, id), append(keys, w.keys[i])
		for _, c := range row.ContactPoints {
			c.PersonID = id
		}
		for _, at := range w.pointsOf[i] {
			w.points[at*contactFieldCount] = id
			points = append(points, w.points[at*contactFieldCount:(at+1)*contactFieldCount]...)
		}
	}
	if err := tx.insertNameKeys(ids, keys); err != nil {
		return res, fmt.Errorf("import people: %w", err)
	}
	if err := tx.bulkInsert(`INSERT INTO contact_points (`+contactFields+`) VALUES `, ``, contactFieldCount, points, nil); isForeignKey(err) {
		return res, tether.Problems{"contact_points.replaces": "no such contact point"}.Err()
	} else if err != nil {
		return res, fmt.Errorf("import people: contact points: %w", err)
	}
	if err := tx.auditImports(ids); err != nil {
		return res, fmt.Errorf("import people: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("import people: %w", err)
	}
	res.Created = len(created)
	return res, nil
}

// checkImportBatch checks what the importer's callers promise: every row has
// a person with a reference (which it puts in canonical form) and no nil
// contact point. EINVALID names the rows at fault.
func checkImportBatch(batch []tether.PersonImport) error {
	q := tether.Problems{}
	for i, row := range batch {
		f := "batch[" + strconv.Itoa(i) + "]."
		if row.Person == nil {
			q.Add(f+"person", "missing")
			continue
		}
		if row.Person.Ref == "" {
			q.Add(f+"ref", "every imported person needs a reference")
		} else if ref, err := reference.Parse(row.Person.Ref); err != nil {
			q.Add(f+"ref", "must be a reference like TH-04817263K with a correct check letter")
		} else {
			row.Person.Ref = ref
		}
		for j, c := range row.ContactPoints {
			if c == nil {
				q.Add(f+"contact_points["+strconv.Itoa(j)+"]", "missing")
			}
		}
	}
	return q.Err()
}

// importDefaults fills in what the store keeps for a person about to be
// imported, and the defaults of their contact points: a point without
// ValidFrom starts now, without a party is the person's own, without a
// verification is unverified. Working channels are counted as
// tether.AssessContact counts them.
func importDefaults(row *tether.PersonImport, now time.Time, actor string) {
	p := row.Person
	for _, c := range row.ContactPoints {
		if c.ValidFrom.IsZero() {
			c.ValidFrom = now
		}
		if c.Party == "" {
			c.Party = tether.PartySelf
		}
		if c.Verification == "" {
			c.Verification = tether.Unverified
		}
		c.CreatedBy, c.CreatedAt = actor, now
	}
	p.WorkingChannels = countWorkingChannels(row.ContactPoints, now)
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = 0, 1, now, now
}

// storedRefs returns which references of the batch are already stored.
func (tx *Tx) storedRefs(batch []tether.PersonImport) (map[string]bool, error) {
	stored := make(map[string]bool, len(batch))
	per := tx.db.maxParams()
	for start := 0; start < len(batch); start += per {
		part := batch[start:min(start+per, len(batch))]
		args := make([]any, len(part))
		for i, row := range part {
			args[i] = row.Person.Ref
		}
		rows, err := tx.queryVar(`SELECT ref FROM people WHERE ref IN (`+placeholders(len(args))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var ref string
			if err := rows.Scan(&ref); err != nil {
				rows.Close()
				return nil, err
			}
			stored[ref] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return stored, nil
}

// insertPeople writes the people, setting their IDs, and returns those
// written: a reference taken meanwhile by another writer (on PostgreSQL) is
// left out rather than failing the batch. The ids come back with their
// references, so that nothing depends on the order RETURNING gives.
func (tx *Tx) insertPeople(rows []*tether.PersonImport) ([]*tether.PersonImport, error) {
	args := make([]any, 0, len(rows)*importPersonCols)
	byRef := make(map[string]*tether.PersonImport, len(rows))
	ta := &timeArgs{db: tx.db}
	for _, r := range rows {
		p := r.Person
		var err error
		if args, err = appendPersonValues(append(args, p.Ref), p); err != nil {
			return nil, err
		}
		args = append(args, p.WorkingChannels, p.Version, ta.arg(p.CreatedAt), ta.arg(p.UpdatedAt))
		byRef[p.Ref] = r
	}
	created := make([]*tether.PersonImport, 0, len(rows))
	err := tx.bulkInsert(`INSERT INTO people (ref, `+personFields+`, working_channels, version, created_at, updated_at) VALUES `,
		` ON CONFLICT (ref) DO NOTHING RETURNING id, ref`, importPersonCols, args,
		func(res *sql.Rows) error {
			var id int64
			var ref string
			if err := res.Scan(&id, &ref); err != nil {
				return err
			}
			if r := byRef[ref]; r != nil {
				r.Person.ID = id
				created = append(created, r)
			}
			return nil
		})
	if isForeignKey(err) {
		return nil, tether.Problems{"representative.organisation_id": "no such organisation"}.Err()
	} else if err != nil {
		return nil, err
	}
	return created, nil
}

// importWork is what prepareImport works out for the people of an import.
type importWork struct {
	keys [][]string
	// points holds the values of every contact point, row after row, with
	// person_id (the first) left nil; pointsOf[i] lists the rows of the
	// points of person i.
	points   []any
	pointsOf [][]int
	err      error
}

// prepareImport works out the search keys and contact point values of the
// people. It runs beside insertPeople, so it reads only what that does not
// write: names, and the points' fields other than PersonID.
func prepareImport(rows []*tether.PersonImport, ta *timeArgs) importWork {
	n := 0
	for _, r := range rows {
		n += len(r.ContactPoints)
	}
	w := importWork{keys: make([][]string, len(rows)), pointsOf: make([][]int, len(rows)),
		points: make([]any, 0, n*contactFieldCount)}
	at := 0
	for i, r := range rows {
		w.keys[i] = nameKeys(r.Person)
		for _, c := range r.ContactPoints {
			if w.points, w.err = appendContactValuesNoPerson(append(w.points, nil), c, ta); w.err != nil {
				return w
			}
			w.pointsOf[i] = append(w.pointsOf[i], at)
			at++
		}
	}
	return w
}

// auditImports writes a "person.import" audit entry for each of ids, chained
// to the head, as Tx.Audit and Commit would, but through one statement
// prepared for the batch rather than one parsed per hundred entries, and
// with the values that every entry shares made once: for an import, the
// audit entries were a good part of the time. When the transaction has
// other entries queued, it leaves the work to Commit, so that the chain
// keeps their order.
func (tx *Tx) auditImports(ids []int64) error {
	if len(tx.audit) > 0 {
		for _, id := range ids {
			tx.Audit("person.import", "person", id, "")
		}
		return nil
	}
	if len(ids) == 0 {
		return nil
	}
	lock := ""
	if tx.db.Dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var seq int64
	var hash string
	if err := tx.QueryRow(`SELECT seq, hash FROM audit_head WHERE id = 1`+lock).Scan(&seq, &hash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	e := tether.AuditEntry{At: tx.now, Actor: tx.actor.String(), Action: "person.import", Entity: "person"}
	at, actor, action, entity, detail := tx.db.ts(e.At), any(e.Actor), any(e.Action), any(e.Entity), any(e.Detail)
	prev := any(hash)
	args := make([]any, 0, 9*len(ids))
	for _, id := range ids {
		seq++
		e.Seq, e.EntityID = seq, id
		e.Seal(hash)
		hash = e.Hash
		h := any(hash)
		args = append(args, seq, at, actor, action, entity, id, detail, prev, h)
		prev = h
	}
	if err := tx.bulkInsert(`INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash) VALUES `, ``, 9, args, nil); err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	if _, err := tx.Exec(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, seq, hash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	return nil
}
