package tsunagu_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

func TestChanges(t *testing.T) {
	type contact struct{ Phone string }
	type obj struct {
		ID                 int64
		Name               string
		RegistrationNumber *string
		Contact            contact
		Secret             string `json:"-"`
		UpdatedAt          time.Time
	}
	reg := "T1234567890123"
	fc := func(field, before, after string) tsunagu.FieldChange {
		return tsunagu.FieldChange{Field: field, Before: json.RawMessage(before), After: json.RawMessage(after)}
	}
	tests := []struct {
		name          string
		before, after any
		want          []tsunagu.FieldChange
	}{
		{"created", nil, obj{ID: 1, Name: "a"}, []tsunagu.FieldChange{
			fc("contact", `null`, `{"Phone":""}`), fc("id", `null`, `1`), fc("name", `null`, `"a"`)}}, // a null field stays out
		{"nothing changed", obj{ID: 1, Name: "a", Secret: "x"}, obj{ID: 1, Name: "a", Secret: "y", UpdatedAt: time.Unix(1, 0)}, []tsunagu.FieldChange{}},
		{"fields changed", obj{ID: 1, Name: "a"}, obj{ID: 1, Name: "b", RegistrationNumber: &reg, Contact: contact{"03"}}, []tsunagu.FieldChange{
			fc("contact", `{"Phone":""}`, `{"Phone":"03"}`), fc("name", `"a"`, `"b"`), fc("registrationNumber", `null`, `"T1234567890123"`)}},
		{"field cleared", obj{ID: 1, RegistrationNumber: &reg}, obj{ID: 1}, []tsunagu.FieldChange{
			fc("registrationNumber", `"T1234567890123"`, `null`)}},
		{"map states", map[string]any{"Status": "OPEN"}, map[string]any{"Status": "CLOSED", "ClosedBy": 3}, []tsunagu.FieldChange{
			fc("closedBy", `null`, `3`), fc("status", `"OPEN"`, `"CLOSED"`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tsunagu.Changes(tt.before, tt.after)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Changes (-want +got):\n%s", diff)
			}
		})
	}
}
