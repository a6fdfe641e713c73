package letterpdf

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/unicode/norm"
)

// Limits of the envelope window and of the printer's address checks.
const (
	MinAddressLines = 3
	MaxAddressLines = 7
	MaxAddressChars = 45
)

// AddressError says why an address would be rejected by the printer (and
// so why a letter was not produced).
type AddressError struct {
	Line   int    // 1-based line at fault; 0 when the address as a whole is
	Reason string // plain English, e.g. "the address has only 2 lines; it needs at least 3"
}

func (e *AddressError) Error() string { return "letterpdf: address rejected: " + e.Reason }

// ukPostcode matches a UK postcode (BS 7666 format, including GIR 0AA)
// once spaces are removed and letters upper-cased.
var ukPostcode = regexp.MustCompile(`^(GIR0AA|[A-PR-UWYZ]([0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)[0-9][ABD-HJLNP-UW-Z]{2})$`)

// IsUKPostcode reports whether s is a UK postcode in any case and spacing
// ("SW1A 1AA", "sw1a1aa", " SW1A  1AA ").
func IsUKPostcode(s string) bool {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	return ukPostcode.MatchString(s)
}

// formatPostcode returns a UK postcode in the form Royal Mail prefers,
// upper case with one space before the inward code: "sw1a1aa" → "SW1A 1AA".
// Anything else is returned unchanged.
func formatPostcode(s string) string {
	if !IsUKPostcode(s) {
		return s
	}
	c := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	return c[:len(c)-3] + " " + c[len(c)-3:]
}

// countryAliases are names in common use that differ from the CLDR English
// names (which are all accepted).
var countryAliases = []string{
	"UK", "GREAT BRITAIN", "UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND",
	"USA", "US", "UNITED STATES OF AMERICA", "AMERICA",
	"IVORY COAST", "COTE DIVOIRE", "BURMA",
	"DEMOCRATIC REPUBLIC OF THE CONGO", "DR CONGO", "DRC", "REPUBLIC OF THE CONGO",
	"CONGO", "CZECH REPUBLIC", "SOUTH KOREA", "NORTH KOREA", "KOREA",
	"REPUBLIC OF KOREA", "RUSSIAN FEDERATION", "VIET NAM", "HOLLAND",
	"THE NETHERLANDS", "REPUBLIC OF IRELAND", "EIRE", "TURKIYE", "SWAZILAND",
	"MACEDONIA", "CAPE VERDE", "EAST TIMOR", "VATICAN", "VATICAN CITY",
	"PALESTINE", "SYRIA", "IRAN", "LAOS", "MOLDOVA", "TANZANIA", "BOLIVIA",
	"VENEZUELA", "MACAU", "UAE", "THE GAMBIA", "THE BAHAMAS",
}

// countryKey folds a name for comparison: accents removed, upper case,
// punctuation dropped, spaces collapsed. "Côte d’Ivoire" → "COTE DIVOIRE".
func countryKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(strings.ToUpper(string(r)))
		case r == '&':
			if b.Len() > 0 {
				b.WriteString(" AND")
			}
			space = true
		case unicode.IsSpace(r) || r == '-' || r == '(' || r == ')' || r == ',' || r == '/':
			space = true
		}
	}
	return b.String()
}

var countries = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool)
	add := func(name string) {
		if k := countryKey(name); k != "" {
			m[k] = true
		}
	}
	names := display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() || r.String() != string([]rune{a, b}) {
				continue
			}
			name := names.Name(r)
			if name == "" {
				continue
			}
			add(name)
			// "Myanmar (Burma)" → also "Myanmar"; "Hong Kong SAR China" → "Hong Kong";
			// "Congo - Kinshasa" → also "Congo Kinshasa" (already) and the part before " - ".
			if i := strings.Index(name, " ("); i > 0 {
				add(name[:i])
			}
			if i := strings.Index(name, " SAR "); i > 0 {
				add(name[:i])
			}
			if strings.HasPrefix(name, "St. ") {
				add("Saint " + name[4:])
				add("St " + name[4:])
			}
			if strings.Contains(name, " & ") {
				add(strings.ReplaceAll(name, " & ", " and "))
			}
		}
	}
	for _, a := range countryAliases {
		add(a)
	}
	return m
})

// IsCountryName reports whether s is the English name of a country (CLDR
// names and common alternatives, any case, accents optional).
func IsCountryName(s string) bool {
	k := countryKey(s)
	return k != "" && countries()[k]
}

// CheckAddress reports why a printer would reject the address, or nil. It
// wants 3 to 7 non-blank lines of at most 45 characters each, with a UK
// postcode or a country name on the last line. The error is an
// *AddressError.
func CheckAddress(lines []string) error {
	if len(lines) < MinAddressLines {
		return &AddressError{Reason: fmt.Sprintf("the address has only %d %s; it needs at least %d (name, street and postcode or country)", len(lines), plural(len(lines), "line", "lines"), MinAddressLines)}
	}
	if len(lines) > MaxAddressLines {
		return &AddressError{Reason: fmt.Sprintf("the address has %d lines; the envelope window fits at most %d", len(lines), MaxAddressLines)}
	}
	for i, l := range lines {
		n := i + 1
		t := strings.TrimSpace(clean(l))
		switch {
		case t == "":
			return &AddressError{Line: n, Reason: fmt.Sprintf("line %d of the address is blank", n)}
		case strings.Contains(t, "\n"):
			return &AddressError{Line: n, Reason: fmt.Sprintf("line %d of the address contains a line break; give each line separately", n)}
		case utf8.RuneCountInString(t) > MaxAddressChars:
			return &AddressError{Line: n, Reason: fmt.Sprintf("line %d of the address is %d characters long; the limit is %d", n, utf8.RuneCountInString(t), MaxAddressChars)}
		}
	}
	last := strings.TrimSpace(lines[len(lines)-1])
	if !IsUKPostcode(last) && !IsCountryName(last) {
		return &AddressError{Line: len(lines), Reason: fmt.Sprintf("the last line of the address (%q) is neither a UK postcode nor a country name", last)}
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
