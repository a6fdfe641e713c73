package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"tether"
	"tether/calendar"
	"tether/reporting"
	"tether/store"
)

// Reporting settings: serve and sweep use them all; the commands that make
// events use the horizon.
var (
	settingHorizonDays = setting{Flag: "horizon-days", Env: "TETHER_HORIZON_DAYS", Default: strconv.Itoa(reporting.DefaultHorizonDays),
		Usage: "how many days ahead reporting events are made (the rolling horizon)"}
	settingEndOfDay = setting{Flag: "end-of-day", Env: "TETHER_END_OF_DAY", Default: store.DefaultEndOfDay,
		Usage: "UK time (HH:MM) after which today's reporting events not checked in are missed"}
	settingReminderLead = setting{Flag: "reminder-lead", Env: "TETHER_REMINDER_LEAD", Default: store.DefaultReminderLead.String(),
		Usage: "how long before a reporting event its reminder is sent, like 24h"}
	settingReminderTemplate = setting{Flag: "reminder-template", Env: "TETHER_REMINDER_TEMPLATE", Default: store.DefaultReminderTemplate,
		Usage: "the key of the text message template reporting reminders use"}
)

func init() {
	// The reporting command groups, beside those main.go lists.
	groups["conditions"] = "set, list, change and end people's reporting conditions"
	groups["events"] = "list reporting events and a centre's roster, check people in, record outcomes"
}

// reportingFlags are the reporting settings a command bound.
type reportingFlags struct {
	horizon, endOfDay, lead, template *string
}

// bindReporting binds the reporting settings.
func bindReporting(fs *flags) *reportingFlags {
	return &reportingFlags{horizon: fs.String(settingHorizonDays), endOfDay: fs.String(settingEndOfDay),
		lead: fs.String(settingReminderLead), template: fs.String(settingReminderTemplate)}
}

// config reads the bound settings; a usage error names the one that is
// wrong.
func (f *reportingFlags) config() (store.Reporting, error) {
	var r store.Reporting
	days, err := strconv.Atoi(strings.TrimSpace(*f.horizon))
	if err != nil {
		return r, usagef("-horizon-days: %q is not a whole number of days", *f.horizon)
	}
	lead, err := time.ParseDuration(strings.TrimSpace(*f.lead))
	if err != nil {
		return r, usagef("-reminder-lead: %q is not a duration like 24h or 2h30m", *f.lead)
	}
	r = store.Reporting{HorizonDays: days, EndOfDay: strings.TrimSpace(*f.endOfDay), ReminderLead: lead,
		ReminderTemplate: strings.TrimSpace(*f.template), Rules: reporting.DefaultRules()}
	if err := r.Validate(); err != nil {
		for k, v := range tether.ErrorFields(err) {
			return r, usagef("-%s: %s", strings.ReplaceAll(k, "_", "-"), v)
		}
		return r, usagef("%s", tether.ErrorMessage(err))
	}
	return r, nil
}

// apply sets the configuration on db.
func (f *reportingFlags) apply(db *store.DB) error {
	cfg, err := f.config()
	if err != nil {
		return err
	}
	return db.SetReporting(cfg)
}

// conditionFlags are the fields of a condition as flags.
type conditionFlags struct {
	kind, schedule, start, end, centre, division, phone, device, setBy, reason *string
}

func bindCondition(fs *flags) *conditionFlags {
	return &conditionFlags{
		kind:     fs.FlagSet.String("kind", "", "how the person reports: "+strings.Join(reporting.Kinds, ", ")),
		schedule: fs.FlagSet.String("schedule", "", `the schedule, like "weekly mon,thu 10:00", "every 2 weeks from 2026-03-02 10:00", "monthly day 15 10:00" or "once 2026-03-02"`),
		start:    fs.FlagSet.String("start", "", "the first day the condition binds, YYYY-MM-DD"),
		end:      fs.FlagSet.String("end", "", "the last day, YYYY-MM-DD; empty for open-ended"),
		centre:   fs.FlagSet.String("centre", "", "in person: the reporting centre's name"),
		division: fs.FlagSet.String("division", calendar.EnglandAndWales, "in person: where the centre is, for its bank holidays: england-and-wales, scotland or northern-ireland"),
		phone:    fs.FlagSet.String("phone", "", "by telephone: the number the person is called on"),
		device:   fs.FlagSet.String("device", "", "electronic monitoring: "+strings.Join(reporting.Devices, " or ")),
		setBy:    fs.FlagSet.String("set-by", "", "who set the condition (default: this command)"),
		reason:   fs.FlagSet.String("reason", "", "why the condition is set"),
	}
}

// condition reads the flags as a condition for personID. A bad schedule
// or date is an EINVALID error naming the field, as the API gives.
func (f *conditionFlags) condition(personID int64) (*reporting.Condition, error) {
	c := &reporting.Condition{PersonID: personID, Kind: *f.kind, Phone: *f.phone, Device: *f.device,
		SetBy: *f.setBy, Reason: *f.reason}
	if c.Kind == reporting.KindInPerson {
		c.Centre, c.Division = *f.centre, *f.division
	} else if *f.centre != "" {
		c.Centre = *f.centre
	}
	q := tether.Problems{}
	if strings.TrimSpace(*f.schedule) == "" {
		q.Add("schedule", `give the schedule, like "weekly mon,thu 10:00"`)
	} else if s, err := reporting.ParseSchedule(*f.schedule); err != nil {
		q.Add("schedule", tether.ErrorFields(err)["schedule"])
	} else {
		c.Schedule = s
	}
	date := func(field, v string, to *calendar.Date) {
		if strings.TrimSpace(v) == "" {
			return
		}
		d, err := calendar.ParseDate(strings.TrimSpace(v))
		if err != nil {
			q.Add(field, "is not a date: write it YYYY-MM-DD")
			return
		}
		*to = d
	}
	date("start", *f.start, &c.Start)
	date("end", *f.end, &c.End)
	if err := q.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func conditionsAddCommand() *command {
	return &command{
		name:    "conditions add",
		summary: "set a reporting condition for a person, and make its events ahead",
		help: `
Sets how a person must report (in person at a reporting centre, by
telephone, digitally, or by electronic monitoring), on a schedule, from a
day, and makes its reporting events on the rolling horizon (-horizon-days
ahead; the sweeps make more as the days go by). The eligibility rules are
checked (for example, no telephone reporting for a person identified for
removal), and a condition may not overlap another of the same kind: the
refusal names the field and why, and nothing is written.

Schedules: "weekly mon,thu 10:00", "every 2 weeks from 2026-03-02 10:00",
"monthly day 31 10:00" (the last day of shorter months), "once
2026-03-02,2026-04-01 10:00". In-person events that fall on a weekend or a
bank holiday of the centre's division move to the next working day.

Examples:
  tether conditions add -person TH-04817263K -kind in_person -centre "Croydon reporting centre" \
      -schedule "weekly mon,thu 10:00" -start 2026-03-02 -reason "Bail conditions"
  tether conditions add -person TH-04817263K -kind telephone -phone "07700 900123" \
      -schedule "weekly wed 18:00" -start 2026-03-04 -end 2026-06-30 -reason "Telephone reporting"`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			person := fs.FlagSet.String("person", "", "the person's reference, like TH-04817263K")
			cf := bindCondition(fs)
			rf := bindReporting(fs)
			return func(ctx context.Context, args []string) error {
				if err := noArgs("conditions add", args); err != nil {
					return err
				}
				if err := required("person", *person); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("conditions"), func(ctx context.Context, db *store.DB) error {
					if err := rf.apply(db); err != nil {
						return err
					}
					p, err := db.FindPersonByRef(ctx, *person)
					if err != nil {
						return err
					}
					c, err := cf.condition(p.ID)
					if err != nil {
						return err
					}
					rec, err := db.CreateCondition(ctx, c)
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Set %s\n", rec.Describe())
					return a.printEventCount(ctx, db, p.ID, rec.ID)
				})
			}
		},
	}
}

// printEventCount says how many events a condition has, and until when.
func (a *app) printEventCount(ctx context.Context, db *store.DB, personID, conditionID int64) error {
	evs, err := db.PersonEvents(ctx, personID, calendar.Date{}, calendar.Date{})
	if err != nil {
		return err
	}
	n, last := 0, ""
	for _, e := range evs {
		if e.ConditionID == conditionID && e.State == reporting.EventDue {
			n++
			last = e.Date.String()
		}
	}
	if n == 0 {
		fmt.Fprintln(a.stdout, "No events are due yet: they are made as the condition's days come within the horizon.")
		return nil
	}
	fmt.Fprintf(a.stdout, "%d events due, the last made on %s\n", n, last)
	return nil
}

func conditionsListCommand() *command {
	return &command{
		name:    "conditions list",
		summary: "list a person's reporting conditions, current and ended, with their history",
		help: `
Lists each condition the person has had, oldest first: how and where they
report, the schedule, from and to, why, and every change (set, events made,
replaced, ended).

Examples:
  tether conditions list -person TH-04817263K`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			person := fs.FlagSet.String("person", "", "the person's reference, like TH-04817263K")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("conditions list", args); err != nil {
					return err
				}
				if err := required("person", *person); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("conditions"), func(ctx context.Context, db *store.DB) error {
					p, err := db.FindPersonByRef(ctx, *person)
					if err != nil {
						return err
					}
					list, err := db.PersonConditions(ctx, p.ID)
					if err != nil {
						return err
					}
					if len(list) == 0 {
						fmt.Fprintln(a.stdout, "No reporting conditions.")
						return nil
					}
					for _, c := range list {
						fmt.Fprintln(a.stdout, c.Describe())
						if c.Replaces != nil {
							fmt.Fprintf(a.stdout, "  replaces condition %d\n", *c.Replaces)
						}
						fmt.Fprintf(a.stdout, "  set by %s: %s\n", c.SetBy, c.Reason)
						if !c.End.IsZero() && c.EndedReason != "" {
							fmt.Fprintf(a.stdout, "  ended: %s\n", c.EndedReason)
						}
						w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
						for _, h := range c.History {
							fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", h.At.Format(time.RFC3339), h.Actor, h.Action, h.Detail)
						}
						w.Flush()
					}
					return nil
				})
			}
		},
	}
}

// conditionID reads the one ID argument.
func conditionID(name string, args []string) (int64, error) {
	if len(args) != 1 {
		return 0, usagef("%s takes one ID", name)
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%s: %q is not an ID", name, args[0])
	}
	return id, nil
}

func conditionsChangeCommand() *command {
	return &command{
		name:    "conditions change",
		args:    "ID",
		summary: "replace a reporting condition with a new one from a day",
		help: `
Ends condition ID the day before -start, with -reason, and sets the new
condition (the flags as for conditions add; -kind and where the person
reports default to the old condition's). Events of the old condition still
due from -start on are withdrawn; those already closed stay. Both keep
their history.

Examples:
  tether conditions change 12 -schedule "weekly mon,wed,fri 10:00" -start 2026-03-16 \
      -reason "Tighter conditions after two missed events"`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			cf := bindCondition(fs)
			rf := bindReporting(fs)
			return func(ctx context.Context, args []string) error {
				id, err := conditionID("conditions change", args)
				if err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("conditions"), func(ctx context.Context, db *store.DB) error {
					if err := rf.apply(db); err != nil {
						return err
					}
					old, err := db.FindCondition(ctx, id)
					if err != nil {
						return err
					}
					if *cf.kind == "" {
						*cf.kind = old.Kind
						if *cf.centre == "" && *cf.phone == "" && *cf.device == "" {
							*cf.centre, *cf.division, *cf.phone, *cf.device = old.Centre, old.Division, old.Phone, old.Device
						}
					}
					if *cf.division == "" {
						*cf.division = calendar.EnglandAndWales
					}
					next, err := cf.condition(old.PersonID)
					if err != nil {
						return err
					}
					ended, rec, err := db.ChangeCondition(ctx, id, next, *cf.reason)
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Ended %s\nSet %s\n", ended.Describe(), rec.Describe())
					return a.printEventCount(ctx, db, rec.PersonID, rec.ID)
				})
			}
		},
	}
}

func conditionsEndCommand() *command {
	return &command{
		name:    "conditions end",
		args:    "ID",
		summary: "end a reporting condition on its last day",
		help: `
Ends condition ID on -end (its last day, inclusive), with -reason, when no
condition replaces it. Its events still due after -end are withdrawn.

Examples:
  tether conditions end 12 -end 2026-03-31 -reason "Granted leave to remain"`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			end := fs.FlagSet.String("end", "", "the last day the condition binds, YYYY-MM-DD")
			reason := fs.FlagSet.String("reason", "", "why it ends")
			return func(ctx context.Context, args []string) error {
				id, err := conditionID("conditions end", args)
				if err != nil {
					return err
				}
				if err := required("end", *end); err != nil {
					return err
				}
				last, err := calendar.ParseDate(strings.TrimSpace(*end))
				if err != nil {
					return usagef("-end: %q is not a date: write it YYYY-MM-DD", *end)
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("conditions"), func(ctx context.Context, db *store.DB) error {
					rec, err := db.EndCondition(ctx, id, last, *reason)
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Ended %s\n", rec.Describe())
					return nil
				})
			}
		},
	}
}

func eventsListCommand() *command {
	return &command{
		name:    "events list",
		summary: "list a person's reporting events, or who is due at a reporting centre on a day",
		help: `
With -person, lists the person's events by day (-from and -to narrow it),
with their state and outcome. With -centre, lists the centre's roster for
-day (default today): who is due, by time, with names and references;
events due earlier today that nobody has checked in are marked LATE.

Examples:
  tether events list -person TH-04817263K -from 2026-03-01
  tether events list -centre "Croydon reporting centre"
  tether events list -centre "Croydon reporting centre" -day 2026-03-05`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			person := fs.FlagSet.String("person", "", "the person's reference, like TH-04817263K")
			from := fs.FlagSet.String("from", "", "with -person: the first day, YYYY-MM-DD")
			to := fs.FlagSet.String("to", "", "with -person: the last day, YYYY-MM-DD")
			centre := fs.FlagSet.String("centre", "", "the reporting centre, for its roster")
			dayFlag := fs.FlagSet.String("day", "", "with -centre: the day, YYYY-MM-DD (default today)")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("events list", args); err != nil {
					return err
				}
				if (*person == "") == (*centre == "") {
					return usagef("give -person or -centre")
				}
				dates := map[string]calendar.Date{}
				for name, v := range map[string]string{"from": *from, "to": *to, "day": *dayFlag} {
					if strings.TrimSpace(v) == "" {
						continue
					}
					d, err := calendar.ParseDate(strings.TrimSpace(v))
					if err != nil {
						return usagef("-%s: %q is not a date: write it YYYY-MM-DD", name, v)
					}
					dates[name] = d
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("events"), func(ctx context.Context, db *store.DB) error {
					if *centre != "" {
						d, ok := dates["day"]
						if !ok {
							d = calendar.FromTime(a.clock.Now(), londonTime())
						}
						ro, err := db.Roster(ctx, *centre, d)
						if err != nil {
							return err
						}
						printRoster(a.stdout, ro)
						return nil
					}
					p, err := db.FindPersonByRef(ctx, *person)
					if err != nil {
						return err
					}
					evs, err := db.PersonEvents(ctx, p.ID, dates["from"], dates["to"])
					if err != nil {
						return err
					}
					if len(evs) == 0 {
						fmt.Fprintln(a.stdout, "No reporting events.")
						return nil
					}
					w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(w, "EVENT\tDAY\tTIME\tKIND\tWHERE\tSTATE\tOUTCOME")
					for _, e := range evs {
						fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Date, dash(e.At), e.Kind, dash(e.Centre), e.State, outcomeWords(e))
					}
					return w.Flush()
				})
			}
		},
	}
}

// londonTime is UK time, where reporting days are counted.
func londonTime() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}

// outcomeWords is an event's outcome on one line.
func outcomeWords(e *reporting.EventRecord) string {
	o := e.Outcome
	if o == nil {
		return "-"
	}
	var parts []string
	switch e.State {
	case reporting.EventReported:
		parts = append(parts, "checked in by "+o.By+" ("+o.How+")")
	case reporting.EventMissed:
		parts = append(parts, "recorded by "+o.By)
	case reporting.EventExcused:
		parts = append(parts, "accepted by "+o.AcceptedBy+": "+o.Reason)
	case reporting.EventRescheduled:
		parts = append(parts, "to "+o.NewDate.String()+": "+o.Reason)
	}
	return strings.Join(parts, "; ")
}

func printRoster(w io.Writer, ro *reporting.Roster) {
	fmt.Fprintf(w, "%s, %s: %d expected, %d late, %d reported, %d other\n", ro.Centre, ro.Day.Long(), ro.Expected, ro.Late, ro.Reported, ro.Other)
	if len(ro.Entries) == 0 {
		fmt.Fprintln(w, "Nobody is due.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tEVENT\tREFERENCE\tNAME\tSTATE")
	for _, e := range ro.Entries {
		state := e.State
		if e.Late {
			state = "LATE"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", dash(e.At), e.EventID, e.PersonRef, dash(e.Name), state)
	}
	tw.Flush()
}

func eventsCheckInCommand() *command {
	return &command{
		name:    "events check-in",
		args:    "ID",
		summary: "record that a person reported for today's event",
		help: `
Closes event ID as reported: who checked the person in (this command), how
(-how, default the event's kind) and where (-where, default the centre or
the number called). The person's contact status goes back to in contact if
it was not. Only today's due event can be checked in; one checked in
already is refused, saying so.

Examples:
  tether events check-in 4812
  tether events check-in 4813 -how telephone -where "+447700900123"`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			how := fs.FlagSet.String("how", "", "how the person reported: "+strings.Join(reporting.Kinds, ", "))
			where := fs.FlagSet.String("where", "", "where: the centre, or the number called")
			return func(ctx context.Context, args []string) error {
				id, err := conditionID("events check-in", args)
				if err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("events"), func(ctx context.Context, db *store.DB) error {
					e, err := db.CheckInEvent(ctx, id, reporting.CheckIn{How: *how, Where: *where})
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Checked in event %d of %s: %s\n", e.ID, e.Date.Long(), outcomeWords(e))
					return nil
				})
			}
		},
	}
}

func eventsOutcomeCommand() *command {
	return &command{
		name:    "events outcome",
		args:    "ID",
		summary: "record an event as missed, excused or rescheduled",
		help: `
Records what happened to event ID:
  -state missed        the person did not report (the end-of-day sweep does
                       this too); their contact status moves
  -state excused       a reasonable explanation was accepted: -reason and
                       -accepted-by; a missed event can be excused later
  -state rescheduled   the event moves to -new-date (and -new-at, HH:MM),
                       with -reason; a new event is due that day

Examples:
  tether events outcome 4812 -state excused -reason "In hospital" -accepted-by "A. Officer"
  tether events outcome 4815 -state rescheduled -new-date 2026-03-10 -reason "Solicitor's appointment"`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			state := fs.FlagSet.String("state", "", "missed, excused or rescheduled")
			reason := fs.FlagSet.String("reason", "", "the explanation accepted, or why the event moves")
			accepted := fs.FlagSet.String("accepted-by", "", "excused: who accepted the explanation")
			newDate := fs.FlagSet.String("new-date", "", "rescheduled: the new day, YYYY-MM-DD")
			newAt := fs.FlagSet.String("new-at", "", "rescheduled: the new time, HH:MM (default the same time)")
			return func(ctx context.Context, args []string) error {
				id, err := conditionID("events outcome", args)
				if err != nil {
					return err
				}
				if err := required("state", *state); err != nil {
					return err
				}
				in := reporting.OutcomeRequest{State: *state, Reason: *reason, AcceptedBy: *accepted, NewAt: *newAt}
				if strings.TrimSpace(*newDate) != "" {
					if in.NewDate, err = calendar.ParseDate(strings.TrimSpace(*newDate)); err != nil {
						return usagef("-new-date: %q is not a date: write it YYYY-MM-DD", *newDate)
					}
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("events"), func(ctx context.Context, db *store.DB) error {
					e, next, err := db.RecordOutcome(ctx, id, in)
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Event %d of %s: %s", e.ID, e.Date.Long(), e.State)
					if w := outcomeWords(e); w != "-" && e.State != reporting.EventMissed {
						fmt.Fprintf(a.stdout, " (%s)", w)
					}
					fmt.Fprintln(a.stdout)
					if next != nil {
						fmt.Fprintf(a.stdout, "New event %d due on %s %s\n", next.ID, next.Date.Long(), next.At)
					}
					return nil
				})
			}
		},
	}
}
