// Package reference makes and checks the stable reference that Tether gives
// each person: "TH-", eight digits and a check letter, for example
// "TH-04817263K".
//
// # Check letter
//
// The check letter is computed from the whole reference, weighting each
// character by its position from the left (1 to 10):
//
//	T=19 (its place in the alphabet, A=0) × 1
//	H=7                                    × 2
//	d1 × 3, d2 × 4, …, d8 × 10            (the eight digits)
//
// The check letter's value c (0 to 22) is the one that makes the weighted sum
// plus c a multiple of 23, and it is written with the 23-letter alphabet
//
//	A B C D E F G H J K L M N P R S T U V W X Y Z
//
// (A=0 … Z=22), which leaves out I, O and Q because they are easily mistaken
// for 1 and 0.
//
// For 04817263 the sum is 19 + 14 + 0·3 + 4·4 + 8·5 + 1·6 + 7·7 + 2·8 + 6·9 +
// 3·10 = 244 ≡ 14 (mod 23), so c = 9, the letter K: TH-04817263K.
//
// Because 23 is prime and the digit weights 3 to 10 are distinct and below
// 23, changing one digit by δ (1 ≤ |δ| ≤ 9) changes the sum by w·δ, and
// swapping two different digits changes it by (wᵢ−wⱼ)(dⱼ−dᵢ); neither can be
// a multiple of 23. So the check letter catches every single-digit error and
// every transposition of two digits, adjacent or not, as well as any error in
// the check letter itself.
package reference

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalid is wrapped by every error that New and Parse return; test for
// it with errors.Is.
var ErrInvalid = errors.New("reference: invalid")

// Max is the largest number a reference can hold.
const Max = 99_999_999

// Prefix starts every reference.
const Prefix = "TH-"

// alphabet holds the 23 check letters, by value.
const alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ"

// prefixSum is the weighted value of "TH": T=19 at weight 1, H=7 at weight 2.
const prefixSum = 19*1 + 7*2

type invalidError struct {
	input  string
	reason string
}

func (e *invalidError) Error() string {
	return fmt.Sprintf("reference: %q %s", e.input, e.reason)
}

func (e *invalidError) Unwrap() error { return ErrInvalid }

const maxQuoted = 40

func invalid(s, reason string) error {
	if utf8.RuneCountInString(s) > maxQuoted {
		s = string([]rune(s)[:maxQuoted]) + "…"
	}
	return &invalidError{input: s, reason: reason}
}

// checkLetter returns the check letter for eight ASCII digits.
func checkLetter(digits string) byte {
	sum := prefixSum
	for i := 0; i < 8; i++ {
		sum += int(digits[i]-'0') * (i + 3)
	}
	return alphabet[(23-sum%23)%23]
}

// New builds the reference for n, which must be at most Max.
func New(n uint32) (string, error) {
	if n > Max {
		return "", fmt.Errorf("%w: %d is more than %d", ErrInvalid, n, Max)
	}
	return build(n), nil
}

func build(n uint32) string {
	digits := fmt.Sprintf("%08d", n)
	return Prefix + digits + string(checkLetter(digits))
}

// Parse reads a reference written with any letter case and with or without
// spaces and hyphens ("th04817263k", "TH 04817263 K", "TH-0481-7263-K"),
// checks its check letter and returns it in canonical form
// ("TH-04817263K"). The error wraps ErrInvalid and says what is wrong.
func Parse(s string) (string, error) {
	var b [11]byte
	n := 0
	for _, r := range s {
		if unicode.IsSpace(r) || isDash(r) {
			continue
		}
		if n == len(b) {
			return "", invalid(s, "is too long; a reference is TH, eight digits and a letter")
		}
		if r > unicode.MaxASCII {
			return "", invalid(s, "may only contain letters, digits, spaces and hyphens")
		}
		b[n] = byte(unicode.ToUpper(r))
		n++
	}
	c := string(b[:n])
	switch {
	case n == 0:
		return "", invalid(s, "is empty")
	case !strings.HasPrefix(c, "TH"):
		return "", invalid(s, "must start with TH")
	}
	digits := c[2:]
	i := 0
	for i < len(digits) && isDigit(digits[i]) {
		i++
	}
	switch {
	case i != 8:
		return "", invalid(s, "must have eight digits after TH")
	case len(digits) == 8:
		return "", invalid(s, "is missing its check letter")
	case len(digits) > 9:
		return "", invalid(s, "is too long; a reference is TH, eight digits and a letter")
	case digits[8] < 'A' || digits[8] > 'Z':
		return "", invalid(s, "must end with a check letter")
	}
	digits, letter := digits[:8], digits[8]
	if checkLetter(digits) != letter {
		return "", invalid(s, "has the wrong check letter; a character may be mistyped")
	}
	return Prefix + digits + string(letter), nil
}

// Valid reports whether s is a reference with a correct check letter, in any
// form that Parse accepts.
func Valid(s string) bool {
	_, err := Parse(s)
	return err == nil
}

// Random returns the reference for a number drawn uniformly from 0 to Max
// using r, for example a *math/rand/v2.Rand or a wrapper around crypto/rand.
// Drawing is by rejection, so that no number is likelier than another.
func Random(r interface{ Uint32() uint32 }) string {
	// limit is the largest multiple of Max+1 that fits in a uint32.
	const limit = (1 << 32) / (Max + 1) * (Max + 1)
	for {
		if v := r.Uint32(); v < limit {
			return build(v % (Max + 1))
		}
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isDash reports hyphens and the dashes that word processors substitute for
// them.
func isDash(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\ufe63', '\uff0d':
		return true
	}
	return false
}
