// Package letterpdf renders Tether's printed correspondence to PDF: letters
// to be posted in a DL or C5 window envelope, and proof-of-service records
// that show what was sent, how, to where, when it is deemed served and what
// happened to it afterwards.
//
// Render lays out an A4 letter: the recipient's address where the envelope
// window will show it (20 mm from the left, 50 mm from the top, 90×40 mm),
// the department's reply details at the top right with the date and both
// references beneath, a bold subject, and a body of paragraphs, "- " bullets
// and "# " sub-headings. Every page carries "Page N of M" and the reference;
// pages after the first have a short header. CheckAddress applies the
// checks a print-and-post supplier makes to an address (3 to 7 lines of at
// most 45 characters, the last a UK postcode or a country), and Render
// refuses an address that fails them rather than producing a letter that
// would be returned.
//
// RenderProof lays out a proof-of-service record: the fields as a table,
// the delivery timeline as a table, the deemed date of service with its
// explanation, and the exact content sent, in a box, over as many pages as
// it needs.
//
// Text is set in DejaVu Sans, embedded in the package (see fonts/LICENSE),
// so names such as "Nguyễn", "Łukasz" or "Müller" print correctly. The PDF
// library cannot shape or reorder right-to-left scripts, so Arabic, Persian,
// Urdu, Hebrew and similar text, and characters the font lacks, make the
// renderers return ErrUnsupportedScript instead of printing garbage.
//
// Output is deterministic — the same input gives the same bytes — because
// the PDF dates are fixed and nothing else varies between runs; this keeps
// golden-file tests possible and lets a stored PDF be re-created and
// compared. The package only writes to an io.Writer: it does no storage or
// network access of its own.
package letterpdf
