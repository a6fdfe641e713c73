package dispatch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tether"
	"tether/letterpdf"
)

// DefaultSender is the reply details printed on letters when none are
// configured.
var DefaultSender = letterpdf.Sender{
	Department: "Home Office",
	Address:    []string{"Contact Management", "PO Box 1234", "Croydon", "CR9 1AA"},
	Phone:      "0300 123 4567",
	Email:      "contact@example.gov.uk",
	Web:        "www.gov.uk/contact-home-office",
	Hours:      "Monday to Friday, 9am to 5pm",
}

// PrintSender renders letters to PDF files in a spool folder that the post
// room prints and posts, one file per notice named by its reference. The
// file's presence is the record that it was printed: a second send of the
// same notice finds it and writes nothing.
type PrintSender struct {
	Dir   string
	From  letterpdf.Sender
	Clock tether.Clock
	// Location dates the letter; Europe/London when nil.
	Location *time.Location
}

// NewPrintSender returns a sender writing into dir, which must exist and be
// writable.
func NewPrintSender(dir string, clock tether.Clock) (*PrintSender, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("print spool: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("print spool: %s is not a folder", dir)
	}
	f, err := os.CreateTemp(dir, ".check-*")
	if err != nil {
		return nil, fmt.Errorf("print spool: cannot write there: %w", err)
	}
	f.Close()
	os.Remove(f.Name())
	return &PrintSender{Dir: dir, From: DefaultSender, Clock: clock}, nil
}

func (s *PrintSender) path(ref string) string { return filepath.Join(s.Dir, ref+".pdf") }

// Send writes the letter's PDF atomically (a temporary file renamed into
// place), so the post room never sees half a letter.
func (s *PrintSender) Send(ctx context.Context, n *tether.Notice) (string, error) {
	if strings.ContainsAny(n.Ref, `/\.`) || n.Ref == "" {
		return "", permanent(tether.SendPrint, "the notice reference cannot name a file")
	}
	final := s.path(n.Ref)
	if _, err := os.Stat(final); err == nil {
		return n.Ref, nil // printed already
	}
	loc := s.Location
	if loc == nil {
		if l, err := time.LoadLocation("Europe/London"); err == nil {
			loc = l
		} else {
			loc = time.UTC
		}
	}
	now := time.Now()
	if s.Clock != nil {
		now = s.Clock.Now()
	}
	l := letterpdf.Letter{Sender: s.From, To: n.Destination, Date: now.In(loc).Format("2 January 2006"),
		OurRef: n.Ref, YourRef: n.PersonRef, Subject: n.Subject, Body: n.Content, Language: n.Language}
	tmp, err := os.CreateTemp(s.Dir, "."+n.Ref+"-*.tmp")
	if err != nil {
		return "", temporary(tether.SendPrint, "cannot write to the print spool", err)
	}
	defer os.Remove(tmp.Name())
	if err := letterpdf.Render(tmp, l); err != nil {
		tmp.Close()
		var ae *letterpdf.AddressError
		switch {
		case errors.As(err, &ae):
			return "", refused(tether.SendPrint, "the address cannot be printed: "+ae.Reason)
		case errors.Is(err, letterpdf.ErrUnsupportedScript):
			return "", permanent(tether.SendPrint, "the letter's language cannot be printed here: send it through GOV.UK Notify")
		}
		return "", permanent(tether.SendPrint, "the letter cannot be rendered")
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", temporary(tether.SendPrint, "cannot write to the print spool", err)
	}
	if err := tmp.Close(); err != nil {
		return "", temporary(tether.SendPrint, "cannot write to the print spool", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", temporary(tether.SendPrint, "cannot write to the print spool", err)
	}
	return n.Ref, nil
}

// Lookup finds a letter already in the spool.
func (s *PrintSender) Lookup(ctx context.Context, ref string) (string, bool, error) {
	if strings.ContainsAny(ref, `/\.`) || ref == "" {
		return "", false, nil
	}
	if _, err := os.Stat(s.path(ref)); err == nil {
		return ref, true, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", false, temporary(tether.SendPrint, "cannot read the print spool", err)
	}
	return "", false, nil
}
