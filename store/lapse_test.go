package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/reporting"
)

// lapseNow is where the lapse tests start: Monday 2 March 2026, 09:00 in
// London (GMT).
var lapseNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// lapseCondition stores an open-ended reporting condition for the person
// directly (the reporting capability's own rules are tested there): in
// person at centre, or by telephone when centre is "".
func lapseCondition(t *testing.T, db *DB, personID int64, centre, start, end string) {
	t.Helper()
	kind, div := reporting.KindInPerson, any("england-and-wales")
	var c, e any = centre, nil
	if centre == "" {
		kind, c, div = reporting.KindTelephone, nil, nil
	}
	if end != "" {
		e = end
	}
	if _, err := db.write.Exec(db.rebind(`INSERT INTO reporting_conditions (person_id, kind, centre, division, schedule, start_on,
		end_on, set_by, reason, created_at, created_by) VALUES (?, ?, ?, ?, 'weekly mon 10:00', ?, ?, 'test', 'test', ?, 'test')`),
		personID, kind, c, div, start, e, db.ts(lapseNow)); err != nil {
		t.Fatal(err)
	}
}

// lapseCount counts the rows of a table that meet a condition (SQL text of the
// test's own).
func lapseCount(t *testing.T, db *DB, table, where string, args ...any) int {
	t.Helper()
	q := `SELECT COUNT(*) FROM ` + table
	if where != "" {
		q += ` WHERE ` + where
	}
	var n int
	if err := db.write.QueryRow(db.rebind(q), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// lapseTables are the tables a refused attempt must leave as they were.
var lapseTables = []string{"lapses", "lapse_events", "tracing_plans", "status_events", "contact_points",
	"contact_point_events", "tasks", "task_events", "audit_log"}

func lapseSnapshot(t *testing.T, db *DB) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, table := range lapseTables {
		n[table] = lapseCount(t, db, table, "")
	}
	n["attempts done"] = lapseCount(t, db, "tracing_attempts", "state = 'done'")
	return n
}

func sameLapseSnapshot(t *testing.T, label string, before, after map[string]int) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed %s: %d rows, now %d", label, k, v, after[k])
		}
	}
}

func mustLapseOf(t *testing.T, db *DB, personID int64) *tether.LapseDetail {
	t.Helper()
	ls, err := db.PersonLapses(cw(), personID)
	if err != nil || len(ls) == 0 {
		t.Fatalf("lapses = %v, %v", ls, err)
	}
	d, err := db.FindLapse(cw(), ls[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func lapseAttemptOf(t *testing.T, d *tether.LapseDetail, kind string) *tether.TracingAttempt {
	t.Helper()
	for _, a := range d.Attempts {
		if a.Kind == kind && a.State == tether.AttemptDue {
			return a
		}
	}
	t.Fatalf("no due %s attempt in %+v", kind, d.Attempts)
	return nil
}

func TestLapseLifecycle(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			clock := tether.NewManualClock(lapseNow)
			db := MustOpenTestDB(t, engine, clock)
			mustSeed(t, db)
			bg := context.Background()
			p, pts := reachablePerson(t, db)
			if err := db.AddContactPoint(cw(), &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindMobile, Party: tether.PartyEmergencyContact,
				PartyName: "Binh", Relationship: "brother", Phone: "07700 900456", Source: tether.SourcePerson}); err != nil {
				t.Fatal(err)
			}
			lapseCondition(t, db, p.ID, "Croydon reporting centre", "2026-01-05", "")
			lapseCondition(t, db, p.ID, "Eaton House", "2025-01-05", "2025-12-31") // ended: not the centre

			// In contact: no lapse.
			if ls, err := db.PersonLapses(cw(), p.ID); err != nil || len(ls) != 0 {
				t.Fatalf("lapses of a person in contact: %v, %v", ls, err)
			}

			// A failed call makes them at risk: a lapse opens, with its plan
			// and a task in the tracing queue.
			if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseFailedCall, "no answer"); err != nil {
				t.Fatal(err)
			}
			d := mustLapseOf(t, db, p.ID)
			l := d.Lapse
			if !l.Open() || l.Status != tether.StatusAtRisk || l.Cause != tether.CauseFailedCall || l.Centre != "Croydon reporting centre" ||
				l.OpenedOn != "2026-03-02" || !l.FirstSignalAt.Equal(lapseNow) || l.FirstSignalCause != tether.CauseFailedCall {
				t.Fatalf("lapse %+v", l)
			}
			if d.Plan == nil || d.Plan.Playbook != "tracing" || d.Plan.PlaybookVersion != 1 || d.Plan.StartOn != "2026-03-02" ||
				d.Plan.Division != "england-and-wales" || d.Plan.State != tether.PlanOpen || d.Plan.TaskID == nil {
				t.Fatalf("plan %+v", d.Plan)
			}
			// The playbook in order: call, text and email the same day; a
			// letter after 1 working day; no representative; the emergency
			// contact after 2; no sponsor; a visit and agency checks after 5.
			var got []string
			for _, a := range d.Attempts {
				got = append(got, a.Kind+" "+a.State+" "+a.DueOn)
			}
			want := []string{"call due 2026-03-02", "text due 2026-03-02", "email due 2026-03-02", "letter due 2026-03-03",
				"representative skipped ", "emergency_contact due 2026-03-04", "sponsor skipped ",
				"compliance_visit due 2026-03-09", "agency_checks due 2026-03-09"}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("attempts:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			call := lapseAttemptOf(t, d, reporting.AttemptCall)
			if call.Seq != 1 || call.ContactPointID == nil || *call.ContactPointID != pts[tether.KindMobile].ID || call.Target != pts[tether.KindMobile].Value() ||
				call.Explanation == "" || call.Instructions == "" {
				t.Errorf("call attempt %+v", call)
			}
			if d.Attempts[4].SkipReason == "" || d.Attempts[4].DueOn != "" {
				t.Errorf("skipped step %+v", d.Attempts[4])
			}
			if l.AttemptsDue != 7 || l.AttemptsSkipped != 2 || l.AttemptsDone != 0 {
				t.Errorf("counts %+v", l)
			}
			tasks, _, err := db.FindTasks(cw(), tether.TaskFilter{Queue: tether.QueueTracing, PersonID: &p.ID})
			if err != nil || len(tasks) != 1 {
				t.Fatalf("tracing tasks %v, %v", tasks, err)
			}
			task := tasks[0]
			if task.Kind != tether.TaskKindTracing || task.Priority != tether.PriorityHigh || task.DueOn != "2026-03-02" ||
				task.SubjectKind != tether.SubjectLapse || task.SubjectID != l.ID || *d.Plan.TaskID != task.ID {
				t.Errorf("task %+v", task)
			}

			// A second failed call: the same lapse, with the signal noted.
			if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseFailedCall, "no answer again"); err != nil {
				t.Fatal(err)
			}
			if n := lapseCount(t, db, "lapses", "person_id = ?", p.ID); n != 1 {
				t.Fatalf("%d lapses after a second signal", n)
			}
			if n := lapseCount(t, db, "lapse_events", "lapse_id = ? AND action = ?", l.ID, tether.LapseActionSignal); n != 1 {
				t.Errorf("%d signal events", n)
			}

			// Bad input changes nothing.
			before := lapseSnapshot(t, db)
			bad := []struct {
				name  string
				id    int64
				in    tether.AttemptInput
				code  string
				field string
			}{
				{"unknown attempt", 999999, tether.AttemptInput{Outcome: reporting.OutcomeNoAnswer}, tether.ENOTFOUND, ""},
				{"outcome not in the list", call.ID, tether.AttemptInput{Outcome: reporting.OutcomeNoReply}, tether.EINVALID, "outcome"},
				{"no outcome", call.ID, tether.AttemptInput{}, tether.EINVALID, "outcome"},
				{"in the future", call.ID, tether.AttemptInput{Outcome: reporting.OutcomeNoAnswer, At: lapseNow.Add(time.Hour)}, tether.EINVALID, "at"},
				{"before the lapse", call.ID, tether.AttemptInput{Outcome: reporting.OutcomeNoAnswer, At: lapseNow.Add(-time.Hour)}, tether.EINVALID, "at"},
				{"unknown how", call.ID, tether.AttemptInput{Outcome: reporting.OutcomeNoAnswer, How: "smoke signal"}, tether.EINVALID, "how"},
				{"skipped step", d.Attempts[4].ID, tether.AttemptInput{Outcome: reporting.OutcomeNoInformation}, tether.ECONFLICT, ""},
				{"old version", call.ID, tether.AttemptInput{Outcome: reporting.OutcomeNoAnswer, Version: 7}, tether.ECONFLICT, ""},
				{"bad new detail", call.ID, tether.AttemptInput{Outcome: reporting.OutcomeReached,
					NewContact: &tether.ContactPoint{Kind: tether.KindEmail, Email: "not an email"}}, tether.EINVALID, "new_contact_point.email"},
				{"replaces another person's point", call.ID, tether.AttemptInput{Outcome: reporting.OutcomeReached, Replaces: &[]int64{999999}[0],
					NewContact: &tether.ContactPoint{Kind: tether.KindEmail, Email: "new@example.org"}}, tether.EINVALID, "replaces"},
			}
			for _, b := range bad {
				_, _, err := db.RecordAttempt(cw(), b.id, b.in)
				if tether.ErrorCode(err) != b.code || (b.field != "" && tether.ErrorFields(err)[b.field] == "") {
					t.Errorf("%s: error %v, want %s naming %q", b.name, err, b.code, b.field)
				}
			}
			if _, _, err := db.RecordAttempt(AsActor(inspector), call.ID, tether.AttemptInput{Outcome: reporting.OutcomeNoAnswer}); tether.ErrorCode(err) != tether.EFORBIDDEN {
				t.Errorf("an inspector recorded an attempt: %v", err)
			}
			sameLapseSnapshot(t, "bad input", before, lapseSnapshot(t, db))

			// A call with no answer: done, and a failed call for the status.
			clock.Advance(30 * time.Minute)
			events := lapseCount(t, db, "status_events", "person_id = ?", p.ID)
			got1, l1, err := db.RecordAttempt(cw(), call.ID, tether.AttemptInput{Outcome: reporting.OutcomeNoAnswer, Note: "Rang twice"})
			if err != nil {
				t.Fatal(err)
			}
			if got1.State != tether.AttemptDone || got1.How != reporting.HowPhone || got1.RecordedBy != Caseworker.String() ||
				got1.AttemptedAt == nil || !got1.AttemptedAt.Equal(clock.Now()) || got1.Note != "Rang twice" || l1.AttemptsDone != 1 {
				t.Errorf("recorded %+v, lapse %+v", got1, l1)
			}
			if n := lapseCount(t, db, "status_events", "person_id = ? AND cause = ?", p.ID, tether.CauseFailedCall); n != 3 ||
				lapseCount(t, db, "status_events", "person_id = ?", p.ID) != events+1 {
				t.Errorf("status events after a failed call: %d failed calls", n)
			}
			if _, _, err := db.RecordAttempt(cw(), call.ID, tether.AttemptInput{Outcome: reporting.OutcomeNoAnswer}); tether.ErrorCode(err) != tether.ECONFLICT {
				t.Errorf("recording twice: %v", err)
			}

			// A text to a wrong number: the mobile is marked failed.
			text := lapseAttemptOf(t, d, reporting.AttemptText)
			if _, _, err := db.RecordAttempt(cw(), text.ID, tether.AttemptInput{Outcome: reporting.OutcomeWrongNumber,
				At: clock.Now().Add(-10 * time.Minute)}); err != nil {
				t.Fatal(err)
			}
			if c, err := db.FindContactPointByID(cw(), pts[tether.KindMobile].ID); err != nil || c.Verification != tether.Failed {
				t.Errorf("mobile after a wrong number: %+v, %v", c, err)
			}

			// Wednesday: the email (due Monday) and the letter (due
			// Tuesday) are overdue, once; the task goes urgent.
			clock.Set(time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC))
			if n, err := db.MarkOverdueAttempts(bg, 10); err != nil || n != 2 {
				t.Fatalf("marked %d overdue, %v; want 2", n, err)
			}
			if n, err := db.MarkOverdueAttempts(bg, 10); err != nil || n != 0 {
				t.Fatalf("second sweep marked %d, %v", n, err)
			}
			tk, err := db.FindTaskByID(cw(), task.ID)
			if err != nil || tk.Priority != tether.PriorityUrgent {
				t.Errorf("plan task after overdue attempts: %+v, %v", tk, err)
			}
			if n := lapseCount(t, db, "tracing_attempts", "lapse_id = ? AND overdue_at IS NOT NULL", l.ID); n != 2 {
				t.Errorf("%d attempts marked overdue", n)
			}

			// Monday 9 March: out of contact, the same lapse.
			clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
			if n, err := db.EscalateStatuses(bg, 10); err != nil || n != 1 {
				t.Fatalf("escalated %d, %v", n, err)
			}
			d = mustLapseOf(t, db, p.ID)
			if d.Lapse.ID != l.ID || d.Lapse.Status != tether.StatusOutOfContact || d.Lapse.OutOfContactAt == nil || !d.Lapse.Open() {
				t.Fatalf("lapse out of contact: %+v", d.Lapse)
			}

			// A notice served to file while they are out of contact.
			n, err := db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "request-contact-details-letter",
				Method: tether.MethodFile, Reason: "No working address", Personalisation: map[string]string{"date": "1 April 2026"}})
			if err != nil {
				t.Fatal(err)
			}

			// Declared an absconder: the lapse stays open.
			if _, err := db.ChangeStatus(admin(), p.ID, tether.CauseDeclared, "Every tracing attempt failed"); err != nil {
				t.Fatal(err)
			}
			d = mustLapseOf(t, db, p.ID)
			if d.Lapse.ID != l.ID || d.Lapse.Status != tether.StatusAbsconder || d.Lapse.AbsconderAt == nil || !d.Lapse.Open() {
				t.Fatalf("lapse of an absconder: %+v", d.Lapse)
			}

			// The letter reaches them: a new email replaces the old through
			// the contact history, and the lapse closes.
			clock.Advance(time.Hour)
			letter := lapseAttemptOf(t, d, reporting.AttemptLetter)
			oldEmail := pts[tether.KindEmail].ID
			rec, closed, err := db.RecordAttempt(cw(), letter.ID, tether.AttemptInput{Outcome: reporting.OutcomeReached, How: reporting.HowPhone,
				NewContact: &tether.ContactPoint{Kind: tether.KindEmail, Email: "an.new@example.org"}, Replaces: &oldEmail})
			if err != nil {
				t.Fatal(err)
			}
			if closed.Open() || closed.Status != tether.StatusInContact || closed.ClosingCause != tether.CauseReEstablished ||
				closed.ClosedOn != "2026-03-09" || rec.NewContactPointID == nil {
				t.Fatalf("lapse after reaching them: %+v; attempt %+v", closed, rec)
			}
			st, _, err := db.ContactStatus(cw(), p.ID)
			if err != nil || st.Status != tether.StatusInContact {
				t.Fatalf("status %+v, %v", st, err)
			}
			newPoint, err := db.FindContactPointByID(cw(), *rec.NewContactPointID)
			if err != nil || newPoint.Replaces == nil || *newPoint.Replaces != oldEmail || newPoint.Source != tether.SourceCaseworker ||
				!strings.Contains(newPoint.SourceDetail, "Tracing") || newPoint.ValidTo != nil {
				t.Errorf("new point %+v, %v", newPoint, err)
			}
			if old, err := db.FindContactPointByID(cw(), oldEmail); err != nil || old.ValidTo == nil {
				t.Errorf("old email %+v, %v", old, err)
			}
			d = mustLapseOf(t, db, p.ID)
			if d.Plan.State != tether.PlanClosed || d.Lapse.AttemptsDue != 0 {
				t.Errorf("plan after closing %+v, lapse %+v", d.Plan, d.Lapse)
			}
			for _, a := range d.Attempts {
				if a.State == tether.AttemptSkipped && a.DueOn != "" && !strings.Contains(a.SkipReason, "No longer needed") {
					t.Errorf("attempt left after closing: %+v", a)
				}
			}
			if tk, err := db.FindTaskByID(cw(), task.ID); err != nil || tk.State != tether.TaskDone {
				t.Errorf("tracing task after closing: %+v, %v", tk, err)
			}
			copies, _, err := db.FindTasks(cw(), tether.TaskFilter{Queue: tether.QueueContact, PersonID: &p.ID, State: tether.TaskActive})
			if err != nil {
				t.Fatal(err)
			}
			var copyTask *tether.Task
			for _, c := range copies {
				if c.Kind == tether.TaskKindCopiesDue {
					copyTask = c
				}
			}
			if copyTask == nil || !strings.Contains(copyTask.Summary, n.Ref) || !strings.Contains(copyTask.Summary, "served to file on Monday 9 March 2026, deemed served on Monday 9 March 2026") ||
				copyTask.SubjectKind != tether.SubjectLapse || copyTask.NoticeID == nil || *copyTask.NoticeID != n.ID {
				t.Errorf("copies task %+v in %v", copyTask, copies)
			}

			// Nothing more is recorded on the closed plan.
			before = lapseSnapshot(t, db)
			visit := d.Attempts[7]
			if _, _, err := db.RecordAttempt(cw(), visit.ID, tether.AttemptInput{Outcome: reporting.OutcomeNoAnswer}); tether.ErrorCode(err) != tether.ECONFLICT {
				t.Errorf("attempt of a closed plan: %v", err)
			}
			sameLapseSnapshot(t, "attempt of a closed plan", before, lapseSnapshot(t, db))
			if n, err := db.MarkOverdueAttempts(bg, 10); err != nil || n != 0 {
				t.Errorf("overdue after closing: %d, %v", n, err)
			}

			// A new signal opens a new lapse.
			if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseFailedCall, "no answer"); err != nil {
				t.Fatal(err)
			}
			ls, err := db.PersonLapses(cw(), p.ID)
			if err != nil || len(ls) != 2 || !ls[0].Open() || ls[1].Open() {
				t.Fatalf("lapses after a new signal: %+v, %v", ls, err)
			}
			// Its plan leaves out the failed mobile and uses the new email.
			d = mustLapseOf(t, db, p.ID)
			for _, a := range d.Attempts {
				if a.Kind == reporting.AttemptCall && a.State == tether.AttemptDue {
					t.Errorf("the new plan calls a failed number: %+v", a)
				}
				if a.Kind == reporting.AttemptEmail && a.Target != "an.new@example.org" {
					t.Errorf("the new plan emails %q", a.Target)
				}
			}
			if n := lapseCount(t, db, "lapses", "person_id = ? AND closed_at IS NULL", p.ID); n != 1 {
				t.Errorf("%d open lapses", n)
			}
		})
	}
}

// Back in contact by another route (a check-in, a caseworker's record)
// closes the lapse too; with no notice served to file, no copies task.
func TestLapseClosedByStatus(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Okoro", GivenNames: "Ada"})
		if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseFailedCall, ""); err != nil {
			t.Fatal(err)
		}
		d := mustLapseOf(t, db, p.ID)
		// No contact point at all: every step that needs one is skipped,
		// and agency checks remain.
		if d.Lapse.Centre != "" || d.Lapse.AttemptsDue != 1 || d.Lapse.AttemptsSkipped != 8 {
			t.Errorf("lapse of a person with no details: %+v", d.Lapse)
		}
		if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseReEstablished, "came to the office"); err != nil {
			t.Fatal(err)
		}
		d = mustLapseOf(t, db, p.ID)
		if d.Lapse.Open() || d.Lapse.ClosingDetail != "came to the office" {
			t.Errorf("lapse %+v", d.Lapse)
		}
		if n := lapseCount(t, db, "tasks", "person_id = ? AND kind = ?", p.ID, tether.TaskKindCopiesDue); n != 0 {
			t.Errorf("%d copies tasks with nothing served to file", n)
		}
		var actions []string
		for _, e := range d.Events {
			actions = append(actions, e.Action)
		}
		if strings.Join(actions, ",") != "opened,plan,task,closed" {
			t.Errorf("history %v", actions)
		}
	})
}

// A person already at risk when lapses began to be recorded gets a lapse
// when they escalate, and it says so.
func TestLapseOpenedLate(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Late", GivenNames: "Lee"})
		if _, err := db.write.Exec(db.rebind(`UPDATE people SET contact_status = 'at_risk', out_of_contact_on = '2026-03-02' WHERE id = ?`), p.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := db.EscalateStatuses(context.Background(), 10); err != nil || n != 1 {
			t.Fatalf("escalated %d, %v", n, err)
		}
		d := mustLapseOf(t, db, p.ID)
		if !d.Lapse.Open() || d.Lapse.Status != tether.StatusOutOfContact || d.Plan == nil ||
			!strings.Contains(d.Events[0].Detail, "already at risk") {
			t.Errorf("late lapse %+v, events %+v", d.Lapse, d.Events)
		}
	})
}

func TestLapseReaders(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		p, _ := reachablePerson(t, db)
		if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseFailedCall, "no answer"); err != nil {
			t.Fatal(err)
		}
		d := mustLapseOf(t, db, p.ID)
		if _, _, err := db.RecordAttempt(cw(), d.Attempts[0].ID, tether.AttemptInput{Outcome: reporting.OutcomeMessageLeft, Note: "Left a message"}); err != nil {
			t.Fatal(err)
		}
		// An inspector sees the lapse without targets, notes or details.
		got, err := db.FindLapse(AsActor(inspector), d.Lapse.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range got.Attempts {
			if a.Target != "" || a.Note != "" {
				t.Errorf("an inspector sees %+v", a)
			}
		}
		for _, e := range got.Events {
			if e.Detail != "" {
				t.Errorf("an inspector sees the detail %q", e.Detail)
			}
		}
		// Organisation users see none of it.
		org := int64(1)
		if _, err := db.FindLapse(AsActor(orgActor(org)), d.Lapse.ID); tether.ErrorCode(err) != tether.EFORBIDDEN {
			t.Errorf("an organisation user: %v", err)
		}
		if _, _, err := db.FindLapses(AsActor(orgActor(org)), tether.LapseFilter{}); tether.ErrorCode(err) != tether.EFORBIDDEN {
			t.Errorf("an organisation user lists: %v", err)
		}
		if _, err := db.FindLapse(cw(), 999999); tether.ErrorCode(err) != tether.ENOTFOUND {
			t.Errorf("unknown lapse: %v", err)
		}
		open, total, err := db.FindLapses(cw(), tether.LapseFilter{State: "open"})
		if err != nil || total != 1 || len(open) != 1 || open[0].AttemptsDone != 1 {
			t.Errorf("open lapses %+v (%d), %v", open, total, err)
		}
		if _, _, err := db.FindLapses(cw(), tether.LapseFilter{State: "lost"}); tether.ErrorFields(err)["state"] == "" {
			t.Errorf("bad state: %v", err)
		}
		if n := lapseCount(t, db, "audit_log", "action = ? AND entity_id = ?", "lapse.read", d.Lapse.ID); n < 2 {
			t.Errorf("%d reads audited", n)
		}
	})
}

// The overdue sweep reads only due, unmarked attempts through its index.
func TestOverdueSweepUsesIndex(t *testing.T) {
	t.Parallel()
	db := MustOpenTestDB(t, SQLite, nil)
	rows, err := db.write.Query(`EXPLAIN QUERY PLAN SELECT id, plan_id, lapse_id, person_id, seq, kind, due_on FROM tracing_attempts
		WHERE state = 'due' AND overdue_at IS NULL AND due_on < '2026-03-04' ORDER BY due_on, id LIMIT 10`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if p := strings.Join(plan, "; "); !strings.Contains(p, "tracing_attempts_overdue") || strings.Contains(p, "TEMP B-TREE") {
		t.Errorf("query plan %q does not read the index in order", p)
	}
}

// The sweep's stop: a plan whose task was closed gets a new, urgent one.
func TestOverdueReopensTask(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		clock := db.Clock.(*tether.ManualClock)
		p, _ := reachablePerson(t, db)
		if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseFailedCall, ""); err != nil {
			t.Fatal(err)
		}
		d := mustLapseOf(t, db, p.ID)
		if _, err := db.CompleteTask(cw(), *d.Plan.TaskID, 0, "Closed by mistake"); err != nil {
			t.Fatal(err)
		}
		clock.Advance(24 * time.Hour) // Tuesday: Monday's attempts are overdue
		n, err := db.MarkOverdueAttempts(context.Background(), 1)
		if err != nil || n != 1 {
			t.Fatalf("marked %d, %v", n, err)
		}
		d = mustLapseOf(t, db, p.ID)
		tk, err := db.FindTaskByID(cw(), *d.Plan.TaskID)
		if err != nil || tk.State != tether.TaskOpen || tk.Priority != tether.PriorityUrgent || tk.Kind != tether.TaskKindTracingDue {
			t.Fatalf("new task %+v, %v", tk, err)
		}
		// The rest, in steps of one, each once; then nothing.
		total := 1
		for {
			n, err := db.MarkOverdueAttempts(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			total += n
		}
		if total != 3 || lapseCount(t, db, "tasks", "person_id = ? AND queue = ?", p.ID, tether.QueueTracing) != 2 {
			t.Errorf("marked %d in all (want call, text, email), tasks %d", total,
				lapseCount(t, db, "tasks", "person_id = ? AND queue = ?", p.ID, tether.QueueTracing))
		}
		if _, err := db.MarkOverdueAttempts(context.Background(), 0); tether.ErrorCode(err) != tether.EINVALID {
			t.Errorf("max 0: %v", err)
		}
	})
}

// Two sweeps at once (two instances) mark each overdue attempt once.
func TestOverdueSweepsAtOnce(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		clock := db.Clock.(*tether.ManualClock)
		for range 4 {
			p, _ := reachablePerson(t, db)
			if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseFailedCall, ""); err != nil {
				t.Fatal(err)
			}
		}
		clock.Advance(24 * time.Hour) // Tuesday: each plan's call, text and email are overdue
		other := db.Reopen(t)
		counts := make(chan int, 2)
		errs := make(chan error, 2)
		for _, d := range []*DB{db, other} {
			go func() {
				total := 0
				for {
					n, err := d.MarkOverdueAttempts(context.Background(), 2)
					if err != nil {
						errs <- err
						return
					}
					if n == 0 {
						break
					}
					total += n
				}
				counts <- total
			}()
		}
		total := 0
		for range 2 {
			select {
			case err := <-errs:
				t.Fatal(err)
			case n := <-counts:
				total += n
			}
		}
		if total != 12 || lapseCount(t, db, "tracing_attempts", "overdue_at IS NOT NULL") != 12 ||
			lapseCount(t, db, "lapse_events", "action = ?", tether.LapseActionOverdue) != 12 {
			t.Errorf("marked %d, %d rows, %d events; want 12 each", total, lapseCount(t, db, "tracing_attempts", "overdue_at IS NOT NULL"),
				lapseCount(t, db, "lapse_events", "action = ?", tether.LapseActionOverdue))
		}
	})
}
