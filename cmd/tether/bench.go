package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"tether"
	"tether/demo"
	"tether/exchange"
)

func benchImportCommand() *command {
	return &command{
		name:    "bench import",
		summary: "time an import of N synthetic people into a fresh database, with its memory use",
		help: `
Writes N demo people to a file in a temporary folder, then imports it with
exactly what tether import people does, into a fresh SQLite database there
(or the database given by -db, which should be empty). It reports people per
second and the process's resident memory as the import goes (VmRSS) and at
its peak (VmHWM): the import streams, so memory stays flat however large the
file. Needs free disk space of about 1 GB per million people.

Examples:
  tether bench import -people 100000
  tether bench import -people 1000000 -format jsonl -keep`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			n := fs.FlagSet.Int("people", 1_000_000, "how many people to generate and import")
			seed := fs.FlagSet.Uint64("seed", 1, "the demo seed")
			format := fs.FlagSet.String("format", exchange.CSV, "the file format: csv or jsonl")
			dir := fs.FlagSet.String("dir", "", "where to make the temporary folder (default: the system's)")
			dsn := fs.FlagSet.String("db", "", "an empty database to import into (default: a fresh SQLite file in the temporary folder)")
			keep := fs.FlagSet.Bool("keep", false, "keep the file and database afterwards")
			batch := fs.FlagSet.Int("batch", defaultBatch, "people per database transaction")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("bench import", args); err != nil {
					return err
				}
				f, err := exchange.ParseFormat(*format)
				if err != nil {
					return usagef("%v", err)
				}
				if *n < 1 || *batch < 1 {
					return usagef("-people and -batch must be at least 1")
				}
				return a.benchImport(ctx, benchOptions{people: *n, seed: *seed, format: f, dir: *dir, dsn: *dsn, keep: *keep, batch: *batch})
			}
		},
	}
}

type benchOptions struct {
	people      int
	seed        uint64
	format, dir string
	dsn         string
	keep        bool
	batch       int
}

func (a *app) benchImport(ctx context.Context, o benchOptions) error {
	tmp, err := os.MkdirTemp(o.dir, "tether-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintf(a.stderr, "Keeping the file and database in %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	path := filepath.Join(tmp, "people."+o.format)
	if err := a.benchGenerate(ctx, path, o); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}

	dsn := o.dsn
	if dsn == "" {
		dsn = filepath.Join(tmp, "bench.db")
	}
	db, err := a.openDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = tether.NewContextWithActor(ctx, tether.CLIActor("bench"))

	// Start the import from as little memory as the process can hold.
	debug.FreeOSMemory()
	base, hwmBefore := rss()
	var samples []string
	next := 0
	marks := []int64{10, 25, 50, 75, 90}
	tick := func(c importCounts) {
		done := c.Rows * 100 / int64(o.people)
		for next < len(marks) && done >= marks[next] {
			cur, _ := rss()
			samples = append(samples, fmt.Sprintf("%d%% %s", marks[next], megabytes(cur)))
			next++
		}
	}
	prog := newProgress(a.stderr)
	c, err := a.importPeople(ctx, db, importOptions{path: path, format: o.format, batch: o.batch, source: tether.SourceImport, tick: tick})
	if err != nil {
		return err
	}
	d := prog.elapsed()
	end, peak := rss()
	var dbSize int64
	if o.dsn == "" {
		for _, suffix := range []string{"", "-wal"} {
			if st, err := os.Stat(dsn + suffix); err == nil {
				dbSize += st.Size()
			}
		}
	}

	fmt.Fprintf(a.stdout, "\nBenchmark: import of %s synthetic people from %s (%s) into %s\n",
		commas(int64(o.people)), strings.ToUpper(o.format), megabytes(st.Size()), db.Dialect)
	perPerson := 0.0
	if c.Imported > 0 {
		perPerson = float64(c.Points) / float64(c.Imported)
	}
	fmt.Fprintf(a.stdout, "  imported %s people with %s contact points (%.2f each) in %s: %s people/s\n",
		commas(c.Imported), commas(c.Points), perPerson, roundDuration(d), commas(rate(c.Imported, d)))
	fmt.Fprintf(a.stdout, "  resident memory: %s before the import; %s; %s at the end\n",
		megabytes(base), strings.Join(samples, ", "), megabytes(end))
	fmt.Fprintf(a.stdout, "  peak resident memory (VmHWM): %s over the whole run (%s before the import)\n",
		megabytes(peak), megabytes(hwmBefore))
	if dbSize > 0 {
		fmt.Fprintf(a.stdout, "  database: %s\n", megabytes(dbSize))
	}
	if c.Rejected > 0 {
		return fmt.Errorf("%s demo rows were rejected: a bug in package demo or exchange", commas(c.Rejected))
	}
	return nil
}

// benchGenerate writes the demo people to path.
func (a *app) benchGenerate(ctx context.Context, path string, o benchOptions) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	now := a.clock.Now()
	w, err := exchange.NewWriter(o.format, f, now)
	if err != nil {
		return err
	}
	prog := newProgress(a.stderr)
	var n int64
	for pi := range demo.Generate(o.seed, o.people, now) {
		if err := ctx.Err(); err != nil {
			prog.done()
			return err
		}
		if err := w.Write(pi); err != nil {
			prog.done()
			return err
		}
		n++
		if prog.due() {
			prog.show(fmt.Sprintf("generating %3d%%  %s people  %s people/s", n*100/int64(o.people), commas(n), commas(rate(n, prog.elapsed()))))
		}
	}
	prog.done()
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "Generated %s people in %s\n", commas(n), roundDuration(prog.elapsed()))
	return nil
}
