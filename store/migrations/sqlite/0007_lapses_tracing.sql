-- Lapses of contact and tracing. A lapse opens when a person in contact
-- becomes at risk (at most one open lapse per person), stays open while
-- they are out of contact or declared an absconder, and closes when
-- contact is re-established. Each lapse gets a tracing plan made from the
-- playbook (reporting.Plan) when it opens; the plan's steps are rows of
-- tracing_attempts: due (with the day, in working days), done (who, when,
-- how, the outcome) or skipped (not applicable, or no longer needed, with
-- the reason). Everything that happens to a lapse is a row of
-- lapse_events, with who and when; only the current state of a lapse, a
-- plan and an attempt is written in place.

CREATE TABLE lapses (
    id                  INTEGER PRIMARY KEY,
    person_id           INTEGER NOT NULL REFERENCES people(id),
    -- When the person became at risk: the lapse began.
    opened_at           TEXT NOT NULL,
    opened_on           TEXT NOT NULL,
    opened_by           TEXT NOT NULL,
    -- The status cause that opened it (tether.Cause*).
    cause               TEXT NOT NULL,
    -- The first signal of the lapse: when it was recorded, its cause, the
    -- stored signal when there is one, and a detail without personal data.
    first_signal_at     TEXT NOT NULL,
    first_signal_cause  TEXT NOT NULL,
    signal_id           INTEGER REFERENCES signals(id),
    first_signal_detail TEXT NOT NULL DEFAULT '',
    -- The reporting centre of the person's in-person reporting condition
    -- current when the lapse opened; NULL when there was none.
    centre              TEXT,
    -- The person's contact status in the lapse (at_risk, out_of_contact,
    -- absconder; in_contact once closed), and when it first escalated.
    status              TEXT NOT NULL,
    out_of_contact_at   TEXT,
    absconder_at        TEXT,
    closed_at           TEXT,
    closed_on           TEXT,
    closed_by           TEXT NOT NULL DEFAULT '',
    closing_cause       TEXT NOT NULL DEFAULT '',
    closing_detail      TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1
);
-- At most one open lapse per person.
CREATE UNIQUE INDEX lapses_one_open ON lapses(person_id) WHERE closed_at IS NULL;
CREATE INDEX lapses_person ON lapses(person_id, id);
-- Figures read the lapses opened in a range of months.
CREATE INDEX lapses_opened ON lapses(opened_on, id);
-- Lists of open lapses leave out the many closed ones.
CREATE INDEX lapses_open ON lapses(opened_at, id) WHERE closed_at IS NULL;

CREATE TABLE lapse_events (
    id          INTEGER PRIMARY KEY,
    lapse_id    INTEGER NOT NULL REFERENCES lapses(id),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    -- opened, signal, out_of_contact, absconder, plan, task, attempt,
    -- attempt_overdue, closed, copies_due.
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    cause       TEXT NOT NULL DEFAULT '',
    attempt_id  INTEGER,
    task_id     INTEGER REFERENCES tasks(id),
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX lapse_events_lapse ON lapse_events(lapse_id, id);

CREATE TABLE tracing_plans (
    id               INTEGER PRIMARY KEY,
    lapse_id         INTEGER NOT NULL UNIQUE REFERENCES lapses(id),
    person_id        INTEGER NOT NULL REFERENCES people(id),
    playbook         TEXT NOT NULL,
    playbook_version INTEGER NOT NULL,
    -- The day the plan starts and the bank-holiday division its working
    -- days are counted in.
    start_on         TEXT NOT NULL,
    division         TEXT NOT NULL,
    -- The task in the tracing queue for the plan's work.
    task_id          INTEGER REFERENCES tasks(id),
    -- open, or closed when the lapse closed.
    state            TEXT NOT NULL DEFAULT 'open',
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    closed_at        TEXT
);

CREATE TABLE tracing_attempts (
    id                   INTEGER PRIMARY KEY,
    plan_id              INTEGER NOT NULL REFERENCES tracing_plans(id),
    lapse_id             INTEGER NOT NULL REFERENCES lapses(id),
    person_id            INTEGER NOT NULL REFERENCES people(id),
    -- The order to try them in: the playbook's order.
    seq                  INTEGER NOT NULL,
    kind                 TEXT NOT NULL,
    -- The target: whose contact point (party) and which, with its value as
    -- it was when the plan was made; none for checks with other agencies.
    party                TEXT NOT NULL DEFAULT '',
    contact_point_id     INTEGER REFERENCES contact_points(id),
    target               TEXT NOT NULL DEFAULT '',
    instructions         TEXT NOT NULL DEFAULT '',
    -- When it is due (YYYY-MM-DD, working days after the start) and how
    -- that was counted; NULL for a step that was skipped.
    due_on               TEXT,
    explanation          TEXT NOT NULL DEFAULT '',
    -- due, done or skipped.
    state                TEXT NOT NULL,
    skip_reason          TEXT NOT NULL DEFAULT '',
    -- Set once by the tracing-overdue sweep when the due day passed.
    overdue_at           TEXT,
    -- The attempt: when it was made, who recorded it and when, how, the
    -- outcome, a note, and the contact point it found.
    attempted_at         TEXT,
    recorded_at          TEXT,
    recorded_by          TEXT NOT NULL DEFAULT '',
    how                  TEXT NOT NULL DEFAULT '',
    outcome              TEXT NOT NULL DEFAULT '',
    note                 TEXT NOT NULL DEFAULT '',
    new_contact_point_id INTEGER REFERENCES contact_points(id),
    version              INTEGER NOT NULL DEFAULT 1,
    UNIQUE (plan_id, seq)
);
-- The tracing-overdue sweep reads only due attempts not yet marked, by day.
CREATE INDEX tracing_attempts_overdue ON tracing_attempts(due_on, id) WHERE state = 'due' AND overdue_at IS NULL;
-- The first attempt of each lapse, for the figures.
CREATE INDEX tracing_attempts_done ON tracing_attempts(lapse_id, attempted_at) WHERE state = 'done';
