package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
)

// seedTemplates adds the starter templates, as an admin would.
func (ts *testServer) seedTemplates(t *testing.T) {
	t.Helper()
	ctx := tether.NewContextWithActor(ts.ctx(), tether.ActorOf(ts.user(tether.RoleAdmin)))
	if _, err := ts.db.SeedTemplates(ctx); err != nil {
		t.Fatalf("seed templates: %v", err)
	}
}

func TestAPITemplates(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	cw, admin := ts.token(tether.RoleCaseworker), ts.token(tether.RoleAdmin)

	var tpl tether.Template
	ts.doJSON(t, "POST", "/api/v1/templates", cw, map[string]any{
		"key": "call-us-letter", "title": "Call us", "kind": "general", "channel": "letter",
		"placeholders": []string{"name", "reference"}, "subject": "Please call us",
		"body": "Dear ((name))\n\nPlease call us. Your reference is ((reference)).",
	}, http.StatusCreated, &tpl)
	if tpl.ID == 0 || len(tpl.Versions) != 1 || tpl.Versions[0].State != tether.TemplateStateDraft {
		t.Fatalf("created template %+v", tpl)
	}

	var v tether.TemplateVersion
	ts.doJSON(t, "POST", "/api/v1/templates/"+strconv.FormatInt(tpl.ID, 10)+"/versions", cw, map[string]any{
		"language": "en", "subject": "Please call us", "body": "Dear ((name))\n\nPlease call us today. Your reference is ((reference)).",
	}, http.StatusCreated, &v)
	if v.Number != 2 || v.State != tether.TemplateStateDraft {
		t.Fatalf("new version %+v", v)
	}
	// Unknown fields are refused.
	resp, body := ts.do(t, "POST", "/api/v1/template-versions/"+strconv.FormatInt(v.ID, 10)+"/publish", cw, map[string]any{"why": "x"})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("publish with an unknown field: %d %s", resp.StatusCode, body)
	}
	// An admin may publish whatever its clarity, with a reason.
	var pub tether.TemplateVersion
	ts.doJSON(t, "POST", "/api/v1/template-versions/"+strconv.FormatInt(v.ID, 10)+"/publish", admin,
		map[string]any{"override_reason": "Needed for the pilot"}, http.StatusOK, &pub)
	if pub.State != tether.TemplateStatePublished && pub.State != tether.TemplateStatePublishedOver {
		t.Errorf("published version state %q", pub.State)
	}
	// Publishing again conflicts.
	resp, body = ts.do(t, "POST", "/api/v1/template-versions/"+strconv.FormatInt(v.ID, 10)+"/publish", admin, map[string]any{})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("publish twice: %d %s", resp.StatusCode, body)
	}
	var list templateList
	ts.doJSON(t, "GET", "/api/v1/templates", ts.token(tether.RoleInspector), nil, http.StatusOK, &list)
	if len(list.Templates) != 1 || len(list.Templates[0].Versions) != 2 {
		t.Errorf("templates list %+v", list)
	}

	// The live check: a preview with the samples, [name] for the rest.
	var ans struct {
		Report            map[string]any `json:"report"`
		Preview           string         `json:"preview"`
		PreviewSubject    string         `json:"preview_subject"`
		PlaceholderErrors []string       `json:"placeholder_errors"`
	}
	ts.doJSON(t, "POST", "/api/v1/clarity", cw, map[string]any{
		"channel": "letter", "subject": "Report on ((date))", "body": "Dear ((name))\n\nReport to ((centre)) on ((date)).",
		"placeholders": []string{"name", "date"}, "personalisation": map[string]string{"name": "Amina", "date": "3 March"},
	}, http.StatusOK, &ans)
	if ans.Preview != "Dear Amina\n\nReport to [centre] on 3 March." || ans.PreviewSubject != "Report on 3 March" {
		t.Errorf("preview %q, subject %q", ans.Preview, ans.PreviewSubject)
	}
	if len(ans.PlaceholderErrors) != 1 || !strings.Contains(ans.PlaceholderErrors[0], "((centre))") {
		t.Errorf("placeholder errors %q", ans.PlaceholderErrors)
	}
	if ans.Report == nil {
		t.Errorf("no clarity report")
	}
	resp, body = ts.do(t, "POST", "/api/v1/clarity", cw, map[string]any{"channel": "pigeon", "body": "x"})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("clarity with a bad channel: %d", resp.StatusCode)
	}
	checkErrorShape(t, "clarity", body, tether.EINVALID)
}

func TestAPINotices(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	needPeopleStore(t, ts)
	ts.seedTemplates(t)
	cw := ts.token(tether.RoleCaseworker)

	// Nobody to write to: the store asks for hand or file, with a reason.
	lost := ts.createPerson(t, &tether.Person{FamilyName: "Lost", GivenNames: "Lena"})
	req := map[string]any{"person_id": lost.ID, "template_key": "request-contact-details-letter",
		"personalisation": map[string]string{"date": "1 April 2026"}}
	resp, body := ts.do(t, "POST", "/api/v1/notices", cw, req)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("notice to nobody: %d %s", resp.StatusCode, body)
	}
	if e := checkErrorShape(t, "notice to nobody", body, tether.EINVALID); e.Fields["method"] == "" {
		t.Errorf("notice to nobody: no method field in %s", body)
	}
	req["method"], req["reason"] = "file", "Letters and texts have all failed"
	var onFile tether.Notice
	ts.doJSON(t, "POST", "/api/v1/notices", cw, req, http.StatusCreated, &onFile)
	if onFile.State != tether.NoticeOnFile || !onFile.CopyDue {
		t.Errorf("served to file: state %q, copy due %v", onFile.State, onFile.CopyDue)
	}
	var given tether.Notice
	ts.doJSON(t, "POST", "/api/v1/notices/"+strconv.FormatInt(onFile.ID, 10)+"/copy-given", cw,
		map[string]any{"how": "Handed over at the reporting centre"}, http.StatusOK, &given)
	if given.CopyGiven == nil {
		t.Errorf("copy not recorded: %+v", given)
	}

	// Someone with an email address.
	p := ts.createPerson(t, &tether.Person{FamilyName: "Yusuf", GivenNames: "Amina"})
	ts.addContactPoint(t, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindEmail, Email: "amina@example.org",
		Source: tether.SourcePerson, ForCorrespondence: true})
	req = map[string]any{"person_id": p.ID, "template_key": "request-contact-details-email",
		"personalisation": map[string]string{"date": "1 April 2026"}}
	var draft struct {
		Notice tether.Notice `json:"notice"`
	}
	ts.doJSON(t, "POST", "/api/v1/notices/preview", cw, req, http.StatusOK, &draft)
	if draft.Notice.Method != tether.MethodEmail || draft.Notice.Content == "" || draft.Notice.ID != 0 {
		t.Errorf("preview %+v", draft.Notice)
	}
	var n tether.Notice
	resp = ts.doJSON(t, "POST", "/api/v1/notices", cw, req, http.StatusCreated, &n)
	if n.State != tether.NoticeQueued || resp.Header.Get("Location") != "/api/v1/notices/"+strconv.FormatInt(n.ID, 10) {
		t.Errorf("created %+v at %q", n, resp.Header.Get("Location"))
	}
	var list noticeList
	ts.doJSON(t, "GET", "/api/v1/notices?person_id="+strconv.FormatInt(p.ID, 10), ts.token(tether.RoleInspector), nil, http.StatusOK, &list)
	if list.Total != 1 || len(list.Notices) != 1 || list.Notices[0].ID != n.ID {
		t.Errorf("list %+v", list)
	}
	ts.doJSON(t, "GET", "/api/v1/notices?state=on_file", cw, nil, http.StatusOK, &list)
	if list.Total != 1 || list.Notices[0].ID != onFile.ID {
		t.Errorf("on-file list %+v", list)
	}
	resp, _ = ts.do(t, "GET", "/api/v1/notices?state=lost", cw, nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad state filter: %d", resp.StatusCode)
	}
	var tl noticeTimeline
	ts.doJSON(t, "GET", "/api/v1/notices/"+strconv.FormatInt(n.ID, 10)+"/timeline", cw, nil, http.StatusOK, &tl)
	if len(tl.Events) == 0 {
		t.Errorf("empty timeline")
	}
	var proof struct {
		Notice          *tether.Notice          `json:"notice"`
		Timeline        []*tether.NoticeEvent   `json:"timeline"`
		TemplateVersion *tether.TemplateVersion `json:"template_version"`
	}
	ts.doJSON(t, "GET", "/api/v1/notices/"+strconv.FormatInt(n.ID, 10)+"/proof", cw, nil, http.StatusOK, &proof)
	if proof.Notice == nil || proof.TemplateVersion == nil || proof.TemplateVersion.ID != n.VersionID || len(proof.Timeline) == 0 {
		t.Errorf("proof %+v", proof)
	}
	resp, body = ts.do(t, "GET", "/api/v1/notices/"+strconv.FormatInt(n.ID, 10)+"/proof.pdf", cw, nil)
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Fatalf("proof.pdf: %d %.40q", resp.StatusCode, body)
	}
	if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != "application/pdf" || !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("proof.pdf: Content-Type %q, Content-Disposition %q", ct, cd)
	}
	resp, _ = ts.do(t, "GET", "/api/v1/notices/"+strconv.FormatInt(n.ID, 10), ts.token(tether.RoleOrganisation), nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("organisation reads a notice: %d", resp.StatusCode)
	}

	var ob outboxAnswer
	ts.doJSON(t, "GET", "/api/v1/outbox", ts.token(tether.RoleAdmin), nil, http.StatusOK, &ob)
	if ob.Counts == nil {
		t.Errorf("outbox %+v", ob)
	}
}

// sentNotice creates an email notice for a new person and marks it sent
// with the provider id, as the dispatcher would.
func sentNotice(t *testing.T, ts *testServer, family, providerID string) *tether.Notice {
	t.Helper()
	p := ts.createPerson(t, &tether.Person{FamilyName: family, GivenNames: "Sam"})
	ts.addContactPoint(t, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindEmail, Email: strings.ToLower(family) + "@example.org",
		Source: tether.SourcePerson, ForCorrespondence: true})
	var n tether.Notice
	ts.doJSON(t, "POST", "/api/v1/notices", ts.token(tether.RoleCaseworker), map[string]any{"person_id": p.ID,
		"template_key": "request-contact-details-email", "personalisation": map[string]string{"date": "1 April 2026"}},
		http.StatusCreated, &n)
	items, err := ts.db.ClaimOutbox(ts.ctx(), "w", nil, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.NoticeID == n.ID {
			if err := ts.db.OutboxSent(ts.ctx(), it.ID, "w", providerID); err != nil {
				t.Fatal(err)
			}
			return &n
		}
	}
	t.Fatalf("notice %d not in the outbox", n.ID)
	return nil
}

// callback posts a raw body to a Notify callback with the token.
func (ts *testServer) callback(t *testing.T, path, token, body string) (*http.Response, []byte) {
	t.Helper()
	req := ts.newRequest(t, "POST", path, body)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return ts.send(t, ts.Client(), req)
}

func receipt(id, status string) string {
	return `{"id":"` + id + `","reference":null,"to":"someone@example.org","status":"` + status + `",` +
		`"created_at":"2026-03-02T09:00:00.000000Z","completed_at":"2026-03-02T09:05:00.000000Z","sent_at":"2026-03-02T09:01:00.000000Z",` +
		`"notification_type":"email","template_id":"f33517ff-2a88-4f6e-b855-c550268ce08a","template_version":1}`
}

func TestNotifyCallbacks(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	needPeopleStore(t, ts)
	ts.seedTemplates(t)
	const delivery = "/api/v1/callbacks/notify/delivery"
	const good, bad = "0b8e8c3a-5b0e-4f0a-9d55-3f0a1c2b4d01", "1c9f9d4b-6c1f-4a1b-8e66-4a1b2d3c5e02"
	n := sentNotice(t, ts, "Delivered", good)
	failed := sentNotice(t, ts, "Bounced", bad)

	// No token, a wrong one, a user's API token: 401 with the error shape.
	for _, tok := range []string{"", "wrong", ts.token(tether.RoleAdmin)} {
		resp, body := ts.callback(t, delivery, tok, receipt(good, "delivered"))
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("token %q: status %d", tok, resp.StatusCode)
		}
		checkErrorShape(t, "callback token", body, tether.EUNAUTHORIZED)
	}
	// Malformed: 400 naming the field.
	resp, body := ts.callback(t, delivery, testCallbackToken, `{"id":"not-a-uuid","status":"delivered"}`)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("malformed: %d %s", resp.StatusCode, body)
	}
	if e := checkErrorShape(t, "malformed", body, tether.EINVALID); e.Fields["id"] == "" {
		t.Errorf("malformed: no id field in %s", body)
	}
	resp, _ = ts.callback(t, delivery, testCallbackToken, `{"id":`)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("truncated: %d", resp.StatusCode)
	}
	// Unknown notice: 404.
	resp, _ = ts.callback(t, delivery, testCallbackToken, receipt("2d0a0e5c-7d2a-4b2c-9f77-5b2c3e4d6f03", "delivered"))
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown notice: %d", resp.StatusCode)
	}
	// Delivered moves the notice.
	resp, body = ts.callback(t, delivery, testCallbackToken, receipt(good, "delivered"))
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delivered: %d %s", resp.StatusCode, body)
	}
	var got tether.Notice
	ts.doJSON(t, "GET", "/api/v1/notices/"+strconv.FormatInt(n.ID, 10), ts.token(tether.RoleCaseworker), nil, http.StatusOK, &got)
	if got.State != tether.NoticeDelivered {
		t.Errorf("after delivered: state %q", got.State)
	}
	// A permanent failure fails the notice and opens a task.
	resp, body = ts.callback(t, delivery, testCallbackToken, receipt(bad, "permanent-failure"))
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("permanent failure: %d %s", resp.StatusCode, body)
	}
	var tasks taskList
	ts.doJSON(t, "GET", "/api/v1/tasks?state=open&person_id="+strconv.FormatInt(failed.PersonID, 10), ts.token(tether.RoleCaseworker), nil, http.StatusOK, &tasks)
	if len(tasks.Tasks) != 1 || tasks.Tasks[0].NoticeID == nil || *tasks.Tasks[0].NoticeID != failed.ID {
		t.Fatalf("tasks after a permanent failure: %+v", tasks.Tasks)
	}
	if task := tasks.Tasks[0]; task.Queue != tether.QueueContact || task.Priority != tether.PriorityHigh || task.State != tether.TaskOpen {
		t.Errorf("the failed delivery's task: %+v", task)
	}
	var done tether.Task
	ts.doJSON(t, "POST", "/api/v1/tasks/"+strconv.FormatInt(tasks.Tasks[0].ID, 10)+"/done", ts.token(tether.RoleCaseworker),
		map[string]any{"note": "Rang them; new email recorded"}, http.StatusOK, &done)
	if done.State != tether.TaskDone || done.DoneNote != "Rang them; new email recorded" {
		t.Errorf("task done: %+v", done)
	}

	// Returned letters: the token, then the notice.
	const returned = "/api/v1/callbacks/notify/returned-letter"
	resp, _ = ts.callback(t, returned, "", `{"notification_id":"`+good+`","date_sent":"2026-02-20T09:00:00Z"}`)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("returned letter without a token: %d", resp.StatusCode)
	}
	resp, _ = ts.callback(t, returned, testCallbackToken, `{"notification_id":"`+good+`"}`)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("returned letter without date_sent: %d", resp.StatusCode)
	}
	resp, _ = ts.callback(t, returned, testCallbackToken, `{"notification_id":"2d0a0e5c-7d2a-4b2c-9f77-5b2c3e4d6f03","date_sent":"2026-02-20T09:00:00Z"}`)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("returned letter for an unknown notice: %d", resp.StatusCode)
	}
	// The body (it holds an email address) never reaches the log.
	if strings.Contains(ts.logs.String(), "someone@example.org") {
		t.Errorf("the log holds a callback's body")
	}
}
