package sweep_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"tether"
	"tether/store"
	"tether/sweep"
)

var system = store.AsActor(tether.SystemActor)

// world is a database with n tasks past their due date.
func world(t *testing.T, engine string, n int) (*store.DB, []*tether.Task) {
	t.Helper()
	db := store.MustOpenTestDB(t, engine, nil) // Monday 2 March 2026
	p := &tether.Person{FamilyName: "Sweep", GivenNames: "Test"}
	if err := db.CreatePerson(system, p); err != nil {
		t.Fatal(err)
	}
	var tasks []*tether.Task
	for range n {
		task := &tether.Task{Queue: tether.QueueContact, Kind: "follow-up", Priority: tether.PriorityNormal,
			DueOn: "2026-02-26", PersonID: p.ID, Summary: "Call them back"}
		if err := db.OpenTask(system, task); err != nil {
			t.Fatal(err)
		}
		tasks = append(tasks, task)
	}
	return db, tasks
}

func overdueEvents(t *testing.T, db *store.DB, tasks []*tether.Task) (total int) {
	t.Helper()
	for _, task := range tasks {
		events, err := db.TaskEvents(system, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for _, e := range events {
			if e.Action == tether.TaskActionOverdue {
				k++
			}
		}
		if k > 1 {
			t.Fatalf("task %d marked overdue %d times", task.ID, k)
		}
		total += k
	}
	return total
}

// A run that dies part way leaves the rest to the next, which does it;
// nothing is done twice, and both runs are recorded.
func TestRunnerResumesAfterAFailedRun(t *testing.T) {
	t.Parallel()
	for _, engine := range store.TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db, tasks := world(t, engine, 25)
			steps := 0
			dying := sweep.Sweep{Name: "tasks-due", What: "tasks marked overdue", Step: func(ctx context.Context, max int) (int, error) {
				steps++
				if steps == 3 {
					return 0, errors.New("the process was killed")
				}
				return db.MarkOverdueTasks(ctx, max)
			}}
			r := &sweep.Runner{Store: db, Worker: "a", Sweeps: []sweep.Sweep{dying}, Step: 5}
			res := r.RunOnce(context.Background())
			if len(res) != 1 || res[0].Err == nil || res[0].Done != 10 {
				t.Fatalf("first run = %+v", res)
			}
			if got := overdueEvents(t, db, tasks); got != 10 {
				t.Fatalf("%d marked after the failed run, want 10", got)
			}
			r2 := &sweep.Runner{Store: db, Worker: "b", Step: 5,
				Sweeps: []sweep.Sweep{{Name: "tasks-due", What: "tasks marked overdue", Step: db.MarkOverdueTasks}}}
			res = r2.RunOnce(context.Background())
			if res[0].Err != nil || res[0].Done != 15 || overdueEvents(t, db, tasks) != 25 {
				t.Fatalf("second run = %+v", res)
			}
			runs, err := db.SweepRuns(system, "tasks-due", 10)
			if err != nil || len(runs) != 2 || runs[0].Done != 15 || runs[1].Error == "" || runs[1].Done != 10 {
				t.Fatalf("runs = %+v, %v", runs, err)
			}
			if res := r2.RunOnce(context.Background()); res[0].Done != 0 {
				t.Fatalf("a third run did %d", res[0].Done)
			}
		})
	}
}

// Several instances sweeping at once: each task is handled once.
func TestRunnersAtOnce(t *testing.T) {
	t.Parallel()
	for _, engine := range store.TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db, tasks := world(t, engine, 40)
			var wg sync.WaitGroup
			for i := range 4 {
				r := &sweep.Runner{Store: db, Worker: string(rune('a' + i)), Step: 3, Lease: time.Minute,
					Sweeps: []sweep.Sweep{{Name: "tasks-due", What: "tasks marked overdue", Step: db.MarkOverdueTasks}}}
				wg.Go(func() {
					for range 5 {
						for _, res := range r.RunOnce(context.Background()) {
							if res.Err != nil {
								t.Error(res.Err)
							}
						}
					}
				})
			}
			wg.Wait()
			if got := overdueEvents(t, db, tasks); got != len(tasks) {
				t.Fatalf("%d of %d tasks marked", got, len(tasks))
			}
		})
	}
}
