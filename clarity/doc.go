// Package clarity checks the wording of a correspondence template before it
// can be published: how easy it is to read (Flesch reading ease and
// Flesch-Kincaid grade), which sentences are too long, which words are
// jargon with plainer alternatives, where the passive voice may hide who
// does what, whether a letter that asks someone to act says what to do, by
// when, what happens if they do not and how to get help, and, for SMS, how
// many characters and message parts the text will take.
//
// Templates may contain GOV.UK Notify placeholders "((name))" and
// conditional text "((name??text))". For analysis a placeholder reads as
// the neutral two-syllable word "Sample" and a conditional reads as its
// text; every Span in a Report is a byte offset into the original text given
// to Check, so an editor can underline it directly.
//
// The package is pure: no I/O, no clock, no global state beyond the embedded
// jargon list. It must not import the storage, HTTP, notify or any other
// Tether package, so that it can run on every keystroke in the template
// editor and in tests. The results are hints for a human editor; only the
// thresholds in Bar decide whether a template may be published.
package clarity
