// Package mailer sends email over SMTP: the department's own mail relay,
// used where GOV.UK Notify is not (replies to representatives, internal
// copies). It writes plain-text UTF-8 messages and says, for each failure,
// whether to try again and whether the message may already have gone.
//
// Like notify, it knows nothing of the domain: it must never import the root
// tether package, storage or web.
package mailer

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"
)

// DefaultTimeout bounds one whole SMTP conversation when SMTP.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// SMTP sends through one mail server. Password is a secret: the binary
// reads it from the environment, and the String, GoString and LogValue
// methods never show it.
type SMTP struct {
	Addr     string // host:port of the relay, usually port 587
	From     string // the sender, "Name <address>" or a bare address
	Username string // for AUTH PLAIN; empty for a relay that needs none
	Password string
	// Timeout bounds the whole conversation, connecting included.
	// 0 means DefaultTimeout.
	Timeout time.Duration
	// Hostname is the name we give in EHLO; defaults to "localhost".
	Hostname string
	// TLSConfig is used for STARTTLS; by default the server name is the
	// host in Addr and certificates are verified.
	TLSConfig *tls.Config
	// RequireTLS refuses to send when the server does not offer STARTTLS.
	// Credentials are never sent in clear to anything but a loopback
	// address, whatever this says.
	RequireTLS bool
	// Now dates messages; defaults to time.Now.
	Now func() time.Time
}

// String describes the relay without its password.
func (s SMTP) String() string {
	pw := ""
	if s.Password != "" {
		pw = " password=[redacted]"
	}
	return fmt.Sprintf("smtp{addr=%s from=%s user=%s%s}", s.Addr, s.From, s.Username, pw)
}

// GoString is String, so that %#v does not print the password either.
func (s SMTP) GoString() string { return s.String() }

// LogValue keeps the password out of structured logs.
func (s SMTP) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("addr", s.Addr), slog.String("from", s.From), slog.String("user", s.Username),
		slog.Bool("password_set", s.Password != ""))
}

// Message is one plain-text email.
type Message struct {
	To      string // one recipient, "Name <address>" or a bare address
	Subject string
	Body    string // plain text, UTF-8; line endings are normalised to CRLF
	// IdempotencyRef is the notice's idempotency reference. The Message-ID
	// is derived from it, so a retried send carries the same Message-ID
	// and a receiving system that deduplicates drops the copy.
	IdempotencyRef string
	// Headers are extra headers such as Reply-To or Auto-Submitted. The
	// headers the message is built from (From, To, Subject, Date,
	// Message-ID, MIME and content headers, Cc, Bcc) cannot be set here.
	Headers map[string]string
}

// Error is what Send returns when the message was not accepted, or when we
// cannot tell.
type Error struct {
	Stage   string // "connect", "hello", "starttls", "auth", "mail from", "rcpt to", "data", "end of data", "message"
	Code    int    // the SMTP reply code; 0 when the server gave none
	Message string // the server's reply text, or what was wrong
	// Temporary: trying later may succeed (4xx replies, network errors).
	// A 5xx reply or a malformed message will fail again.
	Temporary bool
	// UnknownOutcome: the connection failed after the whole message was
	// sent and before the server answered: it may have been accepted.
	UnknownOutcome bool
	Err            error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("mailer: ")
	b.WriteString(e.Stage)
	if e.Code != 0 {
		fmt.Fprintf(&b, ": %d", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.UnknownOutcome {
		b.WriteString(" (outcome unknown: the message may have been accepted)")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// IsTemporary reports whether err is an *Error that may succeed later.
func IsTemporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Temporary
}

// IsUnknownOutcome reports whether the message may have been accepted
// although Send failed.
func IsUnknownOutcome(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.UnknownOutcome
}

// Send delivers m to the relay and returns its Message-ID. It uses STARTTLS
// whenever the server offers it.
func (s *SMTP) Send(ctx context.Context, m Message) (messageID string, err error) {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return "", &Error{Stage: "message", Message: "the From address is not valid", Err: err}
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return "", &Error{Stage: "message", Message: "the recipient's address is not valid", Err: err}
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	messageID = MessageID(m.IdempotencyRef, domainOf(from.Address))
	data, err := build(from, to, m, messageID, now())
	if err != nil {
		return "", err
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return "", &Error{Stage: "connect", Message: "the relay address is not host:port", Err: err}
	}

	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return "", classify("connect", err, false)
	}
	defer conn.Close()
	dl, _ := ctx.Deadline()
	conn.SetDeadline(dl)
	// Cancelling ctx fails whatever read or write is under way.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	fail := func(stage string, err error, unknown bool) (string, error) {
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return "", classify(stage, err, unknown)
	}

	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fail("hello", err, false)
	}
	defer c.Close()
	hostname := s.Hostname
	if hostname == "" {
		hostname = "localhost"
	}
	if err := c.Hello(hostname); err != nil {
		return fail("hello", err, false)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLSConfig.Clone()
		if cfg == nil {
			cfg = &tls.Config{}
		}
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
		if err := c.StartTLS(cfg); err != nil {
			return fail("starttls", err, false)
		}
	} else if s.RequireTLS {
		return "", &Error{Stage: "starttls", Message: "the server does not offer STARTTLS and TLS is required"}
	}
	if s.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return "", &Error{Stage: "auth", Message: "the server does not offer AUTH"}
		}
		// PlainAuth itself refuses to send credentials in clear except to
		// a loopback address.
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fail("auth", err, false)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fail("mail from", err, false)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fail("rcpt to", err, false)
	}
	w, err := c.Data()
	if err != nil {
		return fail("data", err, false)
	}
	if _, err := w.Write(data); err != nil {
		return fail("data", err, false)
	}
	// Close sends the final "." and reads the server's verdict: a failure
	// to hear it leaves the outcome unknown.
	if err := w.Close(); err != nil {
		return fail("end of data", err, true)
	}
	// The message is accepted; a failed QUIT does not change that.
	_ = c.Quit()
	return messageID, nil
}

// classify turns an SMTP or network error into an *Error. unknown says the
// failure came after the message was handed over.
func classify(stage string, err error, unknown bool) *Error {
	e := &Error{Stage: stage, Err: err}
	var te *textproto.Error
	if errors.As(err, &te) {
		e.Code, e.Message, e.Err = te.Code, te.Msg, nil
		// 4xx: try later. 5xx: refused. A reply means the server did
		// answer, so the outcome is known.
		e.Temporary = te.Code >= 400 && te.Code < 500
		return e
	}
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return e // a certificate that does not verify will not start to
	}
	e.Temporary = true
	e.UnknownOutcome = unknown
	return e
}

// MessageID returns the Message-ID for an idempotency reference, with
// angle brackets: the same reference always gives the same id. A
// reference that is not a valid dot-atom of at most 64 characters is
// hashed. With no reference the id is random.
func MessageID(ref, domain string) string {
	if domain == "" || !isDotAtom(domain) {
		domain = "tether.invalid"
	}
	switch {
	case ref == "":
		var b [16]byte
		rand.Read(b[:])
		ref = "r." + hex.EncodeToString(b[:])
	case len(ref) > 64 || !isDotAtom(ref):
		sum := sha256.Sum256([]byte(ref))
		ref = "h." + hex.EncodeToString(sum[:20])
	}
	return "<" + ref + "@" + domain + ">"
}

// isDotAtom reports whether s is an RFC 5322 dot-atom: atoms of atext
// joined by single dots.
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' ||
			strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0) {
			return false
		}
	}
	return true
}

func domainOf(addr string) string {
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		return addr[at+1:]
	}
	return ""
}
