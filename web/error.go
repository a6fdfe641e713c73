package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"tether"
)

// statusOf is the one place a domain error code becomes an HTTP status.
func statusOf(code string) int {
	switch code {
	case tether.EINVALID:
		return http.StatusBadRequest
	case tether.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case tether.EFORBIDDEN:
		return http.StatusForbidden
	case tether.ENOTFOUND:
		return http.StatusNotFound
	case tether.ECONFLICT:
		return http.StatusConflict
	case tether.ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// errorBody is the one error shape of the API.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fail answers a request with the error: JSON for the API, a page for the
// rest. Only internal errors are logged, and never with personal data.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := tether.ErrorCode(err)
	status := statusOf(code)
	if code == tether.EINTERNAL {
		s.log.Error("internal error", "method", r.Method, "route", routeOf(r), "err", err.Error())
	}
	if isAPI(r) {
		writeJSON(w, status, errorBody{errorDetail{Code: code, Message: tether.ErrorMessage(err), Fields: tether.ErrorFields(err)}})
		return
	}
	if status == http.StatusUnauthorized {
		http.Redirect(w, r, "/sign-in?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
		return
	}
	s.renderError(w, r, status, tether.ErrorMessage(err))
}

// isAPI reports whether the request is for the JSON API.
func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/")
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// errBodyTooLarge is how a request over the size limit is refused.
var errBodyTooLarge = errors.New("request body too large")
