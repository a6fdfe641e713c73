package notify

import (
	"strings"
	"testing"
)

func TestParseAPIKey(t *testing.T) {
	const (
		svc    = "26785a09-ab16-4eb0-8407-a37497a57506"
		secret = "3d844edf-8d35-48ac-975b-e847b4f122b0"
	)
	tests := []struct {
		name    string
		key     string
		svc     string
		secret  string
		wantErr string
	}{
		{"documented example", "my_test_key-" + svc + "-" + secret, svc, secret, ""},
		{"key name with hyphens", "tether-live-key-2-" + svc + "-" + secret, svc, secret, ""},
		{"empty key name", "-" + svc + "-" + secret, svc, secret, ""},
		{"upper-case hex", "k-" + strings.ToUpper(svc) + "-" + secret, strings.ToUpper(svc), secret, ""},
		{"empty", "", "", "", "empty"},
		{"only the two uuids", svc + "-" + secret, "", "", "too short"},
		{"one character short", "k-" + svc + "-" + secret[1:], "", "", "not {key_name}"},
		{"secret not a uuid", "k-" + svc + "-" + "3d844edf-8d35-48ac-975b-e847b4f122bz", "", "", "secret is not a UUID"},
		{"service id not a uuid", "k-" + "26785a09_ab16-4eb0-8407-a37497a57506" + "-" + secret, "", "", "service id is not a UUID"},
		{"missing separator", "k-" + svc + "x" + secret, "", "", "not {key_name}"},
		{"trailing space", "k-" + svc + "-" + secret + " ", "", "", "API key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotSvc, gotSecret, err := ParseAPIKey(tt.key)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), secret[:8]) {
					t.Errorf("error %q reveals the secret", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if gotSvc != tt.svc || gotSecret != tt.secret {
				t.Errorf("got (%s, %s), want (%s, %s)", gotSvc, gotSecret, tt.svc, tt.secret)
			}
		})
	}
}

func TestIsUUID(t *testing.T) {
	for s, want := range map[string]bool{
		"740e5834-3a29-46b4-9a6f-16142fde533a":  true,
		"740E5834-3A29-46B4-9A6F-16142FDE533A":  true,
		"740e5834-3a29-46b4-9a6f-16142fde533":   false,
		"740e5834-3a29-46b4-9a6f-16142fde533aa": false,
		"740e58343a29-46b4-9a6f-16142fde533a-":  false,
		"740e5834-3a29-46b4-9a6f-16142fde533g":  false,
		"":                                      false,
	} {
		if got := IsUUID(s); got != want {
			t.Errorf("IsUUID(%q) = %v, want %v", s, got, want)
		}
	}
}
