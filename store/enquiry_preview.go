package store

import (
	"context"
	"fmt"
	"strconv"

	"tether/calendar"
	"tether/enquiry"
)

// PreviewEnquiryReply works out a reply to the office as it would be sent
// now, checked against the clarity bar as SendHoldingReply and
// AnswerEnquiry check it, and sends nothing: for the reply forms to show
// the text and its measures before the caseworker sends it. holding is
// nil for an answer; for a holding reply it is checked as
// SendHoldingReply checks it (reason, what is outstanding and from whom,
// the new date), and the reply's holding values are filled in from it.
// Only the read is recorded. EINVALID (the reply's fields; the clarity
// bar; the holding reply's fields), ENOTFOUND, ECONFLICT (the workflow),
// EFORBIDDEN.
func (db *DB) PreviewEnquiryReply(ctx context.Context, id int64, in enquiry.ReplyInput, holding *enquiry.HoldingInput) (*enquiry.Reply, error) {
	if _, err := enquiryStaff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("preview reply: %w", err)
	}
	defer tx.rollback()
	e, err := tx.loadEnquiry(id, false)
	if err != nil {
		return nil, err
	}
	action, kind := enquiry.ActionAnswer, enquiry.ReplyAnswer
	if holding != nil {
		action, kind = enquiry.ActionHolding, enquiry.ReplyHolding
	}
	if _, err := enquiry.Next(e.State, action); err != nil {
		return nil, err
	}
	if err := checkEnquiryActor(tx.actor, e.Enquiry, action); err != nil {
		return nil, err
	}
	var extra map[string]string
	if holding != nil {
		due, err := calendar.ParseDate(e.DueOn)
		if err != nil {
			return nil, fmt.Errorf("enquiry %d: due_on: %w", e.ID, err)
		}
		today := tx.today()
		newDate, err := enquiry.ValidateHolding(holding, today, due)
		if err != nil {
			return nil, err
		}
		extra = map[string]string{"holding": "yes", "new_date": newDate.Long(),
			"holding_reason": enquiry.HoldingWords(holding.Reason, holding.Outstanding, holding.From, newDate)}
	}
	r, _, _, err := tx.renderReply(e, &in, kind, extra)
	if err != nil {
		return nil, err
	}
	tx.Audit("enquiry.reply.preview", "enquiry", e.ID, "kind="+kind+" template="+r.TemplateKey+
		" passes="+strconv.FormatBool(r.PassesBar))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("preview reply: %w", err)
	}
	return r, nil
}
