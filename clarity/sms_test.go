package clarity

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGSMAlphabet(t *testing.T) {
	if n := utf8.RuneCountInString(gsmBasic); n != 127 {
		t.Errorf("basic alphabet has %d characters, want 127 (128 less escape)", n)
	}
	if n := utf8.RuneCountInString(gsmExtension); n != 10 {
		t.Errorf("extension table has %d characters, want 10", n)
	}
}

func TestCountSMS(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		chars    int
		encoding string
		parts    int
		non      []string
	}{
		{"empty", "", 0, GSM, 0, nil},
		{"one", "a", 1, GSM, 1, nil},
		{"160", strings.Repeat("a", 160), 160, GSM, 1, nil},
		{"161", strings.Repeat("a", 161), 161, GSM, 2, nil},
		{"306", strings.Repeat("a", 306), 306, GSM, 2, nil},
		{"307", strings.Repeat("a", 307), 307, GSM, 3, nil},
		{"459", strings.Repeat("a", 459), 459, GSM, 3, nil},
		{"460", strings.Repeat("a", 460), 460, GSM, 4, nil},
		{"GSM accents", "£ é ñ Ø ¿ @ \n", 13, GSM, 1, nil},
		{"euro counts 2", "€5", 3, GSM, 1, nil},
		{"extension counts 2", "^{}\\[~]|", 16, GSM, 1, nil},
		{"159 + euro", strings.Repeat("a", 159) + "€", 161, GSM, 2, nil},
		{"158 + euro", strings.Repeat("a", 158) + "€", 160, GSM, 1, nil},
		{"70 UCS-2", strings.Repeat("a", 69) + "ŵ", 70, UCS2, 1, []string{"ŵ"}},
		{"71 UCS-2", strings.Repeat("a", 70) + "ŵ", 71, UCS2, 2, []string{"ŵ"}},
		{"134 UCS-2", strings.Repeat("a", 133) + "ŷ", 134, UCS2, 2, []string{"ŷ"}},
		{"135 UCS-2", strings.Repeat("a", 134) + "ŷ", 135, UCS2, 3, []string{"ŷ"}},
		{"Welsh", "Dewch â’ch pasbort, ŵyr ŷd", 26, UCS2, 1, []string{"â", "’", "ŵ", "ŷ"}},
		{"emoji counts 2", "Hi 👋", 5, UCS2, 1, []string{"👋"}},
		{"emoji at the edge", strings.Repeat("a", 68) + "👋", 70, UCS2, 1, []string{"👋"}},
		{"emoji over the edge", strings.Repeat("a", 69) + "👋", 71, UCS2, 2, []string{"👋"}},
		{"euro in UCS-2 counts 1", "€ŵ", 2, UCS2, 1, []string{"ŵ"}},
		{"repeated non-GSM listed once", "ŵŵŵ", 3, UCS2, 1, []string{"ŵ"}},
		{"lower-case ç is not GSM", "ç", 1, UCS2, 1, []string{"ç"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CountSMS(tt.text)
			want := SMS{Characters: tt.chars, Encoding: tt.encoding, Parts: tt.parts, NonGSM: tt.non}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("CountSMS = %+v, want %+v", got, want)
			}
		})
	}
}

func TestCheckSMS(t *testing.T) {
	if r := Check("Hello", Options{}); r.SMS != nil {
		t.Error("SMS set without Options.SMS")
	}
	r := Check("Your appointment is on ((date)).", Options{SMS: true})
	if r.SMS == nil || r.SMS.Characters != 32 || r.SMS.Parts != 1 || r.SMS.Encoding != GSM {
		t.Errorf("SMS = %+v", r.SMS)
	}
	if !r.PassesBar {
		t.Errorf("short SMS fails: %q", r.Problems)
	}
}
