package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"tether"
	"tether/calendar"
	"tether/demo"
	"tether/enquiry"
	"tether/store"
)

// The demo's enquiries: a year of them from MPs' offices across the UK's
// three bank-holiday divisions, a law firm and an advice service, worked
// by the enquiries team through the store as people would work them, with
// the store's clock wound back so that every event has a realistic date:
// most answered within the standard, some late (in every band of the
// published figures), some with holding replies, some still open and past
// their date, a few not matched to anyone and waiting in triage.

// demoEnquiryDays is how far back the demo's enquiries start.
const demoEnquiryDays = 365

// demoEnquiryOrgs are the organisations besides the demo's own MP office
// and law firm, each with one user: the email and name.
var demoEnquiryOrgs = []struct {
	org         tether.Organisation
	email, name string
}{
	{tether.Organisation{Name: "Office of Priya Sandhu MP", Kind: tether.OrgMPOffice, Constituency: "Northfield and Brookside", Division: calendar.EnglandAndWales,
		ReplyEmail: "priya.sandhu.mp@example.org", ReplyAddress: []string{"Priya Sandhu MP", "House of Commons", "London", "SW1A 0AA"}},
		"office.sandhu@example.org", "Demo Caseworker, Priya Sandhu MP"},
	{tether.Organisation{Name: "Office of Callum Fraser MP", Kind: tether.OrgMPOffice, Constituency: "Glen Aird", Division: calendar.Scotland,
		ReplyEmail: "callum.fraser.mp@example.org", ReplyAddress: []string{"Callum Fraser MP", "House of Commons", "London", "SW1A 0AA"}},
		"office.fraser@example.org", "Demo Caseworker, Callum Fraser MP"},
	{tether.Organisation{Name: "Office of Siobhan Doherty MP", Kind: tether.OrgMPOffice, Constituency: "Lough Erne North", Division: calendar.NorthernIreland,
		ReplyEmail: "siobhan.doherty.mp@example.org", ReplyAddress: []string{"Siobhan Doherty MP", "House of Commons", "London", "SW1A 0AA"}},
		"office.doherty@example.org", "Demo Caseworker, Siobhan Doherty MP"},
	{tether.Organisation{Name: "Office of Gareth Powell MP", Kind: tether.OrgMPOffice, Constituency: "Cwm Tawel", Division: calendar.EnglandAndWales,
		ReplyEmail: "gareth.powell.mp@example.org", ReplyAddress: []string{"Gareth Powell MP", "House of Commons", "London", "SW1A 0AA"}},
		"office.powell@example.org", "Demo Caseworker, Gareth Powell MP"},
	{tether.Organisation{Name: "Harbour Street Immigration Advice", Kind: tether.OrgAdvice, Division: calendar.EnglandAndWales,
		ReplyAddress: []string{"Harbour Street Immigration Advice", "3 Harbour Street", "Bristol", "BS1 4RW"}},
		"adviser.harbour@example.org", "Demo Adviser, Harbour Street"},
}

// demoEnquiryStaff are the enquiries team besides enquiries@example.org:
// the first leads every team.
var demoEnquiryStaff = []struct{ email, name string }{
	{"enquiries.lead@example.org", "Demo Enquiries Team Lead"},
	{"enquiries2@example.org", "Demo Enquiries Caseworker 2"},
}

// demoQuestions are what offices ask, by category.
var demoQuestions = map[string][]string{
	enquiry.CategoryAsylumClaim: {
		"My constituent claimed asylum over a year ago and had her substantive interview in the spring. She has heard nothing since. When will a decision be made?",
		"Our client's claim was lodged fourteen months ago. Please confirm whether the interview record has been reviewed and when we can expect a decision.",
		"My constituent was told his claim would be decided within six months. It has been nine. Can you tell me what is holding it up?",
		"Please confirm that the further submissions we sent in January have been received and say when they will be considered.",
	},
	enquiry.CategoryDetention: {
		"My constituent was detained when he reported this morning. His family have not been told where he is held. Please confirm where he is and why.",
		"Our client has been detained for three weeks. Please set out the reasons for continued detention and whether release on bail is being considered.",
		"My constituent's husband is in detention and she is due to give birth shortly. Can his detention be reviewed?",
	},
	enquiry.CategoryReporting: {
		"My constituent has to report every week but now lives sixty miles from the centre and cannot afford the fare. Can she report by telephone instead?",
		"Our client missed a reporting event because she was in hospital. She has a letter from the hospital. Please confirm that this will be recorded.",
		"My constituent has reported every week for two years. Can the frequency of reporting be reduced?",
	},
	enquiry.CategoryDocuments: {
		"My constituent was granted leave three months ago but has still not received her biometric residence permit. She cannot start work without it. When will it arrive?",
		"Our client's passport was taken when he claimed asylum. He needs it to register his child's birth. Can it be returned or copied?",
		"My constituent's travel document application was sent in the autumn. Please tell me where it is.",
	},
	enquiry.CategorySupport: {
		"My constituent's asylum support payments stopped last month without warning. She has two young children. Why did they stop and when will they resume?",
		"Our client has been moved to accommodation with damp and mould. Her son has asthma. Can she be moved?",
		"My constituent applied for support over six weeks ago and has had no decision. He is sleeping on a friend's floor.",
	},
}

// demoUrgentReasons are why offices mark an enquiry urgent or compassionate.
var demoUrgentReasons = map[string][]string{
	enquiry.UrgencyUrgent: {
		"A removal flight is booked for later this week.",
		"He has been detained and has a hearing on Friday.",
		"She and her children have nowhere to stay from tonight.",
	},
	enquiry.UrgencyCompassionate: {
		"Her mother is dying and she needs her travel document to visit her.",
		"His wife is due to give birth this week.",
		"Her father has died and the funeral is on Saturday.",
	},
}

// demoAnswers are the answers the team sends, by category: short
// sentences in plain words, as the clarity bar asks.
var demoAnswers = map[string][]string{
	enquiry.CategoryAsylumClaim: {
		"We made a decision on the claim today. We sent it by post. It should get to them in two or three days. We sent a copy to their lawyer too. They can call us if they have a question about it.",
		"We have not made a decision yet. We need to talk to them once more. We will write to them with the date and time this week. We aim to make the decision within a month of that.",
		"We got the new papers you sent. We are now looking at them. We will write to them when we have made a decision. This should be within two months. We will let you know too.",
	},
	enquiry.CategoryDetention: {
		"We let him go today. He must now come to see us each week. We gave him a note of the day and time. His family can call us if they want to know more.",
		"We looked at the case again today. He will stay where he is for now. He can ask a judge to let him go at any time. His lawyer can help him with this.",
	},
	enquiry.CategoryReporting: {
		"We have changed how they report. From next week they can call us by phone each week. They do not need to come in. We will send them a letter to say this.",
		"We have noted that they were in hospital on the day. We will not count it as a missed day. They do not need to do more. They should come in on the next date as usual.",
	},
	enquiry.CategoryDocuments: {
		"We sent the card by post today. It should get to them in a week. If it does not come, they can call us. They will need to give their reference.",
		"We have sent them a copy of the passport today. We need to keep the real one for now. We will give it back when the case is done. The copy can be used to show who they are.",
	},
	enquiry.CategorySupport: {
		"We have started the money again. They will get what they missed this week. It stopped by mistake. We are sorry for the worry. They can call us if it does not come.",
		"We have asked the housing firm to move them. The firm will call them in the next week. If the damp gets worse, they should call the firm at once.",
	},
}

// demoHoldingWhat is what a late answer waits for, from whom, by category.
var demoHoldingWhat = map[string][3]string{
	enquiry.CategoryAsylumClaim: {enquiry.ReasonAwaitingDecision, "A decision by a senior caseworker", enquiry.FromDepartmentTeam},
	enquiry.CategoryDetention:   {enquiry.ReasonAwaitingChecks, "A review of the case", enquiry.FromDepartmentTeam},
	enquiry.CategoryReporting:   {enquiry.ReasonAwaitingInformation, "A letter from the hospital", enquiry.FromThePerson},
	enquiry.CategoryDocuments:   {enquiry.ReasonAwaitingChecks, "Checks on who they are", enquiry.FromPolice},
	enquiry.CategorySupport:     {enquiry.ReasonAwaitingInformation, "A report on the housing", enquiry.FromThirdParty},
}

// demoHoldingText is a holding reply's words: plain, so that the reply
// meets the clarity bar.
func demoHoldingText(what [3]string, newDate calendar.Date) string {
	return "We cannot answer yet, and we are sorry for the wait. " + enquiry.ReasonWords(what[0]) + ". We still need " +
		strings.ToLower(what[1][:1]) + what[1][1:] + ". It will come from " + enquiry.FromWords(what[2]) + ". We will answer by " +
		newDate.Long() + ". We will tell you at once if this date has to change."
}

// demoPlainer is added to a reply the clarity bar refuses (a long name in
// the letter can tip it), a sentence at a time.
var demoPlainer = []string{"We hope this helps.", "Thank you for your help with this.", "Do call us if you need to."}

// demoOffice is an office that raises demo enquiries, with its user.
type demoOffice struct {
	org    *tether.Organisation
	ctx    context.Context
	weight int
}

// demoEnquiriesPer is how many people the demo has for each enquiry
// received on a working day: about 4 a day for the default 3,000 people,
// about 1,000 in the year; a small demo gets a few.
const demoEnquiriesPer = 750

// demoEnquiriesOnDay is how many enquiries arrive on a working day, for a
// population of people.
func demoEnquiriesOnDay(rng *rand.Rand, population int) int {
	rate := float64(population) / demoEnquiriesPer
	return int(rate*(0.5+rng.Float64()) + rng.Float64())
}

// demoEnquiryPlan is what will happen to one demo enquiry: its days.
type demoEnquiryPlan struct {
	e                      *enquiry.Enquiry
	office                 *demoOffice
	staff                  context.Context
	staffID                int64
	triage, start          calendar.Date // zero: never
	holding, answer, close calendar.Date
	matchAtTriage          int64 // a person found by the caseworker
	// What has been done.
	triaged, started, held, answered, done bool
}

// demoEnquiries adds the demo's enquiries once: nothing when there are
// enquiries already. The real clock is put back at the end.
func (a *app) demoEnquiries(ctx context.Context, db *store.DB, seed uint64) error {
	if _, n, err := db.FindEnquiries(ctx, enquiry.Filter{Limit: 1}); err != nil || n > 0 {
		return err
	}
	people, population, err := db.FindPeople(ctx, tether.PersonFilter{Limit: 500})
	if err != nil || len(people) == 0 {
		return err
	}
	if _, err := db.SeedTemplates(ctx); err != nil {
		return err
	}
	// The offices and their users; the team and its leads.
	orgs, err := db.FindOrganisations(ctx)
	if err != nil {
		return err
	}
	byName := map[string]*tether.Organisation{}
	for _, o := range orgs {
		byName[o.Name] = o
	}
	user := func(email, name string, role tether.Role, org *tether.Organisation) (*tether.User, error) {
		u, err := db.FindUserByEmail(ctx, email)
		if err == nil || tether.ErrorCode(err) != tether.ENOTFOUND {
			return u, err
		}
		u = &tether.User{Email: email, Name: name, Role: role}
		if org != nil {
			u.OrganisationID = &org.ID
		}
		if err := db.CreateUser(ctx, u, demoPassword); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", email, err)
		}
		fmt.Fprintf(a.stdout, "Created demo user %s (%s)\n", u.Email, u.Role)
		return u, nil
	}
	as := func(u *tether.User) context.Context { return tether.NewContextWithActor(ctx, tether.ActorOf(u)) }
	var offices []*demoOffice
	for _, d := range []struct{ name, email string }{{demo.MPOffice, "mp.office@example.org"}, {demo.LawFirm, "law.firm@example.org"}} {
		u, err := db.FindUserByEmail(ctx, d.email)
		if err != nil || byName[d.name] == nil {
			return fmt.Errorf("demo user %s or organisation %s missing: %v", d.email, d.name, err)
		}
		offices = append(offices, &demoOffice{org: byName[d.name], ctx: as(u), weight: 3})
	}
	for _, d := range demoEnquiryOrgs {
		o := byName[d.org.Name]
		if o == nil {
			o = &tether.Organisation{Name: d.org.Name, Kind: d.org.Kind, Constituency: d.org.Constituency, Division: d.org.Division,
				ReplyEmail: d.org.ReplyEmail, ReplyAddress: d.org.ReplyAddress}
			if err := db.CreateOrganisation(ctx, o); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Created organisation %s (%s)\n", o.Name, o.Kind)
		}
		u, err := user(d.email, d.name, tether.RoleOrganisation, o)
		if err != nil {
			return err
		}
		offices = append(offices, &demoOffice{org: o, ctx: as(u), weight: 2})
	}
	var staff []*tether.User
	lead, err := user(demoEnquiryStaff[0].email, demoEnquiryStaff[0].name, tether.RoleEnquiries, nil)
	if err != nil {
		return err
	}
	for _, email := range []string{"enquiries@example.org"} {
		u, err := db.FindUserByEmail(ctx, email)
		if err != nil {
			return err
		}
		staff = append(staff, u)
	}
	second, err := user(demoEnquiryStaff[1].email, demoEnquiryStaff[1].name, tether.RoleEnquiries, nil)
	if err != nil {
		return err
	}
	staff = append(staff, second, lead)
	for _, t := range db.EnquiryStandards().Teams {
		if err := db.SetEnquiryTeamLead(ctx, t.Key, &lead.ID); err != nil {
			return err
		}
	}
	hol, err := db.Holidays(ctx)
	if err != nil {
		return err
	}
	cals := map[string]calendar.Calendar{}
	for _, div := range []string{calendar.EnglandAndWales, calendar.Scotland, calendar.NorthernIreland} {
		if cals[div], err = hol.For(div); err != nil {
			return err
		}
	}

	real := db.Clock
	defer func() { db.Clock = real }()
	london := londonTime()
	today := calendar.FromTime(real.Now(), london)
	first := today.AddDays(-demoEnquiryDays)
	at := func(d calendar.Date, hh, mm int) time.Time {
		return d.Time(london).Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	}
	clock := tether.NewManualClock(at(first, 6, 0))
	db.Clock = clock
	sysCtx := tether.NewContextWithActor(ctx, tether.SystemActor)
	leadCtx := as(lead)
	rng := rand.New(rand.NewPCG(seed, 0x656e71)) // "enq"
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	totalWeight := 0
	for _, o := range offices {
		totalWeight += o.weight
	}

	var plans []*demoEnquiryPlan
	counts := map[string]int{}
	open := 0 // enquiries still open at the end of the last working day: the sweeps' work
	for d := first; !d.After(today); d = d.AddDays(1) {
		if err := ctx.Err(); err != nil {
			return err
		}
		clock.Set(at(d, 6, 0))
		if open > 0 {
			for _, step := range []func(context.Context, int) (int, error){db.WarnEnquiries, db.BreachEnquiries, db.MarkOverdueTasks} {
				if err := sweepAll(sysCtx, step); err != nil {
					return err
				}
			}
		}
		if !cals[calendar.EnglandAndWales].IsWorkingDay(d) {
			continue
		}
		// The team's work first thing: what is due by today.
		clock.Set(at(d, 8, 30))
		for _, p := range plans {
			if err := a.demoWork(db, leadCtx, p, d, counts); err != nil {
				return fmt.Errorf("demo enquiry %s on %s: %w", p.e.Ref, d, err)
			}
		}
		// New enquiries through the day.
		for i, n := 0, demoEnquiriesOnDay(rng, population); i < n; i++ {
			clock.Set(at(d, 9+i+rng.IntN(2), rng.IntN(60))) // by 15:00
			w := rng.IntN(totalWeight)
			office := offices[0]
			for _, o := range offices {
				if w -= o.weight; w < 0 {
					office = o
					break
				}
			}
			p, err := a.demoEnquiry(db, leadCtx, rng, pick, office, people, d, today, cals[office.org.Division])
			if err != nil {
				return err
			}
			k := len(plans) % len(staff)
			p.staff, p.staffID = as(staff[k]), staff[k].ID
			plans = append(plans, p)
			counts["received"]++
			if p.triage.IsZero() {
				counts["untriaged"]++
			}
		}
		// The end of the day: today's urgent arrivals are triaged.
		clock.Set(at(d, 17, 30))
		open = 0
		for _, p := range plans {
			if err := a.demoWork(db, leadCtx, p, d, counts); err != nil {
				return fmt.Errorf("demo enquiry %s on %s: %w", p.e.Ref, d, err)
			}
			if p.e.Open() {
				open++
			}
		}
		// The day's replies go out, as the dispatcher would send them.
		if err := demoSendReplies(sysCtx, db); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.stdout, "Added %s enquiries over a year from %d offices: %s answered (%s late), %s with holding replies, %s open, %s waiting for triage.\n",
		commas(int64(counts["received"])), len(offices), commas(int64(counts["answered"])), commas(int64(counts["late"])),
		commas(int64(counts["holding"])), commas(int64(counts["received"]-counts["answered"])), commas(int64(counts["untriaged"])))
	var emails []string
	for _, o := range demoEnquiryOrgs {
		emails = append(emails, o.email)
	}
	fmt.Fprintf(a.stdout, "Enquiry users: mp.office@, law.firm@ and %s (offices); enquiries@, %s and %s (the team).\n",
		strings.Join(emails, ", "), demoEnquiryStaff[0].email, demoEnquiryStaff[1].email)
	return nil
}

// demoEnquiry raises one enquiry from the office on day d and plans what
// happens to it.
func (a *app) demoEnquiry(db *store.DB, staffCtx context.Context, rng *rand.Rand, pick func([]string) string, office *demoOffice, people []*tether.Person,
	d, today calendar.Date, cal calendar.Calendar) (*demoEnquiryPlan, error) {
	categories := []string{enquiry.CategoryAsylumClaim, enquiry.CategoryAsylumClaim, enquiry.CategoryAsylumClaim, enquiry.CategorySupport,
		enquiry.CategorySupport, enquiry.CategoryDocuments, enquiry.CategoryReporting, enquiry.CategoryDetention}
	in := &enquiry.Input{Category: categories[rng.IntN(len(categories))], Urgency: enquiry.UrgencyRoutine, AcknowledgeDuplicates: true}
	switch r := rng.IntN(100); {
	case r < 9:
		in.Urgency = enquiry.UrgencyUrgent
	case r < 14:
		in.Urgency = enquiry.UrgencyCompassionate
	}
	if in.Urgency != enquiry.UrgencyRoutine {
		in.UrgencyReason = pick(demoUrgentReasons[in.Urgency])
	}
	in.Question = pick(demoQuestions[in.Category])
	if office.org.Kind == tether.OrgMPOffice {
		in.Authority = enquiry.Authority{Basis: enquiry.BasisWrittenConsent, GivenOn: d.AddDays(-1 - rng.IntN(20)).String()}
		if rng.IntN(4) == 0 {
			in.Authority.Basis = enquiry.BasisVerbalConsent
		}
	} else {
		in.Authority = enquiry.Authority{Basis: enquiry.BasisLetterOfAuthority, GivenOn: d.AddDays(-5 - rng.IntN(60)).String()}
	}
	person := people[rng.IntN(len(people))]
	var found int64
	switch r := rng.IntN(100); {
	case r < 6:
		// Someone the records do not know by what the office gave: the
		// caseworker finds them at triage.
		in.Subject = enquiry.Subject{FamilyName: person.FamilyName + "-" + pick([]string{"Ali", "Osman", "Khan"}), GivenNames: person.GivenNames,
			DateOfBirth: "1971-01-01"}
		found = person.ID
	case r < 35 && person.DateOfBirth.Day != 0:
		in.Subject = enquiry.Subject{FamilyName: person.FamilyName, GivenNames: person.GivenNames, DateOfBirth: person.DateOfBirth.String()}
	default:
		in.Subject = enquiry.Subject{Ref: person.Ref, FamilyName: person.FamilyName, GivenNames: person.GivenNames}
	}
	created, err := db.CreateEnquiry(office.ctx, in)
	if err != nil {
		return nil, fmt.Errorf("demo enquiry: %w", err)
	}
	// As the department sees it: matched or not.
	e, err := db.FindEnquiryByID(staffCtx, created.ID)
	if err != nil {
		return nil, err
	}
	p := &demoEnquiryPlan{e: e, office: office, matchAtTriage: found}
	received, err := calendar.ParseDate(e.ReceivedOn)
	if err != nil {
		return nil, err
	}
	due, err := calendar.ParseDate(e.DueOn)
	if err != nil {
		return nil, err
	}
	urgent := in.Urgency != enquiry.UrgencyRoutine
	p.triage = cal.NextWorkingDay(received)
	if urgent {
		p.triage = received
	}
	p.start = cal.NextWorkingDay(p.triage)
	if urgent {
		p.start = p.triage
	}
	// When it is answered: most within the standard; the late ones in
	// the published figures' bands; a few still outstanding.
	days := 0
	switch r := rng.IntN(100); {
	case r < 84:
		days = max(1, e.StandardDays-rng.IntN(e.StandardDays))
	case r < 90:
		days = 21 + rng.IntN(10)
		if urgent {
			days = 3 + rng.IntN(17)
		}
	case r < 93:
		days = 31 + rng.IntN(10)
	case r < 95:
		days = 41 + rng.IntN(10)
	case r < 98:
		days = 51 + rng.IntN(30)
	default:
		days = 400 // not answered yet
	}
	p.answer = cal.AddWorkingDays(received, days)
	if p.answer.Before(p.start) {
		p.answer = p.start
	}
	if p.answer.After(due) && rng.IntN(10) < 6 && !urgent {
		// A holding reply the day before the due date, committing to the
		// day the answer will come (or a date ahead, for one still open).
		p.holding = cal.AddWorkingDays(due, -1)
		if p.holding.Before(p.start) {
			p.holding = due
		}
	}
	if rng.IntN(10) < 7 {
		p.close = cal.AddWorkingDays(p.answer, 3+rng.IntN(5))
	}
	// The last three weeks' arrivals not matched to anyone wait in triage.
	if e.PersonID == nil && today.Sub(received) <= 21 {
		p.triage = calendar.Date{}
	}
	return p, nil
}

// demoWork does what the plan says is due by day d, each step once: on a
// day that is a bank holiday where the team works but a working day in
// the office's division, the step waits for the next working day.
func (a *app) demoWork(db *store.DB, leadCtx context.Context, p *demoEnquiryPlan, d calendar.Date, counts map[string]int) error {
	if p.triage.IsZero() || p.done {
		return nil
	}
	// set keeps the enquiry as it is after a step, and the one before if
	// the step is refused (for the message).
	set := func(e *enquiry.Enquiry, err error) error {
		if err == nil {
			p.e = e
		}
		return err
	}
	if !p.triaged {
		if d.Before(p.triage) {
			return nil
		}
		in := enquiry.TransitionInput{Action: enquiry.ActionTriage, Note: "Consent checked."}
		if p.e.PersonID == nil && p.matchAtTriage != 0 {
			in.PersonID, in.Note = &p.matchAtTriage, "Found the person by the office's details: a different spelling and date of birth."
		}
		if err := set(db.TransitionEnquiry(leadCtx, p.e.ID, in)); err != nil {
			return err
		}
		if err := set(db.TransitionEnquiry(leadCtx, p.e.ID, enquiry.TransitionInput{Action: enquiry.ActionAssign, Assignee: &p.staffID})); err != nil {
			return err
		}
		p.triaged = true
	}
	if !p.started && !d.Before(p.start) {
		if err := set(db.TransitionEnquiry(p.staff, p.e.ID, enquiry.TransitionInput{Action: enquiry.ActionStart})); err != nil {
			return err
		}
		p.started = true
	}
	if !p.holding.IsZero() && !p.held && !d.Before(p.holding) {
		p.held = true
		due, err := calendar.ParseDate(p.e.DueOn)
		if err != nil {
			return err
		}
		if p.e.Open() && !d.After(due) {
			what := demoHoldingWhat[p.e.Category]
			newDate := p.answer
			if !newDate.After(due) || newDate.Sub(due) > enquiry.MaxHoldingDays {
				newDate = due.AddDays(28)
			}
			in := enquiry.HoldingReplyInput{
				HoldingInput: enquiry.HoldingInput{Reason: what[0], Outstanding: what[1], From: what[2], NewDate: newDate.String()},
				ReplyInput:   enquiry.ReplyInput{TemplateKey: "enquiry-reply-email"}}
			if err := demoPlainly(demoHoldingText(what, newDate), func(text string) error {
				in.Personalisation = map[string]string{"reply": text}
				return set(db.SendHoldingReply(p.staff, p.e.ID, in))
			}); err != nil {
				return err
			}
			counts["holding"]++
		}
	}
	if !p.answered && !d.Before(p.answer) {
		answers := demoAnswers[p.e.Category]
		if err := demoPlainly(answers[int(p.e.ID)%len(answers)], func(text string) error {
			return set(db.AnswerEnquiry(p.staff, p.e.ID, enquiry.ReplyInput{TemplateKey: "enquiry-reply-email",
				Personalisation: map[string]string{"reply": text}}))
		}); err != nil {
			return err
		}
		p.answered = true
		counts["answered"]++
		if p.e.WithinStandard != nil && !*p.e.WithinStandard {
			counts["late"]++
		}
	}
	if p.answered && (p.close.IsZero() || !d.Before(p.close)) {
		if !p.close.IsZero() {
			if err := set(db.TransitionEnquiry(p.staff, p.e.ID, enquiry.TransitionInput{Action: enquiry.ActionClose})); err != nil {
				return err
			}
		}
		p.done = true
	}
	return nil
}

// demoPlainly sends the text, and again with plainer sentences added while
// the clarity bar refuses it.
func demoPlainly(text string, send func(string) error) error {
	err := send(text)
	for _, more := range demoPlainer {
		if _, unclear := tether.ErrorFields(err)["personalisation.reply"]; !unclear {
			return err
		}
		text += " " + more
		err = send(text)
	}
	return err
}

// demoSendReplies marks the replies waiting to go to offices as accepted
// by GOV.UK Notify, with made-up ids, as a dispatcher would.
func demoSendReplies(ctx context.Context, db *store.DB) error {
	out := db.ReplyOutbox()
	sys := tether.NewContextWithActor(ctx, store.DispatcherActor)
	for {
		items, err := out.ClaimOutbox(sys, "demo", nil, 200, time.Minute)
		if err != nil || len(items) == 0 {
			return err
		}
		sent := make([]tether.Accepted, len(items))
		for i, it := range items {
			sent[i] = tether.Accepted{ItemID: it.ID, ProviderID: fmt.Sprintf("00000000-0000-4000-9000-%012d", it.NoticeID)}
		}
		if err := out.OutboxSentMany(sys, "demo", sent); err != nil {
			return err
		}
	}
}
