package letterpdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// Page geometry, in millimetres (A4 portrait).
const (
	pageW        = 210.0
	pageH        = 297.0
	margin       = 20.0
	textW        = pageW - 2*margin
	bottomMargin = 25.0 // content stops here; the footer sits below
	footerY      = pageH - 15
	contTop      = 25.0 // where content starts on continuation pages

	ptToMM = 25.4 / 72
)

// fixedDate is written as the PDF's creation and modification dates so that
// identical input gives byte-identical output.
var fixedDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

const nbAlias = "{nb}"

// doc wraps an fpdf document with the helpers both renderers use.
type doc struct {
	*fpdf.Fpdf
}

func newDoc(title, author, lang string) doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(false)
	f.SetCatalogSort(true)
	f.SetCreationDate(fixedDate)
	f.SetModificationDate(fixedDate)
	f.AliasNbPages(nbAlias) // before adding fonts: it changes the font subset
	f.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	f.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	f.SetTitle(title, true)
	f.SetAuthor(author, true)
	f.SetCreator("tether letterpdf", true)
	if lang != "" {
		f.SetLang(lang)
	}
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, bottomMargin)
	f.SetCellMargin(0)
	f.SetTextColor(0, 0, 0)
	f.SetDrawColor(0, 0, 0)
	return doc{f}
}

// output writes the finished document to w, or returns the first error
// fpdf recorded. Nothing is written to w on error.
func (d doc) output(w io.Writer) error {
	if err := d.Error(); err != nil {
		return fmt.Errorf("letterpdf: %w", err)
	}
	var buf bytes.Buffer
	if err := d.Output(&buf); err != nil {
		return fmt.Errorf("letterpdf: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func (d doc) font(style string, size float64) {
	d.SetFont(fontFamily, style, size)
}

// lineHeight is the leading for a font size in points, in mm.
func lineHeight(sizePt, factor float64) float64 { return sizePt * factor * ptToMM }

// fits reports whether h more millimetres fit on the current page.
func (d doc) fits(h float64) bool {
	return d.GetY()+h <= pageH-bottomMargin
}

// ensure starts a new page unless h more millimetres fit on this one.
func (d doc) ensure(h float64) {
	if !d.fits(h) {
		d.AddPage()
	}
}

// text prints one line at (x, y) as the top of a line of height h.
func (d doc) text(x, y, w, h float64, s, align string) {
	d.SetXY(x, y)
	d.CellFormat(w, h, s, "", 0, align, false, 0, "")
}

// wrap breaks s into lines no wider than w in the current font. Newlines
// are kept as line breaks, runs of spaces are kept inside a line and
// dropped at a wrap, and a word wider than w is broken between characters.
func (d doc) wrap(s string, w float64) []string {
	var out []string
	for _, hard := range strings.Split(s, "\n") {
		out = append(out, d.wrapLine(hard, w)...)
	}
	return out
}

func (d doc) wrapLine(s string, w float64) []string {
	if s == "" {
		return []string{""}
	}
	// Tokens alternate between runs of spaces and runs of non-spaces.
	var tokens []string
	start := 0
	for i, r := range s {
		if i > start && unicode.IsSpace(r) != unicode.IsSpace(rune(s[start])) {
			tokens = append(tokens, s[start:i])
			start = i
		}
	}
	tokens = append(tokens, s[start:])

	var lines []string
	var cur strings.Builder
	curW := 0.0
	flush := func() {
		lines = append(lines, strings.TrimRightFunc(cur.String(), unicode.IsSpace))
		cur.Reset()
		curW = 0
	}
	for _, t := range tokens {
		tw := d.GetStringWidth(t)
		space := unicode.IsSpace(rune(t[0]))
		switch {
		case curW+tw <= w:
			cur.WriteString(t)
			curW += tw
		case space:
			// A space run that overflows ends the line and is dropped.
			flush()
		case tw <= w:
			flush()
			cur.WriteString(t)
			curW = tw
		default:
			// A word longer than the line: break it between characters.
			for _, r := range t {
				rw := d.GetStringWidth(string(r))
				if curW+rw > w && cur.Len() > 0 {
					flush()
				}
				cur.WriteRune(r)
				curW += rw
			}
		}
	}
	if cur.Len() > 0 || len(lines) == 0 {
		lines = append(lines, strings.TrimRightFunc(cur.String(), unicode.IsSpace))
	}
	return lines
}

// para prints wrapped text at x, width w, breaking pages as needed, and
// returns the number of lines printed.
func (d doc) para(x, w, lh float64, s string) int {
	lines := d.wrap(s, w)
	for _, l := range lines {
		d.ensure(lh)
		d.text(x, d.GetY(), w, lh, l, "L")
		d.SetY(d.GetY() + lh)
	}
	return len(lines)
}
