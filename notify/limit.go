package notify

import (
	"context"
	"sync"
	"time"
)

// DefaultRatePerMinute is Notify's published limit per API key.
const DefaultRatePerMinute = 3000

// limiter is a token bucket shared by every request a Client makes, so that
// all the dispatchers using one key stay under Notify's per-key limit
// instead of meeting 429s. It hands out reservations: a caller takes a
// token now and waits until the bucket would have held it.
type limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens a second
	burst  float64
	tokens float64
	last   time.Time

	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// newLimiter returns a bucket of perMinute tokens a minute holding at most
// one second's worth (at least one), starting full; nil for perMinute < 0,
// which means no limit.
func newLimiter(perMinute int) *limiter {
	if perMinute < 0 {
		return nil
	}
	if perMinute == 0 {
		perMinute = DefaultRatePerMinute
	}
	rate := float64(perMinute) / 60
	burst := max(1, rate)
	return &limiter{rate: rate, burst: burst, tokens: burst, now: time.Now, sleep: sleepCtx}
}

// reserve takes a token and says how long to wait before using it.
func (l *limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !l.last.IsZero() {
		if el := now.Sub(l.last); el > 0 {
			l.tokens = min(l.burst, l.tokens+el.Seconds()*l.rate)
		}
	}
	l.last = now
	l.tokens--
	if l.tokens >= 0 {
		return 0
	}
	return time.Duration(-l.tokens / l.rate * float64(time.Second))
}

// cancel gives back a token whose caller gave up waiting.
func (l *limiter) cancel() {
	l.mu.Lock()
	l.tokens = min(l.burst, l.tokens+1)
	l.mu.Unlock()
}

// wait blocks until the caller may send, or ctx ends.
func (l *limiter) wait(ctx context.Context) error {
	if l == nil {
		return nil
	}
	d := l.reserve()
	if d <= 0 {
		return nil
	}
	if err := l.sleep(ctx, d); err != nil {
		l.cancel()
		return err
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
