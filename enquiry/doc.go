// Package enquiry holds the rules of enquiries that MPs' offices and legal
// representatives raise about individual cases: what an enquiry says
// (Input, with its categories, urgencies and the person's consent or the
// representative's authority), the service standards it is answered within
// (standards.json, data not code), when it is due and why in words, the
// workflow it moves through (received, triaged, assigned, in progress,
// answered, closed, and reopened), what a holding reply must say when an
// answer will miss its date, when the assignee is warned and when a breach
// is raised, and how late an answer was in the bands of the published
// figures.
//
// It is pure: no I/O, no clock, no environment, no mutable package state.
// Dates are calendar.Date arguments (today is always passed in), and bank
// holidays come in as a calendar.Calendar, so every rule is testable as a
// table. It imports the root package tether for its error type and
// organisation kinds, and the pure packages calendar, namematch and
// reference. It must never import the storage, web, notify or sweep
// packages; they import it.
//
// # Service standards
//
// A Standard gives the working days within which an enquiry of an urgency
// (and, optionally, a category) is answered: by default 20 for routine
// enquiries and 2 for urgent and compassionate ones (check: configurable
// service standards, not law). Counting starts the day after receipt, in
// the bank-holiday calendar of the office's division; DueDate returns the date
// with an explanation in words ("Received Monday 2 March 2026 (not
// counted). Working days 1 to 20: ..."), as the correspondence calendar
// explains deemed dates.
//
// # Workflow
//
//	received -> triaged -> assigned -> in_progress -> answered -> closed
//
// An enquiry may be assigned again (to someone else) while it is triaged,
// assigned or in progress, and answered from assigned or in progress; an
// answered or closed one may be reopened, with a reason, and is then in
// progress again. A holding reply leaves an open enquiry in its state.
// Next says which state an action leads to, or why it does not apply.
//
// # Holding replies
//
// When an answer will miss its date, a holding reply goes to the office on
// or before the current due date with a reason from a controlled list
// (Reasons), what is outstanding and from whom ("complex" is not a reason
// on its own), optional free text, and a committed new date after the
// current one. The assignee and the team lead are warned WarnWorkingDays
// working days before the due date, and a breach is raised the day after.
//
// # Late bands
//
// An answer is within the standard when the working days it took (from
// receipt, not counting the day of receipt) are no more than the
// standard's; otherwise it falls in the bands of the published figures:
// up to 20 working days (late against a shorter standard, such as an
// urgent enquiry's 2), 20 to 30, 30 to 40, 40 to 50 and over 50 (each band
// includes its upper bound and not its lower), or, unanswered past its
// standard, still outstanding.
package enquiry
