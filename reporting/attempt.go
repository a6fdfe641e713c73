package reporting

import (
	"slices"
	"strings"
	"time"

	"tether"
)

// Outcomes of a tracing attempt.
const (
	OutcomeReached            = "reached"               // the person was reached: contact is re-established
	OutcomeNoAnswer           = "no_answer"             // nobody answered (a call, a visit, a party's number)
	OutcomeMessageLeft        = "message_left"          // a call went to voicemail and a message was left
	OutcomeWrongNumber        = "wrong_number"          // the number is not the person's
	OutcomeNoReply            = "no_reply"              // a text, email or letter went, and no reply came
	OutcomeUndeliverable      = "undeliverable"         // the text, email or letter could not be delivered
	OutcomeNotKnownAtAddress  = "not_known_at_address"  // the person is not known at the address
	OutcomeDetailsFound       = "details_found"         // a party or an agency gave newer contact details
	OutcomeNoInformation      = "no_information"        // a party or an agency knew nothing new
	OutcomeDeclinedToHelp     = "declined_to_help"      // a party would not help
	OutcomePartyNotReachable  = "party_not_reachable"   // the representative, contact or sponsor could not be reached
	OutcomeVisitNotCarriedOut = "visit_not_carried_out" // the visit could not be made (with the reason in the note)
)

// attemptOutcomes are the outcomes each kind of attempt may have, in the
// order forms show them.
var attemptOutcomes = map[string][]string{
	AttemptCall:             {OutcomeReached, OutcomeNoAnswer, OutcomeMessageLeft, OutcomeWrongNumber},
	AttemptText:             {OutcomeReached, OutcomeNoReply, OutcomeUndeliverable, OutcomeWrongNumber},
	AttemptEmail:            {OutcomeReached, OutcomeNoReply, OutcomeUndeliverable},
	AttemptLetter:           {OutcomeReached, OutcomeNoReply, OutcomeUndeliverable, OutcomeNotKnownAtAddress},
	AttemptRepresentative:   {OutcomeReached, OutcomeDetailsFound, OutcomeNoInformation, OutcomeDeclinedToHelp, OutcomePartyNotReachable},
	AttemptEmergencyContact: {OutcomeReached, OutcomeDetailsFound, OutcomeNoInformation, OutcomeDeclinedToHelp, OutcomePartyNotReachable},
	AttemptSponsor:          {OutcomeReached, OutcomeDetailsFound, OutcomeNoInformation, OutcomeDeclinedToHelp, OutcomePartyNotReachable},
	AttemptComplianceVisit:  {OutcomeReached, OutcomeNoAnswer, OutcomeNotKnownAtAddress, OutcomeDetailsFound, OutcomeVisitNotCarriedOut},
	AttemptAgencyChecks:     {OutcomeDetailsFound, OutcomeNoInformation},
}

// AttemptOutcomes lists every outcome.
var AttemptOutcomes = []string{OutcomeReached, OutcomeNoAnswer, OutcomeMessageLeft, OutcomeWrongNumber, OutcomeNoReply,
	OutcomeUndeliverable, OutcomeNotKnownAtAddress, OutcomeDetailsFound, OutcomeNoInformation, OutcomeDeclinedToHelp,
	OutcomePartyNotReachable, OutcomeVisitNotCarriedOut}

var outcomeWords = map[string]string{
	OutcomeReached: "reached the person", OutcomeNoAnswer: "no answer", OutcomeMessageLeft: "message left",
	OutcomeWrongNumber: "wrong number", OutcomeNoReply: "no reply", OutcomeUndeliverable: "could not be delivered",
	OutcomeNotKnownAtAddress: "not known at the address", OutcomeDetailsFound: "newer contact details found",
	OutcomeNoInformation: "no new information", OutcomeDeclinedToHelp: "declined to help",
	OutcomePartyNotReachable: "could not reach them", OutcomeVisitNotCarriedOut: "visit not carried out",
}

// OutcomeWords is an outcome in words: "no answer".
func OutcomeWords(o string) string {
	if w, ok := outcomeWords[o]; ok {
		return w
	}
	return strings.ReplaceAll(o, "_", " ")
}

// OutcomesFor lists the outcomes an attempt of the kind may have; nil for
// a kind that is not known.
func OutcomesFor(kind string) []string { return slices.Clone(attemptOutcomes[kind]) }

// Ways an attempt is made.
const (
	HowPhone        = "phone"
	HowText         = "text"
	HowEmail        = "email"
	HowPost         = "post"
	HowVisit        = "visit"
	HowInPerson     = "in_person"
	HowRecordsCheck = "records_check"
)

// AttemptHows lists the ways an attempt is made.
var AttemptHows = []string{HowPhone, HowText, HowEmail, HowPost, HowVisit, HowInPerson, HowRecordsCheck}

// usualHow is how an attempt of each kind is usually made, taken when the
// caseworker does not say.
var usualHow = map[string]string{
	AttemptCall: HowPhone, AttemptText: HowText, AttemptEmail: HowEmail, AttemptLetter: HowPost,
	AttemptRepresentative: HowPhone, AttemptEmergencyContact: HowPhone, AttemptSponsor: HowPhone,
	AttemptComplianceVisit: HowVisit, AttemptAgencyChecks: HowRecordsCheck,
}

// UsualHow is how an attempt of the kind is usually made.
func UsualHow(kind string) string { return usualHow[kind] }

// CheckAttempt checks an attempt of the kind as recorded: the outcome is
// one the kind allows, how it was made is known (an empty how takes the
// kind's usual way, returned), it was made by now and not before the lapse
// began, and a new contact detail comes only with an outcome that found
// one. EINVALID names the fields at fault: outcome, how, at, note,
// new_contact_point.
func CheckAttempt(kind string, in tether.AttemptInput, lapseBegan, now time.Time) (how string, err error) {
	q := tether.Problems{}
	allowed, ok := attemptOutcomes[kind]
	switch {
	case !ok:
		q.Add("kind", "is not a kind of tracing attempt")
	case strings.TrimSpace(in.Outcome) == "":
		q.Add("outcome", "choose the outcome: one of "+strings.Join(allowed, ", "))
	case !slices.Contains(allowed, in.Outcome):
		q.Add("outcome", "must be one of "+strings.Join(allowed, ", ")+" for this kind of attempt")
	}
	how = strings.TrimSpace(in.How)
	if how == "" {
		how = usualHow[kind]
	}
	if !slices.Contains(AttemptHows, how) {
		q.Add("how", "must be one of "+strings.Join(AttemptHows, ", "))
	}
	switch {
	case in.At.After(now):
		q.Add("at", "must not be in the future")
	case !in.At.IsZero() && in.At.Before(lapseBegan):
		q.Add("at", "must be after the lapse began, "+lapseBegan.UTC().Format(time.RFC3339))
	}
	if err := tether.ValidateAttemptNote(in.Note); err != nil {
		q.Merge("", tether.ErrorFields(err))
	}
	if in.NewContact != nil && !FindsDetails(in.Outcome) {
		q.Add("new_contact_point", "record a new contact detail only with the outcome reached or details_found")
	}
	if in.Replaces != nil && in.NewContact == nil {
		q.Add("replaces", "give the new contact detail that replaces it")
	}
	if in.Version < 0 {
		q.Add("version", "must be the version of the attempt you saw")
	}
	return how, q.Err()
}

// Reached reports whether the outcome re-establishes contact.
func Reached(outcome string) bool { return outcome == OutcomeReached }

// FindsDetails reports whether an attempt with the outcome may record a
// new contact detail: the person reached, or a party or agency that gave
// newer details.
func FindsDetails(outcome string) bool {
	return outcome == OutcomeReached || outcome == OutcomeDetailsFound
}

// FailedCall reports whether an attempt is a call that did not reach the
// person: it feeds the contact status machine as tether.CauseFailedCall.
func FailedCall(kind, outcome string) bool {
	return kind == AttemptCall && (outcome == OutcomeNoAnswer || outcome == OutcomeMessageLeft || outcome == OutcomeWrongNumber)
}

// PointFailed reports whether the outcome shows that the contact point
// tried does not work: a wrong number, an undeliverable message or letter,
// or a person not known at the address. (A returned letter does not mean
// nobody lives there, but "not known at the address" from a visit does.)
func PointFailed(outcome string) bool {
	return outcome == OutcomeWrongNumber || outcome == OutcomeUndeliverable || outcome == OutcomeNotKnownAtAddress
}
