package dispatch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"

	"tether/mailer"
	"tether/notify"
)

// Error is a failure of a Sender that is neither Notify's nor the mail
// relay's own (those keep their types): a print spool that cannot be
// written, a notice the channel cannot carry.
type Error struct {
	Channel string
	// Reason says what went wrong, without personal data: it is stored as
	// the outbox item's last error.
	Reason         string
	Temporary      bool
	UnknownOutcome bool
	// Contact: the channel refused the contact point itself (an address
	// that cannot be printed), so the point is marked failed.
	Contact    bool
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	s := "dispatch: " + e.Channel + ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// permanent is an error that will happen again however often it is tried.
func permanent(channel, reason string) error {
	return &Error{Channel: channel, Reason: reason}
}

// refused is a permanent error about the contact point itself.
func refused(channel, reason string) error {
	return &Error{Channel: channel, Reason: reason, Contact: true}
}

// ContactFault reports whether a permanent err is about the contact point
// the notice went to, which then counts as failed: Notify's 400
// ValidationError (its answer to a number, email address or postal address
// it will not send to; we render the content and name the template, so
// other validation faults are ours and show in testing), the mail relay
// refusing the recipient, or a Sender's own refusal of the address. Any
// other permanent error is a fault of the channel or of our set-up: the
// notice fails visibly, but the person's contact details stand.
func ContactFault(err error) bool {
	var (
		de *Error
		ne *notify.Error
		me *mailer.Error
	)
	switch {
	case errors.As(err, &de):
		return de.Contact
	case errors.As(err, &ne):
		return ne.StatusCode == http.StatusBadRequest && ne.Has("ValidationError")
	case errors.As(err, &me):
		return me.Stage == "rcpt to"
	}
	return false
}

// temporary is an error that may go away.
func temporary(channel, reason string, err error) error {
	return &Error{Channel: channel, Reason: reason, Temporary: true, Err: err}
}

// ErrNoLookup is what a Sender's Lookup returns when its channel cannot say
// whether it holds a message (an SMTP relay): the dispatcher then sends
// again with the same idempotency reference.
var ErrNoLookup = errors.New("dispatch: this channel cannot look up a reference")

// Temporary reports whether trying err's send again later may succeed: a
// 429 or 5xx from Notify, a 4xx reply from the mail relay, a network error,
// a timeout, or a fault of the channel's set-up rather than of the notice (a
// refused API key, a relay refusing our sender or our credentials), which
// must not fail every notice while an operator fixes it. Any other error is
// permanent: the notice fails, its contact point is marked failed and a
// caseworker is told, so only errors about the notice itself are.
func Temporary(err error) bool {
	if err == nil {
		return false
	}
	var (
		de *Error
		ne *notify.Error
		me *mailer.Error
	)
	switch {
	case errors.As(err, &de):
		return de.Temporary || de.UnknownOutcome
	case notify.IsTemporary(err), mailer.IsTemporary(err):
		return true
	case notify.IsUnknownOutcome(err), mailer.IsUnknownOutcome(err):
		return true
	case errors.As(err, &ne):
		// 401 and 403: the key is wrong or revoked, for every notice.
		return ne.StatusCode == http.StatusUnauthorized || ne.StatusCode == http.StatusForbidden
	case errors.As(err, &me):
		// Only a refused recipient or message is about the notice.
		switch me.Stage {
		case "rcpt to", "data", "end of data", "message":
			return false
		}
		return true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return true
	}
	var nerr net.Error
	return errors.As(err, &nerr)
}

// UnknownOutcome reports whether err's send may have reached the channel
// although it failed: the next attempt looks the reference up first.
func UnknownOutcome(err error) bool {
	var de *Error
	if errors.As(err, &de) {
		return de.UnknownOutcome
	}
	return notify.IsUnknownOutcome(err) || mailer.IsUnknownOutcome(err)
}

// RetryAfter is how long the channel asked us to wait, or 0.
func RetryAfter(err error) time.Duration {
	var de *Error
	if errors.As(err, &de) {
		return de.RetryAfter
	}
	return notify.RetryAfter(err)
}

// Reason describes err for the outbox item's last error and the notice's
// timeline: the kind of failure and the channel's codes, never the text a
// server sent back, which can quote an address or a number.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var (
		ne *notify.Error
		me *mailer.Error
		de *Error
	)
	switch {
	case errors.As(err, &de):
		return de.Reason
	case errors.As(err, &ne):
		var b strings.Builder
		b.WriteString("notify " + ne.Op)
		if ne.StatusCode != 0 {
			fmt.Fprintf(&b, ": status %d", ne.StatusCode)
		}
		for i, ae := range ne.Errors {
			if i == 0 {
				b.WriteString(": ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString(ae.Error)
		}
		if ne.StatusCode == 0 && ne.Err != nil {
			b.WriteString(": " + networkWords(ne.Err))
		}
		if ne.UnknownOutcome {
			b.WriteString(" (outcome unknown)")
		}
		if ne.RetryAfter > 0 {
			fmt.Fprintf(&b, " (retry after %s)", ne.RetryAfter)
		}
		return b.String()
	case errors.As(err, &me):
		s := "smtp " + me.Stage
		if me.Code != 0 {
			s += fmt.Sprintf(": reply %d", me.Code)
		} else if me.Err != nil {
			s += ": " + networkWords(me.Err)
		}
		if me.UnknownOutcome {
			s += " (outcome unknown)"
		}
		return s
	}
	return networkWords(err)
}

// networkWords names a low-level error without its text, which may hold
// addresses.
func networkWords(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return "connection closed"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &ne):
		return "network error"
	}
	return "error"
}
