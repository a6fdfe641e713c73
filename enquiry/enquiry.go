package enquiry

import (
	"slices"
	"strconv"
	"time"
)

// Categories: what an enquiry is about.
const (
	CategoryAsylumClaim = "asylum_claim" // the progress of an asylum claim
	CategoryDetention   = "detention"
	CategoryReporting   = "reporting" // reporting conditions and events
	CategoryDocuments   = "documents" // identity and status documents
	CategorySupport     = "support"   // asylum support: housing and money
)

// Categories lists the categories in the order forms offer them.
var Categories = []string{CategoryAsylumClaim, CategoryDetention, CategoryReporting, CategoryDocuments, CategorySupport}

// CategoryWords names a category for people to read.
func CategoryWords(c string) string {
	switch c {
	case CategoryAsylumClaim:
		return "Asylum claim progress"
	case CategoryDetention:
		return "Detention"
	case CategoryReporting:
		return "Reporting"
	case CategoryDocuments:
		return "Documents"
	case CategorySupport:
		return "Support"
	}
	return c
}

// Urgencies: how soon an enquiry must be answered. Urgent and compassionate
// enquiries go through the urgent route and need a reason.
const (
	UrgencyRoutine       = "routine"
	UrgencyUrgent        = "urgent"
	UrgencyCompassionate = "compassionate"
)

// Urgencies lists the urgencies, routine first.
var Urgencies = []string{UrgencyRoutine, UrgencyUrgent, UrgencyCompassionate}

// NeedsReason reports whether an enquiry of the urgency must say why.
func NeedsReason(urgency string) bool {
	return urgency == UrgencyUrgent || urgency == UrgencyCompassionate
}

// States of an enquiry.
const (
	StateReceived   = "received"    // raised; not yet checked and routed
	StateTriaged    = "triaged"     // checked, matched to a person where possible, routed to a team
	StateAssigned   = "assigned"    // given to a caseworker
	StateInProgress = "in_progress" // the caseworker is working on it
	StateAnswered   = "answered"    // the answer has been sent
	StateClosed     = "closed"
)

// States lists the states in workflow order.
var States = []string{StateReceived, StateTriaged, StateAssigned, StateInProgress, StateAnswered, StateClosed}

// OpenStates are the states of an enquiry still to be answered.
var OpenStates = []string{StateReceived, StateTriaged, StateAssigned, StateInProgress}

// StateOpen is not a state: in a Filter it selects the open states.
const StateOpen = "open"

// IsOpen reports whether an enquiry in the state is still to be answered.
func IsOpen(state string) bool { return slices.Contains(OpenStates, state) }

// StateWords names a state for an office to read.
func StateWords(s string) string {
	switch s {
	case StateReceived:
		return "Received"
	case StateTriaged:
		return "Checked and with the right team"
	case StateAssigned:
		return "With a caseworker"
	case StateInProgress:
		return "Being worked on"
	case StateAnswered:
		return "Answered"
	case StateClosed:
		return "Closed"
	}
	return s
}

// How an enquiry was matched to a person.
const (
	MatchReference = "reference" // by the person's reference, with the name or date of birth agreeing
	MatchNameDOB   = "name_dob"  // by name and date of birth, one person only
	MatchTriage    = "triage"    // by a caseworker at triage
	MatchNone      = "none"      // not matched: waits for triage
)

// Subject is whom the enquiry is about, as the office gave it: the
// person's reference, or their name and date of birth, or both. It is kept
// as given; the person it was matched to is the department's business.
type Subject struct {
	Ref         string `json:"ref,omitempty"`
	FamilyName  string `json:"family_name,omitempty"`
	GivenNames  string `json:"given_names,omitempty"`
	DateOfBirth string `json:"date_of_birth,omitempty"` // YYYY-MM-DD
}

// Name is the subject's name as the office wrote it, given names first.
func (s Subject) Name() string {
	switch {
	case s.GivenNames == "":
		return s.FamilyName
	case s.FamilyName == "":
		return s.GivenNames
	}
	return s.GivenNames + " " + s.FamilyName
}

// Authority is the basis on which the office asks: the person's consent or
// the representative's authority, recorded with the enquiry.
type Authority struct {
	Basis   string `json:"basis"`
	GivenOn string `json:"given_on,omitempty"` // YYYY-MM-DD: when consent was given or the authority signed
	Note    string `json:"note,omitempty"`
}

// Holding is a holding reply as the enquiry shows it: why the answer is
// late, what is outstanding and from whom, and the committed new date.
type Holding struct {
	Reason        string `json:"reason"`
	ReasonText    string `json:"reason_text"`
	Outstanding   string `json:"outstanding"`
	From          string `json:"from"`
	FromText      string `json:"from_text"`
	Detail        string `json:"detail,omitempty"`
	NewDate       string `json:"new_date"`
	PreviousDueOn string `json:"previous_due_on"`
	SentOn        string `json:"sent_on"`
}

// Enquiry is one enquiry from an office. The fields after Holding marked
// "staff" are the department's: an office's view (ForOffice) leaves them
// out, as it leaves out internal notes, which are kept apart.
type Enquiry struct {
	ID               int64   `json:"id"`
	Ref              string  `json:"ref"` // the office's reference for it, given at once
	OrganisationID   int64   `json:"organisation_id"`
	OrganisationName string  `json:"organisation_name"`
	RaisedBy         *int64  `json:"raised_by,omitempty"` // the office's user; nil when staff recorded it
	RaisedByName     string  `json:"raised_by_name,omitempty"`
	Subject          Subject `json:"subject"`

	Question      string    `json:"question"`
	Category      string    `json:"category"`
	Urgency       string    `json:"urgency"`
	UrgencyReason string    `json:"urgency_reason,omitempty"`
	Authority     Authority `json:"authority"`

	// The service standard: the calendar's division, the day received, the
	// working days allowed and the date they give (recomputed when bank
	// holidays change), and the date now due: the standard's, or the one a
	// holding reply committed to.
	Division       string `json:"division"`
	ReceivedOn     string `json:"received_on"`
	StandardDays   int    `json:"standard_days"`
	StandardDueOn  string `json:"standard_due_on"`
	DueOn          string `json:"due_on"`
	DueExplanation string `json:"due_explanation,omitempty"`

	State    string   `json:"state"`
	Holding  *Holding `json:"holding,omitempty"` // the latest holding reply
	Holdings int      `json:"holding_replies"`
	// The answer: when it was sent, how long it took in working days from
	// receipt, whether that was within the standard, and the late band.
	AnsweredOn       string     `json:"answered_on,omitempty"`
	WorkingDaysTaken *int       `json:"working_days_taken,omitempty"`
	WithinStandard   *bool      `json:"within_standard,omitempty"`
	LateBand         string     `json:"late_band,omitempty"`
	Answer           *Reply     `json:"answer,omitempty"` // on a single read
	ClosedAt         *time.Time `json:"closed_at,omitempty"`

	// Staff only.
	PersonID     *int64     `json:"person_id,omitempty"`
	PersonRef    string     `json:"person_ref,omitempty"`
	Match        string     `json:"match,omitempty"`
	MatchNote    string     `json:"match_note,omitempty"`
	Team         string     `json:"team,omitempty"`
	Assignee     *int64     `json:"assignee,omitempty"`
	AssigneeName string     `json:"assignee_name,omitempty"`
	TaskID       *int64     `json:"task_id,omitempty"`
	WarnedAt     *time.Time `json:"warned_at,omitempty"`
	BreachedAt   *time.Time `json:"breached_at,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version counts the enquiry's changes; a change that names an earlier
	// version is refused as a conflict.
	Version int `json:"version"`
}

// Open reports whether the enquiry is still to be answered.
func (e *Enquiry) Open() bool { return IsOpen(e.State) }

// ForOffice is the enquiry as its office may see it: without the
// department's matching, routing, assignment, tasks and warnings, and with
// the answer's sender left out.
func (e *Enquiry) ForOffice() *Enquiry {
	c := *e
	c.PersonID, c.PersonRef, c.Match, c.MatchNote = nil, "", "", ""
	c.Team, c.Assignee, c.AssigneeName, c.TaskID = "", nil, "", nil
	c.WarnedAt, c.BreachedAt = nil, nil
	if c.Answer != nil {
		c.Answer = c.Answer.ForOffice()
	}
	return &c
}

// Reply kinds.
const (
	ReplyHolding = "holding"
	ReplyAnswer  = "answer"
)

// Reply is a reply sent to the office, kept with the proof of sending: the
// exact text and its SHA-256, the template version it came from, where it
// went, when and by whom, and any reference the sending gave (an email's
// Message-ID, a postal tracking number).
type Reply struct {
	ID              int64     `json:"id"`
	EnquiryID       int64     `json:"enquiry_id"`
	Kind            string    `json:"kind"` // holding or answer
	TemplateKey     string    `json:"template_key"`
	TemplateVersion int       `json:"template_version"`
	Language        string    `json:"language"`
	Channel         string    `json:"channel"` // email or letter
	SentTo          []string  `json:"sent_to"` // the email address, or the address lines
	Subject         string    `json:"subject,omitempty"`
	Content         string    `json:"content"`
	ContentSHA256   string    `json:"content_sha256"`
	SentAt          time.Time `json:"sent_at"`
	SentOn          string    `json:"sent_on"`
	SentBy          string    `json:"sent_by,omitempty"`
	SentByName      string    `json:"sent_by_name,omitempty"`
	ProofRef        string    `json:"proof_ref,omitempty"`
	Holding         *Holding  `json:"holding,omitempty"`
	// The clarity gate's measures of the text sent, and the reason an
	// administrator gave for sending it below the bar.
	ReadingEase    float64 `json:"reading_ease"`
	Grade          float64 `json:"grade"`
	PassesBar      bool    `json:"passes_bar"`
	OverrideReason string  `json:"override_reason,omitempty"`
	// Delivery is how the reply is reaching the office through Tether's
	// own sending, and the proof of it; nil when the caseworker sent it
	// outside Tether and recorded its ProofRef.
	Delivery *Delivery `json:"delivery,omitempty"`
}

// Delivery states of a reply that Tether sends.
const (
	DeliveryQueued  = "queued"  // waiting for the dispatcher, or to try again
	DeliverySending = "sending" // a dispatcher holds it
	DeliverySent    = "sent"    // the channel accepted it: ProviderID and SentAt are the proof
	DeliveryFailed  = "failed"  // it could not be sent: a caseworker has a task
)

// Delivery is the sending of a reply: the sending channel (GOV.UK Notify,
// the mail relay or the post room), the reference the channel was given
// (so that a retry never sends twice), the channel's own id for the
// message and when it accepted it.
type Delivery struct {
	Via        string     `json:"via"`
	Ref        string     `json:"ref"`
	State      string     `json:"state"`
	Attempts   int        `json:"attempts"`
	ProviderID string     `json:"provider_id,omitempty"`
	SentAt     *time.Time `json:"sent_at,omitempty"`
	LastError  string     `json:"last_error,omitempty"`
}

// DeliveryWords says a delivery's state in words, for pages and the CLI.
func DeliveryWords(d *Delivery) string {
	if d == nil {
		return "Recorded as sent outside Tether"
	}
	switch d.State {
	case DeliveryQueued:
		if d.Attempts > 0 {
			return "Waiting to try again after " + strconv.Itoa(d.Attempts) + " attempts"
		}
		return "Waiting to be sent"
	case DeliverySending:
		return "Being sent"
	case DeliverySent:
		return "Sent"
	case DeliveryFailed:
		return "Could not be sent"
	}
	return d.State
}

// ForOffice is the reply without who in the department sent it, nor the
// sending's internal detail.
func (r *Reply) ForOffice() *Reply {
	c := *r
	c.SentBy, c.SentByName, c.OverrideReason = "", "", ""
	if c.Delivery != nil {
		d := *c.Delivery
		d.LastError, d.Attempts = "", 0
		c.Delivery = &d
	}
	return &c
}

// Event actions: what an Event records.
const (
	EventReceived     = "received"
	EventMatched      = "matched" // matched to a person (to: the person's reference)
	EventTriaged      = "triaged"
	EventTeam         = "team"     // routed to another team
	EventCategory     = "category" // recategorised
	EventAssigned     = "assigned"
	EventStarted      = "started"
	EventHoldingReply = "holding_reply"
	EventAnswered     = "answered"
	EventClosed       = "closed"
	EventReopened     = "reopened"
	EventWarning      = "warning" // the due date is near: the assignee and team lead warned
	EventBreach       = "breach"  // the due date passed unanswered
	EventDueChanged   = "due_changed"
	EventReplySent    = "reply_sent"   // the channel accepted a reply (to: the channel's id)
	EventReplyFailed  = "reply_failed" // a reply could not be sent
)

// officeEvents are the events an office sees in its enquiry's history.
var officeEvents = []string{EventReceived, EventTriaged, EventHoldingReply, EventAnswered, EventClosed, EventReopened, EventDueChanged, EventReplySent}

// OfficeSees reports whether an office sees events of the action.
func OfficeSees(action string) bool { return slices.Contains(officeEvents, action) }

// Event is one step in an enquiry's history, with who and when. From and
// To hold what changed: the state, the assignee ("user:42"), the team, the
// category or the due date.
type Event struct {
	ID        int64     `json:"id"`
	EnquiryID int64     `json:"enquiry_id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor,omitempty"`
	ActorName string    `json:"actor_name,omitempty"`
	Action    string    `json:"action"`
	From      string    `json:"from,omitempty"`
	To        string    `json:"to,omitempty"`
	Note      string    `json:"note,omitempty"`
}

// ForOffice is the event without who did it, and without the department's
// note except where the store writes it for the office (a holding reply's
// reason, why a due date moved, how a reply was sent).
func (e *Event) ForOffice() *Event {
	c := *e
	c.Actor, c.ActorName = "", ""
	if c.Action != EventDueChanged && c.Action != EventHoldingReply && c.Action != EventReplySent {
		c.Note = ""
	}
	return &c
}

// Note is an internal note on an enquiry: the department's, never the
// office's.
type Note struct {
	ID        int64     `json:"id"`
	EnquiryID int64     `json:"enquiry_id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actor_name,omitempty"`
	Text      string    `json:"text"`
}

// Duplicate is an office's open enquiry that a new one may repeat.
type Duplicate struct {
	ID         int64  `json:"id"`
	Ref        string `json:"ref"`
	ReceivedOn string `json:"received_on"`
	DueOn      string `json:"due_on"`
	State      string `json:"state"`
	Category   string `json:"category"`
	// Why says what they share: "the same person", "the same reference",
	// "the same name and date of birth".
	Why string `json:"why"`
}

// TeamInfo is a team that answers enquiries, with its lead.
type TeamInfo struct {
	Key        string   `json:"key"`
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
	LeadID     *int64   `json:"lead_id,omitempty"`
	LeadName   string   `json:"lead_name,omitempty"`
}

// Detail is one enquiry with every reply sent and, for the department
// only, its internal notes.
type Detail struct {
	*Enquiry
	Replies []*Reply `json:"replies"`
	Notes   []*Note  `json:"notes,omitempty"`
}
