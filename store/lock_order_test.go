package store

import (
	"errors"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"tether"
	"tether/reporting"
)

// TestAttemptAndPointChangeLockOrder records a tracing attempt that marks
// the person's mobile failed (a wrong number: the person, the attempt,
// then the point are locked) while a caseworker confirms that same mobile
// (a change to a point: the person, then the point), many times over, at
// once. Both take the person first, so on PostgreSQL neither ever waits on
// the other in a cycle: no deadlock error, whichever goes first. (On
// SQLite, with one writer, they simply take turns.)
func TestAttemptAndPointChangeLockOrder(t *testing.T) {
	t.Parallel()
	rounds := 40
	if testing.Short() {
		rounds = 10
	}
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		mustSeed(t, db)
		type round struct{ attempt, point int64 }
		var work []round
		for range rounds {
			p, pts := reachablePerson(t, db)
			if _, err := db.ChangeStatus(cw(), p.ID, tether.CauseFailedCall, "no answer"); err != nil {
				t.Fatal(err)
			}
			call := lapseAttemptOf(t, mustLapseOf(t, db, p.ID), reporting.AttemptCall)
			work = append(work, round{attempt: call.ID, point: pts[tether.KindMobile].ID})
		}
		for i, w := range work {
			var wg sync.WaitGroup
			var attemptErr, confirmErr error
			start := make(chan struct{})
			wg.Go(func() {
				<-start
				_, _, attemptErr = db.RecordAttempt(cw(), w.attempt, tether.AttemptInput{Outcome: reporting.OutcomeWrongNumber})
			})
			wg.Go(func() {
				<-start
				confirmErr = db.ConfirmContactPoint(cw(), w.point, "phone_call")
			})
			close(start)
			wg.Wait()
			for _, err := range []error{attemptErr, confirmErr} {
				var pe *pgconn.PgError
				if errors.As(err, &pe) && pe.Code == "40P01" {
					t.Fatalf("round %d: deadlock: %v", i, err)
				}
				// The one that comes second may find the other's change
				// (ECONFLICT); anything else is a fault.
				if err != nil && tether.ErrorCode(err) != tether.ECONFLICT {
					t.Fatalf("round %d: %v", i, err)
				}
			}
			if attemptErr != nil {
				t.Fatalf("round %d: the attempt was refused: %v", i, attemptErr)
			}
		}
	})
}
