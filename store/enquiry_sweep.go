package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"tether"
	"tether/calendar"
	"tether/enquiry"
)

// dueEnquiries reads up to max ids of open enquiries whose column col (an
// indexed date) is on or before (or, with strict, before) today, and
// whose mark column is not yet set, oldest first, skipping rows another
// sweep holds on PostgreSQL.
func (tx *Tx) dueEnquiries(col, mark string, strict bool, max int) ([]int64, error) {
	op := "<="
	if strict {
		op = "<"
	}
	lock := ``
	if tx.db.Dialect == Postgres {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	rows, err := tx.Query(`SELECT e.id FROM enquiries e WHERE e.`+mark+` IS NULL AND `+openEnquiryStates+` AND e.`+col+` `+op+` ?
		ORDER BY e.`+col+`, e.id LIMIT `+strconv.Itoa(max)+lock, tx.today().String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// teamLead is the user who leads the team, if one is named.
func (tx *Tx) teamLead(team string) (*int64, error) {
	var id int64
	err := tx.QueryRow(`SELECT l.user_id FROM enquiry_team_leads l JOIN users u ON u.id = l.user_id
		WHERE l.team = ? AND u.disabled = ?`, team, false).Scan(&id)
	if err == sql.ErrNoRows {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &id, nil
}

// whomToWarn names the users a warning or breach is for: the assignee and
// the team lead, as "user:4,user:9", and in words.
func (tx *Tx) whomToWarn(e *storedEnquiry) (refs, words string, err error) {
	lead, err := tx.teamLead(e.Team)
	if err != nil {
		return "", "", err
	}
	var r, w []string
	if e.Assignee != nil {
		r, w = append(r, tether.UserRef(*e.Assignee)), append(w, "the assignee")
	}
	if lead != nil && (e.Assignee == nil || *lead != *e.Assignee) {
		r, w = append(r, tether.UserRef(*lead)), append(w, "the team lead")
	}
	if len(w) == 0 {
		return "", "nobody is assigned and the team has no lead: the enquiry waits in the " + e.Team + " team's queue", nil
	}
	return strings.Join(r, ","), "warned " + strings.Join(w, " and "), nil
}

// markEnquiries runs a due sweep: for up to max open enquiries found by
// col and not yet marked in mark, it sets the mark (once: a second sweep
// finds it set), records the event with the users it is for, raises the
// task's priority and records an audit entry, in one transaction. It
// returns how many it marked: fewer than max means none is left.
func (db *DB) markEnquiries(ctx context.Context, max int, col, mark string, strict bool, action, priority string,
	note func(tx *Tx, e *storedEnquiry, today calendar.Date) string) (int, error) {
	if max < 1 || max > maxClaim {
		return 0, tether.Invalid("max", "must be between 1 and "+strconv.Itoa(maxClaim))
	}
	ctx, err := systemCtx(ctx, SweepActor)
	if err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("enquiry %s: %w", action, err)
	}
	defer tx.rollback()
	ids, err := tx.dueEnquiries(col, mark, strict, max)
	if err != nil {
		return 0, fmt.Errorf("enquiry %s: %w", action, err)
	}
	today := tx.today()
	done := 0
	for _, id := range ids {
		res, err := tx.Exec(`UPDATE enquiries SET `+mark+` = ?, updated_at = ?, version = version + 1 WHERE id = ? AND `+mark+` IS NULL`,
			db.ts(tx.now), db.ts(tx.now), id)
		if err != nil {
			return 0, fmt.Errorf("enquiry %s: %w", action, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, fmt.Errorf("enquiry %s: %w", action, err)
		} else if n == 0 {
			continue // marked meanwhile
		}
		e, err := tx.loadEnquiry(id, false)
		if err != nil {
			return 0, err
		}
		refs, words, err := tx.whomToWarn(e)
		if err != nil {
			return 0, fmt.Errorf("enquiry %s: %w", action, err)
		}
		if err := tx.enquiryEvent(id, action, e.DueOn, refs, note(tx, e, today)+" "+strings.ToUpper(words[:1])+words[1:]+"."); err != nil {
			return 0, fmt.Errorf("enquiry %s: %w", action, err)
		}
		if e.TaskID != nil {
			if err := tx.raiseEnquiryTask(*e.TaskID, priority, "enquiry "+action); err != nil {
				return 0, err
			}
		}
		tx.Audit("enquiry."+action, "enquiry", id, "due="+e.DueOn+" to="+refs)
		done++
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("enquiry %s: %w", action, err)
	}
	return done, nil
}

// WarnEnquiries warns the assignee and the team lead of up to max open
// enquiries whose day of warning has come (the standards' working days
// before the due date): each once per due date, with an event naming them
// and the enquiry's task raised to high priority. It reads only the
// enquiries not yet warned, by day of warning, and returns how many it
// warned.
func (db *DB) WarnEnquiries(ctx context.Context, max int) (int, error) {
	return db.markEnquiries(ctx, max, "warn_on", "warned_at", false, enquiry.EventWarning, tether.PriorityHigh,
		func(tx *Tx, e *storedEnquiry, today calendar.Date) string {
			due, _ := calendar.ParseDate(e.DueOn)
			left := 0
			if cal, err := tx.calendarFor(e.Division); err == nil {
				left = cal.WorkingDaysBetween(today, due)
			}
			s := "Due on " + due.Long() + ", " + strconv.Itoa(left) + " working days from today."
			if e.Holdings == 0 {
				s += " If the answer will be late, send a holding reply before then."
			}
			return s
		})
}

// BreachEnquiries raises a breach for up to max open enquiries whose due
// date has passed: each once per due date, the day after it, with an
// event naming the assignee and the team lead and the enquiry's task made
// urgent. It reads only the enquiries not yet breached, by due date, and
// returns how many it raised.
func (db *DB) BreachEnquiries(ctx context.Context, max int) (int, error) {
	return db.markEnquiries(ctx, max, "due_on", "breached_at", true, enquiry.EventBreach, tether.PriorityUrgent,
		func(_ *Tx, e *storedEnquiry, _ calendar.Date) string {
			due, _ := calendar.ParseDate(e.DueOn)
			s := "Not answered by " + due.Long() + "."
			if e.Holdings == 0 {
				s += " No holding reply was sent."
			}
			return s
		})
}

// changedHolidays lists, per division, the days that are a bank holiday
// in one list and not the other.
func changedHolidays(before, after *calendar.Holidays) map[string][]calendar.Date {
	out := map[string][]calendar.Date{}
	for _, div := range calendar.Divisions() {
		seen := map[calendar.Date]int{}
		for _, e := range before.Events(div) {
			seen[e.Date]++
		}
		for _, e := range after.Events(div) {
			seen[e.Date]--
		}
		for d, n := range seen {
			if n != 0 {
				out[div] = append(out[div], d)
			}
		}
	}
	return out
}

// recomputeEnquiryDues works out again, with the bank holidays after, the
// standard due date of every open enquiry whose count of working days a
// changed holiday falls in, and records each change as an event with the
// source: the date due moves with it unless a holding reply committed to
// one, and the warning, the breach and the task move with the date due.
// It returns how many enquiries it changed. It is called by LoadHolidays,
// in its transaction.
func (tx *Tx) recomputeEnquiryDues(before, after *calendar.Holidays, source string) (int, error) {
	st := tx.db.EnquiryStandards()
	today := tx.today()
	changed := 0
	for div, days := range changedHolidays(before, after) {
		lo, hi := days[0], days[0]
		for _, d := range days {
			if d.Before(lo) {
				lo = d
			}
			if d.After(hi) {
				hi = d
			}
		}
		cal, err := after.For(div)
		if err != nil {
			return 0, err
		}
		// A holiday changes the count only if it falls after receipt and
		// on or before the date the count reached.
		rows, err := tx.Query(`SELECT e.id FROM enquiries e WHERE e.division = ? AND `+openEnquiryStates+`
			AND e.standard_due_on >= ? AND e.received_on < ? ORDER BY e.id`, div, lo.String(), hi.String())
		if err != nil {
			return 0, err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return 0, err
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return 0, err
		}
		rows.Close()
		for _, id := range ids {
			e, err := tx.loadEnquiry(id, true)
			if err != nil {
				return 0, err
			}
			received, err := calendar.ParseDate(e.ReceivedOn)
			if err != nil {
				return 0, fmt.Errorf("enquiry %d: received_on: %w", id, err)
			}
			std, err := st.For(e.Urgency, e.Category)
			if err != nil || std.WorkingDays != e.StandardDays {
				std = enquiry.Standard{WorkingDays: e.StandardDays,
					Text: "This enquiry is answered within " + strconv.Itoa(e.StandardDays) + " working days."}
			}
			due := enquiry.DueDate(received, std, cal)
			if due.Date.String() == e.StandardDueOn {
				continue
			}
			old := e.StandardDueOn
			note := "Bank holidays changed (" + clip(source, 200) + "): the standard date moved from " +
				calendar.MustParseDate(old).Long() + " to " + due.Date.Long() + "."
			e.StandardDueOn, e.DueExplanation = due.Date.String(), due.Explanation
			prevDue := e.DueOn
			if e.Holdings == 0 {
				e.DueOn = e.StandardDueOn
				warn := enquiry.WarnOn(received, due.Date, st.WarnWorkingDays, cal)
				e.warnOn = warn.String()
				if warn.After(today) {
					e.WarnedAt = nil
				}
				if !due.Date.Before(today) {
					e.BreachedAt = nil
				}
			} else {
				note += " The date a holding reply committed to stands."
			}
			if err := tx.saveEnquiry(e); err != nil {
				return 0, err
			}
			if err := tx.enquiryEvent(id, enquiry.EventDueChanged, old, e.StandardDueOn, note); err != nil {
				return 0, err
			}
			if e.TaskID != nil && e.DueOn != prevDue {
				if err := tx.syncEnquiryTaskDue(*e.TaskID, e.DueOn, "bank holidays changed"); err != nil {
					return 0, err
				}
			}
			tx.Audit("enquiry.due", "enquiry", id, "standard_due="+old+"->"+e.StandardDueOn+" due="+prevDue+"->"+e.DueOn)
			changed++
		}
	}
	return changed, nil
}

// EnquiryReport works out the performance figures for enquiries received
// in the filter's months: per month of receipt, team, category and
// urgency, how many were received and answered, the share answered within
// the standard, the open ones by age in working days, and the late replies
// and those still outstanding past the standard in the bands of the
// published figures. Counts only, so inspectors see them too; the read is
// audited. It reads the figures kept as enquiries change (enquiry_stats)
// and the open enquiries only. EINVALID, EFORBIDDEN.
func (db *DB) EnquiryReport(ctx context.Context, f enquiry.ReportFilter) (*enquiry.Report, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleEnquiries, tether.RoleInspector); err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("enquiry report: %w", err)
	}
	defer tx.rollback()
	today := tx.today()
	if err := f.Validate(today.String()); err != nil {
		return nil, err
	}
	// The filter's terms, for a table aliased by prefix ("" or "e.").
	args := []any{f.From, f.To}
	var cols []string
	for _, c := range [][2]string{{"team", f.Team}, {"category", f.Category}, {"urgency", f.Urgency}} {
		if c[1] != "" {
			cols, args = append(cols, c[0]), append(args, c[1])
		}
	}
	cond := func(prefix string) string {
		var b strings.Builder
		for _, c := range cols {
			b.WriteString(` AND ` + prefix + c + ` = ?`)
		}
		return b.String()
	}
	b := enquiry.NewReportBuilder(f, today.String())
	rows, err := tx.Query(`SELECT received_month, team, category, urgency, late_band, n FROM enquiry_stats
		WHERE received_month >= ? AND received_month <= ?`+cond("")+` AND n <> 0`, args...)
	if err != nil {
		return nil, fmt.Errorf("enquiry report: %w", err)
	}
	for rows.Next() {
		var month, team, category, urgency, band string
		var n int
		if err := rows.Scan(&month, &team, &category, &urgency, &band, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("enquiry report: %w", err)
		}
		b.AddReceived(month, team, category, urgency, band, n)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("enquiry report: %w", err)
	}
	rows.Close()
	// The open enquiries, by the day received: their age in working days
	// is worked out once per day and division.
	hol, err := tx.holidays()
	if err != nil {
		return nil, fmt.Errorf("enquiry report: %w", err)
	}
	rows, err = tx.Query(`SELECT e.received_month, e.team, e.category, e.urgency, e.division, e.received_on, COUNT(*),
		COALESCE(SUM(CASE WHEN e.standard_due_on < ? THEN 1 ELSE 0 END), 0)
		FROM enquiries e WHERE `+openEnquiryStates+` AND e.received_month >= ? AND e.received_month <= ?`+cond("e.")+`
		GROUP BY e.received_month, e.team, e.category, e.urgency, e.division, e.received_on`, append([]any{today.String()}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("enquiry report: %w", err)
	}
	cals := map[string]calendar.Calendar{}
	for rows.Next() {
		var month, team, category, urgency, div, received string
		var n, outstanding int
		if err := rows.Scan(&month, &team, &category, &urgency, &div, &received, &n, &outstanding); err != nil {
			rows.Close()
			return nil, fmt.Errorf("enquiry report: %w", err)
		}
		cal, ok := cals[div]
		if !ok {
			if cal, err = hol.For(div); err != nil {
				rows.Close()
				return nil, fmt.Errorf("enquiry report: %w", err)
			}
			cals[div] = cal
		}
		r, err := calendar.ParseDate(received)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("enquiry report: received_on %q: %w", received, err)
		}
		age := cal.WorkingDaysBetween(r, today)
		if outstanding > 0 {
			b.AddOpen(month, team, category, urgency, age, true, outstanding)
		}
		if n > outstanding {
			b.AddOpen(month, team, category, urgency, age, false, n-outstanding)
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("enquiry report: %w", err)
	}
	rows.Close()
	r := b.Report()
	tx.Audit("enquiries.report", "enquiry", 0, "from="+f.From+" to="+f.To+" rows="+strconv.Itoa(len(r.Rows)))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("enquiry report: %w", err)
	}
	return &r, nil
}

// RebuildEnquiryStats works out the figures the report reads again from
// the enquiries' own columns, in one transaction: for a bulk load that
// writes enquiries without them, and to check them (administrators and
// system actors). It returns how many rows of figures there are.
func (db *DB) RebuildEnquiryStats(ctx context.Context) (int, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("rebuild enquiry stats: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.Exec(`DELETE FROM enquiry_stats`); err != nil {
		return 0, fmt.Errorf("rebuild enquiry stats: %w", err)
	}
	res, err := tx.Exec(`INSERT INTO enquiry_stats (received_month, team, category, urgency, late_band, n)
		SELECT received_month, team, category, urgency, late_band, COUNT(*) FROM enquiries
		GROUP BY received_month, team, category, urgency, late_band`)
	if err != nil {
		return 0, fmt.Errorf("rebuild enquiry stats: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("rebuild enquiry stats: %w", err)
	}
	tx.Audit("enquiries.stats.rebuild", "enquiry", 0, "rows="+strconv.FormatInt(n, 10))
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("rebuild enquiry stats: %w", err)
	}
	return int(n), nil
}
