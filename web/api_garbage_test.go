package web

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"tether"
	"tether/notify"
)

// garbageValues are JSON values of every type and some that break decoders:
// each is put in place of each field of each request body.
var garbageValues = []string{
	`123`, `-1`, `0`, `1.5`, `1e400`, `-1e400`, `99999999999999999999999999`, `9223372036854775808`,
	`"text"`, `""`, `"   "`, `true`, `false`, `null`, `[]`, `{}`, `[1,"a",null,{}]`, `{"a":{"b":[]}}`,
	`"\ud800"`, `"\u202e\u0007"`, `"` + strings.Repeat("é", 5000) + `"`, `"<script>alert(1)</script>"`,
	`"1990-02-30"`, `"TH-00000000A"`, `"'; DROP TABLE people; --"`,
}

// garbageBodies are whole bodies that are not what any route wants.
var garbageBodies = []string{
	``, ` `, `null`, `0`, `"string"`, `[]`, `[{}]`, `{`, `}`, `{"`, `{"a"}`, `{"a":}`, `{,}`, `{"a":1,}`,
	`{"family_name":"A","family_name":5}`, "\xef\xbb\xbf{}", "{\"family_name\":\"\xff\xfe\"}",
	`{"__proto__":{"admin":true}}`, `{"constructor":1}`, strings.Repeat("[", 100000), strings.Repeat(`{"a":`, 20000),
	`{"family_name":"` + strings.Repeat("x", maxBody+10) + `"}`, "\x00\x01\x02", `{"a":"\u0000"}`,
}

// garbageIDs fill a path's {id}.
var garbageIDs = []string{"abc", "0", "-1", "1.5", "1e3", "0x10", "99999999999999999999", "9223372036854775807",
	"%00", "%FF", "%20", "%2F", "..", strings.Repeat("9", 500), "1;DROP", "%E2%80%AE1"}

// garbageQueries are query strings for every GET route.
var garbageQueries = func() []string {
	names := []string{"name", "ref", "date_of_birth", "postcode", "limit", "offset", "no_working_channel", "entity", "entity_id", "actor",
		"person_id", "state", "method", "queue", "assignee", "due_before"}
	values := []string{"", "-1", "abc", "99999999999999999999", "1e9", "9223372036854775807", "%00", "%FF%FE", "%", "%zz",
		"'+OR+1=1+--", strings.Repeat("a", 3000), "0", "true", "TH-00000000A", "1990-13-45", "SW1A+1AA"}
	var qs []string
	for _, n := range names {
		for _, v := range values {
			qs = append(qs, n+"="+v)
		}
	}
	return append(qs, "name=Mo&name=Ali", "limit=1&limit=2", "&&&", "=x", "name=a;b", strings.Repeat("x=1&", 2000))
}()

// routeInputs are the request body types of the API's writes, for fields to
// put garbage in.
var routeInputs = map[string]any{
	"POST /api/v1/people":                      createPersonInput{},
	"POST /api/v1/people/duplicates":           personInput{},
	"PUT /api/v1/people/{id}":                  updatePersonInput{},
	"POST /api/v1/people/{id}/contact-points":  contactPointInput{},
	"POST /api/v1/people/{id}/status":          statusInput{},
	"POST /api/v1/people/{id}/conditions":      conditionInput{},
	"POST /api/v1/people/{id}/flags":           flagInput{},
	"POST /api/v1/conditions/{id}/change":      conditionChangeInput{},
	"POST /api/v1/conditions/{id}/end":         conditionEndInput{},
	"POST /api/v1/events/{id}/check-in":        checkInInput{},
	"POST /api/v1/events/{id}/outcome":         outcomeInput{},
	"POST /api/v1/contact-points/{id}/replace": replaceInput{},
	"POST /api/v1/contact-points/{id}/end":     reasonInput{},
	"POST /api/v1/contact-points/{id}/fail":    reasonInput{},
	"POST /api/v1/contact-points/{id}/confirm": confirmInput{},
	"POST /api/v1/users":                       userInput{},
	"PATCH /api/v1/users/{id}":                 userPatch{},
	"POST /api/v1/organisations":               organisationInput{},
	"PATCH /api/v1/organisations/{id}":         organisationPatch{},
	"POST /api/v1/tokens":                      tokenInput{},
	// Lapses and tracing.
	"POST /api/v1/tracing-attempts/{id}/record": attemptInput{},
	// Correspondence.
	"POST /api/v1/notices":                          tether.NoticeRequest{},
	"POST /api/v1/notices/preview":                  tether.NoticeRequest{},
	"POST /api/v1/notices/{id}/copy-given":          copyGivenInput{},
	"POST /api/v1/templates":                        templateInput{},
	"POST /api/v1/templates/{id}/versions":          versionInput{},
	"POST /api/v1/template-versions/{id}/publish":   publishInput{},
	"POST /api/v1/clarity":                          clarityInput{},
	"POST /api/v1/channels/{channel}/resume":        struct{}{},
	"POST /api/v1/tasks/{id}/done":                  taskDoneInput{},
	"POST /api/v1/tasks/{id}/claim":                 taskClaimInput{},
	"POST /api/v1/tasks/{id}/release":               taskReleaseInput{},
	"POST /api/v1/tasks/{id}/cancel":                taskCancelInput{},
	"POST /api/v1/tasks/{id}/reassign":              taskReassignInput{},
	"PATCH /api/v1/tasks/{id}":                      taskPatch{},
	"POST /api/v1/users/{id}/tasks/reassign":        reassignAllInput{},
	"POST /api/v1/callbacks/notify/delivery":        notify.Receipt{},
	"POST /api/v1/callbacks/notify/returned-letter": notify.ReturnedLetter{},
}

// fieldPaths lists the JSON paths into a type's fields, nested structs and
// slices of structs included ("other_names.0.kind").
func fieldPaths(t reflect.Type, prefix []string, depth int) [][]string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || depth > 3 || t.String() == "time.Time" || t.String() == "json.RawMessage" {
		return nil
	}
	var out [][]string
	for _, name := range jsonFields(t) {
		f, ok := fieldByJSONName(t, name)
		if !ok {
			continue
		}
		p := append(append([]string{}, prefix...), name)
		out = append(out, p)
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Slice {
			out = append(out, fieldPaths(ft.Elem(), append(p, "0"), depth+1)...)
		} else {
			out = append(out, fieldPaths(ft, p, depth+1)...)
		}
	}
	return out
}

func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && tag == "" {
			if sf, ok := fieldByJSONName(f.Type, name); ok {
				return sf, true
			}
			continue
		}
		if tag == name || (tag == "" && f.Name == name) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// withValue returns a copy of the JSON object base with raw at path,
// creating objects and one-element lists on the way.
func withValue(base map[string]any, path []string, raw string) map[string]any {
	b, _ := json.Marshal(base)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	var cur any = out
	for i, k := range path {
		last := i == len(path)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[k] = json.RawMessage(raw)
				break
			}
			next, ok := c[k]
			if _, isMap := next.(map[string]any); !ok || (!isMap && path[i+1] != "0") {
				next = map[string]any{}
			}
			if path[i+1] == "0" {
				if l, ok := next.([]any); !ok || len(l) == 0 {
					next = []any{map[string]any{}}
				}
			}
			c[k] = next
			cur = next
		case []any:
			if last {
				c[0] = json.RawMessage(raw)
				break
			}
			if _, ok := c[0].(map[string]any); !ok {
				c[0] = map[string]any{}
			}
			cur = c[0]
		}
	}
	return out
}

// TestAPIGarbage throws what a careless or hostile client might send at
// every API route: random bytes, wrong JSON types in every field, huge
// numbers, malformed JSON, bodies that are too deep or too large,
// non-numeric ids and odd query strings. Nothing may answer 5xx or panic,
// and every JSON error must have the error shape.
func TestAPIGarbage(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("thousands of requests")
	}
	ts := newTestServer(t)
	f := newRoleFixture(t, ts)
	rng := rand.New(rand.NewPCG(7, 11))
	var requests int
	check := func(label string, resp *http.Response, body []byte) {
		t.Helper()
		requests++
		if resp.StatusCode >= 500 {
			t.Errorf("%s: status %d; body: %.300s", label, resp.StatusCode, body)
			return
		}
		if resp.StatusCode >= 400 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			var e errorBody
			if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Errorf("%s: status %d without the error shape: %.300s", label, resp.StatusCode, body)
			}
		}
	}
	send := func(label, method, path, token string, body any, contentType string) {
		t.Helper()
		req := ts.newRequest(t, method, path, body)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if strings.HasPrefix(path, callbackPrefix) {
			token = testCallbackToken // reach the decoders
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, b := ts.send(t, ts.Client(), req)
		check(label, resp, b)
	}

	for _, rt := range ts.srv.routes {
		if !rt.API {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		write := rt.Method == "POST" || rt.Method == "PUT" || rt.Method == "PATCH"
		// An admin reaches every handler; an organisation user reads
		// through the visibility rules. Writes stop at 403 for it.
		roles := []tether.Role{tether.RoleAdmin}
		if !write {
			roles = append(roles, tether.RoleOrganisation)
		}
		for _, role := range roles {
			token := ts.token(role)
			label := key + " as " + string(role)

			// Odd ids.
			if strings.Contains(rt.Pattern, "{id}") {
				for _, id := range garbageIDs {
					path := strings.ReplaceAll(rt.Pattern, "{id}", id)
					var body any
					if write {
						body = f.apiBody(t, rt, role)
					}
					send(label+" id="+id, rt.Method, path, token, body, "")
				}
			}
			path := f.path(t, rt.Pattern, role)

			if !write {
				for _, q := range garbageQueries {
					send(label+" ?"+q, rt.Method, path+"?"+q, token, nil, "")
				}
				continue
			}

			// Whole bodies that are wrong.
			for _, b := range garbageBodies {
				send(label+" body "+trim(b), rt.Method, path, token, b, "")
			}
			for range 30 {
				b := make([]byte, rng.IntN(300))
				for i := range b {
					if rng.IntN(2) == 0 {
						b[i] = byte(rng.IntN(256))
					} else {
						const alphabet = `{}[]",:0123456789.eE-+ abtrufnl\`
						b[i] = alphabet[rng.IntN(len(alphabet))]
					}
				}
				send(label+" random", rt.Method, path, token, b, "")
			}
			for _, ct := range []string{"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/jsonx", "*/*"} {
				send(label+" content-type "+ct, rt.Method, path, token, "family_name=A", ct)
			}
			// No body at all.
			req := ts.newRequest(t, rt.Method, path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, b := ts.send(t, ts.Client(), req)
			check(label+" no body", resp, b)

			// Every field of the valid body, in turn, holding every kind of wrong value.
			input, ok := routeInputs[key]
			if !ok {
				t.Errorf("%s: add its body type to routeInputs", key)
				continue
			}
			base, _ := f.apiBody(t, rt, role).(map[string]any)
			for _, p := range append(fieldPaths(reflect.TypeOf(input), nil, 0), []string{"unknown_field"}) {
				for _, v := range garbageValues {
					send(label+" "+strings.Join(p, ".")+"="+trim(v), rt.Method, path, token, withValue(base, p, v), "")
				}
			}
		}
	}
	if strings.Contains(ts.logs.String(), `"msg":"panic"`) {
		t.Error("a handler panicked")
	}
	t.Logf("%d requests", requests)
}

func trim(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
