package main

import (
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"tether/enquiry"
)

var enquiryRefRE = regexp.MustCompile(`(?m)^Enquiry\s+(ENQ-[A-Z0-9]{5}-[A-Z0-9]{5})$`)

func TestEnquiriesCLI(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	people := `{"person":{"ref":"TH-00000001D","family_name":"Haile","given_names":"Selam","date_of_birth":"1990-05-01"},"contact_points":[]}` + "\n"
	if r := cli(t, env, people, "import", "people", "-format", "jsonl", "-"); r.code != 0 {
		t.Fatalf("import: %d\n%s", r.code, r.stderr)
	}
	must(t, env, "templates", "seed")
	must(t, env, "orgs", "add", "-name", "Office of Ann Member MP", "-kind", "mp_office", "-constituency", "Exampleton", "-division", "england-and-wales")
	must(t, env, "users", "add", "-email", "eve@example.org", "-name", "Eve Enquiries", "-role", "enquiries", "-password", "long enough password")
	create := []string{"enquiries", "create", "-org", "Office of Ann Member MP", "-person", "TH-00000001D",
		"-question", "When will Ms Haile's asylum claim be decided?", "-category", "asylum_claim", "-basis", "written_consent", "-given-on", "2026-02-26"}

	// Recorded: the reference at once, due 20 working days later, and why.
	r := must(t, env, create...)
	m := enquiryRefRE.FindStringSubmatch(r.stdout)
	if m == nil || !strings.Contains(r.stdout, "2026-03-30") || !strings.Contains(r.stdout, "Received Monday 2 March 2026 (not counted)") ||
		!strings.Contains(r.stdout, "TH-00000001D (matched: reference)") {
		t.Fatalf("create:\n%s", r.stdout)
	}
	ref := m[1]
	// The same again: the likely duplicate stops it until acknowledged.
	if r := cli(t, env, "", create...); r.code != 1 || !strings.Contains(r.stderr, "-acknowledge-duplicates") || !strings.Contains(r.stderr, ref) {
		t.Fatalf("duplicate: exit %d\n%s", r.code, r.stderr)
	}
	// Bad input names the field; nothing is recorded.
	if r := cli(t, env, "", append(create, "-urgency", "urgent", "-acknowledge-duplicates")...); r.code != 1 || !strings.Contains(r.stderr, "urgency_reason:") {
		t.Fatalf("urgent without a reason: exit %d\n%s", r.code, r.stderr)
	}
	// Unmatched: waits for triage.
	r = must(t, env, "enquiries", "create", "-org", "1", "-family-name", "Nobody", "-given-names", "Known", "-dob", "1980-01-01",
		"-question", "Has my constituent's travel document been sent?", "-category", "documents", "-urgency", "compassionate",
		"-reason", "Her mother is dying", "-basis", "verbal_consent", "-given-on", "2026-03-01")
	unmatched := enquiryRefRE.FindStringSubmatch(r.stdout)
	if unmatched == nil || !strings.Contains(r.stdout, "not matched") || !strings.Contains(r.stdout, "2026-03-04") {
		t.Fatalf("unmatched:\n%s", r.stdout)
	}
	if l := must(t, env, "enquiries", "list"); !strings.Contains(l.stdout, ref) || !strings.Contains(l.stdout, unmatched[1]) ||
		strings.Index(l.stdout, unmatched[1]) > strings.Index(l.stdout, ref) {
		t.Fatalf("list, by due date:\n%s", l.stdout)
	}
	if l := must(t, env, "enquiries", "list", "-unmatched"); strings.Contains(l.stdout, ref) || !strings.Contains(l.stdout, unmatched[1]) {
		t.Fatalf("unmatched list:\n%s", l.stdout)
	}

	// Assigned, then a dry run, a vague holding reply, a holding reply and
	// the answer.
	if r := must(t, env, "enquiries", "assign", "-to", "eve@example.org", ref); !strings.Contains(r.stdout, "is with Eve Enquiries") {
		t.Fatalf("assign: %s", r.stdout)
	}
	reply := []string{"enquiries", "reply", "-template", "enquiry-reply-email", "-to", "office@ann-member.example.org"}
	r = must(t, env, append(reply, "-set", "reply=We made a decision on the claim today.", "-dry-run", ref)...)
	if !strings.Contains(r.stdout, "Dry run") || !strings.Contains(r.stdout, "Reading ease") || !strings.Contains(r.stdout, "We made a decision") {
		t.Fatalf("dry run:\n%s", r.stdout)
	}
	holding := append(reply, "-holding", "-why", "awaiting_information", "-from", "representative", "-new-date", "2026-04-17",
		"-set", "reply=We cannot answer yet. We still need a medical report.")
	if r := cli(t, env, "", append(holding, "-outstanding", "complex", ref)...); r.code != 1 || !strings.Contains(r.stderr, "outstanding:") {
		t.Fatalf("vague holding reply: exit %d\n%s", r.code, r.stderr)
	}
	if r := must(t, env, append(holding, "-outstanding", "A medical report", ref)...); !strings.Contains(r.stdout, "now due 2026-04-17") {
		t.Fatalf("holding reply: %s", r.stdout)
	}
	if r := must(t, env, append(reply, "-set", "reply=We made a decision on the claim today. We sent it to her.", "-proof", "msg-1", ref)...); !strings.Contains(r.stdout, "within the standard") {
		t.Fatalf("answer: %s", r.stdout)
	}
	if r := cli(t, env, "", append(reply, "-set", "reply=Again.", ref)...); r.code != 1 {
		t.Fatalf("a second answer: exit %d", r.code)
	}
	r = must(t, env, "enquiries", "show", ref)
	for _, want := range []string{"Holding reply", "A medical report", "answer by 2026-04-17", "Answer sent", "SHA-256", "msg-1", "History:", "holding_reply", "answered"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, r.stdout)
		}
	}

	// The report, as a table and as CSV.
	if r := must(t, env, "enquiries", "report"); !strings.Contains(r.stdout, "2026-03") || !strings.Contains(r.stdout, "total") {
		t.Errorf("report:\n%s", r.stdout)
	}
	r = must(t, env, "enquiries", "report", "-from", "2026-03", "-to", "2026-03", "-csv")
	records, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(records) != 4 || strings.Join(records[0], ",") != strings.Join(enquiry.CSVHeader, ",") || records[3][4] != "2" {
		t.Errorf("report csv: %v %v", records, err)
	}

	// Bad command lines.
	for _, args := range [][]string{
		{"enquiries", "show"}, {"enquiries", "show", "ENQ-1"}, {"enquiries", "reply", ref}, {"enquiries", "create", "-question", "x"},
		{"enquiries", "assign", ref}, {"enquiries", "report", "-from", "2026-01"}, {"enquiries", "list", "-limit", "0"},
		{"enquiries", "reply", "-template", "x", "-why", "awaiting_checks", ref},
	} {
		if r := cli(t, env, "", args...); r.code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
	if r := cli(t, env, "", "enquiries", "show", "ENQ-AAAAA-BBBBB"); r.code != 1 || !strings.Contains(r.stderr, "No enquiry") {
		t.Errorf("unknown enquiry: exit %d %s", r.code, r.stderr)
	}
}
