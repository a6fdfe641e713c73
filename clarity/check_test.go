package clarity

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// Reference passages, counted by hand.
//
//  1. "The cat sat on the mat."
//     6 words, 1 sentence, 6 syllables (all one syllable).
//     ease  = 206.835 - 1.015*6 - 84.6*(6/6) = 206.835 - 6.09 - 84.6 = 116.145
//     grade = 0.39*6 + 11.8*1 - 15.59 = 2.34 + 11.8 - 15.59 = -1.45
//
//  2. "Please call us by Friday. We will check your claim and write to you
//     within ten days."
//     Sentence 1: Please(1) call(1) us(1) by(1) Fri-day(2) = 5 words, 6 syllables.
//     Sentence 2: We will check your claim and write to you (9 x 1) with-in(2)
//     ten(1) days(1) = 12 words, 13 syllables.
//     17 words, 2 sentences, 19 syllables: 8.5 words a sentence, 1.1176 syllables a word.
//     ease  = 206.835 - 8.6275 - 94.5529 = 103.655
//     grade = 3.315 + 13.1882 - 15.59 = 0.913
//
//  3. "Pursuant to the aforementioned correspondence, you are hereby required
//     to furnish the documentation forthwith."
//     Pur-su-ant(3) to(1) the(1) a-fore-men-tioned(4) cor-re-spond-ence(4)
//     you(1) are(1) here-by(2) re-quired(2) to(1) fur-nish(2) the(1)
//     doc-u-men-ta-tion(5) forth-with(2) = 14 words, 30 syllables, 1 sentence.
//     ease  = 206.835 - 1.015*14 - 84.6*(30/14) = 206.835 - 14.21 - 181.286 = 11.339
//     grade = 0.39*14 + 11.8*(30/14) - 15.59 = 5.46 + 25.286 - 15.59 = 15.156
func TestReadabilityReference(t *testing.T) {
	tests := []struct {
		text                        string
		words, sentences, syllables int
		ease, grade                 float64
	}{
		{"The cat sat on the mat.", 6, 1, 6, 116.145, -1.45},
		{"Please call us by Friday. We will check your claim and write to you within ten days.", 17, 2, 19, 103.655, 0.913},
		{"Pursuant to the aforementioned correspondence, you are hereby required to furnish the documentation forthwith.", 14, 1, 30, 11.339, 15.156},
	}
	for _, tt := range tests {
		r := Check(tt.text, Options{})
		if r.Words != tt.words || r.Sentences != tt.sentences || r.Syllables != tt.syllables {
			t.Errorf("%q: words/sentences/syllables = %d/%d/%d, want %d/%d/%d", tt.text,
				r.Words, r.Sentences, r.Syllables, tt.words, tt.sentences, tt.syllables)
		}
		if math.Abs(r.ReadingEase-tt.ease) > 0.5 {
			t.Errorf("%q: ReadingEase = %v, want %v ± 0.5", tt.text, r.ReadingEase, tt.ease)
		}
		if math.Abs(r.Grade-tt.grade) > 0.5 {
			t.Errorf("%q: Grade = %v, want %v ± 0.5", tt.text, r.Grade, tt.grade)
		}
		if r.ReadingEase != math.Round(r.ReadingEase*10)/10 {
			t.Errorf("ReadingEase %v not rounded to 1 decimal", r.ReadingEase)
		}
	}
}

func TestReadingAge(t *testing.T) {
	if r := Check("The cat sat on the mat.", Options{}); r.ReadingAge != 5 {
		t.Errorf("ReadingAge = %d, want the minimum 5", r.ReadingAge)
	}
	r := Check("Pursuant to the aforementioned correspondence, you are hereby required to furnish the documentation forthwith.", Options{})
	if want := int(math.Round(r.Grade + 5)); r.ReadingAge != want {
		t.Errorf("ReadingAge = %d, want %d", r.ReadingAge, want)
	}
}

func TestEmpty(t *testing.T) {
	for _, text := range []string{"", "   \n\n", "((", "--- \n ..."} {
		r := Check(text, Options{AsksToAct: true, SMS: true})
		if r.Words != 0 || r.ReadingEase != 0 || r.Grade != 0 || r.PassesBar {
			t.Errorf("%q: %+v", text, r)
		}
		if !reflect.DeepEqual(r.Problems, []string{"The text is empty."}) {
			t.Errorf("%q: Problems = %q", text, r.Problems)
		}
	}
}

const plainLetter = `Dear ((name)),

# Your next appointment

You need to come to the probation office at ((time)) on ((date)).

Please bring:
- this letter
- your passport or driving licence

If you cannot come, call us before your appointment. If you do not come and do not tell us, we may take you back to court.

If you need help or an interpreter, call us on 0300 123 4567. We are open Monday to Friday, 9am to 5pm.

Yours sincerely,

((officer))`

const bureaucraticLetter = `Dear ((name)),

Pursuant to the aforementioned correspondence, you are hereby required to furnish the documentation specified herein to this office in accordance with the conditions of your licence prior to the commencement of the supervision period, notwithstanding any previous arrangements.

Failure to comply with this requirement will be considered a breach, whereby enforcement proceedings may be initiated forthwith.`

func TestPlainLetterPasses(t *testing.T) {
	r := Check(plainLetter, Options{AsksToAct: true})
	if !r.PassesBar {
		t.Fatalf("plain letter fails: %q (ease %v, grade %v)", r.Problems, r.ReadingEase, r.Grade)
	}
	if r.Parts == nil || len(r.Parts.Missing) != 0 {
		t.Errorf("Parts = %+v", r.Parts)
	}
	if r.SMS != nil {
		t.Errorf("SMS set without Options.SMS")
	}
	if len(r.Jargon) != 0 {
		t.Errorf("unexpected jargon %+v", r.Jargon)
	}
}

func TestBureaucraticLetterFails(t *testing.T) {
	r := Check(bureaucraticLetter, Options{AsksToAct: true})
	if r.PassesBar {
		t.Fatal("bureaucratic letter passes")
	}
	want := []string{"Reading ease is ", "Grade level is ", "1 sentence is longer than 25 words (sentence 2 has 38 words)", "It does not say by when.", "It does not say how to get help."}
	if len(r.Problems) != len(want) {
		t.Fatalf("Problems = %q, want %d", r.Problems, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(r.Problems[i], w) {
			t.Errorf("Problems[%d] = %q, want prefix %q", i, r.Problems[i], w)
		}
	}
	if !strings.HasSuffix(r.Problems[0], "; the bar is 60.") {
		t.Errorf("Problems[0] = %q", r.Problems[0])
	}
	if !r.Parts.WhatToDo || !r.Parts.IfNot || r.Parts.ByWhen || r.Parts.Help {
		t.Errorf("Parts = %+v", r.Parts)
	}
	phrases := map[string]bool{}
	for _, f := range r.Jargon {
		phrases[strings.ToLower(f.Phrase)] = true
	}
	for _, p := range []string{"pursuant to", "aforementioned", "correspondence", "hereby", "required", "furnish", "documentation", "herein", "in accordance with", "prior to", "commencement", "notwithstanding", "failure to", "comply with", "whereby", "initiated", "forthwith"} {
		if !phrases[p] {
			t.Errorf("jargon %q not found in %v", p, phrases)
		}
	}
	var passive []string
	for _, f := range r.Passive {
		passive = append(passive, f.Phrase)
	}
	if want := []string{"are hereby required", "will be considered", "may be initiated"}; !reflect.DeepEqual(passive, want) {
		t.Errorf("Passive = %q, want %q", passive, want)
	}
	for _, s := range r.LongSentences {
		if s.Words <= 25 || bureaucraticLetter[s.Start:s.End] != s.Text {
			t.Errorf("long sentence %+v", s)
		}
	}
}

func TestBar(t *testing.T) {
	// 4 + 8*3 + 2 = 30 words.
	long := "You need to bring " + strings.Repeat("one form and ", 8) + "a pen."
	tests := []struct {
		name string
		text string
		opt  Options
		want []string
	}{
		{"passes", "Call us. We can help you.", Options{}, nil},
		{"long sentence", long, Options{}, []string{"1 sentence is longer than 25 words (sentence 1 has 30 words); the bar is 0."}},
		{"long sentence allowed", long, Options{Bar: Bar{MaxLongSentences: 1}}, nil},
		// 3 words, 14 syllables: ease 206.835 - 3.045 - 394.8 = -191.0,
		// grade 1.17 + 55.07 - 15.59 = 40.65.
		{"reading ease", "Documentation necessitates authorisation.", Options{}, []string{
			"Reading ease is -191; the bar is 60.", "Grade level is 40.6 (reading age 46); the bar is 9."}},
		{"lower bar", "Documentation necessitates authorisation.", Options{Bar: Bar{MinReadingEase: -200, MaxGrade: 50}}, nil},
		{"missing parts", "We have your letter.", Options{AsksToAct: true}, []string{
			"It does not say what to do.", "It does not say by when.",
			"It does not say what happens if they do not.", "It does not say how to get help."}},
		{"short SMS skips readability", "Documentation necessitates authorisation.", Options{SMS: true}, nil},
		{"SMS parts", strings.Repeat("Call us today. ", 40), Options{SMS: true}, []string{"The message is 4 parts; the limit is 3."}},
		{"SMS parts higher limit", strings.Repeat("Call us today. ", 40), Options{SMS: true, Bar: Bar{MaxSMSParts: 4}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Check(tt.text, tt.opt)
			if !reflect.DeepEqual(r.Problems, tt.want) {
				t.Errorf("Problems = %q, want %q (ease %v grade %v)", r.Problems, tt.want, r.ReadingEase, r.Grade)
			}
			if r.PassesBar != (len(tt.want) == 0) {
				t.Errorf("PassesBar = %v", r.PassesBar)
			}
		})
	}
}

func TestDefaultBar(t *testing.T) {
	want := Bar{MinReadingEase: 60, MaxGrade: 9, MaxLongSentences: 0, MaxSMSParts: 3}
	if DefaultBar() != want || (Bar{}).WithDefaults() != want {
		t.Errorf("DefaultBar = %+v", DefaultBar())
	}
}

func TestTranslation(t *testing.T) {
	t.Parallel()
	welsh := "Rhaid i chi adrodd i ni ar ((date)). Os na fyddwch yn adrodd, efallai y byddwn yn eich cadw. Ffoniwch ((help_phone)) os oes angen help arnoch."
	long := strings.Repeat("gair ", 30) + "."
	for _, c := range []struct {
		name, lang, text string
		sms, pass        bool
		problems         int
	}{
		{"welsh letter", "cy", welsh, false, true, 0},
		{"welsh long sentence", "cy", long, false, false, 1},
		{"arabic sms too long", "ar", strings.Repeat("مرحبا ", 60) + ".", true, false, 2},
		{"english is measured", "en-GB", welsh, false, false, -1},
	} {
		r := Check(c.text, Options{AsksToAct: true, SMS: c.sms, Language: c.lang})
		if r.PassesBar != c.pass {
			t.Errorf("%s: passes %v, want %v (%v)", c.name, r.PassesBar, c.pass, r.Problems)
		}
		if c.problems >= 0 && len(r.Problems) != c.problems {
			t.Errorf("%s: problems %q, want %d", c.name, r.Problems, c.problems)
		}
		if English(c.lang) {
			if r.Translation || r.Parts == nil || r.ReadingEase == 0 {
				t.Errorf("%s: English text not fully measured: %+v", c.name, r)
			}
			continue
		}
		if !r.Translation || len(r.Notes) == 0 || r.Parts != nil || r.ReadingEase != 0 || r.Jargon != nil {
			t.Errorf("%s: translation measured as English: %+v", c.name, r)
		}
	}
}
