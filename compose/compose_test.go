package compose

import (
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestNormalise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"First Name", "firstname"},
		{"first_name", "firstname"},
		{"FIRST-NAME", "firstname"},
		{" first  name ", "firstname"},
		{"help_phone", "helpphone"},
		{"Centre-Name_2", "centrename2"},
		{"", ""},
		{"_- ", ""},
		{"Ärger", "ärger"},
	}
	for _, tt := range tests {
		if got := Normalise(tt.in); got != tt.want {
			t.Errorf("Normalise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		body string
		want []Part
	}{
		{"", nil},
		{"Hello", []Part{{Text: "Hello"}}},
		{"Dear ((name)), hi", []Part{
			{Text: "Dear "},
			{Name: "name", Offset: 5},
			{Text: ", hi", Offset: 13},
		}},
		{"((a))((b))", []Part{{Name: "a"}, {Name: "b", Offset: 5}}},
		{"(( First Name ))", []Part{{Name: " First Name "}}},
		{"((a-b_c 1))", []Part{{Name: "a-b_c 1"}}},
		{"f(x) = (y)", []Part{{Text: "f(x) = (y)"}}},
		{"((名前))", []Part{{Name: "名前"}}},
		{"Hi\n((interpreter??We will (really) help.))\nBye", []Part{
			{Text: "Hi\n"},
			{Name: "interpreter", Text: "We will (really) help.", Conditional: true, Offset: 3},
			{Text: "\nBye", Offset: 42},
		}},
		{"((x??a ?? b))", []Part{{Name: "x", Text: "a ?? b", Conditional: true}}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.body)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.body, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) =\n%#v\nwant\n%#v", tt.body, got, tt.want)
		}
		if s := join(got); s != tt.body {
			t.Errorf("Parse(%q) parts join to %q", tt.body, s)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const allowed = "placeholder names can only use letters, numbers, spaces, “_” and “-”, but "
	tests := []struct {
		body         string
		offset       int
		line, column int
		reason       string
	}{
		{"Hello ((name", 6, 1, 7, reasonUnclosed},
		{"a\nb\nHello ((name", 10, 3, 7, reasonUnclosed},
		{"é ((x", 3, 1, 3, reasonUnclosed},
		{"f(x) = (y) and (( not", 15, 1, 16, reasonUnclosed},
		{"oops)) ((name))", 4, 1, 5, reasonStray},
		{"((name)) done))", 13, 1, 14, reasonStray},
		{"line one\n))", 9, 2, 1, reasonStray},
		{"(())", 0, 1, 1, reasonEmpty},
		{"x ((  ))", 2, 1, 3, reasonEmpty},
		{"((_-))", 0, 1, 1, reasonEmpty},
		{"((??text))", 0, 1, 1, reasonEmptyCond},
		{"((first!name))", 7, 1, 8, allowed + "“first!name” has “!”"},
		{"((a.b))", 3, 1, 4, allowed + "“a.b” has “.”"},
		{"((name?text))", 6, 1, 7, allowed + "“name?text” has “?”"},
		{"((first\nname))", 7, 1, 8, allowed + "“first name” has a line break"},
		{"((na\xffme))", 4, 1, 5, allowed + "“na\uFFFDme” has a character that cannot be read"},
		{"((name??))", 0, 1, 1, "conditional placeholder “((name??))” has no text to show after “??”"},
		{"\n\n  ((name??  ))", 4, 3, 3, "conditional placeholder “((name??  ))” has no text to show after “??”"},
		{"((a ((b))", 4, 1, 5, reasonNested},
		{"((a ((b))))", 4, 1, 5, reasonNested},
		{"((x??see ((y)) here))", 9, 1, 10, reasonNested},
	}
	for _, tt := range tests {
		parts, err := Parse(tt.body)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, %v; want *SyntaxError", tt.body, parts, err)
			continue
		}
		if se.Offset != tt.offset || se.Line != tt.line || se.Column != tt.column || se.Reason != tt.reason {
			t.Errorf("Parse(%q) error = %+v\nwant offset %d, line %d, column %d, reason %q", tt.body, *se, tt.offset, tt.line, tt.column, tt.reason)
		}
		if parts != nil {
			t.Errorf("Parse(%q) returned parts with an error", tt.body)
		}
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := Parse("a\nb\nHello ((name")
	want := "line 3, column 7: unclosed placeholder: “((” has no matching “))”"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	_, err = Parse("((" + strings.Repeat("a", 60) + "!))")
	if err == nil || !strings.Contains(err.Error(), "“"+strings.Repeat("a", 40)+"…”") {
		t.Errorf("long name not shortened: %v", err)
	}
}

func TestPlaceholders(t *testing.T) {
	tests := []struct {
		body string
		want []string
	}{
		{"", nil},
		{"no placeholders", nil},
		{"((a)) ((A)) ((b??x)) ((first_name)) ((First Name)) ((b))", []string{"a", "b", "first_name"}},
		{"((Date)) then ((date??shown)) then ((time))", []string{"Date", "time"}},
	}
	for _, tt := range tests {
		got, err := Placeholders(tt.body)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Placeholders(%q) = %q, %v; want %q", tt.body, got, err, tt.want)
		}
	}
	if _, err := Placeholders("((oops"); err == nil {
		t.Error("Placeholders accepted an unclosed placeholder")
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		body     string
		declared []string
		unknown  []string
		message  string
	}{
		{"Dear ((name))", []string{"name"}, nil, ""},
		{"Dear ((First Name)) ((help-phone))", []string{"first_name", "HELP PHONE"}, nil, ""},
		{"no placeholders", nil, nil, ""},
		{"((name)) ((Date)) ((unknown)) ((other??x)) ((Unknown))", []string{"name", "date"}, []string{"unknown", "other"},
			"the template uses ((unknown)) and ((other)), which are not among the placeholders this template can use"},
		{"((a)) ((b)) ((c))", nil, []string{"a", "b", "c"},
			"the template uses ((a)), ((b)) and ((c)), which are not among the placeholders this template can use"},
		{"((centre))", []string{"centre_name"}, []string{"centre"},
			"the template uses ((centre)), which is not one of the placeholders this template can use"},
	}
	for _, tt := range tests {
		err := Check(tt.body, tt.declared)
		if tt.unknown == nil {
			if err != nil {
				t.Errorf("Check(%q, %q) = %v, want nil", tt.body, tt.declared, err)
			}
			continue
		}
		var ce *CheckError
		if !errors.As(err, &ce) || !slices.Equal(ce.Unknown, tt.unknown) {
			t.Errorf("Check(%q, %q) = %#v, want unknown %q", tt.body, tt.declared, err, tt.unknown)
			continue
		}
		if err.Error() != tt.message {
			t.Errorf("Check(%q) message = %q, want %q", tt.body, err.Error(), tt.message)
		}
	}
	var se *SyntaxError
	if err := Check("((a)) ))", []string{"a"}); !errors.As(err, &se) {
		t.Errorf("Check with a stray “))” = %v, want *SyntaxError", err)
	}
}

func TestRender(t *testing.T) {
	const interp = "Hi ((name)).((interpreter?? We will have an interpreter.))"
	tests := []struct {
		name    string
		body    string
		values  map[string]string
		want    string
		missing []string
	}{
		{"plain", "Dear ((name)), see you on ((date)).", map[string]string{"name": "Amina", "date": "3 May"}, "Dear Amina, see you on 3 May.", nil},
		{"no placeholders", "Just text (with brackets).", nil, "Just text (with brackets).", nil},
		{"keys normalised", "((First Name)) ((help_phone)) ((CENTRE-NAME))",
			map[string]string{"first_name": "Amina", "Help Phone": "0300", "centre name": "Becket House"}, "Amina 0300 Becket House", nil},
		{"repeated", "((a)) and ((A)) again", map[string]string{"a": "x"}, "x and x again", nil},
		{"conditional yes", interp, map[string]string{"name": "Amina", "interpreter": "yes"}, "Hi Amina. We will have an interpreter.", nil},
		{"conditional Y", interp, map[string]string{"name": "Amina", "interpreter": " Y "}, "Hi Amina. We will have an interpreter.", nil},
		{"conditional TRUE", interp, map[string]string{"name": "Amina", "Interpreter": "TRUE"}, "Hi Amina. We will have an interpreter.", nil},
		{"conditional 1", interp, map[string]string{"name": "Amina", "interpreter": "1"}, "Hi Amina. We will have an interpreter.", nil},
		{"conditional no", interp, map[string]string{"name": "Amina", "interpreter": "no"}, "Hi Amina.", nil},
		{"conditional empty", interp, map[string]string{"name": "Amina", "interpreter": ""}, "Hi Amina.", nil},
		{"conditional yesterday", interp, map[string]string{"name": "Amina", "interpreter": "yesterday"}, "Hi Amina.", nil},
		{"conditional missing", interp, map[string]string{"name": "Amina"}, "", []string{"interpreter"}},
		{"value with placeholders stays literal", "Dear ((name))", map[string]string{"name": "((date)) ((x"}, "Dear ((date)) ((x", nil},
		{"value with conditional syntax", "((a)) ((b))", map[string]string{"a": "((b??yes))", "b": "))"}, "((b??yes)) ))", nil},
		{"missing sorted as written", "((time)) ((Date)) ((centre_name)) ((date)) ((name))", map[string]string{"name": "A"}, "",
			[]string{"centre_name", "Date", "time"}},
		{"blank value is missing", "Dear ((name))", map[string]string{"name": "  "}, "", []string{"name"}},
		{"nil map", "Dear ((name))", nil, "", []string{"name"}},
		{"extra keys ignored", "Hi", map[string]string{"unused": "x"}, "Hi", nil},
		{"colliding keys use first sorted", "((first name))", map[string]string{"first_name": "B", "First Name": "A"}, "A", nil},
	}
	for _, tt := range tests {
		got, err := Render(tt.body, tt.values)
		if got != tt.want {
			t.Errorf("%s: Render = %q, want %q", tt.name, got, tt.want)
		}
		if tt.missing == nil {
			if err != nil {
				t.Errorf("%s: Render error %v", tt.name, err)
			}
			continue
		}
		var me *MissingError
		if !errors.As(err, &me) || !slices.Equal(me.Names, tt.missing) {
			t.Errorf("%s: Render error = %#v, want missing %q", tt.name, err, tt.missing)
		}
	}

	_, err := Render("((date)) ((time)) ((name))", nil)
	if want := "no values were given for ((date)), ((name)) and ((time))"; err == nil || err.Error() != want {
		t.Errorf("missing message = %v, want %q", err, want)
	}
	_, err = Render("((date))", nil)
	if want := "no value was given for ((date))"; err == nil || err.Error() != want {
		t.Errorf("missing message = %v, want %q", err, want)
	}
	var se *SyntaxError
	if _, err := Render("((name", map[string]string{"name": "x"}); !errors.As(err, &se) {
		t.Errorf("Render of a bad body = %v, want *SyntaxError", err)
	}
}

func TestChooseLanguage(t *testing.T) {
	tests := []struct {
		preferred string
		available []string
		want      string
	}{
		{"cy", []string{"en", "cy"}, "cy"},
		{"CY", []string{"en", "cy"}, "cy"},
		{"fa-af", []string{"en", "fa-AF"}, "fa-AF"},
		{"fa-AF", []string{"en", "fa"}, "fa"},
		{"fa", []string{"en", "fa-AF"}, "fa-AF"},
		{"fa-IR", []string{"fa-AF", "fa", "en"}, "fa"},
		{"fa-IR", []string{"fa-AF", "en"}, "fa-AF"},
		{"fa_AF", []string{"en", "fa-AF"}, "fa-AF"},
		{"ar", []string{"cy", "en"}, "en"},
		{"ar", []string{"cy", "en-GB"}, "en-GB"},
		{"ar", []string{"cy", "fr"}, "cy"},
		{"", []string{"cy", "en"}, "en"},
		{" ar ", []string{"en", "ar"}, "ar"},
		{"en", nil, ""},
		{"en", []string{}, ""},
		{"en", []string{"", "cy"}, "cy"},
	}
	for _, tt := range tests {
		if got := ChooseLanguage(tt.preferred, tt.available); got != tt.want {
			t.Errorf("ChooseLanguage(%q, %q) = %q, want %q", tt.preferred, tt.available, got, tt.want)
		}
	}
}

// typical holds values like those a caseworker would give, for rendering the
// starter templates.
var typical = map[string]string{
	"name":                "Amina Yusuf",
	"reference":           "HO-1234-5678",
	"date":                "12 May 2026",
	"time":                "10:30am",
	"centre_name":         "Becket House",
	"centre_address":      "60 St Thomas Street\nLondon\nSE1 3QU",
	"interpreter":         "yes",
	"help_phone":          "0300 123 4567",
	"address":             "12 High Street, Leeds LS1 1AA",
	"reporting_frequency": "every Monday",
	"no_work":             "yes",
	"no_study":            "no",
	"application":         "asylum",
	"decision":            "We have refused your application.",
	"reasons":             "You did not give us enough evidence.",
	"appeal_date":         "26 May 2026",
	"missed_date":         "5 May 2026",
	"subject":             "Your documents",
	"message":             "We have sent your documents back to you.",
	"mp_name":             "Jane Smith MP",
	"enquiry_date":        "1 May 2026",
	"person_name":         "Mr Ali Hassan",
	"reply":               "Mr Hassan's case is with a caseworker. We expect to decide it by June.",
	"consent":             "yes",
	"team_name":           "MP Account Management Team",
	"postcode":            "LS1 1AA",
}

func TestStarter(t *testing.T) {
	ts, err := Starter()
	if err != nil {
		t.Fatal(err)
	}
	wantKeys := []string{
		"reporting-notice-letter", "reporting-reminder-sms", "request-contact-details-letter",
		"request-contact-details-email", "bail-conditions-letter", "decision-letter",
		"missed-reporting-letter", "general-letter", "enquiry-reply-email", "address-change-confirmation-sms",
	}
	keys := map[string]StarterTemplate{}
	conditionals := 0
	for _, tm := range ts {
		if _, dup := keys[tm.Key]; dup {
			t.Errorf("key %q used twice", tm.Key)
		}
		keys[tm.Key] = tm
		if tm.Title == "" {
			t.Errorf("%s: no title", tm.Key)
		}
		if !slices.Contains(Kinds, tm.Kind) {
			t.Errorf("%s: kind %q is not valid", tm.Key, tm.Kind)
		}
		if !slices.Contains(Channels, tm.Channel) {
			t.Errorf("%s: channel %q is not valid", tm.Key, tm.Channel)
		}
		declared := map[string]bool{}
		for _, p := range tm.Placeholders {
			if declared[Normalise(p)] {
				t.Errorf("%s: placeholder %q declared twice", tm.Key, p)
			}
			declared[Normalise(p)] = true
			if _, ok := typical[p]; !ok {
				t.Errorf("%s: no typical value for %q in this test", tm.Key, p)
			}
		}
		langs := map[string]bool{}
		for _, v := range tm.Versions {
			where := tm.Key + " (" + v.Language + ")"
			if langs[v.Language] {
				t.Errorf("%s: language given twice", where)
			}
			langs[v.Language] = true
			switch {
			case tm.Channel == "sms" && v.Subject != "":
				t.Errorf("%s: SMS has a subject", where)
			case tm.Channel != "sms" && v.Subject == "":
				t.Errorf("%s: %s has no subject", where, tm.Channel)
			}
			used := map[string]bool{}
			for _, text := range []string{v.Subject, v.Body} {
				parts, err := Parse(text)
				if err != nil {
					t.Errorf("%s: %v", where, err)
					continue
				}
				for _, p := range parts {
					if p.Name != "" {
						used[Normalise(p.Name)] = true
					}
					if p.Conditional {
						conditionals++
					}
				}
				if err := Check(text, tm.Placeholders); err != nil {
					t.Errorf("%s: %v", where, err)
				}
			}
			for _, p := range tm.Placeholders {
				if !used[Normalise(p)] {
					t.Errorf("%s: declared placeholder %q is not used", where, p)
				}
			}
			body, err := Render(v.Body, typical)
			if err != nil {
				t.Errorf("%s: render: %v", where, err)
			}
			if tm.Channel == "sms" {
				checkSMSLength(t, where, body)
			} else if strings.Contains(v.Body, "\n\n\n") || strings.HasPrefix(v.Body, "\n") || strings.HasSuffix(v.Body, "\n") {
				t.Errorf("%s: body has extra blank lines", where)
			}
			if v.Language == "en" {
				checkPlainEnglish(t, where, v.Subject+"\n"+v.Body)
				if tm.AsksToAct {
					checkAsksToAct(t, where, v.Body)
				}
			}
		}
		if !langs["en"] {
			t.Errorf("%s: no English version", tm.Key)
		}
	}
	for _, k := range wantKeys {
		if _, ok := keys[k]; !ok {
			t.Errorf("starter set lacks %q", k)
		}
	}
	if conditionals == 0 {
		t.Error("no starter template uses conditional text")
	}
	for key, langs := range map[string][]string{
		"reporting-notice-letter": {"en", "cy"},
		"reporting-reminder-sms":  {"en", "cy", "ar"},
	} {
		for _, l := range langs {
			if !slices.ContainsFunc(keys[key].Versions, func(v StarterVersion) bool { return v.Language == l }) {
				t.Errorf("%s: no %q version", key, l)
			}
		}
	}
	for _, key := range []string{"reporting-notice-letter", "reporting-reminder-sms", "request-contact-details-letter",
		"request-contact-details-email", "bail-conditions-letter", "missed-reporting-letter"} {
		if !keys[key].AsksToAct {
			t.Errorf("%s: should ask the person to act", key)
		}
	}
	if keys["general-letter"].AsksToAct {
		t.Error("general-letter should not ask the person to act")
	}
	decision := keys["decision-letter"].Versions[0].Body
	for _, s := range []string{"appeal", "by ((appeal_date))", "((decision))", "If you do not appeal", "If you need help"} {
		if !strings.Contains(decision, s) {
			t.Errorf("decision-letter does not say %q", s)
		}
	}

	// Each call gives a fresh copy.
	ts[0].Key = "changed"
	again, _ := Starter()
	if again[0].Key == "changed" {
		t.Error("Starter shares its result between calls")
	}
}

var sentenceEnd = regexp.MustCompile(`[.!?:](\s|$)`)

// checkPlainEnglish checks the writing rules that a test can check:
// sentences of at most 20 words and no formal words.
func checkPlainEnglish(t *testing.T, where, text string) {
	t.Helper()
	lower := strings.ToLower(text)
	for _, w := range []string{"pursuant", "hereby", "absconder", "in accordance with", "forthwith", "whereby", "commence", "facilitate", "herein", "aforementioned", "in receipt of"} {
		if strings.Contains(lower, w) {
			t.Errorf("%s: uses %q", where, w)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		for _, s := range sentenceEnd.Split(line, -1) {
			if n := len(strings.Fields(s)); n > 20 {
				t.Errorf("%s: sentence of %d words: %q", where, n, s)
			}
		}
	}
}

// checkAsksToAct checks that a body says what to do, by when, what happens
// if the person does not, and how to get help.
func checkAsksToAct(t *testing.T, where, body string) {
	t.Helper()
	checks := []struct {
		what string
		any  []string
	}{
		{"what to do", []string{"You must ", "you must ", "Please "}},
		{"by when", []string{"by ((", "before "}},
		{"what happens if not", []string{"If you do not "}},
		{"how to get help", []string{"If you need help", "legal adviser", "Help: ((help_phone))"}},
	}
	for _, c := range checks {
		if !slices.ContainsFunc(c.any, func(s string) bool { return strings.Contains(body, s) }) {
			t.Errorf("%s: does not say %s (none of %q)", where, c.what, c.any)
		}
	}
}

const (
	gsmBasic    = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtended = "^{}\\[~]|€\f"
)

// checkSMSLength checks that a rendered text message fits in one message if
// it uses the GSM alphabet, or in two if it needs UCS-2 (as Arabic does).
func checkSMSLength(t *testing.T, where, text string) {
	t.Helper()
	n := 0
	for _, r := range text {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			n++
		case strings.ContainsRune(gsmExtended, r):
			n += 2
		default:
			n = -1
		}
		if n < 0 {
			break
		}
	}
	if n >= 0 {
		if n > 160 {
			t.Errorf("%s: %d GSM characters, more than one text message (160): %q", where, n, text)
		}
		return
	}
	if u := len(utf16.Encode([]rune(text))); u > 134 {
		t.Errorf("%s: %d UCS-2 characters, more than two text messages (134): %q", where, u, text)
	}
}

// join puts parts back together as they were written.
func join(parts []Part) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.source())
	}
	return b.String()
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "Hello", "Dear ((name)), hi", "((a))((b))", "((x??text))", "((x??a ?? b))",
		"((", "))", "(())", "((a ((b))", "((first!name))", "((name??))", "((??x))",
		"a\nb\nHello ((name", "é ((x", "((na\xffme))", "(((a)))", "((a)))", "f(x) = (y)",
		"((interpreter??We will (really) help.))",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		parts, err := Parse(body)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T, want *SyntaxError", body, err)
			}
			if se.Offset < 0 || se.Offset > len(body) || se.Line < 1 || se.Column < 1 || se.Reason == "" {
				t.Fatalf("Parse(%q) gave a bad error %+v", body, *se)
			}
			if !utf8.ValidString(se.Error()) {
				t.Fatalf("Parse(%q) error message is not valid UTF-8", body)
			}
			return
		}
		if s := join(parts); s != body {
			t.Fatalf("Parse(%q) parts join to %q", body, s)
		}
		offset := 0
		values := map[string]string{}
		for _, p := range parts {
			if p.Offset != offset {
				t.Fatalf("Parse(%q): part %+v at offset %d, want %d", body, p, p.Offset, offset)
			}
			offset += len(p.source())
			if p.Name == "" && (p.Text == "" || p.Conditional) {
				t.Fatalf("Parse(%q): bad literal part %+v", body, p)
			}
			if p.Name != "" {
				values[p.Name] = "yes"
			}
		}
		if _, err := Render(body, values); err != nil {
			t.Fatalf("Render(%q) with every name set: %v", body, err)
		}
		if err := Check(body, slices.Collect(func(yield func(string) bool) {
			for k := range values {
				if !yield(k) {
					return
				}
			}
		})); err != nil {
			t.Fatalf("Check(%q) with every name declared: %v", body, err)
		}
	})
}
