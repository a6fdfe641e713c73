package clarity

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Options says what kind of text is checked and against which bar.
type Options struct {
	AsksToAct bool // the template asks the person to do something: the four parts are required
	SMS       bool // the text is an SMS: count characters, encoding and parts
	Bar       Bar  // zero fields take the DefaultBar values
	// Language is the text's language as a BCP 47 tag; "" means English.
	// The readability formulas, the word list, the passive hints and the
	// four parts are English: for any other language only sentence length
	// and the SMS size are measured, and the report says so.
	Language string
}

// English reports whether a language tag names English ("" counts).
func English(lang string) bool {
	l := strings.ToLower(strings.TrimSpace(lang))
	return l == "" || l == "en" || strings.HasPrefix(l, "en-")
}

// Bar is the standard a template must meet to be published. A zero field
// means the default; to switch off the reading-ease minimum set it very low
// (for example -1000).
type Bar struct {
	MinReadingEase   float64 // default 60
	MaxGrade         float64 // default 9 (Flesch-Kincaid grade)
	MaxLongSentences int     // sentences over LongSentence words allowed; default 0
	MaxSMSParts      int     // default 3
}

// LongSentence is the most words a sentence may have before it is long.
const LongSentence = 25

// DefaultBar returns the standard bar: reading ease at least 60, grade at
// most 9, no sentence over 25 words and an SMS of at most 3 parts.
func DefaultBar() Bar {
	return Bar{MinReadingEase: 60, MaxGrade: 9, MaxLongSentences: 0, MaxSMSParts: 3}
}

// WithDefaults returns the bar with each zero field set to DefaultBar's.
func (b Bar) WithDefaults() Bar {
	d := DefaultBar()
	if b.MinReadingEase == 0 {
		b.MinReadingEase = d.MinReadingEase
	}
	if b.MaxGrade == 0 {
		b.MaxGrade = d.MaxGrade
	}
	if b.MaxLongSentences < 0 {
		b.MaxLongSentences = 0
	}
	if b.MaxSMSParts <= 0 {
		b.MaxSMSParts = d.MaxSMSParts
	}
	return b
}

// Span is a half-open range of byte offsets into the original text given to
// Check, always on UTF-8 character boundaries. A placeholder is never cut:
// a span that covers its stand-in covers the whole "((name))".
type Span struct{ Start, End int }

// Sentence is one sentence of the text. Index counts sentences from 1.
type Sentence struct {
	Index int
	Span
	Words int
	Text  string // the original text of the sentence
}

// Finding is one phrase worth a second look. Phrase is the text as written
// (the original text at Span); Sentence is the 1-based sentence index.
type Finding struct {
	Span
	Phrase     string
	Suggestion string
	Sentence   int
}

// Parts reports the four things a letter that asks someone to act must say.
// Missing uses the words "what to do", "by when", "what happens if they do
// not" and "how to get help", in that order.
type Parts struct {
	WhatToDo, ByWhen, IfNot, Help bool
	Missing                       []string
}

// SMS is the size of a text message.
type SMS struct {
	Characters int
	Encoding   string   // "GSM" or "UCS-2"
	Parts      int      // message parts the network will send
	NonGSM     []string // the characters that forced UCS-2, each once, in order
}

// Report is the result of Check.
type Report struct {
	Words, Sentences, Syllables int
	ReadingEase                 float64    // Flesch reading ease, rounded to 1 decimal
	Grade                       float64    // Flesch-Kincaid grade level, rounded to 1 decimal
	ReadingAge                  int        // grade + 5, rounded, at least 5; 0 for an empty text
	LongSentences               []Sentence // over 25 words, with their positions
	Jargon                      []Finding  // long or official words from the list, with plainer suggestions
	Passive                     []Finding  // passive voice hints
	Parts                       *Parts     // nil unless AsksToAct
	SMS                         *SMS       // nil unless SMS
	PassesBar                   bool
	Problems                    []string // why it fails the bar, in plain English
	// Translation is set for a text not in English: reading ease, grade,
	// plain words, passive hints and the four parts were not measured.
	Translation bool
	Notes       []string // what the checker could not judge, in plain English
}

// doc holds the analysed text: sentences with their kept tokens.
type doc struct {
	an    *analysis
	sents []rng
	words []int // words per sentence
	toks  []token
}

func analyse(text string) *doc {
	an := prepare(text)
	raw := splitSentences(an.a)
	all := tokenize(an.a)
	d := &doc{an: an}
	// Keep the tokens inside a sentence and the sentences with a word.
	toks := all[:0]
	si := 0
	for _, t := range all {
		for si < len(raw) && raw[si].e <= t.s {
			si++
		}
		if si == len(raw) {
			break
		}
		if t.s < raw[si].s {
			continue // a list number such as "1." outside the sentence
		}
		if len(d.sents) == 0 || d.sents[len(d.sents)-1] != raw[si] {
			d.sents = append(d.sents, raw[si])
			d.words = append(d.words, 0)
		}
		t.sent = len(d.sents) - 1
		d.words[t.sent]++
		if len(toks) > 0 {
			p := toks[len(toks)-1]
			t.join = p.sent == t.sent && onlySpace(an.a[p.e:t.s])
		}
		if len(an.phs) > 0 {
			t.ph = an.placeholderAt(t.s)
		}
		toks = append(toks, t)
	}
	d.toks = toks
	return d
}

func onlySpace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}

func (d *doc) sentence(i int) Sentence {
	sp := d.an.span(d.sents[i].s, d.sents[i].e)
	return Sentence{Index: i + 1, Span: sp, Words: d.words[i], Text: d.an.orig[sp.Start:sp.End]}
}

// Sentences splits text into sentences the way Check counts them: on . ! ?
// followed by a space or the end, on blank lines, and at each bullet,
// numbered item and heading line, but not after "e.g.", "Mr.", "No. 5",
// "U.K." and the like. Sentences without a word are left out.
func Sentences(text string) []Sentence {
	d := analyse(text)
	out := make([]Sentence, len(d.sents))
	for i := range d.sents {
		out[i] = d.sentence(i)
	}
	return out
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// Check measures text against the bar in opt. It is pure and safe for
// concurrent use.
func Check(text string, opt Options) Report {
	bar := opt.Bar.WithDefaults()
	d := analyse(text)
	r := Report{Words: len(d.toks), Sentences: len(d.sents), Translation: !English(opt.Language)}
	for i := range d.toks {
		r.Syllables += d.toks[i].syl
	}
	if r.Words > 0 && !r.Translation {
		wps := float64(r.Words) / float64(r.Sentences)
		spw := float64(r.Syllables) / float64(r.Words)
		r.ReadingEase = round1(206.835 - 1.015*wps - 84.6*spw)
		r.Grade = round1(0.39*wps + 11.8*spw - 15.59)
		r.ReadingAge = max(5, int(math.Round(r.Grade+5)))
	}
	for i, n := range d.words {
		if n > LongSentence {
			r.LongSentences = append(r.LongSentences, d.sentence(i))
		}
	}
	if r.Translation {
		r.Syllables = 0
		r.Notes = append(r.Notes, "Reading ease, plain words, passive voice and the four parts are measured in English only. "+
			"Have someone fluent in the language check this version says everything the English one does, as plainly.")
	} else {
		r.Jargon = findJargon(d.an, d.toks)
		r.Passive = findPassive(d.an, d.toks)
		if opt.AsksToAct {
			r.Parts = checkParts(d.an, d.toks)
		}
	}
	if opt.SMS {
		s := CountSMS(text)
		r.SMS = &s
	}

	if r.Words == 0 {
		r.Problems = []string{"The text is empty."}
		return r
	}
	score := (!opt.SMS || r.Words >= 10) && !r.Translation
	if score && r.ReadingEase < bar.MinReadingEase {
		r.Problems = append(r.Problems, fmt.Sprintf("Reading ease is %s; the bar is %s.", num(r.ReadingEase), num(bar.MinReadingEase)))
	}
	if score && r.Grade > bar.MaxGrade {
		r.Problems = append(r.Problems, fmt.Sprintf("Grade level is %s (reading age %d); the bar is %s.", num(r.Grade), r.ReadingAge, num(bar.MaxGrade)))
	}
	if n := len(r.LongSentences); n > bar.MaxLongSentences {
		which := ""
		for i, s := range r.LongSentences {
			if i > 0 {
				which += ", "
			}
			which += fmt.Sprintf("sentence %d has %d words", s.Index, s.Words)
		}
		verb := "sentences are"
		if n == 1 {
			verb = "sentence is"
		}
		r.Problems = append(r.Problems, fmt.Sprintf("%d %s longer than %d words (%s); the bar is %d.", n, verb, LongSentence, which, bar.MaxLongSentences))
	}
	if r.Parts != nil {
		for _, m := range r.Parts.Missing {
			r.Problems = append(r.Problems, "It does not say "+m+".")
		}
	}
	if r.SMS != nil && r.SMS.Parts > bar.MaxSMSParts {
		r.Problems = append(r.Problems, fmt.Sprintf("The message is %d parts; the limit is %d.", r.SMS.Parts, bar.MaxSMSParts))
	}
	r.PassesBar = len(r.Problems) == 0
	return r
}
