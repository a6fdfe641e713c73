package enquiry

import (
	"bytes"
	"strings"
	"testing"

	"tether"
	"tether/calendar"
)

func cal(t *testing.T, div string) calendar.Calendar {
	t.Helper()
	c, err := calendar.Default().For(div)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func date(s string) calendar.Date { return calendar.MustParseDate(s) }

// wantField checks err is EINVALID naming the field (or nil when field is "").
func wantField(t *testing.T, name string, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Errorf("%s: unexpected error %v", name, err)
		}
		return
	}
	if tether.ErrorCode(err) != tether.EINVALID {
		t.Errorf("%s: error %v, want EINVALID on %s", name, err, field)
		return
	}
	if _, ok := tether.ErrorFields(err)[field]; !ok {
		t.Errorf("%s: error %v does not name %s", name, err, field)
	}
}

func TestDefaultStandards(t *testing.T) {
	s := DefaultStandards()
	tests := []struct {
		urgency, category string
		days              int
	}{
		{UrgencyRoutine, CategoryAsylumClaim, 20},
		{UrgencyRoutine, CategorySupport, 20},
		{UrgencyUrgent, CategoryDetention, 2},
		{UrgencyCompassionate, CategoryDocuments, 2},
	}
	for _, tt := range tests {
		st, err := s.For(tt.urgency, tt.category)
		if err != nil || st.WorkingDays != tt.days {
			t.Errorf("For(%s, %s) = %+v, %v; want %d days", tt.urgency, tt.category, st, err, tt.days)
		}
	}
	if s.WarnWorkingDays != 3 {
		t.Errorf("warn = %d", s.WarnWorkingDays)
	}
	for _, c := range Categories {
		if s.TeamFor(c) == "" {
			t.Errorf("no team for %s", c)
		}
	}
	if _, err := s.For("whenever", CategoryDetention); tether.ErrorCode(err) != tether.EINVALID {
		t.Errorf("unknown urgency: %v", err)
	}
	if _, err := s.For(UrgencyRoutine, "weather"); tether.ErrorCode(err) != tether.EINVALID {
		t.Errorf("unknown category: %v", err)
	}
}

func TestStandardsByCategory(t *testing.T) {
	s := DefaultStandards()
	s.Standards = append(s.Standards, Standard{Urgency: UrgencyRoutine, Category: CategoryDetention, WorkingDays: 10, Text: "Detention: 10 days."})
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.For(UrgencyRoutine, CategoryDetention); st.WorkingDays != 10 {
		t.Errorf("category's own standard not used: %+v", st)
	}
	if st, _ := s.For(UrgencyRoutine, CategorySupport); st.WorkingDays != 20 {
		t.Errorf("urgency's standard not used: %+v", st)
	}
}

func TestParseStandardsRefuses(t *testing.T) {
	good := string(defaultStandards)
	tests := []struct {
		name, json, field string
	}{
		{"not JSON", `{`, "standards"},
		{"unknown field", strings.Replace(good, `"version": 1`, `"version": 1, "colour": "red"`, 1), "standards"},
		{"no name", strings.Replace(good, `"enquiry-service-standards"`, `""`, 1), "name"},
		{"version 0", strings.Replace(good, `"version": 1`, `"version": 0`, 1), "version"},
		{"warn 0", strings.Replace(good, `"warn_working_days": 3`, `"warn_working_days": 0`, 1), "warn_working_days"},
		{"warn too many", strings.Replace(good, `"warn_working_days": 3`, `"warn_working_days": 21`, 1), "warn_working_days"},
		{"days 0", strings.Replace(good, `"working_days": 20`, `"working_days": 0`, 1), "standards[0].working_days"},
		{"days too many", strings.Replace(good, `"working_days": 20`, `"working_days": 101`, 1), "standards[0].working_days"},
		{"unknown urgency", strings.Replace(good, `"urgency": "urgent"`, `"urgency": "soon"`, 1), "standards[1].urgency"},
		{"no text", strings.Replace(good, `"A routine enquiry is answered within 20 working days."`, `" "`, 1), "standards[0].text"},
		{"duplicate", strings.Replace(good, `"urgency": "urgent"`, `"urgency": "routine"`, 1), "standards[1].category"},
		{"category untaught", strings.Replace(good, `"categories": ["detention"]`, `"categories": []`, 1), "teams"},
		{"category twice", strings.Replace(good, `"categories": ["detention"]`, `"categories": ["detention", "support"]`, 1), "teams"},
		{"bad team key", strings.Replace(good, `"key": "detention"`, `"key": "Detention Team"`, 1), "teams[1].key"},
		{"unknown category", strings.Replace(good, `"categories": ["detention"]`, `"categories": ["detention", "weather"]`, 1), "teams[1].categories[1]"},
	}
	for _, tt := range tests {
		_, err := ParseStandards([]byte(tt.json))
		wantField(t, tt.name, err, tt.field)
	}
	if _, err := ParseStandards([]byte(good)); err != nil {
		t.Fatal(err)
	}
}

func TestDueDate(t *testing.T) {
	s := DefaultStandards()
	routine, _ := s.For(UrgencyRoutine, CategoryAsylumClaim)
	urgent, _ := s.For(UrgencyUrgent, CategoryDetention)
	tests := []struct {
		name     string
		received string
		st       Standard
		div      string
		want     string
		says     []string
	}{
		{"routine, no holidays", "2026-03-02", routine, calendar.EnglandAndWales, "2026-03-30",
			[]string{"A routine enquiry is answered within 20 working days.", "Received Monday 2 March 2026 (not counted).", "Monday 30 March is working day 20: due."}},
		{"over Easter in England", "2026-03-23", routine, calendar.EnglandAndWales, "2026-04-22",
			[]string{"Friday 3 April: Good Friday, a bank holiday in England and Wales.", "Monday 6 April: Easter Monday, a bank holiday in England and Wales."}},
		{"over Easter in Scotland: no Easter Monday", "2026-03-23", routine, calendar.Scotland, "2026-04-21",
			[]string{"Friday 3 April: Good Friday, a bank holiday in Scotland."}},
		{"received on a Saturday: counting starts Monday", "2026-03-07", urgent, calendar.EnglandAndWales, "2026-03-10",
			[]string{"An urgent enquiry is answered within 2 working days.", "Sunday 8 March: weekend.", "Tuesday 10 March is working day 2: due."}},
		{"urgent over Christmas", "2026-12-24", urgent, calendar.EnglandAndWales, "2026-12-30", nil},
	}
	for _, tt := range tests {
		d := DueDate(date(tt.received), tt.st, cal(t, tt.div))
		if d.Date.String() != tt.want {
			t.Errorf("%s: due %s, want %s\n%s", tt.name, d.Date, tt.want, d.Explanation)
		}
		for _, s := range tt.says {
			if !strings.Contains(d.Explanation, s) {
				t.Errorf("%s: explanation does not say %q:\n%s", tt.name, s, d.Explanation)
			}
		}
	}
}

func TestWarnAndBreach(t *testing.T) {
	ew := cal(t, calendar.EnglandAndWales)
	tests := []struct {
		name, received, due string
		warn                int
		want                string
	}{
		{"three working days before", "2026-03-02", "2026-03-30", 3, "2026-03-25"},
		{"over a weekend", "2026-03-02", "2026-03-31", 3, "2026-03-26"},
		{"over Easter", "2026-03-23", "2026-04-22", 3, "2026-04-17"},
		{"urgent: never before the first working day after receipt", "2026-03-02", "2026-03-04", 3, "2026-03-03"},
		{"one day standard: on the due date", "2026-03-02", "2026-03-03", 3, "2026-03-03"},
	}
	for _, tt := range tests {
		if got := WarnOn(date(tt.received), date(tt.due), tt.warn, ew); got.String() != tt.want {
			t.Errorf("%s: warn on %s, want %s", tt.name, got, tt.want)
		}
	}
	if b := BreachOn(date("2026-03-30")); b.String() != "2026-03-31" {
		t.Errorf("breach on %s", b)
	}
	if n := WorkingDaysTaken(date("2026-03-23"), date("2026-04-22"), ew); n != 20 {
		t.Errorf("days taken %d, want 20", n)
	}
}

func TestNext(t *testing.T) {
	tests := []struct {
		state, action, want, code string
	}{
		{StateReceived, ActionTriage, StateTriaged, ""},
		{StateTriaged, ActionTriage, "", tether.ECONFLICT},
		{StateReceived, ActionAssign, "", tether.ECONFLICT},
		{StateTriaged, ActionAssign, StateAssigned, ""},
		{StateAssigned, ActionAssign, StateAssigned, ""},
		{StateInProgress, ActionAssign, StateAssigned, ""},
		{StateAnswered, ActionAssign, "", tether.ECONFLICT},
		{StateAssigned, ActionStart, StateInProgress, ""},
		{StateTriaged, ActionStart, "", tether.ECONFLICT},
		{StateInProgress, ActionStart, "", tether.ECONFLICT},
		{StateReceived, ActionHolding, StateReceived, ""},
		{StateInProgress, ActionHolding, StateInProgress, ""},
		{StateAnswered, ActionHolding, "", tether.ECONFLICT},
		{StateClosed, ActionHolding, "", tether.ECONFLICT},
		{StateAssigned, ActionAnswer, StateAnswered, ""},
		{StateInProgress, ActionAnswer, StateAnswered, ""},
		{StateTriaged, ActionAnswer, "", tether.ECONFLICT},
		{StateAnswered, ActionAnswer, "", tether.ECONFLICT},
		{StateClosed, ActionAnswer, "", tether.ECONFLICT},
		{StateAnswered, ActionClose, StateClosed, ""},
		{StateClosed, ActionClose, "", tether.ECONFLICT},
		{StateInProgress, ActionClose, "", tether.ECONFLICT},
		{StateAnswered, ActionReopen, StateInProgress, ""},
		{StateClosed, ActionReopen, StateInProgress, ""},
		{StateInProgress, ActionReopen, "", tether.ECONFLICT},
		{StateInProgress, "explode", "", tether.EINVALID},
		{"limbo", ActionTriage, "", tether.ECONFLICT},
	}
	for _, tt := range tests {
		got, err := Next(tt.state, tt.action)
		if got != tt.want || tether.ErrorCode(err) != tt.code {
			t.Errorf("Next(%s, %s) = %q, %v; want %q, %q", tt.state, tt.action, got, err, tt.want, tt.code)
		}
	}
	_, err := Next(StateClosed, ActionAnswer)
	if !strings.Contains(tether.ErrorMessage(err), "closed") {
		t.Errorf("a reply to a closed enquiry: %q", tether.ErrorMessage(err))
	}
}

func TestTransitionInput(t *testing.T) {
	s := DefaultStandards()
	id := func(n int64) *int64 { return &n }
	tests := []struct {
		name  string
		in    TransitionInput
		field string
	}{
		{"triage", TransitionInput{Action: ActionTriage}, ""},
		{"triage with everything", TransitionInput{Action: ActionTriage, Team: "detention", Category: CategoryDetention, PersonID: id(3)}, ""},
		{"unknown action", TransitionInput{Action: "answer"}, "action"},
		{"unknown team", TransitionInput{Action: ActionTriage, Team: "finance"}, "team"},
		{"team when starting", TransitionInput{Action: ActionStart, Team: "detention"}, "team"},
		{"unknown category", TransitionInput{Action: ActionTriage, Category: "weather"}, "category"},
		{"category when assigning", TransitionInput{Action: ActionAssign, Assignee: id(2), Category: CategoryDetention}, "category"},
		{"bad person", TransitionInput{Action: ActionTriage, PersonID: id(0)}, "person_id"},
		{"person when closing", TransitionInput{Action: ActionClose, PersonID: id(4)}, "person_id"},
		{"assign without assignee", TransitionInput{Action: ActionAssign}, "assignee"},
		{"assign to 0", TransitionInput{Action: ActionAssign, Assignee: id(0)}, "assignee"},
		{"assignee when starting", TransitionInput{Action: ActionStart, Assignee: id(2)}, "assignee"},
		{"reopen without a reason", TransitionInput{Action: ActionReopen, Note: "  "}, "note"},
		{"reopen", TransitionInput{Action: ActionReopen, Note: "The office says the answer missed a question."}, ""},
		{"long note", TransitionInput{Action: ActionClose, Note: strings.Repeat("x", 2001)}, "note"},
		{"negative version", TransitionInput{Action: ActionClose, Version: -1}, "version"},
	}
	for _, tt := range tests {
		wantField(t, tt.name, tt.in.Validate(s), tt.field)
	}
}

func TestRefs(t *testing.T) {
	r := NewRef([10]byte{0, 1, 2, 3, 4, 31, 32, 33, 200, 255})
	if r != "ENQ-ABCDE-9AB8J" && !ValidRef(r) {
		t.Fatalf("NewRef = %q", r)
	}
	if !ValidRef(r) {
		t.Errorf("%q is not valid", r)
	}
	for _, bad := range []string{"", "ENQ-ABCDE-FGHJ", "ENQ-ABCDEFGHJKL", "ENQ-ABCDE-FGHI1", "enq-abcde-fghjk", "TH-04817263K", "ENQ-ABCDE-FGHJKL"} {
		if ValidRef(bad) {
			t.Errorf("%q is valid", bad)
		}
	}
	f := Filter{Ref: " enq-abcde-fghjk "}
	if err := f.Validate(); err != nil || f.Ref != "ENQ-ABCDE-FGHJK" {
		t.Errorf("filter ref %q: %v", f.Ref, err)
	}
}

func TestFilterValidate(t *testing.T) {
	id := func(n int64) *int64 { return &n }
	tests := []struct {
		name  string
		f     Filter
		field string
	}{
		{"empty", Filter{}, ""},
		{"open", Filter{State: StateOpen}, ""},
		{"a state", Filter{State: StateAnswered}, ""},
		{"bad state", Filter{State: "lost"}, "state"},
		{"bad category", Filter{Category: "x"}, "category"},
		{"bad urgency", Filter{Urgency: "x"}, "urgency"},
		{"bad team", Filter{Team: "A B"}, "team"},
		{"bad org", Filter{OrganisationID: id(-1)}, "organisation_id"},
		{"bad assignee", Filter{Assignee: id(0)}, "assignee"},
		{"bad person", Filter{PersonID: id(0)}, "person_id"},
		{"bad ref", Filter{Ref: "ENQ-1"}, "ref"},
		{"bad due", Filter{DueBefore: "2026-02-30"}, "due_before"},
		{"bad limit", Filter{Limit: -1}, "limit"},
		{"bad offset", Filter{Offset: -1}, "offset"},
	}
	for _, tt := range tests {
		wantField(t, tt.name, tt.f.Validate(), tt.field)
	}
}

func TestInputValidate(t *testing.T) {
	today := date("2026-03-02")
	ok := func() Input {
		return Input{Subject: Subject{Ref: "TH-04817263K"}, Question: "When will the claim be decided?", Category: CategoryAsylumClaim,
			Urgency: UrgencyRoutine, Authority: Authority{Basis: BasisWrittenConsent, GivenOn: "2026-02-20"}}
	}
	tests := []struct {
		name  string
		kind  tether.OrganisationKind
		edit  func(*Input)
		field string
	}{
		{"by reference", tether.OrgMPOffice, func(*Input) {}, ""},
		{"reference written loosely", tether.OrgMPOffice, func(in *Input) { in.Subject.Ref = "th 0481 7263 k" }, ""},
		{"by name and date of birth", tether.OrgMPOffice, func(in *Input) {
			in.Subject = Subject{FamilyName: "Haile", GivenNames: "Selam", DateOfBirth: "1990-05-01"}
		}, ""},
		{"bad reference", tether.OrgMPOffice, func(in *Input) { in.Subject.Ref = "TH-04817263A" }, "subject.ref"},
		{"nobody", tether.OrgMPOffice, func(in *Input) { in.Subject = Subject{} }, "subject.family_name"},
		{"name without date of birth", tether.OrgMPOffice, func(in *Input) { in.Subject = Subject{FamilyName: "Haile"} }, "subject.date_of_birth"},
		{"date of birth not a date", tether.OrgMPOffice, func(in *Input) {
			in.Subject = Subject{FamilyName: "Haile", DateOfBirth: "1990-02-30"}
		}, "subject.date_of_birth"},
		{"born tomorrow", tether.OrgMPOffice, func(in *Input) {
			in.Subject = Subject{FamilyName: "Haile", DateOfBirth: "2026-03-03"}
		}, "subject.date_of_birth"},
		{"control characters", tether.OrgMPOffice, func(in *Input) { in.Subject.FamilyName = "Hai\x07le" }, "subject.family_name"},
		{"long name", tether.OrgMPOffice, func(in *Input) { in.Subject.GivenNames = strings.Repeat("a", 201) }, "subject.given_names"},
		{"no question", tether.OrgMPOffice, func(in *Input) { in.Question = " " }, "question"},
		{"short question", tether.OrgMPOffice, func(in *Input) { in.Question = "Why?" }, "question"},
		{"long question", tether.OrgMPOffice, func(in *Input) { in.Question = strings.Repeat("a", 10001) }, "question"},
		{"bad category", tether.OrgMPOffice, func(in *Input) { in.Category = "weather" }, "category"},
		{"bad urgency", tether.OrgMPOffice, func(in *Input) { in.Urgency = "asap" }, "urgency"},
		{"urgent without a reason", tether.OrgMPOffice, func(in *Input) { in.Urgency = UrgencyUrgent }, "urgency_reason"},
		{"compassionate without a reason", tether.OrgMPOffice, func(in *Input) { in.Urgency = UrgencyCompassionate }, "urgency_reason"},
		{"urgent with a reason", tether.OrgMPOffice, func(in *Input) {
			in.Urgency, in.UrgencyReason = UrgencyUrgent, "Removal is set for Friday."
		}, ""},
		{"no authority", tether.OrgMPOffice, func(in *Input) { in.Authority = Authority{} }, "authority.basis"},
		{"unknown basis", tether.OrgMPOffice, func(in *Input) { in.Authority.Basis = "hunch" }, "authority.basis"},
		{"MP as representative", tether.OrgMPOffice, func(in *Input) { in.Authority = Authority{Basis: BasisRecordedRepresentative} }, "authority.basis"},
		{"law firm on verbal consent", tether.OrgLawFirm, func(in *Input) { in.Authority.Basis = BasisVerbalConsent }, "authority.basis"},
		{"law firm on record", tether.OrgLawFirm, func(in *Input) { in.Authority = Authority{Basis: BasisRecordedRepresentative} }, ""},
		{"advice on letter of authority", tether.OrgAdvice, func(in *Input) { in.Authority.Basis = BasisLetterOfAuthority }, ""},
		{"consent undated", tether.OrgMPOffice, func(in *Input) { in.Authority.GivenOn = "" }, "authority.given_on"},
		{"consent tomorrow", tether.OrgMPOffice, func(in *Input) { in.Authority.GivenOn = "2026-03-03" }, "authority.given_on"},
		{"consent not a date", tether.OrgMPOffice, func(in *Input) { in.Authority.GivenOn = "yesterday" }, "authority.given_on"},
		{"long note", tether.OrgMPOffice, func(in *Input) { in.Authority.Note = strings.Repeat("n", 501) }, "authority.note"},
	}
	for _, tt := range tests {
		in := ok()
		tt.edit(&in)
		wantField(t, tt.name, in.Validate(tt.kind, today), tt.field)
	}
	in := ok()
	in.Subject.Ref = "th 0481 7263 k"
	_ = in.Validate(tether.OrgMPOffice, today)
	if in.Subject.Ref != "TH-04817263K" {
		t.Errorf("reference not normalised: %q", in.Subject.Ref)
	}
}

func TestCheckAuthority(t *testing.T) {
	org, other := int64(5), int64(6)
	rec := Authority{Basis: BasisRecordedRepresentative}
	tests := []struct {
		name    string
		a       Authority
		matched bool
		rep     *int64
		ok      bool
	}{
		{"on record", rec, true, &org, true},
		{"another firm on record", rec, true, &other, false},
		{"nobody on record", rec, true, nil, false},
		{"person not found", rec, false, nil, false},
		{"consent is recorded as given", Authority{Basis: BasisWrittenConsent}, true, &other, true},
	}
	for _, tt := range tests {
		err := CheckAuthority(tt.a, org, tt.matched, tt.rep)
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// The refusal says the same whether the person was found or not.
	a, b := CheckAuthority(rec, org, true, &other), CheckAuthority(rec, org, false, nil)
	if tether.ErrorMessage(a) != tether.ErrorMessage(b) {
		t.Errorf("refusals differ: %q and %q", a, b)
	}
}

func TestMatch(t *testing.T) {
	selam := Candidate{ID: 1, Ref: "TH-04817263K", Names: []string{"Selam Haile"}, DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 1}}
	twin := Candidate{ID: 2, Ref: "TH-00000001A", Names: []string{"Selam Hailu"}, DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 1}}
	other := Candidate{ID: 3, Ref: "TH-00000002B", Names: []string{"Amir Karimi"}, DateOfBirth: tether.PartialDate{Year: 1990, Month: 5, Day: 1}}
	tests := []struct {
		name   string
		s      Subject
		byRef  *Candidate
		byDOB  []Candidate
		id     int64
		method string
	}{
		{"reference alone", Subject{Ref: selam.Ref}, &selam, nil, 1, MatchReference},
		{"reference and name", Subject{Ref: selam.Ref, FamilyName: "Haile", GivenNames: "Selam"}, &selam, nil, 1, MatchReference},
		{"reference and date of birth", Subject{Ref: selam.Ref, FamilyName: "Smith", DateOfBirth: "1990-05-01"}, &selam, nil, 1, MatchReference},
		{"reference of someone else", Subject{Ref: selam.Ref, FamilyName: "Smith", DateOfBirth: "1970-01-01"}, &selam, nil, 0, MatchNone},
		{"unknown reference", Subject{Ref: "TH-99999999X"}, nil, nil, 0, MatchNone},
		{"name and date of birth", Subject{FamilyName: "Haile", GivenNames: "Selam", DateOfBirth: "1990-05-01"}, nil, []Candidate{selam, other}, 1, MatchNameDOB},
		{"name spelt another way", Subject{FamilyName: "Hayle", GivenNames: "Selam", DateOfBirth: "1990-05-01"}, nil, []Candidate{selam, other}, 1, MatchNameDOB},
		{"two close names", Subject{FamilyName: "Haile", GivenNames: "Selam", DateOfBirth: "1990-05-01"}, nil, []Candidate{selam, twin}, 0, MatchNone},
		{"nobody close", Subject{FamilyName: "Jones", GivenNames: "Mary", DateOfBirth: "1990-05-01"}, nil, []Candidate{selam, other}, 0, MatchNone},
		{"unknown reference, found by name", Subject{Ref: "TH-99999999X", FamilyName: "Karimi", GivenNames: "Amir", DateOfBirth: "1990-05-01"}, nil, []Candidate{other}, 3, MatchNameDOB},
	}
	for _, tt := range tests {
		id, method, note := Match(tt.s, tt.byRef, tt.byDOB)
		if id != tt.id || method != tt.method {
			t.Errorf("%s: Match = %d, %s (%s); want %d, %s", tt.name, id, method, note, tt.id, tt.method)
		}
		if method == MatchNone && note == "" {
			t.Errorf("%s: no note of why it is left for triage", tt.name)
		}
	}
}

func TestLikelyDuplicate(t *testing.T) {
	a := Subject{Ref: "TH-04817263K", FamilyName: "Haile", GivenNames: "Selam", DateOfBirth: "1990-05-01"}
	tests := []struct {
		name         string
		s            Subject
		person, oldP int64
		old          Subject
		want         string
	}{
		{"same person", Subject{FamilyName: "X", DateOfBirth: "2000-01-01"}, 4, 4, a, "the same person"},
		{"same reference", Subject{Ref: "TH-04817263K"}, 0, 0, a, "the same reference"},
		{"same name and date of birth", Subject{FamilyName: "Haile", GivenNames: "Selam", DateOfBirth: "1990-05-01"}, 0, 0, a, "the same name and date of birth"},
		{"same name, other birthday", Subject{FamilyName: "Haile", GivenNames: "Selam", DateOfBirth: "1991-05-01"}, 0, 0, a, ""},
		{"someone else", Subject{Ref: "TH-00000001A"}, 5, 4, a, ""},
		{"unmatched both", Subject{Ref: "TH-00000001A"}, 0, 0, Subject{Ref: "TH-00000002B"}, ""},
	}
	for _, tt := range tests {
		if got := LikelyDuplicate(tt.s, tt.person, tt.old, tt.oldP); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestValidateHolding(t *testing.T) {
	due := date("2026-03-30")
	ok := func() HoldingInput {
		return HoldingInput{Reason: ReasonAwaitingInformation, Outstanding: "A medical report", From: FromRepresentative,
			NewDate: "2026-04-17"}
	}
	tests := []struct {
		name  string
		today string
		edit  func(*HoldingInput)
		field string
	}{
		{"good", "2026-03-20", func(*HoldingInput) {}, ""},
		{"on the due date", "2026-03-30", func(*HoldingInput) {}, ""},
		{"after the due date", "2026-03-31", func(*HoldingInput) {}, "new_date"},
		{"no reason", "2026-03-20", func(h *HoldingInput) { h.Reason = "" }, "reason"},
		{"complex", "2026-03-20", func(h *HoldingInput) { h.Reason = "complex" }, "reason"},
		{"unknown reason", "2026-03-20", func(h *HoldingInput) { h.Reason = "busy" }, "reason"},
		{"nothing outstanding", "2026-03-20", func(h *HoldingInput) { h.Outstanding = "" }, "outstanding"},
		{"outstanding: complex", "2026-03-20", func(h *HoldingInput) { h.Outstanding = "This case is complex." }, "outstanding"},
		{"outstanding: it is complex", "2026-03-20", func(h *HoldingInput) { h.Outstanding = "It is very complex" }, "outstanding"},
		{"outstanding: complexity", "2026-03-20", func(h *HoldingInput) { h.Outstanding = "due to the complexity" }, "outstanding"},
		{"outstanding: a complex report", "2026-03-20", func(h *HoldingInput) { h.Outstanding = "A complex medical report" }, ""},
		{"outstanding: too short", "2026-03-20", func(h *HoldingInput) { h.Outstanding = "x" }, "outstanding"},
		{"from nobody", "2026-03-20", func(h *HoldingInput) { h.From = "" }, "from"},
		{"from someone unknown", "2026-03-20", func(h *HoldingInput) { h.From = "the moon" }, "from"},
		{"long detail", "2026-03-20", func(h *HoldingInput) { h.Detail = strings.Repeat("d", 2001) }, "detail"},
		{"no new date", "2026-03-20", func(h *HoldingInput) { h.NewDate = "" }, "new_date"},
		{"new date before the due date", "2026-03-20", func(h *HoldingInput) { h.NewDate = "2026-03-27" }, "new_date"},
		{"new date the due date", "2026-03-20", func(h *HoldingInput) { h.NewDate = "2026-03-30" }, "new_date"},
		{"new date too far", "2026-03-20", func(h *HoldingInput) { h.NewDate = "2026-12-31" }, "new_date"},
		{"new date not a date", "2026-03-20", func(h *HoldingInput) { h.NewDate = "soon" }, "new_date"},
	}
	for _, tt := range tests {
		h := ok()
		tt.edit(&h)
		d, err := ValidateHolding(&h, date(tt.today), due)
		wantField(t, tt.name, err, tt.field)
		if err == nil && d.String() != h.NewDate {
			t.Errorf("%s: new date %s", tt.name, d)
		}
	}
	w := HoldingWords(ReasonAwaitingInformation, "A medical report.", FromRepresentative, date("2026-04-17"))
	if w != "We are waiting for information: A medical report, from the person's legal representative. We will answer by Friday 17 April 2026." {
		t.Errorf("words: %q", w)
	}
}

func TestBands(t *testing.T) {
	tests := []struct {
		days, std int
		want      string
	}{
		{0, 20, BandWithin}, {20, 20, BandWithin}, {21, 20, Band20To30}, {30, 20, Band20To30}, {31, 20, Band30To40},
		{40, 20, Band30To40}, {41, 20, Band40To50}, {50, 20, Band40To50}, {51, 20, BandOver50}, {400, 20, BandOver50},
		{2, 2, BandWithin}, {3, 2, BandUpTo20}, {20, 2, BandUpTo20}, {21, 2, Band20To30},
	}
	for _, tt := range tests {
		if got := LateBand(tt.days, tt.std); got != tt.want {
			t.Errorf("LateBand(%d, %d) = %s, want %s", tt.days, tt.std, got, tt.want)
		}
	}
	if Month("2026-03-02") != "2026-03" || Month("") != "" {
		t.Error("Month")
	}
}

func TestReportFilter(t *testing.T) {
	f := ReportFilter{}
	if err := f.Validate("2026-03-02"); err != nil || f.From != "2025-04" || f.To != "2026-03" {
		t.Fatalf("default months %+v, %v", f, err)
	}
	tests := []struct {
		name  string
		f     ReportFilter
		field string
	}{
		{"a year", ReportFilter{From: "2025-01", To: "2025-12"}, ""},
		{"bad from", ReportFilter{From: "2025-13", To: "2025-12"}, "from"},
		{"bad to", ReportFilter{From: "2025-01", To: "2025"}, "to"},
		{"backwards", ReportFilter{From: "2025-06", To: "2025-01"}, "to"},
		{"too long", ReportFilter{From: "2020-01", To: "2025-12"}, "to"},
		{"bad team", ReportFilter{From: "2025-01", To: "2025-12", Team: "A"}, "team"},
		{"bad category", ReportFilter{From: "2025-01", To: "2025-12", Category: "x"}, "category"},
		{"bad urgency", ReportFilter{From: "2025-01", To: "2025-12", Urgency: "x"}, "urgency"},
	}
	for _, tt := range tests {
		wantField(t, tt.name, tt.f.Validate("2026-03-02"), tt.field)
	}
}

func TestReportBuilder(t *testing.T) {
	b := NewReportBuilder(ReportFilter{From: "2026-01", To: "2026-02"}, "2026-03-02")
	b.AddReceived("2026-02", "asylum", CategoryAsylumClaim, UrgencyRoutine, BandWithin, 8)
	b.AddReceived("2026-02", "asylum", CategoryAsylumClaim, UrgencyRoutine, Band20To30, 1)
	b.AddReceived("2026-02", "asylum", CategoryAsylumClaim, UrgencyRoutine, "", 3)
	b.AddOpen("2026-02", "asylum", CategoryAsylumClaim, UrgencyRoutine, 21, true, 1)
	b.AddOpen("2026-02", "asylum", CategoryAsylumClaim, UrgencyRoutine, 5, false, 2)
	b.AddReceived("2026-01", "detention", CategoryDetention, UrgencyUrgent, BandUpTo20, 2)
	b.AddReceived("2026-01", "detention", CategoryDetention, UrgencyRoutine, BandOver50, 1)
	r := b.Report()
	if len(r.Rows) != 3 || r.Rows[0].Month != "2026-01" || r.Rows[0].Urgency != UrgencyRoutine || r.Rows[1].Urgency != UrgencyUrgent {
		t.Fatalf("rows %+v", r.Rows)
	}
	a := r.Rows[2]
	if a.Received != 12 || a.Answered != 9 || a.AnsweredWithin != 8 || a.ShareWithin != 0.889 || a.Open != 3 ||
		a.OpenByAge.UpTo20 != 2 || a.OpenByAge.To30 != 1 || a.Late.To30 != 1 || a.Late.Outstanding != 1 {
		t.Errorf("asylum row %+v", a)
	}
	tot := r.Totals
	if tot.Received != 15 || tot.Answered != 12 || tot.AnsweredWithin != 8 || tot.ShareWithin != 0.667 ||
		tot.Late.UpTo20 != 2 || tot.Late.Over50 != 1 || tot.Late.Total() != 5 {
		t.Errorf("totals %+v", tot)
	}
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 5 || lines[0] != strings.Join(CSVHeader, ",") ||
		lines[3] != "2026-02,asylum,asylum_claim,routine,12,9,8,0.889,3,2,1,0,0,0,0,1,0,0,0,1" ||
		!strings.HasPrefix(lines[4], "total,,,,15,12,8,0.667,") {
		t.Errorf("CSV:\n%s", buf.String())
	}
}

func TestReplyInput(t *testing.T) {
	tests := []struct {
		name  string
		in    ReplyInput
		field string
	}{
		{"email", ReplyInput{TemplateKey: "enquiry-reply-email"}, ""},
		{"no template", ReplyInput{}, "template_key"},
		{"bad email", ReplyInput{TemplateKey: "k", To: "office at example"}, "to"},
		{"letter", ReplyInput{TemplateKey: "k", ToAddress: []string{"Office of A. Member MP", "House of Commons", "London SW1A 0AA"}}, ""},
		{"one line", ReplyInput{TemplateKey: "k", ToAddress: []string{"London"}}, "to_address"},
		{"blank line", ReplyInput{TemplateKey: "k", ToAddress: []string{"London", " "}}, "to_address"},
		{"both", ReplyInput{TemplateKey: "k", To: "a@example.org", ToAddress: []string{"A", "B"}}, "to_address"},
		{"long value", ReplyInput{TemplateKey: "k", Personalisation: map[string]string{"reply": strings.Repeat("r", 5001)}}, "personalisation.reply"},
		{"long proof", ReplyInput{TemplateKey: "k", ProofRef: strings.Repeat("p", 201)}, "proof_ref"},
		{"negative version", ReplyInput{TemplateKey: "k", Version: -2}, "version"},
	}
	for _, tt := range tests {
		wantField(t, tt.name, tt.in.Validate(), tt.field)
	}
}

func TestForOffice(t *testing.T) {
	pid, uid, tid := int64(1), int64(2), int64(3)
	e := &Enquiry{ID: 9, PersonID: &pid, PersonRef: "TH-04817263K", Match: MatchReference, Team: "asylum", Assignee: &uid,
		AssigneeName: "Eve", TaskID: &tid, Answer: &Reply{Content: "Answer", SentBy: "user:2", SentByName: "Eve"}}
	o := e.ForOffice()
	if o.PersonID != nil || o.PersonRef != "" || o.Match != "" || o.Team != "" || o.Assignee != nil || o.AssigneeName != "" ||
		o.TaskID != nil || o.Answer.SentBy != "" || o.Answer.SentByName != "" || o.Answer.Content != "Answer" {
		t.Errorf("office view %+v", o)
	}
	if e.PersonID == nil || e.Answer.SentBy == "" {
		t.Error("ForOffice changed the original")
	}
	ev := (&Event{Action: EventAssigned, Actor: "user:2", ActorName: "Eve", Note: "Over to Eve"}).ForOffice()
	if ev.Actor != "" || ev.Note != "" {
		t.Errorf("event %+v", ev)
	}
	if ev := (&Event{Action: EventDueChanged, Actor: "system", Note: "Bank holidays changed."}).ForOffice(); ev.Note == "" || ev.Actor != "" {
		t.Errorf("due change %+v", ev)
	}
	if OfficeSees(EventWarning) || !OfficeSees(EventHoldingReply) {
		t.Error("OfficeSees")
	}
}
