package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"tether"
	"tether/letterpdf"
)

// Signal paging.
const (
	signalsDefaultLimit = 100
	signalsMaxLimit     = 1000
)

// raiseSignal stores a signal for later capabilities to consume.
func (tx *Tx) raiseSignal(s *tether.Signal) error {
	s.CreatedAt = tx.now
	id, err := tx.InsertID(`INSERT INTO signals (kind, person_id, notice_id, contact_point_id, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, s.Kind, s.PersonID, orgArg(s.NoticeID), orgArg(s.ContactPointID), s.Reason, tx.db.ts(tx.now))
	if err != nil {
		return fmt.Errorf("raise signal: %w", err)
	}
	s.ID = id
	tx.Audit("signal.raise", "signal", id, "kind="+s.Kind+" person="+strconv.FormatInt(s.PersonID, 10))
	return nil
}

// markPointFailed records that a current point did not work: it stays
// current, so the history shows what was tried, but no longer counts as
// working. The caller recomputes the person's working channels.
func (tx *Tx) markPointFailed(c *tether.ContactPoint, reason string) error {
	if _, err := tx.Exec(`UPDATE contact_points SET verification = ? WHERE id = ?`, tether.Failed, c.ID); err != nil {
		return err
	}
	c.Verification = tether.Failed
	return tx.contactEvent(c, tether.EventFailed, reason)
}

// kindNames are contact point kinds in words, for task summaries.
var kindNames = map[string]string{tether.KindPostal: "postal address", tether.KindEmail: "email address",
	tether.KindMobile: "mobile number", tether.KindLandline: "landline number"}

// contactFailed acts on the failure of the contact point a notice went to,
// once per notice: the point is marked failed (when it is still current)
// with an event on the person's contact history, a task joins the contact
// management queue (high priority: due the next working day) and a
// contact-lapse signal is raised. reason is the channel's, without
// personal data.
func (tx *Tx) contactFailed(n *storedNotice, reason string) error {
	if n.contactFailed {
		return nil
	}
	res, err := tx.Exec(`UPDATE notices SET contact_failed_at = ? WHERE id = ? AND contact_failed_at IS NULL`, tx.db.ts(tx.now), n.ID)
	if err != nil {
		return fmt.Errorf("contact failed: %w", err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("contact failed: %w", err)
	} else if k == 0 {
		n.contactFailed = true
		return nil
	}
	n.contactFailed = true
	what := "contact point"
	if n.ContactPointID != nil {
		// Lock the person, then the point, in the order changePoint and
		// RecordAttempt do.
		if _, err := tx.loadPerson(n.PersonID, true); err != nil {
			return err
		}
		c, err := tx.loadContactPoint(*n.ContactPointID, true)
		if err != nil {
			return err
		}
		what = kindNames[c.Kind]
		if c.Party == tether.PartyRepresentative {
			what = "representative's " + what
		}
		if c.Current(tx.now) {
			if err := tx.markPointFailed(c, "notice "+n.Ref+": "+reason); err != nil {
				return fmt.Errorf("contact failed: %w", err)
			}
			if err := tx.refreshWorkingChannels(n.PersonID); err != nil {
				return fmt.Errorf("contact failed: %w", err)
			}
			tx.Audit("contact_point.fail", "contact_point", c.ID, contactDetail(c, "notice="+strconv.FormatInt(n.ID, 10)))
		}
	}
	if err := tx.noticeEvent(n.ID, eventContactFail, n.State, sourceSystem,
		"the "+what+" was marked failed; a task is open and a contact-lapse signal raised", nil); err != nil {
		return fmt.Errorf("contact failed: %w", err)
	}
	nid := n.ID
	if err := tx.openTask(&tether.Task{Queue: tether.QueueContact, Priority: tether.PriorityHigh,
		PersonID: n.PersonID, Kind: TaskContactFailed, SubjectKind: tether.SubjectNotice, SubjectID: nid,
		NoticeID: &nid, ContactPointID: n.ContactPointID,
		Summary: "Notice " + n.Ref + " (" + n.TemplateKey + ") did not reach the person: the " + what + " failed (" + reason +
			"). Find another way to reach them, or serve the notice by hand or to file."}); err != nil {
		return err
	}
	if err := tx.raiseSignal(&tether.Signal{Kind: tether.SignalContactLapse, PersonID: n.PersonID, NoticeID: &nid,
		ContactPointID: n.ContactPointID, Reason: "the " + what + " failed for notice " + n.Ref + ": " + reason}); err != nil {
		return err
	}
	if tx.db.correspondence().Fallback && (n.State == tether.NoticeFailed || n.State == tether.NoticeReturned) {
		return tx.fallback(n, reason)
	}
	return nil
}

// fallbackChannels are the template channels a notice's rendered text may
// go by when its own contact point fails, in order: first another contact
// point of its own kind, then other kinds. A text message's words fit an
// email or a letter; a letter's or an email's are too long for a text.
var fallbackChannels = map[string][]string{
	tether.MethodSMS:   {tether.ChannelSMS, tether.ChannelEmail, tether.ChannelLetter},
	tether.MethodEmail: {tether.ChannelEmail, tether.ChannelLetter},
	tether.MethodPost:  {tether.ChannelLetter, tether.ChannelEmail},
}

// fallback sends a failed notice's text again by the next route the service
// rules find among the person's working contact points (the failed one is
// marked failed by now), as a new notice whose route reason names the
// failed one; both timelines say so. When no route is left, the timeline
// says that too and the task already open stands.
func (tx *Tx) fallback(n *storedNotice, reason string) error {
	p, err := tx.loadPerson(n.PersonID, true)
	if err != nil {
		return err
	}
	points, err := tx.contactPoints(p.ID, true)
	if err != nil {
		return fmt.Errorf("fallback: %w", err)
	}
	for _, channel := range fallbackChannels[n.Method] {
		route, err := tether.ChooseRoute(p, points, channel, n.Kind, tx.now)
		if err != nil || (n.ContactPointID != nil && route.ContactPoint.ID == *n.ContactPointID) {
			continue
		}
		c := route.ContactPoint
		next := &tether.Notice{
			Ref: newNoticeRef(), PersonID: n.PersonID, PersonRef: n.PersonRef,
			TemplateID: n.TemplateID, TemplateKey: n.TemplateKey, TemplateVersion: n.TemplateVersion, VersionID: n.VersionID,
			Language: n.Language, Kind: n.Kind, AsksToAct: n.AsksToAct,
			Method: route.Method, Channel: tx.db.correspondence().sendingChannel(route.Method), Party: route.Party,
			ContactPointID: &c.ID, Destination: destination(p, c),
			RouteReason: "Fallback: notice " + n.Ref + " by " + n.Method + " failed (" + reason + "). " + route.Reason,
			Subject:     n.Subject, Content: n.Content,
			CreatedBy: tx.actor.String(), CreatedAt: tx.now, UpdatedAt: tx.now, Version: 1,
		}
		var dest *tether.Address
		if c.Kind == tether.KindPostal && c.Address != nil {
			if letterpdf.CheckAddress(next.Destination) != nil {
				continue
			}
			addr := *c.Address
			next.Division, dest = addr.Division(), &addr
		}
		if next.Subject == "" && next.Method != tether.MethodSMS {
			next.Subject = "A message from the department"
			if t, err := tx.loadTemplate(`id = ?`, n.TemplateID, false); err == nil && t.Title != "" {
				next.Subject = t.Title
			}
		}
		if err := tx.insertNotice(next, dest); err != nil {
			return fmt.Errorf("fallback: %w", err)
		}
		return tx.noticeEvent(n.ID, eventFallback, n.State, sourceSystem,
			"sent again by "+next.Method+" as notice "+next.Ref, nil)
	}
	return tx.noticeEvent(n.ID, eventFallback, n.State, sourceSystem,
		"no other working contact point: serve it by hand or to file", nil)
}

const signalCols = `id, kind, person_id, notice_id, contact_point_id, reason, created_at, consumed_at, consumed_by`

func scanSignal(row rowScanner) (*tether.Signal, error) {
	s := &tether.Signal{}
	var notice, cp sql.NullInt64
	if err := row.Scan(&s.ID, &s.Kind, &s.PersonID, &notice, &cp, &s.Reason, timeScan{&s.CreatedAt},
		nullTimeScan{&s.ConsumedAt}, &s.ConsumedBy); err != nil {
		return nil, err
	}
	if notice.Valid {
		s.NoticeID = &notice.Int64
	}
	if cp.Valid {
		s.ContactPointID = &cp.Int64
	}
	return s, nil
}

// FindSignals lists signals, oldest first: of a kind when kind is set,
// only those not yet consumed when unconsumedOnly. limit defaults to 100
// and is at most 1000. For admins (and system actors) and caseworkers.
func (db *DB) FindSignals(ctx context.Context, kind string, unconsumedOnly bool, limit int) ([]*tether.Signal, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleCaseworker); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = signalsDefaultLimit
	}
	limit = min(limit, signalsMaxLimit)
	var where []string
	var args []any
	if kind != "" {
		where, args = append(where, `kind = ?`), append(args, kind)
	}
	if unconsumedOnly {
		where = append(where, `consumed_at IS NULL`)
	}
	q := `SELECT ` + signalCols + ` FROM signals`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY id LIMIT ` + strconv.Itoa(limit)
	rows, err := db.read.QueryContext(ctx, db.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("find signals: %w", err)
	}
	defer rows.Close()
	signals := []*tether.Signal{}
	for rows.Next() {
		s, err := scanSignal(rows)
		if err != nil {
			return nil, fmt.Errorf("find signals: %w", err)
		}
		signals = append(signals, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find signals: %w", err)
	}
	return signals, nil
}

// ConsumeSignal marks a signal taken by consumer (a name such as
// "tracing"). A signal is consumed once: ECONFLICT when it already was.
// EINVALID (no consumer), ENOTFOUND, EFORBIDDEN.
func (db *DB) ConsumeSignal(ctx context.Context, id int64, consumer string) error {
	if _, err := actorWithRole(ctx, tether.RoleAdmin, tether.RoleCaseworker); err != nil {
		return err
	}
	consumer = strings.TrimSpace(consumer)
	if consumer == "" || len(consumer) > 100 {
		return tether.Invalid("consumer", "name the consumer, in 100 characters or fewer")
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("consume signal: %w", err)
	}
	defer tx.rollback()
	res, err := tx.Exec(`UPDATE signals SET consumed_at = ?, consumed_by = ? WHERE id = ? AND consumed_at IS NULL`,
		tx.db.ts(tx.now), consumer, id)
	if err != nil {
		return fmt.Errorf("consume signal: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("consume signal: %w", err)
	} else if n == 0 {
		var by string
		err := tx.QueryRow(`SELECT consumed_by FROM signals WHERE id = ?`, id).Scan(&by)
		if errors.Is(err, sql.ErrNoRows) {
			return tether.Errorf(tether.ENOTFOUND, "Signal not found.")
		} else if err != nil {
			return fmt.Errorf("consume signal: %w", err)
		}
		return tether.Errorf(tether.ECONFLICT, "This signal was already consumed by %s.", by)
	}
	tx.Audit("signal.consume", "signal", id, "consumer="+consumer)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("consume signal: %w", err)
	}
	return nil
}
