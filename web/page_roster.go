package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tether"
	"tether/calendar"
	"tether/reporting"
)

// The roster page: who is due at a reporting centre on a day, with a
// check-in box at the top. The box is a plain form: the desk types a
// reference or two or three letters of a name, gets the matching due
// people, each with a "Check in" button. It works without JavaScript.

// Words and colours for the events' states, as pages show them.
var (
	eventStateNames = map[string]string{
		reporting.EventDue: "Due", reporting.EventReported: "Checked in", reporting.EventMissed: "Missed",
		reporting.EventExcused: "Excused", reporting.EventRescheduled: "Rescheduled",
	}
	eventStateColours = map[string]string{
		reporting.EventDue: "blue", reporting.EventReported: "green", reporting.EventMissed: "red",
		reporting.EventExcused: "grey", reporting.EventRescheduled: "grey",
	}
)

// rosterPage is a centre's roster for a day and the check-in box.
type rosterPage struct {
	layout
	Centre  string
	Day     string // YYYY-MM-DD
	DayText string
	Today   bool
	Roster  *reporting.Roster
	Rows    []rosterRow
	// Query is the check-in box's text; Matches the due people it finds,
	// once Searched.
	Query    string
	Searched bool
	Matches  []rosterRow
	// CanCheckIn: the user may check people in, and the roster is today's.
	CanCheckIn bool
	// Here is the roster's own address, to come back to.
	Here string
}

type rosterRow struct {
	reporting.RosterEntry
	StateName, StateColour string
	PersonHref             string
	// Due: the event may still be checked in (it is today's and due).
	Due bool
}

// rosterFields maps the store's field keys onto the roster's forms.
var rosterFields = []fieldSpec{
	{Key: "centre", ID: "centre", Label: "Reporting centre", Required: "Enter the reporting centre"},
	{Key: "day", ID: "day", Label: "Day"},
}

// minRosterQuery is how many letters of a name the check-in box needs: a
// reference matches from its first characters too.
const minRosterQuery = 2

// rosterURL is the roster's address for a centre and a day, with extra
// query parameters.
func rosterURL(centre, day string, extra url.Values) string {
	v := url.Values{}
	if centre != "" {
		v.Set("centre", centre)
	}
	if day != "" {
		v.Set("day", day)
	}
	for k, vs := range extra {
		v[k] = vs
	}
	if len(v) == 0 {
		return "/roster"
	}
	return "/roster?" + v.Encode()
}

func (s *Server) pageRoster(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := newForm(url.Values{"centre": {q.Get("centre")}, "day": {q.Get("day")}, "q": {q.Get("q")}})
	s.showRoster(w, r, http.StatusOK, f, q.Get("done") == "checked-in", q.Get("event"))
}

// showRoster renders the roster of the centre and day in f; checkedIn asks
// for the banner about event eventID.
func (s *Server) showRoster(w http.ResponseWriter, r *http.Request, status int, f *form, checkedIn bool, eventID string) {
	today := calendar.FromTime(s.clock.Now(), ukTime)
	p := rosterPage{layout: s.newLayout(r, "Reporting roster"), Centre: strings.Join(strings.Fields(f.Value("centre")), " ")}
	p.Nav = "roster"
	p.Nav, p.Form = "roster", f
	day := today
	if v := strings.TrimSpace(f.Value("day")); v != "" {
		d, err := calendar.ParseDate(v)
		if err != nil || !d.IsValid() {
			f.add("day", "", "Enter the day as YYYY-MM-DD, like "+today.String(), 1)
		} else {
			day = d
		}
	}
	f.Values.Set("day", day.String())
	p.Day, p.DayText, p.Today = day.String(), day.Long(), day == today
	p.Here = rosterURL(p.Centre, p.Day, nil)
	p.Query = strings.TrimSpace(f.Value("q"))
	if p.Centre == "" || len(f.Errors) > 0 {
		if p.Query != "" && p.Centre == "" {
			f.add("centre", "", "Enter the reporting centre before you look for someone", 0)
		}
		s.render(w, r, statusFor(status, f), "roster", p)
		return
	}
	ro, err := s.Reporting.Roster(r.Context(), p.Centre, day)
	switch tether.ErrorCode(err) {
	case "":
	case tether.EINVALID:
		f.addDomainErrors(err, rosterFields, "centre")
		s.render(w, r, http.StatusBadRequest, "roster", p)
		return
	default:
		s.fail(w, r, err)
		return
	}
	p.Roster = ro
	p.CanCheckIn = p.CanWrite && p.Today
	for _, e := range ro.Entries {
		row := rosterRow{RosterEntry: e, StateName: nameOr(eventStateNames, e.State), StateColour: eventStateColours[e.State],
			PersonHref: personURL(e.PersonID, ""), Due: p.Today && e.State == reporting.EventDue}
		if e.Late {
			row.StateName, row.StateColour = "Late", "orange"
		}
		p.Rows = append(p.Rows, row)
		if checkedIn && strconv.FormatInt(e.EventID, 10) == eventID && e.State == reporting.EventReported {
			who := e.PersonRef
			if e.Name != "" {
				who = e.Name + " (" + e.PersonRef + ")"
			}
			p.Success = "Checked in: " + who
		}
	}
	if p.Query != "" {
		p.Searched = true
		if len([]rune(p.Query)) < minRosterQuery {
			f.add("q", "", "Enter at least 2 letters of their name, or their reference", 0)
		} else {
			for _, row := range p.Rows {
				if row.Due && rosterMatch(row.RosterEntry, p.Query) {
					p.Matches = append(p.Matches, row)
				}
			}
		}
	}
	s.render(w, r, statusFor(status, f), "roster", p)
}

// statusFor is the status of a page that may show form errors: 400 when
// it does and nothing else was asked for.
func statusFor(status int, f *form) int {
	if status == http.StatusOK && len(f.Summary) > 0 {
		return http.StatusBadRequest
	}
	return status
}

// rosterMatch reports whether the check-in box's text finds the entry: a
// reference containing it (spaces and case ignored), or a name with a word
// starting with each word of it ("am yu" finds Amina Yusuf).
func rosterMatch(e reporting.RosterEntry, query string) bool {
	q := strings.ToUpper(strings.Join(strings.Fields(query), ""))
	if q != "" && strings.Contains(strings.ToUpper(e.PersonRef), q) {
		return true
	}
	if e.Name == "" {
		return false
	}
	words := strings.Fields(strings.ToLower(e.Name))
	for _, part := range strings.Fields(strings.ToLower(query)) {
		found := false
		for _, w := range words {
			if strings.HasPrefix(w, part) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// pageRosterCheckIn checks a person in from the roster. A second desk
// checking in the same event meets the roster again with a message that
// says who checked them in and when, not an error page.
func (s *Server) pageRosterCheckIn(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(url.Values{"centre": {r.PostForm.Get("centre")}, "day": {r.PostForm.Get("day")}, "q": {r.PostForm.Get("q")}})
	centre := strings.Join(strings.Fields(f.Value("centre")), " ")
	id, err := strconv.ParseInt(r.PostForm.Get("event"), 10, 64)
	if err != nil || id <= 0 {
		f.notice("q", "Choose the person to check in")
		s.showRoster(w, r, http.StatusBadRequest, f, false, "")
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	_, err = s.Reporting.CheckInEvent(r.Context(), id, reporting.CheckIn{Version: version})
	switch tether.ErrorCode(err) {
	case "":
		http.Redirect(w, r, rosterURL(centre, f.Value("day"), url.Values{"done": {"checked-in"}, "event": {strconv.FormatInt(id, 10)}}), http.StatusSeeOther)
		return
	case tether.ECONFLICT, tether.EINVALID:
	default:
		s.fail(w, r, err)
		return
	}
	msg := upperFirst(tether.ErrorMessage(err))
	if e, ferr := s.Reporting.FindEvent(r.Context(), id); ferr == nil && e.State == reporting.EventReported && e.Outcome != nil {
		msg = "Already checked in at " + e.Outcome.At.In(ukTime).Format("15:04") + " by " + s.actorNames(r.Context())(e.Outcome.By) +
			": there is nothing more to do"
	}
	f.notice("q", msg)
	status := http.StatusConflict
	if tether.ErrorCode(err) == tether.EINVALID {
		status = http.StatusBadRequest
	}
	s.showRoster(w, r, status, f, false, "")
}
