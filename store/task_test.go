package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tether"
)

// seedNamed creates a user with a name of their own.
func seedNamed(t *testing.T, db *DB, role tether.Role, name string) *tether.User {
	t.Helper()
	u := &tether.User{Email: strings.ToLower(name) + "@example.org", Name: name, Role: role}
	if err := db.CreateUser(adminCtx(), u, userTestPassword); err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return u
}

// as is a context acting as the user.
func as(u *tether.User) context.Context { return AsActor(tether.ActorOf(u)) }

// taskCounts counts the rows of the task tables and the audit log, to show
// that a refusal wrote nothing.
func taskCounts(t *testing.T, db *DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{`SELECT COUNT(*) FROM task_events`, `SELECT COALESCE(SUM(version), 0) FROM tasks`, `SELECT COUNT(*) FROM audit_log`} {
		var n int
		if err := db.write.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d ", n)
	}
	return b.String()
}

// mustOpenTask opens a task in the queue about the person, as the system.
func mustOpenTask(t *testing.T, db *DB, personID int64, queue, priority, due string) *tether.Task {
	t.Helper()
	task := &tether.Task{Queue: queue, Kind: "follow-up", Priority: priority, DueOn: due, PersonID: personID,
		Summary: "Follow up " + queue + " " + priority + " " + due}
	if err := db.OpenTask(AsActor(tether.SystemActor), task); err != nil {
		t.Fatalf("open task: %v", err)
	}
	return task
}

func eventActions(t *testing.T, db *DB, ctx context.Context, id int64) []string {
	t.Helper()
	events, err := db.TaskEvents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		out = append(out, e.Action)
	}
	return out
}

func TestTaskLifecycle(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		sam := seedNamed(t, db, tether.RoleCaseworker, "Sam")
		kim := seedNamed(t, db, tether.RoleCaseworker, "Kim")
		eve := seedNamed(t, db, tether.RoleEnquiries, "Eve")
		ada := seedNamed(t, db, tether.RoleAdmin, "Ada")
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Haile", GivenNames: "Selam"})

		// Opening: bad input names the field and writes nothing.
		before := taskCounts(t, db)
		err := db.OpenTask(as(sam), &tether.Task{Queue: "post-room", Kind: "x", PersonID: p.ID, Summary: "Do it"})
		wantCode(t, err, tether.EINVALID)
		if _, ok := tether.ErrorFields(err)["queue"]; !ok {
			t.Errorf("unknown queue: %v", err)
		}
		wantCode(t, db.OpenTask(as(sam), &tether.Task{Queue: tether.QueueContact, Kind: "x", PersonID: 999999, Summary: "Do it"}), tether.ENOTFOUND)
		wantCode(t, db.OpenTask(as(eve), &tether.Task{Queue: tether.QueueContact, Kind: "x", PersonID: p.ID, Summary: "Do it"}), tether.EFORBIDDEN)
		wantCode(t, db.OpenTask(as(sam), &tether.Task{Queue: tether.QueueContact, Kind: "x", PersonID: p.ID, Summary: "Do it",
			SubjectKind: tether.SubjectNotice, SubjectID: 12345}), tether.EINVALID)
		if after := taskCounts(t, db); after != before {
			t.Fatalf("refusals wrote: %s -> %s", before, after)
		}

		// Opened with no due date: normal priority, five working days.
		task := &tether.Task{Queue: tether.QueueContact, Kind: "check-address", PersonID: p.ID, Summary: "Check the new address"}
		if err := db.OpenTask(as(sam), task); err != nil {
			t.Fatal(err)
		}
		if task.Priority != tether.PriorityNormal || task.DueOn != "2026-03-09" || task.State != tether.TaskOpen ||
			task.SubjectKind != tether.SubjectPerson || task.SubjectID != p.ID || task.Version != 1 {
			t.Fatalf("opened task = %+v", task)
		}
		id := task.ID

		// Sam claims it; Kim is told who has it.
		got, err := db.ClaimTask(as(sam), id, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != tether.TaskClaimed || got.Assignee == nil || *got.Assignee != sam.ID || got.AssigneeName != sam.Name ||
			got.ClaimedAt == nil || got.Version != 2 {
			t.Fatalf("claimed = %+v", got)
		}
		_, err = db.ClaimTask(as(kim), id, 0)
		wantCode(t, err, tether.ECONFLICT)
		if !strings.Contains(tether.ErrorMessage(err), sam.Name) {
			t.Errorf("conflict message %q does not say who has it", tether.ErrorMessage(err))
		}
		_, err = db.ClaimTask(as(sam), id, 0)
		wantCode(t, err, tether.ECONFLICT)

		// It is Sam's: Kim may not release, close or move it.
		before = taskCounts(t, db)
		_, err = db.ReleaseTask(as(kim), id, 0, "")
		wantCode(t, err, tether.EFORBIDDEN)
		_, err = db.CompleteTask(as(kim), id, 0, "Rang them")
		wantCode(t, err, tether.EFORBIDDEN)
		_, err = db.ReassignTask(as(kim), id, 0, kim.ID, "")
		wantCode(t, err, tether.EFORBIDDEN)
		_, err = db.ChangeTask(as(kim), id, 0, tether.TaskChange{Priority: tether.PriorityUrgent})
		wantCode(t, err, tether.EFORBIDDEN)
		// An enquiries caseworker does not even see it.
		_, err = db.FindTaskByID(as(eve), id)
		wantCode(t, err, tether.ENOTFOUND)
		_, err = db.ClaimTask(as(eve), id, 0)
		wantCode(t, err, tether.ENOTFOUND)
		// A stale page, and bad input.
		_, err = db.ReleaseTask(as(sam), id, 1, "")
		wantCode(t, err, tether.ECONFLICT)
		_, err = db.CompleteTask(as(sam), id, 0, "  ")
		wantCode(t, err, tether.EINVALID)
		_, err = db.CancelTask(as(sam), id, 0, "")
		wantCode(t, err, tether.EINVALID)
		_, err = db.ReassignTask(as(sam), id, 0, eve.ID, "")
		wantCode(t, err, tether.EINVALID)
		if f := tether.ErrorFields(err)["to"]; !strings.Contains(f, "Contact management") {
			t.Errorf("reassign to an enquiries caseworker: %v", err)
		}
		_, err = db.ReassignTask(as(sam), id, 0, 999999, "")
		wantCode(t, err, tether.EINVALID)
		_, err = db.ChangeTask(as(sam), id, 0, tether.TaskChange{DueOn: "2026-02-30"})
		wantCode(t, err, tether.EINVALID)
		_, err = db.ChangeTask(as(sam), id, 0, tether.TaskChange{Priority: tether.PriorityNormal})
		wantCode(t, err, tether.EINVALID) // nothing changes
		if after := taskCounts(t, db); after != before {
			t.Fatalf("refusals wrote: %s -> %s", before, after)
		}

		// Sam raises it, hands it to Kim, who releases it; Ada cancels it.
		if got, err = db.ChangeTask(as(sam), id, 2, tether.TaskChange{Priority: tether.PriorityUrgent, DueOn: "2026-03-03",
			Note: "Their hearing is on Thursday"}); err != nil || got.Priority != tether.PriorityUrgent || got.DueOn != "2026-03-03" {
			t.Fatalf("change = %+v, %v", got, err)
		}
		if got, err = db.ReassignTask(as(sam), id, got.Version, kim.ID, "Kim knows the family"); err != nil ||
			got.Assignee == nil || *got.Assignee != kim.ID || got.State != tether.TaskClaimed {
			t.Fatalf("reassign = %+v, %v", got, err)
		}
		if got, err = db.ReleaseTask(as(kim), id, got.Version, "Off sick"); err != nil || got.State != tether.TaskOpen || got.Assignee != nil {
			t.Fatalf("release = %+v, %v", got, err)
		}
		if got, err = db.CancelTask(as(ada), id, got.Version, "The person was found at the new address"); err != nil ||
			got.State != tether.TaskCancelled || got.CancelReason == "" || got.CancelledBy != tether.UserRef(ada.ID) {
			t.Fatalf("cancel = %+v, %v", got, err)
		}
		// Cancelled is final.
		_, err = db.ClaimTask(as(sam), id, 0)
		wantCode(t, err, tether.ECONFLICT)
		_, err = db.CompleteTask(as(ada), id, 0, "Done after all")
		wantCode(t, err, tether.ECONFLICT)

		events, err := db.TaskEvents(as(sam), id)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, e := range events {
			lines = append(lines, e.Action+" by "+e.ActorName+": "+e.FromName+"|"+e.From+" > "+e.ToName+"|"+e.To+" ("+e.Note+")")
		}
		samRef, kimRef := tether.UserRef(sam.ID), tether.UserRef(kim.ID)
		want := []string{
			"opened by Sam: | > |open ()",
			"claimed by Sam: | > Sam|" + samRef + " ()",
			"priority by Sam: |normal > |urgent (Their hearing is on Thursday)",
			"due by Sam: |2026-03-09 > |2026-03-03 (Their hearing is on Thursday)",
			"reassigned by Sam: Sam|" + samRef + " > Kim|" + kimRef + " (Kim knows the family)",
			"released by Kim: Kim|" + kimRef + " > | (Off sick)",
			"cancelled by Ada: |open > |cancelled (The person was found at the new address)",
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
		actions := auditActions(t, db, "task", id)
		wantAudit := []string{"task.open", "task.claim", "task.change", "task.reassign", "task.release", "task.cancel"}
		var writes []string
		for _, a := range actions {
			if a != "task.read" {
				writes = append(writes, a)
			}
		}
		if strings.Join(writes, ",") != strings.Join(wantAudit, ",") {
			t.Fatalf("audit = %v, want %v", writes, wantAudit)
		}
		for _, d := range auditDetails(t, db, "task.cancel") {
			if strings.Contains(d, "found") {
				t.Errorf("the audit log holds the reason: %q", d)
			}
		}

		// An open task may be done without a claim; done is final.
		other := mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityLow, "")
		if got, err := db.CompleteTask(as(kim), other.ID, 0, "Rang them; new email recorded"); err != nil ||
			got.State != tether.TaskDone || got.DoneNote == "" || got.DoneBy != tether.UserRef(kim.ID) {
			t.Fatalf("complete = %+v, %v", got, err)
		}
		_, err = db.ReleaseTask(as(kim), other.ID, 0, "")
		wantCode(t, err, tether.ECONFLICT)
		if a := eventActions(t, db, as(kim), other.ID); strings.Join(a, ",") != "opened,done" {
			t.Fatalf("events of the done task: %v", a)
		}
	})
}

func TestTaskVisibility(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		org := seedOrganisation(t, db, "Office of an MP")
		inspector := seedUser(t, db, tether.RoleInspector, "ian@example.org", nil)
		orgUser := seedUser(t, db, tether.RoleOrganisation, "olu@example.org", &org.ID)
		eve := seedUser(t, db, tether.RoleEnquiries, "eve@example.org", nil)
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Haile", GivenNames: "Selam"})
		contact := mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityHigh, "2026-02-27")
		enquiry := mustOpenTask(t, db, p.ID, tether.QueueEnquiries, tether.PriorityNormal, "2026-03-02")
		mustOpenTask(t, db, p.ID, tether.QueueTriage, tether.PriorityNormal, "2026-03-10")

		for _, u := range []*tether.User{inspector, orgUser} {
			_, _, err := db.FindTasks(as(u), tether.TaskFilter{})
			wantCode(t, err, tether.EFORBIDDEN)
			_, err = db.FindTaskByID(as(u), contact.ID)
			wantCode(t, err, tether.EFORBIDDEN)
			_, err = db.TaskEvents(as(u), contact.ID)
			wantCode(t, err, tether.EFORBIDDEN)
			_, err = db.ClaimTask(as(u), contact.ID, 0)
			wantCode(t, err, tether.EFORBIDDEN)
		}
		// Inspectors see the counts; organisation users not even those.
		counts, err := db.QueueCounts(as(inspector))
		if err != nil {
			t.Fatal(err)
		}
		byQueue := map[string]*tether.QueueCount{}
		for _, c := range counts {
			byQueue[c.Queue] = c
		}
		if len(counts) != len(tether.Queues) || byQueue[tether.QueueContact].Open != 1 || byQueue[tether.QueueContact].Overdue != 1 ||
			byQueue[tether.QueueEnquiries].DueToday != 1 || byQueue[tether.QueueTracing].Open != 0 {
			t.Fatalf("counts = %+v", byQueue)
		}
		_, err = db.QueueCounts(as(orgUser))
		wantCode(t, err, tether.EFORBIDDEN)

		// The enquiries team sees its own queues only.
		tasks, total, err := db.FindTasks(as(eve), tether.TaskFilter{PersonID: &p.ID})
		if err != nil || total != 2 || len(tasks) != 2 {
			t.Fatalf("enquiries sees %d of %d, %v", len(tasks), total, err)
		}
		for _, task := range tasks {
			if task.Queue == tether.QueueContact {
				t.Errorf("enquiries sees a contact task")
			}
		}
		_, _, err = db.FindTasks(as(eve), tether.TaskFilter{Queue: tether.QueueContact})
		wantCode(t, err, tether.EFORBIDDEN)
		if _, err := db.ClaimTask(as(eve), enquiry.ID, 0); err != nil {
			t.Fatal(err)
		}
		// A person's tasks are audited as a read of their record.
		found := false
		for _, a := range auditActions(t, db, "person", p.ID) {
			found = found || a == "tasks.read"
		}
		if !found {
			t.Error("reading a person's tasks is not audited")
		}
	})
}

func TestTaskQueueOrder(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		sam := seedUser(t, db, tether.RoleCaseworker, "sam@example.org", nil)
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Haile", GivenNames: "Selam"})
		// Opened out of order: the queue shows them by due date, then priority, then id.
		specs := []struct{ priority, due string }{
			{tether.PriorityLow, "2026-03-05"},
			{tether.PriorityUrgent, "2026-03-06"},
			{tether.PriorityNormal, "2026-03-04"},
			{tether.PriorityHigh, "2026-03-05"},
			{tether.PriorityUrgent, "2026-03-05"},
			{tether.PriorityHigh, "2026-03-05"},
		}
		var ids []int64
		for _, s := range specs {
			ids = append(ids, mustOpenTask(t, db, p.ID, tether.QueueContact, s.priority, s.due).ID)
		}
		mustOpenTask(t, db, p.ID, tether.QueueTracing, tether.PriorityUrgent, "2026-03-01")
		want := []int64{ids[2], ids[4], ids[3], ids[5], ids[0], ids[1]}
		tasks, total, err := db.FindTasks(as(sam), tether.TaskFilter{Queue: tether.QueueContact, State: tether.TaskActive})
		if err != nil || total != 6 {
			t.Fatalf("queue = %d, %v", total, err)
		}
		for i, task := range tasks {
			if task.ID != want[i] {
				t.Fatalf("queue order: task %d is %d (%s %s), want %d", i, task.ID, task.DueOn, task.Priority, want[i])
			}
		}
		// Pages.
		page, total, err := db.FindTasks(as(sam), tether.TaskFilter{Queue: tether.QueueContact, State: tether.TaskActive, Limit: 4, Offset: 4})
		if err != nil || total != 6 || len(page) != 2 || page[0].ID != want[4] {
			t.Fatalf("second page = %d of %d, %v", len(page), total, err)
		}
		// My tasks, and what is due.
		for _, id := range []int64{ids[1], ids[2]} {
			if _, err := db.ClaimTask(as(sam), id, 0); err != nil {
				t.Fatal(err)
			}
		}
		mine, total, err := db.FindTasks(as(sam), tether.TaskFilter{Assignee: &sam.ID, State: tether.TaskClaimed})
		if err != nil || total != 2 || mine[0].ID != ids[2] || mine[1].ID != ids[1] {
			t.Fatalf("my tasks = %+v, %d, %v", mine, total, err)
		}
		open, _, err := db.FindTasks(as(sam), tether.TaskFilter{Queue: tether.QueueContact, State: tether.TaskOpen})
		if err != nil || len(open) != 4 {
			t.Fatalf("open = %d, %v", len(open), err)
		}
		due, total, err := db.FindTasks(as(sam), tether.TaskFilter{State: tether.TaskActive, DueBefore: "2026-03-05"})
		if err != nil || total != 2 || due[0].Queue != tether.QueueTracing || due[1].ID != ids[2] {
			t.Fatalf("due before 5 March = %+v, %d, %v", due, total, err)
		}
		_, _, err = db.FindTasks(as(sam), tether.TaskFilter{State: "later"})
		wantCode(t, err, tether.EINVALID)
	})
}

// TestTaskIndexes checks on SQLite that the queue page, my tasks and a due
// sweep are read through their indexes, in page order without a sort.
func TestTaskIndexes(t *testing.T) {
	t.Parallel()
	db := MustOpenTestDB(t, SQLite, nil)
	for _, tc := range []struct {
		q, index string
		args     []any
	}{
		{`SELECT ` + taskCols + taskFrom + ` WHERE t.queue = ? AND ` + activeStates + ` ORDER BY t.due_on, t.priority, t.id LIMIT 50`,
			"tasks_queue_active", []any{"contact"}},
		{`SELECT ` + taskCols + taskFrom + ` WHERE t.queue = ? AND t.state = ? ORDER BY t.due_on, t.priority, t.id LIMIT 50`,
			"tasks_queue", []any{"contact", "open"}},
		{`SELECT ` + taskCols + taskFrom + ` WHERE t.assignee = ? AND t.state = ? ORDER BY t.due_on, t.priority, t.id LIMIT 50`,
			"tasks_assignee", []any{1, "claimed"}},
		{`SELECT t.id FROM tasks t WHERE t.state = ? AND t.due_on < ?`, "tasks_due", []any{"open", "2026-03-02"}},
	} {
		rows, err := db.write.Query(`EXPLAIN QUERY PLAN `+tc.q, tc.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notUsed int
			var detail string
			if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		p := strings.Join(plan, "; ")
		if !strings.Contains(p, tc.index) || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s\nplan: %s; want %s without a sort", tc.q, p, tc.index)
		}
	}
}

func TestConcurrentClaim(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		const n = 4
		var users []*tether.User
		for i := range n {
			users = append(users, seedUser(t, db, tether.RoleCaseworker, fmt.Sprintf("cw%d@example.org", i), nil))
		}
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Haile", GivenNames: "Selam"})
		for round := range 3 {
			task := mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityHigh, "")
			start := make(chan struct{})
			errs := make(chan error, n)
			for _, u := range users {
				go func() {
					<-start
					_, err := db.ClaimTask(as(u), task.ID, 1)
					errs <- err
				}()
			}
			close(start)
			won := 0
			for range n {
				switch err := <-errs; tether.ErrorCode(err) {
				case "":
					won++
				case tether.ECONFLICT:
					if !strings.Contains(tether.ErrorMessage(err), "claimed") && !strings.Contains(tether.ErrorMessage(err), "changed") {
						t.Errorf("conflict message %q", tether.ErrorMessage(err))
					}
				default:
					t.Fatal(err)
				}
			}
			if won != 1 {
				t.Fatalf("round %d: %d claims won, want 1", round, won)
			}
			if a := eventActions(t, db, as(users[0]), task.ID); strings.Join(a, ",") != "opened,claimed" {
				t.Fatalf("round %d: events %v", round, a)
			}
		}
	})
}

func TestReassignAll(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		leaver := seedUser(t, db, tether.RoleCaseworker, "leaver@example.org", nil)
		kim := seedUser(t, db, tether.RoleCaseworker, "kim@example.org", nil)
		eve := seedUser(t, db, tether.RoleEnquiries, "eve@example.org", nil)
		ada := seedUser(t, db, tether.RoleAdmin, "ada@example.org", nil)
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Haile", GivenNames: "Selam"})
		var claimed []int64
		for _, q := range []string{tether.QueueContact, tether.QueueContact, tether.QueueTracing, tether.QueueTriage} {
			task := mustOpenTask(t, db, p.ID, q, tether.PriorityNormal, "")
			if _, err := db.ClaimTask(as(leaver), task.ID, 0); err != nil {
				t.Fatal(err)
			}
			claimed = append(claimed, task.ID)
		}
		done := mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityNormal, "")
		if _, err := db.ClaimTask(as(leaver), done.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CompleteTask(as(leaver), done.ID, 0, "Called them"); err != nil {
			t.Fatal(err)
		}
		waiting := mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityNormal, "")

		// Refusals change nothing.
		before := taskCounts(t, db)
		_, err := db.ReassignAll(as(kim), leaver.ID, &kim.ID, "")
		wantCode(t, err, tether.EFORBIDDEN)
		_, err = db.ReassignAll(as(ada), leaver.ID, &eve.ID, "")
		wantCode(t, err, tether.EINVALID)
		if f := tether.ErrorFields(err)["to"]; !strings.Contains(f, "does not work") {
			t.Errorf("to an enquiries caseworker: %v", err)
		}
		_, err = db.ReassignAll(as(ada), leaver.ID, &leaver.ID, "")
		wantCode(t, err, tether.EINVALID)
		bad := int64(999999)
		_, err = db.ReassignAll(as(ada), leaver.ID, &bad, "")
		wantCode(t, err, tether.EINVALID)
		_, err = db.ReassignAll(as(ada), bad, &kim.ID, "")
		wantCode(t, err, tether.ENOTFOUND)
		if after := taskCounts(t, db); after != before {
			t.Fatalf("refusals wrote: %s -> %s", before, after)
		}

		// To Kim, at once.
		n, err := db.ReassignAll(as(ada), leaver.ID, &kim.ID, "Leaving the team")
		if err != nil || n != len(claimed) {
			t.Fatalf("reassign all = %d, %v", n, err)
		}
		mine, total, err := db.FindTasks(as(kim), tether.TaskFilter{Assignee: &kim.ID, State: tether.TaskClaimed})
		if err != nil || total != len(claimed) {
			t.Fatalf("Kim's tasks = %d, %v", total, err)
		}
		for _, task := range mine {
			events, err := db.TaskEvents(as(kim), task.ID)
			if err != nil {
				t.Fatal(err)
			}
			last := events[len(events)-1]
			if last.Action != tether.TaskActionReassigned || last.From != tether.UserRef(leaver.ID) || last.To != tether.UserRef(kim.ID) ||
				last.Note != "Leaving the team" || last.Actor != tether.UserRef(ada.ID) || last.ToName != kim.Name {
				t.Errorf("last event of task %d = %+v", task.ID, last)
			}
		}
		if got, err := db.FindTaskByID(as(kim), done.ID); err != nil || got.State != tether.TaskDone || *got.Assignee != leaver.ID {
			t.Errorf("the done task moved: %+v, %v", got, err)
		}
		if got, err := db.FindTaskByID(as(kim), waiting.ID); err != nil || got.State != tether.TaskOpen || got.Assignee != nil {
			t.Errorf("the waiting task moved: %+v, %v", got, err)
		}
		if d := auditDetails(t, db, "tasks.reassign_all"); len(d) != 1 || d[0] != "to="+tether.UserRef(kim.ID)+" tasks=4" {
			t.Errorf("audit = %v", d)
		}

		// Then back to the queues.
		if n, err := db.ReassignAll(as(ada), kim.ID, nil, ""); err != nil || n != len(claimed) {
			t.Fatalf("back to the queues = %d, %v", n, err)
		}
		for _, id := range claimed {
			got, err := db.FindTaskByID(as(kim), id)
			if err != nil || got.State != tether.TaskOpen || got.Assignee != nil || got.ClaimedAt != nil {
				t.Errorf("task %d = %+v, %v", id, got, err)
			}
		}
		if n, err := db.ReassignAll(as(ada), kim.ID, nil, ""); err != nil || n != 0 {
			t.Fatalf("nothing left = %d, %v", n, err)
		}
	})
}

// TestTaskMigration applies the migrations up to 0002, stores tasks as
// correspondence did then, and checks what 0003 makes of them.
func TestTaskMigration(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := openUnmigrated(t, engine)
			for _, v := range []string{"0001_foundation", "0002_correspondence"} {
				body, err := fs.ReadFile(migrations, "migrations/"+engine+"/"+v+".sql")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.write.Exec(string(body)); err != nil {
					t.Fatalf("%s: %v", v, err)
				}
			}
			if _, err := db.write.Exec(`CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			for _, v := range []string{"0001_foundation", "0002_correspondence"} {
				if _, err := db.write.Exec(db.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), v, "2026-01-01T00:00:00Z"); err != nil {
					t.Fatal(err)
				}
			}
			p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Haile", GivenNames: "Selam"})
			created := db.ts(db.Clock.Now().Add(-72 * time.Hour))
			doneAt := db.ts(db.Clock.Now().Add(-24 * time.Hour))
			if _, err := db.write.Exec(db.rebind(`INSERT INTO tasks (person_id, kind, summary, state, created_at, created_by)
				VALUES (?, 'contact-failed', 'Find another way', 'open', ?, 'system')`), p.ID, created); err != nil {
				t.Fatal(err)
			}
			if _, err := db.write.Exec(db.rebind(`INSERT INTO tasks (person_id, kind, summary, state, created_at, created_by, done_at, done_by, done_note)
				VALUES (?, 'serve-to-file', 'Give them a copy', 'done', ?, 'user:1', ?, 'user:1', 'Handed over')`), p.ID, created, doneAt); err != nil {
				t.Fatal(err)
			}
			applied, err := db.Migrate(context.Background())
			if err != nil || len(applied) == 0 || applied[0] != "0003_work_queues" {
				t.Fatalf("migrate = %v, %v", applied, err)
			}
			tasks, _, err := db.FindTasks(admin(), tether.TaskFilter{PersonID: &p.ID})
			if err != nil || len(tasks) != 2 {
				t.Fatalf("tasks = %+v, %v", tasks, err)
			}
			open, done := tasks[0], tasks[1]
			if open.State != tether.TaskOpen {
				open, done = done, open
			}
			if open.Queue != tether.QueueContact || open.Priority != tether.PriorityHigh || open.DueOn != "2026-02-27" ||
				open.SubjectKind != tether.SubjectPerson || open.SubjectID != p.ID || open.Version != 1 || !open.UpdatedAt.Equal(open.CreatedAt) {
				t.Errorf("open task after 0003 = %+v", open)
			}
			if done.Priority != tether.PriorityNormal || done.DoneNote != "Handed over" || done.UpdatedAt.Equal(done.CreatedAt) {
				t.Errorf("done task after 0003 = %+v", done)
			}
			if a := eventActions(t, db, admin(), done.ID); strings.Join(a, ",") != "opened,done" {
				t.Errorf("done task's events = %v", a)
			}
			if a := eventActions(t, db, admin(), open.ID); strings.Join(a, ",") != "opened" {
				t.Errorf("open task's events = %v", a)
			}
		})
	}
}

// openUnmigrated opens a fresh database of the engine without migrating
// it, as MustOpenTestDB does otherwise.
func openUnmigrated(t *testing.T, engine string) *DB {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "tether.db")
	if engine == Postgres {
		base := os.Getenv("TETHER_TEST_POSTGRES")
		schema := fmt.Sprintf("t_%d_%d", os.Getpid(), schemaSeq.Add(1))
		adminDB, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := adminDB.Exec("CREATE SCHEMA " + schema); err != nil {
			adminDB.Close()
			t.Fatal(err)
		}
		t.Cleanup(func() {
			adminDB.Exec("DROP SCHEMA " + schema + " CASCADE")
			adminDB.Close()
		})
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	db, err := Open(dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Clock = tether.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	t.Cleanup(func() { db.Close() })
	return db
}
