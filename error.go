package tether

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. Each service method documents which it returns; the web
// package maps them to HTTP statuses in one place.
const (
	EINVALID      = "invalid"      // bad input; Fields says which and why
	ENOTFOUND     = "not_found"    // no such record, or not visible to the actor
	ECONFLICT     = "conflict"     // the record changed meanwhile, or a unique value is taken
	EUNAUTHORIZED = "unauthorized" // no valid session or token
	EFORBIDDEN    = "forbidden"    // signed in, but the role may not do this
	ETOOMANY      = "too_many"     // throttled
	EINTERNAL     = "internal"     // a fault of ours; logged, never shown in detail
)

// Error is the one error type the domain returns to its callers.
type Error struct {
	Code    string
	Message string
	// Fields maps a field path (for example "contact_points[0].postcode")
	// to the reason it was refused.
	Fields map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("tether error: code=%s message=%s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k + ": " + e.Fields[k])
	}
	return fmt.Sprintf("tether error: code=%s message=%s fields=%s", e.Code, e.Message, b.String())
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an *Error, or a generic message for any
// other error, so that internal details never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorFields returns the field reasons of an *Error, or nil.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors during validation.
type Problems map[string]string

// Add records a reason for a field; the first reason for a field wins.
func (p Problems) Add(field, reason string) {
	if _, ok := p[field]; !ok {
		p[field] = reason
	}
}

// Merge adds every problem of q under the prefix ("contact_points[0].").
func (p Problems) Merge(prefix string, q Problems) {
	for k, v := range q {
		p.Add(prefix+k, v)
	}
}

// Err returns an EINVALID *Error listing the problems, or nil when there are none.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	msg := "Check the highlighted fields."
	if len(p) == 1 {
		for k, v := range p {
			msg = k + ": " + v
		}
	}
	return &Error{Code: EINVALID, Message: msg, Fields: map[string]string(p)}
}

// Invalid returns an EINVALID *Error for one field.
func Invalid(field, reason string) *Error {
	return &Error{Code: EINVALID, Message: field + ": " + reason, Fields: map[string]string{field: reason}}
}
