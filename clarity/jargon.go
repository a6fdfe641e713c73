package clarity

import (
	_ "embed"
	"sort"
	"strings"
)

// Entry is one phrase of the jargon list with its plainer suggestion.
type Entry struct {
	Phrase     string
	Suggestion string
}

//go:embed jargon.txt
var jargonText string

type jargonEntry struct {
	Entry
	words []string
}

var (
	jargonEntries []Entry
	jargonSingle  map[string]*jargonEntry   // one-word phrases
	jargonMulti   map[string][]*jargonEntry // by first word, longest first
)

func init() {
	jargonEntries, jargonSingle, jargonMulti = parseJargon(jargonText)
}

// parseJargon reads "phrase = suggestion" lines; # starts a comment line.
// Lines without " = " are ignored (the tests check there are none).
func parseJargon(text string) ([]Entry, map[string]*jargonEntry, map[string][]*jargonEntry) {
	var list []Entry
	single := map[string]*jargonEntry{}
	multi := map[string][]*jargonEntry{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		phrase, sugg, ok := strings.Cut(line, "=")
		phrase, sugg = strings.TrimSpace(phrase), strings.TrimSpace(sugg)
		if !ok || phrase == "" || sugg == "" {
			continue
		}
		var words []string
		for _, t := range tokenize(phrase) {
			words = append(words, t.low)
		}
		if len(words) == 0 {
			continue
		}
		e := &jargonEntry{Entry{strings.ToLower(phrase), sugg}, words}
		list = append(list, e.Entry)
		if len(words) == 1 {
			single[words[0]] = e
		} else {
			multi[words[0]] = append(multi[words[0]], e)
		}
	}
	for _, es := range multi {
		sort.SliceStable(es, func(i, j int) bool { return len(es[i].words) > len(es[j].words) })
	}
	return list, single, multi
}

// JargonList returns the maintained list (phrase → suggestion), for display.
func JargonList() []Entry {
	return append([]Entry(nil), jargonEntries...)
}

// lookupSingle finds a one-word entry for a token, allowing -s, -es, -d,
// -ed and -ing.
func lookupSingle(low string) *jargonEntry {
	if e := jargonSingle[low]; e != nil {
		return e
	}
	try := func(stems ...string) *jargonEntry {
		for _, s := range stems {
			if len(s) > 2 {
				if e := jargonSingle[s]; e != nil {
					return e
				}
			}
		}
		return nil
	}
	switch {
	case strings.HasSuffix(low, "ied") || strings.HasSuffix(low, "ies"):
		return try(low[:len(low)-3]+"y", low[:len(low)-1], low[:len(low)-2])
	case strings.HasSuffix(low, "ing"):
		return try(low[:len(low)-3], low[:len(low)-3]+"e")
	case strings.HasSuffix(low, "ed"):
		return try(low[:len(low)-2], low[:len(low)-1])
	case strings.HasSuffix(low, "es"):
		return try(low[:len(low)-2], low[:len(low)-1])
	case strings.HasSuffix(low, "s"):
		return try(low[:len(low)-1])
	}
	return nil
}

// findJargon reports each occurrence of a listed phrase, longest first.
func findJargon(an *analysis, toks []token) []Finding {
	var out []Finding
	for i := 0; i < len(toks); i++ {
		var hit *jargonEntry
		n := 0
		for _, e := range jargonMulti[toks[i].low] {
			if seqAt(toks, i, e.words) {
				hit, n = e, len(e.words)
				break
			}
		}
		if hit == nil {
			if e := lookupSingle(toks[i].low); e != nil {
				hit, n = e, 1
			}
		}
		if hit == nil {
			continue
		}
		sp := an.span(toks[i].s, toks[i+n-1].e)
		out = append(out, Finding{Span: sp, Phrase: an.orig[sp.Start:sp.End], Suggestion: hit.Suggestion, Sentence: toks[i].sent + 1})
		i += n - 1
	}
	return out
}

// seqAt reports whether the words start at token i, each joined to the one
// before by spaces only.
func seqAt(toks []token, i int, words []string) bool {
	if i+len(words) > len(toks) {
		return false
	}
	for k, w := range words {
		t := &toks[i+k]
		if t.low != w || (k > 0 && !t.join) {
			return false
		}
	}
	return true
}
