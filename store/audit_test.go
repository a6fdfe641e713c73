package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"tether"
)

// writeAudited runs one transaction that inserts an organisation and queues
// n audit entries about it.
func writeAudited(ctx context.Context, db *DB, name string, n int) error {
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback()
	id, err := tx.InsertID(`INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)`, name, string(tether.OrgAdvice), db.ts(tx.Now()))
	if err != nil {
		return err
	}
	for i := range n {
		tx.Audit("test.write", "organisation", id, fmt.Sprintf("step=%d", i))
	}
	return tx.Commit()
}

// seedAudit writes n audit entries, in transactions of various sizes
// (one above the 100 rows a single INSERT takes).
func seedAudit(t *testing.T, db *DB, n int) {
	t.Helper()
	ctx := adminCtx()
	for written, size := 0, 1; written < n; size = size%7 + 1 {
		if written == 20 {
			size = 130
		}
		size = min(size, n-written)
		if err := writeAudited(ctx, db, fmt.Sprintf("Org %d", written), size); err != nil {
			t.Fatal(err)
		}
		written += size
	}
}

// tamper runs a statement straight on the database, as an intruder would.
func tamper(t *testing.T, db *DB, q string, args ...any) {
	t.Helper()
	res, err := db.write.Exec(db.rebind(q), args...)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("tamper changed %d rows", n)
	}
}

func TestAuditVerifyOK(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := adminCtx()
		r, err := db.VerifyAudit(ctx)
		if err != nil || !r.OK || r.Entries != 0 {
			t.Fatalf("empty log: %+v, %v", r, err)
		}
		seedAudit(t, db, 500)
		var calls []int64
		r, err = db.VerifyAuditProgress(ctx, func(n int64) { calls = append(calls, n) })
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK || r.Entries != 500 || r.Broken != "" || r.BrokenSeq != 0 {
			t.Fatalf("report = %+v", r)
		}
		if len(calls) == 0 || calls[len(calls)-1] != 500 {
			t.Fatalf("progress calls = %v", calls)
		}

		// An inspector may verify; others may not.
		if _, err := db.VerifyAudit(AsActor(tether.Actor{UserID: 1, Role: tether.RoleInspector})); err != nil {
			t.Fatal(err)
		}
		_, err = db.VerifyAudit(AsActor(Caseworker))
		wantCode(t, err, tether.EFORBIDDEN)
		_, err = db.VerifyAudit(context.Background())
		wantCode(t, err, tether.EUNAUTHORIZED)
	})
}

func TestAuditVerifyFindsTampering(t *testing.T) {
	const n = 60
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, db *DB)
		seq    int64
		broken string
	}{
		{"detail changed", func(t *testing.T, db *DB) {
			tamper(t, db, `UPDATE audit_log SET detail = 'step=99' WHERE seq = ?`, 17)
		}, 17, "changed after it was written"},
		{"actor changed", func(t *testing.T, db *DB) {
			tamper(t, db, `UPDATE audit_log SET actor = 'user:1' WHERE seq = ?`, 1)
		}, 1, "changed after it was written"},
		{"middle row deleted", func(t *testing.T, db *DB) {
			tamper(t, db, `DELETE FROM audit_log WHERE seq = ?`, 30)
		}, 31, "entry 30 is missing"},
		{"first row deleted", func(t *testing.T, db *DB) {
			tamper(t, db, `DELETE FROM audit_log WHERE seq = ?`, 1)
		}, 2, "entry 1 is missing"},
		{"middle row rewritten with a fresh hash", func(t *testing.T, db *DB) {
			rehash(t, db, 25, "step=forged")
		}, 26, "does not follow"},
		{"last row changed", func(t *testing.T, db *DB) {
			tamper(t, db, `UPDATE audit_log SET detail = 'step=99' WHERE seq = ?`, n)
		}, n, "changed after it was written"},
		{"last row rewritten with a fresh hash", func(t *testing.T, db *DB) {
			rehash(t, db, n, "step=forged")
		}, n, "does not match the head"},
		{"last row deleted", func(t *testing.T, db *DB) {
			tamper(t, db, `DELETE FROM audit_log WHERE seq = ?`, n)
		}, n, "missing from the end"},
		{"head changed", func(t *testing.T, db *DB) {
			tamper(t, db, `UPDATE audit_head SET hash = ? WHERE id = 1`, strings.Repeat("a", 64))
		}, n, "does not match the head"},
		{"head moved back", func(t *testing.T, db *DB) {
			tamper(t, db, `UPDATE audit_head SET seq = ? WHERE id = 1`, n-1)
		}, n, "not in the head"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ForEachEngine(t, func(t *testing.T, db *DB) {
				seedAudit(t, db, n)
				tc.tamper(t, db)
				r, err := db.VerifyAudit(adminCtx())
				if err != nil {
					t.Fatal(err)
				}
				if r.OK || r.BrokenSeq != tc.seq || !strings.Contains(r.Broken, tc.broken) {
					t.Fatalf("report = %+v, want broken at %d (%q)", r, tc.seq, tc.broken)
				}
			})
		})
	}
}

// rehash rewrites an entry's detail and seals it again, as an intruder who
// knows the hash function would: the entry itself checks out.
func rehash(t *testing.T, db *DB, seq int64, detail string) {
	t.Helper()
	var e tether.AuditEntry
	if err := scanAuditEntry(db.write.QueryRow(db.rebind(`SELECT `+auditCols+` FROM audit_log WHERE seq = ?`), seq), &e); err != nil {
		t.Fatal(err)
	}
	e.Detail = detail
	e.Seal(e.PrevHash)
	tamper(t, db, `UPDATE audit_log SET detail = ?, hash = ? WHERE seq = ?`, e.Detail, e.Hash, seq)
}

func TestAuditFind(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := adminCtx()
		seedAudit(t, db, 1200)
		a := seedOrganisation(t, db, "Filter Target")

		all, err := db.FindAuditEntries(ctx, tether.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 100 || all[0].Seq != 1201 || all[99].Seq != 1102 {
			t.Fatalf("default page: %d entries from %d", len(all), all[0].Seq)
		}
		big, err := db.FindAuditEntries(ctx, tether.AuditFilter{Limit: 5000})
		if err != nil || len(big) != 1000 {
			t.Fatalf("limit 5000 gave %d, %v", len(big), err)
		}
		page, err := db.FindAuditEntries(ctx, tether.AuditFilter{Offset: 1195, Limit: 10})
		if err != nil || len(page) != 6 || page[0].Seq != 6 || page[5].Seq != 1 {
			t.Fatalf("last page: %d entries, %v", len(page), err)
		}
		got, err := db.FindAuditEntries(ctx, tether.AuditFilter{Entity: "organisation", EntityID: a.ID})
		if err != nil || len(got) != 1 || got[0].Action != "organisation.create" || got[0].Actor != "cli:test" {
			t.Fatalf("by entity: %+v, %v", got, err)
		}
		got, err = db.FindAuditEntries(ctx, tether.AuditFilter{Actor: "nobody"})
		if err != nil || len(got) != 0 {
			t.Fatalf("by actor: %+v, %v", got, err)
		}
		got, err = db.FindAuditEntries(ctx, tether.AuditFilter{Actor: "cli:test", Limit: 1000})
		if err != nil || len(got) != 1000 {
			t.Fatalf("by actor: %d, %v", len(got), err)
		}
		// Every entry survives the round trip unchanged.
		for _, e := range big {
			if e.ComputeHash(e.PrevHash) != e.Hash {
				t.Fatalf("entry %d read back differs from what was sealed", e.Seq)
			}
		}

		for _, r := range tether.Roles {
			_, err := db.FindAuditEntries(AsActor(tether.Actor{UserID: 7, Role: r}), tether.AuditFilter{})
			want := tether.EFORBIDDEN
			if r == tether.RoleAdmin || r == tether.RoleInspector {
				want = ""
			}
			wantCode(t, err, want)
		}
		_, err = db.FindAuditEntries(context.Background(), tether.AuditFilter{})
		wantCode(t, err, tether.EUNAUTHORIZED)
	})
}

// TestAuditConcurrentAppends writes from 8 goroutines at once through two
// DBs on the same database, as two app instances would: on PostgreSQL the
// lock on audit_head must serialise the appends, so that no seq is taken
// twice and the chain holds.
func TestAuditConcurrentAppends(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		dbs := []*DB{db, db.Reopen(t)}
		const workers, txs, perTx = 8, 15, 3
		var wg sync.WaitGroup
		errs := make(chan error, workers*txs)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range txs {
					on := dbs[(w+i)%len(dbs)]
					if err := writeAudited(adminCtx(), on, fmt.Sprintf("w%d-%d", w, i), perTx); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for _, d := range dbs {
			r, err := d.VerifyAudit(adminCtx())
			if err != nil {
				t.Fatal(err)
			}
			if !r.OK || r.Entries != workers*txs*perTx {
				t.Fatalf("report = %+v, want OK with %d entries", r, workers*txs*perTx)
			}
		}
	})
}
