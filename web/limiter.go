package web

import (
	"sync"
	"time"

	"tether"
)

// signInLimiter throttles sign-in attempts per key (the client address and,
// separately, the email), so that passwords cannot be guessed quickly. It is
// per instance: with many instances the effective limit is that many times
// higher, which still makes guessing slow. (check)
type signInLimiter struct {
	mu     sync.Mutex
	clock  tether.Clock
	events map[string][]time.Time
}

// Sign-in limits: at most signInBurst failures per key in signInWindow.
const (
	signInBurst  = 5
	signInWindow = 15 * time.Minute
)

func newSignInLimiter(clock tether.Clock) *signInLimiter {
	return &signInLimiter{clock: clock, events: map[string][]time.Time{}}
}

// allowed reports whether another attempt may be made for every key now.
func (l *signInLimiter) allowed(keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	for _, k := range keys {
		if len(l.prune(k, now)) >= signInBurst {
			return false
		}
	}
	return true
}

// failed records a failed attempt for every key.
func (l *signInLimiter) failed(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	if len(l.events) > 100_000 {
		// Bound memory under a spray of addresses: forget the oldest state.
		clear(l.events)
	}
	for _, k := range keys {
		l.events[k] = append(l.prune(k, now), now)
	}
}

// succeeded clears the keys' failures.
func (l *signInLimiter) succeeded(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		delete(l.events, k)
	}
}

func (l *signInLimiter) prune(k string, now time.Time) []time.Time {
	ev := l.events[k]
	i := 0
	for i < len(ev) && now.Sub(ev[i]) > signInWindow {
		i++
	}
	ev = ev[i:]
	if len(ev) == 0 {
		delete(l.events, k)
		return nil
	}
	l.events[k] = ev
	return ev
}
