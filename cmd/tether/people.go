package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/exchange"
	"tether/reference"
	"tether/store"
)

// defaultBatch is how many people go to the store at a time: on
// PostgreSQL in one transaction; on SQLite as one savepoint of the bulk
// import's longer transactions (store.BulkImport), which sorts each batch
// by reference, as the unique index on references takes them far faster
// in order. 10,000 people hold about 20 MB while they wait to be stored.
const defaultBatch = 10000

// importGCPercent is the garbage collector's target (GOGC) while an import
// runs, unless GOGC is set: reading and storing people makes much
// short-lived garbage beside a small live heap (two batches), so collecting
// half as often saves a good share of the CPU for a few tens of MB.
const importGCPercent = 200

func importPeopleCommand() *command {
	return &command{
		name:    "import people",
		args:    "FILE",
		summary: "import people and their contact details from a CSV or JSON Lines file",
		help: `
The format comes from the file's extension (.csv; .jsonl or .ndjson) or
-format; FILE "-" reads standard input. The file is read as a stream, so its
size does not matter.

Every row needs a reference (ref, like TH-04817263K), so that running the
same import again adds nothing: people whose reference is already stored are
skipped. Each row is checked as the web forms check it. A rejected row is
reported on stderr as "line N: field: reason" and the import goes on; with
-strict the file is checked first, and nothing is imported if any row is
rejected. The exit status is 0 unless the file or the database fails (or
-strict finds a bad row).

CSV columns, in any order; only ref and family_name are required:
  ref, family_name, given_names,
  other_names            names separated by "|", each "given family" or "family, given"
  date_of_birth          YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY
  nationality            two letters: ER, AF
  preferred_language, interpreter_language    language tags: ti, fa-AF
  interpreter            yes or no
  accessibility, rep_organisation, rep_name, email, mobile, landline,
  address_line1, address_line2, address_line3, town, postcode,
  country                two letters; GB when empty
  correspondence         postal, email or none
A representative named in a CSV file is recorded as not instructed: confirm
that they act for the person before serving notices through them.

JSON Lines: one {"person": {...}, "contact_points": [...]} a line, as
tether export people writes it, with every contact point and its history.

Examples:
  tether import people people.csv
  tether import people -strict export-2024.jsonl
  gunzip -c people.csv.gz | tether import people -format csv -`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			format := fs.FlagSet.String("format", "", "csv or jsonl (default: from the file's extension)")
			strict := fs.FlagSet.Bool("strict", false, "check the whole file first, and import nothing if any row is rejected")
			batch := fs.FlagSet.Int("batch", defaultBatch, "people stored at a time (on PostgreSQL, per transaction)")
			source := fs.FlagSet.String("source", tether.SourceImport, "the source recorded for contact points that name none: "+strings.Join(tether.Sources, ", "))
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("give one FILE to import (or - for standard input)")
				}
				if *batch < 1 {
					return usagef("-batch must be at least 1")
				}
				if !slices.Contains(tether.Sources, *source) {
					return usagef("-source must be one of %s", strings.Join(tether.Sources, ", "))
				}
				f, err := fileFormat(args[0], *format)
				if err != nil {
					return err
				}
				if args[0] != "-" {
					// Before the database is opened, or even created.
					if _, err := os.Stat(args[0]); err != nil {
						return err
					}
				}
				db, err := a.openDB(ctx, *dsn)
				if err != nil {
					return err
				}
				defer db.Close()
				ctx = tether.NewContextWithActor(ctx, tether.CLIActor("import"))
				_, err = a.importPeople(ctx, db, importOptions{path: args[0], format: f, strict: *strict, batch: *batch, source: *source})
				return err
			}
		},
	}
}

// fileFormat decides a file's format from -format or its extension.
func fileFormat(path, given string) (string, error) {
	if given != "" {
		f, err := exchange.ParseFormat(given)
		if err != nil {
			return "", usagef("%v", err)
		}
		return f, nil
	}
	if f := exchange.FormatOf(path); f != "" {
		return f, nil
	}
	if path == "-" || path == "" {
		return "", usagef("give -format csv or -format jsonl for standard input")
	}
	return "", usagef("cannot tell the format of %s from its name: give -format csv or -format jsonl", path)
}

type importOptions struct {
	path   string
	format string
	strict bool
	batch  int
	source string
	// tick, when set, is called with the counts at each progress update.
	tick func(importCounts)
}

// importCounts are what an import did.
type importCounts struct {
	Rows, Imported, Skipped, Rejected int64
	// Points are the contact points of the people imported.
	Points int64
}

// importPeople imports a file, reporting progress and rejected rows on
// stderr and a summary on stdout.
func (a *app) importPeople(ctx context.Context, imp tether.Importer, o importOptions) (importCounts, error) {
	if _, set := os.LookupEnv("GOGC"); !set {
		defer debug.SetGCPercent(debug.SetGCPercent(importGCPercent))
	}
	if o.strict {
		if o.path == "-" {
			return importCounts{}, usagef("-strict reads the file twice, so it needs a file, not standard input")
		}
		c, err := a.readFile(ctx, nil, o)
		if err != nil {
			return c, err
		}
		if c.Rejected > 0 {
			fmt.Fprintf(a.stderr, "%s of %s rows rejected: nothing imported, because of -strict.\n", commas(c.Rejected), commas(c.Rows))
			return c, &exitError{1}
		}
	}
	start := time.Now()
	var bulk *store.BulkImport
	if s, ok := imp.(bulkImporter); ok {
		var err error
		if bulk, err = s.BulkImport(ctx, expectedPeople(o)); err != nil {
			return importCounts{}, err
		}
		imp = bulk
	}
	c, err := a.readFile(ctx, imp, o)
	if bulk != nil {
		// Commits the last people read and builds the indexes the import
		// dropped, also after an error or an interrupt.
		if cerr := bulk.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil && c.Rows == 0 {
		return c, err // the file could not be opened, or its header is wrong
	}
	name := o.path
	if name == "-" {
		name = "standard input"
	}
	d := time.Since(start)
	fmt.Fprintf(a.stdout, "Read %s rows from %s in %s (%s rows/s):\n", commas(c.Rows), name, roundDuration(d), commas(rate(c.Rows, d)))
	fmt.Fprintf(a.stdout, "  %s imported, with %s contact points\n", commas(c.Imported), commas(c.Points))
	fmt.Fprintf(a.stdout, "  %s already stored (skipped)\n", commas(c.Skipped))
	rejected := ""
	if c.Rejected > 0 {
		rejected = " (reported above)"
	}
	fmt.Fprintf(a.stdout, "  %s rejected%s\n", commas(c.Rejected), rejected)
	if err != nil && ctx.Err() != nil {
		fmt.Fprintln(a.stderr, "Interrupted. Run the same import again to carry on: people already stored are skipped.")
	}
	return c, err
}

// bulkImporter is a store that imports many batches faster as one bulk
// import: *store.DB.
type bulkImporter interface {
	BulkImport(ctx context.Context, expected int) (*store.BulkImport, error)
}

// expectedPeople guesses how many people a file holds from its size, low
// rather than high: the store drops indexes for a large import, and builds
// them again at the end. 0 for standard input.
func expectedPeople(o importOptions) int {
	st, err := os.Stat(o.path)
	if o.path == "-" || err != nil || !st.Mode().IsRegular() {
		return 0
	}
	per := int64(200) // bytes of a CSV row: about 150 with two or three contact points
	if o.format == exchange.JSONL {
		per = 1000
	}
	return int(st.Size() / per)
}

// readFile reads the file once: into the store, or only to check it when
// imp is nil.
func (a *app) readFile(ctx context.Context, imp tether.Importer, o importOptions) (importCounts, error) {
	var in io.Reader = a.stdin
	var size int64
	if o.path != "-" {
		f, err := os.Open(o.path)
		if err != nil {
			return importCounts{}, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
		in = f
	}
	counter := &countingReader{r: in}
	r, err := exchange.NewReader(o.format, counter, exchange.Parser{Now: a.clock.Now().UTC().Truncate(time.Second), Source: o.source})
	if err != nil {
		return importCounts{}, usagef("%v", err)
	}
	prog := newProgress(a.stderr)
	defer prog.done()
	l := &loader{imp: imp, size: o.batch, reject: func(lines []string) {
		for _, s := range lines {
			prog.println(s)
		}
	}}
	seen := newRefSet()
	show := func(final bool) {
		c := l.counts
		if o.tick != nil {
			o.tick(c)
		}
		if final && !prog.tty {
			return // the summary follows
		}
		pct := ""
		if size > 0 {
			pct = fmt.Sprintf("%3d%%  ", counter.n*100/size)
		}
		verb := "imported"
		if imp == nil {
			verb = "checked"
		}
		prog.show(fmt.Sprintf("%s%s rows  %s %s  already stored %s  rejected %s  %s rows/s", pct, commas(c.Rows),
			verb, commas(c.Imported), commas(c.Skipped), commas(c.Rejected), commas(rate(c.Rows, prog.elapsed()))))
	}
	fail := func(err error) (importCounts, error) {
		l.wait() // the batch being stored, if any, still counts
		return l.counts, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		pi, err := r.Next()
		if err == io.EOF {
			break
		}
		var re *exchange.RowError
		switch {
		case errors.As(err, &re):
			l.counts.Rows++
			l.rejectRow(re)
		case err != nil:
			if fields := tether.ErrorFields(err); fields["header"] != "" {
				return fail(errors.New(strings.Join((&exchange.RowError{Line: 1, Err: err}).Problems(), "\n")))
			}
			return fail(err)
		default:
			l.counts.Rows++
			if seen.repeat(pi.Person.Ref) {
				l.rejectRow(&exchange.RowError{Line: r.Line(), Err: tether.Problems{
					"ref": "this reference is on an earlier line of the file: this row was not imported"}.Err()})
				break
			}
			if err := l.add(ctx, pi, r.Line()); err != nil {
				return fail(err)
			}
		}
		if prog.due() {
			show(false)
		}
	}
	if err := l.finish(ctx); err != nil {
		return fail(err)
	}
	show(true)
	return l.counts, nil
}

// loader batches people into the store. While the store writes one batch,
// the next is read and checked: the two take about as long as each other,
// so overlapping them nearly halves an import's time. At most two batches
// are in memory.
type loader struct {
	imp    tether.Importer // nil: only count
	size   int
	batch  []tether.PersonImport
	lines  []int
	counts importCounts
	reject func(problems []string)

	// pending delivers what the batch being stored did; nil when none is.
	pending chan stored
	// spare is the previous batch's memory, for the next.
	spare      []tether.PersonImport
	spareLines []int
}

// stored is what storing one batch did.
type stored struct {
	counts   importCounts
	rejected []*exchange.RowError
	err      error
	batch    []tether.PersonImport
	lines    []int
}

func (l *loader) rejectRow(re *exchange.RowError) {
	l.counts.Rejected++
	if l.reject != nil {
		l.reject(re.Problems())
	}
}

func (l *loader) add(ctx context.Context, pi tether.PersonImport, line int) error {
	if l.imp == nil {
		l.counts.Imported++
		return nil
	}
	l.batch = append(l.batch, pi)
	l.lines = append(l.lines, line)
	if len(l.batch) >= l.size {
		return l.flush(ctx)
	}
	return nil
}

// flush waits for the batch being stored, then starts storing this one.
func (l *loader) flush(ctx context.Context) error {
	if err := l.wait(); err != nil {
		return err
	}
	if len(l.batch) == 0 {
		return nil
	}
	batch, lines := l.batch, l.lines
	l.batch, l.lines = l.spare[:0], l.spareLines[:0]
	ch := make(chan stored, 1)
	go func() { ch <- storeBatch(ctx, l.imp, batch, lines) }()
	l.pending = ch
	return nil
}

// finish stores what is left and waits until it is stored.
func (l *loader) finish(ctx context.Context) error {
	if err := l.flush(ctx); err != nil {
		return err
	}
	return l.wait()
}

// wait waits for the batch being stored, if any, and takes in what it did.
func (l *loader) wait() error {
	if l.pending == nil {
		return nil
	}
	s := <-l.pending
	l.pending = nil
	l.counts.Imported += s.counts.Imported
	l.counts.Skipped += s.counts.Skipped
	l.counts.Points += s.counts.Points
	for _, re := range s.rejected {
		l.rejectRow(re)
	}
	clear(s.batch) // let the people go
	l.spare, l.spareLines = s.batch[:0], s.lines[:0]
	return s.err
}

// storeBatch stores a batch. A batch the store refuses as invalid (for a rule
// that only the store can check, such as an organisation that does not
// exist) is stored row by row, so that only the rows at fault are rejected.
func storeBatch(ctx context.Context, imp tether.Importer, batch []tether.PersonImport, lines []int) stored {
	s := stored{batch: batch, lines: lines}
	res, err := imp.ImportPeople(ctx, batch)
	switch {
	case tether.ErrorCode(err) == tether.EINVALID:
		for i := range batch {
			one := batch[i : i+1]
			res, err := imp.ImportPeople(ctx, one)
			if tether.ErrorCode(err) == tether.EINVALID {
				s.rejected = append(s.rejected, &exchange.RowError{Line: lines[i], Err: unbatch(err)})
				continue
			}
			if err != nil {
				s.err = err
				return s
			}
			s.count(res, one)
		}
	case err != nil:
		s.err = err
	default:
		s.count(res, batch)
	}
	return s
}

func (s *stored) count(res tether.ImportResult, rows []tether.PersonImport) {
	s.counts.Imported += int64(res.Created)
	s.counts.Skipped += int64(res.Skipped)
	for _, r := range rows {
		if r.Person.ID != 0 {
			s.counts.Points += int64(len(r.ContactPoints))
		}
	}
}

// unbatch drops the "batch[0]." prefix of the store's field names.
func unbatch(err error) error {
	fields := tether.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	q := tether.Problems{}
	for k, v := range fields {
		if i := strings.Index(k, "]."); strings.HasPrefix(k, "batch[") && i > 0 {
			k = k[i+2:]
		}
		q.Add(k, v)
	}
	return q.Err()
}

// refSet remembers which references a file has had, in a fixed 12.5 MB
// whatever the file's size: one bit for each of the 10^8 references.
type refSet struct{ bits []uint64 }

func newRefSet() *refSet { return &refSet{} }

// repeat records ref and reports whether it was there already.
func (s *refSet) repeat(ref string) bool {
	if len(ref) != len("TH-00000000A") {
		return false
	}
	n, err := strconv.Atoi(ref[3:11])
	if err != nil || n < 0 || n > reference.Max {
		return false
	}
	if s.bits == nil {
		s.bits = make([]uint64, reference.Max/64+1)
	}
	w, b := n/64, uint(n%64)
	if s.bits[w]&(1<<b) != 0 {
		return true
	}
	s.bits[w] |= 1 << b
	return false
}

// countingReader counts the bytes read, for the percentage done.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func exportPeopleCommand() *command {
	return &command{
		name:    "export people",
		args:    "[FILE]",
		summary: "export people and their contact details as CSV or JSON Lines",
		help: `
Writes in exactly the format that tether import people reads. The format
comes from FILE's extension or -format; without FILE it writes CSV (or
-format) to standard output. A file is written beside FILE and renamed into
place when complete, readable only by its owner: it holds personal data.

CSV holds each person's current own details, one of each kind; JSON Lines
holds every contact point with its history, parties and verification.

Examples:
  tether export people people.csv
  tether export people backup.jsonl
  tether export people -format jsonl | gzip > people.jsonl.gz`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			format := fs.FlagSet.String("format", "", "csv or jsonl (default: from the file's extension, else csv)")
			return func(ctx context.Context, args []string) error {
				if len(args) > 1 {
					return usagef("give at most one FILE")
				}
				path := "-"
				if len(args) == 1 {
					path = args[0]
				}
				f := exchange.CSV
				if path != "-" || *format != "" {
					var err error
					if f, err = fileFormat(path, *format); err != nil {
						return err
					}
				}
				db, err := a.openDB(ctx, *dsn)
				if err != nil {
					return err
				}
				defer db.Close()
				ctx = tether.NewContextWithActor(ctx, tether.CLIActor("export"))
				return a.exportPeople(ctx, db, path, f)
			}
		},
	}
}

func (a *app) exportPeople(ctx context.Context, db *store.DB, path, format string) (err error) {
	out, summary := a.stdout, a.stdout
	var tmp *os.File
	if path == "-" {
		summary = a.stderr
	} else {
		tmp, err = os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
		if err != nil {
			return err
		}
		defer func() {
			if tmp != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
		if err := tmp.Chmod(0o600); err != nil {
			return err
		}
		out = tmp
	}
	w, err := exchange.NewWriter(format, out, a.clock.Now())
	if err != nil {
		return usagef("%v", err)
	}
	prog := newProgress(a.stderr)
	defer prog.done()
	var n, points int64
	err = eachPerson(ctx, db, func(pi tether.PersonImport) error {
		exchange.SortContactPoints(pi.ContactPoints)
		if err := w.Write(pi); err != nil {
			return err
		}
		n++
		points += int64(len(pi.ContactPoints))
		if prog.due() {
			prog.show(fmt.Sprintf("exported %s people  %s people/s", commas(n), commas(rate(n, prog.elapsed()))))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	prog.done()
	if tmp != nil {
		if err := tmp.Sync(); err != nil {
			return err
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return err
		}
		tmp = nil
	}
	name := path
	if path == "-" {
		name = "standard output"
	}
	d := prog.elapsed()
	fmt.Fprintf(summary, "Exported %s people with %s contact points to %s as %s in %s (%s people/s).\n",
		commas(n), commas(points), name, strings.ToUpper(format), roundDuration(d), commas(rate(n, d)))
	return nil
}

// peopleStreamer is a store that can stream every person with their contact
// points in reference order from one snapshot. Export uses it when the
// store has it, and pages through FindPeople otherwise.
type peopleStreamer interface {
	ExportPeople(ctx context.Context, fn func(tether.PersonImport) error) error
}

// exportPage is how many people the paging export asks for at a time: the
// store's largest page.
const exportPage = 500

// eachPerson calls fn for every person visible to the actor, in reference
// order, with their contact points.
func eachPerson(ctx context.Context, db *store.DB, fn func(tether.PersonImport) error) error {
	if s, ok := any(db).(peopleStreamer); ok {
		return s.ExportPeople(ctx, fn)
	}
	for offset := 0; ; offset += exportPage {
		people, total, err := db.FindPeople(ctx, tether.PersonFilter{Offset: offset, Limit: exportPage})
		if err != nil {
			return err
		}
		for _, p := range people {
			cps, err := db.ContactPoints(ctx, p.ID)
			if err != nil {
				return err
			}
			if err := fn(tether.PersonImport{Person: p, ContactPoints: cps}); err != nil {
				return err
			}
		}
		if len(people) < exportPage || offset+len(people) >= total {
			return nil
		}
	}
}
