package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"tether"
	"tether/calendar"
	"tether/enquiry"
)

// Enquiries from MPs' offices and legal representatives: intake with
// person matching and a duplicate check, the workflow with its events,
// holding replies and answers (enquiry_reply.go), the sweeps that warn and
// raise breaches, the recomputation of due dates when bank holidays
// change, and the performance report (enquiry_sweep.go). An office's user
// sees only its own organisation's enquiries, and never the department's
// internal notes, matching, routing or assignment: another office's
// enquiry is "not found", and the attempt is audited.

// Enquiry paging.
const (
	enquiriesDefaultLimit = 50
	enquiriesMaxLimit     = 500
	// candidatesByDOB bounds the people born on one day read to match a
	// name: more than this many born that day is a date worth triage.
	candidatesByDOB = 200
)

// openEnquiryStates is the WHERE term for enquiries still to be answered,
// written with literals so that both engines match it to the partial
// indexes of 0008.
const openEnquiryStates = `e.state IN ('received', 'triaged', 'assigned', 'in_progress')`

// enquiryTaskKind is the kind of the work-queue task an enquiry becomes.
const enquiryTaskKind = "enquiry"

// defaultEnquiryDivision is the calendar of an organisation that names
// none. (check: most offices are in England and Wales.)
const defaultEnquiryDivision = calendar.EnglandAndWales

// enquiryState is the DB's enquiries configuration.
type enquiryState struct {
	mu        sync.RWMutex
	standards *enquiry.Standards
}

// SetEnquiryStandards sets the service standards new enquiries are
// measured against; enquiries already received keep the working days they
// were given. EINVALID when they are not valid.
func (db *DB) SetEnquiryStandards(s enquiry.Standards) error {
	if err := s.Validate(); err != nil {
		return err
	}
	db.enq.mu.Lock()
	db.enq.standards = &s
	db.enq.mu.Unlock()
	return nil
}

// EnquiryStandards returns the service standards in force.
func (db *DB) EnquiryStandards() enquiry.Standards {
	db.enq.mu.RLock()
	defer db.enq.mu.RUnlock()
	if db.enq.standards == nil {
		return enquiry.DefaultStandards()
	}
	return *db.enq.standards
}

// enquiryReader returns the actor in ctx when it may read enquiries: the
// enquiries team, admins, and an organisation's users (their own only).
func enquiryReader(ctx context.Context) (tether.Actor, error) {
	a, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleEnquiries, tether.RoleOrganisation)
	if err != nil {
		if tether.ErrorCode(err) == tether.EFORBIDDEN {
			return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not see enquiries.")
		}
		return a, err
	}
	if a.Role == tether.RoleOrganisation && a.OrganisationID == nil {
		return a, tether.Errorf(tether.EFORBIDDEN, "Your account belongs to no organisation.")
	}
	return a, nil
}

// enquiryStaff returns the actor in ctx when it works enquiries: the
// enquiries team and admins.
func enquiryStaff(ctx context.Context) (tether.Actor, error) {
	a, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleEnquiries)
	if tether.ErrorCode(err) == tether.EFORBIDDEN {
		return a, tether.Errorf(tether.EFORBIDDEN, "Only the enquiries team may do this.")
	}
	return a, err
}

// isOffice reports whether the actor is an organisation's user.
func isOffice(a tether.Actor) bool { return a.Role == tether.RoleOrganisation }

// storedEnquiry is an enquiry with the columns the domain type does not
// show.
type storedEnquiry struct {
	*enquiry.Enquiry
	warnOn         string
	holdingReplyID *int64
	answerReplyID  *int64
}

// enquiryCols are the columns scanEnquiry reads, from enquiryFrom.
const enquiryCols = `e.id, e.ref, e.organisation_id, o.name, e.raised_by, COALESCE(ru.name, ''),
	e.subject_ref, e.subject_family_name, e.subject_given_names, e.subject_dob,
	e.question, e.category, e.urgency, e.urgency_reason, e.authority_basis, e.authority_given_on, e.authority_note,
	e.division, e.received_on, e.standard_days, e.standard_due_on, e.due_explanation, e.due_on, e.state,
	e.holding_count, COALESCE(h.holding_reason, ''), COALESCE(h.holding_outstanding, ''), COALESCE(h.holding_from, ''),
	COALESCE(h.holding_detail, ''), COALESCE(h.new_date, ''), COALESCE(h.previous_due_on, ''), COALESCE(h.sent_on, ''),
	e.answered_on, e.working_days_taken, e.within_standard, e.late_band, e.closed_at,
	e.person_id, COALESCE(p.ref, ''), e.match_method, e.match_note, e.team, e.assignee, COALESCE(au.name, ''), e.task_id,
	e.warned_at, e.breached_at, e.created_at, e.updated_at, e.version, e.warn_on, e.holding_reply_id, e.answer_reply_id`

const enquiryFrom = ` FROM enquiries e JOIN organisations o ON o.id = e.organisation_id
	LEFT JOIN users ru ON ru.id = e.raised_by LEFT JOIN people p ON p.id = e.person_id
	LEFT JOIN users au ON au.id = e.assignee LEFT JOIN enquiry_replies h ON h.id = e.holding_reply_id`

func nullID(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

func scanEnquiry(row rowScanner) (*storedEnquiry, error) {
	e := &enquiry.Enquiry{}
	s := &storedEnquiry{Enquiry: e}
	var raisedBy, days, person, assignee, task, holdingID, answerID sql.NullInt64
	var h enquiry.Holding
	var within int
	if err := row.Scan(&e.ID, &e.Ref, &e.OrganisationID, &e.OrganisationName, &raisedBy, &e.RaisedByName,
		&e.Subject.Ref, &e.Subject.FamilyName, &e.Subject.GivenNames, &e.Subject.DateOfBirth,
		&e.Question, &e.Category, &e.Urgency, &e.UrgencyReason, &e.Authority.Basis, &e.Authority.GivenOn, &e.Authority.Note,
		&e.Division, &e.ReceivedOn, &e.StandardDays, &e.StandardDueOn, &e.DueExplanation, &e.DueOn, &e.State,
		&e.Holdings, &h.Reason, &h.Outstanding, &h.From, &h.Detail, &h.NewDate, &h.PreviousDueOn, &h.SentOn,
		&e.AnsweredOn, &days, &within, &e.LateBand, nullTimeScan{&e.ClosedAt},
		&person, &e.PersonRef, &e.Match, &e.MatchNote, &e.Team, &assignee, &e.AssigneeName, &task,
		nullTimeScan{&e.WarnedAt}, nullTimeScan{&e.BreachedAt}, timeScan{&e.CreatedAt}, timeScan{&e.UpdatedAt}, &e.Version,
		&s.warnOn, &holdingID, &answerID); err != nil {
		return nil, err
	}
	e.RaisedBy, e.PersonID, e.Assignee, e.TaskID = nullID(raisedBy), nullID(person), nullID(assignee), nullID(task)
	s.holdingReplyID, s.answerReplyID = nullID(holdingID), nullID(answerID)
	if h.Reason != "" {
		h.ReasonText, h.FromText = enquiry.ReasonWords(h.Reason), enquiry.FromWords(h.From)
		e.Holding = &h
	}
	if days.Valid {
		n := int(days.Int64)
		w := within == 1
		e.WorkingDaysTaken, e.WithinStandard = &n, &w
	}
	return s, nil
}

// loadEnquiry reads one enquiry, locking its row on PostgreSQL when lock
// is set. ENOTFOUND when there is none; visibility is enquiryVisible's.
func (tx *Tx) loadEnquiry(id int64, lock bool) (*storedEnquiry, error) {
	q := `SELECT ` + enquiryCols + enquiryFrom + ` WHERE e.id = ?`
	if lock && tx.db.Dialect == Postgres {
		q += ` FOR UPDATE OF e`
	}
	e, err := scanEnquiry(tx.QueryRow(q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errEnquiryNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("load enquiry: %w", err)
	}
	return e, nil
}

// errEnquiryNotFound is the one answer for an enquiry that does not exist
// and for another office's, so that ids cannot be probed.
func errEnquiryNotFound() error { return tether.Errorf(tether.ENOTFOUND, "Enquiry not found.") }

// findVisibleEnquiry loads an enquiry the actor may see. An office's user
// asking for one that is not its organisation's, or for none at all, gets
// ENOTFOUND, and the attempt is recorded and committed alone: callers
// look before they write anything.
func (tx *Tx) findVisibleEnquiry(id int64, lock bool) (*storedEnquiry, error) {
	e, err := tx.loadEnquiry(id, lock)
	if err != nil && tether.ErrorCode(err) != tether.ENOTFOUND {
		return nil, err
	}
	a := tx.actor
	if !isOffice(a) {
		return e, err
	}
	if e != nil && a.OrganisationID != nil && e.OrganisationID == *a.OrganisationID {
		return e, nil
	}
	tx.Audit("enquiry.read.denied", "enquiry", id, "not an enquiry of the actor's organisation")
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("audit refusal: %w", err)
	}
	return nil, errEnquiryNotFound()
}

// view is the enquiry as the actor may see it.
func view(a tether.Actor, e *enquiry.Enquiry) *enquiry.Enquiry {
	if isOffice(a) {
		return e.ForOffice()
	}
	return e
}

// calendarFor is the bank-holiday calendar of a division in force in tx.
func (tx *Tx) calendarFor(div string) (calendar.Calendar, error) {
	hol, err := tx.holidays()
	if err != nil {
		return calendar.Calendar{}, err
	}
	return hol.For(div)
}

// enquiryEvent appends an entry to an enquiry's history.
func (tx *Tx) enquiryEvent(id int64, action, from, to, note string) error {
	_, err := tx.Exec(`INSERT INTO enquiry_events (enquiry_id, at, actor, action, from_value, to_value, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, tx.db.ts(tx.now), tx.actor.String(), action, from, to, clip(note, 4000))
	return err
}

// loadOrganisation reads an organisation in tx. ENOTFOUND.
func (tx *Tx) loadOrganisation(id int64) (*tether.Organisation, error) {
	o, err := scanOrganisation(tx.QueryRow(`SELECT `+orgCols+` FROM organisations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tether.Errorf(tether.ENOTFOUND, "Organisation not found.")
	} else if err != nil {
		return nil, fmt.Errorf("load organisation: %w", err)
	}
	return o, nil
}

// intake is a new enquiry worked out in a transaction: the organisation,
// the person matched (0 for none) and how, and the office's likely
// duplicates.
type intake struct {
	org        *tether.Organisation
	personID   int64
	method     string
	note       string
	duplicates []*enquiry.Duplicate
}

// prepareIntake checks a new enquiry in tx: the organisation (the actor's
// own for an office's user; named by staff), the input, the person it is
// about, the basis of authority against the records, and the office's
// open enquiries it may repeat. It writes nothing.
func (tx *Tx) prepareIntake(in *enquiry.Input) (*intake, error) {
	a := tx.actor
	var orgID int64
	switch {
	case isOffice(a):
		if in.OrganisationID != 0 && in.OrganisationID != *a.OrganisationID {
			return nil, tether.Invalid("organisation_id", "leave it out: you raise enquiries for your own organisation")
		}
		orgID = *a.OrganisationID
	case in.OrganisationID <= 0:
		return nil, tether.Invalid("organisation_id", "name the office the enquiry came from")
	default:
		orgID = in.OrganisationID
	}
	org, err := tx.loadOrganisation(orgID)
	if tether.ErrorCode(err) == tether.ENOTFOUND {
		return nil, tether.Invalid("organisation_id", "no such organisation")
	} else if err != nil {
		return nil, err
	}
	if err := in.Validate(org.Kind, tx.today()); err != nil {
		return nil, err
	}
	it := &intake{org: org}
	var repOrg *int64
	it.personID, it.method, it.note, repOrg, err = tx.matchSubject(in.Subject)
	if err != nil {
		return nil, err
	}
	if err := enquiry.CheckAuthority(in.Authority, org.ID, it.personID != 0, repOrg); err != nil {
		return nil, err
	}
	if it.duplicates, err = tx.duplicates(org.ID, in.Subject, it.personID); err != nil {
		return nil, err
	}
	return it, nil
}

// matchSubject finds the person an enquiry is about (enquiry.Match): by
// reference, and by the people born on the date of birth given. It returns
// the person's id (0 for none), how, why not, and the person's
// representative's organisation.
func (tx *Tx) matchSubject(s enquiry.Subject) (int64, string, string, *int64, error) {
	people := map[int64]*tether.Person{}
	var byRef *enquiry.Candidate
	candidate := func(p *tether.Person) enquiry.Candidate {
		people[p.ID] = p
		return enquiry.Candidate{ID: p.ID, Ref: p.Ref, Names: p.AllNames(), DateOfBirth: p.DateOfBirth}
	}
	if s.Ref != "" {
		p, err := scanPerson(tx.QueryRow(`SELECT `+personCols+` FROM people p WHERE p.ref = ?`, s.Ref))
		if err == nil {
			c := candidate(p)
			byRef = &c
		} else if !errors.Is(err, sql.ErrNoRows) {
			return 0, "", "", nil, fmt.Errorf("match person: %w", err)
		}
	}
	var byDOB []enquiry.Candidate
	if d, err := calendar.ParseDate(s.DateOfBirth); err == nil && s.FamilyName != "" {
		rows, err := tx.Query(`SELECT `+personCols+` FROM people p WHERE p.dob_year = ? AND p.dob_month = ? AND p.dob_day = ?
			ORDER BY p.id LIMIT `+strconv.Itoa(candidatesByDOB), d.Year, int(d.Month), d.Day)
		if err != nil {
			return 0, "", "", nil, fmt.Errorf("match person: %w", err)
		}
		for rows.Next() {
			p, err := scanPerson(rows)
			if err != nil {
				rows.Close()
				return 0, "", "", nil, fmt.Errorf("match person: %w", err)
			}
			byDOB = append(byDOB, candidate(p))
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return 0, "", "", nil, fmt.Errorf("match person: %w", err)
		}
		rows.Close()
	}
	id, method, note := enquiry.Match(s, byRef, byDOB)
	var repOrg *int64
	if p := people[id]; p != nil && p.Representative != nil {
		repOrg = p.Representative.OrganisationID
	}
	return id, method, note, repOrg, nil
}

// duplicates lists the office's open enquiries that a new one about the
// subject (matched to personID, 0 for none) may repeat.
func (tx *Tx) duplicates(orgID int64, s enquiry.Subject, personID int64) ([]*enquiry.Duplicate, error) {
	// Only the open enquiries that share something LikelyDuplicate looks
	// at are read: the same person, reference or date of birth, each
	// through its index (0009_enquiry_open_indexes). Reading all of a busy office's open
	// enquiries for each new one was half the cost of raising one
	// (BenchmarkEnquiryCreateHTTP).
	const cols = `SELECT e.id, e.ref, e.received_on, e.due_on, e.state, e.category, e.person_id,
		e.subject_ref, e.subject_family_name, e.subject_given_names, e.subject_dob
		FROM enquiries e WHERE e.organisation_id = ? AND ` + openEnquiryStates + ` AND `
	var parts []string
	var args []any
	if personID != 0 {
		parts, args = append(parts, cols+`e.person_id = ?`), append(args, orgID, personID)
	}
	if s.Ref != "" {
		parts, args = append(parts, cols+`e.subject_ref = ?`), append(args, orgID, s.Ref)
	}
	if s.FamilyName != "" && s.DateOfBirth != "" {
		parts, args = append(parts, cols+`e.subject_dob = ?`), append(args, orgID, s.DateOfBirth)
	}
	if len(parts) == 0 {
		return []*enquiry.Duplicate{}, nil
	}
	rows, err := tx.Query(strings.Join(parts, ` UNION `), args...)
	if err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	defer rows.Close()
	out := []*enquiry.Duplicate{}
	for rows.Next() {
		d := &enquiry.Duplicate{}
		var person sql.NullInt64
		var old enquiry.Subject
		if err := rows.Scan(&d.ID, &d.Ref, &d.ReceivedOn, &d.DueOn, &d.State, &d.Category, &person,
			&old.Ref, &old.FamilyName, &old.GivenNames, &old.DateOfBirth); err != nil {
			return nil, fmt.Errorf("duplicates: %w", err)
		}
		if d.Why = enquiry.LikelyDuplicate(s, personID, old, person.Int64); d.Why != "" {
			out = append(out, d)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	slices.SortFunc(out, func(a, b *enquiry.Duplicate) int {
		if c := strings.Compare(a.DueOn, b.DueOn); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// EnquiryDuplicates lists the office's open enquiries that a new one may
// repeat (the same person, reference, or name and date of birth), for the
// form to show before it is sent. Nothing is written but the audit entry.
// EINVALID, EFORBIDDEN.
func (db *DB) EnquiryDuplicates(ctx context.Context, in *enquiry.Input) ([]*enquiry.Duplicate, error) {
	if _, err := enquiryReader(ctx); err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("enquiry duplicates: %w", err)
	}
	defer tx.rollback()
	it, err := tx.prepareIntake(in)
	if err != nil {
		return nil, err
	}
	tx.Audit("enquiry.duplicates", "organisation", it.org.ID, "found="+strconv.Itoa(len(it.duplicates)))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("enquiry duplicates: %w", err)
	}
	return it.duplicates, nil
}

// newEnquiryRef is a random reference in enquiry.NewRef's form.
func newEnquiryRef() string {
	var b [10]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents it)
	return enquiry.NewRef(b)
}

// taskPriority is the priority of an enquiry's task: urgent for the
// urgent route, normal otherwise.
func taskPriority(urgency string) string {
	if enquiry.NeedsReason(urgency) {
		return tether.PriorityUrgent
	}
	return tether.PriorityNormal
}

// CreateEnquiry records a new enquiry and returns it with its reference.
// It is matched to a person where the reference, or the name and date of
// birth, point to one; otherwise it waits for triage (and has no task
// until a caseworker matches it, as every task is about a person). Its due
// date counts the service standard's working days from today in the
// office's division. A matched enquiry becomes a task in the enquiries
// queue, due that day. An office with a likely duplicate open must send it
// again with AcknowledgeDuplicates. EINVALID (a field; the authority the
// records do not bear out), ECONFLICT (duplicates), EFORBIDDEN.
func (db *DB) CreateEnquiry(ctx context.Context, in *enquiry.Input) (*enquiry.Enquiry, error) {
	a, err := enquiryReader(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("create enquiry: %w", err)
	}
	defer tx.rollback()
	it, err := tx.prepareIntake(in)
	if err != nil {
		return nil, err
	}
	if len(it.duplicates) > 0 && !in.AcknowledgeDuplicates {
		refs := make([]string, len(it.duplicates))
		for i, d := range it.duplicates {
			refs[i] = d.Ref + " (" + d.Why + ")"
		}
		why := "you have an open enquiry that may be the same: " + strings.Join(refs, ", ") +
			"; check it, or send this one again with acknowledge_duplicates set"
		return nil, &tether.Error{Code: tether.ECONFLICT, Message: "You may already have asked this: " + strings.Join(refs, ", ") + ".",
			Fields: map[string]string{"acknowledge_duplicates": why}}
	}
	st := db.EnquiryStandards()
	std, err := st.For(in.Urgency, in.Category)
	if err != nil {
		return nil, err
	}
	div := it.org.Division
	if div == "" {
		div = defaultEnquiryDivision
	}
	cal, err := tx.calendarFor(div)
	if err != nil {
		return nil, fmt.Errorf("create enquiry: %w", err)
	}
	today := tx.today()
	due := enquiry.DueDate(today, std, cal)
	warn := enquiry.WarnOn(today, due.Date, st.WarnWorkingDays, cal)
	var raisedBy *int64
	if isOffice(a) && a.UserID != 0 {
		raisedBy = &a.UserID
	}
	var person any
	if it.personID != 0 {
		person = it.personID
	}
	team := st.TeamFor(in.Category)
	var id int64
	var ref string
	for range refAttempts {
		ref = newEnquiryRef()
		id, err = tx.InsertID(`INSERT INTO enquiries (ref, organisation_id, raised_by, created_by, person_id,
			subject_ref, subject_family_name, subject_given_names, subject_dob, match_method, match_note,
			question, category, urgency, urgency_reason, authority_basis, authority_given_on, authority_note,
			division, received_on, received_month, standard_days, standard_due_on, due_explanation, due_on, warn_on,
			state, team, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
			ref, it.org.ID, orgArg(raisedBy), a.String(), person,
			in.Subject.Ref, in.Subject.FamilyName, in.Subject.GivenNames, in.Subject.DateOfBirth, it.method, it.note,
			in.Question, in.Category, in.Urgency, in.UrgencyReason, in.Authority.Basis, in.Authority.GivenOn, in.Authority.Note,
			div, today.String(), enquiry.Month(today.String()), std.WorkingDays, due.Date.String(), due.Explanation,
			due.Date.String(), warn.String(), enquiry.StateReceived, team, db.ts(tx.now), db.ts(tx.now))
		if !isUnique(err) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create enquiry: %w", err)
	}
	how := "raised by the office"
	if !isOffice(a) {
		how = "recorded by the department for the office"
	}
	if err := tx.enquiryEvent(id, enquiry.EventReceived, "", enquiry.StateReceived, how); err != nil {
		return nil, fmt.Errorf("create enquiry: %w", err)
	}
	if it.personID != 0 {
		p, err := tx.loadPerson(it.personID, false)
		if err != nil {
			return nil, err
		}
		if err := tx.enquiryEvent(id, enquiry.EventMatched, "", p.Ref, "matched by "+strings.ReplaceAll(it.method, "_", " and ")); err != nil {
			return nil, fmt.Errorf("create enquiry: %w", err)
		}
		if err := tx.openEnquiryTask(id, ref, p.ID, in.Category, in.Urgency, due.Date.String(), it.org.Name, nil); err != nil {
			return nil, err
		}
	}
	if err := tx.addStat(statKey{enquiry.Month(today.String()), team, in.Category, in.Urgency, ""}, 1); err != nil {
		return nil, fmt.Errorf("create enquiry: %w", err)
	}
	tx.Audit("enquiry.create", "enquiry", id, "organisation="+strconv.FormatInt(it.org.ID, 10)+" category="+in.Category+
		" urgency="+in.Urgency+" match="+it.method+" duplicates="+strconv.Itoa(len(it.duplicates)))
	e, err := tx.loadEnquiry(id, false)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create enquiry: %w", err)
	}
	return view(a, e.Enquiry), nil
}

// openEnquiryTask puts an enquiry in the enquiries queue as a task about
// its person, due on the enquiry's due date, claimed by the assignee when
// there is one, and links it to the enquiry.
func (tx *Tx) openEnquiryTask(id int64, ref string, personID int64, category, urgency, due, orgName string, assignee *int64) error {
	t := &tether.Task{Queue: tether.QueueEnquiries, Kind: enquiryTaskKind, Priority: taskPriority(urgency), DueOn: due,
		PersonID: personID, SubjectKind: tether.SubjectEnquiry, SubjectID: id,
		Summary: clip("Answer enquiry "+ref+" from "+orgName+": "+enquiry.CategoryWords(category)+", "+urgency+".", 2000)}
	if err := tx.openTask(t); err != nil {
		return fmt.Errorf("open enquiry task: %w", err)
	}
	if assignee != nil {
		if _, err := tx.Exec(`UPDATE tasks SET state = ?, assignee = ?, claimed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			tether.TaskClaimed, *assignee, tx.db.ts(tx.now), tx.db.ts(tx.now), t.ID); err != nil {
			return fmt.Errorf("open enquiry task: %w", err)
		}
		if err := tx.taskEvent(t.ID, tether.TaskActionReassigned, "", tether.UserRef(*assignee), "assigned with enquiry "+ref); err != nil {
			return fmt.Errorf("open enquiry task: %w", err)
		}
	}
	if _, err := tx.Exec(`UPDATE enquiries SET task_id = ? WHERE id = ?`, t.ID, id); err != nil {
		return fmt.Errorf("open enquiry task: %w", err)
	}
	return nil
}

// enquiryFilter turns a filter into a WHERE clause for the actor: an
// office's user is held to its own organisation.
func enquiryFilter(a tether.Actor, f enquiry.Filter) (string, []any) {
	var where []string
	var args []any
	add := func(term string, arg ...any) { where, args = append(where, term), append(args, arg...) }
	switch {
	case isOffice(a):
		add(`e.organisation_id = ?`, *a.OrganisationID)
	case f.OrganisationID != nil:
		add(`e.organisation_id = ?`, *f.OrganisationID)
	}
	switch f.State {
	case "":
	case enquiry.StateOpen:
		where = append(where, openEnquiryStates)
	default:
		add(`e.state = ?`, f.State)
	}
	if f.Category != "" {
		add(`e.category = ?`, f.Category)
	}
	if f.Urgency != "" {
		add(`e.urgency = ?`, f.Urgency)
	}
	if !isOffice(a) {
		if f.Team != "" {
			add(`e.team = ?`, f.Team)
		}
		if f.Assignee != nil {
			add(`e.assignee = ?`, *f.Assignee)
		}
		if f.PersonID != nil {
			add(`e.person_id = ?`, *f.PersonID)
		}
		if f.Unmatched {
			where = append(where, `e.person_id IS NULL`, openEnquiryStates)
		}
	}
	if f.Ref != "" {
		add(`e.ref = ?`, f.Ref)
	}
	if f.DueBefore != "" {
		add(`e.due_on < ?`, f.DueBefore)
	}
	if len(where) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(where, ` AND `), args
}

// FindEnquiries lists enquiries by due date, then id, a page at a time,
// with the number the filter selects: an office's user gets its own
// organisation's only, as the office sees them (and the department's
// filters by team, assignee, person and matching do not apply to it).
// EINVALID, EFORBIDDEN.
func (db *DB) FindEnquiries(ctx context.Context, f enquiry.Filter) ([]*enquiry.Enquiry, int, error) {
	a, err := enquiryReader(ctx)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	if f.Limit == 0 {
		f.Limit = enquiriesDefaultLimit
	}
	f.Limit = min(f.Limit, enquiriesMaxLimit)
	cond, args := enquiryFilter(a, f)
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("find enquiries: %w", err)
	}
	defer tx.rollback()
	var total int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM enquiries e`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find enquiries: %w", err)
	}
	out := []*enquiry.Enquiry{}
	if total > f.Offset {
		rows, err := tx.Query(`SELECT `+enquiryCols+enquiryFrom+cond+` ORDER BY e.due_on, e.id LIMIT ? OFFSET ?`,
			append(args, f.Limit, f.Offset)...)
		if err != nil {
			return nil, 0, fmt.Errorf("find enquiries: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEnquiry(rows)
			if err != nil {
				return nil, 0, fmt.Errorf("find enquiries: %w", err)
			}
			e.DueExplanation = ""
			out = append(out, view(a, e.Enquiry))
		}
		if err := rows.Err(); err != nil {
			return nil, 0, fmt.Errorf("find enquiries: %w", err)
		}
		rows.Close()
	}
	detail := "state=" + f.State + " returned=" + strconv.Itoa(len(out))
	if isOffice(a) {
		detail = "organisation=" + strconv.FormatInt(*a.OrganisationID, 10) + " " + detail
	}
	tx.Audit("enquiries.list", "enquiry", 0, detail)
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("find enquiries: %w", err)
	}
	return out, total, nil
}

// explainDue adds to the standard's explanation what a holding reply did to
// the date.
func explainDue(e *enquiry.Enquiry) string {
	text := e.DueExplanation
	if e.Holding != nil && e.DueOn != e.StandardDueOn {
		if d, err := calendar.ParseDate(e.Holding.SentOn); err == nil {
			if nd, err := calendar.ParseDate(e.DueOn); err == nil {
				text += " A holding reply sent on " + d.Long() + " committed to an answer by " + nd.Long() + "."
			}
		}
	}
	return text
}

// EnquiryDetail returns one enquiry with every reply sent and, for the
// department, its internal notes, and records the read. An office's user
// asking for another office's enquiry, or one that does not exist, gets
// ENOTFOUND, and the attempt is audited. EFORBIDDEN.
func (db *DB) EnquiryDetail(ctx context.Context, id int64) (*enquiry.Detail, error) {
	a, err := enquiryReader(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("enquiry: %w", err)
	}
	defer tx.rollback()
	e, err := tx.findVisibleEnquiry(id, false)
	if err != nil {
		return nil, err
	}
	e.DueExplanation = explainDue(e.Enquiry)
	d := &enquiry.Detail{Enquiry: e.Enquiry}
	if d.Replies, err = tx.enquiryReplies(id); err != nil {
		return nil, err
	}
	for _, r := range d.Replies {
		if e.answerReplyID != nil && r.ID == *e.answerReplyID {
			e.Answer = r
		}
	}
	if !isOffice(a) {
		if d.Notes, err = tx.enquiryNotes(id); err != nil {
			return nil, err
		}
	}
	tx.Audit("enquiry.read", "enquiry", id, "")
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("enquiry: %w", err)
	}
	if isOffice(a) {
		d.Enquiry = e.ForOffice()
		for i, r := range d.Replies {
			d.Replies[i] = r.ForOffice()
		}
	}
	return d, nil
}

// FindEnquiryByID returns one enquiry as the actor may see it (the answer
// included), and records the read. ENOTFOUND (audited for an office),
// EFORBIDDEN.
func (db *DB) FindEnquiryByID(ctx context.Context, id int64) (*enquiry.Enquiry, error) {
	d, err := db.EnquiryDetail(ctx, id)
	if err != nil {
		return nil, err
	}
	return d.Enquiry, nil
}

// enquiryNotes lists an enquiry's internal notes, oldest first, with the
// writers' names.
func (tx *Tx) enquiryNotes(id int64) ([]*enquiry.Note, error) {
	rows, err := tx.Query(`SELECT id, enquiry_id, at, actor, text FROM enquiry_notes WHERE enquiry_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("enquiry notes: %w", err)
	}
	defer rows.Close()
	notes := []*enquiry.Note{}
	var refs []string
	for rows.Next() {
		n := &enquiry.Note{}
		if err := rows.Scan(&n.ID, &n.EnquiryID, timeScan{&n.At}, &n.Actor, &n.Text); err != nil {
			return nil, fmt.Errorf("enquiry notes: %w", err)
		}
		notes = append(notes, n)
		refs = append(refs, n.Actor)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("enquiry notes: %w", err)
	}
	rows.Close()
	names, err := tx.userNames(refs)
	if err != nil {
		return nil, fmt.Errorf("enquiry notes: %w", err)
	}
	for _, n := range notes {
		n.ActorName = names[n.Actor]
	}
	return notes, nil
}

// EnquiryEvents is an enquiry's history, oldest first: for an office, the
// steps it sees, without who in the department took them. ENOTFOUND
// (audited for an office), EFORBIDDEN.
func (db *DB) EnquiryEvents(ctx context.Context, id int64) ([]*enquiry.Event, error) {
	a, err := enquiryReader(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("enquiry events: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.findVisibleEnquiry(id, false); err != nil {
		return nil, err
	}
	rows, err := tx.Query(`SELECT id, enquiry_id, at, actor, action, from_value, to_value, note FROM enquiry_events
		WHERE enquiry_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("enquiry events: %w", err)
	}
	defer rows.Close()
	events := []*enquiry.Event{}
	var refs []string
	for rows.Next() {
		e := &enquiry.Event{}
		if err := rows.Scan(&e.ID, &e.EnquiryID, timeScan{&e.At}, &e.Actor, &e.Action, &e.From, &e.To, &e.Note); err != nil {
			return nil, fmt.Errorf("enquiry events: %w", err)
		}
		if isOffice(a) {
			if !enquiry.OfficeSees(e.Action) {
				continue
			}
			e = e.ForOffice()
		}
		events = append(events, e)
		refs = append(refs, e.Actor, e.From, e.To)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("enquiry events: %w", err)
	}
	rows.Close()
	if !isOffice(a) {
		names, err := tx.userNames(refs)
		if err != nil {
			return nil, fmt.Errorf("enquiry events: %w", err)
		}
		for _, e := range events {
			e.ActorName = names[e.Actor]
		}
	}
	tx.Audit("enquiry.events.read", "enquiry", id, "events="+strconv.Itoa(len(events)))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("enquiry events: %w", err)
	}
	return events, nil
}

// AddEnquiryNote adds an internal note to an enquiry: the department's,
// never shown to the office. The text is kept on the note, not in the
// audit log. EINVALID, ENOTFOUND, EFORBIDDEN.
func (db *DB) AddEnquiryNote(ctx context.Context, id int64, text string) (*enquiry.Note, error) {
	if _, err := enquiryStaff(ctx); err != nil {
		return nil, err
	}
	text = strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return nil, tether.Invalid("text", "enter the note")
	case n > 5000:
		return nil, tether.Invalid("text", "must be 5,000 characters or fewer")
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("enquiry note: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.loadEnquiry(id, true); err != nil {
		return nil, err
	}
	n := &enquiry.Note{EnquiryID: id, At: tx.now, Actor: tx.actor.String(), Text: text}
	if n.ID, err = tx.InsertID(`INSERT INTO enquiry_notes (enquiry_id, at, actor, text) VALUES (?, ?, ?, ?)`,
		id, db.ts(tx.now), n.Actor, text); err != nil {
		return nil, fmt.Errorf("enquiry note: %w", err)
	}
	tx.Audit("enquiry.note", "enquiry", id, "note="+strconv.FormatInt(n.ID, 10))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("enquiry note: %w", err)
	}
	return n, nil
}

// enquiryChange is what one change does to a loaded enquiry: it sets the
// enquiry's new fields and returns the events to record and the audit
// detail. It may write what goes with it (a reply, a task's change).
type enquiryChange func(tx *Tx, e *storedEnquiry) (events []taskEventRow, detail string, err error)

// checkEnquiryActor says whether the actor may take the action on the
// enquiry: once it is assigned, only the assignee or an administrator
// starts, replies to, closes or reopens it. EFORBIDDEN.
func checkEnquiryActor(a tether.Actor, e *enquiry.Enquiry, action string) error {
	if a.Role == tether.RoleAdmin || e.Assignee == nil || *e.Assignee == a.UserID {
		return nil
	}
	switch action {
	case enquiry.ActionStart, enquiry.ActionHolding, enquiry.ActionAnswer, enquiry.ActionClose, enquiry.ActionReopen:
		who := e.AssigneeName
		if who == "" {
			who = "someone else"
		}
		return tether.Errorf(tether.EFORBIDDEN, "This enquiry is assigned to %s: only they or an administrator may do this.", who)
	}
	return nil
}

// changeEnquiry runs one change of an enquiry in one transaction: it locks
// the enquiry, checks the workflow allows the action from its state, the
// version the caller saw (0 for none) and the actor, applies the change,
// writes the enquiry with a guard on its version, moves its figures, and
// records the events and an audit entry.
func (db *DB) changeEnquiry(ctx context.Context, id int64, version int, action string, apply enquiryChange) (*enquiry.Enquiry, error) {
	if _, err := enquiryStaff(ctx); err != nil {
		return nil, err
	}
	if version < 0 {
		return nil, tether.Invalid("version", "must be the version of the enquiry you saw")
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s enquiry: %w", action, err)
	}
	defer tx.rollback()
	e, err := tx.loadEnquiry(id, true)
	if err != nil {
		return nil, err
	}
	if _, err := enquiry.Next(e.State, action); err != nil {
		return nil, err
	}
	if version != 0 && version != e.Version {
		return nil, tether.Errorf(tether.ECONFLICT, "This enquiry has changed since you saw it: check it and try again.")
	}
	if err := checkEnquiryActor(tx.actor, e.Enquiry, action); err != nil {
		return nil, err
	}
	before := e.statKey()
	events, detail, err := apply(tx, e)
	if err != nil {
		return nil, err
	}
	if err := tx.saveEnquiry(e); err != nil {
		return nil, err
	}
	if err := tx.moveStat(before, e.statKey()); err != nil {
		return nil, fmt.Errorf("%s enquiry: %w", action, err)
	}
	for _, ev := range events {
		if err := tx.enquiryEvent(e.ID, ev.action, ev.from, ev.to, ev.note); err != nil {
			return nil, fmt.Errorf("%s enquiry: %w", action, err)
		}
	}
	tx.Audit("enquiry."+action, "enquiry", e.ID, strings.TrimSpace("state="+e.State+" "+detail))
	got, err := tx.loadEnquiry(e.ID, false)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%s enquiry: %w", action, err)
	}
	return got.Enquiry, nil
}

// saveEnquiry writes the enquiry's changeable columns, guarded by the
// version it was read at. ECONFLICT when it changed meanwhile.
func (tx *Tx) saveEnquiry(e *storedEnquiry) error {
	var days any
	within := 0
	if e.WorkingDaysTaken != nil {
		days = *e.WorkingDaysTaken
	}
	if e.WithinStandard != nil && *e.WithinStandard {
		within = 1
	}
	res, err := tx.Exec(`UPDATE enquiries SET person_id = ?, match_method = ?, match_note = ?, category = ?, team = ?, state = ?,
		assignee = ?, task_id = ?, standard_days = ?, standard_due_on = ?, due_explanation = ?, due_on = ?, warn_on = ?,
		warned_at = ?, breached_at = ?, holding_count = ?, holding_reply_id = ?, answer_reply_id = ?, answered_on = ?,
		working_days_taken = ?, within_standard = ?, late_band = ?, closed_at = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		orgArg(e.PersonID), e.Match, e.MatchNote, e.Category, e.Team, e.State,
		orgArg(e.Assignee), orgArg(e.TaskID), e.StandardDays, e.StandardDueOn, e.DueExplanation, e.DueOn, e.warnOn,
		tx.db.tsPtr(e.WarnedAt), tx.db.tsPtr(e.BreachedAt), e.Holdings, orgArg(e.holdingReplyID), orgArg(e.answerReplyID), e.AnsweredOn,
		days, within, e.LateBand, tx.db.tsPtr(e.ClosedAt), tx.db.ts(tx.now), e.ID, e.Version)
	if err != nil {
		return fmt.Errorf("save enquiry: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("save enquiry: %w", err)
	} else if n == 0 {
		return tether.Errorf(tether.ECONFLICT, "This enquiry has changed since you saw it: check it and try again.")
	}
	return nil
}

// restandard recomputes an enquiry's standard and its due date from the
// day it was received, as when triage changes its category; a date a
// holding reply committed to stands.
func (tx *Tx) restandard(e *storedEnquiry, st enquiry.Standards) error {
	std, err := st.For(e.Urgency, e.Category)
	if err != nil {
		return err
	}
	cal, err := tx.calendarFor(e.Division)
	if err != nil {
		return err
	}
	received, err := calendar.ParseDate(e.ReceivedOn)
	if err != nil {
		return fmt.Errorf("enquiry %d: received_on: %w", e.ID, err)
	}
	due := enquiry.DueDate(received, std, cal)
	e.StandardDays, e.StandardDueOn, e.DueExplanation = std.WorkingDays, due.Date.String(), due.Explanation
	if e.Holdings == 0 {
		e.DueOn = e.StandardDueOn
		e.warnOn = enquiry.WarnOn(received, due.Date, st.WarnWorkingDays, cal).String()
	}
	return nil
}

// TransitionEnquiry takes one step of the workflow: triage (matching the
// person, recategorising and routing to a team, as the input says),
// assign, start, close or reopen. The enquiry's task follows: opened when
// a person is first matched, claimed by the assignee, opened again on
// reopening. EINVALID, ENOTFOUND, ECONFLICT (the workflow; a changed
// version), EFORBIDDEN.
func (db *DB) TransitionEnquiry(ctx context.Context, id int64, in enquiry.TransitionInput) (*enquiry.Enquiry, error) {
	st := db.EnquiryStandards()
	if err := in.Validate(st); err != nil {
		return nil, err
	}
	return db.changeEnquiry(ctx, id, in.Version, in.Action, func(tx *Tx, e *storedEnquiry) ([]taskEventRow, string, error) {
		switch in.Action {
		case enquiry.ActionTriage:
			return tx.triage(e, in, st)
		case enquiry.ActionAssign:
			return tx.assignEnquiry(e, in)
		case enquiry.ActionStart:
			e.State = enquiry.StateInProgress
			return []taskEventRow{{action: enquiry.EventStarted, from: enquiry.StateAssigned, to: e.State, note: in.Note}}, "", nil
		case enquiry.ActionClose:
			e.State, e.ClosedAt = enquiry.StateClosed, &tx.now
			return []taskEventRow{{action: enquiry.EventClosed, from: enquiry.StateAnswered, to: e.State, note: in.Note}}, "", nil
		case enquiry.ActionReopen:
			return tx.reopen(e, in, st)
		}
		return nil, "", tether.Invalid("action", "must be one of "+strings.Join(enquiry.TransitionActions, ", "))
	})
}

// triage checks and routes a received enquiry.
func (tx *Tx) triage(e *storedEnquiry, in enquiry.TransitionInput, st enquiry.Standards) ([]taskEventRow, string, error) {
	var events []taskEventRow
	var changed []string
	if in.PersonID != nil && (e.PersonID == nil || *e.PersonID != *in.PersonID) {
		p, err := tx.loadPerson(*in.PersonID, false)
		if tether.ErrorCode(err) == tether.ENOTFOUND {
			return nil, "", tether.Invalid("person_id", "no such person")
		} else if err != nil {
			return nil, "", err
		}
		var rep *int64
		if p.Representative != nil {
			rep = p.Representative.OrganisationID
		}
		if err := enquiry.CheckAuthority(e.Authority, e.OrganisationID, true, rep); err != nil {
			return nil, "", tether.Invalid("person_id", "the office asked as this person's representative on record, "+
				"and the records show another representative: ask the office for the person's authority")
		}
		events = append(events, taskEventRow{action: enquiry.EventMatched, from: e.PersonRef, to: p.Ref, note: "matched at triage"})
		e.PersonID, e.PersonRef, e.Match, e.MatchNote = &p.ID, p.Ref, enquiry.MatchTriage, ""
		changed = append(changed, "person")
		if e.TaskID != nil {
			// The task was about the person first matched: close it and
			// open one about the right person.
			if err := tx.closeEnquiryTask(*e.TaskID, tether.TaskActionCancelled, "the enquiry was matched to another person at triage"); err != nil {
				return nil, "", err
			}
			e.TaskID = nil
		}
	}
	if in.Category != "" && in.Category != e.Category {
		events = append(events, taskEventRow{action: enquiry.EventCategory, from: e.Category, to: in.Category, note: in.Note})
		e.Category = in.Category
		changed = append(changed, "category")
		if err := tx.restandard(e, st); err != nil {
			return nil, "", err
		}
		if in.Team == "" {
			in.Team = st.TeamFor(e.Category)
		}
	}
	if in.Team != "" && in.Team != e.Team {
		events = append(events, taskEventRow{action: enquiry.EventTeam, from: e.Team, to: in.Team, note: in.Note})
		e.Team = in.Team
		changed = append(changed, "team")
	}
	e.State = enquiry.StateTriaged
	events = append(events, taskEventRow{action: enquiry.EventTriaged, from: enquiry.StateReceived, to: e.State, note: in.Note})
	if e.PersonID != nil && e.TaskID == nil {
		if err := tx.openEnquiryTask(e.ID, e.Ref, *e.PersonID, e.Category, e.Urgency, e.DueOn, e.OrganisationName, nil); err != nil {
			return nil, "", err
		}
		var task int64
		if err := tx.QueryRow(`SELECT task_id FROM enquiries WHERE id = ?`, e.ID).Scan(&task); err != nil {
			return nil, "", fmt.Errorf("triage: %w", err)
		}
		e.TaskID = &task
	} else if e.TaskID != nil {
		if err := tx.syncEnquiryTaskDue(*e.TaskID, e.DueOn, "the enquiry's due date"); err != nil {
			return nil, "", err
		}
	}
	return events, "changed=" + strings.Join(changed, ","), nil
}

// assignEnquiry gives an enquiry to a caseworker of the enquiries team,
// and its task with it.
func (tx *Tx) assignEnquiry(e *storedEnquiry, in enquiry.TransitionInput) ([]taskEventRow, string, error) {
	to := *in.Assignee
	if e.Assignee != nil && *e.Assignee == to && e.State != enquiry.StateTriaged {
		return nil, "", tether.Invalid("assignee", "the enquiry is already theirs")
	}
	if _, err := tx.assignable("assignee", to, tether.QueueEnquiries); err != nil {
		return nil, "", err
	}
	var events []taskEventRow
	if in.Team != "" && in.Team != e.Team {
		events = append(events, taskEventRow{action: enquiry.EventTeam, from: e.Team, to: in.Team, note: in.Note})
		e.Team = in.Team
	}
	from := assigneeRef(e.Assignee)
	e.Assignee, e.State = &to, enquiry.StateAssigned
	events = append(events, taskEventRow{action: enquiry.EventAssigned, from: from, to: tether.UserRef(to), note: in.Note})
	if e.TaskID != nil {
		if err := tx.assignEnquiryTask(*e.TaskID, to, "with enquiry "+e.Ref); err != nil {
			return nil, "", err
		}
	}
	return events, "from=" + from + " to=" + tether.UserRef(to), nil
}

// reopen opens an answered or closed enquiry again, with the reason: the
// answer no longer counts, the date is the standard's from today when the
// old one has passed, and its task is open again.
func (tx *Tx) reopen(e *storedEnquiry, in enquiry.TransitionInput, st enquiry.Standards) ([]taskEventRow, string, error) {
	from := e.State
	e.State, e.ClosedAt = enquiry.StateInProgress, nil
	e.AnsweredOn, e.WorkingDaysTaken, e.WithinStandard, e.LateBand, e.answerReplyID = "", nil, nil, "", nil
	today := tx.today()
	events := []taskEventRow{{action: enquiry.EventReopened, from: from, to: e.State, note: in.Note}}
	if e.DueOn < today.String() {
		cal, err := tx.calendarFor(e.Division)
		if err != nil {
			return nil, "", err
		}
		due := cal.AddWorkingDays(today, e.StandardDays)
		events = append(events, taskEventRow{action: enquiry.EventDueChanged, from: e.DueOn, to: due.String(),
			note: "Reopened on " + today.Long() + ": due " + strconv.Itoa(e.StandardDays) + " working days later, on " + due.Long() + "."})
		e.DueOn = due.String()
		e.warnOn = enquiry.WarnOn(today, due, st.WarnWorkingDays, cal).String()
		e.WarnedAt, e.BreachedAt = nil, nil
	}
	if e.TaskID != nil {
		// A task still to do (to send a failed reply again) carries on,
		// due with the enquiry.
		t, err := tx.enquiryTask(*e.TaskID)
		if err != nil {
			return nil, "", err
		}
		if t.active() {
			if err := tx.syncEnquiryTaskDue(*e.TaskID, e.DueOn, "enquiry reopened"); err != nil {
				return nil, "", err
			}
			return events, "from=" + from, nil
		}
	}
	if e.PersonID != nil {
		if err := tx.openEnquiryTask(e.ID, e.Ref, *e.PersonID, e.Category, e.Urgency, e.DueOn, e.OrganisationName, e.Assignee); err != nil {
			return nil, "", err
		}
		var task int64
		if err := tx.QueryRow(`SELECT task_id FROM enquiries WHERE id = ?`, e.ID).Scan(&task); err != nil {
			return nil, "", fmt.Errorf("reopen: %w", err)
		}
		e.TaskID = &task
	}
	return events, "from=" + from, nil
}

// enquiryTaskRow is what the enquiry code reads of a task.
type enquiryTaskRow struct {
	state    string
	assignee *int64
	due      string
	rank     int
}

func (tx *Tx) enquiryTask(id int64) (*enquiryTaskRow, error) {
	q := `SELECT state, assignee, due_on, priority FROM tasks WHERE id = ?`
	if tx.db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	t := &enquiryTaskRow{}
	var assignee sql.NullInt64
	if err := tx.QueryRow(q, id).Scan(&t.state, &assignee, &t.due, &t.rank); err != nil {
		return nil, fmt.Errorf("enquiry task: %w", err)
	}
	t.assignee = nullID(assignee)
	return t, nil
}

func (t *enquiryTaskRow) active() bool {
	return t.state == tether.TaskOpen || t.state == tether.TaskClaimed
}

// assignEnquiryTask gives the enquiry's task, while it is still to do, to
// the user.
func (tx *Tx) assignEnquiryTask(taskID, to int64, note string) error {
	t, err := tx.enquiryTask(taskID)
	if err != nil || !t.active() || (t.assignee != nil && *t.assignee == to && t.state == tether.TaskClaimed) {
		return err
	}
	if _, err := tx.Exec(`UPDATE tasks SET state = ?, assignee = ?, claimed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		tether.TaskClaimed, to, tx.db.ts(tx.now), tx.db.ts(tx.now), taskID); err != nil {
		return fmt.Errorf("assign enquiry task: %w", err)
	}
	return tx.taskEvent(taskID, tether.TaskActionReassigned, assigneeRef(t.assignee), tether.UserRef(to), note)
}

// syncEnquiryTaskDue moves the due date of the enquiry's task, while it is
// still to do, to due.
func (tx *Tx) syncEnquiryTaskDue(taskID int64, due, note string) error {
	t, err := tx.enquiryTask(taskID)
	if err != nil || !t.active() || t.due == due {
		return err
	}
	if _, err := tx.Exec(`UPDATE tasks SET due_on = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		due, tx.db.ts(tx.now), taskID); err != nil {
		return fmt.Errorf("move enquiry task: %w", err)
	}
	return tx.taskEvent(taskID, tether.TaskActionDue, t.due, due, note)
}

// raiseEnquiryTask makes the enquiry's task, while it is still to do, at
// least as urgent as priority.
func (tx *Tx) raiseEnquiryTask(taskID int64, priority, note string) error {
	t, err := tx.enquiryTask(taskID)
	if err != nil || !t.active() {
		return err
	}
	p, _ := tether.PriorityByKey(priority)
	if t.rank <= p.Rank {
		return nil
	}
	if _, err := tx.Exec(`UPDATE tasks SET priority = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		p.Rank, tx.db.ts(tx.now), taskID); err != nil {
		return fmt.Errorf("raise enquiry task: %w", err)
	}
	return tx.taskEvent(taskID, tether.TaskActionPriority, priorityKey(t.rank), priority, note)
}

// closeEnquiryTask closes the enquiry's task, while it is still to do, as
// done or cancelled, with the note.
func (tx *Tx) closeEnquiryTask(taskID int64, action, note string) error {
	t, err := tx.enquiryTask(taskID)
	if err != nil || !t.active() {
		return err
	}
	now, by := tx.db.ts(tx.now), tx.actor.String()
	q := `UPDATE tasks SET state = ?, done_at = ?, done_by = ?, done_note = ?, updated_at = ?, version = version + 1 WHERE id = ?`
	state := tether.TaskDone
	if action == tether.TaskActionCancelled {
		q = `UPDATE tasks SET state = ?, cancelled_at = ?, cancelled_by = ?, cancel_reason = ?, updated_at = ?, version = version + 1 WHERE id = ?`
		state = tether.TaskCancelled
	}
	if _, err := tx.Exec(q, state, now, by, note, now, taskID); err != nil {
		return fmt.Errorf("close enquiry task: %w", err)
	}
	return tx.taskEvent(taskID, action, t.state, state, note)
}

// statKey is a row of enquiry_stats.
type statKey struct{ month, team, category, urgency, band string }

func (e *storedEnquiry) statKey() statKey {
	return statKey{enquiry.Month(e.ReceivedOn), e.Team, e.Category, e.Urgency, e.LateBand}
}

// addStat adds n to a row of the figures.
func (tx *Tx) addStat(k statKey, n int) error {
	_, err := tx.Exec(`INSERT INTO enquiry_stats (received_month, team, category, urgency, late_band, n) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (received_month, team, category, urgency, late_band) DO UPDATE SET n = enquiry_stats.n + excluded.n`,
		k.month, k.team, k.category, k.urgency, k.band, n)
	return err
}

// moveStat moves an enquiry from one row of the figures to another.
func (tx *Tx) moveStat(from, to statKey) error {
	if from == to {
		return nil
	}
	if err := tx.addStat(from, -1); err != nil {
		return err
	}
	return tx.addStat(to, 1)
}

// EnquiryTeams lists the teams that answer enquiries, with their leads.
// EFORBIDDEN.
func (db *DB) EnquiryTeams(ctx context.Context) ([]*enquiry.TeamInfo, error) {
	if _, err := enquiryStaff(ctx); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT l.team, l.user_id, u.name FROM enquiry_team_leads l JOIN users u ON u.id = l.user_id`)
	if err != nil {
		return nil, fmt.Errorf("enquiry teams: %w", err)
	}
	defer rows.Close()
	type lead struct {
		id   int64
		name string
	}
	leads := map[string]lead{}
	for rows.Next() {
		var team string
		var l lead
		if err := rows.Scan(&team, &l.id, &l.name); err != nil {
			return nil, fmt.Errorf("enquiry teams: %w", err)
		}
		leads[team] = l
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("enquiry teams: %w", err)
	}
	var out []*enquiry.TeamInfo
	for _, t := range db.EnquiryStandards().Teams {
		ti := &enquiry.TeamInfo{Key: t.Key, Name: t.Name, Categories: slices.Clone(t.Categories)}
		if l, ok := leads[t.Key]; ok {
			id := l.id
			ti.LeadID, ti.LeadName = &id, l.name
		}
		out = append(out, ti)
	}
	return out, nil
}

// SetEnquiryTeamLead names the lead of a team, warned with the assignee
// before a due date, or clears it when userID is nil (administrators).
// EINVALID (the team; a user who does not work enquiries), EFORBIDDEN.
func (db *DB) SetEnquiryTeamLead(ctx context.Context, team string, userID *int64) error {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return err
	}
	st := db.EnquiryStandards()
	if _, ok := st.Team(team); !ok {
		return tether.Invalid("team", "must be one of "+strings.Join(st.TeamKeys(), ", "))
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("set team lead: %w", err)
	}
	defer tx.rollback()
	detail := "lead=none"
	if userID == nil {
		if _, err := tx.Exec(`DELETE FROM enquiry_team_leads WHERE team = ?`, team); err != nil {
			return fmt.Errorf("set team lead: %w", err)
		}
	} else {
		if _, err := tx.assignable("user_id", *userID, tether.QueueEnquiries); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO enquiry_team_leads (team, user_id, set_at, set_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (team) DO UPDATE SET user_id = excluded.user_id, set_at = excluded.set_at, set_by = excluded.set_by`,
			team, *userID, db.ts(tx.now), tx.actor.String()); err != nil {
			return fmt.Errorf("set team lead: %w", err)
		}
		detail = "lead=" + tether.UserRef(*userID)
	}
	tx.Audit("enquiry.team_lead", "enquiry_team", 0, "team="+team+" "+detail)
	return tx.Commit()
}
