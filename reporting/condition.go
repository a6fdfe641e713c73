package reporting

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"tether"
	"tether/calendar"
	"tether/phone"
)

// Kinds of reporting condition.
const (
	// KindInPerson: in person at a named reporting centre, which is closed
	// at weekends and on the bank holidays of its division.
	KindInPerson = "in_person"
	// KindTelephone: by telephone; the person must answer personally and
	// pass security questions, and gets a text message before each event.
	KindTelephone = "telephone"
	// KindDigital: by a digital check-in.
	KindDigital = "digital"
	// KindElectronicMonitoring: a GPS tag or a handheld fingerprint device.
	KindElectronicMonitoring = "electronic_monitoring"
)

// Kinds lists the kinds of condition in the order forms show them.
var Kinds = []string{KindInPerson, KindTelephone, KindDigital, KindElectronicMonitoring}

// Devices for electronic monitoring.
const (
	DeviceGPSTag      = "gps_tag"
	DeviceFingerprint = "fingerprint_device"
)

// Devices lists the electronic-monitoring devices.
var Devices = []string{DeviceGPSTag, DeviceFingerprint}

var kindWords = map[string]string{
	KindInPerson:             "in person at a reporting centre",
	KindTelephone:            "by telephone",
	KindDigital:              "by digital check-in",
	KindElectronicMonitoring: "by electronic monitoring",
}

// KindWords says how a person reports, for people to read: "in person at a
// reporting centre", "by telephone"...
func KindWords(kind string) string {
	if w, ok := kindWords[kind]; ok {
		return w
	}
	return kind
}

// Condition is one way a person must report, on a schedule, for a span of
// days. Conditions are never edited: Change ends one and starts the next,
// so the history stays.
type Condition struct {
	ID       int64    `json:"id,omitempty"`
	PersonID int64    `json:"person_id,omitempty"`
	Kind     string   `json:"kind"`
	Schedule Schedule `json:"schedule"`
	// Start is the first day the condition binds; End the last (inclusive),
	// or the zero Date while it is open-ended.
	Start calendar.Date `json:"start"`
	End   calendar.Date `json:"end,omitzero"`
	// Centre is the reporting centre's name, and Division its bank-holiday
	// division, for KindInPerson only.
	Centre   string `json:"centre,omitempty"`
	Division string `json:"division,omitempty"`
	// Phone is the number the person is called on, in E.164 form, for
	// KindTelephone only.
	Phone string `json:"phone,omitempty"`
	// Device is DeviceGPSTag or DeviceFingerprint, for
	// KindElectronicMonitoring only.
	Device string `json:"device,omitempty"`
	// SetBy is who set the condition; Reason says why.
	SetBy  string `json:"set_by"`
	Reason string `json:"reason"`
	// Replaces is the condition this one took over from (see Change), and
	// EndedReason why this one was ended, once it has been.
	Replaces    *int64 `json:"replaces,omitempty"`
	EndedReason string `json:"ended_reason,omitempty"`
}

// Limits on a condition's words.
const (
	maxName   = 200
	maxReason = 500
)

// openEndedScan is how far ahead Validate looks for a first event of an
// open-ended condition. The sparsest schedule (every 52 weeks) has one
// within 364 days of any day.
const openEndedScan = 366

// Normalize trims and canonicalises the condition in place: the phone
// number to E.164 and the schedule's lists to their order. It leaves values
// it cannot read for Validate to report.
func (c *Condition) Normalize() {
	c.Kind = strings.TrimSpace(c.Kind)
	c.Centre = collapseSpace(c.Centre)
	c.Division = strings.TrimSpace(c.Division)
	c.Device = strings.TrimSpace(c.Device)
	c.SetBy = strings.TrimSpace(c.SetBy)
	c.Reason = strings.TrimSpace(c.Reason)
	if c.Phone = strings.TrimSpace(c.Phone); c.Phone != "" {
		if e, err := phone.Normalize(c.Phone, phone.DefaultRegion); err == nil {
			c.Phone = e
		}
	}
	c.Schedule.Normalize()
}

// Validate normalises c and checks it on its own: the kind and what the
// kind needs (a centre and its division, a number, a device), the schedule,
// the span, and that the schedule gives at least one event in the span.
// EINVALID names each field that is wrong ("schedule.weekdays", "end"...).
// Whether the person may report this way (RuleSet.Check) and whether it
// overlaps their other conditions (CheckOverlap) are separate; Admit does
// all three.
func (c *Condition) Validate() error {
	c.Normalize()
	q := tether.Problems{}
	if !slices.Contains(Kinds, c.Kind) {
		q.Add("kind", "must be one of "+strings.Join(Kinds, ", "))
	}
	sp := c.Schedule.problems()
	q.Merge("schedule.", sp)

	switch {
	case c.Start.IsZero():
		q.Add("start", "give the first day the condition applies")
	case !c.Start.IsValid():
		q.Add("start", "is not a real date")
	}
	switch {
	case c.End.IsZero():
	case !c.End.IsValid():
		q.Add("end", "is not a real date")
	case c.Start.IsValid() && c.End.Before(c.Start):
		q.Add("end", "is before the start ("+c.Start.Long()+"): the last day must be on or after the first")
	}

	s := c.Schedule
	only := func(field, value, kind string) {
		if value != "" && c.Kind != kind {
			q.Add(field, "is only for reporting "+KindWords(kind)+": leave it out")
		}
	}
	only("centre", c.Centre, KindInPerson)
	only("division", c.Division, KindInPerson)
	only("phone", c.Phone, KindTelephone)
	only("device", c.Device, KindElectronicMonitoring)
	switch c.Kind {
	case KindInPerson:
		switch {
		case c.Centre == "":
			q.Add("centre", "name the reporting centre")
		case utf8.RuneCountInString(c.Centre) > maxName:
			q.Add("centre", fmt.Sprintf("must be %d characters or fewer", maxName))
		}
		if !calendar.ValidDivision(c.Division) {
			q.Add("division", "say where the centre is, for its bank holidays: england-and-wales, scotland or northern-ireland")
		}
		if s.At == "" {
			q.Add("schedule.at", "give the time the person must be at the centre")
		}
		// A centre is closed at weekends: a schedule that names a weekend
		// day is a mistake, not something to move every week.
		const closed = "a reporting centre is closed at weekends: choose Monday to Friday"
		for i, d := range s.Weekdays {
			if s.Pattern == Weekly && isWeekend(d) {
				q.Add("schedule.weekdays["+strconv.Itoa(i)+"]", closed)
			}
		}
		if s.Pattern == EveryNWeeks && s.Anchor.IsValid() && isWeekend(s.Anchor.Weekday()) {
			q.Add("schedule.anchor", "is a "+s.Anchor.Weekday().String()+"; "+closed)
		}
		for i, d := range s.Dates {
			if s.Pattern == Once && d.IsValid() && isWeekend(d.Weekday()) {
				q.Add("schedule.dates["+strconv.Itoa(i)+"]", "is a "+d.Weekday().String()+"; "+closed)
			}
		}
	case KindTelephone:
		if c.Phone == "" {
			q.Add("phone", "give the number the person is called on")
		} else if e, err := phone.Normalize(c.Phone, phone.DefaultRegion); err != nil || e != c.Phone {
			q.Add("phone", "is not a telephone number we can call")
		}
		if s.At == "" {
			q.Add("schedule.at", "give the time of the call")
		}
	case KindElectronicMonitoring:
		if !slices.Contains(Devices, c.Device) {
			q.Add("device", "must be one of "+strings.Join(Devices, ", "))
		}
	}

	switch {
	case c.SetBy == "":
		q.Add("set_by", "say who set the condition")
	case utf8.RuneCountInString(c.SetBy) > maxName:
		q.Add("set_by", fmt.Sprintf("must be %d characters or fewer", maxName))
	}
	switch {
	case c.Reason == "":
		q.Add("reason", "say why the condition was set")
	case utf8.RuneCountInString(c.Reason) > maxReason:
		q.Add("reason", fmt.Sprintf("must be %d characters or fewer", maxReason))
	}
	switch {
	case c.EndedReason != "" && c.End.IsZero():
		q.Add("ended_reason", "is only for a condition that has ended")
	case utf8.RuneCountInString(c.EndedReason) > maxReason:
		q.Add("ended_reason", fmt.Sprintf("must be %d characters or fewer", maxReason))
	}

	// The schedule against the span: only once both are sound.
	if len(sp) == 0 && c.Start.IsValid() && (c.End.IsZero() || (c.End.IsValid() && !c.End.Before(c.Start))) {
		if s.Pattern == Once {
			for i, d := range s.Dates {
				f := "schedule.dates[" + strconv.Itoa(i) + "]"
				if d.Before(c.Start) {
					q.Add(f, "is before the condition starts ("+c.Start.Long()+")")
				} else if !c.End.IsZero() && d.After(c.End) {
					q.Add(f, "is after the condition ends ("+c.End.Long()+")")
				}
			}
		} else if _, ok := c.firstEvent(); !ok {
			q.Add("schedule", "gives no reporting event "+c.spanWords()+": check the days and the dates")
		}
	}
	return q.Err()
}

// clone returns c with its own copies of the schedule's lists, so that
// normalising it leaves the caller's slices alone.
func (c Condition) clone() Condition {
	c.Schedule = c.Schedule.clone()
	return c
}

// firstEvent returns the first day the schedule gives in the condition's
// span (before any move off a closed day). c must be valid.
func (c Condition) firstEvent() (calendar.Date, bool) {
	last := c.Start.AddDays(openEndedScan)
	if !c.End.IsZero() && c.End.Before(last) {
		last = c.End
	}
	for d := c.Start; !d.After(last); d = d.AddDays(1) {
		if c.Schedule.fallsOn(d) {
			return d, true
		}
	}
	return calendar.Date{}, false
}

func (c Condition) spanWords() string {
	if c.End.IsZero() {
		return "in the year from " + c.Start.Long()
	}
	if c.End == c.Start {
		return "on " + c.Start.Long()
	}
	return "from " + c.Start.Long() + " to " + c.End.Long()
}

// Describe writes the condition on one line for a caseworker: "condition 12:
// in person at Croydon reporting centre, weekly mon,thu 10:00, from
// 2026-01-05, open-ended".
func (c Condition) Describe() string {
	var b strings.Builder
	if c.ID != 0 {
		fmt.Fprintf(&b, "condition %d: ", c.ID)
	}
	switch c.Kind {
	case KindInPerson:
		b.WriteString("in person at " + c.Centre)
	default:
		b.WriteString(KindWords(c.Kind))
	}
	fmt.Fprintf(&b, ", %s, from %s", c.Schedule, c.Start)
	if c.End.IsZero() {
		b.WriteString(", open-ended")
	} else {
		b.WriteString(" to " + c.End.String())
	}
	return b.String()
}

// Active reports whether the condition binds on d.
func (c Condition) Active(d calendar.Date) bool {
	return !d.Before(c.Start) && (c.End.IsZero() || !d.After(c.End))
}

// Overlaps reports whether a and b are of the same kind and bind on at
// least one common day.
func Overlaps(a, b Condition) bool {
	if a.Kind != b.Kind {
		return false
	}
	aEndsFirst := !a.End.IsZero() && a.End.Before(b.Start)
	bEndsFirst := !b.End.IsZero() && b.End.Before(a.Start)
	return !aEndsFirst && !bEndsFirst
}

// CheckOverlap refuses c when it overlaps in time a condition of the same
// kind among existing (the person's other conditions; one with c's own
// non-zero ID is skipped). Conditions of different kinds may run together,
// such as reporting in person with electronic monitoring. The EINVALID
// error names the conflicting condition on the field "start".
func CheckOverlap(c Condition, existing []Condition) error {
	for _, e := range existing {
		if c.ID != 0 && e.ID == c.ID {
			continue
		}
		if Overlaps(c, e) {
			return tether.Invalid("start", "overlaps "+e.Describe()+
				": a person has one condition of each kind at a time, so end or change that one instead")
		}
	}
	return nil
}

// Admit checks a new condition for a person before it is stored: it must be
// valid (Validate, which normalises it), allowed by rules for the person's
// facts (RuleSet.Check, naming the rule), and not overlap a condition of the
// same kind among existing (CheckOverlap, naming it). It returns the first
// of these that fails, as EINVALID; nothing is changed either way.
func Admit(c *Condition, existing []Condition, f Facts, rules RuleSet) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := rules.Check(f, *c); err != nil {
		return err
	}
	return CheckOverlap(*c, existing)
}

// Change replaces old with next: old ends the day before next starts, with
// reason as its EndedReason, and next records that it Replaces old. next
// may be of another kind (tighter conditions after a miss are usually in
// person). next is checked as Admit does, against existing with old already
// ended; old must be stored (a non-zero ID), must have started before next
// starts, and must not have ended before it. It returns old as ended; the
// caller stores both, and withdraws old's events from next's start on. On an
// error nothing is changed: old is not ended and next does not Replace it.
func Change(old Condition, next *Condition, existing []Condition, f Facts, rules RuleSet, reason string) (Condition, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return old, tether.Invalid("reason", "say why the condition is changed")
	case utf8.RuneCountInString(reason) > maxReason:
		return old, tether.Invalid("reason", fmt.Sprintf("must be %d characters or fewer", maxReason))
	case old.ID == 0:
		return old, tether.Invalid("replaces", "the condition to change has not been stored")
	}
	if err := next.Validate(); err != nil {
		return old, err
	}
	switch {
	case !next.Start.After(old.Start):
		return old, tether.Invalid("start", "must be after the start of the condition it replaces ("+old.Start.Long()+")")
	case !old.End.IsZero() && old.End.Before(next.Start):
		return old, tether.Invalid("start", "the condition it replaces ended on "+old.End.Long()+": add a new condition instead")
	}
	ended := old
	ended.End = next.Start.AddDays(-1)
	ended.EndedReason = reason
	others := make([]Condition, 0, len(existing))
	for _, e := range existing {
		if e.ID == old.ID {
			continue
		}
		others = append(others, e)
	}
	others = append(others, ended)
	if err := Admit(next, others, f, rules); err != nil {
		return old, err
	}
	id := old.ID
	next.Replaces = &id
	return ended, nil
}

// End ends c on last (its last day), with a reason, when no condition
// replaces it. c must not have ended already, and last may not be before
// c starts.
func End(c Condition, last calendar.Date, reason string) (Condition, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return c, tether.Invalid("reason", "say why the condition ends")
	case utf8.RuneCountInString(reason) > maxReason:
		return c, tether.Invalid("reason", fmt.Sprintf("must be %d characters or fewer", maxReason))
	case !last.IsValid():
		return c, tether.Invalid("end", "is not a real date")
	case last.Before(c.Start):
		return c, tether.Invalid("end", "is before the condition starts ("+c.Start.Long()+")")
	case !c.End.IsZero() && c.End.Before(last):
		return c, tether.Invalid("end", "the condition already ends on "+c.End.Long()+": to extend it, change it")
	}
	c.End, c.EndedReason = last, reason
	return c, nil
}

func isWeekend(d time.Weekday) bool { return d == time.Saturday || d == time.Sunday }

func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
