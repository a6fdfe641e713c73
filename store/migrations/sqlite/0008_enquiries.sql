-- Enquiries from MPs' offices and legal representatives about individual
-- cases. Organisations already have their kind, constituency and the
-- bank-holiday division of their calendar (0001). An enquiry keeps whom the
-- office asked about as it gave it (subject_*), the person it was matched
-- to (NULL until matched: such enquiries wait for triage), the question,
-- category, urgency and its reason, the basis of the office's authority,
-- and its service standard: the division, the day received, the working
-- days allowed and the date they give (standard_due_on, recomputed when
-- bank holidays change), and the date now due (due_on: the standard's, or
-- the one a holding reply committed to). Every change is a row of
-- enquiry_events with who and when; replies sent are kept in
-- enquiry_replies with the exact text and proof of sending; the
-- department's internal notes are kept apart, in enquiry_notes, which no
-- office reads. Dates are civil dates YYYY-MM-DD (UK time); months YYYY-MM.

CREATE TABLE enquiries (
    id                  INTEGER PRIMARY KEY,
    ref                 TEXT NOT NULL UNIQUE,
    organisation_id     INTEGER NOT NULL REFERENCES organisations(id),
    -- The office's user who raised it; NULL when staff recorded it.
    raised_by           INTEGER REFERENCES users(id),
    created_by          TEXT NOT NULL,
    person_id           INTEGER REFERENCES people(id),
    subject_ref         TEXT NOT NULL DEFAULT '',
    subject_family_name TEXT NOT NULL DEFAULT '',
    subject_given_names TEXT NOT NULL DEFAULT '',
    subject_dob         TEXT NOT NULL DEFAULT '',
    -- reference, name_dob, triage or none; the note says why not matched.
    match_method        TEXT NOT NULL,
    match_note          TEXT NOT NULL DEFAULT '',
    question            TEXT NOT NULL,
    category            TEXT NOT NULL,
    urgency             TEXT NOT NULL,
    urgency_reason      TEXT NOT NULL DEFAULT '',
    authority_basis     TEXT NOT NULL,
    authority_given_on  TEXT NOT NULL DEFAULT '',
    authority_note      TEXT NOT NULL DEFAULT '',
    division            TEXT NOT NULL,
    received_on         TEXT NOT NULL,
    received_month      TEXT NOT NULL,
    standard_days       INTEGER NOT NULL,
    standard_due_on     TEXT NOT NULL,
    due_explanation     TEXT NOT NULL DEFAULT '',
    due_on              TEXT NOT NULL,
    -- The day the assignee and team lead are warned; warned_at and
    -- breached_at are set once per due date, by the sweeps.
    warn_on             TEXT NOT NULL,
    warned_at           TEXT,
    breached_at         TEXT,
    state               TEXT NOT NULL,
    team                TEXT NOT NULL,
    assignee            INTEGER REFERENCES users(id),
    -- The work-queue task, once the enquiry is matched to a person.
    task_id             INTEGER REFERENCES tasks(id),
    holding_count       INTEGER NOT NULL DEFAULT 0,
    holding_reply_id    INTEGER,
    answer_reply_id     INTEGER,
    -- The answer, pre-computed for the figures: the day sent, the working
    -- days it took from receipt, within the standard (1) or not, and the
    -- late band; '' and NULL while unanswered (and again when reopened).
    answered_on         TEXT NOT NULL DEFAULT '',
    working_days_taken  INTEGER,
    within_standard     INTEGER NOT NULL DEFAULT 0,
    late_band           TEXT NOT NULL DEFAULT '',
    closed_at           TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
-- An office's list, by due date, with and without a state.
CREATE INDEX enquiries_org_due ON enquiries(organisation_id, due_on, id);
CREATE INDEX enquiries_org_state ON enquiries(organisation_id, state, due_on, id);
-- The department's lists by due date: all, by state, by team, by assignee.
CREATE INDEX enquiries_due ON enquiries(due_on, id);
CREATE INDEX enquiries_state ON enquiries(state, due_on, id);
CREATE INDEX enquiries_team ON enquiries(team, state, due_on, id);
CREATE INDEX enquiries_assignee ON enquiries(assignee, state, due_on, id) WHERE assignee IS NOT NULL;
CREATE INDEX enquiries_person ON enquiries(person_id, state) WHERE person_id IS NOT NULL;
-- The triage list: open enquiries not matched to a person.
CREATE INDEX enquiries_unmatched ON enquiries(due_on, id) WHERE person_id IS NULL AND state IN ('received', 'triaged', 'assigned', 'in_progress');
-- The sweeps read only the enquiries falling due: to warn, and to breach.
CREATE INDEX enquiries_warn ON enquiries(warn_on, id) WHERE warned_at IS NULL AND state IN ('received', 'triaged', 'assigned', 'in_progress');
CREATE INDEX enquiries_breach ON enquiries(due_on, id) WHERE breached_at IS NULL AND state IN ('received', 'triaged', 'assigned', 'in_progress');
-- Bank holidays changed: the open enquiries of a division by standard date.
CREATE INDEX enquiries_open_standard ON enquiries(division, standard_due_on, id) WHERE state IN ('received', 'triaged', 'assigned', 'in_progress');
-- The performance report's open enquiries, covered.
CREATE INDEX enquiries_open_report ON enquiries(received_month, team, category, urgency, division, received_on, standard_due_on)
    WHERE state IN ('received', 'triaged', 'assigned', 'in_progress');

-- The history of an enquiry: append-only. from_value and to_value hold
-- what changed: the state, the assignee ("user:42"), the team, the
-- category, the person's reference or the due date.
CREATE TABLE enquiry_events (
    id         INTEGER PRIMARY KEY,
    enquiry_id INTEGER NOT NULL REFERENCES enquiries(id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    from_value TEXT NOT NULL DEFAULT '',
    to_value   TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enquiry_events_enquiry ON enquiry_events(enquiry_id, id);

-- Replies sent to the office, holding replies and answers: the exact text
-- and its SHA-256, the template version, where it went, when and by whom,
-- and any reference the sending gave. Never changed.
CREATE TABLE enquiry_replies (
    id                  INTEGER PRIMARY KEY,
    enquiry_id          INTEGER NOT NULL REFERENCES enquiries(id),
    kind                TEXT NOT NULL,
    template_id         INTEGER NOT NULL REFERENCES templates(id),
    version_id          INTEGER NOT NULL REFERENCES template_versions(id),
    template_key        TEXT NOT NULL,
    template_version    INTEGER NOT NULL,
    language            TEXT NOT NULL,
    channel             TEXT NOT NULL,
    sent_to             TEXT NOT NULL,
    subject             TEXT NOT NULL DEFAULT '',
    content             TEXT NOT NULL,
    content_sha256      TEXT NOT NULL,
    sent_at             TEXT NOT NULL,
    sent_on             TEXT NOT NULL,
    sent_by             TEXT NOT NULL,
    proof_ref           TEXT NOT NULL DEFAULT '',
    holding_reason      TEXT NOT NULL DEFAULT '',
    holding_outstanding TEXT NOT NULL DEFAULT '',
    holding_from        TEXT NOT NULL DEFAULT '',
    holding_detail      TEXT NOT NULL DEFAULT '',
    new_date            TEXT NOT NULL DEFAULT '',
    previous_due_on     TEXT NOT NULL DEFAULT '',
    reading_ease        REAL NOT NULL DEFAULT 0,
    grade               REAL NOT NULL DEFAULT 0,
    passes_bar          INTEGER NOT NULL DEFAULT 0,
    override_reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enquiry_replies_enquiry ON enquiry_replies(enquiry_id, id);

-- The department's internal notes: never shown to an office.
CREATE TABLE enquiry_notes (
    id         INTEGER PRIMARY KEY,
    enquiry_id INTEGER NOT NULL REFERENCES enquiries(id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX enquiry_notes_enquiry ON enquiry_notes(enquiry_id, id);

-- The performance figures, kept as each enquiry changes, in the same
-- transaction: enquiries received in a month, by team, category, urgency
-- and the late band of their answer ('' while unanswered). The report reads
-- these few rows, not the enquiries; RebuildEnquiryStats recomputes them
-- from the enquiries' own columns after a bulk load.
CREATE TABLE enquiry_stats (
    received_month TEXT NOT NULL,
    team           TEXT NOT NULL,
    category       TEXT NOT NULL,
    urgency        TEXT NOT NULL,
    late_band      TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (received_month, team, category, urgency, late_band)
) WITHOUT ROWID;

-- Each team's lead, warned with the assignee before a due date.
CREATE TABLE enquiry_team_leads (
    team    TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    set_at  TEXT NOT NULL,
    set_by  TEXT NOT NULL
);
