package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tether"
)

// peoplePerPage is how many people a page of the list shows.
const peoplePerPage = 25

type peoplePage struct {
	layout
	// Searched: the search form was sent; Hits holds its results.
	Searched bool
	Hits     []*tether.SearchHit
	// Otherwise a page of the list.
	People           []*tether.Person
	Total            int
	NoWorkingChannel bool
	Pages            pagination
}

// pagination is the GOV.UK pagination component's data.
type pagination struct {
	Prev, Next string
	Items      []pageLink
	// First and Last number the people shown, for "Showing 1 to 25 of 80".
	First, Last int
}

type pageLink struct {
	Number  int
	Href    string
	Current bool
	// Ellipsis stands for skipped pages.
	Ellipsis bool
}

var searchFields = []fieldSpec{
	{Key: "name", ID: "name", Label: "Name"},
	{Key: "ref", ID: "ref", Label: "Reference"},
	{Key: "date_of_birth", ID: "dob", Focus: "dob-day", Label: "Date of birth"},
	{Key: "postcode", ID: "postcode", Label: "Postcode"},
}

// pagePeople lists people a page at a time, or searches when the search
// form was sent.
func (s *Server) pagePeople(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := peoplePage{layout: s.newLayout(r, "People")}
	p.Nav = "people"
	p.Form = newForm(q)
	p.NoWorkingChannel = q.Get("no_working_channel") == "1"
	for _, k := range []string{"name", "ref", "postcode", "dob-day", "dob-month", "dob-year"} {
		if q.Has(k) {
			p.Searched = true
		}
	}
	if p.Searched {
		p.Title = "Search results"
		sq := tether.SearchQuery{Name: q.Get("name"), Ref: q.Get("ref"), Postcode: q.Get("postcode")}
		dob, ok := dateInput(p.Form, "dob", "Date of birth", 2)
		sq.DateOfBirth = dob
		if err := sq.Validate(); err != nil || !ok {
			if err != nil {
				p.Form.addDomainErrors(err, searchFields, "name")
			}
			s.render(w, r, http.StatusBadRequest, "people", p)
			return
		}
		hits, err := s.People.SearchPeople(r.Context(), sq)
		if tether.ErrorCode(err) == tether.EINVALID {
			p.Form.addDomainErrors(err, searchFields, "name")
			s.render(w, r, http.StatusBadRequest, "people", p)
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Hits = hits
		s.render(w, r, http.StatusOK, "people", p)
		return
	}

	page, err := queryInt(r, "page", 1)
	if err != nil || page < 1 {
		page = 1
	}
	people, total, err := s.People.FindPeople(r.Context(), tether.PersonFilter{
		NoWorkingChannel: p.NoWorkingChannel, Offset: (page - 1) * peoplePerPage, Limit: peoplePerPage,
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.People, p.Total = people, total
	p.Pages = paginate(page, total, len(people), func(n int) string {
		v := url.Values{}
		if p.NoWorkingChannel {
			v.Set("no_working_channel", "1")
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return "/people"
		}
		return "/people?" + v.Encode()
	})
	s.render(w, r, http.StatusOK, "people", p)
}

// paginate builds the pagination for page of a list of total, showing the
// first, last and neighbouring pages and ellipses between.
func paginate(page, total, shown int, href func(int) string) pagination {
	var pg pagination
	if shown > 0 {
		pg.First = (page-1)*peoplePerPage + 1
		pg.Last = pg.First + shown - 1
	}
	last := (total + peoplePerPage - 1) / peoplePerPage
	if last <= 1 {
		return pg
	}
	if page > 1 {
		pg.Prev = href(page - 1)
	}
	if page < last {
		pg.Next = href(page + 1)
	}
	gap := false
	for n := 1; n <= last; n++ {
		if n == 1 || n == last || (n >= page-1 && n <= page+1) {
			pg.Items = append(pg.Items, pageLink{Number: n, Href: href(n), Current: n == page})
			gap = false
		} else if !gap {
			pg.Items = append(pg.Items, pageLink{Ellipsis: true})
			gap = true
		}
	}
	return pg
}

// personForm is the add and change person page.
type personForm struct {
	layout
	Action    string
	Button    string
	Person    *tether.Person // the stored person when changing
	Countries []option
}

var personFields = []fieldSpec{
	{Key: "family_name", ID: "family_name", Label: "Family name", Required: "Enter the family name"},
	{Key: "given_names", ID: "given_names", Label: "Given names"},
	{Key: "date_of_birth", ID: "dob", Focus: "dob-day", Label: "Date of birth"},
	{Key: "nationality", ID: "nationality", Label: "Nationality"},
	{Key: "preferred_language", ID: "preferred_language", Label: "Preferred language"},
	{Key: "needs.interpreter_language", ID: "interpreter_language", Label: "Interpreter's language"},
	{Key: "needs.accessibility", ID: "accessibility", Label: "Accessibility needs"},
	{Key: "representative.organisation", ID: "rep_organisation", Label: "Representative's organisation"},
	{Key: "representative", ID: "rep_name", Label: "Representative"},
	{Key: "ref", ID: "family_name", Label: "Reference"},
}

func (s *Server) pageNewPerson(w http.ResponseWriter, r *http.Request) {
	p := personForm{layout: s.newLayout(r, "Add a person"), Action: "/people", Button: "Add person", Countries: countryOptions}
	p.Nav, p.Back = "new-person", "/people"
	s.render(w, r, http.StatusOK, "person_form", p)
}

// pageCreatePerson adds a person. Likely duplicates do not stop it: the
// person's page warns about them.
func (s *Server) pageCreatePerson(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	p := personForm{layout: s.newLayout(r, "Add a person"), Action: "/people", Button: "Add person", Countries: countryOptions}
	p.Nav, p.Back = "new-person", "/people"
	p.Form = newForm(r.PostForm)
	person := &tether.Person{}
	if !readPersonForm(p.Form, person, s.clock) {
		s.render(w, r, http.StatusBadRequest, "person_form", p)
		return
	}
	err := s.People.CreatePerson(r.Context(), person)
	if tether.ErrorCode(err) == tether.EINVALID {
		p.Form.addDomainErrors(err, personFields, "family_name")
		s.render(w, r, http.StatusBadRequest, "person_form", p)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, personURL(person.ID, "person-added"), http.StatusSeeOther)
}

func (s *Server) pageEditPerson(w http.ResponseWriter, r *http.Request) {
	person, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	p := s.editPersonForm(r, person)
	p.Form = newForm(personValues(person))
	s.render(w, r, http.StatusOK, "person_form", p)
}

func (s *Server) editPersonForm(r *http.Request, person *tether.Person) personForm {
	p := personForm{layout: s.newLayout(r, "Change the details of "+person.Ref),
		Action: "/people/" + strconv.FormatInt(person.ID, 10) + "/edit", Button: "Save changes",
		Person: person, Countries: countryOptions}
	p.Nav, p.Back = "people", personURL(person.ID, "")
	return p
}

// pageUpdatePerson changes a person's details. The form carries the version
// it was read at, so that a change made meanwhile by someone else is never
// silently overwritten.
func (s *Server) pageUpdatePerson(w http.ResponseWriter, r *http.Request) {
	stored, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.editPersonForm(r, stored)
	p.Form = newForm(r.PostForm)
	// Start from the stored record so that what the form does not show
	// (other names, the representative's organisation link) is kept.
	person := *stored
	if stored.Representative != nil {
		rep := *stored.Representative
		person.Representative = &rep
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		s.fail(w, r, tether.Errorf(tether.EINVALID, "The form is missing the record's version: go back and try again."))
		return
	}
	person.Version = version
	if !readPersonForm(p.Form, &person, s.clock) {
		s.render(w, r, http.StatusBadRequest, "person_form", p)
		return
	}
	err = s.People.UpdatePerson(r.Context(), &person)
	switch tether.ErrorCode(err) {
	case "":
		http.Redirect(w, r, personURL(stored.ID, "person-updated"), http.StatusSeeOther)
	case tether.EINVALID:
		p.Form.addDomainErrors(err, personFields, "family_name")
		s.render(w, r, http.StatusBadRequest, "person_form", p)
	case tether.ECONFLICT:
		// Show the details as they are now, so that nothing is lost by a
		// second save; the user makes their change again.
		current, ferr := s.People.FindPersonByID(r.Context(), stored.ID)
		if ferr != nil {
			s.fail(w, r, ferr)
			return
		}
		p = s.editPersonForm(r, current)
		p.Form = newForm(personValues(current))
		p.Form.notice("family_name", "Someone else changed these details while you were editing them. The form now shows their changes: make your changes again.")
		s.render(w, r, http.StatusConflict, "person_form", p)
	default:
		s.fail(w, r, err)
	}
}

// readPersonForm reads the person form into p and checks it with the
// domain's rules, so that every problem shows at once. It reports whether
// the form is free of problems.
func readPersonForm(f *form, p *tether.Person, clock tether.Clock) bool {
	v := f.Values
	p.FamilyName = v.Get("family_name")
	p.GivenNames = v.Get("given_names")
	dob, dateOK := dateInput(f, "dob", "Date of birth", 2)
	if dateOK {
		p.DateOfBirth = dob
	}
	p.Nationality = v.Get("nationality")
	p.PreferredLanguage = v.Get("preferred_language")
	p.Needs.Interpreter = v.Get("interpreter") == "yes"
	p.Needs.InterpreterLanguage = ""
	if p.Needs.Interpreter {
		p.Needs.InterpreterLanguage = v.Get("interpreter_language")
	}
	p.Needs.Accessibility = v.Get("accessibility")
	org, name := strings.TrimSpace(v.Get("rep_organisation")), strings.TrimSpace(v.Get("rep_name"))
	instructed := v.Get("rep_instructed") == "yes"
	if org != "" || name != "" || instructed || (p.Representative != nil && p.Representative.OrganisationID != nil) {
		rep := &tether.Representative{}
		if p.Representative != nil {
			rep.OrganisationID = p.Representative.OrganisationID
		}
		rep.Organisation, rep.Name, rep.Instructed = org, name, instructed
		p.Representative = rep
	} else {
		p.Representative = nil
	}
	if err := p.Validate(clock.Now()); err != nil {
		f.addDomainErrors(err, personFields, "family_name")
	}
	return dateOK && len(f.Summary) == 0
}

// personValues fills the person form from a stored person.
func personValues(p *tether.Person) url.Values {
	v := url.Values{}
	v.Set("version", strconv.Itoa(p.Version))
	v.Set("family_name", p.FamilyName)
	v.Set("given_names", p.GivenNames)
	dateValues(v, "dob", p.DateOfBirth)
	v.Set("nationality", p.Nationality)
	v.Set("preferred_language", p.PreferredLanguage)
	if p.Needs.Interpreter {
		v.Set("interpreter", "yes")
	} else {
		v.Set("interpreter", "no")
	}
	v.Set("interpreter_language", p.Needs.InterpreterLanguage)
	v.Set("accessibility", p.Needs.Accessibility)
	if rep := p.Representative; rep != nil {
		v.Set("rep_organisation", rep.Organisation)
		v.Set("rep_name", rep.Name)
		if rep.Instructed {
			v.Set("rep_instructed", "yes")
		}
	}
	return v
}

// findPerson reads the person named by the path's id, or answers with the error.
func (s *Server) findPerson(w http.ResponseWriter, r *http.Request) (*tether.Person, bool) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	p, err := s.People.FindPersonByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return p, true
}

// personURL is a person's page, with the code of a success banner to show.
func personURL(id int64, done string) string {
	u := "/people/" + strconv.FormatInt(id, 10)
	if done != "" {
		u += "?done=" + done
	}
	return u
}
