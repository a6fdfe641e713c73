package letterpdf

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Sender is the department's reply details, printed on every letter.
type Sender struct {
	Department string   // "Home Office – Immigration Enforcement"
	Address    []string // reply address lines
	Phone      string
	Email      string
	Web        string
	Hours      string // "Monday to Friday, 9am to 5pm"
}

// Letter is one printed letter.
type Letter struct {
	Sender  Sender
	To      []string // address lines for the window envelope: name first, last line postcode or country
	Date    string   // already formatted, "23 November 2026"
	OurRef  string   // notice reference
	YourRef string   // person's reference, e.g. TH-…
	Subject string   // bold heading
	// Body is paragraphs separated by blank lines. Lines beginning "- " are
	// bullets and lines beginning "# " are sub-headings; other lines join
	// the paragraph (or bullet) above them.
	Body string
	// Language is a BCP 47 tag. Right-to-left languages ("ar", "fa", "ur",
	// "he", …) make Render return ErrUnsupportedScript.
	Language string
}

// Letter layout, in millimetres.
const (
	// Window of a DL/C5 envelope with the sheet folded in three (or in two
	// for C5).
	windowX = 20.0
	windowY = 50.0
	windowW = 90.0
	windowH = 40.0

	addressPt    = 11.0
	addressMinPt = 8.0

	senderX  = 115.0
	senderY  = 15.0
	senderW  = pageW - margin - senderX
	senderPt = 9.0

	bodyPt      = 11.0
	bodyLeading = 1.4
	bulletInset = 7.0
)

// Render writes the letter as an A4 PDF to w. It checks everything before
// producing anything: a right-to-left language or unprintable character
// gives an error wrapping ErrUnsupportedScript, an address the printer
// would reject gives the *AddressError from CheckAddress (or, for a line
// that passes CheckAddress but is too wide for the window even in 8-point
// type, an *AddressError from Render itself), and in any of these cases
// nothing is written to w.
func Render(w io.Writer, l Letter) error {
	if err := checkLanguage(l.Language); err != nil {
		return err
	}
	if err := CheckAddress(l.To); err != nil {
		return err
	}
	var c textChecker
	l.To = c.lines("recipient address", l.To)
	for i := range l.To {
		l.To[i] = strings.TrimSpace(l.To[i])
	}
	l.To[len(l.To)-1] = formatPostcode(l.To[len(l.To)-1])
	c.str("department", &l.Sender.Department)
	l.Sender.Address = c.lines("reply address", l.Sender.Address)
	c.str("phone", &l.Sender.Phone)
	c.str("email", &l.Sender.Email)
	c.str("web address", &l.Sender.Web)
	c.str("opening hours", &l.Sender.Hours)
	c.str("date", &l.Date)
	c.str("our reference", &l.OurRef)
	c.str("your reference", &l.YourRef)
	c.str("subject", &l.Subject)
	c.str("body", &l.Body)
	if c.err != nil {
		return c.err
	}

	d := newDoc(l.Subject, l.Sender.Department, l.Language)
	d.SetHeaderFunc(func() {
		if d.PageNo() == 1 {
			return
		}
		d.font("", senderPt)
		lh := lineHeight(senderPt, 1.2)
		left := l.Sender.Department
		if l.OurRef != "" {
			left = "Our reference: " + l.OurRef
		}
		d.text(margin, 12, textW/2, lh, left, "L")
		d.text(margin+textW/2, 12, textW/2, lh, l.Date, "R")
		d.SetLineWidth(0.2)
		d.Line(margin, 12+lh+1, pageW-margin, 12+lh+1)
		d.SetY(contTop)
	})
	d.SetFooterFunc(func() {
		d.font("", senderPt)
		lh := lineHeight(senderPt, 1.2)
		if l.OurRef != "" {
			d.text(margin, footerY, textW/2, lh, "Our reference: "+l.OurRef, "L")
		}
		d.text(margin+textW/2, footerY, textW/2, lh, "Page "+strconv.Itoa(d.PageNo())+" of "+nbAlias, "R")
	})
	d.AddPage()

	// Sender block, top right.
	y := senderY
	slh := lineHeight(senderPt, 1.25)
	if l.Sender.Department != "" {
		d.font("B", senderPt+1)
		for _, s := range d.wrap(l.Sender.Department, senderW) {
			d.text(senderX, y, senderW, slh, s, "L")
			y += slh
		}
		y += 1
	}
	d.font("", senderPt)
	var reply []string
	reply = append(reply, l.Sender.Address...)
	for _, kv := range [][2]string{{"Phone", l.Sender.Phone}, {"Email", l.Sender.Email}, {"Web", l.Sender.Web}, {"Open", l.Sender.Hours}} {
		if strings.TrimSpace(kv[1]) != "" {
			reply = append(reply, kv[0]+": "+strings.TrimSpace(kv[1]))
		}
	}
	for _, r := range reply {
		for _, s := range d.wrap(r, senderW) {
			d.text(senderX, y, senderW, slh, s, "L")
			y += slh
		}
	}
	y += 4
	d.font("", senderPt+1)
	rlh := lineHeight(senderPt+1, 1.3)
	for _, kv := range [][2]string{{"", l.Date}, {"Our reference: ", l.OurRef}, {"Your reference: ", l.YourRef}} {
		if kv[1] == "" {
			continue
		}
		for _, s := range d.wrap(kv[0]+kv[1], senderW) {
			d.text(senderX, y, senderW, rlh, s, "L")
			y += rlh
		}
	}

	// Recipient address in the envelope window, shrunk if a line is wide.
	size := fitAddress(d, l.To)
	d.font("", size)
	for i, a := range l.To {
		if d.GetStringWidth(a) > windowW {
			return &AddressError{Line: i + 1, Reason: fmt.Sprintf("line %d of the address is too wide for the envelope window even in %g-point type; shorten it", i+1, size)}
		}
	}
	alh := lineHeight(size, 1.2)
	ay := windowY + 1
	for _, a := range l.To {
		d.text(windowX, ay, windowW, alh, a, "L")
		ay += alh
	}

	// Subject and body.
	blh := lineHeight(bodyPt, bodyLeading)
	d.SetY(max(windowY+windowH, y) + 8)
	if l.Subject != "" {
		d.font("B", bodyPt+1)
		d.para(margin, textW, lineHeight(bodyPt+1, bodyLeading), l.Subject)
		d.SetY(d.GetY() + blh/2)
	}
	prev := ""
	for i, b := range parseBody(l.Body) {
		if i > 0 {
			gap := blh / 2
			if b.kind == blockBullet && prev == blockBullet {
				gap = blh / 5
			}
			if d.fits(gap + blh) {
				d.SetY(d.GetY() + gap)
			}
		}
		switch b.kind {
		case blockHeading:
			// Keep a heading with at least two lines of what follows.
			d.ensure(3 * blh)
			d.font("B", bodyPt)
			d.para(margin, textW, blh, b.text)
		case blockBullet:
			d.font("", bodyPt)
			lines := d.wrap(b.text, textW-bulletInset)
			for j, s := range lines {
				d.ensure(blh)
				if j == 0 {
					d.text(margin+2, d.GetY(), bulletInset-2, blh, "•", "L")
				}
				d.text(margin+bulletInset, d.GetY(), textW-bulletInset, blh, s, "L")
				d.SetY(d.GetY() + blh)
			}
		default:
			d.font("", bodyPt)
			d.para(margin, textW, blh, b.text)
		}
		prev = b.kind
	}
	return d.output(w)
}

// fitAddress returns the largest font size, from 11 pt down to 8 pt, at
// which the address fits the envelope window with a millimetre to spare.
func fitAddress(d doc, lines []string) float64 {
	size := addressPt
	for ; size > addressMinPt; size -= 0.5 {
		d.font("", size)
		widest := 0.0
		for _, a := range lines {
			widest = max(widest, d.GetStringWidth(a))
		}
		if widest <= windowW-2 && float64(len(lines))*lineHeight(size, 1.2) <= windowH-2 {
			break
		}
	}
	return size
}

const (
	blockPara    = "para"
	blockBullet  = "bullet"
	blockHeading = "heading"
)

type block struct{ kind, text string }

// parseBody splits a letter body into paragraphs, bullets and sub-headings.
func parseBody(body string) []block {
	var out []block
	open := false // whether the last block may take continuation lines
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			open = false
		case strings.HasPrefix(t, "- "):
			out = append(out, block{blockBullet, strings.TrimSpace(t[2:])})
			open = true
		case strings.HasPrefix(t, "# "):
			out = append(out, block{blockHeading, strings.TrimSpace(t[2:])})
			open = false
		case open:
			out[len(out)-1].text += " " + t
		default:
			out = append(out, block{blockPara, t})
			open = true
		}
	}
	return out
}
