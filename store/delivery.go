package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/calendar"
)

// deliveryActor is the actor for channel reports from source.
func deliveryActor(source string) tether.Actor {
	return tether.Actor{Role: tether.RoleAdmin, Label: "system:" + source, PersonalData: true}
}

// findReported locks the notice a report names: by provider id, else by
// reference. ENOTFOUND.
func (tx *Tx) findReported(providerID, ref string) (*storedNotice, error) {
	if providerID != "" {
		n, err := tx.loadNotice(`n.provider_id = ?`, true, providerID)
		if err == nil || tether.ErrorCode(err) != tether.ENOTFOUND || ref == "" {
			return n, err
		}
	}
	return tx.loadNotice(`n.ref = ?`, true, ref)
}

// RecordDelivery records a channel's report about a notice, with
// tether.ApplyStatus deciding what it does: every report is kept on the
// notice's timeline, even one that does not move the notice (a late
// "sending" after "delivered"); the same status at the same time again is
// a repeat and adds nothing. A letter's "received" (printed and posted)
// sets the day of posting and the deemed-served date by the bank holidays
// of the destination's division. A report that the contact point failed
// (a permanent failure) marks the point failed, opens a task and raises a
// contact-lapse signal, once per notice. It runs as the system
// ("system:<source>") unless ctx carries an admin actor. It returns the
// notice as stored. EINVALID (unknown status, no id), ENOTFOUND.
func (db *DB) RecordDelivery(ctx context.Context, d tether.DeliveryReport) (*tether.Notice, error) {
	d.ProviderID, d.Ref, d.Status = strings.TrimSpace(d.ProviderID), strings.TrimSpace(d.Ref), strings.TrimSpace(d.Status)
	d.Source, d.Detail = strings.TrimSpace(d.Source), clip(strings.TrimSpace(d.Detail), 500)
	if d.Source == "" {
		d.Source = "notify-callback"
	}
	q := tether.Problems{}
	if d.ProviderID == "" && d.Ref == "" {
		q.Add("provider_id", "give the channel's id for the notice or its reference")
	}
	if !tether.KnownStatus(d.Status) {
		q.Add("status", "unknown delivery status")
	}
	if len(d.Source) > 50 {
		q.Add("source", "must be 50 characters or fewer")
	}
	if err := q.Err(); err != nil {
		return nil, err
	}
	ctx, err := systemCtx(ctx, deliveryActor(d.Source))
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("record delivery: %w", err)
	}
	defer tx.rollback()
	n, err := tx.findReported(d.ProviderID, d.Ref)
	if err != nil {
		return nil, err
	}
	at := d.At.UTC().Truncate(time.Microsecond)
	if d.At.IsZero() {
		at = tx.now
	}
	if err := tx.applyReport(n, d.Status, at, d.Source, d.Detail, d.ProviderID); err != nil {
		var te *tether.Error
		if errors.As(err, &te) {
			return nil, err
		}
		return nil, fmt.Errorf("record delivery: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("record delivery: %w", err)
	}
	return n.Notice, nil
}

// applyReport applies a channel status reported at at to a locked notice.
func (tx *Tx) applyReport(n *storedNotice, status string, at time.Time, source, detail, providerID string) error {
	var seen int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM notice_events WHERE notice_id = ? AND status = ? AND reported_at = ?`,
		n.ID, status, tx.db.ts(at)).Scan(&seen); err != nil {
		return err
	}
	if seen > 0 {
		return nil // a repeat: already on the timeline
	}
	if status == tether.StatusReturned && n.Method != tether.MethodPost {
		return tether.Invalid("status", "only a posted letter can come back: this notice went by "+n.Method)
	}
	eff, err := tether.ApplyStatus(n.State, status)
	if err != nil {
		return err
	}
	if n.ProviderID == "" && providerID != "" {
		// The report came before the dispatcher recorded the send.
		n.ProviderID = providerID
	}
	if eff.Moved {
		n.State = eff.State
	}
	if eff.Posted && n.Method == tether.MethodPost && n.PostedOn == "" {
		day := calendar.FromTime(at, tx.db.correspondence().Location)
		n.PostedOn = day.String()
		if n.DeemedServed == "" {
			if err := tx.setDeemed(n, day); err != nil {
				return err
			}
		}
	}
	if n.SentAt == nil && eff.Moved && n.State != tether.NoticeCancelled {
		sent := at
		n.SentAt = &sent
	}
	if err := tx.saveNotice(n); err != nil {
		return err
	}
	words := "reported " + status
	if eff.Moved {
		words += "; the notice is now " + n.State
	} else {
		words += "; the notice stays " + n.State
	}
	if detail != "" {
		words += ": " + detail
	}
	if err := tx.noticeEvent(n.ID, status, n.State, source, words, &at); err != nil {
		return err
	}
	tx.Audit("notice.delivery", "notice", n.ID, "status="+status+" state="+n.State+" moved="+strconv.FormatBool(eff.Moved))
	if eff.ContactFailed {
		return tx.contactFailed(n, "the channel reported "+status)
	}
	return nil
}

// RecordReturnedLetter records that a posted letter came back: the notice
// is returned, its address is marked failed, a caseworker gets a task and a
// contact-lapse signal is raised (once per notice; a repeated report adds
// nothing). EINVALID (no id, a bad date, not a letter), ENOTFOUND.
func (db *DB) RecordReturnedLetter(ctx context.Context, r tether.ReturnedLetter) (*tether.Notice, error) {
	r.ProviderID, r.Ref, r.ReturnedOn = strings.TrimSpace(r.ProviderID), strings.TrimSpace(r.Ref), strings.TrimSpace(r.ReturnedOn)
	r.Detail = clip(strings.TrimSpace(r.Detail), 500)
	q := tether.Problems{}
	if r.ProviderID == "" && r.Ref == "" {
		q.Add("provider_id", "give the channel's id for the letter or its reference")
	}
	day, err := calendar.ParseDate(r.ReturnedOn)
	if err != nil {
		q.Add("returned_on", "enter the date the letter came back as YYYY-MM-DD")
	}
	if err := q.Err(); err != nil {
		return nil, err
	}
	const source = "returned-letter"
	ctx, err = systemCtx(ctx, deliveryActor(source))
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("record returned letter: %w", err)
	}
	defer tx.rollback()
	if day.After(tx.today()) {
		return nil, tether.Invalid("returned_on", "must be today or in the past")
	}
	n, err := tx.findReported(r.ProviderID, r.Ref)
	if err != nil {
		return nil, err
	}
	// The day is the report's time, so that a repeated report is known.
	at := time.Date(day.Year, day.Month, day.Day, 0, 0, 0, 0, time.UTC)
	detail := "returned on " + day.String()
	if r.Detail != "" {
		detail += ": " + r.Detail
	}
	if err := tx.applyReport(n, tether.StatusReturned, at, source, detail, r.ProviderID); err != nil {
		var te *tether.Error
		if errors.As(err, &te) {
			return nil, err
		}
		return nil, fmt.Errorf("record returned letter: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("record returned letter: %w", err)
	}
	return n.Notice, nil
}

// pollChannels are the channels that can be asked about a notice.
var pollChannels = []any{tether.SendNotifyEmail, tether.SendNotifySMS, tether.SendNotifyLetter}

// NoticesToPoll takes up to n notices to ask their channel about: sent
// through GOV.UK Notify, not yet in a final state, with no event and no
// poll for olderThan. Taking them marks them polled now, so that many
// pollers share the work and a notice that stays "sent" for days (a letter
// waiting to be printed) is asked about every olderThan, not in every round
// ahead of the others. Marking is bookkeeping, not a change to the notice:
// nothing goes on its timeline or in the audit log until a report does.
func (db *DB) NoticesToPoll(ctx context.Context, olderThan time.Duration, n int) ([]*tether.Notice, error) {
	ctx, err := systemCtx(ctx, deliveryActor("notify-poll"))
	if err != nil {
		return nil, err
	}
	if n < 1 || n > maxClaim {
		return nil, tether.Invalid("n", "must be between 1 and "+strconv.Itoa(maxClaim))
	}
	if olderThan < 0 {
		return nil, tether.Invalid("older_than", "must be 0 or more")
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("notices to poll: %w", err)
	}
	defer tx.rollback()
	cutoff := tx.db.ts(tx.now.Add(-olderThan))
	lock := ``
	if db.Dialect == Postgres {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	rows, err := tx.Query(`SELECT id FROM notices WHERE state = ? AND provider_id <> '' AND channel IN (?, ?, ?)
		AND last_event_at <= ? AND (polled_at IS NULL OR polled_at <= ?)
		ORDER BY COALESCE(polled_at, last_event_at), id LIMIT `+strconv.Itoa(n)+lock,
		append([]any{tether.NoticeSent}, append(pollChannels, cutoff, cutoff)...)...)
	if err != nil {
		return nil, fmt.Errorf("notices to poll: %w", err)
	}
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("notices to poll: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("notices to poll: %w", err)
	}
	rows.Close()
	out := []*tether.Notice{}
	if len(ids) == 0 {
		return out, nil
	}
	if _, err := tx.queryVarExec(`UPDATE notices SET polled_at = ? WHERE id IN (`+placeholders(len(ids))+`)`,
		append([]any{tx.db.ts(tx.now)}, ids...)...); err != nil {
		return nil, fmt.Errorf("notices to poll: %w", err)
	}
	nrows, err := tx.queryVar(`SELECT `+noticeCols+noticeFrom+` WHERE n.id IN (`+placeholders(len(ids))+`) ORDER BY n.id`, ids...)
	if err != nil {
		return nil, fmt.Errorf("notices to poll: %w", err)
	}
	defer nrows.Close()
	for nrows.Next() {
		sn, err := scanNotice(nrows)
		if err != nil {
			return nil, fmt.Errorf("notices to poll: %w", err)
		}
		out = append(out, sn.Notice)
	}
	if err := nrows.Err(); err != nil {
		return nil, fmt.Errorf("notices to poll: %w", err)
	}
	nrows.Close()
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("notices to poll: %w", err)
	}
	return out, nil
}
