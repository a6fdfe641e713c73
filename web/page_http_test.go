package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
)

// These tests drive the pages through the real server and store, as a
// browser would: forms posted, redirects read, pages checked for the GOV.UK
// error pattern, and the store checked for what did or did not change.

// needPeopleStore skips a test until the store implements people and
// contact points.
func needPeopleStore(t *testing.T, ts *testServer) {
	t.Helper()
	if ts.srv.People == nil || ts.srv.Contacts == nil {
		t.Skip("the store does not implement PersonService and ContactPointService yet")
	}
}

// pageClient is a client without a session that does not follow redirects.
func pageClient(ts *testServer) *http.Client {
	return &http.Client{Transport: ts.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// get fetches a page.
func getPage(t *testing.T, ts *testServer, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := ts.send(t, c, req)
	return resp, string(body)
}

// postForm posts a form as a same-origin browser does.
func postForm(t *testing.T, ts *testServer, c *http.Client, path string, form url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, body := ts.send(t, c, req)
	return resp, string(body)
}

func wantStatus(t *testing.T, resp *http.Response, body string, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d; body:\n%s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, body)
	}
}

func wantRedirect(t *testing.T, resp *http.Response, body, location string) {
	t.Helper()
	wantStatus(t, resp, body, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != location {
		t.Fatalf("%s %s: redirect to %q, want %q", resp.Request.Method, resp.Request.URL.Path, got, location)
	}
}

func wantContains(t *testing.T, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("page lacks %q", p)
		}
	}
}

// wantErrorSummary checks the GOV.UK error pattern: an "Error: " title, an
// error summary linking to each field, and a message by each field.
func wantErrorSummary(t *testing.T, body string, fieldIDs ...string) {
	t.Helper()
	if !strings.Contains(body, "<title>Error: ") {
		t.Errorf("the title does not start with \"Error: \"")
	}
	if !strings.Contains(body, `class="govuk-error-summary"`) {
		t.Fatalf("no error summary on the page:\n%s", body)
	}
	for _, id := range fieldIDs {
		if !strings.Contains(body, `<a href="#`+id+`">`) {
			t.Errorf("the error summary does not link to #%s", id)
		}
	}
}

// wantLabels checks that every input, select and textarea has a label.
func wantLabels(t *testing.T, body string) {
	t.Helper()
	for _, m := range regexp.MustCompile(`<(?:input|select|textarea)[^>]*\bid="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(body, `for="`+m[1]+`"`) {
			t.Errorf("field %s has no label", m[1])
		}
	}
}

func sessionValue(t *testing.T, ts *testServer, c *http.Client) string {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == SessionCookie {
			return ck.Value
		}
	}
	return ""
}

func TestPageSignInAndOut(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	anon := pageClient(ts)

	resp, body := getPage(t, ts, anon, "/")
	wantRedirect(t, resp, body, "/sign-in")
	resp, body = getPage(t, ts, anon, "/people?page=2&name=ana")
	wantStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/sign-in?next=%2Fpeople%3Fpage%3D2%26name%3Dana" {
		t.Errorf("redirect to %q, want sign-in with the whole of next escaped", loc)
	}
	resp, body = getPage(t, ts, anon, "/sign-in?next=/people/1")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, `<html lang="en"`, `<title>Sign in - Tether - GOV.UK</title>`, `name="next" value="/people/1"`,
		`<label class="govuk-label" for="email">`, `<label class="govuk-label" for="password">`)
	if strings.Contains(body, "/sign-out") {
		t.Errorf("a signed-out page offers to sign out")
	}
	wantLabels(t, body)

	c := ts.signIn(t, tether.RoleCaseworker)
	token := sessionValue(t, ts, c)
	resp, body = getPage(t, ts, c, "/")
	wantRedirect(t, resp, body, "/people")
	resp, body = getPage(t, ts, c, "/sign-in")
	wantRedirect(t, resp, body, "/people")

	resp, body = postForm(t, ts, c, "/sign-out", nil)
	wantRedirect(t, resp, body, "/sign-in?signed_out=1")
	if v := sessionValue(t, ts, c); v != "" {
		t.Errorf("the session cookie is still set after signing out")
	}
	resp, body = getPage(t, ts, c, "/sign-in?signed_out=1")
	wantContains(t, body, "You have signed out.")
	// The old token no longer works: the session was deleted, not just forgotten.
	req, _ := http.NewRequest("GET", ts.URL+"/", nil)
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: token})
	resp, b := ts.send(t, anon, req)
	wantRedirect(t, resp, string(b), "/sign-in")
}

func TestPageSignInRedirectsOnlyWithinTheSite(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for next, want := range map[string]string{
		"/people/5":             "/people/5",
		"":                      "/people",
		"//evil.example/x":      "/",
		"https://evil.example/": "/",
		`/\evil.example`:        "/",
	} {
		resp, body := postForm(t, ts, pageClient(ts), "/sign-in",
			url.Values{"email": {"caseworker@example.org"}, "password": {testPassword}, "next": {next}})
		wantRedirect(t, resp, body, want)
	}
}

func TestPageSignInBadPassword(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	resp, body := postForm(t, ts, pageClient(ts), "/sign-in",
		url.Values{"email": {"caseworker@example.org"}, "password": {"not the password"}})
	wantStatus(t, resp, body, http.StatusUnauthorized)
	wantErrorSummary(t, body, "email")
	wantContains(t, body, "Enter a correct email address and password", `value="caseworker@example.org"`)
	if strings.Contains(body, "not the password") {
		t.Errorf("the page shows the password that was typed")
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == SessionCookie && ck.Value != "" {
			t.Errorf("a failed sign-in set a session cookie")
		}
	}

	resp, body = postForm(t, ts, pageClient(ts), "/sign-in", url.Values{"email": {""}, "password": {""}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "email", "password")
	wantContains(t, body, "Enter your email address", "Enter your password")
}

func TestPageSignInThrottle(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	bad := url.Values{"email": {"caseworker@example.org"}, "password": {"guess"}}
	for i := range signInBurst {
		resp, body := postForm(t, ts, pageClient(ts), "/sign-in", bad)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401; body:\n%s", i+1, resp.StatusCode, body)
		}
	}
	// Even the right password is refused now, from this address for any
	// account, until the window passes.
	good := url.Values{"email": {"caseworker@example.org"}, "password": {testPassword}}
	resp, body := postForm(t, ts, pageClient(ts), "/sign-in", good)
	wantStatus(t, resp, body, http.StatusTooManyRequests)
	wantErrorSummary(t, body, "email")
	wantContains(t, body, "You have tried to sign in too many times")
	if resp.Header.Get("Retry-After") == "" {
		t.Errorf("no Retry-After header")
	}
	resp, body = postForm(t, ts, pageClient(ts), "/sign-in", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
	wantStatus(t, resp, body, http.StatusTooManyRequests)

	ts.clock.Advance(signInWindow + time.Minute)
	resp, body = postForm(t, ts, pageClient(ts), "/sign-in", good)
	wantRedirect(t, resp, body, "/people")
}

// TestPageSignInThrottleByEmail: guessing one account's password from many
// addresses is throttled too.
func TestPageSignInThrottleByEmail(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	try := func(ip, password string) int {
		form := url.Values{"email": {"Admin@Example.org"}, "password": {password}}
		req := httptest.NewRequest("POST", "/sign-in", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = ip + ":40000"
		rec := httptest.NewRecorder()
		ts.srv.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range signInBurst {
		if got := try("10.0.0."+strconv.Itoa(i+1), "guess"); got != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, got)
		}
	}
	if got := try("10.0.1.1", testPassword); got != http.StatusTooManyRequests {
		t.Fatalf("status %d after %d failures for the email from other addresses, want 429", got, signInBurst)
	}
}

func TestPageCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.signIn(t, tether.RoleCaseworker)
	for _, path := range []string{"/people", "/sign-out", "/contact-points/1/end"} {
		resp, body := postForm(t, ts, c, path, url.Values{"family_name": {"Mallory"}, "reason": {"x"}},
			"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		wantStatus(t, resp, body, http.StatusForbidden)
		wantContains(t, body, "Cross-origin request refused.")
	}
	// The session survived the forged sign-out.
	resp, body := getPage(t, ts, c, "/")
	wantRedirect(t, resp, body, "/people")
	if ts.srv.People != nil {
		_, n, err := ts.srv.People.FindPeople(ts.ctx(), tether.PersonFilter{Limit: 10})
		if err != nil || n != 0 {
			t.Errorf("people after a forged post: %d, %v", n, err)
		}
	}
}

func TestPageRoles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	inspector := ts.signIn(t, tether.RoleInspector)
	resp, body := getPage(t, ts, inspector, "/people/new")
	wantStatus(t, resp, body, http.StatusForbidden)
	wantContains(t, body, "You do not have permission to see this page", `class="govuk-heading-l"`)
	resp, body = postForm(t, ts, inspector, "/people", url.Values{"family_name": {"Inspector"}})
	wantStatus(t, resp, body, http.StatusForbidden)

	caseworker := ts.signIn(t, tether.RoleCaseworker)
	resp, body = getPage(t, ts, caseworker, "/people/not-a-number")
	wantStatus(t, resp, body, http.StatusNotFound)
	wantContains(t, body, "<title>Page not found - Tether - GOV.UK</title>")
}

// TestPageReadOnlyViews: an inspector without sight of personal data gets
// the store's redacted record, and no one without the right to change a
// record is offered the buttons to.
func TestPageReadOnlyViews(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	needPeopleStore(t, ts)
	p := ts.createPerson(t, &tether.Person{FamilyName: "Yusuf", GivenNames: "Amina", DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 17},
		Representative: &tether.Representative{Organisation: "Camden Law Centre", OrganisationID: &ts.org.ID}})
	ts.addContactPoint(t, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindPostal, Source: tether.SourcePerson,
		Address: &tether.Address{Lines: []string{"14 Camden Road"}, Town: "London", Postcode: "NW1 9DP", Country: "GB"}})
	path := "/people/" + strconv.FormatInt(p.ID, 10)

	resp, body := getPage(t, ts, ts.signIn(t, tether.RoleInspector), path)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Personal data is hidden", p.Ref, "<dd class=\"govuk-summary-list__value\">1990</dd>")
	for _, secret := range []string{"Amina", "Yusuf", "14 Camden Road", "17 May"} {
		if strings.Contains(body, secret) {
			t.Errorf("the redacted page shows %q", secret)
		}
	}

	for _, role := range []tether.Role{tether.RoleInspector, tether.RoleOrganisation, tether.RoleEnquiries} {
		resp, body := getPage(t, ts, ts.signIn(t, role), path)
		wantStatus(t, resp, body, http.StatusOK)
		for _, action := range []string{path + "/edit", path + "/contact-points/new", "/change\"", "/end\"", "/confirm\"", `href="/people/new"`} {
			if strings.Contains(body, action) {
				t.Errorf("%s is offered %s", role, action)
			}
		}
	}
}

func TestPageAddPerson(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	needPeopleStore(t, ts)
	c := ts.signIn(t, tether.RoleCaseworker)

	resp, body := getPage(t, ts, c, "/people/new")
	wantStatus(t, resp, body, http.StatusOK)
	wantLabels(t, body)

	// A form with problems shows them all and stores nothing.
	resp, body = postForm(t, ts, c, "/people", url.Values{
		"family_name": {""}, "given_names": {"Amina"}, "dob-day": {"30"}, "dob-month": {"2"}, "dob-year": {"1990"},
		"nationality": {"ER"}, "interpreter": {"yes"},
	})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "family_name", "dob-day", "interpreter_language")
	wantContains(t, body, `id="family_name-error"`, `id="dob-error"`, `value="Amina"`, `<option value="ER" selected>`)
	if _, n, _ := ts.srv.People.FindPeople(ts.ctx(), tether.PersonFilter{Limit: 10}); n != 0 {
		t.Fatalf("%d people stored after a refused form", n)
	}

	// A date in the future is the domain's rule, shown the same way.
	resp, body = postForm(t, ts, c, "/people", url.Values{"family_name": {"Yusuf"}, "dob-year": {"2027"}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "dob-day")
	wantContains(t, body, "Date of birth must be today or in the past")

	// A person who may already be recorded is added, with a warning.
	ts.createPerson(t, &tether.Person{FamilyName: "Yusuf", GivenNames: "Amina", DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 17}})
	resp, body = postForm(t, ts, c, "/people", url.Values{
		"family_name": {"Yusuf"}, "given_names": {"Amina"}, "dob-day": {"17"}, "dob-month": {"5"}, "dob-year": {"1990"},
		"nationality": {"ER"}, "preferred_language": {"ti"}, "interpreter": {"no"},
	})
	wantStatus(t, resp, body, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if !regexp.MustCompile(`^/people/\d+\?done=person-added$`).MatchString(loc) {
		t.Fatalf("redirect to %q", loc)
	}
	resp, body = getPage(t, ts, c, loc)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Person added", "This person may already be recorded", "Eritrea", "Tigrinya", "17 May 1990")
	if _, n, _ := ts.srv.People.FindPeople(ts.ctx(), tether.PersonFilter{Limit: 10}); n != 2 {
		t.Errorf("%d people stored, want 2", n)
	}

	// A partial date of birth: the year alone.
	resp, body = postForm(t, ts, c, "/people", url.Values{"family_name": {"Tesfaye"}, "dob-year": {"1985"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = getPage(t, ts, c, resp.Header.Get("Location"))
	wantContains(t, body, "<dd class=\"govuk-summary-list__value\">1985</dd>")
}

func TestPageEditPersonConflict(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	needPeopleStore(t, ts)
	c := ts.signIn(t, tether.RoleCaseworker)
	p := ts.createPerson(t, &tether.Person{FamilyName: "Yusuf", GivenNames: "Amina",
		OtherNames: []tether.OtherName{{Kind: tether.NameAlias, FamilyName: "Yousef", GivenNames: "Amina"}}})
	edit := "/people/" + strconv.FormatInt(p.ID, 10) + "/edit"

	resp, body := getPage(t, ts, c, edit)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, `name="version" value="`+strconv.Itoa(p.Version)+`"`, `value="Yusuf"`)

	// Someone else changes the record meanwhile.
	other := *p
	other.GivenNames = "Amina Said"
	if err := ts.srv.People.UpdatePerson(ts.ctx(), &other); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"version": {strconv.Itoa(p.Version)}, "family_name": {"Yusuf-Ali"}, "given_names": {"Amina"}, "interpreter": {"no"}}
	resp, body = postForm(t, ts, c, edit, form)
	wantStatus(t, resp, body, http.StatusConflict)
	wantErrorSummary(t, body)
	wantContains(t, body, "Someone else changed these details", `value="Amina Said"`)

	stored, _ := ts.srv.People.FindPersonByID(ts.ctx(), p.ID)
	form.Set("version", strconv.Itoa(stored.Version))
	resp, body = postForm(t, ts, c, edit, form)
	wantRedirect(t, resp, body, "/people/"+strconv.FormatInt(p.ID, 10)+"?done=person-updated")
	stored, _ = ts.srv.People.FindPersonByID(ts.ctx(), p.ID)
	if stored.FamilyName != "Yusuf-Ali" || len(stored.OtherNames) != 1 {
		t.Errorf("after the edit: %q with %d other names; the form must keep what it does not show", stored.FamilyName, len(stored.OtherNames))
	}
	_, body = getPage(t, ts, c, "/people/"+strconv.FormatInt(p.ID, 10))
	wantContains(t, body, "Earlier versions of their details", "Family name")
}

func TestPageAddContactPointInvalidPostcode(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	needPeopleStore(t, ts)
	c := ts.signIn(t, tether.RoleCaseworker)
	p := ts.createPerson(t, &tether.Person{FamilyName: "Yusuf", GivenNames: "Amina"})
	base := "/people/" + strconv.FormatInt(p.ID, 10)

	resp, body := getPage(t, ts, c, base+"/contact-points/new?kind=postal")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, `id="kind" name="kind" type="radio" value="postal" checked`)
	wantLabels(t, body)

	resp, body = postForm(t, ts, c, base+"/contact-points", url.Values{
		"kind": {"postal"}, "address_line1": {"14 Camden Road"}, "address_town": {"London"},
		"address_postcode": {"NW1 ZZZZ"}, "address_country": {"GB"}, "party": {"self"}, "source": {"person"},
	})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "address_postcode")
	wantContains(t, body, `<p id="address_postcode-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter a real postcode, like SW1A 1AA</p>`,
		`value="14 Camden Road"`, `value="NW1 ZZZZ"`)
	points, err := ts.srv.Contacts.ContactPoints(ts.ctx(), p.ID)
	if err != nil || len(points) != 0 {
		t.Fatalf("contact points after a refused form: %d, %v", len(points), err)
	}

	// The phone error goes by the input of the kind chosen.
	resp, body = postForm(t, ts, c, base+"/contact-points", url.Values{
		"kind": {"landline"}, "phone_landline": {"12"}, "party": {"self"}, "source": {"person"},
	})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "phone_landline")
}

func TestPageContactPointFlows(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	needPeopleStore(t, ts)
	c := ts.signIn(t, tether.RoleCaseworker)
	p := ts.createPerson(t, &tether.Person{FamilyName: "Yusuf", GivenNames: "Amina"})
	personPath := "/people/" + strconv.FormatInt(p.ID, 10)
	points := func() (current, ended []*tether.ContactPoint) {
		t.Helper()
		all, err := ts.srv.Contacts.ContactPoints(ts.ctx(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, cp := range all {
			if cp.Current(ts.clock.Now()) {
				current = append(current, cp)
			} else {
				ended = append(ended, cp)
			}
		}
		return current, ended
	}

	// Add.
	resp, body := postForm(t, ts, c, personPath+"/contact-points", url.Values{
		"kind": {"postal"}, "address_line1": {"14 Camden Road"}, "address_town": {"London"},
		"address_postcode": {"nw1 9dp"}, "address_country": {"GB"}, "party": {"self"}, "source": {"person"},
		"for_correspondence": {"yes"},
		// Inputs of the kinds not chosen are ignored.
		"email": {"not an email"}, "phone_mobile": {"nonsense"},
	})
	wantRedirect(t, resp, body, personPath+"?done=contact-point-added")
	current, _ := points()
	if len(current) != 1 || current[0].Address == nil || current[0].Address.Postcode != "NW1 9DP" || !current[0].ForCorrespondence {
		t.Fatalf("after adding: %+v", current)
	}
	first := current[0]
	id := strconv.FormatInt(first.ID, 10)
	_, body = getPage(t, ts, c, personPath+"?done=contact-point-added")
	wantContains(t, body, "Contact point added", "14 Camden Road, London, NW1 9DP", "/contact-points/"+id+"/change", "/contact-points/"+id+"/end")

	// Change: the form comes filled in; a reason is needed.
	resp, body = getPage(t, ts, c, "/contact-points/"+id+"/change")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, `value="14 Camden Road"`, `value="NW1 9DP"`, `id="for_correspondence" name="for_correspondence" type="checkbox" value="yes" checked`)
	change := url.Values{
		"kind": {"postal"}, "address_line1": {"Flat 2"}, "address_line2": {"3 Station Road"}, "address_town": {"Croydon"},
		"address_postcode": {"CR0 2AA"}, "address_country": {"GB"}, "party": {"self"}, "source": {"person"},
	}
	resp, body = postForm(t, ts, c, "/contact-points/"+id+"/change", change)
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "reason")
	if cur, _ := points(); len(cur) != 1 || cur[0].ID != first.ID {
		t.Fatalf("a refused change changed the points: %+v", cur)
	}
	change.Set("reason", "They moved to Croydon")
	resp, body = postForm(t, ts, c, "/contact-points/"+id+"/change", change)
	wantRedirect(t, resp, body, personPath+"?done=contact-point-changed")
	current, ended := points()
	if len(current) != 1 || len(ended) != 1 || ended[0].ID != first.ID || current[0].Address.Town != "Croydon" {
		t.Fatalf("after the change: current %+v, ended %+v", current, ended)
	}
	second := current[0]
	id2 := strconv.FormatInt(second.ID, 10)
	// The ended point can no longer be changed, ended or confirmed.
	resp, body = getPage(t, ts, c, "/contact-points/"+id+"/change")
	wantStatus(t, resp, body, http.StatusConflict)
	resp, body = postForm(t, ts, c, "/contact-points/"+id+"/confirm", url.Values{"how": {"in_person"}})
	wantStatus(t, resp, body, http.StatusConflict)

	// Confirm: "how" must be one of the ways.
	resp, body = postForm(t, ts, c, "/contact-points/"+id2+"/confirm", url.Values{"how": {"telepathy"}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "how-"+id2)
	wantContains(t, body, `id="how-`+id2+`-error"`)
	ts.clock.Advance(time.Hour)
	resp, body = postForm(t, ts, c, "/contact-points/"+id2+"/confirm", url.Values{"how": {"in_person"}})
	wantRedirect(t, resp, body, personPath+"?done=contact-point-confirmed")
	current, _ = points()
	if current[0].LastConfirmedAt == nil || current[0].ConfirmedHow != "in_person" {
		t.Fatalf("after confirming: %+v", current[0])
	}
	_, body = getPage(t, ts, c, personPath+"?done=contact-point-confirmed")
	wantContains(t, body, "Contact point confirmed as working", "govuk-tag--green\">Good</strong>",
		"They moved to Croydon", "3 Station Road")

	// End: a reason is needed; then the point ends.
	resp, body = getPage(t, ts, c, "/contact-points/"+id2+"/end")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Flat 2, 3 Station Road, Croydon, CR0 2AA")
	resp, body = postForm(t, ts, c, "/contact-points/"+id2+"/end", url.Values{"reason": {"  "}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "reason")
	resp, body = postForm(t, ts, c, "/contact-points/"+id2+"/end", url.Values{"reason": {"Letter returned: not known at this address"}})
	wantRedirect(t, resp, body, personPath+"?done=contact-point-ended")
	current, ended = points()
	if len(current) != 0 || len(ended) != 2 {
		t.Fatalf("after ending: %d current, %d ended", len(current), len(ended))
	}
	_, body = getPage(t, ts, c, personPath+"?done=contact-point-ended")
	wantContains(t, body, "Contact point ended", "No working channel", "Letter returned: not known at this address", "There are no current contact points.")
	resp, body = postForm(t, ts, c, "/contact-points/"+id2+"/end", url.Values{"reason": {"again"}})
	wantStatus(t, resp, body, http.StatusConflict)
}

func TestPagePeopleListAndSearch(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	needPeopleStore(t, ts)
	amina := ts.createPerson(t, &tether.Person{FamilyName: "Yusuf", GivenNames: "Amina", DateOfBirth: tether.PartialDate{Year: 1990, Month: 5}})
	dawit := ts.createPerson(t, &tether.Person{FamilyName: "Tesfaye", GivenNames: "Dawit"})
	ts.addContactPoint(t, &tether.ContactPoint{PersonID: dawit.ID, Kind: tether.KindEmail, Email: "dawit@example.org", Source: tether.SourcePerson})
	c := ts.signIn(t, tether.RoleCaseworker)

	resp, body := getPage(t, ts, c, "/people")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Amina Yusuf", "Dawit Tesfaye", "Showing 1 to 2 of 2 people")

	_, body = getPage(t, ts, c, "/people?no_working_channel=1")
	wantContains(t, body, "Amina Yusuf")
	if strings.Contains(body, "Dawit Tesfaye") {
		t.Errorf("the no-working-channel filter shows someone with a working channel")
	}

	resp, body = getPage(t, ts, c, "/people?name=amina+yusef&ref=&dob-day=&dob-month=&dob-year=1990&postcode=")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Search results", "/people/"+strconv.FormatInt(amina.ID, 10))

	resp, body = getPage(t, ts, c, "/people?name=&ref=&postcode=NOTAPOSTCODE")
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "postcode")

	resp, body = getPage(t, ts, c, "/people?name=&ref=&postcode=")
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "name")

	// An organisation user sees only its own people.
	org := ts.signIn(t, tether.RoleOrganisation)
	resp, body = getPage(t, ts, org, "/people")
	wantStatus(t, resp, body, http.StatusOK)
	if strings.Contains(body, "Amina Yusuf") {
		t.Errorf("an organisation user sees a person who is not theirs")
	}
	resp, body = getPage(t, ts, org, "/people/"+strconv.FormatInt(amina.ID, 10))
	wantStatus(t, resp, body, http.StatusNotFound)
}
