package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"tether"
	"tether/calendar"
)

// statusConsumer names the status machine where it consumes signals.
const statusConsumer = "contact-status"

// statusDivision is the calendar that counts the working days to "out of
// contact". (A person's own division, from their address, is a later
// refinement; England and Wales has the fewest holidays, so it never
// escalates later than another division would.)
const statusDivision = calendar.EnglandAndWales

// SetStatusThresholds sets the thresholds of the contact status machine;
// zero fields take tether.DefaultStatusThresholds'.
func (db *DB) SetStatusThresholds(th tether.StatusThresholds) {
	d := tether.DefaultStatusThresholds()
	if th.OutOfContactAfter <= 0 {
		th.OutOfContactAfter = d.OutOfContactAfter
	}
	if len(th.DeclareRoles) == 0 {
		th.DeclareRoles = d.DeclareRoles
	}
	db.corr.mu.Lock()
	db.statusTh = &th
	db.corr.mu.Unlock()
}

func (db *DB) thresholds() tether.StatusThresholds {
	db.corr.mu.RLock()
	defer db.corr.mu.RUnlock()
	if db.statusTh == nil {
		return tether.DefaultStatusThresholds()
	}
	return *db.statusTh
}

// applyStatus applies cause to the person's status in tx: the person is
// locked, the state machine decides, the event is recorded (also when the
// status stays as it is) and, on a change, the status, when it began and
// the day of escalation are written, with an audit entry.
func (tx *Tx) applyStatus(personID int64, cause string, signalID *int64, detail string) (tether.StatusChange, error) {
	q := `SELECT contact_status FROM people WHERE id = ?`
	if tx.db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	var current string
	if err := tx.QueryRow(q, personID).Scan(&current); errors.Is(err, sql.ErrNoRows) {
		return tether.StatusChange{}, errPersonNotFound()
	} else if err != nil {
		return tether.StatusChange{}, err
	}
	return tx.applyStatusFrom(personID, current, cause, signalID, detail)
}

// applyStatusFrom is applyStatus for a caller that has just read the
// person's status, current, holding their lock in tx.
func (tx *Tx) applyStatusFrom(personID int64, current, cause string, signalID *int64, detail string) (tether.StatusChange, error) {
	th := tx.db.thresholds()
	ch, err := tether.NextStatus(current, cause, tx.actor, detail, th)
	if err != nil {
		return ch, err
	}
	if ch.Changed {
		var due any
		if ch.To == tether.StatusAtRisk {
			hol, err := tx.holidays()
			if err != nil {
				return ch, err
			}
			cal, err := hol.For(statusDivision)
			if err != nil {
				return ch, err
			}
			due = cal.AddWorkingDays(tx.today(), th.OutOfContactAfter).String()
		}
		if _, err := tx.Exec(`UPDATE people SET contact_status = ?, status_since = ?, out_of_contact_on = ? WHERE id = ?`,
			ch.To, tx.db.ts(tx.now), due, personID); err != nil {
			return ch, err
		}
		tx.Audit("person.status", "person", personID, "from="+ch.From+" to="+ch.To+" cause="+cause)
	}
	if _, err := tx.Exec(`INSERT INTO status_events (person_id, at, actor, from_status, to_status, cause, signal_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, personID, tx.db.ts(tx.now), tx.actor.String(), ch.From, ch.To, cause,
		orgArg(signalID), clip(strings.TrimSpace(detail), 500)); err != nil {
		return ch, err
	}
	// Lapses of contact follow the status in the same transaction (lapse.go).
	if err := tx.onStatusChange(personID, ch, signalID, detail); err != nil {
		return ch, err
	}
	return ch, nil
}

// ConsumeLapseSignals takes up to max contact-lapse signals not yet
// consumed, oldest first, and applies each to its person's status (a
// person in contact becomes at risk, due out of contact after the
// threshold in working days), marking each consumed in the same
// transaction: each signal is applied once, also with several sweeps at
// once. It reads only unconsumed signals, and returns how many it applied.
func (db *DB) ConsumeLapseSignals(ctx context.Context, max int) (int, error) {
	if max < 1 || max > maxClaim {
		return 0, tether.Invalid("max", "must be between 1 and "+strconv.Itoa(maxClaim))
	}
	ctx, err := systemCtx(ctx, SweepActor)
	if err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("consume signals: %w", err)
	}
	defer tx.rollback()
	lock := ``
	if db.Dialect == Postgres {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	rows, err := tx.Query(`SELECT id, person_id, reason FROM signals WHERE kind = ? AND consumed_at IS NULL
		ORDER BY id LIMIT `+strconv.Itoa(max)+lock, tether.SignalContactLapse)
	if err != nil {
		return 0, fmt.Errorf("consume signals: %w", err)
	}
	var sigs []tether.Signal
	for rows.Next() {
		var s tether.Signal
		if err := rows.Scan(&s.ID, &s.PersonID, &s.Reason); err != nil {
			rows.Close()
			return 0, fmt.Errorf("consume signals: %w", err)
		}
		sigs = append(sigs, s)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return 0, fmt.Errorf("consume signals: %w", err)
	}
	rows.Close()
	done := 0
	for _, s := range sigs {
		res, err := tx.Exec(`UPDATE signals SET consumed_at = ?, consumed_by = ? WHERE id = ? AND consumed_at IS NULL`,
			db.ts(tx.now), statusConsumer, s.ID)
		if err != nil {
			return 0, fmt.Errorf("consume signals: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, fmt.Errorf("consume signals: %w", err)
		} else if n == 0 {
			continue
		}
		id := s.ID
		if _, err := tx.applyStatus(s.PersonID, tether.CauseOfSignal(tether.SignalContactLapse, s.Reason), &id, s.Reason); err != nil {
			return 0, fmt.Errorf("consume signals: %w", err)
		}
		done++
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("consume signals: %w", err)
	}
	return done, nil
}

// EscalateStatuses moves up to max people at risk whose day of escalation
// has come (no contact re-established within the threshold) to out of
// contact, and returns how many. It reads only the people at risk, by the
// day due.
func (db *DB) EscalateStatuses(ctx context.Context, max int) (int, error) {
	if max < 1 || max > maxClaim {
		return 0, tether.Invalid("max", "must be between 1 and "+strconv.Itoa(maxClaim))
	}
	ctx, err := systemCtx(ctx, SweepActor)
	if err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("escalate statuses: %w", err)
	}
	defer tx.rollback()
	lock := ``
	if db.Dialect == Postgres {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	th := db.thresholds()
	rows, err := tx.Query(`SELECT id FROM people WHERE contact_status = 'at_risk' AND out_of_contact_on <= ?
		ORDER BY out_of_contact_on, id LIMIT `+strconv.Itoa(max)+lock, tx.today().String())
	if err != nil {
		return 0, fmt.Errorf("escalate statuses: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("escalate statuses: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return 0, fmt.Errorf("escalate statuses: %w", err)
	}
	rows.Close()
	done := 0
	for _, id := range ids {
		ch, err := tx.applyStatus(id, tether.CauseNoContact, nil,
			"no contact within "+strconv.Itoa(th.OutOfContactAfter)+" working days of the first signal")
		if tether.ErrorCode(err) == tether.ECONFLICT {
			continue // moved meanwhile
		} else if err != nil {
			return 0, fmt.Errorf("escalate statuses: %w", err)
		}
		if ch.Changed {
			done++
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("escalate statuses: %w", err)
	}
	return done, nil
}

// ChangeStatus records a caseworker's cause for a person: a failed call
// attempt, contact re-established, or (by a role the thresholds allow,
// with a reason) a declaration of absconder. The state machine refuses a
// change that skips a step. EINVALID, ECONFLICT, EFORBIDDEN, ENOTFOUND.
func (db *DB) ChangeStatus(ctx context.Context, personID int64, cause, detail string) (tether.StatusChange, error) {
	if _, err := writeActor(ctx); err != nil {
		return tether.StatusChange{}, err
	}
	switch cause {
	case tether.CauseFailedCall, tether.CauseReEstablished, tether.CauseDeclared:
	default:
		return tether.StatusChange{}, tether.Invalid("cause", "must be failed_call, re_established or absconder_declared")
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return tether.StatusChange{}, fmt.Errorf("change status: %w", err)
	}
	defer tx.rollback()
	p, err := tx.loadPerson(personID, true)
	if err != nil {
		return tether.StatusChange{}, err
	}
	if err := tx.visible(p); err != nil {
		return tether.StatusChange{}, err
	}
	ch, err := tx.applyStatus(personID, cause, nil, detail)
	if err != nil {
		var te *tether.Error
		if errors.As(err, &te) {
			return ch, err
		}
		return ch, fmt.Errorf("change status: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return ch, fmt.Errorf("change status: %w", err)
	}
	return ch, nil
}

// ContactStatus reads a person's contact status and its history, oldest
// first, and records the read.
func (db *DB) ContactStatus(ctx context.Context, personID int64) (tether.PersonStatus, []*tether.StatusEvent, error) {
	var st tether.PersonStatus
	if _, err := readActor(ctx); err != nil {
		return st, nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return st, nil, fmt.Errorf("contact status: %w", err)
	}
	defer tx.rollback()
	p, err := tx.loadPerson(personID, false)
	if err != nil {
		return st, nil, err
	}
	if err := tx.visible(p); err != nil {
		return st, nil, err
	}
	var due sql.NullString
	if err := tx.QueryRow(`SELECT contact_status, status_since, out_of_contact_on FROM people WHERE id = ?`, personID).
		Scan(&st.Status, nullTimeScan{&st.Since}, &due); err != nil {
		return st, nil, fmt.Errorf("contact status: %w", err)
	}
	st.OutOfContactOn = due.String
	rows, err := tx.Query(`SELECT id, person_id, at, actor, from_status, to_status, cause, signal_id, detail
		FROM status_events WHERE person_id = ? ORDER BY id`, personID)
	if err != nil {
		return st, nil, fmt.Errorf("contact status: %w", err)
	}
	defer rows.Close()
	events := []*tether.StatusEvent{}
	for rows.Next() {
		e := &tether.StatusEvent{}
		var sig sql.NullInt64
		if err := rows.Scan(&e.ID, &e.PersonID, timeScan{&e.At}, &e.Actor, &e.From, &e.To, &e.Cause, &sig, &e.Detail); err != nil {
			return st, nil, fmt.Errorf("contact status: %w", err)
		}
		if sig.Valid {
			id := sig.Int64
			e.SignalID = &id
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return st, nil, fmt.Errorf("contact status: %w", err)
	}
	rows.Close()
	tx.Audit("person.status.read", "person", personID, "events="+strconv.Itoa(len(events)))
	if err := tx.Commit(); err != nil {
		return st, nil, fmt.Errorf("contact status: %w", err)
	}
	return st, events, nil
}
