package clarity

import (
	"strings"
	"testing"
)

func TestJargonList(t *testing.T) {
	list := JargonList()
	if len(list) < 100 {
		t.Fatalf("JargonList has %d entries, want at least 100", len(list))
	}
	seen := map[string]bool{}
	for _, e := range list {
		if e.Phrase == "" || e.Suggestion == "" || e.Phrase != strings.ToLower(e.Phrase) {
			t.Errorf("bad entry %+v", e)
		}
		if seen[e.Phrase] {
			t.Errorf("duplicate entry %q", e.Phrase)
		}
		seen[e.Phrase] = true
	}
	for _, p := range []string{"pursuant to", "hereby", "absconder", "in accordance with",
		"forthwith", "whereby", "commence", "facilitate", "in receipt of", "prior to",
		"subsequent to", "notwithstanding", "endeavour", "utilise", "ascertain",
		"correspondence", "in respect of", "with regard to", "henceforth", "herein",
		"therein", "aforementioned", "furnish", "deem", "remuneration", "in the event that",
		"at this moment in time", "in order to", "expedite", "terminate", "sufficient",
		"additional", "approximately", "assist", "require", "regarding", "obtain", "reside",
		"documentation", "notification"} {
		if !seen[p] {
			t.Errorf("JargonList lacks %q", p)
		}
	}
	// Every non-comment line of the file parses.
	lines := 0
	for _, l := range strings.Split(jargonText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines++
		}
	}
	if lines != len(list) {
		t.Errorf("jargon.txt has %d entry lines but %d parsed", lines, len(list))
	}
	list[0].Phrase = "changed"
	if JargonList()[0].Phrase == "changed" {
		t.Error("JargonList returns the shared slice")
	}
}

func TestJargonSpans(t *testing.T) {
	tests := []struct {
		text string
		want []string // phrases as written, in order
		sugg []string
	}{
		{"Pursuant to the Act, we hereby commence.", []string{"Pursuant to", "hereby", "commence"}, []string{"under", "(leave out)", "start, begin"}},
		// Longest match first: "in the event that" not "in the event of".
		{"In the event that you move, tell us.", []string{"In the event that"}, []string{"if"}},
		{"IN ORDER TO help, we\nrequire it.", []string{"IN ORDER TO", "require"}, []string{"to", "need"}},
		// Inflections of one-word entries.
		{"It was terminated. We are utilising it and it requires notifying.", []string{"terminated", "utilising", "requires", "notifying"}, nil},
		{"We have notified the court.", []string{"notified"}, nil},
		// Whole words only.
		{"The assistant sufficiently obtained nothing.", []string{"obtained"}, nil},
		{"commenced", []string{"commenced"}, nil},
		// Not across punctuation.
		{"Apply prior. To start, call.", nil, nil},
		// Spans map back through placeholders.
		{"Dear ((name)), pursuant to ((act??the act, hereby)) we act.", []string{"pursuant to", "hereby"}, nil},
		{"Dear ((name)), we will expedite ((thing)).", []string{"expedite"}, nil},
		{"Rhodd ŵyr, ascertain.", []string{"ascertain"}, nil},
		{"No jargon here.", nil, nil},
	}
	for _, tt := range tests {
		r := Check(tt.text, Options{})
		var got []string
		for i, f := range r.Jargon {
			if f.Start < 0 || f.End > len(tt.text) || f.Start > f.End {
				t.Fatalf("%q: span %v out of range", tt.text, f.Span)
			}
			if tt.text[f.Start:f.End] != f.Phrase {
				t.Errorf("%q: text[span] = %q, Phrase %q", tt.text, tt.text[f.Start:f.End], f.Phrase)
			}
			if f.Sentence < 1 || f.Sentence > r.Sentences {
				t.Errorf("%q: Sentence = %d", tt.text, f.Sentence)
			}
			if tt.sugg != nil && f.Suggestion != tt.sugg[i] {
				t.Errorf("%q: suggestion for %q = %q, want %q", tt.text, f.Phrase, f.Suggestion, tt.sugg[i])
			}
			got = append(got, f.Phrase)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q: jargon %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestJargonSentenceIndex(t *testing.T) {
	r := Check("Call us. Prior to that, write. Hereby.", Options{})
	if len(r.Jargon) != 2 || r.Jargon[0].Sentence != 2 || r.Jargon[1].Sentence != 3 {
		t.Errorf("Jargon = %+v", r.Jargon)
	}
}
