package dispatch

import (
	"context"
	"errors"
	"strings"

	"tether"
	"tether/mailer"
	"tether/notify"
)

// Sender carries notices over one channel.
type Sender interface {
	// Send hands the notice to the channel with the notice's Ref as the
	// idempotency reference, and returns the channel's own id for it.
	// Errors are classified by Temporary, RetryAfter and UnknownOutcome.
	Send(ctx context.Context, n *tether.Notice) (providerID string, err error)
	// Lookup asks the channel whether it already holds a message with the
	// reference, and its id if so. ErrNoLookup when the channel cannot say.
	Lookup(ctx context.Context, ref string) (providerID string, found bool, err error)
}

// NotifySender sends through GOV.UK Notify: emails, text messages or
// letters, one channel per sender.
//
// Tether renders every notice itself (the template version, the
// personalisation and the clarity check are ours, and the rendered text is
// what the proof of service shows). So the Notify service needs only one
// generic template per channel, whose content is nothing but placeholders:
//
//	email:  subject "((subject))", body "((body))"
//	sms:    body "((body))"
//	letter: heading "((subject))", body "((body))"; Notify fills the
//	        address block from address_line_1 to address_line_7
//
// TemplateID is that template's id. Templates may name a different Notify
// template for one of our template keys (for a letter with other branding,
// say); it must take the same placeholders.
type NotifySender struct {
	Client *notify.Client
	// Channel is tether.SendNotifyEmail, SendNotifySMS or SendNotifyLetter.
	Channel    string
	TemplateID string
	Templates  map[string]string
	// EmailReplyToID and SMSSenderID pick a reply-to address or a text
	// sender; empty for the service's defaults.
	EmailReplyToID string
	SMSSenderID    string
}

// maxAddressLines is how many address lines a Notify letter takes.
const maxAddressLines = 7

// Send sends the notice.
func (s *NotifySender) Send(ctx context.Context, n *tether.Notice) (string, error) {
	tid := s.TemplateID
	if t, ok := s.Templates[n.TemplateKey]; ok && t != "" {
		tid = t
	}
	r := notify.Request{TemplateID: tid, Reference: n.Ref,
		Personalisation: map[string]string{"subject": n.Subject, "body": n.Content}}
	var (
		resp notify.Response
		err  error
	)
	switch s.Channel {
	case tether.SendNotifyEmail:
		if r.To = firstLine(n.Destination); r.To == "" {
			return "", permanent(s.Channel, "the notice has no email address")
		}
		r.EmailReplyToID = s.EmailReplyToID
		resp, err = s.Client.SendEmail(ctx, r)
	case tether.SendNotifySMS:
		if r.To = firstLine(n.Destination); r.To == "" {
			return "", permanent(s.Channel, "the notice has no mobile number")
		}
		delete(r.Personalisation, "subject")
		r.SMSSenderID = s.SMSSenderID
		resp, err = s.Client.SendSMS(ctx, r)
	case tether.SendNotifyLetter:
		if r.Address = AddressLines(n.Destination, maxAddressLines); len(r.Address) < 3 {
			return "", permanent(s.Channel, "the notice has no postal address of at least 3 lines, as Notify needs")
		}
		resp, err = s.Client.SendLetter(ctx, r)
	default:
		return "", permanent(s.Channel, "not a Notify channel")
	}
	if err != nil {
		return "", err
	}
	return resp.ID, nil
}

// Lookup finds a notification Notify holds with the reference. Notify lists
// notifications for 7 days, longer than a notice waits between attempts.
func (s *NotifySender) Lookup(ctx context.Context, ref string) (string, bool, error) {
	list, err := s.Client.ListByReference(ctx, ref)
	if err != nil {
		return "", false, err
	}
	if len(list) == 0 {
		return "", false, nil
	}
	// Newest first: the oldest is the one first accepted.
	return list[len(list)-1].ID, true, nil
}

// AddressLines fits address lines into at most max lines, keeping the
// first line and the last (the postcode or country, which Notify needs
// last) and joining the middle lines with commas where there are too many.
// Empty lines are dropped.
func AddressLines(lines []string, max int) []string {
	var out []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	for len(out) > max && len(out) >= 3 {
		// Join the two shortest neighbours in the middle.
		best := 1
		for i := 1; i+1 < len(out)-1; i++ {
			if len(out[i])+len(out[i+1]) < len(out[best])+len(out[best+1]) {
				best = i
			}
		}
		out[best] = out[best] + ", " + out[best+1]
		out = append(out[:best+1], out[best+2:]...)
	}
	return out
}

func firstLine(lines []string) string {
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// SMTPSender sends email through the department's mail relay.
type SMTPSender struct {
	SMTP *mailer.SMTP
	// Headers are added to every message (Reply-To, say).
	Headers map[string]string
}

// Send sends the notice as a plain-text email. The Message-ID comes from
// the notice's Ref, so a second send after an unknown outcome carries the
// same Message-ID and a receiving system that deduplicates drops it.
func (s *SMTPSender) Send(ctx context.Context, n *tether.Notice) (string, error) {
	to := firstLine(n.Destination)
	if to == "" {
		return "", permanent(tether.SendSMTP, "the notice has no email address")
	}
	h := map[string]string{"Auto-Submitted": "auto-generated"}
	for k, v := range s.Headers {
		h[k] = v
	}
	id, err := s.SMTP.Send(ctx, mailer.Message{To: to, Subject: n.Subject, Body: n.Content, IdempotencyRef: n.Ref, Headers: h})
	if err != nil {
		return "", err
	}
	return strings.Trim(id, "<>"), nil
}

// Lookup cannot ask a mail relay what it holds: ErrNoLookup.
func (s *SMTPSender) Lookup(ctx context.Context, ref string) (string, bool, error) {
	return "", false, ErrNoLookup
}

// isNoLookup reports whether err is ErrNoLookup.
func isNoLookup(err error) bool { return errors.Is(err, ErrNoLookup) }
