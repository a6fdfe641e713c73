// Package notifytest is a fake GOV.UK Notify for tests and benchmarks: an
// HTTP server on the loopback interface that checks tokens as Notify does,
// accepts the three send endpoints, status look-ups and lists by reference,
// keeps what it was sent, counts sends per reference (so a test can prove
// nothing was sent twice), injects faults on demand, and posts delivery
// receipts and returned-letter reports to a callback URL.
//
// It is fast enough for benchmarks of hundreds of thousands of sends: one
// mutex-guarded map, no logging. It must never be used outside tests,
// benchmarks and demonstrations.
package notifytest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	mathrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Default credentials: APIKey() puts them together.
const (
	DefaultServiceID = "26785a09-ab16-4eb0-8407-a37497a57506"
	DefaultSecretKey = "3d844edf-8d35-48ac-975b-e847b4f122b0"
)

// TemplateID is a template id tests can use; the fake accepts any UUID.
const TemplateID = "f33517ff-2a88-4f6e-b855-c550268ce08a"

// Notify's simulated recipients, usable with a test API key: sends to them
// are accepted and then fail.
const (
	PermanentFailurePhone = "07700900002"
	TemporaryFailurePhone = "07700900003"
	PermanentFailureEmail = "perm-fail@simulator.notify"
	TemporaryFailureEmail = "temp-fail@simulator.notify"
)

// A Fault is what the server does to one request instead of, or after,
// handling it.
type Fault int

const (
	None Fault = iota
	// Error500 answers 500 Exception "Internal server error" without
	// storing anything.
	Error500
	// Error503 answers 503 with Retry-After, without storing anything.
	Error503
	// RateLimited answers 429 RateLimitError with Retry-After, without
	// storing anything.
	RateLimited
	// Slow handles the request (a send is stored), then waits SlowDelay
	// before answering, or until the client gives up.
	Slow
	// Drop handles the request (a send is stored), then closes the
	// connection without writing a response: the client cannot tell
	// whether the send was accepted.
	Drop
)

func (f Fault) String() string {
	switch f {
	case None:
		return "none"
	case Error500:
		return "500"
	case Error503:
		return "503"
	case RateLimited:
		return "429"
	case Slow:
		return "slow"
	case Drop:
		return "drop"
	}
	return "fault(" + strconv.Itoa(int(f)) + ")"
}

// Options configures a Server. The zero value is a fault-free fake with the
// default credentials.
type Options struct {
	ServiceID string // defaults to DefaultServiceID
	SecretKey string // defaults to DefaultSecretKey
	// Now is the server's clock, for checking each token's iat and for the
	// times it reports. Defaults to time.Now.
	Now func() time.Time
	// Faults scripts faults by request number: every request to /v2
	// counts, from 1, whether a send, a look-up or a list.
	Faults map[int]Fault
	// FaultRate is the chance that a request with no scripted fault gets
	// one of RandomFaults, drawn from a generator seeded with Seed so that
	// a run can be repeated.
	FaultRate    float64
	RandomFaults []Fault // defaults to Error500, Error503, RateLimited, Drop
	Seed         uint64
	// RetryAfter is sent with 429 and 503, in whole seconds (at least 1).
	// Defaults to 1s.
	RetryAfter time.Duration
	// SlowDelay is how long a Slow request waits. Defaults to 5s.
	SlowDelay time.Duration
}

// Notification is a message the fake accepted.
type Notification struct {
	ID              string
	Reference       string
	Type            string // "email", "sms" or "letter"
	To              string // email address, phone number, or a letter's first address line
	TemplateID      string
	Personalisation map[string]any
	Status          string
	// Outcome is the status Settle moves it to: delivered, or the
	// failure its simulated recipient stands for; received for letters.
	Outcome     string
	CreatedAt   time.Time
	SentAt      *time.Time
	CompletedAt *time.Time
	ReceiptSent bool
}

// Server is the fake. Its URL is the base URL for notify.Config.
type Server struct {
	*httptest.Server

	opts     Options
	idPrefix string
	requests atomic.Int64
	quit     chan struct{}
	quitOnce sync.Once

	mu     sync.Mutex
	faults map[int]Fault
	rng    *mathrand.Rand
	seq    uint64
	byID   map[string]*Notification
	order  []*Notification            // oldest first
	byRef  map[string][]*Notification // oldest first
}

// New starts a fake Notify. Close it when done.
func New(opts Options) *Server {
	if opts.ServiceID == "" {
		opts.ServiceID = DefaultServiceID
	}
	if opts.SecretKey == "" {
		opts.SecretKey = DefaultSecretKey
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RandomFaults == nil {
		opts.RandomFaults = []Fault{Error500, Error503, RateLimited, Drop}
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = time.Second
	}
	if opts.SlowDelay <= 0 {
		opts.SlowDelay = 5 * time.Second
	}
	var b [4]byte
	rand.Read(b[:])
	s := &Server{
		opts:     opts,
		idPrefix: hex.EncodeToString(b[:]),
		quit:     make(chan struct{}),
		faults:   map[int]Fault{},
		rng:      mathrand.New(mathrand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		byID:     map[string]*Notification{},
		byRef:    map[string][]*Notification{},
	}
	for n, f := range opts.Faults {
		s.faults[n] = f
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/notifications/{type}", s.send)
	mux.HandleFunc("GET /v2/notifications/{id}", s.get)
	mux.HandleFunc("GET /v2/notifications", s.list)
	s.Server = httptest.NewServer(s.guard(mux))
	return s
}

// Start starts a fake Notify that is closed when the test or benchmark
// ends: Start(t, notifytest.Options{}).
func Start(tb interface{ Cleanup(func()) }, opts Options) *Server {
	s := New(opts)
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server, waking any Slow request.
func (s *Server) Close() {
	s.quitOnce.Do(func() { close(s.quit) })
	s.Server.Close()
}

// APIKey returns a test API key for this server's credentials.
func (s *Server) APIKey() string {
	return "tether_test-" + s.opts.ServiceID + "-" + s.opts.SecretKey
}

// SetFault scripts fault f for request number n (from 1).
func (s *Server) SetFault(n int, f Fault) {
	s.mu.Lock()
	s.faults[n] = f
	s.mu.Unlock()
}

// SetFaultRate changes the chance of a random fault from now on.
func (s *Server) SetFaultRate(p float64) {
	s.mu.Lock()
	s.opts.FaultRate = p
	s.mu.Unlock()
}

// Requests returns how many /v2 requests the server has received.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// Count returns how many notifications the server accepted and stored,
// including those whose answer was dropped or slow.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.order)
}

// Sends returns how many notifications were accepted with reference.
func (s *Server) Sends(reference string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byRef[reference])
}

// Duplicates returns how many references were accepted more than once: a
// correct dispatcher keeps it at zero whatever the faults.
func (s *Server) Duplicates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, ns := range s.byRef {
		if len(ns) > 1 {
			n++
		}
	}
	return n
}

// Notifications returns copies of every stored notification, oldest first.
func (s *Server) Notifications() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Notification, len(s.order))
	for i, n := range s.order {
		out[i] = n.clone()
	}
	return out
}

// Get returns a copy of one notification.
func (s *Server) Get(id string) (Notification, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.byID[id]
	if !ok {
		return Notification{}, false
	}
	return n.clone(), true
}

// ByReference returns copies of the notifications sent with reference,
// oldest first.
func (s *Server) ByReference(reference string) []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Notification
	for _, n := range s.byRef[reference] {
		out = append(out, n.clone())
	}
	return out
}

// SetStatus sets a notification's status, as if its provider had reported.
func (s *Server) SetStatus(id, status string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.byID[id]
	if ok {
		s.setStatus(n, status)
	}
	return ok
}

// Settle moves every notification still in progress to its outcome and
// returns how many moved.
func (s *Server) Settle() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	moved := 0
	for _, n := range s.order {
		if n.Status != n.Outcome && !final(n.Status) {
			s.setStatus(n, n.Outcome)
			moved++
		}
	}
	return moved
}

func (s *Server) setStatus(n *Notification, status string) {
	now := s.opts.Now().UTC()
	if n.SentAt == nil && status != "created" && status != "accepted" {
		n.SentAt = &now
	}
	if final(status) {
		n.CompletedAt = &now
	}
	n.Status = status
	n.ReceiptSent = false
}

func final(status string) bool {
	switch status {
	case "delivered", "sent", "received", "cancelled", "permanent-failure", "temporary-failure",
		"technical-failure", "virus-scan-failed", "validation-failed":
		return true
	}
	return false
}

func (n *Notification) clone() Notification {
	c := *n
	if n.Personalisation != nil {
		c.Personalisation = make(map[string]any, len(n.Personalisation))
		for k, v := range n.Personalisation {
			c.Personalisation[k] = v
		}
	}
	return c
}

// DeliverReceipts settles every notification and posts a delivery receipt
// for each email and text message whose final status has not been posted
// yet, to url with the bearer token, as Notify does. It returns how many it
// posted, stopping at the first that the callback refuses.
func (s *Server) DeliverReceipts(ctx context.Context, url, token string) (int, error) {
	s.Settle()
	s.mu.Lock()
	var due []Notification
	for _, n := range s.order {
		if n.Type != "letter" && final(n.Status) && !n.ReceiptSent {
			due = append(due, n.clone())
		}
	}
	s.mu.Unlock()
	posted := 0
	for _, n := range due {
		if err := post(ctx, url, token, ReceiptJSON(n)); err != nil {
			return posted, fmt.Errorf("notifytest: receipt for %s: %w", n.ID, err)
		}
		s.mu.Lock()
		if cur, ok := s.byID[n.ID]; ok && cur.Status == n.Status {
			cur.ReceiptSent = true
		}
		s.mu.Unlock()
		posted++
	}
	return posted, nil
}

// ReceiptJSON is the delivery receipt Notify would post for n.
func ReceiptJSON(n Notification) []byte {
	b, _ := json.Marshal(map[string]any{
		"id":                n.ID,
		"reference":         nullable(n.Reference),
		"to":                n.To,
		"status":            n.Status,
		"created_at":        stamp(n.CreatedAt),
		"completed_at":      stampPtr(n.CompletedAt),
		"sent_at":           stampPtr(n.SentAt),
		"notification_type": n.Type,
		"template_id":       n.TemplateID,
		"template_version":  1,
	})
	return b
}

// ReturnLetter posts a returned-letter report for letter id to url with the
// bearer token, as Notify does when the post room sends a letter back.
func (s *Server) ReturnLetter(ctx context.Context, url, token, id string) error {
	n, ok := s.Get(id)
	if !ok {
		return fmt.Errorf("notifytest: no notification %s", id)
	}
	if n.Type != "letter" {
		return fmt.Errorf("notifytest: %s is a %s, not a letter", id, n.Type)
	}
	b, _ := json.Marshal(map[string]any{
		"notification_id":         n.ID,
		"reference":               nullable(n.Reference),
		"date_sent":               stamp(n.CreatedAt),
		"sent_by":                 "API",
		"template_name":           "Test letter",
		"template_id":             n.TemplateID,
		"template_version":        1,
		"spreadsheet_file_name":   nil,
		"spreadsheet_row_number":  nil,
		"upload_letter_file_name": nil,
	})
	if err := post(ctx, url, token, b); err != nil {
		return fmt.Errorf("notifytest: returned letter %s: %w", id, err)
	}
	return nil
}

var callbackClient = &http.Client{Timeout: 5 * time.Second}

func post(ctx context.Context, url, token string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := callbackClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("callback answered %s", resp.Status)
	}
	return nil
}

// notifyTime is how Notify writes times.
const notifyTime = "2006-01-02T15:04:05.000000Z"

func stamp(t time.Time) string { return t.UTC().Format(notifyTime) }

func stampPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return stamp(*t)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// fault decides request n's fault: a scripted one, else maybe a random one.
func (s *Server) fault(n int) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.faults[n]; ok {
		return f
	}
	if s.opts.FaultRate > 0 && len(s.opts.RandomFaults) > 0 && s.rng.Float64() < s.opts.FaultRate {
		return s.opts.RandomFaults[s.rng.IntN(len(s.opts.RandomFaults))]
	}
	return None
}

type ctxKey struct{}

// guard counts the request, checks its token, and applies the faults that
// stop a request before it is handled.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/v2/") {
			http.NotFound(w, r)
			return
		}
		n := int(s.requests.Add(1))
		if status, msg := s.checkToken(r.Header.Get("Authorization")); status != 0 {
			writeError(w, status, "AuthError", msg)
			return
		}
		f := s.fault(n)
		retryAfter := strconv.Itoa(max(1, int(s.opts.RetryAfter/time.Second)))
		switch f {
		case Error500:
			writeError(w, 500, "Exception", "Internal server error")
			return
		case Error503:
			w.Header().Set("Retry-After", retryAfter)
			writeError(w, 503, "Exception", "Service unavailable")
			return
		case RateLimited:
			w.Header().Set("Retry-After", retryAfter)
			writeError(w, 429, "RateLimitError", "Exceeded rate limit for key type TEST of 3000 requests per 60 seconds")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, f)))
	})
}

// finish writes a handled request's answer, or applies a Slow or Drop
// fault instead.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, status int, v any) {
	switch f, _ := r.Context().Value(ctxKey{}).(Fault); f {
	case Drop:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
			return
		}
		// Not hijackable (HTTP/2): abort the response instead.
		panic(http.ErrAbortHandler)
	case Slow:
		t := time.NewTimer(s.opts.SlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		case <-s.quit:
			return
		}
	}
	writeJSON(w, status, v)
}

// checkToken verifies the bearer JWT as Notify does: HS256 signed with the
// service's secret, iss the service id, iat within 30 seconds of now. It
// returns 0 for a good token, else the status and Notify's message.
func (s *Server) checkToken(h string) (int, string) {
	const prefix = "Bearer "
	if h == "" {
		return 401, "Unauthorized: authentication token must be provided"
	}
	if !strings.HasPrefix(h, prefix) {
		return 401, "Unauthorized: authentication bearer scheme must be used"
	}
	tok := h[len(prefix):]
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return 403, "Invalid token: signature, API token is not valid"
	}
	var head struct {
		Alg string `json:"alg"`
		Typ string `json:"typ"`
	}
	if !decodeSegment(parts[0], &head) || head.Alg != "HS256" {
		return 403, "Invalid token: algorithm used is not HS256"
	}
	var claims struct {
		Iss *string      `json:"iss"`
		Iat *json.Number `json:"iat"`
	}
	if !decodeSegment(parts[1], &claims) {
		return 403, "Invalid token: signature, API token is not valid"
	}
	if claims.Iss == nil {
		return 403, "Invalid token: iss field not provided"
	}
	if *claims.Iss != s.opts.ServiceID {
		return 403, "Invalid token: service not found"
	}
	mac := hmacSHA256([]byte(s.opts.SecretKey), []byte(parts[0]+"."+parts[1]))
	sig, err := b64.DecodeString(parts[2])
	if err != nil || !hmacEqual(sig, mac) {
		return 403, "Invalid token: API key not found"
	}
	if claims.Iat == nil {
		return 403, "Invalid token: iat field not provided"
	}
	iat, err := claims.Iat.Float64()
	if err != nil {
		return 403, "Invalid token: iat field not a number"
	}
	now := float64(s.opts.Now().Unix())
	if iat < now-30 || iat > now+30 {
		return 403, "Error: Your system clock must be accurate to within 30 seconds"
	}
	return 0, ""
}

func decodeSegment(seg string, v any) bool {
	b, err := b64.DecodeString(seg)
	return err == nil && json.Unmarshal(b, v) == nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = 500, []byte(`{"status_code":500,"errors":[{"error":"Exception","message":"Internal server error"}]}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

type apiError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, typ, msg string) {
	writeJSON(w, status, struct {
		StatusCode int        `json:"status_code"`
		Errors     []apiError `json:"errors"`
	}{status, []apiError{{typ, msg}}})
}

// sendRequest is the union of the three send bodies.
type sendRequest struct {
	TemplateID      string         `json:"template_id"`
	EmailAddress    string         `json:"email_address"`
	PhoneNumber     string         `json:"phone_number"`
	Personalisation map[string]any `json:"personalisation"`
	Reference       string         `json:"reference"`
	EmailReplyToID  string         `json:"email_reply_to_id"`
	SMSSenderID     string         `json:"sms_sender_id"`
}

func (s *Server) send(w http.ResponseWriter, r *http.Request) {
	typ := r.PathValue("type")
	if typ != "email" && typ != "sms" && typ != "letter" {
		writeError(w, 404, "NotFound", "The requested URL was not found on the server.")
		return
	}
	var req sendRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(&req); err != nil {
		writeError(w, 400, "BadRequestError", "Invalid JSON supplied in POST data")
		return
	}
	if msg := validate(typ, &req); msg != "" {
		writeError(w, 400, "ValidationError", msg)
		return
	}
	n := &Notification{
		Reference:       req.Reference,
		Type:            typ,
		TemplateID:      strings.ToLower(req.TemplateID),
		Personalisation: req.Personalisation,
		Status:          "created",
		CreatedAt:       s.opts.Now().UTC(),
	}
	content := map[string]any{"body": "Message from template " + n.TemplateID}
	switch typ {
	case "email":
		n.To = req.EmailAddress
		n.Outcome = emailOutcome(req.EmailAddress)
		content["subject"] = "Subject from template " + n.TemplateID
		content["from_email"] = "tether@notifications.service.gov.uk"
	case "sms":
		n.To = req.PhoneNumber
		n.Outcome = smsOutcome(req.PhoneNumber)
		content["from_number"] = "GOVUK"
	case "letter":
		n.To, _ = req.Personalisation["address_line_1"].(string)
		n.Status = "accepted"
		n.Outcome = "received"
		content["subject"] = "Subject from template " + n.TemplateID
	}
	s.mu.Lock()
	s.seq++
	n.ID = fmt.Sprintf("%s-0000-4000-8000-%012x", s.idPrefix, s.seq)
	s.byID[n.ID] = n
	s.order = append(s.order, n)
	if n.Reference != "" {
		s.byRef[n.Reference] = append(s.byRef[n.Reference], n)
	}
	s.mu.Unlock()

	s.finish(w, r, http.StatusCreated, map[string]any{
		"id":        n.ID,
		"reference": nullable(n.Reference),
		"content":   content,
		"uri":       s.URL + "/v2/notifications/" + n.ID,
		"template": map[string]any{
			"id":      n.TemplateID,
			"version": 1,
			"uri":     s.URL + "/v2/template/" + n.TemplateID,
		},
	})
}

// validate checks a send as Notify's schema would, returning its message.
func validate(typ string, req *sendRequest) string {
	switch {
	case req.TemplateID == "":
		return "template_id is a required property"
	case !isUUID(req.TemplateID):
		return "template_id is not a valid UUID"
	case len(req.Reference) > 1000:
		return "reference " + req.Reference[:20] + "... is too long"
	case req.EmailReplyToID != "" && !isUUID(req.EmailReplyToID):
		return "email_reply_to_id is not a valid UUID"
	case req.SMSSenderID != "" && !isUUID(req.SMSSenderID):
		return "sms_sender_id is not a valid UUID"
	}
	for k, v := range req.Personalisation {
		switch v.(type) {
		case string, float64, bool, nil, []any:
		default:
			return "personalisation " + k + " is not a string, number or list"
		}
	}
	switch typ {
	case "email":
		if req.EmailAddress == "" {
			return "email_address is a required property"
		}
		if at := strings.LastIndexByte(req.EmailAddress, '@'); at < 1 || at == len(req.EmailAddress)-1 {
			return "email_address Not a valid email address"
		}
	case "sms":
		if req.PhoneNumber == "" {
			return "phone_number is a required property"
		}
		if digits := normalisePhone(req.PhoneNumber); len(digits) < 8 {
			return "phone_number Not enough digits"
		}
	case "letter":
		if req.Personalisation == nil {
			return "personalisation is a required property"
		}
		if l1, _ := req.Personalisation["address_line_1"].(string); strings.TrimSpace(l1) == "" {
			return "personalisation address_line_1 is a required property"
		}
	}
	return ""
}

// normalisePhone keeps the digits and a leading +, and writes UK numbers
// in national form, so that 07700900002 and +44 7700 900002 match.
func normalisePhone(p string) string {
	var b strings.Builder
	for i, c := range p {
		if c >= '0' && c <= '9' || c == '+' && i == 0 {
			b.WriteRune(c)
		}
	}
	s := b.String()
	switch {
	case strings.HasPrefix(s, "+44"):
		return "0" + s[3:]
	case strings.HasPrefix(s, "0044"):
		return "0" + s[4:]
	}
	return s
}

func smsOutcome(phone string) string {
	p := normalisePhone(phone)
	switch {
	case p == PermanentFailurePhone:
		return "permanent-failure"
	case p == TemporaryFailurePhone:
		return "temporary-failure"
	case strings.HasPrefix(p, "+"):
		return "sent" // abroad: the networks report nothing more
	}
	return "delivered"
}

func emailOutcome(addr string) string {
	switch strings.ToLower(strings.TrimSpace(addr)) {
	case PermanentFailureEmail:
		return "permanent-failure"
	case TemporaryFailureEmail:
		return "temporary-failure"
	}
	return "delivered"
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	id := strings.ToLower(r.PathValue("id"))
	if !isUUID(id) {
		writeError(w, 400, "ValidationError", "notification_id is not a valid UUID")
		return
	}
	s.mu.Lock()
	n, ok := s.byID[id]
	var view map[string]any
	if ok {
		view = s.view(n)
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, 404, "NoResultFound", "No result found")
		return
	}
	s.finish(w, r, 200, view)
}

// pageSize is how many notifications Notify returns a page.
const pageSize = 250

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ref, typ, status, olderThan := q.Get("reference"), q.Get("template_type"), q.Get("status"), q.Get("older_than")
	if typ != "" && typ != "email" && typ != "sms" && typ != "letter" {
		writeError(w, 400, "ValidationError", "template_type "+typ+" is not one of [sms, email, letter]")
		return
	}
	if olderThan != "" && !isUUID(olderThan) {
		writeError(w, 400, "ValidationError", "older_than is not a valid UUID")
		return
	}
	s.mu.Lock()
	src := s.order
	if ref != "" {
		src = s.byRef[ref]
	}
	var page []map[string]any
	skipping := olderThan != ""
	for i := len(src) - 1; i >= 0 && len(page) < pageSize; i-- {
		n := src[i]
		if skipping {
			if n.ID == olderThan {
				skipping = false
			}
			continue
		}
		if typ != "" && n.Type != typ {
			continue
		}
		if status != "" && !statusMatches(status, n.Status) {
			continue
		}
		page = append(page, s.view(n))
	}
	s.mu.Unlock()
	if page == nil {
		page = []map[string]any{}
	}
	links := map[string]any{"current": r.URL.RequestURI()}
	if len(page) == pageSize {
		nq := r.URL.Query()
		nq.Set("older_than", page[len(page)-1]["id"].(string))
		links["next"] = "/v2/notifications?" + nq.Encode()
	}
	s.finish(w, r, 200, map[string]any{"notifications": page, "links": links})
}

func statusMatches(filter, status string) bool {
	if filter == "failed" {
		return status == "permanent-failure" || status == "temporary-failure" || status == "technical-failure"
	}
	return filter == status
}

// view is n as Notify's status look-up shows it. Call with s.mu held.
func (s *Server) view(n *Notification) map[string]any {
	v := map[string]any{
		"id":        n.ID,
		"reference": nullable(n.Reference),
		"type":      n.Type,
		"status":    n.Status,
		"template": map[string]any{
			"id":      n.TemplateID,
			"version": 1,
			"uri":     s.URL + "/v2/template/" + n.TemplateID + "/version/1",
		},
		"body":            "Message from template " + n.TemplateID,
		"created_at":      stamp(n.CreatedAt),
		"created_by_name": nil,
		"sent_at":         stampPtr(n.SentAt),
		"completed_at":    stampPtr(n.CompletedAt),
		"email_address":   nil,
		"phone_number":    nil,
	}
	switch n.Type {
	case "email":
		v["email_address"] = n.To
		v["subject"] = "Subject from template " + n.TemplateID
	case "sms":
		v["phone_number"] = n.To
	case "letter":
		keys := make([]string, 0, 7)
		for k := range n.Personalisation {
			if strings.HasPrefix(k, "address_line_") {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for i, k := range keys {
			if i < 7 {
				v["line_"+strconv.Itoa(i+1)] = n.Personalisation[k]
			}
		}
		v["subject"] = "Subject from template " + n.TemplateID
		v["postage"] = "second"
	}
	return v
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
