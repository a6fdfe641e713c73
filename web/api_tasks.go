package web

import (
	"net/http"
	"strconv"

	"tether"
)

// The work queues' API: lists with filters, one task and its history,
// and one route per change. Each change may name the version of the task
// the client saw; a task that changed since is refused with 409.

// taskList is the answer of GET /api/v1/tasks.
type taskList struct {
	Tasks []*tether.Task `json:"tasks"`
	Total int            `json:"total"`
}

// taskEvents is the answer of GET /api/v1/tasks/{id}/events.
type taskEvents struct {
	Events []*tether.TaskEvent `json:"events"`
}

// queueList is the answer of GET /api/v1/queues.
type queueList struct {
	Queues []*tether.QueueCount `json:"queues"`
}

// taskClaimInput claims a task; the body may be left out.
type taskClaimInput struct {
	Version int `json:"version,omitempty"`
}

// taskReleaseInput puts a task back in its queue.
type taskReleaseInput struct {
	Note    string `json:"note,omitempty"`
	Version int    `json:"version,omitempty"`
}

// taskDoneInput closes a task with what was done.
type taskDoneInput struct {
	Note    string `json:"note"`
	Version int    `json:"version,omitempty"`
}

// taskCancelInput cancels a task with the reason.
type taskCancelInput struct {
	Reason  string `json:"reason"`
	Version int    `json:"version,omitempty"`
}

// taskReassignInput gives a task to another user.
type taskReassignInput struct {
	To      int64  `json:"to"`
	Note    string `json:"note,omitempty"`
	Version int    `json:"version,omitempty"`
}

// taskPatch changes a task's priority or due date.
type taskPatch struct {
	Priority string `json:"priority,omitempty"`
	DueOn    string `json:"due_on,omitempty"`
	Note     string `json:"note,omitempty"`
	Version  int    `json:"version,omitempty"`
}

// reassignAllInput moves every task a user has claimed: to another user,
// or back to their queues when to is null or left out.
type reassignAllInput struct {
	To   *int64 `json:"to"`
	Note string `json:"note,omitempty"`
}

// reassignAllAnswer says how many tasks moved.
type reassignAllAnswer struct {
	Moved int `json:"moved"`
}

// taskFilter reads the list filters of GET /api/v1/tasks. assignee=me is
// the signed-in user.
func taskFilter(r *http.Request) (tether.TaskFilter, error) {
	q := r.URL.Query()
	f := tether.TaskFilter{Queue: q.Get("queue"), State: q.Get("state"), DueBefore: q.Get("due_before")}
	p := tether.Problems{}
	id := func(name string) *int64 {
		v := q.Get(name)
		if v == "" {
			return nil
		}
		if name == "assignee" && v == "me" {
			if u := currentUser(r); u != nil {
				return &u.ID
			}
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			p.Add(name, "must be an id")
			return nil
		}
		return &n
	}
	f.Assignee, f.PersonID = id("assignee"), id("person_id")
	var err error
	if f.Limit, err = queryInt(r, "limit", 0); err != nil {
		return f, err
	}
	if f.Offset, err = queryInt(r, "offset", 0); err != nil {
		return f, err
	}
	if err := p.Err(); err != nil {
		return f, err
	}
	return f, f.Validate()
}

func (s *Server) apiListTasks(w http.ResponseWriter, r *http.Request) {
	f, err := taskFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tasks, total, err := s.Tasks.FindTasks(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if tasks == nil {
		tasks = []*tether.Task{}
	}
	writeJSON(w, http.StatusOK, taskList{Tasks: tasks, Total: total})
}

func (s *Server) apiGetTask(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Tasks.FindTaskByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) apiTaskEvents(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, err := s.Tasks.TaskEvents(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if events == nil {
		events = []*tether.TaskEvent{}
	}
	writeJSON(w, http.StatusOK, taskEvents{Events: events})
}

func (s *Server) apiQueues(w http.ResponseWriter, r *http.Request) {
	counts, err := s.Tasks.QueueCounts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if counts == nil {
		counts = []*tether.QueueCount{}
	}
	writeJSON(w, http.StatusOK, queueList{Queues: counts})
}

// taskAction is the shape of every change: read the id and the body, make
// the change, answer with the task as it now is.
func taskAction[T any](s *Server, optional bool, do func(r *http.Request, id int64, in *T) (*tether.Task, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var in T
		if !optional || r.ContentLength != 0 {
			if err := decodeJSON(w, r, &in); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		t, err := do(r, id, &in)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, t)
	}
}

func (s *Server) apiClaimTask() http.HandlerFunc {
	return taskAction(s, true, func(r *http.Request, id int64, in *taskClaimInput) (*tether.Task, error) {
		return s.Tasks.ClaimTask(r.Context(), id, in.Version)
	})
}

func (s *Server) apiReleaseTask() http.HandlerFunc {
	return taskAction(s, true, func(r *http.Request, id int64, in *taskReleaseInput) (*tether.Task, error) {
		return s.Tasks.ReleaseTask(r.Context(), id, in.Version, in.Note)
	})
}

func (s *Server) apiCompleteTask() http.HandlerFunc {
	return taskAction(s, false, func(r *http.Request, id int64, in *taskDoneInput) (*tether.Task, error) {
		return s.Tasks.CompleteTask(r.Context(), id, in.Version, in.Note)
	})
}

func (s *Server) apiCancelTask() http.HandlerFunc {
	return taskAction(s, false, func(r *http.Request, id int64, in *taskCancelInput) (*tether.Task, error) {
		return s.Tasks.CancelTask(r.Context(), id, in.Version, in.Reason)
	})
}

func (s *Server) apiReassignTask() http.HandlerFunc {
	return taskAction(s, false, func(r *http.Request, id int64, in *taskReassignInput) (*tether.Task, error) {
		return s.Tasks.ReassignTask(r.Context(), id, in.Version, in.To, in.Note)
	})
}

func (s *Server) apiChangeTask() http.HandlerFunc {
	return taskAction(s, false, func(r *http.Request, id int64, in *taskPatch) (*tether.Task, error) {
		return s.Tasks.ChangeTask(r.Context(), id, in.Version, tether.TaskChange{Priority: in.Priority, DueOn: in.DueOn, Note: in.Note})
	})
}

// apiReassignAll moves every task a user has claimed, as when they leave.
func (s *Server) apiReassignAll(w http.ResponseWriter, r *http.Request) {
	from, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in reassignAllInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.Tasks.ReassignAll(r.Context(), from, in.To, in.Note)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reassignAllAnswer{Moved: n})
}

// withTasks answers 404 when the server has no task service.
func (s *Server) withTasks(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Tasks == nil {
			s.fail(w, r, tether.Errorf(tether.ENOTFOUND, "Work queues are not available on this server."))
			return
		}
		h(w, r)
	}
}
