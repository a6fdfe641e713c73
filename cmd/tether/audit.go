package main

import (
	"context"
	"fmt"

	"tether"
	"tether/store"
)

func auditVerifyCommand() *command {
	return &command{
		name:    "audit verify",
		summary: "check the audit log's hash chain and name the first broken entry",
		help: `
Every write, and every read of a person's record, is in the audit log, each
entry chained to the one before by a SHA-256 hash. This checks the whole
chain, in constant memory, and says where it first breaks: an entry changed,
removed or added outside the application. The exit status is 1 when the
chain is broken.

Examples:
  tether audit verify
  TETHER_DB=postgres://auditor@db.internal/tether tether audit verify`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			return func(ctx context.Context, args []string) error {
				if err := noArgs("audit verify", args); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("audit"), func(ctx context.Context, db *store.DB) error {
					prog := newProgress(a.stderr)
					r, err := db.VerifyAuditProgress(ctx, func(n int64) {
						if prog.due() {
							prog.show(fmt.Sprintf("checked %s entries  %s entries/s", commas(n), commas(rate(n, prog.elapsed()))))
						}
					})
					prog.done()
					if err != nil {
						return err
					}
					if !r.OK {
						fmt.Fprintf(a.stdout, "The audit chain is BROKEN at entry %d: %s.\n", r.BrokenSeq, r.Broken)
						fmt.Fprintf(a.stdout, "%s entries were checked up to there.\n", commas(r.Entries))
						return &exitError{1}
					}
					fmt.Fprintf(a.stdout, "The audit chain is intact: %s entries checked in %s.\n", commas(r.Entries), roundDuration(prog.elapsed()))
					return nil
				})
			}
		},
	}
}
