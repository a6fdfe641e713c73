package namematch

import "strings"

// Key returns a phonetic skeleton of one name token, so that spellings of
// the same name in different transliterations, with or without diacritics
// and in other scripts, share a key: Mohammed, Muhammad, Mohamed, Mohamad,
// Mohammad, Mehmet and محمد are all "mhmt"; Aleksandr, Alexander,
// Aleksander, Oleksandr and Александр are all "alksntr"; Yusuf, Youssef,
// Yousef, Youcef, Jusuf and يوسف are all "jsf".
//
// The token is folded first (see Fold; a token of several words is joined).
// Then, reading left to right:
//
//  1. Letters are put into sound classes, written with one letter each:
//     b; p; f (f, ph); v (v); k (k, q, ck, hard c, ch before r or l, as in
//     Christos, and in -chael, as in Michael); s (s, z, sh, zh, ch, sch, soft
//     c before e, i or y, and ts, tz, tch, tsch); t (t, d, th, dh); g (g,
//     gh); j (j, jh, dj, dzh); l; r; m; n; h; x is k s, or s at the start.
//  2. An h after a consonant that it commonly pairs with (b, c, d, g, j, k,
//     p, s, t, z: bh, ch, dh, gh, jh, kh, ph, sh, th, zh) is part of that
//     consonant; an h at the end of a word is dropped (Sarah, Fatimah,
//     Abdullah); any other h is kept (Mohammed, Ahmed, and so mhmd).
//  3. The first letter is kept as its class, with every vowel written a
//     (Omar, Umar: amr; Ibrahim, Ebrahim: abrhm), w written v (Walid and
//     Valid) and y written j (Yusuf and Jusuf, Yasmin and Jasmin, from the
//     Slavic and German use of j), so the key always starts with the first
//     sound.
//  4. After the first letter, vowels (a e i o u) and the semivowels y and w
//     are dropped; they are written so variably across transliterations
//     (Hussein, Husayn, Hossein; Dawood, Daoud) that only the consonants are
//     reliable.
//  5. Repeated classes that are adjacent in the token (tt, ck, ss, dt) count
//     once; the same class with a vowel between counts twice (Habib: hbb).
//  6. In Abd al- names written as one word, the l of the article is dropped
//     before a consonant, since it is often assimilated or left out:
//     Abdulrahman, Abdurrahman, Abdirahman and عبدالرحمن are all abtrhmn.
//
// So trailing e, doubled letters, ou/u/oo/w, i/y/ee/ei/ai, c/k/q, s/z, d/t
// and f/ph all make no difference. The price is that names differing only
// in their vowels share a key (Hassan and Hussein, Mohammed and Mahmoud,
// Omar and Amir); candidates found by key are ranked with Similarity, which
// does see the vowels.
//
// Key returns "" when the token has no letters.
func Key(token string) string {
	return key(letters(token))
}

// letters folds s and keeps only its letters a-z.
func letters(s string) string {
	f := Fold(s)
	ok := true
	for i := 0; i < len(f); i++ {
		if f[i] < 'a' || f[i] > 'z' {
			ok = false
			break
		}
	}
	if ok {
		return f
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if 'a' <= f[i] && f[i] <= 'z' {
			b.WriteByte(f[i])
		}
	}
	return b.String()
}

// vowel is the class of vowels and semivowels after the first letter; it
// is never written but separates repeats.
const vowel = '.'

// key computes the key of a string of letters a-z.
func key(t string) string {
	t = dropArticle(t)
	n := len(t)
	if n == 0 {
		return ""
	}
	at := func(i int) byte {
		if i < 0 || i >= n {
			return 0
		}
		return t[i]
	}
	var out []byte
	var last byte // class of the previous sound, vowel included
	emit := func(c byte) {
		if c == last {
			return
		}
		last = c
		if c != vowel {
			out = append(out, c)
		}
	}
	for i := 0; i < n; i++ {
		c := t[i]
		first := i == 0
		var cls byte
		switch c {
		case 'a', 'e', 'i', 'o', 'u':
			cls = vowel
		case 'y':
			cls = vowel
			if first {
				cls = 'j' // Yusuf and Jusuf, Yasmin and Jasmin
			}
		case 'w':
			cls = vowel
			if first {
				cls = 'v'
			}
			if at(i+1) == 'h' {
				i++
			}
		case 'h':
			switch {
			case first:
				cls = 'h'
			case i == n-1:
				continue // final h: Sarah, Abdullah
			default:
				cls = 'h'
			}
		case 'b', 'j', 'k', 'g':
			cls = c
			if at(i+1) == 'h' {
				i++
			}
		case 'p':
			cls = 'p'
			if at(i+1) == 'h' {
				cls = 'f'
				i++
			}
		case 'f', 'v', 'l', 'r', 'm', 'n':
			cls = c
		case 'q':
			cls = 'k'
		case 'x':
			if first {
				cls = 's'
			} else {
				emit('k')
				cls = 's'
			}
		case 's', 'z':
			cls = 's'
			if at(i+1) == 'h' {
				i++
			}
		case 'c':
			switch next := at(i + 1); {
			case next == 'h':
				i++
				after := at(i + 1)
				if after == 'r' || after == 'l' || strings.HasPrefix(t[i+1:], "ael") {
					cls = 'k' // Christos, Chloe, Michael
				} else {
					cls = 's' // Charles, Rachid, Chowdhury, Aicha
				}
			case next == 'k':
				cls = 'k'
				i++
			case next == 'e' || next == 'i' || next == 'y':
				cls = 's'
			default:
				cls = 'k'
			}
		case 'd':
			cls = 't'
			switch {
			case at(i+1) == 'h':
				i++
			case at(i+1) == 'j':
				cls = 'j' // Djamel
				i++
			case at(i+1) == 'z' && at(i+2) == 'h':
				cls = 'j' // Dzhamil
				i += 2
			}
		case 't':
			cls = 't'
			switch next := at(i + 1); {
			case next == 'h':
				i++
			case next == 's' || next == 'z':
				cls = 's' // Tsvetan, Schultz
				i++
				if at(i+1) == 'c' && at(i+2) == 'h' {
					i += 2 // tsch
				} else if at(i+1) == 'h' {
					i++
				}
			case next == 'c' && at(i+2) == 'h':
				cls = 's' // tch: Mitchell
				i += 2
			}
		default:
			continue
		}
		if first && cls == vowel {
			cls = 'a'
		}
		emit(cls)
	}
	return string(out)
}

// dropArticle drops the l of the article in an Abd al- name written as one
// word, where it is often assimilated to the next consonant or left out:
// Abdulrahman, Abdurrahman, Abdirahman and عبدالرحمن (abdalrhmn) all become
// abd-rahman. The l stays before a vowel (Abdulaziz) or another l
// (Abdullah).
func dropArticle(t string) string {
	if len(t) < 7 || t[:3] != "abd" || t[4] != 'l' || t[5] == 'l' {
		return t
	}
	switch t[3] {
	case 'a', 'e', 'i', 'o', 'u':
	default:
		return t
	}
	switch t[5] {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'w':
		return t
	}
	return t[:4] + t[5:]
}
