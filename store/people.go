package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tether"
	"tether/namematch"
	"tether/reference"
)

// Compile-time check that *DB is a tether.PersonService.
var _ tether.PersonService = (*DB)(nil)

// People paging.
const (
	peopleDefaultLimit = 50
	peopleMaxLimit     = 500
)

// refAttempts bounds the tries for a free random reference. With a hundred
// million references and a few million people, a second try is rare and a
// tenth would mean something else is wrong.
const refAttempts = 10

// readActor returns the actor in ctx when it may read people:
// EUNAUTHORIZED without an actor, EFORBIDDEN for a role that may not.
func readActor(ctx context.Context) (tether.Actor, error) {
	a, ok := tether.ActorFromContext(ctx)
	if !ok || !a.Role.Valid() {
		return a, tether.Errorf(tether.EUNAUTHORIZED, "Sign in first.")
	}
	if !a.CanReadPeople() {
		return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not see people's records.")
	}
	return a, nil
}

// writeActor returns the actor in ctx when it may create and change people
// and their contact points.
func writeActor(ctx context.Context) (tether.Actor, error) {
	a, err := readActor(ctx)
	if err != nil {
		return a, err
	}
	if !a.CanWritePeople() {
		return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not change people's records.")
	}
	return a, nil
}

// mayView reports whether the actor may see a person whose representative's
// organisation is repOrg: organisation users see only their own
// organisation's people, every other role sees everyone.
func mayView(a tether.Actor, repOrg *int64) bool {
	if a.Role != tether.RoleOrganisation {
		return true
	}
	return a.OrganisationID != nil && repOrg != nil && *a.OrganisationID == *repOrg
}

// personView is p as the actor may see it: redacted for an inspector
// without the personal-data grant.
func personView(a tether.Actor, p *tether.Person) *tether.Person {
	if !a.CanSeePersonalData() {
		return p.Redacted()
	}
	return p
}

// errPersonNotFound is the one answer for a person that does not exist and
// for one the actor may not see, so that ids cannot be probed.
func errPersonNotFound() error { return tether.Errorf(tether.ENOTFOUND, "Person not found.") }

// personCols are the people columns that scanPerson reads, for a table
// aliased p.
const personCols = `p.id, p.ref, p.family_name, p.given_names, p.other_names, p.dob_year, p.dob_month, p.dob_day,
	p.nationality, p.preferred_language, p.needs, p.rep_organisation, p.rep_name, p.rep_organisation_id,
	p.rep_instructed, p.working_channels, p.version, p.created_at, p.updated_at`

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// scanPerson scans personCols.
func scanPerson(row rowScanner) (*tether.Person, error) {
	p := &tether.Person{}
	var otherNames, needs, repOrg, repName string
	var repOrgID sql.NullInt64
	var repInstructed bool
	if err := row.Scan(&p.ID, &p.Ref, &p.FamilyName, &p.GivenNames, &otherNames,
		&p.DateOfBirth.Year, &p.DateOfBirth.Month, &p.DateOfBirth.Day,
		&p.Nationality, &p.PreferredLanguage, &needs, &repOrg, &repName, &repOrgID, &repInstructed,
		&p.WorkingChannels, &p.Version, timeScan{&p.CreatedAt}, timeScan{&p.UpdatedAt}); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(otherNames), &p.OtherNames); err != nil {
		return nil, fmt.Errorf("person %d: other names: %w", p.ID, err)
	}
	if len(p.OtherNames) == 0 {
		p.OtherNames = nil
	}
	if err := json.Unmarshal([]byte(needs), &p.Needs); err != nil {
		return nil, fmt.Errorf("person %d: needs: %w", p.ID, err)
	}
	if repOrg != "" || repName != "" || repOrgID.Valid {
		p.Representative = &tether.Representative{Organisation: repOrg, Name: repName, Instructed: repInstructed}
		if repOrgID.Valid {
			id := repOrgID.Int64
			p.Representative.OrganisationID = &id
		}
	}
	return p, nil
}

// personFields are the people columns that appendPersonValues gives, in order,
// for INSERT (the store-kept columns follow them).
const personFields = `family_name, given_names, other_names, dob_year, dob_month, dob_day, nationality,
	preferred_language, needs, rep_organisation, rep_name, rep_organisation_id, rep_instructed`

// personFieldCount is the number of columns in personFields.
const personFieldCount = 13

// appendPersonValues appends the changeable fields of p as query
// arguments, in the order of personFields.
func appendPersonValues(args []any, p *tether.Person) ([]any, error) {
	otherNames := "[]"
	if len(p.OtherNames) > 0 {
		b, err := json.Marshal(p.OtherNames)
		if err != nil {
			return nil, err
		}
		otherNames = string(b)
	}
	needs := noNeeds
	if p.Needs != (tether.Needs{}) {
		b, err := json.Marshal(p.Needs)
		if err != nil {
			return nil, err
		}
		needs = string(b)
	}
	var repOrg, repName string
	var repOrgID any
	var repInstructed bool
	if r := p.Representative; r != nil {
		repOrg, repName, repInstructed = r.Organisation, r.Name, r.Instructed
		if r.OrganisationID != nil {
			repOrgID = *r.OrganisationID
		}
	}
	return append(args, p.FamilyName, p.GivenNames, otherNames,
		p.DateOfBirth.Year, p.DateOfBirth.Month, p.DateOfBirth.Day, p.Nationality, p.PreferredLanguage,
		needs, repOrg, repName, repOrgID, repInstructed), nil
}

// noNeeds is how Needs{} is stored, written once rather than per person.
var noNeeds = func() string { b, _ := json.Marshal(tether.Needs{}); return string(b) }()

// nameKeys are the distinct search keys of every name the person is known by.
func nameKeys(p *tether.Person) []string {
	var keys []string
	for _, n := range p.AllNames() {
		for _, k := range namematch.Keys(n) {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// cryptoSource draws reference numbers from crypto/rand, so that references
// say nothing about when or in what order people were added.
type cryptoSource struct{}

func (cryptoSource) Uint32() uint32 {
	var b [4]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents it)
	return binary.LittleEndian.Uint32(b[:])
}

// CreatePerson validates p and stores it with its search keys. A person
// without a reference gets a random one; a reference that is taken is
// ECONFLICT.
func (db *DB) CreatePerson(ctx context.Context, p *tether.Person) error {
	if _, err := writeActor(ctx); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("create person: %w", err)
	}
	defer tx.rollback()
	if err := p.Validate(tx.Now()); err != nil {
		return err
	}
	vals, err := appendPersonValues(nil, p)
	if err != nil {
		return fmt.Errorf("create person: %w", err)
	}
	now := db.ts(tx.Now())
	given := p.Ref != ""
	var id int64
	for attempt := 0; ; attempt++ {
		ref := p.Ref
		if !given {
			ref = reference.Random(cryptoSource{})
		}
		// ON CONFLICT DO NOTHING rather than catching the unique error:
		// on PostgreSQL a failed statement would abort the transaction.
		args := append([]any{ref}, vals...)
		args = append(args, 0, 1, now, now)
		err = tx.QueryRow(`INSERT INTO people (ref, `+personFields+`, working_channels, version, created_at, updated_at)
			VALUES (?`+strings.Repeat(", ?", personFieldCount+4)+`)
			ON CONFLICT (ref) DO NOTHING RETURNING id`, args...).Scan(&id)
		switch {
		case err == nil:
			p.Ref = ref
		case errors.Is(err, sql.ErrNoRows) && given:
			return &tether.Error{Code: tether.ECONFLICT, Message: "Another person already has that reference.",
				Fields: map[string]string{"ref": "another person already has this reference"}}
		case errors.Is(err, sql.ErrNoRows) && attempt+1 < refAttempts:
			continue
		case isForeignKey(err):
			return tether.Problems{"representative.organisation_id": "no such organisation"}.Err()
		default:
			return fmt.Errorf("create person: %w", err)
		}
		break
	}
	if err := tx.insertNameKeys([]int64{id}, [][]string{nameKeys(p)}); err != nil {
		return fmt.Errorf("create person: %w", err)
	}
	tx.Audit("person.create", "person", id, tether.ChangedFields(&tether.Person{}, p))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create person: %w", err)
	}
	p.ID, p.Version, p.WorkingChannels = id, 1, 0
	p.CreatedAt, p.UpdatedAt = tx.Now(), tx.Now()
	return nil
}

// insertNameKeys writes the search keys of people, keys[i] for ids[i]. They
// go in key order, so that a bulk import walks the index's pages in order
// rather than at random.
func (tx *Tx) insertNameKeys(ids []int64, keys [][]string) error {
	type row struct {
		key string
		id  int64
	}
	var rows []row
	for i, id := range ids {
		for _, k := range keys[i] {
			rows = append(rows, row{k, id})
		}
	}
	if len(ids) > 1 {
		slices.SortFunc(rows, func(a, b row) int {
			if c := strings.Compare(a.key, b.key); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
	}
	args := make([]any, 0, 2*len(rows))
	for _, r := range rows {
		args = append(args, r.key, r.id)
	}
	if err := tx.bulkInsert(`INSERT INTO person_name_keys (key, person_id) VALUES `, ``, 2, args, nil); err != nil {
		return fmt.Errorf("name keys: %w", err)
	}
	return nil
}

// loadPerson reads one person, locking the row on PostgreSQL when lock is
// set. ENOTFOUND when there is none.
func (tx *Tx) loadPerson(id int64, lock bool) (*tether.Person, error) {
	q := `SELECT ` + personCols + ` FROM people p WHERE p.id = ?`
	if lock && tx.db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	p, err := scanPerson(tx.QueryRow(q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errPersonNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("load person: %w", err)
	}
	return p, nil
}

// visible checks that the transaction's actor may see p. When it may not, it
// records the refused attempt and commits the transaction with only that
// entry, and returns the same ENOTFOUND as for a missing person. Callers
// check visibility before they write anything, so nothing else commits.
func (tx *Tx) visible(p *tether.Person) error {
	var org *int64
	if p.Representative != nil {
		org = p.Representative.OrganisationID
	}
	return tx.visibleOrg(p.ID, org)
}

// visibleOrg is visible for a person known by id and representative's
// organisation.
func (tx *Tx) visibleOrg(personID int64, repOrg *int64) error {
	if mayView(tx.actor, repOrg) {
		return nil
	}
	tx.Audit("person.read.denied", "person", personID, "not linked to the actor's organisation")
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("audit refusal: %w", err)
	}
	return errPersonNotFound()
}

// UpdatePerson replaces the changeable fields of the stored person with p's.
// The stored version must be p.Version; the record as it was is kept in
// person_versions. The reference and the working-channel count are the
// store's and stay as they were.
func (db *DB) UpdatePerson(ctx context.Context, p *tether.Person) error {
	if _, err := writeActor(ctx); err != nil {
		return err
	}
	if p.ID <= 0 {
		return errPersonNotFound()
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("update person: %w", err)
	}
	defer tx.rollback()
	old, err := tx.loadPerson(p.ID, true)
	if err != nil {
		return err
	}
	if err := tx.visible(old); err != nil {
		return err
	}
	p.Ref = old.Ref
	if err := p.Validate(tx.Now()); err != nil {
		return err
	}
	if p.Version != old.Version {
		return tether.Errorf(tether.ECONFLICT, "This person's details were changed by someone else while you were editing them. Check the details now stored, then make your change again.")
	}
	snapshot, err := json.Marshal(old)
	if err != nil {
		return fmt.Errorf("update person: %w", err)
	}
	if _, err := tx.Exec(`INSERT INTO person_versions (person_id, version, data, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)`,
		old.ID, old.Version, string(snapshot), tx.actor.String(), db.ts(tx.Now())); err != nil {
		if isUnique(err) {
			return tether.Errorf(tether.ECONFLICT, "This person's details were changed by someone else while you were editing them.")
		}
		return fmt.Errorf("update person: %w", err)
	}
	vals, err := appendPersonValues(nil, p)
	if err != nil {
		return fmt.Errorf("update person: %w", err)
	}
	sets := strings.Split(strings.Join(strings.Fields(personFields), ""), ",")
	for i := range sets {
		sets[i] += " = ?"
	}
	args := append(vals, db.ts(tx.Now()), old.ID, old.Version)
	res, err := tx.Exec(`UPDATE people SET `+strings.Join(sets, ", ")+`, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`, args...)
	switch {
	case isForeignKey(err):
		return tether.Problems{"representative.organisation_id": "no such organisation"}.Err()
	case err != nil:
		return fmt.Errorf("update person: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update person: %w", err)
	} else if n != 1 {
		return tether.Errorf(tether.ECONFLICT, "This person's details were changed by someone else while you were editing them.")
	}
	if oldKeys, newKeys := nameKeys(old), nameKeys(p); !sameSet(oldKeys, newKeys) {
		if _, err := tx.Exec(`DELETE FROM person_name_keys WHERE person_id = ?`, old.ID); err != nil {
			return fmt.Errorf("update person: %w", err)
		}
		if err := tx.insertNameKeys([]int64{old.ID}, [][]string{newKeys}); err != nil {
			return fmt.Errorf("update person: %w", err)
		}
	}
	tx.Audit("person.update", "person", old.ID, tether.ChangedFields(old, p))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("update person: %w", err)
	}
	p.Version = old.Version + 1
	p.WorkingChannels = old.WorkingChannels
	p.CreatedAt, p.UpdatedAt = old.CreatedAt, tx.Now()
	return nil
}

// sameSet reports whether a and b hold the same distinct strings.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// FindPersonByID returns one person and records the read.
func (db *DB) FindPersonByID(ctx context.Context, id int64) (*tether.Person, error) {
	return db.findPerson(ctx, `p.id = ?`, id)
}

// FindPersonByRef returns one person by reference, written in any of the
// forms reference.Parse reads, and records the read.
func (db *DB) FindPersonByRef(ctx context.Context, ref string) (*tether.Person, error) {
	r, err := reference.Parse(ref)
	if err != nil {
		return nil, errPersonNotFound()
	}
	return db.findPerson(ctx, `p.ref = ?`, r)
}

func (db *DB) findPerson(ctx context.Context, where string, arg any) (*tether.Person, error) {
	a, err := readActor(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find person: %w", err)
	}
	defer tx.rollback()
	p, err := scanPerson(tx.QueryRow(`SELECT `+personCols+` FROM people p WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errPersonNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find person: %w", err)
	}
	if err := tx.visible(p); err != nil {
		return nil, err
	}
	tx.Audit("person.read", "person", p.ID, "")
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("find person: %w", err)
	}
	return personView(a, p), nil
}

// FindPeople lists people in reference order, a page at a time, with the
// number of people the filter selects. The limit defaults to 50 and is at
// most 500. Organisation users see only their organisation's people.
func (db *DB) FindPeople(ctx context.Context, f tether.PersonFilter) ([]*tether.Person, int, error) {
	a, err := readActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	q := tether.Problems{}
	if f.Offset < 0 {
		q.Add("offset", "must be 0 or more")
	}
	if f.Limit < 0 {
		q.Add("limit", "must be 0 or more")
	}
	if err := q.Err(); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit == 0 {
		limit = peopleDefaultLimit
	}
	limit = min(limit, peopleMaxLimit)

	var where []string
	var args []any
	if f.NoWorkingChannel {
		// A literal 0, so that the partial index people_no_channel applies.
		where = append(where, `p.working_channels = 0`)
	}
	if a.Role == tether.RoleOrganisation {
		if a.OrganisationID == nil {
			where = append(where, `1 = 0`)
		} else {
			where, args = append(where, `p.rep_organisation_id = ?`), append(args, *a.OrganisationID)
		}
	}
	cond := ""
	if len(where) > 0 {
		cond = ` WHERE ` + strings.Join(where, ` AND `)
	}

	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("find people: %w", err)
	}
	defer tx.rollback()
	var total int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM people p`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find people: %w", err)
	}
	people := make([]*tether.Person, 0, min(limit, max(total-f.Offset, 0)))
	if f.Offset < total {
		rows, err := tx.Query(`SELECT `+personCols+` FROM people p`+cond+` ORDER BY p.ref LIMIT ? OFFSET ?`,
			append(args, limit, f.Offset)...)
		if err != nil {
			return nil, 0, fmt.Errorf("find people: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPerson(rows)
			if err != nil {
				return nil, 0, fmt.Errorf("find people: %w", err)
			}
			people = append(people, personView(a, p))
		}
		if err := rows.Err(); err != nil {
			return nil, 0, fmt.Errorf("find people: %w", err)
		}
		rows.Close()
	}
	detail := "offset=" + strconv.Itoa(f.Offset) + " limit=" + strconv.Itoa(limit) + " returned=" + strconv.Itoa(len(people))
	if f.NoWorkingChannel {
		detail = "no_working_channel " + detail
	}
	tx.Audit("people.list", "person", 0, detail)
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("find people: %w", err)
	}
	return people, total, nil
}

// PersonHistory lists the earlier versions of a person, newest first, and
// records the read.
func (db *DB) PersonHistory(ctx context.Context, id int64) ([]*tether.PersonVersion, error) {
	a, err := readActor(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("person history: %w", err)
	}
	defer tx.rollback()
	p, err := tx.loadPerson(id, false)
	if err != nil {
		return nil, err
	}
	if err := tx.visible(p); err != nil {
		return nil, err
	}
	rows, err := tx.Query(`SELECT version, data, changed_by, changed_at FROM person_versions
		WHERE person_id = ? ORDER BY version DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("person history: %w", err)
	}
	defer rows.Close()
	versions := []*tether.PersonVersion{}
	for rows.Next() {
		v := &tether.PersonVersion{PersonID: id, Person: &tether.Person{}}
		var data string
		if err := rows.Scan(&v.Version, &data, &v.ChangedBy, timeScan{&v.ChangedAt}); err != nil {
			return nil, fmt.Errorf("person history: %w", err)
		}
		if err := json.Unmarshal([]byte(data), v.Person); err != nil {
			return nil, fmt.Errorf("person history: version %d: %w", v.Version, err)
		}
		v.Person = personView(a, v.Person)
		versions = append(versions, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("person history: %w", err)
	}
	rows.Close()
	tx.Audit("person.history.read", "person", id, "versions="+strconv.Itoa(len(versions)))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("person history: %w", err)
	}
	return versions, nil
}
