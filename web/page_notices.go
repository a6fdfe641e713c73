package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/compose"
)

// Words for the correspondence codes, as pages show them.
var (
	methodNames = map[string]string{
		tether.MethodPost: "Post", tether.MethodEmail: "Email", tether.MethodSMS: "Text message",
		tether.MethodHand: "By hand", tether.MethodFile: "To file",
	}
	channelNames = map[string]string{
		tether.SendNotifyEmail: "GOV.UK Notify email", tether.SendNotifySMS: "GOV.UK Notify text message",
		tether.SendNotifyLetter: "GOV.UK Notify letter", tether.SendSMTP: "Department email server",
		tether.SendPrint: "Department post room", tether.SendHand: "Handed over", tether.SendFile: "Placed on file",
	}
	templateChannelNames = map[string]string{
		tether.ChannelLetter: "Letters", tether.ChannelEmail: "Emails", tether.ChannelSMS: "Text messages",
	}
	templateKindNames = map[string]string{
		tether.KindDecision: "Decision", tether.KindBailNotice: "Bail notice", tether.KindReportingNotice: "Reporting notice",
		tether.KindReminder: "Reminder", tether.KindRequestContactDetails: "Request for contact details",
		tether.KindEnquiryReply: "Reply to an enquiry", tether.KindGeneral: "General",
	}
	noticeStateNames = map[string]string{
		tether.NoticeQueued: "Queued", tether.NoticeSending: "Sending", tether.NoticeSent: "Sent",
		tether.NoticeDelivered: "Delivered", tether.NoticeFailed: "Failed", tether.NoticeReturned: "Returned",
		tether.NoticeServedByHand: "Served by hand", tether.NoticeOnFile: "On file", tether.NoticeCancelled: "Cancelled",
	}
	noticeStateColours = map[string]string{
		tether.NoticeQueued: "grey", tether.NoticeSending: "light-blue", tether.NoticeSent: "blue",
		tether.NoticeDelivered: "green", tether.NoticeFailed: "red", tether.NoticeReturned: "red",
		tether.NoticeServedByHand: "turquoise", tether.NoticeOnFile: "orange", tether.NoticeCancelled: "grey",
	}
	versionStateNames = map[string]string{
		tether.TemplateStateDraft: "Draft", tether.TemplateStatePublished: "Published",
		tether.TemplateStatePublishedOver: "Below the bar", "retired": "Retired",
	}
)

// correspondenceFuncs are the template funcs of the correspondence pages.
var correspondenceFuncs = template.FuncMap{
	"methodName":          func(k string) string { return nameOr(methodNames, k) },
	"channelName":         func(k string) string { return nameOr(channelNames, k) },
	"templateChannelName": func(k string) string { return nameOr(templateChannelNames, k) },
	"templateKindName":    func(k string) string { return nameOr(templateKindNames, k) },
	"versionStateName":    func(k string) string { return nameOr(versionStateNames, k) },
	"day":                 displayDay,
	"oneDecimal":          func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
}

// displayDay shows a YYYY-MM-DD day as "2 March 2026"; anything else as it is.
func displayDay(s string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return d.Format("2 January 2006")
}

// noticeRow is a notice in a list.
type noticeRow struct {
	*tether.Notice
	StateName, StateColour string
	TemplateTitle          string // the template's title, or its key when it cannot be read
}

// noticeRows names each notice's state and template.
func (s *Server) noticeRows(ctx context.Context, ns []*tether.Notice) []noticeRow {
	titles := map[int64]string{}
	if len(ns) > 0 {
		if ts, err := s.Correspondence.FindTemplates(ctx); err == nil {
			for _, t := range ts {
				titles[t.ID] = t.Title
			}
		}
	}
	out := make([]noticeRow, 0, len(ns))
	for _, n := range ns {
		title := titles[n.TemplateID]
		if title == "" {
			title = n.TemplateKey
		}
		out = append(out, noticeRow{Notice: n, StateName: nameOr(noticeStateNames, n.State), StateColour: noticeStateColours[n.State],
			TemplateTitle: title})
	}
	return out
}

// personCorrespondence is the Correspondence section of a person's page.
type personCorrespondence struct {
	Shown   bool
	Notices []noticeRow
	Total   int
	// Tasks are the person's tasks still to do, in the queues the user
	// works.
	Tasks []taskRow
}

// loadPersonCorrespondence reads a person's notices and the tasks still to
// do about them for their page; only department users see notices, and
// only those who work tasks see tasks.
func (s *Server) loadPersonCorrespondence(r *http.Request, personID int64) (personCorrespondence, error) {
	var c personCorrespondence
	if s.Correspondence == nil || !isDepartment(currentUser(r)) {
		return c, nil
	}
	ns, total, err := s.Correspondence.FindNotices(r.Context(), tether.NoticeFilter{PersonID: &personID, Limit: 20})
	if err != nil {
		return c, err
	}
	c.Shown, c.Notices, c.Total = true, s.noticeRows(r.Context(), ns), total
	if s.Tasks != nil && tether.WorksTasks(currentUser(r).Role) {
		tasks, _, err := s.Tasks.FindTasks(r.Context(), tether.TaskFilter{PersonID: &personID, State: tether.TaskActive, Limit: 20})
		if err != nil {
			return c, err
		}
		c.Tasks = s.taskRows(tasks)
	}
	return c, nil
}

// templateChoice is a template on the send form, with the inputs for its
// placeholders.
type templateChoice struct {
	*tether.Template
	Radio  string // the radio's id
	Inputs []personalisationInput
	// Auto lists the placeholders filled in automatically.
	Auto []string
}

type personalisationInput struct {
	Name string // the placeholder
	ID   string // the input's id and name
}

// channelGroup is the templates of one channel.
type channelGroup struct {
	Channel   string
	Templates []templateChoice
}

// noticeForm is the send-a-notice page.
type noticeForm struct {
	layout
	Person *tether.Person
	Groups []channelGroup
	// NoRoute: the store found no working contact point, so the caseworker
	// must serve by hand or to file.
	NoRoute bool
}

// autoPlaceholders are filled in by the service from the person's record.
var autoPlaceholders = []string{"name", "reference", "today"}

// personalisationID is the id of the input for a template's placeholder.
func personalisationID(key, name string) string { return "p-" + key + "-" + compose.Normalise(name) }

func (s *Server) newNoticeForm(w http.ResponseWriter, r *http.Request, person *tether.Person, v url.Values) (*noticeForm, bool) {
	ts, err := s.Correspondence.FindTemplates(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	p := &noticeForm{layout: s.newLayout(r, "Send a notice"), Person: person}
	p.Nav, p.Back = "people", personURL(person.ID, "")
	p.Form = newForm(v)
	if _, ok := p.Form.Values["method"]; !ok {
		p.Form.Values.Set("method", "")
	}
	groups := map[string]*channelGroup{}
	first := true
	for _, t := range ts {
		if len(publishedVersions(t)) == 0 {
			continue
		}
		c := templateChoice{Template: t, Radio: "template_key-" + t.Key}
		if first {
			c.Radio, first = "template_key", false
		}
		for _, name := range t.Placeholders {
			if slices.Contains(autoPlaceholders, compose.Normalise(name)) {
				c.Auto = append(c.Auto, name)
				continue
			}
			c.Inputs = append(c.Inputs, personalisationInput{Name: name, ID: personalisationID(t.Key, name)})
		}
		g := groups[t.Channel]
		if g == nil {
			g = &channelGroup{Channel: t.Channel}
			groups[t.Channel] = g
		}
		g.Templates = append(g.Templates, c)
	}
	for _, ch := range []string{tether.ChannelLetter, tether.ChannelEmail, tether.ChannelSMS} {
		if g := groups[ch]; g != nil {
			p.Groups = append(p.Groups, *g)
		}
	}
	// The first radio's id must be "template_key" for the summary's link.
	if len(p.Groups) > 0 && len(p.Groups[0].Templates) > 0 {
		for gi := range p.Groups {
			for ti := range p.Groups[gi].Templates {
				p.Groups[gi].Templates[ti].Radio = "template_key-" + p.Groups[gi].Templates[ti].Key
			}
		}
		p.Groups[0].Templates[0].Radio = "template_key"
	}
	return p, true
}

// publishedVersions are the versions of t in use.
func publishedVersions(t *tether.Template) []*tether.TemplateVersion {
	var out []*tether.TemplateVersion
	for _, v := range t.Versions {
		if v.State == tether.TemplateStatePublished || v.State == tether.TemplateStatePublishedOver {
			out = append(out, v)
		}
	}
	return out
}

func (s *Server) pageNewNotice(w http.ResponseWriter, r *http.Request) {
	person, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	v := url.Values{}
	if k := r.URL.Query().Get("template"); k != "" {
		v.Set("template_key", k)
	}
	p, ok := s.newNoticeForm(w, r, person, v)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "notice_form", p)
}

// readNoticeForm reads the send form into a request: only the chosen
// template's personalisation inputs count.
func readNoticeForm(personID int64, v url.Values) *tether.NoticeRequest {
	req := &tether.NoticeRequest{PersonID: personID, TemplateKey: v.Get("template_key"),
		Method: v.Get("method"), Reason: strings.TrimSpace(v.Get("reason")), Personalisation: map[string]string{}}
	prefix := "p-" + req.TemplateKey + "-"
	for k, vals := range v {
		if name, ok := strings.CutPrefix(k, prefix); ok && len(vals) > 0 && strings.TrimSpace(vals[0]) != "" {
			req.Personalisation[name] = strings.TrimSpace(vals[0])
		}
	}
	if req.Method != tether.MethodHand && req.Method != tether.MethodFile {
		req.Method = ""
		// A reason only counts with hand or file.
		req.Reason = ""
	}
	return req
}

// noticeFields maps the store's field keys onto the send form.
func noticeFields(req *tether.NoticeRequest, fields map[string]string) []fieldSpec {
	specs := []fieldSpec{
		{Key: "template_key", ID: "template_key", Label: "Template", Required: "Select a template"},
		{Key: "person_id", ID: "template_key", Label: "Person"},
		{Key: "language", ID: "template_key", Label: "Language"},
		{Key: "personalisation", ID: "template_key", Label: "Personalisation"},
	}
	var names []string
	for k := range fields {
		if name, ok := strings.CutPrefix(k, "personalisation."); ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		specs = append(specs, fieldSpec{Key: "personalisation." + n, ID: personalisationID(req.TemplateKey, n), Label: strings.ReplaceAll(n, "_", " ")})
	}
	return append(specs,
		fieldSpec{Key: "method", ID: "method", Label: "How to serve it"},
		fieldSpec{Key: "contact_point_id", ID: "method", Label: "Contact point"},
		fieldSpec{Key: "reason", ID: "reason", Label: "Reason"},
	)
}

// showNoticeErrors renders the send form with the store's refusal. When no
// contact point works, the hand-or-file choice and its reason are marked
// too, so that the way on is never hidden.
func (s *Server) showNoticeErrors(w http.ResponseWriter, r *http.Request, person *tether.Person, req *tether.NoticeRequest, err error) {
	p, ok := s.newNoticeForm(w, r, person, r.PostForm)
	if !ok {
		return
	}
	fields := tether.ErrorFields(err)
	p.Form.addDomainErrors(err, noticeFields(req, fields), "template_key")
	if _, ok := fields["method"]; ok {
		p.NoRoute = true
		if req.Reason == "" {
			p.Form.add("reason", "", "Enter why the notice is served by hand or to file", 100)
		}
	}
	s.render(w, r, http.StatusBadRequest, "notice_form", p)
}

// noticePreview is the check-before-sending page.
type noticePreview struct {
	layout
	Person *tether.Person
	Draft  *tether.NoticeDraft
	// Hidden are the form's values, sent again with Confirm or Change.
	Hidden []hiddenField
}

type hiddenField struct{ Name, Value string }

func (s *Server) pagePreviewNotice(w http.ResponseWriter, r *http.Request) {
	person, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	req := readNoticeForm(person.ID, r.PostForm)
	d, err := s.Correspondence.PreviewNotice(r.Context(), req)
	if tether.ErrorCode(err) == tether.EINVALID {
		s.showNoticeErrors(w, r, person, req, err)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	p := noticePreview{layout: s.newLayout(r, "Check the notice before sending it"), Person: person, Draft: d}
	p.Nav, p.Back = "people", "/people/"+strconv.FormatInt(person.ID, 10)+"/notices/new"
	keys := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "action" {
			continue
		}
		p.Hidden = append(p.Hidden, hiddenField{k, r.PostForm.Get(k)})
	}
	s.render(w, r, http.StatusOK, "notice_preview", p)
}

func (s *Server) pageCreateNotice(w http.ResponseWriter, r *http.Request) {
	person, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostForm.Get("action") == "change" {
		p, ok := s.newNoticeForm(w, r, person, r.PostForm)
		if !ok {
			return
		}
		s.render(w, r, http.StatusOK, "notice_form", p)
		return
	}
	req := readNoticeForm(person.ID, r.PostForm)
	n, err := s.Correspondence.CreateNotice(r.Context(), req)
	if tether.ErrorCode(err) == tether.EINVALID {
		s.showNoticeErrors(w, r, person, req, err)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/notices/"+strconv.FormatInt(n.ID, 10)+"?done=notice-sent", http.StatusSeeOther)
}

// noticePage is one notice with its timeline.
type noticePage struct {
	layout
	Notice      noticeRow
	PersonName  string
	Events      []eventRow
	CanGiveCopy bool
}

type eventRow struct {
	*tether.NoticeEvent
	StateName string
	Actor     string
}

var noticeDone = map[string]string{
	"notice-sent": "Notice sent",
	"copy-given":  "Copy recorded as given",
}

func (s *Server) pageNotice(w http.ResponseWriter, r *http.Request) {
	s.showNotice(w, r, http.StatusOK, nil)
}

func (s *Server) showNotice(w http.ResponseWriter, r *http.Request, status int, f *form) {
	n, ok := s.findNotice(w, r)
	if !ok {
		return
	}
	events, err := s.Correspondence.NoticeTimeline(r.Context(), n.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := noticePage{layout: s.newLayout(r, "Notice "+n.Ref), Notice: s.noticeRows(r.Context(), []*tether.Notice{n})[0]}
	p.Nav, p.Back = "notices", personURL(n.PersonID, "")
	p.Success = noticeDone[r.URL.Query().Get("done")]
	if f != nil {
		p.Form = f
	}
	if p.PersonalData {
		if person, err := s.People.FindPersonByID(r.Context(), n.PersonID); err == nil {
			p.PersonName = person.FullName()
		}
	}
	names := s.actorNames(r.Context())
	for _, e := range events {
		p.Events = append(p.Events, eventRow{NoticeEvent: e, StateName: nameOr(noticeStateNames, e.State), Actor: names(e.Actor)})
	}
	p.CanGiveCopy = p.CanWrite && n.CopyDue && n.CopyGiven == nil
	s.render(w, r, status, "notice", p)
}

func (s *Server) pageCopyGiven(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.Correspondence.MarkCopyGiven(r.Context(), id, strings.TrimSpace(r.PostForm.Get("how")))
	if tether.ErrorCode(err) == tether.EINVALID {
		f := newForm(r.PostForm)
		f.addDomainErrors(err, []fieldSpec{{Key: "how", ID: "how", Label: "How the copy was given"}}, "how")
		s.showNotice(w, r, http.StatusBadRequest, f)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/notices/"+strconv.FormatInt(id, 10)+"?done=copy-given", http.StatusSeeOther)
}

// noticesPage lists notices, filtered by state and method.
type noticesPage struct {
	layout
	Notices []noticeRow
	Total   int
	Pages   pagination
	States  []option
	Methods []option
}

func (s *Server) pageNotices(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := noticesPage{layout: s.newLayout(r, "Notices")}
	p.Nav = "notices"
	p.Form = newForm(url.Values{"state": {q.Get("state")}, "method": {q.Get("method")}})
	for _, st := range noticeStates {
		p.States = append(p.States, option{st, noticeStateNames[st]})
	}
	for _, m := range tether.Methods {
		p.Methods = append(p.Methods, option{m, methodNames[m]})
	}
	page, err := queryInt(r, "page", 1)
	if err != nil || page < 1 {
		page = 1
	}
	f := tether.NoticeFilter{Limit: peoplePerPage, Offset: (page - 1) * peoplePerPage}
	if st := q.Get("state"); slices.Contains(noticeStates, st) {
		f.State = st
	}
	if m := q.Get("method"); slices.Contains(tether.Methods, m) {
		f.Method = m
	}
	ns, total, err := s.Correspondence.FindNotices(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Notices, p.Total = s.noticeRows(r.Context(), ns), total
	p.Pages = paginate(page, total, len(ns), func(n int) string {
		v := url.Values{}
		if f.State != "" {
			v.Set("state", f.State)
		}
		if f.Method != "" {
			v.Set("method", f.Method)
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return "/notices"
		}
		return "/notices?" + v.Encode()
	})
	s.render(w, r, http.StatusOK, "notices", p)
}
