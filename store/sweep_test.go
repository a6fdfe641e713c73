package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"tether"
)

func TestSweepLease(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			clock := tether.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			db := MustOpenTestDB(t, engine, clock)
			bg := context.Background()
			acquire := func(worker string) bool {
				t.Helper()
				ok, err := db.AcquireSweep(bg, "tasks-due", worker, time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				return ok
			}
			if !acquire("a") || acquire("b") || !acquire("a") {
				t.Fatal("the first holder must keep the lease, and renew it")
			}
			clock.Advance(61 * time.Second)
			if !acquire("b") || acquire("a") {
				t.Fatal("a lease that ran out goes to the next to ask")
			}
			if err := db.ReleaseSweep(bg, "tasks-due", "a"); err != nil || acquire("a") {
				t.Fatalf("a worker released a lease it did not hold (%v)", err)
			}
			if err := db.ReleaseSweep(bg, "tasks-due", "b"); err != nil || !acquire("a") {
				t.Fatalf("a released lease is free at once (%v)", err)
			}
			// Many at once: one gets it.
			if err := db.ReleaseSweep(bg, "tasks-due", "a"); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			winners := 0
			for i := range 8 {
				wg.Go(func() {
					ok, err := db.AcquireSweep(bg, "tasks-due", "w"+string(rune('0'+i)), time.Minute)
					if err != nil {
						t.Error(err)
					}
					if ok {
						mu.Lock()
						winners++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if winners != 1 {
				t.Fatalf("%d instances got the lease at once", winners)
			}
			if _, err := db.AcquireSweep(cw(), "tasks-due", "x", time.Minute); tether.ErrorCode(err) != tether.EFORBIDDEN {
				t.Fatalf("a caseworker took a sweep lease: %v", err)
			}
		})
	}
}

func TestMarkOverdueTasks(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			clock := tether.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) // Monday 2 March
			db := MustOpenTestDB(t, engine, clock)
			p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Due", GivenNames: "Tasks"})
			late := mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityNormal, "2026-02-27")
			urgent := mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityUrgent, "2026-02-20")
			today := mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityLow, "2026-03-02")
			later := mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityLow, "2026-03-09")
			done := mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityLow, "2026-02-01")
			if _, err := db.CompleteTask(AsActor(tether.SystemActor), done.ID, 0, "Done before the sweep"); err != nil {
				t.Fatal(err)
			}
			bg := context.Background()
			n, err := db.MarkOverdueTasks(bg, 100)
			if err != nil || n != 2 {
				t.Fatalf("marked %d, %v; want the 2 past their due date and still to do", n, err)
			}
			for task, want := range map[*tether.Task]string{late: tether.PriorityHigh, urgent: tether.PriorityUrgent,
				today: tether.PriorityLow, later: tether.PriorityLow} {
				got, err := db.FindTaskByID(AsActor(tether.SystemActor), task.ID)
				if err != nil || got.Priority != want {
					t.Errorf("task due %s: priority %q, %v; want %q", task.DueOn, got.Priority, err, want)
				}
			}
			if acts := eventActions(t, db, AsActor(tether.SystemActor), late.ID); acts[len(acts)-1] != tether.TaskActionOverdue {
				t.Fatalf("events of the late task = %v", acts)
			}
			// Again: nothing more; the next day, the one due today.
			if n, err := db.MarkOverdueTasks(bg, 100); err != nil || n != 0 {
				t.Fatalf("second run marked %d, %v", n, err)
			}
			clock.Advance(24 * time.Hour)
			if n, err := db.MarkOverdueTasks(bg, 100); err != nil || n != 1 {
				t.Fatalf("next day marked %d, %v; want 1", n, err)
			}
			if _, err := db.MarkOverdueTasks(bg, 0); tether.ErrorCode(err) != tether.EINVALID {
				t.Fatalf("max 0: %v", err)
			}
		})
	}
}

// Two sweeps at once mark each task once.
func TestMarkOverdueTasksConcurrent(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			clock := tether.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			db := MustOpenTestDB(t, engine, clock)
			p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Due", GivenNames: "Tasks"})
			const n = 60
			var tasks []*tether.Task
			for range n {
				tasks = append(tasks, mustOpenTask(t, db, p.ID, tether.QueueContact, tether.PriorityNormal, "2026-02-27"))
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for range 3 {
				wg.Go(func() {
					for {
						k, err := db.MarkOverdueTasks(context.Background(), 7)
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						total += k
						mu.Unlock()
						if k == 0 {
							return
						}
					}
				})
			}
			wg.Wait()
			if total != n {
				t.Fatalf("marked %d in all, want %d", total, n)
			}
			for _, task := range tasks {
				overdue := 0
				for _, a := range eventActions(t, db, AsActor(tether.SystemActor), task.ID) {
					if a == tether.TaskActionOverdue {
						overdue++
					}
				}
				if overdue != 1 {
					t.Fatalf("task %d marked overdue %d times", task.ID, overdue)
				}
			}
		})
	}
}
