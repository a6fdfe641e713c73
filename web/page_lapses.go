package web

import (
	"bytes"
	"html/template"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// The lapse pages: a lapse of contact with its tracing plan, the form to
// record an attempt, and the "Contact status and lapses" section of a
// person's page.

// htmlSection is a part of a page rendered on its own, for a page that
// shows it when its service is there.
type htmlSection = template.HTML

// Words for the lapses' codes, as pages show them.
var (
	lapseStatusColours = map[string]string{
		tether.StatusInContact: "green", tether.StatusAtRisk: "yellow", tether.StatusOutOfContact: "orange", tether.StatusAbsconder: "red",
	}
	lapseCauseNames = map[string]string{
		tether.CauseMissedEvent: "A missed reporting event", tether.CauseReturnedLetter: "A returned letter",
		tether.CauseChannelFailed: "A failed email or text message", tether.CauseFailedCall: "A failed call",
		tether.CauseNoWorkingChannel: "No working contact detail left", tether.CauseNoContact: "No contact within the time allowed",
		tether.CauseReEstablished: "Contact re-established", tether.CauseDeclared: "Declared an absconder",
		reporting.CauseMissExcused: "A missed event excused",
	}
	attemptKindNames = map[string]string{
		reporting.AttemptCall: "Call", reporting.AttemptText: "Text message", reporting.AttemptEmail: "Email",
		reporting.AttemptLetter: "Letter to the last-known address", reporting.AttemptRepresentative: "Contact the legal representative",
		reporting.AttemptEmergencyContact: "Contact an emergency contact", reporting.AttemptSponsor: "Contact the sponsor",
		reporting.AttemptComplianceVisit: "Compliance visit", reporting.AttemptAgencyChecks: "Checks with other agencies",
	}
	attemptHowNames = map[string]string{
		reporting.HowPhone: "By phone", reporting.HowText: "By text message", reporting.HowEmail: "By email",
		reporting.HowPost: "By post", reporting.HowVisit: "A visit", reporting.HowInPerson: "In person",
		reporting.HowRecordsCheck: "A check of records",
	}
	lapseActionNames = map[string]string{
		tether.LapseActionOpened: "Lapse began", tether.LapseActionSignal: "Another signal",
		tether.LapseActionOutOfContact: "Out of contact", tether.LapseActionAbsconder: "Declared an absconder",
		tether.LapseActionPlan: "Tracing plan made", tether.LapseActionTask: "Task opened",
		tether.LapseActionAttempt: "Attempt recorded", tether.LapseActionOverdue: "Attempt overdue",
		tether.LapseActionClosed: "Contact re-established", tether.LapseActionCopiesDue: "Copies of notices due",
	}
	// lapseBanners are the banners after recording an attempt, by ?done=.
	lapseBanners = map[string]string{
		"attempt": "Attempt recorded", "closed": "Attempt recorded: contact is re-established and the lapse is closed",
	}
)

func lapseStatusName(s string) string { return upperFirst(tether.StatusName(s)) }

// lapsePage is one lapse: what happened, the tracing plan's attempts, the
// form to record one, and the history.
type lapsePage struct {
	layout
	Lapse        *tether.Lapse
	StatusName   string
	StatusColour string
	Cause        string
	FirstSignal  string
	Closing      string
	Plan         *tether.TracingPlanRecord
	PlanText     string
	TaskHref     string
	Attempts     []attemptRow
	Events       []lapseEventRow
	// The form to record an attempt, when the user may and one is due.
	CanRecord                     bool
	Due, Outcomes, Hows, NewKinds []option
	Replaceable                   []option
	OutcomesByKind                []kindOutcomes
}

// kindOutcomes lists which outcomes fit which kind, as a hint by the field.
type kindOutcomes struct{ Kind, Outcomes string }

type attemptRow struct {
	*tether.TracingAttempt
	KindName     string
	Whom         string
	Due          string
	Overdue      bool
	StateName    string
	StateColour  string
	OutcomeText  string
	RecordedText string
}

type lapseEventRow struct {
	At     time.Time
	Action string
	Change string
	Detail string
	Actor  string
}

// lapseFields maps the store's field keys onto the record form.
var lapseFields = []fieldSpec{
	{Key: "attempt", ID: "attempt", Label: "Attempt", Required: "Choose the attempt you made"},
	{Key: "outcome", ID: "outcome", Label: "Outcome"},
	{Key: "at", ID: "when", Focus: "when-day", Label: "When"},
	{Key: "how", ID: "how", Label: "How"},
	{Key: "note", ID: "note", Label: "Note"},
	{Key: "new_contact_point", ID: "new_kind", Label: "New contact detail"},
	{Key: "new_contact_point.kind", ID: "new_kind", Label: "Kind of detail"},
	{Key: "new_contact_point.email", ID: "new_value", Label: "Email address"},
	{Key: "new_contact_point.phone", ID: "new_value", Label: "Phone number"},
	{Key: "new_contact_point.address", ID: "new_line1", Label: "Address"},
	{Key: "new_contact_point.address.lines", ID: "new_line1", Label: "Address line"},
	{Key: "new_contact_point.address.town", ID: "new_town", Label: "Town or city"},
	{Key: "new_contact_point.address.postcode", ID: "new_postcode", Label: "Postcode"},
	{Key: "replaces", ID: "replaces", Label: "Detail it replaces"},
	{Key: "version", ID: "attempt", Label: "Attempt"},
}

func (s *Server) findLapse(w http.ResponseWriter, r *http.Request) (*tether.LapseDetail, bool) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	d, err := s.Lapses.FindLapse(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return d, true
}

func (s *Server) pageLapse(w http.ResponseWriter, r *http.Request) {
	d, ok := s.findLapse(w, r)
	if !ok {
		return
	}
	s.showLapse(w, r, http.StatusOK, d, nil)
}

// showLapse renders a lapse's page; f carries a refused form's values and
// errors, nil for a fresh page.
func (s *Server) showLapse(w http.ResponseWriter, r *http.Request, status int, d *tether.LapseDetail, f *form) {
	ctx := r.Context()
	l := d.Lapse
	p := lapsePage{layout: s.newLayout(r, "Lapse of contact "+strconv.FormatInt(l.ID, 10)), Lapse: l, Plan: d.Plan,
		StatusName: lapseStatusName(l.Status), StatusColour: lapseStatusColours[l.Status], Cause: nameOr(lapseCauseNames, l.Cause)}
	p.Nav, p.Back = "people", personURL(l.PersonID, "")
	p.Success = lapseBanners[r.URL.Query().Get("done")]
	if f != nil {
		p.Form = f
	}
	p.FirstSignal = displayDateTime(l.FirstSignalAt) + ": " + strings.ToLower(nameOr(lapseCauseNames, l.FirstSignalCause))
	if l.ClosedAt != nil {
		p.Closing = displayDateTime(*l.ClosedAt) + ": " + strings.ToLower(nameOr(lapseCauseNames, l.ClosingCause))
		if l.ClosingDetail != "" {
			p.Closing += " (" + l.ClosingDetail + ")"
		}
	}
	if d.Plan != nil {
		p.PlanText = "Playbook “" + d.Plan.Playbook + "” version " + strconv.Itoa(d.Plan.PlaybookVersion) +
			", started " + displayDay(d.Plan.StartOn) + ", counting the working days of " + calendar.DivisionName(d.Plan.Division)
		if d.Plan.TaskID != nil && p.WorksTasks {
			p.TaskHref = "/tasks/" + strconv.FormatInt(*d.Plan.TaskID, 10)
		}
	}
	names := s.actorNames(ctx)
	today := s.today()
	for _, a := range d.Attempts {
		row := attemptRow{TracingAttempt: a, KindName: nameOr(attemptKindNames, a.Kind), Overdue: a.Overdue(today)}
		row.Whom = attemptWhom(a, p.PersonalData)
		if a.DueOn != "" {
			row.Due = displayDay(a.DueOn)
		}
		switch a.State {
		case tether.AttemptDue:
			row.StateName, row.StateColour = "To do", "blue"
			if row.Overdue {
				row.StateName, row.StateColour = "Overdue", "red"
			}
		case tether.AttemptDone:
			row.StateName, row.StateColour = "Done", "green"
			row.OutcomeText = upperFirst(reporting.OutcomeWords(a.Outcome))
			if a.AttemptedAt != nil {
				row.RecordedText = displayDateTime(*a.AttemptedAt) + ", " + strings.ToLower(nameOr(attemptHowNames, a.How)) +
					", recorded by " + names(a.RecordedBy)
			}
		default:
			row.StateName, row.StateColour = "Not applicable", "grey"
			if strings.HasPrefix(a.SkipReason, "No longer needed") {
				row.StateName = "Not needed"
			}
		}
		p.Attempts = append(p.Attempts, row)
		if a.State == tether.AttemptDue {
			p.Due = append(p.Due, option{strconv.FormatInt(a.ID, 10), strconv.Itoa(a.Seq) + ". " + row.KindName + whomSuffix(row.Whom)})
		}
	}
	for _, e := range d.Events {
		row := lapseEventRow{At: e.At, Action: nameOr(lapseActionNames, e.Action), Detail: e.Detail, Actor: names(e.Actor)}
		if e.From != "" && e.To != "" && e.From != e.To {
			row.Change = "from " + tether.StatusName(e.From) + " to " + tether.StatusName(e.To)
		}
		if e.Cause != "" {
			row.Change = strings.TrimSpace(row.Change + " (" + strings.ToLower(nameOr(lapseCauseNames, e.Cause)) + ")")
		}
		p.Events = append(p.Events, row)
	}
	p.CanRecord = p.CanWrite && l.Open() && d.Plan != nil && d.Plan.State == tether.PlanOpen && len(p.Due) > 0
	if p.CanRecord {
		for _, o := range reporting.AttemptOutcomes {
			p.Outcomes = append(p.Outcomes, option{o, upperFirst(reporting.OutcomeWords(o))})
		}
		for _, h := range reporting.AttemptHows {
			p.Hows = append(p.Hows, option{h, attemptHowNames[h]})
		}
		for _, k := range tether.ContactKinds {
			p.NewKinds = append(p.NewKinds, option{k, kindNames[k]})
		}
		seen := map[string]bool{}
		for _, a := range d.Attempts {
			if a.State != tether.AttemptDue || seen[a.Kind] {
				continue
			}
			seen[a.Kind] = true
			var words []string
			for _, o := range reporting.OutcomesFor(a.Kind) {
				words = append(words, reporting.OutcomeWords(o))
			}
			p.OutcomesByKind = append(p.OutcomesByKind, kindOutcomes{nameOr(attemptKindNames, a.Kind), strings.Join(words, ", ")})
		}
		if s.Contacts != nil {
			points, err := s.Contacts.ContactPoints(ctx, l.PersonID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			now := s.clock.Now()
			for _, c := range points {
				if c.Party == tether.PartySelf && c.Current(now) {
					p.Replaceable = append(p.Replaceable, option{strconv.FormatInt(c.ID, 10), kindNames[c.Kind] + ": " + pointDisplay(c, p.PersonalData)})
				}
			}
		}
		if p.Form.Value("attempt") == "" && len(p.Due) > 0 {
			p.Form.Values.Set("attempt", p.Due[0].Value)
		}
	}
	s.render(w, r, status, "lapse", p)
}

// attemptWhom says whom and where an attempt tries.
func attemptWhom(a *tether.TracingAttempt, personalData bool) string {
	whom := ""
	if a.Party != "" && a.Party != tether.PartySelf {
		whom = nameOr(partyNames, a.Party)
	}
	if a.Target != "" && personalData {
		if whom != "" {
			whom += ": "
		}
		whom += a.Target
	}
	return whom
}

func whomSuffix(whom string) string {
	if whom == "" {
		return ""
	}
	return " (" + whom + ")"
}

// attemptClockTime is a time of day on the 24-hour clock, HH:MM (or H:MM).
var attemptClockTime = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$`)

// attemptForm reads the record form into an attempt input: which attempt,
// when (a date and a time in UK time; both blank for now), how, the
// outcome, a note and a new contact detail. Problems the form itself can
// see go onto f.
func (s *Server) attemptForm(f *form, d *tether.LapseDetail) (int64, tether.AttemptInput, bool) {
	v := f.Values
	in := tether.AttemptInput{How: v.Get("how"), Outcome: v.Get("outcome"), Note: v.Get("note")}
	ok := true
	var id int64
	kind := ""
	if n, err := strconv.ParseInt(v.Get("attempt"), 10, 64); err == nil {
		for _, a := range d.Attempts {
			if a.ID == n && a.State == tether.AttemptDue {
				id, kind = n, a.Kind
				in.Version = a.Version
			}
		}
	}
	if id == 0 {
		f.add("attempt", "", "Choose the attempt you made", 0)
		ok = false
	}
	switch fits := reporting.OutcomesFor(kind); {
	case strings.TrimSpace(in.Outcome) == "":
		f.add("outcome", "", "Choose the outcome", 1)
		ok = false
	case kind != "" && !slices.Contains(fits, in.Outcome):
		words := make([]string, len(fits))
		for i, o := range fits {
			words[i] = reporting.OutcomeWords(o)
		}
		f.add("outcome", "", "Choose an outcome that fits this attempt: "+strings.Join(words, ", "), 1)
		ok = false
	}
	date, dateOK := dateInput(f, "when", "The date of the attempt", 2)
	clock := strings.TrimSpace(v.Get("when-time"))
	switch {
	case !dateOK:
		ok = false
	case date.Year == 0 && clock == "":
		// Now.
	case date.Day == 0 && date.Year != 0:
		f.add("when", "when-day", "The date of the attempt must include a day and month", 2)
		ok = false
	case clock == "":
		f.add("when-time", "", "Enter the time of the attempt, like 14:30", 3)
		ok = false
	case !attemptClockTime.MatchString(clock):
		f.add("when-time", "", "Enter the time on the 24-hour clock, like 14:30", 3)
		ok = false
	default:
		m := attemptClockTime.FindStringSubmatch(clock)
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		day := date
		if day.Year == 0 {
			n := s.clock.Now().In(ukTime)
			day = tether.PartialDate{Year: n.Year(), Month: int(n.Month()), Day: n.Day()}
		}
		in.At = time.Date(day.Year, time.Month(day.Month), day.Day, h, mi, 0, 0, ukTime)
	}
	if kind := v.Get("new_kind"); kind != "" {
		c := &tether.ContactPoint{Kind: kind, Party: tether.PartySelf}
		value := strings.TrimSpace(v.Get("new_value"))
		switch kind {
		case tether.KindEmail:
			c.Email = value
		case tether.KindMobile, tether.KindLandline:
			c.Phone = value
		case tether.KindPostal:
			var lines []string
			for _, k := range []string{"new_line1", "new_line2"} {
				if l := strings.TrimSpace(v.Get(k)); l != "" {
					lines = append(lines, l)
				}
			}
			c.Address = &tether.Address{Lines: lines, Town: strings.TrimSpace(v.Get("new_town")),
				Postcode: strings.TrimSpace(v.Get("new_postcode")), Country: "GB"}
		}
		in.NewContact = c
		if rep := v.Get("replaces"); rep != "" {
			n, err := strconv.ParseInt(rep, 10, 64)
			if err != nil || n <= 0 {
				f.add("replaces", "", "Choose the detail it replaces, or none", 9)
				ok = false
			} else {
				in.Replaces = &n
			}
		}
	}
	return id, in, ok
}

func (s *Server) pageRecordAttempt(w http.ResponseWriter, r *http.Request) {
	d, ok := s.findLapse(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	id, in, ok := s.attemptForm(f, d)
	if !ok {
		s.showLapse(w, r, http.StatusBadRequest, d, f)
		return
	}
	_, l, err := s.Lapses.RecordAttempt(r.Context(), id, in)
	switch tether.ErrorCode(err) {
	case "":
		done := "attempt"
		if !l.Open() {
			done = "closed"
		}
		http.Redirect(w, r, "/lapses/"+strconv.FormatInt(d.Lapse.ID, 10)+"?done="+done, http.StatusSeeOther)
		return
	case tether.EINVALID, tether.ECONFLICT:
	default:
		s.fail(w, r, err)
		return
	}
	status := http.StatusBadRequest
	if tether.ErrorCode(err) == tether.ECONFLICT {
		status = http.StatusConflict
		f.notice("attempt", tether.ErrorMessage(err))
	} else {
		f.addDomainErrors(err, lapseFields, "attempt")
	}
	if d, err = s.Lapses.FindLapse(r.Context(), d.Lapse.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.showLapse(w, r, status, d, f)
}

// personLapses is the "Contact status and lapses" section of a person's
// page: the status, since when, the transitions, and the lapses.
type personLapses struct {
	PersonID       int64
	PersonalData   bool
	StatusName     string
	StatusColour   string
	Since          *time.Time
	OutOfContactOn string
	Transitions    []lapseEventRow
	More           int
	Open           *lapseRow
	Lapses         []lapseRow
}

type lapseRow struct {
	*tether.Lapse
	Href       string
	StatusName string
	Colour     string
	Cause      string
}

// maxTransitions is how many status transitions the person's page shows.
const maxTransitions = 10

// personLapsesSection renders the person's contact status and lapses, or
// nothing when the server has no lapses or the user may not see them.
func (s *Server) personLapsesSection(r *http.Request, personID int64) (htmlSection, error) {
	u := currentUser(r)
	if s.Lapses == nil || s.Status == nil || u == nil || !isDepartment(u) {
		return "", nil
	}
	ctx := r.Context()
	st, events, err := s.Status.ContactStatus(ctx, personID)
	if err != nil {
		return "", err
	}
	ls, _, err := s.Lapses.FindLapses(ctx, tether.LapseFilter{PersonID: &personID, Limit: 50})
	if err != nil {
		return "", err
	}
	a := tether.ActorOf(u)
	v := personLapses{PersonID: personID, PersonalData: a.CanSeePersonalData(), StatusName: lapseStatusName(st.Status),
		StatusColour: lapseStatusColours[st.Status], Since: st.Since, OutOfContactOn: st.OutOfContactOn}
	names := s.actorNames(ctx)
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if len(v.Transitions) == maxTransitions {
			v.More = i + 1
			break
		}
		row := lapseEventRow{At: e.At, Action: nameOr(lapseCauseNames, e.Cause), Actor: names(e.Actor)}
		if e.From != e.To {
			row.Change = "From " + tether.StatusName(e.From) + " to " + tether.StatusName(e.To)
		} else {
			row.Change = "Stayed " + tether.StatusName(e.To)
		}
		if v.PersonalData {
			row.Detail = e.Detail
		}
		v.Transitions = append(v.Transitions, row)
	}
	for _, l := range ls {
		row := lapseRow{Lapse: l, Href: "/lapses/" + strconv.FormatInt(l.ID, 10), StatusName: lapseStatusName(l.Status),
			Colour: lapseStatusColours[l.Status], Cause: nameOr(lapseCauseNames, l.Cause)}
		if !l.Open() {
			row.StatusName, row.Colour = "Closed", "grey"
		}
		v.Lapses = append(v.Lapses, row)
		if l.Open() && v.Open == nil {
			open := row
			v.Open = &open
		}
	}
	t, ok := pageTemplates["person_lapses"]
	if !ok {
		return "", tether.Errorf(tether.EINTERNAL, "no person_lapses template")
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "person-lapses", v); err != nil {
		return "", err
	}
	return htmlSection(buf.String()), nil
}
