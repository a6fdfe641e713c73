package store

import (
	"slices"
	"testing"
	"time"

	"tether"
	"tether/enquiry"
)

// TestEnquiryReplySending follows replies to an office through the reply
// outbox: queued with the reply, claimed once, sent with the channel's id
// as proof, retried after an unknown outcome with a look-up, and failed
// with a task to send it again.
func TestEnquiryReplySending(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		out := db.ReplyOutbox()
		e := fx.create(t, fx.mpUser, fx.input())
		id := e.ID
		for _, in := range []enquiry.TransitionInput{{Action: enquiry.ActionTriage}, {Action: enquiry.ActionAssign, Assignee: &fx.eve.ID}} {
			if _, err := db.TransitionEnquiry(as(fx.kim), id, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.TransitionEnquiry(as(fx.eve), id, enquiry.TransitionInput{Action: enquiry.ActionStart}); err != nil {
			t.Fatal(err)
		}

		// A holding reply by email goes to the office's user who raised
		// the enquiry, queued for the email channel.
		fx.setDay("2026-03-20")
		hold := enquiry.HoldingReplyInput{HoldingInput: enquiry.HoldingInput{Reason: enquiry.ReasonAwaitingInformation,
			Outstanding: "A medical report", From: enquiry.FromRepresentative, NewDate: "2026-04-17"},
			ReplyInput: enquiry.ReplyInput{TemplateKey: "enq-reply-email", Personalisation: map[string]string{
				"reply": "We need a medical report from Ms Haile's solicitor. We will write again when we have it."}}}
		if _, err := db.SendHoldingReply(as(fx.eve), id, hold); err != nil {
			t.Fatal(err)
		}
		d := fx.staffView(t, id)
		if len(d.Replies) != 1 || d.Replies[0].Delivery == nil {
			t.Fatalf("replies %+v", d.Replies)
		}
		held := d.Replies[0]
		if dl := held.Delivery; dl.State != enquiry.DeliveryQueued || dl.Via != tether.SendNotifyEmail || dl.Ref == "" || dl.SentAt != nil {
			t.Fatalf("holding reply delivery %+v", dl)
		}

		// Claimed once: the reply as the channel needs it.
		items, err := out.ClaimOutbox(adminCtx(), "w1", nil, 10, time.Minute)
		if err != nil || len(items) != 1 {
			t.Fatalf("claim: %v %d", err, len(items))
		}
		it := items[0]
		n := it.Notice
		if it.NoticeID != held.ID || it.Ref != held.Delivery.Ref || n.Ref != it.Ref || it.Channel != tether.SendNotifyEmail ||
			!slices.Equal(n.Destination, []string{fx.mpUser.Email}) || n.Content != held.Content || n.Subject != held.Subject ||
			n.PersonRef != e.Ref || n.Method != tether.MethodEmail || it.Attempts != 1 {
			t.Fatalf("claimed %+v notice %+v", it, n)
		}
		if again, err := out.ClaimOutbox(adminCtx(), "w2", nil, 10, time.Minute); err != nil || len(again) != 0 {
			t.Fatalf("claimed twice: %v %d", err, len(again))
		}
		if d := fx.staffView(t, id); d.Replies[0].Delivery.State != enquiry.DeliverySending {
			t.Errorf("while leased: %+v", d.Replies[0].Delivery)
		}
		// Only the holder records the outcome.
		wantCode(t, out.OutboxSent(adminCtx(), it.ID, "w2", "x"), tether.ECONFLICT)
		wantCode(t, out.OutboxSent(as(fx.eve), it.ID, "w1", "x"), tether.EFORBIDDEN)
		fx.clock.Advance(3 * time.Second)
		if err := out.OutboxSent(adminCtx(), it.ID, "w1", "notify-0001"); err != nil {
			t.Fatal(err)
		}
		d = fx.staffView(t, id)
		dl := d.Replies[0].Delivery
		if dl.State != enquiry.DeliverySent || dl.ProviderID != "notify-0001" || dl.SentAt == nil || !dl.SentAt.Equal(fx.clock.Now()) {
			t.Fatalf("sent %+v", dl)
		}
		if ev := eventList(t, db, as(fx.eve), id); ev[len(ev)-1] != enquiry.EventReplySent {
			t.Errorf("events %v", ev)
		}
		// The office sees that it was sent, and through what, not who
		// in the department worked on it.
		od, err := db.EnquiryDetail(as(fx.mpUser), id)
		if err != nil {
			t.Fatal(err)
		}
		oev, err := db.EnquiryEvents(as(fx.mpUser), id)
		if err != nil {
			t.Fatal(err)
		}
		last := oev[len(oev)-1]
		if last.Action != enquiry.EventReplySent || last.Note == "" || last.Actor != "" ||
			od.Replies[0].Delivery == nil || od.Replies[0].Delivery.ProviderID != "notify-0001" {
			t.Errorf("office sees %+v %+v", last, od.Replies[0].Delivery)
		}

		// The answer by letter, to the post room: the outcome of the
		// first attempt is unknown; the next claim knows to look it up;
		// the channel refuses it; the failure has a task.
		db.SetCorrespondence(Correspondence{PostChannel: tether.SendPrint})
		fx.setDay("2026-04-02")
		letter := enquiry.ReplyInput{TemplateKey: "enq-reply-letter", ToAddress: []string{"Ann Member MP", "House of Commons", "London", "SW1A 0AA"},
			Personalisation: map[string]string{"reply": "We have decided Ms Haile's claim. We sent her the decision today."}}
		got, err := db.AnswerEnquiry(as(fx.eve), id, letter)
		if err != nil {
			t.Fatal(err)
		}
		oldTask := *got.TaskID
		items, err = out.ClaimOutbox(adminCtx(), "w1", []string{tether.SendPrint}, 10, time.Minute)
		if err != nil || len(items) != 1 || items[0].Channel != tether.SendPrint || items[0].Notice.Method != tether.MethodPost ||
			!slices.Equal(items[0].Notice.Destination, letter.ToAddress) {
			t.Fatalf("claim letter: %v %+v", err, items)
		}
		if err := out.OutboxRetry(adminCtx(), items[0].ID, "w1", "the spool did not answer", fx.clock.Now(), true); err != nil {
			t.Fatal(err)
		}
		items, err = out.ClaimOutbox(adminCtx(), "w2", nil, 10, time.Minute)
		if err != nil || len(items) != 1 || !items[0].PriorUnknown || items[0].Attempts != 2 {
			t.Fatalf("claim after unknown: %v %+v", err, items)
		}
		if err := out.OutboxFail(adminCtx(), items[0].ID, "w2", "the address cannot be printed", true); err != nil {
			t.Fatal(err)
		}
		d = fx.staffView(t, id)
		if dl := d.Replies[1].Delivery; dl.State != enquiry.DeliveryFailed || dl.Attempts != 2 || dl.LastError == "" {
			t.Fatalf("failed %+v", dl)
		}
		if d.TaskID == nil || *d.TaskID == oldTask {
			t.Fatalf("no new task for the failed answer: %v", d.TaskID)
		}
		task, err := db.FindTaskByID(as(fx.eve), *d.TaskID)
		if err != nil {
			t.Fatal(err)
		}
		if task.State != tether.TaskOpen || task.Queue != tether.QueueEnquiries || task.DueOn != "2026-04-02" || task.PersonID != fx.selam.ID {
			t.Errorf("task %+v", task)
		}
		if ev := eventList(t, db, as(fx.eve), id); ev[len(ev)-1] != enquiry.EventReplyFailed {
			t.Errorf("events %v", ev)
		}
		if oev, _ := db.EnquiryEvents(as(fx.mpUser), id); oev[len(oev)-1].Action == enquiry.EventReplyFailed {
			t.Error("the office sees the department's failure")
		}

		// Reopened and answered again by email: the task is done.
		if _, err := db.TransitionEnquiry(as(fx.eve), id, enquiry.TransitionInput{Action: enquiry.ActionReopen, Note: "The letter was not sent"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerEnquiry(as(fx.eve), id, enquiry.ReplyInput{TemplateKey: "enq-reply-email", Personalisation: letter.Personalisation}); err != nil {
			t.Fatal(err)
		}
		if task, _ := db.FindTaskByID(as(fx.eve), *d.TaskID); task.State != tether.TaskDone {
			t.Errorf("task after the answer %s", task.State)
		}

		// Nothing is sent twice: with every item finished or leased, a
		// claim finds only the new answer.
		items, err = out.ClaimOutbox(adminCtx(), "w3", nil, 10, time.Minute)
		if err != nil || len(items) != 1 || items[0].NoticeID == held.ID {
			t.Fatalf("last claim %v %+v", err, items)
		}
	})
}

// TestEnquiryReplyRecorded: a reply the caseworker sent outside Tether,
// with its reference, is recorded and never queued.
func TestEnquiryReplyRecorded(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		e := fx.create(t, fx.mpUser, fx.input())
		for _, in := range []enquiry.TransitionInput{{Action: enquiry.ActionTriage}, {Action: enquiry.ActionAssign, Assignee: &fx.eve.ID}} {
			if _, err := db.TransitionEnquiry(as(fx.kim), e.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.AnswerEnquiry(as(fx.eve), e.ID, enquiry.ReplyInput{TemplateKey: "enq-reply-email", ProofRef: "<abc@mail.example>",
			Personalisation: map[string]string{"reply": "We have decided Ms Haile's claim. We sent her the decision today."}}); err != nil {
			t.Fatal(err)
		}
		d := fx.staffView(t, e.ID)
		if d.Answer == nil || d.Answer.Delivery != nil || d.Answer.ProofRef != "<abc@mail.example>" {
			t.Fatalf("answer %+v", d.Answer)
		}
		items, err := db.ReplyOutbox().ClaimOutbox(adminCtx(), "w1", nil, 10, time.Minute)
		if err != nil || len(items) != 0 {
			t.Fatalf("claimed %v %d", err, len(items))
		}
	})
}
