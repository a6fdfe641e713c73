// Package sweep runs background sweeps: work that falls due with time,
// such as tasks past their due date (and, as the reporting capability
// lands, events missed at the end of the day, reminders and escalation).
//
// How a sweep stays exactly once with many instances on one database: an
// instance runs a sweep only while it holds the sweep's lease, renewed
// between steps; each step handles a bounded number of due items in one
// transaction that marks each item as it changes it, so that a run killed
// part way leaves the rest, unmarked, to the next run, and an item already
// marked is never handled again. A run records what it did.
package sweep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"tether"
)

// Store is what the runner needs from storage.
type Store interface {
	AcquireSweep(ctx context.Context, sweep, worker string, ttl time.Duration) (bool, error)
	ReleaseSweep(ctx context.Context, sweep, worker string) error
	RecordSweepRun(ctx context.Context, r *tether.SweepRun) error
}

// Sweep is one kind of due work. Step handles up to max due items in one
// transaction and returns how many it handled; fewer than max means none is
// left for now. Step must be idempotent: it handles only items not yet
// handled.
type Sweep struct {
	Name string
	// What says what one item handled is, for the run's record: "tasks
	// marked overdue".
	What string
	Step func(ctx context.Context, max int) (int, error)
}

// Defaults for a Runner's zero fields.
const (
	DefaultStep  = 500
	DefaultLease = time.Minute
	// DefaultMaxSteps bounds one run of one sweep; what is left waits for
	// the next run.
	DefaultMaxSteps = 1000
)

// Runner runs sweeps. Store, Worker and Sweeps are required.
type Runner struct {
	Store    Store
	Worker   string // names this instance in leases and runs: unique per process
	Sweeps   []Sweep
	Clock    tether.Clock
	Step     int           // items per step; DefaultStep when 0
	Lease    time.Duration // how long the lease holds between renewals
	MaxSteps int
	// Progress, when set, is told after each step how many items the
	// sweep has handled so far in this run.
	Progress func(sweep string, done int)
	Log      *slog.Logger
}

// Result is what one run of one sweep did.
type Result struct {
	Sweep string
	// Skipped: another instance held the lease, so this one did nothing.
	Skipped bool
	Done    int
	Err     error
	Elapsed time.Duration
}

func (r *Runner) now() time.Time {
	if r.Clock == nil {
		return time.Now().UTC()
	}
	return r.Clock.Now()
}

func (r *Runner) step() int {
	if r.Step <= 0 {
		return DefaultStep
	}
	return r.Step
}

func (r *Runner) lease() time.Duration {
	if r.Lease <= 0 {
		return DefaultLease
	}
	return r.Lease
}

func (r *Runner) maxSteps() int {
	if r.MaxSteps <= 0 {
		return DefaultMaxSteps
	}
	return r.MaxSteps
}

// RunOnce runs each sweep once, in order, until it has nothing due (or
// MaxSteps), and records each run. A sweep whose lease another instance
// holds is skipped. It returns a result per sweep; an error of one sweep
// does not stop the others.
func (r *Runner) RunOnce(ctx context.Context) []Result {
	out := make([]Result, 0, len(r.Sweeps))
	for _, s := range r.Sweeps {
		if ctx.Err() != nil {
			break
		}
		out = append(out, r.runOne(ctx, s))
	}
	return out
}

func (r *Runner) runOne(ctx context.Context, s Sweep) Result {
	res := Result{Sweep: s.Name}
	start, wall := r.now(), time.Now()
	ok, err := r.Store.AcquireSweep(ctx, s.Name, r.Worker, r.lease())
	if err != nil {
		res.Err = fmt.Errorf("sweep %s: lease: %w", s.Name, err)
		return res
	}
	if !ok {
		res.Skipped = true
		return res
	}
	for range r.maxSteps() {
		n, err := s.Step(ctx, r.step())
		res.Done += n
		if err != nil {
			res.Err = fmt.Errorf("sweep %s: %w", s.Name, err)
			break
		}
		if r.Progress != nil {
			r.Progress(s.Name, res.Done)
		}
		if n < r.step() || ctx.Err() != nil {
			break
		}
		// Renew the lease between steps; losing it stops the run.
		if ok, err := r.Store.AcquireSweep(ctx, s.Name, r.Worker, r.lease()); err != nil || !ok {
			res.Err = fmt.Errorf("sweep %s: lost the lease (%v)", s.Name, err)
			break
		}
	}
	res.Elapsed = time.Since(wall)
	// The record is kept even when the context has ended.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	run := &tether.SweepRun{Sweep: s.Name, Worker: r.Worker, StartedAt: start, FinishedAt: r.now(), Done: res.Done,
		Detail: fmt.Sprintf("%d %s", res.Done, s.What)}
	if res.Err != nil {
		run.Error = res.Err.Error()
	}
	if err := r.Store.RecordSweepRun(rctx, run); err != nil && r.Log != nil {
		r.Log.Error("recording a sweep run failed", "sweep", s.Name, "err", err.Error())
	}
	if err := r.Store.ReleaseSweep(rctx, s.Name, r.Worker); err != nil && r.Log != nil {
		r.Log.Warn("releasing a sweep lease failed", "sweep", s.Name, "err", err.Error())
	}
	return res
}

// Run runs the sweeps every interval until ctx ends, logging what each run
// did (counts only, never personal data).
func (r *Runner) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for _, res := range r.RunOnce(ctx) {
			if r.Log == nil || res.Skipped {
				continue
			}
			switch {
			case res.Err != nil && !errors.Is(res.Err, context.Canceled):
				r.Log.Error("sweep failed", "sweep", res.Sweep, "done", res.Done, "err", res.Err.Error())
			case res.Done > 0:
				r.Log.Info("sweep", "sweep", res.Sweep, "done", res.Done, "ms", res.Elapsed.Milliseconds())
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Names lists the sweeps' names.
func (r *Runner) Names() string {
	names := make([]string, len(r.Sweeps))
	for i, s := range r.Sweeps {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}
