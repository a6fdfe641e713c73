package namematch

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s lower-cased, transliterated to ASCII letters and digits,
// with diacritics removed, every other character turned into a word break,
// and single spaces between words: Fold("  José  MÜLLER-Nguyễn ") is
// "jose muller nguyen" and Fold("Александр") is "aleksandr".
//
//   - Latin letters lose their diacritics through Unicode compatibility
//     decomposition (NFKD), so é, ü, ş, ą, ñ become e, u, s, a, n; letters
//     that do not decompose are mapped by a table (ß ss, æ ae, ø o, œ oe,
//     ł l, đ d, ð d, þ th, ı i, ə e).
//   - Cyrillic, Greek and Arabic (with Persian and Urdu letters) are
//     transliterated letter by letter with a simple table close to the
//     BGN/PCGN romanisations (ж zh, х kh, щ shch, θ th, χ ch, ش sh, خ kh).
//     Arabic short-vowel marks are dropped, as they usually are in writing,
//     so محمد is "mhmd"; Key is designed so that it still meets "mohammed".
//   - Apostrophes and similar marks (' ’ ʻ ʼ ʿ ʾ `) are removed without a
//     break, so that O'Brien is "obrien" and Ja'far is "jafar", the forms in
//     which such names are most often typed. Hyphens and all other
//     punctuation become word breaks.
//   - Characters of other scripts (Chinese, for instance) are dropped.
//
// Fold is idempotent: Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	// Pass 1: lower-case, decompose and drop combining marks, keeping the
	// few Cyrillic letters whose marks tell them apart.
	rs := make([]rune, 0, len(s))
	var buf [64]byte
	for _, r := range s {
		r = unicode.ToLower(r)
		switch {
		case r < utf8RuneSelf:
			rs = append(rs, r)
			continue
		case isApostrophe(r):
			rs = append(rs, '\'')
			continue
		}
		if _, ok := keepComposed[r]; ok {
			rs = append(rs, r)
			continue
		}
		for _, d := range string(norm.NFKD.AppendString(buf[:0], string(r))) {
			if unicode.Is(unicode.Mn, d) || unicode.Is(unicode.Me, d) {
				continue
			}
			rs = append(rs, unicode.ToLower(d))
		}
	}

	// Pass 2: transliterate and keep [a-z0-9], collapsing breaks.
	var b strings.Builder
	b.Grow(len(rs))
	pendingSpace := false
	write := func(t string) {
		if t == "" {
			return
		}
		if pendingSpace && b.Len() > 0 {
			b.WriteByte(' ')
		}
		pendingSpace = false
		b.WriteString(t)
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			write(string(r))
		case r == '\'':
			// apostrophe: no break
		case isGreekDiphthongStart(r) && i+1 < len(rs) && rs[i+1] == 'υ':
			// αυ, ευ: av, ev (ELOT 743 before voiced sounds, which is
			// how names such as Σταύρος are usually written); ου: ou.
			switch r {
			case 'α':
				write("av")
			case 'ε':
				write("ev")
			default:
				write("ou")
			}
			i++
		default:
			if t, ok := translit[r]; ok {
				write(t)
			} else {
				pendingSpace = true
			}
		}
	}
	return b.String()
}

const utf8RuneSelf = 0x80

// Tokens returns the words of Fold(s): Tokens("Mohammed al-Hassan") is
// ["mohammed", "al", "hassan"]. It returns nil when there are none.
func Tokens(s string) []string {
	f := Fold(s)
	if f == "" {
		return nil
	}
	return strings.Split(f, " ")
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '\u00b4', '\u2018', '\u2019', '\u201b', '\u2032', '\u02b9', '\u02bb', '\u02bc', '\u02bd', '\u02be', '\u02bf', '\uff07':
		return true
	}
	return false
}

func isGreekDiphthongStart(r rune) bool { return r == 'α' || r == 'ε' || r == 'ο' }

// keepComposed lists letters that must not lose their marks before
// transliteration, because the mark makes a different letter.
var keepComposed = map[rune]struct{}{
	'й': {}, 'ё': {}, 'ї': {}, 'ў': {},
}

// translit maps lower-case letters of other scripts, and Latin letters that
// do not decompose, to ASCII.
var translit = map[rune]string{
	// Latin letters without a decomposition.
	'ß': "ss", 'æ': "ae", 'ø': "o", 'œ': "oe", 'ł': "l", 'đ': "d", 'ð': "d",
	'þ': "th", 'ı': "i", 'ħ': "h", 'ŋ': "ng", 'ə': "e", 'ɛ': "e", 'ɔ': "o",
	'ƒ': "f", 'ſ': "s", 'ŧ': "t", 'ƚ': "l", 'ɨ': "i", 'ʉ': "u", 'ɖ': "d",
	'ɓ': "b", 'ɗ': "d", 'ƙ': "k", 'ƴ': "y", 'ȥ': "z",

	// Cyrillic (Russian, Ukrainian, Belarusian, Serbian, Macedonian,
	// Bulgarian), after BGN/PCGN.
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'є': "ye", 'і': "i", 'ї': "yi", 'ґ': "g", 'ў': "u",
	'ђ': "dj", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz",
	'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",

	// Greek (modern), after ELOT 743; accents are removed beforehand.
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i",
	'θ': "th", 'ι': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x",
	'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y",
	'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",

	// Arabic. Long vowels and the weak letters: ا a, و w, ي y; ع (ayn) is
	// written as a vowel, as in Ali and Omar; hamza is dropped.
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ٱ': "a", 'ء': "", 'ؤ': "",
	'ئ': "", 'ى': "a", 'ة': "a", 'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j",
	'ح': "h", 'خ': "kh", 'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s",
	'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z", 'ع': "a", 'غ': "gh",
	'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ه': "h",
	'و': "w", 'ي': "y", 'ـ': "",
	// Persian and Urdu letters.
	'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g", 'ک': "k", 'ی': "y", 'ۀ': "a",
	'ٹ': "t", 'ڈ': "d", 'ڑ': "r", 'ں': "n", 'ھ': "h", 'ہ': "h", 'ۃ': "a",
	'ے': "y", 'ۓ': "y", 'ڤ': "v",
	// Arabic-Indic and Persian digits.
	'٠': "0", '١': "1", '٢': "2", '٣': "3", '٤': "4", '٥': "5", '٦': "6",
	'٧': "7", '٨': "8", '٩': "9",
	'۰': "0", '۱': "1", '۲': "2", '۳': "3", '۴': "4", '۵': "5", '۶': "6",
	'۷': "7", '۸': "8", '۹': "9",
}
