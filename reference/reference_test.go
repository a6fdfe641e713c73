package reference

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	tests := []struct {
		n    uint32
		want string
	}{
		{4817263, "TH-04817263K"}, // the example used in messages
		{0, "TH-00000000" + string(alphabet[(23-prefixSum%23)%23])},
		{12345678, "TH-12345678P"},
		{Max, "TH-99999999" + string(checkLetter("99999999"))},
	}
	for _, tt := range tests {
		got, err := New(tt.n)
		if err != nil || got != tt.want {
			t.Errorf("New(%d) = %q, %v; want %q", tt.n, got, err, tt.want)
		}
	}
	for _, n := range []uint32{Max + 1, 1 << 31, 1<<32 - 1} {
		if got, err := New(n); err == nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("New(%d) = %q, %v; want ErrInvalid", n, got, err)
		}
	}
}

func TestCheckLetterWorkedExample(t *testing.T) {
	// The package comment works this one through by hand.
	sum := 19*1 + 7*2 + 0*3 + 4*4 + 8*5 + 1*6 + 7*7 + 2*8 + 6*9 + 3*10
	if sum != 244 || sum%23 != 14 || alphabet[9] != 'K' || checkLetter("04817263") != 'K' {
		t.Fatalf("worked example is wrong: sum %d", sum)
	}
	if len(alphabet) != 23 || strings.ContainsAny(alphabet, "IOQ") {
		t.Fatalf("alphabet %q", alphabet)
	}
}

func TestParse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"TH-04817263K", "TH-04817263K"},
		{"th04817263k", "TH-04817263K"},
		{"TH 04817263 K", "TH-04817263K"},
		{"  th-04817263-k  ", "TH-04817263K"},
		{"TH-0481-7263-K", "TH-04817263K"},
		{"TH--04817263K", "TH-04817263K"},
		{"TH–04817263K", "TH-04817263K"}, // en dash
		{"Th 0481 7263 k", "TH-04817263K"},
		{"TH-12345678P", "TH-12345678P"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if !Valid(tt.in) {
			t.Errorf("Valid(%q) = false", tt.in)
		}
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct{ in, reason string }{
		{"", "is empty"},
		{" - ", "is empty"},
		{"04817263K", "must start with TH"},
		{"XH-04817263K", "must start with TH"},
		{"TH-4817263K", "eight digits"},
		{"TH-048172631K", "eight digits"},
		{"TH-0481726K", "eight digits"},
		{"TH-04817263", "missing its check letter"},
		{"TH-048172634", "eight digits"},
		{"TH-04817263-", "missing its check letter"},
		{"TH-04817263*", "must end with a check letter"},
		{"TH-04817263KK", "too long"},
		{"TH-04817263K 1", "too long"},
		{"TH-04817263L", "wrong check letter"},
		{"TH-04817263I", "wrong check letter"},
		{"TH-12345678Z", "wrong check letter"},
		{"TH-04817236K", "wrong check letter"}, // transposition
		{"TH-04817264K", "wrong check letter"}, // one digit wrong
		{"TH-0481726３K", "may only contain"},   // full-width digit
		{"TH_04817263K", "eight digits"},
		{strings.Repeat("x", 500), "too long"},
		{"TH04817263ä", "may only contain"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %q, want error", tt.in, got)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) error %v does not wrap ErrInvalid", tt.in, err)
		}
		if !strings.HasPrefix(err.Error(), "reference: ") || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("Parse(%q) error %q, want it to contain %q", tt.in, err, tt.reason)
		}
		if Valid(tt.in) {
			t.Errorf("Valid(%q) = true", tt.in)
		}
	}
}

// TestDetectsErrors checks, by brute force over a sample of numbers, that
// every single-digit substitution and every adjacent transposition of
// different digits gives a reference whose check letter no longer fits, and
// likewise every substitution of the check letter.
func TestDetectsErrors(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	numbers := []uint32{0, 4817263, 12345678, Max, 10101010, 90909090}
	for range 20000 {
		numbers = append(numbers, r.Uint32N(Max+1))
	}
	checked := 0
	for _, n := range numbers {
		ref, _ := New(n)
		b := []byte(ref)
		for i := 3; i < 11; i++ { // digits
			orig := b[i]
			for d := byte('0'); d <= '9'; d++ {
				if d == orig {
					continue
				}
				b[i] = d
				if Valid(string(b)) {
					t.Fatalf("%s: substitution %s still valid", ref, b)
				}
				checked++
			}
			b[i] = orig
			if i < 10 && b[i] != b[i+1] {
				b[i], b[i+1] = b[i+1], b[i]
				if Valid(string(b)) {
					t.Fatalf("%s: transposition %s still valid", ref, b)
				}
				b[i], b[i+1] = b[i+1], b[i]
				checked++
			}
		}
		for c := byte('A'); c <= 'Z'; c++ {
			if c == b[11] {
				continue
			}
			orig := b[11]
			b[11] = c
			if Valid(string(b)) {
				t.Fatalf("%s: check letter %c valid too", ref, c)
			}
			b[11] = orig
		}
	}
	t.Logf("checked %d altered references", checked)
}

// TestWeightsProperty checks the algebra behind TestDetectsErrors for every
// position and every digit difference, not only the sampled numbers.
func TestWeightsProperty(t *testing.T) {
	for i := 0; i < 8; i++ {
		w := i + 3
		for delta := 1; delta <= 9; delta++ {
			if (w*delta)%23 == 0 {
				t.Errorf("weight %d misses a change of %d", w, delta)
			}
			for j := i + 1; j < 8; j++ {
				if ((j+3-w)*delta)%23 == 0 {
					t.Errorf("positions %d,%d miss a swap of digits %d apart", i, j, delta)
				}
			}
		}
	}
}

func TestRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	seen := map[string]bool{}
	for range 1000 {
		ref := Random(r)
		if !Valid(ref) || len(ref) != 12 || !strings.HasPrefix(ref, Prefix) {
			t.Fatalf("Random gave %q", ref)
		}
		seen[ref] = true
	}
	if len(seen) < 990 {
		t.Errorf("only %d distinct references in 1000 draws", len(seen))
	}
}

// fixed returns the values it holds in turn, to test the rejection loop.
type fixed []uint32

func (f *fixed) Uint32() uint32 {
	v := (*f)[0]
	*f = (*f)[1:]
	return v
}

func TestRandomRejectsBiasedTail(t *testing.T) {
	f := fixed{1<<32 - 1, 4_200_000_000, 4_199_999_999}
	if got, want := Random(&f), "TH-99999999"+string(checkLetter("99999999")); got != want {
		t.Errorf("Random = %q, want %q", got, want)
	}
	if len(f) != 0 {
		t.Errorf("Random left %d values unused", len(f))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"TH-04817263K", "th04817263k", "TH 04817263 K", "TH-12345678Z", "TH-", "", "TH—0481 7263—k", "TH-04817263KK"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) || got != "" {
				t.Fatalf("Parse(%q) = %q, %v", s, got, err)
			}
			if Valid(s) {
				t.Fatalf("Valid(%q) = true after Parse failed", s)
			}
			return
		}
		if len(got) != 12 || !strings.HasPrefix(got, Prefix) {
			t.Fatalf("Parse(%q) = %q, not canonical", s, got)
		}
		again, err := Parse(got)
		if err != nil || again != got {
			t.Fatalf("Parse(%q) = %q, %v; not idempotent", got, again, err)
		}
		if lower, err := Parse(strings.ToLower(got)); err != nil || lower != got {
			t.Fatalf("Parse(%q) = %q, %v", strings.ToLower(got), lower, err)
		}
		var n uint32
		for _, c := range got[3:11] {
			n = n*10 + uint32(c-'0')
		}
		if built, err := New(n); err != nil || built != got {
			t.Fatalf("New(%d) = %q, %v; Parse gave %q", n, built, err, got)
		}
	})
}
