package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"tether"
)

// The work queue pages: my tasks, the queues and each queue's list, a
// task with its history and the forms that change it, and an
// administrator's form that moves all of a leaving caseworker's tasks.

// Words for the work queues' codes, as pages show them.
var (
	taskStateNames = map[string]string{
		tether.TaskOpen: "Open", tether.TaskClaimed: "Claimed", tether.TaskDone: "Done", tether.TaskCancelled: "Cancelled",
	}
	taskStateColours = map[string]string{
		tether.TaskOpen: "blue", tether.TaskClaimed: "light-blue", tether.TaskDone: "green", tether.TaskCancelled: "grey",
	}
	priorityColours = map[string]string{
		tether.PriorityUrgent: "red", tether.PriorityHigh: "orange", tether.PriorityNormal: "blue", tether.PriorityLow: "grey",
	}
	taskKindNames = map[string]string{
		tether.TaskKindContactFailed: "Contact failed", tether.TaskKindSendFailed: "Sending failed",
	}
	subjectNames = map[string]string{
		tether.SubjectPerson: "Person", tether.SubjectNotice: "Notice", tether.SubjectContactPoint: "Contact point",
		tether.SubjectEnquiry: "Enquiry", tether.SubjectReportingEvent: "Reporting event", tether.SubjectLapse: "Lapse of contact",
	}
	taskActionNames = map[string]string{
		tether.TaskActionOpened: "Opened", tether.TaskActionClaimed: "Claimed", tether.TaskActionReleased: "Put back in the queue",
		tether.TaskActionReassigned: "Given to someone else", tether.TaskActionDone: "Done", tether.TaskActionCancelled: "Cancelled",
		tether.TaskActionPriority: "Priority changed", tether.TaskActionDue: "Due date changed",
		tether.TaskActionOverdue: "Past its due date",
	}
	// taskBanners are the banners after a change, by ?done=.
	taskBanners = map[string]string{
		"claim": "You have claimed this task", "release": "The task is back in its queue", "done": "Task done",
		"cancel": "Task cancelled", "reassign": "Task given to someone else", "change": "Task changed",
	}
)

func priorityName(key string) string {
	if p, ok := tether.PriorityByKey(key); ok {
		return p.Name
	}
	return key
}

// taskKindName names a kind of task: "contact-failed" is "Contact failed".
func taskKindName(kind string) string {
	if n, ok := taskKindNames[kind]; ok {
		return n
	}
	return upperFirst(strings.ReplaceAll(kind, "-", " "))
}

func queueName(key string) string {
	if q, ok := tether.QueueByKey(key); ok {
		return q.Name
	}
	return key
}

// taskRow is a task in a list or on its page, with its codes in words.
type taskRow struct {
	*tether.Task
	KindName, QueueName          string
	PriorityName, PriorityColour string
	StateName, StateColour       string
	Overdue, DueToday            bool
}

// today is the date in the UK, where the caseworkers are.
func (s *Server) today() string { return s.clock.Now().In(ukTime).Format("2006-01-02") }

func (s *Server) taskRows(ts []*tether.Task) []taskRow {
	today := s.today()
	rows := make([]taskRow, 0, len(ts))
	for _, t := range ts {
		rows = append(rows, taskRow{Task: t, KindName: taskKindName(t.Kind),
			QueueName: queueName(t.Queue), PriorityName: priorityName(t.Priority), PriorityColour: priorityColours[t.Priority],
			StateName: nameOr(taskStateNames, t.State), StateColour: taskStateColours[t.State],
			Overdue: t.Overdue(today), DueToday: t.Active() && t.DueOn == today})
	}
	return rows
}

// myTasksPage is the list of the tasks the user has claimed.
type myTasksPage struct {
	layout
	Tasks []taskRow
	Total int
	Pages pagination
}

func (s *Server) pageMyTasks(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	page, err := queryInt(r, "page", 1)
	if err != nil || page < 1 {
		page = 1
	}
	tasks, total, err := s.Tasks.FindTasks(r.Context(), tether.TaskFilter{Assignee: &u.ID, State: tether.TaskClaimed,
		Limit: peoplePerPage, Offset: (page - 1) * peoplePerPage})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := myTasksPage{layout: s.newLayout(r, "My tasks"), Tasks: s.taskRows(tasks), Total: total}
	p.Nav = "my-tasks"
	p.Pages = paginate(page, total, len(tasks), func(n int) string {
		if n > 1 {
			return "/tasks?page=" + strconv.Itoa(n)
		}
		return "/tasks"
	})
	s.render(w, r, http.StatusOK, "tasks", p)
}

// queuesPage lists the queues with their counts.
type queuesPage struct {
	layout
	Queues []queueView
}

type queueView struct {
	*tether.QueueCount
	Description string
	// Works: the user works this queue, and may open its list.
	Works bool
}

func (s *Server) pageQueues(w http.ResponseWriter, r *http.Request) {
	counts, err := s.Tasks.QueueCounts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := queuesPage{layout: s.newLayout(r, "Queues")}
	p.Nav = "queues"
	if n, err := strconv.Atoi(r.URL.Query().Get("moved")); err == nil && n >= 0 {
		p.Success = fmt.Sprintf("%d %s moved", n, map[bool]string{true: "task", false: "tasks"}[n == 1])
	}
	for _, c := range counts {
		q, _ := tether.QueueByKey(c.Queue)
		p.Queues = append(p.Queues, queueView{QueueCount: c, Description: q.Description, Works: q.WorkedBy(p.User.Role)})
	}
	s.render(w, r, http.StatusOK, "queues", p)
}

// queuePage is one queue's list.
type queuePage struct {
	layout
	Queue  tether.Queue
	States []option
	Tasks  []taskRow
	Total  int
	Pages  pagination
}

func (s *Server) pageQueue(w http.ResponseWriter, r *http.Request) {
	q, ok := tether.QueueByKey(r.PathValue("queue"))
	if !ok {
		s.fail(w, r, tether.Errorf(tether.ENOTFOUND, "No such queue."))
		return
	}
	page, err := queryInt(r, "page", 1)
	if err != nil || page < 1 {
		page = 1
	}
	state := r.URL.Query().Get("state")
	if !slices.Contains(tether.TaskStates, state) {
		state = ""
	}
	f := tether.TaskFilter{Queue: q.Key, State: state, Limit: peoplePerPage, Offset: (page - 1) * peoplePerPage}
	if state == "" {
		f.State = tether.TaskActive
	}
	tasks, total, err := s.Tasks.FindTasks(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := queuePage{layout: s.newLayout(r, q.Name+" queue"), Queue: q, Tasks: s.taskRows(tasks), Total: total}
	p.Nav, p.Back = "queues", "/queues"
	p.Form = newForm(url.Values{"state": {state}})
	for _, st := range tether.TaskStates {
		p.States = append(p.States, option{st, taskStateNames[st]})
	}
	base := "/queues/" + q.Key
	p.Pages = paginate(page, total, len(tasks), func(n int) string {
		v := url.Values{}
		if state != "" {
			v.Set("state", state)
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	})
	s.render(w, r, http.StatusOK, "queue", p)
}

// taskPage is one task: what it is about, its history, and the forms the
// user may use on it.
type taskPage struct {
	layout
	Task    taskRow
	Subject link
	Events  []taskEventView
	// What the user may do.
	CanClaim, CanRelease, CanClose, CanReassign, CanChange bool
	Assignees                                              []option
	Priorities                                             []option
}

// link is a record a page points to; Href is "" when it has no page yet.
type link struct{ Text, Href string }

type taskEventView struct {
	*tether.TaskEvent
	ActionName string
	Actor      string // the user's name, or the system actor's label
	Change     string // what changed, in words
}

// findTask reads the task of the path's {id}.
func (s *Server) findTask(w http.ResponseWriter, r *http.Request) (*tether.Task, bool) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	t, err := s.Tasks.FindTaskByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return t, true
}

func (s *Server) pageTask(w http.ResponseWriter, r *http.Request) {
	t, ok := s.findTask(w, r)
	if !ok {
		return
	}
	s.showTask(w, r, http.StatusOK, t, nil)
}

// showTask renders a task's page; f carries a refused form's values and
// errors, nil for a fresh page.
func (s *Server) showTask(w http.ResponseWriter, r *http.Request, status int, t *tether.Task, f *form) {
	ctx := r.Context()
	events, err := s.Tasks.TaskEvents(ctx, t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := taskPage{layout: s.newLayout(r, "Task "+strconv.FormatInt(t.ID, 10)), Task: s.taskRows([]*tether.Task{t})[0]}
	p.Nav, p.Back = "queues", "/queues/"+t.Queue
	if t.AssignedTo(p.User.ID) {
		p.Nav, p.Back = "my-tasks", "/tasks"
	}
	p.Success = taskBanners[r.URL.Query().Get("done")]
	a := tether.ActorOf(p.User)
	may := func(action string) bool {
		_, err := tether.NextTaskState(t.State, action)
		return err == nil && tether.CheckTaskActor(a, t, action) == nil
	}
	p.CanClaim = may(tether.TaskActionClaimed)
	p.CanRelease = may(tether.TaskActionReleased)
	p.CanClose = may(tether.TaskActionDone)
	p.CanReassign = may(tether.TaskActionReassigned)
	p.CanChange = may(tether.TaskActionPriority)
	if p.CanReassign {
		users, err := s.Tasks.TaskAssignees(ctx, t.Queue)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, u := range users {
			if t.Assignee == nil || *t.Assignee != u.ID {
				p.Assignees = append(p.Assignees, option{strconv.FormatInt(u.ID, 10), u.Name})
			}
		}
	}
	for _, pr := range tether.Priorities {
		p.Priorities = append(p.Priorities, option{pr.Key, pr.Name})
	}
	if f == nil {
		f = newForm(nil)
	}
	// The change form starts from the task's priority and due date.
	if f.Value("priority") == "" {
		f.Values.Set("priority", t.Priority)
	}
	if f.Value("due-day")+f.Value("due-month")+f.Value("due-year") == "" {
		if d, err := tether.ParsePartialDate(t.DueOn); err == nil {
			dateValues(f.Values, "due", d)
		}
	}
	p.Form = f
	p.Subject = s.taskSubject(r, t)
	for _, e := range events {
		p.Events = append(p.Events, taskEventView{TaskEvent: e, ActionName: nameOr(taskActionNames, e.Action),
			Actor: or(e.ActorName, e.Actor), Change: eventChange(e)})
	}
	s.render(w, r, status, "task", p)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// eventChange says in words what a task event changed.
func eventChange(e *tether.TaskEvent) string {
	switch e.Action {
	case tether.TaskActionReleased:
		if e.From != "" && e.From != e.Actor {
			return "from " + or(e.FromName, e.From)
		}
	case tether.TaskActionReassigned:
		to := "to " + or(e.ToName, e.To)
		if e.From != "" {
			return "from " + or(e.FromName, e.From) + " " + to
		}
		return to
	case tether.TaskActionPriority:
		return "from " + priorityName(e.From) + " to " + priorityName(e.To)
	case tether.TaskActionDue:
		return "from " + displayDay(e.From) + " to " + displayDay(e.To)
	case tether.TaskActionOverdue:
		if e.From != e.To {
			return "priority raised from " + priorityName(e.From) + " to " + priorityName(e.To)
		}
	}
	return ""
}

// taskSubject is the record a task is about, with a link where it has a
// page.
func (s *Server) taskSubject(r *http.Request, t *tether.Task) link {
	id := strconv.FormatInt(t.SubjectID, 10)
	switch t.SubjectKind {
	case tether.SubjectPerson:
		return link{"Person " + t.PersonRef, personURL(t.PersonID, "")}
	case tether.SubjectNotice:
		text := "Notice " + id
		if s.Correspondence != nil {
			if n, err := s.Correspondence.FindNoticeByID(r.Context(), t.SubjectID); err == nil {
				text = "Notice " + n.Ref
			}
		}
		return link{text, "/notices/" + id}
	case tether.SubjectContactPoint:
		return link{"A contact point of person " + t.PersonRef, personURL(t.PersonID, "")}
	case tether.SubjectLapse:
		return link{"A lapse of contact of person " + t.PersonRef, "/lapses/" + id}
	case tether.SubjectEnquiry:
		if s.Enquiries != nil {
			return link{"An enquiry about person " + t.PersonRef, "/enquiries/" + id}
		}
	}
	return link{nameOr(subjectNames, t.SubjectKind) + " " + id, ""}
}

// Task changes from the task page.
type taskActionKind string

const (
	taskClaim    taskActionKind = "claim"
	taskRelease  taskActionKind = "release"
	taskDone     taskActionKind = "done"
	taskCancel   taskActionKind = "cancel"
	taskReassign taskActionKind = "reassign"
	taskChange   taskActionKind = "change"
)

// taskFields maps the store's field keys onto each form of the task page.
var taskFields = map[taskActionKind][]fieldSpec{
	taskDone:   {{Key: "note", ID: "note", Label: "What you did", Required: "Enter what you did"}},
	taskCancel: {{Key: "reason", ID: "reason", Label: "Reason", Required: "Enter why the task is no longer needed"}},
	taskReassign: {{Key: "to", ID: "to", Label: "Who to give it to", Required: "Choose who to give the task to"},
		{Key: "note", ID: "reassign-note", Label: "Note"}},
	taskChange: {{Key: "priority", ID: "priority", Label: "Priority"}, {Key: "due_on", ID: "due", Focus: "due-day", Label: "Due date"},
		{Key: "note", ID: "change-note", Label: "Note"}},
}

// taskFallback is where a refusal without a field of its own is shown.
var taskFallback = map[taskActionKind]string{
	taskDone: "note", taskCancel: "reason", taskReassign: "to", taskChange: "priority",
}

// pageTaskAction makes one change from the task page's forms: on success
// back to the task with a banner; a refusal shows the task page again with
// the form's errors (400), or, when someone else changed it first, with
// what happened at the top (409).
func (s *Server) pageTaskAction(kind taskActionKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := parseForm(w, r); err != nil {
			s.fail(w, r, err)
			return
		}
		v := r.PostForm
		f := newForm(v)
		version := 0
		if text := v.Get("version"); text != "" {
			if version, err = strconv.Atoi(text); err != nil {
				version = -1
			}
		}
		ctx := r.Context()
		switch kind {
		case taskClaim:
			_, err = s.Tasks.ClaimTask(ctx, id, version)
		case taskRelease:
			_, err = s.Tasks.ReleaseTask(ctx, id, version, v.Get("note"))
		case taskDone:
			_, err = s.Tasks.CompleteTask(ctx, id, version, v.Get("note"))
		case taskCancel:
			_, err = s.Tasks.CancelTask(ctx, id, version, v.Get("reason"))
		case taskReassign:
			to, perr := strconv.ParseInt(v.Get("to"), 10, 64)
			if perr != nil || to <= 0 {
				err = tether.Invalid("to", "choose who to give the task to")
				break
			}
			_, err = s.Tasks.ReassignTask(ctx, id, version, to, v.Get("reassign-note"))
		case taskChange:
			d, ok := dateInput(f, "due", "Due date", 1)
			if !ok {
				err = tether.Errorf(tether.EINVALID, "Check the due date.")
				break
			}
			due := ""
			if d.Day != 0 {
				due = d.String()
			} else if d.Year != 0 {
				f.add("due", "due-day", "Due date must include a day and month", 1)
				err = tether.Errorf(tether.EINVALID, "Check the due date.")
				break
			}
			_, err = s.Tasks.ChangeTask(ctx, id, version, tether.TaskChange{Priority: v.Get("priority"), DueOn: due, Note: v.Get("change-note")})
		}
		switch tether.ErrorCode(err) {
		case "":
			http.Redirect(w, r, "/tasks/"+strconv.FormatInt(id, 10)+"?done="+string(kind), http.StatusSeeOther)
			return
		case tether.EINVALID, tether.ECONFLICT:
		default:
			s.fail(w, r, err)
			return
		}
		t, err2 := s.Tasks.FindTaskByID(ctx, id)
		if err2 != nil {
			s.fail(w, r, err2)
			return
		}
		status := http.StatusBadRequest
		conflict := tether.ErrorCode(err) == tether.ECONFLICT
		if conflict {
			status = http.StatusConflict
		}
		if conflict || kind == taskClaim || kind == taskRelease {
			// Someone changed the task first, or a form without fields
			// was refused: the summary says what happened, and what was
			// typed stays.
			f = newForm(v)
			f.notice("task-summary", tether.ErrorMessage(err))
		} else if len(f.Summary) == 0 {
			f.addDomainErrors(err, taskFields[kind], taskFallback[kind])
		}
		s.showTask(w, r, status, t, f)
	}
}

// reassignAllPage moves all of a user's tasks.
type reassignAllPage struct {
	layout
	From []option
	To   []option
}

var reassignAllFields = []fieldSpec{
	{Key: "from", ID: "from", Label: "Whose tasks", Required: "Choose whose tasks to move"},
	{Key: "to", ID: "to", Label: "Who gets them"},
	{Key: "note", ID: "note", Label: "Note"},
}

func (s *Server) newReassignAllPage(w http.ResponseWriter, r *http.Request, v url.Values) (*reassignAllPage, bool) {
	users, err := s.Users.FindUsers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	p := &reassignAllPage{layout: s.newLayout(r, "Move a user's tasks")}
	p.Nav, p.Back = "queues", "/queues"
	p.Form = newForm(v)
	for _, u := range users {
		if u.Role == tether.RoleOrganisation {
			continue
		}
		text := u.Name + " (" + u.Email + ")"
		if u.Disabled {
			text += ", disabled"
		}
		p.From = append(p.From, option{strconv.FormatInt(u.ID, 10), text})
		if !u.Disabled && tether.WorksTasks(u.Role) {
			p.To = append(p.To, option{strconv.FormatInt(u.ID, 10), u.Name + " (" + u.Email + ")"})
		}
	}
	return p, true
}

func (s *Server) pageReassignAllForm(w http.ResponseWriter, r *http.Request) {
	v := url.Values{}
	if from := r.URL.Query().Get("from"); from != "" {
		v.Set("from", from)
	}
	p, ok := s.newReassignAllPage(w, r, v)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "tasks_reassign", p)
}

func (s *Server) pageReassignAll(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	v := r.PostForm
	var err error
	from, perr := strconv.ParseInt(v.Get("from"), 10, 64)
	var to *int64
	if t := v.Get("to"); t != "" {
		n, terr := strconv.ParseInt(t, 10, 64)
		if terr != nil || n <= 0 {
			err = tether.Invalid("to", "choose who gets the tasks, or send them back to their queues")
		}
		to = &n
	}
	n := 0
	switch {
	case perr != nil || from <= 0:
		err = tether.Invalid("from", "choose whose tasks to move")
	case err == nil:
		n, err = s.Tasks.ReassignAll(r.Context(), from, to, v.Get("note"))
		if tether.ErrorCode(err) == tether.ENOTFOUND {
			err = tether.Invalid("from", "choose whose tasks to move")
		}
	}
	if tether.ErrorCode(err) == tether.EINVALID {
		p, ok := s.newReassignAllPage(w, r, v)
		if !ok {
			return
		}
		p.Form.addDomainErrors(err, reassignAllFields, "from")
		s.render(w, r, http.StatusBadRequest, "tasks_reassign", p)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/queues?moved="+strconv.Itoa(n), http.StatusSeeOther)
}
