package notify

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// APIError is one entry of the errors list in Notify's error response:
// {"status_code":400,"errors":[{"error":"BadRequestError","message":"..."}]}.
// Notify says to act on the status code and the error type, never the
// message, which may change.
type APIError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// Error is what every Client method returns when Notify did not do what was
// asked, or when we cannot tell whether it did.
type Error struct {
	Op         string     // what was asked: "send sms", "status", "list by reference"
	StatusCode int        // the HTTP status; 0 when no response came
	Errors     []APIError // Notify's own explanation, when it gave one
	// RetryAfter is how long Notify asked us to wait (a 429 or 503 with a
	// Retry-After header); 0 when it did not say.
	RetryAfter time.Duration
	// Temporary: trying again later may succeed (429, 5xx, network errors,
	// timeouts). Otherwise the request is wrong and will fail again.
	Temporary bool
	// UnknownOutcome: the request was sent but no answer came, so Notify may
	// have accepted it. Before sending again, look the reference up.
	UnknownOutcome bool
	Err            error // the underlying network or decoding error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("notify: ")
	b.WriteString(e.Op)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": status %d", e.StatusCode)
	}
	for i, ae := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(ae.Error)
		if ae.Message != "" {
			b.WriteString(" ")
			b.WriteString(ae.Message)
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.UnknownOutcome {
		b.WriteString(" (outcome unknown: look up the reference before sending again)")
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Has reports whether Notify's response named the error type typ, such as
// "RateLimitError" or "TooManyRequestsError".
func (e *Error) Has(typ string) bool {
	for _, ae := range e.Errors {
		if ae.Error == typ {
			return true
		}
	}
	return false
}

// IsTemporary reports whether err is an *Error that may succeed if tried
// again later. Any other non-nil error is taken as permanent.
func IsTemporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Temporary
}

// IsUnknownOutcome reports whether err says the request may have reached
// Notify: before trying again, look the reference up.
func IsUnknownOutcome(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.UnknownOutcome
}

// RetryAfter returns how long Notify asked us to wait before trying again,
// or 0 when it did not say.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// temporaryStatus reports whether an HTTP status may go away on its own.
// 429 is a rate or daily limit; 5xx is Notify's fault ("resend your
// notification"). 400, 403 and 404 will fail again.
func temporaryStatus(code int) bool {
	return code == http.StatusTooManyRequests || code == http.StatusRequestTimeout || code >= 500
}

// unknownStatus reports whether a gateway status leaves a send's outcome
// unknown: a proxy that gave up waiting may have passed the request on.
// Notify's own 500 says the request was not processed.
func unknownStatus(code int) bool {
	return code == http.StatusBadGateway || code == http.StatusGatewayTimeout
}

// maxRetryAfter caps a Retry-After so that a bad header cannot park a
// channel for days.
const maxRetryAfter = time.Hour

// parseRetryAfter reads a Retry-After header: either a number of seconds or
// an HTTP date, which counts from now. It returns 0 for an absent, malformed
// or past value, and caps the wait at an hour.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n >= int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	if d <= 0 {
		return 0
	}
	return min(d, maxRetryAfter)
}
