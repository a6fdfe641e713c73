package exchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"tether"
)

var testNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var testParser = Parser{Now: testNow}

// goodRow is a complete, valid CSV row; tests change one column at a time.
func goodRow() map[string]string {
	return map[string]string{
		"ref": "TH-04817263K", "family_name": "Haile", "given_names": "Selam",
		"other_names": "Selamawit Haile|ሰላም ሃይለ", "date_of_birth": "1994-07", "nationality": "er",
		"preferred_language": "ti", "interpreter": "yes", "interpreter_language": "ti",
		"accessibility": "large print", "rep_organisation": "Example Law LLP", "rep_name": "A Solicitor",
		"email": "selam.haile@example.com", "mobile": "07700 900123", "landline": "",
		"address_line1": "Flat 2", "address_line2": "27 Victoria Road", "address_line3": "",
		"town": "Leeds", "postcode": "ls6 1ab", "country": "", "correspondence": "postal",
	}
}

func record(m map[string]string) []string {
	rec := make([]string, len(Columns))
	for i, c := range Columns {
		rec[i] = m[c]
	}
	return rec
}

func TestParseCSVRowGood(t *testing.T) {
	pi, err := testParser.CSVRow(mustHeader(t, Columns[:]), record(goodRow()), 2)
	if err != nil {
		t.Fatal(err)
	}
	p := pi.Person
	if p.Ref != "TH-04817263K" || p.Nationality != "ER" || p.DateOfBirth != (tether.PartialDate{Year: 1994, Month: 7}) {
		t.Errorf("person = %+v", p)
	}
	if !p.Needs.Interpreter || p.Needs.InterpreterLanguage != "ti" || p.Needs.Accessibility != "large print" {
		t.Errorf("needs = %+v", p.Needs)
	}
	want := []tether.OtherName{
		{Kind: tether.NameAlias, FamilyName: "Haile", GivenNames: "Selamawit"},
		{Kind: tether.NameOtherScript, FamilyName: "ሃይለ", GivenNames: "ሰላም", Script: "Ethi"},
	}
	if !reflect.DeepEqual(p.OtherNames, want) {
		t.Errorf("other names = %+v", p.OtherNames)
	}
	if r := p.Representative; r == nil || r.Organisation != "Example Law LLP" || r.Name != "A Solicitor" || r.Instructed {
		t.Errorf("representative = %+v (a CSV representative is not taken as instructed)", r)
	}
	if len(pi.ContactPoints) != 3 {
		t.Fatalf("want postal, email and mobile, got %d points", len(pi.ContactPoints))
	}
	postal, email, mobile := pi.ContactPoints[0], pi.ContactPoints[1], pi.ContactPoints[2]
	if postal.Kind != tether.KindPostal || !postal.ForCorrespondence || postal.Address.Postcode != "LS6 1AB" ||
		postal.Address.Country != "GB" || !reflect.DeepEqual(postal.Address.Lines, []string{"Flat 2", "27 Victoria Road"}) {
		t.Errorf("postal = %+v %+v", postal, postal.Address)
	}
	if email.Email != "selam.haile@example.com" || email.ForCorrespondence {
		t.Errorf("email = %+v", email)
	}
	if mobile.Phone != "+447700900123" {
		t.Errorf("mobile = %+v", mobile)
	}
	for _, c := range pi.ContactPoints {
		if c.Source != tether.SourceImport || c.Party != tether.PartySelf || !c.ValidFrom.Equal(testNow) {
			t.Errorf("point %s: source %q party %q from %v", c.Kind, c.Source, c.Party, c.ValidFrom)
		}
	}
}

func TestParseCSVRowOptionalColumns(t *testing.T) {
	pi, err := testParser.CSVRow(mustHeader(t, []string{"\ufeffRef", " Family_Name "}), []string{"TH-04817263K", "Haile"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if pi.Person.FamilyName != "Haile" || len(pi.ContactPoints) != 0 {
		t.Errorf("got %+v with %d points", pi.Person, len(pi.ContactPoints))
	}
}

func TestParseCSVRowBad(t *testing.T) {
	for _, tc := range []struct {
		name  string
		col   string
		value string
		field string
	}{
		{"bad postcode", "postcode", "ZZ99 9ZZZ", "postcode"},
		{"bad phone", "mobile", "12345", "mobile"},
		{"landline given as mobile", "mobile", "0113 496 0123", "mobile"},
		{"bad landline", "landline", "not a number", "landline"},
		{"bad email", "email", "selam at example.com", "email"},
		{"email with a display name", "email", "Selam <selam@example.com>", "email"},
		{"future date of birth", "date_of_birth", "2027-01-01", "date_of_birth"},
		{"unreadable date of birth", "date_of_birth", "July 1994", "date_of_birth"},
		{"impossible date of birth", "date_of_birth", "1994-02-30", "date_of_birth"},
		{"missing family name", "family_name", "  ", "family_name"},
		{"digits in a name", "given_names", "Sel4m", "given_names"},
		{"missing ref", "ref", "", "ref"},
		{"bad ref check letter", "ref", "TH-04817263L", "ref"},
		{"bad nationality", "nationality", "Eritrea", "nationality"},
		{"bad language", "preferred_language", "Tigrinya!", "preferred_language"},
		{"bad interpreter", "interpreter", "sometimes", "interpreter"},
		{"bad interpreter language", "interpreter_language", "x!", "interpreter_language"},
		{"bad alias", "other_names", "S3lam Haile", "other_names"},
		{"bad correspondence", "correspondence", "sms", "correspondence"},
		{"missing town", "town", "", "town"},
		{"bad country", "country", "Narnia", "country"},
		{"invalid UTF-8", "family_name", "Ha\xffile", "family_name"},
		{"NUL", "accessibility", "large\x00print", "accessibility"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := goodRow()
			m[tc.col] = tc.value
			_, err := testParser.CSVRow(mustHeader(t, Columns[:]), record(m), 7)
			assertField(t, err, tc.field)
			if !strings.Contains(tether.ErrorMessage(err), "line 7") {
				t.Errorf("message %q does not give the line", tether.ErrorMessage(err))
			}
		})
	}
	t.Run("correspondence postal without an address", func(t *testing.T) {
		m := goodRow()
		for _, c := range []string{"address_line1", "address_line2", "town", "postcode"} {
			m[c] = ""
		}
		_, err := testParser.CSVRow(mustHeader(t, Columns[:]), record(m), 2)
		assertField(t, err, "correspondence")
	})
	t.Run("too many fields", func(t *testing.T) {
		_, err := ParseCSVRow(Columns[:], append(record(goodRow()), "extra"), 3)
		assertField(t, err, "row")
		if !strings.Contains(tether.ErrorFields(err)["row"], "too many fields") {
			t.Errorf("reason = %q", tether.ErrorFields(err)["row"])
		}
	})
	t.Run("too few fields", func(t *testing.T) {
		_, err := ParseCSVRow(Columns[:], record(goodRow())[:5], 3)
		assertField(t, err, "row")
	})
}

func TestParseHeader(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
		reason string // "" means valid
	}{
		{"all columns", Columns[:], ""},
		{"any order and case", []string{"Family_Name", "REF", "postcode"}, ""},
		{"unknown column", []string{"ref", "family_name", "shoe_size"}, "unknown column \"shoe_size\""},
		{"missing family_name", []string{"ref", "given_names"}, "\"family_name\" is missing"},
		{"missing ref", []string{"family_name"}, "\"ref\" is missing"},
		{"repeated column", []string{"ref", "family_name", "ref"}, "appears twice"},
		{"empty column", []string{"ref", "", "family_name"}, "has no name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseHeader(tc.header)
			if tc.reason == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(tether.ErrorFields(err)["header"], tc.reason) {
				t.Fatalf("want %q, got %v", tc.reason, err)
			}
		})
	}
	_, err := ParseCSVRow([]string{"ref", "family_name", "colour"}, []string{"TH-04817263K", "Haile", "red"}, 2)
	assertField(t, err, "header")
}

func TestParseJSONLine(t *testing.T) {
	good := `{"person":{"ref":"TH-04817263K","family_name":"Haile","given_names":"Selam","date_of_birth":"1994-07",` +
		`"nationality":"ER","preferred_language":"ti","needs":{"interpreter":true}},` +
		`"contact_points":[{"kind":"mobile","party":"self","phone":"07700 900123","verification":"verified"},` +
		`{"kind":"postal","party":"self","address":{"lines":["1 High Street"],"town":"Leeds","postcode":"LS1 1AA","country":"GB"},` +
		`"source":"person","for_correspondence":true,"valid_from":"2024-01-02T03:04:05Z","valid_to":"2025-01-01T00:00:00Z","ended_reason":"moved"}]}`
	pi, err := testParser.JSONLine([]byte(good), 1)
	if err != nil {
		t.Fatal(err)
	}
	if pi.Person.FamilyName != "Haile" || len(pi.ContactPoints) != 2 {
		t.Fatalf("got %+v", pi)
	}
	m := pi.ContactPoints[0]
	if m.Phone != "+447700900123" || m.Source != tether.SourceImport || !m.ValidFrom.Equal(testNow) {
		t.Errorf("mobile = %+v", m)
	}
	if p := pi.ContactPoints[1]; p.Source != tether.SourcePerson || p.ValidTo == nil || p.EndedReason != "moved" {
		t.Errorf("postal = %+v", p)
	}
	// What the API returns is accepted; what the store assigns is ignored.
	withIDs := strings.Replace(good, `"ref"`, `"id":42,"version":3,"created_at":"2020-01-01T00:00:00Z",`+
		`"representative":{"organisation":"Example Law LLP","organisation_id":7,"instructed":true},"ref"`, 1)
	pi, err = testParser.JSONLine([]byte(withIDs), 1)
	if err != nil || pi.Person.ID != 0 || pi.Person.Version != 0 || !pi.Person.CreatedAt.IsZero() {
		t.Errorf("with ids: %+v, %v", pi.Person, err)
	}
	if r := pi.Person.Representative; r == nil || r.OrganisationID != nil || !r.Instructed {
		t.Errorf("representative = %+v: organisation_id must be dropped, the rest kept", r)
	}

	for _, tc := range []struct {
		name, line, field string
	}{
		{"unknown field", strings.Replace(good, `"given_names"`, `"shoe_size":9,"given_names"`, 1), "line"},
		{"unknown nested field", strings.Replace(good, `"interpreter":true`, `"interpreter":true,"dog":true`, 1), "line"},
		{"not JSON", `{"person":`, "line"},
		{"wrong type", strings.Replace(good, `"family_name":"Haile"`, `"family_name":7`, 1), "person.family_name"},
		{"two objects", good + " {}", "line"},
		{"no person", `{"contact_points":[]}`, "person"},
		{"missing ref", strings.Replace(good, `"ref":"TH-04817263K",`, "", 1), "person.ref"},
		{"missing family name", strings.Replace(good, `"family_name":"Haile"`, `"family_name":""`, 1), "person.family_name"},
		{"future date of birth", strings.Replace(good, `"1994-07"`, `"2030-01-01"`, 1), "line"},
		{"bad phone", strings.Replace(good, "07700 900123", "12", 1), "contact_points[0].phone"},
		{"bad postcode", strings.Replace(good, "LS1 1AA", "LS1 1AAA", 1), "contact_points[1].address.postcode"},
		{"ended before it started", strings.Replace(good, "2025-01-01T00:00:00Z", "2023-01-01T00:00:00Z", 1), "contact_points[1].valid_to"},
		{"null point", strings.Replace(good, `"contact_points":[`, `"contact_points":[null,`, 1), "contact_points[0]"},
		{"NUL in a name", strings.Replace(good, "Selam", `Sel\u0000am`, 1), "person.given_names"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := testParser.JSONLine([]byte(tc.line), 4)
			if tc.name == "future date of birth" {
				// A date in the future parses; Validate refuses it.
				assertField(t, err, "person.date_of_birth")
				return
			}
			assertField(t, err, tc.field)
		})
	}
}

func TestCSVReader(t *testing.T) {
	in := strings.Join([]string{
		"ref,family_name,given_names,postcode,town,address_line1",
		"TH-04817263K,Haile,Selam,LS6 1AB,Leeds,1 High Street",
		"TH-00000001Z,Bad,Row,NOT A POSTCODE,Leeds,1 High Street",
		`TH-00000002T,"Quoted, with comma",Ali,,,`,
		"TH-00000003V,Too,Many,Fields,Here,x,y",
		`TH-00000004T,Bare"Quote,x,,,`,
		"",
		"TH-00000005K,Last,Row,,,",
	}, "\n") + "\n"
	r := NewCSVReader(strings.NewReader(in), testParser)
	var good []string
	var bad []string
	for {
		pi, err := r.Next()
		if err == io.EOF {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			bad = append(bad, re.Problems()...)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		good = append(good, pi.Person.FamilyName)
		if r.Line() < 2 {
			t.Errorf("line %d", r.Line())
		}
	}
	if want := []string{"Haile", "Quoted, with comma", "Last"}; !reflect.DeepEqual(good, want) {
		t.Errorf("good rows = %q, want %q", good, want)
	}
	for _, want := range []string{"line 3: postcode:", "line 5: row: too many fields", "line 6: row:"} {
		found := false
		for _, b := range bad {
			found = found || strings.HasPrefix(b, want)
		}
		if !found {
			t.Errorf("no problem starting %q in %q", want, bad)
		}
	}
	// The reference of row 3 has the wrong check letter too; each problem is its own line.
	if len(bad) < 4 {
		t.Errorf("problems = %q", bad)
	}
}

func TestCSVReaderBadHeader(t *testing.T) {
	for _, in := range []string{"", "ref,family_name,colour\nTH-04817263K,Haile,red\n", "\"ref,family_name\n"} {
		_, err := NewCSVReader(strings.NewReader(in), testParser).Next()
		var re *RowError
		if err == nil || err == io.EOF || errors.As(err, &re) {
			t.Errorf("%q: want an error for the whole file, got %v", in, err)
		}
	}
}

func TestJSONLReader(t *testing.T) {
	line := func(ref, family string) string {
		return `{"person":{"ref":"` + ref + `","family_name":"` + family + `"},"contact_points":[]}`
	}
	in := line("TH-04817263K", "One") + "\r\n\n   \n" + `{"person":{}}` + "\n" + "{oops\n" +
		`{"person":{"ref":"TH-04817263K","family_name":"` + strings.Repeat("a", MaxLineBytes) + `"}}` + "\n" +
		line("TH-00000001D", "Last") // no final newline
	r := NewJSONLReader(strings.NewReader(in), testParser)
	var got []string
	for {
		pi, err := r.Next()
		if err == io.EOF {
			break
		}
		var re *RowError
		switch {
		case errors.As(err, &re):
			got = append(got, re.Problems()[0][:7])
		case err != nil:
			t.Fatal(err)
		default:
			got = append(got, pi.Person.FamilyName+"@"+strconv.Itoa(r.Line()))
		}
	}
	want := []string{"One@1", "line 4:", "line 5:", "line 6:", "Last@7"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// roundTrip writes people in a format and reads them back.
func roundTrip(t *testing.T, format string, people []tether.PersonImport) []tether.PersonImport {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(format, &buf, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, pi := range people {
		if err := w.Write(pi); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(format, &buf, testParser)
	if err != nil {
		t.Fatal(err)
	}
	var out []tether.PersonImport
	for {
		pi, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v\n%s", format, err, buf.String())
		}
		out = append(out, pi)
	}
}

func samplePeople() []tether.PersonImport {
	at := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	ended := at("2025-06-01")
	confirmed := at("2026-01-10")
	return []tether.PersonImport{
		{
			Person: &tether.Person{Ref: "TH-04817263K", FamilyName: "Nguyễn", GivenNames: "Thị Minh",
				OtherNames: []tether.OtherName{
					{Kind: tether.NameAlias, FamilyName: "Nguyen", GivenNames: "Thi Minh"},
					{Kind: tether.NameAlias, FamilyName: "Van Der Berg"},
					{Kind: tether.NameAlias, FamilyName: "Al Hassan", GivenNames: "Minh"},
				},
				DateOfBirth: tether.PartialDate{Year: 1990}, Nationality: "VN", PreferredLanguage: "vi",
				Needs:          tether.Needs{Interpreter: true, InterpreterLanguage: "vi"},
				Representative: &tether.Representative{Organisation: "Example Law LLP", Name: "A Solicitor"}},
			ContactPoints: []*tether.ContactPoint{
				{Kind: tether.KindPostal, Party: tether.PartySelf, Source: tether.SourcePerson, ValidFrom: at("2020-01-01"),
					ValidTo: &ended, EndedReason: "moved", Verification: tether.Verified,
					Address: &tether.Address{Lines: []string{"9 Old Road"}, Town: "Leeds", Postcode: "LS6 2AB", Country: "GB"}},
				{Kind: tether.KindPostal, Party: tether.PartySelf, Source: tether.SourcePerson, ValidFrom: ended,
					ForCorrespondence: true, Verification: tether.Unverified,
					Address: &tether.Address{Lines: []string{"Flat 1", "2 New Road", "Headingley", "West Yorkshire"}, Town: "Leeds", Postcode: "LS6 3AB", Country: "GB"}},
				{Kind: tether.KindMobile, Party: tether.PartySelf, Source: tether.SourcePerson, ValidFrom: ended,
					Phone: "+447700900001", Verification: tether.Verified, LastConfirmedAt: &confirmed, ConfirmedHow: "sms_reply"},
				{Kind: tether.KindMobile, Party: tether.PartyEmergencyContact, PartyName: "Lan Nguyen", Relationship: "sister",
					Source: tether.SourcePerson, ValidFrom: ended, Phone: "+447700900002", Verification: tether.Unverified},
				{Kind: tether.KindEmail, Party: tether.PartySelf, Source: tether.SourcePerson, ValidFrom: ended,
					Email: "minh@example.com", Verification: tether.Failed},
			},
		},
		{
			Person: &tether.Person{Ref: "TH-00000001D", FamilyName: "Иванов", GivenNames: "Олег",
				OtherNames: []tether.OtherName{{Kind: tether.NameOtherScript, FamilyName: "Ivanov", GivenNames: "Oleg"}}},
			ContactPoints: []*tether.ContactPoint{
				{Kind: tether.KindPostal, Party: tether.PartySelf, Source: tether.SourceAgency, SourceDetail: "Council",
					ValidFrom: at("2024-01-01"), Verification: tether.Unverified,
					Address: &tether.Address{Lines: []string{"12 Rue de la Paix"}, Town: "Calais", Postcode: "62100", Country: "FR"}},
				{Kind: tether.KindEmail, Party: tether.PartySelf, Source: tether.SourcePerson, ValidFrom: at("2024-01-01"),
					ForCorrespondence: true, Email: "oleg@example.org", Verification: tether.Unverified},
				{Kind: tether.KindLandline, Party: tether.PartySelf, Source: tether.SourcePerson, ValidFrom: at("2024-01-01"),
					Phone: "+441134960123", Verification: tether.Unverified},
			},
		},
	}
}

func TestJSONLRoundTrip(t *testing.T) {
	in := samplePeople()
	out := roundTrip(t, JSONL, in)
	if len(out) != len(in) {
		t.Fatalf("got %d people", len(out))
	}
	for i := range in {
		if !reflect.DeepEqual(in[i].Person, out[i].Person) {
			t.Errorf("person %d:\n got %+v\nwant %+v", i, out[i].Person, in[i].Person)
		}
		for j := range in[i].ContactPoints {
			if !reflect.DeepEqual(in[i].ContactPoints[j], out[i].ContactPoints[j]) {
				t.Errorf("person %d point %d:\n got %+v\nwant %+v", i, j, out[i].ContactPoints[j], in[i].ContactPoints[j])
			}
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	in := samplePeople()
	once := roundTrip(t, CSV, in)
	// A CSV row holds the current, own, working details only.
	p := once[0]
	if got := len(p.ContactPoints); got != 2 {
		t.Fatalf("want the current address and the mobile, got %d points", got)
	}
	if a := p.ContactPoints[0].Address; a.Postcode != "LS6 3AB" || !reflect.DeepEqual(a.Lines, []string{"Flat 1", "2 New Road", "Headingley, West Yorkshire"}) ||
		!p.ContactPoints[0].ForCorrespondence {
		t.Errorf("address = %+v", a)
	}
	if !reflect.DeepEqual(p.Person.OtherNames, in[0].Person.OtherNames) {
		t.Errorf("other names:\n got %+v\nwant %+v", p.Person.OtherNames, in[0].Person.OtherNames)
	}
	if o := once[1].Person.OtherNames; len(o) != 1 || o[0].Kind != tether.NameAlias {
		// "Ivanov" is Latin: read back as an alias.
		t.Errorf("other names = %+v", o)
	}
	if c := once[1].ContactPoints; len(c) != 3 || !c[1].ForCorrespondence || c[0].Address.Country != "FR" {
		t.Errorf("points = %+v", c)
	}
	// Once in CSV form, a second trip changes nothing.
	twice := roundTrip(t, CSV, once)
	if !reflect.DeepEqual(once, twice) {
		t.Errorf("second round trip differs:\n%+v\n%+v", once, twice)
	}
}

func TestSortContactPoints(t *testing.T) {
	in := samplePeople()[0].ContactPoints
	rev := make([]*tether.ContactPoint, len(in))
	for i, c := range in {
		rev[len(in)-1-i] = c
	}
	a := append([]*tether.ContactPoint(nil), in...)
	SortContactPoints(a)
	SortContactPoints(rev)
	if !reflect.DeepEqual(a, rev) {
		t.Error("the order depends on the order given")
	}
	if a[0].ValidTo == nil {
		t.Error("the oldest point should come first")
	}
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]string{"a.csv": CSV, "A.CSV": CSV, "x/b.jsonl": JSONL, "c.ndjson": JSONL, "d.txt": "", "e": ""} {
		if got := FormatOf(name); got != want {
			t.Errorf("FormatOf(%q) = %q, want %q", name, got, want)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("xml accepted")
	}
}

func TestScript(t *testing.T) {
	for s, want := range map[string]string{"محمد": "Arab", "Олег": "Cyrl", "王芳": "Hani", "Nguyễn": "", "ሰላም": "Ethi", "O'Brien-Smith": "", "রহমান": "Beng"} {
		if got := Script(s); got != want {
			t.Errorf("Script(%q) = %q, want %q", s, got, want)
		}
	}
}

func mustHeader(t *testing.T, cols []string) *Header {
	t.Helper()
	h, err := ParseHeader(cols)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func assertField(t *testing.T, err error, field string) {
	t.Helper()
	if tether.ErrorCode(err) != tether.EINVALID {
		t.Fatalf("want EINVALID, got %v", err)
	}
	if _, ok := tether.ErrorFields(err)[field]; !ok {
		t.Fatalf("want a problem with %q, got %v", field, tether.ErrorFields(err))
	}
}

func FuzzParseCSVRow(f *testing.F) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(record(goodRow()))
	cw.Flush()
	f.Add(buf.String())
	f.Add("TH-04817263K,Haile,,a|b c|d, e|,1990,ER,fa-AF,y,,,,,x@example.org,07700900123,,,,,,,,email")
	f.Add(",,,,,,,,,,,,,,,,,,,,,")
	f.Add("\"unclosed")
	f.Fuzz(func(t *testing.T, line string) {
		r := csv.NewReader(strings.NewReader(line))
		r.FieldsPerRecord = -1
		rec, err := r.Read()
		if err != nil {
			return
		}
		pi, err := testParser.CSVRow(mustHeader(t, Columns[:]), rec, 2)
		if err != nil {
			if tether.ErrorCode(err) != tether.EINVALID {
				t.Fatalf("want EINVALID, got %v", err)
			}
			return
		}
		// A row that parses writes back to a row that parses the same.
		again := roundTrip(t, CSV, []tether.PersonImport{pi})
		if len(again) != 1 || !reflect.DeepEqual(again[0], pi) {
			t.Fatalf("round trip changed the row:\n got %+v\nwant %+v", again, pi)
		}
	})
}

func FuzzParseJSONLine(f *testing.F) {
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf)
	for _, pi := range samplePeople() {
		w.Write(pi)
	}
	w.Flush()
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		f.Add(l)
	}
	f.Add(`{"person":{"ref":"TH-04817263K","family_name":"X"},"contact_points":[null]}`)
	f.Add(`{"person":null}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, line string) {
		pi, err := testParser.JSONLine([]byte(line), 1)
		if err != nil {
			if tether.ErrorCode(err) != tether.EINVALID {
				t.Fatalf("want EINVALID, got %v", err)
			}
			return
		}
		if pi.Person == nil || pi.Person.Ref == "" {
			t.Fatalf("accepted without a person or reference: %q", line)
		}
	})
}
