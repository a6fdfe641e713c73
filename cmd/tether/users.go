package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"tether"
	"tether/store"
)

// usersActor is who the users and orgs commands act as, in the audit log.
var usersActor = tether.CLIActor("users")

// withDB opens and migrates the database, runs f as the actor, and closes it.
func (a *app) withDB(ctx context.Context, dsn string, actor tether.Actor, f func(ctx context.Context, db *store.DB) error) error {
	db, err := a.openDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return f(tether.NewContextWithActor(ctx, actor), db)
}

func noArgs(name string, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, only flags (got %q)", name, strings.Join(args, " "))
	}
	return nil
}

func required(flag, v string) error {
	if strings.TrimSpace(v) == "" {
		return usagef("-%s is required", flag)
	}
	return nil
}

// orgFlag reads -org: an organisation id, or 0 for none.
func orgFlag(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func usersAddCommand() *command {
	return &command{
		name:    "users add",
		summary: "create a user who signs in",
		help: `
Roles: admin, caseworker, enquiries, organisation (an MP office or law firm
user: give -org), inspector (read-only; -personal-data lets them see names
and contact details).

The password comes from -password, $TETHER_PASSWORD, or a prompt (without
echo on a terminal, else one line of standard input). It must be at least
12 characters.

Examples:
  tether users add -email ana.silva@example.org -name 'Ana Silva' -role admin
  TETHER_PASSWORD='correct horse battery' tether users add -email cw@example.org -name 'Chris Wu' -role caseworker
  tether orgs list; tether users add -email office@example.org -name 'MP office' -role organisation -org 2`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			email := fs.FlagSet.String("email", "", "the user's email address, with which they sign in (required)")
			name := fs.FlagSet.String("name", "", "the user's name (required)")
			role := fs.FlagSet.String("role", "", "admin, caseworker, enquiries, organisation or inspector (required)")
			org := fs.FlagSet.Int64("org", 0, "the organisation's id, for an organisation user (see tether orgs list)")
			personal := fs.FlagSet.Bool("personal-data", false, "let an inspector see personal data")
			password := fs.String(settingPassword)
			return func(ctx context.Context, args []string) error {
				if err := noArgs("users add", args); err != nil {
					return err
				}
				for _, r := range [][2]string{{"email", *email}, {"name", *name}, {"role", *role}} {
					if err := required(r[0], r[1]); err != nil {
						return err
					}
				}
				u := &tether.User{Email: *email, Name: *name, Role: tether.Role(*role), OrganisationID: orgFlag(*org), PersonalData: *personal}
				if err := u.Validate(); err != nil {
					return err
				}
				pw, err := a.readPassword(*password, "Password for "+u.Email+": ", true)
				if err != nil {
					return err
				}
				if err := tether.ValidatePassword(pw); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, usersActor, func(ctx context.Context, db *store.DB) error {
					if err := db.CreateUser(ctx, u, pw); err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Created user %d: %s (%s)\n", u.ID, u.Email, u.Role)
					return nil
				})
			}
		},
	}
}

func usersListCommand() *command {
	return &command{
		name:    "users list",
		summary: "list users",
		help: `
Examples:
  tether users list`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			return func(ctx context.Context, args []string) error {
				if err := noArgs("users list", args); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, usersActor, func(ctx context.Context, db *store.DB) error {
					users, err := db.FindUsers(ctx)
					if err != nil {
						return err
					}
					orgs, err := orgNames(ctx, db)
					if err != nil {
						return err
					}
					tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tORGANISATION\tSTATUS\tCREATED")
					for _, u := range users {
						org := "-"
						if u.OrganisationID != nil {
							org = orgs[*u.OrganisationID] + " (" + strconv.FormatInt(*u.OrganisationID, 10) + ")"
						}
						status := "active"
						if u.Disabled {
							status = "disabled"
						}
						role := string(u.Role)
						if u.Role == tether.RoleInspector && u.PersonalData {
							role += " +personal data"
						}
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, role, org, status, u.CreatedAt.Format("2006-01-02"))
					}
					if err := tw.Flush(); err != nil {
						return err
					}
					if len(users) == 0 {
						fmt.Fprintln(a.stdout, "No users yet: add one with tether users add.")
					}
					return nil
				})
			}
		},
	}
}

func orgNames(ctx context.Context, db *store.DB) (map[int64]string, error) {
	orgs, err := db.FindOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		m[o.ID] = o.Name
	}
	return m, nil
}

func usersSetRoleCommand() *command {
	return &command{
		name:    "users set-role",
		summary: "change a user's role (and organisation)",
		help: `
Examples:
  tether users set-role -email cw@example.org -role enquiries
  tether users set-role -email office@example.org -role organisation -org 2`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			email := fs.FlagSet.String("email", "", "the user's email address (required)")
			role := fs.FlagSet.String("role", "", "admin, caseworker, enquiries, organisation or inspector (required)")
			org := fs.FlagSet.Int64("org", 0, "the organisation's id, for an organisation user")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("users set-role", args); err != nil {
					return err
				}
				if err := required("email", *email); err != nil {
					return err
				}
				if err := required("role", *role); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, usersActor, func(ctx context.Context, db *store.DB) error {
					u, err := db.FindUserByEmail(ctx, *email)
					if err != nil {
						return err
					}
					if err := db.SetUserRole(ctx, u.ID, tether.Role(*role), orgFlag(*org)); err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "%s is now %s\n", u.Email, *role)
					return nil
				})
			}
		},
	}
}

func usersDisableCommand(disable bool) *command {
	name, verb, help := "users disable", "disabled", `
A disabled user cannot sign in, and their sessions and API tokens end at
once. Nothing they did is lost; enable them again with tether users enable.

Examples:
  tether users disable -email cw@example.org`
	summary := "stop a user signing in, ending their sessions and tokens"
	if !disable {
		name, verb, summary, help = "users enable", "enabled", "let a disabled user sign in again", `
Examples:
  tether users enable -email cw@example.org`
	}
	return &command{
		name: name, summary: summary, help: help,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			email := fs.FlagSet.String("email", "", "the user's email address (required)")
			return func(ctx context.Context, args []string) error {
				if err := noArgs(name, args); err != nil {
					return err
				}
				if err := required("email", *email); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, usersActor, func(ctx context.Context, db *store.DB) error {
					u, err := db.FindUserByEmail(ctx, *email)
					if err != nil {
						return err
					}
					if err := db.SetUserDisabled(ctx, u.ID, disable); err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "%s is %s\n", u.Email, verb)
					return nil
				})
			}
		},
	}
}

func usersPasswordCommand() *command {
	return &command{
		name:    "users password",
		summary: "set a user's password",
		help: `
The password comes from -password, $TETHER_PASSWORD, or a prompt.

Examples:
  tether users password -email cw@example.org`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			email := fs.FlagSet.String("email", "", "the user's email address (required)")
			password := fs.String(settingPassword)
			return func(ctx context.Context, args []string) error {
				if err := noArgs("users password", args); err != nil {
					return err
				}
				if err := required("email", *email); err != nil {
					return err
				}
				pw, err := a.readPassword(*password, "New password for "+*email+": ", true)
				if err != nil {
					return err
				}
				if err := tether.ValidatePassword(pw); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, usersActor, func(ctx context.Context, db *store.DB) error {
					u, err := db.FindUserByEmail(ctx, *email)
					if err != nil {
						return err
					}
					if err := db.SetPassword(ctx, u.ID, pw); err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Password set for %s\n", u.Email)
					return nil
				})
			}
		},
	}
}

func usersTokenCommand() *command {
	return &command{
		name:    "users token",
		summary: "issue an API token that acts as a user (shown once)",
		help: `
Prints the token alone on standard output, once: the database keeps only its
hash. Machine clients send it as "Authorization: Bearer TOKEN". It stops
working when the user is disabled.

Examples:
  tether users token -email integration@example.org -name 'Nightly report'
  TOKEN=$(tether users token -email integration@example.org -name sync)`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			email := fs.FlagSet.String("email", "", "the user's email address (required)")
			name := fs.FlagSet.String("name", "", "what the token is for (required)")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("users token", args); err != nil {
					return err
				}
				if err := required("email", *email); err != nil {
					return err
				}
				if err := required("name", *name); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, usersActor, func(ctx context.Context, db *store.DB) error {
					u, err := db.FindUserByEmail(ctx, *email)
					if err != nil {
						return err
					}
					secret, t, err := db.CreateAPIToken(ctx, u.ID, *name)
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stderr, "API token %d %q for %s. Keep it safe: it is shown only this once.\n", t.ID, t.Name, u.Email)
					fmt.Fprintln(a.stdout, secret)
					return nil
				})
			}
		},
	}
}

func orgsAddCommand() *command {
	return &command{
		name:    "orgs add",
		summary: "create an organisation: an MP's office, a law firm or an advice service",
		help: `
Kinds: mp_office, law_firm, advice. Divisions (for working days):
england-and-wales, scotland, northern-ireland.

Examples:
  tether orgs add -name 'Office of Sam Example MP' -kind mp_office -constituency 'Exampleton' -division england-and-wales
  tether orgs add -name 'Example Immigration Law LLP' -kind law_firm \
      -reply-email post@example-law.example.org \
      -reply-address 'Example Immigration Law LLP' -reply-address '1 Example Street' -reply-address London -reply-address 'EC1A 1BB'

Replies to the office go to -reply-email and, for a letter, -reply-address
(one line each, repeated, the postcode last) when the caseworker gives no
address; change them later with tether orgs reply-to.`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			name := fs.FlagSet.String("name", "", "the organisation's name (required)")
			kind := fs.FlagSet.String("kind", "", "mp_office, law_firm or advice (required)")
			constituency := fs.FlagSet.String("constituency", "", "an MP office's constituency")
			division := fs.FlagSet.String("division", "", "england-and-wales, scotland or northern-ireland")
			replyEmail, replyAddress := bindReplyTo(fs, "reply-email", "reply-address") // orgs_reply.go
			return func(ctx context.Context, args []string) error {
				if err := noArgs("orgs add", args); err != nil {
					return err
				}
				o := &tether.Organisation{Name: *name, Kind: tether.OrganisationKind(*kind), Constituency: *constituency, Division: *division,
					ReplyEmail: *replyEmail, ReplyAddress: *replyAddress}
				if err := o.Validate(); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, usersActor, func(ctx context.Context, db *store.DB) error {
					if err := db.CreateOrganisation(ctx, o); err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Created organisation %d: %s (%s)\n", o.ID, o.Name, o.Kind)
					return nil
				})
			}
		},
	}
}

func orgsListCommand() *command {
	return &command{
		name:    "orgs list",
		summary: "list organisations",
		help: `
Examples:
  tether orgs list`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			return func(ctx context.Context, args []string) error {
				if err := noArgs("orgs list", args); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, usersActor, func(ctx context.Context, db *store.DB) error {
					orgs, err := db.FindOrganisations(ctx)
					if err != nil {
						return err
					}
					tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tNAME\tKIND\tCONSTITUENCY\tDIVISION")
					for _, o := range orgs {
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", o.ID, o.Name, o.Kind, dash(o.Constituency), dash(o.Division))
					}
					if err := tw.Flush(); err != nil {
						return err
					}
					if len(orgs) == 0 {
						fmt.Fprintln(a.stdout, "No organisations yet: add one with tether orgs add.")
					}
					return nil
				})
			}
		},
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
