package tether

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// AuditEntry records one write, or one read of a person's record. Entries are
// hash-chained: each Hash covers the entry and the previous entry's hash, so
// changing or removing a row breaks the chain from there on. The application
// never updates or deletes them.
type AuditEntry struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	// Entity and EntityID name the record ("person", 42).
	Entity   string `json:"entity"`
	EntityID int64  `json:"entity_id"`
	// Detail says what changed (field names, never values) or why.
	Detail   string `json:"detail,omitempty"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// GenesisHash is the PrevHash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the hash of the entry chained to prev. Fields are
// length-prefixed so that no two different entries share an encoding.
func (e *AuditEntry) ComputeHash(prev string) string {
	h := sha256.New()
	for _, f := range []string{
		prev,
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		e.Actor, e.Action, e.Entity,
		strconv.FormatInt(e.EntityID, 10),
		e.Detail,
	} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Seal sets PrevHash and Hash for an entry that follows prev.
func (e *AuditEntry) Seal(prev string) {
	e.PrevHash = prev
	e.Hash = e.ComputeHash(prev)
}

// ChainVerifier checks entries one at a time, in Seq order, so that a
// chain of any length is verified in constant memory.
type ChainVerifier struct {
	prev    string
	lastSeq int64
	n       int64
	// Broken describes the first broken link; empty while the chain holds.
	Broken string
	// BrokenSeq is the sequence number at which the chain first broke.
	BrokenSeq int64
}

// NewChainVerifier starts a verification from the genesis hash.
func NewChainVerifier() *ChainVerifier { return &ChainVerifier{prev: GenesisHash} }

// Add checks the next entry. It returns false once the chain is broken.
func (v *ChainVerifier) Add(e *AuditEntry) bool {
	if v.Broken != "" {
		return false
	}
	v.n++
	switch {
	case e.Seq != v.lastSeq+1:
		v.fail(e.Seq, "entry "+strconv.FormatInt(v.lastSeq+1, 10)+" is missing (next is "+strconv.FormatInt(e.Seq, 10)+")")
	case e.PrevHash != v.prev:
		v.fail(e.Seq, "entry "+strconv.FormatInt(e.Seq, 10)+" does not follow the entry before it: that entry was changed or removed")
	case e.ComputeHash(e.PrevHash) != e.Hash:
		v.fail(e.Seq, "entry "+strconv.FormatInt(e.Seq, 10)+" was changed after it was written")
	}
	v.prev, v.lastSeq = e.Hash, e.Seq
	return v.Broken == ""
}

func (v *ChainVerifier) fail(seq int64, why string) {
	v.Broken, v.BrokenSeq = why, seq
}

// Count is the number of entries checked.
func (v *ChainVerifier) Count() int64 { return v.n }

// AuditFilter selects audit entries.
type AuditFilter struct {
	Entity   string
	EntityID int64
	Actor    string
	Offset   int
	Limit    int
}

// AuditReport is the result of verifying the whole chain.
type AuditReport struct {
	Entries   int64  `json:"entries"`
	OK        bool   `json:"ok"`
	Broken    string `json:"broken,omitempty"`
	BrokenSeq int64  `json:"broken_seq,omitempty"`
}

// AuditService reads and verifies the audit log. Writes to it happen inside
// the other services' transactions, never through this interface.
type AuditService interface {
	// FindAuditEntries lists entries, newest first. EFORBIDDEN.
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
	// VerifyAudit checks the whole chain and reports the first broken link.
	VerifyAudit(ctx context.Context) (*AuditReport, error)
}

// ChangedFields lists the names of the person fields that differ, for the
// audit detail: names, never values.
func ChangedFields(old, new *Person) string {
	var f []string
	add := func(name string, changed bool) {
		if changed {
			f = append(f, name)
		}
	}
	add("family_name", old.FamilyName != new.FamilyName)
	add("given_names", old.GivenNames != new.GivenNames)
	add("other_names", !equalOtherNames(old.OtherNames, new.OtherNames))
	add("date_of_birth", old.DateOfBirth != new.DateOfBirth)
	add("nationality", old.Nationality != new.Nationality)
	add("preferred_language", old.PreferredLanguage != new.PreferredLanguage)
	add("needs", old.Needs != new.Needs)
	add("representative", !equalRep(old.Representative, new.Representative))
	return strings.Join(f, ",")
}

func equalOtherNames(a, b []OtherName) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalRep(a, b *Representative) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	if (x.OrganisationID == nil) != (y.OrganisationID == nil) || (x.OrganisationID != nil && *x.OrganisationID != *y.OrganisationID) {
		return false
	}
	x.OrganisationID, y.OrganisationID = nil, nil
	return x == y
}
