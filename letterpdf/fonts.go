package letterpdf

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"
)

// The DejaVu fonts are under the Bitstream Vera licence; see fonts/LICENSE.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

const fontFamily = "DejaVuSans"

// ErrUnsupportedScript is returned (wrapped, test with errors.Is) when a
// letter or record contains text this package cannot print correctly: a
// right-to-left language or script such as Arabic, Persian, Urdu or Hebrew
// (fpdf neither shapes nor reorders it, so it would print as disconnected,
// back-to-front letters), or a character that the embedded font lacks (for
// example Chinese, or Devanagari).
var ErrUnsupportedScript = errors.New("letterpdf: unsupported script")

// rtlScripts are the ISO 15924 codes of right-to-left scripts.
var rtlScripts = map[string]bool{
	"Arab": true, "Hebr": true, "Syrc": true, "Thaa": true, "Nkoo": true,
	"Adlm": true, "Rohg": true, "Samr": true, "Mand": true,
}

// checkLanguage rejects a BCP 47 tag whose (likely) script is right to left:
// "ar", "fa", "ur", "he", "ps", "yi", "ckb", "pa-Arab" and so on. An empty
// or unparseable tag is not rejected here; the text itself is still checked.
func checkLanguage(tag string) error {
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return nil
	}
	t, err := language.Parse(tag)
	if err != nil {
		return nil
	}
	if s, _ := t.Script(); rtlScripts[s.String()] {
		return fmt.Errorf("%w: language %q is written right to left (%s script), which the PDF renderer cannot shape; send this letter by another route or in another language", ErrUnsupportedScript, tag, s)
	}
	return nil
}

// coverage is the set of BMP characters that both embedded fonts can print.
var coverage = sync.OnceValue(func() *[65536 / 64]uint64 {
	var reg, bold [65536 / 64]uint64
	cmapCoverage(fontRegular, &reg)
	cmapCoverage(fontBold, &bold)
	for i := range reg {
		reg[i] &= bold[i]
	}
	return &reg
})

func hasGlyph(r rune) bool {
	if r < 0 || r > 0xFFFF {
		return false // fpdf's UTF-16 conversion handles the BMP only
	}
	return coverage()[r/64]&(1<<(uint(r)%64)) != 0
}

// cmapCoverage marks in set every BMP character mapped to a glyph by the
// font's Unicode cmap (format 4 or 12).
func cmapCoverage(ttf []byte, set *[65536 / 64]uint64) {
	be := binary.BigEndian
	u16 := func(off int) int {
		if off < 0 || off+2 > len(ttf) {
			return 0
		}
		return int(be.Uint16(ttf[off:]))
	}
	u32 := func(off int) int {
		if off < 0 || off+4 > len(ttf) {
			return 0
		}
		return int(be.Uint32(ttf[off:]))
	}
	mark := func(c int) {
		if c >= 0 && c <= 0xFFFF {
			set[c/64] |= 1 << (uint(c) % 64)
		}
	}
	cmap := -1
	for i, n := 0, u16(4); i < n; i++ {
		rec := 12 + 16*i
		if string(ttf[rec:rec+4]) == "cmap" {
			cmap = u32(rec + 8)
		}
	}
	if cmap < 0 {
		return
	}
	best, bestRank := -1, 0
	for i, n := 0, u16(cmap+2); i < n; i++ {
		rec := cmap + 4 + 8*i
		pid, eid, off := u16(rec), u16(rec+2), u32(rec+4)
		rank := 0
		switch {
		case pid == 3 && eid == 10, pid == 0 && eid >= 4:
			rank = 2
		case pid == 3 && eid == 1, pid == 0:
			rank = 1
		}
		if rank > bestRank {
			best, bestRank = cmap+off, rank
		}
	}
	if best < 0 {
		return
	}
	switch u16(best) {
	case 4:
		segs := u16(best+6) / 2
		ends := best + 14
		starts := ends + 2*segs + 2
		deltas := starts + 2*segs
		ranges := deltas + 2*segs
		for s := 0; s < segs; s++ {
			end, start := u16(ends+2*s), u16(starts+2*s)
			delta, ro := u16(deltas+2*s), u16(ranges+2*s)
			for c := start; c <= end && c != 0xFFFF; c++ {
				g := 0
				if ro == 0 {
					g = (c + delta) & 0xFFFF
				} else if g = u16(ranges + 2*s + ro + 2*(c-start)); g != 0 {
					g = (g + delta) & 0xFFFF
				}
				if g != 0 {
					mark(c)
				}
			}
		}
	case 12:
		for i, n := 0, u32(best+12); i < n; i++ {
			grp := best + 16 + 12*i
			start, end, g := u32(grp), u32(grp+4), u32(grp+8)
			for c := start; c <= end && c <= 0xFFFF; c++ {
				if g+(c-start) != 0 {
					mark(c)
				}
			}
		}
	}
}

// clean normalises s for printing: NFC (so that "Nguyễn" typed with
// combining marks prints as precomposed letters), CRLF to LF, tabs to
// spaces, and invisible format characters (zero-width spaces, bidi marks,
// byte-order marks) and other control characters removed.
func clean(s string) string {
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case r == '\u00A0':
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

// checkText reports whether the (cleaned) text can be printed: no
// right-to-left characters and nothing missing from the font.
func checkText(field, s string) error {
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if p, _ := bidi.LookupRune(r); p.Class() == bidi.R || p.Class() == bidi.AL {
			return fmt.Errorf("%w: %s contains right-to-left text (%q, U+%04X), which the PDF renderer cannot shape", ErrUnsupportedScript, field, r, r)
		}
		if !hasGlyph(r) {
			return fmt.Errorf("%w: %s contains %q (U+%04X), which the letter font cannot print", ErrUnsupportedScript, field, r, r)
		}
	}
	return nil
}

// textChecker cleans fields and remembers the first unprintable one.
type textChecker struct{ err error }

func (c *textChecker) str(field string, s *string) {
	*s = clean(*s)
	if c.err == nil {
		c.err = checkText(field, *s)
	}
}

func (c *textChecker) lines(field string, ls []string) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l
		c.str(fmt.Sprintf("%s line %d", field, i+1), &out[i])
	}
	return out
}
