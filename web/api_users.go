package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"tether"
)

// userInput is a new user and their first password.
type userInput struct {
	Email          string      `json:"email"`
	Name           string      `json:"name"`
	Role           tether.Role `json:"role"`
	OrganisationID *int64      `json:"organisation_id"`
	PersonalData   bool        `json:"personal_data"`
	Password       string      `json:"password"`
}

// userPatch changes a user. Absent fields stay as they are; an
// organisation_id of null takes the user out of their organisation.
type userPatch struct {
	Role           *tether.Role    `json:"role"`
	OrganisationID json.RawMessage `json:"organisation_id"`
	Disabled       *bool           `json:"disabled"`
	PersonalData   *bool           `json:"personal_data"`
}

// personalDataSetter grants or withdraws an inspector's sight of personal
// data. It is not part of tether.UserService yet; the store offers it or
// the API refuses the field.
type personalDataSetter interface {
	SetUserPersonalData(ctx context.Context, id int64, personalData bool) error
}

// users is the answer of GET /api/v1/users.
type users struct {
	Users []*tether.User `json:"users"`
}

func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) {
	list, err := s.Users.FindUsers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []*tether.User{}
	}
	writeJSON(w, http.StatusOK, users{Users: list})
}

func (s *Server) apiGetUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.Users.FindUserByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) {
	var in userInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	u := &tether.User{Email: in.Email, Name: in.Name, Role: in.Role, OrganisationID: in.OrganisationID, PersonalData: in.PersonalData}
	q := tether.Problems{}
	if err := u.Validate(); err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	if err := tether.ValidatePassword(in.Password); err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	if err := q.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Users.CreateUser(r.Context(), u, in.Password); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	writeJSON(w, http.StatusCreated, u)
}

// apiUpdateUser changes a user's role and organisation, their sight of
// personal data, or disables them. Each change is its own audited step,
// made in that order; the answer is the user as stored afterwards.
func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in userPatch
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Role == nil && in.OrganisationID == nil && in.Disabled == nil && in.PersonalData == nil {
		s.fail(w, r, tether.Errorf(tether.EINVALID, "Send at least one of role, organisation_id, disabled, personal_data."))
		return
	}
	setPD, canSetPD := s.Users.(personalDataSetter)
	if in.PersonalData != nil && !canSetPD {
		s.fail(w, r, tether.Problems{"personal_data": "cannot be changed through the API yet"}.Err())
		return
	}
	u, err := s.Users.FindUserByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Role != nil && *in.Role != u.Role && id == currentUser(r).ID {
		// So that the last admin cannot lock everyone out by mistake.
		s.fail(w, r, tether.Problems{"role": "you cannot change your own role"}.Err())
		return
	}
	if in.Role != nil || in.OrganisationID != nil {
		role, org := u.Role, u.OrganisationID
		if in.Role != nil {
			role = *in.Role
			if role != tether.RoleOrganisation {
				org = nil
			}
		}
		if in.OrganisationID != nil {
			var v *int64
			if err := json.Unmarshal(in.OrganisationID, &v); err != nil {
				s.fail(w, r, tether.Problems{"organisation_id": "must be a number or null"}.Err())
				return
			}
			org = v
		}
		check := tether.User{Email: u.Email, Name: u.Name, Role: role, OrganisationID: org}
		if err := check.Validate(); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.Users.SetUserRole(r.Context(), id, role, org); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if in.PersonalData != nil {
		if err := setPD.SetUserPersonalData(r.Context(), id, *in.PersonalData); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if in.Disabled != nil {
		if *in.Disabled && id == currentUser(r).ID {
			s.fail(w, r, tether.Problems{"disabled": "you cannot disable yourself"}.Err())
			return
		}
		if err := s.Users.SetUserDisabled(r.Context(), id, *in.Disabled); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if u, err = s.Users.FindUserByID(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// organisations is the answer of GET /api/v1/organisations.
type organisations struct {
	Organisations []*tether.Organisation `json:"organisations"`
}

func (s *Server) apiListOrganisations(w http.ResponseWriter, r *http.Request) {
	list, err := s.Users.FindOrganisations(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []*tether.Organisation{}
	}
	writeJSON(w, http.StatusOK, organisations{Organisations: list})
}

// organisationInput is a new organisation.
type organisationInput struct {
	Name         string                  `json:"name"`
	Kind         tether.OrganisationKind `json:"kind"`
	Constituency string                  `json:"constituency"`
	Division     string                  `json:"division"`
	ReplyEmail   string                  `json:"reply_email"`
	ReplyAddress []string                `json:"reply_address"`
}

func (s *Server) apiGetOrganisation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o, err := s.Users.FindOrganisationByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

func (s *Server) apiCreateOrganisation(w http.ResponseWriter, r *http.Request) {
	var in organisationInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	o := &tether.Organisation{Name: in.Name, Kind: in.Kind, Constituency: in.Constituency, Division: in.Division,
		ReplyEmail: in.ReplyEmail, ReplyAddress: in.ReplyAddress}
	if err := o.Validate(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Users.CreateOrganisation(r.Context(), o); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/organisations/"+strconv.FormatInt(o.ID, 10))
	writeJSON(w, http.StatusCreated, o)
}

// tokens is the answer of GET /api/v1/tokens.
type tokens struct {
	Tokens []*tether.APIToken `json:"tokens"`
}

func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) {
	list, err := s.Credentials.FindAPITokens(r.Context(), currentUser(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []*tether.APIToken{}
	}
	writeJSON(w, http.StatusOK, tokens{Tokens: list})
}

// ownToken finds one of the signed-in user's tokens; anyone else's is not
// found, admins' included: admins manage others' tokens elsewhere.
func (s *Server) ownToken(r *http.Request) (*tether.APIToken, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	list, err := s.Credentials.FindAPITokens(r.Context(), currentUser(r).ID)
	if err != nil {
		return nil, err
	}
	for _, t := range list {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, tether.Errorf(tether.ENOTFOUND, "API token not found.")
}

func (s *Server) apiGetToken(w http.ResponseWriter, r *http.Request) {
	t, err := s.ownToken(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// tokenInput names a new token.
type tokenInput struct {
	Name string `json:"name"`
}

// newToken is a new token with its secret, which is shown this once: the
// store keeps only its hash.
type newToken struct {
	*tether.APIToken
	Secret string `json:"secret"`
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	var in tokenInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	secret, t, err := s.Credentials.CreateAPIToken(r.Context(), currentUser(r).ID, in.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/tokens/"+strconv.FormatInt(t.ID, 10))
	writeJSON(w, http.StatusCreated, newToken{APIToken: t, Secret: secret})
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	t, err := s.ownToken(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Credentials.RevokeAPIToken(r.Context(), t.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
