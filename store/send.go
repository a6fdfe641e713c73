package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/clarity"
	"tether/compose"
	"tether/letterpdf"
)

// noticeWriter returns the actor in ctx when it may send notices: an
// admin, a caseworker or an enquiries caseworker.
func noticeWriter(ctx context.Context) (tether.Actor, error) {
	a, ok := tether.ActorFromContext(ctx)
	if !ok || !a.Role.Valid() {
		return a, tether.Errorf(tether.EUNAUTHORIZED, "Sign in first.")
	}
	switch a.Role {
	case tether.RoleAdmin, tether.RoleCaseworker, tether.RoleEnquiries:
		return a, nil
	}
	return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not send notices.")
}

// PreviewNotice works out a notice as CreateNotice would (the template
// version, the rendered text, the route and its reason) without storing
// anything or recording a read. EINVALID, ENOTFOUND, EFORBIDDEN.
func (db *DB) PreviewNotice(ctx context.Context, r *tether.NoticeRequest) (*tether.NoticeDraft, error) {
	if _, err := noticeWriter(ctx); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("preview notice: %w", err)
	}
	defer tx.rollback()
	return tx.draftNotice(r, false)
}

// CreateNotice renders the published version of the template in the
// person's language for the person, chooses the route by the service rules
// (or takes the caseworker's choice of hand or file, or of another contact
// point, with a reason), and stores the notice with its first timeline
// event. A notice for post, email or SMS is queued in the outbox in the
// same transaction, so that nothing is sent before it is committed. A
// notice served by hand or to file is served at once, with its deemed date;
// one served to file is marked so that a copy is due to the person when
// they are found. EINVALID (with "method" when no contact point works: the
// caseworker must serve by hand or to file, with a reason), ENOTFOUND,
// EFORBIDDEN.
func (db *DB) CreateNotice(ctx context.Context, r *tether.NoticeRequest) (*tether.Notice, error) {
	if _, err := noticeWriter(ctx); err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("create notice: %w", err)
	}
	defer tx.rollback()
	d, err := tx.draftNotice(r, true)
	if err != nil {
		return nil, err
	}
	if err := tx.insertNotice(d.Notice, d.Dest); err != nil {
		return nil, fmt.Errorf("create notice: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create notice: %w", err)
	}
	return d.Notice, nil
}

// maxBatchNotices bounds one CreateNotices call.
const maxBatchNotices = 5000

// CreateNotices creates many notices in one transaction, as CreateNotice
// does each: all of them or, if any is refused, none (the error names the
// request by its index, "requests[3].personalisation.date"). EINVALID,
// ENOTFOUND, EFORBIDDEN.
func (db *DB) CreateNotices(ctx context.Context, rs []*tether.NoticeRequest) ([]*tether.Notice, error) {
	if _, err := noticeWriter(ctx); err != nil {
		return nil, err
	}
	if len(rs) == 0 || len(rs) > maxBatchNotices {
		return nil, tether.Invalid("requests", "give between 1 and "+strconv.Itoa(maxBatchNotices)+" requests")
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("create notices: %w", err)
	}
	defer tx.rollback()
	out := make([]*tether.Notice, 0, len(rs))
	for i, r := range rs {
		d, err := tx.draftNotice(r, true)
		if err != nil {
			var te *tether.Error
			if errors.As(err, &te) && te.Code == tether.EINVALID {
				q := tether.Problems{}
				for k, v := range te.Fields {
					q.Add("requests["+strconv.Itoa(i)+"]."+k, v)
				}
				return nil, q.Err()
			}
			return nil, err
		}
		if err := tx.insertNotice(d.Notice, d.Dest); err != nil {
			return nil, fmt.Errorf("create notices: %w", err)
		}
		out = append(out, d.Notice)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create notices: %w", err)
	}
	return out, nil
}

// checkRequest validates a request's own fields.
func checkRequest(r *tether.NoticeRequest) error {
	r.TemplateKey, r.Method = strings.TrimSpace(strings.ToLower(r.TemplateKey)), strings.TrimSpace(r.Method)
	r.Reason, r.Language = strings.TrimSpace(r.Reason), strings.TrimSpace(r.Language)
	q := tether.Problems{}
	if r.PersonID <= 0 {
		q.Add("person_id", "choose the person")
	}
	if r.TemplateKey == "" {
		q.Add("template_key", "choose a template")
	}
	switch r.Method {
	case "":
	case tether.MethodHand, tether.MethodFile:
		if r.ContactPointID != nil {
			q.Add("contact_point_id", "a notice served by hand or to file goes to no contact point")
		}
	default:
		q.Add("method", "leave it empty to follow the service rules, or choose hand or file")
	}
	needReason := r.Method != "" || r.ContactPointID != nil
	switch {
	case needReason && r.Reason == "":
		q.Add("reason", "record why the notice is not served where the service rules say")
	case len(r.Reason) > 1000:
		q.Add("reason", "must be 1,000 characters or fewer")
	}
	if r.Language != "" && !validTag(r.Language) {
		q.Add("language", "must be a language tag such as en or cy")
	}
	if len(r.Personalisation) > 100 {
		q.Add("personalisation", "too many values")
	}
	for k, v := range r.Personalisation {
		if len(k) > 100 || len(v) > 5000 {
			q.Add("personalisation", "a value is too long")
			break
		}
	}
	return q.Err()
}

// draftNotice works out the notice for a request in tx: the person (locked
// when lock), the template version, the content and the route. It records
// nothing.
func (tx *Tx) draftNotice(r *tether.NoticeRequest, lock bool) (*tether.NoticeDraft, error) {
	if err := checkRequest(r); err != nil {
		return nil, err
	}
	p, err := tx.loadPerson(r.PersonID, lock)
	if err != nil {
		return nil, err
	}
	if err := tx.visible(p); err != nil {
		return nil, err
	}
	t, err := tx.loadTemplate(`key = ?`, r.TemplateKey, true)
	if err != nil {
		if tether.ErrorCode(err) == tether.ENOTFOUND {
			return nil, tether.Invalid("template_key", "no template has this key")
		}
		return nil, err
	}
	live := publishedVersions(t)
	langs := make([]string, 0, len(live))
	for l := range live {
		langs = append(langs, l)
	}
	want := r.Language
	if want == "" {
		want = p.Language()
	}
	lang := compose.ChooseLanguage(want, langs)
	if lang == "" {
		return nil, tether.Invalid("template_key", "this template has no published version yet")
	}
	if r.Language != "" && !strings.EqualFold(lang, r.Language) {
		return nil, tether.Invalid("language", "this template has no published version in "+tether.LanguageName(r.Language))
	}
	v := live[lang]

	cfg := tx.db.correspondence()
	values := map[string]string{}
	for k, val := range cfg.Defaults {
		values[k] = val
	}
	values["name"] = p.FullName()
	values["reference"] = p.Ref
	values["today"] = tx.today().Long()
	for k, val := range r.Personalisation {
		values[k] = val
	}
	n := &tether.Notice{
		Ref: newNoticeRef(), PersonID: p.ID, PersonRef: p.Ref,
		TemplateID: t.ID, TemplateKey: t.Key, TemplateVersion: v.Number, VersionID: v.ID, Language: v.Language,
		Kind: t.Kind, AsksToAct: t.AsksToAct,
		CreatedBy: tx.actor.String(), CreatedAt: tx.now, UpdatedAt: tx.now, Version: 1,
	}
	if n.Content, err = renderField("personalisation", v.Body, values); err != nil {
		return nil, err
	}
	if n.Subject, err = renderField("personalisation", v.Subject, values); err != nil {
		return nil, err
	}
	d := &tether.NoticeDraft{Notice: n, Template: t, Version: v}
	if t.Channel == tether.ChannelSMS {
		rep := clarity.Check(n.Content, clarity.Options{SMS: true, Bar: cfg.Bar})
		d.SMS = rep.SMS
		if rep.SMS != nil && rep.SMS.Parts > cfg.Bar.MaxSMSParts {
			return nil, tether.Invalid("personalisation", fmt.Sprintf("the text message would be %d parts; the limit is %d: shorten the values",
				rep.SMS.Parts, cfg.Bar.MaxSMSParts))
		}
	}

	switch r.Method {
	case tether.MethodHand:
		n.Method, n.Channel, n.Party = tether.MethodHand, tether.SendHand, tether.PartySelf
		n.RouteReason = "Served by hand: " + r.Reason
		return d, nil
	case tether.MethodFile:
		n.Method, n.Channel, n.Party = tether.MethodFile, tether.SendFile, tether.PartySelf
		n.RouteReason = "Served to file: " + r.Reason
		n.CopyDue = true
		return d, nil
	}

	points, err := tx.contactPoints(p.ID, true)
	if err != nil {
		return nil, fmt.Errorf("draft notice: %w", err)
	}
	var route tether.Route
	if r.ContactPointID != nil {
		route, err = chosenRoute(p, points, *r.ContactPointID, t, r.Reason, tx.now)
	} else {
		route, err = tether.ChooseRoute(p, points, t.Channel, t.Kind, tx.now)
	}
	if err != nil {
		return nil, err
	}
	c := route.ContactPoint
	n.Method, n.Party, n.RouteReason = route.Method, route.Party, route.Reason
	n.Channel = cfg.sendingChannel(route.Method)
	n.ContactPointID = &c.ID
	n.Destination = destination(p, c)
	if c.Kind == tether.KindPostal && c.Address != nil {
		if err := letterpdf.CheckAddress(n.Destination); err != nil {
			reason := err.Error()
			var ae *letterpdf.AddressError
			if errors.As(err, &ae) {
				reason = ae.Reason
			}
			return nil, tether.Invalid("contact_point_id", "the postal address would be refused for printing ("+
				reason+"): correct the address, or serve the notice by hand or to file")
		}
		addr := *c.Address
		n.Division = addr.Division()
		d.Dest = &addr
	}
	return d, nil
}

// renderField renders a template text, words missing personalisation as a
// field error.
func renderField(field, text string, values map[string]string) (string, error) {
	if text == "" {
		return "", nil
	}
	out, err := compose.Render(text, values)
	var me *compose.MissingError
	if errors.As(err, &me) {
		q := tether.Problems{}
		for _, name := range me.Names {
			q.Add(field+"."+name, "enter a value for (("+name+"))")
		}
		return "", q.Err()
	}
	if err != nil {
		return "", tether.Invalid("template_key", "the template cannot be rendered: "+err.Error())
	}
	return out, nil
}

// chosenRoute is the caseworker's choice of a contact point other than the
// one the service rules pick: it must be the person's (or their
// representative's), current, working and of the template's kind.
func chosenRoute(p *tether.Person, points []*tether.ContactPoint, id int64, t *tether.Template, reason string, now time.Time) (tether.Route, error) {
	var c *tether.ContactPoint
	for _, x := range points {
		if x.ID == id {
			c = x
		}
	}
	want := map[string]string{tether.ChannelLetter: tether.KindPostal, tether.ChannelEmail: tether.KindEmail,
		tether.ChannelSMS: tether.KindMobile}[t.Channel]
	switch {
	case c == nil:
		return tether.Route{}, tether.Invalid("contact_point_id", "not a current contact point of this person")
	case c.Kind != want:
		return tether.Route{}, tether.Invalid("contact_point_id", "a "+t.Channel+" needs a "+kindNames[want])
	case !c.Working(now):
		return tether.Route{}, tether.Invalid("contact_point_id", "this contact point does not work (failed, or not the person's or their representative's)")
	case t.Channel == tether.ChannelSMS && t.Kind == tether.KindDecision:
		return tether.Route{}, tether.Invalid("template_key", "a decision is never served by text message")
	}
	party := c.Party
	if party == tether.PartyRepresentative && (p.Representative == nil || !p.Representative.Instructed) {
		return tether.Route{}, tether.Invalid("contact_point_id", "the representative is not instructed: a notice to them does not count as given to the person")
	}
	return tether.Route{Method: tether.MethodFor(t.Channel), Party: party, ContactPoint: c,
		Reason: "Chosen by the caseworker: " + reason}, nil
}

// destination is a contact point as the notice records it: a letter's
// address block (the addressee, the lines, town and postcode or country),
// or the email address or number.
func destination(p *tether.Person, c *tether.ContactPoint) []string {
	switch c.Kind {
	case tether.KindPostal:
		if c.Address == nil {
			return nil
		}
		who := p.FullName()
		if c.Party == tether.PartyRepresentative {
			who = c.PartyName
			if who == "" && p.Representative != nil {
				who = p.Representative.Organisation
			}
			who += " (for " + p.FullName() + ")"
		}
		lines := []string{who}
		lines = append(lines, c.Address.Lines...)
		if c.Address.Town != "" {
			lines = append(lines, c.Address.Town)
		}
		if c.Address.UK() {
			lines = append(lines, c.Address.Postcode)
		} else {
			lines = append(lines, strings.ToUpper(tether.CountryName(c.Address.Country)))
		}
		return lines
	case tether.KindEmail:
		return []string{c.Email}
	default:
		return []string{c.Phone}
	}
}

// insertNotice stores a drafted notice, its first event and, for a channel
// that sends, its outbox item. dest is a letter's postal address.
func (tx *Tx) insertNotice(n *tether.Notice, dest *tether.Address) error {
	sn := &storedNotice{Notice: n, dest: dest}
	event, detail := eventQueued, "queued for "+n.Channel
	switch n.Method {
	case tether.MethodHand:
		n.State, event, detail = tether.NoticeServedByHand, eventHanded, "recorded by the caseworker as handed over"
	case tether.MethodFile:
		n.State, event, detail = tether.NoticeOnFile, eventOnFile, "placed on file; a copy is due to the person when found"
	default:
		n.State = tether.NoticeQueued
	}
	if n.Method == tether.MethodHand || n.Method == tether.MethodFile {
		now := tx.now
		n.SentAt = &now
		if err := tx.setDeemed(sn, tx.today()); err != nil {
			return err
		}
	}
	destJSON, _ := json.Marshal(n.Destination)
	if n.Destination == nil {
		destJSON = []byte("[]")
	}
	var destAddr any
	if dest != nil {
		b, _ := json.Marshal(dest)
		destAddr = string(b)
	}
	id, err := tx.InsertID(`INSERT INTO notices (ref, person_id, template_id, version_id, template_key, template_version,
		language, kind, asks_to_act, method, channel, party, contact_point_id, destination, dest_address, division,
		route_reason, subject, content, state, sent_at, deemed_served, deemed_rule, deemed_rule_version,
		deemed_explanation, copy_due, last_event_at, created_by, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		n.Ref, n.PersonID, n.TemplateID, n.VersionID, n.TemplateKey, n.TemplateVersion, n.Language, n.Kind,
		n.AsksToAct, n.Method, n.Channel, n.Party, orgArg(n.ContactPointID), string(destJSON), destAddr, n.Division,
		n.RouteReason, n.Subject, n.Content, n.State, tx.db.tsPtr(n.SentAt), n.DeemedServed, n.DeemedRule,
		n.DeemedRuleVersion, n.DeemedExplanation, n.CopyDue, tx.db.ts(tx.now), n.CreatedBy, tx.db.ts(tx.now),
		tx.db.ts(tx.now))
	if err != nil {
		return err
	}
	n.ID = id
	if err := tx.noticeEvent(n.ID, event, n.State, sourceCaseworker, detail, nil); err != nil {
		return err
	}
	if n.State == tether.NoticeQueued {
		if _, err := tx.Exec(`INSERT INTO outbox (notice_id, channel, ref, state, attempts, next_attempt_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, 0, ?, ?, ?)`, n.ID, n.Channel, n.Ref, tether.OutboxPending, tx.db.ts(tx.now),
			tx.db.ts(tx.now), tx.db.ts(tx.now)); err != nil {
			return err
		}
	}
	tx.Audit("notice.create", "notice", n.ID, "person="+strconv.FormatInt(n.PersonID, 10)+" template="+n.TemplateKey+
		" version="+strconv.Itoa(n.TemplateVersion)+" method="+n.Method+" channel="+n.Channel+" state="+n.State)
	return nil
}

// CancelNotice stops a queued notice before it is sent: its outbox item is
// closed and the cancellation, with its reason, goes on the timeline. A
// notice a dispatcher holds, or that a channel has accepted, cannot be
// cancelled. EINVALID, ENOTFOUND, ECONFLICT, EFORBIDDEN.
func (db *DB) CancelNotice(ctx context.Context, id int64, reason string) error {
	if _, err := noticeWriter(ctx); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if err := tether.ValidateReason("reason", reason); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("cancel notice: %w", err)
	}
	defer tx.rollback()
	n, err := tx.loadNotice(`n.id = ?`, true, id)
	if err != nil {
		return err
	}
	if n.State != tether.NoticeQueued {
		return tether.Errorf(tether.ECONFLICT, "Only a queued notice can be cancelled; this one is %s.", strings.ReplaceAll(n.State, "_", " "))
	}
	res, err := tx.Exec(`UPDATE outbox SET state = ?, last_error = ?, updated_at = ? WHERE notice_id = ? AND state IN (?, ?)`,
		tether.OutboxFailed, "cancelled by a caseworker", tx.db.ts(tx.now), n.ID, tether.OutboxPending, tether.OutboxUnknown)
	if err != nil {
		return fmt.Errorf("cancel notice: %w", err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("cancel notice: %w", err)
	} else if k == 0 {
		return tether.Errorf(tether.ECONFLICT, "The notice is being sent now and cannot be cancelled.")
	}
	n.State = tether.NoticeCancelled
	if err := tx.saveNotice(n); err != nil {
		return fmt.Errorf("cancel notice: %w", err)
	}
	if err := tx.noticeEvent(n.ID, tether.NoticeCancelled, n.State, sourceCaseworker, "cancelled before sending: "+clip(reason, 500), nil); err != nil {
		return fmt.Errorf("cancel notice: %w", err)
	}
	tx.Audit("notice.cancel", "notice", n.ID, "person="+strconv.FormatInt(n.PersonID, 10))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("cancel notice: %w", err)
	}
	return nil
}
