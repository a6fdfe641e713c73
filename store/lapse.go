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

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// Lapses of contact and their tracing plans. A lapse opens, escalates and
// closes in tx.onStatusChange, which tx.applyStatus calls in the same
// transaction as every status change: so a person at risk, out of contact
// or an absconder always has exactly one open lapse (opened late, with a
// note, for a person already at risk before lapses were recorded), and a
// person back in contact none.

// Lapse paging.
const (
	lapsesDefaultLimit = 50
	lapsesMaxLimit     = 500
)

// lapseState is the DB's tracing configuration.
type lapseState struct {
	mu       sync.RWMutex
	playbook *reporting.Playbook
}

// SetTracingPlaybook sets the playbook new tracing plans are made from;
// plans already made keep theirs. EINVALID when it is not valid.
func (db *DB) SetTracingPlaybook(pb reporting.Playbook) error {
	if err := pb.Validate(); err != nil {
		return err
	}
	db.lapse.mu.Lock()
	db.lapse.playbook = &pb
	db.lapse.mu.Unlock()
	return nil
}

// playbook is the tracing playbook in force.
func (db *DB) playbook() reporting.Playbook {
	db.lapse.mu.RLock()
	defer db.lapse.mu.RUnlock()
	if db.lapse.playbook == nil {
		return defaultPlaybook()
	}
	return *db.lapse.playbook
}

var defaultPlaybook = sync.OnceValue(reporting.DefaultPlaybook)

// lapseReader is the actor in ctx when it may see lapses and tracing: the
// department's staff. Inspectors see them without personal data unless
// granted.
func lapseReader(ctx context.Context) (tether.Actor, error) {
	a, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleCaseworker, tether.RoleEnquiries, tether.RoleInspector)
	if tether.ErrorCode(err) == tether.EFORBIDDEN {
		return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not see lapses of contact and tracing.")
	}
	return a, err
}

func errLapseNotFound() error { return tether.Errorf(tether.ENOTFOUND, "Lapse not found.") }

func errAttemptNotFound() error { return tether.Errorf(tether.ENOTFOUND, "Tracing attempt not found.") }

// lapseCols are the lapses columns scanLapse reads, with the person's
// reference.
const lapseCols = `l.id, l.person_id, p.ref, l.opened_at, l.opened_on, l.opened_by, l.cause, l.first_signal_at,
	l.first_signal_cause, l.signal_id, l.first_signal_detail, l.centre, l.status, l.out_of_contact_at, l.absconder_at,
	l.closed_at, l.closed_on, l.closed_by, l.closing_cause, l.closing_detail, l.version`

const lapseFrom = ` FROM lapses l JOIN people p ON p.id = l.person_id`

func scanLapse(row rowScanner) (*tether.Lapse, error) {
	l := &tether.Lapse{}
	var sig sql.NullInt64
	var centre, closedOn sql.NullString
	if err := row.Scan(&l.ID, &l.PersonID, &l.PersonRef, timeScan{&l.OpenedAt}, &l.OpenedOn, &l.OpenedBy, &l.Cause,
		timeScan{&l.FirstSignalAt}, &l.FirstSignalCause, &sig, &l.FirstSignalDetail, &centre, &l.Status,
		nullTimeScan{&l.OutOfContactAt}, nullTimeScan{&l.AbsconderAt}, nullTimeScan{&l.ClosedAt}, &closedOn,
		&l.ClosedBy, &l.ClosingCause, &l.ClosingDetail, &l.Version); err != nil {
		return nil, err
	}
	if sig.Valid {
		l.SignalID = &sig.Int64
	}
	l.Centre, l.ClosedOn = centre.String, closedOn.String
	return l, nil
}

// openLapse reads the person's open lapse, or nil when there is none: its
// id, person and when it opened, which is what the status machine's
// changes to it need. The caller holds the person's lock (applyStatus
// takes it).
func (tx *Tx) openLapse(personID int64) (*tether.Lapse, error) {
	l := &tether.Lapse{PersonID: personID}
	err := tx.QueryRow(`SELECT id, opened_at FROM lapses WHERE person_id = ? AND closed_at IS NULL`, personID).
		Scan(&l.ID, timeScan{&l.OpenedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return l, nil
}

// lapseEvent appends an entry to a lapse's history.
func (tx *Tx) lapseEvent(lapseID int64, action, from, to, cause string, attemptID, taskID *int64, detail string) error {
	_, err := tx.Exec(`INSERT INTO lapse_events (lapse_id, at, actor, action, from_status, to_status, cause, attempt_id, task_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, lapseID, tx.db.ts(tx.now), tx.actor.String(), action, from, to, cause,
		orgArg(attemptID), orgArg(taskID), clip(strings.TrimSpace(detail), 1000))
	return err
}

// onStatusChange keeps the person's lapses in step with a status change
// applyStatus has just recorded: in contact to at risk opens a lapse with
// its tracing plan and a task in the tracing queue; out of contact and a
// declaration of absconder keep the same lapse, recorded; back in contact
// closes it, with a task to give the person copies of the notices served
// to file meanwhile. A signal that leaves the status as it is goes on the
// open lapse's history.
func (tx *Tx) onStatusChange(personID int64, ch tether.StatusChange, signalID *int64, detail string) error {
	if ch.Changed && ch.To == tether.StatusInContact {
		// Closed in the statement that finds it (closeLapse).
		return tx.closeLapse(personID, ch, detail)
	}
	open, err := tx.openLapse(personID)
	if err != nil {
		return fmt.Errorf("lapse: %w", err)
	}
	switch {
	case !ch.Changed:
		if open == nil {
			return nil
		}
		return tx.lapseEvent(open.ID, tether.LapseActionSignal, ch.From, ch.To, ch.Cause, nil, nil, detail)
	case ch.To == tether.StatusAtRisk:
		if open != nil {
			return tx.lapseEvent(open.ID, tether.LapseActionSignal, ch.From, ch.To, ch.Cause, nil, nil, detail)
		}
		_, err := tx.startLapse(personID, ch, signalID, detail, "")
		return err
	case ch.To == tether.StatusOutOfContact || ch.To == tether.StatusAbsconder:
		if open == nil {
			// A person already at risk before lapses were recorded: the
			// lapse starts now, and says so.
			if open, err = tx.startLapse(personID, ch, signalID, detail,
				"The person was already "+tether.StatusName(ch.From)+" when lapses began to be recorded."); err != nil {
				return err
			}
		}
		return tx.escalateLapse(open, ch, detail)
	}
	return nil
}

// startLapse opens a lapse for the person, who has just left in contact,
// makes its tracing plan and puts the work in the tracing queue.
func (tx *Tx) startLapse(personID int64, ch tether.StatusChange, signalID *int64, detail, note string) (*tether.Lapse, error) {
	today := tx.today()
	first := tx.now
	if signalID != nil {
		var at time.Time
		if err := tx.QueryRow(`SELECT created_at FROM signals WHERE id = ?`, *signalID).Scan(timeScan{&at}); err != nil {
			return nil, fmt.Errorf("lapse: first signal: %w", err)
		}
		if at.Before(first) {
			first = at
		}
	}
	var centre sql.NullString
	err := tx.QueryRow(`SELECT centre FROM reporting_conditions WHERE person_id = ? AND kind = ? AND centre IS NOT NULL
		AND start_on <= ? AND (end_on IS NULL OR end_on >= ?) ORDER BY start_on DESC, id DESC LIMIT 1`,
		personID, reporting.KindInPerson, today.String(), today.String()).Scan(&centre)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("lapse: reporting centre: %w", err)
	}
	detail = clip(strings.TrimSpace(detail), 500)
	l := &tether.Lapse{PersonID: personID, OpenedAt: tx.now, OpenedOn: today.String(), OpenedBy: tx.actor.String(),
		Cause: ch.Cause, FirstSignalAt: first, FirstSignalCause: ch.Cause, SignalID: signalID, FirstSignalDetail: detail,
		Centre: centre.String, Status: tether.StatusAtRisk, Version: 1}
	from, to := tether.StatusInContact, tether.StatusAtRisk
	if note != "" {
		// Opened late: the person was already past in contact.
		from, to, l.Status = "", ch.From, ch.From
	}
	id, err := tx.InsertID(`INSERT INTO lapses (person_id, opened_at, opened_on, opened_by, cause, first_signal_at,
		first_signal_cause, signal_id, first_signal_detail, centre, status, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, personID, tx.db.ts(tx.now), l.OpenedOn, l.OpenedBy, l.Cause,
		tx.db.ts(first), l.FirstSignalCause, orgArg(signalID), detail, nullText(l.Centre), l.Status)
	if err != nil {
		return nil, fmt.Errorf("lapse: open: %w", err)
	}
	l.ID = id
	if err := tx.lapseEvent(id, tether.LapseActionOpened, from, to, ch.Cause, nil, nil,
		strings.TrimSpace(note+" "+detail)); err != nil {
		return nil, fmt.Errorf("lapse: open: %w", err)
	}
	tx.Audit("lapse.open", "lapse", id, "person="+strconv.FormatInt(personID, 10)+" cause="+ch.Cause)
	if err := tx.makePlan(l, today); err != nil {
		return nil, fmt.Errorf("lapse: plan: %w", err)
	}
	return l, nil
}

// lapseDivision is the bank-holiday division a person's tracing days are
// counted in: that of their last-known UK address, else England and Wales.
func lapseDivision(f reporting.Facts, points []*tether.ContactPoint) string {
	byID := map[int64]*tether.ContactPoint{}
	for _, c := range points {
		byID[c.ID] = c
	}
	for _, pt := range f.Points {
		if pt.Party == tether.PartySelf && pt.Kind == tether.KindPostal && !pt.Overseas {
			if c := byID[pt.ID]; c != nil && c.Address != nil {
				if d := c.Address.Division(); d != "" {
					return d
				}
			}
		}
	}
	return calendar.EnglandAndWales
}

// makePlan makes the lapse's tracing plan from the playbook with the
// person's facts as they are now, stores its attempts (and the steps that
// do not apply, skipped with the reason) in the playbook's order, and
// opens a task in the tracing queue, due when the first attempt is.
func (tx *Tx) makePlan(l *tether.Lapse, start calendar.Date) error {
	p, err := tx.loadPerson(l.PersonID, false)
	if err != nil {
		return err
	}
	points, err := tx.contactPoints(l.PersonID, true)
	if err != nil {
		return err
	}
	var flags []string
	rows, err := tx.Query(`SELECT flag FROM person_flags WHERE person_id = ? ORDER BY flag`, l.PersonID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			rows.Close()
			return err
		}
		flags = append(flags, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	hol, err := tx.holidays()
	if err != nil {
		return err
	}
	d, err := draftPlan(l, p, points, flags, start, tx.db.playbook(), newPlanCalendars(hol), tx.now)
	if err != nil {
		return err
	}
	pb := d.pb
	planID, err := tx.InsertID(`INSERT INTO tracing_plans (lapse_id, person_id, playbook, playbook_version, start_on, division,
		state, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, l.PersonID, pb.Name, pb.Version,
		start.String(), d.div, tether.PlanOpen, tx.db.ts(tx.now), tx.actor.String())
	if err != nil {
		return err
	}
	if err := tx.insertAttempts(d.appendAttempts(nil, planID)); err != nil {
		return err
	}
	if err := tx.lapseEvent(l.ID, tether.LapseActionPlan, "", "", "", nil, nil, d.eventText()); err != nil {
		return err
	}
	tx.Audit("tracing.plan", "lapse", l.ID, d.auditText(planID))
	return tx.openPlanTask(l.ID, planID, d.task)
}

// planDraft is a lapse's tracing plan made in memory from the playbook,
// to be stored: its attempts and skipped steps in the playbook's order and
// the task for its work.
type planDraft struct {
	pb              reporting.Playbook
	start, firstDue calendar.Date
	div             string
	attempts        []attemptDraft
	due, skipped    int
	task            *tether.Task
}

// attemptDraft is a row of tracing_attempts before its plan is stored: a
// step that does not apply has state skipped, a reason, and no target.
type attemptDraft struct {
	seq                                         int
	kind, party, target, text, explanation, why string
	point                                       *int64
	due                                         calendar.Date
	skipped                                     bool
}

// planCalendars gives the working-day calendar of a division, each made
// once (a sweep plans for many people in few divisions).
type planCalendars struct {
	hol  *calendar.Holidays
	cals map[string]calendar.Calendar
}

func newPlanCalendars(hol *calendar.Holidays) *planCalendars {
	return &planCalendars{hol: hol, cals: map[string]calendar.Calendar{}}
}

func (pc *planCalendars) get(div string) (calendar.Calendar, error) {
	if c, ok := pc.cals[div]; ok {
		return c, nil
	}
	c, err := pc.hol.For(div)
	if err != nil {
		return c, err
	}
	pc.cals[div] = c
	return c, nil
}

// draftPlan makes the lapse's tracing plan from pb with the person's facts
// as they are at now, starting on start, and the task for its work.
func draftPlan(l *tether.Lapse, p *tether.Person, points []*tether.ContactPoint, flags []string, start calendar.Date,
	pb reporting.Playbook, cals *planCalendars, now time.Time) (*planDraft, error) {
	facts := reporting.FactsFrom(p, points, flags, now)
	d := &planDraft{pb: pb, start: start, div: lapseDivision(facts, points)}
	cal, err := cals.get(d.div)
	if err != nil {
		return nil, err
	}
	// Each step is planned on its own, so that attempts and the steps that
	// do not apply keep the playbook's order.
	seq := 0
	for _, s := range pb.Steps {
		one := reporting.Playbook{Name: pb.Name, Version: pb.Version, Steps: []reporting.Step{s}}
		plan, err := reporting.Plan(one, facts, start, cal)
		if err != nil {
			return nil, err
		}
		for _, na := range plan.NotApplicable {
			seq++
			d.skipped++
			d.attempts = append(d.attempts, attemptDraft{seq: seq, kind: na.Kind, party: s.Party, text: s.Text,
				why: na.Why, skipped: true})
		}
		for _, a := range plan.Attempts {
			seq++
			d.due++
			var point *int64
			if a.PointID != 0 {
				id := a.PointID
				point = &id
			}
			d.attempts = append(d.attempts, attemptDraft{seq: seq, kind: a.Kind, party: a.Party, point: point,
				target: clip(a.Target, 500), text: a.Text, due: a.Due, explanation: clip(a.Explanation, 1000)})
			if d.firstDue.IsZero() || a.Due.Before(d.firstDue) {
				d.firstDue = a.Due
			}
		}
	}
	firstDue := d.firstDue
	if firstDue.IsZero() {
		firstDue = start
	}
	d.task = &tether.Task{Queue: tether.QueueTracing, Kind: tether.TaskKindTracing, Priority: tether.PriorityHigh,
		DueOn: cal.WorkingDayOnOrAfter(firstDue).String(), PersonID: l.PersonID, PersonRef: p.Ref,
		SubjectKind: tether.SubjectLapse, SubjectID: l.ID,
		Summary: fmt.Sprintf("Contact with this person lapsed on %s (%s). Work through the tracing plan: %d %s, the first due %s.",
			start.Long(), lapseCauseWords(l.Cause), d.due, lapsePlural(d.due, "attempt", "attempts"), firstDue.Long())}
	if d.due == 0 {
		d.task.Summary = fmt.Sprintf("Contact with this person lapsed on %s (%s). No step of the tracing plan applies: find another way to reach them.",
			start.Long(), lapseCauseWords(l.Cause))
	}
	return d, nil
}

// attemptInsert is the INSERT of a new plan's tracing_attempts; a
// skipped step leaves contact_point_id, target, due_on and explanation at
// their defaults (NULL, empty, NULL, empty).
const (
	attemptInsert = `INSERT INTO tracing_attempts (plan_id, lapse_id, person_id, seq, kind, party, contact_point_id, target,
		instructions, due_on, explanation, state, skip_reason) VALUES `
	attemptInsertCols = 13
)

// appendAttempts appends the plan's attempts as arguments of attemptInsert.
func (d *planDraft) appendAttempts(args []any, planID int64) []any {
	l := d.task // the task's subject is the lapse, its person the person
	for _, a := range d.attempts {
		if a.skipped {
			args = append(args, planID, l.SubjectID, l.PersonID, a.seq, a.kind, a.party, nil, "", a.text, nil, "",
				tether.AttemptSkipped, a.why)
			continue
		}
		args = append(args, planID, l.SubjectID, l.PersonID, a.seq, a.kind, a.party, orgArg(a.point), a.target, a.text,
			a.due.String(), a.explanation, tether.AttemptDue, "")
	}
	return args
}

// insertAttempts writes attempts' rows (appendAttempts) in multi-row
// statements.
func (tx *Tx) insertAttempts(args []any) error {
	return tx.bulkInsert(attemptInsert, ``, attemptInsertCols, args, nil)
}

// eventText is the lapse's history entry for the plan.
func (d *planDraft) eventText() string {
	return fmt.Sprintf("Tracing plan made from playbook %s version %d, starting %s: %d %s to make, %d %s not applicable.",
		d.pb.Name, d.pb.Version, d.start.Long(), d.due, lapsePlural(d.due, "attempt", "attempts"), d.skipped,
		lapsePlural(d.skipped, "step", "steps"))
}

// auditText is the audit detail of the stored plan.
func (d *planDraft) auditText(planID int64) string {
	return "plan=" + strconv.FormatInt(planID, 10) + " playbook=" + d.pb.Name + " version=" + strconv.Itoa(d.pb.Version) +
		" attempts=" + strconv.Itoa(d.due) + " skipped=" + strconv.Itoa(d.skipped)
}

// openPlanTask opens the task for a plan's work and records it on the plan
// and the lapse.
func (tx *Tx) openPlanTask(lapseID, planID int64, task *tether.Task) error {
	if err := tx.openTask(task); err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE tracing_plans SET task_id = ? WHERE id = ?`, task.ID, planID); err != nil {
		return err
	}
	id := task.ID
	return tx.lapseEvent(lapseID, tether.LapseActionTask, "", "", "", nil, &id, "Task opened in the "+lapseQueueWords(task.Queue)+
		" queue, "+task.Priority+" priority, due "+task.DueOn+".")
}

func lapseQueueWords(key string) string {
	if q, ok := tether.QueueByKey(key); ok {
		return strings.ToLower(q.Name)
	}
	return key
}

func lapsePlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

var lapseCauseText = map[string]string{
	tether.CauseMissedEvent: "a missed reporting event", tether.CauseReturnedLetter: "a returned letter",
	tether.CauseChannelFailed: "a failed email or text message", tether.CauseFailedCall: "a failed call",
	tether.CauseNoWorkingChannel: "no working contact detail left", tether.CauseNoContact: "no contact within the threshold",
	tether.CauseReEstablished: "contact re-established", tether.CauseDeclared: "declared an absconder",
}

// lapseCauseWords is a status cause in words.
func lapseCauseWords(c string) string {
	if w, ok := lapseCauseText[c]; ok {
		return w
	}
	return strings.ReplaceAll(c, "_", " ")
}

// escalateLapse records that the person in the open lapse became out of
// contact or was declared an absconder: the same lapse goes on.
func (tx *Tx) escalateLapse(l *tether.Lapse, ch tether.StatusChange, detail string) error {
	col, action := "out_of_contact_at", tether.LapseActionOutOfContact
	if ch.To == tether.StatusAbsconder {
		col, action = "absconder_at", tether.LapseActionAbsconder
	}
	if _, err := tx.Exec(`UPDATE lapses SET status = ?, `+col+` = COALESCE(`+col+`, ?), version = version + 1 WHERE id = ?`,
		ch.To, tx.db.ts(tx.now), l.ID); err != nil {
		return fmt.Errorf("lapse: %w", err)
	}
	if err := tx.lapseEvent(l.ID, action, ch.From, ch.To, ch.Cause, nil, nil, detail); err != nil {
		return fmt.Errorf("lapse: %w", err)
	}
	tx.Audit("lapse."+action, "lapse", l.ID, "from="+ch.From+" to="+ch.To+" cause="+ch.Cause)
	return nil
}

// closeLapse closes the person's open lapse, if any, when contact is
// re-established: the attempts not made are skipped (no longer needed),
// the plan is closed, its task done, and when notices were served to file
// during the lapse, a task asks for the person to be given copies and
// told when and how each was served. The caller holds the person's lock.
func (tx *Tx) closeLapse(personID int64, ch tether.StatusChange, detail string) error {
	today := tx.today()
	l := &tether.Lapse{PersonID: personID}
	// Whether copies are due (copiesDue) is read in the same statement,
	// so that the common case, none, costs no query of its own.
	var copies bool
	err := tx.QueryRow(`UPDATE lapses SET status = ?, closed_at = ?, closed_on = ?, closed_by = ?, closing_cause = ?,
		closing_detail = ?, version = version + 1 WHERE person_id = ? AND closed_at IS NULL RETURNING id, opened_at,
		EXISTS (SELECT 1 FROM notices n WHERE n.person_id = lapses.person_id AND n.method = ? AND n.copy_due = ?
			AND n.copy_given_at IS NULL AND n.created_at >= lapses.opened_at)`,
		ch.To, tx.db.ts(tx.now), today.String(), tx.actor.String(), ch.Cause, clip(strings.TrimSpace(detail), 500),
		personID, tether.MethodFile, true).Scan(&l.ID, timeScan{&l.OpenedAt}, &copies)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // no open lapse
	} else if err != nil {
		return fmt.Errorf("lapse: close: %w", err)
	}
	// The plan is closed, with its task's state read in the same statement.
	var planID int64
	var taskID sql.NullInt64
	var taskState sql.NullString
	err = tx.QueryRow(`UPDATE tracing_plans SET state = ?, closed_at = ? WHERE lapse_id = ?
		RETURNING id, task_id, (SELECT t.state FROM tasks t WHERE t.id = tracing_plans.task_id)`, tether.PlanClosed,
		tx.db.ts(tx.now), l.ID).Scan(&planID, &taskID, &taskState)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("lapse: close: %w", err)
	}
	if err == nil {
		// 'due' as a literal: against a bound parameter SQLite would prepare
		// the statement again at each run, to see whether the partial
		// indexes on the state apply (three times the cost).
		if _, err := tx.Exec(`UPDATE tracing_attempts SET state = ?, skip_reason = ?, version = version + 1
			WHERE plan_id = ? AND state = 'due'`, tether.AttemptSkipped,
			"No longer needed: contact was re-established on "+today.Long()+".", planID); err != nil {
			return fmt.Errorf("lapse: close: %w", err)
		}
		if taskID.Valid && taskState.Valid {
			if err := tx.finishTaskFrom(taskID.Int64, taskState.String, "Contact was re-established: the lapse is closed."); err != nil {
				return fmt.Errorf("lapse: close: %w", err)
			}
		}
	}
	if err := tx.lapseEvent(l.ID, tether.LapseActionClosed, ch.From, ch.To, ch.Cause, nil, nil, detail); err != nil {
		return fmt.Errorf("lapse: close: %w", err)
	}
	tx.Audit("lapse.close", "lapse", l.ID, "from="+ch.From+" cause="+ch.Cause)
	if !copies {
		return nil
	}
	return tx.copiesDue(l)
}

// finishTaskFrom closes a task of a plan still to do (in state, as just
// read) as done, by the actor of the transaction, with a note and an
// event.
func (tx *Tx) finishTaskFrom(id int64, state, note string) error {
	if state != tether.TaskOpen && state != tether.TaskClaimed {
		return nil
	}
	if _, err := tx.Exec(`UPDATE tasks SET state = ?, done_at = ?, done_by = ?, done_note = ?, updated_at = ?,
		version = version + 1 WHERE id = ? AND state IN ('open', 'claimed')`, tether.TaskDone, tx.db.ts(tx.now),
		tx.actor.String(), note, tx.db.ts(tx.now), id); err != nil {
		return err
	}
	if err := tx.taskEvent(id, tether.TaskActionDone, state, tether.TaskDone, note); err != nil {
		return err
	}
	tx.Audit("task.complete", "task", id, "queue="+tether.QueueTracing+" by=lapse-closed")
	return nil
}

// maxCopiesListed bounds the notices a copies task lists by name.
const maxCopiesListed = 10

// copiesDue opens a task in the contact management queue when notices
// were served to file during the lapse and their copies are still due,
// listing which, when and how each was served.
func (tx *Tx) copiesDue(l *tether.Lapse) error {
	rows, err := tx.Query(`SELECT id, ref, template_key, sent_at, deemed_served, route_reason FROM notices
		WHERE person_id = ? AND method = ? AND copy_due = ? AND copy_given_at IS NULL AND created_at >= ?
		ORDER BY created_at, id`, l.PersonID, tether.MethodFile, true, tx.db.ts(l.OpenedAt))
	if err != nil {
		return fmt.Errorf("lapse: copies due: %w", err)
	}
	type served struct {
		id                      int64
		ref, key, deemed, route string
		sent                    *time.Time
	}
	var list []served
	for rows.Next() {
		var s served
		if err := rows.Scan(&s.id, &s.ref, &s.key, nullTimeScan{&s.sent}, &s.deemed, &s.route); err != nil {
			rows.Close()
			return fmt.Errorf("lapse: copies due: %w", err)
		}
		list = append(list, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("lapse: copies due: %w", err)
	}
	if len(list) == 0 {
		return nil
	}
	loc := tx.db.correspondence().Location
	var b strings.Builder
	fmt.Fprintf(&b, "Contact is re-established. %d %s served to file while they were out of contact: give the person a copy of each and tell them when and how it was served.",
		len(list), lapsePlural(len(list), "notice was", "notices were"))
	for i, s := range list {
		if i == maxCopiesListed {
			fmt.Fprintf(&b, " And %d more: see their notices.", len(list)-maxCopiesListed)
			break
		}
		when := "on a date not recorded"
		if s.sent != nil {
			when = "on " + calendar.FromTime(*s.sent, loc).Long()
		}
		deemed := "on a date not recorded"
		if d, err := calendar.ParseDate(s.deemed); err == nil {
			deemed = "on " + d.Long()
		}
		fmt.Fprintf(&b, " %s (%s): served to file %s, deemed served %s; %s.", s.ref, s.key, when, deemed,
			strings.TrimSuffix(clip(s.route, 200), "."))
	}
	first := list[0].id
	task := &tether.Task{Queue: tether.QueueContact, Kind: tether.TaskKindCopiesDue, Priority: tether.PriorityHigh,
		PersonID: l.PersonID, SubjectKind: tether.SubjectLapse, SubjectID: l.ID, NoticeID: &first, Summary: clip(b.String(), 2000)}
	if err := tx.openTask(task); err != nil {
		return fmt.Errorf("lapse: copies due: %w", err)
	}
	refs := make([]string, len(list))
	for i, s := range list {
		refs[i] = s.ref
	}
	id := task.ID
	return tx.lapseEvent(l.ID, tether.LapseActionCopiesDue, "", "", "", nil, &id,
		"Copies due of "+strconv.Itoa(len(list))+" "+lapsePlural(len(list), "notice", "notices")+" served to file: "+strings.Join(refs, ", "))
}

// Reading lapses.

// lapseCounts fills the lapses' attempt counts and the reporting events
// missed during each, in two queries.
func (tx *Tx) lapseCounts(ls []*tether.Lapse) error {
	if len(ls) == 0 {
		return nil
	}
	byID := map[int64]*tether.Lapse{}
	ids := make([]any, 0, len(ls))
	for _, l := range ls {
		byID[l.ID] = l
		ids = append(ids, l.ID)
	}
	today := tx.today().String()
	args := append([]any{today}, ids...)
	rows, err := tx.queryVar(`SELECT lapse_id, state, COUNT(*), COALESCE(SUM(CASE WHEN state = 'due' AND due_on < ? THEN 1 ELSE 0 END), 0)
		FROM tracing_attempts WHERE lapse_id IN (`+placeholders(len(ids))+`) GROUP BY lapse_id, state`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var state string
		var n, overdue int
		if err := rows.Scan(&id, &state, &n, &overdue); err != nil {
			rows.Close()
			return err
		}
		l := byID[id]
		switch state {
		case tether.AttemptDue:
			l.AttemptsDue, l.AttemptsOverdue = n, overdue
		case tether.AttemptDone:
			l.AttemptsDone = n
		case tether.AttemptSkipped:
			l.AttemptsSkipped = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.queryVar(`SELECT l.id, COUNT(e.id) FROM lapses l JOIN reporting_events e ON e.person_id = l.person_id
		WHERE l.id IN (`+placeholders(len(ids))+`) AND e.state = 'missed' AND e.outcome_at >= l.first_signal_at
		AND (l.closed_at IS NULL OR e.outcome_at <= l.closed_at) GROUP BY l.id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		byID[id].EventsMissed = n
	}
	return rows.Err()
}

// lapseView is a lapse as the actor may see it: without the details of
// signals and closing (a caseworker's words) for an inspector without the
// personal-data grant.
func lapseView(a tether.Actor, l *tether.Lapse) *tether.Lapse {
	if !a.CanSeePersonalData() {
		l.FirstSignalDetail, l.ClosingDetail = "", ""
	}
	return l
}

// FindLapses lists lapses, newest first, with how many match: all, open
// or closed, of everyone or of one person. EINVALID, ENOTFOUND (the
// person), EFORBIDDEN.
func (db *DB) FindLapses(ctx context.Context, f tether.LapseFilter) ([]*tether.Lapse, int, error) {
	a, err := lapseReader(ctx)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	if f.Limit == 0 {
		f.Limit = lapsesDefaultLimit
	}
	f.Limit = min(f.Limit, lapsesMaxLimit)
	var where []string
	var args []any
	if f.PersonID != nil {
		where, args = append(where, `l.person_id = ?`), append(args, *f.PersonID)
	}
	switch f.State {
	case "open":
		where = append(where, `l.closed_at IS NULL`)
	case "closed":
		where = append(where, `l.closed_at IS NOT NULL`)
	}
	cond := ""
	if len(where) > 0 {
		cond = ` WHERE ` + strings.Join(where, ` AND `)
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("find lapses: %w", err)
	}
	defer tx.rollback()
	if f.PersonID != nil {
		p, err := tx.loadPerson(*f.PersonID, false)
		if err != nil {
			return nil, 0, err
		}
		if err := tx.visible(p); err != nil {
			return nil, 0, err
		}
	}
	var total int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM lapses l`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find lapses: %w", err)
	}
	out := []*tether.Lapse{}
	if total > f.Offset {
		rows, err := tx.Query(`SELECT `+lapseCols+lapseFrom+cond+` ORDER BY l.opened_at DESC, l.id DESC LIMIT ? OFFSET ?`,
			append(args, f.Limit, f.Offset)...)
		if err != nil {
			return nil, 0, fmt.Errorf("find lapses: %w", err)
		}
		for rows.Next() {
			l, err := scanLapse(rows)
			if err != nil {
				rows.Close()
				return nil, 0, fmt.Errorf("find lapses: %w", err)
			}
			out = append(out, lapseView(a, l))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, fmt.Errorf("find lapses: %w", err)
		}
	}
	if err := tx.lapseCounts(out); err != nil {
		return nil, 0, fmt.Errorf("find lapses: %w", err)
	}
	detail := "state=" + f.State + " returned=" + strconv.Itoa(len(out))
	if f.PersonID != nil {
		tx.Audit("lapses.read", "person", *f.PersonID, detail)
	} else {
		tx.Audit("lapses.list", "lapse", 0, detail)
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("find lapses: %w", err)
	}
	return out, total, nil
}

// PersonLapses lists a person's lapses, newest first (at most 500).
// ENOTFOUND, EFORBIDDEN.
func (db *DB) PersonLapses(ctx context.Context, personID int64) ([]*tether.Lapse, error) {
	ls, _, err := db.FindLapses(ctx, tether.LapseFilter{PersonID: &personID, Limit: lapsesMaxLimit})
	return ls, err
}

// attemptCols are the tracing_attempts columns scanAttempt reads.
const attemptCols = `a.id, a.plan_id, a.lapse_id, a.person_id, a.seq, a.kind, a.party, a.contact_point_id, a.target,
	a.instructions, a.due_on, a.explanation, a.state, a.skip_reason, a.overdue_at, a.attempted_at, a.recorded_at,
	a.recorded_by, a.how, a.outcome, a.note, a.new_contact_point_id, a.version`

func scanAttempt(row rowScanner) (*tether.TracingAttempt, error) {
	a := &tether.TracingAttempt{}
	var point, found sql.NullInt64
	var due sql.NullString
	if err := row.Scan(&a.ID, &a.PlanID, &a.LapseID, &a.PersonID, &a.Seq, &a.Kind, &a.Party, &point, &a.Target,
		&a.Instructions, &due, &a.Explanation, &a.State, &a.SkipReason, nullTimeScan{&a.OverdueAt},
		nullTimeScan{&a.AttemptedAt}, nullTimeScan{&a.RecordedAt}, &a.RecordedBy, &a.How, &a.Outcome, &a.Note,
		&found, &a.Version); err != nil {
		return nil, err
	}
	if point.Valid {
		a.ContactPointID = &point.Int64
	}
	if found.Valid {
		a.NewContactPointID = &found.Int64
	}
	a.DueOn = due.String
	return a, nil
}

// attemptView is an attempt as the actor may see it: without the target
// and the note for an inspector without the personal-data grant.
func attemptView(a tether.Actor, t *tether.TracingAttempt) *tether.TracingAttempt {
	if !a.CanSeePersonalData() {
		t.Target, t.Note = "", ""
	}
	return t
}

const planCols = `id, lapse_id, playbook, playbook_version, start_on, division, task_id, state, created_at, created_by, closed_at`

func scanPlan(row rowScanner) (*tether.TracingPlanRecord, error) {
	p := &tether.TracingPlanRecord{}
	var task sql.NullInt64
	if err := row.Scan(&p.ID, &p.LapseID, &p.Playbook, &p.PlaybookVersion, &p.StartOn, &p.Division, &task, &p.State,
		timeScan{&p.CreatedAt}, &p.CreatedBy, nullTimeScan{&p.ClosedAt}); err != nil {
		return nil, err
	}
	if task.Valid {
		p.TaskID = &task.Int64
	}
	return p, nil
}

// FindLapse reads a lapse with its tracing plan, the plan's attempts in
// order and the lapse's history, and records the read. ENOTFOUND,
// EFORBIDDEN.
func (db *DB) FindLapse(ctx context.Context, id int64) (*tether.LapseDetail, error) {
	a, err := lapseReader(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find lapse: %w", err)
	}
	defer tx.rollback()
	d, err := tx.lapseDetail(id)
	if err != nil {
		return nil, err
	}
	p, err := tx.loadPerson(d.Lapse.PersonID, false)
	if err != nil {
		return nil, err
	}
	if err := tx.visible(p); err != nil {
		if tether.ErrorCode(err) == tether.ENOTFOUND {
			return nil, errLapseNotFound()
		}
		return nil, err
	}
	lapseView(a, d.Lapse)
	for _, t := range d.Attempts {
		attemptView(a, t)
	}
	if !a.CanSeePersonalData() {
		for _, e := range d.Events {
			e.Detail = ""
		}
	}
	tx.Audit("lapse.read", "lapse", id, "person="+strconv.FormatInt(d.Lapse.PersonID, 10))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("find lapse: %w", err)
	}
	return d, nil
}

// lapseDetail reads a lapse, its plan, attempts and events.
func (tx *Tx) lapseDetail(id int64) (*tether.LapseDetail, error) {
	l, err := scanLapse(tx.QueryRow(`SELECT `+lapseCols+lapseFrom+` WHERE l.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errLapseNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find lapse: %w", err)
	}
	if err := tx.lapseCounts([]*tether.Lapse{l}); err != nil {
		return nil, fmt.Errorf("find lapse: %w", err)
	}
	d := &tether.LapseDetail{Lapse: l, Attempts: []*tether.TracingAttempt{}, Events: []*tether.LapseEvent{}}
	plan, err := scanPlan(tx.QueryRow(`SELECT `+planCols+` FROM tracing_plans WHERE lapse_id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("find lapse: %w", err)
	default:
		d.Plan = plan
	}
	rows, err := tx.Query(`SELECT `+attemptCols+` FROM tracing_attempts a WHERE a.lapse_id = ? ORDER BY a.plan_id, a.seq`, id)
	if err != nil {
		return nil, fmt.Errorf("find lapse: %w", err)
	}
	for rows.Next() {
		t, err := scanAttempt(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("find lapse: %w", err)
		}
		d.Attempts = append(d.Attempts, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find lapse: %w", err)
	}
	rows, err = tx.Query(`SELECT id, lapse_id, at, actor, action, from_status, to_status, cause, attempt_id, task_id, detail
		FROM lapse_events WHERE lapse_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("find lapse: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e := &tether.LapseEvent{}
		var attempt, task sql.NullInt64
		if err := rows.Scan(&e.ID, &e.LapseID, timeScan{&e.At}, &e.Actor, &e.Action, &e.From, &e.To, &e.Cause, &attempt,
			&task, &e.Detail); err != nil {
			return nil, fmt.Errorf("find lapse: %w", err)
		}
		if attempt.Valid {
			e.AttemptID = &attempt.Int64
		}
		if task.Valid {
			e.TaskID = &task.Int64
		}
		d.Events = append(d.Events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find lapse: %w", err)
	}
	return d, nil
}

// Recording attempts.

// RecordAttempt records a tracing attempt as made: who (the actor), when,
// how, the outcome and a note, in one transaction with what follows from
// it. A call that did not reach the person is a failed call for the status
// machine; an outcome that shows the contact point does not work marks it
// failed; a new contact detail found is added to the person's contact
// points (or replaces one) with its history; and reaching the person
// re-establishes contact, which closes the lapse and its plan. It returns
// the attempt and the lapse as they now are. EINVALID (the outcome, how,
// when, the note, the new contact detail), ENOTFOUND (the attempt),
// ECONFLICT (an attempt already recorded or skipped, a closed plan, a
// changed version), EFORBIDDEN.
func (db *DB) RecordAttempt(ctx context.Context, attemptID int64, in tether.AttemptInput) (*tether.TracingAttempt, *tether.Lapse, error) {
	a, err := writeActor(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	}
	defer tx.rollback()
	var personID int64
	if err := tx.QueryRow(`SELECT person_id FROM tracing_attempts WHERE id = ?`, attemptID).Scan(&personID); errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errAttemptNotFound()
	} else if err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	}
	// The person first, as every status change does, then the attempt.
	p, err := tx.loadPerson(personID, true)
	if err != nil {
		return nil, nil, err
	}
	if err := tx.visible(p); err != nil {
		return nil, nil, errAttemptNotFound()
	}
	q := `SELECT ` + attemptCols + ` FROM tracing_attempts a WHERE a.id = ?`
	if db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	t, err := scanAttempt(tx.QueryRow(q, attemptID))
	if err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	}
	var planState string
	var lapseOpened time.Time
	if err := tx.QueryRow(`SELECT pl.state, l.opened_at FROM tracing_plans pl JOIN lapses l ON l.id = pl.lapse_id WHERE pl.id = ?`,
		t.PlanID).Scan(&planState, timeScan{&lapseOpened}); err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	}
	how, err := reporting.CheckAttempt(t.Kind, in, lapseOpened, tx.now)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case planState != tether.PlanOpen:
		return nil, nil, tether.Errorf(tether.ECONFLICT, "This tracing plan is closed: contact was re-established, so no attempt is recorded on it.")
	case t.State == tether.AttemptDone:
		return nil, nil, tether.Errorf(tether.ECONFLICT, "This attempt was already recorded.")
	case t.State != tether.AttemptDue:
		return nil, nil, tether.Errorf(tether.ECONFLICT, "This step was skipped: %s", t.SkipReason)
	case in.Version != 0 && in.Version != t.Version:
		return nil, nil, tether.Errorf(tether.ECONFLICT, "This attempt has changed since you saw it: check it and try again.")
	}
	at := in.At.UTC().Truncate(time.Microsecond)
	if in.At.IsZero() {
		at = tx.now
	}
	note := strings.TrimSpace(in.Note)

	// A new contact detail, through the person's contact point history.
	var found *tether.ContactPoint
	if in.NewContact != nil {
		if found, err = tx.tracedPoint(t, in, a); err != nil {
			return nil, nil, err
		}
	}
	res, err := tx.Exec(`UPDATE tracing_attempts SET state = ?, attempted_at = ?, recorded_at = ?, recorded_by = ?, how = ?,
		outcome = ?, note = ?, new_contact_point_id = ?, version = version + 1 WHERE id = ? AND state = ? AND version = ?`,
		tether.AttemptDone, tx.db.ts(at), tx.db.ts(tx.now), a.String(), how, in.Outcome, note, lapsePointID(found),
		t.ID, tether.AttemptDue, t.Version)
	if err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	} else if n != 1 {
		return nil, nil, tether.Errorf(tether.ECONFLICT, "This attempt has changed since you saw it: check it and try again.")
	}
	seq := strconv.Itoa(t.Seq)
	id := t.ID
	if err := tx.lapseEvent(t.LapseID, tether.LapseActionAttempt, "", "", "", &id, nil,
		"Attempt "+seq+" ("+strings.ReplaceAll(t.Kind, "_", " ")+"): "+reporting.OutcomeWords(in.Outcome)+"."); err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	}
	tx.Audit("tracing.attempt", "tracing_attempt", t.ID, "lapse="+strconv.FormatInt(t.LapseID, 10)+" kind="+t.Kind+
		" outcome="+in.Outcome+" how="+how)

	// A contact point that did not work is marked failed.
	if reporting.PointFailed(in.Outcome) && t.ContactPointID != nil {
		c, err := tx.loadContactPoint(*t.ContactPointID, true)
		if err != nil {
			return nil, nil, fmt.Errorf("record attempt: %w", err)
		}
		if c.ValidTo == nil && c.Verification != tether.Failed && (in.Replaces == nil || *in.Replaces != c.ID) {
			if err := tx.markPointFailed(c, "tracing attempt "+seq+": "+reporting.OutcomeWords(in.Outcome)); err != nil {
				return nil, nil, fmt.Errorf("record attempt: %w", err)
			}
			tx.Audit("contact_point.fail", "contact_point", c.ID, contactDetail(c, "by=tracing"))
		}
	}
	if err := tx.refreshWorkingChannels(personID); err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	}
	// What the outcome means for the person's contact status.
	switch {
	case reporting.FailedCall(t.Kind, in.Outcome):
		if _, err := tx.applyStatus(personID, tether.CauseFailedCall, nil, "tracing attempt "+seq+": "+reporting.OutcomeWords(in.Outcome)); err != nil {
			return nil, nil, fmt.Errorf("record attempt: %w", err)
		}
	case reporting.Reached(in.Outcome):
		if _, err := tx.applyStatus(personID, tether.CauseReEstablished, nil, "tracing attempt "+seq+" ("+
			strings.ReplaceAll(t.Kind, "_", " ")+") reached the person"); err != nil {
			var te *tether.Error
			if errors.As(err, &te) {
				return nil, nil, err
			}
			return nil, nil, fmt.Errorf("record attempt: %w", err)
		}
	}
	got, err := scanAttempt(tx.QueryRow(`SELECT `+attemptCols+` FROM tracing_attempts a WHERE a.id = ?`, t.ID))
	if err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	}
	l, err := scanLapse(tx.QueryRow(`SELECT `+lapseCols+lapseFrom+` WHERE l.id = ?`, t.LapseID))
	if err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	}
	if err := tx.lapseCounts([]*tether.Lapse{l}); err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("record attempt: %w", err)
	}
	return got, l, nil
}

func lapsePointID(c *tether.ContactPoint) any {
	if c == nil {
		return nil
	}
	return c.ID
}

// tracedPoint adds the contact detail an attempt found to the person's
// contact points, or replaces in.Replaces (a current point of theirs) with
// it, keeping the history. The source defaults to a caseworker's finding,
// noted as tracing.
func (tx *Tx) tracedPoint(t *tether.TracingAttempt, in tether.AttemptInput, a tether.Actor) (*tether.ContactPoint, error) {
	c := *in.NewContact
	c.ID, c.PersonID = 0, t.PersonID
	if c.Party == "" {
		c.Party = tether.PartySelf
	}
	if c.Source == "" {
		c.Source = tether.SourceCaseworker
	}
	if strings.TrimSpace(c.SourceDetail) == "" {
		c.SourceDetail = "Tracing: attempt " + strconv.Itoa(t.Seq) + " (" + strings.ReplaceAll(t.Kind, "_", " ") + ")"
	}
	if c.Verification == "" {
		c.Verification = tether.Unverified
	}
	c.ValidFrom = tx.now
	c.ValidTo, c.EndedReason, c.Replaces = nil, "", nil
	c.CreatedBy, c.CreatedAt = a.String(), tx.now
	q := tether.Problems{}
	if err := checkNewPoint(&c, tx); err != nil {
		q.Merge("new_contact_point.", tether.ErrorFields(err))
	}
	var old *tether.ContactPoint
	if in.Replaces != nil {
		o, err := tx.loadContactPoint(*in.Replaces, true)
		switch {
		case tether.ErrorCode(err) == tether.ENOTFOUND || (err == nil && o.PersonID != t.PersonID):
			q.Add("replaces", "must be a contact point of this person")
		case err != nil:
			return nil, err
		case o.ValidTo != nil:
			q.Add("replaces", "has already ended")
		default:
			old = o
		}
	}
	if err := q.Err(); err != nil {
		return nil, err
	}
	if old != nil {
		reason := "Replaced by a detail found by tracing (attempt " + strconv.Itoa(t.Seq) + ")"
		if err := tx.endPoint(old, reason); err != nil {
			return nil, err
		}
		if err := tx.contactEvent(old, tether.EventReplaced, reason); err != nil {
			return nil, err
		}
		c.Replaces = &old.ID
		tx.Audit("contact_point.replace", "contact_point", old.ID, contactDetail(old, "by=tracing"))
	}
	if err := tx.insertContactPoint(&c, tether.EventAdded, "found by tracing"); err != nil {
		return nil, fmt.Errorf("record attempt: %w", err)
	}
	tx.Audit("contact_point.add", "contact_point", c.ID, contactDetail(&c, "person="+strconv.FormatInt(t.PersonID, 10), "by=tracing"))
	return &c, nil
}
