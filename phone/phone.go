// Package phone normalises, classifies and formats telephone numbers.
//
// Numbers are stored in E.164 form ("+447700900123"). Parsing and validity
// come from github.com/nyaruka/phonenumbers, a port of Google's
// libphonenumber, so a number is accepted only if its length and prefix fit
// the numbering plan of its country.
//
// One deliberate exception: the ranges that Ofcom reserves for drama and
// fiction (for example 07700 900000 to 07700 900999) are accepted as valid
// even though libphonenumber rejects some of them, because Tether's tests,
// training data and demonstrations use them. They are never allocated to a
// real line, so accepting them cannot mistake a real number. IsDrama reports
// them, so that a live system can refuse them where it must.
package phone

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalid is wrapped by every error that Normalize returns; test for it
// with errors.Is.
var ErrInvalid = errors.New("phone: invalid")

// Kinds of number, as returned by Kind.
const (
	Mobile   = "mobile"
	Landline = "landline"
	Other    = "other"
)

// DefaultRegion is the region assumed for a number written without an
// international prefix when the caller gives none.
const DefaultRegion = "GB"

// maxInput bounds the input; no real number, however written, is longer.
const maxInput = 64

type invalidError struct {
	input  string
	reason string
}

func (e *invalidError) Error() string {
	return fmt.Sprintf("phone: %q %s", e.input, e.reason)
}

func (e *invalidError) Unwrap() error { return ErrInvalid }

func invalid(s, reason string) error {
	if utf8.RuneCountInString(s) > maxInput {
		s = string([]rune(s)[:maxInput]) + "…"
	}
	return &invalidError{input: s, reason: reason}
}

// Normalize parses a telephone number written in any common way ("07700
// 900123", "+44 (0)7700 900123", "0044 7700 900 123") and returns it in
// E.164 form ("+447700900123"). A number without an international prefix is
// read as a number of defaultRegion, an ISO 3166-1 alpha-2 code; "" means
// DefaultRegion (GB). The number must be valid in its country's numbering
// plan, or be an Ofcom drama number (see IsDrama). Numbers with an extension
// are refused, since E.164 cannot hold one. The error wraps ErrInvalid and
// says what is wrong.
func Normalize(s, defaultRegion string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", invalid(s, "is empty")
	}
	if utf8.RuneCountInString(t) > maxInput {
		return "", invalid(s, "is too long")
	}
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	if region == "" {
		region = DefaultRegion
	}
	num, err := parse(t, region)
	if err != nil {
		switch {
		case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
			return "", invalid(s, "has no valid country code; start it with + and the country code")
		case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
			return "", invalid(s, "is too short")
		case errors.Is(err, phonenumbers.ErrNumTooLong):
			return "", invalid(s, "is too long")
		default:
			return "", invalid(s, "is not a phone number")
		}
	}
	if num.GetExtension() != "" {
		return "", invalid(s, "has an extension; give the number without it")
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if IsDrama(e164) {
		return e164, nil
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", invalid(s, "is not a valid phone number")
	}
	return e164, nil
}

// parse wraps phonenumbers.Parse, turning a panic in the library, should
// odd input ever cause one, into an error.
func parse(s, region string) (num *phonenumbers.PhoneNumber, err error) {
	defer func() {
		if r := recover(); r != nil {
			num, err = nil, fmt.Errorf("phone: parser failed: %v", r)
		}
	}()
	return phonenumbers.Parse(s, region)
}

// canonical reads a number that Normalize produced, or any number that it
// would accept with the default region.
func canonical(s string) (string, *phonenumbers.PhoneNumber, bool) {
	e, err := Normalize(s, DefaultRegion)
	if err != nil {
		return "", nil, false
	}
	num, err := parse(e, DefaultRegion)
	if err != nil {
		return "", nil, false
	}
	return e, num, true
}

// Kind says what sort of line a number is: Mobile, Landline or Other
// (freephone, premium rate, shared cost, VoIP, personal numbers, pagers and
// anything it cannot read). Numbering plans that do not tell mobiles from
// landlines (the United States and Canada, among others) give Mobile: such a
// number may well take texts, and refusing it as a mobile would be worse than
// a text that fails. UK drama numbers are classed by their range: 07700 as
// Mobile, geographic ones as Landline, the rest as Other.
func Kind(e164 string) string {
	e, num, ok := canonical(e164)
	if !ok {
		return Other
	}
	if IsDrama(e) {
		switch e[3] {
		case '7':
			return Mobile
		case '1', '2':
			return Landline
		}
		return Other
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return Mobile
	case phonenumbers.FIXED_LINE:
		return Landline
	}
	return Other
}

// Format writes a number for people to read: UK numbers (country code 44,
// which includes the Isle of Man and the Channel Islands) in national format
// ("07700 900123"), others in international format ("+33 1 23 45 67 89").
// Anything it cannot read is returned unchanged.
func Format(e164 string) string {
	_, num, ok := canonical(e164)
	if !ok {
		return e164
	}
	if num.GetCountryCode() == 44 {
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// dramaRanges are Ofcom's numbers for drama purposes: each is a national
// significant number prefix followed by any three digits (1,000 numbers).
var dramaRanges = [...]string{
	"7700900", // mobile, 07700 900000-900999
	"1134960", // Leeds, 0113 496 0000-0999
	"1144960", // Sheffield
	"1154960", // Nottingham
	"1164960", // Leicester
	"1174960", // Bristol
	"1184960", // Reading
	"1214960", // Birmingham
	"1314960", // Edinburgh
	"1414960", // Glasgow
	"1514960", // Liverpool
	"1614960", // Manchester
	"1914980", // Tyneside, 0191 498 0000-0999
	"2079460", // London, 020 7946 0000-0999
	"2896496", // Northern Ireland, 028 9649 6000-6999
	"2920180", // Cardiff, 029 2018 0000-0999
	"1632960", // no area, 01632 960000-960999
	"3069990", // UK-wide, 0306 999 0000-0999
	"8081570", // freephone, 0808 157 0000-0999
	"9098790", // premium rate, 0909 879 0000-0999
}

// IsDrama reports whether s, in E.164 form, is one of Ofcom's numbers for
// drama purposes: +447700900000 to +447700900999 (mobile) and the 1,000-number
// geographic, UK-wide, freephone and premium-rate blocks that Ofcom publishes
// alongside it (for example +442079460000 to +442079460999 in London).
func IsDrama(s string) bool {
	if len(s) != 13 || !strings.HasPrefix(s, "+44") {
		return false
	}
	nsn := s[3:]
	for i := 0; i < len(nsn); i++ {
		if nsn[i] < '0' || nsn[i] > '9' {
			return false
		}
	}
	for _, p := range dramaRanges {
		if strings.HasPrefix(nsn, p) {
			return true
		}
	}
	return false
}
