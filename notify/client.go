package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultBaseURL is Notify's API. There is no separate test environment:
// test API keys on the live API simulate sending.
const DefaultBaseURL = "https://api.notifications.service.gov.uk"

// DefaultTimeout bounds one request when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// maxResponse bounds how much of a response body we read; Notify's largest
// answer, a page of 250 notifications, is far smaller.
const maxResponse = 4 << 20

// maxReference is the longest reference Notify accepts.
const maxReference = 1000

// Config configures a Client.
type Config struct {
	// APIKey is "{key_name}-{service_id}-{secret_key}". It is a secret:
	// read it from the environment, never log it.
	APIKey string
	// BaseURL defaults to DefaultBaseURL; tests point it at notifytest.
	BaseURL string
	// HTTPClient defaults to a client that keeps enough idle connections
	// for many concurrent dispatchers.
	HTTPClient *http.Client
	// Timeout bounds each request, including the wait for the answer.
	// 0 means DefaultTimeout; negative means none beyond ctx.
	Timeout time.Duration
	// Now gives the time for each token's iat claim. Defaults to time.Now.
	Now func() time.Time
	// UserAgent defaults to "tether-notify".
	UserAgent string
	// RatePerMinute is how many requests a minute this client makes at
	// most, across all goroutines: 0 means DefaultRatePerMinute (Notify's
	// 3,000 a minute per key); negative means no limit (for tests and
	// benchmarks against a fake).
	RatePerMinute int
}

// Client sends through GOV.UK Notify. It is safe for concurrent use; share
// one per API key so that its rate limit covers every sender.
type Client struct {
	base      string
	serviceID string
	secret    string
	hc        *http.Client
	timeout   time.Duration
	now       func() time.Time
	ua        string
	lim       *limiter
}

// New returns a client for the API key in cfg.
func New(cfg Config) (*Client, error) {
	serviceID, secret, err := ParseAPIKey(cfg.APIKey)
	if err != nil {
		return nil, err
	}
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("notify: base URL %q is not an http(s) URL", base)
	}
	c := &Client{
		base:      strings.TrimRight(base, "/"),
		serviceID: serviceID,
		secret:    secret,
		hc:        cfg.HTTPClient,
		timeout:   cfg.Timeout,
		now:       cfg.Now,
		ua:        cfg.UserAgent,
		lim:       newLimiter(cfg.RatePerMinute),
	}
	if c.hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		c.hc = &http.Client{Transport: tr}
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.ua == "" {
		c.ua = "tether-notify"
	}
	return c, nil
}

// ServiceID returns the service id from the API key (not a secret).
func (c *Client) ServiceID() string { return c.serviceID }

// Request is one message to send.
type Request struct {
	// TemplateID is the Notify template's UUID.
	TemplateID string
	// To is the email address (SendEmail) or phone number (SendSMS).
	// SendLetter ignores it: a letter's address is in Address.
	To string
	// Personalisation fills the template's ((placeholders)).
	Personalisation map[string]string
	// Address is a letter's address, one line each, at most 7, the last a
	// UK postcode or a country. SendLetter puts it in the personalisation as
	// address_line_1 to address_line_7, replacing any address lines and
	// legacy "postcode" there, so that no line is printed twice. It may be
	// left empty when the personalisation already holds the address.
	Address []string
	// Reference is required: it is our idempotency key for the notice,
	// by which a send whose outcome is unknown is found again. It must not
	// hold personal information; Notify shows it on its dashboard.
	Reference string
	// EmailReplyToID picks a reply-to address (email only); empty for the
	// service's default.
	EmailReplyToID string
	// SMSSenderID picks a text message sender (SMS only); empty for the
	// default.
	SMSSenderID string
}

// Response is Notify's answer to an accepted send.
type Response struct {
	ID        string      `json:"id"`
	Reference string      `json:"reference"`
	Content   Content     `json:"content"`
	URI       string      `json:"uri"`
	Template  TemplateRef `json:"template"`
}

// Content is the message as Notify rendered it.
type Content struct {
	Subject    string `json:"subject,omitempty"`
	Body       string `json:"body"`
	FromEmail  string `json:"from_email,omitempty"`
	FromNumber string `json:"from_number,omitempty"`
}

// TemplateRef names the template and version a message used.
type TemplateRef struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	URI     string `json:"uri"`
}

// Notification is a message as Notify's status look-up reports it.
type Notification struct {
	ID           string `json:"id"`
	Reference    string `json:"reference"`
	EmailAddress string `json:"email_address,omitempty"`
	PhoneNumber  string `json:"phone_number,omitempty"`
	// Letters only: the address as Notify printed it.
	Line1    string `json:"line_1,omitempty"`
	Line2    string `json:"line_2,omitempty"`
	Line3    string `json:"line_3,omitempty"`
	Line4    string `json:"line_4,omitempty"`
	Line5    string `json:"line_5,omitempty"`
	Line6    string `json:"line_6,omitempty"`
	Line7    string `json:"line_7,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Postage  string `json:"postage,omitempty"`

	Type          string      `json:"type"`
	Status        string      `json:"status"`
	Template      TemplateRef `json:"template"`
	Body          string      `json:"body"`
	Subject       string      `json:"subject,omitempty"`
	CreatedAt     time.Time   `json:"created_at"`
	CreatedByName string      `json:"created_by_name,omitempty"`
	SentAt        *time.Time  `json:"sent_at,omitempty"`
	CompletedAt   *time.Time  `json:"completed_at,omitempty"`
	// EstimatedDelivery is a letter's expected delivery date.
	EstimatedDelivery *time.Time `json:"estimated_delivery,omitempty"`
}

// SendEmail sends an email (POST /v2/notifications/email).
func (c *Client) SendEmail(ctx context.Context, r Request) (Response, error) {
	const op = "send email"
	if err := r.check(op, true); err != nil {
		return Response{}, err
	}
	if r.EmailReplyToID != "" && !IsUUID(r.EmailReplyToID) {
		return Response{}, invalid(op, "email_reply_to_id is not a UUID")
	}
	body := struct {
		EmailAddress    string            `json:"email_address"`
		TemplateID      string            `json:"template_id"`
		Personalisation map[string]string `json:"personalisation,omitempty"`
		Reference       string            `json:"reference"`
		EmailReplyToID  string            `json:"email_reply_to_id,omitempty"`
	}{r.To, r.TemplateID, r.Personalisation, r.Reference, r.EmailReplyToID}
	var resp Response
	err := c.do(ctx, op, http.MethodPost, "/v2/notifications/email", body, &resp)
	return resp, err
}

// SendSMS sends a text message (POST /v2/notifications/sms).
func (c *Client) SendSMS(ctx context.Context, r Request) (Response, error) {
	const op = "send sms"
	if err := r.check(op, true); err != nil {
		return Response{}, err
	}
	if r.SMSSenderID != "" && !IsUUID(r.SMSSenderID) {
		return Response{}, invalid(op, "sms_sender_id is not a UUID")
	}
	body := struct {
		PhoneNumber     string            `json:"phone_number"`
		TemplateID      string            `json:"template_id"`
		Personalisation map[string]string `json:"personalisation,omitempty"`
		Reference       string            `json:"reference"`
		SMSSenderID     string            `json:"sms_sender_id,omitempty"`
	}{r.To, r.TemplateID, r.Personalisation, r.Reference, r.SMSSenderID}
	var resp Response
	err := c.do(ctx, op, http.MethodPost, "/v2/notifications/sms", body, &resp)
	return resp, err
}

// maxAddressLines is how many address lines a Notify letter holds.
const maxAddressLines = 7

// SendLetter sends a letter from a template (POST /v2/notifications/letter).
// Notify prints and posts it; precompiled PDF letters are not supported.
func (c *Client) SendLetter(ctx context.Context, r Request) (Response, error) {
	const op = "send letter"
	if err := r.check(op, false); err != nil {
		return Response{}, err
	}
	if len(r.Address) > maxAddressLines {
		return Response{}, invalid(op, fmt.Sprintf("address has %d lines; a letter holds at most %d", len(r.Address), maxAddressLines))
	}
	p := make(map[string]string, len(r.Personalisation)+len(r.Address))
	for k, v := range r.Personalisation {
		p[k] = v
	}
	if len(r.Address) > 0 {
		for i := 1; i <= maxAddressLines; i++ {
			delete(p, fmt.Sprintf("address_line_%d", i))
		}
		delete(p, "postcode")
		for i, line := range r.Address {
			p[fmt.Sprintf("address_line_%d", i+1)] = line
		}
	}
	if strings.TrimSpace(p["address_line_1"]) == "" {
		return Response{}, invalid(op, "a letter needs an address: address_line_1 is empty")
	}
	body := struct {
		TemplateID      string            `json:"template_id"`
		Personalisation map[string]string `json:"personalisation"`
		Reference       string            `json:"reference"`
	}{r.TemplateID, p, r.Reference}
	var resp Response
	err := c.do(ctx, op, http.MethodPost, "/v2/notifications/letter", body, &resp)
	return resp, err
}

// Status looks up one notification by Notify's id (GET
// /v2/notifications/{id}). Notify keeps them for 7 days; after that, and
// for an id it never issued, the error has StatusCode 404 (IsNotFound).
func (c *Client) Status(ctx context.Context, id string) (Notification, error) {
	const op = "status"
	if !IsUUID(id) {
		return Notification{}, invalid(op, "notification id is not a UUID")
	}
	var n Notification
	err := c.do(ctx, op, http.MethodGet, "/v2/notifications/"+id, nil, &n)
	return n, err
}

// maxPages bounds ListByReference: a reference names one notice, so more
// than a few pages of 250 means something is wrong.
const maxPages = 20

// ListByReference returns the notifications sent with reference, newest
// first (GET /v2/notifications?reference=...), none when there are none.
// It is how a send whose outcome is unknown is found without sending
// twice: if the list is not empty, Notify accepted it. Notify only reports
// notifications up to 7 days old.
func (c *Client) ListByReference(ctx context.Context, reference string) ([]Notification, error) {
	const op = "list by reference"
	if reference == "" {
		return nil, invalid(op, "reference is empty")
	}
	var all []Notification
	olderThan := ""
	for range maxPages {
		q := url.Values{"reference": {reference}}
		if olderThan != "" {
			q.Set("older_than", olderThan)
		}
		var page struct {
			Notifications []Notification `json:"notifications"`
			Links         struct {
				Current string `json:"current"`
				Next    string `json:"next"`
			} `json:"links"`
		}
		if err := c.do(ctx, op, http.MethodGet, "/v2/notifications?"+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Notifications...)
		if page.Links.Next == "" || len(page.Notifications) == 0 {
			return all, nil
		}
		olderThan = page.Notifications[len(page.Notifications)-1].ID
	}
	return all, nil
}

// IsNotFound reports whether err is Notify saying it has no such
// notification.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound
}

// check validates what every send needs, so that a request Notify would
// refuse is refused here without using the rate limit.
func (r Request) check(op string, needTo bool) error {
	if !IsUUID(r.TemplateID) {
		return invalid(op, "template_id is not a UUID")
	}
	if needTo && strings.TrimSpace(r.To) == "" {
		return invalid(op, "recipient is empty")
	}
	if r.Reference == "" {
		return invalid(op, "reference is empty: every send needs its idempotency reference")
	}
	if len(r.Reference) > maxReference {
		return invalid(op, fmt.Sprintf("reference is %d characters; Notify takes at most %d", len(r.Reference), maxReference))
	}
	return nil
}

// invalid is a permanent error for a request refused before it was sent.
func invalid(op, msg string) *Error {
	return &Error{Op: op, Errors: []APIError{{Error: "ValidationError", Message: msg}}}
}

// do sends one request and decodes a 2xx answer into out. Every failure is
// an *Error saying whether to retry and whether Notify may have acted.
func (c *Client) do(ctx context.Context, op, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return &Error{Op: op, Err: err}
		}
	}
	if err := c.lim.wait(ctx); err != nil {
		return &Error{Op: op, Temporary: true, Err: err}
	}
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	// wrote records that the whole request went out: from then on a
	// missing answer means Notify may have acted on it.
	var wrote atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				wrote.Store(true)
			}
		},
	})
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return &Error{Op: op, Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+token(c.serviceID, c.secret, c.now()))
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.ua)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	// Never set an Idempotency-Key header: net/http would then replay the
	// POST on a broken connection, behind our back.
	send := method == http.MethodPost

	resp, err := c.hc.Do(req)
	if err != nil {
		return &Error{Op: op, Temporary: true, UnknownOutcome: send && wrote.Load(), Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if err != nil {
		// A send that was answered 201 was accepted; we only lack its id.
		return &Error{Op: op, StatusCode: resp.StatusCode, Temporary: true, UnknownOutcome: send && (ok || unknownStatus(resp.StatusCode)), Err: err}
	}
	if ok {
		if out == nil {
			return nil
		}
		if err := json.Unmarshal(data, out); err != nil {
			return &Error{Op: op, StatusCode: resp.StatusCode, Temporary: true, UnknownOutcome: send, Err: fmt.Errorf("decoding the answer: %w", err)}
		}
		return nil
	}
	e := &Error{
		Op:             op,
		StatusCode:     resp.StatusCode,
		Temporary:      temporaryStatus(resp.StatusCode),
		UnknownOutcome: send && unknownStatus(resp.StatusCode),
		RetryAfter:     parseRetryAfter(resp.Header.Get("Retry-After"), c.now()),
	}
	var eb struct {
		Errors []APIError `json:"errors"`
	}
	if json.Unmarshal(data, &eb) == nil {
		e.Errors = eb.Errors
	}
	return e
}
