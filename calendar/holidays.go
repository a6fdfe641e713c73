package calendar

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// The UK's bank-holiday divisions, named as in the GOV.UK list.
const (
	EnglandAndWales = "england-and-wales"
	Scotland        = "scotland"
	NorthernIreland = "northern-ireland"
)

// Divisions returns the three divisions in the order GOV.UK lists them.
func Divisions() []string { return []string{EnglandAndWales, Scotland, NorthernIreland} }

// ValidDivision reports whether s is one of EnglandAndWales, Scotland and
// NorthernIreland.
func ValidDivision(s string) bool {
	switch s {
	case EnglandAndWales, Scotland, NorthernIreland:
		return true
	}
	return false
}

// DivisionName returns the name of a division for people to read, such as
// "England and Wales", or "" if div is not a division.
func DivisionName(div string) string {
	switch div {
	case EnglandAndWales:
		return "England and Wales"
	case Scotland:
		return "Scotland"
	case NorthernIreland:
		return "Northern Ireland"
	}
	return ""
}

// Event is one bank holiday of one division, as GOV.UK lists it. Its Date is
// the day that is taken off: for a substitute day, the weekday the holiday
// moved to.
type Event struct {
	Title   string `json:"title"`
	Date    Date   `json:"date"`
	Notes   string `json:"notes"`
	Bunting bool   `json:"bunting"`
}

// Substitute reports whether the event is a substitute day for a holiday that
// fell at a weekend (GOV.UK notes it "Substitute day").
func (e Event) Substitute() bool {
	return strings.Contains(strings.ToLower(e.Notes), "substitute")
}

// Holidays is a set of bank holidays for each division, built from data
// (ParseGovUK, Default) and never changed afterwards, so one value may be
// shared by any number of goroutines. The nil *Holidays holds no holidays.
type Holidays struct {
	divs map[string]*division
}

// division is the holidays of one division, indexed for fast look-ups.
type division struct {
	events   []Event      // sorted by date; no two on one date
	byDate   map[Date]int // index into events
	weekdays []int        // sorted day numbers (Date.days) of events on Monday to Friday
	years    []int        // sorted, distinct
}

// newDivision indexes events, which must be sorted by date with no two on one
// date.
func newDivision(events []Event) *division {
	d := &division{events: events, byDate: make(map[Date]int, len(events))}
	for i, e := range events {
		d.byDate[e.Date] = i
		if wd := e.Date.Weekday(); wd >= 1 && wd <= 5 {
			d.weekdays = append(d.weekdays, e.Date.days())
		}
		if n := len(d.years); n == 0 || d.years[n-1] != e.Date.Year {
			d.years = append(d.years, e.Date.Year)
		}
	}
	return d
}

// event returns the holiday on date t, if there is one.
func (d *division) event(t Date) (Event, bool) {
	if d == nil {
		return Event{}, false
	}
	i, ok := d.byDate[t]
	if !ok {
		return Event{}, false
	}
	return d.events[i], true
}

// weekdayHolidaysUpTo returns how many of the division's holidays that fall
// on a weekday are on or before day number n.
func (d *division) weekdayHolidaysUpTo(n int) int {
	if d == nil {
		return 0
	}
	i, found := slices.BinarySearch(d.weekdays, n)
	if found {
		i++
	}
	return i
}

// covers reports whether the division has any holiday in year y.
func (d *division) covers(y int) bool {
	if d == nil {
		return false
	}
	_, ok := slices.BinarySearch(d.years, y)
	return ok
}

//go:embed data/bank-holidays.json
var embedded []byte

var parseDefault = sync.OnceValue(func() *Holidays {
	h, err := ParseGovUK(embedded)
	if err != nil {
		panic("calendar: the embedded data/bank-holidays.json is broken: " + err.Error())
	}
	return h
})

// Default returns the bank holidays shipped with Tether in
// data/bank-holidays.json: a copy of the GOV.UK list covering 2018 to 2027
// for every division. It is parsed once, on first use. Newer lists loaded by
// an operator are combined with it using Merge.
func Default() *Holidays { return parseDefault() }

// ParseGovUK reads the bank holidays published at
// https://www.gov.uk/bank-holidays.json:
//
//	{"england-and-wales": {"division": "england-and-wales", "events": [
//	    {"title": "New Year’s Day", "date": "2025-01-01", "notes": "", "bunting": true}, ...]},
//	 "scotland": {...}, "northern-ireland": {...}}
//
// It checks the data strictly and says where a problem is: an unknown or
// repeated division, a "division" field that disagrees with its key, a
// missing events list, an event with no title, a date that is not a real
// YYYY-MM-DD date, and two events on the same date in one division are all
// errors. A list may hold fewer than three divisions (for Merge), but not
// none. Fields it does not know are ignored, so that GOV.UK may add some.
func ParseGovUK(data []byte) (*Holidays, error) {
	fail := func(format string, args ...any) (*Holidays, error) {
		return nil, fmt.Errorf("bank holidays: "+format, args...)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return fail("not JSON: %v", err)
	}
	if tok != json.Delim('{') {
		return fail("want a JSON object with one member for each division")
	}
	h := &Holidays{divs: map[string]*division{}}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail("not JSON: %v", err)
		}
		key, _ := tok.(string)
		if !ValidDivision(key) {
			return fail("unknown division %q: want england-and-wales, scotland or northern-ireland", key)
		}
		if _, dup := h.divs[key]; dup {
			return fail("division %q appears twice", key)
		}
		var raw struct {
			Division *string `json:"division"`
			Events   *[]struct {
				Title   string `json:"title"`
				Date    string `json:"date"`
				Notes   string `json:"notes"`
				Bunting bool   `json:"bunting"`
			} `json:"events"`
		}
		if err := dec.Decode(&raw); err != nil {
			return fail("%s: %v", key, err)
		}
		if raw.Division != nil && *raw.Division != key {
			return fail("%s: its \"division\" field says %q", key, *raw.Division)
		}
		if raw.Events == nil {
			return fail("%s: no \"events\" list", key)
		}
		events := make([]Event, 0, len(*raw.Events))
		seen := make(map[Date]int, len(*raw.Events))
		for i, re := range *raw.Events {
			where := fmt.Sprintf("%s, event %d of %d", key, i+1, len(*raw.Events))
			if strings.TrimSpace(re.Title) == "" {
				return fail("%s (date %q): no title", where, re.Date)
			}
			where += fmt.Sprintf(" (%q)", re.Title)
			d, err := ParseDate(re.Date)
			if err != nil {
				return fail("%s: %v", where, err)
			}
			if j, dup := seen[d]; dup {
				return fail("%s: %s is already event %d", where, d, j+1)
			}
			seen[d] = i
			events = append(events, Event{Title: re.Title, Date: d, Notes: re.Notes, Bunting: re.Bunting})
		}
		slices.SortFunc(events, func(a, b Event) int { return a.Date.Compare(b.Date) })
		h.divs[key] = newDivision(events)
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return fail("not JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fail("unexpected data after the JSON object")
	}
	if len(h.divs) == 0 {
		return fail("no divisions")
	}
	return h, nil
}

// MarshalJSON writes the holidays in the GOV.UK format that ParseGovUK reads,
// so that a merged set can be stored and read back.
func (h *Holidays) MarshalJSON() ([]byte, error) {
	type div struct {
		Division string  `json:"division"`
		Events   []Event `json:"events"`
	}
	out := map[string]div{}
	for _, name := range h.Divisions() {
		out[name] = div{Division: name, Events: h.Events(name)}
	}
	return json.Marshal(out)
}

// Divisions returns the divisions h holds holidays for, in GOV.UK's order.
func (h *Holidays) Divisions() []string {
	var out []string
	for _, div := range Divisions() {
		if h != nil && h.divs[div] != nil {
			out = append(out, div)
		}
	}
	return out
}

// Merge returns a new set: h with other laid over it. For each division and
// each year that other lists any holiday in, other's holidays for that year
// replace h's; years other does not list are kept from h. Replacing whole
// years (rather than adding dates) means a newer list can move a holiday, as
// happened to the Early May bank holiday in 2020, without the old date
// lingering. Neither h nor other changes; either may be nil.
func (h *Holidays) Merge(other *Holidays) *Holidays {
	out := &Holidays{divs: map[string]*division{}}
	for _, name := range Divisions() {
		var mine, theirs *division
		if h != nil {
			mine = h.divs[name]
		}
		if other != nil {
			theirs = other.divs[name]
		}
		if mine == nil && theirs == nil {
			continue
		}
		var events []Event
		if mine != nil {
			for _, e := range mine.events {
				if !theirs.covers(e.Date.Year) {
					events = append(events, e)
				}
			}
		}
		if theirs != nil {
			events = append(events, theirs.events...)
		}
		slices.SortFunc(events, func(a, b Event) int { return a.Date.Compare(b.Date) })
		out.divs[name] = newDivision(events)
	}
	return out
}

// IsHoliday reports whether d is a bank holiday in division div, and if so
// its title. It is false for a division h has no data for.
func (h *Holidays) IsHoliday(div string, d Date) (title string, ok bool) {
	e, ok := h.div(div).event(d)
	return e.Title, ok
}

// Years returns, in order, the years in which h lists at least one holiday
// for division div: the years its data covers. Working-day sums that reach
// outside these years skip weekends only.
func (h *Holidays) Years(div string) []int {
	if d := h.div(div); d != nil {
		return slices.Clone(d.years)
	}
	return nil
}

// Events returns the holidays of division div in date order.
func (h *Holidays) Events(div string) []Event {
	if d := h.div(div); d != nil {
		return slices.Clone(d.events)
	}
	return nil
}

// For returns the working-day calendar of division div. It fails if div is
// not a division or h has no holidays for it.
func (h *Holidays) For(div string) (Calendar, error) {
	if !ValidDivision(div) {
		return Calendar{}, fmt.Errorf("calendar: unknown division %q: want england-and-wales, scotland or northern-ireland", div)
	}
	d := h.div(div)
	if d == nil {
		return Calendar{}, fmt.Errorf("calendar: no bank holidays are loaded for %s", DivisionName(div))
	}
	return Calendar{div: div, d: d}, nil
}

func (h *Holidays) div(name string) *division {
	if h == nil {
		return nil
	}
	return h.divs[name]
}
