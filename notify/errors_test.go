package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{"1", time.Second},
		{" 120 ", 2 * time.Minute},
		{"3600", time.Hour},
		{"999999999999", time.Hour}, // capped
		{"99999999999999999999", 0}, // overflows: malformed
		{"1.5", 0},
		{"soon", 0},
		{"Mon, 02 Mar 2026 10:00:30 GMT", 30 * time.Second},
		{"Monday, 02-Mar-26 10:01:00 GMT", time.Minute}, // RFC 850
		{"Mon Mar  2 10:00:10 2026", 10 * time.Second},  // asctime
		{"Mon, 02 Mar 2026 09:59:00 GMT", 0},            // past
		{"Tue, 03 Mar 2026 10:00:00 GMT", time.Hour},    // capped
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestErrorClassification runs the client against a server that answers
// each status, and checks what the error says about retrying.
func TestErrorClassification(t *testing.T) {
	tests := []struct {
		status     int
		body       string
		retryAfter string
		temporary  bool
		unknown    bool
		wait       time.Duration
		typ        string
	}{
		{400, `{"status_code":400,"errors":[{"error":"BadRequestError","message":"Can't send to this recipient using a team-only API key"}]}`, "", false, false, 0, "BadRequestError"},
		{400, `{"status_code":400,"errors":[{"error":"ValidationError","message":"phone_number Not a UK mobile number"}]}`, "", false, false, 0, "ValidationError"},
		{401, `{"status_code":401,"errors":[{"error":"AuthError","message":"Unauthorized: authentication token must be provided"}]}`, "", false, false, 0, "AuthError"},
		{403, `{"status_code":403,"errors":[{"error":"AuthError","message":"Invalid token: API key not found"}]}`, "", false, false, 0, "AuthError"},
		{404, `{"status_code":404,"errors":[{"error":"NoResultFound","message":"No result found"}]}`, "", false, false, 0, "NoResultFound"},
		{429, `{"status_code":429,"errors":[{"error":"RateLimitError","message":"Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"}]}`, "7", true, false, 7 * time.Second, "RateLimitError"},
		{429, `{"status_code":429,"errors":[{"error":"TooManyRequestsError","message":"Exceeded send limits (250000) for today"}]}`, "", true, false, 0, "TooManyRequestsError"},
		{500, `{"status_code":500,"errors":[{"error":"Exception","message":"Internal server error"}]}`, "", true, false, 0, "Exception"},
		{502, `<html>Bad gateway</html>`, "", true, true, 0, ""},
		{503, ``, "30", true, false, 30 * time.Second, ""},
		{504, `<html>Gateway timeout</html>`, "", true, true, 0, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status, tt.typ), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			}))
			defer srv.Close()
			c, err := New(Config{APIKey: testKey, BaseURL: srv.URL, RatePerMinute: -1})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.SendSMS(context.Background(), Request{TemplateID: testTemplate, To: "07700900123", Reference: "ref-1"})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if e.StatusCode != tt.status {
				t.Errorf("StatusCode = %d, want %d", e.StatusCode, tt.status)
			}
			if IsTemporary(err) != tt.temporary {
				t.Errorf("IsTemporary = %v, want %v", IsTemporary(err), tt.temporary)
			}
			if IsUnknownOutcome(err) != tt.unknown {
				t.Errorf("IsUnknownOutcome = %v, want %v", IsUnknownOutcome(err), tt.unknown)
			}
			if RetryAfter(err) != tt.wait {
				t.Errorf("RetryAfter = %v, want %v", RetryAfter(err), tt.wait)
			}
			if tt.typ != "" && !e.Has(tt.typ) {
				t.Errorf("errors %v do not name %s", e.Errors, tt.typ)
			}
			if IsNotFound(err) != (tt.status == 404) {
				t.Errorf("IsNotFound = %v", IsNotFound(err))
			}
			if !strings.Contains(err.Error(), fmt.Sprint(tt.status)) {
				t.Errorf("message %q does not give the status", err)
			}
		})
	}
}

func TestErrorHelpersOnOtherErrors(t *testing.T) {
	for _, err := range []error{nil, errors.New("plain"), context.Canceled} {
		if IsTemporary(err) || IsUnknownOutcome(err) || RetryAfter(err) != 0 || IsNotFound(err) {
			t.Errorf("helpers claim something about %v", err)
		}
	}
	wrapped := fmt.Errorf("dispatch: %w", &Error{Op: "send sms", Temporary: true, UnknownOutcome: true, RetryAfter: time.Second})
	if !IsTemporary(wrapped) || !IsUnknownOutcome(wrapped) || RetryAfter(wrapped) != time.Second {
		t.Errorf("helpers do not see through wrapping: %v", wrapped)
	}
}

const (
	testKey      = "tether_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
	testTemplate = "f33517ff-2a88-4f6e-b855-c550268ce08a"
)
