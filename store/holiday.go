package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"tether"
	"tether/calendar"
)

// LoadHolidays stores a newer list of bank holidays (as "tether holidays
// load" reads it from GOV.UK or a file named by source), to be laid over
// calendar.Default() and the lists loaded before it, in load order, with
// calendar.Holidays.Merge: for each division and each year the list covers,
// its holidays replace the earlier ones. added counts the holidays it adds
// or moves; a list that changes nothing is not stored again, so loading
// the same list twice adds nothing. For admins (and system actors).
// EINVALID, EFORBIDDEN.
func (db *DB) LoadHolidays(ctx context.Context, h *calendar.Holidays, source string) (int, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return 0, err
	}
	source = strings.TrimSpace(source)
	q := tether.Problems{}
	if h == nil || len(h.Divisions()) == 0 {
		q.Add("holidays", "the list holds no divisions")
	}
	if source == "" || len(source) > 500 {
		q.Add("source", "say where the list came from, in 500 characters or fewer")
	}
	if err := q.Err(); err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("load holidays: %w", err)
	}
	defer tx.rollback()
	if db.Dialect == Postgres {
		// One load at a time, so that each compares with the one before.
		if _, err := tx.Exec(`SELECT pg_advisory_xact_lock(727002)`); err != nil {
			return 0, fmt.Errorf("load holidays: %w", err)
		}
	}
	current, err := tx.holidays()
	if err != nil {
		return 0, fmt.Errorf("load holidays: %w", err)
	}
	merged := current.Merge(h)
	a, err := json.Marshal(current)
	if err != nil {
		return 0, fmt.Errorf("load holidays: %w", err)
	}
	b, err := json.Marshal(merged)
	if err != nil {
		return 0, fmt.Errorf("load holidays: %w", err)
	}
	if bytes.Equal(a, b) {
		return 0, nil
	}
	added, events := 0, 0
	for _, div := range h.Divisions() {
		for _, e := range h.Events(div) {
			events++
			if title, ok := current.IsHoliday(div, e.Date); !ok || title != e.Title {
				added++
			}
		}
	}
	id, err := tx.InsertID(`INSERT INTO holiday_loads (source, events, added, loaded_at, loaded_by) VALUES (?, ?, ?, ?, ?)`,
		source, events, added, tx.db.ts(tx.now), tx.actor.String())
	if err != nil {
		return 0, fmt.Errorf("load holidays: %w", err)
	}
	args := make([]any, 0, events*6)
	for _, div := range h.Divisions() {
		for _, e := range h.Events(div) {
			args = append(args, id, div, e.Date.String(), e.Title, e.Notes, e.Bunting)
		}
	}
	if err := tx.bulkInsert(`INSERT INTO holidays_loaded (load_id, division, date, title, notes, bunting) VALUES `, ``, 6, args, nil); err != nil {
		return 0, fmt.Errorf("load holidays: %w", err)
	}
	// Open enquiries' due dates count working days: recompute them, and
	// record each change, in this transaction (enquiry_sweep.go).
	if _, err := tx.recomputeEnquiryDues(current, merged, source); err != nil {
		return 0, fmt.Errorf("load holidays: %w", err)
	}
	tx.Audit("holidays.load", "holiday_load", id, "events="+strconv.Itoa(events)+" added="+strconv.Itoa(added))
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("load holidays: %w", err)
	}
	db.corr.holMu.Lock()
	db.corr.holCached = false
	db.corr.holMu.Unlock()
	return added, nil
}

// Holidays returns the bank holidays in force: calendar.Default() with the
// loaded lists laid over it in load order.
func (db *DB) Holidays(ctx context.Context) (*calendar.Holidays, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("holidays: %w", err)
	}
	defer tx.rollback()
	return tx.holidays()
}

// holidays returns the merged holidays, from the cache while no load has
// been stored since it was built (by this instance or another: the last
// load's id says).
func (tx *Tx) holidays() (*calendar.Holidays, error) {
	var last sql.NullInt64
	if err := tx.QueryRow(`SELECT MAX(id) FROM holiday_loads`).Scan(&last); err != nil {
		return nil, err
	}
	c := &tx.db.corr
	c.holMu.Lock()
	defer c.holMu.Unlock()
	if c.holCached && c.holLoadID == last.Int64 {
		return c.holidays, nil
	}
	h := calendar.Default()
	if last.Valid {
		rows, err := tx.Query(`SELECT load_id, division, date, title, notes, bunting FROM holidays_loaded
			WHERE load_id <= ? ORDER BY load_id, division, date`, last.Int64)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		type div struct {
			Division string           `json:"division"`
			Events   []calendar.Event `json:"events"`
		}
		var load map[string]*div
		loadID := int64(-1)
		flush := func() error {
			if load == nil {
				return nil
			}
			data, err := json.Marshal(load)
			if err != nil {
				return err
			}
			lh, err := calendar.ParseGovUK(data)
			if err != nil {
				return fmt.Errorf("holiday load %d: %w", loadID, err)
			}
			h = h.Merge(lh)
			return nil
		}
		for rows.Next() {
			var id int64
			var d, date string
			var e calendar.Event
			if err := rows.Scan(&id, &d, &date, &e.Title, &e.Notes, &e.Bunting); err != nil {
				return nil, err
			}
			if id != loadID {
				if err := flush(); err != nil {
					return nil, err
				}
				load, loadID = map[string]*div{}, id
			}
			if e.Date, err = calendar.ParseDate(date); err != nil {
				return nil, fmt.Errorf("holiday load %d: %w", id, err)
			}
			if load[d] == nil {
				load[d] = &div{Division: d, Events: []calendar.Event{}}
			}
			load[d].Events = append(load[d].Events, e)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if err := flush(); err != nil {
			return nil, err
		}
	}
	c.holidays, c.holLoadID, c.holCached = h, last.Int64, true
	return h, nil
}
