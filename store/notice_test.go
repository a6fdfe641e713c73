package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"tether"
)

var adminActor = tether.Actor{UserID: 1, Role: tether.RoleAdmin, PersonalData: true}

func admin() context.Context { return AsActor(adminActor) }

// mustSeed loads the starter templates.
func mustSeed(t *testing.T, db *DB) {
	t.Helper()
	n, err := db.SeedTemplates(admin())
	if err != nil || n == 0 {
		t.Fatalf("seed templates = %d, %v", n, err)
	}
}

// reachablePerson has a postal address and an email for correspondence
// and a mobile.
func reachablePerson(t *testing.T, db *DB) (*tether.Person, map[string]*tether.ContactPoint) {
	t.Helper()
	p := mustCreatePerson(t, db, &tether.Person{FamilyName: "Nguyễn", GivenNames: "Văn An", PreferredLanguage: "en"})
	pts := map[string]*tether.ContactPoint{
		tether.KindPostal: postal(p.ID, "SW1A 1AA"),
		tether.KindEmail:  {PersonID: p.ID, Kind: tether.KindEmail, Email: "an@example.org", Source: tether.SourcePerson, ForCorrespondence: true},
		tether.KindMobile: mobile(p.ID, "07700 900123"),
	}
	for _, c := range pts {
		if err := db.AddContactPoint(cw(), c); err != nil {
			t.Fatal(err)
		}
	}
	return p, pts
}

func reportingValues() map[string]string {
	return map[string]string{"date": "Monday 9 March 2026", "time": "10am", "centre_name": "Eaton House",
		"centre_address": "1 Eaton Road, Hounslow TW3 1AA", "interpreter": "no", "help_phone": "0300 123 4567"}
}

func TestTemplatesPublishAndBar(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		mustSeed(t, db)
		if n, err := db.SeedTemplates(admin()); err != nil || n != 0 {
			t.Fatalf("second seed = %d, %v; want nothing added", n, err)
		}
		ts, err := db.FindTemplates(cw())
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range ts {
			if len(publishedVersions(tm)) == 0 {
				t.Errorf("starter template %s has no published version", tm.Key)
			}
			for _, v := range tm.Versions {
				if v.Language == "en" && v.State == tether.TemplateStatePublishedOver {
					t.Errorf("starter template %s (en) is below the clarity bar: %v", tm.Key, v.Clarity.Problems)
				}
			}
		}

		tm := &tether.Template{Key: "test-letter", Title: "Test", Kind: tether.KindGeneral, Channel: tether.ChannelLetter,
			Placeholders: []string{"name"}}
		before := countRows(t, db)
		wantCode(t, db.CreateTemplate(cw(), &tether.Template{Key: "Bad Key!", Title: "", Kind: "x", Channel: "fax"}), tether.EINVALID)
		bad := *tm
		bad.Versions = []*tether.TemplateVersion{{Subject: "Hello", Body: "Dear ((name)), ((unknown)) here."}}
		err = db.CreateTemplate(cw(), &bad)
		wantCode(t, err, tether.EINVALID)
		if f := tether.ErrorFields(err)["body"]; !strings.Contains(f, "unknown") {
			t.Fatalf("fields = %v", tether.ErrorFields(err))
		}
		bad.Versions = []*tether.TemplateVersion{{Subject: "Hello", Body: "Dear ((name, unclosed"}}
		wantCode(t, db.CreateTemplate(cw(), &bad), tether.EINVALID)
		wantCode(t, db.CreateTemplate(AsActor(inspector), tm), tether.EFORBIDDEN)
		if !mapsEqual(before, countRows(t, db)) {
			t.Fatal("a refused template wrote something")
		}

		tm.Versions = []*tether.TemplateVersion{{Subject: "About your case",
			Body: "Pursuant to the aforementioned correspondence, you are hereby notified that, notwithstanding any prior " +
				"representations, the determination promulgated in respect of your application shall be deemed to have " +
				"been effected in accordance with the applicable regulatory provisions."}}
		if err := db.CreateTemplate(cw(), tm); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.CreateTemplate(cw(), &tether.Template{Key: "test-letter", Title: "Again", Kind: tether.KindGeneral,
			Channel: tether.ChannelLetter}), tether.ECONFLICT)
		v := tm.Versions[0]
		if v.PassesBar || v.Number != 1 || v.State != tether.TemplateStateDraft || v.Clarity == nil || len(v.Clarity.Jargon) == 0 {
			t.Fatalf("bureaucratic version = %+v", v)
		}
		wantCode(t, db.PublishTemplateVersion(cw(), v.ID, "needed"), tether.EFORBIDDEN)
		wantCode(t, db.PublishTemplateVersion(admin(), v.ID, " "), tether.EINVALID)
		if err := db.PublishTemplateVersion(admin(), v.ID, "the tribunal's wording must be quoted"); err != nil {
			t.Fatal(err)
		}
		plain := &tether.TemplateVersion{Subject: "About your case",
			Body: "Dear ((name)),\n\nWe have looked at your case. We will write to you again soon. You do not need to do anything now."}
		if err := db.AddTemplateVersion(cw(), tm.ID, plain); err != nil {
			t.Fatal(err)
		}
		if !plain.PassesBar || plain.Number != 2 {
			t.Fatalf("plain version = %+v %v", plain, plain.Clarity.Problems)
		}
		if err := db.PublishTemplateVersion(cw(), plain.ID, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.PublishTemplateVersion(cw(), plain.ID, ""), tether.ECONFLICT)
		got, err := db.FindTemplateByKey(cw(), "TEST-LETTER")
		if err != nil {
			t.Fatal(err)
		}
		states := map[int]string{}
		for _, v := range got.Versions {
			states[v.Number] = v.State
		}
		if states[1] != templateRetired || states[2] != tether.TemplateStatePublished {
			t.Fatalf("states = %v", states)
		}
		if d := auditDetails(t, db, "template.publish"); len(d) < 2 || !strings.Contains(strings.Join(d, " "), "override=yes") {
			t.Fatalf("publish audit = %v", d)
		}
	})
}

func TestCreateNoticeRoutes(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		mustSeed(t, db)
		p, pts := reachablePerson(t, db)

		letter, err := db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "reporting-notice-letter",
			Personalisation: reportingValues()})
		if err != nil {
			t.Fatal(err)
		}
		if letter.Method != tether.MethodPost || letter.Channel != tether.SendNotifyLetter || letter.State != tether.NoticeQueued ||
			letter.ContactPointID == nil || *letter.ContactPointID != pts[tether.KindPostal].ID || letter.Division != "england-and-wales" ||
			!strings.Contains(letter.RouteReason, "for correspondence") || letter.Destination[0] != "Văn An Nguyễn" ||
			letter.Destination[len(letter.Destination)-1] != "SW1A 1AA" || !strings.Contains(letter.Content, "Eaton House") ||
			strings.Contains(letter.Content, "((") {
			t.Fatalf("letter = %+v", letter)
		}

		sms, err := db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "reporting-reminder-sms",
			Personalisation: reportingValues()})
		if err != nil {
			t.Fatal(err)
		}
		if sms.Method != tether.MethodSMS || sms.Destination[0] != "+447700900123" ||
			!strings.Contains(sms.RouteReason, "last known") {
			t.Fatalf("sms = %+v", sms)
		}

		// Missing personalisation, unknown template, bad method: nothing written.
		before := countRows(t, db)
		err = errOf(db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "reporting-notice-letter"}))
		wantCode(t, err, tether.EINVALID)
		if _, ok := tether.ErrorFields(err)["personalisation.centre_name"]; !ok {
			t.Fatalf("missing personalisation fields = %v", tether.ErrorFields(err))
		}
		wantCode(t, errOf(db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "nope"})), tether.EINVALID)
		wantCode(t, errOf(db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "general-letter", Method: "fax"})), tether.EINVALID)
		wantCode(t, errOf(db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "general-letter", Method: tether.MethodFile})), tether.EINVALID)
		wantCode(t, errOf(db.CreateNotice(AsActor(inspector), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "general-letter"})), tether.EFORBIDDEN)
		wantCode(t, errOf(db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: 999999, TemplateKey: "general-letter"})), tether.ENOTFOUND)
		long := reportingValues()
		long["centre_name"] = strings.Repeat("A very long centre name ", 40)
		wantCode(t, errOf(db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "reporting-reminder-sms", Personalisation: long})), tether.EINVALID)
		if !mapsEqual(before, countRows(t, db)) {
			t.Fatal("a refused notice wrote something")
		}

		// No working address: the caseworker is told to serve by hand or to file.
		lost := mustCreatePerson(t, db, &tether.Person{FamilyName: "Lost", GivenNames: "Person"})
		err = errOf(db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: lost.ID, TemplateKey: "general-letter",
			Personalisation: map[string]string{"subject": "Your case", "message": "x"}}))
		if _, ok := tether.ErrorFields(err)["method"]; !ok {
			t.Fatalf("no route: %v", err)
		}
		onFile, err := db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: lost.ID, TemplateKey: "reporting-notice-letter",
			Personalisation: reportingValues(), Method: tether.MethodFile, Reason: "No address known since the letter of 2 March came back."})
		if err != nil {
			t.Fatal(err)
		}
		if onFile.State != tether.NoticeOnFile || !onFile.CopyDue || onFile.DeemedServed != "2026-03-02" || onFile.SentAt == nil ||
			!strings.HasPrefix(onFile.RouteReason, "Served to file: ") || onFile.DeemedExplanation == "" {
			t.Fatalf("on file = %+v", onFile)
		}
		files, n, err := db.FindNotices(cw(), tether.NoticeFilter{State: tether.NoticeOnFile})
		if err != nil || n != 1 || files[0].ID != onFile.ID {
			t.Fatalf("notices on file = %v %d %v", files, n, err)
		}
		hand, err := db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "reporting-notice-letter",
			Personalisation: reportingValues(), Method: tether.MethodHand, Reason: "Given at the reporting centre."})
		if err != nil || hand.State != tether.NoticeServedByHand || hand.DeemedServed != "2026-03-02" {
			t.Fatalf("by hand = %+v, %v", hand, err)
		}
		items, err := db.ClaimOutbox(context.Background(), "w1", nil, 100, time.Minute)
		if err != nil || len(items) != 2 {
			t.Fatalf("claim = %d items, %v; want the letter and the SMS only", len(items), err)
		}
	})
}

func TestNoticeDeliveryFailureActsOnce(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		mustSeed(t, db)
		p, pts := reachablePerson(t, db)
		n, err := db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "request-contact-details-email",
			Personalisation: map[string]string{"date": "Friday 13 March 2026"}})
		if err != nil {
			t.Fatal(err)
		}
		bg := context.Background()
		items, err := db.ClaimOutbox(bg, "w1", []string{tether.SendNotifyEmail}, 10, time.Minute)
		if err != nil || len(items) != 1 || items[0].Notice.Ref != n.Ref {
			t.Fatalf("claim = %v, %v", items, err)
		}
		if err := db.OutboxSent(bg, items[0].ID, "w1", "prov-1"); err != nil {
			t.Fatal(err)
		}
		for range 2 { // a repeated callback acts once
			if _, err := db.RecordDelivery(bg, tether.DeliveryReport{ProviderID: "prov-1", Status: tether.StatusPermanentFailure,
				At: time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.FindNoticeByID(cw(), n.ID)
		if err != nil || got.State != tether.NoticeFailed {
			t.Fatalf("notice = %+v, %v", got, err)
		}
		c, err := db.FindContactPointByID(cw(), pts[tether.KindEmail].ID)
		if err != nil || c.Verification != tether.Failed {
			t.Fatalf("email point = %+v, %v", c, err)
		}
		tasks, _, err := db.FindTasks(cw(), tether.TaskFilter{PersonID: &p.ID, State: TaskOpen})
		if err != nil || len(tasks) != 1 || tasks[0].NoticeID == nil || *tasks[0].NoticeID != n.ID {
			t.Fatalf("tasks = %+v, %v", tasks, err)
		}
		// It joins the contact management queue, high priority, due the
		// next working day, about the notice.
		if task := tasks[0]; task.Queue != tether.QueueContact || task.Priority != tether.PriorityHigh || task.DueOn != "2026-03-03" ||
			task.SubjectKind != tether.SubjectNotice || task.SubjectID != n.ID || task.Kind != TaskContactFailed {
			t.Fatalf("task = %+v", task)
		}
		sigs, err := db.FindSignals(admin(), tether.SignalContactLapse, true, 10)
		if err != nil || len(sigs) != 1 || sigs[0].PersonID != p.ID {
			t.Fatalf("signals = %+v, %v", sigs, err)
		}
		tl, err := db.NoticeTimeline(cw(), n.ID)
		if err != nil {
			t.Fatal(err)
		}
		var statuses []string
		for _, e := range tl {
			statuses = append(statuses, e.Status)
		}
		want := []string{eventQueued, eventClaimed, eventSent, tether.StatusPermanentFailure, eventContactFail}
		if strings.Join(statuses, ",") != strings.Join(want, ",") {
			t.Fatalf("timeline = %v, want %v", statuses, want)
		}
		// The person's contact history shows the failure.
		evs, err := db.ContactPointEvents(cw(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		failed := 0
		for _, e := range evs {
			if e.Type == tether.EventFailed {
				failed++
			}
		}
		if failed != 1 {
			t.Fatalf("contact history has %d failure events, want 1", failed)
		}
	})
}

// sendNext claims the one queued notice of channel and records it sent as
// providerID.
func sendNext(t *testing.T, db *DB, channel, providerID string) *tether.Notice {
	t.Helper()
	bg := context.Background()
	items, err := db.ClaimOutbox(bg, "w1", []string{channel}, 10, time.Minute)
	if err != nil || len(items) != 1 {
		t.Fatalf("claim %s = %v, %v", channel, items, err)
	}
	if err := db.OutboxSent(bg, items[0].ID, "w1", providerID); err != nil {
		t.Fatal(err)
	}
	return items[0].Notice
}

// lastEvent is the newest entry on a notice's timeline.
func lastEvent(t *testing.T, db *DB, id int64) *tether.NoticeEvent {
	t.Helper()
	tl, err := db.NoticeTimeline(cw(), id)
	if err != nil || len(tl) == 0 {
		t.Fatalf("timeline = %v, %v", tl, err)
	}
	return tl[len(tl)-1]
}

// With fallback on, a failed contact point sends the same text by the next
// route, and so on until no route is left; with it off, nothing more is sent.
func TestNoticeFallback(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		mustSeed(t, db)
		bg := context.Background()
		at := time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)

		// Off by default: the failure is acted on, nothing else is sent.
		q, _ := reachablePerson(t, db)
		if _, err := db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: q.ID, TemplateKey: "reporting-reminder-sms",
			Personalisation: reportingValues()}); err != nil {
			t.Fatal(err)
		}
		off := sendNext(t, db, tether.SendNotifySMS, "prov-off")
		if _, err := db.RecordDelivery(bg, tether.DeliveryReport{ProviderID: "prov-off", Status: tether.StatusPermanentFailure, At: at}); err != nil {
			t.Fatal(err)
		}
		if ns, _, err := db.FindNotices(cw(), tether.NoticeFilter{PersonID: &q.ID}); err != nil || len(ns) != 1 {
			t.Fatalf("fallback off: notices = %d, %v", len(ns), err)
		}
		if e := lastEvent(t, db, off.ID); e.Status != eventContactFail {
			t.Fatalf("fallback off: last event %+v", e)
		}

		db.SetCorrespondence(Correspondence{Fallback: true})
		p, pts := reachablePerson(t, db)
		sms, err := db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "reporting-reminder-sms",
			Personalisation: reportingValues()})
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			channel, provider, method, dest string
			kind                            string
		}{
			{tether.SendNotifySMS, "prov-sms", tether.MethodEmail, "an@example.org", tether.KindMobile},
			{tether.SendNotifyEmail, "prov-email", tether.MethodPost, "SW1A 1AA", tether.KindEmail},
		}
		prev := sms
		for i, s := range steps {
			sent := sendNext(t, db, s.channel, s.provider)
			if sent.ID != prev.ID {
				t.Fatalf("step %d: sent %s, want %s", i, sent.Ref, prev.Ref)
			}
			if _, err := db.RecordDelivery(bg, tether.DeliveryReport{ProviderID: s.provider, Status: tether.StatusPermanentFailure, At: at}); err != nil {
				t.Fatal(err)
			}
			if c, err := db.FindContactPointByID(cw(), pts[s.kind].ID); err != nil || c.Verification != tether.Failed {
				t.Fatalf("step %d: point = %+v, %v", i, c, err)
			}
			ns, _, err := db.FindNotices(cw(), tether.NoticeFilter{PersonID: &p.ID, State: tether.NoticeQueued})
			if err != nil || len(ns) != 1 {
				t.Fatalf("step %d: queued notices = %d, %v", i, len(ns), err)
			}
			next := ns[0]
			if next.Method != s.method || !slices.Contains(next.Destination, s.dest) || next.Content != sms.Content ||
				!strings.HasPrefix(next.RouteReason, "Fallback: notice "+prev.Ref+" by ") || next.TemplateKey != sms.TemplateKey {
				t.Fatalf("step %d: fallback notice = %+v", i, next)
			}
			if next.Method == tether.MethodPost && next.Subject == "" {
				t.Fatalf("step %d: a letter needs a heading: %+v", i, next)
			}
			if e := lastEvent(t, db, prev.ID); e.Status != eventFallback || !strings.Contains(e.Detail, next.Ref) {
				t.Fatalf("step %d: last event of the failed notice = %+v", i, e)
			}
			prev = next
		}
		// The letter comes back: no route is left, and the timeline says so.
		sendNext(t, db, tether.SendNotifyLetter, "prov-letter")
		if _, err := db.RecordReturnedLetter(bg, tether.ReturnedLetter{ProviderID: "prov-letter", ReturnedOn: "2026-03-02"}); err != nil {
			t.Fatal(err)
		}
		if e := lastEvent(t, db, prev.ID); e.Status != eventFallback || !strings.Contains(e.Detail, "no other working contact point") {
			t.Fatalf("last event of the returned letter = %+v", e)
		}
		if ns, _, err := db.FindNotices(cw(), tether.NoticeFilter{PersonID: &p.ID}); err != nil || len(ns) != 3 {
			t.Fatalf("notices = %d, %v; want 3", len(ns), err)
		}
		tasks, _, err := db.FindTasks(cw(), tether.TaskFilter{PersonID: &p.ID, State: TaskOpen})
		if err != nil || len(tasks) != 3 {
			t.Fatalf("tasks = %d, %v; want one per failure", len(tasks), err)
		}
	})
}

// A failure that is the channel's (attempts used up, a refused set-up)
// fails the notice visibly but leaves the contact point alone.
func TestOutboxFailWithoutContactFault(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		mustSeed(t, db)
		db.SetCorrespondence(Correspondence{Fallback: true})
		p, pts := reachablePerson(t, db)
		n, err := db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "request-contact-details-email",
			Personalisation: map[string]string{"date": "Friday 13 March 2026"}})
		if err != nil {
			t.Fatal(err)
		}
		bg := context.Background()
		items, err := db.ClaimOutbox(bg, "w1", []string{tether.SendNotifyEmail}, 10, time.Minute)
		if err != nil || len(items) != 1 {
			t.Fatalf("claim = %v, %v", items, err)
		}
		if err := db.OutboxFail(bg, items[0].ID, "w1", "status 500; gave up after 8 attempts", false); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindNoticeByID(cw(), n.ID)
		if err != nil || got.State != tether.NoticeFailed {
			t.Fatalf("notice = %+v, %v", got, err)
		}
		if c, err := db.FindContactPointByID(cw(), pts[tether.KindEmail].ID); err != nil || c.Verification == tether.Failed {
			t.Fatalf("email point = %+v, %v: the channel's failure marked it failed", c, err)
		}
		tasks, _, err := db.FindTasks(cw(), tether.TaskFilter{PersonID: &p.ID, State: TaskOpen})
		if err != nil || len(tasks) != 1 || tasks[0].Kind != TaskSendFailed || tasks[0].Queue != tether.QueueContact ||
			tasks[0].Priority != tether.PriorityHigh || tasks[0].DueOn != "2026-03-03" {
			t.Fatalf("tasks = %+v, %v", tasks, err)
		}
		if sigs, err := db.FindSignals(admin(), tether.SignalContactLapse, true, 10); err != nil || len(sigs) != 0 {
			t.Fatalf("signals = %+v, %v; want none", sigs, err)
		}
		if ns, _, err := db.FindNotices(cw(), tether.NoticeFilter{PersonID: &p.ID}); err != nil || len(ns) != 1 {
			t.Fatalf("notices = %d, %v: no fallback for a channel's failure", len(ns), err)
		}
	})
}
