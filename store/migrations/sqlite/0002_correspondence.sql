-- Correspondence: templates and their versions, notices and their
-- timelines, the outbox that sends them, channel health, caseworkers'
-- tasks, signals for later capabilities, and bank holidays loaded by an
-- operator. Times are TEXT in the fixed-width UTC form; civil dates
-- (posted_on, deemed_served, holiday dates) are TEXT YYYY-MM-DD, '' for none.

CREATE TABLE templates (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    asks_to_act  INTEGER NOT NULL DEFAULT 0,
    placeholders TEXT NOT NULL DEFAULT '[]',
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);

-- A version's wording never changes once saved: only its state moves
-- (draft, published or published_over_bar, retired).
CREATE TABLE template_versions (
    id              INTEGER PRIMARY KEY,
    template_id     INTEGER NOT NULL REFERENCES templates(id),
    number          INTEGER NOT NULL,
    language        TEXT NOT NULL,
    subject         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    state           TEXT NOT NULL,
    reading_ease    REAL NOT NULL DEFAULT 0,
    grade           REAL NOT NULL DEFAULT 0,
    passes_bar      INTEGER NOT NULL DEFAULT 0,
    report          TEXT NOT NULL DEFAULT '{}',
    override_reason TEXT NOT NULL DEFAULT '',
    published_at    TEXT,
    published_by    TEXT NOT NULL DEFAULT '',
    retired_at      TEXT,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    UNIQUE (template_id, language, number)
);
-- At most one version of a template in a language is in use.
CREATE UNIQUE INDEX template_versions_live ON template_versions(template_id, language)
    WHERE state IN ('published', 'published_over_bar');

CREATE TABLE notices (
    id                  INTEGER PRIMARY KEY,
    ref                 TEXT NOT NULL UNIQUE,
    person_id           INTEGER NOT NULL REFERENCES people(id),
    template_id         INTEGER NOT NULL REFERENCES templates(id),
    version_id          INTEGER NOT NULL REFERENCES template_versions(id),
    template_key        TEXT NOT NULL,
    template_version    INTEGER NOT NULL,
    language            TEXT NOT NULL,
    kind                TEXT NOT NULL,
    asks_to_act         INTEGER NOT NULL DEFAULT 0,
    method              TEXT NOT NULL,
    channel             TEXT NOT NULL,
    party               TEXT NOT NULL,
    contact_point_id    INTEGER REFERENCES contact_points(id),
    destination         TEXT NOT NULL DEFAULT '[]',
    dest_address        TEXT,
    division            TEXT NOT NULL DEFAULT '',
    route_reason        TEXT NOT NULL,
    subject             TEXT NOT NULL DEFAULT '',
    content             TEXT NOT NULL,
    state               TEXT NOT NULL,
    provider_id         TEXT NOT NULL DEFAULT '',
    sent_at             TEXT,
    posted_on           TEXT NOT NULL DEFAULT '',
    deemed_served       TEXT NOT NULL DEFAULT '',
    deemed_rule         TEXT NOT NULL DEFAULT '',
    deemed_rule_version INTEGER NOT NULL DEFAULT 0,
    deemed_explanation  TEXT NOT NULL DEFAULT '',
    copy_due            INTEGER NOT NULL DEFAULT 0,
    copy_given_at       TEXT,
    copy_given_how      TEXT NOT NULL DEFAULT '',
    -- set once, when the failure of the contact point was acted on, so
    -- that a repeated report opens no second task
    contact_failed_at   TEXT,
    last_event_at       TEXT NOT NULL,
    -- when the poller last asked the channel about it
    polled_at           TEXT,
    created_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX notices_person ON notices(person_id, created_at);
CREATE INDEX notices_provider ON notices(provider_id) WHERE provider_id <> '';
CREATE INDEX notices_state ON notices(state, last_event_at);

-- The timeline of a notice: append-only. reported_at is the channel's time
-- of a delivery report, so that a repeated report is recognised.
CREATE TABLE notice_events (
    id          INTEGER PRIMARY KEY,
    notice_id   INTEGER NOT NULL REFERENCES notices(id),
    at          TEXT NOT NULL,
    status      TEXT NOT NULL,
    state       TEXT NOT NULL,
    source      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL,
    reported_at TEXT
);
CREATE INDEX notice_events_notice ON notice_events(notice_id, id);
CREATE UNIQUE INDEX notice_events_report ON notice_events(notice_id, status, reported_at)
    WHERE reported_at IS NOT NULL;

-- One row per notice to dispatch. ref is the notice's reference, sent to
-- the channel as the idempotency key.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    notice_id       INTEGER NOT NULL UNIQUE REFERENCES notices(id),
    channel         TEXT NOT NULL,
    ref             TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    leased_by       TEXT NOT NULL DEFAULT '',
    lease_until     TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    prior_unknown   INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_lease ON outbox(lease_until) WHERE state = 'leased';

CREATE TABLE channel_state (
    channel              TEXT PRIMARY KEY,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    paused_until         TEXT,
    last_error           TEXT NOT NULL DEFAULT '',
    last_success_at      TEXT,
    last_failure_at      TEXT,
    updated_at           TEXT NOT NULL
);

CREATE TABLE tasks (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people(id),
    kind             TEXT NOT NULL,
    notice_id        INTEGER REFERENCES notices(id),
    contact_point_id INTEGER REFERENCES contact_points(id),
    summary          TEXT NOT NULL,
    state            TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    done_at          TEXT,
    done_by          TEXT NOT NULL DEFAULT '',
    done_note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tasks_person ON tasks(person_id, state);
CREATE INDEX tasks_state ON tasks(state, id);

-- Signals are append-only; a consumer sets consumed_at once.
CREATE TABLE signals (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    person_id        INTEGER NOT NULL REFERENCES people(id),
    notice_id        INTEGER REFERENCES notices(id),
    contact_point_id INTEGER REFERENCES contact_points(id),
    reason           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    consumed_at      TEXT,
    consumed_by      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signals_unconsumed ON signals(kind, id) WHERE consumed_at IS NULL;
CREATE INDEX signals_kind ON signals(kind, id);

-- Bank holidays loaded by "tether holidays load", one load at a time; they
-- are merged over calendar.Default() in load order.
CREATE TABLE holiday_loads (
    id        INTEGER PRIMARY KEY,
    source    TEXT NOT NULL,
    events    INTEGER NOT NULL,
    added     INTEGER NOT NULL,
    loaded_at TEXT NOT NULL,
    loaded_by TEXT NOT NULL
);

CREATE TABLE holidays_loaded (
    load_id  INTEGER NOT NULL REFERENCES holiday_loads(id),
    division TEXT NOT NULL,
    date     TEXT NOT NULL,
    title    TEXT NOT NULL,
    notes    TEXT NOT NULL DEFAULT '',
    bunting  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (load_id, division, date)
);
