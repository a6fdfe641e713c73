package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// The reporting sweeps: the rolling horizon, the end of the reporting day
// and the reminders. Each reads only the rows due to it, through a partial
// index, and marks each row as it changes it in the same transaction, so
// that a run killed part way leaves the rest to the next and nothing is
// done twice; on PostgreSQL, FOR UPDATE SKIP LOCKED lets several sweepers
// share the work.

// The sweeps' claims, each read through its partial index in its order
// (TestReportingIndexes checks the plans): their cost is the rows due.
const (
	horizonDueQuery = `SELECT ` + conditionCols + ` FROM reporting_conditions c WHERE c.horizon_done = 0 AND c.horizon_to < ?
		ORDER BY c.horizon_to, c.id`
	missedDueQuery = `SELECT id, person_id, condition_id, due_on, version FROM reporting_events
		WHERE state = 'due' AND due_on <= ? AND (due_on < ? OR at_time < ?) ORDER BY due_on, id`
	remindDueQuery = `SELECT id, person_id, condition_id, kind, COALESCE(centre, ''), due_on, at_time FROM reporting_events
		WHERE state = 'due' AND reminder_at IS NULL AND due_on <= ? ORDER BY due_on, at_time, id`
)

// skipLocked is the locking clause of a sweep's claim.
func (db *DB) skipLocked() string {
	if db.Dialect == Postgres {
		return ` FOR UPDATE SKIP LOCKED`
	}
	return ``
}

func checkMax(max int) error {
	if max < 1 || max > maxClaim {
		return tether.Invalid("max", "must be between 1 and "+strconv.Itoa(maxClaim))
	}
	return nil
}

// lockPeople locks the people, in order of id, on PostgreSQL: a sweep
// takes every person it will change before it changes any, so that two
// sweepers (or a sweeper and a desk) never wait on each other in a cycle,
// and no lock is upgraded from the key-share lock a foreign key check
// takes to the update lock the status machine takes.
func (tx *Tx) lockPeople(ids []int64) error {
	if tx.db.Dialect != Postgres || len(ids) == 0 {
		return nil
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.queryVar(`SELECT id FROM people WHERE id IN (`+placeholders(len(ids))+`) ORDER BY id FOR UPDATE`, args...)
	if err != nil {
		return fmt.Errorf("lock people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// ExtendHorizons makes the events of up to max conditions whose events run
// out within half the horizon, up to HorizonDays ahead, and returns how
// many conditions it extended. It reads only those conditions (an index on
// the horizon of the conditions not yet made to their end).
func (db *DB) ExtendHorizons(ctx context.Context, max int) (int, error) {
	if err := checkMax(max); err != nil {
		return 0, err
	}
	ctx, err := systemCtx(ctx, SweepActor)
	if err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("extend horizons: %w", err)
	}
	defer tx.rollback()
	cfg := db.reportingConfig()
	// Extended once fewer than half the horizon's days are ahead.
	before := tx.today().AddDays(cfg.HorizonDays / 2).String()
	rows, err := tx.Query(horizonDueQuery+` LIMIT `+strconv.Itoa(max)+db.skipLocked(), before)
	if err != nil {
		return 0, fmt.Errorf("extend horizons: %w", err)
	}
	var recs []*reporting.ConditionRecord
	for rows.Next() {
		r, err := scanCondition(rows)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("extend horizons: %w", err)
		}
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return 0, fmt.Errorf("extend horizons: %w", err)
	}
	rows.Close()
	for _, r := range recs {
		n, err := tx.makeEvents(r)
		if err != nil {
			return 0, fmt.Errorf("extend horizons: %w", err)
		}
		tx.Audit("reporting.horizon", "reporting_condition", r.ID, "events="+strconv.Itoa(n)+" to="+r.HorizonTo.String())
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("extend horizons: %w", err)
	}
	return len(recs), nil
}

// missedCut says which due events have had their day: those of days before
// today and, once the end of the day has come, today's with an earlier
// time (or none). It returns today and the time before which today's
// events count ("" before the end of the day: none of them).
func (tx *Tx) missedCut(cfg Reporting) (today calendar.Date, before string) {
	today = tx.today()
	if tx.clock() >= cfg.EndOfDay {
		return today, cfg.EndOfDay
	}
	return today, ""
}

// missedDue is a due event whose day has ended.
type missedDue struct {
	id, personID, conditionID int64
	day                       string
	version                   int
}

// MarkMissedEvents closes as missed up to max due events whose day has
// ended (see Reporting.EndOfDay), and applies tether.CauseMissedEvent to
// each one's person in the same transaction: each event once, with one
// status event per miss. It reads only due events, by day, and returns how
// many it marked.
func (db *DB) MarkMissedEvents(ctx context.Context, max int) (int, error) {
	if err := checkMax(max); err != nil {
		return 0, err
	}
	ctx, err := systemCtx(ctx, SweepActor)
	if err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("mark missed events: %w", err)
	}
	defer tx.rollback()
	today, before := tx.missedCut(db.reportingConfig())
	rows, err := tx.Query(missedDueQuery+` LIMIT `+strconv.Itoa(max)+db.skipLocked(), today.String(), today.String(), before)
	if err != nil {
		return 0, fmt.Errorf("mark missed events: %w", err)
	}
	var due []missedDue
	for rows.Next() {
		var m missedDue
		if err := rows.Scan(&m.id, &m.personID, &m.conditionID, &m.day, &m.version); err != nil {
			rows.Close()
			return 0, fmt.Errorf("mark missed events: %w", err)
		}
		due = append(due, m)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return 0, fmt.Errorf("mark missed events: %w", err)
	}
	rows.Close()
	people := make([]int64, len(due))
	for i, m := range due {
		people[i] = m.personID
	}
	if err := tx.lockPeople(people); err != nil {
		return 0, fmt.Errorf("mark missed events: %w", err)
	}
	marked, err := tx.markMissed(due)
	if err != nil {
		return 0, fmt.Errorf("mark missed events: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("mark missed events: %w", err)
	}
	return marked, nil
}

// markMissed closes the events as missed (guarded: an event closed
// meanwhile is left alone), records each, and applies each miss to its
// person's contact status. The closing and the history are one statement
// each for all the events; the status machine runs per miss.
func (tx *Tx) markMissed(due []missedDue) (int, error) {
	if len(due) == 0 {
		return 0, nil
	}
	by := tx.actor.String()
	args := []any{tx.db.ts(tx.now), by}
	for _, m := range due {
		args = append(args, m.id)
	}
	rows, err := tx.queryVar(`UPDATE reporting_events SET state = 'missed', version = version + 1, outcome_at = ?, outcome_by = ?
		WHERE id IN (`+placeholders(len(due))+`) AND state = 'due' RETURNING id`, args...)
	if err != nil {
		return 0, err
	}
	closed := make(map[int64]bool, len(due))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		closed[id] = true
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return 0, err
	}
	rows.Close()
	const cols = 9
	hist := make([]any, 0, len(closed)*cols)
	ta := &timeArgs{db: tx.db}
	for _, m := range due {
		if closed[m.id] {
			hist = append(hist, m.personID, m.conditionID, m.id, ta.arg(tx.now), by, reporting.ActionMissed,
				reporting.EventDue, reporting.EventMissed, "the reporting day "+m.day+" ended with no check-in")
		}
	}
	if err := tx.bulkInsert(`INSERT INTO reporting_history (person_id, condition_id, event_id, at, actor, action, from_state,
		to_state, detail) VALUES `, ``, cols, hist, nil); err != nil {
		return 0, err
	}
	// Each miss goes to its person's status in turn, as applyStatus would
	// take it, with the reads and writes of the whole batch in bulk
	// (applyStatuses).
	misses := make([]statusCause, 0, len(closed))
	events := make([]missedDue, 0, len(closed))
	for _, m := range due {
		if !closed[m.id] {
			continue // closed meanwhile
		}
		misses = append(misses, statusCause{personID: m.personID, cause: tether.CauseMissedEvent,
			detail: "reporting event " + strconv.FormatInt(m.id, 10) + " missed"})
		events = append(events, m)
	}
	if err := tx.applyStatuses(misses, func(i int) {
		m := events[i]
		tx.Audit("reporting.event.missed", "reporting_event", m.id, "person="+strconv.FormatInt(m.personID, 10)+" day="+m.day)
	}); err != nil {
		return 0, err
	}
	return len(closed), nil
}

// remindDue is a due event whose reminder may be due.
type remindDue struct {
	id, personID, conditionID int64
	kind, centre, day, at     string
	date                      calendar.Date
}

// SendReminders handles the reminders of up to max due events whose
// reminder time (ReminderLead before the event; an event without a time of
// day counts as at ReminderDayStart) has come: a notice from the reminder
// template, by text message, or by email when the person has no working
// mobile number, through the outbox; or none, with the reason, when
// neither works (or the event's time had passed, or it is electronic
// monitoring, which needs no reminder). Each event is marked with what was
// done in the same transaction as the notice, so that a retry or a second
// sweeper never sends twice. It returns how many it handled.
func (db *DB) SendReminders(ctx context.Context, max int) (int, error) {
	if err := checkMax(max); err != nil {
		return 0, err
	}
	ctx, err := systemCtx(ctx, SweepActor)
	if err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("send reminders: %w", err)
	}
	defer tx.rollback()
	cfg := db.reportingConfig()
	loc := db.correspondence().Location
	cutoff := calendar.FromTime(tx.now.Add(cfg.ReminderLead), loc)
	rows, err := tx.Query(remindDueQuery+` LIMIT `+strconv.Itoa(max)+db.skipLocked(), cutoff.String())
	if err != nil {
		return 0, fmt.Errorf("send reminders: %w", err)
	}
	var due []remindDue
	for rows.Next() {
		var r remindDue
		if err := rows.Scan(&r.id, &r.personID, &r.conditionID, &r.kind, &r.centre, &r.day, &r.at); err != nil {
			rows.Close()
			return 0, fmt.Errorf("send reminders: %w", err)
		}
		if r.date, err = calendar.ParseDate(r.day); err != nil {
			rows.Close()
			return 0, fmt.Errorf("send reminders: event %d: %w", r.id, err)
		}
		due = append(due, r)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return 0, fmt.Errorf("send reminders: %w", err)
	}
	rows.Close()
	people := make([]int64, len(due))
	for i, r := range due {
		people[i] = r.personID
	}
	if err := tx.lockPeople(people); err != nil {
		return 0, fmt.Errorf("send reminders: %w", err)
	}
	handled := 0
	for _, r := range due {
		at := r.at
		if at == "" {
			at = ReminderDayStart
		}
		mins, _ := clockMinutes(at)
		moment := r.date.Time(loc).Add(time.Duration(mins) * time.Minute)
		if moment.Add(-cfg.ReminderLead).After(tx.now) {
			continue // not yet: its reminder is due later
		}
		ok, err := tx.remind(r, moment, cfg)
		if err != nil {
			return 0, fmt.Errorf("send reminders: %w", err)
		}
		if ok {
			handled++
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("send reminders: %w", err)
	}
	return handled, nil
}

// remind handles one event's reminder: it claims the event (so that it is
// handled once), makes the notice or records why there is none, and
// records what it did. It reports false when the event was claimed
// meanwhile.
func (tx *Tx) remind(r remindDue, moment time.Time, cfg Reporting) (bool, error) {
	res, err := tx.Exec(`UPDATE reporting_events SET reminder_at = ? WHERE id = ? AND reminder_at IS NULL AND state = 'due'`,
		tx.db.ts(tx.now), r.id)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, err
	} else if n == 0 {
		return false, nil
	}
	var n *tether.Notice
	channel, note := reporting.ReminderNone, ""
	switch {
	case !moment.After(tx.now):
		note = "the event's time had passed before its reminder was due"
	case r.kind == reporting.KindElectronicMonitoring:
		note = "electronic monitoring needs no reminder"
	default:
		values := map[string]string{"centre_name": reminderPlace(r), "time": reminderTime(r.at), "date": r.date.Long()}
		n, note, err = tx.reminderNotice(r.personID, cfg.ReminderTemplate, values, r.date)
		if err != nil {
			return false, err
		}
		if n != nil {
			channel = n.Method
		}
	}
	var noticeID *int64
	if n != nil {
		noticeID = &n.ID
	}
	if _, err := tx.Exec(`UPDATE reporting_events SET reminder_channel = ?, reminder_notice = ?, reminder_note = ? WHERE id = ?`,
		channel, orgArg(noticeID), clip(note, 500), r.id); err != nil {
		return false, err
	}
	detail := "by " + channel
	if n != nil {
		detail += " as notice " + n.Ref
	}
	if note != "" {
		detail += ": " + note
	}
	id := r.id
	if err := tx.reportingChange(r.personID, r.conditionID, &id, reporting.ActionReminded, "", channel, detail); err != nil {
		return false, err
	}
	audit := "channel=" + channel
	if n != nil {
		audit += " notice=" + strconv.FormatInt(n.ID, 10)
	}
	tx.Audit("reporting.event.remind", "reporting_event", r.id, audit)
	return true, nil
}

// reminderPlace is where the reminder tells the person to report, as the
// template's centre_name reads: "you must report to ((centre_name))".
func reminderPlace(r remindDue) string {
	switch r.kind {
	case reporting.KindInPerson:
		if r.centre != "" {
			return r.centre
		}
	case reporting.KindTelephone:
		return "us by telephone"
	case reporting.KindDigital:
		return "us online"
	}
	return "us"
}

// reminderTime writes "10:00" as "10am" and "14:30" as "2:30pm"; an event
// without a time is due by the end of the day.
func reminderTime(at string) string {
	mins, ok := clockMinutes(at)
	if at == "" || !ok {
		return "the end of the day"
	}
	h, m := mins/60, mins%60
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	if h = h % 12; h == 0 {
		h = 12
	}
	if m == 0 {
		return strconv.Itoa(h) + suffix
	}
	return fmt.Sprintf("%d:%02d%s", h, m, suffix)
}

// errReminderTemplate is a reminder template that cannot be used at all:
// configuration to put right, not a person's missing details, so the sweep
// fails rather than mark every event as not reminded.
var errReminderTemplate = errors.New("the reminder template")

// reminderNotice makes a person's reminder from the template, by the
// route the correspondence rules choose for a text message; when the
// person has no working mobile number, the same words by email when they
// have a working email address. It returns the notice, or nil with the
// reason there is none.
func (tx *Tx) reminderNotice(personID int64, key string, values map[string]string, day calendar.Date) (*tether.Notice, string, error) {
	req := &tether.NoticeRequest{PersonID: personID, TemplateKey: key, Personalisation: values}
	d, err := tx.draftNotice(req, true)
	if err == nil {
		if err := tx.insertNotice(d.Notice, d.Dest); err != nil {
			return nil, "", err
		}
		return d.Notice, "", nil
	}
	fields := tether.ErrorFields(err)
	if _, ok := fields["template_key"]; ok {
		return nil, "", fmt.Errorf("%w %q: %s", errReminderTemplate, key, tether.ErrorMessage(err))
	}
	if tether.ErrorCode(err) != tether.EINVALID {
		return nil, "", err
	}
	if _, ok := fields["method"]; !ok {
		return nil, "the reminder could not be made: " + tether.ErrorMessage(err), nil
	}
	// No working mobile number: the words, rendered as a draft to file
	// would be, go by email if there is a working address.
	p, err := tx.loadPerson(personID, true)
	if err != nil {
		return nil, "", err
	}
	points, err := tx.contactPoints(personID, true)
	if err != nil {
		return nil, "", err
	}
	route, err := tether.ChooseRoute(p, points, tether.ChannelEmail, tether.KindReminder, tx.now)
	if err != nil {
		return nil, "no working mobile number or email address", nil
	}
	req.Method, req.Reason = tether.MethodFile, "reminder"
	if d, err = tx.draftNotice(req, false); err != nil {
		return nil, "the reminder could not be made: " + tether.ErrorMessage(err), nil
	}
	n, c := d.Notice, route.ContactPoint
	n.Method, n.Party, n.ContactPointID = route.Method, route.Party, &c.ID
	n.Channel = tx.db.correspondence().sendingChannel(route.Method)
	n.Destination = destination(p, c)
	n.RouteReason = "No working mobile number for a text message reminder, so it goes by email. " + route.Reason
	n.CopyDue = false
	n.Subject = "Reminder: you must report on " + day.Long()
	if err := tx.insertNotice(n, nil); err != nil {
		return nil, "", err
	}
	return n, "no working mobile number: sent by email", nil
}
