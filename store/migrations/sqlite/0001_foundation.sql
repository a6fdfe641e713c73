-- Foundation: organisations, users, credentials, people, contact points, audit.
-- Times are TEXT in the fixed-width UTC form 2006-01-02T15:04:05.000000Z so
-- that they sort and compare as text.

CREATE TABLE organisations (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    constituency TEXT NOT NULL DEFAULT '',
    division     TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    organisation_id INTEGER REFERENCES organisations(id),
    personal_data   INTEGER NOT NULL DEFAULT 0,
    disabled        INTEGER NOT NULL DEFAULT 0,
    password_hash   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE people (
    id                  INTEGER PRIMARY KEY,
    ref                 TEXT NOT NULL UNIQUE,
    family_name         TEXT NOT NULL,
    given_names         TEXT NOT NULL DEFAULT '',
    other_names         TEXT NOT NULL DEFAULT '[]',
    dob_year            INTEGER NOT NULL DEFAULT 0,
    dob_month           INTEGER NOT NULL DEFAULT 0,
    dob_day             INTEGER NOT NULL DEFAULT 0,
    nationality         TEXT NOT NULL DEFAULT '',
    preferred_language  TEXT NOT NULL DEFAULT '',
    needs               TEXT NOT NULL DEFAULT '{}',
    rep_organisation    TEXT NOT NULL DEFAULT '',
    rep_name            TEXT NOT NULL DEFAULT '',
    rep_organisation_id INTEGER REFERENCES organisations(id),
    rep_instructed      INTEGER NOT NULL DEFAULT 0,
    working_channels    INTEGER NOT NULL DEFAULT 0,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX people_rep_org ON people(rep_organisation_id) WHERE rep_organisation_id IS NOT NULL;
CREATE INDEX people_no_channel ON people(ref) WHERE working_channels = 0;
CREATE INDEX people_dob ON people(dob_year, dob_month, dob_day);

-- Earlier versions of a person's record: an update never loses what was there.
CREATE TABLE person_versions (
    person_id  INTEGER NOT NULL REFERENCES people(id),
    version    INTEGER NOT NULL,
    data       TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    PRIMARY KEY (person_id, version)
);

-- One row per distinct search key of a person's names (namematch.Keys).
CREATE TABLE person_name_keys (
    key       TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (key, person_id)
) WITHOUT ROWID;
CREATE INDEX person_name_keys_person ON person_name_keys(person_id);

CREATE TABLE contact_points (
    id                 INTEGER PRIMARY KEY,
    person_id          INTEGER NOT NULL REFERENCES people(id),
    kind               TEXT NOT NULL,
    party              TEXT NOT NULL,
    party_name         TEXT NOT NULL DEFAULT '',
    relationship       TEXT NOT NULL DEFAULT '',
    address_lines      TEXT NOT NULL DEFAULT '[]',
    town               TEXT NOT NULL DEFAULT '',
    postcode           TEXT NOT NULL DEFAULT '',
    country            TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL,
    source_detail      TEXT NOT NULL DEFAULT '',
    for_correspondence INTEGER NOT NULL DEFAULT 0,
    valid_from         TEXT NOT NULL,
    valid_to           TEXT,
    ended_reason       TEXT NOT NULL DEFAULT '',
    last_confirmed_at  TEXT,
    confirmed_how      TEXT NOT NULL DEFAULT '',
    verification       TEXT NOT NULL,
    replaces           INTEGER REFERENCES contact_points(id),
    created_by         TEXT NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX contact_points_person ON contact_points(person_id);
CREATE INDEX contact_points_postcode ON contact_points(postcode) WHERE postcode <> '';

CREATE TABLE contact_point_events (
    id               INTEGER PRIMARY KEY,
    contact_point_id INTEGER NOT NULL REFERENCES contact_points(id),
    person_id        INTEGER NOT NULL REFERENCES people(id),
    type             TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    actor            TEXT NOT NULL,
    at               TEXT NOT NULL
);
CREATE INDEX contact_point_events_person ON contact_point_events(person_id);

-- The audit log is append-only and hash-chained; audit_head holds the last
-- link so that appends from many instances serialise on one row.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    detail    TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
