package web

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// The reporting pages: the "Reporting" section of a person's page (their
// conditions, the next events and the recent outcomes) and the forms to
// add, change and end a condition and to record an event's outcome. They
// use the Reporting service as the JSON API does (api_reporting.go).

var (
	deviceNames  = map[string]string{reporting.DeviceGPSTag: "GPS tag", reporting.DeviceFingerprint: "Handheld fingerprint device"}
	patternNames = map[string]string{reporting.Weekly: "Every week", reporting.EveryNWeeks: "Every few weeks",
		reporting.Monthly: "Once a month", reporting.Once: "On one-off dates"}
	divisionOptions = []option{{calendar.EnglandAndWales, "England and Wales"}, {calendar.Scotland, "Scotland"},
		{calendar.NorthernIreland, "Northern Ireland"}}
	weekdayOptions = []option{{"1", "Monday"}, {"2", "Tuesday"}, {"3", "Wednesday"}, {"4", "Thursday"}, {"5", "Friday"},
		{"6", "Saturday"}, {"0", "Sunday"}}
	// reportingBanners are the banners after a reporting form, by ?done=.
	reportingBanners = map[string]string{
		"condition-added": "Reporting condition set", "condition-changed": "Reporting condition changed: the old one is kept in the history",
		"condition-ended": "Reporting condition ended", "outcome-recorded": "Outcome recorded",
	}
)

// horizonShown is how far ahead and back the person's section looks for
// events.
const (
	nextEventsShown     = 5
	recentOutcomesShown = 10
	recentOutcomeDays   = 180
)

// personReporting is the "Reporting" section of a person's page.
type personReporting struct {
	PersonID      int64
	CanWrite      bool
	Current, Past []conditionRow
	Next, Recent  []reportingEventRow
	RosterHref    string
	RosterCentre  string
	AddHref       string
	// FlagsHref is the page of the person's eligibility flags.
	FlagsHref      string
	PersonalData   bool
	HasConditions  bool
	MoreNextEvents bool
}

type conditionRow struct {
	*reporting.ConditionRecord
	How, When, Where, Span, SetBy string
	ChangeHref, EndHref           string
}

type reportingEventRow struct {
	*reporting.EventRecord
	Day, How, StateName, StateColour, Detail string
	OutcomeHref                              string
}

// conditionWhere says where or how a condition's events happen.
func conditionWhere(c reporting.Condition, personalData bool) string {
	switch c.Kind {
	case reporting.KindInPerson:
		return c.Centre
	case reporting.KindTelephone:
		if !personalData {
			return "Hidden"
		}
		return c.Phone
	case reporting.KindElectronicMonitoring:
		return nameOr(deviceNames, c.Device)
	}
	return ""
}

func conditionSpan(c reporting.Condition) string {
	if c.End.IsZero() {
		return "From " + c.Start.Long() + ", no end date"
	}
	return c.Start.Long() + " to " + c.End.Long()
}

// personReportingSection renders the person's reporting, or nothing when
// the server has no reporting or the user may not see it.
func (s *Server) personReportingSection(r *http.Request, personID int64) (htmlSection, error) {
	u := currentUser(r)
	if s.Reporting == nil || u == nil || !slices.Contains(reportingReaders, u.Role) {
		return "", nil
	}
	ctx := r.Context()
	conds, err := s.Reporting.PersonConditions(ctx, personID)
	if err != nil {
		return "", err
	}
	today := calendar.FromTime(s.clock.Now(), ukTime)
	events, err := s.Reporting.PersonEvents(ctx, personID, today.AddDays(-recentOutcomeDays), calendar.Date{})
	if err != nil {
		return "", err
	}
	a := tether.ActorOf(u)
	v := personReporting{PersonID: personID, CanWrite: a.CanWritePeople(), PersonalData: a.CanSeePersonalData(),
		AddHref: "/people/" + strconv.FormatInt(personID, 10) + "/conditions/new", FlagsHref: flagsURL(personID), HasConditions: len(conds) > 0}
	names := s.actorNames(ctx)
	for _, c := range conds {
		row := conditionRow{ConditionRecord: c, How: upperFirst(reporting.KindWords(c.Kind)), When: upperFirst(c.Schedule.Words()),
			Where: conditionWhere(c.Condition, v.PersonalData), Span: conditionSpan(c.Condition), SetBy: c.SetBy}
		if row.SetBy == "" {
			row.SetBy = names(c.CreatedBy)
		}
		id := strconv.FormatInt(c.ID, 10)
		if c.End.IsZero() || !c.End.Before(today) {
			row.ChangeHref, row.EndHref = "/conditions/"+id+"/change", "/conditions/"+id+"/end"
			v.Current = append(v.Current, row)
			if c.Kind == reporting.KindInPerson && v.RosterCentre == "" {
				v.RosterCentre, v.RosterHref = c.Centre, rosterURL(c.Centre, "", nil)
			}
		} else {
			v.Past = append(v.Past, row)
		}
	}
	for _, e := range events {
		row := reportingEventRow{EventRecord: e, Day: e.Date.Long(), How: upperFirst(reporting.KindWords(e.Kind)),
			StateName: nameOr(eventStateNames, e.State), StateColour: eventStateColours[e.State]}
		if e.Centre != "" {
			row.How = "At " + e.Centre
		}
		if e.At != "" {
			row.Day += " at " + e.At
		}
		if reporting.CanMove(e.State, reporting.EventExcused) {
			row.OutcomeHref = "/events/" + strconv.FormatInt(e.ID, 10) + "/outcome"
		}
		switch {
		case e.State == reporting.EventDue && !e.Date.Before(today):
			if e.Late(today, s.clock.Now().In(ukTime).Format("15:04")) {
				row.StateName, row.StateColour = "Late", "orange"
			}
			if len(v.Next) == nextEventsShown {
				v.MoreNextEvents = true
				continue
			}
			v.Next = append(v.Next, row)
		case e.State != reporting.EventDue:
			row.Detail = outcomeText(e.Outcome, names, v.PersonalData)
			v.Recent = append(v.Recent, row)
		default:
			// Due on a day that has passed: the sweep has not marked it yet.
			row.StateName, row.StateColour = "Not yet marked", "yellow"
			v.Recent = append(v.Recent, row)
		}
	}
	// The newest outcomes first.
	slices.Reverse(v.Recent)
	if len(v.Recent) > recentOutcomesShown {
		v.Recent = v.Recent[:recentOutcomesShown]
	}
	t, ok := pageTemplates["person_reporting"]
	if !ok {
		return "", tether.Errorf(tether.EINTERNAL, "no person_reporting template")
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "person-reporting", v); err != nil {
		return "", err
	}
	return htmlSection(buf.String()), nil
}

// outcomeText says what closed an event, who recorded it and when.
func outcomeText(o *reporting.Outcome, names func(string) string, personalData bool) string {
	if o == nil {
		return ""
	}
	var b strings.Builder
	switch o.State {
	case reporting.EventReported:
		switch {
		case o.How == reporting.KindInPerson && o.Where != "":
			b.WriteString("Checked in at " + o.Where)
		case o.Where != "" && personalData:
			b.WriteString("Checked in " + reporting.KindWords(o.How) + " (" + o.Where + ")")
		default:
			b.WriteString("Checked in " + reporting.KindWords(o.How))
		}
	case reporting.EventExcused:
		b.WriteString("Excused")
		if o.AcceptedBy != "" {
			b.WriteString(", accepted by " + o.AcceptedBy)
		}
	case reporting.EventRescheduled:
		b.WriteString("Moved to " + o.NewDate.Long())
		if o.NewAt != "" {
			b.WriteString(" at " + o.NewAt)
		}
	default:
		b.WriteString(upperFirst(nameOr(eventStateNames, o.State)))
	}
	if o.Reason != "" && personalData {
		b.WriteString(": " + o.Reason)
	}
	b.WriteString(". Recorded " + displayDateTime(o.At) + " by " + names(o.By))
	return b.String()
}

// conditionFields maps the store's field keys (and the API's) onto the
// condition form.
var conditionFields = []fieldSpec{
	{Key: "kind", ID: "kind", Label: "How they report", Required: "Choose how they report"},
	{Key: "schedule.pattern", ID: "pattern", Label: "How often", Required: "Choose how often they report"},
	{Key: "schedule", ID: "pattern", Label: "Schedule"},
	{Key: "schedule.weekdays", ID: "weekdays", Label: "Days"},
	{Key: "schedule.every", ID: "every", Label: "Number of weeks"},
	{Key: "schedule.anchor", ID: "anchor", Focus: "anchor-day", Label: "Date of one of the events"},
	{Key: "schedule.day", ID: "month_day", Label: "Day of the month"},
	{Key: "schedule.dates", ID: "dates", Label: "Dates"},
	{Key: "schedule.at", ID: "at", Label: "Time"},
	{Key: "start", ID: "start", Focus: "start-day", Label: "Start"},
	{Key: "end", ID: "end", Focus: "end-day", Label: "End"},
	{Key: "centre", ID: "centre", Label: "Reporting centre"},
	{Key: "division", ID: "division", Label: "Where the centre is", Required: "Choose where the centre is"},
	{Key: "phone", ID: "phone", Label: "Telephone number"},
	{Key: "device", ID: "device", Label: "Device", Required: "Choose the device"},
	{Key: "set_by", ID: "set_by", Label: "Set by"},
	{Key: "reason", ID: "reason", Label: "Why"},
	{Key: "change_reason", ID: "change_reason", Label: "Why it is changing"},
}

// indexSuffix strips a list index: "schedule.weekdays[1]" is shown by the
// "schedule.weekdays" field.
var indexSuffix = regexp.MustCompile(`\[\d+\]$`)

// addConditionErrors maps a condition error onto the form, the fields of
// a change's new condition ("condition.kind") as the form's own.
func addConditionErrors(f *form, err error) {
	if err == nil {
		return
	}
	fields := tether.ErrorFields(err)
	if len(fields) == 0 {
		f.addDomainErrors(err, conditionFields, "reason")
		return
	}
	q := tether.Problems{}
	for k, v := range fields {
		k = strings.TrimPrefix(k, "condition.")
		k = indexSuffix.ReplaceAllString(k, "")
		q.Add(k, v)
	}
	f.addDomainErrors(q.Err(), conditionFields, "reason")
}

// conditionPage is the form to set, change or end a condition.
type conditionPage struct {
	layout
	Person                                        *tether.Person
	Heading                                       string
	Action                                        string
	Condition                                     *conditionRow // the condition changed or ended
	Change                                        bool
	Kinds, Patterns, Divisions, Devices, Weekdays []option
}

// conditionFromForm reads the condition form. Problems the form itself
// can see (a date or a number that cannot be read) go onto f.
func conditionFromForm(f *form, personID int64, me string) *reporting.Condition {
	v := f.Values
	c := &reporting.Condition{PersonID: personID, Kind: v.Get("kind"), Reason: v.Get("reason"), SetBy: v.Get("set_by")}
	if strings.TrimSpace(c.SetBy) == "" {
		c.SetBy = me
	}
	switch c.Kind {
	case reporting.KindInPerson:
		c.Centre, c.Division = v.Get("centre"), v.Get("division")
	case reporting.KindTelephone:
		c.Phone = v.Get("phone")
	case reporting.KindElectronicMonitoring:
		c.Device = v.Get("device")
	}
	s := reporting.Schedule{Pattern: v.Get("pattern"), At: strings.TrimSpace(v.Get("at"))}
	day := func(id, label string, order int) calendar.Date {
		d, _ := fullDate(f, id, label, order)
		return d
	}
	switch s.Pattern {
	case reporting.Weekly:
		for _, d := range v["weekdays"] {
			if n, err := strconv.Atoi(d); err == nil && n >= 0 && n <= 6 {
				s.Weekdays = append(s.Weekdays, time.Weekday(n))
			}
		}
	case reporting.EveryNWeeks:
		if t := strings.TrimSpace(v.Get("every")); t != "" {
			n, err := strconv.Atoi(t)
			if err != nil {
				f.add("every", "", "Number of weeks must be a number, like 2", 4)
			}
			s.Every = n
		}
		s.Anchor = day("anchor", "Date of one of the events", 5)
	case reporting.Monthly:
		if t := strings.TrimSpace(v.Get("month_day")); t != "" {
			n, err := strconv.Atoi(t)
			if err != nil {
				f.add("month_day", "", "Day of the month must be a number from 1 to 31", 6)
			}
			s.Day = n
		}
	case reporting.Once:
		for i, t := range strings.FieldsFunc(v.Get("dates"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
			d, err := calendar.ParseDate(t)
			if err != nil || !d.IsValid() {
				f.add("dates", "", "Date "+strconv.Itoa(i+1)+" must be a real date, written YYYY-MM-DD", 7)
				continue
			}
			s.Dates = append(s.Dates, d)
		}
	case "":
		f.add("pattern", "", "Choose how often they report", 1)
	}
	c.Schedule = s
	var started bool
	if c.Start, started = fullDate(f, "start", "Start", 9); !started {
		f.add("start", "start-day", "Enter the first day the condition applies", 9)
	}
	c.End = day("end", "End", 10)
	if strings.TrimSpace(c.Kind) == "" {
		f.add("kind", "", "Choose how they report", 0)
	}
	if len(f.Summary) > 0 {
		// Show every problem at once: the condition's own checks are pure.
		check := *c
		if err := check.Validate(); err != nil {
			addConditionErrors(f, err)
		}
	}
	return c
}

// conditionValues fills the form from a condition, to change it.
func conditionValues(c reporting.Condition) url.Values {
	v := url.Values{"kind": {c.Kind}, "pattern": {c.Schedule.Pattern}, "at": {c.Schedule.At}, "centre": {c.Centre},
		"division": {c.Division}, "phone": {c.Phone}, "device": {c.Device}}
	for _, d := range c.Schedule.Weekdays {
		v.Add("weekdays", strconv.Itoa(int(d)))
	}
	if c.Schedule.Every != 0 {
		v.Set("every", strconv.Itoa(c.Schedule.Every))
		fullDateValues(v, "anchor", c.Schedule.Anchor)
	}
	if c.Schedule.Day != 0 {
		v.Set("month_day", strconv.Itoa(c.Schedule.Day))
	}
	var dates []string
	for _, d := range c.Schedule.Dates {
		dates = append(dates, d.String())
	}
	v.Set("dates", strings.Join(dates, ", "))
	if !c.End.IsZero() {
		fullDateValues(v, "end", c.End)
	}
	return v
}

func (s *Server) showConditionForm(w http.ResponseWriter, r *http.Request, status int, person *tether.Person, cur *reporting.ConditionRecord, end bool, f *form) {
	p := conditionPage{layout: s.newLayout(r, "Set a reporting condition"), Person: person, Heading: "Set a reporting condition",
		Action: "/people/" + strconv.FormatInt(person.ID, 10) + "/conditions", Divisions: divisionOptions, Weekdays: weekdayOptions}
	p.Nav, p.Back, p.Form = "people", personURL(person.ID, "")+"#reporting", f
	if cur != nil {
		row := conditionRow{ConditionRecord: cur, How: upperFirst(reporting.KindWords(cur.Kind)), When: upperFirst(cur.Schedule.Words()),
			Where: conditionWhere(cur.Condition, p.PersonalData), Span: conditionSpan(cur.Condition)}
		p.Condition = &row
		id := strconv.FormatInt(cur.ID, 10)
		p.Title, p.Heading, p.Action, p.Change = "Change a reporting condition", "Change a reporting condition", "/conditions/"+id+"/change", true
		if end {
			p.Title, p.Heading, p.Action, p.Change = "End a reporting condition", "End a reporting condition", "/conditions/"+id+"/end", false
		}
	}
	for _, k := range reporting.Kinds {
		p.Kinds = append(p.Kinds, option{k, upperFirst(reporting.KindWords(k))})
	}
	for _, k := range reporting.Patterns {
		p.Patterns = append(p.Patterns, option{k, patternNames[k]})
	}
	for _, d := range reporting.Devices {
		p.Devices = append(p.Devices, option{d, deviceNames[d]})
	}
	name := "condition_form"
	if end {
		name = "condition_end"
	}
	s.render(w, r, status, name, p)
}

// findCondition reads the path's condition and its person.
func (s *Server) findCondition(w http.ResponseWriter, r *http.Request) (*reporting.ConditionRecord, *tether.Person, bool) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	c, err := s.Reporting.FindCondition(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	p, err := s.People.FindPersonByID(r.Context(), c.PersonID)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	return c, p, true
}

func (s *Server) pageNewCondition(w http.ResponseWriter, r *http.Request) {
	person, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	v := url.Values{"division": {calendar.EnglandAndWales}}
	fullDateValues(v, "start", calendar.FromTime(s.clock.Now(), ukTime))
	f := newForm(v)
	s.showConditionForm(w, r, http.StatusOK, person, nil, false, f)
}

func (s *Server) pageCreateCondition(w http.ResponseWriter, r *http.Request) {
	person, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	c := conditionFromForm(f, person.ID, currentUser(r).Name)
	if len(f.Summary) > 0 {
		s.showConditionForm(w, r, http.StatusBadRequest, person, nil, false, f)
		return
	}
	if _, err := s.Reporting.CreateCondition(r.Context(), c); err != nil {
		if !s.formRefused(w, r, err, f) {
			return
		}
		s.showConditionForm(w, r, http.StatusBadRequest, person, nil, false, f)
		return
	}
	http.Redirect(w, r, personURL(person.ID, "condition-added")+"#reporting", http.StatusSeeOther)
}

// formRefused puts a refusal the form can show (EINVALID, ECONFLICT) onto
// f and reports true; any other error becomes the error page.
func (s *Server) formRefused(w http.ResponseWriter, r *http.Request, err error, f *form) bool {
	switch tether.ErrorCode(err) {
	case tether.EINVALID:
		addConditionErrors(f, err)
		return true
	case tether.ECONFLICT:
		f.notice("reason", upperFirst(tether.ErrorMessage(err)))
		return true
	}
	s.fail(w, r, err)
	return false
}

func (s *Server) pageChangeConditionForm(w http.ResponseWriter, r *http.Request) {
	c, person, ok := s.findCondition(w, r)
	if !ok {
		return
	}
	v := conditionValues(c.Condition)
	fullDateValues(v, "start", calendar.FromTime(s.clock.Now(), ukTime).AddDays(1))
	s.showConditionForm(w, r, http.StatusOK, person, c, false, newForm(v))
}

func (s *Server) pageChangeCondition(w http.ResponseWriter, r *http.Request) {
	c, person, ok := s.findCondition(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	next := conditionFromForm(f, 0, currentUser(r).Name)
	reason := strings.TrimSpace(f.Value("change_reason"))
	if reason == "" {
		f.add("change_reason", "", "Say why the condition is changing", 17)
	}
	if len(f.Summary) > 0 {
		s.showConditionForm(w, r, http.StatusBadRequest, person, c, false, f)
		return
	}
	if _, _, err := s.Reporting.ChangeCondition(r.Context(), c.ID, next, reason); err != nil {
		if tether.ErrorCode(err) == tether.EINVALID {
			if _, ok := tether.ErrorFields(err)["reason"]; ok && len(tether.ErrorFields(err)) == 1 && strings.TrimSpace(next.Reason) != "" {
				// The change's own reason, not the new condition's.
				f.add("change_reason", "", upperFirst(tether.ErrorFields(err)["reason"]), 17)
				s.showConditionForm(w, r, http.StatusBadRequest, person, c, false, f)
				return
			}
		}
		if !s.formRefused(w, r, err, f) {
			return
		}
		s.showConditionForm(w, r, http.StatusBadRequest, person, c, false, f)
		return
	}
	http.Redirect(w, r, personURL(person.ID, "condition-changed")+"#reporting", http.StatusSeeOther)
}

func (s *Server) pageEndConditionForm(w http.ResponseWriter, r *http.Request) {
	c, person, ok := s.findCondition(w, r)
	if !ok {
		return
	}
	v := url.Values{}
	fullDateValues(v, "end", calendar.FromTime(s.clock.Now(), ukTime))
	f := newForm(v)
	s.showConditionForm(w, r, http.StatusOK, person, c, true, f)
}

func (s *Server) pageEndCondition(w http.ResponseWriter, r *http.Request) {
	c, person, ok := s.findCondition(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	last, given := fullDate(f, "end", "End", 0)
	if !given {
		f.add("end", "end-day", "Enter the last day the condition applies", 0)
	}
	if strings.TrimSpace(f.Value("reason")) == "" {
		f.add("reason", "", "Say why the condition is ending", 1)
	}
	if len(f.Summary) == 0 {
		_, err := s.Reporting.EndCondition(r.Context(), c.ID, last, f.Value("reason"))
		if err == nil {
			http.Redirect(w, r, personURL(person.ID, "condition-ended")+"#reporting", http.StatusSeeOther)
			return
		}
		if !s.formRefused(w, r, err, f) {
			return
		}
	}
	s.showConditionForm(w, r, http.StatusBadRequest, person, c, true, f)
}

// outcomePage is the form to record an event as missed, excused or
// rescheduled.
type outcomePage struct {
	layout
	Person *tether.Person
	Event  reportingEventRow
	States []option
}

var outcomeFields = []fieldSpec{
	{Key: "state", ID: "state", Label: "Outcome", Required: "Choose the outcome"},
	{Key: "reason", ID: "reason", Label: "Reason"},
	{Key: "accepted_by", ID: "accepted_by", Label: "Who accepted the explanation"},
	{Key: "new_date", ID: "new_date", Focus: "new_date-day", Label: "New date"},
	{Key: "new_at", ID: "new_at", Label: "New time"},
}

func (s *Server) findEventPerson(w http.ResponseWriter, r *http.Request) (*reporting.EventRecord, *tether.Person, bool) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	e, err := s.Reporting.FindEvent(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	p, err := s.People.FindPersonByID(r.Context(), e.PersonID)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	return e, p, true
}

func (s *Server) showOutcomeForm(w http.ResponseWriter, r *http.Request, status int, e *reporting.EventRecord, person *tether.Person, f *form) {
	p := outcomePage{layout: s.newLayout(r, "Record an outcome"), Person: person}
	p.Nav, p.Back, p.Form = "people", personURL(person.ID, "")+"#reporting", f
	p.Event = reportingEventRow{EventRecord: e, Day: e.Date.Long(), How: upperFirst(reporting.KindWords(e.Kind)),
		StateName: nameOr(eventStateNames, e.State), StateColour: eventStateColours[e.State]}
	if e.At != "" {
		p.Event.Day += " at " + e.At
	}
	if e.Centre != "" {
		p.Event.How = "At " + e.Centre
	}
	for _, st := range []string{reporting.EventMissed, reporting.EventExcused, reporting.EventRescheduled} {
		if reporting.CanMove(e.State, st) {
			p.States = append(p.States, option{st, map[string]string{reporting.EventMissed: "Missed: they did not report",
				reporting.EventExcused:     "Excused: a reasonable explanation was accepted",
				reporting.EventRescheduled: "Moved to another day"}[st]})
		}
	}
	s.render(w, r, status, "event_outcome", p)
}

func (s *Server) pageOutcomeForm(w http.ResponseWriter, r *http.Request) {
	e, person, ok := s.findEventPerson(w, r)
	if !ok {
		return
	}
	s.showOutcomeForm(w, r, http.StatusOK, e, person, newForm(url.Values{"version": {strconv.Itoa(e.Version)}}))
}

func (s *Server) pageRecordOutcome(w http.ResponseWriter, r *http.Request) {
	e, person, ok := s.findEventPerson(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	in := reporting.OutcomeRequest{State: f.Value("state"), Reason: f.Value("reason"), AcceptedBy: f.Value("accepted_by"),
		NewAt: strings.TrimSpace(f.Value("new_at"))}
	in.Version, _ = strconv.Atoi(f.Value("version"))
	if in.State == "" {
		f.add("state", "", "Choose the outcome", 0)
	}
	if in.State == reporting.EventRescheduled {
		in.NewDate, _ = fullDate(f, "new_date", "New date", 3)
	}
	if in.State != reporting.EventRescheduled {
		in.NewAt = ""
	}
	if in.State != reporting.EventExcused {
		in.AcceptedBy = ""
	}
	if len(f.Summary) == 0 {
		_, _, err := s.Reporting.RecordOutcome(r.Context(), e.ID, in)
		switch tether.ErrorCode(err) {
		case "":
			http.Redirect(w, r, personURL(person.ID, "outcome-recorded")+"#reporting", http.StatusSeeOther)
			return
		case tether.EINVALID:
			f.addDomainErrors(err, outcomeFields, "state")
		case tether.ECONFLICT:
			f.notice("state", upperFirst(tether.ErrorMessage(err)))
			if e2, err := s.Reporting.FindEvent(r.Context(), e.ID); err == nil {
				e = e2
			}
			s.showOutcomeForm(w, r, http.StatusConflict, e, person, f)
			return
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.showOutcomeForm(w, r, http.StatusBadRequest, e, person, f)
}
