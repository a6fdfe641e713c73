package web

import (
	"net/http"
	"strconv"

	"tether"
	"tether/reporting"
)

// A person's eligibility flags, which the reporting rules read (for
// example: no telephone reporting for someone identified for removal):
// those set, every setting and clearing, and, for those who may change
// people, a form to set or clear one with the reason. Reading them is
// recorded, so the person's page links here rather than reading them at
// every view.

// flagNames are the flags in words.
var flagNames = map[string]string{
	reporting.FlagIdentifiedForRemoval:     "Identified for removal",
	reporting.FlagFailedTelephoneReporting: "Fell out of contact after failing telephone reporting",
}

// flagBanners are the banners after the flag form, by ?done=.
var flagBanners = map[string]string{"flag-set": "Flag set", "flag-cleared": "Flag cleared"}

var flagFields = []fieldSpec{
	{Key: "flag", ID: "flag", Label: "Flag", Required: "Choose the flag"},
	{Key: "set", ID: "set", Label: "Set or clear", Required: "Choose whether to set or clear it"},
	{Key: "reason", ID: "reason", Label: "Reason", Required: "Say why"},
}

// flagsPage shows a person's flags and their history, with the form.
type flagsPage struct {
	layout
	Person  *tether.Person
	Action  string
	Flags   []flagRow
	History []flagRow
	Options []option
	Actions []option
}

// flagRow is a flag set, or one setting or clearing of one.
type flagRow struct {
	Name, What, When, By, Reason string
}

func (s *Server) pagePersonFlags(w http.ResponseWriter, r *http.Request) {
	person, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	s.showFlags(w, r, http.StatusOK, person, newForm(nil))
}

func (s *Server) pageSetPersonFlag(w http.ResponseWriter, r *http.Request) {
	person, ok := s.findPerson(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	flag, set, reason := f.Value("flag"), f.Value("set"), f.Value("reason")
	// Every problem at once: the flag and the reason as the domain checks
	// them, and the page's own choice of setting or clearing.
	if err := reporting.CheckFlagChange(flag, reason); err != nil {
		f.addDomainErrors(err, flagFields, "reason")
	}
	if set != "set" && set != "clear" {
		f.add("set", "", "Choose whether to set or clear it", 1)
	}
	if len(f.Summary) == 0 {
		err := s.Reporting.SetPersonFlag(r.Context(), person.ID, flag, set == "set", reason)
		if err == nil {
			done := "flag-set"
			if set != "set" {
				done = "flag-cleared"
			}
			http.Redirect(w, r, flagsURL(person.ID)+"?done="+done, http.StatusSeeOther)
			return
		}
		switch tether.ErrorCode(err) {
		case tether.EINVALID:
			f.addDomainErrors(err, flagFields, "reason")
		case tether.ECONFLICT:
			f.notice("flag", upperFirst(tether.ErrorMessage(err)))
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.showFlags(w, r, http.StatusBadRequest, person, f)
}

func (s *Server) showFlags(w http.ResponseWriter, r *http.Request, status int, person *tether.Person, f *form) {
	flags, history, err := s.Reporting.PersonFlags(r.Context(), person.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := flagsPage{layout: s.newLayout(r, "Eligibility flags"), Person: person, Action: flagsURL(person.ID),
		Actions: []option{{"set", "Set it"}, {"clear", "Clear it"}}}
	p.Nav, p.Back, p.Form = "people", personURL(person.ID, "")+"#reporting", f
	if status == http.StatusOK {
		p.Success = flagBanners[r.URL.Query().Get("done")]
	}
	for _, k := range reporting.Flags {
		p.Options = append(p.Options, option{k, flagNames[k]})
	}
	names := s.actorNames(r.Context())
	for _, fl := range flags {
		p.Flags = append(p.Flags, flagRow{Name: nameOr(flagNames, fl.Flag), When: fl.SetAt.In(ukTime).Format("2 January 2006"),
			By: names(fl.SetBy), Reason: fl.Reason})
	}
	// The newest first.
	for i := len(history) - 1; i >= 0; i-- {
		c := history[i]
		what := "Set"
		if c.Action == reporting.ActionFlagCleared {
			what = "Cleared"
		}
		p.History = append(p.History, flagRow{Name: nameOr(flagNames, c.Flag), What: what,
			When: c.At.In(ukTime).Format("2 January 2006 at 15:04"), By: names(c.Actor), Reason: c.Reason})
	}
	s.render(w, r, status, "person_flags", p)
}

func flagsURL(personID int64) string { return "/people/" + strconv.FormatInt(personID, 10) + "/flags" }
