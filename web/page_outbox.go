package web

import (
	"net/http"
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
	State string
	Count int
}

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
		p.Counts = append(p.Counts, countView{k, n})
	}
	sort.Slice(p.Counts, func(i, j int) bool { return p.Counts[i].State < p.Counts[j].State })
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
