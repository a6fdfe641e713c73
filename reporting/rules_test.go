package reporting

import (
	"slices"
	"strings"
	"testing"

	"tether"
)

func TestDefaultRules(t *testing.T) {
	rs := DefaultRules()
	if rs.Name != "reporting-eligibility" || rs.Version != 1 || len(rs.Rules) != 2 {
		t.Errorf("default rules: %+v", rs)
	}
	tel := Condition{Kind: KindTelephone}
	inp := Condition{Kind: KindInPerson}
	for _, c := range []struct {
		name  string
		flags []string
		cond  Condition
		rule  string // "" when allowed
	}{
		{"no flags, telephone", nil, tel, ""},
		{"identified for removal, telephone", []string{FlagIdentifiedForRemoval}, tel, "no-telephone-identified-for-removal version 1"},
		{"identified for removal, in person", []string{FlagIdentifiedForRemoval}, inp, ""},
		{"failed telephone reporting, telephone", []string{FlagFailedTelephoneReporting}, tel, "no-telephone-after-failed-telephone-reporting version 1"},
		{"both flags: the first rule is named", []string{FlagFailedTelephoneReporting, FlagIdentifiedForRemoval}, tel, "no-telephone-identified-for-removal version 1"},
		{"both flags, digital", []string{FlagFailedTelephoneReporting, FlagIdentifiedForRemoval}, Condition{Kind: KindDigital}, ""},
	} {
		err := rs.Check(Facts{Flags: c.flags}, c.cond)
		if c.rule == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		why := tether.ErrorFields(err)["kind"]
		if tether.ErrorCode(err) != tether.EINVALID || !strings.Contains(why, "(rule "+c.rule+")") ||
			!strings.Contains(tether.ErrorMessage(err), c.rule) {
			t.Errorf("%s: %v, want a refusal naming %s", c.name, err, c.rule)
		}
	}
	if got := rs.Allowed(Facts{Flags: []string{FlagIdentifiedForRemoval}}); slices.Contains(got, KindTelephone) || len(got) != 3 {
		t.Errorf("Allowed: %v", got)
	}
}

func TestRuleEffects(t *testing.T) {
	rs := RuleSet{Name: "test", Version: 1, Rules: []Rule{
		{Name: "removal-in-person-only", Version: 2, Effect: EffectRequire, Kind: KindInPerson,
			When: When{Any: []string{FlagIdentifiedForRemoval}}, Text: "In person only."},
		{Name: "no-digital-unless-removal", Version: 1, Effect: EffectForbid, Kind: KindDigital,
			When: When{None: []string{FlagIdentifiedForRemoval}}, Text: "No digital yet."},
	}}
	if err := rs.Validate(); err != nil {
		t.Fatal(err)
	}
	removal := Facts{Flags: []string{FlagIdentifiedForRemoval}}
	for _, c := range []struct {
		f     Facts
		kind  string
		rules []string
	}{
		{removal, KindInPerson, nil},
		{removal, KindTelephone, []string{"removal-in-person-only"}},
		{removal, KindDigital, []string{"removal-in-person-only"}},
		{Facts{}, KindDigital, []string{"no-digital-unless-removal"}},
		{Facts{}, KindTelephone, nil},
	} {
		var got []string
		for _, r := range rs.Breaches(c.f, c.kind) {
			got = append(got, r.Name)
		}
		if !slices.Equal(got, c.rules) {
			t.Errorf("%v %s: breaches %v, want %v", c.f.Flags, c.kind, got, c.rules)
		}
	}
}

func TestParseRules(t *testing.T) {
	for _, c := range []struct{ json, field string }{
		{`{"name":"r","version":1,"rules":[]}`, ""},
		{`{"name":"r","version":1,"rules":[{"name":"a","version":1,"effect":"forbid","kind":"digital","when":{},"text":"No."}]}`, ""},
		{`not json`, "rules"},
		{`{"name":"r","version":1,"rules":[],"extra":1}`, "rules"},
		{`{"version":1,"rules":[]}`, "name"},
		{`{"name":"r","version":0,"rules":[]}`, "version"},
		{`{"name":"r","version":1,"rules":[{"name":"a","version":1,"effect":"forbid","kind":"digital","text":"x"},{"name":"a","version":1,"effect":"forbid","kind":"digital","text":"x"}]}`, "rules[1].name"},
		{`{"name":"r","version":1,"rules":[{"name":"a","version":0,"effect":"forbid","kind":"digital","text":"x"}]}`, "rules[0].version"},
		{`{"name":"r","version":1,"rules":[{"name":"a","version":1,"effect":"allow","kind":"digital","text":"x"}]}`, "rules[0].effect"},
		{`{"name":"r","version":1,"rules":[{"name":"a","version":1,"effect":"forbid","kind":"fax","text":"x"}]}`, "rules[0].kind"},
		{`{"name":"r","version":1,"rules":[{"name":"a","version":1,"effect":"forbid","kind":"digital","when":{"any":["identified-for-removal"]},"text":"x"}]}`, "rules[0].when.any[0]"},
		{`{"name":"r","version":1,"rules":[{"name":"a","version":1,"effect":"forbid","kind":"digital","when":{"none":["x"]},"text":"x"}]}`, "rules[0].when.none[0]"},
		{`{"name":"r","version":1,"rules":[{"name":"a","version":1,"effect":"forbid","kind":"digital","text":" "}]}`, "rules[0].text"},
	} {
		_, err := ParseRules([]byte(c.json))
		checkField(t, c.json, err, c.field)
	}
}
