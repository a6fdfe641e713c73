package phone

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// sameAsLibrary fails the test unless Normalize, Kind and Format give for s
// exactly what the library alone gives: the same value, and the same error
// or none.
func sameAsLibrary(t *testing.T, s, region string) {
	t.Helper()
	fast := sameNormalize(t, s, region)
	for _, in := range []string{s, fast} {
		if fk, sk := kind(in, true), kind(in, false); fk != sk {
			t.Fatalf("Kind(%q): fast path %q, library %q", in, fk, sk)
		}
		if ff, sf := format(in, true), format(in, false); ff != sf {
			t.Fatalf("Format(%q): fast path %q, library %q", in, ff, sf)
		}
	}
}

// sameNormalize is sameAsLibrary for Normalize alone; it returns what
// Normalize gives.
func sameNormalize(t *testing.T, s, region string) string {
	t.Helper()
	fast, ferr := normalize(s, region, true)
	slow, serr := normalize(s, region, false)
	if fast != slow || (ferr == nil) != (serr == nil) || (ferr != nil && ferr.Error() != serr.Error()) {
		t.Fatalf("Normalize(%q, %q): fast path %q, %v; library %q, %v", s, region, fast, ferr, slow, serr)
	}
	return fast
}

func TestFastPath(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool   // read by the fast path
		want string // "" when invalid
	}{
		{"07700 900123", true, "+447700900123"},
		{"07700900123", true, "+447700900123"},
		{"+447700900123", true, "+447700900123"},
		{"+44 7700 900123", true, "+447700900123"},
		{"+44 (0)7700 900123", true, "+447700900123"},
		{"+44(0)7700-900-123", true, "+447700900123"},
		{"0044 7700 900 123", true, "+447700900123"},
		{"0044 (0) 7700 900 123", true, "+447700900123"},
		{"447700900123", true, "+447700900123"},
		{"44 07700 900123", true, "+447700900123"},
		{"(07700) 900.123", true, "+447700900123"},
		{"07911 123456", true, "+447911123456"},
		{"+447911123456", true, "+447911123456"},
		{"07624 123456", true, "+447624123456"}, // Isle of Man
		{"020 7946 0123", true, "+442079460123"},
		{"+44 20 7946 0123", true, "+442079460123"},
		{"0115 496 0999", true, "+441154960999"}, // drama
		{"0300 123 4567", true, "+443001234567"},
		{"07700 901123", true, ""}, // next to the drama range
		{"07012 345678", true, "+447012345678"},
		{"01000 000000", true, ""},
		{"07457 600000", true, "+447457600000"}, // Isle of Man, not GB
		{"0800 123 4567", false, ""},            // freephone: to the library
		{"01632 96012", false, ""},              // nine digits: to the library
		{"07700 9001", false, ""},               // too short
		{"07700 9001234", false, ""},            // too long
		{"+33 6 12 34 56 78", false, ""},
		{"+1 650-253-0000", false, ""},
		{"(+44) 7700 900123", false, ""},
		{"++447700900123", false, ""},
		{"07700 900123 ext. 4", false, ""},
		{"07700\t900123", false, ""},
		{"０７７００ ９００１２３", false, ""}, // full-width digits
		{"00447700900123", true, "+447700900123"},
		{"000447700900123", false, ""},
		{"7700 900123", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		e, ok, valid := fastUK(strings.TrimSpace(tt.in))
		if ok != tt.ok {
			t.Errorf("fastUK(%q): read %v, want %v", tt.in, ok, tt.ok)
		}
		if ok && ((tt.want == "") == valid || (valid && e != tt.want)) {
			t.Errorf("fastUK(%q) = %q, valid %v; want %q", tt.in, e, valid, tt.want)
		}
		sameAsLibrary(t, tt.in, "")
	}
}

// ukForms writes the national significant number nsn in the ways people
// write UK numbers, and some ways they should not.
func ukForms(nsn string, r *rand.Rand) []string {
	spaced := func(s string) string { // 0xxxx xxxxxx, or 0xx xxxx xxxx
		if len(s) > 4 && r.IntN(2) == 0 {
			return s[:4] + " " + s[4:]
		}
		if len(s) > 7 {
			return s[:3] + " " + s[3:7] + " " + s[7:]
		}
		return s
	}
	seps := []string{" ", "-", ".", "", "  ", " - "}
	sep := seps[r.IntN(len(seps))]
	grouped := func(s string) string {
		var b strings.Builder
		for i, c := range s {
			if i > 0 && r.IntN(4) == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(c)
		}
		return b.String()
	}
	return []string{
		"0" + nsn,
		spaced("0" + nsn),
		"(0" + nsn[:min(4, len(nsn))] + ") " + nsn[min(4, len(nsn)):],
		"+44" + nsn,
		"+44 " + spaced(nsn),
		"+44 (0)" + nsn,
		"+44(0) " + spaced(nsn),
		"+440" + nsn,
		"0044" + nsn,
		"0044 " + spaced(nsn),
		"0044 (0)" + nsn,
		"00 44 " + grouped(nsn),
		"44" + nsn,
		"44 " + spaced(nsn),
		"44 (0) " + nsn,
		"440" + nsn,
		grouped("0" + nsn),
		grouped("+44" + nsn),
		" " + "0" + nsn + " ",
		"0" + nsn + ")",
		"-0" + nsn,
		nsn,
		"00" + nsn,
		"000" + nsn,
		"00044" + nsn,
		"+0044" + nsn,
		"++44" + nsn,
		"+ 44 " + nsn,
		"(+44) " + nsn,
		"+44 0 0" + nsn,
		"4444" + nsn,
		"0" + nsn + " x12",
		"0" + nsn + " ext 3",
		"0" + nsn + "#",
		"0" + nsn + "/x",
		"0" + nsn + ";ext=2",
		"tel:+44" + nsn,
		"0" + nsn + "0",
		"0" + nsn[:len(nsn)-1],
	}
}

// digits is n random digits.
func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// TestFastPathMatchesLibrary checks, over many generated numbers in many
// ways of writing them, that the fast path gives exactly what the library
// gives: every mobile prefix 071 to 079 to four digits (and every five-digit
// one in one form or another), geographic and UK-wide numbers, numbers a
// digit short or long, the drama ranges, foreign numbers and junk.
func TestFastPathMatchesLibrary(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	regions := []string{"", "GB", "gb", " GB ", "FR", "US", "IM", "ZZ"}
	n := 0
	check := func(s string) {
		sameAsLibrary(t, s, "")
		sameNormalize(t, s, regions[r.IntN(len(regions))])
		n++
	}
	step := 1
	switch {
	case raceOn:
		step = 29 // a sample; go test ./phone without -race checks every prefix
	case testing.Short():
		step = 7
	}
	// Every mobile-range prefix 70 to 79 to four digits, in every form.
	for p := 7000; p <= 7999; p += step {
		for _, s := range ukForms(fmt.Sprint(p)+digits(r, 6), r) {
			check(s)
		}
	}
	// Every five-digit prefix of 07, in a form chosen at random.
	for p := 70000; p <= 79999; p += step {
		forms := ukForms(fmt.Sprint(p)+digits(r, 5), r)
		check(forms[r.IntN(len(forms))])
	}
	// Every three-digit prefix, with national significant numbers of 7 to
	// 12 digits.
	for p := 100; p <= 999; p += step {
		for l := 7; l <= 12; l++ {
			forms := ukForms(fmt.Sprint(p)+digits(r, l-3), r)
			for range 4 {
				check(forms[r.IntN(len(forms))])
			}
		}
	}
	// Geographic and UK-wide: every four-digit prefix of 01, 02 and 03.
	for p := 1000; p <= 3999; p += step {
		forms := ukForms(fmt.Sprint(p)+digits(r, 6), r)
		for range 3 {
			check(forms[r.IntN(len(forms))])
		}
	}
	// The drama ranges, at both ends and inside.
	for _, p := range dramaRanges {
		for _, tail := range []string{"000", "999", digits(r, 3)} {
			for _, s := range ukForms(p+tail, r) {
				check(s)
			}
		}
	}
	// The 180020 prefix that the GB plan strips as a national prefix.
	for _, s := range []string{"01800201234", "+441800201234", "441800201234", "0044 1800 201234", "+44 180020 12345", "0180020123456"} {
		check(s)
	}
	// Foreign numbers and junk.
	for _, s := range []string{
		"+33 6 12 34 56 78", "06 12 34 56 78", "+1 650-253-0000", "(650) 253-0000", "+49 30 123456",
		"+353 85 123 4567", "+91 98765 43210", "+7 912 345 67 89", "+4477009001", "+44", "44", "0", "00",
		"0044", "+", "++", "()", "(0)", "-", "hello", "0800 FLOWERS", "07700 9OO123", "O7700 900123",
		"07700 900123\u00a0", "\u00a007700 900123", "07700\u2013900123", "07700 ９00123", "٠٧٧٠٠٩٠٠١٢٣",
		"+447700900123+", "07700+900123", "0+7700900123", "+447700900123)", "(((07700900123",
	} {
		check(s)
	}
	for range 5000 {
		var b strings.Builder
		alphabet := "0123456789 +-.()44700x#/"
		for range 1 + r.IntN(20) {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		check(b.String())
	}
	t.Logf("%d inputs compared", n)
}

func FuzzFastPath(f *testing.F) {
	for _, s := range []string{"07700 900123", "+44 (0)7700 900123", "0044 7700 900 123", "447700900123",
		"020 7946 0123", "+44 20 7946 0123", "07624 123456", "07700 901123", "01800201234", "+1 650-253-0000",
		"hello", "+", "(+44) 7700 900123"} {
		f.Add(s, "")
	}
	f.Add("07700 900123", "FR")
	f.Fuzz(func(t *testing.T, s, region string) {
		sameAsLibrary(t, s, region)
	})
}

func BenchmarkNormalize(b *testing.B) {
	for _, in := range []string{"+447700900123", "07911 123456", "020 7946 0123", "+33 6 12 34 56 78"} {
		for _, fast := range []bool{true, false} {
			b.Run(fmt.Sprintf("%s/fast=%v", in, fast), func(b *testing.B) {
				for b.Loop() {
					if _, err := normalize(in, "GB", fast); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
