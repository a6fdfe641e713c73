package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"tether"
)

// openTestTask opens a task in the queue about the person, as the system.
func openTestTask(t *testing.T, ts *testServer, personID int64, queue string) *tether.Task {
	t.Helper()
	task := &tether.Task{Queue: queue, Kind: "check-address", PersonID: personID, Summary: "Check the address the council gave"}
	if err := ts.db.OpenTask(ts.ctx(), task); err != nil {
		t.Fatal(err)
	}
	return task
}

func taskPath(id int64, action string) string {
	p := "/api/v1/tasks/" + strconv.FormatInt(id, 10)
	if action != "" {
		p += "/" + action
	}
	return p
}

func TestAPITasks(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.createPerson(t, &tether.Person{FamilyName: "Haile", GivenNames: "Selam"})
	task := openTestTask(t, ts, p.ID, tether.QueueContact)
	cw, adm := ts.token(tether.RoleCaseworker), ts.token(tether.RoleAdmin)

	var list taskList
	ts.doJSON(t, "GET", "/api/v1/tasks?queue=contact&state=active", cw, nil, http.StatusOK, &list)
	if list.Total != 1 || list.Tasks[0].ID != task.ID || list.Tasks[0].PersonRef != p.Ref {
		t.Fatalf("queue = %+v", list)
	}
	ts.wantError(t, "GET", "/api/v1/tasks?state=later", cw, nil, http.StatusBadRequest, tether.EINVALID)
	ts.wantError(t, "GET", "/api/v1/tasks?assignee=someone", cw, nil, http.StatusBadRequest, tether.EINVALID)
	ts.wantError(t, "GET", "/api/v1/tasks?queue=contact", ts.token(tether.RoleEnquiries), nil, http.StatusForbidden, tether.EFORBIDDEN)
	ts.wantError(t, "GET", taskPath(task.ID, ""), ts.token(tether.RoleEnquiries), nil, http.StatusNotFound, tether.ENOTFOUND)

	// Two claim at once: one wins, the other is told who has it.
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	bodies := make([]string, 2)
	for i, tok := range []string{cw, adm} {
		wg.Go(func() {
			resp, body := ts.do(t, "POST", taskPath(task.ID, "claim"), tok, map[string]any{"version": 1})
			statuses[i], bodies[i] = resp.StatusCode, string(body)
		})
	}
	wg.Wait()
	won := 0
	for i := range statuses {
		switch statuses[i] {
		case http.StatusOK:
			won++
		case http.StatusConflict:
			checkErrorShape(t, "losing claim", []byte(bodies[i]), tether.ECONFLICT)
			if !strings.Contains(bodies[i], "already claimed") {
				t.Errorf("losing claim: %s", bodies[i])
			}
		default:
			t.Fatalf("claim: %d %s", statuses[i], bodies[i])
		}
	}
	if won != 1 {
		t.Fatalf("%d claims won: %v", won, statuses)
	}
	// Put it back and claim it as the caseworker, with no body.
	ts.doJSON(t, "POST", taskPath(task.ID, "release"), adm, nil, http.StatusOK, nil)
	var got tether.Task
	ts.doJSON(t, "POST", taskPath(task.ID, "claim"), cw, nil, http.StatusOK, &got)
	if got.State != tether.TaskClaimed || got.Assignee == nil || *got.Assignee != ts.user(tether.RoleCaseworker).ID {
		t.Fatalf("claimed = %+v", got)
	}
	ts.doJSON(t, "GET", "/api/v1/tasks?assignee=me&state=claimed", cw, nil, http.StatusOK, &list)
	if list.Total != 1 {
		t.Fatalf("my tasks = %+v", list)
	}

	// Bad input names the field; a stale version is a conflict.
	if e := ts.wantError(t, "POST", taskPath(task.ID, "done"), cw, map[string]any{"note": " "}, http.StatusBadRequest, tether.EINVALID); e.Fields["note"] == "" {
		t.Errorf("done without a note: %+v", e)
	}
	if e := ts.wantError(t, "PATCH", taskPath(task.ID, ""), cw, map[string]any{"due_on": "2026-02-30"}, http.StatusBadRequest, tether.EINVALID); e.Fields["due_on"] == "" {
		t.Errorf("bad due date: %+v", e)
	}
	enq := ts.user(tether.RoleEnquiries).ID
	if e := ts.wantError(t, "POST", taskPath(task.ID, "reassign"), cw, map[string]any{"to": enq}, http.StatusBadRequest, tether.EINVALID); e.Fields["to"] == "" {
		t.Errorf("reassign to an enquiries caseworker: %+v", e)
	}
	ts.wantError(t, "POST", taskPath(task.ID, "cancel"), cw, map[string]any{"reason": "Found", "version": 1}, http.StatusConflict, tether.ECONFLICT)
	ts.wantError(t, "POST", taskPath(task.ID, "release"), ts.token(tether.RoleEnquiries), nil, http.StatusNotFound, tether.ENOTFOUND)
	ts.doJSON(t, "PATCH", taskPath(task.ID, ""), cw, map[string]any{"priority": "urgent", "note": "Hearing on Thursday", "version": got.Version},
		http.StatusOK, &got)
	if got.Priority != tether.PriorityUrgent {
		t.Fatalf("changed = %+v", got)
	}

	// The caseworker leaves: an admin sends their tasks back to the queue.
	ts.wantError(t, "POST", "/api/v1/users/"+strconv.FormatInt(ts.user(tether.RoleCaseworker).ID, 10)+"/tasks/reassign", cw,
		map[string]any{"to": nil}, http.StatusForbidden, tether.EFORBIDDEN)
	var moved reassignAllAnswer
	ts.doJSON(t, "POST", "/api/v1/users/"+strconv.FormatInt(ts.user(tether.RoleCaseworker).ID, 10)+"/tasks/reassign", adm,
		map[string]any{"to": nil, "note": "Left the team"}, http.StatusOK, &moved)
	if moved.Moved != 1 {
		t.Fatalf("moved = %+v", moved)
	}
	var events taskEvents
	ts.doJSON(t, "GET", taskPath(task.ID, "events"), adm, nil, http.StatusOK, &events)
	var actions []string
	for _, e := range events.Events {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "opened,claimed,released,claimed,priority,released" {
		t.Fatalf("events = %v", actions)
	}
	ts.doJSON(t, "POST", taskPath(task.ID, "done"), adm, map[string]any{"note": "Rang them"}, http.StatusOK, &got)
	ts.wantError(t, "POST", taskPath(task.ID, "claim"), cw, nil, http.StatusConflict, tether.ECONFLICT)

	// Inspectors see counts, not tasks.
	ts.wantError(t, "GET", taskPath(task.ID, ""), ts.token(tether.RoleInspector), nil, http.StatusForbidden, tether.EFORBIDDEN)
	var queues queueList
	ts.doJSON(t, "GET", "/api/v1/queues", ts.token(tether.RoleInspector), nil, http.StatusOK, &queues)
	if len(queues.Queues) != len(tether.Queues) {
		t.Fatalf("queues = %+v", queues)
	}
}

func TestPageTasks(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.createPerson(t, &tether.Person{FamilyName: "Haile", GivenNames: "Selam"})
	task := openTestTask(t, ts, p.ID, tether.QueueContact)
	id := strconv.FormatInt(task.ID, 10)
	c := ts.signIn(t, tether.RoleCaseworker)

	resp, body := getPage(t, ts, c, "/queues")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, `href="/queues/contact"`, "My tasks")
	resp, body = getPage(t, ts, c, "/queues/contact")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, `action="/tasks/`+id+`/claim"`, p.Ref)
	wantLabels(t, body)

	resp, body = postForm(t, ts, c, "/tasks/"+id+"/claim", url.Values{"version": {"1"}})
	wantRedirect(t, resp, body, "/tasks/"+id+"?done=claim")
	resp, body = getPage(t, ts, c, "/tasks")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, `href="/tasks/`+id+`"`)
	resp, body = getPage(t, ts, c, "/tasks/"+id+"?done=claim")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "You have claimed this task", "Mark as done", "Put it back in the queue")
	wantLabels(t, body)

	// A claim from a stale page is told who has it.
	resp, body = postForm(t, ts, ts.signIn(t, tether.RoleAdmin), "/tasks/"+id+"/claim", url.Values{"version": {"1"}})
	wantStatus(t, resp, body, http.StatusConflict)
	wantErrorSummary(t, body, "task-summary")
	wantContains(t, body, "has already claimed this task")

	// Done without a note: the field says so, and nothing changes.
	resp, body = postForm(t, ts, c, "/tasks/"+id+"/done", url.Values{"version": {"2"}, "note": {""}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "note")
	wantContains(t, body, "Enter what you did")
	resp, body = postForm(t, ts, c, "/tasks/"+id+"/change", url.Values{"version": {"2"}, "priority": {"high"},
		"due-day": {"31"}, "due-month": {"2"}, "due-year": {"2026"}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "due-day")
	resp, body = postForm(t, ts, c, "/tasks/"+id+"/reassign", url.Values{"version": {"2"}, "to": {""}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "to")
	if got, err := ts.db.FindTaskByID(ts.ctx(), task.ID); err != nil || got.Version != 2 {
		t.Fatalf("after refusals: %+v, %v", got, err)
	}
	resp, body = postForm(t, ts, c, "/tasks/"+id+"/change", url.Values{"version": {"2"}, "priority": {"urgent"},
		"due-day": {"3"}, "due-month": {"3"}, "due-year": {"2026"}, "change-note": {"Hearing on Thursday"}})
	wantRedirect(t, resp, body, "/tasks/"+id+"?done=change")
	resp, body = postForm(t, ts, c, "/tasks/"+id+"/done", url.Values{"version": {"3"}, "note": {"Rang them; new email recorded"}})
	wantRedirect(t, resp, body, "/tasks/"+id+"?done=done")
	resp, body = getPage(t, ts, c, "/tasks/"+id)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Rang them; new email recorded", "Priority changed", "Due date changed from 9 March 2026 to 3 March 2026")

	// An administrator moves a leaving caseworker's tasks back to the queues.
	other := openTestTask(t, ts, p.ID, tether.QueueTracing)
	cwCtx := tether.NewContextWithActor(t.Context(), tether.ActorOf(ts.user(tether.RoleCaseworker)))
	if _, err := ts.db.ClaimTask(cwCtx, other.ID, 0); err != nil {
		t.Fatal(err)
	}
	admin := ts.signIn(t, tether.RoleAdmin)
	resp, body = getPage(t, ts, admin, "/tasks/reassign")
	wantStatus(t, resp, body, http.StatusOK)
	wantLabels(t, body)
	resp, body = postForm(t, ts, admin, "/tasks/reassign", url.Values{"from": {""}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "from")
	resp, body = postForm(t, ts, admin, "/tasks/reassign", url.Values{"from": {strconv.FormatInt(ts.user(tether.RoleCaseworker).ID, 10)},
		"to": {strconv.FormatInt(ts.user(tether.RoleEnquiries).ID, 10)}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	wantErrorSummary(t, body, "to")
	resp, body = postForm(t, ts, admin, "/tasks/reassign", url.Values{"from": {strconv.FormatInt(ts.user(tether.RoleCaseworker).ID, 10)},
		"to": {""}, "note": {"Left the team"}})
	wantRedirect(t, resp, body, "/queues?moved=1")
	resp, body = getPage(t, ts, admin, "/queues?moved=1")
	wantContains(t, body, "1 task moved")
}
