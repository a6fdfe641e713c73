package web

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// The reporting API: a person's conditions (set, read, change, end), their
// events, one event with its history, a centre's roster for a day, the
// check-in (at a desk, by telephone, digitally) and the other outcomes, and
// the flags the eligibility rules read. Each change may name the version
// of the event the client saw; an event that changed since is refused
// with 409.

// ReportingService keeps reporting conditions and events.
type ReportingService interface {
	CreateCondition(ctx context.Context, c *reporting.Condition) (*reporting.ConditionRecord, error)
	ChangeCondition(ctx context.Context, id int64, next *reporting.Condition, reason string) (old, replacement *reporting.ConditionRecord, err error)
	EndCondition(ctx context.Context, id int64, last calendar.Date, reason string) (*reporting.ConditionRecord, error)
	FindCondition(ctx context.Context, id int64) (*reporting.ConditionRecord, error)
	PersonConditions(ctx context.Context, personID int64) ([]*reporting.ConditionRecord, error)
	PersonEvents(ctx context.Context, personID int64, from, to calendar.Date) ([]*reporting.EventRecord, error)
	FindEvent(ctx context.Context, id int64) (*reporting.EventRecord, error)
	Roster(ctx context.Context, centre string, day calendar.Date) (*reporting.Roster, error)
	CheckInEvent(ctx context.Context, id int64, in reporting.CheckIn) (*reporting.EventRecord, error)
	RecordOutcome(ctx context.Context, id int64, in reporting.OutcomeRequest) (e, next *reporting.EventRecord, err error)
	SetPersonFlag(ctx context.Context, personID int64, flag string, set bool, reason string) error
	PersonFlags(ctx context.Context, personID int64) ([]reporting.PersonFlag, []reporting.FlagChange, error)
}

// reportingReaders may read conditions, events and rosters: the
// department's staff (inspectors without personal data unless granted).
// Organisation users see none of it.
var reportingReaders = staff

// conditionInput is a condition as a client sets it. The schedule is its
// compact text form ("weekly mon,thu 10:00"); days are YYYY-MM-DD.
type conditionInput struct {
	Kind     string `json:"kind"`
	Schedule string `json:"schedule"`
	Start    string `json:"start"`
	End      string `json:"end,omitempty"`
	Centre   string `json:"centre,omitempty"`
	Division string `json:"division,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Device   string `json:"device,omitempty"`
	SetBy    string `json:"set_by,omitempty"`
	Reason   string `json:"reason"`
}

// conditionChangeInput replaces a condition: the new one, from its start,
// and why.
type conditionChangeInput struct {
	Reason    string         `json:"reason"`
	Condition conditionInput `json:"condition"`
}

// conditionEndInput ends a condition on its last day.
type conditionEndInput struct {
	End    string `json:"end"`
	Reason string `json:"reason"`
}

// checkInInput checks a person in for today's event.
type checkInInput struct {
	How     string `json:"how,omitempty"`
	Where   string `json:"where,omitempty"`
	Version int    `json:"version,omitempty"`
}

// outcomeInput records an event as missed, excused or rescheduled.
type outcomeInput struct {
	State      string `json:"state"`
	Reason     string `json:"reason,omitempty"`
	AcceptedBy string `json:"accepted_by,omitempty"`
	NewDate    string `json:"new_date,omitempty"`
	NewAt      string `json:"new_at,omitempty"`
	Version    int    `json:"version,omitempty"`
}

// flagInput sets or clears a person's flag.
type flagInput struct {
	Flag   string `json:"flag"`
	Set    bool   `json:"set"`
	Reason string `json:"reason"`
}

// conditionList is a person's conditions.
type conditionList struct {
	Conditions []*reporting.ConditionRecord `json:"conditions"`
}

// conditionChanged is what a change did: the condition ended and the one
// that replaces it.
type conditionChanged struct {
	Ended     *reporting.ConditionRecord `json:"ended"`
	Condition *reporting.ConditionRecord `json:"condition"`
}

// eventList is a person's events.
type eventList struct {
	Events []*reporting.EventRecord `json:"events"`
}

// outcomeAnswer is the event as closed and, when rescheduled, the new one.
type outcomeAnswer struct {
	Event *reporting.EventRecord `json:"event"`
	Next  *reporting.EventRecord `json:"next,omitempty"`
}

// personFlags are a person's flags and their history.
type personFlags struct {
	Flags   []reporting.PersonFlag `json:"flags"`
	History []reporting.FlagChange `json:"history"`
}

func (s *Server) withReporting(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Reporting == nil {
			s.fail(w, r, tether.Errorf(tether.ENOTFOUND, "Reporting is not available on this server."))
			return
		}
		h(w, r)
	}
}

// inputDate reads an optional day; a bad one is a field error.
func inputDate(q tether.Problems, field, v string) calendar.Date {
	v = strings.TrimSpace(v)
	if v == "" {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		q.Add(field, "is not a date: write it YYYY-MM-DD")
	}
	return d
}

// condition reads the input as a condition for personID; prefix names the
// fields of a nested input ("condition.").
func (in conditionInput) condition(personID int64, prefix string) (*reporting.Condition, error) {
	c := &reporting.Condition{PersonID: personID, Kind: in.Kind, Centre: in.Centre, Division: in.Division,
		Phone: in.Phone, Device: in.Device, SetBy: in.SetBy, Reason: in.Reason}
	q := tether.Problems{}
	if strings.TrimSpace(in.Schedule) == "" {
		q.Add(prefix+"schedule", `give the schedule, like "weekly mon,thu 10:00"`)
	} else if sch, err := reporting.ParseSchedule(in.Schedule); err != nil {
		q.Add(prefix+"schedule", tether.ErrorFields(err)["schedule"])
	} else {
		c.Schedule = sch
	}
	if strings.TrimSpace(in.Start) == "" {
		q.Add(prefix+"start", "give the first day the condition applies")
	}
	c.Start = inputDate(q, prefix+"start", in.Start)
	c.End = inputDate(q, prefix+"end", in.End)
	if err := q.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// prefixed puts prefix before the fields of an EINVALID error.
func prefixed(err error, prefix string) error {
	fields := tether.ErrorFields(err)
	if tether.ErrorCode(err) != tether.EINVALID || len(fields) == 0 {
		return err
	}
	q := tether.Problems{}
	for k, v := range fields {
		if strings.HasPrefix(k, prefix) {
			q.Add(k, v)
		} else {
			q.Add(prefix+k, v)
		}
	}
	return q.Err()
}

func (s *Server) apiPersonConditions(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Reporting.PersonConditions(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, conditionList{Conditions: list})
}

func (s *Server) apiCreateCondition(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in conditionInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := in.condition(id, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.Reporting.CreateCondition(r.Context(), c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rec)
}

func (s *Server) apiGetCondition(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.Reporting.FindCondition(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (s *Server) apiChangeCondition(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in conditionChangeInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	next, err := in.Condition.condition(0, "condition.")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The change's reason is checked here, so that every field the store
	// refuses is the new condition's, named condition.*.
	switch reason := strings.TrimSpace(in.Reason); {
	case reason == "":
		s.fail(w, r, tether.Invalid("reason", "say why the condition is changed"))
		return
	case utf8.RuneCountInString(reason) > 500:
		s.fail(w, r, tether.Invalid("reason", "must be 500 characters or fewer"))
		return
	}
	old, rec, err := s.Reporting.ChangeCondition(r.Context(), id, next, in.Reason)
	if err != nil {
		s.fail(w, r, prefixed(err, "condition."))
		return
	}
	writeJSON(w, http.StatusOK, conditionChanged{Ended: old, Condition: rec})
}

func (s *Server) apiEndCondition(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in conditionEndInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	q := tether.Problems{}
	if strings.TrimSpace(in.End) == "" {
		q.Add("end", "give the last day the condition applies")
	}
	last := inputDate(q, "end", in.End)
	if err := q.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.Reporting.EndCondition(r.Context(), id, last, in.Reason)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (s *Server) apiPersonEvents(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := tether.Problems{}
	from := inputDate(q, "from", r.URL.Query().Get("from"))
	to := inputDate(q, "to", r.URL.Query().Get("to"))
	if err := q.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Reporting.PersonEvents(r.Context(), id, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, eventList{Events: list})
}

func (s *Server) apiGetEvent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.Reporting.FindEvent(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) apiRoster(w http.ResponseWriter, r *http.Request) {
	q := tether.Problems{}
	v := r.URL.Query()
	day := inputDate(q, "day", v.Get("day"))
	if v.Get("day") == "" {
		day = calendar.FromTime(s.clock.Now(), ukTime)
	}
	if err := q.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	ro, err := s.Reporting.Roster(r.Context(), v.Get("centre"), day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ro)
}

func (s *Server) apiCheckIn(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in checkInInput
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	e, err := s.Reporting.CheckInEvent(r.Context(), id, reporting.CheckIn{How: in.How, Where: in.Where, Version: in.Version})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) apiRecordOutcome(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in outcomeInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	q := tether.Problems{}
	newDate := inputDate(q, "new_date", in.NewDate)
	if err := q.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	e, next, err := s.Reporting.RecordOutcome(r.Context(), id, reporting.OutcomeRequest{State: in.State, Reason: in.Reason,
		AcceptedBy: in.AcceptedBy, NewDate: newDate, NewAt: in.NewAt, Version: in.Version})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, outcomeAnswer{Event: e, Next: next})
}

func (s *Server) apiPersonFlags(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	flags, history, err := s.Reporting.PersonFlags(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, personFlags{Flags: flags, History: history})
}

func (s *Server) apiSetPersonFlag(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in flagInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Reporting.SetPersonFlag(r.Context(), id, in.Flag, in.Set, in.Reason); err != nil {
		s.fail(w, r, err)
		return
	}
	flags, history, err := s.Reporting.PersonFlags(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, personFlags{Flags: flags, History: history})
}
