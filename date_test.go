package tether

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParsePartialDate(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    PartialDate
		wantErr bool
	}{
		{"", PartialDate{}, false},
		{"1990", PartialDate{Year: 1990}, false},
		{"1990-05", PartialDate{Year: 1990, Month: 5}, false},
		{"1990-05-17", PartialDate{1990, 5, 17}, false},
		{"17/05/1990", PartialDate{1990, 5, 17}, false},
		{" 2000-02-29 ", PartialDate{2000, 2, 29}, false},
		{"1900-02-29", PartialDate{}, true}, // not a leap year
		{"1990-13", PartialDate{}, true},
		{"1990-00-10", PartialDate{}, true},
		{"1990-04-31", PartialDate{}, true},
		{"90-05-17", PartialDate{}, true},
		{"1990-5-17", PartialDate{}, true},
		{"1800", PartialDate{}, true},
		{"abcd", PartialDate{}, true},
		{"1990-05-17-01", PartialDate{}, true},
		{"-990", PartialDate{}, true},
	} {
		got, err := ParsePartialDate(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParsePartialDate(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestPartialDateRules(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		d                PartialDate
		str, display     string
		future           bool
		matches1990May17 bool
	}{
		{PartialDate{}, "", "Unknown", false, true},
		{PartialDate{Year: 1990}, "1990", "1990", false, true},
		{PartialDate{Year: 1990, Month: 5}, "1990-05", "May 1990", false, true},
		{PartialDate{Year: 1990, Month: 6}, "1990-06", "June 1990", false, false},
		{PartialDate{1990, 5, 17}, "1990-05-17", "17 May 1990", false, true},
		{PartialDate{1990, 5, 18}, "1990-05-18", "18 May 1990", false, false},
		{PartialDate{Year: 1991}, "1991", "1991", false, false},
		{PartialDate{2026, 3, 2}, "2026-03-02", "2 March 2026", false, false},
		{PartialDate{2026, 3, 3}, "2026-03-03", "3 March 2026", true, false},
		{PartialDate{Year: 2026, Month: 3}, "2026-03", "March 2026", false, false},
		{PartialDate{Year: 2026, Month: 4}, "2026-04", "April 2026", true, false},
		{PartialDate{Year: 2027}, "2027", "2027", true, false},
	} {
		if got := tc.d.String(); got != tc.str {
			t.Errorf("%v.String() = %q, want %q", tc.d, got, tc.str)
		}
		if got := tc.d.Display(); got != tc.display {
			t.Errorf("%v.Display() = %q, want %q", tc.d, got, tc.display)
		}
		if got := tc.d.InFuture(now); got != tc.future {
			t.Errorf("%v.InFuture = %v, want %v", tc.d, got, tc.future)
		}
		if got := tc.d.Matches(PartialDate{1990, 5, 17}); got != tc.matches1990May17 {
			t.Errorf("%v.Matches(1990-05-17) = %v, want %v", tc.d, got, tc.matches1990May17)
		}
	}
}

func TestPartialDateJSON(t *testing.T) {
	var v struct {
		D PartialDate `json:"d"`
	}
	if err := json.Unmarshal([]byte(`{"d":"1990-05"}`), &v); err != nil || v.D != (PartialDate{Year: 1990, Month: 5}) {
		t.Fatalf("unmarshal = %v, %v", v.D, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"d":"1990-05"}` {
		t.Errorf("marshal = %s", b)
	}
	for _, bad := range []string{`{"d":1990}`, `{"d":"1990-13"}`, `{"d":true}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("unmarshal %s: want an error", bad)
		}
	}
	if err := json.Unmarshal([]byte(`{"d":null}`), &v); err != nil || !v.D.IsZero() {
		t.Errorf("null: %v, %v", v.D, err)
	}
}
