package postcode

import (
	"errors"
	"strings"
	"testing"
	"unicode"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"sw1a1aa", "SW1A 1AA"},
		{" SW1A  1AA ", "SW1A 1AA"},
		{"ec1a 1bb", "EC1A 1BB"},
		{"W1A 0AX", "W1A 0AX"},          // A9A
		{"m1 1ae", "M1 1AE"},            // A9
		{"B33 8TH", "B33 8TH"},          // A99
		{"CR2 6XH", "CR2 6XH"},          // AA9
		{"DN55 1PT", "DN55 1PT"},        // AA99
		{"BT1 5GS", "BT1 5GS"},          // Northern Ireland
		{"g2 1dy", "G2 1DY"},            // one-letter Scottish area
		{"gir0aa", "GIR 0AA"},           // special case
		{"GIR 0AA", "GIR 0AA"},          // special case, canonical
		{"\tSE1\u00a09GP\n", "SE1 9GP"}, // any Unicode white space
		{"E1W 1AA", "E1W 1AA"},          // W allowed third in A9A
		{"NW1W 1AA", "NW1W 1AA"},        // W allowed fourth in AA9A
		{"S W 1 A 1 A A", "SW1A 1AA"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if err != nil {
			t.Errorf("Normalize(%q) error: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeInvalid(t *testing.T) {
	tests := []struct {
		in     string
		reason string // part of the error message
	}{
		{"", "is empty"},
		{"   ", "is empty"},
		{"XX", `"XX" is too short`},
		{"SW1", "too short"},
		{"SW1A1AAA", "too long"},
		{"SW1A-1AA", "may only contain"},
		{"SW1A 1ÄA", "may only contain"},
		{"SW1A 1CA", "letter (C, I, K, M, O or V)"}, // inward C
		{"SW1A 1AI", "letter (C, I, K, M, O or V)"}, // inward I
		{"SW1A 1AK", "letter (C, I, K, M, O or V)"},
		{"SW1A 1MA", "letter (C, I, K, M, O or V)"},
		{"SW1A 1AO", "letter (C, I, K, M, O or V)"},
		{"SW1A 1VA", "letter (C, I, K, M, O or V)"},
		{"SW1A AAA", "must end with a digit"},
		{"SW1A 11A", "must end with a digit"},
		{"Q1 1AA", "cannot start with Q"},
		{"V1 1AA", "cannot start with Q"},
		{"XA1 1AA", "cannot start with Q"},
		{"AI1 1AA", "second letter"},
		{"AJ1 1AA", "second letter"},
		{"AZ11 1AA", "second letter"},
		{"W1L 1AA", "cannot have L after W1"}, // L not allowed third in A9A
		{"W1Z 1AA", "cannot have Z after W1"},
		{"SW1C 1AA", "cannot have C after SW1"}, // C not allowed fourth in AA9A
		{"SW1Z 1AA", "cannot have Z after SW1"},
		{"1W1 1AA", "must start with an outward code"},
		{"SWA1 1AA", "must start with an outward code"},
		{"S1A1 1AA", "must start with an outward code"},
		{"SWAB 1AA", "must start with an outward code"},
		{"S111 1AA", "must start with an outward code"},
		{"ASCN 1ZZ", "must start with an outward code"}, // overseas territory
		{"GIR 0AB", "must start with an outward code"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if err == nil {
			t.Errorf("Normalize(%q) = %q, want error", tt.in, got)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Normalize(%q) error %v does not wrap ErrInvalid", tt.in, err)
		}
		if !strings.HasPrefix(err.Error(), "postcode: ") || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("Normalize(%q) error %q, want it to contain %q", tt.in, err, tt.reason)
		}
		if IsPostcode(tt.in) {
			t.Errorf("IsPostcode(%q) = true", tt.in)
		}
	}
}

func TestErrorMessageTooShort(t *testing.T) {
	_, err := Normalize("XX")
	if got, want := err.Error(), `postcode: "XX" is too short`; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestErrorMessageTruncatesLongInput(t *testing.T) {
	_, err := Normalize(strings.Repeat("é", 1000))
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("error for long input = %v", err)
	}
}

func TestArea(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SW1A 1AA", "SW"},
		{"sw1a1aa", "SW"},
		{"G1 1AA", "G"},
		{"EC1A 1BB", "EC"},
		{"M1 1AE", "M"},
		{"BT1 5GS", "BT"},
		{"GIR 0AA", "GIR"},
		{"", ""},
		{"not a postcode", ""},
		{"SW1A", ""},
	}
	for _, tt := range tests {
		if got := Area(tt.in); got != tt.want {
			t.Errorf("Area(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDivision(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SW1A 1AA", EnglandAndWales},
		{"CF10 1EP", EnglandAndWales}, // Cardiff
		{"LL57 2DG", EnglandAndWales}, // Bangor, Wales
		{"BT1 5GS", NorthernIreland},
		{"bt48 6dq", NorthernIreland},
		{"EH1 1YZ", Scotland},
		{"G2 1DY", Scotland},
		{"GL1 1AA", EnglandAndWales}, // Gloucester, not Glasgow
		{"AB10 1AB", Scotland},
		{"DD1 1AA", Scotland},
		{"DG1 1AA", Scotland},
		{"FK1 1AA", Scotland},
		{"HS1 2AA", Scotland},
		{"IV1 1AA", Scotland},
		{"KA1 1AA", Scotland},
		{"KW1 4AA", Scotland},
		{"KY1 1AA", Scotland},
		{"ML1 1AA", Scotland},
		{"PA1 1AA", Scotland},
		{"PH1 1AA", Scotland},
		{"TD1 1AA", Scotland},
		{"ZE1 0AA", Scotland},
		{"KT1 1AA", EnglandAndWales},
		{"PE1 1AA", EnglandAndWales},
		{"GIR 0AA", EnglandAndWales},
		{"IM1 1AA", EnglandAndWales},
		{"", EnglandAndWales},
		{"EH1 1CC", Scotland}, // malformed, but clearly Edinburgh
		{"12345", EnglandAndWales},
	}
	for _, tt := range tests {
		if got := Division(tt.in); got != tt.want {
			t.Errorf("Division(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestAllShapes checks every outward shape with letters that are allowed and
// every letter that is not, position by position.
func TestAllShapes(t *testing.T) {
	for c := byte('A'); c <= 'Z'; c++ {
		l := string(c)
		check := func(pc string, want bool) {
			t.Helper()
			if got := IsPostcode(pc); got != want {
				t.Errorf("IsPostcode(%q) = %v, want %v", pc, got, want)
			}
		}
		check(l+"1 1AA", !strings.Contains(notFirst, l))
		check("A"+l+"1 1AA", !strings.Contains(notSecond, l))
		check("W1"+l+" 1AA", strings.Contains(thirdA9A, l))
		check("SW1"+l+" 1AA", strings.Contains(fourthAA9A, l))
		check("SW1A 1"+l+"A", !strings.Contains(notInward, l))
		check("SW1A 1A"+l, !strings.Contains(notInward, l))
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"sw1a1aa", " SW1A  1AA ", "ec1a 1bb", "GIR 0AA", "XX", "W1A 0AX", "BT1 5GS", "\u00a0SE1 9GP", "ÿÿÿÿÿ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Normalize(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Normalize(%q) error %v does not wrap ErrInvalid", s, err)
			}
			if got != "" {
				t.Fatalf("Normalize(%q) = %q with error", s, got)
			}
			if IsPostcode(s) {
				t.Fatalf("IsPostcode(%q) = true but Normalize failed", s)
			}
			_ = Division(s) // must not panic
			if a := Area(s); a != "" {
				t.Fatalf("Area(%q) = %q for an invalid postcode", s, a)
			}
			return
		}
		// Canonical form: 6 to 8 bytes, one space before the 3-char inward code.
		if len(got) < 6 || len(got) > 8 || got[len(got)-4] != ' ' || strings.Count(got, " ") != 1 {
			t.Fatalf("Normalize(%q) = %q, not canonical", s, got)
		}
		for _, r := range got {
			if r != ' ' && !unicode.IsUpper(r) && !unicode.IsDigit(r) {
				t.Fatalf("Normalize(%q) = %q has %q", s, got, r)
			}
		}
		again, err := Normalize(got)
		if err != nil || again != got {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q, %v", s, got, again, err)
		}
		if lower, err := Normalize(strings.ToLower(got)); err != nil || lower != got {
			t.Fatalf("Normalize(lower %q) = %q, %v", got, lower, err)
		}
		if squashed, err := Normalize(strings.ReplaceAll(got, " ", "")); err != nil || squashed != got {
			t.Fatalf("Normalize(squashed %q) = %q, %v", got, squashed, err)
		}
		a := Area(s)
		if a == "" || !strings.HasPrefix(got, a) {
			t.Fatalf("Area(%q) = %q, canonical %q", s, a, got)
		}
		switch Division(s) {
		case EnglandAndWales, Scotland, NorthernIreland:
		default:
			t.Fatalf("Division(%q) = %q", s, Division(s))
		}
	})
}
