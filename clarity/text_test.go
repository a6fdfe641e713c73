package clarity

import (
	"reflect"
	"testing"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"simple", "Call us. We can help! Can you come?", []string{"Call us.", "We can help!", "Can you come?"}},
		{"no final stop", "Call us today", []string{"Call us today"}},
		{"e.g. and i.e.", "Bring proof, e.g. a bill. Come early, i.e. by 9.", []string{"Bring proof, e.g. a bill.", "Come early, i.e. by 9."}},
		{"titles", "Mr. Smith and Dr. Jones will see you. Mrs. Khan will not.", []string{"Mr. Smith and Dr. Jones will see you.", "Mrs. Khan will not."}},
		{"No. with a number", "Read No. 5 first. Say no. Then stop.", []string{"Read No. 5 first.", "Say no.", "Then stop."}},
		{"decimal and time", "Pay £2.50 at 10.30am. Then leave.", []string{"Pay £2.50 at 10.30am.", "Then leave."}},
		{"dotted abbreviation", "You live in the U.K. now. Good.", []string{"You live in the U.K. now.", "Good."}},
		{"initial", "Ask J. Smith. She knows.", []string{"Ask J. Smith.", "She knows."}},
		{"quote after stop", "He said \"come in.\" We went.", []string{"He said \"come in.\"", "We went."}},
		{"blank line", "Dear Sam\n\nThank you for your letter", []string{"Dear Sam", "Thank you for your letter"}},
		{"single newline joins", "Thank you for\nyour letter.", []string{"Thank you for\nyour letter."}},
		{"bullets", "Bring:\n- your passport\n- a bill\nThen call.", []string{"Bring:", "your passport", "a bill", "Then call."}},
		{"star bullets and numbers", "* one thing\n1. first step\n2) second step", []string{"one thing", "first step", "second step"}},
		{"heading", "# Your appointment\nCome at 9.", []string{"Your appointment", "Come at 9."}},
		{"bullet with two sentences", "- Bring it. Sign it", []string{"Bring it.", "Sign it"}},
		{"CRLF", "One.\r\n\r\nTwo\r\n", []string{"One.", "Two"}},
		{"no words", "...\n\n---\n\n!!", nil},
		{"empty", "", nil},
		{"welsh", "Diolch yn fawr. Dewch â’ch pasbort.", []string{"Diolch yn fawr.", "Dewch â’ch pasbort."}},
		{"placeholder", "Dear ((name)). See you on ((date)).", []string{"Dear ((name)).", "See you on ((date))."}},
		{"conditional", "Hello.((late?? You are late. Call us.)) Bye.", []string{"Hello.", "You are late.", "Call us.", "Bye."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences(tt.text)
			var texts []string
			for i, s := range got {
				if s.Index != i+1 {
					t.Errorf("sentence %d has Index %d", i+1, s.Index)
				}
				if s.Start < 0 || s.End > len(tt.text) || s.Start > s.End {
					t.Fatalf("span %v out of range", s.Span)
				}
				if tt.text[s.Start:s.End] != s.Text {
					t.Errorf("text[%d:%d] = %q, Text = %q", s.Start, s.End, tt.text[s.Start:s.End], s.Text)
				}
				texts = append(texts, s.Text)
			}
			if !reflect.DeepEqual(texts, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.text, texts, tt.want)
			}
		})
	}
}

func TestSentenceWords(t *testing.T) {
	got := Sentences("Dear ((first name)) ((last name)),\n\nYour 2.5 hour visit is at 10.30am on ((date??((date)))).")
	want := []int{3, 9}
	if len(got) != len(want) {
		t.Fatalf("got %d sentences, want %d: %+v", len(got), len(want), got)
	}
	for i, s := range got {
		if s.Words != want[i] {
			t.Errorf("sentence %d %q: %d words, want %d", i+1, s.Text, s.Words, want[i])
		}
	}
}

func TestPrepare(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Dear ((name)),", "Dear Sample,"},
		{"((a))((b))", "SampleSample"},
		{"Hi((late?? you are late)).", "Hi you are late."},
		{"((late??Come on ((date)).))", "Come on Sample."},
		{"not closed ((name)", "not closed ((name)"},
		{"(((name)))", "(Sample)"},
		{"((x??))end", "end"},
	}
	for _, tt := range tests {
		an := prepare(tt.in)
		if an.a != tt.want {
			t.Errorf("prepare(%q) = %q, want %q", tt.in, an.a, tt.want)
		}
	}
	// Spans over a stand-in cover the whole placeholder.
	an := prepare("Dear ((name)), hi")
	if sp := an.span(5, 11); sp != (Span{5, 13}) {
		t.Errorf("span of stand-in = %v, want {5 13}", sp)
	}
	if sp := an.span(13, 15); sp != (Span{15, 17}) {
		t.Errorf("span after stand-in = %v, want {15 17}", sp)
	}
}
