package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"tether"
)

// What a bulk import keeps from batch to batch is bounded, so that its
// memory stays flat whatever the file's size (tether bench import shows
// it): these tests check each bound without importing millions.

// The search keys of the words of names are remembered for at most
// keyCacheMax words, and still come out right once it is full.
func TestKeyCacheIsBounded(t *testing.T) {
	t.Parallel()
	var kc keyCache
	var out []nameKey
	for i := range 2*keyCacheMax + 100 {
		p := &tether.Person{GivenNames: fmt.Sprintf("Amanuel%d Ali", i), FamilyName: "Nguyen"}
		out = kc.appendNameKeys(out[:0], int64(i), p)
		if len(kc.m) > keyCacheMax {
			t.Fatalf("after %d people the cache holds %d words", i+1, len(kc.m))
		}
		if i%1000 == 0 {
			var got []string
			for _, k := range out {
				got = append(got, k.key)
			}
			want := nameKeys(p)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("keys %v, want %v", got, want)
			}
		}
	}
}

// How each Needs is stored is remembered for at most keyCacheMax of them.
func TestNeedsCacheIsBounded(t *testing.T) {
	t.Parallel()
	nc := needsCache{}
	for i := range keyCacheMax + 100 {
		n := tether.Needs{Accessibility: fmt.Sprintf("large print %d", i)}
		v, err := nc.value(n)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf(`"large print %d"`, i); !strings.Contains(v.(string), want) {
			t.Fatalf("value %v", v)
		}
	}
	if len(nc) > keyCacheMax {
		t.Fatalf("the cache holds %d", len(nc))
	}
}

// stmtRecorder is the driver's connection, recording the texts of the
// statements run through its statement cache (QueryContext), and how many
// statements prepared outside it are still open.
type stmtRecorder struct {
	rawDriverConn
	mu     sync.Mutex
	cached map[string]int
	open   int
}

func (r *stmtRecorder) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	r.mu.Lock()
	r.cached[q]++
	r.mu.Unlock()
	return r.rawDriverConn.QueryContext(ctx, q, args)
}

func (r *stmtRecorder) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	s, err := r.rawDriverConn.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	qs, ok := s.(driver.StmtQueryContext)
	if !ok {
		return s, nil
	}
	r.mu.Lock()
	r.open++
	r.mu.Unlock()
	return &recordedStmt{Stmt: s, StmtQueryContext: qs, r: r}, nil
}

type recordedStmt struct {
	driver.Stmt
	driver.StmtQueryContext
	r      *stmtRecorder
	closed bool
}

func (s *recordedStmt) Close() error {
	if !s.closed {
		s.closed = true
		s.r.mu.Lock()
		s.r.open--
		s.r.mu.Unlock()
	}
	return s.Stmt.Close()
}

// The driver keeps every statement run through its cache, up to 256 for
// each connection, for as long as the connection lives. A bulk import
// sends it only statements of fixed text: those whose text varies with
// the data (the last, shorter INSERT of each batch and table, an IN list
// of organisations) are finalized once run. Kept, they made the import's
// memory grow with the file, by some 50 MB a million people. Here batches
// of many sizes, with repeats and organisations, reach the cache with a
// handful of texts, and leave no statement open.
func TestBulkImportKeepsNoStatementOfVaryingText(t *testing.T) {
	t.Parallel()
	db := MustOpenTestDB(t, SQLite, nil)
	org := &tether.Organisation{Name: "Anytown Law Centre", Kind: tether.OrgAdvice}
	if err := db.CreateOrganisation(adminCtx(), org); err != nil {
		t.Fatal(err)
	}
	g := newPopulation(36, 850000, db.Clock.Now())
	b, err := db.BulkImport(cw(), bulkHoldMin)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rec := &stmtRecorder{cached: map[string]int{}}
	b.wrap = func(c rawDriverConn) rawDriverConn {
		rec.rawDriverConn = c
		return rec
	}
	b.txMax = 1500 // a few commits
	want := 0
	for i := range 24 {
		batch := g.batch(37 + i*71) // every batch leaves other rows over
		batch[0].Person.Representative = &tether.Representative{Organisation: org.Name, OrganisationID: &org.ID}
		if i%5 == 4 {
			batch[1].Person.Ref = batch[2].Person.Ref // a repeat: the ids stored are looked up
		}
		res, err := b.ImportPeople(cw(), batch)
		if err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		want += res.Created
	}
	missing := int64(4242)
	bad := g.batch(10)
	bad[3].Person.Representative = &tether.Representative{Organisation: "Nowhere", OrganisationID: &missing}
	if _, err := b.ImportPeople(cw(), bad); tether.ErrorCode(err) != tether.EINVALID {
		t.Fatalf("a missing organisation: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	if rows := countRows(t, db); rows["people"] != want || rows["audit_log"] != want+1 {
		t.Fatalf("rows %v; want %d people", rows, want)
	}
	// The held indexes were built with a small cache (small sorts), and
	// the connection has its own back.
	if present, _ := indexNames(t, db, bulkHeldIndexes...); len(present) != len(bulkHeldIndexes) {
		t.Fatalf("indexes %v", present)
	}
	var cache int
	if err := db.write.QueryRow(`PRAGMA cache_size`).Scan(&cache); err != nil || cache != -8192 {
		t.Fatalf("cache_size %d, %v; want the writer's -8192", cache, err)
	}
	var temp int
	if err := db.write.QueryRow(`PRAGMA temp_store`).Scan(&temp); err != nil || temp != 2 {
		t.Fatalf("temp_store %d, %v; want the writer's 2 (memory)", temp, err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	// BEGIN, COMMIT, SAVEPOINT, RELEASE, ROLLBACK TO, the next id, the
	// audit head read and written, the ids stored.
	if len(rec.cached) > 10 {
		t.Errorf("%d statement texts went through the driver's cache; want at most 10", len(rec.cached))
	}
	for q := range rec.cached {
		if strings.HasPrefix(q, "INSERT") || strings.Contains(q, " IN (") {
			t.Errorf("a statement of varying text went through the driver's cache: %.60s...", q)
		}
	}
	if rec.open != 0 {
		t.Errorf("%d statements left open", rec.open)
	}
}
