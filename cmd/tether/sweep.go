package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"tether"
	"tether/store"
	"tether/sweep"
)

// settingSweepEvery is how often serve runs the sweeps.
var settingSweepEvery = setting{Flag: "sweep-every", Env: "TETHER_SWEEP_EVERY", Default: "1m",
	Usage: "serve: how often to run the background sweeps (tasks past their due date...); 0 never"}

// sweeps are the background sweeps, in the order they run.
func sweeps(db *store.DB) []sweep.Sweep {
	return []sweep.Sweep{
		{Name: "tasks-due", What: "tasks marked overdue", Step: db.MarkOverdueTasks},
		{Name: "contact-signals", What: "contact-lapse signals applied to contact status", Step: db.ConsumeLapseSignals},
		{Name: "reporting-horizon", What: "reporting conditions whose events were made further ahead", Step: db.ExtendHorizons},
		{Name: "missed-events", What: "reporting events missed at the end of their day", Step: db.MarkMissedEvents},
		{Name: "reminders", What: "reporting events reminded (or recorded as not reminded)", Step: db.SendReminders},
		{Name: "status-escalation", What: "people at risk now out of contact", Step: db.EscalateStatuses},
		{Name: "tracing-overdue", What: "tracing attempts past their due day", Step: db.MarkOverdueAttempts},
		{Name: "enquiry-warnings", What: "enquiries near their due date: assignee and team lead warned", Step: db.WarnEnquiries},
		{Name: "enquiry-breaches", What: "enquiries past their due date unanswered: breach raised", Step: db.BreachEnquiries},
	}
}

// sweepRunner builds the runner for db.
func (a *app) sweepRunner(db *store.DB, log *slog.Logger) *sweep.Runner {
	return &sweep.Runner{Store: db, Worker: workerName(), Sweeps: sweeps(db), Clock: a.clock, Log: log}
}

func sweepCommand() *command {
	return &command{
		name:    "sweep",
		summary: "run the background sweeps: tasks past their due date, and the due work of later modules",
		help: `
Runs each sweep until it has nothing due, then, with -once, stops and says
what each did; without -once, runs them again every -every until
interrupted. serve runs them too (see -sweep-every there). Any number of
instances may sweep one database: a sweep runs in one instance at a time,
under a lease, and each item is handled once, also when a run is killed
part way (the next run does the rest). Every run is recorded.

Sweeps:
  tasks-due          tasks still to do after their due date are marked
                     overdue once, and their priority goes one step more urgent
  contact-signals    each contact-lapse signal (a bounce, a permanent
                     failure, a returned letter) is applied to the person's
                     contact status once: a person in contact becomes at risk
  status-escalation  a person at risk with no contact re-established within
                     5 working days becomes out of contact
  reporting-horizon  reporting events are made -horizon-days ahead, for the
                     conditions whose events run out within half of that
  missed-events      each reporting event still due once its day has ended
                     (days before today, and today's after -end-of-day) is
                     missed once, and the miss applied to contact status
  reminders          before each reporting event (-reminder-lead), a
                     reminder by text message (email without a mobile
                     number) through the outbox, once; or none, recorded
  enquiry-warnings   an open enquiry's assignee and team lead are warned
                     once, the standards' warning days (3 unless
                     -enquiry-standards says otherwise) before its due date
  enquiry-breaches   an open enquiry still unanswered the day after its due
                     date has a breach raised once, and its task made urgent
  tracing-overdue    a tracing attempt not made by its due day is marked
                     once, and the tracing plan's task goes one step more
                     urgent (or a new one is opened)

Examples:
  tether sweep -once
  tether sweep -every 30s`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			level := fs.String(settingLogLevel)
			once := fs.FlagSet.Bool("once", false, "run each sweep until nothing is due, say what it did, and stop")
			rf := bindReporting(fs)
			es := bindEnquiryStandards(fs)
			step := fs.FlagSet.Int("step", 0, "items per step (transaction) of a sweep; 0 for the default (500)")
			only := fs.FlagSet.String("only", "", "run only these sweeps, comma-separated, like missed-events,reminders")
			lease := fs.FlagSet.Duration("lease", 0, "how long a sweep's lease holds between steps; 0 for the default (1m)")
			every := fs.FlagSet.Duration("every", time.Minute, "without -once: how often to sweep")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("sweep", args); err != nil {
					return err
				}
				if *every < time.Second {
					return usagef("-every must be at least 1s")
				}
				lvl, err := parseLogLevel(*level)
				if err != nil {
					return usagef("%v", err)
				}
				log := slog.New(slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: lvl}))
				return a.withEnquiryDB(ctx, *dsn, tether.SystemActor, es, func(ctx context.Context, db *store.DB) error {
					r := a.sweepRunner(db, log)
					if err := limitSweeps(r, db, rf, *step, *only, *lease); err != nil {
						return err
					}
					if !*once {
						fmt.Fprintf(a.stderr, "Sweeping (%s) every %s\n", r.Names(), every)
						r.Run(ctx, *every)
						return nil
					}
					prog := newProgress(a.stderr)
					r.Progress = func(name string, done int) {
						if prog.due() {
							prog.show(fmt.Sprintf("%s: %s done", name, commas(int64(done))))
						}
					}
					results := r.RunOnce(ctx)
					prog.done()
					failed := false
					for _, res := range results {
						switch {
						case res.Skipped:
							fmt.Fprintf(a.stdout, "%s: another instance is running it\n", res.Sweep)
						case res.Err != nil:
							failed = true
							fmt.Fprintf(a.stdout, "%s: %s done, then it failed: %v\n", res.Sweep, commas(int64(res.Done)), res.Err)
						default:
							fmt.Fprintf(a.stdout, "%s: %s done in %s\n", res.Sweep, commas(int64(res.Done)), roundDuration(res.Elapsed))
						}
					}
					if failed {
						return &exitError{code: 1}
					}
					return nil
				})
			}
		},
	}
}
