package tether

import (
	"slices"
	"strings"
	"testing"
)

func TestOrganisationReplyToValidate(t *testing.T) {
	commons := []string{"Ann Member MP", "House of Commons", "London", "SW1A 0AA"}
	for _, tc := range []struct {
		name    string
		email   string
		address []string
		field   string // "" means valid
	}{
		{"none on record", "", nil, ""},
		{"empty address list", "", []string{}, ""},
		{"email only", "office@example.org", nil, ""},
		{"email tidied", "  Office@Example.ORG ", nil, ""},
		{"address only", "", commons, ""},
		{"two lines", "", []string{"Ann Member MP", "SW1A 0AA"}, ""},
		{"seven lines", "", []string{"a", "b", "c", "d", "e", "f", "g"}, ""},
		{"both", "office@example.org", commons, ""},
		{"not an email", "office at example.org", nil, "reply_email"},
		{"display name", "Office <office@example.org>", nil, "reply_email"},
		{"one line", "", []string{"London"}, "reply_address"},
		{"eight lines", "", []string{"a", "b", "c", "d", "e", "f", "g", "h"}, "reply_address"},
		{"blank line", "", []string{"Ann Member MP", "  ", "SW1A 0AA"}, "reply_address"},
		{"long line", "", []string{strings.Repeat("x", 101), "SW1A 0AA"}, "reply_address"},
		{"control character", "", []string{"Ann\x07Member", "SW1A 0AA"}, "reply_address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := &Organisation{Name: "Office of Ann Member MP", Kind: OrgMPOffice, ReplyEmail: tc.email, ReplyAddress: slices.Clone(tc.address)}
			err := o.Validate()
			fields := ErrorFields(err)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if _, ok := fields[tc.field]; !ok || len(fields) != 1 {
				t.Fatalf("Validate = %v, want only %s", err, tc.field)
			}
		})
	}
}

func TestOrganisationReplyToTidied(t *testing.T) {
	o := &Organisation{Name: "Camden Law Centre", Kind: OrgLawFirm, ReplyEmail: " Post@Camden-Law.example.ORG",
		ReplyAddress: []string{" Camden Law Centre ", "2 Example Street", "London", " NW1 1AA"}}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if o.ReplyEmail != "post@camden-law.example.org" {
		t.Errorf("email %q", o.ReplyEmail)
	}
	if want := []string{"Camden Law Centre", "2 Example Street", "London", "NW1 1AA"}; !slices.Equal(o.ReplyAddress, want) {
		t.Errorf("address %q, want %q", o.ReplyAddress, want)
	}
	o.ReplyAddress = []string{}
	if err := o.Validate(); err != nil || o.ReplyAddress != nil {
		t.Errorf("empty address: %v %q", err, o.ReplyAddress)
	}
}
