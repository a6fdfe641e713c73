package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"tether"
	"tether/namematch"
)

// Search bounds. They keep the work of one search bounded however common
// the names searched for: a look-up reads at most searchScan entries of the
// index it starts from (a name of common words alone is instead merged
// word against word until enough are found) and ranks at most
// searchCandidates people. Among that many people of the same name the
// ones ranked are a sample; a date of birth or postcode narrows it.
const (
	// searchScan bounds the index entries one look-up starts from;
	// searchScanUnknownDOB the look-up of people whose date of birth is
	// not recorded, who rank below those whose date matches.
	searchScan           = 20000
	searchScanUnknownDOB = 5000
	// searchCandidates bounds the people one look-up finds for ranking.
	searchCandidates = 1000
	// searchCountCap bounds the counting that chooses where a look-up
	// starts: past it, a criterion is simply "common".
	searchCountCap = 5000
	// searchMaxWords bounds the words of a name that are looked up; the
	// rest still count in the ranking.
	searchMaxWords = 6
	// minNameScore drops candidates whose keys matched but whose names are
	// not alike (keys ignore vowels, so Omar finds Amir).
	minNameScore = 0.4
)

// How much a date of birth that could match, but is not known to, lowers
// a hit's score. (check) Judgement calls: they rank, they do not exclude.
const (
	dobPartlyKnown = 0.95 // the dates agree as far as both are known
	dobNotRecorded = 0.85 // the stored person's date of birth is unknown
)

// criterion is one condition of a search. It can start a look-up (drive:
// a query giving, as id, people who may meet it, from an index) or filter
// one (cond: an SQL condition on d.id, the candidate's id, and p, their
// people row).
type criterion struct {
	drive string
	dargs []any
	cond  string
	cargs []any
	// count is a query giving rows of drive (up to searchCountCap are
	// counted); est is the count, the smaller the better to start from.
	count     string
	countArgs []any
	est       int
	// refine is the condition to apply when this criterion drives, because
	// drive finds more than meet it; "" when drive finds only those.
	refine     string
	refineArgs []any
	// alone, when set, drives a look-up of this criterion alone: exactly
	// the people who meet it, in an order that lets the look-up stop as
	// soon as it has enough.
	alone     string
	aloneArgs []any
}

// nameQuery is the look-up plan of a searched name.
type nameQuery struct {
	// words holds namematch.QueryKeys of each word looked up: its own key
	// first, then the keys it would have with one typing mistake undone.
	words [][]string
	// need is how many words must match: all of a one-word name, two of
	// a longer one, so that a middle name missing from the record or a
	// word mistyped beyond the keys' reach does not lose the person.
	need int
}

func planName(name string) nameQuery {
	var nq nameQuery
	for _, t := range namematch.Tokens(name) {
		if len(t) < 2 || len(nq.words) == searchMaxWords {
			continue // initials are not indexed (namematch.Keys)
		}
		k := namematch.QueryKeys(t)
		if len(k) == 0 || slices.ContainsFunc(nq.words, func(o []string) bool { return slices.Equal(o, k) }) {
			continue
		}
		nq.words = append(nq.words, k)
	}
	nq.need = min(2, len(nq.words))
	return nq
}

// keys are the keys each word is looked up by: its own only, or with the
// typo keys too.
func (nq nameQuery) keys(typos bool) [][]string {
	if typos {
		return nq.words
	}
	own := make([][]string, len(nq.words))
	for i, w := range nq.words {
		own[i] = w[:1]
	}
	return own
}

// hasTypoKeys reports whether looking up typo keys could find more.
func (nq nameQuery) hasTypoKeys() bool {
	return slices.ContainsFunc(nq.words, func(w []string) bool { return len(w) > 1 })
}

// placeholders is "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// wordCriterion is the look-up of one word's keys, for counting.
func wordCriterion(keys []string) *criterion {
	return &criterion{count: `SELECT 1 FROM person_name_keys WHERE key IN (` + placeholders(len(keys)) + `)`, countArgs: anys(keys)}
}

// nameCriterion is the criterion of a name whose words are looked up by
// keys and whose word counts are known.
func nameCriterion(keys [][]string, need int, counts []int) *criterion {
	// Every person who matches need words matches at least one word other
	// than the commonest, so with two or more words the look-up starts
	// from the others; with one, from that one.
	driveWords := []int{0}
	if len(keys) > 1 {
		commonest := 0
		for i, c := range counts {
			if c > counts[commonest] {
				commonest = i
			}
		}
		driveWords = driveWords[:0]
		for i := range keys {
			if i != commonest {
				driveWords = append(driveWords, i)
			}
		}
	}
	c := &criterion{}
	var driveKeys []string
	for _, i := range driveWords {
		c.est += counts[i]
		for _, k := range keys[i] {
			if !slices.Contains(driveKeys, k) {
				driveKeys = append(driveKeys, k)
			}
		}
	}
	c.drive = `SELECT person_id AS id FROM person_name_keys WHERE key IN (` + placeholders(len(driveKeys)) + `)`
	c.dargs = anys(driveKeys)
	// The conditions use d.id, not p.id, so that they are checked from the
	// index alone, before the person's row is read.
	exists := make([]string, len(keys))
	for i, ks := range keys {
		exists[i] = `CASE WHEN EXISTS (SELECT 1 FROM person_name_keys k WHERE k.person_id = d.id AND k.key IN (` +
			placeholders(len(ks)) + `)) THEN 1 ELSE 0 END`
		c.cargs = append(c.cargs, anys(ks)...)
	}
	c.cond = `(` + strings.Join(exists, ` + `) + `) >= ` + strconv.Itoa(need)
	switch {
	case len(keys) == 1:
		// Whoever drive finds matches the one word.
	case len(driveWords) == 1:
		// Whoever drive finds matches its word: count the others.
		var others []string
		for i, ks := range keys {
			if i != driveWords[0] {
				others = append(others, exists[i])
				c.refineArgs = append(c.refineArgs, anys(ks)...)
			}
		}
		c.refine = `(` + strings.Join(others, ` + `) + `) >= ` + strconv.Itoa(need-1)
	default:
		c.refine, c.refineArgs = c.cond, c.cargs
	}
	common := !slices.ContainsFunc(counts, func(n int) bool { return n < searchCountCap })
	if common && len(keys) > 1 && len(keys) <= 4 && !slices.ContainsFunc(keys, func(ks []string) bool { return len(ks) > 1 }) {
		// Every word common, each by one key, and few words: the people
		// who match two words are those in both words' entries, which
		// SQLite merges in person_id order, pair after pair (the family
		// name, last, with the first given name first), so that a look-up
		// of the name alone stops as soon as it has enough rather than
		// probing for the other word at each of searchScan entries. When
		// a word is rarer, probing from it is quicker than merging.
		order := []int{len(keys) - 1}
		for i := range len(keys) - 1 {
			order = append(order, i)
		}
		var pairs []string
		for x := 0; x < len(order); x++ {
			for y := x + 1; y < len(order); y++ {
				pairs = append(pairs, `SELECT id FROM (SELECT person_id AS id FROM person_name_keys WHERE key = ?
					INTERSECT SELECT person_id FROM person_name_keys WHERE key = ?) AS x`+strconv.Itoa(len(pairs)))
				c.aloneArgs = append(c.aloneArgs, keys[order[x]][0], keys[order[y]][0])
			}
		}
		c.alone = strings.Join(pairs, ` UNION ALL `)
	}
	return c
}

// dobCriterion matches a known date of birth the way PartialDate.Matches
// does, for stored dates whose year is known.
func dobCriterion(d tether.PartialDate) *criterion {
	cond := `p.dob_year = ?`
	args := []any{d.Year}
	if d.Month != 0 {
		cond, args = cond+` AND p.dob_month IN (0, ?)`, append(args, d.Month)
	}
	if d.Day != 0 {
		cond, args = cond+` AND p.dob_day IN (0, ?)`, append(args, d.Day)
	}
	return peopleCriterion(cond, args)
}

// peopleCriterion is a condition on the people table alone.
func peopleCriterion(cond string, args []any) *criterion {
	return &criterion{
		drive: `SELECT p.id AS id FROM people p WHERE ` + cond, dargs: args,
		cond: cond, cargs: args,
		count: `SELECT 1 FROM people p WHERE ` + cond, countArgs: args,
	}
}

// postcodeCriterion matches people with a current postal address of their
// own at the postcode. The literal "not empty" condition lets the partial
// index contact_points_postcode apply.
func (tx *Tx) postcodeCriterion(pc string) *criterion {
	const where = `c.postcode = ? AND c.postcode <> '' AND c.kind = 'postal' AND c.party = 'self'
		AND c.valid_from <= ? AND (c.valid_to IS NULL OR c.valid_to > ?)`
	now := tx.db.ts(tx.now)
	args := []any{pc, now, now}
	return &criterion{
		drive: `SELECT c.person_id AS id FROM contact_points c WHERE ` + where, dargs: args,
		cond: `EXISTS (SELECT 1 FROM contact_points c WHERE c.person_id = d.id AND ` + where + `)`, cargs: args,
		count: `SELECT 1 FROM contact_points c WHERE ` + where, countArgs: args,
	}
}

// candidate is a person found by a search, with what ranking needs.
type candidate struct {
	id        int64
	ref       string
	person    tether.Person // names and date of birth only
	score     float64
	nameScore float64
	reasons   []string
}

// countCriteria fills est for the criteria that have a count query, in one
// statement.
func (tx *Tx) countCriteria(cs []*criterion) error {
	var parts []string
	var args []any
	var which []*criterion
	for _, c := range cs {
		if c.count == "" {
			continue
		}
		n := strconv.Itoa(len(which))
		parts = append(parts, `SELECT `+n+` AS i, COUNT(*) AS n FROM (`+c.count+
			` LIMIT `+strconv.Itoa(searchCountCap)+`) s`+n)
		args = append(args, c.countArgs...)
		which = append(which, c)
	}
	if len(parts) == 0 {
		return nil
	}
	rows, err := tx.queryVar(strings.Join(parts, ` UNION ALL `), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			return err
		}
		which[i].est = n
	}
	return rows.Err()
}

// findCandidates runs one look-up: it starts from the criterion with the
// smallest estimate (the first of equals), reading at most scan of its
// index entries, and filters by the others, in one index-driven query.
func (tx *Tx) findCandidates(cs []*criterion, scan int, into map[int64]*candidate) error {
	driver := cs[0]
	for _, c := range cs[1:] {
		if c.est < driver.est {
			driver = c
		}
	}
	alone := len(cs) == 1 && driver.alone != ""
	drive, args := driver.drive, slices.Clone(driver.dargs)
	if alone {
		drive, args = driver.alone, slices.Clone(driver.aloneArgs)
	}
	q := `SELECT p.id, p.ref, p.family_name, p.given_names, p.other_names, p.dob_year, p.dob_month, p.dob_day
		FROM (` + drive + ` LIMIT ` + strconv.Itoa(scan) + `) d CROSS JOIN people p WHERE p.id = d.id`
	for _, c := range cs {
		switch {
		case c == driver && alone:
		case c == driver && c.refine != "":
			q += ` AND ` + c.refine
			args = append(args, c.refineArgs...)
		case c != driver && c.cond != "":
			q += ` AND ` + c.cond
			args = append(args, c.cargs...)
		}
	}
	q += ` LIMIT ` + strconv.Itoa(searchCandidates)
	rows, err := tx.queryVar(q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c := &candidate{}
		var otherNames string
		d := &c.person.DateOfBirth
		if err := rows.Scan(&c.id, &c.ref, &c.person.FamilyName, &c.person.GivenNames, &otherNames, &d.Year, &d.Month, &d.Day); err != nil {
			return err
		}
		if _, seen := into[c.id]; seen {
			continue // found by two of its keys
		}
		if err := json.Unmarshal([]byte(otherNames), &c.person.OtherNames); err != nil {
			return fmt.Errorf("person %d: other names: %w", c.id, err)
		}
		into[c.id] = c
	}
	return rows.Err()
}

// searchFields names the fields a query used, for the audit detail: the
// values are personal data and are never recorded.
func searchFields(q *tether.SearchQuery) string {
	var f []string
	for _, x := range []struct {
		name string
		used bool
	}{{"ref", q.Ref != ""}, {"name", q.Name != ""}, {"date_of_birth", !q.DateOfBirth.IsZero()}, {"postcode", q.Postcode != ""}} {
		if x.used {
			f = append(f, x.name)
		}
	}
	return strings.Join(f, ",")
}

// SearchPeople finds people by reference, name, date of birth and postcode;
// every field given must match. A name matches when enough of its words
// share a search key with the person's names (namematch); candidates are
// ranked by name similarity. Names are looked up by their own keys first,
// and by the keys of their likely typing mistakes when that finds fewer
// than the limit and no close match. A date of birth matches as PartialDate.Matches says, so a
// person whose date is not recorded is found by name, ranked lower; a
// search by date of birth alone finds only people whose date is recorded.
// A postcode matches a current postal address of the person's own. One
// audit entry records which fields were used, never their values.
//
// Searching by anything but the reference uses personal data, so an
// inspector without the personal-data grant may search by reference only
// (EFORBIDDEN otherwise), and sees redacted results.
func (db *DB) SearchPeople(ctx context.Context, q tether.SearchQuery) ([]*tether.SearchHit, error) {
	a, err := readActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if !a.CanSeePersonalData() && (q.Name != "" || !q.DateOfBirth.IsZero() || q.Postcode != "") {
		return nil, tether.Errorf(tether.EFORBIDDEN, "Your role may search by reference only.")
	}
	rtx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("search people: %w", err)
	}
	defer rtx.rollback()
	hits, err := rtx.search(&q, a, nil, false)
	if err != nil {
		return nil, fmt.Errorf("search people: %w", err)
	}
	rtx.rollback()
	for _, h := range hits {
		h.Person = personView(a, h.Person)
	}
	if err := db.auditRead(ctx, "people.search", "fields="+searchFields(&q)+" results="+strconv.Itoa(len(hits))); err != nil {
		return nil, fmt.Errorf("search people: %w", err)
	}
	return hits, nil
}

// auditRead records a read that ran outside a writing transaction, in one
// of its own, before the results go back.
func (db *DB) auditRead(ctx context.Context, action, detail string) error {
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback()
	tx.Audit(action, "person", 0, detail)
	return tx.Commit()
}

// search finds and ranks the people who meet every criterion of q that the
// actor may see, but not those in exclude, best first. The name's typo keys
// are looked up when its own keys find fewer than q.Limit and no close
// match, or always when typos is set. A name of initials only cannot be
// looked up: it ranks what the other fields find.
func (tx *Tx) search(q *tether.SearchQuery, a tether.Actor, exclude map[int64]bool, typos bool) ([]*tether.SearchHit, error) {
	nq := planName(q.Name)
	found := map[int64]*candidate{}
	if err := tx.lookUp(q, a, nq, false, found); err != nil {
		return nil, err
	}
	ranked := rank(q, found, exclude)
	if q.Name != "" && nq.hasTypoKeys() && (typos || len(ranked) < q.Limit && !goodNameMatch(ranked)) {
		if err := tx.lookUp(q, a, nq, true, found); err != nil {
			return nil, err
		}
		ranked = rank(q, found, exclude)
	}
	if len(ranked) > q.Limit {
		ranked = ranked[:q.Limit]
	}
	return tx.loadHits(ranked)
}

// goodNameMatch reports whether the best of the ranked candidates has a
// name alike enough (every word the same or another spelling of it) that
// typing mistakes need not be looked for: what they would find would rank
// below it.
func goodNameMatch(ranked []*candidate) bool {
	return len(ranked) > 0 && ranked[0].nameScore >= goodNameScore
}

// goodNameScore is the name similarity of a match that stops the look-up
// of typo keys: Mohammed and Muhammad score about 0.93, a name with a middle
// name that the query lacks about 0.89. (check)
const goodNameScore = 0.85

// lookUp adds to found the people who meet every criterion of q that the
// actor may see, looking the name's words up by their own keys or also by
// their typo keys.
func (tx *Tx) lookUp(q *tether.SearchQuery, a tether.Actor, nq nameQuery, typos bool, found map[int64]*candidate) error {
	var common, counted []*criterion
	if q.Ref != "" {
		c := peopleCriterion(`p.ref = ?`, []any{q.Ref})
		c.count, c.est = "", 1
		common = append(common, c)
	}
	var words []*criterion
	keys := nq.keys(typos)
	if len(keys) > 0 {
		for _, k := range keys {
			words = append(words, wordCriterion(k))
		}
		counted = append(counted, words...)
	}
	if q.Postcode != "" {
		common = append(common, tx.postcodeCriterion(q.Postcode))
	}
	if a.Role == tether.RoleOrganisation {
		if a.OrganisationID == nil {
			return nil
		}
		common = append(common, peopleCriterion(`p.rep_organisation_id = ?`, []any{*a.OrganisationID}))
	}
	// A date of birth splits the look-up in two: people whose date could
	// match, and (unless the date is all that was asked) people whose date
	// is not recorded, each started from its own best index.
	// The second, for people who would rank lower, reads fewer entries.
	type run struct {
		cs   []*criterion
		scan int
	}
	var runs []run
	if q.DateOfBirth.IsZero() {
		runs = []run{{common, searchScan}}
	} else {
		known := dobCriterion(q.DateOfBirth)
		runs = append(runs, run{append(slices.Clone(common), known), searchScan})
		counted = append(counted, known)
		if q.Ref != "" || len(keys) > 0 || q.Postcode != "" {
			unknown := peopleCriterion(`p.dob_year = 0`, nil)
			runs = append(runs, run{append(slices.Clone(common), unknown), searchScanUnknownDOB})
			counted = append(counted, unknown)
		}
	}
	if err := tx.countCriteria(append(counted, common...)); err != nil {
		return err
	}
	if len(keys) > 0 {
		counts := make([]int, len(words))
		for i, w := range words {
			counts[i] = w.est
		}
		// First, so that it starts the look-up when nothing is
		// rarer (findCandidates keeps the first of equal estimates).
		name := nameCriterion(keys, nq.need, counts)
		for i := range runs {
			runs[i].cs = append([]*criterion{name}, runs[i].cs...)
		}
	}
	for _, r := range runs {
		if len(r.cs) == 0 {
			continue
		}
		if err := tx.findCandidates(r.cs, r.scan, found); err != nil {
			return err
		}
	}
	return nil
}

// rank scores the candidates against q and orders them best first,
// leaving out those whose names are not alike and those in exclude.
func rank(q *tether.SearchQuery, found map[int64]*candidate, exclude map[int64]bool) []*candidate {
	ranked := make([]*candidate, 0, len(found))
	for _, c := range found {
		if exclude[c.id] || !scoreCandidate(q, c) {
			continue
		}
		ranked = append(ranked, c)
	}
	sortCandidates(ranked)
	return ranked
}

// scoreCandidate sets c's score and reasons; false drops it.
func scoreCandidate(q *tether.SearchQuery, c *candidate) bool {
	c.score, c.reasons = 1, nil
	if q.Ref != "" {
		c.reasons = append(c.reasons, "reference matches")
	}
	if q.Name != "" {
		best := 0.0
		for _, n := range c.person.AllNames() {
			best = max(best, namematch.Similarity(q.Name, n))
		}
		if best < minNameScore {
			return false
		}
		c.score *= best
		c.nameScore = best
		if best >= 0.995 {
			c.reasons = append(c.reasons, "name matches")
		} else {
			c.reasons = append(c.reasons, "name similar ("+strconv.FormatFloat(best, 'f', 2, 64)+")")
		}
	}
	if d := q.DateOfBirth; !d.IsZero() {
		s := c.person.DateOfBirth
		switch {
		case s.IsZero():
			c.score *= dobNotRecorded
			c.reasons = append(c.reasons, "date of birth not recorded")
		case !s.Matches(d):
			return false
		case s == d && d.Day != 0:
			c.reasons = append(c.reasons, "date of birth matches")
		case s == d:
			c.reasons = append(c.reasons, "date of birth matches as far as it is known")
		default:
			c.score *= dobPartlyKnown
			c.reasons = append(c.reasons, "date of birth could match")
		}
	}
	if q.Postcode != "" {
		c.reasons = append(c.reasons, "postcode matches")
	}
	return true
}

// sortCandidates orders best first, then by reference so that equal scores
// come back in the same order every time.
func sortCandidates(cs []*candidate) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].score != cs[j].score {
			return cs[i].score > cs[j].score
		}
		return cs[i].ref < cs[j].ref
	})
}

// loadHits reads the people of the ranked candidates in full.
func (tx *Tx) loadHits(ranked []*candidate) ([]*tether.SearchHit, error) {
	hits := make([]*tether.SearchHit, 0, len(ranked))
	if len(ranked) == 0 {
		return hits, nil
	}
	ids := make([]any, len(ranked))
	for i, c := range ranked {
		ids[i] = c.id
	}
	rows, err := tx.queryVar(`SELECT `+personCols+` FROM people p WHERE p.id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	people := make(map[int64]*tether.Person, len(ranked))
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		people[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, c := range ranked {
		if p := people[c.id]; p != nil {
			hits = append(hits, &tether.SearchHit{Person: p, Score: c.score, Reasons: c.reasons})
		}
	}
	return hits, nil
}

// FindLikelyDuplicates returns stored people who may be p: found by any of
// p's names and its date of birth, scoring at least
// tether.DuplicateThreshold, best first, never p itself. It needs the
// personal-data grant (EFORBIDDEN), as the search does.
func (db *DB) FindLikelyDuplicates(ctx context.Context, p *tether.Person) ([]*tether.SearchHit, error) {
	a, err := readActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.CanSeePersonalData() {
		return nil, tether.Errorf(tether.EFORBIDDEN, "Your role may search by reference only.")
	}
	rtx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	defer rtx.rollback()
	exclude := map[int64]bool{p.ID: true}
	best := map[int64]*tether.SearchHit{}
	for _, name := range p.AllNames() {
		q := tether.SearchQuery{Name: name, DateOfBirth: p.DateOfBirth, Limit: tether.MaxSearchLimit}
		if q.Validate() != nil {
			continue
		}
		hits, err := rtx.search(&q, a, exclude, true)
		if err != nil {
			return nil, fmt.Errorf("find duplicates: %w", err)
		}
		for _, h := range hits {
			if h.Score < tether.DuplicateThreshold {
				continue
			}
			if b := best[h.Person.ID]; b == nil || h.Score > b.Score {
				best[h.Person.ID] = h
			}
		}
	}
	rtx.rollback()
	hits := make([]*tether.SearchHit, 0, len(best))
	for _, h := range best {
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Person.Ref < hits[j].Person.Ref
	})
	if len(hits) > tether.DefaultSearchLimit {
		hits = hits[:tether.DefaultSearchLimit]
	}
	if err := db.auditRead(ctx, "people.search", "duplicates fields=name,date_of_birth results="+strconv.Itoa(len(hits))); err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	return hits, nil
}
