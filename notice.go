package tether

import (
	"context"
	"time"

	"tether/clarity"
)

// Methods of service: how a notice reaches the person (DOMAIN.md, "Serving
// correspondence"). A notice given to an instructed representative counts as
// given to the person; its Method is how it reached the representative and
// its Party is PartyRepresentative.
const (
	MethodPost  = "post"  // a printed letter, posted
	MethodEmail = "email" // an email
	MethodSMS   = "sms"   // a text message: for notifications, never decisions
	MethodHand  = "hand"  // handed over in person, recorded by the caseworker
	MethodFile  = "file"  // placed on file: every attempt impossible or failed
)

// Methods lists the methods.
var Methods = []string{MethodPost, MethodEmail, MethodSMS, MethodHand, MethodFile}

// Template channels.
const (
	ChannelLetter = "letter"
	ChannelEmail  = "email"
	ChannelSMS    = "sms"
)

// Template kinds.
const (
	KindDecision               = "decision"
	KindBailNotice             = "bail_notice"
	KindReportingNotice        = "reporting_notice"
	KindReminder               = "reminder"
	KindRequestContactDetails  = "request_contact_details"
	KindEnquiryReply           = "enquiry_reply"
	KindGeneral                = "general"
	TemplateStateDraft         = "draft"
	TemplateStatePublished     = "published"
	TemplateStatePublishedOver = "published_over_bar" // published below the clarity bar, with an admin's reason
)

// TemplateKinds lists the kinds.
var TemplateKinds = []string{KindDecision, KindBailNotice, KindReportingNotice, KindReminder,
	KindRequestContactDetails, KindEnquiryReply, KindGeneral}

// Template is a named letter, email or text, with versions per language. A
// sent notice records the exact version it used.
type Template struct {
	ID        int64  `json:"id"`
	Key       string `json:"key"` // stable, such as "reporting-notice-letter"
	Title     string `json:"title"`
	Kind      string `json:"kind"`
	Channel   string `json:"channel"`
	AsksToAct bool   `json:"asks_to_act"`
	// Placeholders declares the personalisation the template takes.
	Placeholders []string           `json:"placeholders"`
	Versions     []*TemplateVersion `json:"versions,omitempty"`
	CreatedAt    time.Time          `json:"created_at"`
	CreatedBy    string             `json:"created_by"`
}

// TemplateVersion is one immutable wording of a template in one language. A
// change is a new version; publishing makes it the one used for new notices.
type TemplateVersion struct {
	ID         int64  `json:"id"`
	TemplateID int64  `json:"template_id"`
	Number     int    `json:"number"`
	Language   string `json:"language"` // "en", "cy", "ar", ...
	Subject    string `json:"subject,omitempty"`
	Body       string `json:"body"`
	State      string `json:"state"` // draft, published, published_over_bar, retired
	// Clarity is the clarity report (JSON) taken when the version was saved.
	ReadingEase float64 `json:"reading_ease"`
	Grade       float64 `json:"grade"`
	PassesBar   bool    `json:"passes_bar"`
	// Clarity is the full report: long sentences, official words, passive
	// voice, the four parts of a request to act, SMS length.
	Clarity *clarity.Report `json:"clarity,omitempty"`
	// OverrideReason is the admin's reason for publishing below the bar.
	OverrideReason string     `json:"override_reason,omitempty"`
	PublishedAt    *time.Time `json:"published_at,omitempty"`
	PublishedBy    string     `json:"published_by,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	CreatedBy      string     `json:"created_by"`
}

// Notice states.
const (
	NoticeQueued       = "queued"         // committed; waiting in the outbox
	NoticeSending      = "sending"        // a dispatcher holds it
	NoticeSent         = "sent"           // the channel accepted it
	NoticeDelivered    = "delivered"      // the channel reports it delivered (email, SMS) or posted (letter)
	NoticeFailed       = "failed"         // permanently failed; a caseworker has a task
	NoticeReturned     = "returned"       // the letter came back
	NoticeServedByHand = "served_by_hand" // recorded by a caseworker
	NoticeOnFile       = "on_file"        // served to file, with a reason
	NoticeCancelled    = "cancelled"
)

// Notice is one piece of correspondence to one person: what was sent (the
// rendered content and the template version), where (the contact point as it
// was then), how and why there, and when it is deemed served.
type Notice struct {
	ID        int64  `json:"id"`
	Ref       string `json:"ref"` // our reference, also the idempotency key sent to the channel
	PersonID  int64  `json:"person_id"`
	PersonRef string `json:"person_ref"`

	TemplateID      int64  `json:"template_id"`
	TemplateKey     string `json:"template_key"`
	TemplateVersion int    `json:"template_version"` // TemplateVersion.Number
	VersionID       int64  `json:"version_id"`
	Language        string `json:"language"`
	Kind            string `json:"kind"`
	AsksToAct       bool   `json:"asks_to_act"`

	// Where and how: the route chosen by ChooseRoute, stored with its reason.
	Method         string `json:"method"`
	Channel        string `json:"channel"` // the sending channel: notify-email, notify-sms, notify-letter, smtp, print, hand, file
	Party          string `json:"party"`   // PartySelf or PartyRepresentative
	ContactPointID *int64 `json:"contact_point_id,omitempty"`
	// Destination is the contact point as it was then: address lines, email or number.
	Destination []string `json:"destination,omitempty"`
	Division    string   `json:"division,omitempty"` // bank-holiday division of a UK postal destination
	RouteReason string   `json:"route_reason"`

	Subject string `json:"subject,omitempty"`
	Content string `json:"content"` // the exact rendered text

	State      string     `json:"state"`
	ProviderID string     `json:"provider_id,omitempty"` // the channel's own id (Notify's notification id)
	SentAt     *time.Time `json:"sent_at,omitempty"`     // the channel accepted it (or it was handed over / put on file)
	PostedOn   string     `json:"posted_on,omitempty"`   // letters: the day it was printed and posted (YYYY-MM-DD)

	// Deemed service: the date, the rule (name and version) and the
	// explanation in words.
	DeemedServed      string `json:"deemed_served,omitempty"` // YYYY-MM-DD
	DeemedRule        string `json:"deemed_rule,omitempty"`
	DeemedRuleVersion int    `json:"deemed_rule_version,omitempty"`
	DeemedExplanation string `json:"deemed_explanation,omitempty"`

	// CopyDue is set for notices served to file: when the person is found
	// again, a copy and the record of how it was served are due to them.
	CopyDue   bool       `json:"copy_due,omitempty"`
	CopyGiven *time.Time `json:"copy_given,omitempty"`

	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

// NoticeEvent is one entry on a notice's timeline: a state change, a delivery
// status from the channel, a retry, a returned letter. Nothing is replaced.
type NoticeEvent struct {
	ID       int64     `json:"id"`
	NoticeID int64     `json:"notice_id"`
	At       time.Time `json:"at"`
	// Status is the channel's status (delivered, permanent-failure,
	// returned...) or the notice's new state.
	Status string `json:"status"`
	State  string `json:"state"` // the notice's state after this event
	// Source: "dispatcher", "notify-callback", "notify-poll", "caseworker", "system".
	Source string `json:"source"`
	Detail string `json:"detail,omitempty"` // no personal data
	Actor  string `json:"actor"`
}

// Signal is a stored event for later capabilities to consume, such as a
// contact-lapse signal raised when a channel fails. Consumers mark what they
// have taken; signals are never deleted.
type Signal struct {
	ID             int64      `json:"id"`
	Kind           string     `json:"kind"` // SignalContactLapse
	PersonID       int64      `json:"person_id"`
	NoticeID       *int64     `json:"notice_id,omitempty"`
	ContactPointID *int64     `json:"contact_point_id,omitempty"`
	Reason         string     `json:"reason"`
	CreatedAt      time.Time  `json:"created_at"`
	ConsumedAt     *time.Time `json:"consumed_at,omitempty"`
	ConsumedBy     string     `json:"consumed_by,omitempty"`
}

// SignalContactLapse is raised when a channel to the person fails: a bounce, a
// permanent failure or a returned letter.
const SignalContactLapse = "contact-lapse"

// NoticeFilter selects notices for lists.
type NoticeFilter struct {
	PersonID *int64
	State    string
	Method   string
	Limit    int
	Offset   int
}

// NoticeService is correspondence: drafting, sending and serving notices,
// and recording what the channels report back.
type NoticeService interface {
	// CreateNotice renders a published template version for a person,
	// chooses the route (or takes the caseworker's hand or file choice with
	// its reason), stores the notice and queues it in the outbox in one
	// transaction. EINVALID, ENOTFOUND, EFORBIDDEN.
	CreateNotice(ctx context.Context, n *NoticeRequest) (*Notice, error)
	FindNoticeByID(ctx context.Context, id int64) (*Notice, error)
	FindNotices(ctx context.Context, f NoticeFilter) ([]*Notice, int, error)
	NoticeTimeline(ctx context.Context, id int64) ([]*NoticeEvent, error)
}

// NoticeRequest asks for a notice to be sent.
type NoticeRequest struct {
	PersonID        int64             `json:"person_id"`
	TemplateKey     string            `json:"template_key"`
	Language        string            `json:"language,omitempty"` // default: the person's preferred language, English fallback
	Personalisation map[string]string `json:"personalisation"`
	// Method is "" to let the service rules choose, or MethodHand or
	// MethodFile to record the caseworker's choice, which needs a Reason.
	Method string `json:"method,omitempty"`
	Reason string `json:"reason,omitempty"`
	// ContactPointID overrides the chosen contact point (with a Reason).
	ContactPointID *int64 `json:"contact_point_id,omitempty"`
}

// NoticeDraft is a notice worked out but not stored: what CreateNotice
// would store, for the preview before a caseworker confirms.
type NoticeDraft struct {
	Notice   *Notice          `json:"notice"`
	Template *Template        `json:"template"`
	Version  *TemplateVersion `json:"version"`
	// SMS is the length check of a text message.
	SMS *clarity.SMS `json:"sms,omitempty"`
	// Dest is the postal address, kept for deemed service.
	Dest *Address `json:"-"`
}
