// Package compose parses and renders the text of Tether's correspondence
// templates: letters, emails and SMS messages written with GOV.UK
// Notify-style placeholders.
//
// A template body is plain text with placeholders in double brackets:
//
//	Dear ((name)), you must report to ((centre_name)) by ((time)) on ((date)).
//	((interpreter??We will have an interpreter for you.))
//
// ((name)) is replaced by the value given for name. ((name??text)) is
// conditional text: it shows when the value for name is "yes", "y", "true"
// or "1", and shows nothing otherwise. Placeholder names are compared in a
// forgiving way (see Normalise), so "First Name", "first_name" and
// "FIRST-NAME" are the same placeholder.
//
// The package also holds a starter set of plainly written templates (see
// Starter), embedded from starter.json.
//
// This package is pure: it does no I/O apart from reading its embedded data.
// It must never import the storage or HTTP packages (store, web, notify,
// net/http, database/sql); they import it.
package compose
