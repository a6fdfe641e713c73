package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"tether"
)

// MarkOverdueAttempts is the tracing-overdue sweep: it marks up to max
// tracing attempts still due whose due day is before today (UK) and that
// are not marked yet. Each is marked once, with an entry on its lapse's
// history, and the plan's task goes one step more urgent; when the plan
// has no task still to do (someone closed it), a new one is opened in the
// tracing queue. All of it happens in one transaction, item by item
// guarded, so two sweeps at once, or a run killed part way, mark each
// attempt once. It reads only the unmarked due attempts, by day, through
// an index, and returns how many it marked: fewer than max means none is
// left.
func (db *DB) MarkOverdueAttempts(ctx context.Context, max int) (int, error) {
	if max < 1 || max > maxClaim {
		return 0, tether.Invalid("max", "must be between 1 and "+strconv.Itoa(maxClaim))
	}
	ctx, err := systemCtx(ctx, SweepActor)
	if err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("mark overdue attempts: %w", err)
	}
	defer tx.rollback()
	// The due attempts are read without a lock: each is then taken with its
	// person's lock first, in the order every change to a person's lapse
	// takes them (person, attempt, task), so that the sweep and a
	// caseworker recording an attempt never wait on each other in a cycle.
	// The guarded update marks each attempt once.
	today := tx.today()
	rows, err := tx.Query(`SELECT id, plan_id, lapse_id, person_id, seq, kind, due_on FROM tracing_attempts
		WHERE state = 'due' AND overdue_at IS NULL AND due_on < ? ORDER BY due_on, id LIMIT `+strconv.Itoa(max), today.String())
	if err != nil {
		return 0, fmt.Errorf("mark overdue attempts: %w", err)
	}
	type due struct {
		id, plan, lapse, person int64
		seq                     int
		kind, day               string
	}
	var found []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.plan, &d.lapse, &d.person, &d.seq, &d.kind, &d.day); err != nil {
			rows.Close()
			return 0, fmt.Errorf("mark overdue attempts: %w", err)
		}
		found = append(found, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("mark overdue attempts: %w", err)
	}
	marked := 0
	for _, d := range found {
		if db.Dialect == Postgres {
			if _, err := tx.Exec(`SELECT id FROM people WHERE id = ? FOR UPDATE`, d.person); err != nil {
				return 0, fmt.Errorf("mark overdue attempts: %w", err)
			}
		}
		res, err := tx.Exec(`UPDATE tracing_attempts SET overdue_at = ?, version = version + 1
			WHERE id = ? AND state = 'due' AND overdue_at IS NULL`, db.ts(tx.now), d.id)
		if err != nil {
			return 0, fmt.Errorf("mark overdue attempts: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, fmt.Errorf("mark overdue attempts: %w", err)
		} else if n == 0 {
			continue // recorded or marked meanwhile
		}
		id := d.id
		what := "Attempt " + strconv.Itoa(d.seq) + " (" + lapseKindWords(d.kind) + ") was due on " + d.day + " and is not recorded as made."
		if err := tx.lapseEvent(d.lapse, tether.LapseActionOverdue, "", "", "", &id, nil, what); err != nil {
			return 0, fmt.Errorf("mark overdue attempts: %w", err)
		}
		if err := tx.escalatePlanTask(d.plan, d.lapse, d.person, d.seq, what); err != nil {
			return 0, fmt.Errorf("mark overdue attempts: %w", err)
		}
		tx.Audit("tracing.attempt.overdue", "tracing_attempt", d.id, "lapse="+strconv.FormatInt(d.lapse, 10)+" due="+d.day)
		marked++
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("mark overdue attempts: %w", err)
	}
	return marked, nil
}

func lapseKindWords(kind string) string {
	b := []byte(kind)
	for i := range b {
		if b[i] == '_' {
			b[i] = ' '
		}
	}
	return string(b)
}

// escalatePlanTask raises the priority of the plan's task still to do by
// one step, with an event saying which attempt is overdue; with no task
// still to do, it opens one, urgent, in the tracing queue.
func (tx *Tx) escalatePlanTask(planID, lapseID, personID int64, seq int, what string) error {
	var taskID sql.NullInt64
	if err := tx.QueryRow(`SELECT task_id FROM tracing_plans WHERE id = ?`, planID).Scan(&taskID); err != nil {
		return err
	}
	if taskID.Valid {
		var state string
		var rank int
		err := tx.QueryRow(`SELECT state, priority FROM tasks WHERE id = ?`, taskID.Int64).Scan(&state, &rank)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err == nil && (state == tether.TaskOpen || state == tether.TaskClaimed) {
			from := priorityKey(rank)
			to := tether.OverduePriority(from)
			if to == from {
				return nil // urgent already; the lapse's history has the overdue attempt
			}
			p, _ := tether.PriorityByKey(to)
			if _, err := tx.Exec(`UPDATE tasks SET priority = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
				p.Rank, tx.db.ts(tx.now), taskID.Int64); err != nil {
				return err
			}
			if err := tx.taskEvent(taskID.Int64, tether.TaskActionPriority, from, to, what); err != nil {
				return err
			}
			tx.Audit("task.change", "task", taskID.Int64, "queue="+tether.QueueTracing+" priority="+from+"->"+to+" by=tracing-overdue")
			return nil
		}
	}
	task := &tether.Task{Queue: tether.QueueTracing, Kind: tether.TaskKindTracingDue, Priority: tether.PriorityUrgent,
		PersonID: personID, SubjectKind: tether.SubjectLapse, SubjectID: lapseID,
		Summary: what + " The plan's earlier task is closed, but contact is not re-established: make the attempt or record why not."}
	return tx.openPlanTask(lapseID, planID, task)
}
