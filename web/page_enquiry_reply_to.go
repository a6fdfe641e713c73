package web

import (
	"context"
	"strings"

	"tether"
)

// replyToHints are the reply form's hints for the email address and the
// postal address: a blank one uses the office's on record, which the hint
// shows, or else (for email) goes to the office's user who raised the
// enquiry. An organisation the user may not read is treated as having
// nothing on record; any other failure is returned.
func (s *Server) replyToHints(ctx context.Context, orgID int64) (email, address string, err error) {
	email = "Leave blank to reply to the person at the office who raised it"
	address = "One line each, 2 to 7 lines, the postcode last"
	if s.Users == nil {
		return email, address, nil
	}
	o, err := s.Users.FindOrganisationByID(ctx, orgID)
	switch tether.ErrorCode(err) {
	case "":
	case tether.ENOTFOUND, tether.EFORBIDDEN:
		return email, address, nil
	default:
		return "", "", err
	}
	if o.ReplyEmail != "" {
		email = "Leave blank to use the office's email address on record. On record: " + o.ReplyEmail
	}
	if len(o.ReplyAddress) > 0 {
		address += ". Leave blank to use the office's address on record. On record: " + strings.Join(o.ReplyAddress, ", ")
	}
	return email, address, nil
}
