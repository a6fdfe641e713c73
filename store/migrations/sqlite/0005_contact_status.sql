-- Contact status: in contact -> at risk -> out of contact -> absconder, and
-- back to in contact when contact is re-established. The status moves by
-- signals (correspondence's contact-lapse signals now; missed events and
-- failed calls as the reporting capability lands) and by time: a person at
-- risk with no contact by out_of_contact_on becomes out of contact. Every
-- transition, and every signal that leaves the status as it is, is a row
-- of status_events with its cause.

ALTER TABLE people ADD COLUMN contact_status TEXT NOT NULL DEFAULT 'in_contact';
-- When the current status began; NULL for a person always in contact.
ALTER TABLE people ADD COLUMN status_since TEXT;
-- While at risk: the day (YYYY-MM-DD) the person becomes out of contact
-- unless contact is re-established first.
ALTER TABLE people ADD COLUMN out_of_contact_on TEXT;

-- The escalation sweep reads only the people at risk, by the day due.
CREATE INDEX people_escalation ON people(out_of_contact_on, id) WHERE contact_status = 'at_risk';
-- Lists of people by status leave out the many in contact.
CREATE INDEX people_status ON people(contact_status, id) WHERE contact_status <> 'in_contact';

CREATE TABLE status_events (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    cause       TEXT NOT NULL,
    signal_id   INTEGER REFERENCES signals(id),
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX status_events_person ON status_events(person_id, id);
