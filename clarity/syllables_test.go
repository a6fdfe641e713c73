package clarity

import "testing"

func TestSyllables(t *testing.T) {
	tests := []struct {
		word string
		want int
	}{
		{"the", 1}, {"cat", 1}, {"a", 1}, {"make", 1}, {"table", 2},
		{"whale", 1}, {"people", 2}, {"asked", 1}, {"wanted", 2},
		{"needed", 2}, {"required", 2}, {"reviewed", 2}, {"decided", 3},
		{"freed", 1}, {"played", 1}, {"makes", 1}, {"changes", 2},
		{"tables", 2}, {"houses", 2}, {"lately", 2}, {"statement", 2},
		{"agreement", 3}, {"hopeful", 2}, {"social", 2}, {"radio", 3},
		{"nation", 2}, {"usual", 3}, {"language", 2}, {"doing", 2},
		{"paying", 2}, {"Friday", 2}, {"within", 2}, {"please", 1},
		{"documentation", 5}, {"correspondence", 4}, {"pursuant", 3},
		{"aforementioned", 4}, {"hereby", 2}, {"forthwith", 2},
		{"remuneration", 5}, {"facilitate", 4}, {"body", 2}, {"year", 1},
		{"appointment", 3}, {"information", 4}, {"completely", 3},
		{"value", 2}, {"every", 2}, {"area", 3}, {"Sample", 2},
		{"don't", 1}, {"rhythm", 1}, {"ŵyr", 1},
	}
	for _, tt := range tests {
		if got := Syllables(tt.word); got != tt.want {
			t.Errorf("Syllables(%q) = %d, want %d", tt.word, got, tt.want)
		}
	}
}

func TestWordSyllables(t *testing.T) {
	tests := []struct {
		token string
		want  int
	}{
		{"2026", 1},       // one digit group
		{"10.30am", 2},    // two digit groups
		{"0300", 1},       // phone number group
		{"co-operate", 4}, // co + operate
		{"gov.uk", 2},     // gov + uk
		{"and/or", 2},
		{"e.g", 2},
		{"u.k", 2},
	}
	for _, tt := range tests {
		if got := wordSyllables(tt.token); got != tt.want {
			t.Errorf("wordSyllables(%q) = %d, want %d", tt.token, got, tt.want)
		}
	}
}
