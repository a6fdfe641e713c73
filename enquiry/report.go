package enquiry

import (
	"encoding/csv"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"tether"
)

// Bands of working days, as the published figures use them. Each band
// includes its upper bound: 20_30 is more than 20 and at most 30.
const (
	BandWithin      = "within"   // answered within the standard
	BandUpTo20      = "up_to_20" // late, but within 20 working days (urgent and compassionate)
	Band20To30      = "20_30"
	Band30To40      = "30_40"
	Band40To50      = "40_50"
	BandOver50      = "over_50"
	BandOutstanding = "outstanding" // not answered, and past the standard
)

// AgeBand is the band of an age in working days.
func AgeBand(days int) string {
	switch {
	case days <= 20:
		return BandUpTo20
	case days <= 30:
		return Band20To30
	case days <= 40:
		return Band30To40
	case days <= 50:
		return Band40To50
	}
	return BandOver50
}

// LateBand is the band of an answer that took days working days under a
// standard of standardDays: BandWithin when it met it, else the band of
// its age.
func LateBand(days, standardDays int) string {
	if days <= standardDays {
		return BandWithin
	}
	return AgeBand(days)
}

// Month is the month of a date, YYYY-MM, by which the figures count.
func Month(date string) string {
	if len(date) < 7 {
		return ""
	}
	return date[:7]
}

// MaxReportMonths is the most months one report covers.
const MaxReportMonths = 36

// ReportFilter selects the figures: the months of receipt From to To
// (YYYY-MM, inclusive), and optionally one team, category or urgency.
type ReportFilter struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Team     string `json:"team,omitempty"`
	Category string `json:"category,omitempty"`
	Urgency  string `json:"urgency,omitempty"`
}

// parseMonth reads YYYY-MM.
func parseMonth(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01", s)
	return t, err == nil && len(s) == 7
}

// Validate checks the filter; an empty From and To are the twelve months
// up to and including the month of today (YYYY-MM-DD).
func (f *ReportFilter) Validate(today string) error {
	q := tether.Problems{}
	if f.From == "" && f.To == "" && len(today) >= 7 {
		to, _ := parseMonth(Month(today))
		f.To, f.From = to.Format("2006-01"), to.AddDate(0, -11, 0).Format("2006-01")
	}
	from, okFrom := parseMonth(f.From)
	to, okTo := parseMonth(f.To)
	if !okFrom {
		q.Add("from", "must be a month, YYYY-MM")
	}
	if !okTo {
		q.Add("to", "must be a month, YYYY-MM")
	}
	if okFrom && okTo {
		if to.Before(from) {
			q.Add("to", "must be the same month as from or later")
		} else if months := (to.Year()-from.Year())*12 + int(to.Month()-from.Month()) + 1; months > MaxReportMonths {
			q.Add("to", "a report covers at most "+strconv.Itoa(MaxReportMonths)+" months")
		}
	}
	if f.Team != "" && !validKey(f.Team) {
		q.Add("team", "must be a team's key")
	}
	if f.Category != "" && !slices.Contains(Categories, f.Category) {
		q.Add("category", "must be one of "+strings.Join(Categories, ", "))
	}
	if f.Urgency != "" && !slices.Contains(Urgencies, f.Urgency) {
		q.Add("urgency", "must be one of "+strings.Join(Urgencies, ", "))
	}
	return q.Err()
}

// AgeBands counts open enquiries by their age in working days.
type AgeBands struct {
	UpTo20 int `json:"up_to_20"`
	To30   int `json:"20_30"`
	To40   int `json:"30_40"`
	To50   int `json:"40_50"`
	Over50 int `json:"over_50"`
}

func (b *AgeBands) add(band string, n int) {
	switch band {
	case BandUpTo20:
		b.UpTo20 += n
	case Band20To30:
		b.To30 += n
	case Band30To40:
		b.To40 += n
	case Band40To50:
		b.To50 += n
	case BandOver50:
		b.Over50 += n
	}
}

func (b *AgeBands) plus(o AgeBands) {
	b.UpTo20 += o.UpTo20
	b.To30 += o.To30
	b.To40 += o.To40
	b.To50 += o.To50
	b.Over50 += o.Over50
}

// LateBands counts late replies by the working days they took, and the
// enquiries past their standard still outstanding.
type LateBands struct {
	UpTo20      int `json:"up_to_20"`
	To30        int `json:"20_30"`
	To40        int `json:"30_40"`
	To50        int `json:"40_50"`
	Over50      int `json:"over_50"`
	Outstanding int `json:"outstanding"`
}

func (b *LateBands) add(band string, n int) {
	switch band {
	case BandUpTo20:
		b.UpTo20 += n
	case Band20To30:
		b.To30 += n
	case Band30To40:
		b.To40 += n
	case Band40To50:
		b.To50 += n
	case BandOver50:
		b.Over50 += n
	case BandOutstanding:
		b.Outstanding += n
	}
}

func (b *LateBands) plus(o LateBands) {
	b.UpTo20 += o.UpTo20
	b.To30 += o.To30
	b.To40 += o.To40
	b.To50 += o.To50
	b.Over50 += o.Over50
	b.Outstanding += o.Outstanding
}

// Total is every late reply and outstanding enquiry.
func (b LateBands) Total() int { return b.UpTo20 + b.To30 + b.To40 + b.To50 + b.Over50 + b.Outstanding }

// ReportRow is the figures for the enquiries received in one month by one
// team, of one category and urgency: how many were received; how many of
// those have been answered, and within the standard, and the share that
// makes of those answered; how many are still open, by age; and the late
// replies and the enquiries still outstanding past the standard, in the
// bands of the published figures.
type ReportRow struct {
	Month          string    `json:"month"`
	Team           string    `json:"team"`
	Category       string    `json:"category"`
	Urgency        string    `json:"urgency"`
	Received       int       `json:"received"`
	Answered       int       `json:"answered"`
	AnsweredWithin int       `json:"answered_within_standard"`
	ShareWithin    float64   `json:"share_within_standard"` // of those answered, 0 to 1
	Open           int       `json:"open"`
	OpenByAge      AgeBands  `json:"open_by_age"`
	Late           LateBands `json:"late"`
}

// Report is the performance report: a row per month of receipt, team,
// category and urgency with any enquiries, in that order, and the totals.
// Ages and outstanding enquiries are as at AsOf.
type Report struct {
	From   string      `json:"from"`
	To     string      `json:"to"`
	AsOf   string      `json:"as_of"`
	Rows   []ReportRow `json:"rows"`
	Totals ReportRow   `json:"totals"`
}

// ReportBuilder adds up the figures a store reads, group by group.
type ReportBuilder struct {
	r    Report
	rows map[[4]string]*ReportRow
}

// NewReportBuilder starts a report for the filter as at asOf (YYYY-MM-DD).
func NewReportBuilder(f ReportFilter, asOf string) *ReportBuilder {
	return &ReportBuilder{r: Report{From: f.From, To: f.To, AsOf: asOf}, rows: map[[4]string]*ReportRow{}}
}

func (b *ReportBuilder) row(month, team, category, urgency string) *ReportRow {
	k := [4]string{month, team, category, urgency}
	r := b.rows[k]
	if r == nil {
		r = &ReportRow{Month: month, Team: team, Category: category, Urgency: urgency}
		b.rows[k] = r
	}
	return r
}

// AddReceived counts n enquiries received in the month whose answer is in
// the late band band ("" for not yet answered).
func (b *ReportBuilder) AddReceived(month, team, category, urgency, band string, n int) {
	r := b.row(month, team, category, urgency)
	r.Received += n
	if band == "" {
		return
	}
	r.Answered += n
	if band == BandWithin {
		r.AnsweredWithin += n
	} else {
		r.Late.add(band, n)
	}
}

// AddOpen counts n open enquiries received in the month, ageDays working
// days old, past their standard when outstanding.
func (b *ReportBuilder) AddOpen(month, team, category, urgency string, ageDays int, outstanding bool, n int) {
	r := b.row(month, team, category, urgency)
	r.Open += n
	r.OpenByAge.add(AgeBand(ageDays), n)
	if outstanding {
		r.Late.add(BandOutstanding, n)
	}
}

// Report sorts the rows, works out the shares and adds up the totals.
func (b *ReportBuilder) Report() Report {
	r := b.r
	r.Rows = make([]ReportRow, 0, len(b.rows))
	for _, row := range b.rows {
		row.ShareWithin = share(row.AnsweredWithin, row.Answered)
		r.Rows = append(r.Rows, *row)
	}
	slices.SortFunc(r.Rows, func(a, c ReportRow) int {
		for _, p := range [][2]string{{a.Month, c.Month}, {a.Team, c.Team}, {a.Category, c.Category}} {
			if n := strings.Compare(p[0], p[1]); n != 0 {
				return n
			}
		}
		return slices.Index(Urgencies, a.Urgency) - slices.Index(Urgencies, c.Urgency)
	})
	t := &r.Totals
	t.Month = "total"
	for _, row := range r.Rows {
		t.Received += row.Received
		t.Answered += row.Answered
		t.AnsweredWithin += row.AnsweredWithin
		t.Open += row.Open
		t.OpenByAge.plus(row.OpenByAge)
		t.Late.plus(row.Late)
	}
	t.ShareWithin = share(t.AnsweredWithin, t.Answered)
	return r
}

// share is n of d, rounded to 3 places; 0 when d is 0.
func share(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return math.Round(float64(n)/float64(d)*1000) / 1000
}

// CSVHeader is the report's CSV header row.
var CSVHeader = []string{"month", "team", "category", "urgency", "received", "answered", "answered_within_standard",
	"share_within_standard", "open", "open_up_to_20", "open_20_30", "open_30_40", "open_40_50", "open_over_50",
	"late_up_to_20", "late_20_30", "late_30_40", "late_40_50", "late_over_50", "late_outstanding"}

// WriteCSV writes the report as CSV: the header, a row per ReportRow and
// the totals (month "total").
func (r Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, row := range append(slices.Clone(r.Rows), r.Totals) {
		itoa := strconv.Itoa
		rec := []string{row.Month, row.Team, row.Category, row.Urgency, itoa(row.Received), itoa(row.Answered),
			itoa(row.AnsweredWithin), strconv.FormatFloat(row.ShareWithin, 'f', 3, 64), itoa(row.Open),
			itoa(row.OpenByAge.UpTo20), itoa(row.OpenByAge.To30), itoa(row.OpenByAge.To40), itoa(row.OpenByAge.To50),
			itoa(row.OpenByAge.Over50), itoa(row.Late.UpTo20), itoa(row.Late.To30), itoa(row.Late.To40),
			itoa(row.Late.To50), itoa(row.Late.Over50), itoa(row.Late.Outstanding)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
