package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"tether"
	"tether/store"
)

// testPassword is every test user's password.
const testPassword = "correct horse battery staple"

// testCallbackToken is the test server's GOV.UK Notify callback token.
const testCallbackToken = "notify-callback-secret-for-tests"

// testNow is where a test server's clock starts: a Monday morning.
var testNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testServer is the real server over a fresh SQLite store, served over HTTP,
// with one user (and one API token) per role.
type testServer struct {
	*httptest.Server
	srv   *Server
	db    *store.DB
	clock *tether.ManualClock
	// org is the organisation the organisation user belongs to.
	org *tether.Organisation
	// users holds one user per role; emails are <role>@example.org.
	users  map[tether.Role]*tether.User
	tokens map[tether.Role]string
	// logs holds everything the server logged, as slog JSON lines.
	logs *syncBuffer
}

// newTestServer starts a server for one test and stops it when the test ends.
func newTestServer(t testing.TB) *testServer {
	t.Helper()
	clock := tether.NewManualClock(testNow)
	db := store.MustOpenTestDB(t, store.SQLite, clock)
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc := Services{People: db, Contacts: db, Users: db, Credentials: db, Audit: db, Ready: db.Ping, Correspondence: db, Tasks: db, Status: db, Reporting: db, Lapses: db, Enquiries: db}
	srv := New(svc, Config{CallbackToken: testCallbackToken}, clock, log)
	ts := &testServer{Server: httptest.NewServer(srv), srv: srv, db: db, clock: clock, logs: logs,
		users: map[tether.Role]*tether.User{}, tokens: map[tether.Role]string{}}
	t.Cleanup(ts.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})

	ctx := ts.ctx()
	ts.org = &tether.Organisation{Name: "Camden Law Centre", Kind: tether.OrgLawFirm, Division: "england-and-wales"}
	if err := db.CreateOrganisation(ctx, ts.org); err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	for _, role := range tether.Roles {
		u := &tether.User{Email: string(role) + "@example.org", Name: "Test " + string(role), Role: role}
		if role == tether.RoleOrganisation {
			u.OrganisationID = &ts.org.ID
		}
		if err := db.CreateUser(ctx, u, testPassword); err != nil {
			t.Fatalf("create %s user: %v", role, err)
		}
		secret, _, err := db.CreateAPIToken(ctx, u.ID, "test "+string(role))
		if err != nil {
			t.Fatalf("create %s token: %v", role, err)
		}
		ts.users[role], ts.tokens[role] = u, secret
	}
	return ts
}

// ctx is a context acting as the command line, for seeding the store.
func (ts *testServer) ctx() context.Context {
	return tether.NewContextWithActor(context.Background(), tether.CLIActor("test"))
}

// token returns the API token of the role's user.
func (ts *testServer) token(role tether.Role) string { return ts.tokens[role] }

// user returns the role's user.
func (ts *testServer) user(role tether.Role) *tether.User { return ts.users[role] }

// do makes a request to path with the bearer token ("" for none). body is
// sent as is when it is []byte or string (for malformed input), else as
// JSON; nil sends no body. It returns the response (body already read and
// closed) and the body.
func (ts *testServer) do(t testing.TB, method, path, token string, body any) (*http.Response, []byte) {
	t.Helper()
	req := ts.newRequest(t, method, path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return ts.send(t, ts.Client(), req)
}

// newRequest builds a request to the server; see do for body.
func (ts *testServer) newRequest(t testing.TB, method, path string, body any) *http.Request {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("marshal body: %v", err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, ts.URL+path, r)
	if err != nil {
		t.Fatalf("new request %s %s: %v", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// send sends req with the client and reads the whole response.
func (ts *testServer) send(t testing.TB, c *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return resp, b
}

// doJSON is do that expects the status and decodes the body into out (when
// not nil).
func (ts *testServer) doJSON(t testing.TB, method, path, token string, body any, want int, out any) *http.Response {
	t.Helper()
	resp, b := ts.do(t, method, path, token, body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d; body: %s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
	return resp
}

// signIn returns a client with a cookie jar, signed in as the role's user
// through POST /sign-in. It does not follow redirects, so that tests can see
// them: a page's 303 comes back as the response.
func (ts *testServer) signIn(t testing.TB, role tether.Role) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{
		Jar:       jar,
		Transport: ts.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	form := url.Values{"email": {string(role) + "@example.org"}, "password": {testPassword}, "next": {"/people"}}
	req, err := http.NewRequest("POST", ts.URL+"/sign-in", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := ts.send(t, c, req)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d, want 303; body: %s", role, resp.StatusCode, body)
	}
	u, _ := url.Parse(ts.URL)
	var signedIn bool
	for _, ck := range jar.Cookies(u) {
		signedIn = signedIn || (ck.Name == SessionCookie && ck.Value != "")
	}
	if !signedIn {
		t.Fatalf("sign in as %s: no %s cookie", role, SessionCookie)
	}
	return c
}

// createPerson stores a person through the store, as the command line.
func (ts *testServer) createPerson(t testing.TB, p *tether.Person) *tether.Person {
	t.Helper()
	if err := ts.db.CreatePerson(ts.ctx(), p); err != nil {
		t.Fatalf("create person: %v", err)
	}
	return p
}

// addContactPoint stores a contact point through the store, as the command line.
func (ts *testServer) addContactPoint(t testing.TB, c *tether.ContactPoint) *tether.ContactPoint {
	t.Helper()
	if err := ts.db.AddContactPoint(ts.ctx(), c); err != nil {
		t.Fatalf("add contact point: %v", err)
	}
	return c
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
