package dispatch_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/dispatch"
	"tether/notify"
	"tether/notify/notifytest"
	"tether/store"
)

var caseworker = tether.Actor{UserID: 2, Role: tether.RoleCaseworker, PersonalData: true}

func cw() context.Context { return store.AsActor(caseworker) }

// world is a database of reachable people with notices queued, and a fake
// Notify.
type world struct {
	db     *store.DB
	clock  *tether.ManualClock
	notify *notifytest.Server
	client *notify.Client
}

func newWorld(tb testing.TB, engine string, opts notifytest.Options) *world {
	tb.Helper()
	clock := tether.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	db := store.MustOpenTestDB(tb, engine, clock)
	if _, err := db.SeedTemplates(store.AsActor(tether.Actor{UserID: 1, Role: tether.RoleAdmin, PersonalData: true})); err != nil {
		tb.Fatal(err)
	}
	opts.Now = clock.Now
	fake := notifytest.Start(tb, opts)
	client, err := notify.New(notify.Config{APIKey: fake.APIKey(), BaseURL: fake.URL, RatePerMinute: -1,
		Timeout: 2 * time.Second, Now: clock.Now})
	if err != nil {
		tb.Fatal(err)
	}
	return &world{db: db, clock: clock, notify: fake, client: client}
}

// people adds n people, each with a postal address and an email for
// correspondence and a mobile.
func (w *world) people(tb testing.TB, n int) []*tether.Person {
	tb.Helper()
	var out []*tether.Person
	for i := range n {
		p := &tether.Person{FamilyName: "Person" + letters(i), GivenNames: "Test"}
		if err := w.db.CreatePerson(cw(), p); err != nil {
			tb.Fatal(err)
		}
		for _, c := range []*tether.ContactPoint{
			{PersonID: p.ID, Kind: tether.KindPostal, Source: tether.SourcePerson, ForCorrespondence: true,
				Address: &tether.Address{Lines: []string{fmt.Sprintf("%d Example Street", i+1)}, Town: "London", Postcode: "SW1A 1AA"}},
			{PersonID: p.ID, Kind: tether.KindEmail, Email: fmt.Sprintf("person%d@example.org", i), Source: tether.SourcePerson, ForCorrespondence: true},
			{PersonID: p.ID, Kind: tether.KindMobile, Phone: fmt.Sprintf("07911 %06d", 100000+i), Source: tether.SourcePerson},
		} {
			if err := w.db.AddContactPoint(cw(), c); err != nil {
				tb.Fatal(err)
			}
		}
		out = append(out, p)
	}
	return out
}

// letters spells i in the letters a to j, since names hold no digits.
func letters(i int) string {
	s := fmt.Sprint(i)
	b := []byte(s)
	for k := range b {
		b[k] = 'a' + (b[k] - '0')
	}
	return string(b)
}

var reporting = map[string]string{"date": "Monday 9 March 2026", "time": "10am", "centre_name": "Eaton House",
	"centre_address": "1 Eaton Road, Hounslow TW3 1AA", "interpreter": "no"}

// queue creates one notice per person on each template, in batches.
func (w *world) queue(tb testing.TB, people []*tether.Person, templates ...string) []*tether.Notice {
	tb.Helper()
	var all []*tether.Notice
	var batch []*tether.NoticeRequest
	flush := func() {
		if len(batch) == 0 {
			return
		}
		ns, err := w.db.CreateNotices(cw(), batch)
		if err != nil {
			tb.Fatal(err)
		}
		all = append(all, ns...)
		batch = batch[:0]
	}
	for _, p := range people {
		for _, key := range templates {
			batch = append(batch, &tether.NoticeRequest{PersonID: p.ID, TemplateKey: key, Personalisation: reporting})
			if len(batch) == 2000 {
				flush()
			}
		}
	}
	flush()
	return all
}

func (w *world) dispatcher(name string) *dispatch.Dispatcher {
	senders := map[string]dispatch.Sender{}
	for _, ch := range []string{tether.SendNotifyEmail, tether.SendNotifySMS, tether.SendNotifyLetter} {
		senders[ch] = &dispatch.NotifySender{Client: w.client, Channel: ch, TemplateID: "f33517ff-2a88-4f6e-b855-c550268ce08a"}
	}
	return &dispatch.Dispatcher{Outbox: w.db, Senders: senders, Clock: w.clock, Worker: name,
		Batch: 50, Concurrency: 8, Lease: time.Minute, MaxAttempts: 6}
}

// settle drains the outbox, moving the clock past every backoff, until
// nothing waits.
func (w *world) settle(tb testing.TB, d *dispatch.Dispatcher) dispatch.Stats {
	tb.Helper()
	var total dispatch.Stats
	for round := 0; ; round++ {
		st, err := d.Drain(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		total.Sent += st.Sent
		total.Failed += st.Failed
		total.Retried += st.Retried
		total.Unknown += st.Unknown
		total.Found += st.Found
		stats, err := w.db.OutboxStats(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		waiting := stats[tether.OutboxPending] + stats[tether.OutboxUnknown] + stats[tether.OutboxLeased]
		if waiting == 0 {
			return total
		}
		if round > 60 {
			tb.Fatalf("the outbox does not settle: %v", stats)
		}
		w.clock.Advance(2 * time.Hour) // past any backoff, pause and lease
	}
}

// checkExactlyOnce asserts that every notice ended sent exactly once or
// visibly failed.
func (w *world) checkExactlyOnce(tb testing.TB, notices []*tether.Notice) {
	tb.Helper()
	if d := w.notify.Duplicates(); d != 0 {
		tb.Fatalf("Notify holds %d duplicate sends", d)
	}
	sent, failed := 0, 0
	for _, n := range notices {
		got, err := w.db.FindNoticeByID(cw(), n.ID)
		if err != nil {
			tb.Fatal(err)
		}
		at := w.notify.Sends(n.Ref)
		switch got.State {
		case tether.NoticeSent, tether.NoticeDelivered:
			sent++
			if at != 1 || got.ProviderID == "" {
				tb.Fatalf("notice %s is %s but Notify holds it %d times (provider id %q)", n.Ref, got.State, at, got.ProviderID)
			}
		case tether.NoticeFailed:
			failed++
			if at > 1 {
				tb.Fatalf("failed notice %s was sent %d times", n.Ref, at)
			}
		default:
			tb.Fatalf("notice %s ended %s: neither sent nor visibly failed", n.Ref, got.State)
		}
	}
	if sent+failed != len(notices) {
		tb.Fatalf("sent %d + failed %d != %d notices", sent, failed, len(notices))
	}
}

func TestDispatchHappyPath(t *testing.T) {
	t.Parallel()
	for _, engine := range store.TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, engine, notifytest.Options{})
			notices := w.queue(t, w.people(t, 10), "reporting-notice-letter", "reporting-reminder-sms", "request-contact-details-email")
			st := w.settle(t, w.dispatcher("w1"))
			if st.Sent != len(notices) || st.Failed != 0 {
				t.Fatalf("stats = %+v, want %d sent", st, len(notices))
			}
			w.checkExactlyOnce(t, notices)
			if w.notify.Count() != len(notices) {
				t.Fatalf("Notify holds %d, want %d", w.notify.Count(), len(notices))
			}
		})
	}
}

func TestDispatchFaults(t *testing.T) {
	t.Parallel()
	for _, engine := range store.TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			// Scripted faults early on, then one request in five fails at
			// random: 500, 503 and 429 with Retry-After, and connections
			// dropped after the send was accepted.
			w := newWorld(t, engine, notifytest.Options{Seed: 7, FaultRate: 0.2,
				Faults: map[int]notifytest.Fault{1: notifytest.Error500, 2: notifytest.Drop, 3: notifytest.RateLimited,
					4: notifytest.Error503, 5: notifytest.Drop}})
			notices := w.queue(t, w.people(t, 40), "reporting-reminder-sms", "request-contact-details-email")
			st := w.settle(t, w.dispatcher("w1"))
			if st.Retried == 0 || st.Unknown == 0 {
				t.Fatalf("stats = %+v: the faults did not happen", st)
			}
			w.checkExactlyOnce(t, notices)
			t.Logf("faults: %+v", st)
		})
	}
}

func TestDispatchTimeouts(t *testing.T) {
	t.Parallel()
	w := newWorld(t, store.SQLite, notifytest.Options{SlowDelay: 5 * time.Second,
		Faults: map[int]notifytest.Fault{1: notifytest.Slow, 2: notifytest.Slow}})
	notices := w.queue(t, w.people(t, 4), "reporting-reminder-sms")
	st := w.settle(t, w.dispatcher("w1"))
	if st.Unknown == 0 {
		t.Fatalf("stats = %+v: the timeouts were not treated as unknown outcomes", st)
	}
	w.checkExactlyOnce(t, notices)
}

// A dispatcher that dies after sending, before recording: its lease runs
// out, and the next dispatcher looks the references up instead of sending
// them again.
func TestDispatchCrashResumes(t *testing.T) {
	t.Parallel()
	for _, engine := range store.TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, engine, notifytest.Options{})
			notices := w.queue(t, w.people(t, 20), "reporting-reminder-sms")
			ctx := context.Background()
			// The crashed dispatcher claimed a batch and sent half of it.
			items, err := w.db.ClaimOutbox(ctx, "crashed", nil, 20, time.Minute)
			if err != nil || len(items) != 20 {
				t.Fatalf("claim = %d, %v", len(items), err)
			}
			sender := w.dispatcher("x").Senders[tether.SendNotifySMS]
			for _, it := range items[:10] {
				if _, err := sender.Send(ctx, it.Notice); err != nil {
					t.Fatal(err)
				}
			}
			// Another dispatcher finds nothing while the lease holds.
			d := w.dispatcher("w2")
			if st, err := d.RunOnce(ctx); err != nil || st.Claimed != 0 {
				t.Fatalf("claimed %d under a live lease (%v)", st.Claimed, err)
			}
			w.clock.Advance(2 * time.Minute)
			st := w.settle(t, d)
			if st.Found != 10 {
				t.Fatalf("stats = %+v: want the 10 sent before the crash found by reference", st)
			}
			w.checkExactlyOnce(t, notices)
			if w.notify.Count() != 20 {
				t.Fatalf("Notify holds %d, want 20", w.notify.Count())
			}
		})
	}
}

// Two dispatchers at once on one database send each notice once.
func TestDispatchConcurrent(t *testing.T) {
	t.Parallel()
	for _, engine := range store.TestEngines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, engine, notifytest.Options{})
			notices := w.queue(t, w.people(t, 30), "reporting-reminder-sms", "request-contact-details-email")
			other := w.db.Reopen(t)
			a, b := w.dispatcher("a"), w.dispatcher("b")
			b.Outbox = other
			done := make(chan error, 2)
			for _, d := range []*dispatch.Dispatcher{a, b} {
				go func() { _, err := d.Drain(context.Background()); done <- err }()
			}
			for range 2 {
				if err := <-done; err != nil {
					t.Fatal(err)
				}
			}
			w.settle(t, a)
			w.checkExactlyOnce(t, notices)
		})
	}
}

// A permanent failure reported by Notify fails the notice visibly, marks
// the point failed and opens a task; a letter printed to the spool is
// written once.
func TestPermanentFailureAndPrint(t *testing.T) {
	t.Parallel()
	w := newWorld(t, store.SQLite, notifytest.Options{})
	p := w.people(t, 1)[0]
	if err := w.db.AddContactPoint(cw(), &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindMobile,
		Phone: notifytest.PermanentFailurePhone, Source: tether.SourcePerson}); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(time.Minute)
	notices := w.queue(t, []*tether.Person{p}, "reporting-reminder-sms")
	w.settle(t, w.dispatcher("w1"))
	w.notify.Settle()
	poll := &dispatch.Poller{Store: w.db, Notify: w.client}
	w.clock.Advance(time.Hour)
	ps, err := poll.Poll(context.Background(), 10*time.Minute, 0)
	if err != nil || ps.Recorded != 1 {
		t.Fatalf("poll = %+v, %v", ps, err)
	}
	n, err := w.db.FindNoticeByID(cw(), notices[0].ID)
	if err != nil || n.State != tether.NoticeFailed {
		t.Fatalf("notice = %+v, %v", n, err)
	}
	tasks, _, err := w.db.FindTasks(cw(), tether.TaskFilter{PersonID: &p.ID, State: store.TaskOpen})
	if err != nil || len(tasks) != 1 {
		t.Fatalf("tasks = %v, %v", tasks, err)
	}

	dir := t.TempDir()
	w.db.SetCorrespondence(store.Correspondence{PostChannel: tether.SendPrint})
	letters := w.queue(t, []*tether.Person{p}, "reporting-notice-letter")
	ps2, err := dispatch.NewPrintSender(dir, w.clock)
	if err != nil {
		t.Fatal(err)
	}
	d := &dispatch.Dispatcher{Outbox: w.db, Senders: map[string]dispatch.Sender{tether.SendPrint: ps2}, Clock: w.clock, Worker: "print"}
	if st := w.settle(t, d); st.Sent != 1 {
		t.Fatalf("print stats = %+v", st)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, letters[0].Ref+".pdf"))
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("spool file: %v", err)
	}
	if _, err := ps2.Send(context.Background(), letters[0]); err != nil {
		t.Fatal(err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Fatalf("spool holds %d files, want 1", len(files))
	}
	got, err := w.db.FindNoticeByID(cw(), letters[0].ID)
	if err != nil || got.PostedOn == "" || got.DeemedServed == "" {
		t.Fatalf("printed letter = %+v, %v", got, err)
	}
}

// BenchmarkDispatch sends b.N notices through the outbox to a local fake
// Notify and reports notices per second; run with -benchtime=100000x for
// the target figure.
func BenchmarkDispatch(b *testing.B) {
	w := newWorld(b, store.SQLite, notifytest.Options{})
	people := w.people(b, 100)
	var reqs []*tether.NoticeRequest
	for i := range b.N {
		reqs = append(reqs, &tether.NoticeRequest{PersonID: people[i%len(people)].ID, TemplateKey: "reporting-reminder-sms", Personalisation: reporting})
	}
	for len(reqs) > 0 {
		n := min(len(reqs), 5000)
		if _, err := w.db.CreateNotices(cw(), reqs[:n]); err != nil {
			b.Fatal(err)
		}
		reqs = reqs[n:]
	}
	d := w.dispatcher("bench")
	d.Batch, d.Concurrency = 500, 32
	b.ResetTimer()
	start := time.Now()
	st, err := d.Drain(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	el := time.Since(start)
	b.StopTimer()
	if st.Sent != b.N || w.notify.Duplicates() != 0 {
		b.Fatalf("sent %d of %d, %d duplicates", st.Sent, b.N, w.notify.Duplicates())
	}
	b.ReportMetric(float64(b.N)/el.Seconds(), "notices/s")
}
