package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/reporting"
)

// LapseService keeps lapses of contact, their tracing plans and attempts,
// and the figures for managers.
type LapseService interface {
	FindLapses(ctx context.Context, f tether.LapseFilter) ([]*tether.Lapse, int, error)
	FindLapse(ctx context.Context, id int64) (*tether.LapseDetail, error)
	RecordAttempt(ctx context.Context, attemptID int64, in tether.AttemptInput) (*tether.TracingAttempt, *tether.Lapse, error)
	ContactFigures(ctx context.Context, from, to string) (*reporting.ContactFigures, error)
}

// lapseList is the answer of GET /api/v1/lapses and a person's lapses.
type lapseList struct {
	Lapses []*tether.Lapse `json:"lapses"`
	Total  int             `json:"total"`
}

// attemptInput records a tracing attempt as it was made. at is when (RFC
// 3339; left out, now); how and outcome are codes; a new contact detail
// the attempt found goes to the person's contact points, replacing
// replaces (one of their current points) when given.
type attemptInput struct {
	At              *time.Time         `json:"at,omitempty"`
	How             string             `json:"how,omitempty"`
	Outcome         string             `json:"outcome"`
	Note            string             `json:"note,omitempty"`
	NewContactPoint *contactPointInput `json:"new_contact_point,omitempty"`
	Replaces        *int64             `json:"replaces,omitempty"`
	Version         int                `json:"version,omitempty"`
}

// input is the domain's attempt input.
func (in *attemptInput) input() tether.AttemptInput {
	a := tether.AttemptInput{How: in.How, Outcome: in.Outcome, Note: in.Note, Replaces: in.Replaces, Version: in.Version}
	if in.At != nil {
		a.At = *in.At
	}
	if in.NewContactPoint != nil {
		a.NewContact = in.NewContactPoint.point(0)
	}
	return a
}

// attemptRecorded is the answer of recording an attempt: the attempt and
// its lapse as they now are (closed, when the person was reached).
type attemptRecorded struct {
	Attempt *tether.TracingAttempt `json:"attempt"`
	Lapse   *tether.Lapse          `json:"lapse"`
}

func (s *Server) withLapses(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Lapses == nil {
			s.fail(w, r, tether.Errorf(tether.ENOTFOUND, "Lapses and tracing are not available on this server."))
			return
		}
		h(w, r)
	}
}

// lapseFilter reads the list filters: state (open, closed), person_id,
// limit and offset.
func lapseFilter(r *http.Request) (tether.LapseFilter, error) {
	q := r.URL.Query()
	f := tether.LapseFilter{State: q.Get("state")}
	p := tether.Problems{}
	if v := q.Get("person_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			p.Add("person_id", "must be a person's id")
		} else {
			f.PersonID = &id
		}
	}
	var err error
	if f.Limit, err = queryInt(r, "limit", 0); err != nil {
		p.Add("limit", "must be a whole number, 0 or more")
	}
	if f.Offset, err = queryInt(r, "offset", 0); err != nil {
		p.Add("offset", "must be a whole number, 0 or more")
	}
	return f, p.Err()
}

func (s *Server) apiListLapses(w http.ResponseWriter, r *http.Request) {
	f, err := lapseFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ls, total, err := s.Lapses.FindLapses(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, lapseList{Lapses: ls, Total: total})
}

func (s *Server) apiPersonLapses(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := lapseFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.PersonID = &id
	ls, total, err := s.Lapses.FindLapses(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, lapseList{Lapses: ls, Total: total})
}

func (s *Server) apiGetLapse(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Lapses.FindLapse(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiRecordAttempt(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in attemptInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	a, l, err := s.Lapses.RecordAttempt(r.Context(), id, in.input())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, attemptRecorded{Attempt: a, Lapse: l})
}

// defaultFigureMonths is how many months the figures cover when the
// request names none: this month and the five before.
const defaultFigureMonths = 6

// figureRange reads from and to (YYYY-MM), defaulting to the last
// defaultFigureMonths months up to this one (UK).
func (s *Server) figureRange(r *http.Request) (string, string) {
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	now := s.clock.Now().In(ukTime)
	if to == "" {
		to = now.Format("2006-01")
	}
	if from == "" {
		if m, err := reporting.ParseMonth("to", to); err == nil {
			t := time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(defaultFigureMonths - 1), 0)
			from = t.Format("2006-01")
		} else {
			from = to
		}
	}
	return from, to
}

func (s *Server) apiContactFigures(w http.ResponseWriter, r *http.Request) {
	from, to := s.figureRange(r)
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" {
		s.fail(w, r, tether.Invalid("format", "must be json or csv"))
		return
	}
	f, err := s.Lapses.ContactFigures(r.Context(), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format == "csv" || (format == "" && strings.Contains(r.Header.Get("Accept"), "text/csv")) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="contact-figures-`+f.From+`-to-`+f.To+`.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		_ = f.WriteCSV(w)
		return
	}
	writeJSON(w, http.StatusOK, f)
}
