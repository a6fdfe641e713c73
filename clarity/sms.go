package clarity

import "unicode/utf16"

// The GSM 03.38 default alphabet (without the escape code) and its
// extension table, whose characters take two septets.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "\f^{}\\[~]|€"
)

// Encodings reported in SMS.Encoding.
const (
	GSM  = "GSM"
	UCS2 = "UCS-2"
)

var (
	gsmASCII [128]uint8 // septets for ASCII runes: 0 = not GSM
	gsmOther = map[rune]uint8{}
)

func init() {
	for _, r := range gsmBasic {
		setGSM(r, 1)
	}
	for _, r := range gsmExtension {
		setGSM(r, 2)
	}
}

func setGSM(r rune, n uint8) {
	if r < 128 {
		gsmASCII[r] = n
	} else {
		gsmOther[r] = n
	}
}

func gsmSeptets(r rune) int {
	if r >= 0 && r < 128 {
		return int(gsmASCII[r])
	}
	return int(gsmOther[r])
}

// CountSMS counts the text exactly as given. In the GSM alphabet a
// character counts 1 and one from the extension table 2; any other
// character forces UCS-2, where every character counts its UTF-16 code
// units (an emoji counts 2). A message of up to 160 GSM characters (70
// UCS-2) is one part; a longer one is split into parts of 153 (67). An
// empty text is 0 parts.
func CountSMS(text string) SMS {
	septets, units := 0, 0
	var non []string
	seen := map[rune]bool{}
	for _, r := range text {
		n := utf16.RuneLen(r)
		if n < 1 {
			n = 1
		}
		units += n
		if s := gsmSeptets(r); s > 0 {
			septets += s
			continue
		}
		if !seen[r] {
			seen[r] = true
			non = append(non, string(r))
		}
	}
	s := SMS{Characters: septets, Encoding: GSM}
	single, multi := 160, 153
	if len(non) > 0 {
		s = SMS{Characters: units, Encoding: UCS2, NonGSM: non}
		single, multi = 70, 67
	}
	switch {
	case s.Characters == 0:
		s.Parts = 0
	case s.Characters <= single:
		s.Parts = 1
	default:
		s.Parts = (s.Characters + multi - 1) / multi
	}
	return s
}
