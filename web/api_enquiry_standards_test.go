package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"tether"
	"tether/enquiry"
)

func init() {
	// The standards' schemas, for TestOpenAPISchemasMatchTypes.
	enquirySchemaTypes["EnquiryStandards"] = enquiry.Standards{}
	enquirySchemaTypes["EnquiryStandard"] = enquiry.Standard{}
	enquirySchemaTypes["EnquiryStandardsTeam"] = enquiry.Team{}
}

// TestEnquiryStandardsAPI reads the standards in force, set as a
// department's own, as every role: the same standards, as JSON that the
// strict standards parser (what -enquiry-standards reads) takes back.
func TestEnquiryStandardsAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	own := enquiry.DefaultStandards()
	own.Name, own.Version, own.WarnWorkingDays = "department-standards", 4, 5
	own.Standards = append(own.Standards, enquiry.Standard{Urgency: enquiry.UrgencyRoutine, Category: enquiry.CategoryDetention,
		WorkingDays: 10, Text: "A routine enquiry about detention is answered within 10 working days."})
	if err := ts.db.SetEnquiryStandards(own); err != nil {
		t.Fatal(err)
	}
	for _, role := range tether.Roles {
		resp, body := ts.do(t, "GET", "/api/v1/enquiry-standards", ts.token(role), nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("as %s: status %d: %s", role, resp.StatusCode, body)
		}
		got, err := enquiry.ParseStandards(body)
		if err != nil {
			t.Fatalf("as %s: the answer is not standards the setting would read: %v\n%s", role, err, body)
		}
		if !reflect.DeepEqual(got, own) {
			t.Errorf("as %s: got %+v, want %+v", role, got, own)
		}
	}
	resp, body := ts.do(t, "GET", "/api/v1/enquiry-standards", "", nil)
	var e errorBody
	if resp.StatusCode != http.StatusUnauthorized || json.Unmarshal(body, &e) != nil || e.Error.Code != tether.EUNAUTHORIZED {
		t.Errorf("anonymous: status %d: %s", resp.StatusCode, body)
	}
}
