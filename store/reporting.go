package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// Reporting configures reporting conditions and events: how far ahead
// events are made, when a reporting day ends, and the reminders.
type Reporting struct {
	// HorizonDays is how many days ahead events are made (the rolling
	// horizon); a condition's events are made again once fewer than half
	// of them are ahead, so that each condition is read about twice a
	// horizon, not every day.
	HorizonDays int
	// EndOfDay is the time ("HH:MM", UK time) after which today's due
	// events with an earlier time (or none) are missed. Events later in the
	// evening are missed when the day is over.
	EndOfDay string
	// ReminderLead is how long before an event its reminder is sent. An
	// event without a time of day counts as at ReminderDayStart.
	ReminderLead time.Duration
	// ReminderTemplate is the key of the text message template reminders
	// are rendered from.
	ReminderTemplate string
	// Rules are the eligibility rules; the zero value is
	// reporting.DefaultRules().
	Rules reporting.RuleSet
}

// Reporting defaults (check: configuration, not law).
const (
	DefaultEndOfDay         = "18:00"
	DefaultReminderLead     = 24 * time.Hour
	DefaultReminderTemplate = "reporting-reminder-sms"
	// ReminderDayStart is when an event without a time of day counts as
	// due, for its reminder: nobody is texted in the night.
	ReminderDayStart = "09:00"
	// maxReminderLead bounds the lead: a reminder weeks ahead reminds of
	// nothing.
	maxReminderLead = 7 * 24 * time.Hour
)

// DefaultReporting is the shipped configuration: events 28 days ahead, the
// day ends at 18:00, reminders by text message the day before.
func DefaultReporting() Reporting {
	return Reporting{HorizonDays: reporting.DefaultHorizonDays, EndOfDay: DefaultEndOfDay,
		ReminderLead: DefaultReminderLead, ReminderTemplate: DefaultReminderTemplate, Rules: reporting.DefaultRules()}
}

// Validate checks the configuration; EINVALID names the field.
func (r Reporting) Validate() error {
	q := tether.Problems{}
	if r.HorizonDays < 2 || r.HorizonDays > reporting.MaxHorizonDays {
		q.Add("horizon_days", "must be between 2 and "+strconv.Itoa(reporting.MaxHorizonDays)+" days")
	}
	if _, ok := clockMinutes(r.EndOfDay); !ok {
		q.Add("end_of_day", "must be a time of day written HH:MM on the 24-hour clock, like 18:00")
	}
	if r.ReminderLead <= 0 || r.ReminderLead > maxReminderLead {
		q.Add("reminder_lead", "must be more than 0 and at most 7 days (168h), like 24h")
	}
	if strings.TrimSpace(r.ReminderTemplate) == "" {
		q.Add("reminder_template", "name the text message template reminders use")
	}
	if len(r.Rules.Rules) > 0 || r.Rules.Name != "" {
		if err := r.Rules.Validate(); err != nil {
			q.Add("rules", tether.ErrorMessage(err))
		}
	}
	return q.Err()
}

// reportingState is the DB's reporting configuration.
type reportingState struct {
	mu  sync.RWMutex
	cfg *Reporting
}

// SetReporting sets the reporting configuration; zero fields take
// DefaultReporting's. EINVALID when a field is wrong.
func (db *DB) SetReporting(r Reporting) error {
	d := DefaultReporting()
	if r.HorizonDays == 0 {
		r.HorizonDays = d.HorizonDays
	}
	if r.EndOfDay == "" {
		r.EndOfDay = d.EndOfDay
	}
	if r.ReminderLead == 0 {
		r.ReminderLead = d.ReminderLead
	}
	if r.ReminderTemplate == "" {
		r.ReminderTemplate = d.ReminderTemplate
	}
	if len(r.Rules.Rules) == 0 && r.Rules.Name == "" {
		r.Rules = d.Rules
	}
	if err := r.Validate(); err != nil {
		return err
	}
	db.rep.mu.Lock()
	db.rep.cfg = &r
	db.rep.mu.Unlock()
	return nil
}

// reportingConfig returns the configuration in force.
func (db *DB) reportingConfig() Reporting {
	db.rep.mu.RLock()
	defer db.rep.mu.RUnlock()
	if db.rep.cfg == nil {
		return defaultReportingConfig()
	}
	return *db.rep.cfg
}

// defaultReportingConfig is DefaultReporting, parsed once.
var defaultReportingConfig = sync.OnceValue(DefaultReporting)

// clockMinutes reads "HH:MM" on the 24-hour clock as minutes after midnight.
func clockMinutes(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	h, m := int(s[0]-'0')*10+int(s[1]-'0'), int(s[3]-'0')*10+int(s[4]-'0')
	return h*60 + m, h < 24 && m < 60
}

// clock is the transaction's time of day in the correspondence location
// (UK time), "HH:MM".
func (tx *Tx) clock() string {
	return tx.now.In(tx.db.correspondence().Location).Format("15:04")
}

// Who may do what with reporting. Organisation users see none of it;
// inspectors read, without personal data unless granted.
func reportingReader(ctx context.Context) (tether.Actor, error) {
	a, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleCaseworker, tether.RoleEnquiries, tether.RoleInspector)
	if tether.ErrorCode(err) == tether.EFORBIDDEN {
		return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not see reporting conditions and events.")
	}
	return a, err
}

func reportingWriter(ctx context.Context) (tether.Actor, error) {
	a, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleCaseworker)
	if tether.ErrorCode(err) == tether.EFORBIDDEN {
		return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not change reporting conditions and events.")
	}
	return a, err
}

func errConditionNotFound() error {
	return tether.Errorf(tether.ENOTFOUND, "Reporting condition not found.")
}

func errEventNotFound() error {
	return tether.Errorf(tether.ENOTFOUND, "Reporting event not found.")
}

// Conditions.

const conditionCols = `c.id, c.person_id, c.kind, c.centre, c.division, c.schedule, c.number, c.device, c.start_on, c.end_on,
	c.set_by, c.reason, c.replaces_id, c.ended_reason, c.horizon_to, c.version, c.created_at, c.created_by`

func scanCondition(row rowScanner) (*reporting.ConditionRecord, error) {
	r := &reporting.ConditionRecord{}
	var centre, division, end sql.NullString
	var schedule, start, horizon string
	var replaces sql.NullInt64
	if err := row.Scan(&r.ID, &r.PersonID, &r.Kind, &centre, &division, &schedule, &r.Phone, &r.Device, &start, &end,
		&r.SetBy, &r.Reason, &replaces, &r.EndedReason, &horizon, &r.Version, timeScan{&r.CreatedAt}, &r.CreatedBy); err != nil {
		return nil, err
	}
	r.Centre, r.Division = centre.String, division.String
	var err error
	if r.Schedule, err = reporting.ParseSchedule(schedule); err != nil {
		return nil, fmt.Errorf("condition %d: stored schedule: %w", r.ID, err)
	}
	if r.Start, err = calendar.ParseDate(start); err != nil {
		return nil, fmt.Errorf("condition %d: start: %w", r.ID, err)
	}
	if end.Valid {
		if r.End, err = calendar.ParseDate(end.String); err != nil {
			return nil, fmt.Errorf("condition %d: end: %w", r.ID, err)
		}
	}
	if horizon != "" {
		if r.HorizonTo, err = calendar.ParseDate(horizon); err != nil {
			return nil, fmt.Errorf("condition %d: horizon: %w", r.ID, err)
		}
	}
	if replaces.Valid {
		id := replaces.Int64
		r.Replaces = &id
	}
	return r, nil
}

// loadCondition reads one condition, locking it on PostgreSQL when lock.
func (tx *Tx) loadCondition(id int64, lock bool) (*reporting.ConditionRecord, error) {
	q := `SELECT ` + conditionCols + ` FROM reporting_conditions c WHERE c.id = ?`
	if lock && tx.db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	r, err := scanCondition(tx.QueryRow(q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errConditionNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("load condition: %w", err)
	}
	return r, nil
}

// personConditions reads every condition of a person, oldest first.
func (tx *Tx) personConditions(personID int64) ([]*reporting.ConditionRecord, error) {
	rows, err := tx.Query(`SELECT `+conditionCols+` FROM reporting_conditions c WHERE c.person_id = ? ORDER BY c.id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*reporting.ConditionRecord{}
	for rows.Next() {
		r, err := scanCondition(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// admitContext is what the rules need to admit a condition for a person:
// the person (locked), their flags and their other conditions.
func (tx *Tx) admitContext(personID int64) (*tether.Person, reporting.Facts, []reporting.Condition, error) {
	p, err := tx.loadPerson(personID, true)
	if err != nil {
		return nil, reporting.Facts{}, nil, err
	}
	flags, err := tx.personFlagNames(personID)
	if err != nil {
		return nil, reporting.Facts{}, nil, err
	}
	recs, err := tx.personConditions(personID)
	if err != nil {
		return nil, reporting.Facts{}, nil, err
	}
	existing := make([]reporting.Condition, len(recs))
	for i, r := range recs {
		existing[i] = r.Condition
	}
	return p, reporting.FactsFrom(p, nil, flags, tx.now), existing, nil
}

// nullText is s, or NULL when s is empty.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullDate is d as text, or NULL for the zero date.
func nullDate(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// insertCondition stores an admitted condition and makes its first events.
func (tx *Tx) insertCondition(c *reporting.Condition) (*reporting.ConditionRecord, error) {
	c.SetBy = clip(c.SetBy, 200)
	id, err := tx.InsertID(`INSERT INTO reporting_conditions (person_id, kind, centre, division, schedule, number, device,
		start_on, end_on, set_by, reason, replaces_id, ended_reason, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.PersonID, c.Kind, nullText(c.Centre), nullText(c.Division), c.Schedule.String(), c.Phone, c.Device,
		c.Start.String(), nullDate(c.End), c.SetBy, c.Reason, orgArg(c.Replaces), c.EndedReason, tx.db.ts(tx.now), tx.actor.String())
	if err != nil {
		if isForeignKey(err) {
			return nil, errPersonNotFound()
		}
		return nil, fmt.Errorf("insert condition: %w", err)
	}
	c.ID = id
	rec := &reporting.ConditionRecord{Condition: *c, Version: 1, CreatedAt: tx.now, CreatedBy: tx.actor.String()}
	detail := c.Describe()
	if c.Replaces != nil {
		detail += "; replaces condition " + strconv.FormatInt(*c.Replaces, 10)
	}
	if err := tx.reportingChange(c.PersonID, id, nil, reporting.ActionSet, "", "", detail); err != nil {
		return nil, err
	}
	tx.Audit("reporting.condition.set", "reporting_condition", id, "person="+strconv.FormatInt(c.PersonID, 10)+" kind="+c.Kind)
	if _, err := tx.makeEvents(rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// reportingChange appends an entry to the reporting history.
func (tx *Tx) reportingChange(personID, conditionID int64, eventID *int64, action, from, to, detail string) error {
	_, err := tx.Exec(`INSERT INTO reporting_history (person_id, condition_id, event_id, at, actor, action, from_state, to_state, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, personID, conditionID, orgArg(eventID), tx.db.ts(tx.now), tx.actor.String(),
		action, from, to, clip(detail, 1000))
	if err != nil {
		return fmt.Errorf("reporting history: %w", err)
	}
	return nil
}

// eventInsertCols is the number of values insertEvents writes per event.
const eventInsertCols = 11

// makeEvents makes the condition's events on the rolling horizon, from
// the day after its horizon (or today) to HorizonDays ahead, and moves its
// horizon on: each event once (a condition has one event a day, and the
// days already made are skipped). It returns how many it made.
func (tx *Tx) makeEvents(rec *reporting.ConditionRecord) (int, error) {
	cfg := tx.db.reportingConfig()
	today := tx.today()
	from, to, ok := reporting.NextHorizon(rec.HorizonTo, today, cfg.HorizonDays)
	if !ok {
		return 0, nil
	}
	var hol *calendar.Holidays
	if rec.Kind == reporting.KindInPerson {
		var err error
		if hol, err = tx.holidays(); err != nil {
			return 0, fmt.Errorf("make events: %w", err)
		}
	}
	occ, err := reporting.Occurrences(rec.Condition, from, to, hol)
	if err != nil {
		return 0, fmt.Errorf("make events for condition %d: %w", rec.ID, err)
	}
	made := 0
	if len(occ) > 0 {
		args := make([]any, 0, len(occ)*eventInsertCols)
		ta := &timeArgs{db: tx.db}
		for _, o := range occ {
			args = append(args, rec.ID, rec.PersonID, rec.Kind, nullText(rec.Centre), o.Date.String(), o.At,
				o.Scheduled.String(), clip(o.Note, 1000), reporting.EventDue, 1, ta.arg(tx.now))
		}
		err := tx.bulkInsert(`INSERT INTO reporting_events (condition_id, person_id, kind, centre, due_on, at_time,
			scheduled_on, note, state, version, created_at) VALUES `, ` ON CONFLICT (condition_id, due_on) DO NOTHING RETURNING id`,
			eventInsertCols, args, func(*sql.Rows) error { made++; return nil })
		if err != nil {
			return 0, fmt.Errorf("make events: %w", err)
		}
	}
	done := 0
	if !rec.End.IsZero() && !to.Before(rec.End) {
		done = 1
	}
	if _, err := tx.Exec(`UPDATE reporting_conditions SET horizon_to = ?, horizon_done = ? WHERE id = ?`, to.String(), done, rec.ID); err != nil {
		return 0, fmt.Errorf("make events: %w", err)
	}
	rec.HorizonTo = to
	if made > 0 {
		if err := tx.reportingChange(rec.PersonID, rec.ID, nil, reporting.ActionEventsMade, "", "",
			fmt.Sprintf("%d events made for %s to %s", made, from, to)); err != nil {
			return 0, err
		}
	}
	return made, nil
}

// withdrawEvents deletes the condition's events still due after last
// (the condition no longer binds then), recording each withdrawal. Events
// already closed stay as they are. It returns how many it withdrew.
func (tx *Tx) withdrawEvents(rec *reporting.ConditionRecord, last calendar.Date, why string) (int, error) {
	rows, err := tx.Query(`SELECT id, due_on FROM reporting_events WHERE condition_id = ? AND state = 'due' AND due_on > ? ORDER BY due_on`,
		rec.ID, last.String())
	if err != nil {
		return 0, fmt.Errorf("withdraw events: %w", err)
	}
	type ev struct {
		id  int64
		day string
	}
	var evs []ev
	for rows.Next() {
		var e ev
		if err := rows.Scan(&e.id, &e.day); err != nil {
			rows.Close()
			return 0, fmt.Errorf("withdraw events: %w", err)
		}
		evs = append(evs, e)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return 0, fmt.Errorf("withdraw events: %w", err)
	}
	rows.Close()
	for _, e := range evs {
		if _, err := tx.Exec(`UPDATE reporting_events SET rescheduled_from = NULL WHERE rescheduled_from = ?`, e.id); err != nil {
			return 0, fmt.Errorf("withdraw events: %w", err)
		}
		if _, err := tx.Exec(`DELETE FROM reporting_events WHERE id = ? AND state = 'due'`, e.id); err != nil {
			return 0, fmt.Errorf("withdraw events: %w", err)
		}
		id := e.id
		if err := tx.reportingChange(rec.PersonID, rec.ID, &id, reporting.ActionWithdrawn, reporting.EventDue, "",
			"the event of "+e.day+" was withdrawn: "+why); err != nil {
			return 0, err
		}
	}
	return len(evs), nil
}

// CreateCondition sets a reporting condition for a person after the rules
// admit it (valid, allowed for the person's flags, not overlapping another
// of the same kind), and makes its events on the rolling horizon, in one
// transaction. SetBy defaults to the actor. EINVALID (naming the field and
// the rule), ENOTFOUND (the person), EFORBIDDEN.
func (db *DB) CreateCondition(ctx context.Context, c *reporting.Condition) (*reporting.ConditionRecord, error) {
	a, err := reportingWriter(ctx)
	if err != nil {
		return nil, err
	}
	c.ID, c.Replaces, c.EndedReason = 0, nil, ""
	if strings.TrimSpace(c.SetBy) == "" {
		c.SetBy = a.String()
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("create condition: %w", err)
	}
	defer tx.rollback()
	_, facts, existing, err := tx.admitContext(c.PersonID)
	if err != nil {
		return nil, err
	}
	if err := reporting.Admit(c, existing, facts, db.reportingConfig().Rules); err != nil {
		return nil, err
	}
	rec, err := tx.insertCondition(c)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create condition: %w", err)
	}
	return rec, nil
}

// ChangeCondition replaces condition id with next, as reporting.Change
// does: the old one ends the day before next starts (with reason), its
// events still due from then on are withdrawn, and next is stored with
// its events, naming the one it replaces (with reason as its own reason
// when it has none). It returns both. EINVALID,
// ENOTFOUND, EFORBIDDEN.
func (db *DB) ChangeCondition(ctx context.Context, id int64, next *reporting.Condition, reason string) (old, replacement *reporting.ConditionRecord, err error) {
	a, err := reportingWriter(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("change condition: %w", err)
	}
	defer tx.rollback()
	// Locks go condition (or event) first, then person, in every writer.
	cur, err := tx.loadCondition(id, true)
	if err != nil {
		return nil, nil, err
	}
	_, facts, existing, err := tx.admitContext(cur.PersonID)
	if err != nil {
		return nil, nil, err
	}
	next.ID, next.PersonID, next.Replaces, next.EndedReason = 0, cur.PersonID, nil, ""
	if strings.TrimSpace(next.SetBy) == "" {
		next.SetBy = a.String()
	}
	if strings.TrimSpace(next.Reason) == "" {
		next.Reason = reason // why it changed is why the new one is set
	}
	ended, err := reporting.Change(cur.Condition, next, existing, facts, db.reportingConfig().Rules, reason)
	if err != nil {
		return nil, nil, err
	}
	if err := tx.endCondition(cur, ended, reporting.ActionReplaced, "replaced from "+next.Start.String()+": "+ended.EndedReason); err != nil {
		return nil, nil, err
	}
	rec, err := tx.insertCondition(next)
	if err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("change condition: %w", err)
	}
	return cur, rec, nil
}

// endCondition writes the end of cur as ended (its End and EndedReason),
// withdraws its events still due after the end, and records it.
func (tx *Tx) endCondition(cur *reporting.ConditionRecord, ended reporting.Condition, action, detail string) error {
	done := 0
	if !cur.HorizonTo.IsZero() && !cur.HorizonTo.Before(ended.End) {
		done = 1
	}
	res, err := tx.Exec(`UPDATE reporting_conditions SET end_on = ?, ended_reason = ?, horizon_done = CASE WHEN ? = 1 THEN 1 ELSE horizon_done END,
		version = version + 1 WHERE id = ? AND version = ?`, ended.End.String(), ended.EndedReason, done, cur.ID, cur.Version)
	if err != nil {
		return fmt.Errorf("end condition: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("end condition: %w", err)
	} else if n == 0 {
		return tether.Errorf(tether.ECONFLICT, "This condition changed meanwhile: read it again.")
	}
	withdrawn, err := tx.withdrawEvents(cur, ended.End, "the condition ended on "+ended.End.String())
	if err != nil {
		return err
	}
	if err := tx.reportingChange(cur.PersonID, cur.ID, nil, action, "", ended.End.String(),
		fmt.Sprintf("%s; %d due events withdrawn", detail, withdrawn)); err != nil {
		return err
	}
	tx.Audit("reporting.condition."+action, "reporting_condition", cur.ID, "end="+ended.End.String()+" withdrawn="+strconv.Itoa(withdrawn))
	cur.Condition, cur.Version = ended, cur.Version+1
	return nil
}

// EndCondition ends condition id on last (its last day, inclusive), with a
// reason, when no condition replaces it; its events still due after last
// are withdrawn. EINVALID, ENOTFOUND, EFORBIDDEN.
func (db *DB) EndCondition(ctx context.Context, id int64, last calendar.Date, reason string) (*reporting.ConditionRecord, error) {
	if _, err := reportingWriter(ctx); err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("end condition: %w", err)
	}
	defer tx.rollback()
	cur, err := tx.loadCondition(id, true)
	if err != nil {
		return nil, err
	}
	if _, err := tx.loadPerson(cur.PersonID, true); err != nil {
		return nil, err
	}
	ended, err := reporting.End(cur.Condition, last, reason)
	if err != nil {
		return nil, err
	}
	if err := tx.endCondition(cur, ended, reporting.ActionEnded, ended.EndedReason); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("end condition: %w", err)
	}
	return cur, nil
}

// conditionHistory reads the changes to the conditions themselves (not
// their events), oldest first, by condition.
func (tx *Tx) conditionHistory(where string, arg any) (map[int64][]reporting.HistoryEntry, error) {
	rows, err := tx.Query(`SELECT h.id, h.condition_id, h.event_id, h.at, h.actor, h.action, h.from_state, h.to_state, h.detail
		FROM reporting_history h WHERE h.event_id IS NULL AND h.condition_id IN (`+where+`) ORDER BY h.id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]reporting.HistoryEntry{}
	for rows.Next() {
		ch, err := scanChange(rows)
		if err != nil {
			return nil, err
		}
		out[ch.ConditionID] = append(out[ch.ConditionID], ch)
	}
	return out, rows.Err()
}

func scanChange(row rowScanner) (reporting.HistoryEntry, error) {
	var ch reporting.HistoryEntry
	var ev sql.NullInt64
	if err := row.Scan(&ch.ID, &ch.ConditionID, &ev, timeScan{&ch.At}, &ch.Actor, &ch.Action, &ch.From, &ch.To, &ch.Detail); err != nil {
		return ch, err
	}
	if ev.Valid {
		id := ev.Int64
		ch.EventID = &id
	}
	return ch, nil
}

// FindCondition reads one condition with its history, and records the
// read. ENOTFOUND, EFORBIDDEN.
func (db *DB) FindCondition(ctx context.Context, id int64) (*reporting.ConditionRecord, error) {
	a, err := reportingReader(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find condition: %w", err)
	}
	defer tx.rollback()
	rec, err := tx.loadCondition(id, false)
	if err != nil {
		return nil, err
	}
	h, err := tx.conditionHistory(`?`, id)
	if err != nil {
		return nil, fmt.Errorf("find condition: %w", err)
	}
	rec.History = h[id]
	tx.Audit("reporting.condition.read", "reporting_condition", id, "person="+strconv.FormatInt(rec.PersonID, 10))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("find condition: %w", err)
	}
	redactCondition(a, rec)
	return rec, nil
}

// PersonConditions lists a person's conditions, current and ended, oldest
// first, each with its history, and records the read. ENOTFOUND,
// EFORBIDDEN.
func (db *DB) PersonConditions(ctx context.Context, personID int64) ([]*reporting.ConditionRecord, error) {
	a, err := reportingReader(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("person conditions: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.loadPerson(personID, false); err != nil {
		return nil, err
	}
	recs, err := tx.personConditions(personID)
	if err != nil {
		return nil, fmt.Errorf("person conditions: %w", err)
	}
	h, err := tx.conditionHistory(`SELECT id FROM reporting_conditions WHERE person_id = ?`, personID)
	if err != nil {
		return nil, fmt.Errorf("person conditions: %w", err)
	}
	for _, r := range recs {
		r.History = h[r.ID]
		redactCondition(a, r)
	}
	tx.Audit("reporting.conditions.read", "person", personID, "conditions="+strconv.Itoa(len(recs)))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("person conditions: %w", err)
	}
	return recs, nil
}

// redactCondition blanks what only readers of personal data may see: the
// number called, and the caseworkers' words, which can hold anything.
func redactCondition(a tether.Actor, r *reporting.ConditionRecord) {
	if a.CanSeePersonalData() {
		return
	}
	r.Phone, r.Reason, r.EndedReason = "", "", ""
	for i := range r.History {
		r.History[i].Detail = ""
	}
}

// Events.

const eventCols = `e.id, e.condition_id, e.person_id, e.kind, e.centre, e.due_on, e.at_time, e.scheduled_on, e.note, e.state,
	e.version, e.outcome_at, e.outcome_by, e.how, e.reported_where, e.reason, e.accepted_by, e.rescheduled_to,
	e.rescheduled_from, e.reminder_at, e.reminder_channel, e.reminder_notice, e.reminder_note`

func scanEvent(row rowScanner) (*reporting.EventRecord, error) {
	r := &reporting.EventRecord{}
	var centre sql.NullString
	var due, scheduled, newDate string
	var outcomeAt, remindedAt *time.Time
	var from, notice sql.NullInt64
	var o reporting.Outcome
	var rem reporting.Reminder
	if err := row.Scan(&r.ID, &r.ConditionID, &r.PersonID, &r.Kind, &centre, &due, &r.At, &scheduled, &r.Note, &r.State,
		&r.Version, nullTimeScan{&outcomeAt}, &o.By, &o.How, &o.Where, &o.Reason, &o.AcceptedBy, &newDate,
		&from, nullTimeScan{&remindedAt}, &rem.Channel, &notice, &rem.Note); err != nil {
		return nil, err
	}
	r.Centre = centre.String
	var err error
	if r.Date, err = calendar.ParseDate(due); err != nil {
		return nil, fmt.Errorf("event %d: day: %w", r.ID, err)
	}
	if r.Scheduled, err = calendar.ParseDate(scheduled); err != nil {
		return nil, fmt.Errorf("event %d: scheduled day: %w", r.ID, err)
	}
	if outcomeAt != nil {
		o.State, o.At = r.State, *outcomeAt
		if newDate != "" {
			if o.NewDate, err = calendar.ParseDate(newDate); err != nil {
				return nil, fmt.Errorf("event %d: new day: %w", r.ID, err)
			}
		}
		r.Outcome = &o
	}
	if from.Valid {
		id := from.Int64
		r.RescheduledFrom = &id
	}
	if remindedAt != nil {
		rem.At = *remindedAt
		if notice.Valid {
			id := notice.Int64
			rem.NoticeID = &id
		}
		r.Reminder = &rem
	}
	return r, nil
}

// loadEvent reads one event, locking it on PostgreSQL when lock.
func (tx *Tx) loadEvent(id int64, lock bool) (*reporting.EventRecord, error) {
	q := `SELECT ` + eventCols + ` FROM reporting_events e WHERE e.id = ?`
	if lock && tx.db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	r, err := scanEvent(tx.QueryRow(q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errEventNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("load event: %w", err)
	}
	return r, nil
}

// eventHistory reads an event's changes, oldest first.
func (tx *Tx) eventHistory(id int64) ([]reporting.HistoryEntry, error) {
	rows, err := tx.Query(`SELECT h.id, h.condition_id, h.event_id, h.at, h.actor, h.action, h.from_state, h.to_state, h.detail
		FROM reporting_history h WHERE h.event_id = ? ORDER BY h.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []reporting.HistoryEntry{}
	for rows.Next() {
		ch, err := scanChange(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, rows.Err()
}

// redactEvent blanks what only readers of personal data may see: where a
// person reported (a number called), and the words of reasons and notes.
func redactEvent(a tether.Actor, r *reporting.EventRecord) {
	if a.CanSeePersonalData() {
		return
	}
	if r.Outcome != nil {
		o := *r.Outcome
		o.Where, o.Reason = "", ""
		r.Outcome = &o
	}
	if r.RescheduledFrom != nil {
		r.Note = ""
	}
	for i := range r.History {
		r.History[i].Detail = ""
	}
}

// FindEvent reads one event with its history, and records the read.
// ENOTFOUND, EFORBIDDEN.
func (db *DB) FindEvent(ctx context.Context, id int64) (*reporting.EventRecord, error) {
	a, err := reportingReader(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find event: %w", err)
	}
	defer tx.rollback()
	rec, err := tx.loadEvent(id, false)
	if err != nil {
		return nil, err
	}
	if rec.History, err = tx.eventHistory(id); err != nil {
		return nil, fmt.Errorf("find event: %w", err)
	}
	tx.Audit("reporting.event.read", "reporting_event", id, "person="+strconv.FormatInt(rec.PersonID, 10))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("find event: %w", err)
	}
	redactEvent(a, rec)
	return rec, nil
}

// maxPersonEvents bounds one PersonEvents answer.
const maxPersonEvents = 1000

// PersonEvents lists a person's events from from to to (both included;
// a zero date leaves that end open), by day, at most 1,000 (the earliest),
// and records the read. EINVALID, ENOTFOUND, EFORBIDDEN.
func (db *DB) PersonEvents(ctx context.Context, personID int64, from, to calendar.Date) ([]*reporting.EventRecord, error) {
	a, err := reportingReader(ctx)
	if err != nil {
		return nil, err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return nil, tether.Invalid("to", "is before from ("+from.String()+")")
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("person events: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.loadPerson(personID, false); err != nil {
		return nil, err
	}
	lo, hi := "0000-00-00", "9999-99-99"
	if !from.IsZero() {
		lo = from.String()
	}
	if !to.IsZero() {
		hi = to.String()
	}
	rows, err := tx.Query(`SELECT `+eventCols+` FROM reporting_events e WHERE e.person_id = ? AND e.due_on >= ? AND e.due_on <= ?
		ORDER BY e.due_on, e.id LIMIT `+strconv.Itoa(maxPersonEvents), personID, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("person events: %w", err)
	}
	defer rows.Close()
	out := []*reporting.EventRecord{}
	for rows.Next() {
		r, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("person events: %w", err)
		}
		redactEvent(a, r)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("person events: %w", err)
	}
	rows.Close()
	tx.Audit("reporting.events.read", "person", personID, "events="+strconv.Itoa(len(out)))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("person events: %w", err)
	}
	return out, nil
}

// rosterQuery reads a centre's events of a day, by time, through the
// roster index.
const rosterQuery = `SELECT e.id, e.condition_id, e.person_id, p.ref, p.given_names, p.family_name, e.at_time, e.state,
	e.version, e.note, e.rescheduled_from FROM reporting_events e JOIN people p ON p.id = e.person_id
	WHERE e.centre = ? AND e.due_on = ? ORDER BY e.at_time, e.id`

// maxRoster bounds one roster: a centre sees hundreds a day, not more.
const maxRoster = 5000

// Roster lists who is due at a reporting centre on a day, by time, with
// names and references (names only for readers of personal data), and
// marks as late the events due earlier today that nobody has checked in.
// The centre is matched as stored, spaces collapsed. It records the read.
// EINVALID, EFORBIDDEN.
func (db *DB) Roster(ctx context.Context, centre string, day calendar.Date) (*reporting.Roster, error) {
	a, err := reportingReader(ctx)
	if err != nil {
		return nil, err
	}
	centre = strings.Join(strings.Fields(centre), " ")
	q := tether.Problems{}
	switch {
	case centre == "":
		q.Add("centre", "name the reporting centre")
	case utf8.RuneCountInString(centre) > 200:
		q.Add("centre", "must be 200 characters or fewer")
	}
	if !day.IsValid() {
		q.Add("day", "give the day, YYYY-MM-DD")
	}
	if err := q.Err(); err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	defer tx.rollback()
	today, clock := tx.today(), tx.clock()
	ro := &reporting.Roster{Centre: centre, Day: day, Entries: []reporting.RosterEntry{}}
	if day == today {
		ro.Now = clock
	}
	rows, err := tx.Query(rosterQuery+` LIMIT `+strconv.Itoa(maxRoster), centre, day.String())
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var en reporting.RosterEntry
		var given, family string
		var from sql.NullInt64
		if err := rows.Scan(&en.EventID, &en.ConditionID, &en.PersonID, &en.PersonRef, &given, &family, &en.At, &en.State,
			&en.Version, &en.Note, &from); err != nil {
			return nil, fmt.Errorf("roster: %w", err)
		}
		if a.CanSeePersonalData() {
			en.Name = strings.TrimSpace(given + " " + family)
		} else if from.Valid {
			en.Note = ""
		}
		ev := reporting.Event{State: en.State, Date: day, At: en.At}
		en.Late = ev.Late(today, clock)
		switch {
		case en.Late:
			ro.Late++
		case en.State == reporting.EventDue:
			ro.Expected++
		case en.State == reporting.EventReported:
			ro.Reported++
		default:
			ro.Other++
		}
		ro.Entries = append(ro.Entries, en)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	rows.Close()
	tx.Audit("reporting.roster.read", "reporting_centre", 0, "day="+day.String()+" entries="+strconv.Itoa(len(ro.Entries)))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	return ro, nil
}

// CheckInEvent records that the person reported for event id, today: the
// event is closed as reported (who checked them in, how, where, when), the
// contact this is brings the person back in contact when they were not
// (tether.CauseReEstablished), and both are audited, in one transaction.
// Of two desks checking in one event at once, one wins and the other gets
// ECONFLICT saying it was checked in already. A check-in of an event not
// due today, or closed, is refused with ECONFLICT; EINVALID, ENOTFOUND,
// EFORBIDDEN. On SQLite, check-ins that arrive together are committed
// together (checkin_batch.go), each still all or nothing.
func (db *DB) CheckInEvent(ctx context.Context, id int64, in reporting.CheckIn) (*reporting.EventRecord, error) {
	if _, err := reportingWriter(ctx); err != nil {
		return nil, err
	}
	if db.Dialect == SQLite {
		return db.checkIns.do(db, ctx, id, in)
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("check in: %w", err)
	}
	defer tx.rollback()
	e, err := tx.checkIn(id, in)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("check in: %w", err)
	}
	return e, nil
}

// checkIn is CheckInEvent's work in tx, by tx's actor, without the commit.
func (tx *Tx) checkIn(id int64, in reporting.CheckIn) (*reporting.EventRecord, error) {
	// The event and its person's status, both locked (see
	// loadEventStatus), before anything is written.
	e, status, err := tx.loadEventStatus(id)
	if err != nil {
		return nil, err
	}
	if e.State == reporting.EventReported && e.Outcome != nil {
		return nil, tether.Errorf(tether.ECONFLICT, "This event was already checked in, at %s by %s.",
			e.Outcome.At.In(tx.db.correspondence().Location).Format("15:04 on 2 January 2006"), e.Outcome.By)
	}
	in.How, in.Where = strings.TrimSpace(in.How), strings.TrimSpace(in.Where)
	if in.How == "" {
		in.How = e.Kind
	}
	if in.Where == "" {
		switch {
		case in.How == reporting.KindInPerson && e.Centre != "":
			in.Where = e.Centre
		case in.How == reporting.KindTelephone:
			var number string
			if err := tx.QueryRow(`SELECT number FROM reporting_conditions WHERE id = ?`, e.ConditionID).Scan(&number); err != nil {
				return nil, fmt.Errorf("check in: %w", err)
			}
			in.Where = number
		}
	}
	rec, err := reporting.Record(e.Event, reporting.Outcome{State: reporting.EventReported, At: tx.now, By: tx.actor.String(),
		How: in.How, Where: in.Where}, tx.today())
	if err != nil {
		return nil, err
	}
	if in.Version != 0 && in.Version != e.Version {
		return nil, tether.Errorf(tether.ECONFLICT, "This event changed since you read it (version %d, now %d): read it again.", in.Version, e.Version)
	}
	if err := tx.closeEvent(e, rec); err != nil {
		return nil, err
	}
	queued := len(tx.audit)
	if status != tether.StatusInContact {
		if _, err := tx.applyStatusFrom(e.PersonID, status, tether.CauseReEstablished, nil,
			"checked in for reporting event "+strconv.FormatInt(e.ID, 10)+" ("+rec.Event.Outcome.How+")"); err != nil {
			return nil, fmt.Errorf("check in: %w", err)
		}
	}
	// One audit entry for the check-in, naming every record it changed
	// and how (the person's status, their lapse, its task), rather than
	// one entry each: a check-in is one act, and the entries of a person
	// back in contact were a quarter of the pages each group of
	// check-ins wrote. Each record's own history (status, lapse and task
	// events) still has its change, with who and when.
	tx.FoldAudit(queued, "reporting.event.check_in", "reporting_event", e.ID,
		"person="+strconv.FormatInt(e.PersonID, 10)+" how="+in.How)
	return e, nil
}

// loadEventStatus reads event id and its person's contact status for a
// check-in. On PostgreSQL it locks the event, then the person (the order
// RecordOutcome takes them in; see lockPeople); on SQLite, whose one
// writer holds the database for the transaction, it reads both in one
// query.
func (tx *Tx) loadEventStatus(id int64) (*reporting.EventRecord, string, error) {
	var status string
	if tx.db.Dialect == Postgres {
		e, err := tx.loadEvent(id, true)
		if err != nil {
			return nil, "", err
		}
		if err := tx.QueryRow(`SELECT contact_status FROM people WHERE id = ? FOR UPDATE`, e.PersonID).Scan(&status); err != nil {
			return nil, "", fmt.Errorf("load event: %w", err)
		}
		return e, status, nil
	}
	e, err := scanEvent(scanAlso{tx.QueryRow(`SELECT `+eventCols+`, (SELECT p.contact_status FROM people p WHERE p.id = e.person_id)
		FROM reporting_events e WHERE e.id = ?`, id), []any{&status}})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", errEventNotFound()
	} else if err != nil {
		return nil, "", fmt.Errorf("load event: %w", err)
	}
	return e, status, nil
}

// scanAlso scans a row into a scan function's destinations and then into
// also: the columns a query adds after those the function reads.
type scanAlso struct {
	row  rowScanner
	also []any
}

func (s scanAlso) Scan(dest ...any) error { return s.row.Scan(append(dest, s.also...)...) }

// closeEvent writes an outcome that reporting.Record gave for e, guarded
// by e's version, records it in the history, and updates e.
func (tx *Tx) closeEvent(e *reporting.EventRecord, rec reporting.Recorded) error {
	o := rec.Event.Outcome
	newDate := ""
	if !o.NewDate.IsZero() {
		newDate = o.NewDate.String()
	}
	res, err := tx.Exec(`UPDATE reporting_events SET state = ?, version = version + 1, outcome_at = ?, outcome_by = ?, how = ?,
		reported_where = ?, reason = ?, accepted_by = ?, rescheduled_to = ? WHERE id = ? AND version = ?`,
		o.State, tx.db.ts(o.At), clip(o.By, 200), o.How, clip(o.Where, 200), clip(o.Reason, 1000), clip(o.AcceptedBy, 200), newDate,
		e.ID, e.Version)
	if err != nil {
		return fmt.Errorf("close event: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("close event: %w", err)
	} else if n == 0 {
		return tether.Errorf(tether.ECONFLICT, "This event changed meanwhile: read it again.")
	}
	detail := outcomeDetail(*o)
	id := e.ID
	if err := tx.reportingChange(e.PersonID, e.ConditionID, &id, o.State, e.State, o.State, detail); err != nil {
		return err
	}
	e.Event, e.Version = rec.Event, e.Version+1
	return nil
}

// outcomeDetail is an outcome in words for the history.
func outcomeDetail(o reporting.Outcome) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+": "+v)
		}
	}
	add("how", o.How)
	add("where", o.Where)
	add("reason", o.Reason)
	add("accepted by", o.AcceptedBy)
	if !o.NewDate.IsZero() {
		add("new day", o.NewDate.String())
	}
	return strings.Join(parts, "; ")
}

// RecordOutcome records an outcome of event id as reporting.Record allows:
// a miss applies tether.CauseMissedEvent to the person's contact status; a
// later accepted explanation turns a miss into excused (the miss stays in
// the history); rescheduling makes a new due event on the new day (within
// the condition, on a day the centre is open), which it returns as next.
// A check-in is CheckInEvent. ECONFLICT (closed, or changed meanwhile),
// EINVALID, ENOTFOUND, EFORBIDDEN.
func (db *DB) RecordOutcome(ctx context.Context, id int64, in reporting.OutcomeRequest) (e, next *reporting.EventRecord, err error) {
	if _, err := reportingWriter(ctx); err != nil {
		return nil, nil, err
	}
	in.State = strings.TrimSpace(in.State)
	switch in.State {
	case reporting.EventMissed, reporting.EventExcused, reporting.EventRescheduled:
	case reporting.EventReported:
		return nil, nil, tether.Invalid("state", "a report is a check-in: use check-in")
	default:
		return nil, nil, tether.Invalid("state", "must be missed, excused or rescheduled")
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("record outcome: %w", err)
	}
	defer tx.rollback()
	if e, err = tx.loadEvent(id, true); err != nil {
		return nil, nil, err
	}
	if _, err := tx.loadPerson(e.PersonID, true); err != nil {
		return nil, nil, err
	}
	rec, err := reporting.Record(e.Event, reporting.Outcome{State: in.State, At: tx.now, By: tx.actor.String(),
		Reason: in.Reason, AcceptedBy: in.AcceptedBy, NewDate: in.NewDate, NewAt: in.NewAt}, tx.today())
	if err != nil {
		return nil, nil, err
	}
	if in.Version != 0 && in.Version != e.Version {
		return nil, nil, tether.Errorf(tether.ECONFLICT, "This event changed since you read it (version %d, now %d): read it again.", in.Version, e.Version)
	}
	if rec.Next != nil {
		if err := tx.checkNewDay(e, rec.Next.Date); err != nil {
			return nil, nil, err
		}
	}
	was := e.State
	if err := tx.closeEvent(e, rec); err != nil {
		return nil, nil, err
	}
	eid := strconv.FormatInt(e.ID, 10)
	switch rec.Cause {
	case tether.CauseMissedEvent:
		if _, err := tx.applyStatus(e.PersonID, tether.CauseMissedEvent, nil, "reporting event "+eid+" missed"); err != nil {
			return nil, nil, fmt.Errorf("record outcome: %w", err)
		}
	}
	if rec.Next != nil {
		if next, err = tx.insertNextEvent(e, *rec.Next); err != nil {
			return nil, nil, err
		}
	}
	tx.Audit("reporting.event."+in.State, "reporting_event", e.ID, "person="+strconv.FormatInt(e.PersonID, 10)+" from="+was)
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("record outcome: %w", err)
	}
	return e, next, nil
}

// checkNewDay refuses a new day for a rescheduled event that its condition
// does not bind, or, in person, when the centre is closed.
func (tx *Tx) checkNewDay(e *reporting.EventRecord, day calendar.Date) error {
	c, err := tx.loadCondition(e.ConditionID, false)
	if err != nil {
		return err
	}
	if !c.Active(day) {
		return tether.Invalid("new_date", "is outside the condition ("+c.Describe()+"): change the condition instead")
	}
	if c.Kind == reporting.KindInPerson {
		hol, err := tx.holidays()
		if err != nil {
			return err
		}
		cal, err := hol.For(c.Division)
		if err != nil {
			return tether.Invalid("new_date", "no bank holidays are known for the centre's division")
		}
		if !cal.IsWorkingDay(day) {
			why := "falls at the weekend"
			if ev, ok := cal.Holiday(day); ok {
				why = "is " + ev.Title
			}
			return tether.Invalid("new_date", day.Long()+" "+why+", when the reporting centre is closed: choose a working day")
		}
	}
	return nil
}

// insertNextEvent stores the new due event of a rescheduled one.
func (tx *Tx) insertNextEvent(from *reporting.EventRecord, next reporting.Event) (*reporting.EventRecord, error) {
	id, err := tx.InsertID(`INSERT INTO reporting_events (condition_id, person_id, kind, centre, due_on, at_time, scheduled_on,
		note, state, version, rescheduled_from, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (condition_id, due_on) DO NOTHING`,
		from.ConditionID, from.PersonID, from.Kind, nullText(from.Centre), next.Date.String(), next.At, next.Date.String(),
		clip(next.Note, 1000), reporting.EventDue, 1, from.ID, tx.db.ts(tx.now))
	// The condition's event of that day, if it has one, stands: a
	// condition has one event a day. (ON CONFLICT rather than catching the
	// violation, which would end a PostgreSQL transaction.)
	if errors.Is(err, sql.ErrNoRows) {
		var other int64
		if err := tx.QueryRow(`SELECT id FROM reporting_events WHERE condition_id = ? AND due_on = ?`, from.ConditionID, next.Date.String()).Scan(&other); err != nil {
			return nil, fmt.Errorf("reschedule: %w", err)
		}
		return nil, tether.Invalid("new_date", "the condition has an event on "+next.Date.Long()+" already (event "+
			strconv.FormatInt(other, 10)+"): choose another day")
	} else if err != nil {
		return nil, fmt.Errorf("reschedule: %w", err)
	}
	rec := &reporting.EventRecord{Event: next, Centre: from.Centre, Scheduled: next.Date, Version: 1}
	rec.ID = id
	if err := tx.reportingChange(from.PersonID, from.ConditionID, &id, reporting.ActionRescheduled, "", reporting.EventDue,
		"rescheduled from event "+strconv.FormatInt(from.ID, 10)+" of "+from.Date.String()); err != nil {
		return nil, err
	}
	return rec, nil
}

// Flags.

// personFlagNames lists the flags set on a person.
func (tx *Tx) personFlagNames(personID int64) ([]string, error) {
	rows, err := tx.Query(`SELECT flag FROM person_flags WHERE person_id = ? ORDER BY flag`, personID)
	if err != nil {
		return nil, fmt.Errorf("person flags: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SetPersonFlag sets (set) or clears a flag the eligibility rules read on a
// person, with the reason, and records it; setting a flag that is set, or
// clearing one that is not, is ECONFLICT. Conditions already set stay as
// they are: the flag binds the next condition. EINVALID, ENOTFOUND,
// EFORBIDDEN.
func (db *DB) SetPersonFlag(ctx context.Context, personID int64, flag string, set bool, reason string) error {
	if _, err := reportingWriter(ctx); err != nil {
		return err
	}
	flag, reason = strings.TrimSpace(flag), strings.TrimSpace(reason)
	if err := reporting.CheckFlagChange(flag, reason); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("set person flag: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.loadPerson(personID, true); err != nil {
		return err
	}
	action := reporting.ActionFlagSet
	if set {
		_, err = tx.Exec(`INSERT INTO person_flags (person_id, flag, set_at, set_by, reason) VALUES (?, ?, ?, ?, ?)`,
			personID, flag, db.ts(tx.now), tx.actor.String(), reason)
		if isUnique(err) {
			return tether.Errorf(tether.ECONFLICT, "This person has the flag %s already.", flag)
		}
	} else {
		action = reporting.ActionFlagCleared
		var res sql.Result
		if res, err = tx.Exec(`DELETE FROM person_flags WHERE person_id = ? AND flag = ?`, personID, flag); err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return tether.Errorf(tether.ECONFLICT, "This person does not have the flag %s.", flag)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("set person flag: %w", err)
	}
	if _, err := tx.Exec(`INSERT INTO person_flag_events (person_id, flag, action, at, actor, reason) VALUES (?, ?, ?, ?, ?, ?)`,
		personID, flag, action, db.ts(tx.now), tx.actor.String(), reason); err != nil {
		return fmt.Errorf("set person flag: %w", err)
	}
	tx.Audit("person."+action, "person", personID, "flag="+flag)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set person flag: %w", err)
	}
	return nil
}

// PersonFlags reads the flags set on a person and every setting and
// clearing, oldest first, and records the read. ENOTFOUND, EFORBIDDEN.
func (db *DB) PersonFlags(ctx context.Context, personID int64) ([]reporting.PersonFlag, []reporting.FlagChange, error) {
	a, err := reportingReader(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("person flags: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.loadPerson(personID, false); err != nil {
		return nil, nil, err
	}
	flags := []reporting.PersonFlag{}
	rows, err := tx.Query(`SELECT flag, set_at, set_by, reason FROM person_flags WHERE person_id = ? ORDER BY flag`, personID)
	if err != nil {
		return nil, nil, fmt.Errorf("person flags: %w", err)
	}
	for rows.Next() {
		var f reporting.PersonFlag
		if err := rows.Scan(&f.Flag, timeScan{&f.SetAt}, &f.SetBy, &f.Reason); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("person flags: %w", err)
		}
		if !a.CanSeePersonalData() {
			f.Reason = ""
		}
		flags = append(flags, f)
	}
	rows.Close()
	changes := []reporting.FlagChange{}
	rows, err = tx.Query(`SELECT id, flag, action, at, actor, reason FROM person_flag_events WHERE person_id = ? ORDER BY id`, personID)
	if err != nil {
		return nil, nil, fmt.Errorf("person flags: %w", err)
	}
	for rows.Next() {
		var c reporting.FlagChange
		if err := rows.Scan(&c.ID, &c.Flag, &c.Action, timeScan{&c.At}, &c.Actor, &c.Reason); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("person flags: %w", err)
		}
		if !a.CanSeePersonalData() {
			c.Reason = ""
		}
		changes = append(changes, c)
	}
	rows.Close()
	tx.Audit("person.flags.read", "person", personID, "flags="+strconv.Itoa(len(flags)))
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("person flags: %w", err)
	}
	return flags, changes, nil
}
