// Package exchange reads and writes the files that people and their contact
// points travel in: CSV, one flat row per person, for spreadsheets and
// earlier systems; and JSON Lines, one object per person with every contact
// point and its history.
//
// Both formats are read and written as streams, one row at a time, so that a
// file of any size is handled in constant memory. Each row is parsed into a
// tether.PersonImport and validated with the domain's rules; a bad row is a
// *RowError that says which line and which field, and reading goes on.
//
// This package does no I/O of its own beyond the io.Reader and io.Writer it
// is given, and never imports the store, web or cmd packages.
//
// # CSV
//
// The header names the columns, in any order; ref and family_name are
// required, the others may be left out. An unknown or repeated column is an
// error for the whole file. The columns:
//
//	ref                  TH- reference; required, so that a second run can recognise the row
//	family_name          required
//	given_names
//	other_names          "|"-separated names the person is also known by, each "given family"
//	                     (the last word is the family name) or "family, given"; a name in a
//	                     non-Latin script is recorded as a name in another script
//	date_of_birth        YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY
//	nationality          ISO 3166-1 alpha-2 (ER, AF)
//	preferred_language   BCP 47 (ti, fa-AF)
//	interpreter          yes or no
//	interpreter_language BCP 47
//	accessibility        free text
//	rep_organisation     the legal representative's organisation
//	rep_name             the representative's name
//	email, mobile, landline
//	address_line1, address_line2, address_line3, town, postcode, country
//	                     the postal address; country defaults to GB
//	correspondence       postal, email or none: which channel the person gave for correspondence
//
// A CSV row holds one current detail of each kind, the person's own: the
// writer picks, for each kind, the current, not-failed point given for
// correspondence, else the newest. History, other parties and verification
// travel only in JSON Lines. A representative read from CSV is recorded as
// not instructed: the file cannot say whether they act for the person now,
// and counting a notice to a former representative as served on the person
// would harm them; a caseworker confirms the instruction.
//
// # JSON Lines
//
// One object per line: {"person": {...}, "contact_points": [...]}, with the
// JSON of tether.Person and tether.ContactPoint. Unknown fields are refused.
// Identifiers, versions and record times that the store assigns (id,
// person_id, version, working_channels, created_at, updated_at, created_by,
// replaces) are accepted and ignored, and the writer leaves them out. So is
// a representative's organisation_id: it names a row of the database the
// file came from, and could link the person to another organisation here.
package exchange

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"tether"
)

// Formats.
const (
	CSV   = "csv"
	JSONL = "jsonl"
)

// FormatOf returns the format a file name's extension implies: CSV for
// .csv, JSONL for .jsonl and .ndjson, and "" for anything else.
func FormatOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return CSV
	case ".jsonl", ".ndjson":
		return JSONL
	}
	return ""
}

// ParseFormat checks a format name given by a person ("csv", "jsonl",
// "ndjson").
func ParseFormat(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "csv":
		return CSV, nil
	case "jsonl", "ndjson":
		return JSONL, nil
	}
	return "", fmt.Errorf("unknown format %q: use csv or jsonl", s)
}

// Parser turns rows into validated imports.
type Parser struct {
	// Now decides what "in the future" means for dates of birth, and is the
	// start of contact points that do not give one. Zero means the time of
	// the call.
	Now time.Time
	// Source is given to contact points that do not name one (every CSV
	// contact point); "" means tether.SourceImport.
	Source string
}

func (p Parser) now() time.Time {
	if p.Now.IsZero() {
		return time.Now().UTC().Truncate(time.Second)
	}
	return p.Now
}

func (p Parser) source() string {
	if p.Source == "" {
		return tether.SourceImport
	}
	return p.Source
}

// RowError is a row that was refused. Reading can go on after it.
type RowError struct {
	Line int
	// Err is a *tether.Error whose Fields say which fields and why.
	Err error
}

func (e *RowError) Error() string {
	return strings.Join(e.Problems(), "; ")
}

func (e *RowError) Unwrap() error { return e.Err }

// Problems lists the row's problems as "line N: field: reason", by field.
func (e *RowError) Problems() []string {
	return problemLines(e.Line, e.Err)
}

func problemLines(line int, err error) []string {
	prefix := fmt.Sprintf("line %d: ", line)
	fields := tether.ErrorFields(err)
	if len(fields) == 0 {
		return []string{prefix + tether.ErrorMessage(err)}
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = prefix + k + ": " + fields[k]
	}
	return out
}

// invalid builds the EINVALID error of a refused row.
func invalid(line int, q tether.Problems) error {
	err := q.Err()
	if e, ok := err.(*tether.Error); ok {
		e.Message = fmt.Sprintf("line %d: %s", line, e.Message)
	}
	return err
}

// Reader reads rows one at a time.
type Reader interface {
	// Next returns the next row, io.EOF at the end, a *RowError for a row
	// that was refused (call Next again for the rest), or any other error
	// when the file cannot be read further.
	Next() (tether.PersonImport, error)
	// Line is the line on which the row that Next last returned began.
	Line() int
}

// NewReader returns a reader of the format.
func NewReader(format string, r io.Reader, p Parser) (Reader, error) {
	switch format {
	case CSV:
		return NewCSVReader(r, p), nil
	case JSONL:
		return NewJSONLReader(r, p), nil
	}
	return nil, fmt.Errorf("unknown format %q: use csv or jsonl", format)
}

// Writer writes people one at a time.
type Writer interface {
	Write(tether.PersonImport) error
	// Flush writes anything buffered (and the CSV header when no row was
	// written) and reports any error of the underlying writer.
	Flush() error
}

// NewWriter returns a writer of the format; now decides which contact
// points are current.
func NewWriter(format string, w io.Writer, now time.Time) (Writer, error) {
	switch format {
	case CSV:
		return NewCSVWriter(w, now), nil
	case JSONL:
		return NewJSONLWriter(w), nil
	}
	return nil, fmt.Errorf("unknown format %q: use csv or jsonl", format)
}

// SortContactPoints puts a person's points in the order files hold them:
// oldest first, then by kind, party and value, so that an export does not
// depend on the order a database returns them in.
func SortContactPoints(cps []*tether.ContactPoint) {
	kindRank := func(k string) int {
		for i, x := range tether.ContactKinds {
			if x == k {
				return i
			}
		}
		return len(tether.ContactKinds)
	}
	sort.SliceStable(cps, func(i, j int) bool {
		a, b := cps[i], cps[j]
		if !a.ValidFrom.Equal(b.ValidFrom) {
			return a.ValidFrom.Before(b.ValidFrom)
		}
		if ka, kb := kindRank(a.Kind), kindRank(b.Kind); ka != kb {
			return ka < kb
		}
		if a.Party != b.Party {
			return a.Party < b.Party
		}
		if va, vb := a.Value(), b.Value(); va != vb {
			return va < vb
		}
		if a.PartyName != b.PartyName {
			return a.PartyName < b.PartyName
		}
		return (a.ValidTo == nil) && (b.ValidTo != nil)
	})
}

// checkText refuses text that no database column should hold: bytes that
// are not UTF-8 (the file was saved in another encoding) and NUL.
func checkText(q tether.Problems, field, v string) {
	switch {
	case !utf8.ValidString(v):
		q.Add(field, "is not UTF-8 text: save the file as UTF-8")
	case strings.IndexByte(v, 0) >= 0:
		q.Add(field, "must not contain NUL characters")
	}
}

// requireRef refuses a person without a reference: a second run of the
// file could not recognise the row and would add the person again.
func requireRef(q tether.Problems, field string, p *tether.Person) {
	if strings.TrimSpace(p.Ref) == "" {
		q.Add(field, "enter the reference (like TH-04817263K): without one, a second run could not recognise this row and would add the person again")
	}
}
