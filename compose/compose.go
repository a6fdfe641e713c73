package compose

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalise returns the comparison form of a placeholder name: lower case,
// with spaces, '_' and '-' removed. "First Name", "first_name" and
// "FIRST-NAME" all give "firstname".
func Normalise(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		switch {
		case r == '_' || r == '-' || unicode.IsSpace(r):
			continue
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// A Part of a parsed body: literal text, a placeholder ((name)), or
// conditional text ((name??text)).
type Part struct {
	Text        string // literal text, or for Conditional the text shown when the value is truthy
	Name        string // placeholder name as written ("" for literal)
	Conditional bool
	Offset      int // byte offset in the body where the part starts
}

// source returns the text of the part exactly as it appears in the body.
func (p Part) source() string {
	switch {
	case p.Name == "":
		return p.Text
	case p.Conditional:
		return "((" + p.Name + "??" + p.Text + "))"
	default:
		return "((" + p.Name + "))"
	}
}

// SyntaxError reports a mistake in the placeholders of a body. Offset is a
// byte offset; Line and Column count from 1, and Column counts characters.
type SyntaxError struct {
	Offset       int
	Line, Column int
	Reason       string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Reason)
}

func syntaxError(body string, offset int, reason string) *SyntaxError {
	lineStart := strings.LastIndexByte(body[:offset], '\n') + 1
	return &SyntaxError{
		Offset: offset,
		Line:   strings.Count(body[:offset], "\n") + 1,
		Column: utf8.RuneCountInString(body[lineStart:offset]) + 1,
		Reason: reason,
	}
}

// Reasons given in SyntaxError.
const (
	reasonUnclosed    = "unclosed placeholder: “((” has no matching “))”"
	reasonStray       = "stray “))”: there is no “((” before it to match"
	reasonEmpty       = "empty placeholder: there is no name between “((” and “))”"
	reasonEmptyCond   = "conditional text has no placeholder name before “??”"
	reasonNested      = "placeholder inside a placeholder: “((” appears again before the first one is closed with “))”"
	reasonInvalidName = "placeholder names can only use letters, numbers, spaces, “_” and “-”, but %s has %s"
	reasonEmptyText   = "conditional placeholder %s has no text to show after “??”"
)

// Parse splits body into parts. Errors are *SyntaxError: an unclosed "((",
// a stray "))", an empty name "(())", a name with characters other than
// letters, digits, space, '_' and '-', a conditional with empty text, or a
// nested "((" inside a placeholder.
//
// Joining the parts back together (literal text as is, placeholders with
// their brackets) gives the body exactly.
func Parse(body string) ([]Part, error) {
	var parts []Part
	pos := 0 // start of the literal text not yet added
	for {
		rest := body[pos:]
		open := strings.Index(rest, "((")
		if closing := strings.Index(rest, "))"); closing >= 0 && (open < 0 || closing < open) {
			return nil, syntaxError(body, pos+closing, reasonStray)
		}
		if open < 0 {
			break
		}
		open += pos
		if open > pos {
			parts = append(parts, Part{Text: body[pos:open], Offset: pos})
		}
		start := open + 2
		end := strings.Index(body[start:], "))")
		if end < 0 {
			return nil, syntaxError(body, open, reasonUnclosed)
		}
		end += start
		content := body[start:end]
		if k := strings.Index(content, "(("); k >= 0 {
			return nil, syntaxError(body, start+k, reasonNested)
		}
		part := Part{Name: content, Offset: open}
		if q := strings.Index(content, "??"); q >= 0 {
			part = Part{Name: content[:q], Text: content[q+2:], Conditional: true, Offset: open}
		}
		if err := checkName(body, start, part); err != nil {
			return nil, err
		}
		if part.Conditional && strings.TrimSpace(part.Text) == "" {
			return nil, syntaxError(body, open, fmt.Sprintf(reasonEmptyText, quote("(("+part.Name+"??"+part.Text+"))")))
		}
		parts = append(parts, part)
		pos = end + 2
	}
	if pos < len(body) {
		parts = append(parts, Part{Text: body[pos:], Offset: pos})
	}
	return parts, nil
}

// checkName checks the name of part, which starts at byte start in body.
func checkName(body string, start int, part Part) error {
	for i, r := range part.Name {
		if r == ' ' || r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			if r != utf8.RuneError {
				continue
			}
		}
		return syntaxError(body, start+i, fmt.Sprintf(reasonInvalidName, quote(part.Name), describeRune(part.Name[i:])))
	}
	if Normalise(part.Name) == "" {
		if part.Conditional {
			return syntaxError(body, part.Offset, reasonEmptyCond)
		}
		return syntaxError(body, part.Offset, reasonEmpty)
	}
	return nil
}

// describeRune names the first character of s for an error message.
func describeRune(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r == utf8.RuneError && size <= 1:
		return "a character that cannot be read"
	case r == '\n' || r == '\r':
		return "a line break"
	case r == '\t':
		return "a tab"
	case unicode.IsSpace(r):
		return "a special space character"
	case !unicode.IsPrint(r):
		return "a hidden character"
	}
	return "“" + string(r) + "”"
}

// quote puts s in curly quotes for an error message, shortening it if long
// and showing line breaks as spaces.
func quote(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return "“" + s + "”"
}

// Placeholders returns the distinct placeholder names used in body (first
// spelling seen, in order of first use), including names used in
// conditionals.
func Placeholders(body string) ([]string, error) {
	parts, err := Parse(body)
	if err != nil {
		return nil, err
	}
	return names(parts), nil
}

func names(parts []Part) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range parts {
		if p.Name == "" {
			continue
		}
		if n := Normalise(p.Name); !seen[n] {
			seen[n] = true
			out = append(out, p.Name)
		}
	}
	return out
}

// CheckError lists placeholders that a body uses but that were not
// declared, as written in the body, in order of first use.
type CheckError struct {
	Unknown []string
}

func (e *CheckError) Error() string {
	if len(e.Unknown) == 1 {
		return "the template uses " + bracketList(e.Unknown) + ", which is not one of the placeholders this template can use"
	}
	return "the template uses " + bracketList(e.Unknown) + ", which are not among the placeholders this template can use"
}

// Check checks body against the declared placeholder names (compared with
// Normalise). It returns a *CheckError listing the names used but not
// declared, or nil if all is fine. Syntax errors are returned as
// *SyntaxError.
func Check(body string, declared []string) error {
	used, err := Placeholders(body)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(declared))
	for _, d := range declared {
		known[Normalise(d)] = true
	}
	var unknown []string
	for _, n := range used {
		if !known[Normalise(n)] {
			unknown = append(unknown, n)
		}
	}
	if unknown != nil {
		return &CheckError{Unknown: unknown}
	}
	return nil
}

// MissingError lists the placeholders a body needs values for but that were
// not given, as written in the body, sorted.
type MissingError struct {
	Names []string
}

func (e *MissingError) Error() string {
	if len(e.Names) == 1 {
		return "no value was given for " + bracketList(e.Names)
	}
	return "no values were given for " + bracketList(e.Names)
}

// bracketList writes names as "((a))", "((a)) and ((b))" or
// "((a)), ((b)) and ((c))".
func bracketList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "((" + n + "))"
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// Truthy reports whether a personalisation value turns conditional text on:
// "yes", "y", "true" or "1", ignoring case and surrounding spaces.
func Truthy(value string) bool {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "yes", "y", "true", "1":
		return true
	}
	return false
}

// Render fills body with personalisation (keys compared with Normalise).
//
// Every plain placeholder needs a value that is not blank. Conditional text
// needs its key present: the text shows when the value is truthy (see
// Truthy), otherwise nothing shows. If any are missing, Render returns "" and
// a *MissingError. Values are inserted as they are: a value containing
// "((x))" is not expanded again.
//
// If two keys have the same normal form (such as "first_name" and
// "First Name"), the one that sorts first is used.
func Render(body string, personalisation map[string]string) (string, error) {
	parts, err := Parse(body)
	if err != nil {
		return "", err
	}
	keys := make([]string, 0, len(personalisation))
	for k := range personalisation {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	values := make(map[string]string, len(keys))
	for _, k := range keys {
		n := Normalise(k)
		if _, ok := values[n]; !ok {
			values[n] = personalisation[k]
		}
	}

	var b strings.Builder
	b.Grow(len(body))
	var missing []string
	seen := map[string]bool{}
	for _, p := range parts {
		if p.Name == "" {
			b.WriteString(p.Text)
			continue
		}
		n := Normalise(p.Name)
		v, ok := values[n]
		if !ok || (!p.Conditional && strings.TrimSpace(v) == "") {
			if !seen[n] {
				seen[n] = true
				missing = append(missing, p.Name)
			}
			continue
		}
		switch {
		case !p.Conditional:
			b.WriteString(v)
		case Truthy(v):
			b.WriteString(p.Text)
		}
	}
	if missing != nil {
		slices.SortFunc(missing, func(a, b string) int {
			return cmp.Or(cmp.Compare(Normalise(a), Normalise(b)), cmp.Compare(a, b))
		})
		return "", &MissingError{Names: missing}
	}
	return b.String(), nil
}

// ChooseLanguage picks a language among available (BCP 47 tags such as
// "en", "cy", "ar", "fa-AF") for a person whose preferred language is
// preferred. It tries, in order: an exact match (ignoring case); a tag with
// the same primary language ("fa-AF" gives "fa", "fa" gives "fa-AF"),
// preferring the bare primary tag; "en" (or else any English tag); and then
// the first available. It returns the tag as written in available, or ""
// when none are available.
func ChooseLanguage(preferred string, available []string) string {
	preferred = strings.TrimSpace(preferred)
	var tags []string
	for _, a := range available {
		if strings.TrimSpace(a) != "" {
			tags = append(tags, a)
		}
	}
	if len(tags) == 0 {
		return ""
	}
	find := func(match func(tag string) bool) (string, bool) {
		for _, a := range tags {
			if match(strings.TrimSpace(a)) {
				return a, true
			}
		}
		return "", false
	}
	try := func(lang string) (string, bool) {
		if lang == "" {
			return "", false
		}
		if a, ok := find(func(t string) bool { return equalTag(t, lang) }); ok {
			return a, true
		}
		p := primary(lang)
		if a, ok := find(func(t string) bool { return equalTag(t, p) }); ok {
			return a, true
		}
		return find(func(t string) bool { return strings.EqualFold(primary(t), p) })
	}
	if a, ok := try(preferred); ok {
		return a
	}
	if a, ok := try("en"); ok {
		return a
	}
	return tags[0]
}

// equalTag compares language tags ignoring case and treating '_' as '-'.
func equalTag(a, b string) bool {
	return strings.EqualFold(strings.ReplaceAll(a, "_", "-"), strings.ReplaceAll(b, "_", "-"))
}

// primary returns the primary language subtag of tag: "fa" for "fa-AF".
func primary(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		return tag[:i]
	}
	return tag
}
