package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"tether"
)

// People list paging: the default and the most a page may hold.
const (
	defaultPeopleLimit = 50
	maxPeopleLimit     = 500
)

// personInput is the changeable part of a person, as the API takes it. Only
// these fields are accepted: id, ref (on change), version counters and times
// belong to the server, and sending them is an error, not a silent no-op.
type personInput struct {
	FamilyName string             `json:"family_name"`
	GivenNames string             `json:"given_names"`
	OtherNames []tether.OtherName `json:"other_names"`
	// DateOfBirth is "YYYY", "YYYY-MM" or "YYYY-MM-DD", or null when unknown.
	DateOfBirth       *string                `json:"date_of_birth"`
	Nationality       string                 `json:"nationality"`
	PreferredLanguage string                 `json:"preferred_language"`
	Needs             tether.Needs           `json:"needs"`
	Representative    *tether.Representative `json:"representative"`
}

// createPersonInput is a new person: the changeable fields and, for records
// brought over from an earlier system, an existing reference. The fields are
// spelt out rather than embedded, so that decoding errors name the JSON
// field alone ("family_name", not "personInput.family_name").
type createPersonInput struct {
	Ref               string                 `json:"ref"`
	FamilyName        string                 `json:"family_name"`
	GivenNames        string                 `json:"given_names"`
	OtherNames        []tether.OtherName     `json:"other_names"`
	DateOfBirth       *string                `json:"date_of_birth"`
	Nationality       string                 `json:"nationality"`
	PreferredLanguage string                 `json:"preferred_language"`
	Needs             tether.Needs           `json:"needs"`
	Representative    *tether.Representative `json:"representative"`
}

// updatePersonInput is the full changeable record and the version it was read at.
type updatePersonInput struct {
	FamilyName        string                 `json:"family_name"`
	GivenNames        string                 `json:"given_names"`
	OtherNames        []tether.OtherName     `json:"other_names"`
	DateOfBirth       *string                `json:"date_of_birth"`
	Nationality       string                 `json:"nationality"`
	PreferredLanguage string                 `json:"preferred_language"`
	Needs             tether.Needs           `json:"needs"`
	Representative    *tether.Representative `json:"representative"`
	Version           *int                   `json:"version"`
}

func (in *createPersonInput) person() personInput {
	return personInput{in.FamilyName, in.GivenNames, in.OtherNames, in.DateOfBirth, in.Nationality, in.PreferredLanguage, in.Needs, in.Representative}
}

func (in *updatePersonInput) person() personInput {
	return personInput{in.FamilyName, in.GivenNames, in.OtherNames, in.DateOfBirth, in.Nationality, in.PreferredLanguage, in.Needs, in.Representative}
}

// apply writes the input into p and returns the problems found in reading
// it, merged later with the domain's own.
func (in *personInput) apply(p *tether.Person) tether.Problems {
	q := tether.Problems{}
	p.FamilyName, p.GivenNames = in.FamilyName, in.GivenNames
	p.OtherNames = in.OtherNames
	if p.OtherNames == nil {
		p.OtherNames = []tether.OtherName{}
	}
	p.DateOfBirth = tether.PartialDate{}
	if in.DateOfBirth != nil {
		d, err := tether.ParsePartialDate(*in.DateOfBirth)
		if err != nil {
			q.Add("date_of_birth", "must be a date like 1990-05-17, 1990-05 or 1990")
		}
		p.DateOfBirth = d
	}
	p.Nationality, p.PreferredLanguage = in.Nationality, in.PreferredLanguage
	p.Needs, p.Representative = in.Needs, in.Representative
	return q
}

// checkPerson validates p with the domain's rules, adds the problems found
// in reading the input, and checks that a linked organisation exists, so
// that every problem is reported at once.
func (s *Server) checkPerson(r *http.Request, p *tether.Person, q tether.Problems) error {
	if err := p.Validate(s.clock.Now()); err != nil {
		if tether.ErrorCode(err) != tether.EINVALID {
			return err
		}
		q.Merge("", tether.ErrorFields(err))
	}
	if p.Representative != nil && p.Representative.OrganisationID != nil {
		if _, err := s.Users.FindOrganisationByID(r.Context(), *p.Representative.OrganisationID); tether.ErrorCode(err) == tether.ENOTFOUND {
			q.Add("representative.organisation_id", "no such organisation")
		} else if err != nil {
			return err
		}
	}
	return q.Err()
}

// actor returns who is acting on the request; authorize has made sure
// there is one on every route that needs it.
func actor(r *http.Request) tether.Actor {
	a, _ := tether.ActorFromContext(r.Context())
	return a
}

// viewPerson hides personal data from an actor who may not see it. The store
// redacts already; this is the second line, and redacting is idempotent.
func viewPerson(a tether.Actor, p *tether.Person) *tether.Person {
	if p == nil || a.CanSeePersonalData() {
		return p
	}
	return p.Redacted()
}

func viewHits(a tether.Actor, hits []*tether.SearchHit) []*tether.SearchHit {
	out := make([]*tether.SearchHit, 0, len(hits))
	for _, h := range hits {
		c := *h
		c.Person = viewPerson(a, h.Person)
		if c.Reasons == nil {
			c.Reasons = []string{}
		}
		out = append(out, &c)
	}
	return out
}

// peopleList is the answer of GET /api/v1/people.
type peopleList struct {
	People []*tether.Person `json:"people"`
	Total  int              `json:"total"`
	Offset int              `json:"offset"`
	Limit  int              `json:"limit"`
}

func (s *Server) apiListPeople(w http.ResponseWriter, r *http.Request) {
	f := tether.PersonFilter{}
	q := tether.Problems{}
	if v := r.URL.Query().Get("no_working_channel"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			q.Add("no_working_channel", "must be true or false")
		}
		f.NoWorkingChannel = b
	}
	var err error
	if f.Offset, err = queryInt(r, "offset", 0); err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	if f.Limit, err = queryInt(r, "limit", defaultPeopleLimit); err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	if err := q.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Limit == 0 {
		f.Limit = defaultPeopleLimit
	}
	f.Limit = min(f.Limit, maxPeopleLimit)
	people, total, err := s.People.FindPeople(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := actor(r)
	out := peopleList{People: make([]*tether.Person, 0, len(people)), Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, p := range people {
		out.People = append(out.People, viewPerson(a, p))
	}
	writeJSON(w, http.StatusOK, out)
}

// createdPerson is a new person with the stored people who may be the same
// one: a warning for the caseworker to look at, never a refusal.
type createdPerson struct {
	*tether.Person
	LikelyDuplicates []*tether.SearchHit `json:"likely_duplicates"`
}

func (s *Server) apiCreatePerson(w http.ResponseWriter, r *http.Request) {
	var in createPersonInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p := &tether.Person{Ref: in.Ref}
	fields := in.person()
	if err := s.checkPerson(r, p, fields.apply(p)); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.People.CreatePerson(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	out := createdPerson{Person: p, LikelyDuplicates: []*tether.SearchHit{}}
	hits, err := s.People.FindLikelyDuplicates(r.Context(), p)
	if err != nil {
		// The person is stored: a failed duplicate check must not make the
		// client think otherwise and create them again.
		s.log.Warn("likely duplicates", "route", r.Pattern, "code", tether.ErrorCode(err))
	}
	for _, h := range viewHits(actor(r), hits) {
		if h.Person != nil && h.Person.ID != p.ID {
			out.LikelyDuplicates = append(out.LikelyDuplicates, h)
		}
	}
	w.Header().Set("Location", "/api/v1/people/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, out)
}

// duplicates is the answer of POST /api/v1/people/duplicates.
type duplicates struct {
	LikelyDuplicates []*tether.SearchHit `json:"likely_duplicates"`
}

func (s *Server) apiDuplicates(w http.ResponseWriter, r *http.Request) {
	var in personInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p := &tether.Person{}
	if err := s.checkPerson(r, p, in.apply(p)); err != nil {
		s.fail(w, r, err)
		return
	}
	hits, err := s.People.FindLikelyDuplicates(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, duplicates{LikelyDuplicates: viewHits(actor(r), hits)})
}

// searchResults is the answer of GET /api/v1/people/search.
type searchResults struct {
	Results []*tether.SearchHit `json:"results"`
}

func (s *Server) apiSearchPeople(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := tether.Problems{}
	sq := tether.SearchQuery{Name: v.Get("name"), Ref: v.Get("ref"), Postcode: v.Get("postcode")}
	for _, k := range []string{"name", "ref", "postcode", "date_of_birth"} {
		if !cleanText(v.Get(k)) {
			q.Add(k, "must be text without control characters")
		}
	}
	if d, err := tether.ParsePartialDate(v.Get("date_of_birth")); err != nil {
		q.Add("date_of_birth", "must be a date like 1990-05-17, 1990-05 or 1990")
	} else {
		sq.DateOfBirth = d
	}
	limit, err := queryInt(r, "limit", 0)
	if err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	sq.Limit = limit
	if len(q) == 0 {
		if err := sq.Validate(); err != nil {
			q.Merge("", tether.ErrorFields(err))
		}
	}
	if err := q.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	hits, err := s.People.SearchPeople(r.Context(), sq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, searchResults{Results: viewHits(actor(r), hits)})
}

func (s *Server) apiGetPerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.People.FindPersonByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewPerson(actor(r), p))
}

// apiUpdatePerson replaces the changeable fields of a person. The body
// carries the version it was read at: a change made meanwhile by someone
// else is answered 409, never silently overwritten.
func (s *Server) apiUpdatePerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in updatePersonInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p := &tether.Person{ID: id}
	fields := in.person()
	q := fields.apply(p)
	if in.Version == nil {
		q.Add("version", "send the version of the record you read")
	} else {
		p.Version = *in.Version
	}
	if err := s.checkPerson(r, p, q); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.People.UpdatePerson(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	// Answer with the record as stored, times and reference included.
	stored, err := s.People.FindPersonByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewPerson(actor(r), stored))
}

// personHistory is the answer of GET /api/v1/people/{id}/history.
type personHistory struct {
	Versions []*tether.PersonVersion `json:"versions"`
}

func (s *Server) apiPersonHistory(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	versions, err := s.People.PersonHistory(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := actor(r)
	out := personHistory{Versions: make([]*tether.PersonVersion, 0, len(versions))}
	for _, v := range versions {
		c := *v
		c.Person = viewPerson(a, v.Person)
		out.Versions = append(out.Versions, &c)
	}
	writeJSON(w, http.StatusOK, out)
}

// personHealth is a person's contact health, computed now from the record.
type personHealth struct {
	PersonID int64 `json:"person_id"`
	tether.ContactHealth
}

func (s *Server) apiPersonHealth(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	points, err := s.Contacts.ContactPoints(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, personHealth{PersonID: id, ContactHealth: tether.AssessContact(points, s.clock.Now())})
}

// cleanText reports whether a query parameter is valid UTF-8 without NUL, so
// that it can go to either database.
func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}
