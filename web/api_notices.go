package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/letterpdf"
)

// noticeList is the answer of GET /api/v1/notices.
type noticeList struct {
	Notices []*tether.Notice `json:"notices"`
	Total   int              `json:"total"`
	Limit   int              `json:"limit"`
	Offset  int              `json:"offset"`
}

// noticeTimeline is the answer of GET /api/v1/notices/{id}/timeline.
type noticeTimeline struct {
	Events []*tether.NoticeEvent `json:"events"`
}

// noticeProof is the answer of GET /api/v1/notices/{id}/proof: the notice,
// what happened to it, and the exact template version it was made from.
type noticeProof struct {
	Notice          *tether.Notice          `json:"notice"`
	Timeline        []*tether.NoticeEvent   `json:"timeline"`
	TemplateVersion *tether.TemplateVersion `json:"template_version"`
}

// copyGivenInput records how a copy of a notice served to file reached the
// person.
type copyGivenInput struct {
	How string `json:"how"`
}

func (s *Server) apiCreateNotice(w http.ResponseWriter, r *http.Request) {
	var in tether.NoticeRequest
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.Correspondence.CreateNotice(r.Context(), &in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/notices/"+strconv.FormatInt(n.ID, 10))
	writeJSON(w, http.StatusCreated, n)
}

func (s *Server) apiPreviewNotice(w http.ResponseWriter, r *http.Request) {
	var in tether.NoticeRequest
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Correspondence.PreviewNotice(r.Context(), &in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// noticeFilter reads the filter of a notice list from the query.
func noticeFilter(r *http.Request, defLimit int) (tether.NoticeFilter, error) {
	q := r.URL.Query()
	f := tether.NoticeFilter{State: q.Get("state"), Method: q.Get("method")}
	p := tether.Problems{}
	if v := q.Get("person_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			p.Add("person_id", "must be a person's id")
		} else {
			f.PersonID = &id
		}
	}
	if f.Method != "" && !slices.Contains(tether.Methods, f.Method) {
		p.Add("method", "must be one of "+strings.Join(tether.Methods, ", "))
	}
	if f.State != "" && !slices.Contains(noticeStates, f.State) {
		p.Add("state", "must be one of "+strings.Join(noticeStates, ", "))
	}
	var err error
	if f.Limit, err = queryInt(r, "limit", defLimit); err != nil {
		p.Merge("", tether.ErrorFields(err))
	} else if f.Limit > 500 {
		p.Add("limit", "must be 500 or fewer")
	}
	if f.Offset, err = queryInt(r, "offset", 0); err != nil {
		p.Merge("", tether.ErrorFields(err))
	}
	return f, p.Err()
}

// noticeStates are the states a notice list may be filtered by.
var noticeStates = []string{tether.NoticeQueued, tether.NoticeSending, tether.NoticeSent, tether.NoticeDelivered,
	tether.NoticeFailed, tether.NoticeReturned, tether.NoticeServedByHand, tether.NoticeOnFile, tether.NoticeCancelled}

func (s *Server) apiListNotices(w http.ResponseWriter, r *http.Request) {
	f, err := noticeFilter(r, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	notices, total, err := s.Correspondence.FindNotices(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if notices == nil {
		notices = []*tether.Notice{}
	}
	writeJSON(w, http.StatusOK, noticeList{Notices: notices, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// findNotice reads the notice named by the path.
func (s *Server) findNotice(w http.ResponseWriter, r *http.Request) (*tether.Notice, bool) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	n, err := s.Correspondence.FindNoticeByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return n, true
}

func (s *Server) apiGetNotice(w http.ResponseWriter, r *http.Request) {
	n, ok := s.findNotice(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, n)
}

func (s *Server) apiNoticeTimeline(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, err := s.Correspondence.NoticeTimeline(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if events == nil {
		events = []*tether.NoticeEvent{}
	}
	writeJSON(w, http.StatusOK, noticeTimeline{Events: events})
}

// loadProof reads what a proof of service holds.
func (s *Server) loadProof(w http.ResponseWriter, r *http.Request) (*noticeProof, bool) {
	n, ok := s.findNotice(w, r)
	if !ok {
		return nil, false
	}
	events, err := s.Correspondence.NoticeTimeline(r.Context(), n.ID)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if events == nil {
		events = []*tether.NoticeEvent{}
	}
	v, err := s.Correspondence.FindTemplateVersion(r.Context(), n.VersionID)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return &noticeProof{Notice: n, Timeline: events, TemplateVersion: v}, true
}

func (s *Server) apiNoticeProof(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadProof(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// apiNoticeProofPDF answers the proof of service as a PDF to keep or to
// put before a tribunal.
func (s *Server) apiNoticeProofPDF(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadProof(w, r)
	if !ok {
		return
	}
	n := p.Notice
	personName, generatedBy := "", ""
	if u := currentUser(r); u != nil {
		generatedBy = u.Name
	}
	if person, err := s.People.FindPersonByID(r.Context(), n.PersonID); err == nil && actor(r).CanSeePersonalData() {
		personName = person.FullName()
	} else if err != nil && tether.ErrorCode(err) != tether.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	proof := ProofOf(n, p.Timeline, personName, generatedBy, s.clock.Now())
	var buf bytes.Buffer
	if err := letterpdf.RenderProof(&buf, proof); err != nil {
		if errors.Is(err, letterpdf.ErrUnsupportedScript) {
			s.fail(w, r, tether.Errorf(tether.EINVALID, "The proof cannot be printed as a PDF: %s. Use the JSON proof instead.", err.Error()))
			return
		}
		s.fail(w, r, fmt.Errorf("render proof: %w", err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="proof-of-service-`+safeFileName(n.Ref)+`.pdf"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// ProofOf is the proof of service of notice n with its timeline, in the
// words the pages use, for letterpdf.RenderProof. personName is left out
// when empty (a reader without personal data); generatedBy names who asked
// for it, at now.
func ProofOf(n *tether.Notice, timeline []*tether.NoticeEvent, personName, generatedBy string, now time.Time) letterpdf.Proof {
	proof := letterpdf.Proof{
		NoticeRef: n.Ref, PersonRef: n.PersonRef, PersonName: personName,
		Template: fmt.Sprintf("%s version %d (%s)", n.TemplateKey, n.TemplateVersion, n.Language),
		Method:   nameOr(methodNames, n.Method), Channel: nameOr(channelNames, n.Channel), Party: nameOr(partyNames, n.Party),
		Destination: n.Destination, RouteReason: n.RouteReason,
		DeemedServed: displayDay(n.DeemedServed), DeemedRule: n.DeemedRule, DeemedExplanation: n.DeemedExplanation,
		Subject: n.Subject, Content: n.Content,
		GeneratedAt: displayDateTime(now), GeneratedBy: generatedBy,
	}
	if n.SentAt != nil {
		proof.SentAt = displayDateTime(*n.SentAt)
	}
	for _, e := range timeline {
		proof.Events = append(proof.Events, letterpdf.ProofEvent{At: displayDateTime(e.At), Status: e.Status, Source: e.Source, Detail: e.Detail})
	}
	return proof
}

// safeFileName keeps letters, digits and dashes.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return -1
	}, s)
}

func (s *Server) apiCopyGiven(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in copyGivenInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Correspondence.MarkCopyGiven(r.Context(), id, in.How); err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.Correspondence.FindNoticeByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, n)
}

// outboxAnswer is the answer of GET /api/v1/outbox.
type outboxAnswer struct {
	Channels []*tether.ChannelState `json:"channels"`
	Counts   map[string]int         `json:"counts"`
}

func (s *Server) apiOutbox(w http.ResponseWriter, r *http.Request) {
	states, err := s.Correspondence.ChannelStates(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.Correspondence.OutboxStats(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if states == nil {
		states = []*tether.ChannelState{}
	}
	if counts == nil {
		counts = map[string]int{}
	}
	writeJSON(w, http.StatusOK, outboxAnswer{Channels: states, Counts: counts})
}

// sendingChannels are the channels the outbox sends through.
var sendingChannels = []string{tether.SendNotifyEmail, tether.SendNotifySMS, tether.SendNotifyLetter, tether.SendSMTP, tether.SendPrint}

// pathChannel reads a sending channel from the path.
func pathChannel(r *http.Request) (string, error) {
	c := r.PathValue("channel")
	if !slices.Contains(sendingChannels, c) {
		return "", tether.Errorf(tether.ENOTFOUND, "No channel %q.", clipText(c, 40))
	}
	return c, nil
}

func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func (s *Server) apiResumeChannel(w http.ResponseWriter, r *http.Request) {
	c, err := pathChannel(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Correspondence.ResumeChannel(r.Context(), c); err != nil {
		s.fail(w, r, err)
		return
	}
	s.apiOutbox(w, r)
}
