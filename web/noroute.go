package web

import (
	"net/http"
	"strings"

	"tether"
)

// probeMethods are the methods a path is tried with to tell a path that
// does not exist (404) from a method the path does not take (405).
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// noRoute answers what no route matches, in the API's error shape or as a
// GOV.UK page like every other error, instead of the mux's plain text: 405
// with an Allow header when the path exists for other methods, else 404.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range probeMethods {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) == 0 {
		s.fail(w, r, tether.Errorf(tether.ENOTFOUND, "There is nothing at this address."))
		return
	}
	if strings.Contains(strings.Join(allowed, " "), http.MethodGet) {
		allowed = append(allowed, http.MethodHead)
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	msg := "This address does not take " + r.Method + " requests."
	if isAPI(r) {
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{errorDetail{Code: "method_not_allowed", Message: msg}})
		return
	}
	s.renderError(w, r, http.StatusMethodNotAllowed, msg)
}
