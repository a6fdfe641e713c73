package store

import (
	"context"
	"testing"
	"time"

	"tether"
)

// failSend queues a notice of the template to the person, sends it through
// channel and has Notify report a permanent failure: a contact-lapse
// signal is stored.
func failSend(t *testing.T, db *DB, p *tether.Person, template, channel string, values map[string]string, provider string) {
	t.Helper()
	if _, err := db.CreateNotice(cw(), &tether.NoticeRequest{PersonID: p.ID, TemplateKey: template,
		Personalisation: values}); err != nil {
		t.Fatal(err)
	}
	sendNext(t, db, channel, provider)
	if _, err := db.RecordDelivery(context.Background(), tether.DeliveryReport{ProviderID: provider,
		Status: tether.StatusPermanentFailure, At: db.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
}

func TestContactStatusFromSignals(t *testing.T) {
	t.Parallel()
	for _, engine := range TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			clock := tether.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) // Monday 2 March
			db := MustOpenTestDB(t, engine, clock)
			mustSeed(t, db)
			bg := context.Background()
			p, _ := reachablePerson(t, db)
			status := func() (tether.PersonStatus, []*tether.StatusEvent) {
				t.Helper()
				st, events, err := db.ContactStatus(cw(), p.ID)
				if err != nil {
					t.Fatal(err)
				}
				return st, events
			}
			if st, events := status(); st.Status != tether.StatusInContact || len(events) != 0 {
				t.Fatalf("new person: %+v %v", st, events)
			}

			failSend(t, db, p, "reporting-reminder-sms", tether.SendNotifySMS, reportingValues(), "prov-1")
			if n, err := db.ConsumeLapseSignals(bg, 10); err != nil || n != 1 {
				t.Fatalf("consumed %d, %v", n, err)
			}
			st, events := status()
			if st.Status != tether.StatusAtRisk || st.OutOfContactOn != "2026-03-09" || len(events) != 1 ||
				events[0].Cause != tether.CauseChannelFailed || events[0].SignalID == nil || events[0].To != tether.StatusAtRisk {
				t.Fatalf("after a failed text: %+v %+v", st, events)
			}
			if n, err := db.ConsumeLapseSignals(bg, 10); err != nil || n != 0 {
				t.Fatalf("second consume: %d, %v", n, err)
			}
			// A second signal while at risk: recorded, the status stays.
			clock.Advance(time.Hour)
			failSend(t, db, p, "request-contact-details-email", tether.SendNotifyEmail,
				map[string]string{"date": "Friday 13 March 2026"}, "prov-2")
			if n, err := db.ConsumeLapseSignals(bg, 10); err != nil || n != 1 {
				t.Fatalf("consumed %d, %v", n, err)
			}
			if st, events := status(); st.Status != tether.StatusAtRisk || len(events) != 2 || events[1].From != events[1].To {
				t.Fatalf("second signal: %+v %+v", st, events)
			}

			// Not before the fifth working day.
			clock.Advance(4 * 24 * time.Hour) // Friday 6 March
			if n, err := db.EscalateStatuses(bg, 10); err != nil || n != 0 {
				t.Fatalf("escalated %d on Friday, %v", n, err)
			}
			clock.Advance(3 * 24 * time.Hour) // Monday 9 March
			if n, err := db.EscalateStatuses(bg, 10); err != nil || n != 1 {
				t.Fatalf("escalated %d on Monday, %v", n, err)
			}
			if st, _ := status(); st.Status != tether.StatusOutOfContact || st.OutOfContactOn != "" {
				t.Fatalf("after escalation: %+v", st)
			}
			if n, err := db.EscalateStatuses(bg, 10); err != nil || n != 0 {
				t.Fatalf("escalated again: %d, %v", n, err)
			}

			// Declaring an absconder: an admin, with a reason.
			if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseDeclared, "Calls failed"); tether.ErrorCode(err) != tether.EFORBIDDEN {
				t.Fatalf("a caseworker declared: %v", err)
			}
			if _, err := db.ChangeStatus(admin(), p.ID, tether.CauseDeclared, ""); tether.ErrorCode(err) != tether.EINVALID {
				t.Fatalf("declared without a reason: %v", err)
			}
			before := countRows(t, db)
			if _, err := db.ChangeStatus(cw(), p.ID, "moved", ""); tether.ErrorCode(err) != tether.EINVALID {
				t.Fatalf("unknown cause: %v", err)
			}
			if !mapsEqual(before, countRows(t, db)) {
				t.Fatal("a refused change wrote something")
			}
			if ch, err := db.ChangeStatus(admin(), p.ID, tether.CauseDeclared, "Calls, letters, a visit and agency checks failed"); err != nil || ch.To != tether.StatusAbsconder {
				t.Fatalf("declare: %+v, %v", ch, err)
			}
			if ch, err := db.ChangeStatus(cw(), p.ID, tether.CauseReEstablished, "Came to the reporting centre"); err != nil || ch.To != tether.StatusInContact {
				t.Fatalf("re-established: %+v, %v", ch, err)
			}
			if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseReEstablished, "Again"); tether.ErrorCode(err) != tether.ECONFLICT {
				t.Fatalf("re-established twice: %v", err)
			}
			st, events = status()
			var path []string
			for _, e := range events {
				path = append(path, e.To)
			}
			want := []string{tether.StatusAtRisk, tether.StatusAtRisk, tether.StatusOutOfContact, tether.StatusAbsconder, tether.StatusInContact}
			if st.Status != tether.StatusInContact || len(path) != len(want) {
				t.Fatalf("history %v, want %v", path, want)
			}
			for i := range want {
				if path[i] != want[i] {
					t.Fatalf("history %v, want %v", path, want)
				}
			}
		})
	}
}
