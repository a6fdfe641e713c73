package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tether"
)

// TestPageSendNotice sends a notice through the pages to a person nobody can
// reach: the store's refusal shows the hand-or-file choice with its reason,
// then the preview, then the notice, then the copy given.
func TestPageSendNotice(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	needPeopleStore(t, ts)
	ts.seedTemplates(t)
	p := ts.createPerson(t, &tether.Person{FamilyName: "Lost", GivenNames: "Lena"})
	c := ts.signIn(t, tether.RoleCaseworker)
	base := "/people/" + strconv.FormatInt(p.ID, 10)

	resp, body := getPage(t, ts, c, base)
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "Correspondence") || !strings.Contains(body, `href="`+base+`/notices/new"`) {
		t.Errorf("the person's page has no Correspondence section with a Send a notice button")
	}
	resp, body = getPage(t, ts, c, base+"/notices/new")
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, `value="request-contact-details-letter"`) || !strings.Contains(body, "Filled in for you from their record") {
		t.Errorf("the send form lacks the templates or the automatic values")
	}

	const key = "request-contact-details-letter"
	form := url.Values{"template_key": {key}, "method": {""}, "p-" + key + "-date": {"1 April 2026"}}
	resp, body = postForm(t, ts, c, base+"/notices/preview", form)
	wantStatus(t, resp, body, http.StatusBadRequest)
	for _, want := range []string{`<a href="#method">`, `<a href="#reason">`, `id="method-error"`, `id="reason-error"`, `value="file"`} {
		if !strings.Contains(body, want) {
			t.Errorf("no working contact point: the page lacks %s", want)
		}
	}

	form.Set("method", "file")
	form.Set("reason", "Letters and texts have all failed")
	resp, body = postForm(t, ts, c, base+"/notices/preview", form)
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "Confirm and send") || !strings.Contains(body, "Served to file: Letters and texts have all failed") {
		t.Fatalf("the preview lacks the confirm button or the route reason:\n%s", body)
	}
	// Change goes back to the form with the values kept.
	change := url.Values{}
	for k, v := range form {
		change[k] = v
	}
	change.Set("action", "change")
	resp, body = postForm(t, ts, c, base+"/notices", change)
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "Letters and texts have all failed") {
		t.Errorf("Change lost the reason")
	}

	form.Set("action", "send")
	resp, body = postForm(t, ts, c, base+"/notices", form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "/notices/") || !strings.HasSuffix(loc, "?done=notice-sent") {
		t.Fatalf("sent: redirect to %q", loc)
	}
	notice := strings.TrimSuffix(loc, "?done=notice-sent")
	resp, body = getPage(t, ts, c, loc)
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{"Notice sent", "On file", "Record copy given", "Download proof of service (PDF)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the notice page lacks %q", want)
		}
	}
	resp, body = postForm(t, ts, c, notice+"/copy-given", url.Values{"how": {""}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	resp, body = postForm(t, ts, c, notice+"/copy-given", url.Values{"how": {"Handed over at the reporting centre"}})
	wantRedirect(t, resp, body, notice+"?done=copy-given")

	resp, body = getPage(t, ts, c, "/notices?state=on_file")
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, `href="`+notice+`"`) {
		t.Errorf("the on-file list lacks the notice")
	}
	// Organisation users see no correspondence at all.
	org := ts.signIn(t, tether.RoleOrganisation)
	resp, _ = getPage(t, ts, org, notice)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("organisation user reads a notice page: %d", resp.StatusCode)
	}
}

// TestPageTemplateEditor uses the editor without JavaScript: Check renders
// the findings and the preview; saving makes a draft; publishing it.
func TestPageTemplateEditor(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.signIn(t, tether.RoleAdmin)
	form := url.Values{"key": {"call-us-letter"}, "title": {"Call us"}, "kind": {"general"}, "channel": {"letter"},
		"placeholders": {"name, reference"}, "language": {"en"}, "subject": {"Please call us"},
		"body": {"Dear ((name))\n\nPlease call us about ((reference)) and ((centre))."}, "action": {"check"}}
	resp, body := postForm(t, ts, c, "/templates", form)
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{"Reading ease", "Preview", "Dear [name]", "((centre))"} {
		if !strings.Contains(body, want) {
			t.Errorf("checked editor lacks %q", want)
		}
	}
	form.Set("body", "Dear ((name))\n\nPlease call us about ((reference)).")
	form.Set("action", "save")
	resp, body = postForm(t, ts, c, "/templates", form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/templates/"), "?done=created")
	tid, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("created: redirect to %q", loc)
	}
	resp, body = getPage(t, ts, c, loc)
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "Template created") || !strings.Contains(body, "/static/editor.js") {
		t.Errorf("the editor lacks the banner or its script")
	}
	resp, body = postForm(t, ts, c, "/templates/"+id, url.Values{"language": {"en"}, "subject": {"Please call us"},
		"body": {"Dear ((name))\n\nPlease call us today about ((reference))."}, "action": {"save"}})
	wantRedirect(t, resp, body, "/templates/"+id+"?done=draft-saved")
	tpl, err := ts.db.FindTemplateByID(ts.ctx(), tid)
	if err != nil || len(tpl.Versions) != 2 {
		t.Fatalf("template after saving: %+v, %v", tpl, err)
	}
	v := tpl.Versions[1]
	resp, body = postForm(t, ts, c, "/template-versions/"+strconv.FormatInt(v.ID, 10)+"/publish", url.Values{"override_reason": {"Pilot"}})
	wantRedirect(t, resp, body, "/templates/"+id+"?done=published")
	resp, body = getPage(t, ts, c, "/templates")
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "Call us") {
		t.Errorf("the templates list lacks the new template")
	}
}
