package enquiry

import (
	"net/mail"
	"strings"
	"unicode/utf8"

	"tether"
)

// Reply channels: how a reply reaches the office. The template's channel
// decides.
const (
	ChannelEmail  = "email"
	ChannelLetter = "letter"
)

// ReplyInput is a reply to send: the enquiry-reply template and its
// personalisation, where it goes (an email
// template goes to To, else to the organisation's reply email on record,
// else to the office's user who raised the enquiry; a letter goes to
// ToAddress, else to the organisation's postal address on record), and,
// for an administrator only, the reason to send a text below the clarity
// bar. Tether sends the reply; ProofRef is only for a reply the caseworker
// already sent outside Tether (an email's Message-ID, a postal tracking
// number), which is then recorded as sent and not sent again.
//
// The store fills in, and a caller may not set: reference and enquiry_ref
// (the enquiry's), enquiry_date and due_date (in words), today, and for a
// holding reply holding ("yes", "" for an answer, for conditional text
// such as ((holding??...))), new_date and holding_reason (HoldingWords).
// It offers, and a caller may replace: mp_name (the organisation's name),
// person_name (as the office gave it), team_name, consent ("yes" when the
// office holds written consent), and the correspondence defaults
// (help_phone...).
type ReplyInput struct {
	TemplateKey     string            `json:"template_key"`
	Language        string            `json:"language,omitempty"`
	Personalisation map[string]string `json:"personalisation,omitempty"`
	To              string            `json:"to,omitempty"`
	ToAddress       []string          `json:"to_address,omitempty"`
	ProofRef        string            `json:"proof_ref,omitempty"`
	OverrideReason  string            `json:"override_reason,omitempty"`
	Version         int               `json:"version,omitempty"`
}

// HoldingReplyInput is a holding reply: what it says (HoldingInput) and
// how it is sent (ReplyInput).
type HoldingReplyInput struct {
	HoldingInput
	ReplyInput
}

// Validate checks the fields that need no records: a template key, at most
// 50 personalisation values of 5,000 characters, an email address or 2 to
// 7 address lines of 100 characters, and short references and reasons.
func (in *ReplyInput) Validate() error {
	q := tether.Problems{}
	in.TemplateKey, in.To = strings.TrimSpace(in.TemplateKey), strings.TrimSpace(in.To)
	in.ProofRef, in.OverrideReason = strings.TrimSpace(in.ProofRef), strings.TrimSpace(in.OverrideReason)
	in.Language = strings.TrimSpace(in.Language)
	if in.TemplateKey == "" {
		q.Add("template_key", "choose the reply template")
	} else if len(in.TemplateKey) > 80 {
		q.Add("template_key", "must be 80 characters or fewer")
	}
	if len(in.Language) > 20 {
		q.Add("language", "must be a language tag such as en or cy")
	}
	if len(in.Personalisation) > 50 {
		q.Add("personalisation", "at most 50 values")
	}
	for k, v := range in.Personalisation {
		if k == "" || len(k) > 80 {
			q.Add("personalisation", "each value needs a name of 80 characters or fewer")
		} else if utf8.RuneCountInString(v) > 5000 {
			q.Add("personalisation."+k, "must be 5,000 characters or fewer")
		}
	}
	if in.To != "" {
		if a, err := mail.ParseAddress(in.To); err != nil || a.Address != in.To {
			q.Add("to", "must be an email address like name@example.org")
		}
	}
	if len(in.ToAddress) > 0 {
		if in.To != "" {
			q.Add("to_address", "give an email address or a postal address, not both")
		}
		if len(in.ToAddress) < 2 || len(in.ToAddress) > 7 {
			q.Add("to_address", "give 2 to 7 address lines")
		}
		for i, l := range in.ToAddress {
			in.ToAddress[i] = strings.TrimSpace(l)
			if in.ToAddress[i] == "" || utf8.RuneCountInString(in.ToAddress[i]) > 100 || !printable(in.ToAddress[i]) {
				q.Add("to_address", "each line must have text, of 100 characters or fewer")
			}
		}
	}
	if utf8.RuneCountInString(in.ProofRef) > 200 {
		q.Add("proof_ref", "must be 200 characters or fewer")
	}
	if utf8.RuneCountInString(in.OverrideReason) > 500 {
		q.Add("override_reason", "must be 500 characters or fewer")
	}
	if in.Version < 0 {
		q.Add("version", "must be the version of the enquiry you saw")
	}
	return q.Err()
}
