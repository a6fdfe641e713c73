package mailer_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"tether/mailer"
	"tether/mailer/smtptest"
)

var fixedNow = func() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC) }

func relay(srv *smtptest.Server) *mailer.SMTP {
	return &mailer.SMTP{Addr: srv.Addr, From: "Tether <no-reply@contact.example.gov.uk>", Timeout: 5 * time.Second, Now: fixedNow}
}

func message() mailer.Message {
	return mailer.Message{
		To:             "Amala Okoye <amala@example.org>",
		Subject:        "Your reporting date has changed: Dydd Llun, 9 Mawrth – ffôn",
		Body:           "Dear Amala,\n\nYou must report on Monday 9 March.\n.\nA line that starts with a dot, and a long one: " + strings.Repeat("word ", 30) + "\nFrom here on: £20 travel costs.\n",
		IdempotencyRef: "notice-42.attempt",
		Headers:        map[string]string{"Auto-Submitted": "auto-generated", "X-Tether-Notice": "42"},
	}
}

// parse reads a received message and decodes its subject and body.
func parse(t *testing.T, data []byte) (*mail.Message, string, string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("received message does not parse: %v\n%s", err, data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Fatalf("Content-Transfer-Encoding = %q", msg.Header.Get("Content-Transfer-Encoding"))
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	return msg, subject, strings.ReplaceAll(string(body), "\r\n", "\n")
}

func TestSendPlain(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	m := message()
	id, err := relay(srv).Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if id != "<notice-42.attempt@contact.example.gov.uk>" {
		t.Errorf("Message-ID = %s", id)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("received %d messages", len(got))
	}
	if got[0].From != "no-reply@contact.example.gov.uk" || len(got[0].To) != 1 || got[0].To[0] != "amala@example.org" || got[0].TLS {
		t.Errorf("envelope %+v", got[0])
	}
	msg, subject, body := parse(t, got[0].Data)
	if subject != m.Subject {
		t.Errorf("subject = %q, want %q", subject, m.Subject)
	}
	if body != m.Body {
		t.Errorf("body = %q, want %q", body, m.Body)
	}
	for k, want := range map[string]string{
		"Message-Id":      id,
		"Date":            "Mon, 02 Mar 2026 09:30:00 +0000",
		"Mime-Version":    "1.0",
		"Content-Type":    "text/plain; charset=utf-8",
		"Auto-Submitted":  "auto-generated",
		"X-Tether-Notice": "42",
	} {
		if v := msg.Header.Get(k); v != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Amala Okoye" || to[0].Address != "amala@example.org" {
		t.Errorf("To = %v, %v", to, err)
	}
	for _, line := range strings.Split(string(got[0].Data), "\n") {
		if len(line) > 78 {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}

	// A retry carries the same Message-ID.
	id2, err := relay(srv).Send(context.Background(), m)
	if err != nil || id2 != id {
		t.Errorf("retry Message-ID = %s, %v; want %s", id2, err, id)
	}
}

func TestSendSTARTTLSAndAuth(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	srv := smtptest.Start(t, smtptest.Options{TLSConfig: serverTLS, Username: "tether", Password: "correct horse"})
	r := relay(srv)
	r.TLSConfig = clientTLS
	r.Username, r.Password = "tether", "correct horse"
	r.RequireTLS = true
	if _, err := r.Send(context.Background(), message()); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 || !got[0].TLS || got[0].Auth != "tether" {
		t.Fatalf("received %+v, want one message over TLS as tether", got)
	}

	// A certificate we do not trust is refused, permanently.
	r2 := relay(srv)
	r2.Username, r2.Password = "tether", "correct horse"
	_, err := r2.Send(context.Background(), message())
	if err == nil || mailer.IsTemporary(err) {
		t.Errorf("untrusted certificate: err = %v, want a permanent error", err)
	}

	// A wrong password is refused, permanently.
	r.Password = "wrong"
	_, err = r.Send(context.Background(), message())
	var e *mailer.Error
	if !errors.As(err, &e) || e.Stage != "auth" || e.Code != 535 || mailer.IsTemporary(err) {
		t.Errorf("wrong password: err = %v", err)
	}
	if strings.Contains(fmt.Sprint(err), "wrong") {
		t.Errorf("error %q shows the password", err)
	}
}

func TestRequireTLSWithoutSTARTTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	r := relay(srv)
	r.RequireTLS = true
	_, err := r.Send(context.Background(), message())
	if err == nil || mailer.IsTemporary(err) || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("err = %v, want a permanent STARTTLS error", err)
	}
	if len(srv.Messages()) != 0 {
		t.Error("sent in clear")
	}
}

func TestSendFailures(t *testing.T) {
	tests := []struct {
		name      string
		arrange   func(*smtptest.Server)
		stage     string
		code      int
		temporary bool
		unknown   bool
		stored    int
	}{
		{"451 at RCPT", func(s *smtptest.Server) { s.Fail(smtptest.Rcpt, 451, "4.3.0 try again later") }, "rcpt to", 451, true, false, 0},
		{"550 at RCPT", func(s *smtptest.Server) { s.Fail(smtptest.Rcpt, 550, "5.1.1 no such user") }, "rcpt to", 550, false, false, 0},
		{"421 at MAIL", func(s *smtptest.Server) { s.Fail(smtptest.Mail, 421, "4.7.0 too busy") }, "mail from", 421, true, false, 0},
		{"554 at DATA", func(s *smtptest.Server) { s.Fail(smtptest.Data, 554, "5.3.0 no") }, "data", 554, false, false, 0},
		{"451 after the message", func(s *smtptest.Server) { s.Fail(smtptest.End, 451, "4.3.0 queue full") }, "end of data", 451, true, false, 0},
		{"552 after the message", func(s *smtptest.Server) { s.Fail(smtptest.End, 552, "5.3.4 too big") }, "end of data", 552, false, false, 0},
		{"hang-up after the message", func(s *smtptest.Server) { s.HangUpAfterData() }, "end of data", 0, true, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t, smtptest.Options{})
			tt.arrange(srv)
			_, err := relay(srv).Send(context.Background(), message())
			var e *mailer.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *mailer.Error", err, err)
			}
			if e.Stage != tt.stage || e.Code != tt.code || mailer.IsTemporary(err) != tt.temporary || mailer.IsUnknownOutcome(err) != tt.unknown {
				t.Errorf("err = %v: stage %q code %d temporary %v unknown %v; want %q %d %v %v",
					err, e.Stage, e.Code, e.Temporary, e.UnknownOutcome, tt.stage, tt.code, tt.temporary, tt.unknown)
			}
			if n := len(srv.Messages()); n != tt.stored {
				t.Errorf("server kept %d messages, want %d", n, tt.stored)
			}
			// The fault was one-off: the retry goes through.
			if _, err := relay(srv).Send(context.Background(), message()); err != nil {
				t.Errorf("retry: %v", err)
			}
		})
	}
}

func TestSendNetworkFailures(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		r := &mailer.SMTP{Addr: addr, From: "a@example.org", Timeout: time.Second}
		_, err := r.Send(context.Background(), message())
		if !mailer.IsTemporary(err) || mailer.IsUnknownOutcome(err) {
			t.Errorf("err = %v, want temporary, not sent", err)
		}
	})
	t.Run("server never greets", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		defer ln.Close()
		go func() {
			c, err := ln.Accept()
			if err == nil {
				defer c.Close()
				io.Copy(io.Discard, c)
			}
		}()
		r := &mailer.SMTP{Addr: ln.Addr().String(), From: "a@example.org", Timeout: 200 * time.Millisecond}
		start := time.Now()
		_, err := r.Send(context.Background(), message())
		if !mailer.IsTemporary(err) || mailer.IsUnknownOutcome(err) {
			t.Errorf("err = %v, want temporary, not sent", err)
		}
		if time.Since(start) > 3*time.Second {
			t.Errorf("timeout took %v", time.Since(start))
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		srv := smtptest.Start(t, smtptest.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := relay(srv).Send(ctx, message())
		if !mailer.IsTemporary(err) || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want temporary, context.Canceled", err)
		}
	})
}

func TestMessageRefused(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	tests := []struct {
		name string
		mod  func(*mailer.Message, *mailer.SMTP)
	}{
		{"bad recipient", func(m *mailer.Message, _ *mailer.SMTP) { m.To = "not an address" }},
		{"recipient with a line break", func(m *mailer.Message, _ *mailer.SMTP) { m.To = "a@example.org\r\nRCPT TO:<b@example.org>" }},
		{"bad sender", func(_ *mailer.Message, s *mailer.SMTP) { s.From = "" }},
		{"reserved header", func(m *mailer.Message, _ *mailer.SMTP) { m.Headers = map[string]string{"bcc": "spy@example.org"} }},
		{"bad header name", func(m *mailer.Message, _ *mailer.SMTP) { m.Headers = map[string]string{"X Bad": "1"} }},
		{"header name with colon", func(m *mailer.Message, _ *mailer.SMTP) { m.Headers = map[string]string{"X-A:": "1"} }},
		{"invalid UTF-8", func(m *mailer.Message, _ *mailer.SMTP) { m.Body = "\xff" }},
		{"very long ASCII subject", func(m *mailer.Message, _ *mailer.SMTP) { m.Subject = strings.Repeat("x", 1000) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, r := message(), relay(srv)
			tt.mod(&m, r)
			_, err := r.Send(context.Background(), m)
			if err == nil || mailer.IsTemporary(err) {
				t.Errorf("err = %v, want a permanent error", err)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d refused messages were sent", n)
	}
}

func TestHeaderInjection(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	m := message()
	m.Subject = "Hello\r\nBcc: spy@example.org"
	m.Headers = map[string]string{"X-Note": "one\r\nBcc: spy@example.org"}
	if _, err := relay(srv).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	msg, subject, _ := parse(t, srv.Messages()[0].Data)
	if msg.Header.Get("Bcc") != "" {
		t.Fatalf("a header was injected: %v", msg.Header)
	}
	if subject != m.Subject {
		t.Errorf("subject = %q, want %q kept, encoded", subject, m.Subject)
	}
}

func TestMessageID(t *testing.T) {
	tests := []struct {
		ref, domain, want string
	}{
		{"notice-42", "example.gov.uk", "<notice-42@example.gov.uk>"},
		{"notice-42.3", "example.gov.uk", "<notice-42.3@example.gov.uk>"},
		{"notice 42", "example.gov.uk", "<h.22b7e4b0d1c2c47f8a4dae5c6e22f0a62f0ae4c7@example.gov.uk>"},
		{"notice-42", "", "<notice-42@tether.invalid>"},
		{"notice-42", "bad domain", "<notice-42@tether.invalid>"},
		{".lead", "example.gov.uk", ""},
		{"a..b", "example.gov.uk", ""},
		{strings.Repeat("x", 65), "example.gov.uk", ""},
	}
	for _, tt := range tests {
		got := mailer.MessageID(tt.ref, tt.domain)
		if got != mailer.MessageID(tt.ref, tt.domain) {
			t.Errorf("MessageID(%q) is not stable", tt.ref)
		}
		if tt.want == "" {
			if !strings.HasPrefix(got, "<h.") {
				t.Errorf("MessageID(%q) = %s, want it hashed", tt.ref, got)
			}
			continue
		}
		if strings.HasPrefix(tt.want, "<h.") {
			if !strings.HasPrefix(got, "<h.") || !strings.HasSuffix(got, "@"+tt.domain+">") || len(got) != len(tt.want) {
				t.Errorf("MessageID(%q) = %s, want a hash like %s", tt.ref, got, tt.want)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("MessageID(%q, %q) = %s, want %s", tt.ref, tt.domain, got, tt.want)
		}
	}
	a, b := mailer.MessageID("", "example.gov.uk"), mailer.MessageID("", "example.gov.uk")
	if a == b {
		t.Error("ids without a reference are not random")
	}
}

func TestPasswordNeverShown(t *testing.T) {
	s := mailer.SMTP{Addr: "smtp.example.gov.uk:587", From: "a@example.org", Username: "tether", Password: "hunter2-secret"}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("relay", "smtp", s)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("relay", "smtp", &s)
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s", s, s, s, s), fmt.Sprint(&s), logs.String()} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("password shown: %s", out)
		}
	}
	if !strings.Contains(fmt.Sprint(s), "tether") {
		t.Errorf("String() = %s, want the user at least", s)
	}
}

// selfSigned returns a server TLS config with a fresh certificate for
// 127.0.0.1, and a client config that trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "smtptest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool}
}

func TestBodyRoundTrip(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	tests := []struct{ in, want string }{
		{"", ""},
		{"From the office\nFrom me\n", "From the office\nFrom me\n"},
		{"windows\r\nline\r\nendings", "windows\nline\nendings"},
		{"lone\rcarriage return", "lone\ncarriage return"},
		{"trailing spaces   \nand tabs\t\n", "trailing spaces   \nand tabs\t\n"},
		{".\n..\n.x\n", ".\n..\n.x\n"},
		{strings.Repeat("ا", 200), strings.Repeat("ا", 200)}, // Arabic, no spaces
		{"= equals =3D and ? marks", "= equals =3D and ? marks"},
	}
	for i, tt := range tests {
		m := message()
		m.Body = tt.in
		if _, err := relay(srv).Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		_, _, body := parse(t, srv.Messages()[i].Data)
		if body != tt.want {
			t.Errorf("body %q arrived as %q", tt.in, body)
		}
	}
}
