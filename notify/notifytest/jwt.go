package notifytest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// The fake checks tokens with its own code rather than the client's, so
// that a fault in the client's signing is not mirrored here.

var b64 = base64.RawURLEncoding

func hmacSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

func hmacEqual(a, b []byte) bool { return hmac.Equal(a, b) }
