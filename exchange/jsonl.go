package exchange

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"tether"
)

// MaxLineBytes bounds one JSON line; no real person's record comes near it.
const MaxLineBytes = 1 << 20

// jsonRecord is a JSON line as read: the full JSON of the domain types, so
// that output of the API is accepted too.
type jsonRecord struct {
	Person        *tether.Person         `json:"person"`
	ContactPoints []*tether.ContactPoint `json:"contact_points"`
}

// ParseJSONLine parses and validates one JSON line, with the time of the
// call as "now" and "import" as the source of contact points that name
// none. It returns an EINVALID *tether.Error whose Fields use the JSON field
// paths ("person.family_name", "contact_points[1].phone").
func ParseJSONLine(b []byte, line int) (tether.PersonImport, error) {
	return Parser{}.JSONLine(b, line)
}

// JSONLine parses and validates one JSON line.
func (p Parser) JSONLine(b []byte, line int) (tether.PersonImport, error) {
	q := tether.Problems{}
	var rec jsonRecord
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		q.Add(jsonErrorField(err), jsonErrorReason(err))
		return tether.PersonImport{}, invalid(line, q)
	}
	if _, err := dec.Token(); err != io.EOF {
		q.Add("line", "holds more than one JSON object: put each person on a line of their own")
		return tether.PersonImport{}, invalid(line, q)
	}
	if rec.Person == nil {
		q.Add("person", "is missing: each line is {\"person\": {...}, \"contact_points\": [...]}")
		return tether.PersonImport{}, invalid(line, q)
	}
	now := p.now()
	per := rec.Person
	// What the store assigns is ignored. So is a representative's
	// organisation_id: it names a row of the database the file came from,
	// and in this one could link the person to another organisation, whose
	// users would then see them.
	per.ID, per.Version, per.WorkingChannels = 0, 0, 0
	per.CreatedAt, per.UpdatedAt = time.Time{}, time.Time{}
	if per.Representative != nil {
		per.Representative.OrganisationID = nil
	}
	checkPersonText(q, per)
	requireRef(q, "person.ref", per)
	for f, reason := range tether.ErrorFields(per.Validate(now)) {
		q.Add("person."+f, reason)
	}
	for i, c := range rec.ContactPoints {
		f := "contact_points[" + strconv.Itoa(i) + "]."
		if c == nil {
			q.Add(f[:len(f)-1], "must be an object, not null")
			continue
		}
		c.ID, c.PersonID, c.Replaces, c.CreatedBy, c.CreatedAt = 0, 0, nil, "", time.Time{}
		if c.Source == "" {
			c.Source = p.source()
		}
		if c.ValidFrom.IsZero() {
			c.ValidFrom = now
		}
		checkContactText(q, f, c)
		q.Merge(f, tether.Problems(tether.ErrorFields(c.Validate())))
		if c.ValidTo != nil && c.ValidTo.Before(c.ValidFrom) {
			q.Add(f+"valid_to", "must not be before valid_from")
		}
	}
	if len(q) > 0 {
		return tether.PersonImport{}, invalid(line, q)
	}
	return tether.PersonImport{Person: per, ContactPoints: rec.ContactPoints}, nil
}

func checkPersonText(q tether.Problems, p *tether.Person) {
	checkText(q, "person.ref", p.Ref)
	checkText(q, "person.family_name", p.FamilyName)
	checkText(q, "person.given_names", p.GivenNames)
	for i, o := range p.OtherNames {
		f := "person.other_names[" + strconv.Itoa(i) + "]."
		checkText(q, f+"family_name", o.FamilyName)
		checkText(q, f+"given_names", o.GivenNames)
	}
	checkText(q, "person.needs.accessibility", p.Needs.Accessibility)
	if r := p.Representative; r != nil {
		checkText(q, "person.representative.organisation", r.Organisation)
		checkText(q, "person.representative.name", r.Name)
	}
}

func checkContactText(q tether.Problems, f string, c *tether.ContactPoint) {
	for name, v := range map[string]string{
		"party_name": c.PartyName, "relationship": c.Relationship, "source_detail": c.SourceDetail,
		"ended_reason": c.EndedReason, "confirmed_how": c.ConfirmedHow, "email": c.Email, "phone": c.Phone,
	} {
		checkText(q, f+name, v)
	}
	if a := c.Address; a != nil {
		for _, l := range a.Lines {
			checkText(q, f+"address.lines", l)
		}
		checkText(q, f+"address.town", a.Town)
		checkText(q, f+"address.postcode", a.Postcode)
	}
}

// jsonErrorField names where a decoding error is, as best it can.
func jsonErrorField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return te.Field
	}
	return "line"
}

// jsonErrorReason says what is wrong without repeating the line's values.
func jsonErrorReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("is not valid JSON (at byte %d)", se.Offset)
	case errors.As(err, &te):
		return "must be a JSON " + jsonType(te.Type.Kind().String()) + ", not " + te.Value
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "is not a complete JSON object"
	}
	// Unknown fields ("json: unknown field \"x\"") and date errors say
	// enough; strip the package prefix.
	msg := err.Error()
	if len(msg) > 6 && msg[:6] == "json: " {
		msg = msg[6:]
	}
	return truncate(msg, 120)
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean (true or false)"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	}
	return "number"
}

// JSONLReader reads a JSON Lines file line by line in constant memory.
type JSONLReader struct {
	r    *bufio.Reader
	p    Parser
	line int // lines read so far
	at   int // the line of the last row returned
	buf  []byte
}

// NewJSONLReader returns a reader of JSON Lines from r. Blank lines are
// skipped.
func NewJSONLReader(r io.Reader, p Parser) *JSONLReader {
	if p.Now.IsZero() {
		p.Now = time.Now().UTC().Truncate(time.Second)
	}
	return &JSONLReader{r: bufio.NewReaderSize(r, 64<<10), p: p}
}

// Line is the line of the last row returned.
func (r *JSONLReader) Line() int { return r.at }

// Next returns the next row.
func (r *JSONLReader) Next() (tether.PersonImport, error) {
	for {
		b, tooLong, err := r.readLine()
		if err != nil {
			return tether.PersonImport{}, err
		}
		r.at = r.line
		if tooLong {
			return tether.PersonImport{}, &RowError{Line: r.at, Err: invalid(r.at,
				tether.Problems{"line": fmt.Sprintf("is longer than %d bytes", MaxLineBytes)})}
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		pi, err := r.p.JSONLine(b, r.at)
		if err != nil {
			return tether.PersonImport{}, &RowError{Line: r.at, Err: err}
		}
		return pi, nil
	}
}

// readLine returns the next line without its line ending. A line longer
// than MaxLineBytes is read to its end and dropped. At the end of the input
// it returns io.EOF.
func (r *JSONLReader) readLine() (line []byte, tooLong bool, err error) {
	r.buf = r.buf[:0]
	for {
		chunk, err := r.r.ReadSlice('\n')
		if !tooLong {
			if len(r.buf)+len(chunk) > MaxLineBytes+2 {
				tooLong, r.buf = true, r.buf[:0]
			} else {
				r.buf = append(r.buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(r.buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
		case err != nil:
			return nil, false, err
		}
		r.line++
		return bytes.TrimRight(r.buf, "\r\n"), tooLong, nil
	}
}

// JSONLWriter writes people as JSON Lines.
type JSONLWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
}

// NewJSONLWriter returns a writer of JSON Lines to w.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONLWriter{w: bw, enc: enc}
}

// The written form: the fields an import reads, without what a store assigns.
type (
	personOut struct {
		Ref               string             `json:"ref"`
		FamilyName        string             `json:"family_name"`
		GivenNames        string             `json:"given_names"`
		OtherNames        []tether.OtherName `json:"other_names,omitempty"`
		DateOfBirth       tether.PartialDate `json:"date_of_birth,omitzero"`
		Nationality       string             `json:"nationality,omitempty"`
		PreferredLanguage string             `json:"preferred_language,omitempty"`
		Needs             tether.Needs       `json:"needs,omitzero"`
		Representative    *repOut            `json:"representative,omitempty"`
	}
	repOut struct {
		Organisation string `json:"organisation"`
		Name         string `json:"name,omitempty"`
		Instructed   bool   `json:"instructed"`
	}
	contactOut struct {
		Kind              string          `json:"kind"`
		Party             string          `json:"party"`
		PartyName         string          `json:"party_name,omitempty"`
		Relationship      string          `json:"relationship,omitempty"`
		Address           *tether.Address `json:"address,omitempty"`
		Email             string          `json:"email,omitempty"`
		Phone             string          `json:"phone,omitempty"`
		Source            string          `json:"source"`
		SourceDetail      string          `json:"source_detail,omitempty"`
		ForCorrespondence bool            `json:"for_correspondence"`
		ValidFrom         time.Time       `json:"valid_from"`
		ValidTo           *time.Time      `json:"valid_to,omitempty"`
		EndedReason       string          `json:"ended_reason,omitempty"`
		LastConfirmedAt   *time.Time      `json:"last_confirmed_at,omitempty"`
		ConfirmedHow      string          `json:"confirmed_how,omitempty"`
		Verification      string          `json:"verification"`
	}
	recordOut struct {
		Person        personOut    `json:"person"`
		ContactPoints []contactOut `json:"contact_points"`
	}
)

// Write writes one person and every contact point, in the order given.
func (w *JSONLWriter) Write(pi tether.PersonImport) error {
	p := pi.Person
	if p == nil {
		return errors.New("exchange: a row without a person")
	}
	rec := recordOut{
		Person: personOut{
			Ref: p.Ref, FamilyName: p.FamilyName, GivenNames: p.GivenNames, OtherNames: p.OtherNames,
			DateOfBirth: p.DateOfBirth, Nationality: p.Nationality, PreferredLanguage: p.PreferredLanguage,
			Needs: p.Needs,
		},
		ContactPoints: make([]contactOut, 0, len(pi.ContactPoints)),
	}
	if r := p.Representative; r != nil {
		rec.Person.Representative = &repOut{Organisation: r.Organisation, Name: r.Name, Instructed: r.Instructed}
	}
	for _, c := range pi.ContactPoints {
		if c == nil {
			continue
		}
		rec.ContactPoints = append(rec.ContactPoints, contactOut{
			Kind: c.Kind, Party: c.Party, PartyName: c.PartyName, Relationship: c.Relationship,
			Address: c.Address, Email: c.Email, Phone: c.Phone, Source: c.Source, SourceDetail: c.SourceDetail,
			ForCorrespondence: c.ForCorrespondence, ValidFrom: c.ValidFrom.UTC(), ValidTo: utcPtr(c.ValidTo),
			EndedReason: c.EndedReason, LastConfirmedAt: utcPtr(c.LastConfirmedAt), ConfirmedHow: c.ConfirmedHow,
			Verification: c.Verification,
		})
	}
	return w.enc.Encode(&rec)
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Flush writes anything buffered.
func (w *JSONLWriter) Flush() error { return w.w.Flush() }
