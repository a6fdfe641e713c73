package web

import (
	"net/http"
	"slices"
	"sort"

	"tether"
)

// outboxPage shows the health of each sending channel and the outbox.
type outboxPage struct {
	layout
	Channels []*channelView
	Counts   []countView
}

type channelView struct {
	*tether.ChannelState
	Name string
	// Paused: the channel is paused now.
	Paused bool
}

type countView struct {
	State, Name string
	Count       int
}

// outboxStateNames and their order on the page.
var (
	outboxStateNames = map[string]string{tether.OutboxPending: "Waiting", tether.OutboxLeased: "Being sent",
		tether.OutboxUnknown: "Outcome unknown: to be looked up", tether.OutboxDone: "Sent", tether.OutboxFailed: "Failed"}
	outboxStateOrder = []string{tether.OutboxPending, tether.OutboxLeased, tether.OutboxUnknown, tether.OutboxDone, tether.OutboxFailed}
)

var outboxDone = map[string]string{"resumed": "Channel resumed"}

func (s *Server) pageOutbox(w http.ResponseWriter, r *http.Request) {
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
	p := outboxPage{layout: s.newLayout(r, "Outbox")}
	p.Nav = "outbox"
	p.Success = outboxDone[r.URL.Query().Get("done")]
	now := s.clock.Now()
	for _, c := range states {
		p.Channels = append(p.Channels, &channelView{ChannelState: c, Name: nameOr(channelNames, c.Channel),
			Paused: c.PausedUntil != nil && c.PausedUntil.After(now)})
	}
	for k, n := range counts {
		p.Counts = append(p.Counts, countView{k, nameOr(outboxStateNames, k), n})
	}
	rank := func(s string) int {
		if i := slices.Index(outboxStateOrder, s); i >= 0 {
			return i
		}
		return len(outboxStateOrder)
	}
	sort.SliceStable(p.Counts, func(i, j int) bool {
		if a, b := rank(p.Counts[i].State), rank(p.Counts[j].State); a != b {
			return a < b
		}
		return p.Counts[i].State < p.Counts[j].State
	})
	s.render(w, r, http.StatusOK, "outbox", p)
}

func (s *Server) pageResumeChannel(w http.ResponseWriter, r *http.Request) {
	c, err := pathChannel(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Correspondence.ResumeChannel(r.Context(), c); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/outbox?done=resumed", http.StatusSeeOther)
}
