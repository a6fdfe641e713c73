-- Replies to an office are sent by Tether itself, through the same
-- channels and dispatcher as notices (GOV.UK Notify, the mail relay, the
-- post room): each reply that Tether sends has one item here, leased to one
-- dispatcher at a time, with the reference the channel is given so that a
-- retry never sends twice, and the channel's id and time of acceptance as
-- the proof of sending. A reply recorded as sent outside Tether (with the
-- caseworker's own proof reference) has none.
CREATE TABLE reply_outbox (
    id              INTEGER PRIMARY KEY,
    reply_id        INTEGER NOT NULL UNIQUE REFERENCES enquiry_replies(id),
    channel         TEXT NOT NULL,
    ref             TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    leased_by       TEXT NOT NULL DEFAULT '',
    lease_until     TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    prior_unknown   INTEGER NOT NULL DEFAULT 0,
    provider_id     TEXT NOT NULL DEFAULT '',
    sent_at         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- A claim reads only the items due: waiting, or leased with the lease run
-- out.
CREATE INDEX reply_outbox_due ON reply_outbox(next_attempt_at, id) WHERE state IN ('pending', 'unknown');
CREATE INDEX reply_outbox_lease ON reply_outbox(lease_until) WHERE state = 'leased';

-- Where an office's replies go when the caseworker gives no address: its
-- email address, and its postal address as a JSON array of lines.
ALTER TABLE organisations ADD COLUMN reply_email TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN reply_address TEXT NOT NULL DEFAULT '[]';
