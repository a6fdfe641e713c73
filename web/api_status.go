package web

import (
	"context"
	"net/http"

	"tether"
)

// StatusService keeps each person's contact status.
type StatusService interface {
	ContactStatus(ctx context.Context, personID int64) (tether.PersonStatus, []*tether.StatusEvent, error)
	ChangeStatus(ctx context.Context, personID int64, cause, detail string) (tether.StatusChange, error)
}

// contactStatus is a person's contact status with its history.
type contactStatus struct {
	tether.PersonStatus
	Events []*tether.StatusEvent `json:"events"`
}

// statusInput is a caseworker's cause: a failed call, contact
// re-established, or a declaration of absconder (with the reason).
type statusInput struct {
	Cause  string `json:"cause"`
	Detail string `json:"detail"`
}

// statusChange is what a change did.
type statusChange struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Cause   string `json:"cause"`
	Changed bool   `json:"changed"`
}

func (s *Server) withStatus(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Status == nil {
			s.fail(w, r, tether.Errorf(tether.ENOTFOUND, "Contact status is not available on this server."))
			return
		}
		h(w, r)
	}
}

func (s *Server) apiContactStatus(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, events, err := s.Status.ContactStatus(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !actor(r).CanSeePersonalData() {
		// A detail may be a caseworker's words, which can hold anything.
		for i, e := range events {
			c := *e
			c.Detail = ""
			events[i] = &c
		}
	}
	writeJSON(w, http.StatusOK, contactStatus{PersonStatus: st, Events: events})
}

func (s *Server) apiChangeStatus(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in statusInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	ch, err := s.Status.ChangeStatus(r.Context(), id, in.Cause, in.Detail)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, statusChange{From: ch.From, To: ch.To, Cause: ch.Cause, Changed: ch.Changed})
}
