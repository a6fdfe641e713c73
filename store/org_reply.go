package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tether"
	"tether/letterpdf"
)

// An organisation's reply-to: the email address and postal address its
// replies go to when a caseworker gives none (see renderReply). The address
// is kept as a JSON array of lines; an organisation without one holds [].

// readReplyAddress reads the stored JSON array of address lines; an empty
// array reads as nil.
func readReplyAddress(stored string, dst *[]string) error {
	var lines []string
	if err := json.Unmarshal([]byte(stored), &lines); err != nil {
		return fmt.Errorf("reply_address: %w", err)
	}
	if len(lines) == 0 {
		lines = nil
	}
	*dst = lines
	return nil
}

// replyAddressJSON is the address lines as stored: [] for none.
func replyAddressJSON(lines []string) (string, error) {
	if len(lines) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(lines)
	return string(b), err
}

// checkReplyAddress refuses an address that a print-and-post supplier
// would refuse (letterpdf.CheckAddress), so that an address kept for an
// office is one its letters can go to. Empty is allowed.
func checkReplyAddress(lines []string) error {
	if len(lines) == 0 {
		return nil
	}
	if err := letterpdf.CheckAddress(lines); err != nil {
		reason := err.Error()
		var ae *letterpdf.AddressError
		if errors.As(err, &ae) {
			reason = ae.Reason
		}
		return tether.Invalid("reply_address", "the address would be refused for printing: "+reason)
	}
	return nil
}

// UpdateOrganisationReplyTo replaces where an organisation's replies go: its
// email address and postal address (empty for none). Admins only. The audit
// entry names the fields that changed and keeps the values they replaced;
// nothing is written when nothing changed. EINVALID (reply_email, reply_address), ENOTFOUND,
// EFORBIDDEN.
func (db *DB) UpdateOrganisationReplyTo(ctx context.Context, id int64, email string, address []string) (*tether.Organisation, error) {
	if _, err := actorWithRole(ctx, tether.RoleAdmin); err != nil {
		return nil, err
	}
	p := tether.Problems{}
	email, address = tether.ValidateReplyTo(p, email, address)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := checkReplyAddress(address); err != nil {
		return nil, err
	}
	stored, err := replyAddressJSON(address)
	if err != nil {
		return nil, fmt.Errorf("update organisation reply-to: %w", err)
	}
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("update organisation reply-to: %w", err)
	}
	defer tx.rollback()
	q := `SELECT ` + orgCols + ` FROM organisations WHERE id = ?`
	if db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	o, err := scanOrganisation(tx.QueryRow(q, id))
	if err != nil {
		return nil, notFound(err, "Organisation")
	}
	// The values replaced go in the audit entry, so that nothing is lost:
	// an office's address is the organisation's, not a person's.
	var changed, was []string
	if o.ReplyEmail != email {
		changed = append(changed, "reply_email")
		was = append(was, "reply_email="+strconv.Quote(o.ReplyEmail))
	}
	if !slices.Equal(o.ReplyAddress, address) {
		changed = append(changed, "reply_address")
		was = append(was, "reply_address="+strconv.Quote(strings.Join(o.ReplyAddress, " | ")))
	}
	o.ReplyEmail, o.ReplyAddress = email, address
	if len(changed) == 0 {
		return o, nil
	}
	if _, err := tx.Exec(`UPDATE organisations SET reply_email = ?, reply_address = ? WHERE id = ?`, email, stored, id); err != nil {
		return nil, fmt.Errorf("update organisation reply-to: %w", err)
	}
	tx.Audit("organisation.reply_to", "organisation", id, "fields="+strings.Join(changed, ",")+" was "+strings.Join(was, " "))
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("update organisation reply-to: %w", err)
	}
	return o, nil
}
