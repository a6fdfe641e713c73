package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tether/notify"
	"tether/notify/notifytest"
)

const template = notifytest.TemplateID

func newClient(t testing.TB, srv *notifytest.Server, mod ...func(*notify.Config)) *notify.Client {
	t.Helper()
	cfg := notify.Config{APIKey: srv.APIKey(), BaseURL: srv.URL, RatePerMinute: -1, Timeout: 5 * time.Second}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := notify.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSendEachChannel(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{})
	c := newClient(t, srv)
	ctx := context.Background()

	email, err := c.SendEmail(ctx, notify.Request{
		TemplateID: template, To: "amala@example.org", Reference: "notice-1-email",
		Personalisation: map[string]string{"name": "Amala"},
		EmailReplyToID:  "8e222534-7f05-4972-86e3-17c5d9f894e2",
	})
	if err != nil {
		t.Fatal(err)
	}
	sms, err := c.SendSMS(ctx, notify.Request{TemplateID: template, To: "+447700900123", Reference: "notice-1-sms"})
	if err != nil {
		t.Fatal(err)
	}
	letter, err := c.SendLetter(ctx, notify.Request{
		TemplateID: template, Reference: "notice-1-letter",
		Address: []string{"Amala Okoye", "1 High Street", "Leeds", "LS1 1AA"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []notify.Response{email, sms, letter} {
		if !notify.IsUUID(r.ID) || r.Template.ID != template || r.URI == "" {
			t.Errorf("response %+v", r)
		}
	}
	if email.Reference != "notice-1-email" || email.Content.Subject == "" || email.Content.FromEmail == "" {
		t.Errorf("email response %+v", email)
	}
	if sms.Content.FromNumber == "" {
		t.Errorf("sms response %+v", sms)
	}

	// What the fake stored is what was asked.
	got, ok := srv.Get(letter.ID)
	if !ok {
		t.Fatal("letter not stored")
	}
	if got.Type != "letter" || got.Personalisation["address_line_4"] != "LS1 1AA" || got.To != "Amala Okoye" {
		t.Errorf("stored letter %+v", got)
	}
	if e, _ := srv.Get(email.ID); e.Personalisation["name"] != "Amala" || e.To != "amala@example.org" {
		t.Errorf("stored email %+v", e)
	}

	// Status look-up.
	n, err := c.Status(ctx, sms.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n.ID != sms.ID || n.Type != "sms" || n.Status != notify.StatusCreated || n.PhoneNumber != "+447700900123" ||
		n.Reference != "notice-1-sms" || n.CreatedAt.IsZero() || n.Template.Version != 1 {
		t.Errorf("status %+v", n)
	}
	if n, err := c.Status(ctx, letter.ID); err != nil || n.Status != notify.StatusAccepted || n.Line1 != "Amala Okoye" || n.Line4 != "LS1 1AA" {
		t.Errorf("letter status %+v, %v", n, err)
	}
	srv.Settle()
	n, err = c.Status(ctx, sms.ID)
	if err != nil || n.Status != notify.StatusDelivered || n.CompletedAt == nil || n.SentAt == nil {
		t.Errorf("settled status %+v, %v", n, err)
	}
	if n, _ := c.Status(ctx, letter.ID); n.Status != notify.StatusReceived {
		t.Errorf("settled letter status %q", n.Status)
	}

	// List by reference.
	list, err := c.ListByReference(ctx, "notice-1-email")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != email.ID || list[0].EmailAddress != "amala@example.org" {
		t.Errorf("list = %+v", list)
	}
	if list, err := c.ListByReference(ctx, "never-sent"); err != nil || len(list) != 0 {
		t.Errorf("list for an unknown reference = %v, %v", list, err)
	}
	if srv.Count() != 3 || srv.Duplicates() != 0 {
		t.Errorf("Count %d Duplicates %d", srv.Count(), srv.Duplicates())
	}
}

func TestStatusNotFound(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{})
	c := newClient(t, srv)
	_, err := c.Status(context.Background(), "740e5834-3a29-46b4-9a6f-16142fde533a")
	if !notify.IsNotFound(err) || notify.IsTemporary(err) {
		t.Errorf("err = %v, want a permanent not found", err)
	}
	reqs := srv.Requests()
	if _, err := c.Status(context.Background(), "not-a-uuid"); err == nil || notify.IsTemporary(err) {
		t.Errorf("err = %v, want a permanent error", err)
	}
	if srv.Requests() != reqs {
		t.Error("an invalid id was sent to Notify")
	}
}

func TestListByReferencePages(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	// Many under one reference, as a batch reference would be.
	for i := range 260 {
		if _, err := c.SendSMS(ctx, notify.Request{TemplateID: template, To: fmt.Sprintf("0770090%04d", i), Reference: "batch"}); err != nil {
			t.Fatal(err)
		}
	}
	list, err := c.ListByReference(ctx, "batch")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 260 {
		t.Fatalf("listed %d, want 260 over two pages", len(list))
	}
	seen := map[string]bool{}
	for _, n := range list {
		if seen[n.ID] {
			t.Fatalf("%s listed twice", n.ID)
		}
		seen[n.ID] = true
	}
	if srv.Duplicates() != 1 {
		t.Errorf("Duplicates = %d, want 1 (one reference sent 260 times)", srv.Duplicates())
	}
}

func TestRequestChecks(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	good := notify.Request{TemplateID: template, To: "07700900123", Reference: "r"}
	tests := []struct {
		name string
		send func(context.Context, notify.Request) (notify.Response, error)
		mod  func(*notify.Request)
		want string
	}{
		{"template not a uuid", c.SendSMS, func(r *notify.Request) { r.TemplateID = "welcome" }, "template_id"},
		{"no recipient", c.SendSMS, func(r *notify.Request) { r.To = " " }, "recipient"},
		{"no reference", c.SendEmail, func(r *notify.Request) { r.Reference = "" }, "reference"},
		{"reference too long", c.SendSMS, func(r *notify.Request) { r.Reference = strings.Repeat("x", 1001) }, "reference"},
		{"bad sms sender", c.SendSMS, func(r *notify.Request) { r.SMSSenderID = "x" }, "sms_sender_id"},
		{"bad reply-to", c.SendEmail, func(r *notify.Request) { r.EmailReplyToID = "x" }, "email_reply_to_id"},
		{"letter without address", c.SendLetter, func(r *notify.Request) {}, "address"},
		{"letter with 8 lines", c.SendLetter, func(r *notify.Request) { r.Address = make([]string, 8) }, "address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			tt.mod(&r)
			_, err := tt.send(ctx, r)
			if err == nil || notify.IsTemporary(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a permanent error about %s", err, tt.want)
			}
		})
	}
	if srv.Requests() != 0 {
		t.Errorf("%d refused requests reached Notify", srv.Requests())
	}
	// The fake refuses what Notify refuses, and the client says it is
	// permanent.
	_, err := c.SendEmail(ctx, notify.Request{TemplateID: template, To: "not-an-address", Reference: "r"})
	var e *notify.Error
	if !errors.As(err, &e) || e.StatusCode != 400 || !e.Has("ValidationError") || notify.IsTemporary(err) {
		t.Errorf("err = %v, want a permanent 400 ValidationError", err)
	}
	// A letter's personalisation may carry the address itself.
	if _, err := c.SendLetter(ctx, notify.Request{TemplateID: template, Reference: "r2",
		Personalisation: map[string]string{"address_line_1": "A", "address_line_2": "B", "address_line_3": "SW1A 1AA"}}); err != nil {
		t.Errorf("letter with address in personalisation: %v", err)
	}
}

func TestAuth(t *testing.T) {
	now := time.Now()
	srv := notifytest.Start(t, notifytest.Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	req := notify.Request{TemplateID: template, To: "07700900123", Reference: "r"}

	tests := []struct {
		name string
		mod  func(*notify.Config)
		ok   bool
	}{
		{"good token", func(*notify.Config) {}, true},
		{"clock 29s behind", func(c *notify.Config) { c.Now = func() time.Time { return now.Add(-29 * time.Second) } }, true},
		{"clock 31s ahead", func(c *notify.Config) { c.Now = func() time.Time { return now.Add(31 * time.Second) } }, false},
		{"clock 31s behind", func(c *notify.Config) { c.Now = func() time.Time { return now.Add(-31 * time.Second) } }, false},
		{"wrong secret", func(c *notify.Config) {
			c.APIKey = strings.Replace(c.APIKey, notifytest.DefaultSecretKey, "00000000-0000-4000-8000-000000000000", 1)
		}, false},
		{"wrong service", func(c *notify.Config) {
			c.APIKey = strings.Replace(c.APIKey, notifytest.DefaultServiceID, "00000000-0000-4000-8000-000000000000", 1)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, srv, tt.mod)
			_, err := c.SendSMS(ctx, req)
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *notify.Error
			if !errors.As(err, &e) || e.StatusCode != 403 || !e.Has("AuthError") || notify.IsTemporary(err) {
				t.Errorf("err = %v, want a permanent 403 AuthError", err)
			}
		})
	}

	// A fresh token each request: a client used across more than 30
	// seconds keeps working.
	var clock atomic.Int64
	clock.Store(now.Unix())
	srv2 := notifytest.Start(t, notifytest.Options{Now: func() time.Time { return time.Unix(clock.Load(), 0) }})
	c := newClient(t, srv2, func(cfg *notify.Config) { cfg.Now = func() time.Time { return time.Unix(clock.Load(), 0) } })
	for range 3 {
		if _, err := c.SendSMS(ctx, req); err != nil {
			t.Fatal(err)
		}
		clock.Add(60)
	}
}

func TestFaults(t *testing.T) {
	ctx := context.Background()
	req := func(ref string) notify.Request {
		return notify.Request{TemplateID: template, To: "07700900123", Reference: ref}
	}

	t.Run("500 is temporary and nothing was stored", func(t *testing.T) {
		srv := notifytest.Start(t, notifytest.Options{Faults: map[int]notifytest.Fault{1: notifytest.Error500}})
		c := newClient(t, srv)
		_, err := c.SendSMS(ctx, req("a"))
		if !notify.IsTemporary(err) || notify.IsUnknownOutcome(err) {
			t.Fatalf("err = %v, want temporary with a known outcome", err)
		}
		if srv.Count() != 0 {
			t.Error("a 500 stored the notification")
		}
		if _, err := c.SendSMS(ctx, req("a")); err != nil {
			t.Fatalf("retry: %v", err)
		}
		if srv.Duplicates() != 0 {
			t.Error("retry after a 500 sent twice")
		}
	})

	t.Run("503 is temporary with Retry-After", func(t *testing.T) {
		srv := notifytest.Start(t, notifytest.Options{Faults: map[int]notifytest.Fault{1: notifytest.Error503}, RetryAfter: 3 * time.Second})
		_, err := newClient(t, srv).SendEmail(ctx, notify.Request{TemplateID: template, To: "a@example.org", Reference: "b"})
		if !notify.IsTemporary(err) || notify.RetryAfter(err) != 3*time.Second {
			t.Fatalf("err = %v, want temporary, retry after 3s", err)
		}
	})

	t.Run("429 sets RetryAfter", func(t *testing.T) {
		srv := notifytest.Start(t, notifytest.Options{Faults: map[int]notifytest.Fault{1: notifytest.RateLimited}, RetryAfter: 5 * time.Second})
		_, err := newClient(t, srv).SendSMS(ctx, req("c"))
		var e *notify.Error
		if !errors.As(err, &e) || e.StatusCode != 429 || !e.Has("RateLimitError") || !e.Temporary || e.RetryAfter != 5*time.Second {
			t.Fatalf("err = %#v, want 429 RateLimitError, retry after 5s", err)
		}
	})

	t.Run("timeout is temporary, outcome unknown, found by reference", func(t *testing.T) {
		srv := notifytest.Start(t, notifytest.Options{Faults: map[int]notifytest.Fault{1: notifytest.Slow}, SlowDelay: 10 * time.Second})
		c := newClient(t, srv, func(cfg *notify.Config) { cfg.Timeout = 200 * time.Millisecond })
		start := time.Now()
		_, err := c.SendSMS(ctx, req("d"))
		if time.Since(start) > 5*time.Second {
			t.Errorf("the timeout took %v", time.Since(start))
		}
		if !notify.IsTemporary(err) || !notify.IsUnknownOutcome(err) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want temporary, outcome unknown, deadline exceeded", err)
		}
		list, err := c.ListByReference(ctx, "d")
		if err != nil || len(list) != 1 {
			t.Fatalf("look-up by reference = %v, %v; want the one stored", list, err)
		}
	})

	t.Run("dropped connection: outcome unknown, stored, found by reference", func(t *testing.T) {
		srv := notifytest.Start(t, notifytest.Options{Faults: map[int]notifytest.Fault{1: notifytest.Drop}})
		c := newClient(t, srv)
		_, err := c.SendLetter(ctx, notify.Request{TemplateID: template, Reference: "e", Address: []string{"1 Road", "Town", "AB1 2CD"}})
		if !notify.IsTemporary(err) || !notify.IsUnknownOutcome(err) {
			t.Fatalf("err = %v, want temporary with outcome unknown", err)
		}
		if !strings.Contains(err.Error(), "outcome unknown") {
			t.Errorf("message %q does not say the outcome is unknown", err)
		}
		if srv.Count() != 1 || srv.Sends("e") != 1 {
			t.Fatalf("fake stored %d (%d for e), want the dropped send stored", srv.Count(), srv.Sends("e"))
		}
		// What a dispatcher does: look up before sending again.
		list, err := c.ListByReference(ctx, "e")
		if err != nil || len(list) != 1 || list[0].Type != "letter" {
			t.Fatalf("look-up by reference = %+v, %v", list, err)
		}
		if srv.Duplicates() != 0 {
			t.Error("duplicate")
		}
	})

	t.Run("a refused connection is temporary and certainly not sent", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		url := dead.URL
		dead.Close()
		c, err := notify.New(notify.Config{APIKey: notifytest.New(notifytest.Options{}).APIKey(), BaseURL: url, RatePerMinute: -1})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.SendSMS(ctx, req("f"))
		if !notify.IsTemporary(err) || notify.IsUnknownOutcome(err) {
			t.Fatalf("err = %v, want temporary with a known outcome (never sent)", err)
		}
	})

	t.Run("dropped look-up is temporary, not an unknown outcome", func(t *testing.T) {
		// net/http replays an idempotent GET once on a fresh connection
		// when a reused one breaks, so drop the replay too.
		srv := notifytest.Start(t, notifytest.Options{Faults: map[int]notifytest.Fault{2: notifytest.Drop, 3: notifytest.Drop}})
		c := newClient(t, srv)
		r, err := c.SendSMS(ctx, req("g"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Status(ctx, r.ID)
		if !notify.IsTemporary(err) || notify.IsUnknownOutcome(err) {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestRandomFaultsNoDuplicates drives the fake with random faults the way
// a dispatcher should: retry temporary errors, and look up by reference
// before retrying an unknown outcome. Nothing is sent twice.
func TestRandomFaultsNoDuplicates(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{FaultRate: 0.3, Seed: 7})
	c := newClient(t, srv)
	ctx := context.Background()
	const notices = 200
	var wg sync.WaitGroup
	var failed atomic.Int32
	for i := range notices {
		wg.Go(func() {
			ref := fmt.Sprintf("notice-%d", i)
			unknown := false
			for attempt := 0; attempt < 50; attempt++ {
				if unknown {
					list, err := c.ListByReference(ctx, ref)
					if err != nil {
						continue
					}
					if len(list) > 0 {
						return
					}
				}
				_, err := c.SendSMS(ctx, notify.Request{TemplateID: template, To: "07700900123", Reference: ref})
				if err == nil {
					return
				}
				if !notify.IsTemporary(err) {
					t.Errorf("%s: permanent %v", ref, err)
					return
				}
				unknown = unknown || notify.IsUnknownOutcome(err)
			}
			failed.Add(1)
		})
	}
	wg.Wait()
	if failed.Load() > 0 {
		t.Errorf("%d notices never went", failed.Load())
	}
	if srv.Count() != notices || srv.Duplicates() != 0 {
		t.Errorf("stored %d, duplicates %d; want %d and 0", srv.Count(), srv.Duplicates(), notices)
	}
}

func TestRateLimitedClient(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{})
	// 600 a minute: a burst of 10, then one every 100ms.
	c := newClient(t, srv, func(cfg *notify.Config) { cfg.RatePerMinute = 600 })
	start := time.Now()
	for i := range 15 {
		if _, err := c.SendSMS(context.Background(), notify.Request{TemplateID: template, To: "07700900123", Reference: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 400*time.Millisecond {
		t.Errorf("15 sends at 10/s with a burst of 10 took %v, want about 500ms", el)
	}
	// A cancelled wait gives up at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.SendSMS(ctx, notify.Request{TemplateID: template, To: "07700900123", Reference: "x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestSimulatedRecipientsAndCallbacks(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{})
	c := newClient(t, srv)
	ctx := context.Background()

	const token = "callback-token"
	var mu sync.Mutex
	receipts := map[string]notify.Receipt{}
	var returned []notify.ReturnedLetter
	mux := http.NewServeMux()
	mux.HandleFunc("POST /notify/receipts", func(w http.ResponseWriter, r *http.Request) {
		if !notify.CheckBearer(r.Header.Get("Authorization"), token) {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		rc, err := notify.DecodeDeliveryReceipt(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		receipts[rc.Reference] = rc
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /notify/returned-letters", func(w http.ResponseWriter, r *http.Request) {
		if !notify.CheckBearer(r.Header.Get("Authorization"), token) {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		rl, err := notify.DecodeReturnedLetter(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		returned = append(returned, rl)
		mu.Unlock()
	})
	app := httptest.NewServer(mux)
	defer app.Close()

	sends := []struct {
		ref, to string
		email   bool
		want    string
	}{
		{"ok-sms", "07700900123", false, notify.StatusDelivered},
		{"perm-sms", notifytest.PermanentFailurePhone, false, notify.StatusPermanentFailure},
		{"perm-sms-intl", "+447700900002", false, notify.StatusPermanentFailure},
		{"temp-sms", notifytest.TemporaryFailurePhone, false, notify.StatusTemporaryFailure},
		{"ok-email", "a@example.org", true, notify.StatusDelivered},
		{"perm-email", notifytest.PermanentFailureEmail, true, notify.StatusPermanentFailure},
		{"temp-email", notifytest.TemporaryFailureEmail, true, notify.StatusTemporaryFailure},
	}
	for _, s := range sends {
		r := notify.Request{TemplateID: template, To: s.to, Reference: s.ref}
		var err error
		if s.email {
			_, err = c.SendEmail(ctx, r)
		} else {
			_, err = c.SendSMS(ctx, r)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	letter, err := c.SendLetter(ctx, notify.Request{TemplateID: template, Reference: "letter", Address: []string{"1 Road", "Town", "AB1 2CD"}})
	if err != nil {
		t.Fatal(err)
	}

	// A wrong token is refused, and nothing is marked as posted.
	if _, err := srv.DeliverReceipts(ctx, app.URL+"/notify/receipts", "wrong"); err == nil {
		t.Error("callback with a wrong token was accepted")
	}
	n, err := srv.DeliverReceipts(ctx, app.URL+"/notify/receipts", token)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(sends) {
		t.Errorf("posted %d receipts, want %d", n, len(sends))
	}
	for _, s := range sends {
		rc, ok := receipts[s.ref]
		if !ok {
			t.Errorf("no receipt for %s", s.ref)
			continue
		}
		if rc.Status != s.want || rc.To != s.to || rc.CompletedAt == nil {
			t.Errorf("%s: receipt %+v, want status %s", s.ref, rc, s.want)
		}
	}
	// Receipts are posted once.
	if n, err := srv.DeliverReceipts(ctx, app.URL+"/notify/receipts", token); err != nil || n != 0 {
		t.Errorf("second delivery posted %d, %v", n, err)
	}

	if err := srv.ReturnLetter(ctx, app.URL+"/notify/returned-letters", token, letter.ID); err != nil {
		t.Fatal(err)
	}
	if len(returned) != 1 || returned[0].NotificationID != letter.ID || returned[0].Reference != "letter" {
		t.Errorf("returned letters %+v", returned)
	}
	if err := srv.ReturnLetter(ctx, app.URL+"/notify/returned-letters", token, receipts["ok-sms"].ID); err == nil {
		t.Error("returned a text message")
	}
}

func TestReceiptJSONDecodes(t *testing.T) {
	n := notifytest.Notification{ID: "740e5834-3a29-46b4-9a6f-16142fde533a", Type: "email", To: "a@example.org",
		Status: "delivered", CreatedAt: time.Now(), TemplateID: template}
	rc, err := notify.DecodeDeliveryReceipt(strings.NewReader(string(notifytest.ReceiptJSON(n))))
	if err != nil {
		t.Fatal(err)
	}
	if rc.Reference != "" || rc.CompletedAt != nil {
		t.Errorf("%+v", rc)
	}
	var m map[string]any
	json.Unmarshal(notifytest.ReceiptJSON(n), &m)
	if m["reference"] != nil {
		t.Errorf("an empty reference is sent as %v, want null", m["reference"])
	}
}

// BenchmarkSendSMS measures sends a second through the client and the fake
// over loopback HTTP, with no rate limit. Run with -benchtime=100000x for
// the 100,000-send figure.
func BenchmarkSendSMS(b *testing.B) {
	srv := notifytest.Start(b, notifytest.Options{})
	c := newClient(b, srv)
	ctx := context.Background()
	var seq atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(4)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := seq.Add(1)
			_, err := c.SendSMS(ctx, notify.Request{
				TemplateID: template, To: "07700900123", Reference: fmt.Sprintf("bench-%d", i),
				Personalisation: map[string]string{"name": "Amala", "date": "3 June 2026"},
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "sends/s")
	if srv.Duplicates() != 0 {
		b.Errorf("%d duplicates", srv.Duplicates())
	}
}
