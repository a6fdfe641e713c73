package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tether"
	"tether/demo"
	"tether/exchange"
	_ "tether/store" // registers the sqlite3 driver for the tampering test
)

// testNow is the clock of every test run, so that exports are stable.
var testNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type result struct {
	code           int
	stdout, stderr string
}

// cli runs the command in-process with env as its whole environment.
func cli(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		lookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		clock:     tether.NewManualClock(testNow),
	}
	code := a.run(context.Background(), args)
	return result{code, out.String(), errb.String()}
}

// must runs a command that must succeed.
func must(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	r := cli(t, env, "", args...)
	if r.code != 0 {
		t.Fatalf("tether %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// dbEnv is an environment naming a fresh SQLite database.
func dbEnv(t *testing.T) map[string]string {
	return map[string]string{"TETHER_DB": filepath.Join(t.TempDir(), "tether.db")}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	r := must(t, nil, "help")
	for _, c := range commands() {
		if !strings.Contains(r.stdout, c.name) {
			t.Errorf("help does not mention %q", c.name)
		}
	}
	for _, s := range allSettings {
		if !strings.Contains(r.stdout, s.Env) || !strings.Contains(r.stdout, "-"+s.Flag) {
			t.Errorf("help does not mention %s or -%s", s.Env, s.Flag)
		}
	}
	for _, c := range commands() {
		args := append(strings.Fields(c.name), "-h")
		h := must(t, nil, args...)
		if !strings.HasPrefix(h.stdout, "Usage: tether "+c.name) || !strings.Contains(h.stdout, "Examples:") {
			t.Errorf("%s -h:\n%s", c.name, h.stdout)
		}
		if c.name != "bench import" && c.name != "templates check" && !strings.Contains(h.stdout, "[$TETHER_DB]") {
			t.Errorf("%s -h does not name TETHER_DB:\n%s", c.name, h.stdout)
		}
		if again := must(t, nil, append([]string{"help"}, strings.Fields(c.name)...)...); again.stdout != h.stdout {
			t.Errorf("tether help %s differs from tether %s -h", c.name, c.name)
		}
	}
	serve := must(t, nil, "serve", "-h").stdout
	for _, env := range []string{"TETHER_ADDR", "TETHER_LOG_LEVEL", "TETHER_SECURE_COOKIES", "TETHER_TRUSTED_ORIGINS"} {
		if !strings.Contains(serve, "[$"+env+"]") {
			t.Errorf("serve -h does not name %s", env)
		}
	}
	if r := must(t, nil, "users", "-h"); !strings.Contains(r.stdout, "tether users add") {
		t.Errorf("users -h:\n%s", r.stdout)
	}
	for _, args := range [][]string{{}, {"frobnicate"}, {"users"}, {"users", "frobnicate"}, {"migrate", "-nope"}, {"import", "people"}} {
		if r := cli(t, nil, "", args...); r.code != 2 || r.stderr == "" {
			t.Errorf("tether %q: exit %d, stderr %q; want 2 with a message", args, r.code, r.stderr)
		}
	}
}

func TestSettingsFromEnvironment(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"TETHER_DB":             "postgres://tether:hunter2hunter2@db.internal/tether",
		"TETHER_ADDR":           "0.0.0.0:9999",
		"TETHER_SECURE_COOKIES": "true",
		"TETHER_PASSWORD":       "a-very-secret-password",
	}
	h := must(t, env, "serve", "-h").stdout
	if !strings.Contains(h, "0.0.0.0:9999") || !strings.Contains(h, "(default true)") {
		t.Errorf("serve -h does not show the environment's values:\n%s", h)
	}
	if strings.Contains(h, "hunter2") || !strings.Contains(h, "db.internal") {
		t.Errorf("help must show the DSN without its password:\n%s", h)
	}
	if u := must(t, env, "users", "add", "-h").stdout; strings.Contains(u, "a-very-secret-password") {
		t.Errorf("users add -h shows the password:\n%s", u)
	}
	r := cli(t, map[string]string{"TETHER_SECURE_COOKIES": "maybe"}, "", "serve")
	if r.code != 2 || !strings.Contains(r.stderr, "TETHER_SECURE_COOKIES") {
		t.Errorf("a bad boolean in the environment: exit %d, %q", r.code, r.stderr)
	}
}

func TestRunUsesTheProcessEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "env.db")
	t.Setenv("TETHER_DB", path)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("TETHER_DB was not used: %v", err)
	}
}

func TestParseInterleaved(t *testing.T) {
	t.Parallel()
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	strict := fs.Bool("strict", false, "")
	format := fs.String("format", "", "")
	pos, err := parseInterleaved(fs, []string{"a.csv", "-strict", "b", "-format", "csv", "--", "-c"})
	if err != nil {
		t.Fatal(err)
	}
	if !*strict || *format != "csv" || !reflect.DeepEqual(pos, []string{"a.csv", "b", "-c"}) {
		t.Errorf("strict %v format %q pos %q", *strict, *format, pos)
	}
}

func TestMigrateAndUsers(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	if r := must(t, env, "migrate"); !strings.Contains(r.stdout, "Applied 0001") {
		t.Errorf("migrate: %q", r.stdout)
	}
	if r := must(t, env, "migrate"); !strings.Contains(r.stdout, "up to date") {
		t.Errorf("second migrate: %q", r.stdout)
	}

	env["TETHER_PASSWORD"] = "correct horse battery staple"
	must(t, env, "users", "add", "-email", "Ana.Silva@example.org", "-name", "Ana Silva", "-role", "admin")
	delete(env, "TETHER_PASSWORD")
	// Without a terminal the password is a line of standard input.
	if r := cli(t, env, "another long password\n", "users", "add", "-email", "cw@example.org", "-name", "Chris Wu", "-role", "caseworker"); r.code != 0 {
		t.Fatalf("users add with the password on stdin: %d %s", r.code, r.stderr)
	}
	r := cli(t, env, "", "users", "add", "-email", "x@example.org", "-name", "X", "-role", "caseworker")
	if r.code != 2 || !strings.Contains(r.stderr, "no password") {
		t.Errorf("no password: %d %q", r.code, r.stderr)
	}
	r = cli(t, env, "", "users", "add", "-email", "x@example.org", "-name", "X", "-role", "caseworker", "-password", "short")
	if r.code != 1 || !strings.Contains(r.stderr, "password: must be at least 12") {
		t.Errorf("short password: %d %q", r.code, r.stderr)
	}
	r = cli(t, env, "", "users", "add", "-email", "x@example.org", "-name", "X", "-role", "boss", "-password", "long enough password")
	if r.code != 1 || !strings.Contains(r.stderr, "role:") {
		t.Errorf("bad role: %d %q", r.code, r.stderr)
	}
	r = cli(t, env, "", "users", "add", "-email", "cw@example.org", "-name", "Again", "-role", "caseworker", "-password", "long enough password")
	if r.code != 1 {
		t.Errorf("a taken email: %d %q", r.code, r.stderr)
	}

	if r := must(t, env, "orgs", "add", "-name", "Office of Jo Example MP", "-kind", "mp_office", "-constituency", "Exampleton", "-division", "scotland"); !strings.Contains(r.stdout, "Created organisation 1") {
		t.Errorf("orgs add: %q", r.stdout)
	}
	if r := must(t, env, "orgs", "list"); !strings.Contains(r.stdout, "Office of Jo Example MP") || !strings.Contains(r.stdout, "scotland") {
		t.Errorf("orgs list:\n%s", r.stdout)
	}
	must(t, env, "users", "add", "-email", "office@example.org", "-name", "Jo's Office", "-role", "organisation", "-org", "1", "-password", "long enough password")

	must(t, env, "users", "set-role", "-email", "cw@example.org", "-role", "enquiries")
	must(t, env, "users", "disable", "-email", "cw@example.org")
	list := must(t, env, "users", "list").stdout
	for _, want := range []string{"ana.silva@example.org", "Ana Silva", "admin", "enquiries", "disabled", "Office of Jo Example MP (1)"} {
		if !strings.Contains(list, want) {
			t.Errorf("users list lacks %q:\n%s", want, list)
		}
	}
	must(t, env, "users", "enable", "-email", "cw@example.org")
	if list := must(t, env, "users", "list").stdout; strings.Contains(list, "disabled") {
		t.Errorf("still disabled:\n%s", list)
	}
	must(t, env, "users", "password", "-email", "cw@example.org", "-password", "a brand new password")

	tok := must(t, env, "users", "token", "-email", "ana.silva@example.org", "-name", "nightly report")
	secret := strings.TrimSpace(tok.stdout)
	if secret == "" || strings.Contains(secret, "\n") || !strings.Contains(tok.stderr, "shown only this once") {
		t.Errorf("token: stdout %q stderr %q", tok.stdout, tok.stderr)
	}
	if r := cli(t, env, "", "users", "disable", "-email", "nobody@example.org"); r.code != 1 || !strings.Contains(r.stderr, "not found") {
		t.Errorf("unknown user: %d %q", r.code, r.stderr)
	}
}

// exportFile exports people to a file of the format and returns its bytes.
func exportFile(t *testing.T, env map[string]string, name string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	must(t, env, "export", "people", path)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v; an export holds personal data", name, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var summaryRE = regexp.MustCompile(`(?m)^\s+([\d,]+) (imported|already stored|rejected)`)

// counts reads the summary of an import.
func counts(t *testing.T, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, s := range summaryRE.FindAllStringSubmatch(out, -1) {
		m[s[2]] = s[1]
	}
	if len(m) != 3 {
		t.Fatalf("no summary in:\n%s", out)
	}
	return m
}

func TestDemoExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	src := dbEnv(t)
	r := must(t, src, "demo", "-people", "200")
	if !strings.Contains(r.stdout, "Added 200 synthetic people") ||
		!strings.Contains(r.stdout, "Demo sign-in: caseworker@example.org / demo-password-please-change") {
		t.Errorf("demo:\n%s", r.stdout)
	}
	if r := must(t, src, "demo", "-people", "200"); !strings.Contains(r.stdout, "200 were there already") {
		t.Errorf("demo twice:\n%s", r.stdout)
	}
	if r := must(t, src, "demo", "-if-empty"); !strings.Contains(r.stdout, "no demo data added") {
		t.Errorf("demo -if-empty:\n%s", r.stdout)
	}
	list := must(t, src, "users", "list").stdout
	for _, u := range []string{"admin@", "caseworker@", "enquiries@", "inspector@", "mp.office@", "law.firm@"} {
		if !strings.Contains(list, u+"example.org") {
			t.Errorf("no demo user %s:\n%s", u, list)
		}
	}

	for _, format := range []string{"csv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			a := exportFile(t, src, "a."+format)
			if n := bytes.Count(a, []byte("\n")); format == "csv" && n != 201 || format == "jsonl" && n != 200 {
				t.Fatalf("export has %d lines", n)
			}
			dst := dbEnv(t)
			file := writeFile(t, "a."+format, a)
			if c := counts(t, must(t, dst, "import", "people", file).stdout); c["imported"] != "200" || c["rejected"] != "0" {
				t.Fatalf("import: %v", c)
			}
			b := exportFile(t, dst, "b."+format)
			if !bytes.Equal(a, b) {
				t.Errorf("export, import and export again differ:\n%s\n----\n%s", firstDiff(a, b), "")
			}
			// Running it again adds nothing.
			if c := counts(t, must(t, dst, "import", "people", file).stdout); c["imported"] != "0" || c["already stored"] != "200" {
				t.Errorf("second import: %v", c)
			}
			if c := exportFile(t, dst, "c."+format); !bytes.Equal(a, c) {
				t.Error("the second import changed the data")
			}
		})
	}

	// Without a file, CSV goes to standard output and the summary to stderr.
	out := must(t, src, "export", "people")
	if !strings.HasPrefix(out.stdout, strings.Join(exchange.Columns[:], ",")+"\n") || !strings.Contains(out.stderr, "Exported 200 people") {
		t.Errorf("export to stdout: %.200s / %s", out.stdout, out.stderr)
	}
	if strings.Contains(out.stdout, "Exported") {
		t.Error("the summary went into the data")
	}
	// Some people are the law firm's clients, so its user sees them.
	lawFirmClients := strings.Count(out.stdout, ","+demo.LawFirm+",")
	if lawFirmClients == 0 {
		t.Error("no demo person is a client of the demo law firm")
	}
}

func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n%s\n%s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(la), len(lb))
}

func TestImportReportsBadRows(t *testing.T) {
	t.Parallel()
	header := strings.Join(exchange.Columns[:], ",")
	row := func(ref, family, postcode, mobile string) string {
		m := map[string]string{"ref": ref, "family_name": family, "given_names": "Test", "address_line1": "1 High Street",
			"town": "Leeds", "postcode": postcode, "mobile": mobile}
		v := make([]string, len(exchange.Columns))
		for i, c := range exchange.Columns {
			v[i] = m[c]
		}
		return strings.Join(v, ",")
	}
	lines := []string{header,
		row("TH-00000001D", "Good", "LS1 1AA", "07700 900001"),
		row("TH-00000002T", "Bad Postcode", "LS1 1AAA", ""),
		row("TH-00000003G", "", "LS1 1AA", ""),
		row("TH-00000004W", "Bad Phone", "LS1 1AA", "0770"),
		row("", "No Reference", "LS1 1AA", ""),
		row("TH-00000005K", "Good Too", "G1 1AA", ""),
		row("TH-00000005K", "Repeated", "G1 1AA", ""),
		row("TH-00000006Z", "Too", "G1 1AA", "") + ",extra",
	}
	file := writeFile(t, "people.csv", []byte(strings.Join(lines, "\n")+"\n"))
	env := dbEnv(t)

	strict := cli(t, env, "", "import", "people", "-strict", file)
	if strict.code != 1 || !strings.Contains(strict.stderr, "nothing imported") {
		t.Errorf("-strict: exit %d\n%s", strict.code, strict.stderr)
	}
	if out := must(t, env, "export", "people").stdout; strings.Count(out, "\n") != 1 {
		t.Errorf("-strict imported something:\n%s", out)
	}

	r := must(t, env, "import", "people", file)
	for _, want := range []string{
		"line 3: postcode: ", "line 4: family_name: enter a name", "line 5: mobile: ",
		"line 6: ref: enter the reference", "line 8: ref: this reference is on an earlier line",
		"line 9: row: too many fields",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "line 2:") || strings.Contains(r.stderr, "line 7:") {
		t.Errorf("good rows reported:\n%s", r.stderr)
	}
	if c := counts(t, r.stdout); c["imported"] != "2" || c["rejected"] != "6" {
		t.Errorf("counts %v", c)
	}
	out := must(t, env, "export", "people").stdout
	if !strings.Contains(out, "TH-00000001D,Good,") || !strings.Contains(out, "TH-00000005K,Good Too,") {
		t.Errorf("the good rows are not there:\n%s", out)
	}

	// A file the import cannot read at all fails.
	bad := writeFile(t, "bad.csv", []byte("ref,family_name,shoe_size\nTH-00000001D,X,9\n"))
	if r := cli(t, env, "", "import", "people", bad); r.code != 1 || !strings.Contains(r.stderr, `unknown column "shoe_size"`) {
		t.Errorf("bad header: %d %q", r.code, r.stderr)
	}
	if r := cli(t, env, "", "import", "people", filepath.Join(t.TempDir(), "missing.csv")); r.code != 1 {
		t.Errorf("missing file: %d %q", r.code, r.stderr)
	}
	if r := cli(t, env, "", "import", "people", "people.txt"); r.code != 2 || !strings.Contains(r.stderr, "-format") {
		t.Errorf("unknown extension: %d %q", r.code, r.stderr)
	}
}

func TestImportFromStdinJSONL(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	in := `{"person":{"ref":"TH-00000001D","family_name":"Haile","given_names":"Selam"},"contact_points":[` +
		`{"kind":"mobile","phone":"07700 900123"}]}` + "\n" + `{"person":{"ref":"TH-00000002T","family_name":"X"},"shoe":1}` + "\n"
	r := cli(t, env, in, "import", "people", "-format", "jsonl", "-")
	if r.code != 0 || !strings.Contains(r.stderr, `line 2: line: unknown field "shoe"`) {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if c := counts(t, r.stdout); c["imported"] != "1" || c["rejected"] != "1" {
		t.Errorf("counts %v", c)
	}
}

func TestAuditVerify(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	must(t, env, "demo", "-people", "20")
	r := must(t, env, "audit", "verify")
	if !strings.Contains(r.stdout, "intact") {
		t.Fatalf("audit verify:\n%s", r.stdout)
	}
	db, err := sql.Open("sqlite3", env["TETHER_DB"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE audit_log SET detail = 'tampered' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	r = cli(t, env, "", "audit", "verify")
	if r.code != 1 || !strings.Contains(r.stdout, "BROKEN at entry 3") {
		t.Errorf("tampered: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// syncBuffer is a buffer that a server goroutine writes while a test reads.
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

func TestServe(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	env["TETHER_ADDR"] = "127.0.0.1:0"
	must(t, env, "demo", "-people", "5")
	var stdout, stderr syncBuffer
	a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		lookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }, clock: tether.SystemClock{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- a.run(ctx, []string{"serve", "-log-level", "debug"}) }()

	var url string
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := regexp.MustCompile(`Tether is listening on (http://\S+)`).FindStringSubmatch(stdout.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		cancel()
		t.Fatalf("no address printed; stderr:\n%s", stderr.String())
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	// The logs are JSON lines, and say nothing of anyone.
	sc := bufio.NewScanner(strings.NewReader(stderr.String()))
	for sc.Scan() {
		if line := sc.Text(); !strings.HasPrefix(line, "{") && !strings.HasPrefix(line, "Applied migration") {
			t.Errorf("a log line that is not JSON: %q", line)
		}
	}
}

func TestBenchImport(t *testing.T) {
	if testing.Short() {
		t.Skip("bench in -short mode")
	}
	t.Parallel()
	r := must(t, nil, "bench", "import", "-people", "300", "-dir", t.TempDir())
	for _, want := range []string{"imported 300 people", "people/s", "VmHWM"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("bench output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestRefSet(t *testing.T) {
	t.Parallel()
	s := newRefSet()
	for _, ref := range []string{"TH-00000000A", "TH-99999999B", "TH-00000064C"} {
		if s.repeat(ref) {
			t.Errorf("%s new, but seen", ref)
		}
		if !s.repeat(ref) {
			t.Errorf("%s again, but not seen", ref)
		}
	}
	if s.repeat("TH-00000001D") || s.repeat("nonsense") || s.repeat("nonsense") {
		t.Error("unseen reported as seen")
	}
}

func TestCommas(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := commas(n); got != want {
			t.Errorf("commas(%d) = %q", n, got)
		}
	}
}

// BenchmarkImportCSV imports b.N demo people from a CSV file into a fresh
// SQLite database; see also "tether bench import".
func BenchmarkImportCSV(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "people.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := exchange.NewCSVWriter(f, testNow)
	for pi := range demo.Generate(1, b.N, testNow) {
		if err := w.Write(pi); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
		lookupEnv: func(string) (string, bool) { return "", false }, clock: tether.NewManualClock(testNow)}
	ctx := context.Background()
	db, err := a.openDB(ctx, filepath.Join(dir, "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx = tether.NewContextWithActor(ctx, tether.CLIActor("bench"))
	b.ResetTimer()
	c, err := a.importPeople(ctx, db, importOptions{path: path, format: exchange.CSV, batch: defaultBatch, source: tether.SourceImport})
	b.StopTimer()
	if err != nil || c.Imported != int64(b.N) {
		b.Fatalf("imported %d of %d: %v", c.Imported, b.N, err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "people/s")
}

// fakeImporter refuses, as invalid, any batch holding the reference bad.
type fakeImporter struct {
	bad   string
	calls int
}

func (f *fakeImporter) ImportPeople(ctx context.Context, batch []tether.PersonImport) (tether.ImportResult, error) {
	f.calls++
	for i, pi := range batch {
		if pi.Person.Ref == f.bad {
			return tether.ImportResult{}, tether.Problems{fmt.Sprintf("batch[%d].representative.organisation_id", i): "no such organisation"}.Err()
		}
	}
	for _, pi := range batch {
		pi.Person.ID = 1
	}
	return tether.ImportResult{Created: len(batch)}, nil
}

func TestLoaderRejectsOnlyTheRowsTheStoreRefuses(t *testing.T) {
	t.Parallel()
	var problems []string
	imp := &fakeImporter{bad: "TH-00000004W"}
	l := &loader{imp: imp, size: 3, reject: func(p []string) { problems = append(problems, p...) }}
	for i, ref := range []string{"TH-00000001D", "TH-00000002T", "TH-00000003G", "TH-00000004W", "TH-00000005K"} {
		pi := tether.PersonImport{Person: &tether.Person{Ref: ref}, ContactPoints: []*tether.ContactPoint{{}, {}}}
		if err := l.add(context.Background(), pi, i+2); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.finish(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := importCounts{Imported: 4, Rejected: 1, Points: 8}
	if l.counts != want {
		t.Errorf("counts %+v, want %+v", l.counts, want)
	}
	if !reflect.DeepEqual(problems, []string{"line 5: representative.organisation_id: no such organisation"}) {
		t.Errorf("problems %q", problems)
	}
}
