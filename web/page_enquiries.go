package web

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"tether"
	"tether/enquiry"
)

// The enquiry pages. An office's user raises enquiries, lists its own by
// due date (with filters and a CSV export) and reads each one as the
// office sees it: its status, when it is due and why, any holding reply
// and its new date, and the answer, never the department's notes nor
// anything of another office (the store answers "not found" and audits
// the attempt). The enquiries team triages and assigns them, works each
// one from its page (page_enquiry.go), writes holding replies and answers
// (page_enquiry_reply.go) and reads the performance report
// (page_enquiry_report.go).

// Words and colours for the enquiries' codes, as pages show them.
var (
	enquiryStateColours = map[string]string{
		enquiry.StateReceived: "light-blue", enquiry.StateTriaged: "blue", enquiry.StateAssigned: "purple",
		enquiry.StateInProgress: "turquoise", enquiry.StateAnswered: "green", enquiry.StateClosed: "grey",
	}
	urgencyNames = map[string]string{
		enquiry.UrgencyRoutine: "Routine", enquiry.UrgencyUrgent: "Urgent", enquiry.UrgencyCompassionate: "Compassionate",
	}
	urgencyColours = map[string]string{
		enquiry.UrgencyRoutine: "grey", enquiry.UrgencyUrgent: "red", enquiry.UrgencyCompassionate: "orange",
	}
	urgencyHints = map[string]string{
		enquiry.UrgencyRoutine:       "Answered within 20 working days",
		enquiry.UrgencyUrgent:        "Someone is at risk of harm, or a decision or removal is imminent: answered within 2 working days",
		enquiry.UrgencyCompassionate: "A death, serious illness or similar in the family: answered within 2 working days",
	}
)

// maxEnquiryExport is the most enquiries one CSV export holds: more must
// be narrowed by the filters.
const maxEnquiryExport = 10000

// isOfficeUser reports whether the user is an office's (an organisation's).
func isOfficeUser(u *tether.User) bool { return u != nil && u.Role == tether.RoleOrganisation }

// enquiryRow is an enquiry in a list or on its page, with its codes in
// words.
type enquiryRow struct {
	*enquiry.Enquiry
	StateName, StateColour     string
	CategoryName               string
	UrgencyName, UrgencyColour string
	// About is whom it is about, as the office gave it.
	About             string
	Overdue, DueToday bool
}

func (s *Server) enquiryRow(e *enquiry.Enquiry) enquiryRow {
	today := s.today()
	return enquiryRow{Enquiry: e, StateName: enquiry.StateWords(e.State), StateColour: enquiryStateColours[e.State],
		CategoryName: enquiry.CategoryWords(e.Category), UrgencyName: nameOr(urgencyNames, e.Urgency),
		UrgencyColour: urgencyColours[e.Urgency], About: subjectWords(e.Subject),
		Overdue: e.Open() && e.DueOn < today, DueToday: e.Open() && e.DueOn == today}
}

func (s *Server) enquiryRows(es []*enquiry.Enquiry) []enquiryRow {
	rows := make([]enquiryRow, 0, len(es))
	for _, e := range es {
		rows = append(rows, s.enquiryRow(e))
	}
	return rows
}

// subjectWords is the subject as the office gave it: "Amina Yusuf
// (TH-04817263K)", "Amina Yusuf, born 17 May 1990", or the reference.
func subjectWords(sub enquiry.Subject) string {
	name := sub.Name()
	switch {
	case name != "" && sub.Ref != "":
		return name + " (" + sub.Ref + ")"
	case name != "" && sub.DateOfBirth != "":
		return name + ", born " + displayDay(sub.DateOfBirth)
	case name != "":
		return name
	}
	return sub.Ref
}

// enquiryOptions are the choices the enquiry forms and filters offer.
func categoryOptions() []option {
	var opts []option
	for _, c := range enquiry.Categories {
		opts = append(opts, option{c, enquiry.CategoryWords(c)})
	}
	return opts
}

func urgencyOptions() []option {
	var opts []option
	for _, u := range enquiry.Urgencies {
		opts = append(opts, option{u, urgencyNames[u]})
	}
	return opts
}

// stateAll is the department's "any status" in a list's filter: its list
// starts with the open enquiries.
const stateAll = "all"

// enquiryStateOptions are the list's status filter; the department's has
// "any status" as a choice of its own, an office's as the empty one.
func enquiryStateOptions(office bool) []option {
	opts := []option{{enquiry.StateOpen, "Still to be answered"}}
	for _, st := range enquiry.States {
		opts = append(opts, option{st, enquiry.StateWords(st)})
	}
	if !office {
		opts = append(opts, option{stateAll, "Any status"})
	}
	return opts
}

// teamOptions lists the teams that answer enquiries, for staff; an empty
// list for a role that may not read them.
func (s *Server) teamOptions(ctx context.Context) []option {
	teams, err := s.Enquiries.EnquiryTeams(ctx)
	if err != nil {
		return nil
	}
	var opts []option
	for _, t := range teams {
		opts = append(opts, option{t.Key, t.Name})
	}
	return opts
}

// optionText is the text of the option with the value, or the value.
func optionText(opts []option, value string) string {
	for _, o := range opts {
		if o.Value == value {
			return o.Text
		}
	}
	return value
}

// enquiryQuery is a list's filters as the query string gives them: the
// filter for the store, the values for the form and links, the page.
type enquiryQuery struct {
	filter enquiry.Filter
	values url.Values
	page   int
}

// readEnquiryQuery reads the list's filters; values that are not valid
// are left out, as the other lists do. "overdue" selects open enquiries
// past their due date; an office's user has no team, "mine" nor
// "unmatched" filter.
func (s *Server) readEnquiryQuery(r *http.Request) enquiryQuery {
	u := currentUser(r)
	q := r.URL.Query()
	eq := enquiryQuery{values: url.Values{}}
	set := func(name, v string) {
		if v != "" {
			eq.values.Set(name, v)
		}
	}
	f := &eq.filter
	office := isOfficeUser(u)
	switch st := q.Get("state"); {
	case st == enquiry.StateOpen || slices.Contains(enquiry.States, st):
		f.State = st
	case st == stateAll && !office:
		set("state", stateAll)
	case st == "" && !office:
		// The department's list starts with the enquiries still to be
		// answered: a million answered ones are the report's business.
		f.State = enquiry.StateOpen
	}
	if c := q.Get("category"); slices.Contains(enquiry.Categories, c) {
		f.Category = c
	}
	if ug := q.Get("urgency"); slices.Contains(enquiry.Urgencies, ug) {
		f.Urgency = ug
	}
	if q.Get("overdue") == "yes" {
		if f.State == "" || !enquiry.IsOpen(f.State) {
			f.State = enquiry.StateOpen
		}
		f.DueBefore = s.today()
		set("overdue", "yes")
	}
	if !office {
		if t := q.Get("team"); t != "" && len(t) <= 40 && strings.Trim(t, "abcdefghijklmnopqrstuvwxyz0123456789-") == "" {
			f.Team = t
		}
		if q.Get("mine") == "yes" && u != nil {
			f.Assignee = &u.ID
			set("mine", "yes")
		}
		if q.Get("unmatched") == "yes" {
			f.Unmatched = true
			set("unmatched", "yes")
		}
	}
	if f.State != "" {
		set("state", f.State)
	}
	set("category", f.Category)
	set("urgency", f.Urgency)
	set("team", f.Team)
	eq.page = 1
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		eq.page = n
	}
	return eq
}

// link is the list's address with its filters, on page n (0 for none).
func (eq enquiryQuery) link(base string, n int) string {
	v := url.Values{}
	for k, vs := range eq.values {
		v[k] = vs
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// enquiriesPage is an office's list of its enquiries, or the
// department's list of all of them.
type enquiriesPage struct {
	layout
	Office  bool
	OrgName string
	// Filtered: the list is filtered, so that "none" says "none match".
	Filtered                             bool
	Enquiries                            []enquiryRow
	Total                                int
	Pages                                pagination
	States, Categories, Urgencies, Teams []option
	Export                               string
	// StatusEmpty is the status filter's empty choice: an office's "any".
	StatusEmpty                            string
	TriageLink, ReportLink, NewLink, Clear string
}

func (s *Server) pageEnquiries(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(r)
	eq := s.readEnquiryQuery(r)
	f := eq.filter
	f.Limit, f.Offset = peoplePerPage, (eq.page-1)*peoplePerPage
	es, total, err := s.Enquiries.FindEnquiries(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	office := isOfficeUser(u)
	title := "Enquiries"
	if office {
		title = "Your enquiries"
	}
	p := enquiriesPage{layout: s.newLayout(r, title), Office: office, Enquiries: s.enquiryRows(es), Total: total,
		Filtered: chosenFilters(r), States: enquiryStateOptions(office), Categories: categoryOptions(), Urgencies: urgencyOptions(),
		Export: eq.link("/enquiries/export.csv", 0), NewLink: "/enquiries/new", Clear: "/enquiries"}
	if office {
		p.StatusEmpty = "Any status"
	}
	p.Nav = "enquiries"
	p.Form = newForm(eq.values)
	if office {
		if o, err := s.Users.FindOrganisationByID(ctx, *u.OrganisationID); err == nil {
			p.OrgName = o.Name
		}
	} else {
		p.Teams = s.teamOptions(ctx)
		p.TriageLink = "/enquiries/triage"
		p.ReportLink = "/enquiries/report"
	}
	p.Pages = paginate(eq.page, total, len(es), func(n int) string { return eq.link("/enquiries", n) })
	s.render(w, r, http.StatusOK, "enquiries", p)
}

// pageEnquiriesCSV exports the list, with the same filters, as CSV: what
// the office sees for an office's user; the department's columns too for
// staff. Names are as the office gave them; a value that a spreadsheet
// would take for a formula is written as text.
func (s *Server) pageEnquiriesCSV(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(r)
	eq := s.readEnquiryQuery(r)
	f := eq.filter
	f.Limit = 500
	var all []*enquiry.Enquiry
	for {
		es, total, err := s.Enquiries.FindEnquiries(ctx, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if total > maxEnquiryExport {
			s.fail(w, r, tether.Errorf(tether.EINVALID, "%s enquiries match: an export holds at most %s. Narrow the filters.",
				commaDigits(strconv.Itoa(total)), commaDigits(strconv.Itoa(maxEnquiryExport))))
			return
		}
		all = append(all, es...)
		if len(es) == 0 || len(all) >= total {
			break
		}
		f.Offset += len(es)
	}
	office := isOfficeUser(u)
	header := []string{"reference", "received_on", "about", "category", "urgency", "status", "due_on",
		"holding_reply_new_date", "answered_on", "working_days_taken", "within_standard"}
	if !office {
		header = append(header, "organisation", "person_ref", "team", "assignee")
	}
	var b strings.Builder
	cw := csv.NewWriter(&b)
	_ = cw.Write(header)
	for _, e := range all {
		holding, days, within := "", "", ""
		if e.Holding != nil {
			holding = e.Holding.NewDate
		}
		if e.WorkingDaysTaken != nil {
			days = strconv.Itoa(*e.WorkingDaysTaken)
		}
		if e.WithinStandard != nil {
			within = map[bool]string{true: "yes", false: "no"}[*e.WithinStandard]
		}
		rec := []string{e.Ref, e.ReceivedOn, csvText(subjectWords(e.Subject)), e.Category, e.Urgency, e.State, e.DueOn,
			holding, e.AnsweredOn, days, within}
		if !office {
			rec = append(rec, csvText(e.OrganisationName), e.PersonRef, e.Team, csvText(e.AssigneeName))
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="enquiries-`+s.today()+`.csv"`)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
}

// chosenFilters reports whether the user chose any of the list's filters.
func chosenFilters(r *http.Request) bool {
	for k, v := range r.URL.Query() {
		if k != "page" && len(v) > 0 && v[0] != "" {
			return true
		}
	}
	return false
}

// csvText keeps a spreadsheet from reading a value as a formula.
func csvText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// triagePage is the enquiries team's triage: enquiries still to be
// checked and routed, those not matched to a person, and those waiting
// for a caseworker.
type triagePage struct {
	layout
	Received, Unmatched, Unassigned                []enquiryRow
	ReceivedTotal, UnmatchedTotal, UnassignedTotal int
}

// triageLimit is how many of each the triage page shows; the list,
// filtered the same way, shows the rest.
const triageLimit = 20

func (s *Server) pageEnquiryTriage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := triagePage{layout: s.newLayout(r, "Triage")}
	p.Nav, p.Back = "enquiries", "/enquiries"
	for _, l := range []struct {
		f     enquiry.Filter
		rows  *[]enquiryRow
		total *int
	}{
		{enquiry.Filter{State: enquiry.StateReceived, Limit: triageLimit}, &p.Received, &p.ReceivedTotal},
		{enquiry.Filter{Unmatched: true, Limit: triageLimit}, &p.Unmatched, &p.UnmatchedTotal},
		{enquiry.Filter{State: enquiry.StateTriaged, Limit: triageLimit}, &p.Unassigned, &p.UnassignedTotal},
	} {
		es, total, err := s.Enquiries.FindEnquiries(ctx, l.f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		*l.rows, *l.total = s.enquiryRows(es), total
	}
	s.render(w, r, http.StatusOK, "enquiry_triage", p)
}

// enquiryFormPage is the form that raises an enquiry: an office's user
// raises its own; staff record one an office sent by letter or email,
// naming the office.
type enquiryFormPage struct {
	layout
	Office        bool
	OrgName       string
	Organisations []option
	Categories    []option
	Urgencies     []radioOption
	Bases         []radioOption
	// Duplicates are the office's open enquiries this one may repeat: a
	// warning with links, and a way to send it anyway.
	Duplicates []duplicateRow
}

// radioOption is a radio with a hint.
type radioOption struct{ Value, Text, Hint string }

type duplicateRow struct {
	*enquiry.Duplicate
	StateName, CategoryName string
}

// enquiryFields maps the store's field keys onto the form, in page order.
var enquiryFields = []fieldSpec{
	{Key: "organisation_id", ID: "organisation_id", Label: "Office", Required: "Choose the office the enquiry came from"},
	{Key: "subject.ref", ID: "subject_ref", Label: "Reference"},
	{Key: "subject.family_name", ID: "family_name", Label: "Family name"},
	{Key: "subject.given_names", ID: "given_names", Label: "Given names"},
	{Key: "subject.date_of_birth", ID: "dob", Focus: "dob-day", Label: "Date of birth"},
	{Key: "question", ID: "question", Label: "Your question", Required: "Enter your question"},
	{Key: "category", ID: "category", Label: "What it is about", Required: "Choose what the enquiry is about"},
	{Key: "urgency", ID: "urgency", Label: "How urgent it is", Required: "Choose how urgent the enquiry is"},
	{Key: "urgency_reason", ID: "urgency_reason", Label: "Why it is urgent"},
	{Key: "authority.basis", ID: "basis", Label: "Consent or authority"},
	{Key: "authority.given_on", ID: "given_on", Focus: "given_on-day", Label: "Date given"},
	{Key: "authority.note", ID: "authority_note", Label: "Note"},
	{Key: "acknowledge_duplicates", ID: "question", Label: "Your question"},
}

func (s *Server) newEnquiryForm(w http.ResponseWriter, r *http.Request, v url.Values) (*enquiryFormPage, bool) {
	ctx := r.Context()
	u := currentUser(r)
	p := &enquiryFormPage{layout: s.newLayout(r, "Raise an enquiry"), Office: isOfficeUser(u), Categories: categoryOptions()}
	p.Nav, p.Back = "enquiries", "/enquiries"
	p.Form = newForm(v)
	for _, ug := range enquiry.Urgencies {
		p.Urgencies = append(p.Urgencies, radioOption{ug, urgencyNames[ug], urgencyHints[ug]})
	}
	bases := enquiry.Bases
	orgs, err := s.Users.FindOrganisations(ctx)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if p.Office {
		for _, o := range orgs {
			if u.OrganisationID != nil && o.ID == *u.OrganisationID {
				p.OrgName = o.Name
				bases = enquiry.BasesFor(o.Kind)
			}
		}
	} else {
		for _, o := range orgs {
			p.Organisations = append(p.Organisations, option{strconv.FormatInt(o.ID, 10), o.Name})
		}
	}
	for _, b := range bases {
		hint := ""
		if b == enquiry.BasisRecordedRepresentative {
			hint = "Only when the department's records already show your organisation as their representative"
		}
		p.Bases = append(p.Bases, radioOption{b, upperFirst(enquiry.BasisWords(b)), hint})
	}
	return p, true
}

func (s *Server) pageNewEnquiry(w http.ResponseWriter, r *http.Request) {
	v := url.Values{}
	if ref := r.URL.Query().Get("ref"); ref != "" {
		v.Set("subject_ref", ref)
	}
	p, ok := s.newEnquiryForm(w, r, v)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "enquiry_form", p)
}

// readEnquiryForm reads the raise form into an input; problems the form
// itself finds (an organisation that is not a number, a date of birth that
// is not a real or whole date) go onto f, and it returns false.
func readEnquiryForm(f *form, office bool) (*enquiry.Input, bool) {
	v := f.Values
	ok := true
	in := &enquiry.Input{
		Subject:  enquiry.Subject{Ref: v.Get("subject_ref"), FamilyName: v.Get("family_name"), GivenNames: v.Get("given_names")},
		Question: v.Get("question"), Category: v.Get("category"), Urgency: v.Get("urgency"),
		Authority:             enquiry.Authority{Basis: v.Get("basis"), Note: v.Get("authority_note")},
		AcknowledgeDuplicates: v.Get("acknowledge_duplicates") == "yes",
	}
	if enquiry.NeedsReason(in.Urgency) {
		in.UrgencyReason = v.Get("urgency_reason")
	}
	if !office {
		if text := v.Get("organisation_id"); text != "" {
			id, err := strconv.ParseInt(text, 10, 64)
			if err != nil || id <= 0 {
				f.add("organisation_id", "", "Choose the office the enquiry came from", 0)
				ok = false
			}
			in.OrganisationID = id
		}
	}
	if d, good := dateInput(f, "dob", "Date of birth", 4); !good {
		ok = false
	} else if d.Year != 0 && d.Day == 0 {
		f.add("dob", "dob-day", "Date of birth must include a day and month", 4)
		ok = false
	} else {
		in.Subject.DateOfBirth = d.String()
	}
	if in.Authority.Basis != enquiry.BasisRecordedRepresentative {
		if d, good := dateInput(f, "given_on", "The date given", 10); !good {
			ok = false
		} else if d.Year != 0 && d.Day == 0 {
			f.add("given_on", "given_on-day", "The date given must include a day and month", 10)
			ok = false
		} else {
			in.Authority.GivenOn = d.String()
		}
	}
	return in, ok
}

func (s *Server) pageCreateEnquiry(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	f := newForm(r.PostForm)
	in, ok := readEnquiryForm(f, isOfficeUser(currentUser(r)))
	show := func(status int, err error, dups []*enquiry.Duplicate) {
		p, ok := s.newEnquiryForm(w, r, r.PostForm)
		if !ok {
			return
		}
		p.Form = f
		if err != nil {
			chooseMessages(f, err, []choiceMessage{{"authority.basis", "basis", "Choose the person's consent or your authority", 9}})
			p.Form.addDomainErrors(err, enquiryFields, "question")
		}
		for _, d := range dups {
			p.Duplicates = append(p.Duplicates, duplicateRow{Duplicate: d, StateName: enquiry.StateWords(d.State),
				CategoryName: enquiry.CategoryWords(d.Category)})
		}
		s.render(w, r, status, "enquiry_form", p)
	}
	if !ok {
		// The form's own problems, with the store's about the rest;
		// nothing is raised.
		_, err := s.Enquiries.EnquiryDuplicates(ctx, in)
		if tether.ErrorCode(err) != tether.EINVALID {
			err = nil
		}
		show(http.StatusBadRequest, err, nil)
		return
	}
	e, err := s.Enquiries.CreateEnquiry(ctx, in)
	switch tether.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/enquiries/"+strconv.FormatInt(e.ID, 10)+"?done=raised", http.StatusSeeOther)
	case tether.EINVALID:
		show(http.StatusBadRequest, err, nil)
	case tether.ECONFLICT:
		// A likely duplicate: shown with links, and sent only if the user
		// says so.
		dups, derr := s.Enquiries.EnquiryDuplicates(ctx, in)
		if derr != nil {
			s.fail(w, r, derr)
			return
		}
		show(http.StatusOK, nil, dups)
	default:
		s.fail(w, r, err)
	}
}
