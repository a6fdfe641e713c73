package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"tether"
	"tether/reporting"
	"tether/store"
)

// The lapses commands: list lapses of contact, show one with its tracing
// plan, record a tracing attempt; and the contact figures for managers.

func lapsesListCommand() *command {
	return &command{
		name:    "lapses list",
		summary: "list lapses of contact, newest first: open ones, or a person's",
		help: `
Prints each lapse's id, person, when it began and why, the reporting
centre, its status (at risk, out of contact, absconder, or closed), and its
tracing attempts made, to do and overdue.

Examples:
  tether lapses list                      the open lapses
  tether lapses list -all                 open and closed
  tether lapses list -person TH-04817263K`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			person := fs.FlagSet.String("person", "", "only this person's lapses, open and closed (a reference)")
			all := fs.FlagSet.Bool("all", false, "closed lapses too")
			limit := fs.FlagSet.Int("limit", 100, "at most this many (up to 500)")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("lapses list", args); err != nil {
					return err
				}
				if *limit < 1 {
					return usagef("-limit must be at least 1")
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("lapses"), func(ctx context.Context, db *store.DB) error {
					f := tether.LapseFilter{State: "open", Limit: *limit}
					if *all || *person != "" {
						f.State = ""
					}
					if *person != "" {
						p, err := db.FindPersonByRef(ctx, *person)
						if err != nil {
							return err
						}
						f.PersonID = &p.ID
					}
					ls, total, err := db.FindLapses(ctx, f)
					if err != nil {
						return err
					}
					w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(w, "LAPSE\tPERSON\tBEGAN\tWHY\tCENTRE\tSTATUS\tATTEMPTS MADE\tTO DO\tOVERDUE")
					for _, l := range ls {
						status := l.Status
						if !l.Open() {
							status = "closed " + l.ClosedOn
						}
						fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n", l.ID, l.PersonRef, l.OpenedOn, l.Cause,
							orDash(l.Centre), status, l.AttemptsDone, l.AttemptsDue, l.AttemptsOverdue)
					}
					w.Flush()
					fmt.Fprintf(a.stderr, "%s shown of %s.\n", commas(int64(len(ls))), commas(int64(total)))
					return nil
				})
			}
		},
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func lapsesShowCommand() *command {
	return &command{
		name:    "lapses show",
		args:    "ID",
		summary: "show a lapse of contact: what happened, its tracing plan and attempts",
		help: `
Prints the lapse (when it began and why, the first signal, the reporting
centre, escalation and closing), the tracing plan's attempts in order with
their ids (for tether lapses attempt), due days, states and outcomes, and
the lapse's history. -json prints the same as the API does.

Examples:
  tether lapses show 12
  tether lapses show -json 12`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			asJSON := fs.FlagSet.Bool("json", false, "print JSON")
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("lapses show takes one lapse id")
				}
				id, err := strconv.ParseInt(args[0], 10, 64)
				if err != nil || id <= 0 {
					return usagef("%q is not a lapse id", args[0])
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("lapses"), func(ctx context.Context, db *store.DB) error {
					d, err := db.FindLapse(ctx, id)
					if err != nil {
						return err
					}
					if *asJSON {
						enc := json.NewEncoder(a.stdout)
						enc.SetIndent("", "  ")
						return enc.Encode(d)
					}
					a.printLapse(d)
					return nil
				})
			}
		},
	}
}

// printLapse prints a lapse, its attempts and history.
func (a *app) printLapse(d *tether.LapseDetail) {
	l := d.Lapse
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%s\t%s\n", k, v)
		}
	}
	ts := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	row("Lapse", strconv.FormatInt(l.ID, 10))
	row("Person", l.PersonRef)
	row("Status", l.Status)
	row("Began", l.OpenedAt.Format(time.RFC3339)+" ("+l.Cause+")")
	row("First signal", l.FirstSignalAt.Format(time.RFC3339)+" ("+l.FirstSignalCause+")")
	row("Centre", orDash(l.Centre))
	row("Events missed", strconv.Itoa(l.EventsMissed))
	row("Out of contact", ts(l.OutOfContactAt))
	row("Absconder", ts(l.AbsconderAt))
	if l.ClosedAt != nil {
		row("Closed", ts(l.ClosedAt)+" ("+l.ClosingCause+")")
	}
	if p := d.Plan; p != nil {
		row("Plan", fmt.Sprintf("%s version %d from %s (%s), %s", p.Playbook, p.PlaybookVersion, p.StartOn, p.Division, p.State))
		if p.TaskID != nil {
			row("Task", strconv.FormatInt(*p.TaskID, 10))
		}
	}
	w.Flush()
	fmt.Fprintln(a.stdout, "\nAttempts:")
	w = tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "  ID\tSTEP\tKIND\tTARGET\tDUE\tSTATE\tOUTCOME")
	today := a.clock.Now().Format("2006-01-02")
	for _, t := range d.Attempts {
		state := t.State
		if t.Overdue(today) {
			state += " (overdue)"
		}
		outcome := t.Outcome
		if t.State == tether.AttemptSkipped {
			outcome = t.SkipReason
		} else if t.AttemptedAt != nil {
			outcome += " at " + t.AttemptedAt.Format(time.RFC3339) + " by " + t.RecordedBy + " (" + t.How + ")"
		}
		target := t.Target
		if t.Party != "" && t.Party != tether.PartySelf {
			target = strings.TrimSpace(t.Party + " " + target)
		}
		fmt.Fprintf(w, "  %d\t%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Seq, t.Kind, orDash(target), orDash(t.DueOn), state, outcome)
	}
	w.Flush()
	fmt.Fprintln(a.stdout, "\nHistory:")
	w = tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	for _, e := range d.Events {
		change := ""
		if e.From != e.To {
			change = strings.TrimSpace(e.From + " -> " + e.To)
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\n", e.At.Format(time.RFC3339), e.Action, change, e.Actor, e.Detail)
	}
	w.Flush()
}

func lapsesAttemptCommand() *command {
	return &command{
		name:    "lapses attempt",
		args:    "ATTEMPT-ID",
		summary: "record a tracing attempt as made: the outcome, when and how",
		help: `
Records the attempt (an id from tether lapses show) as made now, or at
-at, with its outcome, how it was made (the attempt's usual way if not
given) and a note. A call with no answer counts as a failed call; reaching
the person re-establishes contact and closes the lapse. -email, -mobile or
-landline records a contact detail the attempt found for the person
(with -replaces, the id of one of their current contact points it
replaces). Outcomes: ` + strings.Join(reporting.AttemptOutcomes, ", ") + `;
each kind of attempt allows some of them.

Examples:
  tether lapses attempt 31 -outcome no_answer
  tether lapses attempt 32 -outcome reached -at 2026-03-03T14:30:00Z -note "Rang back"
  tether lapses attempt 36 -outcome details_found -mobile "07700 900456"`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			outcome := fs.FlagSet.String("outcome", "", "the outcome (required)")
			at := fs.FlagSet.String("at", "", "when it was made, RFC 3339 (default: now)")
			how := fs.FlagSet.String("how", "", "how it was made: "+strings.Join(reporting.AttemptHows, ", "))
			note := fs.FlagSet.String("note", "", "a note of what was said or found")
			email := fs.FlagSet.String("email", "", "a new email address the attempt found")
			mobile := fs.FlagSet.String("mobile", "", "a new mobile number the attempt found")
			landline := fs.FlagSet.String("landline", "", "a new landline number the attempt found")
			replaces := fs.FlagSet.Int64("replaces", 0, "the id of the person's contact point the new detail replaces")
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("lapses attempt takes one attempt id")
				}
				id, err := strconv.ParseInt(args[0], 10, 64)
				if err != nil || id <= 0 {
					return usagef("%q is not an attempt id", args[0])
				}
				if err := required("outcome", *outcome); err != nil {
					return err
				}
				in := tether.AttemptInput{Outcome: *outcome, How: *how, Note: *note}
				if *at != "" {
					if in.At, err = time.Parse(time.RFC3339, *at); err != nil {
						return usagef("-at must be a time like 2026-03-03T14:30:00Z")
					}
				}
				found := 0
				for kind, v := range map[string]string{tether.KindEmail: *email, tether.KindMobile: *mobile, tether.KindLandline: *landline} {
					if v == "" {
						continue
					}
					found++
					c := &tether.ContactPoint{Kind: kind}
					if kind == tether.KindEmail {
						c.Email = v
					} else {
						c.Phone = v
					}
					in.NewContact = c
				}
				if found > 1 {
					return usagef("give one of -email, -mobile and -landline")
				}
				if *replaces != 0 {
					in.Replaces = replaces
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("lapses"), func(ctx context.Context, db *store.DB) error {
					t, l, err := db.RecordAttempt(ctx, id, in)
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Attempt %d (step %d, %s) recorded: %s.\n", t.ID, t.Seq, t.Kind, reporting.OutcomeWords(t.Outcome))
					if t.NewContactPointID != nil {
						fmt.Fprintf(a.stdout, "New contact point %d recorded.\n", *t.NewContactPointID)
					}
					if l.Open() {
						fmt.Fprintf(a.stdout, "Lapse %d is open: %s; %d attempts made, %d to do.\n", l.ID, l.Status, l.AttemptsDone, l.AttemptsDue)
					} else {
						fmt.Fprintf(a.stdout, "Contact is re-established: lapse %d is closed.\n", l.ID)
					}
					return nil
				})
			}
		},
	}
}

func figuresContactCommand() *command {
	return &command{
		name:    "figures contact",
		summary: "figures for managers: lapses, tracing and re-establishing contact, per centre and month",
		help: `
Prints, for each month from -from to -to (YYYY-MM; at most 36 months), for
all, for each reporting centre and for the lapses of people with no
in-person reporting: the people on reporting conditions, the lapses of
contact opened and their rate, the reporting events missed, the median
and mean hours from the first signal to at risk, from at risk to the
first tracing attempt and to contact re-established, and the share of
lapses with a tracing attempt within one working day. -csv writes CSV,
-json the API's JSON. Counts and times only: no personal data.

Examples:
  tether figures contact -from 2026-01 -to 2026-06
  tether figures contact -from 2026-01 -to 2026-06 -csv > figures.csv`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			from := fs.FlagSet.String("from", "", "the first month, YYYY-MM (default: five months before -to)")
			to := fs.FlagSet.String("to", "", "the last month, YYYY-MM (default: this month)")
			asCSV := fs.FlagSet.Bool("csv", false, "write CSV")
			asJSON := fs.FlagSet.Bool("json", false, "write JSON")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("figures contact", args); err != nil {
					return err
				}
				if *asCSV && *asJSON {
					return usagef("give -csv or -json, not both")
				}
				if *to == "" {
					*to = a.clock.Now().Format("2006-01")
				}
				if *from == "" {
					m, err := reporting.ParseMonth("to", *to)
					if err != nil {
						return err
					}
					*from = time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, -5, 0).Format("2006-01")
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("figures"), func(ctx context.Context, db *store.DB) error {
					f, err := db.ContactFigures(ctx, *from, *to)
					if err != nil {
						return err
					}
					return a.writeFigures(*asCSV, *asJSON, f.WriteCSV, f, func() { a.printFigures(f) })
				})
			}
		},
	}
}

// writeFigures writes figures as CSV (writeCSV), as indented JSON (v), or
// as a table for people (table).
func (a *app) writeFigures(asCSV, asJSON bool, writeCSV func(io.Writer) error, v any, table func()) error {
	switch {
	case asCSV:
		return writeCSV(a.stdout)
	case asJSON:
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	table()
	return nil
}

// printFigures prints the figures as a table.
func (a *app) printFigures(f *reporting.ContactFigures) {
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "MONTH\tCENTRE\tPEOPLE\tLAPSES\tRATE\tMISSED\tSIGNAL TO AT RISK (H)\tTO 1ST ATTEMPT (H)\tWITHIN 1 WORKING DAY\tTO RE-ESTABLISH (H)\tOPEN\t")
	num := func(x *float64, pct bool) string {
		switch {
		case x == nil:
			return "-"
		case pct:
			return strconv.FormatFloat(*x*100, 'f', 1, 64) + "%"
		}
		return strconv.FormatFloat(*x, 'f', 1, 64)
	}
	dur := func(d reporting.Durations) string {
		if d.N == 0 {
			return "-"
		}
		return num(d.MedianHours, false) + " / " + num(d.MeanHours, false) + " (" + strconv.Itoa(d.N) + ")"
	}
	for _, r := range f.Rows {
		centre := r.Centre
		switch r.Scope {
		case reporting.ScopeAll:
			centre = "All"
		case reporting.ScopeNoCentre:
			centre = "No centre"
		}
		people := "-"
		if r.People != nil {
			people = strconv.Itoa(*r.People)
		}
		s := r.AttemptWithinOneWorkingDay
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\t%s\t%d\t\n", r.Month, centre, people, r.Lapses, num(r.LapseRate, true),
			r.EventsMissed, dur(r.SignalToAtRisk), dur(r.ToFirstAttempt),
			num(s.Share, true)+" ("+strconv.Itoa(s.With)+" of "+strconv.Itoa(s.Of)+")", dur(r.ToReEstablish), r.StillOpen)
	}
	w.Flush()
	fmt.Fprintln(a.stdout, "\nHours are median / mean (how many). Definitions: tether figures contact -json.")
}
