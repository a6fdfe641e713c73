package store

import (
	"testing"

	"tether"
)

// The system is never left without an enabled admin: demoting or disabling
// the last one is refused and changes nothing; with another admin, both
// work.
func TestLastAdminKept(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ada := seedUser(t, db, tether.RoleAdmin, "ada@example.org", nil)
		before := taskCounts(t, db)
		wantCode(t, db.SetUserRole(adminCtx(), ada.ID, tether.RoleCaseworker, nil), tether.ECONFLICT)
		wantCode(t, db.SetUserDisabled(adminCtx(), ada.ID, true), tether.ECONFLICT)
		if got := taskCounts(t, db); got != before {
			t.Fatalf("a refusal wrote: %s, was %s", got, before)
		}
		u, err := db.FindUserByID(adminCtx(), ada.ID)
		if err != nil || u.Role != tether.RoleAdmin || u.Disabled {
			t.Fatalf("ada = %+v, %v", u, err)
		}

		// A disabled admin does not count.
		bo := seedUser(t, db, tether.RoleAdmin, "bo@example.org", nil)
		if err := db.SetUserDisabled(adminCtx(), bo.ID, true); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.SetUserRole(adminCtx(), ada.ID, tether.RoleInspector, nil), tether.ECONFLICT)

		if err := db.SetUserDisabled(adminCtx(), bo.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetUserRole(adminCtx(), ada.ID, tether.RoleCaseworker, nil); err != nil {
			t.Fatalf("demote with another admin: %v", err)
		}
		wantCode(t, db.SetUserDisabled(adminCtx(), bo.ID, true), tether.ECONFLICT)
		// Not an admin any more: disabling ada needs no other admin check.
		if err := db.SetUserDisabled(adminCtx(), ada.ID, true); err != nil {
			t.Fatal(err)
		}
	})
}

// Disabling a user sends the tasks they had claimed back to their queues,
// each with an event saying why; their finished tasks stay as they were.
func TestDisableReleasesClaimedTasks(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		leaver := seedUser(t, db, tether.RoleCaseworker, "leaver@example.org", nil)
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Haile", GivenNames: "Selam"})
		var claimed []int64
		for range 2 {
			task := mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityNormal, "")
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

		if err := db.SetUserDisabled(adminCtx(), leaver.ID, true); err != nil {
			t.Fatal(err)
		}
		for _, id := range claimed {
			task, err := db.FindTaskByID(adminCtx(), id)
			if err != nil {
				t.Fatal(err)
			}
			if task.State != tether.TaskOpen || task.Assignee != nil {
				t.Fatalf("task %d: state %s assignee %v, want open and unassigned", id, task.State, task.Assignee)
			}
			evs, err := db.TaskEvents(adminCtx(), id)
			if err != nil {
				t.Fatal(err)
			}
			last := evs[len(evs)-1]
			if last.Action != tether.TaskActionReleased || last.Note != "The user was disabled." {
				t.Fatalf("task %d last event %+v", id, last)
			}
		}
		task, err := db.FindTaskByID(adminCtx(), done.ID)
		if err != nil || task.State != tether.TaskDone {
			t.Fatalf("done task = %+v, %v", task, err)
		}
		if got := auditActions(t, db, "user", leaver.ID); got[len(got)-1] != "user.disable" || got[len(got)-2] != "tasks.reassign_all" {
			t.Fatalf("audit = %v", got)
		}
	})
}
