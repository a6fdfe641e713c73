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
	"sync/atomic"
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
	return normalize(s, defaultRegion, true)
}

// normalize is Normalize, with its fast path for common UK forms or, for
// the tests that compare the two, without.
func normalize(s, defaultRegion string, fast bool) (string, error) {
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
	if fast && region == DefaultRegion {
		if e, ok, valid := fastUK(t); ok {
			if !valid {
				return "", invalid(s, "is not a valid phone number")
			}
			return e, nil
		}
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

// fastUK is Normalize's fast path for the ways UK numbers are most often
// written, in the default region GB: "07700 900123", "+44 7700 900123",
// "+44 (0)7700 900123", "0044 7700 900123", "447700900123", with spaces,
// dashes, dots or brackets anywhere, for national significant numbers of
// ten digits that start with 1, 2, 3 or 7 (geographic, UK-wide and mobile
// numbers). t is the trimmed input. ok is false for anything else, which
// the library must read; when ok, e is the number in E.164 form and valid
// says whether Normalize accepts it.
//
// It gives exactly what the library gives: for these forms the library's
// parse strips only the punctuation, the country code and the trunk 0, so
// the reading is done here by hand, and the number's validity is still
// judged by the library's numbering plan (phonenumbers.IsValidNumber), which
// is cheap beside its parse. The tests compare the two paths over every
// form and prefix, and a fuzz test over any input.
func fastUK(t string) (e string, ok, valid bool) {
	var b [13]byte // "+44" and the ten digits
	if !readUK(t, b[3:]) {
		return "", false, false
	}
	b[0], b[1], b[2] = '+', '4', '4'
	e = string(b[:])
	if IsDrama(e) {
		return e, true, true
	}
	return e, true, ukValid(e)
}

// ukCache remembers what the library said of the UK numbers looked at
// last: whether each is valid and its type, both depending on the national
// significant number alone. A number is normalised several times as it is
// read, checked and classed, and the library's answer costs microseconds.
// Each slot holds nsn<<8 | flags, written whole, so that it needs no lock:
// a slot that two goroutines write at once keeps one of their answers, and
// the other is worked out again when asked for.
var ukCache [1 << 12]atomic.Uint64

// Flags of a ukCache slot; the type is in the bits from cacheTypeShift.
const (
	cacheValidKnown = 1 << iota
	cacheValid
	cacheTypeKnown
	cacheTypeShift = iota
)

// ukNSN is the national significant number of e, a number that fastUK
// produced.
func ukNSN(e string) uint64 {
	var n uint64
	for i := 3; i < len(e); i++ {
		n = n*10 + uint64(e[i]-'0')
	}
	return n
}

// ukValid is phonenumbers.IsValidNumber for e, a number that fastUK
// produced.
func ukValid(e string) bool {
	nsn := ukNSN(e)
	slot := &ukCache[nsn%uint64(len(ukCache))]
	v := slot.Load()
	if v>>8 != nsn {
		v = nsn << 8
	} else if v&cacheValidKnown != 0 {
		return v&cacheValid != 0
	}
	valid := phonenumbers.IsValidNumber(ukNumber(e))
	v |= cacheValidKnown
	if valid {
		v |= cacheValid
	}
	slot.Store(v)
	return valid
}

// ukType is phonenumbers.GetNumberType for e, a number that fastUK
// produced.
func ukType(e string) phonenumbers.PhoneNumberType {
	nsn := ukNSN(e)
	slot := &ukCache[nsn%uint64(len(ukCache))]
	v := slot.Load()
	if v>>8 != nsn {
		v = nsn << 8
	} else if v&cacheTypeKnown != 0 {
		return phonenumbers.PhoneNumberType(v&0xff) >> cacheTypeShift
	}
	t := phonenumbers.GetNumberType(ukNumber(e))
	if t >= 0 && t < 1<<(8-cacheTypeShift) {
		slot.Store(v | cacheTypeKnown | uint64(t)<<cacheTypeShift)
	}
	return t
}

// readUK writes into nsn (ten bytes) the national significant number of t,
// when t is one of the forms that fastUK reads, and reports whether it is.
func readUK(t string, nsn []byte) bool {
	if len(t) > 32 {
		return false
	}
	var buf [20]byte
	n := 0
	plus := false
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case '0' <= c && c <= '9':
			if n == len(buf) {
				return false
			}
			buf[n] = c
			n++
		case c == '+' && i == 0:
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return false
		}
	}
	d := buf[:n]
	switch {
	case plus: // +44...
		if n < 2 || d[0] != '4' || d[1] != '4' {
			return false
		}
		d = d[2:]
	case n >= 4 && d[0] == '0' && d[1] == '0' && d[2] == '4' && d[3] == '4': // 0044...
		d = d[4:]
	case n >= 2 && d[0] == '4' && d[1] == '4': // 44...
		d = d[2:]
	case n >= 2 && d[0] == '0' && d[1] != '0': // 0..., national
	default:
		return false
	}
	if len(d) == 11 && d[0] == '0' { // the trunk 0: "07700...", "+44 (0)7700..."
		d = d[1:]
	}
	if len(d) != 10 {
		return false
	}
	switch d[0] {
	case '1', '2', '3', '7':
	default:
		return false
	}
	copy(nsn, d)
	return true
}

// ukNumber is what the library's parse gives for e, a UK number in E.164
// form that fastUK produced.
func ukNumber(e string) *phonenumbers.PhoneNumber {
	n := ukNSN(e)
	cc := int32(44)
	return &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &n}
}

// canonical reads a number that Normalize produced, or any number that it
// would accept with the default region. The number it returns is nil when
// the fast path read it: numberOf makes it when it is needed.
func canonical(s string, fast bool) (string, *phonenumbers.PhoneNumber, bool) {
	if fast {
		if e, ok, valid := fastUK(strings.TrimSpace(s)); ok {
			return e, nil, valid
		}
	}
	e, err := normalize(s, DefaultRegion, fast)
	if err != nil {
		return "", nil, false
	}
	num, err := parse(e, DefaultRegion)
	if err != nil {
		return "", nil, false
	}
	return e, num, true
}

// numberOf is num, or when canonical left it nil, the number e as the
// library's parse reads it.
func numberOf(e string, num *phonenumbers.PhoneNumber) *phonenumbers.PhoneNumber {
	if num == nil {
		return ukNumber(e)
	}
	return num
}

// Kind says what sort of line a number is: Mobile, Landline or Other
// (freephone, premium rate, shared cost, VoIP, personal numbers, pagers and
// anything it cannot read). Numbering plans that do not tell mobiles from
// landlines (the United States and Canada, among others) give Mobile: such a
// number may well take texts, and refusing it as a mobile would be worse than
// a text that fails. UK drama numbers are classed by their range: 07700 as
// Mobile, geographic ones as Landline, the rest as Other.
func Kind(e164 string) string { return kind(e164, true) }

// kind is Kind, with or without the fast path.
func kind(e164 string, fast bool) string {
	e, num, ok := canonical(e164, fast)
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
	var t phonenumbers.PhoneNumberType
	if num == nil {
		t = ukType(e)
	} else {
		t = phonenumbers.GetNumberType(num)
	}
	switch t {
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
func Format(e164 string) string { return format(e164, true) }

// format is Format, with or without the fast path.
func format(e164 string, fast bool) string {
	e, num, ok := canonical(e164, fast)
	if !ok {
		return e164
	}
	num = numberOf(e, num)
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
