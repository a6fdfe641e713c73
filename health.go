package tether

import (
	"sort"
	"time"
)

// How recently a working channel must have been confirmed to count as fresh
// or, failing that, stale. Older or never confirmed is "unconfirmed".
// (check) These are judgement calls for the department to tune.
const (
	FreshWithin = 90 * 24 * time.Hour
	StaleWithin = 365 * 24 * time.Hour
)

// Health levels, best first.
const (
	HealthGood = "good" // a working channel confirmed within FreshWithin
	HealthWeak = "weak" // working channels, none confirmed recently
	HealthNone = "none" // no working channel
)

// ChannelHealth is how one current contact point stands.
type ChannelHealth struct {
	ContactPointID int64      `json:"contact_point_id"`
	Kind           string     `json:"kind"`
	Party          string     `json:"party"`
	Working        bool       `json:"working"`
	Verification   string     `json:"verification"`
	LastConfirmed  *time.Time `json:"last_confirmed_at,omitempty"`
	// DaysSinceConfirmed is -1 when never confirmed.
	DaysSinceConfirmed int `json:"days_since_confirmed"`
	// Freshness is fresh, stale or unconfirmed.
	Freshness string `json:"freshness"`
}

// ContactHealth is how well the department can reach a person, computed from
// the record alone.
type ContactHealth struct {
	Level           string          `json:"level"`
	WorkingChannels int             `json:"working_channels"`
	CurrentChannels int             `json:"current_channels"`
	AnyFailed       bool            `json:"any_failed"`
	Channels        []ChannelHealth `json:"channels"`
	// LastConfirmed is the most recent confirmation of any working channel.
	LastConfirmed *time.Time `json:"last_confirmed_at,omitempty"`
}

// AssessContact computes a person's contact health from their contact points at now.
func AssessContact(points []*ContactPoint, now time.Time) ContactHealth {
	h := ContactHealth{Channels: []ChannelHealth{}}
	fresh := false
	for _, c := range points {
		if !c.Current(now) {
			continue
		}
		ch := ChannelHealth{
			ContactPointID: c.ID, Kind: c.Kind, Party: c.Party,
			Working: c.Working(now), Verification: c.Verification,
			LastConfirmed: c.LastConfirmedAt, DaysSinceConfirmed: -1, Freshness: "unconfirmed",
		}
		if c.LastConfirmedAt != nil {
			age := now.Sub(*c.LastConfirmedAt)
			ch.DaysSinceConfirmed = int(age / (24 * time.Hour))
			switch {
			case age <= FreshWithin:
				ch.Freshness = "fresh"
			case age <= StaleWithin:
				ch.Freshness = "stale"
			}
		}
		if c.Party == PartySelf || c.Party == PartyRepresentative {
			h.CurrentChannels++
		}
		if c.Verification == Failed {
			h.AnyFailed = true
		}
		if ch.Working {
			h.WorkingChannels++
			if ch.Freshness == "fresh" {
				fresh = true
			}
			if c.LastConfirmedAt != nil && (h.LastConfirmed == nil || c.LastConfirmedAt.After(*h.LastConfirmed)) {
				h.LastConfirmed = c.LastConfirmedAt
			}
		}
		h.Channels = append(h.Channels, ch)
	}
	switch {
	case h.WorkingChannels == 0:
		h.Level = HealthNone
	case fresh:
		h.Level = HealthGood
	default:
		h.Level = HealthWeak
	}
	sort.SliceStable(h.Channels, func(i, j int) bool {
		if h.Channels[i].Working != h.Channels[j].Working {
			return h.Channels[i].Working
		}
		return h.Channels[i].ContactPointID < h.Channels[j].ContactPointID
	})
	return h
}
