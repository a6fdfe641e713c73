package store

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// The status machine and lapses for many people at once: what a sweep
// does to each person in turn with applyStatus, with the same rows, audit
// entries and history in the same order, but each kind of row read and
// written in one statement for the whole batch rather than one per person.
// A batch of 1,000 misses is some twenty statements, not twenty thousand.

// statusCause is a signal's cause to apply to a person's contact status,
// with the detail for the history.
type statusCause struct {
	personID      int64
	cause, detail string
}

// batchLapse is a lapse in a batch: an open one already stored (id set),
// or one the batch opens (id set once stored).
type batchLapse struct {
	id       int64
	personID int64
	ch       tether.StatusChange
	detail   string // clipped, as the lapse keeps it
	lapse    *tether.Lapse
	plan     *planDraft
	planID   int64
	// The batch's rows and audit entries for a new lapse, filled in once
	// the ids are known.
	opened, planned, tasked         *lapseEventRow
	auditOpen, auditPlan, auditTask *tether.AuditEntry
}

// lapseEventRow is a row of lapse_events to write.
type lapseEventRow struct {
	lapse                   *batchLapse
	action, from, to, cause string
	taskID                  *int64
	detail                  string
}

// applyStatuses applies each cause, in order, to its person's contact
// status as applyStatus would one at a time (the person locked, the state
// machine, the status event, the change, the lapse opened with its tracing
// plan and task, or the signal recorded on the open lapse), and calls each
// after each item, so that the caller's audit entries keep their place. It
// takes only the causes of signals without a stored signal, which change
// no status but in contact to at risk.
func (tx *Tx) applyStatuses(items []statusCause, each func(i int)) error {
	if len(items) == 0 {
		return nil
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, it := range items {
		if !seen[it.personID] {
			seen[it.personID] = true
			ids = append(ids, it.personID)
		}
	}
	current, err := tx.statusesOf(ids)
	if err != nil {
		return err
	}
	open, err := tx.openLapsesOf(ids)
	if err != nil {
		return err
	}
	th := tx.db.thresholds()
	now, by := tx.db.ts(tx.now), tx.actor.String()
	var (
		outOfContactOn string
		changed        []any
		statusRows     []any
		events         []*lapseEventRow
		opening        []*batchLapse
	)
	for i, it := range items {
		from, ok := current[it.personID]
		if !ok {
			return errPersonNotFound()
		}
		ch, err := tether.NextStatus(from, it.cause, tx.actor, it.detail, th)
		if err != nil {
			return err
		}
		if ch.Changed && ch.To != tether.StatusAtRisk {
			return fmt.Errorf("apply statuses: %s to %s is not a signal's change", ch.From, ch.To)
		}
		if ch.Changed {
			if outOfContactOn == "" {
				hol, err := tx.holidays()
				if err != nil {
					return err
				}
				cal, err := hol.For(statusDivision)
				if err != nil {
					return err
				}
				outOfContactOn = cal.AddWorkingDays(tx.today(), th.OutOfContactAfter).String()
			}
			current[it.personID] = ch.To
			changed = append(changed, it.personID)
			tx.Audit("person.status", "person", it.personID, "from="+ch.From+" to="+ch.To+" cause="+it.cause)
		}
		statusRows = append(statusRows, it.personID, now, by, ch.From, ch.To, it.cause, nil,
			clip(strings.TrimSpace(it.detail), 500))
		// The lapse follows, as onStatusChange has it.
		l := open[it.personID]
		switch {
		case l != nil:
			events = append(events, &lapseEventRow{lapse: l, action: tether.LapseActionSignal, from: ch.From, to: ch.To,
				cause: ch.Cause, detail: it.detail})
		case ch.Changed:
			l = &batchLapse{personID: it.personID, ch: ch, detail: clip(strings.TrimSpace(it.detail), 500)}
			open[it.personID] = l
			opening = append(opening, l)
			l.opened = &lapseEventRow{lapse: l, action: tether.LapseActionOpened, from: tether.StatusInContact,
				to: tether.StatusAtRisk, cause: ch.Cause, detail: l.detail}
			tx.Audit("lapse.open", "lapse", 0, "person="+strconv.FormatInt(it.personID, 10)+" cause="+ch.Cause)
			l.auditOpen = tx.audit[len(tx.audit)-1]
			l.planned = &lapseEventRow{lapse: l, action: tether.LapseActionPlan}
			tx.Audit("tracing.plan", "lapse", 0, "")
			l.auditPlan = tx.audit[len(tx.audit)-1]
			l.tasked = &lapseEventRow{lapse: l, action: tether.LapseActionTask}
			// The task's audit entry is made when the task is (openTasks),
			// in this place.
			tx.Audit("task.open", "task", 0, "")
			l.auditTask = tx.audit[len(tx.audit)-1]
			events = append(events, l.opened, l.planned, l.tasked)
		}
		if each != nil {
			each(i)
		}
	}
	if len(changed) > 0 {
		if _, err := tx.queryVarExec(`UPDATE people SET contact_status = ?, status_since = ?, out_of_contact_on = ?
			WHERE id IN (`+placeholders(len(changed))+`)`,
			append([]any{tether.StatusAtRisk, now, outOfContactOn}, changed...)...); err != nil {
			return err
		}
	}
	if err := tx.bulkInsert(`INSERT INTO status_events (person_id, at, actor, from_status, to_status, cause, signal_id, detail)
		VALUES `, ``, 8, statusRows, nil); err != nil {
		return err
	}
	if err := tx.openLapses(opening); err != nil {
		return fmt.Errorf("lapse: %w", err)
	}
	args := make([]any, 0, len(events)*10)
	for _, e := range events {
		args = append(args, e.lapse.id, now, by, e.action, e.from, e.to, e.cause, nil, orgArg(e.taskID),
			clip(strings.TrimSpace(e.detail), 1000))
	}
	return tx.bulkInsert(`INSERT INTO lapse_events (lapse_id, at, actor, action, from_status, to_status, cause, attempt_id,
		task_id, detail) VALUES `, ``, 10, args, nil)
}

// statusesOf reads the people's contact statuses, locking them on
// PostgreSQL in order of id (as lockPeople does).
func (tx *Tx) statusesOf(ids []int64) (map[int64]string, error) {
	q := `SELECT id, contact_status FROM people WHERE id IN (` + placeholders(len(ids)) + `) ORDER BY id`
	if tx.db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	rows, err := tx.queryVar(q, anys(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, err
		}
		out[id] = s
	}
	return out, rows.Err()
}

// openLapsesOf reads the people's open lapses.
func (tx *Tx) openLapsesOf(ids []int64) (map[int64]*batchLapse, error) {
	rows, err := tx.queryVar(`SELECT id, person_id FROM lapses WHERE person_id IN (`+placeholders(len(ids))+`)
		AND closed_at IS NULL`, anys(ids)...)
	if err != nil {
		return nil, fmt.Errorf("lapse: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]*batchLapse, len(ids))
	for rows.Next() {
		l := &batchLapse{}
		if err := rows.Scan(&l.id, &l.personID); err != nil {
			return nil, fmt.Errorf("lapse: %w", err)
		}
		out[l.personID] = l
	}
	return out, rows.Err()
}

// openLapses stores the lapses the batch opens, as startLapse does each:
// the lapse with the centre of the person's current in-person condition,
// its tracing plan from the playbook with the person's facts, its attempts
// and its task. The lapse events are the caller's to write.
func (tx *Tx) openLapses(ls []*batchLapse) error {
	if len(ls) == 0 {
		return nil
	}
	today := tx.today()
	ids := make([]int64, len(ls))
	for i, l := range ls {
		ids[i] = l.personID
	}
	centres, err := tx.centresOf(ids, today)
	if err != nil {
		return fmt.Errorf("reporting centre: %w", err)
	}
	now, by := tx.db.ts(tx.now), tx.actor.String()
	args := make([]any, 0, len(ls)*11)
	byPerson := make(map[int64]*batchLapse, len(ls))
	for _, l := range ls {
		byPerson[l.personID] = l
		l.lapse = &tether.Lapse{PersonID: l.personID, OpenedAt: tx.now, OpenedOn: today.String(), OpenedBy: by,
			Cause: l.ch.Cause, FirstSignalAt: tx.now, FirstSignalCause: l.ch.Cause, FirstSignalDetail: l.detail,
			Centre: centres[l.personID], Status: tether.StatusAtRisk, Version: 1}
		args = append(args, l.personID, now, l.lapse.OpenedOn, by, l.ch.Cause, now, l.ch.Cause, nil, l.detail,
			nullText(l.lapse.Centre), l.lapse.Status)
	}
	if err := tx.bulkInsert(`INSERT INTO lapses (person_id, opened_at, opened_on, opened_by, cause, first_signal_at,
		first_signal_cause, signal_id, first_signal_detail, centre, status) VALUES `, ` RETURNING id, person_id`, 11, args,
		func(r *sql.Rows) error {
			var id, person int64
			if err := r.Scan(&id, &person); err != nil {
				return err
			}
			if l := byPerson[person]; l != nil {
				l.id, l.lapse.ID = id, id
			}
			return nil
		}); err != nil {
		return fmt.Errorf("open: %w", err)
	}
	for _, l := range ls {
		if l.id == 0 {
			return fmt.Errorf("open: no id for the lapse of person %d", l.personID)
		}
		l.auditOpen.EntityID = l.id
	}
	if err := tx.draftPlans(ls, ids, today); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	return nil
}

// centresOf reads the centre of each person's current in-person reporting
// condition (the latest to start), as startLapse does one person's.
func (tx *Tx) centresOf(ids []int64, today calendar.Date) (map[int64]string, error) {
	rows, err := tx.queryVar(`SELECT person_id, centre FROM reporting_conditions WHERE person_id IN (`+placeholders(len(ids))+`)
		AND kind = ? AND centre IS NOT NULL AND start_on <= ? AND (end_on IS NULL OR end_on >= ?)
		ORDER BY person_id, start_on DESC, id DESC`, append(anys(ids), reporting.KindInPerson, today.String(), today.String())...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			return nil, err
		}
		if _, ok := out[id]; !ok {
			out[id] = c
		}
	}
	return out, rows.Err()
}

// draftPlans makes and stores the plans of the new lapses ls (of the
// people ids, in order) with their tasks, as makePlan does each.
func (tx *Tx) draftPlans(ls []*batchLapse, ids []int64, start calendar.Date) error {
	people, err := tx.peopleOf(ids)
	if err != nil {
		return err
	}
	points, err := tx.pointsOfIDs(ids)
	if err != nil {
		return err
	}
	flags, err := tx.flagsOf(ids)
	if err != nil {
		return err
	}
	hol, err := tx.holidays()
	if err != nil {
		return err
	}
	cals, pb := newPlanCalendars(hol), tx.db.playbook()
	tasks := make([]*tether.Task, len(ls))
	for i, l := range ls {
		p := people[l.personID]
		if p == nil {
			return errPersonNotFound()
		}
		if l.plan, err = draftPlan(l.lapse, p, points[l.personID], flags[l.personID], start, pb, cals, tx.now); err != nil {
			return err
		}
		tasks[i] = l.plan.task
	}
	if err := tx.openTasks(tasks, func(i int) *tether.AuditEntry { return ls[i].auditTask }); err != nil {
		return err
	}
	now, by := tx.db.ts(tx.now), tx.actor.String()
	args := make([]any, 0, len(ls)*10)
	byLapse := make(map[int64]*batchLapse, len(ls))
	for _, l := range ls {
		byLapse[l.id] = l
		args = append(args, l.id, l.personID, pb.Name, pb.Version, start.String(), l.plan.div, tether.PlanOpen, now, by,
			l.plan.task.ID)
	}
	if err := tx.bulkInsert(`INSERT INTO tracing_plans (lapse_id, person_id, playbook, playbook_version, start_on, division,
		state, created_at, created_by, task_id) VALUES `, ` RETURNING id, lapse_id`, 10, args, func(r *sql.Rows) error {
		var id, lapse int64
		if err := r.Scan(&id, &lapse); err != nil {
			return err
		}
		if l := byLapse[lapse]; l != nil {
			l.planID = id
		}
		return nil
	}); err != nil {
		return err
	}
	args = args[:0]
	for _, l := range ls {
		if l.planID == 0 {
			return fmt.Errorf("no id for the plan of lapse %d", l.id)
		}
		args = l.plan.appendAttempts(args, l.planID)
		l.planned.detail = l.plan.eventText()
		l.auditPlan.EntityID, l.auditPlan.Detail = l.id, l.plan.auditText(l.planID)
		t := l.plan.task
		id := t.ID
		l.tasked.taskID = &id
		l.tasked.detail = "Task opened in the " + lapseQueueWords(t.Queue) + " queue, " + t.Priority + " priority, due " + t.DueOn + "."
	}
	return tx.insertAttempts(args)
}

// openTasks opens tasks as openTask does each (their DueOn set), with
// their events; audit(i) is the audit entry reserved for the i-th, to
// fill in.
func (tx *Tx) openTasks(ts []*tether.Task, audit func(i int) *tether.AuditEntry) error {
	now := tx.db.ts(tx.now)
	args := make([]any, 0, len(ts)*15)
	bySubject := make(map[int64]*tether.Task, len(ts))
	for _, t := range ts {
		if err := t.Validate(); err != nil {
			return err
		}
		if t.DueOn == "" || t.SubjectKind != tether.SubjectLapse || bySubject[t.SubjectID] != nil {
			return fmt.Errorf("open tasks: each task needs its day and a lapse of its own")
		}
		bySubject[t.SubjectID] = t
		p, _ := tether.PriorityByKey(t.Priority)
		t.State, t.CreatedAt, t.UpdatedAt, t.CreatedBy, t.Version = tether.TaskOpen, tx.now, tx.now, tx.actor.String(), 1
		t.Assignee, t.AssigneeName, t.ClaimedAt = nil, "", nil
		args = append(args, t.Queue, t.Kind, p.Rank, t.DueOn, t.State, t.PersonID, t.SubjectKind, t.SubjectID,
			orgArg(t.NoticeID), orgArg(t.ContactPointID), t.Summary, now, t.CreatedBy, now, t.Version)
	}
	if err := tx.bulkInsert(`INSERT INTO tasks (queue, kind, priority, due_on, state, person_id, subject_kind, subject_id,
		notice_id, contact_point_id, summary, created_at, created_by, updated_at, version) VALUES `, ` RETURNING id, subject_id`,
		15, args, func(r *sql.Rows) error {
			var id, subject int64
			if err := r.Scan(&id, &subject); err != nil {
				return err
			}
			if t := bySubject[subject]; t != nil {
				t.ID = id
			}
			return nil
		}); err != nil {
		if isForeignKey(err) {
			return errPersonNotFound()
		}
		return fmt.Errorf("open task: %w", err)
	}
	args = args[:0]
	by := tx.actor.String()
	for i, t := range ts {
		if t.ID == 0 {
			return fmt.Errorf("open task: no id for the task of lapse %d", t.SubjectID)
		}
		args = append(args, t.ID, now, by, tether.TaskActionOpened, "", tether.TaskOpen, "")
		if e := audit(i); e != nil {
			e.EntityID = t.ID
			e.Detail = "kind=" + t.Kind + " queue=" + t.Queue + " priority=" + t.Priority + " due=" + t.DueOn +
				" person=" + strconv.FormatInt(t.PersonID, 10)
		}
	}
	if err := tx.bulkInsert(`INSERT INTO task_events (task_id, at, actor, action, from_value, to_value, note) VALUES `,
		``, 7, args, nil); err != nil {
		return fmt.Errorf("open task: %w", err)
	}
	return nil
}

// peopleOf reads the people.
func (tx *Tx) peopleOf(ids []int64) (map[int64]*tether.Person, error) {
	rows, err := tx.queryVar(`SELECT `+personCols+` FROM people p WHERE p.id IN (`+placeholders(len(ids))+`)`, anys(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]*tether.Person, len(ids))
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out[p.ID] = p
	}
	return out, rows.Err()
}

// pointsOfIDs reads the people's current contact points, each person's
// newest first (as contactPoints does one person's).
func (tx *Tx) pointsOfIDs(ids []int64) (map[int64][]*tether.ContactPoint, error) {
	rows, err := tx.queryVar(`SELECT `+contactCols+` FROM contact_points c WHERE c.person_id IN (`+placeholders(len(ids))+`)
		AND c.valid_to IS NULL ORDER BY c.person_id, c.valid_from DESC, c.id DESC`, anys(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]*tether.ContactPoint{}
	for rows.Next() {
		c, err := scanContactPoint(rows)
		if err != nil {
			return nil, err
		}
		out[c.PersonID] = append(out[c.PersonID], c)
	}
	return out, rows.Err()
}

// flagsOf reads the people's flags, each person's in order.
func (tx *Tx) flagsOf(ids []int64) (map[int64][]string, error) {
	rows, err := tx.queryVar(`SELECT person_id, flag FROM person_flags WHERE person_id IN (`+placeholders(len(ids))+`)
		ORDER BY person_id, flag`, anys(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var f string
		if err := rows.Scan(&id, &f); err != nil {
			return nil, err
		}
		out[id] = append(out[id], f)
	}
	return out, rows.Err()
}
