package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

const goodReceipt = `{
  "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
  "reference": "notice-42-1",
  "to": "07700912345",
  "status": "delivered",
  "created_at": "2017-05-14T12:15:30.000000Z",
  "completed_at": "2017-05-14T12:15:32.123456Z",
  "sent_at": "2017-05-14T12:15:31.000000Z",
  "notification_type": "sms",
  "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
  "template_version": 3
}`

// with returns goodReceipt with key set to value (a JSON literal), or
// removed when value is "".
func with(doc, key, value string) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		panic(err)
	}
	if value == "" {
		delete(m, key)
	} else {
		m[key] = json.RawMessage(value)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestDecodeDeliveryReceipt(t *testing.T) {
	rc, err := DecodeDeliveryReceipt(strings.NewReader(goodReceipt))
	if err != nil {
		t.Fatal(err)
	}
	completed := time.Date(2017, 5, 14, 12, 15, 32, 123456000, time.UTC)
	sent := time.Date(2017, 5, 14, 12, 15, 31, 0, time.UTC)
	want := Receipt{
		ID:               "740e5834-3a29-46b4-9a6f-16142fde533a",
		Reference:        "notice-42-1",
		To:               "07700912345",
		Status:           "delivered",
		CreatedAt:        time.Date(2017, 5, 14, 12, 15, 30, 0, time.UTC),
		CompletedAt:      &completed,
		SentAt:           &sent,
		NotificationType: "sms",
		TemplateID:       "f33517ff-2a88-4f6e-b855-c550268ce08a",
		TemplateVersion:  3,
	}
	if !reflect.DeepEqual(rc, want) {
		t.Errorf("got  %+v\nwant %+v", rc, want)
	}
}

func TestDecodeDeliveryReceiptCases(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		field string // "" with ok false: a body-level error
		ok    bool
		check func(t *testing.T, r Receipt)
	}{
		{name: "unknown fields are allowed", body: with(goodReceipt, "cost_in_pounds", "0.0227"), ok: true},
		{name: "null reference", body: with(goodReceipt, "reference", "null"), ok: true,
			check: func(t *testing.T, r Receipt) {
				if r.Reference != "" {
					t.Errorf("Reference = %q", r.Reference)
				}
			}},
		{name: "null completed_at and sent_at", body: with(with(goodReceipt, "completed_at", "null"), "sent_at", "null"), ok: true,
			check: func(t *testing.T, r Receipt) {
				if r.CompletedAt != nil || r.SentAt != nil {
					t.Errorf("times = %v, %v; want nil", r.CompletedAt, r.SentAt)
				}
			}},
		{name: "offset time comes back in UTC", body: with(goodReceipt, "created_at", `"2017-05-14T13:15:30+01:00"`), ok: true,
			check: func(t *testing.T, r Receipt) {
				if !r.CreatedAt.Equal(time.Date(2017, 5, 14, 12, 15, 30, 0, time.UTC)) || r.CreatedAt.Location() != time.UTC {
					t.Errorf("CreatedAt = %v", r.CreatedAt)
				}
			}},
		{name: "upper-case id is normalised", body: with(goodReceipt, "id", `"740E5834-3A29-46B4-9A6F-16142FDE533A"`), ok: true,
			check: func(t *testing.T, r Receipt) {
				if r.ID != "740e5834-3a29-46b4-9a6f-16142fde533a" {
					t.Errorf("ID = %q", r.ID)
				}
			}},
		{name: "email permanent failure", body: with(with(goodReceipt, "notification_type", `"email"`), "status", `"permanent-failure"`), ok: true},
		{name: "letter without to", body: with(with(with(goodReceipt, "notification_type", `"letter"`), "status", `"received"`), "to", ""), ok: true},

		{name: "missing id", body: with(goodReceipt, "id", ""), field: "id"},
		{name: "null id", body: with(goodReceipt, "id", "null"), field: "id"},
		{name: "id not a uuid", body: with(goodReceipt, "id", `"12345"`), field: "id"},
		{name: "id a number", body: with(goodReceipt, "id", `12345`), field: "id"},
		{name: "missing status", body: with(goodReceipt, "status", ""), field: "status"},
		{name: "unknown status", body: with(goodReceipt, "status", `"lost"`), field: "status"},
		{name: "letter status on sms", body: with(goodReceipt, "status", `"received"`), field: "status"},
		{name: "sms status on email", body: with(with(goodReceipt, "notification_type", `"email"`), "status", `"pending"`), field: "status"},
		{name: "missing type", body: with(goodReceipt, "notification_type", ""), field: "notification_type"},
		{name: "unknown type", body: with(goodReceipt, "notification_type", `"fax"`), field: "notification_type"},
		{name: "missing to", body: with(goodReceipt, "to", ""), field: "to"},
		{name: "missing created_at", body: with(goodReceipt, "created_at", ""), field: "created_at"},
		{name: "created_at not a time", body: with(goodReceipt, "created_at", `"14/05/2017 12:15"`), field: "created_at"},
		{name: "created_at without zone", body: with(goodReceipt, "created_at", `"2017-05-14T12:15:30.000000"`), field: "created_at"},
		{name: "bad completed_at", body: with(goodReceipt, "completed_at", `"yesterday"`), field: "completed_at"},
		{name: "bad sent_at", body: with(goodReceipt, "sent_at", `true`), field: "sent_at"},
		{name: "template_id not a uuid", body: with(goodReceipt, "template_id", `"x"`), field: "template_id"},
		{name: "template_version a string", body: with(goodReceipt, "template_version", `"3"`), field: "template_version"},
		{name: "template_version fractional", body: with(goodReceipt, "template_version", `3.5`), field: "template_version"},
		{name: "template_version negative", body: with(goodReceipt, "template_version", `-1`), field: "template_version"},

		{name: "empty body", body: ``},
		{name: "not an object", body: `["delivered"]`},
		{name: "null", body: `null`},
		{name: "truncated", body: goodReceipt[:40]},
		{name: "trailing garbage", body: goodReceipt + `{}`},
		{name: "too large", body: with(goodReceipt, "padding", `"`+strings.Repeat("x", MaxCallbackBody)+`"`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeDeliveryReceipt(strings.NewReader(tt.body))
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if tt.check != nil {
					tt.check(t, r)
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v (%T), want *DecodeError", err, err)
			}
			if de.Field != tt.field {
				t.Errorf("Field = %q, want %q (%v)", de.Field, tt.field, err)
			}
			if tt.field != "" && !strings.Contains(err.Error(), tt.field) {
				t.Errorf("message %q does not name %s", err, tt.field)
			}
		})
	}
}

const goodReturnedLetter = `{
  "notification_id": "740e5834-3a29-46b4-9a6f-16142fde533a",
  "reference": "notice-42-1",
  "date_sent": "2024-06-03T09:30:00.000000Z",
  "sent_by": "API",
  "template_name": "Reporting letter",
  "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
  "template_version": 2,
  "spreadsheet_file_name": null,
  "spreadsheet_row_number": null,
  "upload_letter_file_name": null
}`

func TestDecodeReturnedLetter(t *testing.T) {
	rl, err := DecodeReturnedLetter(strings.NewReader(goodReturnedLetter))
	if err != nil {
		t.Fatal(err)
	}
	want := ReturnedLetter{
		NotificationID:  "740e5834-3a29-46b4-9a6f-16142fde533a",
		Reference:       "notice-42-1",
		DateSent:        time.Date(2024, 6, 3, 9, 30, 0, 0, time.UTC),
		SentBy:          "API",
		TemplateName:    "Reporting letter",
		TemplateID:      "f33517ff-2a88-4f6e-b855-c550268ce08a",
		TemplateVersion: 2,
	}
	if !reflect.DeepEqual(rl, want) {
		t.Errorf("got  %+v\nwant %+v", rl, want)
	}

	tests := []struct {
		name  string
		body  string
		field string
		ok    bool
		check func(t *testing.T, r ReturnedLetter)
	}{
		{name: "only the required fields", body: `{"notification_id":"740e5834-3a29-46b4-9a6f-16142fde533a","date_sent":"2024-06-03T09:30:00Z"}`, ok: true},
		{name: "hidden template", body: with(with(goodReturnedLetter, "template_id", `"None"`), "template_version", "null"), ok: true,
			check: func(t *testing.T, r ReturnedLetter) {
				if r.TemplateID != "" || r.TemplateVersion != 0 {
					t.Errorf("template = %q v%d, want none", r.TemplateID, r.TemplateVersion)
				}
			}},
		{name: "spreadsheet row", body: with(goodReturnedLetter, "spreadsheet_row_number", "7"), ok: true,
			check: func(t *testing.T, r ReturnedLetter) {
				if r.SpreadsheetRowNumber == nil || *r.SpreadsheetRowNumber != 7 {
					t.Errorf("row = %v", r.SpreadsheetRowNumber)
				}
			}},
		{name: "unknown fields are allowed", body: with(goodReturnedLetter, "returned_at", `"2024-07-01"`), ok: true},
		{name: "missing notification_id", body: with(goodReturnedLetter, "notification_id", ""), field: "notification_id"},
		{name: "notification_id not a uuid", body: with(goodReturnedLetter, "notification_id", `"abc"`), field: "notification_id"},
		{name: "missing date_sent", body: with(goodReturnedLetter, "date_sent", ""), field: "date_sent"},
		{name: "date_sent not a time", body: with(goodReturnedLetter, "date_sent", `"3 June"`), field: "date_sent"},
		{name: "row a string", body: with(goodReturnedLetter, "spreadsheet_row_number", `"7"`), field: "spreadsheet_row_number"},
		{name: "negative row", body: with(goodReturnedLetter, "spreadsheet_row_number", `-7`), field: "spreadsheet_row_number"},
		{name: "reference a number", body: with(goodReturnedLetter, "reference", `42`), field: "reference"},
		{name: "malformed", body: `{"notification_id":`},
		{name: "too large", body: with(goodReturnedLetter, "padding", `"`+strings.Repeat("x", MaxCallbackBody)+`"`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeReturnedLetter(strings.NewReader(tt.body))
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if tt.check != nil {
					tt.check(t, r)
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v (%T), want *DecodeError", err, err)
			}
			if de.Field != tt.field {
				t.Errorf("Field = %q, want %q (%v)", de.Field, tt.field, err)
			}
		})
	}
}

func TestCheckBearer(t *testing.T) {
	const want = "s3cret-callback-token"
	tests := []struct {
		header, want string
		ok           bool
	}{
		{"Bearer s3cret-callback-token", want, true},
		{"bearer s3cret-callback-token", want, true},
		{"BEARER  s3cret-callback-token ", want, true},
		{"Bearer s3cret-callback-tokeN", want, false},
		{"Bearer s3cret-callback-token-and-more", want, false},
		{"Bearer s3cret", want, false},
		{"s3cret-callback-token", want, false},
		{"Basic s3cret-callback-token", want, false},
		{"Bearer ", want, false},
		{"Bearer", want, false},
		{"", want, false},
		{"Bearer ", "", false},
		{"", "", false},
		{"Bearer anything", "", false},
	}
	for _, tt := range tests {
		if got := CheckBearer(tt.header, tt.want); got != tt.ok {
			t.Errorf("CheckBearer(%q, %q) = %v, want %v", tt.header, tt.want, got, tt.ok)
		}
	}
}

func FuzzDecodeDeliveryReceipt(f *testing.F) {
	f.Add([]byte(goodReceipt))
	f.Add([]byte(with(goodReceipt, "reference", "null")))
	f.Add([]byte(with(goodReceipt, "created_at", `"2017-05-14T13:15:30.1+01:00"`)))
	f.Add([]byte(with(with(goodReceipt, "notification_type", `"letter"`), "status", `"received"`)))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"id":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeDeliveryReceipt(bytes.NewReader(data))
		if err != nil {
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("accepted receipt does not encode: %v", err)
		}
		r2, err := DecodeDeliveryReceipt(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("re-encoded receipt refused: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("round trip changed the receipt:\n%+v\n%+v", r, r2)
		}
	})
}

func FuzzDecodeReturnedLetter(f *testing.F) {
	f.Add([]byte(goodReturnedLetter))
	f.Add([]byte(with(goodReturnedLetter, "template_id", `"None"`)))
	f.Add([]byte(with(goodReturnedLetter, "spreadsheet_row_number", `12`)))
	f.Add([]byte(`{"notification_id":"740e5834-3a29-46b4-9a6f-16142fde533a","date_sent":"2024-06-03T09:30:00Z"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeReturnedLetter(bytes.NewReader(data))
		if err != nil {
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("accepted report does not encode: %v", err)
		}
		r2, err := DecodeReturnedLetter(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("re-encoded report refused: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("round trip changed the report:\n%+v\n%+v", r, r2)
		}
	})
}
