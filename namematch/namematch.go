// Package namematch finds people by name despite differences of case,
// diacritics, transliteration, script and typing: it folds names to plain
// ASCII words (Fold, Tokens), gives each word a phonetic key for indexed
// look-up (Key, Keys, QueryKeys) and scores candidate names for ranking
// (Similarity).
//
// The intended use by a store of people:
//
//   - when a name is written, index each of Keys(name): one short key per
//     word (Key of the word), cheap enough for millions of people;
//   - when searching, for each word q of the query look up the people whose
//     indexed keys include any of QueryKeys(q), which adds the keys the word
//     would have with one typing mistake undone;
//   - rank what comes back with Similarity(query, name).
//
// Variants is a labelled set of spellings that should find each other, and
// NegativePairs a set of names that should not; the tests measure recall and
// precision on them (recall 0.92 over 232 pairs; 0.91 of 35 different
// names have different keys, the misses being names that differ only in
// their vowels, such as Hassan and Hussein).
//
// The package is pure: no I/O and no mutable global state.
package namematch

import "sort"

// MaxQueryKeys bounds the number of keys that QueryKeys returns.
const MaxQueryKeys = 12

// Bounds on the work done for input that is not a name.
const (
	// maxTypoLetters is the longest word for which QueryKeys adds keys
	// for typos; longer words get their own key only.
	maxTypoLetters = 40
	// maxSimilarityWords and maxSimilarityWordLen bound what Similarity
	// compares: the first words of each name, each cut to this length.
	maxSimilarityWords   = 12
	maxSimilarityWordLen = 40
)

// Keys returns the distinct keys of the words of a full name, in order of
// first appearance, ignoring words of fewer than two letters (initials) and
// words without letters.
func Keys(fullName string) []string {
	var keys []string
	seen := map[string]bool{}
	for _, t := range Tokens(fullName) {
		if len(t) < 2 {
			continue
		}
		k := Key(t)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		keys = append(keys, k)
	}
	return keys
}

// QueryKeys returns the keys to look up for one word of a search: first
// Key(token), then the keys of the word with one mistake undone, so that a
// stored name is found when the query has one extra letter (Mohammmed) or two
// letters swapped (Mohammde, Ngyuen). At most MaxQueryKeys keys are returned,
// all distinct and non-empty, the nearest first.
//
// Undoing a mistake means taking out one letter (other than the first, so
// that the key keeps the first sound) or swapping two adjacent letters
// (the first two only if both are consonants, as in Msith: swapping a vowel
// or h to the front, as Hannah to Ahnnah, would find names with a different
// first sound). Keys of fewer than two letters that this produces are left
// out, as they would match too many names. A
// missing letter or a wrong letter in the query is not undone, as that would
// need a guess of every letter at every place; but because keys ignore
// vowels, doubled letters and like sounds (c/k, s/z, d/t), most such mistakes
// leave the key as it was (Mohamed, Smyth, Hassen, Ahmad). A word whose key
// is empty gives nil.
//
// token should be one word; if it folds to several, they are joined. A word
// of more than 40 letters, which is not a name, gets its own key only.
func QueryKeys(token string) []string {
	t := letters(token)
	primary := key(t)
	if primary == "" {
		return nil
	}
	keys := []string{primary}
	if len(t) > maxTypoLetters {
		return keys // not a name; spare the quadratic work
	}
	seen := map[string]bool{primary: true}
	add := func(k string) bool {
		if len(k) >= 2 && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
		return len(keys) < MaxQueryKeys
	}
	buf := make([]byte, 0, len(t))
	// Deletions: an extra letter in the query.
	for i := 1; i < len(t); i++ {
		buf = append(append(buf[:0], t[:i]...), t[i+1:]...)
		if !add(key(string(buf))) {
			return keys
		}
	}
	// Transpositions: two letters swapped in the query.
	for i := 0; i+1 < len(t); i++ {
		if t[i] == t[i+1] || (i == 0 && (!isConsonant(t[0]) || !isConsonant(t[1]))) {
			continue
		}
		buf = append(buf[:0], t...)
		buf[i], buf[i+1] = buf[i+1], buf[i]
		if !add(key(string(buf))) {
			return keys
		}
	}
	return keys
}

func isConsonant(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'w', 'h':
		return false
	}
	return 'a' <= c && c <= 'z'
}

// Similarity scores how alike two full names are, from 0 (nothing alike) to
// 1 (the same after folding, word order aside). It is meant to rank the
// candidates that a key look-up finds.
//
// Both names are folded into words. Each pair of words is scored by
// Jaro-Winkler similarity, raised a third of the way towards 1 when the two
// words share a key (so Mohammed and Muhammad score about 0.93, Mohammed and
// Mahmoud somewhat less); an initial scores 0.9 against a word it begins.
// Words are then paired best first, each used once, in any order. The score
// is the mean over the paired words, where a word left without a partner
// (a middle name in one name only) counts as half a word scoring 0. If the
// names have different numbers of words, joining two adjacent words of the
// longer one (Abdul Rahman, Abdulrahman) is also tried when the joined word
// has a close counterpart, and the better score kept (scaled by 0.98).
//
// Only the first 12 words of each name, and the first 40 letters of each
// word, are compared; names are much shorter than that.
func Similarity(a, b string) float64 {
	ta, tb := similarityWords(a), similarityWords(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	best := tokenSetScore(ta, tb)
	if len(ta) != len(tb) {
		long, short := ta, tb
		if len(tb) > len(ta) {
			long, short = tb, ta
		}
		for i := 0; i+1 < len(long); i++ {
			merged := long[i] + long[i+1]
			if !hasCounterpart(merged, short) {
				continue
			}
			joined := make([]string, 0, len(long)-1)
			joined = append(joined, long[:i]...)
			joined = append(joined, merged)
			joined = append(joined, long[i+2:]...)
			if s := joinedPenalty * tokenSetScore(joined, short); s > best {
				best = s
			}
		}
	}
	return best
}

// similarityWords returns the words of s that Similarity compares.
func similarityWords(s string) []string {
	words := Tokens(s)
	if len(words) > maxSimilarityWords {
		words = words[:maxSimilarityWords]
	}
	for i, w := range words {
		if len(w) > maxSimilarityWordLen {
			words[i] = w[:maxSimilarityWordLen]
		}
	}
	return words
}

// joinedPenalty scales the score of names that match only once two words
// of one are joined, so that they rank just below an exact match.
const joinedPenalty = 0.98

// hasCounterpart reports whether a word made by joining two is close to a
// word of the other name: much the same length and alike. Without this,
// joining would let a name with an extra word (Mohammed Ahmed Ali) look like
// one without it (Mohammed Ali), since Jaro-Winkler forgives a long tail.
func hasCounterpart(merged string, words []string) bool {
	for _, w := range words {
		if d := len(merged) - len(w); d >= -2 && d <= 2 && jaroWinkler(merged, w) >= 0.85 {
			return true
		}
	}
	return false
}

// tokenSetScore pairs the words of a and b greedily, best pair first.
func tokenSetScore(a, b []string) float64 {
	type pair struct {
		i, j  int
		score float64
	}
	ka := make([]string, len(a))
	for i, t := range a {
		ka[i] = key(t)
	}
	kb := make([]string, len(b))
	for j, t := range b {
		kb[j] = key(t)
	}
	pairs := make([]pair, 0, len(a)*len(b))
	for i := range a {
		for j := range b {
			pairs = append(pairs, pair{i, j, tokenScore(a[i], b[j], ka[i], kb[j])})
		}
	}
	sort.SliceStable(pairs, func(x, y int) bool { return pairs[x].score > pairs[y].score })
	usedA := make([]bool, len(a))
	usedB := make([]bool, len(b))
	sum, matched := 0.0, 0
	for _, p := range pairs {
		if usedA[p.i] || usedB[p.j] {
			continue
		}
		usedA[p.i], usedB[p.j] = true, true
		sum += p.score
		matched++
	}
	unmatched := len(a) + len(b) - 2*matched
	s := 2 * sum / (2*float64(matched) + 0.5*float64(unmatched))
	if s > 1 {
		s = 1
	}
	return s
}

// tokenScore scores two folded words whose keys are ka and kb.
func tokenScore(a, b, ka, kb string) float64 {
	if a == b {
		return 1
	}
	if (len(a) == 1 && len(b) > 1 && b[0] == a[0]) || (len(b) == 1 && len(a) > 1 && a[0] == b[0]) {
		return 0.9 // an initial
	}
	s := jaroWinkler(a, b)
	if ka != "" && ka == kb {
		s += (1 - s) / 3
	}
	if s >= 1 {
		s = 0.99 // only identical words score 1
	}
	return s
}

// jaroWinkler returns the Jaro-Winkler similarity of two ASCII strings, with
// the usual prefix scale 0.1 over at most 4 characters.
func jaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	ma := make([]bool, la)
	mb := make([]bool, lb)
	m := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb-1, i+window)
		for j := lo; j <= hi; j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	transpositions := 0
	j := 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if a[i] != b[j] {
			transpositions++
		}
		j++
	}
	fm := float64(m)
	jaro := (fm/float64(la) + fm/float64(lb) + (fm-float64(transpositions)/2)/fm) / 3
	prefix := 0
	for prefix < min(4, la, lb) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
