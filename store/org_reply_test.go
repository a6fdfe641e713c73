package store

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"tether"
	"tether/enquiry"
)

// sameOrganisation compares two organisations field by field (the address
// lines make the struct incomparable with ==).
func sameOrganisation(a, b *tether.Organisation) bool { return reflect.DeepEqual(a, b) }

// commonsAddress is an MP's office address at the House of Commons.
var commonsAddress = []string{"Ann Member MP", "House of Commons", "London", "SW1A 0AA"}

// orgCount counts organisations and audit entries, to show that a refusal
// wrote nothing.
func orgCount(t *testing.T, db *DB) [2]int {
	t.Helper()
	var n [2]int
	for i, q := range []string{`SELECT COUNT(*) FROM organisations`, `SELECT COUNT(*) FROM audit_log`} {
		if err := db.read.QueryRow(q).Scan(&n[i]); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

func TestOrganisationReplyToCreate(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := adminCtx()
		o := &tether.Organisation{Name: "Office of Ann Member MP", Kind: tether.OrgMPOffice,
			ReplyEmail: " Ann.Member.Office@Example.org ", ReplyAddress: slices.Clone(commonsAddress)}
		if err := db.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindOrganisationByID(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ReplyEmail != "ann.member.office@example.org" || !slices.Equal(got.ReplyAddress, commonsAddress) || !sameOrganisation(got, o) {
			t.Fatalf("stored %+v, created %+v", got, o)
		}
		// One without a reply-to reads back with none (not an empty list).
		plain := seedOrganisation(t, db, "Office of Ben Other MP")
		list, err := db.FindOrganisations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || !sameOrganisation(list[0], o) || list[1].ReplyEmail != "" || list[1].ReplyAddress != nil || list[1].ID != plain.ID {
			t.Fatalf("FindOrganisations = %+v %+v", list[0], list[1])
		}

		// Refused, naming the field, and nothing stored.
		before := orgCount(t, db)
		for _, tc := range []struct {
			email   string
			address []string
			field   string
		}{
			{"not-an-email", nil, "reply_email"},
			{"", []string{"London"}, "reply_address"},
			{"", []string{"Ann Member MP", "", "SW1A 0AA"}, "reply_address"},
			// Valid lines, but no printer would take it: no postcode or
			// country last.
			{"", []string{"Ann Member MP", "House of Commons", "London"}, "reply_address"},
			{"", []string{strings.Repeat("x", 60), "London", "SW1A 0AA"}, "reply_address"},
		} {
			err := db.CreateOrganisation(ctx, &tether.Organisation{Name: "Refused", Kind: tether.OrgLawFirm, ReplyEmail: tc.email, ReplyAddress: tc.address})
			wantFieldErr(t, err, tc.field)
		}
		if after := orgCount(t, db); after != before {
			t.Fatalf("a refusal wrote: %v then %v", before, after)
		}
	})
}

func TestOrganisationReplyToUpdate(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := adminCtx()
		o := seedOrganisation(t, db, "Office of Ann Member MP")
		caseworker := quickUser(t, db, &tether.User{Email: "cw@example.org", Name: "Cal", Role: tether.RoleCaseworker})
		enquiries := quickUser(t, db, &tether.User{Email: "eq@example.org", Name: "Eve", Role: tether.RoleEnquiries})
		office := quickUser(t, db, &tether.User{Email: "office@example.org", Name: "Olu", Role: tether.RoleOrganisation, OrganisationID: &o.ID})

		// Only admins.
		for _, u := range []*tether.User{caseworker, enquiries, office} {
			_, err := db.UpdateOrganisationReplyTo(as(u), o.ID, "office@example.org", nil)
			wantCode(t, err, tether.EFORBIDDEN)
		}
		_, err := db.UpdateOrganisationReplyTo(t.Context(), o.ID, "office@example.org", nil)
		wantCode(t, err, tether.EUNAUTHORIZED)
		_, err = db.UpdateOrganisationReplyTo(ctx, 999999, "office@example.org", nil)
		wantCode(t, err, tether.ENOTFOUND)

		// Bad input names the field and changes nothing.
		before := orgCount(t, db)
		_, err = db.UpdateOrganisationReplyTo(ctx, o.ID, "office@", commonsAddress)
		wantFieldErr(t, err, "reply_email")
		_, err = db.UpdateOrganisationReplyTo(ctx, o.ID, "", []string{"SW1A 0AA"})
		wantFieldErr(t, err, "reply_address")
		_, err = db.UpdateOrganisationReplyTo(ctx, o.ID, "", []string{"Ann Member MP", "Nowhere in particular"})
		wantFieldErr(t, err, "reply_address")
		if after := orgCount(t, db); after != before {
			t.Fatalf("a refusal wrote: %v then %v", before, after)
		}

		// Set both; the answer is the organisation as stored.
		got, err := db.UpdateOrganisationReplyTo(ctx, o.ID, "Office@Example.org", []string{" Ann Member MP", "House of Commons", "London", "SW1A 0AA "})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := db.FindOrganisationByID(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameOrganisation(got, stored) || stored.ReplyEmail != "office@example.org" || !slices.Equal(stored.ReplyAddress, commonsAddress) ||
			stored.Name != o.Name || stored.Kind != o.Kind || stored.Constituency != o.Constituency {
			t.Fatalf("answered %+v, stored %+v", got, stored)
		}
		// The same again writes nothing; one field changed is named alone.
		if _, err := db.UpdateOrganisationReplyTo(ctx, o.ID, "office@example.org", commonsAddress); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateOrganisationReplyTo(ctx, o.ID, "", commonsAddress); err != nil {
			t.Fatal(err)
		}
		// Cleared.
		if _, err := db.UpdateOrganisationReplyTo(ctx, o.ID, "", nil); err != nil {
			t.Fatal(err)
		}
		if stored, _ := db.FindOrganisationByID(ctx, o.ID); stored.ReplyEmail != "" || stored.ReplyAddress != nil {
			t.Fatalf("cleared: %+v", stored)
		}

		// The audit names the fields changed and keeps the values replaced.
		entries, err := db.FindAuditEntries(ctx, tether.AuditFilter{Entity: "organisation", EntityID: o.ID})
		if err != nil {
			t.Fatal(err)
		}
		var details []string
		for i := len(entries) - 1; i >= 0; i-- {
			if entries[i].Action == "organisation.reply_to" {
				details = append(details, entries[i].Detail)
				if entries[i].Actor != "cli:test" {
					t.Errorf("actor %q", entries[i].Actor)
				}
			}
		}
		want := []string{`fields=reply_email,reply_address was reply_email="" reply_address=""`,
			`fields=reply_email was reply_email="office@example.org"`,
			`fields=reply_address was reply_address="Ann Member MP | House of Commons | London | SW1A 0AA"`}
		if !slices.Equal(details, want) {
			t.Fatalf("audit details %q, want %q", details, want)
		}
	})
}

// TestEnquiryReplyToOrganisation: a reply with no address of its own goes
// to the office's address on record, by email or by letter; an address
// given still wins; with none on record a letter is refused as before.
func TestEnquiryReplyToOrganisation(t *testing.T) {
	t.Parallel()
	forEachEnquiryEngine(t, func(t *testing.T, fx *enqFixture) {
		db := fx.db
		e := fx.create(t, fx.mpUser, fx.input())
		id := e.ID
		for _, in := range []enquiry.TransitionInput{{Action: enquiry.ActionTriage}, {Action: enquiry.ActionAssign, Assignee: &fx.eve.ID}} {
			if _, err := db.TransitionEnquiry(as(fx.kim), id, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.TransitionEnquiry(as(fx.eve), id, enquiry.TransitionInput{Action: enquiry.ActionStart}); err != nil {
			t.Fatal(err)
		}
		words := map[string]string{"reply": "We have decided Ms Haile's claim. We sent her the decision today."}
		letter := enquiry.ReplyInput{TemplateKey: "enq-reply-letter", Personalisation: words}
		email := enquiry.ReplyInput{TemplateKey: "enq-reply-email", Personalisation: words}

		// Nothing on record: a letter needs an address; an email goes to
		// the office's user who raised it.
		_, err := db.PreviewEnquiryReply(as(fx.eve), id, letter, nil)
		wantFieldErr(t, err, "to_address")
		if !strings.Contains(tether.ErrorFields(err)["to_address"], "record it on the organisation") {
			t.Errorf("message %q", tether.ErrorFields(err)["to_address"])
		}
		if r, err := db.PreviewEnquiryReply(as(fx.eve), id, email, nil); err != nil || !slices.Equal(r.SentTo, []string{fx.mpUser.Email}) {
			t.Fatalf("email with nothing on record: %v %+v", err, r)
		}

		// On record: both go there, unless the caseworker gives another.
		if _, err := db.UpdateOrganisationReplyTo(adminCtx(), fx.mp.ID, "casework@ann-member.example.org", commonsAddress); err != nil {
			t.Fatal(err)
		}
		if r, err := db.PreviewEnquiryReply(as(fx.eve), id, email, nil); err != nil || !slices.Equal(r.SentTo, []string{"casework@ann-member.example.org"}) {
			t.Fatalf("email on record: %v %+v", err, r)
		}
		given := email
		given.To = "someone.else@example.org"
		if r, err := db.PreviewEnquiryReply(as(fx.eve), id, given, nil); err != nil || !slices.Equal(r.SentTo, []string{given.To}) {
			t.Fatalf("email given: %v %+v", err, r)
		}
		other := letter
		other.ToAddress = []string{"Ann Member MP", "1 Constituency Road", "Exampleton", "EX1 2AB"}
		if r, err := db.PreviewEnquiryReply(as(fx.eve), id, other, nil); err != nil || !slices.Equal(r.SentTo, other.ToAddress) {
			t.Fatalf("letter given: %v %+v", err, r)
		}

		// The answer by letter with no address goes to the office's
		// address on record, kept on the reply and queued for the post.
		got, err := db.AnswerEnquiry(as(fx.eve), id, letter)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != enquiry.StateAnswered {
			t.Fatalf("state %s", got.State)
		}
		d := fx.staffView(t, id)
		if d.Answer == nil || d.Answer.Channel != enquiry.ChannelLetter || !slices.Equal(d.Answer.SentTo, commonsAddress) ||
			d.Answer.Delivery == nil || d.Answer.Delivery.State != enquiry.DeliveryQueued {
			t.Fatalf("answer %+v", d.Answer)
		}
	})
}
