package main

import (
	"strings"
	"testing"
)

// TestOrgsReplyTo: an organisation is created with where its replies go,
// and each is changed or cleared on its own; bad input names the flag's
// field and changes nothing.
func TestOrgsReplyTo(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	r := must(t, env, "orgs", "add", "-name", "Example Immigration Law LLP", "-kind", "law_firm", "-reply-email", "Post@Example-Law.example.org",
		"-reply-address", "Example Immigration Law LLP", "-reply-address", "1 Example Street", "-reply-address", "London", "-reply-address", "EC1A 1BB")
	if !strings.Contains(r.stdout, "Created organisation 1") {
		t.Fatalf("orgs add: %q", r.stdout)
	}
	// Refused: a bad email, an address a printer would not take.
	if r := cli(t, env, "", "orgs", "add", "-name", "Refused", "-kind", "law_firm", "-reply-email", "post at example.org"); r.code != 1 || !strings.Contains(r.stderr, "reply_email") {
		t.Errorf("bad email: %d %q", r.code, r.stderr)
	}
	if r := cli(t, env, "", "orgs", "reply-to", "-org", "1", "-address", "Example Immigration Law LLP", "-address", "Nowhere"); r.code != 1 || !strings.Contains(r.stderr, "reply_address") {
		t.Errorf("bad address: %d %q", r.code, r.stderr)
	}
	for _, args := range [][]string{{"orgs", "reply-to", "-org", "1"}, {"orgs", "reply-to", "-email", "x@example.org"},
		{"orgs", "reply-to", "-org", "1", "-address", "A", "-clear-address"}} {
		if r := cli(t, env, "", args...); r.code != 2 {
			t.Errorf("%q: exit %d %q, want 2", args, r.code, r.stderr)
		}
	}
	if r := cli(t, env, "", "orgs", "reply-to", "-org", "99", "-email", "x@example.org"); r.code != 1 {
		t.Errorf("no such organisation: exit %d", r.code)
	}

	// The email changed alone keeps the address; then both cleared.
	r = must(t, env, "orgs", "reply-to", "-org", "1", "-email", "casework@example-law.example.org")
	for _, want := range []string{"by email go to: casework@example-law.example.org", "by letter go to: Example Immigration Law LLP, 1 Example Street, London, EC1A 1BB"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("reply-to lacks %q:\n%s", want, r.stdout)
		}
	}
	r = must(t, env, "orgs", "reply-to", "-org", "1", "-email", "", "-clear-address")
	if !strings.Contains(r.stdout, "by email go to: the office's user who raised the enquiry") || !strings.Contains(r.stdout, "by letter go to: the address the caseworker gives") {
		t.Errorf("cleared:\n%s", r.stdout)
	}
}
