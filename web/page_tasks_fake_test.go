package web

import (
	"context"
	"slices"
	"strings"

	"tether"
)

// tasksFake is the work queues the golden pages show: person 1's failed
// letter, claimed by Sam and overdue; an urgent send failure due today,
// waiting; a task about person 3 due next week; and a done task.
type tasksFake struct {
	tether.TaskService
	tasks  []*tether.Task
	events []*tether.TaskEvent
}

func newTasksFake() *tasksFake {
	sam, n1, n2 := int64(1), int64(1), int64(2)
	tasks := []*tether.Task{
		{ID: 1, Queue: tether.QueueContact, Kind: tether.TaskKindContactFailed, Priority: tether.PriorityHigh, DueOn: "2026-02-27",
			State: tether.TaskClaimed, Assignee: &sam, AssigneeName: "Sam Caseworker", ClaimedAt: fakeAtp("2026-02-26T14:00:00Z"),
			PersonID: 1, PersonRef: "TH-04817263K", SubjectKind: tether.SubjectNotice, SubjectID: 1, NoticeID: &n1,
			Summary: "Notice NT-7KQ2M4XB (reporting-notice-letter) did not reach the person: the postal address failed (returned). " +
				"Find another way to reach them, or serve the notice by hand or to file.",
			CreatedAt: fakeAt("2026-02-26T10:00:00Z"), CreatedBy: "system:notify-callback", UpdatedAt: fakeAt("2026-02-27T09:00:00Z"), Version: 3},
		{ID: 2, Queue: tether.QueueContact, Kind: tether.TaskKindSendFailed, Priority: tether.PriorityUrgent, DueOn: "2026-03-02",
			State: tether.TaskOpen, PersonID: 1, PersonRef: "TH-04817263K", SubjectKind: tether.SubjectNotice, SubjectID: 2, NoticeID: &n2,
			Summary:   "Notice NT-Q9W3E5RT (reporting-notice-letter) could not be sent through notify-letter. Send it again, or by another method.",
			CreatedAt: fakeAt("2026-02-27T11:00:00Z"), CreatedBy: "system:dispatch", UpdatedAt: fakeAt("2026-02-27T11:00:00Z"), Version: 1},
		{ID: 3, Queue: tether.QueueContact, Kind: "check-address", Priority: tether.PriorityNormal, DueOn: "2026-03-09",
			State: tether.TaskOpen, PersonID: 3, PersonRef: "TH-00000025B", SubjectKind: tether.SubjectPerson, SubjectID: 3,
			Summary:   "Check the address the council gave.",
			CreatedAt: fakeAt("2026-03-02T08:30:00Z"), CreatedBy: "user:1", UpdatedAt: fakeAt("2026-03-02T08:30:00Z"), Version: 1},
		{ID: 4, Queue: tether.QueueContact, Kind: tether.TaskKindContactFailed, Priority: tether.PriorityHigh, DueOn: "2026-02-20",
			State: tether.TaskDone, Assignee: &sam, AssigneeName: "Sam Caseworker", PersonID: 1, PersonRef: "TH-04817263K",
			SubjectKind: tether.SubjectPerson, SubjectID: 1, Summary: "An email bounced.", DoneAt: fakeAtp("2026-02-19T16:00:00Z"),
			DoneBy: "user:1", DoneNote: "Rang them", CreatedAt: fakeAt("2026-02-18T10:00:00Z"), UpdatedAt: fakeAt("2026-02-19T16:00:00Z"), Version: 3},
	}
	events := []*tether.TaskEvent{
		{ID: 1, TaskID: 1, At: fakeAt("2026-02-26T10:00:00Z"), Actor: "system:notify-callback", Action: tether.TaskActionOpened, To: tether.TaskOpen},
		{ID: 2, TaskID: 1, At: fakeAt("2026-02-26T14:00:00Z"), Actor: "user:1", ActorName: "Sam Caseworker", Action: tether.TaskActionClaimed,
			To: "user:1", ToName: "Sam Caseworker"},
		{ID: 3, TaskID: 1, At: fakeAt("2026-02-27T09:00:00Z"), Actor: "user:2", ActorName: "Ada Admin", Action: tether.TaskActionDue,
			From: "2026-03-02", To: "2026-02-27", Note: "Their reporting event is on Monday"},
		{ID: 4, TaskID: 2, At: fakeAt("2026-02-27T11:00:00Z"), Actor: "system:dispatch", Action: tether.TaskActionOpened, To: tether.TaskOpen},
	}
	return &tasksFake{tasks: tasks, events: events}
}

func (f *tasksFake) FindTasks(ctx context.Context, flt tether.TaskFilter) ([]*tether.Task, int, error) {
	var out []*tether.Task
	for _, t := range f.tasks {
		if (flt.Queue == "" || flt.Queue == t.Queue) && (flt.PersonID == nil || *flt.PersonID == t.PersonID) &&
			(flt.Assignee == nil || (t.Assignee != nil && *flt.Assignee == *t.Assignee)) &&
			(flt.State == "" || flt.State == t.State || (flt.State == tether.TaskActive && t.Active())) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b *tether.Task) int {
		if c := strings.Compare(a.DueOn, b.DueOn); c != 0 {
			return c
		}
		pa, _ := tether.PriorityByKey(a.Priority)
		pb, _ := tether.PriorityByKey(b.Priority)
		return pa.Rank - pb.Rank
	})
	return out, len(out), nil
}

func (f *tasksFake) FindTaskByID(ctx context.Context, id int64) (*tether.Task, error) {
	for _, t := range f.tasks {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, tether.Errorf(tether.ENOTFOUND, "Task not found.")
}

func (f *tasksFake) TaskEvents(ctx context.Context, id int64) ([]*tether.TaskEvent, error) {
	var out []*tether.TaskEvent
	for _, e := range f.events {
		if e.TaskID == id {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f *tasksFake) QueueCounts(ctx context.Context) ([]*tether.QueueCount, error) {
	var out []*tether.QueueCount
	for _, q := range tether.Queues {
		c := &tether.QueueCount{Queue: q.Key, Name: q.Name}
		if q.Key == tether.QueueContact {
			c.Open, c.Claimed, c.Overdue, c.DueToday = 2, 1, 1, 1
		}
		if q.Key == tether.QueueTracing {
			c.Open = 1204
		}
		out = append(out, c)
	}
	return out, nil
}

func (f *tasksFake) TaskAssignees(ctx context.Context, queue string) ([]*tether.User, error) {
	return []*tether.User{{ID: 2, Name: "Ada Admin", Role: tether.RoleAdmin}, {ID: 1, Name: "Sam Caseworker", Role: tether.RoleCaseworker},
		{ID: 5, Name: "Kim Caseworker", Role: tether.RoleCaseworker}}, nil
}

// CompleteTask refuses an empty note, as the store does.
func (f *tasksFake) CompleteTask(ctx context.Context, id int64, version int, note string) (*tether.Task, error) {
	if strings.TrimSpace(note) == "" {
		return nil, tether.Invalid("note", "enter what you did")
	}
	return f.FindTaskByID(ctx, id)
}

// ClaimTask loses the race: Kim claimed it first.
func (f *tasksFake) ClaimTask(ctx context.Context, id int64, version int) (*tether.Task, error) {
	return nil, tether.Errorf(tether.ECONFLICT, "Kim Caseworker has already claimed this task.")
}

// ChangeTask refuses a due date in the past, as a module might.
func (f *tasksFake) ChangeTask(ctx context.Context, id int64, version int, c tether.TaskChange) (*tether.Task, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return f.FindTaskByID(ctx, id)
}
