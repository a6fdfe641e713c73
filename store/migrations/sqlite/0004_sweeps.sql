-- Background sweeps: work that falls due with time (events missed at the
-- end of the day, reminders, escalation, tasks past their due date). One
-- instance at a time runs a sweep, under a lease in sweep_leases; each run
-- is recorded in sweep_runs with what it did. Each item a sweep handles is
-- marked in the same transaction as its change, so that a run killed part
-- way leaves the rest to the next run and nothing is done twice.

CREATE TABLE sweep_leases (
    sweep       TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    lease_until TEXT NOT NULL
);

CREATE TABLE sweep_runs (
    id          INTEGER PRIMARY KEY,
    sweep       TEXT NOT NULL,
    worker      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    done        INTEGER NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sweep_runs_sweep ON sweep_runs(sweep, id);

-- A task past its due date is marked once, when the sweep finds it.
ALTER TABLE tasks ADD COLUMN overdue_at TEXT;
-- The tasks-due sweep reads only tasks still to do and not yet marked, by
-- due date: its cost is the number of tasks falling due.
CREATE INDEX tasks_due_unmarked ON tasks(due_on, id) WHERE overdue_at IS NULL AND state IN ('open', 'claimed');
