package notifytest_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"tether/notify"
	"tether/notify/notifytest"
)

func jwt(header, claims, secret string) string {
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(m.Sum(nil))
}

func TestTokenChecks(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	srv := notifytest.Start(t, notifytest.Options{Now: func() time.Time { return now }})
	const hs = `{"typ":"JWT","alg":"HS256"}`
	good := fmt.Sprintf(`{"iss":"%s","iat":%d}`, notifytest.DefaultServiceID, now.Unix())
	tests := []struct {
		name   string
		auth   string
		status int
	}{
		{"good", "Bearer " + jwt(hs, good, notifytest.DefaultSecretKey), 200},
		{"float iat", "Bearer " + jwt(hs, fmt.Sprintf(`{"iss":"%s","iat":%d.5}`, notifytest.DefaultServiceID, now.Unix()), notifytest.DefaultSecretKey), 200},
		{"none", "", 401},
		{"basic", "Basic abc", 401},
		{"two parts", "Bearer a.b", 403},
		{"alg none", "Bearer " + jwt(`{"typ":"JWT","alg":"none"}`, good, notifytest.DefaultSecretKey), 403},
		{"wrong secret", "Bearer " + jwt(hs, good, "nope"), 403},
		{"wrong iss", "Bearer " + jwt(hs, fmt.Sprintf(`{"iss":"x","iat":%d}`, now.Unix()), notifytest.DefaultSecretKey), 403},
		{"no iat", "Bearer " + jwt(hs, fmt.Sprintf(`{"iss":"%s"}`, notifytest.DefaultServiceID), notifytest.DefaultSecretKey), 403},
		{"iat 31s old", "Bearer " + jwt(hs, fmt.Sprintf(`{"iss":"%s","iat":%d}`, notifytest.DefaultServiceID, now.Unix()-31), notifytest.DefaultSecretKey), 403},
		{"stripped signature", "Bearer " + jwt(hs, good, notifytest.DefaultSecretKey)[:strings.LastIndexByte(jwt(hs, good, notifytest.DefaultSecretKey), '.')+1], 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+"/v2/notifications", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, b)
			}
			if tt.status != 200 {
				var body struct {
					StatusCode int `json:"status_code"`
					Errors     []struct{ Error, Message string }
				}
				if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.StatusCode != tt.status ||
					len(body.Errors) != 1 || body.Errors[0].Error != "AuthError" {
					t.Errorf("error body %+v, %v", body, err)
				}
			}
		})
	}
}

// TestSeededFaultsRepeat: the same seed gives the same faults.
func TestSeededFaultsRepeat(t *testing.T) {
	run := func() string {
		srv := notifytest.Start(t, notifytest.Options{FaultRate: 0.5, Seed: 42, RandomFaults: []notifytest.Fault{notifytest.Error500, notifytest.RateLimited}})
		c, _ := notify.New(notify.Config{APIKey: srv.APIKey(), BaseURL: srv.URL, RatePerMinute: -1})
		var b strings.Builder
		for i := range 40 {
			_, err := c.SendSMS(context.Background(), notify.Request{TemplateID: notifytest.TemplateID, To: "07700900123", Reference: fmt.Sprint(i)})
			var e *notify.Error
			switch {
			case err == nil:
				b.WriteByte('.')
			case errors.As(err, &e):
				fmt.Fprint(&b, e.StatusCode)
			default:
				t.Fatal(err)
			}
		}
		return b.String()
	}
	a, b := run(), run()
	if a != b {
		t.Errorf("same seed, different faults:\n%s\n%s", a, b)
	}
	if !strings.Contains(a, ".") || !strings.Contains(a, "500") || !strings.Contains(a, "429") {
		t.Errorf("faults %s: want a mix at rate 0.5", a)
	}
}

func TestCloseWakesSlowRequest(t *testing.T) {
	srv := notifytest.New(notifytest.Options{Faults: map[int]notifytest.Fault{1: notifytest.Slow}, SlowDelay: time.Hour})
	c, _ := notify.New(notify.Config{APIKey: srv.APIKey(), BaseURL: srv.URL, RatePerMinute: -1, Timeout: -1})
	errc := make(chan error, 1)
	go func() {
		_, err := c.SendSMS(context.Background(), notify.Request{TemplateID: notifytest.TemplateID, To: "07700900123", Reference: "slow"})
		errc <- err
	}()
	for srv.Count() == 0 {
		time.Sleep(time.Millisecond)
	}
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for the slow request")
	}
	if err := <-errc; !notify.IsUnknownOutcome(err) {
		t.Errorf("err = %v, want an unknown outcome", err)
	}
}

func TestListFilters(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{})
	c, _ := notify.New(notify.Config{APIKey: srv.APIKey(), BaseURL: srv.URL, RatePerMinute: -1})
	ctx := context.Background()
	c.SendSMS(ctx, notify.Request{TemplateID: notifytest.TemplateID, To: notifytest.PermanentFailurePhone, Reference: "a"})
	c.SendEmail(ctx, notify.Request{TemplateID: notifytest.TemplateID, To: "x@example.org", Reference: "b"})
	srv.Settle()
	get := func(q string) []string {
		req, _ := http.NewRequest("GET", srv.URL+"/v2/notifications?"+q, nil)
		req.Header.Set("Authorization", "Bearer "+jwt(`{"typ":"JWT","alg":"HS256"}`,
			fmt.Sprintf(`{"iss":"%s","iat":%d}`, notifytest.DefaultServiceID, time.Now().Unix()), notifytest.DefaultSecretKey))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var page struct {
			Notifications []struct{ Reference string }
		}
		json.NewDecoder(resp.Body).Decode(&page)
		var refs []string
		for _, n := range page.Notifications {
			refs = append(refs, n.Reference)
		}
		return refs
	}
	for q, want := range map[string]string{
		"":                                "b a",
		"template_type=sms":               "a",
		"status=failed":                   "a",
		"status=delivered":                "b",
		"reference=b":                     "b",
		"reference=c":                     "",
		"template_type=email&reference=a": "",
	} {
		if got := strings.Join(get(q), " "); got != want {
			t.Errorf("?%s: got %q, want %q", q, got, want)
		}
	}
}
