package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"tether"
)

// Compile-time check that *DB is a tether.OutboxService.
var _ tether.OutboxService = (*DB)(nil)

// DispatcherActor is the actor of the outbox methods when the context
// carries none.
var DispatcherActor = tether.Actor{Role: tether.RoleAdmin, Label: "system:dispatcher", PersonalData: true}

// systemCtx returns ctx carrying the actor for work the system does on
// its own account: the actor ctx carries, which must be an admin (system
// actors are), else def.
func systemCtx(ctx context.Context, def tether.Actor) (context.Context, error) {
	if a, ok := tether.ActorFromContext(ctx); ok {
		if a.Role != tether.RoleAdmin {
			return ctx, tether.Errorf(tether.EFORBIDDEN, "Only the system may do this.")
		}
		return ctx, nil
	}
	return tether.NewContextWithActor(ctx, def), nil
}

// maxClaim bounds one claim.
const maxClaim = 1000

const outboxCols = `id, notice_id, channel, ref, state, attempts, next_attempt_at, leased_by, lease_until, last_error,
	prior_unknown, created_at, updated_at`

func scanOutboxItem(row rowScanner, extra ...any) (*tether.OutboxItem, error) {
	it := &tether.OutboxItem{}
	dest := append([]any{&it.ID, &it.NoticeID, &it.Channel, &it.Ref, &it.State, &it.Attempts, timeScan{&it.NextAttemptAt},
		&it.LeasedBy, nullTimeScan{&it.LeaseUntil}, &it.LastError, &it.PriorUnknown, timeScan{&it.CreatedAt},
		timeScan{&it.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	return it, nil
}

// claimed is an item as a claim took it, with its state before.
type claimed struct {
	item     *tether.OutboxItem
	wasState string
	wasBy    string
}

// ClaimOutbox leases up to n due items of the given channels (all when
// empty) to worker for lease, oldest due first, with their notices. An
// item is due when it waits (pending, or unknown after an attempt whose
// outcome is not known) and its next attempt is now or past, or when
// another dispatcher's lease on it has run out; channels paused until after
// now are skipped. A claim counts an attempt: Attempts is the number of
// this attempt. An item whose lease ran out is claimed with PriorUnknown
// set, since the dispatcher that held it may have sent it.
//
// On PostgreSQL the due rows are chosen with FOR UPDATE SKIP LOCKED, so
// that any number of instances claim at once without waiting for, or
// taking, each other's items. SQLite has one writer, and a claim's
// transaction holds it throughout.
func (db *DB) ClaimOutbox(ctx context.Context, worker string, channels []string, n int, lease time.Duration) ([]*tether.OutboxItem, error) {
	ctx, err := systemCtx(ctx, DispatcherActor)
	if err != nil {
		return nil, err
	}
	worker = strings.TrimSpace(worker)
	if err := checkClaim(worker, channels, n, lease); err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	defer tx.rollback()
	now := tx.db.ts(tx.now)
	got, err := tx.leaseDue("outbox", outboxCols, worker, channels, n, lease)
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	if len(got) == 0 {
		return []*tether.OutboxItem{}, nil
	}

	// The notices: loaded, moved to sending, each with an event.
	ids := make([]any, len(got))
	for i, c := range got {
		ids[i] = c.item.NoticeID
	}
	notices := map[int64]*storedNotice{}
	rows, err := tx.queryVar(`SELECT `+noticeCols+noticeFrom+` WHERE n.id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	for rows.Next() {
		sn, err := scanNotice(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("claim outbox: %w", err)
		}
		notices[sn.ID] = sn
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	rows.Close()
	var events []any
	var moved []any
	items := make([]*tether.OutboxItem, len(got))
	for i, c := range got {
		it := c.item
		sn := notices[it.NoticeID]
		if sn == nil {
			return nil, fmt.Errorf("claim outbox: item %d: notice %d is missing", it.ID, it.NoticeID)
		}
		status, detail := eventClaimed, "claimed by "+worker+", attempt "+strconv.Itoa(it.Attempts)
		if c.wasState == tether.OutboxLeased {
			status = eventLeaseExpired
			detail = "the lease of " + c.wasBy + " ran out; the outcome of that attempt is unknown, so the channel is asked for the reference before sending again; " + detail
		}
		if sn.State == tether.NoticeQueued {
			sn.State = tether.NoticeSending
			sn.Version++
			sn.UpdatedAt = tx.now
			moved = append(moved, sn.ID)
		}
		events = append(events, sn.ID, now, status, sn.State, sourceDispatcher, detail, tx.actor.String())
		tx.Audit("outbox.claim", "notice", sn.ID, "item="+strconv.FormatInt(it.ID, 10)+" channel="+it.Channel+
			" attempt="+strconv.Itoa(it.Attempts))
		it.Notice = sn.Notice
		items[i] = it
	}
	if len(moved) > 0 {
		if _, err := tx.queryVarExec(`UPDATE notices SET state = ?, updated_at = ?, last_event_at = ?, version = version + 1
			WHERE state = ? AND id IN (`+placeholders(len(moved))+`)`,
			append([]any{tether.NoticeSending, now, now, tether.NoticeQueued}, moved...)...); err != nil {
			return nil, fmt.Errorf("claim outbox: %w", err)
		}
	}
	if err := tx.bulkInsert(`INSERT INTO notice_events (notice_id, at, status, state, source, detail, actor) VALUES `,
		``, 7, events, nil); err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	return items, nil
}

// checkClaim checks a claim's worker (trimmed), channels, size and lease.
func checkClaim(worker string, channels []string, n int, lease time.Duration) error {
	q := tether.Problems{}
	if worker == "" || len(worker) > 200 {
		q.Add("worker", "name the worker, in 200 characters or fewer")
	}
	if n < 1 || n > maxClaim {
		q.Add("n", "must be between 1 and "+strconv.Itoa(maxClaim))
	}
	if lease < time.Second {
		q.Add("lease", "must be a second or more")
	}
	for _, c := range channels {
		if c == tether.SendHand || c == tether.SendFile {
			q.Add("channels", "hand and file are never dispatched")
		}
	}
	return q.Err()
}

// leaseDue leases to worker, for lease, up to n due items of a sending
// table (outbox, reply_outbox; cols are its columns as scanOutboxItem
// reads them) of the given channels (all when empty), oldest due first.
// An item is due when it waits (pending, or unknown after an attempt whose
// outcome is not known) and its next attempt is now or past, or when
// another dispatcher's lease on it has run out; channels paused until
// after now are skipped. On PostgreSQL the due rows are chosen with FOR
// UPDATE SKIP LOCKED; SQLite's write transaction holds the one writer.
func (tx *Tx) leaseDue(table, cols, worker string, channels []string, n int, lease time.Duration) ([]claimed, error) {
	now, until := tx.db.ts(tx.now), tx.db.ts(tx.now.Add(lease))

	cond := `((state IN ('pending', 'unknown') AND next_attempt_at <= ?) OR (state = 'leased' AND lease_until <= ?))
		AND channel NOT IN (SELECT channel FROM channel_state WHERE paused_until IS NOT NULL AND paused_until > ?)`
	condArgs := []any{now, now, now}
	if len(channels) > 0 {
		cond += ` AND channel IN (` + placeholders(len(channels)) + `)`
		for _, c := range channels {
			condArgs = append(condArgs, c)
		}
	}
	set := `state = 'leased', leased_by = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?`
	setArgs := []any{worker, until, now}

	var got []claimed
	scanRows := func(rows *sql.Rows, withWas bool) error {
		defer rows.Close()
		for rows.Next() {
			var c claimed
			var extra []any
			if withWas {
				extra = []any{&c.wasState, &c.wasBy}
			}
			it, err := scanOutboxItem(rows, extra...)
			if err != nil {
				return err
			}
			c.item = it
			got = append(got, c)
		}
		return rows.Err()
	}
	if tx.db.Dialect == Postgres {
		// One statement: choose and lock the due rows, skipping rows that
		// another claim has locked, and lease them.
		stmt := `WITH due AS (
				SELECT id, state AS was_state, leased_by AS was_by FROM ` + table + ` WHERE ` + cond + `
				ORDER BY next_attempt_at, id LIMIT ` + strconv.Itoa(n) + ` FOR UPDATE SKIP LOCKED)
			UPDATE ` + table + ` o SET ` + set + `, prior_unknown = (o.prior_unknown OR due.was_state = 'leased')
			FROM due WHERE o.id = due.id
			RETURNING ` + prefixCols("o.", cols) + `, due.was_state, due.was_by`
		rows, err := tx.queryVar(stmt, append(condArgs, setArgs...)...)
		if err != nil {
			return nil, err
		}
		if err := scanRows(rows, true); err != nil {
			return nil, err
		}
	} else {
		// The write transaction is IMMEDIATE: nothing else writes between
		// the choice and the lease.
		rows, err := tx.queryVar(`SELECT id, state, leased_by FROM `+table+` WHERE `+cond+`
			ORDER BY next_attempt_at, id LIMIT `+strconv.Itoa(n), condArgs...)
		if err != nil {
			return nil, err
		}
		was := map[int64][2]string{}
		var ids []any
		for rows.Next() {
			var id int64
			var st, by string
			if err := rows.Scan(&id, &st, &by); err != nil {
				rows.Close()
				return nil, err
			}
			was[id] = [2]string{st, by}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		rows.Close()
		if len(ids) > 0 {
			rows, err := tx.queryVar(`UPDATE `+table+` SET `+set+`, prior_unknown = (prior_unknown OR state = 'leased')
				WHERE id IN (`+placeholders(len(ids))+`) RETURNING `+cols, append(setArgs, ids...)...)
			if err != nil {
				return nil, err
			}
			if err := scanRows(rows, false); err != nil {
				return nil, err
			}
			for i := range got {
				w := was[got[i].item.ID]
				got[i].wasState, got[i].wasBy = w[0], w[1]
			}
		}
	}
	sort.Slice(got, func(i, j int) bool {
		a, b := got[i].item, got[j].item
		if !a.NextAttemptAt.Equal(b.NextAttemptAt) {
			return a.NextAttemptAt.Before(b.NextAttemptAt)
		}
		return a.ID < b.ID
	})
	return got, nil
}

// queryVarExec runs a statement of varying text, as queryVar.
func (tx *Tx) queryVarExec(q string, args ...any) (int64, error) {
	rows, err := tx.queryVar(q, args...)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return 0, rows.Close()
}

// prefixCols puts prefix before each column of a comma-separated list.
func prefixCols(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// leasedItem locks an item and checks that worker holds it: ECONFLICT
// otherwise, so that a dispatcher whose lease ran out and was claimed by
// another cannot overwrite that one's outcome. A lease that ran out but
// was not claimed again still belongs to its worker: what it reports is
// true, and better kept than sent again.
func (tx *Tx) leasedItem(itemID int64, worker string) (*tether.OutboxItem, *storedNotice, error) {
	q := `SELECT ` + outboxCols + ` FROM outbox WHERE id = ?`
	if tx.db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	it, err := scanOutboxItem(tx.QueryRow(q, itemID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, tether.Errorf(tether.ENOTFOUND, "Outbox item not found.")
	} else if err != nil {
		return nil, nil, fmt.Errorf("outbox item: %w", err)
	}
	if it.State != tether.OutboxLeased || it.LeasedBy != worker {
		return nil, nil, tether.Errorf(tether.ECONFLICT, "Outbox item %d is not leased by %s (it is %s): its outcome was not recorded.",
			it.ID, worker, it.State)
	}
	n, err := tx.loadNotice(`n.id = ?`, true, it.NoticeID)
	if err != nil {
		return nil, nil, err
	}
	return it, n, nil
}

// outboxWrite runs f on a leased item in one transaction as the system.
func (db *DB) outboxWrite(ctx context.Context, op string, itemID int64, worker string,
	f func(tx *Tx, it *tether.OutboxItem, n *storedNotice) error) error {
	ctx, err := systemCtx(ctx, DispatcherActor)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	it, n, err := tx.leasedItem(itemID, worker)
	if err != nil {
		return err
	}
	if err := f(tx, it, n); err != nil {
		var te *tether.Error
		if errors.As(err, &te) {
			return err
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// OutboxSent records that the channel accepted the item, with the
// channel's id for it. The notice is sent (unless a delivery report got
// there first and took it further). Email and text messages are deemed
// served on the day sent, in the correspondence location. A letter for
// the department's own post room (tether.SendPrint) is printed and posted
// the same day, so the day of printing counts as the day of posting and the
// notice is delivered (posted); a GOV.UK Notify letter waits for its
// "received" report, which says when it was printed and posted.
func (db *DB) OutboxSent(ctx context.Context, itemID int64, worker, providerID string) error {
	providerID = strings.TrimSpace(providerID)
	if len(providerID) > 200 {
		return tether.Invalid("provider_id", "must be 200 characters or fewer")
	}
	return db.outboxWrite(ctx, "outbox sent", itemID, worker, func(tx *Tx, it *tether.OutboxItem, n *storedNotice) error {
		return tx.markSent(it, n, worker, providerID)
	})
}

// OutboxSentMany records, as OutboxSent does each, that the channels
// accepted the items: in one transaction, so that a dispatcher sending
// thousands a second does not wait on a commit for each. All are recorded
// or, on any error (an item no longer leased to worker, say), none.
func (db *DB) OutboxSentMany(ctx context.Context, worker string, sent []tether.Accepted) error {
	for _, s := range sent {
		if len(strings.TrimSpace(s.ProviderID)) > 200 {
			return tether.Invalid("provider_id", "must be 200 characters or fewer")
		}
	}
	if len(sent) == 0 {
		return nil
	}
	ctx, err := systemCtx(ctx, DispatcherActor)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("outbox sent: %w", err)
	}
	defer tx.rollback()
	for _, s := range sent {
		it, n, err := tx.leasedItem(s.ItemID, worker)
		if err != nil {
			return err
		}
		if err := tx.markSent(it, n, worker, strings.TrimSpace(s.ProviderID)); err != nil {
			return fmt.Errorf("outbox sent: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("outbox sent: %w", err)
	}
	return nil
}

// markSent records in tx that the channel accepted a leased item.
func (tx *Tx) markSent(it *tether.OutboxItem, n *storedNotice, worker, providerID string) error {
	if _, err := tx.Exec(`UPDATE outbox SET state = ?, lease_until = NULL, last_error = '', prior_unknown = ?, updated_at = ?
		WHERE id = ?`, tether.OutboxDone, false, tx.db.ts(tx.now), it.ID); err != nil {
		return err
	}
	if n.ProviderID == "" {
		n.ProviderID = providerID
	}
	if n.SentAt == nil {
		now := tx.now
		n.SentAt = &now
	}
	status, detail := eventSent, "accepted by "+it.Channel+" (attempt "+strconv.Itoa(it.Attempts)+", "+worker+")"
	if eff, err := tether.ApplyStatus(n.State, tether.StatusSent); err == nil && eff.Moved {
		n.State = eff.State
	}
	switch {
	case it.Channel == tether.SendPrint && n.Method == tether.MethodPost:
		status = eventPrinted
		detail = "printed for the post room by " + worker + "; the day of printing counts as the day of posting"
		if n.State == tether.NoticeSent {
			n.State = tether.NoticeDelivered
		}
		if n.PostedOn == "" {
			n.PostedOn = tx.today().String()
			if err := tx.setDeemed(n, tx.today()); err != nil {
				return err
			}
		}
	case (n.Method == tether.MethodEmail || n.Method == tether.MethodSMS) && n.DeemedServed == "" &&
		(n.State == tether.NoticeSent || n.State == tether.NoticeDelivered):
		if err := tx.setDeemed(n, tx.today()); err != nil {
			return err
		}
	}
	if err := tx.saveNotice(n); err != nil {
		return err
	}
	if err := tx.noticeEvent(n.ID, status, n.State, sourceDispatcher, detail, nil); err != nil {
		return err
	}
	tx.Audit("notice.sent", "notice", n.ID, "item="+strconv.FormatInt(it.ID, 10)+" channel="+it.Channel+" state="+n.State)
	return nil
}

// OutboxRetry records a temporary failure (or an item given back untried)
// and when to try again (now, if at is past). unknownOutcome says the
// attempt may have reached the channel: the item waits as unknown, and the
// next claim asks the channel for the reference before sending again. The
// attempt was counted when the item was claimed. The notice goes back to
// queued unless a delivery report took it further.
func (db *DB) OutboxRetry(ctx context.Context, itemID int64, worker, reason string, at time.Time, unknownOutcome bool) error {
	reason = clip(strings.TrimSpace(reason), 500)
	if reason == "" {
		return tether.Invalid("reason", "say why the item is to be tried again")
	}
	return db.outboxWrite(ctx, "outbox retry", itemID, worker, func(tx *Tx, it *tether.OutboxItem, n *storedNotice) error {
		next, state, err := tx.retryItem("outbox", it.ID, reason, at, unknownOutcome)
		if err != nil {
			return err
		}
		if n.State == tether.NoticeSending {
			n.State = tether.NoticeQueued
		}
		if err := tx.saveNotice(n); err != nil {
			return err
		}
		detail := "attempt " + strconv.Itoa(it.Attempts) + " by " + worker + ": " + reason + "; next attempt at " + next.Format(time.RFC3339)
		if unknownOutcome {
			detail += "; the outcome is unknown, so the channel will be asked for the reference first"
		}
		if err := tx.noticeEvent(n.ID, eventRetry, n.State, sourceDispatcher, detail, nil); err != nil {
			return err
		}
		tx.Audit("notice.retry", "notice", n.ID, "item="+strconv.FormatInt(it.ID, 10)+" outbox_state="+state)
		return nil
	})
}

// retryItem sets a leased item of a sending table (outbox, reply_outbox)
// to wait for its next attempt at at (now, if at is past), as unknown when
// the last attempt's outcome is, and returns when and in what state.
func (tx *Tx) retryItem(table string, id int64, reason string, at time.Time, unknownOutcome bool) (time.Time, string, error) {
	next := at.UTC().Truncate(time.Microsecond)
	if next.Before(tx.now) {
		next = tx.now
	}
	state := tether.OutboxPending
	if unknownOutcome {
		state = tether.OutboxUnknown
	}
	_, err := tx.Exec(`UPDATE `+table+` SET state = ?, next_attempt_at = ?, lease_until = NULL, last_error = ?,
		prior_unknown = ?, updated_at = ? WHERE id = ?`,
		state, tx.db.ts(next), reason, unknownOutcome, tx.db.ts(tx.now), id)
	return next, state, err
}

// OutboxFail records a permanent failure: the item and the notice fail and
// a task joins the contact management queue, in one transaction. When
// contactFault (the channel refused the contact point itself) the point is
// also marked failed and a contact-lapse signal is raised; otherwise the
// failure is the channel's and the person's contact details stand.
func (db *DB) OutboxFail(ctx context.Context, itemID int64, worker, reason string, contactFault bool) error {
	reason = clip(strings.TrimSpace(reason), 500)
	if reason == "" {
		return tether.Invalid("reason", "say why the notice failed")
	}
	return db.outboxWrite(ctx, "outbox fail", itemID, worker, func(tx *Tx, it *tether.OutboxItem, n *storedNotice) error {
		if _, err := tx.Exec(`UPDATE outbox SET state = ?, lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ?`,
			tether.OutboxFailed, reason, tx.db.ts(tx.now), it.ID); err != nil {
			return err
		}
		if !tether.FinalState(n.State) {
			n.State = tether.NoticeFailed
		}
		if err := tx.saveNotice(n); err != nil {
			return err
		}
		if err := tx.noticeEvent(n.ID, eventFailed, n.State, sourceDispatcher,
			"attempt "+strconv.Itoa(it.Attempts)+" by "+worker+": "+reason, nil); err != nil {
			return err
		}
		tx.Audit("notice.fail", "notice", n.ID, "item="+strconv.FormatInt(it.ID, 10)+" channel="+it.Channel+
			" contact_fault="+strconv.FormatBool(contactFault))
		if contactFault {
			return tx.contactFailed(n, reason)
		}
		nid := n.ID
		return tx.openTask(&tether.Task{Queue: tether.QueueContact, Priority: tether.PriorityHigh,
			PersonID: n.PersonID, Kind: TaskSendFailed, SubjectKind: tether.SubjectNotice, SubjectID: nid,
			NoticeID: &nid, ContactPointID: n.ContactPointID,
			Summary: "Notice " + n.Ref + " (" + n.TemplateKey + ") could not be sent through " + it.Channel + " (" + reason +
				"). The contact details were not at fault: send it again, or by another method."})
	})
}

// ChannelSucceeded records that a channel worked: its failures reset and
// any pause ends.
func (db *DB) ChannelSucceeded(ctx context.Context, channel string) error {
	ctx, err := systemCtx(ctx, DispatcherActor)
	if err != nil {
		return err
	}
	if err := checkChannel(channel); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("channel succeeded: %w", err)
	}
	defer tx.rollback()
	now := tx.db.ts(tx.now)
	var failures int
	var paused *time.Time
	err = tx.QueryRow(`SELECT consecutive_failures, paused_until FROM channel_state WHERE channel = ?`+forUpdate(tx), channel).
		Scan(&failures, nullTimeScan{&paused})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.Exec(`INSERT INTO channel_state (channel, last_success_at, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (channel) DO UPDATE SET consecutive_failures = 0, paused_until = NULL, last_success_at = ?, updated_at = ?`,
			channel, now, now, now, now); err != nil {
			return fmt.Errorf("channel succeeded: %w", err)
		}
	case err != nil:
		return fmt.Errorf("channel succeeded: %w", err)
	default:
		if _, err := tx.Exec(`UPDATE channel_state SET consecutive_failures = 0, paused_until = NULL, last_success_at = ?,
			updated_at = ? WHERE channel = ?`, now, now, channel); err != nil {
			return fmt.Errorf("channel succeeded: %w", err)
		}
		if failures > 0 || paused != nil {
			tx.Audit("channel.recovered", "channel", 0, "channel="+channel+" after_failures="+strconv.Itoa(failures))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("channel succeeded: %w", err)
	}
	return nil
}

func forUpdate(tx *Tx) string {
	if tx.db.Dialect == Postgres {
		return ` FOR UPDATE`
	}
	return ``
}

// checkChannel checks a sending channel's name.
func checkChannel(channel string) error {
	switch channel {
	case tether.SendNotifyEmail, tether.SendNotifySMS, tether.SendNotifyLetter, tether.SendSMTP, tether.SendPrint:
		return nil
	}
	return tether.Invalid("channel", "must be one of notify-email, notify-sms, notify-letter, smtp, print")
}

// ChannelFailed records a failure of a channel (reason without personal
// data). When its consecutive failures reach pauseAfter (0: never) and it
// is not paused already, it is paused for pauseFor: claims skip it until
// then. The first failure after a pause ends pauses it again.
func (db *DB) ChannelFailed(ctx context.Context, channel, reason string, pauseAfter int, pauseFor time.Duration) error {
	ctx, err := systemCtx(ctx, DispatcherActor)
	if err != nil {
		return err
	}
	if err := checkChannel(channel); err != nil {
		return err
	}
	reason = clip(strings.TrimSpace(reason), 500)
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("channel failed: %w", err)
	}
	defer tx.rollback()
	now := tx.db.ts(tx.now)
	var failures int
	var paused *time.Time
	if err := tx.QueryRow(`INSERT INTO channel_state (channel, consecutive_failures, last_error, last_failure_at, updated_at)
		VALUES (?, 1, ?, ?, ?)
		ON CONFLICT (channel) DO UPDATE SET consecutive_failures = channel_state.consecutive_failures + 1,
			last_error = excluded.last_error, last_failure_at = excluded.last_failure_at, updated_at = excluded.updated_at
		RETURNING consecutive_failures, paused_until`, channel, reason, now, now).Scan(&failures, nullTimeScan{&paused}); err != nil {
		return fmt.Errorf("channel failed: %w", err)
	}
	if pauseAfter > 0 && failures >= pauseAfter && pauseFor > 0 && (paused == nil || !paused.After(tx.now)) {
		until := tx.now.Add(pauseFor)
		if _, err := tx.Exec(`UPDATE channel_state SET paused_until = ? WHERE channel = ?`, tx.db.ts(until), channel); err != nil {
			return fmt.Errorf("channel failed: %w", err)
		}
		tx.Audit("channel.pause", "channel", 0, "channel="+channel+" failures="+strconv.Itoa(failures)+
			" until="+until.Format(time.RFC3339))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("channel failed: %w", err)
	}
	return nil
}

// ResumeChannel ends a channel's pause and resets its failures, for an
// admin who has fixed the cause. ENOTFOUND (no state for the channel),
// EINVALID, EFORBIDDEN.
func (db *DB) ResumeChannel(ctx context.Context, channel string) error {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return err
	}
	if err := checkChannel(channel); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("resume channel: %w", err)
	}
	defer tx.rollback()
	res, err := tx.Exec(`UPDATE channel_state SET paused_until = NULL, consecutive_failures = 0, updated_at = ? WHERE channel = ?`,
		tx.db.ts(tx.now), channel)
	if err != nil {
		return fmt.Errorf("resume channel: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("resume channel: %w", err)
	} else if n == 0 {
		return tether.Errorf(tether.ENOTFOUND, "The channel %s has no recorded state.", channel)
	}
	tx.Audit("channel.resume", "channel", 0, "channel="+channel)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("resume channel: %w", err)
	}
	return nil
}

// ChannelStates lists each channel that has a state or items, by name,
// with its outbox counts: pending (waiting, leased or unknown), sent and
// failed. For admins, inspectors and caseworkers (and system actors).
func (db *DB) ChannelStates(ctx context.Context) ([]*tether.ChannelState, error) {
	if _, ok := tether.ActorFromContext(ctx); ok {
		if _, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleCaseworker, tether.RoleInspector); err != nil {
			return nil, err
		}
	}
	states := map[string]*tether.ChannelState{}
	get := func(c string) *tether.ChannelState {
		if s := states[c]; s != nil {
			return s
		}
		s := &tether.ChannelState{Channel: c}
		states[c] = s
		return s
	}
	rows, err := db.read.QueryContext(ctx, `SELECT channel, consecutive_failures, paused_until, last_error, last_success_at,
		last_failure_at FROM channel_state`)
	if err != nil {
		return nil, fmt.Errorf("channel states: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		s := &tether.ChannelState{}
		if err := rows.Scan(&c, &s.ConsecutiveFailures, nullTimeScan{&s.PausedUntil}, &s.LastError,
			nullTimeScan{&s.LastSuccessAt}, nullTimeScan{&s.LastFailureAt}); err != nil {
			return nil, fmt.Errorf("channel states: %w", err)
		}
		s.Channel = c
		states[c] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("channel states: %w", err)
	}
	rows.Close()
	counts, err := db.read.QueryContext(ctx, `SELECT channel, state, COUNT(*) FROM outbox GROUP BY channel, state`)
	if err != nil {
		return nil, fmt.Errorf("channel states: %w", err)
	}
	defer counts.Close()
	for counts.Next() {
		var c, st string
		var k int
		if err := counts.Scan(&c, &st, &k); err != nil {
			return nil, fmt.Errorf("channel states: %w", err)
		}
		s := get(c)
		switch st {
		case tether.OutboxDone:
			s.Sent += k
		case tether.OutboxFailed:
			s.Failed += k
		default:
			s.Pending += k
		}
	}
	if err := counts.Err(); err != nil {
		return nil, fmt.Errorf("channel states: %w", err)
	}
	out := make([]*tether.ChannelState, 0, len(states))
	for _, s := range states {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Channel < out[j].Channel })
	return out, nil
}

// OutboxStats counts outbox items by state, every state present.
func (db *DB) OutboxStats(ctx context.Context) (map[string]int, error) {
	if _, ok := tether.ActorFromContext(ctx); ok {
		if _, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleCaseworker, tether.RoleInspector); err != nil {
			return nil, err
		}
	}
	out := map[string]int{tether.OutboxPending: 0, tether.OutboxLeased: 0, tether.OutboxDone: 0,
		tether.OutboxFailed: 0, tether.OutboxUnknown: 0}
	rows, err := db.read.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("outbox stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var k int
		if err := rows.Scan(&st, &k); err != nil {
			return nil, fmt.Errorf("outbox stats: %w", err)
		}
		out[st] = k
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox stats: %w", err)
	}
	return out, nil
}
