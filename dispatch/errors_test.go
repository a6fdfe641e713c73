package dispatch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"tether/mailer"
	"tether/notify"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	type want struct {
		temporary, unknown bool
		retryAfter         time.Duration
		reason             string
		contact            bool // the contact point is at fault
	}
	for _, c := range []struct {
		name string
		err  error
		want want
	}{
		{"notify 500", &notify.Error{Op: "send sms", StatusCode: 500, Temporary: true, Errors: []notify.APIError{{Error: "Exception", Message: "Internal server error"}}},
			want{true, false, 0, "notify send sms: status 500: Exception", false}},
		{"notify 429", fmt.Errorf("wrapped: %w", &notify.Error{Op: "send email", StatusCode: 429, Temporary: true, RetryAfter: 7 * time.Second,
			Errors: []notify.APIError{{Error: "RateLimitError", Message: "Exceeded rate limit"}}}),
			want{true, false, 7 * time.Second, "notify send email: status 429: RateLimitError (retry after 7s)", false}},
		{"notify dropped", &notify.Error{Op: "send letter", Temporary: true, UnknownOutcome: true, Err: io.ErrUnexpectedEOF},
			want{true, true, 0, "notify send letter: connection closed (outcome unknown)", false}},
		{"notify timeout", &notify.Error{Op: "send sms", Temporary: true, UnknownOutcome: true, Err: context.DeadlineExceeded},
			want{true, true, 0, "notify send sms: timed out (outcome unknown)", false}},
		{"notify 400 quotes nothing", &notify.Error{Op: "send sms", StatusCode: 400, Errors: []notify.APIError{{Error: "ValidationError", Message: "phone_number 07700900123 is not valid"}}},
			want{false, false, 0, "notify send sms: status 400: ValidationError", true}},
		{"notify 403 is the key's fault", &notify.Error{Op: "send sms", StatusCode: 403, Errors: []notify.APIError{{Error: "AuthError", Message: "Invalid token"}}},
			want{true, false, 0, "notify send sms: status 403: AuthError", false}},
		{"smtp 450", &mailer.Error{Stage: "rcpt to", Code: 450, Message: "mailbox busy <ana@example.org>", Temporary: true},
			want{true, false, 0, "smtp rcpt to: reply 450", false}},
		{"smtp 550 recipient", &mailer.Error{Stage: "rcpt to", Code: 550, Message: "no such user <ana@example.org>"},
			want{false, false, 0, "smtp rcpt to: reply 550", true}},
		{"smtp 535 auth", &mailer.Error{Stage: "auth", Code: 535, Message: "bad credentials"},
			want{true, false, 0, "smtp auth: reply 535", false}},
		{"smtp dropped after data", &mailer.Error{Stage: "end of data", Temporary: true, UnknownOutcome: true, Err: io.EOF},
			want{true, true, 0, "smtp end of data: connection closed (outcome unknown)", false}},
		{"notify 400 team key is ours", &notify.Error{Op: "send sms", StatusCode: 400, Errors: []notify.APIError{{Error: "BadRequestError", Message: "Can't send to this recipient using a team-only API key"}}},
			want{false, false, 0, "notify send sms: status 400: BadRequestError", false}},
		{"smtp 554 message refused", &mailer.Error{Stage: "end of data", Code: 554, Message: "message refused"},
			want{false, false, 0, "smtp end of data: reply 554", false}},
		{"print refuses the address", refused("print", "the address cannot be printed: fewer than 3 lines"),
			want{false, false, 0, "the address cannot be printed: fewer than 3 lines", true}},
		{"print", permanent("print", "the notice has no postal address"), want{false, false, 0, "the notice has no postal address", false}},
		{"other", errors.New("something with ana@example.org"), want{false, false, 0, "error", false}},
	} {
		got := want{Temporary(c.err), UnknownOutcome(c.err), RetryAfter(c.err), Reason(c.err), !Temporary(c.err) && ContactFault(c.err)}
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
		if strings.Contains(got.reason, "@") || strings.Contains(got.reason, "07700") {
			t.Errorf("%s: the reason quotes personal data: %q", c.name, got.reason)
		}
	}
}

func TestAddressLines(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, want []string
	}{
		{[]string{"Ana Silva", "1 High Street", "", "Leeds", "LS1 1AA"}, []string{"Ana Silva", "1 High Street", "Leeds", "LS1 1AA"}},
		{[]string{"A", "Flat 2", "1 High St", "Old Town", "Westby", "Leeds", "West Yorkshire", "Yorkshire", "LS1 1AA"},
			[]string{"A", "Flat 2, 1 High St", "Old Town", "Westby, Leeds", "West Yorkshire", "Yorkshire", "LS1 1AA"}},
	} {
		got := AddressLines(c.in, 7)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("AddressLines(%q) = %q, want %q", c.in, got, c.want)
		}
		if len(got) > 7 || got[0] != c.in[0] || got[len(got)-1] != c.in[len(c.in)-1] {
			t.Errorf("AddressLines(%q) = %q: must keep the first and last lines", c.in, got)
		}
	}
}
