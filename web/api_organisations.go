package web

import (
	"net/http"

	"tether"
)

// organisationPatch changes where an organisation's replies go. A field
// left out keeps its value; an empty string or list clears it.
type organisationPatch struct {
	ReplyEmail   *string   `json:"reply_email"`
	ReplyAddress *[]string `json:"reply_address"`
}

// apiUpdateOrganisation changes an organisation's reply email and postal
// address; the answer is the organisation as stored.
func (s *Server) apiUpdateOrganisation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in organisationPatch
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.ReplyEmail == nil && in.ReplyAddress == nil {
		s.fail(w, r, tether.Errorf(tether.EINVALID, "Send at least one of reply_email, reply_address."))
		return
	}
	o, err := s.Users.FindOrganisationByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	email, address := o.ReplyEmail, o.ReplyAddress
	if in.ReplyEmail != nil {
		email = *in.ReplyEmail
	}
	if in.ReplyAddress != nil {
		address = *in.ReplyAddress
	}
	if o, err = s.Users.UpdateOrganisationReplyTo(r.Context(), id, email, address); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}
