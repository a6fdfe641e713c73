package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/notify/notifytest"
	"tether/store"
)

// killName spells i in the letters a to j: names hold only letters.
func killName(i int) string {
	b := []byte(fmt.Sprint(i))
	for k := range b {
		b[k] = 'a' + (b[k] - '0')
	}
	return string(b)
}

// A dispatcher killed (SIGKILL) in its second batch, after the first was
// recorded: the notices it recorded stay as they are (not claimed or sent
// again), those Notify accepted without the database knowing are found by
// their reference, and the rest are sent, each exactly once. It runs the
// binary as TestDispatchProcessKilledMidBatch does (see TestMain and
// tetherProcess in dispatch_process_test.go), which covers a kill in the
// first batch, before anything was recorded.
func TestDispatchProcessKilledAfterRecording(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs the binary for about 13 seconds")
	}
	t.Parallel()
	const (
		n         = 200
		batch     = 100
		answered  = 120 // requests answered before the slow ones
		slow      = 8   // = -concurrency: every worker waits on one
		lease     = 10 * time.Second
		smsTplID  = "3c1e4a6b-0d2f-4f8e-9b7a-5e6d7c8b9a01"
		notifyPer = "3000" // 50 a second: the first process runs about 3s
	)
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
		p := &tether.Person{FamilyName: "Kill" + killName(i), GivenNames: "Test"}
		if err := db.CreatePerson(admin, p); err != nil {
			t.Fatal(err)
		}
		if err := db.AddContactPoint(admin, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindMobile,
			Phone: fmt.Sprintf("07911 %06d", 100000+i), Source: tether.SourcePerson, ForCorrespondence: true}); err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "reporting-reminder-sms",
			Personalisation: map[string]string{"date": "Monday 9 March 2026", "time": "10am", "centre_name": "Eaton House"}})
	}
	notices, err := db.CreateNotices(admin, reqs)
	if err != nil {
		t.Fatal(err)
	}

	// The first batch (requests 1 to 100) is sent and recorded at its end.
	// Of the second, requests 101 to 120 are answered but not yet recorded
	// (recording waits for the batch's end, or for a group of accepted
	// sends), and 121 to 128 are stored but never answered, so that every
	// worker is busy when the process is killed.
	faults := map[int]notifytest.Fault{}
	for i := answered + 1; i <= answered+slow; i++ {
		faults[i] = notifytest.Slow
	}
	fake := notifytest.Start(t, notifytest.Options{Faults: faults, SlowDelay: time.Minute})
	env := map[string]string{
		"TETHER_DB": dsn, "TETHER_NOTIFY_API_KEY": fake.APIKey(), "TETHER_NOTIFY_BASE_URL": fake.URL,
		"TETHER_NOTIFY_SMS_TEMPLATE": smsTplID, "TETHER_NOTIFY_RATE": notifyPer,
	}
	first, out := tetherProcess(env, "dispatch", "-batch", fmt.Sprint(batch), "-concurrency", fmt.Sprint(slow),
		"-lease", lease.String())
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	kill := func() {
		first.Process.Kill()
		first.Wait()
	}
	recorded := func() int {
		st, err := db.OutboxStats(ctx)
		if err != nil {
			kill()
			t.Fatal(err)
		}
		return st[tether.OutboxDone]
	}
	deadline := time.Now().Add(20 * time.Second)
	for fake.Count() < answered+slow || recorded() < batch {
		if time.Now().After(deadline) {
			kill()
			t.Fatalf("after 20s Notify holds %d and the database %d sent; dispatcher said:\n%s", fake.Count(), recorded(), out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	killedAt := time.Now()

	accepted := fake.Count()
	before := map[string]string{} // ref: provider id, of the notices recorded sent before the kill
	for _, nt := range notices {
		got, err := db.FindNoticeByID(admin, nt.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State == tether.NoticeSent {
			before[nt.Ref] = got.ProviderID
		}
	}
	t.Logf("killed with %d accepted by Notify, %d recorded sent", accepted, len(before))
	if accepted >= n || len(before) == 0 || accepted-len(before) < slow {
		t.Fatalf("killed with %d of %d accepted and %d recorded: want some recorded, at least %d accepted but not recorded, and some not sent",
			accepted, n, len(before), slow)
	}

	// The killed process's claim holds until its lease runs out; the
	// second dispatcher is not rate-limited.
	time.Sleep(time.Until(killedAt.Add(lease + 500*time.Millisecond)))
	second, out2 := tetherProcess(env, "dispatch", "-once", "-notify-rate", "-1", "-lease", "60s")
	if err := second.Run(); err != nil {
		t.Fatalf("second dispatcher: %v\n%s", err, out2)
	}
	want := fmt.Sprintf("%d sent (%d found already sent", n-len(before), accepted-len(before))
	if !strings.Contains(out2.String(), want) || !strings.Contains(out2.String(), " 0 failed") {
		t.Errorf("second dispatcher: want %q and 0 failed in:\n%s", want, out2)
	}

	if d := fake.Duplicates(); d != 0 {
		t.Fatalf("Notify holds %d duplicate sends", d)
	}
	if fake.Count() != n {
		t.Fatalf("Notify holds %d, want %d", fake.Count(), n)
	}
	for _, nt := range notices {
		got, err := db.FindNoticeByID(admin, nt.ID)
		if err != nil {
			t.Fatal(err)
		}
		at := fake.ByReference(nt.Ref)
		if got.State != tether.NoticeSent || len(at) != 1 || got.ProviderID != at[0].ID {
			t.Fatalf("notice %s: state %s, provider id %q; Notify holds it %d times\nsecond dispatcher:\n%s",
				nt.Ref, got.State, got.ProviderID, len(at), out2)
		}
		if pid, ok := before[nt.Ref]; ok && pid != got.ProviderID {
			t.Fatalf("notice %s was recorded with %q before the kill and %q after", nt.Ref, pid, got.ProviderID)
		}
	}
}
