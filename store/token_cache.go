package store

import (
	"sync"
	"time"

	"tether"
)

// An API token's user is read from the database at most once every
// tokenCacheTTL on each instance: a desk or a service sends many requests
// a second with one token, and on SQLite each read after a write starts
// from an empty page cache (the writer changed the database), which made
// the token's read a quarter of a check-in's time in the handler. A token
// revoked, or a user disabled or given another role, on this instance
// stops answering at once (the cache is cleared when the change
// commits); on another instance sharing the database, within
// tokenCacheTTL. Entries are keyed by the token's SHA-256, never by the
// token, and hold no personal data beyond the user's account.

const (
	// tokenCacheTTL is how long a token's user read from the database
	// answers for the token.
	tokenCacheTTL = 2 * time.Second
	// tokenCacheMax bounds the tokens remembered.
	tokenCacheMax = 10000
)

// tokenCache remembers the users of tokens lately used, timed by the
// database's clock.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]tokenCached
}

type tokenCached struct {
	user        tether.User
	read, until time.Time
}

// fresh is whether an entry read at read answers at now.
func (e tokenCached) fresh(now time.Time) bool { return !now.Before(e.read) && now.Before(e.until) }

// get is the user of the token of hash, when read within tokenCacheTTL
// before now: a copy, which the caller may change.
func (c *tokenCache) get(hash []byte, now time.Time) (*tether.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[string(hash)]
	if !ok {
		return nil, false
	}
	if !e.fresh(now) {
		delete(c.m, string(hash))
		return nil, false
	}
	u := e.user
	return &u, true
}

// put remembers u, read at now, as the user of the token of hash.
func (c *tokenCache) put(hash []byte, u *tether.User, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]tokenCached)
	}
	if len(c.m) >= tokenCacheMax {
		for k, e := range c.m {
			if !e.fresh(now) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= tokenCacheMax {
			clear(c.m)
		}
	}
	c.m[string(hash)] = tokenCached{user: *u, read: now, until: now.Add(tokenCacheTTL)}
}

// clear forgets every token: after a token is revoked, or a user's role or
// state changes.
func (c *tokenCache) clear() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}
