package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"tether"
	"tether/calendar"
	"tether/enquiry"
	"tether/store"
)

// The enquiries commands: list enquiries, show one with its history, raise
// one for an office (an enquiry that came by letter or email), give one to
// a caseworker, send a reply (the answer or a holding reply), and the
// performance report. They act as the operator (an administrator).

// repeated is a flag that may be given more than once.
type repeated []string

func (r *repeated) String() string { return strings.Join(*r, ", ") }

func (r *repeated) Set(s string) error {
	*r = append(*r, s)
	return nil
}

// findEnquiry finds an enquiry by its reference. ENOTFOUND.
func findEnquiry(ctx context.Context, db *store.DB, ref string) (*enquiry.Detail, error) {
	if !enquiry.ValidRef(strings.ToUpper(strings.TrimSpace(ref))) {
		return nil, usagef("%q is not an enquiry reference like ENQ-7K2M9-QXA4T", ref)
	}
	es, _, err := db.FindEnquiries(ctx, enquiry.Filter{Ref: ref, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, tether.Errorf(tether.ENOTFOUND, "No enquiry has the reference %s.", strings.ToUpper(ref))
	}
	return db.EnquiryDetail(ctx, es[0].ID)
}

// findOrganisation finds an organisation by id or by its exact name.
func findOrganisation(ctx context.Context, db *store.DB, idOrName string) (*tether.Organisation, error) {
	if id, err := strconv.ParseInt(idOrName, 10, 64); err == nil {
		return db.FindOrganisationByID(ctx, id)
	}
	orgs, err := db.FindOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if strings.EqualFold(o.Name, strings.TrimSpace(idOrName)) {
			return o, nil
		}
	}
	return nil, tether.Errorf(tether.ENOTFOUND, "No organisation is called %q: tether orgs list shows them.", idOrName)
}

func enquiriesListCommand() *command {
	return &command{
		name:    "enquiries list",
		summary: "list enquiries by due date: open ones, an office's, overdue ones, those waiting for triage",
		help: `
Prints each enquiry's reference, due date, office, whom it is about (as the
office gave it), category, urgency, status, and the date a holding reply
committed to. The soonest due come first.

Examples:
  tether enquiries list                          the open enquiries
  tether enquiries list -overdue                 open and past their due date
  tether enquiries list -org "Office of Ann Member MP" -state all
  tether enquiries list -unmatched               not matched to a person: for triage`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			es := bindEnquiryStandards(fs)
			org := fs.FlagSet.String("org", "", "only this office's (an id or the exact name)")
			state := fs.FlagSet.String("state", "open", "open, all, or a state: received, triaged, assigned, in_progress, answered, closed")
			category := fs.FlagSet.String("category", "", "only this category: "+strings.Join(enquiry.Categories, ", "))
			urgency := fs.FlagSet.String("urgency", "", "only this urgency: "+strings.Join(enquiry.Urgencies, ", "))
			team := fs.FlagSet.String("team", "", "only this team's")
			unmatched := fs.FlagSet.Bool("unmatched", false, "only open enquiries not matched to a person")
			overdue := fs.FlagSet.Bool("overdue", false, "only open enquiries past their due date")
			limit := fs.FlagSet.Int("limit", 100, "at most this many (up to 500)")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("enquiries list", args); err != nil {
					return err
				}
				if *limit < 1 {
					return usagef("-limit must be at least 1")
				}
				return a.withEnquiryDB(ctx, *dsn, tether.CLIActor("enquiries"), es, func(ctx context.Context, db *store.DB) error {
					f := enquiry.Filter{State: *state, Category: *category, Urgency: *urgency, Team: *team, Unmatched: *unmatched, Limit: *limit}
					if f.State == "all" {
						f.State = ""
					}
					if *overdue {
						f.State = enquiry.StateOpen
						f.DueBefore = calendar.FromTime(a.clock.Now(), londonTime()).String()
					}
					if *org != "" {
						o, err := findOrganisation(ctx, db, *org)
						if err != nil {
							return err
						}
						f.OrganisationID = &o.ID
					}
					es, total, err := db.FindEnquiries(ctx, f)
					if err != nil {
						return err
					}
					w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(w, "ENQUIRY\tDUE\tOFFICE\tABOUT\tCATEGORY\tURGENCY\tSTATUS\tHOLDING REPLY\tCASEWORKER")
					for _, e := range es {
						holding := "-"
						if e.Holding != nil {
							holding = "answer by " + e.Holding.NewDate
						}
						fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Ref, e.DueOn, e.OrganisationName, orDash(enquirySubject(e.Subject)),
							e.Category, e.Urgency, e.State, holding, orDash(e.AssigneeName))
					}
					w.Flush()
					fmt.Fprintf(a.stderr, "%s shown of %s.\n", commas(int64(len(es))), commas(int64(total)))
					return nil
				})
			}
		},
	}
}

// enquirySubject is whom an enquiry is about, as the office gave it.
func enquirySubject(s enquiry.Subject) string {
	parts := []string{}
	if n := s.Name(); n != "" {
		parts = append(parts, n)
	}
	if s.Ref != "" {
		parts = append(parts, s.Ref)
	}
	if s.DateOfBirth != "" {
		parts = append(parts, "born "+s.DateOfBirth)
	}
	return strings.Join(parts, ", ")
}

func enquiriesShowCommand() *command {
	return &command{
		name:    "enquiries show",
		args:    "REF",
		summary: "show an enquiry: where it stands, when it is due and why, its replies, notes and history",
		help: `
Prints the enquiry (office, whom it is about and the person it was matched
to, category, urgency, consent or authority, team, caseworker, status), the
due date with how it was worked out, any holding reply, the question,
every reply sent with its proof, the internal notes and the history.

Examples:
  tether enquiries show ENQ-7K2M9-QXA4T`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			es := bindEnquiryStandards(fs)
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("enquiries show takes one enquiry reference")
				}
				return a.withEnquiryDB(ctx, *dsn, tether.CLIActor("enquiries"), es, func(ctx context.Context, db *store.DB) error {
					d, err := findEnquiry(ctx, db, args[0])
					if err != nil {
						return err
					}
					events, err := db.EnquiryEvents(ctx, d.ID)
					if err != nil {
						return err
					}
					a.printEnquiry(d.Enquiry)
					fmt.Fprintf(a.stdout, "\nThe question:\n%s\n", indentText(d.Question))
					for _, r := range d.Replies {
						proof := ", " + replySending(r)
						fmt.Fprintf(a.stdout, "\n%s sent %s by %s to %s (template %s v%d, reading ease %.1f, SHA-256 %s%s)\n",
							upperFirstWord(r.Kind), r.SentAt.Format("2006-01-02 15:04"), r.Channel, strings.Join(r.SentTo, ", "),
							r.TemplateKey, r.TemplateVersion, r.ReadingEase, r.ContentSHA256, proof)
						if r.Subject != "" {
							fmt.Fprintf(a.stdout, "    %s\n\n", r.Subject)
						}
						fmt.Fprintln(a.stdout, indentText(r.Content))
					}
					if len(d.Notes) > 0 {
						fmt.Fprintln(a.stdout, "\nInternal notes (never shown to the office):")
						for _, n := range d.Notes {
							fmt.Fprintf(a.stdout, "  %s  %s: %s\n", n.At.Format("2006-01-02 15:04"), orDash(n.ActorName), n.Text)
						}
					}
					fmt.Fprintln(a.stdout, "\nHistory:")
					w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
					for _, e := range events {
						change := strings.TrimSpace(strings.Join([]string{e.From, e.To}, " "))
						if e.From != "" && e.To != "" {
							change = e.From + " -> " + e.To
						}
						fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\n", e.At.Format("2006-01-02 15:04"), e.Action, change, orDash(orText(e.ActorName, e.Actor)), e.Note)
					}
					return w.Flush()
				})
			}
		},
	}
}

func orText(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func upperFirstWord(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// printEnquiry prints an enquiry's facts.
func (a *app) printEnquiry(e *enquiry.Enquiry) {
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%s\t%s\n", k, v)
		}
	}
	row("Enquiry", e.Ref)
	row("Office", e.OrganisationName)
	row("About", enquirySubject(e.Subject))
	if e.PersonRef != "" {
		row("Person", e.PersonRef+" (matched: "+e.Match+")")
	} else {
		row("Person", "not matched: "+orDash(e.MatchNote))
	}
	row("Category", e.Category)
	urgency := e.Urgency
	if e.UrgencyReason != "" {
		urgency += ": " + e.UrgencyReason
	}
	row("Urgency", urgency)
	row("Authority", e.Authority.Basis+" "+e.Authority.GivenOn)
	row("Team", e.Team)
	row("Caseworker", e.AssigneeName)
	row("Status", e.State)
	row("Received", e.ReceivedOn)
	row("Due", e.DueOn)
	row("Why then", e.DueExplanation)
	if h := e.Holding; h != nil {
		row("Holding reply", h.SentOn+": "+h.ReasonText+"; outstanding: "+h.Outstanding+", from "+h.FromText+"; answer by "+h.NewDate)
	}
	if e.AnsweredOn != "" {
		took := ""
		if e.WorkingDaysTaken != nil {
			took = fmt.Sprintf(" after %d working days", *e.WorkingDaysTaken)
		}
		if e.WithinStandard != nil && *e.WithinStandard {
			took += ", within the standard"
		} else {
			took += ", late (" + e.LateBand + ")"
		}
		row("Answered", e.AnsweredOn+took)
	}
	w.Flush()
}

func enquiriesCreateCommand() *command {
	return &command{
		name:    "enquiries create",
		summary: "record an enquiry an office sent by letter or email, and print its reference and due date",
		help: `
Records the enquiry for the office named by -org, as the office's own
users raise one on the web: about a person by -person (their reference)
or by -family-name and -dob, matched to the person where those point to
one (otherwise it waits for triage); with the question, category, urgency
(a reason for urgent and compassionate ones) and the basis of the
office's authority. An office with an open enquiry about the same person
is warned: give -acknowledge-duplicates to record it anyway.

Examples:
  tether enquiries create -org "Office of Ann Member MP" -person TH-04817263K \
      -question "When will the claim be decided?" -category asylum_claim \
      -basis written_consent -given-on 2026-02-26
  tether enquiries create -org 3 -family-name Haile -given-names Selam -dob 1990-05-01 \
      -question "She has been detained. Why?" -category detention -urgency urgent \
      -reason "Removal flight on Friday" -basis verbal_consent -given-on 2026-03-01`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			es := bindEnquiryStandards(fs)
			org := fs.FlagSet.String("org", "", "the office it came from: an id or the exact name (required)")
			person := fs.FlagSet.String("person", "", "the person's reference")
			family := fs.FlagSet.String("family-name", "", "the person's family name, as the office gave it")
			given := fs.FlagSet.String("given-names", "", "the person's given names")
			dob := fs.FlagSet.String("dob", "", "the person's date of birth, YYYY-MM-DD")
			question := fs.FlagSet.String("question", "", "what the office asks (required)")
			category := fs.FlagSet.String("category", "", "one of "+strings.Join(enquiry.Categories, ", ")+" (required)")
			urgency := fs.FlagSet.String("urgency", enquiry.UrgencyRoutine, "one of "+strings.Join(enquiry.Urgencies, ", "))
			reason := fs.FlagSet.String("reason", "", "why it is urgent or compassionate")
			basis := fs.FlagSet.String("basis", "", "the office's authority: one of "+strings.Join(enquiry.Bases, ", ")+" (required)")
			givenOn := fs.FlagSet.String("given-on", "", "when the consent was given or the authority signed, YYYY-MM-DD")
			note := fs.FlagSet.String("note", "", "anything about the consent or authority")
			ack := fs.FlagSet.Bool("acknowledge-duplicates", false, "record it even though the office has an open enquiry about the same person")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("enquiries create", args); err != nil {
					return err
				}
				for _, r := range []struct{ flag, v string }{{"org", *org}, {"question", *question}, {"category", *category}, {"basis", *basis}} {
					if err := required(r.flag, r.v); err != nil {
						return err
					}
				}
				return a.withEnquiryDB(ctx, *dsn, tether.CLIActor("enquiries"), es, func(ctx context.Context, db *store.DB) error {
					o, err := findOrganisation(ctx, db, *org)
					if err != nil {
						return err
					}
					in := &enquiry.Input{OrganisationID: o.ID, Subject: enquiry.Subject{Ref: *person, FamilyName: *family, GivenNames: *given, DateOfBirth: *dob},
						Question: *question, Category: *category, Urgency: *urgency, UrgencyReason: *reason,
						Authority: enquiry.Authority{Basis: *basis, GivenOn: *givenOn, Note: *note}, AcknowledgeDuplicates: *ack}
					e, err := db.CreateEnquiry(ctx, in)
					if tether.ErrorCode(err) == tether.ECONFLICT {
						fmt.Fprintln(a.stderr, "Nothing was recorded. Check the open enquiry; to record this one too, add -acknowledge-duplicates.")
						return err
					} else if err != nil {
						return err
					}
					a.printEnquiry(e)
					return nil
				})
			}
		},
	}
}

func enquiriesAssignCommand() *command {
	return &command{
		name:    "enquiries assign",
		args:    "REF",
		summary: "give an enquiry to a caseworker of the enquiries team, checking it first if it is new",
		help: `
Gives the enquiry to the user with the email -to, who must answer
enquiries. A new enquiry is checked and routed first (triage), with
-person matching it to a person by reference when the office's details did
not, and -team routing it to another team.

Examples:
  tether enquiries assign -to eve@example.org ENQ-7K2M9-QXA4T
  tether enquiries assign -to eve@example.org -person TH-04817263K ENQ-7K2M9-QXA4T`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			es := bindEnquiryStandards(fs)
			to := fs.FlagSet.String("to", "", "the caseworker's email (required)")
			person := fs.FlagSet.String("person", "", "match it to this person (a reference) at triage")
			team := fs.FlagSet.String("team", "", "route it to this team")
			note := fs.FlagSet.String("note", "", "a note for the history")
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("enquiries assign takes one enquiry reference")
				}
				if err := required("to", *to); err != nil {
					return err
				}
				return a.withEnquiryDB(ctx, *dsn, tether.CLIActor("enquiries"), es, func(ctx context.Context, db *store.DB) error {
					d, err := findEnquiry(ctx, db, args[0])
					if err != nil {
						return err
					}
					u, err := db.FindUserByEmail(ctx, *to)
					if err != nil {
						return err
					}
					if d.State == enquiry.StateReceived {
						in := enquiry.TransitionInput{Action: enquiry.ActionTriage, Team: *team, Note: *note}
						if *person != "" {
							p, err := db.FindPersonByRef(ctx, *person)
							if err != nil {
								return err
							}
							in.PersonID = &p.ID
						}
						if _, err := db.TransitionEnquiry(ctx, d.ID, in); err != nil {
							return err
						}
						*team = ""
					} else if *person != "" {
						return usagef("%s has been triaged already: -person matches a person only at triage", d.Ref)
					}
					e, err := db.TransitionEnquiry(ctx, d.ID, enquiry.TransitionInput{Action: enquiry.ActionAssign, Assignee: &u.ID, Team: *team, Note: *note})
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "%s is with %s, due %s.\n", e.Ref, e.AssigneeName, e.DueOn)
					return nil
				})
			}
		},
	}
}

func enquiriesReplyCommand() *command {
	return &command{
		name:    "enquiries reply",
		args:    "REF",
		summary: "send the answer to an enquiry, or a holding reply with a new date",
		help: `
Writes the reply from the enquiry-reply template -template with the values
given by -set (reply=... is the text) and the enquiry's own (reference,
dates, the office's name), checks it against the clarity bar, and records
it as sent with its proof: the exact text, its SHA-256, where it went and
-proof (the email's message ID or a tracking number). An email goes to the
office's user who raised the enquiry unless -to names another address; a
letter needs -address, once per line.

With -holding it is a holding reply instead: -why (the reason, from the
controlled list), -outstanding (what, never just "complex"), -from (whom
from) and -new-date (after the current due date), sent on or before the due
date. -dry-run shows the reply and its clarity measures, and sends nothing.

Examples:
  tether enquiries reply -template enquiry-reply-email \
      -set reply="We made a decision on the claim today." ENQ-7K2M9-QXA4T
  tether enquiries reply -holding -why awaiting_information -outstanding "A medical report" \
      -from representative -new-date 2026-04-17 -template enquiry-reply-email \
      -set reply="We cannot answer yet." ENQ-7K2M9-QXA4T`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			es := bindEnquiryStandards(fs)
			template := fs.FlagSet.String("template", "", "the enquiry-reply template's key (required)")
			values := pairs{}
			fs.FlagSet.Var(values, "set", "a template value, name=value; repeat for each (reply=... is the text)")
			to := fs.FlagSet.String("to", "", "the email address, if not the office's on record (tether orgs reply-to) or else its user who raised it")
			var address repeated
			fs.FlagSet.Var(&address, "address", "a line of the office's postal address, for a letter, if not the one on record; repeat for each")
			proof := fs.FlagSet.String("proof", "", "the sending's reference: a message ID or tracking number")
			override := fs.FlagSet.String("override-reason", "", "why to send a reply below the clarity bar")
			holding := fs.FlagSet.Bool("holding", false, "send a holding reply, not the answer")
			why := fs.FlagSet.String("why", "", "the holding reply's reason: one of "+strings.Join(enquiry.Reasons, ", "))
			outstanding := fs.FlagSet.String("outstanding", "", "what is outstanding")
			from := fs.FlagSet.String("from", "", "whom it is awaited from: one of "+strings.Join(enquiry.Froms, ", "))
			detail := fs.FlagSet.String("detail", "", "more detail for the record")
			newDate := fs.FlagSet.String("new-date", "", "the date by which the answer will come, YYYY-MM-DD")
			dry := fs.FlagSet.Bool("dry-run", false, "show the reply and its clarity measures, and send nothing")
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("enquiries reply takes one enquiry reference")
				}
				if err := required("template", *template); err != nil {
					return err
				}
				if !*holding && (*why != "" || *outstanding != "" || *from != "" || *newDate != "") {
					return usagef("-why, -outstanding, -from and -new-date are for a holding reply: add -holding")
				}
				return a.withEnquiryDB(ctx, *dsn, tether.CLIActor("enquiries"), es, func(ctx context.Context, db *store.DB) error {
					d, err := findEnquiry(ctx, db, args[0])
					if err != nil {
						return err
					}
					in := enquiry.ReplyInput{TemplateKey: *template, Personalisation: values, To: *to, ToAddress: address,
						ProofRef: *proof, OverrideReason: *override, Version: d.Version}
					var h *enquiry.HoldingInput
					if *holding {
						h = &enquiry.HoldingInput{Reason: *why, Outstanding: *outstanding, From: *from, Detail: *detail, NewDate: *newDate}
					}
					if *dry {
						r, err := db.PreviewEnquiryReply(ctx, d.ID, in, h)
						if err != nil {
							return err
						}
						fmt.Fprintf(a.stdout, "Dry run: nothing was sent.\nTo %s by %s. Reading ease %.1f, grade %.1f, meets the clarity bar: %t.\n\n",
							strings.Join(r.SentTo, ", "), r.Channel, r.ReadingEase, r.Grade, r.PassesBar)
						if r.Subject != "" {
							fmt.Fprintf(a.stdout, "    %s\n\n", r.Subject)
						}
						fmt.Fprintln(a.stdout, indentText(r.Content))
						return nil
					}
					var e *enquiry.Enquiry
					if h != nil {
						e, err = db.SendHoldingReply(ctx, d.ID, enquiry.HoldingReplyInput{HoldingInput: *h, ReplyInput: in})
					} else {
						e, err = db.AnswerEnquiry(ctx, d.ID, in)
					}
					if err != nil {
						return err
					}
					if h != nil {
						fmt.Fprintf(a.stdout, "Holding reply sent for %s: now due %s.\n", e.Ref, e.DueOn)
						return nil
					}
					fmt.Fprintf(a.stdout, "Answer sent for %s", e.Ref)
					if e.WorkingDaysTaken != nil {
						fmt.Fprintf(a.stdout, " after %d working days", *e.WorkingDaysTaken)
					}
					if e.WithinStandard != nil && *e.WithinStandard {
						fmt.Fprintln(a.stdout, ", within the standard.")
					} else {
						fmt.Fprintf(a.stdout, ", late (%s).\n", e.LateBand)
					}
					return nil
				})
			}
		},
	}
}

func enquiriesReportCommand() *command {
	return &command{
		name:    "enquiries report",
		summary: "the enquiries performance report: received, answered within the standard, late replies by band",
		help: `
Prints, per month of receipt, team, category and urgency, and in total:
enquiries received, answered, the share answered within the service
standard, those still open, and the late replies in the bands of the
published figures (up to 20, 20 to 30, 30 to 40, 40 to 50 and over 50
working days, and still outstanding). -from and -to are months (YYYY-MM,
at most 36); the default is the twelve months up to this one. -csv writes
CSV, -json the API's JSON. Counts only: no personal data.

Examples:
  tether enquiries report
  tether enquiries report -from 2025-04 -to 2026-03 -csv > enquiries.csv
  tether enquiries report -urgency urgent`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			es := bindEnquiryStandards(fs)
			from := fs.FlagSet.String("from", "", "the first month, YYYY-MM")
			to := fs.FlagSet.String("to", "", "the last month, YYYY-MM")
			team := fs.FlagSet.String("team", "", "only this team's")
			category := fs.FlagSet.String("category", "", "only this category")
			urgency := fs.FlagSet.String("urgency", "", "only this urgency")
			asCSV := fs.FlagSet.Bool("csv", false, "write CSV")
			asJSON := fs.FlagSet.Bool("json", false, "write JSON")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("enquiries report", args); err != nil {
					return err
				}
				if *asCSV && *asJSON {
					return usagef("give -csv or -json, not both")
				}
				if (*from == "") != (*to == "") {
					return usagef("give both -from and -to, or neither for the last twelve months")
				}
				return a.withEnquiryDB(ctx, *dsn, tether.CLIActor("enquiries"), es, func(ctx context.Context, db *store.DB) error {
					r, err := db.EnquiryReport(ctx, enquiry.ReportFilter{From: *from, To: *to, Team: *team, Category: *category, Urgency: *urgency})
					if err != nil {
						return err
					}
					return a.writeFigures(*asCSV, *asJSON, r.WriteCSV, r, func() { a.printEnquiryReport(r) })
				})
			}
		},
	}
}

// printEnquiryReport prints the report as a table.
func (a *app) printEnquiryReport(r *enquiry.Report) {
	fmt.Fprintf(a.stdout, "Enquiries received %s to %s, as at %s.\n\n", r.From, r.To, r.AsOf)
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "MONTH\tTEAM\tCATEGORY\tURGENCY\tRECEIVED\tANSWERED\tWITHIN\tOPEN\tLATE<=20\t20-30\t30-40\t40-50\t>50\tOUTSTANDING\t")
	for _, row := range append(r.Rows, r.Totals) {
		share := "-"
		if row.Answered > 0 {
			share = strconv.FormatFloat(row.ShareWithin*100, 'f', 1, 64) + "%"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", row.Month, orDash(row.Team), orDash(row.Category),
			orDash(row.Urgency), row.Received, row.Answered, share, row.Open, row.Late.UpTo20, row.Late.To30, row.Late.To40,
			row.Late.To50, row.Late.Over50, row.Late.Outstanding)
	}
	w.Flush()
}

// replySending says how a reply reached the office, with the proof.
func replySending(r *enquiry.Reply) string {
	d := r.Delivery
	switch {
	case d == nil && r.ProofRef != "":
		return "sent outside Tether, proof of sending " + r.ProofRef
	case d == nil:
		return "sent outside Tether"
	case d.State == enquiry.DeliverySent:
		return "sent through " + d.Via + " at " + d.SentAt.Format("2006-01-02 15:04") + ", reference " + d.ProviderID
	case d.State == enquiry.DeliveryFailed:
		return "NOT SENT through " + d.Via + ": " + d.LastError
	}
	return strings.ToLower(enquiry.DeliveryWords(d)) + " through " + d.Via
}
