package tether

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"tether/calendar"
)

// Work queues: a general task model that every module uses. A task is work
// for a team (its queue), with a priority and a due date; a caseworker
// claims it, and does it or releases it; an administrator may move it to
// someone else. Every change is a TaskEvent: nothing is overwritten.

// Task states. Done and cancelled are final.
const (
	TaskOpen      = "open"      // waiting in its queue
	TaskClaimed   = "claimed"   // a caseworker has it
	TaskDone      = "done"      // done, with a note of what was done
	TaskCancelled = "cancelled" // no longer needed, with a reason
	// TaskActive is not a state: in a TaskFilter it selects the work still
	// to do, open or claimed.
	TaskActive = "active"
)

// TaskStates lists the states.
var TaskStates = []string{TaskOpen, TaskClaimed, TaskDone, TaskCancelled}

// Task actions: what a TaskEvent records.
const (
	TaskActionOpened     = "opened"
	TaskActionClaimed    = "claimed"
	TaskActionReleased   = "released"   // back to its queue
	TaskActionReassigned = "reassigned" // to another user
	TaskActionDone       = "done"
	TaskActionCancelled  = "cancelled"
	TaskActionPriority   = "priority" // the priority changed
	TaskActionDue        = "due"      // the due date changed
	// TaskActionOverdue: the task passed its due date still to do; the
	// sweep marks it once and raises its priority by one step.
	TaskActionOverdue = "overdue"
)

// Task kinds that correspondence opens.
const (
	TaskKindContactFailed = "contact-failed" // a contact point failed for a notice
	TaskKindSendFailed    = "send-failed"    // a channel could not send a notice
)

// Queue keys.
const (
	QueueContact   = "contact"
	QueueTracing   = "tracing"
	QueueReporting = "reporting"
	QueueEnquiries = "enquiries"
	QueueTriage    = "triage"
)

// Queue is a team's list of work. Administrators work every queue; Roles
// name the other roles whose users work this one.
type Queue struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Roles       []Role `json:"roles"`
}

// Queues is the catalogue of queues, in the order pages list them. It is
// data: a new module adds its queue here.
var Queues = []Queue{
	{Key: QueueContact, Name: "Contact management",
		Description: "Failed deliveries and sends: find another way to reach the person, or serve the notice by hand or to file.",
		Roles:       []Role{RoleCaseworker}},
	{Key: QueueTracing, Name: "Tracing",
		Description: "People out of contact: trace them and re-establish contact.",
		Roles:       []Role{RoleCaseworker}},
	{Key: QueueReporting, Name: "Reporting",
		Description: "Missed reporting events: call the person, their representative and emergency contacts.",
		Roles:       []Role{RoleCaseworker}},
	{Key: QueueEnquiries, Name: "Enquiries",
		Description: "Enquiries from MPs' offices and legal representatives, within the service standard.",
		Roles:       []Role{RoleEnquiries}},
	{Key: QueueTriage, Name: "Triage",
		Description: "Work not yet routed to a team.",
		Roles:       []Role{RoleCaseworker, RoleEnquiries}},
}

// QueueByKey returns the queue with the key.
func QueueByKey(key string) (Queue, bool) {
	for _, q := range Queues {
		if q.Key == key {
			return q, true
		}
	}
	return Queue{}, false
}

// WorkedBy reports whether users of the role work the queue's tasks.
func (q Queue) WorkedBy(r Role) bool {
	return r == RoleAdmin || slices.Contains(q.Roles, r)
}

// QueuesFor lists the keys of the queues the role works, in catalogue order.
func QueuesFor(r Role) []string {
	var keys []string
	for _, q := range Queues {
		if q.WorkedBy(r) {
			keys = append(keys, q.Key)
		}
	}
	return keys
}

// WorksTasks reports whether users of the role work any queue.
func WorksTasks(r Role) bool { return len(QueuesFor(r)) > 0 }

// Priorities, most urgent first.
const (
	PriorityUrgent = "urgent"
	PriorityHigh   = "high"
	PriorityNormal = "normal"
	PriorityLow    = "low"
)

// Priority is a level of priority: its rank orders tasks (1 first) and
// DueDays is how many working days a task of that priority is given when
// whoever opens it names no due date. (check: the days are configurable
// service standards, not law.)
type Priority struct {
	Key     string
	Rank    int
	Name    string
	DueDays int
}

// Priorities lists the priorities by rank.
var Priorities = []Priority{
	{Key: PriorityUrgent, Rank: 1, Name: "Urgent", DueDays: 0},
	{Key: PriorityHigh, Rank: 2, Name: "High", DueDays: 1},
	{Key: PriorityNormal, Rank: 3, Name: "Normal", DueDays: 5},
	{Key: PriorityLow, Rank: 4, Name: "Low", DueDays: 20},
}

// PriorityByKey returns the priority with the key.
func PriorityByKey(key string) (Priority, bool) {
	for _, p := range Priorities {
		if p.Key == key {
			return p, true
		}
	}
	return Priority{}, false
}

// PriorityByRank returns the priority with the rank.
func PriorityByRank(rank int) (Priority, bool) {
	for _, p := range Priorities {
		if p.Rank == rank {
			return p, true
		}
	}
	return Priority{}, false
}

// DefaultDue is when a task of the priority opened on today is due: the
// priority's number of working days after today, or today itself (moved
// to the next working day when it is not one) for urgent work.
func DefaultDue(p Priority, today calendar.Date, cal calendar.Calendar) calendar.Date {
	if p.DueDays <= 0 {
		return cal.WorkingDayOnOrAfter(today)
	}
	return cal.AddWorkingDays(today, p.DueDays)
}

// Subject kinds: the record a task is about.
const (
	SubjectPerson         = "person"
	SubjectNotice         = "notice"
	SubjectContactPoint   = "contact_point"
	SubjectEnquiry        = "enquiry"
	SubjectReportingEvent = "reporting_event"
	SubjectLapse          = "lapse"
)

// SubjectKinds lists the kinds of record a task may be about.
var SubjectKinds = []string{SubjectPerson, SubjectNotice, SubjectContactPoint, SubjectEnquiry, SubjectReportingEvent, SubjectLapse}

// Task is work for a caseworker about a person: the record it is about
// (Subject), the queue it waits in, how urgent it is and when it is due,
// and who has it. Kind says what sort of work it is ("contact-failed").
type Task struct {
	ID       int64  `json:"id"`
	Queue    string `json:"queue"`
	Kind     string `json:"kind"`
	Priority string `json:"priority"` // urgent, high, normal, low
	DueOn    string `json:"due_on"`   // YYYY-MM-DD
	State    string `json:"state"`    // open, claimed, done, cancelled
	// Assignee is the user who has claimed the task, or had it when it was
	// closed; nil while it waits in its queue.
	Assignee     *int64     `json:"assignee,omitempty"`
	AssigneeName string     `json:"assignee_name,omitempty"`
	ClaimedAt    *time.Time `json:"claimed_at,omitempty"`

	PersonID  int64  `json:"person_id"`
	PersonRef string `json:"person_ref"`
	// SubjectKind and SubjectID name the record the task is about: the
	// person, a notice, a contact point, and later an enquiry, a reporting
	// event or a lapse.
	SubjectKind    string `json:"subject_kind"`
	SubjectID      int64  `json:"subject_id"`
	NoticeID       *int64 `json:"notice_id,omitempty"`
	ContactPointID *int64 `json:"contact_point_id,omitempty"`
	Summary        string `json:"summary"`

	CreatedAt    time.Time  `json:"created_at"`
	CreatedBy    string     `json:"created_by"`
	UpdatedAt    time.Time  `json:"updated_at"`
	DoneAt       *time.Time `json:"done_at,omitempty"`
	DoneBy       string     `json:"done_by,omitempty"`
	DoneNote     string     `json:"done_note,omitempty"`
	CancelledAt  *time.Time `json:"cancelled_at,omitempty"`
	CancelledBy  string     `json:"cancelled_by,omitempty"`
	CancelReason string     `json:"cancel_reason,omitempty"`
	// Version counts the task's changes; a change that names an earlier
	// version is refused as a conflict.
	Version int `json:"version"`
}

// Active reports whether the task is still to do (open or claimed).
func (t *Task) Active() bool { return t.State == TaskOpen || t.State == TaskClaimed }

// Overdue reports whether an active task's due date is before today
// (YYYY-MM-DD).
func (t *Task) Overdue(today string) bool { return t.Active() && t.DueOn != "" && t.DueOn < today }

// AssignedTo reports whether the task is claimed by the user.
func (t *Task) AssignedTo(userID int64) bool {
	return t.State == TaskClaimed && t.Assignee != nil && userID != 0 && *t.Assignee == userID
}

// Validate checks a task before it is opened; PersonID is checked by the
// store. An empty priority is normal, and an empty subject the person.
func (t *Task) Validate() error {
	p := Problems{}
	if _, ok := QueueByKey(t.Queue); !ok {
		p.Add("queue", "must be one of "+strings.Join(queueKeys(), ", "))
	}
	if t.Priority == "" {
		t.Priority = PriorityNormal
	}
	if _, ok := PriorityByKey(t.Priority); !ok {
		p.Add("priority", "must be one of urgent, high, normal, low")
	}
	if t.DueOn != "" {
		if _, err := calendar.ParseDate(t.DueOn); err != nil {
			p.Add("due_on", "must be a real date, YYYY-MM-DD")
		}
	}
	t.Kind = strings.TrimSpace(t.Kind)
	if t.Kind == "" || len(t.Kind) > 50 {
		p.Add("kind", "name the kind of work, in 50 characters or fewer")
	}
	if t.SubjectKind == "" {
		t.SubjectKind, t.SubjectID = SubjectPerson, t.PersonID
	}
	if !slices.Contains(SubjectKinds, t.SubjectKind) {
		p.Add("subject_kind", "must be one of "+strings.Join(SubjectKinds, ", "))
	} else if t.SubjectID <= 0 {
		p.Add("subject_id", "must be the id of the record the task is about")
	}
	t.Summary = strings.TrimSpace(t.Summary)
	if t.Summary == "" {
		p.Add("summary", "say what is to be done")
	} else if utf8.RuneCountInString(t.Summary) > 2000 {
		p.Add("summary", "must be 2000 characters or fewer")
	}
	return p.Err()
}

func queueKeys() []string {
	keys := make([]string, len(Queues))
	for i, q := range Queues {
		keys[i] = q.Key
	}
	return keys
}

// TaskEvent is one entry of a task's history. From and To hold what
// changed: the assignee ("user:42", "" for the queue) for claimed, released
// and reassigned; the state for opened, done and cancelled; the priority
// or the due date for priority and due. The names are the users' names,
// where From, To or Actor is a user.
type TaskEvent struct {
	ID        int64     `json:"id"`
	TaskID    int64     `json:"task_id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actor_name,omitempty"`
	Action    string    `json:"action"`
	From      string    `json:"from,omitempty"`
	FromName  string    `json:"from_name,omitempty"`
	To        string    `json:"to,omitempty"`
	ToName    string    `json:"to_name,omitempty"`
	Note      string    `json:"note,omitempty"`
}

// NextTaskState is the state a task in state moves to by the action, or
// an ECONFLICT error saying why the action does not apply: done and
// cancelled are final; only an open task is claimed and only a claimed one
// released. Reassigning an open or a claimed task leaves it claimed (by
// someone else); a change of priority or due date leaves the state as it is.
func NextTaskState(state, action string) (string, error) {
	switch state {
	case TaskDone:
		return "", Errorf(ECONFLICT, "This task is already done.")
	case TaskCancelled:
		return "", Errorf(ECONFLICT, "This task was cancelled.")
	case TaskOpen, TaskClaimed:
	default:
		return "", Errorf(ECONFLICT, "This task is in an unknown state %q.", state)
	}
	switch action {
	case TaskActionClaimed:
		if state == TaskClaimed {
			return "", Errorf(ECONFLICT, "Someone has already claimed this task.")
		}
		return TaskClaimed, nil
	case TaskActionReleased:
		if state == TaskOpen {
			return "", Errorf(ECONFLICT, "This task is not claimed: it is already in its queue.")
		}
		return TaskOpen, nil
	case TaskActionReassigned:
		return TaskClaimed, nil
	case TaskActionDone:
		return TaskDone, nil
	case TaskActionCancelled:
		return TaskCancelled, nil
	case TaskActionPriority, TaskActionDue:
		return state, nil
	}
	return "", Errorf(EINVALID, "Unknown task action %q.", action)
}

// CheckTaskActor says whether the actor may take the action on the task,
// beyond working its queue (which the store checks first): claiming needs
// a signed-in user; a task someone has claimed is theirs, so only they or
// an administrator may release, close or change it; and moving a task
// claimed by someone else to another user needs an administrator. A task
// waiting in its queue is anyone's in the team. EFORBIDDEN.
func CheckTaskActor(a Actor, t *Task, action string) error {
	if action == TaskActionClaimed && a.UserID == 0 {
		return Errorf(EFORBIDDEN, "Only a signed-in user can claim a task.")
	}
	if a.Role == RoleAdmin || t.State != TaskClaimed || t.AssignedTo(a.UserID) {
		return nil
	}
	switch action {
	case TaskActionReassigned:
		return Errorf(EFORBIDDEN, "This task is claimed by someone else: only an administrator may move it.")
	case TaskActionReleased, TaskActionDone, TaskActionCancelled, TaskActionPriority, TaskActionDue:
		return Errorf(EFORBIDDEN, "This task is claimed by someone else: only they or an administrator may change it.")
	}
	return nil
}

// TaskFilter selects tasks for lists. Lists are ordered by due date, then
// priority, then id.
type TaskFilter struct {
	Queue    string
	Assignee *int64
	// State is one of TaskStates, TaskActive (open or claimed), or "" for
	// any state.
	State    string
	PersonID *int64
	// DueBefore (YYYY-MM-DD) keeps the tasks due before that day.
	DueBefore string
	Limit     int // default 50, at most 1000
	Offset    int
}

// Validate checks a filter, naming the field at fault.
func (f *TaskFilter) Validate() error {
	p := Problems{}
	if f.Queue != "" {
		if _, ok := QueueByKey(f.Queue); !ok {
			p.Add("queue", "must be one of "+strings.Join(queueKeys(), ", "))
		}
	}
	if f.State != "" && f.State != TaskActive && !slices.Contains(TaskStates, f.State) {
		p.Add("state", "must be one of active, open, claimed, done, cancelled")
	}
	if f.DueBefore != "" {
		if _, err := calendar.ParseDate(f.DueBefore); err != nil {
			p.Add("due_before", "must be a real date, YYYY-MM-DD")
		}
	}
	if f.Assignee != nil && *f.Assignee <= 0 {
		p.Add("assignee", "must be a user's id")
	}
	if f.PersonID != nil && *f.PersonID <= 0 {
		p.Add("person_id", "must be a person's id")
	}
	if f.Limit < 0 {
		p.Add("limit", "must be 0 or more")
	}
	if f.Offset < 0 {
		p.Add("offset", "must be 0 or more")
	}
	return p.Err()
}

// TaskChange changes a task's priority or due date, or both; an empty
// field stays as it is.
type TaskChange struct {
	Priority string `json:"priority,omitempty"`
	DueOn    string `json:"due_on,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Validate checks a change, naming the field at fault.
func (c *TaskChange) Validate() error {
	p := Problems{}
	if c.Priority == "" && c.DueOn == "" {
		p.Add("priority", "choose a new priority or due date")
	}
	if c.Priority != "" {
		if _, ok := PriorityByKey(c.Priority); !ok {
			p.Add("priority", "must be one of urgent, high, normal, low")
		}
	}
	if c.DueOn != "" {
		if _, err := calendar.ParseDate(c.DueOn); err != nil {
			p.Add("due_on", "must be a real date, YYYY-MM-DD")
		}
	}
	checkNote(p, "note", c.Note)
	return p.Err()
}

// checkNote checks an optional free-text note.
func checkNote(p Problems, field, note string) {
	if utf8.RuneCountInString(strings.TrimSpace(note)) > 500 {
		p.Add(field, "must be 500 characters or fewer")
	}
}

// ValidateNote checks an optional note of 500 characters at most.
func ValidateNote(field, note string) error {
	p := Problems{}
	checkNote(p, field, note)
	return p.Err()
}

// QueueCount is how much work a queue holds: counts only, with nothing
// about anyone, so that inspectors may see them.
type QueueCount struct {
	Queue    string `json:"queue"`
	Name     string `json:"name"`
	Open     int    `json:"open"`
	Claimed  int    `json:"claimed"`
	Overdue  int    `json:"overdue"`   // open or claimed, due before today
	DueToday int    `json:"due_today"` // open or claimed, due today
}

// TaskService is the work queues.
type TaskService interface {
	// FindTasks lists tasks by due date, then priority, then id, with the
	// number that match. A caseworker sees the tasks of the queues their
	// role works. EINVALID, EFORBIDDEN (organisation users, inspectors).
	FindTasks(ctx context.Context, f TaskFilter) ([]*Task, int, error)
	// FindTaskByID returns one task. ENOTFOUND, EFORBIDDEN.
	FindTaskByID(ctx context.Context, id int64) (*Task, error)
	// TaskEvents is a task's history, oldest first. ENOTFOUND, EFORBIDDEN.
	TaskEvents(ctx context.Context, id int64) ([]*TaskEvent, error)
	// QueueCounts counts each queue's work (inspectors too). EFORBIDDEN.
	QueueCounts(ctx context.Context) ([]*QueueCount, error)
	// TaskAssignees lists the enabled users who work the queue, by name,
	// for the choice of whom to give a task. EINVALID, EFORBIDDEN.
	TaskAssignees(ctx context.Context, queue string) ([]*User, error)

	// Each change takes the version of the task the caller saw, or 0 not
	// to check it, and returns the task as it now is. ECONFLICT when the
	// task changed meanwhile or the change does not apply to its state;
	// EINVALID, ENOTFOUND, EFORBIDDEN.
	ClaimTask(ctx context.Context, id int64, version int) (*Task, error)
	ReleaseTask(ctx context.Context, id int64, version int, note string) (*Task, error)
	CompleteTask(ctx context.Context, id int64, version int, note string) (*Task, error)
	CancelTask(ctx context.Context, id int64, version int, reason string) (*Task, error)
	ReassignTask(ctx context.Context, id int64, version int, to int64, note string) (*Task, error)
	ChangeTask(ctx context.Context, id int64, version int, c TaskChange) (*Task, error)
	// ReassignAll moves every task claimed by the user to another user, or
	// back to their queues when to is nil, in one transaction, and returns
	// how many moved (administrators only). EINVALID, ENOTFOUND, EFORBIDDEN.
	ReassignAll(ctx context.Context, from int64, to *int64, note string) (int, error)
}

// UserRef is how task events and the audit log name a user: "user:42".
func UserRef(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// ParseUserRef reads a UserRef; ok is false for any other actor.
func ParseUserRef(s string) (int64, bool) {
	v, ok := strings.CutPrefix(s, "user:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil && id > 0
}

// OverduePriority is the priority a task still to do takes when it passes
// its due date: one step more urgent, and urgent stays urgent.
func OverduePriority(key string) string {
	p, ok := PriorityByKey(key)
	if !ok {
		return key
	}
	for _, q := range Priorities {
		if q.Rank == max(1, p.Rank-1) {
			return q.Key
		}
	}
	return key
}
