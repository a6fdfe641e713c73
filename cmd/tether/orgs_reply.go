package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"tether/store"
)

// Where an office's replies go: its email address and postal address on
// record, used when a caseworker's reply names none.

// bindReplyTo defines the flags for an organisation's reply email and
// postal address (one line per flag, repeated).
func bindReplyTo(fs *flags, emailFlag, addressFlag string) (*string, *repeated) {
	email := fs.FlagSet.String(emailFlag, "", "the email address replies to the office go to")
	address := &repeated{}
	fs.FlagSet.Var(address, addressFlag, "a line of the postal address letters to the office go to; repeat for each, the postcode last")
	return email, address
}

func orgsReplyToCommand() *command {
	return &command{
		name:    "orgs reply-to",
		summary: "set or clear where an organisation's replies go: its email and postal address",
		help: `
A reply to the office goes to the address the caseworker gives, else to the
address on record here: by email to -email (else to the office's user who
raised the enquiry), by letter to -address. A flag left out keeps its value;
-email '' clears the email and -clear-address the postal address.

Examples:
  tether orgs reply-to -org 2 -email casework@sam-example-mp.example.org
  tether orgs reply-to -org 2 -address 'Sam Example MP' -address 'House of Commons' -address London -address 'SW1A 0AA'
  tether orgs reply-to -org 3 -email '' -clear-address`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			org := fs.FlagSet.Int64("org", 0, "the organisation's id (required; see tether orgs list)")
			email, address := bindReplyTo(fs, "email", "address")
			clear := fs.FlagSet.Bool("clear-address", false, "remove the postal address on record")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("orgs reply-to", args); err != nil {
					return err
				}
				if *org <= 0 {
					return usagef("-org is required: the organisation's id (see tether orgs list)")
				}
				given := map[string]bool{}
				fs.FlagSet.Visit(func(f *flag.Flag) { given[f.Name] = true })
				if given["address"] && *clear {
					return usagef("give -address or -clear-address, not both")
				}
				if !given["email"] && !given["address"] && !*clear {
					return usagef("give -email, -address or -clear-address")
				}
				return a.withDB(ctx, *dsn, usersActor, func(ctx context.Context, db *store.DB) error {
					o, err := db.FindOrganisationByID(ctx, *org)
					if err != nil {
						return err
					}
					newEmail, newAddress := o.ReplyEmail, o.ReplyAddress
					if given["email"] {
						newEmail = *email
					}
					switch {
					case *clear:
						newAddress = nil
					case given["address"]:
						newAddress = *address
					}
					if o, err = db.UpdateOrganisationReplyTo(ctx, o.ID, newEmail, newAddress); err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Organisation %d: %s\n", o.ID, o.Name)
					fmt.Fprintf(a.stdout, "  Replies by email go to: %s\n", orDefault(o.ReplyEmail, "the office's user who raised the enquiry"))
					fmt.Fprintf(a.stdout, "  Replies by letter go to: %s\n", orDefault(strings.Join(o.ReplyAddress, ", "), "the address the caseworker gives"))
					return nil
				})
			}
		},
	}
}

func orDefault(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}
