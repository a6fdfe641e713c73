package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"tether"
)

// contactForm is the add and change contact point page.
type contactForm struct {
	layout
	Person *tether.Person
	// Point is the contact point being changed; nil when adding.
	Point     *tether.ContactPoint
	Action    string
	Button    string
	Kinds     []option
	Parties   []option
	Sources   []option
	Countries []option
}

// endForm is the page that ends a contact point.
type endForm struct {
	layout
	Person  *tether.Person
	Point   *tether.ContactPoint
	Display string
}

// contactFields maps the domain's field keys onto the contact point form.
// The phone number has one input per kind, and the error goes by the one
// for the kind chosen.
func contactFields(kind string) []fieldSpec {
	phone := "phone_mobile"
	if kind == tether.KindLandline {
		phone = "phone_landline"
	}
	return []fieldSpec{
		{Key: "kind", ID: "kind", Label: "Kind of contact point", Required: "Select the kind of contact point"},
		{Key: "address", ID: "address_line1", Label: "Address"},
		{Key: "address.lines", ID: "address_line1", Label: "Address line"},
		{Key: "address.town", ID: "address_town", Label: "Town or city"},
		{Key: "address.postcode", ID: "address_postcode", Label: "Postcode"},
		{Key: "address.country", ID: "address_country", Label: "Country"},
		{Key: "email", ID: "email", Label: "Email address"},
		{Key: "phone", ID: phone, Label: "Phone number"},
		{Key: "party", ID: "party", Label: "Whose contact point", Required: "Select whose contact point this is"},
		{Key: "party_name", ID: "party_name", Label: "Name"},
		{Key: "source", ID: "source", Label: "Source", Required: "Select who gave this detail"},
		{Key: "source_detail", ID: "source_detail", Label: "Source detail"},
		{Key: "verification", ID: "kind", Label: "Verification"},
		{Key: "reason", ID: "reason", Label: "Reason"},
	}
}

func (s *Server) newContactForm(r *http.Request, title string, person *tether.Person) contactForm {
	p := contactForm{layout: s.newLayout(r, title), Person: person, Countries: addressCountries}
	p.Nav, p.Back = "people", personURL(person.ID, "")
	for _, k := range tether.ContactKinds {
		p.Kinds = append(p.Kinds, option{k, kindNames[k]})
	}
	for _, k := range tether.Parties {
		p.Parties = append(p.Parties, option{k, partyNames[k]})
	}
	for _, k := range tether.Sources {
		if k != tether.SourceImport { // only imports record that source
			p.Sources = append(p.Sources, option{k, sourceNames[k]})
		}
	}
	return p
}

func (s *Server) pageNewContactPoint(w http.ResponseWriter, r *http.Request) {
	person, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	p := s.newContactForm(r, "Add a contact point", person)
	p.Action = "/people/" + strconv.FormatInt(person.ID, 10) + "/contact-points"
	p.Button = "Add contact point"
	v := url.Values{"party": {tether.PartySelf}, "address_country": {"GB"}}
	if k := r.URL.Query().Get("kind"); slices.Contains(tether.ContactKinds, k) {
		v.Set("kind", k)
	}
	p.Form = newForm(v)
	s.render(w, r, http.StatusOK, "contact_form", p)
}

func (s *Server) pageAddContactPoint(w http.ResponseWriter, r *http.Request) {
	person, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newContactForm(r, "Add a contact point", person)
	p.Action = "/people/" + strconv.FormatInt(person.ID, 10) + "/contact-points"
	p.Button = "Add contact point"
	p.Form = newForm(r.PostForm)
	c := readContactForm(p.Form)
	c.PersonID = person.ID
	specs := contactFields(c.Kind)
	// Check here too, so that every problem shows at once.
	if err := c.Validate(); err != nil {
		p.Form.addDomainErrors(err, specs, "kind")
		s.render(w, r, http.StatusBadRequest, "contact_form", p)
		return
	}
	err := s.Contacts.AddContactPoint(r.Context(), c)
	if tether.ErrorCode(err) == tether.EINVALID {
		p.Form.addDomainErrors(err, specs, "kind")
		s.render(w, r, http.StatusBadRequest, "contact_form", p)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, personURL(person.ID, "contact-point-added"), http.StatusSeeOther)
}

// findCurrentPoint reads the contact point named by the path and its
// person. A point that has ended cannot be changed, ended or confirmed.
func (s *Server) findCurrentPoint(w http.ResponseWriter, r *http.Request) (*tether.ContactPoint, *tether.Person, bool) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	c, err := s.Contacts.FindContactPointByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	person, err := s.People.FindPersonByID(r.Context(), c.PersonID)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	if !c.Current(s.clock.Now()) {
		s.fail(w, r, tether.Errorf(tether.ECONFLICT, "This contact point has already ended, so it cannot be changed."))
		return nil, nil, false
	}
	return c, person, true
}

func (s *Server) changeContactForm(r *http.Request, c *tether.ContactPoint, person *tether.Person) contactForm {
	p := s.newContactForm(r, "Change a contact point", person)
	p.Point = c
	p.Action = "/contact-points/" + strconv.FormatInt(c.ID, 10) + "/change"
	p.Button = "Save the new details"
	return p
}

// pageChangeContactPoint shows the contact point's form filled in with its
// details; saving ends it and starts the new one.
func (s *Server) pageChangeContactPoint(w http.ResponseWriter, r *http.Request) {
	c, person, ok := s.findCurrentPoint(w, r)
	if !ok {
		return
	}
	p := s.changeContactForm(r, c, person)
	p.Form = newForm(contactValues(c))
	s.render(w, r, http.StatusOK, "contact_form", p)
}

func (s *Server) pageReplaceContactPoint(w http.ResponseWriter, r *http.Request) {
	old, person, ok := s.findCurrentPoint(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.changeContactForm(r, old, person)
	p.Form = newForm(r.PostForm)
	c := readContactForm(p.Form)
	c.PersonID = old.PersonID
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	specs := contactFields(c.Kind)
	bad := false
	if err := c.Validate(); err != nil {
		p.Form.addDomainErrors(err, specs, "kind")
		bad = true
	}
	if err := tether.ValidateReason("reason", reason); err != nil {
		p.Form.addDomainErrors(err, specs, "reason")
		bad = true
	}
	if bad {
		s.render(w, r, http.StatusBadRequest, "contact_form", p)
		return
	}
	err := s.Contacts.ReplaceContactPoint(r.Context(), old.ID, c, reason)
	if tether.ErrorCode(err) == tether.EINVALID {
		p.Form.addDomainErrors(err, specs, "kind")
		s.render(w, r, http.StatusBadRequest, "contact_form", p)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, personURL(old.PersonID, "contact-point-changed"), http.StatusSeeOther)
}

func (s *Server) newEndForm(r *http.Request, c *tether.ContactPoint, person *tether.Person) endForm {
	p := endForm{layout: s.newLayout(r, "End a contact point"), Person: person, Point: c, Display: pointDisplay(c, true)}
	p.Nav, p.Back = "people", personURL(person.ID, "")
	return p
}

func (s *Server) pageEndContactPointForm(w http.ResponseWriter, r *http.Request) {
	c, person, ok := s.findCurrentPoint(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "end_contact", s.newEndForm(r, c, person))
}

var endFields = []fieldSpec{{Key: "reason", ID: "reason", Label: "Reason"}}

func (s *Server) pageEndContactPoint(w http.ResponseWriter, r *http.Request) {
	c, person, ok := s.findCurrentPoint(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newEndForm(r, c, person)
	p.Form = newForm(r.PostForm)
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	err := tether.ValidateReason("reason", reason)
	if err == nil {
		err = s.Contacts.EndContactPoint(r.Context(), c.ID, reason)
	}
	if tether.ErrorCode(err) == tether.EINVALID {
		p.Form.addDomainErrors(err, endFields, "reason")
		s.render(w, r, http.StatusBadRequest, "end_contact", p)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, personURL(c.PersonID, "contact-point-ended"), http.StatusSeeOther)
}

// pageConfirmContactPoint records that a contact point worked, and how. A
// refused form shows the person's page again with the error by the point.
func (s *Server) pageConfirmContactPoint(w http.ResponseWriter, r *http.Request) {
	c, person, ok := s.findCurrentPoint(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	how := r.PostForm.Get("how")
	howID := "how-" + strconv.FormatInt(c.ID, 10)
	var err error
	if !slices.Contains(tether.ConfirmedHows, how) {
		err = &tether.Error{Code: tether.EINVALID, Fields: map[string]string{"how": "select how you know it works"}}
	} else {
		err = s.Contacts.ConfirmContactPoint(r.Context(), c.ID, how)
	}
	if tether.ErrorCode(err) == tether.EINVALID {
		f := newForm(nil)
		f.addDomainErrors(err, []fieldSpec{{Key: "how", ID: howID, Label: "How it was confirmed"}}, howID)
		s.showPerson(w, r, http.StatusBadRequest, person, f)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, personURL(c.PersonID, "contact-point-confirmed"), http.StatusSeeOther)
}

// readContactForm reads the contact point form. Every kind's inputs are on
// the page (the radios reveal one set), so only the chosen kind's are read.
func readContactForm(f *form) *tether.ContactPoint {
	v := f.Values
	c := &tether.ContactPoint{
		Kind: v.Get("kind"), Party: v.Get("party"),
		Source: v.Get("source"), SourceDetail: v.Get("source_detail"),
		ForCorrespondence: v.Get("for_correspondence") == "yes",
	}
	if c.Party != tether.PartySelf {
		c.PartyName, c.Relationship = v.Get("party_name"), v.Get("relationship")
	}
	switch c.Kind {
	case tether.KindPostal:
		c.Address = &tether.Address{
			Lines:    []string{v.Get("address_line1"), v.Get("address_line2"), v.Get("address_line3")},
			Town:     v.Get("address_town"),
			Postcode: v.Get("address_postcode"),
			Country:  v.Get("address_country"),
		}
	case tether.KindEmail:
		c.Email = v.Get("email")
	case tether.KindMobile:
		c.Phone = v.Get("phone_mobile")
	case tether.KindLandline:
		c.Phone = v.Get("phone_landline")
	}
	return c
}

// contactValues fills the contact point form from a stored point.
func contactValues(c *tether.ContactPoint) url.Values {
	v := url.Values{}
	v.Set("kind", c.Kind)
	v.Set("party", c.Party)
	v.Set("party_name", c.PartyName)
	v.Set("relationship", c.Relationship)
	v.Set("source", c.Source)
	v.Set("source_detail", c.SourceDetail)
	if c.ForCorrespondence {
		v.Set("for_correspondence", "yes")
	}
	v.Set("address_country", "GB")
	if a := c.Address; a != nil {
		for i, l := range a.Lines {
			if i < 3 {
				v.Set("address_line"+strconv.Itoa(i+1), l)
			}
		}
		if len(a.Lines) > 3 {
			// Keep every line: the third input holds the rest.
			v.Set("address_line3", strings.Join(a.Lines[2:], ", "))
		}
		v.Set("address_town", a.Town)
		v.Set("address_postcode", a.Postcode)
		v.Set("address_country", a.Country)
	}
	v.Set("email", c.Email)
	switch c.Kind {
	case tether.KindMobile:
		v.Set("phone_mobile", c.Phone)
	case tether.KindLandline:
		v.Set("phone_landline", c.Phone)
	}
	return v
}
