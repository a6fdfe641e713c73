package phone

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, region, want string
	}{
		{"07700 900123", "", "+447700900123"},
		{"07700900123", "GB", "+447700900123"},
		{"+44 7700 900123", "", "+447700900123"},
		{"+44 (0)7700 900123", "", "+447700900123"},
		{"0044 7700 900 123", "", "+447700900123"},
		{"07700 900000", "", "+447700900000"},
		{"07700 900999", "", "+447700900999"},
		{"+447700900123", "FR", "+447700900123"},
		{"07911 123456", "", "+447911123456"},
		{"020 7946 0123", "", "+442079460123"},
		{"0115 496 0999", "", "+441154960999"}, // drama, libphonenumber says invalid
		{"01632 960123", "", "+441632960123"},  // drama, no area
		{"0808 157 0123", "", "+448081570123"},
		{"0161 496 0000", "gb", "+441614960000"},
		{"06 12 34 56 78", "FR", "+33612345678"},
		{"+33 1 23 45 67 89", "", "+33123456789"},
		{"+1 650-253-0000", "", "+16502530000"},
		{"(650) 253-0000", "US", "+16502530000"},
		{"07624 123456", "", "+447624123456"}, // Isle of Man mobile
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in, tt.region)
		if err != nil {
			t.Errorf("Normalize(%q, %q) error: %v", tt.in, tt.region, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Normalize(%q, %q) = %q, want %q", tt.in, tt.region, got, tt.want)
		}
	}
}

func TestNormalizeInvalid(t *testing.T) {
	tests := []struct {
		in, region, reason string
	}{
		{"", "", "is empty"},
		{"   ", "", "is empty"},
		{"hello", "", "is not a phone number"},
		{"0", "", "is not a phone number"},
		{"07700 9001", "", "is not a valid phone number"},
		{"07700 9001234", "", "is not a valid phone number"},
		{"07700 901123", "", "is not a valid phone number"}, // next to the drama range
		{"00000 000000", "", "is not a valid phone number"},
		{"+999 123456789", "", "country code"},
		{"7700 900123", "ZZ", "country code"},
		{strings.Repeat("1", 100), "", "is too long"},
		{"020 7946 0123 ext. 45", "", "has an extension"},
		{"+44 1234", "", "is not a valid phone number"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in, tt.region)
		if err == nil {
			t.Errorf("Normalize(%q, %q) = %q, want error", tt.in, tt.region, got)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Normalize(%q) error %v does not wrap ErrInvalid", tt.in, err)
		}
		if !strings.HasPrefix(err.Error(), "phone: ") || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("Normalize(%q, %q) error %q, want it to contain %q", tt.in, tt.region, err, tt.reason)
		}
	}
}

func TestDramaMobilesAllValid(t *testing.T) {
	for i := 0; i < 1000; i++ {
		in := fmt.Sprintf("07700 900%03d", i)
		want := fmt.Sprintf("+447700900%03d", i)
		got, err := Normalize(in, "")
		if err != nil || got != want {
			t.Fatalf("Normalize(%q) = %q, %v; want %q", in, got, err, want)
		}
		if !IsDrama(got) || Kind(got) != Mobile || Format(got) != "07700 900"+fmt.Sprintf("%03d", i) {
			t.Fatalf("%s: IsDrama %v, Kind %q, Format %q", got, IsDrama(got), Kind(got), Format(got))
		}
	}
}

func TestKind(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+447700900123", Mobile},
		{"+447911123456", Mobile},
		{"+442079460123", Landline},
		{"+441134960123", Landline},
		{"+441632960123", Landline}, // drama, no area
		{"+442896496123", Landline},
		{"+443069990123", Other}, // UK-wide 03
		{"+448081570123", Other}, // freephone
		{"+449098790123", Other}, // premium rate
		{"+447012345678", Other}, // personal number, not a mobile
		{"+33612345678", Mobile},
		{"+33123456789", Landline},
		{"+16502530000", Mobile}, // fixed line or mobile
		{"+4930123456", Landline},
		{"07700 900123", Mobile}, // not E.164, but readable
		{"nonsense", Other},
		{"", Other},
	}
	for _, tt := range tests {
		if got := Kind(tt.in); got != tt.want {
			t.Errorf("Kind(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+447700900123", "07700 900123"},
		{"+442079460123", "020 7946 0123"},
		{"+441614960000", "0161 496 0000"},
		{"+447624123456", "07624 123456"}, // Isle of Man: still dialled as a UK number
		{"+33123456789", "+33 1 23 45 67 89"},
		{"+16502530000", "+1 650-253-0000"},
		{"not a number", "not a number"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Format(tt.in); got != tt.want {
			t.Errorf("Format(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsDrama(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"+447700900000", true},
		{"+447700900999", true},
		{"+447700901000", false},
		{"+447700899999", false},
		{"+442079460000", true},
		{"+442079460999", true},
		{"+442079461000", false},
		{"+441914980123", true},
		{"+441914960123", false},
		{"+442896496999", true},
		{"+442896497000", false},
		{"+441632960500", true},
		{"+447911123456", false},
		{"07700900123", false}, // not E.164
		{"+4477009001234", false},
		{"+44770090012x", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsDrama(tt.in); got != tt.want {
			t.Errorf("IsDrama(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestDramaRangesNormalize checks that every drama range is accepted at both
// ends and classed as expected.
func TestDramaRangesNormalize(t *testing.T) {
	for _, p := range dramaRanges {
		for _, tail := range []string{"000", "999"} {
			e := "+44" + p + tail
			got, err := Normalize("0"+p+tail, "GB")
			if err != nil || got != e {
				t.Errorf("Normalize(0%s%s) = %q, %v; want %q", p, tail, got, err, e)
			}
			if !IsDrama(got) {
				t.Errorf("IsDrama(%q) = false", got)
			}
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"07700 900123", "+44 (0)7700 900123", "0044 7700 900 123", "+1 650-253-0000", "06 12 34 56 78", "020 7946 0123 ext. 45", "hello", "+", "++44", "0800 FLOWERS", ""} {
		f.Add(s, "")
	}
	f.Add("06 12 34 56 78", "FR")
	f.Add("(650) 253-0000", "us")
	f.Add("123", "ZZ")
	f.Fuzz(func(t *testing.T, s, region string) {
		e, err := Normalize(s, region)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Normalize(%q, %q) error %v does not wrap ErrInvalid", s, region, err)
			}
			if e != "" {
				t.Fatalf("Normalize(%q, %q) = %q with error", s, region, e)
			}
			return
		}
		if len(e) < 3 || e[0] != '+' || len(e) > 16 {
			t.Fatalf("Normalize(%q, %q) = %q, not E.164", s, region, e)
		}
		for _, c := range e[1:] {
			if c < '0' || c > '9' {
				t.Fatalf("Normalize(%q, %q) = %q, not E.164", s, region, e)
			}
		}
		again, err := Normalize(e, "")
		if err != nil || again != e {
			t.Fatalf("Normalize(%q) = %q, %v; not idempotent (from %q, %q)", e, again, err, s, region)
		}
		switch Kind(e) {
		case Mobile, Landline, Other:
		default:
			t.Fatalf("Kind(%q) = %q", e, Kind(e))
		}
		formatted := Format(e)
		back, err := Normalize(formatted, "GB")
		if err != nil || back != e {
			t.Fatalf("Format(%q) = %q reads back as %q, %v", e, formatted, back, err)
		}
	})
}
