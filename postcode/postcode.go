// Package postcode normalises and validates UK postcodes and derives the
// little that Tether needs from them: the postcode area (for redacted views)
// and the bank-holiday division (for counting working days).
//
// A postcode is an outward code (area letters, district digits and sometimes
// a sub-district letter) followed by an inward code (sector digit and unit
// letters). The canonical form is upper case with exactly one space between
// the two parts, for example "SW1A 1AA".
//
// Validation follows the format published by the Office for National
// Statistics and Royal Mail (BS 7666):
//
//	outward: A9, A99, AA9, AA99, A9A or AA9A
//	inward:  9AA
//
// with these letter restrictions:
//
//   - the first letter is not Q, V or X;
//   - the second letter (AA9, AA99, AA9A) is not I, J or Z;
//   - the third-position letter of A9A is one of A B C D E F G H J K P S T U W;
//   - the fourth-position letter of AA9A is one of A B E H M N P R V W X Y;
//   - the inward letters are not C, I, K, M, O or V.
//
// The special non-geographic postcode "GIR 0AA" is also accepted. The British
// Forces, overseas-territory codes (such as "ASCN 1ZZ") and Crown dependency
// formats outside this pattern are rejected. The package checks the format
// only; it does not know whether a postcode has actually been issued.
package postcode

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalid is wrapped by every error that Normalize returns; test for it
// with errors.Is.
var ErrInvalid = errors.New("postcode: invalid")

// Bank-holiday divisions, as returned by Division. The names match the
// divisions of the UK government's bank-holiday data.
const (
	EnglandAndWales = "england-and-wales"
	Scotland        = "scotland"
	NorthernIreland = "northern-ireland"
)

// invalidError says why a string is not a postcode. Its message reads like
// `postcode: "XX" is too short`; it unwraps to ErrInvalid.
type invalidError struct {
	input  string
	reason string
}

func (e *invalidError) Error() string {
	return fmt.Sprintf("postcode: %q %s", e.input, e.reason)
}

func (e *invalidError) Unwrap() error { return ErrInvalid }

// maxQuoted bounds how much of a bad input is repeated in an error message.
const maxQuoted = 40

func invalid(s, reason string) error {
	if utf8.RuneCountInString(s) > maxQuoted {
		r := []rune(s)
		s = string(r[:maxQuoted]) + "…"
	}
	return &invalidError{input: s, reason: reason}
}

// Letter restrictions by position (see the package comment).
const (
	notFirst   = "QVX"
	notSecond  = "IJZ"
	thirdA9A   = "ABCDEFGHJKPSTUW"
	fourthAA9A = "ABEHMNPRVWXY"
	notInward  = "CIKMOV"
)

// Normalize returns the canonical form of a UK postcode ("SW1A 1AA"). It
// accepts any letter case and any amount of white space, including none
// ("sw1a1aa", " SW1A  1AA "). The error wraps ErrInvalid and says what is
// wrong.
func Normalize(s string) (string, error) {
	var b strings.Builder
	b.Grow(8)
	n := 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		n++
		if n > 7 {
			return "", invalid(s, "is too long")
		}
		if r > unicode.MaxASCII || !(isLetter(byte(unicode.ToUpper(r))) || isDigit(byte(r))) {
			return "", invalid(s, "may only contain letters, digits and spaces")
		}
		b.WriteByte(byte(unicode.ToUpper(r)))
	}
	c := b.String()
	switch {
	case n == 0:
		return "", invalid(s, "is empty")
	case n < 5:
		return "", invalid(s, "is too short")
	}
	out, in := c[:len(c)-3], c[len(c)-3:]
	if out == "GIR" && in == "0AA" {
		return "GIR 0AA", nil
	}
	if reason := checkInward(in); reason != "" {
		return "", invalid(s, reason)
	}
	if reason := checkOutward(out); reason != "" {
		return "", invalid(s, reason)
	}
	return out + " " + in, nil
}

// IsPostcode reports whether s is a valid UK postcode in any case and
// spacing.
func IsPostcode(s string) bool {
	_, err := Normalize(s)
	return err == nil
}

func checkInward(in string) string {
	if !isDigit(in[0]) || !isLetter(in[1]) || !isLetter(in[2]) {
		return "must end with a digit and two letters, like 1AA"
	}
	if strings.IndexByte(notInward, in[1]) >= 0 || strings.IndexByte(notInward, in[2]) >= 0 {
		return "has a letter (C, I, K, M, O or V) that is not used at the end of a postcode"
	}
	return ""
}

// checkOutward checks an outward code of 2 to 4 upper-case ASCII letters and
// digits.
func checkOutward(out string) string {
	const shape = "must start with an outward code like A9, A99, AA9, AA99, A9A or AA9A"
	var pattern [4]byte
	for i := 0; i < len(out); i++ {
		if isDigit(out[i]) {
			pattern[i] = '9'
		} else {
			pattern[i] = 'A'
		}
	}
	p := string(pattern[:len(out)])
	switch p {
	case "A9", "A99", "AA9", "AA99", "A9A", "AA9A":
	default:
		return shape
	}
	if strings.IndexByte(notFirst, out[0]) >= 0 {
		return "cannot start with Q, V or X"
	}
	if p[1] == 'A' && strings.IndexByte(notSecond, out[1]) >= 0 {
		return "cannot have I, J or Z as its second letter"
	}
	if p == "A9A" && strings.IndexByte(thirdA9A, out[2]) < 0 {
		return fmt.Sprintf("cannot have %c after %s", out[2], out[:2])
	}
	if p == "AA9A" && strings.IndexByte(fourthAA9A, out[3]) < 0 {
		return fmt.Sprintf("cannot have %c after %s", out[3], out[:3])
	}
	return ""
}

// Area returns the postcode area: the letters at the start of the outward
// code, "SW" for "SW1A 1AA", "G" for "G1 1AA" and "GIR" for "GIR 0AA". It
// accepts any form that Normalize accepts and returns "" for anything else,
// so that a redacted view never repeats a malformed postcode.
func Area(pc string) string {
	n, err := Normalize(pc)
	if err != nil {
		return ""
	}
	return leadingLetters(n)
}

// Division returns the UK bank-holiday division of a postcode:
// NorthernIreland for the BT area, Scotland for the Scottish areas (AB, DD,
// DG, EH, FK, G, HS, IV, KA, KW, KY, ML, PA, PH, TD, ZE) and EnglandAndWales
// for every other area.
//
// This is an approximation that is good enough for counting working days:
// postcode areas do not follow the border exactly. TD (Galashiels) covers a
// little of Northumberland, and DG, CA and some others straddle it too; TD is
// treated as Scotland and CA as England. The Isle of Man, Jersey and Guernsey
// (IM, JE, GY) have bank holidays of their own and come back as
// EnglandAndWales.
//
// The postcode need not be canonical; if it is not a valid postcode at all,
// the letters it starts with are used, and EnglandAndWales, the largest
// division, is the answer when there are none.
func Division(pc string) string {
	area := Area(pc)
	if area == "" {
		area = leadingLetters(strings.ToUpper(strings.TrimSpace(pc)))
	}
	switch area {
	case "BT":
		return NorthernIreland
	case "AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "TD", "ZE":
		return Scotland
	}
	return EnglandAndWales
}

func leadingLetters(s string) string {
	i := 0
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	return s[:i]
}

func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
