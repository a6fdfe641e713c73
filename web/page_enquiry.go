package web

import (
	"net/http"
	"strconv"
	"strings"

	"tether"
	"tether/enquiry"
	"tether/reference"
)

// One enquiry's page: for its office, where it stands, when it is due and
// why, any holding reply and the answer; for the enquiries team, that and
// the matching, routing and assignment, the internal notes, the replies
// sent with their proof, the history, and the forms of the workflow.

var (
	enquiryEventNames = map[string]string{
		enquiry.EventReceived: "Received", enquiry.EventMatched: "Matched to a person", enquiry.EventTriaged: "Checked and routed",
		enquiry.EventTeam: "Routed to a team", enquiry.EventCategory: "Category changed", enquiry.EventAssigned: "Given to a caseworker",
		enquiry.EventStarted: "Work started", enquiry.EventHoldingReply: "Holding reply sent", enquiry.EventAnswered: "Answered",
		enquiry.EventClosed: "Closed", enquiry.EventReopened: "Reopened", enquiry.EventWarning: "Due date near: caseworker and team lead warned",
		enquiry.EventBreach: "Due date passed without an answer", enquiry.EventDueChanged: "Due date changed",
		enquiry.EventReplySent: "Reply sent", enquiry.EventReplyFailed: "Reply could not be sent",
	}
	// enquiryBanners are the banners after a change, by ?done=.
	enquiryBanners = map[string]string{
		"triage": "Enquiry checked and routed", "assign": "Enquiry given to a caseworker", "start": "Work started",
		"close": "Enquiry closed", "reopen": "Enquiry reopened", "note": "Note added",
		"holding": "Holding reply sent", "answer": "Answer sent",
	}
	matchNames = map[string]string{
		enquiry.MatchReference: "By the reference given", enquiry.MatchNameDOB: "By the name and date of birth given",
		enquiry.MatchTriage: "By a caseworker at triage", enquiry.MatchNone: "Not matched",
	}
	replyKindNames = map[string]string{enquiry.ReplyHolding: "Holding reply", enquiry.ReplyAnswer: "Answer"}
)

// enquiryPage is one enquiry.
type enquiryPage struct {
	layout
	E       enquiryRow
	Office  bool
	Replies []replyView
	Events  []enquiryEventView
	Notes   []*enquiry.Note
	// Staff only.
	TeamName    string
	BasisWords  string
	MatchName   string
	Assignees   []option
	Teams       []option
	Categories  []option
	DuePassed   bool // an open enquiry past its due date: a holding reply is too late
	CanTriage   bool
	CanAssign   bool
	CanStart    bool
	CanHolding  bool
	CanAnswer   bool
	CanClose    bool
	CanReopen   bool
	ReplyLink   string
	HoldingLink string
}

type replyView struct {
	*enquiry.Reply
	KindName string
}

type enquiryEventView struct {
	*enquiry.Event
	ActionName string
	Actor      string
	Change     string
}

// mayAct says whether the user may take the action on the enquiry, as the
// store decides it: the workflow allows it from the state, and once the
// enquiry is assigned, only the assignee or an administrator starts,
// replies to, closes or reopens it.
func mayAct(u *tether.User, e *enquiry.Enquiry, action string) bool {
	if _, err := enquiry.Next(e.State, action); err != nil {
		return false
	}
	switch action {
	case enquiry.ActionStart, enquiry.ActionHolding, enquiry.ActionAnswer, enquiry.ActionClose, enquiry.ActionReopen:
		return u.Role == tether.RoleAdmin || e.Assignee == nil || *e.Assignee == u.ID
	}
	return true
}

func (s *Server) pageEnquiry(w http.ResponseWriter, r *http.Request) {
	s.showEnquiry(w, r, http.StatusOK, nil)
}

// showEnquiry renders an enquiry's page; f carries a refused form's values
// and errors, nil for a fresh page.
func (s *Server) showEnquiry(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Enquiries.EnquiryDetail(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, err := s.Enquiries.EnquiryEvents(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := currentUser(r)
	e := d.Enquiry
	p := enquiryPage{layout: s.newLayout(r, "Enquiry "+e.Ref), E: s.enquiryRow(e), Office: isOfficeUser(u), Notes: d.Notes}
	p.Nav, p.Back = "enquiries", "/enquiries"
	if !p.Office && e.State == enquiry.StateReceived {
		p.Back = "/enquiries/triage"
	}
	p.Success = enquiryBanners[r.URL.Query().Get("done")]
	if r.URL.Query().Get("done") == "raised" {
		p.Success = "Enquiry raised: your reference is " + e.Ref
	}
	for _, rp := range d.Replies {
		p.Replies = append(p.Replies, replyView{Reply: rp, KindName: nameOr(replyKindNames, rp.Kind)})
	}
	names := map[string]string{}
	if !p.Office {
		p.BasisWords = upperFirst(enquiry.BasisWords(e.Authority.Basis))
		p.MatchName = nameOr(matchNames, e.Match)
		p.Teams = s.teamOptions(ctx)
		p.TeamName = optionText(p.Teams, e.Team)
		p.Categories = categoryOptions()
		if s.Tasks != nil {
			if users, err := s.Tasks.TaskAssignees(ctx, tether.QueueEnquiries); err == nil {
				for _, au := range users {
					names[tether.UserRef(au.ID)] = au.Name
					if e.Assignee == nil || *e.Assignee != au.ID {
						p.Assignees = append(p.Assignees, option{strconv.FormatInt(au.ID, 10), au.Name})
					}
				}
			}
		}
		p.CanTriage = mayAct(u, e, enquiry.ActionTriage)
		p.CanAssign = mayAct(u, e, enquiry.ActionAssign)
		p.CanStart = mayAct(u, e, enquiry.ActionStart)
		p.CanAnswer = mayAct(u, e, enquiry.ActionAnswer)
		p.DuePassed = e.Open() && e.DueOn < s.today()
		p.CanHolding = mayAct(u, e, enquiry.ActionHolding) && !p.DuePassed
		p.CanClose = mayAct(u, e, enquiry.ActionClose)
		p.CanReopen = mayAct(u, e, enquiry.ActionReopen)
		base := "/enquiries/" + strconv.FormatInt(e.ID, 10)
		p.ReplyLink, p.HoldingLink = base+"/reply", base+"/holding-reply"
	}
	for _, ev := range events {
		p.Events = append(p.Events, enquiryEventView{Event: ev, ActionName: nameOr(enquiryEventNames, ev.Action),
			Actor: or(ev.ActorName, ev.Actor), Change: enquiryEventChange(ev, names, p.Teams)})
	}
	if f == nil {
		f = newForm(nil)
	}
	// The triage form starts from the enquiry's category and team.
	if f.Value("category") == "" {
		f.Values.Set("category", e.Category)
	}
	if f.Value("triage-team") == "" {
		f.Values.Set("triage-team", e.Team)
	}
	p.Form = f
	s.render(w, r, status, "enquiry", p)
}

// enquiryEventChange says in words what an enquiry event changed.
func enquiryEventChange(e *enquiry.Event, names map[string]string, teams []option) string {
	user := func(ref string) string {
		if n := names[ref]; n != "" {
			return n
		}
		if ref == "" {
			return "nobody"
		}
		return "another caseworker"
	}
	switch e.Action {
	case enquiry.EventDueChanged, enquiry.EventHoldingReply:
		if e.From != "" && e.To != "" {
			return "from " + displayDay(e.From) + " to " + displayDay(e.To)
		}
	case enquiry.EventAssigned:
		if e.From != "" {
			return "from " + user(e.From) + " to " + user(e.To)
		}
		return "to " + user(e.To)
	case enquiry.EventTeam:
		return "to " + optionText(teams, e.To)
	case enquiry.EventCategory:
		return "from " + enquiry.CategoryWords(e.From) + " to " + enquiry.CategoryWords(e.To)
	case enquiry.EventMatched:
		return e.To
	}
	return ""
}

// Enquiry changes from the enquiry page.
type enquiryActionKind string

const (
	enquiryTriage enquiryActionKind = "triage"
	enquiryAssign enquiryActionKind = "assign"
	enquiryStart  enquiryActionKind = "start"
	enquiryClose  enquiryActionKind = "close"
	enquiryReopen enquiryActionKind = "reopen"
	enquiryNote   enquiryActionKind = "note"
)

// enquiryActionFields maps the store's field keys onto each form of the
// enquiry page.
var enquiryActionFields = map[enquiryActionKind][]fieldSpec{
	enquiryTriage: {{Key: "person_id", ID: "person_ref", Label: "Reference"}, {Key: "category", ID: "category", Label: "Category"},
		{Key: "team", ID: "triage-team", Label: "Team"}, {Key: "note", ID: "triage-note", Label: "Note"}},
	enquiryAssign: {{Key: "assignee", ID: "assignee", Label: "Caseworker", Required: "Choose who to give the enquiry to"},
		{Key: "team", ID: "assign-team", Label: "Team"}, {Key: "note", ID: "assign-note", Label: "Note"}},
	enquiryClose:  {{Key: "note", ID: "close-note", Label: "Note"}},
	enquiryReopen: {{Key: "note", ID: "reopen-note", Label: "Why", Required: "Enter why the enquiry is reopened"}},
	enquiryNote:   {{Key: "text", ID: "note-text", Label: "Note", Required: "Enter the note"}},
}

// enquiryFallback is where a refusal without a field of its own is shown.
var enquiryFallback = map[enquiryActionKind]string{
	enquiryTriage: "triage-note", enquiryAssign: "assignee", enquiryClose: "close-note", enquiryReopen: "reopen-note",
	enquiryNote: "note-text",
}

// pageEnquiryAction makes one change from the enquiry page's forms: on
// success back to the enquiry with a banner; a refusal shows the page
// again with the form's errors (400), or, when someone changed it first
// or the workflow does not allow it, with what happened at the top (409).
func (s *Server) pageEnquiryAction(kind enquiryActionKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := parseForm(w, r); err != nil {
			s.fail(w, r, err)
			return
		}
		ctx := r.Context()
		v := r.PostForm
		version := 0
		if text := v.Get("version"); text != "" {
			if version, err = strconv.Atoi(text); err != nil {
				version = -1
			}
		}
		switch kind {
		case enquiryTriage:
			in := enquiry.TransitionInput{Action: enquiry.ActionTriage, Version: version, Note: v.Get("triage-note"),
				Team: v.Get("triage-team"), Category: v.Get("category")}
			if ref := strings.ToUpper(strings.TrimSpace(v.Get("person_ref"))); ref != "" {
				if !reference.Valid(ref) {
					err = tether.Invalid("person_id", "enter a reference like TH-04817263K")
					break
				}
				p, perr := s.People.FindPersonByRef(ctx, ref)
				if tether.ErrorCode(perr) == tether.ENOTFOUND {
					err = tether.Invalid("person_id", "no person has this reference")
					break
				} else if perr != nil {
					err = perr
					break
				}
				in.PersonID = &p.ID
			}
			_, err = s.Enquiries.TransitionEnquiry(ctx, id, in)
		case enquiryAssign:
			to, perr := strconv.ParseInt(v.Get("assignee"), 10, 64)
			if perr != nil || to <= 0 {
				err = tether.Invalid("assignee", "choose who to give the enquiry to")
				break
			}
			_, err = s.Enquiries.TransitionEnquiry(ctx, id, enquiry.TransitionInput{Action: enquiry.ActionAssign, Version: version,
				Assignee: &to, Team: v.Get("assign-team"), Note: v.Get("assign-note")})
		case enquiryStart:
			_, err = s.Enquiries.TransitionEnquiry(ctx, id, enquiry.TransitionInput{Action: enquiry.ActionStart, Version: version})
		case enquiryClose:
			_, err = s.Enquiries.TransitionEnquiry(ctx, id, enquiry.TransitionInput{Action: enquiry.ActionClose, Version: version,
				Note: v.Get("close-note")})
		case enquiryReopen:
			_, err = s.Enquiries.TransitionEnquiry(ctx, id, enquiry.TransitionInput{Action: enquiry.ActionReopen, Version: version,
				Note: v.Get("reopen-note")})
		case enquiryNote:
			_, err = s.Enquiries.AddEnquiryNote(ctx, id, v.Get("note-text"))
		}
		switch tether.ErrorCode(err) {
		case "":
			http.Redirect(w, r, "/enquiries/"+strconv.FormatInt(id, 10)+"?done="+string(kind), http.StatusSeeOther)
			return
		case tether.EINVALID, tether.ECONFLICT:
		default:
			s.fail(w, r, err)
			return
		}
		f := newForm(v)
		status := http.StatusBadRequest
		if tether.ErrorCode(err) == tether.ECONFLICT || len(tether.ErrorFields(err)) == 0 {
			if tether.ErrorCode(err) == tether.ECONFLICT {
				status = http.StatusConflict
			}
			f.notice("enquiry-summary", tether.ErrorMessage(err))
		} else {
			f.addDomainErrors(err, enquiryActionFields[kind], enquiryFallback[kind])
		}
		s.showEnquiry(w, r, status, f)
	}
}
