package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tether"
	"tether/store"
)

var noticeRefRE = regexp.MustCompile(`(?m)^Notice\s+(N-[A-Z0-9]+)$`)

func TestNoticesCLI(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	people := `{"person":{"ref":"TH-00000001D","family_name":"Haile","given_names":"Selam"},"contact_points":[` +
		`{"kind":"postal","address":{"lines":["1 High Street"],"town":"Leeds","postcode":"ls1 1aa","country":"GB"},"source":"person","for_correspondence":true},` +
		`{"kind":"mobile","phone":"07700 900123","source":"person"}]}` + "\n" +
		`{"person":{"ref":"TH-00000002T","family_name":"Lost","given_names":"Person"},"contact_points":[]}` + "\n"
	if r := cli(t, env, people, "import", "people", "-format", "jsonl", "-"); r.code != 0 {
		t.Fatalf("import: %d\n%s", r.code, r.stderr)
	}
	must(t, env, "templates", "seed")
	set := []string{"-set", "date=Monday 9 March 2026", "-set", "time=10am", "-set", "centre_name=Eaton House",
		"-set", "centre_address=1 Eaton Road, Hounslow TW3 1AA", "-set", "interpreter=no"}
	send := func(args ...string) result {
		return cli(t, env, "", append(append([]string{"notices", "send"}, args...), set...)...)
	}

	// A dry run shows the route and the text, and writes nothing.
	r := send("-person", "TH-00000001D", "-template", "reporting-notice-letter", "-dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "Dry run") || !strings.Contains(r.stdout, "for correspondence") ||
		!strings.Contains(r.stdout, "LS1 1AA") || !strings.Contains(r.stdout, "Eaton House") {
		t.Fatalf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if l := must(t, env, "notices", "list"); strings.Contains(l.stdout, "N-") {
		t.Fatalf("the dry run wrote a notice:\n%s", l.stdout)
	}

	// Sent: queued by post, with the route's reason.
	r = send("-person", "TH-00000001D", "-template", "reporting-notice-letter")
	m := noticeRefRE.FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil || !strings.Contains(r.stdout, "queued") || !strings.Contains(r.stdout, "post through notify-letter") {
		t.Fatalf("send: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	queued := m[1]

	// A missing value names the field; nothing is written.
	r = cli(t, env, "", "notices", "send", "-person", "TH-00000001D", "-template", "reporting-notice-letter")
	if r.code != 1 || !strings.Contains(r.stderr, "personalisation.centre_name") {
		t.Fatalf("missing value: exit %d\n%s", r.code, r.stderr)
	}
	// No working contact point: told to serve by hand or to file.
	r = send("-person", "TH-00000002T", "-template", "reporting-notice-letter")
	if r.code != 1 || !strings.Contains(r.stderr, "-method file") || !strings.Contains(r.stderr, "method:") {
		t.Fatalf("no route: exit %d\n%s", r.code, r.stderr)
	}
	if l := must(t, env, "notices", "list"); strings.Count(l.stdout, "N-") != 1 {
		t.Fatalf("a refused notice was written:\n%s", l.stdout)
	}
	// To file, with the reason: served at once, a copy due.
	r = send("-person", "TH-00000002T", "-template", "reporting-notice-letter", "-method", "file", "-reason", "No address known")
	m = noticeRefRE.FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil || !strings.Contains(r.stdout, "on_file") || !strings.Contains(r.stdout, "Copy due") ||
		!strings.Contains(r.stdout, "Deemed served") {
		t.Fatalf("to file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	onFile := m[1]
	if l := must(t, env, "notices", "list", "-on-file"); !strings.Contains(l.stdout, onFile) || strings.Contains(l.stdout, queued) {
		t.Fatalf("on file:\n%s", l.stdout)
	}
	if l := must(t, env, "notices", "list", "-person", "TH-00000001D"); !strings.Contains(l.stdout, queued) || strings.Contains(l.stdout, onFile) {
		t.Fatalf("one person's:\n%s", l.stdout)
	}

	// Show: the text and the timeline.
	r = must(t, env, "notices", "show", onFile)
	if !strings.Contains(r.stdout, "Timeline:") || !strings.Contains(r.stdout, "on_file") || !strings.Contains(r.stdout, "Eaton House") {
		t.Fatalf("show:\n%s", r.stdout)
	}
	// Proof: a PDF.
	out := filepath.Join(t.TempDir(), "proof.pdf")
	must(t, env, "notices", "proof", "-o", out, onFile)
	if b, err := os.ReadFile(out); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("proof: %v, %.20q", err, b)
	}
	// Cancel the queued one; a second time is refused.
	if r := must(t, env, "notices", "cancel", "-reason", "Wrong centre", queued); !strings.Contains(r.stdout, "Cancelled") {
		t.Fatalf("cancel: %s", r.stdout)
	}
	if r := cli(t, env, "", "notices", "cancel", "-reason", "Again", queued); r.code != 1 {
		t.Fatalf("second cancel: exit %d %s", r.code, r.stderr)
	}

	// Bad command lines.
	for _, args := range [][]string{
		{"notices", "send", "-template", "x"}, {"notices", "show"}, {"notices", "cancel", queued},
		{"notices", "send", "-person", "TH-00000001D", "-template", "x", "-set", "novalue"}, {"notices", "list", "-limit", "0"},
	} {
		if r := cli(t, env, "", args...); r.code != 2 {
			t.Errorf("%q: exit %d, want 2", args, r.code)
		}
	}
	if r := cli(t, env, "", "notices", "show", "N-NOSUCHNOTICE"); r.code != 1 {
		t.Errorf("unknown notice: exit %d", r.code)
	}
}

func TestSweepOnce(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	must(t, env, "migrate")
	if r := must(t, env, "sweep", "-once"); !strings.Contains(r.stdout, "tasks-due: 0 done") ||
		!strings.Contains(r.stdout, "contact-signals: 0 done") || !strings.Contains(r.stdout, "status-escalation: 0 done") {
		t.Fatalf("empty sweep:\n%s", r.stdout)
	}
	db, err := store.Open(env["TETHER_DB"], tether.NewManualClock(testNow))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	system := store.AsActor(tether.SystemActor)
	p := &tether.Person{FamilyName: "Sweep", GivenNames: "Test"}
	if err := db.CreatePerson(system, p); err != nil {
		t.Fatal(err)
	}
	due := testNow.AddDate(0, 0, -3).Format("2006-01-02")
	if err := db.OpenTask(system, &tether.Task{Queue: tether.QueueContact, Kind: "follow-up", Priority: tether.PriorityLow,
		DueOn: due, PersonID: p.ID, Summary: "Call them back"}); err != nil {
		t.Fatal(err)
	}
	if r := must(t, env, "sweep", "-once"); !strings.Contains(r.stdout, "tasks-due: 1 done") {
		t.Fatalf("sweep:\n%s", r.stdout)
	}
	if r := must(t, env, "sweep", "-once"); !strings.Contains(r.stdout, "tasks-due: 0 done") {
		t.Fatalf("second sweep:\n%s", r.stdout)
	}
	if r := cli(t, env, "", "sweep", "-every", "10ms"); r.code != 2 {
		t.Fatalf("-every 10ms: exit %d", r.code)
	}
}
