package letterpdf

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden PDFs in testdata")

func TestCheckAddress(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		ok    bool
		line  int
		want  string // substring of the reason
	}{
		{"uk standard", []string{"Ms Anna Müller", "12 High Street", "London", "SW1A 1AA"}, true, 0, ""},
		{"uk lower no space", []string{"Łukasz Nowak", "Flat 3", "4 Mill Lane", "Leeds", "ls11un"}, true, 0, ""},
		{"uk extra spaces", []string{"Nguyễn Văn An", "1 Road", "  M1   1AE "}, true, 0, ""},
		{"uk AA9A", []string{"A Person", "1 Road", "London", "EC1A 1BB"}, true, 0, ""},
		{"uk GIR", []string{"A Person", "Girobank", "Bootle", "GIR 0AA"}, true, 0, ""},
		{"overseas FRANCE", []string{"M. Jean Dupont", "3 rue de la Paix", "75002 Paris", "FRANCE"}, true, 0, ""},
		{"overseas Pakistan", []string{"Mr Ali Khan", "House 5, Street 9", "Islamabad 44000", "Pakistan"}, true, 0, ""},
		{"overseas accent", []string{"A Person", "Rue 1", "Abidjan", "Côte d’Ivoire"}, true, 0, ""},
		{"overseas alias", []string{"A Person", "1 Main St", "Springfield IL 62701", "USA"}, true, 0, ""},
		{"seven lines", []string{"A", "B", "C", "D", "E", "F", "SW1A 1AA"}, true, 0, ""},
		{"too few", []string{"A Person", "SW1A 1AA"}, false, 0, "only 2 lines"},
		{"none", nil, false, 0, "only 0 lines"},
		{"too many", []string{"A", "B", "C", "D", "E", "F", "G", "SW1A 1AA"}, false, 0, "8 lines"},
		{"last neither", []string{"A Person", "1 Road", "London"}, false, 3, "neither a UK postcode nor a country"},
		{"bad postcode letters", []string{"A Person", "1 Road", "QQ1 1AA"}, false, 3, "neither"},
		{"postcode not last", []string{"A Person", "SW1A 1AA", "London"}, false, 3, "neither"},
		{"empty line", []string{"A Person", "", "London", "SW1A 1AA"}, false, 2, "line 2 of the address is blank"},
		{"blank line", []string{"A Person", "1 Road", "   ", "SW1A 1AA"}, false, 3, "blank"},
		{"too long", []string{"A Person", strings.Repeat("x", 46), "SW1A 1AA"}, false, 2, "46 characters"},
		{"45 runes ok", []string{"A Person", strings.Repeat("ễ", 45), "SW1A 1AA"}, true, 0, ""},
		{"embedded newline", []string{"A Person", "1 Road\nLondon", "SW1A 1AA"}, false, 2, "line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckAddress(tt.lines)
			if tt.ok {
				if err != nil {
					t.Fatalf("CheckAddress: %v", err)
				}
				return
			}
			var ae *AddressError
			if !errors.As(err, &ae) {
				t.Fatalf("CheckAddress = %v, want *AddressError", err)
			}
			if !strings.Contains(ae.Reason, tt.want) {
				t.Errorf("reason %q does not contain %q", ae.Reason, tt.want)
			}
			if ae.Line != tt.line {
				t.Errorf("Line = %d, want %d", ae.Line, tt.line)
			}
		})
	}
}

func TestIsCountryName(t *testing.T) {
	for _, s := range []string{"FRANCE", "france", "Pakistan", "United States", "Myanmar", "Hong Kong", "Bosnia and Herzegovina", "St Lucia", "Saint Lucia", "Congo - Kinshasa"} {
		if !IsCountryName(s) {
			t.Errorf("IsCountryName(%q) = false", s)
		}
	}
	for _, s := range []string{"", "London", "Europe", "World", "SW1A 1AA", "Narnia"} {
		if IsCountryName(s) {
			t.Errorf("IsCountryName(%q) = true", s)
		}
	}
}

func sender() Sender {
	return Sender{
		Department: "Home Office – Immigration Enforcement",
		Address:    []string{"PO Box 1234", "Croydon", "CR9 1AA"},
		Phone:      "0300 123 4567",
		Email:      "reporting@homeoffice.example.gov.uk",
		Web:        "www.gov.uk/immigration-reporting",
		Hours:      "Monday to Friday, 9am to 5pm",
	}
}

func oneLetter() Letter {
	return Letter{
		Sender:  sender(),
		To:      []string{"Ms Anna Müller", "Flat 2", "12 High Street", "London", "sw1a1aa"},
		Date:    "23 November 2026",
		OurRef:  "RN-2026-000123",
		YourRef: "TH-4F7K-9QX2",
		Subject: "Your next reporting appointment",
		Body: `Dear Ms Müller,

You must report at the place, date and time below.

# Where and when
- Eaton House, 581 Staines Road, Hounslow TW4 5DL
- Tuesday 8 December 2026 at 10:30am

Bring this letter and your identity document with you. If you cannot attend,
call us before the appointment on the number at the top of this letter.

Yours sincerely,

Reporting Team`,
		Language: "en",
	}
}

func twoPageLetter() Letter {
	l := oneLetter()
	l.To = []string{"Nguyễn Văn An", "Łukasz Nowak c/o", "4 Mill Lane", "Leeds", "LS1 1UN"}
	l.Subject = "Important: changes to your reporting conditions and what you need to do next"
	var b strings.Builder
	b.WriteString("Dear Mr Nguyễn,\n\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, "# Section %d\n", i)
		fmt.Fprintf(&b, "Paragraph %d. We are writing to tell you about your reporting conditions. This paragraph is long enough to wrap over several lines of the page so that the whole letter runs on to a second page and the continuation header and page footer can be checked.\n", i)
		b.WriteString("It continues on a second line of the source text, which joins the same paragraph.\n\n")
		if i%3 == 0 {
			b.WriteString("- A bullet point that is long enough to wrap on to a second line, so the hanging indent can be seen on the printed page.\n- A short bullet.\n\n")
		}
	}
	b.WriteString("Yours sincerely,\n\nReporting Team")
	l.Body = b.String()
	return l
}

func proof(events int) Proof {
	p := Proof{
		NoticeRef:         "RN-2026-000123",
		PersonRef:         "TH-4F7K-9QX2",
		PersonName:        "Nguyễn Văn An",
		Template:          "reporting-notice-letter version 3 (en)",
		Method:            "Post",
		Channel:           "First class post",
		Party:             "The person",
		Destination:       []string{"Nguyễn Văn An", "4 Mill Lane", "Leeds", "LS1 1UN"},
		RouteReason:       "No email address or phone number is held; the last known address was confirmed on 2 November 2026.",
		SentAt:            "23 November 2026 14:05 GMT",
		DeemedServed:      "25 November 2026",
		DeemedRule:        "Immigration (Notices) Regulations 2003, reg. 7(2)(a)",
		DeemedExplanation: "A notice sent by first class post to an address in the United Kingdom is deemed served on the second working day after the day it was posted. It was posted on Monday 23 November 2026, so it is deemed served on Wednesday 25 November 2026.",
		Subject:           "Your next reporting appointment",
		Content:           oneLetter().Body + "\n\n    (indented line kept as sent)\nhttps://www.gov.uk/a-very-long-address-that-has-no-spaces-in-it-at-all-and-must-be-broken-between-characters-to-fit-the-box",
		GeneratedAt:       "24 November 2026 09:00 GMT",
		GeneratedBy:       "caseworker j.smith",
	}
	statuses := []string{"queued", "printed", "posted", "in transit", "delivered"}
	for i := 0; i < events; i++ {
		p.Events = append(p.Events, ProofEvent{
			At:     fmt.Sprintf("2026-11-%02d %02d:%02d", 23+i/24, i%24, (i*7)%60),
			Status: statuses[i%len(statuses)],
			Source: "print supplier",
			Detail: fmt.Sprintf("Event %d: status reported by the supplier's tracking feed, batch B-%04d.", i+1, 1000+i),
		})
	}
	return p
}

// pdfText encodes s as fpdf writes text in a UTF-8 font: UTF-16BE code
// units (which are the glyph CIDs under Identity-H) with PDF string escapes.
func pdfText(s string) []byte {
	var b []byte
	for _, r := range s {
		for _, c := range []byte{byte(r >> 8), byte(r)} {
			if c == '\\' || c == '(' || c == ')' || c == '\r' {
				b = append(b, '\\')
			}
			b = append(b, c)
		}
	}
	return b
}

var pageCountRe = regexp.MustCompile(`/Type /Pages\s*/Kids \[[^\]]*\]\s*/Count (\d+)`)

func pageCount(t *testing.T, pdf []byte) int {
	t.Helper()
	pages := bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages"))
	m := pageCountRe.FindSubmatch(pdf)
	if m == nil {
		t.Fatalf("no /Pages /Count in PDF")
	}
	n, _ := strconv.Atoi(string(m[1]))
	if n != pages {
		t.Fatalf("/Count %d but %d /Page objects", n, pages)
	}
	return n
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./letterpdf -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (%d bytes, want %d); if the change is intended run go test ./letterpdf -update and inspect the PDF", path, len(got), len(want))
	}
}

func render(t *testing.T, l Letter) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, l); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return buf.Bytes()
}

func TestRender(t *testing.T) {
	tests := []struct {
		name   string
		letter Letter
		pages  int
		texts  []string
	}{
		{"letter-one-page.pdf", oneLetter(), 1, []string{
			"Page 1 of 1", "Ms Anna Müller", "SW1A 1AA", // postcode tidied from "sw1a1aa"
			"Our reference: RN-2026-000123",
			"Your reference: TH-4F7K-9QX2", "Your next reporting appointment", "•", "Where and when",
			"Home Office – Immigration Enforcement", "Open: Monday to Friday, 9am to 5pm",
		}},
		{"letter-two-pages.pdf", twoPageLetter(), 2, []string{
			"Page 1 of 2", "Page 2 of 2", "Nguyễn Văn An", "Łukasz Nowak c/o", "Dear Mr Nguyễn,",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdf := render(t, tt.letter)
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("output does not start with %%PDF-: %q", pdf[:min(10, len(pdf))])
			}
			if n := pageCount(t, pdf); n != tt.pages {
				t.Errorf("%d pages, want %d", n, tt.pages)
			}
			for _, s := range tt.texts {
				if !bytes.Contains(pdf, pdfText(s)) {
					t.Errorf("PDF does not contain %q", s)
				}
			}
			if bytes.Contains(pdf, pdfText("{nb}")) || bytes.Contains(pdf, []byte("{nb}")) {
				t.Errorf("page-count alias left unreplaced")
			}
			if again := render(t, tt.letter); !bytes.Equal(pdf, again) {
				t.Errorf("Render is not deterministic")
			}
			golden(t, tt.name, pdf)
		})
	}
}

func TestRenderTwoPageHeader(t *testing.T) {
	pdf := render(t, twoPageLetter())
	// The continuation header is on page 2 only: the reference label
	// appears in the sender block (page 1), the header (page 2) and the
	// footer of both pages.
	if n := bytes.Count(pdf, pdfText("Our reference: RN-2026-000123")); n != 4 {
		t.Errorf("reference printed %d times, want 4", n)
	}
}

func TestRenderNames(t *testing.T) {
	for _, name := range []string{"Nguyễn Thị Minh Khai", "Łukasz Żółć", "Jürgen Müller", "Ærøskøbing Ôlafsdóttir", "Σωκράτης Παπαδόπουλος", "Иван Петров"} {
		l := oneLetter()
		l.To[0] = name
		pdf := render(t, l)
		if !bytes.Contains(pdf, pdfText(name)) {
			t.Errorf("PDF does not contain %q", name)
		}
	}
	// Decomposed input is normalised to precomposed characters.
	l := oneLetter()
	l.To[0] = "Nguye\u0302\u0303n"
	if pdf := render(t, l); !bytes.Contains(pdf, pdfText("Nguyễn")) {
		t.Errorf("decomposed name not normalised")
	}
}

func TestRenderUnsupportedScript(t *testing.T) {
	for _, lang := range []string{"ar", "fa", "ur", "he", "ps", "ar-EG", "pa-Arab"} {
		l := oneLetter()
		l.Language = lang
		var buf bytes.Buffer
		err := Render(&buf, l)
		if !errors.Is(err, ErrUnsupportedScript) {
			t.Errorf("Language %q: err = %v, want ErrUnsupportedScript", lang, err)
		}
		if buf.Len() != 0 {
			t.Errorf("Language %q: %d bytes written", lang, buf.Len())
		}
	}
	for _, lang := range []string{"en", "en-GB", "cy", "pl", "vi", "pa", ""} {
		l := oneLetter()
		l.Language = lang
		if err := Render(&bytes.Buffer{}, l); err != nil {
			t.Errorf("Language %q: %v", lang, err)
		}
	}
	// Right-to-left or unprintable text is refused whatever the language says.
	for _, body := range []string{"مرحبا", "שלום", "你好", "नमस्ते"} {
		l := oneLetter()
		l.Body = body
		if err := Render(&bytes.Buffer{}, l); !errors.Is(err, ErrUnsupportedScript) {
			t.Errorf("body %q: err = %v, want ErrUnsupportedScript", body, err)
		}
	}
	p := proof(1)
	p.Content = "سلام"
	if err := RenderProof(&bytes.Buffer{}, p); !errors.Is(err, ErrUnsupportedScript) {
		t.Errorf("proof: err = %v, want ErrUnsupportedScript", err)
	}
}

func TestRenderBadAddress(t *testing.T) {
	l := oneLetter()
	l.To = []string{"Ms Anna Müller", "London"}
	var buf bytes.Buffer
	err := Render(&buf, l)
	var ae *AddressError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *AddressError", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written for a rejected letter", buf.Len())
	}
}

func TestFormatPostcode(t *testing.T) {
	for in, want := range map[string]string{"sw1a1aa": "SW1A 1AA", " M1   1AE ": "M1 1AE", "ec1a 1bb": "EC1A 1BB", "FRANCE": "FRANCE"} {
		if got := formatPostcode(in); got != want {
			t.Errorf("formatPostcode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRenderLongAddressLineFitsWindow(t *testing.T) {
	l := oneLetter()
	l.To[1] = "FLAT 12 ABERCROMBIE HOUSE WESTMINSTER BRIDGE" // 44 capitals: too wide at 11 pt
	pdf := render(t, l)
	if !bytes.Contains(pdf, pdfText(l.To[1])) {
		t.Errorf("long line missing")
	}
	d := newDoc("", "", "")
	d.AddPage()
	if size := fitAddress(d, oneLetter().To); size != addressPt {
		t.Errorf("ordinary address set at %v pt, want %v", size, addressPt)
	}
	size := fitAddress(d, l.To)
	d.font("", size)
	if w := d.GetStringWidth(l.To[1]); size >= addressPt || w > windowW-2 {
		t.Errorf("wide address set at %v pt, %.1f mm wide; window is %v mm", size, w, windowW)
	}

	// 45 Ws pass CheckAddress but cannot fit the window at any size.
	l.To[1] = strings.Repeat("W", 45)
	var buf bytes.Buffer
	err := Render(&buf, l)
	var ae *AddressError
	if !errors.As(err, &ae) || ae.Line != 2 || buf.Len() != 0 {
		t.Errorf("Render = %v (%d bytes), want *AddressError for line 2 and no output", err, buf.Len())
	}
}

func TestRenderProof(t *testing.T) {
	p := proof(30)
	var buf bytes.Buffer
	if err := RenderProof(&buf, p); err != nil {
		t.Fatalf("RenderProof: %v", err)
	}
	pdf := buf.Bytes()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("output does not start with %%PDF-")
	}
	n := pageCount(t, pdf)
	if n < 2 {
		t.Errorf("%d pages, want at least 2 for 30 events", n)
	}
	for _, s := range []string{
		"Proof of service", "Nguyễn Văn An", "Deemed served: 25 November 2026",
		"Event 1:", "Event 30:", "Time", "Detail", "(indented line kept as sent)",
		fmt.Sprintf("Page %d of %d", n, n),
	} {
		if !bytes.Contains(pdf, pdfText(s)) {
			t.Errorf("PDF does not contain %q", s)
		}
	}
	var again bytes.Buffer
	if err := RenderProof(&again, p); err != nil || !bytes.Equal(pdf, again.Bytes()) {
		t.Errorf("RenderProof is not deterministic (err %v)", err)
	}
	golden(t, "proof-30-events.pdf", pdf)
}

func TestRenderProofLongContent(t *testing.T) {
	p := proof(0)
	p.Content = strings.Repeat("A line of a long message that was sent.\n", 200)
	var buf bytes.Buffer
	if err := RenderProof(&buf, p); err != nil {
		t.Fatal(err)
	}
	if n := pageCount(t, buf.Bytes()); n < 3 {
		t.Errorf("%d pages, want the content split over at least 3", n)
	}
	if c := bytes.Count(buf.Bytes(), pdfText("A line of a long message that was sent.")); c != 200 {
		t.Errorf("%d content lines printed, want 200", c)
	}
}

func TestParseBody(t *testing.T) {
	got := parseBody("Para one\ncontinues.\n\n# Head\n- b1\n  more\n- b2\n\nLast")
	want := []block{
		{blockPara, "Para one continues."},
		{blockHeading, "Head"},
		{blockBullet, "b1 more"},
		{blockBullet, "b2"},
		{blockPara, "Last"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("parseBody = %v, want %v", got, want)
	}
}

func BenchmarkRender(b *testing.B) {
	l := oneLetter()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, l); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
