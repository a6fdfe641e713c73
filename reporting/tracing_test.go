package reporting

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tether"
	"tether/calendar"
)

func TestDefaultPlaybook(t *testing.T) {
	pb := DefaultPlaybook()
	if pb.Name != "tracing" || pb.Version != 1 || len(pb.Steps) != 9 {
		t.Errorf("default playbook: %+v", pb)
	}
}

// plan writes the attempts as "kind due target" lines.
func planLines(p TracingPlan) []string {
	var out []string
	for _, a := range p.Attempts {
		out = append(out, fmt.Sprintf("%d %s %s %s", a.Seq, a.Kind, a.Due, a.Target))
	}
	return out
}

func TestPlan(t *testing.T) {
	ew := cal(t, calendar.EnglandAndWales)
	pb := DefaultPlaybook()
	everything := Facts{
		Representative: true,
		Points: []Point{
			{ID: 1, Kind: tether.KindMobile, Party: tether.PartySelf, Value: "07700 900123"},
			{ID: 2, Kind: tether.KindLandline, Party: tether.PartySelf, Value: "020 7946 0000"},
			{ID: 3, Kind: tether.KindMobile, Party: tether.PartySelf, Value: "07700 900456"},
			{ID: 4, Kind: tether.KindEmail, Party: tether.PartySelf, Value: "a@example.org", Failed: true},
			{ID: 5, Kind: tether.KindPostal, Party: tether.PartySelf, Value: "1 New Street, London, SW1A 1AA"},
			{ID: 6, Kind: tether.KindPostal, Party: tether.PartySelf, Value: "9 Old Road, Leeds, LS1 1AA"},
			{ID: 7, Kind: tether.KindEmail, Party: tether.PartyRepresentative, Value: "caseworker@law.example"},
			{ID: 8, Kind: tether.KindMobile, Party: tether.PartyEmergencyContact, Value: "07700 900789"},
			{ID: 9, Kind: tether.KindMobile, Party: tether.PartyEmergencyContact, Value: "07700 900790"},
		},
	}
	// Out of contact on Thursday 2 April 2026, before Easter.
	p, err := Plan(pb, everything, d("2026-04-02"), ew)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1 call 2026-04-02 07700 900123",
		"2 call 2026-04-02 020 7946 0000",
		"3 call 2026-04-02 07700 900456",
		"4 text 2026-04-02 07700 900123",
		"5 text 2026-04-02 07700 900456",
		"6 letter 2026-04-07 1 New Street, London, SW1A 1AA",
		"7 representative 2026-04-07 caseworker@law.example",
		"8 emergency_contact 2026-04-08 07700 900789",
		"9 emergency_contact 2026-04-08 07700 900790",
		"10 compliance_visit 2026-04-13 1 New Street, London, SW1A 1AA",
		"11 agency_checks 2026-04-13 ",
	}
	if got := planLines(p); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(p.NotApplicable) != 2 || p.NotApplicable[0].Kind != AttemptEmail || p.NotApplicable[1].Kind != AttemptSponsor {
		t.Errorf("not applicable: %+v", p.NotApplicable)
	}
	if p.NotApplicable[0].Why != "Every email address of the person on record is marked as not working." ||
		p.NotApplicable[1].Why != "There is no contact detail of a sponsor on record." {
		t.Errorf("why: %+v", p.NotApplicable)
	}
	if p.Playbook != "tracing" || p.Version != 1 || p.Start != d("2026-04-02") || p.Division != calendar.EnglandAndWales {
		t.Errorf("plan header: %+v", p)
	}
	if a := p.Attempts[0]; a.Explanation != "Due the day the plan starts, Thursday 2 April 2026." || a.PointID != 1 || a.Party != tether.PartySelf || a.Text == "" {
		t.Errorf("first attempt: %+v", a)
	}
	if a := p.Attempts[5]; !strings.Contains(a.Explanation, "Monday 6 April: Easter Monday, a bank holiday in England and Wales.") ||
		!strings.HasSuffix(a.Explanation, "Tuesday 7 April is working day 1: due.") {
		t.Errorf("letter explanation: %q", a.Explanation)
	}
	for i := 1; i < len(p.Attempts); i++ {
		if p.Attempts[i].Due.Before(p.Attempts[i-1].Due) {
			t.Errorf("attempt %d is due before the one before it", i+1)
		}
	}
}

func TestPlanFacts(t *testing.T) {
	sc := cal(t, calendar.Scotland)
	pb := DefaultPlaybook()
	kinds := func(p TracingPlan) string {
		var k []string
		for _, a := range p.Attempts {
			k = append(k, a.Kind)
		}
		return strings.Join(k, " ")
	}
	for _, c := range []struct {
		name string
		f    Facts
		want string
		why  map[string]string
	}{
		{"nothing on record: agency checks only", Facts{}, "agency_checks", map[string]string{
			AttemptCall:             "There is no mobile number or landline number of the person on record.",
			AttemptText:             "There is no mobile number of the person on record.",
			AttemptLetter:           "There is no postal address of the person on record.",
			AttemptRepresentative:   "There is no contact detail of a representative on record.",
			AttemptEmergencyContact: "There is no contact detail of an emergency contact on record.",
			AttemptComplianceVisit:  "There is no postal address of the person on record.",
		}},
		{"a representative without details is still contacted", Facts{Representative: true}, "representative agency_checks", nil},
		{"a returned letter: no letter, but a visit", Facts{Points: []Point{
			{ID: 5, Kind: tether.KindPostal, Party: tether.PartySelf, Value: "1 High St", Failed: true},
		}}, "compliance_visit agency_checks", map[string]string{
			AttemptLetter: "Every postal address of the person on record is marked as not working.",
		}},
		{"an address abroad: a letter, no visit", Facts{Points: []Point{
			{ID: 5, Kind: tether.KindPostal, Party: tether.PartySelf, Value: "Rue 1, Paris", Overseas: true},
		}}, "letter agency_checks", map[string]string{
			AttemptComplianceVisit: "The postal address of the person on record is outside the UK.",
		}},
		{"the last-known UK address is visited when the latest is abroad", Facts{Points: []Point{
			{ID: 5, Kind: tether.KindPostal, Party: tether.PartySelf, Value: "Rue 1, Paris", Overseas: true},
			{ID: 6, Kind: tether.KindPostal, Party: tether.PartySelf, Value: "1 High St"},
		}}, "letter compliance_visit agency_checks", nil},
		{"a sponsor", Facts{Points: []Point{
			{ID: 9, Kind: tether.KindPostal, Party: tether.PartySponsor, Value: "2 High St"},
		}}, "sponsor agency_checks", nil},
	} {
		p, err := Plan(pb, c.f, d("2026-04-02"), sc)
		if err != nil {
			t.Fatal(err)
		}
		if got := kinds(p); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		for kind, why := range c.why {
			found := false
			for _, n := range p.NotApplicable {
				if n.Kind == kind {
					found = true
					if n.Why != why {
						t.Errorf("%s: %s: %q, want %q", c.name, kind, n.Why, why)
					}
				}
			}
			if !found {
				t.Errorf("%s: %s not listed as not applicable", c.name, kind)
			}
		}
	}
	// Scotland: five working days from Thursday 2 April skip Good Friday only.
	p, _ := Plan(pb, Facts{}, d("2026-04-02"), sc)
	if p.Attempts[0].Due != d("2026-04-10") {
		t.Errorf("agency checks due %s in Scotland", p.Attempts[0].Due)
	}
	if _, err := Plan(pb, Facts{}, calendar.Date{}, sc); tether.ErrorFields(err)["start"] == "" {
		t.Errorf("no start: %v", err)
	}
	if _, err := Plan(Playbook{}, Facts{}, d("2026-04-02"), sc); tether.ErrorCode(err) != tether.EINVALID {
		t.Errorf("empty playbook: %v", err)
	}
}

func TestParsePlaybook(t *testing.T) {
	step := `{"kind":"call","party":"self","uses":["mobile"],"each":true,"due_after":0,"text":"Call."}`
	wrap := func(steps ...string) string {
		return `{"name":"p","version":1,"steps":[` + strings.Join(steps, ",") + `]}`
	}
	for _, c := range []struct{ json, field string }{
		{wrap(step), ""},
		{wrap(`{"kind":"agency_checks","due_after":60,"text":"Ask."}`), ""},
		{`nope`, "playbook"},
		{wrap(strings.Replace(step, `"text"`, `"txet"`, 1)), "playbook"},
		{`{"version":1,"steps":[` + step + `]}`, "name"},
		{`{"name":"p","steps":[` + step + `]}`, "version"},
		{wrap(), "steps"},
		{wrap(strings.Repeat(step+",", MaxPlaybookSteps) + step), "steps"},
		{wrap(strings.Replace(step, `"call"`, `"pray"`, 1)), "steps[0].kind"},
		{wrap(strings.Replace(step, `"self"`, `"neighbour"`, 1)), "steps[0].party"},
		{wrap(strings.Replace(step, `["mobile"]`, `["fax"]`, 1)), "steps[0].uses[0]"},
		{wrap(`{"kind":"agency_checks","each":true,"due_after":1,"text":"Ask."}`), "steps[0].party"},
		{wrap(`{"kind":"compliance_visit","party":"self","uk_only":true,"due_after":1,"text":"Visit."}`), "steps[0].uk_only"},
		{wrap(strings.Replace(step, `"due_after":0`, `"due_after":-1`, 1)), "steps[0].due_after"},
		{wrap(strings.Replace(step, `"due_after":0`, `"due_after":61`, 1)), "steps[0].due_after"},
		{wrap(strings.Replace(step, `"due_after":0`, `"due_after":3`, 1), step), "steps[1].due_after"},
		{wrap(strings.Replace(step, `"Call."`, `" "`, 1)), "steps[0].text"},
	} {
		_, err := ParsePlaybook([]byte(c.json))
		checkField(t, c.json, err, c.field)
	}
}

func TestFactsFrom(t *testing.T) {
	now := time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return now.AddDate(0, 0, -n) }
	ptr := func(t time.Time) *time.Time { return &t }
	p := &tether.Person{Representative: &tether.Representative{Organisation: "Law Centre"}}
	points := []*tether.ContactPoint{
		{ID: 1, Kind: tether.KindMobile, Party: tether.PartySelf, Phone: "+447700900123", ValidFrom: day(100)},
		{ID: 2, Kind: tether.KindMobile, Party: tether.PartySelf, Phone: "+447700900456", ValidFrom: day(50), LastConfirmedAt: ptr(day(1))},
		{ID: 3, Kind: tether.KindMobile, Party: tether.PartySelf, Phone: "+447700900789", ValidFrom: day(10), ValidTo: ptr(day(5))},
		{ID: 4, Kind: tether.KindPostal, Party: tether.PartySelf, ValidFrom: day(20), Verification: tether.Failed,
			Address: &tether.Address{Lines: []string{"1 High St"}, Postcode: "SW1A 1AA", Country: "GB"}},
		{ID: 5, Kind: tether.KindPostal, Party: tether.PartySelf, ValidFrom: day(30),
			Address: &tether.Address{Lines: []string{"Rue 1"}, Town: "Paris", Country: "FR"}},
		{ID: 6, Kind: tether.KindEmail, Party: tether.PartySelf, Email: "a@example.org", ValidFrom: day(-1)},
		nil,
	}
	f := FactsFrom(p, points, []string{FlagIdentifiedForRemoval}, now)
	var got []string
	for _, pt := range f.Points {
		got = append(got, fmt.Sprintf("%d:%v:%v", pt.ID, pt.Failed, pt.Overseas))
	}
	if want := "2:false:false 4:true:false 5:false:true 1:false:false"; strings.Join(got, " ") != want {
		t.Errorf("points %v, want %s", got, want)
	}
	if !f.Representative || !f.Has(FlagIdentifiedForRemoval) || f.Has(FlagFailedTelephoneReporting) {
		t.Errorf("facts %+v", f)
	}
	if f.Points[0].Value == "" || f.Points[1].Value != "1 High St, SW1A 1AA" {
		t.Errorf("values %+v", f.Points)
	}
	if f := FactsFrom(nil, nil, nil, now); f.Representative || len(f.Points) != 0 {
		t.Errorf("nothing: %+v", f)
	}
}
