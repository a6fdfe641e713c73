package namematch

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"Mohammed", "mohammed"},
		{"  José  MÜLLER-Nguyễn ", "jose muller nguyen"},
		{"Александр", "aleksandr"},
		{"АЛЕКСАНДР", "aleksandr"},
		{"Юлия Щербакова", "yuliya shcherbakova"},
		{"Сергей Ёлкин", "sergey yolkin"},
		{"Олександр Їжак", "oleksandr yizhak"},
		{"Γιώργος Παπαδόπουλος", "giorgos papadopoulos"},
		{"ΣΤΑΎΡΟΣ", "stavros"},
		{"Ευάγγελος", "evaggelos"},
		{"محمد", "mhmd"},
		{"مُحَمَّد", "mhmd"},
		{"عبد الرحمن", "abd alrhmn"},
		{"پرویز", "prwyz"},
		{"O'Brien", "obrien"},
		{"O’Brien", "obrien"},
		{"Ja'far", "jafar"},
		{"ʿAbbās", "abbas"},
		{"Mary-Jane  Smith", "mary jane smith"},
		{"Smith, John (Jr.)", "smith john jr"},
		{"Strauß", "strauss"},
		{"Søren Ærø", "soren aero"},
		{"Łukasz Paweł", "lukasz pawel"},
		{"Đặng Thị", "dang thi"},
		{"Yılmaz İbrahim", "yilmaz ibrahim"},
		{"Ștefan Țurcanu", "stefan turcanu"},
		{"Ｍｏｈａｍｍｅｄ", "mohammed"}, // full width
		{"ﬁona", "fiona"},        // ligature
		{"张伟 Zhang Wei", "zhang wei"},
		{"Agent 007", "agent 007"},
		{"٣ Ali", "3 ali"},
		{"a\u0301b", "ab"}, // combining mark
		{"Nguy\u1ec5n", "nguyen"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Mohammed al-Hassan", []string{"mohammed", "al", "hassan"}},
		{"  ", nil},
		{"José", []string{"jose"}},
		{"O'Brien, Mary", []string{"obrien", "mary"}},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKey(t *testing.T) {
	groups := []struct {
		key   string
		names []string
	}{
		{"mhmt", []string{"Mohammed", "Muhammad", "Mohamed", "Mohamad", "Mohammad", "Mehmet", "محمد", "MOHAMMED"}},
		{"alksntr", []string{"Aleksandr", "Alexander", "Aleksander", "Oleksandr", "Александр", "Alexandre"}},
		{"ngn", []string{"Nguyen", "Nguyễn", "NGUYEN"}},
		{"jsf", []string{"Yusuf", "Youssef", "Yousef", "Youcef", "Jusuf", "يوسف", "Юсуф"}},
		{"js", []string{"José", "Jose"}},
		{"mlr", []string{"Müller", "Mueller", "Muller"}},
		{"sng", []string{"Zhang", "Chang"}},
		{"mkl", []string{"Michael", "Mikhail", "Михаил"}},
		{"hsn", []string{"Hussein", "Hussain", "Husayn", "Hossein", "حسين"}},
		{"abtl", []string{"Abdullah", "Abdallah", "Abdulla", "عبدالله"}},
		{"abrhm", []string{"Ibrahim", "Ebrahim", "Ibraheem", "إبراهيم"}},
		{"ahmt", []string{"Ahmed", "Ahmad", "Ahmet", "أحمد"}},
		{"al", []string{"Ali", "Aly", "علي"}},
		{"as", []string{"Aisha", "Ayesha", "Aicha", "عائشة"}},
		{"rst", []string{"Rashid", "Rachid"}},
		{"jml", []string{"Jamal", "Djamel", "Dzhamil"}},
		{"str", []string{"Chowdhury", "Choudhury", "Chaudhry"}},
		{"smt", []string{"Smith", "Smyth", "Schmidt", "Schmitt"}},
		{"krsts", []string{"Christos", "Χρήστος"}},
		{"grg", []string{"George", "Gheorghe"}},
		{"sls", []string{"Schulz", "Schultz"}},
		{"msl", []string{"Mitchell", "Michel"}},
		{"abrn", []string{"O'Brien", "OBrien", "obrien"}},
		{"hbb", []string{"Habib", "حبيب"}},
		{"tt", []string{"Dawood", "Daoud", "Dawud", "داود"}},
		{"an", []string{"Anna", "Ana", "Anne"}},
		{"hn", []string{"Hannah", "Hana"}},
		{"ks", []string{"Kaz", "Cass"}},
		{"kntn", []string{"Quentin", "Kentin"}},
		{"sv", []string{"Xavi"}},
		{"sksn", []string{"Saxon"}},
		{"vlt", []string{"Walid", "Waleed", "Valid"}},
		{"jsmn", []string{"Yasmin", "Jasmin", "Yasmine"}},
		{"abtrhmn", []string{"Abdulrahman", "Abdurrahman", "Abdirahman", "Abdelrahman", "عبدالرحمن"}},
		{"abtlss", []string{"Abdulaziz", "Abdelaziz"}},
		{"abthmt", []string{"Abdulhamid", "Abdelhamid"}},
		{"abtl", []string{"Abdul", "Abdel"}},
		{"tsfy", nil},
		{"", []string{"", "123", "---", "张伟"}},
	}
	for _, g := range groups {
		for _, n := range g.names {
			if got := Key(n); got != g.key {
				t.Errorf("Key(%q) = %q, want %q", n, got, g.key)
			}
		}
	}
}

func TestKeyIgnoresFolding(t *testing.T) {
	for _, v := range Variants {
		for _, s := range []string{v.Canonical, v.Variant} {
			if Key(s) != Key(Fold(s)) {
				t.Errorf("Key(%q) = %q but Key(Fold) = %q", s, Key(s), Key(Fold(s)))
			}
		}
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Mohammed Ali", []string{"mhmt", "al"}},
		{"Mohammed Muhammad Ali", []string{"mhmt", "al"}},
		{"J. R. R. Tolkien", []string{"tlkn"}},
		{"Mohammed al-Hassan", []string{"mhmt", "al", "hsn"}},
		{"Agent 007", []string{"agnt"}},
		{"", nil},
		{"A B C", nil},
	}
	for _, tt := range tests {
		if got := Keys(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Keys(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestQueryKeys(t *testing.T) {
	tests := []struct {
		in      string
		include []string
		exclude []string
	}{
		{"Mohammmed", []string{"mhmt"}, nil},
		{"Mohammde", []string{"mhmt"}, nil},
		{"Msith", []string{"smt"}, nil},
		{"Ngyuen", []string{"ngn"}, nil},
		{"Hannah", []string{"hn"}, []string{"an"}},
		{"Ali", []string{"al"}, []string{"a", "l"}},
	}
	for _, tt := range tests {
		got := QueryKeys(tt.in)
		if len(got) == 0 || got[0] != Key(tt.in) {
			t.Errorf("QueryKeys(%q) = %q, want Key first", tt.in, got)
		}
		for _, k := range tt.include {
			if !slices.Contains(got, k) {
				t.Errorf("QueryKeys(%q) = %q, want %q in it", tt.in, got, k)
			}
		}
		for _, k := range tt.exclude {
			if slices.Contains(got, k) {
				t.Errorf("QueryKeys(%q) = %q, want no %q", tt.in, got, k)
			}
		}
	}
	if got := QueryKeys("123"); got != nil {
		t.Errorf("QueryKeys(123) = %q", got)
	}
	if got := QueryKeys("Aleksandrovichenko"); len(got) != MaxQueryKeys {
		t.Errorf("QueryKeys(long) gave %d keys, want the cap %d", len(got), MaxQueryKeys)
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b     string
		min, max float64
	}{
		{"Mohammed Ali", "Mohammed Ali", 1, 1},
		{"Mohammed Ali", "ALI, Mohammed", 1, 1},
		{"José Müller", "Jose Muller", 1, 1},
		{"Александр Иванов", "Aleksandr Ivanov", 1, 1},
		{"Mohammed Ali", "Muhammad Ali", 0.9, 0.99},
		{"Mohammed Ali", "Mohammed Ahmed Ali", 0.85, 0.95},
		{"Abdul Rahman Khan", "Abdulrahman Khan", 0.9, 0.99},
		{"J Smith", "John Smith", 0.9, 0.99},
		{"John Smith", "Jon Smyth", 0.85, 0.99},
		{"Smith", "Jones", 0, 0.5},
		{"Mohammed Ali", "Hannah Jones", 0, 0.6},
		{"Mohammed Ahmed Ali", "Mohammed Ali Khan", 0.6, 0.85},
		{"", "Mohammed", 0, 0},
		{"", "", 0, 0},
	}
	for _, tt := range tests {
		got := Similarity(tt.a, tt.b)
		if got < tt.min || got > tt.max {
			t.Errorf("Similarity(%q, %q) = %.3f, want %.2f..%.2f", tt.a, tt.b, got, tt.min, tt.max)
		}
		if back := Similarity(tt.b, tt.a); back != got {
			t.Errorf("Similarity not symmetric for %q, %q: %.3f vs %.3f", tt.a, tt.b, got, back)
		}
	}
}

// TestSimilarityRanks checks the orderings that matter when ranking.
func TestSimilarityRanks(t *testing.T) {
	q := "Mohammed Hassan"
	order := []string{
		"Mohammed Hassan",
		"Muhammad Hasan",
		"Mahmoud Hassan", // or Mohammed Hussein: both one name off
		"Hassan Ali",
		"Peter Jones",
	}
	for i := 0; i+1 < len(order); i++ {
		a, b := Similarity(q, order[i]), Similarity(q, order[i+1])
		if a <= b {
			t.Errorf("Similarity(%q, %q) = %.3f, not above %q at %.3f", q, order[i], a, order[i+1], b)
		}
	}
	// Every variant pair should look alike.
	low := 0
	for _, v := range Variants {
		if s := Similarity(v.Canonical, v.Variant); s < 0.75 {
			low++
			t.Logf("Similarity(%q, %q) = %.3f", v.Canonical, v.Variant, s)
		}
	}
	if low > len(Variants)/20 {
		t.Errorf("%d of %d variant pairs score under 0.75", low, len(Variants))
	}
}

func TestJaroWinkler(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.961},
		{"dwayne", "duane", 0.840},
		{"dixon", "dicksonx", 0.813},
		{"abc", "xyz", 0},
		{"a", "a", 1},
		{"", "a", 0},
	}
	for _, tt := range tests {
		if got := jaroWinkler(tt.a, tt.b); fmt.Sprintf("%.3f", got) != fmt.Sprintf("%.3f", tt.want) {
			t.Errorf("jaroWinkler(%q, %q) = %.3f, want %.3f", tt.a, tt.b, got, tt.want)
		}
	}
}

// found reports whether a search for the variant finds the canonical name:
// the canonical word's stored key is among the query keys of the variant.
func found(canonical, variant string) bool {
	return slices.Contains(QueryKeys(variant), Key(canonical))
}

func TestVariantsRecall(t *testing.T) {
	if len(Variants) < 60 {
		t.Fatalf("only %d variant pairs", len(Variants))
	}
	type tally struct{ hit, n int }
	byKind := map[string]*tally{}
	total := tally{}
	var missed []string
	for _, v := range Variants {
		switch v.Kind {
		case KindTransliteration, KindDiacritics, KindTypo, KindCase, KindOtherScript:
		default:
			t.Errorf("pair %v has kind %q", v, v.Kind)
		}
		if strings.Contains(Fold(v.Canonical), " ") || strings.Contains(Fold(v.Variant), " ") {
			t.Errorf("pair %v is not of single words", v)
		}
		k := byKind[v.Kind]
		if k == nil {
			k = &tally{}
			byKind[v.Kind] = k
		}
		k.n++
		total.n++
		if found(v.Canonical, v.Variant) {
			k.hit++
			total.hit++
		} else {
			missed = append(missed, fmt.Sprintf("%s/%s (%s: %s vs %v)", v.Canonical, v.Variant, v.Kind, Key(v.Canonical), QueryKeys(v.Variant)))
		}
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t.Logf("recall %-16s %3d/%3d = %.3f", k, byKind[k].hit, byKind[k].n, float64(byKind[k].hit)/float64(byKind[k].n))
	}
	recall := float64(total.hit) / float64(total.n)
	t.Logf("recall overall          %3d/%3d = %.3f", total.hit, total.n, recall)
	for _, m := range missed {
		t.Logf("missed %s", m)
	}
	if recall < 0.9 {
		t.Errorf("recall %.3f < 0.9", recall)
	}
	// Everything but typos is meant to be caught by Key alone.
	exact := 0
	nonTypo := 0
	for _, v := range Variants {
		if v.Kind == KindTypo {
			continue
		}
		nonTypo++
		if Key(v.Canonical) == Key(v.Variant) {
			exact++
		}
	}
	t.Logf("same key (non-typo)     %3d/%3d = %.3f", exact, nonTypo, float64(exact)/float64(nonTypo))
}

func TestNegativePrecision(t *testing.T) {
	if len(NegativePairs) < 20 {
		t.Fatalf("only %d negative pairs", len(NegativePairs))
	}
	sameKey, queryHit := 0, 0
	for _, p := range NegativePairs {
		ka, kb := Key(p.A), Key(p.B)
		if ka == kb {
			sameKey++
			t.Logf("same key: %s/%s -> %s (hard: %v)", p.A, p.B, ka, p.Hard)
			if !p.Hard {
				t.Errorf("%s and %s share key %q", p.A, p.B, ka)
			}
		}
		if found(p.A, p.B) || found(p.B, p.A) {
			queryHit++
			if ka != kb {
				t.Logf("query keys meet: %s %v / %s %v", p.A, QueryKeys(p.A), p.B, QueryKeys(p.B))
			}
		}
	}
	n := float64(len(NegativePairs))
	keyPrecision := 1 - float64(sameKey)/n
	queryPrecision := 1 - float64(queryHit)/n
	t.Logf("precision (different keys)        %.3f over %d pairs", keyPrecision, len(NegativePairs))
	t.Logf("precision (not found either way)  %.3f over %d pairs", queryPrecision, len(NegativePairs))
	if keyPrecision < 0.9 {
		t.Errorf("key precision %.3f < 0.9", keyPrecision)
	}
	// Undoing a typo in a short name (Mark to Mk, Zahra to Zara) lands on
	// other short names; Similarity ranks those down. This floor only guards
	// against regressions.
	if queryPrecision < 0.75 {
		t.Errorf("query precision %.3f < 0.75", queryPrecision)
	}
}

func FuzzFold(f *testing.F) {
	seeds := []string{"", "Mohammed al-Hassan", "José MÜLLER", "Александр", "Γιώργος", "محمد", "O'Brien", "ﬁ", "\xff\xfe", "Ｍ", "a\u0301", "İ", "ß", "ǅ"}
	for _, v := range Variants {
		seeds = append(seeds, v.Variant)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := Fold(s)
		for i := 0; i < len(folded); i++ {
			c := folded[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == ' ') {
				t.Fatalf("Fold(%q) = %q has byte %q", s, folded, c)
			}
		}
		if strings.HasPrefix(folded, " ") || strings.HasSuffix(folded, " ") || strings.Contains(folded, "  ") {
			t.Fatalf("Fold(%q) = %q has stray spaces", s, folded)
		}
		if again := Fold(folded); again != folded {
			t.Fatalf("Fold not idempotent: %q -> %q -> %q", s, folded, again)
		}
		if len(folded) > 4*len(s)+4 {
			t.Fatalf("Fold(%q) = %q grew too much", s, folded)
		}
		tokens := Tokens(s)
		if strings.Join(tokens, " ") != folded {
			t.Fatalf("Tokens(%q) = %q, Fold %q", s, tokens, folded)
		}
		for _, tok := range tokens {
			if tok == "" {
				t.Fatalf("Tokens(%q) has an empty token", s)
			}
		}
	})
}

func FuzzKey(f *testing.F) {
	for _, v := range Variants {
		f.Add(v.Variant)
	}
	for _, s := range []string{"", "h", "hh", "x", "chael", "tsch", "dzh", "wh", "ck", "ph", "a b", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Key(s)
		if !utf8.ValidString(k) {
			t.Fatalf("Key(%q) = %q, not UTF-8", s, k)
		}
		for i := 0; i < len(k); i++ {
			if k[i] < 'a' || k[i] > 'z' {
				t.Fatalf("Key(%q) = %q has byte %q", s, k, k[i])
			}
		}
		folded := Fold(s)
		if kf := Key(folded); kf != k {
			t.Fatalf("Key(%q) = %q but Key(Fold) = Key(%q) = %q", s, k, folded, kf)
		}
		if kf := Key(Fold(folded)); kf != k {
			t.Fatalf("Key(Fold(Fold(%q))) = %q, want %q", s, kf, k)
		}
		if (k == "") != (letters(s) == "") {
			t.Fatalf("Key(%q) = %q for letters %q", s, k, letters(s))
		}
		if len(k) > 2*len(letters(s)) {
			t.Fatalf("Key(%q) = %q longer than its letters", s, k)
		}
		for _, kk := range Keys(s) {
			for i := 0; i < len(kk); i++ {
				if kk[i] < 'a' || kk[i] > 'z' {
					t.Fatalf("Keys(%q) has %q", s, kk)
				}
			}
		}
		_ = Similarity(s, "Mohammed Ali")
	})
}

func FuzzQueryKeys(f *testing.F) {
	for _, v := range Variants {
		f.Add(v.Variant)
	}
	f.Add("")
	f.Add("Aleksandrovichenko")
	f.Fuzz(func(t *testing.T, s string) {
		qk := QueryKeys(s)
		k := Key(s)
		if k == "" {
			if qk != nil {
				t.Fatalf("QueryKeys(%q) = %q for an empty key", s, qk)
			}
			return
		}
		if len(qk) == 0 || qk[0] != k || len(qk) > MaxQueryKeys {
			t.Fatalf("QueryKeys(%q) = %q, Key %q", s, qk, k)
		}
		seen := map[string]bool{}
		for _, q := range qk {
			if q == "" || seen[q] {
				t.Fatalf("QueryKeys(%q) = %q has an empty or repeated key", s, qk)
			}
			seen[q] = true
			for i := 0; i < len(q); i++ {
				if q[i] < 'a' || q[i] > 'z' {
					t.Fatalf("QueryKeys(%q) = %q has byte %q", s, qk, q[i])
				}
			}
		}
	})
}

func FuzzSimilarity(f *testing.F) {
	f.Add("Mohammed Ali", "Muhammad Ali")
	f.Add("Abdul Rahman", "Abdulrahman")
	f.Add("", "x")
	f.Add("a b c d", "abcd")
	f.Fuzz(func(t *testing.T, a, b string) {
		s := Similarity(a, b)
		if s < 0 || s > 1 || s != s {
			t.Fatalf("Similarity(%q, %q) = %v", a, b, s)
		}
		if back := Similarity(b, a); back != s {
			t.Fatalf("Similarity(%q, %q) = %v but reversed %v", a, b, s, back)
		}
		if Fold(a) != "" && Similarity(a, a) != 1 {
			t.Fatalf("Similarity(%q, itself) = %v", a, Similarity(a, a))
		}
	})
}
