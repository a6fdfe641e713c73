package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tether"
)

func orgPath(id int64) string { return "/api/v1/organisations/" + strconv.FormatInt(id, 10) }

// TestAPIOrganisationReplyTo: an organisation is created with where its
// replies go and changed with PATCH, a field at a time; bad input is 400
// naming the field and changes nothing; only admins may change it.
func TestAPIOrganisationReplyTo(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	admin := ts.token(tether.RoleAdmin)
	commons := []string{"Ann Member MP", "House of Commons", "London", "SW1A 0AA"}

	var o tether.Organisation
	resp := ts.doJSON(t, "POST", "/api/v1/organisations", admin, map[string]any{"name": "Office of Ann Member MP", "kind": "mp_office",
		"reply_email": "Casework@Ann-Member.example.org", "reply_address": commons}, http.StatusCreated, &o)
	if o.ReplyEmail != "casework@ann-member.example.org" || !slices.Equal(o.ReplyAddress, commons) || resp.Header.Get("Location") != orgPath(o.ID) {
		t.Fatalf("created %+v", o)
	}
	ts.wantError(t, "POST", "/api/v1/organisations", admin, map[string]any{"name": "Refused", "kind": "law_firm",
		"reply_address": []string{"Refused LLP", "London"}}, http.StatusBadRequest, tether.EINVALID)

	// A field left out keeps its value.
	var got tether.Organisation
	ts.doJSON(t, "PATCH", orgPath(o.ID), admin, map[string]any{"reply_email": "post@ann-member.example.org"}, http.StatusOK, &got)
	if got.ReplyEmail != "post@ann-member.example.org" || !slices.Equal(got.ReplyAddress, commons) || got.Name != o.Name {
		t.Fatalf("patched email %+v", got)
	}
	law := []string{"Camden Law Centre", "2 Example Street", "London", "NW1 1AA"}
	got = tether.Organisation{} // the answer leaves out what is empty
	ts.doJSON(t, "PATCH", orgPath(ts.org.ID), admin, map[string]any{"reply_address": law}, http.StatusOK, &got)
	if got.ReplyEmail != "" || !slices.Equal(got.ReplyAddress, law) {
		t.Fatalf("patched address %+v", got)
	}

	// Bad input: 400 naming the field, and the organisation as it was.
	for _, tc := range []struct {
		body  any
		field string
	}{
		{map[string]any{"reply_email": "not an email", "reply_address": []string{}}, "reply_email"},
		{map[string]any{"reply_email": "post@example.org", "reply_address": []string{"London"}}, "reply_address"},
		{map[string]any{"reply_address": []string{"Ann Member MP", "House of Commons", "Nowhere"}}, "reply_address"},
		{map[string]any{"reply_address": "House of Commons"}, "reply_address"},
		{map[string]any{"reply_email": 5}, "reply_email"},
	} {
		e := ts.wantError(t, "PATCH", orgPath(o.ID), admin, tc.body, http.StatusBadRequest, tether.EINVALID)
		if _, ok := e.Fields[tc.field]; !ok {
			t.Errorf("%v: fields %v, want %s", tc.body, e.Fields, tc.field)
		}
	}
	ts.wantError(t, "PATCH", orgPath(o.ID), admin, map[string]any{}, http.StatusBadRequest, tether.EINVALID)
	ts.wantError(t, "PATCH", orgPath(o.ID), admin, map[string]any{"name": "Renamed"}, http.StatusBadRequest, tether.EINVALID)
	got = tether.Organisation{}
	ts.doJSON(t, "GET", orgPath(o.ID), admin, nil, http.StatusOK, &got)
	if got.ReplyEmail != "post@ann-member.example.org" || !slices.Equal(got.ReplyAddress, commons) {
		t.Fatalf("after refusals %+v", got)
	}

	// Only admins; a missing organisation is 404.
	for _, role := range []tether.Role{tether.RoleCaseworker, tether.RoleEnquiries, tether.RoleInspector, tether.RoleOrganisation} {
		ts.wantError(t, "PATCH", orgPath(o.ID), ts.token(role), map[string]any{"reply_email": ""}, http.StatusForbidden, tether.EFORBIDDEN)
	}
	ts.wantError(t, "PATCH", orgPath(999999), admin, map[string]any{"reply_email": ""}, http.StatusNotFound, tether.ENOTFOUND)

	// Cleared with an empty string and an empty list: the fields are
	// then left out of the answer.
	resp, body := ts.do(t, "PATCH", orgPath(o.ID), admin, map[string]any{"reply_email": "", "reply_address": []string{}})
	if resp.StatusCode != http.StatusOK || strings.Contains(string(body), "reply_") {
		t.Fatalf("cleared: %d %s", resp.StatusCode, body)
	}

	// The change is audited by field name, with the values it replaced.
	entries, err := ts.db.FindAuditEntries(ts.ctx(), tether.AuditFilter{Entity: "organisation", EntityID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, e := range entries {
		if e.Action == "organisation.reply_to" {
			details = append(details, e.Detail)
			if e.Actor != "user:"+strconv.FormatInt(ts.user(tether.RoleAdmin).ID, 10) || !strings.Contains(e.Detail, " was reply_") {
				t.Errorf("audit entry %+v", e)
			}
		}
	}
	if len(details) != 2 {
		t.Errorf("audit details %q", details)
	}
}

// TestReplyPageShowsOfficeOnRecord: the reply form tells the caseworker
// that a blank email or postal address uses the office's on record, and
// shows it.
func TestReplyPageShowsOfficeOnRecord(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newRoleFixture(t, ts)
	id := f.enquiryPageID(t, "/enquiries/0/reply", tether.RoleEnquiries) // page_enquiries_test.go
	c := ts.signIn(t, tether.RoleEnquiries)
	page := func() string {
		t.Helper()
		resp, body := ts.send(t, c, ts.newRequest(t, "GET", "/enquiries/"+strconv.FormatInt(id, 10)+"/reply", nil))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("reply page: %d", resp.StatusCode)
		}
		return string(body)
	}
	if p := page(); strings.Contains(p, "On record") || !strings.Contains(p, "Leave blank to reply to the person at the office who raised it") {
		t.Fatalf("nothing on record, but the page says otherwise")
	}
	if _, err := ts.db.UpdateOrganisationReplyTo(ts.ctx(), ts.org.ID, "post@camden-law.example.org",
		[]string{"Camden Law Centre", "2 Example Street", "London", "NW1 1AA"}); err != nil {
		t.Fatal(err)
	}
	p := page()
	for _, want := range []string{"On record: post@camden-law.example.org",
		"On record: Camden Law Centre, 2 Example Street, London, NW1 1AA"} {
		if !strings.Contains(p, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
