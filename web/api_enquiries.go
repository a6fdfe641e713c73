package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"

	"tether"
	"tether/enquiry"
)

// The enquiries API: offices raise enquiries and follow them; the
// enquiries team triages, assigns, answers them (with holding replies when
// an answer will be late) and reads the performance figures. An office's
// user sees only its own organisation's enquiries, as the office sees
// them; the store holds it to that.

// EnquiryService keeps enquiries from MPs' offices and representatives.
type EnquiryService interface {
	CreateEnquiry(ctx context.Context, in *enquiry.Input) (*enquiry.Enquiry, error)
	EnquiryDuplicates(ctx context.Context, in *enquiry.Input) ([]*enquiry.Duplicate, error)
	FindEnquiries(ctx context.Context, f enquiry.Filter) ([]*enquiry.Enquiry, int, error)
	EnquiryDetail(ctx context.Context, id int64) (*enquiry.Detail, error)
	EnquiryEvents(ctx context.Context, id int64) ([]*enquiry.Event, error)
	TransitionEnquiry(ctx context.Context, id int64, in enquiry.TransitionInput) (*enquiry.Enquiry, error)
	SendHoldingReply(ctx context.Context, id int64, in enquiry.HoldingReplyInput) (*enquiry.Enquiry, error)
	AnswerEnquiry(ctx context.Context, id int64, in enquiry.ReplyInput) (*enquiry.Enquiry, error)
	AddEnquiryNote(ctx context.Context, id int64, text string) (*enquiry.Note, error)
	EnquiryReport(ctx context.Context, f enquiry.ReportFilter) (*enquiry.Report, error)
	EnquiryTeams(ctx context.Context) ([]*enquiry.TeamInfo, error)
	SetEnquiryTeamLead(ctx context.Context, team string, userID *int64) error
}

// Role sets of the enquiries routes.
var (
	// enquiryReaders raise and follow enquiries: offices their own.
	enquiryReaders = []tether.Role{tether.RoleAdmin, tether.RoleEnquiries, tether.RoleOrganisation}
	// enquiryWorkers answer them.
	enquiryWorkers = []tether.Role{tether.RoleAdmin, tether.RoleEnquiries}
	// enquiryFigures read the performance report: counts only.
	enquiryFigures = []tether.Role{tether.RoleAdmin, tether.RoleEnquiries, tether.RoleInspector}
)

// enquiryList is the answer of GET /api/v1/enquiries.
type enquiryList struct {
	Enquiries []*enquiry.Enquiry `json:"enquiries"`
	Total     int                `json:"total"`
}

// enquiryDuplicates is the answer of POST /api/v1/enquiries/duplicates.
type enquiryDuplicates struct {
	Duplicates []*enquiry.Duplicate `json:"duplicates"`
}

// enquiryEvents is the answer of GET /api/v1/enquiries/{id}/events.
type enquiryEvents struct {
	Events []*enquiry.Event `json:"events"`
}

// enquiryTeams is the answer of GET /api/v1/enquiry-teams.
type enquiryTeams struct {
	Teams []*enquiry.TeamInfo `json:"teams"`
}

// enquiryNoteInput is an internal note.
type enquiryNoteInput struct {
	Text string `json:"text"`
}

// teamLeadInput names a team's lead, or clears it with a null user_id.
type teamLeadInput struct {
	Team   string `json:"team"`
	UserID *int64 `json:"user_id"`
}

// withEnquiries answers 404 when the server has no enquiry service.
func (s *Server) withEnquiries(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Enquiries == nil {
			s.fail(w, r, tether.Errorf(tether.ENOTFOUND, "Enquiries are not available on this server."))
			return
		}
		h(w, r)
	}
}

// enquiryFilter reads the list filters of GET /api/v1/enquiries.
// assignee=me is the signed-in user.
func enquiryFilter(r *http.Request) (enquiry.Filter, error) {
	q := r.URL.Query()
	f := enquiry.Filter{State: q.Get("state"), Category: q.Get("category"), Urgency: q.Get("urgency"), Team: q.Get("team"),
		Ref: q.Get("ref"), DueBefore: q.Get("due_before")}
	p := tether.Problems{}
	id := func(name string) *int64 {
		v := q.Get(name)
		if v == "" {
			return nil
		}
		if name == "assignee" && v == "me" {
			if u := currentUser(r); u != nil {
				return &u.ID
			}
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			p.Add(name, "must be an id")
			return nil
		}
		return &n
	}
	f.Assignee, f.PersonID, f.OrganisationID = id("assignee"), id("person_id"), id("organisation_id")
	switch q.Get("unmatched") {
	case "", "false":
	case "true":
		f.Unmatched = true
	default:
		p.Add("unmatched", "must be true or false")
	}
	var err error
	if f.Limit, err = queryInt(r, "limit", 0); err != nil {
		return f, err
	}
	if f.Offset, err = queryInt(r, "offset", 0); err != nil {
		return f, err
	}
	if err := p.Err(); err != nil {
		return f, err
	}
	return f, f.Validate()
}

func (s *Server) apiListEnquiries(w http.ResponseWriter, r *http.Request) {
	f, err := enquiryFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, total, err := s.Enquiries.FindEnquiries(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []*enquiry.Enquiry{}
	}
	writeJSON(w, http.StatusOK, enquiryList{Enquiries: list, Total: total})
}

func (s *Server) apiCreateEnquiry(w http.ResponseWriter, r *http.Request) {
	var in enquiry.Input
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.Enquiries.CreateEnquiry(r.Context(), &in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/enquiries/"+strconv.FormatInt(e.ID, 10))
	writeJSON(w, http.StatusCreated, e)
}

func (s *Server) apiEnquiryDuplicates(w http.ResponseWriter, r *http.Request) {
	var in enquiry.Input
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	dups, err := s.Enquiries.EnquiryDuplicates(r.Context(), &in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if dups == nil {
		dups = []*enquiry.Duplicate{}
	}
	writeJSON(w, http.StatusOK, enquiryDuplicates{Duplicates: dups})
}

func (s *Server) apiGetEnquiry(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Enquiries.EnquiryDetail(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Replies == nil {
		d.Replies = []*enquiry.Reply{}
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiEnquiryEvents(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, err := s.Enquiries.EnquiryEvents(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if events == nil {
		events = []*enquiry.Event{}
	}
	writeJSON(w, http.StatusOK, enquiryEvents{Events: events})
}

// enquiryAction is the shape of every change: read the id and the body,
// make the change, answer with the enquiry as it now is.
func enquiryAction[T any](s *Server, do func(r *http.Request, id int64, in *T) (*enquiry.Enquiry, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var in T
		if err := decodeJSON(w, r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		e, err := do(r, id, &in)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, e)
	}
}

func (s *Server) apiTransitionEnquiry() http.HandlerFunc {
	return enquiryAction(s, func(r *http.Request, id int64, in *enquiry.TransitionInput) (*enquiry.Enquiry, error) {
		return s.Enquiries.TransitionEnquiry(r.Context(), id, *in)
	})
}

func (s *Server) apiHoldingReply() http.HandlerFunc {
	return enquiryAction(s, func(r *http.Request, id int64, in *enquiry.HoldingReplyInput) (*enquiry.Enquiry, error) {
		return s.Enquiries.SendHoldingReply(r.Context(), id, *in)
	})
}

func (s *Server) apiAnswerEnquiry() http.HandlerFunc {
	return enquiryAction(s, func(r *http.Request, id int64, in *enquiry.ReplyInput) (*enquiry.Enquiry, error) {
		return s.Enquiries.AnswerEnquiry(r.Context(), id, *in)
	})
}

func (s *Server) apiAddEnquiryNote(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in enquiryNoteInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.Enquiries.AddEnquiryNote(r.Context(), id, in.Text)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, n)
}

// apiEnquiryReport answers the performance figures as JSON, or as CSV with
// ?format=csv.
func (s *Server) apiEnquiryReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := enquiry.ReportFilter{From: q.Get("from"), To: q.Get("to"), Team: q.Get("team"), Category: q.Get("category"), Urgency: q.Get("urgency")}
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" {
		s.fail(w, r, tether.Invalid("format", "must be json or csv"))
		return
	}
	rep, err := s.Enquiries.EnquiryReport(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format != "csv" {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="enquiries-`+rep.From+`-to-`+rep.To+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.Bytes())
}

func (s *Server) apiEnquiryTeams(w http.ResponseWriter, r *http.Request) {
	teams, err := s.Enquiries.EnquiryTeams(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if teams == nil {
		teams = []*enquiry.TeamInfo{}
	}
	writeJSON(w, http.StatusOK, enquiryTeams{Teams: teams})
}

func (s *Server) apiSetTeamLead(w http.ResponseWriter, r *http.Request) {
	var in teamLeadInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Enquiries.SetEnquiryTeamLead(r.Context(), in.Team, in.UserID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.apiEnquiryTeams(w, r)
}
