-- Reporting: the conditions a person must report under, and the reporting
-- events their schedules give, made ahead on a rolling horizon (never for
-- the whole of an open-ended condition). Conditions are never edited: a
-- change ends one (end_on, ended_reason) and starts the next, which names
-- it (replaces_id). Every change to a condition or an event is a row of
-- reporting_history, with who and when. Dates are civil dates YYYY-MM-DD
-- (UK time), times of day HH:MM, as the rules in package reporting hold them.

CREATE TABLE reporting_conditions (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people(id),
    kind         TEXT NOT NULL,
    -- The named reporting centre and its bank-holiday division, for
    -- in-person reporting only; NULL otherwise.
    centre       TEXT,
    division     TEXT,
    -- The schedule in its compact text form (reporting.ParseSchedule).
    schedule     TEXT NOT NULL,
    -- The number called, E.164, for telephone reporting; '' otherwise.
    number       TEXT NOT NULL DEFAULT '',
    -- gps_tag or fingerprint_device, for electronic monitoring; '' otherwise.
    device       TEXT NOT NULL DEFAULT '',
    start_on     TEXT NOT NULL,
    -- The last day (inclusive); NULL while open-ended.
    end_on       TEXT,
    set_by       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    replaces_id  INTEGER REFERENCES reporting_conditions(id),
    ended_reason TEXT NOT NULL DEFAULT '',
    -- The last day events have been made up to ('' before the first);
    -- horizon_done once they reach end_on, so the horizon sweep never
    -- reads the condition again.
    horizon_to   TEXT NOT NULL DEFAULT '',
    horizon_done INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX reporting_conditions_person ON reporting_conditions(person_id, id);
-- The horizon sweep reads only the conditions whose events run out soon.
CREATE INDEX reporting_conditions_horizon ON reporting_conditions(horizon_to, id) WHERE horizon_done = 0;

CREATE TABLE reporting_events (
    id               INTEGER PRIMARY KEY,
    condition_id     INTEGER NOT NULL REFERENCES reporting_conditions(id),
    person_id        INTEGER NOT NULL REFERENCES people(id),
    kind             TEXT NOT NULL,
    -- The reporting centre, for in-person events; NULL otherwise.
    centre           TEXT,
    due_on           TEXT NOT NULL,
    -- The time of day to report, HH:MM, or '' for any time that day.
    at_time          TEXT NOT NULL DEFAULT '',
    -- The day the schedule gives, when the event moved off a closed day.
    scheduled_on     TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    -- due, reported, missed, excused or rescheduled.
    state            TEXT NOT NULL DEFAULT 'due',
    -- Optimistic concurrency: every change adds one.
    version          INTEGER NOT NULL DEFAULT 1,
    -- The outcome that closed the event: when, by whom, how and where the
    -- person reported, the reason (an excuse, a new day), who accepted an
    -- explanation, the day it moved to.
    outcome_at       TEXT,
    outcome_by       TEXT NOT NULL DEFAULT '',
    how              TEXT NOT NULL DEFAULT '',
    reported_where   TEXT NOT NULL DEFAULT '',
    reason           TEXT NOT NULL DEFAULT '',
    accepted_by      TEXT NOT NULL DEFAULT '',
    rescheduled_to   TEXT NOT NULL DEFAULT '',
    rescheduled_from INTEGER REFERENCES reporting_events(id),
    -- Reminder bookkeeping: when the reminder was handled (once), by which
    -- channel (sms, email, or none), the notice it made, and why none.
    reminder_at      TEXT,
    reminder_channel TEXT NOT NULL DEFAULT '',
    reminder_notice  INTEGER REFERENCES notices(id),
    reminder_note    TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL
);
-- A condition has at most one event a day; the horizon sweep makes each once.
CREATE UNIQUE INDEX reporting_events_condition_day ON reporting_events(condition_id, due_on);
CREATE INDEX reporting_events_person ON reporting_events(person_id, due_on);
-- The end-of-day sweep reads only due events, by day.
CREATE INDEX reporting_events_due ON reporting_events(due_on, id) WHERE state = 'due';
-- The reminder sweep reads only due events not yet reminded, by day and time.
CREATE INDEX reporting_events_remind ON reporting_events(due_on, at_time, id) WHERE state = 'due' AND reminder_at IS NULL;
-- The roster: who is due at a centre on a day.
CREATE INDEX reporting_events_roster ON reporting_events(centre, due_on, at_time, id) WHERE centre IS NOT NULL;

-- Every change to a condition or an event, append-only. event_id is NULL
-- for a change to the condition itself. Events withdrawn when their
-- condition ends are deleted (they were only the schedule made ahead); the
-- withdrawal is recorded here, so there is no foreign key to events.
CREATE TABLE reporting_history (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people(id),
    condition_id INTEGER NOT NULL REFERENCES reporting_conditions(id),
    event_id     INTEGER,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    from_state   TEXT NOT NULL DEFAULT '',
    to_state     TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reporting_history_condition ON reporting_history(condition_id, id);
CREATE INDEX reporting_history_event ON reporting_history(event_id, id) WHERE event_id IS NOT NULL;

-- Flags about a person that the eligibility rules read (reporting.Flags):
-- the flags set now, and every setting and clearing with who, when and why.
CREATE TABLE person_flags (
    person_id INTEGER NOT NULL REFERENCES people(id),
    flag      TEXT NOT NULL,
    set_at    TEXT NOT NULL,
    set_by    TEXT NOT NULL,
    reason    TEXT NOT NULL,
    PRIMARY KEY (person_id, flag)
);
CREATE TABLE person_flag_events (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    flag      TEXT NOT NULL,
    action    TEXT NOT NULL,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    reason    TEXT NOT NULL
);
CREATE INDEX person_flag_events_person ON person_flag_events(person_id, id);
