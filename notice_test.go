package tether

import (
	"strings"
	"testing"
	"time"

	"tether/calendar"
)

func cp(id int64, kind, party string, corr bool, from time.Time, mod func(c *ContactPoint)) *ContactPoint {
	c := &ContactPoint{ID: id, Kind: kind, Party: party, ForCorrespondence: corr, ValidFrom: from, Verification: Unverified}
	switch kind {
	case KindPostal:
		c.Address = &Address{Lines: []string{"1 High Street"}, Town: "Leeds", Postcode: "LS1 1AA", Country: "GB"}
	case KindEmail:
		c.Email = "a@example.com"
	default:
		c.Phone = "+447700900123"
	}
	if mod != nil {
		mod(c)
	}
	return c
}

func TestChooseRoute(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d := func(days int) time.Time { return now.AddDate(0, 0, -days) }
	ended := func(c *ContactPoint) { e := d(1); c.ValidTo = &e }
	failed := func(c *ContactPoint) { c.Verification = Failed }
	instructed := &Representative{Organisation: "Hill Law", Instructed: true}
	notInstructed := &Representative{Organisation: "Hill Law"}

	for _, tc := range []struct {
		name    string
		rep     *Representative
		points  []*ContactPoint
		channel string
		kind    string
		wantID  int64
		party   string
		reason  string // a fragment of the reason
		errKey  string // field of the EINVALID error
	}{
		{"correspondence address beats a newer other address", nil, []*ContactPoint{
			cp(1, KindPostal, PartySelf, true, d(100), nil),
			cp(2, KindPostal, PartySelf, false, d(5), nil),
		}, ChannelLetter, KindReportingNotice, 1, PartySelf, "for correspondence", ""},
		{"last known address when none for correspondence", nil, []*ContactPoint{
			cp(1, KindPostal, PartySelf, false, d(100), nil),
			cp(2, KindPostal, PartySelf, false, d(5), nil),
		}, ChannelLetter, KindDecision, 2, PartySelf, "last known", ""},
		{"last confirmed wins among correspondence points", nil, []*ContactPoint{
			cp(1, KindPostal, PartySelf, true, d(100), func(c *ContactPoint) { x := d(1); c.LastConfirmedAt = &x }),
			cp(2, KindPostal, PartySelf, true, d(5), nil),
		}, ChannelLetter, KindDecision, 1, PartySelf, "for correspondence", ""},
		{"instructed representative counts as the person", instructed, []*ContactPoint{
			cp(1, KindPostal, PartySelf, true, d(100), nil),
			cp(2, KindPostal, PartyRepresentative, false, d(50), nil),
		}, ChannelLetter, KindDecision, 2, PartyRepresentative, "Hill Law", ""},
		{"representative not instructed is passed over", notInstructed, []*ContactPoint{
			cp(1, KindPostal, PartySelf, true, d(100), nil),
			cp(2, KindPostal, PartyRepresentative, false, d(50), nil),
		}, ChannelLetter, KindDecision, 1, PartySelf, "for correspondence", ""},
		{"instructed representative without an address", instructed, []*ContactPoint{
			cp(1, KindPostal, PartySelf, true, d(100), nil),
			cp(2, KindEmail, PartyRepresentative, true, d(50), nil),
		}, ChannelLetter, KindDecision, 1, PartySelf, "no working postal address", ""},
		{"ended and failed points are skipped", nil, []*ContactPoint{
			cp(1, KindPostal, PartySelf, true, d(100), ended),
			cp(2, KindPostal, PartySelf, true, d(50), failed),
			cp(3, KindPostal, PartySelf, false, d(200), nil),
		}, ChannelLetter, KindDecision, 3, PartySelf, "last known", ""},
		{"emergency contacts and sponsors never receive notices", nil, []*ContactPoint{
			cp(1, KindPostal, PartyEmergencyContact, true, d(100), nil),
			cp(2, KindPostal, PartySponsor, true, d(100), nil),
		}, ChannelLetter, KindDecision, 0, "", "", "method"},
		{"no point at all", nil, nil, ChannelEmail, KindReminder, 0, "", "", "method"},
		{"email to the correspondence email", nil, []*ContactPoint{
			cp(1, KindPostal, PartySelf, true, d(100), nil),
			cp(2, KindEmail, PartySelf, true, d(100), nil),
		}, ChannelEmail, KindReminder, 2, PartySelf, "email address", ""},
		{"sms to a mobile", nil, []*ContactPoint{
			cp(1, KindLandline, PartySelf, true, d(100), nil),
			cp(2, KindMobile, PartySelf, false, d(100), nil),
		}, ChannelSMS, KindReminder, 2, PartySelf, "mobile number", ""},
		{"a decision never goes by SMS", nil, []*ContactPoint{
			cp(2, KindMobile, PartySelf, true, d(100), nil),
		}, ChannelSMS, KindDecision, 0, "", "", "template"},
		{"unknown channel", nil, nil, "fax", KindDecision, 0, "", "", "channel"},
		{"a point starting tomorrow is not current", nil, []*ContactPoint{
			cp(1, KindPostal, PartySelf, true, now.AddDate(0, 0, 1), nil),
		}, ChannelLetter, KindDecision, 0, "", "", "method"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Person{FamilyName: "Haile", Representative: tc.rep}
			r, err := ChooseRoute(p, tc.points, tc.channel, tc.kind, now)
			if tc.errKey != "" {
				if ErrorCode(err) != EINVALID || ErrorFields(err)[tc.errKey] == "" {
					t.Fatalf("want EINVALID on %s, got %v", tc.errKey, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.ContactPoint == nil || r.ContactPoint.ID != tc.wantID {
				t.Fatalf("chose %+v, want point %d", r.ContactPoint, tc.wantID)
			}
			if r.Party != tc.party || r.Method != MethodFor(tc.channel) {
				t.Errorf("party %q method %q", r.Party, r.Method)
			}
			if !strings.Contains(r.Reason, tc.reason) {
				t.Errorf("reason %q lacks %q", r.Reason, tc.reason)
			}
		})
	}
}

func TestDeemed(t *testing.T) {
	rules := DefaultDeemedRules()
	uk := func(pc string) *Address {
		return &Address{Lines: []string{"1 High Street"}, Town: "Town", Postcode: pc, Country: "GB"}
	}
	abroad := &Address{Lines: []string{"12 Rue de la Paix", "75002 Paris"}, Country: "FR"}
	for _, tc := range []struct {
		name    string
		method  string
		dest    *Address
		sent    string
		want    string
		rule    string
		explain []string
	}{
		{"post before Christmas", MethodPost, uk("LS1 1AA"), "2025-12-19", "2025-12-23", "deemed-service/post-uk",
			[]string{"Monday 22 December is working day 1", "deemed received"}},
		{"post on Christmas Eve skips Christmas and Boxing Day", MethodPost, uk("LS1 1AA"), "2025-12-24", "2025-12-30", "deemed-service/post-uk",
			[]string{"Christmas Day", "Boxing Day"}},
		{"post on Maundy Thursday skips Good Friday and Easter Monday", MethodPost, uk("SW1A 1AA"), "2026-04-02", "2026-04-08", "deemed-service/post-uk",
			[]string{"Good Friday", "Easter Monday"}},
		{"Scotland does not keep Easter Monday", MethodPost, uk("EH1 1YZ"), "2026-04-02", "2026-04-07", "deemed-service/post-uk",
			[]string{"Good Friday"}},
		{"Scotland keeps 2 January", MethodPost, uk("G1 1AA"), "2025-12-31", "2026-01-06", "deemed-service/post-uk",
			[]string{"2nd January"}},
		{"England works on 2 January", MethodPost, uk("M1 1AA"), "2025-12-31", "2026-01-05", "deemed-service/post-uk", nil},
		{"Northern Ireland keeps St Patrick's Day", MethodPost, uk("BT1 1AA"), "2026-03-16", "2026-03-19", "deemed-service/post-uk",
			[]string{"St Patrick"}},
		{"Northern Ireland keeps the Twelfth", MethodPost, uk("BT7 1NN"), "2026-07-10", "2026-07-15", "deemed-service/post-uk",
			[]string{"Battle of the Boyne"}},
		{"substitute day for Boxing Day 2026", MethodPost, uk("LS1 1AA"), "2026-12-24", "2026-12-30", "deemed-service/post-uk",
			[]string{"substitute day"}},
		{"posted on a Saturday", MethodPost, uk("LS1 1AA"), "2026-03-07", "2026-03-10", "deemed-service/post-uk", nil},
		{"post abroad on the 28th day", MethodPost, abroad, "2026-01-30", "2026-02-27", "deemed-service/post-overseas",
			[]string{"Day 28"}},
		{"email the same day, even on a bank holiday", MethodEmail, nil, "2025-12-25", "2025-12-25", "deemed-service/email",
			[]string{"same day"}},
		{"sms the same day", MethodSMS, nil, "2026-03-07", "2026-03-07", "deemed-service/sms", nil},
		{"by hand", MethodHand, nil, "2026-03-09", "2026-03-09", "deemed-service/hand", nil},
		{"to file", MethodFile, nil, "2026-03-09", "2026-03-09", "deemed-service/file", []string{"copy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := rules.Deemed(tc.method, tc.dest, calendar.MustParseDate(tc.sent), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got.Date.String() != tc.want || got.Rule != tc.rule || got.RuleVersion != 1 {
				t.Fatalf("got %s by %s v%d, want %s by %s", got.Date, got.Rule, got.RuleVersion, tc.want, tc.rule)
			}
			for _, s := range tc.explain {
				if !strings.Contains(got.Explanation, s) {
					t.Errorf("explanation lacks %q:\n%s", s, got.Explanation)
				}
			}
		})
	}
	if _, err := rules.Deemed(MethodPost, nil, calendar.MustParseDate("2026-03-09"), nil); ErrorCode(err) != EINVALID {
		t.Errorf("post without a destination: %v", err)
	}
	if _, err := rules.Deemed("pigeon", nil, calendar.MustParseDate("2026-03-09"), nil); ErrorCode(err) != EINVALID {
		t.Errorf("unknown method: %v", err)
	}
}

func TestParseDeemedRules(t *testing.T) {
	for _, tc := range []struct {
		name, json, field string
	}{
		{"not json", `{`, "rules"},
		{"unknown field", `{"name":"x","version":1,"rules":[],"extra":1}`, "rules"},
		{"no rules", `{"name":"x","version":1,"rules":[]}`, "rules"},
		{"bad version", `{"name":"x","version":0,"rules":[{"name":"a","method":"email","destination":"any","count":0,"unit":"days","text":"t"}]}`, "version"},
		{"bad method", `{"name":"x","version":1,"rules":[{"name":"a","method":"fax","destination":"any","count":0,"unit":"days","text":"t"}]}`, "rules[0].method"},
		{"working days abroad", `{"name":"x","version":1,"rules":[{"name":"a","method":"post","destination":"overseas","count":5,"unit":"working-days","text":"t"}]}`, "rules[0].unit"},
		{"duplicate names", `{"name":"x","version":1,"rules":[{"name":"a","method":"email","destination":"any","count":0,"unit":"days","text":"t"},{"name":"a","method":"sms","destination":"any","count":0,"unit":"days","text":"t"}]}`, "rules[1].name"},
		{"no text", `{"name":"x","version":1,"rules":[{"name":"a","method":"email","destination":"any","count":0,"unit":"days","text":" "}]}`, "rules[0].text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDeemedRules([]byte(tc.json))
			if ErrorCode(err) != EINVALID || ErrorFields(err)[tc.field] == "" {
				t.Fatalf("want EINVALID on %s, got %v", tc.field, err)
			}
		})
	}
	r := DefaultDeemedRules()
	if r.Name != "deemed-service" || r.Version != 1 || len(r.Rules) != 6 {
		t.Fatalf("default rules: %+v", r)
	}
}

func TestApplyStatus(t *testing.T) {
	for _, tc := range []struct {
		current, status, want string
		moved, failed, posted bool
	}{
		{NoticeQueued, StatusCreated, NoticeSent, true, false, false},
		{NoticeSending, StatusSending, NoticeSent, true, false, false},
		{NoticeSent, StatusSending, NoticeSent, false, false, false},
		{NoticeSent, StatusDelivered, NoticeDelivered, true, false, false},
		{NoticeDelivered, StatusSending, NoticeDelivered, false, false, false},
		{NoticeDelivered, StatusDelivered, NoticeDelivered, false, false, false},
		{NoticeSent, StatusPermanentFailure, NoticeFailed, true, true, false},
		{NoticeSent, StatusTemporaryFailure, NoticeFailed, true, false, false},
		{NoticeSent, StatusTechnicalFailure, NoticeFailed, true, false, false},
		{NoticeFailed, StatusDelivered, NoticeFailed, false, false, false},
		{NoticeSent, StatusAccepted, NoticeSent, false, false, false},
		{NoticeSent, StatusReceived, NoticeDelivered, true, false, true},
		{NoticeDelivered, StatusReturned, NoticeReturned, true, true, false},
		{NoticeReturned, StatusDelivered, NoticeReturned, false, false, false},
		{NoticeSent, StatusCancelled, NoticeCancelled, true, false, false},
		{NoticeCancelled, StatusReceived, NoticeCancelled, false, false, false},
		{NoticeOnFile, StatusDelivered, NoticeOnFile, false, false, false},
		{NoticeServedByHand, StatusReturned, NoticeServedByHand, false, false, false},
	} {
		got, err := ApplyStatus(tc.current, tc.status)
		if err != nil {
			t.Fatalf("%s + %s: %v", tc.current, tc.status, err)
		}
		if got.State != tc.want || got.Moved != tc.moved || got.ContactFailed != tc.failed || got.Posted != tc.posted {
			t.Errorf("%s + %s = %+v, want %s moved=%v failed=%v posted=%v", tc.current, tc.status, got, tc.want, tc.moved, tc.failed, tc.posted)
		}
	}
	if _, err := ApplyStatus(NoticeSent, "exploded"); ErrorCode(err) != EINVALID {
		t.Errorf("unknown status: %v", err)
	}
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		attempt    int
		retryAfter time.Duration
		want       time.Duration
	}{
		{0, 0, 30 * time.Second},
		{1, 0, 30 * time.Second},
		{2, 0, time.Minute},
		{3, 0, 2 * time.Minute},
		{7, 0, 32 * time.Minute},
		{8, 0, time.Hour},
		{100, 0, time.Hour},
		{1, 5 * time.Minute, 5 * time.Minute},
		{3, time.Second, 2 * time.Minute},
	} {
		if got := Backoff(tc.attempt, tc.retryAfter); got != tc.want {
			t.Errorf("Backoff(%d, %s) = %s, want %s", tc.attempt, tc.retryAfter, got, tc.want)
		}
	}
}
