package web

import (
	"context"

	"tether"
	"tether/clarity"
)

// corrFake is the correspondence the golden pages show: two templates, and
// two notices for person 1, one with its timeline.
type corrFake struct {
	Correspondence
	templates []*tether.Template
	notices   []*tether.Notice
	events    []*tether.NoticeEvent
}

func newCorrFake() *corrFake {
	letter := &tether.Template{ID: 1, Key: "reporting-notice-letter", Title: "Reporting notice", Kind: tether.KindReportingNotice,
		Channel: tether.ChannelLetter, AsksToAct: true, Placeholders: []string{"name", "reference", "date", "centre_name"},
		CreatedAt: fakeAt("2025-06-01T10:00:00Z"), CreatedBy: "user:2"}
	letter.Versions = []*tether.TemplateVersion{
		{ID: 1, TemplateID: 1, Number: 1, Language: "en", Subject: "You must report on ((date))",
			Body:  "Dear ((name))\n\nYou must report to ((centre_name)) on ((date)).\n\nYour reference is ((reference)).",
			State: tether.TemplateStatePublished, ReadingEase: 72.4, Grade: 6.1, PassesBar: true,
			PublishedAt: fakeAtp("2025-06-02T10:00:00Z"), PublishedBy: "user:2", CreatedAt: fakeAt("2025-06-01T10:00:00Z"), CreatedBy: "user:2"},
		{ID: 2, TemplateID: 1, Number: 2, Language: "en", Subject: "Notification of reporting requirement",
			Body:  "Dear ((name))\n\nIt is hereby notified that attendance is required at ((centre_name)) on ((date)) notwithstanding prior arrangements.",
			State: tether.TemplateStateDraft, ReadingEase: 31.5, Grade: 14.2, PassesBar: false,
			CreatedAt: fakeAt("2026-02-20T10:00:00Z"), CreatedBy: "user:1"},
	}
	sms := &tether.Template{ID: 2, Key: "reporting-reminder-sms", Title: "Reporting reminder", Kind: tether.KindReminder,
		Channel: tether.ChannelSMS, AsksToAct: true, Placeholders: []string{"name", "date", "help_phone"},
		CreatedAt: fakeAt("2025-06-01T10:00:00Z"), CreatedBy: "user:2"}
	sms.Versions = []*tether.TemplateVersion{
		{ID: 3, TemplateID: 2, Number: 1, Language: "en", Body: "((name)), report on ((date)). Help: ((help_phone))",
			State: tether.TemplateStatePublishedOver, ReadingEase: 55.0, Grade: 8.0, PassesBar: false, OverrideReason: "starter set",
			CreatedAt: fakeAt("2025-06-01T10:00:00Z"), CreatedBy: "user:2"},
	}
	cp := int64(11)
	notice := &tether.Notice{ID: 1, Ref: "NT-7KQ2M4XB", PersonID: 1, PersonRef: "TH-04817263K",
		TemplateID: 1, TemplateKey: "reporting-notice-letter", TemplateVersion: 1, VersionID: 1, Language: "en",
		Kind: tether.KindReportingNotice, AsksToAct: true, Method: tether.MethodPost, Channel: tether.SendNotifyLetter,
		Party: tether.PartySelf, ContactPointID: &cp, Destination: []string{"Amina Yusuf", "Flat 2", "14 Camden Road", "London", "NW1 9DP"},
		Division: "england-and-wales", RouteReason: "The postal address they gave for correspondence",
		Subject: "You must report on 16 March 2026", Content: "Dear Amina Yusuf\n\nYou must report to Croydon reporting centre on 16 March 2026.\n\nYour reference is TH-04817263K.",
		State: tether.NoticeDelivered, ProviderID: "3f1c0a52-6f7d-4c56-9b1e-2d3c4b5a6978", SentAt: fakeAtp("2026-02-23T10:05:00Z"), PostedOn: "2026-02-24",
		DeemedServed: "2026-02-26", DeemedRule: "post-second-class", DeemedRuleVersion: 1,
		DeemedExplanation: "Posted on Tuesday 24 February 2026: deemed served on the second business day after posting.",
		CreatedBy:         "user:1", CreatedAt: fakeAt("2026-02-23T10:00:00Z"), UpdatedAt: fakeAt("2026-02-24T16:00:00Z"), Version: 3}
	onFile := &tether.Notice{ID: 2, Ref: "NT-Q9W3E5RT", PersonID: 1, PersonRef: "TH-04817263K",
		TemplateID: 1, TemplateKey: "reporting-notice-letter", TemplateVersion: 1, VersionID: 1, Language: "en",
		Method: tether.MethodFile, Channel: tether.SendFile, Party: tether.PartySelf,
		RouteReason: "Served to file: letters and texts have failed", Content: "Dear Amina Yusuf",
		State: tether.NoticeOnFile, SentAt: fakeAtp("2026-02-27T11:00:00Z"), DeemedServed: "2026-02-27", CopyDue: true,
		CreatedBy: "user:1", CreatedAt: fakeAt("2026-02-27T11:00:00Z"), UpdatedAt: fakeAt("2026-02-27T11:00:00Z"), Version: 1}
	events := []*tether.NoticeEvent{
		{ID: 1, NoticeID: 1, At: fakeAt("2026-02-23T10:00:00Z"), Status: "created", State: tether.NoticeQueued, Source: "tether", Actor: "user:1"},
		{ID: 2, NoticeID: 1, At: fakeAt("2026-02-23T10:05:00Z"), Status: "accepted", State: tether.NoticeSent, Source: "notify-letter", Actor: "system:dispatch"},
		{ID: 3, NoticeID: 1, At: fakeAt("2026-02-24T16:00:00Z"), Status: "received", State: tether.NoticeDelivered, Source: "notify-callback",
			Detail: "notify letter received", Actor: "system:notify-callback"},
	}
	return &corrFake{templates: []*tether.Template{letter, sms}, notices: []*tether.Notice{onFile, notice}, events: events}
}

func (f *corrFake) FindNotices(ctx context.Context, flt tether.NoticeFilter) ([]*tether.Notice, int, error) {
	var out []*tether.Notice
	for _, n := range f.notices {
		if (flt.PersonID == nil || *flt.PersonID == n.PersonID) && (flt.State == "" || flt.State == n.State) &&
			(flt.Method == "" || flt.Method == n.Method) {
			out = append(out, n)
		}
	}
	return out, len(out), nil
}

func (f *corrFake) FindNoticeByID(ctx context.Context, id int64) (*tether.Notice, error) {
	for _, n := range f.notices {
		if n.ID == id {
			return n, nil
		}
	}
	return nil, tether.Errorf(tether.ENOTFOUND, "No notice %d.", id)
}

func (f *corrFake) NoticeTimeline(ctx context.Context, id int64) ([]*tether.NoticeEvent, error) {
	var out []*tether.NoticeEvent
	for _, e := range f.events {
		if e.NoticeID == id {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f *corrFake) FindTemplates(ctx context.Context) ([]*tether.Template, error) {
	return f.templates, nil
}

func (f *corrFake) FindTemplateByID(ctx context.Context, id int64) (*tether.Template, error) {
	for _, t := range f.templates {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, tether.Errorf(tether.ENOTFOUND, "No template %d.", id)
}

func (f *corrFake) FindTemplateVersion(ctx context.Context, id int64) (*tether.TemplateVersion, error) {
	for _, t := range f.templates {
		for _, v := range t.Versions {
			if v.ID == id {
				return v, nil
			}
		}
	}
	return nil, tether.Errorf(tether.ENOTFOUND, "No template version %d.", id)
}

func (f *corrFake) CheckVersion(t *tether.Template, v *tether.TemplateVersion) clarity.Report {
	return clarity.Report{Words: 42, Sentences: 3, ReadingEase: 31.5, Grade: 14.2, ReadingAge: 19, PassesBar: false,
		Problems: []string{"Reading ease is 31.5; the bar is 60"},
		Jargon:   []clarity.Finding{{Phrase: "notwithstanding", Suggestion: "despite"}, {Phrase: "hereby"}}}
}

// PreviewNotice and CreateNotice find no working contact point, unless the
// caseworker serves the notice by hand or to file.
func (f *corrFake) PreviewNotice(ctx context.Context, r *tether.NoticeRequest) (*tether.NoticeDraft, error) {
	if r.Method == "" {
		return nil, tether.Invalid("method", "no contact point works: serve the notice by hand or to file, and say why")
	}
	return nil, tether.Invalid("reason", "record why the notice is not served where the service rules say")
}

// ChannelStates: Notify email works; Notify SMS keeps failing and is
// paused.
func (f *corrFake) ChannelStates(ctx context.Context) ([]*tether.ChannelState, error) {
	return []*tether.ChannelState{
		{Channel: tether.SendNotifyEmail, LastSuccessAt: fakeAtp("2026-03-02T08:55:00Z"), Pending: 3, Sent: 1204, Failed: 2},
		{Channel: tether.SendNotifySMS, ConsecutiveFailures: 5, PausedUntil: fakeAtp("2026-03-02T09:30:00Z"),
			LastError: "notify send sms: status 503: Exception (retry after 30s)", LastFailureAt: fakeAtp("2026-03-02T08:59:00Z"),
			LastSuccessAt: fakeAtp("2026-03-01T17:00:00Z"), Pending: 41, Sent: 877},
	}, nil
}

func (f *corrFake) OutboxStats(ctx context.Context) (map[string]int, error) {
	return map[string]int{tether.OutboxPending: 44, tether.OutboxDone: 2081, tether.OutboxFailed: 2}, nil
}
