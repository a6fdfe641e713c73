package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tether"
)

// Compile-time check that *DB is a tether.ContactPointService.
var _ tether.ContactPointService = (*DB)(nil)

// contactCols are the contact_points columns that scanContactPoint reads,
// for a table aliased c.
const contactCols = `c.id, c.person_id, c.kind, c.party, c.party_name, c.relationship, c.address_lines, c.town,
	c.postcode, c.country, c.email, c.phone, c.source, c.source_detail, c.for_correspondence, c.valid_from,
	c.valid_to, c.ended_reason, c.last_confirmed_at, c.confirmed_how, c.verification, c.replaces, c.created_by,
	c.created_at`

// contactFields are the contact_points columns that appendContactValues
// gives, in order, for INSERT.
const contactFields = `person_id, kind, party, party_name, relationship, address_lines, town, postcode, country,
	email, phone, source, source_detail, for_correspondence, valid_from, valid_to, ended_reason,
	last_confirmed_at, confirmed_how, verification, replaces, created_by, created_at`

// contactFieldCount is the number of columns in contactFields.
const contactFieldCount = 23

func scanContactPoint(row rowScanner) (*tether.ContactPoint, error) {
	c := &tether.ContactPoint{}
	var lines, town, pc, country string
	var replaces sql.NullInt64
	if err := row.Scan(&c.ID, &c.PersonID, &c.Kind, &c.Party, &c.PartyName, &c.Relationship, &lines, &town,
		&pc, &country, &c.Email, &c.Phone, &c.Source, &c.SourceDetail, &c.ForCorrespondence,
		timeScan{&c.ValidFrom}, nullTimeScan{&c.ValidTo}, &c.EndedReason, nullTimeScan{&c.LastConfirmedAt},
		&c.ConfirmedHow, &c.Verification, &replaces, &c.CreatedBy, timeScan{&c.CreatedAt}); err != nil {
		return nil, err
	}
	if c.Kind == tether.KindPostal {
		a := &tether.Address{Town: town, Postcode: pc, Country: country}
		if err := json.Unmarshal([]byte(lines), &a.Lines); err != nil {
			return nil, fmt.Errorf("contact point %d: address lines: %w", c.ID, err)
		}
		c.Address = a
	}
	if replaces.Valid {
		id := replaces.Int64
		c.Replaces = &id
	}
	return c, nil
}

// appendContactValues appends c as query arguments in the order of
// contactFields, its times through ta.
func appendContactValues(args []any, c *tether.ContactPoint, ta *timeArgs) ([]any, error) {
	return appendContactValuesNoPerson(append(args, c.PersonID), c, ta)
}

// appendContactValuesNoPerson appends the values of c after person_id.
func appendContactValuesNoPerson(args []any, c *tether.ContactPoint, ta *timeArgs) ([]any, error) {
	lines, town, pc, country := "[]", "", "", ""
	if a := c.Address; a != nil {
		if len(a.Lines) > 0 {
			b, err := json.Marshal(a.Lines)
			if err != nil {
				return nil, err
			}
			lines = string(b)
		}
		town, pc, country = a.Town, a.Postcode, a.Country
	}
	var replaces any
	if c.Replaces != nil {
		replaces = *c.Replaces
	}
	return append(args, c.Kind, c.Party, c.PartyName, c.Relationship, lines, town, pc, country,
		c.Email, c.Phone, c.Source, c.SourceDetail, c.ForCorrespondence, ta.arg(c.ValidFrom), ta.ptr(c.ValidTo),
		c.EndedReason, ta.ptr(c.LastConfirmedAt), c.ConfirmedHow, c.Verification, replaces, c.CreatedBy,
		ta.arg(c.CreatedAt)), nil
}

// contactView is c as the actor may see it.
func contactView(a tether.Actor, c *tether.ContactPoint) *tether.ContactPoint {
	if !a.CanSeePersonalData() {
		return c.Redacted()
	}
	return c
}

// contactDetail is the audit detail for a contact point: its kind and
// party, which are not personal data, never its value.
func contactDetail(c *tether.ContactPoint, extra ...string) string {
	return strings.Join(append([]string{"kind=" + c.Kind, "party=" + c.Party}, extra...), " ")
}

// AddContactPoint validates c and starts it for the person. ValidFrom
// defaults to now and may not be in the future (working_channels counts
// what is current now, so a point must not become current later unseen).
func (db *DB) AddContactPoint(ctx context.Context, c *tether.ContactPoint) error {
	a, err := writeActor(ctx)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("add contact point: %w", err)
	}
	defer tx.rollback()
	if err := checkNewPoint(c, tx); err != nil {
		return err
	}
	p, err := tx.loadPerson(c.PersonID, true)
	if err != nil {
		return err
	}
	if err := tx.visible(p); err != nil {
		return err
	}
	if c.ValidFrom.IsZero() {
		c.ValidFrom = tx.Now()
	}
	c.ValidTo, c.EndedReason, c.Replaces = nil, "", nil
	c.CreatedBy, c.CreatedAt = a.String(), tx.Now()
	if err := tx.insertContactPoint(c, tether.EventAdded, ""); err != nil {
		return fmt.Errorf("add contact point: %w", err)
	}
	if err := tx.refreshWorkingChannels(p.ID); err != nil {
		return fmt.Errorf("add contact point: %w", err)
	}
	tx.Audit("contact_point.add", "contact_point", c.ID, contactDetail(c, "person="+strconv.FormatInt(p.ID, 10)))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add contact point: %w", err)
	}
	return nil
}

// checkNewPoint validates a point that is about to start.
func checkNewPoint(c *tether.ContactPoint, tx *Tx) error {
	q := tether.Problems{}
	if err := c.Validate(); err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	if c.ValidFrom.After(tx.Now()) {
		q.Add("valid_from", "must be now or in the past")
	}
	if c.ValidTo != nil {
		q.Add("valid_to", "a new contact point has not ended: add it, then end it")
	}
	if c.LastConfirmedAt != nil && c.LastConfirmedAt.After(tx.Now()) {
		q.Add("last_confirmed_at", "must be now or in the past")
	}
	return q.Err()
}

// insertContactPoint writes c, setting its ID, and records an event.
func (tx *Tx) insertContactPoint(c *tether.ContactPoint, event, note string) error {
	vals, err := appendContactValues(nil, c, &timeArgs{db: tx.db})
	if err != nil {
		return err
	}
	id, err := tx.InsertID(`INSERT INTO contact_points (`+contactFields+`) VALUES (?`+
		strings.Repeat(", ?", contactFieldCount-1)+`)`, vals...)
	if err != nil {
		return err
	}
	c.ID = id
	return tx.contactEvent(c, event, note)
}

// contactEvent records something that happened to a point.
func (tx *Tx) contactEvent(c *tether.ContactPoint, typ, note string) error {
	_, err := tx.Exec(`INSERT INTO contact_point_events (contact_point_id, person_id, type, note, actor, at)
		VALUES (?, ?, ?, ?, ?, ?)`, c.ID, c.PersonID, typ, note, tx.actor.String(), tx.db.ts(tx.now))
	return err
}

// refreshWorkingChannels recomputes a person's working_channels from their
// contact points with tether.AssessContact, so that the rule lives in the
// domain and the "no working channel" list stays a cheap query. It does not
// change the person's version: the count is the store's, not an edit. The
// caller holds the person's row lock (loadPerson with lock), so that on
// PostgreSQL a concurrent change cannot count from a stale set of points.
func (tx *Tx) refreshWorkingChannels(personID int64) error {
	points, err := tx.contactPoints(personID, true)
	if err != nil {
		return err
	}
	n := tether.AssessContact(points, tx.now).WorkingChannels
	_, err = tx.Exec(`UPDATE people SET working_channels = ? WHERE id = ? AND working_channels <> ?`, n, personID, n)
	return err
}

// contactPoints reads a person's points, newest first; currentOnly leaves out
// those that have ended.
func (tx *Tx) contactPoints(personID int64, currentOnly bool) ([]*tether.ContactPoint, error) {
	q := `SELECT ` + contactCols + ` FROM contact_points c WHERE c.person_id = ?`
	if currentOnly {
		q += ` AND c.valid_to IS NULL`
	}
	rows, err := tx.Query(q+` ORDER BY c.valid_from DESC, c.id DESC`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var points []*tether.ContactPoint
	for rows.Next() {
		c, err := scanContactPoint(rows)
		if err != nil {
			return nil, err
		}
		points = append(points, c)
	}
	return points, rows.Err()
}

// loadContactPoint reads one point and checks that the actor may see its
// person (see visible). ENOTFOUND.
func (tx *Tx) loadContactPoint(id int64, lock bool) (*tether.ContactPoint, error) {
	q := `SELECT ` + contactCols + `, p.rep_organisation_id FROM contact_points c
		JOIN people p ON p.id = c.person_id WHERE c.id = ?`
	if lock && tx.db.Dialect == Postgres {
		q += ` FOR UPDATE OF c`
	}
	var repOrg sql.NullInt64
	c, err := scanContactPoint(scanExtra{tx.QueryRow(q, id), &repOrg})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tether.Errorf(tether.ENOTFOUND, "Contact point not found.")
	} else if err != nil {
		return nil, fmt.Errorf("load contact point: %w", err)
	}
	var org *int64
	if repOrg.Valid {
		org = &repOrg.Int64
	}
	if err := tx.visibleOrg(c.PersonID, org); err != nil {
		if tether.ErrorCode(err) == tether.ENOTFOUND {
			return nil, tether.Errorf(tether.ENOTFOUND, "Contact point not found.")
		}
		return nil, err
	}
	return c, nil
}

// scanExtra scans a row into the destinations a scan function gives,
// followed by more.
type scanExtra struct {
	row   rowScanner
	extra any
}

func (s scanExtra) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra)...) }

// changePoint is the frame of every change to an existing point: it checks
// the actor, locks the point, refuses one that has ended, runs change,
// recomputes the person's working channels, audits and commits.
func (db *DB) changePoint(ctx context.Context, id int64, op string, change func(tx *Tx, c *tether.ContactPoint) (string, error)) error {
	if _, err := writeActor(ctx); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("%s contact point: %w", op, err)
	}
	defer tx.rollback()
	// Lock the person (PostgreSQL) before the point, as AddContactPoint,
	// the status machine and RecordAttempt do: so that two changes to one
	// person's points count working channels in turn, and a change to a
	// point never waits in a cycle with a tracing attempt that marks it
	// failed. (A point's person never changes.)
	var personID int64
	if err := tx.QueryRow(`SELECT person_id FROM contact_points WHERE id = ?`, id).Scan(&personID); errors.Is(err, sql.ErrNoRows) {
		return tether.Errorf(tether.ENOTFOUND, "Contact point not found.")
	} else if err != nil {
		return fmt.Errorf("%s contact point: %w", op, err)
	}
	if _, err := tx.loadPerson(personID, true); err != nil {
		return err
	}
	c, err := tx.loadContactPoint(id, true)
	if err != nil {
		return err
	}
	if c.ValidTo != nil {
		return tether.Errorf(tether.ECONFLICT, "This contact point has already ended, so it cannot be changed.")
	}
	detail, err := change(tx, c)
	if err != nil {
		var te *tether.Error
		if errors.As(err, &te) {
			return err
		}
		return fmt.Errorf("%s contact point: %w", op, err)
	}
	if err := tx.refreshWorkingChannels(c.PersonID); err != nil {
		return fmt.Errorf("%s contact point: %w", op, err)
	}
	tx.Audit("contact_point."+op, "contact_point", id, detail)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s contact point: %w", op, err)
	}
	return nil
}

// endPoint sets valid_to on a current point; ECONFLICT if it ended meanwhile.
func (tx *Tx) endPoint(c *tether.ContactPoint, reason string) error {
	res, err := tx.Exec(`UPDATE contact_points SET valid_to = ?, ended_reason = ? WHERE id = ? AND valid_to IS NULL`,
		tx.db.ts(tx.now), reason, c.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return tether.Errorf(tether.ECONFLICT, "This contact point has already ended, so it cannot be changed.")
	}
	now := tx.now
	c.ValidTo, c.EndedReason = &now, reason
	return nil
}

// ReplaceContactPoint ends the point id now with the reason and starts c in
// its place for the same person, from now.
func (db *DB) ReplaceContactPoint(ctx context.Context, id int64, c *tether.ContactPoint, reason string) error {
	a, err := writeActor(ctx)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	return db.changePoint(ctx, id, "replace", func(tx *Tx, old *tether.ContactPoint) (string, error) {
		c.PersonID = old.PersonID
		q := tether.Problems{}
		if err := tether.ValidateReason("reason", reason); err != nil {
			q.Merge("", tether.ErrorFields(err))
		}
		c.ValidFrom = tx.Now()
		if err := checkNewPoint(c, tx); err != nil {
			q.Merge("", tether.ErrorFields(err))
		}
		if err := q.Err(); err != nil {
			return "", err
		}
		if err := tx.endPoint(old, reason); err != nil {
			return "", err
		}
		if err := tx.contactEvent(old, tether.EventReplaced, reason); err != nil {
			return "", err
		}
		c.EndedReason, c.Replaces = "", &old.ID
		c.CreatedBy, c.CreatedAt = a.String(), tx.Now()
		if err := tx.insertContactPoint(c, tether.EventAdded, ""); err != nil {
			return "", err
		}
		// Each point's own audit trail shows the change.
		tx.Audit("contact_point.add", "contact_point", c.ID, contactDetail(c, "replaces="+strconv.FormatInt(old.ID, 10)))
		return contactDetail(old, "replaced_by="+strconv.FormatInt(c.ID, 10)), nil
	})
}

// EndContactPoint ends the point now with a reason.
func (db *DB) EndContactPoint(ctx context.Context, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := tether.ValidateReason("reason", reason); err != nil {
		if _, aerr := writeActor(ctx); aerr != nil {
			return aerr
		}
		return err
	}
	return db.changePoint(ctx, id, "end", func(tx *Tx, c *tether.ContactPoint) (string, error) {
		if err := tx.endPoint(c, reason); err != nil {
			return "", err
		}
		return contactDetail(c), tx.contactEvent(c, tether.EventEnded, reason)
	})
}

// ConfirmContactPoint records that the point worked now, and how; it is
// then verified.
func (db *DB) ConfirmContactPoint(ctx context.Context, id int64, how string) error {
	how = strings.TrimSpace(how)
	if !slices.Contains(tether.ConfirmedHows, how) {
		if _, err := writeActor(ctx); err != nil {
			return err
		}
		return tether.Problems{"how": "must be one of " + strings.Join(tether.ConfirmedHows, ", ")}.Err()
	}
	return db.changePoint(ctx, id, "confirm", func(tx *Tx, c *tether.ContactPoint) (string, error) {
		if _, err := tx.Exec(`UPDATE contact_points SET last_confirmed_at = ?, confirmed_how = ?, verification = ? WHERE id = ?`,
			tx.db.ts(tx.now), how, tether.Verified, c.ID); err != nil {
			return "", err
		}
		return contactDetail(c, "how="+how), tx.contactEvent(c, tether.EventConfirmed, how)
	})
}

// FailContactPoint records that the point did not work, and why. It stays
// current, so that the history shows what was tried, but no longer counts
// as working.
func (db *DB) FailContactPoint(ctx context.Context, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := tether.ValidateReason("reason", reason); err != nil {
		if _, aerr := writeActor(ctx); aerr != nil {
			return aerr
		}
		return err
	}
	return db.changePoint(ctx, id, "fail", func(tx *Tx, c *tether.ContactPoint) (string, error) {
		return contactDetail(c), tx.markPointFailed(c, reason)
	})
}

// FindContactPointByID returns one point and records the read.
func (db *DB) FindContactPointByID(ctx context.Context, id int64) (*tether.ContactPoint, error) {
	a, err := readActor(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find contact point: %w", err)
	}
	defer tx.rollback()
	c, err := tx.loadContactPoint(id, false)
	if err != nil {
		return nil, err
	}
	tx.Audit("contact_point.read", "contact_point", id, "person="+strconv.FormatInt(c.PersonID, 10))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("find contact point: %w", err)
	}
	return contactView(a, c), nil
}

// ContactPoints lists a person's points, current and ended, newest first,
// and records the read.
func (db *DB) ContactPoints(ctx context.Context, personID int64) ([]*tether.ContactPoint, error) {
	a, err := readActor(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("contact points: %w", err)
	}
	defer tx.rollback()
	p, err := tx.loadPerson(personID, false)
	if err != nil {
		return nil, err
	}
	if err := tx.visible(p); err != nil {
		return nil, err
	}
	points, err := tx.contactPoints(personID, false)
	if err != nil {
		return nil, fmt.Errorf("contact points: %w", err)
	}
	for i, c := range points {
		points[i] = contactView(a, c)
	}
	if points == nil {
		points = []*tether.ContactPoint{}
	}
	tx.Audit("contact_points.read", "person", personID, "points="+strconv.Itoa(len(points)))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("contact points: %w", err)
	}
	return points, nil
}

// ContactPointEvents lists a person's contact point events, newest first,
// and records the read. Notes hold caseworkers' reasons, which may name
// people or places, so an inspector without the personal-data grant sees
// the events without them.
func (db *DB) ContactPointEvents(ctx context.Context, personID int64) ([]*tether.ContactPointEvent, error) {
	a, err := readActor(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("contact point events: %w", err)
	}
	defer tx.rollback()
	p, err := tx.loadPerson(personID, false)
	if err != nil {
		return nil, err
	}
	if err := tx.visible(p); err != nil {
		return nil, err
	}
	rows, err := tx.Query(`SELECT id, contact_point_id, person_id, type, note, actor, at FROM contact_point_events
		WHERE person_id = ? ORDER BY at DESC, id DESC`, personID)
	if err != nil {
		return nil, fmt.Errorf("contact point events: %w", err)
	}
	defer rows.Close()
	events := []*tether.ContactPointEvent{}
	for rows.Next() {
		e := &tether.ContactPointEvent{}
		if err := rows.Scan(&e.ID, &e.ContactPointID, &e.PersonID, &e.Type, &e.Note, &e.Actor, timeScan{&e.At}); err != nil {
			return nil, fmt.Errorf("contact point events: %w", err)
		}
		if !a.CanSeePersonalData() && e.Type != tether.EventConfirmed {
			e.Note = ""
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("contact point events: %w", err)
	}
	rows.Close()
	tx.Audit("contact_point_events.read", "person", personID, "events="+strconv.Itoa(len(events)))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("contact point events: %w", err)
	}
	return events, nil
}
