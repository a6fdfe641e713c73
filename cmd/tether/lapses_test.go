package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"tether"
	"tether/reporting"
	"tether/store"
)

// TestLapsesCommands lists, shows and records on a lapse made through the
// store, and prints the figures.
func TestLapsesCommands(t *testing.T) {
	t.Parallel()
	env := dbEnv(t)
	must(t, env, "migrate")
	db, err := store.Open(env["TETHER_DB"], tether.NewManualClock(testNow))
	if err != nil {
		t.Fatal(err)
	}
	ctx := tether.NewContextWithActor(context.Background(), tether.CLIActor("test"))
	p := &tether.Person{FamilyName: "Lapsed", GivenNames: "Lee"}
	if err := db.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := db.AddContactPoint(ctx, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindMobile, Phone: "07700 900123",
		Source: tether.SourcePerson}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChangeStatus(ctx, p.ID, tether.CauseFailedCall, "no answer"); err != nil {
		t.Fatal(err)
	}
	ls, _, err := db.FindLapses(ctx, tether.LapseFilter{PersonID: &p.ID})
	if err != nil || len(ls) != 1 {
		t.Fatalf("lapses %v, %v", ls, err)
	}
	d, err := db.FindLapse(ctx, ls[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	lapse, call := strconv.FormatInt(ls[0].ID, 10), strconv.FormatInt(d.Attempts[0].ID, 10)

	if r := must(t, env, "lapses", "list"); !strings.Contains(r.stdout, p.Ref) || !strings.Contains(r.stdout, "at_risk") {
		t.Errorf("lapses list:\n%s", r.stdout)
	}
	if r := must(t, env, "lapses", "list", "-person", p.Ref, "-all"); !strings.Contains(r.stdout, p.Ref) {
		t.Errorf("lapses list -person:\n%s", r.stdout)
	}
	r := must(t, env, "lapses", "show", lapse)
	if !strings.Contains(r.stdout, "Attempts:") || !strings.Contains(r.stdout, "call") || !strings.Contains(r.stdout, "tracing version 1") {
		t.Errorf("lapses show:\n%s", r.stdout)
	}
	if r := must(t, env, "lapses", "show", "-json", lapse); !strings.Contains(r.stdout, `"attempts"`) {
		t.Errorf("lapses show -json:\n%s", r.stdout)
	}

	// A wrong outcome is refused, naming the field; nothing is recorded.
	if r := cli(t, env, "", "lapses", "attempt", call, "-outcome", "no_reply"); r.code != 1 || !strings.Contains(r.stderr, "outcome:") {
		t.Errorf("wrong outcome: exit %d, %s", r.code, r.stderr)
	}
	if r := cli(t, env, "", "lapses", "attempt", call, "-outcome", "no_answer", "-at", "yesterday"); r.code != 2 {
		t.Errorf("bad -at: exit %d, %s", r.code, r.stderr)
	}
	if r := cli(t, env, "", "lapses", "attempt", call); r.code != 2 {
		t.Errorf("no -outcome: exit %d", r.code)
	}
	if r := must(t, env, "lapses", "attempt", call, "-outcome", "no_answer", "-note", "Rang twice"); !strings.Contains(r.stdout, "no answer") ||
		!strings.Contains(r.stdout, "is open") {
		t.Errorf("lapses attempt:\n%s", r.stdout)
	}
	text := strconv.FormatInt(d.Attempts[1].ID, 10)
	if r := must(t, env, "lapses", "attempt", text, "-outcome", "reached", "-mobile", "07700 900456"); !strings.Contains(r.stdout, "is closed") ||
		!strings.Contains(r.stdout, "New contact point") {
		t.Errorf("reached:\n%s", r.stdout)
	}
	if r := cli(t, env, "", "lapses", "attempt", call, "-outcome", "no_answer"); r.code != 1 {
		t.Errorf("again: exit %d", r.code)
	}

	r = must(t, env, "figures", "contact", "-from", "2026-03", "-to", "2026-03", "-csv")
	if !strings.HasPrefix(r.stdout, strings.Join(reporting.CSVHeader, ",")+"\n2026-03,all,,0,1,") {
		t.Errorf("figures -csv:\n%s", r.stdout)
	}
	if r := must(t, env, "figures", "contact"); !strings.Contains(r.stdout, "2026-03") || !strings.Contains(r.stdout, "2025-10") {
		t.Errorf("figures:\n%s", r.stdout)
	}
	if r := cli(t, env, "", "figures", "contact", "-from", "2026-13"); r.code != 1 || !strings.Contains(r.stderr, "from:") {
		t.Errorf("bad month: exit %d, %s", r.code, r.stderr)
	}
	if r := cli(t, env, "", "lapses", "show", "x"); r.code != 2 {
		t.Errorf("bad id: exit %d", r.code)
	}
}
