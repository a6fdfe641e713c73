package main

import (
	"context"
	"fmt"
	"time"

	"tether"
	"tether/store"
)

// demoNoticeValues is personalisation that fits every starter template.
func demoNoticeValues(now time.Time) map[string]string {
	day := now.AddDate(0, 0, 14).Format("Monday 2 January 2006")
	return map[string]string{
		"date": day, "time": "10am", "appeal_date": day, "centre_name": "Eaton House",
		"centre_address": "1 Eaton Road, Hounslow TW3 1AA", "interpreter": "no", "decision": "We have refused your application.",
		"reason": "You did not send the documents we asked for.", "message": "We have updated your record.",
		"mp_name": "the Member of Parliament", "enquiry_reference": "ENQ-1001", "answer": "The case is with a caseworker.",
		"no_work": "yes", "no_study": "no", "consent": "yes", "address": "the address you gave us",
		"reporting_frequency": "every Monday", "application": "your application to stay in the UK",
		"reasons": "You did not send the documents we asked for.", "missed_date": now.AddDate(0, 0, -3).Format("Monday 2 January 2006"),
		"subject": "Your record", "enquiry_date": now.AddDate(0, 0, -5).Format("2 January 2006"), "person_name": "the person",
		"reply": "The case is with a caseworker.", "team_name": "the Contact Management team", "postcode": "SW1A 1AA",
	}
}

// demoNotices gives some of the demo people correspondence in every state:
// queued, sent, delivered, failed (with the task and signal that follow),
// returned, served by hand, on file and cancelled. It seeds the starter
// templates first. It returns how many notices it made.
func (a *app) demoNotices(ctx context.Context, db *store.DB) (int, error) {
	if _, err := db.SeedTemplates(ctx); err != nil {
		return 0, fmt.Errorf("demo templates: %w", err)
	}
	people, _, err := db.FindPeople(ctx, tether.PersonFilter{Limit: 80})
	if err != nil {
		return 0, err
	}
	values := demoNoticeValues(a.clock.Now())
	made := 0
	var sent []*tether.Notice
	keys := []string{"reporting-notice-letter", "request-contact-details-email", "reporting-reminder-sms", "general-letter"}
	for i, p := range people {
		key := keys[i%len(keys)]
		req := &tether.NoticeRequest{PersonID: p.ID, TemplateKey: key, Personalisation: values}
		n, err := db.CreateNotice(ctx, req)
		if tether.ErrorCode(err) == tether.EINVALID {
			if _, ok := tether.ErrorFields(err)["method"]; ok {
				// Nowhere to send it: served to file, as a caseworker would.
				req.Method, req.Reason = tether.MethodFile, "No working contact details on record; tracing has started."
				n, err = db.CreateNotice(ctx, req)
			} else {
				continue // this template does not suit this person's details
			}
		}
		if err != nil {
			return made, err
		}
		made++
		if n.State == tether.NoticeQueued {
			sent = append(sent, n)
		}
	}
	// Hand over some, cancel one.
	for i, p := range people {
		if i%10 != 3 {
			continue
		}
		if _, err := db.CreateNotice(ctx, &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "bail-conditions-letter",
			Personalisation: values, Method: tether.MethodHand, Reason: "Given in person at the reporting centre."}); err == nil {
			made++
		}
	}
	if len(sent) > 0 {
		last := sent[len(sent)-1]
		sent = sent[:len(sent)-1]
		if err := db.CancelNotice(ctx, last.ID, "Sent in error: the wrong template was chosen."); err != nil {
			return made, err
		}
	}
	// Pretend the channels took most of the rest, leaving a few queued.
	sys := tether.NewContextWithActor(ctx, store.DispatcherActor)
	items, err := db.ClaimOutbox(sys, "demo", nil, 1000, time.Minute)
	if err != nil {
		return made, err
	}
	for i, it := range items {
		if i%8 == 7 {
			if err := db.OutboxRetry(sys, it.ID, "demo", "left in the queue for the demo", a.clock.Now(), false); err != nil {
				return made, err
			}
			continue
		}
		pid := fmt.Sprintf("00000000-0000-4000-8000-%012d", it.NoticeID)
		if err := db.OutboxSent(sys, it.ID, "demo", pid); err != nil {
			return made, err
		}
		var status string
		switch {
		case i%8 == 6:
			continue // sent, no news yet
		case i%11 == 5:
			status = tether.StatusPermanentFailure
		case it.Notice.Method == tether.MethodPost:
			status = tether.StatusReceived
		default:
			status = tether.StatusDelivered
		}
		if status == tether.StatusPermanentFailure && it.Notice.Method == tether.MethodPost {
			status = tether.StatusReceived
		}
		if _, err := db.RecordDelivery(sys, tether.DeliveryReport{ProviderID: pid, Status: status, Source: "notify-callback"}); err != nil {
			return made, err
		}
		if it.Notice.Method == tether.MethodPost && i%5 == 2 {
			if _, err := db.RecordReturnedLetter(sys, tether.ReturnedLetter{ProviderID: pid,
				ReturnedOn: a.clock.Now().Format("2006-01-02"), Detail: "addressee gone away"}); err != nil {
				return made, err
			}
		}
	}
	return made, nil
}
