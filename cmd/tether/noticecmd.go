package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"tether"
	"tether/letterpdf"
	"tether/store"
	"tether/web"
)

// pairs is a repeatable name=value flag.
type pairs map[string]string

func (p pairs) String() string { return "" }

func (p pairs) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("%q is not name=value", s)
	}
	p[strings.TrimSpace(k)] = v
	return nil
}

func noticesSendCommand() *command {
	return &command{
		name:    "notices send",
		summary: "send a notice to a person from a template, routed by the service rules",
		help: `
Renders the template's published version (in the person's preferred
language when there is one, else English) with the values given by -set and
the defaults (name, reference, today, help_phone, department), chooses
where to send it by the service rules (an instructed representative, then
a contact point given for correspondence, then the last known one), and
queues it in the outbox for tether dispatch (or serve -dispatch) to send.
It prints the notice's reference, the route and why.

When no contact point works, it says so and sends nothing: serve the
notice by hand (-method hand) or to file (-method file), with -reason.
-dry-run shows what would be sent, and writes nothing.

Examples:
  tether notices send -person TH-04817263K -template reporting-notice-letter \
      -set date="Monday 9 March 2026" -set time=10am -set centre_name="Eaton House"
  tether notices send -person TH-04817263K -template decision-letter -dry-run -set ...
  tether notices send -person TH-04817263K -template reporting-notice-letter \
      -method file -reason "No address since the letter of 2 March came back" -set ...`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			person := fs.FlagSet.String("person", "", "the person's reference, like TH-04817263K")
			template := fs.FlagSet.String("template", "", "the template's key (tether templates list)")
			values := pairs{}
			fs.FlagSet.Var(values, "set", "a personalisation value, name=value; repeat for each")
			language := fs.FlagSet.String("language", "", "a language tag, to choose a version other than the person's language")
			method := fs.FlagSet.String("method", "", "hand or file, to serve it without a channel (with -reason)")
			reason := fs.FlagSet.String("reason", "", "why it is served by hand or to file")
			dry := fs.FlagSet.Bool("dry-run", false, "show what would be sent, and write nothing")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("notices send", args); err != nil {
					return err
				}
				if err := required("person", *person); err != nil {
					return err
				}
				if err := required("template", *template); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("notices"), func(ctx context.Context, db *store.DB) error {
					p, err := db.FindPersonByRef(ctx, *person)
					if err != nil {
						return err
					}
					req := &tether.NoticeRequest{PersonID: p.ID, TemplateKey: *template, Personalisation: values,
						Language: *language, Method: *method, Reason: *reason}
					if *dry {
						d, err := db.PreviewNotice(ctx, req)
						if err != nil {
							return a.noRoute(err)
						}
						fmt.Fprintln(a.stdout, "Dry run: nothing was written.")
						a.printNotice(d.Notice)
						if d.SMS != nil {
							fmt.Fprintf(a.stdout, "Text message: %d characters, %s, %d part(s)\n", d.SMS.Characters, d.SMS.Encoding, d.SMS.Parts)
						}
						fmt.Fprintf(a.stdout, "\n%s\n", indentText(d.Notice.Content))
						return nil
					}
					n, err := db.CreateNotice(ctx, req)
					if err != nil {
						return a.noRoute(err)
					}
					a.printNotice(n)
					return nil
				})
			}
		},
	}
}

// noRoute adds what to do when no contact point works.
func (a *app) noRoute(err error) error {
	if _, ok := tether.ErrorFields(err)["method"]; ok {
		fmt.Fprintln(a.stderr, "Nothing was sent. Serve it with -method hand or -method file, and -reason saying why.")
	}
	return err
}

// printNotice prints a notice's reference, route and state.
func (a *app) printNotice(n *tether.Notice) {
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%s\t%s\n", k, v)
		}
	}
	row("Notice", n.Ref)
	row("Person", n.PersonRef)
	row("Template", fmt.Sprintf("%s version %d (%s)", n.TemplateKey, n.TemplateVersion, n.Language))
	row("Method", n.Method+" through "+n.Channel+" to "+n.Party)
	row("To", strings.Join(n.Destination, ", "))
	row("Why", n.RouteReason)
	row("State", n.State)
	if n.SentAt != nil {
		row("Sent", n.SentAt.Format(time.RFC3339))
	}
	row("Deemed served", n.DeemedServed)
	row("Deemed because", n.DeemedExplanation)
	if n.CopyDue {
		row("Copy due", "yes: give the person a copy and the record of how it was served when they are found")
	}
	w.Flush()
}

func indentText(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

func noticesListCommand() *command {
	return &command{
		name:    "notices list",
		summary: "list notices, newest first: a person's, in a state, or those served to file",
		help: `
Prints each notice's reference, person, template, method, state, when it
was sent and its deemed-served date. -on-file lists the notices served to
file whose copy is still due to the person.

Examples:
  tether notices list -person TH-04817263K
  tether notices list -state failed
  tether notices list -on-file`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			person := fs.FlagSet.String("person", "", "only this person's notices (a reference)")
			state := fs.FlagSet.String("state", "", "only notices in this state: queued, sent, delivered, failed, returned, served_by_hand, on_file, cancelled")
			onFile := fs.FlagSet.Bool("on-file", false, "only notices served to file with a copy still due")
			limit := fs.FlagSet.Int("limit", 100, "at most this many")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("notices list", args); err != nil {
					return err
				}
				if *limit < 1 {
					return usagef("-limit must be at least 1")
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("notices"), func(ctx context.Context, db *store.DB) error {
					f := tether.NoticeFilter{State: *state, Limit: *limit}
					if *onFile {
						f.State = tether.NoticeOnFile
					}
					if *person != "" {
						p, err := db.FindPersonByRef(ctx, *person)
						if err != nil {
							return err
						}
						f.PersonID = &p.ID
					}
					ns, total, err := db.FindNotices(ctx, f)
					if err != nil {
						return err
					}
					w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(w, "NOTICE\tPERSON\tTEMPLATE\tMETHOD\tSTATE\tSENT\tDEEMED SERVED")
					shown := 0
					for _, n := range ns {
						if *onFile && (!n.CopyDue || n.CopyGiven != nil) {
							continue
						}
						sent := ""
						if n.SentAt != nil {
							sent = n.SentAt.Format("2006-01-02 15:04")
						}
						fmt.Fprintf(w, "%s\t%s\t%s v%d\t%s\t%s\t%s\t%s\n", n.Ref, n.PersonRef, n.TemplateKey, n.TemplateVersion,
							n.Method, n.State, sent, n.DeemedServed)
						shown++
					}
					w.Flush()
					fmt.Fprintf(a.stderr, "%s shown of %s.\n", commas(int64(shown)), commas(int64(total)))
					return nil
				})
			}
		},
	}
}

func noticesShowCommand() *command {
	return &command{
		name:    "notices show",
		args:    "REF",
		summary: "show a notice, what it said and its timeline",
		help: `
Prints the notice (route and why, state, deemed-served date with its
explanation), the exact text sent, and every event on its timeline with
when, what and from where.

Examples:
  tether notices show N-VKLARQ6WAQ7YWZFVCGWD`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("notices show takes one notice reference")
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("notices"), func(ctx context.Context, db *store.DB) error {
					n, err := db.FindNoticeByRef(ctx, args[0])
					if err != nil {
						return err
					}
					events, err := db.NoticeTimeline(ctx, n.ID)
					if err != nil {
						return err
					}
					a.printNotice(n)
					if n.Subject != "" {
						fmt.Fprintf(a.stdout, "\n    %s\n", n.Subject)
					}
					fmt.Fprintf(a.stdout, "\n%s\n\nTimeline:\n", indentText(n.Content))
					w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
					for _, e := range events {
						fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\n", e.At.Format(time.RFC3339), e.Status, e.State, e.Source, e.Detail)
					}
					return w.Flush()
				})
			}
		},
	}
}

func noticesProofCommand() *command {
	return &command{
		name:    "notices proof",
		args:    "REF",
		summary: "write a notice's proof of service as a PDF",
		help: `
Writes the proof of service: what was sent (the exact text and template
version), to which contact point as it was then, by which method, when,
every delivery status, and the deemed-served date with its explanation.
The file is named after the notice unless -o says otherwise; -o - writes
the PDF to standard output.

Examples:
  tether notices proof N-VKLARQ6WAQ7YWZFVCGWD
  tether notices proof -o proof.pdf N-VKLARQ6WAQ7YWZFVCGWD`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			out := fs.FlagSet.String("o", "", "the file to write; - for standard output (default: proof-of-service-REF.pdf)")
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("notices proof takes one notice reference")
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("notices"), func(ctx context.Context, db *store.DB) error {
					n, err := db.FindNoticeByRef(ctx, args[0])
					if err != nil {
						return err
					}
					events, err := db.NoticeTimeline(ctx, n.ID)
					if err != nil {
						return err
					}
					p, err := db.FindPersonByID(ctx, n.PersonID)
					if err != nil {
						return err
					}
					proof := web.ProofOf(n, events, p.FullName(), "tether notices proof", a.clock.Now())
					path := *out
					if path == "" {
						path = "proof-of-service-" + n.Ref + ".pdf"
					}
					if path == "-" {
						return letterpdf.RenderProof(a.stdout, proof)
					}
					if err := writeAtomically(path, func(w io.Writer) error { return letterpdf.RenderProof(w, proof) }); err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Wrote the proof of service of %s to %s\n", n.Ref, path)
					return nil
				})
			}
		},
	}
}

// writeAtomically writes a file through a temporary file in its folder,
// so that nobody sees half of it.
func writeAtomically(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func noticesCancelCommand() *command {
	return &command{
		name:    "notices cancel",
		args:    "REF",
		summary: "stop a queued notice before it is sent",
		help: `
Cancels a notice still waiting in the outbox; the reason goes on its
timeline. A notice a channel has accepted, or one a dispatcher is sending
now, cannot be cancelled.

Examples:
  tether notices cancel -reason "Sent to the wrong centre" N-VKLARQ6WAQ7YWZFVCGWD`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			reason := fs.FlagSet.String("reason", "", "why it is cancelled (required)")
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("notices cancel takes one notice reference")
				}
				if err := required("reason", *reason); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("notices"), func(ctx context.Context, db *store.DB) error {
					n, err := db.FindNoticeByRef(ctx, args[0])
					if err != nil {
						return err
					}
					if err := db.CancelNotice(ctx, n.ID, *reason); err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Cancelled %s.\n", n.Ref)
					return nil
				})
			}
		},
	}
}
