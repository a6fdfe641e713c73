package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tether"
	"tether/calendar"
)

// Task kinds and states, as correspondence and its callers name them.
const (
	TaskContactFailed = tether.TaskKindContactFailed
	TaskSendFailed    = tether.TaskKindSendFailed
	TaskOpen          = tether.TaskOpen
	TaskDone          = tether.TaskDone
)

// Task paging.
const (
	tasksDefaultLimit = 50
	tasksMaxLimit     = 1000
	// tasksPerStatement bounds the ids of one UPDATE of ReassignAll.
	tasksPerStatement = 500
)

// taskDivision is the calendar of the caseworkers' working days, by which
// a task's default due date is counted. (check: the department's teams
// work to the England and Wales bank holidays.)
const taskDivision = calendar.EnglandAndWales

// activeStates is the WHERE term for the work still to do, written with
// literals so that both engines match it to the partial index
// tasks_queue_active.
const activeStates = `t.state IN ('open', 'claimed')`

// taskCols are the tasks columns scanTask reads, with the assignee's name
// and the person's reference, from taskFrom.
const taskCols = `t.id, t.queue, t.kind, t.priority, t.due_on, t.state, t.assignee, COALESCE(u.name, ''), t.claimed_at,
	t.person_id, p.ref, t.subject_kind, t.subject_id, t.notice_id, t.contact_point_id, t.summary,
	t.created_at, t.created_by, t.updated_at, t.done_at, t.done_by, t.done_note,
	t.cancelled_at, t.cancelled_by, t.cancel_reason, t.version`

const taskFrom = ` FROM tasks t JOIN people p ON p.id = t.person_id LEFT JOIN users u ON u.id = t.assignee`

func scanTask(row rowScanner) (*tether.Task, error) {
	t := &tether.Task{}
	var assignee, notice, cp sql.NullInt64
	var rank int
	if err := row.Scan(&t.ID, &t.Queue, &t.Kind, &rank, &t.DueOn, &t.State, &assignee, &t.AssigneeName, nullTimeScan{&t.ClaimedAt},
		&t.PersonID, &t.PersonRef, &t.SubjectKind, &t.SubjectID, &notice, &cp, &t.Summary,
		timeScan{&t.CreatedAt}, &t.CreatedBy, timeScan{&t.UpdatedAt}, nullTimeScan{&t.DoneAt}, &t.DoneBy, &t.DoneNote,
		nullTimeScan{&t.CancelledAt}, &t.CancelledBy, &t.CancelReason, &t.Version); err != nil {
		return nil, err
	}
	p, _ := tether.PriorityByRank(rank)
	t.Priority = p.Key
	if assignee.Valid {
		t.Assignee = &assignee.Int64
	}
	if notice.Valid {
		t.NoticeID = &notice.Int64
	}
	if cp.Valid {
		t.ContactPointID = &cp.Int64
	}
	return t, nil
}

// taskActor returns the actor in ctx when its role works some queue:
// organisation users and inspectors see no tasks (inspectors see
// QueueCounts).
func taskActor(ctx context.Context) (tether.Actor, error) {
	a, err := actorWithRole(ctx)
	if err != nil {
		return a, err
	}
	if !tether.WorksTasks(a.Role) {
		return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not see tasks.")
	}
	return a, nil
}

// worksQueue reports whether the actor works the queue.
func worksQueue(a tether.Actor, queue string) bool {
	q, ok := tether.QueueByKey(queue)
	return ok && q.WorkedBy(a.Role)
}

// dueDate is the default due date of a task of the priority opened now.
func (tx *Tx) dueDate(priority string) (string, error) {
	p, ok := tether.PriorityByKey(priority)
	if !ok {
		return "", tether.Invalid("priority", "must be one of urgent, high, normal, low")
	}
	hol, err := tx.holidays()
	if err != nil {
		return "", err
	}
	cal, err := hol.For(taskDivision)
	if err != nil {
		return "", err
	}
	return tether.DefaultDue(p, tx.today(), cal).String(), nil
}

// openTask records work for a caseworker about a person, in its queue with
// its priority; with no due date it is due the priority's number of
// working days from today (correspondence's failures, high priority, the
// next working day). The opened event and an audit entry go with it.
func (tx *Tx) openTask(t *tether.Task) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if t.DueOn == "" {
		due, err := tx.dueDate(t.Priority)
		if err != nil {
			return fmt.Errorf("open task: %w", err)
		}
		t.DueOn = due
	}
	p, _ := tether.PriorityByKey(t.Priority)
	t.State, t.CreatedAt, t.UpdatedAt, t.CreatedBy, t.Version = tether.TaskOpen, tx.now, tx.now, tx.actor.String(), 1
	t.Assignee, t.AssigneeName, t.ClaimedAt = nil, "", nil
	id, err := tx.InsertID(`INSERT INTO tasks (queue, kind, priority, due_on, state, person_id, subject_kind, subject_id,
		notice_id, contact_point_id, summary, created_at, created_by, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Queue, t.Kind, p.Rank, t.DueOn, t.State, t.PersonID, t.SubjectKind, t.SubjectID,
		orgArg(t.NoticeID), orgArg(t.ContactPointID), t.Summary, tx.db.ts(tx.now), t.CreatedBy, tx.db.ts(tx.now), t.Version)
	if err != nil {
		if isForeignKey(err) {
			return errPersonNotFound()
		}
		return fmt.Errorf("open task: %w", err)
	}
	t.ID = id
	if err := tx.taskEvent(id, tether.TaskActionOpened, "", tether.TaskOpen, ""); err != nil {
		return fmt.Errorf("open task: %w", err)
	}
	tx.Audit("task.open", "task", id, "kind="+t.Kind+" queue="+t.Queue+" priority="+t.Priority+" due="+t.DueOn+
		" person="+strconv.FormatInt(t.PersonID, 10))
	return nil
}

// taskEvent appends an entry to a task's history.
func (tx *Tx) taskEvent(taskID int64, action, from, to, note string) error {
	_, err := tx.Exec(`INSERT INTO task_events (task_id, at, actor, action, from_value, to_value, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		taskID, tx.db.ts(tx.now), tx.actor.String(), action, from, to, note)
	return err
}

// OpenTask puts work in a queue, for the modules that find work to do and
// for caseworkers who note it themselves: the actor must work the queue.
// The subject is checked where its records exist (the person, a notice or
// a contact point of theirs). EINVALID, ENOTFOUND (the person), EFORBIDDEN.
func (db *DB) OpenTask(ctx context.Context, t *tether.Task) error {
	a, err := taskActor(ctx)
	if err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	if !worksQueue(a, t.Queue) {
		return tether.Errorf(tether.EFORBIDDEN, "Your role does not work the %s queue.", t.Queue)
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("open task: %w", err)
	}
	defer tx.rollback()
	person, err := tx.loadPerson(t.PersonID, false)
	if err != nil {
		return err
	}
	t.PersonRef = person.Ref
	if err := tx.checkSubject(t); err != nil {
		return err
	}
	if err := tx.openTask(t); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("open task: %w", err)
	}
	return nil
}

// checkSubject checks that a task's subject is a record of its person,
// for the kinds of record that are stored so far.
func (tx *Tx) checkSubject(t *tether.Task) error {
	var table string
	switch t.SubjectKind {
	case tether.SubjectPerson:
		if t.SubjectID != t.PersonID {
			return tether.Invalid("subject_id", "must be the task's person")
		}
		return nil
	case tether.SubjectNotice:
		table = "notices"
	case tether.SubjectContactPoint:
		table = "contact_points"
	default:
		return nil // enquiries, reporting events, lapses: their modules check
	}
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE id = ? AND person_id = ?`, t.SubjectID, t.PersonID).Scan(&n); err != nil {
		return fmt.Errorf("open task: %w", err)
	}
	if n == 0 {
		return tether.Invalid("subject_id", "must be a "+strings.ReplaceAll(t.SubjectKind, "_", " ")+" of the task's person")
	}
	return nil
}

// FindTasks lists tasks by due date, then priority, then id, with the
// number that match: the tasks of the queues the actor's role works. A
// person's list is audited as a read of their record. EINVALID, ENOTFOUND
// (the person), EFORBIDDEN (organisation users and inspectors; a queue the
// role does not work).
func (db *DB) FindTasks(ctx context.Context, f tether.TaskFilter) ([]*tether.Task, int, error) {
	a, err := taskActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	if f.Queue != "" && !worksQueue(a, f.Queue) {
		return nil, 0, tether.Errorf(tether.EFORBIDDEN, "Your role does not work the %s queue.", f.Queue)
	}
	if f.Limit == 0 {
		f.Limit = tasksDefaultLimit
	}
	f.Limit = min(f.Limit, tasksMaxLimit)
	var where []string
	var args []any
	if f.Queue != "" {
		where, args = append(where, `t.queue = ?`), append(args, f.Queue)
	} else if queues := tether.QueuesFor(a.Role); len(queues) < len(tether.Queues) {
		where = append(where, `t.queue IN (`+placeholders(len(queues))+`)`)
		for _, q := range queues {
			args = append(args, q)
		}
	}
	switch f.State {
	case "":
	case tether.TaskActive:
		where = append(where, activeStates)
	default:
		where, args = append(where, `t.state = ?`), append(args, f.State)
	}
	if f.Assignee != nil {
		where, args = append(where, `t.assignee = ?`), append(args, *f.Assignee)
	}
	if f.PersonID != nil {
		where, args = append(where, `t.person_id = ?`), append(args, *f.PersonID)
	}
	if f.DueBefore != "" {
		where, args = append(where, `t.due_on < ?`), append(args, f.DueBefore)
	}
	cond := ""
	if len(where) > 0 {
		cond = ` WHERE ` + strings.Join(where, ` AND `)
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("find tasks: %w", err)
	}
	defer tx.rollback()
	if f.PersonID != nil {
		if _, err := tx.loadPerson(*f.PersonID, false); err != nil {
			return nil, 0, err
		}
	}
	var total int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM tasks t`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find tasks: %w", err)
	}
	tasks := []*tether.Task{}
	if total > f.Offset {
		rows, err := tx.Query(`SELECT `+taskCols+taskFrom+cond+` ORDER BY t.due_on, t.priority, t.id LIMIT ? OFFSET ?`,
			append(args, f.Limit, f.Offset)...)
		if err != nil {
			return nil, 0, fmt.Errorf("find tasks: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTask(rows)
			if err != nil {
				return nil, 0, fmt.Errorf("find tasks: %w", err)
			}
			tasks = append(tasks, t)
		}
		if err := rows.Err(); err != nil {
			return nil, 0, fmt.Errorf("find tasks: %w", err)
		}
		rows.Close()
	}
	detail := "queue=" + f.Queue + " state=" + f.State + " returned=" + strconv.Itoa(len(tasks))
	if f.PersonID != nil {
		tx.Audit("tasks.read", "person", *f.PersonID, detail)
	} else {
		tx.Audit("tasks.list", "task", 0, detail)
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("find tasks: %w", err)
	}
	return tasks, total, nil
}

// loadTask reads one task the actor may see (one of a queue its role
// works), locking the row on PostgreSQL when lock is set. ENOTFOUND.
func (tx *Tx) loadTask(id int64, lock bool) (*tether.Task, error) {
	q := `SELECT ` + taskCols + taskFrom + ` WHERE t.id = ?`
	if lock && tx.db.Dialect == Postgres {
		q += ` FOR UPDATE OF t`
	}
	t, err := scanTask(tx.QueryRow(q, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !worksQueue(tx.actor, t.Queue)) {
		return nil, tether.Errorf(tether.ENOTFOUND, "Task not found.")
	} else if err != nil {
		return nil, fmt.Errorf("load task: %w", err)
	}
	return t, nil
}

// FindTaskByID returns one task, audited as a read. ENOTFOUND (also for a
// task of a queue the actor's role does not work), EFORBIDDEN.
func (db *DB) FindTaskByID(ctx context.Context, id int64) (*tether.Task, error) {
	if _, err := taskActor(ctx); err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find task: %w", err)
	}
	defer tx.rollback()
	t, err := tx.loadTask(id, false)
	if err != nil {
		return nil, err
	}
	tx.Audit("task.read", "task", id, "person="+strconv.FormatInt(t.PersonID, 10))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("find task: %w", err)
	}
	return t, nil
}

// TaskEvents is a task's history, oldest first, with the names of the
// users it mentions. ENOTFOUND, EFORBIDDEN.
func (db *DB) TaskEvents(ctx context.Context, id int64) ([]*tether.TaskEvent, error) {
	if _, err := taskActor(ctx); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("task events: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.loadTask(id, false); err != nil {
		return nil, err
	}
	rows, err := tx.Query(`SELECT id, task_id, at, actor, action, from_value, to_value, note FROM task_events
		WHERE task_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("task events: %w", err)
	}
	defer rows.Close()
	events := []*tether.TaskEvent{}
	for rows.Next() {
		e := &tether.TaskEvent{}
		if err := rows.Scan(&e.ID, &e.TaskID, timeScan{&e.At}, &e.Actor, &e.Action, &e.From, &e.To, &e.Note); err != nil {
			return nil, fmt.Errorf("task events: %w", err)
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("task events: %w", err)
	}
	rows.Close()
	var refs []string
	for _, e := range events {
		refs = append(refs, e.Actor, e.From, e.To)
	}
	names, err := tx.userNames(refs)
	if err != nil {
		return nil, fmt.Errorf("task events: %w", err)
	}
	for _, e := range events {
		e.ActorName, e.FromName, e.ToName = names[e.Actor], names[e.From], names[e.To]
	}
	return events, nil
}

// userNames maps the user references ("user:42") among refs to the users'
// names; other actors are left out.
func (tx *Tx) userNames(refs []string) (map[string]string, error) {
	var ids []any
	seen := map[int64]bool{}
	for _, r := range refs {
		if id, ok := tether.ParseUserRef(r); ok && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	names := map[string]string{}
	if len(ids) == 0 {
		return names, nil
	}
	rows, err := tx.queryVar(`SELECT id, name FROM users WHERE id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[tether.UserRef(id)] = name
	}
	return names, rows.Err()
}

// QueueCounts counts each queue's work still to do, overdue and due
// today: numbers only, so inspectors may see them too. EFORBIDDEN
// (organisation users).
func (db *DB) QueueCounts(ctx context.Context) ([]*tether.QueueCount, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleCaseworker, tether.RoleEnquiries, tether.RoleInspector); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("queue counts: %w", err)
	}
	defer tx.rollback()
	today := tx.today().String()
	rows, err := tx.Query(`SELECT t.queue, t.state, COUNT(*),
		COALESCE(SUM(CASE WHEN t.due_on < ? THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN t.due_on = ? THEN 1 ELSE 0 END), 0)
		FROM tasks t WHERE `+activeStates+` GROUP BY t.queue, t.state`, today, today)
	if err != nil {
		return nil, fmt.Errorf("queue counts: %w", err)
	}
	defer rows.Close()
	counts := make([]*tether.QueueCount, len(tether.Queues))
	byKey := map[string]*tether.QueueCount{}
	for i, q := range tether.Queues {
		counts[i] = &tether.QueueCount{Queue: q.Key, Name: q.Name}
		byKey[q.Key] = counts[i]
	}
	for rows.Next() {
		var queue, state string
		var n, overdue, today int
		if err := rows.Scan(&queue, &state, &n, &overdue, &today); err != nil {
			return nil, fmt.Errorf("queue counts: %w", err)
		}
		c := byKey[queue]
		if c == nil {
			continue // a queue taken out of the catalogue
		}
		if state == tether.TaskClaimed {
			c.Claimed += n
		} else {
			c.Open += n
		}
		c.Overdue += overdue
		c.DueToday += today
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("queue counts: %w", err)
	}
	return counts, nil
}

// TaskAssignees lists the enabled users who work the queue, by name, with
// their id, name and role only. EINVALID, EFORBIDDEN.
func (db *DB) TaskAssignees(ctx context.Context, queue string) ([]*tether.User, error) {
	a, err := taskActor(ctx)
	if err != nil {
		return nil, err
	}
	q, ok := tether.QueueByKey(queue)
	if !ok {
		return nil, tether.Invalid("queue", "must be one of the queues")
	}
	if !q.WorkedBy(a.Role) {
		return nil, tether.Errorf(tether.EFORBIDDEN, "Your role does not work the %s queue.", queue)
	}
	roles := []any{string(tether.RoleAdmin)}
	for _, r := range q.Roles {
		roles = append(roles, string(r))
	}
	rows, err := db.read.QueryContext(ctx, db.rebind(`SELECT id, name, role FROM users
		WHERE disabled = ? AND role IN (`+placeholders(len(roles))+`) ORDER BY name, id`), append([]any{false}, roles...)...)
	if err != nil {
		return nil, fmt.Errorf("task assignees: %w", err)
	}
	defer rows.Close()
	users := []*tether.User{}
	for rows.Next() {
		u := &tether.User{}
		var role string
		if err := rows.Scan(&u.ID, &u.Name, &role); err != nil {
			return nil, fmt.Errorf("task assignees: %w", err)
		}
		u.Role = tether.Role(role)
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("task assignees: %w", err)
	}
	return users, nil
}

// taskChange is what one change does to a loaded task: it sets the task's
// new fields and returns the events to record and the audit detail.
type taskChange func(tx *Tx, t *tether.Task) (events []taskEventRow, detail string, err error)

type taskEventRow struct{ action, from, to, note string }

// changeTask runs one change of a task in one transaction: it locks the
// task, checks the version the caller saw (0 for none), the state's rules
// and the actor's, applies the change, writes the task with a guard on its
// version, and records the events and an audit entry.
func (db *DB) changeTask(ctx context.Context, id int64, version int, action, auditAction string, apply taskChange) (*tether.Task, error) {
	if _, err := taskActor(ctx); err != nil {
		return nil, err
	}
	if version < 0 {
		return nil, tether.Invalid("version", "must be the version of the task you saw")
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s task: %w", action, err)
	}
	defer tx.rollback()
	t, err := tx.loadTask(id, true)
	if err != nil {
		return nil, err
	}
	if _, err := tether.NextTaskState(t.State, action); err != nil {
		if action == tether.TaskActionClaimed && t.State == tether.TaskClaimed {
			return nil, tx.claimedConflict(t)
		}
		return nil, err
	}
	if version != 0 && version != t.Version {
		return nil, tether.Errorf(tether.ECONFLICT, "This task has changed since you saw it: check it and try again.")
	}
	if err := tether.CheckTaskActor(tx.actor, t, action); err != nil {
		return nil, err
	}
	events, detail, err := apply(tx, t)
	if err != nil {
		return nil, err
	}
	p, _ := tether.PriorityByKey(t.Priority)
	res, err := tx.Exec(`UPDATE tasks SET state = ?, priority = ?, due_on = ?, assignee = ?, claimed_at = ?,
		done_at = ?, done_by = ?, done_note = ?, cancelled_at = ?, cancelled_by = ?, cancel_reason = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		t.State, p.Rank, t.DueOn, orgArg(t.Assignee), tx.db.tsPtr(t.ClaimedAt),
		tx.db.tsPtr(t.DoneAt), t.DoneBy, t.DoneNote, tx.db.tsPtr(t.CancelledAt), t.CancelledBy, t.CancelReason,
		tx.db.ts(tx.now), t.ID, t.Version)
	if err != nil {
		return nil, fmt.Errorf("%s task: %w", action, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("%s task: %w", action, err)
	} else if n == 0 {
		return nil, tether.Errorf(tether.ECONFLICT, "This task has changed since you saw it: check it and try again.")
	}
	for _, e := range events {
		if err := tx.taskEvent(t.ID, e.action, e.from, e.to, e.note); err != nil {
			return nil, fmt.Errorf("%s task: %w", action, err)
		}
	}
	tx.Audit(auditAction, "task", t.ID, strings.TrimSpace("queue="+t.Queue+" "+detail))
	got, err := tx.loadTask(t.ID, false)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%s task: %w", action, err)
	}
	return got, nil
}

// claimedConflict is the answer to a claim of a task someone has claimed.
func (tx *Tx) claimedConflict(t *tether.Task) error {
	switch {
	case t.AssignedTo(tx.actor.UserID):
		return tether.Errorf(tether.ECONFLICT, "You have already claimed this task.")
	case t.AssigneeName != "":
		return tether.Errorf(tether.ECONFLICT, "%s has already claimed this task.", t.AssigneeName)
	}
	return tether.Errorf(tether.ECONFLICT, "Someone has already claimed this task.")
}

func assigneeRef(id *int64) string {
	if id == nil {
		return ""
	}
	return tether.UserRef(*id)
}

// ClaimTask gives an open task to the actor. Of two caseworkers who claim
// the same task at once, one wins; the other gets ECONFLICT naming who has
// it. EINVALID, ENOTFOUND, ECONFLICT, EFORBIDDEN.
func (db *DB) ClaimTask(ctx context.Context, id int64, version int) (*tether.Task, error) {
	return db.changeTask(ctx, id, version, tether.TaskActionClaimed, "task.claim",
		func(tx *Tx, t *tether.Task) ([]taskEventRow, string, error) {
			me := tx.actor.UserID
			t.State, t.Assignee, t.ClaimedAt = tether.TaskClaimed, &me, &tx.now
			return []taskEventRow{{action: tether.TaskActionClaimed, to: tether.UserRef(me)}}, "", nil
		})
}

// ReleaseTask puts a claimed task back in its queue, with an optional
// note. The one who has it or an administrator may. EINVALID, ENOTFOUND,
// ECONFLICT, EFORBIDDEN.
func (db *DB) ReleaseTask(ctx context.Context, id int64, version int, note string) (*tether.Task, error) {
	note = strings.TrimSpace(note)
	if err := tether.ValidateNote("note", note); err != nil {
		return nil, err
	}
	return db.changeTask(ctx, id, version, tether.TaskActionReleased, "task.release",
		func(tx *Tx, t *tether.Task) ([]taskEventRow, string, error) {
			from := assigneeRef(t.Assignee)
			t.State, t.Assignee, t.ClaimedAt = tether.TaskOpen, nil, nil
			return []taskEventRow{{action: tether.TaskActionReleased, from: from, note: note}}, "from=" + from, nil
		})
}

// CompleteTask closes a task with a note of what was done, kept on the
// task and its history (and out of the audit log, as it may name people or
// places). An open task may be done without being claimed. EINVALID (no
// note), ENOTFOUND, ECONFLICT (already closed, or changed meanwhile),
// EFORBIDDEN.
func (db *DB) CompleteTask(ctx context.Context, id int64, version int, note string) (*tether.Task, error) {
	note = strings.TrimSpace(note)
	if note == "" {
		return nil, tether.Invalid("note", "enter what you did")
	}
	if err := tether.ValidateReason("note", note); err != nil {
		return nil, err
	}
	return db.changeTask(ctx, id, version, tether.TaskActionDone, "task.complete",
		func(tx *Tx, t *tether.Task) ([]taskEventRow, string, error) {
			from := t.State
			t.State, t.DoneAt, t.DoneBy, t.DoneNote = tether.TaskDone, &tx.now, tx.actor.String(), note
			return []taskEventRow{{action: tether.TaskActionDone, from: from, to: tether.TaskDone, note: note}}, "", nil
		})
}

// CancelTask closes a task that is no longer needed, with the reason.
// EINVALID (no reason), ENOTFOUND, ECONFLICT, EFORBIDDEN.
func (db *DB) CancelTask(ctx context.Context, id int64, version int, reason string) (*tether.Task, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, tether.Invalid("reason", "enter why the task is no longer needed")
	}
	if err := tether.ValidateReason("reason", reason); err != nil {
		return nil, err
	}
	return db.changeTask(ctx, id, version, tether.TaskActionCancelled, "task.cancel",
		func(tx *Tx, t *tether.Task) ([]taskEventRow, string, error) {
			from := t.State
			t.State, t.CancelledAt, t.CancelledBy, t.CancelReason = tether.TaskCancelled, &tx.now, tx.actor.String(), reason
			return []taskEventRow{{action: tether.TaskActionCancelled, from: from, to: tether.TaskCancelled, note: reason}}, "", nil
		})
}

// assignable checks that the user may be given tasks of the queues: an
// enabled user whose role works each of them. The problem names field.
func (tx *Tx) assignable(field string, id int64, queues ...string) (*tether.User, error) {
	if id <= 0 {
		return nil, tether.Invalid(field, "must be a user's id")
	}
	u, err := scanUser(tx.QueryRow(`SELECT `+userCols+` FROM users u WHERE u.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tether.Invalid(field, "no such user")
	} else if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	if u.Disabled {
		return nil, tether.Invalid(field, u.Name+" is disabled and cannot be given tasks")
	}
	for _, key := range queues {
		if q, _ := tether.QueueByKey(key); !q.WorkedBy(u.Role) {
			return nil, tether.Invalid(field, u.Name+" does not work the "+q.Name+" queue")
		}
	}
	return u, nil
}

// ReassignTask gives a task to another user who works its queue (to
// oneself, it is a claim). An open task or one's own may be handed on;
// someone else's needs an administrator. EINVALID (the user), ENOTFOUND,
// ECONFLICT, EFORBIDDEN.
func (db *DB) ReassignTask(ctx context.Context, id int64, version int, to int64, note string) (*tether.Task, error) {
	note = strings.TrimSpace(note)
	if err := tether.ValidateNote("note", note); err != nil {
		return nil, err
	}
	if to <= 0 {
		return nil, tether.Invalid("to", "must be a user's id")
	}
	return db.changeTask(ctx, id, version, tether.TaskActionReassigned, "task.reassign",
		func(tx *Tx, t *tether.Task) ([]taskEventRow, string, error) {
			if t.AssignedTo(to) {
				return nil, "", tether.Invalid("to", "the task is already theirs")
			}
			if _, err := tx.assignable("to", to, t.Queue); err != nil {
				return nil, "", err
			}
			from := assigneeRef(t.Assignee)
			t.State, t.Assignee, t.ClaimedAt = tether.TaskClaimed, &to, &tx.now
			return []taskEventRow{{action: tether.TaskActionReassigned, from: from, to: tether.UserRef(to), note: note}},
				"from=" + from + " to=" + tether.UserRef(to), nil
		})
}

// ChangeTask changes an active task's priority or due date, one event for
// each that changes. EINVALID, ENOTFOUND, ECONFLICT, EFORBIDDEN.
func (db *DB) ChangeTask(ctx context.Context, id int64, version int, c tether.TaskChange) (*tether.Task, error) {
	c.Note = strings.TrimSpace(c.Note)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	action := tether.TaskActionPriority
	if c.Priority == "" {
		action = tether.TaskActionDue
	}
	return db.changeTask(ctx, id, version, action, "task.change",
		func(tx *Tx, t *tether.Task) ([]taskEventRow, string, error) {
			var events []taskEventRow
			var changed []string
			if c.Priority != "" && c.Priority != t.Priority {
				events = append(events, taskEventRow{action: tether.TaskActionPriority, from: t.Priority, to: c.Priority, note: c.Note})
				changed = append(changed, "priority")
				t.Priority = c.Priority
			}
			if c.DueOn != "" && c.DueOn != t.DueOn {
				events = append(events, taskEventRow{action: tether.TaskActionDue, from: t.DueOn, to: c.DueOn, note: c.Note})
				changed = append(changed, "due_on")
				t.DueOn = c.DueOn
			}
			if len(events) == 0 {
				field := "priority"
				if c.Priority == "" {
					field = "due_on"
				}
				return nil, "", tether.Invalid(field, "the task already has this priority and due date")
			}
			return events, "changed=" + strings.Join(changed, ","), nil
		})
}

// ReassignAll moves every task the user has claimed, as when a caseworker
// leaves: to another user who works each task's queue, or back to their
// queues when to is nil. It is one transaction with one event per task and
// one audit entry; when the new user cannot take every task, nothing
// moves. For administrators (and system actors). EINVALID (to),
// ENOTFOUND (from), EFORBIDDEN.
func (db *DB) ReassignAll(ctx context.Context, from int64, to *int64, note string) (int, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return 0, err
	}
	note = strings.TrimSpace(note)
	if err := tether.ValidateNote("note", note); err != nil {
		return 0, err
	}
	if to != nil && *to == from {
		return 0, tether.Invalid("to", "choose someone else, or send the tasks back to their queues")
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("reassign all: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.lockUser(from); err != nil {
		return 0, err
	}
	n, err := tx.moveClaimedTasks(from, to, note, true)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("reassign all: %w", err)
	}
	return n, nil
}

// moveClaimedTasks gives every task the user from has claimed to the user
// to, or back to their queues when to is nil, with a task event each and
// one audit entry (also for none when auditNone). The caller holds the lock
// on from.
func (tx *Tx) moveClaimedTasks(from int64, to *int64, note string, auditNone bool) (int, error) {
	lock := ""
	if tx.db.Dialect == Postgres {
		lock = ` FOR UPDATE`
	}
	rows, err := tx.Query(`SELECT id, queue FROM tasks WHERE assignee = ? AND state = ? ORDER BY id`+lock, from, tether.TaskClaimed)
	if err != nil {
		return 0, fmt.Errorf("reassign all: %w", err)
	}
	var ids []int64
	var queues []string
	for rows.Next() {
		var id int64
		var q string
		if err := rows.Scan(&id, &q); err != nil {
			rows.Close()
			return 0, fmt.Errorf("reassign all: %w", err)
		}
		ids = append(ids, id)
		if !slices.Contains(queues, q) {
			queues = append(queues, q)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("reassign all: %w", err)
	}
	fromRef, toRef, action, state := tether.UserRef(from), "", tether.TaskActionReleased, tether.TaskOpen
	var toArg any
	var claimedAt any
	if to != nil {
		if _, err := tx.assignable("to", *to, queues...); err != nil {
			return 0, err
		}
		toRef, action, state, toArg, claimedAt = tether.UserRef(*to), tether.TaskActionReassigned, tether.TaskClaimed, *to, tx.db.ts(tx.now)
	}
	now := tx.db.ts(tx.now)
	for start := 0; start < len(ids); start += tasksPerStatement {
		chunk := ids[start:min(start+tasksPerStatement, len(ids))]
		args := []any{state, toArg, claimedAt, now}
		for _, id := range chunk {
			args = append(args, id)
		}
		args = append(args, from, tether.TaskClaimed)
		res, err := tx.execVar(`UPDATE tasks SET state = ?, assignee = ?, claimed_at = ?, updated_at = ?, version = version + 1
			WHERE id IN (`+placeholders(len(chunk))+`) AND assignee = ? AND state = ?`, args...)
		if err != nil {
			return 0, fmt.Errorf("reassign all: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, fmt.Errorf("reassign all: %w", err)
		} else if int(n) != len(chunk) {
			return 0, tether.Errorf(tether.ECONFLICT, "Some of these tasks changed meanwhile: try again.")
		}
	}
	args := make([]any, 0, len(ids)*7)
	actor := tx.actor.String()
	for _, id := range ids {
		args = append(args, id, now, actor, action, fromRef, toRef, note)
	}
	if err := tx.bulkInsert(`INSERT INTO task_events (task_id, at, actor, action, from_value, to_value, note) VALUES `, ``, 7, args, nil); err != nil {
		return 0, fmt.Errorf("reassign all: %w", err)
	}
	dest := toRef
	if dest == "" {
		dest = "queue"
	}
	if len(ids) > 0 || auditNone {
		tx.Audit("tasks.reassign_all", "user", from, "to="+dest+" tasks="+strconv.Itoa(len(ids)))
	}
	return len(ids), nil
}
