package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// ContactFigures works out the figures for managers for the months from
// and to (YYYY-MM, inclusive, at most reporting.MaxFigureMonths): per
// month, for all, per reporting centre and for the lapses with no centre,
// the lapses opened and their rate per person on reporting conditions,
// the reporting events missed, the times from the first signal to at risk,
// from at risk to the first tracing attempt and to contact re-established,
// and the share of lapses with an attempt within one working day. Counts
// and times only, so inspectors see them too; the read is audited.
// EINVALID (from, to), EFORBIDDEN.
func (db *DB) ContactFigures(ctx context.Context, from, to string) (*reporting.ContactFigures, error) {
	if _, err := lapseReader(ctx); err != nil {
		return nil, err
	}
	months, err := reporting.MonthRange(from, to)
	if err != nil {
		return nil, err
	}
	first, last := months[0].First().String(), months[len(months)-1].Last().String()
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("contact figures: %w", err)
	}
	defer tx.rollback()

	// The lapses opened in the months, each with its first attempt made.
	rows, err := tx.Query(`SELECT l.centre, l.opened_at, l.opened_on, l.first_signal_at, l.closed_at, l.closing_cause,
		COALESCE(pl.division, ''), (SELECT MIN(a.attempted_at) FROM tracing_attempts a WHERE a.lapse_id = l.id AND a.state = 'done')
		FROM lapses l LEFT JOIN tracing_plans pl ON pl.lapse_id = l.id
		WHERE l.opened_on >= ? AND l.opened_on <= ? ORDER BY l.opened_on, l.id`, first, last)
	if err != nil {
		return nil, fmt.Errorf("contact figures: %w", err)
	}
	var lapses []reporting.LapseFact
	for rows.Next() {
		var f reporting.LapseFact
		var centre sql.NullString
		var opened, closingCause string
		var firstAttempt any
		if err := rows.Scan(&centre, timeScan{&f.OpenedAt}, &opened, timeScan{&f.FirstSignalAt}, nullTimeScan{&f.ClosedAt},
			&closingCause, &f.Division, &firstAttempt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("contact figures: %w", err)
		}
		f.Centre = centre.String
		if f.OpenedOn, err = calendar.ParseDate(opened); err != nil {
			rows.Close()
			return nil, fmt.Errorf("contact figures: lapse opened on %q: %w", opened, err)
		}
		// MIN over a TIMESTAMPTZ is a time; over SQLite's text, text.
		if err := (nullTimeScan{&f.FirstAttemptAt}).Scan(firstAttempt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("contact figures: %w", err)
		}
		if closingCause != tether.CauseReEstablished {
			f.ClosedAt = nil
		}
		lapses = append(lapses, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("contact figures: %w", err)
	}

	// The reporting conditions in force at some time in the months.
	rows, err = tx.Query(`SELECT person_id, kind, centre, start_on, end_on FROM reporting_conditions
		WHERE start_on <= ? AND (end_on IS NULL OR end_on >= ?)`, last, first)
	if err != nil {
		return nil, fmt.Errorf("contact figures: %w", err)
	}
	var conds []reporting.ConditionSpan
	for rows.Next() {
		var c reporting.ConditionSpan
		var kind, start string
		var centre, end sql.NullString
		if err := rows.Scan(&c.PersonID, &kind, &centre, &start, &end); err != nil {
			rows.Close()
			return nil, fmt.Errorf("contact figures: %w", err)
		}
		c.InPerson, c.Centre = kind == reporting.KindInPerson, centre.String
		if c.Start, err = calendar.ParseDate(start); err != nil {
			rows.Close()
			return nil, fmt.Errorf("contact figures: condition start %q: %w", start, err)
		}
		if end.Valid && end.String != "" {
			if c.End, err = calendar.ParseDate(end.String); err != nil {
				rows.Close()
				return nil, fmt.Errorf("contact figures: condition end %q: %w", end.String, err)
			}
		}
		conds = append(conds, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("contact figures: %w", err)
	}

	// The reporting events due in the months and missed, counted by day.
	rows, err = tx.Query(`SELECT centre, due_on, COUNT(*) FROM reporting_events WHERE state = 'missed' AND due_on >= ? AND due_on <= ?
		GROUP BY centre, due_on`, first, last)
	if err != nil {
		return nil, fmt.Errorf("contact figures: %w", err)
	}
	var missed []reporting.MissedEvent
	for rows.Next() {
		var centre sql.NullString
		var due string
		var n int
		if err := rows.Scan(&centre, &due, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("contact figures: %w", err)
		}
		d, err := calendar.ParseDate(due)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("contact figures: event due %q: %w", due, err)
		}
		for range n {
			missed = append(missed, reporting.MissedEvent{Centre: centre.String, Due: d})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("contact figures: %w", err)
	}
	hol, err := tx.holidays()
	if err != nil {
		return nil, fmt.Errorf("contact figures: %w", err)
	}
	figs, err := reporting.ComputeContactFigures(months, lapses, conds, missed, tx.today(), db.correspondence().Location, hol)
	if err != nil {
		return nil, fmt.Errorf("contact figures: %w", err)
	}
	tx.rollback()
	// The read is recorded in a transaction of its own: figures are read on
	// the read pool.
	atx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("contact figures: %w", err)
	}
	defer atx.rollback()
	atx.Audit("figures.contact.read", "figures", 0, "from="+from+" to="+to+" lapses="+strconv.Itoa(len(lapses)))
	if err := atx.Commit(); err != nil {
		return nil, fmt.Errorf("contact figures: %w", err)
	}
	return &figs, nil
}
