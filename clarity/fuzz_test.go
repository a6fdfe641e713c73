package clarity

import (
	"strings"
	"testing"
)

func boundaries(s string) map[int]bool {
	b := map[int]bool{len(s): true}
	for i := range s {
		b[i] = true
	}
	return b
}

func checkSpan(t *testing.T, text string, b map[int]bool, what string, sp Span) {
	t.Helper()
	if sp.Start < 0 || sp.End > len(text) || sp.Start > sp.End {
		t.Fatalf("%s span %v out of range for %q", what, sp, text)
	}
	if !b[sp.Start] || !b[sp.End] {
		t.Fatalf("%s span %v not on a character boundary in %q", what, sp, text)
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"", plainLetter, bureaucraticLetter, "((", "((a??((b))))", "(((name)))",
		"Mr. Smith. e.g. U.K. 10.30am 2.5", "- a\n# b\n1. c", "ŵyr 👋 €", "\xe2((a??\x80\x99))",
		"((x??)) ((y??.)) ((", "was not sent by", "in the event that in order to",
	} {
		f.Add(s, true, true)
	}
	f.Fuzz(func(t *testing.T, text string, act, sms bool) {
		r := Check(text, Options{AsksToAct: act, SMS: sms})
		b := boundaries(text)
		for _, s := range r.LongSentences {
			checkSpan(t, text, b, "long sentence", s.Span)
			if text[s.Start:s.End] != s.Text {
				t.Fatalf("long sentence text mismatch")
			}
		}
		for _, f := range r.Jargon {
			checkSpan(t, text, b, "jargon", f.Span)
		}
		for _, f := range r.Passive {
			checkSpan(t, text, b, "passive", f.Span)
		}
		last := 0
		for _, s := range Sentences(text) {
			checkSpan(t, text, b, "sentence", s.Span)
			if s.Start < last || s.Words < 1 {
				t.Fatalf("sentence %+v overlaps or has no words", s)
			}
			last = s.End
		}
		if r.Words < 0 || r.Sentences > r.Words || (r.Words > 0) != (r.Sentences > 0) {
			t.Fatalf("counts %d words %d sentences", r.Words, r.Sentences)
		}
		if r.PassesBar != (len(r.Problems) == 0) {
			t.Fatalf("PassesBar %v with problems %q", r.PassesBar, r.Problems)
		}
		if (r.Parts != nil) != act || (r.SMS != nil) != sms {
			t.Fatalf("Parts/SMS presence wrong")
		}
	})
}

// letter400 is a realistic letter of about 400 words.
var letter400 = func() string {
	para := `Dear ((name)),

# Your next appointment

You need to come to the probation office at ((time)) on ((date)). Your case has been reviewed by the team, and the details are shown below. Please bring this letter, your passport or driving licence, and any letters from your doctor.

- Bring this letter
- Bring proof of your address, e.g. a bill

If you cannot come, call us before your appointment. If you do not come and do not tell us, we may take you back to court. Pursuant to your licence conditions, you are required to attend.

If you need help or an interpreter, call us on 0300 123 4567. We are open Monday to Friday, 9am to 5pm. We will check your claim and write to you within ten days to say what happens next.

`
	s := strings.Repeat(para, 3) + "Yours sincerely,\n\n((officer))"
	return s
}()

func TestLetter400(t *testing.T) {
	r := Check(letter400, Options{AsksToAct: true})
	if r.Words < 380 || r.Words > 430 {
		t.Errorf("benchmark letter has %d words, want about 400", r.Words)
	}
}

func BenchmarkCheckLetter(b *testing.B) {
	b.SetBytes(int64(len(letter400)))
	b.ReportAllocs()
	for b.Loop() {
		Check(letter400, Options{AsksToAct: true, SMS: true})
	}
}
