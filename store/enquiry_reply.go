package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/calendar"
	"tether/clarity"
	"tether/compose"
	"tether/enquiry"
	"tether/letterpdf"
)

// Replies to an office: written from an enquiry-reply template, checked
// against the clarity bar as it will be read (rendered, with the
// caseworker's words in it), and kept on the enquiry with the proof of
// sending: the exact text, its SHA-256, where it went, when and by whom.
// Tether sends the reply itself, through the channel the correspondence
// configuration gives email or post (see enquiry_outbox.go), and the
// channel's id and time of acceptance are the proof. A caseworker who sent
// it outside Tether gives the sending's reference instead (ProofRef), and
// the reply is recorded as sent, not sent again.

// systemValues are the personalisation values the store sets for a reply;
// a caller may not set them.
var systemValues = []string{"reference", "enquiry_ref", "enquiry_date", "due_date", "holding", "new_date", "holding_reason", "today"}

// renderReply works out a reply to the office from the input: the
// template (an enquiry reply, published, in the language asked for or
// else English), the text with the enquiry's values filled in, where it
// goes, and the clarity gate on the text as sent. It records nothing.
func (tx *Tx) renderReply(e *storedEnquiry, in *enquiry.ReplyInput, kind string, extra map[string]string) (*enquiry.Reply, int64, int64, error) {
	for _, k := range systemValues {
		if _, ok := in.Personalisation[k]; ok {
			return nil, 0, 0, tether.Invalid("personalisation."+k, "is filled in from the enquiry: leave it out")
		}
	}
	t, err := tx.loadTemplate(`key = ?`, in.TemplateKey, true)
	if tether.ErrorCode(err) == tether.ENOTFOUND {
		return nil, 0, 0, tether.Invalid("template_key", "no template has this key")
	} else if err != nil {
		return nil, 0, 0, err
	}
	if t.Kind != tether.KindEnquiryReply {
		return nil, 0, 0, tether.Invalid("template_key", "choose an enquiry reply template")
	}
	if t.Channel != tether.ChannelEmail && t.Channel != tether.ChannelLetter {
		return nil, 0, 0, tether.Invalid("template_key", "a reply to an office goes by email or letter")
	}
	live := publishedVersions(t)
	langs := make([]string, 0, len(live))
	for l := range live {
		langs = append(langs, l)
	}
	lang := compose.ChooseLanguage(in.Language, langs)
	if lang == "" {
		return nil, 0, 0, tether.Invalid("template_key", "this template has no published version yet")
	}
	if in.Language != "" && !strings.EqualFold(lang, in.Language) {
		return nil, 0, 0, tether.Invalid("language", "this template has no published version in "+tether.LanguageName(in.Language))
	}
	v := live[lang]

	cfg := tx.db.correspondence()
	st := tx.db.EnquiryStandards()
	values := map[string]string{}
	for k, val := range cfg.Defaults {
		values[k] = val
	}
	// A holding reply's values, empty for an answer, so that one template
	// may serve both with conditional text: ((holding??...)).
	values["holding"], values["new_date"], values["holding_reason"] = "", "", ""
	values["mp_name"] = e.OrganisationName
	if team, ok := st.Team(e.Team); ok {
		values["team_name"] = team.Name
	}
	values["person_name"] = e.Subject.Name()
	if values["person_name"] == "" {
		values["person_name"] = "the person with reference " + e.Subject.Ref
	}
	values["consent"] = ""
	if e.Authority.Basis == enquiry.BasisWrittenConsent {
		values["consent"] = "yes"
	}
	for k, val := range in.Personalisation {
		values[k] = val
	}
	today := tx.today()
	values["reference"], values["enquiry_ref"], values["today"] = e.Ref, e.Ref, today.Long()
	if d, err := calendar.ParseDate(e.ReceivedOn); err == nil {
		values["enquiry_date"] = d.Long()
	}
	if d, err := calendar.ParseDate(e.DueOn); err == nil {
		values["due_date"] = d.Long()
	}
	for k, val := range extra {
		values[k] = val
	}
	r := &enquiry.Reply{EnquiryID: e.ID, Kind: kind, TemplateKey: t.Key, TemplateVersion: v.Number, Language: v.Language,
		Channel: t.Channel, SentAt: tx.now, SentOn: today.String(), SentBy: tx.actor.String(), ProofRef: in.ProofRef}
	if r.Content, err = renderField("personalisation", v.Body, values); err != nil {
		return nil, 0, 0, err
	}
	if r.Subject, err = renderField("personalisation", v.Subject, values); err != nil {
		return nil, 0, 0, err
	}

	switch t.Channel {
	case tether.ChannelEmail:
		if len(in.ToAddress) > 0 {
			return nil, 0, 0, tether.Invalid("to_address", "this template is an email: give an email address in to, or leave it out to use the office's email address on record")
		}
		// The address given, else the office's on record, else the
		// office's user who raised the enquiry.
		to := in.To
		if to == "" {
			org, err := tx.loadOrganisation(e.OrganisationID)
			if err != nil {
				return nil, 0, 0, err
			}
			to = org.ReplyEmail
		}
		if to == "" && e.RaisedBy != nil {
			if err := tx.QueryRow(`SELECT email FROM users WHERE id = ?`, *e.RaisedBy).Scan(&to); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, 0, 0, fmt.Errorf("reply: %w", err)
			}
		}
		if to == "" {
			return nil, 0, 0, tether.Invalid("to", "give the office's email address, or record it on the organisation: no user of the office raised this enquiry")
		}
		r.SentTo = []string{to}
	case tether.ChannelLetter:
		if in.To != "" {
			return nil, 0, 0, tether.Invalid("to", "this template is a letter: give the office's postal address in to_address")
		}
		// The address given, else the office's on record.
		address := in.ToAddress
		if len(address) == 0 {
			org, err := tx.loadOrganisation(e.OrganisationID)
			if err != nil {
				return nil, 0, 0, err
			}
			address = org.ReplyAddress
		}
		if len(address) == 0 {
			return nil, 0, 0, tether.Invalid("to_address", "give the office's postal address, or record it on the organisation")
		}
		if err := letterpdf.CheckAddress(address); err != nil {
			reason := err.Error()
			var ae *letterpdf.AddressError
			if errors.As(err, &ae) {
				reason = ae.Reason
			}
			return nil, 0, 0, tether.Invalid("to_address", "the address would be refused for printing: "+reason)
		}
		r.SentTo = append([]string(nil), address...)
	}

	text := r.Content
	if r.Subject != "" {
		text = r.Subject + "\n\n" + r.Content
	}
	// The gate reads the reply as sent, but with the enquiry's reference
	// left as a placeholder: the letters of a random reference would
	// otherwise move the score, so that the same words passed for one
	// enquiry and failed for the next.
	checkText := text
	values["reference"], values["enquiry_ref"] = "((reference))", "((reference))"
	if body, err := renderField("personalisation", v.Body, values); err == nil {
		checkText = body
		if subject, err := renderField("personalisation", v.Subject, values); err == nil && subject != "" {
			checkText = subject + "\n\n" + body
		}
	}
	rep := clarity.Check(checkText, clarity.Options{AsksToAct: t.AsksToAct, Bar: cfg.Bar, Language: v.Language})
	r.ReadingEase, r.Grade, r.PassesBar = rep.ReadingEase, rep.Grade, rep.PassesBar
	if !rep.PassesBar {
		if in.OverrideReason == "" {
			return nil, 0, 0, tether.Invalid("personalisation.reply", "the reply as it would be sent does not meet the clarity bar: "+
				strings.Join(rep.Problems, " ")+" Shorten the sentences and use plainer words.")
		}
		if tx.actor.Role != tether.RoleAdmin {
			return nil, 0, 0, tether.Invalid("override_reason", "only an administrator may send a reply below the clarity bar")
		}
		r.OverrideReason = in.OverrideReason
	}
	sum := sha256.Sum256([]byte(text))
	r.ContentSHA256 = hex.EncodeToString(sum[:])
	return r, t.ID, v.ID, nil
}

// insertReply stores a reply sent.
func (tx *Tx) insertReply(r *enquiry.Reply, templateID, versionID int64) error {
	to, err := json.Marshal(r.SentTo)
	if err != nil {
		return err
	}
	var h enquiry.Holding
	if r.Holding != nil {
		h = *r.Holding
	}
	r.ID, err = tx.InsertID(`INSERT INTO enquiry_replies (enquiry_id, kind, template_id, version_id, template_key, template_version,
		language, channel, sent_to, subject, content, content_sha256, sent_at, sent_on, sent_by, proof_ref,
		holding_reason, holding_outstanding, holding_from, holding_detail, new_date, previous_due_on,
		reading_ease, grade, passes_bar, override_reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.EnquiryID, r.Kind, templateID, versionID, r.TemplateKey, r.TemplateVersion,
		r.Language, r.Channel, string(to), r.Subject, r.Content, r.ContentSHA256, tx.db.ts(r.SentAt), r.SentOn, r.SentBy, r.ProofRef,
		h.Reason, h.Outstanding, h.From, h.Detail, h.NewDate, h.PreviousDueOn,
		r.ReadingEase, r.Grade, r.PassesBar, r.OverrideReason)
	if err != nil || r.ProofRef != "" {
		// With a proof reference the caseworker sent it outside Tether.
		return err
	}
	return tx.queueReply(r)
}

// enquiryReplies lists the replies sent for an enquiry, oldest first.
func (tx *Tx) enquiryReplies(id int64) ([]*enquiry.Reply, error) {
	rows, err := tx.Query(`SELECT r.id, r.enquiry_id, r.kind, r.template_key, r.template_version, r.language, r.channel, r.sent_to, r.subject,
		r.content, r.content_sha256, r.sent_at, r.sent_on, r.sent_by, r.proof_ref, r.holding_reason, r.holding_outstanding, r.holding_from,
		r.holding_detail, r.new_date, r.previous_due_on, r.reading_ease, r.grade, r.passes_bar, r.override_reason,
		o.channel, o.ref, o.state, o.attempts, o.provider_id, o.sent_at, o.last_error
		FROM enquiry_replies r LEFT JOIN reply_outbox o ON o.reply_id = r.id WHERE r.enquiry_id = ? ORDER BY r.id`, id)
	if err != nil {
		return nil, fmt.Errorf("enquiry replies: %w", err)
	}
	defer rows.Close()
	out := []*enquiry.Reply{}
	var refs []string
	for rows.Next() {
		r := &enquiry.Reply{}
		var to string
		var h enquiry.Holding
		var via, ref, state, provider, lastErr sql.NullString
		var attempts sql.NullInt64
		var sentAt *time.Time
		if err := rows.Scan(&r.ID, &r.EnquiryID, &r.Kind, &r.TemplateKey, &r.TemplateVersion, &r.Language, &r.Channel, &to,
			&r.Subject, &r.Content, &r.ContentSHA256, timeScan{&r.SentAt}, &r.SentOn, &r.SentBy, &r.ProofRef,
			&h.Reason, &h.Outstanding, &h.From, &h.Detail, &h.NewDate, &h.PreviousDueOn,
			&r.ReadingEase, &r.Grade, &r.PassesBar, &r.OverrideReason,
			&via, &ref, &state, &attempts, &provider, nullTimeScan{&sentAt}, &lastErr); err != nil {
			return nil, fmt.Errorf("enquiry replies: %w", err)
		}
		if via.Valid {
			r.Delivery = &enquiry.Delivery{Via: via.String, Ref: ref.String, State: deliveryState(state.String),
				Attempts: int(attempts.Int64), ProviderID: provider.String, SentAt: sentAt, LastError: lastErr.String}
		}
		if err := json.Unmarshal([]byte(to), &r.SentTo); err != nil {
			return nil, fmt.Errorf("enquiry reply %d: sent_to: %w", r.ID, err)
		}
		if h.Reason != "" {
			h.ReasonText, h.FromText, h.SentOn = enquiry.ReasonWords(h.Reason), enquiry.FromWords(h.From), r.SentOn
			r.Holding = &h
		}
		out = append(out, r)
		refs = append(refs, r.SentBy)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("enquiry replies: %w", err)
	}
	rows.Close()
	names, err := tx.userNames(refs)
	if err != nil {
		return nil, fmt.Errorf("enquiry replies: %w", err)
	}
	for _, r := range out {
		r.SentByName = names[r.SentBy]
	}
	return out, nil
}

// SendHoldingReply sends a holding reply to the office for an enquiry
// whose answer will miss its date: the reason, what is outstanding and
// from whom, and a new date after the current due date, sent on or before
// it. The new date becomes the date due (the standard's date stays, for
// the figures); the warning and breach are set again for it, and the task
// moves with it. EINVALID (the reply's fields; the clarity bar),
// ENOTFOUND, ECONFLICT (closed or answered; a changed version),
// EFORBIDDEN.
func (db *DB) SendHoldingReply(ctx context.Context, id int64, in enquiry.HoldingReplyInput) (*enquiry.Enquiry, error) {
	if err := in.ReplyInput.Validate(); err != nil {
		return nil, err
	}
	return db.changeEnquiry(ctx, id, in.Version, enquiry.ActionHolding, func(tx *Tx, e *storedEnquiry) ([]taskEventRow, string, error) {
		due, err := calendar.ParseDate(e.DueOn)
		if err != nil {
			return nil, "", fmt.Errorf("enquiry %d: due_on: %w", e.ID, err)
		}
		today := tx.today()
		newDate, err := enquiry.ValidateHolding(&in.HoldingInput, today, due)
		if err != nil {
			return nil, "", err
		}
		words := enquiry.HoldingWords(in.Reason, in.Outstanding, in.From, newDate)
		r, templateID, versionID, err := tx.renderReply(e, &in.ReplyInput, enquiry.ReplyHolding,
			map[string]string{"holding": "yes", "new_date": newDate.Long(), "holding_reason": words})
		if err != nil {
			return nil, "", err
		}
		r.Holding = &enquiry.Holding{Reason: in.Reason, Outstanding: in.Outstanding, From: in.From, Detail: in.Detail,
			NewDate: newDate.String(), PreviousDueOn: e.DueOn, SentOn: today.String()}
		if err := tx.insertReply(r, templateID, versionID); err != nil {
			return nil, "", fmt.Errorf("holding reply: %w", err)
		}
		cal, err := tx.calendarFor(e.Division)
		if err != nil {
			return nil, "", err
		}
		prev := e.DueOn
		e.Holdings++
		e.holdingReplyID = &r.ID
		e.DueOn = newDate.String()
		e.warnOn = enquiry.WarnOn(today, newDate, tx.db.EnquiryStandards().WarnWorkingDays, cal).String()
		e.WarnedAt, e.BreachedAt = nil, nil
		if e.TaskID != nil {
			if err := tx.syncEnquiryTaskDue(*e.TaskID, e.DueOn, "holding reply: new date"); err != nil {
				return nil, "", err
			}
		}
		note := words
		if in.Detail != "" {
			note += " " + in.Detail
		}
		return []taskEventRow{{action: enquiry.EventHoldingReply, from: prev, to: e.DueOn, note: note}},
			"reason=" + in.Reason + " from=" + in.From + " new_date=" + e.DueOn + " reply=" + strconv.FormatInt(r.ID, 10), nil
	})
}

// AnswerEnquiry sends the answer to the office: the enquiry is answered,
// with the working days it took from receipt, whether that was within its
// standard and the late band, and its task is done. Nothing is sent to a
// closed enquiry (reopen it first). EINVALID (the reply's fields; the
// clarity bar), ENOTFOUND, ECONFLICT (not assigned; answered or closed; a
// changed version), EFORBIDDEN.
func (db *DB) AnswerEnquiry(ctx context.Context, id int64, in enquiry.ReplyInput) (*enquiry.Enquiry, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return db.changeEnquiry(ctx, id, in.Version, enquiry.ActionAnswer, func(tx *Tx, e *storedEnquiry) ([]taskEventRow, string, error) {
		r, templateID, versionID, err := tx.renderReply(e, &in, enquiry.ReplyAnswer, nil)
		if err != nil {
			return nil, "", err
		}
		if err := tx.insertReply(r, templateID, versionID); err != nil {
			return nil, "", fmt.Errorf("answer: %w", err)
		}
		cal, err := tx.calendarFor(e.Division)
		if err != nil {
			return nil, "", err
		}
		received, err := calendar.ParseDate(e.ReceivedOn)
		if err != nil {
			return nil, "", fmt.Errorf("enquiry %d: received_on: %w", e.ID, err)
		}
		today := tx.today()
		days := enquiry.WorkingDaysTaken(received, today, cal)
		within := days <= e.StandardDays
		from := e.State
		e.State, e.AnsweredOn, e.WorkingDaysTaken, e.WithinStandard = enquiry.StateAnswered, today.String(), &days, &within
		e.LateBand, e.answerReplyID = enquiry.LateBand(days, e.StandardDays), &r.ID
		how := "Answered by " + r.Channel + " after " + strconv.Itoa(days) + " working days"
		if within {
			how += ", within the standard of " + strconv.Itoa(e.StandardDays) + "."
		} else {
			how += ", late: the standard is " + strconv.Itoa(e.StandardDays) + "."
		}
		if e.TaskID != nil {
			if err := tx.closeEnquiryTask(*e.TaskID, tether.TaskActionDone, "Answered: "+e.Ref+", reply sent by "+r.Channel+"."); err != nil {
				return nil, "", err
			}
		}
		return []taskEventRow{{action: enquiry.EventAnswered, from: from, to: e.State, note: how}},
			"days=" + strconv.Itoa(days) + " band=" + e.LateBand + " channel=" + r.Channel + " reply=" + strconv.FormatInt(r.ID, 10), nil
	})
}
