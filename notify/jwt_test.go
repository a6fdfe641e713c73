package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func TestToken(t *testing.T) {
	// The example from Notify's documentation.
	const (
		iss    = "26785a09-ab16-4eb0-8407-a37497a57506"
		secret = "3d844edf-8d35-48ac-975b-e847b4f122b0"
	)
	now := time.Unix(1568818578, 999_000_000) // iat truncates to seconds
	tok := token(iss, secret, now)

	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3: %s", len(parts), tok)
	}
	dec := func(s string) string {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("segment %q is not unpadded base64url: %v", s, err)
		}
		return string(b)
	}
	if got, want := dec(parts[0]), `{"typ":"JWT","alg":"HS256"}`; got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
	if got, want := dec(parts[1]), `{"iss":"26785a09-ab16-4eb0-8407-a37497a57506","iat":1568818578}`; got != want {
		t.Errorf("claims = %s, want %s", got, want)
	}
	// Verify the signature independently of token's own code.
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if want := base64.RawURLEncoding.EncodeToString(mac.Sum(nil)); parts[2] != want {
		t.Errorf("signature = %s, want %s", parts[2], want)
	}
	// Golden: the whole token, so that any change to the encoding shows.
	const golden = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiIyNjc4NWEwOS1hYjE2LTRlYjAtODQwNy1hMzc0OTdhNTc1MDYiLCJpYXQiOjE1Njg4MTg1Nzh9."
	if !strings.HasPrefix(tok, golden) {
		t.Errorf("token = %s, want prefix %s", tok, golden)
	}
	if token(iss, "another-secret", now) == tok {
		t.Error("a different secret gave the same token")
	}
	if token(iss, secret, now.Add(time.Second)) == tok {
		t.Error("a different time gave the same token")
	}
}
