-- Indexes over the open enquiries only (the 50,000 still to be answered,
-- not the million answered), found missing by the benchmarks of phase 2
-- (BenchmarkEnquiryPages, BenchmarkEnquiryCreateHTTP):
--
-- The department's lists of open enquiries by due date, all, overdue, and
-- a team's: an index walk that stops at the page, where sorting the open
-- enquiries of every state took 140 ms at 1,000,000.
CREATE INDEX enquiries_open_due ON enquiries(due_on, id)
    WHERE state IN ('received', 'triaged', 'assigned', 'in_progress');
CREATE INDEX enquiries_open_team ON enquiries(team, due_on, id)
    WHERE state IN ('received', 'triaged', 'assigned', 'in_progress');
-- Counting the open enquiries, and those not matched to a person (the
-- triage list), from the index alone.
CREATE INDEX enquiries_open_unmatched ON enquiries(state, person_id)
    WHERE state IN ('received', 'triaged', 'assigned', 'in_progress');
-- The likely duplicates of a new enquiry: the office's open enquiries
-- about the same person, reference or date of birth, each through its
-- index, where reading all of a busy office's open enquiries was half the
-- cost of raising one.
CREATE INDEX enquiries_org_person ON enquiries(organisation_id, person_id)
    WHERE state IN ('received', 'triaged', 'assigned', 'in_progress');
CREATE INDEX enquiries_org_subject_ref ON enquiries(organisation_id, subject_ref)
    WHERE state IN ('received', 'triaged', 'assigned', 'in_progress');
CREATE INDEX enquiries_org_subject_dob ON enquiries(organisation_id, subject_dob)
    WHERE state IN ('received', 'triaged', 'assigned', 'in_progress');
