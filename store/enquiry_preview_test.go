package store

import (
	"strings"
	"testing"

	"tether"
	"tether/enquiry"
)

// TestEnquiryReplyPreview checks that a preview works a reply out as it
// would be sent and writes nothing but the audit entry; that it refuses
// what sending refuses (a vague holding reply, the workflow, someone
// else's enquiry, an office); and that the clarity gate gives the same
// words the same measures whatever the enquiry's random reference.
func TestEnquiryReplyPreview(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		ready := func() *enquiry.Enquiry {
			in := fx.input()
			in.AcknowledgeDuplicates = true
			e := fx.create(t, fx.mpUser, in)
			for _, tr := range []enquiry.TransitionInput{{Action: enquiry.ActionTriage}, {Action: enquiry.ActionAssign, Assignee: &fx.eve.ID}} {
				if _, err := db.TransitionEnquiry(as(fx.eve), e.ID, tr); err != nil {
					t.Fatal(err)
				}
			}
			return e
		}
		e := ready()
		reply := enquiry.ReplyInput{TemplateKey: "enq-reply-email", Personalisation: map[string]string{"reply": "We made a decision today."}}

		// Refused before anything is worked out: the workflow, another
		// caseworker, an office, a vague holding reply.
		fresh := fx.create(t, fx.lawUsr, &enquiry.Input{Subject: enquiry.Subject{Ref: fx.amir.Ref}, Question: "When will the claim be decided?",
			Category: enquiry.CategoryAsylumClaim, Urgency: enquiry.UrgencyRoutine, Authority: enquiry.Authority{Basis: enquiry.BasisRecordedRepresentative}})
		_, err := db.PreviewEnquiryReply(as(fx.eve), fresh.ID, reply, nil)
		wantCode(t, err, tether.ECONFLICT)
		_, err = db.PreviewEnquiryReply(as(fx.kim), e.ID, reply, nil)
		wantCode(t, err, tether.EFORBIDDEN)
		_, err = db.PreviewEnquiryReply(as(fx.mpUser), e.ID, reply, nil)
		wantCode(t, err, tether.EFORBIDDEN)
		_, err = db.PreviewEnquiryReply(as(fx.eve), e.ID, reply, &enquiry.HoldingInput{Reason: enquiry.ReasonAwaitingChecks,
			Outstanding: "It is complex", From: enquiry.FromPolice, NewDate: "2026-04-20"})
		wantFieldErr(t, err, "outstanding")

		before := enquiryCounts(t, db)
		r, err := db.PreviewEnquiryReply(as(fx.eve), e.ID, reply, &enquiry.HoldingInput{Reason: enquiry.ReasonAwaitingChecks,
			Outstanding: "An identity check", From: enquiry.FromPolice, NewDate: "2026-04-20"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Kind != enquiry.ReplyHolding || !strings.Contains(r.Content, "We cannot answer yet. We made a decision today.") ||
			!strings.Contains(r.Content, e.Ref) || r.SentTo[0] != fx.mpUser.Email || !r.PassesBar {
			t.Errorf("preview %+v", r)
		}
		after := enquiryCounts(t, db)
		// Only the audit log grows (the last count).
		if before[:strings.LastIndex(strings.TrimSpace(before), " ")] != after[:strings.LastIndex(strings.TrimSpace(after), " ")] || before == after {
			t.Errorf("a preview wrote: %s -> %s", before, after)
		}

		// The same words, another enquiry (another random reference): the
		// same measures.
		other := ready()
		r1, err := db.PreviewEnquiryReply(as(fx.eve), e.ID, reply, nil)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := db.PreviewEnquiryReply(as(fx.eve), other.ID, reply, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r1.ReadingEase != r2.ReadingEase || r1.Grade != r2.Grade || r1.Content == r2.Content {
			t.Errorf("measures differ by reference: %v/%v and %v/%v", r1.ReadingEase, r1.Grade, r2.ReadingEase, r2.Grade)
		}
	})
}
