package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"tether"
)

// What no route matches answers like every other error: the API's JSON
// shape, or a GOV.UK page; a known path with the wrong method is 405 with
// the methods it takes.
func TestNoRoute(t *testing.T) {
	ts := newTestServer(t)
	tok := ts.token(tether.RoleCaseworker)

	resp, body := ts.do(t, "GET", "/api/v1/no-such-thing", tok, nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("API 404: %d %s", resp.StatusCode, body)
	}
	checkErrorShape(t, "API 404", body, tether.ENOTFOUND)

	resp, body = ts.do(t, "DELETE", "/api/v1/people", tok, nil)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("API 405: %d %s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Allow"); got != "GET, POST, HEAD" {
		t.Errorf("Allow = %q", got)
	}
	checkErrorShape(t, "API 405", body, "method_not_allowed")

	c := ts.signIn(t, tether.RoleCaseworker)
	for _, tt := range []struct {
		method, path string
		status       int
		heading      string
	}{
		{"GET", "/no-such-page", http.StatusNotFound, "Page not found"},
		{"GET", "/sign-out", http.StatusMethodNotAllowed, "This page cannot do that"},
	} {
		req, err := http.NewRequest(tt.method, ts.URL+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.heading) || !strings.Contains(string(b), "govuk-template") {
			t.Errorf("%s %s: %d, want %d with %q in a GOV.UK page; body %.200s", tt.method, tt.path, resp.StatusCode, tt.status, tt.heading, b)
		}
	}

	// Signed out, an unknown page still says not found rather than
	// asking to sign in: the answer gives nothing away either way.
	resp, _ = ts.do(t, "GET", "/no-such-page", "", nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("signed out: %d", resp.StatusCode)
	}
}
