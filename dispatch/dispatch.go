// Package dispatch sends queued notices: it claims items from the outbox,
// hands each to the Sender of its channel (GOV.UK Notify, the mail relay or
// the print spool) and records what happened, so that every notice ends sent
// exactly once or visibly failed, whatever the channel does and however
// many dispatchers run.
//
// How it stays exactly once: the outbox leases each item to one dispatcher
// at a time; every send carries the notice's Ref as its idempotency
// reference; a send that may have reached the channel without an answer (a
// dropped connection, a timeout) is recorded as an unknown outcome, and the
// next attempt asks the channel for the reference (Sender.Lookup) before it
// sends again. A dispatcher never sends once its lease is close to running
// out, so that a second dispatcher cannot claim an item while it is being
// sent.
//
// It imports the channels' clients and the store's delivery report for the
// poller; it must never import web.
package dispatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"tether"
)

// Defaults for a Dispatcher's zero fields.
const (
	DefaultBatch       = 200
	DefaultConcurrency = 16
	DefaultLease       = 2 * time.Minute
	DefaultPauseAfter  = 5
	DefaultPauseFor    = 5 * time.Minute
	DefaultMaxAttempts = 10
	DefaultIdle        = 2 * time.Second
)

// Dispatcher sends what the outbox holds. Its zero fields take the
// defaults above; Outbox, Senders and Worker are required.
type Dispatcher struct {
	Outbox tether.OutboxService
	// Replies, when set, is a second outbox sent through the same Senders
	// (the replies to MPs' offices and representatives): each RunOnce
	// claims a batch from Outbox and then one from Replies.
	Replies tether.OutboxService
	// Senders maps a sending channel (tether.SendNotifyEmail...) to its
	// Sender. Only these channels are claimed: hand and file are never
	// dispatched.
	Senders map[string]Sender
	Clock   tether.Clock
	// Worker names this dispatcher in leases and on the timeline; unique
	// per process ("host-pid").
	Worker string
	// Batch is how many items one claim takes; Concurrency how many are
	// sent at once.
	Batch       int
	Concurrency int
	// Lease is how long a claim holds its items. A dispatcher sends
	// nothing in the last fifth of its lease, and gives up a send that
	// runs into it (recorded as an unknown outcome), so that nobody else
	// can claim an item while it is being sent.
	Lease time.Duration
	// PauseAfter consecutive failures of a channel pause it for PauseFor;
	// the rest of the batch on that channel waits until then.
	PauseAfter int
	PauseFor   time.Duration
	// MaxAttempts temporary failures make a notice fail visibly.
	MaxAttempts int
	// Idle is how long Run waits when there is nothing to send.
	Idle time.Duration
	// Progress, when set, is called after each batch with the totals so
	// far (of the run, for Run; of the batch, for RunOnce).
	Progress func(Stats)
	// Log, when set, gets errors of the outbox itself; never personal data.
	Log *slog.Logger
}

// Stats counts what a dispatcher did.
type Stats struct {
	Claimed int `json:"claimed"`
	// Sent were accepted by their channel; Found of them were found by
	// looking up the reference after an unknown outcome, not sent again.
	Sent  int `json:"sent"`
	Found int `json:"found"`
	// Retried will be tried again; Unknown of them may have gone.
	Retried int `json:"retried"`
	Unknown int `json:"unknown"`
	// Failed permanently: the notice failed and a caseworker has a task.
	Failed int `json:"failed"`
	// Deferred were not tried: their channel paused, or the lease ran short.
	Deferred int `json:"deferred"`
	// RecordErrors are outcomes the outbox did not take; the lease runs
	// out and the item is looked up and finished by the next claim.
	RecordErrors int           `json:"record_errors"`
	Batches      int           `json:"batches"`
	Elapsed      time.Duration `json:"elapsed"`
}

func (s *Stats) add(o Stats) {
	s.Claimed += o.Claimed
	s.Sent += o.Sent
	s.Found += o.Found
	s.Retried += o.Retried
	s.Unknown += o.Unknown
	s.Failed += o.Failed
	s.Deferred += o.Deferred
	s.RecordErrors += o.RecordErrors
	s.Batches += o.Batches
}

func (d *Dispatcher) batch() int       { return or(d.Batch, DefaultBatch) }
func (d *Dispatcher) concurrency() int { return or(d.Concurrency, DefaultConcurrency) }
func (d *Dispatcher) pauseAfter() int  { return or(d.PauseAfter, DefaultPauseAfter) }
func (d *Dispatcher) maxAttempts() int { return or(d.MaxAttempts, DefaultMaxAttempts) }
func (d *Dispatcher) lease() time.Duration {
	return or(d.Lease, DefaultLease)
}
func (d *Dispatcher) pauseFor() time.Duration { return or(d.PauseFor, DefaultPauseFor) }
func (d *Dispatcher) idle() time.Duration     { return or(d.Idle, DefaultIdle) }

func (d *Dispatcher) now() time.Time {
	if d.Clock == nil {
		return time.Now().UTC()
	}
	return d.Clock.Now()
}

func or[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Channels lists the channels this dispatcher sends, sorted.
func (d *Dispatcher) Channels() []string {
	var cs []string
	for c := range d.Senders {
		if c == tether.SendHand || c == tether.SendFile {
			continue
		}
		cs = append(cs, c)
	}
	sort.Strings(cs)
	return cs
}

// recordTimeout bounds the recording of one outcome, which goes on after
// the dispatcher's context ends: an outcome known is never thrown away.
const recordTimeout = 30 * time.Second

// RunOnce claims one batch and sends it. It returns what it did, and an
// error only when the claim failed; an outcome the outbox would not take
// is counted in RecordErrors, and its item is finished by a later claim.
func (d *Dispatcher) RunOnce(ctx context.Context) (Stats, error) {
	start := time.Now()
	if d.Worker == "" {
		return Stats{}, errors.New("dispatch: the dispatcher has no worker name")
	}
	channels := d.Channels()
	if len(channels) == 0 {
		return Stats{}, errors.New("dispatch: no senders")
	}
	st, err := d.runBatch(ctx, d.Outbox, channels)
	if err != nil || d.Replies == nil {
		return st, err
	}
	rs, err := d.runBatch(ctx, d.Replies, channels)
	claimed := st.Claimed + rs.Claimed
	st.add(rs)
	st.Claimed, st.Batches = claimed, 1
	st.Elapsed = time.Since(start)
	return st, err
}

// runBatch claims one batch from the outbox and sends it.
func (d *Dispatcher) runBatch(ctx context.Context, outbox tether.OutboxService, channels []string) (Stats, error) {
	start := time.Now()
	lease := d.lease()
	items, err := outbox.ClaimOutbox(ctx, d.Worker, channels, d.batch(), lease)
	if err != nil {
		return Stats{}, fmt.Errorf("dispatch: claim: %w", err)
	}
	st := Stats{Claimed: len(items), Batches: 1}
	if len(items) == 0 {
		st.Elapsed = time.Since(start)
		return st, nil
	}
	// The lease counts from the claim; stop sending a fifth before it ends.
	deadline := start.Add(lease - lease/5)

	b := &batchState{outbox: outbox, fails: map[string]int{}, healthy: map[string]bool{}, flushing: make(chan struct{}, recordFlushers)}
	work := make(chan *tether.OutboxItem)
	var wg sync.WaitGroup
	for range min(d.concurrency(), len(items)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				o := d.handle(ctx, b, it, deadline)
				b.count(o)
			}
		}()
	}
	for _, it := range items {
		work <- it
	}
	close(work)
	wg.Wait()
	d.flushAccepted(ctx, b, b.takeAccepted(0))

	b.mu.Lock()
	st.add(b.stats)
	b.mu.Unlock()
	st.Claimed, st.Batches = len(items), 1
	st.Elapsed = time.Since(start)
	return st, nil
}

// batchState is what the workers of one batch share.
type batchState struct {
	outbox tether.OutboxService // where the batch came from
	mu     sync.Mutex
	stats  Stats
	// fails counts a channel's consecutive failures in this batch; at the
	// pause limit the rest of the batch on it is deferred.
	fails   map[string]int
	healthy map[string]bool
	// accepted are sends their channel took, recorded together (see
	// recordBatch); flushing bounds how many groups are recorded at once
	// (see recordFlushers).
	accepted []acceptedItem
	flushing chan struct{}
}

// acceptedItem is a send its channel took, waiting to be recorded.
type acceptedItem struct {
	it         *tether.OutboxItem
	providerID string
	o          outcome
}

// recordBatch is how many accepted sends are recorded in one transaction.
// A dispatcher that dies first leaves them leased: the next claim looks
// each up by its reference, finds it sent and records it then.
const recordBatch = 100

// recordFlushers is how many groups of accepted sends one batch records at
// once. Recording a group costs a few database round trips per item, so
// one at a time caps a dispatcher at what one connection does in series
// (about 1,300 a second on PostgreSQL); the groups hold different items,
// so they may be recorded in parallel, as two dispatchers' would be.
// SQLite has one writer connection, and its groups still go one by one.
const recordFlushers = 4

// takeAccepted takes the accepted sends waiting when there are at least
// atLeast of them (all of them for 0), for the caller to record.
func (b *batchState) takeAccepted(atLeast int) []acceptedItem {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.accepted) == 0 || len(b.accepted) < atLeast {
		return nil
	}
	out := b.accepted
	b.accepted = nil
	return out
}

// outcome is what became of one item.
type outcome int

const (
	sent outcome = iota
	found
	waiting // accepted; counted once recorded
	retried
	unknown
	failed
	deferred
	recordError
)

func (b *batchState) count(o outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch o {
	case sent:
		b.stats.Sent++
	case found:
		b.stats.Sent++
		b.stats.Found++
	case retried:
		b.stats.Retried++
	case unknown:
		b.stats.Retried++
		b.stats.Unknown++
	case failed:
		b.stats.Failed++
	case deferred:
		b.stats.Deferred++
	case recordError:
		b.stats.RecordErrors++
	case waiting:
	}
}

// paused reports whether the channel has failed too often in this batch.
func (b *batchState) paused(channel string, limit int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fails[channel] >= limit
}

// channelResult notes a success or failure of the channel, and reports
// whether a success is the first since the batch began or since a
// failure: only those are recorded, which resets the channel's failures
// without a write per notice.
func (b *batchState) channelResult(channel string, ok bool) (record bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !ok {
		b.fails[channel]++
		b.healthy[channel] = false
		return true
	}
	b.fails[channel] = 0
	record = !b.healthy[channel]
	b.healthy[channel] = true
	return record
}

// handle sends one item and records the outcome.
func (d *Dispatcher) handle(ctx context.Context, b *batchState, it *tether.OutboxItem, deadline time.Time) outcome {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	sender := d.Senders[it.Channel]
	switch {
	case sender == nil || it.Notice == nil:
		// Not claimable by this dispatcher: a bug in the claim.
		return d.defer_(rctx, b, it, "no sender for the channel", d.now().Add(d.pauseFor()))
	case ctx.Err() != nil:
		return d.defer_(rctx, b, it, "the dispatcher stopped", d.now())
	case b.paused(it.Channel, d.pauseAfter()):
		return d.defer_(rctx, b, it, "the channel is paused after repeated failures", d.now().Add(d.pauseFor()))
	case time.Until(deadline) <= 0:
		return d.defer_(rctx, b, it, "the lease ran short", d.now())
	}
	sctx, scancel := context.WithDeadline(ctx, deadline)
	defer scancel()

	attempt := max(it.Attempts, 1)
	if it.PriorUnknown {
		pid, ok, err := sender.Lookup(sctx, it.Ref)
		switch {
		case err == nil && ok:
			return d.sent(rctx, b, it, pid, found)
		case err == nil && attempt > d.maxAttempts():
			return d.fail(rctx, b, it, fmt.Sprintf("not sent after %d attempts: the channel does not hold it", attempt-1), false)
		case err == nil, isNoLookup(err):
			// Not there (or the channel cannot say): send it again.
		case attempt >= d.maxAttempts():
			return d.fail(rctx, b, it, "the outcome of an earlier attempt is unknown and the channel cannot be asked ("+
				Reason(err)+"): look the reference up with the channel before sending again", false)
		default:
			return d.retry(rctx, b, it, attempt, fmt.Errorf("looking up the reference: %w", err), true)
		}
	}
	pid, err := sender.Send(sctx, it.Notice)
	switch {
	case err == nil:
		return d.sent(rctx, b, it, pid, sent)
	case Temporary(err):
		return d.retry(rctx, b, it, attempt, err, UnknownOutcome(err))
	}
	return d.fail(rctx, b, it, Reason(err), ContactFault(err))
}

// sent notes an accepted send; it is recorded with others (see
// recordBatch) and counted then.
func (d *Dispatcher) sent(ctx context.Context, b *batchState, it *tether.OutboxItem, providerID string, o outcome) outcome {
	if b.channelResult(it.Channel, true) {
		d.record(ctx, "channel succeeded", func() error { return b.outbox.ChannelSucceeded(ctx, it.Channel) })
	}
	b.mu.Lock()
	b.accepted = append(b.accepted, acceptedItem{it: it, providerID: providerID, o: o})
	b.mu.Unlock()
	d.flushAccepted(ctx, b, b.takeAccepted(recordBatch))
	return waiting
}

// flushAccepted records accepted sends in one transaction, and counts
// them. When the outbox refuses the batch (an item's lease was lost, say)
// each is recorded on its own, so that one cannot hold up the others.
func (d *Dispatcher) flushAccepted(ctx context.Context, b *batchState, acc []acceptedItem) {
	if len(acc) == 0 {
		return
	}
	b.flushing <- struct{}{}
	defer func() { <-b.flushing }()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	many := make([]tether.Accepted, len(acc))
	for i, a := range acc {
		many[i] = tether.Accepted{ItemID: a.it.ID, ProviderID: a.providerID}
	}
	if err := b.outbox.OutboxSentMany(rctx, d.Worker, many); err == nil {
		for _, a := range acc {
			b.count(a.o)
		}
		return
	}
	for _, a := range acc {
		if err := d.record(rctx, "sent", func() error { return b.outbox.OutboxSent(rctx, a.it.ID, d.Worker, a.providerID) }); err != nil {
			b.count(recordError)
			continue
		}
		b.count(a.o)
	}
}

// retry records a temporary failure, or a visible failure once the
// attempts are used up. An unknown outcome always waits for a look-up: it
// fails only when the look-up says the channel does not hold it.
func (d *Dispatcher) retry(ctx context.Context, b *batchState, it *tether.OutboxItem, attempt int, cause error, unknownOutcome bool) outcome {
	reason := Reason(cause)
	b.channelResult(it.Channel, false)
	d.record(ctx, "channel failed", func() error {
		return b.outbox.ChannelFailed(ctx, it.Channel, reason, d.pauseAfter(), d.pauseFor())
	})
	if !unknownOutcome && attempt >= d.maxAttempts() {
		return d.fail(ctx, b, it, fmt.Sprintf("%s; gave up after %d attempts", reason, attempt), false)
	}
	at := d.now().Add(tether.Backoff(attempt, RetryAfter(cause)))
	if err := d.record(ctx, "retry", func() error {
		return b.outbox.OutboxRetry(ctx, it.ID, d.Worker, reason, at, unknownOutcome)
	}); err != nil {
		return recordError
	}
	if unknownOutcome {
		return unknown
	}
	return retried
}

// fail records a permanent failure; contactFault says the channel refused
// the contact point itself.
func (d *Dispatcher) fail(ctx context.Context, b *batchState, it *tether.OutboxItem, reason string, contactFault bool) outcome {
	if err := d.record(ctx, "fail", func() error { return b.outbox.OutboxFail(ctx, it.ID, d.Worker, reason, contactFault) }); err != nil {
		return recordError
	}
	return failed
}

// defer_ gives an item back without trying it.
func (d *Dispatcher) defer_(ctx context.Context, b *batchState, it *tether.OutboxItem, reason string, at time.Time) outcome {
	if err := d.record(ctx, "defer", func() error {
		return b.outbox.OutboxRetry(ctx, it.ID, d.Worker, reason, at, it.PriorUnknown)
	}); err != nil {
		return recordError
	}
	return deferred
}

// record runs one outbox write, trying again a few times: an outcome the
// outbox does not take is finished by the next claim after the lease, with
// a look-up, so trying here only saves that wait.
func (d *Dispatcher) record(ctx context.Context, what string, f func() error) error {
	var err error
	for i := range 3 {
		if err = f(); err == nil {
			return nil
		}
		if tether.ErrorCode(err) != tether.EINTERNAL || ctx.Err() != nil {
			break // the lease was lost, or the item changed: no use
		}
		t := time.NewTimer(time.Duration(50<<i) * time.Millisecond)
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
	}
	if d.Log != nil {
		d.Log.Warn("dispatch: the outbox did not take an outcome", "what", what, "worker", d.Worker, "error", tether.ErrorCode(err), "detail", err.Error())
	}
	return err
}

// Run sends until ctx ends, waiting Idle whenever the outbox has nothing
// due. Outbox errors are logged and waited out; it returns nil when ctx
// ends.
func (d *Dispatcher) Run(ctx context.Context) error {
	var total Stats
	start := time.Now()
	for ctx.Err() == nil {
		st, err := d.RunOnce(ctx)
		total.add(st)
		total.Elapsed = time.Since(start)
		if st.Claimed > 0 && d.Progress != nil {
			d.Progress(total)
		}
		if err != nil && ctx.Err() == nil && d.Log != nil {
			d.Log.Error("dispatch: claim failed", "worker", d.Worker, "error", err.Error())
		}
		if err != nil || st.Claimed == 0 {
			sleep(ctx, d.idle())
		}
	}
	return nil
}

// Drain sends until nothing is due, then returns the totals: for
// "tether dispatch -once" and tests. Items waiting to retry later stay.
func (d *Dispatcher) Drain(ctx context.Context) (Stats, error) {
	var total Stats
	start := time.Now()
	for ctx.Err() == nil {
		st, err := d.RunOnce(ctx)
		total.add(st)
		total.Elapsed = time.Since(start)
		if err != nil {
			return total, err
		}
		if st.Claimed == 0 {
			break
		}
		if d.Progress != nil {
			d.Progress(total)
		}
	}
	return total, ctx.Err()
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
