package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"

	"tether"
	"tether/enquiry"
	"tether/store"
)

// settingEnquiryStandards is a department's own enquiry service standards:
// the working days per urgency and category, the warning days and the
// teams. Every command that works with enquiries (serve, sweep, demo and
// the enquiries commands) reads it at start, before it opens the database.
var settingEnquiryStandards = setting{Flag: "enquiry-standards", Env: "TETHER_ENQUIRY_STANDARDS", Default: "",
	Usage: "a JSON file of the enquiry service standards (working days per urgency and category, warning days, teams), " +
		"shaped like 'tether enquiries standards -json'; empty for the built-in standards"}

// standardsFlag is the -enquiry-standards setting a command bound, and
// the standards it names once read.
type standardsFlag struct {
	path      *string
	standards enquiry.Standards
	loaded    bool
}

// bindEnquiryStandards binds the -enquiry-standards setting.
func bindEnquiryStandards(fs *flags) *standardsFlag {
	return &standardsFlag{path: fs.String(settingEnquiryStandards)}
}

// file is the file named, "" for the built-in standards.
func (f *standardsFlag) file() string { return strings.TrimSpace(*f.path) }

// load reads and checks the standards, once: the file's, or the built-in
// ones when none is named. A file that cannot be read or holds standards
// that are not valid is an error naming the file, the field and the
// reason, so that the command stops before it changes anything.
func (f *standardsFlag) load() error {
	if f.loaded {
		return nil
	}
	path := f.file()
	if path == "" {
		f.standards, f.loaded = enquiry.DefaultStandards(), true
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("-enquiry-standards %s: cannot read the file: %v", path, err)
	}
	s, err := enquiry.ParseStandards(b)
	if err != nil {
		return fmt.Errorf("-enquiry-standards %s: %s", path, describe(err))
	}
	f.standards, f.loaded = s, true
	return nil
}

// apply loads the standards and puts them in force on db.
func (f *standardsFlag) apply(db *store.DB) error {
	if err := f.load(); err != nil {
		return err
	}
	if err := db.SetEnquiryStandards(f.standards); err != nil {
		return fmt.Errorf("-enquiry-standards %s: %s", orText(f.file(), "(built in)"), describe(err))
	}
	return nil
}

// withEnquiryDB is withDB for a command that works with enquiries: it
// reads the standards first, so that a bad file stops the command before
// the database is opened, then puts them in force.
func (a *app) withEnquiryDB(ctx context.Context, dsn string, actor tether.Actor, es *standardsFlag,
	f func(ctx context.Context, db *store.DB) error) error {
	if err := es.load(); err != nil {
		return err
	}
	return a.withDB(ctx, dsn, actor, func(ctx context.Context, db *store.DB) error {
		if err := es.apply(db); err != nil {
			return err
		}
		return f(ctx, db)
	})
}

func enquiriesStandardsCommand() *command {
	return &command{
		name:    "enquiries standards",
		summary: "show the enquiry service standards in force: working days, warning days and teams",
		help: `
Prints the service standards new enquiries are measured against: their name
and version, where they come from, how many working days before the due date
the caseworker and team lead are warned, the working days for each urgency
and category, and the teams with the categories each answers. -json prints
them as JSON, in the shape -enquiry-standards (TETHER_ENQUIRY_STANDARDS)
reads, so that a department can start its own from them. Enquiries already
received keep the working days they were given.

Examples:
  tether enquiries standards
  tether enquiries standards -json > standards.json
  tether enquiries standards -enquiry-standards standards.json     check a file
  TETHER_ENQUIRY_STANDARDS=/etc/tether/standards.json tether serve`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			es := bindEnquiryStandards(fs)
			asJSON := fs.FlagSet.Bool("json", false, "print the standards as JSON")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("enquiries standards", args); err != nil {
					return err
				}
				return a.withEnquiryDB(ctx, *dsn, tether.CLIActor("enquiries"), es, func(ctx context.Context, db *store.DB) error {
					s := db.EnquiryStandards()
					if *asJSON {
						enc := json.NewEncoder(a.stdout)
						enc.SetIndent("", "  ")
						return enc.Encode(s)
					}
					a.printEnquiryStandards(s, es.file())
					return nil
				})
			}
		},
	}
}

// printEnquiryStandards prints the standards in words, saying where they
// come from (file, or "" for the built-in ones).
func (a *app) printEnquiryStandards(s enquiry.Standards, file string) {
	from := "built in"
	if file != "" {
		from = "from " + file
	}
	fmt.Fprintf(a.stdout, "Enquiry service standards %q, version %d (%s).\n", s.Name, s.Version, from)
	fmt.Fprintf(a.stdout, "The caseworker and the team lead are warned %s before an enquiry is due.\n\n", workingDays(s.WarnWorkingDays))

	// An urgency's standard without a category covers the categories
	// without one of their own.
	own := map[string]bool{}
	for _, st := range s.Standards {
		if st.Category != "" {
			own[st.Urgency] = true
		}
	}
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "URGENCY\tCATEGORY\tANSWERED WITHIN\tIN WORDS")
	for _, u := range enquiry.Urgencies {
		for _, st := range s.Standards {
			if st.Urgency != u {
				continue
			}
			category := st.Category
			if category == "" {
				category = "every category"
				if own[u] {
					category = "every other category"
				}
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u, category, workingDays(st.WorkingDays), st.Text)
		}
	}
	w.Flush()

	fmt.Fprintln(a.stdout)
	w = tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TEAM\tNAME\tANSWERS")
	for _, t := range s.Teams {
		fmt.Fprintf(w, "%s\t%s\t%s\n", t.Key, t.Name, strings.Join(t.Categories, ", "))
	}
	w.Flush()
}

// workingDays is a number of working days in words: "1 working day",
// "20 working days".
func workingDays(n int) string {
	if n == 1 {
		return "1 working day"
	}
	return fmt.Sprintf("%d working days", n)
}
