package calendar

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

const sample = `{
 "england-and-wales": {"division": "england-and-wales", "events": [
  {"title": "Christmas Day", "date": "2030-12-25", "notes": "", "bunting": true},
  {"title": "New Year’s Day", "date": "2030-01-01", "notes": "", "bunting": true},
  {"title": "Boxing Day", "date": "2030-12-26", "notes": "", "bunting": true, "future": "ignored"}]},
 "scotland": {"division": "scotland", "events": [
  {"title": "St Andrew’s Day", "date": "2030-12-02", "notes": "Substitute day", "bunting": true}]}
}`

func TestParseGovUK(t *testing.T) {
	h, err := ParseGovUK([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Divisions(); !slices.Equal(got, []string{EnglandAndWales, Scotland}) {
		t.Errorf("divisions = %v", got)
	}
	ev := h.Events(EnglandAndWales)
	if len(ev) != 3 || ev[0].Date != (Date{2030, 1, 1}) || ev[2].Title != "Boxing Day" {
		t.Errorf("events not sorted by date: %v", ev)
	}
	if title, ok := h.IsHoliday(Scotland, Date{2030, 12, 2}); !ok || title != "St Andrew’s Day" {
		t.Errorf("IsHoliday = %q, %v", title, ok)
	}
	if _, ok := h.IsHoliday(NorthernIreland, Date{2030, 12, 25}); ok {
		t.Error("no data for Northern Ireland, so no holidays there")
	}
	if _, ok := h.IsHoliday("wales", Date{2030, 12, 25}); ok {
		t.Error("unknown division has no holidays")
	}
	if !h.Events(Scotland)[0].Substitute() || h.Events(EnglandAndWales)[0].Substitute() {
		t.Error("Substitute() reads the notes")
	}
	if got := h.Years(Scotland); !slices.Equal(got, []int{2030}) {
		t.Errorf("years = %v", got)
	}
	// Results are copies: changing them leaves h alone.
	ev[0].Title = "changed"
	h.Years(EnglandAndWales)[0] = 1
	if h.Events(EnglandAndWales)[0].Title != "New Year’s Day" || h.Years(EnglandAndWales)[0] != 2030 {
		t.Error("Events and Years must return copies")
	}
}

func TestParseGovUKErrors(t *testing.T) {
	ev := func(title, date string) string {
		return `{"title": "` + title + `", "date": "` + date + `", "notes": "", "bunting": true}`
	}
	div := func(name string, events ...string) string {
		return `"` + name + `": {"division": "` + name + `", "events": [` + strings.Join(events, ",") + `]}`
	}
	tests := []struct {
		name, data string
		want       []string // all must appear in the error
	}{
		{"empty", ``, []string{"not JSON"}},
		{"array", `[]`, []string{"JSON object"}},
		{"null", `null`, []string{"JSON object"}},
		{"no divisions", `{}`, []string{"no divisions"}},
		{"unknown division", `{` + div("wales", ev("Christmas Day", "2030-12-25")) + `}`, []string{`unknown division "wales"`}},
		{"division twice", `{` + div("scotland") + `,` + div("scotland") + `}`, []string{`"scotland" appears twice`}},
		{"division field disagrees", `{"scotland": {"division": "england-and-wales", "events": []}}`, []string{"scotland", `"england-and-wales"`}},
		{"no events", `{"scotland": {"division": "scotland"}}`, []string{"scotland", `no "events"`}},
		{"events not a list", `{"scotland": {"events": {}}}`, []string{"scotland"}},
		{"bad date", `{` + div("scotland", ev("2nd January", "2030-01-02"), ev("St Andrew’s Day", "2030-11-31")) + `}`,
			[]string{"scotland", "event 2 of 2", "St Andrew’s Day", `"2030-11-31"`, "30 days"}},
		{"date format", `{` + div("northern-ireland", ev("St Patrick’s Day", "17/03/2030")) + `}`,
			[]string{"northern-ireland", "event 1 of 1", "YYYY-MM-DD"}},
		{"date with time", `{` + div("northern-ireland", ev("St Patrick’s Day", "2030-03-17T00:00:00Z")) + `}`,
			[]string{"northern-ireland", "YYYY-MM-DD"}},
		{"leap day", `{` + div(EnglandAndWales, ev("Made up", "2030-02-29")) + `}`, []string{"February 2030 has 28 days"}},
		{"date not a string", `{"scotland": {"events": [{"title": "x", "date": 20301225}]}}`, []string{"scotland"}},
		{"no title", `{` + div("scotland", ev(" ", "2030-01-02")) + `}`, []string{"scotland", "event 1 of 1", "no title"}},
		{"same date twice", `{` + div(EnglandAndWales, ev("Christmas Day", "2030-12-25"), ev("Also Christmas", "2030-12-25")) + `}`,
			[]string{"england-and-wales", "event 2 of 2", "already event 1"}},
		{"trailing data", `{` + div("scotland") + `} {}`, []string{"after the JSON"}},
		{"truncated", `{` + div("scotland", ev("2nd January", "2030-01-02")), []string{"not JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ParseGovUK([]byte(tt.data))
			if err == nil {
				t.Fatalf("no error; got %v", h.Divisions())
			}
			if h != nil {
				t.Error("a failed parse should return nil")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestMarshalJSONRoundTrip(t *testing.T) {
	h := Default()
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseGovUK(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, div := range Divisions() {
		if !slices.Equal(back.Events(div), h.Events(div)) {
			t.Errorf("%s: events differ after a round trip", div)
		}
	}
	if !strings.Contains(string(b), `"date":"2025-12-25"`) {
		t.Errorf("dates should be written YYYY-MM-DD: %.200s", b)
	}
}

func TestMerge(t *testing.T) {
	old := Default()
	// A newer list for England and Wales only, that moves 2027's Spring bank
	// holiday and adds 2028.
	newer, err := ParseGovUK([]byte(`{"england-and-wales": {"division": "england-and-wales", "events": [
		{"title": "Spring bank holiday", "date": "2027-06-01", "notes": "", "bunting": true},
		{"title": "Extra bank holiday", "date": "2027-06-02", "notes": "", "bunting": true},
		{"title": "New Year’s Day", "date": "2028-01-03", "notes": "Substitute day", "bunting": true}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := old.Merge(newer)
	if m == old || m == newer {
		t.Fatal("Merge must return a new set")
	}
	if got := m.Years(EnglandAndWales); got[0] != 2018 || got[len(got)-1] != 2028 {
		t.Errorf("years = %v", got)
	}
	// 2027 is replaced wholesale by the newer list.
	var y2027 []string
	for _, e := range m.Events(EnglandAndWales) {
		if e.Date.Year == 2027 {
			y2027 = append(y2027, e.Date.String())
		}
	}
	if !slices.Equal(y2027, []string{"2027-06-01", "2027-06-02"}) {
		t.Errorf("2027 = %v", y2027)
	}
	if _, ok := m.IsHoliday(EnglandAndWales, Date{2027, 5, 31}); ok {
		t.Error("the old date of a moved holiday must not linger")
	}
	// Other years and divisions are kept.
	if _, ok := m.IsHoliday(EnglandAndWales, Date{2026, 12, 28}); !ok {
		t.Error("2026 should be kept")
	}
	if !slices.Equal(m.Events(Scotland), old.Events(Scotland)) {
		t.Error("Scotland should be kept")
	}
	// Neither input changed.
	if _, ok := old.IsHoliday(EnglandAndWales, Date{2027, 5, 31}); !ok {
		t.Error("Merge changed its receiver")
	}
	if len(newer.Events(EnglandAndWales)) != 3 || newer.Divisions()[0] != EnglandAndWales || len(newer.Divisions()) != 1 {
		t.Error("Merge changed its argument")
	}
	// Working days see the merge.
	c, _ := m.For(EnglandAndWales)
	if c.IsWorkingDay(Date{2027, 6, 1}) || !c.IsWorkingDay(Date{2027, 5, 31}) {
		t.Error("calendar of the merged set is wrong")
	}
	// nil on either side.
	var none *Holidays
	if got := none.Merge(newer).Events(EnglandAndWales); !slices.Equal(got, newer.Events(EnglandAndWales)) {
		t.Error("nil.Merge(x) should be x")
	}
	if got := old.Merge(nil).Events(Scotland); !slices.Equal(got, old.Events(Scotland)) {
		t.Error("x.Merge(nil) should be x")
	}
}

func TestFor(t *testing.T) {
	for _, div := range Divisions() {
		c, err := Default().For(div)
		if err != nil || c.Division() != div {
			t.Errorf("For(%s) = %v, %v", div, c.Division(), err)
		}
	}
	if _, err := Default().For("wales"); err == nil || !strings.Contains(err.Error(), `"wales"`) {
		t.Errorf("For(wales) error = %v", err)
	}
	h, _ := ParseGovUK([]byte(sample))
	if _, err := h.For(NorthernIreland); err == nil || !strings.Contains(err.Error(), "Northern Ireland") {
		t.Errorf("For a division with no data: error = %v", err)
	}
	var none *Holidays
	if _, err := none.For(Scotland); err == nil {
		t.Error("nil Holidays has no calendars")
	}
	if none.Divisions() != nil || none.Events(Scotland) != nil || none.Years(Scotland) != nil {
		t.Error("nil Holidays is empty")
	}
}

func TestDivisions(t *testing.T) {
	for _, d := range Divisions() {
		if !ValidDivision(d) || DivisionName(d) == "" {
			t.Errorf("%s", d)
		}
	}
	for _, d := range []string{"", "wales", "England-and-Wales", "england_and_wales", "uk"} {
		if ValidDivision(d) || DivisionName(d) != "" {
			t.Errorf("%q should not be a division", d)
		}
	}
	if DivisionName(EnglandAndWales) != "England and Wales" {
		t.Error(DivisionName(EnglandAndWales))
	}
}

// FuzzParseGovUK checks that ParseGovUK never panics, and that whatever it
// accepts survives a round trip through MarshalJSON.
func FuzzParseGovUK(f *testing.F) {
	f.Add([]byte(sample))
	f.Add(embedded)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"scotland": {"events": [{"title": "x", "date": "2030-02-29"}]}}`))
	f.Add([]byte(`{"scotland": null}`))
	f.Add([]byte(`{"scotland": {"events": []}, "scotland": {"events": []}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ParseGovUK(data)
		if err != nil {
			if h != nil {
				t.Fatal("error with a result")
			}
			return
		}
		b, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseGovUK(b)
		if err != nil {
			t.Fatalf("cannot read back %s: %v", b, err)
		}
		for _, div := range Divisions() {
			if !slices.Equal(back.Events(div), h.Events(div)) {
				t.Fatalf("%s differs after a round trip", div)
			}
			if c, err := h.For(div); err == nil {
				for _, e := range h.Events(div) {
					_ = c.AddWorkingDays(e.Date, 3)
					_ = c.Explain(e.Date, 2, "", "").String()
				}
			}
		}
	})
}
