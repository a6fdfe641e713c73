package web

import (
	"net/url"
	"testing"
)

// fullDate reads GOV.UK's three date boxes, or one field written
// YYYY-MM-DD, and says what is wrong, against the box to correct.
func TestFullDate(t *testing.T) {
	for _, tt := range []struct {
		name      string
		in        url.Values
		want      string // the date, or "" when none
		given     bool
		err, href string // the error, and the box it points to
	}{
		{name: "nothing", in: url.Values{}},
		{name: "blank boxes", in: url.Values{"d-day": {" "}, "d-month": {""}, "d-year": {""}}},
		{name: "boxes", in: url.Values{"d-day": {"5"}, "d-month": {"3"}, "d-year": {"2026"}}, want: "2026-03-05", given: true},
		{name: "padded boxes", in: url.Values{"d-day": {" 05 "}, "d-month": {"03"}, "d-year": {"2026"}}, want: "2026-03-05", given: true},
		{name: "one field", in: url.Values{"d": {"2026-12-31"}}, want: "2026-12-31", given: true},
		{name: "one field, not a date", in: url.Values{"d": {"31/12/2026"}}, given: true, err: "Start must be a real date", href: "d-day"},
		{name: "no day", in: url.Values{"d-month": {"3"}, "d-year": {"2026"}}, given: true, err: "Start must include a day", href: "d-day"},
		{name: "no month", in: url.Values{"d-day": {"5"}, "d-year": {"2026"}}, given: true, err: "Start must include a month", href: "d-month"},
		{name: "a year alone", in: url.Values{"d-year": {"2026"}}, given: true, err: "Start must include a day and month", href: "d-day"},
		{name: "no year", in: url.Values{"d-day": {"5"}, "d-month": {"3"}}, given: true, err: "Start must include a year", href: "d-year"},
		{name: "words", in: url.Values{"d-day": {"5"}, "d-month": {"March"}, "d-year": {"2026"}}, given: true, err: "Start must be a real date", href: "d-month"},
		{name: "negative", in: url.Values{"d-day": {"-5"}, "d-month": {"3"}, "d-year": {"2026"}}, given: true, err: "Start must be a real date", href: "d-day"},
		{name: "two-figure year", in: url.Values{"d-day": {"5"}, "d-month": {"3"}, "d-year": {"26"}}, given: true, err: "Year must include 4 numbers", href: "d-year"},
		{name: "30 February", in: url.Values{"d-day": {"30"}, "d-month": {"2"}, "d-year": {"2026"}}, given: true, err: "Start must be a real date", href: "d-day"},
		{name: "month 13", in: url.Values{"d-day": {"1"}, "d-month": {"13"}, "d-year": {"2026"}}, given: true, err: "Start must be a real date", href: "d-day"},
		{name: "29 February, leap year", in: url.Values{"d-day": {"29"}, "d-month": {"2"}, "d-year": {"2028"}}, want: "2028-02-29", given: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newForm(tt.in)
			d, given := fullDate(f, "d", "Start", 0)
			if given != tt.given {
				t.Errorf("given = %v, want %v", given, tt.given)
			}
			switch {
			case tt.want != "" && d.String() != tt.want:
				t.Errorf("date = %s, want %s", d, tt.want)
			case tt.want == "" && !d.IsZero():
				t.Errorf("date = %s, want none", d)
			}
			if got := f.Error("d"); got != tt.err {
				t.Errorf("error %q, want %q", got, tt.err)
			}
			if tt.err != "" && (len(f.Summary) != 1 || f.Summary[0].Href != "#"+tt.href) {
				t.Errorf("summary %+v, want one to #%s", f.Summary, tt.href)
			}
			if tt.err == "" && len(f.Summary) != 0 {
				t.Errorf("summary %+v, want none", f.Summary)
			}
		})
	}
	// A date given in one field is shown in the boxes.
	f := newForm(url.Values{"d": {"2026-12-31"}})
	fullDate(f, "d", "Start", 0)
	if f.Value("d-day") != "31" || f.Value("d-month") != "12" || f.Value("d-year") != "2026" {
		t.Errorf("boxes %q %q %q", f.Value("d-day"), f.Value("d-month"), f.Value("d-year"))
	}
}
