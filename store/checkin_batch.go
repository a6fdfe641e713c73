package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"tether"
	"tether/reporting"
)

// Check-ins on SQLite are committed in groups. SQLite has one writer, and
// a check-in that brings a person back in contact writes some forty pages
// (the event, the status, the lapse, its plan, attempts and task, their
// histories and the audit chain): most of its cost is the commit, and most
// of the commit is pages that the next check-in writes again (index and
// history tails, the audit head). So check-ins that arrive while another
// is being written wait, and the first of them then writes all those
// waiting in one transaction, each in a savepoint of its own: each is
// still all or nothing with its own actor, outcome and audit entries, and
// one refused (ECONFLICT, say) leaves the others as they are. A check-in
// that finds nobody writing is written at once, alone, as before. A group
// with none refused is written without savepoints, which cost each
// check-in a copy of every page it changes; when one is refused, the
// group is rolled back and written again with a savepoint each. This is
// group commit, as databases do for their logs; PostgreSQL, with a
// transaction per check-in and row locks, needs none.

// maxCheckInBatch bounds the check-ins written in one transaction, so that
// the first of a long queue is not kept waiting for the last.
const maxCheckInBatch = 32

// checkInQueue is the check-ins waiting to be written, in arrival order;
// the first is the one writing (with those it took), when any is.
type checkInQueue struct {
	mu    sync.Mutex
	queue []*checkInCall
}

// checkInCall is one CheckInEvent call and, once done, its result.
type checkInCall struct {
	ctx context.Context
	id  int64
	in  reporting.CheckIn
	e   *reporting.EventRecord
	err error
	// done is set, before wake is signalled, when the call was written by
	// another; wake is signalled once, when done or first in the queue.
	done bool
	wake chan struct{}
}

// do writes the check-in, with those waiting behind it when it is first in
// the queue, or else waits until another has written it or it is first.
func (q *checkInQueue) do(db *DB, ctx context.Context, id int64, in reporting.CheckIn) (*reporting.EventRecord, error) {
	c := &checkInCall{ctx: ctx, id: id, in: in, wake: make(chan struct{}, 1)}
	q.mu.Lock()
	q.queue = append(q.queue, c)
	first := len(q.queue) == 1
	q.mu.Unlock()
	if !first {
		// Not abandoned when ctx ends: the call may be being written.
		<-c.wake
		if c.done {
			return c.e, c.err
		}
	}
	// Let those just written (or arriving) come with their next
	// check-ins before taking the group, so that groups stay large: while
	// the queue grows, give way a few times. Nothing else runnable, this
	// costs next to nothing.
	for i, waiting := 0, 0; i < 4; i++ {
		runtime.Gosched()
		q.mu.Lock()
		n := len(q.queue)
		q.mu.Unlock()
		if n == waiting || n >= maxCheckInBatch {
			break
		}
		waiting = n
	}
	q.mu.Lock()
	batch := append([]*checkInCall(nil), q.queue[:min(len(q.queue), maxCheckInBatch)]...)
	q.mu.Unlock()
	written := false
	defer func() { q.release(batch, written) }()
	db.writeCheckIns(batch)
	written = true
	return c.e, c.err
}

// release takes a written group off the queue, gives the others in it
// their results (an error if the group was never written: a fault of
// ours, which the writer's caller sees as it happened) and wakes the next
// check-in waiting, which writes the next group.
func (q *checkInQueue) release(batch []*checkInCall, written bool) {
	q.mu.Lock()
	q.queue = append(q.queue[:0:0], q.queue[len(batch):]...)
	var next *checkInCall
	if len(q.queue) > 0 {
		next = q.queue[0]
	}
	q.mu.Unlock()
	for _, o := range batch[1:] {
		if !written {
			o.e, o.err = nil, errors.New("check in: the group it was written in failed")
		}
		o.done = true
		o.wake <- struct{}{}
	}
	if next != nil {
		next.wake <- struct{}{}
	}
}

// writeCheckIns writes the check-ins of batch in one transaction and sets
// each one's result: several at once when none is refused, or else each in
// a savepoint; one alone as CheckInEvent always did.
func (db *DB) writeCheckIns(batch []*checkInCall) {
	if !db.writeGroup(batch, false) {
		db.writeGroup(batch, true)
	}
}

// writeGroup writes the check-ins of batch in one transaction, with a
// savepoint each when savepoints, rolled back to when that check-in fails.
// Without savepoints (most groups have no check-in refused, and a
// savepoint costs each check-in a copy of every page it changes, SQLite's
// journal of the savepoint), a group of several is all or nothing: when
// one is refused or fails, nothing is written, no result is set, and it
// reports false, so that the group is written again with a savepoint
// each, where the refusal is found again. Otherwise it sets every result
// and reports true.
func (db *DB) writeGroup(batch []*checkInCall, savepoints bool) bool {
	final := savepoints || len(batch) == 1
	fail := func(err error) bool {
		if !final {
			return false
		}
		for _, c := range batch {
			if c.err == nil {
				c.e, c.err = nil, err
			}
		}
		return true
	}
	undo := func() bool {
		for _, c := range batch {
			c.e, c.err = nil, nil
		}
		return false
	}
	// The transaction outlives any one caller's request: a caller gone
	// does not undo the others' check-ins.
	tx, err := db.BeginTx(context.WithoutCancel(batch[0].ctx))
	if err != nil {
		return fail(fmt.Errorf("check in: %w", err))
	}
	defer tx.rollback()
	for _, c := range batch {
		tx.actor, _ = tether.ActorFromContext(c.ctx)
		if !savepoints {
			if c.e, c.err = tx.checkIn(c.id, c.in); c.err != nil {
				if !final {
					return undo()
				}
				c.e = nil
				return true
			}
			continue
		}
		if _, err := tx.Exec(`SAVEPOINT check_in`); err != nil {
			return fail(fmt.Errorf("check in: %w", err))
		}
		queued := len(tx.audit)
		if c.e, c.err = tx.checkIn(c.id, c.in); c.err != nil {
			c.e = nil
			tx.audit = tx.audit[:queued]
			if _, err := tx.Exec(`ROLLBACK TO check_in`); err != nil {
				return fail(fmt.Errorf("check in: %w", err))
			}
		}
		if _, err := tx.Exec(`RELEASE check_in`); err != nil {
			return fail(fmt.Errorf("check in: %w", err))
		}
	}
	if err := tx.Commit(); err != nil {
		if !final {
			return undo()
		}
		fail(fmt.Errorf("check in: %w", err))
	}
	return true
}
