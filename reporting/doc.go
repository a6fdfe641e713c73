// Package reporting holds the rules of reporting conditions and of keeping
// in contact with the people who report: what a condition is and when it is
// valid, which reporting events its schedule gives, who may report which
// way, what may happen to an event, how a person's contact status moves, and
// the tracing plan made when contact lapses.
//
// It is pure: no I/O, no clock, no environment, no mutable package state.
// Dates and times are arguments (calendar.Date for days, time.Time only for
// when something happened), and bank holidays come in as a
// *calendar.Holidays or calendar.Calendar, so every rule is testable as a
// table. It imports the root package tether for its error type (tether.Error
// with field names, tether.Problems), its contact-status words (tether.Status*,
// tether.Cause*) and its state machine tether.NextStatus, which Apply wraps
// rather than repeats. It must never import the storage, web, notify, jobs
// or sweep packages; they import it.
//
// # Conditions and schedules
//
// A Condition is one way a person must report (KindInPerson, KindTelephone,
// KindDigital, KindElectronicMonitoring) on a Schedule, from Start to End
// (inclusive; a zero End is open-ended). A Schedule is weekly on given
// weekdays, every N weeks in step with an anchor date, monthly on day D, or
// on one-off dates, at an optional time of day; it has a compact text form
// ("weekly mon,thu 10:00", "every 2 weeks from 2026-03-02 10:00",
// "monthly day 31 10:00", "once 2026-03-02,2026-04-01") that ParseSchedule
// reads and Schedule.String writes. A schedule gives at most one event a
// day: each form has one time of day and repeated days are refused, so "a
// thousand events a day" cannot be written.
//
// Monthly on day 29, 30 or 31 falls on the last day of a shorter month: day
// 31 is 28 (or 29) February, 30 April and so on.
//
// Conditions are never edited: Change ends the old one the day before the
// new one starts and links them (Replaces), so the history stays. Two
// conditions of the same kind may not overlap in time.
//
// # Events on a rolling horizon
//
// Occurrences lists the events of a condition between two dates, at most
// MaxHorizonDays apart: events are made ahead on a rolling horizon (see
// NextHorizon), never forever. A reporting centre is closed at weekends and
// on the bank holidays of its own division, so an in-person event that falls
// on one moves to the next working day, and its Note says why; in-person
// schedules may not name a Saturday or Sunday at all. Telephone, digital
// and electronic-monitoring reporting need no one at a desk (telephone
// reporting is the department calling the person, with an automated line)
// and stay on the day the schedule gives. Should the department decide
// otherwise, movesOffClosedDays is the one place to change.
//
// # Eligibility
//
// Who may report which way is data (rules.json, a RuleSet of named,
// versioned Rules): for example no telephone reporting for a person
// identified for removal. RuleSet.Check refuses a condition with the rule's
// name and version in the error.
//
// # Event outcomes
//
// An Event is due, then closed as reported, missed, excused (a reasonable
// explanation, accepted by a named person) or rescheduled. Record applies
// an outcome: a check-in is only for an event due today, a closed event
// does not change, with one exception the domain makes: a reasonable
// explanation accepted later clears a miss (missed to excused).
//
// # Contact status
//
// Apply moves a person's State through the state machine in contact, at
// risk, out of contact, absconder, and back to in contact, by Signals (the
// causes tether.Cause*). Thresholds are configuration: by default the first
// missed event without an accepted explanation makes the person at risk the
// same day, and no contact within 5 working days (in the person's division)
// makes them out of contact; OutOfContactDue says when, with the days
// counted in words. Only the roles the thresholds name may declare an
// absconder, with a reason. Every Transition carries its cause.
//
// # Tracing
//
// When contact lapses, Plan turns a Playbook (playbook.json: ordered steps
// such as calling each number, texting, writing to the last-known address,
// the representative, emergency contacts, a compliance visit, checks with
// other agencies, each due a number of working days after the plan starts)
// and a person's Facts into dated attempts, and lists the steps that do not
// apply with the reason, so that the record shows every attempt considered.
// CheckAttempt checks an attempt as recorded: the outcomes each kind of
// attempt may have (OutcomesFor), how it was made, and when (not in the
// future, not before the lapse began); FailedCall, Reached and PointFailed
// say what an outcome means for the contact status and the contact point.
//
// # Figures
//
// ComputeContactFigures works out the figures for managers from lapses,
// reporting conditions and missed events: per month and per reporting
// centre, the lapse rate, the times from the first signal to at risk, to
// the first tracing attempt and to contact re-established, and the share of
// lapses with an attempt within one working day (FigureDefinitions).
package reporting
