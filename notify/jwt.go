package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"time"
)

// jwtHeader is the fixed, pre-encoded JOSE header Notify expects:
// {"typ":"JWT","alg":"HS256"}.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256"}`))

// token returns a signed JWT (HS256) with the claims Notify reads: iss, the
// service id, and iat, the time in Unix seconds. Notify refuses a token whose
// iat is more than 30 seconds from its own clock, so every request gets a
// fresh one.
func token(serviceID, secret string, now time.Time) string {
	// serviceID is a checked UUID, so it needs no JSON escaping.
	claims := `{"iss":"` + serviceID + `","iat":` + strconv.FormatInt(now.Unix(), 10) + `}`
	signing := jwtHeader + "." + base64.RawURLEncoding.EncodeToString([]byte(claims))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
