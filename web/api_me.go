package web

import (
	"net/http"

	"tether"
)

// me is the signed-in user, with their organisation when they belong to one.
type me struct {
	*tether.User
	Organisation *tether.Organisation `json:"organisation,omitempty"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	out := me{User: u}
	if u.OrganisationID != nil {
		o, err := s.Users.FindOrganisationByID(r.Context(), *u.OrganisationID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out.Organisation = o
	}
	writeJSON(w, http.StatusOK, out)
}
