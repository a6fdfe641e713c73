package clarity

import (
	"strings"
	"testing"
)

func TestPassive(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"The letter was sent on Monday.", []string{"was sent"}},
		{"Your case will be reviewed.", []string{"will be reviewed"}},
		{"It has been decided by the court.", []string{"has been decided by"}},
		{"Your claim is being processed.", []string{"is being processed"}},
		{"The form was not signed.", []string{"was not signed"}},
		{"It has already been paid.", []string{"has already been paid"}},
		{"The money will not be paid.", []string{"will not be paid"}},
		{"You were given a warning and are required to attend.", []string{"were given", "are required"}},
		{"Mistakes were made.", []string{"were made"}},
		{"The details are shown below.", []string{"are shown"}},
		{"Your letter was written by ((officer)).", []string{"was written by"}},
		// Negatives.
		{"We sent the letter.", nil},
		{"We will review your case.", nil},
		{"You are the person we need.", nil},
		{"There is a bed here. It is red.", nil},
		{"It is likely to rain.", nil},
		{"The court has decided.", nil},
		{"It was. Sent later.", nil},
	}
	for _, tt := range tests {
		r := Check(tt.text, Options{})
		var got []string
		for _, f := range r.Passive {
			if tt.text[f.Start:f.End] != f.Phrase {
				t.Errorf("%q: text[span] = %q, Phrase %q", tt.text, tt.text[f.Start:f.End], f.Phrase)
			}
			if f.Suggestion == "" || f.Sentence < 1 {
				t.Errorf("%q: finding %+v", tt.text, f)
			}
			got = append(got, f.Phrase)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q: passive %q, want %q", tt.text, got, tt.want)
		}
	}
}
