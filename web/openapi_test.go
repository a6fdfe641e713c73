package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"tether"
	"tether/reporting"
)

// openAPIDoc is the part of the OpenAPI document the tests read.
type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]openAPISchema `json:"schemas"`
	} `json:"components"`
}

type openAPISchema struct {
	Properties           map[string]json.RawMessage `json:"properties"`
	AdditionalProperties *bool                      `json:"additionalProperties"`
}

type openAPIOperation struct {
	Roles []string `json:"x-roles"`
}

var openAPIMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

func loadOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q, want 3.x", doc.OpenAPI)
	}
	return doc
}

// openAPIPath turns a ServeMux pattern into an OpenAPI path: {id...}
// becomes {id}, and {$} is dropped.
func openAPIPath(pattern string) string {
	p := strings.ReplaceAll(pattern, "{$}", "")
	return strings.ReplaceAll(p, "...}", "}")
}

// TestOpenAPIMatchesRoutes checks the document against the route table both
// ways: every API route is documented with its method and roles, and every
// documented operation reaches the route it describes.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	s := New(Services{}, Config{}, nil, nil)

	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			if !slices.Contains(openAPIMethods, method) {
				continue
			}
			key := strings.ToUpper(method) + " " + path
			documented[key] = true
			// Routed: a request to the path, with ids filled in, reaches
			// the route of the same method and pattern.
			req := httptest.NewRequest(strings.ToUpper(method), strings.ReplaceAll(path, "{id}", "1"), nil)
			_, pattern := s.mux.Handler(req)
			method, routePattern, _ := strings.Cut(pattern, " ")
			if method != req.Method || openAPIPath(routePattern) != path {
				t.Errorf("%s is documented but routed to %q", key, pattern)
				continue
			}
			var rt route
			for _, r := range s.routes {
				if r.Method == req.Method && r.Pattern == routePattern {
					rt = r
				}
			}
			if !rt.API {
				t.Errorf("%s is documented but is not an API route", key)
			}
			var o openAPIOperation
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			want := make([]string, 0, len(rt.Roles))
			for _, role := range rt.Roles {
				want = append(want, string(role))
			}
			got := slices.Clone(o.Roles)
			sort.Strings(want)
			sort.Strings(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: x-roles %v, route table %v", key, got, want)
			}
		}
	}
	for _, rt := range s.routes {
		if !rt.API {
			continue
		}
		if key := rt.Method + " " + openAPIPath(rt.Pattern); !documented[key] {
			t.Errorf("%s is routed but not in openapi.json", key)
		}
	}
}

// TestOpenAPIRefs checks that every $ref names a component that exists.
func TestOpenAPIRefs(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, v := range x {
				if k == "$ref" {
					ref, _ := v.(string)
					target := any(doc)
					for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
						m, _ := target.(map[string]any)
						target = m[part]
					}
					if !strings.HasPrefix(ref, "#/") || target == nil {
						t.Errorf("%s: $ref %q leads nowhere", path, ref)
					}
					continue
				}
				walk(path+"/"+k, v)
			}
		case []any:
			for _, v := range x {
				walk(path, v)
			}
		}
	}
	walk("#", doc)
}

// TestOpenAPISchemasMatchTypes checks that each schema's properties are the
// JSON fields of the Go type it describes, so that a strict decoder and the
// document agree on what may be sent, and clients learn every field sent back.
func TestOpenAPISchemasMatchTypes(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	types := map[string]any{
		// What the API takes: strict, so exactly these fields.
		"PersonInput":       personInput{},
		"PersonCreate":      createPersonInput{},
		"PersonUpdate":      updatePersonInput{},
		"ContactPointInput": contactPointInput{},
		"ReplaceInput":      replaceInput{},
		"ReasonInput":       reasonInput{},
		"ConfirmInput":      confirmInput{},
		"UserInput":         userInput{},
		"UserPatch":         userPatch{},
		"OrganisationInput": organisationInput{},
		"OrganisationPatch": organisationPatch{},
		"TokenInput":        tokenInput{},
		"Address":           tether.Address{},
		"OtherName":         tether.OtherName{},
		"Needs":             tether.Needs{},
		"Representative":    tether.Representative{},
		// What the API answers.
		"Person":            tether.Person{},
		"CreatedPerson":     createdPerson{},
		"PeopleList":        peopleList{},
		"SearchHit":         tether.SearchHit{},
		"SearchResults":     searchResults{},
		"Duplicates":        duplicates{},
		"PersonVersion":     tether.PersonVersion{},
		"PersonHistory":     personHistory{},
		"ContactPoint":      tether.ContactPoint{},
		"ContactPoints":     contactPoints{},
		"ContactPointEvent": tether.ContactPointEvent{},
		"ContactEvents":     contactEvents{},
		"ContactHealth":     personHealth{},
		"ChannelHealth":     tether.ChannelHealth{},
		"User":              tether.User{},
		"Me":                me{},
		"Users":             users{},
		"Organisation":      tether.Organisation{},
		"Organisations":     organisations{},
		"APIToken":          tether.APIToken{},
		"NewAPIToken":       newToken{},
		"Tokens":            tokens{},
		"AuditEntry":        tether.AuditEntry{},
		"AuditEntries":      auditEntries{},
		"AuditReport":       tether.AuditReport{},
		"Error":             errorBody{},
		// Contact status.
		"ContactStatus": contactStatus{},
		"StatusEvent":   tether.StatusEvent{},
		"StatusInput":   statusInput{},
		"StatusChange":  statusChange{},
		// Lapses and tracing.
		"Lapse":           tether.Lapse{},
		"LapseList":       lapseList{},
		"TracingPlan":     tether.TracingPlanRecord{},
		"TracingAttempt":  tether.TracingAttempt{},
		"LapseEvent":      tether.LapseEvent{},
		"LapseDetail":     tether.LapseDetail{},
		"AttemptInput":    attemptInput{},
		"AttemptRecorded": attemptRecorded{},
		"Durations":       reporting.Durations{},
		"Share":           reporting.Share{},
		"FiguresRow":      reporting.FiguresRow{},
		"ContactFigures":  reporting.ContactFigures{},
		// Reporting.
		"ConditionInput":       conditionInput{},
		"ConditionChangeInput": conditionChangeInput{},
		"ConditionEndInput":    conditionEndInput{},
		"CheckInInput":         checkInInput{},
		"OutcomeInput":         outcomeInput{},
		"FlagInput":            flagInput{},
		"ReportingCondition":   reporting.ConditionRecord{},
		"ConditionList":        conditionList{},
		"ConditionChanged":     conditionChanged{},
		"HistoryEntry":         reporting.HistoryEntry{},
		"ReportingOutcome":     reporting.Outcome{},
		"Reminder":             reporting.Reminder{},
		"ReportingEvent":       reporting.EventRecord{},
		"ReportingEventList":   eventList{},
		"OutcomeAnswer":        outcomeAnswer{},
		"RosterEntry":          reporting.RosterEntry{},
		"Roster":               reporting.Roster{},
		"PersonFlag":           reporting.PersonFlag{},
		"FlagChange":           reporting.FlagChange{},
		"PersonFlags":          personFlags{},
		// Correspondence.
		"NoticeRequest":   tether.NoticeRequest{},
		"CopyGivenInput":  copyGivenInput{},
		"TemplateInput":   templateInput{},
		"VersionInput":    versionInput{},
		"PublishInput":    publishInput{},
		"ClarityInput":    clarityInput{},
		"TaskDoneInput":   taskDoneInput{},
		"Notice":          tether.Notice{},
		"NoticeList":      noticeList{},
		"NoticeEvent":     tether.NoticeEvent{},
		"NoticeTimeline":  noticeTimeline{},
		"NoticeProof":     noticeProof{},
		"NoticeDraft":     tether.NoticeDraft{},
		"Template":        tether.Template{},
		"TemplateVersion": tether.TemplateVersion{},
		"TemplateList":    templateList{},
		"ClarityAnswer":   clarityAnswer{},
		"Outbox":          outboxAnswer{},
		"ChannelState":    tether.ChannelState{},
		// Work queues.
		"Task":              tether.Task{},
		"TaskList":          taskList{},
		"TaskEvent":         tether.TaskEvent{},
		"TaskEvents":        taskEvents{},
		"QueueCount":        tether.QueueCount{},
		"QueueList":         queueList{},
		"TaskClaimInput":    taskClaimInput{},
		"TaskReleaseInput":  taskReleaseInput{},
		"TaskCancelInput":   taskCancelInput{},
		"TaskReassignInput": taskReassignInput{},
		"TaskPatch":         taskPatch{},
		"ReassignAllInput":  reassignAllInput{},
		"ReassignAllAnswer": reassignAllAnswer{},
	}
	for name, v := range enquirySchemaTypes { // api_enquiries_test.go
		types[name] = v
	}
	for name, v := range types {
		schema, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("schema %s is missing", name)
			continue
		}
		var got []string
		for k := range schema.Properties {
			got = append(got, k)
		}
		want := jsonFields(reflect.TypeOf(v))
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("schema %s has properties %v; %T has JSON fields %v", name, got, v, want)
		}
		strict := strings.HasSuffix(name, "Input") || strings.HasSuffix(name, "Patch") || name == "PersonCreate" || name == "PersonUpdate" || name == "NoticeRequest"
		if strict && (schema.AdditionalProperties == nil || *schema.AdditionalProperties) {
			t.Errorf("schema %s is decoded strictly: it must say additionalProperties: false", name)
		}
	}
}

// jsonFields lists the JSON object keys encoding/json uses for a struct type,
// embedded structs flattened.
func jsonFields(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	s := New(Services{}, Config{}, nil, nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	if !json.Valid(rec.Body.Bytes()) || rec.Body.Len() != len(openAPIDocument) {
		t.Errorf("served %d bytes, want the %d-byte document", rec.Body.Len(), len(openAPIDocument))
	}
}
