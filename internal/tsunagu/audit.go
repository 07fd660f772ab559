package tsunagu

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"
)

// AuditEntry is one line of the audit log: who changed what, when, and how. Every
// administrative and money mutation writes one in the same transaction as its
// change; the log is append-only (the database refuses updates and deletes).
type AuditEntry struct {
	ID int64
	At time.Time
	// ActorID is who did it; nil for a change nobody signed in made (an invitation
	// accepted by its link).
	ActorID *UserID
	// Action is the mutation's name, e.g. "updateFacility".
	Action string
	// ObjectType and ObjectID name the object changed, by its GraphQL type.
	ObjectType string
	ObjectID   int64
	// MunicipalityID is the municipality the object belongs to, which decides which
	// managers see the entry; nil for the network's own objects.
	MunicipalityID *MunicipalityID
	// Changes are the object's fields that differ before and after, in name order.
	Changes []FieldChange
}

// FieldChange is one field's value before and after a change, as JSON (null for an
// object created or a field that did not exist).
type FieldChange struct {
	Field  string          `json:"field"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// Changes compares two states of an object (structs or maps that encode as JSON
// objects; nil for "did not exist") and returns the fields whose JSON values differ,
// named in lowerCamel case and sorted by name. Fields tagged json:"-" never appear:
// secrets are kept out of the log by the types themselves. UpdatedAt is left out.
func Changes(before, after any) ([]FieldChange, error) {
	b, err := fieldsOf(before)
	if err != nil {
		return nil, err
	}
	a, err := fieldsOf(after)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(a)+len(b))
	for k := range a {
		names = append(names, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			names = append(names, k)
		}
	}
	out := []FieldChange{}
	for _, k := range names {
		if bookkeeping[k] {
			continue
		}
		bv, av := orNull(b[k]), orNull(a[k])
		if bytes.Equal(bv, av) {
			continue
		}
		out = append(out, FieldChange{Field: lowerFirst(k), Before: bv, After: av})
	}
	slices.SortFunc(out, func(x, y FieldChange) int {
		switch {
		case x.Field < y.Field:
			return -1
		case x.Field > y.Field:
			return 1
		}
		return 0
	})
	return out, nil
}

func fieldsOf(v any) (map[string]json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// bookkeeping are fields every change touches, which the entry's own time says.
var bookkeeping = map[string]bool{"UpdatedAt": true}

var jsonNull = json.RawMessage("null")

func orNull(v json.RawMessage) json.RawMessage {
	if v == nil {
		return jsonNull
	}
	return v
}

// lowerFirst turns a Go field name into the API's style: "RegistrationNumber" →
// "registrationNumber", "ID" → "id", "MunicipalityID" → "municipalityID".
func lowerFirst(s string) string {
	if s == "ID" {
		return "id"
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// AuditFilter narrows the audit log. All set fields must match.
type AuditFilter struct {
	ObjectType     *string
	ObjectID       *int64
	ActorID        *UserID
	MunicipalityID *MunicipalityID
	Since, Until   *time.Time
}

// AuditService reads the audit log.
type AuditService interface {
	// AuditLog lists entries newest first (the page key is the entry ID): every
	// entry for an ADMIN, the entries of their own municipality's objects for a
	// MANAGER. UNAUTHENTICATED for an anonymous request, FORBIDDEN for anyone else.
	AuditLog(ctx context.Context, f AuditFilter, page PageArgs) (*Page[*AuditEntry], error)
}

// CanReadAudit returns nil when u may read the audit log (of some municipality).
func CanReadAudit(u *User) error {
	if u == nil {
		return ErrUnauthenticated
	}
	if u.Role != RoleAdmin && u.Role != RoleManager {
		return ErrForbidden
	}
	return nil
}
