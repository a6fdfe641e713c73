package main

import (
	"context"
	"fmt"
	"time"

	"tether"
	"tether/demo"
	"tether/store"
)

// demoPassword is the password of every demo user. It is printed for
// anyone to use: demo databases hold only synthetic people.
const demoPassword = "demo-password-please-change"

// demoUsers are created when absent. Organisation users name their
// organisation by name.
var demoUsers = []struct {
	email, name string
	role        tether.Role
	org         string
	personal    bool
}{
	{"admin@example.org", "Demo Admin", tether.RoleAdmin, "", false},
	{"caseworker@example.org", "Demo Caseworker", tether.RoleCaseworker, "", false},
	{"enquiries@example.org", "Demo Enquiries Caseworker", tether.RoleEnquiries, "", false},
	{"inspector@example.org", "Demo Inspector", tether.RoleInspector, "", false},
	{"mp.office@example.org", "Demo MP Office Caseworker", tether.RoleOrganisation, demo.MPOffice, false},
	{"law.firm@example.org", "Demo Legal Representative", tether.RoleOrganisation, demo.LawFirm, false},
}

// demoOrgs are the organisations the demo users belong to.
var demoOrgs = []tether.Organisation{
	{Name: demo.MPOffice, Kind: tether.OrgMPOffice, Constituency: "Exampleton and Sample Vale", Division: "england-and-wales",
		ReplyEmail: "sam.example.mp@example.org", ReplyAddress: []string{"Sam Example MP", "House of Commons", "London", "SW1A 0AA"}},
	{Name: demo.LawFirm, Kind: tether.OrgLawFirm, Division: "england-and-wales",
		ReplyEmail:   "post@example-immigration-law.example.org",
		ReplyAddress: []string{demo.LawFirm, "12 Sample Street", "Manchester", "M1 4BT"}},
}

func demoCommand() *command {
	return &command{
		name:    "demo",
		summary: "add a synthetic population and demo users, for trying Tether out",
		help: `
Adds N synthetic people, the same ones for the same -seed, through the same
bulk importer as tether import, so running it twice adds nothing. Their
phone numbers are in Ofcom's drama range and their email addresses are at
example.com and example.org: nothing reaches a real person.

Also creates, when absent, an MP's office and a law firm, and the users
admin@, caseworker@, enquiries@, inspector@, mp.office@ and law.firm@
example.org, all with the password "` + demoPassword + `". Some people
are the law firm's clients, so that its user sees them.

Never run it against a database with real people in it.

Examples:
  tether demo
  tether demo -people 100000 -seed 7
  tether demo -if-empty          (what make run does: nothing if there are people already)`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			n := fs.FlagSet.Int("people", 3000, "how many people to add")
			seed := fs.FlagSet.Uint64("seed", 1, "the seed: the same seed gives the same people")
			ifEmpty := fs.FlagSet.Bool("if-empty", false, "do nothing when the database has people already")
			batch := fs.FlagSet.Int("batch", defaultBatch, "people per database transaction")
			es := bindEnquiryStandards(fs)
			return func(ctx context.Context, args []string) error {
				if err := noArgs("demo", args); err != nil {
					return err
				}
				if *n < 0 || *batch < 1 {
					return usagef("-people must be 0 or more and -batch at least 1")
				}
				return a.withEnquiryDB(ctx, *dsn, tether.CLIActor("demo"), es, func(ctx context.Context, db *store.DB) error {
					return a.demo(ctx, db, *n, *seed, *ifEmpty, *batch)
				})
			}
		},
	}
}

func (a *app) demo(ctx context.Context, db *store.DB, n int, seed uint64, ifEmpty bool, batch int) error {
	if ifEmpty {
		_, total, err := db.FindPeople(ctx, tether.PersonFilter{Limit: 1})
		if err != nil {
			return err
		}
		if total > 0 {
			fmt.Fprintf(a.stdout, "The database has %s people already: no demo data added.\n", commas(int64(total)))
			if _, err := db.FindUserByEmail(ctx, "caseworker@example.org"); err == nil {
				fmt.Fprintf(a.stdout, "Demo sign-in: caseworker@example.org / %s (unless it was changed)\n", demoPassword)
			}
			return nil
		}
	}
	orgIDs, err := a.demoOrganisations(ctx, db)
	if err != nil {
		return err
	}
	if err := a.demoUsers(ctx, db, orgIDs); err != nil {
		return err
	}

	lawFirm := orgIDs[demo.LawFirm]
	now := a.clock.Now()
	prog := newProgress(a.stderr)
	l := &loader{imp: db, size: batch}
	var invalid error
	for pi := range demo.Generate(seed, n, now) {
		if err := ctx.Err(); err != nil {
			l.wait()
			prog.done()
			return err
		}
		if r := pi.Person.Representative; r != nil && r.Organisation == demo.LawFirm {
			r.OrganisationID = &lawFirm
		}
		// The generator makes valid people; checking costs little and
		// normalises them as the web forms would.
		if err := validImport(pi, now); err != nil {
			if invalid == nil {
				invalid = fmt.Errorf("demo person %s is not valid (a bug in package demo): %w", pi.Person.Ref, err)
			}
			continue
		}
		if err := l.add(ctx, pi, 0); err != nil {
			l.wait()
			prog.done()
			return err
		}
		if prog.due() {
			c := l.counts
			prog.show(fmt.Sprintf("%3d%%  added %s  already there %s  %s people/s", (c.Imported+c.Skipped)*100/int64(max(n, 1)),
				commas(c.Imported), commas(c.Skipped), commas(rate(c.Imported+c.Skipped, prog.elapsed()))))
		}
	}
	if err := l.finish(ctx); err != nil {
		prog.done()
		return err
	}
	prog.done()
	if invalid != nil {
		return invalid
	}
	c := l.counts
	d := prog.elapsed()
	rep, err := a.demoReporting(ctx, db, demoReportingPeople)
	if err != nil {
		return fmt.Errorf("demo reporting: %w", err)
	}
	fmt.Fprintf(a.stdout, "Added %s reporting conditions with %d days of history: %s check-ins, %s tracing attempts, people in every contact status.\n",
		commas(int64(rep.conditions)), demoReportingDays, commas(int64(rep.checkIns)), commas(int64(rep.attempts)))
	notices, err := a.demoNotices(ctx, db)
	if err != nil {
		return fmt.Errorf("demo correspondence: %w", err)
	}
	fmt.Fprintf(a.stdout, "Added %s notices in every state, with the starter templates.\n", commas(int64(notices)))
	if err := a.demoEnquiries(ctx, db, seed); err != nil { // demo_enquiries.go
		return fmt.Errorf("demo enquiries: %w", err)
	}
	fmt.Fprintf(a.stdout, "Added %s synthetic people (seed %d) with %s contact points in %s; %s were there already.\n",
		commas(c.Imported), seed, commas(c.Points), roundDuration(d), commas(c.Skipped))
	fmt.Fprintf(a.stdout, "Demo users: admin@, caseworker@, enquiries@, inspector@, mp.office@ and law.firm@example.org.\n")
	fmt.Fprintf(a.stdout, "Demo sign-in: caseworker@example.org / %s\n", demoPassword)
	return nil
}

// validImport validates a person and their contact points.
func validImport(pi tether.PersonImport, now time.Time) error {
	if err := pi.Person.Validate(now); err != nil {
		return err
	}
	for _, c := range pi.ContactPoints {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// demoOrganisations finds or creates the demo organisations and returns
// their ids by name.
func (a *app) demoOrganisations(ctx context.Context, db *store.DB) (map[string]int64, error) {
	orgs, err := db.FindOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	ids := map[string]int64{}
	for _, o := range orgs {
		ids[o.Name] = o.ID
	}
	for _, o := range demoOrgs {
		if _, ok := ids[o.Name]; ok {
			continue
		}
		o := o
		if err := db.CreateOrganisation(ctx, &o); err != nil {
			return nil, err
		}
		ids[o.Name] = o.ID
		fmt.Fprintf(a.stdout, "Created organisation %s (%s)\n", o.Name, o.Kind)
	}
	return ids, nil
}

// demoUsers creates the demo users that are absent; it leaves those that
// exist as they are.
func (a *app) demoUsers(ctx context.Context, db *store.DB, orgIDs map[string]int64) error {
	for _, du := range demoUsers {
		_, err := db.FindUserByEmail(ctx, du.email)
		if err == nil {
			continue
		}
		if tether.ErrorCode(err) != tether.ENOTFOUND {
			return err
		}
		u := &tether.User{Email: du.email, Name: du.name, Role: du.role, PersonalData: du.personal}
		if du.org != "" {
			id := orgIDs[du.org]
			u.OrganisationID = &id
		}
		if err := db.CreateUser(ctx, u, demoPassword); err != nil {
			return fmt.Errorf("demo user %s: %w", du.email, err)
		}
		fmt.Fprintf(a.stdout, "Created demo user %s (%s)\n", u.Email, u.Role)
	}
	return nil
}
