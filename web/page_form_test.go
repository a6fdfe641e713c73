package web

import (
	"net/url"
	"strings"
	"testing"

	"tether"
)

func TestDateInput(t *testing.T) {
	tests := []struct {
		day, month, year string
		want             tether.PartialDate
		err              string // the message, "" when accepted
		focus            string // the part the summary links to
	}{
		{want: tether.PartialDate{}},
		{year: "1990", want: tether.PartialDate{Year: 1990}},
		{month: "5", year: "1990", want: tether.PartialDate{Year: 1990, Month: 5}},
		{day: "7", month: "05", year: "1990", want: tether.PartialDate{Year: 1990, Month: 5, Day: 7}},
		{day: " 7 ", month: "5", year: " 1990", want: tether.PartialDate{Year: 1990, Month: 5, Day: 7}},
		{day: "7", month: "5", err: "Date of birth must include a year", focus: "dob-year"},
		{day: "7", year: "1990", err: "Date of birth must include a month", focus: "dob-month"},
		{day: "31", month: "2", year: "1990", err: "Date of birth must be a real date", focus: "dob-day"},
		{month: "13", year: "1990", err: "Date of birth must be a real date", focus: "dob-month"},
		{day: "x", month: "2", year: "1990", err: "Date of birth must be a real date", focus: "dob-day"},
		{year: "90", err: "Year must include 4 numbers", focus: "dob-year"},
		{year: "1066", err: "Date of birth must be a real date", focus: "dob-year"},
	}
	for _, tt := range tests {
		name := strings.Join([]string{tt.day, tt.month, tt.year}, "/")
		t.Run(name, func(t *testing.T) {
			f := newForm(url.Values{"dob-day": {tt.day}, "dob-month": {tt.month}, "dob-year": {tt.year}})
			got, ok := dateInput(f, "dob", "Date of birth", 0)
			if tt.err == "" {
				if !ok || got != tt.want {
					t.Fatalf("got %v, %v (errors %v), want %v", got, ok, f.Errors, tt.want)
				}
				return
			}
			if ok {
				t.Fatalf("accepted as %v, want %q", got, tt.err)
			}
			if f.Error("dob") != tt.err {
				t.Errorf("error %q, want %q", f.Error("dob"), tt.err)
			}
			if len(f.Summary) != 1 || f.Summary[0].Href != "#"+tt.focus {
				t.Errorf("summary %+v, want a link to #%s", f.Summary, tt.focus)
			}
			if !f.Invalid(tt.focus) {
				t.Errorf("%s is not shown in error", tt.focus)
			}
		})
	}
}

func TestPaginate(t *testing.T) {
	href := func(n int) string { return "/people?page=" + string(rune('0'+n)) }
	tests := []struct {
		page, total, shown int
		want               string // numbers, "…" for a gap, [n] for the current page
		first, last        int
	}{
		{page: 1, total: 0, shown: 0, want: ""},
		{page: 1, total: 25, shown: 25, want: "", first: 1, last: 25},
		{page: 1, total: 60, shown: 25, want: "[1] 2 3", first: 1, last: 25},
		{page: 3, total: 60, shown: 10, want: "1 2 [3]", first: 51, last: 60},
		{page: 5, total: 225, shown: 25, want: "1 … 4 [5] 6 … 9", first: 101, last: 125},
	}
	for _, tt := range tests {
		pg := paginate(tt.page, tt.total, tt.shown, href)
		var parts []string
		for _, it := range pg.Items {
			switch {
			case it.Ellipsis:
				parts = append(parts, "…")
			case it.Current:
				parts = append(parts, "["+string(rune('0'+it.Number))+"]")
			default:
				parts = append(parts, string(rune('0'+it.Number)))
			}
		}
		if got := strings.Join(parts, " "); got != tt.want || pg.First != tt.first || pg.Last != tt.last {
			t.Errorf("paginate(%d, %d, %d) = %q %d-%d, want %q %d-%d", tt.page, tt.total, tt.shown, got, pg.First, pg.Last, tt.want, tt.first, tt.last)
		}
		if tt.page > 1 && pg.Items != nil && pg.Prev == "" {
			t.Errorf("page %d has no previous link", tt.page)
		}
	}
}

// TestErrorText checks how domain reasons become GOV.UK error messages.
func TestErrorText(t *testing.T) {
	spec := fieldSpec{Label: "Postcode"}
	for reason, want := range map[string]string{
		"enter a real postcode, like SW1A 1AA": "Enter a real postcode, like SW1A 1AA",
		"must be 100 characters or fewer":      "Postcode must be 100 characters or fewer",
	} {
		if got := errorText(spec, reason); got != want {
			t.Errorf("errorText(%q) = %q, want %q", reason, got, want)
		}
	}
	req := fieldSpec{Label: "Kind", Required: "Select the kind of contact point"}
	if got := errorText(req, "must be one of postal, email"); got != req.Required {
		t.Errorf("required field: got %q", got)
	}
}

// TestDomainErrorsKeepEveryReason: a reason for a field the form does not
// show still reaches the error summary.
func TestDomainErrorsKeepEveryReason(t *testing.T) {
	f := newForm(nil)
	err := tether.Problems{"address.postcode": "enter a real postcode, like SW1A 1AA", "other_names[0].kind": "must be alias or other_script"}.Err()
	f.addDomainErrors(err, contactFields(tether.KindPostal), "kind")
	if len(f.Summary) != 2 {
		t.Fatalf("summary %+v, want 2 entries", f.Summary)
	}
	if f.Summary[0].Href != "#address_postcode" || f.Summary[1].Href != "#kind" {
		t.Errorf("summary links %+v", f.Summary)
	}
}
