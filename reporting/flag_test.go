package reporting

import (
	"strings"
	"testing"

	"tether"
)

func TestCheckFlagChange(t *testing.T) {
	for _, tt := range []struct {
		name, flag, reason string
		fields             []string // the fields refused; none when it passes
	}{
		{"a known flag with a reason", FlagIdentifiedForRemoval, "Removal directions set", nil},
		{"spaces around", " " + FlagFailedTelephoneReporting + " ", " Missed two calls ", nil},
		{"unknown flag", "made_up", "Test", []string{"flag"}},
		{"no reason", FlagIdentifiedForRemoval, "  ", []string{"reason"}},
		{"reason too long", FlagIdentifiedForRemoval, strings.Repeat("é", maxReason+1), []string{"reason"}},
		{"reason at the limit", FlagIdentifiedForRemoval, strings.Repeat("é", maxReason), nil},
		{"both", "", "", []string{"flag", "reason"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckFlagChange(tt.flag, tt.reason)
			got := tether.ErrorFields(err)
			if len(got) != len(tt.fields) {
				t.Fatalf("fields %v, want %v (%v)", got, tt.fields, err)
			}
			for _, f := range tt.fields {
				if got[f] == "" {
					t.Errorf("no problem with %s: %v", f, got)
				}
			}
			if len(tt.fields) > 0 && tether.ErrorCode(err) != tether.EINVALID {
				t.Errorf("code %s, want EINVALID", tether.ErrorCode(err))
			}
		})
	}
}
