package web

import (
	"net/http"
	"strconv"
	"strings"

	"tether"
)

// auditEntries is the answer of GET /api/v1/audit.
type auditEntries struct {
	Entries []*tether.AuditEntry `json:"entries"`
	Offset  int                  `json:"offset"`
	Limit   int                  `json:"limit"`
}

// Audit paging: the default and the most a page may hold (the store bounds
// it the same way).
const (
	defaultAuditLimit = 100
	maxAuditLimit     = 1000
)

// apiListAudit lists audit entries, newest first, filtered by entity,
// entity_id and actor ("user:42", "system", "cli:import").
func (s *Server) apiListAudit(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := tether.Problems{}
	f := tether.AuditFilter{Entity: strings.TrimSpace(v.Get("entity")), Actor: strings.TrimSpace(v.Get("actor"))}
	if len(f.Entity) > 50 || !cleanText(f.Entity) {
		q.Add("entity", "must be an entity name like person or user")
	}
	if len(f.Actor) > 100 || !cleanText(f.Actor) {
		q.Add("actor", "must be an actor like user:42 or system")
	}
	if s := v.Get("entity_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			q.Add("entity_id", "must be a whole number, 1 or more")
		}
		f.EntityID = id
	}
	var err error
	if f.Offset, err = queryInt(r, "offset", 0); err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	if f.Limit, err = queryInt(r, "limit", defaultAuditLimit); err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	if err := q.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Limit == 0 {
		f.Limit = defaultAuditLimit
	}
	f.Limit = min(f.Limit, maxAuditLimit)
	entries, err := s.Audit.FindAuditEntries(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if entries == nil {
		entries = []*tether.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, auditEntries{Entries: entries, Offset: f.Offset, Limit: f.Limit})
}

// apiVerifyAudit checks the whole hash chain and reports the first broken link.
func (s *Server) apiVerifyAudit(w http.ResponseWriter, r *http.Request) {
	report, err := s.Audit.VerifyAudit(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, report)
}
