package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"tether/compose"
)

// writeText writes a text file for a test.
func writeText(t *testing.T, name, content string) string {
	t.Helper()
	return writeFile(t, name, []byte(content))
}

const plainNotice = `Dear ((name))

You must come to Eaton House on ((date)) at 10am. Bring this letter with you.

If you do not come, we may arrest you.

If you need help, call 0300 123 4567.`

const officialNotice = `Pursuant to the conditions hereby imposed upon you in accordance with the relevant legislation, you are hereby required to present yourself at the designated reporting centre, whereupon your compliance will be assessed by the appropriate authorities, and failure to comply may result in your being treated as an absconder.`

func TestTemplatesCheck(t *testing.T) {
	t.Parallel()
	plain := writeText(t, "plain.txt", plainNotice)
	official := writeText(t, "official.txt", officialNotice)
	broken := writeText(t, "broken.txt", "Dear ((name, please come.")
	sms := writeText(t, "sms.txt", "Reminder: report at Eaton House on ((date)) at 10am. If you do not, we may arrest you. Help: 0300 123 4567.")

	r := must(t, nil, "templates", "check", "-asks-to-act", plain)
	if !strings.Contains(r.stdout, "PASSES the bar") || !strings.Contains(r.stdout, "reading ease") {
		t.Fatalf("plain:\n%s", r.stdout)
	}
	// The bar comes from the setting: a plain letter fails a bar set high.
	if r := cli(t, map[string]string{"TETHER_MIN_READING_EASE": "110"}, "", "templates", "check", "-asks-to-act", plain); r.code != 1 ||
		!strings.Contains(r.stdout, "BELOW THE BAR: Reading ease") {
		t.Fatalf("high bar: exit %d\n%s", r.code, r.stdout)
	}
	r = cli(t, nil, "", "templates", "check", "-asks-to-act", official)
	for _, want := range []string{"BELOW THE BAR", "long sentence 1", `"pursuant to"`, `"hereby"`, `"absconder"`, "does not say"} {
		if !strings.Contains(strings.ToLower(r.stdout), strings.ToLower(want)) {
			t.Errorf("official: no %q in\n%s", want, r.stdout)
		}
	}
	if r.code != 1 {
		t.Errorf("official: exit %d, want 1", r.code)
	}
	if r := cli(t, nil, "", "templates", "check", broken); r.code != 1 || !strings.Contains(r.stderr, "line 1, column 6: unclosed placeholder") {
		t.Fatalf("broken placeholder: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	undeclared := writeText(t, "undeclared.json", `{"key": "x", "title": "X", "kind": "general", "channel": "letter",
		"placeholders": ["name"], "versions": [{"language": "en", "subject": "Your visit", "body": "Dear ((name)). Come on ((date)). Call us if you need help."}]}`)
	if r := cli(t, nil, "", "templates", "check", undeclared); r.code != 1 || !strings.Contains(r.stdout, "PLACEHOLDERS") ||
		!strings.Contains(r.stdout, "date") {
		t.Fatalf("undeclared placeholder: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = must(t, nil, "templates", "check", "-channel", "sms", sms)
	if !strings.Contains(r.stdout, "text message: ") || !strings.Contains(r.stdout, "GSM, 1 part") {
		t.Fatalf("sms:\n%s", r.stdout)
	}
	if r := cli(t, nil, "", "templates", "check", filepath.Join(t.TempDir(), "missing.json")); r.code == 0 || r.stderr == "" {
		t.Fatalf("missing file: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := cli(t, nil, "", "templates", "check"); r.code != 2 {
		t.Fatalf("no file: exit %d", r.code)
	}

	// The whole starter set reaches the bar; its translations say what
	// was not measured.
	set, err := compose.Starter()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	r = must(t, nil, "templates", "check", writeText(t, "starter.json", string(b)))
	if strings.Contains(r.stdout, "BELOW THE BAR") || !strings.Contains(r.stdout, "NOT CHECKED") || !strings.Contains(r.stdout, "(letter, cy)") {
		t.Fatalf("starter set:\n%s", r.stdout)
	}
}

func TestTemplatesSeedAndList(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	r := must(t, env, "templates", "seed")
	if !strings.HasPrefix(r.stdout, "Added ") {
		t.Fatalf("seed: %s", r.stdout)
	}
	if r := must(t, env, "templates", "seed"); !strings.Contains(r.stdout, "Added 0") {
		t.Fatalf("second seed: %s", r.stdout)
	}
	r = must(t, env, "templates", "list")
	for _, want := range []string{"reporting-notice-letter", "reporting-reminder-sms", "en v1", "cy v1 (not measured)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("list: no %q in\n%s", want, r.stdout)
		}
	}
}

func TestHolidaysLoadAndShow(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	must(t, env, "migrate")
	r := must(t, env, "holidays", "show", "-division", "scotland", "-year", "2026")
	if !strings.Contains(r.stdout, "St Andrew") || !strings.Contains(r.stdout, "Christmas Day") {
		t.Fatalf("scotland 2026:\n%s", r.stdout)
	}
	oneOff := writeText(t, "extra.json", `{"england-and-wales": {"division": "england-and-wales", "events": [
		{"title": "A one-off holiday", "date": "2027-06-07", "notes": "", "bunting": true}]}}`)
	if r := must(t, env, "holidays", "load", oneOff); !strings.Contains(r.stdout, "1 holiday") {
		t.Fatalf("load: %s", r.stdout)
	}
	if r := must(t, env, "holidays", "show", "-year", "2027"); !strings.Contains(r.stdout, "A one-off holiday") {
		t.Fatalf("england 2027 after load:\n%s", r.stdout)
	}
	bad := writeText(t, "bad.json", `{"england-and-wales": {"events": [{"title": "x", "date": "2027-13-40"}]}}`)
	if r := cli(t, env, "", "holidays", "load", bad); r.code != 1 || r.stderr == "" {
		t.Fatalf("bad file: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := cli(t, env, "", "holidays", "show", "-division", "wales"); r.code != 2 {
		t.Fatalf("bad division: exit %d", r.code)
	}
}
