package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/enquiry"
)

// Sending replies to offices. A reply that Tether sends (every reply but
// one the caseworker recorded as sent outside Tether, with its proof
// reference) gets an item in reply_outbox, committed with the reply. The
// dispatcher sends those items exactly as it sends notices, through the
// same channels, leases, look-ups after an unknown outcome and channel
// health: ReplyOutbox is the tether.OutboxService it is given for them.
// An item's OutboxItem.NoticeID is the reply's id, and its Notice is the
// reply as the channel needs it (the office's address, the subject, the
// text as sent).

// replyOutboxCols are the columns of reply_outbox as scanOutboxItem reads
// them.
const replyOutboxCols = `id, reply_id, channel, ref, state, attempts, next_attempt_at, leased_by, lease_until, last_error,
	prior_unknown, created_at, updated_at`

// newReplyRef is a random reference for a reply's sending: "R-" and 20
// base32 characters, saying nothing about the enquiry.
func newReplyRef() string {
	var b [13]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents it)
	return "R-" + noticeRefEncoding.EncodeToString(b[:])[:20]
}

// replySendChannel is the sending channel for a reply by email or letter:
// the one the correspondence configuration gives notices.
func (tx *Tx) replySendChannel(channel string) string {
	cfg := tx.db.correspondence()
	if channel == tether.ChannelLetter {
		return cfg.PostChannel
	}
	return cfg.EmailChannel
}

// queueReply puts a stored reply in the reply outbox, to go now.
func (tx *Tx) queueReply(r *enquiry.Reply) error {
	d := &enquiry.Delivery{Via: tx.replySendChannel(r.Channel), Ref: newReplyRef(), State: enquiry.DeliveryQueued}
	now := tx.db.ts(tx.now)
	if _, err := tx.Exec(`INSERT INTO reply_outbox (reply_id, channel, ref, state, attempts, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, 0, ?, ?, ?)`, r.ID, d.Via, d.Ref, tether.OutboxPending, now, now, now); err != nil {
		return fmt.Errorf("queue reply: %w", err)
	}
	r.Delivery = d
	return nil
}

// deliveryState is a reply_outbox state as a delivery state.
func deliveryState(outboxState string) string {
	switch outboxState {
	case tether.OutboxLeased:
		return enquiry.DeliverySending
	case tether.OutboxDone:
		return enquiry.DeliverySent
	case tether.OutboxFailed:
		return enquiry.DeliveryFailed
	}
	return enquiry.DeliveryQueued
}

// ReplyOutbox is the outbox of replies to offices, for a dispatcher: see
// DB.ReplyOutbox.
type ReplyOutbox struct{ db *DB }

// ReplyOutbox returns the outbox of replies to offices, which a dispatcher
// sends as it sends notices. Channel health is the notices': a channel
// paused for one is paused for both.
func (db *DB) ReplyOutbox() *ReplyOutbox { return &ReplyOutbox{db: db} }

var _ tether.OutboxService = (*ReplyOutbox)(nil)

// replyToSend is a reply as a dispatcher needs it.
type replyToSend struct {
	enquiryID  int64
	enquiryRef string
	kind       string
	channel    string
	notice     *tether.Notice
}

// loadRepliesToSend reads the replies of claimed items, by reply id.
func (tx *Tx) loadRepliesToSend(ids []any) (map[int64]*replyToSend, error) {
	rows, err := tx.queryVar(`SELECT r.id, r.enquiry_id, e.ref, r.kind, r.template_key, r.language, r.channel, r.sent_to,
		r.subject, r.content FROM enquiry_replies r JOIN enquiries e ON e.id = r.enquiry_id
		WHERE r.id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*replyToSend{}
	for rows.Next() {
		r := &replyToSend{notice: &tether.Notice{}}
		var to string
		if err := rows.Scan(&r.notice.ID, &r.enquiryID, &r.enquiryRef, &r.kind, &r.notice.TemplateKey, &r.notice.Language,
			&r.channel, &to, &r.notice.Subject, &r.notice.Content); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(to), &r.notice.Destination); err != nil {
			return nil, fmt.Errorf("reply %d: sent_to: %w", r.notice.ID, err)
		}
		r.notice.PersonRef = r.enquiryRef // the office's reference for it: "Your ref" on a letter
		r.notice.Kind = tether.KindEnquiryReply
		r.notice.Method = tether.MethodEmail
		if r.channel == tether.ChannelLetter {
			r.notice.Method = tether.MethodPost
		}
		out[r.notice.ID] = r
	}
	return out, rows.Err()
}

// ClaimOutbox leases up to n due replies of the given sending channels
// (all when empty) to worker for lease, as DB.ClaimOutbox does notices.
func (o *ReplyOutbox) ClaimOutbox(ctx context.Context, worker string, channels []string, n int, lease time.Duration) ([]*tether.OutboxItem, error) {
	ctx, err := systemCtx(ctx, DispatcherActor)
	if err != nil {
		return nil, err
	}
	worker = strings.TrimSpace(worker)
	if err := checkClaim(worker, channels, n, lease); err != nil {
		return nil, err
	}
	tx, err := o.db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim replies: %w", err)
	}
	defer tx.rollback()
	got, err := tx.leaseDue("reply_outbox", replyOutboxCols, worker, channels, n, lease)
	if err != nil {
		return nil, fmt.Errorf("claim replies: %w", err)
	}
	if len(got) == 0 {
		return []*tether.OutboxItem{}, nil
	}
	ids := make([]any, len(got))
	for i, c := range got {
		ids[i] = c.item.NoticeID
	}
	replies, err := tx.loadRepliesToSend(ids)
	if err != nil {
		return nil, fmt.Errorf("claim replies: %w", err)
	}
	items := make([]*tether.OutboxItem, len(got))
	for i, c := range got {
		it := c.item
		r := replies[it.NoticeID]
		if r == nil {
			return nil, fmt.Errorf("claim replies: item %d: reply %d is missing", it.ID, it.NoticeID)
		}
		r.notice.Ref, r.notice.Channel = it.Ref, it.Channel
		it.Notice = r.notice
		detail := "item=" + strconv.FormatInt(it.ID, 10) + " channel=" + it.Channel + " attempt=" + strconv.Itoa(it.Attempts)
		if c.wasState == tether.OutboxLeased {
			detail += " lease_expired=" + c.wasBy
		}
		tx.Audit("reply.claim", "enquiry", r.enquiryID, detail+" reply="+strconv.FormatInt(it.NoticeID, 10))
		items[i] = it
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("claim replies: %w", err)
	}
	return items, nil
}

// leasedReply locks a reply's item and checks that worker holds it, as
// leasedItem does for notices.
func (tx *Tx) leasedReply(itemID int64, worker string) (*tether.OutboxItem, *replyToSend, error) {
	it, err := scanOutboxItem(tx.QueryRow(`SELECT `+replyOutboxCols+` FROM reply_outbox WHERE id = ?`+forUpdate(tx), itemID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, tether.Errorf(tether.ENOTFOUND, "Reply outbox item not found.")
	} else if err != nil {
		return nil, nil, fmt.Errorf("reply outbox item: %w", err)
	}
	if it.State != tether.OutboxLeased || it.LeasedBy != worker {
		return nil, nil, tether.Errorf(tether.ECONFLICT, "Reply outbox item %d is not leased by %s (it is %s): its outcome was not recorded.",
			it.ID, worker, it.State)
	}
	rs, err := tx.loadRepliesToSend([]any{it.NoticeID})
	if err != nil {
		return nil, nil, fmt.Errorf("reply outbox item: %w", err)
	}
	r := rs[it.NoticeID]
	if r == nil {
		return nil, nil, fmt.Errorf("reply outbox item %d: reply %d is missing", it.ID, it.NoticeID)
	}
	return it, r, nil
}

// replyWrite runs f on a leased reply item in one transaction as the
// system.
func (o *ReplyOutbox) replyWrite(ctx context.Context, op string, f func(tx *Tx) error) error {
	ctx, err := systemCtx(ctx, DispatcherActor)
	if err != nil {
		return err
	}
	tx, err := o.db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	if err := f(tx); err != nil {
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

// viaWords names a sending channel for the office and the history.
func viaWords(channel string) string {
	switch channel {
	case tether.SendNotifyEmail, tether.SendNotifyLetter:
		return "GOV.UK Notify"
	case tether.SendSMTP:
		return "the department's mail service"
	case tether.SendPrint:
		return "the department's post room"
	}
	return channel
}

// replySent records in tx that the channel accepted a leased reply: the
// proof of sending is the channel's id and the time.
func (tx *Tx) replySent(it *tether.OutboxItem, r *replyToSend, worker, providerID string) error {
	if _, err := tx.Exec(`UPDATE reply_outbox SET state = ?, lease_until = NULL, last_error = '', prior_unknown = ?,
		provider_id = ?, sent_at = ?, updated_at = ? WHERE id = ?`,
		tether.OutboxDone, false, providerID, tx.db.ts(tx.now), tx.db.ts(tx.now), it.ID); err != nil {
		return err
	}
	what := "The answer"
	if r.kind == enquiry.ReplyHolding {
		what = "The holding reply"
	}
	how := "by email"
	if r.channel == tether.ChannelLetter {
		how = "by letter"
	}
	note := what + " was sent " + how + " through " + viaWords(it.Channel) + "."
	if providerID != "" {
		note += " Its reference there is " + providerID + "."
	}
	if it.Channel == tether.SendPrint {
		note = what + " was printed for posting by the department's post room."
	}
	if err := tx.enquiryEvent(r.enquiryID, enquiry.EventReplySent, it.Ref, providerID, note); err != nil {
		return err
	}
	tx.Audit("reply.sent", "enquiry", r.enquiryID, "reply="+strconv.FormatInt(r.notice.ID, 10)+" item="+strconv.FormatInt(it.ID, 10)+
		" channel="+it.Channel+" attempt="+strconv.Itoa(it.Attempts)+" worker="+worker)
	return nil
}

// OutboxSent records that the channel accepted a reply.
func (o *ReplyOutbox) OutboxSent(ctx context.Context, itemID int64, worker, providerID string) error {
	return o.OutboxSentMany(ctx, worker, []tether.Accepted{{ItemID: itemID, ProviderID: providerID}})
}

// OutboxSentMany records many accepted replies in one transaction: all,
// or on any error none.
func (o *ReplyOutbox) OutboxSentMany(ctx context.Context, worker string, sent []tether.Accepted) error {
	for _, s := range sent {
		if len(strings.TrimSpace(s.ProviderID)) > 200 {
			return tether.Invalid("provider_id", "must be 200 characters or fewer")
		}
	}
	if len(sent) == 0 {
		return nil
	}
	return o.replyWrite(ctx, "reply sent", func(tx *Tx) error {
		for _, s := range sent {
			it, r, err := tx.leasedReply(s.ItemID, worker)
			if err != nil {
				return err
			}
			if err := tx.replySent(it, r, worker, strings.TrimSpace(s.ProviderID)); err != nil {
				return err
			}
		}
		return nil
	})
}

// OutboxRetry records a temporary failure of a reply (or an item given
// back untried) and when to try again; unknownOutcome makes the next claim
// ask the channel for the reference before sending again.
func (o *ReplyOutbox) OutboxRetry(ctx context.Context, itemID int64, worker, reason string, at time.Time, unknownOutcome bool) error {
	reason = clip(strings.TrimSpace(reason), 500)
	if reason == "" {
		return tether.Invalid("reason", "say why the item is to be tried again")
	}
	return o.replyWrite(ctx, "reply retry", func(tx *Tx) error {
		it, r, err := tx.leasedReply(itemID, worker)
		if err != nil {
			return err
		}
		next, state, err := tx.retryItem("reply_outbox", it.ID, reason, at, unknownOutcome)
		if err != nil {
			return err
		}
		tx.Audit("reply.retry", "enquiry", r.enquiryID, "reply="+strconv.FormatInt(r.notice.ID, 10)+" item="+strconv.FormatInt(it.ID, 10)+
			" channel="+it.Channel+" attempt="+strconv.Itoa(it.Attempts)+" outbox_state="+state+" next="+next.Format(time.RFC3339))
		return nil
	})
}

// OutboxFail records that a reply could not be sent: the failure goes on
// the enquiry's history, and a caseworker has a task to send it again
// (the enquiry's own task, raised, while the enquiry is still open;
// otherwise a new task for the enquiry, when it is matched to a person).
// contactFault (the channel refused the address) is said in the reason:
// an office's address is not a person's contact point.
func (o *ReplyOutbox) OutboxFail(ctx context.Context, itemID int64, worker, reason string, contactFault bool) error {
	reason = clip(strings.TrimSpace(reason), 500)
	if reason == "" {
		return tether.Invalid("reason", "say why the reply failed")
	}
	return o.replyWrite(ctx, "reply fail", func(tx *Tx) error {
		it, r, err := tx.leasedReply(itemID, worker)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE reply_outbox SET state = ?, lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ?`,
			tether.OutboxFailed, reason, tx.db.ts(tx.now), it.ID); err != nil {
			return err
		}
		what := "answer"
		if r.kind == enquiry.ReplyHolding {
			what = "holding reply"
		}
		fault := ""
		if contactFault {
			fault = " The office's address was refused: check it."
		}
		note := "The " + what + " could not be sent through " + viaWords(it.Channel) + ": " + reason + "." + fault
		if err := tx.enquiryEvent(r.enquiryID, enquiry.EventReplyFailed, it.Ref, "", note); err != nil {
			return err
		}
		tx.Audit("reply.fail", "enquiry", r.enquiryID, "reply="+strconv.FormatInt(r.notice.ID, 10)+" item="+strconv.FormatInt(it.ID, 10)+
			" channel="+it.Channel+" contact_fault="+strconv.FormatBool(contactFault))
		return tx.replyFailedTask(r, note)
	})
}

// replyFailedTask gives a caseworker the work of sending a failed reply
// again.
func (tx *Tx) replyFailedTask(r *replyToSend, note string) error {
	e, err := tx.loadEnquiry(r.enquiryID, true)
	if err != nil {
		return err
	}
	todo := note + " Send it again to a corrected address, or by the other channel."
	if e.TaskID != nil {
		t, err := tx.enquiryTask(*e.TaskID)
		if err != nil {
			return err
		}
		if t.active() {
			return tx.raiseEnquiryTask(*e.TaskID, tether.PriorityHigh, todo)
		}
	}
	if e.PersonID == nil {
		// No task can be about no one: the failure stays on the
		// enquiry's history and the triage list.
		return nil
	}
	t := &tether.Task{Queue: tether.QueueEnquiries, Kind: enquiryTaskKind, Priority: tether.PriorityHigh,
		DueOn: tx.today().String(), PersonID: *e.PersonID, SubjectKind: tether.SubjectEnquiry, SubjectID: e.ID,
		Summary: clip("Enquiry "+e.Ref+" from "+e.OrganisationName+": "+todo, 2000)}
	if err := tx.openTask(t); err != nil {
		return fmt.Errorf("reply failed task: %w", err)
	}
	// The enquiry's task is now this one: reopening and answering the
	// enquiry again closes it.
	if _, err := tx.Exec(`UPDATE enquiries SET task_id = ? WHERE id = ?`, t.ID, e.ID); err != nil {
		return fmt.Errorf("reply failed task: %w", err)
	}
	return nil
}

// ChannelSucceeded, ChannelFailed and ChannelStates are the notices'
// channel health: one channel, one state.
func (o *ReplyOutbox) ChannelSucceeded(ctx context.Context, channel string) error {
	return o.db.ChannelSucceeded(ctx, channel)
}

// ChannelFailed records a failure of the channel, as DB.ChannelFailed.
func (o *ReplyOutbox) ChannelFailed(ctx context.Context, channel, reason string, pauseAfter int, pauseFor time.Duration) error {
	return o.db.ChannelFailed(ctx, channel, reason, pauseAfter, pauseFor)
}

// ChannelStates lists the channels' health, as DB.ChannelStates.
func (o *ReplyOutbox) ChannelStates(ctx context.Context) ([]*tether.ChannelState, error) {
	return o.db.ChannelStates(ctx)
}
