package mailer

import (
	"bytes"
	"fmt"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// reserved are the headers build writes itself; Message.Headers may not
// set them. Cc and Bcc are refused because the envelope has one recipient.
var reserved = map[string]bool{
	"From": true, "To": true, "Cc": true, "Bcc": true, "Subject": true, "Date": true, "Message-Id": true,
	"Mime-Version": true, "Content-Type": true, "Content-Transfer-Encoding": true, "Sender": true,
}

// maxHeaderLine is RFC 5322's limit on a line, less room for the name.
const maxHeaderLine = 900

// build writes the message: headers, a blank line and the body in
// quoted-printable UTF-8, all with CRLF line endings.
func build(from, to *mail.Address, m Message, messageID string, date time.Time) ([]byte, error) {
	bad := func(format string, args ...any) error {
		return &Error{Stage: "message", Message: fmt.Sprintf(format, args...)}
	}
	if !utf8.ValidString(m.Subject) || !utf8.ValidString(m.Body) {
		return nil, bad("the subject or body is not valid UTF-8")
	}
	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(value)
		b.WriteString("\r\n")
	}
	header("From", from.String())
	header("To", to.String())
	subject, err := encodeHeader("Subject", m.Subject)
	if err != nil {
		return nil, bad("subject: %v", err)
	}
	header("Subject", subject)
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", messageID)
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")

	names := make([]string, 0, len(m.Headers))
	for name := range m.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !validHeaderName(name) {
			return nil, bad("header name %q is not valid", name)
		}
		canon := textproto.CanonicalMIMEHeaderKey(name)
		if reserved[canon] {
			return nil, bad("header %s is set by the mailer", canon)
		}
		v, err := encodeHeader(canon, m.Headers[name])
		if err != nil {
			return nil, bad("header %s: %v", canon, err)
		}
		header(canon, v)
	}
	b.WriteString("\r\n")

	var body bytes.Buffer
	qp := quotedprintable.NewWriter(&body)
	// Normalise line endings first: quoted-printable writes each line
	// break as CRLF, and a lone CR would otherwise count as one.
	text := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\r", "\n")
	if _, err := qp.Write([]byte(text)); err != nil {
		return nil, bad("body: %v", err)
	}
	if err := qp.Close(); err != nil {
		return nil, bad("body: %v", err)
	}
	// Some relays turn a line starting "From " into ">From " (mbox
	// escaping); written as =46rom it reads the same and survives.
	out := bytes.ReplaceAll(append([]byte("\r\n"), body.Bytes()...), []byte("\r\nFrom "), []byte("\r\n=46rom "))
	b.Write(out[2:])
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		// SMTP needs a final line break; a soft one adds nothing to the
		// text.
		b.WriteString("=\r\n")
	}
	return b.Bytes(), nil
}

// encodeHeader returns a header's value, encoded per RFC 2047 (Q
// encoding, UTF-8) when it holds anything but printable ASCII. Control
// characters are encoded too, so a value cannot smuggle in a line break
// and a header of its own. Encoded words are kept short enough that no line
// passes 76 characters, and folded between words.
func encodeHeader(name, v string) (string, error) {
	if !needsEncoding(v) {
		if len(v) > maxHeaderLine {
			return "", fmt.Errorf("%d characters is too long", len(v))
		}
		return v, nil
	}
	const (
		prefix  = "=?utf-8?q?"
		suffix  = "?="
		maxLine = 76
	)
	var out, word strings.Builder
	room := maxLine - len(name) - len(": ") - len(prefix) - len(suffix)
	flush := func() {
		if out.Len() > 0 {
			out.WriteString("\r\n ")
		}
		out.WriteString(prefix + word.String() + suffix)
		word.Reset()
		room = maxLine - 1 - len(prefix) - len(suffix)
	}
	var buf [utf8.UTFMax]byte
	for _, r := range v {
		var enc string
		switch {
		case r == ' ':
			enc = "_"
		case r > ' ' && r <= '~' && r != '=' && r != '?' && r != '_':
			enc = string(r)
		default:
			n := utf8.EncodeRune(buf[:], r)
			for _, b := range buf[:n] {
				enc += fmt.Sprintf("=%02X", b)
			}
		}
		if word.Len()+len(enc) > room && word.Len() > 0 {
			flush()
		}
		word.WriteString(enc)
	}
	flush()
	return out.String(), nil
}

func needsEncoding(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c > '~' {
			return true
		}
	}
	return false
}

func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}
