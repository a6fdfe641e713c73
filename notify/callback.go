package notify

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxCallbackBody is the largest callback body the decoders read. A real
// receipt is well under 1 KiB.
const MaxCallbackBody = 64 << 10

// Receipt is a delivery receipt: Notify posts one to our callback URL when
// a message's status changes to a final one. The fields are Notify's.
type Receipt struct {
	ID               string     `json:"id"`        // Notify's id for the notification
	Reference        string     `json:"reference"` // ours, "" when Notify sent null
	To               string     `json:"to"`        // the email address or phone number
	Status           string     `json:"status"`
	CreatedAt        time.Time  `json:"created_at"`   // when we asked Notify to send
	CompletedAt      *time.Time `json:"completed_at"` // when the status last changed
	SentAt           *time.Time `json:"sent_at"`      // when Notify passed it to its provider
	NotificationType string     `json:"notification_type"`
	TemplateID       string     `json:"template_id"`
	TemplateVersion  int        `json:"template_version"`
}

// ReturnedLetter is a returned-letter report: Notify posts one when the
// post room sends a letter back as undeliverable, often weeks after it was
// posted. The shape is what Notify's API posts (send_returned_letter_to_service):
// notification_id and date_sent are required; reference is null for letters
// not sent through the API; the rest describe how the letter was sent.
type ReturnedLetter struct {
	NotificationID string    `json:"notification_id"`
	Reference      string    `json:"reference"` // ours, "" when null
	DateSent       time.Time `json:"date_sent"` // when the letter was created
	SentBy         string    `json:"sent_by"`   // a user's email address, or "API"
	TemplateName   string    `json:"template_name"`
	// TemplateID is "" for hidden (precompiled) templates, for which Notify
	// sends the string "None".
	TemplateID           string `json:"template_id"`
	TemplateVersion      int    `json:"template_version"`
	SpreadsheetFileName  string `json:"spreadsheet_file_name"`
	SpreadsheetRowNumber *int   `json:"spreadsheet_row_number"`
	UploadLetterFileName string `json:"upload_letter_file_name"`
}

// DecodeError says which field of a callback was refused and why. The
// handler answers it with 400; Notify retries a failed callback five times.
type DecodeError struct {
	Callback string // "delivery receipt" or "returned letter"
	Field    string // the JSON key; "" for the body as a whole
	Reason   string
}

func (e *DecodeError) Error() string {
	if e.Field == "" {
		return "notify: " + e.Callback + ": " + e.Reason
	}
	return "notify: " + e.Callback + ": " + e.Field + ": " + e.Reason
}

// DecodeDeliveryReceipt reads and checks a delivery receipt. Unknown fields
// are allowed, since Notify may add some; id, status, notification_type and
// created_at are required, and to for email and text messages. The status
// must be one Notify reports for the notification type, and times are
// RFC 3339 (Notify writes 2017-05-14T12:15:30.000000Z); they come back in
// UTC.
func DecodeDeliveryReceipt(r io.Reader) (Receipt, error) {
	const cb = "delivery receipt"
	var raw struct {
		ID               *string `json:"id"`
		Reference        *string `json:"reference"`
		To               *string `json:"to"`
		Status           *string `json:"status"`
		CreatedAt        *string `json:"created_at"`
		CompletedAt      *string `json:"completed_at"`
		SentAt           *string `json:"sent_at"`
		NotificationType *string `json:"notification_type"`
		TemplateID       *string `json:"template_id"`
		TemplateVersion  *int    `json:"template_version"`
	}
	if err := decodeBody(cb, r, &raw); err != nil {
		return Receipt{}, err
	}
	fail := func(field, format string, args ...any) (Receipt, error) {
		return Receipt{}, &DecodeError{Callback: cb, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	var rc Receipt
	switch {
	case raw.ID == nil || *raw.ID == "":
		return fail("id", "is required")
	case !IsUUID(*raw.ID):
		return fail("id", "is not a UUID")
	}
	rc.ID = strings.ToLower(*raw.ID)

	if raw.NotificationType == nil || *raw.NotificationType == "" {
		return fail("notification_type", "is required")
	}
	rc.NotificationType = *raw.NotificationType
	switch rc.NotificationType {
	case TypeEmail, TypeSMS, TypeLetter:
	default:
		return fail("notification_type", "%s is not email, sms or letter", clip(rc.NotificationType))
	}

	if raw.Status == nil || *raw.Status == "" {
		return fail("status", "is required")
	}
	rc.Status = *raw.Status
	if !ValidStatus(rc.NotificationType, rc.Status) {
		return fail("status", "%s is not a status for %s", clip(rc.Status), rc.NotificationType)
	}

	if raw.To != nil {
		rc.To = *raw.To
	}
	if rc.To == "" && rc.NotificationType != TypeLetter {
		return fail("to", "is required")
	}
	if raw.Reference != nil {
		rc.Reference = *raw.Reference
	}

	var err error
	if raw.CreatedAt == nil || *raw.CreatedAt == "" {
		return fail("created_at", "is required")
	}
	if rc.CreatedAt, err = parseTime(*raw.CreatedAt); err != nil {
		return fail("created_at", "%v", err)
	}
	if rc.CompletedAt, err = parseOptionalTime(raw.CompletedAt); err != nil {
		return fail("completed_at", "%v", err)
	}
	if rc.SentAt, err = parseOptionalTime(raw.SentAt); err != nil {
		return fail("sent_at", "%v", err)
	}

	if raw.TemplateID != nil && *raw.TemplateID != "" {
		if !IsUUID(*raw.TemplateID) {
			return fail("template_id", "is not a UUID")
		}
		rc.TemplateID = strings.ToLower(*raw.TemplateID)
	}
	if raw.TemplateVersion != nil {
		if *raw.TemplateVersion < 0 {
			return fail("template_version", "is negative")
		}
		rc.TemplateVersion = *raw.TemplateVersion
	}
	return rc, nil
}

// DecodeReturnedLetter reads and checks a returned-letter report. Unknown
// fields are allowed; notification_id and date_sent are required; any other
// field may be null or missing.
func DecodeReturnedLetter(r io.Reader) (ReturnedLetter, error) {
	const cb = "returned letter"
	var raw struct {
		NotificationID       *string `json:"notification_id"`
		Reference            *string `json:"reference"`
		DateSent             *string `json:"date_sent"`
		SentBy               *string `json:"sent_by"`
		TemplateName         *string `json:"template_name"`
		TemplateID           *string `json:"template_id"`
		TemplateVersion      *int    `json:"template_version"`
		SpreadsheetFileName  *string `json:"spreadsheet_file_name"`
		SpreadsheetRowNumber *int    `json:"spreadsheet_row_number"`
		UploadLetterFileName *string `json:"upload_letter_file_name"`
	}
	if err := decodeBody(cb, r, &raw); err != nil {
		return ReturnedLetter{}, err
	}
	fail := func(field, format string, args ...any) (ReturnedLetter, error) {
		return ReturnedLetter{}, &DecodeError{Callback: cb, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	var rl ReturnedLetter
	switch {
	case raw.NotificationID == nil || *raw.NotificationID == "":
		return fail("notification_id", "is required")
	case !IsUUID(*raw.NotificationID):
		return fail("notification_id", "is not a UUID")
	}
	rl.NotificationID = strings.ToLower(*raw.NotificationID)
	if raw.DateSent == nil || *raw.DateSent == "" {
		return fail("date_sent", "is required")
	}
	var err error
	if rl.DateSent, err = parseTime(*raw.DateSent); err != nil {
		return fail("date_sent", "%v", err)
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	rl.Reference = str(raw.Reference)
	rl.SentBy = str(raw.SentBy)
	rl.TemplateName = str(raw.TemplateName)
	rl.SpreadsheetFileName = str(raw.SpreadsheetFileName)
	rl.UploadLetterFileName = str(raw.UploadLetterFileName)
	// Notify writes str(None) for a hidden template; the id is only
	// informative, so anything else is kept as sent.
	if id := str(raw.TemplateID); id != "None" {
		rl.TemplateID = id
	}
	if raw.TemplateVersion != nil {
		if *raw.TemplateVersion < 0 {
			return fail("template_version", "is negative")
		}
		rl.TemplateVersion = *raw.TemplateVersion
	}
	if raw.SpreadsheetRowNumber != nil {
		if *raw.SpreadsheetRowNumber < 0 {
			return fail("spreadsheet_row_number", "is negative")
		}
		n := *raw.SpreadsheetRowNumber
		rl.SpreadsheetRowNumber = &n
	}
	return rl, nil
}

// decodeBody reads at most MaxCallbackBody bytes of one JSON object into v.
func decodeBody(cb string, r io.Reader, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxCallbackBody+1))
	if err != nil {
		return &DecodeError{Callback: cb, Reason: "reading the body: " + err.Error()}
	}
	if len(data) > MaxCallbackBody {
		return &DecodeError{Callback: cb, Reason: fmt.Sprintf("body is larger than %d bytes", MaxCallbackBody)}
	}
	if t := strings.TrimSpace(string(data)); t == "" || t[0] != '{' {
		return &DecodeError{Callback: cb, Reason: "body is not a JSON object"}
	}
	if err := json.Unmarshal(data, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return &DecodeError{Callback: cb, Field: te.Field, Reason: "is a JSON " + te.Value + ", not a " + jsonKind(te.Type.Kind().String())}
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return &DecodeError{Callback: cb, Reason: fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, err)}
		}
		return &DecodeError{Callback: cb, Reason: "malformed JSON: " + err.Error()}
	}
	return nil
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "int":
		return "whole number"
	}
	return goKind
}

// parseTime reads an RFC 3339 time, with or without fractional seconds,
// and returns it in UTC.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s is not an RFC 3339 time", clip(s))
	}
	t = t.UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}, fmt.Errorf("%s is out of range", clip(s))
	}
	return t, nil
}

func parseOptionalTime(p *string) (*time.Time, error) {
	if p == nil || *p == "" {
		return nil, nil
	}
	t, err := parseTime(*p)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// clip quotes a value for an error message, shortened: callbacks come from
// outside and may be hostile or hold personal data.
func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// CheckBearer reports whether the Authorization header carries the bearer
// token want, comparing in constant time. It refuses an empty want, so that
// a callback URL with no token configured accepts nothing.
func CheckBearer(header, want string) bool {
	if want == "" {
		return false
	}
	const prefix = "bearer "
	if len(header) <= len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return false
	}
	got := strings.TrimSpace(header[len(prefix):])
	if got == "" {
		return false
	}
	// Hash both so that the comparison takes the same time whatever the
	// lengths.
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
