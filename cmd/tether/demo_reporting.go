package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"tether"
	"tether/calendar"
	"tether/reporting"
	"tether/store"
)

// demoReportingDays is how far back the demo's reporting history starts,
// and demoReportingPeople how many demo people report.
const (
	demoReportingDays   = 70
	demoReportingPeople = 200
)

// demoCentres are the demo's reporting centres, with the bank-holiday
// division each keeps.
var demoCentres = []struct{ name, division string }{
	{"Eaton House, Hounslow", calendar.EnglandAndWales},
	{"Becket House, London", calendar.EnglandAndWales},
	{"Vulcan House, Sheffield", calendar.EnglandAndWales},
	{"Festival Court, Glasgow", calendar.Scotland},
	{"Drumkeen House, Belfast", calendar.NorthernIreland},
}

// demoProfile is how a demo person keeps (or stops keeping) their
// conditions.
type demoProfile int

const (
	profileCompliant   demoProfile = iota // reports every time
	profileExcused                        // misses once, with an explanation accepted later
	profileReturns                        // misses once, is at risk, then reports again
	profileTraced                         // stops reporting, is traced and reached
	profileOutOfTouch                     // stops reporting; tracing goes on
	profileAbsconder                      // stops reporting early; every attempt fails; declared
	profileLateStarter                    // condition starts recently: reports so far
)

func profileOf(i int) demoProfile {
	switch i % 20 {
	case 3, 13:
		return profileExcused
	case 6, 16:
		return profileReturns
	case 9:
		return profileTraced
	case 19, 11:
		return profileOutOfTouch
	case 7:
		return profileAbsconder
	case 17:
		return profileLateStarter
	}
	return profileCompliant
}

// demoSchedules are the schedules demo conditions take, in the text form
// reporting.ParseSchedule reads; %s is the condition's first day.
var demoSchedules = []string{"weekly mon 10:00", "weekly tue,thu 14:00", "every 2 weeks from %s 11:00", "weekly wed 09:30", "monthly day 15 10:00"}

type demoReportingCounts struct {
	conditions, checkIns, attempts int
}

// demoReporting gives the first n demo people reporting conditions with a
// history: the store's clock is wound back demoReportingDays and moved on
// a day at a time, desks check people in, the sweeps mark misses and move
// contact status, and tracing attempts are recorded, so that the demo has
// people in every status with the lapses, plans and attempts that led
// there. The real clock is put back at the end.
func (a *app) demoReporting(ctx context.Context, db *store.DB, n int) (demoReportingCounts, error) {
	var counts demoReportingCounts
	if _, err := db.SeedTemplates(ctx); err != nil {
		return counts, fmt.Errorf("demo templates: %w", err)
	}
	people, _, err := db.FindPeople(ctx, tether.PersonFilter{Limit: n})
	if err != nil || len(people) == 0 {
		return counts, err
	}
	desk, err := db.FindUserByEmail(ctx, "caseworker@example.org")
	if err != nil {
		return counts, err
	}
	deskCtx := tether.NewContextWithActor(ctx, tether.ActorOf(desk))
	sysCtx := tether.NewContextWithActor(ctx, tether.SystemActor)

	real := db.Clock
	defer func() { db.Clock = real }()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		return counts, err
	}
	today := calendar.FromTime(real.Now(), london)
	first := today.AddDays(-demoReportingDays)
	at := func(d calendar.Date, hh, mm int) time.Time {
		t, _ := time.ParseInLocation("2006-01-02", d.String(), london)
		return t.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	}
	clock := tether.NewManualClock(at(first, 8, 0))
	db.Clock = clock

	// Conditions, set on the first day (a few start later).
	profiles := make(map[int64]demoProfile, len(people))
	for i, p := range people {
		prof := profileOf(i)
		start := first
		if prof == profileLateStarter {
			start = today.AddDays(-20)
		}
		c := &reporting.Condition{PersonID: p.ID, Kind: reporting.KindInPerson, Start: start,
			SetBy: "Reporting team", Reason: "Reporting conditions on release from immigration bail."}
		centre := demoCentres[i%len(demoCentres)]
		c.Centre, c.Division = centre.name, centre.division
		text := demoSchedules[i%len(demoSchedules)]
		if strings.Contains(text, "%s") {
			text = fmt.Sprintf(text, start.String())
		}
		if c.Schedule, err = reporting.ParseSchedule(text); err != nil {
			return counts, fmt.Errorf("demo schedule %q: %w", text, err)
		}
		if i%9 == 4 {
			c.Kind, c.Centre, c.Division, c.Reason = reporting.KindDigital, "", "", "Digital reporting: the person lives far from a centre."
		}
		clock.Set(at(start, 8, 0))
		if start != first {
			clock.Set(at(first, 8, 0)) // set on the first day, starting later
		}
		if _, err := db.CreateCondition(deskCtx, c); err != nil {
			if tether.ErrorCode(err) == tether.EINVALID || tether.ErrorCode(err) == tether.ECONFLICT {
				continue // this person's facts do not allow it: leave them without
			}
			return counts, fmt.Errorf("demo condition: %w", err)
		}
		profiles[p.ID] = prof
		counts.conditions++
	}
	if counts.conditions == 0 {
		return counts, nil // they have conditions already: no second history
	}

	// The days, one by one.
	stopDay := map[demoProfile]calendar.Date{
		profileTraced:     today.AddDays(-40),
		profileOutOfTouch: today.AddDays(-25),
		profileAbsconder:  today.AddDays(-60),
	}
	missedOnce := map[int64]bool{}
	for d := first; !d.After(today); d = d.AddDays(1) {
		clock.Set(at(d, 7, 0))
		if err := sweepAll(sysCtx, db.ExtendHorizons); err != nil {
			return counts, err
		}
		clock.Set(at(d, 10, 30))
		for _, p := range people {
			prof, ok := profiles[p.ID]
			if !ok {
				continue
			}
			events, err := db.PersonEvents(deskCtx, p.ID, d, d)
			if err != nil {
				return counts, err
			}
			for _, e := range events {
				if e.State != reporting.EventDue {
					continue
				}
				if stop, ok := stopDay[prof]; ok && !d.Before(stop) {
					continue // stopped reporting
				}
				if (prof == profileExcused || prof == profileReturns) && !missedOnce[p.ID] && d.After(first.AddDays(20)) {
					missedOnce[p.ID] = true
					continue // the one miss
				}
				if d == today && clock.Now().Before(at(d, 10, 30)) {
					continue
				}
				if _, err := db.CheckInEvent(deskCtx, e.ID, reporting.CheckIn{}); err != nil {
					return counts, fmt.Errorf("demo check-in: %w", err)
				}
				counts.checkIns++
			}
		}
		if d == today {
			break // today is not over: its misses are the sweep's to find
		}
		// An explanation given a day or two later clears the miss.
		clock.Set(at(d, 15, 0))
		for _, p := range people {
			if profiles[p.ID] != profileExcused || !missedOnce[p.ID] {
				continue
			}
			events, err := db.PersonEvents(deskCtx, p.ID, d.AddDays(-2), d)
			if err != nil {
				return counts, err
			}
			for _, e := range events {
				if e.State == reporting.EventMissed {
					if _, _, err := db.RecordOutcome(deskCtx, e.ID, reporting.OutcomeRequest{State: reporting.EventExcused,
						Reason: "Was in hospital on the day; a letter from the hospital was seen.", AcceptedBy: desk.Name}); err != nil {
						return counts, fmt.Errorf("demo excuse: %w", err)
					}
				}
			}
		}
		// Tracing: the attempts due today are made.
		clock.Set(at(d, 16, 0))
		for _, p := range people {
			prof, ok := profiles[p.ID]
			if !ok || prof == profileCompliant || prof == profileLateStarter || prof == profileExcused {
				continue
			}
			n, err := a.demoAttempts(deskCtx, db, p.ID, d, prof, stopDay[prof])
			if err != nil {
				return counts, err
			}
			counts.attempts += n
		}
		// The end of the day: the sweeps.
		clock.Set(at(d, 19, 0))
		for _, step := range []func(context.Context, int) (int, error){db.MarkMissedEvents, db.ConsumeLapseSignals,
			db.EscalateStatuses, db.MarkOverdueAttempts, db.MarkOverdueTasks} {
			if err := sweepAll(sysCtx, step); err != nil {
				return counts, err
			}
		}
	}
	// Those whose every attempt failed are declared absconders.
	for _, p := range people {
		if profiles[p.ID] != profileAbsconder {
			continue
		}
		st, _, err := db.ContactStatus(ctx, p.ID)
		if err != nil {
			return counts, err
		}
		if st.Status == tether.StatusOutOfContact {
			if _, err := db.ChangeStatus(ctx, p.ID, tether.CauseDeclared,
				"Failed to report since "+stopDay[profileAbsconder].String()+"; every tracing attempt failed and whereabouts are unknown."); err != nil {
				return counts, fmt.Errorf("demo declaration: %w", err)
			}
		}
	}
	// Reminders for the events ahead.
	return counts, sweepAll(sysCtx, db.SendReminders)
}

// sweepAll runs a sweep's step until it finds nothing more to do.
func sweepAll(ctx context.Context, step func(context.Context, int) (int, error)) error {
	const max = 500
	for {
		n, err := step(ctx, max)
		if err != nil || n < max {
			return err
		}
	}
}

// demoFailures are the failed outcomes a demo attempt takes, in order of
// preference: none of them marks a contact point failed.
var demoFailures = []string{reporting.OutcomeNoAnswer, reporting.OutcomeMessageLeft, reporting.OutcomeNoReply,
	reporting.OutcomeNoInformation, reporting.OutcomePartyNotReachable, reporting.OutcomeNotKnownAtAddress,
	reporting.OutcomeVisitNotCarriedOut, reporting.OutcomeDeclinedToHelp}

// demoAttempts makes the tracing attempts of the person's open lapse that
// are due by day d: failed ones, except that a person to be traced is
// reached a week after they stopped and one who returns is reached at the
// second attempt. Some attempts of those still out of touch are left
// undone, for the overdue sweep and the queues.
func (a *app) demoAttempts(ctx context.Context, db *store.DB, personID int64, d calendar.Date, prof demoProfile, stopped calendar.Date) (int, error) {
	lapses, err := db.PersonLapses(ctx, personID)
	if err != nil {
		return 0, err
	}
	made := 0
	for _, l := range lapses {
		if l.ClosedAt != nil {
			continue
		}
		detail, err := db.FindLapse(ctx, l.ID)
		if err != nil {
			return made, err
		}
		for _, at := range detail.Attempts {
			if at.State != tether.AttemptDue || at.DueOn > d.String() {
				continue
			}
			if prof == profileOutOfTouch && at.Seq%3 == 0 {
				continue // not done yet: overdue
			}
			outcomes := reporting.OutcomesFor(at.Kind)
			outcome := ""
			reach := slices.Contains(outcomes, reporting.OutcomeReached) &&
				((prof == profileTraced && !d.Before(stopped.AddDays(7))) || (prof == profileReturns && made+countDone(detail) >= 1))
			if reach {
				outcome = reporting.OutcomeReached
			} else {
				for _, o := range demoFailures {
					if slices.Contains(outcomes, o) {
						outcome = o
						break
					}
				}
			}
			if outcome == "" {
				continue
			}
			note := "Tried as planned; nothing new."
			if reach {
				note = "Spoke to them; they had moved in with a friend and will report at the next event."
			}
			if _, _, err := db.RecordAttempt(ctx, at.ID, tether.AttemptInput{Outcome: outcome, Note: note}); err != nil {
				return made, fmt.Errorf("demo attempt (%s, %s): %w", at.Kind, outcome, err)
			}
			made++
			if reach {
				return made, nil
			}
		}
	}
	return made, nil
}

// countDone counts a lapse's attempts already made.
func countDone(l *tether.LapseDetail) int {
	n := 0
	for _, at := range l.Attempts {
		if at.State == tether.AttemptDone {
			n++
		}
	}
	return n
}
