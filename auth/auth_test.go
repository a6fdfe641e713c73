package auth

import (
	"strings"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q is not in PHC argon2id form", h)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
	} {
		ok, err := CheckPassword(h, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestCheckPasswordRejectsBadHashes(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA", "$argon2id$v=19$m=x,t=3,p=2$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=65536,t=3,p=2$!!$aGFzaA", "$argon2id$v=19$m=999999999,t=3,p=2$c2FsdA$aGFzaA"} {
		if ok, err := CheckPassword(h, "x"); ok || err == nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want false, error", h, ok, err)
		}
	}
}

func TestNewToken(t *testing.T) {
	a, ha, err := NewToken(APIPrefix)
	if err != nil {
		t.Fatal(err)
	}
	b, hb, _ := NewToken(APIPrefix)
	if a == b || SameHash(ha, hb) {
		t.Fatal("two tokens are equal")
	}
	if !strings.HasPrefix(a, APIPrefix) || len(a) < 40 {
		t.Errorf("token %q: want prefix %q and at least 40 characters", a, APIPrefix)
	}
	if !SameHash(HashToken(a), ha) {
		t.Error("HashToken does not match the hash NewToken returned")
	}
}
