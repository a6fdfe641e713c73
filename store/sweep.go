package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tether"
)

// SweepActor is the actor of background sweeps.
var SweepActor = tether.Actor{Role: tether.RoleAdmin, Label: "system:sweep", PersonalData: true}

// AcquireSweep takes or renews the lease on sweep for worker until ttl
// from now, and reports whether worker holds it: a lease another worker
// holds and that has not run out is left alone. Of several instances that
// ask at once, one gets it.
func (db *DB) AcquireSweep(ctx context.Context, sweep, worker string, ttl time.Duration) (bool, error) {
	if sweep == "" || worker == "" || ttl <= 0 {
		return false, tether.Invalid("sweep", "give the sweep, the worker and a lease time")
	}
	ctx, err := systemCtx(ctx, SweepActor)
	if err != nil {
		return false, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return false, fmt.Errorf("acquire sweep: %w", err)
	}
	defer tx.rollback()
	res, err := tx.Exec(`INSERT INTO sweep_leases (sweep, holder, lease_until) VALUES (?, ?, ?)
		ON CONFLICT (sweep) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
		WHERE sweep_leases.lease_until < ? OR sweep_leases.holder = ?`,
		sweep, worker, db.ts(tx.now.Add(ttl)), db.ts(tx.now), worker)
	if err != nil {
		return false, fmt.Errorf("acquire sweep: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("acquire sweep: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("acquire sweep: %w", err)
	}
	return n == 1, nil
}

// ReleaseSweep gives up worker's lease on sweep, so that the next run
// need not wait for it to run out.
func (db *DB) ReleaseSweep(ctx context.Context, sweep, worker string) error {
	ctx, err := systemCtx(ctx, SweepActor)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("release sweep: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.Exec(`DELETE FROM sweep_leases WHERE sweep = ? AND holder = ?`, sweep, worker); err != nil {
		return fmt.Errorf("release sweep: %w", err)
	}
	return tx.Commit()
}

// RecordSweepRun keeps what a run of a sweep did, with an audit entry.
func (db *DB) RecordSweepRun(ctx context.Context, r *tether.SweepRun) error {
	ctx, err := systemCtx(ctx, SweepActor)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("record sweep run: %w", err)
	}
	defer tx.rollback()
	id, err := tx.InsertID(`INSERT INTO sweep_runs (sweep, worker, started_at, finished_at, done, detail, error)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.Sweep, r.Worker, db.ts(r.StartedAt), db.ts(r.FinishedAt), r.Done,
		clip(r.Detail, 1000), clip(r.Error, 1000))
	if err != nil {
		return fmt.Errorf("record sweep run: %w", err)
	}
	r.ID = id
	tx.Audit("sweep.run", "sweep_run", id, "sweep="+r.Sweep+" done="+strconv.Itoa(r.Done)+" failed="+strconv.FormatBool(r.Error != ""))
	return tx.Commit()
}

// SweepRuns lists the latest runs, newest first: of one sweep, or of all
// when sweep is "". For an admin or an inspector.
func (db *DB) SweepRuns(ctx context.Context, sweep string, limit int) ([]*tether.SweepRun, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleInspector); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q, args := `SELECT id, sweep, worker, started_at, finished_at, done, detail, error FROM sweep_runs`, []any{}
	if sweep != "" {
		q, args = q+` WHERE sweep = ?`, append(args, sweep)
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("sweep runs: %w", err)
	}
	defer tx.rollback()
	rows, err := tx.Query(q+` ORDER BY id DESC LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("sweep runs: %w", err)
	}
	defer rows.Close()
	out := []*tether.SweepRun{}
	for rows.Next() {
		r := &tether.SweepRun{}
		if err := rows.Scan(&r.ID, &r.Sweep, &r.Worker, timeScan{&r.StartedAt}, timeScan{&r.FinishedAt}, &r.Done,
			&r.Detail, &r.Error); err != nil {
			return nil, fmt.Errorf("sweep runs: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// MarkOverdueTasks marks up to max tasks still to do whose due date is
// before today (in the correspondence location) and that are not marked
// yet: each is marked once, its priority goes one step more urgent, and
// an "overdue" event and an audit entry record it, in one transaction.
// It reads only the tasks falling due (an index on the unmarked ones by
// due date), and returns how many it marked: fewer than max means none is
// left. Two sweeps at once mark each task once.
func (db *DB) MarkOverdueTasks(ctx context.Context, max int) (int, error) {
	if max < 1 || max > maxClaim {
		return 0, tether.Invalid("max", "must be between 1 and "+strconv.Itoa(maxClaim))
	}
	ctx, err := systemCtx(ctx, SweepActor)
	if err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("mark overdue tasks: %w", err)
	}
	defer tx.rollback()
	lock := ``
	if db.Dialect == Postgres {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	today := tx.today().String()
	rows, err := tx.Query(`SELECT id, priority FROM tasks WHERE overdue_at IS NULL AND state IN ('open', 'claimed')
		AND due_on <> '' AND due_on < ? ORDER BY due_on, id LIMIT `+strconv.Itoa(max)+lock, today)
	if err != nil {
		return 0, fmt.Errorf("mark overdue tasks: %w", err)
	}
	type due struct {
		id   int64
		rank int
	}
	var found []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.rank); err != nil {
			rows.Close()
			return 0, fmt.Errorf("mark overdue tasks: %w", err)
		}
		found = append(found, d)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return 0, fmt.Errorf("mark overdue tasks: %w", err)
	}
	rows.Close()
	marked := 0
	for _, d := range found {
		from := priorityKey(d.rank)
		to := tether.OverduePriority(from)
		p, _ := tether.PriorityByKey(to)
		res, err := tx.Exec(`UPDATE tasks SET overdue_at = ?, priority = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND overdue_at IS NULL`, db.ts(tx.now), p.Rank, db.ts(tx.now), d.id)
		if err != nil {
			return 0, fmt.Errorf("mark overdue tasks: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, fmt.Errorf("mark overdue tasks: %w", err)
		} else if n == 0 {
			continue // marked meanwhile
		}
		if err := tx.taskEvent(d.id, tether.TaskActionOverdue, from, to, "not done by its due date"); err != nil {
			return 0, fmt.Errorf("mark overdue tasks: %w", err)
		}
		tx.Audit("task.overdue", "task", d.id, "priority="+from+"->"+to)
		marked++
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("mark overdue tasks: %w", err)
	}
	return marked, nil
}

// priorityKey is the key of a stored priority rank.
func priorityKey(rank int) string {
	for _, p := range tether.Priorities {
		if p.Rank == rank {
			return p.Key
		}
	}
	return strings.TrimSpace(strconv.Itoa(rank))
}
