package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tether"
	"tether/reporting"
)

// A caseworker sets and clears a person's eligibility flag on the page,
// through the real server and store: a form with a problem changes
// nothing, the flag then binds the next condition (the rule named), and
// an inspector reads the flags without the form.
func TestFlagsPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.createPerson(t, &tether.Person{FamilyName: "Yusuf", GivenNames: "Amina", DateOfBirth: tether.PartialDate{Year: 1990}})
	c := ts.signIn(t, tether.RoleCaseworker)
	base := "/people/" + strconv.FormatInt(p.ID, 10)
	flags := base + "/flags"
	flagsSet := func() []reporting.PersonFlag {
		t.Helper()
		got, _, err := ts.db.PersonFlags(ts.ctx(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	resp, body := getPage(t, ts, c, base)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, `href="`+flags+`">Eligibility flags</a>`)
	resp, body = getPage(t, ts, c, flags)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "No flag is set.")
	wantLabels(t, body)

	resp, body = postForm(t, ts, c, flags, url.Values{"flag": {"identified_for_removal"}, "set": {"set"}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "reason")
	resp, body = postForm(t, ts, c, flags, url.Values{"flag": {"made_up"}, "set": {"maybe"}, "reason": {"Test"}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "flag", "set")
	if got := flagsSet(); len(got) != 0 {
		t.Fatalf("a refused form set flags: %+v", got)
	}

	resp, body = postForm(t, ts, c, flags, url.Values{"flag": {"identified_for_removal"}, "set": {"set"}, "reason": {"Removal directions set"}})
	wantRedirect(t, resp, body, flags+"?done=flag-set")
	resp, body = getPage(t, ts, c, flags+"?done=flag-set")
	wantContains(t, body, "Flag set", "Identified for removal", "Removal directions set")
	if got := flagsSet(); len(got) != 1 || got[0].Flag != reporting.FlagIdentifiedForRemoval {
		t.Fatalf("flags %+v", got)
	}
	// Set again: refused, and said why.
	resp, body = postForm(t, ts, c, flags, url.Values{"flag": {"identified_for_removal"}, "set": {"set"}, "reason": {"Again"}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantContains(t, body, "already")

	// The flag binds the next condition: by telephone is refused, by rule.
	resp, body = postForm(t, ts, c, base+"/conditions", url.Values{"kind": {"telephone"}, "phone": {"07700 900123"},
		"pattern": {"weekly"}, "weekdays": {"2"}, "at": {"10:00"}, "start": {"2026-03-03"}, "reason": {"Moved far away"}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantContains(t, body, "no-telephone-identified-for-removal")

	// An inspector reads the flags, without the form.
	resp, body = getPage(t, ts, ts.signIn(t, tether.RoleInspector), flags)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Identified for removal")
	if strings.Contains(body, `action="`+flags+`"`) {
		t.Error("an inspector is shown the form")
	}

	resp, body = postForm(t, ts, c, flags, url.Values{"flag": {"identified_for_removal"}, "set": {"clear"}, "reason": {"Directions withdrawn"}})
	wantRedirect(t, resp, body, flags+"?done=flag-cleared")
	resp, body = getPage(t, ts, c, flags)
	wantContains(t, body, "No flag is set.", "Cleared", "Directions withdrawn", "Set")
	if got := flagsSet(); len(got) != 0 {
		t.Fatalf("flags after clearing: %+v", got)
	}
	resp, body = postForm(t, ts, c, base+"/conditions", url.Values{"kind": {"telephone"}, "phone": {"07700 900123"},
		"pattern": {"weekly"}, "weekdays": {"2"}, "at": {"10:00"}, "start": {"2026-03-03"}, "reason": {"Moved far away"}})
	wantRedirect(t, resp, body, base+"?done=condition-added#reporting")
}
