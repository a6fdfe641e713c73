package web

import (
	"errors"
	"net/http"
	"strings"

	"tether"
	"tether/notify"
)

// GOV.UK Notify's callbacks. They come from Notify's servers, not from a
// browser: no session, no Origin or Sec-Fetch-Site header (so cross-origin
// protection lets them through), and authenticated only by the bearer token
// the service gave Notify, compared in constant time. The body holds an
// email address or phone number: it is never logged.

// callbackPrefix is where the callbacks live; authenticate leaves their
// Authorization header to them.
const callbackPrefix = "/api/v1/callbacks/"

// isCallback reports whether the request is for one of Notify's callbacks.
func isCallback(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, callbackPrefix) }

// checkCallback refuses a callback without the right token.
func (s *Server) checkCallback(w http.ResponseWriter, r *http.Request) bool {
	if !notify.CheckBearer(r.Header.Get("Authorization"), s.cfg.CallbackToken) {
		s.fail(w, r, tether.Errorf(tether.EUNAUTHORIZED, "Send the callback token as Authorization: Bearer <token>."))
		return false
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		s.fail(w, r, tether.Errorf(tether.EINVALID, "Send JSON with Content-Type: application/json."))
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, notify.MaxCallbackBody+1)
	return true
}

// callbackError turns a decoder's refusal into a field error, without the
// value (it may be an email address).
func callbackError(err error) error {
	var de *notify.DecodeError
	if errors.As(err, &de) {
		if de.Field == "" {
			return tether.Errorf(tether.EINVALID, "The %s could not be read: %s.", de.Callback, de.Reason)
		}
		return &tether.Error{Code: tether.EINVALID, Message: de.Field + ": " + de.Reason,
			Fields: map[string]string{de.Field: de.Reason}}
	}
	return tether.Errorf(tether.EINVALID, "The callback could not be read.")
}

func (s *Server) callbackDelivery(w http.ResponseWriter, r *http.Request) {
	if !s.checkCallback(w, r) {
		return
	}
	rc, err := notify.DecodeDeliveryReceipt(r.Body)
	if err != nil {
		s.fail(w, r, callbackError(err))
		return
	}
	at := rc.CreatedAt
	switch {
	case rc.CompletedAt != nil:
		at = *rc.CompletedAt
	case rc.SentAt != nil:
		at = *rc.SentAt
	}
	if _, err := s.Correspondence.RecordDelivery(r.Context(), tether.DeliveryReport{
		ProviderID: rc.ID, Ref: rc.Reference, Status: rc.Status, At: at, Source: "notify-callback",
		Detail: "notify " + rc.NotificationType + " " + rc.Status,
	}); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) callbackReturnedLetter(w http.ResponseWriter, r *http.Request) {
	if !s.checkCallback(w, r) {
		return
	}
	rl, err := notify.DecodeReturnedLetter(r.Body)
	if err != nil {
		s.fail(w, r, callbackError(err))
		return
	}
	// Notify reports the return when its post room records it: the day it
	// came back is today, in the UK.
	if _, err := s.Correspondence.RecordReturnedLetter(r.Context(), tether.ReturnedLetter{
		ProviderID: rl.NotificationID, Ref: rl.Reference,
		ReturnedOn: s.clock.Now().In(ukTime).Format("2006-01-02"),
		Detail:     "reported by GOV.UK Notify; letter created " + rl.DateSent.In(ukTime).Format("2006-01-02"),
	}); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
