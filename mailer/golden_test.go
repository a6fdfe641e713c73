package mailer_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"tether/mailer/smtptest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestMessageGolden pins the message as written on the wire (dot-unstuffed,
// with \n for CRLF), so that any change to headers or encoding shows.
func TestMessageGolden(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	if _, err := relay(srv).Send(context.Background(), message()); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()[0].Data
	path := filepath.Join("testdata", "message.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("message differs from %s (run with -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
