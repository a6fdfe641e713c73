package dispatch_test

import (
	"context"
	"testing"
	"time"

	"tether"
	"tether/calendar"
	"tether/enquiry"
	"tether/notify/notifytest"
	"tether/store"
)

// TestDispatchRepliesToOffices sends answers to MPs' offices through the
// same dispatcher and channel as notices: the first send's connection
// drops after Notify took it, and the look-up finds it, so that each
// reply reaches the office once, with Notify's id kept as the proof.
func TestDispatchRepliesToOffices(t *testing.T) {
	t.Parallel()
	for _, engine := range store.TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, engine, notifytest.Options{Faults: map[int]notifytest.Fault{1: notifytest.Drop}})
			ctx := context.Background()
			admin := store.AsActor(tether.Actor{UserID: 1, Role: tether.RoleAdmin, PersonalData: true})
			org := &tether.Organisation{Name: "Office of Ann Member MP", Kind: tether.OrgMPOffice, Division: calendar.EnglandAndWales}
			if err := w.db.CreateOrganisation(admin, org); err != nil {
				t.Fatal(err)
			}
			office := &tether.User{Email: "caseworker@ann-member.example", Name: "Ann's caseworker", Role: tether.RoleOrganisation, OrganisationID: &org.ID}
			staff := &tether.User{Email: "eve@department.example", Name: "Eve", Role: tether.RoleEnquiries}
			for _, u := range []*tether.User{office, staff} {
				if err := w.db.CreateUser(admin, u, "a long enough password for tests"); err != nil {
					t.Fatal(err)
				}
			}
			asOffice, asStaff := store.AsActor(tether.ActorOf(office)), store.AsActor(tether.ActorOf(staff))
			people := w.people(t, 2)
			var ids []int64
			for _, p := range people {
				e, err := w.db.CreateEnquiry(asOffice, &enquiry.Input{Subject: enquiry.Subject{Ref: p.Ref},
					Question: "When will the claim be decided?", Category: enquiry.CategoryAsylumClaim, Urgency: enquiry.UrgencyRoutine,
					Authority: enquiry.Authority{Basis: enquiry.BasisWrittenConsent, GivenOn: "2026-02-26"}})
				if err != nil {
					t.Fatal(err)
				}
				for _, in := range []enquiry.TransitionInput{{Action: enquiry.ActionTriage}, {Action: enquiry.ActionAssign, Assignee: &staff.ID}} {
					if _, err := w.db.TransitionEnquiry(asStaff, e.ID, in); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := w.db.AnswerEnquiry(asStaff, e.ID, enquiry.ReplyInput{TemplateKey: "enquiry-reply-email",
					Personalisation: map[string]string{"reply": "We have decided the claim. We sent the decision today."}}); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, e.ID)
			}

			d := w.dispatcher("w1")
			d.Replies = w.db.ReplyOutbox()
			var sent int
			for round := 0; round < 10 && sent < len(ids); round++ {
				st, err := d.Drain(ctx)
				if err != nil {
					t.Fatal(err)
				}
				sent += st.Sent
				w.clock.Advance(2 * time.Hour) // past the backoff
			}
			if sent != len(ids) {
				t.Fatalf("sent %d replies, want %d", sent, len(ids))
			}
			if n := w.notify.Duplicates(); n != 0 {
				t.Fatalf("Notify holds %d duplicates", n)
			}
			for _, id := range ids {
				det, err := w.db.EnquiryDetail(asStaff, id)
				if err != nil {
					t.Fatal(err)
				}
				dl := det.Answer.Delivery
				if dl == nil || dl.State != enquiry.DeliverySent || dl.Via != tether.SendNotifyEmail || dl.SentAt == nil {
					t.Fatalf("delivery %+v", dl)
				}
				got := w.notify.ByReference(dl.Ref)
				if len(got) != 1 || got[0].ID != dl.ProviderID || got[0].To != office.Email || got[0].Type != "email" {
					t.Fatalf("Notify holds %+v for %s (provider id %s)", got, dl.Ref, dl.ProviderID)
				}
				if body, _ := got[0].Personalisation["body"].(string); body != det.Answer.Content {
					t.Errorf("Notify got a different text:\n%s\nwant\n%s", body, det.Answer.Content)
				}
			}
			// Nothing is left to send, and nothing is sent again.
			before := w.notify.Count()
			if st, err := d.Drain(ctx); err != nil || st.Claimed != 0 || w.notify.Count() != before {
				t.Fatalf("a second drain: %+v %v", st, err)
			}
		})
	}
}
