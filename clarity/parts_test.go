package clarity

import (
	"reflect"
	"testing"
)

func parts(text string) *Parts { return Check(text, Options{AsksToAct: true}).Parts }

func TestWhatToDo(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"You must come to the office.", true},
		{"You need to bring your passport.", true},
		{"You should reply soon.", true},
		{"Please bring this letter.", true},
		{"You have to attend.", true},
		{"Dear Sam\n\nCall us on Monday.", true},
		{"- Bring your passport", true},
		{"We are here. Let us know if you move.", true},
		{"Fill in the form.", true},
		// Negatives.
		{"We have received your letter.", false},
		{"Your appointment is on Monday.", false},
		{"Thank you for calling us.", false},
		{"We call people every week.", false},
	}
	for _, tt := range tests {
		if got := parts(tt.text).WhatToDo; got != tt.want {
			t.Errorf("WhatToDo(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestByWhen(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"Reply by ((date)).", true},
		{"Reply by Friday.", true},
		{"Reply by 5pm.", true},
		{"Reply by the end of March.", true},
		{"Reply by the 5th.", true},
		{"Call us before you move.", true},
		{"Pay no later than 3 June.", true},
		{"Reply within 14 days.", true},
		{"Reply within ten working days.", true},
		{"Come on ((appointment date)).", true},
		{"Come at ((time)).", true},
		{"Come on Monday 3 June.", true},
		{"Come on 3rd June.", true},
		{"Come on June 3.", true},
		{"Come to the office on Tuesday.", true},
		{"Send it by ((deadline??((deadline)))).", true},
		// Negatives.
		{"Send it by post.", false},
		{"Send it by email.", false},
		{"Reply within reason.", false},
		{"Come on ((name)).", false},
		{"Come at ((place)).", false},
		{"We are open from Monday to Friday.", false},
		{"Bring 3 photos.", false},
	}
	for _, tt := range tests {
		if got := parts(tt.text).ByWhen; got != tt.want {
			t.Errorf("ByWhen(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestIfNot(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"If you do not reply, we will write again.", true},
		{"If you don't reply, we will write again.", true},
		{"If you don’t reply, we will write again.", true},
		{"If you fail to attend, we will tell the court.", true},
		{"Reply, otherwise we will call.", true},
		{"If you cannot come, tell us.", true},
		{"If we do not hear from you, we will close the case.", true},
		// Negatives.
		{"If you do, tell us.", false},
		{"If you move, tell us.", false},
		{"You do not need to reply.", false},
	}
	for _, tt := range tests {
		if got := parts(tt.text).IfNot; got != tt.want {
			t.Errorf("IfNot(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"Ask for help.", true},
		{"Get advice from Citizens Advice.", true},
		{"Talk to your adviser.", true},
		{"Call us if you are worried.", true},
		{"Phone the office.", true},
		{"Contact us at the address above.", true},
		{"We can get you an interpreter.", true},
		{"Use the helpline.", true},
		{"Ring 0300 123 4567.", true},
		{"Ring 020 7946 0000.", true},
		{"Ring +44 20 7946 0000.", true},
		{"Ring 0800 123 456.", true},
		// Negatives.
		{"Your reference is 12345.", false},
		{"Come to the office.", false},
		{"We were helpful.", false},
		{"It costs 10300 pounds.", false},
	}
	for _, tt := range tests {
		if got := parts(tt.text).Help; got != tt.want {
			t.Errorf("Help(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestPartsMissing(t *testing.T) {
	if p := Check("Hello.", Options{}).Parts; p != nil {
		t.Errorf("Parts without AsksToAct = %+v", p)
	}
	p := parts("Please reply by Friday.")
	want := []string{"what happens if they do not", "how to get help"}
	if !reflect.DeepEqual(p.Missing, want) {
		t.Errorf("Missing = %q, want %q", p.Missing, want)
	}
	p = parts("Please reply by Friday. If you do not, we will call. Ask us for help.")
	if len(p.Missing) != 0 || !p.WhatToDo || !p.ByWhen || !p.IfNot || !p.Help {
		t.Errorf("Parts = %+v", p)
	}
}
