package tether

import (
	"testing"

	"tether/calendar"
)

func TestNextTaskState(t *testing.T) {
	actions := []string{TaskActionClaimed, TaskActionReleased, TaskActionReassigned, TaskActionDone,
		TaskActionCancelled, TaskActionPriority, TaskActionDue}
	// want[state][action] is the next state, "" where the action is refused.
	want := map[string]map[string]string{
		TaskOpen: {
			TaskActionClaimed: TaskClaimed, TaskActionReleased: "", TaskActionReassigned: TaskClaimed,
			TaskActionDone: TaskDone, TaskActionCancelled: TaskCancelled, TaskActionPriority: TaskOpen, TaskActionDue: TaskOpen,
		},
		TaskClaimed: {
			TaskActionClaimed: "", TaskActionReleased: TaskOpen, TaskActionReassigned: TaskClaimed,
			TaskActionDone: TaskDone, TaskActionCancelled: TaskCancelled, TaskActionPriority: TaskClaimed, TaskActionDue: TaskClaimed,
		},
		TaskDone:      {},
		TaskCancelled: {},
		"archived":    {},
	}
	for state, row := range want {
		for _, action := range actions {
			got, err := NextTaskState(state, action)
			if w := row[action]; w == "" {
				if err == nil || ErrorCode(err) != ECONFLICT {
					t.Errorf("%s --%s--> %q, %v; want a conflict", state, action, got, err)
				}
			} else if err != nil || got != w {
				t.Errorf("%s --%s--> %q, %v; want %s", state, action, got, err, w)
			}
		}
	}
	if _, err := NextTaskState(TaskOpen, "opened"); ErrorCode(err) != EINVALID {
		t.Errorf("opening an open task: %v, want invalid", err)
	}
	if _, err := NextTaskState(TaskDone, TaskActionDone); ErrorMessage(err) != "This task is already done." {
		t.Errorf("done twice: %q", ErrorMessage(err))
	}
}

func TestCheckTaskActor(t *testing.T) {
	me, other := int64(1), int64(2)
	cw := Actor{UserID: me, Role: RoleCaseworker}
	adm := Actor{UserID: 9, Role: RoleAdmin}
	sys := SystemActor
	open := &Task{State: TaskOpen}
	mine := &Task{State: TaskClaimed, Assignee: &me}
	theirs := &Task{State: TaskClaimed, Assignee: &other}
	tests := []struct {
		name   string
		a      Actor
		t      *Task
		action string
		ok     bool
	}{
		{"claim an open task", cw, open, TaskActionClaimed, true},
		{"the system cannot claim", sys, open, TaskActionClaimed, false},
		{"done an open task without claiming it", cw, open, TaskActionDone, true},
		{"cancel an open task", cw, open, TaskActionCancelled, true},
		{"give an open task to a colleague", cw, open, TaskActionReassigned, true},
		{"release my task", cw, mine, TaskActionReleased, true},
		{"done my task", cw, mine, TaskActionDone, true},
		{"hand my task on", cw, mine, TaskActionReassigned, true},
		{"change my task's due date", cw, mine, TaskActionDue, true},
		{"release someone else's task", cw, theirs, TaskActionReleased, false},
		{"done someone else's task", cw, theirs, TaskActionDone, false},
		{"cancel someone else's task", cw, theirs, TaskActionCancelled, false},
		{"move someone else's task", cw, theirs, TaskActionReassigned, false},
		{"reprioritise someone else's task", cw, theirs, TaskActionPriority, false},
		{"claiming a claimed task is the state's to refuse", cw, theirs, TaskActionClaimed, true},
		{"an admin moves someone else's task", adm, theirs, TaskActionReassigned, true},
		{"an admin releases someone else's task", adm, theirs, TaskActionReleased, true},
		{"an admin closes someone else's task", adm, theirs, TaskActionDone, true},
		{"the system moves tasks", sys, theirs, TaskActionReassigned, true},
	}
	for _, tt := range tests {
		err := CheckTaskActor(tt.a, tt.t, tt.action)
		if tt.ok && err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if !tt.ok && ErrorCode(err) != EFORBIDDEN {
			t.Errorf("%s: %v, want forbidden", tt.name, err)
		}
	}
}

func TestQueues(t *testing.T) {
	seen := map[string]bool{}
	for _, q := range Queues {
		if seen[q.Key] || q.Name == "" || q.Description == "" || len(q.Roles) == 0 {
			t.Errorf("queue %+v: duplicate, unnamed or worked by nobody", q)
		}
		seen[q.Key] = true
		for _, r := range q.Roles {
			if !r.Valid() || r == RoleOrganisation || r == RoleInspector {
				t.Errorf("queue %s is worked by %s", q.Key, r)
			}
		}
	}
	for _, tt := range []struct {
		role Role
		want []string
	}{
		{RoleAdmin, []string{QueueContact, QueueTracing, QueueReporting, QueueEnquiries, QueueTriage}},
		{RoleCaseworker, []string{QueueContact, QueueTracing, QueueReporting, QueueTriage}},
		{RoleEnquiries, []string{QueueEnquiries, QueueTriage}},
		{RoleInspector, nil},
		{RoleOrganisation, nil},
	} {
		got := QueuesFor(tt.role)
		if len(got) != len(tt.want) {
			t.Errorf("QueuesFor(%s) = %v, want %v", tt.role, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("QueuesFor(%s) = %v, want %v", tt.role, got, tt.want)
			}
		}
		if WorksTasks(tt.role) != (len(tt.want) > 0) {
			t.Errorf("WorksTasks(%s) = %v", tt.role, WorksTasks(tt.role))
		}
	}
}

func TestPriorities(t *testing.T) {
	for i, p := range Priorities {
		if p.Rank != i+1 {
			t.Errorf("priority %s has rank %d, want %d: the list is in rank order", p.Key, p.Rank, i+1)
		}
		if q, ok := PriorityByRank(p.Rank); !ok || q.Key != p.Key {
			t.Errorf("PriorityByRank(%d) = %+v", p.Rank, q)
		}
		if q, ok := PriorityByKey(p.Key); !ok || q.Rank != p.Rank {
			t.Errorf("PriorityByKey(%s) = %+v", p.Key, q)
		}
	}
	if _, ok := PriorityByKey("whenever"); ok {
		t.Error("an unknown priority was found")
	}
}

func TestDefaultDue(t *testing.T) {
	cal, err := calendar.Default().For(calendar.EnglandAndWales)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		priority, today, want string
	}{
		{PriorityHigh, "2026-03-02", "2026-03-03"},   // Monday: Tuesday
		{PriorityHigh, "2026-03-06", "2026-03-09"},   // Friday: Monday
		{PriorityHigh, "2026-04-02", "2026-04-07"},   // Thursday before Easter: Tuesday after
		{PriorityUrgent, "2026-03-02", "2026-03-02"}, // today
		{PriorityUrgent, "2026-03-07", "2026-03-09"}, // Saturday: Monday
		{PriorityNormal, "2026-03-02", "2026-03-09"},
		{PriorityLow, "2026-03-02", "2026-03-30"},
	} {
		p, _ := PriorityByKey(tt.priority)
		if got := DefaultDue(p, calendar.MustParseDate(tt.today), cal).String(); got != tt.want {
			t.Errorf("DefaultDue(%s, %s) = %s, want %s", tt.priority, tt.today, got, tt.want)
		}
	}
}

func TestTaskValidate(t *testing.T) {
	valid := func() *Task {
		return &Task{Queue: QueueContact, Kind: TaskKindContactFailed, PersonID: 4, Summary: "Call them"}
	}
	for _, tc := range []struct {
		name   string
		change func(*Task)
		field  string
	}{
		{"valid", func(*Task) {}, ""},
		{"unknown queue", func(t *Task) { t.Queue = "post-room" }, "queue"},
		{"no queue", func(t *Task) { t.Queue = "" }, "queue"},
		{"unknown priority", func(t *Task) { t.Priority = "soon" }, "priority"},
		{"bad due date", func(t *Task) { t.DueOn = "2026-02-30" }, "due_on"},
		{"no kind", func(t *Task) { t.Kind = " " }, "kind"},
		{"unknown subject", func(t *Task) { t.SubjectKind, t.SubjectID = "case", 1 }, "subject_kind"},
		{"subject without id", func(t *Task) { t.SubjectKind = SubjectNotice }, "subject_id"},
		{"no summary", func(t *Task) { t.Summary = "\t" }, "summary"},
	} {
		task := valid()
		tc.change(task)
		err := task.Validate()
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if _, ok := ErrorFields(err)[tc.field]; !ok {
			t.Errorf("%s: %v, want a problem with %s", tc.name, err, tc.field)
		}
	}
	task := valid()
	if err := task.Validate(); err != nil || task.Priority != PriorityNormal || task.SubjectKind != SubjectPerson || task.SubjectID != 4 {
		t.Errorf("defaults: %+v, %v", task, err)
	}
}

func TestTaskFilterValidate(t *testing.T) {
	bad := int64(0)
	for _, tc := range []struct {
		f     TaskFilter
		field string
	}{
		{TaskFilter{}, ""},
		{TaskFilter{Queue: QueueContact, State: TaskActive, DueBefore: "2026-03-02", Limit: 10}, ""},
		{TaskFilter{Queue: "nope"}, "queue"},
		{TaskFilter{State: "waiting"}, "state"},
		{TaskFilter{DueBefore: "tomorrow"}, "due_before"},
		{TaskFilter{Assignee: &bad}, "assignee"},
		{TaskFilter{PersonID: &bad}, "person_id"},
		{TaskFilter{Limit: -1}, "limit"},
		{TaskFilter{Offset: -1}, "offset"},
	} {
		err := tc.f.Validate()
		if tc.field == "" && err != nil {
			t.Errorf("%+v: %v", tc.f, err)
		}
		if _, ok := ErrorFields(err)[tc.field]; tc.field != "" && !ok {
			t.Errorf("%+v: %v, want a problem with %s", tc.f, err, tc.field)
		}
	}
	c := TaskChange{}
	if _, ok := ErrorFields(c.Validate())["priority"]; !ok {
		t.Error("an empty change was accepted")
	}
	c = TaskChange{DueOn: "2026-13-01"}
	if _, ok := ErrorFields(c.Validate())["due_on"]; !ok {
		t.Error("a bad due date was accepted")
	}
}

func TestUserRef(t *testing.T) {
	if id, ok := ParseUserRef(UserRef(42)); !ok || id != 42 {
		t.Errorf("round trip: %d, %v", id, ok)
	}
	if UserRef(42) != (Actor{UserID: 42}).String() {
		t.Error("UserRef differs from Actor.String")
	}
	for _, s := range []string{"system", "cli:import", "user:", "user:x", "user:-3", ""} {
		if _, ok := ParseUserRef(s); ok {
			t.Errorf("ParseUserRef(%q) is a user", s)
		}
	}
}

func TestOverduePriority(t *testing.T) {
	for in, want := range map[string]string{PriorityLow: PriorityNormal, PriorityNormal: PriorityHigh,
		PriorityHigh: PriorityUrgent, PriorityUrgent: PriorityUrgent, "unknown": "unknown"} {
		if got := OverduePriority(in); got != want {
			t.Errorf("OverduePriority(%q) = %q, want %q", in, got, want)
		}
	}
}
