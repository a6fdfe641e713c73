package notify

// Notification types, as Notify names them.
const (
	TypeEmail  = "email"
	TypeSMS    = "sms"
	TypeLetter = "letter"
)

// Statuses Notify reports. Email: created, sending, delivered and the three
// failures. Text messages add pending and sent (sent internationally, where
// the networks report nothing more). Letters: accepted, received (printed
// and posted), cancelled, technical-failure and permanent-failure, and for
// precompiled letters pending-virus-check, virus-scan-failed and
// validation-failed.
const (
	StatusCreated           = "created"
	StatusSending           = "sending"
	StatusPending           = "pending"
	StatusSent              = "sent"
	StatusDelivered         = "delivered"
	StatusPermanentFailure  = "permanent-failure"
	StatusTemporaryFailure  = "temporary-failure"
	StatusTechnicalFailure  = "technical-failure"
	StatusAccepted          = "accepted"
	StatusReceived          = "received"
	StatusCancelled         = "cancelled"
	StatusPendingVirusCheck = "pending-virus-check"
	StatusVirusScanFailed   = "virus-scan-failed"
	StatusValidationFailed  = "validation-failed"
)

var (
	emailStatuses = map[string]bool{
		StatusCreated: true, StatusSending: true, StatusDelivered: true,
		StatusPermanentFailure: true, StatusTemporaryFailure: true, StatusTechnicalFailure: true,
	}
	smsStatuses = map[string]bool{
		StatusCreated: true, StatusSending: true, StatusPending: true, StatusSent: true, StatusDelivered: true,
		StatusPermanentFailure: true, StatusTemporaryFailure: true, StatusTechnicalFailure: true,
	}
	letterStatuses = map[string]bool{
		// Notify's API shows a letter's internal created and sending as
		// accepted; they are allowed in case a callback carries the raw status.
		StatusCreated: true, StatusSending: true,
		StatusAccepted: true, StatusReceived: true, StatusCancelled: true,
		StatusPendingVirusCheck: true, StatusVirusScanFailed: true, StatusValidationFailed: true,
		StatusPermanentFailure: true, StatusTechnicalFailure: true,
	}
)

// ValidStatus reports whether Notify can report status for a notification
// of type typ ("email", "sms" or "letter").
func ValidStatus(typ, status string) bool {
	switch typ {
	case TypeEmail:
		return emailStatuses[status]
	case TypeSMS:
		return smsStatuses[status]
	case TypeLetter:
		return letterStatuses[status]
	}
	return false
}

// KnownStatus reports whether status is any status Notify reports.
func KnownStatus(status string) bool {
	return emailStatuses[status] || smsStatuses[status] || letterStatuses[status]
}

// Final reports whether Notify will not change status again. "sent" is
// final: the networks abroad report nothing more. "received" is final for
// Notify, though a returned-letter report may still come weeks later.
func Final(status string) bool {
	switch status {
	case StatusDelivered, StatusSent, StatusReceived, StatusCancelled,
		StatusPermanentFailure, StatusTemporaryFailure, StatusTechnicalFailure,
		StatusVirusScanFailed, StatusValidationFailed:
		return true
	}
	return false
}

// Failed reports whether status says the message did not reach the person.
// Only permanent-failure says the address or number itself is wrong;
// temporary-failure (an inbox full, a phone off for 72 hours) and
// technical-failure (a fault between Notify and its provider) do not.
func Failed(status string) bool {
	switch status {
	case StatusPermanentFailure, StatusTemporaryFailure, StatusTechnicalFailure,
		StatusVirusScanFailed, StatusValidationFailed:
		return true
	}
	return false
}

// Delivered reports whether status is the best evidence of delivery the
// channel gives: "delivered" for email and text messages, "received"
// (printed and posted) for letters, from which deemed service counts.
func Delivered(status string) bool {
	return status == StatusDelivered || status == StatusReceived
}
