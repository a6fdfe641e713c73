package notify

import (
	"errors"
	"fmt"
)

// uuidLen is the length of a UUID in its canonical text form.
const uuidLen = 36

// ParseAPIKey splits a Notify API key, "{key_name}-{service_id}-{secret_key}",
// into the service id (the JWT issuer) and the secret that signs tokens. Both
// are UUIDs, so they are the last 73 characters; the key name before them
// may itself contain hyphens.
func ParseAPIKey(key string) (serviceID, secret string, err error) {
	if key == "" {
		return "", "", errors.New("notify: API key is empty")
	}
	// name, "-", service id, "-", secret.
	if len(key) < 2*uuidLen+2 {
		return "", "", fmt.Errorf("notify: API key is %d characters, too short for {key_name}-{service_id}-{secret_key}", len(key))
	}
	secret = key[len(key)-uuidLen:]
	serviceID = key[len(key)-2*uuidLen-1 : len(key)-uuidLen-1]
	if key[len(key)-uuidLen-1] != '-' || key[len(key)-2*uuidLen-2] != '-' {
		return "", "", errors.New("notify: API key is not {key_name}-{service_id}-{secret_key}")
	}
	if !IsUUID(serviceID) {
		// Never quote the key: it holds the secret.
		return "", "", errors.New("notify: API key's service id is not a UUID")
	}
	if !IsUUID(secret) {
		return "", "", errors.New("notify: API key's secret is not a UUID")
	}
	return serviceID, secret, nil
}

// IsUUID reports whether s is a UUID in canonical form (8-4-4-4-12 hex
// digits, either case). Notify's ids are all UUIDs.
func IsUUID(s string) bool {
	if len(s) != uuidLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
