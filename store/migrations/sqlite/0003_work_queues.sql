-- Work queues: the caseworkers' tasks of 0002 become a general task model
-- that every module uses. A task sits in a team's queue with a priority and
-- a due date, moves open -> claimed -> done (or is released, reassigned or
-- cancelled with a reason), names the record it is about, and keeps every
-- change as a row of task_events.
--
-- SQLite adds columns only with constant defaults, so each column comes in
-- with one and the rows of 0002 are then given their values by UPDATE.
-- priority is a rank, so that ORDER BY priority puts the most urgent first:
-- 1 urgent, 2 high, 3 normal, 4 low. due_on is a civil date YYYY-MM-DD, as
-- the other dates of the schema are.

ALTER TABLE tasks ADD COLUMN queue TEXT NOT NULL DEFAULT 'contact';
ALTER TABLE tasks ADD COLUMN priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4);
ALTER TABLE tasks ADD COLUMN due_on TEXT NOT NULL DEFAULT '';
-- The user who has claimed the task, or had it when it was closed; NULL
-- while it waits in its queue.
ALTER TABLE tasks ADD COLUMN assignee INTEGER REFERENCES users(id);
ALTER TABLE tasks ADD COLUMN claimed_at TEXT;
-- What the task is about: person, notice, contact_point, and later
-- enquiry, reporting_event, lapse.
ALTER TABLE tasks ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'person';
ALTER TABLE tasks ADD COLUMN subject_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN cancelled_at TEXT;
ALTER TABLE tasks ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- The tasks of 0002 are correspondence's failed deliveries and sends: the
-- contact management queue, high priority, due on the day they were opened
-- (so that they come first), about their notice where they have one.
UPDATE tasks SET
    queue = 'contact',
    priority = CASE WHEN kind IN ('contact-failed', 'send-failed') THEN 2 ELSE 3 END,
    due_on = substr(created_at, 1, 10),
    subject_kind = CASE WHEN notice_id IS NOT NULL THEN 'notice' ELSE 'person' END,
    subject_id = COALESCE(notice_id, person_id),
    updated_at = COALESCE(done_at, created_at);

-- The history of a task: append-only. from_value and to_value hold what
-- changed: the assignee ("user:42", '' for the queue) for claimed, released
-- and reassigned; the state for opened, done and cancelled; the priority
-- or the due date for priority and due.
CREATE TABLE task_events (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES tasks(id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    from_value TEXT NOT NULL DEFAULT '',
    to_value   TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_events_task ON task_events(task_id, id);

-- The history the tasks of 0002 already have: when each was opened, and
-- when and by whom each done one was closed.
INSERT INTO task_events (task_id, at, actor, action, from_value, to_value)
    SELECT id, created_at, created_by, 'opened', '', 'open' FROM tasks;
INSERT INTO task_events (task_id, at, actor, action, from_value, to_value, note)
    SELECT id, done_at, done_by, 'done', 'open', 'done', done_note FROM tasks WHERE state = 'done' AND done_at IS NOT NULL;

-- A queue's page: its tasks in a state by due date, then priority.
CREATE INDEX tasks_queue ON tasks(state, queue, due_on, priority, id);
-- A queue's work still to do (open or claimed), in page order without a
-- sort: the queries name these two states as literals so that both
-- engines use it.
CREATE INDEX tasks_queue_active ON tasks(queue, due_on, priority, id) WHERE state IN ('open', 'claimed');
-- My tasks.
CREATE INDEX tasks_assignee ON tasks(assignee, state, due_on, priority, id) WHERE assignee IS NOT NULL;
-- Due sweeps: the cost is the number of due tasks, not of all tasks.
CREATE INDEX tasks_due ON tasks(state, due_on);
