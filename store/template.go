package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tether"
	"tether/clarity"
	"tether/compose"
)

// templateWriter returns the actor in ctx when it may draft and publish
// templates: an admin or a caseworker.
func templateWriter(ctx context.Context) (tether.Actor, error) {
	a, ok := tether.ActorFromContext(ctx)
	if !ok || !a.Role.Valid() {
		return a, tether.Errorf(tether.EUNAUTHORIZED, "Sign in first.")
	}
	if a.Role != tether.RoleAdmin && a.Role != tether.RoleCaseworker {
		return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not change templates.")
	}
	return a, nil
}

// templateReader returns the actor in ctx when it may read templates: any
// department role.
func templateReader(ctx context.Context) (tether.Actor, error) {
	a, ok := tether.ActorFromContext(ctx)
	if !ok || !a.Role.Valid() {
		return a, tether.Errorf(tether.EUNAUTHORIZED, "Sign in first.")
	}
	if a.Role == tether.RoleOrganisation {
		return a, tether.Errorf(tether.EFORBIDDEN, "Your role may not see templates.")
	}
	return a, nil
}

// templateState is the version state meaning retired.
const templateRetired = "retired"

// CheckVersion runs the clarity gate on a template version's text with the
// configured bar: the findings the editor shows and the store keeps.
func (db *DB) CheckVersion(t *tether.Template, v *tether.TemplateVersion) clarity.Report {
	return CheckTemplate(t, v, db.correspondence().Bar)
}

// CheckTemplate runs the clarity gate for a version of t against bar.
func CheckTemplate(t *tether.Template, v *tether.TemplateVersion, bar clarity.Bar) clarity.Report {
	text := v.Body
	if v.Subject != "" && t.Channel != tether.ChannelSMS {
		text = v.Subject + "\n\n" + v.Body
	}
	return clarity.Check(text, clarity.Options{AsksToAct: t.AsksToAct, SMS: t.Channel == tether.ChannelSMS, Bar: bar, Language: v.Language})
}

// validateTemplate checks a new template's fields.
func validateTemplate(t *tether.Template) error {
	t.Key, t.Title = strings.TrimSpace(strings.ToLower(t.Key)), strings.TrimSpace(t.Title)
	q := tether.Problems{}
	switch {
	case t.Key == "":
		q.Add("key", "enter a key, such as reporting-notice-letter")
	case len(t.Key) > 80:
		q.Add("key", "must be 80 characters or fewer")
	case strings.Trim(t.Key, "abcdefghijklmnopqrstuvwxyz0123456789-") != "":
		q.Add("key", "use only lower-case letters, digits and hyphens")
	}
	if t.Title == "" {
		q.Add("title", "enter a title")
	} else if len(t.Title) > 200 {
		q.Add("title", "must be 200 characters or fewer")
	}
	if !slices.Contains(tether.TemplateKinds, t.Kind) {
		q.Add("kind", "must be one of "+strings.Join(tether.TemplateKinds, ", "))
	}
	if t.Channel != tether.ChannelLetter && t.Channel != tether.ChannelEmail && t.Channel != tether.ChannelSMS {
		q.Add("channel", "must be letter, email or sms")
	}
	if t.Channel == tether.ChannelSMS && t.Kind == tether.KindDecision {
		q.Add("channel", "a decision is never sent by text message")
	}
	seen := map[string]bool{}
	for i, p := range t.Placeholders {
		p = strings.TrimSpace(p)
		t.Placeholders[i] = p
		n := compose.Normalise(p)
		switch {
		case n == "":
			q.Add("placeholders", "a placeholder name is empty")
		case seen[n]:
			q.Add("placeholders", "“"+p+"” is declared twice")
		}
		seen[n] = true
	}
	return q.Err()
}

// validateVersion checks a version's text against its template: syntax,
// declared placeholders, subject where the channel needs one.
func validateVersion(t *tether.Template, v *tether.TemplateVersion) error {
	v.Language, v.Subject = strings.TrimSpace(v.Language), strings.TrimSpace(v.Subject)
	if v.Language == "" {
		v.Language = "en"
	}
	q := tether.Problems{}
	if !validTag(v.Language) {
		q.Add("language", "must be a language tag such as en, cy or ar")
	}
	switch {
	case t.Channel == tether.ChannelSMS && v.Subject != "":
		q.Add("subject", "a text message has no subject")
	case t.Channel != tether.ChannelSMS && v.Subject == "":
		q.Add("subject", "enter a subject")
	case len(v.Subject) > 300:
		q.Add("subject", "must be 300 characters or fewer")
	}
	if strings.TrimSpace(v.Body) == "" {
		q.Add("body", "enter the text")
	} else if len(v.Body) > 50000 {
		q.Add("body", "must be 50,000 characters or fewer")
	}
	for field, text := range map[string]string{"subject": v.Subject, "body": v.Body} {
		if text == "" {
			continue
		}
		if err := compose.Check(text, t.Placeholders); err != nil {
			q.Add(field, placeholderProblem(err))
		}
	}
	return q.Err()
}

// placeholderProblem words a compose error for a form field.
func placeholderProblem(err error) string {
	var ce *compose.CheckError
	if errors.As(err, &ce) {
		return "unknown placeholder " + quoteList(ce.Unknown) + ": declare it or correct the name"
	}
	return err.Error()
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "((" + n + "))"
	}
	return strings.Join(q, ", ")
}

// validTag is a loose BCP 47 check: letters, digits and hyphens, starting
// with 2 or 3 letters.
func validTag(s string) bool {
	if len(s) < 2 || len(s) > 20 {
		return false
	}
	primary, _, _ := strings.Cut(s, "-")
	if len(primary) < 2 || len(primary) > 3 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// CreateTemplate stores a new template with its first version as a draft
// (t.Versions[0], when given). EINVALID, ECONFLICT (the key is taken),
// EFORBIDDEN.
func (db *DB) CreateTemplate(ctx context.Context, t *tether.Template) error {
	a, err := templateWriter(ctx)
	if err != nil {
		return err
	}
	if err := validateTemplate(t); err != nil {
		return err
	}
	if t.Placeholders == nil {
		t.Placeholders = []string{}
	}
	var first *tether.TemplateVersion
	if len(t.Versions) > 0 {
		first = t.Versions[0]
		if err := validateVersion(t, first); err != nil {
			return err
		}
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	defer tx.rollback()
	var taken int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM templates WHERE key = ?`, t.Key).Scan(&taken); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	if taken > 0 {
		return &tether.Error{Code: tether.ECONFLICT, Message: "A template with the key " + t.Key + " already exists.",
			Fields: map[string]string{"key": "already in use by another template"}}
	}
	ph, _ := json.Marshal(t.Placeholders)
	t.CreatedAt, t.CreatedBy = tx.now, a.String()
	if t.ID, err = tx.InsertID(`INSERT INTO templates (key, title, kind, channel, asks_to_act, placeholders, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.Key, t.Title, t.Kind, t.Channel, t.AsksToAct, string(ph), tx.db.ts(tx.now), t.CreatedBy); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	tx.Audit("template.create", "template", t.ID, "key="+t.Key+" channel="+t.Channel+" kind="+t.Kind)
	if first != nil {
		if err := tx.insertVersion(t, first); err != nil {
			return fmt.Errorf("create template: %w", err)
		}
		t.Versions = []*tether.TemplateVersion{first}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	return nil
}

// insertVersion stores v as the next draft of t in its language, with its
// clarity report.
func (tx *Tx) insertVersion(t *tether.Template, v *tether.TemplateVersion) error {
	var n int
	if err := tx.QueryRow(`SELECT COALESCE(MAX(number), 0) FROM template_versions WHERE template_id = ? AND language = ?`,
		t.ID, v.Language).Scan(&n); err != nil {
		return err
	}
	rep := CheckTemplate(t, v, tx.db.correspondence().Bar)
	js, _ := json.Marshal(rep)
	v.TemplateID, v.Number, v.State = t.ID, n+1, tether.TemplateStateDraft
	v.ReadingEase, v.Grade, v.PassesBar, v.Clarity = rep.ReadingEase, rep.Grade, rep.PassesBar, &rep
	v.CreatedAt, v.CreatedBy = tx.now, tx.actor.String()
	v.OverrideReason, v.PublishedAt, v.PublishedBy = "", nil, ""
	id, err := tx.InsertID(`INSERT INTO template_versions (template_id, number, language, subject, body, state, reading_ease,
		grade, passes_bar, report, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, v.Number, v.Language, v.Subject, v.Body, v.State, v.ReadingEase, v.Grade, v.PassesBar, string(js),
		tx.db.ts(tx.now), v.CreatedBy)
	if err != nil {
		return err
	}
	v.ID = id
	tx.Audit("template.version", "template", t.ID, "version="+strconv.FormatInt(id, 10)+" language="+v.Language+
		" number="+strconv.Itoa(v.Number)+" passes_bar="+strconv.FormatBool(v.PassesBar))
	return nil
}

// AddTemplateVersion saves a new draft wording of a template; it never
// changes an earlier version. EINVALID, ENOTFOUND, EFORBIDDEN.
func (db *DB) AddTemplateVersion(ctx context.Context, templateID int64, v *tether.TemplateVersion) error {
	if _, err := templateWriter(ctx); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("add template version: %w", err)
	}
	defer tx.rollback()
	t, err := tx.loadTemplate(`id = ?`, templateID, true)
	if err != nil {
		return err
	}
	if err := validateVersion(t, v); err != nil {
		return err
	}
	if err := tx.insertVersion(t, v); err != nil {
		return fmt.Errorf("add template version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add template version: %w", err)
	}
	return nil
}

// PublishTemplateVersion makes a draft the version used for new notices in
// its language; the version it replaces is retired. A version below the
// clarity bar is published only by an admin who records a reason.
// EINVALID, ENOTFOUND, EFORBIDDEN, ECONFLICT (not a draft).
func (db *DB) PublishTemplateVersion(ctx context.Context, versionID int64, overrideReason string) error {
	a, err := templateWriter(ctx)
	if err != nil {
		return err
	}
	overrideReason = strings.TrimSpace(overrideReason)
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("publish template version: %w", err)
	}
	defer tx.rollback()
	v, err := tx.loadVersion(versionID)
	if err != nil {
		return err
	}
	if v.State != tether.TemplateStateDraft {
		return tether.Errorf(tether.ECONFLICT, "Only a draft can be published; this version is %s.", v.State)
	}
	state := tether.TemplateStatePublished
	if !v.PassesBar {
		switch {
		case a.Role != tether.RoleAdmin:
			return tether.Errorf(tether.EFORBIDDEN, "This version is below the clarity bar: only an admin may publish it, with a reason.")
		case overrideReason == "":
			return tether.Invalid("override_reason", "this version is below the clarity bar: record why it must be published as it is")
		case len(overrideReason) > 1000:
			return tether.Invalid("override_reason", "must be 1,000 characters or fewer")
		}
		state = tether.TemplateStatePublishedOver
	} else {
		overrideReason = ""
	}
	if _, err := tx.Exec(`UPDATE template_versions SET state = ?, retired_at = ? WHERE template_id = ? AND language = ?
		AND state IN (?, ?)`, templateRetired, tx.db.ts(tx.now), v.TemplateID, v.Language,
		tether.TemplateStatePublished, tether.TemplateStatePublishedOver); err != nil {
		return fmt.Errorf("publish template version: %w", err)
	}
	if _, err := tx.Exec(`UPDATE template_versions SET state = ?, override_reason = ?, published_at = ?, published_by = ?
		WHERE id = ?`, state, overrideReason, tx.db.ts(tx.now), a.String(), v.ID); err != nil {
		return fmt.Errorf("publish template version: %w", err)
	}
	detail := "state=" + state + " language=" + v.Language + " number=" + strconv.Itoa(v.Number)
	if overrideReason != "" {
		detail += " override=yes"
	}
	tx.Audit("template.publish", "template", v.TemplateID, detail+" version="+strconv.FormatInt(v.ID, 10))
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("publish template version: %w", err)
	}
	return nil
}

const templateCols = `id, key, title, kind, channel, asks_to_act, placeholders, created_at, created_by`

func scanTemplate(row rowScanner) (*tether.Template, error) {
	t := &tether.Template{}
	var ph string
	if err := row.Scan(&t.ID, &t.Key, &t.Title, &t.Kind, &t.Channel, &t.AsksToAct, &ph, timeScan{&t.CreatedAt}, &t.CreatedBy); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(ph), &t.Placeholders); err != nil {
		return nil, fmt.Errorf("template %d: placeholders: %w", t.ID, err)
	}
	return t, nil
}

const versionCols = `id, template_id, number, language, subject, body, state, reading_ease, grade, passes_bar, report,
	override_reason, published_at, published_by, created_at, created_by`

func scanVersion(row rowScanner) (*tether.TemplateVersion, error) {
	v := &tether.TemplateVersion{}
	var rep string
	if err := row.Scan(&v.ID, &v.TemplateID, &v.Number, &v.Language, &v.Subject, &v.Body, &v.State, &v.ReadingEase,
		&v.Grade, &v.PassesBar, &rep, &v.OverrideReason, nullTimeScan{&v.PublishedAt}, &v.PublishedBy,
		timeScan{&v.CreatedAt}, &v.CreatedBy); err != nil {
		return nil, err
	}
	if rep != "" && rep != "{}" {
		r := &clarity.Report{}
		if err := json.Unmarshal([]byte(rep), r); err == nil {
			v.Clarity = r
		}
	}
	return v, nil
}

// loadTemplate reads one template by a condition, with its versions
// (newest first) when withVersions. ENOTFOUND.
func (tx *Tx) loadTemplate(where string, arg any, withVersions bool) (*tether.Template, error) {
	t, err := scanTemplate(tx.QueryRow(`SELECT `+templateCols+` FROM templates WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tether.Errorf(tether.ENOTFOUND, "Template not found.")
	} else if err != nil {
		return nil, fmt.Errorf("load template: %w", err)
	}
	if !withVersions {
		return t, nil
	}
	rows, err := tx.Query(`SELECT `+versionCols+` FROM template_versions WHERE template_id = ? ORDER BY language, number DESC`, t.ID)
	if err != nil {
		return nil, fmt.Errorf("load template: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("load template: %w", err)
		}
		t.Versions = append(t.Versions, v)
	}
	return t, rows.Err()
}

func (tx *Tx) loadVersion(id int64) (*tether.TemplateVersion, error) {
	v, err := scanVersion(tx.QueryRow(`SELECT `+versionCols+` FROM template_versions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tether.Errorf(tether.ENOTFOUND, "Template version not found.")
	} else if err != nil {
		return nil, fmt.Errorf("load template version: %w", err)
	}
	return v, nil
}

// FindTemplateByKey returns a template with all its versions. ENOTFOUND.
func (db *DB) FindTemplateByKey(ctx context.Context, key string) (*tether.Template, error) {
	return db.findTemplate(ctx, `key = ?`, strings.ToLower(strings.TrimSpace(key)))
}

// FindTemplateByID returns a template with all its versions. ENOTFOUND.
func (db *DB) FindTemplateByID(ctx context.Context, id int64) (*tether.Template, error) {
	return db.findTemplate(ctx, `id = ?`, id)
}

func (db *DB) findTemplate(ctx context.Context, where string, arg any) (*tether.Template, error) {
	if _, err := templateReader(ctx); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("find template: %w", err)
	}
	defer tx.rollback()
	return tx.loadTemplate(where, arg, true)
}

// FindTemplateVersion returns one version. ENOTFOUND.
func (db *DB) FindTemplateVersion(ctx context.Context, id int64) (*tether.TemplateVersion, error) {
	if _, err := templateReader(ctx); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("find template version: %w", err)
	}
	defer tx.rollback()
	return tx.loadVersion(id)
}

// FindTemplates lists every template, by key, with its versions.
func (db *DB) FindTemplates(ctx context.Context) ([]*tether.Template, error) {
	if _, err := templateReader(ctx); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("find templates: %w", err)
	}
	defer tx.rollback()
	rows, err := tx.Query(`SELECT ` + templateCols + ` FROM templates ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("find templates: %w", err)
	}
	var ts []*tether.Template
	byID := map[int64]*tether.Template{}
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("find templates: %w", err)
		}
		ts = append(ts, t)
		byID[t.ID] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find templates: %w", err)
	}
	vrows, err := tx.Query(`SELECT ` + versionCols + ` FROM template_versions ORDER BY template_id, language, number DESC`)
	if err != nil {
		return nil, fmt.Errorf("find templates: %w", err)
	}
	defer vrows.Close()
	for vrows.Next() {
		v, err := scanVersion(vrows)
		if err != nil {
			return nil, fmt.Errorf("find templates: %w", err)
		}
		if t := byID[v.TemplateID]; t != nil {
			t.Versions = append(t.Versions, v)
		}
	}
	return ts, vrows.Err()
}

// SeedTemplates adds the starter set: each template not yet present by key
// is created with its versions published (an admin override, with the
// reason "starter set", for any below the bar). It returns how many
// templates it added; a second run adds none.
func (db *DB) SeedTemplates(ctx context.Context) (int, error) {
	a, err := templateWriter(ctx)
	if err != nil {
		return 0, err
	}
	starter, err := compose.Starter()
	if err != nil {
		return 0, err
	}
	added := 0
	for _, s := range starter {
		if _, err := db.FindTemplateByKey(ctx, s.Key); err == nil {
			continue
		} else if tether.ErrorCode(err) != tether.ENOTFOUND {
			return added, err
		}
		t := &tether.Template{Key: s.Key, Title: s.Title, Kind: s.Kind, Channel: s.Channel, AsksToAct: s.AsksToAct,
			Placeholders: append([]string{}, s.Placeholders...)}
		if err := db.CreateTemplate(ctx, t); err != nil {
			return added, fmt.Errorf("template %s: %w", s.Key, err)
		}
		for _, sv := range s.Versions {
			v := &tether.TemplateVersion{Language: sv.Language, Subject: sv.Subject, Body: sv.Body}
			if err := db.AddTemplateVersion(ctx, t.ID, v); err != nil {
				return added, fmt.Errorf("template %s (%s): %w", s.Key, sv.Language, err)
			}
			reason := ""
			if !v.PassesBar {
				if a.Role != tether.RoleAdmin {
					continue // stays a draft for an admin to look at
				}
				reason = "starter set"
			}
			if err := db.PublishTemplateVersion(ctx, v.ID, reason); err != nil {
				return added, fmt.Errorf("template %s (%s): %w", s.Key, sv.Language, err)
			}
		}
		added++
	}
	return added, nil
}

// publishedVersions are the versions of t in use, one per language.
func publishedVersions(t *tether.Template) map[string]*tether.TemplateVersion {
	out := map[string]*tether.TemplateVersion{}
	for _, v := range t.Versions {
		if v.State == tether.TemplateStatePublished || v.State == tether.TemplateStatePublishedOver {
			out[v.Language] = v
		}
	}
	return out
}
