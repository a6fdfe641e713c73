package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"tether/enquiry"
	"tether/store"
)

// departmentStandards are a department's own standards: routine enquiries
// in 15 working days, about detention in 10, urgent ones in 3; warnings 5
// working days ahead; two teams.
const departmentStandards = `{
  "name": "department-standards",
  "version": 2,
  "warn_working_days": 5,
  "standards": [
    {"urgency": "routine", "working_days": 15, "text": "We answer a routine enquiry within 15 working days."},
    {"urgency": "routine", "category": "detention", "working_days": 10, "text": "We answer a routine enquiry about detention within 10 working days."},
    {"urgency": "urgent", "working_days": 3, "text": "We answer an urgent enquiry within 3 working days."},
    {"urgency": "compassionate", "working_days": 3, "text": "We answer a compassionate enquiry within 3 working days."}
  ],
  "teams": [
    {"key": "casework", "name": "Casework enquiries", "categories": ["asylum_claim", "documents", "detention"]},
    {"key": "contact", "name": "Contact management enquiries", "categories": ["reporting", "support"]}
  ]
}`

var pgSchemaSeq atomic.Int64

// engineEnvs are fresh databases for a test, by engine: SQLite always,
// PostgreSQL (a schema of its own) when TETHER_TEST_POSTGRES is set.
func engineEnvs(t *testing.T) map[string]map[string]string {
	t.Helper()
	envs := map[string]map[string]string{store.SQLite: dbEnv(t)}
	base := os.Getenv("TETHER_TEST_POSTGRES")
	if base == "" {
		return envs
	}
	schema := fmt.Sprintf("cli_%d_%d", os.Getpid(), pgSchemaSeq.Add(1))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	envs[store.Postgres] = map[string]string{"TETHER_DB": u.String()}
	return envs
}

// TestEnquiryStandardsCommand prints the built-in standards in words and
// as JSON that the setting reads back.
func TestEnquiryStandardsCommand(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	r := must(t, env, "enquiries", "standards")
	for _, want := range []string{
		`Enquiry service standards "enquiry-service-standards", version 1 (built in).`,
		"warned 3 working days before an enquiry is due",
		"routine        every category  20 working days  A routine enquiry is answered within 20 working days.",
		"urgent         every category  2 working days   An urgent enquiry is answered within 2 working days.",
		"compassionate  every category  2 working days",
		"asylum     Asylum casework enquiries     asylum_claim, documents",
		"detention  Detention enquiries           detention",
		"contact    Contact management enquiries  reporting, support",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("standards: no %q in:\n%s", want, r.stdout)
		}
	}
	j := must(t, env, "enquiries", "standards", "-json")
	got, err := enquiry.ParseStandards([]byte(j.stdout))
	if err != nil {
		t.Fatalf("-json is not standards the setting reads: %v\n%s", err, j.stdout)
	}
	if !reflect.DeepEqual(got, enquiry.DefaultStandards()) {
		t.Errorf("-json: %+v", got)
	}
	// What -json printed, given back as the setting, is the same.
	file := writeFile(t, "standards.json", []byte(j.stdout))
	if again := must(t, env, "enquiries", "standards", "-json", "-enquiry-standards", file); again.stdout != j.stdout {
		t.Errorf("read back:\n%s\nwant:\n%s", again.stdout, j.stdout)
	}
	if r := cli(t, env, "", "enquiries", "standards", "extra"); r.code != 2 {
		t.Errorf("an argument: exit %d", r.code)
	}
}

// TestEnquiryStandardsSetting puts a department's standards in force from
// the environment: new enquiries get their working days, warning and team;
// the command shows them; the flag wins over the environment.
func TestEnquiryStandardsSetting(t *testing.T) {
	t.Parallel()
	for engine, env := range engineEnvs(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			file := writeFile(t, "department.json", []byte(departmentStandards))
			env["TETHER_ENQUIRY_STANDARDS"] = file
			people := `{"person":{"ref":"TH-00000001D","family_name":"Haile","given_names":"Selam","date_of_birth":"1990-05-01"},"contact_points":[]}` + "\n"
			if r := cli(t, env, people, "import", "people", "-format", "jsonl", "-"); r.code != 0 {
				t.Fatalf("import: %d\n%s", r.code, r.stderr)
			}
			must(t, env, "orgs", "add", "-name", "Office of Ann Member MP", "-kind", "mp_office", "-constituency", "Exampleton", "-division", "england-and-wales")

			r := must(t, env, "enquiries", "standards")
			for _, want := range []string{`"department-standards", version 2 (from ` + file + `)`, "warned 5 working days",
				"routine        every other category  15 working days", "routine        detention             10 working days",
				"casework  Casework enquiries            asylum_claim, documents, detention"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("standards: no %q in:\n%s", want, r.stdout)
				}
			}

			// Received Monday 2 March 2026: 15 working days is Monday 23
			// March (20 would be 30 March); about detention, 10 is 16 March.
			create := func(category string) string {
				r := must(t, env, "enquiries", "create", "-org", "Office of Ann Member MP", "-person", "TH-00000001D",
					"-question", "When will Ms Haile's case be decided?", "-category", category, "-basis", "written_consent",
					"-given-on", "2026-02-26", "-acknowledge-duplicates")
				return r.stdout
			}
			out := create("asylum_claim")
			for _, want := range []string{`Due\s+2026-03-23\n`, `Why then\s+We answer a routine enquiry within 15 working days\.`, `Team\s+casework\n`} {
				if !regexp.MustCompile(want).MatchString(out) {
					t.Errorf("asylum claim: no %q in:\n%s", want, out)
				}
			}
			out = create("detention")
			for _, want := range []string{`Due\s+2026-03-16\n`, `within 10 working days\.`, `Team\s+casework\n`} {
				if !regexp.MustCompile(want).MatchString(out) {
					t.Errorf("detention: no %q in:\n%s", want, out)
				}
			}
			// The sweep reads it too (and runs with it).
			if r := must(t, env, "sweep", "-once", "-only", "enquiry-warnings,enquiry-breaches"); !strings.Contains(r.stdout, "enquiry-warnings: 0 done") {
				t.Errorf("sweep:\n%s", r.stdout)
			}

			// The flag wins: the built-in standards again, for this command.
			builtIn := writeFile(t, "built-in.json", must(t, env, "enquiries", "standards", "-json", "-enquiry-standards", "").bytes())
			if r := must(t, env, "enquiries", "standards", "-enquiry-standards", builtIn); !strings.Contains(r.stdout, `"enquiry-service-standards", version 1`) {
				t.Errorf("flag over environment:\n%s", r.stdout)
			}
			if out := create("asylum_claim"); !regexp.MustCompile(`Due\s+2026-03-23\n`).MatchString(out) {
				t.Errorf("the environment's standards again:\n%s", out)
			}
		})
	}
}

func (r result) bytes() []byte { return []byte(r.stdout) }

// TestEnquiryStandardsRefused gives every command that works with
// enquiries a bad file: each stops at start with exit 1, naming the file,
// the field and the reason, before it opens (or creates) the database.
func TestEnquiryStandardsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zeroDays := strings.Replace(departmentStandards, `"working_days": 15`, `"working_days": 0`, 1)
	noUrgent := regexp.MustCompile(`(?m)^\s*\{"urgency": "urgent".*\n`).ReplaceAllString(departmentStandards, "")
	twoTeams := strings.Replace(departmentStandards, `["reporting", "support"]`, `["reporting", "support", "detention"]`, 1)
	files := []struct {
		name, path string
		want       []string
	}{
		{"zero days", bad("zero.json", zeroDays), []string{"standards[0].working_days: must be between 1 and 100"}},
		{"no urgent standard", bad("nourgent.json", noUrgent), []string{"standards: no standard for urgent enquiries"}},
		{"a category answered twice", bad("twice.json", twoTeams), []string{"teams: every category must be answered by exactly one team: detention is answered by 2"}},
		{"unknown field", bad("unknown.json", `{"name": "x", "version": 1, "warn_days": 3}`), []string{"not valid standards JSON", `unknown field "warn_days"`}},
		{"not JSON", bad("notjson.json", "working_days = 20"), []string{"not valid standards JSON"}},
		{"missing", filepath.Join(dir, "missing.json"), []string{"cannot read the file: no such file or directory"}},
	}
	commands := [][]string{
		{"serve"}, {"sweep", "-once"}, {"demo", "-people", "0"}, {"enquiries", "standards"}, {"enquiries", "list"},
		{"enquiries", "show", "ENQ-7K2M9-QXA4T"}, {"enquiries", "report"}, {"enquiries", "assign", "-to", "eve@example.org", "ENQ-7K2M9-QXA4T"},
		{"enquiries", "create", "-org", "1", "-person", "TH-00000001D", "-question", "Q?", "-category", "detention", "-basis", "written_consent"},
		{"enquiries", "reply", "-template", "enquiry-reply-email", "-set", "reply=Yes.", "ENQ-7K2M9-QXA4T"},
		// Loading holidays works out open enquiries' due dates again.
		{"holidays", "load", bad("holidays.json", `{"england-and-wales": {"division": "england-and-wales",
			"events": [{"title": "A one-off holiday", "date": "2026-06-08", "notes": "", "bunting": true}]}}`)},
	}
	for _, f := range files {
		for _, args := range commands {
			db := filepath.Join(t.TempDir(), "tether.db")
			// The address is one serve could not listen on, so that it
			// fails differently if it got past the standards.
			env := map[string]string{"TETHER_DB": db, "TETHER_ENQUIRY_STANDARDS": f.path, "TETHER_ADDR": "no-such-host.invalid:1"}
			r := cli(t, env, "", args...)
			name := f.name + ": tether " + strings.Join(args, " ")
			if r.code != 1 {
				t.Errorf("%s: exit %d, want 1\n%s", name, r.code, r.stderr)
				continue
			}
			prefix := "tether " + strings.Join(args[:min(2, len(args))], " ")
			if args[0] != "enquiries" && args[0] != "holidays" {
				prefix = "tether " + args[0]
			}
			if !strings.HasPrefix(r.stderr, prefix+": -enquiry-standards "+f.path+": ") {
				t.Errorf("%s: stderr %q does not start by naming the command and the file", name, r.stderr)
			}
			for _, w := range f.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("%s: stderr %q, want %q", name, r.stderr, w)
				}
			}
			if _, err := os.Stat(db); err == nil {
				t.Errorf("%s: the database was created, though the standards were refused", name)
			}
		}
	}
	// Also as a flag, and not only from the environment.
	r := cli(t, dbEnv(t), "", "enquiries", "list", "-enquiry-standards", files[0].path)
	if r.code != 1 || !strings.Contains(r.stderr, files[0].path+": standards[0].working_days") {
		t.Errorf("flag: exit %d, %q", r.code, r.stderr)
	}
}
