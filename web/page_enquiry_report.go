package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"tether"
	"tether/enquiry"
)

// The performance report page: enquiries received in a span of months,
// answered, the share answered within the standard, the open ones by age
// and the late replies in the bands of the published figures (up to 20,
// 20 to 30, 30 to 40, 40 to 50 and over 50 working days, and still
// outstanding); in total, and per month, team, category and urgency. The
// CSV has a row per month, team, category and urgency, as the API's.

// reportLine is one line of a report table: a month, team, category or
// urgency, with its figures.
type reportLine struct {
	Label string
	enquiry.ReportRow
}

// enquiryReportPage is the report with its filters.
type enquiryReportPage struct {
	layout
	Report                        *enquiry.Report
	Totals                        enquiry.ReportRow
	Tables                        []reportTable
	Teams, Categories, Urgencies  []option
	CSV                           string
	FromText, ToText, AsOfText    string
	HasRows, Filtered             bool
	SharePercent, LateShare       string
	OutstandingShare, Over50Share string
}

// reportTable is the figures grouped one way.
type reportTable struct {
	Caption, Heading string
	Lines            []reportLine
}

// reportFilter reads the report's filters from the query.
func reportFilter(q url.Values) enquiry.ReportFilter {
	return enquiry.ReportFilter{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Team: q.Get("team"), Category: q.Get("category"), Urgency: q.Get("urgency")}
}

var reportFields = []fieldSpec{
	{Key: "from", ID: "from", Label: "From"},
	{Key: "to", ID: "to", Label: "To"},
	{Key: "team", ID: "team", Label: "Team"},
	{Key: "category", ID: "category", Label: "Category"},
	{Key: "urgency", ID: "urgency", Label: "Urgency"},
}

func (s *Server) pageEnquiryReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := reportFilter(q)
	p := enquiryReportPage{layout: s.newLayout(r, "Enquiries performance"), Categories: categoryOptions(), Urgencies: urgencyOptions(),
		Teams: s.teamOptions(ctx)}
	p.Nav = "enquiries"
	if u := currentUser(r); u != nil && u.Role == tether.RoleInspector {
		p.Nav = "enquiry-figures"
	} else {
		p.Back = "/enquiries"
	}
	p.Form = newForm(url.Values{"from": {f.From}, "to": {f.To}, "team": {f.Team}, "category": {f.Category}, "urgency": {f.Urgency}})
	rep, err := s.Enquiries.EnquiryReport(ctx, f)
	switch tether.ErrorCode(err) {
	case "":
	case tether.EINVALID:
		p.Form.addDomainErrors(err, reportFields, "from")
		s.render(w, r, http.StatusBadRequest, "enquiry_report", p)
		return
	default:
		s.fail(w, r, err)
		return
	}
	p.Report, p.Totals, p.HasRows = rep, rep.Totals, len(rep.Rows) > 0
	p.Form.Values.Set("from", rep.From)
	p.Form.Values.Set("to", rep.To)
	p.Filtered = f.Team != "" || f.Category != "" || f.Urgency != ""
	p.FromText, p.ToText, p.AsOfText = monthWords(rep.From), monthWords(rep.To), displayDay(rep.AsOf)
	p.SharePercent = sharePercent(rep.Totals.AnsweredWithin, rep.Totals.Answered)
	late := rep.Totals.Late
	lateReplies := late.Total() - late.Outstanding
	p.LateShare = sharePercent(lateReplies, rep.Totals.Answered)
	p.Over50Share = sharePercent(late.Over50, late.Total())
	p.OutstandingShare = sharePercent(late.Outstanding, late.Total())
	v := url.Values{"from": {rep.From}, "to": {rep.To}}
	for k, val := range map[string]string{"team": f.Team, "category": f.Category, "urgency": f.Urgency} {
		if val != "" {
			v.Set(k, val)
		}
	}
	p.CSV = "/enquiries/report.csv?" + v.Encode()
	teamName := func(k string) string { return optionText(p.Teams, k) }
	p.Tables = []reportTable{
		{"By month received", "Month", groupReport(rep.Rows, func(r enquiry.ReportRow) string { return r.Month }, monthWords, nil)},
		{"By team", "Team", groupReport(rep.Rows, func(r enquiry.ReportRow) string { return r.Team }, teamName, nil)},
		{"By category", "Category", groupReport(rep.Rows, func(r enquiry.ReportRow) string { return r.Category }, enquiry.CategoryWords, enquiry.Categories)},
		{"By urgency", "Urgency", groupReport(rep.Rows, func(r enquiry.ReportRow) string { return r.Urgency },
			func(u string) string { return nameOr(urgencyNames, u) }, enquiry.Urgencies)},
	}
	s.render(w, r, http.StatusOK, "enquiry_report", p)
}

// groupReport adds up the report's rows by key, in the order given (else
// by key), and words each key by label.
func groupReport(rows []enquiry.ReportRow, key func(enquiry.ReportRow) string, label func(string) string, order []string) []reportLine {
	sums := map[string]*enquiry.ReportRow{}
	var keys []string
	for _, r := range rows {
		k := key(r)
		sum := sums[k]
		if sum == nil {
			sum = &enquiry.ReportRow{}
			sums[k] = sum
			keys = append(keys, k)
		}
		sum.Received += r.Received
		sum.Answered += r.Answered
		sum.AnsweredWithin += r.AnsweredWithin
		sum.Open += r.Open
		sum.OpenByAge.UpTo20 += r.OpenByAge.UpTo20
		sum.OpenByAge.To30 += r.OpenByAge.To30
		sum.OpenByAge.To40 += r.OpenByAge.To40
		sum.OpenByAge.To50 += r.OpenByAge.To50
		sum.OpenByAge.Over50 += r.OpenByAge.Over50
		sum.Late.UpTo20 += r.Late.UpTo20
		sum.Late.To30 += r.Late.To30
		sum.Late.To40 += r.Late.To40
		sum.Late.To50 += r.Late.To50
		sum.Late.Over50 += r.Late.Over50
		sum.Late.Outstanding += r.Late.Outstanding
	}
	slices.SortFunc(keys, func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	lines := make([]reportLine, 0, len(keys))
	for _, k := range keys {
		sum := sums[k]
		if sum.Answered > 0 {
			sum.ShareWithin = float64(sum.AnsweredWithin) / float64(sum.Answered)
		}
		lines = append(lines, reportLine{Label: label(k), ReportRow: *sum})
	}
	return lines
}

// sharePercent is n of d as a whole percentage, "-" when d is 0.
func sharePercent(n, d int) string {
	if d == 0 {
		return "-"
	}
	return strings.TrimSuffix(strconv.FormatFloat(float64(n)*100/float64(d), 'f', 1, 64), ".0") + "%"
}

// monthWords writes YYYY-MM as "March 2026".
func monthWords(m string) string {
	if len(m) != 7 {
		return m
	}
	return strings.TrimPrefix(displayDay(m+"-01"), "1 ")
}

// pageEnquiryReportCSV is the report as CSV: a row per month, team,
// category and urgency, and the totals.
func (s *Server) pageEnquiryReportCSV(w http.ResponseWriter, r *http.Request) {
	rep, err := s.Enquiries.EnquiryReport(r.Context(), reportFilter(r.URL.Query()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="enquiries-performance-`+rep.From+`-to-`+rep.To+`.csv"`)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.Bytes())
}
