package exchange

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"tether"
)

// Column indexes, in the order Columns lists them.
const (
	colRef = iota
	colFamilyName
	colGivenNames
	colOtherNames
	colDateOfBirth
	colNationality
	colPreferredLanguage
	colInterpreter
	colInterpreterLanguage
	colAccessibility
	colRepOrganisation
	colRepName
	colEmail
	colMobile
	colLandline
	colAddressLine1
	colAddressLine2
	colAddressLine3
	colTown
	colPostcode
	colCountry
	colCorrespondence
	numColumns
)

// Columns are the CSV columns, in the order the writer writes them.
var Columns = [numColumns]string{
	"ref", "family_name", "given_names", "other_names", "date_of_birth", "nationality",
	"preferred_language", "interpreter", "interpreter_language", "accessibility",
	"rep_organisation", "rep_name", "email", "mobile", "landline",
	"address_line1", "address_line2", "address_line3", "town", "postcode", "country",
	"correspondence",
}

var requiredColumns = []int{colRef, colFamilyName}

// Header is a CSV header row read: where each known column is.
type Header struct {
	idx [numColumns]int // -1 when the file has no such column
	n   int
}

// ParseHeader reads a header row. Names are matched without regard to case
// and surrounding space; a byte-order mark before the first is ignored. An
// unknown, repeated or empty column, or a missing required one, is an
// EINVALID error for the whole file.
func ParseHeader(cols []string) (*Header, error) {
	h := &Header{n: len(cols)}
	for i := range h.idx {
		h.idx[i] = -1
	}
	q := tether.Problems{}
	for i, c := range cols {
		name := strings.ToLower(strings.TrimSpace(c))
		if i == 0 {
			name = strings.TrimPrefix(name, "\ufeff")
		}
		col := -1
		for j, known := range Columns {
			if name == known {
				col = j
				break
			}
		}
		switch {
		case name == "":
			q.Add("header", fmt.Sprintf("column %d has no name", i+1))
		case col < 0:
			q.Add("header", fmt.Sprintf("unknown column %q (column %d); the columns are %s",
				truncate(name, 40), i+1, strings.Join(Columns[:], ", ")))
		case h.idx[col] >= 0:
			q.Add("header", fmt.Sprintf("column %q appears twice", name))
		default:
			h.idx[col] = i
		}
	}
	for _, c := range requiredColumns {
		if h.idx[c] < 0 {
			q.Add("header", fmt.Sprintf("the required column %q is missing", Columns[c]))
		}
	}
	if err := q.Err(); err != nil {
		return nil, invalid(1, q)
	}
	return h, nil
}

// ParseCSVRow parses and validates one CSV record under its header, with
// the time of the call as "now" and contact points from the source
// "import". It returns an EINVALID *tether.Error whose Fields name the CSV
// columns at fault. The line is for the error's message.
func ParseCSVRow(header []string, rec []string, line int) (tether.PersonImport, error) {
	h, err := ParseHeader(header)
	if err != nil {
		return tether.PersonImport{}, err
	}
	return Parser{}.CSVRow(h, rec, line)
}

// CSVRow parses and validates one CSV record under a header read with
// ParseHeader. It keeps nothing of rec, which the caller may reuse.
func (p Parser) CSVRow(h *Header, rec []string, line int) (tether.PersonImport, error) {
	q := tether.Problems{}
	if len(rec) != h.n {
		many := "too many"
		if len(rec) < h.n {
			many = "too few"
		}
		q.Add("row", fmt.Sprintf("%s fields: %d, but the header has %d columns", many, len(rec), h.n))
		return tether.PersonImport{}, invalid(line, q)
	}
	var v [numColumns]string
	for c, i := range h.idx {
		if i >= 0 {
			v[c] = strings.TrimSpace(rec[i])
			checkText(q, Columns[c], v[c])
		}
	}
	if len(q) > 0 {
		return tether.PersonImport{}, invalid(line, q)
	}
	now := p.now()

	per := &tether.Person{
		Ref: v[colRef], FamilyName: v[colFamilyName], GivenNames: v[colGivenNames],
		OtherNames:        parseOtherNames(v[colOtherNames]),
		Nationality:       v[colNationality],
		PreferredLanguage: v[colPreferredLanguage],
		Needs:             tether.Needs{InterpreterLanguage: v[colInterpreterLanguage], Accessibility: v[colAccessibility]},
	}
	requireRef(q, Columns[colRef], per)
	if d, err := tether.ParsePartialDate(v[colDateOfBirth]); err != nil {
		q.Add(Columns[colDateOfBirth], "enter a date like 1990-05-17, 1990-05 or 1990 (or 17/05/1990)")
	} else {
		per.DateOfBirth = d
	}
	if b, ok := parseYesNo(v[colInterpreter]); ok {
		per.Needs.Interpreter = b
	} else {
		q.Add(Columns[colInterpreter], "must be yes or no")
	}
	if v[colRepOrganisation] != "" || v[colRepName] != "" {
		per.Representative = &tether.Representative{Organisation: v[colRepOrganisation], Name: v[colRepName]}
	}
	for f, reason := range tether.ErrorFields(per.Validate(now)) {
		q.Add(personColumn(f), reason)
	}

	corr := strings.ToLower(v[colCorrespondence])
	switch corr {
	case "", "none", "postal", "email":
	default:
		q.Add(Columns[colCorrespondence], "must be postal, email or none")
	}
	var cps []*tether.ContactPoint
	add := func(c *tether.ContactPoint, col int) {
		c.Party, c.Source, c.ValidFrom = tether.PartySelf, p.source(), now
		for f, reason := range tether.ErrorFields(c.Validate()) {
			q.Add(contactColumn(c.Kind, f, col), reason)
		}
		cps = append(cps, c)
	}
	hasAddress := false
	for _, c := range []int{colAddressLine1, colAddressLine2, colAddressLine3, colTown, colPostcode, colCountry} {
		hasAddress = hasAddress || v[c] != ""
	}
	if hasAddress {
		var lines []string
		for _, c := range []int{colAddressLine1, colAddressLine2, colAddressLine3} {
			if v[c] != "" {
				lines = append(lines, v[c])
			}
		}
		add(&tether.ContactPoint{Kind: tether.KindPostal, ForCorrespondence: corr == "postal",
			Address: &tether.Address{Lines: lines, Town: v[colTown], Postcode: v[colPostcode], Country: v[colCountry]}},
			colAddressLine1)
	} else if corr == "postal" {
		q.Add(Columns[colCorrespondence], "is postal, but the row has no address")
	}
	if v[colEmail] != "" {
		add(&tether.ContactPoint{Kind: tether.KindEmail, Email: v[colEmail], ForCorrespondence: corr == "email"}, colEmail)
	} else if corr == "email" {
		q.Add(Columns[colCorrespondence], "is email, but the row has no email address")
	}
	if v[colMobile] != "" {
		add(&tether.ContactPoint{Kind: tether.KindMobile, Phone: v[colMobile]}, colMobile)
	}
	if v[colLandline] != "" {
		add(&tether.ContactPoint{Kind: tether.KindLandline, Phone: v[colLandline]}, colLandline)
	}
	if len(q) > 0 {
		return tether.PersonImport{}, invalid(line, q)
	}
	return tether.PersonImport{Person: per, ContactPoints: cps}, nil
}

// personColumn names the CSV column of a tether.Person field path.
func personColumn(f string) string {
	switch {
	case strings.HasPrefix(f, "other_names"):
		return Columns[colOtherNames]
	case f == "needs.interpreter_language":
		return Columns[colInterpreterLanguage]
	case f == "needs.accessibility":
		return Columns[colAccessibility]
	case f == "representative.organisation":
		return Columns[colRepOrganisation]
	case f == "representative":
		return Columns[colRepName]
	}
	return f
}

// contactColumn names the CSV column of a contact point's field path.
func contactColumn(kind, f string, col int) string {
	if kind == tether.KindPostal {
		switch f {
		case "address.town":
			return Columns[colTown]
		case "address.postcode":
			return Columns[colPostcode]
		case "address.country":
			return Columns[colCountry]
		}
	}
	return Columns[col]
}

func parseYesNo(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "", "no", "n", "false", "0":
		return false, true
	case "yes", "y", "true", "1":
		return true, true
	}
	return false, false
}

// parseOtherNames reads the other_names column: names separated by "|",
// each "given family" or "family, given".
func parseOtherNames(s string) []tether.OtherName {
	if s == "" {
		return nil
	}
	var out []tether.OtherName
	for part := range strings.SplitSeq(s, "|") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var o tether.OtherName
		if family, given, ok := strings.Cut(part, ","); ok {
			o.FamilyName, o.GivenNames = strings.TrimSpace(family), strings.TrimSpace(given)
		} else {
			words := strings.Fields(part)
			o.FamilyName = words[len(words)-1]
			o.GivenNames = strings.Join(words[:len(words)-1], " ")
		}
		o.Kind = tether.NameAlias
		if sc := Script(o.GivenNames + o.FamilyName); sc != "" {
			o.Kind, o.Script = tether.NameOtherScript, sc
		}
		out = append(out, o)
	}
	return out
}

// formatOtherNames writes names for the other_names column.
func formatOtherNames(names []tether.OtherName) string {
	var b strings.Builder
	for i, o := range names {
		if i > 0 {
			b.WriteString("|")
		}
		b.WriteString(formatOtherName(o))
	}
	return b.String()
}

func formatOtherName(o tether.OtherName) string {
	family, given := strings.TrimSpace(o.FamilyName), strings.TrimSpace(o.GivenNames)
	simple := family != "" && !strings.ContainsAny(family, " \t,") && !strings.Contains(given, ",")
	switch {
	case simple && given == "":
		return family
	case simple:
		return given + " " + family
	case given == "":
		return family + ","
	}
	return family + ", " + given
}

// scripts maps Unicode scripts to their ISO 15924 codes, for names written
// in a script other than Latin.
var scripts = []struct {
	table *unicode.RangeTable
	code  string
}{
	{unicode.Arabic, "Arab"}, {unicode.Cyrillic, "Cyrl"}, {unicode.Han, "Hani"},
	{unicode.Ethiopic, "Ethi"}, {unicode.Bengali, "Beng"}, {unicode.Devanagari, "Deva"},
	{unicode.Gurmukhi, "Guru"}, {unicode.Gujarati, "Gujr"}, {unicode.Tamil, "Taml"},
	{unicode.Greek, "Grek"}, {unicode.Hebrew, "Hebr"}, {unicode.Thai, "Thai"},
	{unicode.Georgian, "Geor"}, {unicode.Armenian, "Armn"}, {unicode.Hangul, "Hang"},
	{unicode.Myanmar, "Mymr"}, {unicode.Khmer, "Khmr"}, {unicode.Sinhala, "Sinh"},
	{unicode.Tibetan, "Tibt"}, {unicode.Syriac, "Syrc"}, {unicode.Thaana, "Thaa"},
	{unicode.Lao, "Laoo"}, {unicode.Kannada, "Knda"}, {unicode.Malayalam, "Mlym"},
	{unicode.Telugu, "Telu"}, {unicode.Oriya, "Orya"}, {unicode.Hiragana, "Jpan"},
	{unicode.Katakana, "Jpan"},
}

// Script returns the ISO 15924 code of the first letter of s that is not
// Latin ("Arab" for "محمد"), "Zyyy" for a script it does not know, and ""
// when every letter is Latin.
func Script(s string) string {
	for _, r := range s {
		if !unicode.IsLetter(r) || unicode.Is(unicode.Latin, r) {
			continue
		}
		for _, sc := range scripts {
			if unicode.Is(sc.table, r) {
				return sc.code
			}
		}
		return "Zyyy"
	}
	return ""
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// CSVReader reads a CSV file row by row in constant memory.
type CSVReader struct {
	r      *csv.Reader
	p      Parser
	header *Header
	line   int
}

// NewCSVReader returns a reader of CSV from r; the first row is the header.
func NewCSVReader(r io.Reader, p Parser) *CSVReader {
	cr := csv.NewReader(bufio.NewReaderSize(r, 64<<10))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // CSVRow reports a wrong count, by line
	if p.Now.IsZero() {
		p.Now = time.Now().UTC().Truncate(time.Second)
	}
	return &CSVReader{r: cr, p: p}
}

// Line is the line on which the last row began.
func (r *CSVReader) Line() int { return r.line }

// Next returns the next row. A bad header is an EINVALID error for the whole
// file (not a *RowError); an empty file has no header and is one too.
func (r *CSVReader) Next() (tether.PersonImport, error) {
	if r.header == nil {
		rec, err := r.r.Read()
		if err == io.EOF {
			return tether.PersonImport{}, invalid(1, tether.Problems{"header": "the file is empty: it needs a header row naming the columns"})
		}
		if err != nil {
			return tether.PersonImport{}, r.readError(err)
		}
		h, err := ParseHeader(rec)
		if err != nil {
			return tether.PersonImport{}, err
		}
		r.header = h
	}
	rec, err := r.r.Read()
	if err != nil {
		return tether.PersonImport{}, r.readError(err)
	}
	r.line, _ = r.r.FieldPos(0)
	pi, err := r.p.CSVRow(r.header, rec, r.line)
	if err != nil {
		return tether.PersonImport{}, &RowError{Line: r.line, Err: err}
	}
	return pi, nil
}

// readError turns a CSV syntax error into a refused row and passes any
// other error (io.EOF, a failed read) on.
func (r *CSVReader) readError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	r.line = pe.StartLine
	reason := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		reason = "a quoted field is not closed, or a quote inside it is not doubled (\"\")"
	case errors.Is(pe.Err, csv.ErrBareQuote):
		reason = "a quote (\") appears in a field that is not quoted; quote the field and double the quote"
	}
	rowErr := &RowError{Line: pe.StartLine, Err: invalid(pe.StartLine, tether.Problems{"row": reason})}
	if r.header == nil {
		return rowErr.Err // a header that cannot be read fails the file
	}
	return rowErr
}

// CSVWriter writes people as CSV rows.
type CSVWriter struct {
	w      *csv.Writer
	now    time.Time
	header bool
	rec    [numColumns]string
}

// NewCSVWriter returns a writer of CSV to w; now decides which contact
// points are current.
func NewCSVWriter(w io.Writer, now time.Time) *CSVWriter {
	return &CSVWriter{w: csv.NewWriter(w), now: now}
}

func (w *CSVWriter) writeHeader() error {
	if w.header {
		return nil
	}
	w.header = true
	return w.w.Write(Columns[:])
}

// Write writes one person's row: see the package comment for which
// contact points a row holds.
func (w *CSVWriter) Write(pi tether.PersonImport) error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	p := pi.Person
	if p == nil {
		return errors.New("exchange: a row without a person")
	}
	r := &w.rec
	*r = [numColumns]string{}
	r[colRef], r[colFamilyName], r[colGivenNames] = p.Ref, p.FamilyName, p.GivenNames
	r[colOtherNames] = formatOtherNames(p.OtherNames)
	r[colDateOfBirth] = p.DateOfBirth.String()
	r[colNationality], r[colPreferredLanguage] = p.Nationality, p.PreferredLanguage
	if p.Needs.Interpreter {
		r[colInterpreter] = "yes"
	} else {
		r[colInterpreter] = "no"
	}
	r[colInterpreterLanguage], r[colAccessibility] = p.Needs.InterpreterLanguage, p.Needs.Accessibility
	if rep := p.Representative; rep != nil {
		r[colRepOrganisation], r[colRepName] = rep.Organisation, rep.Name
	}
	r[colCorrespondence] = "none"
	if c := w.pick(pi.ContactPoints, tether.KindPostal); c != nil && c.Address != nil {
		a := c.Address
		for i, col := range []int{colAddressLine1, colAddressLine2, colAddressLine3} {
			if i < len(a.Lines) {
				r[col] = a.Lines[i]
			}
		}
		if len(a.Lines) > 3 {
			r[colAddressLine3] = strings.Join(a.Lines[2:], ", ")
		}
		r[colTown], r[colPostcode], r[colCountry] = a.Town, a.Postcode, a.Country
		if c.ForCorrespondence {
			r[colCorrespondence] = "postal"
		}
	}
	if c := w.pick(pi.ContactPoints, tether.KindEmail); c != nil {
		r[colEmail] = c.Email
		if c.ForCorrespondence && r[colCorrespondence] == "none" {
			r[colCorrespondence] = "email"
		}
	}
	if c := w.pick(pi.ContactPoints, tether.KindMobile); c != nil {
		r[colMobile] = c.Phone
	}
	if c := w.pick(pi.ContactPoints, tether.KindLandline); c != nil {
		r[colLandline] = c.Phone
	}
	return w.w.Write(r[:])
}

// pick chooses the point of a kind that a CSV row holds: the person's own,
// current and not failed; the one given for correspondence, else the newest.
func (w *CSVWriter) pick(cps []*tether.ContactPoint, kind string) *tether.ContactPoint {
	var best *tether.ContactPoint
	for _, c := range cps {
		if c == nil || c.Kind != kind || c.Party != tether.PartySelf || c.Verification == tether.Failed {
			continue
		}
		if c.ValidTo != nil && !c.ValidTo.After(w.now) {
			continue
		}
		switch {
		case best == nil:
			best = c
		case c.ForCorrespondence != best.ForCorrespondence:
			if c.ForCorrespondence {
				best = c
			}
		case c.ValidFrom.After(best.ValidFrom):
			best = c
		}
	}
	return best
}

// Flush writes the header if no row was written, and anything buffered.
func (w *CSVWriter) Flush() error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.w.Flush()
	return w.w.Error()
}
