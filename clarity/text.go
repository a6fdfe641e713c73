package clarity

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// StandIn is the word that replaces a placeholder for analysis: one word of
// two syllables that is neither jargon nor a verb.
const StandIn = "Sample"

// rng is a half-open byte range in the analysis text.
type rng struct{ s, e int }

// placeholder records where a stand-in sits in the analysis text.
type placeholder struct {
	s, e int
	name string
}

// analysis is the text as read for analysis, with a map back to the
// original. so[i] is the original offset at which analysis byte i starts;
// eo[i] is the original offset just after analysis byte i. Both are nil
// when the analysis text is the original.
type analysis struct {
	orig string
	a    string
	so   []int
	eo   []int
	phs  []placeholder
}

// span maps an analysis range back to the original text.
func (an *analysis) span(s, e int) Span {
	if an.so == nil {
		return Span{s, e}
	}
	if s >= e {
		p := len(an.orig)
		if s < len(an.so) {
			p = an.so[s]
		}
		return Span{p, p}
	}
	return Span{an.so[s], an.eo[e-1]}
}

// placeholderAt returns the index of the placeholder whose stand-in starts
// at analysis offset s, or -1.
func (an *analysis) placeholderAt(s int) int {
	i := sort.Search(len(an.phs), func(i int) bool { return an.phs[i].s >= s })
	if i < len(an.phs) && an.phs[i].s == s {
		return i
	}
	return -1
}

// prepare replaces placeholders by StandIn and conditionals by their text.
func prepare(text string) *analysis {
	an := &analysis{orig: text, a: text}
	if !strings.Contains(text, "((") {
		return an
	}
	b := &builder{orig: text, match: matchPairs(text)}
	b.buf = make([]byte, 0, len(text))
	b.so = make([]int, 0, len(text))
	b.eo = make([]int, 0, len(text))
	b.expand(0, len(text))
	an.a = string(b.buf)
	an.so, an.eo, an.phs = b.so, b.eo, b.phs
	return an
}

type builder struct {
	orig   string
	buf    []byte
	so, eo []int
	phs    []placeholder
	match  map[int]int // "((" offset → offset of its "))"
}

func (b *builder) copy(lo, hi int) {
	for k := lo; k < hi; k++ {
		b.buf = append(b.buf, b.orig[k])
		b.so = append(b.so, k)
		b.eo = append(b.eo, k+1)
	}
}

func (b *builder) standIn(ps, pe int, name string) {
	s := len(b.buf)
	for k := 0; k < len(StandIn); k++ {
		b.buf = append(b.buf, StandIn[k])
		b.so = append(b.so, ps)
		b.eo = append(b.eo, pe)
	}
	b.phs = append(b.phs, placeholder{s, len(b.buf), strings.ToLower(strings.TrimSpace(name))})
}

// expand copies orig[lo:hi], substituting placeholders and conditionals.
func (b *builder) expand(lo, hi int) {
	i := lo
	for i < hi {
		j := strings.Index(b.orig[i:hi], "((")
		if j < 0 {
			b.copy(i, hi)
			return
		}
		j += i
		k, ok := b.match[j]
		if !ok || k+2 > hi {
			// Not a placeholder: keep one "(" and look again after it.
			b.copy(i, j+1)
			i = j + 1
			continue
		}
		b.copy(i, j)
		content := b.orig[j+2 : k]
		if q := strings.Index(content, "??"); q >= 0 {
			b.expand(j+2+q+2, k)
		} else {
			b.standIn(j, k+2, content)
		}
		i = k + 2
	}
}

// matchPairs pairs each "((" with the "))" that closes it, counting nested
// pairs, in one pass. In "(((" the first "(" is text.
func matchPairs(s string) map[int]int {
	m := map[int]int{}
	var stack []int
	for k := 0; k+1 < len(s); {
		switch {
		case s[k] == '(' && s[k+1] == '(':
			if k+2 < len(s) && s[k+2] == '(' {
				k++
				continue
			}
			stack = append(stack, k)
			k += 2
		case s[k] == ')' && s[k+1] == ')' && len(stack) > 0:
			m[stack[len(stack)-1]] = k
			stack = stack[:len(stack)-1]
			k += 2
		default:
			k++
		}
	}
	return m
}

// token is one word of the analysis text.
type token struct {
	s, e  int    // analysis offsets
	low   string // lower case, ’ folded to '
	syl   int
	sent  int  // 0-based sentence index
	ph    int  // placeholder index or -1
	join  bool // follows the previous token in the same sentence with only spaces between
	upper bool // starts with an upper-case letter
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// tokenize splits the analysis text into words. A word is a run of letters,
// digits and marks; the joiners ' ’ - . @ / _ & join two such runs into one
// word ("don't", "co-operate", "gov.uk", "U.K", "2.5"), and , : join two
// digit runs ("1,000", "10:30").
func tokenize(a string) []token {
	toks := make([]token, 0, len(a)/5+1)
	i := 0
	for i < len(a) {
		r, w := utf8.DecodeRuneInString(a[i:])
		if !isWordRune(r) {
			i += w
			continue
		}
		s := i
		i += w
		for i < len(a) {
			r, w = utf8.DecodeRuneInString(a[i:])
			if isWordRune(r) {
				i += w
				continue
			}
			if i+w < len(a) {
				nr, _ := utf8.DecodeRuneInString(a[i+w:])
				if isWordRune(nr) {
					switch r {
					case '\'', '’', '-', '.', '@', '/', '_', '&':
						i += w
						continue
					case ',', ':':
						if isDigitByte(a[i-1]) && isDigitByte(a[i+w]) {
							i += w
							continue
						}
					}
				}
			}
			break
		}
		word := a[s:i]
		low := strings.ToLower(word)
		if strings.Contains(low, "’") {
			low = strings.ReplaceAll(low, "’", "'")
		}
		first, _ := utf8.DecodeRuneInString(word)
		toks = append(toks, token{s: s, e: i, low: low, syl: wordSyllables(low), ph: -1, upper: unicode.IsUpper(first)})
	}
	return toks
}

// splitSentences returns the sentences of the analysis text, trimmed of
// surrounding space and of list and heading markers. Some may hold no word.
func splitSentences(a string) []rng {
	var out []rng
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		e := end
		for e > start {
			r, w := utf8.DecodeLastRuneInString(a[start:e])
			if !unicode.IsSpace(r) {
				break
			}
			e -= w
		}
		if e > start {
			out = append(out, rng{start, e})
		}
		start = -1
	}
	ls := 0
	for {
		le := strings.IndexByte(a[ls:], '\n')
		if le < 0 {
			le = len(a)
		} else {
			le += ls
		}
		cs := skipSpace(a, ls, le)
		if cs == le {
			flush(ls) // a blank line ends a paragraph
		} else {
			marked := false
			if m := markerLen(a[cs:le]); m > 0 {
				flush(ls)
				marked = true
				cs = skipSpace(a, cs+m, le)
			}
			for i := cs; i < le; {
				r, w := utf8.DecodeRuneInString(a[i:])
				if start < 0 && !unicode.IsSpace(r) {
					start = i
				}
				if r == '.' || r == '!' || r == '?' {
					j := endOfTerminator(a, i, le)
					if j == le || isSpaceAt(a, j) {
						if r == '.' && j == i+1 && isAbbreviation(a, ls, i, j) {
							i += w
							continue
						}
						flush(j)
						i = j
						continue
					}
				}
				i += w
			}
			if marked {
				flush(le) // a bullet or heading is a sentence of its own
			}
		}
		if le >= len(a) {
			break
		}
		ls = le + 1
	}
	flush(len(a))
	return out
}

func skipSpace(a string, i, hi int) int {
	for i < hi {
		r, w := utf8.DecodeRuneInString(a[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += w
	}
	return i
}

func isSpaceAt(a string, i int) bool {
	r, _ := utf8.DecodeRuneInString(a[i:])
	return unicode.IsSpace(r)
}

// endOfTerminator returns the end of a run of . ! ? and closing quotes or
// brackets starting at i.
func endOfTerminator(a string, i, hi int) int {
	for i < hi {
		r, w := utf8.DecodeRuneInString(a[i:])
		switch r {
		case '.', '!', '?', ')', ']', '"', '\'', '”', '’', '»':
			i += w
		default:
			return i
		}
	}
	return i
}

// markerLen returns the length of a bullet, numbered-list, inset or heading
// marker (with its space) at the start of a line, or 0.
func markerLen(line string) int {
	if line == "" {
		return 0
	}
	spaceAfter := func(n int) int {
		if n < len(line) && (line[n] == ' ' || line[n] == '\t') {
			return n + 1
		}
		return 0
	}
	switch line[0] {
	case '-', '*', '+', '^':
		return spaceAfter(1)
	case '#':
		n := 1
		for n < len(line) && n < 6 && line[n] == '#' {
			n++
		}
		return spaceAfter(n)
	}
	if strings.HasPrefix(line, "•") {
		if m := spaceAfter(len("•")); m > 0 {
			return m
		}
		return len("•")
	}
	n := 0
	for n < len(line) && n < 3 && isDigitByte(line[n]) {
		n++
	}
	if n > 0 && n < len(line) && (line[n] == '.' || line[n] == ')') {
		return spaceAfter(n + 1)
	}
	return 0
}

var alwaysAbbrev = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "mx": true, "dr": true, "prof": true,
	"rev": true, "st": true, "sr": true, "jr": true, "e.g": true, "i.e": true,
	"eg": true, "ie": true, "approx": true, "vs": true, "cf": true, "viz": true,
	"dept": true, "est": true, "govt": true,
}

// abbreviations that take a number: "No. 5", "Tel. 0300".
var numberAbbrev = map[string]bool{
	"no": true, "nos": true, "tel": true, "ref": true, "fig": true, "p": true,
	"pp": true, "para": true, "paras": true, "art": true, "reg": true, "sec": true,
	"ch": true, "vol": true,
}

// isAbbreviation reports whether the full stop at i ends an abbreviation
// rather than a sentence. ls is the start of the line, j the offset after
// the full stop.
func isAbbreviation(a string, ls, i, j int) bool {
	k := i
	for k > ls {
		r, w := utf8.DecodeLastRuneInString(a[ls:k])
		if unicode.IsSpace(r) {
			break
		}
		k -= w
	}
	word := a[k:i]
	for word != "" {
		r, w := utf8.DecodeRuneInString(word)
		if isWordRune(r) {
			break
		}
		word = word[w:]
	}
	if word == "" {
		return false
	}
	low := strings.ToLower(word)
	if alwaysAbbrev[low] {
		return true
	}
	if numberAbbrev[low] {
		n := skipSpace(a, j, len(a))
		return n < len(a) && isDigitByte(a[n])
	}
	// Initials and dotted abbreviations: "J.", "U.K.", "a.m.".
	letters, single := 0, true
	for _, part := range strings.Split(word, ".") {
		if utf8.RuneCountInString(part) != 1 {
			single = false
			break
		}
		r, _ := utf8.DecodeRuneInString(part)
		if !unicode.IsLetter(r) {
			single = false
			break
		}
		letters++
	}
	if !single {
		return false
	}
	if letters == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsUpper(r)
	}
	return true
}
