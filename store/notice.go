package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // deemed service counts days in UK time wherever the server runs

	"tether"
	"tether/calendar"
	"tether/clarity"
)

// Correspondence configures how notices are sent and served: the sending
// channel for each method, the deemed-service rules, and the location whose
// calendar days count (a notice sent at 23:30 UTC on a summer evening was
// sent the next day in London).
type Correspondence struct {
	PostChannel  string // tether.SendNotifyLetter (default) or tether.SendPrint
	EmailChannel string // tether.SendNotifyEmail (default) or tether.SendSMTP
	SMSChannel   string // tether.SendNotifySMS (default)
	Rules        tether.DeemedRules
	Location     *time.Location // Europe/London when nil
	// Bar is the clarity bar a template version must reach to be
	// published without an admin's override.
	Bar clarity.Bar
	// Defaults are personalisation values every notice may use (the
	// department's help line, say); a request's own values win.
	Defaults map[string]string
	// Fallback: when a notice's contact point fails (a permanent failure,
	// a bounce, a returned letter), send the same text by the next route
	// the service rules find, as a new notice.
	Fallback bool
}

// correspondenceState is the DB's correspondence configuration and its
// cache of merged bank holidays.
type correspondenceState struct {
	mu  sync.RWMutex
	cfg *Correspondence

	holMu     sync.Mutex
	holidays  *calendar.Holidays
	holLoadID int64 // the last load the cache includes; -1 when empty
	holCached bool
}

var london = sync.OnceValue(func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic("store: no Europe/London time zone: " + err.Error()) // time/tzdata is embedded
	}
	return l
})

// defaultCorrespondence is GOV.UK Notify for all three channels, the
// shipped rules and UK time.
func defaultCorrespondence() Correspondence {
	return Correspondence{
		PostChannel: tether.SendNotifyLetter, EmailChannel: tether.SendNotifyEmail, SMSChannel: tether.SendNotifySMS,
		Rules: tether.DefaultDeemedRules(), Location: london(), Bar: clarity.DefaultBar(),
		Defaults: map[string]string{"help_phone": "0300 123 4567", "department": "the Home Office"},
	}
}

// SetCorrespondence sets the correspondence configuration; empty fields
// take the defaults (GOV.UK Notify channels, tether.DefaultDeemedRules,
// Europe/London, clarity.DefaultBar field by field, the default
// personalisation values under any given). Notices already stored keep the channel and rule they
// were given.
func (db *DB) SetCorrespondence(c Correspondence) {
	d := defaultCorrespondence()
	if c.PostChannel == "" {
		c.PostChannel = d.PostChannel
	}
	if c.EmailChannel == "" {
		c.EmailChannel = d.EmailChannel
	}
	if c.SMSChannel == "" {
		c.SMSChannel = d.SMSChannel
	}
	if len(c.Rules.Rules) == 0 {
		c.Rules = d.Rules
	}
	if c.Location == nil {
		c.Location = d.Location
	}
	c.Bar = c.Bar.WithDefaults()
	defaults := maps.Clone(d.Defaults)
	for k, v := range c.Defaults {
		if v != "" {
			defaults[k] = v
		}
	}
	c.Defaults = defaults
	db.corr.mu.Lock()
	db.corr.cfg = &c
	db.corr.mu.Unlock()
}

// correspondence returns the configuration in force.
func (db *DB) correspondence() Correspondence {
	db.corr.mu.RLock()
	defer db.corr.mu.RUnlock()
	if db.corr.cfg == nil {
		return defaultConfig()
	}
	return *db.corr.cfg
}

// defaultConfig is defaultCorrespondence worked out once: the deemed
// service rules are parsed from their JSON, which is too slow for every
// notice. Its maps and slices are read, never changed.
var defaultConfig = sync.OnceValue(defaultCorrespondence)

// sendingChannel is the configured sending channel for a method.
func (c Correspondence) sendingChannel(method string) string {
	switch method {
	case tether.MethodPost:
		return c.PostChannel
	case tether.MethodEmail:
		return c.EmailChannel
	case tether.MethodSMS:
		return c.SMSChannel
	case tether.MethodHand:
		return tether.SendHand
	case tether.MethodFile:
		return tether.SendFile
	}
	return ""
}

// Notice sources on the timeline.
const (
	sourceCaseworker = "caseworker"
	sourceDispatcher = "dispatcher"
	sourceSystem     = "system"
)

// Notice events that are not channel statuses.
const (
	eventQueued       = "queued"
	eventClaimed      = "claimed"
	eventSent         = "sent"
	eventPrinted      = "printed"
	eventRetry        = "retry"
	eventFailed       = "failed"
	eventHanded       = "served_by_hand"
	eventOnFile       = "on_file"
	eventCopyGiven    = "copy_given"
	eventContactFail  = "contact_failed"
	eventFallback     = "fallback"
	eventLeaseExpired = "lease_expired"
)

// noticeCols are the notices columns that scanNotice reads, for notices
// aliased n joined to people aliased p.
const noticeCols = `n.id, n.ref, n.person_id, p.ref, n.template_id, n.template_key, n.template_version, n.version_id,
	n.language, n.kind, n.asks_to_act, n.method, n.channel, n.party, n.contact_point_id, n.destination,
	n.dest_address, n.division, n.route_reason, n.subject, n.content, n.state, n.provider_id, n.sent_at,
	n.posted_on, n.deemed_served, n.deemed_rule, n.deemed_rule_version, n.deemed_explanation, n.copy_due,
	n.copy_given_at, n.contact_failed_at, n.created_by, n.created_at, n.updated_at, n.version`

// noticeFrom is the FROM clause for noticeCols.
const noticeFrom = ` FROM notices n JOIN people p ON p.id = n.person_id`

// storedNotice is a notice with what the store keeps beside it.
type storedNotice struct {
	*tether.Notice
	// dest is the postal address it went to, for deemed service.
	dest *tether.Address
	// contactFailed is set once the failure of its contact point was
	// acted on.
	contactFailed bool
}

func scanNotice(row rowScanner) (*storedNotice, error) {
	n := &tether.Notice{}
	var cp sql.NullInt64
	var dest string
	var destAddr sql.NullString
	var contactFailed *time.Time
	if err := row.Scan(&n.ID, &n.Ref, &n.PersonID, &n.PersonRef, &n.TemplateID, &n.TemplateKey, &n.TemplateVersion,
		&n.VersionID, &n.Language, &n.Kind, &n.AsksToAct, &n.Method, &n.Channel, &n.Party, &cp, &dest,
		&destAddr, &n.Division, &n.RouteReason, &n.Subject, &n.Content, &n.State, &n.ProviderID,
		nullTimeScan{&n.SentAt}, &n.PostedOn, &n.DeemedServed, &n.DeemedRule, &n.DeemedRuleVersion,
		&n.DeemedExplanation, &n.CopyDue, nullTimeScan{&n.CopyGiven}, nullTimeScan{&contactFailed},
		&n.CreatedBy, timeScan{&n.CreatedAt}, timeScan{&n.UpdatedAt}, &n.Version); err != nil {
		return nil, err
	}
	if cp.Valid {
		n.ContactPointID = &cp.Int64
	}
	if err := json.Unmarshal([]byte(dest), &n.Destination); err != nil {
		return nil, fmt.Errorf("notice %d: destination: %w", n.ID, err)
	}
	if len(n.Destination) == 0 {
		n.Destination = nil
	}
	s := &storedNotice{Notice: n, contactFailed: contactFailed != nil}
	if destAddr.Valid && destAddr.String != "" {
		s.dest = &tether.Address{}
		if err := json.Unmarshal([]byte(destAddr.String), s.dest); err != nil {
			return nil, fmt.Errorf("notice %d: address: %w", n.ID, err)
		}
	}
	return s, nil
}

// loadNotice reads one notice by a condition on n, locking it on
// PostgreSQL when lock is set. ENOTFOUND.
func (tx *Tx) loadNotice(where string, lock bool, args ...any) (*storedNotice, error) {
	q := `SELECT ` + noticeCols + noticeFrom + ` WHERE ` + where
	if lock && tx.db.Dialect == Postgres {
		q += ` FOR UPDATE OF n`
	}
	n, err := scanNotice(tx.QueryRow(q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoticeNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("load notice: %w", err)
	}
	return n, nil
}

func errNoticeNotFound() error { return tether.Errorf(tether.ENOTFOUND, "Notice not found.") }

// noticeReadActor returns the actor in ctx when it may read notices: any
// department role; an organisation user sees no correspondence.
func noticeReadActor(ctx context.Context) (tether.Actor, error) {
	a, err := readActor(ctx)
	if err != nil {
		return a, err
	}
	if a.Role == tether.RoleOrganisation {
		return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not see correspondence.")
	}
	return a, nil
}

// noticeView is n as the actor may see it: without where it went and what
// it said for an inspector without the personal-data grant.
func noticeView(a tether.Actor, n *tether.Notice) *tether.Notice {
	if a.CanSeePersonalData() {
		return n
	}
	r := *n
	r.Destination, r.Subject, r.Content = nil, "", ""
	r.RouteReason = "[redacted]"
	return &r
}

// noticeEvent appends an event to a notice's timeline with the notice's
// state after it. reportedAt is the channel's time of a delivery report.
func (tx *Tx) noticeEvent(noticeID int64, status, state, source, detail string, reportedAt *time.Time) error {
	_, err := tx.Exec(`INSERT INTO notice_events (notice_id, at, status, state, source, detail, actor, reported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, noticeID, tx.db.ts(tx.now), status, state, source, clip(detail, 1000),
		tx.actor.String(), tx.db.tsPtr(reportedAt))
	return err
}

// saveNotice writes the fields of n that change after it is created, with
// the time of its latest event, and bumps its version.
func (tx *Tx) saveNotice(n *storedNotice) error {
	_, err := tx.Exec(`UPDATE notices SET state = ?, provider_id = ?, sent_at = ?, posted_on = ?, deemed_served = ?,
		deemed_rule = ?, deemed_rule_version = ?, deemed_explanation = ?, copy_given_at = ?, updated_at = ?,
		last_event_at = ?, version = version + 1 WHERE id = ?`,
		n.State, n.ProviderID, tx.db.tsPtr(n.SentAt), n.PostedOn, n.DeemedServed, n.DeemedRule, n.DeemedRuleVersion,
		n.DeemedExplanation, tx.db.tsPtr(n.CopyGiven), tx.db.ts(tx.now), tx.db.ts(tx.now), n.ID)
	if err == nil {
		n.UpdatedAt = tx.now
		n.Version++
	}
	return err
}

// setDeemed computes when n, sent (or posted, handed over, placed on file)
// on day, is deemed served, by the configured rules and the bank holidays
// in force.
func (tx *Tx) setDeemed(n *storedNotice, day calendar.Date) error {
	hol, err := tx.holidays()
	if err != nil {
		return err
	}
	var dest *tether.Address
	if n.Method == tether.MethodPost {
		dest = n.dest
	}
	d, err := tx.db.correspondence().Rules.Deemed(n.Method, dest, day, hol)
	if err != nil {
		return err
	}
	n.DeemedServed, n.DeemedRule, n.DeemedRuleVersion, n.DeemedExplanation = d.Date.String(), d.Rule, d.RuleVersion, d.Explanation
	return nil
}

// today is the transaction's date in the correspondence location.
func (tx *Tx) today() calendar.Date {
	return calendar.FromTime(tx.now, tx.db.correspondence().Location)
}

// noticeRefEncoding writes references in upper-case base32 without padding.
var noticeRefEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newNoticeRef is a random reference: "N-" and 20 base32 characters (100
// bits), which says nothing about the person or the order of notices.
func newNoticeRef() string {
	var b [13]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents it)
	return "N-" + noticeRefEncoding.EncodeToString(b[:])[:20]
}

// clip shortens s to at most n bytes at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// FindNoticeByID returns one notice and records the read as a read of the
// person's record. ENOTFOUND (also when the actor may not see the person),
// EFORBIDDEN for organisation users.
func (db *DB) FindNoticeByID(ctx context.Context, id int64) (*tether.Notice, error) {
	a, err := noticeReadActor(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find notice: %w", err)
	}
	defer tx.rollback()
	n, err := tx.loadNotice(`n.id = ?`, false, id)
	if err != nil {
		return nil, err
	}
	tx.Audit("notice.read", "person", n.PersonID, "notice="+strconv.FormatInt(n.ID, 10))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("find notice: %w", err)
	}
	return noticeView(a, n.Notice), nil
}

// FindNoticeByRef returns one notice by its reference, as FindNoticeByID.
func (db *DB) FindNoticeByRef(ctx context.Context, ref string) (*tether.Notice, error) {
	a, err := noticeReadActor(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find notice: %w", err)
	}
	defer tx.rollback()
	n, err := tx.loadNotice(`n.ref = ?`, false, strings.ToUpper(strings.TrimSpace(ref)))
	if err != nil {
		return nil, err
	}
	tx.Audit("notice.read", "person", n.PersonID, "notice="+strconv.FormatInt(n.ID, 10))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("find notice: %w", err)
	}
	return noticeView(a, n.Notice), nil
}

// Notice paging.
const (
	noticesDefaultLimit = 50
	noticesMaxLimit     = 500
)

// noticeStates lists the states a filter may name.
var noticeStates = []string{tether.NoticeQueued, tether.NoticeSending, tether.NoticeSent, tether.NoticeDelivered,
	tether.NoticeFailed, tether.NoticeReturned, tether.NoticeServedByHand, tether.NoticeOnFile, tether.NoticeCancelled}

// FindNotices lists notices, newest first, a page at a time, with the
// number the filter selects. The limit defaults to 50 and is at most 500.
// A list for one person is audited as a read of that person's record; a
// list across people as a list. EINVALID, ENOTFOUND (no such person),
// EFORBIDDEN.
func (db *DB) FindNotices(ctx context.Context, f tether.NoticeFilter) ([]*tether.Notice, int, error) {
	a, err := noticeReadActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	q := tether.Problems{}
	if f.Offset < 0 {
		q.Add("offset", "must be 0 or more")
	}
	if f.Limit < 0 {
		q.Add("limit", "must be 0 or more")
	}
	if f.State != "" && !slices.Contains(noticeStates, f.State) {
		q.Add("state", "must be one of "+strings.Join(noticeStates, ", "))
	}
	if f.Method != "" && !slices.Contains(tether.Methods, f.Method) {
		q.Add("method", "must be one of "+strings.Join(tether.Methods, ", "))
	}
	if err := q.Err(); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit == 0 {
		limit = noticesDefaultLimit
	}
	limit = min(limit, noticesMaxLimit)

	var where []string
	var args []any
	if f.PersonID != nil {
		where, args = append(where, `n.person_id = ?`), append(args, *f.PersonID)
	}
	if f.State != "" {
		where, args = append(where, `n.state = ?`), append(args, f.State)
	}
	if f.Method != "" {
		where, args = append(where, `n.method = ?`), append(args, f.Method)
	}
	cond := ""
	if len(where) > 0 {
		cond = ` WHERE ` + strings.Join(where, ` AND `)
	}

	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("find notices: %w", err)
	}
	defer tx.rollback()
	if f.PersonID != nil {
		if _, err := tx.loadPerson(*f.PersonID, false); err != nil {
			return nil, 0, err
		}
	}
	var total int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM notices n`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find notices: %w", err)
	}
	notices := make([]*tether.Notice, 0, min(limit, max(total-f.Offset, 0)))
	if f.Offset < total {
		rows, err := tx.Query(`SELECT `+noticeCols+noticeFrom+cond+` ORDER BY n.created_at DESC, n.id DESC LIMIT ? OFFSET ?`,
			append(args, limit, f.Offset)...)
		if err != nil {
			return nil, 0, fmt.Errorf("find notices: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanNotice(rows)
			if err != nil {
				return nil, 0, fmt.Errorf("find notices: %w", err)
			}
			notices = append(notices, noticeView(a, n.Notice))
		}
		if err := rows.Err(); err != nil {
			return nil, 0, fmt.Errorf("find notices: %w", err)
		}
		rows.Close()
	}
	detail := "offset=" + strconv.Itoa(f.Offset) + " limit=" + strconv.Itoa(limit) + " returned=" + strconv.Itoa(len(notices))
	if f.State != "" {
		detail = "state=" + f.State + " " + detail
	}
	if f.Method != "" {
		detail = "method=" + f.Method + " " + detail
	}
	if f.PersonID != nil {
		tx.Audit("notices.read", "person", *f.PersonID, detail)
	} else {
		tx.Audit("notices.list", "notice", 0, detail)
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("find notices: %w", err)
	}
	return notices, total, nil
}

// NoticeTimeline lists a notice's events, oldest first, and records the
// read as a read of the person's record. ENOTFOUND, EFORBIDDEN.
func (db *DB) NoticeTimeline(ctx context.Context, id int64) ([]*tether.NoticeEvent, error) {
	a, err := noticeReadActor(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("notice timeline: %w", err)
	}
	defer tx.rollback()
	n, err := tx.loadNotice(`n.id = ?`, false, id)
	if err != nil {
		return nil, err
	}
	events, err := tx.noticeEvents(id)
	if err != nil {
		return nil, fmt.Errorf("notice timeline: %w", err)
	}
	if !a.CanSeePersonalData() {
		// A caseworker's words (why a notice was cancelled, say) may name
		// people; channel and system events never do.
		for _, e := range events {
			if e.Source == sourceCaseworker {
				e.Detail = "[redacted]"
			}
		}
	}
	tx.Audit("notice.timeline.read", "person", n.PersonID, "notice="+strconv.FormatInt(id, 10))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("notice timeline: %w", err)
	}
	return events, nil
}

func (tx *Tx) noticeEvents(id int64) ([]*tether.NoticeEvent, error) {
	rows, err := tx.Query(`SELECT id, notice_id, at, status, state, source, detail, actor FROM notice_events
		WHERE notice_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	events := []*tether.NoticeEvent{}
	for rows.Next() {
		e := &tether.NoticeEvent{}
		if err := rows.Scan(&e.ID, &e.NoticeID, timeScan{&e.At}, &e.Status, &e.State, &e.Source, &e.Detail, &e.Actor); err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, rows.Err()
}

// MarkCopyGiven records that the person, found again, was given a copy of
// a notice served to file and told when and how it was served; how says
// how the copy was given. EINVALID (no how, or the notice was not served
// to file), ECONFLICT (already given), ENOTFOUND, EFORBIDDEN.
func (db *DB) MarkCopyGiven(ctx context.Context, noticeID int64, how string) error {
	if _, err := writeActor(ctx); err != nil {
		return err
	}
	how = strings.TrimSpace(how)
	if err := tether.ValidateReason("how", how); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("mark copy given: %w", err)
	}
	defer tx.rollback()
	n, err := tx.loadNotice(`n.id = ?`, true, noticeID)
	if err != nil {
		return err
	}
	if !n.CopyDue {
		return tether.Invalid("notice", "only a notice served to file needs a copy given")
	}
	if n.CopyGiven != nil {
		return tether.Errorf(tether.ECONFLICT, "A copy of this notice was already given on %s.", n.CopyGiven.Format("2 January 2006"))
	}
	now := tx.now
	n.CopyGiven = &now
	// How it was given may name places or people: it stays on the notice,
	// off the timeline and the audit log.
	if _, err := tx.Exec(`UPDATE notices SET copy_given_how = ? WHERE id = ?`, how, n.ID); err != nil {
		return fmt.Errorf("mark copy given: %w", err)
	}
	if err := tx.saveNotice(n); err != nil {
		return fmt.Errorf("mark copy given: %w", err)
	}
	if err := tx.noticeEvent(n.ID, eventCopyGiven, n.State, sourceCaseworker, "a copy was given and the person told when and how it was served", nil); err != nil {
		return fmt.Errorf("mark copy given: %w", err)
	}
	tx.Audit("notice.copy_given", "notice", n.ID, "person="+strconv.FormatInt(n.PersonID, 10))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("mark copy given: %w", err)
	}
	return nil
}
