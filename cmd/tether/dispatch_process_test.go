package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/notify/notifytest"
	"tether/store"
)

// TestMain lets a test run this test binary as the tether binary: with
// TETHER_TEST_MAIN=1 it runs main with the arguments it was given.
func TestMain(m *testing.M) {
	if os.Getenv("TETHER_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// tetherProcess is the tether binary (this test binary, see TestMain) with
// args and the environment env, its output collected.
func tetherProcess(env map[string]string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "TETHER_TEST_MAIN=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// A dispatcher killed (SIGKILL) in the middle of a batch leaves notices
// claimed, some of them accepted by Notify without the database knowing.
// The next dispatcher, once the lease has run out, finishes them: each
// notice is sent exactly once.
func TestDispatchProcessKilledMidBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs the binary for about 15 seconds")
	}
	t.Parallel()
	const n = 120
	dsn := filepath.Join(t.TempDir(), "tether.db")
	db, err := store.Open(dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	admin := store.AsActor(tether.Actor{UserID: 1, Role: tether.RoleAdmin, PersonalData: true})
	if _, err := db.SeedTemplates(admin); err != nil {
		t.Fatal(err)
	}
	var reqs []*tether.NoticeRequest
	for i := range n {
		p := &tether.Person{FamilyName: "Killtest", GivenNames: "Person " + strings.Repeat("a", i%7+1)}
		if err := db.CreatePerson(admin, p); err != nil {
			t.Fatal(err)
		}
		if err := db.AddContactPoint(admin, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindMobile,
			Phone: fmt.Sprintf("07911 %06d", 200000+i), Source: tether.SourcePerson, ForCorrespondence: true}); err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "reporting-reminder-sms",
			Personalisation: map[string]string{"date": "Monday 9 March 2026", "time": "10am", "centre_name": "Eaton House"}})
	}
	notices, err := db.CreateNotices(admin, reqs)
	if err != nil {
		t.Fatal(err)
	}

	// Requests 41 to 48 are stored but not answered: the dispatcher's 8
	// workers wait on them when it is killed, so Notify holds notices the
	// database does not know were sent.
	faults := map[int]notifytest.Fault{}
	for i := 41; i <= 48; i++ {
		faults[i] = notifytest.Slow
	}
	fake := notifytest.Start(t, notifytest.Options{Faults: faults, SlowDelay: time.Minute})
	env := map[string]string{
		"TETHER_DB": dsn, "TETHER_NOTIFY_API_KEY": fake.APIKey(), "TETHER_NOTIFY_BASE_URL": fake.URL,
		"TETHER_NOTIFY_SMS_TEMPLATE": "8f0a2a4c-63a7-4d43-a6b2-0e5e3c1f7d11",
		// 20 a second: the run takes six seconds, so the kill lands in it.
		"TETHER_NOTIFY_RATE": "1200",
	}
	first, out := tetherProcess(env, "dispatch", "-batch", "200", "-concurrency", "8", "-lease", "10s")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for fake.Count() < 48 {
		if time.Now().After(deadline) {
			first.Process.Kill()
			first.Wait()
			t.Fatalf("Notify holds %d after 20s; dispatcher said:\n%s", fake.Count(), out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	killedAt := time.Now()
	accepted := fake.Count()
	if accepted >= n {
		t.Fatalf("all %d sent before the kill: the test did not kill mid-batch", accepted)
	}
	sentInDB := 0
	for _, nt := range notices {
		got, err := db.FindNoticeByID(admin, nt.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State == tether.NoticeSent {
			sentInDB++
		}
	}
	t.Logf("killed with %d accepted by Notify, %d recorded sent", accepted, sentInDB)
	if accepted-sentInDB < 8 {
		t.Fatalf("killed with %d accepted and %d recorded: want at least 8 accepted but not recorded", accepted, sentInDB)
	}

	// The killed process's claims hold until the lease runs out.
	time.Sleep(time.Until(killedAt.Add(10*time.Second + 500*time.Millisecond)))
	second, out2 := tetherProcess(env, "dispatch", "-once", "-lease", "60s")
	if err := second.Run(); err != nil {
		t.Fatalf("second dispatcher: %v\n%s", err, out2)
	}
	if !strings.Contains(out2.String(), fmt.Sprintf("sent (%d found already sent", accepted-sentInDB)) ||
		!strings.Contains(out2.String(), " 0 failed") {
		t.Errorf("second dispatcher:\n%s", out2)
	}
	if d := fake.Duplicates(); d != 0 {
		t.Fatalf("Notify holds %d duplicate sends", d)
	}
	for _, nt := range notices {
		got, err := db.FindNoticeByID(admin, nt.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != tether.NoticeSent || got.ProviderID == "" || fake.Sends(nt.Ref) != 1 {
			t.Fatalf("notice %s: state %s, provider id %q, sent %d times\nsecond dispatcher:\n%s",
				nt.Ref, got.State, got.ProviderID, fake.Sends(nt.Ref), out2)
		}
	}
	if fake.Count() != n {
		t.Fatalf("Notify holds %d, want %d", fake.Count(), n)
	}
}
