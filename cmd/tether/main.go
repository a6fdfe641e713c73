// Command tether is the Tether binary: the web server and the operator's
// tools (migrations, users, imports and exports, demo data, audit checks and
// benchmarks), as subcommands. Run "tether help".
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"

	"golang.org/x/term"

	"tether"
	"tether/store"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// app is what every command runs with: its streams, environment and clock.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	lookupEnv      func(string) (string, bool)
	clock          tether.Clock
}

// run runs the command line args (without the program name) and returns
// the exit status: 0 for success, 1 for a failure, 2 for a usage error.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, lookupEnv: os.LookupEnv, clock: tether.SystemClock{}}
	return a.run(ctx, args)
}

// A command is one subcommand.
type command struct {
	// name is one or two words: "serve", "users add".
	name string
	// args describes the positional arguments in the usage line.
	args    string
	summary string
	// help is the longer explanation, with examples.
	help string
	// setup defines the command's flags and returns what runs it.
	setup func(a *app, fs *flags) func(ctx context.Context, args []string) error
}

// commands lists every command, in the order the overview shows them.
func commands() []*command {
	return []*command{
		serveCommand(), migrateCommand(),
		usersAddCommand(), usersListCommand(), usersSetRoleCommand(), usersDisableCommand(true), usersDisableCommand(false),
		usersPasswordCommand(), usersTokenCommand(),
		orgsAddCommand(), orgsListCommand(), orgsReplyToCommand(),
		importPeopleCommand(), exportPeopleCommand(),
		templatesCheckCommand(), templatesSeedCommand(), templatesListCommand(),
		holidaysLoadCommand(), holidaysShowCommand(),
		noticesSendCommand(), noticesListCommand(), noticesShowCommand(), noticesProofCommand(), noticesCancelCommand(),
		dispatchCommand(), sweepCommand(),
		lapsesListCommand(), lapsesShowCommand(), lapsesAttemptCommand(), figuresContactCommand(),
		conditionsAddCommand(), conditionsListCommand(), conditionsChangeCommand(), conditionsEndCommand(),
		eventsListCommand(), eventsCheckInCommand(), eventsOutcomeCommand(),
		enquiriesListCommand(), enquiriesShowCommand(), enquiriesCreateCommand(), enquiriesAssignCommand(), enquiriesReplyCommand(),
		enquiriesReportCommand(), enquiriesStandardsCommand(),
		demoCommand(), auditVerifyCommand(), benchImportCommand(),
	}
}

// groups are the first words of two-word commands, with what they are for.
var groups = map[string]string{
	"users":     "manage users: people who sign in, and API tokens",
	"orgs":      "manage organisations: MPs' offices, law firms and advice services",
	"import":    "import records from a file",
	"export":    "export records to a file",
	"audit":     "check the audit log",
	"bench":     "measure performance",
	"templates": "check, seed and list letter, email and text message templates",
	"holidays":  "load and show bank holidays for working-day deadlines",
	"notices":   "send notices, list them, show their timeline and proof of service, cancel them",
	"lapses":    "lapses of contact: list them, show one with its tracing plan, record a tracing attempt",
	"figures":   "figures for managers: how well contact is kept, per reporting centre and month",
	"enquiries": "enquiries from MPs' offices and representatives: list, show, record, assign, reply, the performance report, the service standards",
}

// usageError is a mistake in the command line: the status is 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// exitError ends a command with a status and a message already printed.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func (a *app) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		a.overview(a.stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return a.help(args[1:])
	case "version", "-version", "--version":
		fmt.Fprintln(a.stdout, "tether", version)
		return 0
	}
	cmd, rest := findCommand(args)
	if cmd == nil {
		if desc, ok := groups[args[0]]; ok {
			out, code := a.stderr, 2
			if len(args) > 1 && isHelpFlag(args[1]) {
				out, code = a.stdout, 0
			} else if len(args) > 1 {
				fmt.Fprintf(a.stderr, "tether %s: unknown command %q\n\n", args[0], args[1])
			}
			a.groupHelp(out, args[0], desc)
			return code
		}
		fmt.Fprintf(a.stderr, "tether: unknown command %q\nRun 'tether help' for the commands.\n", args[0])
		return 2
	}
	return a.runCommand(ctx, cmd, rest)
}

func isHelpFlag(s string) bool {
	switch s {
	case "-h", "-help", "--help":
		return true
	}
	return false
}

// findCommand finds the command that args name and returns the rest.
func findCommand(args []string) (*command, []string) {
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):]
		}
	}
	return nil, nil
}

func (a *app) newFlags(cmd *command) (*flags, func(context.Context, []string) error) {
	fs := &flags{FlagSet: flag.NewFlagSet("tether "+cmd.name, flag.ContinueOnError), lookupEnv: a.lookupEnv}
	fs.SetOutput(io.Discard)
	return fs, cmd.setup(a, fs)
}

func (a *app) runCommand(ctx context.Context, cmd *command, args []string) int {
	fs, run := a.newFlags(cmd)
	pos, err := parseInterleaved(fs.FlagSet, args)
	if errors.Is(err, flag.ErrHelp) {
		a.commandHelp(a.stdout, cmd, fs)
		return 0
	}
	if err == nil && len(fs.envErrs) > 0 {
		err = errors.Join(fs.envErrs...)
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "tether %s: %v\nRun 'tether %s -h' for help.\n", cmd.name, err, cmd.name)
		return 2
	}
	err = run(ctx, pos)
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "tether %s: %v\nRun 'tether %s -h' for help.\n", cmd.name, ue.msg, cmd.name)
		return 2
	}
	fmt.Fprintf(a.stderr, "tether %s: %s\n", cmd.name, describe(err))
	return 1
}

// parseInterleaved parses flags that may come before or after the
// positional arguments ("import people x.csv -strict"), and returns the
// positional arguments. After "--" everything is positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// flag stops at "--" or the first non-flag; which was it?
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// describe writes an error for the operator: a domain error's message and
// fields, or the error itself.
func describe(err error) string {
	if fields := tether.ErrorFields(err); len(fields) > 0 {
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + fields[k]
		}
		return strings.Join(parts, "; ")
	}
	var te *tether.Error
	if errors.As(err, &te) {
		return te.Message
	}
	return err.Error()
}

// help runs "tether help [COMMAND]".
func (a *app) help(args []string) int {
	if len(args) == 0 {
		a.overview(a.stdout)
		return 0
	}
	if cmd, _ := findCommand(args); cmd != nil {
		fs, _ := a.newFlags(cmd)
		a.commandHelp(a.stdout, cmd, fs)
		return 0
	}
	if desc, ok := groups[args[0]]; ok {
		a.groupHelp(a.stdout, args[0], desc)
		return 0
	}
	fmt.Fprintf(a.stderr, "tether help: unknown command %q\n", strings.Join(args, " "))
	return 2
}

const overviewIntro = `Tether keeps a department in contact with people who must stay in contact with
it, and answers the MPs' offices and legal representatives who ask about them.

Usage: tether COMMAND [flags] [arguments]
`

const overviewExamples = `Examples:
  tether migrate                                 create or update the database (tether.db)
  tether demo -people 3000                       add a synthetic population and demo users
  tether serve                                   serve on http://127.0.0.1:8080
  TETHER_PASSWORD='...' tether users add -email ana@example.org -name 'Ana Silva' -role admin
  tether import people people.csv                import a file; safe to run again
  tether export people backup.jsonl              export everyone with their contact history
  TETHER_DB=postgres://tether@db/tether tether serve
`

func (a *app) overview(w io.Writer) {
	fmt.Fprint(w, overviewIntro)
	fmt.Fprintln(w, "\nCommands:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nConfiguration: every setting is a flag and an environment variable; the flag wins.")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, s := range allSettings {
		def := s.Default
		if def == "" {
			def = "none"
		}
		fmt.Fprintf(tw, "  %s\t-%s\t%s (default: %s)\n", s.Env, s.Flag, s.Usage, def)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprint(w, overviewExamples)
	fmt.Fprintln(w, "\nRun 'tether help COMMAND' or 'tether COMMAND -h' for a command's flags and examples.")
}

func (a *app) groupHelp(w io.Writer, group, desc string) {
	fmt.Fprintf(w, "tether %s: %s\n\nCommands:\n", group, desc)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands() {
		if strings.HasPrefix(c.name, group+" ") {
			fmt.Fprintf(tw, "  tether %s\t%s\n", c.name, c.summary)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRun 'tether %s COMMAND -h' for a command's flags and examples.\n", group)
}

func (a *app) commandHelp(w io.Writer, cmd *command, fs *flags) {
	line := "tether " + cmd.name + " [flags]"
	if cmd.args != "" {
		line += " " + cmd.args
	}
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", line, strings.TrimSpace(cmd.summary))
	if h := strings.TrimSpace(cmd.help); h != "" {
		fmt.Fprintf(w, "\n%s\n", h)
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nFlags (each [$VARIABLE] sets the flag's default from the environment):")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// openDB opens the database and brings its schema up to date, saying on
// stderr what it applied.
func (a *app) openDB(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := store.Open(dsn, a.clock)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	for _, v := range applied {
		fmt.Fprintf(a.stderr, "Applied migration %s\n", v)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return db, nil
}

// isTerminal reports whether w or r is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// readPassword returns the password from the flag or environment, else
// asks for it: without echo on a terminal, else as one line of stdin.
func (a *app) readPassword(given, prompt string, confirm bool) (string, error) {
	if given != "" {
		return given, nil
	}
	if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(a.stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", err
		}
		if confirm {
			fmt.Fprint(a.stderr, "Type it again: ")
			again, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(a.stderr)
			if err != nil {
				return "", err
			}
			if string(again) != string(b) {
				return "", errors.New("the passwords do not match")
			}
		}
		return string(b), nil
	}
	if a.stdin != nil {
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if line = strings.TrimRight(line, "\r\n"); line != "" {
			return line, nil
		}
		if err != nil && err != io.EOF {
			return "", err
		}
	}
	return "", usagef("no password: give -password, set TETHER_PASSWORD, or type it when asked")
}
