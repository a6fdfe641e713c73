package notify

import "testing"

func TestStatuses(t *testing.T) {
	tests := []struct {
		status                   string
		email, sms, letter       bool
		final, failed, delivered bool
	}{
		{StatusCreated, true, true, true, false, false, false},
		{StatusSending, true, true, true, false, false, false},
		{StatusPending, false, true, false, false, false, false},
		{StatusSent, false, true, false, true, false, false},
		{StatusDelivered, true, true, false, true, false, true},
		{StatusPermanentFailure, true, true, true, true, true, false},
		{StatusTemporaryFailure, true, true, false, true, true, false},
		{StatusTechnicalFailure, true, true, true, true, true, false},
		{StatusAccepted, false, false, true, false, false, false},
		{StatusReceived, false, false, true, true, false, true},
		{StatusCancelled, false, false, true, true, false, false},
		{StatusPendingVirusCheck, false, false, true, false, false, false},
		{StatusVirusScanFailed, false, false, true, true, true, false},
		{StatusValidationFailed, false, false, true, true, true, false},
		{"returned-letter", false, false, false, false, false, false},
		{"", false, false, false, false, false, false},
	}
	for _, tt := range tests {
		if got := ValidStatus(TypeEmail, tt.status); got != tt.email {
			t.Errorf("ValidStatus(email, %q) = %v", tt.status, got)
		}
		if got := ValidStatus(TypeSMS, tt.status); got != tt.sms {
			t.Errorf("ValidStatus(sms, %q) = %v", tt.status, got)
		}
		if got := ValidStatus(TypeLetter, tt.status); got != tt.letter {
			t.Errorf("ValidStatus(letter, %q) = %v", tt.status, got)
		}
		if got := KnownStatus(tt.status); got != (tt.email || tt.sms || tt.letter) {
			t.Errorf("KnownStatus(%q) = %v", tt.status, got)
		}
		if got := Final(tt.status); got != tt.final {
			t.Errorf("Final(%q) = %v", tt.status, got)
		}
		if got := Failed(tt.status); got != tt.failed {
			t.Errorf("Failed(%q) = %v", tt.status, got)
		}
		if got := Delivered(tt.status); got != tt.delivered {
			t.Errorf("Delivered(%q) = %v", tt.status, got)
		}
	}
	if ValidStatus("fax", StatusDelivered) {
		t.Error("ValidStatus accepted an unknown type")
	}
}
