package tether

import (
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Where an office's replies go. An organisation keeps the email address
// and postal address its replies are sent to, so that a caseworker does not
// type them for each reply; the rules are those of a reply's own to and
// to_address (enquiry.ReplyInput), so that anything kept here may be used
// there.

// MinReplyAddressLines and MaxReplyAddressLines bound an organisation's
// postal address; MaxReplyAddressChars bounds each line.
const (
	MinReplyAddressLines = 2
	MaxReplyAddressLines = 7
	MaxReplyAddressChars = 100
)

// ValidateReplyTo checks an organisation's reply email and postal address,
// adding problems to p under reply_email and reply_address, and returns
// them tidied: the email trimmed and lower-cased, each line trimmed. An
// empty email and an empty address are allowed (none on record).
func ValidateReplyTo(p Problems, email string, address []string) (string, []string) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email != "" {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
			p.Add("reply_email", "enter an email address like name@example.org, or leave it empty")
		} else if len(email) > 254 {
			p.Add("reply_email", "must be 254 characters or fewer")
		}
	}
	if len(address) == 0 {
		return email, nil
	}
	lines := make([]string, len(address))
	for i, l := range address {
		lines[i] = strings.TrimSpace(l)
	}
	if len(lines) < MinReplyAddressLines || len(lines) > MaxReplyAddressLines {
		p.Add("reply_address", "give 2 to 7 address lines, or none")
		return email, lines
	}
	for _, l := range lines {
		if l == "" || utf8.RuneCountInString(l) > MaxReplyAddressChars || !utf8.ValidString(l) || hasControl(l) {
			p.Add("reply_address", "each line must have text, of 100 characters or fewer")
			break
		}
	}
	return email, lines
}
