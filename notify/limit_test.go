package notify

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeTime is a clock that moves only when the limiter sleeps.
type fakeTime struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func (f *fakeTime) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeTime) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	f.slept = append(f.slept, d)
	f.t = f.t.Add(d)
	f.mu.Unlock()
	return nil
}

func (f *fakeTime) advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func newTestLimiter(perMinute int) (*limiter, *fakeTime) {
	ft := &fakeTime{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newLimiter(perMinute)
	l.now, l.sleep = ft.now, ft.sleep
	return l, ft
}

func TestLimiterDefaultRate(t *testing.T) {
	l, ft := newTestLimiter(0)
	if l.rate != 50 || l.burst != 50 {
		t.Fatalf("default rate %v/s burst %v, want 50/s burst 50", l.rate, l.burst)
	}
	// The first second's worth goes at once, then one every 20ms.
	ctx := context.Background()
	start := ft.now()
	for range 3000 {
		if err := l.wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// 3,000 requests at 50 a second with a burst of 50: 2,950 wait 20ms each.
	if got, want := ft.now().Sub(start), 59*time.Second; got < want-time.Millisecond || got > want+time.Millisecond {
		t.Errorf("3000 requests took %v, want about %v", got, want)
	}
}

func TestLimiterTable(t *testing.T) {
	tests := []struct {
		name      string
		perMinute int
		idle      time.Duration // before the calls
		calls     int
		wantWaits []time.Duration // the non-zero sleeps, in order
	}{
		{"burst then paced", 120, 0, 4, []time.Duration{500 * time.Millisecond, 500 * time.Millisecond}},
		{"slow rate has a burst of one", 30, 0, 3, []time.Duration{2 * time.Second, 2 * time.Second}},
		{"idle refills no further than the burst", 120, time.Hour, 4, []time.Duration{500 * time.Millisecond, 500 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, ft := newTestLimiter(tt.perMinute)
			ft.advance(tt.idle)
			for range tt.calls {
				if err := l.wait(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if len(ft.slept) != len(tt.wantWaits) {
				t.Fatalf("slept %v, want %v", ft.slept, tt.wantWaits)
			}
			for i := range ft.slept {
				if d := ft.slept[i] - tt.wantWaits[i]; d < -time.Microsecond || d > time.Microsecond {
					t.Errorf("sleep %d = %v, want %v", i, ft.slept[i], tt.wantWaits[i])
				}
			}
		})
	}
}

func TestLimiterCancelReturnsToken(t *testing.T) {
	l, _ := newTestLimiter(60) // 1 a second, burst 1
	if err := l.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The cancelled caller's token came back: the next waits one second,
	// not two.
	if d := l.reserve(); d != time.Second {
		t.Errorf("next wait %v, want 1s", d)
	}
}

func TestLimiterUnlimited(t *testing.T) {
	var l *limiter = newLimiter(-1)
	if l != nil {
		t.Fatal("negative rate should mean no limiter")
	}
	if err := l.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestLimiterRealClock(t *testing.T) {
	// 600 a minute = 10 a second, burst 10: 15 calls take about half a second.
	l := newLimiter(600)
	start := time.Now()
	var wg sync.WaitGroup
	for range 15 {
		wg.Go(func() {
			if err := l.wait(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if el := time.Since(start); el < 400*time.Millisecond || el > 3*time.Second {
		t.Errorf("15 calls at 10/s with burst 10 took %v, want about 500ms", el)
	}
}

func BenchmarkLimiterUnlimited(b *testing.B) {
	l := newLimiter(-1)
	ctx := context.Background()
	for b.Loop() {
		l.wait(ctx)
	}
}
