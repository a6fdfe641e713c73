package store

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tether"
	"tether/namematch"
	"tether/reference"
)

// benchSize reads a population size from the environment.
func benchSize(b *testing.B, env string, def int) int {
	b.Helper()
	if s := os.Getenv(env); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("%s=%q: want a positive number", env, s)
		}
		return n
	}
	return def
}

// benchBatch is how many people one ImportPeople call takes.
func benchBatch(b *testing.B) int { return benchSize(b, "TETHER_BENCH_BATCH", 5000) }

// benchEngine is the engine benchmarks run on: SQLite unless
// TETHER_BENCH_ENGINE=postgres.
func benchEngine() string {
	if os.Getenv("TETHER_BENCH_ENGINE") == Postgres {
		return Postgres
	}
	return SQLite
}

// benchPopulation makes the people the import benchmarks store. Their
// references are scattered over the whole range, as in a real file (and
// the demo's), unless TETHER_BENCH_REFS=sequential.
func benchPopulation(b *testing.B, n int) []tether.PersonImport {
	b.Helper()
	rows := newPopulation(1, 1, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)).batch(n)
	if os.Getenv("TETHER_BENCH_REFS") != "sequential" {
		r := rand.New(rand.NewPCG(5, 6))
		taken := make(map[uint32]bool, n)
		for i := range rows {
			num := r.Uint32N(reference.Max + 1)
			for taken[num] {
				num = r.Uint32N(reference.Max + 1)
			}
			taken[num] = true
			rows[i].Person.Ref = refFor(b, num)
		}
	}
	return rows
}

// BenchmarkImport imports TETHER_BENCH_PEOPLE people (default 50,000) with
// two to three contact points each into a fresh database, as tether import
// people does (one BulkImport, batches of TETHER_BENCH_BATCH), and reports
// people per second.
func BenchmarkImport(b *testing.B) {
	if testing.Short() {
		b.Skip("-short")
	}
	n := benchSize(b, "TETHER_BENCH_PEOPLE", 50000)
	rows := benchPopulation(b, n)
	var bulk *BulkImport
	benchImportRun(b, rows, func(db *DB) error {
		var err error
		bulk, err = db.BulkImport(cw(), n)
		return err
	}, func(db *DB, part []tether.PersonImport) error {
		res, err := bulk.ImportPeople(cw(), part)
		if err == nil && res.Created != len(part) {
			b.Fatalf("created %d of %d", res.Created, len(part))
		}
		return err
	}, func(db *DB) error {
		err := bulk.Close()
		if st := bulk.Stats(); len(st.Held) > 0 {
			b.Logf("held %v, built again in %v; %d commits", st.Held, st.Rebuild.Round(time.Millisecond), st.Commits)
		}
		return err
	})
}

// BenchmarkImportBatches imports the people of BenchmarkImport with one
// DB.ImportPeople (one transaction) per batch.
func BenchmarkImportBatches(b *testing.B) {
	if testing.Short() {
		b.Skip("-short")
	}
	n := benchSize(b, "TETHER_BENCH_PEOPLE", 50000)
	rows := benchPopulation(b, n)
	benchImport(b, rows, func(db *DB, part []tether.PersonImport) error {
		res, err := db.ImportPeople(cw(), part)
		if err == nil && res.Created != len(part) {
			b.Fatalf("created %d of %d", res.Created, len(part))
		}
		return err
	})
}

// BenchmarkImportRaw inserts the same rows with plain batched SQL: no
// reference check, no search keys, no working-channel assessment, no
// audit. It is the floor that BenchmarkImport is measured against.
func BenchmarkImportRaw(b *testing.B) {
	if testing.Short() {
		b.Skip("-short")
	}
	n := benchSize(b, "TETHER_BENCH_PEOPLE", 50000)
	rows := benchPopulation(b, n)
	benchImport(b, rows, func(db *DB, part []tether.PersonImport) error {
		tx, err := db.BeginTx(cw())
		if err != nil {
			return err
		}
		defer tx.rollback()
		now := tx.Now()
		for _, r := range part {
			r.Person.CreatedAt, r.Person.UpdatedAt, r.Person.Version = now, now, 1
		}
		created, err := tx.insertPeople(slicePtrs(part))
		if err != nil {
			return err
		}
		var points []*tether.ContactPoint
		for _, r := range created {
			for _, c := range r.ContactPoints {
				c.PersonID, c.CreatedAt, c.CreatedBy = r.Person.ID, now, "bench"
				points = append(points, c)
			}
		}
		if err := tx.insertContactPoints(points); err != nil {
			return err
		}
		return tx.Commit()
	})
}

func slicePtrs(rows []tether.PersonImport) []*tether.PersonImport {
	out := make([]*tether.PersonImport, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out
}

// benchImport times importBatch over rows in a fresh database per run. It
// reports people per second of wall time, and per second of the process's
// CPU time, which a machine shared with other work disturbs less.
func benchImport(b *testing.B, rows []tether.PersonImport, importBatch func(*DB, []tether.PersonImport) error) {
	benchImportRun(b, rows, nil, importBatch, nil)
}

// benchImportRun is benchImport with work timed before the first batch
// and after the last, when not nil.
func benchImportRun(b *testing.B, rows []tether.PersonImport, before func(*DB) error,
	importBatch func(*DB, []tether.PersonImport) error, after func(*DB) error) {
	batch := benchBatch(b)
	var wall, cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := MustOpenTestDB(b, benchEngine(), nil)
		runtime.GC()
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		if before != nil {
			if err := before(db); err != nil {
				b.Fatal(err)
			}
		}
		for j := 0; j < len(rows); j += batch {
			if err := importBatch(db, rows[j:min(j+batch, len(rows))]); err != nil {
				b.Fatal(err)
			}
		}
		if after != nil {
			if err := after(db); err != nil {
				b.Fatal(err)
			}
		}
		wall += time.Since(start)
		cpu += cpuTime() - cpu0
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(rows)*b.N)/wall.Seconds(), "people/s")
	b.ReportMetric(float64(len(rows)*b.N)/cpu.Seconds(), "people/cpu-s")
	b.ReportMetric(0, "ns/op") // per run of the whole population: not comparable
}

// cpuTime is the user and system time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSearchName builds a population of TETHER_BENCH_PEOPLE people
// (default 100,000) with the importer, then times name searches of the
// kinds caseworkers make: a stored name as written, with a different
// transliteration, with a typo, sometimes with a date of birth. It reports
// the 50th and 95th percentile latency of SearchPeople (audit included),
// and the recall of namematch.Variants: the share of variant spellings
// whose search ("Variant Surname") finds the person stored under the
// canonical spelling in its first ten hits.
func BenchmarkSearchName(b *testing.B) {
	if testing.Short() {
		b.Skip("-short")
	}
	n := benchSize(b, "TETHER_BENCH_PEOPLE", 100000)
	db := MustOpenTestDB(b, benchEngine(), nil)
	g := newPopulation(2, 1, db.Clock.Now())
	// Queries are made from a sample of the people stored.
	r := rand.New(rand.NewPCG(3, 4))
	var samples []*tether.Person
	batch := benchBatch(b)
	start := time.Now()
	for done := 0; done < n; done += batch {
		rows := g.batch(min(batch, n-done))
		for _, row := range rows {
			if r.IntN(max(n/2000, 1)) == 0 {
				samples = append(samples, row.Person)
			}
		}
		if _, err := db.ImportPeople(cw(), rows); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("built %d people in %v", n, time.Since(start).Round(time.Millisecond))

	// The labelled variants: each canonical spelling stored once, under a
	// surname of its own.
	type labelled struct {
		pair namematch.VariantPair
		id   int64
		sur  string
	}
	var set []labelled
	var rowsV []tether.PersonImport
	for i, v := range namematch.Variants {
		sur := inventedSurname(r)
		p := &tether.Person{GivenNames: v.Canonical, FamilyName: sur}
		p.Ref = refFor(b, uint32(90000000+i))
		rowsV = append(rowsV, tether.PersonImport{Person: p})
		set = append(set, labelled{pair: v, sur: sur})
	}
	if _, err := db.ImportPeople(cw(), rowsV); err != nil {
		b.Fatal(err)
	}
	for i := range set {
		set[i].id = rowsV[i].Person.ID
	}

	variantOf := map[string][]string{}
	for _, v := range namematch.Variants {
		if v.Kind == namematch.KindTransliteration {
			variantOf[v.Canonical] = append(variantOf[v.Canonical], v.Variant)
		}
	}
	queries := make([]tether.SearchQuery, 0, 1000)
	targets := make([]*tether.Person, 0, cap(queries))
	for len(queries) < cap(queries) {
		p := samples[r.IntN(len(samples))]
		targets = append(targets, p)
		words := strings.Fields(p.FullName())
		switch k := r.IntN(3); {
		case k == 1: // another transliteration of one word
			for i, w := range words {
				if vs := variantOf[w]; len(vs) > 0 {
					words[i] = vs[r.IntN(len(vs))]
					break
				}
			}
		case k == 2: // two letters swapped in one word
			i := r.IntN(len(words))
			if w := []byte(words[i]); len(w) > 3 {
				j := 1 + r.IntN(len(w)-2)
				w[j], w[j+1] = w[j+1], w[j]
				words[i] = string(w)
			}
		}
		q := tether.SearchQuery{Name: strings.Join(words, " ")}
		if r.IntN(3) == 0 {
			q.DateOfBirth = p.DateOfBirth
		}
		queries = append(queries, q)
	}

	ctx := cw()
	// Warm the cache as a running server's would be.
	for _, q := range queries[:100] {
		if _, err := db.SearchPeople(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	var times []time.Duration
	// found counts the searches with a full date of birth that found the
	// person they were made from in the first ten hits.
	var withDOB, found10 int
	// b.Loop runs this function once, so the population is built once.
	for i := 0; b.Loop(); i++ {
		q := queries[i%len(queries)]
		t0 := time.Now()
		hits, err := db.SearchPeople(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
		if i < len(queries) && q.DateOfBirth.Day != 0 {
			withDOB++
			if containsPerson(hits[:min(10, len(hits))], targets[i].ID) {
				found10++
			}
		}
	}
	if withDOB > 0 {
		b.ReportMetric(float64(found10)/float64(withDOB), "dob-found@10")
	}
	slices.Sort(times)
	pct := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(p*float64(len(times))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")

	found := 0
	byKind := map[string][2]int{}
	var missed []string
	for _, l := range set {
		hits, err := db.SearchPeople(ctx, tether.SearchQuery{Name: l.pair.Variant + " " + l.sur, Limit: 10})
		if err != nil {
			b.Fatal(err)
		}
		k := byKind[l.pair.Kind]
		k[1]++
		if containsPerson(hits, l.id) {
			found++
			k[0]++
		} else {
			missed = append(missed, l.pair.Canonical+"/"+l.pair.Variant)
		}
		byKind[l.pair.Kind] = k
	}
	b.ReportMetric(float64(found)/float64(len(set)), "recall@10")
	for _, kind := range slices.Sorted(maps.Keys(byKind)) {
		b.Logf("recall %-16s %3d/%3d", kind, byKind[kind][0], byKind[kind][1])
	}
	b.Logf("missed: %s", strings.Join(missed, " "))
}

// inventedSurname makes a pronounceable surname that no real list holds,
// so that only the labelled person has it.
func inventedSurname(r *rand.Rand) string {
	const cons, vows = "bdfgklmnprstvz", "aeiou"
	var b strings.Builder
	b.WriteByte("BDFGKLMNPRSTVZ"[r.IntN(len(cons))])
	for i := 0; i < 4; i++ {
		b.WriteByte(vows[r.IntN(len(vows))])
		b.WriteByte(cons[r.IntN(len(cons))])
	}
	return b.String()
}

func refFor(b *testing.B, n uint32) string {
	ref, err := reference.New(n)
	if err != nil {
		b.Fatal(err)
	}
	return ref
}

// insertContactPoints writes points with multi-row INSERTs, as the raw
// benchmark's plain batched SQL.
func (tx *Tx) insertContactPoints(points []*tether.ContactPoint) error {
	args := make([]any, 0, len(points)*contactFieldCount)
	ta := &timeArgs{db: tx.db}
	for _, c := range points {
		var err error
		if args, err = appendContactValues(args, c, ta); err != nil {
			return err
		}
	}
	if err := tx.bulkInsert(`INSERT INTO contact_points (`+contactFields+`) VALUES `, ``, contactFieldCount, args, nil); err != nil {
		return fmt.Errorf("contact points: %w", err)
	}
	return nil
}
