package clarity

import "strings"

// syllableExceptions holds words the rules below get wrong.
var syllableExceptions = map[string]int{
	"aforementioned": 4, "area": 3, "areas": 3, "being": 2, "business": 2,
	"businesses": 3, "create": 2, "created": 3, "creates": 2, "every": 2,
	"everyone": 3, "everything": 3, "everybody": 4, "element": 3, "elements": 3,
	"evening": 2, "february": 4, "fire": 1, "hour": 1, "hours": 1, "our": 1,
	"henceforth": 2, "hereafter": 3, "hereby": 2, "herein": 2, "heretofore": 3,
	"herewith": 2, "idea": 3, "ideas": 3, "poem": 2, "quiet": 2, "recipe": 3,
	"science": 2, "society": 4, "someone": 2, "something": 2, "sometimes": 2,
	"somewhere": 2, "themselves": 2, "therefore": 2, "thereafter": 3,
	"therein": 2, "thereof": 2, "thereby": 2, "video": 3, "wednesday": 2,
	"whereas": 2, "whereby": 2, "wherever": 3, "whereupon": 3, "lifetime": 2,
	"likely": 2, "housing": 2, "anyone": 3, "police": 2, "period": 3,
	"naive": 2, "real": 1, "really": 2, "reapply": 3,
	"reassess": 3, "reopen": 3, "cooperate": 4, "coordinate": 4, "via": 2,
	"ago": 2, "eye": 1, "eyes": 1, "people": 2, "one": 1, "ones": 1,
	"once": 1, "since": 1, "give": 1, "have": 1, "live": 1, "lives": 1,
	"gives": 1, "were": 1, "there": 1, "where": 1, "here": 1, "sure": 1,
	"are": 1, "more": 1, "before": 2, "whole": 1, "done": 1, "gone": 1,
	"none": 1, "else": 1, "whose": 1, "move": 1, "moved": 1, "use": 1,
	"uses": 2, "used": 1, "date": 1, "dated": 2, "dates": 1, "late": 1,
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// accents folds the accented vowels common in Welsh, French and Spanish
// names so that they count as vowels.
var accents = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i", "ó", "o", "ò", "o", "ô", "o", "ö", "o",
	"ú", "u", "ù", "u", "û", "u", "ü", "u", "ŵ", "w", "ŷ", "y", "ý", "y", "ÿ", "y",
)

// wordSyllables counts the syllables of a lower-case token: numbers count
// one syllable a digit group, compounds joined by - . / @ _ & count their
// parts, and a word counts at least one.
func wordSyllables(low string) int {
	hasDigit := false
	for i := 0; i < len(low); i++ {
		if isDigitByte(low[i]) {
			hasDigit = true
			break
		}
	}
	if hasDigit {
		n, in := 0, false
		for i := 0; i < len(low); i++ {
			d := isDigitByte(low[i])
			if d && !in {
				n++
			}
			in = d
		}
		return n
	}
	if n, ok := syllableExceptions[low]; ok {
		return n
	}
	n := 0
	start := 0
	for i := 0; i <= len(low); i++ {
		if i < len(low) {
			switch low[i] {
			case '-', '.', '/', '@', '_', '&':
			default:
				continue
			}
		}
		if i > start {
			n += Syllables(low[start:i])
		}
		start = i + 1
	}
	if n < 1 {
		n = 1
	}
	return n
}

// Syllables estimates the syllables in one English word with the usual
// heuristics: vowel groups, a silent final e, "-le" endings, a silent "-ed"
// and "-es", and a few vowel pairs that split, with an exceptions map. It
// returns at least 1 for any word.
func Syllables(word string) int {
	w := strings.ToLower(word)
	if n, ok := syllableExceptions[w]; ok {
		return n
	}
	w = accents.Replace(w)
	// Keep a-z only; apostrophes vanish ("don't" → "dont").
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'a' && c <= 'z' {
			b = append(b, c)
		}
	}
	if n, ok := syllableExceptions[string(b)]; ok {
		return n
	}
	if len(b) <= 3 {
		return 1
	}
	n := len(b)
	vowel := func(i int) bool {
		if i < 0 || i >= n {
			return false
		}
		if b[i] == 'y' {
			return i > 0 && !isVowel(b[i-1]) || i > 0 && i+1 < n && !isVowel(b[i+1])
		}
		return isVowel(b[i])
	}
	count := 0
	for i := 0; i < n; i++ {
		if !vowel(i) || vowel(i-1) {
			continue
		}
		count++
		// Vowel pairs that are two syllables.
		if i+1 < n {
			pair := string(b[i : i+2])
			prev := byte(0)
			if i > 0 {
				prev = b[i-1]
			}
			switch pair {
			case "ia":
				if !strings.ContainsRune("ctsgx", rune(prev)) && i > 0 {
					count++
				}
			case "io":
				if !strings.ContainsRune("ctsgxlnh", rune(prev)) && i > 0 {
					count++
				}
			case "ua":
				if prev != 'q' && prev != 'g' && i > 0 {
					count++
				}
			}
		}
	}
	// "-ing" after a vowel: "being", "doing", "paying".
	if n > 4 && strings.HasSuffix(string(b), "ing") && vowel(n-4) {
		count++
	}
	last := b[n-1]
	ownE := func(i int) bool { // b[i] is an 'e' that is a vowel group of its own
		return i > 0 && b[i] == 'e' && !vowel(i-1)
	}
	switch {
	case last == 'e' && ownE(n-1):
		// Silent final e, but not consonant + "le": "make", not "table".
		if !(b[n-2] == 'l' && n >= 3 && !isVowel(b[n-3])) {
			count--
		}
	case last == 'd' && b[n-2] == 'e' && ownE(n-2):
		// Silent "-ed" unless after t or d: "asked", not "wanted".
		if b[n-3] != 't' && b[n-3] != 'd' {
			count--
		}
	case last == 's' && b[n-2] == 'e' && ownE(n-2):
		// Silent "-es" except after s, x, z, c, g, ch, sh, or consonant + l.
		p := b[n-3]
		switch {
		case strings.IndexByte("sxzcg", p) >= 0:
		case p == 'h' && n >= 4 && (b[n-4] == 'c' || b[n-4] == 's'):
		case p == 'l' && n >= 4 && !isVowel(b[n-4]):
		default:
			count--
		}
	}
	// Silent e before a suffix: "lately", "statement", "hopeful", "careless".
	for _, suf := range [...]string{"ely", "ement", "ements", "eful", "eness", "eless"} {
		if strings.HasSuffix(string(b), suf) {
			i := n - len(suf)
			if i >= 2 && !isVowel(b[i-1]) && isVowel(b[i-2]) {
				count--
			}
			break
		}
	}
	if count < 1 {
		count = 1
	}
	return count
}
