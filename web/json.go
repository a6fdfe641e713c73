package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"tether"
)

// maxBody is the largest request body the API reads.
const maxBody = 1 << 20

// writeJSON writes v as JSON with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// decodeJSON reads the body into v strictly: one JSON value, no unknown
// fields, at most maxBody bytes. Errors are EINVALID naming the field.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return tether.Errorf(tether.EINVALID, "Send JSON with Content-Type: application/json.")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return jsonError(err)
	}
	// Text never holds NUL: PostgreSQL refuses it, and no name or address
	// needs it. The check is on the raw body, where it can only be escaped.
	if bytes.Contains(bytes.ToLower(body), []byte(`\u0000`)) {
		return tether.Errorf(tether.EINVALID, "Text must not contain the NUL character (\\u0000).")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return tether.Errorf(tether.EINVALID, "The body must hold one JSON value.")
	}
	return nil
}

// jsonError turns a decoding error into an EINVALID error naming the field.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &syn):
		return tether.Errorf(tether.EINVALID, "The body is not valid JSON (at byte %d).", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return &tether.Error{Code: tether.EINVALID, Message: field + ": must be " + jsonType(typ.Type.Kind().String()),
			Fields: map[string]string{field: "must be " + jsonType(typ.Type.Kind().String())}}
	case errors.As(err, &mbe):
		return tether.Errorf(tether.EINVALID, "The body is larger than %d bytes.", mbe.Limit)
	case errors.Is(err, io.EOF):
		return tether.Errorf(tether.EINVALID, "The body is empty: send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return tether.Errorf(tether.EINVALID, "The body is not valid JSON (it ends too soon).")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &tether.Error{Code: tether.EINVALID, Message: name + ": unknown field", Fields: map[string]string{name: "unknown field"}}
	}
	// Errors from a type's own UnmarshalJSON (a bad date, say).
	return tether.Errorf(tether.EINVALID, "The body could not be read: %s", err.Error())
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	case "int", "int64", "int32", "uint", "uint32", "uint64", "float64":
		return "a number"
	}
	return "of another type"
}

// pathID reads a positive integer path value.
func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, &tether.Error{Code: tether.ENOTFOUND, Message: fmt.Sprintf("No %s %q.", name, v)}
	}
	return id, nil
}

// queryInt reads an optional non-negative integer query parameter.
func queryInt(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, &tether.Error{Code: tether.EINVALID, Message: name + ": must be a whole number, 0 or more",
			Fields: map[string]string{name: "must be a whole number, 0 or more"}}
	}
	return n, nil
}
