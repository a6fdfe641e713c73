package tether

import (
	"sort"
	"time"
)

// Route is where and how a notice goes, and why there: the reason is stored
// with the notice and shown on its proof of service.
type Route struct {
	Method       string        `json:"method"`
	Party        string        `json:"party"`
	ContactPoint *ContactPoint `json:"contact_point,omitempty"`
	Reason       string        `json:"reason"`
}

// MethodFor is the method of service for a template channel.
func MethodFor(channel string) string {
	switch channel {
	case ChannelLetter:
		return MethodPost
	case ChannelEmail:
		return MethodEmail
	case ChannelSMS:
		return MethodSMS
	}
	return ""
}

// kindFor is the contact point kind a template channel needs.
func kindFor(channel string) string {
	switch channel {
	case ChannelLetter:
		return KindPostal
	case ChannelEmail:
		return KindEmail
	case ChannelSMS:
		return KindMobile
	}
	return ""
}

var kindWords = map[string]string{KindPostal: "postal address", KindEmail: "email address", KindMobile: "mobile number"}

// ChooseRoute applies the service rules to pick the contact point for a
// notice on a template of the given channel and kind: an instructed
// representative's point first (it counts as the person); else a point the
// person provided for correspondence; else the last known one. When none
// works it returns EINVALID: the caseworker must serve the notice by hand or
// to file, with a reason. SMS never carries a decision.
func ChooseRoute(p *Person, points []*ContactPoint, channel, kind string, now time.Time) (Route, error) {
	want := kindFor(channel)
	if want == "" {
		return Route{}, Invalid("channel", "must be letter, email or sms")
	}
	if channel == ChannelSMS && kind == KindDecision {
		return Route{}, Invalid("template", "a decision is never served by text message: use a letter or email")
	}
	method := MethodFor(channel)
	words := kindWords[want]

	var rep, corr, other []*ContactPoint
	for _, c := range points {
		if c == nil || c.Kind != want || !c.Working(now) {
			continue
		}
		switch {
		case c.Party == PartyRepresentative:
			rep = append(rep, c)
		case c.Party == PartySelf && c.ForCorrespondence:
			corr = append(corr, c)
		case c.Party == PartySelf:
			other = append(other, c)
		}
	}

	note := ""
	if r := p.Representative; r != nil && r.Instructed {
		if c := latest(rep); c != nil {
			who := r.Organisation
			if who == "" {
				who = r.Name
			}
			return Route{Method: method, Party: PartyRepresentative, ContactPoint: c,
				Reason: "Sent to the instructed representative (" + who + "). A notice given to the person's representative counts as given to the person."}, nil
		}
		note = " The representative is instructed but has no working " + words + " on record."
	}
	if c := latest(corr); c != nil {
		return Route{Method: method, Party: PartySelf, ContactPoint: c,
			Reason: "The person provided this " + words + " for correspondence." + note}, nil
	}
	if c := latest(other); c != nil {
		return Route{Method: method, Party: PartySelf, ContactPoint: c,
			Reason: "No " + words + " was provided for correspondence, so the last known " + words + " is used." + note}, nil
	}
	return Route{}, Invalid("method", "this person has no working "+words+": serve the notice by hand or to file, and record why")
}

// latest is the most recently confirmed point, else the most recently
// started, with the highest ID breaking ties.
func latest(cs []*ContactPoint) *ContactPoint {
	if len(cs) == 0 {
		return nil
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := seen(cs[i]), seen(cs[j])
		if !a.Equal(b) {
			return a.After(b)
		}
		return cs[i].ID > cs[j].ID
	})
	return cs[0]
}

func seen(c *ContactPoint) time.Time {
	if c.LastConfirmedAt != nil && c.LastConfirmedAt.After(c.ValidFrom) {
		return *c.LastConfirmedAt
	}
	return c.ValidFrom
}
