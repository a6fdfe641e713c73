package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tether"
)

// contactPointInput is a new contact point as the API takes it. Whose it is
// comes from the path; when it started, its events and who recorded it
// belong to the server.
type contactPointInput struct {
	Kind              string          `json:"kind"`
	Party             string          `json:"party"`
	PartyName         string          `json:"party_name"`
	Relationship      string          `json:"relationship"`
	Address           *tether.Address `json:"address"`
	Email             string          `json:"email"`
	Phone             string          `json:"phone"`
	Source            string          `json:"source"`
	SourceDetail      string          `json:"source_detail"`
	ForCorrespondence bool            `json:"for_correspondence"`
	// Verification is unverified (the default), verified or failed.
	Verification string `json:"verification"`
}

func (in *contactPointInput) point(personID int64) *tether.ContactPoint {
	c := &tether.ContactPoint{
		PersonID: personID, Kind: in.Kind, Party: in.Party, PartyName: in.PartyName, Relationship: in.Relationship,
		Email: in.Email, Phone: in.Phone, Source: in.Source, SourceDetail: in.SourceDetail,
		ForCorrespondence: in.ForCorrespondence, Verification: in.Verification,
	}
	if in.Address != nil {
		a := *in.Address
		a.Lines = slices.Clone(a.Lines)
		c.Address = &a
	}
	return c
}

// replaceInput ends a point and starts its replacement.
type replaceInput struct {
	Reason      string             `json:"reason"`
	Replacement *contactPointInput `json:"replacement"`
}

// reasonInput ends a point, or records that it failed.
type reasonInput struct {
	Reason string `json:"reason"`
}

// confirmInput records that a point worked, and how.
type confirmInput struct {
	How string `json:"how"`
}

// viewPoint hides the address, email and number from an actor who may not
// see personal data. The store redacts already, and redacting twice would
// lose the postcode area, so only a point that still holds a value is
// redacted here.
func viewPoint(a tether.Actor, c *tether.ContactPoint) *tether.ContactPoint {
	if c == nil || a.CanSeePersonalData() {
		return c
	}
	if c.Email != "" || c.Phone != "" || c.PartyName != "" || c.Relationship != "" ||
		(c.Address != nil && (len(c.Address.Lines) > 0 || c.Address.Town != "")) {
		r := c.Redacted()
		r.Relationship = ""
		return r
	}
	return c
}

// contactPoints is the answer of GET /api/v1/people/{id}/contact-points.
type contactPoints struct {
	ContactPoints []*tether.ContactPoint `json:"contact_points"`
}

func (s *Server) apiListContactPoints(w http.ResponseWriter, r *http.Request) {
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
	a := actor(r)
	out := contactPoints{ContactPoints: make([]*tether.ContactPoint, 0, len(points))}
	for _, c := range points {
		out.ContactPoints = append(out.ContactPoints, viewPoint(a, c))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiAddContactPoint(w http.ResponseWriter, r *http.Request) {
	personID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in contactPointInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c := in.point(personID)
	if err := c.Validate(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Contacts.AddContactPoint(r.Context(), c); err != nil {
		s.fail(w, r, err)
		return
	}
	s.created(w, r, c)
}

// created answers 201 with a new contact point and where it lives.
func (s *Server) created(w http.ResponseWriter, r *http.Request, c *tether.ContactPoint) {
	w.Header().Set("Location", "/api/v1/contact-points/"+strconv.FormatInt(c.ID, 10))
	writeJSON(w, http.StatusCreated, viewPoint(actor(r), c))
}

// contactEvents is the answer of GET /api/v1/people/{id}/contact-events.
type contactEvents struct {
	Events []*tether.ContactPointEvent `json:"events"`
}

func (s *Server) apiContactEvents(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, err := s.Contacts.ContactPointEvents(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if events == nil {
		events = []*tether.ContactPointEvent{}
	}
	if !actor(r).CanSeePersonalData() {
		// A note may be a reason written by a caseworker, which can hold
		// anything; the type and time stay.
		for i, e := range events {
			c := *e
			c.Note = ""
			events[i] = &c
		}
	}
	writeJSON(w, http.StatusOK, contactEvents{Events: events})
}

// apiGetContactPoint reads one point. The store answers ENOTFOUND for a
// point whose person the actor may not see (an organisation user reaches
// only its own people's points).
func (s *Server) apiGetContactPoint(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.answerPoint(w, r, id)
}

func (s *Server) apiReplaceContactPoint(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in replaceInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	q := tether.Problems{}
	if err := tether.ValidateReason("reason", in.Reason); err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	if in.Replacement == nil {
		q.Add("replacement", "send the contact point that replaces this one")
	}
	if err := q.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	old, err := s.Contacts.FindContactPointByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := in.Replacement.point(old.PersonID)
	if err := c.Validate(); err != nil {
		q.Merge("replacement.", tether.ErrorFields(err))
	}
	if err := q.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Contacts.ReplaceContactPoint(r.Context(), id, c, strings.TrimSpace(in.Reason)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.created(w, r, c)
}

func (s *Server) apiEndContactPoint(w http.ResponseWriter, r *http.Request) {
	s.changePoint(w, r, func(id int64, in reasonInput) error {
		return s.Contacts.EndContactPoint(r.Context(), id, in.Reason)
	})
}

func (s *Server) apiFailContactPoint(w http.ResponseWriter, r *http.Request) {
	s.changePoint(w, r, func(id int64, in reasonInput) error {
		return s.Contacts.FailContactPoint(r.Context(), id, in.Reason)
	})
}

// changePoint reads a reason for a change to the point named by the path,
// makes the change, and answers with the point as it now stands.
func (s *Server) changePoint(w http.ResponseWriter, r *http.Request, change func(id int64, in reasonInput) error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in reasonInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := tether.ValidateReason("reason", in.Reason); err != nil {
		s.fail(w, r, err)
		return
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if err := change(id, in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.answerPoint(w, r, id)
}

func (s *Server) apiConfirmContactPoint(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in confirmInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	in.How = strings.TrimSpace(in.How)
	if !slices.Contains(tether.ConfirmedHows, in.How) {
		s.fail(w, r, tether.Problems{"how": "must be one of " + strings.Join(tether.ConfirmedHows, ", ")}.Err())
		return
	}
	if err := s.Contacts.ConfirmContactPoint(r.Context(), id, in.How); err != nil {
		s.fail(w, r, err)
		return
	}
	s.answerPoint(w, r, id)
}

// answerPoint answers with the point as stored now.
func (s *Server) answerPoint(w http.ResponseWriter, r *http.Request, id int64) {
	c, err := s.Contacts.FindContactPointByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewPoint(actor(r), c))
}
