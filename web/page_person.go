package web

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"tether"
)

// personPage is a person's record: details, contact health, current contact
// points with their actions, and the history of both.
type personPage struct {
	layout
	Person *tether.Person
	Health tether.ContactHealth
	// Current and Ended split the contact points at now.
	Current, Ended []pointView
	Events         []eventView
	Versions       []versionView
	// Duplicates are stored people who may be this one, shown after adding.
	Duplicates []*tether.SearchHit
	Hows       []option
	// Correspondence: the person's notices and open tasks.
	Correspondence personCorrespondence
	// LapsesSection is the contact status and lapses (page_lapses.go).
	LapsesSection htmlSection
	// ReportingSection is the reporting conditions and events (page_reporting.go).
	ReportingSection htmlSection
}

type pointView struct {
	*tether.ContactPoint
	Display string
	// From the contact health assessment, for current points.
	Working   bool
	Freshness string
	DaysSince int
	// HowID is the id of the point's "how was it confirmed" select.
	HowID string
}

type eventView struct {
	At    time.Time
	Type  string
	Point string
	Note  string
	Actor string
}

type versionView struct {
	Version   int
	Name      string
	Born      string
	ChangedAt time.Time
	ChangedBy string
	// Changed names the fields the next version changed.
	Changed string
}

// doneMessages are the success banners a redirect may ask for with ?done=.
// Only these fixed texts can appear: the parameter never reaches the page.
var doneMessages = map[string]string{
	"person-added":            "Person added",
	"person-updated":          "Details saved",
	"contact-point-added":     "Contact point added",
	"contact-point-changed":   "Contact point changed: the old one is kept in the history",
	"contact-point-ended":     "Contact point ended",
	"contact-point-confirmed": "Contact point confirmed as working",
}

func (s *Server) pagePerson(w http.ResponseWriter, r *http.Request) {
	person, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	s.showPerson(w, r, http.StatusOK, person, nil)
}

// showPerson renders a person's page; f carries the errors of a confirm
// form that was refused.
func (s *Server) showPerson(w http.ResponseWriter, r *http.Request, status int, person *tether.Person, f *form) {
	ctx := r.Context()
	points, err := s.Contacts.ContactPoints(ctx, person.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, err := s.Contacts.ContactPointEvents(ctx, person.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	versions, err := s.People.PersonHistory(ctx, person.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.clock.Now()
	// The title names the reference, not the person: titles end up in
	// browser history and on shared screens.
	p := personPage{layout: s.newLayout(r, "Person "+person.Ref), Person: person, Health: tether.AssessContact(points, now)}
	p.Nav, p.Back = "people", "/people"
	if f != nil {
		p.Form = f
	}
	done := r.URL.Query().Get("done")
	p.Success = doneMessages[done]
	if done == "person-added" && p.CanWrite {
		hits, err := s.People.FindLikelyDuplicates(ctx, person)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, h := range hits {
			if h.Person != nil && h.Person.ID != person.ID {
				p.Duplicates = append(p.Duplicates, h)
			}
		}
	}
	if p.Correspondence, err = s.loadPersonCorrespondence(r, person.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.LapsesSection, err = s.personLapsesSection(r, person.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.ReportingSection, err = s.personReportingSection(r, person.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Success == "" {
		p.Success = reportingBanners[done]
	}
	for _, h := range tether.ConfirmedHows {
		p.Hows = append(p.Hows, option{h, nameOr(howNames, h)})
	}

	health := map[int64]tether.ChannelHealth{}
	for _, ch := range p.Health.Channels {
		health[ch.ContactPointID] = ch
	}
	labels := map[int64]string{}
	for _, c := range points {
		v := pointView{ContactPoint: c, Display: pointDisplay(c, p.PersonalData), HowID: "how-" + strconv.FormatInt(c.ID, 10)}
		labels[c.ID] = nameOr(kindNames, c.Kind) + ": " + v.Display
		if c.Current(now) {
			ch := health[c.ID]
			v.Working, v.Freshness, v.DaysSince = ch.Working, ch.Freshness, ch.DaysSinceConfirmed
			p.Current = append(p.Current, v)
		} else {
			p.Ended = append(p.Ended, v)
		}
	}
	// Working channels first, then by kind, the newest first within a kind.
	sort.SliceStable(p.Current, func(i, j int) bool {
		a, b := p.Current[i], p.Current[j]
		if a.Working != b.Working {
			return a.Working
		}
		if ka, kb := slices.Index(tether.ContactKinds, a.Kind), slices.Index(tether.ContactKinds, b.Kind); ka != kb {
			return ka < kb
		}
		return a.ValidFrom.After(b.ValidFrom)
	})
	names := s.actorNames(ctx)
	for _, e := range events {
		label, ok := labels[e.ContactPointID]
		if !ok {
			label = "Contact point " + strconv.FormatInt(e.ContactPointID, 10)
		}
		note := e.Note
		if n, ok := howNames[note]; ok && e.Type == tether.EventConfirmed {
			note = n
		}
		p.Events = append(p.Events, eventView{At: e.At, Type: e.Type, Point: label, Note: note, Actor: names(e.Actor)})
	}
	// Versions come newest first; each one's successor is the one before it
	// in the list, or the current record.
	for i, v := range versions {
		next := person
		if i > 0 {
			next = versions[i-1].Person
		}
		vv := versionView{Version: v.Version, ChangedAt: v.ChangedAt, ChangedBy: names(v.ChangedBy)}
		if v.Person != nil {
			vv.Name, vv.Born = v.Person.FullName(), v.Person.DateOfBirth.Display()
			if next != nil {
				vv.Changed = changedFieldNames(v.Person, next)
			}
		}
		p.Versions = append(p.Versions, vv)
	}
	s.render(w, r, status, "person", p)
}

// pointDisplay is a contact point's value as the page shows it. A redacted
// point keeps only the postcode area or country.
func pointDisplay(c *tether.ContactPoint, personalData bool) string {
	if !personalData {
		if c.Address != nil {
			if c.Address.UK() && c.Address.Postcode != "" {
				return "Hidden (postcode area " + c.Address.Postcode + ")"
			}
			return "Hidden (" + tether.CountryName(c.Address.Country) + ")"
		}
		return "Hidden"
	}
	if v := c.Value(); v != "" {
		return v
	}
	return "Not recorded"
}

func changedFieldNames(old, next *tether.Person) string {
	f := tether.ChangedFields(old, next)
	if f == "" {
		return "No visible change"
	}
	parts := strings.Split(f, ",")
	for i, p := range parts {
		parts[i] = nameOr(fieldNames, p)
	}
	return upperFirst(strings.Join(parts, ", "))
}

// actorNames returns a function that names the actor of an audit label:
// "user:42" becomes the user's name where it can be read, and any other
// label stays as it is.
func (s *Server) actorNames(ctx context.Context) func(string) string {
	cache := map[string]string{}
	return func(label string) string {
		if n, ok := cache[label]; ok {
			return n
		}
		name := label
		if idText, ok := strings.CutPrefix(label, "user:"); ok && s.Users != nil {
			if id, err := strconv.ParseInt(idText, 10, 64); err == nil {
				if u, err := s.Users.FindUserByID(ctx, id); err == nil && u.Name != "" {
					name = u.Name
				}
			}
		}
		cache[label] = name
		return name
	}
}
