// Package smtptest is a small SMTP server on the loopback interface for
// testing mailer over real TCP: it records what it receives, offers
// STARTTLS and AUTH PLAIN when configured, and fails on demand with a
// chosen reply or by hanging up. It must never be used outside tests.
package smtptest

import (
	"crypto/tls"
	"encoding/base64"
	"net"
	"net/textproto"
	"strings"
	"sync"
)

// Options configures a Server. The zero value accepts any mail, in clear.
type Options struct {
	// TLSConfig, when set, makes the server offer STARTTLS.
	TLSConfig *tls.Config
	// Username and Password, when set, make the server offer AUTH PLAIN
	// and refuse mail until the client has authenticated with them.
	Username, Password string
}

// Message is one message the server accepted.
type Message struct {
	From string   // the envelope sender
	To   []string // the envelope recipients
	Data []byte   // the message as sent, dot-unstuffed, with \n line endings
	TLS  bool     // whether it came over STARTTLS
	Auth string   // the user it authenticated as, if any
}

// Command names for Fail: the server answers the next such command with
// the given reply instead of handling it. "." is the end of DATA: the
// message is received and then refused.
const (
	Hello = "EHLO"
	Mail  = "MAIL"
	Rcpt  = "RCPT"
	Data  = "DATA"
	End   = "."
)

type fault struct {
	code int
	text string
}

// Server is the fake relay. Addr is its host:port.
type Server struct {
	Addr string

	opts Options
	ln   net.Listener
	wg   sync.WaitGroup

	mu      sync.Mutex
	msgs    []Message
	faults  map[string][]fault
	hangup  int // messages to receive and then hang up on without a reply
	conns   map[net.Conn]bool
	closing bool
}

// New starts a server on 127.0.0.1. Close it when done.
func New(opts Options) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("smtptest: " + err.Error())
	}
	s := &Server{Addr: ln.Addr().String(), opts: opts, ln: ln, faults: map[string][]fault{}, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.serve()
	return s
}

// Start starts a server that is closed when the test ends.
func Start(tb interface{ Cleanup(func()) }, opts Options) *Server {
	s := New(opts)
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server and drops its connections.
func (s *Server) Close() {
	s.mu.Lock()
	s.closing = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.ln.Close()
	s.wg.Wait()
}

// Fail makes the server answer the next command named cmd (Mail, Rcpt,
// Data or End) with code and text, such as 451 or 550. Faults queue.
func (s *Server) Fail(cmd string, code int, text string) {
	s.mu.Lock()
	s.faults[cmd] = append(s.faults[cmd], fault{code, text})
	s.mu.Unlock()
}

// HangUpAfterData makes the server receive the next message whole, keep
// it, and close the connection without answering: the sender cannot tell
// whether it was accepted.
func (s *Server) HangUpAfterData() {
	s.mu.Lock()
	s.hangup++
	s.mu.Unlock()
}

// Messages returns the messages received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

func (s *Server) takeFault(cmd string) (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[cmd]
	if len(q) == 0 {
		return fault{}, false
	}
	s.faults[cmd] = q[1:]
	return q[0], true
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closing {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.session(c)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// session speaks just enough SMTP (RFC 5321) for net/smtp.
func (s *Server) session(c net.Conn) {
	defer func() { c.Close() }()
	tp := textproto.NewConn(c)
	reply := func(code int, text string) { tp.PrintfLine("%d %s", code, text) }
	reply(220, "smtptest ESMTP ready")

	var (
		tlsOn   bool
		user    string
		from    string
		to      []string
		inMail  bool
		greeted bool
	)
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		if f, ok := s.takeFault(verb); ok && verb != End {
			reply(f.code, f.text)
			if verb == Mail {
				inMail = false
			}
			continue
		}
		switch verb {
		case "EHLO", "HELO":
			greeted = true
			from, to, inMail = "", nil, false
			if verb == "HELO" {
				reply(250, "smtptest")
				continue
			}
			lines := []string{"smtptest", "8BITMIME", "SMTPUTF8"}
			if s.opts.TLSConfig != nil && !tlsOn {
				lines = append(lines, "STARTTLS")
			}
			if s.opts.Username != "" {
				lines = append(lines, "AUTH PLAIN")
			}
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				tp.PrintfLine("250%s%s", sep, l)
			}
		case "STARTTLS":
			if s.opts.TLSConfig == nil || tlsOn {
				reply(502, "5.5.1 STARTTLS not available")
				continue
			}
			reply(220, "2.0.0 Ready to start TLS")
			tc := tls.Server(c, s.opts.TLSConfig)
			if err := tc.Handshake(); err != nil {
				return
			}
			c = tc
			tp = textproto.NewConn(tc)
			tlsOn, greeted, from, to, inMail = true, false, "", nil, false
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			if s.opts.Username == "" || !strings.EqualFold(mech, "PLAIN") {
				reply(504, "5.5.4 mechanism not supported")
				continue
			}
			if resp == "" {
				tp.PrintfLine("334 ")
				if resp, err = tp.ReadLine(); err != nil {
					return
				}
			}
			raw, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(raw), "\x00")
			if err != nil || len(parts) != 3 || parts[1] != s.opts.Username || parts[2] != s.opts.Password {
				reply(535, "5.7.8 authentication credentials invalid")
				continue
			}
			user = parts[1]
			reply(235, "2.7.0 authentication succeeded")
		case "MAIL":
			switch {
			case !greeted:
				reply(503, "5.5.1 EHLO first")
			case s.opts.Username != "" && user == "":
				reply(530, "5.7.0 authentication required")
			case !strings.HasPrefix(strings.ToUpper(arg), "FROM:"):
				reply(501, "5.5.4 syntax: MAIL FROM:<address>")
			default:
				from, to, inMail = pathOf(arg[5:]), nil, true
				reply(250, "2.1.0 OK")
			}
		case "RCPT":
			switch {
			case !inMail:
				reply(503, "5.5.1 MAIL first")
			case !strings.HasPrefix(strings.ToUpper(arg), "TO:"):
				reply(501, "5.5.4 syntax: RCPT TO:<address>")
			default:
				to = append(to, pathOf(arg[3:]))
				reply(250, "2.1.5 OK")
			}
		case "DATA":
			if !inMail || len(to) == 0 {
				reply(503, "5.5.1 RCPT first")
				continue
			}
			reply(354, "end data with <CR><LF>.<CR><LF>")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			if f, ok := s.takeFault(End); ok {
				reply(f.code, f.text)
				from, to, inMail = "", nil, false
				continue
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, Message{From: from, To: to, Data: data, TLS: tlsOn, Auth: user})
			hang := s.hangup > 0
			if hang {
				s.hangup--
			}
			s.mu.Unlock()
			if hang {
				return
			}
			reply(250, "2.0.0 OK queued")
			from, to, inMail = "", nil, false
		case "RSET":
			from, to, inMail = "", nil, false
			reply(250, "2.0.0 OK")
		case "NOOP":
			reply(250, "2.0.0 OK")
		case "QUIT":
			reply(221, "2.0.0 bye")
			return
		default:
			reply(502, "5.5.2 command not recognised")
		}
	}
}

// pathOf takes the address out of "<a@b> PARAM=..." .
func pathOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '>'); strings.HasPrefix(s, "<") && i > 0 {
		return s[1:i]
	}
	addr, _, _ := strings.Cut(s, " ")
	return addr
}
